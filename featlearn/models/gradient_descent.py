"""Iterative gradient descent with a fixed step, for any differentiable objective.

The existing models of featlearn take closed-form steps (ridge, one gradient step); this module
is the generic iterative loop that Safran–Lee's Theorems 3 and 8 analyse (docs/papers/sl21.md
§3.2, §3.4) and that later papers reuse:

* a fixed step ``η`` (Theorem 8's "fixed learning rate"), refused above a stability bound
  when the caller gives one (``max_step``; the bound is in the message);
* the loss curve ``F(θ_t)`` and the parameter norm ``‖θ_t‖`` recorded at every iterate
  t = 0, 1, …;
* a stopping rule ``F(θ_t) <= stop_loss`` (Theorem 8 stops at ``F̂ <= ε/2``);
* optional heavy-ball momentum with *function-value restart* (the momentum is zeroed when the
  loss increases; O'Donoghue–Candès 2015) and an optional preconditioner ``P`` (the update is
  ``−η·P(g)``), both beyond the paper and labelled so where used;
* an optional ``guard(θ) -> bool``: an iterate it rejects (e.g. a clipped network whose output
  is 0 on every sample, where the gradient vanishes for good) is undone and the momentum reset.

Parameters θ are one array or a tuple of arrays of one backend (``xp``); the loop does only
elementwise updates, the objective does the matrix products.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

from featlearn.backends import array_namespace, to_scalar
from featlearn.validation import check_int, check_real

__all__ = ["GDResult", "adam", "gradient_descent", "param_norm"]


def _tup(p):
    return p if isinstance(p, tuple) else (p,)


def _same(like, parts):
    return parts if isinstance(like, tuple) else parts[0]


def param_norm(params) -> float:
    """Euclidean norm of an array or a tuple of arrays, as a host float."""
    parts = _tup(params)
    xp = array_namespace(*parts)
    return math.sqrt(sum(to_scalar(xp.sum(p * p)) for p in parts))


@dataclass
class GDResult:
    """Outcome of :func:`gradient_descent`.

    ``losses[t]`` and ``norms[t]`` are F(θ_t) and ‖θ_t‖ for t = 0 … ``steps``; ``params`` is
    θ_steps; ``stopped`` tells whether ``stop_loss`` was reached; ``restarts`` counts momentum
    restarts and ``rejected`` the iterates undone by the guard.
    """

    params: Any
    losses: list[float] = field(default_factory=list)
    norms: list[float] = field(default_factory=list)
    steps: int = 0
    stopped: bool = False
    reason: str = ""
    restarts: int = 0
    rejected: int = 0

    @property
    def max_increase(self) -> float:
        """max_t F(θ_{t+1}) − F(θ_t) (<= 0 for a monotone run; −inf with fewer than 2 iterates)."""
        if len(self.losses) < 2:
            return -math.inf
        return max(b - a for a, b in zip(self.losses[:-1], self.losses[1:]))


def gradient_descent(loss_and_grad: Callable[[Any], tuple[Any, Any]], params0, *, step: float, max_iter: int,
                     stop_loss: float | None = None, max_step: float | None = None, momentum: float = 0.0,
                     precondition: Callable[[Any], Any] | None = None,
                     guard: Callable[[Any], bool] | None = None,
                     callback: Callable[[int, Any], None] | None = None) -> GDResult:
    """Run ``θ_{t+1} = θ_t − η·P(∇F(θ_t))`` (+ momentum) for at most ``max_iter`` steps.

    Parameters
    ----------
    loss_and_grad : callable
        ``θ -> (F(θ), ∇F(θ))``; the loss a host float or 0-d array, the gradient shaped like θ
        (a subgradient where F is not differentiable, e.g. the clipped ReLU's).
    params0 : array or tuple of arrays
        θ_0 (not modified).
    step : float
        The fixed step η > 0.
    max_iter : int
        Maximum number of steps (>= 0).
    stop_loss : float, optional
        Stop as soon as F(θ_t) <= stop_loss (Theorem 8's rule with ``ε/2``).
    max_step : float, optional
        Stability bound; ``step > max_step`` raises ``ValueError`` stating the bound.
    momentum : float
        Heavy-ball coefficient μ ∈ [0, 1) (0: plain GD). With μ > 0 the momentum is reset
        whenever the loss increases (function-value restart).
    precondition : callable, optional
        ``g -> P(g)`` (shaped like θ); default the identity.
    guard : callable, optional
        ``θ -> bool``; a new iterate for which it returns False is undone (the loop stops with
        reason ``"guard"`` if that happens twice in a row).
    callback : callable, optional
        ``callback(t, θ_t)`` at θ_0 and after every accepted step (e.g. a test error along
        the trajectory).

    Returns
    -------
    GDResult

    Raises
    ------
    ValueError
        Bad step, bounds or momentum; a non-finite loss (the run diverged).

    Examples
    --------
    >>> import array_api_strict as xp
    >>> f = lambda w: (float(xp.sum(w * w)), 2.0 * w)
    >>> res = gradient_descent(f, xp.asarray([1.0, -2.0]), step=0.25, max_iter=50, stop_loss=1e-6)
    >>> res.stopped, res.max_increase < 0
    (True, True)
    """
    if not callable(loss_and_grad):
        raise TypeError(f"loss_and_grad: expected a callable θ -> (loss, grad), got {type(loss_and_grad).__name__}")
    step = check_real(step, "step", min_val=0.0, include_boundaries="neither")
    max_iter = check_int(max_iter, "max_iter", min_val=0)
    if max_step is not None:
        max_step = check_real(max_step, "max_step", min_val=0.0, include_boundaries="neither")
        if step > max_step:
            raise ValueError(f"step: {step!r} is above the stability bound {max_step!r}")
    if stop_loss is not None:
        stop_loss = check_real(stop_loss, "stop_loss")
    momentum = check_real(momentum, "momentum", min_val=0.0, max_val=1.0, include_boundaries="left")
    parts = _tup(params0)
    xp = array_namespace(*parts)
    theta = tuple(xp.asarray(p, copy=True) for p in parts)
    vel = tuple(xp.zeros_like(p) for p in theta) if momentum > 0 else None

    def evaluate(th):
        loss, grad = loss_and_grad(_same(params0, th))
        loss = float(to_scalar(loss)) if not isinstance(loss, (int, float)) else float(loss)
        if not math.isfinite(loss):
            raise ValueError(f"step: the loss became non-finite ({loss}); the step {step!r} is too large")
        return loss, _tup(grad)

    loss, grad = evaluate(theta)
    res = GDResult(params=None, losses=[loss], norms=[param_norm(theta)])
    if callback is not None:
        callback(0, _same(params0, theta))
    strikes = 0
    for t in range(max_iter):
        if stop_loss is not None and loss <= stop_loss:
            res.stopped, res.reason = True, "stop_loss"
            break
        direction = _tup(precondition(_same(params0, grad))) if precondition is not None else grad
        if vel is not None:
            vel = tuple(momentum * v - step * g for v, g in zip(vel, direction))
            new = tuple(p + v for p, v in zip(theta, vel))
        else:
            new = tuple(p - step * g for p, g in zip(theta, direction))
        if guard is not None and not guard(_same(params0, new)):
            res.rejected += 1
            strikes += 1
            if vel is not None:
                vel = tuple(xp.zeros_like(v) for v in vel)
            if strikes >= 2 or vel is None:
                res.reason = "guard"
                break
            continue
        strikes = 0
        new_loss, new_grad = evaluate(new)
        if vel is not None and new_loss > loss:
            vel = tuple(xp.zeros_like(v) for v in vel)
            res.restarts += 1
        theta, loss, grad = new, new_loss, new_grad
        res.losses.append(loss)
        res.norms.append(param_norm(theta))
        res.steps += 1
        if callback is not None:
            callback(res.steps, _same(params0, theta))
    else:
        if stop_loss is not None and loss <= stop_loss:
            res.stopped, res.reason = True, "stop_loss"
        else:
            res.reason = "max_iter"
    if not res.reason:
        res.reason = "max_iter"
    res.params = _same(params0, theta)
    return res


def adam(loss_and_grad: Callable[[Any], tuple[Any, Any]], params0, *, lr: float, max_iter: int,
         betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
         callback: Callable[[int, Any], None] | None = None) -> GDResult:
    """Adam (Kingma–Ba 2015) with bias correction: a practical baseline, not a method of any paper here.

    Same interface and records as :func:`gradient_descent` (``losses[t]`` is the loss at θ_t).
    """
    if not callable(loss_and_grad):
        raise TypeError(f"loss_and_grad: expected a callable θ -> (loss, grad), got {type(loss_and_grad).__name__}")
    lr = check_real(lr, "lr", min_val=0.0, include_boundaries="neither")
    max_iter = check_int(max_iter, "max_iter", min_val=0)
    b1 = check_real(betas[0], "betas[0]", min_val=0.0, max_val=1.0, include_boundaries="left")
    b2 = check_real(betas[1], "betas[1]", min_val=0.0, max_val=1.0, include_boundaries="left")
    eps = check_real(eps, "eps", min_val=0.0, include_boundaries="neither")
    parts = _tup(params0)
    xp = array_namespace(*parts)
    theta = tuple(xp.asarray(p, copy=True) for p in parts)
    m = tuple(xp.zeros_like(p) for p in theta)
    v = tuple(xp.zeros_like(p) for p in theta)
    res = GDResult(params=None)
    for t in range(max_iter + 1):
        loss, grad = loss_and_grad(_same(params0, theta))
        loss = float(to_scalar(loss)) if not isinstance(loss, (int, float)) else float(loss)
        if not math.isfinite(loss):
            raise ValueError(f"lr: the loss became non-finite ({loss}); the learning rate {lr!r} is too large")
        res.losses.append(loss)
        res.norms.append(param_norm(theta))
        if callback is not None:
            callback(t, _same(params0, theta))
        if t == max_iter:
            break
        grad = _tup(grad)
        m = tuple(b1 * a + (1.0 - b1) * g for a, g in zip(m, grad))
        v = tuple(b2 * a + (1.0 - b2) * g * g for a, g in zip(v, grad))
        c1, c2 = 1.0 - b1 ** (t + 1), 1.0 - b2 ** (t + 1)
        theta = tuple(p - lr * (a / c1) / (xp.sqrt(s / c2) + eps) for p, a, s in zip(theta, m, v))
        res.steps += 1
    res.reason = "max_iter"
    res.params = _same(params0, theta)
    return res
