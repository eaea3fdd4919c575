"""The theorems of Safran–Lee (SL21, COLT 2022) as functions of their parameters.

docs/papers/sl21.md §3. The paper leaves its absolute constants unspecified; every such
constant is an explicit keyword argument here (never a hidden number):

* :func:`theorem8_requirements` -- Theorem 8's width, sample size, step bound, ν and iteration
  bound for GD on the output weights of Eq. (2) (constants c, C and the polynomial q(d) of
  Assumption 6 as parameters);
* :func:`theorem5_level` / :func:`theorem5_threshold` -- Theorem 5's 1/(196(m+1)²) error
  level on D'_d and its width/weight-norm threshold c₁·exp(c₂·min{m ln(d/m+2), d ln(m/d+2)});
* :data:`THEOREM3_LEVEL` and :func:`theorem3_time` -- Theorem 3's 1/400 level and its
  running-time threshold;
* :func:`theorem2_level` / :func:`theorem4_width` -- Theorems 2 and 4's c₂/d⁴ level and
  c₃·exp(c₄d) width threshold.

All are host scalars (Python floats and ints). Widths and sample sizes are Python ints
(Theorem 8's width floor 12000⁴ ≈ 2·10¹⁶ does not fit comfortably in a float's integer range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from featlearn.validation import check_int, check_real

__all__ = [
    "THEOREM3_LEVEL",
    "THEOREM8_NU_DENOMINATOR",
    "THEOREM8_WIDTH_FLOOR",
    "Theorem8Requirements",
    "check_lambda",
    "theorem2_level",
    "theorem3_time",
    "theorem4_width",
    "theorem5_level",
    "theorem5_level_at_width",
    "theorem5_threshold",
    "theorem8_contraction",
    "theorem8_iterations",
    "theorem8_requirements",
]

#: Theorem 3: GD on Eq. (1) keeps the error above 1/400 at every iterate (docs/papers/sl21.md §3.2).
THEOREM3_LEVEL = 1.0 / 400.0
#: Theorem 8: ν = C/(840·9⁴·10⁶).
THEOREM8_NU_DENOMINATOR = 840 * 9**4 * 10**6
#: Theorem 8: the width floor 12000⁴.
THEOREM8_WIDTH_FLOOR = 12000**4


def check_lambda(lam, name: str = "lam") -> float:
    """λ ∈ [1, 2], the radii of the ball indicators in Theorems 2–5 and 8 (ValueError otherwise)."""
    return check_real(lam, name, min_val=1.0, max_val=2.0)


def _unit(v, name):
    return check_real(v, name, min_val=0.0, max_val=1.0, include_boundaries="neither")


def _pos(v, name):
    return check_real(v, name, min_val=0.0, include_boundaries="neither")


@dataclass(frozen=True)
class Theorem8Requirements:
    """Theorem 8's parameters for accuracy ε, confidence δ (docs/papers/sl21.md §3.4).

    ``width`` r, ``samples`` n = ⌈c r³ log₂²(r)⌉, ``nu`` ν = C/(840·9⁴·10⁶), ``step_bound``
    ν/(8r) (the step must be strictly below it), ``iterations`` T = 2η⁻¹ν⁻¹ ln(r/(8ε)) at the
    given step (default: the bound itself, which makes T a lower value of the stated
    maximum), ``stop_loss`` ε/2.
    """

    eps: float
    delta: float
    width: int
    samples: int
    nu: float
    step_bound: float
    step: float
    iterations: float
    stop_loss: float


def _q_value(q, d: int) -> float:
    if callable(q):
        return _pos(float(q(d)), "q(d)")
    return _pos(q, "q")


def theorem8_requirements(eps: float, delta: float, d: int, *, c: float = 1.0, C: float = 0.25,
                          q: float | Callable[[int], float] = 1.0, width: int | None = None,
                          step: float | None = None) -> Theorem8Requirements:
    """Theorem 8 (SL21 §4): what GD on Eq. (6) needs to reach risk <= ε with probability 1 − δ.

    Stated: width ``r >= max{12000⁴, c·ε⁻⁵·(q⁴(d) + ln²(1/δ))}``, samples ``n = ⌈c r³ log₂² r⌉``,
    a fixed step ``η < ν/(8r)`` with ``ν = C/(840·9⁴·10⁶)``, stopping at ``F̂(w_t) <= ε/2``,
    and then at most ``T = 2η⁻¹ν⁻¹ ln(r/(8ε))`` iterations (docs/papers/sl21.md §3.4).

    Parameters
    ----------
    eps, delta : float
        Accuracy and failure probability, both in (0, 1).
    d : int
        Dimension, >= 2.
    c : float
        Theorem 8's c >= 1 (depends on Assumption 6's C, c₁, c₂; unspecified: parameter).
    C : float
        Assumption 6's mass bound ∫₀² γ_d >= C > 0 (default ¼: the value the proof of
        Theorem 2 derives for μ_d, P[X_d <= 2] >= ¼).
    q : float or callable
        Assumption 6's density bound q(d) on [0.9, 2.05] (a number or a function of d).
    width : int, optional
        Use this width instead of the minimum (must be at least the minimum: ValueError).
    step : float, optional
        The step used for T (default: the bound ν/(8r) itself); must be in (0, ν/(8r)].

    Examples
    --------
    >>> req = theorem8_requirements(0.1, 0.1, 4)
    >>> req.width == 12000**4, req.stop_loss
    (True, 0.05)
    """
    eps = _unit(eps, "eps")
    delta = _unit(delta, "delta")
    d = check_int(d, "d", min_val=2)
    c = check_real(c, "c", min_val=1.0)
    C = _pos(C, "C")
    qd = _q_value(q, d)
    need = c * eps ** -5 * (qd**4 + math.log(1.0 / delta) ** 2)
    r_min = max(THEOREM8_WIDTH_FLOOR, math.ceil(need))
    if width is None:
        r = r_min
    else:
        r = check_int(width, "width", min_val=1)
        if r < r_min:
            raise ValueError(f"width: Theorem 8 needs r >= {r_min} at eps={eps}, delta={delta}, got {r}")
    n = math.ceil(c * r**3 * math.log2(r) ** 2)
    nu = C / THEOREM8_NU_DENOMINATOR
    bound = nu / (8.0 * r)
    eta = bound if step is None else check_real(step, "step", min_val=0.0, max_val=bound,
                                                 include_boundaries="right")
    T = theorem8_iterations(eps, r, eta, nu)
    return Theorem8Requirements(eps, delta, r, n, nu, bound, eta, T, eps / 2.0)


def theorem8_iterations(eps: float, width: int, step: float, nu: float) -> float:
    """T = 2η⁻¹ν⁻¹ ln(r/(8ε)) (Theorem 8), as a float (it can exceed 10³⁰)."""
    eps = _unit(eps, "eps")
    r = check_int(width, "width", min_val=1)
    eta = _pos(step, "step")
    nu = _pos(nu, "nu")
    if r <= 8.0 * eps:  # ln(r/(8ε)) <= 0: outside the theorem's regime (its width is far larger), not "T = 0"
        raise ValueError(f"width: Theorem 8's T needs r > 8ε (ln(r/(8ε)) > 0), got r = {r}, ε = {eps}")
    return 2.0 / (eta * nu) * math.log(r / (8.0 * eps))


def theorem8_contraction(step: float, nu: float, width: int) -> float:
    """The proof's per-step factor 1 − ην + 4η²r on ‖w_t − v‖² (docs/papers/sl21.md §3.4)."""
    eta = _pos(step, "step")
    nu = _pos(nu, "nu")
    r = check_int(width, "width", min_val=1)
    return 1.0 - eta * nu + 4.0 * eta * eta * r


def theorem5_level(m: int) -> float:
    """Theorem 5's error level 1/(196(m+1)²) on D'_d, m >= 1 (docs/papers/sl21.md §3.3)."""
    m = check_int(m, "m", min_val=1)
    return 1.0 / (196.0 * (m + 1) ** 2)


def theorem5_threshold(m: int, d: int, *, c1: float = 1.0, c2: float = 1.0) -> float:
    """Theorem 5's width/weight-norm threshold c₁·exp(c₂·min{m ln(d/m + 2), d ln(m/d + 2)}), d >= 4.

    c₁, c₂ depend only on σ and are not given (parameters). Returns ``inf`` on overflow.
    """
    m = check_int(m, "m", min_val=1)
    d = check_int(d, "d", min_val=4)
    c1, c2 = _pos(c1, "c1"), _pos(c2, "c2")
    e = c2 * min(m * math.log(d / m + 2.0), d * math.log(m / d + 2.0))
    return c1 * math.exp(e) if e < 700 else math.inf


def theorem5_level_at_width(width: int, d: int, *, c1: float = 1.0, c2: float = 1.0) -> float:
    """The largest error level Theorem 5 forces on a weak network of width r on D'_d (weights norm below the same
    threshold): ``1/(196(m+1)²)`` at the smallest m >= 1 whose threshold ``c₁exp(c₂ min{m ln(d/m + 2),
    d ln(m/d + 2)})`` exceeds r (the threshold grows with m, the level falls). c₁, c₂ are unspecified
    (parameters): with c₁ = c₂ = 1 this is an illustration, not the theorem's constant.

    Examples
    --------
    >>> theorem5_level_at_width(5, 4) == theorem5_level(1)  # threshold at m = 1 is d + 2 = 6 > 5
    True
    """
    r = check_int(width, "width", min_val=1)
    d = check_int(d, "d", min_val=4)
    m = 1
    while theorem5_threshold(m, d, c1=c1, c2=c2) <= r:
        m += 1
    return theorem5_level(m)


def theorem3_time(eps: float, d: int, *, c1: float = 1.0, c2: float = 1.0) -> float:
    """Theorem 3's running-time threshold c₁·exp(c₂·min{ε^{-1/2} ln(d√ε + 2), d ln(1/(d√ε) + 2)}), d >= 4."""
    eps = _pos(eps, "eps")
    d = check_int(d, "d", min_val=4)
    c1, c2 = _pos(c1, "c1"), _pos(c2, "c2")
    s = math.sqrt(eps)
    e = c2 * min(math.log(d * s + 2.0) / s, d * math.log(1.0 / (d * s) + 2.0))
    return c1 * math.exp(e) if e < 700 else math.inf


def theorem2_level(d: int, *, c2: float = 1.0) -> float:
    """Theorems 2 and 4's error level c₂/d⁴ on μ_d (c₂ unspecified: parameter)."""
    d = check_int(d, "d", min_val=2)
    return _pos(c2, "c2") / d**4


def theorem4_width(d: int, *, c3: float = 1.0, c4: float = 1.0) -> float:
    """Theorem 4's width threshold c₃·exp(c₄d); ``ValueError`` (naming d) where it overflows a float."""
    d = check_int(d, "d", min_val=2)
    c3, c4 = _pos(c3, "c3"), _pos(c4, "c4")
    e = math.log(c3) + c4 * d
    if e >= 709.0:
        raise ValueError(f"d: the width threshold c3·exp(c4·d) overflows a float at d = {d} (c3 = {c3:g}, "
                         f"c4 = {c4:g}); it exceeds 1e308")
    return c3 * math.exp(c4 * d)
