"""Every MLHD23/BA22 prediction and bound carries a null (a plausible wrong theory's value) that fails.

Nulls known from the Setting are checked here at quick and paper scale; the run-time nulls (spike-count,
alignment-growth, the beyond-linear bounds, BA22's interval) are checked on a quick run in test_mlhd23_claims.py and, for
the one-step sweep, on a small sample run below."""

from __future__ import annotations

import pytest

import featlearn.papers.mlhd23.claims as C
from featlearn.claims import Outcome, load_claims
from featlearn.papers.mlhd23 import Setting
from featlearn.papers.mlhd23.setting import LINK, NOISE
from featlearn.theory.one_step import null_risk

SETTINGS = {"quick": Setting(), "paper": Setting.at("paper")}
SETTING_NULLS = [C.predict_spike_growth_k1, C.predict_spike_growth_k2plus, C.predict_eta_prefactor_shift,
                 C.predict_alignment, C.predict_direction_overlap]


def _fails(p, null, tolerance=None):
    tol = p.tolerance if tolerance is None else tolerance
    return not Outcome(predicted=p.predicted, measured=null, tolerance=tol, comparison=p.comparison).passes()


@pytest.mark.parametrize("scale", sorted(SETTINGS))
@pytest.mark.parametrize("predict", SETTING_NULLS, ids=lambda f: f.__name__)
def test_setting_null_fails(predict, scale):
    p = predict(SETTINGS[scale])
    assert p.null is not None and p.null_theory
    assert _fails(p, p.null), (predict.__name__, scale, p.predicted, p.null, p.tolerance)


@pytest.mark.parametrize("scale", sorted(SETTINGS))
def test_staircase_null_fails_at_any_run_tolerance(scale):
    # the run's tolerance is 1 % of the α = 0 training error, at most 1 % of E y² (the zero predictor's error)
    p = C.predict_staircase(SETTINGS[scale])
    assert _fails(p, p.null, tolerance=0.01 * null_risk(LINK, noise_std=NOISE))


@pytest.mark.parametrize("scale", sorted(SETTINGS))
def test_k1_asymptotic_exponent_is_not_separable(scale):
    # documented in the claim: at k = 1 the asymptotic α = 0.3 lies inside the model's tolerance,
    # which is why the k = 1 null is "no growth" and not the asymptotic exponent
    p = C.predict_spike_growth_k1(SETTINGS[scale])
    assert not _fails(p, 0.3)


@pytest.mark.parametrize("scale", sorted(SETTINGS))
def test_k2_model_and_asymptotic_exponents(scale):
    p = C.predict_spike_growth_k2plus(SETTINGS[scale])
    assert p.predicted == pytest.approx({"quick": 0.185, "paper": 0.169}[scale], abs=0.002)
    assert p.null == pytest.approx(0.1)


def test_every_claim_declares_a_kind_and_bounds_use_bound_comparisons():
    claims = load_claims()
    ours = [c for c in claims.values() if c.paper in ("mlhd23", "ba22")]
    for c in ours:
        p = c.prediction(Setting())
        assert c.kind in ("prediction", "bound"), c.id
        assert (c.kind == "bound") == p.is_bound, c.id
        assert p.null_theory, c.id


def test_one_step_sweep_null_fails_on_a_sample_run():
    from featlearn.context import make_context
    from featlearn.papers.mlhd23.experiments import mlhd23_one_step

    s = Setting(one_step_alphas=(0.0, 0.3), one_step_ns=(1000,), one_step_widths=(200,), one_step_seeds=2)
    records = []
    for seed in range(2):
        ctx = make_context(backend="numpy", seed=0, setting=s).for_replicate(seed)
        for a in s.one_step_alphas:
            params = {"alpha": a, "residual": "y", "n": 1000, "width": 200}
            records.append({**params, "seed": seed, **mlhd23_one_step(params, ctx)})
    ctx = make_context(backend="numpy", seed=0, setting=s)
    out = C.one_step_sweep_beyond_linear(ctx, records)
    assert out.null is not None and out.null_fails()
