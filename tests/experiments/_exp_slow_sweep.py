"""Helper for tests/test_experiments_kill.py: a sweep of slow cells, run as a subprocess and killed.

Usage::

    python tests/experiments/_exp_slow_sweep.py STORE MARKERS [--cells N] [--seeds S] [--sleep SECONDS] [--dask]
                                   [--slow-fsync SECONDS]

Every execution of a cell first writes a marker file ``MARKERS/x<x>-s<seed>.<random>.start``
(so the test counts how often each cell ran), then sleeps, then returns ``y = 10·x + seed``.
At the end the script prints one JSON line with the sweep's ``computed``/``skipped``/``failed``
counts. ``--dask`` runs on an in-process Dask LocalCluster of 2 workers. ``--slow-fsync``
makes every ``os.fsync`` sleep first, which widens the moment between a record's temporary
file being written and its ``os.replace``, so that a test can kill the sweep mid-write.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import uuid
from pathlib import Path

from featlearn.experiments import run_sweep


def slow_cell(params, ctx, *, markers: str, sleep: float):
    seed = ctx.replicate
    (Path(markers) / f"x{params['x']}-s{seed}.{uuid.uuid4().hex[:8]}.start").touch()
    time.sleep(sleep)
    return {"y": 10.0 * params["x"] + seed}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("store")
    ap.add_argument("markers")
    ap.add_argument("--cells", type=int, default=6)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--sleep", type=float, default=0.1)
    ap.add_argument("--dask", action="store_true")
    ap.add_argument("--slow-fsync", type=float, default=0.0)
    args = ap.parse_args()
    if args.slow_fsync:
        real_fsync = os.fsync

        def slow_fsync(fd):
            time.sleep(args.slow_fsync)
            real_fsync(fd)

        os.fsync = slow_fsync
    Path(args.markers).mkdir(parents=True, exist_ok=True)

    def fn(params, ctx):
        return slow_cell(params, ctx, markers=args.markers, sleep=args.sleep)

    kw = dict(grid={"x": list(range(args.cells))}, seeds=range(args.seeds), store=args.store, params=["x"],
              name="slow", progress=False)
    if args.dask:
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
                Client(cluster, set_as_default=False) as client:
            res = run_sweep(fn, scheduler=client, **kw)
    else:
        res = run_sweep(fn, **kw)
    print(json.dumps({"computed": res.computed, "skipped": res.skipped, "failed": res.failed}), flush=True)


if __name__ == "__main__":
    main()
