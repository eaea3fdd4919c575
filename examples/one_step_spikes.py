"""One large gradient step: spikes in the feature spectrum and the error staircase (MLHD23, BA22).

Reproduces *in kind* the two figures of Moniri, Lee, Hassani, Dobriban 2023 (arXiv 2310.07891)
described by its reviews (``docs/papers/mlhd23.md`` §6.1);
the papers' exact figure parameters were not found, so the sizes are ours (docs/papers/mlhd23.md §6.2):

* ``one_step_spectrum.png`` (their Figure 2): singular values of the feature matrix
  F = σ(X̃W) after one step with η = n^α, against the bulk of F₀ = σ(X̃W₀) on the same data,
  with crosses at the order-level spike magnitudes (reconstructed, docs/papers/mlhd23.md §4.2); and the
  alignments |⟨U_i, GS_k⟩| of the top left singular vectors with the Gram–Schmidt sequence of
  the polynomial features (X̃b)^{∘k};
* ``one_step_errors.png`` (their Figure 3): training and test errors against
  α = log η / log n, with the random-features (α = 0) and best-linear reference lines and the
  spike count ℓ(α) (the "staircase").

Setting: x ~ N(0, I_d), y = σ*(β*·x) + 0.1·ξ with σ* = He₁ + ½He₂, σ = centred tanh + 2 softplus,
MLHD23's parametrisation (neurons on the sphere), residual "y", ridge on independent data.

Usage::

    python examples/one_step_spikes.py --backend numpy --out figures --scale quick
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

from featlearn.backends import Generator, get_namespace, to_host
from featlearn.data import TargetStream
from featlearn.models.one_step import alpha_sweep, apply_step, one_step_gradient
from featlearn.models.spectral import bulk_edge, spectral_stats, top_spectrum
from featlearn.models.two_layer import init_network
from featlearn.theory.activations import Activation
from featlearn.theory.hermite import hermite_he
from featlearn.theory.one_step import (best_linear_excess_risk, hermite_profile, null_risk, spike_count,
                                       spike_magnitude, spike_threshold)
from featlearn.theory.targets import SingleIndex

LINK = Activation("he1+he2/2", lambda z: z + 0.5 * hermite_he(2, z), lambda z: 1.0 + z)
ACTIVATION = "tanh_softplus"
NOISE = 0.1
SCALES = {
    # quick: about a minute on a 2-core CPU
    "quick": {"spectrum": {"n": 2000, "width": 1000, "alphas": (0.1, 0.3, 0.39)},
              "errors": {"n": 4000, "width": 800, "n_val": 2000, "n_test": 8000,
                         "alphas": tuple(round(0.05 * i, 2) for i in range(10))}},
    # paper: GPU-sized
    "paper": {"spectrum": {"n": 16384, "width": 8192, "alphas": (0.1, 0.3, 0.36, 0.42)},
              "errors": {"n": 32768, "width": 8192, "n_val": 8192, "n_test": 32768,
                         "alphas": tuple(round(0.025 * i, 3) for i in range(20))}},
}


def spectrum_experiment(xp, cfg, seed: int, device=None) -> dict:
    """Full spectra of F₀ and F for each α, top singular values and alignments."""
    rng = Generator(seed, xp=xp, device=device).child("spectrum")
    n, N = cfg["n"], cfg["width"]
    target = SingleIndex.random(rng.child("target"), N, LINK)
    net0 = init_network(rng.child("init"), N, N, activation=ACTIVATION)
    step = TargetStream(target, n, rng.child("step-data"), noise=NOISE)
    grad = one_step_gradient(net0, step, residual="y")
    etas = [n ** a for a in cfg["alphas"]]
    nets = [net0] + [apply_step(net0, grad, e) for e in etas]
    stats = spectral_stats(nets, TargetStream(target, n, rng.child("feature-data"), noise=NOISE),
                           direction=grad.direction, degree=3)
    full = [sorted(math.sqrt(max(float(v), 0.0)) for v in to_host(xp.linalg.eigvalsh(s.FtF)).tolist())
            for s in stats]
    spectra = [top_spectrum(s, 4) for s in stats[1:]]
    b_norm = float(to_host(xp.linalg.vector_norm(grad.direction)))
    mu = hermite_profile(ACTIVATION, 3)
    predicted = [[spike_magnitude(k, eta=e, mu=mu, b_norm=b_norm, n=n, width=N) for k in (1, 2, 3)] for e in etas]
    return {"n": n, "width": N, "alphas": list(cfg["alphas"]), "etas": etas, "edge": bulk_edge(stats[0]),
            "bulk": full[0], "spectra": full[1:], "top": [s.singular_values for s in spectra],
            "alignments": [s.alignments for s in spectra], "predicted_spikes": predicted, "b_norm": b_norm}


def errors_experiment(xp, cfg, seed: int, device=None) -> dict:
    """Training and test errors for a grid of α (one initialisation and gradient, shared)."""
    rng = Generator(seed, xp=xp, device=device).child("errors")
    target = SingleIndex.random(rng.child("target"), cfg["width"], LINK)
    rows = alpha_sweep(target, rng, n=cfg["n"], width=cfg["width"], alphas=cfg["alphas"], n_val=cfg["n_val"],
                       n_test=cfg["n_test"], noise=NOISE, activation=ACTIVATION, residual="y")
    return {"rows": rows, "best_linear_excess": best_linear_excess_risk(LINK), "null_risk": null_risk(LINK),
            **{k: cfg[k] for k in ("n", "width", "n_val", "n_test")}}


def plot_spectrum(res: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    A = len(res["alphas"])
    fig, axes = plt.subplots(2, A, figsize=(4.4 * A, 7.4), squeeze=False, layout="constrained")
    edge = res["edge"]
    lo = max(min(v for v in res["bulk"] if v > 0), edge * 1e-2)
    for j, (alpha, spec, top, pred, align) in enumerate(zip(res["alphas"], res["spectra"], res["top"],
                                                            res["predicted_spikes"], res["alignments"])):
        ax = axes[0, j]
        hi = max(max(top), max(pred[:2])) * 1.5
        bins = [lo * (hi / lo) ** (i / 80) for i in range(81)]
        ax.hist(res["bulk"], bins=bins, color="0.75", label="F₀ = σ(X̃W₀)")
        ax.hist(spec, bins=bins, histtype="step", color="C0", label="F = σ(X̃W)")
        ax.axvline(edge, color="k", ls="--", lw=1, label="bulk edge of F₀")
        ax.axvline(1.1 * edge, color="k", ls=":", lw=1, label="spike margin (1.1 × edge)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        for k, s in enumerate(top[:3]):
            ax.plot([s], [0.8 - 0.12 * k], "o", color=f"C{k + 1}", transform=ax.get_xaxis_transform(),
                    label=f"s_{k + 1}(F)")
            if pred[k] < hi:
                ax.plot([pred[k]], [0.8 - 0.12 * k], "x", color=f"C{k + 1}", ms=9,
                        transform=ax.get_xaxis_transform())
        ax.set_xlim(lo, hi)
        ax.set_title(f"α = {alpha}: η = {res['etas'][j]:.1f}, ℓ(α) = {spike_count(alpha)}", fontsize=10)
        ax.set_xlabel("singular value  (× = order-level prediction, reconstructed)", fontsize=8)
        if j == 0:
            ax.set_ylabel("count")
            ax.legend(fontsize=7, loc="lower left")
        ax = axes[1, j]
        K = len(align[0])
        im = ax.imshow([[align[i][k] for k in range(K)] for i in range(len(align))], vmin=0, vmax=1, cmap="viridis")
        for i in range(len(align)):
            for k in range(K):
                ax.text(k, i, f"{align[i][k]:.2f}", ha="center", va="center", fontsize=8,
                        color="w" if align[i][k] < 0.6 else "k")
        ax.set_xticks(range(K), [f"GS(u^{k + 1})" for k in range(K)])
        ax.set_yticks(range(len(align)), [f"U_{i + 1}" for i in range(len(align))])
        ax.set_title("alignments |⟨U_i, GS_k⟩|,  u = X̃b", fontsize=10)
    fig.colorbar(im, ax=axes[1, :].tolist(), shrink=0.8)
    fig.suptitle(f"Spectrum of the one-step feature matrix, ñ = {res['n']}, d = N = {res['width']} "
                 f"(MLHD23 Fig. 2 in kind)", fontsize=11)
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_errors(res: dict, path: Path) -> None:
    import matplotlib.pyplot as plt

    rows = res["rows"]
    alphas = [r["alpha"] for r in rows]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    lam_j = min(range(len(rows[0]["lambdas"])), key=lambda i: abs(math.log(rows[0]["lambdas"][i] / 1e-3)))
    train_fixed = [r["train_errors"][lam_j] for r in rows]
    ax = axes[0]
    ax.plot(alphas, train_fixed, "o-", label=f"train, λ = {rows[0]['lambdas'][lam_j]:.0e}")
    ax.plot(alphas, [r["train_error"] for r in rows], "s--", label="train, λ from validation")
    ax.axhline(train_fixed[0], color="0.5", ls=":", label="random features (α = 0)")
    ax.set_title("training error")
    ax = axes[1]
    exc = [r["test_excess"] for r in rows]
    se = [r["test_excess_se"] for r in rows]
    ax.errorbar(alphas, exc, yerr=[2 * s for s in se], fmt="o-", capsize=2, label="test excess risk E(f* − f̂)²")
    ax.plot(alphas, [r["test_error"] - NOISE ** 2 for r in rows], "x", color="C3", label="test error − σ_ε²")
    ax.axhline(res["best_linear_excess"], color="k", ls="--", label="best linear ‖P_{>1}σ*‖²")
    ax.axhline(exc[0], color="0.5", ls=":", label="random features (α = 0)")
    ax.set_title("test error (excess over noise)")
    for ax in axes[:2]:
        for k in (2, 3, 4):
            ax.axvline(spike_threshold(k), color="0.85", lw=1)
        ax.set_xlabel("α = log η / log n")
        ax.legend(fontsize=7)
    ax = axes[2]
    grid = [i / 1000 for i in range(0, 470)]
    ax.step(grid, [spike_count(a, boundary="lower") for a in grid], where="post")
    ax.set_xlabel("α")
    ax.set_ylabel("ℓ(α): number of spikes (stated law)")
    ax.set_title("staircase: ℓ(α) = #{k : α > (k−1)/(2k)}")
    fig.suptitle(f"One step + ridge, n = ñ = {res['n']}, d = N = {res['width']}, σ* = He₁ + ½He₂ "
                 f"(MLHD23 Fig. 3 in kind)", fontsize=10)
    fig.tight_layout()
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
    for a, top, al in zip(spec["alphas"], spec["top"], spec["alignments"]):
        print(f"  α={a}: s/edge = {[round(s / spec['edge'], 2) for s in top]}, "
              f"alignments = {[round(al[k][k], 3) for k in range(3)]}")
    err = errors_experiment(xp, cfg["errors"], args.seed, args.device)
    t2 = time.perf_counter()
    print(f"errors: n={err['n']}, d=N={err['width']} ({t2 - t1:.1f} s); best-linear excess "
          f"{err['best_linear_excess']:.3f}")
    for r in err["rows"]:
        print(f"  α={r['alpha']:.3f}: train={r['train_error']:.3f} test excess={r['test_excess']:.3f} "
              f"± {r['test_excess_se']:.3f} (λ={r['lambda']:.1e})")
    plot_spectrum(spec, args.out / "one_step_spectrum.png")
    plot_errors(err, args.out / "one_step_errors.png")
    summary = {"backend": args.backend, "scale": args.scale, "seed": args.seed, "spectrum": {
        k: v for k, v in spec.items() if k not in ("bulk", "spectra")}, "errors": err}
    (args.out / "one_step_summary.json").write_text(json.dumps(summary, indent=1))
    print(f"wrote {args.out}/one_step_spectrum.png, one_step_errors.png, one_step_summary.json "
          f"in {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
