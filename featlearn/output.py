"""Everything featlearn writes to disk or prints as a table: atomic files, JSON, Markdown tables.

Atomic files (:func:`write_atomic`)
-----------------------------------
A file is written to a temporary file in the same directory (``.<name>.<random>.tmp``), flushed
and fsync'ed, then renamed over the target (``os.replace``). A reader therefore sees the previous
file or the new one, never a partial write, and a run killed at any moment (even by SIGKILL)
leaves each file complete or absent. Temporary files left by a kill start with ``.`` and end in
``.tmp``; readers ignore them. On an exception the temporary file is removed and the target is
untouched.

The NaN policy of JSON (:func:`to_jsonable`, :func:`write_json`)
----------------------------------------------------------------
Standard JSON (RFC 8259) has no NaN or infinity, so **every non-finite float (NaN, +inf, -inf)
is written as** ``null``. A measured value that is ``null`` in a JSON file is therefore "not a
finite number" (a claim with such a value never passes). Python's ``json`` would otherwise write
the non-standard tokens ``NaN``/``Infinity`` that other readers reject; :func:`write_json`
refuses them (``allow_nan=False``) after :func:`to_jsonable` has replaced them.

Markdown tables (:func:`markdown_table`)
----------------------------------------
GitHub-flavoured tables, every cell formatted by :func:`markdown_cell` (whitespace folded, ``|``
escaped, ``None`` shown as an em dash).
"""

from __future__ import annotations

import json
import math
import os
import uuid
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np

from featlearn.validation import check_int

__all__ = ["markdown_cell", "markdown_table", "to_jsonable", "write_atomic", "write_json"]


def _path(path: Any) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path: expected a str or os.PathLike, got {type(path).__name__}")
    return Path(path)


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` (text as UTF-8, or bytes) to ``path`` atomically; return the path.

    The parent directory is created if missing. See the module docstring for the guarantee.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_atomic(Path(d) / "a" / "note.txt", "hello")
    ...     p.read_text(), sorted(q.name for q in p.parent.iterdir())
    ('hello', ['note.txt'])
    """
    path = _path(path)
    if not isinstance(data, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"data: expected str or bytes, got {type(data).__name__}")
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def to_jsonable(obj: Any) -> Any:
    """``obj`` as plain JSON data, non-finite floats replaced by ``None`` (the one NaN policy).

    * mappings become dicts with ``str`` keys, lists/tuples become lists (recursively);
    * ``None``, ``bool`` and ``str`` are kept; integers (NumPy's too) become ``int``;
    * other real numbers (NumPy scalars, 0-d arrays of any backend) become ``float``, and
      NaN/±inf become ``None``;
    * arrays with a ``tolist`` method become (nested) lists, converted the same way;
    * anything else becomes its ``str``.

    Examples
    --------
    >>> to_jsonable({"a": float("nan"), 1: (2, float("inf"), "x"), "b": None})
    {'a': None, '1': [2, None, 'x'], 'b': None}
    >>> import numpy as np
    >>> to_jsonable([np.float32(0.5), np.int64(3), np.bool_(True), np.array([1.0, np.nan])])
    [0.5, 3, True, [1.0, None]]
    """
    if obj is None or isinstance(obj, (bool, str)):
        return obj
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.bool_):  # not an int subclass, unlike bool
        return bool(obj)
    if isinstance(obj, Integral):
        return int(obj)
    if isinstance(obj, Real) or (getattr(obj, "shape", None) == () and hasattr(obj, "__float__")):
        try:
            v = float(obj)
        except (TypeError, ValueError):
            return str(obj)
        return v if math.isfinite(v) else None
    if hasattr(obj, "tolist") and getattr(obj, "shape", None) is not None:
        return to_jsonable(obj.tolist())
    return str(obj)


def write_json(path: str | os.PathLike, obj: Any, *, indent: int = 1) -> Path:
    """Write ``obj`` as standard JSON to ``path``, atomically (:func:`write_atomic`); return the path.

    ``obj`` goes through :func:`to_jsonable` first: non-finite floats are written as ``null``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_json(Path(d) / "r.json", {"measured": float("nan"), "n": 3}).read_text()
    '{\\n "measured": null,\\n "n": 3\\n}'
    """
    path = _path(path)
    indent = check_int(indent, "indent", min_val=0, max_val=64)
    return write_atomic(path, json.dumps(to_jsonable(obj), indent=indent, allow_nan=False))


def markdown_cell(value: Any) -> str:
    """One table cell: ``None`` as ``—``, floats to 6 significant digits, sequences as ``[a, b]``;
    text with its whitespace folded to single spaces and ``|`` escaped.

    Examples
    --------
    >>> markdown_cell(None), markdown_cell(0.1234567), markdown_cell([1.0, None]), markdown_cell("a|b\\n c")
    ('—', '0.123457', '[1, —]', 'a\\\\|b c')
    """
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(markdown_cell(v) for v in value) + "]"
    return " ".join(str(value).split()).replace("|", "\\|")


def _cells(cells: Any, name: str) -> list:
    if isinstance(cells, (str, bytes, Mapping)) or not hasattr(cells, "__iter__"):
        raise TypeError(f"{name}: expected a sequence of cells, got {type(cells).__name__}")
    return list(cells)


def markdown_table(header: Sequence[Any], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table (no trailing newline); every cell, header included, through :func:`markdown_cell`.

    Examples
    --------
    >>> print(markdown_table(["claim", "measured"], [["`a.b`", 0.5], ["c|d", None]]))
    | claim | measured |
    |---|---|
    | `a.b` | 0.5 |
    | c\\|d | — |
    """
    header = _cells(header, "header")
    if isinstance(rows, (str, bytes)) or not hasattr(rows, "__iter__"):
        raise TypeError(f"rows: expected a sequence of rows, got {type(rows).__name__}")
    lines = ["| " + " | ".join(markdown_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    for i, row in enumerate(rows):
        row = _cells(row, f"rows[{i}]")
        if len(row) != len(header):
            raise ValueError(f"rows: expected {len(header)} cells per row, got {len(row)} in {row!r}")
        lines.append("| " + " | ".join(markdown_cell(c) for c in row) + " |")
    return "\n".join(lines)
