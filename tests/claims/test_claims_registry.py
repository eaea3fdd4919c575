"""featlearn.claims: Outcome verdicts, run_claim, select, claim registration, and the registry's contents."""

from __future__ import annotations

import math

import pytest

from featlearn.claims import PAPERS, REGISTRY, Claim, Outcome, claim, load_claims, run_claim, select
from featlearn.claims._registry import COMPARISONS, PROVENANCES

NAN, INF = float("nan"), float("inf")


# -- Outcome.passes --------------------------------------------------------------------------------------
@pytest.mark.parametrize("comparison, predicted, tol, inside, outside", [
    # values just inside/outside each bound (not on it: 1.1 − 1.0 > 0.1 in floating point)
    ("abs", 1.0, 0.1, [1.0, 1.09, 0.91, 1.05], [1.11, 0.89, -1.0]),
    ("rel", 2.0, 0.1, [2.0, 2.19, 1.81], [2.21, 1.79]),
    ("rel", -2.0, 0.1, [-2.19, -1.81], [2.0, -2.21]),
    ("at_most", 1.0, 0.1, [-5.0, 1.0, 1.09], [1.11, 3.0]),
    ("at_least", 1.0, 0.1, [0.91, 1.0, 50.0], [0.89, -1.0]),
    ("interval", (1.0, 2.0), 0.1, [0.91, 1.5, 2.09], [0.89, 2.11]),
    ("equal", 3.0, 0.0, [3.0], [3.0000001, 2.0]),
])
def test_outcome_comparisons(comparison, predicted, tol, inside, outside):
    for m in inside:
        assert Outcome(predicted, m, tol, comparison).passes(), (comparison, m)
    for m in outside:
        assert not Outcome(predicted, m, tol, comparison).passes(), (comparison, m)


@pytest.mark.parametrize("comparison", COMPARISONS)
@pytest.mark.parametrize("measured", [NAN, INF, -INF])
def test_non_finite_measurement_never_passes(comparison, measured):
    predicted = (-1e308, 1e308) if comparison == "interval" else 0.0
    tol = 0.0 if comparison == "equal" else 1e308
    assert not Outcome(predicted, measured, tol, comparison).passes()


def test_nan_prediction_never_passes():
    for comparison in ("abs", "rel", "at_most", "at_least", "equal"):
        assert not Outcome(NAN, 0.0, 0.0 if comparison == "equal" else 1.0, comparison).passes()


def test_rel_with_zero_prediction_needs_exact_match():
    assert Outcome(0.0, 0.0, 0.5, "rel").passes()
    assert not Outcome(0.0, 1e-300, 0.5, "rel").passes()


def test_outcome_validation():
    with pytest.raises(ValueError, match="comparison"):
        Outcome(1.0, 1.0, 0.1, "approx")
    with pytest.raises(ValueError, match="tolerance"):
        Outcome(1.0, 1.0, -0.1)
    with pytest.raises(ValueError, match="tolerance"):
        Outcome(1.0, 1.0, NAN)


def test_equal_comparison_requires_zero_tolerance():
    # the Outcome docstring says "equal" is exact equality and "tolerance must be 0"
    with pytest.raises(ValueError, match="tolerance"):
        Outcome(3.0, 3.0, 0.5, "equal")


# -- run_claim -------------------------------------------------------------------------------------------
def _claim(fn, id="test.tmp"):
    return Claim(id=id, paper="math", where="test", provenance="stated", statement="test", fn=fn,
                 tolerance_note="test")


def test_run_claim_verdicts():
    ok = run_claim(_claim(lambda ctx: Outcome(1.0, 1.05, 0.1)))
    assert ok.verdict == "pass" and ok.error is None and ok.backend == "numpy" and ok.scale == "quick"
    bad = run_claim(_claim(lambda ctx: Outcome(1.0, 1.5, 0.1)))
    assert bad.verdict == "fail"
    nan = run_claim(_claim(lambda ctx: Outcome(1.0, NAN, 0.1)))
    assert nan.verdict == "fail"
    j = nan.to_json()
    assert j["measured"] is None and j["verdict"] == "fail"  # JSON has no NaN


def test_run_claim_turns_exceptions_into_error_verdicts():
    def boom(ctx):
        raise RuntimeError("kaput")

    r = run_claim(_claim(boom))
    assert r.verdict == "error" and r.outcome is None
    assert "RuntimeError: kaput" in r.error
    assert r.to_json()["verdict"] == "error"
    wrong = run_claim(_claim(lambda ctx: 1.0))
    assert wrong.verdict == "error" and "expected Outcome" in wrong.error


def test_run_claim_passes_context():
    seen = {}

    def fn(ctx):
        seen.update(backend=ctx.backend, scale=ctx.scale, seed=ctx.seed, size=ctx.pick(1, 2))
        return Outcome(0.0, 0.0, 0.0)

    run_claim(_claim(fn), backend="array_api_strict", scale="paper", seed=7)
    assert seen == {"backend": "array_api_strict", "scale": "paper", "seed": 7, "size": 2}


def test_run_claim_bad_scale():
    with pytest.raises(ValueError, match="scale"):
        run_claim(_claim(lambda ctx: Outcome(0.0, 0.0, 0.0)), scale="huge")


# -- registration and select -----------------------------------------------------------------------------
def test_claim_decorator_validation():
    with pytest.raises(ValueError, match="paper"):
        claim(id="t.x", paper="nope", where="-", provenance="stated", statement="-")
    with pytest.raises(ValueError, match="provenance"):
        claim(id="math.x", paper="math", where="-", provenance="guessed", statement="-")


def test_claim_decorator_registers_and_rejects_duplicates():
    deco = claim(id="math.test-dup", paper="math", where="-", provenance="stated", statement="-", tolerance_note="-",
                 kind="identity")
    try:
        deco(lambda ctx: Outcome(0.0, 0.0, 0.0))
        assert "math.test-dup" in REGISTRY
        with pytest.raises(ValueError, match="registered twice"):
            claim(id="math.test-dup", paper="math", where="-", provenance="stated", statement="-",
                  kind="identity")(lambda ctx: None)
    finally:
        REGISTRY.pop("math.test-dup", None)


def test_select():
    everything = select()
    ids = [c.id for c in everything]
    assert ids == sorted(ids) and len(ids) == len(load_claims())
    math_claims = select("math.*")
    assert math_claims and all(c.id.startswith("math.") for c in math_claims)
    assert [c.id for c in select("math.single-index-hermite")] == ["math.single-index-hermite"]
    assert {c.id for c in select("*hermite*")} >= {"math.relu-hermite", "math.single-index-hermite"}
    with pytest.raises(ValueError, match="no claim id matches"):
        select("no-such-claim.*")


# -- the registry's contents -----------------------------------------------------------------------------
ALL_IDS = sorted(load_claims())
MATH_IDS = [i for i in ALL_IDS if i.startswith("math.")]


@pytest.mark.parametrize("cid", ALL_IDS)
def test_registered_claim_metadata(cid):
    c = REGISTRY[cid]
    assert c.paper in PAPERS
    assert c.provenance in PROVENANCES
    assert c.tolerance_note.strip(), f"{cid} needs a tolerance_note saying why the tolerance has its size"
    assert c.statement.strip() and c.where.strip()
    assert cid.split(".")[0] == c.paper or c.paper != "math", "math.* ids must be math claims"


@pytest.mark.parametrize("cid", MATH_IDS)
def test_math_claims_pass_at_quick_scale_on_numpy(cid):
    from featlearn.experiments import run_check

    (r,) = run_check([REGISTRY[cid]], backend="numpy", scale="quick", seed=0, progress=False)
    assert r.verdict == "pass", (r.error, r.outcome)
    assert math.isfinite(float(r.outcome.measured))
