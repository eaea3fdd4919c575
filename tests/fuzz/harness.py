"""Run one fuzz call and judge it: a *clear* refusal, or a finite, real result.

A call is **clear** when it raises ``TypeError``, ``ValueError`` or featlearn's
:class:`~featlearn.validation.MemoryRefusal` with a message that names the argument it was
given a bad value for (or, for array values, the problem: NaN/inf, complex, the backends).
Any other exception, a message in a library's internal words, a hang past
:data:`HANG_LIMIT`, or a returned value holding NaN, inf or complex numbers is a failure;
so is a bad value the call accepts where it must be refused (``must_refuse``).
"""

from __future__ import annotations

import dataclasses
import math
import os
import re
import signal
import types
import warnings
from typing import Any

from featlearn.backends import array_namespace
from featlearn.validation import MemoryRefusal

#: Seconds a call may run before it counts as a hang. Generous: only hangs should trip it,
#: never a slow call on a loaded 2-core machine.
HANG_LIMIT = float(os.environ.get("FEATLEARN_FUZZ_HANG_LIMIT", "30"))


class Hang(BaseException):
    """A call ran past :data:`HANG_LIMIT` (a BaseException: no ``except Exception`` swallows it)."""


def _alarm(signum, frame):
    raise Hang(f"call ran longer than {HANG_LIMIT} s")


def find_non_finite(obj, where="result", depth=0) -> str | None:
    """The first place in ``obj`` holding NaN, inf or complex numbers, or None."""
    if depth > 6 or obj is None or isinstance(obj, (str, bytes, bool, type, types.ModuleType)):
        return None
    if isinstance(obj, complex):
        return f"{where}: complex {obj!r}"
    if isinstance(obj, (int, float)):
        return None if math.isfinite(obj) else f"{where}: non-finite {obj!r}"
    if hasattr(obj, "shape") and hasattr(obj, "dtype"):
        try:
            xp = array_namespace(obj)
        except TypeError:
            return None
        if xp.isdtype(obj.dtype, "complex floating"):
            return f"{where}: complex array"
        if xp.isdtype(obj.dtype, "real floating") and not bool(xp.all(xp.isfinite(obj))):
            return f"{where}: array with NaN or inf"
        return None
    if isinstance(obj, dict):
        for k, v in list(obj.items())[:50]:
            bad = find_non_finite(v, f"{where}[{k!r}]", depth + 1)
            if bad:
                return bad
        return None
    if isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj[:50]):
            bad = find_non_finite(v, f"{where}[{i}]", depth + 1)
            if bad:
                return bad
        return None
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for f in dataclasses.fields(obj):
            bad = find_non_finite(getattr(obj, f.name), f"{where}.{f.name}", depth + 1)
            if bad:
                return bad
        return None
    if type(obj).__module__.startswith("featlearn") and hasattr(obj, "__dict__"):
        for k, v in vars(obj).items():
            if k.endswith("_") and not k.startswith("_"):
                bad = find_non_finite(v, f"{where}.{k}", depth + 1)
                if bad:
                    return bad
    return None


@dataclasses.dataclass
class Verdict:
    """What one call did: ``"clear"`` (a clear refusal), ``"result"`` (finite result) or a failure."""

    status: str  # "clear" | "result" | "fail"
    why: str = ""
    value: Any = None


def run_call(fn, args=(), kwargs=None) -> tuple[str, Any]:
    """``("raised", exc)`` or ``("returned", value)``; a hang raises :class:`Hang`."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, HANG_LIMIT)
    try:
        with warnings.catch_warnings():
            # NumPy's overflow warnings on huge finite inputs: what counts is whether the call
            # then refuses or returns finite values
            warnings.simplefilter("ignore")
            out = fn(*args, **(kwargs or {}))
            if isinstance(out, types.GeneratorType):
                out = list(out)
        return "returned", out
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - judged by the caller
        return "raised", exc
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


#: Words that name the problem of a bad *array* value when the message does not name the argument.
PROBLEM_WORDS = {
    "nan": ("nan", "finite"),
    "complex": ("complex",),
    "backend": ("backend", "array_api_strict"),
}


def names(message: str, argument: str) -> bool:
    """Does ``message`` name ``argument`` (as a word, possibly with an index: ``alphas[0]``)?"""
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(argument)}(?![A-Za-z0-9_])", message) is not None


def judge(outcome: tuple[str, Any], *, argument: str | None, must_refuse: bool, problem: str | None = None,
          aliases: tuple[str, ...] = (), nonfinite_ok: bool = False) -> Verdict:
    """Judge one call's outcome (see the module docstring)."""
    how, value = outcome
    if how == "raised" and isinstance(value, Hang):
        return Verdict("fail", f"hang: {value}")
    if how == "raised":
        if not isinstance(value, (TypeError, ValueError, MemoryRefusal)):
            return Verdict("fail", f"{type(value).__name__}: {value}")
        msg = str(value)
        if not msg.strip():
            return Verdict("fail", f"{type(value).__name__} without a message")
        if argument is None:
            return Verdict("clear")
        wanted = (argument, *aliases)
        if any(names(msg, a) for a in wanted):
            return Verdict("clear")
        if problem and any(w in msg.lower() for w in PROBLEM_WORDS.get(problem, ())):
            return Verdict("clear")
        return Verdict("fail", f"{type(value).__name__} does not name {argument!r}: {msg[:300]}")
    bad = None if nonfinite_ok else find_non_finite(value)
    if bad:
        return Verdict("fail", f"returned {bad}")
    if must_refuse:
        return Verdict("fail", f"accepted a bad value for {argument!r} (returned {type(value).__name__})")
    return Verdict("result", value=value)
