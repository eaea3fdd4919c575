"""SWL23's network trained by Algorithm 1 as an estimator (fit / predict / score; docs/papers/swl23.md §2)."""

from __future__ import annotations

import numpy as np
import pytest

from featlearn.backends import Generator, to_host
from featlearn.data import TargetStream
from featlearn.papers.swl23 import Algorithm1Network, Setting, XORMixture, xor_bayes_error
from featlearn.papers.swl23.network import train_algorithm1
from featlearn.papers.swl23.structured_parity import xor_bayes_error as old_xor_bayes_error


@pytest.fixture(scope="module")
def data():
    mix = XORMixture(4, 3.0)
    X, y = mix.sample(Generator(1), 400)
    Xt, yt = mix.sample(Generator(2), 1000)
    return mix, X, y, Xt, yt


@pytest.fixture(scope="module")
def fitted(data):
    _, X, y, _, _ = data
    return Algorithm1Network(width=32, steps=8).fit(X, y)


def test_defaults_come_from_the_setting():
    s, net = Setting(), Algorithm1Network()
    assert (net.width, net.steps, net.eta1, net.eta, net.lam) == (s.xor_width, s.xor_steps, s.eta1, s.eta, s.lam)
    assert (net.sigma_b, net.sigma_a, net.lam1, net.metric) == (s.sigma_b, s.sigma_a, None, "0-1")


def test_fit_returns_self_predict_shape_and_score(data):
    _, X, y, Xt, yt = data
    net = Algorithm1Network(width=32, steps=8)
    assert net.fit(X, y) is net
    f = net.predict(Xt)
    assert f.shape == (Xt.shape[0],) and f.dtype == np.float64
    lab = net.predict_label(Xt)
    assert set(np.unique(lab).tolist()) <= {-1.0, 1.0}
    err = net.score(Xt, yt)
    assert isinstance(err, float) and 0.0 <= err <= 1.0
    assert err < 0.15  # learned the XOR mixture (Bayes error 0.033)
    assert err == pytest.approx(np.mean(yt * f <= 0))
    assert 1 <= net.best_step_ <= 8 and net.n_features_in_ == 4


def test_estimator_is_algorithm_1_on_the_same_initialisation(data):
    _, X, y, _, _ = data
    from featlearn.papers.swl23.network import init_symmetric

    net = Algorithm1Network(width=16, steps=3, seed=5).fit(X, y)
    ref = train_algorithm1(init_symmetric(Generator(5).child("init"), 4, 16), (X, y), steps=3)
    np.testing.assert_array_equal(to_host(net.network_.W), to_host(ref.best.W))
    rng = Generator(5)
    same = Algorithm1Network(width=16, steps=3, rng=rng).fit(X, y)
    np.testing.assert_array_equal(to_host(same.network_.W), to_host(net.network_.W))


def test_validation_data_select_the_best_iterate(data):
    _, X, y, Xt, yt = data
    net = Algorithm1Network(width=16, steps=4).fit(X, y, val=(Xt, yt))
    errs = net.result_.history["val_error"]
    assert errs[net.best_step_] == min(errs[1:])


def test_predict_before_fit_raises():
    with pytest.raises(ValueError, match="not fitted"):
        Algorithm1Network().predict(np.zeros((2, 4)))


def test_bad_inputs(fitted, data):
    _, X, y, _, _ = data
    with pytest.raises(ValueError, match="X"):
        fitted.predict(np.zeros(4))  # wrong ndim
    with pytest.raises(ValueError, match="X"):
        fitted.predict(np.zeros((3, 5)))  # wrong d
    with pytest.raises((TypeError, ValueError)):
        fitted.predict([["a", "b", "c", "d"]])
    with pytest.raises((TypeError, ValueError)):
        Algorithm1Network(width=8, steps=1).fit([["a", "b", "c", "d"]] * 3, [1, -1, 1])
    with pytest.raises(ValueError, match="y"):
        Algorithm1Network(width=8, steps=1).fit(X, (y + 1) / 2)  # labels must be ±1
    # lists of numbers are arrays
    f = fitted.predict(X[:3].tolist())
    assert f.shape == (3,)


@pytest.mark.parametrize("kw, err", [
    ({"width": 7}, ValueError), ({"width": 2.0}, TypeError), ({"steps": 0}, ValueError),
    ({"eta1": 0.0}, ValueError), ({"eta1": "5"}, TypeError), ({"lam": -1.0}, ValueError),
    ({"loss": "mse"}, ValueError), ({"seed": -1}, ValueError), ({"seed": 1.5}, TypeError),
    ({"rng": 3}, TypeError), ({"decay_a_first_step": 1}, TypeError), ({"sigma_a": 0.0}, ValueError),
])
def test_hyper_parameters_are_validated(kw, err):
    name = next(iter(kw))
    with pytest.raises(err, match=name):
        Algorithm1Network(**kw)


def test_fit_on_a_stream_equals_fit_on_arrays():
    mix = XORMixture(4, 3.0)
    stream = TargetStream(mix, 300, Generator(7))
    b = stream.materialise()
    a = Algorithm1Network(width=16, steps=3).fit(stream)
    c = Algorithm1Network(width=16, steps=3).fit(b.X, b.y)
    np.testing.assert_allclose(to_host(a.network_.W), to_host(c.network_.W), rtol=1e-12, atol=1e-14)
    with pytest.raises(ValueError, match="y"):
        Algorithm1Network(width=16, steps=1).fit(stream, b.y)


def test_bayes_error_on_the_mixture_and_the_old_name():
    mix = XORMixture(16, 3.0, std=1.5)
    assert mix.bayes_error() == xor_bayes_error(3.0, 1.5) == old_xor_bayes_error(3.0, 1.5)
    assert 0.0 < XORMixture(2, 5.0).bayes_error() < mix.bayes_error() < 0.5
    with pytest.raises(ValueError, match="d"):
        XORMixture(1, 3.0)


def test_fit_follows_the_data_backend():
    pytest.importorskip("torch")
    from featlearn.backends import get_namespace

    xp = get_namespace("torch")
    mix = XORMixture(4, 3.0, xp=xp)
    X, y = mix.sample(Generator(1, xp=xp), 200)
    net = Algorithm1Network(width=8, steps=2).fit(X, y)
    f = net.predict(X)
    assert type(f) is type(X) and tuple(f.shape) == (200,)
    assert 0.0 <= net.score(X, y) <= 1.0
    with pytest.raises(TypeError, match="rng"):
        Algorithm1Network(width=8, steps=1, rng=Generator(0)).fit(X, y)  # a NumPy generator for torch data
