"""Paper content as plug-ins: a paper is one folder, ``featlearn/papers/<key>/``.

Each paper package holds everything specific to that paper (the layout and the conventions are
in ``docs/papers/README.md``, with a template folder that a test copies and runs):

* ``__init__.py`` -- the paper's face: registers the paper (its key and citation, from
  ``setting.py``), imports ``claims`` and ``experiments`` so that they register their content,
  and re-exports the setting, theory functions and models;
* ``setting.py`` -- ``KEY``, ``CITATION`` and the ``Setting`` dataclass(es) with the paper's
  defaults at quick and paper scale, registered with the paper and handed to its claims and
  sweep cells as ``ctx.setting``;
* theory and model modules -- the paper's theorems as functions, its networks and training
  algorithms (what two or more papers share lives in :mod:`featlearn.theory` and
  :mod:`featlearn.models`; ``tests/test_layout.py`` keeps it so);
* ``claims.py`` -- its claims (:func:`featlearn.claims.claim`);
* ``experiments.py`` -- its sweeps (:func:`featlearn.experiments.register_experiment`): cells
  ``fn(params, ctx)`` that take their namespace, device and random streams from the
  :class:`~featlearn.context.RunContext` ``ctx``.

Adding a paper is adding its folder: every sub-package of ``featlearn/papers/`` is found and
loaded. A paper package outside featlearn is loaded with :func:`load_paper` (or declared under
the ``featlearn.papers`` entry-point group of its distribution).
"""

from __future__ import annotations

import importlib
import pkgutil
from importlib import metadata
from types import ModuleType

__all__ = ["DISPLAY_ORDER", "load_paper", "load_papers", "paper_packages"]

#: Papers listed first, in this order, in tables and reports; any other paper found follows by key.
DISPLAY_ORDER: tuple[str, ...] = ("math", "mlhd23", "ndl23", "swl23", "sl21", "cui24")

#: The entry-point group under which an installed distribution may declare paper packages.
ENTRY_POINT_GROUP = "featlearn.papers"

_LOADED = False
_LOADING = False


def paper_packages() -> list[str]:
    """Module names of the paper packages in ``featlearn/papers/``, in display order."""
    found = [m.name for m in pkgutil.iter_modules(__path__) if m.ispkg and not m.name.startswith("_")]
    rank = {k: i for i, k in enumerate(DISPLAY_ORDER)}
    found.sort(key=lambda k: (rank.get(k, len(rank)), k))
    return [f"{__name__}.{k}" for k in found]


def load_paper(module: str) -> ModuleType:
    """Import one paper package by its module name, registering its paper, claims and experiments.

    Parameters
    ----------
    module : str
        An importable package laid out as ``docs/papers/README.md`` describes (e.g. a paper
        that lives in the researcher's own project).
    """
    if not isinstance(module, str) or not module:
        raise TypeError(f"module: expected a module name (str), got {type(module).__name__}")
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is None or not module.startswith(exc.name):
            raise  # the package exists; something it imports is missing
        raise ValueError(f"module: no importable package named {module!r} ({exc})") from None
    if getattr(mod, "__file__", None) is None:
        raise ValueError(f"module: {module!r} is a directory without __init__.py, not a paper package")
    return mod


def load_papers() -> None:
    """Import every paper package (featlearn's own and those declared through entry points).

    Idempotent; the registries call it on first use, so users never need to.
    """
    global _LOADED, _LOADING
    if _LOADED or _LOADING:  # a paper's import reaches the registries, which call back here
        return
    _LOADING = True
    try:
        for name in paper_packages():
            importlib.import_module(name)
        for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
            load_paper(ep.value)
        _LOADED = True
    finally:
        _LOADING = False
