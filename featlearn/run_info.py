"""What every output of featlearn records about the run that made it, so that it can be reproduced.

:func:`run_info` gathers the seed, scale, backend and its version, dtype, device, featlearn's version
and git commit (when the package runs from a checkout), the Python and NumPy versions, the
machine, start and end times and the exact command. ``featlearn check --json``, ``claims.json`` and
``report.md`` carry it; re-running the recorded ``command`` reproduces the record.
"""

from __future__ import annotations

import os
import platform
import shlex
import subprocess
import sys
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["git_commit", "now", "resource_usage", "run_info"]


def resource_usage(started: float) -> dict[str, float | None]:
    """Wall time since ``started`` (a ``time.perf_counter()`` value), CPU time and peak memory of this process
    and its finished children (e.g. Dask workers): ``wall_seconds``, ``cpu_seconds`` (user + system) and
    ``peak_rss_mib`` (the larger of the process's and its children's peak resident set; None where the
    platform has no ``resource`` module)."""
    import time

    from featlearn.validation import check_real

    started = check_real(started, "started")
    out: dict[str, float | None] = {"wall_seconds": round(time.perf_counter() - started, 1),
                                    "cpu_seconds": None, "peak_rss_mib": None}
    try:
        import resource
    except ImportError:  # not on Windows
        return out
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    out["cpu_seconds"] = round(me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime, 1)
    scale = 1.0 / 2**20 if sys.platform == "darwin" else 1.0 / 1024  # bytes on macOS, KiB on Linux
    out["peak_rss_mib"] = round(max(me.ru_maxrss, kids.ru_maxrss) * scale, 1)
    return out


def now() -> str:
    """The current UTC time, ISO 8601 to the second."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@lru_cache(maxsize=1)
def source_hash(package_dir: str | Path | None = None) -> str:
    """SHA-256 of featlearn's Python sources (every ``*.py`` under the package, by relative path and content).

    Identifies the code that ran when there is no git checkout (an installed package): two installs
    with the same hash ran the same code.
    """
    import hashlib

    root = Path(package_dir) if package_dir is not None else Path(__file__).resolve().parent
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        if "__pycache__" in f.parts:
            continue
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def git_commit() -> str | None:
    """The git commit of the code that runs (``+dirty`` if modified), or None when it cannot be known.

    From a source checkout, its HEAD. From an installed package, the HEAD of the git checkout in the
    current directory if (and only if) that checkout's ``featlearn/`` sources are byte-identical to the
    installed ones (the usual ``pip install .`` from a clone); otherwise None (``source_sha256`` still
    identifies the code).
    """
    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        try:
            top = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True,
                                      timeout=5, check=True).stdout.strip())
        except (OSError, subprocess.SubprocessError):
            return None
        if not (top / "featlearn").is_dir() or source_hash(top / "featlearn") != source_hash():
            return None
        root = top
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return sha + ("+dirty" if dirty else "")


def run_info(*, backend: str, scale: str | None = None, seed: int | None = None, device: Any = None,
             dtype: Any = None, argv: list[str] | None = None, started: str | None = None) -> dict[str, Any]:
    """A JSON-able record of the run: versions, backend, device, dtype, seed, scale, times, command."""
    import numpy

    import featlearn
    from featlearn.backends import available_backends, default_device, get_namespace, resolve_float_dtype

    from featlearn.backends import BACKEND_NAMES
    from featlearn.context import SCALES
    from featlearn.validation import check_choice, check_seed

    if not isinstance(backend, str):
        raise TypeError(f"backend: expected a backend name (str), got {type(backend).__name__}")
    check_choice(backend, "backend", BACKEND_NAMES)
    if scale is not None:
        check_choice(scale, "scale", SCALES)
    if seed is not None:
        seed = check_seed(seed)
    if argv is not None and (isinstance(argv, (str, bytes)) or not isinstance(argv, (list, tuple))
                             or not all(isinstance(a, str) for a in argv)):
        raise TypeError(f"argv: expected a list of str, got {type(argv).__name__}")
    if started is not None:
        if not isinstance(started, str):
            raise TypeError(f"started: expected an ISO 8601 time (str), got {type(started).__name__}")
        try:
            datetime.fromisoformat(started)
        except ValueError:
            raise ValueError(f"started: expected an ISO 8601 time, got {started!r}") from None
    versions = {b.name: b.version for b in available_backends()}
    try:
        xp = get_namespace(backend)
    except (ValueError, ImportError):  # a backend not usable here: recorded as given
        xp = None
    if xp is not None:
        dt = resolve_float_dtype(xp, dtype, device)  # a bad dtype or device raises, naming it
        dt = getattr(dt, "__name__", None) or str(dt).rsplit(".", 1)[-1]
        dev = str(device if device is not None else default_device(xp))
    else:
        dt, dev = str(dtype), str(device)
    args = list(sys.argv[1:] if argv is None else argv)
    return {
        "featlearn_version": featlearn.__version__,
        "git_commit": git_commit(),
        "source_sha256": source_hash(),
        "command": "featlearn " + " ".join(shlex.quote(a) for a in args),
        "backend": backend,
        "backend_version": versions.get(backend),
        "dtype": dt,
        "device": dev,
        "seed": seed,
        "scale": scale,
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "started": started or now(),
        "finished": None,
    }
