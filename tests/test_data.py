"""The one data layer (featlearn.data), and results that do not depend on the chunk size, model by model."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator, to_host
from featlearn.data import (DEFAULT_BLOCK, ArrayStream, TargetStream, as_stream, chunk_bounds, iter_batches, pearson, streamed_mean,
                            streamed_mse)
from featlearn.papers.ndl23.baselines import RandomFeaturesRidge
from featlearn.models.one_step import alpha_sweep
from featlearn.papers.mlhd23.spectral import spike_sweep
from featlearn.papers.ndl23.three_layer import run_layerwise
from featlearn.theory.targets import QuadraticFeature, SingleIndex
from helpers import assert_close, assert_equal

CHUNKS = (37, 4096)  # a chunk that splits every block oddly, and one larger than the data


def _target(xp, d=8):
    return SingleIndex.random(Generator(0, xp=xp).child("beta"), d, "tanh_softplus")


def test_target_stream_data_do_not_depend_on_the_chunk(xp):
    s = TargetStream(_target(xp), 100, Generator(1, xp=xp), noise_std=0.1, block=32)
    parts = {c: list(iter_batches(s, chunk=c)) for c in (1, 7, 32, 1000)}
    ref = s.materialise()
    for c, batches in parts.items():
        assert all(int(b.X.shape[0]) <= c for b in batches)
        X = np.concatenate([to_host(b.X) for b in batches])
        y = np.concatenate([to_host(b.y) for b in batches])
        assert_equal(X, to_host(ref.X))
        assert_equal(y, to_host(ref.y))
    # replayable: a second pass gives the same data
    assert_equal(to_host(next(iter(s)).X), to_host(next(iter(s)).X))


def test_one_step_alpha_sweep_does_not_depend_on_the_chunk():
    # the former one-step stream keyed its random blocks by the training chunk: chunk=4096 and
    # chunk=64 gave different test errors (0.2235 vs 0.2109). The data layer keys blocks by index.
    target = _target("numpy", 16)
    res = {c: alpha_sweep(target, Generator(3).child("sweep"), n=600, width=32, alphas=[0.0, 0.3], n_val=200,
                          n_test=400, noise_std=0.1, chunk=c, no_step=True) for c in (64, 4096)}
    for a, b in zip(res[64], res[4096]):
        assert a["lambda"] == b["lambda"]
        assert a["test_error"] == pytest.approx(b["test_error"], rel=1e-9)
        assert a["train_error"] == pytest.approx(b["train_error"], rel=1e-9)


def test_spike_sweep_does_not_depend_on_the_chunk():
    target = _target("numpy", 20)
    res = {c: spike_sweep(target, Generator(4).child("s"), n=300, width=20, alphas=[0.3], chunk=c, top=3)
           for c in CHUNKS}
    a, b = res[CHUNKS[0]], res[CHUNKS[1]]
    assert a.edge == pytest.approx(b.edge, rel=1e-9)
    assert a.singular_values[0] == pytest.approx(b.singular_values[0], rel=1e-9)
    assert a.b_norm == pytest.approx(b.b_norm, rel=1e-9)


def test_three_layer_run_does_not_depend_on_the_chunk():
    f = QuadraticFeature.random(Generator(0).child("A"), 6, "relu")
    res = {c: run_layerwise(f, Generator(5).child("run"), n=300, m1=8, m2=64, n_val=100, n_test=200, chunk=c)
           for c in CHUNKS}
    a, b = res[CHUNKS[0]], res[CHUNKS[1]]
    assert a.slope == b.slope and a.lam == pytest.approx(b.lam, rel=1e-12)
    assert a.test_mse == pytest.approx(b.test_mse, rel=1e-8)
    assert a.corr == pytest.approx(b.corr, rel=1e-9)


def test_random_features_baseline_does_not_depend_on_the_chunk():
    f = QuadraticFeature.random(Generator(0).child("A"), 6, "relu")
    tr = TargetStream(f, 300, Generator(6).child("tr"))
    va = TargetStream(f, 100, Generator(6).child("va"))
    te = TargetStream(f, 200, Generator(6).child("te"))
    m = {c: RandomFeaturesRidge(32, chunk=c).fit(Generator(7), tr, va) for c in CHUNKS}
    assert m[CHUNKS[0]].lam_ == pytest.approx(m[CHUNKS[1]].lam_, rel=1e-12)
    assert_close(m[CHUNKS[0]].coef_, m[CHUNKS[1]].coef_, rtol=1e-7)  # ridge amplifies rounding by 1/λ_min
    assert m[CHUNKS[0]].mse(te) == pytest.approx(m[CHUNKS[1]].mse(te), rel=1e-8)


def test_streamed_mean_and_mse_have_standard_errors(xp):
    X = xp.reshape(xp.arange(20, dtype=xp.float64), (10, 2))
    y = xp.arange(10, dtype=xp.float64)
    est = streamed_mse(lambda Z: Z[:, 0] * 0.0, (X, y), chunk=3)
    host = to_host(y) ** 2
    assert est.mean == pytest.approx(host.mean()) and est.n == 10
    assert est.std_error == pytest.approx(host.std(ddof=1) / math.sqrt(10))
    with pytest.raises(ValueError, match="not finite"):
        streamed_mean(lambda b: b.y * math.nan, (X, y))


def test_non_finite_check_deferred_on_gpu(monkeypatch):
    # on a GPU the finiteness flags are accumulated on the device and checked when the pass ends
    import featlearn.data as data

    monkeypatch.setattr(data, "on_gpu", lambda xp, device=None: True)
    X = np.ones((10, 3))
    X[7, 1] = np.nan
    s = ArrayStream(np.ones((10, 3)), np.zeros(10))
    s.X = X  # bypass the eager check of ArrayStream
    seen = []
    with pytest.raises(ValueError, match="NaN"):
        for b in iter_batches(s, chunk=4):
            seen.append(int(b.X.shape[0]))
    assert seen == [4, 4, 2]  # every chunk was served before the single check


@pytest.mark.parametrize("bad, exc, match", [
    ("not data", TypeError, "data"),
    ((np.ones((4, 2)), np.ones(3)), ValueError, "rows"),
    ((np.ones(4), np.ones(4)), ValueError, "2-D"),
    ((np.ones((4, 2)) + 1j, np.ones(4)), TypeError, "complex"),
    ((np.ones((4, 2), dtype=bool), np.ones(4)), TypeError, "boolean"),
    ((np.full((4, 2), np.inf), np.ones(4)), ValueError, "NaN or inf"),
])
def test_as_stream_rejects_bad_data(bad, exc, match):
    with pytest.raises(exc, match=match):
        as_stream(bad)


def test_integer_data_become_float_and_chunk_bounds_validate():
    s = as_stream((np.arange(6).reshape(3, 2), np.arange(3)))
    assert s.X.dtype == np.float64 and s.y.dtype == np.float64
    assert list(chunk_bounds(5, 2)) == [(0, 2), (2, 4), (4, 5)]
    with pytest.raises(TypeError, match="chunk"):
        list(chunk_bounds(5, 2.0))
    with pytest.raises(ValueError, match="chunk"):
        list(chunk_bounds(5, 0))


def test_pearson_refuses_undefined_correlations():
    a = np.array([1.0, 2.0, 3.0])
    assert pearson(a, -a) == pytest.approx(-1.0)
    with pytest.raises(ValueError, match="constant"):
        pearson(a, np.ones(3))


def test_streams_and_one_step_statistics_in_float32_and_float64(xp_dtype):
    # the dtype axis: the same streamed statistics in float32 (the GPU default) and float64, against
    # an unchunked float64 reference, with the tolerance of the working dtype (helpers.tolerance)
    from featlearn.models.one_step import feature_stats, one_step_gradient
    from featlearn.models.two_layer import init_network

    xp, dtype = xp_dtype
    target = SingleIndex.random(Generator(0, xp=xp).child("beta"), 6, "tanh_softplus")
    stream = TargetStream(target, 300, Generator(2, xp=xp), noise_std=0.1, block=64, dtype=dtype)
    net = init_network(Generator(3, xp=xp), 6, 10, dtype=dtype)
    g = one_step_gradient(net, stream, chunk=37)
    assert g.G.dtype == dtype
    ref_net = init_network(Generator(3, xp=xp), 6, 10, dtype=xp.float64)
    ref_stream = TargetStream(target, 300, Generator(2, xp=xp), noise_std=0.1, block=64, dtype=xp.float64)
    whole = ref_stream.materialise()
    ref = one_step_gradient(ref_net, (whole.X, whole.y))  # unchunked, float64
    rtol = 1e-4 if dtype == xp.float32 else 1e-10  # float32: ~300 summands of O(1) terms, eps 1.2e-7
    assert_close(g.G, ref.G, rtol=rtol)
    ((st_, _),) = feature_stats(net, stream, chunk=37)
    # the features in the working dtype, their ridge statistics summed in float64 (featlearn.models.ridge)
    assert st_.working_dtype == dtype and st_.FtF.dtype == xp.float64 and st_.n == 300


# -- one way to draw data ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("n", [0, 1, 7, DEFAULT_BLOCK + 3])
@pytest.mark.parametrize("noise_std", [0.0, 0.5])
def test_sample_equals_materialised_stream(n, noise_std):
    # target.sample(rng, n) and TargetStream(target, n, rng).materialise() are the same data, and
    # leave the generator in the same state (so swapping one for the other moves no later draw)
    from featlearn.papers.swl23.structured_parity import StructuredParity  # labels come with the draw
    from featlearn.theory.targets import GaussianMixture, SingleIndex

    targets = [SingleIndex.random(Generator(0), 3, "tanh"), GaussianMixture.xor(4, 2.0), StructuredParity(6, 2)]
    for t in targets:
        a, b = Generator(3), Generator(3)
        X, y = t.sample(a, n, noise_std=noise_std)
        if n:
            batch = TargetStream(t, n, b, noise_std=noise_std).materialise()
            assert_equal(np.asarray(X), np.asarray(batch.X))
            assert_equal(np.asarray(y), np.asarray(batch.y))
        else:
            b.integers(0, 2**31 - 1, ())  # the key sample() drew
            assert X.shape == (0, t.d) and y.shape == (0,)
        assert_equal(np.asarray(a.normal(3)), np.asarray(b.normal(3)))


def test_successive_samples_are_fresh():
    from featlearn.theory.targets import SingleIndex

    t = SingleIndex.random(Generator(0), 3, "tanh")
    rng = Generator(1)
    X1, _ = t.sample(rng, 5)
    X2, _ = t.sample(rng, 5)
    s1, s2 = TargetStream(t, 5, rng), TargetStream(t, 5, rng)
    assert not np.array_equal(np.asarray(X1), np.asarray(X2))
    assert not np.array_equal(np.asarray(s1.materialise().X), np.asarray(s2.materialise().X))
