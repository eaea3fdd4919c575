"""Cui et al. 2024's predict(setting): the fixed point of every cell without training, the fixed relative tolerance,
the cell compared left to the run; moving with the setting; refusing a setting of the wrong type."""

from __future__ import annotations

import math

import pytest

from featlearn.claims import REGISTRY, Prediction
from featlearn.papers.cui24 import Setting
from featlearn.papers.cui24 import claims as cc

PREDICTS = {"cui24.test-error-tanh": cc.predict_test_error_tanh, "cui24.test-error-sin": cc.predict_test_error_sin,
            "cui24.no-step-random-features": cc.predict_no_step_random_features,
            "cui24.learning-curve": cc.predict_learning_curve}
SMALL = Setting().replace(step_eta_tildes=(1.0,), step_alpha0s=(2.0,), step_alphas=(1.0,), step_lams=(0.1,),
                          curve_alphas=(1.0,))


def test_every_claim_declares_predict_and_quantity():
    assert sorted(c for c in REGISTRY if c.startswith("cui24.")) == sorted(PREDICTS)
    for cid, fn in PREDICTS.items():
        assert REGISTRY[cid].predict is fn and "test excess risk" in REGISTRY[cid].quantity


@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_finite_on_the_quick_setting(cid):
    p = REGISTRY[cid].prediction(Setting())
    assert isinstance(p, Prediction) and p.comparison == "rel" and p.formula and p.tolerance_rule
    assert p.predicted is None and "largest relative gap" in p.needs_run  # the worst cell is the run's
    assert p.tolerance == (cc.REL_TOL_NO_STEP if "no-step" in cid else cc.REL_TOL_STEP)
    assert p.details["cells"] and all(math.isfinite(c["predicted"]) and c["predicted"] > 0 for c in p.details["cells"])


def test_one_step_cells_follow_the_setting():
    p = cc.predict_test_error_tanh(Setting())
    assert [{k: c[k] for k in ("eta_tilde", "alpha0", "alpha", "lam")} for c in p.details["cells"]] \
        == Setting().one_step_settings()
    small = cc.predict_test_error_tanh(SMALL)
    assert len(small.details["cells"]) == 1 and small.details["cells"][0]["predicted"] == p.details["cells"][0]["predicted"]
    # more ridge samples, same step: a lower predicted error
    more = cc.predict_test_error_tanh(SMALL.replace(step_alphas=(3.0,)))
    assert more.details["cells"][0]["predicted"] < small.details["cells"][0]["predicted"]


def test_links_differ():
    tanh, sin = cc.predict_test_error_tanh(SMALL), cc.predict_test_error_sin(SMALL)
    assert tanh.details["link"] == "tanh" and sin.details["link"] == "sin"
    assert tanh.details["cells"][0]["predicted"] != sin.details["cells"][0]["predicted"]


def test_curve_predictions_move_with_alpha_and_step():
    p = cc.predict_learning_curve(Setting())
    preds = [c["predicted"] for c in p.details["cells"]]
    assert [c["alpha"] for c in p.details["cells"]] == list(Setting().curve_alphas)
    assert preds == sorted(preds, reverse=True)  # decreasing in α
    assert all(c["predicted"] < c["predicted_no_step"] for c in p.details["cells"])
    base = cc.predict_no_step_random_features(Setting())
    assert [c["predicted"] for c in base.details["cells"]] == [c["predicted_no_step"] for c in p.details["cells"]]
    bigger = cc.predict_learning_curve(SMALL.replace(curve_eta_tilde=3.0))
    assert bigger.details["cells"][0]["predicted"] != cc.predict_learning_curve(SMALL).details["cells"][0]["predicted"]
    assert cc.predict_no_step_random_features(SMALL.replace(curve_lam=0.5)).details["cells"][0]["predicted"] \
        != cc.predict_no_step_random_features(SMALL).details["cells"][0]["predicted"]


@pytest.mark.parametrize("bad", [None, 3, {"d": 400}, "quick"])
@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_bad_setting_type(cid, bad):
    with pytest.raises(TypeError, match="setting"):
        PREDICTS[cid](bad)


def test_run_outcome_uses_the_prediction():
    import array_api_compat.numpy as xp

    from featlearn.claims import RunContext, check_prediction
    from featlearn.papers.cui24 import experiments as ex

    ctx = RunContext(xp=xp, scale="quick", setting=SMALL)
    p = cc.predict_test_error_tanh(SMALL)
    cell = SMALL.one_step_settings()[0]
    recs = [dict(cell, link="tanh", seed=s, status="ok", test_excess=p.details["cells"][0]["predicted"] * (1 + 0.01 * s))
            for s in range(3)]
    out = REGISTRY["cui24.test-error-tanh"].fn(ctx, recs)
    check_prediction(REGISTRY["cui24.test-error-tanh"], p, out)
    assert out.passes() and out.predicted == pytest.approx(p.details["cells"][0]["predicted"], rel=1e-12)
    assert ex.theory("tanh", **cell).test_excess == p.details["cells"][0]["predicted"]


def _synthetic(grid, factor=1.0):
    from featlearn.papers.cui24 import experiments as ex

    out = []
    for c in grid(Setting()):
        pred = ex.theory(c["link"], **{k: c[k] for k in ("eta_tilde", "alpha0", "alpha", "lam")}).test_excess
        out += [dict(c, seed=s, status="ok", test_excess=pred * factor * (1 + 0.03 * (s - 1.5))) for s in range(4)]
    return out


def test_figures_on_synthetic_records(tmp_path):
    pytest.importorskip("matplotlib")
    from featlearn.experiments import get_experiment
    from featlearn.papers.cui24 import experiments as ex

    one = get_experiment("cui24-one-step").figures(_synthetic(ex.one_step_grid), tmp_path / "one")
    curve = get_experiment("cui24-curve").figures(_synthetic(ex.curve_grid), tmp_path / "curve")
    assert [p.name for p in one] == ["predicted_vs_measured.png"]
    assert [p.name for p in curve] == ["learning_curve.png", "predicted_vs_measured.png"]
    assert all(p.exists() and p.stat().st_size > 0 for p in one + curve)
