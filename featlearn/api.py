"""The researcher's entry points: a claim or an experiment by name, on your own setting.

``featlearn.claim(ID)`` and ``featlearn.experiment(NAME)`` return handles that compute the
theory's prediction for a setting without training (:meth:`ClaimHandle.predict`), measure it on a
chosen backend (:meth:`ClaimHandle.run`), and describe themselves (:meth:`ClaimHandle.show`). A
setting is the paper's :class:`featlearn.settings.Setting` (every field validated); keyword
``changes`` apply to the paper's default at the chosen scale. The papers load on first use.

Examples
--------
>>> import featlearn
>>> c = featlearn.claim("math.sphere-fourth-moment")
>>> p = c.predict(sphere_d=4)
>>> p.predicted                                   # 3d/(d+2) at d = 4
2.0
>>> c.run(sphere_d=4, sphere_n=4096).verdict
'pass'
"""

from __future__ import annotations

import functools
import inspect
import os
import textwrap
from pathlib import Path
from typing import Any

from featlearn.claims._registry import PAPERS, Claim, ClaimResult, Prediction, load_claims
from featlearn.context import SCALES, resolve_setting
from featlearn.validation import check_int

__all__ = ["ClaimHandle", "ExperimentHandle", "claim", "experiment", "list_claims", "list_experiments"]


def list_claims() -> list[str]:
    """The ids of every registered claim, sorted."""
    return sorted(load_claims())


def list_experiments() -> list[str]:
    """The names of every registered experiment, sorted."""
    from featlearn.experiments import list_experiments as _list

    return [e.name for e in _list()]


def _setting_class(paper: str) -> Any:
    ref = PAPERS[paper].get("setting") or ""
    if ":" not in ref:
        return None
    return type(resolve_setting(ref, "quick"))


def _check_scale(scale: Any) -> str:
    if scale not in SCALES:
        raise ValueError(f"scale: expected one of {SCALES}, got {scale!r}")
    return scale


def _make_setting(cls: Any, paper: str, setting: Any, scale: str, changes: dict[str, Any]) -> Any:
    """The validated setting: ``setting`` (or the paper's default at ``scale``) with ``changes`` applied."""
    _check_scale(scale)
    if cls is None:
        if setting is not None or changes:
            raise ValueError(f"setting: paper {paper!r} has no Setting; nothing to change")
        return None
    if setting is None:
        base = cls.at(scale)
    elif isinstance(setting, cls):
        base = setting
    else:
        raise TypeError(f"setting: expected a {cls.__module__}.{cls.__qualname__} instance or None, "
                        f"got {type(setting).__name__}")
    return base.replace(**changes) if changes else base


def _source(obj: Any) -> str:
    """``path:line`` of a function or class, relative to the repository/site root."""
    try:
        path = inspect.getsourcefile(obj)
        line = inspect.getsourcelines(obj)[1]
    except (TypeError, OSError):
        return "-"
    root = Path(__file__).resolve().parent.parent
    try:
        path = os.path.relpath(path, root)
    except ValueError:
        pass
    return f"{path}:{line}"


class ClaimHandle:
    """A registered claim, ready to predict and run on a setting (``featlearn.claim(ID)``).

    Attributes
    ----------
    id, paper, kind, statement, quantity, provenance, where, tolerance_note, known_discrepancy, experiment
        The claim's registration (``paper`` is its key, e.g. ``"mlhd23"``; ``kind`` is one of
        :data:`featlearn.claims.KINDS`).
    Setting : type or None
        The paper's :class:`featlearn.settings.Setting` subclass.
    """

    def __init__(self, c: Claim):
        if not isinstance(c, Claim):
            raise TypeError(f"c: expected a featlearn.claims.Claim (or use featlearn.claim(ID)), got {type(c).__name__}")
        self._claim = c
        for name in ("id", "paper", "kind", "statement", "quantity", "provenance", "where", "tolerance_note",
                     "known_discrepancy", "experiment"):
            setattr(self, name, getattr(c, name))
        self.Setting = _setting_class(c.paper)

    def __repr__(self) -> str:
        return f"<claim {self.id} ({self.provenance}; {PAPERS[self.paper]['cite']})>"

    @property
    def claim(self) -> Claim:
        """The registered :class:`~featlearn.claims.Claim`."""
        return self._claim

    def setting(self, scale: str = "quick", **changes: Any) -> Any:
        """The paper's setting at ``scale`` with ``changes`` (validated: ``ValueError`` naming a bad key or value)."""
        return _make_setting(self.Setting, self.paper, None, scale, changes)

    def predict(self, setting: Any = None, *, scale: str = "quick", **changes: Any) -> Prediction:
        """The theory's prediction and tolerance on a setting, computed without training.

        Parameters
        ----------
        setting : Setting, optional
            The paper's setting (default: its defaults at ``scale``).
        scale : {"quick", "paper"}
        **changes
            Fields to change, e.g. ``alpha=0.28``.

        Returns
        -------
        Prediction
            ``predicted`` (or the bound's threshold), ``comparison``, ``tolerance``, ``formula``,
            ``tolerance_rule`` and ``needs_run`` (what only the run supplies).
        """
        s = _make_setting(self.Setting, self.paper, setting, scale, changes)
        if self._claim.predict is None:
            raise ValueError(f"claim {self.id} has no predict function; its prediction is computed in the run "
                             f"(use .run)")
        return self._claim.prediction(s)

    def run(self, setting: Any = None, *, backend: str = "numpy", seed: int = 0, scale: str = "quick",
            device: Any = None, store: str | os.PathLike | None = None, progress: bool = False,
            **changes: Any) -> ClaimResult:
        """Measure the claim on a setting and return its verdict, as ``featlearn check --only ID --set ...``.

        Parameters
        ----------
        setting : Setting, optional
            The paper's setting (default: its defaults at ``scale``); ``changes`` apply to it.
        backend : str
            ``"numpy"``, ``"array_api_strict"``, ``"torch"``, ``"jax"`` or ``"cupy"``.
        seed : int
            The seed every random draw of the run derives from.
        scale : {"quick", "paper"}
        device, store, progress
            As :func:`featlearn.experiments.run_check`.

        Returns
        -------
        ClaimResult
            ``verdict`` ("pass", "fail", "error", "xfail", "skipped"), ``outcome`` (predicted,
            measured, tolerance; ``outcome.compared()`` the inequality tested), ``to_json()``.
        """
        from featlearn.experiments import run_claim

        s = _make_setting(self.Setting, self.paper, setting, scale, changes)
        return run_claim(self._claim, backend=backend, scale=scale, seed=seed, device=device, store=store,
                         progress=progress, setting=s)

    def describe(self, setting: Any = None, *, scale: str = "quick") -> dict[str, Any]:
        """Everything ``featlearn show ID`` prints, as a dict (JSON-serialisable)."""
        from featlearn.output import to_jsonable

        c = self._claim
        s = _make_setting(self.Setting, self.paper, setting, scale, {})
        pred = None
        if c.predict is not None:
            try:
                pred = c.prediction(s).to_json()
            except Exception as exc:  # shown, not hidden: a prediction that cannot be computed is a finding
                pred = {"error": f"{exc.__class__.__name__}: {exc}"}
        fields = []
        if self.Setting is not None:
            for name, kind, default, doc in self.Setting.field_docs():
                fields.append({"name": name, "type": kind, "value": to_jsonable(getattr(s, name)),
                               "quick_default": to_jsonable(default), "doc": doc})
        tests = sorted(str(p.relative_to(_repo_root())) for p in _find_tests(c))
        return {"id": c.id, "kind": "claim", "paper": PAPERS[c.paper]["cite"], "paper_key": c.paper,
                "title": PAPERS[c.paper].get("title", ""), "where": c.where, "provenance": c.provenance,
                "claim_kind": c.kind or None,
                "statement": c.statement, "quantity": c.quantity or None, "prediction": pred,
                "tolerance_note": c.tolerance_note, "known_discrepancy": c.known_discrepancy or None,
                "scales": list(c.scales), "experiment": c.experiment, "scale": scale, "setting": fields,
                "code": {"claim": _source(c.fn), "predict": _source(c.predict) if c.predict else None,
                         "tests": tests, "notes": PAPERS[c.paper].get("notes") or None}}

    def show(self, setting: Any = None, *, scale: str = "quick", width: int = 100) -> str:
        """The claim in full, as text (``featlearn show ID``)."""
        width = check_int(width, "width", min_val=1)
        return format_description(self.describe(setting, scale=scale), width=width)


class ExperimentHandle:
    """A registered experiment (``featlearn.experiment(NAME)``): its grid on a setting, and a run that writes a report."""

    def __init__(self, e: Any):
        from featlearn.experiments._registry import Experiment

        if not isinstance(e, Experiment):
            raise TypeError(f"e: expected a registered Experiment (or use featlearn.experiment(NAME)), "
                            f"got {type(e).__name__}")
        self._experiment = e
        self.name, self.paper, self.description = e.name, e.paper, e.description
        self.Setting = _setting_class(e.paper)

    def __repr__(self) -> str:
        return f"<experiment {self.name} ({PAPERS[self.paper]['cite']})>"

    def setting(self, scale: str = "quick", **changes: Any) -> Any:
        """The paper's setting at ``scale`` with ``changes`` (validated)."""
        return _make_setting(self.Setting, self.paper, None, scale, changes)

    def grid(self, setting: Any = None, *, scale: str = "quick", **changes: Any) -> list[dict[str, Any]]:
        """The sweep's cells on a setting, one dict of parameters per cell."""
        from featlearn.experiments._spec import canonical_grid, make_tasks

        s = _make_setting(self.Setting, self.paper, setting, scale, changes)
        e = self._experiment
        canonical = canonical_grid(e.grid_at(scale, s), params=list(e.params), experiment=e.name)
        return [dict(t.params) for t in make_tasks(canonical, [0])]

    def seeds(self, setting: Any = None, *, scale: str = "quick", **changes: Any) -> tuple[int, ...]:
        """The sweep's seeds on a setting."""
        s = _make_setting(self.Setting, self.paper, setting, scale, changes)
        return self._experiment.seeds_at(scale, s)

    def claims(self) -> list[str]:
        """Ids of the claims that read this experiment's sweep."""
        from featlearn.experiments._registry import attached_claims

        return [c.id for c in attached_claims(self.name)]

    def run(self, setting: Any = None, *, out_dir: str | os.PathLike = "featlearn-report", backend: str = "numpy",
            seed: int = 0, scale: str = "quick", workers: int | None = None, scheduler: Any = None,
            progress: bool = False, **changes: Any) -> Path:
        """Run the sweep on a setting, draw its figures, evaluate its claims and write the report
        (``featlearn reproduce NAME --set ...``); returns the report directory."""
        from featlearn.experiments import reproduce

        s = _make_setting(self.Setting, self.paper, setting, scale, changes)
        return reproduce(self.name, out_dir=out_dir, scale=scale, backend=backend, seed=seed, workers=workers,
                         scheduler=scheduler, progress=progress, setting=s)

    def describe(self, setting: Any = None, *, scale: str = "quick") -> dict[str, Any]:
        """Everything ``featlearn show NAME`` prints, as a dict."""
        from featlearn.output import to_jsonable

        e = self._experiment
        s = _make_setting(self.Setting, self.paper, setting, scale, {})
        fields = []
        if self.Setting is not None:
            for name, kind, default, doc in self.Setting.field_docs():
                fields.append({"name": name, "type": kind, "value": to_jsonable(getattr(s, name)),
                               "quick_default": to_jsonable(default), "doc": doc})
        cells = len(self.grid(s, scale=scale))
        return {"id": e.name, "kind": "experiment", "paper": PAPERS[e.paper]["cite"], "paper_key": e.paper,
                "statement": e.description, "scale": scale, "cells": cells, "seeds": list(e.seeds_at(scale, s)),
                "claims": self.claims(), "setting": fields,
                "code": {"cell": _source(e.fn), "figures": _source(e.figures) if e.figures else None,
                         "notes": PAPERS[e.paper].get("notes") or None}}

    def show(self, setting: Any = None, *, scale: str = "quick", width: int = 100) -> str:
        """The experiment in full, as text (``featlearn show NAME``)."""
        width = check_int(width, "width", min_val=1)
        return format_description(self.describe(setting, scale=scale), width=width)


def claim(id: str) -> ClaimHandle:
    """The registered claim ``id`` (e.g. ``"mlhd23.spike-count"``), ready to predict and run.

    Raises
    ------
    TypeError
        ``id`` is not a str.
    ValueError
        Unknown id (the message lists the known ids).

    Examples
    --------
    >>> import featlearn
    >>> featlearn.claim("math.relu-hermite").provenance
    'stated'
    """
    if not isinstance(id, str):
        raise TypeError(f"id: expected a claim id (str), got {type(id).__name__}")
    claims = load_claims()
    if id not in claims:
        raise ValueError(f"id: unknown claim {id!r}; known: {', '.join(sorted(claims))}")
    return ClaimHandle(claims[id])


def experiment(name: str) -> ExperimentHandle:
    """The registered experiment ``name`` (e.g. ``"hermite-mc"``).

    Examples
    --------
    >>> import featlearn
    >>> featlearn.experiment("hermite-mc").claims()
    ['math.hermite-mc-rate']
    """
    from featlearn.experiments import get_experiment

    return ExperimentHandle(get_experiment(name))


def _repo_root() -> Path:
    return Path(__file__).resolve().parent.parent


def _find_tests(c: Claim) -> list[Path]:
    """Test files that name the claim's id (a source checkout only; none for an installed package)."""
    return [p for p, text in _test_files() if c.id in text]


@functools.lru_cache(maxsize=1)
def _test_files() -> tuple[tuple[Path, str], ...]:
    tests = _repo_root() / "tests"
    if not tests.is_dir():
        return ()
    out = []
    for p in sorted(tests.rglob("test_*.py")):
        try:
            out.append((p, p.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    return tuple(out)


def format_description(d: dict[str, Any], *, width: int = 100) -> str:
    """Text of a claim's or experiment's :meth:`~ClaimHandle.describe` dict, wrapped to ``width`` columns."""
    def para(label: str, text: Any) -> list[str]:
        if text in (None, "", []):
            return []
        return textwrap.wrap(f"{label}: {text}", width=width, subsequent_indent="    ") or [f"{label}:"]

    head = f"{d['id']} ({d['kind']}; {d['paper']})"
    out = textwrap.wrap(head, width=width) + ["=" * min(width, len(head))]
    out += para("Statement", d["statement"])
    if d["kind"] == "claim":
        from featlearn.claims import KIND_HEADINGS

        out += para("Kind", f"{d.get('claim_kind') or 'not declared'} ({KIND_HEADINGS[d.get('claim_kind') or '']})")
        out += para("Provenance", d["provenance"] + (" (our reconstruction, not the paper's theorem)"
                                                     if d["provenance"] == "reconstructed" else ""))
        out += para("Where in the paper", d["where"])
        out += para("Quantity measured", d["quantity"])
        p = d.get("prediction")
        if p is None:
            out += para("Prediction", "computed inside the run (no predict function)")
        elif "error" in p:
            out += para("Prediction", f"cannot be computed on this setting: {p['error']}")
        else:
            value = p["threshold"] if p["predicted"] is None and p["threshold"] is not None else p["predicted"]
            label = "Threshold" if p["threshold"] is not None else "Predicted"
            out += para("Formula", p["formula"])
            out += para(label, value if value is not None else "supplied by the run")
            out += para("Tolerance", p["tolerance"] if p["tolerance"] is not None else "supplied by the run")
            out += para("Compared", p["compared"] or f"{p['comparison']} (a value comes from the run)")
            out += para("Needs the run", p["needs_run"])
            if p.get("null") is not None:
                verdict = {True: "fails the comparison", False: "PASSES the comparison (no power)",
                           None: "compared once the run supplies its values"}[p.get("null_fails")]
                out += para("Null", f"{p['null']} ({p['null_theory']}): {verdict}")
        out += para("Tolerance rationale", d["tolerance_note"])
        out += para("Known discrepancy (xfail)", d["known_discrepancy"])
        out += para("Reads the sweep of", d["experiment"])
        out += para("Resolvable at", ", ".join(d["scales"]))
    else:
        out += para("Cells", d["cells"])
        out += para("Seeds", d["seeds"])
        out += para("Claims reading it", ", ".join(d["claims"]))
    code = d["code"]
    out += ["", "Code:"]
    for k, v in code.items():
        if v not in (None, [], ""):
            out += textwrap.wrap(f"{k}: {', '.join(v) if isinstance(v, list) else v}", width=width,
                                 initial_indent="  ", subsequent_indent="      ", break_on_hyphens=False)
    if d["setting"]:
        out += ["", f"Setting ({d['scale']} scale; change with --set KEY=VALUE):"]
        nw = max(len(f["name"]) for f in d["setting"])
        for f in d["setting"]:
            val = _short(f["value"])
            dflt = "" if f["value"] == f["quick_default"] else f"  [quick default {_short(f['quick_default'])}]"
            head = f"  {f['name'].ljust(nw)} = {val}{dflt}"
            out.append(head[:width])
            out += textwrap.wrap(f["doc"], width=width, initial_indent=" " * (nw + 5),
                                 subsequent_indent=" " * (nw + 5))
    return "\n".join(out)


def _short(v: Any, limit: int = 60) -> str:
    text = ", ".join(map(str, v)) if isinstance(v, list) else str(v)
    return text if len(text) <= limit else text[:limit - 1] + "…"
