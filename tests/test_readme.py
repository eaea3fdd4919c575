"""The README stays true: its two commands are what CI runs, and its claims table is the registry's."""

from __future__ import annotations

import re
from pathlib import Path

from featlearn.claims import select
from featlearn.cli import claims_markdown, experiments_markdown
from featlearn.experiments import list_experiments

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
CI = (ROOT / ".ci" / "run").read_text()


def _readme_commands() -> list[str]:
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S).group(1)
    return [ln.strip() for ln in block.splitlines() if ln.strip() and not ln.startswith("#")]


def test_readme_has_two_commands_and_ci_runs_them_verbatim():
    cmds = _readme_commands()
    assert len(cmds) == 2
    assert "featlearn check" in cmds[0] and "pytest" in cmds[1]
    for cmd in cmds:
        assert cmd in CI, f"CI does not run the README command: {cmd}"


def test_readme_claims_table_is_generated_from_the_registry():
    # regenerate with: featlearn claims --markdown (between the two markers in README.md)
    block = re.search(r"<!-- claims-table:start -->\n(.*?)\n<!-- claims-table:end -->", README, re.S)
    assert block, "README.md lacks the generated claims table markers"
    assert block.group(1).strip() == claims_markdown(select()).strip(), \
        "README claims table is stale: run `featlearn claims --markdown` and paste it between the markers"


def test_readme_experiments_table_is_generated_from_the_registry():
    block = re.search(r"<!-- experiments-table:start -->\n(.*?)\n<!-- experiments-table:end -->", README, re.S)
    assert block, "README.md lacks the generated experiments table markers"
    assert block.group(1).strip() == experiments_markdown(list_experiments()).strip(), \
        "README experiments table is stale: run `featlearn experiments --markdown` and paste it between the markers"


def test_readme_cites_no_folder_outside_the_repository():
    assert "../shared" not in README and "notes §" not in README
