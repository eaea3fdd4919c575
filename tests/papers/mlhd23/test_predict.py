"""Every MLHD23/BA22 claim predicts from the Setting alone (no training), and the prediction follows the setting."""

from __future__ import annotations

import json
import math

import pytest

from featlearn.claims import Prediction, load_claims
from featlearn.papers.mlhd23 import Setting
from featlearn.papers.mlhd23 import claims as C

IDS = sorted(i for i in load_claims() if i.startswith(("mlhd23.", "ba22.")))
QUICK = Setting()


def _finite(v) -> bool:
    if v is None:
        return True
    if isinstance(v, tuple):
        return all(math.isfinite(float(x)) for x in v)
    return math.isfinite(float(v))


@pytest.mark.parametrize("cid", IDS)
def test_every_claim_predicts_on_the_quick_setting(cid):
    c = load_claims()[cid]
    assert c.predict is not None and c.quantity, cid
    p = c.prediction(QUICK)
    assert isinstance(p, Prediction)
    assert _finite(p.predicted) and _finite(p.tolerance), (cid, p)
    assert p.formula and p.tolerance_rule, cid
    # a value left to the run is named in needs_run (which may also name a run-time null)
    assert (p.predicted is None or p.tolerance is None) <= bool(p.needs_run), cid
    assert p.to_json()["comparison"] == p.comparison


@pytest.mark.parametrize("cid", IDS)
def test_bad_setting_type_fails(cid):
    c = load_claims()[cid]
    with pytest.raises(TypeError, match="setting"):
        c.predict({"ratio": 0.1})
    with pytest.raises(TypeError, match="setting"):
        c.predict(None)


def test_quick_values():
    assert C.predict_spike_count(QUICK).predicted == 2.0  # two α × one replicate at n = 16384
    # the finite-ε model's local exponents over n = 2048…16384 (docs/papers/mlhd23.md §4.5)
    assert C.predict_spike_growth_k1(QUICK).predicted == pytest.approx(0.328, abs=0.002)
    assert C.predict_spike_growth_k2plus(QUICK).predicted == pytest.approx(0.185, abs=0.002)
    assert C.predict_eta_prefactor_shift(QUICK).predicted == pytest.approx(0.045, abs=0.003)
    assert C.predict_direction_overlap(QUICK).predicted == pytest.approx(0.9559, abs=1e-4)
    assert C.predict_direction_overlap(QUICK).tolerance == pytest.approx(4 * C.OVERLAP_SEED_SD_QUICK)
    for f in (C.predict_l2_beyond_linear, C.predict_one_step_sweep_beyond_linear):
        assert f(QUICK).predicted == pytest.approx(0.5)
    assert C.predict_small_step_not_beyond_linear(QUICK).predicted is None  # the interval's ends need the run
    assert C.predict_staircase(QUICK).tolerance is None  # 1 % of the measured training error


def test_spike_claims_follow_the_setting():
    # more counted α, or more replicates at the largest n, mean more cases
    assert C.predict_spike_count(QUICK.replace(count_alphas=(0.1, 0.3, 0.36))).predicted == 3.0
    assert C.predict_spike_count(QUICK.replace(spectral_reps=(4, 2, 1, 3))).predicted == 6.0
    # the model's exponent follows α (asymptotic γ_k = 1/2 − k(1/2 − α), reported beside it)
    k1 = C.predict_spike_growth_k1(QUICK.replace(growth_alphas=(0.2, 0.3, 0.39)))
    assert k1.details["asymptotic_exponent_by_k (1/2 - k(1/2 - alpha))"]["k=1"] == pytest.approx(0.2)
    assert k1.predicted < C.predict_spike_growth_k1(QUICK).predicted
    assert C.predict_spike_growth_k1(QUICK.replace(growth_tol_k1=0.04)).tolerance == 0.04
    k2 = C.predict_spike_growth_k2plus(QUICK.replace(growth_alphas=(0.3, 0.32, 0.39)))
    assert k2.null == pytest.approx(0.14)  # the asymptotic exponent is the null
    # two ks with different exponents: which one is reported needs the run
    both = C.predict_spike_growth_k2plus(QUICK.replace(growth_ks=(2, 3)))
    assert both.predicted is None and both.needs_run and both.tolerance == QUICK.growth_tol_k2plus
    assert set(both.details["model_exponent_by_k"]) == {"k=2", "k=3"}


def test_alignment_claims_follow_the_setting():
    assert C.predict_alignment(QUICK.replace(alignment_alpha=0.36)).details["ell"] == 3
    g = C.predict_alignment_growth(QUICK.replace(alignment_alpha=0.36))
    assert len(g.details["asymptotic_growth_exponent_by_k (s_k/edge)"]) == 3
    assert g.predicted == 0.0 and g.null is None and "null" in g.needs_run  # the model and its null need the run


def test_direction_overlap_follows_the_setting():
    base = C.predict_direction_overlap(QUICK)
    wide = C.predict_direction_overlap(QUICK.replace(ratio=0.25))
    assert wide.predicted < base.predicted  # more dimensions per sample: b is noisier
    big = C.predict_direction_overlap(QUICK.replace(spectral_ns=(8192, 16384, 32768, 65536)))
    assert big.tolerance < base.tolerance  # the standard error falls like n^{-1/2}


def test_error_claims_follow_the_setting():
    assert C.predict_l2_beyond_linear(QUICK.replace(alpha_quadratic=0.36)).details["ell"] == 3
    assert C.predict_one_step_sweep_beyond_linear(QUICK.replace(one_step_alphas=(0.0, 0.1))).details["alpha"] == 0.1
    st = C.predict_staircase(QUICK.replace(errors_alphas=(0.0, 0.3)))
    assert st.details["alphas"] == [0.0, 0.3]
    assert C.predict_small_step_not_beyond_linear(QUICK.replace(alpha_constant=0.1)).details["alpha"] == 0.1


def test_prediction_is_the_outcome_of_the_claim():
    # the run's outcome is built from the prediction: faked error records go through the claim body
    from featlearn.backends import get_namespace
    from featlearn.claims import RunContext, check_prediction


    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=0, setting=QUICK)
    lam = [1e-3, 1e-1]
    rows = [{"alpha": a, "eta": 4000.0 ** a, "lambda": 1e-1, "lambdas": lam, "train_errors": [t, t],
             "test_excess": r, "test_excess_se": 0.02}
            for a, r, t in zip(QUICK.errors_alphas, (0.69, 0.62, 0.47, 0.44, 0.40), (0.46, 0.41, 0.32, 0.30, 0.27))]
    rows.append({"alpha": None, "eta": 0.0, "lambda": 1e-1, "lambdas": lam, "train_errors": [0.46, 0.46],
                 "test_excess": 0.83, "test_excess_se": 0.02})
    records = [{"scale": "quick", "rep": 0, "seed": 0, "rows": json.dumps(rows)}]
    claims = load_claims()
    for cid in ("ba22.small-step-not-beyond-linear", "mlhd23.staircase", "mlhd23.l2-beyond-linear"):
        c = claims[cid]
        check_prediction(c, c.prediction(QUICK), c.fn(ctx, records))
