"""Host-side statistics for reports: Student-t quantiles and log-log slope fits.

These act on a handful of summary numbers (one per cell and seed), so they run on the
host in float64 NumPy whatever backend produced the numbers. The t quantile is computed
here (regularised incomplete beta by continued fraction, inverted by bisection) so that
SciPy is not a dependency; it agrees with ``scipy.stats.t.ppf`` to ~1e-10.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import numpy as np


def _beta_cf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz; DLMF 8.17.22)."""
    tiny, eps = 1e-300, 1e-16
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 1000):
        for num in (m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m)),
                    -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < eps:
            break
    return h


def _beta_inc(a: float, b: float, x: float, y: float) -> float:
    """Regularised incomplete beta I_x(a, b), with ``y = 1 − x`` given exactly by the caller."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log(y))
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _beta_cf(a, b, x) / a
    return 1.0 - front * _beta_cf(b, a, y) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0, T ~ Student t with ``df`` degrees of freedom."""
    den = df + t * t
    return 0.5 * _beta_inc(0.5 * df, 0.5, df / den, t * t / den)


def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t distribution: the t with P(T <= t) = p.

    Parameters
    ----------
    p : float
        Probability in (0, 1).
    df : float
        Degrees of freedom, > 0.

    Examples
    --------
    >>> from featlearn.experiments import t_quantile
    >>> round(t_quantile(0.975, 10), 6)
    2.228139
    """
    if not (isinstance(p, (int, float, np.floating)) and 0.0 < p < 1.0):
        raise ValueError(f"p: expected a probability in (0, 1), got {p!r}")
    if not (isinstance(df, (int, float, np.integer, np.floating)) and math.isfinite(df) and df > 0):
        raise ValueError(f"df: expected a finite number > 0, got {df!r}")
    p, df = float(p), float(df)
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    target = 1.0 - p
    lo, hi = 0.0, 1.0
    while _t_upper_tail(hi, df) > target:
        lo, hi = hi, 2.0 * hi
        if hi > 1e300:
            return math.inf
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if _t_upper_tail(mid, df) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 4e-16 * hi:
            break
    return 0.5 * (lo + hi)


class LoglogFit(NamedTuple):
    """Least-squares line through (log x, log y): ``log y ≈ intercept + slope·log x``.

    Unpacks as ``slope, intercept, (ci_low, ci_high)``; logs are natural logs, so the
    fitted curve is ``y = exp(intercept)·x**slope``.
    """

    slope: float
    intercept: float
    ci: tuple[float, float]


def _host_vector(v: Any, name: str) -> np.ndarray:
    if hasattr(v, "__array_namespace__") or type(v).__module__.split(".")[0] in ("torch", "cupy", "jax", "jaxlib"):
        from featlearn.backends import to_host

        v = to_host(v)
    try:
        arr = np.asarray(v, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected a 1-d sequence of numbers") from None
    if arr.ndim != 1:
        raise ValueError(f"{name}: expected a 1-d sequence of numbers, got shape {arr.shape}")
    bad = ~(np.isfinite(arr) & (arr > 0))
    if bad.any():
        raise ValueError(f"{name}: a log-log fit needs positive finite values; got {arr[bad][:5]}")
    return arr


def fit_loglog_slope(x: Any, y: Any, /, *, confidence: float = 0.95) -> LoglogFit:
    """Fit ``log y = intercept + slope·log x`` by ordinary least squares, with a CI for the slope.

    The confidence interval is ``slope ± t_{(1+confidence)/2, n−2}·se`` with
    ``se² = (RSS/(n−2)) / Σ(log x − mean)²``, the textbook OLS interval under i.i.d.
    Gaussian residuals in log space. Used to check rates such as the Monte-Carlo rate
    ``|error| ∝ n^{-1/2}``.

    Parameters
    ----------
    x, y : 1-d sequences or arrays of positive numbers
        Same length, at least 2 points and 2 distinct ``x`` values; repeated ``x`` (one per
        seed) are fine. Arrays of any backend are copied to the host.
    confidence : float
        Confidence level in (0, 1).

    Returns
    -------
    LoglogFit
        ``(slope, intercept, (ci_low, ci_high))``; with exactly 2 points the interval is
        ``(nan, nan)`` (no degrees of freedom left).

    Examples
    --------
    >>> from featlearn.experiments import fit_loglog_slope
    >>> slope, intercept, (lo, hi) = fit_loglog_slope([1, 10, 100, 1000], [2.0, 0.2, 0.02, 0.002])
    >>> round(slope, 6), round(lo, 6), round(hi, 6)
    (-1.0, -1.0, -1.0)
    """
    if not (isinstance(confidence, (int, float)) and 0.0 < confidence < 1.0):
        raise ValueError(f"confidence: expected a level in (0, 1), got {confidence!r}")
    lx, ly = np.log(_host_vector(x, "x")), np.log(_host_vector(y, "y"))
    if lx.size != ly.size:
        raise ValueError(f"y: expected as many values as x ({lx.size}), got {ly.size}")
    if lx.size < 2:
        raise ValueError(f"x: a fit needs at least 2 points, got {lx.size}")
    dx = lx - lx.mean()
    sxx = float(dx @ dx)
    if sxx <= 0.0:
        raise ValueError("x: a fit needs at least 2 distinct x values")
    slope = float(dx @ (ly - ly.mean())) / sxx
    intercept = float(ly.mean() - slope * lx.mean())
    dof = lx.size - 2
    if dof == 0:
        return LoglogFit(slope, intercept, (math.nan, math.nan))
    resid = ly - (intercept + slope * lx)
    se = math.sqrt(float(resid @ resid) / dof / sxx)
    half = t_quantile(0.5 + 0.5 * confidence, dof) * se
    return LoglogFit(slope, intercept, (slope - half, slope + half))
