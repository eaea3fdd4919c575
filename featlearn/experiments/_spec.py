"""Sweep specifications: a grid (or list) of parameter cells times a list of seeds.

A *cell* is one parameter dict; a *task* is one (cell, seed) pair and produces one record.
Everything here is validated eagerly so that a bad sweep fails before any work starts,
with a ``ValueError`` that names the offending argument.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import product
from typing import Any

import numpy as np

from featlearn.validation import check_seed

#: Keys every record carries; parameter names and measured values may not use them.
RESERVED_KEYS = ("sweep", "experiment", "cell", "status", "seed", "backend", "device", "wall_time",
                 "featlearn_version", "error", "worker", "finished_at")


@dataclass(frozen=True)
class Task:
    """One unit of work: a parameter cell and a seed, with its stable id."""

    id: str
    params: dict[str, Any]
    seed: int


def _scalar(value: Any, where: str) -> Any:
    """A grid value as a JSON scalar (NumPy scalars are converted); ``ValueError`` otherwise."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"grid: value {value!r} of {where} is not finite")
        return value
    raise ValueError(f"grid: value {value!r} of {where} is not a JSON scalar (bool, int, float, str or None)")


def _check_name(name: Any, params: Sequence[str] | None, experiment: str) -> str:
    if not isinstance(name, str) or not name:
        raise ValueError(f"grid: parameter names must be non-empty str, got {name!r}")
    if name in RESERVED_KEYS:
        raise ValueError(f"grid: parameter name {name!r} is reserved for record metadata "
                         f"({', '.join(RESERVED_KEYS)})")
    if params is not None and name not in params:
        raise ValueError(f"grid: unknown parameter {name!r} for experiment {experiment!r}; "
                         f"it accepts: {', '.join(params) or '(no parameters)'}")
    return name


def _values(name: str, values: Any) -> list[Any]:
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, (Sequence, np.ndarray, range)):
        raise ValueError(f"grid: the values of {name!r} must be a list (or tuple, range, 1-d array), "
                         f"got {type(values).__name__}")
    out = [_scalar(v, repr(name)) for v in values]
    if not out:
        raise ValueError(f"grid: parameter {name!r} has no values (empty grid)")
    if len({json.dumps(v) for v in out}) != len(out):
        raise ValueError(f"grid: parameter {name!r} has repeated values {out}")
    return out


def canonical_grid(grid: Any, *, params: Sequence[str] | None = None, experiment: str = "?") -> dict[str, Any]:
    """Validate a grid and return its JSON form (the form stored in a sweep's manifest).

    Parameters
    ----------
    grid : dict of str to list, or list of dict
        ``{"n": [100, 1000], "k": [2, 4]}`` is the Cartesian product of the values (in the
        given order, last key fastest); a list of dicts gives the cells explicitly.
    params : sequence of str, optional
        The parameters the experiment accepts; any other key is an error.
    experiment : str
        Experiment name, for error messages.

    Returns
    -------
    dict
        ``{"product": {name: [values]}}`` or ``{"cells": [dict, ...]}``.

    Raises
    ------
    ValueError
        Empty grid, a parameter without values, an unknown or reserved parameter name,
        a value that is not a JSON scalar, or repeated cells.
    """
    if isinstance(grid, Mapping):
        if not grid:
            raise ValueError("grid: empty (give at least one parameter with at least one value)")
        return {"product": {_check_name(k, params, experiment): _values(k, v) for k, v in grid.items()}}
    if isinstance(grid, Sequence) and not isinstance(grid, (str, bytes)):
        if len(grid) == 0:
            raise ValueError("grid: empty list of cells")
        cells = []
        for i, cell in enumerate(grid):
            if not isinstance(cell, Mapping):
                raise ValueError(f"grid: cell {i} must be a dict of parameter values, got {type(cell).__name__}")
            cells.append({_check_name(k, params, experiment): _scalar(v, f"{k!r} in cell {i}")
                          for k, v in cell.items()})
        keys = [json.dumps(c, sort_keys=True) for c in cells]
        if len(set(keys)) != len(keys):
            raise ValueError("grid: the list of cells has repeated cells")
        return {"cells": cells}
    raise ValueError(f"grid: expected a dict of parameter -> list of values, or a list of dicts, "
                     f"got {type(grid).__name__}")


def grid_cells(canonical: dict[str, Any]) -> list[dict[str, Any]]:
    """The parameter dicts of a canonical grid, in order."""
    if "cells" in canonical:
        return [dict(c) for c in canonical["cells"]]
    axes = canonical["product"]
    names = list(axes)
    return [dict(zip(names, combo)) for combo in product(*(axes[n] for n in names))]


def check_seeds(seeds: Any) -> list[int]:
    """Validate seeds: a non-empty sequence of distinct non-negative ints (``range(5)`` works).

    Raises
    ------
    TypeError
        If ``seeds`` is not a sequence, or holds anything but ints (bools and floats are
        refused, :func:`featlearn.validation.check_seed`).
    ValueError
        If ``seeds`` is empty, repeats a seed, or holds a negative one.
    """
    if isinstance(seeds, (str, bytes, Mapping)) or not isinstance(seeds, (Sequence, np.ndarray, range)):
        raise TypeError(f"seeds: expected a sequence of non-negative ints such as range(5), "
                        f"got {type(seeds).__name__}")
    out = [check_seed(s, f"seeds[{i}]") for i, s in enumerate(seeds)]
    if not out:
        raise ValueError("seeds: empty (give at least one seed)")
    if len(set(out)) != len(out):
        raise ValueError(f"seeds: repeated seeds in {out}")
    return out


def task_id(params: Mapping[str, Any], seed: int) -> str:
    """Stable id of a (cell, seed) pair: a hash of its canonical JSON (16 hex digits)."""
    text = json.dumps({"params": dict(params), "seed": int(seed)}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def make_tasks(canonical: dict[str, Any], seeds: Sequence[int]) -> list[Task]:
    """All (cell, seed) tasks of a sweep: cells in grid order, seeds fastest."""
    return [Task(task_id(cell, s), cell, s) for cell in grid_cells(canonical) for s in seeds]
