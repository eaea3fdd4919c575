"""Ridge for a λ grid from one eigendecomposition (featlearn.models.ridge), as the one-step core uses it."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host, to_scalar
from featlearn.models.ridge import GramStats, RidgePath

SEEDS = st.integers(0, 2**31 - 1)
FIXTURE_OK = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _problem(xp, seed, n=25, p=6):
    rng = Generator(seed, xp=xp)
    F = rng.child("F").normal((n, p))
    y = rng.child("y").normal((n,))
    return F, y


@settings(max_examples=5, **FIXTURE_OK)
@given(seed=SEEDS, lam=st.floats(1e-4, 1e2))
def test_normal_equations(xp, seed, lam):
    # â(λ) solves (FᵀF/n + λI) a = Fᵀy/n
    F, y = _problem(xp, seed)
    a = RidgePath(GramStats.from_arrays(F, y)).coef(lam)
    lhs = (F.T @ F / 25 + lam * xp.eye(6, dtype=F.dtype)) @ a
    rhs = F.T @ y / 25
    err = float(to_host(xp.max(xp.abs(lhs - rhs))))
    # backward error of an eigendecomposition solve: ~ eps · ‖H‖ · ‖a‖ with ‖H‖ = O(1)
    assert err <= 1e-10 * (1.0 + float(to_host(xp.max(xp.abs(rhs)))))


@settings(max_examples=5, **FIXTURE_OK)
@given(seed=SEEDS, chunk=st.integers(1, 25))
def test_errors_and_streaming(xp, seed, chunk):
    F, y = _problem(xp, seed)
    whole = GramStats.from_arrays(F, y)
    parts = GramStats.zeros(6, xp=xp, dtype=F.dtype)
    for s in range(0, 25, chunk):
        parts.add(F[s:min(s + chunk, 25), :], y[s:min(s + chunk, 25)])
    assert parts.n == 25
    assert float(to_host(xp.max(xp.abs(parts.FtF - whole.FtF)))) <= 1e-12 * float(to_host(xp.max(whole.FtF)))
    lams = [1e-3, 1e-1, 10.0]
    path = RidgePath(whole)
    errs = to_host(path.errors(whole, lams))
    A = path.coefs(lams)
    for j in range(3):
        r = y - F @ A[:, j]
        # quadratic-form error vs the direct residual: cancellation of O(‖y‖²/n) terms, ~1e-15 relative
        assert errs[j] == pytest.approx(to_scalar(xp.sum(r * r)) / 25, rel=1e-9, abs=1e-12)
    # training error grows with λ; the validation choice is the grid's argmin
    assert errs[0] <= errs[1] <= errs[2]
    lam, val = path.select(whole, lams)
    assert lam == lams[int(to_host(val).argmin())]


@pytest.mark.parametrize("bad", [0.0, -1.0, [1.0, 0.0], math.nan, math.inf])
def test_bad_lambdas(xp, bad):
    F, y = _problem(xp, 0)
    path = RidgePath(GramStats.from_arrays(F, y))
    with pytest.raises(ValueError, match="lambdas"):
        path.coefs(bad if isinstance(bad, list) else [bad])


@settings(max_examples=5, **FIXTURE_OK)
@given(seed=SEEDS, lam=st.floats(1e-3, 1e1), steps=st.integers(1, 60))
def test_gradient_descent_closed_form_equals_the_iteration(xp, seed, lam, steps):
    # T explicit steps a ← a − lr((H + λI)a − c) from a = 0, lr = 1/(λ_max(H) + λ)
    F, y = _problem(xp, seed)
    path = RidgePath(GramStats.from_arrays(F, y))
    H, c = F.T @ F / 25, F.T @ y / 25
    lr = 1.0 / (float(to_host(xp.max(path.evals))) + lam)
    a = xp.zeros((6,), dtype=F.dtype)
    for _ in range(steps):
        a = a - lr * (H @ a + lam * a - c)
    g = path.gradient_descent([lam], steps=steps)[:, 0]
    # both are O(steps) float64 operations on O(1) numbers: agreement to ~1e-12
    assert float(to_host(xp.max(xp.abs(g - a)))) <= 1e-10 * (1.0 + float(to_host(xp.max(xp.abs(a)))))


def test_gradient_descent_converges_to_ridge_and_checks_input(xp):
    F, y = _problem(xp, 3)
    path = RidgePath(GramStats.from_arrays(F, y))
    lam = [1e-2, 1.0]
    # the contraction factor per step is 1 − (λ_min(H) + λ)/(λ_max(H) + λ) < 1; 20000 steps reach rounding
    gap = xp.max(xp.abs(path.gradient_descent(lam, steps=20000) - path.coefs(lam)))
    assert float(to_host(gap)) < 1e-9
    with pytest.raises(ValueError, match="steps"):
        path.gradient_descent(lam, steps=0)
    with pytest.raises(ValueError, match="lr"):
        path.gradient_descent(lam, steps=3, lr=-1.0)


def test_lambda_floor_rule_and_selection():
    import numpy as np

    from featlearn.backends import get_namespace
    from featlearn.models.ridge import select_lambda

    xp = get_namespace("numpy")
    rng = np.random.default_rng(0)
    F = rng.standard_normal((200, 40)) @ np.diag(np.logspace(0, -6, 40))  # condition number ~1e12 at λ = 0
    y = rng.standard_normal(200)
    path = RidgePath(GramStats.from_arrays(xp.asarray(F), xp.asarray(y)))
    floor = path.lambda_floor()
    assert floor > 0 and path.condition_number(floor) == pytest.approx(1 / np.sqrt(np.finfo(float).eps), rel=1e-6)
    grid = [1e-14, 1e-10, 1e-6, 1e-2]
    # the smallest validation error below the floor is not chosen
    assert grid[select_lambda(grid, [0.0, 0.0, 5.0, 6.0], floor)] >= floor
    assert select_lambda([1e-20], [1.0], floor) == 0  # nothing reaches the floor: the largest λ


def test_numpy_and_torch_agree_on_coefficients_to_a_conditioning_tolerance():
    # on identical draws the two backends agree on predictions *and* coefficients; the coefficient
    # tolerance is set by the chosen λ's condition number κ: rounding moves coefficients by ~κ·eps
    torch = pytest.importorskip("torch")
    import numpy as np

    from featlearn.backends import Generator, to_host
    from featlearn.data import TargetStream
    from featlearn.models.one_step import OneStepNetwork
    from featlearn.theory.targets import SingleIndex

    coefs, preds, kappas = {}, {}, {}
    for backend in ("numpy", "torch"):
        rng = Generator(11, xp=backend, mode="host")
        target = SingleIndex.random(rng.child("t"), 12, "tanh_softplus")
        data = {k: TargetStream(target, m, rng.child(k), noise_std=0.1) for k, m in
                (("s", 400), ("r", 400), ("v", 200), ("x", 100))}
        m = OneStepNetwork(24, alpha=0.3).fit_batches(data["s"], data["r"], data["v"], rng=rng)
        coefs[backend] = to_host(m.coef_)
        preds[backend] = to_host(m.predict(data["x"].materialise().X))
        kappas[backend] = m.second_layer_.path.condition_number(m.lambda_)
    eps = np.finfo(np.float64).eps
    tol = 100 * kappas["numpy"] * eps
    assert np.linalg.norm(coefs["numpy"] - coefs["torch"]) <= tol * np.linalg.norm(coefs["numpy"])
    assert np.max(np.abs(preds["numpy"] - preds["torch"])) <= 1e-10
    assert torch is not None
