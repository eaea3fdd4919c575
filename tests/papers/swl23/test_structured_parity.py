"""Tests of the structured parity distribution (SWL23, docs/papers/swl23.md §5.3)."""

from __future__ import annotations

import numpy as np
import pytest

from featlearn.backends import Generator, to_host
from featlearn.papers.swl23.gradient_features import direction_cosines, simplified_gradient
from featlearn.papers.swl23.structured_parity import StructuredParity, xor_bayes_error


def test_sample_structure(xp):
    t = StructuredParity(12, 3, p_A=0.2, p_o=0.1)
    X, y = t.sample(Generator(0, xp=xp), 20000)
    Xh, yh = to_host(X), to_host(y)
    assert set(np.unique(Xh)) <= {-1.0, 0.0, 1.0}
    np.testing.assert_array_equal(yh, np.prod(Xh[:, :3], axis=1))
    strong = np.all(np.abs(Xh[:, :3]) == 1) & (np.abs(Xh[:, :3].sum(1)) == 3)
    # strong components 2·p_A = 0.4 plus the uniform part's ±(1,1,1) with probability 0.6·2/8
    assert abs(strong.mean() - (0.4 + 0.6 * 0.25)) < 0.02
    assert abs(np.mean(Xh[:, 3:] != 0) - 0.2) < 0.01


def test_multi_block_and_dictionary():
    rng = np.random.default_rng(0)
    M, _ = np.linalg.qr(rng.standard_normal((9, 9)))
    t = StructuredParity(9, 3, r=3, p_A=0.1, p_o=0.0, dictionary=M)
    X, y = t.sample(Generator(1), 3000)
    phi = X @ M
    votes = sum(np.prod(phi[:, 3 * j:3 * j + 3], axis=1) for j in range(3))
    np.testing.assert_array_equal(y, np.where(votes >= 0, 1.0, -1.0))
    D = t.block_directions()
    np.testing.assert_allclose(D.T @ D, np.eye(3), atol=1e-12)


@pytest.mark.parametrize("k", [3, 5])
def test_odd_k_gradient_feature_is_block_direction(k):
    t = StructuredParity(24, k, p_A=0.2, p_o=0.1)
    X, y = t.sample(Generator(0), 20000)
    g = Generator(1)
    W, b = g.child("W").normal((24, 200)), g.child("b").normal((200,))
    cos = direction_cosines(simplified_gradient(W, b, (X, y)), t.block_directions()[:, 0])
    assert np.median(cos) > 0.95


def test_strong_signal_correlation_odd_even():
    for k, expect in ((3, 2 * 0.2 * np.sqrt(3)), (4, 0.0), (5, 2 * 0.2 * np.sqrt(5))):
        t = StructuredParity(16, k, p_A=0.2, p_o=0.1)
        assert t.strong_signal_correlation() == pytest.approx(expect)
        X, y = t.sample(Generator(k), 100000)
        meas = np.mean(y * (X @ t.block_directions()[:, 0]))
        assert abs(meas - expect) < 0.02


@pytest.mark.parametrize("kw, match", [({"p_A": 0.6}, "p_A"), ({"p_o": 0.7}, "p_o"), ({"r": 2}, "r"),
                                       ({"k": 20}, "k"), ({"support": [0, 0, 1]}, "support")])
def test_bad_parameters(kw, match):
    args = {"d": 10, "k": 3, **kw}
    with pytest.raises(ValueError, match=match):
        StructuredParity(**args)


def test_xor_bayes_error():
    from featlearn.theory.targets import GaussianMixture

    mix = GaussianMixture.xor(3, 2.0, std=1.0)
    X, y = mix.sample(Generator(0), 400000)
    err = np.mean(np.where(np.abs(X[:, 0]) >= np.abs(X[:, 1]), 1.0, -1.0) != y)
    assert abs(err - xor_bayes_error(2.0)) < 3 * np.sqrt(0.25 / 400000) + 1e-3
    assert xor_bayes_error(0.0) == pytest.approx(0.5)
