"""Two-layer networks ``f(x) = s·aᵀσ(Wᵀx + c)`` and the parametrisations of the one-step papers.

Three parametrisations (``PARAMETRIZATIONS``), each a bundle of initialisation, output scale and
step rule:

``"moniri"`` -- Moniri, Lee, Hassani, Dobriban 2023 (MLHD23).
    Neurons ``w_j ~ Unif(S^{d−1})`` (review #1 of MLHD23: W₀ "sampled from a uniform distribution
    on the unit sphere"; docs/papers/mlhd23.md §2.1), so ``w_jᵀx ~ N(0, 1)`` exactly; ``a_j ~ N(0, 1/N)``
    (*reconstructed*, docs/papers/mlhd23.md §2.2: only ``|a_j| ≍ N^{−1/2}`` matters); output scale 1; step
    ``W = W₀ + ηG`` with a plain η (no √N).
``"ba"`` -- Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022 (BA22), mean-field.
    ``f = (1/√N) aᵀσ(Wᵀx)`` (read: BA22 overview), step ``W = W₀ + η√N·G`` (read: MLHD23 review
    #1 "learning rate η√N"); ``W_ij ~ N(0, 1/d)``, ``a_j ~ N(0, 1/N)`` are *recalled*, not read
    (docs/papers/mlhd23.md §7.2 [reconstructed]). The per-neuron move is then ≍ η/√N, as for ``"moniri"`` (docs/papers/mlhd23.md §7.3).
``"dls22"`` -- the reference algorithm of Damian–Lee–Soltanolkotabi 2022 (public code
    ``adamian98/COLT2022``, anchors note §1.1).
    ``w_j ~ N(0, I/d)``, biases ``c_j ~ N(0, 1)``, ``a_j`` Rademacher, symmetric initialisation
    (neuron ``j + N/2`` copies neuron ``j`` with ``−a_j``, so the network is 0 at
    initialisation), labels with their empirical constant and linear part removed, and the
    normalised step ``W ← η·G/rms_j‖G_j‖`` that *replaces* W₀ (η = 1 in the reference).

Layout: ``W`` is ``d × N`` (columns are neurons), ``a`` and ``c`` have length ``N``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from types import ModuleType
from typing import Any, ClassVar, Sequence

from featlearn.backends import Generator, array_namespace, resolve_float_dtype
from featlearn.models.estimator import Estimator
from featlearn.validation import (check_array, check_backend, check_choice, check_finite_output, check_int,
                                  check_memory, check_real)
from featlearn.theory.activations import Activation, as_activation

__all__ = ["PARAMETRIZATIONS", "Parametrization", "TwoLayerNetwork", "get_parametrization", "init_network"]


@dataclass(frozen=True)
class Parametrization:
    """Initialisation, output scale and step rule of one paper's two-layer network.

    Attributes
    ----------
    name : str
    w_init : {"sphere", "gaussian"}
        Neurons uniform on the unit sphere, or ``N(0, I/d)``.
    a_law : {"gaussian", "rademacher"}
        ``a_j ~ N(0, 1/N)``, or ``a_j = ±1``.
    bias : bool
        Whether neurons have biases ``c_j ~ N(0, 1)``.
    mean_field : bool
        Output scale ``1/√N`` and step ``η√N`` (BA22) instead of 1 and η.
    normalized_step : bool
        The DLS22 step ``W ← η·G/rms‖G_j‖`` (W₀ discarded) instead of ``W₀ + η·G``.
    symmetric : bool
        Default for symmetric initialisation.
    center_labels : bool
        Default for removing the labels' empirical constant and linear part (DLS22).
    activation : str
        Default activation.
    """

    name: str
    w_init: str
    a_law: str
    bias: bool
    mean_field: bool
    normalized_step: bool
    symmetric: bool
    center_labels: bool
    activation: str

    def output_scale(self, width: int) -> float:
        """``1/√N`` for the mean-field parametrisation, else 1."""
        width = check_int(width, "width", min_val=1)
        return 1.0 / math.sqrt(width) if self.mean_field else 1.0

    def step_multiplier(self, width: int) -> float:
        """Factor multiplying η in ``W = W₀ + η·factor·G``: √N (mean field) or 1."""
        width = check_int(width, "width", min_val=1)
        return math.sqrt(width) if self.mean_field else 1.0

    def constant_second_layer(self, width: int) -> float:
        """The constant ``a_j`` of ``second_layer="constant"``: the asymptotic one-step theory's initial second layer.

        ``N^{−e}`` with ``e`` from :data:`CONSTANT_SECOND_LAYER_EXPONENTS`: ``1/N`` for ``"moniri"`` (output
        scale 1) and ``1/√N`` for ``"ba"`` (output scale 1/√N), so that ``f₀(x) = (1/N)Σ_j σ(w_jᵀx)`` in both,
        as :func:`featlearn.papers.cui24.initial_second_layer` and ``featlearn_step_size`` assume. A
        parametrisation without such a theory (``"dls22"``: Rademacher ±1 and a normalised step that
        discards W₀) raises ``ValueError`` naming ``second_layer`` and ``parametrization``.
        """
        width = check_int(width, "width", min_val=1)
        exponent = CONSTANT_SECOND_LAYER_EXPONENTS.get(self.name)
        if exponent is None:
            theories = ", ".join(repr(k) for k in CONSTANT_SECOND_LAYER_EXPONENTS)
            raise ValueError(f"second_layer: 'constant' is ambiguous for parametrization {self.name!r} (its theory has "
                             f"no constant initial second layer); use it with parametrization {theories}, or "
                             f"choose second_layer 'gaussian' or 'rademacher'")
        # 1/√N computed as the theory's initial_second_layer does, so the two agree to the last bit
        return 1.0 / (math.sqrt(width) if exponent == 0.5 else float(width) ** exponent)


#: Exponent ``e`` of the constant initial second layer ``a_j = N^{−e}`` (``second_layer="constant"``) of each
#: parametrisation whose one-step theory has one (docs/papers/cui24.md §4: ``"ba"`` a₀ = 1/√N, ``"moniri"``
#: a₀ = 1/N); parametrisations not listed refuse ``"constant"``.
CONSTANT_SECOND_LAYER_EXPONENTS: dict[str, float] = {"moniri": 1.0, "ba": 0.5}


PARAMETRIZATIONS: dict[str, Parametrization] = {
    # tanh_softplus: centred tanh + 2 softplus, all of μ_1, μ_2, μ_3 non-zero (docs/papers/mlhd23.md §4.3, §6.2)
    "moniri": Parametrization("moniri", "sphere", "gaussian", False, False, False, False, False, "tanh_softplus"),
    "ba": Parametrization("ba", "gaussian", "gaussian", False, True, False, False, False, "tanh_softplus"),
    "dls22": Parametrization("dls22", "gaussian", "rademacher", True, False, True, True, True, "relu"),
}


def check_networks_backend(nets: Sequence["TwoLayerNetwork"], name: str = "nets") -> None:
    """``TypeError`` naming ``nets[i]`` and both backends unless every network is on the backend of ``nets[0]``
    (checked before a pass that evaluates them all on the same data)."""
    for i, net in enumerate(nets[1:], start=1):
        check_backend(net.xp, f"{name}[{i}]", nets[0].xp, like=f"{name}[0]", kind="a network")


def get_parametrization(name: str | Parametrization) -> Parametrization:
    """Look up a parametrisation by name (``ValueError`` naming ``parametrization`` if unknown)."""
    if isinstance(name, Parametrization):
        return name
    if not isinstance(name, str):
        raise TypeError(f"parametrization: expected a name, got {type(name).__name__}")
    key = name.strip().lower()
    if key not in PARAMETRIZATIONS:
        raise ValueError(f"parametrization: expected one of {', '.join(PARAMETRIZATIONS)}, got {name!r}")
    return PARAMETRIZATIONS[key]


@dataclass(frozen=True)
class TwoLayerNetwork:
    """``f(x) = output_scale · aᵀσ(Wᵀx + bias)`` with ``W`` of shape ``(d, N)``.

    A weights container: it has no ``fit``. Networks are drawn by :func:`init_network` and trained by
    the algorithms that hold one, e.g. :class:`featlearn.models.one_step.OneStepNetwork` (MLHD23's and
    BA22's one gradient step, then ridge), which return a ``TwoLayerNetwork`` as ``network_``.
    :meth:`predict` is the network's output ``f(X)`` (the same as calling it) and :meth:`score` its
    mean squared error (:attr:`metric` ``"mse"``): the :class:`~featlearn.models.estimator.Estimator`
    mixin's ``score``, borrowed rather than inherited, because an ``Estimator`` constructs from defaults and
    fits on data alone (``tests/models/test_estimator_common.py``), which a weights container cannot.

    Parameters
    ----------
    W : array, shape (d, N)
        First-layer weights, one neuron per column.
    a : array, shape (N,)
        Second-layer weights.
    activation : Activation
        σ, with its derivative (needed for the gradient).
    bias : array, shape (N,), optional
        Neuron biases (DLS22); ``None`` for none.
    output_scale : float
        ``1/√N`` in BA22's mean-field parametrisation, else 1.
    parametrization : Parametrization
        The rule set the network was initialised with (used by the step).

    Examples
    --------
    >>> import numpy as xp
    >>> from featlearn.backends import Generator
    >>> net = init_network(Generator(0, xp=xp), 3, 4, symmetric=True)
    >>> X = Generator(1, xp=xp).normal((5, 3))
    >>> float(xp.max(xp.abs(net(X)))) < 1e-12   # symmetric initialisation: f₀ = 0 (up to rounding)
    True
    >>> net.predict(X).shape, net.score(X, xp.ones(5))   # f₀ = 0: the mean squared error of 0 against 1
    ((5,), 1.0)
    """

    #: The error :meth:`score` reports: the mean squared error (as :attr:`Estimator.metric`).
    metric: ClassVar[str] = "mse"
    #: ``score(X, y)``: the mean squared error of :meth:`predict` on arrays or a stream (the mixin's method).
    score = Estimator.score

    W: Any
    a: Any
    activation: Activation
    bias: Any = None
    output_scale: float = 1.0
    parametrization: Parametrization = PARAMETRIZATIONS["moniri"]

    def __post_init__(self):
        if not (hasattr(self.W, "shape") and hasattr(self.W, "dtype")):
            raise TypeError(f"W: expected a (d, N) array, got {type(self.W).__name__}")
        if self.W.ndim != 2:
            raise ValueError(f"W: expected a (d, N) matrix, got shape {tuple(self.W.shape)}")
        W = check_array(self.W, "W", ndim=2)
        xp = array_namespace(W)
        a = check_array(self.a, "a", ndim=1, xp=xp, dtype=W.dtype, min_rows=0)
        if tuple(a.shape) != (W.shape[1],):
            raise ValueError(f"a: expected shape ({W.shape[1]},) to match W's {W.shape[1]} neurons, "
                             f"got {tuple(a.shape)}")
        bias = self.bias
        if bias is not None:
            bias = check_array(bias, "bias", ndim=1, xp=xp, dtype=W.dtype, min_rows=0)
            if tuple(bias.shape) != (W.shape[1],):
                raise ValueError(f"bias: expected shape ({W.shape[1]},), got {tuple(bias.shape)}")
        object.__setattr__(self, "W", W)
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "bias", bias)
        if not isinstance(self.activation, Activation):
            object.__setattr__(self, "activation", as_activation(self.activation))
        object.__setattr__(self, "output_scale", check_real(self.output_scale, "output_scale", min_val=0.0,
                                                            include_boundaries="neither"))
        object.__setattr__(self, "parametrization", get_parametrization(self.parametrization))

    # -- shape and namespace --------------------------------------------------------------------------
    @property
    def xp(self) -> ModuleType:
        return array_namespace(self.W)

    @property
    def d(self) -> int:
        return int(self.W.shape[0])

    @property
    def width(self) -> int:
        return int(self.W.shape[1])

    @property
    def dtype(self):
        return self.W.dtype

    def check_input(self, X, name: str = "X"):
        """``X`` validated for this network: an ``(m, d)`` finite real array of its backend and dtype.

        Lists and integer arrays are converted to the network's dtype, float16 is up-cast
        (:func:`featlearn.validation.check_array`); a wrong d, ndim, backend or dtype kind, or
        NaN/inf, raises ``ValueError``/``TypeError`` naming ``name``.
        """
        X = check_array(X, name, ndim=2, xp=self.xp, dtype=self.W.dtype, like="the network")
        if X.shape[1] != self.d:
            raise ValueError(f"{name}: expected shape (m, {self.d}) for a network with input dimension "
                             f"d = {self.d}, got {tuple(X.shape)} (mismatched dimensions between data and network)")
        return X

    # -- evaluation -------------------------------------------------------------------------------------
    def _preactivations(self, X):
        Z = X @ self.W
        return Z if self.bias is None else Z + self.bias[None, :]

    def _raw_features(self, X):
        """σ(XW + bias) without validation: for data already checked (:meth:`check_input`)."""
        return self.activation.fn(self._preactivations(X))

    def raw_features(self, X):
        """σ(XW + bias), unscaled: the same as :meth:`features` (``X`` validated by :meth:`check_input`)."""
        return self._raw_features(self.check_input(X))

    def preactivations(self, X):
        """``XW + bias``: shape ``(m, N)``."""
        return self._preactivations(self.check_input(X))

    def features(self, X):
        """The feature matrix ``F = σ(XW + bias)`` (unscaled), shape ``(m, N)``."""
        return self._raw_features(self.check_input(X))

    def __call__(self, X):
        """Network output ``f(X)``, shape ``(m,)``."""
        X = self.check_input(X)
        return check_finite_output(self.output_scale * (self._raw_features(X) @ self.a))

    def predict(self, X):
        """The network's output ``f(X)``, shape ``(m,)`` (``X`` validated as in :meth:`check_input`)."""
        return self(X)

    def weight_gradient_sum(self, X, r):
        """``Σ_i r_i · s · x_i (a ⊙ σ'(Wᵀx_i + c))ᵀ = s·Xᵀ[(r aᵀ) ⊙ σ'(XW + c)]``, shape ``(d, N)``.

        Divided by n over all chunks, this is ``−∇_W L`` for ``L = (1/2n)‖y − f(X)‖²`` when
        ``r = y − f(X)`` (the negative gradient, i.e. the descent direction G).
        """
        X = self.check_input(X)
        r = check_array(r, "r", ndim=1, xp=self.xp, dtype=X.dtype, rows=int(X.shape[0]))
        Z = self._preactivations(X)
        D = self.activation.grad(Z) if self.activation.derivative is None else self.activation.derivative(Z)
        # Σ_i x_i r_i σ'_ij a_j = [(X ⊙ r)ᵀ σ']_·j a_j: the scalings act on m × d and d × N
        # arrays instead of two extra passes over the m × N matrix σ'
        return ((X * r[:, None]).T @ D) * (self.output_scale * self.a)[None, :]

    def with_weights(self, W) -> "TwoLayerNetwork":
        """The same network with first-layer weights ``W`` (same shape)."""
        W = check_array(W, "W", ndim=2, xp=self.xp)
        if tuple(W.shape) != tuple(self.W.shape):
            raise ValueError(f"W: expected shape {tuple(self.W.shape)}, got {tuple(W.shape)}")
        return replace(self, W=W)

    def with_second_layer(self, a) -> "TwoLayerNetwork":
        """The same network with second-layer weights ``a``."""
        return replace(self, a=a)


#: Laws of the second layer at initialisation (``second_layer=`` of :func:`init_network`).
SECOND_LAYER_LAWS = ("gaussian", "rademacher", "constant")


def _init_a(rng: Generator, width: int, law: str, dtype, full_width: int, p: Parametrization):
    if law == "rademacher":
        return rng.rademacher((width,), dtype=dtype)
    if law == "constant":  # the asymptotic one-step theory's a₀ (Cui et al. 2024): 1/N (moniri), 1/√N (ba)
        return rng.xp.full((width,), p.constant_second_layer(full_width), dtype=dtype, device=rng.device)
    return rng.normal((width,), dtype=dtype, std=1.0 / math.sqrt(width))


def init_network(rng: Generator, d: int, width: int, *, activation: str | Activation | None = None,
                 parametrization: str | Parametrization = "moniri", symmetric: bool | None = None,
                 second_layer: str | None = None, dtype=None) -> TwoLayerNetwork:
    """Draw a network at initialisation in one of the :data:`PARAMETRIZATIONS`.

    Parameters
    ----------
    rng : Generator
        Source of randomness; arrays are of its backend (children ``"W"``, ``"a"``, ``"bias"``).
    d, width : int
        Input dimension and number of neurons N (positive ints).
    activation : str or Activation, optional
        σ (must have a derivative); the parametrisation's default if omitted.
    parametrization : {"moniri", "ba", "dls22"}
    symmetric : bool, optional
        Symmetric initialisation: neurons ``N/2..N−1`` copy neurons ``0..N/2−1`` (weights and
        biases) with opposite second-layer weights, so ``f₀ ≡ 0`` (DLS22). Needs an even
        width. Default: the parametrisation's (True for ``"dls22"`` only).
    second_layer : {"gaussian", "rademacher", "constant"}, optional
        Law of ``a`` at initialisation: ``N(0, 1/N)``, ``±1``, or the constant of the parametrisation's
        asymptotic one-step theory (:meth:`Parametrization.constant_second_layer`: ``1/N`` for moniri,
        ``1/√N`` for ba, so that ``f₀ = (1/N)Σ_j σ(w_jᵀx)`` and
        :func:`featlearn.papers.cui24.featlearn_step_size` moves every neuron as the theory says; with
        ``symmetric``, the mirrored half is its negative). ``"constant"`` is refused (``ValueError``) for
        dls22, whose theory has no constant second layer. Default: the parametrisation's
        (``"gaussian"`` for moniri and ba, ``"rademacher"`` for dls22).
    dtype : optional
        Float dtype (backend default: float64 on CPU, float32 on GPU).
    """
    if not isinstance(rng, Generator):
        raise TypeError(f"rng: expected a featlearn.backends.Generator, got {type(rng).__name__}")
    d = check_int(d, "d", min_val=1)
    width = check_int(width, "width", min_val=1)
    p = get_parametrization(parametrization)
    act = as_activation(p.activation if activation is None else activation)
    if act.derivative is None:
        raise ValueError(f"activation: {act.name!r} has no derivative; the gradient step needs σ'")
    law = p.a_law if second_layer is None else check_choice(second_layer, "second_layer", SECOND_LAYER_LAWS)
    if law == "constant":
        p.constant_second_layer(width)  # refused before any draw where the theory has no constant a₀
    if symmetric is not None and not isinstance(symmetric, bool):
        if type(symmetric).__name__ != "bool_":  # NumPy's bool passes
            raise TypeError(f"symmetric: expected a bool or None, got {type(symmetric).__name__} {symmetric!r}")
    symmetric = p.symmetric if symmetric is None else bool(symmetric)
    if symmetric and width % 2:
        raise ValueError(f"width: symmetric initialisation needs an even width, got {width}")
    dtype = resolve_float_dtype(rng.xp, dtype, rng.device)
    check_memory(8.0 * (d + 3) * width, f"init_network: W of shape (d, width) = ({d}, {width})")
    m = width // 2 if symmetric else width
    if p.w_init == "sphere":
        W = rng.child("W").sphere(m, d, dtype=dtype).T
    else:
        W = rng.child("W").normal((d, m), dtype=dtype, std=1.0 / math.sqrt(d))
    a = _init_a(rng.child("a"), m, law, dtype, width, p)
    if law == "gaussian" and symmetric:
        a = a * math.sqrt(m / width)  # variance 1/N over the full width
    bias = rng.child("bias").normal((m,), dtype=dtype) if p.bias else None
    if symmetric:
        xp = rng.xp
        W = xp.concat([W, W], axis=1)
        a = xp.concat([a, -a])
        bias = None if bias is None else xp.concat([bias, bias])
    return TwoLayerNetwork(W, a, act, bias, p.output_scale(width), p)
