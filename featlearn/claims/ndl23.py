"""Claims of Nichani–Damian–Lee 2023 (NDL23, arXiv 2305.06986): three-layer layer-wise training.

The paper's Sections 2–5 could not be read (research notes ``shared/research/ndl23_three_layer.md``
§0), so almost every quantitative prediction below is **reconstructed**: the kernel spectrum,
the finite-(n, m2) learned-feature correlation and the exponents come from our derivations in
:mod:`featlearn.theory.kernels` / :mod:`featlearn.theory.sample_complexity` ([I]); the only
statement read verbatim is qualitative (test loss → 0 as corr(φ, h*) → 1, notes §2.3 [V]).

Quick scale (NumPy float64, 2 CPU cores): all claims together in well under 45 s; paper scale
uses larger d, n, m2 and more seeds. Expensive sweeps are shared between claims through a
small in-process cache keyed by (backend, scale, seed).
"""

from __future__ import annotations

import math
import statistics
from functools import lru_cache

from featlearn.backends import to_scalar
from featlearn.claims._registry import ClaimContext, Outcome, claim
from featlearn.models.baselines import RandomFeaturesRidge
from featlearn.models.three_layer import feature_learning_curve, run_layerwise
from featlearn.theory.activations import Activation, as_activation
from featlearn.theory.kernels import CENTRED_ABS, kernel_energies, kernel_spectrum
from featlearn.theory.sample_complexity import (
    asymptotic_exponents,
    fitted_exponent,
    kernel_method_exponent,
    predicted_feature_correlation,
    quadratic_feature_prediction,
    single_index_prediction,
)
from featlearn.theory.targets import QuadraticFeature, SingleIndex


def _shifted_relu(z):
    return as_activation("relu")(z - 1.0)


#: g*(z) = relu(z − 1): 1-Lipschitz, non-polynomial, with E g*′ ≠ 0 (so K f* sees h*) but only
#: ~1/3 of its variance in the direction of h* — a link for which learning the feature *and*
#: the nonlinearity matters (our choice; the paper's g* is [NF]).
SHIFTED_RELU = Activation("relu_shift1", _shifted_relu, lambda z: as_activation("relu").grad(z - 1.0))

#: Learned-feature correlation at which the "sample complexity" n*(d) is read off (a level
#: in the steep part of the curve, below the finite-width ceiling ≈ 0.93 of the m2 ∝ d² used).
TARGET_CORR = 0.8


def _key(ctx: ClaimContext):
    return (ctx.backend, ctx.scale, ctx.seed, str(ctx.device))


def _crossing(ns, corrs, level):
    """log-linear interpolation of the first n where corr reaches ``level`` (inf if never)."""
    for i in range(1, len(ns)):
        if corrs[i - 1] < level <= corrs[i]:
            a, b = math.log(ns[i - 1]), math.log(ns[i])
            w = (level - corrs[i - 1]) / (corrs[i] - corrs[i - 1])
            return math.exp(a + w * (b - a))
    return ns[0] if corrs and corrs[0] >= level else math.inf


# -- 0. kernel spectrum vs Monte Carlo ----------------------------------------------------------------------
@claim(
    id="ndl23.kernel-degree2-eigenvalue",
    paper="ndl23",
    where="§2.2 kernel K(x,x') = E_v[σ2(v·x)σ2(v·x')] and its operator (notes §5, [R]); spectrum by Funk–Hecke "
          "([I], featlearn.theory.kernels)",
    provenance="reconstructed",
    statement="On the sphere of radius sqrt(d), a degree-2 harmonic h = x^T A x (tr A = 0) is an eigenfunction "
              "of K with eigenvalue lambda_2 = (E_t[sigma2(sqrt(d) t) P_2(t)])^2; checked for ReLU, d = 16 "
              "against the Monte-Carlo <h, K_hat h>/<h, h> of m2 random features.",
    tolerance_note="5 standard errors of the Monte-Carlo estimate; the s.e. comes from the spread of 8 "
                   "independent group estimates (each with its own x sample and v's), so it includes the "
                   "x-sampling noise that is shared by all v's of a group.",
)
def _kernel_eigenvalue(ctx: ClaimContext) -> Outcome:
    d = 16
    spec = kernel_spectrum("relu", d, input="sphere", max_degree=4)
    xp = ctx.xp
    target = QuadraticFeature.random(ctx.rng("A"), d, "identity")  # trace-free A: pure degree 2 on the sphere
    n, groups, per = ctx.pick(2**13, 2**15), ctx.pick(8, 16), ctx.pick(512, 1024)
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
    return Outcome(predicted=spec.eigenvalues[2], measured=measured, tolerance=5.0 * se, comparison="abs",
                   details={"d": d, "n": n, "m2": m2, "standard_error": se, "eigenvalues": spec.eigenvalues,
                            "multiplicities": spec.multiplicities, "trace": spec.trace})


# -- shared sweep: the quadratic-feature setting at one d ----------------------------------------------------
@lru_cache(maxsize=4)
def _quadratic_sweep(key, ctx_holder):
    ctx = ctx_holder.ctx
    d = 16
    m2, m1 = 8 * d * d, ctx.pick(128, 512)
    seeds = ctx.pick(3, 5)
    ns_corr = [2**k for k in range(7, ctx.pick(15, 18))]
    ns_loss = [2**k for k in (7, 9, 11, 13)] if ctx.scale == "quick" else [2**k for k in range(8, 18, 2)]
    target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
    spec = kernel_spectrum(CENTRED_ABS, d, input="sphere", max_degree=6)
    X, y = target.sample(ctx.rng("mc", d), ctx.pick(2048, 8192), dtype=ctx.dtype)
    E = kernel_energies(spec, X, y, target.feature(X))
    corr = {n: [] for n in ns_corr}
    for s in range(seeds):
        ctx.progress(f"ndl23 learning curve: d={d} seed={s}")
        cs = feature_learning_curve(target, ctx.rng("corr", s), ns_corr, m2=m2, sigma2=CENTRED_ABS,
                                    n_test=ctx.pick(4096, 2**15), dtype=ctx.dtype)
        for n, c in zip(ns_corr, cs):
            corr[n].append(c)
    loss = {n: [] for n in ns_loss}
    lcorr = {n: [] for n in ns_loss}
    for s in range(ctx.pick(2, 5)):
        for n in ns_loss:
            ctx.progress(f"ndl23 loss sweep: d={d} n={n} seed={s}")
            r = run_layerwise(target, ctx.rng("loss", s, n), n=n, m1=m1, m2=m2, sigma2=CENTRED_ABS,
                              n_val=ctx.pick(2048, 2**15), n_test=ctx.pick(2048, 2**15),
                              slopes=(0.5, 1.0, 2.0, 4.0), dtype=ctx.dtype)
            loss[n].append(r.test_nmse)
            lcorr[n].append(r.corr)
    return {"d": d, "m2": m2, "m1": m1, "spec": spec, "E": E, "target": target,
            "corr": {n: statistics.median(v) for n, v in corr.items()},
            "corr_band": {n: (min(v), max(v)) for n, v in corr.items()},
            "loss": {n: statistics.median(v) for n, v in loss.items()},
            "loss_corr": {n: statistics.median(v) for n, v in lcorr.items()}}


class _Holder:
    """Carries the context into the cached sweep without making it part of the cache key."""

    def __init__(self, ctx):
        self.ctx = ctx

    def __hash__(self):
        return 0

    def __eq__(self, other):
        return isinstance(other, _Holder)


@claim(
    id="ndl23.feature-correlation-curve",
    paper="ndl23",
    where="§4 quadratic-feature setting, Algorithm 1 stage 1 (learned feature φ); notes §4.3, §6.2 [I]",
    provenance="reconstructed",
    statement="corr(φ_hat, h*) of the learned feature grows toward 1 with n and follows the kernel prediction "
              "cross/(‖h*‖ sqrt(E‖Qφ_hat‖²)) of featlearn.theory.sample_complexity.predicted_feature_correlation "
              "(d = 16, sigma2 = |z| - E|z|, m2 = 8 d², g* = relu(z - 1)); measured = max over the n grid of "
              "|median corr - prediction|.",
    tolerance_note="0.05: the prediction is a ratio of expectations (Jensen bias O(1/n), largest at the smallest "
                   "n), its kernel energies are a U-statistic from 2048 samples (s.e. ~0.01 in corr), the test-set "
                   "Pearson correlation has s.e. ~0.01 at 4096 points, and the median of 3 seeds moves by ~0.02 "
                   "at small n. Fixed before the first run.",
)
def _feature_corr_curve(ctx: ClaimContext) -> Outcome:
    sw = _quadratic_sweep(_key(ctx), _Holder(ctx))
    E, spec = sw["E"], sw["spec"]
    pred = {n: predicted_feature_correlation(spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, sw["m2"])
            for n in sw["corr"]}
    dev = {n: abs(sw["corr"][n] - pred[n]) for n in pred}
    ns = sorted(sw["corr"])
    increasing = all(sw["corr"][b] >= sw["corr"][a] - 0.01 for a, b in zip(ns, ns[1:]))
    return Outcome(predicted=0.0, measured=max(dev.values()), tolerance=0.05, comparison="abs",
                   details={"d": sw["d"], "m2": sw["m2"], "n": ns, "measured_median": [sw["corr"][n] for n in ns],
                            "band": [sw["corr_band"][n] for n in ns], "predicted": [pred[n] for n in ns],
                            "monotone_within_0.01": increasing, "energies": E["energies"]})


@claim(
    id="ndl23.loss-falls-as-correlation-rises",
    paper="ndl23",
    where="§5 experiments: 'the test loss goes to 0 as the linear correlation between the learned feature map φ "
          "and the true intermediate feature h* approaches 1' (notes §2.3, [V] second-hand quote)",
    provenance="stated",
    statement="Across n, the median test loss (normalised by Var f*) of Algorithm 1 with η1 and λ chosen on "
              "validation decreases as the median corr(φ_hat, h*) increases: Spearman rank correlation between "
              "loss and correlation is -1 (quadratic-feature setting, d = 16).",
    tolerance_note="0.2 on the rank correlation (at_most -1 + 0.2): with 4-5 n values one adjacent swap of two "
                   "nearly equal medians (median of 2 seeds at quick scale) gives -0.8; a systematic failure gives "
                   ">= 0.",
)
def _loss_vs_corr(ctx: ClaimContext) -> Outcome:
    sw = _quadratic_sweep(_key(ctx), _Holder(ctx))
    ns = sorted(sw["loss"])
    c = [sw["loss_corr"][n] for n in ns]
    l = [sw["loss"][n] for n in ns]

    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0] * len(v)
        for k, i in enumerate(order):
            r[i] = k
        return r

    rc, rl = ranks(c), ranks(l)
    m = len(ns)
    rho = 1.0 - 6.0 * sum((a - b) ** 2 for a, b in zip(rc, rl)) / (m * (m * m - 1))
    return Outcome(predicted=-1.0, measured=rho, tolerance=0.2, comparison="at_most",
                   details={"n": ns, "median_corr": c, "median_test_nmse": l, "d": sw["d"], "m1": sw["m1"],
                            "m2": sw["m2"]})


# -- sample-complexity exponents -------------------------------------------------------------------------------
@claim(
    id="ndl23.quadratic-sample-exponent",
    paper="ndl23",
    where="Theorem 1 / quadratic-feature corollary (notes §6.2, §6.4): v1 n ≳ ‖Kf*‖⁻² ~ d⁴ [V form, S]; "
          "v3 reading n ≳ ‖K‖_op‖Kf*‖⁻² ~ d² for σ2 with μ1 = 0 [I]",
    provenance="reconstructed",
    statement="The smallest n at which the median corr(φ_hat, h*) reaches 0.8 grows like d^p with p the slope of "
              "the kernel prediction at the same d and m2 = 8 d² (≈ 2, the v3-reconstructed exponent; v1 gives 4). "
              "sigma2 = |z| - E|z|, g* = relu(z - 1), x uniform on the sphere of radius sqrt(d).",
    tolerance_note="0.5 on the slope: each n*(d) is read off a factor-sqrt(2) n grid by log interpolation from a "
                   "median of 3 seeds, an error of ~±20% in n* (0.18 in log) at each end of a d range spanning "
                   "a factor 4 (log 1.39) moves the slope by up to ~0.26; the prediction itself neglects "
                   "the off-h* part of degree 2 (O(‖A‖_op) = O(d^-1/2)), which varies with d. 0.5 still separates "
                   "2 from the v1 value 4 and from 3 only weakly (honest: quick scale cannot exclude 2.5).",
)
def _quadratic_exponent(ctx: ClaimContext) -> Outcome:
    ds = ctx.pick((8, 16, 32), (8, 16, 32, 48))
    seeds = ctx.pick(3, 5)
    meas, pred = [], []
    curves = {}
    for d in ds:
        m2 = 8 * d * d
        target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
        p = quadratic_feature_prediction(CENTRED_ABS, SHIFTED_RELU, d)
        nstar_pred = p.threshold_n(TARGET_CORR, m2)
        lo = max(4.0, nstar_pred / 8)
        ns = sorted({int(round(lo * 2 ** (k / 2))) for k in range(0, 11)})
        ctx.progress(f"ndl23 exponent: d={d}")
        runs = [feature_learning_curve(target, ctx.rng("exp", d, s), ns, m2=m2, sigma2=CENTRED_ABS,
                                       n_test=ctx.pick(2048, 8192), dtype=ctx.dtype) for s in range(seeds)]
        med = [statistics.median(v) for v in zip(*runs)]
        curves[d] = (ns, med)
        meas.append(_crossing(ns, med, TARGET_CORR))
        pred.append(nstar_pred)
    p_pred = fitted_exponent(ds, pred)
    finite = all(math.isfinite(v) for v in meas)
    p_meas = fitted_exponent(ds, meas) if finite else math.nan
    return Outcome(predicted=p_pred, measured=p_meas, tolerance=0.5, comparison="abs",
                   details={"d": list(ds), "n_star_measured": meas, "n_star_predicted": pred,
                            "asymptotic": asymptotic_exponents(CENTRED_ABS, 2),
                            "asymptotic_relu_sigma2": asymptotic_exponents("relu", 2),
                            "kernel_methods": kernel_method_exponent(None),
                            "curves": {str(d): c for d, c in curves.items()}})


@claim(
    id="ndl23.single-index-sample-exponent",
    paper="ndl23",
    where="single-index corollary (notes §6.3): Θ~(d) [S, v3 TL;DR]; v1 form gives d² [I]",
    provenance="reconstructed",
    statement="For f* = g*(β·x) with g* = relu(z - 1), x ~ N(0, I_d), sigma2 = ReLU, "
              "m2 = 32 d, the smallest n with median corr(φ_hat, β·x) >= 0.8 grows like d^p with p the slope of "
              "the kernel prediction (≈ 1, 'n of order d'; v1 form: 2).",
    tolerance_note="0.35 on the slope over d in {16, 32, 64} (log range 1.39): ±20% error in each n* from the "
                   "sqrt(2) grid and 3-seed median gives ~0.26; the Gaussian-input prediction approximates "
                   "E[y²‖QK(x,·)‖²] by Var(y)·S (notes in sample_complexity).",
)
def _single_index_exponent(ctx: ClaimContext) -> Outcome:
    ds = ctx.pick((16, 32, 64), (16, 32, 64, 128))
    seeds = ctx.pick(3, 5)
    meas, pred = [], []
    for d in ds:
        m2 = 32 * d
        target = SingleIndex.random(ctx.rng("beta", d), d, SHIFTED_RELU)
        p = single_index_prediction("relu", SHIFTED_RELU, d)
        nstar = p.threshold_n(TARGET_CORR, m2)
        lo = max(4.0, nstar / 8)
        ns = sorted({int(round(lo * 2 ** (k / 2))) for k in range(0, 11)})
        runs = [feature_learning_curve(target, ctx.rng("si", d, s), ns, m2=m2, n_test=ctx.pick(2048, 8192),
                                       dtype=ctx.dtype) for s in range(seeds)]
        med = [statistics.median(v) for v in zip(*runs)]
        meas.append(_crossing(ns, med, TARGET_CORR))
        pred.append(nstar)
    p_pred = fitted_exponent(ds, pred)
    p_meas = fitted_exponent(ds, meas) if all(math.isfinite(v) for v in meas) else math.nan
    return Outcome(predicted=p_pred, measured=p_meas, tolerance=0.35, comparison="abs",
                   details={"d": list(ds), "n_star_measured": meas, "n_star_predicted": pred,
                            "asymptotic": asymptotic_exponents("relu", 1)})


# -- three-layer vs two-layer baselines ------------------------------------------------------------------------
def _baselines(ctx, target, n, d, key):
    """Normalised test MSE of random-features ridge and (if available) the two-layer one-step network."""
    xp = ctx.xp
    tr = target.sample(ctx.rng(key, "D2"), n, dtype=ctx.dtype)
    va = target.sample(ctx.rng(key, "val"), ctx.pick(2048, 2**15), dtype=ctx.dtype)
    Xt, _ = target.sample(ctx.rng(key, "test"), ctx.pick(4096, 2**15), dtype=ctx.dtype)
    ft = target(Xt)
    var = to_scalar(xp.var(ft))
    out = {}
    rf = RandomFeaturesRidge(ctx.pick(1024, 4096)).fit(ctx.rng(key, "rf"), tr, va)
    out["random_features_ridge"] = rf.mse((Xt, ft)) / var
    try:
        from featlearn.models.one_step import OneStepNetwork
    except ImportError:  # the two-layer baseline is another module; report its absence
        out["two_layer_one_step"] = None
    else:
        step = target.sample(ctx.rng(key, "D1"), n, dtype=ctx.dtype)
        net = OneStepNetwork(ctx.pick(256, 2048), parametrization="dls22").fit(step, tr, va, rng=ctx.rng(key, "2l"))
        r = net.predict(Xt) - ft
        out["two_layer_one_step"] = to_scalar(xp.mean(r * r)) / var
    return out


@claim(
    id="ndl23.three-layer-beats-two-layer",
    paper="ndl23",
    where="abstract / §4 quadratic features: improvement 'over all existing guarantees for two-layer networks' "
          "[V]; kernel methods need ≈ d^{2q} samples, superpolynomially many for non-polynomial g* [S/I]",
    provenance="reconstructed",
    statement="On f* = relu(x^T A x - tr A - 1), d = 16, x on the sphere, at equal n per stage, Algorithm 1 "
              "reaches a lower normalised test MSE than random-features ridge on raw x and than the two-layer "
              "one-step network (DLS22 parametrisation): measured = MSE_3L / min(MSE of the baselines).",
    tolerance_note="0 (at_most 1): a plain comparison on shared test data; the baselines' validation grids are as "
                   "wide as the three-layer one (11 ridge λ; the two-layer baseline uses its reference step).",
)
def _beats_two_layer(ctx: ClaimContext) -> Outcome:
    d, n = 16, ctx.pick(2**13, 2**16)
    target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
    r = run_layerwise(target, ctx.rng("3l"), n=n, m1=ctx.pick(256, 1024), m2=8 * d * d, sigma2=CENTRED_ABS,
                      n_val=ctx.pick(2048, 2**15), n_test=ctx.pick(4096, 2**15), dtype=ctx.dtype)
    base = _baselines(ctx, target, n, d, "base")
    best = min(v for v in base.values() if v is not None)
    spec = kernel_spectrum(CENTRED_ABS, d, max_degree=4)
    X, y = target.sample(ctx.rng("mc"), 2048, dtype=ctx.dtype)
    E = kernel_energies(spec, X, y)
    floor = max(1.0 - (E["energies"][1] + E["energies"][2]) / E["var_f"], 0.0)
    return Outcome(predicted=1.0, measured=r.test_nmse / best, tolerance=0.0, comparison="at_most",
                   details={"d": d, "n": n, "three_layer_nmse": r.test_nmse, "corr": r.corr, **base,
                            "degree_above_2_fraction": floor,
                            "note": "degree_above_2_fraction = share of Var f* outside harmonic degrees <= 2, the "
                                    "floor of a kernel method that resolves only degree <= 2 (n << d^4) [I]"})


@claim(
    id="ndl23.radial-depth-separation",
    paper="ndl23",
    where="depth separation (abstract [V]); the radial construction is a candidate only (notes §7 (a), [R], "
          "the paper's function is [NF])",
    provenance="reconstructed",
    statement="For a radial target g*(h), h = (‖x‖² - d)/sqrt(d), x ~ N(0, I_d), d = 32, g* = relu(z - 1), "
              "Algorithm 1 (ReLU sigma2, m2 = 1024) at n = 2^14 per stage beats the best function a ReLU random-features "
              "model on raw x can represent: ReLU features are positively homogeneous, so their span restricted "
              "to radial functions is {c·‖x‖}, giving the floor 1 - corr(f*, ‖x‖)² for any width and n [I].",
    tolerance_note="0 (at_most the floor): the floor holds for every width and sample size of the ReLU "
                   "random-features class (up to its Monte-Carlo estimate from 2^16 samples, s.e. < 0.005); "
                   "the measured random-features MSE is reported beside it.",
)
def _radial(ctx: ClaimContext) -> Outcome:
    # n chosen from the kernel prediction: corr(φ̂, h*) ≈ 0.82 at n = 2^11 (a first quick run there gave
    # nmse 0.61 > floor 0.53: the feature was not yet learned) and ≈ 0.92 at n = 2^14 (details report it)
    d, n, m2 = 32, ctx.pick(2**14, 2**16), ctx.pick(1024, 4096)
    xp = ctx.xp
    target = QuadraticFeature.radial(d, SHIFTED_RELU, xp=xp)
    spec = kernel_spectrum("relu", d, input="gaussian", max_degree=4)
    Xm, ym = target.sample(ctx.rng("mc"), 2048, dtype=ctx.dtype)
    E = kernel_energies(spec, Xm, ym, target.feature(Xm))
    corr_pred = predicted_feature_correlation(spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, m2)
    r = run_layerwise(target, ctx.rng("3l"), n=n, m1=ctx.pick(256, 1024), m2=m2,
                      n_val=ctx.pick(2048, 2**15), n_test=ctx.pick(4096, 2**15), dtype=ctx.dtype)
    X, y = target.sample(ctx.rng("floor"), 2**16, dtype=ctx.dtype)
    rad = xp.linalg.vector_norm(X, axis=1)
    yc, rc = y - xp.mean(y), rad - xp.mean(rad)
    c = to_scalar(xp.sum(yc * rc)) / math.sqrt(to_scalar(xp.sum(yc * yc)) * to_scalar(xp.sum(rc * rc)))
    floor = 1.0 - c * c
    tr = target.sample(ctx.rng("rf", "D2"), n, dtype=ctx.dtype)
    va = target.sample(ctx.rng("rf", "val"), ctx.pick(2048, 2**15), dtype=ctx.dtype)
    Xt, _ = target.sample(ctx.rng("rf", "test"), ctx.pick(4096, 2**15), dtype=ctx.dtype)
    ft = target(Xt)
    rf = RandomFeaturesRidge(ctx.pick(512, 4096)).fit(ctx.rng("rf", "init"), tr, va)  # floor is width-free
    rf_nmse = rf.mse((Xt, ft)) / to_scalar(xp.var(ft))
    return Outcome(predicted=floor, measured=r.test_nmse, tolerance=0.0, comparison="at_most",
                   details={"d": d, "n": n, "three_layer_nmse": r.test_nmse, "corr": r.corr,
                            "random_features_nmse": rf_nmse, "relu_rf_floor": floor,
                            "corr_predicted": corr_pred, "m2": m2})
