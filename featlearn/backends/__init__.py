"""Array namespaces, devices, dtype policy and seeded randomness.

Everything array-valued in featlearn is written against the namespace ``xp`` that
this module resolves through ``array-api-compat``.
"""

from featlearn.backends._namespace import (
    BACKEND_NAMES,
    BackendInfo,
    array_namespace,
    available_backends,
    backend_name,
    get_namespace,
)
from featlearn.backends._dtypes import default_float_dtype, on_gpu, resolve_float_dtype
from featlearn.backends._device import default_device, device_of, to_host, to_scalar
from featlearn.backends._rng import Generator, default_rng

__all__ = [
    "BACKEND_NAMES",
    "BackendInfo",
    "Generator",
    "array_namespace",
    "available_backends",
    "backend_name",
    "default_device",
    "default_float_dtype",
    "default_rng",
    "device_of",
    "get_namespace",
    "on_gpu",
    "resolve_float_dtype",
    "to_host",
    "to_scalar",
]
