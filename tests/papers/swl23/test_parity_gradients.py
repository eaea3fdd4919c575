"""Tests of featlearn.papers.swl23.parity_gradients (SWL23 uniform sparse parity, docs/papers/swl23.md §5.4)."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.data import TargetStream
from featlearn.papers.swl23.parity_gradients import (alignment_path, crossing_sample_size, fourier_exponent,
                                               hermite_parity_gradient, parity_population_gradient,
                                               predicted_crossing)
from featlearn.theory.targets import SparseParity


def _neurons(xp, d, m, seed=0):
    g = Generator(seed, xp=xp)
    return g.child("W").normal((d, m), std=1.0 / math.sqrt(d)), g.child("b").normal((m,), std=0.5)


def _exact(W, b, support):
    """Exact G and q by enumerating the cube (small d)."""
    W, b = np.asarray(to_host(W)), np.asarray(to_host(b))
    d = W.shape[0]
    X = np.array(list(itertools.product((-1.0, 1.0), repeat=d)))
    y = X[:, list(support)].prod(axis=1)
    act = (X @ W > b).astype(float)
    return (X * y[:, None]).T @ act / len(X), act.mean(axis=0)


def test_population_gradient_is_unbiased_against_enumeration(xp):
    W, b = _neurons(xp, 6, 5)
    est = parity_population_gradient(W, b, [0, 2], Generator(3, xp=xp), 20000, chunk=4096)
    G, q = _exact(W, b, [0, 2])
    z = (np.asarray(to_host(est.G)) - G) / np.maximum(np.asarray(to_host(est.std_error)), 1e-12)
    assert np.max(np.abs(z[np.asarray(to_host(est.std_error)) > 0])) < 5
    assert np.allclose(np.asarray(to_host(est.active)), q, atol=0.02)
    # the split-half norm is unbiased: close to the exact ‖G‖²
    assert np.allclose(np.asarray(to_host(est.norm2)), (G * G).sum(axis=0), atol=5e-3)


def test_relevant_coordinates_only_is_exact(xp):
    """With d = k nothing is sampled: the Rao–Blackwellised estimate is the exact gradient."""
    W, b = _neurons(xp, 3, 4)
    est = parity_population_gradient(W, b, [0, 1, 2], Generator(0, xp=xp), 16, chunk=8)
    G, _ = _exact(W, b, [0, 1, 2])
    assert np.allclose(np.asarray(to_host(est.G)), G, atol=1e-12)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**20), c=st.floats(0.05, 20.0))
def test_population_gradient_scale_invariant(seed, c):
    import numpy as xp

    W, b = _neurons(xp, 7, 3, seed)
    a = parity_population_gradient(W, b, [1, 4], Generator(seed, xp=xp), 300, chunk=100)
    s = parity_population_gradient(c * W, c * b, [1, 4], Generator(seed, xp=xp), 300, chunk=100)
    assert np.allclose(a.G, s.G, atol=1e-12)


def test_hermite_prediction_matches_population_at_large_d():
    import numpy as xp

    d, m = 200, 64
    W, b = _neurons(xp, d, m, 1)
    GH, q = hermite_parity_gradient(W, b, [0, 1])
    pop = parity_population_gradient(W, b, [0, 1], Generator(2, xp=xp), 2**15)
    # the in-support coordinates carry the signal: compare them on neurons with a resolved gradient
    ok = np.sqrt(np.maximum(pop.norm2, 0)) > 5 * np.linalg.norm(pop.std_error, axis=0)
    cos = (GH[:2, ok] * pop.G[:2, ok]).sum(0) / (np.linalg.norm(GH[:2, ok], axis=0) * np.linalg.norm(pop.G[:2, ok],
                                                                                                    axis=0))
    assert ok.sum() > 20 and np.median(cos) > 0.95
    assert np.allclose(q, pop.active, atol=0.05)


def test_predicted_crossing_formula():
    import numpy as xp

    G = xp.asarray([[0.1, 0.0], [0.0, 0.0]])
    q = xp.asarray([0.5, 0.5])
    n = predicted_crossing(G, q, 0.5)
    assert n[0] == pytest.approx((2 * 0.5 - 0.01) / 0.01 / 3) and math.isinf(n[1])
    assert fourier_exponent(3) == 3.0
    with pytest.raises(ValueError, match="level"):
        predicted_crossing(G, q, 1.0)


def test_crossing_interpolation():
    assert crossing_sample_size([10, 100], [0.2, 0.8], 0.5) == pytest.approx(math.sqrt(1000))
    assert crossing_sample_size([10, 100], [0.6, 0.8], 0.5) == 10
    assert math.isinf(crossing_sample_size([10, 100], [0.1, 0.2], 0.5))
    with pytest.raises(ValueError, match="medians"):
        crossing_sample_size([10], [0.1, 0.2], 0.5)


@settings(max_examples=30, deadline=None)
@given(a=st.floats(0.0, 0.49), b=st.floats(0.51, 1.0), lo=st.integers(1, 1000), ratio=st.integers(2, 100))
def test_crossing_lies_between_the_bracketing_sizes(a, b, lo, ratio):
    n = crossing_sample_size([lo, lo * ratio], [a, b], 0.5)
    assert lo <= n <= lo * ratio + 1e-9


def test_alignment_path_rises_and_stops(xp):
    d, m = 10, 32
    W, b = _neurons(xp, d, m)
    pop = parity_population_gradient(W, b, [0, 1], Generator(1, xp=xp), 2**14)
    stream = TargetStream(SparseParity(d, [0, 1]), 2**16, Generator(2, xp=xp))
    sizes = [16 * 4**j for j in range(6)]
    full = alignment_path(W, b, stream, pop.G, sizes, ref_norm2=pop.norm2)
    assert full[-1] > 0.8 and full[-1] > full[0]
    cut = alignment_path(W, b, stream, pop.G, sizes, stop_level=0.5, ref_norm2=pop.norm2)
    assert cut == full[:len(cut)] and cut[-1] >= 0.5
    with pytest.raises(ValueError, match="sizes"):
        alignment_path(W, b, stream, pop.G, [100, 10])


def test_bad_inputs(xp):
    W, b = _neurons(xp, 5, 3)
    with pytest.raises(ValueError, match="support"):
        parity_population_gradient(W, b, [0, 0], Generator(0, xp=xp), 100)
    with pytest.raises(ValueError, match="support"):
        parity_population_gradient(W, b, [7], Generator(0, xp=xp), 100)
    with pytest.raises(TypeError, match="support"):
        hermite_parity_gradient(W, b, "01")
    with pytest.raises(ValueError, match="support"):
        hermite_parity_gradient(W, b, [0])
    with pytest.raises(ValueError, match="n"):
        parity_population_gradient(W, b, [0, 1], Generator(0, xp=xp), 100, chunk=4096)
