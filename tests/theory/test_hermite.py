"""featlearn.theory.hermite: He_k, Hermite coefficients by quadrature, and their errors.

Quadrature integrates polynomials times the Gaussian exactly up to truncation at |z| = 14
(mass < 1e-40) and float64 rounding, so polynomial identities are checked to ~1e-10
relative; ReLU's coefficients to 1e-11 (its kink is at a breakpoint of the composite rule;
the hermite docstring promises ~1e-12).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.polynomial import hermite_e

from featlearn.backends import to_host
from featlearn.theory.activations import as_activation
from featlearn.theory.hermite import (
    gaussian_moment,
    hermite_coefficients,
    hermite_he,
    hermite_norm_sq,
    nonlinear_energy,
)
from featlearn.theory.host_constants import gaussian_quadrature
from helpers import assert_close

MAX_K = 10


def _quad_inner(j, k):
    import array_api_compat.numpy as hxp

    x, w = gaussian_quadrature()
    z = hxp.asarray(x)
    return float(np.sum(w * np.asarray(hermite_he(j, z)) * np.asarray(hermite_he(k, z))))


@pytest.mark.parametrize("j", range(MAX_K + 1))
def test_orthogonality(j):
    # E[He_j He_k] = k! δ_jk; the products are polynomials of degree <= 20, integrated exactly
    # up to rounding: relative 1e-10 of the larger norm
    for k in range(MAX_K + 1):
        scale = math.sqrt(math.factorial(j) * math.factorial(k))
        want = math.factorial(k) if j == k else 0.0
        assert abs(_quad_inner(j, k) - want) <= 1e-10 * scale


def test_hermite_he_matches_numpy_hermite_e(xp):
    # an independent implementation (numpy.polynomial.hermite_e) at points up to |z| = 4;
    # relative 1e-12 of max(1, |He_k(z)|), i.e. float64 rounding of the recurrence
    z = np.linspace(-4.0, 4.0, 33)
    for k in range(MAX_K + 1):
        coef = np.zeros(k + 1)
        coef[k] = 1.0
        want = hermite_e.hermeval(z, coef)
        got = to_host(hermite_he(k, xp.asarray(z)))
        assert_close(got, want, rtol=1e-12, atol=1e-12 * np.max(np.abs(want)))


def test_hermite_he_low_degrees_explicit(xp):
    z = xp.asarray([-2.0, -0.5, 0.0, 1.0, 3.0])
    zh = to_host(z)
    for k, poly in [(0, lambda t: np.ones_like(t)), (1, lambda t: t), (2, lambda t: t**2 - 1),
                    (3, lambda t: t**3 - 3 * t), (4, lambda t: t**4 - 6 * t**2 + 3)]:
        assert_close(to_host(hermite_he(k, z)), poly(zh), rtol=0, atol=1e-12)


def test_hermite_he_keeps_dtype_and_shape(xp):
    z = xp.reshape(xp.arange(6, dtype=xp.float32), (2, 3))
    for k in (0, 1, 4):
        h = hermite_he(k, z)
        assert h.dtype == xp.float32 and tuple(h.shape) == (2, 3)


def _relu_closed_form(k):
    # μ_0 = φ(0), μ_1 = 1/2, μ_k = φ(0) He_{k−2}(0) for k >= 2
    # (Stein: E[relu He_k] = E[relu^{(k)}] = E[δ^{(k−2)}]),
    # with He_{2m}(0) = (−1)^m (2m−1)!! and He_odd(0) = 0
    phi0 = 1.0 / math.sqrt(2.0 * math.pi)
    if k == 0:
        return phi0
    if k == 1:
        return 0.5
    j = k - 2
    if j % 2:
        return 0.0
    m = j // 2
    dfact = math.prod(range(2 * m - 1, 0, -2)) if m > 0 else 1
    return phi0 * (-1) ** m * dfact


def test_relu_coefficients_closed_form():
    mu = hermite_coefficients(as_activation("relu"), 12)
    want = np.array([_relu_closed_form(k) for k in range(13)])
    # the largest coefficient (k = 12) is φ(0)·9!! ≈ 3.8e2: allow 1e-11 relative to max(1, |μ_k|)
    assert_close(mu, want, rtol=1e-11, atol=1e-11)
    assert mu[2] == pytest.approx(1.0 / math.sqrt(2.0 * math.pi), abs=1e-13)


def test_monomial_coefficients():
    mu = hermite_coefficients(lambda z: z**3, 3)
    assert_close(mu, [0.0, 3.0, 0.0, 6.0], atol=1e-12)  # z³ = He_3 + 3 He_1
    mu = hermite_coefficients(lambda z: z**4, 4)
    assert_close(mu, [3.0, 0.0, 12.0, 0.0, 24.0], atol=1e-11)  # z⁴ = He_4 + 6 He_2 + 3


@given(coef=st.lists(st.floats(-5.0, 5.0, allow_nan=False), min_size=1, max_size=7))
@settings(max_examples=25)
def test_coefficients_of_hermite_polynomials_are_exact(coef):
    # p = Σ c_k He_k has μ_k = c_k k! (orthogonality); the quadrature is exact for these degrees
    # (<= 12) up to rounding: 1e-9 of the scale Σ|c_k| k!
    def p(z):
        return sum(c * hermite_he(k, z) for k, c in enumerate(coef))

    mu = hermite_coefficients(p, len(coef) - 1 + 2)  # two extra degrees: must be zero
    want = [c * math.factorial(k) for k, c in enumerate(coef)] + [0.0, 0.0]
    scale = max(1.0, sum(abs(c) * math.factorial(k) for k, c in enumerate(coef)))
    assert_close(mu, want, rtol=0, atol=1e-9 * scale)


def test_gaussian_moments():
    for k, want in [(0, 1.0), (2, 1.0), (4, 3.0), (6, 15.0), (8, 105.0)]:
        assert gaussian_moment(lambda z, k=k: z**k) == pytest.approx(want, rel=1e-12)
    assert abs(gaussian_moment(lambda z: z**3)) < 1e-13
    assert gaussian_moment(as_activation("relu")) == pytest.approx(1.0 / math.sqrt(2 * math.pi), rel=1e-12)


def test_hermite_norm_sq():
    assert [hermite_norm_sq(k) for k in range(6)] == [1.0, 1.0, 2.0, 6.0, 24.0, 120.0]


def test_nonlinear_energy():
    assert nonlinear_energy(as_activation("identity")) == pytest.approx(0.0, abs=1e-12)
    assert nonlinear_energy(as_activation("square")) == pytest.approx(2.0, rel=1e-12)  # z² = He_2 + 1
    # relu: E relu² = 1/2, μ_0² = 1/(2π), μ_1² = 1/4
    assert nonlinear_energy(as_activation("relu")) == pytest.approx(0.25 - 1 / (2 * math.pi), rel=1e-10)


@pytest.mark.parametrize("k, exc", [(-1, ValueError), (1.5, TypeError), (True, TypeError), ("2", TypeError),
                                    (None, TypeError)])
def test_bad_degree(k, exc):
    import array_api_strict as xp

    with pytest.raises(exc, match="k"):
        hermite_he(k, xp.asarray([1.0]))


@pytest.mark.parametrize("degree, exc", [(-1, ValueError), (2.0, TypeError), (False, TypeError)])
def test_bad_coefficient_degree(degree, exc):
    with pytest.raises(exc, match="degree"):
        hermite_coefficients(lambda z: z, degree)


def test_bad_fn_for_coefficients():
    with pytest.raises(ValueError, match="fn.*shape"):
        hermite_coefficients(lambda z: z[:3], 2)
    with pytest.raises(ValueError, match="fn.*non-finite"):
        hermite_coefficients(lambda z: z * float("nan"), 2)


def test_bad_quadrature_order():
    with pytest.raises(ValueError, match="order"):
        gaussian_quadrature(0)
