"""Running tasks: one cell's record, and the serial and Dask executors.

Executors never write to the store themselves: they hand each finished record to a
callback in the calling process, which writes it atomically. With Dask this means the
client writes records as futures complete (``distributed.as_completed``), so workers
need no access to the store's file system and a killed client loses at most the
records still in flight.
"""

from __future__ import annotations

import math
import os
import socket
import sys
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from featlearn.experiments._spec import RESERVED_KEYS, Task

Record = dict[str, Any]


# -- one task ----------------------------------------------------------------------------
def _device_label(backend: str, device: Any) -> str:
    if device is not None:
        return str(device)
    from featlearn.backends import default_device, get_namespace

    return str(default_device(get_namespace(backend)))


def _worker_label() -> str:
    if "distributed" in sys.modules:
        from distributed import get_worker

        try:
            return get_worker().address
        except ValueError:  # not running inside a Dask worker
            pass
    return f"{socket.gethostname()}:{os.getpid()}"


def _measured_value(name: str, value: Any) -> Any:
    import numpy as np

    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, float):
        return float(value)
    from featlearn.backends import to_scalar

    try:
        return to_scalar(value)  # NumPy scalars, 0-d arrays of any backend
    except (TypeError, ValueError):
        raise TypeError(f"measured value {name!r}: expected a number, bool, str or None, "
                        f"got {type(value).__name__}") from None


def _measured(out: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(out, Mapping):
        raise TypeError(f"the experiment returned {type(out).__name__}; expected a dict of measured values")
    res = {}
    for k, v in out.items():
        if not isinstance(k, str) or not k:
            raise TypeError(f"measured value names must be non-empty str, got {k!r}")
        if k in RESERVED_KEYS or k in params:
            raise ValueError(f"measured value {k!r} clashes with a parameter or record field; rename it")
        res[k] = _measured_value(k, v)
    return res


def _record(task: Task, meta: Mapping[str, Any], *, status: str, device: str, measured: Mapping[str, Any],
            wall_time: float, error: str | None) -> Record:
    import featlearn

    return {"sweep": meta["sweep"], "experiment": meta["experiment"], "cell": task.id, "status": status,
            **task.params, "seed": task.seed, "backend": meta["backend"], "device": device, **measured,
            "wall_time": wall_time, "featlearn_version": featlearn.__version__, "worker": _worker_label(),
            "finished_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "error": error}


def _error_text(exc: BaseException) -> str:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=8))
    return f"{exc.__class__.__name__}: {exc}\n{tb}"


def task_context(task: Task, meta: Mapping[str, Any]):
    """The :class:`~featlearn.context.RunContext` of one task: the run's, for the task's sweep seed."""
    from featlearn.context import make_context

    return make_context(backend=meta["backend"], scale=meta.get("scale", "quick"), seed=meta.get("run_seed", 0),
                        device=meta["device"], setting=meta.get("setting"), replicate=task.seed)


def run_task(fn: Callable, task: Task, meta: Mapping[str, Any]) -> Record:
    """Run the cell ``fn(params, ctx)`` for one task and return its flat record.

    An exception inside the experiment (or while building its context) gives a record with
    ``status="failed"`` and the error text (type, message, traceback) instead of propagating:
    one bad cell never stops a sweep. ``meta`` holds ``sweep``, ``experiment``, ``backend``,
    ``device``, ``scale``, ``run_seed`` and ``setting`` (see :func:`task_context`).
    """
    t0 = time.perf_counter()
    device = str(meta["device"]) if meta["device"] is not None else "default"
    try:
        device = _device_label(meta["backend"], meta["device"])
        out = fn(dict(task.params), task_context(task, meta))
        measured, status, error = _measured(out, task.params), "ok", None
    except Exception as exc:
        measured, status, error = {}, "failed", _error_text(exc)
    return _record(task, meta, status=status, device=device, measured=measured,
                   wall_time=time.perf_counter() - t0, error=error)


def failed_record(task: Task, meta: Mapping[str, Any], exc: BaseException) -> Record:
    """The record of a task whose execution failed outside the experiment (e.g. a lost worker)."""
    device = str(meta["device"]) if meta["device"] is not None else "default"
    return _record(task, meta, status="failed", device=device, measured={}, wall_time=math.nan,
                   error=_error_text(exc))


# -- executors ---------------------------------------------------------------------------
def run_serial(fn: Callable, tasks: Sequence[Task], meta: Mapping[str, Any],
               on_record: Callable[[Record], None]) -> None:
    """Run tasks one after the other in this process."""
    for task in tasks:
        on_record(run_task(fn, task, meta))


def distributed_module():
    try:
        import distributed
    except ImportError:
        raise ImportError("workers=/scheduler= need Dask distributed: pip install 'featlearn[dask]' "
                          "(or 'dask[distributed]')") from None
    return distributed


#: Seconds to wait for an existing Dask scheduler to answer (``scheduler=ADDRESS``).
CONNECT_TIMEOUT = 10.0


def connect(address: Any, *, timeout: float = CONNECT_TIMEOUT):
    """A ``distributed.Client`` on the scheduler at ``address``, or a one-line ``ConnectionError`` within ``timeout`` s.

    A malformed address is a ``ValueError`` naming it. Dask's own message (and its traceback) is
    reduced to one line.
    """
    distributed = distributed_module()
    if not isinstance(address, str) or not address.strip():
        raise ValueError(f"scheduler: expected an address such as 'tcp://127.0.0.1:8786' or a distributed.Client, "
                         f"got {address!r}")
    try:
        return distributed.Client(address, set_as_default=False, timeout=timeout)
    except (OSError, ValueError, TypeError) as exc:  # asyncio/Dask timeouts are OSError (TimeoutError)
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        if isinstance(exc, (ValueError, TypeError)):
            raise ValueError(f"scheduler: bad address {address!r}: {text}") from None
        raise ConnectionError(f"scheduler: cannot connect to the Dask scheduler at {address!r} "
                              f"within {timeout:g} s: {text}") from None


def run_dask(fn: Callable, tasks: Sequence[Task], meta: Mapping[str, Any], on_record: Callable[[Record], None],
             *, workers: int | None = None, scheduler: Any = None) -> None:
    """Run tasks on Dask: a new ``LocalCluster`` of ``workers`` processes, or an existing scheduler.

    ``scheduler`` is an address (``"tcp://host:8786"``) or a ``distributed.Client``
    (not closed here). Records come back to this process and are handed to ``on_record``
    as the futures complete; on any exception the remaining futures are cancelled and the
    cluster/client this function created are closed.
    """
    distributed = distributed_module()
    if not tasks:
        return  # nothing to do: start no cluster
    cluster = client = None
    own_client = True
    futures: list = []
    try:
        if isinstance(scheduler, distributed.Client):
            client, own_client = scheduler, False
        elif scheduler is not None:
            client = connect(scheduler)
        else:
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=":0")
            client = distributed.Client(cluster, set_as_default=False)
        by_key = {}
        for task in tasks:
            fut = client.submit(run_task, fn, task, dict(meta), pure=False)
            by_key[fut.key] = task
            futures.append(fut)
        for fut in distributed.as_completed(futures, loop=client.loop):
            try:
                rec = fut.result()
            except Exception as exc:  # lost worker, unpicklable function, ...: the task failed
                rec = failed_record(by_key[fut.key], meta, exc)
            on_record(rec)
            fut.release()
    finally:
        pending = [f for f in futures if not f.done()]
        if pending and client is not None:
            client.cancel(pending)
        if client is not None and own_client:
            client.close()
        if cluster is not None:
            cluster.close()
