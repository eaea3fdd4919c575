"""Claims of Moniri–Lee–Hassani–Dobriban 2023 (MLHD23) and Ba et al. 2022 (BA22): one large step.

Setting (``docs/papers/mlhd23.md`` §6.2):
``x ~ N(0, I_d)``, ``y = σ*(β*·x) + ε`` with ``σ* = He₁ + ½He₂`` ("linear + quadratic", the
information-exponent-1 targets of MLHD23 §5) and ``σ_ε = 0.1``; network in MLHD23's
parametrisation (neurons on the unit sphere, ``a_j ~ N(0, 1/N)``), activation
``σ = tanh + 2·softplus`` centred (μ₁, μ₂, μ₃ all non-zero, docs/papers/mlhd23.md §4.3), one step
``W = W₀ + ηG`` with ``η = n^α`` and the residual convention ``"y"`` (docs/papers/mlhd23.md §2.3), then ridge
on independent data. Exact figure parameters of the papers were not found (docs/papers/mlhd23.md §6.1); the
sizes are ours: every size and α a claim reads is a field of :class:`.setting.Setting` (``ctx.setting``).

Two registered experiments (:mod:`featlearn.papers.mlhd23.experiments`) are read by the claims; the
check engine runs each once per backend/scale/seed through the sweep store:

* a *spectral* sweep over n at fixed ratios d = N = n/16, ñ = n, with replicates, giving the
  singular values of F = σ(X̃W), the bulk edge of F₀ = σ(X̃W₀) on the same X̃, and the
  alignments of the top left singular vectors with the Gram–Schmidt sequence of (X̃b)^{∘k};
* an *error* sweep over α at one size (d = N = n/5 at quick scale as in docs/papers/mlhd23.md §6.3, n/4 at
  paper scale), giving training and test errors, the ridge λ being chosen on a validation set,
  plus the no-step network (η = 0, random features) on the same data as BA22's baseline.

Timing (NumPy float64, 2-core CPU, unloaded): ≈ 15 s for all claims at quick scale (spectral sweep
≈ 5 s, error sweep ≈ 6–7 s); the paper-scale timings are in the committed paper report.

Quick sizes (n <= 16384) resolve the ℓ ∈ {1, 2} spikes and the growth of both; the degree-3 spike
stays inside the bulk there (docs/papers/mlhd23.md §4.3), so α > 1/3 and k = 3 are used at paper scale only.

Tolerances quote the seed-to-seed spread in benchmarks/results/seed_spread_quick_numpy.md (12 seeds)
and, at paper scale, benchmarks/results/seed_spread_paper_numpy.md.
"""

from __future__ import annotations

import json
import math

from featlearn.claims import Outcome, Prediction, RunContext, claim
from featlearn.experiments import group_by, select_records
from featlearn.stats import median
from featlearn.theory.hermite import gaussian_moment
from featlearn.theory.one_step import (best_linear_excess_risk, direction_norm_limit, direction_overlap_limit,
                                       hermite_profile, spike_growth_exponent, spike_magnitude)
from featlearn.theory.one_step import spike_count as spikes_predicted

from .setting import ACTIVATION, BA22_KEY, KEY, LINK, NOISE, SPIKE_MARGIN, STAIRCASE_LAMBDA, Setting
from .spectral import SpikeSweep, count_spikes, fit_growth_exponent


def _spectral(records: list[dict]) -> dict[int, list[SpikeSweep]]:
    """The spectral sweep's records (experiment ``mlhd23-spectral``) as ``{n: [SpikeSweep per replicate]}``."""
    runs: dict[int, list] = {}
    for r in sorted(select_records(records), key=lambda r: (int(r["n"]), int(r["rep"]))):
        runs.setdefault(int(r["n"]), []).append(SpikeSweep(**json.loads(r["spectra"])))
    return runs


def _errors(records: list[dict]) -> list[list[dict]]:
    """The error sweep's records (experiment ``mlhd23-errors``): per replicate, one dict per α, then the
    no-step (η = 0) dict (``alpha`` None; see ``alpha_sweep``)."""
    return [json.loads(r["rows"]) for r in sorted(select_records(records), key=lambda r: int(r["rep"]))]


def _mean(v):
    v = list(v)
    return sum(v) / len(v)


def _alpha_index(sweep, alpha: float) -> int:
    return min(range(len(sweep.alphas)), key=lambda i: abs(sweep.alphas[i] - alpha))


def _check_setting(setting) -> Setting:
    """``setting`` itself when it is this paper's :class:`.setting.Setting`, else ``TypeError`` naming it."""
    if not isinstance(setting, Setting):
        raise TypeError(f"setting: expected a featlearn.papers.mlhd23.Setting, got {type(setting).__name__}")
    return setting


def _spectral_replicates(setting: Setting) -> dict[int, int]:
    """``{n: replicates}`` of the spectral sweep's grid (the cells ``(n, rep)`` it registers)."""
    reps: dict[int, int] = {}
    for n, r in zip(setting.spectral_ns, setting.spectral_reps):
        reps[int(n)] = max(reps.get(int(n), 0), int(r))
    return reps


# -- spikes ---------------------------------------------------------------------------------------------------
def predict_spike_count(setting: Setting) -> Prediction:
    """Theorem 3.3 of MLHD23: ℓ(α) spikes at every counted α, for every replicate at the sweep's largest n.

    The claim value is the number of (α, replicate) cases whose count equals ℓ(α); predicted: all of them,
    ``len(count_alphas) × replicates at max(spectral_ns)``, compared exactly.
    """
    s = _check_setting(setting)
    reps = _spectral_replicates(s)
    n_max = max(reps)
    ells = {f"alpha={a}": spikes_predicted(a) for a in s.count_alphas}
    cases = len(s.count_alphas) * reps[n_max]
    return Prediction(
        predicted=float(cases), comparison="equal", tolerance=0.0,
        formula="ℓ(α) = #{k >= 1 : α > (k−1)/(2k)}, i.e. (ℓ−1)/(2ℓ) < α < ℓ/(2ℓ+2) (MLHD23 Theorem 3.3, ICLR "
                "numbering; docs/papers/mlhd23.md §4.1); predicted claim value: every (α, replicate) case at the "
                "largest n has exactly ℓ(α) singular values above (1 + margin)·edge",
        tolerance_rule="0 (comparison 'equal'): every case must match. " + _SPIKE_COUNT_TOLERANCE,
        details={"n": n_max, "d=N": int(s.ratio * n_max), "replicates_at_n_max": reps[n_max],
                 "margin": SPIKE_MARGIN, "predicted_count_by_alpha": ells})


_SPIKE_COUNT_TOLERANCE = (
    "Margin 10 % over the bulk edge: ≫ the O(ñ^{-2/3}) ≈ 1 % Tracy–Widom fluctuation of the edge and the "
    "few-per-cent deformation of the bulk by the step (non-spike values of F stay within 0.95–1.02 × edge for "
    "α <= 0.4 in our runs).")


@claim(
    id=f"{KEY}.spike-count",
    paper=KEY,
    where="Theorem 3.3 (ICLR 2024 numbering, as quoted by review #1; docs/papers/mlhd23.md §4.1)",
    provenance="stated",
    statement="For (ℓ−1)/(2ℓ) < α < ℓ/(2ℓ+2) the one-step feature matrix F = σ(X̃W) has exactly ℓ singular "
              "values separated from the bulk. Measured: for each α in the set (quick: 0.1 → ℓ=1, 0.3 → ℓ=2; "
              "paper adds 0.36 → ℓ=3), the number of singular values of F above 1.1 × the largest singular "
              "value of F₀ = σ(X̃W₀) on the same data, at the largest n of the sweep (every replicate). "
              "Claim value: the number of (α, replicate) cases whose count equals ℓ(α); predicted: all of "
              "them. Per-α predicted ℓ(α) and measured counts are in the details. Whether a threshold "
              "α = (k−1)/(2k) itself has k−1 or k spikes is not found, so no α near one is used.",
    known_discrepancy="At paper scale the α = 0.36 case (ℓ = 3 predicted) shows 2 spikes: the degree-3 singular value "
                      "is still inside the bulk at n = 65536 (s₃/edge = 0.99 with d = N = n/16, against the 1.1 "
                      "margin; 0.93–0.94 at n = 8192–32768). Its predicted growth there is only n^{0.08}, so n of "
                      "order 10⁶ or more would be needed. At α = 0.39 the degree-3 spike is out (1.17× the edge at "
                      "n = 32768, 1.43× at 65536). The ℓ = 1 and ℓ = 2 cases match at both scales "
                      "(docs/papers/mlhd23.md §4.4).",
    tolerance_note="Exact (every case must match; comparison 'equal'). Margin 10 % over the bulk edge: ≫ the "
                   "O(ñ^{-2/3}) ≈ 1 % Tracy–Widom fluctuation of the edge and the few-per-cent deformation of the "
                   "bulk by the step (non-spike values of F stay within 0.95–1.02 × edge for α <= 0.4 in our "
                   "runs). Seeds 0–11 at quick scale: 24/24 cases matched (benchmarks/results/seed_spread_quick_numpy.md). "
                   "Quick sizes cannot resolve ℓ >= 3 (docs/papers/mlhd23.md §4.3), so α > 1/3 is used at paper "
                   "scale only.",
    experiment="mlhd23-spectral",
    predict=predict_spike_count,
    quantity="number of (α, replicate) cases at the largest n whose count of singular values of F above 1.1 × the "
             "bulk edge of F₀ equals ℓ(α) (a count)",
)
def spike_count(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_spike_count(ctx.setting)
    runs = _spectral(records)
    n_max = max(runs)
    mu = hermite_profile(ACTIVATION, 4)
    cases = matches = 0
    per_alpha = {}
    for alpha in ctx.setting.count_alphas:
        ell = spikes_predicted(alpha)
        counts, ratios = [], []
        for sw in runs[n_max]:
            i = _alpha_index(sw, alpha)
            counts.append(count_spikes(sw.singular_values[i], sw.edge, margin=SPIKE_MARGIN))
            ratios.append([s / sw.edge for s in sw.singular_values[i]])
        cases += len(counts)
        matches += sum(c == ell for c in counts)
        sw = runs[n_max][0]
        predicted_sizes = [spike_magnitude(k, eta=sw.etas[_alpha_index(sw, alpha)], mu=mu, b_norm=sw.b_norm,
                                           n=sw.n_features, width=sw.width) / sw.edge for k in (1, 2, 3)]
        per_alpha[f"alpha={alpha}"] = {"predicted_count": ell, "measured_counts": counts,
                                       "singular_values_over_edge": ratios,
                                       "order_level_spike_over_edge_k123 (reconstructed, §4.2)": predicted_sizes}
    return p.outcome(float(matches), details={"n": n_max, "d=N": int(ctx.setting.ratio * n_max),
                                              "margin": SPIKE_MARGIN, "cases (alpha x replicate)": cases,
                                              **per_alpha})


def _fit_growth(runs: dict, alpha: float, k: int) -> dict:
    """Growth exponent of s_k/edge in n, adjusted for each run's ‖b‖ with the theory's exponent k.

    s_k ∝ (η‖b‖)^k (docs/papers/mlhd23.md §4.2), so ``log(s_k/edge) − k log ‖b‖`` is regressed on log n; the
    coefficient is fixed, not fitted (see ``fit_growth_exponent``). The fitted-coefficient and
    unadjusted slopes are returned as diagnostics.
    """
    samples = []
    for n in sorted(runs):
        for sw in runs[n]:
            i = _alpha_index(sw, alpha)
            samples.append((n, sw.singular_values[i][k - 1] / sw.edge, sw.b_norm))
    fit = fit_growth_exponent(samples, k=k)
    free = fit_growth_exponent(samples, b_exponent=None)
    fit["diagnostic_fitted_b_coefficient"] = free["b_norm_coefficient"]
    fit["diagnostic_slope_with_fitted_b_coefficient"] = free["slope"]
    return fit


def _expansion_parameter(runs: dict, alpha: float) -> dict:
    """ε = η μ₁ ‖b‖ /√N per n: the size of the Taylor expansion's argument (docs/papers/mlhd23.md §4.2)."""
    mu1 = hermite_profile(ACTIVATION, 1)[1]
    out = {}
    for n in sorted(runs):
        sw = runs[n][0]
        out[n] = sw.etas[_alpha_index(sw, alpha)] * mu1 * _mean(s.b_norm for s in runs[n]) / math.sqrt(sw.width)
    return out


def _growth_prediction(setting: Setting, ks: tuple[int, ...], tolerance: float, tolerance_rule: str) -> Prediction:
    """The growth exponents γ_k = 1/2 − k(1/2 − α_k) of the spikes ``ks`` (α_k = ``growth_alphas[k − 1]``).

    The claim reports the k whose measured slope deviates most; when the ks predict different exponents,
    which one is reported is known only after the run (``predicted`` None, ``needs_run``).
    """
    s = _check_setting(setting)
    preds = {k: spike_growth_exponent(s.growth_alphas[k - 1], k) for k in ks}
    values = sorted(set(preds.values()))
    single = len(values) == 1
    return Prediction(
        predicted=values[0] if single else None, comparison="abs", tolerance=float(tolerance),
        formula="s_k/edge ≍ n^{γ_k}, γ_k = 1/2 − k(1/2 − α) (reconstructed: docs/papers/mlhd23.md §4.2 step 4, from "
                "the spike size (η‖b‖)^k N^{(1−k)/2} at η = n^α, d = N = ratio·n); "
                + ", ".join(f"k = {k} at α = {s.growth_alphas[k - 1]}: {v:.4g}" for k, v in preds.items()),
        tolerance_rule=tolerance_rule,
        needs_run="" if single else ("which k is reported: the k whose fitted slope deviates most from its γ_k "
                                     "(the ks predict different exponents)"),
        details={"predicted_exponent_by_k": {f"k={k}": v for k, v in preds.items()},
                 "alpha_by_k": {f"k={k}": s.growth_alphas[k - 1] for k in ks}})


def _growth_outcome(ctx: RunContext, records: list[dict], ks: tuple[int, ...], p: Prediction) -> Outcome:
    runs = _spectral(records)
    fits, worst, worst_k = {}, -1.0, None
    for k in ks:
        alpha = ctx.setting.growth_alphas[k - 1]
        fit = _fit_growth(runs, alpha, k)
        pred = spike_growth_exponent(alpha, k)
        dev = abs(fit["slope"] - pred)
        fits[f"k={k}"] = {"alpha": alpha, "predicted": pred, **fit,
                          "expansion_parameter_eps_by_n": _expansion_parameter(runs, alpha)}
        if dev > worst:
            worst, worst_k = dev, k
    f = fits[f"k={worst_k}"]
    return p.outcome(f["slope"], predicted=None if p.predicted is not None else f["predicted"],
                     details={"reported_k": worst_k, "ns": sorted(runs),
                              "replicates": [len(runs[n]) for n in sorted(runs)],
                              "ratio d/n = N/n": ctx.setting.ratio, **fits})


_GROWTH_K1_TOLERANCE = (
    "Quick 0.1 in the exponent (a third of the prediction, so slope 0 fails). Seed spread at quick scale "
    "(benchmarks/results/seed_spread_quick_numpy.md, 12 seeds): 0.293–0.337, 0.321 ± 0.015 (mean ± sd), so 0.1 is "
    "≈ 7 sd wide; the rest of the slack covers the O(ε²) finite-size corrections (ε = η μ₁ ‖b‖/√N ≈ 0.9–1.4 at these "
    "sizes, reported), which the asymptotic exponent ignores, not noise. Paper 0.05 (ε is ≈ 0.7× its quick value), "
    "checked against the paper-scale seed spread (benchmarks/results/seed_spread_paper_numpy.md, seeds 0–2): "
    "0.317–0.340, the worst seed 0.010 inside the level -- it holds on every seed, with a thin margin.")

_GROWTH_K2PLUS_TOLERANCE = (
    "0.07 in the exponent, fixed before these sizes were run (below both predictions, so slope 0 fails). It is "
    "≈ 2.3 seed sd: the k = 2 slope's seed sd is 0.030 at quick scale (benchmarks/results/seed_spread_quick_numpy.md, "
    "12 seeds) -- at n = 2048…16384 the k = 2 spike stands 2.6–4.2× above the bulk edge, so the exponent is resolved "
    "(at n <= 2000 with d = N = n/2 it was 1.4–2.2× and the seed sd 0.05, too noisy to tell from 0).")


def predict_spike_growth_k1(setting: Setting) -> Prediction:
    """The k = 1 spike grows over the bulk edge like n^{α} (α = ``growth_alphas[0]``); tolerance ``growth_tol_k1``."""
    s = _check_setting(setting)
    return _growth_prediction(s, (1,), s.growth_tol_k1, "growth_tol_k1 of the setting. " + _GROWTH_K1_TOLERANCE)


def predict_spike_growth_k2plus(setting: Setting) -> Prediction:
    """The k-th spike (k in ``growth_ks``) grows like n^{1/2 − k(1/2 − α_k)}; tolerance ``growth_tol_k2plus``."""
    s = _check_setting(setting)
    return _growth_prediction(s, tuple(s.growth_ks), s.growth_tol_k2plus,
                              "growth_tol_k2plus of the setting. " + _GROWTH_K2PLUS_TOLERANCE)


@claim(
    id=f"{KEY}.spike-growth-k1",
    paper=KEY,
    where="docs/papers/mlhd23.md §4.2 step 4 (derived from Theorem 3.3's setting; not the paper's text)",
    provenance="reconstructed",
    statement="The largest singular value of F grows over the bulk edge of F₀ like n^{1/2 − (1/2 − α)} = n^α "
              "(k = 1) at fixed ratios d = N = n/16, ñ = n. Measured: weighted least-squares slope of "
              "log(s₁/edge) − log ‖b‖ vs log n at α = 0.3 (quick: n = 2048…16384, 4/2/1/1 replicates; paper: "
              "n = 8192…65536), the ‖b‖ exponent fixed at k = 1 by the theory (s_k ∝ (η‖b‖)^k, "
              "docs/papers/mlhd23.md §4.2), not fitted.",
    tolerance_note="Quick 0.1 in the exponent (a third of the prediction, so slope 0 fails). Seed spread at quick "
                   "scale (benchmarks/results/seed_spread_quick_numpy.md, 12 seeds): 0.293–0.337, 0.321 ± 0.015 (mean ± sd), "
                   "so 0.1 is ≈ 7 sd wide; the rest of the slack covers the O(ε²) finite-size corrections "
                   "(ε = η μ₁ ‖b‖/√N ≈ 0.9–1.4 at these sizes, reported), which the asymptotic exponent "
                   "ignores, not noise. Paper 0.05 (ε is ≈ 0.7× its quick value), checked against the paper-scale "
                   "seed spread (benchmarks/results/seed_spread_paper_numpy.md, seeds 0–2): 0.317–0.340, the worst "
                   "seed 0.010 inside the level -- it holds on every seed, with a thin margin.",
    experiment="mlhd23-spectral",
    predict=predict_spike_growth_k1,
    quantity="log-log slope of s₁/edge (÷ ‖b‖) vs n, weighted least squares (dimensionless exponent)",
)
def spike_growth_k1(ctx: RunContext, records: list[dict]) -> Outcome:
    return _growth_outcome(ctx, records, (1,), predict_spike_growth_k1(ctx.setting))


@claim(
    id=f"{KEY}.spike-growth-k2plus",
    paper=KEY,
    where="docs/papers/mlhd23.md §4.2 step 4 (derived from Theorem 3.3's setting; not the paper's text)",
    provenance="reconstructed",
    statement="The k-th singular value of F (k >= 2) grows over the bulk edge of F₀ like n^{1/2 − k(1/2 − α)}: "
              "k = 2 at α = 0.3 (predicted 0.1) at both scales, and at paper scale also k = 3 at α = 0.39 "
              "(predicted 0.17). Sizes as mlhd23.spike-growth-k1 (d = N = n/16; quick n = 2048…16384, paper "
              "n = 8192…65536). The reported value is the k with the largest deviation; the same fixed-exponent "
              "‖b‖ adjustment as mlhd23.spike-growth-k1.",
    tolerance_note="0.07 in the exponent, fixed before these sizes were run (below both predictions, so slope 0 "
                   "fails). It is ≈ 2.3 seed sd: the k = 2 slope's seed sd is 0.030 at quick scale "
                   "(benchmarks/results/seed_spread_quick_numpy.md, 12 seeds) -- at n = 2048…16384 the k = 2 spike "
                   "stands 2.6–4.2× above the bulk edge, so the exponent is resolved (at n <= 2000 with d = N = "
                   "n/2 it was 1.4–2.2× and the seed sd 0.05, too noisy to tell from 0).",
    known_discrepancy="The k = 2 spike grows faster than the asymptotic exponent: measured 0.190 ± 0.030 (mean ± sd, "
                      "range 0.130–0.220; 12 seeds, benchmarks/results/seed_spread_quick_numpy.md) against 0.1 at quick "
                      "scale, so the gap is ≈ 3 sd -- resolved, not noise; 8 of the 12 seeds fall outside the "
                      "tolerance. The k = 1 slope of the same runs is 0.321 ± 0.015 against 0.3. BBP compression would bias a measured slope down, not up. At paper "
                      "scale (n = 8192…65536, seeds 0–2, benchmarks/results/seed_spread_paper_numpy.md) the k = 2 "
                      "slope is 0.174 ± 0.019 (0.162–0.196): the excess shrinks from 0.095 to 0.074 while the "
                      "expansion parameter ε = η μ₁ ‖b‖/√N falls from ≈ 1.1–1.4 to 0.73, and 2 of the 3 seeds are "
                      "within the tolerance there (seed 0, the report's, is not) -- consistent with a slowly decaying "
                      "finite-size excess, not conclusive. The k = 3 slope at α = 0.39 (seed 0) is 0.23 against "
                      "0.17, its spike leaving the bulk only from n = 32768 (docs/papers/mlhd23.md §4.4).",
    experiment="mlhd23-spectral",
    predict=predict_spike_growth_k2plus,
    quantity="log-log slope of s_k/edge (÷ ‖b‖^k) vs n for the k >= 2 with the largest deviation, weighted least "
             "squares (dimensionless exponent)",
)
def spike_growth_k2plus(ctx: RunContext, records: list[dict]) -> Outcome:
    return _growth_outcome(ctx, records, tuple(ctx.setting.growth_ks), predict_spike_growth_k2plus(ctx.setting))


def _alignment_table(runs: dict, alpha: float, ell: int) -> dict[int, list[float]]:
    """Per n, the replicate mean of |⟨U_k, GS_k⟩| for k = 1..ℓ."""
    table = {}
    for n in sorted(runs):
        vals = []
        for k in range(1, ell + 1):
            vals.append(_mean(sw.alignments[_alpha_index(sw, alpha)][k - 1][k - 1] for sw in runs[n]))
        table[n] = vals
    return table


#: Lower tolerance of mlhd23.alignment: alignments of at least 1 − 0.1 = 0.9 (see its tolerance note).
ALIGNMENT_TOLERANCE = 0.1


def predict_alignment(setting: Setting) -> Prediction:
    """Theorem 3.4 of MLHD23: |⟨U_k, GS_k⟩| → 1 for k <= ℓ(α); checked as >= 1 − 0.1 at the largest n."""
    s = _check_setting(setting)
    return Prediction(
        predicted=1.0, comparison="at_least", tolerance=ALIGNMENT_TOLERANCE,
        formula="|⟨U_k, GS_k((X̃β)^{∘1..k})⟩| → 1 for every k <= ℓ(α) (MLHD23 Theorem 3.4, ICLR numbering; "
                "reconstructed operationalisation with β ∝ b, docs/papers/mlhd23.md §4.1, §4.2 step 4)",
        tolerance_rule="0.1 below the limit 1: at finite n the misalignment is of order (bulk/spike)², the k = 2 "
                       "spike ≈ 4× the bulk edge at n = 16384; seeds 0–11 at quick scale gave 0.984–0.986 (sd "
                       "0.0005), so a random direction (≈ 0) fails",
        details={"alpha": s.alignment_alpha, "ell": spikes_predicted(s.alignment_alpha)})


def predict_alignment_growth(setting: Setting) -> Prediction:
    """Theorem 3.4 of MLHD23 (alignments → 1): the misalignment falls from the smallest to the largest n."""
    s = _check_setting(setting)
    ell = spikes_predicted(s.alignment_alpha)
    return Prediction(
        predicted=1.0, comparison="at_most", tolerance=0.0,
        formula="max_k (1 − |⟨U_k, GS_k⟩|)(n_max) / (1 − |⟨U_k, GS_k⟩|)(n_min) < 1, the misalignment falling like a "
                "power of n as s_k/edge ≍ n^{1/2 − k(1/2 − α)} grows (MLHD23 Theorem 3.4; reconstructed, "
                "docs/papers/mlhd23.md §4.1)",
        tolerance_rule="0 (no slack): replicate averaging at the smallest n and the 8× change in n keep the noise "
                       "small against the change; seeds 0–11 at quick scale gave 0.39–0.51",
        details={"alpha": s.alignment_alpha, "ell": ell, "n_min": min(s.spectral_ns), "n_max": max(s.spectral_ns),
                 "predicted_growth_exponent_by_k": {f"k={k}": spike_growth_exponent(s.alignment_alpha, k)
                                                    for k in range(1, ell + 1)}})


@claim(
    id=f"{KEY}.alignment",
    paper=KEY,
    where="Theorem 3.4 (ICLR 2024 numbering) and Figure 2, as described by reviews #1 (Q4) and #2; docs/papers/mlhd23.md §4.1",
    provenance="reconstructed",
    statement="The k-th left singular vector of F aligns with the polynomial feature (X̃β)^{∘k}, k <= ℓ, and the "
              "alignment tends to 1 (read). Measured (our operationalisation, reconstructed: β ∝ b = (1/n)Xᵀy and the "
              "Gram–Schmidt sequence of (X̃b)^{∘k}): min over k <= ℓ(α) of the replicate-mean |⟨U_k, GS_k⟩| at "
              "the largest n, α = 0.3 (ℓ = 2); paper scale α = 0.36 (ℓ = 3).",
    known_discrepancy="At paper scale (α = 0.36, ℓ = 3) the third alignment is at noise level (≈ 0.03 at n = 65536): "
                      "the degree-3 spike is not separated from the bulk at these sizes (see mlhd23.spike-count). "
                      "The k = 1, 2 alignments are 0.997 and 0.983 there.",
    tolerance_note="At least 0.9 (predicted 1, tolerance 0.1): at finite n the misalignment is of order "
                   "(bulk/spike)², and the k = 2 spike is ≈ 4× the bulk edge at n = 16384 (docs/papers/mlhd23.md §4.3 saw "
                   "0.93–0.99 at n = 6000 with d = N = n/2). Seeds 0–11 at quick scale: 0.984–0.986 (sd 0.0005), so "
                   "the bound sits far below every seed and a random direction (≈ 0) fails.",
    experiment="mlhd23-spectral",
    predict=predict_alignment,
    quantity="min over k <= ℓ(α) of the replicate-mean |⟨U_k, GS_k⟩| at the largest n (a cosine, 0 to 1)",
)
def alignment(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_alignment(ctx.setting)
    runs = _spectral(records)
    alpha = ctx.setting.alignment_alpha
    ell = spikes_predicted(alpha)
    table = _alignment_table(runs, alpha, ell)
    n_max = max(runs)
    return p.outcome(min(table[n_max]),
                     details={"alpha": alpha, "ell": ell, "alignment_by_n": table,
                              "off_diagonal_first_replicate": runs[n_max][0].alignments[
                                  _alpha_index(runs[n_max][0], alpha)][:ell + 1]})


@claim(
    id=f"{KEY}.alignment-growth",
    paper=KEY,
    where="Theorem 3.4 (alignments → 1 as n → ∞), docs/papers/mlhd23.md §4.1",
    provenance="reconstructed",
    statement="The alignments |⟨U_k, GS_k⟩|, k <= ℓ, grow with n at fixed ratios: measured is the largest, over "
              "k, ratio of the misalignment 1 − |⟨U_k, GS_k⟩| at the largest n to that at the smallest n "
              "(replicate means, α as in mlhd23.alignment), over the k <= ℓ whose spike is separated from the "
              "bulk at the smallest n (the others, if any, are listed in the details: they have no alignment to "
              "grow, and mlhd23.spike-count and mlhd23.alignment report them); predicted: < 1 for every k.",
    tolerance_note="At most 1 with no slack: the misalignment is expected to fall like a power of n (the "
                   "spike-to-bulk ratio grows like n^{1/2−k(1/2−α)}); the replicate averaging (4 runs at the smallest n) "
                   "and the 8× change in n keep the run-to-run noise small against the change. Seeds 0–9 at quick "
                   "scale (n = 2048 → 16384, seeds 0–11): 0.39–0.51 (mean 0.44, sd 0.04), the worst seed 12 sd "
                   "below the limit; no change with n gives ≈ 1 ± noise, failing about half the time.",
    experiment="mlhd23-spectral",
    predict=predict_alignment_growth,
    quantity="largest ratio over k of the misalignment 1 − |⟨U_k, GS_k⟩| at the largest n to that at the smallest n "
             "(dimensionless)",
)
def alignment_growth(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_alignment_growth(ctx.setting)
    runs = _spectral(records)
    alpha = ctx.setting.alignment_alpha
    ell = spikes_predicted(alpha)
    table = _alignment_table(runs, alpha, ell)
    lo, hi = min(runs), max(runs)
    # a k whose spike is inside the bulk at every n has no alignment to grow (its |⟨U_k, GS_k⟩| is noise,
    # and a ratio of two noise values passes or fails by chance): only the k separated at the smallest n
    # of every replicate enter; the others are reported (mlhd23.spike-count and mlhd23.alignment fail on them)
    separated = min(count_spikes(sw.singular_values[_alpha_index(sw, alpha)], sw.edge, margin=SPIKE_MARGIN)
                    for sw in runs[lo])
    ks = list(range(min(ell, separated)))
    if not ks:
        raise ValueError(f"records: no spike is separated from the bulk at n = {lo}, α = {alpha}")
    ratios = [(1 - table[hi][k]) / max(1 - table[lo][k], 1e-300) for k in ks]
    return p.outcome(max(ratios),
                     details={"alpha": alpha, "ell": ell, "k_measured": [k + 1 for k in ks],
                              "k_not_separated_at_smallest_n": list(range(len(ks) + 1, ell + 1)),
                              "misalignment_ratio_by_k": ratios, "alignment_by_n": table})


def _overlap_se(n: int, d: int) -> float:
    """Delta-method bound on the s.e. of cos∠(b, β*) for one run (conservative: no correlations used)."""
    ey2 = gaussian_moment(lambda z: LINK(z) ** 2) + NOISE ** 2
    ey2t2 = gaussian_moment(lambda z: (LINK(z) * z) ** 2) + NOISE ** 2
    ey4 = gaussian_moment(lambda z: LINK(z) ** 4) + 6 * NOISE ** 2 * (ey2 - NOISE ** 2) + 3 * NOISE ** 4
    c1 = hermite_profile(LINK, 1)[1]  # c*₁ = E[z σ*(z)], by quadrature (= 1 for σ* = He₁ + ½He₂)
    R = d / n * ey2
    sd_b1 = math.sqrt((ey2t2 - c1 * c1) / n)
    sd_r = d / n * math.sqrt((ey4 - ey2 ** 2) / n) + R * math.sqrt(2.0 / d)
    norm3 = (c1 * c1 + R) ** 1.5
    return R / norm3 * sd_b1 + c1 / (2 * norm3) * sd_r


def _overlap_se_of_mean(setting: Setting) -> float:
    """The delta-method bound for the mean of cos∠(b, β*) over all runs of the spectral sweep of ``setting``."""
    ses = [_overlap_se(n, int(setting.ratio * n)) for n, reps in zip(setting.spectral_ns, setting.spectral_reps)
           for _ in range(reps)]
    return math.sqrt(sum(s * s for s in ses)) / len(ses)


#: Measured seed sd of the direction-overlap claim value (quick scale, NumPy, seeds 0–11).
OVERLAP_SEED_SD_QUICK = 0.0014


def predict_direction_overlap(setting: Setting) -> Prediction:
    """The limit of cos∠(b, β*) at d/n = ``ratio`` (reconstructed Proposition 3.1), its tolerance scaled from the
    quick seed sd by the delta-method standard error of the sweep's mean (∝ n^{-1/2})."""
    s = _check_setting(setting)
    n0 = min(s.spectral_ns)
    d0 = int(s.ratio * n0)
    pred = direction_overlap_limit(LINK, d=d0, n=n0, noise_std=NOISE)
    se = _overlap_se_of_mean(s)
    tol = 4 * OVERLAP_SEED_SD_QUICK * se / _overlap_se_of_mean(Setting.at("quick"))  # the seed sd is at quick scale
    return Prediction(
        predicted=pred, comparison="abs", tolerance=tol,
        formula="cos∠(b, β*) → c*₁/√(c*₁² + (d/n)·E y²), b = (1/n)Xᵀy, c*₁ = E[z σ*(z)], E y² = E σ*(z)² + σ_ε² "
                "(reconstructed: MLHD23 Proposition 3.1, formula not found; docs/papers/mlhd23.md §4.2 step 2), "
                f"at d/n = int(ratio·n)/n with n = {n0}",
        tolerance_rule="4 × 0.0014 × se(setting)/se(quick): 0.0014 is the measured seed sd of the claim value at "
                       "quick scale (seeds 0–11, benchmarks/results/seed_spread_quick_numpy.md); the delta-method "
                       "standard error of the mean over the sweep's runs (Gaussian moments by quadrature, ∝ n^{-1/2}) "
                       "scales it to other settings",
        details={"standard_error_bound": se, "seed_sd_measured_quick": OVERLAP_SEED_SD_QUICK,
                 "b_norm_predicted": direction_norm_limit(LINK, d=d0, n=n0, noise_std=NOISE)})


@claim(
    id=f"{KEY}.direction-overlap",
    paper=KEY,
    where="Proposition 3.1 (limit of βᵀβ*, formula not found); docs/papers/mlhd23.md §4.2 step 2",
    provenance="reconstructed",
    statement="The spike direction b = (1/n)Xᵀy of the gradient (residual 'y') satisfies cos∠(b, β*) → "
              "c*₁/√(c*₁² + (d/n)E y²) (= 0.9559 for σ* = He₁ + ½He₂, σ_ε = 0.1, d/n = 1/16). Measured: the "
              "mean over all runs of the spectral sweep.",
    tolerance_note="4 × 0.0014 = 0.0056 at quick scale: 0.0014 is the measured seed sd of the claim value over "
                   "seeds 0–11 (range 0.9536–0.9585, mean 0.9564 vs predicted 0.9559; "
                   "benchmarks/results/seed_spread_quick_numpy.md). The delta-method bound (reported as "
                   "standard_error_bound; Gaussian moments by quadrature, correlations ignored) is ≈ 2.4× that "
                   "spread, so it is not used as the level; it is used only to scale the tolerance to "
                   "paper scale (its n-dependence, ∝ n^{-1/2}, is right).",
    experiment="mlhd23-spectral",
    predict=predict_direction_overlap,
    quantity="cos∠(b, β*), mean over all runs of the spectral sweep (a cosine, 0 to 1)",
)
def direction_overlap(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_direction_overlap(ctx.setting)
    runs = _spectral(records)
    vals = [sw.overlap for n in sorted(runs) for sw in runs[n]]
    return p.outcome(_mean(vals), details={"runs": len(vals),
                                           "b_norm_measured_mean": _mean(sw.b_norm for n in runs for sw in runs[n])})


# -- errors --------------------------------------------------------------------------------------------------
def _at_alpha(rep: list[dict], alpha: float) -> dict:
    return min((r for r in rep if r["alpha"] is not None), key=lambda r: abs(r["alpha"] - alpha))


def _no_step(rep: list[dict]) -> dict:
    (r,) = [r for r in rep if r["alpha"] is None]
    return r


def _test_by_alpha(reps: list[list[dict]]) -> dict[str, float]:
    """Replicate-mean test excess risk per α (and for the no-step network)."""
    out = {f"alpha={r['alpha']}": _mean(_at_alpha(rep, r["alpha"])["test_excess"] for rep in reps)
           for r in reps[0] if r["alpha"] is not None}
    out["no_step(eta=0)"] = _mean(_no_step(rep)["test_excess"] for rep in reps)
    return out


#: Measured seed-to-seed spread (quick scale, NumPy, seeds 0–9, one error-sweep replicate each) of
#: the improvement "no-step risk − constant-step risk": 0.119–0.170, mean 0.141, sd 0.018. The
#: improvement BA22 predicts must exceed 3 sd of it, so that a step with no effect fails.
#: (The Monte-Carlo s.e. of each risk, ≈ 0.02 with 8000 test points, matches the seed sd of
#: the risks themselves, 0.019 at α = 0.)
BA22_IMPROVEMENT_MARGIN = 3 * 0.018


def predict_small_step_not_beyond_linear(setting: Setting) -> Prediction:
    """BA22: the constant step's test excess risk lies between the best linear predictor's ‖P_{>1}σ*‖² and the
    no-step (random features) risk; both ends carry a margin, and both margins need the run."""
    s = _check_setting(setting)
    return Prediction(
        predicted=None, comparison="interval", tolerance=0.0,
        formula="‖P_{>1}σ*‖² − 3 se <= R(α = 0) <= R(η = 0) − 0.054 (BA22 abstract, read; docs/papers/mlhd23.md "
                "§7.1): the constant step cannot beat the best linear predictor, but improves on random features",
        tolerance_rule="0: both margins are inside the interval. Lower end: 3 Monte-Carlo standard errors of the "
                       "measured test risk (the bound is asymptotic; finite n only adds risk). Upper end: the "
                       "improvement over the no-step network must exceed 3 × 0.018, three times the measured seed "
                       "sd of the paired improvement (quick, seeds 0–9), so a step with no effect fails",
        needs_run="the interval's ends: the lower end subtracts 3 Monte-Carlo standard errors of the measured test "
                  "risk from ‖P_{>1}σ*‖²; the upper end is the measured no-step (η = 0) test risk minus 0.054",
        details={"alpha": s.alpha_constant, "best_linear_bound": best_linear_excess_risk(LINK),
                 "margin_upper (3 seed sd of the improvement)": BA22_IMPROVEMENT_MARGIN})


@claim(
    id=f"{BA22_KEY}.small-step-not-beyond-linear",
    paper=BA22_KEY,
    where="BA22 abstract (read, docs/papers/mlhd23.md §7.1): with a small (constant, Θ(1)) step the learned kernel improves on "
          "the initial random-features model but cannot defeat the best linear model; MLHD23 §4.1 notes",
    provenance="stated",
    statement="With a constant step (α = 0, η = 1) ridge on the one-step features (i) does not beat the best "
              "linear predictor: test excess risk E(f* − f̂)² >= ‖P_{>1}σ*‖² = 1/2 for σ* = He₁ + ½He₂, and "
              "(ii) improves on the random-features model (no step, η = 0, same data, W₀ and λ grid). "
              "Predicted interval: (bound, no-step risk); measured: replicate-mean test excess risk after the "
              "step (λ chosen on validation data). The α = 0.1 (ℓ = 1, growing step: our extension, not BA22's "
              "statement) and α = 0.2 values are reported in details.",
    tolerance_note="Lower end: 3 Monte-Carlo standard errors of the test-risk estimate (8000 test points at "
                   "quick scale, s.e. ≈ 0.02, equal to the measured seed sd 0.019 of this risk over seeds 0–9); "
                   "the bound is asymptotic and finite n only adds risk. Upper end: the improvement over the "
                   "no-step network must exceed 3 × 0.018 = 0.054, three times the measured seed sd of the paired "
                   "improvement (seeds 0–9: 0.119–0.170), so a step with no effect fails. The interval is "
                   "reported with both margins applied (tolerance 0). Seeds 0–9: risk 0.645–0.699, bound 0.5.",
    experiment="mlhd23-errors",
    predict=predict_small_step_not_beyond_linear,
    quantity="test excess risk E(f* − f̂)² after the constant step (α = 0), replicate mean (mean squared error, "
             "target variance E σ*² = 1.5)",
)
def small_step_not_beyond_linear(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_small_step_not_beyond_linear(ctx.setting)
    reps = _errors(records)
    bound = best_linear_excess_risk(LINK)
    rows = [_at_alpha(rep, ctx.setting.alpha_constant) for rep in reps]
    base = [_no_step(rep) for rep in reps]
    se = math.sqrt(sum(r["test_excess_se"] ** 2 for r in rows)) / len(rows)
    se_rf = math.sqrt(sum(r["test_excess_se"] ** 2 for r in base)) / len(base)
    m = _mean(r["test_excess"] for r in rows)
    rf = _mean(r["test_excess"] for r in base)
    lo, hi = bound - 3 * se, rf - BA22_IMPROVEMENT_MARGIN
    return p.outcome(m, predicted=(lo, hi),
                     details={"eta": rows[0]["eta"], "no_step_risk": rf, "standard_error": se,
                              "standard_error_no_step": se_rf, "margin_lower (3 se)": 3 * se, "improvement": rf - m,
                              "test_excess_by_alpha": _test_by_alpha(reps),
                              "lambda": [r["lambda"] for r in rows], "lambda_no_step": [r["lambda"] for r in base]})


def _best_linear_prediction(formula: str, tolerance_rule: str, **details) -> Prediction:
    """``measured <= ‖P_{>1}σ*‖²`` with no slack: the best linear predictor's excess risk as an upper bound."""
    return Prediction(predicted=best_linear_excess_risk(LINK), comparison="at_most", tolerance=0.0,
                      formula=formula, tolerance_rule=tolerance_rule, details=details)


def predict_l2_beyond_linear(setting: Setting) -> Prediction:
    """MLHD23 Theorem 4.5 (ℓ = 2): test excess risk below the best linear predictor's ‖P_{>1}σ*‖²."""
    s = _check_setting(setting)
    return _best_linear_prediction(
        "R(α) < ‖P_{>1}σ*‖² = Σ_{k>=2} c*_k² k! (= 1/2 for σ* = He₁ + ½He₂) when ℓ(α) >= 2 (MLHD23 Theorem 4.5, "
        "ICLR numbering; docs/papers/mlhd23.md §5.1)",
        "0 (strictly below the bound); the margin in Monte-Carlo standard errors is reported (z_margin). Seeds 0–9 "
        "at quick scale: 0.407–0.445 (sd 0.014), the bound ≥ 4 sd above every seed",
        alpha=s.alpha_quadratic, ell=spikes_predicted(s.alpha_quadratic))


@claim(
    id=f"{KEY}.l2-beyond-linear",
    paper=KEY,
    where="MLHD23 Theorem 4.5 (ℓ = 2, ICLR numbering) and abstract: the quadratic component can be learned "
          "(docs/papers/mlhd23.md §5.1)",
    provenance="stated",
    statement="With ℓ(α) = 2 (α = 0.3, inside (1/4, 1/3)) the one-step network beats the best linear predictor: "
              "test excess risk < ‖P_{>1}σ*‖² = 1/2. Measured: replicate-mean test excess risk (λ chosen on "
              "validation data). Finite-size limit: at quick size (n = 4000) α = 0.2 (ℓ = 1) is below the bound "
              "too (≈ 0.46, details), so at quick scale this checks that the ℓ = 2 step beats the linear "
              "bound, not that ℓ = 1 fails to: the ℓ = 1 / ℓ = 2 separation is not resolved at quick sizes.",
    tolerance_note="No slack (strictly below the bound). The margin in Monte-Carlo standard errors is reported "
                   "(z_margin, s.e. ≈ 0.02 with 8000 test points). Seeds 0–9 at quick scale: 0.407–0.445 (mean "
                   "0.425, sd 0.014, i.e. the bound is ≥ 4 sd above every seed); α = 0.2 (ℓ = 1): 0.442–0.470.",
    experiment="mlhd23-errors",
    predict=predict_l2_beyond_linear,
    quantity="test excess risk E(f* − f̂)² at α = alpha_quadratic (ℓ = 2), replicate mean (mean squared error)",
)
def l2_beyond_linear(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_l2_beyond_linear(ctx.setting)
    reps = _errors(records)
    bound = p.predicted
    rows = [_at_alpha(rep, ctx.setting.alpha_quadratic) for rep in reps]
    se = math.sqrt(sum(r["test_excess_se"] ** 2 for r in rows)) / len(rows)
    m = _mean(r["test_excess"] for r in rows)
    return p.outcome(m,
                     details={"alpha": ctx.setting.alpha_quadratic, "standard_error": se, "z_margin": (bound - m) / se,
                              f"alpha={ctx.setting.alpha_finite_size} (ell=1) test excess (finite-size: below the bound too)":
                                  _mean(_at_alpha(rep, ctx.setting.alpha_finite_size)["test_excess"] for rep in reps),
                              "test_excess_by_alpha": _test_by_alpha(reps), "lambda": [r["lambda"] for r in rows]})


#: The staircase must drop overall by at least a tenth of the non-linear energy ‖P_{>1}σ*‖²
#: that the ℓ = 2 steps can learn (see the tolerance note of mlhd23.staircase).
STAIRCASE_DROP_FRACTION = 0.1


def predict_staircase(setting: Setting) -> Prediction:
    """MLHD23 Figure 3 (right): the training error never rises in α and drops by a tenth of ‖P_{>1}σ*‖²."""
    s = _check_setting(setting)
    return Prediction(
        predicted=0.0, comparison="at_most", tolerance=None,
        formula="max(max_i [E_train(α_{i+1}) − E_train(α_i)], 0.1·‖P_{>1}σ*‖² − [E_train(α_0) − E_train(α_last)]) "
                "<= 0 at fixed λ (MLHD23 Figure 3 right as the reviews describe it: a staircase in α; "
                "docs/papers/mlhd23.md §5.1, §6.1)",
        tolerance_rule="1 % of the measured training error at the smallest α: the theory's stairs are flat inside an "
                       "ℓ-interval, so at finite n the error may drift either way there; all α share data and W₀ "
                       "(a paired comparison), so sampling noise does not enter the differences",
        needs_run="the tolerance: 1 % of the training error the run measures at the smallest α of the grid",
        details={"alphas": list(s.errors_alphas), "lambda": STAIRCASE_LAMBDA,
                 "required_drop": STAIRCASE_DROP_FRACTION * best_linear_excess_risk(LINK),
                 "predicted_spike_count_by_alpha": {f"alpha={a}": spikes_predicted(a, boundary="lower")
                                                    for a in s.errors_alphas}})


@claim(
    id=f"{KEY}.staircase",
    paper=KEY,
    where="Figure 3 (right) as described by the ICLR 2024 reviews: the training loss decreases in α as a "
          "staircase (docs/papers/mlhd23.md §5.1, §6.1)",
    provenance="stated",
    statement="The training error of the one-step network (fixed λ = 1e-3) decreases in α as a staircase: it "
              "never increases between consecutive α of the grid (quick: 0, 0.1, 0.2, 0.3, 0.4; all α share data "
              "and W₀), and over the grid it drops by at least a tenth of ‖P_{>1}σ*‖² (= 0.05), the non-linear "
              "energy that crossing α = 1/4 makes learnable. Measured: the worse of the two violations, "
              "max(largest increment, 0.05 − (error at α = 0 − error at the largest α)); predicted 0 (both "
              "conditions hold with no slack).",
    tolerance_note="1 % of the α = 0 training error: the theory's stairs are flat inside an interval, so at finite "
                   "n the error may drift either way there; all α use the same data (a paired comparison), so "
                   "sampling noise does not enter the differences. The required drop (0.05) is a tenth of the "
                   "learnable energy; a flat curve fails it. Seeds 0–9 at quick scale: total drop 0.188–0.285 "
                   "(sd 0.029), every increment negative (the smallest step, α = 0.2 → 0.3, is −0.010 or lower).",
    experiment="mlhd23-errors",
    predict=predict_staircase,
    quantity="the worse staircase violation: max(largest increment of the training error between consecutive α, "
             "required drop − total drop), training mean squared error at λ = 1e-3",
)
def staircase(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_staircase(ctx.setting)
    reps = _errors(records)
    alphas = [r["alpha"] for r in reps[0] if r["alpha"] is not None]
    lam = reps[0][0]["lambdas"]
    j = min(range(len(lam)), key=lambda i: abs(math.log(lam[i] / STAIRCASE_LAMBDA)))
    curve = [_mean(_at_alpha(rep, a)["train_errors"][j] for rep in reps) for a in alphas]
    steps = [b - a for a, b in zip(curve, curve[1:])]
    required = STAIRCASE_DROP_FRACTION * best_linear_excess_risk(LINK)
    drop = curve[0] - curve[-1]
    return p.outcome(max(max(steps), required - drop), tolerance=0.01 * curve[0],
                     details={"alphas": alphas, "lambda": lam[j], "train_error": curve, "increments": steps,
                              "largest_increment": max(steps), "total_drop": drop, "required_drop": required,
                              "no_step_train_error": _mean(_no_step(rep)["train_errors"][j] for rep in reps)})


def predict_one_step_sweep_beyond_linear(setting: Setting) -> Prediction:
    """The median test excess risk at the largest α < 1/3 of the one-step sweep is below ‖P_{>1}σ*‖²."""
    s = _check_setting(setting)
    below = [a for a in s.one_step_alphas if a < 1 / 3]
    return _best_linear_prediction(
        "median over seeds of R(α*) < ‖P_{>1}σ*‖² (= 1/2), α* the largest α of the grid with ℓ(α) <= 2 "
        "(MLHD23 abstract and §4: ℓ = 2 learns the quadratic component; docs/papers/mlhd23.md §4.1, §5.1)",
        "0 (a strict bound): the median over seeds must lie below the theory value; the test set (2n samples) "
        "gives a standard error of ~0.01 on each seed's excess risk",
        alpha=max(below) if below else None, residual="y")


@claim(
    id=f"{KEY}.one-step-sweep-beyond-linear",
    paper=KEY,
    where="abstract and §4 (ℓ = 2 learns the quadratic component); docs/papers/mlhd23.md §4.1, §5.1",
    provenance="stated",
    statement="In the mlhd23-one-step sweep (residual y), at the largest α of the grid with ℓ(α) <= 2 the median "
              "test excess risk over seeds falls below the best linear predictor's ‖P_{>1}σ*‖².",
    tolerance_note="0 (a strict bound): the median over seeds must lie below the theory value; the test set (2n "
                   "samples) gives a standard error of ~0.01 on each seed's excess risk",
    experiment="mlhd23-one-step",
    predict=predict_one_step_sweep_beyond_linear,
    quantity="median over seeds of the test excess risk E(f* − f̂)² at the largest α < 1/3, residual y (mean "
             "squared error)",
)
def one_step_sweep_beyond_linear(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_one_step_sweep_beyond_linear(ctx.setting)
    excess = group_by(select_records(records, residual="y"), x="alpha", y="test_excess")[None]
    alpha = max(a for a in excess if a < 1 / 3)  # the largest α of the grid with ℓ(α) <= 2
    measured = median(excess[alpha])
    return p.outcome(measured, details={"alpha": alpha, "per_seed": excess[alpha]})
