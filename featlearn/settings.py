"""A paper's setting as a validated, frozen dataclass: the one base every paper's ``Setting`` uses.

A setting is every number and choice a paper's claims and experiments read (dimensions, widths,
sample sizes, step sizes, links, sweep axes), with the paper's defaults at each scale. Fields are
declared with :func:`param`, which carries the field's documentation and its check; the checks
run on construction and on :meth:`Setting.replace`, so an invalid setting cannot exist.

Examples
--------
>>> from dataclasses import dataclass
>>> from featlearn.settings import Setting, param
>>> @dataclass(frozen=True)
... class ToySetting(Setting):
...     d: int = param(16, doc="input dimension", min_val=1)
...     widths: tuple = param((8, 16), doc="hidden widths swept", min_val=1)
...     eta: float = param(0.5, doc="step size", min_val=0.0, include_boundaries="right")
...     SCALES = {"quick": {}, "paper": {"d": 64, "widths": (64, 128, 256)}}
>>> ToySetting.at("paper").d
64
>>> ToySetting().replace(eta=0.1).eta
0.1
>>> ToySetting(d=0)
Traceback (most recent call last):
...
ValueError: d: expected an int in [1, inf], got 0
>>> ToySetting.parse({"widths": "4,8", "eta": "0.25"}).widths
(4, 8)
"""

from __future__ import annotations

import dataclasses
import functools
import math
import typing
from typing import Any, ClassVar, Mapping

from featlearn.validation import check_choice, check_int, check_real

__all__ = ["Setting", "param"]

_MISSING = dataclasses.MISSING


def param(default: Any, *, doc: str, min_val: float | None = None, max_val: float | None = None,
          include_boundaries: str = "both", choices: tuple | None = None) -> Any:
    """A setting field: its default, what it means, and the values it accepts.

    Parameters
    ----------
    default : int, float, str, bool or tuple
        The paper's default at quick scale (the type of a field is its annotation).
    doc : str
        What the field is, in the paper's language (shown by ``featlearn show`` and in errors).
    min_val, max_val, include_boundaries
        Range of a numeric field, or of every entry of a tuple (sweep axis) field.
    choices : tuple, optional
        The accepted values of a field (``str`` fields, or entries of a tuple field).
    """
    if isinstance(default, (list, dict, set)):
        raise TypeError(f"default: expected an immutable value (a tuple for a sweep axis), got {type(default).__name__}")
    if not isinstance(default, (int, float, str, tuple)):  # bool is an int
        raise TypeError(f"default: expected an int, float, str, bool or tuple, got {type(default).__name__}")
    if isinstance(default, float) and not math.isfinite(default):
        raise ValueError(f"default: expected a finite number, got {default!r}")
    if not isinstance(doc, str):
        raise TypeError(f"doc: expected a str, got {type(doc).__name__}")
    for name, bound in (("min_val", min_val), ("max_val", max_val)):
        if bound is not None:
            check_real(bound, name)
    check_choice(include_boundaries, "include_boundaries", ("both", "left", "right", "neither"))
    if choices is not None and not isinstance(choices, tuple):
        raise TypeError(f"choices: expected a tuple of the accepted values or None, got {type(choices).__name__}")
    meta = {"doc": doc, "min_val": min_val, "max_val": max_val, "include_boundaries": include_boundaries,
            "choices": choices}
    return dataclasses.field(default=default, metadata=meta)


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    # resolved once per Setting class: typing.get_type_hints compiles every annotation string anew
    return typing.get_type_hints(cls)


def _kind(cls: type, f: dataclasses.Field) -> Any:
    return _type_hints(cls).get(f.name, type(f.default))


def _check_scalar(kind: Any, value: Any, name: str, meta: Mapping[str, Any]) -> Any:
    if meta.get("choices") is not None:
        return check_choice(value, name, meta["choices"])
    rng = {k: meta.get(k) for k in ("min_val", "max_val")}
    if kind is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{name}: expected a bool, got {type(value).__name__}")
        return value
    if kind is int:
        return check_int(value, name, **rng)
    if kind is float:
        return float(check_real(value, name, include_boundaries=meta.get("include_boundaries", "both"), **rng))
    if kind is str:
        if not isinstance(value, str):
            raise TypeError(f"{name}: expected a str, got {type(value).__name__}")
        return value
    return value


def _entry_kind(kind: Any) -> Any:
    args = typing.get_args(kind)
    return args[0] if args else None


class Setting:
    """Base of every paper's setting (subclass it as a frozen dataclass with :func:`param` fields).

    Class attributes
    ----------------
    SCALES : dict
        ``{"quick": {...}, "paper": {...}}``: the fields that differ from the defaults at each scale.
    """

    SCALES: ClassVar[Mapping[str, Mapping[str, Any]]] = {"quick": {}, "paper": {}}

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, self._check_field(f, getattr(self, f.name)))

    @classmethod
    def _check_field(cls, f: dataclasses.Field, value: Any) -> Any:
        kind = _kind(cls, f)
        meta = f.metadata
        origin = typing.get_origin(kind)
        if kind is tuple or origin is tuple:  # a sweep axis: a non-empty tuple of checked entries
            if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
                value = (value,)
            value = tuple(value)
            if not value:
                raise ValueError(f"{f.name}: expected at least one value")
            ek = _entry_kind(kind)
            if ek is None and isinstance(f.default, tuple) and f.default:
                ek = type(f.default[0])
            return tuple(_check_scalar(ek, v, f"{f.name}[{i}]", meta) for i, v in enumerate(value))
        return _check_scalar(kind, value, f.name, meta)

    # -- construction ------------------------------------------------------------------------------------
    @classmethod
    def at(cls, scale: str = "quick", **changes: Any) -> "Setting":
        """The paper's setting at ``scale`` ("quick" or "paper"), with ``changes`` on top."""
        scale = check_choice(scale, "scale", tuple(cls.SCALES))
        return cls(**{**cls.SCALES[scale], **changes})

    def replace(self, **changes: Any) -> "Setting":
        """A copy with ``changes`` (validated; an unknown key is a ValueError listing the valid ones)."""
        self.check_keys(changes)
        return dataclasses.replace(self, **changes)

    @classmethod
    def check_keys(cls, keys: Any) -> None:
        """ValueError naming an unknown key and listing the valid keys with their types."""
        if isinstance(keys, (str, bytes)) or not hasattr(keys, "__iter__"):
            raise TypeError(f"keys: expected field names (an iterable of str), got {type(keys).__name__}")
        names = {f.name for f in dataclasses.fields(cls)}
        for k in keys:
            if k not in names:
                raise ValueError(f"{k}: not a field of {cls.__name__}; valid keys: {cls.describe_keys()}")

    @classmethod
    def parse(cls, strings: Mapping[str, str], *, base: "Setting | None" = None) -> "Setting":
        """A setting from ``KEY=VALUE`` strings (the CLI's ``--set``): tuples as comma lists."""
        if not isinstance(strings, Mapping):
            raise TypeError(f"strings: expected a mapping of KEY to VALUE strings, got {type(strings).__name__}")
        if base is not None and not isinstance(base, cls):
            raise TypeError(f"base: expected a {cls.__name__} or None, got {type(base).__name__}")
        cls.check_keys(strings)
        base = cls() if base is None else base
        fields = {f.name: f for f in dataclasses.fields(cls)}
        changes = {}
        for k, text in strings.items():
            kind = _kind(cls, fields[k])
            if kind is tuple or typing.get_origin(kind) is tuple:
                entry = _entry_kind(kind) or (type(fields[k].default[0]) if fields[k].default else str)
                changes[k] = tuple(_from_text(entry, t.strip(), k) for t in str(text).split(",") if t.strip())
            else:
                changes[k] = _from_text(kind, str(text).strip(), k)
        return base.replace(**changes)

    # -- description -------------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Every field and its value (tuples as lists: JSON-ready)."""
        return {f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
                for f in dataclasses.fields(self)}

    @classmethod
    def describe_keys(cls) -> str:
        """``key (type, range)`` for every field, comma-separated (for one-line errors)."""
        out = []
        for f in dataclasses.fields(cls):
            kind = _kind(cls, f)
            name = getattr(kind, "__name__", str(kind))
            if kind is tuple or typing.get_origin(kind) is tuple:
                entry = _entry_kind(kind) or (type(f.default[0]) if f.default else str)
                name = f"comma list of {entry.__name__}"
            m = f.metadata
            rng = ""
            if m.get("choices") is not None:
                rng = " in " + "|".join(map(str, m["choices"]))
            elif m.get("min_val") is not None or m.get("max_val") is not None:
                lo = "" if m.get("min_val") is None else f">= {m['min_val']:g}"
                hi = "" if m.get("max_val") is None else f"<= {m['max_val']:g}"
                rng = " " + " and ".join(x for x in (lo, hi) if x)
            out.append(f"{f.name} ({name}{rng})")
        return ", ".join(out)

    @classmethod
    def field_docs(cls) -> list[tuple[str, str, Any, str]]:
        """``(name, type, default, doc)`` for every field."""
        return [(f.name, getattr(_kind(cls, f), "__name__", str(_kind(cls, f))), f.default, f.metadata.get("doc", ""))
                for f in dataclasses.fields(cls)]


def _from_text(kind: Any, text: str, name: str) -> Any:
    try:
        if kind is bool:
            if text.lower() in ("1", "true", "yes"):
                return True
            if text.lower() in ("0", "false", "no"):
                return False
            raise ValueError
        if kind is int:
            return int(text)
        if kind is float:
            return float(text)
    except ValueError:
        article = "an" if kind.__name__[0] in "aeiou" else "a"
        raise ValueError(f"{name}: expected {article} {kind.__name__}, got {text!r}") from None
    return text
