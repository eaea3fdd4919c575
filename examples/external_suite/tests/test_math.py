"""Standard results (featlearn's "math" paper): Monte-Carlo claims hold on drawn sizes."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import featlearn
from featlearn.papers.math import relu_hermite_closed_form
from featlearn.testing import assert_claim
from featlearn.testing import strategies as fst

FEW = settings(max_examples=4, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(fst.settings("math", vary=["sphere_d", "sphere_n"]))
def test_sphere_fourth_moment_holds_on_every_drawn_size(featlearn_backend, s):
    """E[x_1^4] = 3d/(d+2) on the sphere of radius sqrt(d), for d in [1, 8] and n in [2^14, 2^17]."""
    assert_claim("math.sphere-fourth-moment", s, backend=featlearn_backend)


@FEW
@given(fst.settings("math", vary=["relu_hermite_n"]), st.integers(0, 2**16))
def test_relu_hermite_holds_for_every_seed(featlearn_backend, s, seed):
    assert_claim("math.relu-hermite", s, backend=featlearn_backend, seed=seed)


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 30))
def test_relu_hermite_coefficients_vanish_at_odd_degrees(k):
    mu = relu_hermite_closed_form(k)
    assert math.isfinite(mu)
    if k >= 3 and k % 2 == 1:
        assert mu == 0.0


def _prediction(claim_id, **changes):
    handle = featlearn.claim(claim_id)
    try:
        return handle.predict(**changes)
    except ValueError as exc:
        if "no predict" in str(exc):
            pytest.skip(f"{claim_id} has no predict(setting) in this featlearn: {exc}")
        raise


@settings(max_examples=5, deadline=None, derandomize=True, database=None)
@given(st.integers(1, 60))
def test_sphere_prediction_is_finite_and_increases_with_d(d):
    """3d/(d+2) increases with d toward the Gaussian value 3."""
    p, q = _prediction("math.sphere-fourth-moment", sphere_d=d), _prediction("math.sphere-fourth-moment",
                                                                               sphere_d=d + 1)
    assert math.isfinite(p.predicted) and p.predicted < q.predicted < 3.0


@FEW
@given(fst.settings("math", vary=["single_index_d", "single_index_n", "relu_hermite_n"]))
def test_predictions_are_finite_on_every_drawn_setting(s):
    from featlearn.testing import assert_prediction

    for claim_id in ("math.single-index-hermite", "math.relu-hermite", "math.sphere-fourth-moment"):
        try:
            assert_prediction(claim_id, s)
        except AssertionError as exc:
            if "no predict" in str(exc):
                pytest.skip(str(exc))
            raise
