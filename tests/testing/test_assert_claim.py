"""featlearn.testing.assert_claim / assert_prediction on throwaway claims registered for the test."""

from __future__ import annotations

import unittest

import pytest

from featlearn.claims import REGISTRY, Outcome, Prediction, claim
from featlearn.testing import assert_claim, assert_prediction, namespace, usable_backends

_IDS = ("math.testing-fails", "math.testing-passes", "math.testing-raises", "math.testing-known",
        "math.testing-bound", "math.testing-paper-only", "math.testing-nan-prediction")


@pytest.fixture
def throwaway_claims():
    """Register synthetic claims under the math paper; removed from REGISTRY afterwards."""
    common = dict(paper="math", where="test", provenance="reconstructed", statement="a synthetic claim",
                  kind="identity")

    @claim(id="math.testing-fails", **common)
    def _fails(ctx):
        return Outcome(predicted=0.75, measured=0.9 + 0 * ctx.setting.sphere_d, tolerance=0.01)

    @claim(id="math.testing-passes", **common)
    def _passes(ctx):
        return Outcome(predicted=0.75, measured=0.751, tolerance=0.01)

    @claim(id="math.testing-raises", **common)
    def _raises(ctx):
        raise RuntimeError("the measurement broke on purpose")

    @claim(id="math.testing-known", known_discrepancy="finite-size effect measured and documented", **common)
    def _known(ctx):
        return Outcome(predicted=1.0, measured=2.0, tolerance=0.1)

    @claim(id="math.testing-bound", **common)
    def _bound(ctx):
        return Outcome(predicted=0.5, measured=0.61, tolerance=0.0, comparison="at_most")

    @claim(id="math.testing-paper-only", scales=("paper",), **common)
    def _paper_only(ctx):
        return Outcome(predicted=1.0, measured=1.0, tolerance=0.0)

    def nan_prediction(setting):
        return Prediction(predicted=float("nan"), comparison="abs", tolerance=0.1)

    @claim(id="math.testing-nan-prediction", predict=nan_prediction, **common)
    def _nan(ctx):
        return Outcome(predicted=float("nan"), measured=0.0, tolerance=0.1)

    try:
        yield
    finally:
        for i in _IDS:
            REGISTRY.pop(i, None)


def test_a_failing_claim_prints_the_inequality_and_the_setting(throwaway_claims):
    with pytest.raises(AssertionError) as info:
        assert_claim("math.testing-fails", sphere_d=3, seed=2)
    msg = str(info.value)
    assert "math.testing-fails failed: |measured − 0.75| ≤ 0.01 is false (measured 0.9)" in msg
    assert "quick defaults with sphere_d=3" in msg
    assert "backend numpy, seed 2, scale quick" in msg


def test_a_bound_prints_its_threshold(throwaway_claims):
    with pytest.raises(AssertionError, match=r"measured ≤ 0\.5 is false \(measured 0\.61\)"):
        assert_claim("math.testing-bound")


def test_a_passing_claim_returns_its_result(throwaway_claims):
    r = assert_claim("math.testing-passes")
    assert r.verdict == "pass" and r.outcome.measured == pytest.approx(0.751)


def test_a_crashing_claim_prints_the_error_text(throwaway_claims):
    with pytest.raises(AssertionError, match="(?s)math.testing-raises raised an error.*the measurement broke on purpose"):
        assert_claim("math.testing-raises")


def test_a_known_discrepancy_fails_unless_allowed(throwaway_claims):
    with pytest.raises(AssertionError, match="(?s)known discrepancy.*finite-size effect measured"):
        assert_claim("math.testing-known")
    assert assert_claim("math.testing-known", allow_known_discrepancy=True).verdict == "xfail"


def test_a_claim_of_another_scale_is_a_skip(throwaway_claims):
    with pytest.raises(unittest.SkipTest, match="resolvable only at paper"):
        assert_claim("math.testing-paper-only")


def test_a_setting_object_and_bad_input(throwaway_claims):
    import featlearn

    s = featlearn.claim("math.testing-fails").setting(sphere_d=5)
    with pytest.raises(AssertionError, match="sphere_d=5"):
        assert_claim("math.testing-fails", s)
    with pytest.raises(ValueError, match="unknown claim"):
        assert_claim("math.no-such-claim")
    with pytest.raises(ValueError, match="nope"):
        assert_claim("math.testing-passes", nope=1)


def test_assert_prediction(throwaway_claims):
    with pytest.raises(AssertionError, match="no predict"):
        assert_prediction("math.testing-passes")
    with pytest.raises(AssertionError, match="not finite"):
        assert_prediction("math.testing-nan-prediction")


def test_a_real_claim_passes_on_a_small_setting():
    assert assert_claim("math.relu-hermite", relu_hermite_n=2**14).verdict == "pass"


def test_namespace_and_usable_backends():
    assert "numpy" in usable_backends()
    assert namespace("numpy").__name__ == "array_api_compat.numpy"
    with pytest.raises(ValueError, match="unknown backend"):
        namespace("numpyy")


def test_assert_prediction_of_a_real_claim():
    import featlearn

    if featlearn.claim("math.sphere-fourth-moment").claim.predict is None:
        pytest.skip("math.sphere-fourth-moment has no predict(setting) in this checkout")
    p = assert_prediction("math.sphere-fourth-moment", sphere_d=8)
    assert p.predicted == pytest.approx(3 * 8 / 10)
