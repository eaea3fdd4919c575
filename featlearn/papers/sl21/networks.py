"""Safran–Lee's two network classes (SL21, COLT 2022) and their training, in the Array API.

docs/papers/sl21.md §2.1–§2.2 and §4:

* the **strong** class, Eq. (2): ``N(x) = [Σ_j w_j erf(⟨u_j, x⟩ + b_j)]_+^1`` (clipped ReLU
  ``[z]_+^1 = min{max(z, 0), 1}`` at the output, no output bias), hidden layer frozen at
  Assumption 7's initialisation, output weights trained by gradient descent on Eq. (6),
  ``F̂(w) = (1/n)Σ([wᵀx̃_i]_+^1 − y_i)²``, with the clipped ReLU's subgradient
  ``1{wᵀx̃ ∈ (0, 1)}`` (the one the paper's gradient uses, its Eq. (7));
* the best **linear** readout of the same frozen erf features (ridge, λ chosen on validation):
  the one-nonlinearity optimum for those features, a member of the weak class Eq. (1);
* a **construction** of a clipped readout (least squares on a steep ramp of ‖x‖², then the
  clip): what the frozen features can *represent* in the strong class, separate from how fast
  GD finds it (design, §4.3);
* the **weak** class, Eq. (1): ``x ↦ Σ_j w_j σ(⟨u_j, x⟩ + b_j) + b₀`` with a C² activation
  (tanh or softplus), all layers trained by GD (Theorem 3's algorithm) or Adam.

Heavy work is matrix products over row chunks; sums over chunks do not depend on the chunk
size (up to rounding). :func:`erf` is the backend's own where it has one (torch, JAX, CuPy)
and otherwise a pure Array-API series/continued fraction accurate to ~2e-15 in float64.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any, Sequence

from featlearn.theory.activations import ACTIVATIONS
from featlearn.theory.special import erf as _erf
from featlearn.theory.special import erf_array_api, erf_grad  # noqa: F401  (re-exported: the features use them)
from featlearn.backends import Generator, array_namespace, device_of, to_scalar
from featlearn.data import DEFAULT_CHUNK, ArrayStream, Stream, chunk_bounds
from featlearn.models.block_krylov import top_eigh
from featlearn.models.estimator import Estimator, estimator_rng, fit_data
from featlearn.models.gradient_descent import GDResult, adam, gradient_descent
from featlearn.validation import (check_array, check_choice, check_finite_output, check_fitted, check_generator,
                                  check_grid, check_int, check_memory, check_real, check_seed,
                                  reference_namespace)

from .separation import THEOREM3_LEVEL
from .setting import Setting

__all__ = [
    "ErfFeatures",
    "StrongNetwork",
    "WeakNetwork",
    "clipped_error",
    "clipped_relu",
    "clipped_relu_grad",
    "erf",
    "feature_gram",
    "linear_readout",
    "ramp_readout",
    "strong_objective",
    "train_strong",
]

# erf lives in featlearn.theory.special (one implementation for theory and models)
_erf_agnostic = erf_array_api


#: ``[z]_+^1 = min{max(z, 0), 1}`` (SL21 Eq. (2)'s output activation) and the subgradient
#: ``1{z ∈ (0, 1)}`` GD uses (0 at the kinks, as in the paper's Eq. (7)): the registry's entry
_clipped_relu = ACTIVATIONS["clipped_relu"].fn
_clipped_relu_grad = ACTIVATIONS["clipped_relu"].derivative

#: Memory of a GD run's history: a loss and a norm (Python floats in lists, ~32 bytes each) per iterate.
_HISTORY_BYTES = 64.0
#: Power iterations beyond this never sharpen the estimate of L (a run is 20).
MAX_POWER_ITERS = 10_000


def _check_callback(callback):
    if callback is not None and not callable(callback):
        raise TypeError(f"callback: expected a callable callback(t, params) or None, got {type(callback).__name__}")
    return callback


def _check_history(max_iter, what: str) -> int:
    max_iter = check_int(max_iter, "max_iter", min_val=1)
    check_memory(_HISTORY_BYTES * max_iter, f"{what}: the loss/norm history of max_iter = {max_iter} iterations")
    return max_iter


def erf(x, /):
    """The error function of a real array (:func:`featlearn.theory.special.erf`), elementwise, on its backend.

    Complex input raises ``TypeError``, NaN or inf ``ValueError`` (argument ``x``).
    """
    return _erf(check_array(x, "x", min_rows=0))


def clipped_relu(z, /):
    """``[z]_+^1 = min{max(z, 0), 1}`` elementwise (SL21 Eq. (2)'s output activation) of a real array ``z``."""
    return _clipped_relu(check_array(z, "z", min_rows=0))


def clipped_relu_grad(z, /):
    """The subgradient ``1{z ∈ (0, 1)}`` of :func:`clipped_relu` that GD uses (0 at the kinks, Eq. (7))."""
    return _clipped_relu_grad(check_array(z, "z", min_rows=0))


# -- the frozen hidden layer ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class ErfFeatures:
    """The frozen feature map of Eq. (2): ``x ↦ x̃ = erf(Ux + b)`` with ``U`` (r × d) and ``b`` (r,).

    A feature map, not an estimator: it has no ``fit``; :meth:`transform` (or calling it) maps inputs
    ``X`` (n × d) to features (n × r). :meth:`init` draws Assumption 7's ``U_j ~ N(0, ¼I_d)``,
    ``B_j ~ N(0, ¼)``; :class:`StrongNetwork` trains a clipped readout of these features.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> phi = ErfFeatures.init(Generator(0), d=4, width=16)
    >>> phi.transform(Generator(1).normal((5, 4))).shape
    (5, 16)
    """

    U: Any
    b: Any

    def __post_init__(self):
        U = check_array(self.U, "U", ndim=2)
        b = check_array(self.b, "b", ndim=1, xp=array_namespace(U), rows=int(U.shape[0]), dtype=U.dtype)
        object.__setattr__(self, "U", U)
        object.__setattr__(self, "b", b)

    @classmethod
    def init(cls, rng: Generator, d: int, width: int, *, dtype=None, u_std: float = 0.5,
             b_std: float = 0.5) -> "ErfFeatures":
        """Assumption 7 (SL21 §4): U_j ~ N(0, ¼I_d), B_j ~ N(0, ¼) (``u_std = b_std = ½``), from
        ``rng.child("hidden")``."""
        rng = check_generator(rng)
        d = check_int(d, "d", min_val=2)
        width = check_int(width, "width", min_val=1)
        u_std = check_real(u_std, "u_std", min_val=0.0, include_boundaries="neither")
        b_std = check_real(b_std, "b_std", min_val=0.0)
        check_memory(8.0 * width * (d + 2), f"ErfFeatures.init: U of shape (width, d) = ({width}, {d})")
        h = rng.child("hidden")
        return cls(h.normal((width, d), dtype=dtype, std=u_std),
                   h.child("bias").normal((width,), dtype=dtype, std=b_std))

    @property
    def d(self) -> int:
        return int(self.U.shape[1])

    @property
    def width(self) -> int:
        return int(self.U.shape[0])

    def transform(self, X, *, chunk: int = DEFAULT_CHUNK):
        """The features ``x̃ = erf(Ux + b)`` of the rows of X.

        Parameters
        ----------
        X : array (n, d)
            Inputs (a list is converted to the backend of ``U``); d must be :attr:`d`.
        chunk : int
            Rows per matrix product (the result does not depend on it).

        Returns
        -------
        array (n, r)
            ``erf(XUᵀ + b)``, on the backend and dtype of ``U``.

        Raises
        ------
        ValueError
            If X is not 2-D with d columns or holds NaN/inf.
        TypeError
            If X is not a numeric array or is on another backend.
        """
        return self(X, chunk=chunk)

    def __call__(self, X, *, chunk: int = DEFAULT_CHUNK):
        """Features ``erf(XUᵀ + b)`` (n × r), computed chunk by chunk (:meth:`transform`)."""
        X = check_array(X, "X", ndim=2, columns=self.d, xp=array_namespace(self.U), dtype=self.U.dtype)
        xp = array_namespace(X)
        n = int(X.shape[0])
        if n == 0:
            return xp.zeros((0, self.width), dtype=self.U.dtype, device=device_of(X))
        parts = [_erf(X[s:e, ...] @ self.U.T + self.b) for s, e in chunk_bounds(n, chunk)]
        return parts[0] if len(parts) == 1 else xp.concat(parts)


def feature_gram(F, *, chunk: int = DEFAULT_CHUNK):
    """``G = FᵀF/n`` accumulated over row chunks."""
    F = check_array(F, "F", ndim=2)
    # in F's own dtype (not the float64 of GramStats): G feeds working-dtype gradient descent and eigh
    p = check_int(int(F.shape[1]), "p", min_val=1)  # no features: refused, as GramStats.zeros does
    check_memory(8.0 * p * (p + 1), f"feature_gram: the p × p Gram matrix with p = {p}")
    FtF = array_namespace(F).zeros((p, p), dtype=F.dtype, device=device_of(F))
    for s, e in chunk_bounds(int(F.shape[0]), chunk):
        FtF = FtF + F[s:e, ...].T @ F[s:e, ...]
    G = FtF / int(F.shape[0])
    return 0.5 * (G + G.T)


def _check_fy(F, y, w=..., w_name: str = "w"):
    F = check_array(F, "F", ndim=2)
    xp = array_namespace(F)
    y = check_array(y, "y", ndim=1, xp=xp, rows=int(F.shape[0]), dtype=F.dtype)
    if w is not ...:  # weights are required where the caller passes them (None included)
        w = check_array(w, w_name, ndim=1, xp=xp, rows=int(F.shape[1]), dtype=F.dtype)
    else:
        w = None
    return xp, F, y, w


def strong_objective(F, y, *, chunk: int = DEFAULT_CHUNK):
    """Eq. (6) as ``w -> (F̂(w), ∇F̂(w))`` on the frozen features ``F`` (n × r).

    ``F̂(w) = (1/n)Σ([wᵀx̃_i]_+^1 − y_i)²``, ``∇F̂(w) = (2/n)Σ([wᵀx̃_i]_+^1 − y_i)·1{wᵀx̃_i ∈ (0, 1)}·x̃_i``,
    summed over row chunks (two matrix products per chunk).
    """
    xp, F, y, _ = _check_fy(F, y)
    n = int(F.shape[0])
    chunk = check_int(chunk, "chunk", min_val=1)
    bounds = list(chunk_bounds(n, chunk))

    def f(w):
        loss = None
        grad = None
        for s, e in bounds:
            Fc = F[s:e, ...]
            z = Fc @ w
            res = _clipped_relu(z) - y[s:e]
            l_c = xp.sum(res * res)
            g_c = Fc.T @ (res * _clipped_relu_grad(z))
            loss = l_c if loss is None else loss + l_c
            grad = g_c if grad is None else grad + g_c
        return loss / n, (2.0 / n) * grad

    return f


def clipped_error(F, y, w, *, chunk: int = DEFAULT_CHUNK) -> float:
    """Mean of ``([wᵀx̃]_+^1 − y)²`` over the rows of ``F`` (the risk of Eq. (2) on that sample)."""
    xp, F, y, w = _check_fy(F, y, w)
    tot = 0.0
    for s, e in chunk_bounds(int(F.shape[0]), chunk):
        r = _clipped_relu(F[s:e, ...] @ w) - y[s:e]
        tot += to_scalar(xp.sum(r * r))
    return tot / int(F.shape[0])


def train_strong(F, y, w0, *, rng: Generator, step: float | None = None, max_iter: int, eps: float | None = None,
                 momentum: float = 0.0, precondition_ridge: float | None = None,
                 chunk: int = DEFAULT_CHUNK, callback=None) -> tuple[GDResult, dict[str, float]]:
    """GD on Eq. (6) over the output weights, hidden layer fixed (Theorem 8's algorithm).

    docs/papers/sl21.md §4.2. The stability bound is ``1/λ_max(G)``, G = FᵀF/n: on the set
    where the clip is active F̂ has Hessian 2G, so 2/L = 1/λ_max(G); more strongly, each
    sample's loss lies below its quadratic model with curvature 1 in wᵀx̃ (the clip's kinks
    are concave), so F̂(w − ηg) <= F̂(w) − η(1 − ηλ_max)‖g‖²: the loss never increases for
    η <= 1/λ_max (reconstructed, our derivation). A larger step is refused.

    Parameters
    ----------
    F, y : arrays
        Frozen features (n × r) and labels 1{‖x‖ <= λ}.
    w0 : array
        Initial output weights (Assumption 7: N(0, r⁻²I)).
    rng : Generator
        Start block of the λ_max(G) eigensolver (:func:`~featlearn.models.block_krylov.top_eigh`).
    step : float, optional
        Fixed step; default ``1/λ_max(G)`` (with preconditioning: 1).
    max_iter : int
    eps : float, optional
        Theorem 8's ε: stop when F̂ <= ε/2.
    momentum : float
        Heavy-ball coefficient with restart (beyond the paper).
    precondition_ridge : float, optional
        If given, precondition by ``(G + ρI)⁻¹`` (beyond the paper; a Gauss–Newton-type step
        in the feature metric). The P-norm version of the bound above makes η <= 1 monotone,
        so the stability bound is then 1.
    callback : callable, optional
        Passed to :func:`featlearn.models.gradient_descent.gradient_descent`.

    Returns
    -------
    (GDResult, info) with info ``{"lambda_max": …, "stability_bound": …, "step": …}``.
    """
    xp, F, y, w0 = _check_fy(F, y, w0, "w0")
    rng = check_generator(rng)
    max_iter = _check_history(max_iter, "train_strong")
    momentum = check_real(momentum, "momentum", min_val=0.0, max_val=1.0, include_boundaries="left")
    callback = _check_callback(callback)
    G = feature_gram(F, chunk=chunk)
    lmax = float(to_scalar(top_eigh(G, 1, rng=rng, vectors=False)[0][0]))
    precond = None
    if precondition_ridge is None:
        bound = 1.0 / lmax
    else:
        rho = check_real(precondition_ridge, "precondition_ridge", min_val=0.0, include_boundaries="neither")
        evals, evecs = xp.linalg.eigh(G)
        inv = 1.0 / (xp.clip(evals, 0.0, None) + rho)

        def precond(g):
            return evecs @ (inv * (evecs.T @ g))

        bound = 1.0
    eta = bound if step is None else check_real(step, "step", min_val=0.0, include_boundaries="neither")
    stop = None if eps is None else 0.5 * check_real(eps, "eps", min_val=0.0, include_boundaries="neither")

    def alive(w):  # a clipped net with no sample in the active region has zero gradient for good
        z = F @ w
        return bool(xp.any(xp.logical_and(z > 0, z < 1)))

    res = gradient_descent(strong_objective(F, y, chunk=chunk), w0, step=eta, max_iter=max_iter, stop_loss=stop,
                           max_step=bound * (1.0 + 1e-12), momentum=momentum, precondition=precond,
                           guard=alive if momentum > 0 else None, callback=callback)
    return res, {"lambda_max": lmax, "stability_bound": bound, "step": eta}


# -- what the features represent ----------------------------------------------------------------------------
def ramp_readout(F, X, lam: float, *, slopes: Sequence[float], ridges: Sequence[float], F_val, X_val,
                 saturations: Sequence[float] = (1.0, 4.0, math.inf),
                 chunk: int = DEFAULT_CHUNK) -> tuple[Any, dict[str, float]]:
    """A clipped readout of the frozen features built by construction (design, docs/papers/sl21.md §4.3).

    For each slope K and saturation B, fit ``v = argmin (1/n)‖Fv − t‖² + ρ‖v‖²`` to the ramp
    ``t(x) = clip(½ + K(λ² − ‖x‖²), −B, 1 + B)``: then ``[vᵀx̃]_+^1 = 1{‖x‖ <= λ}`` wherever the fit
    is within B of ``t`` outside a shell of width ~1/(2λK) around the sphere ‖x‖ = λ. A finite
    saturation keeps the target bounded, as the erf features are, so heavy-tailed inputs (μ_d)
    do not dominate the fit; on compact laws (D'_d) the unsaturated ramp (B = ∞) is smoother
    and fits better. The (K, B, ρ) with the smallest clipped error on the validation sample
    (labels 1{‖x‖ <= λ}) is kept; one eigendecomposition of FᵀF/n serves all.

    Returns ``(v, {"slope", "saturation", "ridge", "val_error", "norm"})``.
    """
    F = check_array(F, "F", ndim=2)
    xp = array_namespace(F)
    X = check_array(X, "X", ndim=2, xp=xp, rows=int(F.shape[0]))
    F_val = check_array(F_val, "F_val", ndim=2, xp=xp, columns=int(F.shape[1]))
    X_val = check_array(X_val, "X_val", ndim=2, xp=xp, rows=int(F_val.shape[0]), columns=int(X.shape[1]))
    lam = check_real(lam, "lam", min_val=0.0, include_boundaries="neither")
    slopes = check_grid(slopes, "slopes", min_val=0.0, include_boundaries="neither")
    ridges = check_grid(ridges, "ridges", min_val=0.0, include_boundaries="neither")
    if isinstance(saturations, (str, bytes)) or not isinstance(saturations, Iterable):
        raise TypeError(f"saturations: expected a sequence of levels > 0 (inf allowed), got {type(saturations).__name__}")
    sats = tuple(check_real(b, f"saturations[{i}]", min_val=0.0, include_boundaries="neither", allow_inf=True)
                 for i, b in enumerate(saturations))
    if not sats:
        raise ValueError("saturations: expected a non-empty sequence of levels > 0 (inf allowed), got an empty one")
    sq = xp.sum(X * X, axis=1)
    y_val = xp.astype(xp.sum(X_val * X_val, axis=1) <= lam * lam, F.dtype)
    G = feature_gram(F, chunk=chunk)
    evals, evecs = xp.linalg.eigh(G)
    evals = xp.clip(evals, 0.0, None)
    n = int(F.shape[0])
    best = None
    for K in slopes:
        ramp = 0.5 + K * (lam * lam - sq)
        for B in sats:
            t = ramp if math.isinf(B) else xp.clip(ramp, -B, 1.0 + B)
            proj = evecs.T @ (F.T @ t / n)
            for rho in ridges:
                v = evecs @ (proj / (evals + rho))
                err = clipped_error(F_val, y_val, v, chunk=chunk)
                if best is None or err < best[0]:
                    best = (err, v, K, B, rho)
    err, v, K, B, rho = best
    norm = math.sqrt(to_scalar(xp.sum(v * v)))
    return v, {"slope": K, "saturation": B, "ridge": rho, "val_error": err, "norm": norm}


def linear_readout(F, y, F_val, y_val, *, lambdas: Sequence[float], chunk: int = DEFAULT_CHUNK):
    """Best linear readout ``aᵀx̃ + a₀`` of the frozen features: ridge on ``a`` only, λ chosen on validation.

    A member of the weak class Eq. (1) (σ = erf, hidden layer fixed): its optimum over the output
    layer. The intercept a₀ is not penalised (ridge on the centred features and labels, then
    ``a₀ = ȳ − x̄̃ᵀa``) and no conditioning floor restricts the grid: every λ of ``lambdas`` is
    solved from one eigendecomposition of the centred Gram (float64 where the features are) and the
    one with the smallest validation error is kept, so the readout is the best of the grid on
    validation data, down to λ ≈ 0 (least squares). Returns ``(predict, {"ridge": λ, "val_error": …,
    "val_errors": [one per λ]})`` where ``predict(F)`` evaluates the readout on features.
    """
    F = check_array(F, "F", ndim=2)
    xp = array_namespace(F)
    y = check_array(y, "y", ndim=1, xp=xp, rows=int(F.shape[0]), dtype=F.dtype)
    F_val = check_array(F_val, "F_val", ndim=2, xp=xp, columns=int(F.shape[1]))
    y_val = check_array(y_val, "y_val", ndim=1, xp=xp, rows=int(F_val.shape[0]), dtype=F.dtype)
    lambdas = check_grid(lambdas, "lambdas", min_val=0.0, include_boundaries="neither")
    n = int(F.shape[0])
    mu = xp.mean(F, axis=0)
    ybar = xp.mean(y)
    G = feature_gram(F, chunk=chunk) - mu[:, None] * mu[None, :]  # the centred Gram (1/n)Σ(x̃ − x̄̃)(x̃ − x̄̃)ᵀ
    evals, evecs = xp.linalg.eigh(0.5 * (G + G.T))
    evals = xp.clip(evals, 0.0, None)
    proj = evecs.T @ ((F.T @ y) / n - mu * ybar)  # Vᵀ · centred cross-moment
    Fv_c = F_val - mu
    best = None
    errs = []
    for lam in lambdas:
        a = evecs @ (proj / (evals + lam))
        r = Fv_c @ a + ybar - y_val
        err = float(to_scalar(xp.mean(r * r)))
        errs.append(err)
        if math.isfinite(err) and (best is None or err < best[0]):
            best = (err, lam, a)
    if best is None:
        raise ValueError("F, y: the validation errors of every λ are non-finite (NaN or inf in the data)")
    err, lam, a = best
    a0 = ybar - xp.sum(mu * a)

    def predict(M):
        return M @ a + a0

    return predict, {"ridge": lam, "val_error": err, "val_errors": errs}


# -- the networks as estimators ------------------------------------------------------------------------------
#: the quick-scale Setting: the estimators' defaults (width, iterations, Adam's learning rate)
_QUICK = Setting()
#: Theorem 8's stopping rule in the sl21-separation cells: ε = 2/400, so GD stops once F̂ <= ε/2 = 1/400
_DEFAULT_EPS = 2.0 * THEOREM3_LEVEL


def _check_params(params, name: str = "params") -> tuple:
    """A weak network's parameters ``(U, b, w, b0)``: four arrays of one backend and matching shapes."""
    if not isinstance(params, (tuple, list)) or len(params) != 4:
        raise TypeError(f"{name}: expected a tuple (U, b, w, b0), got {type(params).__name__}")
    U, b, w, b0 = params
    U = check_array(U, "U", ndim=2)
    xp = array_namespace(U)
    b = check_array(b, "b", ndim=1, xp=xp, rows=int(U.shape[0]), dtype=U.dtype)
    w = check_array(w, "w", ndim=1, xp=xp, rows=int(U.shape[0]), dtype=U.dtype)
    b0 = check_array(b0, "b0", ndim=1, xp=xp, rows=1, dtype=U.dtype)
    return (U, b, w, b0)


def _training_data(X, y, name: str = "X"):
    """``(X, y)`` arrays of ``fit(X, y)``: arrays as given (nested lists on y's backend, else NumPy), or a
    featlearn stream materialised."""
    if isinstance(X, (list, tuple)):
        xp, like = reference_namespace(X=X, y=y)
        X = check_array(X, name, ndim=2, xp=xp, like=like)
    if not isinstance(X, Stream) and not hasattr(X, "shape"):
        raise TypeError(f"{name}: expected an (n, d) array or a featlearn stream, got {type(X).__name__}")
    if not isinstance(X, Stream):
        X = check_array(X, name, ndim=2)
        if y is not None and isinstance(y, (list, tuple)):
            y = check_array(y, "y", ndim=1, xp=array_namespace(X), like=name)
    data = fit_data(X, y, name=name)
    if isinstance(data, ArrayStream):
        return data.X, data.y
    b = data.materialise()
    X = check_array(b.X, name, ndim=2)
    return X, check_array(b.y, "y", ndim=1, xp=array_namespace(X), rows=int(X.shape[0]), dtype=X.dtype)


class StrongNetwork(Estimator):
    """Eq. (2) of SL21: ``N(x) = [wᵀ erf(Ux + b)]_+^1`` with a frozen hidden layer (docs/papers/sl21.md §2.1).

    An estimator (:class:`featlearn.models.estimator.Estimator`): :meth:`fit` draws the hidden layer
    ``erf(Ux + b)`` at Assumption 7's initialisation (``U_j ~ N(0, ¼I_d)``, ``b_j ~ N(0, ¼)``) and the output
    weights ``w₀ ~ N(0, r⁻²I_r)`` from ``seed``, freezes the hidden layer and trains ``w`` by the algorithm
    of SL21's Theorem 8: fixed-step gradient descent on Eq. (6), ``F̂(w) = (1/n)Σ([wᵀx̃_i]_+^1 − y_i)²``,
    stopped once ``F̂ <= ε/2`` (:func:`train_strong`). The step is our practical ``1/λ_max(FᵀF/n)`` (the
    largest step for which F̂ never increases; Theorem 8's stated step ``ν/(8r)`` is ≈ 10¹⁴ times smaller,
    docs/papers/sl21.md §4.2). :attr:`metric` is ``"mse"``: SL21's test error is the squared error
    ``E(N(x) − f(x))²`` against the labels ``f(x) = 1{‖x‖ <= λ}``.

    Parameters
    ----------
    features : ErfFeatures, optional
        A frozen hidden layer to use instead of drawing one at fit (with ``w``: an already trained network,
        the former ``StrongNetwork(features, w)``; it predicts without fit).
    w : array, optional
        Output weights: with ``features``, the network's weights (and fit's starting point); default drawn.
    width : int
        Width r of the frozen erf layer; default ``Setting().separation_width`` (300, quick scale).
    max_iter : int
        GD iterations; default ``Setting().gd_iters`` (300).
    step : float, optional
        Fixed GD step; default ``1/λ_max(G)``, G = FᵀF/n (a larger step is refused).
    eps : float, optional
        Theorem 8's ε: stop when ``F̂ <= ε/2``; default 2/400 (the sl21-separation cells' value); ``None``:
        run all ``max_iter`` iterations.
    u_std, b_std : float
        Standard deviations of the hidden weights and biases (Assumption 7: ½ and ½).
    seed : int
        Seed of the draws (hidden layer, ``w₀``, the λ_max eigensolver's start), through
        ``featlearn.backends.Generator(seed)`` children ``"strong"`` and ``"lambda-max"``.
    rng : Generator, optional
        A featlearn generator to draw from instead of ``Generator(seed)``.

    Attributes
    ----------
    features, w
        The frozen hidden layer and the trained output weights (after fit).
    result_ : GDResult
        The GD run (losses F̂(w_t), norms, steps).
    info_ : dict
        ``{"lambda_max", "stability_bound", "step"}``.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.papers.sl21 import ball_target
    >>> target = ball_target("sphere_sum", 4)  # 1{‖x‖ <= √2} on D'_4 (Eq. 5)
    >>> X, y = target.sample(Generator(0).child("train"), 500)
    >>> X_test, y_test = target.sample(Generator(0).child("test"), 1000)
    >>> net = StrongNetwork().fit(X, y)
    >>> net.predict(X_test).shape
    (1000,)
    >>> net.metric, 0.0 < net.score(X_test, y_test) < 0.25
    ('mse', True)
    """

    metric = "mse"

    def __init__(self, features: ErfFeatures | None = None, w=None, *, width: int = _QUICK.separation_width,
                 max_iter: int = _QUICK.gd_iters, step: float | None = None, eps: float | None = _DEFAULT_EPS,
                 u_std: float = 0.5, b_std: float = 0.5, seed: int = 0, rng: Generator | None = None):
        if features is not None and not isinstance(features, ErfFeatures):
            raise TypeError(f"features: expected ErfFeatures, got {type(features).__name__}")
        if w is not None and features is None:
            raise ValueError("w: give the output weights together with their features (ErfFeatures)")
        self.width = check_int(width, "width", min_val=1) if features is None else features.width
        self.max_iter = check_int(max_iter, "max_iter", min_val=1)
        self.step = None if step is None else check_real(step, "step", min_val=0.0, include_boundaries="neither")
        self.eps = None if eps is None else check_real(eps, "eps", min_val=0.0, include_boundaries="neither")
        self.u_std = check_real(u_std, "u_std", min_val=0.0, include_boundaries="neither")
        self.b_std = check_real(b_std, "b_std", min_val=0.0)
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)
        if w is not None:
            w = check_array(w, "w", ndim=1, xp=array_namespace(features.U), rows=features.width,
                            dtype=features.U.dtype)
        self._init = (features, w)
        self.features, self.w = features, w
        self.result_ = self.info_ = None

    @classmethod
    def init(cls, rng: Generator, d: int, width: int, *, dtype=None) -> "StrongNetwork":
        """Assumption 7: hidden layer as :meth:`ErfFeatures.init`, ``W ~ N(0, r⁻²I_r)`` (an untrained network)."""
        rng = check_generator(rng)
        feats = ErfFeatures.init(rng, d, width, dtype=dtype)
        w = rng.child("output").normal((feats.width,), dtype=dtype, std=1.0 / feats.width)
        return cls(feats, w)

    def fit(self, X, y=None, *, callback=None) -> "StrongNetwork":
        """Train the output weights by GD on Eq. (6) (Theorem 8's algorithm), the hidden layer frozen.

        Parameters
        ----------
        X : array (n, d) or featlearn stream
            Inputs (or a stream holding inputs and labels, with ``y`` omitted).
        y : array (n,), optional
            Labels, e.g. ``1{‖x‖ <= λ}``.
        callback : callable, optional
            ``callback(t, w)`` after every iterate (passed to the GD loop).

        Returns
        -------
        self
        """
        callback = _check_callback(callback)
        X, y = _training_data(X, y)
        feats, w0 = self._init
        rng = estimator_rng(self.seed, self.rng, X)
        if feats is None:
            g = rng.child("strong")
            feats = ErfFeatures.init(g, int(X.shape[1]), self.width, dtype=X.dtype, u_std=self.u_std,
                                     b_std=self.b_std)
            w0 = g.child("output").normal((feats.width,), dtype=X.dtype, std=1.0 / feats.width)
        else:
            X = check_array(X, "X", ndim=2, columns=feats.d, xp=array_namespace(feats.U), dtype=feats.U.dtype)
            if w0 is None:
                w0 = rng.child("strong").child("output").normal((feats.width,), dtype=feats.U.dtype,
                                                                 std=1.0 / feats.width)
        F = feats(X)
        res, info = train_strong(F, y, w0, rng=rng.child("lambda-max"), step=self.step, max_iter=self.max_iter,
                                 eps=self.eps, callback=callback)
        self.features, self.w, self.result_, self.info_ = feats, res.params, res, info
        return self

    def predict(self, X, *, chunk: int = DEFAULT_CHUNK):
        """The network's outputs ``N(x) = [wᵀ erf(Ux + b)]_+^1 ∈ [0, 1]`` on the rows of X.

        Parameters
        ----------
        X : array (m, d)
            Inputs (a list is converted to the network's backend); d must be the fitted input dimension.
        chunk : int
            Rows per matrix product (the result does not depend on it).

        Returns
        -------
        array (m,)
            The outputs, on the network's backend and dtype.

        Raises
        ------
        ValueError
            Before :meth:`fit`, or if X is not 2-D with d columns or holds NaN/inf.
        TypeError
            If X is not a numeric array (e.g. strings) or is on another backend.
        """
        if self.features is None or self.w is None:
            check_fitted(self, "w")
            check_fitted(self, "features")
        return _clipped_relu(self.features(X, chunk=chunk) @ self.w)


#: the C² activations of the registry that Theorem 3's weak class admits here
_ACTIVATIONS = ("tanh", "softplus")
_SOLVERS = ("gd", "adam")


class WeakNetwork(Estimator):
    """Eq. (1) of SL21: ``x ↦ Σ_j w_j σ(⟨u_j, x⟩ + b_j) + b₀`` with a C² activation, all layers trainable.

    docs/papers/sl21.md §2.1, §4.4. Parameters θ = (U, b, w, b₀). The initialisation (design):
    ``u_j ~ N(0, I_d/d)``, ``b_j ~ N(0, ¼)``, ``w ~ N(0, I_r/r)``, ``b₀ = 0`` -- a polynomially
    bounded initial norm, as Theorem 3 requires. The objective is the empirical square loss
    ``(1/n)Σ(N(x_i) − y_i)²``, chunked over rows.

    An estimator (:class:`featlearn.models.estimator.Estimator`): :meth:`fit` draws θ₀ from ``seed`` and
    trains all layers by the algorithm SL21's Theorem 3 analyses, full-batch gradient descent with a fixed
    step ``η <= 2/L − 1/T`` (here ``η = min{1/L̂, 2/L̂ − 1/T}``, L̂ the Hessian's top eigenvalue at θ₀ by power
    iteration, :meth:`estimate_smoothness`), or, with ``solver="adam"``, by Adam (a practical baseline beyond
    the theorem). :attr:`metric` is ``"mse"``: SL21's test error is the squared error ``E(N(x) − f(x))²``.
    Theorem 3: on D'_d, d >= 4, GD keeps that error above 1/400 at every iterate (for its λ_d).

    Parameters
    ----------
    params : tuple (U, b, w, b0), optional
        Weights to use instead of drawing them at fit (the former ``WeakNetwork(params, activation)``; such a
        network predicts without fit, and fit starts from them).
    activation : {"tanh", "softplus"}
        The C² activation σ.
    width : int
        Width m; default ``Setting().weak_width`` (64, quick scale).
    solver : {"gd", "adam"}
        GD (Theorem 3's algorithm; default) or Adam.
    max_iter : int
        Iterations T; default ``Setting().weak_iters`` (300).
    step : float, optional
        GD's fixed step; default ``min{1/L̂, 2/L̂ − 1/T}``.
    lr : float
        Adam's learning rate; default ``Setting().adam_lr`` (1e-2).
    power_iters : int
        Power iterations of :meth:`estimate_smoothness` (default 20; at most :data:`MAX_POWER_ITERS` = 10⁴).
    seed : int
        Seed of the draws (θ₀, the power iteration's start) through ``featlearn.backends.Generator(seed)``
        children ``"weak"`` and ``"power"``.
    rng : Generator, optional
        A featlearn generator to draw from instead of ``Generator(seed)``.

    Attributes
    ----------
    params
        θ = (U, b, w, b₀) after fit.
    result_ : GDResult
        The training run (training losses F(θ_t), norms, steps).
    smoothness_, step_ : float
        L̂ and the step GD used (``None`` with Adam).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.papers.sl21 import ball_target
    >>> target = ball_target("sphere_sum", 4)  # 1{‖x‖ <= √2} on D'_4 (Eq. 5)
    >>> X, y = target.sample(Generator(0).child("train"), 500)
    >>> X_test, y_test = target.sample(Generator(0).child("test"), 1000)
    >>> net = WeakNetwork().fit(X, y)  # GD on all layers, Theorem 3's algorithm
    >>> net.predict(X_test).shape
    (1000,)
    >>> net.score(X_test, y_test) > 1 / 400  # Theorem 3's level
    True
    """

    metric = "mse"

    def __init__(self, params: tuple | None = None, activation: str = "tanh", *, width: int = _QUICK.weak_width,
                 solver: str = "gd", max_iter: int = _QUICK.weak_iters, step: float | None = None,
                 lr: float = _QUICK.adam_lr, power_iters: int = 20, seed: int = 0, rng: Generator | None = None):
        self.activation = check_choice(activation, "activation", _ACTIVATIONS)
        self.solver = check_choice(solver, "solver", _SOLVERS)
        self.max_iter = check_int(max_iter, "max_iter", min_val=1)
        self.step = None if step is None else check_real(step, "step", min_val=0.0, include_boundaries="neither")
        self.lr = check_real(lr, "lr", min_val=0.0, include_boundaries="neither")
        self.power_iters = check_int(power_iters, "power_iters", min_val=1, max_val=MAX_POWER_ITERS)
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)
        if params is not None:
            params = _check_params(params)
            self.width = int(params[0].shape[0])
        else:
            self.width = check_int(width, "width", min_val=1)
        self._init = params
        self.params = params
        self.result_ = self.smoothness_ = self.step_ = None

    @staticmethod
    def _draw(rng: Generator, d: int, width: int, dtype=None) -> tuple:
        """θ₀ (design, see the class docstring) from ``rng.child("weak-init")``."""
        d = check_int(d, "d", min_val=2)
        width = check_int(width, "width", min_val=1)
        check_memory(8.0 * width * (d + 3), f"WeakNetwork.init: U of shape (width, d) = ({width}, {d})")
        g = rng.child("weak-init")
        U = g.child("U").normal((width, d), dtype=dtype, std=1.0 / math.sqrt(d))
        b = g.child("b").normal((width,), dtype=dtype, std=0.5)
        w = g.child("w").normal((width,), dtype=dtype, std=1.0 / math.sqrt(width))
        b0 = rng.xp.zeros((1,), dtype=U.dtype, device=device_of(U))
        return U, b, w, b0

    @classmethod
    def init(cls, rng: Generator, d: int, width: int, *, activation: str = "tanh", dtype=None) -> "WeakNetwork":
        """An untrained network at θ₀ drawn from ``rng`` (the class docstring's initialisation)."""
        rng = check_generator(rng)
        return cls(cls._draw(rng, d, width, dtype), activation)

    def fit(self, X, y=None, *, callback=None) -> "WeakNetwork":
        """Train all layers on the square loss by GD (Theorem 3's algorithm) or Adam (``solver``).

        Parameters
        ----------
        X : array (n, d) or featlearn stream
            Inputs (or a stream holding inputs and labels, with ``y`` omitted).
        y : array (n,), optional
            Labels, e.g. ``1{‖x‖ <= λ}``.
        callback : callable, optional
            ``callback(t, θ)`` after every iterate (e.g. to record the test error along the run).

        Returns
        -------
        self
        """
        callback = _check_callback(callback)
        X, y = _training_data(X, y)
        rng = estimator_rng(self.seed, self.rng, X)
        if self._init is None:
            self.params = self._draw(rng.child("weak"), int(X.shape[1]), self.width, X.dtype)
        else:
            self.params = self._init
            U = self.params[0]
            X = check_array(X, "X", ndim=2, columns=int(U.shape[1]), xp=array_namespace(U), dtype=U.dtype)
        y = check_array(y, "y", ndim=1, xp=array_namespace(X), rows=int(X.shape[0]), dtype=X.dtype)
        self.smoothness_ = self.step_ = None
        if self.solver == "gd":
            step = self.step
            if step is None:
                L = self.estimate_smoothness(X, y, rng=rng.child("power"), iters=self.power_iters)
                step = min(1.0 / L, 2.0 / L - 1.0 / self.max_iter)
                if not step > 0:
                    raise ValueError(f"max_iter: Theorem 3's step 2/L − 1/T is not positive at L̂ = {L:.4g}, "
                                     f"T = {self.max_iter}; pass a step or fewer iterations")
                self.smoothness_ = L
            self.step_ = step
            self.result_ = self.fit_gd(X, y, step=step, max_iter=self.max_iter, callback=callback)
        else:
            self.result_ = self.fit_adam(X, y, lr=self.lr, max_iter=self.max_iter, callback=callback)
        return self

    def forward(self, params, X):
        """The outputs ``Σ_j w_j σ(⟨u_j, x⟩ + b_j) + b₀`` of the parameters ``params = (U, b, w, b0)`` on the rows
        of ``X`` (n × d, on the backend of ``U``)."""
        params = _check_params(params)
        U = params[0]
        X = check_array(X, "X", ndim=2, columns=int(U.shape[1]), xp=array_namespace(U), dtype=U.dtype, min_rows=0)
        return self._forward(params, X)

    def _forward(self, params, X):
        U, b, w, b0 = params
        return ACTIVATIONS[self.activation](X @ U.T + b) @ w + b0[0]

    def predict(self, X, *, chunk: int = DEFAULT_CHUNK):
        """The network's outputs ``N(x) = Σ_j w_j σ(⟨u_j, x⟩ + b_j) + b₀`` on the rows of X.

        Parameters
        ----------
        X : array (m, d)
            Inputs (a list is converted to the network's backend); d must be the fitted input dimension.
        chunk : int
            Rows per matrix product (the result does not depend on it).

        Returns
        -------
        array (m,)
            The outputs (finite: an input whose magnitude overflows the dtype is refused).

        Raises
        ------
        ValueError
            Before :meth:`fit`, or if X is not 2-D with d columns or holds NaN/inf.
        TypeError
            If X is not a numeric array (e.g. strings) or is on another backend.
        """
        check_fitted(self, "params")
        U = self.params[0]
        X = check_array(X, "X", ndim=2, columns=int(U.shape[1]), xp=array_namespace(U), dtype=U.dtype)
        xp = array_namespace(X)
        parts = [self._forward(self.params, X[s:e, ...]) for s, e in chunk_bounds(int(X.shape[0]), chunk)]
        return check_finite_output(parts[0] if len(parts) == 1 else xp.concat(parts))

    def objective(self, X, y, *, chunk: int = DEFAULT_CHUNK):
        """``θ -> (F(θ), ∇F(θ))`` for the square loss on (X, y), by hand-written backpropagation."""
        X = check_array(X, "X", ndim=2, columns=int(self.params[0].shape[1]))
        xp = array_namespace(X)
        y = check_array(y, "y", ndim=1, xp=xp, rows=int(X.shape[0]), dtype=X.dtype)
        n = int(X.shape[0])
        bounds = list(chunk_bounds(n, check_int(chunk, "chunk", min_val=1)))
        sigma = ACTIVATIONS[self.activation]

        def f(params):
            U, b, w, b0 = params
            tot = None
            gU = gb = gw = gb0 = None
            for s, e in bounds:
                Xc = X[s:e, ...]
                h, dh = sigma.value_and_grad(Xc @ U.T + b)
                res = h @ w + b0[0] - y[s:e]
                do = (2.0 / n) * res
                dP = (do[:, None] * w[None, :]) * dh
                parts = (xp.sum(res * res), dP.T @ Xc, xp.sum(dP, axis=0), h.T @ do, xp.reshape(xp.sum(do), (1,)))
                if tot is None:
                    tot, gU, gb, gw, gb0 = parts
                else:
                    tot, gU, gb, gw, gb0 = (tot + parts[0], gU + parts[1], gb + parts[2], gw + parts[3],
                                            gb0 + parts[4])
            return tot / n, (gU, gb, gw, gb0)

        return f

    def estimate_smoothness(self, X, y, *, rng: Generator, iters: int = 20, h: float = 1e-5) -> float:
        """Largest Hessian eigenvalue at the current θ by power iteration on finite-difference
        Hessian–vector products ``(∇F(θ + hv) − ∇F(θ))/h`` (design: an estimate of Theorem 3's L
        at initialisation; the run then checks the loss never increases). ``rng`` draws the start
        vector (``rng.child("power", i)`` for the i-th parameter block)."""
        rng = check_generator(rng)
        h = check_real(h, "h", min_val=0.0, include_boundaries="neither")  # a finite-difference step: h > 0
        iters = check_int(iters, "iters", min_val=1, max_val=MAX_POWER_ITERS)
        f = self.objective(X, y)
        xp = array_namespace(X)
        th = self.params
        _, g0 = f(th)
        v = tuple(rng.child("power", i).normal(tuple(p.shape), dtype=p.dtype) for i, p in enumerate(th))
        L = 0.0
        for _ in range(iters):
            nv = math.sqrt(sum(to_scalar(xp.sum(a * a)) for a in v))
            v = tuple(a / nv for a in v)
            _, g1 = f(tuple(p + h * a for p, a in zip(th, v)))
            Hv = tuple((a - b) / h for a, b in zip(g1, g0))
            L = math.sqrt(sum(to_scalar(xp.sum(a * a)) for a in Hv))
            v = Hv
        return L

    def fit_gd(self, X, y, *, step: float, max_iter: int, max_step: float | None = None, callback=None) -> GDResult:
        """``max_iter`` steps of full-batch GD at the fixed ``step`` on all layers, from the current θ (Theorem 3's
        algorithm; :meth:`fit` chooses the step). Updates :attr:`params`; returns the run."""
        check_fitted(self, "params", method="init or fit")
        max_iter = _check_history(max_iter, "WeakNetwork.fit_gd")
        callback = _check_callback(callback)
        res = gradient_descent(self.objective(X, y), self.params, step=step, max_iter=max_iter, max_step=max_step,
                               callback=callback)
        self.params = res.params
        return res

    def fit_adam(self, X, y, *, lr: float, max_iter: int, callback=None) -> GDResult:
        """``max_iter`` Adam steps at learning rate ``lr`` on all layers, from the current θ (a practical baseline
        beyond the paper). Updates :attr:`params`; returns the run."""
        check_fitted(self, "params", method="init or fit")
        max_iter = _check_history(max_iter, "WeakNetwork.fit_adam")
        callback = _check_callback(callback)
        res = adam(self.objective(X, y), self.params, lr=lr, max_iter=max_iter, callback=callback)
        self.params = res.params
        return res
