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
