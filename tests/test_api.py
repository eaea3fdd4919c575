"""The researcher's API: featlearn.claim / featlearn.experiment, predict/show/--set, on every registered claim."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import featlearn
from featlearn.claims import REGISTRY, Outcome, Prediction, claim, load_claims
from featlearn.cli import main
from featlearn.experiments import Orchestrator, get_experiment

CLAIMS = sorted(load_claims())


def test_fresh_interpreter_needs_no_loading_step():
    code = ("import featlearn; e = featlearn.experiment('hermite-mc'); c = featlearn.claim('math.relu-hermite'); "
            "print(e.name, c.id, len(featlearn.list_claims()) > 40)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["hermite-mc", "math.relu-hermite", "True"]


def test_unknown_names_and_types():
    with pytest.raises(ValueError, match="unknown claim 'nope'.*math.relu-hermite"):
        featlearn.claim("nope")
    with pytest.raises(TypeError, match="id: expected a claim id"):
        featlearn.claim(3)
    with pytest.raises(ValueError, match="unknown experiment"):
        featlearn.experiment("nope")


def test_setting_changes_are_validated():
    c = featlearn.claim("math.sphere-fourth-moment")
    assert c.setting(sphere_d=4).sphere_d == 4
    with pytest.raises(ValueError, match="sphere_d"):
        c.setting(sphere_d=0)
    with pytest.raises(ValueError, match="not a field"):
        c.predict(sphere_q=3)
    with pytest.raises(TypeError, match="setting: expected"):
        c.run(setting=featlearn.claim("sl21.weak-gd-floor").setting() if "sl21.weak-gd-floor" in CLAIMS else 3)


def test_run_on_own_setting_records_it():
    c = featlearn.claim("math.sphere-fourth-moment")
    r = c.run(sphere_d=4, sphere_n=4096)
    assert r.verdict == "pass"
    rec = r.to_json()
    assert rec["setting"]["sphere_d"] == 4 and rec["setting"]["sphere_n"] == 4096
    assert rec["predicted"] == pytest.approx(2.0)  # 3d/(d+2) at d = 4


def test_experiment_grid_follows_the_setting():
    e = featlearn.experiment("hermite-mc")
    cells = e.grid(hermite_mc_n=(128, 256), hermite_mc_k=(2,))
    assert sorted(c["n"] for c in cells) == [128, 256]
    assert e.seeds(seeds=3) == (0, 1, 2)


def test_prediction_must_match_the_run():
    """A claim whose run does not use its own predict(setting) is an error, not a verdict."""
    def predict(setting):
        return Prediction(predicted=1.0, comparison="abs", tolerance=0.1, formula="1", tolerance_rule="fixed")

    @claim(kind="identity", id="math.demo-mismatch", paper="math", where="-", provenance="stated", statement="1 = 1",
           predict=predict, quantity="a number")
    def _demo(ctx):
        return Outcome(predicted=2.0, measured=2.0, tolerance=0.1)

    try:
        r = featlearn.claim("math.demo-mismatch").run()
        assert r.verdict == "error" and "differs from its predict(setting)" in r.error
    finally:
        REGISTRY.pop("math.demo-mismatch")


@pytest.mark.parametrize("cid", CLAIMS)
def test_show_every_claim(cid, capsys, tmp_path):
    assert main(["show", cid, "--json", str(tmp_path / "s.json")]) == 0
    text = capsys.readouterr().out
    assert cid in text and "Statement:" in text and "Tolerance rationale" in text
    assert max(len(line) for line in text.splitlines()) <= 100
    d = json.loads((tmp_path / "s.json").read_text())
    assert d["id"] == cid and d["code"]["claim"].startswith("featlearn/papers/")


@pytest.mark.parametrize("cid", CLAIMS)
def test_predict_every_claim(cid, capsys, tmp_path):
    """`featlearn predict` works for every claim: one JSON object with id, setting, predicted/threshold, tolerance."""
    c = REGISTRY[cid]
    if c.predict is None:
        pytest.fail(f"claim {cid} has no predict function (featlearn predict needs one)")
    assert main(["predict", cid, "--json", str(tmp_path / "p.json")]) == 0
    d = json.loads((tmp_path / "p.json").read_text())
    assert d["id"] == cid and isinstance(d["setting"], dict) and d["setting"]
    assert {"predicted", "threshold", "tolerance", "comparison", "formula", "tolerance_rule"} <= set(d)
    assert d["predicted"] is not None or d["threshold"] is not None or d["needs_run"]
    assert d["tolerance"] is not None or d["needs_run"]


@pytest.mark.parametrize("cid", CLAIMS)
def test_set_reaches_every_claim(cid):
    """`check --set` for every claim: the changed setting is the one the claim and its sweep receive."""
    h = featlearn.claim(cid)
    base = h.setting()
    name, kind, default, _ = next((f for f in base.field_docs() if f[1] == "int" and isinstance(f[2], int)
                                   and f[2] > 2 and "seed" not in f[0]), (None,) * 4)
    if name is None:
        pytest.skip(f"{h.paper}: no integer size field to change")
    changed = base.replace(**{name: default - 1})
    with Orchestrator(progress=False, setting=changed) as run:
        assert run.context_for(h.claim).setting == changed
        if h.experiment is not None:
            e = get_experiment(h.experiment)
            e.grid_at("quick", changed)  # the grid is a function of the setting and accepts the change


@pytest.mark.parametrize("args, message", [
    (["check", "--only", "math.sphere*", "--set", "sphere_q=4"], "sphere_q: not a field of Setting; valid keys:"),
    (["check", "--only", "math.sphere*", "--set", "sphere_d=-1"], "sphere_d"),
    (["check", "--only", "math.sphere*", "--set", "sphere_d"], "expected KEY=VALUE"),
    (["check", "--set", "sphere_d=4"], "belong to"),
    (["predict", "math.sphere-fourth-moment", "--set", "sphere_d=x"], "sphere_d"),
    (["predict", "nope"], "unknown claim"),
    (["show", "nope"], "neither a claim nor an experiment"),
    (["reproduce", "hermite-mc", "--set", "nope=1"], "nope: not a field"),
])
def test_bad_set_is_one_line_exit_2(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and message in err


def test_check_set_changes_the_run(capsys, tmp_path):
    out = tmp_path / "c.json"
    assert main(["check", "--only", "math.sphere*", "--set", "sphere_d=4", "--set", "sphere_n=2048", "--quiet",
                 "--json", str(out)]) == 0
    rec = json.loads(out.read_text())[0]
    assert rec["setting"]["sphere_d"] == 4 and rec["run"]["set"] == {"sphere_d": "4", "sphere_n": "2048"}
    assert rec["predicted"] == pytest.approx(2.0)


def test_reproduce_set_gets_its_own_report(tmp_path, capsys):
    args = ["reproduce", "hermite-mc", "--out", str(tmp_path), "--quiet", "--set", "hermite_mc_n=128,256,512",
            "--set", "seeds=2"]
    assert main(args) in (0, 1)
    (report,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert "-set" in report.name
    run = json.loads((report / "run.json").read_text())
    assert run["setting"]["hermite_mc_n"] == [128, 256, 512]
    records = json.loads((report / "records.json").read_text())
    assert sorted({r["n"] for r in records}) == [128, 256, 512]


@pytest.mark.parametrize("cmd", [["claims"], ["experiments"]])
def test_tables_fit_100_columns(cmd, capsys):
    assert main(cmd) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) <= 100


def test_every_experiment_draws_a_figure_and_every_claim_names_its_quantity():
    from featlearn.experiments import list_experiments

    assert [e.name for e in list_experiments() if e.figures is None] == []
    assert [c for c in CLAIMS if not REGISTRY[c].quantity] == []
