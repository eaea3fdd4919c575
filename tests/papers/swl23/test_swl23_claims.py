"""The SWL23 claims pass on a real run and fail when the measurement is wrong (docs/papers/swl23.md)."""

from __future__ import annotations

import pytest

import featlearn.papers.swl23  # noqa: F401  (registers the paper and its claims)
from featlearn.claims import REGISTRY, run_claim, select
from featlearn.papers.swl23 import claims as C

IDS = sorted(c.id for c in select("swl23.*"))


def test_at_least_six_reconstructed_claims_with_notes():
    assert len(IDS) >= 6
    for cid in IDS:
        c = REGISTRY[cid]
        assert c.provenance == "reconstructed"  # the paper's text was not available
        assert "docs/papers/swl23.md §" in c.where
        assert len(c.tolerance_note) > 40


@pytest.mark.parametrize("cid", IDS)
def test_claim_passes_numpy(cid):
    r = run_claim(REGISTRY[cid], backend="numpy", seed=0)
    assert r.verdict == "pass", (r.error, r.outcome)


def _fresh(monkeypatch):
    monkeypatch.setattr(C, "_CACHE", {})


def test_trained_error_claim_fails_for_an_untrained_network(monkeypatch):
    """If the first step did not learn (η⁽¹⁾ → 0), the measured error is near chance and the claim fails."""
    _fresh(monkeypatch)
    real = C.train_algorithm1

    def broken(net, train, **kw):
        return real(net, train, **{**kw, "eta1": 1e-8, "lam1": 0.0, "eta": 0.0})

    monkeypatch.setattr(C, "train_algorithm1", broken)
    r = run_claim(REGISTRY["swl23.xor-trained-near-bayes"], backend="numpy", seed=0)
    assert r.verdict == "fail" and r.outcome.measured > 0.3


def test_closed_form_claim_fails_for_a_wrong_gradient(monkeypatch):
    """Dropping the φ(t)·σu term of the mixture gradient makes the z-scores explode."""
    _fresh(monkeypatch)
    real = C.mixture_gradient

    def wrong(W, b, mix):
        G = real(W, b, mix)
        return G - 0.1 * W / (W * W).sum(axis=0) ** 0.5

    monkeypatch.setattr(C, "mixture_gradient", wrong)
    r = run_claim(REGISTRY["swl23.mixture-gradient-closed-form"], backend="numpy", seed=0)
    assert r.verdict == "fail" and r.outcome.measured > 2


def test_first_step_claim_fails_without_the_weight_decay_reset(monkeypatch):
    """With λ⁽¹⁾ = 0 the initialisation is not erased and the identity W⁽¹⁾ = η⁽¹⁾a⁽⁰⁾G_Z fails."""
    _fresh(monkeypatch)
    real = C.train_algorithm1
    monkeypatch.setattr(C, "train_algorithm1", lambda net, train, **kw: real(net, train, **{**kw, "lam1": 0.0}))
    r = run_claim(REGISTRY["swl23.first-step-identity"], backend="numpy", seed=0)
    assert r.verdict == "fail"


def test_width_experiment_cell_and_figure(tmp_path):
    from featlearn.papers.swl23.experiments import width_cell, width_figures

    recs = [{"width": w, "seed": 0, **width_cell({"width": w, "scale": "quick"}, 0, "numpy", None)} for w in (32, 64)]
    assert all(r["trained_error"] < 0.2 < r["random_features_error"] for r in recs)
    paths = width_figures(recs, tmp_path)
    assert paths[0].exists() and paths[0].stat().st_size > 1000
