"""Dtype policy: float64 by default on CPU backends, float32 on GPUs, float32 allowed everywhere.

In float32 the small p × p ridge algebra is still done in float64 (``featlearn.models.ridge.ridge_dtype``):
features and forward passes stay in float32.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from featlearn.backends._namespace import backend_name, check_device, get_namespace

_FLOAT_NAMES = ("float32", "float64")


def on_gpu(xp: ModuleType, device: Any = None) -> bool:
    """Whether arrays of ``xp`` on ``device`` live on a GPU (CuPy, torch-CUDA, JAX on GPU)."""
    if not isinstance(xp, ModuleType):
        xp = get_namespace(xp, name="xp")
    check_device(xp, device)
    name = backend_name(xp)
    if name == "cupy":
        return True
    if device is not None and "cuda" in str(device).lower():
        return True
    if name == "jax" and device is None:
        import jax

        return jax.default_backend() != "cpu"
    return False


def default_float_dtype(xp: ModuleType, device: Any = None):
    """float64 on CPU backends (exactness of theory checks), float32 on GPUs (throughput)."""
    if not isinstance(xp, ModuleType):
        xp = get_namespace(xp, name="xp")
    return xp.float32 if on_gpu(xp, device) else xp.float64


def resolve_float_dtype(xp: ModuleType, dtype: Any = None, device: Any = None):
    """Return a real floating dtype of ``xp`` from ``None``, a name or a dtype.

    Raises
    ------
    ValueError
        If ``dtype`` is not one of float32/float64.
    """
    if not isinstance(xp, ModuleType):
        xp = get_namespace(xp, name="xp")
    if dtype is None:
        return default_float_dtype(xp, device)
    check_device(xp, device)
    if isinstance(dtype, str):
        if dtype not in _FLOAT_NAMES:
            raise ValueError(f"dtype: expected one of {_FLOAT_NAMES}, got {dtype!r}")
        return getattr(xp, dtype)
    try:
        if dtype == xp.float32 or dtype == xp.float64:
            return dtype
    except TypeError:  # NumPy compares a dtype with an object it cannot read as one by raising
        pass
    raise ValueError(f"dtype: expected float32 or float64 of {xp.__name__}, got {dtype!r}")
