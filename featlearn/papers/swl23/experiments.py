"""SWL23 experiments for ``featlearn reproduce`` and the sweeps its claims read (docs/papers/swl23.md §5.7, §6).

``swl23-xor`` (one cell, sizes from the setting) and ``swl23-parity`` (one cell per parity order k): the two
runs shared by several claims of :mod:`featlearn.papers.swl23.claims` (Algorithm 1, random
features, the lazy regime and lottery tickets on one XOR mixture; empirical and population
gradients of initial neurons on the structured parity). They run through the sweep store like
any experiment, so each is computed once per check, resumes after a kill and runs on Dask; each
record holds the scalar measurements the claims compare.

``swl23-width``: 0-1 test error against the width on the XOR mixture for Algorithm 1, random
features (first layer frozen at initialisation, output layer fitted) and the lazy regime, with
the Bayes error of the mixture drawn on the same axes. Sizes are ours (design).
"""

from __future__ import annotations

import math
from pathlib import Path

from featlearn.backends import to_host, to_scalar
from featlearn.context import RunContext
from featlearn.data import TargetStream
from featlearn.experiments import new_figure, register_experiment, save_figure
from featlearn.stats import fit_loglog_slope, median
from featlearn.theory.targets import GaussianMixture, SparseParity

from .bounds import opt_upper_bound
from .mixtures import XORMixture
from .gradient_features import (direction_cosines, gradient_norm_threshold, hit_probability, mixture_gradient,
                                normal_cdf, signed_hit_excess, simplified_gradient, theorem_3_12_rhs)
from .network import evaluate, fit_output_layer, frozen_biases, init_symmetric, prune, train_algorithm1
from .parity_gradients import (alignment_path, crossing_sample_size, fourier_exponent, hermite_parity_gradient,
                               parity_population_gradient, predicted_crossing)
from .setting import KEY
from .structured_parity import StructuredParity, xor_bayes_error


# -- the claims' shared runs (docs/papers/swl23.md §5.1–§5.3, §5.7, §5.8) ------------------------------------
def xor_cell(params: dict, ctx: RunContext) -> dict:
    """Algorithm 1, random features, the lazy regime and lottery tickets on one XOR mixture (``ctx.setting``).

    Everything from ``ctx.rng("swl23-xor")``. Returns the measurements of the claims
    swl23.first-step-identity, swl23.mixture-gradient-closed-form, swl23.xor-trained-near-bayes,
    swl23.xor-random-features-chance and swl23.lottery-ticket.
    """
    s = ctx.setting
    xp = ctx.xp
    rng = ctx.rng("swl23-xor")
    mix = XORMixture(s.xor_d, s.separation, std=s.std, xp=xp)

    def data(name, n):
        b = TargetStream(mix, n, rng.child(name)).materialise()
        return b.X, b.y

    train, val, test = data("train", s.xor_n), data("val", s.xor_n_val), data("test", s.xor_n_test)
    net0 = init_symmetric(rng.child("init"), s.xor_d, s.xor_width, sigma_b=s.sigma_b, sigma_a=s.sigma_a)
    res = train_algorithm1(net0, train, steps=s.xor_steps, eta1=s.eta1, eta=s.eta, lam=s.lam, val=val, test=test)
    b0 = frozen_biases(net0)
    out = {}
    # first step: W⁽¹⁾ = η⁽¹⁾ a⁽⁰⁾ G_Z(w⁽⁰⁾, b), mirrored neurons along ±G (relative deviations)
    W1 = res.first_step.W
    G = simplified_gradient(net0.W, b0, train)
    w_scale = to_scalar(xp.max(xp.abs(W1)))
    h = net0.width // 2
    out["identity_rel_dev"] = to_scalar(xp.max(xp.abs(W1 - s.eta1 * net0.a[None, :] * G))) / w_scale
    out["pairing_rel_dev"] = to_scalar(xp.max(xp.abs(W1[:, :h] + W1[:, h:]))) / w_scale
    out["eps"] = float(xp.finfo(W1.dtype).eps)
    # empirical G_Z against the closed-form mixture gradient (one neuron per mirrored pair): z-scores
    W, b = net0.W[:, :h], b0[:h]
    est = simplified_gradient(W, b, train, std_error=True)
    Gm = mixture_gradient(W, b, mix)
    # a neuron inactive on every training sample has G_Z = 0 with standard error 0: no z-score exists for it
    # (0/0), so such entries and neurons are left out and counted, never turned into NaN
    seen = est.std_error > 0
    z = xp.where(seen, (est.G - Gm) / xp.where(seen, est.std_error, xp.ones_like(est.std_error)),
                 xp.zeros_like(est.G))
    n_seen = int(to_scalar(xp.sum(xp.astype(seen, xp.int64))))
    # the null of the closed-form claim: the same z-scores against a closed form off by a factor 2
    z2 = xp.where(seen, (est.G - 2.0 * Gm) / xp.where(seen, est.std_error, xp.ones_like(est.std_error)),
                  xp.zeros_like(est.G))
    norms = xp.linalg.vector_norm(est.G, axis=0) * xp.linalg.vector_norm(Gm, axis=0)
    live = norms > 0
    cos = xp.sum(est.G * Gm, axis=0)[live] / norms[live]
    if n_seen == 0 or int(cos.shape[0]) == 0:
        raise ValueError("xor_width: no neuron of the initialisation is active on the training sample; "
                         "increase xor_width or xor_n")
    out.update(z_rms=math.sqrt(to_scalar(xp.sum(z * z)) / n_seen),
               z_rms_null_x2=math.sqrt(to_scalar(xp.sum(z2 * z2)) / n_seen), z_max_abs=to_scalar(xp.max(xp.abs(z))),
               z_entries=n_seen, z_entries_inactive=int(W.shape[0] * W.shape[1]) - n_seen, z_n=int(est.n),
               median_cos_empirical_population=median(to_host(cos)))
    # trained network, random features (first layer frozen) and the lazy regime
    rf, _ = fit_output_layer(net0, train, val)
    lazy0 = init_symmetric(rng.child("init"), s.xor_d, s.xor_width, sigma_b=s.sigma_b, sigma_a=s.lazy_sigma_a)
    lazy = train_algorithm1(lazy0, train, steps=s.xor_steps, eta1=s.eta, eta=s.eta, lam=s.lam, lam1=0.0, val=val,
                            test=test)
    move = xp.linalg.vector_norm(lazy.best.W - lazy0.W) / xp.linalg.vector_norm(lazy0.W)
    out.update(alg1_error=res.metric("test_error"), alg1_last_error=res.metric("test_error", "last"),
               best_step=res.best_step, rf_error=evaluate(rf, test).error, lazy_error=lazy.metric("test_error"),
               lazy_movement=to_scalar(move))
    # lottery tickets: neurons whose initialisation (w_i, b_i) hits a gradient-feature event
    G0 = mixture_gradient(net0.W, b0, mix)
    E = xp.asarray([[1.0 if i == j else 0.0 for j in range(2)] for i in range(s.xor_d)], dtype=net0.dtype)
    hit = xp.logical_and(xp.max(direction_cosines(G0, E), axis=1) > 1.0 - s.xor_gamma, b0 > 0)
    n_keep = int(to_scalar(xp.sum(xp.astype(hit, xp.int64))))
    full, _ = fit_output_layer(res.first_step, train, val)
    ticket, _ = fit_output_layer(prune(res.first_step, hit), train, val)
    u = rng.child("random-prune").uniform(s.xor_width)
    random, _ = fit_output_layer(prune(res.first_step, u <= xp.sort(u)[n_keep - 1]), train, val)
    out.update(full_retrained_error=evaluate(full, test).error, ticket_error=evaluate(ticket, test).error,
               random_prune_error=evaluate(random, test).error, ticket_size=n_keep, n_test=s.xor_n_test)
    # theory beside the measurements (for the figures): the mixture's Bayes error
    out.update(bayes_error=mix.bayes_error(), width=s.xor_width, d=s.xor_d)
    return out


def _bar_panel(ax, records, bars, *, ylabel):
    """Median over seeds as bars, every seed as a dot."""
    xs = list(range(len(bars)))
    for x, (key, label, color) in zip(xs, bars):
        vals = [float(r[key]) for r in records if r.get(key) is not None]
        if not vals:
            continue
        ax.bar(x, median(vals), color=color, alpha=0.6)
        ax.plot([x] * len(vals), vals, "k.", ms=4)
    ax.set_xticks(xs, [label for _, label, _ in bars], rotation=20, ha="right", fontsize=7)
    ax.set_ylabel(ylabel)


def xor_figures(records: list, out_dir: Path) -> list:
    """``swl23-xor``: test 0-1 errors (Algorithm 1, random features, lazy; lottery tickets) against the Bayes
    error of the mixture and chance; the first-step identity and the gradient z-scores against their theory."""
    records = [r for r in records if r.get("status", "ok") == "ok"]
    fig, axes = new_figure(1, 2, figsize=(10, 4.2))
    ax = axes[0]
    _bar_panel(ax, records, (("alg1_error", "Algorithm 1 (best)", "C0"), ("alg1_last_error", "Algorithm 1 (last)", "C0"),
                             ("rf_error", "random features", "C1"), ("lazy_error", "lazy regime", "C2")),
               ylabel="test 0-1 error (probability)")
    bayes = [float(r["bayes_error"]) for r in records if r.get("bayes_error") is not None]
    if bayes:
        ax.axhline(bayes[0], color="k", ls="--", label=f"Bayes error (theory) {bayes[0]:.4f}")
        ax.axhline(bayes[0] + 0.02, color="k", ls=":", lw=1, label="Bayes + tolerance 0.02 (claim)")
    ax.axhline(0.5, color="gray", ls="-.", label="chance 1/2")
    ax.set_ylim(0, 0.6)
    ax.legend(fontsize=7)
    ax.set_title("learned vs fixed features (dots: seeds; bars: median)", fontsize=9)
    ax = axes[1]
    _bar_panel(ax, records, (("full_retrained_error", "all neurons, output refitted", "C0"),
                             ("ticket_error", "gradient-feature ticket", "C3"),
                             ("random_prune_error", "random pruning, same size", "C7")),
               ylabel="test 0-1 error (probability)")
    if bayes:
        ax.axhline(bayes[0], color="k", ls="--", label="Bayes error (theory)")
        ax.legend(fontsize=7)
    sizes = sorted({int(r["ticket_size"]) for r in records if r.get("ticket_size") is not None})
    ax.set_title(f"lottery tickets after step 1 (ticket sizes {sizes})", fontsize=9)
    r0 = records[0] if records else {}
    fig.suptitle(f"swl23-xor: XOR-like Gaussian mixture (d = {r0.get('d', '?')}, width {r0.get('width', '?')})",
                 fontsize=10)
    paths = [save_figure(fig, Path(out_dir) / "swl23_xor_errors.png")]

    fig, axes = new_figure(1, 2, figsize=(9, 3.6))
    ax = axes[0]
    dev = [max(float(r["identity_rel_dev"]), float(r["pairing_rel_dev"])) for r in records]
    eps = [float(r["eps"]) for r in records]
    ax.plot(range(len(dev)), dev, "o", color="C0", label="measured relative deviation")
    if eps:
        ax.axhline(1e3 * eps[0], color="k", ls="--", label="tolerance 1e3·eps (theory: exactly 0)")
    ax.set_yscale("log")
    ax.set_xlabel("seed (record)")
    ax.set_ylabel("max |W⁽¹⁾ − η⁽¹⁾a⁽⁰⁾G_Z| / max |W⁽¹⁾|")
    ax.set_title("first-step identity of Algorithm 1", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[1]
    z = [float(r["z_rms"]) for r in records]
    ax.plot(range(len(z)), z, "o", color="C1", label="RMS z-score of G_Z vs closed form")
    ax.axhline(1.0, color="k", ls="--", label="theory: 1")
    ax.axhspan(0.9, 1.1, color="k", alpha=0.1, label="accepted ±0.1")
    ax.set_ylim(0, max(2.0, max(z, default=1.0) * 1.1))
    ax.set_xlabel("seed (record)")
    ax.set_ylabel("RMS z-score (dimensionless)")
    ax.set_title("empirical vs closed-form mixture gradient", fontsize=9)
    ax.legend(fontsize=7)
    fig.suptitle("swl23-xor: the first step and the simplified gradient against theory", fontsize=10)
    paths.append(save_figure(fig, Path(out_dir) / "swl23_xor_first_step.png"))
    return paths


register_experiment(
    f"{KEY}-xor", xor_cell,
    grid=lambda s: [{}], seeds=[0],
    description="One XOR-like Gaussian mixture (Setting.xor_*; quick: d = 128, width 256, n = 8000): Algorithm 1 (first-step identity, test error), "
                "the empirical gradient against the closed-form mixture gradient, random features and the lazy "
                "regime, and lottery tickets (neurons whose initialisation hits a gradient-feature event); the "
                "claims swl23.first-step-identity, swl23.mixture-gradient-closed-form, swl23.xor-*, "
                "swl23.lottery-ticket read it (reconstructed, docs/papers/swl23.md §5.1, §5.2, §5.7, §5.8).",
    paper=KEY, figures=xor_figures)


def parity_cell(params: dict, ctx: RunContext) -> dict:
    """Gradients of initial neurons and the first-order label signal on the structured parity of order ``k``.

    Everything from ``ctx.rng("swl23-parity", k)``: the hit fraction of the block
    direction's cone for the empirical gradient G_Z (n samples) and for the population gradient
    (n_pop samples), the signed excess (one-sided cone of +D minus that of −D, :func:`signed_hit_excess`),
    and the mean of y⟨D, x⟩ over the n_pop population draws with its standard error.
    """
    s, k = ctx.setting, int(params["k"])
    xp = ctx.xp
    rng = ctx.rng("swl23-parity", k)
    target = StructuredParity(s.parity_d, k, p_A=s.parity_p_A, p_o=s.parity_p_o)
    net0 = init_symmetric(rng.child("init"), s.parity_d, 2 * s.parity_width)
    W = net0.W[:, :s.parity_width]  # one neuron per mirrored pair: i.i.d. draws of the initialisation law
    b = frozen_biases(net0)[:s.parity_width]
    GZ = simplified_gradient(W, b, TargetStream(target, s.parity_n, rng.child("train")))
    Gpop = simplified_gradient(W, b, TargetStream(target, s.parity_n_pop, rng.child("population")), std_error=True)
    D = target.block_directions(xp=xp, dtype=W.dtype)[:, 0]
    emp = hit_probability(GZ, b, D, 1, gamma=s.parity_gamma)
    pop = hit_probability(Gpop.G, b, D, 1, gamma=s.parity_gamma)
    # one-signed hits: one-sided cone of +D minus that of −D (positive bias), empirical and population G
    sgn = signed_hit_excess(GZ, b, D, 1, gamma=s.parity_gamma)
    sgn_pop = signed_hit_excess(Gpop.G, b, D, 1, gamma=s.parity_gamma)
    total = total2 = 0.0
    count = 0
    for batch in TargetStream(target, s.parity_n_pop, rng.child("population")):
        v = batch.y * (batch.X @ D)
        total += to_scalar(xp.sum(v))
        total2 += to_scalar(xp.sum(v * v))
        count += int(v.shape[0])
    mean = total / count
    return {"hit_empirical": emp.p_hat, "hit_empirical_low": emp.low, "hit_empirical_high": emp.high,
            "hit_population": pop.p_hat, "hit_population_low": pop.low, "hit_population_high": pop.high,
            "signed_excess": sgn.delta, "signed_excess_low": sgn.low, "signed_excess_high": sgn.high,
            "hit_plus": sgn.plus, "hit_minus": sgn.minus, "signed_excess_population": sgn_pop.delta,
            "neurons": emp.trials, "median_cos_with_block": median(to_host(direction_cosines(GZ, D))),
            "yD_mean": mean, "yD_se": math.sqrt(max(total2 / count - mean * mean, 0.0) / count), "yD_n": count,
            # theory beside the measurements (for the figures)
            "yD_predicted": target.strong_signal_correlation(), "feature_p": s.feature_p, "gamma": s.parity_gamma}


def parity_figures(records: list, out_dir: Path) -> list:
    """``swl23-parity``: E[y⟨D, x⟩] measured (±4 SE) against p_A√k(1 − (−1)^k), and the two-sided cone hit
    fractions (95% Clopper–Pearson intervals) and the signed excess Δ (95% interval) against the feature-set
    level p, per parity order k."""
    records = sorted((r for r in records if r.get("status", "ok") == "ok"), key=lambda r: int(r["k"]))
    ks = [int(r["k"]) for r in records]
    fig, axes = new_figure(1, 2, figsize=(10, 4))
    ax = axes[0]
    x = list(range(len(records)))
    ax.errorbar(x, [float(r["yD_mean"]) for r in records], yerr=[4 * float(r["yD_se"]) for r in records],
                fmt="o", color="C0", capsize=4, label="measured mean ± 4 SE")
    if all(r.get("yD_predicted") is not None for r in records):
        ax.plot(x, [float(r["yD_predicted"]) for r in records], "k_", ms=30, mew=2,
                label="theory p_A√k(1 − (−1)^k)")
    ax.set_xticks(x, [f"k = {k} ({'odd' if k % 2 else 'even'})" for k in ks])
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylabel("E[y⟨D, x⟩] (dimensionless)")
    ax.set_title("first-order label signal along the block direction", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[1]
    for off, key, label, color in ((-0.15, "hit_empirical", "two-sided hits, empirical G_Z (n samples)", "C0"),
                                   (0.0, "hit_population", "two-sided hits, population G", "C1"),
                                   (0.15, "signed_excess", "signed excess Δ (+D minus −D), empirical G_Z", "C3")):
        if any(r.get(f"{key}_low") is None for r in records):
            continue
        val = [float(r[key]) for r in records]
        lo = [v - float(r[f"{key}_low"]) for v, r in zip(val, records)]
        hi = [float(r[f"{key}_high"]) - v for v, r in zip(val, records)]
        ax.errorbar([u + off for u in x], val, yerr=[lo, hi], fmt="o", color=color, capsize=4, label=label)
    ps = [float(r["feature_p"]) for r in records if r.get("feature_p") is not None]
    if ps:
        ax.axhline(ps[0], color="k", ls="--", label=f"feature-set level p = {ps[0]:g} (claim: Δ's lower end ≥ p)")
    ax.axhline(0.0, color="gray", lw=0.8)
    ax.set_xticks(x, [f"k = {k}" for k in ks])
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylabel("fraction of neurons in the cone of D (probability)")
    ax.set_title("gradient-feature hits (bars: 95% intervals)", fontsize=9)
    ax.legend(fontsize=7)
    fig.suptitle("swl23-parity: structured parity, theory against measurement", fontsize=10)
    return [save_figure(fig, Path(out_dir) / "swl23_parity.png")]


register_experiment(
    f"{KEY}-parity", parity_cell,
    grid=lambda s: [{"k": s.parity_even_k}, {"k": s.parity_odd_k}],
    seeds=[0],
    description="Structured parity (one block; Setting.parity_*, quick: d = 24, 512 neurons, n = 4000, 100 000 "
                "population draws) at an even and an odd order k: the fraction of "
                "initial neurons whose empirical / population simplified gradient lies in the cone of the block "
                "direction D = 1_A/√k with positive bias, and E[y⟨D, x⟩], predicted 2p_A√k for odd k and 0 for "
                "even k; the claims swl23.parity-feature-hit and swl23.parity-even-k read it (reconstructed, "
                "docs/papers/swl23.md §5.3).",
    paper=KEY, figures=parity_figures)


def width_cell(params: dict, ctx: RunContext) -> dict:
    """One (width, seed): test errors of Algorithm 1, random features and the lazy regime.

    The XOR mixture of the claims' run (separation, std) in the smaller dimension ``width_d``.
    """
    s = ctx.setting
    xp = ctx.xp
    rng = ctx.rng("swl23-width")
    mix = XORMixture(s.width_d, s.separation, std=s.std, xp=xp)

    def data(name, n):
        b = TargetStream(mix, n, rng.child(name)).materialise()
        return b.X, b.y

    train, val, test = data("train", s.width_n), data("val", s.width_n_val), data("test", s.width_n_test)
    width = int(params["width"])
    net0 = init_symmetric(rng.child("init", width), s.width_d, width, sigma_b=s.sigma_b, sigma_a=s.sigma_a)
    res = train_algorithm1(net0, train, steps=s.width_steps, eta1=s.eta1, eta=s.eta, lam=s.lam, val=val, test=test)
    rf, _ = fit_output_layer(net0, train, val)
    lazy0 = init_symmetric(rng.child("init", width), s.width_d, width, sigma_b=s.sigma_b, sigma_a=s.lazy_sigma_a)
    lazy = train_algorithm1(lazy0, train, steps=s.width_steps, eta1=s.eta, eta=s.eta, lam=s.lam, lam1=0.0,
                            val=val, test=test)
    out = {"trained_error": res.metric("test_error"), "random_features_error": evaluate(rf, test).error,
           "lazy_error": lazy.metric("test_error"), "bayes_error": mix.bayes_error(),
           "d": s.width_d, "cone_gamma": s.xor_gamma}
    # gradient-feature cosines: |cos| of G_Z(w_i, b_i) (one neuron per mirrored pair) with the nearest of
    # e₁, e₂, against the same cosine of the initial weights w_i (histograms, cos_bins bins on [0, 1])
    h, bins = width // 2, s.cos_bins
    E = xp.asarray([[1.0 if i == j else 0.0 for j in range(2)] for i in range(s.width_d)], dtype=net0.dtype)
    G = simplified_gradient(net0.W[:, :h], frozen_biases(net0)[:h], train)
    for name, M in (("gf", G), ("init", net0.W[:, :h])):
        cos = xp.max(direction_cosines(M, E), axis=1)
        for j in range(bins):
            lo, hi = j / bins, (j + 1) / bins
            upper = cos <= hi if j == bins - 1 else cos < hi
            out[f"cos_{name}_{j}"] = to_scalar(xp.mean(xp.astype(xp.logical_and(cos >= lo, upper), net0.dtype)))
    return out


def _cos_bins(record: dict) -> int:
    """The number of cosine-histogram bins a width_cell record holds (0 if none)."""
    j = 0
    while f"cos_gf_{j}" in record:
        j += 1
    return j


def width_figures(records: list, out_dir: Path) -> list:
    """Test error against width: trained, random features, lazy; the Bayes error as a horizontal line."""
    import matplotlib

    matplotlib.use("Agg")

    fig, ax = new_figure(figsize=(6, 4))
    widths = sorted({int(r["width"]) for r in records})
    for key, label in (("trained_error", "Algorithm 1 (gradient features)"),
                       ("random_features_error", "random features (first layer frozen)"),
                       ("lazy_error", "lazy regime (small first step)")):
        med, lo, hi = [], [], []
        for w in widths:
            v = [float(r[key]) for r in records if int(r["width"]) == w]
            med.append(median(v)); lo.append(min(v)); hi.append(max(v))
        ax.plot(widths, med, marker="o", label=label)
        ax.fill_between(widths, lo, hi, alpha=0.2)
    ax.axhline(float(records[0]["bayes_error"]), color="k", ls="--", label="Bayes error (theory)")
    ax.axhline(0.5, color="gray", ls=":", label="chance")
    ax.set_xscale("log", base=2)
    ax.set_xlabel("width (number of hidden neurons)")
    ax.set_ylabel("test 0-1 error")
    ax.set_title("XOR-like Gaussian mixture: learned vs fixed features")
    ax.legend(fontsize=8)
    path = Path(out_dir) / "swl23_error_vs_width.png"
    save_figure(fig, path, dpi=120)
    paths = [path]
    bins = min(_cos_bins(r) for r in records)
    if bins:
        w = widths[-1]
        rs = [r for r in records if int(r["width"]) == w]
        fig, ax = new_figure(figsize=(6, 4))
        edges = [j / bins for j in range(bins + 1)]
        for name, label, color in (("gf", "gradient features G_Z(w, b) at initialisation", "C0"),
                                   ("init", "initial weights w (random directions)", "C7")):
            frac = [sum(float(r[f"cos_{name}_{j}"]) for r in rs) / len(rs) for j in range(bins)]
            ax.stairs(frac, edges, fill=True, alpha=0.5, color=color, label=label)
        gamma = float(rs[0]["cone_gamma"])
        ax.axvline(1.0 - gamma, color="k", ls="--", label=f"cone edge 1 − γ (γ = {gamma})")
        ax.set_xlabel("|cosine| with the nearest cluster direction e₁ or e₂")
        ax.set_ylabel("fraction of neurons")
        ax.set_title(f"XOR mixture (d = {int(rs[0]['d'])}, width {w}): gradient-feature cosines")
        ax.legend(fontsize=8)
        path = Path(out_dir) / "swl23_gradient_feature_cosines.png"
        save_figure(fig, path, dpi=120)
        paths.append(path)
    return paths


register_experiment(
    f"{KEY}-width", width_cell,
    grid=lambda s: {"width": list(s.widths)}, seeds=lambda s: range(s.width_seeds),
    description="0-1 test error vs width on the XOR-like Gaussian mixture for Algorithm 1 (gradient features), "
                "random features with the first layer frozen, and the lazy regime; theory: Algorithm 1 approaches the "
                "Bayes error while fixed features with m, n ≪ d² stay near chance (reconstructed, "
                "docs/papers/swl23.md §5.7).",
    paper=KEY, figures=width_figures)


# -- uniform sparse parity: crossing sample size vs d (docs/papers/swl23.md §5.4) ----------------------------
def crossing_sizes(max_n: int, steps_per_octave: int) -> list[int]:
    """Geometric sample sizes 16·2^{j/s} (s = ``steps_per_octave`` points per doubling), integer and
    strictly increasing, up to max_n.

    >>> crossing_sizes(40, 2)
    [16, 23, 32]
    """
    out, j = [], 0
    while True:
        v = int(round(16 * 2.0 ** (j / steps_per_octave)))
        if v > max_n:
            return out
        if not out or v > out[-1]:
            out.append(v)
        j += 1


def crossing_cell(params: dict, ctx: RunContext) -> dict:
    """One (k, d, seed): measured and predicted crossing sample sizes of cos(G_Z, G) at the level."""
    s = ctx.setting
    k, d = int(params["k"]), int(params["d"])
    xp = ctx.xp
    base = ctx.rng("swl23-crossing", k)
    rng = base.child(d)
    m = s.crossing_width
    # common random numbers across d: the same neurons' first d coordinates (and biases) at every d
    W = base.child("W").normal((s.crossing_d_max, m))[:d, :] / math.sqrt(d)
    b = base.child("b").normal((m,))
    support = list(range(k))
    pop = parity_population_gradient(W, b, support, rng.child("population"), s.crossing_n_pop)
    level = s.crossing_level
    pred_pop = predicted_crossing(pop.G, pop.active, level, norm2=pop.norm2)
    GH, qH = hermite_parity_gradient(W, b, support)
    pred_fourier = predicted_crossing(GH, qH, level)
    g_norm = xp.linalg.vector_norm(pop.G, axis=0)
    rel_se = xp.linalg.vector_norm(pop.std_error, axis=0) / xp.where(g_norm > 0, g_norm, xp.ones_like(g_norm))
    sizes = crossing_sizes(s.crossing_max_n, s.crossing_steps_per_octave)
    stream = TargetStream(SparseParity(d, support), sizes[-1], rng.child("sample"))
    meds = alignment_path(W, b, stream, pop.G, sizes, stop_level=level, ref_norm2=pop.norm2)
    n_cross = crossing_sample_size(sizes[:len(meds)], meds, level)
    return {"n_cross": n_cross, "n_pred_population": median(to_host(pred_pop)),
            "n_pred_fourier": median(to_host(pred_fourier)), "population_rel_se": median(to_host(rel_se)),
            "median_grad_norm": median(to_host(g_norm)),
            "fourier_exponent": fourier_exponent(k), "level": level}


def crossing_figures(records: list, out_dir: Path) -> list:
    """Crossing sample size vs d, log-log, per k: measured points and fit, the predicted d^k slope."""
    import matplotlib

    matplotlib.use("Agg")
    import numpy as np

    fig, ax = new_figure(figsize=(6.5, 4.5))
    for k, color in ((2, "C0"), (3, "C1")):
        rs = [r for r in records if int(r["k"]) == k and r["n_cross"] is not None
              and math.isfinite(float(r["n_cross"]))]
        if len(rs) < 2:
            continue
        ds = np.array([float(r["d"]) for r in rs])
        ns = np.array([float(r["n_cross"]) for r in rs])
        ax.plot(ds, ns, ".", color=color, alpha=0.4)
        ud = np.unique(ds)
        med = np.array([median(ns[ds == u]) for u in ud])
        ax.plot(ud, med, "o", color=color, label=f"k = {k}: measured (median over seeds)")
        slope, icpt, _, _ = fit_loglog_slope(ds, ns)
        grid = np.geomspace(ud.min(), ud.max(), 50)
        ax.plot(grid, np.exp(icpt) * grid ** slope, "-", color=color, label=f"k = {k}: fitted slope {slope:.2f}")
        pf = np.array([median([float(r["n_pred_fourier"]) for r in rs if float(r["d"]) == u]) for u in ud])
        ax.plot(ud, pf, "s", mfc="none", color=color, alpha=0.7,
                label=f"k = {k}: Fourier/Hermite prediction at each d")
        mid = math.exp(float(np.mean(np.log(ud))))
        y_mid = math.exp(icpt) * mid ** slope
        ax.plot(grid, y_mid * (grid / mid) ** k, "--", color=color, label=f"k = {k}: predicted slope {k} (d^k)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("input dimension d")
    levels = sorted({float(r["level"]) for r in records if "level" in r})
    ax.set_ylabel(f"samples for median cos(G_Z, G) to reach {levels[0] if len(levels) == 1 else 'the level'}")
    ax.set_title("Uniform k-sparse parity: crossing sample size vs dimension")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    path = Path(out_dir) / "swl23_crossing_vs_d.png"
    save_figure(fig, path, dpi=120)
    return [path]


def _crossing_grid(s) -> list:
    return [{"k": k, "d": d} for k, ds in ((2, s.crossing_d_k2), (3, s.crossing_d_k3)) for d in ds]


register_experiment(
    f"{KEY}-crossing", crossing_cell,
    grid=_crossing_grid, seeds=lambda s: range(s.crossing_seeds),
    description="Uniform k-sparse parity (k = 2, 3): the sample size at which the median over random initial "
                "neurons of cos(G_Z, G) reaches 1/2, G the population simplified gradient (Rao–Blackwellised "
                "Monte Carlo), against d. Theory (reconstructed Fourier argument): ‖G‖² ≍ d^-(k-1) against a "
                "sampling error ≍ d/n, so the crossing grows like d^k (docs/papers/swl23.md §5.4).",
    paper=KEY, figures=crossing_figures)


# -- Theorem 3.12 on a grid of mixtures (docs/papers/swl23.md §4) --------------------------------------------
def bound_instance(family: str, s: float, d: int, xp, dtype=None):
    """The mixture, teacher directions (d, r), teacher biases (r,) and B_a1 of one bound instance."""
    sigma = 1.0
    if family == "xor":
        mix = GaussianMixture.xor(d, s, std=sigma, xp=xp, dtype=dtype)
        axes, beta = (0, 1), s / 2.0
    elif family == "two-cluster":
        rows = [[s if i == 0 else 0.0 for i in range(d)], [-s if i == 0 else 0.0 for i in range(d)]]
        mix = GaussianMixture(rows, [1, -1], std=sigma, xp=xp, dtype=dtype)
        axes, beta = (0,), sigma
    else:
        raise ValueError(f"family: expected 'xor' or 'two-cluster', got {family!r}")
    cols = []
    for a in axes:
        for sign in (1.0, -1.0):
            cols.append([sign if i == a else 0.0 for i in range(d)])
    D = xp.asarray(cols, dtype=mix.means.dtype).T
    margin = s - beta - 2.0 * sigma
    B_a1 = 1.0 / (margin if margin >= sigma else sigma)
    return mix, D, xp.full((len(cols),), beta, dtype=D.dtype), B_a1, axes


def bound_cell(params: dict, ctx: RunContext) -> dict:
    """One mixture instance: Algorithm 1's test error and the reconstructed Theorem 3.12 right-hand side."""
    st = ctx.setting
    xp = ctx.xp
    family, s, d = str(params["family"]), float(params["s"]), int(params["d"])
    rng = ctx.rng("swl23-bound", family, str(s), d)
    mix, D, beta, B_a1, axes = bound_instance(family, s, d, xp)

    def data(name, n):
        b = TargetStream(mix, n, rng.child(name)).materialise()
        return b.X, b.y

    train, val, test = data("train", st.bound_n), data("val", st.bound_n_val), data("test", st.bound_n_test)
    heldout = data("heldout", st.bound_n_heldout)
    net0 = init_symmetric(rng.child("init"), d, st.bound_width, sigma_b=st.sigma_b, sigma_a=st.sigma_a)
    res = train_algorithm1(net0, train, steps=st.bound_steps, eta1=st.eta1, eta=st.eta, lam=st.lam, val=val,
                           test=test)
    # the feature set S_{p,γ,B_G}: closed-form G of fresh i.i.d. initial neurons, bias sign +1
    m_f = st.bound_feature_neurons
    feat = init_symmetric(rng.child("features"), d, 2 * m_f, sigma_b=st.sigma_b)
    Wf, bf = feat.W[:, :m_f], frozen_biases(feat)[:m_f]
    G0 = mixture_gradient(Wf, bf, mix)
    B_G = min(gradient_norm_threshold(G0, bf, D[:, 2 * j], 1, gamma=st.bound_gamma, p=st.feature_p)
              for j in range(len(axes)))
    opt = opt_upper_bound(D, beta, train, heldout, B_a1=B_a1)
    sq = xp.sum(heldout[0] * heldout[0], axis=1)
    B_x1 = math.sqrt(to_scalar(xp.max(sq)))
    B_x2 = to_scalar(xp.mean(sq))
    r = int(D.shape[1])
    rhs = (theorem_3_12_rhs(opt.value, r=r, B_a1=B_a1, B_x1=B_x1, gamma=st.bound_gamma, B_x2=B_x2, B_G=B_G,
                            n=st.bound_n, C=st.bound_C) if B_G > 0 else math.inf)
    # the largest C that keeps the right-hand side below 1 (a sensitivity figure, not a choice of C)
    head = ((1.0 - opt.value) / (r * B_a1 * B_x1)) ** 2 - 2.0 * st.bound_gamma if opt.value < 1 else -1.0
    samp_unit = math.sqrt(B_x2 * math.log(st.bound_n)) / (B_G * math.sqrt(st.bound_n)) if B_G > 0 else math.inf
    c_max = head / samp_unit if (head > 0 and math.isfinite(samp_unit)) else 0.0
    return {"test_error": res.metric("test_error"), "rhs": rhs, "opt": opt.value, "opt_se": opt.std_error,
            "B_G": B_G, "B_x1": B_x1, "B_x2": B_x2, "B_a1": B_a1, "r": r, "C": st.bound_C, "C_max_nonvacuous": c_max,
            "bayes_error": mix_bayes_error(family, s)}


def mix_bayes_error(family: str, s: float) -> float:
    """Bayes error of a bound instance (σ = 1): XOR by quadrature, two clusters Φ(−s)."""
    if family == "xor":
        return xor_bayes_error(s, 1.0)
    from featlearn.backends import get_namespace as _ns

    np_ = _ns("numpy")
    return float(normal_cdf(np_.asarray(-s)))


def bound_figures(records: list, out_dir: Path) -> list:
    """``swl23-bound``: Algorithm 1's measured test error against the Theorem 3.12 right-hand side, one point per
    instance, with the line y = x (the bound holds below it) and chance 1/2; an infinite right-hand side
    (no gradient feature at γ) is drawn at the right edge."""
    import numpy as np

    records = [r for r in records if r.get("status", "ok") == "ok"]
    rhs = [math.inf if r.get("rhs") is None else float(r["rhs"]) for r in records]
    finite = [v for v in rhs if math.isfinite(v)]
    top = 10 ** math.ceil(math.log10(max(finite + [1.0]) * 2))
    fig, ax = new_figure(figsize=(6.8, 4.8))
    floor = 1e-4
    markers = {"xor": "s", "two-cluster": "o"}
    color = 0
    for fam in sorted({str(r["family"]) for r in records}):
        for sv in sorted({float(r["s"]) for r in records if r["family"] == fam}):
            rs = [(v, r) for v, r in zip(rhs, records) if r["family"] == fam and float(r["s"]) == sv]
            c, color = f"C{color % 10}", color + 1
            fin = [(v, max(float(r["test_error"]), floor)) for v, r in rs if math.isfinite(v)]
            inf = [max(float(r["test_error"]), floor) for v, r in rs if not math.isfinite(v)]
            if fin:
                ax.plot([u for u, _ in fin], [e for _, e in fin], markers.get(fam, "^"), color=c, ms=6,
                        label=f"{fam}, s = {sv:g}")
            if inf:
                ax.plot([top] * len(inf), inf, markers.get(fam, "^"), color=c, mfc="none", ms=8,
                        label=f"{fam}, s = {sv:g}: RHS = ∞ (drawn at the right edge)")
    grid = np.geomspace(floor, top, 50)
    ax.plot(grid, grid, "k-", lw=1, label="y = x (bound holds below)")
    ax.axvline(0.5, color="gray", ls="--", label="RHS = 1/2 (claim: min RHS ≤ 1/2)")
    ax.axhline(0.5, color="gray", ls=":", label="chance 1/2")
    bayes = [max(float(r["bayes_error"]), floor) for r in records if r.get("bayes_error") is not None]
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(min(finite + [0.1]) / 2, top * 1.5)
    ax.set_ylim(floor / 2, 1.0)
    ax.set_xlabel("Theorem 3.12 right-hand side (0-1 error scale, reconstructed, C = 1)")
    ax.set_ylabel(f"measured test 0-1 error of Algorithm 1 (floored at {floor:g})")
    ax.set_title("swl23-bound: measured error vs the bound's right-hand side, one point per instance"
                 + (f"\n(Bayes errors of the instances: {min(bayes):.2g}–{max(bayes):.2g})" if bayes else ""),
                 fontsize=9)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=6, loc="center left")
    return [save_figure(fig, Path(out_dir) / "swl23_bound_error_vs_rhs.png")]



register_experiment(
    f"{KEY}-bound", bound_cell,
    grid=lambda s: {"family": list(s.bound_family), "s": list(s.bound_s), "d": list(s.bound_d)},
    seeds=lambda s: range(s.bound_seeds),
    description="Reconstructed Theorem 3.12 on a grid of Gaussian mixtures (XOR-like, r = 4; two clusters, r = 2; "
                "separations and dimensions in the grid): Algorithm 1's test 0-1 error against the right-hand side "
                "OPT + r·B_a1·B_x1·sqrt(2γ + C·sqrt(B_x2 log n)/(B_G √n)) with C = 1, γ = 0.01, p = 0.05, B_G from "
                "the closed-form population gradient, OPT bounded by an LP-fitted teacher (docs/papers/swl23.md §4).",
    paper=KEY, figures=bound_figures)

