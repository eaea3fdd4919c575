"""Shared test helpers: dtype-aware comparisons and the seeds and settings the tests share."""

from __future__ import annotations

import math
from typing import Any

from featlearn.backends import array_namespace, to_host

#: Seeds used by tests that check a statistical statement over several replicates.
SEEDS = (0, 1, 2)

#: Relative tolerance per dtype for results of O(1) arithmetic steps: a few hundred ulps
#: (float32 eps ≈ 1.2e-7, float64 eps ≈ 2.2e-16), like SciPy's ``xp_assert_close`` defaults.
_RTOL = {"float32": 1e-5, "float64": 1e-10}


def dtype_name(x: Any) -> str:
    """``"float32"`` or ``"float64"`` for an array (of any backend)."""
    xp = array_namespace(x)
    return "float32" if x.dtype == xp.float32 else "float64"


def tolerance(x: Any) -> float:
    """Default relative tolerance for an array's dtype."""
    return _RTOL[dtype_name(x)]


def assert_close(actual: Any, desired: Any, *, rtol: float | None = None, atol: float = 0.0,
                 err_msg: str = "") -> None:
    """Assert two arrays (or an array and numbers) agree, with ``rtol`` defaulting to the dtype's.

    ``actual`` and ``desired`` may be on different backends; both are moved to the host. The
    comparison is the relative Frobenius error ``‖a − d‖ ≤ atol + rtol·‖d‖`` (neural-tangents'
    form), which does not fail on individual near-zero entries.
    """
    if rtol is None:
        rtol = tolerance(actual) if hasattr(actual, "dtype") else _RTOL["float64"]
    a = to_host(actual) if hasattr(actual, "dtype") else actual
    d = to_host(desired) if hasattr(desired, "dtype") else desired
    import numpy as np

    a, d = np.asarray(a, dtype=np.float64), np.asarray(d, dtype=np.float64)
    if d.ndim == 0:  # a number stands for every entry
        d = np.broadcast_to(d, a.shape)
    assert a.shape == d.shape, f"shapes differ: {a.shape} vs {d.shape}. {err_msg}"
    assert np.all(np.isfinite(a)), f"actual has non-finite entries. {err_msg}"
    err, ref = float(np.linalg.norm(a - d)), float(np.linalg.norm(d))
    assert err <= atol + rtol * ref or math.isclose(err, 0.0), \
        f"relative error {err / ref if ref else err:.3e} > rtol {rtol:.1e} (atol {atol:.1e}). {err_msg}"


def assert_equal(actual: Any, desired: Any, *, err_msg: str = "") -> None:
    """Assert two arrays (or an array and numbers) are equal entry by entry, on any backends.

    For identities only a bug can break (the same stream drawn twice, a replay of a run): both
    sides are moved to the host and compared exactly; NaN equals NaN, as in NumPy's testing.
    """
    import numpy as np

    a = to_host(actual) if hasattr(actual, "dtype") else actual
    d = to_host(desired) if hasattr(desired, "dtype") else desired
    np.testing.assert_array_equal(a, d, err_msg=err_msg)  # the one place that calls NumPy's testing
