"""Claims of Nichani–Damian–Lee 2023 (NDL23, arXiv 2305.06986): three-layer layer-wise training.

The paper's Sections 2–5 were not available (``docs/papers/ndl23.md``
§0), so almost every quantitative prediction below is **reconstructed**: the kernel spectrum,
the finite-(n, m2) learned-feature correlation and the exponents come from our derivations in
:mod:`featlearn.papers.ndl23.kernels` / :mod:`featlearn.papers.ndl23.sample_complexity` ([reconstructed]); the only
statement read verbatim is qualitative (test loss → 0 as corr(φ, h*) → 1, docs/papers/ndl23.md §2.3 [stated]).

Every size a claim reads (d, n, widths, grids, replicate counts) is a field of the paper's
:class:`~featlearn.papers.ndl23.setting.Setting`, read from ``ctx.setting``: quick-scale defaults,
paper scale with larger d, n, m2 and more replicates. The learning curves and layer-wise runs two
claims read are the sweep ``ndl23-curves`` of :mod:`featlearn.papers.ndl23.experiments`.
"""

from __future__ import annotations

import json
import math
import statistics
from statistics import NormalDist

from featlearn.backends import to_scalar
from featlearn.claims import Outcome, Prediction, RunContext, claim
from featlearn.experiments import group_by, select_records
from featlearn.stats import fit_loglog_slope, median, spearman, t_quantile
from featlearn.theory.activations import as_activation
from featlearn.theory.targets import QuadraticFeature, SingleIndex

from .baselines import RandomFeaturesRidge
from .kernels import CENTRED_ABS, kernel_energies, kernel_spectrum
from .sample_complexity import (
    asymptotic_exponents,
    energies_prediction,
    kernel_method_exponent,
    predicted_feature_correlation,
    quadratic_feature_prediction,
    radial_relu_rf_floor,
    single_index_prediction,
)
from .setting import CEILING_FRACTION, KEY, SHIFTED_RELU, Setting
from .three_layer import feature_learning_curve, run_layerwise


def _n_grid(bottom: int, top: int) -> list[int]:
    """The n grid of the n*(d) read-off: factor-√2 steps from 2^bottom to 2^top, the same for every d.

    It does not depend on the prediction, so a measured n* outside it is reported (NaN), never
    clipped to the grid.
    """
    return sorted({int(round(2 ** (k / 2))) for k in range(2 * bottom, 2 * top + 1)})


def _crossing(ns, corrs, level):
    """log-linear interpolation of the first n where corr reaches ``level``.

    NaN when the crossing is not bracketed by the grid (the curve starts at or above the level,
    or never reaches it): an unresolved n* must make the claim fail visibly, not take a grid end.
    """
    if not corrs or corrs[0] >= level:
        return math.nan
    for i in range(1, len(ns)):
        if corrs[i - 1] < level <= corrs[i]:
            a, b = math.log(ns[i - 1]), math.log(ns[i])
            w = (level - corrs[i - 1]) / (corrs[i] - corrs[i - 1])
            return math.exp(a + w * (b - a))
    return math.nan


def _setting(setting) -> Setting:
    """``setting`` checked to be the NDL23 :class:`~featlearn.papers.ndl23.setting.Setting` (TypeError otherwise)."""
    if not isinstance(setting, Setting):
        raise TypeError(f"setting: expected a featlearn.papers.ndl23.Setting, got {type(setting).__name__}")
    return setting


#: False-pass probability allowed to the random-ordering null of the loss-vs-correlation bounds.
RANK_NULL_ALPHA = 1e-3


def spearman_null_threshold(points: int, strata: int = 1, alpha: float = RANK_NULL_ALPHA) -> float:
    """The lower ``alpha`` quantile of the mean of ``strata`` independent Spearman ρ's, each between two independent
    random orderings of ``points`` items (our design, docs/papers/ndl23.md §12.1).

    One stratum: the Student approximation ρ√((N − 2)/(1 − ρ²)) ~ t_{N−2}, ρ_α = −t/√(t² + N − 2), t the upper-α
    quantile of t_{N−2} (checked against exact enumeration of the 8! permutations in the tests). Several strata:
    the normal approximation −z_{1−α}/√(K(N − 1)) with the exact null variance 1/(N − 1) of each ρ; conservative,
    since ρ's null law is bounded and lighter-tailed than the normal (checked by simulation in the tests).

    Examples
    --------
    >>> round(spearman_null_threshold(8), 3), round(spearman_null_threshold(12, strata=2), 3)
    (-0.905, -0.659)
    """
    if points < 4:
        raise ValueError(f"points: expected at least 4 runs for a rank-correlation bound, got {points}")
    if strata < 1:
        raise ValueError(f"strata: expected at least 1, got {strata}")
    if strata == 1:
        t = t_quantile(1.0 - alpha, points - 2)
        return -t / math.sqrt(t * t + points - 2)
    return NormalDist().inv_cdf(alpha) / math.sqrt(strata * (points - 1))


def _runs_spearman(records: list[dict]) -> tuple[float, int]:
    """Spearman ρ between corr(φ̂, h*) and test MSE / Var f* over the individual runs of ``records``, and their
    number (NaN if fewer than 4)."""
    rs = [r for r in records if math.isfinite(float(r["corr"])) and math.isfinite(float(r["test_nmse"]))]
    if len(rs) < 4:
        return math.nan, len(rs)
    return spearman([float(r["corr"]) for r in rs], [float(r["test_nmse"]) for r in rs]), len(rs)


_RANK_NULL_THEORY = ("random ordering: loss unrelated to corr(φ̂, h*) (E ρ = 0; ρ reaches the threshold with "
                     "probability 1e-3)")


# -- 0. kernel spectrum vs Monte Carlo ----------------------------------------------------------------------
EIG_TOL_RULE = ("5 standard errors of the Monte-Carlo estimate; the s.e. comes from the spread of eig_groups "
                "independent group estimates (each with its own x sample and v's), so it includes the x-sampling "
                "noise shared by all v's of a group. Measured by the run.")


def predict_kernel_degree2_eigenvalue(setting) -> Prediction:
    """λ₂ of the ReLU random-feature kernel on the sphere of radius √d, d = ``setting.eig_d``, by Funk–Hecke
    quadrature ([reconstructed], :func:`featlearn.papers.ndl23.kernels.kernel_spectrum`); the tolerance is
    5 standard errors of the run's Monte-Carlo estimate."""
    st = _setting(setting)
    spec = kernel_spectrum("relu", st.eig_d, input="sphere", max_degree=4)
    return Prediction(
        predicted=spec.eigenvalues[2], comparison="abs", tolerance=None,
        null=spec.eigenvalues[4], null_theory="the wrong degree: λ₄, the eigenvalue of the next even harmonic degree",
        formula="λ₂ = (E_t[σ2(√d t) P₂(t)])², t the first coordinate of a uniform unit vector, P₂ the degree-2 "
                "Gegenbauer polynomial (Funk–Hecke; docs/papers/ndl23.md §5, reconstructed)",
        tolerance_rule=EIG_TOL_RULE,
        needs_run="tolerance: 5 × the standard error of the Monte-Carlo <h, K̂h>/<h, h> over the eig_groups groups",
        details={"d": st.eig_d, "eigenvalues": spec.eigenvalues, "multiplicities": spec.multiplicities})


@claim(
    id=f"{KEY}.kernel-degree2-eigenvalue",
    paper=KEY,
    kind="prediction",
    where="§2.2 kernel K(x,x') = E_v[σ2(v·x)σ2(v·x')] and its operator (docs/papers/ndl23.md §5, [reconstructed]); spectrum by Funk–Hecke "
          "([reconstructed], featlearn.papers.ndl23.kernels)",
    provenance="reconstructed",
    statement="On the sphere of radius sqrt(d), a degree-2 harmonic h = x^T A x (tr A = 0) is an eigenfunction "
              "of K with eigenvalue lambda_2 = (E_t[sigma2(sqrt(d) t) P_2(t)])^2; checked for ReLU, d = 16 "
              "against the Monte-Carlo <h, K_hat h>/<h, h> of m2 random features.",
    tolerance_note="5 standard errors of the Monte-Carlo estimate; the s.e. comes from the spread of 8 "
                   "independent group estimates (each with its own x sample and v's), so it includes the "
                   "x-sampling noise that is shared by all v's of a group.",
    predict=predict_kernel_degree2_eigenvalue,
    quantity="λ̂₂ = <h, K̂h>/<h, h>, Monte-Carlo degree-2 eigenvalue of the ReLU random-feature kernel on the sphere "
             "of radius √d (dimensionless)",
)
def kernel_degree2_eigenvalue(ctx: RunContext) -> Outcome:
    st = ctx.setting
    d = st.eig_d
    p = predict_kernel_degree2_eigenvalue(st)
    spec = kernel_spectrum("relu", d, input="sphere", max_degree=4)
    xp = ctx.xp
    target = QuadraticFeature.random(ctx.rng("A"), d, "identity")  # trace-free A: pure degree 2 on the sphere
    n, groups, per = st.eig_n, st.eig_groups, st.eig_features_per_group
    relu = as_activation("relu")
    est = []
    for gi in range(groups):  # independent x sample and v's per group: group means are i.i.d.
        X = target.input.sample(ctx.rng("x", gi), n, dtype=ctx.dtype)
        h = target.feature(X)
        V = ctx.rng("v", gi).sphere(per, d, dtype=X.dtype)
        F = relu(X @ V.T)                                      # (n, per)
        s = h @ F
        u = (s * s - (h * h) @ (F * F)) / (n * (n - 1))        # unbiased for <h, φ_v>² per v
        est.append(to_scalar(xp.mean(u)))
    m2 = groups * per
    hh = 2.0 * d / (d + 2)  # E h² on the sphere for ‖A‖_F = 1, tr A = 0 (exact)
    measured = statistics.fmean(est) / hh
    se = statistics.stdev(est) / math.sqrt(groups) / hh
    return p.outcome(measured, tolerance=5.0 * se,
                     details={"d": d, "n": n, "m2": m2, "standard_error": se, "eigenvalues": spec.eigenvalues,
                              "multiplicities": spec.multiplicities, "trace": spec.trace})


# -- shared sweep: the quadratic-feature setting at one d ----------------------------------------------------
def _quadratic_sweep(ctx: RunContext, records: list[dict]):
    """The records of experiment ``ndl23-curves`` (learning curves and layer-wise runs at d = 16) with the
    kernel energies of the same target (theory inputs, from the sweep seed's ``rng("mc", d)``)."""
    st = ctx.setting
    d = st.curves_d
    m2 = st.quad_m2_per_d2 * d * d
    if not records:
        raise ValueError("records: the ndl23-curves sweep has no ok record")
    # the prediction is for the target the cells measured: redrawn from the context of the records'
    # sweep seed (the run seed splits the sweep seeds' streams), not from the claim's own streams
    cell = ctx.for_replicate(int(records[0]["seed"]))
    target = QuadraticFeature.random(cell.rng("A", d), d, SHIFTED_RELU, dtype=ctx.dtype)
    spec = kernel_spectrum(CENTRED_ABS, d, input="sphere", max_degree=6)
    X, y = target.sample(cell.rng("mc", d), st.mc_n, dtype=ctx.dtype)
    E = kernel_energies(spec, X, y, target.feature(X))
    curves = [json.loads(r["curve"]) for r in select_records(records, kind="corr")]
    ns_corr = sorted(int(n) for n in curves[0])
    corr = {n: [c[str(n)] for c in curves] for n in ns_corr}
    loss, lcorr = {}, {}
    for r in select_records(records, required=False, kind="loss"):
        loss.setdefault(int(r["n"]), []).append(r["test_nmse"])
        lcorr.setdefault(int(r["n"]), []).append(r["corr"])
    return {"d": d, "m2": m2, "m1": st.curves_m1, "spec": spec, "E": E, "target": target,
            "corr": {n: median(v) for n, v in corr.items()},
            "corr_band": {n: (min(v), max(v)) for n, v in corr.items()},
            "loss": {n: median(v) for n, v in loss.items()},
            "loss_corr": {n: median(v) for n, v in lcorr.items()}}


CORR_CURVE_RULE = ("0.09 = mean + 3 s.d. of the max deviation measured over check seeds 0..11 (0.034 ± 0.019, "
                   "largest 0.070; benchmarks/results/seed_spread_quick_numpy.md; 8 replicate curves per seed, "
                   "median taken): the Jensen bias O(1/n) of the ratio-of-expectations prediction, the Monte-Carlo "
                   "kernel energies (s.e. ~0.01 in corr) and the test-set Pearson correlation (s.e. ~0.01).")


def predict_feature_correlation_curve(setting) -> Prediction:
    """The tolerance of the feature-correlation curve; the predicted corr itself needs the run.

    The prediction (:func:`~featlearn.papers.ndl23.sample_complexity.predicted_feature_correlation`,
    [reconstructed]) is for the concrete A the sweep drew (its kernel energies by Monte Carlo) and is read at
    the n of the largest deviation, which the measurement picks. ``details`` carries the setting-only
    Gaussian-approximation curve (:func:`quadratic_feature_prediction`) over ``curves_ns_corr`` as a guide.
    """
    st = _setting(setting)
    d = st.curves_d
    m2 = st.quad_m2_per_d2 * d * d
    g = quadratic_feature_prediction(CENTRED_ABS, SHIFTED_RELU, d)
    ns = [int(n) for n in st.curves_ns_corr]
    return Prediction(
        predicted=None, comparison="abs", tolerance=CORR_CURVE_TOL,
        null=0.0, null_theory="no feature learning: φ̂ uncorrelated with h* (corr 0 at every n)",
        formula="corr(φ̂, h*) ≈ ⟨QKQf*, h*⟩ / (‖h*‖ √E‖Qφ̂‖²), E‖Qφ̂‖² = ‖QKQf*‖² + (tr_c⟨f*, Kf*⟩ − ‖QKQf*‖²)/m2 "
                "+ (Var y (S + tr_c tr K/m2) − ‖QKQf*‖²)/n (docs/papers/ndl23.md §4.3, §6.2; reconstructed), "
                "at the n of the largest |median measured − predicted|",
        tolerance_rule=CORR_CURVE_RULE,
        needs_run="predicted: the kernel energies ‖P_ℓ f*‖² of the A drawn by the sweep (Monte Carlo, mc_n samples) "
                  "and the n of the largest deviation",
        details={"gaussian_approx_n": ns, "gaussian_approx_predicted": [g.correlation(n, m2) for n in ns]})


@claim(
    id=f"{KEY}.feature-correlation-curve",
    paper=KEY,
    kind="prediction",
    where="§4 quadratic-feature setting, Algorithm 1 stage 1 (learned feature φ); docs/papers/ndl23.md §4.3, §6.2 [reconstructed]",
    provenance="reconstructed",
    statement="corr(φ_hat, h*) of the learned feature grows toward 1 with n and follows the kernel prediction "
              "cross/(‖h*‖ sqrt(E‖Qφ_hat‖²)) of featlearn.papers.ndl23.sample_complexity.predicted_feature_correlation "
              "(d = 16, sigma2 = |z| - E|z|, m2 = 8 d², g* = relu(z - 1)) at every n of the grid; reported: "
              "predicted and median measured corr at the n of the largest deviation (all n in details).",
    tolerance_note="0.09 = mean + 3 s.d. of the max deviation measured over check seeds 0..11 (0.034 ± 0.019, "
                   "largest 0.070; benchmarks/results/seed_spread_quick_numpy.md; 8 replicate curves per seed, "
                   "median taken). Sources: the prediction is a ratio of expectations (Jensen "
                   "bias O(1/n), largest at the smallest n), its kernel energies are a U-statistic from 2048 samples "
                   "(s.e. ~0.01 in corr), the test-set Pearson correlation has s.e. ~0.01 at 4096 points.",
    experiment=f"{KEY}-curves",
    predict=predict_feature_correlation_curve,
    quantity="median over replicate curves of |corr(φ̂, h*)| on a test set, at the n of the largest deviation from "
             "the prediction (dimensionless, in [0, 1])",
)
def feature_correlation_curve(ctx: RunContext, records: list[dict]) -> Outcome:
    p = predict_feature_correlation_curve(ctx.setting)
    sw = _quadratic_sweep(ctx, records)
    E, spec = sw["E"], sw["spec"]
    pred = {n: predicted_feature_correlation(spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, sw["m2"])
            for n in sw["corr"]}
    dev = {n: abs(sw["corr"][n] - pred[n]) for n in pred}
    ns = sorted(sw["corr"])
    worst = max(ns, key=dev.get)  # the check is the max deviation over the grid, shown at the n where it occurs
    increasing = all(sw["corr"][b] >= sw["corr"][a] - 0.01 for a, b in zip(ns, ns[1:]))
    return p.outcome(sw["corr"][worst], predicted=pred[worst],
                     details={"d": sw["d"], "m2": sw["m2"], "n": ns, "n_worst": worst, "max_deviation": dev[worst],
                              "deviation": [dev[n] for n in ns], "measured_median": [sw["corr"][n] for n in ns],
                              "band": [sw["corr_band"][n] for n in ns], "predicted": [pred[n] for n in ns],
                              "monotone_within_0.01": increasing, "energies": E["energies"]})


_RANK_RULE = ("threshold = the 0.1 % quantile of Spearman's ρ under random ordering of the N runs (Student approximation, "
              "featlearn.papers.ndl23.claims.spearman_null_threshold): a loss unrelated to the correlation passes with "
              "probability 1e-3. Individual runs, not medians per n: with 4 medians a random ordering reaches ρ = −1 "
              "with probability 1/24. Runs at one n differ only by seed noise, so their order among themselves is "
              "not tested beyond what N allows.")


def _loss_runs(setting: Setting) -> int:
    return len(setting.curves_ns_loss) * setting.curves_loss_reps * setting.curves_seeds


def predict_loss_falls_as_correlation_rises(setting) -> Prediction:
    """Spearman ρ between corr(φ̂, h*) and test MSE / Var f* over the layer-wise runs of ``ndl23-curves`` is at most
    the random-ordering 0.1 % quantile for that number of runs (NDL23 §5, [stated] second-hand quote: the loss
    falls as the correlation rises; the threshold is our design)."""
    st = _setting(setting)
    runs = _loss_runs(st)
    thr = spearman_null_threshold(runs)
    return Prediction(
        predicted=thr, comparison="at_most", tolerance=0.0, null=0.0, null_theory=_RANK_NULL_THEORY,
        formula="ρ_Spearman(corr(φ̂, h*), test MSE/Var f*) over the runs < 0: 'the test loss goes to 0 as the linear "
                "correlation between φ and h* approaches 1' (NDL23 §5; docs/papers/ndl23.md §2.3, stated); "
                f"bound ρ <= ρ_0.001(N = {runs}) = {thr:.3f} (docs/papers/ndl23.md §12.1, our design)",
        tolerance_rule=_RANK_RULE + " Measured over check seeds 0–11 (quick): −0.93 to −1.",
        details={"n": [int(n) for n in st.curves_ns_loss], "runs": runs, "alpha": RANK_NULL_ALPHA})


@claim(
    id=f"{KEY}.loss-falls-as-correlation-rises",
    paper=KEY,
    kind="bound",
    where="§5 experiments: 'the test loss goes to 0 as the linear correlation between the learned feature map φ "
          "and the true intermediate feature h* approaches 1' (docs/papers/ndl23.md §2.3, [stated] second-hand quote)",
    provenance="stated",
    statement="Over the layer-wise runs of Algorithm 1 (η1 and λ chosen on validation; quadratic-feature setting, "
              "d = 16, n from 2^7 to 2^13, 2 runs per n), a run with a higher corr(φ_hat, h*) has a lower test "
              "loss (normalised by Var f*): the Spearman rank correlation between the two over the 8 runs is at "
              "most ρ_0.001(8) = -0.905, the value a random ordering of the runs reaches with probability 1e-3 "
              "(paper scale: 5 n from 2^8 to 2^16, 25 runs, threshold -0.59).",
    tolerance_note=_RANK_RULE,
    experiment=f"{KEY}-curves",
    predict=predict_loss_falls_as_correlation_rises,
    quantity="Spearman rank correlation between corr(φ̂, h*) and test MSE / Var f* over the individual layer-wise runs "
             "(in [−1, 1])",
)
def loss_falls_as_correlation_rises(ctx: RunContext, records: list[dict]) -> Outcome:
    sw = _quadratic_sweep(ctx, records)
    runs = select_records(records, required=False, kind="loss")
    rho, count = _runs_spearman(runs)
    p = predict_loss_falls_as_correlation_rises(ctx.setting)
    ns = sorted(sw["loss"])
    return p.outcome(rho,
                     details={"runs": count, "n": ns, "median_corr": [sw["loss_corr"][n] for n in ns],
                              "median_test_nmse": [sw["loss"][n] for n in ns],
                              "spearman_of_medians": spearman([sw["loss_corr"][n] for n in ns],
                                                              [sw["loss"][n] for n in ns]),
                              "d": sw["d"], "m1": sw["m1"], "m2": sw["m2"]})


# -- sample-complexity exponents -------------------------------------------------------------------------------
#: feature-correlation-curve: max over the 8 n of |median corr − prediction| with 8 replicate curves.
#: Re-measured over check seeds 0..11 (benchmarks/results/seed_spread_quick_numpy.md, generated by
#: benchmarks/seed_spread.py): mean 0.034, s.d. 0.019, largest 0.070, largest at n <= 256 and of both
#: signs (noise of the median plus the Monte-Carlo error of the energies, not a one-signed bias).
#: Tolerance mean + 3 s.d. ≈ 0.09 (a rule fixed in advance: a correct implementation fails about once in
#: 700 draws). The earlier mean + 2 s.d. over 5 seeds (0.065) was exceeded by the 12-seed spread itself.
CORR_CURVE_TOL = 0.09
#: Tolerances of the exponent claims, from the measured seed-to-seed spread of (measured − predicted
#: slope) over `featlearn check --seed s`, s = 0..4 (quadratic) / 0..7 (single-index), at quick scale.
#: Quadratic: differences −0.31, −0.01, +0.48, −0.06, +0.01 (mean +0.02, s.d. 0.29; the predicted slope
#: itself moves between 1.53 and 2.04 with the drawn A): 2 s.d. ≈ 0.6.
QUAD_EXPONENT_TOL = 0.6
#: Single-index: measured 1.21, 1.00, 1.04, 0.98, 1.22, 1.10, 0.93, 1.02 vs predicted 0.99 (mean offset
#: +0.07, s.d. 0.10 with 24 replicate curves per d): 3 s.d. = 0.3.
SI_EXPONENT_TOL = 0.3
SI_TOL_NOTE = ("0.3 = 3 × the measured seed-to-seed s.d. (0.10) of the fitted slope over seeds 0..7 with 24 "
               "replicate learning curves per d (their median is read off; measured 0.93–1.22, mean 1.06 vs "
               "predicted 0.99). Still separates 1 from the v1 value 2. The Gaussian-input prediction "
               "approximates E[y²‖QK(x,·)‖²] by Var(y)·S (see featlearn.papers.ndl23.sample_complexity).")


QUAD_EXPONENT_RULE = ("0.6 = 2 × the measured seed-to-seed s.d. (0.29) of measured − predicted slope over seeds "
                      "0..4 (qexp_reps replicate curves per d, median read off a factor-√2 grid). Separates 2 from the "
                      "v1 value 4; quick scale cannot exclude 1.5 or 2.5.")


def predict_quadratic_sample_exponent(setting) -> Prediction:
    """The tolerance of the quadratic-feature exponent; the predicted slope needs the run's drawn targets.

    The prediction is the log-log slope over ``qexp_ds`` of the finite-d kernel threshold n*(d) of each drawn A
    (energies by Monte Carlo, [reconstructed]) at the level 0.8 × the smallest predicted ceiling. ``details``
    carries the setting-only Gaussian-approximation slope (:func:`quadratic_feature_prediction`, its own level)
    and the asymptotic exponents.
    """
    st = _setting(setting)
    ds = list(st.qexp_ds)
    g = {d: quadratic_feature_prediction(CENTRED_ABS, SHIFTED_RELU, d) for d in ds}
    m2 = {d: st.quad_m2_per_d2 * d * d for d in ds}
    level = CEILING_FRACTION * min(g[d].ceiling(m2[d]) for d in ds)
    thr = [g[d].threshold_n(level, m2[d]) for d in ds]
    return Prediction(
        predicted=None, comparison="abs", tolerance=QUAD_EXPONENT_TOL,
        null=asymptotic_exponents(CENTRED_ABS, 2)["v1"],
        null_theory="the v1 (two-layer-style) rate n ≳ ‖Kf*‖⁻² ~ d⁴: exponent 4",
        formula="p = d log n*/d log d with n*(d) the n where the kernel prediction of corr(φ̂, h*) (m2 = 8d²) reaches "
                "0.8 × min_d ceiling; v3 reading n ≳ ‖K‖_op‖Kf*‖⁻² ~ d² (docs/papers/ndl23.md §6.2, §6.4; "
                "reconstructed); v1: d⁴",
        tolerance_rule=QUAD_EXPONENT_RULE,
        needs_run="predicted: the kernel energies of each drawn A (Monte Carlo, mc_n samples), which fix the ceilings, "
                  "the level and n*(d)",
        details={"gaussian_approx_exponent": fit_loglog_slope(ds, thr).slope, "gaussian_approx_level": level,
                 "asymptotic": asymptotic_exponents(CENTRED_ABS, 2)})


@claim(
    id=f"{KEY}.quadratic-sample-exponent",
    paper=KEY,
    kind="prediction",
    where="Theorem 1 / quadratic-feature corollary (docs/papers/ndl23.md §6.2, §6.4): v1 n ≳ ‖Kf*‖⁻² ~ d⁴ [stated form; reconstructed: secondary source]; "
          "v3 reading n ≳ ‖K‖_op‖Kf*‖⁻² ~ d² for σ2 with μ1 = 0 [reconstructed]",
    provenance="reconstructed",
    statement="The smallest n at which the median corr(φ_hat, h*) reaches a level fixed by theory (0.8 × the "
              "smallest predicted finite-width ceiling over d) grows like d^p, with p the slope of the finite-d "
              "kernel prediction for the same targets (energies of each drawn A by Monte Carlo) and m2 = 8 d² "
              "(≈ 2, the v3-reconstructed exponent; v1 gives 4). sigma2 = |z| - E|z|, g* = relu(z - 1), x uniform "
              "on the sphere of radius sqrt(d); n grid: factor sqrt(2) from 8 to 2^13, the same for every d.",
    tolerance_note="0.6 = 2 × the measured seed-to-seed s.d. (0.29) of measured − predicted slope over seeds 0..4 "
                   "(3 replicate curves per d, median read off a factor-sqrt(2) grid). Separates 2 from the v1 "
                   "value 4; quick scale cannot exclude 1.5 or 2.5 (paper scale: 5 replicates, 4 d values).",
    predict=predict_quadratic_sample_exponent,
    quantity="log-log slope of n*(d) vs d, n* = samples per stage at which the median corr(φ̂, h*) reaches the level "
             "(dimensionless exponent)",
)
def quadratic_sample_exponent(ctx: RunContext) -> Outcome:
    st = ctx.setting
    p0 = predict_quadratic_sample_exponent(st)
    ds = st.qexp_ds
    reps = st.qexp_reps
    ns = _n_grid(st.n_min_log2, st.qexp_n_max_log2)
    setup = []
    for d in ds:
        m2 = st.quad_m2_per_d2 * d * d
        target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
        spec = kernel_spectrum(CENTRED_ABS, d, input="sphere", max_degree=6)
        X, y = target.sample(ctx.rng("mc", d), st.mc_n, dtype=ctx.dtype)
        setup.append((d, m2, target, energies_prediction(spec, kernel_energies(spec, X, y, target.feature(X)))))
    level = CEILING_FRACTION * min(p.ceiling(m2) for _, m2, _, p in setup)
    meas, pred, generic, curves = [], [], [], {}
    for d, m2, target, p in setup:
        ctx.progress(f"ndl23 exponent: d={d}")
        runs = [feature_learning_curve(target, ctx.rng("exp", d, s), ns, m2=m2, sigma2=CENTRED_ABS,
                                       n_test=st.qexp_n_test, dtype=ctx.dtype) for s in range(reps)]
        med = [median(v) for v in zip(*runs)]
        curves[str(d)] = {"n": ns, "median": med, "predicted": [p.correlation(n, m2) for n in ns]}
        meas.append(_crossing(ns, med, level))
        pred.append(p.threshold_n(level, m2))
        generic.append(quadratic_feature_prediction(CENTRED_ABS, SHIFTED_RELU, d).threshold_n(level, m2))
    p_pred = fit_loglog_slope(ds, pred).slope
    p_meas = fit_loglog_slope(ds, meas).slope if all(math.isfinite(v) for v in meas) else math.nan
    return p0.outcome(p_meas, predicted=p_pred,
                      details={"d": list(ds), "level": level, "ceilings": [p.ceiling(m2) for _, m2, _, p in setup],
                               "n_star_measured": meas, "n_star_predicted": pred,
                               "gaussian_approx_exponent": fit_loglog_slope(ds, generic).slope,
                               "asymptotic": asymptotic_exponents(CENTRED_ABS, 2),
                               "asymptotic_relu_sigma2": asymptotic_exponents("relu", 2),
                               "kernel_methods": kernel_method_exponent(None), "curves": curves})


def predict_single_index_sample_exponent(setting) -> Prediction:
    """Log-log slope over ``si_ds`` of the kernel threshold n*(d) of the single-index instance (closed form,
    :func:`single_index_prediction`, [reconstructed]) at the level 0.8 × the smallest predicted ceiling."""
    st = _setting(setting)
    ds = list(st.si_ds)
    preds = {d: single_index_prediction("relu", SHIFTED_RELU, d) for d in ds}
    level = CEILING_FRACTION * min(p.ceiling(st.si_m2_per_d * d) for d, p in preds.items())
    pred = [preds[d].threshold_n(level, st.si_m2_per_d * d) for d in ds]
    return Prediction(
        predicted=fit_loglog_slope(ds, pred).slope, comparison="abs", tolerance=SI_EXPONENT_TOL,
        null=asymptotic_exponents("relu", 1)["v1"], null_theory="the v1 form n ≳ ‖Kf*‖⁻² ~ d²: exponent 2",
        formula="p = d log n*/d log d, n*(d) where the kernel prediction of corr(φ̂, β·x) (σ2 = ReLU, m2 = si_m2_per_d·d, "
                "Gaussian x) reaches 0.8 × min_d ceiling; 'n of order d' (docs/papers/ndl23.md §6.3; "
                "reconstructed), v1 form: 2",
        tolerance_rule=SI_TOL_NOTE,
        details={"level": level, "n_star_predicted": pred, "asymptotic": asymptotic_exponents("relu", 1)})


@claim(
    id=f"{KEY}.single-index-sample-exponent",
    paper=KEY,
    kind="prediction",
    where="single-index corollary (docs/papers/ndl23.md §6.3): Θ~(d) [S, v3 TL;DR]; v1 form gives d² [reconstructed]",
    provenance="reconstructed",
    statement="For f* = g*(β·x) with g* = relu(z - 1), x ~ N(0, I_d), sigma2 = ReLU, m2 = 32 d, the smallest n "
              "at which the median corr(φ_hat, β·x) reaches a level fixed by theory (0.8 × the smallest predicted "
              "finite-width ceiling over d, ≈ 0.78) grows like d^p with p the slope of the kernel prediction "
              "(≈ 1, 'n of order d'; v1 form: 2). n grid: factor sqrt(2) from 8 to 2^12, the same for every d.",
    tolerance_note=SI_TOL_NOTE,
    predict=predict_single_index_sample_exponent,
    quantity="log-log slope of n*(d) vs d, n* = samples per stage at which the median corr(φ̂, β·x) reaches the level "
             "(dimensionless exponent)",
)
def single_index_sample_exponent(ctx: RunContext) -> Outcome:
    st = ctx.setting
    ds = st.si_ds
    reps = st.si_reps
    ns = _n_grid(st.n_min_log2, st.si_n_max_log2)
    preds = {d: single_index_prediction("relu", SHIFTED_RELU, d) for d in ds}
    level = CEILING_FRACTION * min(p.ceiling(st.si_m2_per_d * d) for d, p in preds.items())
    meas, pred, curves = [], [], {}
    for d in ds:
        m2 = st.si_m2_per_d * d
        target = SingleIndex.random(ctx.rng("beta", d), d, SHIFTED_RELU)
        runs = [feature_learning_curve(target, ctx.rng("si", d, s), ns, m2=m2, n_test=st.si_n_test,
                                       dtype=ctx.dtype) for s in range(reps)]
        med = [median(v) for v in zip(*runs)]
        curves[str(d)] = {"n": ns, "median": med, "predicted": [preds[d].correlation(n, m2) for n in ns]}
        meas.append(_crossing(ns, med, level))
        pred.append(preds[d].threshold_n(level, m2))
    p_pred = fit_loglog_slope(ds, pred).slope
    p_meas = fit_loglog_slope(ds, meas).slope if all(math.isfinite(v) for v in meas) else math.nan
    return predict_single_index_sample_exponent(st).outcome(
        p_meas, details={"d": list(ds), "level": level, "n_star_measured": meas, "n_star_predicted": pred,
                         "asymptotic": asymptotic_exponents("relu", 1), "curves": curves})


# -- three-layer vs two-layer baselines ------------------------------------------------------------------------
# Stage-1 slopes of the three-layer network (Setting.stage1_slopes) and step sizes η of the two-layer
# one-step network (Setting.two_layer_etas) searched on validation: the same 4-point, 16× range for both
# (η = 1 is the DLS22 reference code's normalised step), each with its model's own ridge λ grid.


def _baselines(ctx, target, n, key):
    """Normalised test MSE of random-features ridge and of the two-layer one-step network.

    Both use ``2n`` training samples in total, as Algorithm 1 does (n for stage 1 + n for
    stage 2): random features fit the ridge on all 2n; the one-step network takes its step on n
    and fits the ridge on another n (sample splitting, like the three-layer network). η and λ
    are chosen on the same validation set.
    """
    from featlearn.models.one_step import OneStepNetwork

    xp, st = ctx.xp, ctx.setting
    step = target.sample(ctx.rng(key, "D1"), n, dtype=ctx.dtype)
    tr = target.sample(ctx.rng(key, "D2"), n, dtype=ctx.dtype)
    both = (xp.concat([step[0], tr[0]]), xp.concat([step[1], tr[1]]))
    va = target.sample(ctx.rng(key, "val"), st.beat_n_val, dtype=ctx.dtype)
    Xt, _ = target.sample(ctx.rng(key, "test"), st.beat_n_test, dtype=ctx.dtype)
    ft = target(Xt)
    var = to_scalar(xp.var(ft))
    out = {}
    rf = RandomFeaturesRidge(st.beat_rf_width).fit_validated(ctx.rng(key, "rf"), both, va)
    out["random_features_ridge"] = rf.mse((Xt, ft)) / var
    best = None
    for eta in st.two_layer_etas:
        net = OneStepNetwork(st.beat_two_layer_width, parametrization="dls22", eta=eta).fit_batches(
            step, tr, va, rng=ctx.rng(key, "2l"))
        v = to_scalar(xp.mean((net.predict(va[0]) - va[1]) ** 2))
        if best is None or v < best[0]:
            best = (v, eta, net)
    _, eta, net = best
    r = net.predict(Xt) - ft
    out["two_layer_one_step"] = to_scalar(xp.mean(r * r)) / var
    out["two_layer_eta"] = eta
    return out


#: Relative standard error of a test MSE on n_test points: √(Var r²)/(E r²)/√n_test <= NMSE_SE_COEF/√n_test. For
#: Gaussian residuals √(Var r²)/E r² = √2; 1.92 allows a residual kurtosis up to 4.7 (3 % at 4096 test points,
#: the bound the depth claims quoted before). The depth comparisons ask for a margin of 3 such errors, so that a
#: tie (their null) fails (docs/papers/ndl23.md §12.2, our design).
NMSE_SE_COEF = 1.92


def ratio_threshold(n_test: int) -> float:
    """1 − 3·√2·NMSE_SE_COEF/√n_test: a ratio of two independent test MSEs on ``n_test`` points each, 3 of its
    standard errors below a tie (0.873 at 4096, 0.955 at 2^15)."""
    return 1.0 - 3.0 * math.sqrt(2.0) * NMSE_SE_COEF / math.sqrt(n_test)


def floor_fraction(n_test: int) -> float:
    """1 − 3·NMSE_SE_COEF/√n_test: a test MSE on ``n_test`` points, 3 of its standard errors below a fixed floor (the
    floor's own Monte-Carlo error, s.e. < 0.005, is smaller) (0.91 at 4096, 0.968 at 2^15)."""
    return 1.0 - 3.0 * NMSE_SE_COEF / math.sqrt(n_test)


def predict_three_layer_beats_two_layer(setting) -> Prediction:
    """Algorithm 1 beats both baselines at equal total samples: MSE_3L / min(MSE baselines) ≤ 1 (NDL23 abstract,
    [stated] improvement over two-layer guarantees; the comparison at beat_d, beat_n is [reconstructed])."""
    st = _setting(setting)
    return Prediction(
        predicted=ratio_threshold(st.beat_n_test), comparison="at_most", tolerance=0.0,
        null=1.0, null_theory="depth brings no gain: Algorithm 1 only matches the better two-layer baseline (ratio 1)",
        formula="MSE_3L / min(MSE_RF-ridge, MSE_2L-one-step) < 1 (abstract / §4: three-layer networks improve on "
                "two-layer guarantees; kernel methods need ≈ d^{2q} samples; reconstructed)",
        tolerance_rule=f"threshold {ratio_threshold(st.beat_n_test):.3f} = 1 − 3·√2·1.92/√beat_n_test: the ratio of two "
                       "normalised test MSEs on beat_n_test points each (relative s.e. <= 1.92/√n_test each, 3 % at "
                       "4096) must be below 1 by 3 of its standard errors, so that a tie (the null, ratio 1) fails; "
                       "comparable validation grids.",
        details={"d": st.beat_d, "n": st.beat_n, "m2": st.quad_m2_per_d2 * st.beat_d ** 2})


@claim(
    id=f"{KEY}.three-layer-beats-two-layer",
    paper=KEY,
    kind="bound",
    where="abstract / §4 quadratic features: improvement 'over all existing guarantees for two-layer networks' "
          "[stated]; kernel methods need ≈ d^{2q} samples, superpolynomially many for non-polynomial g* [reconstructed]",
    provenance="reconstructed",
    statement="On f* = relu(x^T A x - tr A - 1), d = 16, x on the sphere, with equal total training samples (2n: "
              "Algorithm 1 uses n per stage, random-features ridge fits on all 2n, the two-layer one-step network "
              "steps on n and fits its ridge on n), Algorithm 1 reaches a lower normalised test MSE than both "
              "baselines by more than the test-set noise: measured = MSE_3L / min(MSE of the baselines) <= 0.873 "
              "(1 minus 3 standard errors of the ratio; 0.955 at paper scale, 2^15 test points).",
    tolerance_note="threshold 1 − 3·√2·1.92/√n_test (at_most, tolerance 0): 0.873 on test sets of 4096 points (s.e. of "
                   "each normalised MSE < 3% relative, of the ratio < 4.3%), 0.955 on 2^15; a tie (ratio 1) fails. "
                   "Validation grids are comparable: 4 stage-1 slopes × 11 λ (three-layer), 4 "
                   "step sizes η × 25 λ (two-layer, DLS22 normalised step), 11 λ (random features).",
    predict=predict_three_layer_beats_two_layer,
    quantity="ratio of normalised test MSEs (test MSE / Var f*): Algorithm 1 over the better of the two baselines "
             "(dimensionless; < 1 means the three-layer network wins)",
)
def three_layer_beats_two_layer(ctx: RunContext) -> Outcome:
    st = ctx.setting
    d, n = st.beat_d, st.beat_n
    target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
    r = run_layerwise(target, ctx.rng("3l"), n=n, m1=st.beat_m1, m2=st.quad_m2_per_d2 * d * d, sigma2=CENTRED_ABS,
                      n_val=st.beat_n_val, n_test=st.beat_n_test, slopes=st.stage1_slopes,
                      dtype=ctx.dtype)
    base = _baselines(ctx, target, n, "base")
    best = min(base["random_features_ridge"], base["two_layer_one_step"])
    spec = kernel_spectrum(CENTRED_ABS, d, max_degree=4)
    X, y = target.sample(ctx.rng("mc"), st.beat_mc_n, dtype=ctx.dtype)
    E = kernel_energies(spec, X, y)
    floor = max(1.0 - (E["energies"][1] + E["energies"][2]) / E["var_f"], 0.0)
    return predict_three_layer_beats_two_layer(st).outcome(
        r.test_nmse / best,
        details={"d": d, "n": n, "three_layer_nmse": r.test_nmse, "corr": r.corr, **base,
                 "degree_above_2_fraction": floor,
                 "note": "degree_above_2_fraction = share of Var f* outside harmonic degrees <= 2, the "
                         "floor of a kernel method that resolves only degree <= 2 (n << d^4) [reconstructed]"})


def predict_radial_depth_separation(setting) -> Prediction:
    """The bias-free ReLU random-features floor 1 − corr(f*, ‖x‖)² ([reconstructed]) is the threshold; the run
    estimates it by Monte Carlo (``radial_floor_n`` samples), so the threshold is left to the run.
    ``details["floor_quadrature"]`` is the same floor by quadrature over ‖x‖² ~ χ²_d
    (:func:`radial_relu_rf_floor`), from the setting alone."""
    st = _setting(setting)
    return Prediction(
        predicted=None, comparison="at_most", tolerance=0.0,
        formula=f"test MSE_3L / Var f* ≤ {floor_fraction(st.radial_n_test):.3f}·(1 − corr(f*, ‖x‖)²), f* = g*((‖x‖² − d)/√d): bias-free ReLU features span "
                "only c·‖x‖ among radial functions (depth separation, abstract; candidate construction "
                "docs/papers/ndl23.md §7 (a), reconstructed)",
        tolerance_rule=f"threshold {floor_fraction(st.radial_n_test):.3f} = 1 − 3·1.92/√radial_n_test times the floor "
                       "(at_most, tolerance 0): the floor holds for every width "
                       "and sample size of the bias-free ReLU random-features class (its Monte-Carlo estimate from "
                       "radial_floor_n samples has s.e. < 0.005 at 2^16); the three-layer MSE on radial_n_test "
                       "points has relative s.e. <= 1.92/√n_test (3 % at 4096), so it must be 3 of them below the "
                       "floor: reaching the floor (the null) fails.",
        needs_run="threshold and null: the Monte-Carlo floor 1 − corr(f*, ‖x‖)² from radial_floor_n samples of the run",
        details={"floor_quadrature": radial_relu_rf_floor(SHIFTED_RELU, st.radial_d), "d": st.radial_d})


@claim(
    id=f"{KEY}.radial-depth-separation",
    paper=KEY,
    kind="bound",
    where="depth separation (abstract [stated]); the radial construction is a candidate only (docs/papers/ndl23.md §7 (a), [reconstructed], "
          "the paper's function is [not found])",
    provenance="reconstructed",
    statement="For a radial target g*(h), h = (‖x‖² - d)/sqrt(d), x ~ N(0, I_d), d = 32, g* = relu(z - 1), "
              "Algorithm 1 (ReLU sigma2, m2 = 1024) at n = 2^14 per stage beats the best function a bias-free "
              "ReLU random-features model relu(v·x) on raw x can represent: bias-free ReLU features are positively "
              "homogeneous, so their span restricted to radial functions is {c·‖x‖}, giving the floor "
              "1 - corr(f*, ‖x‖)² for any width and n [reconstructed]. Measured: its normalised test MSE, required "
              "to be at most 0.91 × that floor (3 test-set standard errors below it; 0.968 at paper scale). (With "
              "biases relu(v·x + b) "
              "the floor does not hold.)",
    tolerance_note="threshold (1 − 3·1.92/√n_test) × the floor (at_most, tolerance 0; 0.91 at 4096 test points, 0.968 at "
                   "2^15): the floor holds for every width and sample size "
                   "of the bias-free ReLU random-features class (up to its Monte-Carlo estimate from 2^16 samples, "
                   "s.e. < 0.005); the three-layer MSE on n_test points has relative s.e. <= 1.92/√n_test, so the "
                   "margin makes reaching the floor (the null) fail; "
                   "the measured random-features MSE (RandomFeaturesRidge: bias-free features plus a constant "
                   "offset) is reported beside it.",
    predict=predict_radial_depth_separation,
    quantity="normalised test MSE (test MSE / Var f*) of Algorithm 1 on the radial target (dimensionless)",
)
def radial_depth_separation(ctx: RunContext) -> Outcome:
    # n chosen from the kernel prediction: corr(φ̂, h*) ≈ 0.82 at n = 2^11 (a first quick run there gave
    # nmse 0.61 > floor 0.53: the feature was not yet learned) and ≈ 0.92 at n = 2^14 (details report it)
    st = ctx.setting
    d, n, m2 = st.radial_d, st.radial_n, st.radial_m2
    xp = ctx.xp
    target = QuadraticFeature.radial(d, SHIFTED_RELU, xp=xp)
    spec = kernel_spectrum("relu", d, input="gaussian", max_degree=4)
    Xm, ym = target.sample(ctx.rng("mc"), st.radial_mc_n, dtype=ctx.dtype)
    E = kernel_energies(spec, Xm, ym, target.feature(Xm))
    corr_pred = predicted_feature_correlation(spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, m2)
    r = run_layerwise(target, ctx.rng("3l"), n=n, m1=st.radial_m1, m2=m2,
                      n_val=st.radial_n_val, n_test=st.radial_n_test, dtype=ctx.dtype)
    X, y = target.sample(ctx.rng("floor"), st.radial_floor_n, dtype=ctx.dtype)
    rad = xp.linalg.vector_norm(X, axis=1)
    yc, rc = y - xp.mean(y), rad - xp.mean(rad)
    c = to_scalar(xp.sum(yc * rc)) / math.sqrt(to_scalar(xp.sum(yc * yc)) * to_scalar(xp.sum(rc * rc)))
    floor = 1.0 - c * c
    tr = target.sample(ctx.rng("rf", "D2"), n, dtype=ctx.dtype)
    va = target.sample(ctx.rng("rf", "val"), st.radial_n_val, dtype=ctx.dtype)
    Xt, _ = target.sample(ctx.rng("rf", "test"), st.radial_n_test, dtype=ctx.dtype)
    ft = target(Xt)
    rf = RandomFeaturesRidge(st.radial_rf_width).fit_validated(ctx.rng("rf", "init"), tr, va)  # floor: width-free
    rf_nmse = rf.mse((Xt, ft)) / to_scalar(xp.var(ft))
    return predict_radial_depth_separation(st).outcome(
        r.test_nmse, predicted=floor_fraction(st.radial_n_test) * floor, null=floor,
        null_theory="no depth separation: Algorithm 1 does no better than the bias-free ReLU random-features floor",
        details={"d": d, "n": n, "three_layer_nmse": r.test_nmse, "corr": r.corr,
                 "random_features_nmse": rf_nmse, "relu_rf_floor": floor,
                 "corr_predicted": corr_pred, "m2": m2})


# -- the ndl23-quadratic sweep: loss against correlation at several d ------------------------------------------
def _sweep_runs(setting: Setting) -> int:
    """Runs per d of ndl23-quadratic (n values × sweep seeds)."""
    return len(setting.sweep_ns) * setting.sweep_seeds


def predict_quadratic_sweep_loss_vs_correlation(setting) -> Prediction:
    """The mean over d of the within-d Spearman ρ between corr(φ̂, h*) and test MSE / Var f* over the runs of
    ``ndl23-quadratic`` is at most the random-ordering 0.1 % quantile of that mean (NDL23 §5, [stated] second-hand
    quote; the threshold is our design)."""
    st = _setting(setting)
    runs, strata = _sweep_runs(st), len(st.sweep_ds)
    thr = spearman_null_threshold(runs, strata=strata)
    return Prediction(
        predicted=thr, comparison="at_most", tolerance=0.0, null=0.0, null_theory=_RANK_NULL_THEORY,
        formula="mean_d ρ_Spearman(corr(φ̂, h*), test MSE/Var f*) over the runs at d < 0 (NDL23 §5: 'the test "
                "loss goes to 0 as the linear correlation ... approaches 1'; docs/papers/ndl23.md §2.3, stated); bound "
                f"<= the 0.1 % null quantile for {strata} d × {runs} runs = {thr:.3f} (docs/papers/ndl23.md §12.1, our "
                "design)",
        tolerance_rule=_RANK_RULE + " Within d, not pooled: the loss at a given corr differs between d (stage 2 "
                                    "depends on d), which pooling would count against the claim; at d = 8 corr "
                                    "reaches its finite-width ceiling by n = 2^10 while stage 2 still lowers the "
                                    "loss, so its ρ is the weaker (−0.67 to −0.96 over check seeds 0–11); the mean "
                                    "over d is compared. Measured over check seeds 0–11 (quick): −0.82 to −0.97 "
                                    "(mean −0.91).",
        details={"d": [int(d) for d in st.sweep_ds], "n": [int(n) for n in st.sweep_ns], "runs_per_d": runs,
                 "alpha": RANK_NULL_ALPHA})


@claim(
    id=f"{KEY}.quadratic-sweep-loss-vs-correlation",
    paper=KEY,
    kind="bound",
    where="§5 experiments (quoted sentence: 'the test loss goes to 0 as the linear correlation ... approaches 1'); "
          "docs/papers/ndl23.md §2.3",
    provenance="stated",
    statement="In the ndl23-quadratic sweep (d = 8 and 16; at each d, 12 runs of Algorithm 1: n from 2^8 to 2^14 "
              "× 3 seeds), a run with a higher corr(φ̂, h*) has a lower test loss (normalised by Var f*): the "
              "Spearman rank correlation between the two over the runs at one d, averaged over d, is at most "
              "-0.659, the value a random ordering reaches with probability at most 1e-3 (paper scale: 4 d × 15 "
              "runs, threshold -0.413).",
    tolerance_note=_RANK_RULE,
    experiment=f"{KEY}-quadratic",
    predict=predict_quadratic_sweep_loss_vs_correlation,
    quantity="mean over d of the Spearman rank correlation between corr(φ̂, h*) and test MSE / Var f* over the "
             "individual runs at that d (in [−1, 1])",
)
def quadratic_sweep_loss_vs_correlation(ctx: RunContext, records: list[dict]) -> Outcome:
    corr = group_by(records, x="n", y="corr", hue="d")
    loss = group_by(records, x="n", y="test_nmse", hue="d")
    by_d = {}
    for d in corr:
        ns = [n for n in corr[d] if n in loss.get(d, {})]
        if len(ns) >= 3:
            by_d[d] = spearman([median(corr[d][n]) for n in ns], [median(loss[d][n]) for n in ns])
    runs = {d: _runs_spearman([r for r in records if float(r["d"]) == float(d)]) for d in corr}
    if not runs:
        raise ValueError("records: the ndl23-quadratic sweep has no ok record")
    rho = statistics.fmean(v[0] for v in runs.values())  # NaN if some d has fewer than 4 runs: fails
    return predict_quadratic_sweep_loss_vs_correlation(ctx.setting).outcome(
        rho, details={"spearman_runs_by_d": {d: v[0] for d, v in runs.items()},
                      "runs_by_d": {d: v[1] for d, v in runs.items()}, "spearman_of_medians_by_d": by_d})
