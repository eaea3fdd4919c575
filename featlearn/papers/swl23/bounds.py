"""Upper bound on OPT of SWL23's Theorem 3.12 by convex optimisation over the output layer.

``OPT_{d,r,B_F,S} = min_{f ∈ F_{d,r,B_F,S}} L_D(f)`` is the best hinge risk of a "teacher"
network ``f(x) = Σ_{j=1}^r a_j σ(⟨D_j, x⟩ − b_j)`` whose directions and bias signs are gradient
features, with ``|a_j| <= B_a1`` (docs/papers/swl23.md §3.3–§3.4, reconstructed). For given
teacher neurons ``(D_j, b_j)`` the hinge risk is convex in ``a``; :func:`opt_upper_bound` fits ``a``
by an exact linear program on one sample and evaluates its hinge risk on an independent sample,
which estimates ``L_D`` of a member of the class and hence (up to its standard error) bounds OPT
from above. The ``‖a‖₂ <= B_a2`` constraint of the class is not imposed (design: it is implied
by ``|a_j| <= B_a1`` with ``B_a2 = √r·B_a1``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from featlearn.backends import array_namespace, device_of, to_host
from featlearn.data import DEFAULT_CHUNK, iter_batches
from featlearn.theory.host_constants import hinge_output_layer_lp
from featlearn.validation import check_array, check_real, reference_namespace

__all__ = ["OptBound", "opt_upper_bound", "teacher_features"]


def teacher_features(X, directions, biases, /):
    """``σ(X D − b)``: the teacher neurons' features, shape ``(n, r)`` (``D`` of shape ``(d, r)``)."""
    xp, like = reference_namespace(X=X, directions=directions, biases=biases)
    X = check_array(X, "X", ndim=2, xp=xp, like=like)
    xp, like = array_namespace(X), like or "X"
    D = check_array(directions, "directions", ndim=2, xp=xp, rows=int(X.shape[1]), dtype=X.dtype, like=like)
    b = check_array(biases, "biases", ndim=1, xp=xp, rows=int(D.shape[1]), dtype=X.dtype, like=like)
    return xp.clip(X @ D - b[None, :], min=0.0)


@dataclass(frozen=True)
class OptBound:
    """Hinge risk of the fitted teacher on held-out data (an estimated upper bound on OPT).

    Attributes
    ----------
    value, std_error : float
        Held-out hinge risk and its standard error.
    fit_risk : float
        The LP optimum on the fitting sample.
    a : array, shape (r,)
        Fitted output weights.
    """

    value: float
    std_error: float
    fit_risk: float
    a: Any


def opt_upper_bound(directions, biases, fit, heldout, /, *, B_a1: float, chunk: int = DEFAULT_CHUNK) -> OptBound:
    """Estimate an upper bound on OPT for teacher neurons ``σ(⟨D_j, x⟩ − b_j)`` with ``|a_j| <= B_a1``.

    Parameters
    ----------
    directions : array, shape (d, r)
        Unit teacher directions (gradient features).
    biases : array, shape (r,)
    fit : (X, y) tuple
        Sample on which ``a`` is fitted (exact LP on the host, ``n × r`` features).
    heldout : stream or (X, y)
        Independent sample on which the hinge risk is evaluated (streamed).
    B_a1 : float > 0
    """
    B_a1 = check_real(B_a1, "B_a1", min_val=0.0, include_boundaries="neither")
    if not isinstance(fit, (tuple, list)) or len(fit) != 2:
        raise TypeError(f"fit: expected an (X, y) tuple of arrays, got {type(fit).__name__}")
    X, y = fit
    F = teacher_features(X, directions, biases)
    xp = array_namespace(F)
    X = check_array(X, "fit.X", ndim=2, xp=xp, dtype=F.dtype)
    y = check_array(y, "fit.y", ndim=1, xp=xp, rows=int(F.shape[0]), dtype=F.dtype, like="fit.X")
    batches = iter_batches(heldout, chunk=chunk, d=int(X.shape[1]), name="heldout", xp=xp, like="fit")
    a_host, risk = hinge_output_layer_lp(to_host(F), to_host(y), B_a1)
    a = xp.asarray(a_host, dtype=F.dtype, device=device_of(F))
    s1 = s2 = 0.0
    n = 0
    for batch in batches:
        f = teacher_features(xp.astype(batch.X, F.dtype), directions, biases) @ a
        h = xp.clip(1.0 - xp.astype(batch.y, F.dtype) * f, min=0.0)
        s1 += float(xp.sum(h))
        s2 += float(xp.sum(h * h))
        n += int(h.shape[0])
    mean = s1 / n
    se = math.sqrt(max(s2 / n - mean * mean, 0.0) / n)
    return OptBound(mean, se, risk, a)
