"""``featlearn check --scale paper --store DIR``: killed and re-run, it recomputes nothing that finished."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

SCRIPT = Path(__file__).with_name("_check_slow_claims.py")


def _start(store: Path, markers: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(SCRIPT), str(store), str(markers), "--sleep", "0.3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finished_records(store: Path) -> int:
    return sum(1 for _ in store.glob("*/cells/*.json")) if store.is_dir() else 0


def _executions(markers: Path) -> Counter:
    return Counter(p.name.split(".")[0] for p in markers.glob("*.start"))


def test_killed_check_resumes_without_recomputing(tmp_path):
    store, markers = tmp_path / "store", tmp_path / "markers"
    proc = _start(store, markers)
    deadline = time.monotonic() + 60
    while _finished_records(store) < 4:  # 3 plain claims + 1 of the 4 sweep cells done
        assert proc.poll() is None, f"check ended before it was killed: {proc.communicate()}"
        assert time.monotonic() < deadline, "check made no progress"
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate()
    before = _executions(markers)
    assert sum(before.values()) >= 4
    proc = _start(store, markers)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, out + err
    assert "4/4 claims pass" in out
    after = _executions(markers)
    expected = {"claim0", "claim1", "claim2", "cell0-s0", "cell1-s0", "cell2-s0", "cell3-s0"}
    assert set(after) == expected
    # a task finished before the kill ran once; only a task the kill interrupted ran twice
    assert sum(after.values()) <= len(expected) + 1, after
    finished_before = {k for k in before if k.startswith("claim")}
    assert all(after[k] == 1 for k in finished_before), after
