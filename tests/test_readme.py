"""The README stays true: its two commands are what CI runs, and every claim is in its table."""

from __future__ import annotations

import re
from pathlib import Path

from featlearn.claims import load_claims

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


def test_every_registered_claim_is_in_the_readme_table():
    missing = [cid for cid in load_claims() if f"`{cid}`" not in README]
    assert not missing, f"claims missing from the README table: {missing}"
