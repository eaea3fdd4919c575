"""SL21's claims and experiments (featlearn/papers/sl21; docs/papers/sl21.md §5)."""

from __future__ import annotations

import math

import pytest

import featlearn.papers.sl21  # noqa: F401  (registers the paper)
from featlearn.claims import REGISTRY, run_claim
from featlearn.context import make_context
from featlearn.experiments import get_experiment
from featlearn.papers.sl21 import KEY, Setting
from featlearn.papers.sl21 import claims as sl21_claims
from featlearn.papers.sl21.experiments import CHECKPOINTS, _power_law_extrapolation, separation_cell, width_cell


def _cell_ctx(seed: int, backend: str = "numpy"):
    """The context a sweep cell of sweep seed ``seed`` receives at quick scale (run seed 0)."""
    return make_context(backend=backend, setting=Setting).for_replicate(seed)

IDS = ["sl21.radius-laws", "sl21.bessel-normalisation", "sl21.class-balance", "sl21.strong-represents",
       "sl21.linear-readout-above", "sl21.gd-monotone", "sl21.weak-gd-above-400",
       "sl21.gd-progress-spectrum"]


@pytest.fixture(scope="module")
def records():
    cell = dict(get_experiment("sl21-separation").grid_at("quick")[0])
    rec = dict(cell, seed=0)
    rec.update(separation_cell(cell, _cell_ctx(0)))
    return [rec]


def test_registered():
    for cid in IDS:
        assert cid in REGISTRY and REGISTRY[cid].paper == KEY == "sl21"
        assert REGISTRY[cid].fn.__name__ == cid.split(".", 1)[1].replace("-", "_")  # named after the claim


def test_setting_validates():
    quick, paper = Setting(), Setting.at("paper")
    assert Setting.at("quick") == quick
    for bad in ({"n": 0}, {"widths": (50, 0)}, {"separation_law": "gauss"}, {"adam_lr": 0.0}, {"represent_d": 3}):
        name = next(iter(bad))
        with pytest.raises(ValueError, match=name):
            Setting(**bad)
        with pytest.raises(ValueError, match=name):
            paper.replace(**bad)


def test_setting_paper_sizes():
    """The paper-scale sizes the claims and sweeps read (the values before they moved into the setting)."""
    q, p = Setting(), Setting.at("paper")
    assert (q.radius_laws_d, q.radius_laws_n, p.radius_laws_n) == (5, 20000, 200000)
    assert (q.class_balance_d, q.class_balance_n, p.class_balance_n) == (4, 20000, 200000)
    assert q.bessel_ds == (2, 3, 4, 8, 16) and p.bessel_ds == (2, 3, 4, 8, 16, 32, 64)
    assert (p.separation_law, p.separation_d, p.separation_width, p.gd_iters, p.pgd_iters, p.weak_width,
            p.weak_iters) == ("sphere_sum", (4, 8), 800, 2000, 200, 256, 1000)
    assert (q.separation_d, q.separation_width, q.gd_iters, q.pgd_iters, q.weak_width, q.weak_iters) == (
        (4,), 300, 300, 60, 64, 300)
    assert (q.n, q.n_val, q.n_test, p.n, p.n_val, p.n_test) == (3000, 2000, 6000, 10000, 4000, 20000)
    assert (q.separation_seeds, p.separation_seeds, q.width_seeds, p.width_seeds) == (1, 2, 1, 3)
    assert (q.width_laws, q.width_ds, q.widths) == (("sphere_sum", "mu"), (4,), (50, 100, 200))
    assert (p.width_ds, p.widths) == ((4, 6, 8), (50, 100, 200, 400, 800, 1600))
    for s in (q, p):
        assert (s.stated_iters, s.weak_record_every, s.adam_lr, s.precond_ridge, s.represent_d) == (5, 10, 1e-2,
                                                                                                     1e-6, 4)
        assert s.ridges == (1e-10, 1e-8, 1e-6, 1e-4, 1e-2) and s.slopes == (5.0, 10.0, 20.0, 40.0, 80.0)
    sep, wid = get_experiment("sl21-separation"), get_experiment("sl21-width")
    assert [c["d"] for c in sep.grid_at("paper")] == [4, 8] and sep.seeds_at("paper") == (0, 1)
    assert wid.grid_at("paper")["width"] == [50, 100, 200, 400, 800, 1600] and wid.seeds_at("paper") == (0, 1, 2)


@pytest.mark.parametrize("cid", IDS)
def test_claims_quick_numpy(cid, records):
    c = REGISTRY[cid]
    res = run_claim(c, backend="numpy", records=records if c.experiment else None)
    expected = "xfail" if c.known_discrepancy else "pass"
    assert res.verdict in (expected, "pass"), (res.verdict, res.error, res.outcome)


@pytest.mark.parametrize("cid", ["sl21.radius-laws", "sl21.class-balance"])
def test_direct_claims_on_backends(backend, cid):
    res = run_claim(REGISTRY[cid], backend=backend)
    assert res.verdict == "pass", (res.error, res.outcome)


def test_claims_fail_on_wrong_measurement(records, monkeypatch):
    """The claims can fail: corrupt the measurements and the verdicts flip."""
    # one corrupted measurement per claim (the others, which supply the nulls, kept)
    corrupt = {"sl21.strong-represents": {"clipped_error": 0.01},
               "sl21.linear-readout-above": {"linear_error": 0.001},
               "sl21.weak-gd-above-400": {"wgd_min_error": 0.001},
               "sl21.gd-monotone": {"gd_max_increase": 1e-3, "gd_iters_to_eps": math.inf},
               "sl21.gd-progress-spectrum": {"gd_train_loss": 1.5 * records[0]["gd_spectral_loss"]}}
    for cid, change in corrupt.items():
        bad = [dict(r, **change) for r in records]
        assert run_claim(REGISTRY[cid], records=bad).verdict == "fail", cid
    # a sampler drawing the wrong law fails the KS claim
    from featlearn.papers.sl21.radial_laws import SphereSumInput

    monkeypatch.setattr(sl21_claims, "make_input", lambda law, d: SphereSumInput(d) if law != "sphere_sum"
                        else sl21_claims.make_input.__wrapped__(law, d) if hasattr(sl21_claims.make_input,
                                                                                 "__wrapped__") else None)
    from featlearn.papers.sl21 import setting

    real = setting.make_input

    class Mislabelled:
        def __init__(self, d):
            self.wrong = SphereSumInput(d)
            self.right = real("mu", d)

        def sample(self, rng, n, dtype=None):
            return self.wrong.sample(rng, n, dtype=dtype)

        def radius_cdf(self, r):
            return self.right.radius_cdf(r)

    monkeypatch.setattr(sl21_claims, "make_input", lambda law, d: Mislabelled(d) if law == "mu" else real(law, d))
    assert run_claim(REGISTRY["sl21.radius-laws"]).verdict == "fail"


def test_weak_claim_refuses_d_below_4(records):
    bad = [dict(r, d=3) for r in records]
    assert run_claim(REGISTRY["sl21.weak-gd-above-400"], records=bad).verdict == "error"


def test_width_cell_and_helpers():
    out = width_cell({"law": "mu", "d": 4, "width": 50, "n": 800, "n_val": 400, "n_test": 800}, _cell_ctx(0))
    assert set(out) >= {"clipped_error", "linear_error"}
    assert all(math.isfinite(v) for v in out.values())
    assert CHECKPOINTS(10) == [0, 1, 2, 4, 8, 10]
    losses = [1.0 / math.sqrt(t + 1) for t in range(101)]
    p, t = _power_law_extrapolation(losses, 0.01)
    assert abs(p - 0.5) < 0.02 and 5e3 < t < 2e4


def test_separation_cell_chunk_and_backend_consistency(records):
    """The same cell on array_api_strict gives the numpy numbers (same host-drawn randomness)."""
    cell = dict(get_experiment("sl21-separation").grid_at("quick")[0])
    small = dict(cell, width=60, iters=20, pgd_iters=5, weak_iters=10, n=500, n_val=300, n_test=500)
    a = separation_cell(small, _cell_ctx(1))
    b = separation_cell(small, _cell_ctx(1, "array_api_strict"))
    for k in ("clipped_error", "linear_error", "gd_test_error", "wgd_min_error"):
        assert abs(a[k] - b[k]) < 1e-9, k


@pytest.mark.parametrize("cid", ["sl21.strong-represents", "sl21.linear-readout-above", "sl21.weak-gd-above-400",
                                 "sl21.gd-progress-spectrum"])
def test_run_time_nulls_fail(cid, records):
    """The nulls the run supplies (the other readout's error; no GD progress after w₁) fail the verdict."""
    from featlearn.claims import Outcome

    out = REGISTRY[cid].fn(make_context(backend="numpy", setting=Setting), records)
    assert out.null is not None and out.null_theory
    assert out.passes()
    assert Outcome(out.predicted, out.null, out.tolerance, out.comparison).passes() is False, (cid, out.null)


def test_kinds():
    kinds = {cid: REGISTRY[cid].kind for cid in IDS}
    assert kinds["sl21.gd-monotone"] == kinds["sl21.bessel-normalisation"] == "identity"
    assert kinds["sl21.gd-progress-spectrum"] == "bound"
    assert {kinds[c] for c in IDS} <= {"bound", "identity"}


def test_linear_readout_is_the_best_of_its_grid(records):
    """The readout's intercept is unpenalised (centred ridge) and no floor removes a λ: its validation error is
    the smallest of the grid, and a huge λ gives the mean predictor (a₀ = ȳ), not 0."""
    import numpy as np

    from featlearn.backends import Generator
    from featlearn.papers.sl21.networks import ErfFeatures, linear_readout
    from featlearn.papers.sl21.setting import ball_target

    tgt = ball_target("sphere_sum", 4)
    X, y = tgt.sample(Generator(0).child("tr"), 800)
    Xv, yv = tgt.sample(Generator(0).child("va"), 400)
    phi = ErfFeatures.init(Generator(0).child("phi"), 4, 60)
    F, Fv = phi(X), phi(Xv)
    pred, info = linear_readout(F, y, Fv, yv, lambdas=(1e-12, 1e-6, 1e-2, 1e6))
    assert info["val_error"] == min(info["val_errors"])
    big, _ = linear_readout(F, y, Fv, yv, lambdas=(1e9,))
    assert np.allclose(big(Fv), np.mean(y), atol=1e-6)
