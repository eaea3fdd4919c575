"""Helper for test_check_kill.py: ``featlearn check --scale paper --store DIR`` on slow test claims.

    python tests/experiments/_check_slow_claims.py STORE MARKERS [--sleep SECONDS]

Registers a test paper ``zzkill`` with three self-measuring claims and one claim that reads a
four-cell experiment; every execution of a claim or cell leaves a marker file, so the test can
count executions across a SIGKILL and a re-run.
"""

from __future__ import annotations

import sys
import time
import uuid
from pathlib import Path

from featlearn.claims import Outcome, claim, register_paper
from featlearn.experiments import register_experiment

STORE, MARKERS = sys.argv[1], Path(sys.argv[2])
SLEEP = float(sys.argv[sys.argv.index("--sleep") + 1]) if "--sleep" in sys.argv else 0.3
MARKERS.mkdir(parents=True, exist_ok=True)

register_paper("zzkill", cite="test paper", title="kill and resume")


def _mark(name: str) -> None:
    (MARKERS / f"{name}.{uuid.uuid4().hex[:8]}.start").touch()
    time.sleep(SLEEP)


def _plain(i: int):
    def fn(ctx):
        _mark(f"claim{i}")
        return Outcome(predicted=float(i), measured=float(i), tolerance=0.0)
    fn.__qualname__ = f"plain_claim_{i}"
    claim(kind="identity", id=f"zzkill.plain-{i}", paper="zzkill", where="test", provenance="stated", statement="test",
          scales=("quick", "paper"))(fn)


for _i in range(3):
    _plain(_i)


def slow_cell(params, ctx):
    _mark(f"cell{params['x']}-s{ctx.replicate}")
    return {"y": float(params["x"])}


register_experiment("zzkill-sweep", slow_cell, grid={"quick": {"x": [0]}, "paper": {"x": [0, 1, 2, 3]}}, seeds=[0],
                    description="slow test sweep", paper="zzkill")


@claim(kind="identity", id="zzkill.sweep", paper="zzkill", where="test", provenance="stated", statement="test",
       experiment="zzkill-sweep")
def _sweep_claim(ctx, records):
    return Outcome(predicted=6.0, measured=sum(r["y"] for r in records), tolerance=0.0)


if __name__ == "__main__":
    from featlearn.cli import main

    sys.exit(main(["check", "--scale", "paper", "--store", STORE, "--only", "zzkill.*", "--quiet"]))
