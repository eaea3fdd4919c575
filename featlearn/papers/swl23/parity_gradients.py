"""Gradient features of the uniform sparse parity: population gradient, Fourier prediction, crossing size.

Shi, Wei & Liang 2023 (SWL23), docs/papers/swl23.md §5.4–§5.5 (*reconstructed*: the paper's
uniform-parity statement was not available; the derivation below is ours). On ``x`` uniform on
``{±1}^d`` with ``y = χ_A(x) = Π_{i∈A} x_i`` (``|A| = k``), the simplified gradient of a neuron
``h(x) = 1{⟨w, x⟩ > b}`` has coordinates that are Fourier coefficients of the halfspace ``h``:

``G_j(w, b) = E[χ_A(x) x_j h(x)] = ĥ(A △ {j})``,

a coefficient of degree ``k − 1`` for ``j ∈ A`` and ``k + 1`` for ``j ∉ A``. For a dense halfspace
(``u = w/‖w‖`` with entries of order ``d^{−1/2}``, ``t = b/‖w‖``) the central-limit (Hermite)
approximation gives ``ĥ(S) ≈ He_{|S|−1}(t) φ(t) Π_{i∈S} u_i``, so ``‖G‖² ≍ d^{−(k−1)}``, while the
sampling error of ``G_Z`` has ``E‖G_Z − G‖² = (d q − ‖G‖²)/n`` (``q = Pr[h = 1]``, ``x_j² = 1``).
The cosine ``cos(G_Z, G) ≈ (1 + (d q − ‖G‖²)/(n ‖G‖²))^{−1/2}`` crosses a level ``c`` at

``n* = (d q − ‖G‖²)/‖G‖² · c²/(1 − c²) ≍ d^k``

(:func:`predicted_crossing`): the crossing sample size grows like ``d^k``, an exponent that rises
with ``k`` (:func:`fourier_exponent`). For ``k >= 3`` the part of ``G`` inside ``A`` points along
``(Π_{i∈A} u_i)/u_j``, not along ``1_A``, so alignment is measured against the population ``G``
(:func:`parity_population_gradient`), never against ``1_A/√k``.

Layout as in :mod:`featlearn.papers.swl23.gradient_features`: neurons are columns of ``W`` (d, m).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from collections.abc import Iterable
from typing import Any, Sequence

from featlearn.backends import Generator, array_namespace, device_of, to_host
from featlearn.data import DEFAULT_CHUNK, chunk_bounds, iter_batches
from featlearn.stats import median
from featlearn.validation import check_array, check_generator, check_grid, check_indices, check_int, check_real

from .gradient_features import _normal_cdf, check_neurons

#: Most chunks one Monte-Carlo pass of :func:`parity_population_gradient` may loop over.
MAX_CHUNKS = 10**6

__all__ = [
    "ParityGradient",
    "alignment_path",
    "crossing_sample_size",
    "fourier_exponent",
    "hermite_parity_gradient",
    "parity_population_gradient",
    "predicted_crossing",
]


def _check_level(level) -> float:
    return check_real(level, "level", min_val=0.0, max_val=1.0, include_boundaries="neither")


def _check_sizes(sizes, name: str = "sizes") -> list[int]:
    """A non-empty sequence of sample sizes >= 1, as ints."""
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise TypeError(f"{name}: expected a sequence of sample sizes, got {type(sizes).__name__}")
    out = [check_int(n, f"{name}[{i}]", min_val=1) for i, n in enumerate(sizes)]
    if not out:
        raise ValueError(f"{name}: expected at least one sample size, got an empty sequence")
    return out


def fourier_exponent(k: int) -> float:
    """The predicted exponent of ``n* ∝ d^{exponent}`` for the uniform k-sparse parity: ``k``.

    ``‖G‖² ≍ d^{−(k−1)}`` (degree-``(k−1)`` Fourier coefficients of a dense halfspace, ``k`` of
    them) against a sampling error ``≍ d/n`` (docs/papers/swl23.md §5.4, our derivation).
    """
    return float(check_int(k, "k", min_val=1))


@dataclass(frozen=True)
class ParityGradient:
    """Population simplified gradient of the uniform sparse parity (Monte Carlo, Rao–Blackwellised).

    Attributes
    ----------
    G, std_error : array, shape (d, m)
        The estimate of ``G(w_i, b_i)`` and its entrywise Monte-Carlo standard error.
    active : array, shape (m,)
        ``q_i = Pr[⟨w_i, x⟩ > b_i]`` (same sample).
    norm2 : array, shape (m,)
        Unbiased estimate of ``‖G(w_i, b_i)‖²``: ``⟨G⁽¹⁾, G⁽²⁾⟩`` of two independent halves of the
        draws (``‖G‖²`` of the full estimate is biased up by ``‖std_error‖²``); may be ``<= 0``
        when the gradient is below the Monte-Carlo resolution.
    n : int
        Monte-Carlo samples of the irrelevant coordinates.
    """

    G: Any
    std_error: Any
    active: Any
    norm2: Any
    n: int


def parity_population_gradient(W, b, support, rng: Generator, n: int, /, *,
                               chunk: int = DEFAULT_CHUNK) -> ParityGradient:
    """Population ``G(w, b) = E[χ_A(x) x 1{⟨w,x⟩ > b}]`` on the uniform cube, unbiased and low-variance.

    Rao–Blackwellised Monte Carlo: only the ``d − k`` irrelevant coordinates ``x_R`` are sampled
    (``n`` draws); the ``2^k`` patterns of ``x_A`` are summed exactly. Per draw the estimate of
    ``G_R`` is ``x_R · 2^{−k} Σ_s χ(s) 1{⟨w_R, x_R⟩ + ⟨w_A, s⟩ > b}`` and that of ``G_j``, ``j ∈ A``,
    is ``2^{−k} Σ_s χ(s) s_j 1{…}``: ``k``-th finite differences of a step, non-zero only when
    ``⟨w_R, x_R⟩`` falls within ``‖w_A‖_1`` of ``b``, hence a far smaller variance than plain Monte
    Carlo (which would need ``n ≫ d^k`` draws). The sum over patterns is one matrix product per
    chunk. Cost ``O(n·m·(2^k + d))``.

    Parameters
    ----------
    W : array, shape (d, m)
    b : array, shape (m,)
    support : iterable of int
        The parity's coordinates ``A``.
    rng : Generator
        Source of the ``x_R`` draws (its backend and device must match ``W``'s).
    n : int >= 2
    chunk : int

    Returns
    -------
    ParityGradient
    """
    xp, W, b = check_neurons(W, b)
    rng = check_generator(rng)
    d, m = int(W.shape[0]), int(W.shape[1])
    A = check_indices(support, "support", size=d)
    n = check_int(n, "n", min_val=2)
    chunk = check_int(chunk, "chunk", min_val=1)
    if -(-n // chunk) > MAX_CHUNKS:
        raise ValueError(f"n: n = {n} draws in chunks of {chunk} is {-(-n // chunk)} chunks, more than "
                         f"{MAX_CHUNKS} (a loop of days); raise chunk or lower n")
    k = len(A)
    R = [i for i in range(d) if i not in set(A)]
    dev = device_of(W)
    WA = xp.take(W, xp.asarray(A, dtype=xp.int64, device=dev), axis=0)  # (k, m)
    WR = xp.take(W, xp.asarray(R, dtype=xp.int64, device=dev), axis=0) if R else None
    pats = list(itertools.product((-1.0, 1.0), repeat=k))
    P = xp.asarray([list(s) for s in pats], dtype=W.dtype, device=dev)  # (2^k, k)
    shift = P @ WA - b[None, :]  # (2^k, m): ⟨w_A, s⟩ − b
    chi = [math.prod(s) for s in pats]
    # coefficient rows: χ(s) (for G_R), χ(s)·s_j (for G_j, j ∈ A), 1 (for q); each over 2^k
    coef = xp.asarray([chi] + [[c * s[j] for c, s in zip(chi, pats)] for j in range(k)] + [[1.0] * len(pats)],
                      dtype=W.dtype, device=dev) / len(pats)  # (k + 2, 2^k)
    SR = xp.zeros((d - k, m), dtype=W.dtype, device=dev)
    SR2 = xp.zeros((d - k, m), dtype=W.dtype, device=dev)
    SA = xp.zeros((k, m), dtype=W.dtype, device=dev)
    SA2 = xp.zeros((k, m), dtype=W.dtype, device=dev)
    Q = xp.zeros((m,), dtype=W.dtype, device=dev)
    half = [xp.zeros((d, m), dtype=W.dtype, device=dev), xp.zeros((d, m), dtype=W.dtype, device=dev)]
    counts = [0, 0]
    for i, (s, e) in enumerate(chunk_bounds(n, chunk)):
        c = e - s
        if R:
            XR = rng.child("block", i).rademacher((c, d - k), dtype=W.dtype)
            Z = XR @ WR  # (c, m)
        else:
            XR = None
            Z = xp.zeros((c, m), dtype=W.dtype, device=dev)
        act = xp.astype((Z[None, :, :] + shift[:, None, :]) > 0, W.dtype)  # (2^k, c, m)
        mix = xp.reshape(coef @ xp.reshape(act, (len(pats), c * m)), (k + 2, c, m))
        g = mix[0, ...]
        part_R = XR.T @ g if R else xp.zeros((0, m), dtype=W.dtype, device=dev)
        part_A = xp.sum(mix[1:k + 1, ...], axis=1)
        if R:
            SR = SR + part_R
            SR2 = SR2 + (XR * XR).T @ (g * g)
        half[i % 2] = half[i % 2] + xp.concat([part_A, part_R], axis=0)
        counts[i % 2] += c
        SA = SA + part_A
        SA2 = SA2 + xp.sum(mix[1:k + 1, ...] ** 2, axis=1)
        Q = Q + xp.sum(mix[k + 1, ...], axis=0)
    GA, GR = SA / n, SR / n
    var_A = xp.clip(SA2 / n - GA * GA, min=0.0) * (n / (n - 1))
    var_R = xp.clip(SR2 / n - GR * GR, min=0.0) * (n / (n - 1))
    # back to coordinate order
    order = A + R
    inverse = [0] * d
    for pos, i in enumerate(order):
        inverse[i] = pos
    idx = xp.asarray(inverse, dtype=xp.int64, device=dev)
    G = xp.take(xp.concat([GA, GR], axis=0), idx, axis=0)
    se = xp.take(xp.sqrt(xp.concat([var_A, var_R], axis=0) / n), idx, axis=0)
    if counts[1] == 0:
        raise ValueError(f"n: the unbiased norm needs two chunks of draws; use n > chunk (n = {n}, chunk = {chunk})")
    norm2 = xp.sum((half[0] / counts[0]) * (half[1] / counts[1]), axis=0)
    return ParityGradient(G, se, Q / n, norm2, n)


def _hermite(nu: int, t, xp):
    """Probabilists' Hermite polynomial ``He_ν(t)`` by the recurrence ``He_{ν+1} = t He_ν − ν He_{ν−1}``."""
    nu = check_int(nu, "nu", min_val=0)
    prev, cur = xp.ones_like(t), t
    if nu == 0:
        return prev
    for j in range(1, nu):
        prev, cur = cur, t * cur - j * prev
    return cur


def hermite_parity_gradient(W, b, support, /):
    """Leading-order Fourier/Hermite prediction of ``G(w, b)`` for the uniform k-sparse parity.

    ``G_j ≈ He_{k−2}(t) φ(t) Π_{i∈A∖{j}} u_i`` for ``j ∈ A`` and ``He_k(t) φ(t) u_j Π_{i∈A} u_i``
    for ``j ∉ A`` (``u = w/‖w‖``, ``t = b/‖w‖``): the Gaussian (central-limit) approximation of
    the halfspace's Fourier coefficients ``ĥ(S) ≈ E[1{z > t} He_{|S|}(z)] Π_{i∈S} u_i``
    (docs/papers/swl23.md §5.4, our derivation). Exact for Gaussian inputs; on the cube it is
    the large-d limit. Needs ``k >= 2``.

    Returns
    -------
    (G, q) : array (d, m) and the Gaussian-approximation activation probability ``Φ(−t)`` (m,)
    """
    xp, W, b = check_neurons(W, b)
    d = int(W.shape[0])
    A = check_indices(support, "support", size=d)
    k = len(A)
    if k < 2:
        raise ValueError(f"support: the formula needs k >= 2 coordinates, got {k}")
    norms = xp.linalg.vector_norm(W, axis=0)
    if not bool(xp.all(norms > 0)):
        raise ValueError("W: every neuron needs a non-zero weight")
    U = W / norms[None, :]
    t = b / norms
    phi = xp.exp(-0.5 * t * t) / math.sqrt(2.0 * math.pi)
    dev = device_of(W)
    UA = xp.take(U, xp.asarray(A, dtype=xp.int64, device=dev), axis=0)
    prod_A = xp.prod(UA, axis=0)  # (m,)
    outside = (_hermite(k, t, xp) * phi * prod_A)[None, :] * U  # j ∉ A rows (A rows replaced below)
    inside_rows = []
    for j in range(k):
        others = xp.prod(xp.concat([UA[:j, :], UA[j + 1:, :]], axis=0), axis=0)
        inside_rows.append(_hermite(k - 2, t, xp) * phi * others)
    is_A = xp.asarray([1.0 if i in set(A) else 0.0 for i in range(d)], dtype=W.dtype, device=dev)
    pos = {a: j for j, a in enumerate(A)}
    inside = xp.stack([inside_rows[pos[i]] if i in pos else xp.zeros_like(t) for i in range(d)], axis=0)
    G = is_A[:, None] * inside + (1.0 - is_A)[:, None] * outside
    return G, _normal_cdf(-t)


def predicted_crossing(G, active, level: float, /, *, norm2=None):
    """Per-neuron sample size at which ``cos(G_Z, G)`` reaches ``level``: ``(d q − ‖G‖²)/‖G‖² · c²/(1 − c²)``.

    From ``E‖G_Z − G‖² = Σ_j Var(y x_j 1{·})/n = (d q − ‖G‖²)/n`` on the cube (``x_j² = 1``) and
    ``cos² ≈ ‖G‖²/(‖G‖² + E‖G_Z − G‖²)``. A zero gradient gives ``inf``. The median over
    neurons of these sizes predicts where the median cosine crosses ``level``. ``norm2``
    (optional, shape (m,)) replaces ``‖G‖²`` (e.g. the unbiased ``ParityGradient.norm2``).
    """
    G = check_array(G, "G", ndim=2)
    xp = array_namespace(G)
    c = _check_level(level)
    d, m = int(G.shape[0]), int(G.shape[1])
    active = check_array(active, "active", ndim=1, xp=xp, rows=m, dtype=G.dtype)
    if norm2 is not None:
        norm2 = check_array(norm2, "norm2", ndim=1, xp=xp, rows=m, dtype=G.dtype)
    g2 = xp.sum(G * G, axis=0) if norm2 is None else norm2
    safe = xp.where(g2 > 0, g2, xp.ones_like(g2))
    n_star = (d * active - g2) / safe * (c * c / (1.0 - c * c))
    return xp.where(g2 > 0, n_star, xp.full_like(g2, math.inf))


def alignment_path(W, b, data, G_ref, sizes: Sequence[int], /, *, chunk: int = DEFAULT_CHUNK,
                   stop_level: float | None = None, ref_norm2=None) -> list[float]:
    """Median over neurons of ``cos(G_Z, G_ref)`` for the nested samples ``Z`` of the given sizes.

    ``ref_norm2`` (shape (m,)) replaces ``‖G_ref‖²`` in the cosine's denominator: with the unbiased
    ``ParityGradient.norm2`` the cosine is corrected for the Monte-Carlo error of ``G_ref`` (the
    numerator ``⟨G_Z, G_ref⟩`` is already unbiased, the two samples being independent); neurons
    with ``ref_norm2 <= 0`` count as cosine 0.

    One streamed pass over ``data`` accumulates ``Σ y x 1{⟨w,x⟩ > b}`` (a matrix product per
    chunk); at each size in ``sizes`` (increasing) the median cosine (:func:`featlearn.stats.median`) is recorded. With
    ``stop_level`` the pass stops after the first size whose median reaches it (the rest of
    the list is not returned).
    """
    xp, W, b = check_neurons(W, b)
    G_ref = check_array(G_ref, "G_ref", ndim=2, xp=xp, rows=int(W.shape[0]), columns=int(W.shape[1]),
                        dtype=W.dtype)
    sizes = _check_sizes(sizes)
    if any(s2 <= s1 for s1, s2 in zip(sizes, sizes[1:])):
        raise ValueError("sizes: expected strictly increasing sample sizes")
    if stop_level is not None:
        stop_level = check_real(stop_level, "stop_level")
    if ref_norm2 is not None:
        ref_norm2 = check_array(ref_norm2, "ref_norm2", ndim=1, xp=xp, rows=int(W.shape[1]), dtype=W.dtype)
    d, m = int(W.shape[0]), int(W.shape[1])
    batches = iter_batches(data, chunk=chunk, d=d, name="data", xp=xp, like="W")  # data checked before any work
    S = xp.zeros((d, m), dtype=W.dtype, device=device_of(W))
    out: list[float] = []
    seen, nxt = 0, 0
    for batch in batches:
        X = xp.astype(batch.X, W.dtype)
        y = xp.astype(batch.y, W.dtype)
        pos = 0
        while pos < int(X.shape[0]) and nxt < len(sizes):
            take = min(int(X.shape[0]) - pos, sizes[nxt] - seen)
            Xc, yc = X[pos:pos + take, :], y[pos:pos + take]
            S = S + (Xc * yc[:, None]).T @ xp.astype((Xc @ W) > b[None, :], W.dtype)
            pos += take
            seen += take
            if seen == sizes[nxt]:
                cos = _column_cos(xp, S, G_ref, ref_norm2)
                med = median(to_host(cos))
                out.append(med)
                nxt += 1
                if stop_level is not None and med >= stop_level:
                    return out
        if nxt == len(sizes):
            break
    if nxt < len(sizes):
        raise ValueError(f"data: {seen} samples, fewer than the largest size {sizes[-1]}")
    return out


def _column_cos(xp, A, B, b_norm2=None):
    na = xp.linalg.vector_norm(A, axis=0)
    nb = xp.linalg.vector_norm(B, axis=0) if b_norm2 is None else xp.sqrt(xp.clip(b_norm2, min=0.0))
    den = na * nb
    safe = xp.where(den > 0, den, xp.ones_like(den))
    return xp.where(den > 0, xp.sum(A * B, axis=0) / safe, xp.zeros_like(den))


def crossing_sample_size(sizes: Sequence[int], medians: Sequence[float], level: float, /) -> float:
    """First crossing of ``level`` by the median cosine, interpolated linearly in ``log n``; ``inf`` if none.

    If the first size already reaches ``level`` the crossing is at or below it: that size is
    returned (the caller should start the sizes low enough).
    """
    c = _check_level(level)
    sizes = _check_sizes(sizes)
    medians = check_grid(medians, "medians")
    if len(sizes) != len(medians):
        raise ValueError(f"medians: expected one median per size ({len(sizes)}), got {len(medians)}")
    if any(b <= a for a, b in zip(sizes, sizes[1:])):
        raise ValueError(f"sizes: expected strictly increasing sample sizes (the crossing is interpolated in log n), "
                         f"got {sizes}")
    for i, v in enumerate(medians):
        if v >= c:
            if i == 0:
                return float(sizes[0])
            x0, x1 = math.log(sizes[i - 1]), math.log(sizes[i])
            v0 = medians[i - 1]
            return math.exp(x0 + (c - v0) * (x1 - x0) / (v - v0))
    return math.inf
