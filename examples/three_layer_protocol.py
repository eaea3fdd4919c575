"""NDL23 experiment protocol for the three-layer network (Algorithm 1), on any backend.

Paper protocol (docs/papers/ndl23.md §2.3, [stated]): grid search of η1 and λ on a held-out validation set, test
set, 5 seeds, median line with a min–max band; test loss and corr(φ̂, h*) against n. Our
additions: several d, the kernel-theory prediction of the correlation curve (dashed, on the same
axes as the measured medians), and a collapse plot against n/d² and n/d⁴ (which scaling makes
the curves coincide). Writes ``three_layer_protocol_<scale>.png`` and ``three_layer_protocol.json``.

    python examples/three_layer_protocol.py --scale quick --backend numpy --out results/ndl23

Quick scale (3 seeds) runs in about a minute or two on 2 CPU cores; paper scale uses the paper's 5 seeds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from featlearn.backends import Generator, get_namespace
from featlearn.output import write_json
from featlearn.papers.ndl23.setting import SHIFTED_RELU
from featlearn.papers.ndl23.three_layer import feature_learning_curve, run_layerwise
from featlearn.papers.ndl23.kernels import CENTRED_ABS, kernel_energies, kernel_spectrum
from featlearn.papers.ndl23.sample_complexity import predicted_feature_correlation
from featlearn.stats import median
from featlearn.theory.targets import QuadraticFeature

SCALES = {
    # d values, n grid exponents (log2) for the correlation curve, n for losses, seeds, m1, val/test size
    "quick": dict(ds=(8, 16, 24), corr_logn=range(6, 15), loss_logn=(8, 10, 12, 14), seeds=3, m1=128,
                  n_eval=2**12),
    "paper": dict(ds=(8, 16, 24, 32), corr_logn=range(6, 19), loss_logn=tuple(range(8, 19, 2)), seeds=5,
                  m1=1024, n_eval=2**15),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", choices=sorted(SCALES), default="quick")
    ap.add_argument("--backend", default="numpy")
    ap.add_argument("--out", default="results/three_layer_protocol")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    cfg = SCALES[args.scale]
    xp = get_namespace(args.backend)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    root = Generator(args.seed, xp=xp)
    t0 = time.perf_counter()
    res = {"scale": args.scale, "backend": args.backend, "sigma2": CENTRED_ABS.name, "link": SHIFTED_RELU.name,
           "d": {}}
    for d in cfg["ds"]:
        m2 = 8 * d * d
        target = QuadraticFeature.random(root.child("A", d), d, SHIFTED_RELU)
        ns = [2**k for k in cfg["corr_logn"]]
        curves = [feature_learning_curve(target, root.child("corr", d, s), ns, m2=m2, sigma2=CENTRED_ABS,
                                         n_test=cfg["n_eval"]) for s in range(cfg["seeds"])]
        spec = kernel_spectrum(CENTRED_ABS, d, max_degree=6)
        X, y = target.sample(root.child("mc", d), 2048)
        E = kernel_energies(spec, X, y, target.feature(X))
        pred = [predicted_feature_correlation(spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, m2)
                for n in ns]
        losses, lcorr = {}, {}
        for n in (2**k for k in cfg["loss_logn"]):
            runs = [run_layerwise(target, root.child("loss", d, s, n), n=n, m1=cfg["m1"], m2=m2, sigma2=CENTRED_ABS,
                                  n_val=cfg["n_eval"], n_test=cfg["n_eval"], slopes=(0.5, 1.0, 2.0, 4.0))
                    for s in range(cfg["seeds"])]
            losses[n] = [r.test_nmse for r in runs]
            lcorr[n] = [r.corr for r in runs]
        res["d"][d] = {"m2": m2, "n": ns, "corr": [list(c) for c in zip(*curves)], "corr_predicted": pred,
                       "loss_n": list(losses), "loss": list(losses.values()), "loss_corr": list(lcorr.values())}
        print(f"d={d}: done at {time.perf_counter() - t0:.1f}s", flush=True)
    res["seconds"] = time.perf_counter() - t0
    write_json(out / "three_layer_protocol.json", res)
    plot(res, out)
    print(f"wrote {out}/three_layer_protocol_{args.scale}.png and three_layer_protocol.json in {res['seconds']:.1f}s")


def _band(v):
    return [median(x) for x in v], [min(x) for x in v], [max(x) for x in v]


def plot(res, out: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, ax = plt.subplots(1, 3, figsize=(16, 5.2), layout="constrained")
    seeds = len(next(iter(res["d"].values()))["corr"][0])
    n_label = "samples per stage n (log scale)"
    corr_label = "feature correlation |corr(φ̂, h*)|  (learned vs true feature)"
    for d, r in res["d"].items():
        med, lo, hi = _band(r["corr"])
        line, = ax[0].plot(r["n"], med, "o-", label=f"d = {d}  (m₂ = {r['m2']})")
        c = line.get_color()
        ax[0].fill_between(r["n"], lo, hi, color=c, alpha=0.2)
        ax[0].plot(r["n"], r["corr_predicted"], "--", color=c, lw=1.8)
        lm, llo, lhi = _band(r["loss"])
        ax[1].plot(r["loss_n"], lm, "o-", color=c, label=f"d = {d}")
        ax[1].fill_between(r["loss_n"], llo, lhi, color=c, alpha=0.2)
        ax[2].plot([n / int(d) ** 2 for n in r["n"]], med, "o-", ms=3, color=c, label=f"d = {d}: n/d²")
        ax[2].plot([n / int(d) ** 4 * 1e2 for n in r["n"]], med, ":", color=c, label=f"d = {d}: 100·n/d⁴")
    style = [Line2D([], [], color="0.3", marker="o", label=f"measured: median of {seeds} seeds"),
             Patch(color="0.3", alpha=0.2, label="min–max over the seeds"),
             Line2D([], [], color="0.3", ls="--", lw=1.8, label="kernel theory (predicted_feature_correlation)")]
    h, _ = ax[0].get_legend_handles_labels()
    ax[0].legend(handles=h + style, fontsize=8, loc="lower right")
    ax[0].set(xscale="log", xlabel=n_label, ylabel=corr_label,
              title="stage 1: learned feature vs theory")
    ax[1].set(xscale="log", yscale="log", xlabel=n_label,
              ylabel="test loss: mean squared error / Var f*  (log scale)",
              title="after stage 2: test loss (η₁, λ tuned on validation)")
    ax[1].legend(handles=ax[1].get_legend_handles_labels()[0] + style[:2], fontsize=8, loc="upper right")
    ax[2].set(xscale="log", xlabel="rescaled sample size: n/d² (solid), 100·n/d⁴ (dotted)  (log scale)",
              ylabel=corr_label, title="which rescaling lines the curves up: n/d² or n/d⁴?")
    ax[2].legend(fontsize=7.5, loc="lower right", ncol=2)
    for a in ax:
        a.grid(alpha=0.3)
    fig.suptitle(f"NDL23 three-layer network, quadratic feature h*, σ₂ = {res['sigma2']}, g* = {res['link']} "
                 f"({res['backend']}, {res['scale']} scale; reconstructed setting)\n"
                 f"Paper protocol: median over {seeds} seeds with a min–max band (the paper uses 5); η₁ and λ "
                 f"chosen on a held-out validation set, errors on a separate test set", fontsize=11)
    fig.savefig(out / f"three_layer_protocol_{res['scale']}.png", dpi=110)
    plt.close(fig)


if __name__ == "__main__":
    main()
