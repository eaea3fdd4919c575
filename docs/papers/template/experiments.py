"""The template paper's experiment: the error of the estimate against n (a CLT rate n^(-1/2))."""

from __future__ import annotations

from featlearn.backends import to_scalar
from featlearn.claims import RunContext
from featlearn.experiments import register_experiment
from featlearn.theory.distributions import GaussianInput

from .setting import KEY
from .theory import mean_square_norm


def mean_square_norm_error(params: dict, ctx: RunContext) -> dict[str, float]:
    """|mean of ‖x‖²/d over n draws − 1| for one (n, seed)."""
    s, n = ctx.setting, int(params["n"])
    x = GaussianInput(s.d).sample(ctx.rng("x", n), n, dtype=ctx.dtype)
    est = to_scalar(ctx.xp.mean(ctx.xp.sum(x * x, axis=1))) / s.d
    return {"estimate": est, "abs_error": abs(est - mean_square_norm(s.d))}


register_experiment(
    f"{KEY}-rate", mean_square_norm_error, paper=KEY,
    grid=lambda s: {"n": list(s.sweep_n)}, seeds=lambda s: range(s.seeds),
    description="Error of the n-sample mean of ‖x‖²/d against n; theory: 1 exactly, error ∝ n^(-1/2).",
)
