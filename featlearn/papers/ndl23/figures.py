"""Figures of the NDL23 experiments: theory against measurement (matplotlib, Agg, no pyplot state).

* ``ndl23-curves``: the learning curve corr(φ̂, h*) vs n — median and min–max band over the replicate
  curves against the kernel prediction of :func:`~featlearn.papers.ndl23.sample_complexity.predicted_feature_correlation`
  for the drawn A (recorded by the sweep, [reconstructed]) with the accepted region of
  ``ndl23.feature-correlation-curve`` (± its tolerance); and the layer-wise runs' test loss against their
  correlation (the [stated] "loss → 0 as corr → 1").
* ``ndl23-quadratic``: corr(φ̂, h*) vs n for each d against the kernel prediction for the drawn A (recorded by
  the cells as ``corr_predicted``) and its Gaussian approximation
  (:func:`~featlearn.papers.ndl23.sample_complexity.quadratic_feature_prediction`, [reconstructed]), the test
  loss vs n, and the test loss against the correlation.
"""

from __future__ import annotations

import json
from pathlib import Path

from featlearn.experiments import group_by, plot_seed_band, select_records
from featlearn.experiments._plots import new_figure, ok_records, save_figure
from featlearn.stats import median

from .kernels import CENTRED_ABS
from .setting import SHIFTED_RELU


def _gaussian_approx(d: int, m2: int, ns) -> list[float]:
    from .sample_complexity import quadratic_feature_prediction

    p = quadratic_feature_prediction(CENTRED_ABS, SHIFTED_RELU, int(d))
    return [p.correlation(float(n), float(m2)) for n in ns]


def curves_figures(records: list[dict], out_dir: Path, *, tolerance: float | None = None) -> list[Path]:
    """Figures of ``ndl23-curves``: measured learning curve vs the kernel prediction, and loss vs correlation."""
    from .claims import CORR_CURVE_TOL

    tol = CORR_CURVE_TOL if tolerance is None else tolerance
    rows = ok_records(records)
    out: list[Path] = []
    corr_rows = select_records(rows, required=False, kind="corr")
    if corr_rows:
        curves = [json.loads(r["curve"]) for r in corr_rows]
        ns = sorted(int(n) for n in curves[0])
        vals = [[c[str(n)] for c in curves] for n in ns]
        fig, ax = new_figure()
        ax.plot(ns, [median(v) for v in vals], "o-", ms=4, color="C0",
                label=f"measured: median of {len(curves)} replicate curves")
        ax.fill_between(ns, [min(v) for v in vals], [max(v) for v in vals], color="C0", alpha=0.2, lw=0,
                        label="measured: min–max over replicates")
        pred = [json.loads(r["predicted_curve"]) for r in corr_rows if r.get("predicted_curve")]
        if pred:
            p = [median([q[str(n)] for q in pred]) for n in ns]
            ax.plot(ns, p, "k-", lw=1.5, label="kernel prediction for the drawn A (reconstructed)")
            ax.fill_between(ns, [v - tol for v in p], [v + tol for v in p], color="k", alpha=0.08, lw=0,
                            label=f"accepted region: prediction ± {tol:g}")
        d = corr_rows[0].get("d")
        m2 = corr_rows[0].get("m2")
        if d is not None and m2 is not None:
            ax.plot(ns, _gaussian_approx(d, m2, ns), "k:", lw=1.2,
                    label="Gaussian-approximation prediction (reconstructed)")
        ax.axhline(1.0, color="0.5", lw=0.8, ls="--", label="perfect feature")
        ax.set_xscale("log")
        ax.set(xlabel="samples per stage n (log scale)", ylabel="|corr(learned feature φ̂, h*)| (dimensionless)")
        dtxt = f", d = {d}, m2 = {m2}" if d is not None else ""
        ax.set_title(f"ndl23-curves: learned-feature correlation vs n{dtxt}\n"
                     "(claim ndl23.feature-correlation-curve)", fontsize=9)
        ax.legend(fontsize="small")
        ax.grid(True, which="both", alpha=0.3)
        out.append(save_figure(fig, Path(out_dir) / "ndl23_curves_corr_vs_n.png"))
    loss_rows = select_records(rows, required=False, kind="loss")
    if loss_rows:
        out.append(_loss_vs_corr(loss_rows, Path(out_dir) / "ndl23_curves_loss_vs_corr.png", hue=None,
                                 title="ndl23-curves: test loss of Algorithm 1 vs learned-feature correlation\n"
                                       "(claim ndl23.loss-falls-as-correlation-rises; stated: loss → 0 as corr → 1)"))
    return out


def _loss_vs_corr(rows: list[dict], path: Path, *, hue: str | None, title: str) -> Path:
    """Median test MSE / Var f* against median corr(φ̂, h*) over seeds, one point per n (labelled), per ``hue``."""
    corr = group_by(rows, x="n", y="corr", hue=hue)
    loss = group_by(rows, x="n", y="test_nmse", hue=hue)
    fig, ax = new_figure()
    for i, h in enumerate(corr):
        ns = [n for n in corr[h] if n in loss.get(h, {})]
        c = [median(corr[h][n]) for n in ns]
        lo = [median(loss[h][n]) for n in ns]
        ax.plot(c, lo, "o-", ms=4, color=f"C{i}", label=None if h is None else f"{hue} = {h}")
        for n, cx, ly in zip(ns, c, lo):
            ax.annotate(f"n={int(n)}", (cx, ly), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.axhline(1.0, color="0.5", lw=0.8, ls="--", label="zero predictor (test MSE = Var f*)")
    ax.axvline(1.0, color="k", lw=0.8, ls=":", label="theory: loss → 0 as corr → 1")
    ax.set_yscale("log")
    ax.set(xlabel="median |corr(φ̂, h*)| over seeds (dimensionless)",
           ylabel="median test MSE / Var f* (log scale)")
    ax.set_title(title, fontsize=9)
    ax.legend(fontsize="small")
    ax.grid(True, which="both", alpha=0.3)
    return save_figure(fig, path)


def quadratic_figures(records: list[dict], out_dir: Path) -> list[Path]:
    """Figures of ``ndl23-quadratic``: corr vs n with the Gaussian-approximation prediction per d, test loss vs n,
    and test loss against correlation."""
    rows = ok_records(records)
    out_dir = Path(out_dir)
    paths = []
    corr = group_by(rows, x="n", y="corr", hue="d")
    fig, ax = new_figure()
    for i, (d, g) in enumerate(corr.items()):
        ns = [float(n) for n in g]
        vals = list(g.values())
        ax.plot(ns, [median(v) for v in vals], "o-", ms=4, color=f"C{i}", label=f"measured, d = {d}")
        ax.fill_between(ns, [min(v) for v in vals], [max(v) for v in vals], color=f"C{i}", alpha=0.2, lw=0)
        if any(r.get("corr_predicted") is not None for r in rows):
            pred = group_by([r for r in rows if r.get("d") == d], x="n", y="corr_predicted")[None]
            ax.plot([float(n) for n in pred], [median(v) for v in pred.values()], "-", color=f"C{i}", lw=2.5,
                    alpha=0.45, label=f"kernel prediction for the drawn A, d = {d}")
        m2 = next((r.get("m2") for r in rows if r.get("d") == d and r.get("m2") is not None), None)
        if m2 is not None:
            grid = [min(ns) * (max(ns) / min(ns)) ** (k / 39) for k in range(40)]
            ax.plot(grid, _gaussian_approx(d, m2, grid), ":", color=f"C{i}", lw=1.2,
                    label=f"Gaussian-approximation prediction, d = {d}")
    ax.axhline(1.0, color="0.5", lw=0.8, ls=":", label="perfect feature")
    ax.set_xscale("log")
    ax.set(xlabel="samples per stage n (log scale)", ylabel="|corr(learned feature φ̂, h*)| (dimensionless)")
    ax.set_title("ndl23-quadratic: learned-feature correlation vs n, kernel theory vs measured\n"
                 "(markers: median over seeds; band: min–max; predictions reconstructed, m2 = 8 d²)", fontsize=9)
    ax.legend(fontsize="small")
    ax.grid(True, which="both", alpha=0.3)
    paths.append(save_figure(fig, out_dir / "corr_vs_n.png"))
    paths.append(plot_seed_band(rows, x="n", y="test_nmse", hue="d", logx=True, logy=True,
                                path=out_dir / "test_loss_vs_n.png",
                                title="ndl23-quadratic: normalised test loss of Algorithm 1, by input dimension d",
                                xlabel="samples per stage n (log scale)", ylabel="test MSE / Var f* (log scale)",
                                hlines=[(1.0, "zero predictor (test MSE = Var f*)")]))
    paths.append(_loss_vs_corr(rows, out_dir / "loss_vs_corr.png", hue="d",
                               title="ndl23-quadratic: test loss vs learned-feature correlation, by d\n"
                                     "(claim ndl23.quadratic-sweep-loss-vs-correlation; stated: loss → 0 as corr → 1)"))
    return paths
