"""Figures of sweep records (matplotlib, imported lazily; PNG through the Agg canvas).

Figures are built on ``matplotlib.figure.Figure`` objects directly, without pyplot, so
plotting changes no global matplotlib state and needs no display.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from featlearn.experiments._checks import check_flag, check_mapping, check_path, check_text
from featlearn.stats import fit_loglog_slope, median
from featlearn.validation import check_int, check_memory, check_real


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float] = (6.4, 4.4)):
    """``(fig, axes)`` on a pyplot-free ``matplotlib.figure.Figure`` (no global state, no display needed).

    ``axes`` is one Axes for a 1 × 1 grid, else an array of Axes (as ``plt.subplots``).
    """
    nrows, ncols = check_int(nrows, "nrows", min_val=1), check_int(ncols, "ncols", min_val=1)
    check_memory(2e4 * nrows * ncols, f"a grid of nrows x ncols = {nrows} x {ncols} axes")  # ~20 kB per Axes
    if isinstance(figsize, (str, bytes)) or not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
        raise TypeError(f"figsize: expected a pair (width, height) in inches, got {figsize!r}")
    figsize = tuple(check_real(v, f"figsize[{i}]", min_val=0, include_boundaries="neither")
                    for i, v in enumerate(figsize))
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError("plots need matplotlib: pip install 'featlearn[plot]'") from None
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.subplots(nrows, ncols)


def _figure():
    return new_figure()


def ok_records(records: Any) -> list[dict[str, Any]]:
    """The ``status == "ok"`` records of a list of dicts or a pandas DataFrame."""
    if hasattr(records, "to_dict") and not isinstance(records, dict):
        records = records.to_dict("records")
    if isinstance(records, dict) or not isinstance(records, Iterable):
        raise ValueError(f"records: expected a list of record dicts or a DataFrame, got {type(records).__name__}")
    return [r for r in records if r.get("status", "ok") == "ok"]


def group_by(records: Any, *, x: str, y: str, hue: str | None = None) -> dict[Any, dict[Any, list[float]]]:
    """``{hue value: {x value: [y over seeds]}}`` from the ok records (missing/NaN y dropped).

    Raises
    ------
    ValueError
        If ``x``, ``y`` or ``hue`` is not a field of the records, or no record has a ``y``.
    """
    check_text(x, "x", none_ok=False)
    check_text(y, "y", none_ok=False)
    check_text(hue, "hue")
    rows = ok_records(records)
    for arg, key in (("x", x), ("y", y), ("hue", hue)):
        if key is not None and not any(key in r for r in rows):
            raise ValueError(f"{arg}: no ok record has a field {key!r}")
    out: dict[Any, dict[Any, list[float]]] = {}
    for r in rows:
        v = r.get(y)
        if v is None or r.get(x) is None:
            continue
        if isinstance(v, (str, bool)):
            raise ValueError(f"y: field {y!r} is not numeric (got {v!r})")
        if math.isfinite(float(v)):
            out.setdefault(r.get(hue) if hue else None, {}).setdefault(r[x], []).append(float(v))
    if not out:
        raise ValueError(f"y: no ok record has a finite {y!r}")
    return {h: dict(sorted(g.items(), key=lambda kv: _order(kv[0])))
            for h, g in sorted(out.items(), key=lambda kv: _order(kv[0]))}


def _order(value: Any) -> tuple:
    """Sort key: numbers numerically, then everything else by its text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, str(value))


def _label(hue: str | None, value: Any) -> str | None:
    return None if hue is None else f"{hue} = {value}"


def save_figure(fig, path: str | os.PathLike, *, dpi: int = 120) -> Path:
    """Write ``fig`` as a PNG at ``path`` (parent folders created) and return the path."""
    if not hasattr(fig, "savefig"):
        raise TypeError(f"fig: expected a matplotlib Figure (e.g. from new_figure()), got {type(fig).__name__}")
    path = check_path(path, "path")
    dpi = check_int(dpi, "dpi", min_val=1)
    check_memory(4.0 * float(fig.get_figwidth() * dpi) * float(fig.get_figheight() * dpi),
                 f"a PNG of {fig.get_figwidth():g} x {fig.get_figheight():g} inches at dpi={dpi}")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=dpi)
    return path


_save = save_figure


def _references(ax, hlines, vlines) -> None:
    """Theory drawn on the same axes: labelled horizontal levels and vertical thresholds."""
    for i, (value, label) in enumerate(hlines or ()):
        ax.axhline(float(value), color="k", ls=("--", ":", "-.")[i % 3], lw=1.2, label=label)
    for i, (value, label) in enumerate(vlines or ()):
        ax.axvline(float(value), color="0.4", ls=(":", "--", "-.")[i % 3], lw=1.0, label=label)


def plot_seed_band(records: Any, *, x: str, y: str, path: str | os.PathLike, hue: str | None = None,
                   logx: bool = False, logy: bool = False, title: str | None = None, xlabel: str | None = None,
                   ylabel: str | None = None, hlines: Any = (), vlines: Any = ()) -> Path:
    """Median over seeds as a line, with a min–max band, of ``y`` against ``x``; one line per ``hue``.

    Parameters
    ----------
    records : list of dict or DataFrame
        Sweep records; only ``status == "ok"`` ones are drawn.
    x, y : str
        Record fields for the axes.
    path : path
        Where the PNG is written.
    hue : str, optional
        A parameter with one line per value.
    logx, logy : bool
        Logarithmic axes.
    title : str, optional
    xlabel, ylabel : str, optional
        Axis labels in words (default: the field names).
    hlines, vlines : sequence of (value, label)
        Theory levels and thresholds drawn on the same axes, each labelled in the legend.

    Returns
    -------
    Path
        ``path``.
    """
    _check_plot_args(path, title, xlabel, ylabel)
    check_flag(logx, "logx")
    check_flag(logy, "logy")
    hlines, vlines = _check_lines(hlines, "hlines"), _check_lines(vlines, "vlines")
    groups = group_by(records, x=x, y=y, hue=hue)
    fig, ax = _figure()
    for h, g in groups.items():
        xs = np.array(list(g), dtype=float)
        vals = [np.array(v) for v in g.values()]
        (line,) = ax.plot(xs, [median(v) for v in vals], marker="o", ms=3, label=_label(hue, h))
        ax.fill_between(xs, [v.min() for v in vals], [v.max() for v in vals], color=line.get_color(), alpha=0.2,
                        linewidth=0)
    _references(ax, hlines, vlines)
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    ax.set_title(_wrap(title or f"{y} vs {x}", 75) + "\n(line: median over seeds; band: min–max)", fontsize=9)
    if logx:
        ax.set_xscale("log")
    if logy:
        ax.set_yscale("log")
    if hue is not None or hlines or vlines:
        ax.legend(fontsize="small")
    ax.grid(True, which="both", alpha=0.3)
    return _save(fig, path)


def plot_loglog_fit(records: Any, *, x: str, y: str, path: str | os.PathLike, hue: str | None = None,
                    confidence: float = 0.95, reference_slope: float | None = None,
                    title: str | None = None, xlabel: str | None = None, ylabel: str | None = None) -> Path:
    """Log-log plot of ``y`` against ``x`` with the fitted slope and its confidence interval.

    Every (cell, seed) point is drawn faintly, the median over seeds as markers, and the
    least-squares line of :func:`featlearn.stats.fit_loglog_slope` (fitted on all points of the group) with
    the slope and its ``confidence`` interval in the legend. An optional dashed line of
    slope ``reference_slope`` shows the predicted rate.

    Returns
    -------
    Path
        ``path``.
    """
    _check_plot_args(path, title, xlabel, ylabel)
    confidence = check_real(confidence, "confidence", min_val=0, max_val=1, include_boundaries="neither")
    if reference_slope is not None:
        reference_slope = check_real(reference_slope, "reference_slope")
    groups = group_by(records, x=x, y=y, hue=hue)
    fig, ax = _figure()
    for h, g in groups.items():
        px = np.array([k for k, v in g.items() for _ in v], dtype=float)
        py = np.array([u for v in g.values() for u in v])
        keep = (px > 0) & (py > 0)
        px, py = px[keep], py[keep]
        if px.size == 0:
            continue
        (pts,) = ax.plot(px, py, ".", alpha=0.25)
        color = pts.get_color()
        xs = np.unique(px)
        med = [median(py[px == u]) for u in xs]
        ax.plot(xs, med, "o", color=color, ms=4)
        name = _label(hue, h) or y
        if xs.size >= 2:
            slope, intercept, (lo, hi), _ = fit_loglog_slope(px, py, confidence=confidence)
            grid = np.geomspace(xs.min(), xs.max(), 50)
            ci = "" if math.isnan(lo) else f" [{lo:.3f}, {hi:.3f}] ({confidence:.0%} CI)"
            ax.plot(grid, np.exp(intercept) * grid**slope, "-", color=color, label=f"{name}: slope {slope:.3f}{ci}")
            if reference_slope is not None:
                mid = math.exp(np.mean(np.log(xs)))
                yref = math.exp(intercept) * mid**slope
                ax.plot(grid, yref * (grid / mid) ** reference_slope, "--", color=color, alpha=0.6, lw=1)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ref = f"; dashed: slope {reference_slope:g}" if reference_slope is not None else ""
    ax.set(xlabel=xlabel or x, ylabel=ylabel or y)
    ax.set_title(_wrap(title or f"{y} vs {x} (log-log{ref})", 75), fontsize=9)
    ax.legend(fontsize="small")
    ax.grid(True, which="both", alpha=0.3)
    return _save(fig, path)


def _check_plot_args(path: Any, title: Any, xlabel: Any, ylabel: Any) -> None:
    check_path(path, "path")
    for name, value in (("title", title), ("xlabel", xlabel), ("ylabel", ylabel)):
        check_text(value, name)


def _check_lines(lines: Any, name: str) -> list:
    """``hlines``/``vlines``: a sequence of (value, label) pairs."""
    if isinstance(lines, (str, bytes)) or not isinstance(lines, Iterable):
        raise TypeError(f"{name}: expected a sequence of (value, label) pairs, got {type(lines).__name__}")
    out = []
    for i, item in enumerate(lines):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise TypeError(f"{name}[{i}]: expected a (value, label) pair, got {item!r}")
        out.append((check_real(item[0], f"{name}[{i}]"), check_text(item[1], f"{name}[{i}]")))
    return out


def _wrap(text: str, width: int = 70) -> str:
    import textwrap

    return "\n".join(line for part in text.split("\n") for line in textwrap.wrap(part, width))


def plot_claim_outcome(claim_json: dict[str, Any], *, path: str | os.PathLike) -> Path:
    """One claim's verdict as a picture: the measured value against the prediction or bound it is compared with.

    The accepted region is shaded (a point prediction ± tolerance, a bound, or an interval), the
    measured value is a marker coloured by the verdict, the axis names the claim's quantity with its
    unit or scale (``claim_json["quantity"]``) and the inequality the verdict tests. For
    claims whose measured value is a per-seed or per-n list in ``details`` this stays a one-number
    summary; sweep claims get their own sweep figures beside it.
    """
    check_mapping(claim_json, "claim_json", none_ok=False)
    check_path(path, "path")
    fig, ax = _figure()
    fig.set_size_inches(6.4, 2.6)
    comp, m = claim_json.get("comparison"), claim_json.get("measured")
    pred = claim_json.get("predicted")
    thr = claim_json.get("threshold")
    tol = float(claim_json.get("tolerance") or 0.0)
    lo = hi = None
    if comp in ("abs", "rel") and pred is not None:
        half = tol if comp == "abs" else tol * abs(float(pred))
        lo, hi = float(pred) - half, float(pred) + half
        ax.axvline(float(pred), color="C0", lw=1.5, label=f"predicted {float(pred):.4g}")
    elif comp == "equal" and pred is not None:
        lo = hi = float(pred)
        ax.axvline(float(pred), color="C0", lw=1.5, label=f"predicted {float(pred):.4g}")
    elif comp == "at_most" and thr is not None:
        hi = float(thr) + tol
        ax.axvline(hi, color="C0", lw=1.5, label=f"bound {hi:.4g}")
    elif comp == "at_least" and thr is not None:
        lo = float(thr) - tol
        ax.axvline(lo, color="C0", lw=1.5, label=f"bound {lo:.4g}")
    elif comp == "interval" and thr is not None:
        lo, hi = float(thr[0]) - tol, float(thr[1]) + tol
    xs = [v for v in (lo, hi, m if isinstance(m, (int, float)) else None) if v is not None and math.isfinite(v)]
    span = (max(xs) - min(xs)) if len(xs) > 1 else (abs(xs[0]) if xs else 1.0) or 1.0
    left, right = (min(xs) - 0.3 * span, max(xs) + 0.3 * span) if xs else (-1.0, 1.0)
    if not right > left:  # a single point (e.g. an exact count): give it a visible window
        half = 0.5 * max(abs(left), 1.0)
        left, right = left - half, right + half
    ax.axvspan(lo if lo is not None else left, hi if hi is not None else right, color="C0", alpha=0.15,
               label="accepted region")
    verdict = str(claim_json.get("verdict", "?"))
    if isinstance(m, (int, float)) and math.isfinite(m):
        ax.plot([m], [0.5], "o", ms=10, color="C2" if verdict == "pass" else "C3", label=f"measured {m:.4g}")
    ax.set_xlim(left, right)
    ax.set_ylim(0, 1)
    ax.set_yticks([])
    quantity = claim_json.get("quantity") or "measured value"
    ax.set_xlabel(_wrap(f"{quantity}\nverdict tests: {claim_json.get('compared') or '-'}", 90), fontsize=8)
    ax.set_title(_wrap(f"{claim_json.get('id')} — {verdict.upper()} ({claim_json.get('provenance')})", 80),
                 fontsize=10)
    ax.legend(loc="upper left", fontsize=7, framealpha=0.8)
    return _save(fig, path)
