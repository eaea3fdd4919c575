"""NDL23 Theorem 1 as code (featlearn.papers.ndl23.sample_complexity)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from featlearn.papers.ndl23.kernels import CENTRED_ABS
from featlearn.papers.ndl23.sample_complexity import (
    asymptotic_exponents,
    kernel_method_exponent,
    quadratic_feature_prediction,
    single_index_prediction,
    theorem1_sample_size,
)
from featlearn.stats import fit_loglog_slope


@given(k=st.integers(1, 5), sigma=st.sampled_from(["tanh_softplus", "softplus", "relu", "tanh"]))
def test_exponents_monotone_in_feature_degree(k, sigma):
    try:  # σ2 whose Hermite coefficient at the degree vanishes cannot see the feature: no prediction
        lo, hi = asymptotic_exponents(sigma, k), asymptotic_exponents(sigma, k + 1)
    except ValueError:
        assume(False)
    for v in ("v1", "v3-reconstructed"):
        assert hi[v] > lo[v]
    assert lo["v3-reconstructed"] <= lo["v1"]


def test_known_instances():
    assert asymptotic_exponents("relu", 1) == {"v1": 2.0, "v3-reconstructed": 1.0}
    assert asymptotic_exponents("relu", 2) == {"v1": 4.0, "v3-reconstructed": 3.0}
    assert asymptotic_exponents(CENTRED_ABS, 2) == {"v1": 4.0, "v3-reconstructed": 2.0}
    assert kernel_method_exponent(3) == 6.0 and kernel_method_exponent(None) == math.inf


def test_fitted_exponents_of_instances():
    ds = [32, 64, 128]
    q = [quadratic_feature_prediction(CENTRED_ABS, "relu", d) for d in ds]
    assert fit_loglog_slope(ds, [p.n_v1 for p in q]).slope == pytest.approx(4.0, abs=0.25)
    assert fit_loglog_slope(ds, [p.n_v3 for p in q]).slope == pytest.approx(2.0, abs=0.25)
    s = [single_index_prediction("relu", "relu", d) for d in ds]
    assert fit_loglog_slope(ds, [p.n_v1 for p in s]).slope == pytest.approx(2.0, abs=0.15)
    assert fit_loglog_slope(ds, [p.n_v3 for p in s]).slope == pytest.approx(1.0, abs=0.15)
    assert fit_loglog_slope(ds, [p.threshold_n(0.8, 32 * d) for p, d in zip(s, ds)]).slope == pytest.approx(1.0, abs=0.15)


def test_correlation_curve_increasing():
    p = quadratic_feature_prediction(CENTRED_ABS, "relu", 16)
    cs = [p.correlation(n, 2048) for n in (10, 100, 1000, 10000)]
    assert all(b > a for a, b in zip(cs, cs[1:])) and cs[-1] < 1
    assert p.threshold_n(0.99, 2048) == math.inf  # above the finite-width ceiling


def test_bad_inputs():
    with pytest.raises(ValueError, match="version"):
        theorem1_sample_size(0.1, version="v2")
    with pytest.raises(ValueError, match="op_norm"):
        theorem1_sample_size(0.1, version="v3-reconstructed")
    with pytest.raises(ValueError, match="feature_norm"):
        theorem1_sample_size(0.0)
    with pytest.raises(ValueError, match="feature_degree"):
        asymptotic_exponents("relu", 0)
    with pytest.raises(ValueError, match="sigma2"):
        asymptotic_exponents("he2", 1)  # μ_1(He_2) = 0: K cannot see a linear feature


def test_ceiling_is_the_large_n_limit_and_bounds_the_curve():
    from featlearn.papers.ndl23.sample_complexity import correlation_ceiling

    for p, m2 in ((quadratic_feature_prediction(CENTRED_ABS, "relu", 12), 8 * 144),
                  (single_index_prediction("relu", "relu", 32), 1024)):
        c = p.ceiling(m2)
        assert c == pytest.approx(p.correlation(1e14, m2), rel=1e-9)
        assert all(p.correlation(n, m2) < c for n in (10, 1000, 10**6))
        assert p.threshold_n(0.999 * c, m2) < math.inf and p.threshold_n(min(1.001 * c, 0.9999), m2) == math.inf
        assert correlation_ceiling(p.spectrum, p.energies, p.cross, p.var_h, m2) == c
        # the op-norm the predictions use is the maximum over all degrees, not only the computed ones
        assert p.spectrum.op_norm_is_exact(centred=True)


def test_energies_prediction_of_a_concrete_target():
    from featlearn.backends import Generator
    from featlearn.papers.ndl23.kernels import kernel_energies, kernel_spectrum
    from featlearn.papers.ndl23.sample_complexity import energies_prediction
    from featlearn.theory.targets import QuadraticFeature

    d = 8
    f = QuadraticFeature.random(Generator(0).child("A"), d, "relu")
    spec = kernel_spectrum(CENTRED_ABS, d, max_degree=6)
    X, y = f.sample(Generator(1), 1024)
    p = energies_prediction(spec, kernel_energies(spec, X, y, f.feature(X)))
    assert 0 < p.ceiling(8 * d * d) < 1 and p.threshold_n(0.5 * p.ceiling(8 * d * d), 8 * d * d) > 0
