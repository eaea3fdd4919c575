"""On-disk results store: one directory per sweep, one JSON file per finished (cell, seed).

Layout::

    <store>/manifest.json        sweep name, experiment, backend, grid, seeds, run seed, format version
    <store>/cells/<task id>.json one flat record per (cell, seed)

Every file is written atomically by :func:`featlearn.output.write_json` (a temporary file in
the same directory, flushed and fsync'ed, then ``os.replace``), so a run killed at any moment,
even by SIGKILL, leaves each record either complete or absent, never truncated. Temporary files
left by a kill start with ``.`` and end in ``.tmp``; readers ignore them. Non-finite measured
values are stored as ``null`` (the JSON policy of :mod:`featlearn.output`).
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from featlearn.experiments._spec import Task, make_tasks
from featlearn.output import write_json

#: Identifies a featlearn sweep store; stores of another format are refused.
STORE_FORMAT = "featlearn-sweep"
#: Version of the store layout and record schema. Bumped on incompatible changes.
STORE_FORMAT_VERSION = 1
#: Manifest fields that must match for a store to be reused by a sweep.
_IDENTITY = ("experiment", "sweep", "backend", "grid", "seeds", "run_seed", "setting")
#: The value of an identity field in a manifest written before the field existed.
# a store written before settings were recorded, or with the paper's default setting, holds "setting": null
_IDENTITY_DEFAULTS = {"run_seed": 0, "setting": None}


def _read_json(path: Path) -> Any:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)


class SweepStore:
    """A sweep's directory: its manifest and the records written so far.

    Use :meth:`open` to create or reuse a store for a sweep (checking that it is the
    same sweep) and :meth:`existing` to read one back.
    """

    def __init__(self, path: Path, manifest: dict[str, Any]):
        from featlearn.experiments._checks import check_path

        path = check_path(path, "path")
        if not isinstance(manifest, dict):
            raise TypeError(f"manifest: expected a dict, got {type(manifest).__name__}")
        missing = [k for k in ("grid", "seeds") if k not in manifest]
        if missing:
            raise ValueError(f"manifest: missing {', '.join(missing)}")
        self.path = path
        self.manifest = manifest
        self.tasks: list[Task] = make_tasks(manifest["grid"], manifest["seeds"])
        self._task_ids = frozenset(t.id for t in self.tasks)

    # -- construction ------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike, manifest: dict[str, Any]) -> "SweepStore":
        """Create the store at ``path`` or reuse it if it holds the same sweep.

        Raises
        ------
        ValueError
            If the directory holds a store of another format version, or of a different
            sweep name, experiment, backend, grid, seeds or run seed.
        """
        from featlearn.experiments._checks import check_path

        path = check_path(path, "path")
        if not isinstance(manifest, dict):
            raise TypeError(f"manifest: expected a dict, got {type(manifest).__name__}")
        missing = [k for k in ("sweep", "experiment", "backend", "grid", "seeds") if k not in manifest]
        if missing:
            raise ValueError(f"manifest: missing {', '.join(missing)} (a sweep's manifest names its sweep, "
                             f"experiment, backend, grid and seeds)")
        path = Path(path)
        mpath = path / "manifest.json"
        if mpath.exists():
            old = cls._read_manifest(path)
            for key in _IDENTITY:
                stored, given = (m.get(key, _IDENTITY_DEFAULTS.get(key)) for m in (old, manifest))
                if stored != given:
                    raise ValueError(
                        f"store: {path} holds a sweep with a different {key} "
                        f"(stored {json.dumps(stored)}, given {json.dumps(given)}); "
                        "use another directory, or the same sweep definition to resume it")
            (path / "cells").mkdir(exist_ok=True)
            return cls(path, old)
        if path.exists() and not path.is_dir():
            raise ValueError(f"store: {path} exists and is not a directory")
        (path / "cells").mkdir(parents=True, exist_ok=True)
        full = {"format": STORE_FORMAT, "format_version": STORE_FORMAT_VERSION, **manifest,
                "created": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        write_json(mpath, full)
        return cls(path, full)

    @classmethod
    def existing(cls, path: str | os.PathLike) -> "SweepStore":
        """An existing store, read back (``ValueError`` if there is none at ``path``)."""
        from featlearn.experiments._checks import check_path

        path = check_path(path, "path")
        return cls(path, cls._read_manifest(path))

    @staticmethod
    def _read_manifest(path: Path) -> dict[str, Any]:
        mpath = path / "manifest.json"
        if not mpath.is_file():
            raise ValueError(f"store: no sweep store at {path} (missing manifest.json)")
        try:
            man = _read_json(mpath)
        except (OSError, ValueError) as exc:
            raise ValueError(f"store: cannot read {mpath}: {exc}") from None
        if not isinstance(man, dict) or man.get("format") != STORE_FORMAT:
            raise ValueError(f"store: {mpath} is not a featlearn sweep manifest (format != {STORE_FORMAT!r})")
        version = man.get("format_version")
        if version != STORE_FORMAT_VERSION:
            raise ValueError(f"store: {path} was written with store format version {version!r}; this featlearn "
                             f"reads version {STORE_FORMAT_VERSION}. Use a new directory (or an older featlearn).")
        missing = [k for k in _IDENTITY if k not in man]
        if missing:
            raise ValueError(f"store: {mpath} lacks {', '.join(missing)}")
        return man

    # -- records -----------------------------------------------------------------------
    def record_path(self, task_id: str) -> Path:
        """Where the record of ``task_id`` (one of this sweep's tasks) lives."""
        if not isinstance(task_id, str):
            raise TypeError(f"task_id: expected a str, got {type(task_id).__name__}")
        if task_id not in self._task_ids:
            raise ValueError(f"task_id: {task_id!r} is not a task of sweep {self.manifest.get('sweep')!r} "
                             f"({len(self.tasks)} tasks)")
        return self.path / "cells" / f"{task_id}.json"

    def read(self, task_id: str, *, strict: bool = True) -> dict[str, Any] | None:
        """The record of a task, or ``None`` if it has none yet.

        With ``strict=False`` an unreadable record is also ``None`` (the sweep recomputes
        and overwrites it); with ``strict=True`` it raises ``ValueError`` naming the file.
        """
        from featlearn.experiments._checks import check_flag

        check_flag(strict, "strict")
        p = self.record_path(task_id)
        try:
            rec = _read_json(p)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            if not strict:
                return None
            raise ValueError(f"store: record {p} is unreadable ({exc}); re-run the sweep to recompute it") from None
        if not isinstance(rec, dict) or rec.get("cell") != task_id:
            if not strict:
                return None
            raise ValueError(f"store: record {p} does not belong to task {task_id}")
        return rec

    def write(self, record: dict[str, Any]) -> Path:
        """Write one task's record atomically (``record["cell"]`` names its task)."""
        if not isinstance(record, dict):
            raise TypeError(f"record: expected a dict, got {type(record).__name__}")
        if "cell" not in record:
            raise ValueError("record: missing 'cell' (the id of the task it records)")
        return write_json(self.record_path(record["cell"]), record)

    def records(self) -> list[dict[str, Any]]:
        """Every record written so far, in sweep order (cells in grid order, seeds fastest)."""
        out = []
        for t in self.tasks:
            rec = self.read(t.id)
            if rec is not None:
                out.append(rec)
        return out
