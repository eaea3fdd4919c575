"""Three-layer network and Algorithm 1 (featlearn.papers.ndl23.three_layer), and the baselines."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host, to_scalar
from featlearn.papers.ndl23.baselines import RandomFeaturesRidge, ReluKernelRidge
from featlearn.data import TargetStream, pearson
from featlearn.papers.ndl23.three_layer import ThreeLayerNetwork, feature_learning_curve, run_layerwise
from featlearn.papers.ndl23.kernels import CENTRED_ABS
from featlearn.theory.targets import Hierarchical, QuadraticFeature, SingleIndex, SparseParity


def _setup(xp, seed=0, d=6, n=200, m1=8, m2=32, **kw):
    rng = Generator(seed, xp=xp)
    f = QuadraticFeature.random(rng.child("A"), d, "relu")
    net = ThreeLayerNetwork(m1, m2, **kw).init(rng.child("init"), d)
    X, y = f.sample(rng.child("D1"), n)
    return rng, f, net, X, y


def test_learned_feature_is_kernel_smoothed_labels(xp):
    _, f, net, X, y = _setup(xp)
    net.stage1((X, y))
    Xe, _ = f.sample(Generator(9, xp=xp), 7)
    F, Fe = net.inner(X), net.inner(Xe)
    Khat = Fe @ F.T / net.m2                          # K̂(x_e, x_j)
    expected = Khat @ (y - xp.mean(y)) / X.shape[0]   # (1/n)Σ (y_j − ȳ) K̂(x_j, x)
    got = net.learned_feature(Xe)
    assert to_scalar(xp.max(xp.abs(got - expected))) < 1e-10


def test_first_layer_is_rank_one_and_matches_gradient(xp):
    _, f, net, X, y = _setup(xp, center_labels=False)
    assert net.f0 == 0.0  # symmetric initialisation
    net.stage1((X, y))
    eta1 = 0.7
    W = net.first_layer(eta1)
    s = to_host(xp.linalg.svdvals(W))
    assert s[1] <= 1e-12 * s[0]
    # autograd-free check: the gradient of (1/n)Σ(f − y)² at W = 0 is −(2/(n m1)) (a⊙σ1′(b)) Σ y_j σ2(Vx_j)ᵀ
    F = net.inner(X)
    c = net.a_ * net.sigma1.grad(net.b0_)
    grad = -(2.0 / (X.shape[0] * net.m1)) * (c[:, None] * (y @ F)[None, :])
    assert to_scalar(xp.max(xp.abs(W - (-eta1 * grad)))) < 1e-12
    # every neuron sees the same feature: W σ2(Vx) = η̄ c φ̂(x)
    eta_bar = 2 * eta1 * net.m2 / net.m1
    pre = F[:5, :] @ W.T
    phi = net.learned_feature(X[:5, :])
    assert to_scalar(xp.max(xp.abs(pre - eta_bar * phi[:, None] * c[None, :]))) < 1e-10


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_chunked_equals_unchunked(xp, chunk):
    _, f, net, X, y = _setup(xp, chunk=10**6)
    g_full = net.stage1((X, y)).g_
    net2 = ThreeLayerNetwork(8, 32, chunk=chunk).init(Generator(0, xp=xp).child("init"), 6)
    g_chunk = net2.stage1((X, y)).g_
    assert to_scalar(xp.max(xp.abs(g_full - g_chunk))) < 1e-12
    gs = net2.stage1_prefixes((X, y), [50, 200])
    assert to_scalar(xp.max(xp.abs(gs[1] - g_full))) < 1e-12
    g50 = net.stage1((X[:50, :], y[:50])).g_
    assert to_scalar(xp.max(xp.abs(gs[0] - g50))) < 1e-12


def test_same_seed_same_result():
    rng = Generator(5)
    f = QuadraticFeature.random(rng.child("A"), 6, "relu")
    kw = dict(n=256, m1=16, m2=64, n_val=128, n_test=128)
    a = run_layerwise(f, Generator(5).child("run"), **kw)
    b = run_layerwise(f, Generator(5).child("run"), **kw)
    assert (a.test_mse, a.corr, a.slope, a.lam) == (b.test_mse, b.corr, b.slope, b.lam)


def test_stage2_beats_constant_and_predict_shapes(xp):
    rng = Generator(1, xp=xp)
    f = SingleIndex.random(rng.child("b"), 5, "tanh")
    r = run_layerwise(f, rng, n=2000, m1=32, m2=128, n_val=500, n_test=500, slopes=(1.0, 4.0))
    assert r.test_nmse < 0.3 and r.corr > 0.8


@settings(max_examples=5)
@given(seed=st.integers(0, 2**31 - 1))
def test_correlation_grows_with_n_on_random_targets(seed):
    rng = Generator(seed)
    f = QuadraticFeature.random(rng.child("A"), 8, "relu")
    cs = feature_learning_curve(f, rng.child("run"), [32, 4096], m2=512, sigma2=CENTRED_ABS, n_test=1024)
    assert cs[1] > cs[0]


def test_pearson():
    import array_api_strict as xp

    a = xp.asarray([1.0, 2.0, 3.0])
    assert pearson(a, 2 * a + 1) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="constant"):  # undefined, not silently 0
        pearson(a, xp.ones_like(a))
    with pytest.raises(ValueError, match="NaN"):
        pearson(xp.asarray([1.0, math.nan, 3.0]), a)


def test_baselines_fit(xp):
    rng = Generator(2, xp=xp)
    f = SingleIndex.random(rng.child("b"), 4, "relu")
    tr, va, te = f.sample(rng.child("tr"), 600), f.sample(rng.child("va"), 200), f.sample(rng.child("te"), 200)
    assert RandomFeaturesRidge(128).fit_validated(rng.child("rf"), tr, va).mse(te) < 0.05
    assert ReluKernelRidge().fit_validated(tr, va).mse(te) < 0.05


@pytest.mark.parametrize("bad, exc", [(0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError),
                                      ("8", TypeError)])
def test_bad_widths(bad, exc):
    # one policy (featlearn.validation): a wrong type is a TypeError, a wrong value a ValueError
    with pytest.raises(exc, match="m1"):
        ThreeLayerNetwork(bad, 8)
    with pytest.raises(exc, match="m2"):
        ThreeLayerNetwork(4, bad)


def test_bad_inputs():
    rng = Generator(0)
    f = QuadraticFeature.random(rng.child("A"), 4, "relu")
    with pytest.raises(ValueError, match="m1"):
        ThreeLayerNetwork(3, 8)  # odd: no symmetric pairs
    net = ThreeLayerNetwork(4, 8)
    with pytest.raises(ValueError, match="stage1"):
        net.stage1(f.sample(rng, 10))  # before init
    with pytest.raises(ValueError, match="d"):
        net.init(rng, 0)
    net.init(rng, 4)
    X, y = f.sample(rng, 10)
    with pytest.raises(ValueError, match="d = 3 does not match"):
        net.stage1((X[:, :3], y))  # mismatched d
    with pytest.raises(ValueError, match="y"):
        net.stage1((X, y[:5]))
    with pytest.raises(TypeError, match="data"):
        net.stage1(X)
    with pytest.raises(ValueError, match="n"):
        run_layerwise(f, rng, n=0, m1=4, m2=8)
    with pytest.raises(ValueError, match="target"):
        feature_learning_curve(SparseParity(4, [0, 1]), rng, [8], m2=8)
    with pytest.raises(ValueError, match="A"):
        QuadraticFeature("relu", [[1.0, 2.0], [0.0, 1.0]])   # not symmetric
    with pytest.raises(ValueError, match="A"):
        QuadraticFeature("relu", [[0.0, 0.0], [0.0, 0.0]])   # zero
    with pytest.raises(TypeError, match="rng"):
        TargetStream(f, 10, 3)


def test_stream_memory_independent_of_chunk():
    rng = Generator(0)
    f = Hierarchical("relu", lambda x: x[:, 0], 3)
    s = TargetStream(f, 100, rng, block=32)
    X, y = s.materialise().X, s.materialise().y
    assert X.shape == (100, 3) and math.isfinite(float(y.sum()))


def test_nan_data_rejected_with_argument_name():
    import numpy as np

    rng = Generator(0)
    f = QuadraticFeature.random(rng.child("A"), 4, "relu")
    X, y = f.sample(rng.child("D"), 50)
    Xn, yn = np.array(X, copy=True), np.array(y, copy=True)
    yn[3] = np.nan
    Xn[5, 1] = np.nan
    net = ThreeLayerNetwork(4, 8).init(rng.child("init"), 4)
    with pytest.raises(ValueError, match=r"^data\.y"):
        net.stage1((X, yn))
    with pytest.raises(ValueError, match=r"^data\.X"):
        net.stage1((Xn, y))
    with pytest.raises(ValueError, match=r"^data\.y"):
        net.stage1_prefixes((X, yn), [10, 50])
    val = f.sample(rng.child("V"), 20)
    with pytest.raises(ValueError, match="^train"):
        RandomFeaturesRidge(16).fit_validated(rng.child("rf"), (X, yn), val)
    with pytest.raises(ValueError, match="^train"):
        RandomFeaturesRidge(16).fit_validated(rng.child("rf"), (Xn, y), val)
    with pytest.raises(ValueError, match="^train"):
        ReluKernelRidge().fit_validated((X, yn), val)


def test_bad_grids_and_degenerate_targets():
    rng = Generator(0)
    f = QuadraticFeature.random(rng.child("A"), 4, "relu")
    tr, va = f.sample(rng.child("tr"), 40), f.sample(rng.child("va"), 20)
    with pytest.raises(ValueError, match="slopes"):
        run_layerwise(f, rng, n=32, m1=4, m2=8, slopes=())
    with pytest.raises(ValueError, match="lambdas"):
        run_layerwise(f, rng, n=32, m1=4, m2=8, lambdas=())
    with pytest.raises(ValueError, match="ns"):
        feature_learning_curve(f, rng, [], m2=8)
    for bad in ([0.0], [-1.0], []):
        with pytest.raises(ValueError, match="lambdas"):
            ReluKernelRidge().fit_validated(tr, va, lambdas=bad)
        with pytest.raises(ValueError, match="lambdas"):
            RandomFeaturesRidge(8).fit_validated(rng.child("rf"), tr, va, lambdas=bad)
    with pytest.raises(ValueError, match="bias_scale"):
        ThreeLayerNetwork(4, 8, bias_scale=0.0)  # the check is "positive", as its name says
    const = Hierarchical(lambda z: 0.0 * z + 1.0, lambda x: x[:, 0], 3)
    with pytest.raises(ValueError, match="target"):
        run_layerwise(const, rng, n=32, m1=4, m2=8, n_val=16, n_test=16)


def test_random_features_one_pass_equals_centred_fit():
    """The one-pass centring of RandomFeaturesRidge equals a fit on explicitly centred labels."""
    import numpy as np

    rng = Generator(3)
    f = SingleIndex.random(rng.child("b"), 5, "relu")
    tr, va = f.sample(rng.child("tr"), 300), f.sample(rng.child("va"), 100)
    rf = RandomFeaturesRidge(32).fit_validated(rng.child("rf"), tr, va)
    ybar = float(np.mean(tr[1]))
    rf2 = RandomFeaturesRidge(32).fit_validated(rng.child("rf"), (tr[0], tr[1] - ybar), (va[0], va[1] - ybar))
    assert rf.lam_ == pytest.approx(rf2.lam_)
    assert float(np.max(np.abs(np.asarray(rf.coef_) - np.asarray(rf2.coef_)))) < 1e-8


def test_stage2_by_gradient_descent_matches_ridge_when_converged():
    # Algorithm 1's stage 2 is GD with weight decay; run long enough it is the ridge solution,
    # so the two solvers choose the same (slope, λ) and predict alike on the same data
    f = SingleIndex.random(Generator(2).child("b"), 5, "tanh")
    kw = dict(n=600, m1=16, m2=64, n_val=300, n_test=300, slopes=(1.0, 4.0), lambdas=(1e-2, 1e-1))
    ridge = run_layerwise(f, Generator(2).child("run"), **kw)
    gd = run_layerwise(f, Generator(2).child("run"), stage2_solver="gd", gd_steps=200000, **kw)
    assert (gd.slope, gd.lam) == (ridge.slope, ridge.lam)
    assert abs(gd.test_mse - ridge.test_mse) <= 1e-6 * (1.0 + ridge.test_mse)
    short = run_layerwise(f, Generator(2).child("run"), stage2_solver="gd", gd_steps=1, **kw)
    assert short.val_mse > ridge.val_mse  # one step from a = 0 is far from the minimiser
    with pytest.raises(ValueError, match="solver"):
        run_layerwise(f, Generator(2).child("run"), stage2_solver="adam", **kw)


# -- the abs_form fast paths equal the dense computation ------------------------------------------------------
def _dense(act):
    """The same activation without its abs_form: forces the generic (dense) code paths."""
    from featlearn.theory.activations import Activation, as_activation

    a = as_activation(act)
    return Activation(a.name + "-dense", a.fn, a.derivative)


@pytest.mark.parametrize("sigma2", ["relu", CENTRED_ABS])
def test_abs_form_stage1_and_learned_feature_equal_dense(xp, sigma2):
    # σ2 = αz + β|z| + γ: the sums use |XVᵀ| and products with X; same numbers as σ2(XVᵀ) formed densely
    _, f, fast, X, y = _setup(xp, m2=64, sigma2=sigma2, chunk=37)
    _, _, dense, _, _ = _setup(xp, m2=64, sigma2=_dense(sigma2), chunk=37)
    fast.stage1((X, y))
    dense.stage1((X, y))
    assert to_scalar(xp.max(xp.abs(fast.g_ - dense.g_))) <= 1e-12 * to_scalar(xp.max(xp.abs(dense.g_)))
    Xe, _ = f.sample(Generator(5, xp=xp), 50)
    a, b = fast.learned_feature(Xe), dense.learned_feature(Xe)
    assert to_scalar(xp.max(xp.abs(a - b))) <= 1e-12 * to_scalar(xp.max(xp.abs(b)))


@pytest.mark.parametrize("slope", [0.25, 1.0, 8.0])
def test_piecewise_stage2_statistics_equal_dense_gram(xp, slope):
    # the O(n log n + m1³) segment sums give the same FᵀF, Fᵀy, yᵀy as the O(n·m1²) Gram product
    _, f, net, X, y = _setup(xp, m1=40, m2=64, chunk=29)
    net.stage1((X, y))
    X2, y2 = f.sample(Generator(3, xp=xp), 300)
    phi = net.learned_feature(X2)
    center, scale = to_scalar(xp.mean(phi)), to_scalar(xp.std(phi))
    fast = net._stats_piecewise(phi, y2, slope, center, scale, 0.3)
    net.sigma1 = _dense("relu")
    dense = net._stats(phi, y2, slope, center, scale, 0.3)
    for got, want in ((fast.FtF, dense.FtF), (fast.Fty, dense.Fty), (fast.yty, dense.yty)):
        assert to_scalar(xp.max(xp.abs(got - want))) <= 1e-10 * max(to_scalar(xp.max(xp.abs(want))), 1e-300)
    assert fast.n == dense.n
