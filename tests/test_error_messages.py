"""Library-internal messages replaced by the package's policy (issue: one error policy at every entry point).

Each call used to end in a library's own words (``'str' object is not callable``, ``IndexError``,
``LinAlgError``, ``KeyError: 'grid'``, ``AttributeError``, ``range() arg 3 must not be zero``); each now
raises TypeError/ValueError naming the argument.
"""

from __future__ import annotations

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.theory import SingleIndex
from featlearn.experiments._store import SweepStore
from featlearn.models.block_krylov import top_eigh
from featlearn.models.gradient_descent import adam
from featlearn.models.one_step import alpha_sweep
from featlearn.papers.ndl23.three_layer import run_layerwise
from featlearn.theory.hermite import hermite_coefficients


def _quad(p):
    return float((p**2).sum()), 2 * p


@pytest.mark.parametrize("call, error, message", [
    (lambda: hermite_coefficients("relu", 3), TypeError, "fn: expected an elementwise function.*as_activation"),
    (lambda: adam(_quad, np.ones(3), lr=0.1, max_iter=3, betas=(0.9,)), ValueError, "betas: expected a pair"),
    (lambda: top_eigh(np.full((4, 4), np.nan), 2, rng=Generator(0)), ValueError, "M: input contains NaN"),
    (lambda: top_eigh(np.ones((4, 3)), 2, rng=Generator(0)), ValueError, "M: expected a square matrix"),
    (lambda: top_eigh(np.eye(4), 5, rng=Generator(0)), ValueError, "k: expected an int in"),
    (lambda: SweepStore.open("unused", {"sweep": "a"}), ValueError, "manifest: missing experiment"),
    (lambda: alpha_sweep(None, Generator(0), n=10, width=4, alphas=[0.1], n_val=10, n_test=10), TypeError,
     "target: expected a featlearn target"),
    (lambda: alpha_sweep(None, None, n=10, width=4, alphas=[0.1], n_val=10, n_test=10), TypeError, "rng: expected"),
    (lambda: run_layerwise(None, Generator(0), n=10, m1=4, m2=4), TypeError, "target: expected a featlearn target"),
])
def test_clear_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_kernel_energies_block():
    from featlearn.papers.ndl23.kernels import kernel_energies, kernel_spectrum

    spec = kernel_spectrum("relu", 4)
    X = Generator(0).sphere(8, 4, radius=2.0)
    with pytest.raises(ValueError, match="block"):
        kernel_energies(spec, X, X[:, 0], block=0)


def test_invalid_values_and_sizes_are_refused_up_front():
    from featlearn.papers.cui24.spiked_random_features import marchenko_pastur_nodes
    from featlearn.papers.mlhd23.spectral import spike_sweep
    from featlearn.papers.swl23.network import init_symmetric
    from featlearn.papers.swl23.parity_gradients import crossing_sample_size
    from featlearn.validation import MemoryRefusal

    with pytest.raises(ValueError, match="sizes: expected strictly increasing"):
        crossing_sample_size([100, 50, 200], [0.1, 0.2, 0.6], 0.5)
    with pytest.raises(MemoryRefusal, match="width = 1000000000"):
        init_symmetric(Generator(0), 5, 10**9)
    with pytest.raises(MemoryRefusal, match="order = 1000000000"):
        marchenko_pastur_nodes(10**9)
    with pytest.raises(ValueError, match="alphas: expected (at least one|a non-empty)"):
        spike_sweep(SingleIndex.random(Generator(1), 5, "tanh"), Generator(0), n=10, width=4, alphas=[])


def test_smoothness_step_must_be_positive():
    from featlearn.papers.sl21.networks import WeakNetwork

    X = Generator(0).normal((20, 4))
    y = Generator(1).normal(20)
    net = WeakNetwork(width=4, max_iter=2).fit(X, y)
    with pytest.raises(ValueError, match="h: expected"):
        net.estimate_smoothness(X, y, rng=Generator(2), h=-1.0)
