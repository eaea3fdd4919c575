"""Build calls to entry points from valid values, and the bad values that replace them one at a time."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from fuzz import values as V
from fuzz.entry_points import EntryPoint

#: Classes whose instances featlearn returns (results, records, spectra, fitted pieces). Users read them;
#: they do not build them from raw values, so their constructors are called once with valid values and
#: their methods are fuzzed, but their fields are not mutated.
RECORDS = {
    "BackendInfo", "ClaimResult", "Batch", "MeanEstimate", "SweepResult", "TopEigen", "GDResult", "LabelCentering",
    "SecondLayerFit", "StepGradient", "FixedPoint", "SpectralStats", "Spectrum", "SpikeSweep", "KernelSpectrum",
    "SampleComplexity", "LayerwiseResult", "Theorem8Requirements", "OptBound", "GradientEstimate", "HitProbability",
    "Algorithm1Result", "Metrics", "ParityGradient", "LoglogFit", "Claim", "Experiment", "MemoryRefusal",
    "ClaimContext", "Parametrization", "SpikedRandomFeatures", "InputDistribution", "Target", "Stream",
}
#: Abstract bases (in RECORDS too): their methods are fuzzed on a concrete subclass (values.INSTANCES).

#: Entry points whose valid call runs real work (a claim, a sweep, a report) or registers something globally:
#: only values that must be refused are tried, and their valid call is not made here (the claim and experiment
#: tests make it).
HEAVY = {
    "featlearn.api.ClaimHandle.run", "featlearn.api.ExperimentHandle.run", "featlearn.claims.run_claim",
    "featlearn.experiments.Orchestrator.run", "featlearn.experiments.Orchestrator.sweep",
    "featlearn.experiments.reproduce", "featlearn.experiments.run_check", "featlearn.experiments.run_sweep",
    "featlearn.testing.assert_claim", "featlearn.claims.claim", "featlearn.claims.register_paper",
    "featlearn.experiments.register_experiment", "featlearn.papers.load_papers",
}


def is_record(ep: EntryPoint) -> bool:
    """A record type's constructor (see :data:`RECORDS`)."""
    return ep.kind == "class" and ep.obj.__name__ in RECORDS

#: Parameters holding free text (any string is valid).
FREE_TEXT = {"name", "title", "desc", "unit", "what", "doc", "xlabel", "ylabel", "description", "statement",
             "where", "provenance", "tolerance_note", "known_discrepancy", "cite", "url", "notes", "formula",
             "tolerance_rule", "needs_run", "quantity", "reason", "message", "header", "key", "id", "error"}


@dataclass
class Call:
    ep: EntryPoint
    kwargs: dict[str, Any]  # parameter name -> value (positional-only ones are passed positionally)
    extra: dict[str, Any] = field(default_factory=dict)  # unknown keywords for **kwargs

    def run_args(self):
        args, kwargs = [], {}
        for p in parameters(self.ep):
            if p.name not in self.kwargs:
                continue
            if p.kind in (p.POSITIONAL_ONLY,):
                args.append(self.kwargs[p.name])
            elif p.kind is p.VAR_POSITIONAL:
                args.extend(self.kwargs[p.name])
            else:
                kwargs[p.name] = self.kwargs[p.name]
        kwargs.update(self.extra)
        return tuple(args), kwargs

    def target(self):
        ep = self.ep
        if ep.kind in ("function", "class", "staticmethod"):
            return ep.obj
        if ep.kind == "classmethod":
            try:  # an abstract owner (featlearn.settings.Setting): a concrete subclass's
                return getattr(type(instance(ep.owner)), ep.obj.__name__)
            except KeyError:
                return getattr(ep.owner, ep.obj.__name__)
        inst = instance(ep.owner)
        return getattr(inst, ep.obj.__name__)


def owner_name(ep: EntryPoint) -> str:
    return ep.owner.__name__ if ep.owner is not None else ""


def instance(cls: type):
    """The object a method is called on: a recipe in ``values.INSTANCES``, else the class's valid call."""
    from fuzz.entry_points import by_name

    key = f"{cls.__module__}.{cls.__qualname__}"
    for name in (key, cls.__name__):
        if name in V.INSTANCES:
            return V.INSTANCES[name]()
    for ep in by_name().values():
        if ep.kind == "class" and ep.obj is cls:
            call = valid_call(ep)
            args, kwargs = call.run_args()
            return cls(*args, **kwargs)
    raise KeyError(f"no instance recipe for {key}")


def parameters(ep: EntryPoint) -> list[inspect.Parameter]:
    params = list(ep.signature.parameters.values())
    if ep.kind in ("method", "classmethod") or (ep.kind == "class" and params and params[0].name == "self"):
        params = params[1:]
    return params


def valid_call(ep: EntryPoint) -> Call:
    kwargs = {}
    over = V.OVERRIDES.get(ep.name, {})
    for p in parameters(ep):
        if p.kind in (p.VAR_KEYWORD,):
            continue
        if p.kind is p.VAR_POSITIONAL:
            if p.name in over:
                kwargs[p.name] = over[p.name]()
            continue
        if p.default is inspect.Parameter.empty or p.name in over:
            kwargs[p.name] = V.valid_value(ep.name, p)
    return Call(ep, kwargs)
