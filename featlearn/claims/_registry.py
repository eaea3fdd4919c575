"""The claims registry: quantitative predictions of the papers, turned into code.

A *claim* is one prediction: a predicted value computed by theory code, a measured value
from a real run on a chosen backend, a tolerance (justified where the claim is defined)
and a verdict. Provenance is ``"stated"`` when the statement was read in an available
source, ``"reconstructed"`` when it is our reconstruction of a paper we could not read
in full (see ``shared/research/``); reconstructed claims are never presented as the
paper's theorem.
"""

from __future__ import annotations

import fnmatch
import math
import time
import traceback
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from featlearn.backends import Generator, backend_name, get_namespace

#: The papers featlearn covers, by the key used in claim ids.
PAPERS: dict[str, dict[str, str]] = {
    "ndl23": {"cite": "Nichani, Damian, Lee 2023",
              "title": "Provable Guarantees for Nonlinear Feature Learning in Three-Layer Neural Networks",
              "url": "https://arxiv.org/abs/2305.06986"},
    "mlhd23": {"cite": "Moniri, Lee, Hassani, Dobriban 2023",
               "title": "A Theory of Non-Linear Feature Learning with One Gradient Step in Two-Layer Neural Networks",
               "url": "https://arxiv.org/abs/2310.07891"},
    "swl23": {"cite": "Shi, Wei, Liang 2023",
              "title": "Provable Guarantees for Neural Networks via Gradient Feature Learning",
              "url": "https://arxiv.org/abs/2310.12408"},
    "sl21": {"cite": "Safran, Lee 2021",
             "title": "Optimization-Based Separations for Neural Networks",
             "url": "https://arxiv.org/abs/2112.02393"},
    "ba22": {"cite": "Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022",
             "title": "High-dimensional Asymptotics of Feature Learning: How One Gradient Step Improves the "
                      "Representation",
             "url": "https://arxiv.org/abs/2205.01445"},
    "math": {"cite": "Standard results",
             "title": "Hermite analysis and Gaussian/spherical measure facts the papers build on",
             "url": ""},
}

PROVENANCES = ("stated", "reconstructed")
SCALES = ("quick", "paper")
COMPARISONS = ("abs", "rel", "at_most", "at_least", "interval", "equal")


@dataclass(frozen=True)
class Outcome:
    """What a claim's run returns: predicted (from theory code) vs measured (from a run).

    ``comparison`` decides the verdict:

    * ``"abs"``: ``|measured − predicted| <= tolerance``;
    * ``"rel"``: ``|measured − predicted| <= tolerance·|predicted|``;
    * ``"at_most"`` / ``"at_least"``: a bound, ``measured <= predicted + tolerance`` / ``>= predicted − tolerance``;
    * ``"interval"``: ``predicted`` is ``(low, high)``; ``low − tolerance <= measured <= high + tolerance``;
    * ``"equal"``: exact equality (integers such as spike counts; tolerance must be 0).
    """

    predicted: float | tuple[float, float]
    measured: float
    tolerance: float
    comparison: str = "abs"
    details: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        if self.comparison not in COMPARISONS:
            raise ValueError(f"comparison: expected one of {COMPARISONS}, got {self.comparison!r}")
        if not (isinstance(self.tolerance, (int, float)) and self.tolerance >= 0):
            raise ValueError(f"tolerance: expected a number >= 0, got {self.tolerance!r}")
        if self.comparison == "equal" and self.tolerance != 0:
            raise ValueError(f"tolerance: the 'equal' comparison needs tolerance 0, got {self.tolerance!r}")

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


@dataclass
class ClaimContext:
    """What a claim's run receives: backend, scale and the seed that all randomness flows from."""

    xp: ModuleType
    scale: str = "quick"
    seed: int = 0
    device: Any = None
    dtype: Any = None
    progress: Callable[[str], None] = lambda msg: None

    @property
    def backend(self) -> str:
        return backend_name(self.xp)

    def rng(self, *keys: int | str) -> Generator:
        """A generator for one purpose of the run, derived from the context seed and ``keys``."""
        g = Generator(self.seed, xp=self.xp, device=self.device)
        return g.child(*keys) if keys else g

    def pick(self, quick, paper):
        """Choose a size by scale."""
        return quick if self.scale == "quick" else paper


@dataclass(frozen=True)
class Claim:
    """One registered prediction of a paper."""

    id: str
    paper: str
    where: str
    provenance: str
    statement: str
    fn: Callable[[ClaimContext], Outcome]
    tolerance_note: str = ""
    scales: tuple[str, ...] = SCALES
    known_discrepancy: str = ""

    @property
    def paper_cite(self) -> str:
        return PAPERS[self.paper]["cite"]


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

    def to_json(self) -> dict[str, Any]:
        o = self.outcome

        def num(v):
            if v is None:
                return None
            if isinstance(v, tuple):
                return [float(x) for x in v]
            v = float(v)
            return v if math.isfinite(v) else None  # JSON has no NaN; a null measured never passes

        return {
            "id": self.claim.id,
            "paper": self.claim.paper_cite,
            "where": self.claim.where,
            "provenance": self.claim.provenance,
            "statement": self.claim.statement,
            "predicted": num(o.predicted) if o else None,
            "measured": num(o.measured) if o else None,
            "tolerance": float(o.tolerance) if o else None,
            "comparison": o.comparison if o else None,
            "verdict": self.verdict,
            "backend": self.backend,
            "scale": self.scale,
            "seconds": round(self.seconds, 3),
            "details": _jsonable(o.details) if o else {},
            "error": self.error,
            "known_discrepancy": self.claim.known_discrepancy or None,
        }


def _jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, (str, bool)) or obj is None:
        return obj
    try:
        v = float(obj)
    except (TypeError, ValueError):
        return str(obj)
    return v if math.isfinite(v) else None


REGISTRY: dict[str, Claim] = {}


def claim(*, id: str, paper: str, where: str, provenance: str, statement: str, tolerance_note: str = "",
          scales: tuple[str, ...] = SCALES, known_discrepancy: str = ""):
    """Decorator registering ``fn(ctx) -> Outcome`` as a claim.

    ``scales`` lists the scales at which the claim can be resolved (e.g. ``("paper",)`` for an
    effect that quick sizes are too small to show); at other scales it is reported as
    ``"skipped"`` with that reason, never silently dropped. ``known_discrepancy`` documents a
    measured disagreement between theory and experiment that we report as a finding: the claim
    still runs and a failure is shown as ``"xfail"`` (with the text) rather than hidden or
    re-tuned; a pass is shown as ``"pass"``.

    Examples
    --------
    >>> from featlearn.claims import claim, Outcome
    >>> @claim(id="demo.one", paper="math", where="-", provenance="stated", statement="1 = 1")
    ... def _demo(ctx):
    ...     return Outcome(predicted=1.0, measured=1.0, tolerance=0.0)
    >>> from featlearn.claims import REGISTRY
    >>> _ = REGISTRY.pop("demo.one")
    """
    if paper not in PAPERS:
        raise ValueError(f"paper: unknown key {paper!r}; expected one of {', '.join(PAPERS)}")
    if provenance not in PROVENANCES:
        raise ValueError(f"provenance: expected one of {PROVENANCES}, got {provenance!r}")
    if not scales or any(sc not in SCALES for sc in scales):
        raise ValueError(f"scales: expected a non-empty subset of {SCALES}, got {scales!r}")

    def deco(fn):
        if id in REGISTRY:
            raise ValueError(f"id: claim {id!r} is registered twice")
        REGISTRY[id] = Claim(id, paper, where, provenance, statement, fn, tolerance_note, tuple(scales),
                             known_discrepancy)
        return fn

    return deco


def load_claims() -> dict[str, Claim]:
    """Import every claim module so that the registry is complete."""
    from featlearn.claims import _modules  # noqa: F401  (imports register claims)

    return REGISTRY


def select(pattern: str | None = None) -> list[Claim]:
    """Registered claims whose id matches a shell-style pattern (all if ``None``)."""
    claims = load_claims()
    ids = sorted(claims)
    if pattern:
        ids = [i for i in ids if fnmatch.fnmatchcase(i, pattern)]
        if not ids:
            raise ValueError(f"only: no claim id matches {pattern!r}; known ids: {', '.join(sorted(claims))}")
    return [claims[i] for i in ids]


def run_claim(c: Claim, *, backend: str | ModuleType = "numpy", scale: str = "quick", seed: int = 0,
              device: Any = None, progress: Callable[[str], None] = lambda m: None) -> ClaimResult:
    """Run one claim and return its result; an exception becomes verdict ``"error"``.

    A claim not resolvable at ``scale`` (see :func:`claim`) gives verdict ``"skipped"``.
    """
    if scale not in SCALES:
        raise ValueError(f"scale: expected one of {SCALES}, got {scale!r}")
    xp = get_namespace(backend)
    ctx = ClaimContext(xp=xp, scale=scale, seed=seed, device=device, progress=progress)
    t0 = time.perf_counter()
    if scale not in c.scales:
        return ClaimResult(c, "skipped", None, 0.0, ctx.backend, scale,
                           f"resolvable only at {' / '.join(c.scales)} scale")
    try:
        out = c.fn(ctx)
        if not isinstance(out, Outcome):
            raise TypeError(f"claim {c.id} returned {type(out).__name__}, expected Outcome")
        verdict = "pass" if out.passes() else ("xfail" if c.known_discrepancy else "fail")
        err = None
    except Exception as exc:  # a crashing claim is reported, not hidden
        out, verdict = None, "error"
        err = f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=6)}"
    return ClaimResult(c, verdict, out, time.perf_counter() - t0, ctx.backend, scale, err)
