"""Valid argument values for every public entry point (small sizes, NumPy), and the objects they need.

:func:`valid_value` gives a valid value for a parameter by its name, overridden per entry point
in :data:`OVERRIDES`; :data:`INSTANCES` builds the object a method is called on. A mutated call
replaces one of these values by a bad one (see ``test_entry_points``).
"""

from __future__ import annotations

import inspect
from functools import cache
from pathlib import Path

import numpy as np

D = 4  # input dimension of every small fixture
N = 24  # samples


def rng(*keys):
    from featlearn.backends import Generator

    g = Generator(0, xp="numpy")
    return g.child(*keys) if keys else g


@cache
def X():
    return rng("X").normal((N, D))


@cache
def y():
    return rng("y").normal((N,))


@cache
def target():
    from featlearn.theory import SingleIndex

    return SingleIndex.random(rng("beta"), D, "tanh")


@cache
def quad():
    from featlearn.theory import QuadraticFeature

    return QuadraticFeature.random(rng("A"), D, "relu")


@cache
def data():
    return target().sample(rng("data"), N, noise_std=0.1)


@cache
def data2():
    return target().sample(rng("data2"), N, noise_std=0.1)


@cache
def net():
    from featlearn.models import init_network

    return init_network(rng("net"), D, 8)


@cache
def ctx():
    from featlearn.claims import make_context

    return make_context(backend="numpy", scale="quick", seed=0)


@cache
def ctx_for(paper):
    from featlearn.claims import make_context

    return make_context(backend="numpy", scale="quick", seed=0, setting=setting(paper))


@cache
def spec():
    from featlearn.papers.ndl23 import kernel_spectrum

    return kernel_spectrum("relu", D, max_degree=3)


@cache
def gram():
    from featlearn.models import GramStats

    F = net().features(X())
    return GramStats.from_arrays(F, y())


@cache
def spectral():
    from featlearn.papers.mlhd23 import spectral_stats

    return spectral_stats(net(), data())[0]


@cache
def step_grad():
    from featlearn.models.one_step import one_step_gradient

    return one_step_gradient(net(), data())


@cache
def three_layer():
    from featlearn.papers.ndl23 import ThreeLayerNetwork

    q = quad()
    tl = ThreeLayerNetwork(4, 8).init(rng("tl"), D)
    tl.stage1(q.sample(rng("D1"), N))
    tl.stage2(q.sample(rng("D2"), N), q.sample(rng("V"), 16))
    return tl


@cache
def records():
    return [{"x": 1.0, "y": 2.0, "seed": 0, "ok": True}, {"x": 2.0, "y": 3.5, "seed": 0, "ok": True}]


@cache
def tmpdir() -> Path:
    import tempfile

    return Path(tempfile.mkdtemp(prefix="featlearn-fuzz-"))


@cache
def labels():
    return (np.asarray(rng("lab").normal((N,))) > 0).astype(np.float64) * 2 - 1


@cache
def sign_data():
    return X(), labels()


@cache
def swl_net():
    from featlearn.papers.swl23 import init_symmetric

    return init_symmetric(rng("swl"), D, 8)


@cache
def setting(paper="sl21"):
    from featlearn.claims import paper_setting  # noqa: F401
    from featlearn.papers import load_papers
    from featlearn.testing.strategies import setting_class

    load_papers()
    return setting_class(paper).at("quick")


# -- values by parameter name ---------------------------------------------------------------------------------
BY_NAME = {
    "d": lambda: D, "n": lambda: N, "width": lambda: 8, "m": lambda: 8, "m1": lambda: 4, "m2": lambda: 8,
    "k": lambda: 2, "p": lambda: 8, "ell": lambda: 2, "degree": lambda: 2, "order": lambda: 8, "iters": lambda: 3,
    "max_iter": lambda: 3, "steps": lambda: 2, "chunk": lambda: 8, "block": lambda: 8, "count": lambda: 2,
    "total": lambda: 3, "r": lambda: 1, "s": lambda: 1, "panels": lambda: 4, "max_degree": lambda: 3,
    "seed": lambda: 0, "iterations": lambda: 3, "trials": lambda: 10, "hits": lambda: 3, "nrows": lambda: 1,
    "ncols": lambda: 1, "dpi": lambda: 50, "indent": lambda: 1, "replicate": lambda: 0, "top": lambda: 2,
    "rng": rng, "X": X, "x": X, "Y": X, "y": y, "z": lambda: np.linspace(-2, 2, 7), "t": lambda: np.linspace(-1, 1, 5),
    "rho": lambda: np.linspace(0.1, 3, 7), "F": lambda: net().features(X()), "F_val": lambda: net().features(X()),
    "X_val": X, "y_val": y, "W": lambda: net().W, "b": lambda: np.zeros(8), "a": lambda: net().a,
    "data": data, "train": data, "val": data2, "heldout": data2, "fit": data, "test": data2,
    "target": target, "net": net, "nets": lambda: [net()], "network": net, "spec": spec, "stats": gram,
    "ctx": ctx, "records": records, "link": lambda: "tanh", "activation": lambda: "relu", "sigma": lambda: "relu",
    "sigma1": lambda: "relu", "sigma2": lambda: "relu", "act": lambda: "relu", "fn": lambda: np.tanh,
    "alpha": lambda: 0.3, "alphas": lambda: [0.1, 0.3], "lam": lambda: 0.1, "lambdas": lambda: [0.01, 0.1],
    "eta": lambda: 0.5, "eta1": lambda: 0.5, "step": lambda: 0.1, "lr": lambda: 0.01, "eps": lambda: 0.1,
    "gamma": lambda: 0.5, "delta": lambda: 0.1, "nu": lambda: 0.5, "h": lambda: 1e-5, "level": lambda: 0.05,
    "confidence": lambda: 0.95, "noise_std": lambda: 0.1, "std": lambda: 1.0, "separation": lambda: 2.0,
    "radius": lambda: 1.0, "scale": lambda: "quick", "backend": lambda: "numpy", "xp": lambda: np,
    "path": lambda: tmpdir() / "out.json", "out_dir": lambda: tmpdir() / "report", "name": lambda: "x",
    "title": lambda: "t", "setting": setting, "params": lambda: {"x": 1}, "values": lambda: [1.0, 2.0, 3.0],
    "sizes": lambda: [8, 16, 32], "medians": lambda: [0.9, 0.5, 0.1], "ns": lambda: [8, 16],
    "seeds": lambda: (0, 1), "grid": lambda: {"x": [1, 2]}, "energies": lambda: [0.1, 0.2, 0.05],
    "cross": lambda: 0.1, "var_h": lambda: 1.0, "var_y": lambda: 1.0, "target_corr": lambda: 0.5,
    "feature_norm": lambda: 1.0, "op_norm": lambda: 1.0, "c": lambda: 1.0, "mu": lambda: [0.0, 1.0],
    "b_norm": lambda: 1.0, "eta_tilde": lambda: 1.0, "alpha0": lambda: 2.0, "mixture": lambda: None,
    "support": lambda: [0, 1], "low": lambda: 0.0, "high": lambda: 1.0, "shape": lambda: (3, 2),
    "key": lambda: "k", "id": lambda: "sl21.class-balance", "claim_id": lambda: "sl21.class-balance",
    "paper": lambda: "sl21", "pattern": lambda: "sl21.*", "nbytes": lambda: 1000.0, "what": lambda: "a thing",
    "value": lambda: 1.0, "attr": lambda: "W", "model": net, "G": lambda: step_grad().G, "direction": lambda: None,
    "A": lambda: np.eye(D), "M": lambda: np.eye(D), "w": lambda: np.zeros(8), "w0": lambda: np.zeros(8),
    "phi": lambda: y(), "centering": lambda: None, "grad": step_grad, "keep": lambda: [0, 1, 2, 3],
    "opt": lambda: 0.1, "input": lambda: None, "dtype": lambda: None, "device": lambda: None,
    "progress": lambda: False, "desc": lambda: "work", "law": lambda: "gaussian", "default": lambda: 1,
    "doc": lambda: "a parameter", "header": lambda: ["a", "b"], "rows": lambda: [[1, 2]], "obj": lambda: {"a": 1},
    "means": lambda: np.eye(2, D), "beta": lambda: np.ones(D) / 2.0, "samples": lambda: np.abs(X()[:, 0]),
    "strings": lambda: {}, "keys": lambda: ["d"], "edge": lambda: 1.0, "singular_values": lambda: [2.0, 0.5],
    "weights": lambda: None, "q": lambda: 1.0, "B_G": lambda: 0.0, "B_a1": lambda: 1.0, "B_x1": lambda: 1.0,
    "B_x2": lambda: 1.0, "loss": lambda: "hinge", "absolute": lambda: True,
}


def paper_of(entry: str) -> str | None:
    parts = entry.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "papers" and parts[2] not in ("load_paper", "load_papers",
                                                                                  "paper_packages") else None


def valid_value(entry: str, param: inspect.Parameter):
    """A valid value for ``param`` of ``entry``: the entry's override, else by name, else the default."""
    over = OVERRIDES.get(entry, {})
    if param.name in over:
        return over[param.name]()
    paper = paper_of(entry)
    if paper and param.name == "setting" and param.default is inspect.Parameter.empty:
        return setting(paper)
    if paper and param.name == "ctx":
        return ctx_for(paper)
    if param.default is not inspect.Parameter.empty:
        return param.default
    if param.name in BY_NAME:
        return BY_NAME[param.name]()
    raise KeyError(f"{entry}: no valid value for {param.name!r}")


#: Per-entry valid values where the name alone does not say.
OVERRIDES: dict[str, dict] = {}

#: The object a method is called on, by the class's public name.
INSTANCES: dict[str, object] = {}

#: Bad values that are legal for one argument, with the documented reason: ``{entry: {argument: reason}}``.
#: The call must still be clear or return a finite result; it just need not refuse.
LEGAL: dict[str, dict[str, str]] = {}

#: Non-finite results that are the documented answer for a bad-looking value: ``{entry: {argument: reason}}``
#: (e.g. ``inf`` for "never", or NaN passed through by a converter that does not judge values).
NONFINITE_OK: dict[str, dict[str, str]] = {}

#: Values that are legal but mean hours of streamed work (no memory to refuse): ``{entry: {argument: reason}}``.
#: Their huge-size mutation is not run.
LONG_LEGAL: dict[str, dict[str, str]] = {}

#: Other names a correct message may use for an argument: ``{entry: {argument: (names, ...)}}`` (a checker's
#: settings, e.g. ``check_array(x, ndim=0)`` is rightly refused as "x: expected a 0-D array").
ALIASES: dict[str, dict[str, tuple[str, ...]]] = {}

#: An argument's kind where its valid value does not tell it: ``{entry: {argument: kind}}`` (kinds in
#: fuzz.mutations: array, int, real, flag, choice, text, rng, namespace, callable, grid, seq, mapping,
#: path, object, any).
KIND: dict[str, dict[str, str]] = {}


# -- objects for the overrides ----------------------------------------------------------------------------------
@cache
def claim_result():
    from featlearn.api import claim

    return claim("sl21.bessel-normalisation").run()


@cache
def onestep():
    from featlearn.models import OneStepNetwork

    return OneStepNetwork(8, alpha=0.2).fit_batches(data(), data2(), data(), rng=rng("os"))


@cache
def rf():
    from featlearn.papers.ndl23 import RandomFeaturesRidge

    return RandomFeaturesRidge(8).fit(X(), y())


@cache
def krr():
    from featlearn.papers.ndl23 import ReluKernelRidge

    return ReluKernelRidge().fit(X(), y())


@cache
def strong():
    from featlearn.papers.sl21 import StrongNetwork

    return StrongNetwork(width=8, max_iter=3).fit(X(), labels())


@cache
def weak():
    from featlearn.papers.sl21 import WeakNetwork

    return WeakNetwork(width=4, max_iter=3).fit(X(), labels())


@cache
def alg1():
    from featlearn.papers.swl23 import Algorithm1Network

    return Algorithm1Network(width=8, steps=2).fit(X(), labels())


@cache
def xor():
    from featlearn.papers.swl23 import XORMixture

    return XORMixture(D, 2.0)


def loss_and_grad(p):
    return float(np.sum(p ** 2)), 2 * p


def unit_directions():
    return np.eye(D, 2)


def png():
    return tmpdir() / "figure.png"


def store_manifest():
    return {"sweep": "fuzz", "experiment": "fuzz", "params": ["x"], "grid": {"x": [1, 2]}, "seeds": [0],
            "backend": "numpy"}


def fig():
    from featlearn.experiments import new_figure

    return new_figure()[0]


_SWL_SIGN = {"data": sign_data, "train": sign_data, "val": sign_data, "fit": sign_data, "heldout": sign_data,
             "net": swl_net, "W": lambda: swl_net().W, "b": lambda: swl_net().bias, "G": lambda: swl_net().W,
             "D": lambda: np.ones(D) / 2.0, "s": lambda: 1, "directions": unit_directions, "biases": lambda: np.zeros(2)}
_PLOT = {"x": lambda: "x", "y": lambda: "y", "path": png}

OVERRIDES.update({
    "featlearn.data.streamed_mse": {"predict": lambda: net().predict},
    "featlearn.data.streamed_mean": {"fn": lambda: (lambda b: b.y)},
    "featlearn.data.accumulate": {"total": lambda: None, "part": lambda: np.ones(3)},
    "featlearn.experiments.SweepResult": {"store": tmpdir, "records": lambda: [], "computed": lambda: 0,
                                          "skipped": lambda: 0, "failed": lambda: 0},
    "featlearn.experiments.SweepStore": {"path": tmpdir, "manifest": store_manifest},
    "featlearn.experiments.SweepStore.open": {"path": lambda: tmpdir() / "store", "manifest": store_manifest},
    "featlearn.experiments.SweepStore.existing": {"path": lambda: tmpdir() / "store"},
    "featlearn.experiments.SweepStore.record_path": {"task_id": lambda: "x=1-seed0"},
    "featlearn.experiments.SweepStore.read": {"task_id": lambda: "x=1-seed0"},
    "featlearn.experiments.SweepStore.write": {"record": lambda: {"task_id": "x=1-seed0", "x": 1, "seed": 0,
                                                                  "ok": True}},
    "featlearn.experiments.claims_table": {"claims_json": lambda: [claim_result().to_json()]},
    "featlearn.experiments.get_experiment": {"name": lambda: "hermite-mc"},
    "featlearn.experiments.reproduce": {"name": lambda: "hermite-mc"},
    "featlearn.experiments.group_by": {"x": lambda: "x", "y": lambda: "y"},
    "featlearn.experiments.plot_loglog_fit": _PLOT,
    "featlearn.experiments.plot_seed_band": _PLOT,
    "featlearn.experiments.load_sweep": {"store": lambda: tmpdir() / "store"},
    "featlearn.experiments.plot_claim_outcome": {"claim_json": lambda: claim_result().to_json(), "path": png},
    "featlearn.experiments.register_experiment": {"name": lambda: "fuzz-x", "fn": lambda: (lambda p, c: {}),
                                                  "grid": lambda: {"x": [1]}, "seeds": lambda: (0,),
                                                  "description": lambda: "d", "paper": lambda: "sl21"},
    "featlearn.experiments.run_check": {"claims": lambda: []},
    "featlearn.experiments.run_sweep": {"experiment": lambda: "hermite-mc", "grid": lambda: [{"x": 1}],
                                        "store": lambda: tmpdir() / "sweep"},
    "featlearn.experiments.save_figure": {"fig": fig, "path": png},
    "featlearn.experiments.write_check_report": {"results": lambda: [claim_result()], "out_dir": lambda: tmpdir()
                                                 / "check", "figures": lambda: False},
    "featlearn.experiments.write_report": {"out_dir": lambda: tmpdir() / "report2"},
    "featlearn.models.GramStats": {"FtF": lambda: gram().FtF, "Fty": lambda: gram().Fty, "yty": lambda: gram().yty,
                                   "n": lambda: gram().n},
    "featlearn.models.GramStats.add": {"F": lambda: net().features(X())},
    "featlearn.models.RidgePath": {"train": gram},
    "featlearn.models.RidgePath.errors": {"stats": gram},
    "featlearn.models.RidgePath.select": {"val": gram},
    "featlearn.models.adam": {"loss_and_grad": lambda: loss_and_grad, "params0": lambda: np.ones(3)},
    "featlearn.models.run_gradient_descent": {"loss_and_grad": lambda: loss_and_grad, "params0": lambda: np.ones(3)},
    "featlearn.models.alpha_sweep": {"n_val": lambda: 16, "n_test": lambda: 16},
    "featlearn.models.gradient_descent.param_norm": {"params": lambda: np.ones(3)},
    "featlearn.models.one_step.apply_step": {"grad": step_grad},
    "featlearn.models.one_step.evaluate": {"coefs": lambda: [onestep().coef_]},
    "featlearn.models.one_step.fit_second_layer": {"stats": lambda: (gram(), None)},
    "featlearn.models.one_step.validation_errors": {"paths": lambda: [onestep().fit_.path]},
    "featlearn.models.ridge.coef_errors": {"A": lambda: np.zeros((8, 2))},
    "featlearn.models.ridge.select_lambda": {"grid": lambda: [0.01, 0.1], "errors": lambda: [0.5, 0.4],
                                             "floor": lambda: 0.0},
    "featlearn.output.write_atomic": {"data": lambda: "text"},
    "featlearn.papers.load_paper": {"module": lambda: "featlearn.papers.sl21"},
    "featlearn.papers.cui24.ridge_errors": {"model": lambda: __import__("featlearn.papers.cui24", fromlist=["x"])
                                            .equivalent_model("relu", "tanh", eta_tilde=1.0, alpha0=2.0),
                                            "max_iter": lambda: 50},
    "featlearn.papers.mlhd23.bulk_edge": {"stats": spectral},
    "featlearn.papers.mlhd23.top_spectrum": {"stats": spectral},
    "featlearn.papers.mlhd23.fit_growth_exponent": {"k": lambda: 1, "rows": lambda: [(100, 1.0, 1.0),
                                                                                   (200, 2.0, 1.0)]},
    "featlearn.papers.ndl23.asymptotic_exponents": {"feature_degree": lambda: 2},
    "featlearn.papers.ndl23.three_layer.learned_feature_correlation": {"phi": y, "h": y},
    "featlearn.papers.sl21.ball_target": {"law": lambda: "sphere_sum"},
    "featlearn.papers.sl21.make_input": {"law": lambda: "sphere_sum"},
    "featlearn.papers.sl21.radius_for": {"law": lambda: "sphere_sum"},
    "featlearn.papers.sl21.ramp_readout": {"slopes": lambda: [1.0], "ridges": lambda: [0.1], "X": X},
    "featlearn.papers.sl21.radial_laws.ks_distance": {"cdf": lambda: (lambda r: 1 - np.exp(-r))},
    "featlearn.papers.sl21.separation.check_lambda": {"lam": lambda: 1.5},
    "featlearn.papers.swl23.hit_probability": dict(_SWL_SIGN),
    "featlearn.papers.swl23.gradient_features.direction_cosines": dict(_SWL_SIGN),
    "featlearn.papers.swl23.gradient_features.gradient_norm_threshold": dict(_SWL_SIGN, p=lambda: 0.1),
    "featlearn.papers.swl23.gradient_features.in_cone": dict(_SWL_SIGN),
    "featlearn.papers.swl23.gradient_features.signed_hit_excess": dict(_SWL_SIGN, gamma=lambda: 0.1),
    "featlearn.papers.swl23.gradient_features.SignedHitExcess": {
        "delta": lambda: 0.1, "low": lambda: 0.05, "high": lambda: 0.15, "plus": lambda: 0.2, "minus": lambda: 0.1,
        "trials": lambda: 30, "confidence": lambda: 0.95},
    "featlearn.papers.swl23.evaluate": dict(_SWL_SIGN),
    "featlearn.papers.swl23.fit_output_layer": dict(_SWL_SIGN),
    "featlearn.papers.swl23.network.loss_gradients": dict(_SWL_SIGN),
    "featlearn.papers.swl23.simplified_gradient": dict(_SWL_SIGN),
    "featlearn.papers.swl23.train_algorithm1": dict(_SWL_SIGN, steps=lambda: 2),
    "featlearn.papers.swl23.network.frozen_biases": dict(_SWL_SIGN),
    "featlearn.papers.swl23.network.prune": dict(_SWL_SIGN, keep=lambda: np.arange(8) < 4),
    "featlearn.papers.swl23.mixture_gradient": dict(_SWL_SIGN, mixture=xor),
    "featlearn.papers.swl23.opt_upper_bound": dict(_SWL_SIGN),
    "featlearn.papers.swl23.bounds.teacher_features": dict(_SWL_SIGN),
    "featlearn.papers.swl23.parity_population_gradient": dict(_SWL_SIGN, chunk=lambda: 8, n=lambda: 32),
    "featlearn.papers.swl23.predicted_crossing": dict(_SWL_SIGN, active=lambda: np.ones(8, dtype=bool),
                                                      level=lambda: 0.5),
    "featlearn.papers.swl23.parity_gradients.alignment_path": dict(_SWL_SIGN, G_ref=lambda: swl_net().W,
                                                                   sizes=lambda: [8, 16], chunk=lambda: 8),
    "featlearn.papers.swl23.parity_gradients.hermite_parity_gradient": dict(_SWL_SIGN),
    "featlearn.papers.swl23.theorem_3_12_rhs": {"B_G": lambda: 1.0},
    "featlearn.papers.swl23.crossing_sample_size": {},
    "featlearn.run_info.resource_usage": {"started": lambda: 0.0},
    "featlearn.stats.fit_loglog_slope": {"x": lambda: [8.0, 16.0, 32.0], "y": lambda: [1.0, 2.1, 3.9]},
    "featlearn.stats.spearman": {"a": lambda: [1.0, 2.0, 3.0], "b": lambda: [1.0, 3.0, 2.0]},
    "featlearn.stats.t_quantile": {"p": lambda: 0.9, "df": lambda: 3.0},
    "featlearn.stats.median": {"values": lambda: [1.0, 2.0, 3.0]},
    "featlearn.testing.strategies.field_strategy": {"cls": lambda: type(setting("sl21")), "name": lambda: "bessel_ds"},
    "featlearn.testing.strategies.settings": {"paper": lambda: "sl21"},
    "featlearn.testing.strategies.setting_class": {"paper": lambda: "sl21"},
    "featlearn.theory.GaussianMixture": {"means": lambda: np.eye(2, D), "labels": lambda: [1.0, -1.0]},
    "featlearn.theory.Hierarchical": {"feature_fn": lambda: (lambda x: x[..., 0])},
    "featlearn.theory.RadialInput": {"radius_law": lambda: __import__("featlearn.theory.distributions",
                                                                      fromlist=["x"]).uniform_radius()},
    "featlearn.theory.one_step.spike_magnitude": {"mu": lambda: [0.0, 1.0, 0.5]},
    "featlearn.validation.check_choice": {"value": lambda: "a", "choices": lambda: ("a", "b")},
    "featlearn.validation.check_indices": {"values": lambda: [0, 1], "size": lambda: 3},
    "featlearn.validation.check_int": {"value": lambda: 1},
    "featlearn.validation.check_seed": {"seed": lambda: 1},
    "featlearn.validation.check_fitted": {"model": net},
    "featlearn.validation.check_array": {"x": X},
    "featlearn.validation.check_finite": {"x": X},
    "featlearn.validation.check_finite_output": {"y": y},
    "featlearn.validation.check_real_dtype": {"x": X},
    "featlearn.validation.as_float_array": {"a": X},
    "featlearn.validation.all_finite": {"x": X},
})


def _ctor(name, **kw):
    return lambda: kw


INSTANCES.update({
    "featlearn.experiments._registry.Experiment": lambda: __import__("featlearn.experiments", fromlist=["x"])
    .get_experiment("hermite-mc"),
    "Orchestrator": lambda: __import__("featlearn.experiments", fromlist=["x"]).Orchestrator(backend="numpy"),
    "OneStepNetwork": onestep, "RidgePath": lambda: onestep().fit_.path, "TwoLayerNetwork": net,
    "GramStats": lambda: __import__("featlearn.models", fromlist=["x"]).GramStats.from_arrays(
        net().features(X()), y()),
    "LabelCentering": lambda: __import__("featlearn.models.one_step", fromlist=["x"]).estimate_centering(data()),
    "Parametrization": lambda: __import__("featlearn.models.two_layer", fromlist=["x"]).get_parametrization("moniri"),
    "KernelSpectrum": spec, "RandomFeaturesRidge": rf, "ReluKernelRidge": krr, "ThreeLayerNetwork": three_layer,
    "ErfFeatures": lambda: strong().features, "StrongNetwork": strong, "WeakNetwork": weak,
    "Algorithm1Network": alg1, "XORMixture": xor,
    "SampleComplexity": lambda: __import__("featlearn.papers.ndl23", fromlist=["x"]).single_index_prediction(
        "relu", "relu", D),
    "HitProbability": lambda: __import__("featlearn.papers.swl23.gradient_features", fromlist=["x"])
    .HitProbability(0.1, 0.05, 0.2, 3, 30, 0.95),
    "Progress": lambda: __import__("featlearn.progress", fromlist=["x"]).Progress(3, desc="x", enabled=False),
    "featlearn.settings.Setting": lambda: setting("sl21"),
    "Activation": lambda: __import__("featlearn.theory", fromlist=["x"]).as_activation("relu"),
    "InputDistribution": lambda: __import__("featlearn.theory", fromlist=["x"]).GaussianInput(D),
    "Target": target, "Stream": lambda: __import__("featlearn.data", fromlist=["x"]).ArrayStream(X(), y()),
    "SweepResult": lambda: __import__("featlearn.experiments", fromlist=["x"]).SweepResult(tmpdir(), [], 0, 0, 0),
    "SweepStore": lambda: __import__("featlearn.experiments", fromlist=["x"]).SweepStore.open(
        tmpdir() / "store", store_manifest()),
    "featlearn.papers.cui24.setting.Setting": lambda: setting("cui24"),
    "SpikedRandomFeatures": lambda: __import__("featlearn.papers.cui24", fromlist=["x"]).equivalent_model(
        "relu", "tanh", eta_tilde=1.0, alpha0=2.0),
    "Algorithm1Result": lambda: alg1().result_,
    "featlearn.papers.sl21.setting.Setting": lambda: setting("sl21"),
    "ClaimHandle": lambda: __import__("featlearn.api", fromlist=["x"]).claim("sl21.bessel-normalisation"),
    "ExperimentHandle": lambda: __import__("featlearn.api", fromlist=["x"]).experiment("hermite-mc"),
    "Claim": lambda: __import__("featlearn.api", fromlist=["x"]).claim("sl21.bessel-normalisation").c,
})

OVERRIDES.update({
    "featlearn.api.ClaimHandle": {"c": lambda: INSTANCES["Claim"]()},
    "featlearn.api.ExperimentHandle": {"e": lambda: INSTANCES["featlearn.experiments._registry.Experiment"]()},
    "featlearn.api.claim": {"id": lambda: "sl21.bessel-normalisation"},
    "featlearn.api.experiment": {"name": lambda: "hermite-mc"},
    "featlearn.backends.Generator.child": {"keys": lambda: ("k",)},
    "featlearn.backends.Generator.integers": {"low": lambda: 0, "high": lambda: 3},
    "featlearn.backends.array_namespace": {"arrays": lambda: (X(),)},
    "featlearn.backends.to_scalar": {"x": lambda: X()[0, 0]},
    "featlearn.claims.ClaimContext.pick": {"quick": lambda: 1, "paper": lambda: 2},
    "featlearn.claims.ClaimContext.progress": {"message": lambda: "m"},
    "featlearn.claims.Outcome": {"predicted": lambda: 1.0, "measured": lambda: 1.05, "tolerance": lambda: 0.1},
    "featlearn.claims.Prediction": {"predicted": lambda: 1.0, "comparison": lambda: "abs", "tolerance": lambda: 0.1},
    "featlearn.claims.Prediction.outcome": {"measured": lambda: 1.05},
    "featlearn.claims.check_prediction": {"c": lambda: INSTANCES["Claim"](), "prediction": lambda: INSTANCES[
        "Prediction"](), "out": lambda: INSTANCES["Outcome"]()},
    "featlearn.claims.check_kind": {"c": lambda: INSTANCES["Claim"](), "out": lambda: INSTANCES["Outcome"]()},
    "featlearn.claims.claim": {"kind": lambda: "identity", "id": lambda: "fuzz.x", "paper": lambda: "sl21", "where": lambda: "§1",
                               "provenance": lambda: "stated", "statement": lambda: "s"},
    "featlearn.claims.evaluate_claim": {"c": lambda: INSTANCES["Claim"](), "measure": lambda: (
        lambda: INSTANCES["Outcome"]())},
    "featlearn.claims.register_paper": {"key": lambda: "fuzz", "cite": lambda: "c", "title": lambda: "t"},
    "featlearn.claims.run_claim": {"c": lambda: INSTANCES["Claim"]()},
    "featlearn.claims.paper_setting": {"key": lambda: "sl21"},
    "featlearn.data.pearson": {"a": y, "b": lambda: y() ** 2},
    "featlearn.experiments.Orchestrator.context_for": {"c": lambda: INSTANCES["Claim"]()},
    "featlearn.experiments.Orchestrator.run": {"c": lambda: INSTANCES["Claim"]()},
    "featlearn.experiments.Orchestrator.sweep": {"name": lambda: "hermite-mc"},
    "featlearn.experiments.run_sweep": {"experiment": lambda: "hermite-mc", "grid": lambda: [
        {"n": 1024, "k": 2, "activation": "relu"}], "store": lambda: tmpdir() / "sweep"},
    "featlearn.experiments.register_experiment": {"name": lambda: "fuzz-x", "fn": lambda: (lambda p, c: {}),
                                                  "grid": lambda: {"quick": {"x": [1]}, "paper": {"x": [1]}},
                                                  "seeds": lambda: (0,), "description": lambda: "d",
                                                  "paper": lambda: "sl21"},
    "featlearn.models.OneStepNetwork.fit_batches": {"step_data": data, "ridge_data": data2, "val_data": data,
                                                    "rng": rng},
    "featlearn.models.TwoLayerNetwork.weight_gradient_sum": {"r": y},
    "featlearn.models.one_step.fit_second_layer": {"stats": lambda: (gram(), None), "lambdas": lambda: [0.1]},
    "featlearn.models.two_layer.get_parametrization": {"name": lambda: "moniri"},
    "featlearn.papers.cui24.ridge_errors": {"model": lambda: INSTANCES["SpikedRandomFeatures"](),
                                            "max_iter": lambda: 2000},
    "featlearn.papers.mlhd23.fit_growth_exponent": {"samples": lambda: [(100, 1.0, 1.0), (200, 1.4, 1.0),
                                                                        (400, 2.0, 1.0)], "k": lambda: 1},
    "featlearn.papers.ndl23.KernelSpectrum.profile": {"r": lambda: np.linspace(0.5, 1.5, 4)},
    "featlearn.papers.ndl23.energies_prediction": {"energies": lambda: __import__(
        "featlearn.papers.ndl23", fromlist=["x"]).kernel_energies(spec(), X(), y(), y(), block=8)},
    "featlearn.papers.ndl23.kernel_energies": {"f": y, "block": lambda: 8},
    "featlearn.papers.ndl23.kernels.kernel_matrix": {"X": X},
    "featlearn.papers.ndl23.kernels.radius_rule": {"input": lambda: "gaussian"},
    "featlearn.papers.ndl23.sample_complexity.kernel_method_exponent": {"link_degree": lambda: 2},
    "featlearn.papers.sl21.WeakNetwork.forward": {"params": lambda: weak().params_},
    "featlearn.papers.sl21.experiments.radius_figure": {"path": png},
    "featlearn.papers.swl23.gradient_features.HitProbability.member": {"p": lambda: 0.1},
    "featlearn.papers.swl23.network.Algorithm1Result.metric": {"key": lambda: "error"},
    "featlearn.settings.Setting.check_keys": {"keys": lambda: ["bessel_ds"]},
    "featlearn.theory.distributions.lomax_radius.quantile": {"q": lambda: 0.5},
})
for _fit in ("featlearn.models.OneStepNetwork.fit", "featlearn.models.OneStepNetwork.split",
             "featlearn.models.TwoLayerNetwork.score", "featlearn.papers.ndl23.RandomFeaturesRidge.fit",
             "featlearn.papers.ndl23.ReluKernelRidge.fit", "featlearn.papers.ndl23.ThreeLayerNetwork.fit",
             "featlearn.papers.sl21.StrongNetwork.fit", "featlearn.papers.sl21.WeakNetwork.fit",
             "featlearn.papers.swl23.Algorithm1Network.fit"):
    OVERRIDES.setdefault(_fit, {})["y"] = labels if ".sl21." in _fit or ".swl23." in _fit else y
INSTANCES.update({
    "Claim": lambda: __import__("featlearn.claims", fromlist=["x"]).load_claims()["sl21.bessel-normalisation"],
    "Outcome": lambda: __import__("featlearn.claims", fromlist=["x"]).Outcome(1.0, 1.05, 0.1),
    "Prediction": lambda: __import__("featlearn.claims", fromlist=["x"]).Prediction(1.0, "abs", 0.1),
    "ClaimResult": claim_result,
    "ClaimContext": ctx,
    "featlearn.context.RunContext": ctx,
    "RidgePath": lambda: __import__("featlearn.models", fromlist=["x"]).RidgePath(gram()),
})

OVERRIDES.update({
    "featlearn.experiments.SweepStore": {"path": lambda: tmpdir() / "store", "manifest": lambda: INSTANCES[
        "SweepStore"]().manifest},
    "featlearn.experiments.load_sweep": {"store": lambda: INSTANCES["SweepStore"]().path},
    "featlearn.experiments.SweepStore.existing": {"path": lambda: INSTANCES["SweepStore"]().path},
    "featlearn.experiments.SweepStore.record_path": {"task_id": lambda: INSTANCES["SweepStore"]().tasks[0].id},
    "featlearn.experiments.SweepStore.read": {"task_id": lambda: INSTANCES["SweepStore"]().tasks[0].id},
    "featlearn.experiments.SweepStore.write": {"record": lambda: {"task_id": INSTANCES["SweepStore"]().tasks[0].id,
                                                                  "x": 1, "seed": 0, "ok": True}},
    "featlearn.models.one_step.validation_errors": {"paths": lambda: [INSTANCES["RidgePath"]()]},
    "featlearn.papers.mlhd23.fit_growth_exponent": {"samples": lambda: [(100, 1.0, 1.0), (100, 1.1, 1.0),
                                                                        (200, 1.4, 1.0), (400, 2.0, 1.0)],
                                                    "k": lambda: 1},
    "featlearn.papers.ndl23.energies_prediction": {"energies": lambda: __import__(
        "featlearn.papers.ndl23", fromlist=["x"]).kernel_energies(spec(), X(), X()[:, 0] * X()[:, 1] + X()[:, 0],
                                                                 block=8)},
    "featlearn.papers.sl21.ErfFeatures": {"U": lambda: strong().features.U, "b": lambda: strong().features.b},
    "featlearn.papers.sl21.WeakNetwork.forward": {"params": lambda: weak().params},
    "featlearn.papers.swl23.network.Algorithm1Result.metric": {"key": lambda: sorted(alg1().result_.history)[0]},
})


@cache
def sweep_store():
    from featlearn.experiments import SweepStore, run_sweep

    path = tmpdir() / "store"
    run_sweep(lambda params, ctx: {"y": float(params["x"])}, grid={"x": [1, 2]}, seeds=[0], store=path,
              name="fuzz")
    return SweepStore.existing(path)


INSTANCES["SweepStore"] = sweep_store
OVERRIDES["featlearn.experiments.SweepStore"]["path"] = lambda: sweep_store().path
OVERRIDES["featlearn.experiments.SweepStore.open"] = {"path": lambda: sweep_store().path,
                                                      "manifest": lambda: sweep_store().manifest}
OVERRIDES["featlearn.experiment"] = OVERRIDES["featlearn.api.experiment"]
OVERRIDES["featlearn.claim"] = OVERRIDES["featlearn.api.claim"]
OVERRIDES["featlearn.experiments.SweepStore.write"] = {"record": lambda: sweep_store().read(sweep_store().tasks[0].id)}

# group files add their own recipes (one file per group, so the work on them does not collide)
from fuzz import values_core, values_models, values_papers_a, values_papers_b, values_runs  # noqa: E402,F401
