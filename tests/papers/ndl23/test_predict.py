"""predict(setting) of every NDL23 claim: finite on the quick setting, moves with the setting where theory
says so, refuses what is not an NDL23 Setting."""

from __future__ import annotations

import math

import pytest

from featlearn.claims import REGISTRY, Prediction
from featlearn.papers.ndl23 import Setting
from featlearn.papers.ndl23 import claims as ndl23
from featlearn.papers.ndl23.sample_complexity import radial_relu_rf_floor
from featlearn.papers.ndl23.setting import SHIFTED_RELU

IDS = sorted(c for c in REGISTRY if REGISTRY[c].paper == "ndl23")
QUICK = Setting()


def _finite(v) -> bool:
    if isinstance(v, tuple):
        return all(_finite(x) for x in v)
    return math.isfinite(float(v))


@pytest.mark.parametrize("cid", IDS)
def test_every_claim_predicts_on_the_quick_setting(cid):
    c = REGISTRY[cid]
    assert c.predict is not None and c.quantity, cid
    p = c.prediction(QUICK)
    assert isinstance(p, Prediction)
    assert p.formula and p.tolerance_rule, cid
    assert p.predicted is not None or p.needs_run, cid
    assert p.tolerance is not None or p.needs_run, cid
    if p.predicted is not None:
        assert _finite(p.predicted), cid
    if p.tolerance is not None:
        assert _finite(p.tolerance) and p.tolerance >= 0, cid
    p.to_json()  # serialisable


@pytest.mark.parametrize("cid", IDS)
def test_predict_refuses_other_setting_types(cid):
    with pytest.raises(TypeError, match="setting"):
        REGISTRY[cid].predict({"eig_d": 16})
    with pytest.raises(TypeError, match="setting"):
        REGISTRY[cid].predict(None)


def test_kernel_eigenvalue_moves_with_d():
    # λ₂ of the ReLU random-feature kernel on the sphere decays with d (≈ 1/d² scale)
    a = ndl23.predict_kernel_degree2_eigenvalue(QUICK)
    b = ndl23.predict_kernel_degree2_eigenvalue(QUICK.replace(eig_d=32))
    assert a.tolerance is None and "standard error" in a.needs_run
    assert 0 < b.predicted < a.predicted


def test_single_index_exponent_is_about_one_and_moves_with_the_d_grid():
    p = ndl23.predict_single_index_sample_exponent(QUICK)
    assert abs(p.predicted - 1.0) < 0.1 and p.tolerance == ndl23.SI_EXPONENT_TOL
    q = ndl23.predict_single_index_sample_exponent(QUICK.replace(si_ds=(8, 16)))
    assert q.predicted != p.predicted
    assert len(q.details["n_star_predicted"]) == 2


def test_feature_correlation_guide_moves_with_width():
    p = ndl23.predict_feature_correlation_curve(QUICK)
    q = ndl23.predict_feature_correlation_curve(QUICK.replace(quad_m2_per_d2=1))
    assert p.predicted is None and p.tolerance == ndl23.CORR_CURVE_TOL
    # a narrower inner layer lowers the predicted correlation (the 1/m2 term of E‖Qφ̂‖²)
    assert all(a > b for a, b in zip(p.details["gaussian_approx_predicted"], q.details["gaussian_approx_predicted"]))


def test_quadratic_exponent_guide_is_near_two():
    p = ndl23.predict_quadratic_sample_exponent(QUICK)
    assert p.predicted is None and p.tolerance == ndl23.QUAD_EXPONENT_TOL
    assert 1.5 < p.details["gaussian_approx_exponent"] < 2.5


def test_rank_and_comparison_claims_are_thresholds():
    p = ndl23.predict_loss_falls_as_correlation_rises(QUICK)
    assert (p.comparison, p.tolerance, p.details["runs"]) == ("at_most", 0.0, 8)
    assert p.predicted == pytest.approx(ndl23.spearman_null_threshold(8)) == pytest.approx(-0.905, abs=1e-3)
    p = ndl23.predict_quadratic_sweep_loss_vs_correlation(QUICK)
    assert (p.comparison, p.tolerance, p.details["runs_per_d"]) == ("at_most", 0.0, 12)
    assert p.predicted == pytest.approx(ndl23.spearman_null_threshold(12, strata=2)) == pytest.approx(-0.659, abs=1e-3)
    p = ndl23.predict_three_layer_beats_two_layer(QUICK)
    assert (p.predicted, p.comparison, p.tolerance) == (pytest.approx(0.8727, abs=1e-4), "at_most", 0.0)
    assert ndl23.predict_three_layer_beats_two_layer(QUICK.replace(beat_d=8)).details["m2"] == 8 * 64
    q = ndl23.predict_quadratic_sweep_loss_vs_correlation(QUICK.replace(sweep_ds=(8,)))
    assert q.details["d"] == [8]


def test_radial_floor_by_quadrature_moves_with_d_and_matches_monte_carlo():
    p = ndl23.predict_radial_depth_separation(QUICK)
    assert p.predicted is None and p.tolerance == 0.0 and p.comparison == "at_most"
    floor = p.details["floor_quadrature"]
    assert 0.5 < floor < 0.55  # the quick check's Monte-Carlo floor at d = 32 is 0.524 (s.e. < 0.005)
    q = ndl23.predict_radial_depth_separation(QUICK.replace(radial_d=8))
    assert q.details["floor_quadrature"] != floor
    # identity link: corr(‖x‖², ‖x‖)² → 1, the floor → 0 as d grows
    assert radial_relu_rf_floor("identity", 64) < radial_relu_rf_floor("identity", 8) < 0.05


def test_radial_floor_matches_a_monte_carlo_estimate():
    import numpy as np

    X = np.random.default_rng(0).standard_normal((200_000, 8))
    t = (X * X).sum(1)
    f = np.maximum((t - 8) / np.sqrt(8) - 1.0, 0.0)
    mc = 1 - np.corrcoef(f, np.sqrt(t))[0, 1] ** 2
    assert abs(radial_relu_rf_floor(SHIFTED_RELU, 8) - mc) < 0.01
