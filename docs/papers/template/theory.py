"""The template paper's theorem, as a function."""

from __future__ import annotations

import math


def mean_square_norm(d: int) -> float:
    """E‖x‖²/d for x ~ N(0, I_d): exactly 1 (each coordinate has variance 1).

    Examples
    --------
    >>> mean_square_norm(8)
    1.0
    """
    return 1.0


def standard_error(d: int, n: int) -> float:
    """Standard deviation of the n-sample mean of ‖x‖²/d: ‖x‖² ~ χ²_d has variance 2d."""
    return math.sqrt(2.0 / (d * n))
