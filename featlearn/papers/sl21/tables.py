"""SL21's host-side tables: the radius law of Eq. (3) tabulated once with SciPy (docs/papers/sl21.md §4.1).

The one module of this paper allowed NumPy and SciPy: scalar functions and read-only float64 tables
evaluated on the host, which :mod:`featlearn.papers.sl21.radial_laws` samples and evaluates from
with the Array API.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from featlearn.validation import as_float_array, check_finite, check_int

__all__ = ["BESSEL_DZ", "BESSEL_ZMAX", "bessel_density_z", "bessel_table", "gaussian_radius_cdf",
           "sphere_sum_radius_cdf", "unit_ball_radius"]

#: Bessel-argument grid of the tabulated SL21 radial law (docs/papers/sl21.md §2.3): spacing in
#: z = 2πα√d·R_d·‖x‖ and the end of the tabulated body; beyond it the tail is the analytic
#: Pareto tail d/(πz) of the radial density's cos² average.
BESSEL_DZ = 0.02
BESSEL_ZMAX = 2000.0


def _host_array(a, name: str) -> np.ndarray:
    """``a`` (an array of any backend, a number or a sequence of numbers) as a finite float64 host array."""
    from featlearn.backends import to_host

    _, a = as_float_array(a, name)  # refuses strings, None, complex and non-numeric dtypes
    check_finite(a, name)
    return np.asarray(to_host(a), dtype=np.float64)


def unit_ball_radius(d: int) -> float:
    """R_d = Γ(d/2 + 1)^{1/d}/√π, radius of the unit-volume ball in R^d (SL21 Eq. (3))."""
    from scipy.special import gammaln

    d = check_int(d, "d", min_val=1)
    return float(np.exp(gammaln(d / 2.0 + 1.0) / d) / np.sqrt(np.pi))


def bessel_density_z(z, d: int) -> np.ndarray:
    """Radius density of SL21 Eq. (3) in the variable z = 2πα√d·R_d·ρ: ``d·J_{d/2}(z)²/z``.

    SL21 Eq. (8) gives γ̄_d(ρ) = (d/ρ)·J²_{d/2}(2πα√d R_d ρ); the change of variables ρ → z
    leaves ``d·J²_{d/2}(z)/z`` (scale-free). Finite everywhere (the limit at z = 0 is 0 for d >= 2).
    """
    return _bessel_density_z(_host_array(z, "z"), check_int(d, "d", min_val=2))


def _bessel_density_z(z, d: int) -> np.ndarray:
    """:func:`bessel_density_z` on a float64 host array, unchecked (the table and the laws' densities)."""
    from scipy.special import jv

    z = np.asarray(z, dtype=np.float64)
    zs = np.where(z > 0, z, 1.0)
    out = d * jv(d / 2.0, zs) ** 2 / zs
    return np.where(z > 0, out, 0.0)


@lru_cache(maxsize=32)
def bessel_table(d: int) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Tabulated CDF of the SL21 Eq. (3) radius law in z (docs/papers/sl21.md §4.1).

    Returns ``(z, cdf, body, tail)``: the grid ``z`` on [0, BESSEL_ZMAX] (spacing
    BESSEL_DZ), the CDF at the grid normalised so that ``cdf[-1] = 1 − tail``, the raw
    trapezoid integral ``body`` of the density over the grid, and the analytic tail mass
    ``tail = d/(π·ZMAX)`` (from J_ν(z)² ≈ 2cos²(·)/(πz)). ``body + tail`` should be 1 (the
    density of Eq. (3) is normalised, ∫₀^∞ J_ν(z)²/z dz = 1/(2ν)): the check of
    :func:`featlearn.papers.sl21.radial_laws.bessel_normalisation`. Read-only float64 host arrays.
    """
    d = check_int(d, "d", min_val=2)
    if d >= np.pi * BESSEL_ZMAX:  # the tail mass d/(π·ZMAX) would exceed 1
        raise ValueError(f"d: the tabulated Bessel law needs d < π·BESSEL_ZMAX = {np.pi * BESSEL_ZMAX:.0f}, got {d}")
    z = np.arange(0.0, BESSEL_ZMAX + 0.5 * BESSEL_DZ, BESSEL_DZ)
    g = _bessel_density_z(z, int(d))
    h = BESSEL_DZ
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (g[1:] + g[:-1]) * h)])
    dg = np.gradient(g, h)
    cum = cum - h * h / 12.0 * (dg - dg[0])  # Euler-Maclaurin end correction of the trapezoid rule
    body = float(cum[-1])
    if not body > 0.0:  # J_{d/2} vanishes on the whole grid: no body to tabulate
        raise ValueError(f"d: the Bessel density vanishes on the tabulated grid z <= {BESSEL_ZMAX:g} at d = {d}; "
                         f"use a smaller d")
    tail = float(d / (np.pi * z[-1]))
    cdf = cum / body * (1.0 - tail)
    z.setflags(write=False)
    cdf.setflags(write=False)
    return z, cdf, body, tail


def gaussian_radius_cdf(rho, d: int) -> np.ndarray:
    """CDF of ‖x‖ for x ~ N(0, I_d/d): P(d/2, dρ²/2) (SL21 Eq. (8), regularised lower gamma)."""
    from scipy.special import gammainc

    d = check_int(d, "d", min_val=1)
    rho = _host_array(rho, "rho")
    return gammainc(d / 2.0, d * np.maximum(rho, 0.0) ** 2 / 2.0)


def sphere_sum_radius_cdf(rho, d: int) -> np.ndarray:
    """CDF of ‖x₁ + x₂‖ for x₁, x₂ i.i.d. uniform on S^{d−1} (SL21 Eq. (5)).

    ‖x₁ + x₂‖² = 2 + 2t with t = ⟨x₁, x₂⟩, and (1 + t)/2 ~ Beta((d−1)/2, (d−1)/2), so the CDF
    at ρ ∈ [0, 2] is the regularised incomplete beta I_{ρ²/4}((d−1)/2, (d−1)/2).
    """
    from scipy.special import betainc

    d = check_int(d, "d", min_val=2)
    rho = _host_array(rho, "rho")
    s = np.clip(rho * rho / 4.0, 0.0, 1.0)
    a = (d - 1) / 2.0
    return betainc(a, a, s)
