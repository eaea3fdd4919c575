"""Kernel spectrum of the frozen inner layer (featlearn.papers.ndl23.kernels): algebra and Monte Carlo."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_scalar
from featlearn.theory.activations import as_activation
from featlearn.theory.hermite import hermite_coefficients
from featlearn.papers.ndl23.kernels import (
    CENTRED_ABS,
    gegenbauer,
    harmonic_dimension,
    kernel_energies,
    kernel_matrix,
    kernel_spectrum,
    sphere_coordinate_rule,
)

SIGMAS = ["relu", "tanh", "he2", "softplus"]


@settings(max_examples=12)
@given(d=st.integers(2, 40), sigma=st.sampled_from(SIGMAS), inp=st.sampled_from(["sphere", "gaussian"]))
def test_eigenvalues_nonnegative_and_sum_to_trace(d, sigma, inp):
    spec = kernel_spectrum(sigma, d, input=inp, max_degree=8)
    assert all(v >= 0 for v in spec.eigenvalues)
    assert all(v >= 0 for v in spec.centred_eigenvalues)
    partial = sum(n * v for n, v in zip(spec.multiplicities, spec.eigenvalues))
    assert partial <= spec.trace * (1 + 1e-10)
    # the tail beyond degree 8 is small for these smooth-or-kinked σ2 (ReLU's is the slowest)
    assert spec.truncation <= 0.02 * spec.trace + 1e-12


@pytest.mark.parametrize("d", [3, 8, 33])
def test_polynomial_sigma_exact_trace(d):
    spec = kernel_spectrum("he2", d, max_degree=4)
    assert abs(sum(n * v for n, v in zip(spec.multiplicities, spec.eigenvalues)) - spec.trace) < 1e-12
    assert spec.eigenvalues[1] < 1e-20 and spec.eigenvalues[3] < 1e-20


def test_relu_degree_one_closed_form():
    for d in (4, 16, 64):  # λ_1 = (E relu(√d t) t)² = 1/(4d) exactly (E[relu(z) z] = 1/2 at every d)
        assert kernel_spectrum("relu", d).eigenvalues[1] == pytest.approx(1 / (4 * d), rel=1e-10)


def test_large_d_matches_hermite():
    d = 256
    spec = kernel_spectrum("relu", d, max_degree=4)
    mu = hermite_coefficients(as_activation("relu"), 4)
    for ell in (1, 2, 4):  # λ_ℓ ≈ μ_ℓ²/d^ℓ (1 + O(1/d))
        assert spec.eigenvalues[ell] == pytest.approx(mu[ell] ** 2 / d**ell, rel=10 * ell / d)


def test_gegenbauer_orthogonality_and_dimension():
    d = 7
    t, w = sphere_coordinate_rule(d)
    for a in range(5):
        for b in range(5):
            v = float((w * gegenbauer(a, t, d) * gegenbauer(b, t, d)).sum())
            assert v == pytest.approx((1 / harmonic_dimension(a, d)) if a == b else 0.0, abs=1e-12)
    assert [harmonic_dimension(l, 2) for l in range(4)] == [1, 2, 2, 2]


def test_kernel_matrix_matches_monte_carlo(xp):
    d, n, m = 6, 5, 2**16
    rng = Generator(3, xp=xp)
    X = rng.child("x").sphere(n, d, radius=math.sqrt(d))
    spec = kernel_spectrum("tanh", d, max_degree=10)
    K = kernel_matrix(spec, X)
    V = rng.child("v").sphere(m, d)
    F = as_activation("tanh")(X @ V.T)
    Kmc = F @ F.T / m
    err = to_scalar(xp.max(xp.abs(K - Kmc)))
    assert err < 5 * math.sqrt(1.0 / m) + spec.truncation  # |tanh| <= 1: s.e. <= 1/√m per entry


@settings(max_examples=6)
@given(seed=st.integers(0, 2**31 - 1), angle=st.floats(0.1, 3.0))
def test_rotation_invariance(seed, angle):
    d = 5
    spec = kernel_spectrum("relu", d, input="gaussian", max_degree=6)
    rng = Generator(seed)
    X = rng.normal((4, d))
    import array_api_compat.numpy as np_xp  # tests may use NumPy

    c, s = math.cos(angle), math.sin(angle)
    R = np_xp.eye(d)
    R[0, 0], R[0, 1], R[1, 0], R[1, 1] = c, -s, s, c
    K1 = kernel_matrix(spec, X)
    K2 = kernel_matrix(spec, X @ R.T)
    assert float(np_xp.max(np_xp.abs(K1 - K2))) < 1e-12


def test_energies_of_a_harmonic():
    # h = xᵀAx, tr A = 0, on the sphere: all its energy is in degree 2
    from featlearn.theory.targets import QuadraticFeature

    d = 8
    f = QuadraticFeature.random(Generator(0).child("A"), d, "identity")
    spec = kernel_spectrum(CENTRED_ABS, d, max_degree=4)
    X = f.input.sample(Generator(1), 3000)
    h = f.feature(X)
    E = kernel_energies(spec, X, h)
    var = float(E["var_f"])
    assert E["energies"][2] == pytest.approx(var, rel=0.1)
    assert abs(E["energies"][4]) < 0.1 * var


def test_bad_inputs():
    with pytest.raises(ValueError, match="d"):
        kernel_spectrum("relu", 1)
    with pytest.raises(TypeError, match="d"):
        kernel_spectrum("relu", 2.5)
    with pytest.raises(ValueError, match="input"):
        kernel_spectrum("relu", 4, input="cube")
    with pytest.raises(ValueError, match="ell"):
        harmonic_dimension(-1, 3)
