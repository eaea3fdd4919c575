"""The registered Cui et al. 2024 claims: metadata, a quick run on NumPy, and a wrong measurement that fails."""

from __future__ import annotations

import pytest

from featlearn.claims import REGISTRY, RunContext
from featlearn.papers.cui24 import Setting
from featlearn.papers.cui24 import claims as cui24

IDS = ["cui24.learning-curve", "cui24.no-step-random-features", "cui24.test-error-sin", "cui24.test-error-tanh"]


def test_metadata():
    ours = sorted(c for c in REGISTRY if c.startswith("cui24."))
    assert ours == IDS
    for cid in IDS:
        c = REGISTRY[cid]
        assert c.paper == "cui24" and c.provenance == "reconstructed"
        assert c.statement and c.where and c.tolerance_note and c.experiment in ("cui24-one-step", "cui24-curve")


def test_quick_run_on_numpy():
    from featlearn.experiments import run_check

    results = run_check([REGISTRY[c] for c in IDS], backend="numpy", scale="quick", seed=0, progress=False)
    for r in results:
        assert r.verdict == "pass", (r.claim.id, r.verdict, r.error, r.outcome)


def _records(scale: str, factor: float, grid):
    """Records whose measured value is the theory's times ``factor`` (4 seeds, spread ±2 %)."""
    from featlearn.papers.cui24.experiments import theory
    from featlearn.papers.cui24.spiked_random_features import random_features_ridge_error

    out = []
    for cell in grid(Setting.at(scale)):
        if cell["eta_tilde"] == 0.0:
            pred = random_features_ridge_error("tanh", "tanh", alpha=cell["alpha"], lam=cell["lam"])["test_excess"]
        else:
            pred = theory(cell["link"], **{k: cell[k] for k in ("eta_tilde", "alpha0", "alpha", "lam")}).test_excess
        out += [dict(cell, seed=s, status="ok", test_excess=pred * factor * (1 + 0.02 * (s - 1.5)))
                for s in range(4)]
    return out


@pytest.mark.parametrize("cid,grid", [("cui24.test-error-tanh", "one_step"), ("cui24.test-error-sin", "one_step"),
                                      ("cui24.learning-curve", "curve"), ("cui24.no-step-random-features", "curve")])
def test_claim_fails_when_measurement_is_wrong(cid, grid):
    import array_api_compat.numpy as xp
    from featlearn.papers.cui24 import experiments as ex

    make = ex.one_step_grid if grid == "one_step" else ex.curve_grid
    ctx = RunContext(xp=xp, scale="quick", setting=Setting())
    assert REGISTRY[cid].fn(ctx, _records("quick", 1.0, make)).passes()
    assert not REGISTRY[cid].fn(ctx, _records("quick", 1.5, make)).passes()

