"""Generic fixed-step gradient descent (featlearn/models/gradient_descent.py; docs/papers/sl21.md §4.2)."""

from __future__ import annotations

import math

import pytest

from featlearn.models.gradient_descent import adam, gradient_descent, param_norm


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

    with pytest.raises(ValueError, match="non-finite"):
        gradient_descent(f, xp.ones(1), step=1.5, max_iter=50)


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
