"""The input laws of Safran–Lee (SL21, COLT 2022): samplers, radius CDFs and densities.

All three are radial (uniform direction, independent radius), docs/papers/sl21.md §2.3:

* :class:`MuInput` -- the heavy-tailed law μ_d of Eq. (4): ½·(the Bessel law μ̄_d of Eq. (3))
  + ½·N(0, I_d/d). The Bessel radius law (density γ̄_d(ρ) = (d/ρ)·J²_{d/2}(2πα√d R_d ρ), Eq. (8))
  is tabulated once on the host (SciPy, :mod:`featlearn.papers.sl21.tables`) and sampled
  by inverse CDF in ``xp``; beyond the table its tail is the analytic ``1/ρ`` tail;
* :class:`SphereSumInput` -- the compact law D'_d of Eq. (5), ``x = x₁ + x₂`` with x₁, x₂ i.i.d.
  uniform on the unit sphere (sampled as the definition says), ‖x‖ ∈ [0, 2];
* :func:`cauchy_input` -- a radial law of Assumption 6's class with a half-Cauchy radius
  (the paper notes Cauchy tails are allowed; the choice of this law is ours, design).

Each law has ``radius_cdf(rho)`` and ``radius_density(rho)`` (arrays of any backend in, same
backend out; never inf or NaN, also in float32), and :func:`ks_distance` / :func:`dkw_bound`
compare samples with a CDF. Host special functions are evaluated through
:mod:`featlearn.papers.sl21.tables` (the only module of this paper allowed NumPy/SciPy); the
samplers run entirely in ``xp``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from featlearn.backends import Generator, array_namespace, device_of, to_host
from featlearn.theory.distributions import InputDistribution, RadialInput
from featlearn.validation import (check_array, check_generator, check_int, check_memory, check_real,
                                  check_real_dtype)

from . import tables

__all__ = [
    "BesselRadius",
    "HalfCauchyRadius",
    "MuInput",
    "SphereSumInput",
    "bessel_normalisation",
    "cauchy_input",
    "dkw_bound",
    "gaussian_radius_cdf",
    "gaussian_radius_density",
    "ks_distance",
]


def _work_dtype(xp, like=None):
    """float64 where the backend has it (the inverse-CDF table needs its resolution)."""
    return getattr(xp, "float64", None) or (like.dtype if like is not None else xp.float32)


def _host_eval(fn: Callable, rho, *args):
    """Evaluate a host (SciPy) function at an array of any backend; result on the same backend."""
    xp = array_namespace(rho)
    out = fn(to_host(rho), *args)
    return xp.asarray(out, dtype=rho.dtype, device=device_of(rho))


def _as_radius(rho, name: str = "rho"):
    if not (hasattr(rho, "shape") and hasattr(rho, "dtype")):
        raise TypeError(f"{name}: expected an array of radii, got {type(rho).__name__}")
    check_real_dtype(rho, name)  # complex radii are refused, never cast to their real part
    xp = array_namespace(rho)
    if not xp.isdtype(rho.dtype, "real floating"):
        rho = xp.astype(rho, _work_dtype(xp))
    if not bool(xp.all(xp.isfinite(rho))):
        raise ValueError(f"{name}: input contains NaN or inf")
    return xp, rho


def _finite(xp, v):
    """Replace inf by the dtype's largest finite value (densities of a few laws blow up at an edge)."""
    big = xp.finfo(v.dtype).max
    return xp.where(xp.isfinite(v), v, xp.full_like(v, big))


# -- the Bessel law of Eq. (3) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BesselRadius:
    """Radius law of SL21 Eq. (3): density γ̄_d(ρ) = (d/ρ)·J²_{d/2}(2πα√d·R_d·ρ) (Eq. (8)).

    docs/papers/sl21.md §2.3 and §4.1. Call as ``law(rng, n)`` (a radius law for
    :class:`~featlearn.theory.distributions.RadialInput`). In ``z = kρ``, ``k = 2πα√d R_d``,
    the law has density ``d·J²_{d/2}(z)/z`` whatever α is, so one host table per d serves
    every α (the table: :func:`featlearn.papers.sl21.tables.bessel_table`). Sampling:
    ``u ~ U[0, 1)``; below the table's last CDF value, linear interpolation of the inverse
    CDF; above it the analytic tail, P(z > t) ≈ d/(πt), inverted in closed form (finite
    for every u < 1, so no inf in float32 either).

    Parameters
    ----------
    d : int
        Dimension, >= 2.
    alpha : float
        The absolute constant α >= 1 of Eq. (3) (Eldan–Shamir's; the paper does not give its
        value: default 1, design).
    """

    d: int
    alpha: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "d", check_int(self.d, "d", min_val=2))
        object.__setattr__(self, "alpha", check_real(self.alpha, "alpha", min_val=1.0))

    @property
    def scale(self) -> float:
        """k = 2πα√d·R_d: the Bessel argument per unit radius."""
        return 2.0 * math.pi * self.alpha * math.sqrt(self.d) * tables.unit_ball_radius(self.d)

    def __call__(self, rng: Generator, n: int):
        rng = check_generator(rng)
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n, f"{type(self).__name__}: a draw of n = {n} radii")
        xp = rng.xp
        dt = _work_dtype(xp)
        z_tab, cdf_tab, _, tail = tables.bessel_table(self.d)
        dev = rng.device
        z = xp.asarray(z_tab.copy(), dtype=dt, device=dev)  # a writable copy of the cached host table
        cdf = xp.asarray(cdf_tab.copy(), dtype=dt, device=dev)
        u = xp.astype(rng.uniform((n,), dtype=dt), dt)
        c_end = float(cdf_tab[-1])
        # body: inverse CDF by linear interpolation between the bracketing grid points
        ub = xp.clip(u, 0.0, c_end)
        hi = xp.clip(xp.searchsorted(cdf, ub, side="right"), 1, z.shape[0] - 1)
        lo = hi - 1
        c0, c1 = xp.take(cdf, lo), xp.take(cdf, hi)
        z0, z1 = xp.take(z, lo), xp.take(z, hi)
        gap = c1 - c0
        frac = xp.where(gap > 0, (ub - c0) / xp.where(gap > 0, gap, xp.ones_like(gap)), xp.zeros_like(gap))
        zb = z0 + frac * (z1 - z0)
        # tail: P(Z > t | Z > Z_max) = Z_max / t  =>  t = Z_max·tail/(1 − u)
        v = xp.clip(1.0 - u, xp.finfo(dt).eps, 1.0)
        zt = float(z_tab[-1]) * tail / v
        zz = xp.where(u < c_end, zb, zt)
        return zz / self.scale

    def cdf(self, rho):
        """P(ρ' <= rho): interpolation of the tabulated CDF (the analytic tail above the table)."""
        xp, rho = _as_radius(rho)
        z_tab, cdf_tab, _, tail = tables.bessel_table(self.d)
        dt = _work_dtype(xp, rho)
        dev = device_of(rho)
        z = xp.asarray(z_tab.copy(), dtype=dt, device=dev)  # a writable copy of the cached host table
        cdf = xp.asarray(cdf_tab.copy(), dtype=dt, device=dev)
        zq = xp.clip(xp.astype(rho, dt) * self.scale, 0.0, None)
        zc = xp.clip(zq, 0.0, float(z_tab[-1]))
        hi = xp.clip(xp.searchsorted(z, zc, side="right"), 1, z.shape[0] - 1)
        lo = hi - 1
        z0, z1 = xp.take(z, lo), xp.take(z, hi)
        c0, c1 = xp.take(cdf, lo), xp.take(cdf, hi)
        body = c0 + (zc - z0) / (z1 - z0) * (c1 - c0)
        tail_v = 1.0 - float(z_tab[-1]) * tail / xp.where(zq > 0, zq, xp.ones_like(zq))
        out = xp.where(zq <= float(z_tab[-1]), body, tail_v)
        return xp.astype(xp.clip(out, 0.0, 1.0), rho.dtype)

    def density(self, rho):
        """γ̄_d(rho) = (d/ρ)·J²_{d/2}(kρ), exact (SciPy on the host), 0 at ρ <= 0."""
        xp, rho = _as_radius(rho)
        k = self.scale
        zz = _host_eval(tables._bessel_density_z, xp.astype(rho, _work_dtype(xp, rho)) * k, self.d)
        return xp.astype(_finite(xp, zz * k), rho.dtype)


def bessel_normalisation(d: int) -> float:
    """∫₀^∞ γ̄_d: the trapezoid integral of the tabulated body plus the analytic tail (should be 1).

    Checks that Eq. (3)'s prefactor is a density: in polar coordinates the surface area of the
    unit sphere times R_d^d is d, and ∫₀^∞ J_ν(z)²/z dz = 1/(2ν) (docs/papers/sl21.md §4.1).
    """
    _, _, body, tail = tables.bessel_table(check_int(d, "d", min_val=2))
    return body + tail


# -- the Gaussian component ----------------------------------------------------------------------------------
def gaussian_radius_cdf(rho, d: int):
    """CDF of ‖x‖, x ~ N(0, I_d/d): P(d/2, dρ²/2) (SL21 Eq. (8))."""
    _as_radius(rho)
    return _host_eval(tables.gaussian_radius_cdf, rho, check_int(d, "d", min_val=1))


def gaussian_radius_density(rho, d: int):
    """p_d(ρ) = 2(d/2)^{d/2}/Γ(d/2)·ρ^{d−1}·exp(−dρ²/2), ρ >= 0 (SL21 Eq. (8)), in ``xp``."""
    xp, rho = _as_radius(rho)
    d = check_int(d, "d", min_val=1)
    r = xp.clip(rho, 0.0, None)
    logc = math.log(2.0) + (d / 2.0) * math.log(d / 2.0) - math.lgamma(d / 2.0)
    inside = xp.logical_and(r > 0, r < 1e4)  # beyond 1e4 the density underflows to 0 anyway
    safe = xp.where(inside, r, xp.ones_like(r))
    logp = logc + (d - 1) * xp.log(safe) - 0.5 * d * safe * safe
    at0 = 0.0 if d > 1 else math.exp(logc)
    out = xp.where(inside, xp.exp(logp), xp.where(r > 0, xp.zeros_like(r), xp.full_like(r, at0)))
    return _finite(xp, out)


@dataclass(frozen=True)
class _MuRadius:
    """Radius law of μ_d (Eq. (4)): with probability ½ a Bessel radius, else ‖N(0, I_d/d)‖."""

    d: int
    alpha: float

    def __call__(self, rng: Generator, n: int):
        xp = rng.xp
        bes = BesselRadius(self.d, self.alpha)(rng.child("bessel"), n)
        g = rng.child("gauss").normal((n, self.d), dtype=bes.dtype)
        gr = xp.linalg.vector_norm(g, axis=1) / math.sqrt(self.d)
        pick = rng.child("mixture").uniform((n,), dtype=bes.dtype) < 0.5
        return xp.where(pick, bes, gr)


class MuInput(RadialInput):
    """The heavy-tailed law μ_d of SL21 Eq. (4): ½·μ̄_d (Eq. (3)) + ½·N(0, I_d/d).

    docs/papers/sl21.md §2.3. Radius density γ_d = ½γ̄_d + ½p_d (Eq. (8)); tail
    P(‖x‖ > t) ≈ d/(2πkt) for large t (Cauchy-like, E‖x‖ = ∞).

    Parameters
    ----------
    d : int
        Dimension, >= 2 (Theorem 2 needs d >= c₁, an unspecified constant).
    alpha : float
        Eq. (3)'s constant α >= 1 (default 1, design).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> x = MuInput(4).sample(Generator(0, xp="numpy"), 5)
    >>> x.shape
    (5, 4)
    """

    def __init__(self, d: int, alpha: float = 1.0):
        d = check_int(d, "d", min_val=2)
        self.bessel = BesselRadius(d, alpha)
        super().__init__(d, _MuRadius(d, self.bessel.alpha))

    @property
    def alpha(self) -> float:
        return self.bessel.alpha

    def radius_cdf(self, rho):
        """P(‖x‖ <= rho) = ½·(Bessel CDF) + ½·P(d/2, dρ²/2)."""
        return 0.5 * self.bessel.cdf(rho) + 0.5 * gaussian_radius_cdf(rho, self.d)

    def radius_density(self, rho):
        """γ_d(rho) = ½γ̄_d(rho) + ½p_d(rho) (Eq. (8))."""
        return 0.5 * self.bessel.density(rho) + 0.5 * gaussian_radius_density(rho, self.d)


# -- the compact law D'_d of Eq. (5) --------------------------------------------------------------------------
@dataclass(frozen=True)
class SphereSumInput(InputDistribution):
    """SL21 Eq. (5): ``x = x₁ + x₂``, x₁, x₂ i.i.d. uniform on the unit sphere S^{d−1}.

    docs/papers/sl21.md §2.3. Sampled exactly as defined (two sphere draws). Its radius:
    ‖x‖² = 2 + 2⟨x₁, x₂⟩ and (1 + ⟨x₁, x₂⟩)/2 ~ Beta((d−1)/2, (d−1)/2), so ‖x‖ ∈ [0, 2] and
    P(‖x‖ <= √2) = ½ (reconstructed: our derivation).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> import numpy as xp
    >>> x = SphereSumInput(5).sample(Generator(0, xp=xp), 4)
    >>> bool(xp.all(xp.linalg.vector_norm(x, axis=1) <= 2.0 + 1e-12))
    True
    """

    d: int

    def __post_init__(self):
        object.__setattr__(self, "d", check_int(self.d, "d", min_val=2))

    def sample(self, rng: Generator, n: int, *, dtype=None):
        rng = check_generator(rng)
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        return rng.sphere(n, self.d, dtype=dtype) + rng.sphere(n, self.d, dtype=dtype)

    def radius_cdf(self, rho):
        """I_{ρ²/4}((d−1)/2, (d−1)/2) for ρ ∈ [0, 2] (0 below, 1 above)."""
        _as_radius(rho)
        return _host_eval(tables.sphere_sum_radius_cdf, rho, self.d)

    def radius_density(self, rho):
        """(ρ/2)·f_B(ρ²/4) with f_B the Beta((d−1)/2, (d−1)/2) density; 0 outside [0, 2].

        For d = 2 the density is unbounded at ρ = 2; it is returned as the dtype's largest
        finite value there (never inf).
        """
        xp, rho = _as_radius(rho)
        a = (self.d - 1) / 2.0
        logb = 2.0 * math.lgamma(a) - math.lgamma(2.0 * a)
        s = rho * rho / 4.0
        inside = xp.logical_and(rho > 0, rho < 2.0)
        ss = xp.where(inside, s, xp.full_like(s, 0.5))
        logf = (a - 1.0) * (xp.log(ss) + xp.log1p(-ss)) - logb
        out = xp.where(inside, 0.5 * rho * xp.exp(logf), xp.zeros_like(rho))
        return _finite(xp, out)


# -- an Assumption 6 law with a Cauchy tail ------------------------------------------------------------------
@dataclass(frozen=True)
class HalfCauchyRadius:
    """Radius ``|C|``, C ~ Cauchy(0, scale): P(ρ <= t) = (2/π)·arctan(t/scale).

    A member of SL21 Assumption 6's class (docs/papers/sl21.md §2.4): mass (2/π)arctan(2/scale)
    on [0, 2], density <= 2/(π·scale) everywhere and positive, tail P(ρ >= t) <= 2·scale/(πt).
    The choice of this law is ours (design). Sampled as ``scale·tan(πu/2)`` with ``u`` kept
    below 1 − eps (never inf).
    """

    scale: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "scale", check_real(self.scale, "scale", min_val=0.0,
                                                     include_boundaries="neither"))

    def __call__(self, rng: Generator, n: int):
        rng = check_generator(rng)
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n, f"{type(self).__name__}: a draw of n = {n} radii")
        xp = rng.xp
        dt = _work_dtype(xp)
        u = xp.clip(rng.uniform((n,), dtype=dt), 0.0, 1.0 - xp.finfo(dt).eps)
        return self.scale * xp.tan(0.5 * math.pi * u)

    def cdf(self, rho):
        xp, rho = _as_radius(rho)
        return (2.0 / math.pi) * xp.atan(xp.clip(rho, 0.0, None) / self.scale)

    def density(self, rho):
        xp, rho = _as_radius(rho)
        t = xp.clip(xp.abs(rho) / self.scale, 0.0, 1e15)  # t² stays finite in float32
        out = 2.0 / (math.pi * self.scale) / (1.0 + t * t)
        return xp.where(rho >= 0, out, xp.zeros_like(rho))

    def assumption6(self) -> dict[str, float]:
        """Assumption 6's constants for this law: C = mass on [0, 2], q = density bound, c₂ = tail constant."""
        return {"C": 2.0 / math.pi * math.atan(2.0 / self.scale), "q": 2.0 / (math.pi * self.scale),
                "c2": 2.0 * self.scale / math.pi}


class CauchyInput(RadialInput):
    """Uniform direction with a :class:`HalfCauchyRadius` radius (an Assumption 6 law, design)."""

    def __init__(self, d: int, scale: float = 1.0):
        self.law = HalfCauchyRadius(scale)
        super().__init__(check_int(d, "d", min_val=2), self.law)

    def radius_cdf(self, rho):
        return self.law.cdf(rho)

    def radius_density(self, rho):
        return self.law.density(rho)


def cauchy_input(d: int, scale: float = 1.0) -> CauchyInput:
    """An Assumption 6 radial law in R^d with a half-Cauchy radius of the given scale."""
    return CauchyInput(d, scale)


# -- goodness of fit ------------------------------------------------------------------------------------------
def ks_distance(samples, cdf: Callable) -> float:
    """Kolmogorov–Smirnov distance sup_t |F_n(t) − F(t)| between samples (1-D) and a CDF, in ``xp``."""
    samples = check_array(samples, "samples", ndim=1)
    if not callable(cdf):
        raise TypeError(f"cdf: expected a callable t -> P(X <= t), got {type(cdf).__name__}")
    xp = array_namespace(samples)
    s = xp.sort(samples)
    n = int(s.shape[0])
    F = xp.astype(check_array(cdf(s), "cdf", ndim=1, xp=xp, rows=n), s.dtype)
    i = xp.astype(xp.arange(1, n + 1, device=device_of(s)), s.dtype)
    up = xp.max(i / n - F)
    down = xp.max(F - (i - 1.0) / n)
    return float(xp.maximum(up, down))


def dkw_bound(n: int, level: float = 1e-3) -> float:
    """Dvoretzky–Kiefer–Wolfowitz: P(KS > sqrt(ln(2/level)/(2n))) <= level (Massart's constant)."""
    n = check_int(n, "n", min_val=1)
    level = check_real(level, "level", min_val=0.0, max_val=1.0, include_boundaries="neither")
    return math.sqrt(math.log(2.0 / level) / (2.0 * n))
