"""A sweep killed by SIGKILL at any moment resumes without losing, corrupting or recomputing a record.

Each test runs ``tests/experiments/_exp_slow_sweep.py`` (slow cells that leave one marker file per
execution) in a subprocess, SIGKILLs it part-way through a cell, checks what is on disk,
then re-runs it to completion and counts executions per cell.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from featlearn.experiments import load_sweep
from featlearn.experiments._spec import task_id

SCRIPT = Path(__file__).with_name("_exp_slow_sweep.py")
CELLS, SEEDS, SLEEP = 6, 2, 0.1
N_TASKS = CELLS * SEEDS


def _start(store: Path, markers: Path, *extra: str) -> subprocess.Popen:
    cmd = [sys.executable, str(SCRIPT), str(store), str(markers), "--cells", str(CELLS), "--seeds", str(SEEDS),
           "--sleep", str(SLEEP), *extra]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _records_on_disk(store: Path) -> dict[str, dict]:
    """Every record file in the store, parsed (a corrupt one fails the test here)."""
    cells = store / "cells"
    out = {}
    for p in sorted(cells.glob("*.json")) if cells.is_dir() else []:
        rec = json.loads(p.read_text())  # must parse: records are written atomically
        assert rec["cell"] == p.stem and rec["status"] == "ok"
        assert rec["y"] == 10.0 * rec["x"] + rec["seed"]
        out[p.stem] = rec
    return out


def _executions(markers: Path) -> Counter:
    """How many times each task started, by task id."""
    count: Counter = Counter()
    for p in markers.glob("*.start"):
        xs, ss = p.name.split(".")[0].split("-")
        count[task_id({"x": int(xs[1:])}, int(ss[1:]))] += 1
    return count


def _kill_after(proc: subprocess.Popen, store: Path, n_records: int, extra_delay: float) -> None:
    deadline = time.monotonic() + 30
    while len(list((store / "cells").glob("*.json")) if (store / "cells").is_dir() else []) < n_records:
        assert proc.poll() is None, f"sweep ended before it was killed: {proc.communicate()}"
        assert time.monotonic() < deadline, "sweep made no progress"
        time.sleep(0.005)
    time.sleep(extra_delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert proc.returncode == -signal.SIGKILL


def _finish(store: Path, markers: Path, *extra: str) -> dict:
    proc = _start(store, markers, *extra)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    return json.loads(out.strip().splitlines()[-1])


@pytest.mark.parametrize(("n_records", "extra_delay"), [(1, 0.0), (4, 0.05), (7, 0.093)])
def test_sigkill_serial_sweep_resumes_without_loss_or_recomputation(tmp_path, n_records, extra_delay):
    store, markers = tmp_path / "store", tmp_path / "markers"
    _kill_after(_start(store, markers), store, n_records, extra_delay)

    finished = _records_on_disk(store)  # every record on disk parses and is complete
    assert n_records <= len(finished) < N_TASKS
    started = _executions(markers)
    assert set(finished) <= set(started)
    # serial: at most the one cell in flight was started without being recorded
    assert sum(started.values()) - len(finished) <= 1

    summary = _finish(store, markers)
    assert summary == {"computed": N_TASKS - len(finished), "skipped": len(finished), "failed": 0}
    final = _records_on_disk(store)
    assert len(final) == N_TASKS
    runs = _executions(markers)
    for cid in finished:  # a cell finished before the kill never runs again
        assert runs[cid] == 1
        assert final[cid] == finished[cid]
    assert set(runs) == set(final)
    assert all(v <= 2 for v in runs.values())
    assert [r["y"] for r in load_sweep(store, as_frame=False)] == [10.0 * x + s for x in range(CELLS)
                                                                    for s in range(SEEDS)]


def test_sigkill_while_a_record_is_being_written(tmp_path):
    # every fsync sleeps 0.3 s: kill while a record's temporary file exists, before os.replace
    store, markers = tmp_path / "store", tmp_path / "markers"
    proc = _start(store, markers, "--slow-fsync", "0.3")
    deadline = time.monotonic() + 30
    while not (len(list(store.glob("cells/*.json"))) >= 2 and list(store.glob("cells/.*.tmp"))):
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()

    leftovers = list(store.glob("cells/.*.tmp"))
    assert leftovers, "the kill was meant to land between the temporary write and os.replace"
    finished = _records_on_disk(store)
    half_written = {p.name[1:].split(".json")[0] for p in leftovers}
    assert not half_written & set(finished)  # the cell being written has no record yet
    assert len(load_sweep(store, as_frame=False)) == len(finished)  # leftovers are ignored

    summary = _finish(store, markers)
    assert summary["skipped"] == len(finished) and summary["computed"] == N_TASKS - len(finished)
    assert len(_records_on_disk(store)) == N_TASKS
    runs = _executions(markers)
    assert all(runs[cid] == 1 for cid in finished)
    assert all(runs[cid] == 2 for cid in half_written)  # killed mid-write: computed again, once


def test_sigkill_dask_client_resumes_without_loss_or_recomputation(tmp_path):
    pytest.importorskip("distributed")
    store, markers = tmp_path / "store", tmp_path / "markers"
    _kill_after(_start(store, markers, "--dask"), store, 3, 0.04)

    finished = _records_on_disk(store)
    assert 3 <= len(finished) < N_TASKS
    summary = _finish(store, markers, "--dask")
    assert summary["skipped"] == len(finished) and summary["computed"] == N_TASKS - len(finished)
    final = _records_on_disk(store)
    assert len(final) == N_TASKS
    runs = _executions(markers)
    assert all(runs[cid] == 1 for cid in finished)
    assert all(final[cid] == finished[cid] for cid in finished)
