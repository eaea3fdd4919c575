"""Finite-ε spike model of the one-step feature matrix (reconstructed — our derivation, docs/papers/mlhd23.md §4.5).

MLHD23's spike law (docs/papers/mlhd23.md §4.2) expands ``F = σ(Z₀ + η μ₁ u aᵀ)`` to first order in the
per-neuron step. At runnable sizes that step is not small: with ``u_i = ‖b‖ z_i`` and ``a_j = g_j/√N``
the (i, j) entry is ``σ(ξ_ij + t_j z_i)``, ``t_j = ε g_j``, and the *expansion parameter*

    ε = η |μ₁| ‖b‖ / √N

is ≈ 1–1.5 at featlearn's quick sizes and 0.7–1.1 at paper scale. This module resums the
expansion in ε (our derivation, not the paper's):

* Averaging over ξ ~ N(0, 1) (the bulk), the entry's mean is ``h(z, t) = E_ξ σ(ξ + t z)``. The sum
  ``ξ + t z`` has variance ``s² = 1 + t²`` (the *widening*), and Gaussian Hermite calculus gives its
  Hermite expansion in z::

      h(z, t) = Σ_k v_k(t) He_k(z),   v_k(t) = (t/s)^k · μ_k(s) / k!,   μ_k(s) = E[σ(sζ) He_k(ζ)].

  At small t, ``v_k ≈ μ_k t^k / k!``: the Taylor spike of §4.2 (its u^{∘k} split into Hermite parts).
* The signal matrix ``M = Σ_k He_k(z) v_kᵀ`` (``v_k`` the column vector ``v_k(ε g_j)``) has
  orthogonal left directions ``He_k(z)`` (‖·‖² ≈ ñ k!), so its squared singular values are the
  eigenvalues of the Gram matrix ``G_kl = ñ N √(k! l!) E_g[v_k(εg) v_l(εg)]``, g ~ N(0, 1) (the
  *averaging over a_j*; ``a_law="rademacher"`` fixes |g| = 1 instead). Odd and even k decouple (v_k
  has the parity of k in g); the even block includes k = 0 (the column means μ₀(s_j), which the
  Taylor spike of degree 2 carries in its 𝟙-component).
* The spike strengths θ₁ >= θ₂ >= … (square roots of G's eigenvalues) are pushed out of the bulk
  by the rectangular BBP map for noise of entry variance ``v = E σ(ζ)²`` (the Frobenius variance
  of F₀): an outlier at ``√((θ² + vñ)(θ² + vN))/θ`` when ``θ > √v (ñN)^{1/4}``, else none.

The measured bulk edge of F₀ is ≈ 1.6× the edge √v(√ñ + √N) of that noise (the linear part
μ₁X̃W₀ of F₀ has a product spectrum, wider than Marchenko–Pastur); the model does not predict it,
so visibility is judged against the run's measured edge (:func:`visible_spike_count`), and growth
exponents, where that constant cancels, against √v(√ñ + √N) (:func:`local_growth_exponent`).

Checked against the paper-scale run (n = 65536, N = 4096, seed 0): predicted s_k/edge 36.9, 15.2
and 0.93 (α = 0.36, k = 1, 2, 3) against 36.7, 15.2 and 0.99 (the last the bulk, no spike);
and by ``tests/papers/mlhd23/test_finite_step.py`` against simulations across ε at fixed n
(η's prefactor varied). Assumptions stop holding when the gradient is not rank one (the
Δ of §4.2 step 1, O(n^{-1/2})), when a spike sits near the BBP threshold (the noise is not
Marchenko–Pastur there), and for the interaction of spikes of equal parity beyond G.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Iterable, Sequence

from featlearn.stats import fit_loglog_slope
from featlearn.theory.activations import as_activation
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients
from featlearn.theory.host_constants import gaussian_quadrature, symmetric_eigenvectors
from featlearn.validation import check_int, check_real

__all__ = ["MAX_MODEL_DEGREE", "expansion_parameter", "left_overlap", "local_growth_exponent",
           "monomial_gram_schmidt", "outlier_location", "predicted_alignments", "spike_modes", "spike_strengths",
           "step_coefficients", "visible_spike_count"]

#: Highest Hermite degree kept in the resummation (the coefficients of degree >= 8 change the
#: top three spike strengths by < 1e-3 relative at ε <= 3).
MAX_MODEL_DEGREE = 7
#: Quadrature order over g ~ N(0, 1) (nodes per unit interval of the Gaussian rule).
_G_ORDER = 3


@lru_cache(maxsize=None)
def _activation(name: str):
    return as_activation(name)


@lru_cache(maxsize=4096)
def _mu_widened(activation: str, s: float, degree: int) -> tuple[float, ...]:
    """``μ_k(s) = E[σ(sζ) He_k(ζ)]``, k = 0..degree (quadrature on the host)."""
    act = _activation(activation)
    return tuple(float(m) for m in hermite_coefficients(lambda z: act(s * z), degree))


def step_coefficients(activation: str, t: float, degree: int = MAX_MODEL_DEGREE) -> list[float]:
    """``v_k(t) = (t/s)^k μ_k(s)/k!``, s = √(1 + t²), k = 0..degree: the Hermite coefficients in z of
    ``E_ξ σ(ξ + t z)`` (reconstructed — our derivation, docs/papers/mlhd23.md §4.5).

    Examples
    --------
    >>> v = step_coefficients("he2", 0.1, 2)         # σ = He₂: E_ξ He₂(ξ + tz) = t²He₂(z) + t²
    >>> [round(x, 12) for x in v]
    [0.01, 0.0, 0.01]
    """
    t = check_real(t, "t")
    degree = check_int(degree, "degree", min_val=0, max_val=MAX_MODEL_DEGREE)
    s = math.sqrt(1.0 + t * t)
    mu = _mu_widened(str(activation), round(s, 15), degree)
    return [(t / s) ** k * mu[k] / math.factorial(k) for k in range(degree + 1)]


def expansion_parameter(eta: float, mu1: float, b_norm: float, width: int) -> float:
    """``ε = η|μ₁|‖b‖/√N``: the per-neuron step in units of the pre-activation's scale."""
    width = check_int(width, "width", min_val=1)
    return abs(check_real(eta, "eta") * check_real(mu1, "mu1") * check_real(b_norm, "b_norm")) / math.sqrt(width)


def spike_modes(activation: str, eps: float, *, n_features: int, width: int, a_law: str = "gaussian",
                degree: int = MAX_MODEL_DEGREE) -> list[tuple[float, list[float]]]:
    """The spikes of the finite-ε signal matrix M (ñ × N), before the bulk: ``(θ, q)`` per spike, θ descending.

    ``θ² = eig G``, ``G_kl = ñ N √(k! l!) E_g[v_k(εg) v_l(εg)]``, k, l = 0..degree (reconstructed —
    our derivation, docs/papers/mlhd23.md §4.5). ``q`` is the spike's left singular direction in the
    orthonormal Hermite directions ``He_k(z)/√(ñ k!)``, k = 0..degree (zero off its parity block):
    at ε > 0 the top odd spike is mostly He₁ with some He₃, He₅, … (the *degree mixing*).
    ``a_law="gaussian"``: a_j ~ N(0, 1/N), g ~ N(0, 1) averaged by quadrature; ``"rademacher"``:
    |g| = 1 (no averaging over a_j).
    """
    eps = check_real(eps, "eps", min_val=0.0)
    n_features = check_int(n_features, "n_features", min_val=1)
    width = check_int(width, "width", min_val=1)
    degree = check_int(degree, "degree", min_val=1, max_val=MAX_MODEL_DEGREE)
    if a_law == "gaussian":
        nodes, weights = gaussian_quadrature(_G_ORDER)
        # v_k(−t) = (−1)^k v_k(t) and the even/odd blocks only pair equal parities: g > 0 with weight 2w
        pts = [(float(g), 2.0 * float(w)) for g, w in zip(nodes, weights) if float(g) > 0 and float(w) > 1e-18]
    elif a_law == "rademacher":
        pts = [(1.0, 1.0)]
    else:
        raise ValueError(f"a_law: expected 'gaussian' or 'rademacher', got {a_law!r}")
    V = [step_coefficients(activation, eps * g, degree) for g, _ in pts]
    out = []
    for parity in (0, 1):  # even and odd degrees decouple (v_k has the parity of k in g)
        ks = [k for k in range(degree + 1) if k % 2 == parity]
        G = [[n_features * width * math.sqrt(math.factorial(k) * math.factorial(m))
              * sum(w * v[k] * v[m] for v, (_, w) in zip(V, pts)) for m in ks] for k in ks]
        vals, vecs = symmetric_eigenvectors(G)
        for e, vec in zip(vals, vecs):
            q = [0.0] * (degree + 1)
            for k, x in zip(ks, vec):
                q[k] = x
            out.append((math.sqrt(max(e, 0.0)), q))
    return sorted(out, key=lambda m: -m[0])


def spike_strengths(activation: str, eps: float, *, n_features: int, width: int, a_law: str = "gaussian",
                    degree: int = MAX_MODEL_DEGREE) -> list[float]:
    """Singular values θ₁ >= θ₂ >= … of the finite-ε signal matrix M (ñ × N), before the bulk
    (the θ of :func:`spike_modes`)."""
    return [t for t, _ in spike_modes(activation, eps, n_features=n_features, width=width, a_law=a_law,
                                      degree=degree)]


@lru_cache(maxsize=None)
def monomial_gram_schmidt(top: int, degree: int = MAX_MODEL_DEGREE) -> tuple[tuple[float, ...], ...]:
    """The Gram–Schmidt sequence GS₁, …, GS_top of the monomials z, z², …, z^top under z ~ N(0, 1), each in the
    orthonormal Hermite directions He_j/√(j!), j = 0..degree (population version of the GS_k the spectral
    sweep measures alignments with: ``u^{∘k}``, u = X̃b/‖b‖, orthonormalised over the ñ samples).

    z^k = Σ_m k!/(m! 2^m (k − 2m)!) He_{k−2m}(z), so GS₁ = He₁, GS₂ = (He₂ + 1)/√3 (no constant is removed:
    the sequence starts at z), GS₃ = He₃/√6.

    >>> [round(x, 6) for x in monomial_gram_schmidt(2)[1][:3]]
    [0.57735, 0.0, 0.816497]
    """
    top = check_int(top, "top", min_val=1, max_val=degree)
    basis = []
    for k in range(1, top + 1):
        c = [0.0] * (degree + 1)
        for m in range(k // 2 + 1):  # coefficient on He_{k-2m}, times √((k−2m)!) for the orthonormal direction
            j = k - 2 * m
            c[j] = math.factorial(k) / (math.factorial(m) * 2 ** m * math.factorial(j)) * math.sqrt(math.factorial(j))
        for b in basis:
            dot = sum(x * y for x, y in zip(c, b))
            c = [x - dot * y for x, y in zip(c, b)]
        norm = math.sqrt(sum(x * x for x in c))
        basis.append(tuple(x / norm for x in c))
    return tuple(basis)


def noise_variance(activation: str) -> float:
    """``v = E σ(ζ)²``, the Frobenius variance of F₀'s entries (σ centred: μ₀ = 0)."""
    act = _activation(str(activation))
    return gaussian_moment(lambda z: act(z) ** 2)


def outlier_location(theta: float, *, noise_var: float, n_features: int, width: int) -> float | None:
    """Rectangular BBP: the outlier ``√((θ² + vñ)(θ² + vN))/θ`` of a rank-one θ plus ñ × N noise of entry
    variance v, or ``None`` below the threshold ``θ <= √v (ñN)^{1/4}`` (no outlier)."""
    theta = check_real(theta, "theta", min_val=0.0)
    v = check_real(noise_var, "noise_var", min_val=0.0, include_boundaries="neither")
    n, N = check_int(n_features, "n_features", min_val=1), check_int(width, "width", min_val=1)
    if theta <= math.sqrt(v) * (n * N) ** 0.25:
        return None
    return math.sqrt((theta * theta + v * n) * (theta * theta + v * N)) / theta


def predicted_singular_values(activation: str, eps: float, *, n_features: int, width: int, top: int = 3,
                              a_law: str = "gaussian") -> list[float | None]:
    """The model's ``top`` outlier singular values of F (``None`` where the k-th spike has no outlier)."""
    v = noise_variance(activation)
    th = spike_strengths(activation, eps, n_features=n_features, width=width, a_law=a_law)[:top]
    return [outlier_location(t, noise_var=v, n_features=n_features, width=width) for t in th]


def left_overlap(theta: float, *, noise_var: float, n_features: int, width: int) -> float:
    """Rectangular BBP, the left (ñ-side) singular vector: ``|⟨ũ, u⟩|²`` of the outlier of a rank-one θ u vᵀ plus
    ñ × N noise of entry variance v (Benaych-Georges & Nadakuditi 2012, their rectangular case; stated):
    ``1 − c(1 + τ²)/(τ²(τ² + c))`` with ``τ = θ/√(vN)``, ``c = ñ/N``; 0 at or below the threshold.

    >>> round(left_overlap(1e4, noise_var=1.0, n_features=400, width=100), 6)
    0.999996
    """
    theta = check_real(theta, "theta", min_val=0.0)
    v = check_real(noise_var, "noise_var", min_val=0.0, include_boundaries="neither")
    n, N = check_int(n_features, "n_features", min_val=1), check_int(width, "width", min_val=1)
    tau2, c = theta * theta / (v * N), n / N
    if tau2 <= math.sqrt(c):
        return 0.0
    return max(0.0, 1.0 - c * (1.0 + tau2) / (tau2 * (tau2 + c)))


def predicted_alignments(activation: str, eps: float, *, n_features: int, width: int,
                         top: int = 3) -> list[dict[str, float]]:
    """The model's ``|⟨U_k, GS_k⟩|``, k = 1..top: the k-th spike's left direction (:func:`spike_modes`) against
    GS_k (:func:`monomial_gram_schmidt`), times the BBP overlap √|⟨ũ, u⟩|² (:func:`left_overlap`) with noise of
    entry variance E σ(ζ)² (reconstructed — our derivation, docs/papers/mlhd23.md §4.5).

    Each entry: ``alignment`` and its two factors, ``mixing`` (the cosine of the degree-mixed direction with
    GS_k: below 1 at ε > 0, → 1 as ε → 0) and ``bbp`` (→ 1 as the spike leaves the bulk). 1 − alignment is
    the misalignment; Theorem 3.4's limit (alignment → 1) is ε → 0 with θ/√(vN) → ∞.
    """
    top = check_int(top, "top", min_val=1, max_val=MAX_MODEL_DEGREE)
    v = noise_variance(activation)
    gs = monomial_gram_schmidt(top)
    out = []
    for k, (theta, q) in enumerate(spike_modes(activation, eps, n_features=n_features, width=width)[:top], 1):
        mixing = abs(sum(x * y for x, y in zip(q, gs[k - 1])))
        bbp = math.sqrt(left_overlap(theta, noise_var=v, n_features=n_features, width=width))
        out.append({"alignment": mixing * bbp, "mixing": mixing, "bbp": bbp})
    return out


def visible_spike_count(activation: str, eps: float, *, n_features: int, width: int, edge: float,
                        margin: float, top: int = 4) -> int:
    """Number of predicted outliers above ``(1 + margin)·edge`` (``edge`` the measured bulk edge of F₀)."""
    edge = check_real(edge, "edge", min_val=0.0, include_boundaries="neither")
    margin = check_real(margin, "margin", min_val=0.0)
    s = predicted_singular_values(activation, eps, n_features=n_features, width=width, top=top)
    return sum(1 for x in s if x is not None and x > (1.0 + margin) * edge)


def local_growth_exponent(activation: str, k: int, *, runs: Iterable[tuple[int, int, int, float]],
                          mu1: float, a_law: str = "gaussian") -> float:
    """The model's exponent of ``s_k/edge`` over the measured n range, fitted as the claims fit the data.

    ``runs``: ``(n, ñ, N, η·‖b‖)`` per run; each gives ε = η|μ₁|‖b‖/√N and the predicted ratio
    ``max(s_k, edge₀)/edge₀`` with edge₀ = √v(√ñ + √N) (a k-th value inside the bulk reads as the
    edge); weighted least squares of its log on log n, weights n (as
    :func:`featlearn.papers.mlhd23.spectral.fit_growth_exponent`; ‖b‖ held at the runs' values, so the
    ‖b‖^k adjustment is absorbed). Reconstructed — our derivation (docs/papers/mlhd23.md §4.5).
    """
    k = check_int(k, "k", min_val=1, max_val=MAX_MODEL_DEGREE)
    v = noise_variance(activation)
    ns, ratios = [], []
    for n, nf, N, eta_b in runs:
        eps = expansion_parameter(eta_b, mu1, 1.0, N)
        edge0 = math.sqrt(v) * (math.sqrt(nf) + math.sqrt(N))
        s = predicted_singular_values(activation, eps, n_features=nf, width=N, top=k, a_law=a_law)[k - 1]
        ns.append(float(n))
        ratios.append(max(s if s is not None else 0.0, edge0) / edge0)
    return fit_loglog_slope(ns, ratios, weights=ns).slope


def sweep_runs(ns: Sequence[int], reps: Sequence[int], *, ratio: float, alpha: float, b_norm,
               eta_scale: float = 1.0) -> list[tuple[int, int, int, float]]:
    """``(n, ñ = n, N = int(ratio·n), η‖b‖)`` for each run of a spectral sweep (η = eta_scale·n^α;
    ``b_norm(n, d)`` gives ‖b‖, e.g. its limit)."""
    out = []
    for n, r in zip(ns, reps):
        N = int(ratio * n)
        out += [(int(n), int(n), N, eta_scale * float(n) ** alpha * b_norm(int(n), N))] * int(r)
    return out
