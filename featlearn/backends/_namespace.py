"""Resolve an Array-API namespace from a backend name or from arrays."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import array_api_compat

#: Backend names understood by :func:`get_namespace`, in the order they are listed.
BACKEND_NAMES = ("numpy", "array_api_strict", "torch", "jax", "cupy")


@dataclass(frozen=True)
class BackendInfo:
    """Whether a backend is usable on this machine, and why (not)."""

    name: str
    usable: bool
    reason: str
    version: str | None = None


def _cuda_devices_cupy() -> int:
    import cupy  # noqa: F401  (imported for its side effect of loading CUDA)

    return int(cupy.cuda.runtime.getDeviceCount())


def _probe(name: str) -> BackendInfo:
    """Import a backend and, for CuPy, check that a CUDA device actually answers."""
    try:
        mod = importlib.import_module("jax" if name == "jax" else name)
    except Exception as exc:  # ImportError, or CUDA libraries failing at import
        return BackendInfo(name, False, f"cannot import {name!r}: {exc.__class__.__name__}: {exc}")
    version = getattr(mod, "__version__", None)
    if name == "cupy":
        try:
            count = _cuda_devices_cupy()
            if count < 1:
                return BackendInfo(name, False, "cupy imports but no CUDA device answers", version)
            # a real allocation: drivers can report devices that cannot run kernels
            import cupy

            float(cupy.arange(3).sum())
        except Exception as exc:
            return BackendInfo(name, False, f"cupy imports but no CUDA device answers ({exc})", version)
        return BackendInfo(name, True, f"{count} CUDA device(s)", version)
    if name == "jax":
        try:
            import jax

            devs = ", ".join(sorted({d.platform for d in jax.devices()}))
        except Exception as exc:
            return BackendInfo(name, False, f"jax imports but has no device ({exc})", version)
        return BackendInfo(name, True, f"devices: {devs}", version)
    if name == "torch":
        cuda = mod.cuda.is_available()
        return BackendInfo(name, True, "cpu" + (" + cuda" if cuda else ""), version)
    return BackendInfo(name, True, "cpu", version)


def available_backends() -> list[BackendInfo]:
    """List every known backend with whether it is usable here and why.

    Returns
    -------
    list of BackendInfo
        One entry per name in :data:`BACKEND_NAMES`.

    Examples
    --------
    >>> from featlearn.backends import available_backends
    >>> [b.name for b in available_backends() if b.usable][0]
    'numpy'
    """
    return [_probe(name) for name in BACKEND_NAMES]


#: Libraries whose own module is not their Array-API namespace (array_api_compat wraps them).
_PLAIN_LIBRARIES = ("numpy", "torch", "cupy")


def get_namespace(backend: str | ModuleType | Any = "numpy", *, name: str = "backend") -> ModuleType:
    """Return the Array-API namespace for a backend name (or pass a namespace through).

    Parameters
    ----------
    backend : str or module
        One of :data:`BACKEND_NAMES`, or an Array-API namespace already resolved.
    name : str
        The caller's name for the argument (``"xp"``), used in the messages.

    Raises
    ------
    ValueError
        If the name is unknown, or the backend is not usable on this machine
        (e.g. ``"cupy"`` without a CUDA device).

    Examples
    --------
    >>> from featlearn.backends import get_namespace
    >>> xp = get_namespace("numpy")
    >>> xp.__name__
    'array_api_compat.numpy'
    >>> import numpy as np
    >>> get_namespace(np) is xp
    True
    """
    return _resolve(backend, name)


def _resolve(backend: Any, argument: str) -> ModuleType:
    """:func:`get_namespace` for the argument called ``argument`` (its messages name it)."""
    if isinstance(backend, ModuleType):
        # the plain libraries (``import numpy as xp``) stand for their Array-API namespaces, so that an
        # array of ``np`` and an ``xp=np`` argument are one backend, not two
        return _resolve(backend.__name__, argument) if backend.__name__ in _PLAIN_LIBRARIES else backend
    if not isinstance(backend, str):
        raise TypeError(f"{argument}: expected a backend name (str) or a namespace, got {type(backend).__name__}")
    name = backend.strip().lower().replace("-", "_")
    if name not in BACKEND_NAMES:
        raise ValueError(f"{argument}: unknown backend {backend!r}; expected one of {', '.join(BACKEND_NAMES)}")
    info = _probe(name)
    if not info.usable:
        raise ValueError(f"{argument}: {name!r} is not usable on this machine: {info.reason}")
    if name == "numpy":
        import array_api_compat.numpy as xp
    elif name == "torch":
        import array_api_compat.torch as xp
    elif name == "cupy":
        import array_api_compat.cupy as xp
    elif name == "array_api_strict":
        import array_api_strict as xp
    else:  # jax: jax.numpy is itself an Array-API namespace
        import jax

        jax.config.update("jax_enable_x64", True)  # float64 on CPU, as for the other backends
        import jax.numpy as xp
    return xp


def array_namespace(*arrays: Any) -> ModuleType:
    """Namespace of the given arrays; a clear ``TypeError`` if they mix backends.

    ``None`` and Python scalars are ignored, as in ``array_api_compat.array_namespace``.
    """
    arrs = [a for a in arrays if a is not None and not isinstance(a, (int, float, bool, complex))]
    if not arrs:
        raise TypeError("expected at least one array to infer the namespace from (pass xp= explicitly)")
    seqs = [a for a in arrs if not (hasattr(a, "shape") and hasattr(a, "dtype"))]
    if seqs:  # a list is not "an array of another backend": say what it is
        raise TypeError(f"expected arrays, got {type(seqs[0]).__name__} (convert host sequences with xp.asarray, "
                        f"or pass the arguments to a featlearn function that converts them)")
    try:
        return array_api_compat.array_namespace(*arrs)
    except TypeError:
        kinds = sorted({type(a).__module__.split(".")[0] + "." + type(a).__name__ for a in arrs})
        # the types say which arrays clash; array_api_compat's own text (module reprs) says nothing more
        raise TypeError(f"arrays from different backends in one call: {', '.join(kinds)}; convert them to one "
                        f"backend") from None


#: (namespace name, device) pairs already checked by :func:`check_device` (it runs in hot loops).
_DEVICES_OK: set = set()


def check_device(xp: ModuleType, device: Any, argument: str = "device") -> Any:
    """``device`` if ``xp`` can allocate on it (``None``: the default device), else an error naming ``argument``.

    ``TypeError`` for an object that is no device of any kind, ``ValueError`` for a device name or
    number the backend does not have.
    """
    if device is None:
        return None
    try:
        key = (xp.__name__, device)
        if key in _DEVICES_OK:
            return device
    except TypeError:  # an unhashable device
        key = None
    try:
        xp.zeros(0, device=device)
    except Exception:  # noqa: BLE001 - each backend refuses a bad device with its own exception
        if isinstance(device, (str, int)) and not isinstance(device, bool) or type(device).__name__ in (
                "device", "Device", "CpuDevice", "CudaDevice"):
            raise ValueError(f"{argument}: {device!r} is not a usable device of {backend_name(xp)}") from None
        raise TypeError(f"{argument}: expected a device of {backend_name(xp)} (e.g. from "
                        f"featlearn.backends.default_device), got {type(device).__name__}") from None
    if key is not None:
        _DEVICES_OK.add(key)
    return device


def backend_name(xp: ModuleType) -> str:
    """Short backend name (one of :data:`BACKEND_NAMES`) for a namespace (a backend name is accepted too)."""
    if not isinstance(xp, ModuleType):
        xp = get_namespace(xp, name="xp")
    mod = xp.__name__
    if "array_api_strict" in mod:
        return "array_api_strict"
    for name in ("jax", "torch", "cupy", "numpy"):  # jax first: its namespace is "jax.numpy"
        if name in mod:
            return name
    return mod
