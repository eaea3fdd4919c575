"""Host-side statistics of measured numbers: the one place for slopes, medians, ranks and intervals.

Claims, experiments and figures summarise a handful of numbers (one per cell, seed or
neuron); every such summary is computed here, in float64 NumPy on the host and with SciPy
for the distributions, whatever backend produced the numbers:

* :func:`fit_loglog_slope` -- the least-squares line through ``(log x, log y)`` (optionally
  weighted) with a Student-t confidence interval for the slope: every power-law exponent
  measured in featlearn;
* :func:`median` -- the ordinary median (see the convention below);
* :func:`spearman` -- Spearman's rank correlation, ties given their average rank;
* :func:`binomial_interval` -- the Clopper–Pearson interval of a proportion;
* :func:`t_quantile` -- quantiles of Student's t distribution.

Inputs are Python numbers, sequences of numbers (lists, tuples) or NumPy arrays. Copy a
device array to the host first with :func:`featlearn.backends.to_host`. A wrong type raises
``TypeError``, a wrong value ``ValueError``, and the message names the argument (as
everywhere in featlearn, see :mod:`featlearn.validation`).

The median convention
---------------------
featlearn's median of ``n`` numbers is the ordinary one, :func:`numpy.median`'s and
:func:`statistics.median`'s: the middle value of the sorted numbers when ``n`` is odd and
the mean of the two middle values when ``n`` is even. Every median featlearn records
(over seeds, over neurons, over replicate runs) and every median a figure draws uses it,
so a recorded number and the figure that shows it agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from featlearn.validation import check_int, check_real

__all__ = [
    "LoglogFit",
    "binomial_interval",
    "fit_loglog_slope",
    "median",
    "spearman",
    "t_quantile",
]


def _vector(values: Any, name: str, *, min_size: int = 1, nan: bool = False) -> np.ndarray:
    """``values`` as a 1-d float64 NumPy array of at least ``min_size`` numbers (host inputs only).

    NaN raises ``ValueError`` unless ``nan`` (±inf are left to the caller).
    """
    if isinstance(values, np.ndarray):
        arr = values
    elif isinstance(values, Sequence) and not isinstance(values, (str, bytes)):
        try:
            arr = np.asarray(values)
        except ValueError:  # a ragged nested list
            raise ValueError(f"{name}: expected a 1-d sequence of numbers, got a ragged sequence") from None
    else:
        raise TypeError(f"{name}: expected a sequence or NumPy array of numbers, got {type(values).__name__} "
                        "(copy a device array to the host with featlearn.backends.to_host)")
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name}: expected real numbers, got {'booleans' if arr.dtype.kind == 'b' else arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d sequence of numbers, got shape {arr.shape}")
    if arr.size < min_size:
        raise ValueError(f"{name}: expected at least {min_size} value(s), got {arr.size}")
    arr = arr.astype(np.float64)
    if not nan and np.isnan(arr).any():
        raise ValueError(f"{name}: expected numbers, got NaN")
    return arr


def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t distribution: the ``t`` with ``P(T <= t) = p`` (``scipy.stats.t.ppf``).

    Parameters
    ----------
    p : float
        Probability in (0, 1).
    df : float
        Degrees of freedom, > 0 (``inf`` gives the standard normal quantile).

    Returns
    -------
    float

    Examples
    --------
    >>> round(t_quantile(0.975, 10), 6)
    2.228139
    >>> round(t_quantile(0.975, float("inf")), 6)
    1.959964
    """
    p = check_real(p, "p", min_val=0.0, max_val=1.0, include_boundaries="neither")
    df = check_real(df, "df", min_val=0.0, include_boundaries="neither", allow_inf=True)
    from scipy.stats import t

    return float(t.ppf(p, df))


class LoglogFit(NamedTuple):
    """Least-squares line through ``(log x, log y)``: ``log y ≈ intercept + slope·log x``.

    Unpacks as ``slope, intercept, (ci_low, ci_high), stderr``; logs are natural logs, so
    the fitted curve is ``y = exp(intercept)·x**slope``.
    """

    slope: float
    intercept: float
    ci: tuple[float, float]
    stderr: float


def fit_loglog_slope(x: Any, y: Any, /, *, weights: Any = None, confidence: float = 0.95) -> LoglogFit:
    """Fit ``log y = intercept + slope·log x`` by (weighted) least squares, with a CI for the slope.

    Minimises ``Σ w_i (log y_i − intercept − slope·log x_i)²``. The slope's standard error
    is ``se = sqrt(s² / Σ w_i (log x_i − x̄_w)²)`` with ``s² = Σ w_i r_i² / (n − 2)`` (``r`` the
    residuals, ``x̄_w`` the weighted mean of ``log x``), and the confidence interval is
    ``slope ± t_{(1+confidence)/2, n−2}·se`` (:func:`t_quantile`): the textbook interval under
    independent Gaussian residuals in log space with variances ∝ ``1/w_i``. Unweighted, this
    is ``scipy.stats.linregress`` on the logs. Used for every power-law exponent featlearn
    measures, such as the Monte-Carlo rate ``|error| ∝ n^{-1/2}``.

    Parameters
    ----------
    x, y : 1-d sequences or NumPy arrays of positive finite numbers
        Same length, at least 2 points and 2 distinct ``x`` values; repeated ``x`` (one per
        seed) are fine.
    weights : 1-d sequence or NumPy array of positive finite numbers, optional
        One weight per point, ∝ the inverse variance of its ``log y`` (default: all equal).
    confidence : float
        Confidence level in (0, 1).

    Returns
    -------
    LoglogFit
        ``(slope, intercept, (ci_low, ci_high), stderr)``; with exactly 2 points the interval
        and ``stderr`` are NaN (no degrees of freedom left).

    Examples
    --------
    >>> slope, intercept, (lo, hi), se = fit_loglog_slope([1, 10, 100, 1000], [2.0, 0.2, 0.02, 0.002])
    >>> round(slope, 6), round(lo, 6), round(hi, 6)
    (-1.0, -1.0, -1.0)
    >>> fit = fit_loglog_slope([1, 2, 4, 8], [1.0, 2.2, 3.9, 8.3], confidence=0.9)
    >>> round(fit.slope, 3), round(fit.stderr, 3)
    (0.999, 0.041)
    """
    confidence = check_real(confidence, "confidence", min_val=0.0, max_val=1.0, include_boundaries="neither")
    vx, vy = _vector(x, "x", min_size=2), _vector(y, "y")
    if vy.size != vx.size:
        raise ValueError(f"y: expected as many values as x ({vx.size}), got {vy.size}")
    w = np.ones_like(vx) if weights is None else _vector(weights, "weights")
    if w.size != vx.size:
        raise ValueError(f"weights: expected as many values as x ({vx.size}), got {w.size}")
    for name, v in (("x", vx), ("y", vy), ("weights", w)):
        bad = ~(np.isfinite(v) & (v > 0))
        if bad.any():
            raise ValueError(f"{name}: a log-log fit needs positive finite values, got {v[bad][:5]}")
    lx, ly = np.log(vx), np.log(vy)
    if np.ptp(lx) == 0.0:
        raise ValueError("x: a fit needs at least 2 distinct x values")
    w = w / w.sum()
    mx, my = float(w @ lx), float(w @ ly)
    dx = lx - mx
    sxx = float(w @ (dx * dx))
    slope = float(w @ (dx * (ly - my))) / sxx
    intercept = my - slope * mx
    dof = vx.size - 2
    if dof == 0:
        return LoglogFit(slope, intercept, (math.nan, math.nan), math.nan)
    resid = ly - (intercept + slope * lx)
    # with weights normalised to sum 1, s²/sxx is unchanged: both scale by the same factor
    se = math.sqrt(float(w @ (resid * resid)) / dof / sxx)
    half = t_quantile(0.5 + 0.5 * confidence, dof) * se
    return LoglogFit(slope, intercept, (slope - half, slope + half), se)


def median(values: Any) -> float:
    """The ordinary median: the middle value, or the mean of the two middle values (``numpy.median``).

    This is featlearn's one median convention (see the module docstring).

    Parameters
    ----------
    values : 1-d sequence or NumPy array of numbers
        At least one value; no NaN (``±inf`` sort as usual).

    Returns
    -------
    float

    Examples
    --------
    >>> median([3, 1, 2])
    2.0
    >>> median([4.0, 1.0, 3.0, 2.0])
    2.5
    """
    return float(np.median(_vector(values, "values")))


def spearman(a: Any, b: Any) -> float:
    """Spearman's rank correlation of ``a`` and ``b`` (``scipy.stats.spearmanr``).

    Tied values get the average of their ranks, and the result is the Pearson correlation of
    the ranks.

    Parameters
    ----------
    a, b : 1-d sequences or NumPy arrays of numbers
        Same length, at least 2; no NaN (``±inf`` rank as usual).

    Returns
    -------
    float
        In [-1, 1].

    Raises
    ------
    ValueError
        Either sequence is constant: there is no ranking to correlate (returning NaN would let a
        comparison against it pass or fail silently).

    Examples
    --------
    >>> spearman([1, 2, 3, 4], [10, 8, 3, 1])
    -1.0
    >>> round(spearman([1, 2, 2, 3], [1, 3, 2, 4]), 6)
    0.948683
    """
    va, vb = _vector(a, "a", min_size=2), _vector(b, "b")
    if vb.size != va.size:
        raise ValueError(f"b: expected as many values as a ({va.size}), got {vb.size}")
    from scipy.stats import spearmanr

    for name, v in (("a", va), ("b", vb)):
        if np.all(v == v[0]):
            raise ValueError(f"{name}: the rank correlation is undefined for a constant sequence")
    return float(spearmanr(va, vb).statistic)


def binomial_interval(hits: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Clopper–Pearson (exact) interval for a binomial proportion ``hits / trials``.

    The bounds are quantiles of Beta distributions (``scipy.stats.beta.ppf``): ``low`` the
    ``(1 − confidence)/2`` quantile of Beta(hits, trials − hits + 1) (0 when ``hits = 0``),
    ``high`` the ``(1 + confidence)/2`` quantile of Beta(hits + 1, trials − hits) (1 when
    ``hits = trials``). Its coverage is ``>= confidence`` for every true proportion
    (conservative).

    Parameters
    ----------
    hits : int
        Successes, ``0 <= hits <= trials``.
    trials : int
        Trials, >= 1.
    confidence : float
        Confidence level in (0, 1).

    Returns
    -------
    (float, float)
        ``(low, high)`` with ``0 <= low <= hits/trials <= high <= 1``.

    Examples
    --------
    >>> lo, hi = binomial_interval(3, 10)
    >>> round(lo, 4), round(hi, 4)
    (0.0667, 0.6525)
    >>> binomial_interval(0, 5)[0]
    0.0
    """
    trials = check_int(trials, "trials", min_val=1)
    hits = check_int(hits, "hits", min_val=0, max_val=trials)
    confidence = check_real(confidence, "confidence", min_val=0.0, max_val=1.0, include_boundaries="neither")
    from scipy.stats import beta

    tail = (1.0 - confidence) / 2.0
    low = 0.0 if hits == 0 else float(beta.ppf(tail, hits, trials - hits + 1))
    high = 1.0 if hits == trials else float(beta.ppf(1.0 - tail, hits + 1, trials - hits))
    return low, high
