"""The setting of Moniri–Lee–Hassani–Dobriban 2023 (and Ba et al. 2022) as featlearn runs it.

The paper's key and citation, and its :class:`Setting`: every size, sweep axis and step-size
exponent the claims (:mod:`.claims`) and experiments (:mod:`.experiments`) read, with the quick
values as defaults and the paper-scale values in ``Setting.SCALES["paper"]``. Target, link,
student activation, label noise and the spike margin are module constants; see
``docs/papers/mlhd23.md`` §6.2 for the choices. Importing this module registers nothing.

Examples
--------
>>> Setting.at("paper").spectral_ns
(8192, 16384, 32768, 65536)
>>> Setting().errors_width
800
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param
from featlearn.theory.activations import Activation
from featlearn.theory.hermite import hermite_he

KEY = "mlhd23"
CITATION = {"cite": "Moniri, Lee, Hassani, Dobriban 2023",
            "title": "A Theory of Non-Linear Feature Learning with One Gradient Step in Two-Layer Neural Networks",
            "url": "https://arxiv.org/abs/2310.07891", "notes": "docs/papers/mlhd23.md"}
#: The companion paper (its claims ``ba22.*`` live in this folder and share this Setting).
BA22_KEY = "ba22"
BA22_CITATION = {"cite": "Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022",
                 "title": "High-dimensional Asymptotics of Feature Learning: How One Gradient Step Improves the "
                          "Representation",
                 "url": "https://arxiv.org/abs/2205.01445", "notes": "docs/papers/mlhd23.md"}

# -- the common setting -------------------------------------------------------------------------------------
#: σ* = He₁ + ½He₂ (docs/papers/mlhd23.md §6.2): ‖P_{>1}σ*‖² = ¼·2! = 1/2, E σ*² = 3/2.
LINK = Activation("he1+he2/2", lambda z: z + 0.5 * hermite_he(2, z), lambda z: 1.0 + z)
ACTIVATION = "tanh_softplus"
NOISE = 0.1
#: A singular value of F counts as a spike when it exceeds the bulk edge of F₀ by 10 %.
#: Justification: the largest bulk singular value fluctuates by O(ñ^{-2/3}) ≈ 1 % at ñ = 2000
#: (Tracy–Widom scale), and the step deforms the bulk of F relative to F₀ by a few per cent
#: (Cui et al.'s bulk rescaling c_W; our runs: non-spike singular values of F within
#: 0.95–1.02 × edge for α <= 0.4). A spike barely past its BBP threshold (ratio < 1.1) is
#: not counted -- the conservative side.
SPIKE_MARGIN = 0.1
#: Fixed λ for the staircase (the theory's training error is at fixed λ; docs/papers/mlhd23.md §6.3 used 1e-3).
STAIRCASE_LAMBDA = 1e-3

_ALPHA = {"min_val": 0.0, "max_val": 1.0, "include_boundaries": "left"}


@dataclass(frozen=True)
class Setting(_Base):
    """MLHD23's setting: x ~ N(0, I_d), y = σ*(β*·x) + ε, one step W = W₀ + ηG with η = n^α, then ridge.

    Spectral sweep (quick): n ∈ {2048, 4096, 8192, 16384} with 4/2/1/1 replicates (the larger n carry
    at least as many samples as the smaller ones; the per-run fluctuation of log s_k scales like
    n^{-1/2}); about 5 s on a 2-core CPU. Paper: n up to 65536 (N = 4096), about 4 min on the same
    CPU (five N × N Gram matrices, 0.7 GB). d = N = ratio·n, ñ = n, with a small proportional ratio
    (our choice; the theory holds at any fixed ratio): the Gram matrices cost n·N² per network, and
    the k-th spike over the bulk edge scales like N^{(1−k)/2} (``spike_magnitude``), so the k >= 2
    spikes stand further out of the bulk than at d = N = n/2 (k = 2 at α = 0.3: ≈ 2.6–4.2× the edge
    at n = 2048–16384, against 1.4–2.2× at n = 500–2000 with ratio 1/2).

    Each spectral cell also steps with η = c·n^α for the prefactors ``eta_prefactors`` at ``prefactor_alpha``
    (same data, W₀ and gradient; one more N × N Gram matrix per prefactor): the claim
    mlhd23.spike-growth-eta-prefactor compares the k = 2 growth exponents at c = 1 and 2 with the
    finite-ε spike model (docs/papers/mlhd23.md §4.5), where the asymptotic law predicts no change.

    Error sweep (docs/papers/mlhd23.md §6.3 setup: d = N = 800, n = ñ = 4000); quick about 6–7 s
    unloaded. Paper: n = 8192, d = N = n/4, two replicates, eight α and the no-step network: about
    2 min on a 2-core CPU (each α costs a step, three feature passes and one N × N eigendecomposition).

    Step-size exponents α sit inside their ℓ-intervals, well away from the thresholds 1/4, 1/3, 3/8:
    ℓ(0.1) = 1, ℓ(0.3) = 2 (interval (1/4, 1/3)), ℓ(0.36) = 3 (interval (1/3, 3/8)).
    """

    # -- spectral sweep (experiment mlhd23-spectral) --
    sweep_scale: str = param("quick", doc="scale label of the spectral and error sweep cells (a cell parameter, "
                                          "part of each record)", choices=("quick", "paper"))
    ratio: float = param(1 / 16, doc="proportional ratio d/n = N/n of the spectral sweep (ñ = n)", min_val=0.0,
                         include_boundaries="right")
    spectral_ns: tuple = param((2048, 4096, 8192, 16384), doc="sample sizes n = ñ of the spectral sweep", min_val=2)
    spectral_reps: tuple = param((4, 2, 1, 1), doc="replicates (independent data, W₀, β*) per n of the spectral "
                                                   "sweep", min_val=1)
    spectral_alphas: tuple = param((0.1, 0.3), doc="step-size exponents α (η = n^α) of the spectral sweep", **_ALPHA)
    spectral_degree: int = param(3, doc="degree of the last polynomial feature (X̃b)^{∘k} whose alignment with "
                                        "the singular vectors of F is measured", min_val=1)
    spectral_top: int = param(6, doc="number of top singular values of F computed", min_val=1)
    count_alphas: tuple = param((0.1, 0.3), doc="α at which the number of spikes ℓ(α) is counted", **_ALPHA)
    growth_alphas: tuple = param((0.3, 0.3, 0.39), doc="α at which the growth of the k-th spike is measured, "
                                                       "k = 1, 2, 3", **_ALPHA)
    growth_ks: tuple = param((2,), doc="spike degrees k >= 2 whose growth is measured (k = 3 is not separated from "
                                       "the bulk at quick sizes, and at paper scale only from n = 32768 at α = 0.39: "
                                       "a slope over n where it is inside the bulk half the time measures the bulk)",
                             min_val=2, max_val=3)
    # η-prefactor comparison (claim mlhd23.spike-growth-eta-prefactor; docs/papers/mlhd23.md §4.5)
    prefactor_alpha: float = param(0.3, doc="α at which the prefactor c of η = c·n^α is varied (same draws, every n "
                                            "of the spectral sweep)", **_ALPHA)
    prefactor_k: int = param(2, doc="spike degree k whose growth exponent is compared across η's prefactors",
                             min_val=1, max_val=3)
    eta_prefactors: tuple = param((1.0, 2.0), doc="prefactors c of η = c·n^α compared (the first is the "
                                                  "reference)", min_val=0.0, include_boundaries="neither")
    prefactor_tol: float = param(0.02, doc="tolerance on the shift of the k-th growth exponent between the "
                                           "prefactors", min_val=0.0, include_boundaries="right")
    # tolerances of the growth-exponent claims (justified in their tolerance notes): each must be below the
    # predicted exponent so that "no growth" (slope 0) fails
    growth_tol_k1: float = param(0.05, doc="tolerance on the k = 1 spike growth exponent", min_val=0.0,
                                 include_boundaries="right")
    growth_tol_k2plus: float = param(0.07, doc="tolerance on the k >= 2 spike growth exponents", min_val=0.0,
                                     include_boundaries="right")
    alignment_alpha: float = param(0.3, doc="α of the alignment claims (ℓ = 2 at 0.3, ℓ = 3 at 0.36)", **_ALPHA)
    # -- error sweep (experiment mlhd23-errors) --
    errors_n: int = param(4000, doc="training samples n of the step (and of the ridge fit, ñ = n) in the error "
                                    "sweep", min_val=2)
    errors_width: int = param(800, doc="input dimension d = width N of the error sweep", min_val=1)
    errors_n_val: int = param(2000, doc="validation samples (choice of the ridge λ) in the error sweep", min_val=1)
    errors_n_test: int = param(8000, doc="test samples of the error sweep", min_val=1)
    errors_reps: int = param(1, doc="replicates of the error sweep", min_val=1)
    errors_alphas: tuple = param((0.0, 0.1, 0.2, 0.3, 0.4), doc="step-size exponents α of the error sweep (all α "
                                                                "share data and W₀)", **_ALPHA)
    alpha_constant: float = param(0.0, doc="BA22's small step: a constant η = Θ(1), α = 0 (η = n⁰ = 1; read, "
                                           "docs/papers/mlhd23.md §7.1)", **_ALPHA)
    alpha_quadratic: float = param(0.3, doc="α 'well above' 1/4 for the ℓ = 2 comparison (docs/papers/mlhd23.md "
                                            "§6.3: at n = 4000 α = 0.2 already falls below the bound, a finite-"
                                            "size effect)", **_ALPHA)
    alpha_finite_size: float = param(0.2, doc="ℓ = 1 α whose test excess risk is reported as the finite-size "
                                              "limit of mlhd23.l2-beyond-linear", **_ALPHA)
    # -- one-step sweep (experiment mlhd23-one-step, `featlearn reproduce`) --
    one_step_alphas: tuple = param((0.0, 0.1, 0.2, 0.3, 0.4), doc="step-size exponents α of the one-step sweep",
                                   **_ALPHA)
    one_step_residuals: tuple = param(("y", "y-f0"), doc="residual conventions of the step (docs/papers/mlhd23.md "
                                                         "§2.3)", choices=("y", "y-f0"))
    one_step_ns: tuple = param((2000,), doc="training samples n of the one-step sweep (n/2 validation, 2n test)",
                               min_val=2)
    one_step_widths: tuple = param((400,), doc="input dimension d = width N of the one-step sweep", min_val=1)
    one_step_seeds: int = param(2, doc="sweep seeds of the one-step sweep", min_val=1)

    SCALES = {
        "quick": {},
        "paper": {
            "sweep_scale": "paper",
            "spectral_ns": (8192, 16384, 32768, 65536), "spectral_alphas": (0.1, 0.3, 0.36, 0.39),
            "count_alphas": (0.1, 0.3, 0.36), "growth_tol_k2plus": 0.05,
            "alignment_alpha": 0.36,
            "errors_n": 8192, "errors_width": 2048, "errors_n_val": 4096, "errors_n_test": 16384, "errors_reps": 2,
            "errors_alphas": (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.44),
            "one_step_alphas": (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45), "one_step_ns": (4096,),
            "one_step_widths": (1024,), "one_step_seeds": 3,
        },
    }
