"""The SWL23 setting used by the claims and experiments: data laws, network, Algorithm 1 sizes.

All sizes are **ours** (design, docs/papers/swl23.md §6): the paper's hyper-parameters and any
experiments it has were not found. Quick sizes keep every claim at quick scale under a few
seconds on a 2-core CPU (NumPy float64); paper sizes are larger versions of the same runs.
"""

from __future__ import annotations

#: XOR-like Gaussian mixture (docs/papers/swl23.md §5.2): means ±s·e₁ (label +1), ±s·e₂ (label −1),
#: covariance σ²I. d is large against the width and the sample size (m, n ≪ d²), the regime
#: where fixed random features learn only the (zero) linear part of the labels (§5.7).
XOR = {
    "quick": {"d": 128, "separation": 3.0, "std": 1.0, "width": 256, "n": 8000, "n_val": 2000, "n_test": 8000},
    "paper": {"d": 256, "separation": 3.0, "std": 1.0, "width": 512, "n": 32000, "n_val": 8000, "n_test": 32000},
}

#: Algorithm 1 (docs/papers/swl23.md §2, design values): σ_w = 1/√d, σ_b = 1, σ_a = 1;
#: step 1 with η⁽¹⁾ = 5 and λ⁽¹⁾ = 1/η⁽¹⁾ (so ‖w_i⁽¹⁾‖ = η⁽¹⁾|a_i⁽⁰⁾|‖G_Z‖ is a few units and the
#: frozen biases b_i ~ N(0, 1) give bias ratios b_i/‖w_i⁽¹⁾‖ spread around the cluster scale);
#: then T − 1 steps with η = 0.1, λ = 1e-4 on both layers; hinge loss; full batch.
ALGORITHM1 = {"sigma_b": 1.0, "sigma_a": 1.0, "eta1": 5.0, "eta": 0.1, "lam": 1e-4,
              "steps": {"quick": 20, "paper": 60}}

#: Lazy baseline: a small output layer at initialisation (σ_a = 1e-3) keeps the first-layer
#: gradient, which is proportional to a, small, and the first step is an ordinary small step
#: (η⁽¹⁾ = η, λ⁽¹⁾ = 0): the first layer stays near its initialisation (relative movement reported).
LAZY_SIGMA_A = 1e-3

#: Gradient-feature events for the lottery tickets and the bound on the XOR mixture: the teacher
#: directions e₁, e₂ (two-sided cone, so ±e₁, ±e₂), positive bias sign (teacher neurons
#: σ(±x₁ − β) with β > 0), cone parameter γ.
XOR_GAMMA = 0.2

#: Structured parity (docs/papers/swl23.md §5.3), one block (r = 1), M = identity.
PARITY = {
    "quick": {"d": 24, "p_A": 0.2, "p_o": 0.1, "n": 4000, "n_pop": 100000, "width": 512},
    "paper": {"d": 48, "p_A": 0.2, "p_o": 0.1, "n": 16000, "n_pop": 400000, "width": 2048},
}
PARITY_ODD_K = 3
PARITY_EVEN_K = 4
#: Cone parameter of the parity hit probability (cos > 0.9 with the block direction).
PARITY_GAMMA = 0.1


#: Uniform sparse parity, crossing sample size (docs/papers/swl23.md §5.4): i.i.d. initial
#: neurons w ~ N(0, I/d), b ~ N(0, 1) (the law of init_symmetric's first half); the sample size
#: at which the median over neurons of cos(G_Z, G) reaches LEVEL, G the population gradient
#: (Rao–Blackwellised Monte Carlo with n_pop draws); sizes on a geometric grid with
#: STEPS_PER_OCTAVE points per doubling from 16. The d grids avoid d < 3k (discrete effects of a
#: small cube) and stay within ~0.5 s per cell at quick scale.
CROSSING = {
    "quick": {"width": 128, "n_pop": 2**16, "d": {2: [16, 32, 64, 128], 3: [12, 16, 24, 32]}, "seeds": (0, 1, 2)},
    # paper: 30 cells, ≈ 2 min on a 2-core CPU (cost ∝ width · n_pop per cell)
    "paper": {"width": 512, "n_pop": 2**18, "d": {2: [16, 32, 64, 128, 256], 3: [12, 16, 24, 32, 48]},
              "seeds": (0, 1, 2)},
}
CROSSING_LEVEL = 0.5
CROSSING_STEPS_PER_OCTAVE = 4
CROSSING_MAX_N = 2**23
#: Neurons are drawn once per (seed, k) in CROSSING_D_MAX dimensions and cut to their first d
#: coordinates (common random numbers: the d grid sees the same neurons, so the fitted slope is
#: not dominated by the neuron-to-neuron spread of ‖G‖, a heavy-tailed product of coordinates).
CROSSING_D_MAX = 256

#: Theorem 3.12 on a grid of Gaussian-mixture instances (docs/papers/swl23.md §4), fixed before
#: any run: families "xor" (means ±s e₁ label +1, ±s e₂ label −1; teacher σ(±x₁ − β), σ(±x₂ − β),
#: r = 4, β = s/2) and "two-cluster" (means ±s e₁ with labels ±1; teacher σ(±x₁ − β), r = 2,
#: β = σ); σ = 1; the teacher's output bound B_a1 = 1/(s − β − 2σ) (margin 1 two noise standard
#: deviations inside the cluster; 1/σ when s − β − 2σ < σ); feature set at γ = 0.01, p = 0.05,
#: bias sign +1, B_G from the closed-form G of 2048 initial neurons; C = 1 (the unit constant of
#: the O(·), never tuned); ε = 0; Algorithm 1 as in ALGORITHM1 with width 64.
BOUND_GRID = {
    "quick": {"family": ["xor", "two-cluster"], "s": [3.0, 8.0, 20.0], "d": [2, 16]},
    "paper": {"family": ["xor", "two-cluster"], "s": [2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 40.0], "d": [2, 8, 32]},
}
BOUND_RUN = {"width": 64, "n": 8000, "n_val": 2000, "n_test": 8000, "n_heldout": 8000, "feature_neurons": 2048,
             "steps": 20, "gamma": 0.01, "p": 0.05, "C": 1.0}
