"""SL21's setting in featlearn: the laws, the radius, the sizes per scale (docs/papers/sl21.md §2, §4).

Everything here except the laws' definitions is our design (the paper has no experiments):

* ``RADIUS_SPHERE_SUM = √2`` -- λ for D'_d: in Theorem 3's range [1, 2] and the median of
  ‖x‖ under D'_d (‖x‖² = 2 + 2⟨x₁, x₂⟩ and ⟨x₁, x₂⟩ is symmetric), so the labels are
  balanced; the paper only says a suitable λ_d ∈ [1, 2] exists;
* ``RADIUS_MU = 1`` -- λ for μ_d: the low end of [1, 2], where the N(0, I/d) half of μ_d
  concentrates (‖x‖ ≈ 1), so that half is about balanced;
* sizes: quick scale d = 4 (Theorem 3 needs d >= 4), widths of a few hundred, a few thousand
  samples; paper scale adds d = 6, 8 and wider networks.
"""

from __future__ import annotations

import math

from featlearn.papers.sl21.radial_laws import MuInput, SphereSumInput, cauchy_input
from featlearn.papers.sl21.targets import BallIndicator

__all__ = ["LAWS", "RADIUS_MU", "RADIUS_SPHERE_SUM", "ball_target", "make_input", "radius_for"]

RADIUS_SPHERE_SUM = math.sqrt(2.0)
RADIUS_MU = 1.0
#: The input laws by name: Eq. (5)'s D'_d, Eq. (4)'s μ_d, an Assumption 6 law with a Cauchy tail.
LAWS = ("sphere_sum", "mu", "cauchy")


def make_input(law: str, d: int):
    """The input distribution ``law`` in dimension d (see :data:`LAWS`)."""
    if law == "sphere_sum":
        return SphereSumInput(d)
    if law == "mu":
        return MuInput(d)
    if law == "cauchy":
        return cauchy_input(d)
    raise ValueError(f"law: expected one of {LAWS}, got {law!r}")


def radius_for(law: str) -> float:
    """The ball radius λ used with ``law`` (design, see the module docstring)."""
    return RADIUS_MU if law == "mu" else RADIUS_SPHERE_SUM


def ball_target(law: str, d: int) -> BallIndicator:
    """``1{‖x‖ <= λ}`` with the law as its input distribution."""
    return BallIndicator(radius_for(law), d, input=make_input(law, d))
