"""Every parametrisation's ``init_network`` + one-step update moves each neuron as its theory says (issue 20, item 5).

The reference moves are computed neuron by neuron in float64 NumPy, independently of
:meth:`TwoLayerNetwork.weight_gradient_sum`:

* ``"moniri"``/``"ba"`` (``W₁ = W₀ + η·m·G``, m = 1 resp. √N):
  ``W₁ − W₀ = η·m·s·(1/n)Σ_i x_i r_i a_j σ'(w_jᵀx_i)`` with output scale s; with the theory's constant
  second layer and ``η = featlearn_step_size(η̃)`` this is the normalised move
  ``±η̃·(1/n)Σ_i x_i r_i σ'(w_jᵀx_i)``
  of docs/papers/cui24.md §4 (the sign of the mirrored half of a symmetric initialisation).
* ``"dls22"``: ``W₁ = η·G/rms_j‖G_j‖`` (W₀ discarded); ``second_layer="constant"`` is refused.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.models.one_step import apply_step, one_step_gradient
from featlearn.models.two_layer import (CONSTANT_SECOND_LAYER_EXPONENTS, PARAMETRIZATIONS, SECOND_LAYER_LAWS,
                                       init_network)
from featlearn.papers.cui24 import featlearn_step_size, initial_second_layer

D, N_SAMPLES, ETA_TILDE = 5, 30, 0.7


def _allowed(name):
    return [law for law in SECOND_LAYER_LAWS if law != "constant" or name in CONSTANT_SECOND_LAYER_EXPONENTS]


CASES = [(name, law, sym, width) for name in PARAMETRIZATIONS for law in _allowed(name)
         for sym in (False, True) for width in (8, 200)]


def _data(seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((N_SAMPLES, D))
    y = np.tanh(X[:, 0]) + 0.3 * X[:, 1] ** 2 + 0.1 * rng.standard_normal(N_SAMPLES)
    return X, y


def _per_neuron_move(net, X, r):
    """``s·(1/n)Σ_i x_i r_i a_j σ'(w_jᵀx_i + c_j)`` for each neuron j, looped (the theory's formula)."""
    W, a = np.asarray(net.W), np.asarray(net.a)
    c = np.zeros(W.shape[1]) if net.bias is None else np.asarray(net.bias)
    G = np.zeros_like(W)
    for j in range(W.shape[1]):
        dsig = np.asarray(net.activation.grad(X @ W[:, j] + c[j]))
        G[:, j] = net.output_scale * a[j] * (X * (r * dsig)[:, None]).sum(axis=0) / X.shape[0]
    return G


def _assert_close(got, want, scale=None):
    """Equal to float64 rounding, relative to ``scale`` (default: the largest entry of ``want``)."""
    scale = max(float(np.max(np.abs(want))) if scale is None else scale, 1e-300)
    assert float(np.max(np.abs(got - want))) <= 1e-12 * scale


@pytest.mark.parametrize("name,law,symmetric,width", CASES)
@pytest.mark.parametrize("residual", ["y", "y-f0"])
def test_step_moves_every_neuron_as_the_theory_says(name, law, symmetric, width, residual):
    p = PARAMETRIZATIONS[name]
    net = init_network(Generator(3), D, width, parametrization=name, second_layer=law, symmetric=symmetric,
                       dtype=np.float64)
    assert net.parametrization is p and net.output_scale == p.output_scale(width)
    X, y = _data(width)
    r = y - np.asarray(net(X)) if residual == "y-f0" else y
    W0, a = np.asarray(net.W), np.asarray(net.a)
    G = _per_neuron_move(net, X, r)
    grad = one_step_gradient(net, (X, y), residual=residual)
    _assert_close(np.asarray(grad.G), G)

    if p.normalized_step:  # DLS22: W ← η·G/rms_j‖G_j‖ (η = 1 in the reference), no featlearn_step_size
        with pytest.raises(ValueError, match="parametrization"):
            featlearn_step_size(ETA_TILDE, width, name)
        W1 = np.asarray(apply_step(net, grad, 1.0).W)
        _assert_close(W1, G / math.sqrt(np.mean(np.sum(G * G, axis=0))))
        return

    eta = featlearn_step_size(ETA_TILDE, width, name)
    move = np.asarray(apply_step(net, grad, eta).W) - W0
    _assert_close(move, eta * p.step_multiplier(width) * G)  # the general rule, any second layer
    if law == "constant":
        # the theory's second layer: a₀ = initial_second_layer (1/N moniri, 1/√N ba), mirrored half negated
        a0 = initial_second_layer(width, name)
        sign = np.ones(width) if not symmetric else np.r_[np.ones(width // 2), -np.ones(width // 2)]
        np.testing.assert_array_equal(a, sign * a0)
        assert a0 == p.constant_second_layer(width)
        # f₀ = (1/N)Σ_j σ(w_jᵀx) (the mirrored half of a symmetric network cancels it)
        F = np.asarray(net.activation(X @ W0))
        _assert_close(np.asarray(net(X)), (F * sign).sum(axis=1) / width, scale=float(np.max(np.abs(F))))
        # the normalised move of the theory: ±η̃·(1/n)Σ_i x_i r_i σ'(w_jᵀx_i), for every neuron, at every width
        unit = np.zeros_like(W0)
        for j in range(width):
            unit[:, j] = sign[j] * (X * (r * np.asarray(net.activation.grad(X @ W0[:, j])))[:, None]).mean(axis=0)
        _assert_close(move, ETA_TILDE * unit)


@pytest.mark.parametrize("name", list(PARAMETRIZATIONS))
def test_constant_second_layer_scale_or_refusal(name):
    p = PARAMETRIZATIONS[name]
    if name in CONSTANT_SECOND_LAYER_EXPONENTS:
        for width in (1, 8, 200, 2000):
            net = init_network(Generator(0), 3, width, parametrization=name, second_layer="constant", symmetric=False)
            assert np.all(np.asarray(net.a) == initial_second_layer(width, name))
            # output scale × a₀ = 1/N in both theories (f₀ is the mean of the features)
            assert math.isclose(p.output_scale(width) * p.constant_second_layer(width), 1.0 / width, rel_tol=1e-15)
        assert initial_second_layer(200, "moniri") == 1 / 200  # not 1/√200: the ×√N step of issue 20 is gone
    else:
        with pytest.raises(ValueError, match="second_layer") as err:
            init_network(Generator(0), 3, 8, parametrization=name, second_layer="constant")
        assert name in str(err.value) and "parametrization" in str(err.value)
        with pytest.raises(ValueError, match="second_layer"):
            p.constant_second_layer(8)


def test_refusal_comes_before_any_allocation():
    with pytest.raises(ValueError, match="second_layer"):
        init_network(Generator(0), 10**6, 10**6, parametrization="dls22", second_layer="constant")
