"""Named scalar nonlinearities (activations σ and link functions g*), with derivatives.

Every function is elementwise and written against the namespace of its input, so the
same object evaluates on NumPy, CuPy, PyTorch, JAX or array-api-strict arrays and on the
host for Hermite quadrature.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from featlearn.backends import array_namespace
from featlearn.theory.hermite import check_points, gaussian_moment, hermite_he
from featlearn.validation import check_real


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


def _tanh_and_dtanh(z):
    # one tanh for both (backpropagation needs σ and σ' at the same pre-activations)
    t = array_namespace(z).tanh(z)
    return t, 1.0 - t * t


def _softplus_and_sigmoid(z):
    # the same operations as _softplus and _sigmoid, sharing exp(−|z|): identical bits, one exp
    xp = array_namespace(z)
    e = xp.exp(-xp.abs(z))
    s = 1.0 / (1.0 + e)
    return xp.log1p(e) + _relu(z), xp.where(z >= 0, s, e * s)


def _dsigmoid(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _clipped_relu(z):
    """The clipped ReLU ``[z]_+^1 = min{max(z, 0), 1}`` (SL21's Eq. (2), docs/papers/sl21.md §2.1).

    Examples
    --------
    >>> import numpy as xp
    >>> ACTIVATIONS["clipped_relu"](xp.asarray([-1.0, 0.25, 3.0]))
    array([0.  , 0.25, 1.  ])
    """
    return array_namespace(z).clip(z, min=0.0, max=1.0)


def _clipped_relu_grad(z):
    """The subgradient ``1{z ∈ (0, 1)}`` of the clipped ReLU (0 at both kinks, as SL21's Eq. (7) takes it).

    Examples
    --------
    >>> import numpy as xp
    >>> ACTIVATIONS["clipped_relu"].grad(xp.asarray([0.0, 0.5, 1.0]))
    array([0., 1., 0.])
    """
    xp = array_namespace(z)
    return xp.astype(xp.logical_and(z > 0, z < 1), z.dtype)


# E[tanh z + 2 softplus z], z ~ N(0,1): centres the "tanh_softplus" activation of the
# docs/papers/mlhd23.md §4.3 (computed once by quadrature at import).
_MEAN_TANH_2SOFTPLUS = gaussian_moment(lambda z: _tanh(z) + 2.0 * _softplus(z))


@dataclass(frozen=True)
class Activation:
    """An elementwise nonlinearity with its name and (optionally) its derivative.

    Call it on an array of any backend: ``Activation(...)(z)``; :meth:`grad` gives σ'(z) and
    :meth:`value_and_grad` both at once (what backpropagation needs).

    Examples
    --------
    >>> import numpy as xp
    >>> act = as_activation("tanh")
    >>> h, dh = act.value_and_grad(xp.asarray([0.0, 1.0]))
    >>> bool(xp.all(h == act(xp.asarray([0.0, 1.0])))), float(dh[0])
    (True, 1.0)
    """

    name: str
    fn: Callable
    derivative: Callable | None = None
    #: ``(α, β, γ)`` when ``σ(z) = α·z + β·|z| + γ`` exactly (ReLU: (½, ½, 0); ``|z| − c``: (0, 1, −c)); None
    #: otherwise. Lets streamed sums over σ(XVᵀ) use ``|·|`` (one cheap pass) and products with X for the
    #: linear part, and makes σ piecewise linear in a scalar argument (featlearn.papers.ndl23.three_layer).
    abs_form: tuple[float, float, float] | None = None
    #: ``z -> (σ(z), σ'(z))`` sharing work between the two (tanh: one tanh); it must return the same
    #: bits as ``fn`` and ``derivative``. None: :meth:`value_and_grad` calls them one after the other.
    value_and_derivative: Callable | None = None

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"name: expected a str, got {type(self.name).__name__}")
        if not callable(self.fn):
            raise TypeError(f"fn: expected a callable z -> σ(z), got {type(self.fn).__name__}")
        for field in ("derivative", "value_and_derivative"):
            v = getattr(self, field)
            if v is not None and not callable(v):
                raise TypeError(f"{field}: expected a callable or None, got {type(v).__name__}")
        if self.abs_form is not None:
            form = self.abs_form
            if isinstance(form, (str, bytes)) or not isinstance(form, (tuple, list)) or len(form) != 3:
                raise TypeError(f"abs_form: expected a triple (α, β, γ) of real numbers or None, got {form!r}")
            object.__setattr__(self, "abs_form", tuple(check_real(v, f"abs_form[{i}]") for i, v in enumerate(form)))

    def __call__(self, z):
        """σ(z). Complex (and boolean) ``z`` raise ``TypeError``: σ is a real function; NaN or inf ``ValueError``."""
        return self.fn(check_points(z, "z"))

    def grad(self, z):
        """σ'(z). Raises ``ValueError`` if the derivative was not given, ``TypeError`` for complex ``z``."""
        if self.derivative is None:
            raise ValueError(f"activation {self.name!r} has no derivative; pass derivative= to as_activation")
        return self.derivative(check_points(z, "z"))

    def value_and_grad(self, z):
        """``(σ(z), σ'(z))``, equal to ``(self(z), self.grad(z))``, in one pass where the entry allows.

        Raises ``ValueError`` if the derivative was not given, ``TypeError`` for complex ``z``.
        """
        check_points(z, "z")
        if self.value_and_derivative is not None:
            return self.value_and_derivative(z)
        if self.derivative is None:
            raise ValueError(f"activation {self.name!r} has no derivative; pass derivative= to as_activation")
        return self.fn(z), self.derivative(z)


def _he(k: int) -> Activation:
    # He_k' = k He_{k-1}
    return Activation(f"he{k}", lambda z: hermite_he(k, z),
                      (lambda z: k * hermite_he(k - 1, z)) if k >= 1 else (lambda z: 0.0 * z))


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation("relu", _relu, _step, abs_form=(0.5, 0.5, 0.0)),
    "tanh": Activation("tanh", _tanh, _dtanh, value_and_derivative=_tanh_and_dtanh),
    "sigmoid": Activation("sigmoid", _sigmoid, _dsigmoid),
    "softplus": Activation("softplus", _softplus, _sigmoid, value_and_derivative=_softplus_and_sigmoid),
    # [z]_+^1 = min{max(z, 0), 1}, the output activation of SL21's strong class Eq. (2)
    "clipped_relu": Activation("clipped_relu", _clipped_relu, _clipped_relu_grad),
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
    if derivative is not None and not callable(derivative):
        raise TypeError(f"derivative: expected a callable or None, got {type(derivative).__name__}")
    if isinstance(act, Activation):
        return act
    if isinstance(act, str):
        key = act.strip().lower()
        if key not in ACTIVATIONS:
            raise ValueError(f"activation: unknown name {act!r} (argument act); expected one of {', '.join(sorted(ACTIVATIONS))} "
                             "or a callable")
        return ACTIVATIONS[key]
    if callable(act):
        return Activation(getattr(act, "__name__", "custom"), act, derivative)
    raise TypeError(f"activation: expected a name or a callable (argument act), got {type(act).__name__}")
