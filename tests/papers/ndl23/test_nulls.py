"""Every NDL23 prediction and bound has a null (the value a plausible wrong theory gives) that fails its verdict."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from featlearn.backends import get_namespace
from featlearn.claims import REGISTRY, Outcome, RunContext
from featlearn.papers.ndl23 import Setting
from featlearn.papers.ndl23 import claims as ndl23

QUICK = Setting()


def _fails(predicted, null, tolerance, comparison) -> bool:
    return not Outcome(predicted=predicted, measured=null, tolerance=tolerance, comparison=comparison).passes()


def test_every_claim_declares_a_kind():
    for cid in (c for c in REGISTRY if REGISTRY[c].paper == "ndl23"):
        assert REGISTRY[cid].kind in ("prediction", "bound"), cid


def test_kernel_eigenvalue_null_fails_on_a_quick_run():
    # the wrong degree's eigenvalue λ₄ against the run's own tolerance (5 Monte-Carlo standard errors)
    p = ndl23.predict_kernel_degree2_eigenvalue(QUICK)
    assert p.null == pytest.approx(p.details["eigenvalues"][4]) and p.null < 0.01 * p.predicted
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=0).with_setting(QUICK)
    out = REGISTRY["ndl23.kernel-degree2-eigenvalue"].fn(ctx)
    assert out.passes()
    assert _fails(out.predicted, p.null, out.tolerance, out.comparison)


def test_feature_correlation_null_fails_at_every_n():
    p = ndl23.predict_feature_correlation_curve(QUICK)
    assert p.null == 0.0
    for pred in p.details["gaussian_approx_predicted"]:  # the predicted curve at every n of the grid
        assert _fails(pred, p.null, p.tolerance, p.comparison)


@pytest.mark.parametrize("fn", [ndl23.predict_quadratic_sample_exponent, ndl23.predict_single_index_sample_exponent])
def test_exponent_nulls_fail(fn):
    p = fn(QUICK)
    pred = p.predicted if p.predicted is not None else p.details["gaussian_approx_exponent"]
    for s in (QUICK, Setting.at("paper")):
        q = fn(s)
        assert _fails(pred, q.null, q.tolerance, q.comparison), (q.null, pred, q.tolerance)


@pytest.mark.parametrize("scale", ["quick", "paper"])
def test_rank_bounds_random_ordering_null_fails(scale):
    s = Setting.at(scale)
    for fn in (ndl23.predict_loss_falls_as_correlation_rises, ndl23.predict_quadratic_sweep_loss_vs_correlation):
        p = fn(s)
        assert p.null == 0.0 and _fails(p.predicted, p.null, p.tolerance, p.comparison)
        assert -1.0 < p.predicted < -0.3


def _exact_spearman_null(n: int) -> np.ndarray:
    """ρ for every permutation of n items against the identity (the exact null law, each with probability 1/n!)."""
    perms = np.array(list(itertools.permutations(range(n))), dtype=float)
    d2 = ((perms - np.arange(n)) ** 2).sum(axis=1)
    return 1.0 - 6.0 * d2 / (n * (n * n - 1))


def test_rank_threshold_matches_the_exact_null_law():
    rho = _exact_spearman_null(8)
    thr = ndl23.spearman_null_threshold(8)
    assert np.mean(rho <= thr + 1e-12) <= 2 * ndl23.RANK_NULL_ALPHA  # one stratum: the Student approximation
    # two strata: the normal approximation is conservative (the exact law of the mean of two independent ρ's)
    values, counts = np.unique(np.round(rho, 12), return_counts=True)
    prob = counts / counts.sum()
    thr2 = ndl23.spearman_null_threshold(8, strata=2)
    mean = (values[:, None] + values[None, :]) / 2
    assert (prob[:, None] * prob[None, :])[mean <= thr2 + 1e-12].sum() <= ndl23.RANK_NULL_ALPHA
    with pytest.raises(ValueError, match="points"):
        ndl23.spearman_null_threshold(3)


def test_depth_bounds_nulls_fail():
    p = ndl23.predict_three_layer_beats_two_layer(QUICK)
    assert p.null == 1.0 and _fails(p.predicted, p.null, p.tolerance, p.comparison)
    r = ndl23.predict_radial_depth_separation(QUICK)
    floor = r.details["floor_quadrature"]  # the run uses the Monte-Carlo floor, s.e. < 0.005
    assert _fails(ndl23.floor_fraction(QUICK.radial_n_test) * floor, floor, r.tolerance, r.comparison)
    # 3 % relative s.e. at 4096 test points; the margins shrink as 1/√n_test
    assert math.isclose(ndl23.ratio_threshold(4096), 1 - 3 * math.sqrt(2) * 0.03)
    assert math.isclose(ndl23.floor_fraction(4096), 0.91)
    paper = Setting.at("paper")
    assert ndl23.predict_three_layer_beats_two_layer(paper).predicted == pytest.approx(0.955, abs=1e-3)
    assert ndl23.floor_fraction(paper.radial_n_test) == pytest.approx(0.968, abs=1e-3)
