"""Sweeps on real Dask clusters give the same records as the serial executor.

The in-process cluster (``processes=False``) is shared by the module; one test starts a
``LocalCluster`` of 2 worker processes through ``workers=2``. Clusters and clients are
closed by the fixtures and by ``run_sweep`` itself, so no resource warnings leak.
"""

from __future__ import annotations

import pytest

from featlearn.experiments import load_sweep, run_sweep

distributed = pytest.importorskip("distributed")

#: Fields that legitimately differ between executors.
VOLATILE = ("wall_time", "worker", "finished_at")


def _stable(records):
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in records]


def cell(params, ctx):
    """A deterministic experiment that fails on one cell."""
    seed = ctx.replicate
    if params["x"] == 3 and seed == 1:
        raise ArithmeticError("x=3, seed=1 fails on purpose")
    from featlearn.backends import to_scalar

    g = ctx.rng("dask-test", params["x"])
    return {"y": params["x"] * 2.0 + seed, "draw": to_scalar(g.normal(3)[1])}


GRID = {"x": [1, 2, 3, 4], "tag": ["a", "b"]}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster, set_as_default=False) as c:
        yield c


def test_dask_records_match_serial_records(tmp_path, client):
    kw = dict(grid=GRID, seeds=[0, 1, 5], params=["x", "tag"], progress=False)
    serial = run_sweep(cell, store=tmp_path / "serial", **kw)
    dask = run_sweep(cell, store=tmp_path / "dask", scheduler=client, **kw)
    assert (dask.computed, dask.failed) == (24, 2) == (serial.computed, serial.failed)
    assert _stable(dask.records) == _stable(serial.records)
    assert {r["worker"] for r in dask.records} <= {w for w in client.scheduler_info()["workers"]}
    failed = [r for r in dask.records if r["status"] == "failed"]
    assert all(r["error"].startswith("ArithmeticError: x=3, seed=1 fails on purpose") for r in failed)


def test_dask_resumes_a_store_and_retries_failures(tmp_path, client):
    store = tmp_path / "s"
    kw = dict(grid=GRID, seeds=[0, 1], params=["x", "tag"], store=store, progress=False)
    first = run_sweep(cell, **kw)
    failed = {r["cell"] for r in first.records if r["status"] == "failed"}
    deleted = {p.stem for p in sorted((store / "cells").glob("*.json"))[:5]}
    for cid in deleted:
        (store / "cells" / f"{cid}.json").unlink()
    again = run_sweep(cell, scheduler=client, **kw)
    assert again.computed == len(deleted | failed) and again.skipped == 16 - again.computed
    assert _stable(again.records) == _stable(first.records)
    nothing = run_sweep(cell, scheduler=client, retry_failed=False, **kw)
    assert nothing.computed == 0  # and no task was submitted


def test_dask_scheduler_address_and_progress(tmp_path, client, capsys):
    res = run_sweep(cell, grid={"x": [1, 2]}, seeds=[0], params=["x"], store=tmp_path / "s",
                    scheduler=client.scheduler.address, progress=True)
    assert res.computed == 2 and res.failed == 0
    assert "2/2" in capsys.readouterr().err


def test_dask_local_cluster_of_worker_processes(tmp_path):
    kw = dict(grid={"n": [256, 1024], "k": [2, 3]}, seeds=[0, 1], progress=False)
    serial = run_sweep("hermite-mc", store=tmp_path / "serial", **kw)
    dask = run_sweep("hermite-mc", store=tmp_path / "dask", workers=2, **kw)
    assert dask.failed == 0 and dask.computed == 8
    assert _stable(dask.records) == _stable(serial.records)
    assert len({r["worker"] for r in dask.records}) >= 1
    assert _stable(load_sweep(tmp_path / "dask", as_frame=False)) == _stable(serial.records)


def test_lost_task_becomes_a_failed_record(tmp_path, client):
    # a task that errs outside the experiment (as when its worker dies): the cell is failed
    def fn(params, ctx):
        return {"y": 1.0}

    from featlearn.experiments import _execute

    real = _execute.run_task

    def run_task(fn_, task, meta):
        if task.params["x"] == 2:
            raise SystemError("worker lost")  # escapes run_task's own handling, like a dying worker
        return real(fn_, task, meta)

    try:
        _execute.run_task = run_task  # the in-process workers see the patched function
        res = run_sweep(fn, grid={"x": [1, 2, 3]}, seeds=[0], params=["x"], store=tmp_path / "s",
                        scheduler=client, progress=False)
    finally:
        _execute.run_task = real
    assert res.failed == 1 and res.computed == 3
    bad = [r for r in res.records if r["status"] == "failed"]
    assert bad[0]["x"] == 2 and bad[0]["error"].startswith("SystemError: worker lost")
    assert bad[0]["seed"] == 0 and bad[0]["backend"] == "numpy"


def test_dask_missing_is_a_clear_import_error(tmp_path, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ImportError, match=r"featlearn\[dask\]"):
        run_sweep(cell, grid={"x": [1]}, seeds=[0], store=tmp_path / "s", workers=2, progress=False)
