"""Tests of featlearn.papers.swl23.gradient_features and gradient_feature_bounds (SWL23, docs/papers/swl23.md §3–§4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.data import TargetStream
from featlearn.papers.swl23.bounds import opt_upper_bound
from featlearn.papers.swl23.gradient_features import (direction_cosines, gradient_norm_threshold, hit_probability, in_cone,
                                                mixture_gradient, normal_cdf, simplified_gradient, theorem_3_12_rhs)
from featlearn.theory.targets import GaussianMixture


def _data(xp, n=600, d=5, seed=0):
    g = Generator(seed, xp=xp)
    X = g.child("X").normal((n, d))
    y = g.child("y").rademacher((n,))
    return X, y


def test_simplified_gradient_matches_loop(xp):
    X, y = _data(xp)
    g = Generator(1, xp=xp)
    W, b = g.child("W").normal((5, 7)), g.child("b").normal((7,))
    G = to_host(simplified_gradient(W, b, (X, y)))
    Xh, yh, Wh, bh = (to_host(v) for v in (X, y, W, b))
    ref = np.stack([(yh[:, None] * Xh * (Xh @ Wh[:, i] > bh[i])[:, None]).mean(0) for i in range(7)], axis=1)
    np.testing.assert_allclose(G, ref, atol=1e-12)


def test_simplified_gradient_independent_of_chunk(xp):
    X, y = _data(xp, n=1000)
    g = Generator(2, xp=xp)
    W, b = g.child("W").normal((5, 9)), g.child("b").normal((9,))
    a = simplified_gradient(W, b, (X, y), chunk=1000, std_error=True)
    c = simplified_gradient(W, b, (X, y), chunk=37, std_error=True)
    np.testing.assert_allclose(to_host(a.G), to_host(c.G), atol=1e-13)
    np.testing.assert_allclose(to_host(a.std_error), to_host(c.std_error), atol=1e-13)


@settings(max_examples=20)
@given(seed=st.integers(0, 2**20), c=st.floats(0.01, 100.0))
def test_scale_invariance(seed, c):
    """G(cw, cb) = G(w, b) for c > 0: the indicator 1{<w,x> > b} is scale invariant."""
    X, y = _data("numpy", n=200, seed=seed)
    g = Generator(seed).child("weights")  # a stream independent of the data's
    W, b = g.child("W").normal((5, 4)), g.child("b").normal((4,))
    # test away from ties: the indicator is discontinuous exactly at <w,x> = b
    margin = np.min(np.abs(X @ W - b[None, :]))
    if margin < 1e-9:
        return
    np.testing.assert_array_equal(simplified_gradient(c * W, c * b, (X, y)), simplified_gradient(W, b, (X, y)))


def test_mixture_gradient_matches_monte_carlo():
    mix = GaussianMixture.xor(6, 2.0, std=0.7)
    g = Generator(0)
    W, b = g.child("W").normal((6, 5)), g.child("b").normal((5,))
    est = simplified_gradient(W, b, TargetStream(mix, 200000, g.child("data")), std_error=True)
    z = (est.G - mixture_gradient(W, b, mix)) / est.std_error
    assert np.max(np.abs(z)) < 5.0
    # dropping the φ term (the component along w) is detected
    wrong = mixture_gradient(W, b, mix) - W / np.linalg.norm(W, axis=0) * 0.2
    assert np.max(np.abs((est.G - wrong) / est.std_error)) > 10


def test_normal_cdf(xp):
    t = xp.asarray([-10.0, -3.0, -1.0, 0.0, 0.5, 2.0, 9.0], dtype=xp.float64)
    ref = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in to_host(t)])
    np.testing.assert_allclose(to_host(normal_cdf(t)), ref, atol=1e-14)


def test_cone_and_hit_probability(xp):
    G = xp.asarray([[1.0, 0.0, -1.0, 0.6], [0.0, 1.0, 0.05, 0.8]], dtype=xp.float64)
    b = xp.asarray([1.0, 1.0, 1.0, -1.0], dtype=xp.float64)
    D = xp.asarray([1.0, 0.0], dtype=xp.float64)
    assert to_host(in_cone(G, D, 0.1)).tolist() == [True, False, True, False]
    assert to_host(in_cone(G, D, 0.1, absolute=False)).tolist() == [True, False, False, False]
    hp = hit_probability(G, b, D, 1, gamma=0.1)
    assert hp.hits == 2 and hp.trials == 4 and hp.low < 0.5 < hp.high
    assert hp.member(0.5) and not hp.member(0.6)
    assert hit_probability(G, b, D, 1, gamma=0.1, B_G=1.001).hits == 1
    assert hit_probability(G, b, D, -1, gamma=0.1).hits == 0
    assert gradient_norm_threshold(G, b, D, 1, gamma=0.1, p=0.5) == pytest.approx(1.0)
    assert gradient_norm_threshold(G, b, D, 1, gamma=0.1, p=0.75) == 0.0
    cos = to_host(direction_cosines(G, xp.asarray([[1.0, 0.0], [0.0, 2.0]])))
    assert cos.shape == (4, 2) and cos[3, 1] == pytest.approx(0.8)


@pytest.mark.parametrize("gamma", [0.0, 1.0, -0.1, 1.5, float("nan")])
def test_gamma_outside_unit_interval(gamma):
    G, b, D = np.eye(2), np.ones(2), np.array([1.0, 0.0])
    with pytest.raises(ValueError, match="gamma"):
        hit_probability(G, b, D, 1, gamma=gamma)


@pytest.mark.parametrize("p", [0.0, 1.5, -0.2])
def test_p_outside_range(p):
    G, b, D = np.eye(2), np.ones(2), np.array([1.0, 0.0])
    with pytest.raises(ValueError, match="p"):
        gradient_norm_threshold(G, b, D, 1, gamma=0.1, p=p)
    with pytest.raises(ValueError, match="p"):
        hit_probability(G, b, D, 1, gamma=0.1).member(p)


def test_bad_labels_and_nonfinite_data():
    X, y = _data("numpy", n=50)
    W, b = np.ones((5, 2)), np.zeros(2)
    with pytest.raises(ValueError, match="labels"):
        simplified_gradient(W, b, (X, 0.5 * y))
    X2 = X.copy()
    X2[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        simplified_gradient(W, b, (X2, y))
    with pytest.raises(ValueError, match="d = 5"):
        simplified_gradient(np.ones((4, 2)), b, (X, y))


def test_theorem_rhs():
    v = theorem_3_12_rhs(0.1, r=2, B_a1=1.0, B_x1=2.0, gamma=0.01, B_x2=3.0, B_G=0.5, n=1000, C=1.0, eps=0.05)
    expect = 0.1 + 2 * 1.0 * 2.0 * math.sqrt(0.02 + math.sqrt(3.0 * math.log(1000)) / (0.5 * math.sqrt(1000))) + 0.05
    assert v == pytest.approx(expect)
    assert theorem_3_12_rhs(0.1, r=2, B_a1=1.0, B_x1=2.0, gamma=0.01, B_x2=3.0, B_G=0.5, n=1000, C=2.0) > v - 0.05
    with pytest.raises(ValueError, match="gamma"):
        theorem_3_12_rhs(0.1, r=2, B_a1=1.0, B_x1=2.0, gamma=1.0, B_x2=3.0, B_G=0.5, n=1000)
    with pytest.raises(TypeError, match="r"):
        theorem_3_12_rhs(0.1, r=2.0, B_a1=1.0, B_x1=2.0, gamma=0.1, B_x2=3.0, B_G=0.5, n=1000)


def test_opt_upper_bound_on_linear_data():
    """Two clusters ±3e₁: the teacher σ(x₁) − σ(−x₁) = x₁ with a = ±1/2 has hinge risk ≈ 0."""
    mix = GaussianMixture([[3.0, 0.0], [-3.0, 0.0]], [1, -1], std=0.3)
    g = Generator(0)
    fit = mix.sample(g.child("fit"), 2000)
    held = mix.sample(g.child("held"), 2000)
    D = np.array([[1.0, -1.0], [0.0, 0.0]])
    ob = opt_upper_bound(D, np.zeros(2), fit, held, B_a1=1.0)
    assert ob.value < 0.01 and ob.fit_risk < 0.01
    small = opt_upper_bound(D, np.zeros(2), fit, held, B_a1=0.1)  # |a| ≤ 0.1 cannot reach margin 1
    assert small.value > 0.5
