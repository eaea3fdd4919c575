"""One validation policy: the same mistake raises the same exception type everywhere.

A count given as a float (or a bool, or a str) is a wrong *type* -> ``TypeError``; a count that is
0 or negative is a wrong *value* -> ``ValueError``; both messages name the argument.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.claims import make_context
from featlearn.experiments._spec import check_seeds
from featlearn.papers.ndl23.kernels import harmonic_dimension
from featlearn.papers.ndl23.sample_complexity import asymptotic_exponents, kernel_method_exponent
from featlearn.theory.hermite import hermite_coefficients, hermite_he
from featlearn.papers.sl21.tables import bessel_table as sl21_bessel_table
from featlearn.theory.host_constants import gaussian_quadrature
from featlearn.data import TargetStream, chunk_bounds
from featlearn.papers.sl21.networks import ErfFeatures
from featlearn.papers.ndl23.baselines import RandomFeaturesRidge
from featlearn.papers.swl23.network import init_symmetric
from featlearn.models.one_step import OneStepNetwork
from featlearn.models.ridge import check_lambdas
from featlearn.papers.ndl23.three_layer import ThreeLayerNetwork
from featlearn.models.two_layer import init_network
from featlearn.theory.distributions import GaussianInput, HypercubeInput, SphereInput
from featlearn.papers.sl21.radial_laws import MuInput, SphereSumInput
from featlearn.theory.targets import SingleIndex
from featlearn.validation import check_array, check_grid, check_int, check_real, check_seed

RNG = Generator(0)
TARGET = SingleIndex.random(Generator(1), 4, "he1")

#: (public entry point, the argument it names): each takes the counted argument as its only input
COUNTS = {
    "ThreeLayerNetwork(m1)": (lambda v: ThreeLayerNetwork(v, 8), "m1"),
    "ThreeLayerNetwork(m2)": (lambda v: ThreeLayerNetwork(4, v), "m2"),
    "OneStepNetwork(width)": (lambda v: OneStepNetwork(v), "width"),
    "init_network(width)": (lambda v: init_network(RNG, 3, v), "width"),
    "init_network(d)": (lambda v: init_network(RNG, v, 4), "d"),
    "RandomFeaturesRidge(p)": (lambda v: RandomFeaturesRidge(v), "p"),
    "TargetStream(n)": (lambda v: TargetStream(TARGET, v, RNG), "n"),
    "TargetStream(block)": (lambda v: TargetStream(TARGET, 10, RNG, block=v), "block"),
    "chunk_bounds(chunk)": (lambda v: list(chunk_bounds(10, v)), "chunk"),
    "GaussianInput(d)": (lambda v: GaussianInput(v), "d"),
    "SphereInput(d)": (lambda v: SphereInput(v), "d"),
    "HypercubeInput(d)": (lambda v: HypercubeInput(v), "d"),
    "SingleIndex.random(d)": (lambda v: SingleIndex.random(RNG, v, "he1"), "d"),
    "MuInput(d)": (lambda v: MuInput(v), "d"),
    "SphereSumInput(d)": (lambda v: SphereSumInput(v), "d"),
    "ErfFeatures.init(width)": (lambda v: ErfFeatures.init(RNG, 4, v), "width"),
    "init_symmetric(width)": (lambda v: init_symmetric(RNG, 3, v), "width"),
    "sample(n)": (lambda v: TARGET.sample(RNG, v), "n"),
    "Generator.sphere(n)": (lambda v: RNG.sphere(v, 3), "n"),
    "Generator.normal(shape)": (lambda v: RNG.normal((2, v)), "shape"),
    "hermite_he(k)": (lambda v: hermite_he(v, np.ones(2)), "k"),
    "hermite_coefficients(degree)": (lambda v: hermite_coefficients(lambda z: z, v), "degree"),
    "gaussian_quadrature(order)": (lambda v: gaussian_quadrature(v), "order"),
    "sl21_bessel_table(d)": (lambda v: sl21_bessel_table(v), "d"),
    "harmonic_dimension(ell)": (lambda v: harmonic_dimension(v, 3), "ell"),
    "harmonic_dimension(d)": (lambda v: harmonic_dimension(2, v), "d"),
    "asymptotic_exponents(feature_degree)": (lambda v: asymptotic_exponents("relu", v), "feature_degree"),
}

#: every entry point that takes a seed (or a list of seeds), with the argument it names
SEEDS = {
    "check_seed": (lambda v: check_seed(v), "seed"),
    "Generator(seed)": (lambda v: Generator(v), "seed"),
    "make_context(seed)": (lambda v: make_context(seed=v), "seed"),
    "check_seeds": (lambda v: check_seeds([100, v]), r"seeds\[1\]"),
}


@pytest.mark.parametrize("name", sorted(COUNTS))
@pytest.mark.parametrize("bad", [2.5, True, "8", None])
def test_a_count_of_the_wrong_type_is_a_type_error(name, bad):
    fn, arg = COUNTS[name]
    with pytest.raises(TypeError, match=arg):
        fn(bad)


@pytest.mark.parametrize("name", sorted(COUNTS))
def test_a_count_out_of_range_is_a_value_error(name):
    fn, arg = COUNTS[name]
    with pytest.raises(ValueError, match=arg):
        fn(-3)


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_one_seed_policy(name):
    fn, arg = SEEDS[name]
    for good in (0, 7, np.int64(3), np.uint8(1)):
        fn(good)
    for bad in (True, np.bool_(True), 1.0, np.float64(2.0), "3", None):
        with pytest.raises(TypeError, match=rf"^{arg}: expected an int, got "):
            fn(bad)
    with pytest.raises(ValueError, match=rf"^{arg}: expected an int in \[0, inf\], got -1"):
        fn(-1)


def test_link_degree_none_means_no_polynomial_sample_size():
    assert kernel_method_exponent(None) == math.inf and kernel_method_exponent(np.int64(2)) == 4.0
    with pytest.raises(TypeError, match="link_degree"):
        kernel_method_exponent(2.0)
    with pytest.raises(ValueError, match="link_degree"):
        kernel_method_exponent(0)


def test_check_seed_returns_a_python_int():
    assert type(check_seed(np.int32(5))) is int and check_seed(np.int32(5)) == 5


@pytest.mark.parametrize("bad, exc", [(math.nan, ValueError), (math.inf, ValueError), (-1.0, ValueError),
                                      ("0.1", TypeError), (1 + 2j, TypeError), ([], ValueError)])
def test_lambda_grids(bad, exc):
    with pytest.raises(exc, match="lambdas"):
        check_lambdas(bad if isinstance(bad, list) else [bad])


def test_scalar_checks_name_the_range():
    with pytest.raises(ValueError, match=r"gamma: expected a real number in \(0, 1\), got 1.0"):
        check_real(1.0, "gamma", min_val=0, max_val=1, include_boundaries="neither")
    assert check_int(np.int64(3), "k") == 3
    assert check_real(np.float32(0.5), "x") == 0.5
    with pytest.raises(TypeError, match="x"):
        check_real(np.ones(1), "x")
    assert check_grid(np.asarray([1.0, 2.0]), "g") == (1.0, 2.0)


def test_check_array_converts_and_refuses(xp):
    a = check_array([[1, 2], [3, 4]], "X", ndim=2, xp=xp)
    assert xp.isdtype(a.dtype, "real floating")
    with pytest.raises(TypeError, match="X"):
        check_array(None, "X")
    with pytest.raises(TypeError, match="X"):
        check_array([[1, 2]], "X")  # a list without a namespace to convert it with
    with pytest.raises(ValueError, match="X: expected 3 columns"):
        check_array(a, "X", columns=3)
