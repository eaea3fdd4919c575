"""The spiked random-features equivalent of one large gradient step, and its ridge errors (Cui et al. 2024).

Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024 (ICML 2024, arXiv 2402.04980, Result 3.3)
describe the first layer after one gradient step of normalised size η̃ on n₀ = α₀·d fresh samples
as a *spiked random-features* model (docs/papers/cui24.md §2):

* a bulk ``c·W₀`` with ``c = √(1 + η̃²·E[y²]·E[(σ'(z) − μ₁)²]/α₀)``;
* a rank-one spike, shared by every neuron, of strength ``r = η̃·μ₁·√(E[y²]/α₀ + μ₁*²)`` along a
  direction whose alignment with the target direction is ``γ = μ₁*/√(E[y²]/α₀ + μ₁*²)``;

(μ₁ = E[zσ(z)], μ₁* = E[zσ*(z)], E[y²] = E[σ*(z)²] + noise²). These three constants and the
structure of the fixed point below were **read in the peer's public theory notebook**
(``SPOC-group/OneStepGD_asymptotics``, ``theory.ipynb``; docs/papers/cui24.md §2). What goes
beyond it is **reconstructed** (docs/papers/cui24.md §3): the limit of the notebook's finite-d
spectral sums by the Marchenko–Pastur law, the label noise, the training error, and the mappings
to featlearn's parametrisations and ridge normalisation.

Conventions (docs/papers/cui24.md §4): width p = d; ``α = n/p`` ridge samples per neuron; λ is
featlearn's **normalised** ridge ``(1/n)‖y − Fa‖² + λ‖a‖²`` on the unscaled features ``F = σ(XW)``
(the peer's ``‖y − Fw/√p‖² + λ_p‖w‖²`` has ``λ_p = α·λ``; see :func:`featlearn_lambda`).

Everything runs on the host quadrature nodes of :mod:`featlearn.theory.host_constants` moved into
an Array-API namespace (default ``array_api_compat.numpy``); the results are host floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import ModuleType
from typing import Callable

from featlearn.backends import get_namespace
from featlearn.theory.activations import Activation, as_activation
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients
from featlearn.theory.host_constants import gauss_legendre, gaussian_quadrature
from featlearn.validation import check_choice, check_int, check_memory, check_real

from .setting import ACTIVATION, LINKS, NOISE, Setting

__all__ = [
    "FixedPoint",
    "SpikedRandomFeatures",
    "equivalent_model",
    "featlearn_lambda",
    "featlearn_step_size",
    "initial_second_layer",
    "marchenko_pastur_nodes",
    "random_features_ridge_error",
    "ridge_errors",
    "setting_cell",
    "setting_fixed_point",
]

#: Parametrisations of :mod:`featlearn.models.two_layer` the equivalent model applies to (with a
#: constant second layer at initialisation, see :func:`initial_second_layer`); ``"dls22"`` does not.
APPLICABLE = ("ba", "moniri")


def _activation(fn, name: str) -> Activation:
    try:
        return as_activation(fn)
    except (ValueError, TypeError) as exc:
        raise type(exc)(f"{name}: {exc}") from None


def _namespace(xp, name: str = "xp") -> ModuleType:
    """An array namespace for ``xp`` (a backend name or a namespace), checked under the caller's parameter name."""
    try:
        return get_namespace(xp)
    except (ValueError, TypeError) as exc:
        msg = str(exc)
        raise type(exc)(f"{name}: {msg[len('backend: '):] if msg.startswith('backend: ') else msg}") from None


def _check_order(order, name: str, what: str) -> int:
    """The node count of the Marchenko–Pastur rule, within memory (an order × order eigenproblem)."""
    order = check_int(order, name, min_val=2)
    # Golub–Welsch holds an order × order tridiagonal eigenproblem: refused up front, not a bare MemoryError
    check_memory(8.0 * order * order, f"{what}: {name} = {order}")
    return order


def _moment(fn: Callable, name: str) -> float:
    try:
        v = float(gaussian_moment(fn))
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ValueError(f"{name}: its Gaussian moments are undefined ({exc})") from None
    if not math.isfinite(v):
        raise ValueError(f"{name}: its Gaussian moments are undefined (got {v})")
    return v


def _coefficients(act: Activation, name: str) -> tuple[float, float]:
    try:
        mu = [float(v) for v in hermite_coefficients(act, 1)]
    except (ValueError, TypeError, ArithmeticError) as exc:
        raise ValueError(f"{name}: its Hermite coefficients are undefined ({exc})") from None
    if not all(math.isfinite(v) for v in mu):
        raise ValueError(f"{name}: its Hermite coefficients are undefined (got {mu})")
    return mu[0], mu[1]


# -- the equivalent model ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SpikedRandomFeatures:
    """The spiked random-features model equivalent to one step (docs/papers/cui24.md §2).

    Attributes
    ----------
    activation, link : Activation
        Student σ and target link σ*.
    eta_tilde, alpha0, noise_std : float
        Normalised step η̃, step samples per dimension α₀ = n₀/d, label-noise standard deviation.
    r : float
        Spike strength ``η̃·μ₁·√(E[y²]/α₀ + μ₁*²)`` (0 without a step).
    c : float
        Bulk scale ``√(1 + η̃²·E[y²]·E[(σ' − μ₁)²]/α₀)`` (1 without a step).
    gamma : float
        Alignment of the spike with the target direction, ``μ₁*/√(E[y²]/α₀ + μ₁*²)`` (0 without a step).
    mu0, mu1 : float
        σ's Hermite coefficients μ₀ = Eσ(z), μ₁ = E[zσ(z)].
    mu1_star, link_second_moment : float
        μ₁* = E[zσ*(z)] and E[σ*(z)²] (noise not included).
    """

    activation: Activation
    link: Activation
    eta_tilde: float
    alpha0: float
    noise_std: float
    r: float
    c: float
    gamma: float
    mu0: float
    mu1: float
    mu1_star: float
    link_second_moment: float

    @property
    def label_second_moment(self) -> float:
        """E[y²] = E[σ*²] + noise²."""
        return self.link_second_moment + self.noise_std ** 2

    @property
    def null_risk(self) -> float:
        """Risk of the zero predictor against the noisy labels, ``E[σ*²] + noise²``."""
        return self.label_second_moment

    @classmethod
    def from_setting(cls, setting, *, link: str = "tanh", cell=0) -> "SpikedRandomFeatures":
        """The equivalent model of one cell of a cui24 :class:`~featlearn.papers.cui24.Setting`.

        σ = tanh and the label noise (none) are the paper's constants (:mod:`.setting`); the step (η̃, α₀)
        is that of ``cell``: see :func:`setting_cell`. The ridge errors of the cell follow with
        :meth:`fixed_point` (or :func:`setting_fixed_point` in one call).

        Parameters
        ----------
        setting : featlearn.papers.cui24.Setting
        link : {"tanh", "sin"}
            The target link σ*.
        cell : int, "curve" or dict
            See :func:`setting_cell`.

        Examples
        --------
        >>> from featlearn.papers.cui24 import Setting, SpikedRandomFeatures
        >>> m = SpikedRandomFeatures.from_setting(Setting(), link="tanh", cell=0)
        >>> m.eta_tilde, m.alpha0
        (1.0, 2.0)
        >>> round(m.fixed_point(alpha=1.0, lam=0.1).test_excess, 4)
        0.1111
        """
        c = setting_cell(setting, cell)
        lnk = _link(link)
        return equivalent_model(ACTIVATION, lnk, eta_tilde=c["eta_tilde"], alpha0=c["alpha0"], noise_std=NOISE)

    def fixed_point(self, *, alpha: float, lam: float, **solver) -> "FixedPoint":
        """The ridge errors of this model on α = n/p samples per neuron with ridge λ: :func:`ridge_errors`.

        ``solver`` passes ``damping``, ``tol``, ``max_iter``, ``init``, ``order``, ``spectral_order`` and ``xp``.

        Examples
        --------
        >>> m = equivalent_model("tanh", "tanh", eta_tilde=2.0, alpha0=4.0)
        >>> round(m.fixed_point(alpha=2.0, lam=0.05).test_excess, 4)
        0.055
        """
        return ridge_errors(self, alpha=alpha, lam=lam, **solver)


def equivalent_model(activation, link, *, eta_tilde: float, alpha0: float, noise_std: float = 0.0) -> SpikedRandomFeatures:
    """The constants (r, c, γ) of the spiked random-features equivalent of one step.

    Formulas of the peer's notebook (stated as facts about that code, docs/papers/cui24.md §2),
    with its ``E[σ*²]`` replaced by ``E[y²] = E[σ*²] + noise²`` (reconstructed: the notebook is
    noiseless; the norm of ``(1/n)Xᵀy`` sees the noise, docs/papers/mlhd23.md §4.2 step 2).
    ``eta_tilde = 0`` gives the random-features model (r = 0, c = 1, γ = 0), whatever α₀.

    Parameters
    ----------
    activation : str or Activation
        σ, with a derivative (the bulk scale needs E[(σ' − μ₁)²]) when ``eta_tilde > 0``.
    link : str or Activation
        σ*.
    eta_tilde : float
        Normalised step, ``>= 0``: the per-neuron move is ``η̃·μ₁·(1/n₀)Xᵀy`` (docs/papers/cui24.md §4).
    alpha0 : float
        n₀/d, ``> 0``.
    noise_std : float
        Label-noise standard deviation, ``>= 0``.

    Raises
    ------
    ValueError
        η̃ < 0, α₀ <= 0, noise < 0, or σ/σ* whose needed Gaussian moments are undefined
        (non-finite at the quadrature nodes, or σ' missing for a step), naming the argument.

    Examples
    --------
    >>> m = equivalent_model("tanh", "tanh", eta_tilde=0.0, alpha0=1.0)
    >>> (m.r, m.c, m.gamma)
    (0.0, 1.0, 0.0)
    """
    eta = check_real(eta_tilde, "eta_tilde", min_val=0.0)
    a0 = check_real(alpha0, "alpha0", min_val=0.0, include_boundaries="neither")
    s = check_real(noise_std, "noise_std", min_val=0.0)
    act, lnk = _activation(activation, "activation"), _activation(link, "link")
    mu0, mu1 = _coefficients(act, "activation")
    _moment(lambda z: act(z) ** 2, "activation")
    _, mu1s = _coefficients(lnk, "link")
    m2s = _moment(lambda z: lnk(z) ** 2, "link")
    ey2 = m2s + s * s
    if eta == 0.0:
        return SpikedRandomFeatures(act, lnk, eta, a0, s, 0.0, 1.0, 0.0, mu0, mu1, mu1s, m2s)
    if act.derivative is None:
        raise ValueError(f"activation: {act.name!r} has no derivative; the bulk scale needs E[(σ' − μ₁)²]")
    spread = _moment(lambda z: (act.grad(z) - mu1) ** 2, "activation")
    b = math.sqrt(ey2 / a0 + mu1s * mu1s)  # lim ‖(1/n₀)Xᵀy‖
    gamma = mu1s / b if b > 0 else 0.0
    return SpikedRandomFeatures(act, lnk, eta, a0, s, eta * mu1 * b, math.sqrt(1.0 + eta * eta * ey2 * spread / a0),
                                gamma, mu0, mu1, mu1s, m2s)


# -- from a Setting of the paper --------------------------------------------------------------------------------
_CELL_KEYS = ("eta_tilde", "alpha0", "alpha", "lam")


def _link(link: str):
    return LINKS[check_choice(link, "link", tuple(LINKS))]


def setting_cell(setting, cell=0) -> dict[str, float]:
    """The (η̃, α₀, α, λ) of one cell of a cui24 :class:`~featlearn.papers.cui24.Setting`.

    Parameters
    ----------
    setting : featlearn.papers.cui24.Setting
    cell : int, "curve" or dict
        An index into ``setting.one_step_settings()`` (the cells of ``cui24-one-step`` and the claims
        ``cui24.test-error-*``); ``"curve"``: the step of the learning curve (``curve_eta_tilde``,
        ``curve_alpha0``, ``curve_lam``; α = the first of ``curve_alphas``); or a dict with the four keys
        (e.g. a cell of :func:`featlearn.papers.cui24.experiments.curve_grid`).

    Raises
    ------
    TypeError
        ``setting`` is not a cui24 Setting, or ``cell`` is of another type.
    ValueError
        An index out of range, or a dict missing a key or with a bad value.

    Examples
    --------
    >>> from featlearn.papers.cui24 import Setting
    >>> setting_cell(Setting(), 2)
    {'eta_tilde': 3.0, 'alpha0': 4.0, 'alpha': 1.5, 'lam': 0.02}
    """
    if not isinstance(setting, Setting):
        raise TypeError(f"setting: expected a featlearn.papers.cui24.Setting, got {type(setting).__name__}")
    if isinstance(cell, str):
        check_choice(cell, "cell", ("curve",))
        return {"eta_tilde": float(setting.curve_eta_tilde), "alpha0": float(setting.curve_alpha0),
                "alpha": float(setting.curve_alphas[0]), "lam": float(setting.curve_lam)}
    if isinstance(cell, dict):
        missing = [k for k in _CELL_KEYS if k not in cell]
        if missing:
            raise ValueError(f"cell: expected the keys {_CELL_KEYS}, missing {missing}")
        return {"eta_tilde": check_real(cell["eta_tilde"], "cell['eta_tilde']", min_val=0.0),
                "alpha0": check_real(cell["alpha0"], "cell['alpha0']", min_val=0.0, include_boundaries="neither"),
                "alpha": check_real(cell["alpha"], "cell['alpha']", min_val=0.0, include_boundaries="neither"),
                "lam": check_real(cell["lam"], "cell['lam']", min_val=0.0)}
    cells = setting.one_step_settings()
    i = check_int(cell, "cell", min_val=0, max_val=len(cells) - 1)
    return {k: float(v) for k, v in cells[i].items()}


def setting_fixed_point(setting, *, link: str = "tanh", cell=0, **solver) -> "FixedPoint":
    """The fixed point (predicted test excess risk, training error, overlaps) of one cell of a cui24 Setting.

    The theory side of one cell of ``cui24-one-step`` / ``cui24-curve``, without training:
    ``SpikedRandomFeatures.from_setting(setting, link=link, cell=cell).fixed_point(alpha=α, lam=λ)``
    with (α, λ) of the cell (:func:`setting_cell`).

    Examples
    --------
    >>> from featlearn.papers.cui24 import Setting
    >>> fp = setting_fixed_point(Setting(), link="sin", cell=1)
    >>> round(fp.test_excess, 4)
    0.0878
    """
    c = setting_cell(setting, cell)
    model = SpikedRandomFeatures.from_setting(setting, link=link, cell=c)
    return model.fixed_point(alpha=c["alpha"], lam=c["lam"], **solver)


# -- mapping to featlearn's parametrisations (reconstructed, docs/papers/cui24.md §4) ------------------------------
def _parametrization(name: str) -> str:
    check_choice(name, "parametrization", ("moniri", "ba", "dls22"))
    if name == "dls22":
        raise ValueError("parametrization: the equivalent model does not apply to 'dls22' (its normalised step "
                         "discards W₀, its biases and Rademacher second layer differ; docs/papers/cui24.md §4)")
    return name


def initial_second_layer(width: int, parametrization: str = "ba") -> float:
    """The constant second-layer weight at initialisation that makes featlearn's network the peer's.

    ``"ba"`` (output scale 1/√N): ``a_j = 1/√N``; ``"moniri"`` (output scale 1): ``a_j = 1/N``.
    Either way ``f₀(x) = (1/N)Σ_j σ(w_jᵀx)`` as in the peer's simulation (reconstructed mapping).
    featlearn's default Gaussian ``a_j ~ N(0, 1/N)`` gives every neuron its own spike strength
    ``∝ √N·a_j``, which this equivalent model does not cover.
    """
    width = check_int(width, "width", min_val=1)
    return 1.0 / math.sqrt(width) if _parametrization(parametrization) == "ba" else 1.0 / width


def featlearn_step_size(eta_tilde: float, width: int, parametrization: str = "ba") -> float:
    """featlearn's η for the normalised step η̃: ``η̃√N`` (``"ba"``, the peer's own scaling) or ``η̃N`` (``"moniri"``).

    With the second layer of :func:`initial_second_layer`, featlearn's step (``W₀ + η√N·G`` resp.
    ``W₀ + η·G``) moves neuron j by ``η̃·(1/n₀)Σ_i x_i r_i σ'(w_jᵀx_i)`` (reconstructed mapping).
    """
    eta = check_real(eta_tilde, "eta_tilde", min_val=0.0)
    width = check_int(width, "width", min_val=1)
    return eta * (math.sqrt(width) if _parametrization(parametrization) == "ba" else float(width))


def featlearn_lambda(lam: float, *, width: int, parametrization: str = "ba") -> float:
    """featlearn's ridge λ for the normalised λ of this module.

    This module's λ is that of ``(1/n)‖y − Fa‖² + λ‖a‖²`` on unscaled features (``"moniri"``,
    output scale 1: returned unchanged); with ``"ba"``'s output scale 1/√N the same fit needs
    ``λ/N``. The peer's ``‖y − Fw/√p‖² + λ_p‖w‖²`` is ``λ_p = α·λ`` (α = n/p).
    """
    lam = check_real(lam, "lam", min_val=0.0)
    width = check_int(width, "width", min_val=1)
    return lam / width if _parametrization(parametrization) == "ba" else lam


# -- quadrature ---------------------------------------------------------------------------------------------------
def marchenko_pastur_nodes(order: int = 64, *, xp: ModuleType | None = None):
    """Nodes and weights of the Marchenko–Pastur law of ratio 1 (eigenvalues of ``W₀W₀ᵀ``, p = d).

    Density ``√(s(4 − s))/(2πs)`` on [0, 4]; with ``s = 2(1 − cos t)`` the measure is
    ``(1 + cos t)/π dt`` on [0, π], smooth, so Gauss–Legendre in t converges fast. Weights sum to 1.
    Rows of W₀ uniform on the unit sphere have the same limit (reconstructed).
    """
    hxp = get_namespace("numpy")  # host work on small arrays (quadrature and spectrum nodes)

    xp = hxp if xp is None else _namespace(xp)
    order = _check_order(order, "order", "marchenko_pastur_nodes")
    t, w = gauss_legendre(order)
    t = xp.asarray([math.pi * (float(v) + 1.0) / 2.0 for v in t], dtype=xp.float64)
    w = xp.asarray([float(v) * math.pi / 2.0 for v in w], dtype=xp.float64)
    return 2.0 * (1.0 - xp.cos(t)), w * (1.0 + xp.cos(t)) / math.pi


def _gauss_nodes(order: int, xp: ModuleType):
    x, w = gaussian_quadrature(order)
    keep = [i for i in range(x.shape[0]) if abs(float(x[i])) <= 10.0]  # mass beyond |z| = 10 is < 1e-22
    return (xp.asarray([float(x[i]) for i in keep], dtype=xp.float64),
            xp.asarray([float(w[i]) for i in keep], dtype=xp.float64))


# -- the fixed point ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FixedPoint:
    """The solved fixed point and the errors it predicts.

    Attributes
    ----------
    test_error : float
        Test error against noisy labels (excess + noise²).
    test_excess : float
        ``E(σ*(θᵀx) − f̂(x))²``, against the noiseless target.
    train_error : float
        ``(1/n)‖y − Fâ‖²`` at the fitted â (reconstructed: the replica residual shrunk by 1/(1 + V)).
    overlaps : dict
        ``q1, q2, V1, V2, theta, psi, m`` of the peer's notebook (docs/papers/cui24.md §3).
    iterations : int
    residual : float
        Largest change of an overlap in the last iteration.
    """

    test_error: float
    test_excess: float
    train_error: float
    overlaps: dict = field(default_factory=dict)
    iterations: int = 0
    residual: float = 0.0


_NAMES = ("q1", "q2", "V1", "V2", "theta", "psi", "m")
_DEFAULT_INIT = (0.1, 0.2, 3.0, 3.0, 0.5, 0.5, 1.5)  # the peer notebook's starting point


def ridge_errors(model: SpikedRandomFeatures, *, alpha: float, lam: float, damping: float = 0.5, tol: float = 1e-10,
                 max_iter: int = 20000, init: dict | tuple | None = None, order: int = 12, spectral_order: int = 96,
                 xp: ModuleType | None = None) -> FixedPoint:
    """Asymptotic ridge errors of the spiked random-features model, by a damped fixed-point iteration.

    The replica system of the peer's theory notebook (stated as facts about that code), with its
    finite-d spectral sums replaced by their Marchenko–Pastur limits and label noise added
    (reconstructed; docs/papers/cui24.md §3). Conditionally on the spike field κ ~ N(0, 1) a
    neuron's feature is ``μ₀(κ) + μ₁(κ)·g + μ₂(κ)·ξ`` (Gaussian equivalence) with
    ``μ₀(κ) = Eσ(rκ + cz)``, ``μ₁(κ) = E[zσ(rκ + cz)]/c``, ``μ₂(κ)² = Eσ(rκ + cz)² − μ₀² − c²μ₁²``.

    Parameters
    ----------
    model : SpikedRandomFeatures
        From :func:`equivalent_model`.
    alpha : float
        n/p, ridge samples per neuron (``> 0``; p = d).
    lam : float
        featlearn's normalised ridge λ (``>= 0``; see the module docstring).
    damping : float
        Weight of the old iterate, in [0, 1).
    tol : float
        Convergence: the largest change of an overlap in one iteration.
    max_iter : int
    init : dict or tuple, optional
        Starting overlaps ``(q1, q2, V1, V2, theta, psi, m)``; default the notebook's.
    order : int
        Gauss–Legendre nodes per unit interval of the Gaussian rule (κ and the inner z).
    spectral_order : int
        Nodes of the Marchenko–Pastur rule.
    xp : namespace, optional
        Array namespace for the work (default ``array_api_compat.numpy``).

    Raises
    ------
    ValueError
        α <= 0, λ < 0, a bad ``damping``/``tol``/``max_iter``/``init``, or an iteration that does not
        converge (the message gives the last residual and the iteration count).

    Examples
    --------
    >>> m = equivalent_model("tanh", "tanh", eta_tilde=1.0, alpha0=2.0)
    >>> fp = ridge_errors(m, alpha=1.0, lam=0.1)
    >>> 0.0 < fp.test_excess < m.null_risk
    True
    """
    hxp = get_namespace("numpy")  # host work on small arrays (quadrature and spectrum nodes)

    if not isinstance(model, SpikedRandomFeatures):
        raise TypeError(f"model: expected a SpikedRandomFeatures (from equivalent_model), got {type(model).__name__}")
    a = check_real(alpha, "alpha", min_val=0.0, include_boundaries="neither")
    lam_f = check_real(lam, "lam", min_val=0.0)
    damp = check_real(damping, "damping", min_val=0.0, max_val=1.0, include_boundaries="left")
    tol = check_real(tol, "tol", min_val=0.0, include_boundaries="neither")
    max_iter = check_int(max_iter, "max_iter", min_val=1)
    spectral_order = _check_order(spectral_order, "spectral_order", "ridge_errors")
    xp = hxp if xp is None else _namespace(xp)
    if init is None:
        state = list(_DEFAULT_INIT)
    else:
        if not isinstance(init, (dict, tuple, list)):
            raise TypeError(f"init: expected a dict or a tuple of the 7 overlaps {_NAMES}, got {type(init).__name__}")
        if isinstance(init, dict) and set(init) != set(_NAMES):
            raise ValueError(f"init: expected the keys {_NAMES}, got {sorted(map(str, init))}")
        vals = [init[k] for k in _NAMES] if isinstance(init, dict) else list(init)
        if len(vals) != len(_NAMES):
            raise ValueError(f"init: expected the 7 overlaps {_NAMES}, got {len(vals)} values")
        state = [check_real(v, f"init[{k}]") for k, v in zip(_NAMES, vals)]
        if state[2] < 0 or state[3] < 0:
            raise ValueError(f"init: V1 and V2 must be >= 0, got {state[2]}, {state[3]}")
    lam_p = a * lam_f  # the peer's unnormalised λ (module docstring)

    # conditional coefficients on the κ grid (outer) from the inner z rule
    k, wk = _gauss_nodes(order, xp)
    z, wz = _gauss_nodes(order, xp)
    r, c, g = model.r, model.c, model.gamma
    rho = math.sqrt(max(1.0 - g * g, 0.0))
    S = model.activation(r * k[:, None] + c * z[None, :])
    T = model.link(g * k[:, None] + rho * z[None, :])
    mu0 = S @ wz
    mu1 = (S * z[None, :]) @ wz / c
    mu2sq = xp.clip((S * S) @ wz - mu0 * mu0 - (c * c) * mu1 * mu1, 0.0, None)
    h, h1, hh = T @ wz, (T * z[None, :]) @ wz, (T * T) @ wz + model.noise_std ** 2
    if not bool(xp.all(xp.isfinite(mu0) & xp.isfinite(mu1) & xp.isfinite(mu2sq))):
        raise ValueError("model: the activation's conditional Hermite coefficients are not finite")
    if not bool(xp.all(xp.isfinite(hh))):
        raise ValueError("model: the link's conditional moments are not finite")
    mu0_sq = float(xp.sum(wk * mu0 * mu0))
    has_mean = mu0_sq > 1e-14 * max(1.0, float(xp.sum(wk * hh)))

    # spectral law of Ω = c²·W₀ΠW₀ᵀ: D = c²·s; F (spike-bulk weight) → c²; H (target-bulk weight) → D
    s, ws = marchenko_pastur_nodes(spectral_order, xp=xp)
    D = (c * c) * s
    Fw = c * c

    def E(v):
        return float(xp.sum(wk * v))

    def conditional_error(state):
        q1, q2, V1, V2, theta, psi, m = state
        Vk = mu1 * mu1 * V1 + mu2sq * V2
        ck = mu0 * m + mu1 * k * theta
        err = hh + ck * ck - 2.0 * ck * h - 2.0 * mu1 * psi * h1 + mu1 * mu1 * q1 + mu2sq * q2
        return Vk, err

    def step(state):
        # V̂ from (V1, V2); then (θ, m), ψ and (q1, q2), each linear given the V's, solved exactly
        # (reconstructed: the notebook iterates them, which diverges at small λ for α > 1)
        V1, V2 = state[2], state[3]
        Vk = mu1 * mu1 * V1 + mu2sq * V2
        inv = 1.0 / (1.0 + Vk)
        Vh1, Vh2 = a * E(mu1 * mu1 * inv), a * E(mu2sq * inv)
        Sd = lam_p + Vh1 * D + Vh2
        P1, PD = float(xp.sum(ws / Sd)), float(xp.sum(ws * D / Sd))
        P11, P1D, PDD = (float(xp.sum(ws / (Sd * Sd))), float(xp.sum(ws * D / (Sd * Sd))),
                         float(xp.sum(ws * D * D / (Sd * Sd))))
        # θ = α·Fw·P1·E[kμ₁(h − μ₀m − μ₁kθ)/(1+V)];  m·E[μ₀²/(1+V)] = E[μ₀(h − μ₁kθ)/(1+V)]
        kap = a * Fw * P1
        B, Ckm, Ckk = E(k * mu1 * h * inv), E(k * mu1 * mu0 * inv), E(k * k * mu1 * mu1 * inv)
        if has_mean:
            M00, M0h = E(mu0 * mu0 * inv), E(mu0 * h * inv)
            # [1 + κC_kk, κC_km; C_km, M00] (θ, m) = (κB, M0h)
            det = (1.0 + kap * Ckk) * M00 - kap * Ckm * Ckm
            theta = (kap * B * M00 - kap * Ckm * M0h) / det
            m = ((1.0 + kap * Ckk) * M0h - Ckm * kap * B) / det
        else:
            theta, m = kap * B / (1.0 + kap * Ckk), 0.0
        th = a * (B - m * Ckm - theta * Ckk)
        ph = a * E(mu1 * h1 * inv)
        psi = ph * PD
        # q̂ = α(e + M q),  q = N q̂ + t  ⇒  (I − αNM) q = αNe + t
        ck = mu0 * m + mu1 * k * theta
        e0 = hh + ck * ck - 2.0 * ck * h - 2.0 * mu1 * psi * h1
        w2 = inv * inv
        e1, e2 = E(mu1 * mu1 * e0 * w2), E(mu2sq * e0 * w2)
        M11, M12, M22 = E(mu1 ** 4 * w2), E(mu1 * mu1 * mu2sq * w2), E(mu2sq * mu2sq * w2)
        N11, N12, N22 = PDD, P1D, P11
        t1 = (th * th * Fw) * P1D + (ph * ph) * PDD
        t2 = (th * th * Fw) * P11 + (ph * ph) * P1D
        A11 = 1.0 - a * (N11 * M11 + N12 * M12)
        A12 = -a * (N11 * M12 + N12 * M22)
        A21 = -a * (N12 * M11 + N22 * M12)
        A22 = 1.0 - a * (N12 * M12 + N22 * M22)
        b1 = a * (N11 * e1 + N12 * e2) + t1
        b2 = a * (N12 * e1 + N22 * e2) + t2
        det = A11 * A22 - A12 * A21
        q1, q2 = (b1 * A22 - A12 * b2) / det, (A11 * b2 - A21 * b1) / det
        return [q1, q2, float(xp.sum(ws * D / Sd)), P1, theta, psi, m]

    res = math.inf
    for it in range(1, max_iter + 1):
        new = step(state)
        if not all(math.isfinite(v) for v in new):
            raise ValueError(f"lam: the fixed point diverged (non-finite overlaps after {it} iterations; "
                             f"λ = {lam_f!r} may be too small for α = {a!r})")
        res = max(abs(x - y) for x, y in zip(new, state))
        state = new[:2] + [damp * o + (1.0 - damp) * n_ for o, n_ in zip(state[2:4], new[2:4])] + new[4:]
        if res < tol:
            break
    else:
        raise ValueError(f"max_iter: the fixed point did not converge: residual {res:.3e} > tol {tol:.1e} after "
                         f"{max_iter} iterations (alpha={a!r}, lam={lam_f!r}); raise max_iter or damping")
    Vk, err = conditional_error(state)
    excess_noisy = E(err)  # conditional test error against the noisy labels
    train = E(err / ((1.0 + Vk) * (1.0 + Vk)))
    noise2 = model.noise_std ** 2
    return FixedPoint(test_error=excess_noisy, test_excess=excess_noisy - noise2, train_error=train,
                      overlaps=dict(zip(_NAMES, state)), iterations=it, residual=res)


# -- the no-step limit by an independent formula --------------------------------------------------------------------
def random_features_ridge_error(activation, link, *, alpha: float, lam: float, noise_std: float = 0.0,
                                spectral_order: int = 96) -> dict[str, float]:
    """Random-features ridge errors (no step, p = d) by Gaussian equivalence and the ridge deterministic equivalent.

    An independent route to the η̃ = 0 case of :func:`ridge_errors` (reconstructed: recollection of the
    standard results, docs/papers/cui24.md §3.3; the Mei–Montanari setting). With
    ``φ = μ₁W₀x + μ₂ξ`` (covariance ``Σ = μ₁²W₀W₀ᵀ + μ₂²I``), the label is jointly Gaussian with φ up
    to independent noise of variance ``σ_eff² = E[y²] − μ₀*² − μ₁²μ₁*²·tr-average of s/(μ₁²s + μ₂²)``.
    The effective ridge κ solves ``κ − λ = (κ/α)·avg[ℓ/(ℓ + κ)]``, ``df₂ = avg[ℓ²/(ℓ + κ)²]/α``, and

        test error = (κ²·μ₁²μ₁*²·avg[s/(ℓ(ℓ + κ)²)] + σ_eff²·df₂)/(1 − df₂) + σ_eff²,
        train error = (λ/κ)²·test error,

    averages over the Marchenko–Pastur law of s, ``ℓ = μ₁²s + μ₂²``. Constants (μ₀, μ₀*) are fitted
    exactly by the unregularised common mode of the features (as in the notebook's overlap m).
    """
    hxp = get_namespace("numpy")  # host work on small arrays (quadrature and spectrum nodes)

    m = equivalent_model(activation, link, eta_tilde=0.0, alpha0=1.0, noise_std=noise_std)
    spectral_order = _check_order(spectral_order, "spectral_order", "random_features_ridge_error")
    a = check_real(alpha, "alpha", min_val=0.0, include_boundaries="neither")
    lam = check_real(lam, "lam", min_val=0.0)
    act = m.activation
    mu2sq = max(_moment(lambda z: act(z) ** 2, "activation") - m.mu0 ** 2 - m.mu1 ** 2, 0.0)
    mu0s = float(hermite_coefficients(m.link, 0)[0])
    s, ws = marchenko_pastur_nodes(spectral_order, xp=hxp)
    ell = m.mu1 ** 2 * s + mu2sq
    amp = (m.mu1 * m.mu1_star) ** 2
    centred = m.label_second_moment - (mu0s ** 2 if abs(m.mu0) > 1e-12 else 0.0)
    sig2 = centred - amp * float(hxp.sum(ws * s / ell))

    def avg(v):
        return float(hxp.sum(ws * v))

    # κ: the root of κ − λ − (κ/α)avg[ℓ/(ℓ+κ)] on (λ, λ + avg ℓ/α]: bisection on the increasing g(κ)/κ
    def g(kap):
        return 1.0 - lam / kap - avg(ell / (ell + kap)) / a

    lo, hi = max(lam, 1e-300), lam + avg(ell) / a + 1.0
    if g(lo) > 0:  # λ = 0 and α < 1: κ > 0 all the same
        lo = 0.0
    while g(hi) < 0:
        hi *= 2.0
    lo = max(lo, 1e-300)
    if g(lo) >= 0:
        kap = lo
    else:
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            lo, hi = (mid, hi) if g(mid) < 0 else (lo, mid)
        kap = 0.5 * (lo + hi)
    df2 = avg(ell * ell / ((ell + kap) ** 2)) / a
    bias = kap * kap * amp * avg(s / (ell * (ell + kap) ** 2))
    test = (bias + sig2 * df2) / (1.0 - df2) + sig2
    return {"test_error": test, "test_excess": test - m.noise_std ** 2, "train_error": (lam / kap) ** 2 * test,
            "kappa": kap}
