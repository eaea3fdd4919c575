"""``featlearn check --workers 2`` with one worker SIGKILLed mid-cell gives the serial run's verdicts exactly.

Real claims at quick scale (``ndl23.feature-correlation-curve`` and ``ndl23.loss-falls-as-correlation-rises``,
which read the 16-cell ``ndl23-curves`` sweep). The Dask run goes
through ``_check_dask_events.py``, which is ``featlearn check`` with a worker plugin logging which worker
process executes which task; the test SIGKILLs a worker process while it executes a cell, then checks that
the Dask nanny's restart and the scheduler's rescheduling lost and duplicated nothing: exit status 0, every
result of ``--json`` (verdict, measured value, details, ...) equal to the serial run's, and the killed task
finished on another worker process.

Dask starts its worker processes with one BLAS/OpenMP thread (``distributed.nanny.pre-spawn-environ``), and a
BLAS reduction on two threads sums in another order: the serial reference therefore runs with the same
environment, else the measured values differ in their last bits whether or not a worker dies (on
``cui24-one-step`` by ~1e-15 relative, with the same verdicts).

About a minute on a loaded 2-core machine (process and cluster start-up dominate).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("distributed")
pytest.importorskip("psutil")  # distributed needs it; asserted here so the skip reason is clear

HELPER = Path(__file__).with_name("_check_dask_events.py")
ONLY = "ndl23.[fl]*"
#: The single-threaded BLAS/OpenMP of Dask's worker processes.
ONE_THREAD = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
#: Fields of a --json result that legitimately differ between runs.
VOLATILE = ("seconds", "run")
#: Fields of a cell's record that legitimately differ between runs.
VOLATILE_RECORD = ("wall_time", "worker", "finished_at")


def _check_args(out: Path) -> list[str]:
    return ["--scale", "quick", "--only", ONLY, "--json", str(out / "check.json"), "--store", str(out / "store"),
            "--quiet"]


def _cells(out: Path) -> dict[str, dict]:
    """Every cell record in the run's store, by sweep directory and cell id, without the volatile fields."""
    return {f"{p.parent.parent.name}/{p.stem}": {k: v for k, v in json.loads(p.read_text()).items()
                                                 if k not in VOLATILE_RECORD}
            for p in sorted((out / "store").glob("*/cells/*.json"))}


def _results(path: Path) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in json.loads(path.read_text())]


def _events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.endswith("}")]  # a line being written is left for later


def _running(events: list[dict]) -> dict[int, str]:
    """Worker pid → the task it executes now (started, not finished)."""
    running: dict[int, str] = {}
    for e in events:
        if e["state"] == "executing":
            running[e["pid"]] = e["key"]
        elif e["state"] in ("memory", "error") and running.get(e["pid"]) == e["key"]:
            del running[e["pid"]]
    return running


def test_killed_worker_gives_the_serial_verdicts(tmp_path):
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    serial = subprocess.run([sys.executable, "-m", "featlearn", "check", *_check_args(tmp_path / "serial")],
                            capture_output=True, text=True, timeout=300, env={**env, **ONE_THREAD})
    assert serial.returncode == 0, serial.stdout + serial.stderr

    events = tmp_path / "events.jsonl"
    proc = subprocess.Popen([sys.executable, str(HELPER), str(events), *_check_args(tmp_path / "dask"),
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 240
        victim = None
        while victim is None:
            assert proc.poll() is None, f"check ended before a worker was killed: {proc.communicate()}"
            assert time.monotonic() < deadline, "no worker executed a cell"
            ev = _events(events)
            done = sum(e["state"] == "memory" for e in ev)
            running = _running(ev)
            if done >= 2 and running:  # mid-run: cells finished before, a cell executing now
                victim = next(iter(running))
                os.kill(victim, signal.SIGKILL)
            else:
                time.sleep(0.05)
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, out + err

    ev = _events(events)
    pids = {e["pid"] for e in ev}
    assert victim in pids and len(pids) >= 3, pids  # the killed worker, the other one, the nanny's restart
    last = max(i for i, e in enumerate(ev) if e["pid"] == victim)
    killed = [e["key"] for e in ev[:last + 1] if e["pid"] == victim and e["state"] == "executing"
              and not any(f["pid"] == victim and f["key"] == e["key"] and f["state"] == "memory" for f in ev)]
    assert killed, "the killed worker was executing no task"  # the kill interrupted a cell
    for key in killed:  # ... which then ran again, to completion, on another worker process
        assert any(e["key"] == key and e["state"] == "memory" and e["pid"] != victim for e in ev), key
    assert not any(e["state"] == "error" for e in ev)

    # nothing lost or duplicated: the same cells, with the same measured values, in the two stores
    cells = _cells(tmp_path / "dask")
    assert len(cells) == 16 and cells == _cells(tmp_path / "serial")
    dask, ref = _results(tmp_path / "dask" / "check.json"), _results(tmp_path / "serial" / "check.json")
    assert [r["id"] for r in dask] == [r["id"] for r in ref]
    assert all(r["verdict"] == "pass" for r in ref), [(r["id"], r["verdict"]) for r in ref]
    assert dask == ref  # verdicts, measured values, details: identical
