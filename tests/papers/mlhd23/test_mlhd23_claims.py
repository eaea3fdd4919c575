"""The registered MLHD23/BA22 claims: metadata, and a full quick-scale run on NumPy (≈ 15 s)."""

from __future__ import annotations


import math

import pytest

from featlearn.claims import load_claims
from featlearn.papers.mlhd23 import Setting

IDS = ["ba22.small-step-not-beyond-linear", "mlhd23.alignment", "mlhd23.alignment-growth",
       "mlhd23.direction-overlap", "mlhd23.l2-beyond-linear", "mlhd23.spike-count", "mlhd23.spike-growth-k1",
       "mlhd23.spike-growth-eta-prefactor", "mlhd23.spike-growth-k2plus", "mlhd23.staircase"]
SWEEP_CLAIMS = ["mlhd23.one-step-sweep-beyond-linear"]
PAPER_ONLY: set[str] = set()
RECONSTRUCTED = {"mlhd23.alignment", "mlhd23.alignment-growth", "mlhd23.direction-overlap", "mlhd23.spike-count",
                 "mlhd23.spike-growth-eta-prefactor", "mlhd23.spike-growth-k1", "mlhd23.spike-growth-k2plus"}


def test_metadata():
    claims = load_claims()
    ours = sorted(c for c in claims if claims[c].paper in ("mlhd23", "ba22"))
    assert ours == sorted(IDS + SWEEP_CLAIMS)
    for cid in IDS:
        c = claims[cid]
        assert c.provenance == ("reconstructed" if cid in RECONSTRUCTED else "stated"), cid
        assert c.tolerance_note and c.statement and c.where
        assert (c.scales == ("paper",)) == (cid in PAPER_ONLY), cid
        assert "SPREAD" not in c.statement + c.tolerance_note, cid  # placeholders filled with measured values


def test_quick_run_on_numpy():
    from featlearn.experiments import run_check

    claims = load_claims()
    results = {r.claim.id: r for r in run_check([claims[c] for c in IDS], backend="numpy", scale="quick", seed=0,
                                                 progress=False)}
    # every claim must hold at quick scale (a failure is a finding to document, not to accept here), and its
    # null (the run-time ones included) must fail; run time is a benchmark matter, not asserted
    for cid, r in results.items():
        if cid in PAPER_ONLY:
            assert r.verdict == "skipped" and "paper" in r.error
        else:
            assert r.verdict == "pass", (cid, r.verdict, r.error, r.outcome)
            assert r.outcome.null is not None and r.outcome.null_fails(), (cid, r.outcome)


QUICK, PAPER = Setting(), Setting.at("paper")


@pytest.mark.parametrize("alpha", sorted({*QUICK.count_alphas, *PAPER.count_alphas, *QUICK.growth_alphas,
                                          QUICK.alignment_alpha, PAPER.alignment_alpha, QUICK.alpha_quadratic}))
def test_alphas_are_well_inside_their_intervals(alpha):
    # claims about counts and regimes use α at least 20 % of an interval's width from its ends
    from featlearn.theory.one_step import spike_count, spike_interval

    lo, hi = spike_interval(spike_count(alpha))
    assert lo + 0.2 * (hi - lo) <= alpha <= hi - 0.2 * (hi - lo)


def test_paper_code_path_with_small_sizes():
    # the paper-scale branches (k = 3 growth at α = 0.39, ℓ = 3 alignments at α = 0.36, the α = 0.36
    # count) run end to end; sizes shrunk so that this takes about a second (verdicts not checked)
    from featlearn.claims import make_context
    from featlearn.papers.mlhd23 import experiments as mlhd23_exp

    small = PAPER.replace(spectral_ns=(200, 400), spectral_reps=(2, 2), errors_n=300, errors_width=60,
                          errors_n_val=100, errors_n_test=200, errors_reps=2)
    cell = make_context(backend="numpy", scale="paper", setting=small).for_replicate(1)  # the cells of sweep seed 1
    spectral = [{"n": n, "rep": r, **mlhd23_exp.mlhd23_spectral({"scale": "paper", "n": n, "rep": r}, cell)}
                for n in (200, 400) for r in range(2)]
    errors = [{"rep": r, **mlhd23_exp.mlhd23_errors({"scale": "paper", "rep": r}, cell)} for r in range(2)]
    ctx = make_context(backend="numpy", scale="paper", seed=1, setting=small)
    claims = load_claims()
    for cid in IDS:
        c = claims[cid]
        out = c.fn(ctx, spectral if c.experiment == "mlhd23-spectral" else errors)
        assert math.isfinite(float(out.measured)), cid


def test_constant_step_is_ba22s_regime():
    # BA22's small step is a constant η = Θ(1): α = 0 (η = n⁰ = 1); it is not inside an ℓ-interval
    assert QUICK.alpha_constant == 0.0 and 0.0 in QUICK.errors_alphas and 0.0 in PAPER.errors_alphas


# -- the claims can fail: a step with no effect, a flat staircase, no spike growth ---------------------------------
def _fake_errors(risks, no_step_risk, train, se=0.02):
    """Records of the mlhd23-errors sweep, as the experiment writes them, with chosen values."""
    import json

    lam = [1e-3, 1e-1]
    rep = [{"alpha": a, "eta": 4000.0 ** a, "lambda": 1e-1, "lambdas": lam, "train_errors": [t, t],
            "test_excess": r, "test_excess_se": se} for a, r, t in zip((0.0, 0.1, 0.2, 0.3, 0.4), risks, train)]
    rep.append({"alpha": None, "eta": 0.0, "lambda": 1e-1, "lambdas": lam, "train_errors": [train[0]] * 2,
                "test_excess": no_step_risk, "test_excess_se": se})
    return [{"scale": "quick", "rep": 0, "seed": 0, "rows": json.dumps(rep)}]


@pytest.mark.parametrize("risks, no_step, train, expect", [
    ((0.69, 0.62, 0.47, 0.44, 0.40), 0.83, (0.46, 0.41, 0.32, 0.30, 0.27), "pass"),   # a typical quick run
    ((0.83, 0.83, 0.83, 0.83, 0.83), 0.83, (0.46, 0.46, 0.46, 0.46, 0.46), "fail"),   # the step does nothing
    ((1.50, 1.50, 1.50, 1.50, 1.50), 1.50, (1.50, 1.50, 1.50, 1.50, 1.50), "fail"),   # the zero predictor
])
def test_error_claims_can_fail(monkeypatch, risks, no_step, train, expect):
    from featlearn.backends import get_namespace
    from featlearn.claims import RunContext

    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=12345, setting=QUICK)
    records = _fake_errors(risks, no_step, train)
    claims = load_claims()
    for cid in ("ba22.small-step-not-beyond-linear", "mlhd23.staircase", "mlhd23.l2-beyond-linear"):
        out = claims[cid].fn(ctx, records)
        assert out.passes() == (expect == "pass"), (cid, out)


def test_growth_claim_tolerances_exclude_zero():
    # a claim on a growth exponent must be able to tell the prediction from "no growth"
    from featlearn.theory.one_step import spike_growth_exponent

    for s in (QUICK, PAPER):  # the tolerances the claims really use
        for k in (1, *s.growth_ks):
            tol = s.growth_tol_k1 if k == 1 else s.growth_tol_k2plus
            assert tol < spike_growth_exponent(s.growth_alphas[k - 1], k), (k, tol)


# -- the setting: validated, with the paper-scale sizes ---------------------------------------------------------
def test_setting_validates_at_both_scales():
    assert isinstance(Setting(), Setting) and Setting.at("quick") == Setting()
    assert isinstance(Setting.at("paper"), Setting)


@pytest.mark.parametrize("field, bad", [("errors_n", 0), ("spectral_ns", (2048, 0)), ("spectral_alphas", (0.1, 1.5)),
                                        ("ratio", 0.0), ("one_step_residuals", ("y", "z")), ("sweep_scale", "huge")])
def test_setting_rejects_a_bad_value_naming_the_field(field, bad):
    with pytest.raises(ValueError, match=field):
        Setting(**{field: bad})


def test_paper_scale_sizes():
    # the sizes the paper-scale check has always used (before they moved into the Setting)
    p = Setting.at("paper")
    assert p.sweep_scale == "paper" and p.ratio == 1 / 16
    assert (p.spectral_ns, p.spectral_reps, p.spectral_alphas) == ((8192, 16384, 32768, 65536), (4, 2, 1, 1),
                                                                   (0.1, 0.3, 0.36, 0.39))
    assert (p.spectral_degree, p.spectral_top) == (3, 6)
    # growth: k = 2 only (k = 3 at α = 0.39 is inside the bulk at half the n); tolerances of the finite-ε model
    assert p.count_alphas == (0.1, 0.3, 0.36) and p.growth_alphas == (0.3, 0.3, 0.39) and p.growth_ks == (2,)
    assert (p.growth_tol_k1, p.growth_tol_k2plus, p.alignment_alpha) == (0.05, 0.05, 0.36)
    assert (p.prefactor_alpha, p.prefactor_k, p.eta_prefactors, p.prefactor_tol) == (0.3, 2, (1.0, 2.0), 0.02)
    assert (p.errors_n, p.errors_width, p.errors_n_val, p.errors_n_test, p.errors_reps) == (8192, 2048, 4096, 16384, 2)
    assert p.errors_alphas == (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.44)
    assert (p.alpha_constant, p.alpha_quadratic, p.alpha_finite_size) == (0.0, 0.3, 0.2)
    assert p.one_step_alphas == (0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45)
    assert (p.one_step_residuals, p.one_step_ns, p.one_step_widths, p.one_step_seeds) == (("y", "y-f0"), (4096,),
                                                                                          (1024,), 3)


def test_grids_are_functions_of_the_setting():
    from featlearn.experiments import EXPERIMENTS

    spectral = EXPERIMENTS["mlhd23-spectral"].grid_at("paper")
    assert [(c["n"], c["rep"]) for c in spectral] == [(8192, 0), (8192, 1), (8192, 2), (8192, 3), (16384, 0),
                                                      (16384, 1), (32768, 0), (65536, 0)]
    assert {c["scale"] for c in spectral} == {"paper"}
    assert EXPERIMENTS["mlhd23-errors"].grid_at("quick") == [{"scale": "quick", "rep": 0}]
    assert EXPERIMENTS["mlhd23-one-step"].seeds_at("paper") == (0, 1, 2)
