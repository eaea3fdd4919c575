"""Cui et al. 2024: the spiked random-features prediction is a finite, non-negative risk on every drawn setting.

(The measured-vs-predicted claims cui24.test-error-* carry a tolerance calibrated at d = 400 with
four seeds; at the small d a property test can afford they are not expected to hold, so this
suite checks the theory side on drawn step settings.)
"""

import math

from hypothesis import HealthCheck, given, settings

from featlearn.papers.cui24 import theory
from featlearn.testing import strategies as fst

FEW = settings(max_examples=3, deadline=None, derandomize=True, database=None,
               suppress_health_check=[HealthCheck.too_slow])


@FEW
@given(fst.settings("cui24", vary=["step_eta_tildes", "step_alpha0s", "step_alphas", "step_lams"]))
def test_fixed_point_risk_is_finite_and_non_negative(s):
    for cell in s.one_step_settings():  # the zipped (eta~, alpha0, alpha, lambda) of the drawn setting
        for link in ("tanh", "sin"):
            fp = theory(link, **cell)
            assert math.isfinite(fp.test_excess) and fp.test_excess >= 0.0, (link, cell)
