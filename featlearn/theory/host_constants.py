"""The one place where theory code uses NumPy directly: host-side scalar constants.

Quadrature nodes and weights are fixed numbers, not data; they are computed once on the
host in float64 and used as Python/NumPy scalars or moved into ``xp`` by the caller.
Every other module of :mod:`featlearn.theory` works only through an Array-API namespace.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

from featlearn.validation import check_int

#: Gauss-Legendre nodes per unit interval of the default Gaussian quadrature rule.
DEFAULT_QUADRATURE_ORDER = 40

#: The Gaussian rule integrates over [-GAUSSIAN_HALF_WIDTH, GAUSSIAN_HALF_WIDTH]; the mass
#: outside is < 1e-40, and ``|He_k(z)| φ(z)`` beyond it is negligible for the degrees we use (k <= 12).
GAUSSIAN_HALF_WIDTH = 14


@lru_cache(maxsize=16)
def gaussian_quadrature(order: int = DEFAULT_QUADRATURE_ORDER) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for E[f(z)], z ~ N(0, 1): ``E f(z) ≈ Σ w_i f(x_i)``.

    Composite Gauss–Legendre on the unit intervals of [-14, 14], weighted by the Gaussian
    density. Breakpoints at the integers mean functions with kinks at 0 (ReLU, step,
    ``|z|``) are integrated piecewise smoothly, to ~1e-14, unlike plain Gauss–Hermite whose
    error for kinks decays only algebraically. Read-only float64 host arrays (cached).
    """
    t, wt = np.polynomial.legendre.leggauss(check_int(order, "order", min_val=1, max_val=200))
    left = np.arange(-GAUSSIAN_HALF_WIDTH, GAUSSIAN_HALF_WIDTH, dtype=np.float64)
    x = (left[:, None] + 0.5 * (t[None, :] + 1.0)).ravel()
    w = np.tile(0.5 * wt, left.size) * np.exp(-0.5 * x * x) / np.sqrt(2.0 * np.pi)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


@lru_cache(maxsize=16)
def gauss_legendre(order: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (read-only float64 host arrays)."""
    x, w = np.polynomial.legendre.leggauss(check_int(order, "order", min_val=1))
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def symmetric_eigenvectors(matrix) -> tuple[list[float], list[list[float]]]:
    """Eigenvalues, ascending, and unit eigenvectors (one list per eigenvalue) of a small symmetric matrix of
    theory constants (a list of rows of floats).

    Host-side: for closed-form Gram matrices of a few Hermite degrees, not for data.

    >>> vals, vecs = symmetric_eigenvectors([[2.0, 0.0], [0.0, 1.0]])
    >>> vals, [abs(x) for x in vecs[0]]
    ([1.0, 2.0], [0.0, 1.0])
    """
    a = np.asarray(matrix, dtype=np.float64)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] == 0:
        raise ValueError(f"matrix: expected a non-empty square matrix, got shape {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("matrix: expected finite entries")
    vals, vecs = np.linalg.eigh(0.5 * (a + a.T))
    return [float(e) for e in vals], [[float(x) for x in vecs[:, j]] for j in range(vecs.shape[1])]


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

    if not callable(fn):
        hint = (f" (for an activation's name use featlearn.theory.activations.as_activation({fn!r}))"
                if isinstance(fn, str) else "")
        raise TypeError(f"fn: expected an elementwise function, got {type(fn).__name__}{hint}")
    x, w = gaussian_quadrature(order)
    z = hxp.asarray(x)
    raw = np.asarray(fn(z))
    if np.iscomplexobj(raw):  # never drop an imaginary part silently
        raise TypeError(f"fn: expected a real function, got complex values ({raw.dtype})")
    fx = raw.astype(np.float64)
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
