"""The template paper's experiment: the error of the estimate against n (a CLT rate n^(-1/2))."""

from __future__ import annotations

from featlearn.backends import to_scalar
from featlearn.claims import RunContext
from featlearn.experiments import plot_loglog_fit, register_experiment
from featlearn.theory.distributions import GaussianInput

from .setting import KEY
from .theory import mean_square_norm


def mean_square_norm_error(params: dict, ctx: RunContext) -> dict[str, float]:
    """|mean of ‖x‖²/d over n draws − 1| for one (n, seed)."""
    s, n = ctx.setting, int(params["n"])
    x = GaussianInput(s.d).sample(ctx.rng("x", n), n, dtype=ctx.dtype)
    est = to_scalar(ctx.xp.mean(ctx.xp.sum(x * x, axis=1))) / s.d
    return {"estimate": est, "abs_error": abs(est - mean_square_norm(s.d))}


def rate_figures(records: list, out_dir) -> list:
    """The measured error against n (log-log, fitted slope) with the theory's n^(-1/2) line."""
    return [plot_loglog_fit(records, x="n", y="abs_error", path=out_dir / "abs_error_vs_n.png", reference_slope=-0.5,
                            xlabel="sample size n", ylabel="|mean of ‖x‖²/d − 1| (dimensionless)",
                            title=f"{KEY}-rate: error of the estimate vs n (theory: slope −1/2)")]


register_experiment(
    f"{KEY}-rate", mean_square_norm_error, paper=KEY, figures=rate_figures,
    grid=lambda s: {"n": list(s.sweep_n)}, seeds=lambda s: range(s.seeds),
    description="Error of the n-sample mean of ‖x‖²/d against n; theory: 1 exactly, error ∝ n^(-1/2).",
)
