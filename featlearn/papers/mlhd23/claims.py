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
stays inside the bulk there (docs/papers/mlhd23.md §4.3), so α > 1/3 is used at paper scale only. At these
sizes the per-neuron step ε = η|μ₁|‖b‖/√N is ≈ 0.7–1.5, not small: the spike claims compare with the
finite-ε spike model of :mod:`._finite_step` (reconstructed, docs/papers/mlhd23.md §4.5) and report the
asymptotic laws beside it. Each claim's kind and null: docs/papers/mlhd23.md §4.6.

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

from . import _finite_step as finite_step
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


def _alpha_index(sweep, alpha: float, scale: float = 1.0) -> int:
    """Index of the sweep entry nearest ``alpha`` among those with η's prefactor ``scale`` (η = scale·n^α)."""
    scales = sweep.eta_scales or [1.0] * len(sweep.alphas)
    idx = [i for i in range(len(sweep.alphas)) if scales[i] == scale]
    if not idx:
        raise ValueError(f"records: no spectral entry with η prefactor {scale} (prefactors: {sorted(set(scales))})")
    return min(idx, key=lambda i: abs(sweep.alphas[i] - alpha))


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


def _mu1() -> float:
    return hermite_profile(ACTIVATION, 1)[1]


def _b_norm_limit(n: int, d: int) -> float:
    return direction_norm_limit(LINK, d=d, n=n, noise_std=NOISE)


def _run_eps(sw: SpikeSweep, i: int) -> float:
    """ε = η|μ₁|‖b‖/√N of entry ``i`` of one spectral run (its own η and ‖b‖)."""
    return finite_step.expansion_parameter(sw.etas[i], _mu1(), sw.b_norm, sw.width)


def _visible_count(sw: SpikeSweep, i: int) -> int:
    """The finite-ε model's count of outliers above (1 + margin) × the run's measured bulk edge (§4.5)."""
    return finite_step.visible_spike_count(ACTIVATION, _run_eps(sw, i), n_features=sw.n_features, width=sw.width,
                                           edge=sw.edge, margin=SPIKE_MARGIN)


# -- spikes ---------------------------------------------------------------------------------------------------
def predict_spike_count(setting: Setting) -> Prediction:
    """MLHD23 Theorem 3.3 at finite n: the number of spikes visible at the run's n, as the finite-ε model places them.

    The claim value is the number of (α, replicate) cases at the sweep's largest n whose measured count equals
    the count the finite-ε model (docs/papers/mlhd23.md §4.5; reconstructed) predicts above (1 + margin)·edge
    for that run; predicted: all of them. The model's count needs each run's ‖b‖ and measured bulk edge
    (``needs_run``); the asymptotic ℓ(α) is reported beside it.
    """
    s = _check_setting(setting)
    reps = _spectral_replicates(s)
    n_max = max(reps)
    ells = {f"alpha={a}": spikes_predicted(a) for a in s.count_alphas}
    cases = len(s.count_alphas) * reps[n_max]
    return Prediction(
        predicted=float(cases), comparison="equal", tolerance=0.0,
        formula="finite-n count: #{k : s_k > (1 + margin)·edge}, s_k the BBP outlier of the finite-ε spike strength "
                "θ_k (reconstructed, our derivation: docs/papers/mlhd23.md §4.5) at the run's ε = η|μ₁|‖b‖/√N; it "
                "tends to ℓ(α) = #{k >= 1 : α > (k−1)/(2k)} (MLHD23 Theorem 3.3, ICLR numbering; §4.1) as n → ∞. "
                "Predicted claim value: every (α, replicate) case at the largest n matches",
        tolerance_rule="0 (comparison 'equal'): every case must match. " + _SPIKE_COUNT_TOLERANCE,
        needs_run="the model's count per case: it reads each run's ‖b‖ (through ε) and its measured bulk edge of "
                  "F₀; and the null (the claim value if every count were BA22's single spike)",
        null_theory="BA22's rank-one picture: one spike at every α (the gradient is rank one, so one direction "
                    "is learned); the null is the claim value if every measured count were 1",
        details={"n": n_max, "d=N": int(s.ratio * n_max), "replicates_at_n_max": reps[n_max],
                 "margin": SPIKE_MARGIN, "asymptotic_count_by_alpha (MLHD23 Thm 3.3)": ells})


_SPIKE_COUNT_TOLERANCE = (
    "Margin 10 % over the bulk edge: ≫ the O(ñ^{-2/3}) ≈ 1 % Tracy–Widom fluctuation of the edge and the "
    "few-per-cent deformation of the bulk by the step (non-spike values of F stay within 0.95–1.02 × edge for "
    "α <= 0.4 in our runs). The model's outliers sit far from the margin in every case at both scales (quick: "
    "k = 2 at α = 0.1 ≈ 0.1× the edge, k = 3 at α = 0.3 inside the bulk; paper: the degree-3 outlier at "
    "α = 0.36 is 0.93× the edge at n = 65536, measured 0.99 = the bulk), so the count is not decided by the "
    "margin's exact value.")


@claim(
    id=f"{KEY}.spike-count",
    paper=KEY,
    where="Theorem 3.3 (ICLR 2024 numbering, as quoted by review #1; docs/papers/mlhd23.md §4.1); the finite-n "
          "count is our derivation (docs/papers/mlhd23.md §4.5)",
    provenance="reconstructed",
    kind="prediction",
    statement="For (ℓ−1)/(2ℓ) < α < ℓ/(2ℓ+2) the one-step feature matrix F = σ(X̃W) has ℓ singular values "
              "separated from the bulk as n → ∞; at a finite n, the k-th spike is visible when its outlier "
              "(finite-ε model, reconstructed) exceeds the bulk edge. Measured: for each α (quick: 0.1, 0.3; paper "
              "adds 0.36) and each replicate at the largest n, the number of singular values of F above 1.1 × "
              "the largest singular value of F₀ = σ(X̃W₀) on the same data. Claim value: the number of cases whose "
              "count equals the finite-ε model's visible count for that run; predicted: all of them. The "
              "asymptotic ℓ(α) (1, 2, 3) is reported beside it: at quick scale the two agree; at paper scale "
              "α = 0.36 has 2 visible (the degree-3 outlier is 0.93× the edge at n = 65536, growing like n^0.08).",
    tolerance_note="Exact (every case must match; comparison 'equal'). Margin 10 % over the bulk edge: ≫ the "
                   "O(ñ^{-2/3}) ≈ 1 % Tracy–Widom fluctuation of the edge and the few-per-cent deformation of the "
                   "bulk by the step. The model's outliers are far from the 1.1 line in every case (quick: k = 1, 2 "
                   "at α = 0.3 are ≈ 21× and 6.7× the edge at n = 16384, k = 2 at α = 0.1 ≈ 0.1×; paper: k = 3 at "
                   "α = 0.36 0.93×). Seeds 0–11 at quick scale: 24/24 cases match. Null: BA22's one spike at every "
                   "α matches only the α = 0.1 cases and fails.",
    experiment="mlhd23-spectral",
    predict=predict_spike_count,
    quantity="number of (α, replicate) cases at the largest n whose count of singular values of F above 1.1 × the "
             "bulk edge of F₀ equals the finite-ε model's visible count (a count)",
)
def spike_count(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_spike_count(ctx.setting)
    runs = _spectral(records)
    n_max = max(runs)
    cases = matches = matches_asymptotic = matches_null = 0
    per_alpha = {}
    for alpha in ctx.setting.count_alphas:
        ell = spikes_predicted(alpha)
        counts, visible, ratios, model = [], [], [], []
        for sw in runs[n_max]:
            i = _alpha_index(sw, alpha)
            counts.append(count_spikes(sw.singular_values[i], sw.edge, margin=SPIKE_MARGIN))
            visible.append(_visible_count(sw, i))
            ratios.append([v / sw.edge for v in sw.singular_values[i]])
            model.append([None if v is None else v / sw.edge for v in finite_step.predicted_singular_values(
                ACTIVATION, _run_eps(sw, i), n_features=sw.n_features, width=sw.width, top=3)])
        cases += len(counts)
        matches += sum(c == v for c, v in zip(counts, visible))
        matches_asymptotic += sum(c == ell for c in counts)
        matches_null += sum(v == 1 for v in visible)
        per_alpha[f"alpha={alpha}"] = {"asymptotic_count (MLHD23 Thm 3.3)": ell, "finite_n_visible_count": visible,
                                       "measured_counts": counts, "singular_values_over_edge": ratios,
                                       "finite_eps_model_outliers_over_edge_k123 (reconstructed, §4.5)": model,
                                       "eps": [_run_eps(sw, _alpha_index(sw, alpha)) for sw in runs[n_max]]}
    return p.outcome(float(matches), null=float(matches_null),
                     details={"n": n_max, "d=N": int(ctx.setting.ratio * n_max), "margin": SPIKE_MARGIN,
                              "cases (alpha x replicate)": cases,
                              "cases matching the asymptotic count ℓ(α)": matches_asymptotic, **per_alpha})


def _fit_growth(runs: dict, alpha: float, k: int, scale: float = 1.0) -> dict:
    """Growth exponent of s_k/edge in n, adjusted for each run's ‖b‖ with the theory's exponent k.

    s_k ∝ (η‖b‖)^k to leading order (docs/papers/mlhd23.md §4.2), so ``log(s_k/edge) − k log ‖b‖`` is regressed
    on log n; the coefficient is fixed, not fitted (see ``fit_growth_exponent``). The fitted-coefficient and
    unadjusted slopes are returned as diagnostics. ``scale``: η's prefactor of the entries read.
    """
    samples = []
    for n in sorted(runs):
        for sw in runs[n]:
            i = _alpha_index(sw, alpha, scale)
            samples.append((n, sw.singular_values[i][k - 1] / sw.edge, sw.b_norm))
    fit = fit_growth_exponent(samples, k=k)
    free = fit_growth_exponent(samples, b_exponent=None)
    fit["diagnostic_fitted_b_coefficient"] = free["b_norm_coefficient"]
    fit["diagnostic_slope_with_fitted_b_coefficient"] = free["slope"]
    return fit


def _expansion_parameter(runs: dict, alpha: float, scale: float = 1.0) -> dict:
    """ε = η μ₁ ‖b‖ /√N per n (replicate mean of ‖b‖): the per-neuron step (docs/papers/mlhd23.md §4.5)."""
    out = {}
    for n in sorted(runs):
        sw = runs[n][0]
        out[n] = finite_step.expansion_parameter(sw.etas[_alpha_index(sw, alpha, scale)], _mu1(),
                                                 _mean(s.b_norm for s in runs[n]), sw.width)
    return out


def model_growth_exponent(setting: Setting, alpha: float, k: int, *, eta_scale: float = 1.0,
                          a_law: str = "gaussian") -> float:
    """The finite-ε model's local exponent of s_k/edge over the spectral sweep's n range (docs/papers/mlhd23.md
    §4.5; reconstructed): the sweep's n and replicates, d = N = ratio·n, η = eta_scale·n^α, ‖b‖ at its limit."""
    s = _check_setting(setting)
    runs = finite_step.sweep_runs(s.spectral_ns, s.spectral_reps, ratio=s.ratio, alpha=alpha, b_norm=_b_norm_limit,
                                  eta_scale=eta_scale)
    return finite_step.local_growth_exponent(ACTIVATION, k, runs=runs, mu1=_mu1(), a_law=a_law)


def _model_growth_from_runs(runs: dict, alpha: float, k: int, scale: float = 1.0) -> float:
    """The model's exponent evaluated at the runs' own η and ‖b‖ (a diagnostic beside the Setting's prediction)."""
    rows = []
    for n in sorted(runs):
        for sw in runs[n]:
            i = _alpha_index(sw, alpha, scale)
            rows.append((n, sw.n_features, sw.width, sw.etas[i] * sw.b_norm))
    return finite_step.local_growth_exponent(ACTIVATION, k, runs=rows, mu1=_mu1())


def _growth_prediction(setting: Setting, ks: tuple[int, ...], tolerance: float, tolerance_rule: str, *,
                       null: float | None, null_theory: str) -> Prediction:
    """The finite-ε model's local growth exponents of the spikes ``ks`` (α_k = ``growth_alphas[k − 1]``).

    The claim reports the k whose measured slope deviates most; when the ks predict different exponents,
    which one is reported is known only after the run (``predicted`` None, ``needs_run``).
    """
    s = _check_setting(setting)
    preds = {k: model_growth_exponent(s, s.growth_alphas[k - 1], k) for k in ks}
    asym = {k: spike_growth_exponent(s.growth_alphas[k - 1], k) for k in ks}
    single = len(ks) == 1
    return Prediction(
        predicted=preds[ks[0]] if single else None, comparison="abs", tolerance=float(tolerance),
        formula="local exponent of s_k/edge over the sweep's n range in the finite-ε model (reconstructed, our "
                "derivation: docs/papers/mlhd23.md §4.5): θ_k² = eig G, G_kl = ñN√(k!l!) E_g[v_k v_l], "
                "v_k = (εg/s)^k μ_k(s)/k!, s = √(1 + ε²g²), ε = η|μ₁|‖b‖/√N, g ~ N(0, 1), BBP outlier; fitted as the "
                "data are. Asymptotically (ε → 0) it tends to 1/2 − k(1/2 − α) (§4.2 step 4); "
                + ", ".join(f"k = {k} at α = {s.growth_alphas[k - 1]}: model {preds[k]:.4g}, asymptotic {asym[k]:.4g}"
                            for k in ks),
        tolerance_rule=tolerance_rule,
        needs_run="" if single else ("which k is reported: the k whose fitted slope deviates most from its model "
                                     "exponent (the ks predict different exponents)"),
        null=null if single else None, null_theory=null_theory,
        details={"model_exponent_by_k": {f"k={k}": v for k, v in preds.items()},
                 "asymptotic_exponent_by_k (1/2 - k(1/2 - alpha))": {f"k={k}": v for k, v in asym.items()},
                 "alpha_by_k": {f"k={k}": s.growth_alphas[k - 1] for k in ks}})


def _growth_outcome(ctx: RunContext, records: list[dict], ks: tuple[int, ...], p: Prediction,
                    null_by_k: dict[int, float]) -> Outcome:
    s = _check_setting(ctx.setting)
    runs = _spectral(records)
    fits, worst, worst_k = {}, -1.0, None
    for k in ks:
        alpha = s.growth_alphas[k - 1]
        fit = _fit_growth(runs, alpha, k)
        pred = model_growth_exponent(s, alpha, k)
        dev = abs(fit["slope"] - pred)
        fits[f"k={k}"] = {"alpha": alpha, "predicted (finite-eps model)": pred,
                          "asymptotic 1/2 - k(1/2 - alpha)": spike_growth_exponent(alpha, k), **fit,
                          "model at the runs' own eta and |b| (diagnostic)": _model_growth_from_runs(runs, alpha, k),
                          "expansion_parameter_eps_by_n": _expansion_parameter(runs, alpha)}
        if dev > worst:
            worst, worst_k = dev, k
    f = fits[f"k={worst_k}"]
    return p.outcome(f["slope"], predicted=None if p.predicted is not None else f["predicted (finite-eps model)"],
                     null=None if p.null is not None else null_by_k[worst_k],
                     details={"reported_k": worst_k, "ns": sorted(runs),
                              "replicates": [len(runs[n]) for n in sorted(runs)],
                              "ratio d/n = N/n": s.ratio, **fits})


_GROWTH_K1_TOLERANCE = (
    "0.05 in the exponent at both scales: 3.3 seed sd of the k = 1 slope (0.015 at quick scale over seeds 0–11, "
    "0.013 at paper scale over seeds 0–2; benchmarks/results/seed_spread_*_numpy.md). At k = 1 the finite-ε model "
    "(0.328 quick, 0.326 paper) and the asymptotic exponent α = 0.3 differ by 0.028 ≈ 2 seed sd: the runs cannot "
    "separate them, nor a ×2 error in η's prefactor (0.329) or the un-averaged a_j (0.326), so none of these is "
    "the null. The null is no growth (0), which the tolerance rejects.")

_GROWTH_K2PLUS_TOLERANCE = (
    "Quick 0.07 (2.3 seed sd: the k = 2 slope's seed sd is 0.030 over seeds 0–11, range 0.130–0.220 against the "
    "model's 0.185, benchmarks/results/seed_spread_quick_numpy.md); paper 0.05 (seed sd 0.019 over seeds 0–2, range "
    "0.162–0.196 against 0.169). Both are below the distance to the asymptotic null 0.1 (0.085 quick, 0.069 "
    "paper), so the null fails at both scales.")


def predict_spike_growth_k1(setting: Setting) -> Prediction:
    """The k = 1 spike's local growth exponent in the finite-ε model (α = ``growth_alphas[0]``); null: no growth."""
    s = _check_setting(setting)
    return _growth_prediction(s, (1,), s.growth_tol_k1, "growth_tol_k1 of the setting. " + _GROWTH_K1_TOLERANCE,
                              null=0.0, null_theory="no growth: the spike a fixed multiple of the bulk edge (a step "
                                                    "whose per-neuron size ε does not change with n, e.g. BA22's "
                                                    "η ≍ √N)")


def predict_spike_growth_k2plus(setting: Setting) -> Prediction:
    """The k-th spike's (k in ``growth_ks``) local growth exponent in the finite-ε model; null: the asymptotic one."""
    s = _check_setting(setting)
    ks = tuple(s.growth_ks)
    return _growth_prediction(s, ks, s.growth_tol_k2plus,
                              "growth_tol_k2plus of the setting. " + _GROWTH_K2PLUS_TOLERANCE,
                              null=spike_growth_exponent(s.growth_alphas[ks[0] - 1], ks[0]),
                              null_theory="the asymptotic exponent 1/2 − k(1/2 − α) (ε → 0; = 0.1 for k = 2 at "
                                          "α = 0.3), which ignores the finite per-neuron step")


@claim(
    id=f"{KEY}.spike-growth-k1",
    paper=KEY,
    where="docs/papers/mlhd23.md §4.2 step 4 and §4.5 (our derivation from Theorem 3.3's setting; not the paper's text)",
    provenance="reconstructed",
    kind="prediction",
    statement="The largest singular value of F grows over the bulk edge of F₀ with the local exponent of the finite-ε "
              "spike model (reconstructed, docs/papers/mlhd23.md §4.5) over the measured n range: 0.328 at quick "
              "scale, 0.326 at paper scale, at α = 0.3 and fixed ratios d = N = n/16, ñ = n (asymptotically α = 0.3, "
              "reported beside it; the two are within 2 seed sd of each other at these sizes). Measured: weighted "
              "least-squares slope of log(s₁/edge) − log ‖b‖ vs log n (quick: n = 2048…16384, 4/2/1/1 replicates; "
              "paper: n = 8192…65536), the ‖b‖ exponent fixed at k = 1, not fitted.",
    tolerance_note="0.05 in the exponent at both scales: 3.3 seed sd of the k = 1 slope (0.015 at quick scale over "
                   "seeds 0–11, range 0.293–0.337; 0.013 at paper scale over seeds 0–2, range 0.317–0.340). The "
                   "model (0.328) and the asymptotic α (0.3) are not separable at these sizes (0.028 apart), nor is "
                   "a ×2 error in η's prefactor (0.329); the null is no growth (slope 0), which fails.",
    experiment="mlhd23-spectral",
    predict=predict_spike_growth_k1,
    quantity="log-log slope of s₁/edge (÷ ‖b‖) vs n, weighted least squares (dimensionless exponent)",
)
def spike_growth_k1(ctx: RunContext, records: list[dict]) -> Outcome:
    return _growth_outcome(ctx, records, (1,), predict_spike_growth_k1(ctx.setting), {1: 0.0})


@claim(
    id=f"{KEY}.spike-growth-k2plus",
    paper=KEY,
    where="docs/papers/mlhd23.md §4.2 step 4 and §4.5 (our derivation from Theorem 3.3's setting; not the paper's text)",
    provenance="reconstructed",
    kind="prediction",
    statement="The k-th singular value of F (k = 2 at α = 0.3) grows over the bulk edge of F₀ with the local exponent "
              "of the finite-ε spike model (reconstructed, docs/papers/mlhd23.md §4.5) over the measured n range: "
              "0.185 at quick scale (n = 2048…16384), 0.169 at paper scale (n = 8192…65536), d = N = n/16, ñ = n; "
              "the asymptotic exponent 1/2 − k(1/2 − α) = 0.1 is reported beside it and is the null. Measured: "
              "weighted least-squares slope of log(s_k/edge) − k log ‖b‖ vs log n. The degree-3 spike is not "
              "measured (inside the bulk at every quick n, and at paper scale at α = 0.39 out of it only from "
              "n = 32768: a slope over n where it is in the bulk half the time measures the bulk).",
    tolerance_note="Quick 0.07 (2.3 seed sd of the k = 2 slope: sd 0.030 over seeds 0–11, range 0.130–0.220 against "
                   "the model's 0.185); paper 0.05 (sd 0.019 over seeds 0–2, range 0.162–0.196 against 0.169). Both "
                   "are below the distance to the asymptotic null 0.1 (0.085 quick, 0.069 paper).",
    experiment="mlhd23-spectral",
    predict=predict_spike_growth_k2plus,
    quantity="log-log slope of s_k/edge (÷ ‖b‖^k) vs n for the k >= 2 with the largest deviation, weighted least "
             "squares (dimensionless exponent)",
)
def spike_growth_k2plus(ctx: RunContext, records: list[dict]) -> Outcome:
    ks = tuple(ctx.setting.growth_ks)
    return _growth_outcome(ctx, records, ks, predict_spike_growth_k2plus(ctx.setting),
                           {k: spike_growth_exponent(ctx.setting.growth_alphas[k - 1], k) for k in ks})


def predict_eta_prefactor_shift(setting: Setting) -> Prediction:
    """The finite-ε model's shift of the k-th growth exponent when η's prefactor goes from c₁ to c₂ (same draws)."""
    s = _check_setting(setting)
    c1, c2 = float(s.eta_prefactors[0]), float(s.eta_prefactors[-1])
    k, a = int(s.prefactor_k), float(s.prefactor_alpha)
    g1 = model_growth_exponent(s, a, k, eta_scale=c1)
    g2 = model_growth_exponent(s, a, k, eta_scale=c2)
    return Prediction(
        predicted=g2 - g1, comparison="abs", tolerance=float(s.prefactor_tol),
        formula=f"γ_k(c₂) − γ_k(c₁), γ_k the finite-ε model's local exponent of s_k/edge over the sweep's n range "
                f"(reconstructed, our derivation: docs/papers/mlhd23.md §4.5), ε ∝ c: k = {k}, α = {a}, "
                f"c = {c1:g} → {c2:g}: {g1:.4g} → {g2:.4g}",
        tolerance_rule="prefactor_tol of the setting. " + _PREFACTOR_TOLERANCE,
        null=0.0, null_theory="the asymptotic law 1/2 − k(1/2 − α): an exponent cannot depend on η's prefactor",
        details={"k": k, "alpha": a, "prefactors": [c1, c2], "model_exponents": [g1, g2],
                 "asymptotic_exponent": spike_growth_exponent(a, k)})


_PREFACTOR_TOLERANCE = (
    "0.02 in the exponent shift, 3 seed sd: the shift is paired (same data, W₀ and gradient at both prefactors), "
    "and its seed sd at quick scale is 0.0067 over seeds 0–11 (range 0.031–0.054, mean 0.0455 against the model's "
    "0.045). It is less than half the model's shift (≈ 0.045 at both scales), so the null (no shift) fails; at "
    "paper scale (more samples per run) the sd is expected smaller.")


@claim(
    id=f"{KEY}.spike-growth-eta-prefactor",
    paper=KEY,
    where="docs/papers/mlhd23.md §4.5 (our derivation: the finite-ε spike model; not the paper's text)",
    provenance="reconstructed",
    kind="prediction",
    statement="Doubling η's prefactor (η = c·n^α, c = 1 → 2, same data, W₀ and gradient) raises the k = 2 growth "
              "exponent of s₂/edge at α = 0.3 over the measured n range by the shift the finite-ε model predicts "
              "(≈ 0.045 at quick and paper scale), whereas the asymptotic exponent 1/2 − k(1/2 − α) does not depend "
              "on the prefactor (the null: no shift). Measured: the difference of the two weighted least-squares "
              "slopes of log(s₂/edge) − 2 log ‖b‖ vs log n (as mlhd23.spike-growth-k2plus), d = N = n/16.",
    tolerance_note="0.02 in the shift: 3 seed sd of the paired difference at quick scale (sd 0.0067 over seeds "
                   "0–11, range 0.031–0.054, mean 0.0455 against the model's 0.045); less than half the model's "
                   "shift, so no shift (the asymptotic law) fails.",
    experiment="mlhd23-spectral",
    predict=predict_eta_prefactor_shift,
    quantity="difference of the k = 2 growth exponents (log-log slopes of s₂/edge ÷ ‖b‖² vs n) at η's prefactors "
             "2 and 1 (dimensionless)",
)
def spike_growth_eta_prefactor(ctx: RunContext, records: list[dict]) -> Outcome:
    s = _check_setting(ctx.setting)
    p = predict_eta_prefactor_shift(s)
    runs = _spectral(records)
    c1, c2 = float(s.eta_prefactors[0]), float(s.eta_prefactors[-1])
    k, a = int(s.prefactor_k), float(s.prefactor_alpha)
    f1, f2 = _fit_growth(runs, a, k, c1), _fit_growth(runs, a, k, c2)
    n_max = max(runs)
    spike_ratio = _mean(sw.singular_values[_alpha_index(sw, a, c2)][k - 1]
                        / sw.singular_values[_alpha_index(sw, a, c1)][k - 1] for sw in runs[n_max])

    def model_sk(sw, c):
        i = _alpha_index(sw, a, c)
        return finite_step.predicted_singular_values(ACTIVATION, _run_eps(sw, i), n_features=sw.n_features,
                                                     width=sw.width, top=k)[k - 1] or math.nan

    model_ratio = _mean(model_sk(sw, c2) / model_sk(sw, c1) for sw in runs[n_max])
    return p.outcome(f2["slope"] - f1["slope"],
                     details={"slopes": [f1["slope"], f2["slope"]], "se": [f1["se"], f2["se"]],
                              "eps_by_n": {str(c): _expansion_parameter(runs, a, c) for c in (c1, c2)},
                              f"s_{k}(c2)/s_{k}(c1) at n_max (asymptotic (c2/c1)^k = {(c2 / c1) ** k:g})": spike_ratio,
                              f"s_{k}(c2)/s_{k}(c1) at n_max, finite-eps model": model_ratio})


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
#: Tolerance of mlhd23.alignment-growth on the mean log ratio of measured to model misalignment (see its note).
ALIGNMENT_MODEL_TOLERANCE = 0.4
_ALIGNMENT_GROWTH_TOLERANCE = (
    "0.4 on the mean log ratio (the model within a factor e^0.4 ≈ 1.5 on the geometric mean over n), fixed from "
    "quick seeds 0–5 before the other seeds were evaluated: claim values 0.156–0.300, mean 0.219, sd 0.058, "
    "mean + 3 sd = 0.39, rounded up; then checked on quick seeds 6–11 and paper seeds 0–2 "
    "(benchmarks/results/seed_spread_*_numpy.md). At quick scale the value is k = 1's and positive on every "
    "seed: at n = 2048 (N = 128) the measured misalignment exceeds the model's by an extra term that falls "
    "faster than the model's (the non-rank-one part of the gradient, which the model drops, is one "
    "candidate; docs/papers/mlhd23.md §4.5). Null: the BBP part alone (no degree mixing) gives ≈ 1.1–1.3 at "
    "quick scale and 2.7–3.0 at paper scale, far outside 0.4.")


def _random_alignment(n_features: int) -> float:
    """E|⟨U, q⟩| for a unit q independent of U in ℝ^ñ: √(2/(πñ)) (the null of mlhd23.alignment)."""
    return math.sqrt(2.0 / (math.pi * n_features))


def predict_alignment(setting: Setting) -> Prediction:
    """Theorem 3.4 of MLHD23: |⟨U_k, GS_k⟩| → 1 for the k <= ℓ(α) visible at the largest n; >= 1 − 0.1."""
    s = _check_setting(setting)
    return Prediction(
        predicted=1.0, comparison="at_least", tolerance=ALIGNMENT_TOLERANCE,
        null=_random_alignment(max(s.spectral_ns)),
        null_theory="no alignment: U_k independent of the polynomial feature, E|⟨U_k, GS_k⟩| = √(2/(πñ)) at the "
                    "largest ñ",
        formula="|⟨U_k, GS_k((X̃β)^{∘1..k})⟩| → 1 for every k <= ℓ(α) (MLHD23 Theorem 3.4, ICLR numbering; "
                "reconstructed operationalisation with β ∝ b, docs/papers/mlhd23.md §4.1, §4.2 step 4)",
        tolerance_rule="0.1 below the limit 1: at finite n the misalignment is of order (bulk/spike)², the k = 2 "
                       "spike ≈ 4× the bulk edge at n = 16384; seeds 0–11 at quick scale gave 0.984–0.986 (sd "
                       "0.0005), so a random direction (≈ 0) fails",
        details={"alpha": s.alignment_alpha, "ell": spikes_predicted(s.alignment_alpha),
                 "k_measured": "k <= the finite-ε model's visible count at the largest n (docs/papers/mlhd23.md §4.5)"})


def predict_alignment_growth(setting: Setting) -> Prediction:
    """MLHD23 Theorem 3.4 at finite n: the misalignment 1 − |⟨U_k, GS_k⟩| along the sweep's n, as the finite-ε
    model predicts it (degree mixing × BBP vector overlap; docs/papers/mlhd23.md §4.5, reconstructed).

    The claim value is, for the k whose mean log ratio (measured / model misalignment, replicate means per n,
    averaged over n) is farthest from 0, that mean log ratio; predicted 0. The model needs each run's η and
    ‖b‖ (through ε), so its values and the null are run-time (``needs_run``).
    """
    s = _check_setting(setting)
    ell = spikes_predicted(s.alignment_alpha)
    return Prediction(
        predicted=0.0, comparison="abs", tolerance=ALIGNMENT_MODEL_TOLERANCE,
        formula="mean over n of log(m̄_k(n) / m_k^model(n)) = 0 for each k, m = 1 − |⟨U_k, GS_k⟩|. The model "
                "(reconstructed, our derivation: docs/papers/mlhd23.md §4.5): the k-th spike's left direction is "
                "the k-th eigenvector of the finite-ε Gram G (a mixture of Hermite degrees of one parity), its "
                "cosine with GS_k times the rectangular BBP overlap √(1 − c(1 + τ²)/(τ²(τ² + c))), τ = θ_k/√(vN), "
                "c = ñ/N, at each run's ε = η|μ₁|‖b‖/√N. As ε → 0 and τ → ∞ the alignment → 1 (MLHD23 Theorem "
                "3.4, ICLR numbering)",
        tolerance_rule=_ALIGNMENT_GROWTH_TOLERANCE,
        needs_run="the model's misalignment per run (each run's η and ‖b‖ enter through ε) and the null (the "
                  "same mean log ratio against the BBP-only misalignment, without degree mixing)",
        null_theory="Theorem 3.4's picture with a pure polynomial feature per spike: the k-th spike's direction is "
                    "exactly GS_k, and only the bulk (the BBP overlap) misaligns it; the null is the claim value "
                    "with that misalignment in place of the model's",
        details={"alpha": s.alignment_alpha, "ell": ell, "n_min": min(s.spectral_ns), "n_max": max(s.spectral_ns),
                 "asymptotic_growth_exponent_by_k (s_k/edge)": {f"k={k}": spike_growth_exponent(s.alignment_alpha, k)
                                                               for k in range(1, ell + 1)}})


@claim(
    id=f"{KEY}.alignment",
    paper=KEY,
    where="Theorem 3.4 (ICLR 2024 numbering) and Figure 2, as described by reviews #1 (Q4) and #2; docs/papers/mlhd23.md §4.1",
    provenance="reconstructed",
    kind="bound",
    statement="The k-th left singular vector of F aligns with the polynomial feature (X̃β)^{∘k}, k <= ℓ, and the "
              "alignment tends to 1 (read). Measured (our operationalisation, reconstructed: β ∝ b = (1/n)Xᵀy and the "
              "Gram–Schmidt sequence of (X̃b)^{∘k}): min over the k <= ℓ(α) whose spike is visible at the largest n "
              "(the finite-ε model's count, mlhd23.spike-count) of the replicate-mean |⟨U_k, GS_k⟩|, α = 0.3 "
              "(ℓ = 2, both visible) at quick scale; paper scale α = 0.36 (ℓ = 3, two visible at n = 65536: the "
              "degree-3 alignment, ≈ 0.03 there, is reported, not bounded -- a singular vector inside the bulk "
              "has no alignment to show).",
    tolerance_note="At least 0.9 (predicted 1, tolerance 0.1): at finite n the misalignment is of order "
                   "(bulk/spike)², and the k = 2 spike is ≈ 4× the bulk edge at n = 16384 (docs/papers/mlhd23.md §4.3 saw "
                   "0.93–0.99 at n = 6000 with d = N = n/2). Seeds 0–11 at quick scale: 0.984–0.986 (sd 0.0005), so "
                   "the bound sits far below every seed; paper seed 0: 0.983 (k = 2). Null: a direction independent "
                   "of U_k, |⟨U_k, q⟩| ≈ √(2/(πñ)) ≈ 0.006, fails.",
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
    visible = min(min(ell, _visible_count(sw, _alpha_index(sw, alpha))) for sw in runs[n_max])
    if visible < 1:
        raise ValueError(f"records: the finite-ε model predicts no visible spike at n = {n_max}, α = {alpha}")
    return p.outcome(min(table[n_max][:visible]),
                     details={"alpha": alpha, "ell": ell, "k_measured": list(range(1, visible + 1)),
                              "alignment_by_n": table,
                              "off_diagonal_first_replicate": runs[n_max][0].alignments[
                                  _alpha_index(runs[n_max][0], alpha)][:ell + 1]})


@claim(
    id=f"{KEY}.alignment-growth",
    paper=KEY,
    where="Theorem 3.4 (alignments → 1 as n → ∞), docs/papers/mlhd23.md §4.1; the finite-n misalignment is our "
          "derivation (docs/papers/mlhd23.md §4.5)",
    provenance="reconstructed",
    kind="prediction",
    statement="The alignments |⟨U_k, GS_k⟩| approach 1 along n as the finite-ε model predicts: measured, for "
              "each k <= ℓ whose spike is separated from the bulk at the smallest n (α as in mlhd23.alignment), "
              "the mean over the sweep's n of log(measured misalignment / model misalignment), misalignment "
              "1 − |⟨U_k, GS_k⟩| (replicate means per n); the claim value is the k farthest from 0; predicted 0. "
              "The model (our derivation) has two parts: the k-th spike's direction mixes Hermite degrees of "
              "one parity (He₁ with He₃, …) at the runs' ε ≈ 1–2, and the bulk tilts it (rectangular BBP). "
              "The ratio of the misalignment at the largest to the smallest n is reported beside it, measured "
              "and model.",
    tolerance_note=_ALIGNMENT_GROWTH_TOLERANCE,
    experiment="mlhd23-spectral",
    predict=predict_alignment_growth,
    quantity="largest (in absolute value), over k, of the mean over n of log(measured / model misalignment), "
             "misalignment 1 − |⟨U_k, GS_k⟩| (dimensionless; 0 = the model exactly)",
)
def alignment_growth(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_alignment_growth(ctx.setting)
    runs = _spectral(records)
    alpha = ctx.setting.alignment_alpha
    ell = spikes_predicted(alpha)
    table = _alignment_table(runs, alpha, ell)
    lo, hi = min(runs), max(runs)
    # a k whose spike is inside the bulk at the smallest n has no alignment to follow (its |⟨U_k, GS_k⟩| is
    # noise): only the k separated at the smallest n of every replicate enter; the others are listed
    separated = min(count_spikes(sw.singular_values[_alpha_index(sw, alpha)], sw.edge, margin=SPIKE_MARGIN)
                    for sw in runs[lo])
    ks = list(range(1, min(ell, separated) + 1))
    if not ks:
        raise ValueError(f"records: no spike is separated from the bulk at n = {lo}, α = {alpha}")
    model = {n: [finite_step.predicted_alignments(ACTIVATION, _run_eps(sw, _alpha_index(sw, alpha)),
                                                  n_features=sw.n_features, width=sw.width, top=ks[-1])
                 for sw in runs[n]] for n in sorted(runs)}
    measured_mis = {n: [1 - table[n][k - 1] for k in ks] for n in sorted(runs)}
    model_mis = {n: [_mean(1 - m[k - 1]["alignment"] for m in model[n]) for k in ks] for n in sorted(runs)}
    null_mis = {n: [_mean(1 - m[k - 1]["bbp"] for m in model[n]) for k in ks] for n in sorted(runs)}

    def mean_log(ref):
        return [_mean(math.log(measured_mis[n][j] / ref[n][j]) for n in sorted(runs)) for j in range(len(ks))]

    logs, null_logs = mean_log(model_mis), mean_log(null_mis)
    worst = max(range(len(ks)), key=lambda j: abs(logs[j]))
    worst_null = max(range(len(ks)), key=lambda j: abs(null_logs[j]))
    return p.outcome(logs[worst], null=null_logs[worst_null],
                     details={"alpha": alpha, "ell": ell, "k_measured": ks, "k_reported": ks[worst],
                              "k_not_separated_at_smallest_n": list(range(len(ks) + 1, ell + 1)),
                              "mean_log_ratio_by_k": logs, "null_mean_log_ratio_by_k (BBP only)": null_logs,
                              "misalignment_measured_by_n": measured_mis, "misalignment_model_by_n": model_mis,
                              "misalignment_bbp_only_by_n": null_mis,
                              "degree_mixing_cosine_by_n": {n: [_mean(m[k - 1]["mixing"] for m in model[n])
                                                                for k in ks] for n in sorted(runs)},
                              "misalignment_ratio_n_max_over_n_min_measured": [
                                  measured_mis[hi][j] / measured_mis[lo][j] for j in range(len(ks))],
                              "misalignment_ratio_n_max_over_n_min_model": [
                                  model_mis[hi][j] / model_mis[lo][j] for j in range(len(ks))],
                              "eps_by_n": _expansion_parameter(runs, alpha), "alignment_by_n": table})


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
        null=1.0, null_theory="b ∥ β* (the population gradient direction, without the (d/n)E y² sampling noise "
                              "in ‖b‖²): cos∠(b, β*) = 1",
        details={"standard_error_bound": se, "seed_sd_measured_quick": OVERLAP_SEED_SD_QUICK,
                 "b_norm_predicted": direction_norm_limit(LINK, d=d0, n=n0, noise_std=NOISE)})


@claim(
    id=f"{KEY}.direction-overlap",
    paper=KEY,
    where="Proposition 3.1 (limit of βᵀβ*, formula not found); docs/papers/mlhd23.md §4.2 step 2",
    provenance="reconstructed",
    kind="prediction",
    statement="The spike direction b = (1/n)Xᵀy of the gradient (residual 'y') satisfies cos∠(b, β*) → "
              "c*₁/√(c*₁² + (d/n)E y²) (= 0.9559 for σ* = He₁ + ½He₂, σ_ε = 0.1, d/n = 1/16). Measured: the "
              "mean over all runs of the spectral sweep.",
    tolerance_note="4 × 0.0014 = 0.0056 at quick scale: 0.0014 is the measured seed sd of the claim value over "
                   "seeds 0–11 (range 0.9536–0.9585, mean 0.9564 vs predicted 0.9559; "
                   "benchmarks/results/seed_spread_quick_numpy.md). The delta-method bound (reported as "
                   "standard_error_bound; Gaussian moments by quadrature, correlations ignored) is ≈ 2.4× that "
                   "spread, so it is not used as the level; it is used only to scale the tolerance to "
                   "paper scale (its n-dependence, ∝ n^{-1/2}, is right). Null: b ∥ β* (overlap 1, the "
                   "population direction without the sampling noise) is 0.044 away and fails.",
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
                  "risk from ‖P_{>1}σ*‖²; the upper end is the measured no-step (η = 0) test risk minus 0.054; and "
                  "the null, the measured no-step risk",
        null_theory="the constant step has no effect on the features (random features): the risk of the no-step "
                    "network (η = 0) on the same data, W₀ and λ grid",
        details={"alpha": s.alpha_constant, "best_linear_bound": best_linear_excess_risk(LINK),
                 "margin_upper (3 seed sd of the improvement)": BA22_IMPROVEMENT_MARGIN})


@claim(
    id=f"{BA22_KEY}.small-step-not-beyond-linear",
    paper=BA22_KEY,
    where="BA22 abstract (read, docs/papers/mlhd23.md §7.1): with a small (constant, Θ(1)) step the learned kernel improves on "
          "the initial random-features model but cannot defeat the best linear model; MLHD23 §4.1 notes",
    provenance="stated",
    kind="bound",
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
    return p.outcome(m, predicted=(lo, hi), null=rf,
                     details={"eta": rows[0]["eta"], "no_step_risk": rf, "standard_error": se,
                              "standard_error_no_step": se_rf, "margin_lower (3 se)": 3 * se, "improvement": rf - m,
                              "test_excess_by_alpha": _test_by_alpha(reps),
                              "lambda": [r["lambda"] for r in rows], "lambda_no_step": [r["lambda"] for r in base]})


def _best_linear_prediction(formula: str, tolerance_rule: str, null_run: str, null_theory: str,
                            **details) -> Prediction:
    """``measured <= ‖P_{>1}σ*‖²`` with no slack: the best linear predictor's excess risk as an upper bound; the
    null (a risk the run measures) is passed at run time."""
    return Prediction(predicted=best_linear_excess_risk(LINK), comparison="at_most", tolerance=0.0,
                      formula=formula, tolerance_rule=tolerance_rule, needs_run=f"the null: {null_run}",
                      null_theory=null_theory, details=details)


def predict_l2_beyond_linear(setting: Setting) -> Prediction:
    """MLHD23 Theorem 4.5 (ℓ = 2): test excess risk below the best linear predictor's ‖P_{>1}σ*‖²."""
    s = _check_setting(setting)
    return _best_linear_prediction(
        "R(α) < ‖P_{>1}σ*‖² = Σ_{k>=2} c*_k² k! (= 1/2 for σ* = He₁ + ½He₂) when ℓ(α) >= 2 (MLHD23 Theorem 4.5, "
        "ICLR numbering; docs/papers/mlhd23.md §5.1)",
        "0 (strictly below the bound); the margin in Monte-Carlo standard errors is reported (z_margin). Seeds 0–9 "
        "at quick scale: 0.407–0.445 (sd 0.014), the bound ≥ 4 sd above every seed",
        "the measured test excess risk of the no-step network (η = 0, random features) on the same data",
        "the features are not learned (random features, η = 0): nothing beyond linear is learned, and the risk is "
        "that of the no-step network (≈ 0.75–0.86, above ‖P_{>1}σ*‖²)",
        alpha=s.alpha_quadratic, ell=spikes_predicted(s.alpha_quadratic))


@claim(
    id=f"{KEY}.l2-beyond-linear",
    paper=KEY,
    where="MLHD23 Theorem 4.5 (ℓ = 2, ICLR numbering) and abstract: the quadratic component can be learned "
          "(docs/papers/mlhd23.md §5.1)",
    provenance="stated",
    kind="bound",
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
    return p.outcome(m, null=_mean(_no_step(rep)["test_excess"] for rep in reps),
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
        null=STAIRCASE_DROP_FRACTION * best_linear_excess_risk(LINK),
        null_theory="no staircase: the training error flat in α (the step learns nothing more as α grows), so the "
                    "violation is the whole required drop 0.05",
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
    kind="bound",
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
                   "(sd 0.029), every increment negative (the smallest step, α = 0.2 → 0.3, is −0.010 or lower). "
                   "Null: a flat curve, violation 0.05, fails (the tolerance is at most 1 % of E y² ≈ 0.015).",
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
        "the median over seeds of the measured test excess risk at the smallest α of the grid (α = 0)",
        "BA22's constant step (α = 0, one spike, nothing beyond linear) at every α: the median risk at α = 0",
        alpha=max(below) if below else None, residual="y")


@claim(
    id=f"{KEY}.one-step-sweep-beyond-linear",
    paper=KEY,
    where="abstract and §4 (ℓ = 2 learns the quadratic component); docs/papers/mlhd23.md §4.1, §5.1",
    provenance="stated",
    kind="bound",
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
    null = median(excess[min(excess)])
    return p.outcome(measured, null=null, details={"alpha": alpha, "per_seed": excess[alpha],
                                                   f"median at alpha={min(excess)} (null)": null})
