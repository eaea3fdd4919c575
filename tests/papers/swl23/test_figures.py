"""Every SWL23 experiment draws a figure; the new figure functions on synthetic records (docs/papers/swl23.md)."""

from __future__ import annotations

import math

import pytest

import featlearn.papers.swl23  # noqa: F401  (registers the experiments)
from featlearn.experiments import EXPERIMENTS
from featlearn.papers.swl23 import experiments as E

pytest.importorskip("matplotlib")


def test_every_swl23_experiment_has_figures():
    names = [n for n, e in EXPERIMENTS.items() if e.paper == "swl23"]
    assert {"swl23-xor", "swl23-parity", "swl23-bound", "swl23-width", "swl23-crossing"} <= set(names)
    for n in names:
        assert EXPERIMENTS[n].figures is not None, n


def _png(paths):
    assert paths
    for p in paths:
        with open(p, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_xor_figures(tmp_path):
    rec = {"status": "ok", "seed": 0, "alg1_error": 0.036, "alg1_last_error": 0.04, "rf_error": 0.39,
           "lazy_error": 0.45, "full_retrained_error": 0.035, "ticket_error": 0.036, "random_prune_error": 0.037,
           "ticket_size": 100, "identity_rel_dev": 3e-16, "pairing_rel_dev": 0.0, "eps": 2.2e-16, "z_rms": 1.02,
           "bayes_error": 0.0333, "width": 256, "d": 128}
    _png(E.xor_figures([rec, dict(rec, seed=1, alg1_error=0.04)], tmp_path))
    old = {k: v for k, v in rec.items() if k not in ("bayes_error", "width", "d")}  # records of an older store
    _png(E.xor_figures([old], tmp_path))


def test_parity_figures(tmp_path):
    recs = [{"status": "ok", "k": k, "yD_mean": m, "yD_se": 0.004, "yD_predicted": p, "hit_empirical": h,
             "hit_empirical_low": h - 0.02, "hit_empirical_high": h + 0.02, "hit_population": h + 0.02,
             "hit_population_low": h, "hit_population_high": h + 0.04, "feature_p": 0.05}
            for k, m, p, h in ((4, 0.001, 0.0, 0.0), (3, 0.69, 2 * 0.2 * math.sqrt(3), 0.2))]
    _png(E.parity_figures(recs, tmp_path))  # records of an older store: no signed excess
    signed = [dict(r, signed_excess=e, signed_excess_low=e - 0.04, signed_excess_high=e + 0.04)
              for r, e in zip(recs, (0.0, 0.25))]
    _png(E.parity_figures(signed, tmp_path))


def test_bound_figures(tmp_path):
    recs = []
    for fam in ("xor", "two-cluster"):
        for s in (3.0, 8.0, 20.0):
            for d in (2, 16):
                recs.append({"status": "ok", "family": fam, "s": s, "d": d, "seed": 0,
                             "test_error": 0.0 if s > 3 else 0.05, "rhs": None if fam == "xor" else 3.0 / s ** 0.5,
                             "bayes_error": 0.03 if s == 3 else 1e-6})
    _png(E.bound_figures(recs, tmp_path))
