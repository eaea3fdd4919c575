"""Numerics policy (issue 20, item 3): complex input refused, overflow-safe statistics, no density or kernel
value for NaN input. The gradient loops' divergence checks are in tests/models/test_gradient_descent.py."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.data import pearson
from featlearn.theory.activations import ACTIVATIONS
from featlearn.theory.distributions import GaussianMixtureInput
from featlearn.theory.special import erf, erf_array_api, erf_grad, normal_cdf
from featlearn.validation import check_real_dtype

SPECIAL = {"erf": (erf, "x"), "erf_array_api": (erf_array_api, "x"), "erf_grad": (erf_grad, "x"),
           "normal_cdf": (normal_cdf, "t")}


def _complex(xp, backend):
    if backend == "torch":
        import torch

        return torch.asarray([0.5 + 1.0j, -0.3 + 0.2j], dtype=torch.complex128)
    return xp.asarray([0.5 + 1.0j, -0.3 + 0.2j], dtype=xp.complex128)


@pytest.mark.parametrize("name", sorted(SPECIAL))
def test_special_functions_refuse_complex(xp, backend, name):
    fn, arg = SPECIAL[name]
    with pytest.raises(TypeError, match=rf"^{arg}: expected a real floating array, got .*complex128"):
        fn(_complex(xp, backend))


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activations_refuse_complex(xp, backend, name):
    act = ACTIVATIONS[name]
    z = _complex(xp, backend)
    for call in (act, act.grad, act.value_and_grad):
        with pytest.raises(TypeError, match=r"^z: expected a real floating array, got .*complex128"):
            call(z)


def test_real_input_unchanged_by_the_check(xp):
    z = xp.asarray([-1.0, 0.25, 3.0])
    assert check_real_dtype(z, "z") is z
    assert float(ACTIVATIONS["clipped_relu"].grad(z)[1]) == 1.0
    assert abs(float(erf(xp.asarray(0.5, dtype=xp.float64))) - 0.520499877813) < 1e-12
    assert abs(float(normal_cdf(xp.asarray([0, 1, 2]))[0]) - 0.5) < 1e-15  # integers are still accepted


@pytest.mark.parametrize("value", [1j, np.complex128(1 + 1j), np.ones(2, dtype=bool), np.ones(2, dtype=object)])
def test_check_real_dtype_refusals(value):
    with pytest.raises(TypeError, match=r"^arg: expected a real floating array, got "):
        check_real_dtype(value, "arg")


# -- pearson: overflow-safe ------------------------------------------------------------------------------------
def _pair():
    rng = np.random.default_rng(0)
    y = rng.standard_normal(50)
    return y, -0.2 * y + rng.standard_normal(50)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("scale", [1e150, 1e300, 1e-200, 1e-300, 2.0 ** 600])
def test_pearson_is_scale_invariant(xp, scale):
    y, y2 = _pair()
    ref = pearson(xp.asarray(y), xp.asarray(y2))
    assert abs(ref + 0.2787362802201201) < 1e-12
    got = pearson(xp.asarray(scale * y), xp.asarray(scale * y2))
    assert math.isfinite(got) and abs(got - ref) <= 4e-16


def test_pearson_power_of_two_scaling_is_bit_identical(xp):
    y, y2 = _pair()
    ref = pearson(xp.asarray(y), xp.asarray(y2))
    assert pearson(xp.asarray(2.0 ** 700 * y), xp.asarray(2.0 ** -700 * y2)) == ref


def test_pearson_float32_large_values():
    y, y2 = _pair()
    a, b = np.float32(1e30) * y.astype(np.float32), np.float32(1e30) * y2.astype(np.float32)
    assert abs(pearson(a, b) - pearson(y.astype(np.float32), y2.astype(np.float32))) < 1e-6


def test_pearson_refusals(xp):
    with pytest.raises(ValueError, match="a: input contains NaN or inf"):
        pearson(xp.asarray([1.0, float("nan"), 2.0]), xp.asarray([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="constant"):
        pearson(xp.asarray(np.asarray([1e300, 1e300])), xp.asarray(np.asarray([1.0, 2.0])))


# -- densities and kernels: no value for NaN input -------------------------------------------------------------
def test_mixture_log_densities_refuse_nan_rows(xp, backend):
    mix = GaussianMixtureInput([[2.0, 0.0], [-2.0, 0.0]], std=0.5, xp=backend)
    good = mix.log_component_densities(xp.asarray([[1.0, 1.0]]))
    assert tuple(good.shape) == (1, 2) and bool(xp.all(xp.isfinite(good)))
    with pytest.raises(ValueError, match="^x: input contains NaN or inf"):
        mix.log_component_densities(xp.asarray([[float("nan"), 0.0], [1.0, 1.0]]))
    with pytest.raises(ValueError, match=r"^x: expected 2 columns"):
        mix.log_component_densities(xp.asarray([[1.0, 2.0, 3.0]]))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_mixture_log_densities_overflow():
    far = GaussianMixtureInput([[2.0, 0.0]], xp="numpy")
    assert float(far.log_component_densities(np.asarray([[1e200, 1e200]]))[0, 0]) == -math.inf  # underflow
    huge = GaussianMixtureInput([[1e200, 0.0]], xp="numpy")
    with pytest.raises(ValueError, match=r"^x: the squared distances to the means overflow"):
        huge.log_component_densities(np.asarray([[1e200, 1e200]]))


def test_kernel_matrix_and_energies_refuse_nan():
    from featlearn.papers.ndl23.kernels import kernel_energies, kernel_matrix, kernel_spectrum

    spec = kernel_spectrum("relu", 2)
    bad = np.asarray([[float("nan"), 1.0], [1.0, 0.0]])
    ok = np.ones((2, 2))
    with pytest.raises(ValueError, match="^X: input contains NaN or inf"):
        kernel_matrix(spec, bad)
    with pytest.raises(ValueError, match="^Y: input contains NaN or inf"):
        kernel_matrix(spec, ok, bad)
    with pytest.raises(ValueError, match="^X: input contains NaN or inf"):
        kernel_energies(spec, bad, np.ones(2))
    with pytest.raises(ValueError, match="^f: input contains NaN or inf"):
        kernel_energies(spec, ok, np.asarray([1.0, float("nan")]))
