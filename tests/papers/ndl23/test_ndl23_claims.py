"""The registered NDL23 claims: metadata, and claims that fail when the measurement is wrong."""

from __future__ import annotations

import math

import pytest

from featlearn.backends import get_namespace
from featlearn.claims import REGISTRY, RunContext
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
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=987)
    for cid in ("ndl23.quadratic-sample-exponent", "ndl23.single-index-sample-exponent"):
        out = REGISTRY[cid].fn(ctx)
        assert not out.passes(), (cid, out)


def test_sweep_claim_fails_when_loss_rises_with_correlation():
    # records where the loss *rises* as the correlation rises: Spearman +1, the claim must fail
    recs = [{"d": 8, "n": n, "corr": c, "test_nmse": c, "seed": 0} for n, c in ((256, 0.2), (1024, 0.5), (4096, 0.9))]
    ctx = RunContext(xp=get_namespace("numpy"), scale="quick", seed=0)
    out = REGISTRY["ndl23.quadratic-sweep-loss-vs-correlation"].fn(ctx, recs)
    assert out.measured == pytest.approx(1.0) and not out.passes()
