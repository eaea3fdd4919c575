"""The paper experiments of ``featlearn reproduce`` run end to end at tiny sizes."""

from __future__ import annotations

import math

import pytest

from featlearn.experiments import get_experiment, list_experiments, run_sweep


def test_paper_experiments_are_registered():
    names = {e.name for e in list_experiments()}
    assert {"ndl23-quadratic", "mlhd23-one-step"} <= names
    assert get_experiment("ndl23-quadratic").paper == "ndl23"
    assert get_experiment("mlhd23-one-step").paper == "mlhd23"


@pytest.mark.parametrize("name, grid", [
    ("ndl23-quadratic", {"d": [4], "n": [128, 512], "m1": [16], "n_eval": [256]}),
    ("mlhd23-one-step", {"alpha": [0.0, 0.3], "residual": ["y"], "n": [300], "width": [60]}),
])
def test_paper_experiment_cells_give_finite_records(tmp_path, name, grid):
    res = run_sweep(name, grid=grid, seeds=[0], store=tmp_path / name, progress=False)
    assert not res.failed, [r.get("error") for r in res.records]
    for rec in res.records:
        values = {k: v for k, v in rec.items() if k in ("corr", "test_nmse", "test_excess", "train_error")}
        assert values and all(math.isfinite(v) for v in values.values()), rec
    # same seed, same result: a second store recomputes identical values
    again = run_sweep(name, grid=grid, seeds=[0], store=tmp_path / (name + "-again"), progress=False)
    key = "corr" if name.startswith("ndl23") else "test_excess"
    assert [r[key] for r in res.records] == [r[key] for r in again.records]


def test_unknown_parameter_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="grid: unknown parameter"):
        run_sweep("mlhd23-one-step", grid={"alpha": [0.1], "depth": [3]}, seeds=[0], store=tmp_path, progress=False)
