"""Figures of MLHD23's spectral and error sweeps: theory against measurement.

* :func:`spectral_figures` (experiment ``mlhd23-spectral``): per α, the top singular values of the one-step
  feature matrix F over the bulk edge of F₀ against n, with the order-level spike sizes of the
  reconstructed expansion (``spike_magnitude``, docs/papers/mlhd23.md §4.2) and the counting margin; the
  alignments |⟨U_k, GS_k⟩| against n with their limit 1; the overlap cos∠(b, β*) with its limit.
* :func:`errors_figures` (experiment ``mlhd23-errors``): test excess risk and training error against α with the
  best linear predictor's risk ‖P_{>1}σ*‖², the no-step (random features) risk and the spike thresholds
  α = (k−1)/(2k).

Every function takes the sweep's ok records (as the experiment writes them) and an output folder and returns
the PNG paths; matplotlib is imported lazily through :func:`featlearn.experiments.new_figure`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from featlearn.experiments import new_figure, save_figure, select_records
from featlearn.theory.one_step import (best_linear_excess_risk, direction_overlap_limit, hermite_profile,
                                       spike_count, spike_magnitude, spike_threshold)

from .setting import ACTIVATION, LINK, NOISE, SPIKE_MARGIN, STAIRCASE_LAMBDA


#: Spike degrees drawn (the thresholds α = (k−1)/(2k) of k = 2, 3, 4: 1/4, 1/3, 3/8).
_DEGREES = (1, 2, 3)
_THRESHOLDS = [spike_threshold(k) for k in (2, 3, 4)]


def _sweeps(records) -> dict[int, list[dict]]:
    """``{n: [SpikeSweep as a dict, per replicate]}`` of the spectral sweep's records."""
    runs: dict[int, list[dict]] = {}
    for r in sorted(select_records(records), key=lambda r: (int(r["n"]), int(r["rep"]))):
        runs.setdefault(int(r["n"]), []).append(json.loads(r["spectra"]))
    if not runs:
        raise ValueError("records: no ok record of the mlhd23-spectral sweep")
    return runs


def _band(ax, xs, per_x: list[list[float]], *, label: str, color=None, marker="o"):
    mean = [sum(v) / len(v) for v in per_x]
    (line,) = ax.plot(xs, mean, marker=marker, ms=4, label=label, color=color)
    ax.fill_between(xs, [min(v) for v in per_x], [max(v) for v in per_x], color=line.get_color(), alpha=0.2,
                    linewidth=0)
    return line.get_color()


def spectral_figures(records, out_dir) -> list[Path]:
    """Figures of ``mlhd23-spectral``: singular values over the bulk edge, alignments and overlap, vs n."""
    runs = _sweeps(records)
    ns = sorted(runs)
    first = runs[ns[0]][0]
    scales = first.get("eta_scales") or [1.0] * len(first["alphas"])
    cols = [i for i, c in enumerate(scales) if c == 1.0]  # η = n^α; the η-prefactor entries are not drawn here
    alphas = [first["alphas"][i] for i in cols]
    mu = hermite_profile(ACTIVATION, max(_DEGREES) + 1)
    out = []

    fig, axes = new_figure(1, len(alphas), figsize=(5.2 * len(alphas), 4.4))
    axes = [axes] if len(alphas) == 1 else list(axes)
    for i, ax, alpha in zip(cols, axes, alphas):
        ell = spike_count(alpha, boundary="lower")
        top = len(first["singular_values"][i])
        for j in range(min(top, max(_DEGREES) + 1)):
            per_n = [[sw["singular_values"][i][j] / sw["edge"] for sw in runs[n]] for n in ns]
            color = _band(ax, ns, per_n, label=f"measured s_{j + 1}/edge")
            k = j + 1
            if k in _DEGREES and k <= ell:  # the theorem's spikes; k > ℓ(α) stay in the bulk (expansion invalid there)
                theory = [sum(spike_magnitude(k, eta=sw["etas"][i], mu=mu, b_norm=sw["b_norm"], n=sw["n_features"],
                                              width=sw["width"]) / sw["edge"] for sw in runs[n]) / len(runs[n])
                          for n in ns]
                ax.plot(ns, theory, ls="--", color=color, lw=1, label=f"theory (order level, reconstructed) k = {k}")
        ax.axhline(1.0, color="k", lw=1.2, label="bulk edge of F₀ (= 1)")
        ax.axhline(1.0 + SPIKE_MARGIN, color="k", ls=":", lw=1, label=f"spike margin {1 + SPIKE_MARGIN:g} × edge")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set(xlabel="samples n = ñ (d = N ∝ n)", ylabel="singular value of F / bulk edge of F₀ (ratio, log)")
        ax.set_title(f"α = {alpha} (η = n^α): ℓ(α) = {ell} predicted spikes, s_k for k > ℓ in the bulk", fontsize=9)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize="x-small")
    fig.suptitle("mlhd23-spectral: top singular values of the one-step features F = σ(X̃W) over the bulk edge\n"
                 "(line: replicate mean, band: min–max; dashed: spike size of the expansion, docs §4.2)", fontsize=10)
    out.append(save_figure(fig, Path(out_dir) / "spectral_singular_values.png"))

    fig, (ax1, ax2) = new_figure(1, 2, figsize=(10.4, 4.4))
    lowest = 0.85
    for i, alpha in zip(cols, alphas):
        ell = spike_count(alpha, boundary="lower")
        for k in range(1, min(ell, len(first["alignments"][i][0])) + 1):
            per_n = [[sw["alignments"][i][k - 1][k - 1] for sw in runs[n]] for n in ns]
            _band(ax1, ns, per_n, label=f"α = {alpha}, k = {k}", marker="os^"[(k - 1) % 3])
            lowest = min(lowest, *(v for row in per_n for v in row))
    ax1.axhline(1.0, color="k", lw=1.2, label="theory: → 1 (MLHD23 Thm 3.4)")
    ax1.axhline(0.9, color="k", ls=":", lw=1, label="accepted (mlhd23.alignment): ≥ 0.9")
    ax1.set_xscale("log")
    ax1.set(xlabel="samples n = ñ", ylabel="|⟨U_k, GS_k((X̃b)^{∘k})⟩| (cosine)", ylim=(max(0.0, lowest - 0.05), 1.01))
    ax1.set_title("alignment of the k-th left singular vector, k <= ℓ(α)", fontsize=9)
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize="x-small")
    per_n = [[sw["overlap"] for sw in runs[n]] for n in ns]
    _band(ax2, ns, per_n, label="measured cos∠(b, β*)")
    limit = [direction_overlap_limit(LINK, d=runs[n][0]["d"], n=n, noise_std=NOISE) for n in ns]
    ax2.plot(ns, limit, "k--", lw=1.2, label="theory c*₁/√(c*₁² + (d/n)E y²) (reconstructed)")
    ax2.set_xscale("log")
    ax2.set(xlabel="samples n (d = ratio·n)", ylabel="cos∠(b, β*) (cosine)")
    ax2.set_title("spike direction b = (1/n)Xᵀy against β*", fontsize=9)
    ax2.grid(True, which="both", alpha=0.3)
    ax2.legend(fontsize="x-small")
    fig.suptitle("mlhd23-spectral: alignments and the spike direction (line: replicate mean, band: min–max)",
                 fontsize=10)
    out.append(save_figure(fig, Path(out_dir) / "spectral_alignments.png"))
    return out


def errors_figures(records, out_dir) -> list[Path]:
    """Figures of ``mlhd23-errors``: test excess risk and training error vs α, with the theory's levels."""
    reps = [json.loads(r["rows"]) for r in sorted(select_records(records), key=lambda r: int(r["rep"]))]
    if not reps:
        raise ValueError("records: no ok record of the mlhd23-errors sweep")
    alphas = [r["alpha"] for r in reps[0] if r["alpha"] is not None]

    def rows(a):
        return [next(r for r in rep if r["alpha"] is not None and abs(r["alpha"] - a) < 1e-12) for rep in reps]

    no_step = [next(r for r in rep if r["alpha"] is None) for rep in reps]
    bound = best_linear_excess_risk(LINK)
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(11, 4.4))
    test = [[r["test_excess"] for r in rows(a)] for a in alphas]
    se = [math.sqrt(sum(r["test_excess_se"] ** 2 for r in rows(a))) / len(reps) for a in alphas]
    mean = [sum(v) / len(v) for v in test]
    ax1.errorbar(alphas, mean, yerr=[2 * s for s in se], marker="o", ms=4, capsize=3,
                 label="measured (replicate mean ± 2 s.e.)")
    rf = sum(r["test_excess"] for r in no_step) / len(no_step)
    ax1.axhline(rf, color="C3", ls="-.", lw=1.2, label="no step, η = 0 (random features; BA22's baseline)")
    ax1.axhline(bound, color="k", ls="--", lw=1.2, label="best linear predictor ‖P_{>1}σ*‖² (theory)")
    ax1.set(xlabel="step-size exponent α (η = n^α)", ylabel="test excess risk E(f* − f̂)² (mean squared error)")
    ax1.set_title("test excess risk, λ chosen on validation data", fontsize=9)

    lam = reps[0][0]["lambdas"]
    j = min(range(len(lam)), key=lambda i: abs(math.log(lam[i] / STAIRCASE_LAMBDA)))
    train = [[r["train_errors"][j] for r in rows(a)] for a in alphas]
    _band(ax2, alphas, train, label=f"measured training error (λ = {lam[j]:g})")
    ax2.axhline(sum(r["train_errors"][j] for r in no_step) / len(no_step), color="C3", ls="-.", lw=1.2,
                label="no step, η = 0")
    ax2.set(xlabel="step-size exponent α (η = n^α)", ylabel="training mean squared error")
    ax2.set_title("training error: a staircase in α (MLHD23 Fig. 3 right)", fontsize=9)
    for ax in (ax1, ax2):
        for i, t in enumerate(_THRESHOLDS):
            ax.axvline(t, color="0.4", ls=":", lw=1, label="spike thresholds α = (k−1)/(2k)" if i == 0 else None)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize="x-small")
    fig.suptitle("mlhd23-errors: one large step then ridge, errors vs the step-size exponent α "
                 f"({len(reps)} replicate(s))", fontsize=10)
    return [save_figure(fig, Path(out_dir) / "errors_vs_alpha.png")]
