"""Named scalar nonlinearities (activations σ and link functions g*), with derivatives.

Every function is elementwise and written against the namespace of its input, so the
same object evaluates on NumPy, CuPy, PyTorch, JAX or array-api-strict arrays and on the
host for Hermite quadrature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from featlearn.backends import array_namespace
from featlearn.theory.hermite import gaussian_moment, hermite_he


__all__ = ["ACTIVATIONS", "Activation", "as_activation"]


def _relu(z):
    # clip is one pass with no temporary (10x faster than where(z > 0, z, zeros_like(z)) on NumPy)
    return array_namespace(z).clip(z, min=0.0)


def _step(z):
    xp = array_namespace(z)
    return xp.astype(z > 0, z.dtype)


def _softplus(z):
    xp = array_namespace(z)
    return xp.log1p(xp.exp(-xp.abs(z))) + _relu(z)


def _sigmoid(z):
    xp = array_namespace(z)
    e = xp.exp(-xp.abs(z))  # never overflows: exp of a non-positive number
    s = 1.0 / (1.0 + e)
    return xp.where(z >= 0, s, e * s)


def _tanh(z):
    return array_namespace(z).tanh(z)


def _dtanh(z):
    t = array_namespace(z).tanh(z)
    return 1.0 - t * t


def _dsigmoid(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


# E[tanh z + 2 softplus z], z ~ N(0,1): centres the "tanh_softplus" activation of the
# docs/papers/mlhd23.md §4.3 (computed once by quadrature at import).
_MEAN_TANH_2SOFTPLUS = gaussian_moment(lambda z: _tanh(z) + 2.0 * _softplus(z))


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity with its name and (optionally) its derivative.

    Call it on an array of any backend: ``Activation(...)(z)``.
    """

    name: str
    fn: Callable
    derivative: Callable | None = None
    #: ``(α, β, γ)`` when σ(z) = α·z + β·|z| + γ exactly (ReLU: (½, ½, 0); |z| − c: (0, 1, −c)); None
    #: otherwise. Lets streamed sums over σ(XVᵀ) use |·| (one cheap pass) and products with X for the
    #: linear part, and makes σ piecewise linear in a scalar argument (featlearn.papers.ndl23.three_layer).
    abs_form: tuple[float, float, float] | None = None

    def __call__(self, z):
        return self.fn(z)

    def grad(self, z):
        """σ'(z). Raises ``ValueError`` if the derivative was not given."""
        if self.derivative is None:
            raise ValueError(f"activation {self.name!r} has no derivative; pass derivative= to as_activation")
        return self.derivative(z)


def _he(k: int) -> Activation:
    # He_k' = k He_{k-1}
    return Activation(f"he{k}", lambda z: hermite_he(k, z),
                      (lambda z: k * hermite_he(k - 1, z)) if k >= 1 else (lambda z: 0.0 * z))


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", _relu, _step, abs_form=(0.5, 0.5, 0.0)),
    "tanh": Activation("tanh", _tanh, _dtanh),
    "sigmoid": Activation("sigmoid", _sigmoid, _dsigmoid),
    "softplus": Activation("softplus", _softplus, _sigmoid),
    "identity": Activation("identity", lambda z: z, lambda z: array_namespace(z).ones_like(z),
                           abs_form=(1.0, 0.0, 0.0)),
    "square": Activation("square", lambda z: z * z, lambda z: 2.0 * z),
    # tanh + 2 softplus, centred: all Hermite coefficients μ_1, μ_2, μ_3 non-zero (docs/papers/mlhd23.md §4.3)
    "tanh_softplus": Activation(
        "tanh_softplus",
        lambda z: _tanh(z) + 2.0 * _softplus(z) - _MEAN_TANH_2SOFTPLUS,
        lambda z: _dtanh(z) + 2.0 * _sigmoid(z),
    ),
}
for _k in range(0, 7):
    ACTIVATIONS[f"he{_k}"] = _he(_k)


def as_activation(act: str | Activation | Callable, *, derivative: Callable | None = None) -> Activation:
    """Resolve a name (``"relu"``, ``"tanh"``, ``"he2"``, …), an :class:`Activation` or a callable.

    Raises
    ------
    ValueError
        For an unknown name.
    TypeError
        For anything that is neither a name nor callable.
    """
    if isinstance(act, Activation):
        return act
    if isinstance(act, str):
        key = act.strip().lower()
        if key not in ACTIVATIONS:
            raise ValueError(f"activation: unknown name {act!r}; expected one of {', '.join(sorted(ACTIVATIONS))} "
                             "or a callable")
        return ACTIVATIONS[key]
    if callable(act):
        return Activation(getattr(act, "__name__", "custom"), act, derivative)
    raise TypeError(f"activation: expected a name or a callable, got {type(act).__name__}")
