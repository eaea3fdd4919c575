"""featlearn.backends: namespaces by name, mixed-backend errors, backend probing, host transfer, dtypes."""

from __future__ import annotations

import sys
import types

import numpy as np
import pytest

import featlearn.backends._namespace as ns
from featlearn.backends import (
    BACKEND_NAMES,
    array_namespace,
    available_backends,
    backend_name,
    default_float_dtype,
    get_namespace,
    resolve_float_dtype,
    to_host,
    to_scalar,
)
from helpers import assert_equal


# -- get_namespace ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, module",
    [("numpy", "array_api_compat.numpy"), ("array_api_strict", "array_api_strict"),
     ("torch", "array_api_compat.torch"), ("Array-API-Strict", "array_api_strict"),
     (" NumPy ", "array_api_compat.numpy")],
)
def test_get_namespace_by_name(name, module):
    if "torch" in name and not _usable("torch"):
        pytest.skip("torch unavailable")
    assert get_namespace(name).__name__ == module


def test_get_namespace_passes_a_namespace_through():
    import array_api_strict

    assert get_namespace(array_api_strict) is array_api_strict


def test_get_namespace_unknown_name():
    with pytest.raises(ValueError, match="backend: unknown backend 'tensorflow'"):
        get_namespace("tensorflow")


def test_get_namespace_rejects_non_names():
    with pytest.raises(TypeError, match="backend"):
        get_namespace(3)


def test_unusable_backends_raise_with_their_reason():
    bad = [b for b in available_backends() if not b.usable]
    if not bad:
        pytest.skip("every backend is usable here")
    for info in bad:
        with pytest.raises(ValueError, match="not usable on this machine"):
            get_namespace(info.name)


def _fake_cupy(monkeypatch, devices):
    """Make ``import cupy`` succeed with a stub whose CUDA runtime reports ``devices``."""
    fake = types.ModuleType("cupy")
    fake.__version__ = "0.0-test"
    monkeypatch.setitem(sys.modules, "cupy", fake)

    def count():
        if isinstance(devices, Exception):
            raise devices
        return devices

    monkeypatch.setattr(ns, "_cuda_devices_cupy", count)


def test_cupy_without_gpu_is_unusable_and_get_namespace_says_why(monkeypatch):
    _fake_cupy(monkeypatch, 0)
    info = {b.name: b for b in available_backends()}["cupy"]
    assert not info.usable
    assert "no CUDA device answers" in info.reason
    with pytest.raises(ValueError, match="cupy.*not usable.*no CUDA device"):
        get_namespace("cupy")


def test_cupy_whose_driver_fails_is_unusable(monkeypatch):
    _fake_cupy(monkeypatch, RuntimeError("cudaErrorNoDevice"))
    info = {b.name: b for b in available_backends()}["cupy"]
    assert not info.usable and "cudaErrorNoDevice" in info.reason


# -- available_backends ----------------------------------------------------------------------------------
def _usable(name):
    return {b.name: b for b in available_backends()}[name].usable


def test_available_backends_lists_all_five_with_reasons():
    infos = available_backends()
    assert [b.name for b in infos] == list(BACKEND_NAMES) == ["numpy", "array_api_strict", "torch", "jax", "cupy"]
    for b in infos:
        assert isinstance(b.usable, bool)
        assert isinstance(b.reason, str) and b.reason.strip()
    assert infos[0].usable  # numpy is a hard dependency


# -- array_namespace -------------------------------------------------------------------------------------
def test_array_namespace_mixed_backends_is_a_type_error():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="arrays from different backends in one call"):
        array_namespace(np.zeros(2), torch.zeros(2))


def test_array_namespace_mixed_strict_and_numpy():
    import array_api_strict

    with pytest.raises(TypeError, match="different backends"):
        array_namespace(array_api_strict.zeros(2), np.zeros(2))


def test_array_namespace_ignores_scalars_and_none(xp):
    a = xp.zeros(3)
    assert array_namespace(a, None, 1.0, 2) is array_namespace(a)


def test_array_namespace_needs_an_array():
    with pytest.raises(TypeError, match="at least one array"):
        array_namespace(None, 1.0)


def test_backend_name_round_trip(backend, xp):
    assert backend_name(xp) == backend
    assert backend_name(array_namespace(xp.ones(2))) == backend


# -- to_host / to_scalar ---------------------------------------------------------------------------------
def test_to_host_gives_numpy_with_same_values(xp):
    a = xp.asarray([1.5, -2.0, 3.25], dtype=xp.float32)
    h = to_host(a)
    assert isinstance(h, np.ndarray)
    assert h.dtype == np.float32
    assert_equal(h, np.array([1.5, -2.0, 3.25], dtype=np.float32))


def test_to_scalar(xp):
    assert to_scalar(xp.asarray(2.5)) == 2.5
    assert to_scalar(xp.asarray([7.0])) == 7.0  # size-1 arrays are scalars too
    assert to_scalar(3) == 3.0 and isinstance(to_scalar(3), float)
    with pytest.raises(ValueError, match="scalar"):
        to_scalar(xp.asarray([1.0, 2.0]))


# -- dtypes ----------------------------------------------------------------------------------------------
def test_default_float_dtype_is_float64_on_cpu(xp):
    assert default_float_dtype(xp) == xp.float64


def test_resolve_float_dtype(xp):
    assert resolve_float_dtype(xp, "float32") == xp.float32
    assert resolve_float_dtype(xp, xp.float64) == xp.float64
    assert resolve_float_dtype(xp, None) == xp.float64
    with pytest.raises(ValueError, match="dtype"):
        resolve_float_dtype(xp, "float16")
    with pytest.raises(ValueError, match="dtype"):
        resolve_float_dtype(xp, xp.int64)


def test_plain_library_module_is_its_array_api_namespace():
    # ``import numpy as xp`` passed as xp= is the same backend as the arrays NumPy makes
    import numpy as np

    from featlearn.backends import Generator, array_namespace, get_namespace

    assert get_namespace(np) is get_namespace("numpy")
    x = Generator(0, xp=np).normal(3)
    assert array_namespace(x) is get_namespace(np)
