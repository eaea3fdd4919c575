"""The registered NDL23 claims: metadata, and claims that fail when the measurement is wrong."""

from __future__ import annotations

import math

import pytest

from featlearn.backends import get_namespace
from featlearn.claims import REGISTRY, RunContext
from featlearn.papers.ndl23 import CITATION, KEY, Setting
from featlearn.papers.ndl23 import claims as ndl23

IDS = sorted(c for c in REGISTRY if REGISTRY[c].paper == "ndl23")
STATED = {"ndl23.loss-falls-as-correlation-rises", "ndl23.quadratic-sweep-loss-vs-correlation"}


def test_metadata():
    assert len(IDS) == 8
    for cid in IDS:
        c = REGISTRY[cid]
        assert c.provenance == ("stated" if cid in STATED else "reconstructed"), cid
        assert c.statement and c.where and c.tolerance_note, cid
        assert "notes §" not in c.where + c.statement + c.tolerance_note, cid


def test_crossing_is_nan_when_not_bracketed():
    # an n* outside the fixed grid must make a claim fail visibly (NaN), never take a grid end
    assert math.isnan(ndl23._crossing([8, 16, 32], [0.9, 0.95, 0.99], 0.8))  # starts above the level
    assert math.isnan(ndl23._crossing([8, 16, 32], [0.1, 0.2, 0.3], 0.8))    # never reaches it
    n = ndl23._crossing([8, 16, 32], [0.1, 0.5, 0.9], 0.7)
    assert 16 < n < 32


def test_quadratic_exponent_claim_fails_when_the_learning_curves_are_wrong(monkeypatch):
    # feature learning that never happens (corr stuck at 0) leaves n* unresolved -> NaN -> fail
    monkeypatch.setattr(ndl23, "feature_learning_curve", lambda target, rng, ns, **kw: [0.0 for _ in ns])
    ndl23_cache = getattr(ndl23, "_CACHE", None)
    if ndl23_cache is not None:
        ndl23_cache.clear()
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=987).with_setting(Setting)
    for cid in ("ndl23.quadratic-sample-exponent", "ndl23.single-index-sample-exponent"):
        out = REGISTRY[cid].fn(ctx)
        assert not out.passes(), (cid, out)


def test_sweep_claim_fails_when_loss_rises_with_correlation():
    # records where the loss *rises* as the correlation rises: Spearman +1, the claim must fail
    recs = [{"d": d, "n": n, "corr": c + 0.01 * s, "test_nmse": c + 0.01 * s, "seed": s}
            for d in (8, 16) for n, c in ((256, 0.2), (1024, 0.5), (4096, 0.9)) for s in range(3)]
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=0).with_setting(Setting)
    out = REGISTRY["ndl23.quadratic-sweep-loss-vs-correlation"].fn(ctx, recs)
    assert out.measured > 0.5 and not out.passes()
    # and passes when the loss falls
    for r in recs:
        r["test_nmse"] = 1.0 - r["corr"]
    out = REGISTRY["ndl23.quadratic-sweep-loss-vs-correlation"].fn(ctx, recs)
    assert out.measured == pytest.approx(-1.0) and out.passes() and out.details["runs_by_d"] == {8: 9, 16: 9}


def test_key_citation_and_claim_functions():
    assert KEY == "ndl23" and CITATION["notes"] == "docs/papers/ndl23.md"
    for cid in IDS:
        fn = REGISTRY[cid].fn
        assert fn.__module__ == ndl23.__name__, cid
        assert fn.__name__ == cid.removeprefix(f"{KEY}.").replace("-", "_"), cid


def test_setting_validates_at_both_scales():
    quick, paper = Setting(), Setting.at("paper")
    assert Setting.at("quick") == quick
    assert paper.to_dict().keys() == quick.to_dict().keys()
    for name, bad in (("curves_m1", 0), ("eig_groups", 1), ("qexp_ds", (8, 0)), ("stage1_slopes", (0.0,))):
        with pytest.raises(ValueError, match=name):
            Setting(**{name: bad})


def test_paper_scale_sizes():
    # the paper-scale sizes the claims and experiments read (they were ctx.pick(quick, paper) values)
    s = Setting.at("paper")
    assert (s.eig_d, s.eig_n, s.eig_groups, s.eig_features_per_group) == (16, 2**15, 16, 1024)
    assert (s.mc_n, s.quad_m2_per_d2, s.stage1_slopes) == (8192, 8, (0.5, 1.0, 2.0, 4.0))
    assert (s.curves_d, s.curves_reps, s.curves_loss_reps, s.curves_m1) == (16, 10, 5, 512)
    assert s.curves_ns_corr == tuple(2**k for k in range(7, 18))
    assert s.curves_ns_loss == tuple(2**k for k in range(8, 18, 2))
    assert (s.curves_n_test, s.curves_n_eval, s.curves_seeds) == (2**15, 2**15, 1)
    assert (s.qexp_ds, s.qexp_reps, s.qexp_n_max_log2, s.qexp_n_test) == ((8, 16, 32, 48), 5, 16, 8192)
    assert s.n_min_log2 == 3
    assert (s.si_ds, s.si_reps, s.si_n_max_log2, s.si_n_test, s.si_m2_per_d) == ((16, 32, 64, 128), 32, 15, 8192, 32)
    assert (s.beat_d, s.beat_n, s.beat_m1, s.beat_n_val, s.beat_n_test, s.beat_mc_n) == (16, 2**16, 1024, 2**15,
                                                                                          2**15, 2048)
    assert (s.beat_rf_width, s.beat_two_layer_width, s.two_layer_etas) == (4096, 2048, (0.5, 1.0, 2.0, 4.0))
    assert (s.radial_d, s.radial_n, s.radial_m1, s.radial_m2) == (32, 2**16, 1024, 4096)
    assert (s.radial_n_val, s.radial_n_test, s.radial_mc_n, s.radial_floor_n, s.radial_rf_width) == (
        2**15, 2**15, 2048, 2**16, 4096)
    assert (s.sweep_ds, s.sweep_ns, s.sweep_m1, s.sweep_n_eval, s.sweep_seeds) == (
        (8, 16, 24, 32), tuple(2**k for k in range(8, 17, 2)), 512, 2**13, 3)
