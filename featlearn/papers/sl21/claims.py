"""SL21's claims (docs/papers/sl21.md §5): predicted from theory code, measured from runs.

The paper has no experiments; every measurement protocol here is ours. ``stated`` marks what
the paper's text says (laws, normalisations); ``reconstructed`` marks our protocols and
practical constants (λ, widths, steps, the construction).
"""

from __future__ import annotations

import math

from featlearn.backends import to_scalar
from featlearn.claims import Outcome, RunContext, claim
from featlearn.experiments import select_records

from . import radial_laws
from .radial_laws import dkw_bound, ks_distance
from .separation import THEOREM3_LEVEL, THEOREM8_NU_DENOMINATOR, theorem8_contraction, theorem8_iterations
from .setting import KEY, LAWS, ball_target, make_input, radius_for

__all__ = ["bessel_normalisation", "class_balance", "gd_monotone", "gd_reaches_representation",
           "linear_readout_above", "radius_laws", "strong_represents", "weak_gd_above_400"]

_KS_LEVEL = 1e-3


@claim(
    id=f"{KEY}.radius-laws",
    paper=KEY,
    where="Eqs. (3)–(5), (8), Assumption 6; docs/papers/sl21.md §2.3, §4.1",
    provenance="stated",
    statement="The samplers follow their radius laws: for D'_d (Eq. 5, sampled as x₁ + x₂ and compared with the "
              "closed-form Beta CDF of ‖x‖), μ_d (Eq. 4: the tabulated Bessel CDF of Eq. 8 mixed with the χ_d/√d "
              "CDF) and the half-Cauchy Assumption 6 law (the paper allows Cauchy-type tails; this law is our design "
              "choice), the Kolmogorov–Smirnov distance of n sampled radii to the CDF is below the DKW bound. "
              "Measured: the largest of the three KS distances at d = 5.",
    tolerance_note="DKW (Massart constant): P(KS > sqrt(ln(2/α)/(2n))) <= α with α = 1e-3/3 per law (union bound "
                   "over the three), so a correct sampler fails with probability <= 1e-3; n = 20000 (quick) gives "
                   "0.0152, n = 200000 (paper) 0.0048. A wrong law (e.g. D'_d's radius without the Beta shape, or μ_d "
                   "without its Gaussian half) is off by > 0.1. The Bessel half of μ_d is sampled and evaluated from "
                   "the same host table, so this KS check covers its inversion and the mixing, not the table; the "
                   "table itself is checked against direct quadrature of Eq. (3) in tests/papers/sl21/test_radial_laws.py.",
)
def radius_laws(ctx: RunContext) -> Outcome:
    d, n = ctx.setting.radius_laws_d, ctx.setting.radius_laws_n
    xp = ctx.xp
    ks = {}
    for law in LAWS:
        inp = make_input(law, d)
        x = inp.sample(ctx.rng("radius-laws", law), n, dtype=ctx.dtype)
        r = xp.linalg.vector_norm(x, axis=1)
        ks[law] = ks_distance(r, inp.radius_cdf)
    bound = dkw_bound(n, _KS_LEVEL / 3)
    return Outcome(predicted=0.0, measured=max(ks.values()), tolerance=bound, comparison="at_most",
                   details={"ks": ks, "n": n, "d": d, "dkw_bound": bound})


@claim(
    id=f"{KEY}.bessel-normalisation",
    paper=KEY,
    where="Eq. (3) and Eq. (8) (proof of Theorem 2, Appendix B.1); docs/papers/sl21.md §2.3, §4.1",
    provenance="stated",
    statement="μ̄_d of Eq. (3) is a probability density: its radius density (d/ρ)·J²_{d/2}(2πα√d R_d ρ) (Eq. 8) "
              "integrates to 1 (the sphere's area times R_d^d is d, and ∫₀^∞ J_ν(z)²/z dz = 1/(2ν)). Measured: "
              "trapezoid integral (Euler–Maclaurin corrected) of the SciPy-evaluated density over z ∈ [0, 2000] "
              "plus the analytic tail d/(2000π), for d = 2, 3, 4, 8, 16 (quick; paper adds 32, 64); the largest "
              "|integral − 1|.",
    tolerance_note="1e-5: the grid (step 0.02, end-corrected) integrates to ~1e-9; the tail formula d/(πZ) drops "
                   "terms O(d²/Z²) ≈ 1e-6 at d = 16 (observed |error| <= 2.3e-7 for d <= 8, 1.2e-6 at d = 50). A "
                   "wrong prefactor (e.g. without R_d^d, or the density of ‖x‖ missing the ρ^{d−1} Jacobian) is off "
                   "by O(1).",
)
def bessel_normalisation(ctx: RunContext) -> Outcome:
    vals = {d: radial_laws.bessel_normalisation(d) for d in ctx.setting.bessel_ds}
    worst = max(vals.values(), key=lambda v: abs(v - 1.0))
    return Outcome(predicted=1.0, measured=worst, tolerance=1e-5, comparison="abs",
                   details={"integral_by_d": vals})


@claim(
    id=f"{KEY}.class-balance",
    paper=KEY,
    where="Eqs. (4), (5), targets 1{‖x‖ <= λ}; docs/papers/sl21.md §2.3, §4.1",
    provenance="stated",
    statement="The fraction of positive labels 1{‖x‖ <= λ} in a sample matches P(‖x‖ <= λ) from the radius CDF: "
              "D'_d at λ = √2 (exactly ½, since ⟨x₁, x₂⟩ is symmetric), μ_d at λ = 1 and the Cauchy law at λ = √2 "
              "((2/π)·arctan √2). Measured: the largest |fraction − P|/s.e. over the three laws (d = 4), "
              "s.e. = sqrt(P(1−P)/n).",
    tolerance_note="4 standard errors (binomial): a correct sampler exceeds it with probability < 2e-4 per law. "
                   "n = 20000 (quick), 200000 (paper).",
)
def class_balance(ctx: RunContext) -> Outcome:
    d, n = ctx.setting.class_balance_d, ctx.setting.class_balance_n
    xp = ctx.xp
    z = {}
    for law in LAWS:
        tgt = ball_target(law, d)
        X, y = tgt.sample(ctx.rng("class-balance", law), n, dtype=ctx.dtype)
        lam = radius_for(law)
        p = float(to_scalar(tgt.input.radius_cdf(xp.asarray([lam], dtype=X.dtype, device=ctx.device))[0]))
        frac = float(to_scalar(xp.mean(y)))
        z[law] = {"P": p, "fraction": frac, "z": abs(frac - p) / math.sqrt(p * (1 - p) / n)}
    worst = max(v["z"] for v in z.values())
    return Outcome(predicted=0.0, measured=worst, tolerance=4.0, comparison="at_most", details={"laws": z, "n": n})


@claim(
    id=f"{KEY}.strong-represents",
    paper=KEY,
    where="Theorem 3 (second item) and Theorem 9's good weight v; docs/papers/sl21.md §3.2, §4.3",
    provenance="reconstructed",
    statement="On D'_4 (λ = √2), the frozen erf features of Eq. (2) at Assumption 7's initialisation (width 300 "
              "quick, 800 paper) carry a clipped readout [vᵀx̃]_+^1 whose test error is below Theorem 3's level "
              "1/400. v is our construction (least squares on a steep ramp ½ + K(λ² − ‖x‖²), K, saturation and "
              "ridge chosen on validation), which measures what the strong class represents, separately from how "
              "fast GD finds it. Measured: the largest test error over the d = 4 cells and seeds; the paper-scale "
              "d = 8 cells are reported in the details, not judged: at width 800 their construction reaches only "
              "0.019–0.022 (the width Theorem 8 needs grows with d; a finding, docs/papers/sl21.md §6).",
    tolerance_note="Bound 1/400, no slack. Seed 0 quick: 4.4e-4 (6000 test points: s.e. ≈ 2.7e-4), so the margin "
                   "is ≈ 8 s.e.; widths 200 and 400 give 1.1e-3 and 3.8e-4 (sl21-width), so the claim is not "
                   "at an edge. A readout without the clip (the linear one) is at 0.05.",
    experiment=f"{KEY}-separation",
)
def strong_represents(ctx: RunContext, records) -> Outcome:
    # the statement is about D'_4: the d = 4 cells decide; other d (paper scale: d = 8) are reported beside it
    d = ctx.setting.represent_d
    vals = [r["clipped_error"] for r in select_records(records, d=d)]
    return Outcome(predicted=THEOREM3_LEVEL, measured=max(vals), tolerance=0.0, comparison="at_most",
                   details={"by_cell (d, width, seed, clipped error, ‖v‖)":
                            [(r["d"], r["width"], r["seed"], r["clipped_error"], r["clipped_norm"]) for r in records],
                            "worst_other_d": max((r["clipped_error"] for r in records if int(r["d"]) != d),
                                                 default=None)})


@claim(
    id=f"{KEY}.linear-readout-above",
    paper=KEY,
    where="Theorems 3 and 5 (the weak class Eq. (1)); docs/papers/sl21.md §3.2–§3.3, §4.3",
    provenance="reconstructed",
    statement="The best linear readout aᵀx̃ + a₀ of the same frozen erf features (ridge, λ on validation) -- the "
              "one-nonlinearity class's optimum for these features -- stays above 1/400 on D'_4. Theorem 5 makes "
              "this a theorem only for large d (its threshold is exponential in min{m ln(d/m+2), d ln(m/d+2)}); "
              "at d = 4 it is our measurement. Measured: the smallest test error over cells and seeds.",
    tolerance_note="Bound 1/400, no slack: seed 0 quick gives ≈ 0.06 (about 24× the level; s.e. ≈ 0.003; seeds 0–11 in benchmarks/results/seed_spread_quick_numpy.md), and the "
                   "widths 50–400 of sl21-width give 0.052–0.071, so the verdict does not hinge on the sample.",
    experiment=f"{KEY}-separation",
)
def linear_readout_above(ctx: RunContext, records) -> Outcome:
    vals = [r["linear_error"] for r in records]
    return Outcome(predicted=THEOREM3_LEVEL, measured=min(vals), tolerance=0.0, comparison="at_least",
                   details={"by_cell": [(r["d"], r["width"], r["seed"], r["linear_error"]) for r in records]})


@claim(
    id=f"{KEY}.gd-monotone",
    paper=KEY,
    where="Theorem 8 (fixed step, Eq. (6)); docs/papers/sl21.md §3.4, §4.2",
    provenance="reconstructed",
    statement="GD on Eq. (6) over the output weights at the fixed step η = 1/λ_max(FᵀF/n) never increases F̂ (our "
              "descent-lemma bound: every sample's clipped square loss lies below its curvature-1 quadratic "
              "model), and neither does the preconditioned variant at step 1. At Theorem 8's stated step "
              "η = ν/(8r) (ν = C/(840·9⁴·10⁶), C = 1) the weights move by η‖∇F̂‖ per step, ≈ 1e-15: the same "
              "monotone behaviour, only ≈ 10¹⁴ times slower (details). Measured: the largest one-step increase "
              "of F̂ over both runs.",
    tolerance_note="1e-12 for floating-point rounding of the loss (F̂ ≈ 0.1–0.5 summed over n = 3000 terms: rounding "
                   "≈ n·1e-16 ≈ 3e-13); any real increase from a too-large step is ≥ 1e-4 here.",
    experiment=f"{KEY}-separation",
)
def gd_monotone(ctx: RunContext, records) -> Outcome:
    inc = max(max(r["gd_max_increase"], r["pgd_max_increase"]) for r in records)
    det = [{"d": r["d"], "width": r["width"], "seed": r["seed"], "step": r["step"], "lambda_max": r["lambda_max"],
            "stated_step": r["stated_step"], "stated_move": r["stated_move"],
            "stated_move_first_order": r["stated_expected_move"], "stated_loss_change": r["stated_loss_change"],
            "iterations_vs_theorem8": _iterations_vs_theorem8(r)}
           for r in records]
    return Outcome(predicted=0.0, measured=inc, tolerance=1e-12, comparison="at_most", details={"cells": det})


def _iterations_vs_theorem8(r: dict) -> dict:
    """A reported finding, not a claim (a bound 10²⁴ above the measurement cannot fail): Theorem 8's
    T = 2η⁻¹ν⁻¹ ln(r/(8ε)) at its step η = ν/(8r) (C = 1), beside the iterations plain GD at the practical
    step 1/λ_max would need to reach F̂ <= ε/2, extrapolated from the fitted power law F̂_t ≈ a·t^{−p}
    (uncertain by orders of magnitude; docs/papers/sl21.md §6)."""
    eps = 2.0 * THEOREM3_LEVEL
    nu = 1.0 / THEOREM8_NU_DENOMINATOR
    eta8 = nu / (8.0 * r["width"])
    return {"theorem8_T": theorem8_iterations(eps, int(r["width"]), eta8, nu),
            "gd_iterations_extrapolated": r["gd_iters_to_eps"], "power": r["gd_power"],
            "contraction_factor_stated": theorem8_contraction(eta8, nu, int(r["width"])),
            "practical_over_stated_step": r["step"] / eta8}


@claim(
    id=f"{KEY}.weak-gd-above-400",
    paper=KEY,
    where="Theorem 3 (first item), d >= 4; docs/papers/sl21.md §3.2, §4.4",
    provenance="reconstructed",
    statement="GD on all layers of a weak network Eq. (1) (tanh, C²; width 64 quick, 256 paper; T = 300 quick, "
              "1000 paper; step min{1/L̂, 2/L̂ − 1/T}, L̂ the Hessian's top eigenvalue at initialisation by power "
              "iteration) keeps the test error above 1/400 at every recorded iterate on D'_d (λ = √2; d = 4 quick, "
              "4, 8 paper), and so does Adam (lr 1e-2) as a stronger practical baseline. Theorem 3's level and "
              "algorithm are stated; its λ_d is only said to exist, so λ = √2 and the sizes are ours. Measured: "
              "the smallest test error over iterates, optimisers, cells and seeds.",
    tolerance_note="Bound 1/400, no slack: seed 0 quick gives min 0.076 (Adam) and 0.12 (GD), ≥ 30× the level "
                   "(s.e. of a test error ≈ 0.003 at 6000 points). Errors are recorded every 10 iterations and at "
                   "log-spaced checkpoints (not at every iterate).",
    experiment=f"{KEY}-separation",
)
def weak_gd_above_400(ctx: RunContext, records) -> Outcome:
    for r in records:
        if r["d"] < 4:
            raise ValueError(f"d: Theorem 3 needs d >= 4, got a record with d = {r['d']}")
    vals = [min(r["wgd_min_error"], r["adam_min_error"]) for r in records]
    return Outcome(predicted=THEOREM3_LEVEL, measured=min(vals), tolerance=0.0, comparison="at_least",
                   details={"by_cell": [(r["d"], r["seed"], r["wgd_min_error"], r["adam_min_error"], r["weak_L"])
                                        for r in records]})


@claim(
    id=f"{KEY}.gd-reaches-representation",
    paper=KEY,
    where="Theorem 3 (second item) and Theorem 8; docs/papers/sl21.md §3.4, §4.2, §6",
    provenance="reconstructed",
    statement="Theorems 3 and 8 say GD on the output weights of Eq. (2) reaches any error ε with polynomial "
              "resources. In practical time it should then get below 1/400 where the features can (see "
              "sl21.strong-represents). Measured: the smaller of the final test errors of plain GD (300 "
              "iterations quick) and of preconditioned GD (beyond the paper: P = (G + 1e-6·λ_max I)⁻¹, step 1, 60 "
              "iterations quick), on the same features.",
    tolerance_note="Bound 1/400, no slack (the representation itself is at 4.4e-4 on these features).",
    known_discrepancy="At CPU sizes GD does not get there: plain fixed-step GD is at 0.08 after 300 steps (F̂ decays "
                      "like t^-0.4; the ill-conditioned erf Gram spans 10 orders of magnitude) and the "
                      "preconditioned variant drives the training loss to 0.009 but its test error stalls near "
                      "0.02: samples with wᵀx̃ outside (0, 1) on the wrong side get zero gradient and stay wrong, and "
                      "the fitted weights overfit the boundary. The theorems' guarantees need r ≥ 12000⁴ and "
                      "n ≈ r³; nothing here contradicts them, but they do not describe these sizes.",
    experiment=f"{KEY}-separation",
)
def gd_reaches_representation(ctx: RunContext, records) -> Outcome:
    vals = [min(r["gd_test_error"], r["pgd_test_error"]) for r in records]
    return Outcome(predicted=THEOREM3_LEVEL, measured=max(vals), tolerance=0.0, comparison="at_most",
                   details={"by_cell": [(r["d"], r["seed"], r["gd_test_error"], r["pgd_test_error"],
                                         r["clipped_error"]) for r in records]})
