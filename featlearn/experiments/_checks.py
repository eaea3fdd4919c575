"""Argument checks shared by the experiment engine's entry points (paths, flags, records, run options).

The one policy of :mod:`featlearn.validation`: a wrong type raises ``TypeError``, a wrong value
``ValueError``, and every message names the argument. These checks run at the top of each entry
point, before any directory is made or any cell runs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from featlearn.context import SCALES, check_device
from featlearn.validation import check_bool, check_choice, check_seed


def check_path(value: Any, name: str, *, none_ok: bool = False) -> Path | None:
    """``value`` as a :class:`~pathlib.Path` (a str or os.PathLike; ``None`` only where ``none_ok``)."""
    if value is None and none_ok:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, os.PathLike)):
        raise TypeError(f"{name}: expected a path (str or os.PathLike){' or None' if none_ok else ''}, "
                        f"got {type(value).__name__}")
    if isinstance(value, str) and not value:
        raise ValueError(f"{name}: expected a path, got an empty str")
    return Path(value)


def check_flag(value: Any, name: str, *, none_ok: bool = False) -> bool | None:
    """:func:`~featlearn.validation.check_bool`, with ``None`` allowed where ``none_ok``."""
    return None if value is None and none_ok else check_bool(value, name)


def check_text(value: Any, name: str, *, none_ok: bool = True) -> str | None:
    """``value`` if it is a str (``None`` where ``none_ok``), else ``TypeError``."""
    if value is None and none_ok:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name}: expected a str{' or None' if none_ok else ''}, got {type(value).__name__}")
    return value


def check_callable(value: Any, name: str, *, none_ok: bool = False) -> Any:
    if value is None and none_ok:
        return None
    if not callable(value):
        raise TypeError(f"{name}: expected a callable{' or None' if none_ok else ''}, got {type(value).__name__}")
    return value


def check_mapping(value: Any, name: str, *, none_ok: bool = True) -> Mapping | None:
    if value is None and none_ok:
        return None
    if not isinstance(value, Mapping):
        raise TypeError(f"{name}: expected a dict{' or None' if none_ok else ''}, got {type(value).__name__}")
    return value


def check_records(records: Any, name: str = "records", *, none_ok: bool = False) -> list | None:
    """A list of record dicts, from any iterable of dicts (``TypeError`` naming ``name`` otherwise)."""
    if records is None and none_ok:
        return None
    if isinstance(records, (str, bytes, Mapping)) or not isinstance(records, Iterable):
        raise TypeError(f"{name}: expected a list of record dicts, got {type(records).__name__}")
    records = list(records)
    for i, r in enumerate(records):
        if not isinstance(r, Mapping):
            raise TypeError(f"{name}[{i}]: expected a record dict, got {type(r).__name__}")
    return records


def check_items(values: Any, name: str, kind: type, what: str) -> list:
    """A list of ``kind`` instances from any iterable (``TypeError`` naming ``name`` otherwise)."""
    if isinstance(values, (str, bytes, Mapping)) or not isinstance(values, Iterable):
        raise TypeError(f"{name}: expected a list of {what}, got {type(values).__name__}")
    values = list(values)
    for i, v in enumerate(values):
        if not isinstance(v, kind):
            raise TypeError(f"{name}[{i}]: expected a {what}, got {type(v).__name__}")
    return values


def check_scheduler(scheduler: Any) -> Any:
    """``None``, a Dask scheduler address (str) or a ``distributed.Client``."""
    if scheduler is None or isinstance(scheduler, str):
        return scheduler
    if type(scheduler).__module__.split(".")[0] in ("distributed", "dask", "dask_cuda"):
        return scheduler
    raise TypeError(f"scheduler: expected None, a Dask scheduler address (str) or a distributed.Client, "
                    f"got {type(scheduler).__name__}")


def check_run_options(*, scale: Any = "quick", seed: Any = 0, device: Any = None, store: Any = None,
                      scheduler: Any = None, progress: Any = False, seed_name: str = "seed") -> None:
    """The options every run shares (``featlearn check``/``reproduce``), checked before anything runs."""
    check_choice(scale, "scale", SCALES)
    check_seed(seed, seed_name)
    check_device(device)
    check_path(store, "store", none_ok=True)
    check_scheduler(scheduler)
    check_flag(progress, "progress")
