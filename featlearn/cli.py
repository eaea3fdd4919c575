"""Command-line interface: ``featlearn check``, ``predict``, ``show``, ``claims``, ``experiments``, ``reproduce``,
``backends``.

``featlearn check`` runs the registered claims (each a paper's prediction vs a real run)
on one backend, prints a table and exits non-zero if any claim fails or errors.
``featlearn predict ID --set KEY=VALUE`` gives the theory's prediction on your setting without training;
``featlearn show ID`` explains a claim or an experiment in full.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import textwrap
import time
from pathlib import Path

from featlearn import __version__
from featlearn.output import markdown_table, write_json
from featlearn.validation import check_int, check_seed


def _fmt(v) -> str:
    if v is None:
        return "-"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_fmt(x) for x in v) + "]"
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        if v != 0 and (abs(v) >= 1e4 or abs(v) < 1e-3):
            return f"{v:.3e}"
        return f"{v:.4f}"
    return str(v)


#: Terminal width the tables fit (``--wide`` shows every column in full).
WIDTH = 100


def _table(rows: list[list[str]], header: list[str], *, width: int | None = None, shrink: int | None = None) -> str:
    """A plain-text table; with ``width``, column ``shrink`` is cut (with "…") so that each line fits."""
    rows = [[str(c) for c in r] for r in rows]
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    if width is not None and shrink is not None:
        excess = sum(widths) + 2 * (len(widths) - 1) - width
        if excess > 0:
            keep = max(len(header[shrink]), widths[shrink] - excess)
            widths[shrink] = keep
            rows = [[c if i != shrink or len(c) <= keep else c[:keep - 1] + "…" for i, c in enumerate(r)]
                    for r in rows]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)).rstrip(), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(out)


def _load() -> None:
    from featlearn.papers import load_papers

    load_papers()


def _parse_sets(items: list[str] | None) -> dict[str, str]:
    """``--set KEY=VALUE`` options as a dict (``ValueError`` for an item without ``=`` or a repeated key)."""
    out: dict[str, str] = {}
    for item in items or []:
        key, eq, value = item.partition("=")
        key = key.strip()
        if not eq or not key:
            raise ValueError(f"--set: expected KEY=VALUE, got {item!r}")
        if key in out:
            raise ValueError(f"--set: key {key!r} given twice")
        out[key] = value
    return out


def _user_setting(papers: list[str], sets: dict[str, str], scale: str):
    """The researcher's setting for the one paper of the selected claims/experiment, or ``None`` without ``--set``.

    ``ValueError`` (one line, naming the key and listing the valid keys with their types and ranges)
    for an unknown key or a bad value; a setting belongs to one paper, so ``--set`` with claims of
    several papers is refused.
    """
    if not sets:
        return None
    from featlearn.claims import paper_setting
    from featlearn.api import _setting_class

    papers = sorted(set(papers))
    if len({paper_setting(p) for p in papers}) != 1:  # ba22 and mlhd23 share one setting
        raise ValueError(f"--set: the selected claims belong to {len(papers)} papers ({', '.join(papers)}); a setting "
                         f"is one paper's: select one paper, e.g. --only '{papers[0]}.*'")
    cls = _setting_class(papers[0])
    if cls is None:
        raise ValueError(f"--set: paper {papers[0]!r} has no setting fields")
    try:
        return cls.parse(sets, base=cls.at(scale))
    except ValueError as exc:
        raise ValueError(f"--set: {exc}") from None


def _exc_text(exc: BaseException) -> str:
    """One line for an exception: an ``OSError`` as "PATH: problem" (never its bare errno), else its message.

    ``exc.args[0]`` is used only when it is a str (a ``KeyError``'s message without its quotes).
    """
    if isinstance(exc, OSError) and exc.strerror:
        text = exc.strerror[0].lower() + exc.strerror[1:]
        if exc.filename is not None:
            text = f"{os.fsdecode(exc.filename)}: {text}"
            if exc.filename2 is not None:
                text += f" ({os.fsdecode(exc.filename2)})"
        return text
    msg = exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
    msg = msg.strip()
    return msg.splitlines()[0] if msg else exc.__class__.__name__


def _nearest_existing(p: Path) -> Path:
    """``p`` or its nearest ancestor that exists (``p.exists()`` is false below a file)."""
    q = p.absolute()
    while not q.exists() and q.parent != q:
        q = q.parent
    return q


def _make_dir(d: Path, option: str, *, target: Path | None = None) -> None:
    """Create directory ``d`` (and its parents), or a ``ValueError`` naming ``option``, the path and the problem.

    ``target``: the file that will be written in ``d`` (named in the message instead of ``d``).
    """
    if d.is_dir():
        return
    base = _nearest_existing(d)
    if not base.is_dir():
        what = "is a file" if base.is_file() else "exists and is not a directory"
        head = f"cannot write {target}" if target is not None else f"cannot create directory {d}"
        raise ValueError(f"{option}: {head}: {base} {what}")
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = _exc_text(exc)
        if exc.strerror and exc.filename is not None and os.fsdecode(exc.filename) == str(d):
            problem = problem[len(str(d)) + 2:]  # "PATH: problem" without repeating PATH
        raise ValueError(f"{option}: cannot create directory {d}: {problem}") from None


def _prepare_output(path: str | None, *, kind: str, option: str) -> Path | None:
    """Validate an output path before any computation: a JSON file or a report directory.

    The parent folder is created; a path of the wrong kind, a parent that is a file, a folder
    that cannot be created or written in, are refused (``ValueError``, one line naming
    ``option``, the path and the problem), so that a long run never ends with "cannot write".
    """
    if path is None:
        return None
    if "\0" in path:
        raise ValueError(f"{option}: {path!r} contains a NUL byte")
    p = Path(path)
    if kind == "file":
        if p.is_dir():
            raise ValueError(f"{option}: {p} is a directory; expected a file path such as {p / 'check.json'}")
        if p.exists() and not p.is_file():
            raise ValueError(f"{option}: {p} exists and is not a regular file")
        _make_dir(p.parent, option, target=p)
        if not os.access(p.parent, os.W_OK | os.X_OK):
            raise ValueError(f"{option}: cannot write {p}: no write permission in {p.parent}")
        if p.exists() and not os.access(p, os.W_OK):
            raise ValueError(f"{option}: cannot write {p}: the file is read-only")
    else:
        if p.exists() and not p.is_dir():
            raise ValueError(f"{option}: {p} exists and is not a directory")
        _make_dir(p, option)
        if not os.access(p, os.W_OK | os.X_OK):
            raise ValueError(f"{option}: cannot write in directory {p}: no write permission")
    return p


#: Seconds ``--scheduler`` waits for the scheduler to answer before the run is refused.
SCHEDULER_TIMEOUT = 10.0


def _check_scheduler(address: str | None, *, timeout: float = SCHEDULER_TIMEOUT) -> None:
    """Refuse a ``--scheduler`` address that is malformed or does not answer within ``timeout`` s (``ValueError``).

    A TCP connect probe (the name lookup included) in a daemon thread that also reads the first
    bytes a Dask scheduler sends (its handshake's length), so no Dask client is started and nothing
    waits longer than ``timeout``. For tls:// only the connection is probed; other schemes are left to Dask.
    """
    if address is None:
        return
    addr = address.strip()
    if not addr:
        raise ValueError("--scheduler: empty address; expected HOST:PORT, e.g. tcp://127.0.0.1:8786")
    scheme, sep, rest = addr.partition("://")
    if not sep:
        scheme, rest = "tcp", addr
    if scheme not in ("tcp", "tls"):
        return
    host, colon, port_text = rest.rpartition(":")
    if not colon or not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ValueError(f"--scheduler: {address!r} is not HOST:PORT (a port 1-65535), e.g. tcp://127.0.0.1:8786")
    host = host.strip("[]")  # IPv6 literals
    port = int(port_text)
    import socket
    import threading

    outcome: dict = {}
    deadline = time.monotonic() + timeout

    def probe() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout) as sock:
                outcome["connected"] = True
                if scheme != "tcp":
                    return
                # a Dask scheduler speaks first: its handshake frame, prefixed by its length (uint64, little endian)
                data = b""
                while len(data) < 8:
                    sock.settimeout(max(deadline - time.monotonic(), 0.01))
                    chunk = sock.recv(8 - len(data))
                    if not chunk:
                        break
                    data += chunk
                if len(data) < 8 or not 0 < int.from_bytes(data, "little") < 2 ** 24:
                    outcome["not_dask"] = True
        except socket.timeout:
            outcome["not_dask" if "connected" in outcome else "error"] = TimeoutError()
        except OSError as exc:
            outcome["error"] = exc

    t = threading.Thread(target=probe, name="featlearn-scheduler-probe", daemon=True)
    t.start()
    t.join(timeout + 0.5)  # the probe itself ends by the deadline, unless the name lookup hangs
    if t.is_alive():
        problem = f"no answer within {timeout:g} s"
    elif isinstance(outcome.get("error"), socket.gaierror):
        problem = f"unknown host {host!r}"
    elif isinstance(outcome.get("error"), TimeoutError):
        problem = f"no answer within {timeout:g} s"
    elif "error" in outcome:
        problem = _exc_text(outcome["error"])
    elif isinstance(outcome.get("not_dask"), TimeoutError):
        problem = f"a server accepts connections there but sent no Dask handshake within {timeout:g} s"
    elif "not_dask" in outcome:
        problem = "a server answers there, but not as a Dask scheduler"
    else:
        return
    raise ValueError(f"--scheduler: no Dask scheduler at {address!r}: {problem}")


def cmd_backends(args) -> int:
    from featlearn.backends import available_backends

    infos = available_backends()
    rows = [[b.name, "yes" if b.usable else "no", b.version or "-", b.reason] for b in infos]
    print(_table(rows, ["backend", "usable", "version", "reason"]))
    return 0


def claims_markdown(claims) -> str:
    """The README's claims section, generated from the registry (``featlearn claims --markdown``): the headline
    count by kind, then one table per kind (predictions, bounds, identities, findings)."""
    from featlearn.claims._registry import KIND_HEADINGS, by_kind, kind_counts

    claims = list(claims)
    parts = [f"**{kind_counts(c.kind for c in claims)}.**"]
    for kind, group in by_kind(claims, lambda c: c.kind):
        parts.append(f"**{KIND_HEADINGS[kind]}** ({len(group)})\n\n"
                     + markdown_table(["claim", "paper", "provenance", "what is checked"],
                                      [[f"`{c.id}`", c.paper_cite, c.provenance, c.statement] for c in group]))
    return "\n\n".join(parts)


def cmd_claims(args) -> int:
    from featlearn.claims import select

    _load()
    try:
        claims = select(args.only)
    except ValueError as exc:
        print(f"featlearn claims: {_exc_text(exc)}", file=sys.stderr)
        return 2
    if args.markdown:
        print(claims_markdown(claims))
        return 0
    from featlearn.claims._registry import by_kind, kind_counts

    claims = [c for _, group in by_kind(claims, lambda c: c.kind) for c in group]
    if args.wide:
        rows = [[c.id, c.kind or "-", c.paper_cite, c.provenance, c.experiment or "-", c.where] for c in claims]
        print(_table(rows, ["claim", "kind", "paper", "provenance", "sweep", "where"]))
    else:
        rows = [[c.id, c.kind or "-", c.provenance, c.quantity or c.statement] for c in claims]
        print(_table(rows, ["claim", "kind", "provenance", "what is measured"], width=WIDTH, shrink=3))
        print("\n`featlearn show ID`: a claim in full; `featlearn predict ID`: its prediction; --wide: every column.")
    print(textwrap.fill(f"{kind_counts(c.kind for c in claims)}.", width=WIDTH))
    return 0


def _save_interrupted(done: list, json_path: Path | None, run: dict) -> str:
    """Write the verdicts finished before a Ctrl-C; the clause of the interrupt message that says where.

    To ``--json`` when given (it is rewritten after every claim), else to
    ``featlearn-check-interrupted-<UTC time>.json`` in the current directory (the temporary
    directory if that cannot be written).
    """
    if not done:
        return ""
    from featlearn.run_info import now

    run["finished"] = now()
    records = [r.to_json() for r in done]
    if json_path is not None:
        try:
            write_json(json_path, records, indent=2)
        except OSError as exc:
            return f"; could not write the finished verdicts to {json_path}: {_exc_text(exc)}"
        return f"; the {len(done)} finished verdict(s) are in {json_path}"
    import tempfile

    name = f"featlearn-check-interrupted-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}-{os.getpid()}.json"
    errors = []
    for folder in (".", tempfile.gettempdir()):
        try:
            path = write_json(Path(folder).absolute() / name, records, indent=2)
        except OSError as exc:
            errors.append(_exc_text(exc))
            continue
        return f"; the {len(done)} finished verdict(s) are in {path}"
    return f"; could not write the finished verdicts: {'; '.join(errors)}"


def cmd_check(args) -> int:
    from featlearn.claims import select
    from featlearn.experiments import run_check
    from featlearn.progress import Progress

    _load()
    try:
        claims = select(args.only)
        from featlearn.backends import get_namespace

        get_namespace(args.backend)  # fail early, with the reason, on an unusable backend
        setting = _user_setting([c.paper for c in claims], _parse_sets(args.set), args.scale)
        json_path = _prepare_output(args.json, kind="file", option="--json")
        report_dir = _prepare_output(args.report, kind="dir", option="--report")
        store = _prepare_output(args.store, kind="dir", option="--store")
        if args.workers is not None:
            check_int(args.workers, "--workers", min_val=1)
        _check_scheduler(args.scheduler)
    except (ValueError, TypeError, OSError) as exc:
        print(f"featlearn check: {_exc_text(exc)}", file=sys.stderr)
        return 2
    from featlearn.run_info import now, run_info

    from featlearn.run_info import resource_usage

    t0 = time.perf_counter()
    run = run_info(backend=args.backend, scale=args.scale, seed=args.seed, argv=getattr(args, "argv", None))
    run["complete"] = False
    run["set"] = _parse_sets(args.set) or None
    bar = Progress(len(claims), desc=f"claims ({args.backend}, {args.scale})", unit="claim", enabled=not args.quiet)
    done: list = []

    def on_result(res) -> None:
        done.append(res)
        bar.update(failed=res.verdict in ("fail", "error"))
        if json_path is not None:  # partial output after every claim: a crash keeps what was done
            run["finished"] = now()
            write_json(json_path, [r.to_json() for r in done], indent=2)

    try:
        results = run_check(claims, backend=args.backend, scale=args.scale, seed=args.seed, store=store,
                            workers=args.workers, scheduler=args.scheduler, progress=not args.quiet,
                            on_result=on_result, run=run, setting=setting)
    except KeyboardInterrupt:
        kept = _save_interrupted(done, json_path, run)
        print(f"\nfeatlearn check: interrupted after {len(done)}/{len(claims)} claims" + kept
              + (f"; finished cells are kept in {store} (run the same command to resume)" if store else ""),
              file=sys.stderr)
        return 130
    finally:
        bar.close()
    run["finished"], run["complete"] = now(), True
    run.update(resource_usage(t0))
    # compute time of every sweep cell the results rest on, including cells a resumed run read back from
    # its store: the cost of the whole check, however many invocations it took
    per_sweep = {(r.claim.experiment or r.claim.id): r.seconds for r in results if r.seconds is not None}
    run["compute_seconds"] = round(sum(per_sweep.values()), 1)
    records = [r.to_json() for r in results]
    from featlearn.claims._registry import KIND_HEADINGS, by_kind

    for kind, group in by_kind(records, lambda r: r["kind"]):  # one table per kind: what each verdict is evidence of
        print(f"\n{KIND_HEADINGS[kind]}")
        if args.wide:
            rows = [[r["id"], r["provenance"], _fmt(r["predicted"]), _fmt(r["measured"]), r["compared"] or "-",
                     _fmt(r["null"]) if r["null"] is not None else "-", r["verdict"].upper(), f"{r['seconds']:.1f}s"]
                    for r in group]
            print(_table(rows, ["claim", "provenance", "predicted", "measured", "compared", "null", "verdict", "time"]))
        else:  # fits 100 columns: the inequality holds the prediction and tolerance; `featlearn show ID` explains
            rows = [[r["id"], _fmt(r["measured"]), (r["compared"] or "-").replace("measured", "x"),
                     _fmt(r["null"]) if r["null"] is not None else "-", r["verdict"].upper(),
                     f"{r['seconds']:.0f}s"] for r in group]
            print(_table(rows, ["claim", "measured x", "verdict tests", "null", "verdict", "time"], width=WIDTH,
                         shrink=2))
    counts = {v: sum(r["verdict"] == v for r in records) for v in ("pass", "fail", "error", "xfail", "skipped")}
    extra = ", ".join(f"{counts[v]} {v}" for v in ("fail", "error", "xfail", "skipped") if counts[v])
    print(f"\n{counts['pass']}/{len(records)} claims pass on {args.backend} at {args.scale} scale "
          f"(seed {args.seed}){'; ' + extra if extra else ''}.")
    print(textwrap.fill(_kind_summary(records), width=WIDTH))
    peak = f", peak memory {run['peak_rss_mib']:.0f} MiB" if run.get("peak_rss_mib") is not None else ""
    print(f"Wall time {run['wall_seconds']:.0f} s; compute time of all cells {run['compute_seconds']:.0f} s{peak}.")
    for r in records:
        if r["verdict"] == "error":
            print(f"\n{r['id']} raised:\n{r['error']}", file=sys.stderr)
        elif r["verdict"] == "xfail":
            print(f"{r['id']}: known discrepancy (a finding, not hidden): {r['known_discrepancy']}")
        elif r["verdict"] == "skipped":
            print(f"{r['id']}: skipped, {r['error']}")
    if json_path is not None:
        write_json(json_path, records, indent=2)
        print(f"JSON written to {json_path}")
    if report_dir is not None:
        from featlearn.experiments import write_check_report

        path = write_check_report(results, report_dir, run=run)
        print(f"report written to {path}")
    # exit 1 on an unexpected failure or a crash; documented discrepancies and skips are reported above
    return 0 if counts["fail"] == 0 and counts["error"] == 0 else 1


def _kind_summary(records: list[dict]) -> str:
    """One line: the verdicts of the evidence (predictions and bounds) apart from identities and findings."""
    def part(label: str, rs: list[dict]) -> str:
        if not rs:
            return ""
        counts = {v: sum(r["verdict"] == v for r in rs) for v in ("pass", "fail", "error", "xfail", "skipped")}
        rest = ", ".join(f"{n} {v}" for v, n in counts.items() if n and v != "pass")
        return f"{label} {counts['pass']}/{len(rs)} pass" + (f" ({rest})" if rest else "")

    ev = [r for r in records if r["kind"] in ("prediction", "bound")]
    parts = [part("predictions and bounds:", ev),
             part("identities (regression checks):", [r for r in records if r["kind"] == "identity"]),
             part("findings:", [r for r in records if r["kind"] == "finding"]),
             part("without a kind:", [r for r in records if not r["kind"]])]
    return "; ".join(p for p in parts if p).capitalize() + "."


def cmd_reproduce(args) -> int:
    from featlearn.experiments import get_experiment, reproduce

    _load()
    try:
        exp = get_experiment(args.name)
        setting = _user_setting([exp.paper], _parse_sets(args.set), args.scale)
        if args.workers is not None:
            check_int(args.workers, "--workers", min_val=1)
        _prepare_output(args.out, kind="dir", option="--out")
        _check_scheduler(args.scheduler)
    except (KeyError, ValueError, TypeError, OSError) as exc:
        print(f"featlearn reproduce: {_exc_text(exc)}", file=sys.stderr)
        return 2
    from featlearn.backends import get_namespace

    get_namespace(args.backend)  # an unusable backend is refused here, with the reason, not in every cell
    path = reproduce(args.name, out_dir=args.out, scale=args.scale, backend=args.backend, workers=args.workers,
                     scheduler=args.scheduler, progress=not args.quiet, seed=args.seed,
                     argv=getattr(args, "argv", None), setting=setting)
    print(f"report written to {Path(path) / 'report.md'}")
    claims_file = Path(path) / "claims.json"
    claims = json.loads(claims_file.read_text()) if claims_file.exists() else []
    records_file = Path(path) / "records.json"
    records = json.loads(records_file.read_text()) if records_file.exists() else []
    if claims:
        rows = [[c["id"], _fmt(c.get("predicted")), _fmt(c.get("measured")), c.get("compared") or "-",
                 str(c.get("verdict", "")).upper()] for c in claims]
        print(_table(rows, ["claim", "predicted", "measured", "compared", "verdict"]))
    failed_cells = sum(r.get("status") != "ok" for r in records)
    if failed_cells:
        print(f"{failed_cells} cell(s) failed; re-run the same command to retry them", file=sys.stderr)
    bad = [c for c in claims if c.get("verdict") not in ("pass", "xfail")]
    return 0 if not bad and not failed_cells else 1


def experiments_markdown(experiments) -> str:
    """The README's experiments table, generated from the registry (``featlearn experiments --markdown``)."""
    return markdown_table(["experiment", "paper", "what it sweeps"],
                           [[f"`{e.name}`", e.paper_cite, e.description] for e in experiments])


def cmd_experiments(args) -> int:
    from featlearn.experiments import list_experiments

    _load()
    if args.markdown:
        print(experiments_markdown(list_experiments()))
        return 0
    if args.wide:
        rows = [[e.name, e.paper_cite, e.description] for e in list_experiments()]
        print(_table(rows, ["experiment", "paper", "description"]))
    else:
        rows = [[e.name, e.paper, e.description] for e in list_experiments()]
        print(_table(rows, ["experiment", "paper", "description"], width=WIDTH, shrink=2))
        print("\n`featlearn show NAME` describes an experiment in full; --wide shows every column.")
    return 0


def _handle(name: str):
    """The claim (an id with a dot) or experiment called ``name`` (``ValueError`` naming both lists)."""
    import featlearn

    if name in featlearn.list_claims():
        return featlearn.claim(name)
    if name in featlearn.list_experiments():
        return featlearn.experiment(name)
    raise ValueError(f"ID: {name!r} is neither a claim nor an experiment; see 'featlearn claims' and "
                     f"'featlearn experiments'")


def cmd_predict(args) -> int:
    """``featlearn predict ID``: the theory's prediction and tolerance on a setting, without training."""
    import featlearn
    from featlearn.output import to_jsonable

    try:
        h = featlearn.claim(args.id)
        setting = _user_setting([h.paper], _parse_sets(args.set), args.scale) or h.setting(args.scale)
        json_path = _prepare_output(args.json, kind="file", option="--json")
        p = h.predict(setting)
    except (ValueError, TypeError, OSError) as exc:
        print(f"featlearn predict: {_exc_text(exc)}", file=sys.stderr)
        return 2
    record = {"id": h.id, "paper": h.paper, "kind": h.kind or None, "provenance": h.provenance, "statement": h.statement,
              "quantity": h.quantity or None, "scale": args.scale, **p.to_json(),
              "setting": to_jsonable(setting.to_dict()) if setting is not None else None,
              "set": _parse_sets(args.set) or None}
    value = record["threshold"] if p.is_bound else record["predicted"]
    rows = [("claim", f"{h.id} ({h.kind or 'no kind'}, {h.provenance}): {h.statement}")]
    if args.set:
        rows.append(("setting", f"{args.scale} defaults with " + ", ".join(args.set)))
    rows += [("formula", p.formula or "-"),
             ("threshold" if p.is_bound else "predicted", _fmt(value) if value is not None else "from the run"),
             ("tolerance", (_fmt(p.tolerance) if p.tolerance is not None else "from the run")
              + f" ({p.tolerance_rule or 'see featlearn show'})"),
             ("verdict", f"pass if {p.compared() or p.comparison + ' (values from the run)'}")]
    if p.null is not None:
        fails = {True: "fails the comparison", False: "PASSES the comparison: no power", None: "needs the run"}
        rows.append(("null", f"{_fmt(p.null)} ({p.null_theory}); {fails[p.null_fails()]}"))
    elif h.kind in ("prediction", "bound"):
        rows.append(("null", "from the run (see 'from the run')"))
    if p.needs_run:
        rows.append(("from the run", p.needs_run))
        # what theory fixes before the run (e.g. every cell's prediction) is still shown
        for k, v in p.details.items():
            if isinstance(v, list) and v and all(isinstance(x, dict) for x in v):  # e.g. one prediction per cell
                rows += [(f"  {k}[{i}]", ", ".join(f"{a} = {_fmt(b)}" for a, b in x.items())) for i, x in enumerate(v)]
            else:
                rows.append((f"  {k}", _fmt(v) if not isinstance(v, dict) else json.dumps(to_jsonable(v))[:300]))
    import textwrap

    lines = []
    for label, text in rows:
        lines += textwrap.wrap(f"{label}: {text}", width=WIDTH, subsequent_indent="    ") or [f"{label}:"]
    print("\n".join(lines))
    if json_path is not None:
        write_json(json_path, record, indent=2)
        print(f"JSON written to {json_path}")
    return 0


def cmd_show(args) -> int:
    """``featlearn show ID``: a claim or an experiment in full."""
    try:
        h = _handle(args.id)
        setting = _user_setting([h.paper], _parse_sets(args.set), args.scale)
        json_path = _prepare_output(args.json, kind="file", option="--json")
        d = h.describe(setting, scale=args.scale)
    except (ValueError, TypeError, OSError) as exc:
        print(f"featlearn show: {_exc_text(exc)}", file=sys.stderr)
        return 2
    from featlearn.api import format_description

    print(format_description(d, width=WIDTH))
    if json_path is not None:
        write_json(json_path, d, indent=2)
        print(f"JSON written to {json_path}")
    return 0


class _OneLineParser(argparse.ArgumentParser):
    """argparse with its errors in one line (no usage block): the CLI answers every bad option in one line."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    p = _OneLineParser(prog="featlearn", description=__doc__.split("\n\n")[0])
    p.add_argument("--version", action="version", version=f"featlearn {__version__}")
    p.add_argument("--debug", action="store_true", help="show the full traceback of an error")
    sub = p.add_subparsers(dest="command", required=True)

    c = sub.add_parser("check", help="run the claims registry and compare predictions with measurements")
    c.add_argument("--backend", default="numpy", help="numpy (default), array_api_strict, torch, jax or cupy")
    c.add_argument("--scale", default="quick", choices=["quick", "paper"],
                   help="quick: whole registry in about a minute on a 2-core CPU; paper: larger sizes at which every "
                        "claim resolves (about 22 min on a 2-core CPU; resumable with --store)")
    c.add_argument("--only", metavar="GLOB", help="shell-style pattern on claim ids, e.g. 'mlhd23*'")
    c.add_argument("--seed", type=int, default=0, help="seed all randomness flows from (default 0)")
    c.add_argument("--json", metavar="PATH", help="write the results as a JSON list of records")
    c.add_argument("--report", metavar="DIR", help="write a report directory (Markdown table, JSON, figures)")
    c.add_argument("--store", metavar="DIR",
                   help="keep every sweep of the check in DIR; re-running with the same DIR resumes after a kill")
    c.add_argument("--workers", type=int, default=None, help="run the sweep cells on a local Dask cluster of N workers")
    c.add_argument("--scheduler", default=None,
                   help="address of an existing Dask scheduler, HOST:PORT (refused if it does not answer within 10 s)")
    c.add_argument("--set", action="append", metavar="KEY=VALUE",
                   help="change a field of the selected paper's setting (repeatable; lists as a,b,c); "
                        "'featlearn show ID' lists the fields")
    c.add_argument("--wide", action="store_true", help="show every column of the table")
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    c.set_defaults(func=cmd_check)

    pr = sub.add_parser("predict", help="the theory's prediction and tolerance for a claim on a setting, "
                                        "without training")
    pr.add_argument("id", help="claim id (see 'featlearn claims')")
    pr.add_argument("--set", action="append", metavar="KEY=VALUE", help="change a field of the paper's setting")
    pr.add_argument("--scale", default="quick", choices=["quick", "paper"], help="whose defaults to start from")
    pr.add_argument("--json", metavar="PATH", help="write the prediction as one JSON object")
    pr.set_defaults(func=cmd_predict)

    sh = sub.add_parser("show", help="a claim or an experiment in full: statement, setting, formula, tolerance, code")
    sh.add_argument("id", help="claim id or experiment name")
    sh.add_argument("--set", action="append", metavar="KEY=VALUE", help="change a field of the paper's setting")
    sh.add_argument("--scale", default="quick", choices=["quick", "paper"])
    sh.add_argument("--json", metavar="PATH", help="write the description as one JSON object")
    sh.set_defaults(func=cmd_show)

    b = sub.add_parser("backends", help="list array backends and whether they are usable here")
    b.set_defaults(func=cmd_backends)

    cl = sub.add_parser("claims", help="list the registered claims")
    cl.add_argument("--only", metavar="GLOB")
    cl.add_argument("--markdown", action="store_true", help="print the README's claims table (Markdown)")
    cl.add_argument("--wide", action="store_true", help="show every column")
    cl.set_defaults(func=cmd_claims)
    r = sub.add_parser("reproduce", help="run a named paper experiment (a resumable sweep) and write a report")
    r.add_argument("name", help="experiment name (see 'featlearn experiments')")
    r.add_argument("--scale", default="quick", choices=["quick", "paper"])
    r.add_argument("--backend", default="numpy")
    r.add_argument("--out", default="featlearn-report", help="report directory root (default ./featlearn-report)")
    r.add_argument("--workers", type=int, default=None, help="run on a local Dask cluster with N workers")
    r.add_argument("--scheduler", default=None,
                   help="address of an existing Dask scheduler, HOST:PORT (refused if it does not answer within 10 s)")
    r.add_argument("--seed", type=int, default=0,
                   help="seed 0 runs the registered seeds; N gives each of them an independent child stream")
    r.add_argument("--set", action="append", metavar="KEY=VALUE", help="change a field of the paper's setting")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=cmd_reproduce)

    e = sub.add_parser("experiments", help="list the experiments 'featlearn reproduce' knows")
    e.add_argument("--markdown", action="store_true", help="print the README's experiments table (Markdown)")
    e.add_argument("--wide", action="store_true", help="show every column")
    e.set_defaults(func=cmd_experiments)
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error is one line on stderr with exit code 2 (``--debug`` shows the traceback)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # argparse has printed its one-line usage error
        return int(exc.code) if isinstance(exc.code, int) else 2
    args.argv = [a for a in argv if a != "--debug"]
    try:
        check_seed(getattr(args, "seed", 0), "--seed")
    except ValueError as exc:
        print(f"featlearn: {exc}", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except BrokenPipeError:  # the reader (e.g. `| head`) closed the pipe: not an error of ours
        try:
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return 0
    except KeyboardInterrupt:
        print(f"featlearn {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line, no traceback, unless --debug
        if args.debug:
            raise
        msg = _exc_text(exc)
        print(f"featlearn {args.command}: {exc.__class__.__name__}: {msg} (run with --debug for the traceback)",
              file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
