"""GD on Eq. (6) against its Gram-spectrum prediction (featlearn/papers/sl21/gd_spectrum.py; docs §4.6)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from featlearn.backends import Generator
from featlearn.papers.sl21.gd_spectrum import gd_spectral_prediction, spectral_times, validity_horizon
from featlearn.papers.sl21.networks import StrongNetwork, clipped_error, train_strong
from featlearn.papers.sl21.setting import ball_target


def _run(seed: int = 0, n: int = 600, width: int = 80, iters: int = 120):
    X, y = ball_target("sphere_sum", 4).sample(Generator(seed).child("train"), n)
    net = StrongNetwork.init(Generator(seed).child("strong"), 4, width)
    F = net.features(X)
    ws = {}
    res, info = train_strong(F, y, net.w, rng=Generator(seed).child("lmax"), max_iter=iters,
                             callback=lambda t, w: ws.__setitem__(t, w))
    return F, y, ws, res, info


def test_prediction_is_linear_gd_on_the_active_set():
    """Linear GD from w₂ on w₂'s active samples, iterated directly, equals the closed form; while no output
    crosses a kink the clipped GD run equals it too."""
    F, y, ws, res, info = _run()
    eta, n = info["step"], F.shape[0]
    z = F @ ws[2]
    A = (z > 0) & (z < 1)
    assert A.mean() > 0.95
    w = ws[2].copy()
    direct = {1: w.copy()}
    for t in range(2, 41):
        w = w - eta * (2.0 / n) * F[A].T @ (F[A] @ w - y[A])
        direct[t] = w.copy()
    curve = gd_spectral_prediction(F, y, ws[2], step=eta, iters=range(1, 41))
    for c in curve:
        assert np.allclose(c["w"], direct[c["t"]], rtol=1e-8, atol=1e-10)
        assert c["loss"] == pytest.approx(clipped_error(F, y, direct[c["t"]]), rel=1e-10)
    # no crossing up to t: the clipped run is the linear GD (the first steps at least)
    quiet = [c for c in curve if all(e["changed"] == 0.0 for e in curve if e["t"] <= c["t"])]
    assert len(quiet) >= 3
    for c in quiet:
        assert res.losses[c["t"] + 1] == pytest.approx(c["loss"], rel=1e-6)


def test_full_gram_prediction_bounds_the_run_and_null_fails():
    """The settled full-Gram prediction from w₁ is above GD's loss after the run (the claim's bound); the
    no-progress null F̂(w₁) is above the prediction (it fails the bound)."""
    for seed in (0, 1):
        F, y, ws, res, info = _run(seed, iters=200)
        (p,) = gd_spectral_prediction(F, y, ws[1], step=info["step"], iters=[res.steps], active_only=False,
                                      settle=True)
        assert res.losses[-1] / p["loss"] <= 1.0, seed
        assert res.losses[1] / p["loss"] > 1.0, seed


def test_spectral_times_and_validation():
    ts = spectral_times(300)
    assert ts[0] == 1 and ts[-1] == 300 and ts == sorted(set(ts)) and len(ts) > 30
    assert spectral_times(1) == [1]
    F, y, ws, res, info = _run(iters=3)
    with pytest.raises(ValueError, match="step"):
        gd_spectral_prediction(F, y, ws[2], step=2.0 * info["step"], iters=3)
    with pytest.raises(ValueError, match="iters"):
        gd_spectral_prediction(F, y, ws[2], step=info["step"], iters=[])
    with pytest.raises(ValueError, match="iters"):
        gd_spectral_prediction(F, y, ws[2], step=info["step"], iters=0)
    with pytest.raises(ValueError, match="curve"):
        validity_horizon([], 0.05)
    one = [{"t": 1, "changed": 0.5}, {"t": 2, "changed": 0.6}]
    assert validity_horizon(one, 0.05)["t"] == 1  # never valid: the start itself (compares nothing)
    assert math.isfinite(gd_spectral_prediction(F, y, ws[2], step=info["step"], iters=2)[0]["ls_loss"])
