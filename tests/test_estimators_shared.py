"""The shared networks as estimators: OneStepNetwork (fit/predict/score) and TwoLayerNetwork (predict/score)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.data import ArrayStream, TargetStream
from featlearn.models import one_step
from featlearn.models.estimator import Estimator
from featlearn.models.one_step import OneStepNetwork
from featlearn.models.two_layer import TwoLayerNetwork, init_network
from featlearn.theory.targets import SingleIndex

D = 6


def _data(n, key="train", noise=0.1):
    rng = Generator(0, xp=np)
    target = SingleIndex.random(rng.child("target"), D, "he1")
    return target, TargetStream(target, n, rng.child(key), noise_std=noise)


def _small(**kw):
    return OneStepNetwork(12, lambdas=[1e-3, 1e-1, 1.0], **kw)


def test_defaults_are_mlhd23s_protocol():
    from featlearn.papers.mlhd23 import Setting

    s = Setting()
    net = OneStepNetwork()
    assert net.width == one_step.DEFAULT_WIDTH == s.errors_width
    assert one_step.DEFAULT_ALPHA == s.alpha_quadratic
    assert net.val_fraction == pytest.approx(s.errors_n_val / (2 * s.errors_n + s.errors_n_val))
    assert net.parametrization == "moniri" and net.residual == "y" and net.metric == "mse"
    assert isinstance(net, Estimator)
    assert net._eta(4000) == pytest.approx(4000 ** s.alpha_quadratic)  # η = n^α with α = 0.3
    assert OneStepNetwork(parametrization="dls22")._eta(4000) == 1.0  # the DLS22 normalised step


def test_fit_returns_self_and_predict_score():
    _, train = _data(200)
    _, test = _data(100, "test")
    net = _small()
    assert net.fit(train) is net
    Xt = test.materialise().X
    assert net.predict(Xt).shape == (100,)
    sc = net.score(test)
    assert isinstance(sc, float) and 0.0 <= sc < 1.5
    # the split: 40 % step, 40 % ridge, 20 % validation (n : ñ : n_val = 4000 : 4000 : 2000)
    assert net.gradient_.n == 80 and net.second_layer_.path.train.n == 80
    assert net.eta_ == pytest.approx(80 ** one_step.DEFAULT_ALPHA)


def test_fit_on_stream_equals_fit_on_arrays():
    _, train = _data(150)
    b = train.materialise()
    a = _small(seed=3).fit(train)
    c = _small(seed=3).fit(b.X, b.y)
    np.testing.assert_allclose(a.coef_, c.coef_, rtol=1e-10, atol=1e-12)
    assert a.lambda_ == c.lambda_
    X = b.X[:7]
    np.testing.assert_allclose(a.predict(X), c.predict(X), rtol=1e-10, atol=1e-12)


def test_fit_equals_fit_batches_on_the_split():
    _, train = _data(100)
    b = train.materialise()
    net = _small(seed=1)
    step, ridge, val = net.split(b.X, b.y)
    assert (step.n, ridge.n, val.n) == (40, 40, 20)
    a = net.fit(b.X, b.y)
    ref = _small().fit_batches((b.X[:40], b.y[:40]), (b.X[40:80], b.y[40:80]), (b.X[80:], b.y[80:]),
                               rng=Generator(1, xp=np))
    np.testing.assert_allclose(a.coef_, ref.coef_, rtol=1e-12)


def test_seed_changes_the_initial_network():
    _, train = _data(100)
    a, b = _small(seed=0).fit(train), _small(seed=1).fit(train)
    assert not np.allclose(a.network0_.W, b.network0_.W)


def test_reuse_samples_and_single_lambda_without_validation():
    _, train = _data(100)
    net = OneStepNetwork(8, lambdas=0.1, reuse_samples=True, val_fraction=0.0).fit(train)
    assert net.gradient_.n == 100 and net.second_layer_.path.train.n == 100
    with pytest.raises(ValueError, match="val_fraction"):
        OneStepNetwork(8, val_fraction=0.0)  # a λ grid needs validation data


def test_predict_before_fit_raises():
    with pytest.raises(ValueError, match="fit"):
        OneStepNetwork(4).predict(np.zeros((2, D)))


@pytest.mark.parametrize("X, err", [(np.zeros(10), ValueError), (np.zeros((10, D, 1)), ValueError),
                                    ([["a"] * D] * 10, (TypeError, ValueError))])
def test_bad_X_in_fit(X, err):
    with pytest.raises(err):
        _small().fit(X, np.zeros(10))


def test_bad_X_in_predict():
    _, train = _data(60)
    net = _small().fit(train)
    with pytest.raises(ValueError, match="X"):
        net.predict(np.zeros((3, D + 1)))
    with pytest.raises(ValueError, match="X"):
        net.predict(np.zeros(D))
    with pytest.raises((TypeError, ValueError)):
        net.predict([["a"] * D])


def test_fit_needs_labels_and_enough_samples():
    with pytest.raises(TypeError, match="y"):
        _small().fit(np.zeros((10, D)))
    with pytest.raises(ValueError, match="y"):
        _small().fit(ArrayStream(np.zeros((10, D)), np.zeros(10)), np.zeros(10))
    with pytest.raises(ValueError, match="too few"):
        _small().fit(np.ones((2, D)), np.ones(2))


@pytest.mark.parametrize("kw, err", [({"seed": -1}, ValueError), ({"seed": 1.5}, TypeError),
                                     ({"val_fraction": 1.0}, ValueError), ({"val_fraction": "a"}, TypeError),
                                     ({"width": 0}, ValueError), ({"alpha": 0.5}, ValueError)])
def test_constructor_validation(kw, err):
    with pytest.raises(err):
        OneStepNetwork(**{"width": 4, **kw})


# -- TwoLayerNetwork: a weights container with predict and score ------------------------------------------------
def test_two_layer_predict_and_score():
    rng = Generator(0, xp=np)
    net = init_network(rng, D, 5)
    # a weights container: predict and the mixin's mse score, but no fit (so it is not an Estimator subclass)
    assert not isinstance(net, Estimator) and TwoLayerNetwork.metric == "mse" and not hasattr(net, "fit")
    assert TwoLayerNetwork.score is Estimator.score
    X = rng.child("X").normal((9, D))
    np.testing.assert_array_equal(net.predict(X), net(X))
    y = rng.child("y").normal((9,))
    assert net.score(X, y) == pytest.approx(float(np.mean((net(X) - y) ** 2)))
    assert isinstance(net.score(X, y), float)
    with pytest.raises(ValueError, match="X"):
        net.predict(np.zeros((2, D + 1)))


def test_one_step_network_is_a_two_layer_network_after_fit():
    _, train = _data(100)
    net = _small().fit(train)
    X = train.materialise().X[:5]
    np.testing.assert_allclose(net.network_.predict(X), net.predict(X))  # no label centring for "moniri"
    assert math.isfinite(net.network_.score(train))
