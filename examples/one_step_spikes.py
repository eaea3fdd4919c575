"""One large gradient step: spikes in the feature spectrum and the error staircase (MLHD23, BA22).

Reproduces *in kind* the two figures of Moniri, Lee, Hassani, Dobriban 2023 (arXiv 2310.07891)
described by its reviews (``docs/papers/mlhd23.md`` §6.1);
the papers' exact figure parameters were not found, so the sizes are ours (docs/papers/mlhd23.md §6.2):

* ``one_step_spectrum.png`` (their Figure 2): singular values of the feature matrix
  F = σ(X̃W) after one step with η = n^α, against the bulk of F₀ = σ(X̃W₀) on the same data.
  Each panel states the asymptotic spike count ℓ(α) (stated law) *and* the number of spikes
  predicted to be visible at this ñ: the singular values above the bulk edge of the all-orders
  signal matrix E_z σ(z + ημ₁ u_i a_j) (u = X̃b, a the run's second layer; reconstructed from
  docs/papers/mlhd23.md §4.2 step 3 before truncation), beside the per-degree order-level
  magnitudes s_k (crosses) and the growth exponents γ_k of the spike/bulk ratio ∝ n^{γ_k}. Below,
  the alignments |⟨U_i, GS_k⟩| of the top left singular vectors with the Gram–Schmidt sequence
  of the polynomial features (X̃b)^{∘k};
* ``one_step_errors.png`` (their Figure 3): training and test errors against the step-size
  exponent α (η = n^α), with the random-features (α = 0) and best-linear reference levels drawn,
  the spike thresholds α = (k−1)/(2k) marked, both residual conventions (r = y and the literal
  r = y − f₀, docs/papers/mlhd23.md §2.3) and the spike count ℓ(α) (the "staircase").

Setting (``featlearn.papers.mlhd23.setting``): x ~ N(0, I_d), y = σ*(β*·x) + 0.1·ξ with
σ* = He₁ + ½He₂, σ = centred tanh + 2 softplus, MLHD23's parametrisation (neurons on the
sphere), ridge on independent data.

Usage::

    python examples/one_step_spikes.py --backend numpy --out figures --scale quick
"""

from __future__ import annotations

import argparse
import math
import time
from pathlib import Path

import numpy as np

from featlearn.backends import Generator, get_namespace, to_host
from featlearn.data import TargetStream
from featlearn.models.one_step import alpha_sweep, apply_step, one_step_gradient
from featlearn.papers.mlhd23.spectral import bulk_edge, spectral_stats, top_spectrum
from featlearn.models.two_layer import init_network
from featlearn.output import write_json
from featlearn.papers.mlhd23.setting import ACTIVATION, LINK, NOISE, SPIKE_MARGIN
from featlearn.theory.one_step import (best_linear_excess_risk, direction_overlap_limit, hermite_profile,
                                       null_risk, spike_count, spike_growth_exponent, spike_magnitude,
                                       spike_threshold)
from featlearn.theory.targets import SingleIndex

SCALES = {
    # quick: well under a minute on a 2-core CPU
    "quick": {"spectrum": {"n": 2000, "width": 1000, "alphas": (0.1, 0.3, 0.39)},
              "errors": {"n": 4000, "width": 800, "n_val": 2000, "n_test": 8000,
                         "alphas": tuple(round(0.05 * i, 2) for i in range(10))}},
    # paper: GPU-sized
    "paper": {"spectrum": {"n": 16384, "width": 8192, "alphas": (0.1, 0.3, 0.36, 0.42)},
              "errors": {"n": 32768, "width": 8192, "n_val": 8192, "n_test": 32768,
                         "alphas": tuple(round(0.025 * i, 3) for i in range(20))}},
}
#: Spike thresholds α_k = (k−1)/(2k) marked on the error figure (k = 2, 3, 4: 1/4, 1/3, 3/8).
THRESHOLD_KS = (2, 3, 4)
THRESHOLD_LABELS = {2: "1/4", 3: "1/3", 4: "3/8"}
#: Gauss–Hermite nodes for E_z σ(z + t) (the all-orders signal matrix); 40 nodes are exact to
#: rounding for this smooth σ.
QUADRATURE_ORDER = 40


def _eig_singular_values(xp, gram) -> list[float]:
    """Singular values (descending) of a matrix from its Gram matrix."""
    return sorted((math.sqrt(max(float(v), 0.0)) for v in to_host(xp.linalg.eigvalsh(gram)).tolist()),
                  reverse=True)


def signal_spikes(xp, rng: Generator, net0, *, eta: float, b_norm: float, n: int, k: int) -> list[float]:
    """Top ``k`` singular values of the all-orders signal matrix ``E_z σ(z + ημ₁u_i a_j) − E σ(z)``.

    Step 3 of docs/papers/mlhd23.md §4.2 before truncation (reconstructed): after one step the
    pre-activation of neuron j on sample i is z_ij + ημ₁u_i a_j (+ a small remainder), with
    z_ij ~ N(0, 1) independent of u = X̃b ~ N(0, ‖b‖² I_ñ); averaging σ over z_ij gives the
    low-rank part of F. Expanding in powers of t = ημ₁u_i a_j gives the per-degree terms S_k of
    :func:`featlearn.theory.one_step.spike_magnitude`; summed to all orders they are not
    orthogonal and partly cancel, so this matrix -- not the sum of the ‖S_k‖ -- says how many
    spikes clear the bulk at a finite size. Uses the run's second layer a and ‖b‖; u is drawn
    afresh with the law of X̃b (same law, independent draw).
    """
    mu1 = hermite_profile(ACTIVATION, 1)[1]
    nodes, weights = np.polynomial.hermite_e.hermegauss(QUADRATURE_ORDER)
    weights = weights / weights.sum()
    mu0 = hermite_profile(ACTIVATION, 0)[0]
    u = rng.normal((n,), dtype=net0.a.dtype, std=b_norm)
    T = (eta * mu1) * (u[:, None] * net0.a[None, :])
    G = xp.zeros_like(T) - mu0
    for z, w in zip(nodes.tolist(), weights.tolist()):
        G = G + w * net0.activation(T + z)
    return _eig_singular_values(xp, G.T @ G)[:k]


def spectrum_experiment(xp, cfg, seed: int, device=None) -> dict:
    """Full spectra of F₀ and F for each α, top singular values, alignments and the spike predictions."""
    rng = Generator(seed, xp=xp, device=device).child("spectrum")
    n, N = cfg["n"], cfg["width"]
    target = SingleIndex.random(rng.child("target"), N, LINK)
    net0 = init_network(rng.child("init"), N, N, activation=ACTIVATION)
    step = TargetStream(target, n, rng.child("step-data"), noise_std=NOISE)
    grad = one_step_gradient(net0, step, residual="y")
    etas = [n ** a for a in cfg["alphas"]]
    nets = [net0] + [apply_step(net0, grad, e) for e in etas]
    stats = spectral_stats(nets, TargetStream(target, n, rng.child("feature-data"), noise_std=NOISE),
                           direction=grad.direction, degree=3)
    full = [sorted(_eig_singular_values(xp, s.FtF)) for s in stats]
    kmax = max(spike_count(a) for a in cfg["alphas"])
    spectra = [top_spectrum(s, max(kmax, 4), rng=rng.child("eigensolver", i)) for i, s in enumerate(stats[1:], 1)]
    edge = bulk_edge(stats[0], rng=rng.child("eigensolver", 0))
    b_norm = float(to_host(xp.linalg.vector_norm(grad.direction)))
    mu = hermite_profile(ACTIVATION, max(kmax, 3))
    mu1 = mu[1]
    predicted, signal, rows = [], [], []
    for a, e, sp in zip(cfg["alphas"], etas, spectra):
        ell = spike_count(a)
        ks = range(1, max(ell, 3) + 1)
        mags = [spike_magnitude(k, eta=e, mu=mu, b_norm=b_norm, n=n, width=N) for k in ks]
        sig = signal_spikes(xp, rng.child("signal", str(a)), net0, eta=e, b_norm=b_norm, n=n, k=max(ell, 3))
        predicted.append(mags)
        signal.append(sig)
        rows.append({"alpha": a, "ell": ell,
                     "growth_exponents": [spike_growth_exponent(a, k) for k in ks],
                     # the brief's rule on the per-degree order-level magnitudes, k <= ℓ(α)
                     "visible_order_level": sum(m > edge for m in mags[:ell]),
                     # the all-orders signal matrix: singular values above the bulk edge
                     "visible_predicted": sum(s > edge for s in sig),
                     "visible_observed": sum(s > (1 + SPIKE_MARGIN) * edge for s in sp.singular_values),
                     "expansion": e * abs(mu1) * b_norm / math.sqrt(N)})
    return {"n": n, "width": N, "alphas": list(cfg["alphas"]), "etas": etas, "edge": edge,
            "bulk": full[0], "spectra": full[1:], "top": [s.singular_values for s in spectra],
            "alignments": [s.alignments for s in spectra], "predicted_spikes": predicted,
            "signal_spikes": signal, "counts": rows, "b_norm": b_norm}


def errors_experiment(xp, cfg, seed: int, device=None) -> dict:
    """Training and test errors for a grid of α, for both residual conventions (shared data and W₀)."""
    rng = Generator(seed, xp=xp, device=device).child("errors")
    target = SingleIndex.random(rng.child("target"), cfg["width"], LINK)
    out = {"best_linear_excess": best_linear_excess_risk(LINK), "null_risk": null_risk(LINK),
           "overlap_limit": direction_overlap_limit(LINK, d=cfg["width"], n=cfg["n"], noise_std=NOISE),
           **{k: cfg[k] for k in ("n", "width", "n_val", "n_test")}}
    # the network and step data alpha_sweep draws (its documented streams "init" and "step-data")
    net0 = init_network(rng.child("init"), cfg["width"], cfg["width"], activation=ACTIVATION)
    beta = target.beta
    for residual, key in (("y", "rows"), ("y-f0", "rows_f0")):
        out[key] = alpha_sweep(target, rng, n=cfg["n"], width=cfg["width"], alphas=cfg["alphas"],
                               n_val=cfg["n_val"], n_test=cfg["n_test"], noise_std=NOISE, activation=ACTIVATION,
                               residual=residual)
        b = one_step_gradient(net0, TargetStream(target, cfg["n"], rng.child("step-data"), noise_std=NOISE),
                              residual=residual).direction
        out[f"overlap_{key}"] = abs(float(to_host(xp.sum(b * beta) / (xp.linalg.vector_norm(b)
                                                                       * xp.linalg.vector_norm(beta)))))
    return out


def _fmt_exponents(gammas) -> str:
    return ", ".join(f"γ{k + 1} = {g:+.2f}" for k, g in enumerate(gammas))


def plot_spectrum(res: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    A = len(res["alphas"])
    fig, axes = plt.subplots(2, A, figsize=(5.2 * A, 9.4), squeeze=False, height_ratios=(1.5, 1),
                             layout="constrained")
    edge, n = res["edge"], res["n"]
    lo = max(min(v for v in res["bulk"] if v > 0), edge * 1e-2)
    for j, (alpha, spec, top, pred, sig, cnt, align) in enumerate(zip(
            res["alphas"], res["spectra"], res["top"], res["predicted_spikes"], res["signal_spikes"],
            res["counts"], res["alignments"])):
        ax = axes[0, j]
        hi = max(max(top), max(pred[:2]), max(sig)) * 1.6
        bins = [lo * (hi / lo) ** (i / 80) for i in range(81)]
        ax.hist(res["bulk"], bins=bins, color="0.75", label="before the step: F₀ = σ(X̃W₀)")
        ax.hist(spec, bins=bins, histtype="step", color="C0", label="after the step: F = σ(X̃W)")
        ax.axvline(edge, color="k", ls="--", lw=1, label="bulk edge of F₀")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_ylim(0.5, None)
        for k in range(3):
            y = 0.86 - 0.13 * k
            kw = dict(color=f"C{k + 1}", transform=ax.get_xaxis_transform(), ls="none", clip_on=True)
            ax.plot([top[k]], [y], "o", ms=7, label="measured s_k(F), k = 1, 2, 3" if k == 0 else None, **kw)
            ax.plot([sig[k]], [y], "v", ms=8, mfc="none", mew=1.6,
                    label="predicted s_k, all orders (decides visibility)" if k == 0 else None, **kw)
            ax.plot([min(pred[k], hi / 1.05)], [y], "x", ms=9, mew=1.6,
                    label="predicted s_k, degree-k term alone (order level)" if k == 0 else None, **kw)
            xs = [v for v in (top[k], sig[k], pred[k]) if lo < v < hi]
            if xs:
                ax.text(min(xs) / 1.2, y, f"k = {k + 1}", transform=ax.get_xaxis_transform(),
                        color=f"C{k + 1}", fontsize=8, va="center", ha="right", clip_on=True)
        ax.set_xlim(lo, hi)
        ax.set_title(f"α = {alpha},  η = n^α = {res['etas'][j]:.1f}\n"
                     f"ℓ(α) = {cnt['ell']} spike{'s' if cnt['ell'] > 1 else ''} as n → ∞ (stated law)\n"
                     f"above the bulk edge at ñ = {n}: {cnt['visible_predicted']} predicted, "
                     f"{cnt['visible_observed']} measured", fontsize=10)
        ax.text(0.98, 0.03, f"spike/bulk ∝ n^γk:\n{_fmt_exponents(cnt['growth_exponents'][:4])}\n"
                            f"η|μ₁|‖b‖/√N = {cnt['expansion']:.2f}",
                transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5,
                bbox=dict(boxstyle="round", fc="w", ec="0.7", alpha=0.9))
        ax.set_xlabel("singular value of the feature matrix (log scale)")
        if j == 0:
            ax.set_ylabel("number of singular values per bin")
            handles, labels = ax.get_legend_handles_labels()
        ax = axes[1, j]
        K = len(align[0])
        im = ax.imshow([[align[i][k] for k in range(K)] for i in range(len(align))], vmin=0, vmax=1,
                       cmap="viridis", aspect="auto")
        for i in range(len(align)):
            for k in range(K):
                ax.text(k, i, f"{align[i][k]:.2f}", ha="center", va="center", fontsize=8,
                        color="w" if align[i][k] < 0.6 else "k")
        ax.set_xticks(range(K), [f"GS_{k + 1} (from u^{k + 1})" for k in range(K)], fontsize=8)
        ax.set_yticks(range(len(align)), [f"U_{i + 1}" for i in range(len(align))])
        ax.set_xlabel("Gram–Schmidt direction of u, u∘², u∘³  (u = X̃b)")
        if j == 0:
            ax.set_ylabel("top left singular vector of F")
        ax.set_title(f"alignment |⟨U_i, GS_k⟩| at α = {alpha}", fontsize=10)
    fig.colorbar(im, ax=axes[1, :].tolist(), shrink=0.8, label="|cosine|")
    # the title sits on the legend (a separate suptitle would overlap a legend placed outside the axes)
    fig.legend(handles, labels, loc="outside upper center", ncol=3, fontsize=9, frameon=False,
               title=f"Spectrum of the one-step feature matrix, ñ = {res['n']}, d = N = {res['width']} "
                     f"(MLHD23 Fig. 2 in kind; one seed)", title_fontproperties={"size": 12})
    fig.text(0.01, -0.005,
             "Finite-size caveat. ℓ(α) = #{k : α > (k−1)/(2k)} counts the spikes as n → ∞. At finite ñ the "
             "degree-k spike/bulk ratio grows only like n^γk, γk = 1/2 − k(1/2 − α), so spikes with small γk\n"
             "can still sit inside the bulk. Predicted visible = singular values above the bulk edge of the "
             "all-orders signal matrix E_z σ(z + ημ₁u_i a_j) (▽; u ~ N(0, ‖b‖²) with a and ‖b‖ of this run;\n"
             f"reconstructed, docs/papers/mlhd23.md §4.2). Measured = singular values of F above "
             f"{1 + SPIKE_MARGIN:.1f} × edge. The degree-k terms alone (×) assume η|μ₁|‖b‖/√N ≪ 1; where it "
             "is O(1) they are not orthogonal and partly cancel,\nso they overstate the degree ≥ 3 spikes "
             "(docs/papers/mlhd23.md §4.3).",
             fontsize=9, va="top", ha="left")
    fig.savefig(path, dpi=110, bbox_inches="tight")
    plt.close(fig)


def _mark_thresholds(ax, label: bool) -> None:
    for k in THRESHOLD_KS:
        a = spike_threshold(k)
        ax.axvline(a, color="0.55", lw=1, ls=(0, (4, 3)), zorder=0,
                   label="spike thresholds α = (k−1)/(2k)" if label and k == THRESHOLD_KS[0] else None)
        ax.text(a, 1.0, f" {THRESHOLD_LABELS[k]}", transform=ax.get_xaxis_transform(), fontsize=8,
                color="0.35", ha="center", va="bottom")


def plot_errors(res: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    rows, rows_f0 = res["rows"], res["rows_f0"]
    alphas = [r["alpha"] for r in rows]
    xlabel = "step-size exponent α  (η = n^α)"
    fig, axes = plt.subplots(1, 3, figsize=(17, 5.4), width_ratios=(1, 1.25, 0.8), layout="constrained")
    lam_j = min(range(len(rows[0]["lambdas"])), key=lambda i: abs(math.log(rows[0]["lambdas"][i] / 1e-3)))
    train_fixed = [r["train_errors"][lam_j] for r in rows]
    ax = axes[0]
    ax.plot(alphas, train_fixed, "o-", label=f"ridge λ = {rows[0]['lambdas'][lam_j]:.0e} (fixed)")
    ax.plot(alphas, [r["train_error"] for r in rows], "s--", label="ridge λ chosen on validation data")
    ax.axhline(train_fixed[0], color="0.4", ls=":", label="random features (α = 0, λ fixed)")
    _mark_thresholds(ax, True)
    ax.set_title("training error (residual r = y)", pad=16)
    ax.set_ylabel("training mean squared error  (1/n)Σ(y − f̂)²")
    ax = axes[1]
    exc = [r["test_excess"] for r in rows]
    ax.errorbar(alphas, exc, yerr=[2 * r["test_excess_se"] for r in rows], fmt="o-", capsize=2, color="C0",
                label=f"r = y  (initial output dropped); cos∠(b, β*) = {res['overlap_rows']:.2f} "
                      f"(theory limit {res['overlap_limit']:.2f})")
    exc0 = [r["test_excess"] for r in rows_f0]
    ax.errorbar(alphas, exc0, yerr=[2 * r["test_excess_se"] for r in rows_f0], fmt="s-", capsize=2,
                color="C3", label=f"r = y − f₀  (literal gradient); cos∠(b, β*) = {res['overlap_rows_f0']:.2f}")
    ax.axhline(res["best_linear_excess"], color="k", ls="--", lw=1.3,
               label=f"best linear predictor ‖P>1 σ*‖² = {res['best_linear_excess']:.2f}")
    ax.axhline(exc[0], color="0.4", ls=":", label=f"random features (α = 0, r = y) = {exc[0]:.2f}")
    _mark_thresholds(ax, True)
    ax.annotate("r = y − f₀: the O(1) initial output f₀ enters the residual,\n"
                "so b = (1/n)Xᵀ(y − f₀) picks up the random direction μ₁W₀a\n"
                f"(cos∠(b, β*) = {res['overlap_rows_f0']:.2f} vs {res['overlap_rows']:.2f}); a larger step "
                "moves W\nfurther along it and the risk rises (docs/papers/mlhd23.md §2.3, §6.3)",
                xy=(alphas[-3], exc0[-3]), xytext=(0.41, 0.50), textcoords="axes fraction", fontsize=7.5, va="bottom",
                color="C3", arrowprops=dict(arrowstyle="->", color="C3", lw=0.8),
                bbox=dict(boxstyle="round", fc="w", ec="C3", alpha=0.9))
    ax.set_title("test excess risk (± 2 s.e., one seed)", pad=16)
    ax.set_ylabel("test excess risk  E(f* − f̂)²  (noise-free target)")
    hi = max(max(exc0), max(exc)) + 0.05
    ax.set_ylim(min(min(exc), res["best_linear_excess"]) - 0.13, hi + 0.02)  # room for the legend
    for ax in axes[:2]:
        ax.set_xlabel(xlabel)
        ax.grid(alpha=0.25)
    axes[0].legend(fontsize=7.5, loc="upper right")
    axes[1].legend(fontsize=7.5, loc="lower left")
    ax = axes[2]
    grid = [i / 1000 for i in range(0, 461)]
    ax.step(grid, [spike_count(a, boundary="lower") for a in grid], where="post", color="C2",
            label="ℓ(α) = #{k : α > (k−1)/(2k)}")
    _mark_thresholds(ax, False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("number of spikes ℓ(α) as n → ∞ (stated law)")
    ax.set_title("theory: spike count (the staircase)", pad=16)
    ax.set_xlim(0, 0.46)
    ax.grid(alpha=0.25)
    ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(f"One gradient step (η = n^α) + ridge readout, n = ñ = {res['n']}, d = N = {res['width']}, "
                 f"σ* = He₁ + ½He₂, noise σ_ε = {NOISE} (MLHD23 Fig. 3 in kind). Theory: best-linear level, "
                 f"thresholds 1/4, 1/3, 3/8, ℓ(α)", fontsize=10.5)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", default="numpy", help="numpy, array_api_strict, torch, jax or cupy")
    parser.add_argument("--out", default="figures", type=Path, help="output directory for the PNGs and JSON")
    parser.add_argument("--scale", default="quick", choices=sorted(SCALES))
    parser.add_argument("--seed", default=0, type=int)
    parser.add_argument("--device", default=None, help="array device, e.g. 'cuda' for torch (backend default)")
    args = parser.parse_args(argv)
    import matplotlib

    matplotlib.use("Agg")
    xp = get_namespace(args.backend)
    cfg = SCALES[args.scale]
    args.out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    spec = spectrum_experiment(xp, cfg["spectrum"], args.seed, args.device)
    t1 = time.perf_counter()
    print(f"spectrum: n={spec['n']}, d=N={spec['width']}, edge={spec['edge']:.1f} ({t1 - t0:.1f} s)")
    for a, top, sig, c, al in zip(spec["alphas"], spec["top"], spec["signal_spikes"], spec["counts"],
                                  spec["alignments"]):
        print(f"  α={a}: s/edge = {[round(s / spec['edge'], 2) for s in top]}, all-orders prediction "
              f"{[round(s / spec['edge'], 2) for s in sig]}; ℓ(α)={c['ell']}, visible predicted "
              f"{c['visible_predicted']} (order level {c['visible_order_level']}), measured {c['visible_observed']}; "
              f"alignments = {[round(al[k][k], 3) for k in range(3)]}")
    err = errors_experiment(xp, cfg["errors"], args.seed, args.device)
    t2 = time.perf_counter()
    print(f"errors: n={err['n']}, d=N={err['width']} ({t2 - t1:.1f} s); best-linear excess "
          f"{err['best_linear_excess']:.3f}; cos∠(b, β*) = {err['overlap_rows']:.3f} (r = y; limit "
          f"{err['overlap_limit']:.3f}), {err['overlap_rows_f0']:.3f} (r = y − f₀)")
    for r, r0 in zip(err["rows"], err["rows_f0"]):
        print(f"  α={r['alpha']:.3f}: train={r['train_error']:.3f} test excess={r['test_excess']:.3f} "
              f"± {r['test_excess_se']:.3f} (λ={r['lambda']:.1e}); r = y − f₀: {r0['test_excess']:.3f}")
    plot_spectrum(spec, args.out / "one_step_spectrum.png")
    plot_errors(err, args.out / "one_step_errors.png")
    summary = {"backend": args.backend, "scale": args.scale, "seed": args.seed, "spectrum": {
        k: v for k, v in spec.items() if k not in ("bulk", "spectra")}, "errors": err}
    write_json(args.out / "one_step_summary.json", summary)
    print(f"wrote {args.out}/one_step_spectrum.png, one_step_errors.png, one_step_summary.json "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
