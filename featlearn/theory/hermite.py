"""Probabilists' Hermite polynomials He_k and Hermite expansions of scalar functions.

Convention (used throughout featlearn, see docs/papers/mlhd23.md §2.1): for z ~ N(0, 1),
``E[He_j(z) He_k(z)] = k! δ_jk`` and the Hermite coefficients of σ are
``μ_k = E[σ(z) He_k(z)] = E[σ^{(k)}(z)]``, so that ``σ = Σ_k μ_k/k! He_k`` in L²(N(0,1)).
"""

from __future__ import annotations

import math
from types import ModuleType
from typing import Callable

from featlearn.backends import array_namespace
from featlearn.theory.host_constants import DEFAULT_QUADRATURE_ORDER, gaussian_expectations
from featlearn.validation import all_finite, check_int, check_real_dtype

__all__ = ["gaussian_moment", "hermite_coefficients", "hermite_he", "hermite_norm_sq", "nonlinear_energy"]


def check_points(z, name: str = "z"):
    """``z`` unchanged if it is a finite real array (or a finite Python number); else ``TypeError``/``ValueError``
    naming ``name``. The one input check of the elementwise functions of :mod:`featlearn.theory`
    (activations, Hermite polynomials, erf): a NaN or inf point is refused, never mapped to a NaN result."""
    if isinstance(z, (int, float)) and not isinstance(z, bool):
        if not math.isfinite(z):
            raise ValueError(f"{name}: input contains NaN or inf")
        return z
    if isinstance(z, bool) or not (hasattr(z, "shape") and hasattr(z, "dtype")):
        raise TypeError(f"{name}: expected a real array, got {type(z).__name__}")
    check_real_dtype(z, name)
    try:
        array_namespace(z)
    except TypeError:
        raise TypeError(f"{name}: expected an array of a supported backend, got {type(z).__name__}") from None
    if not all_finite(z):
        raise ValueError(f"{name}: input contains NaN or inf")
    return z


#: Highest Hermite degree supported: k! (the squared norm of He_k) and the quadrature's
#: resolution of He_k both run out not far beyond it in float64.
MAX_DEGREE = 100


def hermite_he(k: int, z, /, *, xp: ModuleType | None = None):
    """Probabilists' Hermite polynomial He_k(z), by the three-term recurrence.

    ``He_0 = 1``, ``He_1 = z``, ``He_{k+1} = z He_k − k He_{k−1}``.

    Parameters
    ----------
    k : int
        Degree, k >= 0.
    z : array
        Points (any Array-API array).
    xp : namespace, optional
        Inferred from ``z`` if omitted.

    Examples
    --------
    >>> import numpy as xp
    >>> from featlearn.theory.hermite import hermite_he
    >>> hermite_he(2, xp.asarray([0.0, 1.0, 2.0]))
    array([-1.,  0.,  3.])
    """
    k = check_int(k, "k", min_val=0, max_val=MAX_DEGREE)
    check_points(z, "z")
    if xp is None:
        xp = array_namespace(z)
    else:
        from featlearn.backends import get_namespace

        try:
            xp = get_namespace(xp)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"xp: {exc}") from None
        if getattr(xp, "__name__", None) != getattr(array_namespace(z), "__name__", None):
            raise TypeError(f"xp: expected z's namespace {array_namespace(z).__name__}, got {xp.__name__}")
    prev = xp.ones_like(z)
    if k == 0:
        return prev
    cur = z
    for j in range(1, k):
        prev, cur = cur, z * cur - j * prev
    return cur


def hermite_coefficients(fn: Callable, degree: int, /, *, order: int = DEFAULT_QUADRATURE_ORDER):
    """Hermite coefficients μ_k = E[f(z) He_k(z)], k = 0..degree, z ~ N(0, 1).

    Computed by Gaussian quadrature on the host
    (:func:`featlearn.theory.host_constants.gaussian_quadrature`); the results are scalars
    (a float64 NumPy vector). ``fn`` receives a host array (an ``array_api_compat.numpy``
    array) and must return an array of the same shape. Accurate to ~1e-12 for smooth
    functions and for kinks at integers (ReLU), for degrees up to about 12.

    Examples
    --------
    >>> from featlearn.theory.hermite import hermite_coefficients
    >>> mu = hermite_coefficients(lambda z: z**3, 3)
    >>> [round(float(m), 8) for m in mu]   # z³ = He_3 + 3 He_1: μ_1 = 3, μ_3 = 3! = 6
    [0.0, 3.0, 0.0, 6.0]
    """
    degree = check_int(degree, "degree", min_val=0, max_val=MAX_DEGREE)
    return gaussian_expectations(fn, tuple((lambda z, k=k: hermite_he(k, z)) for k in range(degree + 1)),
                                 order=order)


def gaussian_moment(fn: Callable, /, *, order: int = DEFAULT_QUADRATURE_ORDER) -> float:
    """E[f(z)] for z ~ N(0, 1) by Gaussian quadrature (host scalar)."""
    return float(gaussian_expectations(fn, order=order)[0])


def hermite_norm_sq(k: int) -> float:
    """E[He_k(z)²] = k!."""
    return float(math.factorial(check_int(k, "k", min_val=0, max_val=MAX_DEGREE)))


def nonlinear_energy(fn: Callable, /, *, order: int = DEFAULT_QUADRATURE_ORDER) -> float:
    """‖P_{>1} f‖² = E f(z)² − μ_0² − μ_1²: the L² energy of f beyond degree 1.

    This is the excess risk of the best linear predictor of ``f(β·x)`` for x ~ N(0, I)
    (Ba et al. 2022; docs/papers/mlhd23.md §5.2).
    """
    mu = hermite_coefficients(fn, 1, order=order)
    total = gaussian_moment(lambda z: fn(z) ** 2, order=order)
    return max(total - mu[0] ** 2 - mu[1] ** 2, 0.0)
