"""SWL23 claims' predict(setting): theory on a setting, nothing trained (docs/papers/swl23.md)."""

from __future__ import annotations

import math

import pytest

import featlearn.papers.swl23  # noqa: F401  (registers the paper and its claims)
from featlearn.claims import Prediction, select
from featlearn.papers.swl23 import Setting
from featlearn.papers.swl23 import claims as C

CLAIMS = select("swl23.*")


def _finite(v) -> bool:
    if v is None:
        return True
    if isinstance(v, tuple):
        return all(math.isfinite(float(u)) for u in v)
    return math.isfinite(float(v))


@pytest.mark.parametrize("c", CLAIMS, ids=[c.id for c in CLAIMS])
def test_every_claim_predicts_finite_values_on_the_quick_setting(c):
    assert c.predict is not None and c.quantity
    p = c.prediction(Setting())
    assert isinstance(p, Prediction)
    assert _finite(p.predicted) and _finite(p.tolerance)
    assert p.formula and p.tolerance_rule
    assert (p.predicted is not None and p.tolerance is not None) or p.needs_run
    assert "reconstructed" in p.formula or "our derivation" in p.formula


@pytest.mark.parametrize("c", CLAIMS, ids=[c.id for c in CLAIMS])
@pytest.mark.parametrize("bad", [None, "quick", {"separation": 3.0}, 3])
def test_bad_setting_types_fail(c, bad):
    with pytest.raises(TypeError, match="setting"):
        c.predict(bad)


def test_xor_predictions_follow_the_bayes_error_of_the_setting():
    """Bayes error of the XOR mixture falls with the separation: both XOR claims move with it."""
    near, far = Setting(), Setting().replace(separation=5.0)
    a, b = C.predict_xor_trained_near_bayes(near), C.predict_xor_trained_near_bayes(far)
    assert 0.0 < b.predicted < a.predicted < 0.5
    assert a.predicted == pytest.approx(0.0333, abs=5e-4)
    ra, rb = C.predict_xor_random_features_chance(near), C.predict_xor_random_features_chance(far)
    assert rb.predicted > ra.predicted and rb.tolerance == pytest.approx(0.5 * rb.predicted)
    assert ra.predicted == pytest.approx(0.5 - a.predicted)


def test_parity_predictions_follow_the_setting():
    s = Setting()
    assert C.predict_parity_feature_hit(s.replace(feature_p=0.1)).predicted == 0.1
    even = C.predict_parity_even_k(s)
    assert even.predicted == 0.0 and even.tolerance is None and even.needs_run
    # the odd order's strong-signal correlation 2 p_A √k grows with p_A
    hi = C.predict_parity_even_k(s.replace(parity_p_A=0.3))
    assert hi.details["odd_predicted"] > even.details["odd_predicted"] > 0
    assert even.details["odd_predicted"] == pytest.approx(2 * s.parity_p_A * math.sqrt(s.parity_odd_k))


def test_crossing_predictions_k2_asymptotic_k3_finite_d():
    """k = 2: the exponent 2 on any grid, null 1; k = 3: the finite-d slope needs the run (asymptotic 3 reported)."""
    from featlearn.claims import Outcome

    s = Setting()
    k2 = C.predict_uniform_parity_crossing_k2(s)
    assert k2.predicted == 2.0 and k2.null == 1.0
    assert Outcome(predicted=k2.predicted, measured=k2.null, tolerance=k2.tolerance,
                   comparison=k2.comparison).passes() is False
    k3 = C.predict_uniform_parity_crossing_k3(s)
    assert k3.predicted is None and k3.null is None and "null" in k3.needs_run
    assert k3.details["asymptotic_exponent"] == 3.0
    other = s.replace(crossing_d_k2=(16, 32), crossing_d_k3=(12, 24))
    assert C.predict_uniform_parity_crossing_k2(other).predicted == 2.0
    assert C.predict_uniform_parity_crossing_k3(other).details["d_grid"] == [12, 24]


def test_static_nulls_fail_at_quick_scale():
    """The nulls fixed by the setting alone fail their own comparison (null in the measurement's place)."""
    from featlearn.claims import Outcome

    s = Setting()
    for p in (C.predict_parity_even_k(s), C.predict_xor_random_features_chance(s),
              C.predict_uniform_parity_crossing_k2(s)):
        tol = p.tolerance if p.tolerance is not None else 4 * 0.004  # parity-even-k: 4 SE at quick scale
        assert p.null is not None and p.null_theory
        assert Outcome(predicted=p.predicted, measured=p.null, tolerance=tol, comparison=p.comparison).passes() is False


def test_bounds_and_run_supplied_values():
    s = Setting()
    assert C.predict_bound_below_chance(s).predicted == 0.5
    assert C.predict_mixture_gradient_closed_form(s).null is None  # the null (RMS against 2G) needs the run
    assert C.predict_bound_below_chance(s.replace(bound_C=2.0)).details["C"] == 2.0
    assert C.predict_lottery_ticket(s).predicted is None and C.predict_lottery_ticket(s).tolerance == 0.01
    assert C.predict_lottery_ticket_beats_random(s).predicted == 0.01
    first = C.predict_first_step_identity(s)
    assert first.predicted == 0.0 and first.tolerance is None and "eps" in first.needs_run
    assert C.predict_mixture_gradient_closed_form(s).predicted == 1.0
