"""The claim framework: quantitative predictions as predicted-vs-measured checks.

Paper packages (:mod:`featlearn.papers`) register papers and claims into it; this package
never imports paper content. :func:`featlearn.experiments.run_check` runs claims through the
sweep store; :func:`evaluate_claim` is the one verdict computation.
"""

from featlearn.claims._registry import (
    COMPARISONS,
    PAPERS,
    PROVENANCES,
    REGISTRY,
    SCALES,
    Claim,
    ClaimContext,
    ClaimResult,
    Outcome,
    claim,
    evaluate_claim,
    load_claims,
    make_context,
    register_paper,
    run_claim,
    select,
)

__all__ = ["COMPARISONS", "PAPERS", "PROVENANCES", "REGISTRY", "SCALES", "Claim", "ClaimContext", "ClaimResult",
           "Outcome", "claim", "evaluate_claim", "load_claims", "make_context", "register_paper", "run_claim",
           "select"]
