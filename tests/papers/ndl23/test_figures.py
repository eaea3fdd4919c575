"""The NDL23 experiments' figures, drawn from synthetic records (the sweeps take minutes at quick scale)."""

from __future__ import annotations

import json

import pytest

from featlearn.experiments import get_experiment
from featlearn.papers.ndl23.figures import curves_figures, quadratic_figures

pytest.importorskip("matplotlib")

NS = [128, 256, 512, 1024]


def _curves_records():
    recs = []
    for rep in range(3):
        curve = {str(n): 0.5 + 0.1 * k + 0.01 * rep for k, n in enumerate(NS)}
        pred = json.dumps({str(n): 0.52 + 0.1 * k for k, n in enumerate(NS)}) if rep == 0 else ""
        recs.append({"status": "ok", "seed": 0, "scale": "quick", "kind": "corr", "rep": rep, "n": 0,
                     "curve": json.dumps(curve), "d": 16, "m2": 2048, "predicted_curve": pred})
    for rep in range(2):
        for k, n in enumerate(NS):
            recs.append({"status": "ok", "seed": 0, "scale": "quick", "kind": "loss", "rep": rep, "n": n,
                         "test_nmse": 0.8 - 0.15 * k + 0.01 * rep, "corr": 0.5 + 0.1 * k})
    return recs


def _quadratic_records():
    return [{"status": "ok", "seed": s, "d": d, "n": n, "m1": None, "n_eval": None, "m2": 8 * d * d,
             "corr": 0.4 + 0.1 * k + 0.01 * s, "test_nmse": 0.9 - 0.2 * k + 0.01 * s, "eta1": 1.0, "lam": 0.1,
             "corr_predicted": 0.45 + 0.1 * k}
            for s in range(2) for d in (8, 16) for k, n in enumerate(NS)]


def _is_png(path):
    with open(path, "rb") as fh:
        return fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_curves_figures(tmp_path):
    paths = curves_figures(_curves_records(), tmp_path)
    assert [p.name for p in paths] == ["ndl23_curves_corr_vs_n.png", "ndl23_curves_loss_vs_corr.png"]
    assert all(_is_png(p) for p in paths)


def test_curves_figure_without_recorded_prediction(tmp_path):
    # records of an older sweep store carry no predicted_curve: the Gaussian-approximation line is still drawn
    recs = [dict(r, predicted_curve="") if r["kind"] == "corr" else r for r in _curves_records()]
    assert len(curves_figures(recs, tmp_path)) == 2


@pytest.mark.parametrize("with_prediction", [True, False])
def test_quadratic_figures(tmp_path, with_prediction):
    recs = _quadratic_records()
    if not with_prediction:  # records of an older store: only the Gaussian-approximation line
        recs = [{k: v for k, v in r.items() if k != "corr_predicted"} for r in recs]
    paths = quadratic_figures(recs, tmp_path)
    assert [p.name for p in paths] == ["corr_vs_n.png", "test_loss_vs_n.png", "loss_vs_corr.png"]
    assert all(_is_png(p) for p in paths)


@pytest.mark.parametrize("name", ["ndl23-curves", "ndl23-quadratic"])
def test_every_experiment_has_figures(name):
    assert get_experiment(name).figures is not None
