"""What the NDL23 estimators share behind ``fit(X, y)``: the data's backend and a seeded split of the rows.

``fit(X, y)`` of :class:`~featlearn.papers.ndl23.three_layer.ThreeLayerNetwork`,
:class:`~featlearn.papers.ndl23.baselines.RandomFeaturesRidge` and
:class:`~featlearn.papers.ndl23.baselines.ReluKernelRidge` receives one data set (arrays or a featlearn
stream); the validation set that chooses their hyper-parameters (λ, and η1 for Algorithm 1) and, for
Algorithm 1, the two stages' samples D1 and D2 are disjoint parts of it. Which row goes where is drawn
from the estimator's generator (``rng.child("split")``): one uniform key per row, the rows ranked by
key. The parts are streams that read the rows of the data in order, so a stream and its materialised
arrays are split identically and nothing n × m is held in memory (only the n ranks).
"""

from __future__ import annotations

from typing import Any, Iterator, Sequence

from featlearn.backends import Generator, array_namespace
from featlearn.data import Batch, Stream
from featlearn.models.estimator import estimator_rng, fit_data  # noqa: F401  (estimator_rng: for the NDL23 estimators)
from featlearn.validation import check_real
from featlearn.validation import check_seed  # noqa: F401  (re-exported for the NDL23 estimators)


def check_fraction(value: Any, name: str) -> float:
    """A fraction strictly between 0 and 1."""
    return check_real(value, name, min_val=0.0, max_val=1.0, include_boundaries="neither")


class RowSubset(Stream):
    """The rows of ``parent`` whose rank (one per row, an array of the parent's backend) lies in
    ``[lo, hi)``, in their order."""

    def __init__(self, parent: Stream, rank: Any, lo: int, hi: int):
        self.parent, self.rank, self.lo, self.hi = parent, rank, int(lo), int(hi)
        self.n = self.hi - self.lo
        self.d = int(parent.d)

    def namespace(self):
        return self.parent.namespace()

    def __iter__(self) -> Iterator[Batch]:
        start = 0
        for b in self.parent:
            m = int(b.X.shape[0])
            xp = array_namespace(b.X)
            r = self.rank[start:start + m]
            start += m
            idx = xp.nonzero(xp.logical_and(r >= self.lo, r < self.hi))[0]
            if int(idx.shape[0]) == 0:
                continue
            yield Batch(xp.take(b.X, idx, axis=0), xp.take(b.y, idx, axis=0),
                        None if b.clean is None else xp.take(b.clean, idx, axis=0))


def split_rows(data: Stream, sizes: Sequence[int], rng: Generator) -> list[Stream]:
    """Disjoint parts of ``data`` of the given sizes (summing to at most ``data.n``), rows drawn by ``rng``:
    row j goes to part k when the rank of its uniform key falls in the k-th block of ``sizes``."""
    n = int(data.n)
    if sum(sizes) > n or min(sizes) < 1:
        raise ValueError(f"X: {n} samples cannot be split into parts of sizes {list(sizes)}")
    xp = rng.xp
    order = xp.argsort(rng.uniform(n), stable=True)
    rank = xp.argsort(order, stable=True)  # the inverse permutation: the rank of each row's key
    out, lo = [], 0
    for s in sizes:
        out.append(RowSubset(data, rank, lo, lo + int(s)))
        lo += int(s)
    return out


def validation_split(X: Any, y: Any, val_fraction: float, rng: Generator, *, parts: int = 1,
                     name: str = "X") -> tuple[list[Stream], Stream]:
    """``fit(X, y)`` data split into ``parts`` equal training parts and a validation part of
    ``round(val_fraction · n)`` rows (at least 1): ``([train...], val)``."""
    data = fit_data(X, y, name=name)
    n = int(data.n)
    n_val = max(1, int(round(val_fraction * n)))
    per = (n - n_val) // parts
    if per < 1:
        raise ValueError(f"{name}: {n} samples are too few for {parts} training part(s) and a validation set "
                         f"(val_fraction = {val_fraction})")
    out = split_rows(data, [per] * parts + [n_val], rng.child("split"))
    return out[:parts], out[parts]
