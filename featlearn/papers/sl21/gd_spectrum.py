"""GD on Eq. (6) predicted from the spectrum of the erf-feature Gram (reconstructed — our derivation).

docs/papers/sl21.md §4.6. Plain GD on the output weights, ``w ← w − η∇F̂(w)`` with
``∇F̂(w) = (2/n)Σ_i([wᵀx̃_i]_+^1 − y_i)·1{wᵀx̃_i ∈ (0, 1)}·x̃_i``, is *linear* GD on a least-squares
loss as long as no sample's output ``wᵀx̃_i`` crosses a kink of the clip (0 or 1): the samples
inside (0, 1) (the active set A) pull with their residual ``wᵀx̃_i − y_i``, the others not at all.
Assumption 7's start ``w₀ ~ N(0, r⁻²I)`` puts every output at the kink 0, so the first step is
not linear (only the samples with a positive output pull, and the step can overshoot); after the
second, at the practical step ``η = 1/λ_max(G)``, every output lies in (0, 1) (quick seeds 0–11) and
stays there for a while. Linearising from that iterate, w₁ below (the runs' w₂), with its active
set A,
``G_A = (1/n)Σ_{i∈A} x̃_i x̃_iᵀ = Σ_k λ_k v_k v_kᵀ`` and ``c = Vᵀ(G_A w₁ − (1/n)Σ_{i∈A} y_i x̃_i)``::

    w_t^lin = w₁ − Σ_k v_k c_k (1 − q_k^{t−1})/λ_k,        q_k = 1 − 2ηλ_k,
    (1/n)Σ_{i∈A}(x̃_iᵀw_t^lin − y_i)² = F̂_A,LS + Σ_k (c_k²/λ_k)·q_k^{2(t−1)},

F̂_A,LS the least-squares minimum on A. The erf Gram's eigenvalues spread over ~10 decades, so
the sum is a superposition of exponentials whose rates 4ηλ_k spread over decades: a power law in
t, not a linear rate (the t^{-0.4} decay of the runs). The predicted training loss is the clipped
loss of the linearised iterate over all samples, ``F̂(w_t^lin)``.

At η = 1/λ_max(G), when A is every sample, the top mode has ``q = −1``: the linear model keeps it
oscillating around its minimiser with a constant amplitude, and so does the real GD (the runs: the
top-mode component of w_t − w_{t−1} alternates in sign at a constant size) until outputs start
crossing the kinks, which damps it. The prediction keeps the oscillation (it is the exact linear
dynamics) and is read only before the crossings (the horizon below).

Where the linearisation stops holding: once outputs cross a kink (they leave (0, 1), mostly on the
correct side, and stop pulling), the real GD is faster than the linear one. The prediction reports
``changed(t)``, the fraction of samples whose active status at ``w_t^lin`` differs from A, computed
from the prediction alone; :func:`validity_horizon` picks the last t before it exceeds a level.
"""

from __future__ import annotations

from collections.abc import Iterable

from featlearn.backends import array_namespace, to_scalar
from featlearn.data import DEFAULT_CHUNK
from featlearn.validation import check_array, check_bool, check_int, check_real

from .networks import clipped_error, feature_gram

__all__ = ["MARGINAL_TOL", "gd_spectral_prediction", "spectral_times", "validity_horizon"]

#: A mode with q = 1 − 2ηλ <= −(1 − MARGINAL_TOL) is marginal (at η = 1/λ_max the top mode's q is −1 up to rounding).
MARGINAL_TOL = 1e-6


def spectral_times(iters: int, points: int = 64) -> list[int]:
    """Iterations 1, …, iters, about ``points`` of them log-spaced (where :func:`gd_spectral_prediction` is read)."""
    iters = check_int(iters, "iters", min_val=1)
    points = check_int(points, "points", min_val=2)
    if points >= iters:  # every iteration is one of the points
        return list(range(1, iters + 1))
    ts = {1, iters}
    for j in range(points):
        ts.add(max(1, min(iters, int(round(iters ** (j / (points - 1)))))))
    return sorted(ts)


def gd_spectral_prediction(F, y, w_start, *, step: float, iters, active_only: bool = True, settle: bool = False,
                           chunk: int = DEFAULT_CHUNK) -> list[dict]:
    """The training loss of plain GD on Eq. (6) at the iterations ``iters``, predicted from the Gram spectrum.

    Reconstructed — our derivation (module docstring; docs/papers/sl21.md §4.6).

    Parameters
    ----------
    F, y : arrays
        The frozen features (n × r) and the labels 1{‖x‖ <= λ}.
    w_start : array
        The GD iterate the linearisation starts from (the runs: w₂, two steps from Assumption 7's w₀, the
        first iterate whose outputs have left the kink at 0).
    step : float
        The fixed step η (> 0, at most 1/λ_max(G) up to 1e-6 relative).
    iters : int or sequence of int
        The iterations t >= 1, counted from ``w_start`` as t = 1, whose loss is predicted (t = 1 gives
        F̂(w_start); t gives the loss t − 1 steps later).
    active_only : bool
        Linearise on the start's active set A (exact while no output crosses a kink); False: on every
        sample (the clip ignored in the dynamics, kept in the loss).
    settle : bool
        Put the marginal modes (q_k = −1 up to 1e-6) at their minimiser instead of oscillating: the clip
        damps them once outputs cross the kinks (the long-run reading).

    Returns
    -------
    One dict per t: ``t``, ``loss`` (F̂(w_t^lin), the prediction), ``linear_loss`` (the spectral sum
    over A plus the inactive samples' clipped loss at w_t^lin), ``changed`` (fraction of samples
    whose active status at w_t^lin differs from the start's) and ``w`` (w_t^lin); the first dict also
    ``active`` (|A|/n at the start), ``ls_loss`` ((1/n)·the least-squares minimum over A) and
    ``marginal_modes`` (modes with q_k = −1 up to 1e-6: undamped in the linear model).
    """
    F = check_array(F, "F", ndim=2)
    xp = array_namespace(F)
    n, r = int(F.shape[0]), int(F.shape[1])
    y = check_array(y, "y", ndim=1, xp=xp, rows=n, dtype=F.dtype)
    w1 = check_array(w_start, "w_start", ndim=1, xp=xp, rows=r, dtype=F.dtype)
    eta = check_real(step, "step", min_val=0.0, include_boundaries="neither")
    ts = [iters] if not isinstance(iters, Iterable) else list(iters)
    if not ts:
        raise ValueError("iters: expected an iteration t >= 1 or a non-empty sequence of them, got an empty one")
    ts = [check_int(t, f"iters[{j}]", min_val=1) for j, t in enumerate(ts)]
    active_only = check_bool(active_only, "active_only")
    settle = check_bool(settle, "settle")
    lmax_full = float(to_scalar(xp.max(xp.linalg.eigvalsh(feature_gram(F, chunk=chunk)))))
    if eta > (1.0 + MARGINAL_TOL) / lmax_full:
        raise ValueError(f"step: expected at most 1/λ_max(G) = {1.0 / lmax_full:.6g} (the stable range the "
                         f"prediction covers), got {eta:.6g}")
    z1 = F @ w1
    active = xp.logical_and(z1 > 0.0, z1 < 1.0)
    if not active_only:
        active = xp.ones_like(active)
    m = xp.astype(active, F.dtype)
    FA = F * m[:, None]  # inactive rows zeroed: G_A = FAᵀFA/n, FAᵀy/n = Σ_{i∈A} y_i x̃_i / n
    G = (FA.T @ FA) / n
    evals, evecs = xp.linalg.eigh(0.5 * (G + G.T))
    evals = xp.clip(evals, 0.0, None)
    b = (FA.T @ y) / n
    c = evecs.T @ (G @ w1 - b)
    q = 1.0 - 2.0 * eta * evals
    marginal = q <= -(1.0 - MARGINAL_TOL)  # the q ≈ −1 end only: q ≈ +1 (tiny λ) is the slow end, kept
    pos = evals > 0
    safe = xp.where(pos, evals, xp.ones_like(evals))
    p = evecs.T @ b
    ls = float(to_scalar(xp.sum(y * y * m))) / n - float(to_scalar(xp.sum(xp.where(pos, p * p / safe, 0.0 * p))))
    out = []
    for t in ts:
        qt = xp.where(marginal, xp.zeros_like(q), q ** (t - 1)) if settle else q ** (t - 1)
        # Σ_{j<t−1} 2η q^j = (1 − q^{t−1})/λ, and 2η(t − 1) on a null mode (where c vanishes anyway)
        fac = xp.where(pos, (1.0 - qt) / safe, xp.full_like(evals, 2.0 * eta * (t - 1)))
        w = w1 - evecs @ (fac * c)
        z = F @ w
        res = xp.where(active, z - y, xp.clip(z, 0.0, 1.0) - y)
        act_t = xp.logical_and(z > 0.0, z < 1.0)
        out.append({"t": t, "loss": clipped_error(F, y, w, chunk=chunk),
                    "linear_loss": float(to_scalar(xp.mean(res * res))),
                    "changed": float(to_scalar(xp.mean(xp.astype(act_t != active, F.dtype)))), "w": w})
    out[0].update({"active": float(to_scalar(xp.mean(m))), "ls_loss": max(ls, 0.0),
                   "marginal_modes": int(to_scalar(xp.sum(xp.astype(marginal, xp.int64))))})
    return out


def validity_horizon(curve: list[dict], max_changed: float) -> dict:
    """The last entry of ``curve`` (sorted by t) before ``changed`` first exceeds ``max_changed``.

    The linearisation is exact while no sample crosses a kink; this is the latest iteration at which
    at most a fraction ``max_changed`` of the samples has (by the prediction's own iterate).
    """
    max_changed = check_real(max_changed, "max_changed", min_val=0.0, max_val=1.0)
    if isinstance(curve, (str, bytes)) or not isinstance(curve, (list, tuple)):
        raise TypeError(f"curve: expected the list of dicts gd_spectral_prediction returns, got {type(curve).__name__}")
    if not curve:
        raise ValueError("curve: expected the non-empty output of gd_spectral_prediction")
    for j, e in enumerate(curve):
        if not isinstance(e, dict) or "t" not in e or "changed" not in e:
            raise ValueError(f"curve[{j}]: expected a dict with 't' and 'changed' (gd_spectral_prediction's output), "
                             f"got {e!r:.80}")
        check_real(e["changed"], f"curve[{j}]['changed']", min_val=0.0, max_val=1.0)
    best = None
    for e in sorted(curve, key=lambda e: e["t"]):
        if e["changed"] > max_changed:
            break
        best = e
    return best if best is not None else sorted(curve, key=lambda e: e["t"])[0]
