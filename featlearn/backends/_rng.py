"""Seeded randomness for every backend.

The Array API standard has no random number generator, so featlearn provides one.
A :class:`Generator` is built from an explicit integer seed and draws arrays of the
requested backend, dtype and device.

Two modes:

``"host"``
    Draw with NumPy's PCG64 on the host and transfer. Identical numbers on every
    backend for the same seed, so backends can be compared on the same inputs.
``"native"``
    Draw with the backend's own generator on its device (CuPy, PyTorch, JAX), avoiding
    host-device traffic for large GPU runs. Same seed gives the same numbers on the same
    backend and device. Backends without a native generator (NumPy, array-api-strict)
    draw on the host, which is their native generator.

``"auto"`` (default) is ``"native"`` on GPUs and ``"host"`` otherwise.
"""

from __future__ import annotations

import zlib
from types import ModuleType
from typing import Any

import numpy as np

from featlearn.backends._dtypes import on_gpu, resolve_float_dtype
from featlearn.backends._namespace import backend_name, check_device, get_namespace
from featlearn.validation import check_int, check_memory, check_real, check_seed

_MODES = ("auto", "host", "native")


def _check_shape(shape: Any) -> tuple[int, ...]:
    if isinstance(shape, (tuple, list)):
        return tuple(check_int(s, f"shape[{i}]", min_val=0) for i, s in enumerate(shape))
    try:
        return (check_int(shape, "shape", min_val=0),)
    except TypeError:
        raise TypeError(f"shape: expected an int or a tuple of ints, got {shape!r}") from None


#: Draws from this size on are checked against the machine's memory (querying it costs a system call).
_CHECKED_DRAW_BYTES = 2.0**28


def _check_draw(shape: tuple[int, ...], what: str, bytes_per_entry: float = 24.0) -> None:
    """``MemoryRefusal`` naming ``shape`` when a draw of that shape cannot fit, before anything is drawn.

    24 bytes per entry: a host draw holds the float64 draw, its affine transform and the converted copy.
    """
    nbytes = bytes_per_entry * float(np.prod(shape, dtype=np.float64))
    if nbytes >= _CHECKED_DRAW_BYTES:  # small draws skip the memory query: they sit in loops
        check_memory(nbytes, f"Generator.{what}: a draw of shape {shape}")


def _key_int(key: Any) -> int:
    if isinstance(key, str):
        return zlib.crc32(key.encode())  # stable across runs, unlike hash()
    try:
        return check_int(key, "keys", min_val=0)
    except TypeError:
        raise TypeError(f"keys: expected non-negative ints or strs, got {type(key).__name__}") from None


class Generator:
    """A seeded random generator that returns arrays of a chosen Array-API backend.

    Parameters
    ----------
    seed : int
        Non-negative integer seed. Same seed, same numbers (per backend and mode).
    xp : str or module, optional
        Backend name or namespace; default ``"numpy"``.
    device : optional
        Device to allocate on (backend default if omitted).
    mode : {"auto", "host", "native"}
        Where numbers are drawn; see the module docstring.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> rng = Generator(0, xp="numpy")
    >>> x = rng.normal((3, 2))
    >>> x.shape
    (3, 2)
    >>> bool((Generator(0).normal(4) == Generator(0).normal(4)).all())
    True
    """

    def __init__(self, seed: int, *, xp: str | ModuleType = "numpy", device: Any = None,
                 mode: str = "auto", _spawn_key: tuple[int, ...] = ()):
        seed = check_seed(seed)
        if mode not in _MODES:
            raise ValueError(f"mode: expected one of {_MODES}, got {mode!r}")
        self.xp = get_namespace(xp, name="xp")
        self.device = check_device(self.xp, device)
        self.seed = int(seed)
        if not isinstance(_spawn_key, tuple):
            if isinstance(_spawn_key, (str, bytes)) or not hasattr(_spawn_key, "__iter__"):
                raise TypeError(f"_spawn_key: expected a tuple of ints, got {type(_spawn_key).__name__}")
            _spawn_key = tuple(_spawn_key)
        self._spawn_key = tuple(check_int(k, "_spawn_key", min_val=0) for k in _spawn_key)
        self.backend = backend_name(self.xp)
        if mode == "auto":
            mode = "native" if on_gpu(self.xp, device) else "host"
        if self.backend in ("numpy", "array_api_strict"):
            mode = "host"  # NumPy's generator is their native one
        self.mode = mode
        self._seq = np.random.SeedSequence(self.seed, spawn_key=self._spawn_key)
        self._host = np.random.Generator(np.random.PCG64(self._seq))
        self._native = self._make_native() if mode == "native" else None

    # -- construction ------------------------------------------------------------
    def _native_seed(self) -> int:
        return int(self._seq.generate_state(1, dtype=np.uint32)[0])

    def _make_native(self):
        s = self._native_seed()
        if self.backend == "torch":
            import torch

            dev = torch.device(self.device) if self.device is not None else torch.device("cpu")
            g = torch.Generator(device=dev)
            g.manual_seed(s)
            return g
        if self.backend == "cupy":
            import cupy

            with cupy.cuda.Device(self.device if self.device is not None else cupy.cuda.Device().id):
                return cupy.random.default_rng(s)
        if self.backend == "jax":
            import jax

            return [jax.random.PRNGKey(s)]  # boxed so draws can split it in place
        raise ValueError(f"mode: no native generator for backend {self.backend!r}")

    def child(self, *keys: int | str) -> "Generator":
        """An independent generator for a named purpose (e.g. ``rng.child("test-data")``).

        Children depend only on the parent seed and the keys, never on what the parent
        has drawn, so adding a draw elsewhere does not change a child's stream.
        """
        if not keys:
            raise ValueError("keys: give at least one str or int key")
        return Generator(self.seed, xp=self.xp, device=self.device, mode=self.mode,
                         _spawn_key=self._spawn_key + tuple(_key_int(k) for k in keys))

    def with_namespace(self, xp: str | ModuleType, device: Any = None) -> "Generator":
        """The same stream (seed and keys) drawing arrays of another backend."""
        return Generator(self.seed, xp=xp, device=device,
                         mode="host" if self.mode == "host" else "auto", _spawn_key=self._spawn_key)

    def __repr__(self) -> str:
        return (f"Generator(seed={self.seed}, xp={self.backend!r}, device={self.device!r}, "
                f"mode={self.mode!r}, key={self._spawn_key})")

    # -- transfer -----------------------------------------------------------------
    def _on_device(self, arr):
        """JAX draws land on the default device; move them where the generator was asked to draw."""
        if self.device is None:
            return arr
        import jax

        return jax.device_put(arr, self.device)

    def _from_host(self, arr: np.ndarray, dtype):
        return self.xp.asarray(arr, dtype=dtype, device=self.device)

    def _float(self, dtype):
        return resolve_float_dtype(self.xp, dtype, self.device)

    # -- draws --------------------------------------------------------------------
    def normal(self, shape, *, dtype=None, mean: float = 0.0, std: float = 1.0):
        """I.i.d. N(mean, std²) entries."""
        shape = _check_shape(shape)
        dt = self._float(dtype)
        mean, std = check_real(mean, "mean"), check_real(std, "std", min_val=0.0)
        _check_draw(shape, "normal")
        if self._native is None:
            z = self._host.standard_normal(shape)
            return self._from_host(mean + std * z, dt)
        if self.backend == "torch":
            import torch

            z = torch.randn(shape, generator=self._native, dtype=dt, device=self._native.device)
        elif self.backend == "cupy":
            z = self._native.standard_normal(shape, dtype=dt)
        else:
            import jax

            self._native[0], sub = jax.random.split(self._native[0])
            z = self._on_device(jax.random.normal(sub, shape, dtype=dt))
        return mean + std * z

    def uniform(self, shape, *, low: float = 0.0, high: float = 1.0, dtype=None):
        """I.i.d. Uniform[low, high) entries."""
        shape = _check_shape(shape)
        dt = self._float(dtype)
        low = check_real(low, "low")
        high = check_real(high, "high", min_val=low, include_boundaries="neither")
        _check_draw(shape, "uniform")
        if self._native is None:
            return self._from_host(self._host.uniform(low, high, shape), dt)
        if self.backend == "torch":
            import torch

            u = torch.rand(shape, generator=self._native, dtype=dt, device=self._native.device)
        elif self.backend == "cupy":
            u = self._native.random(shape, dtype=dt)
        else:
            import jax

            self._native[0], sub = jax.random.split(self._native[0])
            u = self._on_device(jax.random.uniform(sub, shape, dtype=dt))
        return low + (high - low) * u

    def rademacher(self, shape, *, dtype=None):
        """I.i.d. uniform signs ±1 (as floats)."""
        u = self.uniform(shape, dtype=dtype)
        return 2.0 * self.xp.astype(u < 0.5, u.dtype) - 1.0

    def integers(self, low: int, high: int, shape):
        """I.i.d. uniform integers in [low, high) as ``int64`` (drawn on the host)."""
        shape = _check_shape(shape)
        low = check_int(low, "low")
        high = check_int(high, "high")
        if high <= low:
            raise ValueError(f"low, high: expected low < high, got low={low}, high={high}")
        _check_draw(shape, "integers", 16.0)  # the int64 host draw and its copy on the backend
        return self.xp.asarray(self._host.integers(low, high, shape), dtype=self.xp.int64, device=self.device)

    def sphere(self, n: int, d: int, *, radius: float = 1.0, dtype=None):
        """``n`` i.i.d. rows uniform on the sphere of the given radius in R^d (normalised Gaussians)."""
        n, d = check_int(n, "n", min_val=0), check_int(d, "d", min_val=1)
        radius = check_real(radius, "radius", min_val=0.0, include_boundaries="neither")
        _check_draw((n, d), "sphere (n, d)", 32.0)  # the normal draw and the normalised rows
        g = self.normal((n, d), dtype=dtype)
        norms = self.xp.linalg.vector_norm(g, axis=1, keepdims=True)
        return radius * g / norms


def default_rng(seed: int, *, xp: str | ModuleType = "numpy", device: Any = None,
                mode: str = "auto") -> Generator:
    """Shorthand for :class:`Generator` (mirrors ``numpy.random.default_rng``)."""
    return Generator(seed, xp=xp, device=device, mode=mode)

