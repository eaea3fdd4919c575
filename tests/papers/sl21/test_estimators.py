"""SL21's networks as estimators: fit / predict / score (featlearn/papers/sl21/networks.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator, to_host, to_scalar
from featlearn.data import TargetStream
from featlearn.papers.sl21 import THEOREM3_LEVEL, Setting, StrongNetwork, WeakNetwork, ball_target
from featlearn.papers.sl21.networks import ErfFeatures

D = 4
TARGET = ball_target("sphere_sum", D)  # 1{‖x‖ <= √2} on D'_4 (Eq. 5)


def _data(n, key, seed=0):
    return TARGET.sample(Generator(seed).child(key), n)


def _small(cls, **kw):
    """Small, fast estimators (the defaults are tested on their own below)."""
    if cls is StrongNetwork:
        return StrongNetwork(**{"width": 40, "max_iter": 40, **kw})
    return WeakNetwork(**{"width": 12, "max_iter": 40, **kw})


ESTIMATORS = [StrongNetwork, WeakNetwork]


def test_defaults_come_from_the_quick_setting():
    s = Setting()
    strong, weak = StrongNetwork(), WeakNetwork()
    assert (strong.width, strong.max_iter, strong.step, strong.eps) == (s.separation_width, s.gd_iters, None,
                                                                       2 * THEOREM3_LEVEL)
    assert (strong.u_std, strong.b_std, strong.seed) == (0.5, 0.5, 0)  # Assumption 7
    assert (weak.width, weak.max_iter, weak.lr, weak.solver, weak.activation) == (s.weak_width, s.weak_iters,
                                                                                 s.adam_lr, "gd", "tanh")
    assert StrongNetwork.metric == WeakNetwork.metric == "mse"


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_predict_score(cls):
    X, y = _data(300, "train")
    Xt, yt = _data(200, "test")
    net = _small(cls)
    assert net.fit(X, y) is net
    out = net.predict(Xt)
    assert out.shape == (200,)
    sc = net.score(Xt, yt)
    assert isinstance(sc, float) and 0.0 <= sc < 1.0
    # score is the mean squared error of predict (SL21's test error)
    assert sc == pytest.approx(float(np.mean((to_host(out) - to_host(yt)) ** 2)), rel=1e-12)
    if cls is StrongNetwork:
        assert float(np.min(to_host(out))) >= 0.0 and float(np.max(to_host(out))) <= 1.0  # the clip [·]_+^1


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_predict_before_fit_raises(cls):
    X, _ = _data(5, "x")
    with pytest.raises(ValueError, match="not fitted"):
        cls().predict(X)
    with pytest.raises(ValueError, match="not fitted"):
        cls().score(X, np.zeros(5))


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_bad_inputs(cls):
    X, y = _data(60, "train")
    with pytest.raises(ValueError):
        _small(cls).fit(X[:, 0], y)  # 1-D X
    with pytest.raises(ValueError):
        _small(cls).fit(X, y[:-1])  # y of another length
    with pytest.raises((TypeError, ValueError)):
        _small(cls).fit([["a", "b", "c", "d"]] * 3, [0.0, 1.0, 0.0])
    with pytest.raises(TypeError):
        _small(cls).fit(X)  # no labels and not a stream
    net = _small(cls).fit(X, y)
    with pytest.raises(ValueError):
        net.predict(np.zeros((3, D + 1)))  # wrong d
    with pytest.raises(ValueError):
        net.predict(np.zeros(D))  # 1-D
    with pytest.raises((TypeError, ValueError)):
        net.predict([["a"] * D])


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_hyper_parameters_are_validated(cls):
    with pytest.raises(ValueError, match="width"):
        cls(width=0)
    with pytest.raises(TypeError, match="width"):
        cls(width=2.5)
    with pytest.raises(ValueError, match="max_iter"):
        cls(max_iter=0)
    with pytest.raises(ValueError, match="step"):
        cls(step=-1.0)
    with pytest.raises(ValueError, match="seed"):
        cls(seed=-1)
    with pytest.raises(TypeError, match="seed"):
        cls(seed=1.0)
    with pytest.raises(TypeError, match="rng"):
        cls(rng=0)
    if cls is WeakNetwork:
        with pytest.raises(ValueError, match="solver"):
            WeakNetwork(solver="sgd")
        with pytest.raises(ValueError, match="activation"):
            WeakNetwork(activation="relu")  # not C²
        with pytest.raises(ValueError, match="lr"):
            WeakNetwork(lr=0.0)
    else:
        with pytest.raises(ValueError, match="eps"):
            StrongNetwork(eps=0.0)
        with pytest.raises(ValueError, match="u_std"):
            StrongNetwork(u_std=0.0)
        with pytest.raises(TypeError, match="features"):
            StrongNetwork(features="erf")


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_on_a_stream_equals_fit_on_its_arrays(cls):
    Xt, _ = _data(50, "test")
    stream = TargetStream(TARGET, 300, Generator(1).child("train"))  # the same data as target.sample
    X, y = TARGET.sample(Generator(1).child("train"), 300)
    a = _small(cls).fit(stream).predict(Xt)
    b = _small(cls).fit(X, y).predict(Xt)
    np.testing.assert_allclose(to_host(a), to_host(b), rtol=1e-10, atol=1e-12)
    with pytest.raises(ValueError, match="y"):
        _small(cls).fit(stream, y)


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_seed_and_refit(cls):
    X, y = _data(200, "train")
    Xt, _ = _data(50, "test")
    a = _small(cls, seed=3).fit(X, y)
    pa = to_host(a.predict(Xt))
    np.testing.assert_array_equal(pa, to_host(_small(cls, seed=3).fit(X, y).predict(Xt)))
    np.testing.assert_array_equal(pa, to_host(a.fit(X, y).predict(Xt)))  # a refit starts from the same draw
    assert not np.array_equal(pa, to_host(_small(cls, seed=4).fit(X, y).predict(Xt)))
    rng = Generator(3)
    np.testing.assert_array_equal(pa, to_host(_small(cls, rng=rng).fit(X, y).predict(Xt)))


def test_strong_network_from_given_features_keeps_them_frozen():
    X, y = _data(200, "train")
    feats = ErfFeatures.init(Generator(5), D, 30)
    old = StrongNetwork.init(Generator(5), D, 30)  # the former construction still predicts without fit
    assert old.predict(X).shape == (200,)
    net = StrongNetwork(feats, max_iter=20).fit(X, y)
    assert net.features is feats and net.result_.steps <= 20
    assert net.info_["step"] == pytest.approx(1.0 / net.info_["lambda_max"])  # the practical step 1/λ_max(G)
    assert net.result_.max_increase <= 1e-12  # F̂ never increases at that step
    with pytest.raises(ValueError, match="X"):
        net.fit(np.zeros((10, D + 1)), np.zeros(10))


def test_weak_network_solvers_and_old_methods():
    X, y = _data(200, "train")
    gd = WeakNetwork(width=8, max_iter=20).fit(X, y)
    assert gd.smoothness_ > 0 and gd.step_ == pytest.approx(min(1 / gd.smoothness_, 2 / gd.smoothness_ - 1 / 20))
    assert gd.result_.steps == 20
    adam = WeakNetwork(width=8, max_iter=20, solver="adam").fit(X, y)
    assert adam.step_ is None and adam.result_.steps == 20
    old = WeakNetwork.init(Generator(0), D, 8)
    res = old.fit_gd(X, y, step=0.05, max_iter=5)
    assert len(res.losses) == 6
    old.fit_adam(X, y, lr=1e-2, max_iter=3)
    assert old.predict(X).shape == (200,)
    with pytest.raises(ValueError, match="not fitted"):
        WeakNetwork().fit_gd(X, y, step=0.1, max_iter=1)


def test_weak_network_trained_by_gd_stays_above_theorem3_level():
    """The issue's example property on one small valid SL21 setting (d = 4 >= 4, D'_4, λ = √2): GD on all layers
    of the weak class Eq. (1) (Theorem 3's algorithm and step rule) keeps the test error above 1/400 at every
    iterate. Seed 0 gives a minimum of ≈ 0.18 (at the last iterate), about 70 times the level."""
    X, y = _data(400, "train")
    Xt, yt = _data(1000, "test")
    errs = []
    net = WeakNetwork(width=32, max_iter=100)

    def record(t, th):
        r = net.forward(th, Xt) - yt
        errs.append(float(to_scalar(np.mean(r * r))))

    net.fit(X, y, callback=record)
    assert len(errs) >= 100 and all(math.isfinite(e) for e in errs)
    assert min(errs) > THEOREM3_LEVEL
    assert net.score(Xt, yt) > THEOREM3_LEVEL


@pytest.mark.parametrize("cls", ESTIMATORS)
def test_fit_on_nested_lists_equals_fit_on_numpy(cls):
    X, y = _data(100, "train")
    a = _small(cls).fit(to_host(X).tolist(), to_host(y).tolist()).predict(X)
    b = _small(cls).fit(X, y).predict(X)
    np.testing.assert_array_equal(to_host(a), to_host(b))
