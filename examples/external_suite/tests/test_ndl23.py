"""Nichani–Damian–Lee: the degree-2 kernel eigenvalue on drawn dimensions and Monte-Carlo sizes."""

from hypothesis import HealthCheck, given, settings

from featlearn.testing import assert_claim
from featlearn.testing import strategies as fst

FEW = settings(max_examples=3, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(fst.settings("ndl23", vary=["eig_d", "eig_n", "eig_features_per_group"]))
def test_degree2_harmonics_are_kernel_eigenfunctions(featlearn_backend, s):
    assert_claim("ndl23.kernel-degree2-eigenvalue", s, backend=featlearn_backend)
