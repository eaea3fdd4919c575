"""SL21's networks (featlearn/papers/sl21/networks.py; docs/papers/sl21.md §2.1, §4)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.papers.sl21.networks import (ErfFeatures, StrongNetwork, WeakNetwork, _erf_agnostic, clipped_error,
                                            clipped_relu, clipped_relu_grad, erf, feature_gram, linear_readout,
                                            ramp_readout, strong_objective, train_strong)
from featlearn.papers.sl21 import tables as hc
from featlearn.papers.sl21.radial_laws import SphereSumInput
from featlearn.papers.sl21.targets import BallIndicator


def _erf_reference(x):
    """scipy.special.erf on the host: the reference for the Array-API erf's accuracy."""
    from scipy.special import erf

    return erf(np.asarray(x, dtype=np.float64))


def test_erf_agnostic_accuracy():
    import array_api_strict as xs

    x = np.linspace(-7, 7, 200001)
    got = to_host(_erf_agnostic(xs.asarray(x)))
    assert np.max(np.abs(got - _erf_reference(x))) < 5e-15


def test_erf_backends(xp):
    x = xp.asarray([-3.0, -0.5, 0.0, 0.1, 1.7, 2.0, 4.0])
    np.testing.assert_allclose(to_host(erf(x)), _erf_reference(to_host(x)), atol=5e-15)
    x32 = xp.asarray([0.3, 2.5], dtype=xp.float32)
    assert erf(x32).dtype == xp.float32


@given(z=st.floats(-5, 5))
def test_erf_derivative_finite_difference(z):
    import array_api_strict as xs

    h = 1e-6
    fd = (float(_erf_agnostic(xs.asarray(z + h))) - float(_erf_agnostic(xs.asarray(z - h)))) / (2 * h)
    assert abs(fd - 2 / math.sqrt(math.pi) * math.exp(-z * z)) < 1e-8


@given(z=st.floats(-3, 3).filter(lambda v: min(abs(v), abs(v - 1)) > 1e-3))
def test_clipped_relu_subgradient_finite_difference(z):
    import array_api_strict as xs

    h = 1e-7
    fd = (float(clipped_relu(xs.asarray(z + h))) - float(clipped_relu(xs.asarray(z - h)))) / (2 * h)
    assert abs(fd - float(clipped_relu_grad(xs.asarray(z)))) < 1e-6


def _data(xp, d=4, n=600, seed=0, lam=math.sqrt(2)):
    t = BallIndicator(lam, d, input=SphereSumInput(d))
    return t.sample(Generator(seed, xp=xp), n)


def test_assumption7_init_scales():
    net = StrongNetwork.init(Generator(0), 6, 4000)
    U, b, w = (to_host(a) for a in (net.features.U, net.features.b, net.w))
    assert abs(U.std() - 0.5) < 0.01 and abs(b.std() - 0.5) < 0.02
    assert abs(w.std() * 4000 - 1.0) < 0.05


def test_objective_gradient_matches_finite_difference(xp):
    X, y = _data(xp, n=300)
    net = StrongNetwork.init(Generator(1, xp=xp), 4, 20)
    F = net.features(X)
    f = strong_objective(F, y)
    w = net.w * 50.0  # many samples in the active region (0, 1)
    _, g = f(w)
    e = xp.zeros_like(w)
    for j in (0, 7):
        ej = xp.where(xp.arange(20) == j, xp.ones_like(w), e) * 1e-7
        fd = (float(f(w + ej)[0]) - float(f(w - ej)[0])) / 2e-7
        assert abs(fd - float(g[j])) < 1e-4


def test_chunk_independence(xp):
    X, y = _data(xp, n=777)
    net = StrongNetwork.init(Generator(2, xp=xp), 4, 30)
    F = net.features(X, chunk=1000)
    F2 = net.features(X, chunk=64)
    assert float(xp.max(xp.abs(F - F2))) == 0.0
    l1, g1 = strong_objective(F, y, chunk=1000)(net.w)
    l2, g2 = strong_objective(F, y, chunk=50)(net.w)
    assert abs(float(l1) - float(l2)) < 1e-14
    assert float(xp.max(xp.abs(g1 - g2))) < 1e-14
    G1, G2 = feature_gram(F, chunk=1000), feature_gram(F, chunk=33)
    assert float(xp.max(xp.abs(G1 - G2))) < 1e-12


@settings(max_examples=10)
@given(d=st.integers(2, 7), lam=st.floats(1.0, 2.0), seed=st.integers(0, 2**31 - 1))
def test_property_gd_never_increases(d, lam, seed):
    t = BallIndicator(lam, d, input=SphereSumInput(d))
    X, y = t.sample(Generator(seed), 400)
    net = StrongNetwork.init(Generator(seed).child("net"), d, 40)
    F = net.features(X)
    res, info = train_strong(F, y, net.w, rng=Generator(seed).child("lmax"), max_iter=40)
    assert res.max_increase <= 1e-13
    pres, _ = train_strong(F, y, net.w, rng=Generator(seed).child("lmax"), max_iter=10,
                           precondition_ridge=1e-6 * info["lambda_max"])
    assert pres.max_increase <= 1e-13


def test_step_above_stability_bound_refused():
    X, y = _data("numpy")
    net = StrongNetwork.init(Generator(0), 4, 20)
    F = net.features(X)
    _, info = train_strong(F, y, net.w, rng=Generator(0).child("lmax"), max_iter=1)
    with pytest.raises(ValueError, match="stability bound"):
        train_strong(F, y, net.w, rng=Generator(0).child("lmax"), max_iter=1, step=1.5 * info["stability_bound"])
    with pytest.raises(TypeError, match="rng"):
        train_strong(F, y, net.w, max_iter=1)  # no hidden seed: the caller's generator


def test_separation_small_instance(xp):
    """Representation vs linear readout on D'_4 at width 200 (a smaller version of the claims)."""
    X, y = _data(xp, n=2000, seed=1)
    Xv, yv = _data(xp, n=1000, seed=2)
    Xt, yt = _data(xp, n=3000, seed=3)
    net = StrongNetwork.init(Generator(4, xp=xp), 4, 200)
    F, Fv, Ft = net.features(X), net.features(Xv), net.features(Xt)
    v, info = ramp_readout(F, X, math.sqrt(2), slopes=(10.0, 40.0), ridges=(1e-10, 1e-6), F_val=Fv, X_val=Xv)
    pred, _ = linear_readout(F, y, Fv, yv, lambdas=(1e-8, 1e-4))
    r = pred(Ft) - yt
    assert clipped_error(Ft, yt, v) < 0.01 < float(xp.mean(r * r))


def test_weak_network_gradient_and_training(xp):
    X, y = _data(xp, n=400)
    for act in ("tanh", "softplus"):
        net = WeakNetwork.init(Generator(0, xp=xp), 4, 16, activation=act)
        f = net.objective(X, y, chunk=128)
        loss, g = f(net.params)
        U, b, w, b0 = net.params
        h = 1e-6
        wp = w + h * xp.astype(xp.arange(16) == 3, w.dtype)
        wm = w - h * xp.astype(xp.arange(16) == 3, w.dtype)
        fd = (float(f((U, b, wp, b0))[0]) - float(f((U, b, wm, b0))[0])) / (2 * h)
        assert abs(fd - float(g[2][3])) < 1e-6
        L = net.estimate_smoothness(X, y, rng=Generator(0, xp=xp).child("power"), iters=10)
        res = net.fit_gd(X, y, step=1.0 / L, max_iter=30)
        assert res.losses[-1] < res.losses[0]


def test_networks_use_the_activation_registry(xp):
    """Eq. (2)'s clip and Eq. (1)'s σ are the registry's entries (one definition with its derivative)."""
    from featlearn.theory.activations import ACTIVATIONS

    from featlearn.papers.sl21 import networks

    # the public clipped_relu/clipped_relu_grad validate their input, then call the registry's entry
    assert networks._clipped_relu is ACTIVATIONS["clipped_relu"].fn
    assert networks._clipped_relu_grad is ACTIVATIONS["clipped_relu"].derivative
    z = xp.asarray([-1.0, 0.0, 0.25, 1.0, 3.0])
    np.testing.assert_array_equal(to_host(clipped_relu(z)), to_host(ACTIVATIONS["clipped_relu"].fn(z)))
    np.testing.assert_array_equal(to_host(clipped_relu_grad(z)), to_host(ACTIVATIONS["clipped_relu"].derivative(z)))
    X, _ = _data(xp, n=50)
    for act in ("tanh", "softplus"):
        net = WeakNetwork.init(Generator(1, xp=xp), 4, 8, activation=act)
        U, b, w, b0 = net.params
        want = ACTIVATIONS[act](X @ U.T + b) @ w + b0[0]
        np.testing.assert_array_equal(to_host(net.predict(X)), to_host(want))


def test_bad_inputs():
    with pytest.raises(ValueError, match="width"):
        StrongNetwork.init(Generator(0), 4, 0)
    with pytest.raises(ValueError, match="d"):
        ErfFeatures.init(Generator(0), 1, 5)
    with pytest.raises(ValueError, match="activation"):
        WeakNetwork.init(Generator(0), 4, 5, activation="relu")
    net = StrongNetwork.init(Generator(0), 4, 5)
    bad = np.ones((3, 4))
    bad[1, 2] = np.nan
    with pytest.raises(ValueError, match="X"):
        net.predict(bad)
    with pytest.raises(ValueError, match="columns"):
        net.predict(np.ones((3, 5)))
