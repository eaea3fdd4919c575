"""NDL23 Theorem 1 as code (featlearn.theory.sample_complexity)."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from featlearn.theory.kernels import CENTRED_ABS
from featlearn.theory.sample_complexity import (
    asymptotic_exponents,
    fitted_exponent,
    kernel_method_exponent,
    quadratic_feature_prediction,
    single_index_prediction,
    theorem1_sample_size,
)


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
    assert fitted_exponent(ds, [p.n_v1 for p in q]) == pytest.approx(4.0, abs=0.25)
    assert fitted_exponent(ds, [p.n_v3 for p in q]) == pytest.approx(2.0, abs=0.25)
    s = [single_index_prediction("relu", "relu", d) for d in ds]
    assert fitted_exponent(ds, [p.n_v1 for p in s]) == pytest.approx(2.0, abs=0.15)
    assert fitted_exponent(ds, [p.n_v3 for p in s]) == pytest.approx(1.0, abs=0.15)
    assert fitted_exponent(ds, [p.threshold_n(0.8, 32 * d) for p, d in zip(s, ds)]) == pytest.approx(1.0, abs=0.15)


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
    with pytest.raises(ValueError, match="ds"):
        fitted_exponent([1.0], [2.0])
