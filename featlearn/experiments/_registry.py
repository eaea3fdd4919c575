"""The experiment registry behind ``featlearn reproduce NAME``.

An experiment is a sweep cell ``fn(params: dict, ctx: RunContext) -> dict`` of measured values,
registered with a grid and seeds for each scale ("quick" for a minutes-long check, "paper" for
the paper's figure), an optional figure builder, and the paper it reproduces. Paper packages
(:mod:`featlearn.papers`) register experiments; claims that read an experiment declare it
(``@claim(..., experiment=name)``). The orchestrator (:mod:`featlearn.experiments._orchestrator`)
runs them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from featlearn.claims._registry import PAPERS, REGISTRY, SCALES, paper_setting
from featlearn.context import resolve_setting
from featlearn.experiments._spec import canonical_grid, check_seeds
from featlearn.validation import check_choice

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Experiment:
    """A registered experiment: its function, declared parameters, and per-scale grid and seeds."""

    name: str
    fn: Callable[[dict, Any], dict]
    params: tuple[str, ...]
    grids: Mapping[str, Any]
    seeds: Mapping[str, tuple[int, ...]]
    description: str
    paper: str
    figures: Callable[[list, Path], list] | None = None

    @property
    def paper_cite(self) -> str:
        return PAPERS[self.paper]["cite"]

    def grid_at(self, scale: str, setting: Any = None) -> Any:
        """The grid at ``scale``: ``grid(setting)`` for a grid given as a function of the paper's
        setting (``setting`` defaults to the paper's at that scale), else the registered one."""
        g = self.grids[_check_scale(scale)]
        return g(_setting_for(self.paper, scale, setting)) if callable(g) else g

    def seeds_at(self, scale: str, setting: Any = None) -> tuple[int, ...]:
        """The sweep seeds at ``scale`` (a function of the setting, like :meth:`grid_at`)."""
        s = self.seeds[_check_scale(scale)]
        return tuple(check_seeds(s(_setting_for(self.paper, scale, setting)))) if callable(s) else s


def _check_scale(scale: Any) -> str:
    return check_choice(scale, "scale", SCALES)


def _setting_for(paper: str, scale: str, setting: Any) -> Any:
    if setting is not None:
        from types import ModuleType

        from featlearn.settings import Setting

        if not isinstance(setting, (Setting, ModuleType)):
            raise TypeError(f"setting: expected the paper's Setting instance or None, got {type(setting).__name__}")
        return setting
    return resolve_setting(paper_setting(paper), scale)


EXPERIMENTS: dict[str, Experiment] = {}


def _per_scale(value: Any, arg: str) -> dict[str, Any]:
    if callable(value):  # a function of the paper's setting: the same function at both scales
        return {s: value for s in SCALES}
    if isinstance(value, Mapping) and set(value) <= set(SCALES) and value:
        missing = [s for s in SCALES if s not in value]
        if missing:
            raise ValueError(f"{arg}: missing scale(s) {', '.join(missing)}; give one for each of {SCALES}")
        return {s: value[s] for s in SCALES}
    if arg == "grid":
        raise ValueError(f"grid: expected a dict with one grid per scale, {{'quick': ..., 'paper': ...}}, "
                         f"got keys {list(value) if isinstance(value, Mapping) else type(value).__name__}")
    return {s: value for s in SCALES}


def register_experiment(name: str, fn: Callable, *, grid: Mapping[str, Any], seeds: Any, description: str,
                        paper: str, params: Sequence[str] | None = None,
                        figures: Callable[[list, Path], list] | None = None) -> Experiment:
    """Register an experiment for :func:`reproduce`, :func:`run_check` and :func:`run_sweep`.

    Parameters
    ----------
    name : str
        Lower-case id (letters, digits, ``.``, ``_``, ``-``), used in directory names.
    fn : callable
        The sweep cell ``fn(params: dict, ctx: RunContext) -> dict`` of measured values
        (numbers; 0-d arrays of any backend are converted). It computes with ``ctx.xp`` on
        ``ctx.device`` and draws all randomness from ``ctx.rng(*keys)``
        (:class:`~featlearn.context.RunContext`; ``ctx.replicate`` is the task's sweep seed).
    grid : dict or callable
        ``grid(setting)``, a function of the paper's :class:`~featlearn.settings.Setting` (so
        that every size lives in the setting), or ``{"quick": grid, "paper": grid}``; each a grid
        as accepted by :func:`run_sweep`.
    seeds : sequence of int, dict or callable
        Seeds for both scales, ``{"quick": seeds, "paper": seeds}``, or ``seeds(setting)``.
    description : str
        One paragraph: what is measured and what the theory predicts.
    paper : str
        Key of :data:`featlearn.claims.PAPERS` (``"math"`` for standard results).
    params : sequence of str, optional
        Parameters ``fn`` accepts (default: the keys used in the grids). Sweeps with any
        other grid key are rejected.
    figures : callable, optional
        ``figures(records, out_dir) -> list of paths`` making PNG files from the ok records.

    Returns
    -------
    Experiment

    Raises
    ------
    ValueError
        Bad or duplicate name, unknown paper, missing scale, bad grid or seeds.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name: expected a lower-case id such as 'hermite-mc', got {name!r}")
    if name in EXPERIMENTS:
        raise ValueError(f"name: experiment {name!r} is registered twice")
    if not callable(fn):
        raise TypeError(f"fn: expected a callable, got {type(fn).__name__}")
    if paper not in PAPERS:
        raise ValueError(f"paper: unknown key {paper!r}; expected one of {', '.join(PAPERS)}")
    if not isinstance(description, str) or not description.strip():
        raise ValueError("description: expected a non-empty str")
    if figures is not None and not callable(figures):
        raise TypeError(f"figures: expected a callable or None, got {type(figures).__name__}")
    grids = _per_scale(grid, "grid")
    # a grid given as a function of the setting is resolved at each scale's default setting
    grids_now = {sc: (g(_setting_for(paper, sc, None)) if callable(g) else g) for sc, g in grids.items()}
    if params is None:
        keys: dict[str, None] = {}
        for g in grids_now.values():
            for cell in (g if isinstance(g, Sequence) else [g]):
                keys.update(dict.fromkeys(cell) if isinstance(cell, Mapping) else {})
        params = tuple(keys)
    elif isinstance(params, str) or not isinstance(params, Iterable) or not all(isinstance(p, str) for p in params):
        raise ValueError(f"params: expected a list of parameter names, got {params!r}")
    for scale, g in grids_now.items():
        canonical_grid(g, params=params, experiment=name)
    seed_lists = {s: (v if callable(v) else tuple(check_seeds(v))) for s, v in _per_scale(seeds, "seeds").items()}
    for sc, v in seed_lists.items():
        if callable(v):
            check_seeds(v(_setting_for(paper, sc, None)))
    exp = Experiment(name, fn, tuple(params), grids, seed_lists, description.strip(), paper, figures)
    EXPERIMENTS[name] = exp
    return exp


def _load() -> None:
    from featlearn.papers import load_papers  # lazy: paper packages import this module

    load_papers()


def list_experiments() -> list[Experiment]:
    """Every registered experiment, sorted by name (the papers load on first use)."""
    _load()
    return [EXPERIMENTS[k] for k in sorted(EXPERIMENTS)]


def get_experiment(name: str) -> Experiment:
    """A registered experiment by name (``ValueError`` listing the known names if unknown)."""
    if not isinstance(name, str):
        raise TypeError(f"name: expected an experiment name (str), got {type(name).__name__}")
    _load()
    if name not in EXPERIMENTS:
        raise ValueError(f"name: unknown experiment {name!r}; known: {', '.join(sorted(EXPERIMENTS)) or 'none'}")
    return EXPERIMENTS[name]


def attached_claims(name: str) -> list:
    """The registered claims that read experiment ``name``'s sweep, sorted by id."""
    _load()
    return [REGISTRY[k] for k in sorted(REGISTRY) if REGISTRY[k].experiment == name]
