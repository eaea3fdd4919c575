"""Fuzz every public entry point: each argument in turn gets bad values of its kind.

The entry points are listed from the ``__all__`` of every public module
(:mod:`fuzz.entry_points`); each has a valid call (:mod:`fuzz.values`), made once and checked
for a finite result; then each argument is replaced, one at a time, by the bad values of its
kind (:mod:`fuzz.mutations`). Every call must be *clear* (:mod:`fuzz.harness`): a TypeError,
ValueError or MemoryRefusal that names the argument, or a finite result where the value may be
legal. Hangs are caught at 30 s per call (only hangs: load never trips it).
"""

from __future__ import annotations

import inspect
import json
import os

import pytest

from fuzz import calls as C
from fuzz import values as V
from fuzz.entry_points import entry_points, modules_without_all
from fuzz.harness import judge, run_call
from fuzz.mutations import ARRAY_AS_IS, NAN_AS_IS, Bad, bad_values, is_array, kind_of

#: Every call made here (the last test checks the count).
COUNT = {"calls": 0, "clear": 0, "result": 0}
MIN_CALLS = 1000

ENTRIES = [ep for ep in entry_points()]


def _mutations(ep):
    """(argument, Bad, call) for every bad value of every argument of ``ep``."""
    base = C.valid_call(ep)
    params = C.parameters(ep)
    out = []
    for p in params:
        if p.kind is p.VAR_KEYWORD:
            call = C.Call(ep, dict(base.kwargs), extra={"no_such_key": 1})
            out.append(("no_such_key", Bad("unknown keyword", 1, True), call))
            continue
        if p.kind is p.VAR_POSITIONAL:
            if p.name in base.kwargs:
                call = C.Call(ep, dict(base.kwargs, **{p.name: (V_OPAQUE,)}))
                out.append((p.name, Bad("opaque", V_OPAQUE, True), call))
            continue
        value = base.kwargs.get(p.name, p.default)
        default = None if p.default is inspect.Parameter.empty else p.default
        kind = V.KIND.get(ep.name, {}).get(p.name) or kind_of(value, p, C.FREE_TEXT)
        others = any(is_array(v) for k, v in base.kwargs.items() if k != p.name)
        for bad in bad_values(ep.name, kind, value, default if p.default is not inspect.Parameter.empty else ...,
                              other_arrays=others):
            out.append((p.name, bad, C.Call(ep, dict(base.kwargs, **{p.name: bad.value}))))
    return out


from fuzz.mutations import OPAQUE as V_OPAQUE  # noqa: E402


def _aliases(ep, argument, call) -> tuple[str, ...]:
    """Names a message may use for ``argument``: a checker's ``name`` when the argument is what it checks."""
    params = C.parameters(ep)
    out = tuple(V.ALIASES.get(ep.name, {}).get(argument, ()))
    name = call.kwargs.get("name", next((p.default for p in params if p.name == "name"), None))
    if params and params[0].name == argument and isinstance(name, str) and argument != "name":
        out += (name,)
    return out


def _run(call):
    COUNT["calls"] += 1
    target = call.target()
    args, kwargs = call.run_args()
    return run_call(target, args, kwargs)


@pytest.fixture(autouse=True)
def _in_a_scratch_directory(tmp_path_factory, monkeypatch):
    """Relative paths a mutated call writes (an option string taken for a directory) land in a scratch folder."""
    monkeypatch.chdir(tmp_path_factory.getbasetemp())


def test_every_public_module_lists_its_entry_points():
    assert modules_without_all() == []


def test_there_are_entry_points_to_fuzz():
    assert len(ENTRIES) > 300


@pytest.mark.parametrize("ep", ENTRIES, ids=[ep.name for ep in ENTRIES])
def test_entry_point(ep):
    failures = []
    if not C.is_record(ep) and ep.name not in C.HEAVY:
        verdict = judge(_run(C.valid_call(ep)), argument=None, must_refuse=False)
        if verdict.status != "result":
            failures.append(f"valid call: {verdict.why or 'raised'}")
    if C.is_record(ep):
        return
    heavy = ep.name in C.HEAVY
    for argument, bad, call in _mutations(ep):
        if heavy and not bad.must_refuse:
            continue
        if bad.label == "1e12" and argument in V.LONG_LEGAL.get(ep.name, {}):
            continue
        must = bad.must_refuse and argument not in V.LEGAL.get(ep.name, {}) \
            and argument not in V.NONFINITE_OK.get(ep.name, {})
        as_is = ep.name in ARRAY_AS_IS or ep.name in NAN_AS_IS or argument in V.NONFINITE_OK.get(ep.name, {})
        verdict = judge(_run(call), argument=argument, must_refuse=must, problem=bad.problem,
                        aliases=_aliases(ep, argument, call), nonfinite_ok=as_is and not must)
        COUNT[verdict.status if verdict.status != "fail" else "calls"] += 0 if verdict.status == "fail" else 1
        if verdict.status == "fail":
            failures.append(f"{argument}={bad.label}: {verdict.why}")
    if failures and os.environ.get("FEATLEARN_FUZZ_REPORT"):  # a JSON line per failing entry point, for triage
        with open(os.environ["FEATLEARN_FUZZ_REPORT"], "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"entry": ep.name, "failures": failures}) + "\n")
    assert not failures, f"{ep.name}:\n  " + "\n  ".join(failures)


def test_zz_enough_calls():
    """Runs last (file order)."""
    print(f"fuzz calls: {COUNT}")
    assert COUNT["calls"] >= MIN_CALLS, COUNT
