"""Argument checks the NDL23 entry points share, on top of :mod:`featlearn.validation`: an activation, a
dtype checked under the caller's parameter name."""

from __future__ import annotations

from typing import Any

from featlearn.theory.activations import Activation, as_activation
from featlearn.validation import check_array, check_real


def check_activation(act: Any, name: str) -> Activation:
    """:func:`~featlearn.theory.activations.as_activation` with the caller's parameter name in the message."""
    try:
        return as_activation(act)
    except (TypeError, ValueError) as exc:
        msg = str(exc)
        msg = msg[len("activation: "):] if msg.startswith("activation: ") else msg
        raise type(exc)(f"{name}: {msg}") from None


def check_activation_input(z: Any):
    """The argument ``z`` of an activation: a real number (as a float) or a real array without NaN or inf."""
    if isinstance(z, (int, float)) and not isinstance(z, bool):
        return check_real(z, "z")
    return check_array(z, "z", min_rows=0)


def check_dtype(dtype: Any, name: str = "dtype"):
    """``dtype`` if it is None, ``"float32"``/``"float64"`` or a float32/float64 dtype of any backend (checked
    before a namespace is known: the estimators resolve it against the data's backend when they fit)."""
    if dtype is None:
        return None
    if isinstance(dtype, str):
        if dtype not in ("float32", "float64"):
            raise ValueError(f"{name}: expected None, 'float32' or 'float64', got {dtype!r}")
        return dtype
    label = getattr(dtype, "__name__", None) or str(dtype)
    if label.rsplit(".", 1)[-1] not in ("float32", "float64"):
        raise TypeError(f"{name}: expected None, 'float32', 'float64' or a float32/float64 dtype, "
                        f"got {type(dtype).__name__} {dtype!r}")
    return dtype


def check_sizes(values: Any, name: str, *, min_val: int = 1) -> list[int]:
    """A non-empty iterable of ints (each ``>= min_val``), sorted ascending."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name}: expected a sequence of ints, got {type(values).__name__}")
    from featlearn.validation import check_int

    out = sorted(check_int(v, name, min_val=min_val) for v in values)
    if not out:
        raise ValueError(f"{name}: expected at least one sample size")
    return out
