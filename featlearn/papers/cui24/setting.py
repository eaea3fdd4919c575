"""The key, citation and setting of Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024 as featlearn runs it.

Every size the claims (:mod:`.claims`) and experiments (:mod:`.experiments`) read is a field of
:class:`Setting` (quick-scale default, paper-scale value in ``Setting.SCALES``); the links, the
activation and the peer's simulation choices (parametrization, residual, noiseless labels) are
module constants. See docs/papers/cui24.md §5 for the choices [design]. Importing this module
registers nothing.

Examples
--------
>>> Setting().d, Setting.at("paper").d
(400, 1000)
>>> Setting.at("paper").one_step_settings()[0]
{'eta_tilde': 1.0, 'alpha0': 2.0, 'alpha': 1.0, 'lam': 0.1}
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.backends import array_namespace
from featlearn.settings import Setting as _Base
from featlearn.settings import param
from featlearn.theory.activations import Activation

KEY = "cui24"
CITATION = {"cite": "Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024",
            "title": "Asymptotics of feature learning in two-layer networks after one gradient-step",
            "url": "https://arxiv.org/abs/2402.04980", "notes": "docs/papers/cui24.md"}

#: σ* = sin, the peer notebook's teacher (docs/papers/cui24.md §2); σ = σ* = tanh is its simulation's.
SIN = Activation("sin", lambda z: array_namespace(z).sin(z), lambda z: array_namespace(z).cos(z))
LINKS = {"tanh": "tanh", "sin": SIN}
ACTIVATION = "tanh"
#: Noiseless labels, as in the peer's notebooks (the theory module also takes noise).
NOISE = 0.0
#: The peer's simulation: p = d, a₀ = 1/√p, exact residual y − f₀, Ba et al.'s step η = η̃√p.
PARAMETRIZATION = "ba"
RESIDUAL = "y-f0"

_STEP_AXES = ("step_eta_tildes", "step_alpha0s", "step_alphas", "step_lams")


@dataclass(frozen=True)
class Setting(_Base):
    """Cui et al. 2024 as featlearn runs it: d = p, one step of normalised size η̃ on α₀d samples, ridge λ on αp.

    λ is normalised as in :mod:`.spiked_random_features` (the peer's λ_p = α·λ). Paper scale:
    d = 1000 (2.5× quick; the fixed point is an n, d, p → ∞ limit at fixed ratios, so finite-d
    corrections fall like 1/√d): about 3 min on a 2-core CPU for both sweeps (cost ∝ d³ per
    cell; d = 2000 took ≈ 20 min there).
    """

    d: int = param(400, doc="input dimension d, equal to the network width p (p = d, the peer's simulation)",
                   min_val=1)
    n_test: int = param(4000, doc="fresh test samples per cell for the test excess risk", min_val=2)
    seeds: int = param(4, doc="sweep seeds (target, first layer W₀ and data sets redrawn per seed)", min_val=1)
    step_eta_tildes: tuple = param((1.0, 2.0, 3.0), doc="normalised step sizes η̃ of the predicted-vs-measured "
                                   "settings (zipped with step_alpha0s, step_alphas, step_lams)", min_val=0.0)
    step_alpha0s: tuple = param((2.0, 4.0, 4.0), doc="step sample ratios α₀ = n₀/d of those settings",
                                min_val=0.0, include_boundaries="neither")
    step_alphas: tuple = param((1.0, 2.0, 1.5), doc="ridge sample ratios α = n/p of those settings",
                               min_val=0.0, include_boundaries="neither")
    step_lams: tuple = param((0.1, 0.05, 0.02), doc="ridge penalties λ of those settings", min_val=0.0,
                             include_boundaries="neither")
    curve_alphas: tuple = param((0.5, 1.0, 2.0, 3.0), doc="ridge sample ratios α = n/p along the learning curve",
                                min_val=0.0, include_boundaries="neither")
    curve_eta_tilde: float = param(2.0, doc="normalised step size η̃ of the learning curve (its no-step curve is "
                                   "η̃ = 0)", min_val=0.0, include_boundaries="neither")
    curve_alpha0: float = param(4.0, doc="step sample ratio α₀ = n₀/d of the learning curve", min_val=0.0,
                                include_boundaries="neither")
    curve_lam: float = param(0.05, doc="ridge penalty λ of the learning curve", min_val=0.0,
                             include_boundaries="neither")

    SCALES = {"quick": {},
              "paper": {"d": 1000, "n_test": 10000, "seeds": 5,
                        "curve_alphas": (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)}}

    def __post_init__(self) -> None:
        super().__post_init__()
        n = len(self.step_eta_tildes)
        for name in _STEP_AXES[1:]:
            if len(getattr(self, name)) != n:
                raise ValueError(f"{name}: expected {n} values (one per entry of step_eta_tildes), "
                                 f"got {len(getattr(self, name))}")

    def one_step_settings(self) -> list[dict[str, float]]:
        """The (η̃, α₀, α, λ) settings of the predicted-vs-measured claims, as dicts."""
        return [{"eta_tilde": e, "alpha0": a0, "alpha": a, "lam": lam}
                for e, a0, a, lam in zip(self.step_eta_tildes, self.step_alpha0s, self.step_alphas, self.step_lams)]
