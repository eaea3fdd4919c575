"""Claim kinds and nulls: a prediction or a bound is evidence only if a plausible wrong theory fails it.

Every registered claim declares a kind (prediction, bound, identity, finding). A prediction compares a
point, a bound a threshold or an interval, and both record their *null* (the value the measurement would
take if a plausible wrong theory held), which must fail the same comparison; the orchestrator refuses,
with verdict "error", one that does not.
"""

from __future__ import annotations

import math

import pytest

from featlearn.claims import (
    EVIDENCE_KINDS,
    KINDS,
    Claim,
    Outcome,
    Prediction,
    check_kind,
    evaluate_claim,
    load_claims,
    make_context,
)
from featlearn.claims._registry import by_kind, kind_counts
from featlearn.context import resolve_setting
from featlearn.claims import paper_setting


def _claim(kind, fn=None):
    return Claim(id="math.kinds-test", paper="math", where="-", provenance="stated", statement="-",
                 fn=fn or (lambda ctx: None), kind=kind)


# -- the null's semantics ----------------------------------------------------------------------------------------
def test_null_fails_is_the_comparison_with_the_null_as_measurement():
    out = Outcome(predicted=0.19, measured=0.2, tolerance=0.03, null=0.1, null_theory="asymptotic exponent 0.1")
    assert out.passes() and out.null_fails()
    close = Outcome(predicted=0.19, measured=0.2, tolerance=0.1, null=0.1, null_theory="asymptotic exponent 0.1")
    assert close.null_fails() is False  # a tolerance that swallows the null: no power
    bound = Outcome(predicted=0.05, measured=0.2, tolerance=0.0, comparison="at_least", null=0.01,
                    null_theory="a non-feature direction")
    assert bound.passes() and bound.null_fails()
    assert Outcome(predicted=1.0, measured=1.0, tolerance=0.0).null_fails() is None


def test_null_is_checked():
    with pytest.raises(ValueError, match="null_theory"):
        Outcome(predicted=1.0, measured=1.0, tolerance=0.1, null=2.0)
    with pytest.raises(ValueError, match="null"):
        Outcome(predicted=1.0, measured=1.0, tolerance=0.1, null=math.nan, null_theory="x")
    with pytest.raises(TypeError, match="null"):
        Outcome(predicted=1.0, measured=1.0, tolerance=0.1, null="2", null_theory="x")
    with pytest.raises(TypeError, match="null_theory"):
        Prediction(predicted=1.0, comparison="abs", tolerance=0.1, null=2.0, null_theory=3)


def test_prediction_carries_its_null_into_the_outcome():
    p = Prediction(predicted=0.5, comparison="abs", tolerance=0.01, null=0.25, null_theory="a rate off by ×2")
    assert p.null_fails() is True
    out = p.outcome(0.503)
    assert (out.null, out.null_theory, out.null_fails()) == (0.25, "a rate off by ×2", True)
    with pytest.raises(ValueError, match="null"):
        p.outcome(0.5, null=0.3)  # the prediction fixed it: the run may not move it
    q = Prediction(predicted=-1.0, comparison="at_most", tolerance=0.3, needs_run="the null: a random ordering")
    assert q.null_fails() is None
    out = q.outcome(-1.0, null=0.0, null_theory="random ordering")
    assert out.null_fails() is True
    assert p.to_json()["null"] == 0.25 and p.to_json()["null_fails"] is True


# -- the kind decides what the orchestrator accepts ------------------------------------------------------------
@pytest.mark.parametrize("kind,out,problem", [
    ("prediction", Outcome(predicted=1.0, measured=1.0, tolerance=0.1, comparison="at_most", null=2.0,
                           null_theory="x"), "point comparison"),
    ("bound", Outcome(predicted=1.0, measured=1.0, tolerance=0.1, null=2.0, null_theory="x"), "bound needs"),
    ("prediction", Outcome(predicted=1.0, measured=1.0, tolerance=0.1), "records its null"),
    ("bound", Outcome(predicted=1.0, measured=0.5, tolerance=0.0, comparison="at_most", null=0.9,
                      null_theory="x"), "passes"),
])
def test_check_kind_refuses(kind, out, problem):
    with pytest.raises(AssertionError, match=problem):
        check_kind(_claim(kind), out)


@pytest.mark.parametrize("kind", ["identity", "finding", ""])
def test_identities_and_findings_need_no_null(kind):
    check_kind(_claim(kind), Outcome(predicted=0.0, measured=0.0, tolerance=1e-12, comparison="at_most"))


def test_evaluate_claim_reports_a_powerless_claim_as_an_error():
    ctx = make_context(backend="numpy", scale="quick", seed=0)
    weak = Outcome(predicted=1.0, measured=1.0, tolerance=5.0, null=2.0, null_theory="a constant off by ×2")
    res = evaluate_claim(_claim("prediction"), ctx, lambda: weak)
    assert res.verdict == "error" and "cannot tell the theory from its null" in res.error
    good = Outcome(predicted=1.0, measured=1.0, tolerance=0.1, null=2.0, null_theory="a constant off by ×2")
    res = evaluate_claim(_claim("prediction"), ctx, lambda: good)
    assert res.verdict == "pass"
    js = res.to_json()
    assert (js["kind"], js["null"], js["null_theory"], js["null_fails"]) == ("prediction", 2.0,
                                                                             "a constant off by ×2", True)


def test_grouping_and_headline():
    assert [k for k, _ in by_kind(["finding", "bound", "identity", "prediction"], lambda k: k)] == list(KINDS)
    text = kind_counts(["prediction", "bound", "bound", "identity"])
    assert text.startswith("4 claims: 3 evidence (1 prediction, 2 bounds), 1 identity")


# -- the registry: every claim declares a kind; every prediction and bound has a null that fails ---------------
CLAIMS = load_claims()


@pytest.mark.parametrize("cid", sorted(CLAIMS))
def test_every_claim_declares_a_kind(cid):
    assert CLAIMS[cid].kind in KINDS, f"{cid}: declare kind= one of {KINDS}"


def test_a_claim_without_a_kind_is_refused():
    from featlearn.claims import claim

    with pytest.raises(ValueError, match="kind"):
        claim(id="math.no-kind", paper="math", where="-", provenance="stated", statement="-")


@pytest.mark.parametrize("cid", sorted(CLAIMS))
def test_every_prediction_and_bound_has_a_null_that_fails(cid):
    """At both scales, before the run: the Prediction's null fails its comparison, or the null is left to the run
    (then ``needs_run`` says so, and the orchestrator checks it on every run: ``check_kind``)."""
    c = CLAIMS[cid]
    if c.kind not in EVIDENCE_KINDS or c.predict is None:
        return
    for scale in c.scales:
        p = c.prediction(resolve_setting(paper_setting(c.paper), scale))
        assert c.kind != "prediction" or p.comparison in ("abs", "rel", "equal"), f"{cid}: a prediction compares a point"
        assert c.kind != "bound" or p.is_bound, f"{cid}: a bound compares a threshold or an interval"
        if p.null is None:
            assert "null" in p.needs_run, f"{cid} ({scale}): no null, and needs_run does not say the run gives it"
        elif p.null_fails() is not None:
            assert p.null_fails(), (f"{cid} ({scale}): its null {p.null} ({p.null_theory}) passes "
                                    f"`{p.compared()}`: the claim cannot fail")


def test_the_store_keeps_the_null():
    # a self-measuring claim's Outcome travels through its sweep record as JSON: the null must survive it
    from featlearn.experiments._orchestrator import outcome_from_json, outcome_to_json

    out = Outcome(predicted=(0.1, 0.2), measured=0.15, tolerance=0.0, comparison="interval", null=0.5,
                  null_theory="the linear predictor's risk")
    back = outcome_from_json(outcome_to_json(out))
    assert (back.null, back.null_theory, back.null_fails()) == (0.5, "the linear predictor's risk", True)
    assert outcome_from_json(outcome_to_json(Outcome(predicted=1.0, measured=1.0, tolerance=0.1))).null is None
