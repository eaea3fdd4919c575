"""The key, citation and setting of Nichani–Damian–Lee 2023 as featlearn runs it.

Every size the claims (:mod:`.claims`) and experiments (:mod:`.experiments`) read is a field of
:class:`Setting` (quick-scale defaults; ``Setting.SCALES["paper"]`` the paper-scale values); the
link g*, the read-off level and the validation grids of the reconstructed setting are defined here
too. See ``docs/papers/ndl23.md`` §10 for the choices. Importing this registers nothing.

Examples
--------
>>> s = Setting.at("paper")
>>> s.curves_d, s.curves_m1, s.quad_m2_per_d2 * s.curves_d ** 2
(16, 512, 2048)
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param
from featlearn.theory.activations import Activation, as_activation

KEY = "ndl23"
CITATION = {"cite": "Nichani, Damian, Lee 2023",
            "title": "Provable Guarantees for Nonlinear Feature Learning in Three-Layer Neural Networks",
            "url": "https://arxiv.org/abs/2305.06986", "notes": "docs/papers/ndl23.md"}


def _shifted_relu(z):
    from ._checks import check_activation_input

    return as_activation("relu")(check_activation_input(z) - 1.0)


#: g*(z) = relu(z − 1): 1-Lipschitz, non-polynomial, with E g*′ ≠ 0 (so K f* sees h*) but only
#: ~1/3 of its variance in the direction of h* — a link for which learning the feature *and*
#: the nonlinearity matters (our choice; the paper's g* is [not found]).
SHIFTED_RELU = Activation("relu_shift1", _shifted_relu, lambda z: as_activation("relu").grad(z - 1.0))

#: The level at which the "sample complexity" n*(d) is read off is chosen from theory before any
#: run: this fraction of the smallest predicted finite-width ceiling lim_n corr(φ̂, h*) over the d
#: of the claim (sample_complexity.correlation_ceiling), so that it is reachable at every d and lies
#: in the steep part of every predicted curve (corr/ceiling = 0.8 at n = 0.56·B/A in the notation of
#: correlation_threshold_n). At d = 8 the ceiling of the concrete quadratic target is ≈ 0.86–0.89,
#: well below the Gaussian-approximation value 0.965 — a fixed level 0.8 was not reachable there.
CEILING_FRACTION = 0.8

_POS = {"min_val": 1}


@dataclass(frozen=True)
class Setting(_Base):
    """Nichani–Damian–Lee 2023 (reconstructed setting): three-layer network trained layer-wise
    (Algorithm 1: stage 1 learns the feature φ̂ from n samples with m2 inner random features,
    stage 2 fits the m1 outer units by ridge on another n), on f* = g*(h*(x)) with a quadratic
    feature h*(x) = xᵀAx (x on the sphere of radius √d) or a single index h* = β·x (x ~ N(0, I_d))."""

    # -- shared by the quadratic-feature claims and sweeps
    quad_m2_per_d2: int = param(8, doc="inner width of the quadratic-feature networks: m2 = quad_m2_per_d2 · d²",
                                **_POS)
    mc_n: int = param(2048, doc="samples of the Monte-Carlo kernel energies ‖P_k f*‖² of the quadratic target "
                                "(feature-correlation / loss-vs-correlation / quadratic-exponent predictions)", **_POS)
    stage1_slopes: tuple = param((0.5, 1.0, 2.0, 4.0), doc="stage-1 step sizes η1 (slopes) of Algorithm 1 searched "
                                                           "on validation", min_val=0.0, include_boundaries="neither")
    # -- ndl23.kernel-degree2-eigenvalue
    eig_d: int = param(16, doc="input dimension d of the degree-2 kernel-eigenvalue check", min_val=2)
    eig_n: int = param(2**13, doc="x samples per group of the Monte-Carlo <h, K̂ h>", min_val=2)
    eig_groups: int = param(8, doc="independent groups (own x sample and v's) of the Monte-Carlo <h, K̂ h>",
                            min_val=2)
    eig_features_per_group: int = param(512, doc="random features v per group (m2 = groups × this)", **_POS)
    # -- experiment ndl23-curves (claims ndl23.feature-correlation-curve, ndl23.loss-falls-as-correlation-rises)
    curves_d: int = param(16, doc="input dimension d of the shared quadratic-feature sweep ndl23-curves", min_val=2)
    curves_reps: int = param(8, doc="replicate learning curves corr(φ̂, h*) vs n (their median is read)", **_POS)
    curves_ns_corr: tuple = param(tuple(2**k for k in range(7, 15)),
                                  doc="samples per stage n of the learning curves corr(φ̂, h*)", **_POS)
    curves_ns_loss: tuple = param((2**7, 2**9, 2**11, 2**13),
                                  doc="samples per stage n of the layer-wise runs (test loss, corr)", **_POS)
    curves_loss_reps: int = param(2, doc="replicate layer-wise runs per n", **_POS)
    curves_m1: int = param(128, doc="outer width m1 of the layer-wise runs", **_POS)
    curves_n_test: int = param(4096, doc="test points of corr(φ̂, h*) on the learning curves", **_POS)
    curves_n_eval: int = param(2048, doc="validation and test points of the layer-wise runs", **_POS)
    curves_seeds: int = param(1, doc="sweep seeds of ndl23-curves", **_POS)
    n_min_log2: int = param(3, doc="log2 of the smallest n of the factor-√2 n grids of the n*(d) read-offs "
                                   "(quadratic-feature and single-index exponents)", min_val=0)
    # -- ndl23.quadratic-sample-exponent
    qexp_ds: tuple = param((8, 16, 32), doc="input dimensions d of the quadratic-feature n*(d) fit", min_val=2)
    qexp_reps: int = param(3, doc="replicate learning curves per d (their median is read off)", **_POS)
    qexp_n_max_log2: int = param(13, min_val=3,
                                 doc="log2 of the largest n of the factor-√2 grid of the n*(d) read-off")
    qexp_n_test: int = param(2048, doc="test points of corr(φ̂, h*) per learning curve", **_POS)
    # -- ndl23.single-index-sample-exponent
    si_ds: tuple = param((16, 32, 64), doc="input dimensions d of the single-index n*(d) fit", min_val=2)
    si_reps: int = param(24, doc="replicate learning curves per d (their median is read off)", **_POS)
    si_n_max_log2: int = param(12, min_val=3,
                               doc="log2 of the largest n of the factor-√2 grid of the n*(d) read-off")
    si_n_test: int = param(2048, doc="test points of corr(φ̂, β·x) per learning curve", **_POS)
    si_m2_per_d: int = param(32, doc="inner width of the single-index networks: m2 = si_m2_per_d · d", **_POS)
    # -- ndl23.three-layer-beats-two-layer
    beat_d: int = param(16, doc="input dimension d of the three-layer vs two-layer comparison", min_val=2)
    beat_n: int = param(2**13, doc="samples per stage n of Algorithm 1 (the baselines get 2n in total)", **_POS)
    beat_m1: int = param(256, doc="outer width m1 of the three-layer network", **_POS)
    beat_n_val: int = param(2048, doc="validation points (η1, η, λ chosen on them)", **_POS)
    beat_n_test: int = param(4096, doc="test points of the normalised test MSEs", **_POS)
    beat_mc_n: int = param(2048, doc="samples of the kernel energies of the degree > 2 fraction (details)", **_POS)
    beat_rf_width: int = param(1024, doc="width of the random-features ridge baseline", **_POS)
    beat_two_layer_width: int = param(256, doc="width of the two-layer one-step (DLS22) baseline", **_POS)
    two_layer_etas: tuple = param((0.5, 1.0, 2.0, 4.0), doc="step sizes η of the two-layer one-step network searched "
                                                            "on validation", min_val=0.0, include_boundaries="neither")
    # -- ndl23.radial-depth-separation
    radial_d: int = param(32, doc="input dimension d of the radial target g*((‖x‖² − d)/√d)", min_val=2)
    radial_n: int = param(2**14, doc="samples per stage n of Algorithm 1 (and of the random-features ridge)", **_POS)
    radial_m1: int = param(256, doc="outer width m1 of the three-layer network", **_POS)
    radial_m2: int = param(1024, doc="inner width m2 of the three-layer network", **_POS)
    radial_n_val: int = param(2048, doc="validation points", **_POS)
    radial_n_test: int = param(4096, doc="test points", **_POS)
    radial_mc_n: int = param(2048, doc="samples of the kernel energies behind the predicted corr(φ̂, h*)", **_POS)
    radial_floor_n: int = param(2**16, doc="samples of the Monte-Carlo floor 1 − corr(f*, ‖x‖)²", min_val=3)
    radial_rf_width: int = param(512, doc="width of the reported random-features ridge", **_POS)
    # -- experiment ndl23-quadratic (claim ndl23.quadratic-sweep-loss-vs-correlation)
    sweep_ds: tuple = param((8, 16), doc="input dimensions d of the ndl23-quadratic sweep", min_val=2)
    sweep_ns: tuple = param((2**8, 2**10, 2**12, 2**14), doc="samples per stage n of the ndl23-quadratic sweep",
                            **_POS)
    sweep_m1: int = param(128, doc="outer width m1 of the ndl23-quadratic sweep", **_POS)
    sweep_n_eval: int = param(2**12, doc="validation and test points of the ndl23-quadratic sweep", **_POS)
    sweep_seeds: int = param(3, doc="sweep seeds of ndl23-quadratic", **_POS)

    SCALES = {"quick": {}, "paper": {
        "mc_n": 8192,
        "eig_n": 2**15, "eig_groups": 16, "eig_features_per_group": 1024,
        "curves_reps": 10, "curves_ns_corr": tuple(2**k for k in range(7, 18)),
        "curves_ns_loss": tuple(2**k for k in range(8, 18, 2)), "curves_loss_reps": 5, "curves_m1": 512,
        "curves_n_test": 2**15, "curves_n_eval": 2**15,
        "qexp_ds": (8, 16, 32, 48), "qexp_reps": 5, "qexp_n_max_log2": 16, "qexp_n_test": 8192,
        "si_ds": (16, 32, 64, 128), "si_reps": 32, "si_n_max_log2": 15, "si_n_test": 8192,
        "beat_n": 2**16, "beat_m1": 1024, "beat_n_val": 2**15, "beat_n_test": 2**15, "beat_rf_width": 4096,
        "beat_two_layer_width": 2048,
        "radial_n": 2**16, "radial_m1": 1024, "radial_m2": 4096, "radial_n_val": 2**15, "radial_n_test": 2**15,
        "radial_rf_width": 4096,
        "sweep_ds": (8, 16, 24, 32), "sweep_ns": tuple(2**k for k in range(8, 17, 2)), "sweep_m1": 512,
        "sweep_n_eval": 2**13,
    }}
