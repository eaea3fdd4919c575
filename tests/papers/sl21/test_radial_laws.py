"""Samplers, radius CDFs and densities of SL21's laws (docs/papers/sl21.md §2.3, §4.1)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate

from featlearn.backends import Generator, to_host
from featlearn.papers.sl21 import tables as hc
from featlearn.papers.sl21.radial_laws import (BesselRadius, HalfCauchyRadius, MuInput, SphereSumInput,
                                          bessel_normalisation, cauchy_input, dkw_bound, gaussian_radius_density,
                                          ks_distance)


@pytest.mark.parametrize("law", ["mu", "sphere_sum", "cauchy"])
def test_samples_finite_and_follow_cdf(xp, law):
    inp = {"mu": MuInput(4), "sphere_sum": SphereSumInput(4), "cauchy": cauchy_input(4)}[law]
    rng = Generator(3, xp=xp)
    x = inp.sample(rng, 8000)
    assert x.shape == (8000, 4)
    assert bool(xp.all(xp.isfinite(x)))
    r = xp.linalg.vector_norm(x, axis=1)
    assert ks_distance(r, inp.radius_cdf) <= dkw_bound(8000, 1e-4)


@pytest.mark.parametrize("law", ["mu", "cauchy"])
def test_float32_never_inf(xp, law):
    inp = MuInput(3) if law == "mu" else cauchy_input(3, 0.5)
    x = inp.sample(Generator(1, xp=xp), 50000, dtype=xp.float32)
    assert x.dtype == xp.float32
    assert bool(xp.all(xp.isfinite(x)))
    dens = inp.radius_density(xp.asarray([0.0, 1e-30, 1.0, 1e30], dtype=xp.float32))
    assert bool(xp.all(xp.isfinite(dens)))


def test_ks_detects_wrong_law():
    """A test that can fail: D'_d's radii against the μ_d CDF are far beyond the DKW bound."""
    rng = Generator(0)
    r = rng.xp.linalg.vector_norm(SphereSumInput(4).sample(rng, 5000), axis=1)
    assert ks_distance(r, MuInput(4).radius_cdf) > 10 * dkw_bound(5000, 1e-3)


@pytest.mark.parametrize("d", [2, 3, 5, 9])
def test_bessel_table_against_quad(d):
    z, cdf, body, tail = hc.bessel_table(d)
    for zz in (0.5, 2.0, 7.0, 30.0):
        ref = integrate.quad(lambda s: float(hc.bessel_density_z(s, d)), 0, zz, limit=400)[0]
        assert abs(np.interp(zz, z, cdf) - ref) < 2e-6
    assert abs(bessel_normalisation(d) - 1.0) < 1e-5


def test_bessel_density_matches_eq8():
    """γ̄_d(ρ) = (d/ρ)J²_{d/2}(2πα√d R_d ρ) with R_d the unit-volume ball's radius (Eq. (8))."""
    from scipy.special import gamma, jv

    d, alpha = 5, 1.5
    law = BesselRadius(d, alpha)
    Rd = gamma(d / 2 + 1) ** (1 / d) / math.sqrt(math.pi)
    rho = np.array([0.05, 0.2, 0.7, 3.0])
    ref = d / rho * jv(d / 2, 2 * math.pi * alpha * math.sqrt(d) * Rd * rho) ** 2
    import array_api_compat.numpy as hxp

    got = to_host(law.density(hxp.asarray(rho)))
    np.testing.assert_allclose(got, ref, rtol=1e-12)


def test_sphere_sum_density_integrates_to_cdf():
    inp = SphereSumInput(6)
    import array_api_compat.numpy as hxp

    grid = np.linspace(0, 2, 20001)
    dens = to_host(inp.radius_density(hxp.asarray(grid)))
    cum = integrate.cumulative_trapezoid(dens, grid, initial=0)
    cdf = to_host(inp.radius_cdf(hxp.asarray(grid)))
    assert np.max(np.abs(cum - cdf)) < 1e-6
    assert abs(float(inp.radius_cdf(hxp.asarray([math.sqrt(2)]))[0]) - 0.5) < 1e-12


def test_gaussian_radius_density_normalised():
    import array_api_compat.numpy as hxp

    grid = np.linspace(0, 5, 20001)
    for d in (2, 4, 10):
        dens = to_host(gaussian_radius_density(hxp.asarray(grid), d))
        assert abs(integrate.trapezoid(dens, grid) - 1.0) < 1e-6


@settings(max_examples=15)
@given(d=st.integers(min_value=2, max_value=12), seed=st.integers(min_value=0, max_value=2**31 - 1),
       law=st.sampled_from(["mu", "sphere_sum", "cauchy"]))
def test_property_samplers(d, seed, law):
    inp = {"mu": MuInput(d), "sphere_sum": SphereSumInput(d), "cauchy": cauchy_input(d)}[law]
    rng = Generator(seed)
    x = inp.sample(rng, 3000)
    assert x.shape == (3000, d)
    assert bool(rng.xp.all(rng.xp.isfinite(x)))
    r = rng.xp.linalg.vector_norm(x, axis=1)
    if law == "sphere_sum":
        assert float(rng.xp.max(r)) <= 2.0 + 1e-12
    assert ks_distance(r, inp.radius_cdf) <= dkw_bound(3000, 1e-6)


@pytest.mark.parametrize("bad", [1, 0, -3])
def test_bad_dimension(bad):
    for ctor in (MuInput, SphereSumInput, BesselRadius):
        with pytest.raises(ValueError, match="d"):
            ctor(bad)
    with pytest.raises(TypeError, match="d"):
        MuInput(4.0)


def test_bad_parameters():
    with pytest.raises(ValueError, match="alpha"):
        BesselRadius(4, 0.5)
    with pytest.raises(ValueError, match="scale"):
        HalfCauchyRadius(0.0)
    with pytest.raises(ValueError, match="rho"):
        import array_api_compat.numpy as hxp

        SphereSumInput(4).radius_cdf(hxp.asarray([float("nan")]))
