"""Bad values by argument kind: each replaces one valid argument of a valid call.

The kind of an argument is read from its valid value (or its default, or its annotation when the
default is ``None``). Each bad value says whether the call *must* refuse it (``must_refuse``: a
wrong type, NaN, complex, another backend, an unknown option) or may either refuse it clearly or
return a finite result (a negative, zero, huge or empty value can be legal).
"""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from featlearn.backends import Generator


@dataclass(frozen=True)
class Bad:
    label: str
    value: Any
    must_refuse: bool
    problem: str | None = None  # "nan" | "complex" | "backend": words that also count as naming the problem


class _Opaque:
    """An object of no type featlearn knows."""

    def __repr__(self):
        return "<opaque>"


OPAQUE = _Opaque()

#: Entry points that inspect arrays as they are (NaN, complex and any backend are their input, not an error).
ARRAY_AS_IS = {
    "featlearn.backends.array_namespace", "featlearn.backends.device_of", "featlearn.backends.to_host",
    "featlearn.backends.to_scalar", "featlearn.validation.all_finite", "featlearn.output.to_jsonable",
    "featlearn.output.markdown_cell",
}
#: Converters that keep NaN by design (the caller checks finiteness where it matters).
NAN_AS_IS = {"featlearn.validation.check_real_dtype", "featlearn.validation.as_float_array",
             "featlearn.data.accumulate"}


def is_array(v) -> bool:
    return hasattr(v, "shape") and hasattr(v, "dtype") and not isinstance(v, (np.generic,))


def is_number_seq(v) -> bool:
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(
        isinstance(e, (int, float)) and not isinstance(e, bool) for e in v)


def kind_of(value, param: inspect.Parameter, free_text: set[str]) -> str:
    if value is None:
        ann = str(param.annotation)
        for key, kind in (("Generator", "rng"), ("Callable", "callable"), ("int", "int"), ("float", "real"),
                          ("Sequence", "seq"), ("Iterable", "seq"), ("str", "choice"), ("PathLike", "path")):
            if key in ann:
                return kind
        return "any"
    if isinstance(value, bool):
        return "flag"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "real"
    if isinstance(value, str):
        return "text" if param.name in free_text else "choice"
    if isinstance(value, Path):
        return "path"
    if isinstance(value, Generator):
        return "rng"
    if isinstance(value, types.ModuleType):
        return "namespace"
    if is_array(value):
        return "array"
    if is_number_seq(value):
        return "grid"
    if isinstance(value, (list, tuple)):
        return "seq"
    if isinstance(value, dict):
        return "mapping"
    if callable(value) and not hasattr(value, "__dict__") or isinstance(value, (types.FunctionType,
                                                                               types.BuiltinFunctionType)):
        return "callable"
    return "object"


def _strict(a):
    import array_api_strict as xps

    return xps.asarray(np.asarray(a))


def bad_values(entry: str, kind: str, value, default, *, other_arrays: bool) -> list[Bad]:
    """The bad values tried for one argument of ``entry``."""
    none_ok = default is None
    out: list[Bad] = []
    if not none_ok:
        out.append(Bad("None", None, True))
    as_is = entry in ARRAY_AS_IS
    if kind == "array":
        a = np.asarray(value, dtype=np.float64) if not hasattr(value, "__array_namespace__") else value
        try:
            host = np.asarray(a, dtype=np.float64)
        except Exception:  # noqa: BLE001 - non-NumPy arrays in a recipe
            host = None
        out.append(Bad("str", "bad", True))
        if host is not None and host.size:
            nan = host.copy()
            nan.reshape(-1)[0] = np.nan
            out.append(Bad("nan", nan, not as_is and entry not in NAN_AS_IS, "nan"))
            out.append(Bad("complex", host + 1j, not as_is, "complex"))
            out.append(Bad("other-backend", _strict(host), other_arrays and not as_is, "backend"))
            out.append(Bad("ndim+1", host[None], False))
            if host.ndim:
                out.append(Bad("empty", host[:0], False))
            out.append(Bad("list", host.tolist(), False))
        return out
    if kind == "int":
        return out + [Bad("2.5", 2.5, True), Bad("'3'", "3", True), Bad("True", True, True),
                      Bad("nan", float("nan"), True), Bad("-1", -1, False), Bad("0", 0, False),
                      Bad("1e12", 10**12, False)]
    if kind == "real":
        return out + [Bad("nan", float("nan"), True), Bad("'0.1'", "0.1", True), Bad("1j", 1j, True),
                      Bad("True", True, True), Bad("inf", float("inf"), False), Bad("-1.0", -1.0, False),
                      Bad("0.0", 0.0, False)]
    if kind == "flag":
        return [Bad("'yes'", "yes", True)]
    if kind == "choice":
        return out + [Bad("unknown", "no-such-option", True), Bad("3", 3, True)]
    if kind == "text":
        return [Bad("3", 3, False)]
    if kind == "rng":
        return out + [Bad("numpy-rng", np.random.default_rng(0), True), Bad("'rng'", "rng", True)]
    if kind == "namespace":
        return out + [Bad("'fortran'", "fortran", True), Bad("3", 3, True)]
    if kind == "callable":
        return out + [Bad("3", 3, True)]
    if kind == "grid":
        return out + [Bad("[]", [], False), Bad("[nan]", [float("nan")], True), Bad("'abc'", "abc", True),
                      Bad("[1j]", [1j], True)]
    if kind == "path":
        return out + [Bad("3", 3, True)]
    # seq, mapping, object, any
    return out + [Bad("opaque", OPAQUE, True)]
