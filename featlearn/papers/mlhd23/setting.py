"""The setting of Moniri–Lee–Hassani–Dobriban 2023 (and Ba et al. 2022) as featlearn runs it.

Target, link, student activation, label noise and the sizes per scale shared by the paper's
claims (:mod:`featlearn.papers.mlhd23.claims`) and experiments
(:mod:`featlearn.papers.mlhd23.experiments`); see ``docs/papers/mlhd23.md`` §6.2 for the
choices. Importing this module registers nothing.
"""

from __future__ import annotations

from featlearn.theory.activations import Activation
from featlearn.theory.hermite import hermite_he

# -- the common setting -------------------------------------------------------------------------------------
#: σ* = He₁ + ½He₂ (docs/papers/mlhd23.md §6.2): ‖P_{>1}σ*‖² = ¼·2! = 1/2, E σ*² = 3/2.
LINK = Activation("he1+he2/2", lambda z: z + 0.5 * hermite_he(2, z), lambda z: 1.0 + z)
ACTIVATION = "tanh_softplus"
NOISE = 0.1

#: Spectral sweep. Quick: n ∈ {2048, 4096, 8192, 16384} with 4/2/1/1 replicates (the larger n
#: carry at least as many samples as the smaller ones; the per-run fluctuation of log s_k scales
#: like n^{-1/2}); about 5 s on a 2-core CPU. Paper: n up to 65536 (N = 4096), about 4 min on the
#: same CPU (five N × N Gram matrices, 0.7 GB).
SPECTRAL = {
    "quick": {"ns": (2048, 4096, 8192, 16384), "reps": (4, 2, 1, 1), "alphas": (0.1, 0.3)},
    "paper": {"ns": (8192, 16384, 32768, 65536), "reps": (4, 2, 1, 1), "alphas": (0.1, 0.3, 0.36, 0.39)},
}
#: d = N = ratio·n, ñ = n. A small proportional ratio (our choice; the theory holds at any fixed
#: ratio): the Gram matrices cost n·N² per network, so n reaches 16384 at quick scale and 65536 at
#: paper scale, and the k-th spike over the bulk edge scales like N^{(1−k)/2} (``spike_magnitude``),
#: so the k >= 2 spikes stand further out of the bulk than at d = N = n/2 (k = 2 at α = 0.3:
#: ≈ 2.6–4.2× the edge at n = 2048–16384, against 1.4–2.2× at n = 500–2000 with ratio 1/2).
RATIO = 1 / 16
#: α inside each ℓ-interval, well away from the thresholds 1/4, 1/3, 3/8: ℓ(0.1) = 1,
#: ℓ(0.3) = 2 (interval (1/4, 1/3)), ℓ(0.36) = 3 (interval (1/3, 3/8)).
COUNT_ALPHAS = {"quick": (0.1, 0.3), "paper": (0.1, 0.3, 0.36)}
#: Spike growth: k = 1, 2 at α = 0.3 (both spikes separated, ℓ = 2); k = 3 at α = 0.39
#: (ℓ(0.39) = 4 but only k <= 3 can be resolved even at paper scale), paper scale only.
GROWTH_ALPHA = {1: 0.3, 2: 0.3, 3: 0.39}
#: A singular value of F counts as a spike when it exceeds the bulk edge of F₀ by 10 %.
#: Justification: the largest bulk singular value fluctuates by O(ñ^{-2/3}) ≈ 1 % at ñ = 2000
#: (Tracy–Widom scale), and the step deforms the bulk of F relative to F₀ by a few per cent
#: (Cui et al.'s bulk rescaling c_W; our runs: non-spike singular values of F within
#: 0.95–1.02 × edge for α <= 0.4). A spike barely past its BBP threshold (ratio < 1.1) is
#: not counted -- the conservative side.
SPIKE_MARGIN = 0.1

#: Error sweep (docs/papers/mlhd23.md §6.3 setup: d = N = 800, n = ñ = 4000); quick about 6–7 s unloaded.
#: Paper: n = 8192, d = N = n/4, two replicates, eight α and the no-step network: about 2 min on a 2-core
#: CPU (each α costs a step, three feature passes and one N × N eigendecomposition: ∝ n·N²).
ERRORS = {
    "quick": {"n": 4000, "width": 800, "n_val": 2000, "n_test": 8000, "reps": 1,
              "alphas": (0.0, 0.1, 0.2, 0.3, 0.4)},
    "paper": {"n": 8192, "width": 2048, "n_val": 4096, "n_test": 16384, "reps": 2,
              "alphas": (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.44)},
}
#: BA22's small step is a *constant* η = Θ(1) (read, docs/papers/mlhd23.md §7.1): α = 0 (η = n⁰ = 1). α = 0.1
#: (ℓ = 1 with a growing step) is our extension of it (reconstructed) and only reported in details.
#: α "well above" 1/4 for the ℓ = 2 comparison (docs/papers/mlhd23.md §6.3: at n = 4000 the α = 0.2 network
#: already falls below the bound -- a finite-size effect, since the k = 2 spike-to-bulk ratio
#: grows only like n^{2α−1/2}; it is reported in details, not used as the ℓ = 2 case).
ALPHA_CONSTANT, ALPHA_LINEAR, ALPHA_QUADRATIC = 0.0, 0.1, 0.3
#: Fixed λ for the staircase (the theory's training error is at fixed λ; docs/papers/mlhd23.md §6.3 used 1e-3).
STAIRCASE_LAMBDA = 1e-3
