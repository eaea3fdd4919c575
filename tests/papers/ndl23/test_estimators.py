"""The NDL23 networks as estimators: fit(X, y) / predict / score (metric "mse"), defaults from the Setting."""

from __future__ import annotations

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.data import TargetStream
from featlearn.papers.ndl23 import RandomFeaturesRidge, ReluKernelRidge, Setting, ThreeLayerNetwork
from featlearn.theory.targets import QuadraticFeature

D = 5


def _data(n=600, key="train"):
    rng = Generator(0)
    f = QuadraticFeature.random(rng.child("A"), D, "relu")
    return f, f.sample(rng.child(key), n)


def _make(name):
    return {"three": lambda: ThreeLayerNetwork(16, 64), "rf": lambda: RandomFeaturesRidge(64),
            "kr": lambda: ReluKernelRidge()}[name]()


NAMES = ("three", "rf", "kr")


def test_defaults_come_from_the_setting():
    s = Setting()
    net = ThreeLayerNetwork()
    assert net.m1 == s.curves_m1 and net.m2 is None and net.m2_per_d2 == s.quad_m2_per_d2
    assert net.slopes == tuple(s.stage1_slopes) and net.seed == 0
    assert RandomFeaturesRidge().p == s.radial_rf_width
    for cls in (ThreeLayerNetwork, RandomFeaturesRidge, ReluKernelRidge):
        assert cls.metric == "mse"
        assert "Examples" in cls.__doc__
    assert "Algorithm 1 of\n    Nichani, Damian, Lee 2023" in ThreeLayerNetwork.__doc__


@pytest.mark.parametrize("name", NAMES)
def test_fit_predict_score(name):
    _, (X, y) = _data()
    _, (Xt, yt) = _data(300, "test")
    est = _make(name)
    assert est.fit(X, y) is est
    out = est.predict(Xt)
    assert out.shape == (300,)
    s = est.score(Xt, yt)
    assert isinstance(s, float) and 0.0 <= s < float(np.var(yt))  # better than the best constant
    assert s == pytest.approx(float(np.mean((out - yt) ** 2)))


def test_three_layer_width_default_is_8_d_squared():
    _, (X, y) = _data()
    assert ThreeLayerNetwork(8).fit(X, y).m2 == 8 * D * D


@pytest.mark.parametrize("name", NAMES)
def test_predict_before_fit_raises(name):
    with pytest.raises(ValueError, match="not fitted"):
        _make(name).predict(np.zeros((2, D)))


@pytest.mark.parametrize("name", NAMES)
def test_bad_inputs(name):
    _, (X, y) = _data()
    est = _make(name).fit(X, y)
    with pytest.raises(ValueError):
        est.predict(np.zeros((3, D + 1)))  # wrong d
    with pytest.raises(ValueError):
        est.predict(np.zeros(D))  # wrong ndim
    with pytest.raises((TypeError, ValueError)):
        est.predict([["a"] * D, ["b"] * D])
    with pytest.raises((TypeError, ValueError)):
        _make(name).fit([["a"] * D] * 10, np.zeros(10))
    with pytest.raises(ValueError):
        _make(name).fit(X, y[:-1])  # labels of another length
    with pytest.raises(TypeError, match="y"):
        _make(name).fit(X)  # arrays without labels


@pytest.mark.parametrize("name", NAMES)
def test_fit_on_a_stream_equals_fit_on_its_arrays(name):
    f, _ = _data()
    s = TargetStream(f, 500, Generator(3).child("s"), block=128)  # several blocks: the split crosses them
    b = s.materialise()
    _, (Xt, _) = _data(50, "test")
    a = _make(name).fit(s).predict(Xt)
    c = _make(name).fit(b.X, b.y).predict(Xt)
    # the same rows in each part; only the order of the streamed sums differs (blocks vs one array)
    np.testing.assert_allclose(a, c, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_seed_drives_the_split(name):
    _, (X, y) = _data()
    _, (Xt, _) = _data(50, "test")
    p0 = type(_make(name))(**_kw(name), seed=0).fit(X, y).predict(Xt)
    again = type(_make(name))(**_kw(name), seed=0).fit(X, y).predict(Xt)
    p1 = type(_make(name))(**_kw(name), seed=1).fit(X, y).predict(Xt)
    assert np.array_equal(p0, again) and not np.array_equal(p0, p1)
    g = type(_make(name))(**_kw(name), rng=Generator(0)).fit(X, y).predict(Xt)
    assert np.array_equal(g, p0)  # rng=Generator(seed) is the same as seed=seed on NumPy


def _kw(name):
    return {"three": {"m1": 16, "m2": 64}, "rf": {"p": 64}, "kr": {}}[name]


@pytest.mark.parametrize("cls", [ThreeLayerNetwork, RandomFeaturesRidge, ReluKernelRidge])
def test_hyper_parameters_are_validated(cls):
    with pytest.raises(TypeError, match="seed"):
        cls(seed=1.5)
    with pytest.raises(ValueError, match="seed"):
        cls(seed=-1)
    with pytest.raises(ValueError, match="val_fraction"):
        cls(val_fraction=1.0)
    with pytest.raises(TypeError, match="val_fraction"):
        cls(val_fraction="0.2")
    with pytest.raises(TypeError, match="rng"):
        cls(rng=0)


def test_three_layer_specific_hyper_parameters():
    with pytest.raises(ValueError, match="slopes"):
        ThreeLayerNetwork(slopes=(0.0, 1.0))
    with pytest.raises(ValueError, match="m2_per_d2"):
        ThreeLayerNetwork(m2_per_d2=0)
    with pytest.raises(ValueError, match="m1"):
        ThreeLayerNetwork(3)


def test_too_few_samples_to_split():
    X, y = np.zeros((2, D)), np.zeros(2)
    with pytest.raises(ValueError, match="X"):
        ThreeLayerNetwork(4, 8).fit(X, y)


def test_former_fit_routes_still_work_and_agree_with_fit_validated():
    rng = Generator(0)
    f = QuadraticFeature.random(rng.child("A"), D, "relu")
    tr, va = f.sample(rng.child("tr"), 300), f.sample(rng.child("va"), 100)
    Xt, _ = f.sample(rng.child("te"), 20)
    a = RandomFeaturesRidge(32).fit(Generator(1), tr, va).predict(Xt)
    b = RandomFeaturesRidge(32).fit_validated(Generator(1), tr, va).predict(Xt)
    assert np.array_equal(a, b)
    a = ReluKernelRidge().fit(tr, va).predict(Xt)
    b = ReluKernelRidge().fit_validated(tr, va).predict(Xt)
    assert np.array_equal(a, b)
    with pytest.raises(TypeError, match="rng"):
        RandomFeaturesRidge(8).fit(0, tr, va)  # the former route still checks its generator
