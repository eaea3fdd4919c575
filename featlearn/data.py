"""The one data layer: replayable sample streams, chunked iteration and streamed evaluation.

Every model and every claim sweep takes its data through this module:

* :class:`TargetStream` -- ``n`` samples ``(x, y = f*(x) + noise)`` of a target, drawn block by
  block. Block ``i`` is drawn from ``rng.child("block", i)`` with a fixed block size
  (:data:`DEFAULT_BLOCK`) that is **independent of the training chunk**, so the data -- and
  every result computed from them -- do not depend on how a model chunks its passes, and a
  stream can be replayed (iterated again) without ever holding the ``n × d`` design;
* :class:`ArrayStream` -- arrays already in memory;
* :func:`as_stream` -- a stream from a stream or an ``(X, y)`` / ``(X, y, clean)`` tuple;
* :func:`iter_batches` -- chunks of at most ``chunk`` rows, with the one finiteness policy
  (non-finite inputs or labels raise ``ValueError``; on a GPU the check is accumulated on the
  device and raised at the end of the pass, before its statistics can be used);
* :func:`streamed_mean` / :func:`streamed_mse` / :func:`pearson` -- streamed evaluation with
  standard errors.

Memory is ``O(block·d)`` for the data, whatever ``n`` is.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterator

from featlearn.backends import array_namespace, device_of, on_gpu, resolve_float_dtype, to_scalar
from featlearn.validation import (all_finite, check_array, check_backend, check_bool, check_generator, check_int,
                                  check_memory, check_real, check_real_dtype, reference_namespace)

__all__ = [
    "accumulate",
    "DEFAULT_BLOCK",
    "DEFAULT_CHUNK",
    "ArrayStream",
    "Batch",
    "MeanEstimate",
    "Stream",
    "TargetStream",
    "sample_blocks_root",
    "as_stream",
    "chunk_bounds",
    "iter_batches",
    "iter_xy",
    "pearson",
    "streamed_mean",
    "streamed_mse",
]

#: Default samples per training chunk: each chunk is a GEMM-sized matrix product, and
#: chunk × width floats fit comfortably in memory.
DEFAULT_CHUNK = 4096
#: Samples per random block of a :class:`TargetStream`. Fixed, so that the drawn data never
#: depend on the chunk size a model uses.
DEFAULT_BLOCK = 2**14


def chunk_bounds(n: int, chunk: int = DEFAULT_CHUNK) -> Iterator[tuple[int, int]]:
    """Successive ``(start, stop)`` bounds covering ``range(n)`` in pieces of at most ``chunk``.

    Examples
    --------
    >>> list(chunk_bounds(10, 4))
    [(0, 4), (4, 8), (8, 10)]
    """
    n = check_int(n, "n", min_val=1)
    chunk = check_int(chunk, "chunk", min_val=1)
    for start in range(0, n, chunk):
        yield start, min(start + chunk, n)


@dataclass(frozen=True)
class Batch:
    """A chunk of data: inputs ``X`` (m × d), labels ``y`` (m,), noiseless labels ``clean`` (or None)."""

    X: Any
    y: Any
    clean: Any = None


class Stream:
    """A replayable sequence of :class:`Batch` blocks with known ``n`` and ``d``."""

    n: int
    d: int

    def __iter__(self) -> Iterator[Batch]:  # pragma: no cover - abstract
        raise NotImplementedError

    def namespace(self):
        """The array namespace of the blocks (peeks at the first block unless a subclass knows it)."""
        return array_namespace(next(iter(self)).X)

    def materialise(self) -> Batch:
        """All samples as one :class:`Batch` (for small ``n`` only)."""
        blocks = list(self)
        xp = array_namespace(blocks[0].X)
        clean = None if any(b.clean is None for b in blocks) else xp.concat([b.clean for b in blocks])
        return Batch(xp.concat([b.X for b in blocks]), xp.concat([b.y for b in blocks]), clean)


def sample_blocks_root(rng) -> Any:
    """The generator whose children ``("block", i)`` hold a data set's blocks.

    Draws one integer key from ``rng`` (so the next data set drawn from ``rng`` is fresh) and
    returns ``rng.child("sample", key)``. :class:`TargetStream` and ``Target.sample`` both start
    here, which is why they give the same data for the same ``(target, n, rng)``.
    """
    rng = check_generator(rng)
    return rng.child("sample", int(to_scalar(rng.integers(0, 2**31 - 1, ()))))


class TargetStream(Stream):
    """``n`` samples ``(x, y = f*(x) + noise·ξ)`` of a target, drawn block by block.

    At construction one key is drawn from ``rng`` (:func:`sample_blocks_root`); block ``i``
    (rows ``i·block … (i+1)·block − 1``) is then
    ``target.sample_block(root.child("block", i), size_i, noise_std=noise_std, dtype=dtype)``.
    Iterating twice gives the same data, only one block is in memory at a time, the data do not
    depend on any model's chunk size, and :meth:`materialise` returns exactly what
    ``target.sample(rng, n)`` returns for a generator in the same state.

    Parameters
    ----------
    target
        Anything with ``d``, ``sample_block(rng, m, *, noise_std, dtype) -> (X, y)`` and
        ``__call__(X)`` (e.g. :class:`featlearn.theory.targets.SingleIndex`).
    n : int
        Number of samples.
    rng : Generator
        The generator the data come from (e.g. ``rng.child("train")``); one integer is drawn from it.
    noise_std : float
        Label-noise **standard deviation** (the variance is ``noise_std**2``).
    block : int
        Rows per random block (default :data:`DEFAULT_BLOCK`); it fixes the random stream.
    dtype : optional
        Float dtype of the arrays.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.theory.targets import SingleIndex
    >>> t = SingleIndex.random(Generator(0), 4, "tanh")
    >>> s = TargetStream(t, 10, Generator(1))
    >>> [b.X.shape for b in iter_batches(s, chunk=4)]
    [(4, 4), (4, 4), (2, 4)]
    """

    def __init__(self, target, n: int, rng, *, noise_std: float = 0.0, block: int = DEFAULT_BLOCK, dtype=None):
        if not callable(getattr(target, "sample_block", None)) or not hasattr(target, "d"):
            raise TypeError(f"target: expected a target with .d and .sample_block(rng, n, noise_std=, dtype=), "
                            f"got {type(target).__name__}")
        rng = check_generator(rng)
        self.target = target
        self.n = check_int(n, "n", min_val=1)
        self.noise_std = check_real(noise_std, "noise_std", min_val=0.0)
        self.block = check_int(block, "block", min_val=1)
        resolve_float_dtype(rng.xp, dtype, rng.device)  # a bad dtype raises here, naming it
        self.dtype = dtype
        self.d = int(target.d)
        check_memory(8.0 * min(self.block, self.n) * (3 * self.d + 4),
                     f"TargetStream: blocks of shape (block, d) = ({min(self.block, self.n)}, {self.d})")
        self.rng = sample_blocks_root(rng)

    def namespace(self):
        """The generator's namespace: the blocks are drawn on its backend."""
        return self.rng.xp

    def draws(self) -> Iterator[tuple[Any, Any]]:
        """The blocks as ``(X, y)`` pairs (no noiseless labels computed)."""
        for i, (s, e) in enumerate(chunk_bounds(self.n, self.block)):
            yield self.target.sample_block(self.rng.child("block", i), e - s, noise_std=self.noise_std,
                                           dtype=self.dtype)

    def __iter__(self) -> Iterator[Batch]:
        for X, y in self.draws():
            clean = self.target(X) if self.noise_std > 0 else y
            yield Batch(X, y, clean)


class ArrayStream(Stream):
    """Data already in memory, as one block.

    Host sequences (lists, tuples) are converted to ``xp``, else to the backend of the other
    arguments, else to NumPy (:mod:`featlearn.validation`'s policy).

    Parameters
    ----------
    X : array, shape (n, d)
    y : array, shape (n,)
    clean : array, shape (n,), optional
        Noiseless labels ``f*(X)``, for errors "without the noise level".
    xp : namespace, optional
        The backend the data must be on (a model's); ``TypeError`` naming both backends otherwise.
    like : str, optional
        What ``xp`` belongs to (``"the network"``), for that message.
    """

    def __init__(self, X, y, clean=None, *, name: str = "data", xp=None, like: str | None = None):
        prefix = f"{name}." if name else ""  # name="": the arguments' own names (fit(X, y))
        xp, like = reference_namespace(xp, like, prefix=prefix, X=X, y=y, clean=clean)
        X = check_array(X, f"{prefix}X", ndim=2, xp=xp, like=like)
        xp, like = array_namespace(X), like or f"{prefix}X"
        y = check_array(y, f"{prefix}y", ndim=1, xp=xp, rows=int(X.shape[0]), dtype=X.dtype, like=like)
        if clean is not None:
            clean = check_array(clean, f"{prefix}clean", ndim=1, xp=xp, rows=int(X.shape[0]), dtype=X.dtype,
                                like=like)
        self.X, self.y, self.clean = X, y, clean
        self.n, self.d = int(X.shape[0]), int(X.shape[1])

    def namespace(self):
        return array_namespace(self.X)

    def __iter__(self) -> Iterator[Batch]:
        yield Batch(self.X, self.y, self.clean)


def as_stream(data, *, name: str = "data", xp=None, like: str | None = None) -> Stream:
    """A :class:`Stream` from a stream or an ``(X, y)`` / ``(X, y, clean)`` tuple of arrays or host sequences.

    With ``xp`` (a model's namespace; ``like`` names the model in the message) the data must be on that
    backend: ``TypeError`` naming ``name`` and both backends otherwise, before any work; host sequences
    are converted to it.
    """
    if isinstance(data, Stream):
        if xp is not None:
            from featlearn.backends._namespace import get_namespace

            check_backend(data.namespace(), name, get_namespace(xp, name="xp"), like=like)
        return data
    if isinstance(data, tuple) and len(data) in (2, 3):
        return ArrayStream(*data, name=name, xp=xp, like=like)
    raise TypeError(f"{name}: expected a featlearn.data stream (TargetStream, ArrayStream) or an (X, y) tuple, "
                    f"got {type(data).__name__}")


def accumulate(total, part):
    """``total + part`` for a streamed sum, in place where the backend allows it (NumPy, PyTorch, CuPy: no new
    array per chunk); ``part`` when ``total`` is None (the first chunk). ``total`` must be the caller's own
    accumulator (never a view of data someone else holds); immutable arrays (JAX) are rebound instead."""
    def is_array(v):  # NumPy's float64 scalars are floats: numbers here
        return hasattr(v, "shape") and hasattr(v, "dtype") and not isinstance(v, (int, float))

    def is_number(v):
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if not (is_array(part) or is_number(part)):
        raise TypeError(f"part: expected an array or a real number, got {type(part).__name__}")
    check_real_dtype(part, "part")  # no finiteness check here: the callers check their sums once, after the pass
    if total is None:
        return part
    if not (is_array(total) or is_number(total)):
        raise TypeError(f"total: expected the running sum (an array or a number) or None, got {type(total).__name__}")
    if is_array(total) and is_array(part):
        xp = array_namespace(part)
        if array_namespace(total) is not xp:
            raise TypeError(f"part: expected an array of the backend of total ({array_namespace(total).__name__}), "
                            f"got one of {xp.__name__}")
        ps, ts = tuple(part.shape), tuple(total.shape)
        if len(ps) > len(ts) or any(p not in (1, t) for p, t in zip(ps[::-1], ts[::-1])):
            raise ValueError(f"part: expected the shape of total {ts} (or one that broadcasts to it), got {ps}")
    total += part
    return total


def iter_batches(data, *, chunk: int = DEFAULT_CHUNK, d: int | None = None, name: str = "data", xp=None,
                 like: str | None = None) -> Iterator[Batch]:
    """Chunks of at most ``chunk`` rows of a stream, with dimension and finiteness checks.

    Blocks are re-sliced, so the rows (and hence every sum over them) are the same whatever
    ``chunk`` is. Non-finite inputs or labels raise ``ValueError``: on CPU backends each chunk
    is checked before it is yielded; on a GPU the flags are accumulated on the device and
    checked once when the pass ends (no host synchronisation per chunk), before the consumer
    can use its statistics. With ``xp`` (the model's namespace, named by ``like``) data of another backend
    raise ``TypeError`` naming both, and host sequences are converted to it (:func:`as_stream`).
    """
    # checked here, at the call, not at the first next(): a wrong argument is refused before any work
    stream = as_stream(data, name=name, xp=xp, like=like)
    chunk = check_int(chunk, "chunk", min_val=1)
    if d is not None:
        d = check_int(d, "d", min_val=1)
    if d is not None and int(stream.d) != int(d):
        raise ValueError(f"{name}: input dimension d = {stream.d} does not match the model's d = {d}")
    return _checked_batches(stream, chunk, name)


def _checked_batches(stream: Stream, chunk: int, name: str) -> Iterator[Batch]:
    """The chunks of :func:`iter_batches`, each checked for NaN and inf."""
    bad = None
    for block in stream:
        X, y, clean = block.X, block.y, block.clean
        if X.ndim != 2 or X.shape[1] != stream.d:
            raise ValueError(f"{name}.X: expected blocks of shape (m, {stream.d}), got {tuple(X.shape)}")
        xp = array_namespace(X)
        gpu = on_gpu(xp, device_of(X))
        for s, e in chunk_bounds(int(X.shape[0]), chunk):
            b = Batch(X[s:e, ...], y[s:e], None if clean is None else clean[s:e])
            if gpu:
                f = xp.logical_not(xp.logical_and(xp.all(xp.isfinite(b.X)), xp.all(xp.isfinite(b.y))))
                bad = f if bad is None else xp.logical_or(bad, f)
            else:
                if not all_finite(b.y):
                    raise ValueError(f"{name}.y: input contains NaN or inf")
                if not all_finite(b.X):
                    raise ValueError(f"{name}.X: input contains NaN or inf")
            yield b
    if bad is not None and bool(bad):
        raise ValueError(f"{name}: input contains NaN or inf (X or y)")


def iter_xy(data, *, chunk: int = DEFAULT_CHUNK, d: int | None = None, name: str = "data", xp=None,
            like: str | None = None):
    """:func:`iter_batches` as ``(X, y)`` pairs (the data checked at the call, as there)."""
    return ((b.X, b.y) for b in iter_batches(data, chunk=chunk, d=d, name=name, xp=xp, like=like))


@dataclass(frozen=True)
class MeanEstimate:
    """A streamed mean with its standard error ``sqrt(sample variance / n)``."""

    mean: float
    std_error: float
    n: int


def streamed_mean(fn: Callable[[Batch], Any], data, *, chunk: int = DEFAULT_CHUNK, d: int | None = None,
                  name: str = "data") -> MeanEstimate:
    """Mean of the per-sample values ``fn(batch)`` over a stream, with its standard error.

    Sums stay on the device; one host synchronisation at the end. A non-finite result (e.g. a
    model that outputs NaN) raises ``ValueError`` instead of being returned.
    """
    if not callable(fn):
        raise TypeError(f"fn: expected a callable fn(batch), got {type(fn).__name__}")
    s1 = s2 = None
    n = 0
    for b in iter_batches(data, chunk=chunk, d=d, name=name):
        v = fn(b)
        xp = array_namespace(v)
        t1, t2 = xp.sum(v), xp.sum(v * v)
        s1, s2 = (t1, t2) if s1 is None else (s1 + t1, s2 + t2)
        n += int(b.X.shape[0])
    m1, m2 = to_scalar(s1) / n, to_scalar(s2) / n
    if not (math.isfinite(m1) and math.isfinite(m2)):
        raise ValueError(f"{name}: the evaluated values are not finite (the model output contains NaN or inf)")
    var = max(m2 - m1 * m1, 0.0) * n / max(n - 1, 1)
    return MeanEstimate(m1, math.sqrt(var / n), n)


def streamed_mse(predict: Callable[[Any], Any], data, *, chunk: int = DEFAULT_CHUNK, d: int | None = None,
                 clean: bool = False, name: str = "data") -> MeanEstimate:
    """Mean squared error of ``predict`` on a stream (against the noiseless labels if ``clean``)."""
    if not callable(predict):
        raise TypeError(f"predict: expected a callable predict(X), got {type(predict).__name__}")
    clean = check_bool(clean, "clean")

    def sq(b: Batch):
        xp = array_namespace(b.X)
        target = b.clean if (clean and b.clean is not None) else b.y
        out = predict(b.X)
        rows = int(b.X.shape[0])
        if not (hasattr(out, "shape") and tuple(out.shape) == (rows,)):
            raise ValueError(f"predict: expected one prediction per row, shape ({rows},), for a chunk of {rows} rows; "
                             f"got {tuple(out.shape) if hasattr(out, 'shape') else type(out).__name__}")
        r = out - xp.astype(target, b.X.dtype)
        return r * r

    return streamed_mean(sq, data, chunk=chunk, d=d, name=name)


def _pow2_scaled(xp, a):
    """``a·2⁻ᵉ`` with ``2^(e−1) <= max|a| < 2^e``: entries in (−1, 1), scaled exactly (no rounding)."""
    m = to_scalar(xp.max(xp.abs(a))) if a.shape[0] else 0.0
    if not (m > 0 and math.isfinite(m)):
        return a
    e = math.frexp(m)[1]
    h = -e // 2  # two half factors: each representable even in float32 (|e| <= 149 there)
    return (a * math.ldexp(1.0, h)) * math.ldexp(1.0, -e - h)


def pearson(a, b, /) -> float:
    """Pearson correlation of two 1-D arrays, as a host float.

    Raises ``ValueError`` for non-finite input or a constant array (the correlation is undefined
    there; returning 0 would pass for "no correlation").
    """
    a = check_array(a, "a", ndim=1)
    xp = array_namespace(a)
    b = check_array(b, "b", ndim=1, xp=xp, rows=int(a.shape[0]))
    # overflow-safe: scale each array by a power of two near its largest magnitude before the mean and the
    # products (exact, so the result is bit-identical to the unscaled formula wherever that one is finite)
    a, b = _pow2_scaled(xp, a), _pow2_scaled(xp, b)
    ac, bc = a - xp.mean(a), b - xp.mean(b)
    den = to_scalar(xp.sqrt(xp.sum(ac * ac) * xp.sum(bc * bc)))
    if not den > 0:
        raise ValueError("a, b: the correlation is undefined for a constant array")
    return to_scalar(xp.sum(ac * bc)) / den
