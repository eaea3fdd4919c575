"""Progress display for long work: tqdm when installed, plain stderr lines otherwise."""

from __future__ import annotations

import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def progress(items: Iterable[T], *, total: int | None = None, desc: str = "", enabled: bool = True) -> Iterator[T]:
    """Iterate over ``items`` showing progress on stderr (silent when ``enabled`` is False)."""
    if not enabled:
        yield from items
        return
    try:
        from tqdm.auto import tqdm
    except ImportError:
        tqdm = None
    if tqdm is not None:
        yield from tqdm(items, total=total, desc=desc, file=sys.stderr, leave=False, dynamic_ncols=True)
        return
    items = list(items) if total is None else items
    total = len(items) if total is None else total
    for i, item in enumerate(items, 1):
        print(f"{desc} [{i}/{total}]", file=sys.stderr, flush=True)
        yield item
