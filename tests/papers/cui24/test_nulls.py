"""Every cui24 prediction has a null that fails at every cell it could be compared at; the two experiments draw
independent streams."""

from __future__ import annotations

import pytest

from featlearn.claims import REGISTRY, Outcome
from featlearn.papers.cui24 import Setting
from featlearn.papers.cui24 import claims as cc


def _fails(pred, null, p):
    return not Outcome(predicted=pred, measured=null, tolerance=p.tolerance, comparison=p.comparison).passes()


def test_every_claim_is_a_prediction():
    for cid in (c for c in REGISTRY if REGISTRY[c].paper == "cui24"):
        assert REGISTRY[cid].kind == "prediction", cid


@pytest.mark.parametrize("scale", ["quick", "paper"])
def test_nulls_fail_at_every_cell(scale):
    s = Setting.at(scale)
    for fn in (cc.predict_test_error_tanh, cc.predict_test_error_sin):
        p = fn(s)
        assert p.null_theory and p.null is None  # the cell compared is the run's worst
        for c in p.details["cells"]:
            assert _fails(c["predicted"], c["null_no_step"], p), c
    p = cc.predict_learning_curve(s)
    for c in p.details["cells"]:
        assert _fails(c["predicted"], c["predicted_no_step"], p), c
    p = cc.predict_no_step_random_features(s)
    for c in p.details["cells"]:
        assert _fails(c["predicted"], c["null_spiked"], p), c


def test_curve_and_one_step_draw_independent_streams():
    from featlearn.backends import get_namespace
    from featlearn.claims import RunContext
    from featlearn.papers.cui24.experiments import measure, measure_curve

    s = Setting().replace(d=24, n_test=200)
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=0).with_setting(s).for_replicate(0)
    cell = {"link": "tanh", "eta_tilde": 2.0, "alpha0": 4.0, "alpha": 2.0, "lam": 0.05}
    a, b = measure(cell, ctx), measure_curve(cell, ctx)
    assert a["test_excess"] != b["test_excess"]
    assert measure(cell, ctx) == a  # each is reproducible
