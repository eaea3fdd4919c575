"""Reports: a Markdown claims table, the figures, and the JSON behind them, in one directory."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from featlearn.experiments._checks import check_flag, check_mapping, check_path, check_records, check_text
from featlearn.output import markdown_cell, markdown_table, write_atomic, write_json

#: Columns of the claims table, in order (keys of ``ClaimResult.to_json()``): ``compared`` says in
#: words what the verdict checks (``measured ≤ 0.5``, ``|measured − 0.75| ≤ 0.015``); ``predicted``
#: is empty for a bound (the bound is in ``compared``).
CLAIM_COLUMNS = ("id", "paper", "provenance", "predicted", "measured", "compared", "null", "verdict")


def _first_line(text: Any) -> str:
    return markdown_cell(str(text).strip().splitlines()[0] if text and str(text).strip() else "")


def claims_table(claims_json: Sequence[Mapping[str, Any]]) -> str:
    """A Markdown table of claims (``ClaimResult.to_json()`` dicts): id, paper, provenance,
    predicted, measured, tolerance (with its comparison), verdict."""
    def cells(c: Mapping[str, Any]) -> list[Any]:
        *head, verdict = [c.get(col) for col in CLAIM_COLUMNS]
        head[0] = f"`{head[0]}`"
        return [*head, verdict if verdict in (None, "pass") else f"**{verdict}**"]

    claims_json = _check_claims(claims_json)
    return markdown_table(CLAIM_COLUMNS, [cells(c) for c in claims_json]) + "\n"


def claims_tables_by_kind(claims_json: Sequence[Mapping[str, Any]]) -> str:
    """:func:`claims_table` once per claim kind (predictions, bounds, identities, findings), each under a heading
    that says what its verdicts are evidence of; the ``null`` column is the value a plausible wrong theory gives."""
    from featlearn.claims._registry import KIND_HEADINGS, by_kind

    claims_json = _check_claims(claims_json)
    return "\n".join(f"### {KIND_HEADINGS.get(kind, kind)} ({len(group)})\n\n" + claims_table(group)
                     for kind, group in by_kind(claims_json, lambda c: c.get("kind") or ""))


def _check_claims(claims_json: Any) -> list[dict[str, Any]]:
    if isinstance(claims_json, Mapping) or not isinstance(claims_json, Sequence):
        raise ValueError(f"claims_json: expected a list of claim dicts, got {type(claims_json).__name__}")
    for i, c in enumerate(claims_json):
        if not isinstance(c, Mapping):
            raise ValueError(f"claims_json: item {i} is {type(c).__name__}, expected a dict")
    return [dict(c) for c in claims_json]


def _claims_section(claims: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for c in claims:
        counts[str(c.get("verdict"))] = counts.get(str(c.get("verdict")), 0) + 1
    summary = ", ".join(f"{n} {v}" for v, n in sorted(counts.items())) or "no claims"
    from featlearn.claims._registry import kind_counts

    text = (f"## Claims\n\n{len(claims)} claims: {summary}. {kind_counts(c.get('kind') or '' for c in claims)}. "
            "Data: [claims.json](claims.json).\n\n")
    text += claims_tables_by_kind(claims) if claims else ""
    errors = [c for c in claims if c.get("error")]
    if errors:
        text += "\n### Errors\n\n" + "".join(f"- `{c.get('id')}`: {_first_line(c['error'])}\n" for c in errors)
    return text


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return str(v)


def claim_explanation(c: Mapping[str, Any], *, figure: str | None = None) -> str:
    """One claim explained in Markdown: statement, setting, prediction vs measurement with the inequality the
    verdict tested, tolerance rationale, and the known discrepancy (xfail) or error, if any."""
    verdict = str(c.get("verdict"))
    lines = [f"### `{c.get('id')}`: {verdict.upper()}\n"]
    lines.append(f"**Statement** ({c.get('kind') or 'no kind'}; {c.get('provenance')}; {c.get('paper')}, "
                 f"{c.get('where')}): {markdown_cell(c.get('statement') or '')}\n")
    if c.get("quantity"):
        lines.append(f"**Measured quantity**: {c['quantity']}.\n")
    changes = c.get("setting_changes")
    if c.get("setting") is not None:
        lines.append("**Setting**: " + ("the paper's defaults at this scale" if not changes else
                                        "the paper's defaults at this scale, with "
                                        + ", ".join(f"`{k} = {_fmt(v)}`" for k, v in changes.items()))
                     + " (every field in claims.json).\n")
    if c.get("measured") is not None or c.get("compared"):
        value = c.get("threshold") if c.get("predicted") is None else c.get("predicted")
        kind = "threshold" if c.get("predicted") is None else "predicted"
        holds = {"pass": "holds", "fail": "does not hold", "xfail": "does not hold"}.get(verdict, "was not decided")
        lines.append(f"**Prediction vs measurement**: {kind} {_fmt(value)}, measured {_fmt(c.get('measured'))}, "
                     f"tolerance {_fmt(c.get('tolerance'))}; the verdict tests `{c.get('compared')}`, which "
                     f"{holds}.\n")
    if c.get("null") is not None:
        lines.append(f"**Null** (what a plausible wrong theory gives under the same measurement): {_fmt(c['null'])}, "
                     f"from {markdown_cell(c.get('null_theory') or '')}; it "
                     f"{'fails' if c.get('null_fails') else 'passes'} the same comparison.\n")
    if c.get("tolerance_note"):
        lines.append(f"**Tolerance rationale**: {markdown_cell(c['tolerance_note'])}\n")
    if c.get("known_discrepancy") and verdict in ("xfail", "pass"):
        label = "Known discrepancy (why it is xfail)" if verdict == "xfail" else "Known discrepancy (passed this run)"
        lines.append(f"**{label}**: {markdown_cell(c['known_discrepancy'])}\n")
    if c.get("error"):
        lines.append(f"**Error**: {_first_line(c['error'])}\n")
    if figure:
        lines.append(f"![{c.get('id')}]({figure})\n")
    return "\n".join(lines) + "\n"


def _records_section(records: list[dict[str, Any]]) -> str:
    failed = [r for r in records if r.get("status") != "ok"]
    text = (f"## Sweep records\n\n{len(records)} records: {len(records) - len(failed)} ok, {len(failed)} failed. "
            "Data: [records.json](records.json).\n")
    if failed:
        text += "\n### Failed cells\n\n"
        for r in failed[:20]:
            params = {k: v for k, v in r.items() if k not in ("error", "finished_at", "worker", "wall_time",
                                                                 "featlearn_version", "sweep", "experiment",
                                                                 "status", "cell")}
            text += f"- `{markdown_cell(params)}`: {_first_line(r.get('error'))}\n"
        if len(failed) > 20:
            text += f"- … and {len(failed) - 20} more (see records.json)\n"
    return text


def _place_figures(out_dir: Path, figures: Sequence[str | os.PathLike]) -> list[Path]:
    placed = []
    for f in figures:
        src = Path(f)
        if not src.is_file():
            raise ValueError(f"figures: {src} does not exist")
        dst = out_dir / src.name
        if src.resolve() != dst.resolve():
            shutil.copy2(src, dst)
        placed.append(dst)
    return placed


def _run_section(run: Mapping[str, Any]) -> str:
    return ("## Run\n\nWhat made this report ([run.json](run.json)); re-running `command` on the same "
            "commit and backend reproduces it.\n\n" + markdown_table(["field", "value"], list(run.items())) + "\n")


def write_report(out_dir: str | os.PathLike, *, title: str, claims_json: Sequence[Mapping[str, Any]] | None = None,
                 figures: Sequence[str | os.PathLike] = (), records: Sequence[Mapping[str, Any]] | None = None,
                 description: str | None = None, run: Mapping[str, Any] | None = None) -> Path:
    """Write a report directory: ``report.md``, ``claims.json`` and/or ``records.json``, figures.

    Parameters
    ----------
    out_dir : path
        The report directory (created if missing).
    title : str
        Report title (the Markdown heading).
    claims_json : list of dict, optional
        Claims as ``ClaimResult.to_json()`` dicts; written to ``claims.json`` and shown as a
        table (id, paper, provenance, predicted, measured, tolerance, verdict).
    figures : list of path
        Image files; copied into ``out_dir`` if elsewhere, and embedded in ``report.md``.
    records : list of dict, optional
        Sweep records; written to ``records.json`` and summarised (failed cells listed).
    description : str, optional
        A paragraph under the title.
    run : dict, optional
        What made the report (:func:`featlearn.run_info.run_info`): written to ``run.json`` and
        shown as a table.

    Returns
    -------
    Path
        The path of ``report.md``.

    Raises
    ------
    ValueError
        If ``title`` is empty, ``claims_json`` is not a list of dicts, or a figure is missing.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"title: expected a non-empty str, got {title!r}")
    out = check_path(out_dir, "out_dir")
    if isinstance(figures, (str, bytes)) or not isinstance(figures, Iterable):
        raise TypeError(f"figures: expected a list of image paths, got {type(figures).__name__}")
    figures = [check_path(f, f"figures[{i}]") for i, f in enumerate(figures)]
    records = check_records(records, none_ok=True)
    check_text(description, "description")
    check_mapping(run, "run")
    out.mkdir(parents=True, exist_ok=True)
    claims = _check_claims(claims_json) if claims_json is not None else None
    placed = _place_figures(out, figures)
    import featlearn

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    parts = [f"# {title}\n\n", f"{description}\n\n" if description else "",
             f"_featlearn {featlearn.__version__}, written {when}._\n\n"]
    if claims is not None:
        write_json(out / "claims.json", claims)
        parts.append(_claims_section(claims) + "\n")
        if claims:  # each claim explained, with its own figure beside it
            shown = {p.name for p in placed}
            parts.append("## Each claim\n\n" + "".join(
                claim_explanation(c, figure=f"claim-{c.get('id')}.png" if f"claim-{c.get('id')}.png" in shown
                                  else None) for c in claims))
            placed = [p for p in placed if not (p.name.startswith("claim-") and p.name[6:-4] in
                                                {str(c.get("id")) for c in claims})]
    if run is not None:
        write_json(out / "run.json", dict(run))
        parts.append(_run_section(run) + "\n")
    if records is not None:
        recs = [dict(r) for r in records]
        write_json(out / "records.json", recs)
        parts.append(_records_section(recs) + "\n")
    if placed:
        parts.append("## Figures\n\n" + "".join(f"![{p.stem}]({p.name})\n\n" for p in placed))
    return write_atomic(out / "report.md", "".join(parts).rstrip() + "\n")


def write_check_report(results: Sequence[Any], out_dir: str | os.PathLike, *,
                       title: str = "featlearn check", run: Mapping[str, Any] | None = None,
                       figures: bool = True) -> Path:
    """Report of ``featlearn check``: the claims table, ``claims.json``, the run, and the figures.

    With ``figures`` (and matplotlib installed) every claim with an outcome gets a figure of its
    measured value against the prediction or bound it is compared with
    (:func:`~featlearn.experiments.plot_claim_outcome`), and every experiment read by a claim gets
    its registered sweep figures (the sweep and the theory on the same axes). A claim whose
    ``details`` carry a ``"figure"`` path (an existing file) has that figure embedded too.

    Returns
    -------
    Path
        The path of ``report.md``.
    """
    if isinstance(results, (str, bytes, Mapping)) or not isinstance(results, Iterable):
        raise TypeError(f"results: expected a list of ClaimResult, got {type(results).__name__}")
    results = list(results)
    out_dir = check_path(out_dir, "out_dir")
    check_mapping(run, "run")
    check_flag(figures, "figures")
    claims = []
    for i, r in enumerate(results):
        if not hasattr(r, "to_json"):
            raise ValueError(f"results: item {i} is {type(r).__name__}, expected a ClaimResult")
        claims.append(r.to_json())
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    figs = [c["details"]["figure"] for c in claims
            if isinstance(c.get("details"), Mapping) and isinstance(c["details"].get("figure"), str)
            and Path(c["details"]["figure"]).is_file()]
    notes = []
    if figures:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            notes.append("Figures skipped: matplotlib is not installed (pip install 'featlearn[plot]').")
        else:
            figs += _check_figures(results, claims, out, notes)
    backends = sorted({str(c.get("backend")) for c in claims})
    scales = sorted({str(c.get("scale")) for c in claims})
    desc = f"Backend: {', '.join(backends) or '—'}; scale: {', '.join(scales) or '—'}."
    if notes:
        desc += "\n\n" + "\n".join(f"**{n}**" for n in notes)
    return write_report(out, title=title, claims_json=claims, figures=figs, description=desc, run=run)


def _check_figures(results: Sequence[Any], claims: list[dict[str, Any]], out: Path, notes: list[str]) -> list[Path]:
    """Per-claim outcome figures and per-experiment sweep figures (failures become notes, not crashes)."""
    from featlearn.experiments._plots import plot_claim_outcome
    from featlearn.experiments._registry import EXPERIMENTS

    made: list[Path] = []
    for c in claims:
        if c.get("measured") is None and c.get("verdict") != "fail":
            continue
        try:
            made.append(plot_claim_outcome(c, path=out / f"claim-{c['id']}.png"))
        except Exception as exc:  # a figure never costs the report
            notes.append(f"Figure of {c['id']} failed: {exc.__class__.__name__}: {exc}")
    done: set[str] = set()
    for r in results:
        name = getattr(r.claim, "experiment", None)
        if not name or name in done or not r.records or name not in EXPERIMENTS:
            continue
        done.add(name)
        exp = EXPERIMENTS[name]
        if exp.figures is None:
            continue
        sub = out / f"sweep-{name}"
        sub.mkdir(exist_ok=True)
        try:
            for p in exp.figures(r.records, sub):
                dst = out / f"{name}-{Path(p).name}"
                shutil.copy2(p, dst)
                made.append(dst)
        except Exception as exc:
            notes.append(f"Figures of {name} failed: {exc.__class__.__name__}: {exc}")
        finally:
            shutil.rmtree(sub, ignore_errors=True)
    return made
