"""Hand-written fuzz families: bad data for every predictor and fitter, bad scalars, impossible sizes, the CLI.

The generated fuzz (``test_entry_points.py``) gives every public entry point every bad value of its
argument kinds; these families add what generation does not reach: bad *data* (NaN in validation
sets, mismatched lengths, fitted models on another backend), converted inputs checked against the
float64 answer, impossible sizes, and the command line.

Every call goes through :func:`call`, which

* counts it (the last test asserts that at least :data:`MIN_CALLS` calls were made);
* stops it after :data:`TIME_LIMIT` seconds (``signal.setitimer``): a hang is a failure (the limit
  catches hangs only, so load on the machine never fails it);
* accepts ``ValueError``, ``TypeError`` and featlearn's own :class:`~featlearn.validation.MemoryRefusal`
  (any other exception type propagates and fails the test);
* checks that a returned result holds no NaN or inf (recursively through sequences, dicts,
  dataclasses and fitted models' trailing-underscore attributes).

Bad values come from Hypothesis strategies (shapes, dtypes, NaN/inf, negatives, zeros, floats
for ints, bools, strings, None, lists, complex, wrong ndim, empty arrays, arrays of another
backend, huge sizes); the CI profile (``tests/conftest.py``) derandomizes them.
"""

from __future__ import annotations

import dataclasses
import math
import signal
import types
import warnings
from functools import cache

import array_api_strict as xps
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn import cli
from featlearn import data as fdata
from featlearn import stats
from featlearn import validation as V
from featlearn.backends import Generator, array_namespace
from featlearn.models import one_step as m_one_step
from featlearn.models import ridge, two_layer
from featlearn.papers.mlhd23 import spectral
from featlearn.papers.ndl23 import baselines, kernels, three_layer
from featlearn.papers.ndl23 import sample_complexity as t3
from featlearn.papers.sl21 import networks as bn
from featlearn.papers.sl21 import radial_laws
from featlearn.papers.sl21 import separation as ball_separation
from featlearn.papers.sl21 import targets as sl21_targets
from featlearn.theory import activations, distributions, hermite, targets
from featlearn.theory import one_step as t_one_step
from featlearn.validation import MemoryRefusal
from fuzz.harness import HANG_LIMIT
from helpers import assert_close

#: Seconds one call may take before it counts as a hang.
TIME_LIMIT = HANG_LIMIT
#: The fuzz test must make at least this many bad calls.
MIN_CALLS = 300
CALLS = {"n": 0, "clear": 0, "result": 0}
#: On top of the loaded profile (``ci`` by default: derandomized, no database): more examples per test.
FUZZ = settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


class Hang(BaseException):
    """A call ran past :data:`TIME_LIMIT` (a BaseException, so no ``except Exception`` swallows it)."""


def _alarm(signum, frame):
    raise Hang(f"call ran longer than {TIME_LIMIT} s")


def assert_finite(obj, where="result", depth=0):
    """No NaN or inf anywhere in ``obj`` (host numbers, arrays, containers, dataclasses, models)."""
    if depth > 6 or obj is None or isinstance(obj, (str, bytes, bool, type, types.ModuleType)):
        return
    if isinstance(obj, (int, float)):
        assert math.isfinite(obj), f"{where}: non-finite {obj!r}"
        return
    if hasattr(obj, "shape") and hasattr(obj, "dtype"):
        xp = array_namespace(obj)
        if xp.isdtype(obj.dtype, ("real floating", "complex floating")):
            assert bool(xp.all(xp.isfinite(obj))), f"{where}: array with NaN or inf"
        assert not xp.isdtype(obj.dtype, "complex floating"), f"{where}: complex output"
        return
    if isinstance(obj, dict):
        for k, v in obj.items():
            assert_finite(v, f"{where}[{k!r}]", depth + 1)
        return
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj[:50]):
            assert_finite(v, f"{where}[{i}]", depth + 1)
        return
    if dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            assert_finite(getattr(obj, f.name), f"{where}.{f.name}", depth + 1)
        return
    if type(obj).__module__.startswith("featlearn"):
        for k, v in vars(obj).items() if hasattr(obj, "__dict__") else ():
            if k.endswith("_") and not k.startswith("_"):
                assert_finite(v, f"{where}.{k}", depth + 1)


def call(fn, *args, **kwargs):
    """Run one fuzz call: a clear exception (returns None) or a finite result (returned)."""
    CALLS["n"] += 1
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        with warnings.catch_warnings():
            # NumPy's overflow warnings on huge finite inputs are warnings, not errors, for a
            # user; what counts is that the call then refuses or returns finite values
            warnings.simplefilter("ignore", RuntimeWarning)
            out = fn(*args, **kwargs)
            if hasattr(out, "__next__"):  # generators: run them
                out = list(out)
    except (ValueError, TypeError, MemoryRefusal) as exc:
        assert str(exc), f"{type(exc).__name__} without a message"
        CALLS["clear"] += 1
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    assert_finite(out)
    CALLS["result"] += 1
    return out


# -- strategies -----------------------------------------------------------------------------------------------
BAD_INTS = st.sampled_from([0, -1, -(10**9), 2.5, 3.0, True, None, "8", [8], float("nan"), float("inf"),
                            complex(1, 1), np.float64(4.0)])
BAD_REALS = st.sampled_from([float("nan"), float("inf"), -float("inf"), None, "0.1", True, 1j, [0.1], (),
                             -1.0, 0.0, -1e-300, 1e308, object()])
HUGE = st.sampled_from([10**7, 10**9, 10**12, 2**62])


def numpy_rng():
    return Generator(0, xp="numpy")


@st.composite
def bad_matrix(draw, d, n_max=6):
    """A bad or odd input matrix for a model expecting d columns (numpy as the model's backend)."""
    kind = draw(st.sampled_from(["nan", "inf", "int", "bool", "float16", "float32", "complex", "empty", "list",
                                 "None", "1d", "3d", "wrong_d", "strict", "str", "scalar", "zero_cols", "huge"]))
    n = draw(st.integers(1, n_max))
    vals = draw(st.lists(st.floats(-3, 3, allow_nan=False), min_size=n * d, max_size=n * d))
    base = np.asarray(vals, dtype=np.float64).reshape(n, d)
    if kind == "nan":
        base[draw(st.integers(0, n - 1)), draw(st.integers(0, d - 1))] = np.nan
        return base
    if kind == "inf":
        base[0, 0] = draw(st.sampled_from([np.inf, -np.inf]))
        return base
    if kind == "int":
        return np.round(base).astype(np.int64)
    if kind == "bool":
        return base > 0
    if kind == "float16":
        return base.astype(np.float16)
    if kind == "float32":
        return base.astype(np.float32)
    if kind == "complex":
        return base + 1j * base
    if kind == "empty":
        return np.zeros((0, d))
    if kind == "list":
        return base.tolist()
    if kind == "None":
        return None
    if kind == "1d":
        return base[0]
    if kind == "3d":
        return base[None]
    if kind == "wrong_d":
        return np.zeros((n, d + draw(st.integers(1, 3))))
    if kind == "strict":
        return xps.asarray(base)
    if kind == "str":
        return np.asarray([["a"] * d] * n)
    if kind == "scalar":
        return np.float64(1.0)
    if kind == "zero_cols":
        return np.zeros((n, 0))
    return base * 1e300  # huge but finite: output may overflow, which must be refused, not returned


# -- fitted models (small, built once) ------------------------------------------------------------------------
D = 4


@cache
def single_index():
    return targets.SingleIndex.random(numpy_rng().child("beta"), D, "tanh")


@cache
def data(key, n=64, noise_std=0.1):
    return single_index().sample(numpy_rng().child(key), n, noise_std=noise_std)


@cache
def fitted():
    rng = numpy_rng()
    rf = baselines.RandomFeaturesRidge(16).fit(rng.child("rf"), data("tr"), data("va"))
    kr = baselines.ReluKernelRidge().fit(data("tr"), data("va"))
    qf = targets.QuadraticFeature.random(rng.child("A"), D, "relu")
    tl = three_layer.ThreeLayerNetwork(4, 16).init(rng.child("init"), D)
    tl.stage1(qf.sample(rng.child("D1"), 64))
    tl.stage2(qf.sample(rng.child("D2"), 64), qf.sample(rng.child("V"), 32))
    os_ = m_one_step.OneStepNetwork(8, alpha=0.2).fit_batches(data("s"), data("r"), data("v"), rng=rng)
    net = two_layer.init_network(rng.child("net"), D, 8)
    strong = bn.StrongNetwork.init(rng.child("strong"), D, 8)
    weak = bn.WeakNetwork.init(rng.child("weak"), D, 8)
    return {"rf": rf, "kr": kr, "three": tl, "onestep": os_, "net": net, "strong": strong, "weak": weak,
            "target": single_index(), "quad": qf}


PREDICTORS = {
    "RandomFeaturesRidge.predict": lambda m, X: m["rf"].predict(X),
    "ReluKernelRidge.predict": lambda m, X: m["kr"].predict(X),
    "ThreeLayerNetwork.predict": lambda m, X: m["three"].predict(X),
    "ThreeLayerNetwork.learned_feature": lambda m, X: m["three"].learned_feature(X),
    "ThreeLayerNetwork.inner": lambda m, X: m["three"].inner(X),
    "OneStepNetwork.predict": lambda m, X: m["onestep"].predict(X),
    "TwoLayerNetwork.__call__": lambda m, X: m["net"](X),
    "TwoLayerNetwork.features": lambda m, X: m["net"].features(X),
    "StrongNetwork.predict": lambda m, X: m["strong"].predict(X),
    "WeakNetwork.predict": lambda m, X: m["weak"].predict(X),
    "ErfFeatures.__call__": lambda m, X: m["strong"].features(X),
    "SingleIndex.__call__": lambda m, X: m["target"](X),
    "QuadraticFeature.feature": lambda m, X: m["quad"].feature(X),
}


@FUZZ
@given(name=st.sampled_from(sorted(PREDICTORS)), X=bad_matrix(D))
def test_predict_on_bad_input(name, X):
    """predict-side calls: NaN/inf, int, bool, float16, empty, list, None, other backend, wrong shape."""
    models = fitted()
    out = call(PREDICTORS[name], models, X)
    if out is not None and isinstance(X, (list, np.ndarray)) and np.asarray(X).dtype.kind in "if" \
            and np.asarray(X).ndim == 2 and np.asarray(X).shape[1] == D and np.asarray(X).size:
        # a converted input (list, int, float16/32) gives the float64 answer on the converted values
        ref = PREDICTORS[name](models, np.asarray(X, dtype=np.float64))
        tol = 1e-12 if np.asarray(X).dtype.itemsize >= 8 else 1e-4
        assert_close(np.asarray(out, dtype=np.float64), np.asarray(ref), rtol=tol, atol=tol)


@FUZZ
@given(name=st.sampled_from(sorted(PREDICTORS)))
def test_unfitted_models_refuse_to_predict(name):
    rng = numpy_rng()
    fresh = {"rf": baselines.RandomFeaturesRidge(4), "kr": baselines.ReluKernelRidge(),
             "three": three_layer.ThreeLayerNetwork(2, 4), "onestep": m_one_step.OneStepNetwork(4)}
    models = dict(fitted(), **fresh)
    if name.split(".")[0] in ("TwoLayerNetwork", "StrongNetwork", "WeakNetwork", "ErfFeatures", "SingleIndex",
                              "QuadraticFeature"):
        models = fitted()
    X = rng.child("x").normal((3, D))
    out = call(PREDICTORS[name], models, X)
    if name.split(".")[0] in ("RandomFeaturesRidge", "ReluKernelRidge", "ThreeLayerNetwork", "OneStepNetwork"):
        assert out is None


# -- bad data at fit time ------------------------------------------------------------------------------------
def _bad_pair(X, n=16):
    """(X, y) with X the bad matrix and y finite of matching length where possible."""
    try:
        m = len(X)
    except TypeError:
        m = n
    return (X, np.zeros(m))


def _part(bad, i):
    """The i-th element of a bad (X, y) pair, or the bad value itself when it is not a pair."""
    return bad[i] if isinstance(bad, tuple) and len(bad) > i else bad


FITTERS = {
    "RandomFeaturesRidge.fit(train)": lambda bad: baselines.RandomFeaturesRidge(8).fit(numpy_rng(), bad, data("va")),
    "RandomFeaturesRidge.fit(val)": lambda bad: baselines.RandomFeaturesRidge(8).fit(numpy_rng(), data("tr"), bad),
    "ReluKernelRidge.fit(train)": lambda bad: baselines.ReluKernelRidge().fit(bad, data("va")),
    "ReluKernelRidge.fit(val)": lambda bad: baselines.ReluKernelRidge().fit(data("tr"), bad),
    "ThreeLayerNetwork.stage1": lambda bad: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(bad),
    "ThreeLayerNetwork.stage2(train)": lambda bad: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(
        data("tr")).stage2(bad, data("va")),
    "ThreeLayerNetwork.stage2(val)": lambda bad: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(
        data("tr")).stage2(data("tr"), bad),
    "OneStepNetwork.fit(step)": lambda bad: m_one_step.OneStepNetwork(8).fit_batches(bad, data("r"), data("v"),
                                                                             rng=numpy_rng()),
    "OneStepNetwork.fit(ridge)": lambda bad: m_one_step.OneStepNetwork(8).fit_batches(data("s"), bad, data("v"),
                                                                              rng=numpy_rng()),
    "OneStepNetwork.fit(val)": lambda bad: m_one_step.OneStepNetwork(8).fit_batches(data("s"), data("r"), bad,
                                                                            rng=numpy_rng()),
    "OneStepNetwork.errors": lambda bad: fitted()["onestep"].errors(bad),
    "RandomFeaturesRidge.mse": lambda bad: fitted()["rf"].mse(bad),
    "ThreeLayerNetwork.mse": lambda bad: fitted()["three"].mse(bad),
    "ReluKernelRidge.mse": lambda bad: fitted()["kr"].mse(bad),
    "ArrayStream": lambda bad: list(fdata.ArrayStream(*bad)),
    "iter_batches": lambda bad: list(fdata.iter_batches(bad, chunk=3)),
    "estimate_centering": lambda bad: m_one_step.estimate_centering(bad),
    "spectral_stats": lambda bad: spectral.spectral_stats(fitted()["net"], bad),
    "feature_gram": lambda bad: bn.feature_gram(_part(bad, 0)),
    "GramStats.from_arrays": lambda bad: ridge.GramStats.from_arrays(_part(bad, 0), _part(bad, 1)),
    "strong_objective": lambda bad: bn.strong_objective(_part(bad, 0), _part(bad, 1)),
    "linear_readout": lambda bad: bn.linear_readout(_part(bad, 0), _part(bad, 1), _part(bad, 0), _part(bad, 1),
                                                    lambdas=[0.1]),
    "pearson": lambda bad: fdata.pearson(_part(bad, 0), _part(bad, 1)),
    "learned_feature_correlation": lambda bad: three_layer.learned_feature_correlation(_part(bad, 0),
                                                                                       _part(bad, 1)),
}


@st.composite
def bad_data(draw):
    X = draw(bad_matrix(D))
    how = draw(st.sampled_from(["X", "y_nan", "y_short", "y_2d", "y_strict", "not_tuple", "y_list"]))
    pair = list(_bad_pair(X))
    if how == "y_nan":
        pair = [data("tr")[0][:5], np.asarray([0.0, np.nan, 1.0, 2.0, 3.0])]
    elif how == "y_short":
        pair = [data("tr")[0][:5], np.zeros(3)]
    elif how == "y_2d":
        pair = [data("tr")[0][:5], np.zeros((5, 1))]
    elif how == "y_strict":
        pair = [data("tr")[0][:5], xps.zeros(5)]
    elif how == "y_list":
        pair = [data("tr")[0][:5], [0.0, 1.0, 2.0, 3.0, 4.0]]
    elif how == "not_tuple":
        return draw(st.sampled_from([None, "data", 3, [1, 2], (1,), (None, None)]))
    return tuple(pair)


@FUZZ
@given(name=st.sampled_from(sorted(FITTERS)), bad=bad_data())
def test_fit_and_evaluate_on_bad_data(name, bad):
    """fit-side calls with NaN in train *and* validation data, mismatched lengths, other backends."""
    call(FITTERS[name], bad)


def test_nan_in_validation_data_is_refused():
    """The old clipping ``where(err > 0, err, 0)`` turned NaN validation errors into 0."""
    Xv, yv = data("va")
    yv = yv.copy()
    yv[3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        baselines.RandomFeaturesRidge(8).fit(numpy_rng(), data("tr"), (Xv, yv))
    with pytest.raises(ValueError, match="NaN"):
        three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(data("tr")).stage2(data("tr"), (Xv, yv))
    CALLS["n"] += 2


def test_complex_input_is_refused_everywhere():
    X = data("te")[0] + 0j
    for name in sorted(PREDICTORS):
        with pytest.raises(TypeError, match="complex"):
            PREDICTORS[name](fitted(), X)
        CALLS["n"] += 1


# -- constructors and hyper-parameters ------------------------------------------------------------------------
CTORS = {
    "RandomFeaturesRidge(p)": lambda v: baselines.RandomFeaturesRidge(v),
    "RandomFeaturesRidge(chunk)": lambda v: baselines.RandomFeaturesRidge(4, chunk=v),
    "RandomFeaturesRidge(sigma)": lambda v: baselines.RandomFeaturesRidge(4, sigma=v),
    "RandomFeaturesRidge.fit(lambdas)": lambda v: baselines.RandomFeaturesRidge(4).fit(numpy_rng(), data("tr"),
                                                                                       data("va"), lambdas=v),
    "RandomFeaturesRidge.fit(rng)": lambda v: baselines.RandomFeaturesRidge(4).fit(v, data("tr"), data("va")),
    "ReluKernelRidge.fit(lambdas)": lambda v: baselines.ReluKernelRidge().fit(data("tr"), data("va"), lambdas=v),
    "ThreeLayerNetwork(m1)": lambda v: three_layer.ThreeLayerNetwork(v, 8),
    "ThreeLayerNetwork(m2)": lambda v: three_layer.ThreeLayerNetwork(2, v),
    "ThreeLayerNetwork(bias_scale)": lambda v: three_layer.ThreeLayerNetwork(2, 4, bias_scale=v),
    "ThreeLayerNetwork(sigma1)": lambda v: three_layer.ThreeLayerNetwork(2, 4, sigma1=v),
    "ThreeLayerNetwork(chunk)": lambda v: three_layer.ThreeLayerNetwork(2, 4, chunk=v),
    "ThreeLayerNetwork.init(d)": lambda v: three_layer.ThreeLayerNetwork(2, 4).init(numpy_rng(), v),
    "ThreeLayerNetwork.init(rng)": lambda v: three_layer.ThreeLayerNetwork(2, 4).init(v, D),
    "ThreeLayerNetwork.first_layer(eta1)": lambda v: fitted()["three"].first_layer(v),
    "ThreeLayerNetwork.stage1_prefixes(ns)": lambda v: three_layer.ThreeLayerNetwork(2, 4).init(
        numpy_rng(), D).stage1_prefixes(data("tr"), [v]),
    "ThreeLayerNetwork.stage2(slopes)": lambda v: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(
        data("tr")).stage2(data("tr"), data("va"), slopes=v),
    "ThreeLayerNetwork.stage2(solver)": lambda v: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(
        data("tr")).stage2(data("tr"), data("va"), solver=v),
    "ThreeLayerNetwork.stage2(gd_steps)": lambda v: three_layer.ThreeLayerNetwork(4, 8).init(numpy_rng(), D).stage1(
        data("tr")).stage2(data("tr"), data("va"), solver="gd", gd_steps=v),
    "OneStepNetwork(width)": lambda v: m_one_step.OneStepNetwork(v),
    "OneStepNetwork(alpha)": lambda v: m_one_step.OneStepNetwork(4, alpha=v),
    "OneStepNetwork(eta)": lambda v: m_one_step.OneStepNetwork(4, eta=v),
    "OneStepNetwork(eta_scale)": lambda v: m_one_step.OneStepNetwork(4, eta_scale=v),
    "OneStepNetwork(residual)": lambda v: m_one_step.OneStepNetwork(4, residual=v),
    "OneStepNetwork(lambdas)": lambda v: m_one_step.OneStepNetwork(4, lambdas=v),
    "OneStepNetwork(parametrization)": lambda v: m_one_step.OneStepNetwork(4, parametrization=v),
    "OneStepNetwork(chunk)": lambda v: m_one_step.OneStepNetwork(4, chunk=v),
    "OneStepNetwork.fit(rng)": lambda v: m_one_step.OneStepNetwork(4).fit_batches(data("s"), data("r"), data("v"),
                                                                                  rng=v),
    "init_network(d)": lambda v: two_layer.init_network(numpy_rng(), v, 4),
    "init_network(width)": lambda v: two_layer.init_network(numpy_rng(), D, v),
    "init_network(activation)": lambda v: two_layer.init_network(numpy_rng(), D, 4, activation=v),
    "init_network(parametrization)": lambda v: two_layer.init_network(numpy_rng(), D, 4, parametrization=v),
    "init_network(rng)": lambda v: two_layer.init_network(v, D, 4),
    "TwoLayerNetwork(W)": lambda v: two_layer.TwoLayerNetwork(v, np.ones(4), activations.as_activation("relu")),
    "TwoLayerNetwork(a)": lambda v: two_layer.TwoLayerNetwork(np.ones((D, 4)), v, activations.as_activation("relu")),
    "ErfFeatures.init(d)": lambda v: bn.ErfFeatures.init(numpy_rng(), v, 4),
    "ErfFeatures.init(width)": lambda v: bn.ErfFeatures.init(numpy_rng(), D, v),
    "WeakNetwork.init(width)": lambda v: bn.WeakNetwork.init(numpy_rng(), D, v),
    "WeakNetwork.init(activation)": lambda v: bn.WeakNetwork.init(numpy_rng(), D, 4, activation=v),
    "StrongNetwork.init(width)": lambda v: bn.StrongNetwork.init(numpy_rng(), D, v),
    "GramStats.zeros(p)": lambda v: ridge.GramStats.zeros(v, xp=np),
    "check_lambdas": lambda v: ridge.check_lambdas(v),
    "RidgePath.coefs": lambda v: ridge.RidgePath(ridge.GramStats.from_arrays(np.eye(3), np.ones(3))).coefs(v),
    "RidgePath.gradient_descent(steps)": lambda v: ridge.RidgePath(
        ridge.GramStats.from_arrays(np.eye(3), np.ones(3))).gradient_descent([0.1], steps=v),
    "RidgePath.gradient_descent(lr)": lambda v: ridge.RidgePath(
        ridge.GramStats.from_arrays(np.eye(3), np.ones(3))).gradient_descent([0.1], steps=3, lr=v),
    "top_spectrum(k)": lambda v: spectral.top_spectrum(spectral.spectral_stats(fitted()["net"], data("tr"))[0], v,
                                                       rng=numpy_rng()),
    "bulk_edge(outliers)": lambda v: spectral.bulk_edge(spectral.spectral_stats(fitted()["net"], data("tr"))[0],
                                                        rng=numpy_rng(), outliers=v),
    "count_spikes(edge)": lambda v: spectral.count_spikes([1.0, 2.0], v),
    "count_spikes(margin)": lambda v: spectral.count_spikes([1.0, 2.0], 1.0, margin=v),
    "count_spikes(values)": lambda v: spectral.count_spikes([v], 1.0),
    "spectral_stats(degree)": lambda v: spectral.spectral_stats(fitted()["net"], data("tr"), degree=v),
    "fit_growth_exponent": lambda v: spectral.fit_growth_exponent([(100, v, 1.0), (200, 2.0, 1.0)], k=1),
    "TargetStream(n)": lambda v: list(fdata.TargetStream(single_index(), v, numpy_rng())),
    "TargetStream(noise)": lambda v: list(fdata.TargetStream(single_index(), 8, numpy_rng(), noise_std=v)),
    "TargetStream(block)": lambda v: list(fdata.TargetStream(single_index(), 8, numpy_rng(), block=v)),
    "TargetStream(rng)": lambda v: fdata.TargetStream(single_index(), 8, v),
    "TargetStream(target)": lambda v: fdata.TargetStream(v, 8, numpy_rng()),
    "chunk_bounds": lambda v: list(fdata.chunk_bounds(10, v)),
    "iter_batches(chunk)": lambda v: list(fdata.iter_batches(data("tr"), chunk=v)),
    "check_int": lambda v: V.check_int(v, "v", min_val=1),
    "check_real": lambda v: V.check_real(v, "v", min_val=0),
    "check_grid": lambda v: V.check_grid(v, "v"),
    "check_choice": lambda v: V.check_choice(v, "v", ("a", "b")),
    "check_generator": lambda v: V.check_generator(v),
    "check_memory": lambda v: V.check_memory(v, "v"),
    "check_array": lambda v: V.check_array(v, "v", ndim=2, xp=np),
    "as_float_array": lambda v: V.as_float_array(v, "v"),
    "Target.sample(n)": lambda v: single_index().sample(numpy_rng(), v),
    "Target.sample(noise)": lambda v: single_index().sample(numpy_rng(), 4, noise_std=v),
    "SingleIndex.random(d)": lambda v: targets.SingleIndex.random(numpy_rng(), v, "tanh"),
    "SingleIndex.random(link)": lambda v: targets.SingleIndex.random(numpy_rng(), D, v),
    "SingleIndex(beta)": lambda v: targets.SingleIndex("tanh", v),
    "QuadraticFeature.random(d)": lambda v: targets.QuadraticFeature.random(numpy_rng(), v, "relu"),
    "QuadraticFeature.random(rank)": lambda v: targets.QuadraticFeature.random(numpy_rng(), D, "relu", rank=v),
    "QuadraticFeature(A)": lambda v: targets.QuadraticFeature("relu", v),
    "SparseParity(d)": lambda v: targets.SparseParity(v, [0]),
    "SparseParity(support)": lambda v: targets.SparseParity(D, [v]),
    "SparseParity.random(k)": lambda v: targets.SparseParity.random(numpy_rng(), D, v),
    "BallIndicator(radius)": lambda v: sl21_targets.BallIndicator(v, D),
    "SmoothBallIndicator(width)": lambda v: sl21_targets.SmoothBallIndicator(1.0, v, D),
    "GaussianMixture.xor(separation)": lambda v: targets.GaussianMixture.xor(D, v, xp=np),
    "GaussianMixture.xor(std)": lambda v: targets.GaussianMixture.xor(D, 2.0, std=v, xp=np),
    "GaussianInput(d)": lambda v: distributions.GaussianInput(v),
    "SphereInput(d)": lambda v: distributions.SphereInput(v),
    "HypercubeInput(d)": lambda v: distributions.HypercubeInput(v),
    "GaussianInput.sample(n)": lambda v: distributions.GaussianInput(D).sample(numpy_rng(), v),
    "SphereInput.sample(n)": lambda v: distributions.SphereInput(D).sample(numpy_rng(), v),
    "GaussianMixtureInput(means)": lambda v: distributions.GaussianMixtureInput(v),
    "GaussianMixtureInput(std)": lambda v: distributions.GaussianMixtureInput(np.eye(2), std=v),
    "as_activation": lambda v: activations.as_activation(v),
    "hermite_he(k)": lambda v: hermite.hermite_he(v, np.linspace(-1, 1, 5)),
    "hermite_he(z)": lambda v: hermite.hermite_he(2, v),
    "hermite_coefficients(degree)": lambda v: hermite.hermite_coefficients(activations.as_activation("relu"), v),
    "hermite_coefficients(order)": lambda v: hermite.hermite_coefficients(activations.as_activation("relu"), 3,
                                                                          order=v),
    "hermite_norm_sq": lambda v: hermite.hermite_norm_sq(v),
    "step_size(n)": lambda v: t_one_step.step_size(v, 0.1),
    "step_size(alpha)": lambda v: t_one_step.step_size(100, v),
    "step_size(scale)": lambda v: t_one_step.step_size(100, 0.1, scale=v),
    "step_exponent(eta)": lambda v: t_one_step.step_exponent(v, 100),
    "spike_threshold": lambda v: t_one_step.spike_threshold(v),
    "spike_interval": lambda v: t_one_step.spike_interval(v),
    "spike_count": lambda v: t_one_step.spike_count(v),
    "spike_count(boundary)": lambda v: t_one_step.spike_count(0.3, boundary=v),
    "spike_growth_exponent(k)": lambda v: t_one_step.spike_growth_exponent(0.3, v),
    "spike_magnitude(b_norm)": lambda v: t_one_step.spike_magnitude(1, eta=1.0, mu=[0, 1], b_norm=v, n=10, width=4),
    "spike_magnitude(eta)": lambda v: t_one_step.spike_magnitude(1, eta=v, mu=[0, 1], b_norm=1.0, n=10, width=4),
    "spike_magnitude(mu)": lambda v: t_one_step.spike_magnitude(1, eta=1.0, mu=v, b_norm=1.0, n=10, width=4),
    "spike_magnitude(a_law)": lambda v: t_one_step.spike_magnitude(1, eta=1.0, mu=[0, 1], b_norm=1.0, n=10,
                                                                   width=4, a_law=v),
    "hermite_profile(degree)": lambda v: t_one_step.hermite_profile("relu", v),
    "best_linear_excess_risk": lambda v: t_one_step.best_linear_excess_risk(v),
    "null_risk(noise)": lambda v: t_one_step.null_risk("relu", noise_std=v),
    "direction_norm_limit(d)": lambda v: t_one_step.direction_norm_limit("relu", d=v, n=10),
    "direction_overlap_limit(n)": lambda v: t_one_step.direction_overlap_limit("relu", d=4, n=v),
    "harmonic_dimension(ell)": lambda v: kernels.harmonic_dimension(v, 4),
    "harmonic_dimension(d)": lambda v: kernels.harmonic_dimension(2, v),
    "gegenbauer(ell)": lambda v: kernels.gegenbauer(v, np.linspace(-1, 1, 5), 4),
    "kernel_spectrum(d)": lambda v: kernels.kernel_spectrum("relu", v),
    "kernel_spectrum(max_degree)": lambda v: kernels.kernel_spectrum("relu", 8, max_degree=v),
    "kernel_spectrum(input)": lambda v: kernels.kernel_spectrum("relu", 8, input=v),
    "kernel_spectrum(sigma2)": lambda v: kernels.kernel_spectrum(v, 8),
    "sphere_coordinate_rule(panels)": lambda v: kernels.sphere_coordinate_rule(8, panels=v),
    "radius_rule(order)": lambda v: kernels.radius_rule(8, "gaussian", order=v),
    "theorem1_sample_size": lambda v: t3.theorem1_sample_size(v),
    "theorem1_sample_size(op_norm)": lambda v: t3.theorem1_sample_size(1.0, op_norm=v, version="v3-reconstructed"),
    "single_index_prediction(d)": lambda v: t3.single_index_prediction("relu", "relu", v),
    "quadratic_feature_prediction(max_degree)": lambda v: t3.quadratic_feature_prediction("relu", "relu", 8,
                                                                                          max_degree=v),
    "quadratic_feature_prediction(link)": lambda v: t3.quadratic_feature_prediction("relu", v, 8),
    "asymptotic_exponents(feature_degree)": lambda v: t3.asymptotic_exponents("relu", v),
    "kernel_method_exponent": lambda v: t3.kernel_method_exponent(v),
    "theorem8_requirements(eps)": lambda v: ball_separation.theorem8_requirements(v, 0.1, 4),
    "theorem8_iterations(width)": lambda v: ball_separation.theorem8_iterations(0.1, v, 0.1, 0.5),
    "theorem5_threshold(m)": lambda v: ball_separation.theorem5_threshold(v, 4),
    "theorem3_time(d)": lambda v: ball_separation.theorem3_time(0.1, v),
    "theorem4_width(d)": lambda v: ball_separation.theorem4_width(v),
    "BesselRadius(d)": lambda v: radial_laws.BesselRadius(v),
    "gaussian_radius_cdf(rho)": lambda v: radial_laws.gaussian_radius_cdf(v, 4),
    "gaussian_radius_cdf(d)": lambda v: radial_laws.gaussian_radius_cdf(1.0, v),
    "MuInput(alpha)": lambda v: radial_laws.MuInput(4, v),
    "cauchy_input(scale)": lambda v: radial_laws.cauchy_input(4, v),
    "dkw_bound(n)": lambda v: radial_laws.dkw_bound(v),
    "dkw_bound(level)": lambda v: radial_laws.dkw_bound(100, v),
    "ks_distance": lambda v: radial_laws.ks_distance(v, radial_laws.BesselRadius(4).cdf),
    "fit_loglog_slope": lambda v: stats.fit_loglog_slope([8, 16, 32], [v, 100.0, 300.0]),
    "fit_loglog_slope(weights)": lambda v: stats.fit_loglog_slope([8, 16, 32], [1.0, 2.0, 5.0], weights=[v, 1, 1]),
    "fit_loglog_slope(confidence)": lambda v: stats.fit_loglog_slope([8, 16, 32], [1.0, 2.0, 5.0], confidence=v),
    "median": lambda v: stats.median([v, 1.0, 2.0]),
    "spearman": lambda v: stats.spearman([v, 1.0, 2.0], [1.0, 3.0, 2.0]),
    "binomial_interval(hits)": lambda v: stats.binomial_interval(v, 10),
    "binomial_interval(confidence)": lambda v: stats.binomial_interval(3, 10, v),
    "t_quantile(df)": lambda v: stats.t_quantile(0.9, v),
}


@FUZZ
@given(name=st.sampled_from(sorted(CTORS)), bad=st.one_of(BAD_INTS, BAD_REALS))
def test_constructors_and_functions_on_bad_scalars(name, bad):
    call(CTORS[name], bad)


@settings(FUZZ, max_examples=150)
@given(name=st.sampled_from(sorted(CTORS)), bad=st.one_of(BAD_INTS, BAD_REALS, HUGE))
def test_constructors_and_functions_more(name, bad):
    call(CTORS[name], bad)


# -- impossible sizes ------------------------------------------------------------------------------------------
HUGE_CALLS = {
    "init_network": lambda v: two_layer.init_network(numpy_rng(), v, v),
    "ThreeLayerNetwork.init(m2)": lambda v: three_layer.ThreeLayerNetwork(2, v).init(numpy_rng(), v),
    "ThreeLayerNetwork.init(m1)": lambda v: three_layer.ThreeLayerNetwork(2 * v, 4).init(numpy_rng(), D),
    "RandomFeaturesRidge.fit": lambda v: baselines.RandomFeaturesRidge(v).fit(numpy_rng(), data("tr"), data("va")),
    "GramStats.zeros": lambda v: ridge.GramStats.zeros(v, xp=np),
    "Target.sample": lambda v: single_index().sample(numpy_rng(), v),
    "GaussianInput.sample": lambda v: distributions.GaussianInput(v).sample(numpy_rng(), v),
    "TargetStream": lambda v: next(iter(fdata.TargetStream(single_index(), v, numpy_rng(), block=v))),
    "ErfFeatures.init": lambda v: bn.ErfFeatures.init(numpy_rng(), v, v),
    "WeakNetwork.init": lambda v: bn.WeakNetwork.init(numpy_rng(), v, v),
    "StrongNetwork.init": lambda v: bn.StrongNetwork.init(numpy_rng(), v, v),
    "SingleIndex.random": lambda v: targets.SingleIndex.random(numpy_rng(), v, "relu"),
    "QuadraticFeature.random": lambda v: targets.QuadraticFeature.random(numpy_rng(), v, "relu"),
    "OneStepNetwork.fit": lambda v: m_one_step.OneStepNetwork(v).fit_batches(data("s"), data("r"), data("v"),
                                                                     rng=numpy_rng()),
    "kernel_spectrum(max_degree)": lambda v: kernels.kernel_spectrum("relu", 8, max_degree=v),
    "kernel_spectrum(d)": lambda v: kernels.kernel_spectrum("relu", v),
    "spike_sweep(width)": lambda v: spectral.spike_sweep(single_index(), numpy_rng(), n=16, width=v, alphas=[0.1]),
    "alpha_sweep(width)": lambda v: m_one_step.alpha_sweep(single_index(), numpy_rng(), n=16, width=v,
                                                           alphas=[0.1], n_val=8, n_test=8),
}


@pytest.mark.parametrize("size", [10**6, 10**9, 2**40])
@pytest.mark.parametrize("name", sorted(HUGE_CALLS))
def test_impossible_sizes_are_refused_before_allocating(name, size):
    call(HUGE_CALLS[name], size)


def test_memory_refusal_states_the_estimate():
    with pytest.raises(MemoryRefusal, match="GiB"):
        two_layer.init_network(numpy_rng(), 10**6, 10**6)
    CALLS["n"] += 1


# -- known bugs ------------------------------------------------------------------------------------------------
def test_known_bugs_are_fixed():
    with pytest.raises(ValueError, match="not learnable|zero"):
        t3.quadratic_feature_prediction("he1", "relu", 8)
    with pytest.raises(ValueError, match="b_norm"):
        t_one_step.spike_magnitude(1, eta=1.0, mu=[0, 1], b_norm=-1.0, n=10, width=4)
    with pytest.raises(ValueError, match="max_degree"):
        kernels.kernel_spectrum("relu", 8, max_degree=10**6)
    with pytest.raises(ValueError, match="outliers"):
        spectral.bulk_edge(spectral.spectral_stats(fitted()["net"], data("tr"))[0], rng=numpy_rng(), outliers=8)
    CALLS["n"] += 4


# -- the CLI ---------------------------------------------------------------------------------------------------
CLI_BAD = [
    ["check", "--scale", "huge"],
    ["check", "--seed", "-1", "--only", "math.*", "--quiet"],
    ["check", "--seed", "x"],
    ["check", "--backend", "fortran", "--quiet"],
    ["check", "--only", "no-such-claim*", "--quiet"],
    ["check", "--workers", "zero"],
    ["nope"],
    ["reproduce"],
    ["reproduce", "no-such-experiment"],
    ["reproduce", "no-such-experiment", "--scale", "paper", "--quiet"],
    ["reproduce", "x", "--seed", "-3"],
    ["claims", "--only"],
    ["claims", "--bogus"],
    ["experiments", "extra"],
    ["backends", "--json"],
    ["reproduce", "mlhd23-errors", "--backend", "fortran", "--quiet", "--out", "{tmp}"],
    ["reproduce", "mlhd23-errors", "--workers", "0", "--quiet", "--out", "{tmp}"],
    ["check", "--only", "no-such-claim*", "--quiet", "--json", "{tmp}/claims.json"],
]


@pytest.mark.parametrize("argv", CLI_BAD, ids=[" ".join(a) for a in CLI_BAD])
def test_cli_bad_options_exit_2_without_traceback(argv, capsys, tmp_path):
    CALLS["n"] += 1
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    try:
        rc = cli.main(argv)
    except SystemExit as exc:  # argparse's own errors
        rc = exc.code
    err = capsys.readouterr().err
    assert rc == 2, f"exit code {rc}"
    assert "Traceback" not in err
    lines = err.strip().splitlines()  # argparse's usage block included: one line in all
    assert len(lines) == 1, f"expected a one-line message, got {err!r}"


# -- the count -------------------------------------------------------------------------------------------------
def test_zz_at_least_300_bad_calls_were_made():
    """Runs last (file order): the calls above are real, and each was clear or correct."""
    print(f"fuzz calls: {CALLS}")
    assert CALLS["n"] >= MIN_CALLS, CALLS
