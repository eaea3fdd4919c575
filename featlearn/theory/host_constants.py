"""The one place where theory code uses NumPy directly: host-side scalar constants.

Quadrature nodes and weights are fixed numbers, not data; they are computed once on the
host in float64 and used as Python/NumPy scalars or moved into ``xp`` by the caller.
Every other module of :mod:`featlearn.theory` works only through an Array-API namespace.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

#: Gauss-Legendre nodes per unit interval of the default Gaussian quadrature rule.
DEFAULT_QUADRATURE_ORDER = 40

#: The Gaussian rule integrates over [-GAUSSIAN_HALF_WIDTH, GAUSSIAN_HALF_WIDTH]; the mass
#: outside is < 1e-40, and |He_k(z)| φ(z) beyond it is negligible for the degrees we use (k <= 12).
GAUSSIAN_HALF_WIDTH = 14


@lru_cache(maxsize=16)
def gaussian_quadrature(order: int = DEFAULT_QUADRATURE_ORDER) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for E[f(z)], z ~ N(0, 1): ``E f(z) ≈ Σ w_i f(x_i)``.

    Composite Gauss–Legendre on the unit intervals of [-14, 14], weighted by the Gaussian
    density. Breakpoints at the integers mean functions with kinks at 0 (ReLU, step,
    |z|) are integrated piecewise smoothly, to ~1e-14, unlike plain Gauss–Hermite whose
    error for kinks decays only algebraically. Read-only float64 host arrays (cached).
    """
    if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or not 1 <= order <= 200:
        raise ValueError(f"order: expected an int in [1, 200], got {order!r}")
    t, wt = np.polynomial.legendre.leggauss(int(order))
    left = np.arange(-GAUSSIAN_HALF_WIDTH, GAUSSIAN_HALF_WIDTH, dtype=np.float64)
    x = (left[:, None] + 0.5 * (t[None, :] + 1.0)).ravel()
    w = np.tile(0.5 * wt, left.size) * np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@lru_cache(maxsize=16)
def gauss_legendre(order: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (read-only float64 host arrays)."""
    if order < 1:
        raise ValueError(f"order: expected a positive int, got {order}")
    x, w = np.polynomial.legendre.leggauss(order)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def double_factorial(k: int) -> int:
    """k!! for k >= -1 (with (-1)!! = 0!! = 1)."""
    out = 1
    while k > 1:
        out *= k
        k -= 2
    return out


def gaussian_expectations(fn: Callable, weights_fns: tuple[Callable, ...] = (), *,
                          order: int = DEFAULT_QUADRATURE_ORDER) -> np.ndarray:
    """Host quadrature of E[f(z)·h(z)], z ~ N(0,1), for each h in ``weights_fns`` (or of E f alone).

    ``fn`` and each ``h`` receive the nodes as an ``array_api_compat.numpy`` array and
    return an array of the same shape. Returns a float64 host vector (scalars, not data).
    """
    import array_api_compat.numpy as hxp

    x, w = gaussian_quadrature(order)
    z = hxp.asarray(x)
    fx = np.asarray(fn(z), dtype=np.float64)
    if fx.shape != x.shape:
        raise ValueError(f"fn: expected an elementwise function returning shape {x.shape}, got {fx.shape}")
    if not np.all(np.isfinite(fx)):
        raise ValueError("fn: returned non-finite values at the quadrature nodes")
    if not weights_fns:
        return np.asarray([np.sum(w * fx)])
    return np.asarray([np.sum(w * fx * np.asarray(h(z), dtype=np.float64)) for h in weights_fns])


# -- SWL23 (gradient features) --
def hinge_output_layer_lp(F: np.ndarray, y: np.ndarray, bound: float) -> tuple[np.ndarray, float]:
    """``argmin_a (1/n) Σ_l max(0, 1 − y_l (F a)_l)`` subject to ``|a_j| <= bound``, as a linear program.

    The hinge risk of a network with fixed features is convex (piecewise linear) in its
    output layer; with slacks ``ξ_l >= 1 − y_l (Fa)_l``, ``ξ >= 0`` it is an LP, solved
    exactly by HiGHS (``scipy.optimize.linprog``). Host float64 arrays in, ``(a, risk)`` out.
    Used for the upper bound on OPT (docs/papers/swl23.md §4).
    """
    from scipy.optimize import linprog
    from scipy.sparse import csr_matrix, hstack, identity

    F = np.asarray(F, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n, r = F.shape
    if y.shape != (n,):
        raise ValueError(f"y: expected shape ({n},), got {y.shape}")
    if not (np.isfinite(bound) and bound > 0):
        raise ValueError(f"bound: expected a finite positive number, got {bound!r}")
    # variables (a_1..a_r, ξ_1..ξ_n); constraint −y_l F_l·a − ξ_l <= −1
    A = hstack([csr_matrix(-(y[:, None] * F)), -identity(n, format="csr")], format="csr")
    c = np.concatenate([np.zeros(r), np.full(n, 1.0 / n)])
    bounds = [(-bound, bound)] * r + [(0.0, None)] * n
    res = linprog(c, A_ub=A, b_ub=-np.ones(n), bounds=bounds, method="highs")
    if res.status != 0:
        raise RuntimeError(f"hinge LP failed: {res.message}")
    return np.asarray(res.x[:r]), float(res.fun)


# -- SL21 (ball indicators) --
#: Bessel-argument grid of the tabulated SL21 radial law (docs/papers/sl21.md §2.3): spacing in
#: z = 2πα√d·R_d·‖x‖ and the end of the tabulated body; beyond it the tail is the analytic
#: Pareto tail d/(πz) of the radial density's cos² average.
SL21_BESSEL_DZ = 0.02
SL21_BESSEL_ZMAX = 2000.0


def sl21_unit_ball_radius(d: int) -> float:
    """R_d = Γ(d/2 + 1)^{1/d}/√π, radius of the unit-volume ball in R^d (SL21 Eq. (3))."""
    from scipy.special import gammaln

    return float(np.exp(gammaln(d / 2.0 + 1.0) / d) / np.sqrt(np.pi))


def sl21_bessel_density_z(z, d: int) -> np.ndarray:
    """Radius density of SL21 Eq. (3) in the variable z = 2πα√d·R_d·ρ: ``d·J_{d/2}(z)²/z``.

    SL21 Eq. (8) gives γ̄_d(ρ) = (d/ρ)·J²_{d/2}(2πα√d R_d ρ); the change of variables ρ → z
    leaves ``d·J²_{d/2}(z)/z`` (scale-free). Finite everywhere (the limit at z = 0 is 0 for d >= 2).
    """
    from scipy.special import jv

    z = np.asarray(z, dtype=np.float64)
    zs = np.where(z > 0, z, 1.0)
    out = d * jv(d / 2.0, zs) ** 2 / zs
    return np.where(z > 0, out, 0.0)


@lru_cache(maxsize=32)
def sl21_bessel_table(d: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Tabulated CDF of the SL21 Eq. (3) radius law in z (docs/papers/sl21.md §4.1).

    Returns ``(z, cdf, body, tail)``: the grid ``z`` on [0, SL21_BESSEL_ZMAX] (spacing
    SL21_BESSEL_DZ), the CDF at the grid normalised so that ``cdf[-1] = 1 − tail``, the raw
    trapezoid integral ``body`` of the density over the grid, and the analytic tail mass
    ``tail = d/(π·ZMAX)`` (from J_ν(z)² ≈ 2cos²(·)/(πz)). ``body + tail`` should be 1 (the
    density of Eq. (3) is normalised, ∫₀^∞ J_ν(z)²/z dz = 1/(2ν)): the check of
    :func:`featlearn.papers.sl21.radial_laws.bessel_normalisation`. Read-only float64 host arrays.
    """
    if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or d < 2:
        raise ValueError(f"d: expected an int >= 2, got {d!r}")
    z = np.arange(0.0, SL21_BESSEL_ZMAX + 0.5 * SL21_BESSEL_DZ, SL21_BESSEL_DZ)
    g = sl21_bessel_density_z(z, int(d))
    h = SL21_BESSEL_DZ
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (g[1:] + g[:-1]) * h)])
    dg = np.gradient(g, h)
    cum = cum - h * h / 12.0 * (dg - dg[0])  # Euler-Maclaurin end correction of the trapezoid rule
    body = float(cum[-1])
    tail = float(d / (np.pi * z[-1]))
    cdf = cum / body * (1.0 - tail)
    z.setflags(write=False)
    cdf.setflags(write=False)
    return z, cdf, body, tail


def sl21_gaussian_radius_cdf(rho, d: int) -> np.ndarray:
    """CDF of ‖x‖ for x ~ N(0, I_d/d): P(d/2, dρ²/2) (SL21 Eq. (8), regularised lower gamma)."""
    from scipy.special import gammainc

    rho = np.asarray(rho, dtype=np.float64)
    return gammainc(d / 2.0, d * np.maximum(rho, 0.0) ** 2 / 2.0)


def sl21_sphere_sum_radius_cdf(rho, d: int) -> np.ndarray:
    """CDF of ‖x₁ + x₂‖ for x₁, x₂ i.i.d. uniform on S^{d−1} (SL21 Eq. (5)).

    ‖x₁ + x₂‖² = 2 + 2t with t = ⟨x₁, x₂⟩, and (1 + t)/2 ~ Beta((d−1)/2, (d−1)/2), so the CDF
    at ρ ∈ [0, 2] is the regularised incomplete beta I_{ρ²/4}((d−1)/2, (d−1)/2).
    """
    from scipy.special import betainc

    rho = np.asarray(rho, dtype=np.float64)
    s = np.clip(rho * rho / 4.0, 0.0, 1.0)
    a = (d - 1) / 2.0
    return betainc(a, a, s)


def sl21_erf_reference(x) -> np.ndarray:
    """scipy.special.erf on the host: the reference for the Array-API erf's accuracy tests."""
    from scipy.special import erf

    return erf(np.asarray(x, dtype=np.float64))
