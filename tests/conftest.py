"""Test configuration: the ``xp`` fixture over backends and the Hypothesis profiles.

Backends join the matrix when they import and (for CuPy) a CUDA device answers; the
others are skipped with the reason :func:`featlearn.backends.available_backends` gives.
``FEATLEARN_BACKENDS=numpy,torch`` restricts the matrix.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from featlearn.backends import available_backends, get_namespace
from featlearn.papers import load_papers

# the CLI loads the paper packages from the top; the tests do the same once
load_papers()

# helper scripts run as subprocesses (they act on import) and helper modules are not test modules;
# --doctest-modules must not import them
collect_ignore_glob = ["experiments/_*.py", "helpers.py"]

# CI profile: deterministic (derandomized, no example database), no deadline since
# numerical examples vary in run time. "explore" searches longer with fresh randomness.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, max_examples=25,
                          print_blob=True, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, max_examples=500, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

_INFO = {b.name: b for b in available_backends()}
_WANTED = os.environ.get("FEATLEARN_BACKENDS")
_BACKENDS = ["numpy", "array_api_strict", "torch", "jax", "cupy"]


def _param(name):
    marks = [pytest.mark.gpu] if name == "cupy" else []
    return pytest.param(name, id=name, marks=marks)


@pytest.fixture(params=[_param(b) for b in _BACKENDS])
def backend(request) -> str:
    """Name of a usable backend (others skip with the reason they are not usable)."""
    name = request.param
    if _WANTED and name not in _WANTED.split(","):
        pytest.skip(f"{name} not in FEATLEARN_BACKENDS={_WANTED}")
    info = _INFO[name]
    if not info.usable:
        pytest.skip(f"{name} unavailable: {info.reason}")
    return name


@pytest.fixture
def xp(backend):
    """The Array-API namespace of each usable backend."""
    return get_namespace(backend)


@pytest.fixture(params=["float64", "float32"])
def dtype_name(request) -> str:
    """The float dtype axis (float32 is the GPU default; tolerances come from ``helpers.tolerance``)."""
    return request.param


@pytest.fixture
def xp_dtype(xp, dtype_name):
    """``(xp, dtype)`` over every usable backend × {float64, float32}."""
    return xp, getattr(xp, dtype_name)
