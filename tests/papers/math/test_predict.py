"""The standard results' predict(setting): finite on the quick Setting, moving with the setting as theory says,
refusing a setting of the wrong type; the figure of hermite-mc draws theory against measurement."""

from __future__ import annotations

import math

import pytest

from featlearn.claims import REGISTRY, Prediction
from featlearn.papers.math import Setting
from featlearn.papers.math import claims as mc
from featlearn.papers.math.experiments import expected_abs_error, mc_standard_deviation

PREDICTS = {"math.relu-hermite": mc.predict_relu_hermite,
            "math.sphere-fourth-moment": mc.predict_sphere_fourth_moment,
            "math.single-index-hermite": mc.predict_single_index_hermite,
            "math.hermite-mc-rate": mc.predict_hermite_mc_rate}


def test_every_claim_declares_predict_and_quantity():
    ours = sorted(c for c in REGISTRY if c.startswith("math."))
    assert ours == sorted(PREDICTS)
    for cid, fn in PREDICTS.items():
        assert REGISTRY[cid].predict is fn and REGISTRY[cid].quantity


@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_finite_on_the_quick_setting(cid):
    p = REGISTRY[cid].prediction(Setting())
    assert isinstance(p, Prediction) and p.formula and p.tolerance_rule
    assert math.isfinite(p.predicted)
    if p.tolerance is None:
        assert p.needs_run
    else:
        assert math.isfinite(p.tolerance) and p.tolerance > 0


def test_values_at_quick_scale():
    relu = mc.predict_relu_hermite(Setting())
    assert relu.predicted == pytest.approx(1 / math.sqrt(2 * math.pi), abs=1e-15)
    assert relu.tolerance == pytest.approx(5 * mc_standard_deviation(2) / 2**11, rel=1e-12)
    sphere = mc.predict_sphere_fourth_moment(Setting())
    assert sphere.predicted == pytest.approx(2.4) and sphere.comparison == "abs"
    rate = mc.predict_hermite_mc_rate(Setting())
    assert rate.predicted == -0.5 and rate.tolerance == pytest.approx(4 * rate.details["slope_sd"]) and not rate.needs_run
    assert rate.details["slope_sd"] == pytest.approx(0.0474, abs=1e-4)


def test_tolerance_shrinks_as_one_over_root_n():
    s = Setting()
    for fn, field in [(mc.predict_relu_hermite, "relu_hermite_n"), (mc.predict_sphere_fourth_moment, "sphere_n"),
                      (mc.predict_single_index_hermite, "single_index_n")]:
        a, b = fn(s), fn(s.replace(**{field: 4 * getattr(s, field)}))
        assert a.predicted == b.predicted
        assert b.tolerance == pytest.approx(a.tolerance / 2, rel=1e-12)


def test_sphere_moment_moves_with_d():
    s = Setting()
    assert mc.predict_sphere_fourth_moment(s.replace(sphere_d=1)).predicted == pytest.approx(1.0)
    assert mc.predict_sphere_fourth_moment(s.replace(sphere_d=1000)).predicted == pytest.approx(3000 / 1002)


def test_rate_details_follow_the_grid():
    p = mc.predict_hermite_mc_rate(Setting().replace(hermite_mc_k=(3,), hermite_mc_n=(100, 400)))
    err = p.details["expected_abs_error_at_n"][3]
    assert p.details["ks"] == [3] and err[100] == pytest.approx(2 * err[400])
    assert err[100] == pytest.approx(expected_abs_error(3, 100))


@pytest.mark.parametrize("bad", [None, 3, {"relu_hermite_n": 10}, "quick"])
@pytest.mark.parametrize("cid", sorted(PREDICTS))
def test_bad_setting_type(cid, bad):
    with pytest.raises(TypeError, match="setting"):
        PREDICTS[cid](bad)


def test_a_wrong_tolerance_is_caught_by_evaluate_claim():
    import array_api_compat.numpy as xp

    from featlearn.claims import Outcome, RunContext, evaluate_claim

    c = REGISTRY["math.sphere-fourth-moment"]
    ctx = RunContext(xp=xp, scale="quick", setting=Setting())
    res = evaluate_claim(c, ctx, lambda: Outcome(predicted=2.4, measured=2.4, tolerance=1.0))
    assert res.verdict == "error" and "tolerance" in res.error


def test_theory_figure_on_synthetic_records(tmp_path):
    pytest.importorskip("matplotlib")
    from featlearn.papers.math.experiments import _hermite_mc_figures

    recs = [{"n": n, "k": k, "seed": s, "status": "ok", "estimate": 0.4, "abs_error": expected_abs_error(k, n) * (1 + 0.1 * s)}
            for n in (128, 1024, 8192) for k in (2, 4) for s in range(3)]
    paths = _hermite_mc_figures(recs, tmp_path)
    assert len(paths) == 3 and all(p.exists() and p.stat().st_size > 0 for p in paths)
