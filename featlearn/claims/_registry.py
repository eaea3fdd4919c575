"""The claims registry: quantitative predictions of the papers, turned into code.

A *claim* is one prediction: a predicted value computed by theory code, a measured value
from a real run on a chosen backend, a tolerance (justified where the claim is defined)
and a verdict. Provenance is ``"stated"`` when the statement was read in an available
source, ``"reconstructed"`` when it is our reconstruction (see ``docs/provenance.md``);
reconstructed claims are never presented as the paper's theorem.

A claim either measures on its own (``fn(ctx) -> Outcome``: the orchestrator runs it as a
one-cell sweep) or declares the registered experiment whose sweep records it reads
(``experiment="name"``, ``fn(ctx, records) -> Outcome``). Either way the orchestrator
(:class:`featlearn.experiments.Orchestrator`, behind ``featlearn check``, ``featlearn reproduce``
and :func:`featlearn.claims.run_claim`) runs it through the resumable sweep store, ``ctx`` is the
run's :class:`~featlearn.context.RunContext`, and the verdict is computed in one place,
:func:`evaluate_claim`. This module never imports paper content: paper packages
(:mod:`featlearn.papers`) register into it.
"""

from __future__ import annotations

import fnmatch
import re
import math
import time
import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from featlearn.context import SCALES, RunContext
from featlearn.output import to_jsonable
from featlearn.validation import check_choice, check_real

#: The former name of :class:`~featlearn.context.RunContext` (the same class).
ClaimContext = RunContext

#: The papers featlearn covers, by the key used in claim ids; filled by :func:`register_paper`
#: from each paper package (``featlearn/papers/<key>/__init__.py``).
PAPERS: dict[str, dict[str, str]] = {}


def register_paper(key: str, *, cite: str, title: str, url: str = "", notes: str = "",
                   setting: Any = None) -> None:
    """Register a paper under ``key`` (the prefix of its claim ids).

    ``notes`` is the repository path of the project's own description of the paper
    (``docs/papers/<key>.md``). ``setting`` is the paper's :class:`featlearn.settings.Setting`
    subclass (or, for a paper without one, its setting module or that module's dotted name);
    its claims and sweep cells receive it at the run's scale as ``ctx.setting``. Registering the same key twice with
    other data is an error.
    """
    if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9]*", key):
        raise ValueError(f"key: expected a lower-case id such as 'ndl23', got {key!r}")
    if isinstance(setting, type):
        setting = f"{setting.__module__}:{setting.__qualname__}"
    if setting is not None and not isinstance(setting, (str, ModuleType)):
        raise TypeError(f"setting: expected a Setting class, a module, its dotted name or None, "
                        f"got {type(setting).__name__}")
    # stored by name: a sweep task carries it to a Dask worker, which imports it there
    entry = {"cite": cite, "title": title, "url": url, "notes": notes,
             "setting": setting.__name__ if isinstance(setting, ModuleType) else (setting or "")}
    if key in PAPERS and PAPERS[key] != entry:
        raise ValueError(f"key: paper {key!r} is registered twice with different data")
    PAPERS[key] = entry


def paper_setting(key: str) -> str | None:
    """The reference of paper ``key``'s setting (``"module:Class"`` or a module's dotted name), or
    ``None`` if it has none (or is unknown); :func:`featlearn.context.resolve_setting` resolves it."""
    return PAPERS.get(key, {}).get("setting") or None


PROVENANCES = ("stated", "reconstructed")
COMPARISONS = ("abs", "rel", "at_most", "at_least", "interval", "equal")
POINT_COMPARISONS = ("abs", "rel", "equal")
BOUND_COMPARISONS = ("at_most", "at_least", "interval")

#: What a claim's verdict is evidence of, in this order in every table:
#:
#: * ``"prediction"``: a value computed by theory code against a measurement (a point comparison:
#:   ``abs``, ``rel``, ``equal``);
#: * ``"bound"``: a theorem's threshold or interval against a measurement (``at_most``, ``at_least``,
#:   ``interval``);
#: * ``"identity"``: an algebraic identity that only a bug can break: a regression check, not evidence
#:   for a theorem;
#: * ``"finding"``: the theorem's quantity is vacuous or uninformative at runnable sizes; the claim
#:   reports the number.
#:
#: Every prediction and bound records its *null*: the value the measurement would take if a
#: plausible wrong theory held (:attr:`Outcome.null`), and that null must fail the comparison.
KINDS = ("prediction", "bound", "identity", "finding")
#: The kinds whose verdict is evidence for a theorem: they need a null that fails.
EVIDENCE_KINDS = ("prediction", "bound")
#: How each kind is headed in tables and reports (plural, with what its verdict means).
KIND_HEADINGS = {
    "prediction": "Predictions: a theory value against a measurement, with a null that fails",
    "bound": "Bounds: a theorem's threshold against a measurement, with a null that fails",
    "identity": "Identities: regression checks only a bug can break (not evidence for a theorem)",
    "finding": "Findings: the theorem's quantity is vacuous at runnable sizes; the number is reported",
    "": "Claims without a declared kind",
}


def by_kind(items: Iterable[Any], kind: Callable[[Any], str]) -> list[tuple[str, list[Any]]]:
    """``items`` grouped by ``kind(item)`` in the order of :data:`KINDS` (non-empty groups only, order kept within).

    >>> by_kind(["identity:a", "prediction:b", "identity:c"], lambda s: s.split(":")[0])
    [('prediction', ['prediction:b']), ('identity', ['identity:a', 'identity:c'])]
    """
    groups: dict[str, list[Any]] = {k: [] for k in (*KINDS, "")}
    for item in items:
        k = kind(item) or ""
        groups.setdefault(k, []).append(item)
    return [(k, v) for k, v in groups.items() if v]


def kind_counts(kinds: Iterable[str]) -> str:
    """The headline count of claims by kind: predictions and bounds (evidence) apart from identities and findings.

    >>> kind_counts(["prediction", "prediction", "bound", "identity", "finding"])
    '5 claims: 3 evidence (2 predictions, 1 bound), 1 identity (regression check), 1 finding'
    """
    kinds = list(kinds)
    n = {k: kinds.count(k) for k in (*KINDS, "")}

    def words(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    text = (f"{len(kinds)} claims: {n['prediction'] + n['bound']} evidence ("
            f"{words(n['prediction'], 'prediction', 'predictions')}, {words(n['bound'], 'bound', 'bounds')}), "
            f"{words(n['identity'], 'identity (regression check)', 'identities (regression checks)')}, "
            f"{words(n['finding'], 'finding', 'findings')}")
    return text + (f", {n['']} without a kind" if n[""] else "")


def _check_value(value: Any, name: str) -> None:
    """A predicted or measured value: a real number (``TypeError`` otherwise). NaN and ±inf are kept: a
    measurement that failed is reported as NaN (it never passes, and is written as null)."""
    try:
        check_real(value, name, allow_inf=True)
    except ValueError:
        pass  # NaN: a value of the record, not a bad argument


def _check_predicted(value: Any, comparison: str, *, none_ok: bool = False) -> None:
    if value is None and none_ok:
        return
    if comparison == "interval":
        if not isinstance(value, (tuple, list)) or len(value) != 2:
            raise TypeError(f"predicted: the 'interval' comparison needs a pair (low, high), got {value!r}")
        for i, v in enumerate(value):
            _check_value(v, f"predicted[{i}]")
    elif isinstance(value, (tuple, list)):
        raise TypeError(f"predicted: a pair (low, high) needs comparison='interval', got {comparison!r}")
    else:
        _check_value(value, "predicted")


def _check_details(details: Any) -> None:
    if not isinstance(details, Mapping):
        raise TypeError(f"details: expected a dict of intermediate values, got {type(details).__name__}")


def _check_null(null: Any, null_theory: Any) -> None:
    """A null: a finite real number or None, and the wrong theory that gives it (a non-empty str with a null)."""
    if null is not None:
        check_real(null, "null")
    if not isinstance(null_theory, str):
        raise TypeError(f"null_theory: expected a str naming the wrong theory, got {type(null_theory).__name__}")
    if null is not None and not null_theory.strip():
        raise ValueError("null_theory: name the wrong theory whose value the null is (e.g. 'random ordering')")


def check_claim_object(c: Any, name: str = "c") -> "Claim":
    """``c`` if it is a :class:`Claim` (``TypeError`` naming ``name`` otherwise)."""
    if not isinstance(c, Claim):
        raise TypeError(f"{name}: expected a featlearn.claims.Claim (e.g. load_claims()[ID]), got {type(c).__name__}")
    return c


@dataclass(frozen=True)
class Outcome:
    """What a claim's run returns: predicted (from theory code) vs measured (from a run).

    ``comparison`` decides the verdict:

    * ``"abs"``: ``|measured − predicted| <= tolerance``;
    * ``"rel"``: ``|measured − predicted| <= tolerance·|predicted|``;
    * ``"at_most"`` / ``"at_least"``: a bound, ``measured <= predicted + tolerance`` / ``>= predicted − tolerance``;
    * ``"interval"``: ``predicted`` is ``(low, high)``; ``low − tolerance <= measured <= high + tolerance``;
    * ``"equal"``: exact equality (integers such as spike counts; tolerance must be 0).

    ``predicted`` and ``measured`` are real numbers (``TypeError`` otherwise); NaN or ±inf are kept, as
    the record of a measurement that failed (it never passes, and is written as null). ``tolerance`` is a
    finite number >= 0 and ``details`` a dict.

    ``null`` is the value the measured quantity would take, under the same measurement, if a plausible
    wrong theory held (``null_theory`` names it: a random ordering, the asymptotic exponent where a
    finite-size one is claimed, a ×2 error in a step size, ...). The claim has power only if the null,
    put where the measurement goes, fails the comparison (:meth:`null_fails`).

    Examples
    --------
    >>> out = Outcome(predicted=0.19, measured=0.2, tolerance=0.03, null=0.1, null_theory="asymptotic exponent")
    >>> out.passes(), out.null_fails()
    (True, True)
    """

    predicted: float | tuple[float, float]
    measured: float
    tolerance: float
    comparison: str = "abs"
    details: dict[str, Any] = field(default_factory=dict)
    null: float | None = None
    null_theory: str = ""

    def __post_init__(self):
        check_choice(self.comparison, "comparison", COMPARISONS)
        _check_predicted(self.predicted, self.comparison)
        _check_value(self.measured, "measured")
        check_real(self.tolerance, "tolerance", min_val=0)
        _check_details(self.details)
        if self.comparison == "equal" and self.tolerance != 0:
            raise ValueError(f"tolerance: the 'equal' comparison needs tolerance 0, got {self.tolerance!r}")
        _check_null(self.null, self.null_theory)

    def null_fails(self) -> bool | None:
        """Whether the null, put where the measurement goes, fails this comparison (``None`` without a null).

        ``True`` means the claim can tell the theory from its null: a run that measured what the wrong
        theory gives would get a ``fail``.
        """
        if self.null is None:
            return None
        return not Outcome(predicted=self.predicted, measured=self.null, tolerance=self.tolerance,
                           comparison=self.comparison).passes()

    @property
    def is_bound(self) -> bool:
        """Whether the claim checks a threshold or an interval (no point prediction)."""
        return self.comparison in ("at_most", "at_least", "interval")

    def compared(self) -> str:
        """What is compared, in words a reader can check, e.g. ``measured ≤ 0.5`` or ``|measured − 0.7549| ≤ 0.015``."""
        def f(v):
            return f"{float(v):.4g}"

        p, t = self.predicted, float(self.tolerance)
        if self.comparison == "interval":
            return f"{f(p[0] - t)} ≤ measured ≤ {f(p[1] + t)}"
        if self.comparison == "at_most":
            return f"measured ≤ {f(float(p) + t)}"
        if self.comparison == "at_least":
            return f"measured ≥ {f(float(p) - t)}"
        if self.comparison == "abs":
            return f"|measured − {f(p)}| ≤ {f(t)}"
        if self.comparison == "rel":
            return f"|measured − {f(p)}| ≤ {f(t)}·|{f(p)}|"
        return f"measured = {f(p)}"

    def passes(self) -> bool:
        m = float(self.measured)
        if not math.isfinite(m):
            return False  # a NaN never passes
        p, t = self.predicted, float(self.tolerance)
        if self.comparison == "interval":
            lo, hi = p
            return lo - t <= m <= hi + t
        p = float(p)
        if self.comparison == "abs":
            return abs(m - p) <= t
        if self.comparison == "rel":
            return abs(m - p) <= t * abs(p)
        if self.comparison == "at_most":
            return m <= p + t
        if self.comparison == "at_least":
            return m >= p - t
        return m == p


@dataclass(frozen=True)
class Prediction:
    """What theory code predicts for a claim on one setting, before anything is trained.

    A claim's ``predict(setting) -> Prediction`` is what ``featlearn predict ID`` prints and
    :meth:`featlearn.api.ClaimHandle.predict` returns; the claim's run builds its
    :class:`Outcome` from the same object (:meth:`outcome`), and :func:`evaluate_claim` checks
    that the two agree, so the prediction shown is the one the verdict used.

    Parameters
    ----------
    predicted : float, (low, high) or None
        The predicted value, or the bound's threshold (``at_most``/``at_least``), or the interval
        (``interval``). ``None`` when the prediction needs a quantity only the run measures
        (``needs_run`` says which).
    comparison : str
        One of :data:`COMPARISONS` (see :class:`Outcome`).
    tolerance : float or None
        The tolerance for this setting, fixed before the run; ``None`` when it follows from the run
        (e.g. a standard error of the measured sample), as ``tolerance_rule`` says.
    formula : str
        The prediction in symbols, with the paper's equation or section.
    tolerance_rule : str
        How the tolerance follows from the setting (or the run), and why.
    needs_run : str
        What of the prediction or tolerance only the run supplies; empty if nothing.
    details : dict
        Intermediate theory values (JSON-serialisable).
    null : float or None
        The value the measured quantity would take if the plausible wrong theory ``null_theory`` held
        (see :class:`Outcome`); ``None`` when it needs the run (then :meth:`outcome` takes it, and
        ``needs_run`` says so) or for an identity or a finding without one.
    null_theory : str
        The wrong theory the null comes from, in words.

    Examples
    --------
    >>> p = Prediction(predicted=0.5, comparison="abs", tolerance=0.01, formula="1/2",
    ...                tolerance_rule="5 standard errors", null=0.25, null_theory="a rate off by ×2")
    >>> out = p.outcome(0.503)
    >>> out.passes(), out.null_fails()
    (True, True)
    """

    predicted: float | tuple[float, float] | None
    comparison: str
    tolerance: float | None
    formula: str = ""
    tolerance_rule: str = ""
    needs_run: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    null: float | None = None
    null_theory: str = ""

    def __post_init__(self):
        check_choice(self.comparison, "comparison", COMPARISONS)
        _check_predicted(self.predicted, self.comparison, none_ok=True)
        if self.tolerance is not None:
            check_real(self.tolerance, "tolerance", min_val=0)
        _check_details(self.details)
        _check_null(self.null, self.null_theory)
        if (self.predicted is None or self.tolerance is None) and not self.needs_run:
            raise ValueError("needs_run: say what the run supplies when predicted or tolerance is None")

    def outcome(self, measured: float, *, predicted: Any = None, tolerance: float | None = None,
                details: dict[str, Any] | None = None, null: float | None = None,
                null_theory: str | None = None) -> Outcome:
        """The :class:`Outcome` of a run that measured ``measured``: this prediction's value, comparison,
        tolerance and null; ``predicted``/``tolerance`` are required exactly where this prediction left them to
        the run, and ``null`` (with ``null_theory`` unless this prediction names it) may be given only where it
        has none."""
        _check_value(measured, "measured")
        if details is not None:
            _check_details(details)
        if (predicted is None) != (self.predicted is not None):
            raise ValueError("predicted: give it exactly when the Prediction has none (it needs the run)")
        if (tolerance is None) != (self.tolerance is not None):
            raise ValueError("tolerance: give it exactly when the Prediction has none (it needs the run)")
        if null is not None and self.null is not None:
            raise ValueError("null: the Prediction already fixes its null; give it only where the null needs the run")
        pred = self.predicted if predicted is None else predicted
        tol = self.tolerance if tolerance is None else tolerance
        return Outcome(predicted=pred, measured=measured, tolerance=float(tol), comparison=self.comparison,
                       details={**self.details, **(details or {})},
                       null=self.null if null is None else null,
                       null_theory=self.null_theory if null_theory is None else null_theory)

    @property
    def is_bound(self) -> bool:
        """Whether the claim checks a threshold or an interval (no point prediction)."""
        return self.comparison in ("at_most", "at_least", "interval")

    def compared(self) -> str | None:
        """The inequality the verdict will test (``None`` while a value needs the run)."""
        if self.predicted is None or self.tolerance is None:
            return None
        return Outcome(predicted=self.predicted, measured=math.nan, tolerance=float(self.tolerance),
                       comparison=self.comparison).compared()

    def null_fails(self) -> bool | None:
        """Whether the null fails the comparison (``None`` while the null, the value or the tolerance needs the run)."""
        if self.null is None or self.predicted is None or self.tolerance is None:
            return None
        return Outcome(predicted=self.predicted, measured=math.nan, tolerance=float(self.tolerance),
                       comparison=self.comparison, null=self.null, null_theory=self.null_theory).null_fails()

    def to_json(self) -> dict[str, Any]:
        def num(v):
            return None if v is None else to_jsonable(tuple(map(float, v)) if isinstance(v, tuple) else float(v))

        return {"predicted": None if self.is_bound else num(self.predicted),
                "threshold": num(self.predicted) if self.is_bound else None,
                "comparison": self.comparison, "tolerance": num(self.tolerance), "compared": self.compared(),
                "formula": self.formula, "tolerance_rule": self.tolerance_rule, "needs_run": self.needs_run or None,
                "null": num(self.null), "null_theory": self.null_theory or None, "null_fails": self.null_fails(),
                "details": to_jsonable(self.details)}


def _same_number(a: Any, b: Any) -> bool:
    if isinstance(a, (tuple, list)) or isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)) and len(a) == len(b)
                and all(_same_number(x, y) for x, y in zip(a, b)))
    a, b = float(a), float(b)
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-300))


def check_prediction(c: "Claim", prediction: Prediction, out: Outcome) -> None:
    """``AssertionError`` unless the run's Outcome used the claim's Prediction (the same value, tolerance and
    comparison wherever the Prediction fixed them)."""
    check_claim_object(c)
    if not isinstance(prediction, Prediction):
        raise TypeError(f"prediction: expected a featlearn.claims.Prediction, got {type(prediction).__name__}")
    if not isinstance(out, Outcome):
        raise TypeError(f"out: expected a featlearn.claims.Outcome, got {type(out).__name__}")
    problems = []
    if out.comparison != prediction.comparison:
        problems.append(f"comparison {out.comparison!r} vs {prediction.comparison!r}")
    if prediction.predicted is not None and not _same_number(out.predicted, prediction.predicted):
        problems.append(f"predicted {out.predicted!r} vs {prediction.predicted!r}")
    if prediction.tolerance is not None and not _same_number(out.tolerance, prediction.tolerance):
        problems.append(f"tolerance {out.tolerance!r} vs {prediction.tolerance!r}")
    if problems:
        raise AssertionError(f"claim {c.id}: the run's outcome differs from its predict(setting): "
                             + "; ".join(problems))


@dataclass(frozen=True)
class Claim:
    """One registered prediction of a paper.

    ``predict(setting) -> Prediction`` gives the theory's prediction and tolerance for a setting
    without training (``featlearn predict``); ``quantity`` names what is measured, with its unit or
    scale (figure axes, ``featlearn show``); ``kind`` is one of :data:`KINDS`.
    """

    id: str
    paper: str
    where: str
    provenance: str
    statement: str
    fn: Callable[..., Outcome]
    tolerance_note: str = ""
    scales: tuple[str, ...] = SCALES
    known_discrepancy: str = ""
    experiment: str | None = None
    predict: Callable[[Any], Prediction] | None = None
    quantity: str = ""
    kind: str = ""

    @property
    def is_evidence(self) -> bool:
        """Whether the verdict is evidence for a theorem (a prediction or a bound, with a null that fails)."""
        return self.kind in EVIDENCE_KINDS

    @property
    def paper_cite(self) -> str:
        return PAPERS[self.paper]["cite"]

    def prediction(self, setting: Any) -> Prediction | None:
        """The claim's :class:`Prediction` on ``setting`` (``None`` for a claim without a predict function)."""
        if self.predict is None:
            return None
        p = self.predict(setting)
        if not isinstance(p, Prediction):
            raise TypeError(f"claim {self.id}: predict returned {type(p).__name__}, expected Prediction")
        return p


@dataclass
class ClaimResult:
    """A claim's run: its outcome (or the error it raised) and the verdict.

    Verdicts: ``"pass"``, ``"fail"``, ``"error"`` (the run raised), ``"skipped"`` (not
    resolvable at this scale; ``error`` says why) and ``"xfail"`` (failed, as documented in
    the claim's ``known_discrepancy``: a reported finding).
    """

    claim: Claim
    verdict: str
    outcome: Outcome | None
    seconds: float
    backend: str
    scale: str
    error: str | None = None
    #: the sweep records the claim read (claims on an experiment), for figures; not serialised
    records: list | None = field(default=None, repr=False)
    #: what the run was (featlearn.run_info.run_info), serialised under "run"
    run: dict | None = field(default=None, repr=False)
    #: the setting the claim ran on, as a dict of every field (None for a paper without a Setting)
    setting: dict | None = field(default=None, repr=False)
    #: the fields where that setting differs from the paper's default at the run's scale
    setting_changes: dict | None = field(default=None, repr=False)

    def to_json(self) -> dict[str, Any]:
        o = self.outcome

        def num(v):  # floats, non-finite as null (featlearn.output's JSON policy): a null measured never passes
            return None if v is None else to_jsonable(tuple(map(float, v)) if isinstance(v, tuple) else float(v))

        return {
            "id": self.claim.id,
            "paper": self.claim.paper_cite,
            "where": self.claim.where,
            "provenance": self.claim.provenance,
            "kind": self.claim.kind or None,
            "statement": self.claim.statement,
            # a bound or an interval is not a prediction: it is reported as "threshold", "predicted" is null
            "predicted": num(o.predicted) if o and not o.is_bound else None,
            "threshold": num(o.predicted) if o and o.is_bound else None,
            "measured": num(o.measured) if o else None,
            "tolerance": float(o.tolerance) if o else None,
            "comparison": o.comparison if o else None,
            "compared": o.compared() if o else None,
            "verdict": self.verdict,
            "backend": self.backend,
            "scale": self.scale,
            "seconds": round(self.seconds, 3),
            # the value a plausible wrong theory gives, and whether it fails the same comparison
            "null": num(o.null) if o else None,
            "null_theory": (o.null_theory or None) if o else None,
            "null_fails": o.null_fails() if o else None,
            "details": to_jsonable(o.details) if o else {},
            "error": self.error,
            "known_discrepancy": self.claim.known_discrepancy or None,
            "experiment": self.claim.experiment,
            "quantity": self.claim.quantity or None,
            "tolerance_note": self.claim.tolerance_note or None,
            "setting": self.setting,
            "setting_changes": self.setting_changes,
            **({"run": self.run} if self.run is not None else {}),
        }


REGISTRY: dict[str, Claim] = {}


def claim(*, id: str, paper: str, where: str, provenance: str, statement: str, tolerance_note: str = "",
          scales: tuple[str, ...] = SCALES, known_discrepancy: str = "", experiment: str | None = None,
          predict: Callable[[Any], Prediction] | None = None, quantity: str = "", kind: str | None = None):
    """Decorator registering ``fn(ctx) -> Outcome`` (or ``fn(ctx, records) -> Outcome``) as a claim.

    ``ctx`` is the run's :class:`~featlearn.context.RunContext` (namespace, device, dtype, scale,
    seed, the paper's setting; ``ctx.rng(*keys)`` for every random draw). With
    ``experiment="name"`` the claim reads the sweep of that registered experiment
    (:func:`featlearn.experiments.register_experiment`): the orchestrator runs the sweep at the
    run's scale through the store and calls ``fn(ctx, records)`` with its ok records (dicts
    of the cell's parameters, ``seed`` and the measured values).

    ``scales`` lists the scales at which the claim can be resolved (e.g. ``("paper",)`` for an
    effect that quick sizes are too small to show); at other scales it is reported as
    ``"skipped"`` with that reason, never silently dropped. ``known_discrepancy`` documents a
    measured disagreement between theory and experiment that we report as a finding: the claim
    still runs and a failure is shown as ``"xfail"`` (with the text) rather than hidden or
    re-tuned; a pass is shown as ``"pass"``.

    ``predict(setting) -> Prediction`` is the claim's theory on a setting, computed without training
    (``featlearn predict``); the run must build its Outcome from it (:meth:`Prediction.outcome`), which
    :func:`evaluate_claim` checks. ``quantity`` names the measured quantity with its unit or scale.

    ``kind`` (one of :data:`KINDS`) says what the verdict is evidence of: a ``"prediction"`` (point
    comparison) or a ``"bound"`` (threshold or interval) must give its Outcome a ``null`` that fails the
    comparison, or its verdict is ``"error"``; an ``"identity"`` is a regression check; a ``"finding"``
    reports a number where the theorem's quantity is vacuous at runnable sizes.

    Examples
    --------
    >>> from featlearn.claims import claim, load_claims, Outcome
    >>> _ = load_claims()  # the papers, so that "math" is a registered key
    >>> @claim(id="math.demo-one", paper="math", where="-", provenance="stated", statement="1 = 1",
    ...        kind="identity")
    ... def _demo(ctx):
    ...     return Outcome(predicted=1.0, measured=1.0, tolerance=0.0, comparison="equal")
    >>> from featlearn.claims import REGISTRY
    >>> _ = REGISTRY.pop("math.demo-one")
    """
    if paper not in PAPERS:
        raise ValueError(f"paper: unknown key {paper!r}; expected one of {', '.join(PAPERS)}")
    if provenance not in PROVENANCES:
        raise ValueError(f"provenance: expected one of {PROVENANCES}, got {provenance!r}")
    if isinstance(scales, (str, bytes)) or not isinstance(scales, Iterable):
        raise TypeError(f"scales: expected a tuple of scales from {SCALES}, got {type(scales).__name__}")
    scales = tuple(scales)
    if not scales or any(not isinstance(sc, str) or sc not in SCALES for sc in scales):
        raise ValueError(f"scales: expected a non-empty subset of {SCALES}, got {scales!r}")
    if not isinstance(id, str) or not id.startswith(paper + "."):
        raise ValueError(f"id: expected an id starting with the paper key {paper + '.'!r}, got {id!r}")
    if experiment is not None and (not isinstance(experiment, str) or not experiment):
        raise TypeError(f"experiment: expected the name of a registered experiment or None, got {experiment!r}")
    if predict is not None and not callable(predict):
        raise TypeError(f"predict: expected a function setting -> Prediction or None, got {type(predict).__name__}")
    if not isinstance(quantity, str):
        raise TypeError(f"quantity: expected a str, got {type(quantity).__name__}")
    check_choice(kind, "kind", KINDS)

    def deco(fn):
        if id in REGISTRY:
            raise ValueError(f"id: claim {id!r} is registered twice")
        REGISTRY[id] = Claim(id, paper, where, provenance, statement, fn, tolerance_note, tuple(scales),
                             known_discrepancy, experiment, predict, quantity, kind)
        return fn

    return deco


def load_claims() -> dict[str, Claim]:
    """The registry, every paper loaded (paper packages fill it on first use: :func:`featlearn.papers.load_papers`)."""
    from featlearn.papers import load_papers  # a lazy import: featlearn.papers imports this module

    load_papers()
    return REGISTRY


def select(pattern: str | None = None) -> list[Claim]:
    """Registered claims whose id matches a shell-style pattern (all if ``None``)."""
    if pattern is not None and not isinstance(pattern, str):
        raise TypeError(f"pattern: expected a shell-style pattern (str) or None, got {type(pattern).__name__}")
    claims = load_claims()
    ids = sorted(claims)
    if pattern:
        ids = [i for i in ids if fnmatch.fnmatchcase(i, pattern)]
        if not ids:
            raise ValueError(f"pattern/only: no claim id matches {pattern!r}; known ids: {', '.join(sorted(claims))}")
    return [claims[i] for i in ids]


class CellFailed(RuntimeError):
    """A claim's measurement failed in the sweep cell that ran it; the message is the cell's error text
    (type, message and the traceback where it happened), reported as it is."""


def evaluate_claim(c: Claim, ctx: RunContext, measure: Callable[[], Outcome], *, seconds: float | None = None
                   ) -> ClaimResult:
    """The one verdict computation: run ``measure()`` and turn its Outcome (or exception) into a result.

    Verdicts: ``"skipped"`` when the claim is not resolvable at ``ctx.scale``; ``"error"`` when
    ``measure`` raises; otherwise ``"pass"``, or ``"xfail"`` for a documented known discrepancy,
    or ``"fail"``.
    """
    check_claim_object(c)
    if not isinstance(ctx, RunContext):
        raise TypeError(f"ctx: expected a featlearn.context.RunContext (make_context(...)), got {type(ctx).__name__}")
    if not callable(measure):
        raise TypeError(f"measure: expected a callable measure() -> Outcome, got {type(measure).__name__}")
    if seconds is not None:
        seconds = check_real(seconds, "seconds", min_val=0)
    t0 = time.perf_counter()
    setting, changes = _setting_json(c, ctx)
    if ctx.scale not in c.scales:
        return ClaimResult(c, "skipped", None, 0.0, ctx.backend, ctx.scale,
                           f"resolvable only at {' / '.join(c.scales)} scale", setting=setting,
                           setting_changes=changes)
    try:
        out = measure()
        if not isinstance(out, Outcome):
            raise TypeError(f"claim {c.id} returned {type(out).__name__}, expected Outcome")
        prediction = c.prediction(ctx.setting)
        if prediction is not None:  # the verdict must rest on the prediction `featlearn predict` shows
            check_prediction(c, prediction, out)
        check_kind(c, out)
        verdict = "pass" if out.passes() else ("xfail" if c.known_discrepancy else "fail")
        err = None
    except CellFailed as exc:  # already "Type: message" and the traceback of the cell
        out, verdict, err = None, "error", str(exc)
    except Exception as exc:  # a crashing claim is reported, not hidden
        out, verdict = None, "error"
        err = f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=6)}"
    took = time.perf_counter() - t0 if seconds is None else seconds
    return ClaimResult(c, verdict, out, took, ctx.backend, ctx.scale, err, setting=setting, setting_changes=changes)


def check_kind(c: Claim, out: Outcome) -> None:
    """``AssertionError`` unless ``out`` is evidence of the kind ``c`` declares.

    A ``"prediction"`` compares a point (``abs``, ``rel``, ``equal``), a ``"bound"`` a threshold or an
    interval; both need a null (:attr:`Outcome.null`) that fails the comparison, or the verdict could not
    tell the theory from a plausible wrong one.
    """
    check_claim_object(c)
    if not isinstance(out, Outcome):
        raise TypeError(f"out: expected a featlearn.claims.Outcome, got {type(out).__name__}")
    if c.kind == "prediction" and out.comparison not in POINT_COMPARISONS:
        raise AssertionError(f"claim {c.id}: a prediction needs a point comparison {POINT_COMPARISONS}, "
                             f"got {out.comparison!r} (declare kind='bound')")
    if c.kind == "bound" and out.comparison not in BOUND_COMPARISONS:
        raise AssertionError(f"claim {c.id}: a bound needs a comparison in {BOUND_COMPARISONS}, "
                             f"got {out.comparison!r} (declare kind='prediction')")
    if c.kind in EVIDENCE_KINDS:
        if out.null is None:
            raise AssertionError(f"claim {c.id}: a {c.kind} records its null (the value a plausible wrong theory "
                                 "gives under the same measurement); this outcome has none")
        if not out.null_fails():
            raise AssertionError(f"claim {c.id}: its null {out.null:.4g} ({out.null_theory}) passes "
                                 f"`{out.compared()}` too: the verdict cannot tell the theory from its null")


def _setting_json(c: Claim, ctx: RunContext) -> tuple[dict | None, dict | None]:
    """The run's setting as a dict, and its fields that differ from the paper's default at the run's scale."""
    if not hasattr(ctx.setting, "to_dict"):
        return None, None
    from featlearn.context import resolve_setting

    setting = to_jsonable(ctx.setting.to_dict())
    try:
        default = resolve_setting(paper_setting(c.paper), ctx.scale)
        base = to_jsonable(default.to_dict()) if hasattr(default, "to_dict") else {}
    except Exception:  # a claim made outside a registered paper: no default to compare with
        base = {}
    return setting, {k: v for k, v in setting.items() if base.get(k, object()) != v}
