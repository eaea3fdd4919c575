"""Device handling and host transfer for reporting."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import array_api_compat
import numpy as np


def _check_array(x: Any, name: str = "x") -> None:
    if not (hasattr(x, "shape") and hasattr(x, "dtype")):
        raise TypeError(f"{name}: expected an array, got {type(x).__name__}")


def device_of(x: Any) -> Any:
    """The device an array lives on (``array_api_compat.device``)."""
    _check_array(x)
    return array_api_compat.device(x)


def default_device(xp: ModuleType) -> Any:
    """The device a backend allocates on when none is given."""
    if not isinstance(xp, ModuleType):
        from featlearn.backends._namespace import get_namespace

        xp = get_namespace(xp, name="xp")
    return device_of(xp.zeros(1))


def to_host(x: Any) -> np.ndarray:
    """Copy an array of any backend to a NumPy array on the host (for reports and plots)."""
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(f"x: expected an array, got {type(x).__name__}")
    mod = type(x).__module__
    if mod.startswith("cupy"):
        return x.get()
    if mod.startswith("torch"):
        return x.detach().cpu().numpy()
    if mod.startswith("array_api_strict"):
        return np.from_dlpack(x)
    return np.asarray(x)


def to_scalar(x: Any) -> float:
    """A 0-d (or size-1) array of any backend as a Python float."""
    if isinstance(x, bool) or not isinstance(x, (int, float)) and not (hasattr(x, "shape") and hasattr(x, "dtype")):
        raise TypeError(f"x: expected a number or a size-1 array, got {type(x).__name__} {x!r}")
    if isinstance(x, (int, float)):
        return float(x)
    if getattr(x.dtype, "kind", None) == "c" or "complex" in str(x.dtype):
        raise TypeError(f"x: expected a real array, got dtype {x.dtype}")
    h = to_host(x)
    if h.size != 1:
        raise ValueError(f"x: expected a scalar array, got shape {h.shape}")
    return float(h.reshape(()))
