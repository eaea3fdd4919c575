"""Every MLHD23 experiment draws a figure: the spectral and error sweeps on small real cells, one-step on records."""

from __future__ import annotations

import pytest

from featlearn.experiments import get_experiment
from featlearn.papers.mlhd23 import Setting
from featlearn.papers.mlhd23 import experiments as mlhd23_exp

pytest.importorskip("matplotlib")

SMALL = Setting().replace(spectral_ns=(200, 400), spectral_reps=(2, 1), errors_n=300, errors_width=60,
                          errors_n_val=100, errors_n_test=200, errors_reps=2)


def _ctx():
    from featlearn.claims import make_context

    return make_context(backend="numpy", scale="quick", setting=SMALL)


def _is_png(path) -> bool:
    with open(path, "rb") as f:
        return f.read(8) == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("name", ["mlhd23-spectral", "mlhd23-errors", "mlhd23-one-step"])
def test_every_experiment_has_figures(name):
    assert get_experiment(name).figures is not None


def test_spectral_figures(tmp_path):
    ctx = _ctx()
    records = [{"scale": "quick", "n": n, "rep": r, "seed": 0, "status": "ok",
                **mlhd23_exp.mlhd23_spectral({"scale": "quick", "n": n, "rep": r}, ctx)}
               for n, reps in zip(SMALL.spectral_ns, SMALL.spectral_reps) for r in range(reps)]
    paths = get_experiment("mlhd23-spectral").figures(records, tmp_path)
    assert len(paths) == 2 and all(_is_png(p) for p in paths)


def test_errors_figures(tmp_path):
    ctx = _ctx()
    records = [{"scale": "quick", "rep": r, "seed": 0, "status": "ok",
                **mlhd23_exp.mlhd23_errors({"scale": "quick", "rep": r}, ctx)} for r in range(SMALL.errors_reps)]
    (path,) = get_experiment("mlhd23-errors").figures(records, tmp_path)
    assert _is_png(path)


def test_one_step_figures_on_synthetic_records(tmp_path):
    records = [{"alpha": a, "residual": res, "n": 2000, "width": 400, "seed": s, "status": "ok",
                "test_excess": 0.6 - a + 0.01 * s, "train_error": 0.5 - a / 2, "test_excess_se": 0.01}
               for a in (0.0, 0.1, 0.2, 0.3) for res in ("y", "y-f0") for s in (0, 1)]
    paths = get_experiment("mlhd23-one-step").figures(records, tmp_path)
    assert paths and all(_is_png(p) for p in paths)


def test_figures_refuse_empty_records(tmp_path):
    from featlearn.papers.mlhd23.figures import errors_figures, spectral_figures

    for f in (spectral_figures, errors_figures):
        with pytest.raises(ValueError, match="records"):
            f([], tmp_path)
