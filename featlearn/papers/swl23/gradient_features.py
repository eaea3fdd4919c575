"""Gradient features of Shi, Wei & Liang 2023 (SWL23): the simplified gradient, direction cones,
gradient-feature sets and their hit probabilities.

Definitions (docs/papers/swl23.md §2–§3; the names are the paper's, the exact formulas are
*reconstructed* -- the paper's full text was not available):

* simplified gradient vector ``G(w, b) = E_{(x,y)~D}[ y · x · 1{⟨w, x⟩ > b} ]`` and its empirical
  version ``G_Z(w, b) = (1/n) Σ_l y_l x_l 1{⟨w, x_l⟩ > b}`` (the indicator is **strict**, which
  matches the ReLU derivative ``σ'(0) = 0`` of :mod:`featlearn.papers.swl23.network`);
* direction cone ``C_{D,γ} = {w : |⟨w, D⟩| / ‖w‖ > 1 − γ}`` for a unit vector ``D`` and
  ``γ ∈ (0, 1)`` (the absolute value is our reading; ``absolute=False`` gives the one-sided cone);
* gradient-feature set ``S_{p,γ,B_G} = {(D, s) : Pr_{w,b}[G(w,b) ∈ C_{D,γ}, ‖G(w,b)‖ >= B_G,
  sign(b) = s] >= p}`` over the initialisation law of a neuron ``(w, b)``. :func:`hit_probability`
  estimates that probability from a finite set of neurons, with a Clopper–Pearson interval.

Layout: neurons are columns, ``W`` of shape ``(d, m)`` and ``b`` of shape ``(m,)``; gradients are
returned as ``(d, m)`` arrays (column ``i`` is ``G(w_i, b_i)``). The empirical gradient of ``m``
neurons is one matrix product ``Xᵀ(y ⊙ 1{XW > b})`` per chunk of samples, so memory is
``O(chunk·m + m·d)`` and the result does not depend on the chunk size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from featlearn.theory.special import normal_cdf as _normal_cdf
from featlearn.theory.targets import GaussianMixture
from featlearn.backends import array_namespace, device_of, to_host, to_scalar
from featlearn.data import DEFAULT_CHUNK, iter_batches
from featlearn.stats import binomial_interval, t_quantile
from featlearn.validation import check_array, check_bool, check_int, check_real, check_same_backend

__all__ = [
    "GradientEstimate",
    "check_neurons",
    "HitProbability",
    "SignedHitExcess",
    "direction_cosines",
    "gradient_norm_threshold",
    "hit_probability",
    "in_cone",
    "mixture_gradient",
    "normal_cdf",
    "signed_hit_excess",
    "simplified_gradient",
    "theorem_3_12_rhs",
]


# -- helpers -------------------------------------------------------------------------------------------------
def normal_cdf(t, /):
    """Standard normal CDF ``Φ(t)`` of a real array (:func:`featlearn.theory.special.normal_cdf`), elementwise.

    Complex input raises ``TypeError``, NaN or inf ``ValueError`` (argument ``t``).
    """
    return _normal_cdf(check_array(t, "t", min_rows=0))


def _check_flag(value, name: str) -> bool:
    """``value`` if it is a bool (NumPy's included), else a ``TypeError`` naming ``name``."""
    if not isinstance(value, bool) and type(value).__name__ != "bool_":
        raise TypeError(f"{name}: expected True or False, got {type(value).__name__}")
    return bool(value)


def check_neurons(W, b, *, d: int | None = None):
    """Validate a (d, m) weight matrix and (m,) biases of one backend."""
    if d is not None:
        d = check_int(d, "d", min_val=1)
    W = check_array(W, "W", ndim=2)
    xp = array_namespace(W)
    b = check_array(b, "b", ndim=1, xp=xp, rows=int(W.shape[1]), dtype=W.dtype)
    if d is not None and int(W.shape[0]) != int(d):
        raise ValueError(f"W: expected {d} rows (the input dimension d of the data), got shape {tuple(W.shape)}")
    return xp, W, b


def _check_gamma(gamma) -> float:
    return check_real(gamma, "gamma", min_val=0.0, max_val=1.0, include_boundaries="neither")


# -- the simplified gradient -------------------------------------------------------------------------------
@dataclass(frozen=True)
class GradientEstimate:
    """An empirical simplified gradient and its Monte-Carlo standard error.

    Attributes
    ----------
    G : array, shape (d, m)
        ``G_Z(w_i, b_i)`` in column ``i``.
    std_error : array, shape (d, m)
        Entrywise standard error of ``G_Z`` as an estimate of the population ``G``
        (sample standard deviation of ``y x_j 1{⟨w,x⟩ > b}`` over ``√n``).
    n : int
        Number of samples.
    """

    G: Any
    std_error: Any
    n: int


def simplified_gradient(W, b, data, /, *, chunk: int = DEFAULT_CHUNK, std_error: bool = False):
    """Empirical simplified gradient ``G_Z(w_i, b_i) = (1/n) Σ_l y_l x_l 1{⟨w_i, x_l⟩ > b_i}``.

    SWL23's simplified gradient vector (docs/papers/swl23.md §3.1): at a symmetric
    initialisation (``f ≡ 0``) the hinge-loss gradient of neuron ``i`` is ``−a_i·G_Z(w_i, b_i)``.
    With a large held-out sample it is a Monte-Carlo estimate of the population ``G``.

    Parameters
    ----------
    W : array, shape (d, m)
        Neuron weights (columns).
    b : array, shape (m,)
        Neuron biases (the neuron is ``σ(⟨w, x⟩ − b)``).
    data : stream or (X, y) tuple
        Samples with labels ``y ∈ {±1}`` (:mod:`featlearn.data`).
    chunk : int
        Samples per matrix product; the result does not depend on it.
    std_error : bool
        Also return the entrywise standard error (one more matrix product per chunk).

    Returns
    -------
    array, shape (d, m), or GradientEstimate if ``std_error``.

    Raises
    ------
    ValueError
        Labels not ±1, non-finite data, or a data dimension that differs from ``W``'s.

    Examples
    --------
    >>> import numpy as xp
    >>> X = xp.asarray([[1.0, 0.0], [0.0, 1.0]]); y = xp.asarray([1.0, -1.0])
    >>> W = xp.asarray([[1.0], [1.0]]); b = xp.asarray([0.5])
    >>> simplified_gradient(W, b, (X, y))[:, 0]
    array([ 0.5, -0.5])
    """
    xp, W, b = check_neurons(W, b)
    std_error = check_bool(std_error, "std_error")
    d, m = int(W.shape[0]), int(W.shape[1])
    batches = iter_batches(data, chunk=chunk, d=d, name="data", xp=xp, like="W")  # data checked before any work
    S = xp.zeros((d, m), dtype=W.dtype, device=device_of(W))
    S2 = xp.zeros((d, m), dtype=W.dtype, device=device_of(W)) if std_error else None
    n = 0
    for batch in batches:
        X = xp.astype(batch.X, W.dtype)
        y = xp.astype(batch.y, W.dtype)
        if not bool(xp.all(xp.abs(y) == 1.0)):
            raise ValueError("data.y: expected labels in {-1, +1}")
        act = xp.astype((X @ W) > b[None, :], W.dtype)  # (chunk, m): 1{⟨w_i, x_l⟩ > b_i}
        S = S + (X * y[:, None]).T @ act
        if std_error:
            S2 = S2 + (X * X).T @ act  # (y x_j 1)² = x_j² 1
        n += int(X.shape[0])
    G = S / n
    if not std_error:
        return G
    var = xp.clip(S2 / n - G * G, min=0.0) * (n / max(n - 1, 1))
    return GradientEstimate(G, xp.sqrt(var / n), n)


def mixture_gradient(W, b, mixture, /):
    """Population simplified gradient ``G(w, b)`` of a Gaussian mixture, in closed form.

    For component ``j`` (mean ``μ_j``, covariance ``σ_j² I``, weight ``p_j``, label ``y_j``) and
    ``u = w/‖w‖``, ``c = b/‖w‖``: ``⟨u, x⟩ ~ N(⟨u, μ_j⟩, σ_j²)`` and

    ``E[x 1{⟨w,x⟩ > b}] = μ_j Φ(t_j) + σ_j u φ(t_j)``, ``t_j = (⟨u, μ_j⟩ − c)/σ_j``,

    so ``G(w, b) = Σ_j p_j y_j (μ_j Φ(t_j) + σ_j u φ(t_j))`` (our derivation; docs/papers/swl23.md
    §3.1). The gradient features are therefore combinations of the cluster means plus a
    component along ``w`` itself.

    Parameters
    ----------
    W : array, shape (d, m)
        Neuron weights (non-zero columns).
    b : array, shape (m,)
    mixture : featlearn.theory.targets.GaussianMixture
        The data law (generative labels ``y_j``).

    Returns
    -------
    array, shape (d, m)
    """
    if not isinstance(mixture, GaussianMixture):
        raise TypeError(f"mixture: expected a featlearn.theory.targets.GaussianMixture, got {type(mixture).__name__}")
    xp, W, b = check_neurons(W, b, d=int(mixture.d))
    means = mixture.means
    check_same_backend(W=W, means=means)
    means = xp.astype(means, W.dtype)  # (k, d)
    dev = device_of(W)
    norms = xp.linalg.vector_norm(W, axis=0)
    if not bool(xp.all(norms > 0)):
        raise ValueError("W: every neuron needs a non-zero weight (G is defined through w/‖w‖)")
    U = W / norms[None, :]
    c = b / norms
    std = xp.asarray(list(mixture.input.stds), dtype=W.dtype, device=dev)
    pw = xp.asarray([p * y for p, y in zip(mixture.input.weights, mixture.labels)], dtype=W.dtype, device=dev)
    T = ((means @ U) - c[None, :]) / std[:, None]  # (k, m)
    Phi = _normal_cdf(T)
    phi = xp.exp(-0.5 * T * T) / math.sqrt(2.0 * math.pi)
    mean_part = means.T @ (pw[:, None] * Phi)  # (d, m)
    along_w = xp.sum((pw * std)[:, None] * phi, axis=0)  # (m,)
    return mean_part + U * along_w[None, :]


# -- cones, hit probabilities, the feature set ---------------------------------------------------------------
def direction_cosines(G, D, /, *, absolute: bool = True):
    """Cosines ``⟨G_i, D_j⟩/(‖G_i‖‖D_j‖)`` between gradient columns and directions.

    Parameters
    ----------
    G : array, shape (d, m)
    D : array, shape (d,) or (d, r)
        Directions (need not be normalised; non-zero).
    absolute : bool
        Return ``|cos|`` (the cone of docs/papers/swl23.md §3.2 is two-sided).

    Returns
    -------
    array, shape (m,) or (m, r). A zero gradient column has cosine 0.
    """
    absolute = _check_flag(absolute, "absolute")
    G = check_array(G, "G", ndim=2)
    xp = array_namespace(G)
    D = check_array(D, "D", ndim=(1, 2), xp=xp, dtype=G.dtype)
    if int(D.shape[0]) != int(G.shape[0]):
        raise ValueError(f"D: expected {G.shape[0]} rows (the dimension of G), got shape {tuple(D.shape)}")
    one = D.ndim == 1
    Dm = D[:, None] if one else D
    dn = xp.linalg.vector_norm(Dm, axis=0)
    if not bool(xp.all(dn > 0)):
        raise ValueError("D: directions must be non-zero")
    gn = xp.linalg.vector_norm(G, axis=0)
    safe = xp.where(gn > 0, gn, xp.ones_like(gn))
    cos = (G.T @ (Dm / dn[None, :])) / safe[:, None]
    cos = xp.where(gn[:, None] > 0, cos, xp.zeros_like(cos))
    if absolute:
        cos = xp.abs(cos)
    return cos[:, 0] if one else cos


def in_cone(G, D, gamma, /, *, absolute: bool = True):
    """Membership of each gradient column in the direction cone ``C_{D,γ}``: ``cos > 1 − γ``.

    ``γ ∈ (0, 1)`` (``ValueError`` otherwise). Returns a boolean array, shape (m,) or (m, r).
    """
    gamma = _check_gamma(gamma)
    absolute = _check_flag(absolute, "absolute")
    return direction_cosines(G, D, absolute=absolute) > 1.0 - gamma


@dataclass(frozen=True)
class HitProbability:
    """Estimate of the hit probability of a gradient feature ``(D, s)``.

    Attributes
    ----------
    p_hat : float
        Fraction of the neurons whose ``(G(w_i, b_i), b_i)`` lands in the event
        ``{G ∈ C_{D,γ}, ‖G‖ >= B_G, sign(b) = s}``.
    low, high : float
        Clopper–Pearson interval at ``confidence`` (the neurons are i.i.d. draws of the
        initialisation law).
    hits, trials : int
    confidence : float
    """

    p_hat: float
    low: float
    high: float
    hits: int
    trials: int
    confidence: float

    def member(self, p: float) -> bool:
        """``(D, s) ∈ S_{p,γ,B_G}`` judged by the point estimate ``p̂ >= p`` (``p ∈ (0, 1]``)."""
        p = check_real(p, "p", min_val=0.0, max_val=1.0, include_boundaries="right")
        return self.p_hat >= p


def _hit_mask(G, b, D, s, gamma, B_G, absolute):
    xp = array_namespace(G)
    gamma = _check_gamma(gamma)
    B_G = check_real(B_G, "B_G", min_val=0.0)
    if s not in (-1, 1) or isinstance(s, bool):
        raise ValueError(f"s: expected the bias sign -1 or +1, got {s!r}")
    b = check_array(b, "b", ndim=1, xp=xp, rows=int(G.shape[1]), dtype=G.dtype)
    cone = direction_cosines(G, D, absolute=absolute) > 1.0 - gamma
    strong = xp.linalg.vector_norm(G, axis=0) >= B_G
    sign = (b > 0) if s == 1 else (b < 0)
    if cone.ndim == 2:
        return xp.logical_and(cone, xp.logical_and(strong, sign)[:, None])
    return xp.logical_and(cone, xp.logical_and(strong, sign))


def hit_probability(G, b, D, s, /, *, gamma: float, B_G: float = 0.0, confidence: float = 0.95,
                    absolute: bool = True) -> HitProbability:
    """Estimate ``Pr_{w,b}[G(w,b) ∈ C_{D,γ}, ‖G(w,b)‖ >= B_G, sign(b) = s]`` with a confidence interval.

    SWL23's gradient-feature set ``S_{p,γ,B_G}`` (docs/papers/swl23.md §3.2) holds ``(D, s)`` when
    this probability is at least ``p``; each column of ``G`` is the gradient of one neuron drawn
    from the initialisation law, so the count of hits is binomial.

    Parameters
    ----------
    G : array, shape (d, m)
        ``G(w_i, b_i)`` (population or empirical) of ``m`` i.i.d. initial neurons.
    b : array, shape (m,)
        Their biases.
    D : array, shape (d,)
        The feature direction (normalised internally).
    s : {-1, +1}
        The bias sign.
    gamma : float in (0, 1)
    B_G : float >= 0
        Lower bound on ``‖G‖``.
    confidence : float in (0, 1)
    absolute : bool
        Two-sided cone ``|cos| > 1 − γ`` (default) or one-sided ``cos > 1 − γ``.
    """
    absolute = _check_flag(absolute, "absolute")
    G = check_array(G, "G", ndim=2)
    xp = array_namespace(G)
    D = check_array(D, "D", ndim=1, xp=xp, dtype=G.dtype)
    mask = _hit_mask(G, b, D, s, gamma, B_G, absolute)
    hits = int(to_scalar(xp.sum(xp.astype(mask, xp.int64))))
    m = int(G.shape[1])
    confidence = check_real(confidence, "confidence", min_val=0.0, max_val=1.0, include_boundaries="neither")
    lo, hi = binomial_interval(hits, m, confidence)
    return HitProbability(hits / m, lo, hi, hits, m, confidence)


@dataclass(frozen=True)
class SignedHitExcess:
    """Estimate of ``Δ = Pr[G ∈ C⁺_{D,γ}, sign b = s] − Pr[G ∈ C⁺_{−D,γ}, sign b = s]`` (one-sided cones).

    Attributes
    ----------
    delta : float
        Fraction of the neurons hitting the one-sided cone of ``+D`` minus the fraction hitting that of
        ``−D`` (both with bias sign ``s``).
    low, high : float
        Normal-approximation interval at ``confidence``: each neuron contributes ``+1``, ``−1`` or ``0``
        (i.i.d. over the initialisation law), so ``Δ̂`` is a sample mean with standard error
        ``sqrt((p̂⁺ + p̂⁻ − Δ̂²)/m)``.
    plus, minus : float
        The one-sided hit fractions ``p̂⁺`` (cone of ``+D``) and ``p̂⁻`` (cone of ``−D``).
    trials : int
    confidence : float
    """

    delta: float
    low: float
    high: float
    plus: float
    minus: float
    trials: int
    confidence: float

    def __post_init__(self):
        for name in ("plus", "minus"):
            check_real(getattr(self, name), name, min_val=0.0, max_val=1.0)
        for name in ("delta", "low", "high"):
            check_real(getattr(self, name), name)
        check_int(self.trials, "trials", min_val=1)
        check_real(self.confidence, "confidence", min_val=0.0, max_val=1.0, include_boundaries="neither")


def signed_hit_excess(G, b, D, s, /, *, gamma: float, confidence: float = 0.95) -> SignedHitExcess:
    """How much more often ``G(w, b)`` hits the one-sided cone of ``+D`` than that of ``−D`` (bias sign ``s``).

    A direction ``D`` whose gradient hits are *one-signed* (every neuron's gradient is pushed towards
    ``+D``) has ``Δ ≈ Pr[hit]``; one whose hits come in mirrored pairs has ``Δ ≈ 0``. On a data law
    symmetric under ``x → −x`` with ``y(−x) = y(x)`` (the structured parity of even order ``k``),
    ``G(−w, b) = −G(w, b)``, and ``w ~ −w`` at initialisation gives ``E Δ̂ = 0`` exactly
    (docs/papers/swl23.md §5.3, our derivation). Columns of ``G`` are the gradients of ``m`` i.i.d.
    initial neurons, ``b`` their biases.

    >>> import numpy as np
    >>> G = np.array([[1.0, -1.0, 1.0, 0.0], [0.0, 0.0, 0.1, 1.0]])
    >>> e = signed_hit_excess(G, np.ones(4), np.array([1.0, 0.0]), 1, gamma=0.1)
    >>> e.plus, e.minus, e.delta
    (0.5, 0.25, 0.25)
    """
    G = check_array(G, "G", ndim=2)
    xp = array_namespace(G)
    D = check_array(D, "D", ndim=1, xp=xp, dtype=G.dtype)
    confidence = check_real(confidence, "confidence", min_val=0.0, max_val=1.0, include_boundaries="neither")
    m = int(G.shape[1])

    def frac(direction) -> float:
        mask = _hit_mask(G, b, direction, s, gamma, 0.0, False)
        return int(to_scalar(xp.sum(xp.astype(mask, xp.int64)))) / m

    plus, minus = frac(D), frac(-D)
    delta = plus - minus
    se = math.sqrt(max(plus + minus - delta * delta, 0.0) / m)
    z = t_quantile(0.5 + confidence / 2.0, float("inf"))
    return SignedHitExcess(delta, delta - z * se, delta + z * se, plus, minus, m, confidence)


def gradient_norm_threshold(G, b, D, s, /, *, gamma: float, p: float, absolute: bool = True) -> float:
    """The largest ``B_G`` with ``p̂(D, s) >= p``: the ``⌈p·m⌉``-th largest ``‖G_i‖`` among the hits.

    Returns 0.0 when fewer than ``⌈p·m⌉`` neurons hit the cone with the right bias sign at
    ``B_G = 0`` (then ``(D, s) ∉ S_{p,γ,B_G}`` for every ``B_G``; the caller decides).
    """
    absolute = _check_flag(absolute, "absolute")
    G = check_array(G, "G", ndim=2)
    xp = array_namespace(G)
    p = check_real(p, "p", min_val=0.0, max_val=1.0, include_boundaries="right")
    D = check_array(D, "D", ndim=1, xp=xp, dtype=G.dtype)
    mask = _hit_mask(G, b, D, s, gamma, 0.0, absolute)
    norms = xp.where(mask, xp.linalg.vector_norm(G, axis=0), xp.zeros((int(G.shape[1]),), dtype=G.dtype,
                                                                       device=device_of(G)))
    need = max(1, math.ceil(p * int(G.shape[1]) - 1e-9))
    srt = to_host(xp.sort(norms, descending=True))
    return float(srt[need - 1]) if need <= srt.shape[0] else 0.0


# -- Theorem 3.12 -------------------------------------------------------------------------------------------
def theorem_3_12_rhs(opt: float, *, r: int, B_a1: float, B_x1: float, gamma: float, B_x2: float, B_G: float,
                     n: int, C: float = 1.0, eps: float = 0.0) -> float:
    """Right-hand side of SWL23's Theorem 3.12 as we reconstruct it (docs/papers/swl23.md §4).

    ``OPT + r·B_a1·B_x1·sqrt(2γ + C·sqrt(B_x2·log n)/(B_G·√n)) + ε``.

    **Reconstructed**: the theorem number and its three-term shape (OPT, a γ-term, ε) were read
    in a secondary summary; the form of the middle term, and the constant ``C`` hidden in its
    ``O(·)``, are our reconstruction. ``C`` is an explicit parameter and is never the paper's
    constant. The theorem bounds ``Pr[sign f(x) ≠ y] <= L_D(f)`` for some iterate ``t ∈ [T]``
    once ``m, T, n`` are large enough (conditions not found).

    Parameters
    ----------
    opt : float >= 0
        ``OPT_{d,r,B_F,S}`` (or an upper bound on it, which makes the right-hand side larger).
    r : int >= 1
        Number of teacher neurons.
    B_a1 : float > 0
        Bound on the teacher's output weights ``|a_j|``.
    B_x1, B_x2 : float > 0
        ``‖x‖ <= B_x1`` almost surely, ``E‖x‖² <= B_x2``.
    gamma : float in (0, 1)
    B_G : float > 0
        Gradient-norm lower bound of the feature set.
    n : int >= 2
        Number of samples.
    C : float > 0
        The constant of the sampling term (reconstructed; default 1).
    eps : float >= 0
    """
    opt = check_real(opt, "opt", min_val=0.0)
    r = check_int(r, "r", min_val=1)
    B_a1 = check_real(B_a1, "B_a1", min_val=0.0, include_boundaries="neither")
    B_x1 = check_real(B_x1, "B_x1", min_val=0.0, include_boundaries="neither")
    B_x2 = check_real(B_x2, "B_x2", min_val=0.0, include_boundaries="neither")
    B_G = check_real(B_G, "B_G", min_val=0.0, include_boundaries="neither")
    gamma = _check_gamma(gamma)
    n = check_int(n, "n", min_val=2)
    C = check_real(C, "C", min_val=0.0, include_boundaries="neither")
    eps = check_real(eps, "eps", min_val=0.0)
    inner = 2.0 * gamma + C * math.sqrt(B_x2 * math.log(n)) / (B_G * math.sqrt(n))
    return opt + r * B_a1 * B_x1 * math.sqrt(inner) + eps
