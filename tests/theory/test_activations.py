"""featlearn.theory.activations: derivatives vs finite differences, name resolution, centring."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host, to_scalar
from featlearn.theory.activations import ACTIVATIONS, Activation, as_activation
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients
from helpers import assert_close, assert_equal

#: grid on [-3, 3] shifted so that no point is within 0.01 of the kink of relu at 0
GRID = np.linspace(-3.0, 3.0, 41) + 0.0371
H = 1e-5  # central-difference step


def _fd(fn, xp, z):
    return (to_host(fn(xp.asarray(z + H))) - to_host(fn(xp.asarray(z - H)))) / (2 * H)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_matches_central_differences(xp, name):
    act = ACTIVATIONS[name]
    z = GRID
    got = to_host(act.grad(xp.asarray(z)))
    want = _fd(act, xp, z)
    # central differences: truncation h²/6·|f'''| <= 1e-10/6 · 2160 (He_6 on |z| <= 3) ≈ 4e-8, rounding
    # eps·|f|/h <= 2e-16·1e3/1e-5 = 2e-8; 1e-6 relative (and absolute) is a 25x margin over both
    assert_close(got, want, rtol=1e-6, atol=1e-6)


@given(z=st.lists(st.floats(-6.0, 6.0, allow_nan=False).filter(lambda v: abs(v) > 1e-3), min_size=1, max_size=20))
@settings(max_examples=25)
def test_smooth_derivatives_on_random_points(z):
    import array_api_compat.numpy as xp

    z = np.asarray(z)
    for name in ("tanh", "sigmoid", "softplus", "tanh_softplus", "relu"):
        act = ACTIVATIONS[name]
        # these functions have |f'''| <= 2 on R (tanh: max |tanh'''| = 2), so the FD error is
        # <= h²/3 + 2e-16·|f|/h <= 1e-9 for |z| <= 6; relu's kink is excluded by |z| > 1e-3 > h
        assert_close(to_host(act.grad(xp.asarray(z))), _fd(act, xp, z), rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_keep_dtype_and_shape(xp, name):
    z = xp.reshape(xp.linspace(-2.0, 2.0, 6, dtype=xp.float32), (2, 3))
    act = ACTIVATIONS[name]
    for out in (act(z), act.grad(z)):
        assert out.dtype == xp.float32
        assert tuple(out.shape) == (2, 3)


def test_sigmoid_family_is_stable_for_large_inputs(xp):
    # σ(z) for |z| up to 1000 must be finite and correct without overflow warnings (pytest turns
    # RuntimeWarning into errors); the values are those of Python's math, to float64 rounding
    zs = [-1000.0, -40.0, 0.0, 40.0, 1000.0]
    want = [0.0, 1.0 / (1.0 + math.exp(40.0)), 0.5, 1.0 / (1.0 + math.exp(-40.0)), 1.0]
    z = xp.asarray(zs, dtype=xp.float64)
    assert_close(to_host(ACTIVATIONS["sigmoid"](z)), want, rtol=1e-14, atol=0)
    assert_close(to_host(ACTIVATIONS["softplus"].grad(z)), want, rtol=1e-14, atol=0)
    assert np.all(np.isfinite(to_host(ACTIVATIONS["tanh_softplus"].grad(z))))
    want_sp = [0.0, math.log1p(math.exp(-40.0)), math.log(2.0), 40.0 + math.log1p(math.exp(-40.0)), 1000.0]
    assert_close(to_host(ACTIVATIONS["softplus"](z)), want_sp, rtol=1e-14, atol=0)


def test_tanh_softplus_is_centred():
    f = ACTIVATIONS["tanh_softplus"]
    # the centring constant was computed at the default quadrature order; a finer rule must agree
    assert abs(gaussian_moment(f, order=80)) < 1e-12
    mu = hermite_coefficients(f, 3)
    assert abs(mu[0]) < 1e-12
    assert min(abs(mu[1]), abs(mu[2]), abs(mu[3])) > 0.1  # documented: μ_1, μ_2, μ_3 all non-zero


def test_tanh_softplus_centred_by_monte_carlo():
    # independent of quadrature: mean over n = 2^18 Gaussian draws, s.e. sqrt(E f²/n) ≈ 0.004
    f = ACTIVATIONS["tanh_softplus"]
    n = 2**18
    z = Generator(2024).normal(n)
    se = math.sqrt(gaussian_moment(lambda t: f(t) ** 2) / n)
    assert abs(to_scalar(np.mean(to_host(f(z))))) < 5 * se


def test_as_activation_names_and_objects():
    assert as_activation("ReLU") is ACTIVATIONS["relu"]
    assert as_activation(" tanh ") is ACTIVATIONS["tanh"]
    act = ACTIVATIONS["he3"]
    assert as_activation(act) is act

    def cube(z):
        return z**3

    c = as_activation(cube, derivative=lambda z: 3 * z**2)
    assert isinstance(c, Activation) and c.name == "cube"
    import array_api_strict as xp

    assert float(c.grad(xp.asarray(2.0))) == 12.0


def test_as_activation_errors():
    with pytest.raises(ValueError, match="activation: unknown name 'swish'"):
        as_activation("swish")
    with pytest.raises(TypeError, match="activation"):
        as_activation(3.0)
    nograd = as_activation(lambda z: z)
    import array_api_strict as xp

    with pytest.raises(ValueError, match="no derivative"):
        nograd.grad(xp.asarray([1.0]))


def test_hermite_activations_are_the_polynomials(xp):
    z = xp.asarray(GRID)
    zh = GRID
    assert_close(to_host(ACTIVATIONS["he2"](z)), zh**2 - 1, atol=1e-12)
    assert_close(to_host(ACTIVATIONS["he3"].grad(z)), 3 * (zh**2 - 1), atol=1e-12)
    assert_equal(to_host(ACTIVATIONS["he0"].grad(z)), np.zeros_like(zh))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_value_and_grad_is_value_and_derivative_bit_for_bit(xp, name):
    # the shared-work forms (tanh, softplus) must not move any number of the networks that use them
    act = ACTIVATIONS[name]
    z = xp.asarray(np.concatenate([GRID, [-1000.0, -40.0, -1e-300, 0.0, 1e-300, 40.0, 1000.0]]))
    h, dh = act.value_and_grad(z)
    assert_equal(to_host(h), to_host(act(z)))
    assert_equal(to_host(dh), to_host(act.grad(z)))


def test_clipped_relu_values_and_subgradient_at_the_kinks(xp):
    act = as_activation("clipped_relu")
    z = xp.asarray([-2.0, 0.0, 0.5, 1.0, 3.0])
    assert_equal(to_host(act(z)), [0.0, 0.0, 0.5, 1.0, 1.0])
    assert_equal(to_host(act.grad(z)), [0.0, 0.0, 1.0, 0.0, 0.0])  # 1{z ∈ (0, 1)}


def test_value_and_grad_without_derivative_raises():
    import array_api_strict as xp

    with pytest.raises(ValueError, match="no derivative"):
        as_activation(lambda z: z).value_and_grad(xp.asarray([1.0]))
