"""One large gradient step on a two-layer network: spike laws, growth exponents, error baselines.

Theory of Moniri, Lee, Hassani, Dobriban 2023 (MLHD23, arXiv 2310.07891, ICML 2024) and its
predecessor Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022 (BA22, arXiv 2205.01445), as described in
``docs/papers/mlhd23.md`` (cited below by section). Setting: ``x ~ N(0, I_d)``, a single-index target ``y = σ*(β*·x) + ε``, a network
``f(x) = aᵀσ(Wᵀx)`` whose first layer takes one gradient step ``W = W₀ + ηG`` with
``η = c·n^α``, ``α ∈ [0, 1/2)``, then a ridge second layer on fresh data.

Provenance of each result (every function says it again):

============================================== =========================================================
spike count ℓ(α) and its interval law          **stated** -- quoted by the ICLR 2024 reviews (Theorem 3.3,
                                               docs/papers/mlhd23.md §4.1); what happens *at* a threshold is not found
growth exponent n^{1/2 − k(1/2 − α)}            **reconstructed** -- docs/papers/mlhd23.md §4.2 step 4 [reconstructed]
spike magnitudes (order level)                  **reconstructed** -- docs/papers/mlhd23.md §4.2 [reconstructed]
limit of cos∠(b, β*)                            **reconstructed** -- docs/papers/mlhd23.md §4.2 step 2 [reconstructed]; it equals
                                                the alignment hard-coded in Cui et al.'s notebook
best-linear excess risk ‖P_{>1}σ*‖², null risk  standard facts (Hermite orthogonality)
============================================== =========================================================

Hermite convention: probabilists' He_k, ``μ_k = E[σ(z) He_k(z)]`` (see
:mod:`featlearn.theory.hermite`). Pure host arithmetic (``math``, ``fractions``): no arrays here.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Callable

from featlearn.validation import check_int, check_real
from featlearn.theory.activations import Activation, as_activation
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients, nonlinear_energy
from featlearn.theory.host_constants import double_factorial

__all__ = [
    "PROVENANCE",
    "best_linear_excess_risk",
    "check_alpha",
    "direction_norm_limit",
    "direction_overlap_limit",
    "hermite_profile",
    "is_spike_threshold",
    "null_risk",
    "spike_count",
    "spike_growth_exponent",
    "spike_interval",
    "spike_magnitude",
    "spike_threshold",
    "step_exponent",
    "step_size",
]

#: Provenance of each result of this module ("stated": read in an available source;
#: "reconstructed": our derivation, not the paper's text; see docs/provenance.md).
PROVENANCE = {
    "spike_count": "stated",
    "spike_interval": "stated",
    "spike_threshold": "stated",
    "spike_growth_exponent": "reconstructed",
    "spike_magnitude": "reconstructed",
    "direction_overlap_limit": "reconstructed",
    "direction_norm_limit": "reconstructed",
    "best_linear_excess_risk": "stated",
    "null_risk": "stated",
}

_BOUNDARY_POLICIES = ("raise", "lower", "upper")
# Relative tolerance for recognising a threshold (k−1)/(2k) given as a float (1/3 is not exact).
_THRESHOLD_RTOL = 1e-12


def check_alpha(alpha) -> float:
    """``alpha`` as a float if ``0 <= alpha < 1/2`` (the step-size exponent of MLHD23).

    Raises
    ------
    TypeError
        If ``alpha`` is not a real number.
    ValueError
        If it is not finite or outside ``[0, 1/2)``.
    """
    a = check_real(alpha, "alpha")
    if not 0.0 <= a < 0.5:
        raise ValueError(f"alpha: expected 0 <= alpha < 1/2 (η = c·n^α, MLHD23 §2), got {alpha!r}")
    return a


# -- step size ---------------------------------------------------------------------------------------------
def step_size(n: int, alpha, *, scale: float = 1.0) -> float:
    """The step size ``η = scale · n^α`` of MLHD23 (reviews: "η = n^α"; docs/papers/mlhd23.md §2.1).

    ``n`` is the number of samples of the gradient step. α = 0 is BA22's "small" constant
    step; α → 1/2 approaches BA22's "large" step η ≍ √N (docs/papers/mlhd23.md §7.3).

    Examples
    --------
    >>> step_size(10_000, 0.25)
    10.0
    """
    n = check_int(n, "n", min_val=1)
    a = check_alpha(alpha)
    c = check_real(scale, "scale")
    if c <= 0:
        raise ValueError(f"scale: expected a positive number, got {scale!r}")
    return c * float(n) ** a


def step_exponent(eta, n: int) -> float:
    """``log η / log n``: the x-axis of MLHD23's Figure 3 (docs/papers/mlhd23.md §6.1). ``n >= 2``, ``η > 0``."""
    n = check_int(n, "n", min_val=1)
    if n < 2:
        raise ValueError(f"n: expected n >= 2 (log n > 0), got {n}")
    e = check_real(eta, "eta")
    if e <= 0:
        raise ValueError(f"eta: expected a positive step size, got {eta!r}")
    return math.log(e) / math.log(n)


# -- spike count -------------------------------------------------------------------------------------------
def spike_threshold(k: int) -> float:
    """Lower threshold ``α_k = (k−1)/(2k)`` above which the degree-k spike separates (stated).

    ``α_1 = 0, α_2 = 1/4, α_3 = 1/3, α_4 = 3/8, …`` → 1/2. Equivalently the k-th spike is
    present iff ``2α > 1 − 1/k`` (docs/papers/mlhd23.md §4.1; the reviews of MLHD23 quote the interval law of
    Theorem 3.3).
    """
    k = check_int(k, "k", min_val=1)
    return (k - 1) / (2 * k)


def spike_interval(ell: int) -> tuple[float, float]:
    """The α-interval on which F has exactly ``ell`` spikes: ``((ℓ−1)/(2ℓ), ℓ/(2ℓ+2))`` (stated).

    MLHD23 Theorem 3.3 (ICLR numbering) as quoted by review #1 (docs/papers/mlhd23.md §4.1). The upper end
    equals the next lower end, so the intervals tile ``[0, 1/2)`` up to the thresholds; for
    ``ell = 1`` the interval is taken to include α = 0 (a constant step gives a single spike:
    MLHD23 abstract, BA22). Whether a threshold itself belongs to an interval is not found.

    Examples
    --------
    >>> spike_interval(2)
    (0.25, 0.3333333333333333)
    """
    ell = check_int(ell, "ell", min_val=1)
    return (ell - 1) / (2 * ell), ell / (2 * ell + 2)


def is_spike_threshold(alpha) -> bool:
    """Whether α is one of the thresholds ``(k−1)/(2k)``, k >= 2 (up to float rounding of e.g. 1/3)."""
    a = check_alpha(alpha)
    if a == 0.0:
        return False  # α = 0 belongs to the ℓ = 1 regime (constant step, BA22)
    q = 1.0 / (1.0 - 2.0 * a)  # the k-th spike is present iff k < q
    return abs(q - round(q)) <= _THRESHOLD_RTOL * q


def spike_count(alpha, *, boundary: str = "raise") -> int:
    """Number ℓ(α) of spikes of the one-step feature matrix (MLHD23 Theorem 3.3; **stated**).

    ``ℓ(α) = #{k >= 1 : α > (k−1)/(2k)}``, i.e. ℓ is the ℓ with
    ``(ℓ−1)/(2ℓ) < α < ℓ/(2ℓ+2)`` (docs/papers/mlhd23.md §4.1). α = 0 (constant step) gives ℓ = 1
    (MLHD23 abstract: "a single rank-one spike"; BA22) -- at α = 0 the spike is of the same
    order as the bulk, so whether it separates depends on the constant in η (a BBP-type
    threshold), which this count does not model.

    Parameters
    ----------
    alpha : float
        Step-size exponent, ``0 <= alpha < 1/2``.
    boundary : {"raise", "lower", "upper"}
        What to do at a threshold α = (k−1)/(2k), k >= 2, where the k-th spike is of the
        order of the bulk edge. The paper's answer was not found (review #1 Q5 asks it), so
        the default raises; ``"lower"`` returns k−1 (critical spike not counted),
        ``"upper"`` returns k.

    Raises
    ------
    ValueError
        α outside ``[0, 1/2)``, an unknown ``boundary``, or α at a threshold with
        ``boundary="raise"``.

    Examples
    --------
    >>> [spike_count(a) for a in (0.0, 0.1, 0.3, 0.36, 0.39)]
    [1, 1, 2, 3, 4]
    >>> spike_count(0.25, boundary="lower"), spike_count(0.25, boundary="upper")
    (1, 2)
    """
    a = check_alpha(alpha)
    if boundary not in _BOUNDARY_POLICIES:
        raise ValueError(f"boundary: expected one of {_BOUNDARY_POLICIES}, got {boundary!r}")
    if a == 0.0:
        return 1
    if is_spike_threshold(a):
        k = round(1.0 / (1.0 - 2.0 * a))
        if boundary == "raise":
            raise ValueError(f"alpha: {alpha!r} is the threshold (k−1)/(2k) of the k = {k} spike; the count "
                             "there is not known (not found in the sources); pass boundary='lower' or 'upper'")
        return k - 1 if boundary == "lower" else k
    # exact rational arithmetic: k spikes are present iff k(1 − 2α) < 1
    q = 1 / (1 - 2 * Fraction(a))
    return math.ceil(q) - 1


# -- spike growth and magnitudes (reconstructed) ------------------------------------------------------------
def spike_growth_exponent(alpha, k: int) -> float:
    """Exponent γ_k of the k-th spike over the bulk: ``s_k / s_bulk ≍ n^{1/2 − k(1/2 − α)}``.

    **Reconstructed** (docs/papers/mlhd23.md §4.2 step 4, [reconstructed]): the degree-k term of the Taylor
    expansion of σ(X̃W₀ + η μ₁ X̃b aᵀ) has operator norm ≍ n^{1 + k(α − 1/2)} while the
    bulk is ≍ √n, in the proportional regime n ≍ d ≍ N. Positive iff α > (k−1)/(2k), which
    reproduces the stated interval law of :func:`spike_count`.

    Examples
    --------
    >>> round(spike_growth_exponent(0.3, 1), 12), round(spike_growth_exponent(0.3, 2), 12)
    (0.3, 0.1)
    """
    a = check_alpha(alpha)
    k = check_int(k, "k", min_val=1)
    return 0.5 - k * (0.5 - a)


def spike_magnitude(k: int, *, eta: float, mu: list[float] | tuple[float, ...], b_norm: float, n: int,
                    width: int, a_law: str = "gaussian") -> float:
    """Order-level magnitude of the k-th spike ``‖S_k‖_op`` (docs/papers/mlhd23.md §4.2; **reconstructed**).

    ``S_k = (ημ₁)^k (μ_k/k!) u^{∘k}(a^{∘k})ᵀ`` with ``u = X̃b``, so for ``a_j ~ N(0, 1/N)``::

        s_k ≈ (2k−1)!!/k! · |μ_k| · (η|μ₁|‖b‖)^k · √ñ · N^{(1−k)/2}

    and one factor √((2k−1)!!) less for ``a_j = ±1/√N``. Valid only when
    ``η|a_j||u_i|`` is small (docs/papers/mlhd23.md §4.2 "practical consequence"); at n ≲ 10⁴ the observed
    spikes are 15–35 % below it (docs/papers/mlhd23.md §4.2 [reconstructed: our numerical check]). Used for plot markers, not as a claim.

    Parameters
    ----------
    k : int
        Degree of the spike, ``k >= 1``.
    eta : float
        Step size in MLHD23's parametrisation (per-neuron move ≍ η/√N).
    mu : sequence of float
        Hermite coefficients μ_0..μ_K of σ (K >= k).
    b_norm : float
        ‖b‖, ``b = (1/n) Xᵀ r`` (see :func:`direction_norm_limit`).
    n : int
        Number of samples of the feature matrix (ñ).
    width : int
        Number of neurons N.
    a_law : {"gaussian", "rademacher"}
        Law of the second-layer weights at initialisation (scale 1/√N).
    """
    k = check_int(k, "k", min_val=1)
    n = check_int(n, "n", min_val=1)
    width = check_int(width, "width", min_val=1)
    if isinstance(mu, (str, bytes)) or not hasattr(mu, "__len__"):
        raise TypeError(f"mu: expected a sequence of Hermite coefficients, got {type(mu).__name__}")
    if len(mu) <= k:
        raise ValueError(f"mu: expected Hermite coefficients up to degree k = {k}, got {len(mu)} values")
    if a_law not in ("gaussian", "rademacher"):
        raise ValueError(f"a_law: expected 'gaussian' or 'rademacher', got {a_law!r}")
    e, bn = check_real(eta, "eta"), check_real(b_norm, "b_norm")
    if bn < 0:
        raise ValueError(f"b_norm: expected a norm ‖b‖ >= 0, got {b_norm!r}")
    if e < 0:
        raise ValueError(f"eta: expected a step size >= 0, got {eta!r}")
    dfac = double_factorial(2 * k - 1)
    u_norm = math.sqrt(n * dfac)  # ‖u^{∘k}‖/‖b‖^k, u_i ~ N(0, ‖b‖²): E u^{2k} = (2k−1)!! ‖b‖^{2k}
    a_norm = math.sqrt((dfac if a_law == "gaussian" else 1.0) * width ** (1 - k))  # ‖a^{∘k}‖
    mu_k, mu_1 = check_real(mu[k], f"mu[{k}]"), check_real(mu[1], "mu[1]")
    try:
        out = abs(mu_k) / math.factorial(k) * abs(e * mu_1 * bn) ** k * u_norm * a_norm
    except OverflowError:
        out = math.inf
    if not math.isfinite(out):
        raise ValueError(f"eta, b_norm: the spike magnitude overflows a float at k = {k} (η|μ₁|‖b‖ = "
                         f"{abs(e * mu_1 * bn):.3g})")
    return out


# -- Hermite profile, baselines and the learned direction -----------------------------------------------------
def _as_fn(fn: str | Activation | Callable, name: str) -> Activation:
    try:
        return as_activation(fn)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name}: {exc}") from None


def hermite_profile(fn: str | Activation | Callable, degree: int) -> list[float]:
    """Hermite coefficients ``[μ_0, …, μ_degree]`` of σ or σ* (``μ_k = E[f(z)He_k(z)]``), as floats."""
    act = _as_fn(fn, "fn")
    return [float(v) for v in hermite_coefficients(act, degree)]


def best_linear_excess_risk(link: str | Activation | Callable) -> float:
    """Excess risk ``‖P_{>1}σ*‖² = Eσ*(z)² − μ*_0² − μ*_1²`` of the best linear predictor.

    For ``y = σ*(β*·x) + ε``, ``x ~ N(0, I)``, the best predictor affine in x is
    ``μ*_0 + μ*_1 β*·x`` and its excess risk is the energy of σ* beyond degree 1. BA22's
    small-step / MLHD23's ℓ = 1 networks cannot go below it ("cannot defeat the best linear
    model", BA22 abstract; docs/papers/mlhd23.md §5.2). For ``σ* = He₁ + ½He₂`` it is 1/2.
    """
    return float(nonlinear_energy(_as_fn(link, "link")))


def null_risk(link: str | Activation | Callable, *, noise_std: float = 0.0) -> float:
    """Risk ``E[σ*(z)²] + noise²`` of the zero predictor (docs/papers/mlhd23.md §6.2: "null predictor E[f*²]")."""
    s = check_real(noise_std, "noise_std", min_val=0.0)
    act = _as_fn(link, "link")
    return float(gaussian_moment(lambda z: act(z) ** 2)) + s * s


def _label_moments(link, noise_std) -> tuple[float, float]:
    act = _as_fn(link, "link")
    s = check_real(noise_std, "noise_std", min_val=0.0)
    c1 = float(hermite_coefficients(act, 1)[1])
    ey2 = float(gaussian_moment(lambda z: act(z) ** 2)) + s * s
    return c1, ey2


def direction_norm_limit(link, *, d: int, n: int, noise_std: float = 0.0) -> float:
    """Limit of ‖b‖, ``b = (1/n)Xᵀy``: ``√(c*_1² + (d/n)·E y²)`` (docs/papers/mlhd23.md §4.2 step 2; **reconstructed**).

    For the residual convention ``"y"`` (the network output at initialisation dropped); with
    ``"y-f0"`` and an O(1) initial output, b is contaminated by ``W₀a`` (docs/papers/mlhd23.md §2.3).
    """
    d, n = check_int(d, "d", min_val=1), check_int(n, "n", min_val=1)
    c1, ey2 = _label_moments(link, noise_std)
    return math.sqrt(c1 * c1 + d / n * ey2)


def direction_overlap_limit(link, *, d: int, n: int, noise_std: float = 0.0) -> float:
    """Limit of ``cos∠(b, β*) = c*_1 / √(c*_1² + (d/n)·E y²)`` (docs/papers/mlhd23.md §4.2 step 2; **reconstructed**).

    ``⟨b, β*⟩ → c*_1 = E[zσ*(z)]`` and ``‖b‖² → c*_1² + (d/n)E y²``. It is the alignment
    γ = μ*_1/√(E[σ*²]/α₀ + μ*_1²) of Cui et al.'s notebook for BA22's setting (α₀ = n/d,
    noiseless), read in code (docs/papers/mlhd23.md §5.2.4). MLHD23's Proposition 3.1 gives the limit of
    βᵀβ*, but its formula was not found; identifying their β with b is our reading.

    Examples
    --------
    >>> round(direction_overlap_limit("he1", d=1000, n=1000), 6)   # 1/√2
    0.707107
    """
    d, n = check_int(d, "d", min_val=1), check_int(n, "n", min_val=1)
    c1, ey2 = _label_moments(link, noise_std)
    return c1 / math.sqrt(c1 * c1 + d / n * ey2)
