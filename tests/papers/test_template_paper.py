"""A paper is its folder: the template paper, copied under a new name to a temporary folder, is
registered and runs through ``check`` and ``reproduce`` with nothing outside that folder."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from featlearn import cli
from featlearn.claims import PAPERS, REGISTRY, select
from featlearn.experiments import EXPERIMENTS, reproduce, run_check
from featlearn.papers import load_paper

TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "papers" / "template"


@pytest.fixture
def throwaway(tmp_path, monkeypatch):
    pkg = tmp_path / "throwaway_paper"
    shutil.copytree(TEMPLATE, pkg)
    setting = pkg / "setting.py"
    setting.write_text(setting.read_text().replace('KEY = "template"', 'KEY = "throwaway"'))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield load_paper("throwaway_paper")
    for reg in (REGISTRY, EXPERIMENTS):
        for k in [k for k in reg if k.startswith("throwaway")]:
            del reg[k]
    PAPERS.pop("throwaway", None)
    for m in [m for m in sys.modules if m.startswith("throwaway_paper")]:
        del sys.modules[m]


def test_template_paper_runs_through_check_and_reproduce(throwaway, tmp_path):
    assert "throwaway" in PAPERS and "throwaway.mean-square-norm" in REGISTRY and "throwaway-rate" in EXPERIMENTS
    assert throwaway.Setting.at("paper").n == 64000
    [result] = run_check(select("throwaway.*"), progress=False)
    assert result.verdict == "pass", result
    assert result.outcome.predicted == 1.0

    out = reproduce("throwaway-rate", out_dir=tmp_path / "report", progress=False)
    records = json.loads((Path(out) / "records.json").read_text())
    assert sorted({r["n"] for r in records}) == [500, 2000, 8000] and len(records) == 9
    assert (Path(out) / "report.md").exists()

    # and through the command line, in this process where the paper is loaded
    assert cli.main(["check", "--only", "throwaway*", "--quiet", "--json", str(tmp_path / "c.json")]) == 0
    [row] = json.loads((tmp_path / "c.json").read_text())
    assert row["id"] == "throwaway.mean-square-norm" and row["verdict"] == "pass"


def test_template_setting_is_validated(throwaway):
    with pytest.raises(ValueError, match="d: expected an int"):
        throwaway.Setting(d=0)
    with pytest.raises(ValueError, match="valid keys: d"):
        throwaway.Setting().replace(width=3)
