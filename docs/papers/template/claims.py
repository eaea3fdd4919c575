"""The template paper's claim: predicted by theory code, measured from a run."""

from __future__ import annotations

from featlearn.backends import to_scalar
from featlearn.claims import Outcome, Prediction, RunContext, claim
from featlearn.theory.distributions import GaussianInput

from .setting import KEY
from .theory import mean_square_norm, standard_error


def predict_mean_square_norm(setting) -> Prediction:
    """The prediction and tolerance on ``setting``, from theory code alone (``featlearn predict``)."""
    return Prediction(predicted=mean_square_norm(setting.d), comparison="abs",
                      tolerance=setting.z_tol * standard_error(setting.d, setting.n),
                      formula="E[‖x‖²/d] = 1 for x ~ N(0, I_d)",
                      tolerance_rule="z_tol standard errors sqrt(2/(d n)) of the mean (exact for χ²_d)",
                      # the null: what a plausible wrong theory gives under the same measurement; it must fail
                      null=1.1, null_theory="a sampler with variance 1.1 instead of 1")


@claim(
    id=f"{KEY}.mean-square-norm",
    kind="prediction",
    paper=KEY,
    where="theory.mean_square_norm",
    provenance="stated",
    statement="The n-sample mean of ‖x‖²/d for x ~ N(0, I_d) is within z_tol standard errors of 1.",
    tolerance_note="z_tol = 5 standard errors sqrt(2/(d n)) (exact for χ²_d): a correct sampler fails with "
                   "probability below 1e-6; a sampler with variance 1.1 is off by 0.1, over 10 s.e. at quick scale.",
    predict=predict_mean_square_norm,
    quantity="mean of ‖x‖²/d over n draws (dimensionless)",
)
def mean_square_norm_claim(ctx: RunContext) -> Outcome:
    s = ctx.setting
    x = GaussianInput(s.d).sample(ctx.rng("x"), s.n, dtype=ctx.dtype)
    measured = to_scalar(ctx.xp.mean(ctx.xp.sum(x * x, axis=1))) / s.d
    # the verdict rests on the same Prediction `featlearn predict` shows (evaluate_claim checks it)
    return predict_mean_square_norm(s).outcome(measured, details={"d": s.d, "n": s.n})
