"""Helper for test_dask_killed_worker.py and benchmarks/killed_worker.sh: ``featlearn check`` with a task log.

    python tests/experiments/_check_dask_events.py EVENTS [check arguments ...]

Runs ``featlearn check ARGS`` in this process (as ``python -m featlearn check ARGS`` would), with
every Dask worker of its ``--workers N`` LocalCluster carrying a worker plugin that appends one
JSON line to EVENTS per task it starts or finishes::

    {"pid": 4711, "worker": "tcp://127.0.0.1:40123", "key": "run_task-...", "state": "executing", "t": ...}

(``state`` is ``executing``, ``memory`` or ``error``; a ``"state": "started"`` line with no key
when a worker process comes up). Whoever watches EVENTS knows which worker process runs which
task right now, so it can SIGKILL one mid-cell and afterwards see where the task ran again.
Nothing else of the check changes: the plugin only observes.
"""

from __future__ import annotations

import json
import os
import sys
import time

from distributed import LocalCluster, WorkerPlugin


class TaskEvents(WorkerPlugin):
    """Append a JSON line to ``path`` when a task starts executing or finishes on this worker."""

    name = "featlearn-test-task-events"

    def __init__(self, path: str):
        self.path = path
        self.address = None

    def _write(self, **fields) -> None:
        line = json.dumps({"pid": os.getpid(), "worker": self.address, **fields, "t": time.time()}) + "\n"
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, line.encode())  # one O_APPEND write: lines of several processes never interleave
        finally:
            os.close(fd)

    def setup(self, worker) -> None:
        self.address = worker.address
        self._write(key=None, state="started")

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish in ("executing", "memory", "error"):
            self._write(key=str(key), state=finish)


class EventLoggingCluster(LocalCluster):
    """A LocalCluster whose workers carry :class:`TaskEvents` (writing to ``$FEATLEARN_TEST_EVENTS``)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("plugins", (TaskEvents(os.environ["FEATLEARN_TEST_EVENTS"]),))
        super().__init__(*args, **kwargs)


def main() -> int:
    os.environ["FEATLEARN_TEST_EVENTS"] = os.path.abspath(sys.argv[1])
    import distributed

    distributed.LocalCluster = EventLoggingCluster  # what featlearn's Orchestrator starts for --workers
    from featlearn.cli import main as cli_main

    return cli_main(["check", *sys.argv[2:]])


if __name__ == "__main__":
    sys.exit(main())
