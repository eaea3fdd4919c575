"""Every standard-results prediction has a null (a plausible wrong constant or rate) that fails its verdict."""

from __future__ import annotations

import math

import pytest

from featlearn.claims import REGISTRY, Outcome
from featlearn.papers.math import Setting
from featlearn.papers.math import claims as mc
from featlearn.papers.math.experiments import VAR_LOG_ABS_NORMAL, rate_slope_sd

PREDICTS = [mc.predict_relu_hermite, mc.predict_sphere_fourth_moment, mc.predict_single_index_hermite,
            mc.predict_hermite_mc_rate]


def test_every_claim_is_a_prediction():
    for cid in (c for c in REGISTRY if REGISTRY[c].paper == "math"):
        assert REGISTRY[cid].kind == "prediction", cid


@pytest.mark.parametrize("scale", ["quick", "paper"])
@pytest.mark.parametrize("fn", PREDICTS)
def test_null_fails(fn, scale):
    p = fn(Setting.at(scale))
    assert p.null is not None and p.null_theory
    assert not Outcome(predicted=p.predicted, measured=p.null, tolerance=p.tolerance,
                       comparison=p.comparison).passes()


def test_null_values():
    assert mc.predict_sphere_fourth_moment(Setting()).null == 3.0
    assert mc.predict_relu_hermite(Setting()).null == pytest.approx(1 / (2 * math.sqrt(math.pi)))
    rate = mc.predict_hermite_mc_rate(Setting())
    assert rate.null == -0.25 and rate.tolerance < 0.25  # a quarter-power rate is outside the band


def test_rate_slope_sd():
    # Var log|Z| = π²/8 (Z ~ N(0,1)); the slope's s.d. falls as 1/√seeds and with a wider grid
    assert VAR_LOG_ABS_NORMAL == pytest.approx(1.2337005501361697)
    ns = [2**j for j in range(10, 22)]
    assert rate_slope_sd(ns, 32) == pytest.approx(rate_slope_sd(ns, 8) / 2)
    assert rate_slope_sd([2**j for j in range(10, 23)], 20) < rate_slope_sd(ns, 8)
    with pytest.raises(ValueError, match="ns"):
        rate_slope_sd([64, 64], 3)
