"""featlearn.stats: the host-side statistics, checked against SciPy and NumPy directly."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest
import scipy.stats
from hypothesis import given
from hypothesis import strategies as st

from featlearn.backends import to_host
from featlearn.stats import LoglogFit, binomial_interval, fit_loglog_slope, median, spearman, t_quantile

# -- t quantiles --------------------------------------------------------------------------------------------
# Student-t quantiles from standard tables (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2).
T_TABLE = [(0.975, 1, 12.706204736), (0.975, 2, 4.302652730), (0.975, 5, 2.570581836), (0.975, 10, 2.228138852),
           (0.975, 30, 2.042272456), (0.995, 3, 5.840909309), (0.95, 20, 1.724718243), (0.9, 4, 1.533206274),
           (0.999, 100, 3.173739493)]


@pytest.mark.parametrize(("p", "df", "t"), T_TABLE)
def test_t_quantile_matches_tables(p, df, t):
    assert t_quantile(p, df) == pytest.approx(t, rel=1e-9)
    assert t_quantile(1 - p, df) == pytest.approx(-t, rel=1e-9)


def test_t_quantile_limits_and_bad_input():
    assert t_quantile(0.5, 3) == 0.0
    assert t_quantile(0.975, math.inf) == pytest.approx(1.959963985, rel=1e-9)  # the normal quantile
    assert t_quantile(0.975, 1) == pytest.approx(math.tan(math.pi * 0.475), rel=1e-12)  # Cauchy
    for p in (0.0, 1.0, -0.1, math.nan):
        with pytest.raises(ValueError, match="^p:"):
            t_quantile(p, 3)
    for df in (0, -1, math.nan):
        with pytest.raises(ValueError, match="^df:"):
            t_quantile(0.9, df)
    with pytest.raises(TypeError, match="^p:"):
        t_quantile("0.9", 3)


# -- log-log slope ------------------------------------------------------------------------------------------
@given(slope=st.floats(-3, 3), logc=st.floats(-5, 5), seed=st.integers(0, 2**32 - 1))
def test_fit_recovers_exact_power_law(slope, logc, seed):
    x = np.random.default_rng(seed).uniform(1, 1e4, size=6)
    fit = fit_loglog_slope(x, np.exp(logc) * x**slope)
    assert isinstance(fit, LoglogFit)
    assert fit.slope == pytest.approx(slope, abs=1e-9)
    assert fit.intercept == pytest.approx(logc, abs=1e-7)
    lo, hi = fit.ci
    assert lo <= fit.slope <= hi and hi - lo < 1e-6


def test_fit_matches_linregress_and_ci_has_nominal_coverage():
    rng = np.random.default_rng(0)
    x = np.repeat(2.0 ** np.arange(6, 14), 3)  # repeated x: one point per seed
    covered, trials = 0, 400
    for _ in range(trials):
        y = 3.0 * x**-0.5 * np.exp(0.3 * rng.standard_normal(x.size))
        slope, intercept, (lo, hi), se = fit_loglog_slope(x, y, confidence=0.9)
        ref = scipy.stats.linregress(np.log(x), np.log(y))
        assert (slope, intercept, se) == pytest.approx((ref.slope, ref.intercept, ref.stderr), rel=1e-10)
        half = scipy.stats.t.ppf(0.95, x.size - 2) * ref.stderr
        assert (lo, hi) == pytest.approx((ref.slope - half, ref.slope + half), rel=1e-10)
        covered += lo <= -0.5 <= hi
    # 90% interval: the coverage count is Binomial(400, 0.9), sd 6; allow 4 sd
    assert abs(covered - 0.9 * trials) <= 24


def test_weighted_fit_matches_polyfit_and_its_covariance():
    rng = np.random.default_rng(1)
    x = np.repeat([100.0, 200.0, 400.0, 800.0], 3)
    w = x.copy()  # variance of log y ∝ 1/x, as in a Monte-Carlo estimate from x samples
    y = 2.0 * x**0.3 * np.exp(rng.standard_normal(x.size) / np.sqrt(x))
    fit = fit_loglog_slope(x, y, weights=w)
    lx, ly = np.log(x), np.log(y)
    coef, cov = np.polyfit(lx, ly, 1, w=np.sqrt(w), cov="unscaled")  # polyfit weights multiply residuals
    resid = ly - np.polyval(coef, lx)
    s2 = float(np.sum(w * resid**2)) / (x.size - 2)
    assert (fit.slope, fit.intercept) == pytest.approx((coef[0], coef[1]), rel=1e-10)
    assert fit.stderr == pytest.approx(math.sqrt(s2 * cov[0, 0]), rel=1e-10)
    # a common factor in the weights changes nothing, and equal weights are the unweighted fit
    assert _flat(fit_loglog_slope(x, y, weights=1e-3 * w)) == pytest.approx(_flat(fit), rel=1e-12)
    assert _flat(fit_loglog_slope(x, y, weights=np.full(x.size, 7.0))) == pytest.approx(_flat(fit_loglog_slope(x, y)),
                                                                                       rel=1e-12)


def _flat(fit):
    return [fit.slope, fit.intercept, *fit.ci, fit.stderr]


def test_fit_inputs(xp):
    two = fit_loglog_slope([1, 2], [1, 2])
    assert two.slope == pytest.approx(1.0) and all(math.isnan(v) for v in (*two.ci, two.stderr))
    x = xp.asarray([1.0, 2.0, 4.0])
    assert fit_loglog_slope(to_host(x), (1.0, 0.5, 0.25)).slope == pytest.approx(-1.0)  # device arrays: to_host
    if not isinstance(x, np.ndarray):
        with pytest.raises(TypeError, match="^x: .*to_host"):
            fit_loglog_slope(x, [1.0, 0.5, 0.25])
    with pytest.raises(ValueError, match="^y: a log-log fit needs positive"):
        fit_loglog_slope([1, 2, 3], [1, 0, 2])
    with pytest.raises(ValueError, match="^x: a log-log fit needs positive"):
        fit_loglog_slope([1, math.inf, 3], [1, 1, 2])
    with pytest.raises(ValueError, match="^x: expected numbers, got NaN"):
        fit_loglog_slope([1, math.nan, 3], [1, 1, 2])
    with pytest.raises(ValueError, match="^y: expected as many"):
        fit_loglog_slope([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="^x: expected at least 2"):
        fit_loglog_slope([1], [1])
    with pytest.raises(ValueError, match="^x: a fit needs at least 2 distinct"):
        fit_loglog_slope([2, 2, 2], [1, 2, 3])
    with pytest.raises(ValueError, match="^x: expected a 1-d"):
        fit_loglog_slope([[1, 2]], [[1, 2]])
    with pytest.raises(ValueError, match="^confidence:"):
        fit_loglog_slope([1, 2, 3], [1, 2, 3], confidence=1.0)
    with pytest.raises(ValueError, match="^weights: a log-log fit needs positive"):
        fit_loglog_slope([1, 2, 3], [1, 2, 3], weights=[1, 0, 1])
    with pytest.raises(ValueError, match="^weights: expected as many"):
        fit_loglog_slope([1, 2, 3], [1, 2, 3], weights=[1, 1])
    with pytest.raises(TypeError, match="^y: expected real numbers"):
        fit_loglog_slope([1, 2, 3], ["1", "2", "3"])
    with pytest.raises(TypeError, match="^x: expected a sequence"):
        fit_loglog_slope(iter([1, 2, 3]), [1, 2, 3])


# -- median -------------------------------------------------------------------------------------------------
@given(values=st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=30))
def test_median_is_numpys_and_the_standard_librarys(values):
    assert median(values) == pytest.approx(float(np.median(values)), rel=1e-15, abs=1e-300)
    assert median(values) == pytest.approx(statistics.median(values), rel=1e-12, abs=1e-300)
    assert median(np.asarray(values)) == median(values)


def test_median_convention_and_inputs():
    assert median([1.0, 2.0, 10.0, 20.0]) == 6.0  # even count: the mean of the two middle values
    assert median([5]) == 5.0
    assert median([math.inf, 1.0, 2.0]) == 2.0 and median([math.inf, 1.0]) == math.inf
    with pytest.raises(ValueError, match="^values: expected at least 1"):
        median([])
    with pytest.raises(ValueError, match="^values: expected numbers, got NaN"):
        median([1.0, math.nan])
    with pytest.raises(TypeError, match="^values: expected real numbers"):
        median([True, False])
    with pytest.raises(TypeError, match="^values: expected a sequence"):
        median(3.0)


# -- Spearman -----------------------------------------------------------------------------------------------
@given(pairs=st.lists(st.tuples(st.integers(0, 4), st.floats(-10, 10)), min_size=2, max_size=25))
def test_spearman_matches_scipy_with_ties(pairs):
    a, b = [float(p[0]) for p in pairs], [p[1] for p in pairs]  # a has many ties (5 distinct values)
    if len(set(a)) == 1 or len(set(b)) == 1:
        with pytest.raises(ValueError, match="constant sequence"):
            spearman(a, b)
        return
    got = spearman(a, b)
    assert got == pytest.approx(float(scipy.stats.spearmanr(a, b).statistic), abs=1e-12)
    # with ties: the Pearson correlation of the average ranks
    assert got == pytest.approx(float(np.corrcoef(scipy.stats.rankdata(a), scipy.stats.rankdata(b))[0, 1]), abs=1e-12)


def test_spearman_known_values_and_inputs():
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert spearman([1, 2, 3], [10, 20, 1e9]) == 1.0
    # ties: ranks (1, 2.5, 2.5, 4) against (1, 2, 3, 4): 0.9487, not the no-ties formula's 0.9 or 1.0
    assert spearman([1, 2, 2, 3], [1, 2, 3, 4]) == pytest.approx(0.9486832980505138)
    with pytest.raises(ValueError, match="^a: the rank correlation is undefined for a constant"):
        spearman([1, 1, 1], [1, 2, 3])
    with pytest.raises(ValueError, match="^b: expected as many"):
        spearman([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match="^a: expected at least 2"):
        spearman([1], [1])
    with pytest.raises(ValueError, match="^b: expected numbers, got NaN"):
        spearman([1, 2, 3], [1, math.nan, 2])


# -- binomial interval --------------------------------------------------------------------------------------
@pytest.mark.parametrize("trials", [1, 2, 7, 50, 1000])
@pytest.mark.parametrize("confidence", [0.5, 0.9, 0.95, 0.999])
def test_binomial_interval_is_clopper_pearson(trials, confidence):
    for hits in sorted({0, 1, trials // 3, trials - 1, trials}):
        lo, hi = binomial_interval(hits, trials, confidence)
        ref = scipy.stats.binomtest(hits, trials).proportion_ci(confidence_level=confidence, method="exact")
        assert (lo, hi) == pytest.approx((ref.low, ref.high), abs=1e-9)
        assert 0.0 <= lo <= hits / trials <= hi <= 1.0
    assert binomial_interval(0, trials, confidence)[0] == 0.0
    assert binomial_interval(trials, trials, confidence)[1] == 1.0


def test_binomial_interval_covers_at_least_nominally():
    # exact coverage of the 90% interval at p = 0.3, n = 40: Σ P(k) over the k whose interval holds p
    n, p = 40, 0.3
    cover = sum(scipy.stats.binom.pmf(k, n, p) for k in range(n + 1)
                if (lambda lh: lh[0] <= p <= lh[1])(binomial_interval(k, n, 0.9)))
    assert 0.9 <= cover < 0.97


def test_binomial_interval_inputs():
    with pytest.raises(ValueError, match="^hits:"):
        binomial_interval(5, 4)
    with pytest.raises(ValueError, match="^hits:"):
        binomial_interval(-1, 4)
    with pytest.raises(ValueError, match="^trials:"):
        binomial_interval(0, 0)
    with pytest.raises(TypeError, match="^hits:"):
        binomial_interval(2.0, 4)
    with pytest.raises(ValueError, match="^confidence:"):
        binomial_interval(1, 4, 1.5)
