"""Theory of one large gradient step (featlearn.theory.one_step): exact algebra and validation."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.theory.activations import Activation
from featlearn.theory.hermite import hermite_he
from featlearn.theory.one_step import (PROVENANCE, best_linear_excess_risk, check_alpha, direction_norm_limit,
                                       direction_overlap_limit, hermite_profile, is_spike_threshold, null_risk,
                                       spike_count, spike_growth_exponent, spike_interval, spike_magnitude,
                                       spike_threshold, step_exponent, step_size)

LINK = Activation("he1+he2/2", lambda z: z + 0.5 * hermite_he(2, z), lambda z: 1.0 + z)
ALPHAS = st.floats(0.0, 0.5, exclude_max=True, allow_nan=False)


def test_known_counts():
    # the table of docs/papers/mlhd23.md §4.1: thresholds 1/4, 1/3, 3/8, 2/5
    assert [spike_count(a) for a in (0.0, 0.1, 0.249, 0.26, 0.33, 0.34, 0.37, 0.38, 0.399, 0.41)] == \
        [1, 1, 1, 2, 2, 3, 3, 4, 4, 5]
    assert [spike_threshold(k) for k in (1, 2, 3, 4)] == [0.0, 0.25, 1 / 3, 0.375]
    assert spike_interval(1) == (0.0, 0.25)


@given(alpha=ALPHAS)
def test_intervals_tile_the_range(alpha):
    # every α in [0, 1/2) is either a threshold or inside exactly one interval ((ℓ−1)/(2ℓ), ℓ/(2ℓ+2))
    if is_spike_threshold(alpha):
        k = round(1 / (1 - 2 * alpha))
        assert spike_count(alpha, boundary="lower") == k - 1
        assert spike_count(alpha, boundary="upper") == k
        return
    ell = spike_count(alpha)
    lo, hi = spike_interval(ell)
    assert lo <= alpha < hi and (alpha > lo or alpha == 0.0)
    for other in (ell - 1, ell + 1):
        if other >= 1:
            lo2, hi2 = spike_interval(other)
            assert not lo2 < alpha < hi2
    # consecutive intervals share their end points: the union has no gap
    assert spike_interval(ell)[1] == pytest.approx(spike_interval(ell + 1)[0], rel=1e-15)


@given(alpha=ALPHAS, k=st.integers(1, 12))
def test_growth_exponent_positive_iff_spike_present(alpha, k):
    # the reconstructed exponent (docs/papers/mlhd23.md §4.2) reproduces the stated interval law
    if is_spike_threshold(alpha):
        return
    gamma = spike_growth_exponent(alpha, k)
    if alpha == 0.0:  # constant step: one spike of the order of the bulk (γ₁ = 0), BA22
        assert gamma <= 0 and spike_count(alpha) == 1
        return
    assert (gamma > 0) == (k <= spike_count(alpha))
    assert gamma == pytest.approx(0.5 - k * (0.5 - alpha), abs=1e-15)


@pytest.mark.parametrize("k", [2, 3, 4, 7])
def test_threshold_raises_by_default(k):
    with pytest.raises(ValueError, match="alpha"):
        spike_count(spike_threshold(k))
    assert spike_count(spike_threshold(k), boundary="lower") == k - 1


@pytest.mark.parametrize("bad", [-0.01, 0.5, 0.7, math.nan, math.inf])
def test_alpha_out_of_range(bad):
    for fn in (check_alpha, spike_count, lambda a: spike_growth_exponent(a, 1), lambda a: step_size(100, a)):
        with pytest.raises(ValueError, match="alpha"):
            fn(bad)


@pytest.mark.parametrize("bad", ["0.1", None, True])
def test_alpha_wrong_type(bad):
    with pytest.raises(TypeError, match="alpha"):
        check_alpha(bad)


def test_other_validation():
    with pytest.raises(ValueError, match="boundary"):
        spike_count(0.1, boundary="middle")
    with pytest.raises(ValueError, match="k"):
        spike_growth_exponent(0.1, 0)
    with pytest.raises(TypeError, match="k"):
        spike_growth_exponent(0.1, 1.5)
    with pytest.raises(ValueError, match="n"):
        step_size(0, 0.1)
    with pytest.raises(ValueError, match="scale"):
        step_size(10, 0.1, scale=-1.0)
    with pytest.raises(ValueError, match="eta"):
        step_exponent(0.0, 10)
    with pytest.raises(ValueError, match="noise_std"):
        null_risk("he1", noise_std=-1.0)
    with pytest.raises(ValueError, match="link"):
        best_linear_excess_risk("no-such-link")


@given(n=st.integers(2, 10**9), alpha=ALPHAS)
def test_step_size_round_trip(n, alpha):
    assert step_exponent(step_size(n, alpha), n) == pytest.approx(alpha, abs=1e-12)


def test_baselines_for_linear_plus_quadratic():
    # σ* = He₁ + ½He₂: E σ*² = 1 + ¼·2! = 3/2, ‖P_{>1}σ*‖² = 1/2 (docs/papers/mlhd23.md §6.3)
    assert best_linear_excess_risk(LINK) == pytest.approx(0.5, abs=1e-10)
    assert null_risk(LINK) == pytest.approx(1.5, abs=1e-10)
    assert null_risk(LINK, noise_std=0.1) == pytest.approx(1.51, abs=1e-10)
    assert best_linear_excess_risk("he1") == pytest.approx(0.0, abs=1e-10)


def test_direction_limits():
    # cos = c₁/√(c₁² + (d/n)E y²): for He₁, d = n: 1/√2; for the example of docs/papers/mlhd23.md §4.2 d/n = 1/2 with noise 0.1
    assert direction_overlap_limit("he1", d=50, n=50) == pytest.approx(2 ** -0.5, abs=1e-10)
    assert direction_overlap_limit(LINK, d=1000, n=2000, noise_std=0.1) == pytest.approx(1 / math.sqrt(1 + 0.5 * 1.51),
                                                                                     abs=1e-10)
    assert direction_norm_limit(LINK, d=1000, n=2000, noise_std=0.1) == pytest.approx(math.sqrt(1 + 0.5 * 1.51),
                                                                                  abs=1e-10)


def test_spike_magnitude_formula():
    mu = hermite_profile("tanh_softplus", 3)
    # k = 1: |μ₁|·η|μ₁|‖b‖·√ñ (‖u‖ = √ñ‖b‖, ‖a‖ = 1)
    s1 = spike_magnitude(1, eta=2.0, mu=mu, b_norm=1.5, n=400, width=100)
    assert s1 == pytest.approx(abs(mu[1]) * 2.0 * abs(mu[1]) * 1.5 * 20.0, rel=1e-12)
    # k = 2, Gaussian a: (3/2)|μ₂|(η|μ₁|‖b‖)²√ñ/√N; Rademacher a drops a factor √3
    s2g = spike_magnitude(2, eta=2.0, mu=mu, b_norm=1.5, n=400, width=100)
    s2r = spike_magnitude(2, eta=2.0, mu=mu, b_norm=1.5, n=400, width=100, a_law="rademacher")
    assert s2g == pytest.approx(1.5 * abs(mu[2]) * (2.0 * abs(mu[1]) * 1.5) ** 2 * 20.0 / 10.0, rel=1e-12)
    assert s2g / s2r == pytest.approx(math.sqrt(3.0), rel=1e-12)
    # the worked example of docs/papers/mlhd23.md (§4.2 [reconstructed: our numerical check]): 6.5e3 and 2.4e3
    assert spike_magnitude(1, eta=13.6, mu=mu, b_norm=2.40, n=6000, width=3000) == pytest.approx(6.5e3, rel=0.01)
    assert spike_magnitude(2, eta=13.6, mu=mu, b_norm=2.40, n=6000, width=3000) == pytest.approx(2.4e3, rel=0.01)
    with pytest.raises(ValueError, match="mu"):
        spike_magnitude(4, eta=1.0, mu=mu, b_norm=1.0, n=10, width=10)


def test_provenance_is_declared():
    assert PROVENANCE["spike_count"] == "stated"
    for name in ("spike_growth_exponent", "spike_magnitude", "direction_overlap_limit"):
        assert PROVENANCE[name] == "reconstructed"


@settings(max_examples=10)
@given(alpha=ALPHAS)
def test_counts_are_monotone(alpha):
    if is_spike_threshold(alpha) or alpha + 0.01 >= 0.5 or is_spike_threshold(alpha + 0.01):
        return
    assert spike_count(alpha + 0.01) >= spike_count(alpha)
