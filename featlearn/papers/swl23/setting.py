"""SWL23's key, citation and setting: every size its claims and experiments read.

Data laws, network, Algorithm 1 hyper-parameters and sweep axes. All sizes are **ours** (design,
docs/papers/swl23.md §6): the paper's hyper-parameters and any experiments it has were not found.
Quick sizes (the defaults) keep every claim at quick scale under a few seconds on a 2-core CPU
(NumPy float64); paper sizes (``Setting.SCALES["paper"]``) are larger versions of the same runs.

Examples
--------
>>> from featlearn.papers.swl23.setting import Setting
>>> Setting().xor_d, Setting.at("paper").xor_d
(128, 256)
>>> Setting(xor_width=0)
Traceback (most recent call last):
...
ValueError: xor_width: expected an int in [2, inf], got 0
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param

KEY = "swl23"
CITATION = {"cite": "Shi, Wei, Liang 2023",
            "title": "Provable Guarantees for Neural Networks via Gradient Feature Learning",
            "url": "https://arxiv.org/abs/2310.12408", "notes": "docs/papers/swl23.md"}

_POS = {"min_val": 0.0, "include_boundaries": "neither"}  # a positive real
_PROB = {"min_val": 0.0, "max_val": 1.0, "include_boundaries": "neither"}  # a probability in (0, 1)


@dataclass(frozen=True)
class Setting(_Base):
    """SWL23's setting (docs/papers/swl23.md §2–§6): mixtures, parities, Algorithm 1, sweeps."""

    # -- XOR-like Gaussian mixture of the claims' shared run (§5.2): means ±s·e₁ (label +1), ±s·e₂
    # (label −1), covariance σ²I; d large against the width and the sample size (m, n ≪ d²), the
    # regime where fixed random features learn only the (zero) linear part of the labels (§5.7).
    xor_d: int = param(128, doc="input dimension d of the XOR mixture (claims' shared run)", min_val=1)
    separation: float = param(3.0, doc="cluster separation s of the XOR mixture (means ±s·e₁, ±s·e₂)", **_POS)
    std: float = param(1.0, doc="noise standard deviation σ of the XOR mixture", **_POS)
    xor_width: int = param(256, doc="network width m (hidden neurons, mirrored pairs) of the XOR run", min_val=2)
    xor_n: int = param(8000, doc="training sample size n of the XOR run", min_val=2)
    xor_n_val: int = param(2000, doc="validation sample size (best iterate, ridge λ) of the XOR run", min_val=1)
    xor_n_test: int = param(8000, doc="test sample size of the XOR run", min_val=1)
    xor_steps: int = param(20, doc="steps T of Algorithm 1 in the XOR run", min_val=1)
    # -- Algorithm 1 (§2, design values): σ_w = 1/√d, σ_b = 1, σ_a = 1; step 1 with η⁽¹⁾ = 5 and
    # λ⁽¹⁾ = 1/η⁽¹⁾ (so ‖w_i⁽¹⁾‖ = η⁽¹⁾|a_i⁽⁰⁾|‖G_Z‖ is a few units and the frozen biases b_i ~ N(0, 1)
    # give bias ratios b_i/‖w_i⁽¹⁾‖ spread around the cluster scale); then T − 1 steps with η = 0.1,
    # λ = 1e-4 on both layers; hinge loss; full batch.
    sigma_b: float = param(1.0, doc="standard deviation σ_b of the (frozen) first-layer biases", **_POS)
    sigma_a: float = param(1.0, doc="standard deviation σ_a of the output weights at initialisation", **_POS)
    eta1: float = param(5.0, doc="first step size η⁽¹⁾ of Algorithm 1 (weight decay λ⁽¹⁾ = 1/η⁽¹⁾)", **_POS)
    eta: float = param(0.1, doc="step size η of Algorithm 1's later steps", **_POS)
    lam: float = param(1e-4, doc="weight decay λ of Algorithm 1's later steps (both layers)", min_val=0.0)
    # Lazy baseline: a small output layer at initialisation keeps the first-layer gradient, which is
    # proportional to a, small, and the first step is an ordinary small step (η⁽¹⁾ = η, λ⁽¹⁾ = 0).
    lazy_sigma_a: float = param(1e-3, doc="σ_a of the lazy baseline (small output layer at initialisation)", **_POS)
    xor_gamma: float = param(0.2, doc="cone parameter γ of the lottery tickets' gradient-feature events "
                                      "(cone of ±e₁, ±e₂, positive bias)", **_PROB)
    # -- structured parity (§5.3), one block (r = 1), M = identity
    parity_d: int = param(24, doc="input dimension d of the structured parity", min_val=1)
    parity_p_A: float = param(0.2, doc="probability p_A of the strong-signal block pattern", **_PROB)
    parity_p_o: float = param(0.1, doc="probability p_o of the other coordinates' pattern", **_PROB)
    parity_n: int = param(4000, doc="sample size n of the empirical gradient G_Z on the structured parity",
                          min_val=2)
    parity_n_pop: int = param(100000, doc="population draws for the population gradient and E[y⟨D, x⟩]",
                              min_val=2)
    parity_width: int = param(512, doc="initial neurons m (one per mirrored pair) on the structured parity",
                              min_val=1)
    parity_even_k: int = param(4, doc="even parity order k (no first-order signal)", min_val=2)
    parity_odd_k: int = param(3, doc="odd parity order k (block direction a gradient feature)", min_val=1)
    parity_gamma: float = param(0.1, doc="cone parameter γ of the parity hit probability (cos > 1 − γ with D)",
                                **_PROB)
    feature_p: float = param(0.05, doc="level p of the gradient feature set S_{p,γ,B_G} (parity hit claim and "
                                       "the bound grid)", **_PROB)
    # -- uniform sparse parity, crossing sample size (§5.4): i.i.d. initial neurons w ~ N(0, I/d),
    # b ~ N(0, 1); the sample size at which the median over neurons of cos(G_Z, G) reaches the level,
    # G the population gradient (Rao–Blackwellised Monte Carlo); sizes on a geometric grid from 16.
    # The d grids avoid d < 3k (discrete effects of a small cube) and stay within ~0.5 s per cell at
    # quick scale; paper: 30 cells, ≈ 2 min on a 2-core CPU (cost ∝ width · n_pop per cell).
    crossing_width: int = param(128, doc="initial neurons m of the crossing sweep", min_val=1)
    crossing_n_pop: int = param(2**16, doc="Monte-Carlo draws of the population gradient G (crossing sweep)",
                                min_val=2)
    crossing_d_k2: tuple = param((16, 32, 64, 128), doc="input dimensions d swept for the 2-sparse parity",
                                 min_val=1)
    crossing_d_k3: tuple = param((12, 16, 24, 32), doc="input dimensions d swept for the 3-sparse parity",
                                 min_val=1)
    crossing_seeds: int = param(3, doc="sweep seeds of the crossing sweep", min_val=1)
    crossing_level: float = param(0.5, doc="level of the median cos(G_Z, G) that defines the crossing size",
                                  **_PROB)
    crossing_steps_per_octave: int = param(4, doc="sample sizes per doubling on the crossing's geometric grid",
                                           min_val=1)
    crossing_max_n: int = param(2**23, doc="largest sample size on the crossing's geometric grid", min_val=16)
    # Neurons are drawn once per (seed, k) in crossing_d_max dimensions and cut to their first d
    # coordinates (common random numbers: the d grid sees the same neurons, so the fitted slope is
    # not dominated by the neuron-to-neuron spread of ‖G‖, a heavy-tailed product of coordinates).
    crossing_d_max: int = param(256, doc="dimension the crossing neurons are drawn in (≥ every swept d)",
                                min_val=1)
    # -- Theorem 3.12 on a grid of Gaussian mixtures (§4), fixed before any run: families "xor" (means
    # ±s e₁ label +1, ±s e₂ label −1; teacher σ(±x₁ − β), σ(±x₂ − β), r = 4, β = s/2) and
    # "two-cluster" (means ±s e₁ with labels ±1; teacher σ(±x₁ − β), r = 2, β = σ); σ = 1; B_a1 =
    # 1/(s − β − 2σ) (1/σ when s − β − 2σ < σ); feature set at γ = bound_gamma, p = feature_p, bias
    # sign +1, B_G from the closed-form G of bound_feature_neurons initial neurons; C = 1 (the unit
    # constant of the O(·), never tuned); ε = 0; Algorithm 1 as above with width bound_width.
    bound_family: tuple = param(("xor", "two-cluster"), doc="mixture families of the bound grid",
                                choices=("xor", "two-cluster"))
    bound_s: tuple = param((3.0, 8.0, 20.0), doc="cluster separations s of the bound grid", **_POS)
    bound_d: tuple = param((2, 16), doc="input dimensions d of the bound grid", min_val=2)
    bound_seeds: int = param(1, doc="sweep seeds of the bound grid", min_val=1)
    bound_width: int = param(64, doc="network width m of Algorithm 1 on the bound grid", min_val=2)
    bound_n: int = param(8000, doc="training sample size n on the bound grid (the n of the bound)", min_val=2)
    bound_n_val: int = param(2000, doc="validation sample size on the bound grid", min_val=1)
    bound_n_test: int = param(8000, doc="test sample size on the bound grid", min_val=1)
    bound_n_heldout: int = param(8000, doc="held-out sample size for OPT, B_x1, B_x2 on the bound grid", min_val=1)
    bound_feature_neurons: int = param(2048, doc="initial neurons whose closed-form G defines B_G", min_val=1)
    bound_steps: int = param(20, doc="steps T of Algorithm 1 on the bound grid", min_val=1)
    bound_gamma: float = param(0.01, doc="cone parameter γ of the bound's feature set", **_PROB)
    bound_C: float = param(1.0, doc="constant C of the O(·) in the bound (the unit constant, never tuned)", **_POS)
    # -- error against width on the XOR mixture (§5.7): smaller than the claims' XOR run so that a
    # width sweep stays quick
    widths: tuple = param((32, 64, 128, 256), doc="network widths m of the width sweep", min_val=2)
    width_seeds: int = param(3, doc="sweep seeds of the width sweep", min_val=1)
    width_d: int = param(64, doc="input dimension d of the width sweep's XOR mixture", min_val=2)
    width_n: int = param(4000, doc="training sample size n of the width sweep", min_val=2)
    width_n_val: int = param(2000, doc="validation sample size of the width sweep", min_val=1)
    width_n_test: int = param(4000, doc="test sample size of the width sweep", min_val=1)
    width_steps: int = param(15, doc="steps T of Algorithm 1 in the width sweep", min_val=1)
    cos_bins: int = param(20, doc="bins on [0, 1] of the width sweep's gradient-feature cosine histograms",
                          min_val=1)

    SCALES = {"quick": {}, "paper": {
        "xor_d": 256, "xor_width": 512, "xor_n": 32000, "xor_n_val": 8000, "xor_n_test": 32000, "xor_steps": 60,
        "parity_d": 48, "parity_n": 16000, "parity_n_pop": 400000, "parity_width": 2048,
        "crossing_width": 512, "crossing_n_pop": 2**18, "crossing_d_k2": (16, 32, 64, 128, 256),
        "crossing_d_k3": (12, 16, 24, 32, 48),
        "bound_s": (2.0, 3.0, 5.0, 8.0, 12.0, 20.0, 40.0), "bound_d": (2, 8, 32), "bound_seeds": 3,
        "widths": (32, 64, 128, 256, 512, 1024), "width_seeds": 5,
        "width_d": 128, "width_n": 16000, "width_n_val": 4000, "width_n_test": 16000, "width_steps": 40,
    }}

    def __post_init__(self) -> None:
        super().__post_init__()
        # Algorithm 1's symmetric initialisation pairs neuron i with i + m/2: a width must be even
        for name in ("xor_width", "bound_width", "widths"):
            values = getattr(self, name)
            odd = [m for m in (values if isinstance(values, tuple) else (values,)) if m % 2]
            if odd:
                raise ValueError(f"{name}: expected even widths (the symmetric initialisation pairs the neurons), "
                                 f"got {odd[0]}")
        if self.parity_even_k % 2 or not self.parity_odd_k % 2:
            raise ValueError(f"parity_even_k, parity_odd_k: expected an even and an odd order, got "
                             f"{self.parity_even_k} and {self.parity_odd_k}")
        for name in ("crossing_d_k2", "crossing_d_k3"):
            if max(getattr(self, name)) > self.crossing_d_max:
                raise ValueError(f"{name}: every d must be at most crossing_d_max = {self.crossing_d_max}, "
                                 f"got {max(getattr(self, name))}")
