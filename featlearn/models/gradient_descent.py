"""The one iterative gradient loop of featlearn: fixed or scheduled step, momentum, Adam, weight decay.

The closed-form models of featlearn take one step (ridge, one gradient step); this module is the
iterative loop that Safran–Lee's Theorems 3 and 8 analyse (docs/papers/sl21.md §3.2, §3.4) and
that Shi–Wei–Liang's Algorithm 1 runs (docs/papers/swl23.md §2):

* a fixed step ``η`` (Theorem 8's "fixed learning rate"), refused above a stability bound
  when the caller gives one (``max_step``; the bound is in the message), or a schedule
  ``t -> η_t`` (Algorithm 1's large first step ``η⁽¹⁾``, then ``η``);
* weight decay ``λ_t`` per parameter array, taken as the exact shrink ``(1 − η_t λ_t)·θ``
  (Algorithm 1's ``λ⁽¹⁾ = 1/η⁽¹⁾`` erases the initialisation);
* the loss curve ``F(θ_t)`` and the parameter norm ``‖θ_t‖`` recorded at every iterate
  t = 0, 1, …, and a ``callback(t, θ_t)`` (held-out errors along the trajectory);
* a stopping rule ``F(θ_t) <= stop_loss`` (Theorem 8 stops at ``F̂ <= ε/2``);
* an objective that may depend on t (``indexed=True``: fresh samples per step);
* three update rules on that one loop: plain steps; heavy-ball momentum with *function-value
  restart* (the momentum is zeroed when the loss increases; O'Donoghue–Candès 2015) and an
  optional preconditioner ``P`` (the update is ``−η·P(g)``), both beyond the papers and labelled
  so where used; and Adam (:func:`adam`, a practical baseline);
* an optional ``guard(θ) -> bool``: an iterate it rejects (e.g. a clipped network whose output
  is 0 on every sample, where the gradient vanishes for good) is undone and the momentum reset.

Parameters θ are one array or a tuple of arrays of one backend (``xp``); the loop does only
elementwise updates, the objective does the matrix products.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from featlearn.backends import array_namespace, to_scalar
from featlearn.validation import all_finite, check_backend, check_int, check_memory, check_real, check_real_dtype

__all__ = ["GDResult", "adam", "gradient_descent", "param_norm"]


def _tup(p):
    return p if isinstance(p, tuple) else (p,)


def _same(like, parts):
    return parts if isinstance(like, tuple) else parts[0]


def _check_params(params, name: str) -> tuple:
    """``params`` as a non-empty tuple of real arrays (``TypeError`` naming ``name`` otherwise)."""
    parts = _tup(params)
    if not parts:
        raise ValueError(f"{name}: expected an array or a non-empty tuple of arrays, got an empty tuple")
    for i, p in enumerate(parts):
        where = name if len(parts) == 1 else f"{name}[{i}]"
        if not (hasattr(p, "shape") and hasattr(p, "dtype")):
            raise TypeError(f"{where}: expected an array (or a tuple of arrays), got {type(p).__name__}")
        check_real_dtype(p, where)
    try:
        array_namespace(*parts)
    except TypeError as exc:
        raise TypeError(f"{name}: {exc}") from None
    return parts


def _check_gradient(grad, theta) -> None:
    """``TypeError``/``ValueError`` naming ``loss_and_grad`` unless its gradient matches the parameters."""
    if len(grad) != len(theta):
        raise ValueError(f"loss_and_grad: returned {len(grad)} gradient array(s) for {len(theta)} parameter array(s)")
    for i, (g, p) in enumerate(zip(grad, theta)):
        if not (hasattr(g, "shape") and hasattr(g, "dtype")):
            raise TypeError(f"loss_and_grad: gradient[{i}] is a {type(g).__name__}, expected an array")
        check_backend(array_namespace(g), f"loss_and_grad: gradient[{i}]", array_namespace(p), like="params0")
        if tuple(g.shape) != tuple(p.shape):
            raise ValueError(f"loss_and_grad: gradient[{i}] has shape {tuple(g.shape)}, the parameter "
                             f"{tuple(p.shape)}")


def param_norm(params) -> float:
    """Euclidean norm of an array or a tuple of arrays, as a host float (``ValueError`` for NaN or inf)."""
    parts = _check_params(params, "params")
    xp = array_namespace(*parts)
    total = sum(to_scalar(xp.sum(p * p)) for p in parts)
    if math.isfinite(total):
        return math.sqrt(total)
    if not all(all_finite(p) for p in parts):
        raise ValueError("params: input contains NaN or inf")
    # finite entries whose squares overflow: scale by the largest magnitude first
    scale = max(to_scalar(xp.max(xp.abs(p))) for p in parts if p.size)
    return scale * math.sqrt(sum(to_scalar(xp.sum((p / scale) * (p / scale))) for p in parts))


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


def _schedule(value, name: str):
    """``t -> η_t`` from a constant η > 0 or a callable (its values η_t >= 0 checked when used)."""
    if callable(value):
        def at(t):
            return check_real(value(t), f"{name}({t})", min_val=0.0)
        return at
    v = check_real(value, name, min_val=0.0, include_boundaries="neither")
    return lambda t: v


def _decays(weight_decay, n_params: int):
    """``t -> (λ_t for each parameter array)`` from a float, a tuple (one per array) or a callable."""
    def per_param(v, where):
        v = tuple(v) if isinstance(v, (tuple, list)) else (v,) * n_params
        if len(v) != n_params:
            raise ValueError(f"{where}: expected one decay per parameter array ({n_params}), got {len(v)}")
        return tuple(check_real(x, where, min_val=0.0) for x in v)

    if callable(weight_decay):
        return lambda t: per_param(weight_decay(t), f"weight_decay({t})")
    const = per_param(weight_decay, "weight_decay")
    return lambda t: const


# -- the update rules: θ_{t+1} from the decayed iterate, the direction and η_t --------------------------------
class _Plain:
    """``θ − η·g``."""

    restart = False

    def apply(self, base, direction, eta):
        return tuple(p - eta * g for p, g in zip(base, direction))

    def reset(self) -> bool:
        return False  # no state: a rejected step would be retried unchanged


class _HeavyBall:
    """``v ← μv − η·g``, ``θ + v``; ``v`` zeroed on a loss increase (function-value restart)."""

    restart = True

    def __init__(self, momentum: float, theta):
        self.momentum = momentum
        self.zero = tuple(array_namespace(p).zeros_like(p) for p in theta)
        self.vel = self.zero

    def apply(self, base, direction, eta):
        self.vel = tuple(self.momentum * v - eta * g for v, g in zip(self.vel, direction))
        return tuple(p + v for p, v in zip(base, self.vel))

    def reset(self) -> bool:
        self.vel = self.zero
        return True


class _Adam:
    """``θ − η·m̂/(√v̂ + ε)`` with bias-corrected moments ``m̂, v̂`` (Kingma–Ba 2015)."""

    restart = False

    def __init__(self, b1: float, b2: float, eps: float, theta):
        self.b1, self.b2, self.eps = b1, b2, eps
        self.xp = array_namespace(*theta)
        self.m = tuple(self.xp.zeros_like(p) for p in theta)
        self.v = self.m
        self.k = 0  # updates applied so far

    def apply(self, base, grad, eta):
        b1, b2, xp = self.b1, self.b2, self.xp
        self.k += 1
        self.m = tuple(b1 * a + (1.0 - b1) * g for a, g in zip(self.m, grad))
        self.v = tuple(b2 * a + (1.0 - b2) * g * g for a, g in zip(self.v, grad))
        c1, c2 = 1.0 - b1 ** self.k, 1.0 - b2 ** self.k
        return tuple(p - eta * (a / c1) / (xp.sqrt(s / c2) + self.eps) for p, a, s in zip(base, self.m, self.v))

    def reset(self) -> bool:
        return False


def _all_finite(parts) -> bool:
    return all(all_finite(p) for p in parts)


def _descend(loss_and_grad, params0, rule_for, *, step, max_iter, stop_loss, max_step, weight_decay,
             precondition, guard, callback, indexed, rate_name) -> GDResult:
    """The one loop behind :func:`gradient_descent` and :func:`adam` (arguments checked by them).

    Non-finite values are never returned and always attributed (``ValueError``):

    * θ_0 not finite: "params0: the initial parameters are not finite";
    * a non-finite loss or gradient at finite parameters that the step did not make diverge (at θ_0,
      or without the loss having grown): NaN or inf from the data the objective closes over or from
      the model, not the step;
    * a step from a finite point with a finite gradient that lands on non-finite parameters, or a
      loss that grew to inf/NaN: the step is too large (the message gives the loss growth and t).
    """
    parts = _check_params(params0, "params0")
    for name, fn in (("precondition", precondition), ("guard", guard), ("callback", callback)):
        if fn is not None and not callable(fn):
            raise TypeError(f"{name}: expected a callable or None, got {type(fn).__name__}")
    if not isinstance(indexed, bool):
        raise TypeError(f"indexed: expected a bool, got {type(indexed).__name__} {indexed!r}")
    if stop_loss is None:  # the run takes max_iter steps unless it fails: its records must fit
        check_memory(64.0 * max_iter, f"max_iter: the loss and norm records of max_iter = {max_iter} steps")
    xp = array_namespace(*parts)
    theta = tuple(xp.asarray(p, copy=True) for p in parts)
    for i, p in enumerate(theta):
        if not all_finite(p):
            raise ValueError(f"{'params0' if len(theta) == 1 else f'params0[{i}]'}: the initial parameters are "
                             f"not finite (NaN or inf); no step was taken")
    rule = rule_for(theta)
    decay_at = _decays(weight_decay, len(theta))
    eta = None  # the last step taken (for the divergence message)
    loss0 = None
    norm0 = param_norm(theta)

    def diverged(t, what):
        return ValueError(f"{rate_name}: the loss grew from {loss0:.6g} to {what} by iteration {t}: "
                          f"the step {'' if rate_name == 'step' else rate_name + ' = '}{eta!r} is too large (the run diverged; "
                          f"the parameters are not returned)")

    def evaluate(th, t, prev_loss):
        loss, grad = loss_and_grad(_same(params0, th), t) if indexed else loss_and_grad(_same(params0, th))
        loss = float(to_scalar(loss)) if not isinstance(loss, (int, float)) else float(loss)
        if not math.isfinite(loss):
            if t == 0:
                raise ValueError(f"loss_and_grad: the loss at the initial parameters is {loss} although "
                                 f"they are finite: NaN or inf in the data (X, y) the objective uses, "
                                 f"or in the model, not the step")
            # it grew to overflow (the loss rose, or the iterate left the ball it started in): the step
            if math.isinf(loss) or prev_loss > loss0 or param_norm(th) > 10.0 * max(norm0, 1.0):
                raise diverged(t, loss)
            raise ValueError(f"loss_and_grad: the loss is {loss} at iteration {t} although the parameters "
                             f"are finite and the loss had not grown (from {loss0:.6g} to {prev_loss:.6g}): "
                             f"NaN from the model or the data, not the step ({rate_name} = {eta!r})")
        if grad is not None:
            grad = _tup(grad)
            if t == 0:  # once: the gradient is on the parameters' backend, in their shapes
                _check_gradient(grad, _tup(th))
            if not _all_finite(grad):
                raise ValueError(f"loss_and_grad: the gradient is not finite at iteration {t} although the "
                                 f"parameters and the loss ({loss:.6g}) are: NaN from the model, not the step"
                                 + ("" if eta is None else f" ({rate_name} = {eta!r})"))
        return loss, grad

    loss, grad = evaluate(theta, 0, None)
    loss0 = loss
    res = GDResult(params=None, losses=[loss], norms=[norm0])
    if callback is not None:
        callback(0, _same(params0, theta))
    strikes = 0
    for _ in range(max_iter):
        if stop_loss is not None and loss <= stop_loss:
            res.stopped, res.reason = True, "stop_loss"
            break
        t = res.steps + 1  # the step θ_{t−1} → θ_t
        if grad is None:
            raise TypeError(f"loss_and_grad: returned no gradient at θ_{t - 1}, and a step follows")
        eta = step(t)
        if max_step is not None and eta > max_step:
            raise ValueError(f"step: {eta!r} is above the stability bound {max_step!r}")
        # decoupled weight decay: (1 − η_t λ_t)·θ, i.e. a gradient step on F + (λ_t/2)‖θ‖²
        base = tuple(p if lam == 0.0 else (1.0 - eta * lam) * p for p, lam in zip(theta, decay_at(t)))
        direction = _tup(precondition(_same(params0, grad))) if precondition is not None else grad
        if precondition is not None and not _all_finite(direction):
            raise ValueError(f"precondition: returned a non-finite direction at iteration {t} for a finite "
                             f"gradient; not the step ({rate_name} = {eta!r})")
        new = rule.apply(base, direction, eta)
        if not _all_finite(new):  # a finite point and direction: the step overflowed
            raise diverged(t, "inf (the parameters overflowed)")
        if guard is not None and not guard(_same(params0, new)):
            res.rejected += 1
            strikes += 1
            if strikes >= 2 or not rule.reset():
                res.reason = "guard"
                break
            continue
        strikes = 0
        new_loss, new_grad = evaluate(new, t, loss)
        if rule.restart and new_loss > loss:
            rule.reset()
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


def _check_objective(loss_and_grad):
    if not callable(loss_and_grad):
        raise TypeError(f"loss_and_grad: expected a callable θ -> (loss, grad), got {type(loss_and_grad).__name__}")


def gradient_descent(loss_and_grad: Callable[..., tuple[Any, Any]], params0, *,
                     step: float | Callable[[int], float], max_iter: int,
                     stop_loss: float | None = None, max_step: float | None = None, momentum: float = 0.0,
                     weight_decay: float | Sequence[float] | Callable[[int], Any] = 0.0,
                     precondition: Callable[[Any], Any] | None = None,
                     guard: Callable[[Any], bool] | None = None,
                     callback: Callable[[int, Any], None] | None = None, indexed: bool = False) -> GDResult:
    """Run ``θ_t = (1 − η_t λ_t)·θ_{t−1} − η_t·P(∇F(θ_{t−1}))`` (+ momentum) for at most ``max_iter`` steps.

    Parameters
    ----------
    loss_and_grad : callable
        ``θ -> (F(θ), ∇F(θ))``; the loss a host float or 0-d array, the gradient shaped like θ
        (a subgradient where F is not differentiable, e.g. the clipped ReLU's). With
        ``indexed=True`` it is called as ``loss_and_grad(θ_t, t)``.
    params0 : array or tuple of arrays
        θ_0 (not modified).
    step : float or callable
        The fixed step η > 0, or a schedule ``t -> η_t >= 0`` for the step θ_{t−1} → θ_t,
        t = 1, 2, … (e.g. SWL23's large first step, then small ones).
    max_iter : int
        Maximum number of steps (>= 0).
    stop_loss : float, optional
        Stop as soon as F(θ_t) <= stop_loss (Theorem 8's rule with ``ε/2``).
    max_step : float, optional
        Stability bound; a step η_t > max_step raises ``ValueError`` stating the bound.
    momentum : float
        Heavy-ball coefficient μ ∈ [0, 1) (0: plain GD). With μ > 0 the momentum is reset
        whenever the loss increases (function-value restart).
    weight_decay : float, tuple of floats, or callable
        λ_t >= 0: the iterate is shrunk to ``(1 − η_t λ_t)·θ`` before the step, i.e. gradient
        descent on ``F + (λ_t/2)‖θ‖²`` with the regulariser's gradient taken exactly. A tuple
        gives one λ per parameter array; a callable ``t -> λ_t`` (float or tuple) a schedule.
        Default 0 (no decay; the iterate is not touched).
    precondition : callable, optional
        ``g -> P(g)`` (shaped like θ); default the identity.
    guard : callable, optional
        ``θ -> bool``; a new iterate for which it returns False is undone (the loop stops with
        reason ``"guard"`` if that happens twice in a row, or at once without momentum).
    callback : callable, optional
        ``callback(t, θ_t)`` at θ_0 and after every accepted step (e.g. a test error along
        the trajectory).
    indexed : bool
        Pass the iterate's index: ``loss_and_grad(θ_t, t)``. The objective may then change with
        t (fresh samples per step) and return ``None`` as the gradient at ``t = max_iter``,
        whose gradient no step uses.

    Returns
    -------
    GDResult

    Raises
    ------
    ValueError
        Bad step, bounds, decay or momentum. Non-finite values are never returned, and the message
        says whose they are: non-finite ``params0`` ("the initial parameters are not finite"); a
        non-finite loss at θ_0 although θ_0 is finite (NaN or inf in the data or the model); a
        non-finite gradient at a finite iterate ("NaN from the model, not the step", with the
        iteration t); a step that overflows the parameters or makes the loss grow to inf ("the loss
        grew from F(θ_0) to inf by iteration t: the step η is too large").
    TypeError
        A gradient of ``None`` where a step needs it; complex parameters.

    Examples
    --------
    >>> import numpy as xp
    >>> f = lambda w: (float(xp.sum(w * w)), 2.0 * w)
    >>> res = gradient_descent(f, xp.asarray([1.0, -2.0]), step=0.25, max_iter=50, stop_loss=1e-6)
    >>> res.stopped, res.max_increase < 0
    (True, True)

    A schedule and weight decay: one step of size 1 with λ = 1 erases θ_0 (``(1 − 1·1)·θ_0 = 0``),
    leaving ``−η·∇F(θ_0)``:

    >>> res = gradient_descent(f, xp.asarray([1.0, -2.0]), step=lambda t: 1.0 if t == 1 else 0.1,
    ...                        weight_decay=lambda t: 1.0 if t == 1 else 0.0, max_iter=1)
    >>> res.params
    array([-2.,  4.])
    """
    _check_objective(loss_and_grad)
    step_at = _schedule(step, "step")
    max_iter = check_int(max_iter, "max_iter", min_val=0)
    if max_step is not None:
        max_step = check_real(max_step, "max_step", min_val=0.0, include_boundaries="neither")
        if not callable(step) and step > max_step:
            raise ValueError(f"step: {step!r} is above the stability bound {max_step!r}")
    if stop_loss is not None:
        stop_loss = check_real(stop_loss, "stop_loss")
    momentum = check_real(momentum, "momentum", min_val=0.0, max_val=1.0, include_boundaries="left")
    rule_for = (lambda th: _HeavyBall(momentum, th)) if momentum > 0 else (lambda th: _Plain())
    return _descend(loss_and_grad, params0, rule_for, step=step_at, max_iter=max_iter, stop_loss=stop_loss,
                    max_step=max_step, weight_decay=weight_decay, precondition=precondition, guard=guard,
                    callback=callback, indexed=indexed, rate_name="step")


def adam(loss_and_grad: Callable[[Any], tuple[Any, Any]], params0, *, lr: float, max_iter: int,
         betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
         callback: Callable[[int, Any], None] | None = None) -> GDResult:
    """Adam (Kingma–Ba 2015) with bias correction: a practical baseline, not a method of any paper here.

    The loop of :func:`gradient_descent` with Adam's update; same records (``losses[t]`` is the
    loss at θ_t).

    Examples
    --------
    >>> import numpy as xp
    >>> f = lambda w: (float(xp.sum(w * w)), 2.0 * w)
    >>> res = adam(f, xp.asarray([1.0, -2.0]), lr=0.1, max_iter=200)
    >>> res.steps, res.losses[-1] < 1e-3
    (200, True)
    """
    _check_objective(loss_and_grad)
    lr = check_real(lr, "lr", min_val=0.0, include_boundaries="neither")
    max_iter = check_int(max_iter, "max_iter", min_val=0)
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise ValueError(f"betas: expected a pair (beta1, beta2) in [0, 1), got {betas!r}")
    b1 = check_real(betas[0], "betas[0]", min_val=0.0, max_val=1.0, include_boundaries="left")
    b2 = check_real(betas[1], "betas[1]", min_val=0.0, max_val=1.0, include_boundaries="left")
    eps = check_real(eps, "eps", min_val=0.0, include_boundaries="neither")
    return _descend(loss_and_grad, params0, lambda th: _Adam(b1, b2, eps, th), step=lambda t: lr,
                    max_iter=max_iter, stop_loss=None, max_step=None, weight_decay=0.0, precondition=None,
                    guard=None, callback=callback, indexed=False, rate_name="lr")
