"""SL21's targets: the ball indicator ``1{‖x‖ <= λ}`` and its Lipschitz ramp surrogate.

Both are :class:`~featlearn.theory.targets.Radial` targets (``h*(x) = ‖x‖``) with a step or ramp
link (Safran, Lee 2022, §2; docs/papers/sl21.md §2.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.backends import array_namespace
from featlearn.theory.activations import Activation
from featlearn.theory.distributions import InputDistribution
from featlearn.theory.targets import Radial
from featlearn.validation import check_real

__all__ = ["BallIndicator", "SmoothBallIndicator"]


@dataclass(frozen=True)
class _BallStep:
    """g*(t) = 1{t <= radius} as floats."""

    radius: float

    def __call__(self, t):
        xp = array_namespace(t)
        return xp.astype(t <= self.radius, t.dtype)


@dataclass(frozen=True)
class _ZeroGrad:
    def __call__(self, t):
        return array_namespace(t).zeros_like(t)


@dataclass(frozen=True)
class _Ramp:
    """g*(t) = clip((radius + width/2 − t)/width, 0, 1)."""

    radius: float
    width: float

    def __call__(self, t):
        xp = array_namespace(t)
        v = (self.radius + 0.5 * self.width - t) / self.width
        return xp.clip(v, 0.0, 1.0)


@dataclass(frozen=True)
class _RampGrad:
    radius: float
    width: float

    def __call__(self, t):
        xp = array_namespace(t)
        inside = xp.abs(t - self.radius) < 0.5 * self.width
        return xp.where(inside, xp.full_like(t, -1.0 / self.width), xp.zeros_like(t))


class BallIndicator(Radial):
    """Ball indicator ``f*(x) = 1{‖x‖ <= radius}`` (SL21; Safran–Shamir 2017).

    Hierarchical with ``h*(x) = ‖x‖`` and the step link ``g*(t) = 1{t <= radius}``, whose
    derivative is taken as 0 (its value almost everywhere). SL21 states the targets
    ``1{‖x‖ <= λ}`` with ``λ ∈ [1, 2]`` (docs/papers/sl21.md §2.3, stated); this class allows
    any radius > 0 (the theorem's range is checked where a claim needs it).

    Parameters
    ----------
    radius : float
        Ball radius, > 0.
    d : int
        Input dimension.
    input : InputDistribution, optional
        Default ``GaussianInput(d)``; choose ``radius`` near the median of ‖x‖ (≈ √d for
        Gaussian input) for balanced labels.

    Examples
    --------
    >>> import numpy as xp
    >>> BallIndicator(1.0, 2)(xp.asarray([[0.6, 0.8], [1.0, 1.0]]))
    array([1., 0.])
    """

    def __init__(self, radius: float, d: int, *, input: InputDistribution | None = None):
        self.radius = check_real(radius, "radius", min_val=0.0, include_boundaries="neither")
        link = Activation(f"ball_step(r={self.radius:g})", _BallStep(self.radius), _ZeroGrad())
        super().__init__(link, d, input=input)


class SmoothBallIndicator(Radial):
    """Lipschitz ball indicator: a linear ramp of the given width centred at ``radius``.

    ``f*(x) = clip((radius + width/2 − ‖x‖)/width, 0, 1)``: 1 inside radius − width/2, 0
    outside radius + width/2, ``1/width``-Lipschitz, and 1/2 on the sphere of the given
    radius: a Lipschitz surrogate of the ball indicator with ``δ = width/2`` ([design], not the
    paper's: SL21's targets are the exact indicators, docs/papers/sl21.md §2.3).

    Parameters
    ----------
    radius : float
        Centre of the ramp, > 0.
    width : float
        Width of the ramp, > 0.
    d : int
        Input dimension.
    input : InputDistribution, optional
        Default ``GaussianInput(d)``.

    Examples
    --------
    >>> import numpy as xp
    >>> SmoothBallIndicator(1.0, 0.5, 2)(xp.asarray([[0.0, 0.5], [1.0, 0.0], [0.0, 2.0]]))
    array([1. , 0.5, 0. ])
    """

    def __init__(self, radius: float, width: float, d: int, *, input: InputDistribution | None = None):
        self.radius = check_real(radius, "radius", min_val=0.0, include_boundaries="neither")
        self.width = check_real(width, "width", min_val=0.0, include_boundaries="neither")
        link = Activation(f"ball_ramp(r={self.radius:g}, w={self.width:g})", _Ramp(self.radius, self.width),
                          _RampGrad(self.radius, self.width))
        super().__init__(link, d, input=input)
