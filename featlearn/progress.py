"""The one progress display of featlearn: a tqdm bar when tqdm is installed, a plain status line otherwise.

Used by sweeps (one step per cell) and by ``featlearn check`` (one step per claim). Everything
goes to stderr, so stdout keeps only the results.
"""

from __future__ import annotations

import sys
import time

from featlearn.validation import check_bool, check_int

__all__ = ["Progress"]


class Progress:
    """Progress of ``total`` steps on stderr, with a count of failed steps.

    A tqdm bar (elapsed time and ETA) if ``tqdm`` imports, else one status line rewritten in place
    (``"<desc>: 3/8 cells, 1 failed, 12 s elapsed, ETA 20 s"``). Silent when ``enabled`` is false or ``total`` is 0.
    Use :meth:`update` after each step and :meth:`close` at the end (or a ``with`` block).

    Parameters
    ----------
    total : int
        Number of steps.
    desc : str
        What is being done (the bar's label).
    unit : str
        What one step is, singular (``"cell"``, ``"claim"``).
    enabled : bool
        Show anything at all.

    Examples
    --------
    >>> with Progress(2, desc="demo", enabled=False) as bar:
    ...     bar.update()
    ...     bar.update(failed=True)
    >>> bar.done, bar.failed
    (2, 1)
    """

    def __init__(self, total: int, *, desc: str, unit: str = "step", enabled: bool = True):
        total = check_int(total, "total", min_val=0)
        for name, text in (("desc", desc), ("unit", unit)):
            if not isinstance(text, str):
                raise TypeError(f"{name}: expected a str, got {type(text).__name__}")
        enabled = check_bool(enabled, "enabled")
        self.total, self.desc, self.unit, self.done, self.failed = total, desc, unit, 0, 0
        self.enabled = enabled and self.total > 0
        self._bar = None
        self._t0 = time.perf_counter()
        if not self.enabled:
            return
        try:
            from tqdm import tqdm
        except ImportError:
            self._line()
        else:
            self._bar = tqdm(total=self.total, desc=desc, unit=unit, file=sys.stderr, dynamic_ncols=True)

    def _line(self, end: str = "") -> None:
        fail = f", {self.failed} failed" if self.failed else ""
        spent = time.perf_counter() - self._t0
        eta = f", ETA {spent / self.done * (self.total - self.done):.0f} s" if 0 < self.done < self.total else ""
        sys.stderr.write(f"\r{self.desc}: {self.done}/{self.total} {self.unit}s{fail}, {spent:.0f} s elapsed{eta}{end}")
        sys.stderr.flush()

    def update(self, *, failed: bool = False) -> None:
        """One more step done (``failed``: it failed)."""
        failed = check_bool(failed, "failed")
        self.done += 1
        self.failed += failed
        if not self.enabled:
            return
        if self._bar is None:
            self._line()
            return
        if self.failed:
            self._bar.set_postfix(failed=self.failed, refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        """End the display (a newline after the plain line); calling it again does nothing."""
        if not self.enabled:
            return
        self.enabled = False
        if self._bar is None:
            self._line("\n")
        else:
            self._bar.close()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
