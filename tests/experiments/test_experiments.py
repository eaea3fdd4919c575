"""Experiment engine: sweep specs, the results store, resumption, failures, plots,
reports and the ``reproduce`` registry (serial executor; Dask and kill tests have their own files)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import featlearn
from featlearn.claims import REGISTRY, Claim, Outcome, claim, make_context, run_claim
from featlearn.experiments import (
    EXPERIMENTS,
    RESERVED_KEYS,
    STORE_FORMAT_VERSION,
    claims_table,
    get_experiment,
    list_experiments,
    load_sweep,
    plot_loglog_fit,
    plot_seed_band,
    register_experiment,
    reproduce,
    run_sweep,
    write_check_report,
    write_report,
)
from featlearn.experiments._spec import canonical_grid, make_tasks, task_id
from featlearn.papers.math import Setting as MathSetting
from featlearn.papers.math.experiments import hermite_mc

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def affine(params, ctx):
    """A cheap deterministic experiment: y = a·x + seed."""
    return {"y": params["a"] * params["x"] + ctx.replicate}


def _sweep(store, fn=affine, **kw):
    opts = dict(grid={"a": [1, 2], "x": [0.5, 3.0]}, seeds=[0, 7], store=store, params=["a", "x"], progress=False)
    opts.update(kw)
    return run_sweep(fn, **opts)


class Calls:
    """An experiment that counts its calls per (params, seed) and fails where told to."""

    def __init__(self, fail=()):
        self.calls: dict = {}
        self.fail = set(fail)

    def __call__(self, params, ctx):
        seed = ctx.replicate
        key = (params["x"], seed)
        self.calls[key] = self.calls.get(key, 0) + 1
        if key in self.fail:
            raise RuntimeError(f"boom at x={params['x']} seed={seed}")
        return {"y": params["x"] * 10 + seed}


# -- records and the store ----------------------------------------------------------------
def test_records_are_flat_and_complete(tmp_path):
    res = _sweep(tmp_path / "s")
    assert (res.computed, res.skipped, res.failed) == (8, 0, 0)
    assert len(res.records) == 8
    r = res.records[0]
    assert set(r) == set(RESERVED_KEYS) | {"a", "x", "y"}
    assert (r["a"], r["x"], r["seed"], r["y"]) == (1, 0.5, 0, 0.5)
    assert r["status"] == "ok" and r["error"] is None
    assert r["backend"] == "numpy" and r["device"] == "cpu"
    assert r["featlearn_version"] == featlearn.__version__
    assert r["wall_time"] >= 0
    # sweep order: cells in grid order (last key fastest), seeds fastest
    assert [(q["a"], q["x"], q["seed"]) for q in res.records] == [
        (a, x, s) for a in (1, 2) for x in (0.5, 3.0) for s in (0, 7)]
    man = json.loads((tmp_path / "s" / "manifest.json").read_text())
    assert man["format_version"] == STORE_FORMAT_VERSION
    assert man["grid"] == {"product": {"a": [1, 2], "x": [0.5, 3.0]}} and man["seeds"] == [0, 7]


def test_rerun_skips_finished_cells_and_computes_only_missing_ones(tmp_path):
    store = tmp_path / "s"
    calls = Calls()
    first = run_sweep(calls, grid={"x": [1, 2, 3]}, seeds=range(2), store=store, progress=False)
    assert first.computed == 6 and all(v == 1 for v in calls.calls.values())
    for p in sorted((store / "cells").glob("*.json"))[:2]:  # lose two records
        p.unlink()
    again = run_sweep(calls, grid={"x": [1, 2, 3]}, seeds=range(2), store=store, progress=False)
    assert (again.computed, again.skipped) == (2, 4)
    assert sum(calls.calls.values()) == 8 and len(again.records) == 6
    assert again.records == load_sweep(store, as_frame=False)


def test_failed_cell_is_recorded_does_not_stop_the_sweep_and_is_retried(tmp_path):
    store = tmp_path / "s"
    calls = Calls(fail={(2, 1)})
    res = run_sweep(calls, grid={"x": [1, 2, 3]}, seeds=range(2), store=store, progress=False)
    assert res.failed == 1 and len(res.records) == 6
    bad = [r for r in res.records if r["status"] == "failed"]
    assert len(bad) == 1 and (bad[0]["x"], bad[0]["seed"]) == (2, 1)
    assert bad[0]["error"].startswith("RuntimeError: boom at x=2 seed=1") and "Traceback" in bad[0]["error"]
    assert "y" not in bad[0]
    # no retry when asked not to
    kept = run_sweep(calls, grid={"x": [1, 2, 3]}, seeds=range(2), store=store, progress=False, retry_failed=False)
    assert kept.computed == 0 and kept.failed == 0
    # a re-run retries only the failed cell; fixed now, it succeeds
    calls.fail.clear()
    again = run_sweep(calls, grid={"x": [1, 2, 3]}, seeds=range(2), store=store, progress=False)
    assert (again.computed, again.skipped, again.failed) == (1, 5, 0)
    assert calls.calls[(2, 1)] == 2 and all(v == 1 for k, v in calls.calls.items() if k != (2, 1))
    assert all(r["status"] == "ok" for r in again.records)


@pytest.mark.parametrize(("out", "message"), [
    ([1.0], "expected a dict"),
    ({"x": 1.0}, "clashes"),
    ({"status": 1.0}, "clashes"),
    ({"y": object()}, "measured value 'y'"),
    ({"y": np.zeros(3)}, "measured value 'y'"),
])
def test_bad_measured_values_fail_the_cell(tmp_path, out, message):
    res = run_sweep(lambda params, ctx: out, grid={"x": [1]}, seeds=[0], store=tmp_path / "s", progress=False)
    assert res.failed == 1 and message in res.records[0]["error"]


def test_measured_values_are_converted_to_json(tmp_path, xp):
    def fn(params, ctx):
        return {"f": np.float32(0.25), "i": np.int64(3), "b": np.bool_(True), "arr": xp.asarray(1.5),
                "nan": math.nan, "label": "ok", "none": None}

    rec = run_sweep(fn, grid={"x": [1]}, seeds=[0], store=tmp_path / "s", progress=False).records[0]
    assert (rec["f"], rec["i"], rec["b"], rec["arr"], rec["label"], rec["none"]) == (0.25, 3, True, 1.5, "ok", None)
    assert rec["nan"] is None  # standard JSON: non-finite numbers are stored as null


def test_experiment_receives_params_and_the_run_context(tmp_path):
    seen = []

    def fn(params, ctx):
        seen.append((params, ctx.replicate, ctx.backend, ctx.device, ctx.scale, ctx.seed, ctx.setting))
        return {}

    res = run_sweep(fn, grid=[{"x": 1}, {"x": 2, "y": "b"}], seeds=[3], store=tmp_path / "s",
                    backend="array-api-strict", device="CPU_DEVICE", scale="paper", run_seed=5, progress=False)
    assert seen == [({"x": 1}, 3, "array_api_strict", "CPU_DEVICE", "paper", 5, None),
                    ({"x": 2, "y": "b"}, 3, "array_api_strict", "CPU_DEVICE", "paper", 5, None)]
    assert [r["device"] for r in res.records] == ["CPU_DEVICE"] * 2
    assert "y" not in res.records[0]


def test_cells_of_a_registered_experiment_get_its_papers_setting(tmp_path, registry):
    from featlearn.papers.cui24 import Setting as Cui24Setting

    register_experiment("t-setting", lambda params, ctx: {"has": ctx.setting == Cui24Setting()},
                        grid={"quick": {"x": [1]}, "paper": {"x": [1]}}, seeds=[0], description="d", paper="cui24")
    (rec,) = run_sweep("t-setting", grid={"x": [1]}, seeds=[0], store=tmp_path / "s", progress=False).records
    assert rec["has"] is True


def test_run_seed_splits_the_sweep_seeds_streams(tmp_path):
    def draw(params, ctx):
        return {"z": float(ctx.rng("z").normal(1)[0])}

    def run(run_seed, name):
        res = run_sweep(draw, grid={"x": [1]}, seeds=[0, 1], store=tmp_path / name, run_seed=run_seed,
                        progress=False)
        return [r["z"] for r in res.records]

    from featlearn.backends import Generator

    zero = run(0, "a")  # run seed 0: the sweep seeds' own streams
    assert zero == [float(Generator(s).child("z").normal(1)[0]) for s in (0, 1)]
    one = run(1, "b")  # another run seed: a child stream of each sweep seed, never seed arithmetic
    assert one == [float(Generator(s).child("run-seed", 1, "z").normal(1)[0]) for s in (0, 1)]
    assert len(set(zero + one)) == 4
    with pytest.raises(ValueError, match="^store: .* different run_seed "):
        run(2, "a")  # a store is resumed only by its own run seed


def test_unusable_backend_fails_cells_not_the_sweep(tmp_path, monkeypatch):
    from featlearn.experiments import _execute

    def broken(backend, device):
        raise ValueError("backend: 'cupy' is not usable on this machine")

    monkeypatch.setattr(_execute, "_device_label", broken)
    res = _sweep(tmp_path / "s", backend="cupy")
    assert res.failed == 8 and "not usable" in res.records[0]["error"]
    assert res.records[0]["device"] == "default"


# -- bad input ----------------------------------------------------------------------------
@pytest.mark.parametrize(("kw", "arg", "text"), [
    (dict(grid={"a": [1], "bogus": [1]}), "grid", "unknown parameter 'bogus'"),
    (dict(grid={}), "grid", "empty"),
    (dict(grid=[]), "grid", "empty"),
    (dict(grid={"a": []}), "grid", "no values"),
    (dict(grid={"a": 3}), "grid", "must be a list"),
    (dict(grid={"a": "123"}), "grid", "must be a list"),
    (dict(grid={"a": [1, 1]}), "grid", "repeated"),
    (dict(grid={"a": [[1, 2]]}), "grid", "JSON scalar"),
    (dict(grid={"a": [math.nan]}), "grid", "not finite"),
    (dict(grid=[{"a": 1}, {"a": 1}]), "grid", "repeated cells"),
    (dict(grid=[3]), "grid", "cell 0"),
    (dict(grid="a"), "grid", "expected a dict"),
    (dict(seeds=[]), "seeds", "empty"),
    (dict(seeds=[0, -1]), r"seeds\[1\]", r"an int in \[0, inf\], got -1"),
    (dict(seeds=[0, 0]), "seeds", "repeated"),
    (dict(backend="tensorflow"), "backend", "unknown backend"),
    (dict(workers=0), "workers", r"an int in \[1, inf\], got 0"),
    (dict(workers=2, scheduler="tcp://x:1"), "workers", "not both"),
    (dict(params=["a", "x", "seed"], grid={"seed": [1]}), "grid", "reserved"),
    (dict(name=""), "name", "non-empty"),
])
def test_bad_sweep_arguments_raise_valueerror_naming_the_argument(tmp_path, kw, arg, text):
    with pytest.raises(ValueError, match=rf"^{arg}:.*{text}"):
        _sweep(tmp_path / "s", **kw)
    assert not (tmp_path / "s").exists()  # nothing is written before validation passes


@pytest.mark.parametrize(("kw", "arg", "text"), [
    (dict(seeds=[1.0]), r"seeds\[0\]", "expected an int, got float"),
    (dict(seeds=[0, True]), r"seeds\[1\]", "expected an int, got bool"),
    (dict(seeds=5), "seeds", "expected a sequence of non-negative ints"),
    (dict(workers=1.5), "workers", "expected an int, got float"),
    (dict(workers=True), "workers", "expected an int, got bool"),
])
def test_bad_sweep_argument_types_raise_typeerror_naming_the_argument(tmp_path, kw, arg, text):
    with pytest.raises(TypeError, match=rf"^{arg}: {text}"):
        _sweep(tmp_path / "s", **kw)
    assert not (tmp_path / "s").exists()


def test_registered_experiment_rejects_unknown_parameters(tmp_path):
    with pytest.raises(ValueError, match="grid: unknown parameter 'm' for experiment 'hermite-mc'; "
                                         "it accepts: n, k, activation"):
        run_sweep("hermite-mc", grid={"m": [10]}, seeds=[0], store=tmp_path / "s")
    with pytest.raises(ValueError, match="^params:"):
        run_sweep("hermite-mc", grid={"n": [10]}, seeds=[0], store=tmp_path / "s", params=["n"])
    with pytest.raises(ValueError, match="^name: unknown experiment 'nope'"):
        run_sweep("nope", grid={"n": [10]}, seeds=[0], store=tmp_path / "s")


@pytest.mark.parametrize(("change", "field"), [
    (dict(grid={"a": [1, 2], "x": [0.5]}), "grid"),
    (dict(seeds=[0, 7, 8]), "seeds"),
    (dict(backend="torch"), "backend"),
    (dict(name="other"), "sweep"),
    (dict(fn=lambda params, ctx: {}), "experiment"),
])
def test_store_of_a_different_sweep_is_refused(tmp_path, change, field):
    _sweep(tmp_path / "s")
    with pytest.raises(ValueError, match=rf"^store: .* different {field} "):
        _sweep(tmp_path / "s", **change)


def test_store_of_an_incompatible_format_version_is_refused(tmp_path):
    _sweep(tmp_path / "s")
    mpath = tmp_path / "s" / "manifest.json"
    man = json.loads(mpath.read_text())
    man["format_version"] = STORE_FORMAT_VERSION + 1
    mpath.write_text(json.dumps(man))
    for call in (lambda: _sweep(tmp_path / "s"), lambda: load_sweep(tmp_path / "s")):
        with pytest.raises(ValueError, match=rf"^store: .*format version {STORE_FORMAT_VERSION + 1}"):
            call()


@pytest.mark.parametrize("content", ["{not json", '{"format": "other"}', "[]"])
def test_foreign_or_corrupt_manifest_is_refused(tmp_path, content):
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "manifest.json").write_text(content)
    with pytest.raises(ValueError, match="^store: "):
        _sweep(tmp_path / "s")


def test_load_sweep_without_a_store_raises(tmp_path):
    with pytest.raises(ValueError, match="^store: no sweep store"):
        load_sweep(tmp_path)


def test_corrupt_record_is_reported_on_load_and_recomputed_on_rerun(tmp_path):
    store = tmp_path / "s"
    _sweep(store)
    victim = sorted((store / "cells").glob("*.json"))[3]
    victim.write_text('{"cell": "trunc')  # as if written by a non-atomic tool
    with pytest.raises(ValueError, match=rf"^store: record .*{victim.name} is unreadable"):
        load_sweep(store)
    res = _sweep(store)
    assert (res.computed, res.skipped) == (1, 7)
    assert len(load_sweep(store, as_frame=False)) == 8


def test_interrupted_write_leaves_no_record_and_is_recomputed(tmp_path, monkeypatch):
    """A crash between the temporary file and os.replace: no record, a stray .tmp that is ignored."""
    from featlearn.experiments import _store

    store = tmp_path / "s"
    real_replace, n = _store.os.replace, {"calls": 0}

    def crash_on_third(src, dst):
        n["calls"] += 1
        if n["calls"] == 4:  # manifest, then records 1, 2; crash while writing record 3
            raise KeyboardInterrupt
        real_replace(src, dst)

    monkeypatch.setattr(_store.os, "replace", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        _sweep(store)
    monkeypatch.setattr(_store.os, "replace", real_replace)
    assert len(list((store / "cells").glob("*.json"))) == 2
    assert not list((store / "cells").glob(".*.tmp"))  # cleaned up when the exception unwound
    (store / "cells" / ".stray.json.abc.tmp").write_text("{partial")  # as SIGKILL would leave it
    assert len(load_sweep(store, as_frame=False)) == 2
    res = _sweep(store)
    assert (res.computed, res.skipped) == (6, 2)


def test_table_is_a_dataframe_when_pandas_is_installed(tmp_path, monkeypatch):
    store = tmp_path / "s"
    res = _sweep(store)
    assert load_sweep(store, as_frame=False) == res.records

    class FakeFrame:
        @classmethod
        def from_records(cls, records):
            frame = cls()
            frame.records = records
            return frame

    monkeypatch.setitem(sys.modules, "pandas", types.SimpleNamespace(DataFrame=FakeFrame))
    frame = load_sweep(store)
    assert isinstance(frame, FakeFrame) and frame.records == res.records
    monkeypatch.setitem(sys.modules, "pandas", None)  # "not installed": import fails
    assert load_sweep(store) == res.records
    with pytest.raises(ImportError, match="pandas"):
        res.table(as_frame=True)


def test_real_pandas_table(tmp_path):
    pd = pytest.importorskip("pandas")
    frame = _sweep(tmp_path / "s").table()
    assert isinstance(frame, pd.DataFrame) and len(frame) == 8 and {"a", "x", "seed", "y"} <= set(frame.columns)


# -- spec helpers (property tests) -------------------------------------------------------
_values = st.lists(st.one_of(st.integers(-5, 50), st.sampled_from(["relu", "tanh"]), st.floats(-1, 1)),
                   min_size=1, max_size=4, unique_by=lambda v: json.dumps(v))


@given(grid=st.dictionaries(st.sampled_from(["n", "k", "act"]), _values, min_size=1),
       seeds=st.lists(st.integers(0, 2**32), min_size=1, max_size=4, unique=True))
def test_tasks_cover_the_product_once_with_stable_distinct_ids(grid, seeds):
    tasks = make_tasks(canonical_grid(grid), seeds)
    assert len(tasks) == math.prod(len(v) for v in grid.values()) * len(seeds)
    assert len({t.id for t in tasks}) == len(tasks)
    assert all(t.id == task_id(dict(t.params), t.seed) for t in tasks)
    assert [t.id for t in make_tasks(canonical_grid(dict(grid)), list(seeds))] == [t.id for t in tasks]


def test_progress_bar_tqdm_plain_line_and_silence(tmp_path, capsys, monkeypatch):
    _sweep(tmp_path / "a", progress=True)
    err = capsys.readouterr().err
    assert "8/8" in err and "affine" in err  # tqdm bar
    monkeypatch.setitem(sys.modules, "tqdm", None)  # tqdm not importable: a plain line
    _sweep(tmp_path / "b", progress=True)
    err = capsys.readouterr().err
    assert "affine" in err and "8/8 cells" in err
    _sweep(tmp_path / "c", progress=False)
    assert capsys.readouterr().err == ""
    _sweep(tmp_path / "c", progress=True)  # nothing left to do: silent
    assert capsys.readouterr().err == ""


# -- plots --------------------------------------------------------------------------------
def _power_records(noise_std=0.2):
    rng = np.random.default_rng(1)
    recs = [{"status": "ok", "n": n, "k": k, "seed": s, "err": k * n**-0.5 * math.exp(noise_std * rng.standard_normal())}
            for n in (10, 100, 1000, 10000) for k in (1, 2) for s in range(4)]
    recs.append({"status": "failed", "n": 10, "k": 1, "seed": 9, "error": "x"})
    return recs


def test_plots_write_png_files(tmp_path):
    pytest.importorskip("matplotlib")
    recs = _power_records()
    for path in (plot_seed_band(recs, x="n", y="err", hue="k", logx=True, logy=True, path=tmp_path / "band.png"),
                 plot_seed_band(recs, x="n", y="err", path=tmp_path / "sub" / "band1.png"),
                 plot_loglog_fit(recs, x="n", y="err", hue="k", reference_slope=-0.5, path=tmp_path / "fit.png")):
        assert path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 5000


def test_plot_bad_fields(tmp_path):
    pytest.importorskip("matplotlib")
    recs = _power_records()
    for kw, arg in ((dict(x="m", y="err"), "x"), (dict(x="n", y="nope"), "y"), (dict(x="n", y="err", hue="h"), "hue")):
        with pytest.raises(ValueError, match=f"^{arg}: no ok record has a field"):
            plot_seed_band(recs, path=tmp_path / "p.png", **kw)
    with pytest.raises(ValueError, match="^records:"):
        plot_loglog_fit({"n": 1}, x="n", y="err", path=tmp_path / "p.png")


def test_core_imports_no_optional_dependency():
    code = ("import sys, featlearn.experiments as e; e.list_experiments(); "
            "print(sorted(m for m in ('matplotlib', 'distributed', 'dask', 'tqdm', 'pandas', 'scipy') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- reports ------------------------------------------------------------------------------
CLAIMS = [
    {"id": "a.one", "paper": "Paper A", "provenance": "stated", "predicted": 0.5, "measured": 0.49, "tolerance": 0.02,
     "comparison": "abs", "compared": "|measured − 0.5| ≤ 0.02", "verdict": "pass", "error": None},
    {"id": "a.two|pipe", "paper": "Paper A", "provenance": "reconstructed", "predicted": [1.0, 2.0],
     "measured": None, "tolerance": None, "verdict": "error", "error": "ValueError: bad\nTraceback ..."},
]


def test_claims_table_columns_and_escaping():
    table = claims_table(CLAIMS).splitlines()
    assert table[0] == "| id | paper | provenance | predicted | measured | compared | null | verdict |"
    assert table[2] == "| `a.one` | Paper A | stated | 0.5 | 0.49 | \\|measured − 0.5\\| ≤ 0.02 | — | pass |"
    assert table[3] == "| `a.two\\|pipe` | Paper A | reconstructed | [1, 2] | — | — | — | **error** |"


def test_write_report(tmp_path):
    pytest.importorskip("matplotlib")
    fig = plot_seed_band(_power_records(), x="n", y="err", path=tmp_path / "elsewhere" / "fig.png")
    recs = _power_records()
    report = write_report(tmp_path / "rep", title="My report", claims_json=CLAIMS, figures=[fig], records=recs,
                          description="What this is.")
    assert report == tmp_path / "rep" / "report.md"
    text = report.read_text()
    assert text.startswith("# My report\n\nWhat this is.")
    assert "2 claims: 1 error, 1 pass" in text and "| `a.one` |" in text
    assert "- `a.two|pipe`: ValueError: bad" in text
    assert "33 records: 32 ok, 1 failed" in text and "### Failed cells" in text
    assert "![fig](fig.png)" in text
    assert (tmp_path / "rep" / "fig.png").read_bytes()[:8] == PNG_MAGIC
    assert json.loads((tmp_path / "rep" / "claims.json").read_text()) == CLAIMS
    assert json.loads((tmp_path / "rep" / "records.json").read_text()) == recs
    with pytest.raises(ValueError, match="^figures: .*missing.png does not exist"):
        write_report(tmp_path / "rep", title="t", figures=[tmp_path / "missing.png"])
    with pytest.raises(ValueError, match="^claims_json:"):
        write_report(tmp_path / "rep", title="t", claims_json={"id": "x"})
    with pytest.raises(ValueError, match="^title:"):
        write_report(tmp_path / "rep", title=" ")


def test_write_report_minimal(tmp_path):
    report = write_report(tmp_path, title="Only records", records=[])
    assert "0 records: 0 ok, 0 failed" in report.read_text()
    assert not (tmp_path / "claims.json").exists() and (tmp_path / "records.json").exists()


def test_write_check_report_from_claim_results(tmp_path):
    pytest.importorskip("matplotlib")
    fig = plot_seed_band(_power_records(), x="n", y="err", path=tmp_path / "f" / "claimfig.png")

    def good(ctx):
        return Outcome(predicted=1.0, measured=1.001, tolerance=0.01, details={"figure": str(fig)})

    def crash(ctx):
        raise RuntimeError("kaput")

    results = [run_claim(Claim("t.good", "math", "-", "stated", "1 = 1", good)),
               run_claim(Claim("t.crash", "ndl23", "-", "reconstructed", "?", crash))]
    report = write_check_report(results, tmp_path / "check")
    text = report.read_text()
    assert "| `t.good` | Standard results | stated | 1 | 1.001 | \\|measured − 1\\| ≤ 0.01 | — | pass |" in text
    assert "![t.good](claim-t.good.png)" in text  # every claim with an outcome has its figure, in its section
    assert "| `t.crash` | Nichani, Damian, Lee 2023 | reconstructed | — | — | — | — | **error** |" in text
    assert "- `t.crash`: RuntimeError: kaput" in text
    assert "![claimfig](claimfig.png)" in text and (tmp_path / "check" / "claimfig.png").is_file()
    assert json.loads((tmp_path / "check" / "claims.json").read_text()) == [r.to_json() for r in results]
    with pytest.raises(ValueError, match="^results:"):
        write_check_report([{"id": "x"}], tmp_path / "check")


# -- registry and reproduce ---------------------------------------------------------------
@pytest.fixture
def registry():
    """Registrations made by a test are removed afterwards."""
    before, claims_before = dict(EXPERIMENTS), dict(REGISTRY)
    yield EXPERIMENTS
    EXPERIMENTS.clear()
    EXPERIMENTS.update(before)
    REGISTRY.clear()
    REGISTRY.update(claims_before)


def _quick_records_figs(records, out_dir):
    return [plot_seed_band(records, x="x", y="y", path=Path(out_dir) / "y.png")]


def test_register_experiment_validation(registry):
    good = dict(grid={"quick": {"x": [1]}, "paper": {"x": [1, 2]}}, seeds=range(2), description="d", paper="math")
    exp = register_experiment("t-ok", affine, **good)
    assert exp.params == ("x",) and exp.seeds == {"quick": (0, 1), "paper": (0, 1)}
    assert get_experiment("t-ok") is exp and exp in list_experiments()
    cases = [
        (("t-ok", affine), {}, "^name: experiment 't-ok' is registered twice"),
        (("Bad Name", affine), {}, "^name: expected a lower-case id"),
        (("t-2", affine), dict(paper="nature"), "^paper: unknown key"),
        (("t-2", affine), dict(grid={"quick": {"x": [1]}}), "^grid: missing scale"),
        (("t-2", affine), dict(grid={"x": [1]}), "^grid: expected a dict with one grid per scale"),
        (("t-2", affine), dict(params=["y"]), "^grid: unknown parameter 'x'"),
        (("t-2", affine), dict(seeds={"quick": [0], "paper": [-2]}), r"^seeds\[0\]: expected an int in \[0, inf\]"),
        (("t-2", affine), dict(description=""), "^description:"),
    ]
    for args, change, match in cases:
        with pytest.raises(ValueError, match=match):
            register_experiment(*args, **{**good, **change})
    with pytest.raises(TypeError, match="^fn:"):
        register_experiment("t-3", "not callable", **good)


def test_hermite_mc_is_registered_and_measures_mu2(backend):
    exp = get_experiment("hermite-mc")
    assert "hermite-mc" in [e.name for e in list_experiments()]
    assert exp.params == ("n", "k", "activation") and exp.paper == "math"
    def cell_ctx(b):
        return make_context(backend=b, setting=MathSetting).for_replicate(3)

    out = hermite_mc({"n": 2**14}, cell_ctx(backend))
    assert out["predicted"] == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-12)
    assert out["abs_error"] <= 5 * out["std_error"]  # 5 Monte-Carlo standard errors
    assert out == hermite_mc({"n": 2**14, "k": 2, "activation": "relu"}, cell_ctx(backend))
    if backend != "numpy":  # host-drawn numbers: the same estimate on every CPU backend
        assert out["estimate"] == pytest.approx(hermite_mc({"n": 2**14}, cell_ctx("numpy"))["estimate"], rel=1e-12)


def test_reproduce_hermite_mc_end_to_end(tmp_path):
    pytest.importorskip("matplotlib")
    out = reproduce("hermite-mc", out_dir=tmp_path, progress=False)
    assert out == tmp_path / "hermite-mc-quick-numpy"
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "claims.json", "records.json", "abs_error_loglog.png", "estimate_band.png", "store"} <= names
    claims = json.loads((out / "claims.json").read_text())
    assert [c["id"] for c in claims] == ["math.hermite-mc-rate"]
    for c in claims:  # the Monte-Carlo rate n^(-1/2) within 4 standard deviations of the fitted slope
        assert c["verdict"] == "pass" and c["predicted"] == -0.5 and c["null_fails"] is True
        for fit in c["details"]["fits"].values():  # every degree k of the sweep
            assert abs(fit["z"]) <= 4 and c["details"]["slope_sd"] < 0.1
    records = json.loads((out / "records.json").read_text())
    exp = get_experiment("hermite-mc")
    assert len(records) == 12 * 2 * 8 == len(exp.seeds_at("quick")) * 24
    assert all(r["status"] == "ok" for r in records)
    text = (out / "report.md").read_text()
    assert "| `math.hermite-mc-rate` | Standard results | stated | -0.5 |" in text
    assert "![abs_error_loglog](abs_error_loglog.png)" in text
    # resumable: a second run computes nothing
    reproduce("hermite-mc", out_dir=tmp_path, progress=False)
    assert "this run computed 0, reused 192" in (out / "report.md").read_text()
    assert load_sweep(out / "store", as_frame=False) == records


def test_reproduce_reports_failed_cells_and_broken_builders(tmp_path, registry):
    pytest.importorskip("matplotlib")

    def half_broken(params, ctx):
        if params["x"] == 2:
            raise ZeroDivisionError("x = 2 is bad")
        return {"y": float(params["x"] + ctx.replicate)}

    register_experiment("t-broken", half_broken, grid={"quick": {"x": [1, 2, 3]}, "paper": {"x": [1]}},
                        seeds=[0, 1], description="test", paper="math", figures=_quick_records_figs)

    @claim(kind="identity", id="math.t-broken-claim", paper="math", where="-", provenance="stated", statement="reads t-broken",
           experiment="t-broken")
    def _bad_claim(ctx, records):
        raise KeyError("missing")

    out = reproduce("t-broken", out_dir=tmp_path, progress=False)
    text = (out / "report.md").read_text()
    assert "6 records: 4 ok, 2 failed" in text and "ZeroDivisionError: x = 2 is bad" in text
    assert "(4 ok, 2 failed)" in text and "![y](y.png)" in text
    claims = json.loads((out / "claims.json").read_text())
    assert claims[0]["id"] == "math.t-broken-claim" and claims[0]["verdict"] == "error"
    assert "KeyError" in claims[0]["error"]

    def no_figs(records, out_dir):
        raise ValueError("cannot draw")

    register_experiment("t-nofig", half_broken, grid={"quick": {"x": [1]}, "paper": {"x": [1]}}, seeds=[0],
                        description="test", paper="math", figures=no_figs)
    with pytest.warns(RuntimeWarning, match="figures of t-nofig failed: ValueError: cannot draw"):
        out = reproduce("t-nofig", out_dir=tmp_path, progress=False)
    assert "**Figures failed: ValueError: cannot draw**" in (out / "report.md").read_text()


def test_reproduce_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="^name: unknown experiment 'nope'"):
        reproduce("nope", out_dir=tmp_path)
    with pytest.raises(ValueError, match="^scale:"):
        reproduce("hermite-mc", out_dir=tmp_path, scale="huge")
    with pytest.raises(ValueError, match="^backend:"):
        reproduce("hermite-mc", out_dir=tmp_path, backend="nope")


def test_reproduce_report_directory_uses_the_normalised_backend_name(tmp_path, registry):
    register_experiment("t-tiny", affine, grid={"quick": {"a": [2], "x": [1.5]}, "paper": {"a": [2], "x": [1.5]}},
                        seeds=[4], description="tiny", paper="math")
    out = reproduce("t-tiny", out_dir=tmp_path, backend="array-api-strict", progress=False)
    assert out == tmp_path / "t-tiny-quick-array_api_strict"
    rec = json.loads((out / "records.json").read_text())[0]
    assert (rec["y"], rec["backend"], rec["sweep"]) == (7.0, "array_api_strict", "t-tiny-quick")
    assert not (out / "claims.json").exists()  # no claims builder: no claims table


@pytest.mark.parametrize("claim_json", [
    {"id": "x.count", "comparison": "equal", "predicted": 4.0, "measured": 4.0, "tolerance": 0.0, "verdict": "pass",
     "compared": "measured = 4"},
    {"id": "x.bound", "comparison": "at_most", "threshold": 0.5, "measured": 0.7, "tolerance": 0.0,
     "verdict": "fail", "compared": "measured ≤ 0.5"},
    {"id": "x.band", "comparison": "interval", "threshold": [0.4, 0.8], "measured": 0.6, "tolerance": 0.0,
     "verdict": "pass", "compared": "0.4 ≤ measured ≤ 0.8"},
])
def test_claim_outcome_figure_for_every_comparison(tmp_path, claim_json):
    pytest.importorskip("matplotlib")
    from featlearn.experiments import plot_claim_outcome

    p = plot_claim_outcome(claim_json, path=tmp_path / "c.png")  # warnings are errors in this suite
    assert p.read_bytes()[:8] == PNG_MAGIC


def test_report_explains_each_claim(tmp_path):
    """report.md states each claim: statement, setting, prediction vs measurement with the inequality, rationale,
    xfail reason."""
    from featlearn.experiments import write_report

    claim = {"id": "t.x", "paper": "P", "where": "Thm 1", "provenance": "reconstructed", "statement": "x is 1",
             "quantity": "x (dimensionless)", "predicted": 1.0, "threshold": None, "measured": 1.5, "tolerance": 0.1,
             "compared": "|measured − 1| ≤ 0.1", "verdict": "xfail", "tolerance_note": "3 s.e.",
             "known_discrepancy": "finite size: 1.5 at n = 10", "setting": {"n": 10}, "setting_changes": {"n": 10}}
    text = write_report(tmp_path, title="t", claims_json=[claim]).read_text()
    section = text.split("## Each claim")[1]
    for part in ("x is 1", "x (dimensionless)", "`n = 10`", "predicted 1, measured 1.5", "|measured − 1| ≤ 0.1",
                 "does not hold", "3 s.e.", "why it is xfail", "finite size: 1.5 at n = 10"):
        assert part in section, part
