"""featlearn.theory.distributions: shapes, dtypes, laws (moments within standard errors), validation.

Monte-Carlo tolerances are Z = 5 standard errors of the estimate, with the standard error
from the known law (P(|N(0,1)| > 5) ≈ 6e-7 per check).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.theory.distributions import (
    GaussianInput,
    GaussianMixtureInput,
    HypercubeInput,
    InputDistribution,
    RadialInput,
    SphereInput,
    lomax_radius,
    uniform_radius,
)
from helpers import assert_close, assert_equal

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=8)
Z = 5.0
N = 2**14


def _all(d):
    return [GaussianInput(d), SphereInput(d), SphereInput(d, radius=0.5), HypercubeInput(d),
            RadialInput(d, uniform_radius(0.0, 2.0)), RadialInput(d, lomax_radius(1.0))]


# -- shapes, dtypes, reproducibility ---------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [None, "float32", "float64"])
def test_shapes_and_dtypes(xp, backend, dtype):
    rng = Generator(0, xp=backend)
    want = xp.float64 if dtype is None else getattr(xp, dtype)
    for dist in _all(3):
        assert isinstance(dist, InputDistribution)
        for n in (0, 1, 7):
            x = dist.sample(rng, n, dtype=dtype)
            assert tuple(x.shape) == (n, 3), dist
            assert x.dtype == want, dist


def test_samples_are_reproducible(backend):
    for dist in _all(4):
        a = dist.sample(Generator(3, xp=backend), 5)
        b = dist.sample(Generator(3, xp=backend), 5)
        assert_equal(to_host(a), to_host(b))


# -- laws ------------------------------------------------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS, d=st.integers(1, 6))
def test_gaussian_covariance_is_identity(xp, backend, seed, d):
    x = to_host(GaussianInput(d).sample(Generator(seed, xp=backend), N))
    c = x.T @ x / N
    # entries of the empirical second-moment matrix: s.e. sqrt(2/n) on the diagonal, sqrt(1/n) off it
    se = np.where(np.eye(d, dtype=bool), math.sqrt(2.0 / N), math.sqrt(1.0 / N))
    assert np.all(np.abs(c - np.eye(d)) < Z * se)
    assert np.all(np.abs(x.mean(axis=0)) < Z / math.sqrt(N))


@FIXTURE_OK
@given(seed=SEEDS, d=st.integers(2, 10))
def test_sphere_has_radius_sqrt_d_and_identity_covariance(xp, backend, seed, d):
    x = to_host(SphereInput(d).sample(Generator(seed, xp=backend), N))
    assert_close(np.linalg.norm(x, axis=1), math.sqrt(d), rtol=1e-12)  # rounding only
    # E x xᵀ = I; Var[x_1²] = 3d/(d+2) − 1 (sphere of radius √d), Var[x_1 x_2] = d/(d+2)
    c = x.T @ x / N
    se = np.where(np.eye(d, dtype=bool), math.sqrt((3 * d / (d + 2) - 1) / N), math.sqrt(d / (d + 2) / N))
    assert np.all(np.abs(c - np.eye(d)) < Z * se)


def test_sphere_custom_radius(xp, backend):
    x = SphereInput(5, radius=0.25).sample(Generator(1, xp=backend), 100)
    assert_close(to_host(xp.linalg.vector_norm(x, axis=1)), 0.25, rtol=1e-12)


@FIXTURE_OK
@given(seed=SEEDS)
def test_hypercube_values_and_balance(xp, backend, seed):
    d = 5
    x = HypercubeInput(d).sample(Generator(seed, xp=backend), N)
    assert bool(xp.all(xp.abs(x) == 1.0))
    h = to_host(x)
    # coordinate means: s.e. 1/sqrt(n); pairwise products (independence): s.e. 1/sqrt(n)
    assert np.all(np.abs(h.mean(axis=0)) < Z / math.sqrt(N))
    off = (h.T @ h / N)[~np.eye(d, dtype=bool)]
    assert np.all(np.abs(off) < Z / math.sqrt(N))


@FIXTURE_OK
@given(seed=SEEDS, d=st.integers(1, 6))
def test_radial_input_uniform_radius(xp, backend, seed, d):
    x = to_host(RadialInput(d, uniform_radius(1.0, 3.0)).sample(Generator(seed, xp=backend), N))
    r = np.linalg.norm(x, axis=1)
    assert r.min() >= 1.0 - 1e-12 and r.max() < 3.0 + 1e-12
    # r ~ U[1, 3): mean 2, variance 1/3
    assert abs(r.mean() - 2.0) < Z * math.sqrt((1.0 / 3.0) / N)
    # directions uniform: E[x_1 / r] = 0 with Var = 1/d
    assert abs((x[:, 0] / r).mean()) < Z * math.sqrt(1.0 / d / N)


@FIXTURE_OK
@given(seed=SEEDS, alpha=st.sampled_from([0.5, 1.0, 2.0]), scale=st.sampled_from([0.3, 1.0, 4.0]))
def test_lomax_radius_tail(xp, backend, seed, alpha, scale):
    law = lomax_radius(alpha, scale)
    r = to_host(law(Generator(seed, xp=backend), N))
    assert np.all(r >= 0) and np.all(np.isfinite(r))
    for q in (0.25, 0.5, 0.9, 0.99):
        t = law.quantile(q)
        assert t == pytest.approx(scale * ((1 - q) ** (-1 / alpha) - 1))
        assert (1 + t / scale) ** (-alpha) == pytest.approx(1 - q)  # P(r > t) at the q-quantile
        # the empirical CDF at t is a binomial proportion: s.e. sqrt(q(1−q)/n)
        assert abs(np.mean(r <= t) - q) < Z * math.sqrt(q * (1 - q) / N)


def test_lomax_radius_float32_stays_finite():
    # a float64 uniform close to 1 rounds to 1.0 in float32; the law must not return inf
    r = to_host(lomax_radius(1.0)(Generator(0), 2**16))
    assert np.all(np.isfinite(r))
    x = RadialInput(3, lomax_radius(1.0)).sample(Generator(0), 2**16, dtype="float32")
    assert np.all(np.isfinite(to_host(x)))


def test_radial_input_norms_are_the_drawn_radii(xp, backend):
    # the radius is drawn after the direction, from the same generator: replay it
    rng = Generator(8, xp=backend)
    x = RadialInput(4, uniform_radius(0.0, 5.0)).sample(rng, 50)
    ref = Generator(8, xp=backend)
    ref.sphere(50, 4)
    r = to_host(ref.uniform(50, low=0.0, high=5.0))
    assert_close(np.linalg.norm(to_host(x), axis=1), r, rtol=1e-12)


# -- Gaussian mixtures -----------------------------------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS)
def test_mixture_component_frequencies_and_means(xp, backend, seed):
    means = [[3.0, 0.0, 0.0], [0.0, -2.0, 1.0], [-1.0, 1.0, 4.0]]
    w = [0.2, 0.5, 0.3]
    mix = GaussianMixtureInput(means, std=[0.5, 1.0, 2.0], weights=w, xp=xp)
    x, comp = mix.sample_components(Generator(seed, xp=backend), N)
    x, comp = to_host(x), to_host(comp)
    assert comp.dtype == np.int64
    for j in range(3):
        sel = comp == j
        # component counts are binomial: s.e. sqrt(w(1−w)/n)
        assert abs(sel.mean() - w[j]) < Z * math.sqrt(w[j] * (1 - w[j]) / N)
        # within-component means: s.e. σ_j / sqrt(n_j)
        sj = [0.5, 1.0, 2.0][j]
        assert np.all(np.abs(x[sel].mean(axis=0) - np.asarray(means[j])) < Z * sj / math.sqrt(sel.sum()))


def test_mixture_log_densities_match_formula(xp, backend):
    means = np.array([[1.0, 2.0], [-1.0, 0.5]])
    mix = GaussianMixtureInput(xp.asarray(means), std=[0.7, 1.3], weights=[1.0, 3.0])
    x = np.array([[0.0, 0.0], [1.0, 2.0], [-3.0, 5.0]])
    got = to_host(mix.log_component_densities(xp.asarray(x)))
    want = np.empty((3, 2))
    for j, (s, w) in enumerate(zip([0.7, 1.3], [0.25, 0.75])):
        sq = ((x - means[j]) ** 2).sum(axis=1)
        want[:, j] = math.log(w) - 2 * math.log(s) - sq / (2 * s * s) - math.log(2 * math.pi)
    assert_close(got, want, rtol=1e-12, atol=1e-12)


def test_mixture_rejects_a_generator_of_another_backend():
    pytest.importorskip("torch")
    mix = GaussianMixtureInput([[0.0, 1.0]], xp="numpy")
    with pytest.raises(TypeError, match="rng"):
        mix.sample(Generator(0, xp="torch"), 3)


@pytest.mark.parametrize("kwargs, exc, name", [
    (dict(means=[1.0, 2.0]), ValueError, "means"),
    (dict(means=[[1.0, float("nan")]]), ValueError, "means"),
    (dict(means=[[0.0, 1.0]], std=0.0), ValueError, "std"),
    (dict(means=[[0.0, 1.0]], std=[1.0, 2.0]), ValueError, "std"),
    (dict(means=[[0.0], [1.0]], weights=[1.0]), ValueError, "weights"),
    (dict(means=[[0.0], [1.0]], weights=[1.0, -1.0]), ValueError, "weights"),
    (dict(means="abc"), TypeError, "means"),
])
def test_mixture_validation(kwargs, exc, name):
    with pytest.raises(exc, match=name):
        GaussianMixtureInput(**kwargs)


# -- validation ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("d, exc", [(0, ValueError), (-2, ValueError), (2.5, TypeError), (True, TypeError),
                                    ("3", TypeError)])
def test_bad_dimension(d, exc):
    for cls in (GaussianInput, SphereInput, HypercubeInput):
        with pytest.raises(exc, match="d"):
            cls(d)
    with pytest.raises(exc, match="d"):
        RadialInput(d, uniform_radius())


def test_numpy_integer_dimension_is_accepted():
    assert GaussianInput(np.int64(3)).d == 3 and isinstance(GaussianInput(np.int64(3)).d, int)


@pytest.mark.parametrize("n, exc", [(-1, ValueError), (1.5, TypeError), (None, TypeError)])
def test_bad_sample_size(n, exc):
    for dist in _all(2):
        with pytest.raises(exc, match="n"):
            dist.sample(Generator(0), n)


@pytest.mark.parametrize("radius", [0.0, -1.0, float("inf"), float("nan")])
def test_bad_radius(radius):
    with pytest.raises(ValueError, match="radius"):
        SphereInput(3, radius=radius)


def test_bad_rng():
    with pytest.raises(TypeError, match="rng"):
        GaussianInput(2).sample(np.random.default_rng(0), 3)


def test_bad_radius_laws():
    with pytest.raises(TypeError, match="radius_law"):
        RadialInput(2, 3.0)
    with pytest.raises(ValueError, match="radius_law.*shape"):
        RadialInput(2, lambda rng, n: rng.uniform(n + 1)).sample(Generator(0), 4)
    with pytest.raises(ValueError, match="radius_law.*negative"):
        RadialInput(2, lambda rng, n: rng.uniform(n, low=-2.0, high=-1.0)).sample(Generator(0), 4)
    with pytest.raises(TypeError, match="radius_law"):
        RadialInput(2, lambda rng, n: [1.0] * n).sample(Generator(0), 4)
    with pytest.raises(ValueError, match="alpha"):
        lomax_radius(alpha=0.0)
    with pytest.raises(ValueError, match="high"):
        uniform_radius(2.0, 1.0)
    with pytest.raises(ValueError, match="low"):
        uniform_radius(-1.0, 1.0)


def test_radius_law_of_another_backend_is_rejected():
    pytest.importorskip("torch")

    def torch_law(rng, n):
        return Generator(0, xp="torch").uniform(n)

    with pytest.raises(TypeError, match="radius_law"):
        RadialInput(2, torch_law).sample(Generator(0), 3)
