"""Safran, Lee 2022 (COLT): optimization-based separations for neural networks.

Ball indicators ``1{‖x‖ <= λ}``, λ ∈ [1, 2], are learned by gradient descent on the output
weights of an erf + clipped-ReLU network with a frozen hidden layer (Eq. (2), Theorem 8), while
networks with one layer of non-linearities (Eq. (1)) cannot reach the same accuracy (Theorems
2–5). Described in ``docs/papers/sl21.md`` (the full COLT 2022 text was read; the paper has no
experiments, so every experiment here is ours).

This file is the paper's face: it registers the paper with its :class:`Setting`, loads the
claims and experiments, and re-exports the laws, networks and theorem functions.
"""

from featlearn.claims import register_paper

from .setting import CITATION, KEY, LAWS, Setting, ball_target, make_input, radius_for

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .networks import (ErfFeatures, StrongNetwork, WeakNetwork, clipped_error, linear_readout,  # noqa: E402
                       ramp_readout)
from .radial_laws import MuInput, SphereSumInput, bessel_normalisation, cauchy_input  # noqa: E402
from .separation import (THEOREM3_LEVEL, theorem2_level, theorem3_time, theorem4_width,  # noqa: E402
                         theorem5_level, theorem5_threshold, theorem8_contraction, theorem8_iterations,
                         theorem8_requirements)
from .targets import BallIndicator, SmoothBallIndicator  # noqa: E402

__all__ = ["CITATION", "KEY", "LAWS", "THEOREM3_LEVEL", "BallIndicator", "ErfFeatures", "MuInput", "Setting", "SmoothBallIndicator",
           "SphereSumInput", "StrongNetwork", "WeakNetwork", "ball_target", "bessel_normalisation", "cauchy_input",
           "claims", "clipped_error", "experiments", "linear_readout", "make_input", "radius_for", "ramp_readout",
           "theorem2_level", "theorem3_time", "theorem4_width", "theorem5_level",
           "theorem5_threshold", "theorem8_contraction", "theorem8_iterations",
           "theorem8_requirements"]
