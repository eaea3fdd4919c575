"""float32 features, float64 ridge algebra: float32 selections and test errors match float64's.

The rule (featlearn.models.ridge): features and forward passes stay in the working dtype; the p × p
ridge statistics are summed, eigendecomposed and solved in float64, and the conditioning floor comes
from the precision the Gram matrix was accumulated in. Before it, a floor from float32's eps
(κ ≤ 2.9e3) moved float32 λ selections by up to six grid steps (1e-6 → 2.2) with test excess
risks 7–31% above float64's on the one-step α sweep below.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator, get_namespace, to_host
from featlearn.models.one_step import alpha_sweep
from featlearn.models.ridge import GramStats, RidgePath, select_lambda
from featlearn.theory.targets import QuadraticFeature, SingleIndex


def _grid_steps(grid, a, b):
    return abs(list(grid).index(a) - list(grid).index(b))


def _sweep(dtype, d, n, noise):
    rng = Generator(3)
    target = SingleIndex.random(rng.child("target"), d, "tanh_softplus")
    return alpha_sweep(target, rng, n=n, width=d, alphas=[0.0, 0.2, 0.4], n_val=n // 2, n_test=2 * n,
                       noise_std=noise, dtype=dtype)


@pytest.mark.parametrize("d, n, noise", [(60, 1200, 0.1), (30, 2000, 0.01)])
def test_one_step_alpha_sweep_float32_matches_float64(d, n, noise):
    # at α = 0.4 float64 picks λ = 1e-6; the float32-eps floor forced λ = 2.2 (test excess +23% / +31%)
    f64, f32 = _sweep("float64", d, n, noise), _sweep("float32", d, n, noise)
    for a, b in zip(f64, f32):
        assert b["test_excess"] == pytest.approx(a["test_excess"], rel=1e-2)
        assert b["test_error"] == pytest.approx(a["test_error"], rel=1e-2)
        # the same λ, or one whose float64 validation error ties float64's minimum to float32 accuracy: at small
        # λ the validation curve is flat to ~1e-7 relative, and which of the tied λ float32 picks depends on the
        # BLAS kernel's rounding (2 grid steps apart on one CPU, 1e-6 vs 4.6e-6, 1.9e-7 apart in float64).
        # 1e-5 (≈ 100 float32 eps) is far below the old eps floor's error, which moved λ to 2.2 (+23 % test excess)
        ia, ib = list(a["lambdas"]).index(a["lambda"]), list(a["lambdas"]).index(b["lambda"])
        assert a["val_errors"][ib] <= a["val_errors"][ia] * (1 + 1e-5), (a["lambda"], b["lambda"])
        assert b["val_errors"] == pytest.approx(a["val_errors"], rel=1e-4)
    assert min(r["lambda"] for r in f32) < 1e-5  # small λ are reachable in float32


def test_three_layer_float32_matches_float64():
    from featlearn.papers.ndl23.kernels import CENTRED_ABS
    from featlearn.papers.ndl23.setting import SHIFTED_RELU
    from featlearn.papers.ndl23.three_layer import run_layerwise

    out = {}
    for dt in ("float64", "float32"):
        rng = Generator(1)
        target = QuadraticFeature.random(rng.child("A"), 6, SHIFTED_RELU)
        out[dt] = run_layerwise(target, rng.child("3l"), n=2048, m1=64, m2=72, sigma2=CENTRED_ABS, n_val=512,
                                n_test=1024, dtype=dt)
    a, b = out["float64"], out["float32"]
    assert b.test_nmse == pytest.approx(a.test_nmse, rel=1e-2)
    assert b.slope == a.slope and b.lam == pytest.approx(a.lam, rel=1e-3)  # relative λ: same grid point


def test_ridge_baselines_float32_match_float64():
    from featlearn.papers.ndl23.baselines import RandomFeaturesRidge, ReluKernelRidge

    out = {}
    for dt in ("float64", "float32"):
        rng = Generator(2)
        target = SingleIndex.random(rng.child("t"), 8, "tanh_softplus")
        tr, va = target.sample(rng.child("tr"), 2000, dtype=dt), target.sample(rng.child("va"), 1000, dtype=dt)
        Xt, _ = target.sample(rng.child("te"), 2000, dtype=dt)
        ft = target(Xt)
        rf = RandomFeaturesRidge(64, dtype=dt).fit_validated(rng.child("rf"), tr, va)
        kr = ReluKernelRidge().fit_validated((tr[0][:300], tr[1][:300]), (va[0][:200], va[1][:200]))
        out[dt] = (rf.mse((Xt, ft)), rf.lam_, kr.mse((Xt, ft)), kr.lam_, to_host(rf.coef_).dtype)
    a, b = out["float64"], out["float32"]
    assert b[0] == pytest.approx(a[0], rel=1e-2) and b[2] == pytest.approx(a[2], rel=1e-2)
    # float64 picks a relative λ of 1e-10 here; the float32-eps floor forced 1e-5 (five grid steps)
    assert b[1] == pytest.approx(a[1], rel=1e-3) and b[3] == pytest.approx(a[3], rel=1e-3)
    assert b[4] == np.float32  # coefficients in the working dtype


def _ill_conditioned(dtype):
    rng = np.random.default_rng(0)
    F = (rng.standard_normal((300, 20)) @ np.diag(np.logspace(0, -3, 20))).astype(dtype)
    y = (F @ rng.standard_normal(20) + 0.01 * rng.standard_normal(300)).astype(dtype)
    return F, y


def test_float32_statistics_are_float64_and_the_floor_follows_their_precision():
    xp = get_namespace("numpy")
    F, y = _ill_conditioned(np.float32)
    st = GramStats.from_arrays(xp.asarray(F), xp.asarray(y))
    assert st.FtF.dtype == xp.float64 and st.working_dtype == xp.float32
    # float32 × float32 products are exact in float64: the sums are those of the float32 features
    ref = F.astype(np.float64).T @ F.astype(np.float64)
    np.testing.assert_allclose(to_host(st.FtF), ref, rtol=1e-12, atol=1e-14 * np.abs(ref).max())
    path = RidgePath(st)
    assert path.gram_eps == np.finfo(np.float64).eps
    assert path.coefs([1e-3, 1.0]).dtype == xp.float32
    floor = path.lambda_floor()
    assert path.condition_number(max(floor, 1e-300)) <= 1 / math.sqrt(np.finfo(np.float64).eps) * (1 + 1e-9)
    # statistics someone accumulated in float32 keep float32's floor (their precision), solved in float64
    raw = GramStats(xp.asarray(F.T @ F), xp.asarray(F.T @ y), xp.asarray(y @ y), 300)
    legacy = RidgePath(raw)
    assert legacy.gram_eps == np.finfo(np.float32).eps and legacy.lambda_floor() > floor
    assert path.condition_number(legacy.lambda_floor()) == pytest.approx(1 / math.sqrt(legacy.gram_eps), rel=1e-3)


def test_float32_selection_equals_float64_where_validation_errors_agree():
    xp = get_namespace("numpy")
    grid = [10.0 ** k for k in range(-9, 2)]
    chosen = {}
    for dt in (np.float64, np.float32):
        F, y = _ill_conditioned(dt)
        path = RidgePath(GramStats.from_arrays(xp.asarray(F[:200]), xp.asarray(y[:200])))
        lam, errs = path.select(GramStats.from_arrays(xp.asarray(F[200:]), xp.asarray(y[200:])), grid)
        chosen[dt] = (lam, to_host(errs))
    (l64, e64), (l32, e32) = chosen[np.float64], chosen[np.float32]
    np.testing.assert_allclose(e32, e64, rtol=1e-3)
    assert _grid_steps(grid, l64, l32) <= 1
    assert l64 < 1e-4  # the old float32 floor (√eps32·e_max ≈ 3e-4 here) would have excluded it


def test_float64_path_is_unchanged():
    # float64: no promotion, no rounding — the eigendecomposition and coefficients of the plain formula
    xp = get_namespace("numpy")
    F, y = _ill_conditioned(np.float64)
    st = GramStats.from_arrays(xp.asarray(F), xp.asarray(y))
    path = RidgePath(st)
    evals, evecs = np.linalg.eigh(F.T @ F)
    evals = np.where(evals / 300 > 0, evals / 300, 0.0)
    a = evecs @ ((evecs.T @ (F.T @ y / 300)) / (evals + 1e-3))
    assert np.array_equal(to_host(path.coef(1e-3)), a)
    assert path.gram_eps == np.finfo(np.float64).eps
    assert select_lambda([1e-12, 1.0], [0.0, 1.0], path.lambda_floor()) in (0, 1)
