"""Spectrum of the one-step feature matrix: spikes, bulk edge and polynomial-feature alignments.

MLHD23 (Moniri, Lee, Hassani, Dobriban 2023) Theorems 3.3-3.4 as quoted by the reviews
(research docs/papers/mlhd23.md §4.1): after one step with ``η ≍ n^α`` the feature matrix ``F = σ(X̃W)``
(ñ × N) has ℓ(α) singular values separated from the bulk, and the matching left singular
vectors align with the polynomial features ``(X̃β)^{∘k}``, k = 1..ℓ.

Everything is streamed over the rows of X̃ (memory ``O(chunk·N + N²)``):

* singular values and right singular vectors of F from the eigendecomposition of ``FᵀF``;
* the bulk edge: the largest singular value of the un-updated ``F₀ = σ(X̃W₀)`` on the same X̃;
* alignments: with ``u = X̃b/‖b‖`` and ``P = [u, u^{∘2}, …, u^{∘K}]`` (ñ × K), accumulate
  ``FᵀP`` (N × K) and ``PᵀP`` (K × K). The Gram–Schmidt basis of P's columns is
  ``Q = P L⁻ᵀ`` with ``PᵀP = LLᵀ`` (Cholesky), and the i-th left singular vector is
  ``U_i = F V_i / s_i``, so ``⟨U_i, Q_k⟩ = V_iᵀ (FᵀP L⁻ᵀ)_k / s_i`` -- no ñ-sized vector is
  ever stored. Measuring against the *Gram–Schmidt* sequence (not the raw powers, which are
  correlated: u^{∘3} contains 3u) is our reading (docs/papers/mlhd23.md §4.2 step 4, [reconstructed]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from featlearn.backends import Generator, array_namespace, device_of, to_host
from featlearn.data import DEFAULT_CHUNK, TargetStream, accumulate, iter_batches
from featlearn.models.block_krylov import top_eigh
from featlearn.validation import (check_array, check_finite, check_generator, check_grid, check_int, check_memory,
                                  check_real)
from featlearn.models.one_step import (apply_step, check_gram_memory, estimate_centering,
                                       one_step_gradient)
from featlearn.models.two_layer import TwoLayerNetwork, check_networks_backend, init_network
from featlearn.stats import fit_loglog_slope
from featlearn.theory.one_step import check_alpha, step_size

__all__ = ["SpectralStats", "Spectrum", "SpikeSweep", "bulk_edge", "count_spikes", "fit_growth_exponent",
           "spectral_stats", "spike_sweep", "top_spectrum"]


#: Highest degree K of the polynomial features ``(X̃b/‖b‖)^{∘k}``: beyond it the Gram–Schmidt of
#: ``(u, u², …, u^K)`` has no accurate digit left in float64 (the moments grow like (2K−1)!!).
MAX_DEGREE = 8

@dataclass
class SpectralStats:
    """Streamed statistics of a feature matrix F (ñ × N) and polynomial features P (ñ × K).

    ``FtF`` (N × N), ``FtP`` (N × K) and ``PtP`` (K × K); the last two are ``None`` when no
    direction was given. ``n`` is ñ.
    """

    FtF: Any
    FtP: Any
    PtP: Any
    n: int


def spectral_stats(nets: TwoLayerNetwork | Sequence[TwoLayerNetwork], data, *, direction=None,
                   degree: int = 3, chunk: int = DEFAULT_CHUNK) -> list[SpectralStats]:
    """Accumulate ``FᵀF`` (and ``FᵀP``, ``PᵀP``) for each network's ``F = σ(X̃W + c)`` in one pass.

    Parameters
    ----------
    nets : TwoLayerNetwork or sequence
        Networks evaluated on the same data (e.g. W₀ and W after steps of several sizes).
    data : stream or (X, y)
        The feature data X̃ (labels are not used).
    direction : array, shape (d,), optional
        b; the polynomial features are ``(X̃b/‖b‖)^{∘k}``, k = 1..degree.
    degree : int
        K, the number of polynomial features.
    chunk : int
        Samples per pass chunk (memory only; the result does not depend on it).
    """
    if not isinstance(nets, TwoLayerNetwork) and (isinstance(nets, (str, bytes)) or not isinstance(nets, Iterable)):
        raise TypeError(f"nets: expected a TwoLayerNetwork or a sequence of them, got {type(nets).__name__}")
    nets = [nets] if isinstance(nets, TwoLayerNetwork) else list(nets)
    if not nets:
        raise ValueError("nets: expected at least one network")
    if not all(isinstance(net, TwoLayerNetwork) for net in nets):
        raise TypeError("nets: expected a TwoLayerNetwork or a sequence of them")
    check_networks_backend(nets)
    degree = check_int(degree, "degree", min_val=1, max_val=MAX_DEGREE)
    chunk = check_int(chunk, "chunk", min_val=1)
    check_memory(8.0 * sum(net.width * (net.width + degree + chunk) for net in nets),
                 f"spectral_stats: {len(nets)} Gram matrices (N × N) and chunk × N blocks with N = {nets[0].width}, "
                 f"chunk = {chunk}")
    xp = nets[0].xp
    if direction is not None:
        direction = check_array(direction, "direction", ndim=1, xp=xp, rows=nets[0].d, dtype=nets[0].dtype)
        norm = xp.linalg.vector_norm(direction)
        if not float(to_host(norm)) > 0:
            raise ValueError("direction: expected a non-zero direction b, got the zero vector")
        direction = direction / norm
    FtF: list = [None] * len(nets)
    FtP: list = [None] * len(nets)
    PtP = None
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=nets[0].d, name="data", xp=nets[0].xp, like="nets"):
        P = None
        if direction is not None:
            u = batch.X @ direction
            P = xp.stack([u ** k for k in range(1, degree + 1)], axis=1)
            PtP = accumulate(PtP, P.T @ P)
        for i, net in enumerate(nets):
            F = net.raw_features(batch.X)
            g = F.T @ F
            FtF[i] = accumulate(FtF[i], g)
            if P is not None:
                h = F.T @ P
                FtP[i] = accumulate(FtP[i], h)
        n += int(batch.X.shape[0])
    return [SpectralStats(FtF[i], FtP[i], PtP, n) for i in range(len(nets))]


@dataclass
class Spectrum:
    """Top singular values of F, its right singular vectors and the alignments.

    Attributes
    ----------
    singular_values : list of float
        ``s_1 >= s_2 >= …`` (host floats).
    vectors : array, shape (N, k)
        Right singular vectors ``V_i`` (columns).
    alignments : list of list of float or None
        ``alignments[i][k−1] = |⟨U_i, Q_k⟩|``, Q_k the k-th Gram–Schmidt direction of
        ``(u, u^{∘2}, …)``; each row has norm <= 1.
    """

    singular_values: list
    vectors: Any
    alignments: list | None


def _check_stats(stats) -> None:
    """``TypeError`` unless ``stats`` is a :class:`SpectralStats`; ``ValueError`` if its Gram matrix is not finite."""
    if not isinstance(stats, SpectralStats):
        raise TypeError(f"stats: expected SpectralStats (from spectral_stats), got {type(stats).__name__}")
    check_finite(stats.FtF, "stats.FtF")
    if stats.PtP is not None:
        check_finite(stats.PtP, "stats.PtP")
        check_finite(stats.FtP, "stats.FtP")


def top_spectrum(stats: SpectralStats, k: int = 6, *, rng: Generator) -> Spectrum:
    """The ``k`` largest singular values of F (and alignments when ``stats`` has them).

    ``rng`` draws the start block of the block Krylov solver (:func:`~featlearn.models.block_krylov.top_eigh`,
    used for N > its ``DENSE_MAX``); the values do not depend on it beyond the solver's 1e-10 tolerance.
    """
    k = check_int(k, "k", min_val=1)
    _check_stats(stats)
    xp = array_namespace(stats.FtF)
    N = stats.FtF.shape[0]
    if k > N:
        raise ValueError(f"k: expected at most N = {N} singular values, got {k}")
    top, V = top_eigh(stats.FtF, k, rng=rng, vectors=stats.FtP is not None)  # vectors only for the alignments
    s = xp.sqrt(xp.where(top > 0, top, xp.zeros_like(top)))
    align = None
    if stats.FtP is not None:
        L = xp.linalg.cholesky(0.5 * (stats.PtP + stats.PtP.T))
        FtQ = xp.linalg.solve(L, stats.FtP.T).T  # Fᵀ Q = Fᵀ P L⁻ᵀ, Q orthonormal Gram–Schmidt basis
        safe = xp.where(s > 0, s, xp.ones_like(s))
        A = xp.abs(V.T @ FtQ) / safe[:, None]
        align = [list(row) for row in to_host(A).tolist()]
    return Spectrum([float(v) for v in to_host(s).tolist()], V, align)


def bulk_edge(stats: SpectralStats, *, rng: Generator, outliers: int = 0) -> float:
    """Largest singular value of F₀ (the bulk edge), skipping ``outliers`` top values.

    For a centred activation (μ₀ = 0) F₀ = σ(X̃W₀) has no outlier and ``outliers=0``; a
    non-centred σ adds the rank-one mean ``μ₀𝟙𝟙ᵀ`` -- skip it with ``outliers=1``. ``rng`` as in
    :func:`top_spectrum`.
    """
    _check_stats(stats)
    outliers = check_int(outliers, "outliers", min_val=0, max_val=int(stats.FtF.shape[0]) - 1)
    top, _ = top_eigh(stats.FtF, outliers + 1, rng=rng, vectors=False)
    v = float(to_host(top[outliers]))
    return math.sqrt(max(v, 0.0))


def count_spikes(singular_values: Iterable[float], edge: float, *, margin: float = 0.1) -> int:
    """Number of singular values above ``(1 + margin)·edge``; a non-finite singular value raises ValueError."""
    if isinstance(singular_values, (str, bytes)) or not isinstance(singular_values, Iterable):
        raise TypeError(f"singular_values: expected a sequence of real numbers, got {type(singular_values).__name__}")
    values = [check_real(v, f"singular_values[{i}]", min_val=0.0) for i, v in enumerate(singular_values)]
    margin = check_real(margin, "margin", min_val=0.0)
    edge = check_real(edge, "edge", min_val=0.0, include_boundaries="neither")
    return sum(1 for s in values if s > (1.0 + margin) * edge)


@dataclass
class SpikeSweep:
    """Spectra of the one-step feature matrix for several α on one data set (see :func:`spike_sweep`).

    Attributes
    ----------
    alphas, etas : list of float
    edge : float
        Bulk edge: largest singular value of F₀ = σ(X̃W₀).
    singular_values : list of list of float
        Per α, the top singular values of F = σ(X̃W).
    alignments : list of list of list of float
        Per α, ``[i][k−1] = |⟨U_i, GS_k⟩|``.
    b_norm : float
        ‖b‖, ``b = (1/n)Xᵀr``.
    overlap : float or None
        ``cos∠(b, β*)`` when the target has a ``beta``.
    n, n_features, d, width : int
    eta_scales : list of float or None
        Per α, the prefactor c of η = c·n^α (``None``: 1 for every α, records written before it existed).
    """

    alphas: list
    etas: list
    edge: float
    singular_values: list
    alignments: list
    b_norm: float
    overlap: float | None
    n: int
    n_features: int
    d: int
    width: int
    eta_scales: list | None = None


def spike_sweep(target, rng: Generator, *, n: int, width: int, alphas: Iterable[float],
                n_features: int | None = None, degree: int = 3, top: int = 6, noise_std: float = 0.0,
                activation=None, parametrization: str = "moniri", residual: str = "y", eta_scale: float = 1.0,
                eta_scales: Iterable[float] | None = None, dtype=None, chunk: int = DEFAULT_CHUNK,
                progress: Callable[[str], None] = lambda m: None) -> SpikeSweep:
    """One initialisation, one gradient step direction, and the spectrum of F for several α.

    Data: step data ``rng.child("step-data")`` (n samples), feature data
    ``rng.child("feature-data")`` (ñ = ``n_features``, default n, independent: sample
    splitting as in MLHD23's X̃), initial network ``rng.child("init")``, start blocks of the
    eigensolver ``rng.child("spectrum", i)`` (i = 0 for F₀, i for the i-th α).
    """
    if not (hasattr(target, "d") and callable(getattr(target, "sample_block", None))):
        raise TypeError(f"target: expected a featlearn target (with .d and .sample_block), got {type(target).__name__}")
    check_generator(rng)
    alphas = [check_alpha(a) for a in check_grid(alphas, "alphas", min_val=0.0, max_val=0.5,
                                                  include_boundaries="left")]
    eta_scale = check_real(eta_scale, "eta_scale", min_val=0.0, include_boundaries="neither")
    if eta_scales is None:
        scales = [eta_scale] * len(alphas)
    else:
        scales = list(check_grid(eta_scales, "eta_scales", min_val=0.0, include_boundaries="neither"))
        if len(scales) != len(alphas):
            raise ValueError(f"eta_scales: expected one prefactor per α ({len(alphas)}), got {len(scales)}")
    if not callable(progress):
        raise TypeError(f"progress: expected a callable taking a message, got {type(progress).__name__}")
    n = check_int(n, "n", min_val=1)
    top = check_int(top, "top", min_val=1)
    degree = check_int(degree, "degree", min_val=1)
    n_features = n if n_features is None else check_int(n_features, "n_features", min_val=1)
    width, chunk = check_int(width, "width", min_val=1), check_int(chunk, "chunk", min_val=1)
    check_memory(8.0 * (len(alphas) + 1) * width * (width + 2 + chunk),
                 f"spike_sweep: {len(alphas) + 1} Gram matrices (N × N) and chunk × N blocks with width = {width}, "
                 f"chunk = {chunk}")
    check_gram_memory(width, len(alphas) + 1, chunk)
    net0 = init_network(rng.child("init"), int(target.d), width, activation=activation,
                        parametrization=parametrization, dtype=dtype)
    step = TargetStream(target, n, rng.child("step-data"), noise_std=noise_std, dtype=dtype)
    centering = estimate_centering(step, chunk=chunk) if net0.parametrization.center_labels else None
    progress(f"gradient: n={n}, d={target.d}, N={width}")
    grad = one_step_gradient(net0, step, residual=residual, centering=centering, chunk=chunk)
    etas = [step_size(n, a, scale=c) for a, c in zip(alphas, scales)]
    nets = [net0] + [apply_step(net0, grad, e) for e in etas]
    progress(f"feature Gram matrices for {len(etas)} step sizes on {n_features} samples")
    feats = TargetStream(target, n_features, rng.child("feature-data"), noise_std=noise_std, dtype=dtype)
    stats = spectral_stats(nets, feats, direction=grad.direction, degree=degree, chunk=chunk)
    edge = bulk_edge(stats[0], rng=rng.child("spectrum", 0))
    spectra = [top_spectrum(s, min(top, width), rng=rng.child("spectrum", i)) for i, s in enumerate(stats[1:], 1)]
    xp = net0.xp
    b_norm = float(to_host(xp.linalg.vector_norm(grad.direction)))
    overlap = None
    beta = getattr(target, "beta", None)
    if beta is not None:
        beta = xp.astype(beta, grad.direction.dtype) if beta.dtype != grad.direction.dtype else beta
        overlap = float(to_host(xp.sum(beta * grad.direction))) / (b_norm * float(
            to_host(xp.linalg.vector_norm(beta))))
    return SpikeSweep(alphas, etas, edge, [sp.singular_values for sp in spectra], [sp.alignments for sp in spectra],
                      b_norm, overlap, n, n_features, int(target.d), width, scales)


# -- growth exponents ---------------------------------------------------------------------------------------
def _fit_with_b_column(ns: list[float], ratios: list[float], b_norms: list[float]) -> tuple[float, float, float]:
    """``(γ, se(γ), κ)`` of ``log ratio ≈ c + γ log n + κ log ‖b‖`` by least squares with weights n (SciPy)."""
    import scipy.linalg

    X = [(1.0, math.log(n), math.log(b)) for n, b in zip(ns, b_norms)]
    Y = [math.log(r) for r in ratios]
    ZtZ = [[sum(w * z[i] * z[j] for z, w in zip(X, ns)) for j in range(3)] for i in range(3)]
    ZtR = [sum(w * z[i] * r for z, r, w in zip(X, Y, ns)) for i in range(3)]
    try:
        coef = [float(v) for v in scipy.linalg.solve(ZtZ, ZtR, assume_a="sym")]
        e1 = [float(v) for v in scipy.linalg.solve(ZtZ, [0.0, 1.0, 0.0], assume_a="sym")]  # log-n column of (ZᵀWZ)⁻¹
    except (scipy.linalg.LinAlgError, ValueError):
        raise ValueError("samples: the design is singular (need at least two distinct n and varying ‖b‖)") from None
    resid = [r - sum(c * v for c, v in zip(coef, z)) for z, r in zip(X, Y)]
    s2 = sum(w * e * e for w, e in zip(ns, resid)) / (len(Y) - 3)
    return coef[1], math.sqrt(max(s2 * e1[1], 0.0)), coef[2]


_THEORY = object()


def fit_growth_exponent(samples: Iterable[tuple[int, float, float]], *, k: int | None = None,
                        b_exponent: Any = _THEORY) -> dict[str, Any]:
    """Exponent γ of ``ratio ≍ n^γ`` from runs ``(n, ratio, b_norm)``, adjusted for each run's ‖b‖.

    Weighted least squares (weights n: per-run fluctuations are O(n^{-1/2})); with the ‖b‖
    exponent fixed this is :func:`featlearn.stats.fit_loglog_slope` of ``ratio/‖b‖^κ`` against
    ``n``. Used with
    ``ratio = s_k/edge``: the k-th spike is driven by ``(η‖b‖)^k`` (docs/papers/mlhd23.md §4.2,
    ``s_k ∝ ‖b‖^k``), and ‖b‖ = ‖(1/n)Xᵀy‖ fluctuates from run to run (±15 % at n = 500 for
    labels with a He₂ part). As E‖b‖ is constant in n at fixed d/n (up to O(1/n)), the
    adjusted slope estimates the same exponent.

    Parameters
    ----------
    samples : iterable of (n, ratio, b_norm)
    k : int, optional
        The spike's degree. By default the ‖b‖ exponent is fixed by theory at κ = k (the fit the
        claims use), so ``k`` is required unless ``b_exponent`` is given.
    b_exponent : float or None, optional
        Override κ: ``log ratio − κ log ‖b‖`` is regressed on ``[1, log n]``. ``None`` fits κ as a
        third column (a diagnostic only: with few runs a fitted κ can absorb part of the
        n-dependence). ``0`` gives no adjustment.

    Returns
    -------
    dict
        ``slope``, its model-based standard error ``se`` (assumes the per-run variance ∝ 1/n;
        check it against the seed-to-seed spread before using it as a tolerance),
        ``b_norm_coefficient`` (κ, fixed or fitted), ``b_exponent_fixed`` (bool),
        ``unadjusted_slope`` (slope of the per-n means of log ratio), ``log_n`` and
        ``mean_log_ratio``.
    """
    if b_exponent is _THEORY:
        if k is None:
            raise TypeError("k: give the spike degree k (the theory's ‖b‖ exponent), or an explicit b_exponent")
        b_exponent = float(check_int(k, "k", min_val=1, max_val=MAX_DEGREE))  # a spike's degree, <= MAX_DEGREE
    if b_exponent is not None:
        b_exponent = check_real(b_exponent, "b_exponent")
    if isinstance(samples, (str, bytes)) or not isinstance(samples, Iterable):
        raise TypeError(f"samples: expected an iterable of (n, ratio, b_norm) triples, got {type(samples).__name__}")
    ns, ratios, b_norms = [], [], []
    for i, row in enumerate(samples):
        if isinstance(row, (str, bytes)) or not isinstance(row, Iterable):
            raise TypeError(f"samples[{i}]: expected an (n, ratio, b_norm) triple, got {type(row).__name__}")
        row = tuple(row)
        if len(row) != 3:
            raise ValueError(f"samples[{i}]: expected an (n, ratio, b_norm) triple, got {len(row)} values")
        n, ratio, b_norm = (check_real(v, f"samples[{i}]") for v in row)
        if not (ratio > 0 and b_norm > 0 and n >= 1):
            raise ValueError(f"samples: expected positive n, ratio and b_norm, got {(n, ratio, b_norm)}")
        ns.append(float(n))
        ratios.append(float(ratio))
        b_norms.append(float(b_norm))
    if len(set(ns)) < 2 or len(ns) < 4:
        raise ValueError("samples: need at least two distinct n and four runs")
    if b_exponent is None:
        slope, se, kappa = _fit_with_b_column(ns, ratios, b_norms)
    else:
        kappa = float(b_exponent)
        fit = fit_loglog_slope(ns, [r / b ** kappa for r, b in zip(ratios, b_norms)], weights=ns)
        slope, se = fit.slope, fit.stderr
    grid = sorted(set(ns))
    ms = [sum(math.log(r) for m, r in zip(ns, ratios) if m == v) / ns.count(v) for v in grid]
    raw = fit_loglog_slope(grid, [math.exp(m) for m in ms]).slope  # per-n geometric means of the ratio
    return {"slope": slope, "se": se, "b_norm_coefficient": kappa, "b_exponent_fixed": b_exponent is not None,
            "unadjusted_slope": raw, "log_n": [math.log(v) for v in grid], "mean_log_ratio": ms}
