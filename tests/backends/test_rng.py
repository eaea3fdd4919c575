"""featlearn.backends.Generator: reproducibility, host mode across backends, child streams, moments, errors.

Moment tolerances are 5 standard errors of the estimate, with the standard error from
the known law (not from the sample): P(|N(0,1)| > 5) ≈ 6e-7 per check, so a correct
generator essentially never fails, while a wrong scale or location by ~5/sqrt(n) does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, default_rng, to_host, to_scalar
from helpers import assert_close, assert_equal

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
#: the xp fixture is a stateless namespace, safe to share across Hypothesis examples
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=10)
Z = 5.0  # standard errors allowed (see module docstring)
HOST_BACKENDS = ["numpy", "array_api_strict", "torch"]


def _usable_host_backends() -> list[str]:
    from featlearn.backends import available_backends

    ok = {b.name for b in available_backends() if b.usable}
    return [b for b in HOST_BACKENDS if b in ok]


def _host(a):
    return to_host(a).astype(np.float64)


# -- reproducibility -------------------------------------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS)
def test_same_seed_same_numbers(backend, seed):
    a, b = Generator(seed, xp=backend), Generator(seed, xp=backend)
    for draw in (lambda g: g.normal((4, 3)), lambda g: g.uniform(5), lambda g: g.rademacher(6),
                 lambda g: g.sphere(3, 4), lambda g: g.integers(0, 10, (7,))):
        assert_equal(to_host(draw(a)), to_host(draw(b)))


def test_different_seeds_differ(backend):
    a, b = Generator(0, xp=backend).normal(16), Generator(1, xp=backend).normal(16)
    assert not np.array_equal(to_host(a), to_host(b))


@given(seed=SEEDS)
@settings(max_examples=10)
def test_host_mode_identical_across_backends(seed):
    ref = Generator(seed, xp="numpy", mode="host")
    ref_draws = [_host(ref.normal((5, 3))), _host(ref.uniform(4)), _host(ref.sphere(2, 3))]
    for backend in _usable_host_backends()[1:]:  # torch is optional: compared where installed
        g = Generator(seed, xp=backend, mode="host")
        draws = [_host(g.normal((5, 3))), _host(g.uniform(4)), _host(g.sphere(2, 3))]
        # raw draws come from the same host PCG64 stream: bit-identical float64
        assert_equal(ref_draws[0], draws[0])
        assert_equal(ref_draws[1], draws[1])
        # the sphere normalises on the backend, whose norm may round differently by an ulp
        assert_close(ref_draws[2], draws[2], rtol=0, atol=4e-16)


def test_with_namespace_keeps_the_stream():
    g = Generator(11, xp="numpy").child("x")
    h = g.with_namespace("array_api_strict")
    assert_equal(_host(g.normal(8)), _host(h.normal(8)))


def test_native_mode_is_reproducible_per_backend():
    pytest.importorskip("torch")
    a = Generator(5, xp="torch", mode="native")
    b = Generator(5, xp="torch", mode="native")
    assert a.mode == "native"
    assert_equal(to_host(a.normal((3, 2))), to_host(b.normal((3, 2))))
    # NumPy has no other generator than the host one: native falls back to host
    assert Generator(5, xp="numpy", mode="native").mode == "host"


# -- child streams ---------------------------------------------------------------------------------------
@given(seed=SEEDS)
@settings(max_examples=10)
def test_child_does_not_depend_on_parent_draws(seed):
    g = Generator(seed)
    first = _host(g.child("data").normal(6))
    g.normal(1000)  # the parent draws in between
    g.uniform(3)
    again = _host(g.child("data").normal(6))
    assert_equal(first, again)


def test_children_differ_by_key_and_from_parent():
    g = Generator(3)
    a, b, c = (_host(x) for x in (g.child("a").normal(32), g.child("b").normal(32), g.child(7).normal(32)))
    p = _host(Generator(3).normal(32))
    for u, v in ((a, b), (a, c), (b, c), (a, p)):
        assert not np.array_equal(u, v)
    # nested keys are a path: child("a", "b") differs from child("a")
    assert not np.array_equal(_host(g.child("a", "b").normal(8)), a[:8])


def test_child_streams_are_uncorrelated():
    # two child streams of n = 2^16 normals: the sample correlation is ~N(0, 1/n), so
    # |corr| < 5/sqrt(n) ≈ 0.02 unless the streams are related
    n = 2**16
    g = Generator(42)
    a, b = _host(g.child("a").normal(n)), _host(g.child("b").normal(n))
    assert abs(np.corrcoef(a, b)[0, 1]) < Z / math.sqrt(n)


# -- moments ---------------------------------------------------------------------------------------------
N_MOM = 2**16


@FIXTURE_OK
@given(seed=SEEDS)
def test_normal_moments(xp, backend, seed):
    x = Generator(seed, xp=backend).normal(N_MOM, mean=1.5, std=2.0)
    m = to_scalar(xp.mean(x))
    v = to_scalar(xp.var(x))
    # s.e. of the mean: std/sqrt(n) = 2/256; of the variance: std² sqrt(2/n) (Gaussian 4th moment)
    assert abs(m - 1.5) < Z * 2.0 / math.sqrt(N_MOM)
    assert abs(v - 4.0) < Z * 4.0 * math.sqrt(2.0 / N_MOM)


@FIXTURE_OK
@given(seed=SEEDS)
def test_uniform_moments_and_range(xp, backend, seed):
    u = Generator(seed, xp=backend).uniform(N_MOM, low=-1.0, high=3.0)
    assert bool(xp.all(u >= -1.0)) and bool(xp.all(u < 3.0))
    # Uniform[-1, 3): mean 1, variance 16/12; s.e. of the mean sqrt(16/12/n), of the variance
    # sqrt((μ4 − σ⁴)/n) with μ4 = 4⁴/80 for a uniform of width 4
    var = 16.0 / 12.0
    assert abs(to_scalar(xp.mean(u)) - 1.0) < Z * math.sqrt(var / N_MOM)
    assert abs(to_scalar(xp.var(u)) - var) < Z * math.sqrt((4.0**4 / 80.0 - var**2) / N_MOM)


@FIXTURE_OK
@given(seed=SEEDS)
def test_rademacher_values_and_balance(xp, backend, seed):
    s = Generator(seed, xp=backend).rademacher(N_MOM)
    assert bool(xp.all((s == 1.0) | (s == -1.0)))
    # the mean of n fair signs has s.e. 1/sqrt(n)
    assert abs(to_scalar(xp.mean(s))) < Z / math.sqrt(N_MOM)


@FIXTURE_OK
@given(seed=SEEDS, d=st.integers(2, 12))
def test_sphere_norms_and_second_moment(xp, backend, seed, d):
    n = 2**14
    r = 3.0
    x = Generator(seed, xp=backend).sphere(n, d, radius=r)
    norms = _host(xp.linalg.vector_norm(x, axis=1))
    assert_close(norms, r, rtol=1e-12)  # float64 rounding only
    # E[x_i²] = r²/d; per coordinate Var[x_i²] = r⁴ (3/(d(d+2)) − 1/d²); we average n·d coordinates
    # treated as independent (they are negatively correlated, which only shrinks the true s.e.)
    m2 = to_scalar(xp.mean(x * x))
    var = r**4 * (3.0 / (d * (d + 2)) - 1.0 / d**2)
    # ||x||² = r² exactly, so the coordinate mean of x² is r²/d up to rounding whatever the draw
    assert abs(m2 - r**2 / d) < 1e-12
    # the first coordinate alone is a genuine Monte-Carlo check of the 2nd moment
    m2_first = to_scalar(xp.mean(x[:, 0] ** 2))
    assert abs(m2_first - r**2 / d) < Z * math.sqrt(var / n)
    # directions are centred: mean of x_1 has s.e. sqrt(r²/d / n)
    assert abs(to_scalar(xp.mean(x[:, 0]))) < Z * math.sqrt(r**2 / d / n)


def test_integers_range_and_dtype(xp, backend):
    k = Generator(0, xp=backend).integers(3, 7, (1000,))
    assert k.dtype == xp.int64
    h = to_host(k)
    assert h.min() >= 3 and h.max() <= 6
    assert set(h.tolist()) == {3, 4, 5, 6}  # 1000 draws miss a value with probability 4·(3/4)^1000


# -- dtypes ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_dtypes(xp, backend, dtype):
    g = Generator(0, xp=backend)
    want = getattr(xp, dtype)
    for a in (g.normal((2, 3), dtype=dtype), g.uniform(4, dtype=dtype), g.rademacher(4, dtype=dtype),
              g.sphere(2, 3, dtype=dtype)):
        assert a.dtype == want


def test_default_dtype_is_float64_on_cpu(xp, backend):
    assert Generator(0, xp=backend).normal(3).dtype == xp.float64


def test_float32_host_draws_are_rounded_float64_draws():
    a = to_host(Generator(9).normal(16, dtype="float32"))
    b = to_host(Generator(9).normal(16, dtype="float64"))
    assert_equal(a, b.astype(np.float32))


# -- errors ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed, exc", [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("0", TypeError),
                                       (None, TypeError)])
def test_bad_seed(seed, exc):
    with pytest.raises(exc, match="seed"):
        Generator(seed)


def test_bad_mode():
    with pytest.raises(ValueError, match="mode"):
        Generator(0, mode="gpu")


@pytest.mark.parametrize("shape, exc", [((-1, 2), ValueError), (-3, ValueError), (2.5, TypeError),
                                        ((2.5, 3), TypeError), ("12", TypeError), ((None,), TypeError)])
def test_bad_shape(shape, exc):
    with pytest.raises(exc, match="shape"):
        Generator(0).normal(shape)


def test_bad_draw_parameters():
    g = Generator(0)
    with pytest.raises(ValueError, match="std"):
        g.normal(3, std=-1.0)
    with pytest.raises(ValueError, match="high"):
        g.uniform(3, low=1.0, high=1.0)
    with pytest.raises(ValueError, match="high"):
        g.integers(5, 5, 3)
    with pytest.raises(ValueError, match="n"):
        g.sphere(-1, 3)
    with pytest.raises(ValueError, match="d"):
        g.sphere(3, 0)
    with pytest.raises(ValueError, match="radius"):
        g.sphere(3, 2, radius=0.0)
    with pytest.raises(ValueError, match="dtype"):
        g.normal(3, dtype="int32")


def test_bad_child_keys():
    g = Generator(0)
    with pytest.raises(ValueError, match="keys"):
        g.child()
    with pytest.raises(ValueError, match="key"):
        g.child(-1)
    with pytest.raises(TypeError, match="key"):
        g.child(1.5)


def test_default_rng_is_a_generator():
    assert_equal(to_host(default_rng(4).normal(5)), to_host(Generator(4).normal(5)))
