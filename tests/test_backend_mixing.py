"""Mixed backends, host sequences and sizes that cannot fit, refused or converted up front (issue 20).

* an array of another backend than the model's (or than the call's other arrays) raises ``TypeError``
  naming the argument and both backends, before any work;
* a host sequence (list, tuple, nested list) where data belong is converted to the model's (or the
  other arguments') backend: the result equals the call with arrays;
* a size that cannot fit raises ``MemoryRefusal`` with the estimate, quickly and before allocating.
"""

from __future__ import annotations

import time

import numpy as np
import pytest

from featlearn.backends import Generator, to_host
from featlearn.models.one_step import OneStepNetwork, feature_stats, one_step_gradient
from featlearn.models.one_step import evaluate as evaluate_one_step
from featlearn.models.two_layer import init_network
from featlearn.papers.ndl23.baselines import RandomFeaturesRidge, relu_kernel
from featlearn.papers.ndl23.kernels import kernel_matrix, kernel_spectrum
from featlearn.papers.ndl23.three_layer import ThreeLayerNetwork
from featlearn.papers.swl23.bounds import teacher_features
from featlearn.papers.swl23.gradient_features import simplified_gradient
from featlearn.papers.swl23.network import (Algorithm1Network, evaluate, fit_output_layer, init_symmetric,
                                            train_algorithm1)
from featlearn.validation import MemoryRefusal, check_same_backend

torch = pytest.importorskip("torch")

D = 4


@pytest.fixture(scope="module")
def data():
    """±1-labelled NumPy data and the same values as torch tensors."""
    X = np.random.default_rng(0).standard_normal((40, D))
    y = np.where(X[:, 0] >= 0, 1.0, -1.0)
    return X, y, torch.as_tensor(X), torch.as_tensor(y)


def refused(fn, name: str):
    """``fn()`` raises a TypeError naming the argument ``name`` and both backends."""
    with pytest.raises(TypeError) as info:
        fn()
    msg = str(info.value)
    assert msg.startswith(f"{name}: expected "), msg
    assert "numpy" in msg and "torch" in msg, msg
    assert "different backends" not in msg


@pytest.fixture(scope="module")
def swl23_net():
    return init_symmetric(Generator(0), D, 6)


# -- mixed backends ------------------------------------------------------------------------------------------
def test_train_algorithm1_refuses_torch_data_for_a_numpy_network(data, swl23_net):
    X, y, Xt, yt = data
    refused(lambda: train_algorithm1(swl23_net, (Xt, yt), steps=2), "train.X")
    refused(lambda: train_algorithm1(swl23_net, (X, y), steps=2, val=(Xt, yt)), "val.X")
    refused(lambda: train_algorithm1(swl23_net, (X, yt), steps=2), "train.y")


def test_swl23_passes_refuse_torch_data(data, swl23_net):
    X, y, Xt, yt = data
    refused(lambda: evaluate(swl23_net, (Xt, yt)), "data.X")
    refused(lambda: fit_output_layer(swl23_net, (X, y), (Xt, yt)), "val.X")


def test_simplified_gradient_refuses_mixed_backends(data, swl23_net):
    X, y, Xt, yt = data
    W, b = swl23_net.W, -swl23_net.bias
    refused(lambda: simplified_gradient(W, b, (Xt, yt)), "data.X")
    refused(lambda: simplified_gradient(W, torch.as_tensor(b), (X, y)), "b")


def test_algorithm1_network_refuses_an_rng_of_another_backend(data):
    X, y, Xt, yt = data
    refused(lambda: Algorithm1Network(width=4, steps=1, rng=Generator(0)).fit(Xt, yt), "X")
    fitted = Algorithm1Network(width=4, steps=1).fit(X, y)
    refused(lambda: fitted.predict(Xt), "X")


def test_random_features_ridge_refuses_mixed_backends(data):
    X, y, Xt, yt = data
    refused(lambda: RandomFeaturesRidge(p=8).fit(X, yt), "y")
    refused(lambda: RandomFeaturesRidge(p=8, rng=Generator(0)).fit(Xt, yt), "X")
    refused(lambda: RandomFeaturesRidge(p=8).fit_validated(Generator(0), (Xt, yt), (Xt, yt)), "train.X")
    fitted = RandomFeaturesRidge(p=8).fit(X, y)
    refused(lambda: fitted.predict(Xt), "X")


def test_three_layer_refuses_torch_data_for_a_numpy_network(data):
    X, y, Xt, yt = data
    net = ThreeLayerNetwork(m1=8, m2=16).init(Generator(0), D)
    refused(lambda: net.stage1((Xt, yt)), "data.X")
    refused(lambda: ThreeLayerNetwork(m1=8, m2=16).fit(X, yt), "y")
    refused(lambda: ThreeLayerNetwork(m1=8, m2=16, rng=Generator(0)).fit(Xt, yt), "X")


def test_one_step_network_refuses_mixed_backends(data):
    X, y, Xt, yt = data
    refused(lambda: OneStepNetwork(width=8).fit(X, yt), "y")
    refused(lambda: OneStepNetwork(width=8).fit_batches((Xt, yt), (Xt, yt), (Xt, yt), rng=Generator(0)),
            "step_data.X")
    net = init_network(Generator(0), D, 8)
    refused(lambda: OneStepNetwork(width=8, parametrization=net.parametrization.name)
            .fit_batches((Xt, yt), (Xt, yt), (Xt, yt), network=net), "step_data.X")
    refused(lambda: one_step_gradient(net, (Xt, yt)), "data.X")
    refused(lambda: feature_stats(net, (Xt, yt)), "data.X")
    net_t = init_network(Generator(0, xp="torch"), D, 8)
    refused(lambda: feature_stats([net, net_t], (X, y)), "nets[1]")
    refused(lambda: evaluate_one_step(net, torch.zeros(8, dtype=torch.float64), (X, y)), "coefs[0]")
    from featlearn.papers.mlhd23.spectral import spectral_stats

    refused(lambda: spectral_stats([net, net_t], (X, y), degree=2), "nets[1]")


def test_kernels_refuse_mixed_backends(data):
    X, _, Xt, _ = data
    spec = kernel_spectrum("relu", D, max_degree=3)
    refused(lambda: kernel_matrix(spec, X, Xt), "Y")
    refused(lambda: relu_kernel(X, Xt), "Y")
    from featlearn.papers.ndl23.kernels import kernel_energies

    refused(lambda: kernel_energies(spec, X, torch.as_tensor(X[:, 0])), "f")
    from featlearn.data import pearson

    refused(lambda: pearson(X[:, 0], Xt[:, 1]), "b")
    refused(lambda: teacher_features(X, torch.ones((D, 2), dtype=torch.float64), np.zeros(2)), "directions")


def test_array_api_strict_data_for_a_numpy_network(data, swl23_net):
    strict = pytest.importorskip("array_api_strict")
    X, y, _, _ = data
    with pytest.raises(TypeError, match=r"data\.X: expected an array of the same backend as W \(numpy\), "
                                        r"got array_api_strict"):
        simplified_gradient(swl23_net.W, -swl23_net.bias, (strict.asarray(X), strict.asarray(y)))


def test_a_list_is_not_called_another_backend():
    from featlearn.backends import array_namespace

    with pytest.raises(TypeError, match="expected arrays, got list") as info:
        array_namespace(np.zeros(2), [0.0, 1.0])
    assert "different backends" not in str(info.value)


def test_gram_stats_refuse_a_chunk_of_another_backend():
    from featlearn.models.ridge import GramStats

    from featlearn.backends import get_namespace

    st = GramStats.zeros(3, xp=get_namespace("numpy"))
    refused(lambda: st.add(torch.ones((2, 3), dtype=torch.float64), torch.ones(2, dtype=torch.float64)), "F")
    refused(lambda: st.add(np.ones((2, 3)), torch.ones(2, dtype=torch.float64)), "y")


def test_fit_names_y_and_x(data):
    X, _, _, yt = data
    with pytest.raises(TypeError, match=r"^y: expected an array of the same backend as X \(numpy\), got torch$"):
        Algorithm1Network(width=4, steps=1).fit(X, yt)


def test_check_same_backend_names_both():
    strict = pytest.importorskip("array_api_strict")
    with pytest.raises(TypeError, match=r"y: expected an array of the same backend as X \(numpy\), "
                                        r"got array_api_strict"):
        check_same_backend(X=np.zeros(2), y=strict.zeros(2))
    with pytest.raises(TypeError, match="y: expected an array, got list"):
        check_same_backend(X=np.zeros(2), y=[0.0, 1.0])


def test_targets_refuse_x_of_another_backend():
    from featlearn.theory.targets import GaussianMixture, QuadraticFeature, SingleIndex

    x = torch.zeros((3, D), dtype=torch.float64)
    for target in (SingleIndex.random(Generator(0), D, "tanh"), QuadraticFeature.random(Generator(0), D, "tanh"),
                   GaussianMixture.xor(D, 2.0)):
        refused(lambda: target(x), "x")


# -- host sequences ------------------------------------------------------------------------------------------
def test_lists_are_converted_not_called_another_backend(data, swl23_net):
    X, y, _, _ = data
    W, b = swl23_net.W, -swl23_net.bias
    np.testing.assert_array_equal(simplified_gradient(W, b, (X.tolist(), y.tolist())), simplified_gradient(W, b, (X, y)))
    r_list = train_algorithm1(swl23_net, (X.tolist(), tuple(y.tolist())), steps=2)
    r_arr = train_algorithm1(swl23_net, (X, y), steps=2)
    assert r_list.history == r_arr.history
    spec = kernel_spectrum("relu", D, max_degree=3)
    np.testing.assert_array_equal(kernel_matrix(spec, X[:5].tolist(), X[:3]), kernel_matrix(spec, X[:5], X[:3]))
    np.testing.assert_array_equal(relu_kernel(X[:5].tolist(), X[:3]), relu_kernel(X[:5], X[:3]))
    from featlearn.papers.ndl23.kernels import kernel_energies

    assert kernel_energies(spec, X, X[:, 0].tolist()) == kernel_energies(spec, X, X[:, 0])


def test_lists_follow_the_other_arguments_backend(data):
    X, y, Xt, yt = data
    K = relu_kernel(X[:5].tolist(), Xt[:3])
    assert isinstance(K, torch.Tensor) and K.dtype == torch.float64
    np.testing.assert_allclose(to_host(K), relu_kernel(X[:5], X[:3]), rtol=0, atol=1e-15)


def test_estimators_fit_lists_like_arrays(data):
    X, y, _, _ = data
    for make in (lambda: RandomFeaturesRidge(p=8), lambda: OneStepNetwork(width=8),
                 lambda: ThreeLayerNetwork(m1=8, m2=16)):
        a = make().fit(X, y).predict(X)
        b = make().fit(X.tolist(), y.tolist()).predict(X.tolist())
        np.testing.assert_array_equal(a, b)


def test_three_layer_stage1_on_lists(data):
    X, y, _, _ = data
    a = ThreeLayerNetwork(m1=8, m2=16).init(Generator(0), D).stage1((X, y)).g_
    b = ThreeLayerNetwork(m1=8, m2=16).init(Generator(0), D).stage1((X.tolist(), y.tolist())).g_
    np.testing.assert_array_equal(a, b)


# -- sizes ---------------------------------------------------------------------------------------------------
@pytest.fixture
def sixteen_gib(monkeypatch):
    """A machine of 16 GiB, so that the refusals do not depend on this one's memory."""
    monkeypatch.setattr("featlearn.validation.available_memory", lambda: 16 * 2**30)


def quickly_refused(fn, *words):
    t0 = time.perf_counter()
    with pytest.raises(MemoryRefusal) as info:
        fn()
    assert time.perf_counter() - t0 < 1.0
    for w in words:
        assert w in str(info.value), str(info.value)
    assert "GiB" in str(info.value)


def test_kernel_matrix_of_n_1e5_refused(sixteen_gib):
    spec = kernel_spectrum("relu", 3, max_degree=3)
    X = np.ones((10**5, 3))
    quickly_refused(lambda: kernel_matrix(spec, X), "kernel_matrix", "100000")


def test_three_layer_sizes_refused(sixteen_gib):
    quickly_refused(lambda: ThreeLayerNetwork(m1=10**6), "m1", "1000000")
    quickly_refused(lambda: ThreeLayerNetwork(m1=8, m2=10**9), "m2")
    quickly_refused(lambda: ThreeLayerNetwork(m1=8).init(Generator(0), 10**4), "V (m2 × d)")


@pytest.mark.parametrize("backend", ["numpy", "torch"])
def test_generator_large_draws_refused(sixteen_gib, backend):
    rng = Generator(0, xp=backend)
    shape = (10**6, 10**6)
    quickly_refused(lambda: rng.normal(shape), "normal", str(shape))
    quickly_refused(lambda: rng.uniform(shape), "uniform", str(shape))
    quickly_refused(lambda: rng.rademacher(shape), "uniform", str(shape))
    quickly_refused(lambda: rng.integers(0, 2, shape), "integers", str(shape))
    quickly_refused(lambda: rng.sphere(10**6, 10**6), "sphere")
