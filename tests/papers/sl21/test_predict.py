"""SL21's claim predictions: theory on a Setting, nothing trained (featlearn/papers/sl21/claims.py)."""

from __future__ import annotations

import math

import pytest

import featlearn.papers.sl21  # noqa: F401  (registers the paper)
from featlearn.claims import REGISTRY, Prediction
from featlearn.papers.sl21 import Setting
from featlearn.papers.sl21 import claims as C
from featlearn.papers.sl21.separation import THEOREM3_LEVEL

PREDICTS = {
    "sl21.radius-laws": C.predict_radius_laws,
    "sl21.bessel-normalisation": C.predict_bessel_normalisation,
    "sl21.class-balance": C.predict_class_balance,
    "sl21.strong-represents": C.predict_strong_represents,
    "sl21.linear-readout-above": C.predict_linear_readout_above,
    "sl21.gd-monotone": C.predict_gd_monotone,
    "sl21.weak-gd-above-400": C.predict_weak_gd_above_400,
    "sl21.gd-progress-spectrum": C.predict_gd_progress_spectrum,
}


def _values(p: Prediction) -> list[float]:
    v = p.predicted
    return [*(v if isinstance(v, tuple) else (v,)), p.tolerance]


@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_predict_on_quick_setting_is_finite_and_registered(cid):
    c = REGISTRY[cid]
    assert c.predict is PREDICTS[cid] and c.quantity
    p = c.prediction(Setting())
    assert isinstance(p, Prediction)
    assert all(math.isfinite(float(v)) for v in _values(p))
    assert p.formula and p.tolerance_rule
    assert p.compared() is not None
    # a null in the Prediction, or one the run supplies (then needs_run says so)
    assert p.null is not None or "null" in p.needs_run
    p.to_json()  # JSON-serialisable


@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_predict_refuses_a_bad_setting_type(cid):
    for bad in (None, {"n": 10}, "quick"):
        with pytest.raises(TypeError, match="setting"):
            PREDICTS[cid](bad)


def test_sampler_claims_follow_the_sample_size():
    """The DKW bound shrinks like n^{-1/2}; the class-balance fractions follow d; Bessel lists its d."""
    q = Setting()
    p1, p4 = C.predict_radius_laws(q), C.predict_radius_laws(q.replace(radius_laws_n=4 * q.radius_laws_n))
    assert p4.tolerance == pytest.approx(p1.tolerance / 2, rel=1e-12)
    assert p1.tolerance == pytest.approx(math.sqrt(math.log(2 / (1e-3 / 3)) / (2 * q.radius_laws_n)))
    b = C.predict_class_balance(q)
    assert b.details["P_by_law"]["sphere_sum"]["P"] == pytest.approx(0.5, abs=1e-12)  # ⟨x₁, x₂⟩ symmetric
    assert b.details["P_by_law"]["cauchy"]["P"] == pytest.approx(2 / math.pi * math.atan(math.sqrt(2)), abs=1e-9)
    b8 = C.predict_class_balance(q.replace(class_balance_d=8, class_balance_n=4 * q.class_balance_n))
    assert b8.tolerance == b.tolerance == 4.0  # in standard-error units: no n dependence
    assert b8.details["P_by_law"]["mu"]["P"] != b.details["P_by_law"]["mu"]["P"]
    assert b8.details["P_by_law"]["sphere_sum"]["se"] == pytest.approx(b.details["P_by_law"]["sphere_sum"]["se"] / 2)
    assert C.predict_bessel_normalisation(q.replace(bessel_ds=(2, 64))).details["ds"] == [2, 64]


def test_separation_claims_level_is_theorem3_and_width_enters_theorem8():
    q = Setting()
    wide = q.replace(separation_width=2 * q.separation_width, weak_width=128, n=500)
    for f in (C.predict_strong_represents, C.predict_linear_readout_above, C.predict_weak_gd_above_400):
        assert f(q).predicted == f(wide).predicted == THEOREM3_LEVEL  # Theorem 3's level does not move with sizes
    assert C.predict_gd_progress_spectrum(q).predicted == 1.0  # a ratio to the spectral prediction
    m1, m2 = C.predict_gd_monotone(q), C.predict_gd_monotone(wide)
    assert m2.details["theorem8_stated_step"] == pytest.approx(m1.details["theorem8_stated_step"] / 2)
    assert m2.details["theorem8_T_at_stated_step"] > m1.details["theorem8_T_at_stated_step"]
    assert C.predict_gd_monotone(q).tolerance == 1e-12
    # Theorem 3's running-time threshold grows with d
    t = C.predict_weak_gd_above_400(q.replace(separation_d=(4, 8), represent_d=4)).details[
        "theorem3_time_c1=c2=1_by_d"]
    assert t[8] > t[4]


def test_theorem3_needs_d_at_least_4():
    with pytest.raises(ValueError, match="separation_d"):
        C.predict_weak_gd_above_400(Setting().replace(separation_d=(3,)))
    with pytest.raises(ValueError, match="represent_d"):
        C.predict_strong_represents(Setting().replace(separation_d=(8,)))


def test_claim_outcome_uses_the_prediction():
    """The run's Outcome is the Prediction's (evaluate_claim's check): a fabricated measurement passes it."""
    from featlearn.claims._registry import check_prediction

    q = Setting()
    for cid, f in PREDICTS.items():
        p = f(q)
        check_prediction(REGISTRY[cid], p, p.outcome(0.1))


def test_prediction_nulls_fail_at_quick_and_paper():
    """The nulls fixed before the run (radius laws: D'_d at dimension d + 1; class balance: μ_d without its
    Bessel half) fail their claims' verdicts, at both scales."""
    from featlearn.claims import Outcome

    for s in (Setting(), Setting.at("paper")):
        for f in (C.predict_radius_laws, C.predict_class_balance):
            p = f(s)
            assert p.null is not None and p.null_theory
            assert Outcome(p.predicted, p.null, p.tolerance, p.comparison).passes() is False, (f.__name__, p.null)
    assert C.predict_radius_laws(Setting()).null > 0.025  # sup |CDF_5 − CDF_6| ≈ 0.030 > DKW 0.015
    assert C.predict_class_balance(Setting()).null > 30  # ≈ 40 standard errors
