"""The public entry points of featlearn, listed from the ``__all__`` of every public module.

A module is public when no part of its dotted name after ``featlearn`` starts with ``_``. Every
object in its ``__all__`` that is callable is an entry point; a class contributes its constructor
and every public method, classmethod and staticmethod it defines (``__call__`` included).
An object re-exported by several modules is listed once, under the first module that lists it.

Modules without ``__all__`` must be named in :data:`NO_ALL` with the reason (a test checks it),
so a new module cannot slip out of the fuzz test.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable

import featlearn

#: Public modules without ``__all__``: they hold no entry points of their own.
NO_ALL = {
    "featlearn.cli": "the command line; its bad options are fuzzed through cli.main(argv) in test_families",
    "featlearn.models.estimator": "the Estimator mixin's methods are reached through every estimator",
    "featlearn.testing.plugin": "pytest hooks (options and fixtures), not called by users",
    "featlearn.theory.host_constants": "host-side NumPy constants, no functions",
}
#: Per-paper modules that only register claims, experiments (with their cells and figures) and the paper's
#: Setting: users reach them through ``featlearn.claim``/``featlearn.experiment`` and the Setting class.
REGISTRATION = ("claims", "experiments", "figures", "setting")


@dataclass(frozen=True)
class EntryPoint:
    """One callable of the public API: ``fn`` is the function, class or unbound method."""

    name: str  # "featlearn.theory.targets.SingleIndex.random"
    obj: Any
    kind: str  # "function" | "class" | "method" | "classmethod" | "staticmethod"
    owner: type | None = None

    @property
    def signature(self) -> inspect.Signature:
        target = self.obj.__init__ if self.kind == "class" and "__init__" in vars(self.obj) else self.obj
        return inspect.signature(target)


def public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(featlearn.__path__, "featlearn."):
        if any(part.startswith("_") for part in info.name.split(".")[1:]):
            continue
        names.append(info.name)
    return ["featlearn", *sorted(names)]


def _own_methods(cls: type):
    fields = getattr(cls, "__dataclass_fields__", {})
    for key, raw in vars(cls).items():
        if (key.startswith("_") and key != "__call__") or key in fields:  # a field's default is no method
            continue
        if isinstance(raw, classmethod):
            yield key, raw.__func__, "classmethod"
        elif isinstance(raw, staticmethod):
            yield key, raw.__func__, "staticmethod"
        elif inspect.isfunction(raw):
            yield key, raw, "method"


@cache
def entry_points() -> tuple[EntryPoint, ...]:
    """Every public callable, listed once (see the module docstring)."""
    seen: set[int] = set()
    out: list[EntryPoint] = []
    for modname in public_modules():
        mod = importlib.import_module(modname)
        for attr in getattr(mod, "__all__", None) or ():
            obj = getattr(mod, attr)
            if not callable(obj) or id(obj) in seen or inspect.ismodule(obj):
                continue
            seen.add(id(obj))
            if inspect.isclass(obj):
                if issubclass(obj, BaseException):
                    out.append(EntryPoint(f"{modname}.{attr}", obj, "class"))
                    continue
                out.append(EntryPoint(f"{modname}.{attr}", obj, "class"))
                for key, fn, kind in _own_methods(obj):
                    out.append(EntryPoint(f"{modname}.{attr}.{key}", fn, kind, owner=obj))
            else:
                out.append(EntryPoint(f"{modname}.{attr}", obj, "function"))
    return tuple(out)


def modules_without_all() -> list[str]:
    missing = []
    for modname in public_modules():
        mod = importlib.import_module(modname)
        if getattr(mod, "__all__", None) is None and modname not in NO_ALL \
                and modname.rsplit(".", 1)[-1] not in REGISTRATION:
            missing.append(modname)
    return missing


def by_name() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points()}


Callable  # re-exported for recipe modules' annotations
