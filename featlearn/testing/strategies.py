"""Hypothesis strategies for property tests of feature-learning theory.

Every strategy here draws objects that featlearn accepts: a drawn setting is never rejected by
its ``Setting``'s own validation, a drawn target is a valid :class:`~featlearn.theory.targets.Target`,
a drawn backend is usable on this machine. They need ``hypothesis`` (``pip install hypothesis``,
part of featlearn's ``test`` extra).

* :func:`backends` -- names (or namespaces) of the backends usable here;
* :func:`activations` -- :class:`~featlearn.theory.activations.Activation` objects;
* :func:`input_laws` -- input distributions (Gaussian, sphere, hypercube, radial, mixture);
* :func:`targets` -- targets ``f*`` (single-index, quadratic feature, radial, sparse parity, XOR mixture);
* :func:`settings` -- a paper's :class:`~featlearn.settings.Setting`, valid by construction and sized
  so that one example runs in seconds.

The sizing rule of :func:`settings`
-----------------------------------
Only the fields named in ``vary`` are drawn; the others keep their value at ``scale`` (quick by
default). With ``v`` the field's value at ``scale`` and ``[lo, hi]`` its declared range
(``param(min_val=, max_val=, include_boundaries=)``), a drawn field is, with ``shrink=True``:

* ``int``: in ``[max(lo, ceil(v/8)), v]``: at most the quick size, at least an eighth of it
  (a field named ``*_log2`` is a log-size: ``[max(lo, v − 3), v]``, the same factor 8);
* ``float``: in ``[max(lo, v/2), min(hi, 2v)]`` (open where the declared range is open); a field
  whose value is 0 stays 0. Floats are step sizes, rates and probabilities, not sizes;
* ``bool``: either; a field with ``choices``: any choice;
* a sweep axis (tuple field) keeps its length (zipped axes such as CUI24's ``step_*`` stay
  consistent) and draws each entry by the rule above around the entry it replaces; an axis whose
  value is strictly increasing is drawn strictly increasing (n grids, d grids, ridge grids);
  an axis of ``choices`` draws a non-empty subset of the choices, in their declared order.

``shrink=False`` draws around ``v`` instead: integers in ``[max(lo, ceil(v/8)), 2v]``
(``*_log2``: ``[v − 3, v + 1]``), floats as above. Cross-field constraints of a setting are met by
construction where featlearn knows them (SWL23: ``crossing_d_max`` is at least every
``crossing_d_k2``/``crossing_d_k3``; CUI24: the ``step_*`` axes have one length); any other
combination a ``Setting`` refuses is rejected (``hypothesis.reject``), never passed to a test.
Widths of SWL23's symmetric initialisation (``xor_width``, ``bound_width``, ``widths``: neurons in
mirrored pairs) are drawn even and its parity orders ``parity_even_k``/``parity_odd_k`` even/odd, as
its Setting requires.

"Valid" means what the ``Setting`` checks: the declared type and range of each field and its
cross-field checks. Some fields mean more than their range says (SL21's ``represent_d`` should be
one of ``separation_d``); vary the fields your property is about, and give the others with ``**fixed`` or a strategy in ``vary``.

Examples
--------
>>> from hypothesis import given, settings as hsettings
>>> from featlearn.testing import strategies as fst
>>> @hsettings(max_examples=5, deadline=None)
... @given(fst.settings("sl21", vary=["n", "weak_width"]))
... def test_sizes(s):
...     assert 375 <= s.n <= 3000 and 8 <= s.weak_width <= 64
>>> test_sizes()
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Mapping
from typing import Any, Iterable

from hypothesis import strategies as st

from featlearn.validation import check_bool

__all__ = ["activations", "backends", "field_strategy", "input_laws", "setting_class", "settings", "targets"]

#: How far below the value at the chosen scale a size is drawn (sizes in [v/8, v]).
SHRINK_FACTOR = 8


def _names(values: Any, name: str) -> tuple:
    """``values`` as a tuple: an iterable of names (a lone str is refused: it would be split into letters)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise TypeError(f"{name}: expected an iterable of names, got {type(values).__name__}")
    return tuple(values)


# -- backends and activations ----------------------------------------------------------------------------
def backends(names: Iterable[str] | None = None, *, namespace: bool = False) -> st.SearchStrategy:
    """The backends usable on this machine (:func:`featlearn.backends.available_backends`).

    Parameters
    ----------
    names : iterable of str, optional
        Restrict to these backend names (those not usable here are left out).
    namespace : bool
        Draw the Array-API namespace (:func:`featlearn.backends.get_namespace`) instead of the name.

    Raises
    ------
    ValueError
        If none of the requested backends is usable here (the message says why each is not).
    """
    from featlearn.backends import BACKEND_NAMES, available_backends, get_namespace

    namespace = check_bool(namespace, "namespace")
    infos = available_backends()
    wanted = list(BACKEND_NAMES) if names is None else [str(n) for n in _names(names, "names")]
    unknown = [n for n in wanted if n not in BACKEND_NAMES]
    if unknown:
        raise ValueError(f"names: unknown backend {unknown[0]!r}; expected some of {', '.join(BACKEND_NAMES)}")
    usable = [b.name for b in infos if b.usable and b.name in wanted]
    if not usable:
        why = "; ".join(f"{b.name}: {b.reason}" for b in infos if b.name in wanted)
        raise ValueError(f"names: none of {', '.join(wanted)} is usable on this machine ({why})")
    strat = st.sampled_from(usable)
    return strat.map(get_namespace) if namespace else strat


def activations(names: Iterable[str] | None = None, *, differentiable: bool | None = None,
                as_names: bool = False) -> st.SearchStrategy:
    """Activations of :data:`featlearn.theory.activations.ACTIVATIONS` (``relu``, ``tanh``, ``he2``, …).

    Parameters
    ----------
    names : iterable of str, optional
        Restrict to these names (``ValueError`` for an unknown one).
    differentiable : bool, optional
        ``True``: only those with a derivative (all built-ins have one); ``False``: only those without.
    as_names : bool
        Draw the name instead of the :class:`~featlearn.theory.activations.Activation`.
    """
    from featlearn.theory.activations import ACTIVATIONS

    if differentiable is not None:
        check_bool(differentiable, "differentiable")
    as_names = check_bool(as_names, "as_names")
    pool = sorted(ACTIVATIONS) if names is None else [str(n).strip().lower() for n in _names(names, "names")]
    for n in pool:
        if n not in ACTIVATIONS:
            raise ValueError(f"names: unknown activation {n!r}; expected some of {', '.join(sorted(ACTIVATIONS))}")
    if differentiable is not None:
        pool = [n for n in pool if (ACTIVATIONS[n].derivative is not None) == bool(differentiable)]
    if not pool:
        raise ValueError("names: no activation left to draw from")
    strat = st.sampled_from(pool)
    return strat if as_names else strat.map(lambda n: ACTIVATIONS[n])


# -- input laws and targets ------------------------------------------------------------------------------
def _dims(d: Any) -> st.SearchStrategy:
    if d is None:
        return st.integers(1, 16)
    if isinstance(d, st.SearchStrategy):
        return d
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        raise ValueError(f"d: expected an int >= 1 or a strategy of them, got {d!r}")
    return st.just(d)


INPUT_LAWS = ("gaussian", "sphere", "hypercube", "radial", "mixture")


def input_laws(d: Any = None, *, kinds: Iterable[str] = INPUT_LAWS, xp: Any = "numpy") -> st.SearchStrategy:
    """Input distributions of :mod:`featlearn.theory.distributions` in dimension ``d``.

    Parameters
    ----------
    d : int or strategy of int, optional
        The dimension (default: drawn in ``[1, 16]``).
    kinds : iterable of str
        Among ``"gaussian"`` (``N(0, I_d)``), ``"sphere"`` (radius √d), ``"hypercube"`` (``{±1}^d``),
        ``"radial"`` (uniform direction, a uniform or Lomax radius) and ``"mixture"`` (two
        Gaussian clusters on the first axis).
    xp : str or namespace
        Backend of the parameters that are arrays (the mixture's means); NumPy by default. Sample a
        law with a :class:`~featlearn.backends.Generator` of the same backend.
    """
    from featlearn.backends._namespace import get_namespace
    from featlearn.theory import distributions as D

    get_namespace(xp, name="xp")
    kinds = _names(kinds, "kinds")
    for k in kinds:
        if k not in INPUT_LAWS:
            raise ValueError(f"kinds: unknown input law {k!r}; expected some of {', '.join(INPUT_LAWS)}")
    if not kinds:
        raise ValueError("kinds: expected at least one input law")

    dims = _dims(d)

    @st.composite
    def draw_law(draw):
        dim = draw(dims)
        kind = draw(st.sampled_from(kinds))
        if kind == "gaussian":
            return D.GaussianInput(dim)
        if kind == "sphere":
            return D.SphereInput(dim)
        if kind == "hypercube":
            return D.HypercubeInput(dim)
        if kind == "radial":
            if draw(st.booleans()):
                hi = draw(st.floats(0.5, 4.0))
                return D.RadialInput(dim, D.uniform_radius(0.0, hi))
            return D.RadialInput(dim, D.lomax_radius(draw(st.floats(0.5, 4.0)), draw(st.floats(0.5, 2.0))))
        s = draw(st.floats(0.5, 5.0))
        means = [[s if (j == 0 and i < 2) else 0.0 for j in range(dim)] for i in range(2)]
        means[1][0] = -s
        return D.GaussianMixtureInput(means, std=draw(st.floats(0.25, 2.0)), xp=xp)

    return draw_law()


TARGETS = ("single_index", "quadratic", "radial", "parity", "xor")


def _unit_floats(n: int) -> st.SearchStrategy:
    return st.lists(st.floats(-1.0, 1.0, allow_nan=False), min_size=n, max_size=n)


def targets(d: Any = None, *, kinds: Iterable[str] = ("single_index",), links: st.SearchStrategy | None = None,
            xp: Any = "numpy") -> st.SearchStrategy:
    """Targets ``f*`` of :mod:`featlearn.theory.targets` in dimension ``d``.

    Parameters
    ----------
    d : int or strategy of int, optional
        The input dimension (default: drawn in ``[1, 16]``; ``"xor"`` needs ``d >= 2``, smaller
        draws are raised to 2).
    kinds : iterable of str
        Among ``"single_index"`` (``g*(β·x)``, β drawn and normalised; the default),
        ``"quadratic"`` (``g*(xᵀAx − tr A)``, A symmetric), ``"radial"`` (``g*(‖x‖)``),
        ``"parity"`` (a sparse parity on ``{±1}^d``, support size 1 to min(d, 3)) and ``"xor"``
        (SWL23's XOR-like Gaussian mixture).
    links : strategy, optional
        Strategy of links ``g*`` (default: :func:`activations` over ``relu``, ``tanh``, ``he2``,
        ``he3``, ``identity``, ``sigmoid``).
    xp : str or namespace
        Backend of the target's parameter arrays (β, A, the means); NumPy by default. A target
        evaluates inputs of its own backend only: sample with a ``Generator`` of the same one.
    """
    from featlearn.backends._namespace import get_namespace
    from featlearn.theory import targets as T

    ns = get_namespace(xp, name="xp")
    if links is not None and not isinstance(links, st.SearchStrategy):
        raise TypeError(f"links: expected a hypothesis strategy of activations or None, got {type(links).__name__}")

    kinds = _names(kinds, "kinds")
    for k in kinds:
        if k not in TARGETS:
            raise ValueError(f"kinds: unknown target {k!r}; expected some of {', '.join(TARGETS)}")
    if not kinds:
        raise ValueError("kinds: expected at least one target kind")
    links = activations(["relu", "tanh", "he2", "he3", "identity", "sigmoid"]) if links is None else links

    dims = _dims(d)

    @st.composite
    def draw_target(draw):
        import numpy as np

        dim = draw(dims)
        kind = draw(st.sampled_from(kinds))
        if kind == "single_index":
            beta = draw(_unit_floats(dim))
            if math.fsum(b * b for b in beta) < 1e-6:  # a zero direction cannot be normalised
                beta[0] = 1.0
            return T.SingleIndex(draw(links), ns.asarray(beta, dtype=ns.float64))
        if kind == "quadratic":
            upper = draw(_unit_floats(dim * (dim + 1) // 2))
            A = np.zeros((dim, dim))
            A[np.triu_indices(dim)] = upper
            A = A + np.triu(A, 1).T
            if np.max(np.abs(A)) < 1e-3:
                A[0, 0] = 1.0
            return T.QuadraticFeature(draw(links), ns.asarray(A.tolist(), dtype=ns.float64))
        if kind == "radial":
            return T.Radial(draw(links), dim)
        if kind == "parity":
            k = draw(st.integers(1, min(dim, 3)))
            support = draw(st.lists(st.integers(0, dim - 1), min_size=k, max_size=k, unique=True))
            return T.SparseParity(dim, support)
        return T.GaussianMixture.xor(max(dim, 2), draw(st.floats(1.0, 5.0)), std=draw(st.floats(0.5, 1.5)), xp=ns)

    return draw_target()


# -- settings --------------------------------------------------------------------------------------------
def setting_class(paper: Any) -> type:
    """The :class:`~featlearn.settings.Setting` class of a paper key (``"sl21"``, ``"ba22"``), of a
    claim id (``"sl21.weak-gd"``), of a Setting instance, or the class itself."""
    from featlearn.settings import Setting

    if isinstance(paper, type) and issubclass(paper, Setting):
        return paper
    if isinstance(paper, Setting):
        return type(paper)
    if not isinstance(paper, str):
        raise TypeError(f"paper: expected a paper key, a claim id or a Setting class, got {type(paper).__name__}")
    from featlearn.claims import PAPERS, load_claims, paper_setting
    from featlearn.context import resolve_setting

    claims = load_claims()
    key = paper
    if "." in paper:
        if paper not in claims:
            raise ValueError(f"paper: unknown claim id {paper!r}; known ids: {', '.join(sorted(claims))}")
        key = claims[paper].paper
    if key not in PAPERS:
        raise ValueError(f"paper: unknown paper key {paper!r}; expected one of {', '.join(sorted(PAPERS))}")
    ref = paper_setting(key)
    obj = resolve_setting(ref) if ref else None
    if not isinstance(obj, Setting):
        raise ValueError(f"paper: {key!r} has no Setting class")
    return type(obj)


def _kind(cls: type, f: dataclasses.Field) -> Any:
    return typing.get_type_hints(cls).get(f.name, type(f.default))


def _is_tuple(kind: Any) -> bool:
    return kind is tuple or typing.get_origin(kind) is tuple


def _bounds(meta: Mapping[str, Any]) -> tuple[float | None, float | None, bool, bool]:
    inc = meta.get("include_boundaries", "both")
    return (meta.get("min_val"), meta.get("max_val"), inc in ("both", "left"), inc in ("both", "right"))


def _int_range(name: str, v: int, meta: Mapping[str, Any], shrink: bool, above: int | None = None
               ) -> tuple[int, int]:
    lo_decl, hi_decl, inc_lo, inc_hi = _bounds(meta)
    if name.endswith("_log2"):
        lo, hi = v - 3, (v if shrink else v + 1)
    else:
        lo, hi = (math.ceil(v / SHRINK_FACTOR) if v > 0 else v), (v if shrink else max(2 * v, v + 1))
    if lo_decl is not None:
        lo = max(lo, math.ceil(lo_decl) if inc_lo else math.floor(lo_decl) + 1)
    if hi_decl is not None:
        hi = min(hi, math.floor(hi_decl) if inc_hi else math.ceil(hi_decl) - 1)
    if above is not None:
        lo = max(lo, above + 1)
    return lo, max(lo, hi)


def _float_strategy(v: float, meta: Mapping[str, Any], above: float | None = None) -> st.SearchStrategy:
    lo_decl, hi_decl, inc_lo, inc_hi = _bounds(meta)
    if v == 0.0 and above is None:
        return st.just(0.0)
    lo, hi = (v / 2, 2 * v) if v > 0 else (2 * v, v / 2)
    excl_lo = excl_hi = False
    if lo_decl is not None and lo <= lo_decl:
        lo, excl_lo = float(lo_decl), not inc_lo
    if hi_decl is not None and hi >= hi_decl:
        hi, excl_hi = float(hi_decl), not inc_hi
    if above is not None and above >= lo:
        lo, excl_lo = float(above), True
    if lo > hi or (lo == hi and (excl_lo or excl_hi)):
        return st.just(float(v))
    return st.floats(lo, hi, exclude_min=excl_lo, exclude_max=excl_hi, allow_nan=False, allow_infinity=False)


def _entry_strategy(name: str, kind: Any, v: Any, meta: Mapping[str, Any], shrink: bool, above: Any = None,
                    parity: int | None = None) -> st.SearchStrategy:
    if meta.get("choices") is not None:
        return st.sampled_from(tuple(meta["choices"]))
    if kind is bool or isinstance(v, bool):
        return st.booleans()
    if kind is int or (kind is None and isinstance(v, int)):
        lo, hi = _int_range(name, int(v), meta, shrink, above)
        if parity is not None and int(v) % 2 == parity:  # drawn as 2·k + parity inside [lo, hi]
            k_lo, k_hi = -(-(lo - parity) // 2), (hi - parity) // 2
            return st.integers(k_lo, max(k_lo, k_hi)).map(lambda k: 2 * k + parity)
        return st.integers(lo, hi)
    if kind is float or (kind is None and isinstance(v, float)):
        return _float_strategy(float(v), meta, above)
    return st.just(v)  # a free string or any other kind: kept


def _increasing(values: tuple) -> bool:
    try:
        return len(values) > 1 and all(a < b for a, b in zip(values, values[1:]))
    except TypeError:
        return False


#: Fields whose Setting requires a parity (0 even, 1 odd), met by construction: network widths of
#: SWL23's symmetric initialisation (neurons in mirrored pairs) and its even/odd parity orders.
_PARITY = {"featlearn.papers.swl23.setting": {"xor_width": 0, "bound_width": 0, "widths": 0, "parity_even_k": 0,
                                              "parity_odd_k": 1}}


def field_strategy(cls: type, name: str, value: Any = None, *, shrink: bool = True) -> st.SearchStrategy:
    """The strategy :func:`settings` uses for one field of ``cls`` around ``value`` (default: the
    field's default), by the module's sizing rule."""
    from featlearn.settings import Setting

    if not (isinstance(cls, type) and issubclass(cls, Setting) and dataclasses.is_dataclass(cls)):
        raise TypeError(f"cls: expected a Setting class, got {cls!r}")
    if not isinstance(name, str):
        raise TypeError(f"name: expected a field name (str), got {type(name).__name__}")
    shrink = check_bool(shrink, "shrink")
    fields = {f.name: f for f in dataclasses.fields(cls)}
    if name not in fields:
        raise ValueError(f"{name}: not a field of {cls.__name__}; valid keys: {cls.describe_keys()}")
    f = fields[name]
    v = f.default if value is None else value
    kind = _kind(cls, f)
    meta = f.metadata
    parity = _PARITY.get(cls.__module__, {}).get(name)
    if not _is_tuple(kind):
        return _entry_strategy(name, kind, v, meta, shrink, parity=parity)
    entry = (typing.get_args(kind) or (None,))[0]
    if isinstance(v, (str, bytes)) or not hasattr(v, "__iter__"):
        raise TypeError(f"value: expected a tuple of values of the sweep axis {name}, got {type(v).__name__}")
    v = tuple(v)
    if meta.get("choices") is not None:  # a non-empty subset of the choices, in their order
        choices = tuple(meta["choices"])
        return (st.lists(st.sampled_from(choices), min_size=1, max_size=len(choices), unique=True)
                .map(lambda xs: tuple(c for c in choices if c in xs)))
    if not _increasing(v):
        return st.tuples(*(_entry_strategy(name, entry, x, meta, shrink, parity=parity) for x in v))

    @st.composite
    def increasing(draw):
        out, prev = [], None
        for x in v:
            prev = draw(_entry_strategy(name, entry, x, meta, shrink, above=prev, parity=parity))
            out.append(prev)
        return tuple(out)

    return increasing()


def _dependent_lower_bounds(cls: type, drawn: Mapping[str, Any], base: Any) -> dict[str, int]:
    """Cross-field constraints met by construction: field -> the smallest value it may take given the others."""
    names = {f.name for f in dataclasses.fields(cls)}
    out = {}
    if {"crossing_d_max", "crossing_d_k2", "crossing_d_k3"} <= names:  # SWL23
        ds = [*drawn.get("crossing_d_k2", base.crossing_d_k2), *drawn.get("crossing_d_k3", base.crossing_d_k3)]
        out["crossing_d_max"] = max(ds)
    return out


def _order(names: list[str]) -> list[str]:
    # a field bounded by others is drawn after them
    late = {"crossing_d_max"}
    return [n for n in names if n not in late] + [n for n in names if n in late]


def settings(paper: Any, *, vary: Any = None, scale: str = "quick", shrink: bool = True, _strict: bool = False,
             **fixed: Any) -> st.SearchStrategy:
    """Valid settings of a paper, drawn by the module's sizing rule (see the module docstring).

    Parameters
    ----------
    paper : str, Setting class or Setting
        A paper key (``"sl21"``, ``"mlhd23"``, ``"ba22"``, …), a claim id (its paper's setting), a
        ``Setting`` class, or a ``Setting`` instance (the base the drawn fields replace).
    vary : None, "all", str, iterable of str, or mapping
        The fields to draw: ``None`` draws none (the strategy always gives the base setting),
        ``"all"`` every field, a name or names those fields; a mapping ``{name: strategy or None}``
        draws ``name`` from the given strategy (``None``: the sizing rule). A given strategy is
        the caller's: a value the Setting refuses raises its ``ValueError``.
    scale : "quick" or "paper"
        The scale of the base setting and of the values the sizing rule draws around.
    shrink : bool
        ``True``: sizes drawn in ``[v/8, v]`` (at most the base's cost); ``False``: in ``[v/8, 2v]``.
    **fixed
        Fields set on the base setting (validated; not drawn).

    Examples
    --------
    >>> from featlearn.testing.strategies import settings
    >>> strategy = settings("cui24", vary=["d", "step_lams"])   # d in [50, 400], each λ in [λ/2, 2λ]
    """
    from featlearn.settings import Setting

    shrink = check_bool(shrink, "shrink")
    _strict = check_bool(_strict, "_strict")
    cls = setting_class(paper)
    if isinstance(paper, Setting):
        base = paper.replace(**fixed) if fixed else paper
    else:
        base = cls.at(scale, **fixed)
    names = [f.name for f in dataclasses.fields(cls)]
    custom: dict[str, Any] = {}
    if vary is None:
        chosen: list[str] = []
    elif isinstance(vary, str):
        chosen = list(names) if vary == "all" else [vary]
    elif isinstance(vary, Mapping):
        chosen = list(vary)
        custom = {k: s for k, s in vary.items() if s is not None}
        for k, s in custom.items():
            if not isinstance(s, st.SearchStrategy):
                raise TypeError(f"vary[{k!r}]: expected a hypothesis strategy or None, got {type(s).__name__}")
    else:
        try:
            chosen = [str(n) for n in vary]
        except TypeError:
            raise TypeError(f"vary: expected None, 'all', a field name, names or a mapping, "
                            f"got {type(vary).__name__}") from None
    cls.check_keys(chosen)
    both = sorted(set(chosen) & set(fixed))
    if both:
        raise ValueError(f"vary: {both[0]!r} is both drawn and fixed; give it in one of vary or **fixed")
    chosen = _order([n for n in names if n in chosen])
    if not chosen:
        return st.just(base)
    plain = {n: field_strategy(cls, n, getattr(base, n), shrink=shrink) for n in chosen if n not in custom}

    @st.composite
    def draw_setting(draw):
        drawn: dict[str, Any] = {}
        for n in chosen:
            if n in custom:
                drawn[n] = draw(custom[n])
                continue
            floor = _dependent_lower_bounds(cls, drawn, base).get(n)
            strat = plain[n]
            if floor is not None:
                lo, hi = _int_range(n, getattr(base, n), dataclasses.fields(cls)[names.index(n)].metadata, shrink)
                strat = st.integers(max(lo, floor), max(hi, floor))
            drawn[n] = draw(strat)
        if custom:  # the caller's strategies: their values are the caller's to get right
            return base.replace(**drawn)
        try:
            return base.replace(**drawn)
        except ValueError:
            if _strict:
                raise
            from hypothesis import reject

            reject()

    return draw_setting()

