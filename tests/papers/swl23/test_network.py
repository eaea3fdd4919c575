"""Tests of SWL23's Algorithm 1 network (featlearn.papers.swl23.network; docs/papers/swl23.md §2)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.data import TargetStream
from featlearn.papers.swl23.network import (evaluate, fit_output_layer, frozen_biases, init_symmetric,
                                                        loss_gradients, prune, train_algorithm1)
from featlearn.papers.swl23.gradient_features import simplified_gradient
from featlearn.theory.targets import GaussianMixture


def _xor(xp, d=8, n=800, seed=0):
    mix = GaussianMixture.xor(d, 3.0, std=0.5, xp=xp)
    g = Generator(seed, xp=xp)
    return mix, mix.sample(g.child("train"), n), mix.sample(g.child("val"), 400), mix.sample(g.child("test"), 800)


@settings(max_examples=15)
@given(seed=st.integers(0, 2**20), d=st.integers(1, 6), half=st.integers(1, 8))
def test_symmetric_init_is_zero(seed, d, half):
    net = init_symmetric(Generator(seed), d, 2 * half, sigma_b=1.0, sigma_a=2.0)
    X = Generator(seed).child("X").normal((30, d))
    assert np.max(np.abs(net(X))) < 1e-12


@settings(max_examples=15)
@given(seed=st.integers(0, 2**20), eta1=st.floats(0.1, 50.0))
def test_first_step_identity(seed, eta1):
    """W⁽¹⁾ = η⁽¹⁾ a⁽⁰⁾ G_Z and mirrored neurons at ±G (λ⁽¹⁾ = 1/η⁽¹⁾)."""
    g = Generator(seed)
    X = g.child("X").normal((100, 4))
    y = g.child("y").rademacher((100,))
    net = init_symmetric(g.child("net"), 4, 6)
    res = train_algorithm1(net, (X, y), steps=1, eta1=eta1, eta=0.0)
    G = simplified_gradient(net.W, frozen_biases(net), (X, y))
    W1 = res.first_step.W
    np.testing.assert_allclose(W1, eta1 * net.a[None, :] * G, atol=1e-12 * max(1.0, np.max(np.abs(W1))))
    np.testing.assert_allclose(W1[:, :3], -W1[:, 3:], atol=1e-14 * max(1.0, np.max(np.abs(W1))))
    np.testing.assert_array_equal(frozen_biases(res.last), frozen_biases(net))


@settings(max_examples=20)
@given(c=st.floats(0.01, 100.0), b=st.floats(-5, 5), seed=st.integers(0, 2**20))
def test_rescaling_identity(c, b, seed):
    """σ(⟨cu, x⟩ − b) = c·σ(⟨u, x⟩ − b/c): a frozen bias can reach any magnitude of b/‖w‖."""
    g = Generator(seed)
    u, X = g.child("u").normal((3,)), g.child("X").normal((20, 3))
    lhs = np.maximum(X @ (c * u) - b, 0)
    rhs = c * np.maximum(X @ u - b / c, 0)
    np.testing.assert_allclose(lhs, rhs, rtol=1e-12, atol=1e-12 * c)


def test_gradients_match_finite_differences():
    g = Generator(0)
    X = g.child("X").normal((50, 3))
    y = g.child("y").rademacher((50,))
    net = init_symmetric(g.child("net"), 3, 4, sigma_a=0.3)
    net = train_algorithm1(net, (X, y), steps=1, eta1=1.0, eta=0.0, decay_a_first_step=False).last
    for loss in ("hinge", "logistic"):
        ga, gW, _ = loss_gradients(net, (X, y), loss=loss)
        h = 1e-6
        for (i, j) in ((0, 0), (2, 3)):
            Wp, Wm = net.W.copy(), net.W.copy()
            Wp[i, j] += h
            Wm[i, j] -= h
            fd = (evaluate(net.with_weights(Wp), (X, y), loss=loss).loss
                  - evaluate(net.with_weights(Wm), (X, y), loss=loss).loss) / (2 * h)
            assert fd == pytest.approx(gW[i, j], abs=1e-5)
        ap = net.a.copy()
        ap[1] += h
        fd = (evaluate(net.with_second_layer(ap), (X, y), loss=loss).loss - evaluate(net, (X, y), loss=loss).loss) / h
        assert fd == pytest.approx(ga[1], abs=1e-4)


def test_training_learns_xor_and_chunk_independent(xp):
    mix, train, val, test = _xor(xp)
    net = init_symmetric(Generator(3, xp=xp), 8, 32)
    kw = dict(steps=5, eta1=5.0, eta=0.1, lam=1e-4, val=val, test=test)
    a = train_algorithm1(net, train, chunk=800, **kw)
    b = train_algorithm1(net, train, chunk=97, **kw)
    np.testing.assert_allclose(to_host(a.last.W), to_host(b.last.W), rtol=1e-10, atol=1e-12)
    assert a.history["test_error"][0] == pytest.approx(0.5, abs=0.06)  # f ≡ 0 predicts +1
    assert a.metric("test_error") < 0.15
    assert len(a.history["val_error"]) == 6 and len(a.history["train_loss"]) == 6
    assert a.metric("val_error") == min(a.history["val_error"][1:])


def test_fresh_batches_and_no_validation():
    mix = GaussianMixture.xor(4, 3.0, std=0.5)
    g = Generator(0)
    sets = [TargetStream(mix, 300, g.child("b", t)) for t in range(3)]
    net = init_symmetric(g.child("net"), 4, 8)
    res = train_algorithm1(net, sets, steps=3, eta1=5.0, eta=0.1)
    assert 1 <= res.best_step <= 3 and len(res.history["train_loss"]) == 4
    with pytest.raises(ValueError, match="one data set per step"):
        train_algorithm1(net, sets[:2], steps=3, eta1=5.0, eta=0.1)


def test_random_features_and_pruning():
    mix, train, val, test = _xor("numpy", d=4)
    net = init_symmetric(Generator(1), 4, 40)
    rf, lam = fit_output_layer(net, train, val)
    assert np.any(rf.a != net.a) and lam > 0
    np.testing.assert_array_equal(rf.W, net.W)
    keep = np.arange(40) % 3 == 0
    small = prune(net, keep)
    assert small.width == int(keep.sum())
    with pytest.raises(ValueError, match="keep"):
        prune(net, np.zeros(40, dtype=bool))


def test_bad_input():
    mix, train, val, test = _xor("numpy")
    X, y = train
    with pytest.raises(ValueError, match="even width"):
        init_symmetric(Generator(0), 8, 7)
    net = init_symmetric(Generator(0), 8, 8)
    with pytest.raises(ValueError, match="labels"):
        train_algorithm1(net, (X, (y + 1) / 2), steps=1, eta1=1.0, eta=0.1)
    Xv = val[0].copy()
    Xv[0, 0] = np.inf
    with pytest.raises(ValueError, match="val"):
        train_algorithm1(net, train, steps=1, eta1=1.0, eta=0.1, val=(Xv, val[1]))
    with pytest.raises(ValueError, match="d = 5"):
        train_algorithm1(net, (X[:, :5], y), steps=1, eta1=1.0, eta=0.1)
    res = train_algorithm1(net, train, steps=1, eta1=1.0, eta=0.1)
    with pytest.raises(ValueError, match="d = 8"):
        res.best(X[:, :5])
    with pytest.raises(ValueError, match="eta1"):
        train_algorithm1(net, train, steps=1, eta1=0.0, eta=0.1)
    with pytest.raises(ValueError, match="loss"):
        evaluate(net, train, loss="square")


def _explicit_algorithm1(net, train, *, steps, eta1, eta, lam, lam1, decay_a_first_step):
    """Algorithm 1 written out step by step (docs/papers/swl23.md §2), the reference for the shared loop."""
    cur = net
    for t in range(1, steps + 1):
        ga, gW, _ = loss_gradients(cur, train)
        rate, decay = (eta1, lam1) if t == 1 else (eta, lam)
        a_decay = decay if (t > 1 or decay_a_first_step) else 0.0
        cur = cur.with_weights((1.0 - rate * decay) * cur.W - rate * gW).with_second_layer(
            (1.0 - rate * a_decay) * cur.a - rate * ga)
    return cur


@pytest.mark.parametrize("decay_a_first_step", [True, False])
def test_algorithm1_is_the_explicit_update(decay_a_first_step):
    mix, train, val, test = _xor("numpy", d=5, n=300)
    net = init_symmetric(Generator(4), 5, 12)
    kw = dict(steps=4, eta1=3.0, eta=0.2, lam=1e-2, lam1=0.25, decay_a_first_step=decay_a_first_step)
    got = train_algorithm1(net, train, **kw).last
    want = _explicit_algorithm1(net, train, **kw)
    np.testing.assert_array_equal(got.W, want.W)
    np.testing.assert_array_equal(got.a, want.a)
    np.testing.assert_array_equal(frozen_biases(got), frozen_biases(net))


def test_replay_of_the_best_iterate_is_the_training_run():
    """Without validation the best iterate is rebuilt by a second run of the same loop, cut at best_step:
    it must be, bit for bit, the iterate the training passed through (a run of best_step steps)."""
    mix, train, val, test = _xor("numpy", d=6, n=500)
    net = init_symmetric(Generator(0), 6, 16)
    kw = dict(eta1=5.0, eta=0.5, lam=0.1)
    res = train_algorithm1(net, train, steps=6, **kw)
    assert 1 < res.best_step < 6  # a replay of several steps ran (the training loss is lowest after step 3)
    seen = train_algorithm1(net, train, steps=6, val=val, **kw)  # validation data does not move the trajectory
    assert seen.history["train_loss"] == res.history["train_loss"]
    short = train_algorithm1(net, train, steps=res.best_step, **kw)
    np.testing.assert_array_equal(res.best.W, short.last.W)
    np.testing.assert_array_equal(res.best.a, short.last.a)
    # the replayed iterate is the one the training scored (same loss on the same data, to the bit)
    assert short.history["train_loss"][-1] == res.history["train_loss"][res.best_step]
    assert evaluate(res.best, train).loss == res.history["train_loss"][res.best_step]
