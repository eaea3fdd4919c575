"""SL21's key, citation and setting: the laws, the radius, every size (docs/papers/sl21.md §2, §4).

Everything here except the laws' definitions is our design (the paper has no experiments):

* ``RADIUS_SPHERE_SUM = √2`` -- λ for D'_d: in Theorem 3's range [1, 2] and the median of
  ‖x‖ under D'_d (‖x‖² = 2 + 2⟨x₁, x₂⟩ and ⟨x₁, x₂⟩ is symmetric), so the labels are
  balanced; the paper only says a suitable λ_d ∈ [1, 2] exists;
* ``RADIUS_MU = 1`` -- λ for μ_d: the low end of [1, 2], where the N(0, I/d) half of μ_d
  concentrates (‖x‖ ≈ 1), so that half is about balanced;
* sizes (:class:`Setting`): quick scale d = 4 (Theorem 3 needs d >= 4), widths of a few
  hundred, a few thousand samples; paper scale adds d = 6, 8 and wider networks.

Examples
--------
>>> Setting.at("paper").separation_d
(4, 8)
>>> Setting(widths=(0,))
Traceback (most recent call last):
...
ValueError: widths[0]: expected an int in [1, inf], got 0
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param
from featlearn.validation import check_choice

from .radial_laws import MuInput, SphereSumInput, cauchy_input
from .targets import BallIndicator

__all__ = ["CITATION", "KEY", "LAWS", "RADIUS_MU", "RADIUS_SPHERE_SUM", "Setting", "ball_target", "make_input",
           "radius_for"]

KEY = "sl21"
CITATION = {"cite": "Safran, Lee 2022", "title": "Optimization-Based Separations for Neural Networks",
            "url": "https://arxiv.org/abs/2112.02393", "notes": "docs/papers/sl21.md"}

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
    return RADIUS_MU if check_choice(law, "law", LAWS) == "mu" else RADIUS_SPHERE_SUM


def ball_target(law: str, d: int) -> BallIndicator:
    """``1{‖x‖ <= λ}`` with the law as its input distribution."""
    return BallIndicator(radius_for(law), d, input=make_input(law, d))


@dataclass(frozen=True)
class Setting(_Base):
    """SL21's setting: inputs from D'_d, μ_d or a Cauchy-tailed law, the target 1{‖x‖ <= λ}, the frozen
    erf features of Eq. (2) (Assumption 7) and the weak networks of Eq. (1); all sizes are ours."""

    # -- the sampler claims (sl21.radius-laws, sl21.bessel-normalisation, sl21.class-balance) -------------
    radius_laws_d: int = param(5, doc="input dimension d at which the sampled radii ‖x‖ of D'_d, μ_d and the "
                                      "Cauchy law are compared with their CDFs (KS test)", min_val=2)
    radius_laws_n: int = param(20000, doc="sampled radii per law in the KS test against the radius CDF", min_val=1)
    bessel_ds: tuple = param((2, 3, 4, 8, 16), doc="dimensions d at which the Eq. (8) radius density of μ̄_d "
                                                   "(Eq. 3) is integrated", min_val=1)
    class_balance_d: int = param(4, doc="input dimension d of the class-balance check of 1{‖x‖ <= λ}", min_val=2)
    class_balance_n: int = param(20000, doc="labelled samples per law in the class-balance check", min_val=2)
    # -- the sl21-separation sweep -----------------------------------------------------------------------
    separation_law: str = param("sphere_sum", doc="input law of the separation cells (D'_d of Eq. 5)",
                                choices=LAWS)
    separation_d: tuple = param((4,), doc="input dimensions d of the separation cells (Theorem 3: d >= 4)",
                                min_val=2)
    separation_width: int = param(300, doc="width r of the frozen erf layer of Eq. (2) in the separation cells",
                                  min_val=1)
    gd_iters: int = param(300, doc="iterations of plain GD on the output weights (Theorem 8's algorithm, "
                                   "practical step 1/λ_max)", min_val=1)
    gd_linear_from: int = param(1, doc="GD iterate t₀ from which GD's loss is predicted by the Gram spectrum "
                                       "(w₀ sits at the clip's kink 0: the first step is not linear)", min_val=1)
    gd_linear_changed: float = param(0.05, doc="largest fraction of training samples whose clip status (output in "
                                               "(0, 1) or not) may differ from w_{t₀}'s for the exact linear-GD "
                                               "reading of GD's loss (its horizon T*, reported)",
                                     min_val=0.0, max_val=1.0, include_boundaries="right")
    pgd_iters: int = param(60, doc="iterations of preconditioned GD on the output weights (beyond the paper)",
                           min_val=1)
    weak_width: int = param(64, doc="width m of the weak tanh network of Eq. (1) trained in all layers",
                            min_val=1)
    weak_iters: int = param(300, doc="iterations T of GD and of Adam on the weak network (Theorem 3's algorithm)",
                            min_val=1)
    n: int = param(3000, doc="training sample size n (both sweeps)", min_val=1)
    n_val: int = param(2000, doc="validation sample size (choice of ridge, ramp slope and saturation)",
                       min_val=1)
    n_test: int = param(6000, doc="test sample size of every reported test error", min_val=1)
    separation_seeds: int = param(1, doc="sweep seeds of sl21-separation", min_val=1)
    stated_iters: int = param(5, doc="GD steps taken at Theorem 8's stated step ν/(8r), to measure how far the "
                                     "weights move", min_val=1)
    weak_record_every: int = param(10, doc="the weak networks' test error is recorded every this many iterations "
                                           "(besides log-spaced checkpoints)", min_val=1)
    adam_lr: float = param(1e-2, doc="Adam learning rate on the weak network (a practical baseline)", min_val=0.0,
                           include_boundaries="right")
    ridges: tuple = param((1e-10, 1e-8, 1e-6, 1e-4, 1e-2), doc="ridge grid of the linear readout and of the "
                                                               "clipped construction (validation picks one)",
                          min_val=0.0)
    slopes: tuple = param((5.0, 10.0, 20.0, 40.0, 80.0), doc="ramp slopes K of the clipped construction "
                                                             "t(x) = ½ + K(λ² − ‖x‖²)", min_val=0.0,
                          include_boundaries="right")
    precond_ridge: float = param(1e-6, doc="relative ridge ρ/λ_max of the preconditioner (G + ρI)⁻¹ of "
                                           "preconditioned GD", min_val=0.0, include_boundaries="right")
    # -- the sl21-width sweep ----------------------------------------------------------------------------
    width_laws: tuple = param(("sphere_sum", "mu"), doc="input laws of the error-vs-width sweep (D'_d, μ_d)",
                              choices=LAWS)
    width_ds: tuple = param((4,), doc="input dimensions d of the error-vs-width sweep", min_val=2)
    widths: tuple = param((50, 100, 200), doc="widths r of the frozen erf layer swept in sl21-width", min_val=1)
    width_seeds: int = param(1, doc="sweep seeds of sl21-width", min_val=1)
    # -- the claims on the sweeps ------------------------------------------------------------------------
    represent_d: int = param(4, doc="the dimension d of D'_d whose separation cells sl21.strong-represents "
                                    "judges (other d are reported)", min_val=4)

    SCALES = {"quick": {},
              # paper: 4 separation cells, ≈ 3 min on a 2-core CPU (GD on the 10000 × 800 features and 1000
              # full-batch steps of each weak network dominate)
              "paper": {"radius_laws_n": 200000, "bessel_ds": (2, 3, 4, 8, 16, 32, 64), "class_balance_n": 200000,
                        "separation_d": (4, 8), "separation_width": 800, "gd_iters": 2000, "pgd_iters": 200,
                        "weak_width": 256, "weak_iters": 1000, "n": 10000, "n_val": 4000, "n_test": 20000,
                        "separation_seeds": 2, "width_ds": (4, 6, 8), "widths": (50, 100, 200, 400, 800, 1600),
                        "width_seeds": 3}}
