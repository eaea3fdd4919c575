"""Cui et al. 2024's comparisons on the experiment engine: featlearn's one-step network measured where
the spiked random-features theory predicts its test error.

``cui24-one-step`` (cells: link × setting (η̃, α₀, α, λ)) and ``cui24-curve`` (cells: α × η̃ ∈ {0, η̃₀},
link tanh) train the network of :mod:`.setting` (the peer's simulation:
p = d, rows of W₀ on the unit sphere, a₀ = 1/√p, Ba et al.'s step η = η̃√p on n₀ = α₀d samples,
exact residual y − f₀, ridge with a fixed λ on n = αp fresh samples; docs/papers/cui24.md §4, §5)
and record the test excess risk (noiseless labels) and the training error. ``featlearn reproduce
cui24-curve`` draws the learning curve: theory lines and measured points with seed bands.
"""

from __future__ import annotations

from pathlib import Path

from featlearn.backends import resolve_float_dtype
from featlearn.context import RunContext
from featlearn.data import TargetStream
from featlearn.experiments import group_by, new_figure, register_experiment, save_figure
from featlearn.models.one_step import OneStepNetwork, evaluate
from featlearn.models.two_layer import PARAMETRIZATIONS, TwoLayerNetwork
from featlearn.theory.activations import as_activation
from featlearn.stats import median
from featlearn.theory.targets import SingleIndex

from .setting import ACTIVATION, KEY, LINKS, NOISE, PARAMETRIZATION, RESIDUAL
from .spiked_random_features import (equivalent_model, featlearn_lambda, featlearn_step_size, initial_second_layer,
                                     ridge_errors)


def measure(params: dict, ctx: RunContext) -> dict[str, float]:
    """One run of the peer's one-step network in featlearn: ``link``, ``eta_tilde``, ``alpha0``, ``alpha``, ``lam``.

    d = p = ``ctx.setting.d``, ``ctx.setting.n_test`` test samples; all randomness from
    ``ctx.rng("cui24", link, d)`` (target, W₀ and the data sets), so the cells of a
    seed share the target and W₀. Returns ``test_excess`` (its standard error ``test_excess_se``
    from the test set) and ``train_error``.
    """
    link = str(params["link"])
    eta_tilde, alpha0 = float(params["eta_tilde"]), float(params["alpha0"])
    alpha, lam = float(params["alpha"]), float(params["lam"])
    d, n_test = ctx.setting.d, ctx.setting.n_test
    xp, device = ctx.xp, ctx.device
    rng = ctx.rng(KEY, link, d)
    dtype = resolve_float_dtype(xp, ctx.dtype, device)
    target = SingleIndex.random(rng.child("target"), d, LINKS[link], dtype=dtype)
    width = d
    p = PARAMETRIZATIONS[PARAMETRIZATION]
    W = rng.child("W").sphere(width, d, dtype=dtype).T
    a = xp.full((width,), initial_second_layer(width, PARAMETRIZATION), dtype=dtype, device=device)
    net = TwoLayerNetwork(W, a, as_activation(ACTIVATION), None, p.output_scale(width), p)

    def src(key, m):
        return TargetStream(target, m, rng.child(key), noise_std=NOISE, dtype=dtype)

    model = OneStepNetwork(width, activation=ACTIVATION, parametrization=PARAMETRIZATION,
                           eta=featlearn_step_size(eta_tilde, width, PARAMETRIZATION), residual=RESIDUAL,
                           lambdas=(featlearn_lambda(lam, width=width, parametrization=PARAMETRIZATION),), dtype=dtype)
    model.fit_batches(src("step", max(1, round(alpha0 * d))), src("ridge", max(1, round(alpha * width))),
                      network=net)
    (res,) = evaluate(
        model.network_, model.coef_, src("test", n_test), centering=None)
    return {"test_excess": res["excess"][0], "test_excess_se": res["excess_se"][0],
            "train_error": float(model.train_error_)}


def theory(link: str, *, eta_tilde: float, alpha0: float, alpha: float, lam: float):
    """The spiked random-features prediction for one cell (:func:`ridge_errors`)."""
    m = equivalent_model(ACTIVATION, LINKS[link], eta_tilde=eta_tilde, alpha0=alpha0, noise_std=NOISE)
    return ridge_errors(m, alpha=alpha, lam=lam)


def one_step_grid(s) -> list[dict]:
    """The cells of ``cui24-one-step`` for setting ``s``: link × the (η̃, α₀, α, λ) settings."""
    return [{"link": link, **cell} for link in LINKS for cell in s.one_step_settings()]


def curve_grid(s) -> list[dict]:
    """The cells of ``cui24-curve`` for setting ``s``: η̃ ∈ {0, η̃₀} × the α of the learning curve (link tanh)."""
    return [{"link": "tanh", "eta_tilde": eta, "alpha0": s.curve_alpha0, "alpha": a, "lam": s.curve_lam}
            for eta in (0.0, s.curve_eta_tilde) for a in s.curve_alphas]


_PARAMS = ("link", "eta_tilde", "alpha0", "alpha", "lam")

register_experiment(
    f"{KEY}-one-step", measure, params=_PARAMS, grid=one_step_grid, seeds=lambda s: range(s.seeds),
    description="Cui et al. 2024 (spiked random-features equivalent, Result 3.3): test excess risk of featlearn's "
                "one-step network (the peer's simulation setting: p = d, a₀ = 1/√p, η = η̃√p, residual y − f₀, fixed "
                "ridge λ) at several (η̃, α₀, α, λ) for σ* = tanh and sin; the claims cui24.test-error-* compare it "
                "with the fixed point of featlearn.papers.cui24.spiked_random_features.",
    paper=KEY,
)


def curve_figure(records: list[dict], out_dir: Path) -> list[Path]:
    """Test excess risk vs α: theory lines (one step, no step) and measured medians with min–max seed bands."""
    import numpy as np

    alpha0, lam = (float(records[0][k]) for k in ("alpha0", "lam"))  # one (α₀, λ) along the curve
    fig, ax = new_figure()
    groups = group_by(records, x="alpha", y="test_excess", hue="eta_tilde")
    for eta, g in groups.items():
        xs = np.array(list(g), dtype=float)
        vals = [np.array(v) for v in g.values()]
        label = "no step (random features)" if float(eta) == 0.0 else f"one step, η̃ = {eta:g}"
        (pts,) = ax.plot(xs, [median(v) for v in vals], "o", ms=4, label=f"measured: {label}")
        ax.fill_between(xs, [v.min() for v in vals], [v.max() for v in vals], color=pts.get_color(), alpha=0.2,
                        linewidth=0)
        grid = np.linspace(float(xs.min()), float(xs.max()), 40)
        pred = [theory("tanh", eta_tilde=float(eta), alpha0=alpha0, alpha=float(a), lam=lam).test_excess for a in grid]
        ax.plot(grid, pred, "-", color=pts.get_color(), label=f"theory: {label}")
    ax.set(xlabel="α = n/p (ridge samples per neuron)", ylabel="test excess risk",
           title=f"Cui et al. 2024: σ = σ* = tanh, α₀ = {alpha0:g}, λ = {lam:g}")
    ax.legend(fontsize="small")
    ax.grid(True, alpha=0.3)
    return [save_figure(fig, Path(out_dir) / "learning_curve.png")]


register_experiment(
    f"{KEY}-curve", measure, params=_PARAMS, grid=curve_grid, seeds=lambda s: range(s.seeds),
    description="Cui et al. 2024: learning curve of the test excess risk in α = n/p, with one step (η̃ = 2) and "
                "without (random features), σ = σ* = tanh; theory lines from the spiked random-features fixed point, "
                "measured points with seed bands (claims cui24.learning-curve and cui24.no-step-random-features).",
    paper=KEY,
    figures=curve_figure,
)
