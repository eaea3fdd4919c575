"""SL21's experiment figures on synthetic records (featlearn/papers/sl21/experiments.py): every registered
experiment draws at least one PNG, with theory levels beside the measurements."""

from __future__ import annotations

import math

import pytest

pytest.importorskip("matplotlib")

from featlearn.experiments import get_experiment  # noqa: E402
from featlearn.papers.sl21 import KEY  # noqa: E402
from featlearn.papers.sl21.experiments import CHECKPOINTS, separation_figures, width_figures  # noqa: E402
from featlearn.papers.sl21.separation import theorem5_level, theorem5_level_at_width  # noqa: E402


def _separation_record(seed=0):
    rec = {"law": "sphere_sum", "d": 4, "width": 300, "weak_width": 64, "seed": seed, "status": "ok",
           "clipped_error": 4e-4, "linear_error": 0.06}
    for prefix, iters, start in (("gd", 300, 0.5), ("pgd", 60, 0.5), ("wgd", 300, 0.7), ("adam", 300, 0.7)):
        for t in CHECKPOINTS(iters):
            rec[f"{prefix}_err@{t}"] = start / math.sqrt(1 + t)
    return rec


def _width_records():
    out = []
    for law in ("sphere_sum", "mu"):
        for w in (50, 100, 200):
            for seed in (0, 1):
                out.append({"law": law, "d": 4, "width": w, "seed": seed, "status": "ok",
                            "clipped_error": 1.0 / w + 1e-4 * seed, "linear_error": 0.06 + 1e-3 * seed})
    return out


def test_every_sl21_experiment_has_a_figure_function():
    for name in (f"{KEY}-separation", f"{KEY}-width"):
        assert callable(get_experiment(name).figures)


def test_separation_figures_on_synthetic_records(tmp_path):
    paths = separation_figures([_separation_record()], tmp_path)
    assert len(paths) == 2  # error vs iterations, radius histograms
    for p in paths:
        assert p.exists() and p.stat().st_size > 10_000 and p.suffix == ".png"


def test_width_figures_on_synthetic_records(tmp_path):
    paths = width_figures(_width_records(), tmp_path)
    assert sorted(p.name for p in paths) == ["sl21_error_vs_width_mu.png", "sl21_error_vs_width_sphere_sum.png"]
    assert all(p.stat().st_size > 10_000 for p in paths)


def test_theorem5_level_at_width():
    assert theorem5_level_at_width(5, 4) == theorem5_level(1)
    levels = [theorem5_level_at_width(r, 4) for r in (10, 100, 1000, 10000)]
    assert levels == sorted(levels, reverse=True)  # wider networks: a smaller forced level
    assert theorem5_level_at_width(1000, 8) > theorem5_level_at_width(1000, 4)
    with pytest.raises(ValueError, match="d"):
        theorem5_level_at_width(10, 3)
