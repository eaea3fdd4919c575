"""Chunked iteration over samples: memory O(chunk × width), never O(n × width)."""

from __future__ import annotations

from numbers import Integral
from typing import Iterator

#: Default number of samples per chunk: large enough that each chunk is a GEMM-sized
#: matrix product, small enough that chunk × width floats fit comfortably in memory.
DEFAULT_CHUNK = 4096


def check_positive_int(value, name: str) -> int:
    """``value`` as an int if it is a positive integer, else a ``ValueError`` naming ``name``."""
    if isinstance(value, bool) or not isinstance(value, Integral) or value < 1:
        raise ValueError(f"{name}: expected a positive int, got {value!r}")
    return int(value)


def chunk_bounds(n: int, chunk: int = DEFAULT_CHUNK) -> Iterator[tuple[int, int]]:
    """Successive ``(start, stop)`` bounds covering ``range(n)`` in pieces of at most ``chunk``.

    Examples
    --------
    >>> list(chunk_bounds(10, 4))
    [(0, 4), (4, 8), (8, 10)]
    """
    n = check_positive_int(n, "n")
    chunk = check_positive_int(chunk, "chunk")
    for start in range(0, n, chunk):
        yield start, min(start + chunk, n)
