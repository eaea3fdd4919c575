"""MLHD23's sweeps on the experiment engine: the spectral and error sweeps its claims read, and
``featlearn reproduce mlhd23-one-step`` (errors after one large step, as a sweep over α).

``mlhd23-spectral`` (cells: sample size n × replicate) and ``mlhd23-errors`` (cells: replicate)
are the sweeps the claims of :mod:`.claims` read, run one cell at a time through the sweep store,
so a paper-scale check resumes after a kill and distributes over Dask. Each
record holds the cell's result as JSON (``spectra`` / ``rows``). Every size and α grid is a field of
:class:`.setting.Setting`, read from ``ctx.setting`` (cells) or the grid's setting.

``mlhd23-one-step``:

Cells are (α, residual convention) × seeds at one size; each trains the two-layer network
of :mod:`.setting` (MLHD23 parametrisation, σ = centred tanh + 2·softplus,
σ* = He₁ + ½He₂, σ_ε = 0.1; reconstructed setting of docs/papers/mlhd23.md §6.2) with one step
η = n^α, fits the second layer by ridge (λ on validation) and records training and test
errors. It reproduces MLHD23's Figure 3 in kind and the finding of docs/papers/mlhd23.md §6.3 that the
residual convention (y vs y − f₀) decides whether errors fall with α.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from featlearn.claims import RunContext
from featlearn.experiments import plot_seed_band, register_experiment
from featlearn.models.one_step import alpha_sweep
from featlearn.stats import median
from featlearn.theory.one_step import best_linear_excess_risk
from featlearn.theory.targets import SingleIndex

from .figures import errors_figures, spectral_figures
from .setting import ACTIVATION, KEY, LINK, NOISE
from .spectral import spike_sweep


def spectral_grid(s) -> tuple[list[float], list[float]]:
    """The (α, prefactor c) pairs of one spectral-sweep cell: every α of ``spectral_alphas`` at c = 1, then
    ``prefactor_alpha`` at each of ``eta_prefactors`` not already there (η = c·n^α, same draws)."""
    pairs = [(float(a), 1.0) for a in s.spectral_alphas]
    pairs += [(float(s.prefactor_alpha), float(c)) for c in s.eta_prefactors
              if (float(s.prefactor_alpha), float(c)) not in pairs]
    return [a for a, _ in pairs], [c for _, c in pairs]


def mlhd23_spectral(params: dict, ctx: RunContext) -> dict[str, str]:
    """One replicate of the spectral sweep: ``n``, ``rep``, ``scale`` (a label; docs/papers/mlhd23.md §6.2).

    d = N = ``ctx.setting.ratio``·n, ñ = n, (α, η-prefactor) grid :func:`spectral_grid`; data, target and
    network from ``ctx.rng("mlhd23-spectral", n, rep)``. Returns the :class:`SpikeSweep` as JSON.
    """
    s, n, rep = ctx.setting, int(params["n"]), int(params["rep"])
    d = int(s.ratio * n)
    rng = ctx.rng("mlhd23-spectral", n, rep)
    target = SingleIndex.random(rng.child("target"), d, LINK)
    alphas, scales = spectral_grid(s)
    sw = spike_sweep(target, rng, n=n, width=d, alphas=alphas, eta_scales=scales, degree=s.spectral_degree,
                     top=s.spectral_top, noise_std=NOISE, activation=ACTIVATION, parametrization="moniri", residual="y", dtype=ctx.dtype)
    return {"spectra": json.dumps(dataclasses.asdict(sw))}


def mlhd23_errors(params: dict, ctx: RunContext) -> dict[str, str]:
    """One replicate of the error sweep: ``rep``, ``scale`` (a label; sizes and α grid ``errors_*`` of
    ``ctx.setting``).

    Per α one row of :func:`~featlearn.models.one_step.alpha_sweep` (train/test errors, λ chosen on
    validation), then the no-step row (``alpha`` None, η = 0), as JSON.
    """
    s, rep = ctx.setting, int(params["rep"])
    rng = ctx.rng("mlhd23-errors", rep)
    target = SingleIndex.random(rng.child("target"), s.errors_width, LINK)
    rows = alpha_sweep(target, rng, n=s.errors_n, width=s.errors_width, alphas=s.errors_alphas, n_val=s.errors_n_val,
                       n_test=s.errors_n_test, noise_std=NOISE, activation=ACTIVATION, parametrization="moniri",
                       residual="y", no_step=True, dtype=ctx.dtype)
    return {"rows": json.dumps(rows)}


register_experiment(
    "mlhd23-spectral", mlhd23_spectral, params=("scale", "n", "rep"),
    grid=lambda s: [{"scale": s.sweep_scale, "n": n, "rep": r}
                    for n, reps in zip(s.spectral_ns, s.spectral_reps) for r in range(reps)],
    seeds=[0],
    description="MLHD23 spectral sweep (reconstructed setting): one-step feature matrix F = σ(X̃W) for several α, "
                "its top singular values against the bulk edge of F₀, and the alignment of its top singular vectors "
                "with the Gram–Schmidt polynomial features (X̃b)^{∘k}; the claims mlhd23.spike-* and "
                "mlhd23.alignment* read it.",
    paper=KEY,
    figures=spectral_figures,
)

register_experiment(
    "mlhd23-errors", mlhd23_errors, params=("scale", "rep"),
    grid=lambda s: [{"scale": s.sweep_scale, "rep": r} for r in range(s.errors_reps)],
    seeds=[0],
    description="MLHD23 error sweep (reconstructed setting): train and test errors after one step η = n^α for the "
                "α grid and without a step, ridge λ chosen on validation; the claims ba22.*, mlhd23.l2-beyond-linear "
                "and mlhd23.staircase read it.",
    paper=KEY,
    figures=errors_figures,
)


def mlhd23_one_step(params: dict, ctx: RunContext) -> dict[str, float]:
    """One-step network at step size η = n^α: ``alpha``, ``residual`` ("y" or "y-f0"), ``n``, ``width``.

    Data and network come from ``ctx.rng("mlhd23-one-step", n, width)``, so
    every α of a seed sees the same data, W₀ and target (a paired comparison).
    """
    n, width = int(params["n"]), int(params["width"])
    rng = ctx.rng("mlhd23-one-step", n, width)
    target = SingleIndex.random(rng.child("target"), width, LINK)
    (r,) = alpha_sweep(target, rng, n=n, width=width, alphas=[float(params["alpha"])], n_val=n // 2, n_test=2 * n,
                       noise_std=NOISE, activation=ACTIVATION, parametrization="moniri",
                       residual=str(params.get("residual", "y")), dtype=ctx.dtype)
    return {"train_error": r["train_error"], "test_error": r["test_error"], "test_excess": r["test_excess"],
            "test_excess_se": r["test_excess_se"], "lambda": r["lambda"], "eta": r["eta"]}


def _figures(records: list[dict], out_dir: Path) -> list[Path]:
    return [
        plot_seed_band(records, x="alpha", y="test_excess", hue="residual", path=Path(out_dir) / "test_excess.png",
                       title="MLHD23: test excess risk after one step vs α. Residual y − f₀ rises: its random "
                             "direction μ₁W₀a enters the spike (docs/papers/mlhd23.md §2.3)",
                       xlabel="step-size exponent α (η = n^α)", ylabel="test excess risk E(f* − f̂)²",
                       hlines=[(best_linear_excess_risk(LINK), "best linear predictor ‖P_{>1}σ*‖²")],
                       vlines=[(0.25, "spike thresholds α = (k−1)/(2k): 1/4"), (1 / 3, "1/3"), (0.375, "3/8")]),
        plot_seed_band(records, x="alpha", y="train_error", hue="residual", path=Path(out_dir) / "train_error.png",
                       title="MLHD23: training error vs α (a staircase in α; thresholds dotted)",
                       xlabel="step-size exponent α (η = n^α)", ylabel="training mean squared error",
                       vlines=[(0.25, "spike thresholds α = (k−1)/(2k): 1/4"), (1 / 3, "1/3"), (0.375, "3/8")]),
    ]


register_experiment(
    "mlhd23-one-step", mlhd23_one_step,
    params=("alpha", "residual", "n", "width"),
    grid=lambda s: {"alpha": list(s.one_step_alphas), "residual": list(s.one_step_residuals),
                    "n": list(s.one_step_ns), "width": list(s.one_step_widths)},
    seeds=lambda s: range(s.one_step_seeds),  # paper: 48 cells, under a minute on a 2-core CPU
    description="Moniri et al. 2023 (reconstructed setting): two-layer network after one gradient step with "
                "η = n^α, ridge second layer; train/test error vs α for both residual conventions.",
    paper=KEY,
    figures=_figures,
)
