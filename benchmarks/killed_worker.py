"""`featlearn check --workers 2` with one Dask worker SIGKILLed part-way, against the serial run.

    python benchmarks/killed_worker.py [--scale paper] [--kill-after-seconds S] [--kill-after-records K]
                                       [--workdir DIR] [--serial-json PATH] [--out-name NAME]

1. The serial reference: ``featlearn check --scale SCALE --json`` (reused from ``--serial-json``, default
   ``WORKDIR/serial-SCALE.json``, when that file is a complete run of the same source tree, scale, seed and
   backend, made with the same BLAS threads). It runs with one BLAS/OpenMP thread, as Dask starts its worker
   processes (``distributed.nanny.pre-spawn-environ``): a BLAS reduction on two threads sums in another order,
   and the measured values would differ in their last bits whether or not a worker dies
   (``--serial-blas-threads 0`` leaves the environment as it is, to see that difference).
2. The Dask run: ``featlearn check --scale SCALE --workers 2 --json``, through
   ``tests/experiments/_check_dask_events.py`` (a worker plugin logs which worker process executes which task).
   Once S seconds have passed and K tasks have finished, the first worker process found executing a task that
   started at least a second ago is SIGKILLed (once).
3. Compare the two ``--json`` results (every field but ``seconds`` and ``run``) and write
   ``benchmarks/results/NAME.{md,json}``: commit, date, which worker was killed when, the tasks it was
   executing and where they ran again, verdict-table equality, wall times.

Exit status: 0 when the results are identical and a worker was killed mid-task; 1 when a verdict differs
(or, with the default one-thread serial run, any compared field); 2 when the kill did not happen (the run
ended first), no killed task was rerun, or a run wrote no JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELPER = ROOT / "tests" / "experiments" / "_check_dask_events.py"
VOLATILE = ("seconds", "run")


def log(msg: str) -> None:
    print(f"[{datetime.now(timezone.utc).strftime('%H:%M:%S')}] {msg}", flush=True)


def events(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.endswith("}")]


def running(ev: list[dict]) -> dict[int, dict]:
    """Worker pid → the executing event of the task it runs now."""
    now: dict[int, dict] = {}
    for e in ev:
        if e["state"] == "executing":
            now[e["pid"]] = e
        elif e["state"] in ("memory", "error") and now.get(e["pid"], {}).get("key") == e["key"]:
            del now[e["pid"]]
    return now


def stable(results: list[dict]) -> list[dict]:
    return [{k: v for k, v in r.items() if k not in VOLATILE} for r in results]


def blas_env(threads: int) -> dict[str, str]:
    if threads <= 0:
        return dict(os.environ)
    return {**os.environ, **{k: str(threads) for k in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")}}


def meta_path(path: Path) -> Path:
    return path.with_suffix(".meta.json")


def reusable(path: Path, args) -> bool:
    """Whether ``path`` is a complete serial run of this source tree at this scale, seed, backend and BLAS threads."""
    if not path.exists() or not meta_path(path).exists():
        return False
    if json.loads(meta_path(path).read_text()).get("blas_threads") != args.serial_blas_threads:
        return False
    try:
        res = json.loads(path.read_text())
    except ValueError:
        return False
    runs = [r.get("run") or {} for r in res]
    from featlearn.run_info import run_info

    here = run_info(backend="numpy", scale=args.scale, seed=0, device=None, argv=[])
    return bool(res) and all(r.get("complete") and r.get("source_sha256") == here["source_sha256"]
                             and r.get("scale") == args.scale and r.get("seed") == 0
                             and r.get("backend") == "numpy" for r in runs)


def run_serial(args, path: Path) -> float | None:
    cmd = [sys.executable, "-m", "featlearn", "check", "--scale", args.scale, "--json", str(path), "--quiet",
           *(["--only", args.only] if args.only else [])]
    log(f"serial run: {' '.join(cmd[1:])}")
    t0 = time.monotonic()
    with open(args.workdir / "serial.log", "w") as fh:
        rc = subprocess.call(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT,
                             env=blas_env(args.serial_blas_threads))
    wall = time.monotonic() - t0
    log(f"serial run: exit status {rc} after {wall:.0f} s")
    meta_path(path).write_text(json.dumps({"blas_threads": args.serial_blas_threads, "wall_s": round(wall, 1),
                                           "returncode": rc}) + "\n")
    return wall if path.exists() else None


def run_dask(args, path: Path) -> dict:
    ev_path = args.workdir / "events.jsonl"
    ev_path.unlink(missing_ok=True)
    cmd = [sys.executable, str(HELPER), str(ev_path), "--scale", args.scale, "--workers", "2", "--json", str(path),
           "--quiet", *(["--only", args.only] if args.only else [])]
    log(f"dask run: {' '.join(cmd[1:])}")
    t0 = time.monotonic()
    kill = None
    with open(args.workdir / "dask.log", "w") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            while proc.poll() is None:
                time.sleep(0.2)
                if kill is not None or time.monotonic() - t0 < args.kill_after_seconds:
                    continue
                ev = events(ev_path)
                done = sum(e["state"] == "memory" for e in ev)
                if done < args.kill_after_records:
                    continue
                busy = [e for e in running(ev).values() if time.time() - e["t"] >= 1.0]
                if busy:
                    victim = busy[0]
                    os.kill(victim["pid"], signal.SIGKILL)
                    kill = {"pid": victim["pid"], "worker": victim["worker"], "key": victim["key"],
                            "seconds_into_run": round(time.monotonic() - t0, 1),
                            "task_running_for_s": round(time.time() - victim["t"], 1),
                            "tasks_finished_before": done,
                            "t": time.time(), "at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
                    log(f"SIGKILL worker pid {kill['pid']} ({kill['worker']}), {kill['seconds_into_run']} s into "
                        f"the run, executing {kill['key']} for {kill['task_running_for_s']} s; {done} tasks done")
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    wall = time.monotonic() - t0
    log(f"dask run: exit status {proc.returncode} after {wall:.0f} s")
    ev = events(ev_path)
    info = {"returncode": proc.returncode, "wall_s": round(wall, 1), "kill": kill,
            "worker_processes": sorted({e["pid"] for e in ev}), "tasks_finished": sum(e["state"] == "memory" for e in ev),
            "task_errors": sum(e["state"] == "error" for e in ev)}
    if kill is not None:
        victim = kill["pid"]
        finished_on_victim = {e["key"] for e in ev if e["pid"] == victim and e["state"] == "memory"}
        interrupted = sorted({e["key"] for e in ev if e["pid"] == victim and e["state"] == "executing"}
                             - finished_on_victim)
        info["interrupted_tasks"] = [{"key": k, "reran_on": sorted({e["worker"] for e in ev if e["key"] == k
                                                                    and e["state"] == "memory"
                                                                    and e["pid"] != victim})}
                                     for k in interrupted]
        info["tasks_rescheduled"] = sum(bool(t["reran_on"]) for t in info["interrupted_tasks"])
        info["new_worker_processes"] = sorted({e["pid"] for e in ev if e["state"] == "started"
                                               and e["t"] > kill["t"]})
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", default="paper", choices=("quick", "paper"))
    ap.add_argument("--only", default=None, help="claim id pattern (default: every claim)")
    ap.add_argument("--kill-after-seconds", type=float, default=None,
                    help="kill no earlier than this (default 300 at paper scale, 15 at quick scale)")
    ap.add_argument("--kill-after-records", type=int, default=3, help="... and once this many tasks finished")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/featlearn-killed-worker"))
    ap.add_argument("--serial-json", type=Path, default=None, help="default WORKDIR/serial-SCALE.json")
    ap.add_argument("--serial-blas-threads", type=int, default=1,
                    help="BLAS/OpenMP threads of the serial run (default 1, as Dask's workers; 0: leave as is)")
    ap.add_argument("--out-name", default=None, help="default killed_worker_SCALE_numpy")
    args = ap.parse_args()
    if args.kill_after_seconds is None:
        args.kill_after_seconds = 300.0 if args.scale == "paper" else 15.0
    args.workdir.mkdir(parents=True, exist_ok=True)
    serial_json = args.serial_json or args.workdir / f"serial-{args.scale}.json"
    dask_json = args.workdir / f"dask-{args.scale}.json"
    dask_json.unlink(missing_ok=True)
    out = ROOT / "benchmarks" / "results" / (args.out_name or f"killed_worker_{args.scale}_numpy")

    sys.path.insert(0, str(ROOT))
    if reusable(serial_json, args) and not args.only:
        log(f"serial run: reusing {serial_json} (complete, same source tree, scale, seed and backend)")
        serial_wall, serial_reused = None, True
    else:
        serial_json.unlink(missing_ok=True)
        serial_wall, serial_reused = run_serial(args, serial_json), False
    load_before = os.getloadavg()
    dask = run_dask(args, dask_json)
    dask["load_average_before_after"] = [round(load_before[0], 1), round(os.getloadavg()[0], 1)]
    if not serial_json.exists() or not dask_json.exists():
        log("a run wrote no JSON: see serial.log / dask.log in the work directory")
        return 2
    ref, got = json.loads(serial_json.read_text()), json.loads(dask_json.read_text())
    if serial_wall is None:
        serial_wall = json.loads(meta_path(serial_json).read_text())["wall_s"]
    by_id = {r["id"]: r for r in got}
    rows, same_all = [], [r["id"] for r in ref] == [r["id"] for r in got]
    same_verdicts, max_rel = same_all, 0.0
    for r in ref:
        d = by_id.get(r["id"], {})
        same = stable([r]) == stable([d]) if d else False
        same_all &= same
        same_verdicts &= r["verdict"] == d.get("verdict")
        a, b = r.get("measured"), d.get("measured")
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) and a != b:
            max_rel = max(max_rel, abs(a - b) / max(abs(a), abs(b)))
        rows.append({"id": r["id"], "serial_verdict": r["verdict"], "dask_verdict": d.get("verdict"),
                     "serial_measured": r.get("measured"), "dask_measured": d.get("measured"), "identical": same})
    run = (ref[0].get("run") or {}) if ref else {}
    report = {"commit": run.get("git_commit"), "source_sha256": run.get("source_sha256"),
              "date": datetime.now(timezone.utc).isoformat(timespec="seconds"), "scale": args.scale,
              "machine": run.get("machine"), "only": args.only,
              "serial": {"wall_s": round(serial_wall, 1), "reused": serial_reused,
                         "blas_threads": args.serial_blas_threads or "environment",
                         "returncode_note": "exit 1 only means a claim failed; results are compared either way"},
              "dask": dask, "claims": len(rows), "identical": same_all, "verdicts_identical": same_verdicts,
              "max_relative_difference_of_measured": max_rel, "rows": rows}
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    k = dask["kill"]
    md = [f"# `featlearn check --scale {args.scale} --workers 2` with a worker SIGKILLed, against the serial run",
          "", f"- commit `{report['commit']}` (source sha256 `{(report['source_sha256'] or '')[:16]}…`), "
          f"{report['date']}, {report['machine']}",
          f"- serial run: wall {serial_wall:.0f} s{' (reused: same source tree)' if serial_reused else ''}, "
          f"BLAS/OpenMP threads: {args.serial_blas_threads or 'as the environment has them'}",
          f"- Dask run (2 workers): wall {dask['wall_s']:.0f} s, exit status {dask['returncode']}, "
          f"{dask['tasks_finished']} task completions, {dask['task_errors']} task errors, "
          f"worker processes {dask['worker_processes']}; 1-min load average before/after it "
          f"{dask['load_average_before_after']} (wall times are only comparable on an idle machine)"]
    if k:
        md += [f"- killed: worker pid {k['pid']} ({k['worker']}) at {k['at']}, {k['seconds_into_run']} s into the "
               f"run, {k['tasks_finished_before']} tasks finished before; it had been executing `{k['key']}` "
               f"for {k['task_running_for_s']} s",
               f"- tasks interrupted by the kill: {len(dask['interrupted_tasks'])}, rescheduled and finished on "
               f"another worker: {dask['tasks_rescheduled']} "
               f"({'; '.join(t['key'] + ' → ' + ', '.join(t['reran_on']) for t in dask['interrupted_tasks'])}); "
               f"worker processes started after the kill (nanny restart): {dask['new_worker_processes']}"]
    else:
        md += ["- **no worker was killed**: the run finished before the kill condition held"]
    md += [f"- verdicts identical: **{'yes' if same_verdicts else 'NO'}**; results identical (every `--json` field "
           f"but `seconds` and `run`): **{'yes' if same_all else 'NO'}**; largest relative difference of a measured "
           f"value: {max_rel:.3g}",
           "", "| claim | serial verdict | Dask verdict | serial measured | Dask measured | identical |",
           "|---|---|---|---|---|---|"]
    md += [f"| {r['id']} | {r['serial_verdict']} | {r['dask_verdict']} | {r['serial_measured']} | "
           f"{r['dask_measured']} | {'yes' if r['identical'] else '**no**'} |" for r in rows]
    out.with_suffix(".md").write_text("\n".join(md) + "\n")
    log(f"wrote {out.with_suffix('.md')} and .json: verdicts identical={same_verdicts}, results identical={same_all}, "
        f"killed={k is not None}")
    if not same_verdicts or (not same_all and args.serial_blas_threads == 1):
        return 1  # with one BLAS thread on both sides, any difference at all is a fault
    if k is None or not dask.get("tasks_rescheduled"):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
