"""``featlearn reproduce ndl23-quadratic``: the Nichani–Damian–Lee 2023 protocol as a sweep.

Cells are (d, n) × seeds; each runs Algorithm 1 (layer-wise training, reconstructed
setting of :mod:`featlearn.papers.ndl23.setting`) on a quadratic-feature target
g*(xᵀAx) with x uniform on the sphere of radius √d, η1 and λ chosen on a validation
set, and records the test loss and corr(φ̂, h*). The paper's protocol (docs/papers/ndl23.md §2.3, [stated]):
5 seeds, median with min–max band, validation and test sets of 2^15.
"""

from __future__ import annotations

import json
from typing import Any

from featlearn.claims import RunContext
from featlearn.experiments import register_experiment
from featlearn.theory.targets import QuadraticFeature

from .figures import curves_figures, quadratic_figures
from .kernels import CENTRED_ABS, kernel_energies, kernel_spectrum
from .sample_complexity import energies_prediction, predicted_feature_correlation
from .setting import KEY, SHIFTED_RELU
from .three_layer import feature_learning_curve, run_layerwise


def ndl23_curves(params: dict, ctx: RunContext) -> dict[str, Any]:
    """One cell of the shared quadratic-feature sweep (d = ``ctx.setting.curves_d``) read by two NDL23 claims.

    ``kind="corr"``: one replicate learning curve corr(φ̂, h*) over the n grid ``curves_ns_corr``
    (nested prefixes of one stage-1 stream, ``ctx.rng("corr", rep)``), as JSON; replicate 0 also records the
    kernel prediction of the curve for the drawn A (``predicted_curve``: the energies from ``ctx.rng("mc", d)``,
    as the claim ndl23.feature-correlation-curve computes them) for the figure.
    ``kind="loss"``: one layer-wise run at ``n`` (``ctx.rng("loss", rep, n)``), η1 and λ
    chosen on validation: normalised test loss and corr. The target is ``ctx.rng("A", d)``.
    """
    s = ctx.setting
    d = s.curves_d
    m2 = s.quad_m2_per_d2 * d * d
    target = QuadraticFeature.random(ctx.rng("A", d), d, SHIFTED_RELU)
    rep = int(params["rep"])
    if params["kind"] == "corr":
        ns = list(s.curves_ns_corr)
        cs = feature_learning_curve(target, ctx.rng("corr", rep), ns, m2=m2, sigma2=CENTRED_ABS,
                                    n_test=s.curves_n_test, dtype=ctx.dtype)
        out = {"curve": json.dumps({str(n): c for n, c in zip(ns, cs)}), "d": d, "m2": m2, "predicted_curve": ""}
        if rep == 0:  # theory for the figure (one per sweep seed): the claim's prediction for this A
            spec = kernel_spectrum(CENTRED_ABS, d, input="sphere", max_degree=6)
            X, y = target.sample(ctx.rng("mc", d), s.mc_n, dtype=ctx.dtype)
            E = kernel_energies(spec, X, y, target.feature(X))
            out["predicted_curve"] = json.dumps({str(n): predicted_feature_correlation(
                spec, E["energies"], E["KQf_h"], E["var_h"], E["var_f"], n, m2) for n in ns})
        return out
    n = int(params["n"])
    r = run_layerwise(target, ctx.rng("loss", rep, n), n=n, m1=s.curves_m1, m2=m2, sigma2=CENTRED_ABS,
                      n_val=s.curves_n_eval, n_test=s.curves_n_eval, slopes=s.stage1_slopes, dtype=ctx.dtype)
    return {"test_nmse": r.test_nmse, "corr": r.corr}


def _curves_grid(s: Any, scale: str) -> list[dict[str, Any]]:
    """The cells of ndl23-curves: ``curves_reps`` learning curves, then ``curves_loss_reps`` × ``curves_ns_loss``
    layer-wise runs (each cell names its scale, as the records always have)."""
    return ([{"scale": scale, "kind": "corr", "rep": r, "n": 0} for r in range(s.curves_reps)]
            + [{"scale": scale, "kind": "loss", "rep": r, "n": n} for r in range(s.curves_loss_reps)
               for n in s.curves_ns_loss])


register_experiment(
    f"{KEY}-curves", ndl23_curves, params=("scale", "kind", "rep", "n"),
    grid={"quick": lambda s: _curves_grid(s, "quick"), "paper": lambda s: _curves_grid(s, "paper")},
    seeds=lambda s: range(s.curves_seeds),
    description="Nichani–Damian–Lee 2023 (reconstructed setting), d = 16 quadratic feature: replicate learning "
                "curves corr(φ̂, h*) vs n and layer-wise runs (test loss, corr) on an n grid; read by the claims "
                "ndl23.feature-correlation-curve and ndl23.loss-falls-as-correlation-rises.",
    paper=KEY,
    figures=curves_figures,
)


#: Kernel predictions of the ndl23-quadratic targets, one per (run, d): the target is common to every cell of a d.
_PREDICTIONS: dict[tuple, Any] = {}


def _quadratic_prediction(ctx: RunContext, target: Any, d: int):
    """The kernel prediction (:func:`energies_prediction`, [reconstructed]) for the common target of dimension
    ``d`` of ndl23-quadratic, its energies by Monte Carlo from ``ctx.for_replicate(0).rng("mc", "ndl23-quadratic", d)``
    (``mc_n`` samples; key ``("mc", "ndl23-quadratic", d)``); computed once per process and run (a pure function of the run and d)."""
    s = ctx.setting
    key = (ctx.seed, ctx.backend, str(ctx.device), str(ctx.dtype), d, s.mc_n)
    if key not in _PREDICTIONS:
        spec = kernel_spectrum(CENTRED_ABS, d, input="sphere", max_degree=6)
        X, y = target.sample(ctx.for_replicate(0).rng("mc", KEY + "-quadratic", d), s.mc_n, dtype=ctx.dtype)
        _PREDICTIONS[key] = energies_prediction(spec, kernel_energies(spec, X, y, target.feature(X)))
    return _PREDICTIONS[key]


def ndl23_quadratic(params: dict, ctx: RunContext) -> dict[str, float]:
    """One layer-wise run on g*(xᵀAx): ``d``, ``n`` (per stage), ``m1``, ``n_eval`` (val/test size;
    both default to the setting's ``sweep_m1`` and ``sweep_n_eval``).

    A is drawn as sweep seed 0 draws it, ``ctx.for_replicate(0).rng("A", "ndl23-quadratic", d)`` (the same
    target for every sweep seed, so seeds vary the data and the network only; a stream of its own, so the d = 16
    target is not the one ``ndl23-curves`` draws and the two sweeps are independent evidence); m2 = 8d² inner features
    (``quad_m2_per_d2``), the width the claims use. ``corr_predicted`` is the kernel prediction of
    corr(φ̂, h*) for that A at this n and m2 (theory for the figure; not read by any claim).
    """
    s = ctx.setting
    d, n = int(params["d"]), int(params["n"])
    m1, n_eval = int(params.get("m1", s.sweep_m1)), int(params.get("n_eval", s.sweep_n_eval))
    m2 = s.quad_m2_per_d2 * d * d
    target = QuadraticFeature.random(ctx.for_replicate(0).rng("A", KEY + "-quadratic", d), d, SHIFTED_RELU)
    r = run_layerwise(target, ctx.rng("ndl23-quadratic", d, n), n=n, m1=m1,
                      m2=m2, sigma2=CENTRED_ABS, n_val=n_eval, n_test=n_eval, slopes=s.stage1_slopes,
                      dtype=ctx.dtype)
    pred = _quadratic_prediction(ctx, target, d).correlation(n, m2)
    return {"test_nmse": r.test_nmse, "corr": r.corr, "eta1": r.eta1, "lam": r.lam, "m2": m2,
            "corr_predicted": pred}


register_experiment(
    f"{KEY}-quadratic", ndl23_quadratic,
    params=("d", "n", "m1", "n_eval"),
    # the quick grid leaves m1 and n_eval to the cell's defaults; the paper grid names them
    grid={"quick": lambda s: {"d": list(s.sweep_ds), "n": list(s.sweep_ns)},
          "paper": lambda s: {"d": list(s.sweep_ds), "n": list(s.sweep_ns), "m1": [s.sweep_m1],
                              "n_eval": [s.sweep_n_eval]}},
    seeds=lambda s: range(s.sweep_seeds),  # paper: 60 cells, ≈ 2 min on a 2-core CPU
    description="Nichani–Damian–Lee 2023 protocol (reconstructed setting): three-layer network, Algorithm 1, "
                "quadratic-feature target g*(xᵀAx) on the sphere; test loss and corr(φ̂, h*) vs n for several d.",
    paper=KEY,
    figures=quadratic_figures,
)
