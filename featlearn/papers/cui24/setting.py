"""The setting of Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024 as featlearn runs it.

Links, activation, the (η̃, α₀, α, λ) settings and sizes per scale shared by the claims
(:mod:`featlearn.papers.cui24.claims`) and experiments (:mod:`featlearn.papers.cui24.experiments`);
see docs/papers/cui24.md §5 for the choices [design]. Importing this module registers nothing.
"""

from __future__ import annotations

from featlearn.backends import array_namespace
from featlearn.theory.activations import Activation

#: σ* = sin, the peer notebook's teacher (docs/papers/cui24.md §2); σ = σ* = tanh is its simulation's.
SIN = Activation("sin", lambda z: array_namespace(z).sin(z), lambda z: array_namespace(z).cos(z))
LINKS = {"tanh": "tanh", "sin": SIN}
ACTIVATION = "tanh"
#: Noiseless labels, as in the peer's notebooks (the theory module also takes noise).
NOISE = 0.0
#: The peer's simulation: p = d, a₀ = 1/√p, exact residual y − f₀, Ba et al.'s step η = η̃√p.
PARAMETRIZATION = "ba"
RESIDUAL = "y-f0"

#: Settings (η̃, α₀, α, λ) of the predicted-vs-measured claim, λ normalised as in
#: featlearn.papers.cui24.spiked_random_features (the peer's λ_p = α·λ).
SETTINGS = (
    {"eta_tilde": 1.0, "alpha0": 2.0, "alpha": 1.0, "lam": 0.1},
    {"eta_tilde": 2.0, "alpha0": 4.0, "alpha": 2.0, "lam": 0.05},
    {"eta_tilde": 3.0, "alpha0": 4.0, "alpha": 1.5, "lam": 0.02},
)
#: Learning curve in α (one step and no step), at one (η̃, α₀, λ).
CURVE = {"eta_tilde": 2.0, "alpha0": 4.0, "lam": 0.05}
CURVE_ALPHAS = {"quick": (0.5, 1.0, 2.0, 3.0), "paper": (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)}
#: d = p per scale; test samples per cell. Paper: d = 1000 (2.5× quick; the fixed point is an n, d, p → ∞
#: limit at fixed ratios, so finite-d corrections fall like 1/√d): about 3 min on a 2-core CPU for both
#: sweeps (cost ∝ d³ per cell; d = 2000 took ≈ 20 min there).
SIZES = {"quick": {"d": 400, "n_test": 4000}, "paper": {"d": 1000, "n_test": 10000}}
SEEDS = {"quick": range(4), "paper": range(5)}
