"""The one gradient loop (featlearn/models/gradient_descent.py; docs/papers/sl21.md §4.2, swl23.md §2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import to_host
from featlearn.models.gradient_descent import adam, gradient_descent, param_norm
from helpers import assert_close


def _quad(xp, A, b):
    def f(w):
        r = A @ w - b
        return xp.sum(r * r) / 2.0, A.T @ r
    return f


def test_quadratic_converges_and_records(xp):
    A = xp.asarray([[2.0, 0.0], [0.0, 1.0]])
    b = xp.asarray([2.0, 1.0])
    res = gradient_descent(_quad(xp, A, b), xp.zeros(2, dtype=A.dtype), step=0.25, max_iter=500, stop_loss=1e-12)
    assert res.stopped and res.reason == "stop_loss"
    assert len(res.losses) == len(res.norms) == res.steps + 1
    assert res.max_increase <= 0
    assert abs(res.norms[-1] - math.sqrt(2)) < 1e-5


def test_step_above_bound_refused(xp):
    A = xp.asarray([[1.0]])
    with pytest.raises(ValueError, match="stability bound 0.5"):
        gradient_descent(_quad(xp, A, xp.asarray([1.0])), xp.zeros(1, dtype=A.dtype), step=1.0, max_iter=3,
                         max_step=0.5)


def test_divergence_raises(xp):
    def f(w):  # a loss that turns non-finite once the iterate leaves [-10, 10]
        big = float(xp.max(xp.abs(w)))
        return (float("inf") if big > 10 else big * big), 2 * w

    with pytest.raises(ValueError, match=r"the loss grew from 1 to inf by iteration \d+: the step 1.5 is too large"):
        gradient_descent(f, xp.ones(1), step=1.5, max_iter=50)


def _quad2(xp):
    A = xp.asarray([[2.0, 0.0], [0.0, 1.0]])
    return A, _quad(xp, A, xp.asarray([2.0, 1.0]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_huge_step_never_returns_inf(xp, momentum):
    A, f = _quad2(xp)
    for step in (3.0, 1e150, 1e300):
        with pytest.raises(ValueError, match=r"^step: the loss grew from 2.5 to .* by iteration \d+: the step "
                                             r".* is too large"):
            gradient_descent(f, xp.zeros(2, dtype=A.dtype), step=step, max_iter=2000, momentum=momentum)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_adam_huge_lr_names_lr_and_iteration(xp):
    A, f = _quad2(xp)
    with pytest.raises(ValueError, match=r"^lr: the loss grew from 2.5 to .* by iteration 1: the step lr = 1e\+308 "
                                         r"is too large"):
        adam(f, xp.zeros(2, dtype=A.dtype), lr=1e308, max_iter=50)


def test_nonfinite_initial_parameters_refused(xp):
    A, f = _quad2(xp)
    w0 = xp.asarray([float("nan"), 0.0], dtype=A.dtype)
    with pytest.raises(ValueError, match="params0: the initial parameters are not finite"):
        gradient_descent(f, w0, step=0.1, max_iter=3)
    with pytest.raises(ValueError, match=r"params0\[1\]: the initial parameters are not finite"):
        adam(lambda p: (0.0, p), (xp.zeros(1, dtype=A.dtype), xp.asarray([float("inf")], dtype=A.dtype)),
             lr=0.1, max_iter=3)


def test_nan_in_data_blamed_on_data_not_step(xp):
    X = xp.asarray([[1.0, float("nan")], [0.0, 1.0]])
    f = _quad(xp, X, xp.asarray([2.0, 1.0]))
    for run in (lambda: gradient_descent(f, xp.zeros(2, dtype=X.dtype), step=0.1, max_iter=5),
                lambda: adam(f, xp.zeros(2, dtype=X.dtype), lr=0.1, max_iter=5)):
        with pytest.raises(ValueError, match=r"the loss at the initial parameters is nan although they are finite: "
                                             r"NaN or inf in the data .*not the step") as info:
            run()
        assert "too large" not in str(info.value)


def test_nan_gradient_at_finite_point_blamed_on_model(xp):
    A, quad = _quad2(xp)

    def f(w):
        loss, g = quad(w)
        return loss, (g * float("nan") if float(xp.max(xp.abs(w))) > 0.1 else g)

    with pytest.raises(ValueError, match=r"the gradient is not finite at iteration 1 although the parameters .*"
                                         r"NaN from the model, not the step \(step = 0.1\)") as info:
        gradient_descent(f, xp.zeros(2, dtype=A.dtype), step=0.1, max_iter=50)
    assert "too large" not in str(info.value)
    with pytest.raises(ValueError, match=r"the gradient is not finite at iteration \d although .*\(lr = 0.1\)"):
        adam(f, xp.zeros(2, dtype=A.dtype), lr=0.1, max_iter=50)


def test_nan_loss_without_growth_blamed_on_model(xp):
    A, quad = _quad2(xp)
    calls = []

    def f(w):
        calls.append(1)
        loss, g = quad(w)
        return (float("nan") if len(calls) == 3 else loss), g

    with pytest.raises(ValueError, match=r"the loss is nan at iteration 2 although the parameters are finite and "
                                         r"the loss had not grown .*not the step"):
        gradient_descent(f, xp.zeros(2, dtype=A.dtype), step=0.1, max_iter=50)


def test_complex_parameters_refused(xp):
    import numpy

    f = lambda w: (0.0, w)  # noqa: E731
    with pytest.raises(TypeError, match="params0: expected a real floating array, got complex128"):
        gradient_descent(f, numpy.zeros(2, dtype=complex), step=0.1, max_iter=1)


def test_momentum_restart_and_preconditioner(xp):
    A = xp.asarray([[100.0, 0.0], [0.0, 1.0]])
    b = xp.asarray([1.0, 1.0])
    f = _quad(xp, A, b)
    w0 = xp.zeros(2, dtype=A.dtype)
    plain = gradient_descent(f, w0, step=1e-4, max_iter=200)
    mom = gradient_descent(f, w0, step=1e-4, max_iter=200, momentum=0.9)
    assert mom.losses[-1] < plain.losses[-1]
    pre = gradient_descent(f, w0, step=1.0, max_iter=3, precondition=lambda g: g / xp.asarray([1e4, 1.0]),
                           stop_loss=1e-20)
    assert pre.losses[-1] < 1e-20


def test_guard_rejects(xp):
    A = xp.asarray([[1.0]])
    res = gradient_descent(_quad(xp, A, xp.asarray([1.0])), xp.zeros(1, dtype=A.dtype), step=0.5, max_iter=10,
                           guard=lambda w: False)
    assert res.reason == "guard" and res.steps == 0 and res.rejected == 1


def test_tuple_params_and_adam(xp):
    def f(p):
        a, c = p
        return xp.sum(a * a) + xp.sum((c - 1.0) ** 2), (2 * a, 2 * (c - 1.0))

    p0 = (xp.ones(3), xp.zeros(2))
    res = adam(f, p0, lr=0.05, max_iter=400)
    assert res.losses[-1] < 1e-3
    assert param_norm(res.params) == pytest.approx(math.sqrt(2), abs=0.05)


def test_bad_arguments(xp):
    f = _quad(xp, xp.asarray([[1.0]]), xp.asarray([1.0]))
    w = xp.zeros(1)
    with pytest.raises(ValueError, match="step"):
        gradient_descent(f, w, step=0.0, max_iter=1)
    with pytest.raises(TypeError, match="max_iter"):
        gradient_descent(f, w, step=0.1, max_iter=1.5)
    with pytest.raises(ValueError, match="momentum"):
        gradient_descent(f, w, step=0.1, max_iter=1, momentum=1.0)
    with pytest.raises(TypeError, match="loss_and_grad"):
        gradient_descent(None, w, step=0.1, max_iter=1)


def test_schedule_and_weight_decay_are_the_explicit_update(xp):
    """θ_t = (1 − η_t λ_t)·θ_{t−1} − η_t·g, per parameter array, written out by hand for three steps."""
    A = xp.asarray([[2.0, 1.0], [0.0, 1.0]])
    b = xp.asarray([1.0, -1.0])

    def f(p):
        w, c = p
        r = A @ w + c - b
        return xp.sum(r * r) / 2.0, (A.T @ r, r)

    etas, lams = {1: 0.5, 2: 0.1, 3: 0.2}, {1: (2.0, 0.0), 2: (0.3, 0.3), 3: (0.0, 0.0)}
    p0 = (xp.asarray([1.0, -1.0]), xp.asarray([0.5, 0.5]))
    res = gradient_descent(f, p0, step=etas.__getitem__, weight_decay=lams.__getitem__, max_iter=3)
    want = p0
    for t in (1, 2, 3):
        _, g = f(want)
        want = tuple((1.0 - etas[t] * lam) * p - etas[t] * gi for p, gi, lam in zip(want, g, lams[t]))
    for got, w in zip(res.params, want):
        assert_close(to_host(got), to_host(w), rtol=1e-15, atol=1e-15)
    # a constant decay for every array: the same as the tuple spelled out
    one = gradient_descent(f, p0, step=0.1, weight_decay=0.3, max_iter=2)
    two = gradient_descent(f, p0, step=0.1, weight_decay=(0.3, 0.3), max_iter=2)
    assert one.losses == two.losses


def test_indexed_objective_and_last_gradient(xp):
    seen = []

    def f(w, t):  # the objective of iterate t: (w − t)²/2, no gradient at the last iterate
        seen.append(t)
        return float(xp.sum((w - t) ** 2)) / 2.0, (None if t == 3 else w - t)

    res = gradient_descent(f, xp.asarray([0.0]), step=1.0, max_iter=3, indexed=True)
    assert seen == [0, 1, 2, 3] and res.steps == 3
    assert float(res.params[0]) == 2.0  # the step from θ_2 lands on the minimiser of F_2
    with pytest.raises(TypeError, match="no gradient"):
        gradient_descent(lambda w: (0.0, None), xp.asarray([0.0]), step=1.0, max_iter=1)


def test_schedule_checked_against_the_bound(xp):
    f = _quad(xp, xp.asarray([[1.0]]), xp.asarray([1.0]))
    w = xp.zeros(1)
    with pytest.raises(ValueError, match="stability bound 0.5"):
        gradient_descent(f, w, step=lambda t: 0.1 if t < 3 else 1.0, max_iter=5, max_step=0.5)
    with pytest.raises(ValueError, match=r"step\(1\)"):
        gradient_descent(f, w, step=lambda t: -1.0, max_iter=1)
    with pytest.raises(ValueError, match="one decay per parameter array"):
        gradient_descent(f, w, step=0.1, weight_decay=(0.1, 0.2), max_iter=1)
    with pytest.raises(ValueError, match="weight_decay"):
        gradient_descent(f, w, step=0.1, weight_decay=-1.0, max_iter=1)


def test_adam_first_step_is_the_sign(xp):
    """Adam's first bias-corrected step is −lr·g/(|g| + ε) coordinate-wise (m̂ = g, v̂ = g²)."""
    def f(w):
        return float(xp.sum(w * w)), 2.0 * w

    res = adam(f, xp.asarray([3.0, -0.5], dtype=xp.float64), lr=0.1, max_iter=1, eps=1e-8)
    assert_close(to_host(res.params), [3.0 - 0.1 * 6.0 / (6.0 + 1e-8), -0.5 + 0.1 * 1.0 / (1.0 + 1e-8)],
                               rtol=1e-15)
    assert len(res.losses) == len(res.norms) == 2 and res.reason == "max_iter"
