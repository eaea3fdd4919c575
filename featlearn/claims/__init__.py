"""Registered claims: each paper's quantitative predictions as predicted-vs-measured checks."""

from featlearn.claims._registry import (
    PAPERS,
    REGISTRY,
    Claim,
    ClaimContext,
    ClaimResult,
    Outcome,
    claim,
    load_claims,
    run_claim,
    select,
)

__all__ = ["PAPERS", "REGISTRY", "Claim", "ClaimContext", "ClaimResult", "Outcome", "claim", "load_claims",
           "run_claim", "select"]
