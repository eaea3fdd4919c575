"""Moniri–Lee–Hassani–Dobriban 2023: the gradient's spike direction overlaps beta* as predicted, at drawn d/n."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.testing import assert_claim
from featlearn.testing import strategies as fst

FEW = settings(max_examples=3, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])

# a two-point spectral sweep (one replicate each) keeps one run under a few seconds; the
# tolerance of the claim follows n, the prediction c*(d/n) follows the drawn ratio
SMALL = dict(spectral_ns=(512, 1024), spectral_reps=(1, 1))


@FEW
@given(fst.settings("mlhd23", vary=["ratio"], **SMALL), st.integers(0, 1000))
def test_direction_overlap_matches_its_prediction_at_every_ratio(featlearn_backend, s, seed):
    assert_claim("mlhd23.direction-overlap", s, backend=featlearn_backend, seed=seed)
