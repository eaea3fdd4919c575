"""``featlearn check`` on the experiment engine: every claim runs through the resumable sweep store.

* A claim that measures on its own (``fn(ctx) -> Outcome``) runs as a one-cell sweep whose
  record holds the serialised :class:`~featlearn.claims.Outcome`.
* A claim that reads a registered experiment (``experiment="name"``) gets that experiment's
  sweep at the check's scale; each experiment's sweep runs once however many claims read it.

All sweeps of one check live under one store directory (a temporary one by default, or
``store=DIR`` to keep it): a killed check re-run with the same ``store`` recomputes nothing it
finished. With ``workers``/``scheduler`` the cells run on Dask.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence

from featlearn.claims._registry import REGISTRY, Claim, ClaimResult, Outcome, evaluate_claim, make_context
from featlearn.experiments._registry import get_experiment
from featlearn.experiments._sweep import check_backend, check_executor, run_sweep
from featlearn.output import to_jsonable

__all__ = ["claim_cell", "outcome_from_json", "outcome_to_json", "run_check", "sweep_seeds"]

#: Parameters of the one-cell sweep that runs a self-measuring claim.
CLAIM_CELL_PARAMS = ("claim", "module", "function", "scale")


def sweep_seeds(seeds: Sequence[int], check_seed: int) -> list[int]:
    """The seeds an experiment sweep runs with under ``featlearn check --seed check_seed``.

    Seed 0 gives the experiment's registered seeds; seed ``s`` shifts them by ``1000·s`` so that
    every check seed sees an independent set of replicates.
    """
    return [int(s) + 1000 * int(check_seed) for s in seeds]


def outcome_to_json(o: Outcome) -> str:
    """An Outcome as a JSON string (a record's measured value); NaN survives as ``NaN``."""
    pred = list(o.predicted) if isinstance(o.predicted, tuple) else o.predicted
    return json.dumps({"predicted": to_jsonable(pred) if not isinstance(pred, float) else pred,
                       "measured": float(o.measured), "tolerance": float(o.tolerance),
                       "comparison": o.comparison, "details": to_jsonable(o.details)})


def outcome_from_json(text: str) -> Outcome:
    """The inverse of :func:`outcome_to_json`."""
    d = json.loads(text)
    pred = d["predicted"]
    pred = tuple(float(v) for v in pred) if isinstance(pred, list) else float(pred if pred is not None else math.nan)
    return Outcome(predicted=pred, measured=float(d["measured"]), tolerance=float(d["tolerance"]),
                   comparison=d["comparison"], details=d.get("details") or {})


def claim_cell(params: dict, seed: int, backend: str, device: Any) -> dict[str, Any]:
    """The cell of a self-measuring claim: import its function by name, run it, return the Outcome.

    The function is found by module and qualified name, so the cell runs in any process that can
    import featlearn (a Dask worker included) without pickling the claim.
    """
    registered = REGISTRY.get(params["claim"])
    if registered is not None and registered.fn.__module__ == params["module"] \
            and registered.fn.__qualname__ == params["function"]:
        fn = registered.fn  # this process registered it (serial runs; also claims defined in a closure)
    else:  # a fresh worker process: importing the claim's module registers it
        fn = importlib.import_module(params["module"])
        for part in params["function"].split("."):
            fn = getattr(fn, part)
    ctx = make_context(backend=backend, scale=params["scale"], seed=seed, device=device)
    out = fn(ctx)
    if not isinstance(out, Outcome):
        raise TypeError(f"claim {params['claim']} returned {type(out).__name__}, expected Outcome")
    return {"outcome": outcome_to_json(out)}


def _first_error(records: list[dict]) -> str | None:
    bad = [r for r in records if r.get("status") != "ok"]
    if not bad:
        return None
    return f"{len(bad)} of {len(records)} sweep cell(s) failed; first: {bad[0].get('error')}"


def run_check(claims: Sequence[Claim], *, backend: str = "numpy", scale: str = "quick", seed: int = 0,
              device: Any = None, store: str | os.PathLike | None = None, workers: int | None = None,
              scheduler: Any = None, progress: bool = True,
              on_result: Callable[[ClaimResult], None] | None = None,
              run: dict | None = None) -> list[ClaimResult]:
    """Run claims through the sweep store and return their results (in the order given).

    Parameters
    ----------
    claims : sequence of Claim
    backend, scale, seed, device
        As ``featlearn check``.
    store : path, optional
        Directory keeping every sweep of this check (created if missing). Re-running with the
        same directory resumes: finished cells are read back, not recomputed. Default: a
        temporary directory removed at the end.
    workers, scheduler : optional
        Run the cells on Dask (a new local cluster of ``workers`` processes, or an existing
        scheduler address/client).
    progress : bool
        Progress bars on stderr.
    on_result : callable, optional
        Called with each :class:`ClaimResult` as soon as it is known (e.g. to write partial
        output, so a crash keeps what was done).
    run : dict, optional
        What the run is (:func:`featlearn.run_info.run_info`), attached to every result.
    """
    backend = check_backend(backend)
    check_executor(workers, scheduler)
    ctx = make_context(backend=backend, scale=scale, seed=seed, device=device)
    tmp = None
    if store is None:
        tmp = tempfile.TemporaryDirectory(prefix="featlearn-check-")
        root = Path(tmp.name)
    else:
        root = Path(store)
        root.mkdir(parents=True, exist_ok=True)
    client = cluster = None
    if workers is not None:
        from featlearn.experiments._execute import distributed_module

        distributed = distributed_module()
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=":0")
        client = scheduler = distributed.Client(cluster, set_as_default=False)
        workers = None
    sweeps: dict[str, tuple[list[dict], float]] = {}
    results: list[ClaimResult] = []
    try:
        for c in claims:
            if scale not in c.scales:
                res = evaluate_claim(c, ctx, lambda: None)
            elif c.experiment is None:
                t0 = time.perf_counter()
                cell = {"claim": c.id, "module": c.fn.__module__, "function": c.fn.__qualname__, "scale": scale}
                sw = run_sweep(claim_cell, grid=[cell], seeds=[seed], params=CLAIM_CELL_PARAMS,
                               store=root / f"claim-{c.id}-{scale}-{backend}-seed{seed}",
                               name=f"claim:{c.id}", backend=backend, device=device, scheduler=scheduler,
                               progress=False)
                rec = sw.records[0]
                took = float(rec.get("wall_time") or (time.perf_counter() - t0))

                def measure(rec=rec):
                    if rec.get("status") != "ok":
                        raise RuntimeError(rec.get("error") or "the claim's cell failed")
                    return outcome_from_json(rec["outcome"])

                res = evaluate_claim(c, ctx, measure, seconds=took)
            else:
                if c.experiment not in sweeps:
                    exp = get_experiment(c.experiment)
                    sw = run_sweep(exp, grid=exp.grids[scale], seeds=sweep_seeds(exp.seeds[scale], seed),
                                   store=root / f"experiment-{exp.name}-{scale}-{backend}-seed{seed}",
                                   name=f"{exp.name}-{scale}", backend=backend, device=device,
                                   scheduler=scheduler, progress=progress)
                    took = sum(float(r.get("wall_time") or 0.0) for r in sw.records
                               if isinstance(r.get("wall_time"), (int, float)) and math.isfinite(r["wall_time"]))
                    sweeps[c.experiment] = (sw.records, took)
                records, took = sweeps[c.experiment]
                err = _first_error(records)

                def measure(records=records, err=err, c=c):
                    if err is not None:
                        raise RuntimeError(err)
                    return c.fn(ctx, [r for r in records if r.get("status") == "ok"])

                res = evaluate_claim(c, ctx, measure, seconds=took)
                res.records = [r for r in records if r.get("status") == "ok"]
            res.run = run
            results.append(res)
            if on_result is not None:
                on_result(res)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        if tmp is not None:
            tmp.cleanup()
    return results
