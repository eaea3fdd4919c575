"""The claim framework: quantitative predictions as predicted-vs-measured checks.

Paper packages (:mod:`featlearn.papers`) register papers and claims into it; this package
never imports paper content. Claims receive a :class:`RunContext`; :func:`run_claim` (the
orchestrator :class:`featlearn.experiments.Orchestrator`, as ``featlearn check`` runs it) runs a
claim through the sweep store, and :func:`evaluate_claim` is the one verdict computation.
"""

from featlearn.claims._registry import (
    COMPARISONS,
    EVIDENCE_KINDS,
    KIND_HEADINGS,
    KINDS,
    PAPERS,
    PROVENANCES,
    REGISTRY,
    SCALES,
    Claim,
    ClaimContext,
    ClaimResult,
    Outcome,
    Prediction,
    check_kind,
    check_prediction,
    claim,
    evaluate_claim,
    load_claims,
    paper_setting,
    register_paper,
    select,
)
from featlearn.context import RunContext, make_context

__all__ = ["COMPARISONS", "EVIDENCE_KINDS", "KIND_HEADINGS", "KINDS", "PAPERS", "PROVENANCES", "REGISTRY", "SCALES", "Claim", "ClaimContext", "ClaimResult",
           "Outcome", "Prediction", "RunContext", "check_kind", "check_prediction", "claim", "evaluate_claim", "load_claims", "make_context", "paper_setting",
           "register_paper", "run_claim", "select"]


def __getattr__(name: str):
    # run_claim is the orchestrator's (featlearn.experiments), which builds on this package:
    # imported on first use so that importing featlearn.claims never imports the engine
    if name == "run_claim":
        from featlearn.experiments._orchestrator import run_claim

        return run_claim
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
