"""One validation policy for every public entry point of featlearn.

Modelled on scikit-learn's ``check_scalar``/``check_array``:

* a value of the wrong *type* raises :class:`TypeError`;
* a value of the right type but outside its allowed *range* (or not finite) raises
  :class:`ValueError`;
* every message names the argument and states what was expected.

Every module of featlearn validates through these functions, so the same mistake (say, a
float width) raises the same exception everywhere. Array checks use only the array's own
namespace (array-api-compat), so they run on every backend.

The dtype rule for data (:func:`check_array`)
----------------------------------------------
* complex arrays raise ``TypeError`` (featlearn's models are real-valued: the imaginary part
  is never dropped silently), and so do boolean arrays (almost always a mask passed by mistake);
* integer arrays are converted to the working float dtype -- the model's dtype, else the
  backend's default float;
* host sequences (lists, tuples, nested lists of numbers) passed as data are converted, with the
  working float dtype, to the backend of the other array arguments or of the model (its parameters'
  or its generator's namespace); with neither, to NumPy. A host sequence is never reported as "an
  array of another backend";
* float16 is up-cast to the working float dtype (its 3 significant digits would swamp every
  tolerance), float32/float64 are kept unless a ``dtype`` is requested;
* an array of another backend than the one expected (the model's, or that of the other arrays of
  the call) raises ``TypeError`` naming the argument and both backends
  (``"y: expected an array of the same backend as X (numpy), got torch"``), before any work;
* NaN or inf raise ``ValueError`` (``"input contains NaN or inf"``), on fit, validation, test
  and predict data alike.

Sizes (:func:`check_memory`)
----------------------------
Constructors, samplers and solvers that allocate ``O(d·width)``, ``O(width²)``, ``O(n·d)`` or
``O(n²)`` floats estimate the bytes first; an estimate above half of the machine's physical
memory raises :class:`MemoryRefusal` (a :class:`MemoryError`) with the estimate in GiB, before
anything is allocated. The only exceptions featlearn raises for bad input are therefore
``ValueError``, ``TypeError`` and :class:`MemoryRefusal`.
"""

from __future__ import annotations

import math
import os
from numbers import Integral, Real
from types import ModuleType
from typing import Any, Iterable, Sequence

__all__ = [
    "MemoryRefusal",
    "check_array",
    "check_bool",
    "check_fitted",
    "check_memory",
    "check_choice",
    "check_finite",
    "check_finite_output",
    "check_generator",
    "check_grid",
    "check_indices",
    "check_int",
    "check_real",
    "check_real_dtype",
    "check_backend",
    "check_same_backend",
    "reference_namespace",
    "check_seed",
    "all_finite",
    "as_float_array",
]


def array_namespace(*arrays: Any):
    """:func:`featlearn.backends.array_namespace`, imported on first use: featlearn.backends imports this
    module (its Generator checks seeds and sizes here), so this module may not import it at load time."""
    from featlearn.backends import array_namespace as namespace

    return namespace(*arrays)


def _namespace_of(x: Any, name: str):
    """The namespace of the array ``x``, or a ``TypeError`` naming ``name`` when ``x`` is no array."""
    if not (hasattr(x, "shape") and hasattr(x, "dtype")):
        raise TypeError(f"{name}: expected an array, got {type(x).__name__}")
    try:
        return array_namespace(x)
    except TypeError:
        raise TypeError(f"{name}: expected an array of a supported backend, got {type(x).__name__}") from None


class MemoryRefusal(MemoryError):
    """featlearn's refusal to allocate: the memory estimate exceeds what the machine allows.

    Raised by :func:`check_memory` *before* any allocation; the message states the estimate
    and the available memory in GiB.
    """


def available_memory() -> int | None:
    """Physical memory of the machine in bytes (psutil's total if installed), or None if unknown."""
    try:
        import psutil  # type: ignore

        return int(psutil.virtual_memory().total)
    except Exception:  # noqa: BLE001 - psutil is optional
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES")) * int(os.sysconf("SC_PAGE_SIZE"))
    except (AttributeError, ValueError, OSError):
        return None


def check_memory(nbytes: float, what: str, *, fraction: float = 0.5) -> float:
    """Refuse (``MemoryRefusal``) an allocation of ``nbytes`` above ``fraction`` of physical memory.

    Parameters
    ----------
    nbytes : float
        Estimated size of the allocation in bytes (e.g. ``8 * d * width`` for a float64 matrix).
    what : str
        What would be allocated, with the arguments that set its size (used in the message).
    fraction : float
        Largest share of the machine's physical memory one allocation may take.

    Returns
    -------
    float
        ``nbytes``, when the allocation is allowed (or the memory is unknown).

    Raises
    ------
    MemoryRefusal
        The estimate exceeds ``fraction`` of the physical memory.

    Examples
    --------
    >>> check_memory(8 * 10**3, "W (d x width)")
    8000
    >>> check_memory(8 * 10**18, "W (d x width)")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    featlearn.validation.MemoryRefusal: W (d x width): needs about 7450580596.9 GiB, ...
    """
    check_real(nbytes, "nbytes", min_val=0.0)
    fraction = check_real(fraction, "fraction", min_val=0.0, max_val=1.0, include_boundaries="right")
    total = available_memory()
    if total is not None and nbytes > fraction * total:
        raise MemoryRefusal(f"{what}: needs about {nbytes / 2**30:.1f} GiB, more than {fraction:g} of the "
                            f"{total / 2**30:.1f} GiB of memory of this machine; reduce the sizes")
    return nbytes


def check_fitted(model: Any, attr: str, *, method: str = "fit") -> None:
    """``ValueError`` "not fitted yet" unless ``model`` has the attribute ``attr`` set (not None)."""
    if model is None:
        raise TypeError("model: expected a model, got None")
    if not isinstance(attr, str):
        raise TypeError(f"attr: expected an attribute name (str), got {type(attr).__name__}")
    if not isinstance(method, str):
        raise TypeError(f"method: expected a method name (str), got {type(method).__name__}")
    if getattr(model, attr, None) is None:
        # ``method`` is the text of the message ("fit", "init or fit"): one of its names must be a method
        if not any(callable(getattr(model, m.strip(), None)) for m in method.split(" or ")):
            raise TypeError(f"model: expected a model with a {method}() method, got {type(model).__name__}")
        raise ValueError(f"this {type(model).__name__} is not fitted yet ({attr} is not set); call {method} first")


def check_bool(value: Any, name: str) -> bool:
    """``value`` as a ``bool``: ``True``/``False`` (NumPy's ``bool_`` too); anything else is a ``TypeError``.

    A flag is never guessed from a truthy value: ``"yes"``, ``1`` or ``None`` are refused.

    Examples
    --------
    >>> check_bool(True, "clean")
    True
    >>> check_bool("yes", "clean")
    Traceback (most recent call last):
    ...
    TypeError: clean: expected a bool, got str 'yes'
    """
    if isinstance(value, bool):
        return value
    if type(value).__name__ == "bool_" and type(value).__module__ == "numpy":
        return bool(value)
    raise TypeError(f"{name}: expected a bool, got {type(value).__name__} {value!r}")


def all_finite(x: Any) -> bool:
    """Whether every entry of the array ``x`` is finite (one host synchronisation).

    Fast path: a NaN or ±inf entry makes the sum NaN or ±inf, so a finite sum proves every entry finite
    with one reduction and no temporary array; only a non-finite sum (a bad entry, or a sum that
    overflows) takes the exact elementwise test.
    """
    xp = _namespace_of(x, "x")
    if not xp.isdtype(x.dtype, ("real floating", "complex floating")):
        return True  # integers and booleans have no NaN or inf
    if bool(xp.isfinite(xp.sum(x))):
        return True
    return bool(xp.all(xp.isfinite(x)))


def _range_text(min_val, max_val, include_boundaries: str) -> str:
    lo_br = "[" if include_boundaries in ("both", "left") else "("
    hi_br = "]" if include_boundaries in ("both", "right") else ")"
    lo = "-inf" if min_val is None else repr(min_val)
    hi = "inf" if max_val is None else repr(max_val)
    return f"in {lo_br}{lo}, {hi}{hi_br}"


def _check_bound(b, which: str, integral: bool) -> None:
    """A range bound of :func:`check_int` (an int) or :func:`check_real` (a real number, ±inf allowed), or None."""
    if b is None or type(b) is int or (type(b) is float and not integral and b == b):  # the common cases, fast
        return
    if isinstance(b, bool) or not isinstance(b, Integral if integral else Real):
        raise TypeError(f"{which}: expected {'an int' if integral else 'a real number'} or None, "
                        f"got {type(b).__name__} {b!r}")
    if not integral and math.isnan(b):
        raise ValueError(f"{which}: expected a real number or None, got nan")


def _check_range(v, name, min_val, max_val, include_boundaries, kind):
    if include_boundaries not in ("both", "left", "right", "neither"):
        if not isinstance(include_boundaries, str):
            raise TypeError(f"include_boundaries: expected 'both', 'left', 'right' or 'neither', "
                            f"got {type(include_boundaries).__name__}")
        raise ValueError(f"include_boundaries: expected 'both', 'left', 'right' or 'neither', "
                         f"got {include_boundaries!r}")
    integral = kind == "an int"
    _check_bound(min_val, "min_val", integral)
    _check_bound(max_val, "max_val", integral)
    lo_ok = True if min_val is None else (v >= min_val if include_boundaries in ("both", "left") else v > min_val)
    hi_ok = True if max_val is None else (v <= max_val if include_boundaries in ("both", "right") else v < max_val)
    if not (lo_ok and hi_ok):
        empty = ""
        if min_val is not None and max_val is not None and (
                min_val > max_val or (min_val == max_val and include_boundaries != "both")):
            empty = f" (an empty range: min_val {min_val!r}, max_val {max_val!r})"
        raise ValueError(f"{name}: expected {kind} {_range_text(min_val, max_val, include_boundaries)}, "
                         f"got {v!r}{empty}")


def check_int(value: Any, name: str, *, min_val: int | None = None, max_val: int | None = None,
              include_boundaries: str = "both") -> int:
    """``value`` as an ``int``, after checking its type and range.

    Parameters
    ----------
    value
        The argument to check; ``bool`` is refused even though it is an ``int`` subclass.
    name : str
        The argument's name, used in the message.
    min_val, max_val : int, optional
        Allowed range (``None``: unbounded).
    include_boundaries : {"both", "left", "right", "neither"}
        Whether the bounds themselves are allowed.

    Raises
    ------
    TypeError
        ``value`` is not an integer (floats such as ``3.0`` are refused: a width is a count).
    ValueError
        ``value`` is outside the range.

    Examples
    --------
    >>> check_int(8, "width", min_val=1)
    8
    >>> check_int(0, "width", min_val=1)
    Traceback (most recent call last):
    ...
    ValueError: width: expected an int in [1, inf], got 0
    """
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name}: expected an int, got {type(value).__name__} {value!r}")
    v = int(value)
    _check_range(v, name, min_val, max_val, include_boundaries, "an int")
    return v


def check_seed(seed: Any, name: str = "seed") -> int:
    """``seed`` as an ``int``: a non-negative integer (Python's or NumPy's; ``bool`` and floats refused).

    The one seed check of featlearn: :class:`featlearn.backends.Generator`, the claim context,
    the sweeps' seed lists and the CLI's ``--seed`` all use it.

    Raises
    ------
    TypeError
        ``seed`` is not an integer (``True``, ``1.0``, ``"1"``, ``None``).
    ValueError
        ``seed`` is negative.

    Examples
    --------
    >>> import numpy as np
    >>> check_seed(np.int64(3))
    3
    >>> check_seed(True)
    Traceback (most recent call last):
    ...
    TypeError: seed: expected an int, got bool True
    >>> check_seed(-1, "seeds[0]")
    Traceback (most recent call last):
    ...
    ValueError: seeds[0]: expected an int in [0, inf], got -1
    """
    return check_int(seed, name, min_val=0)


def check_real(value: Any, name: str, *, min_val: float | None = None, max_val: float | None = None,
               include_boundaries: str = "both", allow_inf: bool = False) -> float:
    """``value`` as a finite ``float``, after checking its type and range.

    Parameters
    ----------
    value
        A real number (Python, NumPy scalar or a 0-d array are accepted; ``bool`` is refused).
    name : str
        The argument's name, used in the message.
    min_val, max_val : float, optional
        Allowed range (``None``: unbounded).
    include_boundaries : {"both", "left", "right", "neither"}
        Whether the bounds themselves are allowed.
    allow_inf : bool
        Accept ``±inf`` (never NaN).

    Raises
    ------
    TypeError
        ``value`` is not a real number (complex, str, None, ...).
    ValueError
        ``value`` is NaN, infinite (unless allowed) or outside the range.

    Examples
    --------
    >>> check_real(0.5, "gamma", min_val=0, max_val=1, include_boundaries="neither")
    0.5
    >>> check_real(float("nan"), "eta")
    Traceback (most recent call last):
    ...
    ValueError: eta: expected a finite real number, got nan
    """
    if isinstance(value, bool):
        raise TypeError(f"{name}: expected a real number, got bool {value!r}")
    if not isinstance(value, Real):
        # 0-d arrays of any backend
        shape = getattr(value, "shape", None)
        if shape is not None and tuple(shape) == () and hasattr(value, "dtype"):
            try:
                xp = array_namespace(value)
            except TypeError:
                xp = None
            if xp is not None and not xp.isdtype(value.dtype, "real floating") and \
                    not xp.isdtype(value.dtype, "integral"):
                raise TypeError(f"{name}: expected a real number, got an array of dtype {value.dtype}")
            value = float(value)
        else:
            raise TypeError(f"{name}: expected a real number, got {type(value).__name__} {value!r}")
    v = float(value)
    if allow_inf is not False and allow_inf is not True:
        check_bool(allow_inf, "allow_inf")
    if math.isnan(v) or (math.isinf(v) and not allow_inf):
        raise ValueError(f"{name}: expected a finite real number, got {v!r}")
    _check_range(v, name, min_val, max_val, include_boundaries, "a real number")
    return v


def check_choice(value: Any, name: str, choices: Iterable[Any]) -> Any:
    """``value`` if it is one of ``choices``, else a ``ValueError`` listing them.

    Examples
    --------
    >>> check_choice("hinge", "loss", ("hinge", "logistic"))
    'hinge'
    """
    if isinstance(choices, (str, bytes)) or not isinstance(choices, Iterable):
        raise TypeError(f"choices: expected a sequence of the allowed values, got {type(choices).__name__}")
    choices = tuple(choices)
    if not isinstance(value, (str, int, float, type(None))) or value not in choices:
        if not isinstance(value, (str, int, float, type(None))):
            raise TypeError(f"{name}: expected one of {choices}, got {type(value).__name__}")
        raise ValueError(f"{name}: expected one of {choices}, got {value!r}")
    return value


def check_grid(values: Any, name: str, *, min_val: float | None = None, max_val: float | None = None,
               include_boundaries: str = "both") -> tuple[float, ...]:
    """A non-empty grid of finite reals as a tuple of floats (e.g. a λ or step-size grid).

    Examples
    --------
    >>> check_grid([1e-3, 1e-1], "lambdas", min_val=0, include_boundaries="neither")
    (0.001, 0.1)
    """
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        if hasattr(values, "shape") and hasattr(values, "dtype"):
            xp = array_namespace(values)
            values = [float(v) for v in xp.reshape(values, (-1,))]
        else:
            raise TypeError(f"{name}: expected a sequence of real numbers, got {type(values).__name__}")
    out = tuple(check_real(v, f"{name}[{i}]", min_val=min_val, max_val=max_val,
                           include_boundaries=include_boundaries) for i, v in enumerate(values))
    if not out:
        raise ValueError(f"{name}: expected a non-empty sequence of real numbers, got an empty one")
    return out


def check_indices(values: Any, name: str, *, size: int) -> list[int]:
    """A non-empty sequence of distinct indices in ``[0, size)`` (e.g. a parity's support), as ``int`` values.

    Lists, tuples, any iterable and integer arrays of any backend are accepted.

    Raises
    ------
    TypeError
        ``values`` is not an iterable (a ``str`` included), or holds a non-integer.
    ValueError
        ``values`` is empty, repeats an index, or holds one outside ``[0, size)``.

    Examples
    --------
    >>> check_indices((3, 0), "support", size=4)
    [3, 0]
    >>> check_indices([0, 4], "support", size=4)
    Traceback (most recent call last):
    ...
    ValueError: support: expected an int in [0, 3], got 4
    """
    size = check_int(size, "size", min_val=1)
    if hasattr(values, "shape") and hasattr(values, "dtype"):
        from featlearn.backends import to_host

        values = to_host(values).reshape(-1).tolist()
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name}: expected an iterable of ints, got {type(values).__name__}")
    out = [check_int(v, name, min_val=0, max_val=size - 1) for v in values]
    if not out:
        raise ValueError(f"{name}: expected at least one index, got none")
    if len(set(out)) != len(out):
        raise ValueError(f"{name}: expected distinct indices, got {out}")
    return out


def check_generator(rng: Any, name: str = "rng"):
    """``rng`` if it is a :class:`featlearn.backends.Generator`, else a ``TypeError``."""
    from featlearn.backends import Generator

    if not isinstance(rng, Generator):
        raise TypeError(f"{name}: expected a featlearn.backends.Generator (all randomness flows from an "
                        f"explicit seed), got {type(rng).__name__}")
    return rng


def _backend_name(xp, argument: str = "xp") -> str:
    from featlearn.backends import backend_name, get_namespace  # validation sits below backends: import on use

    return backend_name(xp if isinstance(xp, ModuleType) else get_namespace(xp, name=argument))


def check_backend(got, name: str, xp, *, like: str | None = None, kind: str = "an array") -> None:
    """``TypeError`` naming ``name`` and both backends unless the namespace ``got`` is ``xp``'s backend.

    Parameters
    ----------
    got, xp : namespace
        The argument's namespace and the expected one.
    name : str
        The argument's name.
    like : str, optional
        What the expected backend belongs to (``"X"``, ``"the network"``), for the message.
    kind : str
        What the argument is (``"an array"``, ``"a Generator"``), for the message.

    Examples
    --------
    >>> import array_api_compat.numpy as np_xp, array_api_strict as strict  # doctest: +SKIP
    >>> check_backend(strict, "y", np_xp, like="X")  # doctest: +SKIP
    Traceback (most recent call last):
    ...
    TypeError: y: expected an array of the same backend as X (numpy), got array_api_strict
    """
    want, have = _backend_name(xp), _backend_name(got, "got")
    if want != have:
        where = f"the same backend as {like} ({want})" if like else want
        raise TypeError(f"{name}: expected {kind} of {where}, got {have}")


def reference_namespace(xp=None, like: str | None = None, *, prefix: str = "", **arrays: Any):
    """The backend a call's array arguments are checked against and host sequences converted to.

    ``xp`` (a model's namespace, described by ``like``) when given; else the namespace of the first
    argument in ``arrays`` that is an array (its name, with ``prefix``, becomes ``like``); else NumPy
    when the arguments are host sequences. Returns ``(xp, like)``; ``(None, None)`` when nothing
    tells (the arrays' own checks then say what is wrong).

    Examples
    --------
    >>> import numpy as np
    >>> xp, like = reference_namespace(X=[[1.0]], y=np.ones(1))
    >>> xp.__name__, like
    ('array_api_compat.numpy', 'y')
    """
    from featlearn.backends import get_namespace

    if xp is not None:
        return get_namespace(xp, name="xp"), like
    for k, a in arrays.items():
        if hasattr(a, "shape") and hasattr(a, "dtype"):
            try:
                return array_namespace(a), f"{prefix}{k}"
            except TypeError:
                return None, None  # not a supported array: its own check says so, naming it
    if any(isinstance(a, (list, tuple)) for a in arrays.values()):
        return get_namespace("numpy"), None
    return None, None


def check_same_backend(**arrays: Any):
    """The common namespace of named arrays, or a ``TypeError`` naming the first array of another backend.

    ``None`` values are skipped; the first named array sets the backend.
    """
    named = {k: v for k, v in arrays.items() if v is not None}
    first, xp = None, None
    for k, v in named.items():
        if not (hasattr(v, "shape") and hasattr(v, "dtype")):
            raise TypeError(f"{k}: expected an array, got {type(v).__name__}")
        try:
            space = array_namespace(v)
        except TypeError:
            raise TypeError(f"{k}: expected an array of a supported backend, got {type(v).__name__}") from None
        if xp is None:
            first, xp = k, space
        else:
            check_backend(space, k, xp, like=first)
    return xp


def check_real_dtype(x: Any, name: str) -> Any:
    """``x`` unchanged if it is a real (floating, integer) array; ``TypeError`` naming ``name`` otherwise.

    The one refusal of complex input for functions that take an array as it is (special functions,
    activations, gradient loops): the imaginary part is never dropped silently, and no complex
    output is returned. Booleans and other non-numeric dtypes are refused too. Python floats and ints
    pass through (the caller converts them); complex Python numbers are refused.
    """
    if isinstance(x, complex):
        raise TypeError(f"{name}: expected a real floating array, got {type(x).__name__}")
    if isinstance(x, (bool, int, float)):
        return x
    if not hasattr(x, "dtype"):
        if x is None or isinstance(x, (str, bytes)):
            raise TypeError(f"{name}: expected a real array, got {type(x).__name__}")
        return x
    dt = x.dtype
    kind = getattr(dt, "kind", None)  # NumPy, CuPy, JAX dtypes (a fast path: this guards hot loops)
    if kind is None and hasattr(dt, "is_complex"):  # torch
        kind = "c" if dt.is_complex else "f" if dt.is_floating_point else "b" if str(dt) == "torch.bool" else "i"
    if kind is None:  # other Array API libraries (array_api_strict): ask the namespace
        try:
            xp = array_namespace(x)
        except TypeError:
            return x
        kind = ("f" if xp.isdtype(dt, "real floating") else "c" if xp.isdtype(dt, "complex floating")
                else "b" if dt == xp.bool else "i" if xp.isdtype(dt, "integral") else "?")
    if kind not in ("f", "i", "u"):
        raise TypeError(f"{name}: expected a real floating array, got {dt}")
    return x


def check_finite(x: Any, name: str) -> None:
    """``ValueError`` if the array ``x`` holds NaN or inf ("Input contains NaN", as scikit-learn says);
    ``TypeError`` if it is not a real array."""
    xp = _namespace_of(x, name)
    check_real_dtype(x, name)
    if not bool(xp.all(xp.isfinite(x))):
        raise ValueError(f"{name}: input contains NaN or inf")


def check_finite_output(y: Any, name: str = "X") -> Any:
    """``y`` (a model's output) if finite, else a ``ValueError`` naming the input ``name``.

    A prediction is never returned with NaN or inf: finite inputs whose magnitude overflows
    the float dtype inside the model are refused here, after the fact.
    """
    xp = _namespace_of(y, "y")
    check_real_dtype(y, "y")
    if not bool(xp.all(xp.isfinite(y))):
        raise ValueError(f"{name}: the model's output is not finite (entries of this magnitude overflow "
                         f"{y.dtype}); rescale the input")
    return y


def check_array(x: Any, name: str, *, ndim: int | Sequence[int] | None = None, xp=None, dtype=None,
                device=None, columns: int | None = None, rows: int | None = None, min_rows: int = 1,
                finite: bool = True, like: str | None = None) -> Any:
    """A validated floating array: the one rule for data handed to featlearn.

    * lists and tuples are converted with ``xp.asarray`` (``xp`` required then) to ``dtype``
      (default: the backend's default float);
    * an array of another backend than ``xp`` raises ``TypeError`` naming both (and ``like``);
    * complex and boolean arrays are refused (``TypeError``): featlearn's models are real-valued,
      and a bool array is almost always a mask passed by mistake;
    * integer arrays are converted to ``dtype`` (default: the backend's default float);
      float16 is up-cast to ``dtype`` too (its 3 significant digits would swamp every tolerance);
    * ``ndim``, ``columns`` (e.g. the input dimension d), ``rows`` and ``min_rows`` are checked;
    * with ``finite=True`` (default) NaN or inf raise ``ValueError``.

    Parameters
    ----------
    x : array or list
    name : str
        The argument's name, used in messages.
    ndim : int or sequence of int, optional
    xp : namespace, optional
        Needed to convert a list; otherwise inferred from ``x``.
    dtype : optional
        Target float dtype; default: keep a float32/float64 array as it is.
    like : str, optional
        What ``xp`` is the backend of (``"X"``, ``"the network"``), named in the backend message.

    Examples
    --------
    >>> import numpy as xp
    >>> check_array([[1, 2], [3, 4]], "X", ndim=2, xp=xp).dtype
    dtype('float64')
    """
    if x is None:
        raise TypeError(f"{name}: expected an array, got None")
    if ndim is not None:
        ndim = (check_int(ndim, "ndim", min_val=0, max_val=64),) if not isinstance(ndim, (list, tuple)) else \
            tuple(check_int(k, f"ndim[{i}]", min_val=0, max_val=64) for i, k in enumerate(ndim))
    min_rows = check_int(min_rows, "min_rows", min_val=0)
    if finite is not True and finite is not False:
        check_bool(finite, "finite")
    if xp is not None:
        from featlearn.backends import get_namespace  # validation sits below backends: import on use

        xp = get_namespace(xp, name="xp")  # ``import numpy as xp`` means the array_api_compat namespace
    if isinstance(x, (list, tuple)):
        if xp is None:
            raise TypeError(f"{name}: expected an array, got {type(x).__name__} (pass an array of your backend)")
        x = _sequence_to_array(x, name, xp, dtype, device)
    if not (hasattr(x, "shape") and hasattr(x, "dtype")):
        raise TypeError(f"{name}: expected an array, got {type(x).__name__}")
    try:
        own = array_namespace(x)
    except TypeError:
        raise TypeError(f"{name}: expected an array of a supported backend, got {type(x).__name__}") from None
    if xp is not None:
        check_backend(own, name, xp, like=like)
    xp = own
    if dtype is not None:
        from featlearn.backends import resolve_float_dtype

        dtype = resolve_float_dtype(xp, dtype)
    if device is not None:
        from featlearn.backends._namespace import check_device

        check_device(xp, device, "device")
    if xp.isdtype(x.dtype, "complex floating"):
        raise TypeError(f"{name}: expected a real floating array, got complex dtype {x.dtype}")
    if x.dtype == xp.bool:
        raise TypeError(f"{name}: expected a real floating array, got a boolean array")
    if not xp.isdtype(x.dtype, ("real floating", "integral")):
        raise TypeError(f"{name}: expected a real numeric array, got dtype {x.dtype}")
    if xp.isdtype(x.dtype, "integral") or (dtype is not None and x.dtype != dtype) \
            or (hasattr(xp, "float16") and x.dtype == getattr(xp, "float16")):
        from featlearn.backends import resolve_float_dtype

        target = resolve_float_dtype(xp, dtype, device=getattr(x, "device", None))
        x = xp.astype(x, target)
    if ndim is not None:
        allowed = ndim
        if x.ndim not in allowed:
            want = " or ".join(f"{k}-D" for k in allowed)
            raise ValueError(f"{name}: expected a {want} array, got shape {tuple(x.shape)}")
    if x.ndim >= 1:
        if rows is not None and x.shape[0] != rows:
            raise ValueError(f"{name}: expected {rows} rows (samples), got shape {tuple(x.shape)}")
        if x.shape[0] < min_rows:
            raise ValueError(f"{name}: expected at least {min_rows} row(s) (samples), got shape {tuple(x.shape)}")
    if columns is not None and (x.ndim != 2 or x.shape[1] != columns):
        raise ValueError(f"{name}: expected {columns} columns (the input dimension d), got shape {tuple(x.shape)}")
    if finite:
        check_finite(x, name)
    return x


def _sequence_to_array(x: Any, name: str, xp, dtype=None, device=None):
    """A host sequence of numbers as an ``xp`` array of the working float dtype (``dtype``, else the backend's
    default float); booleans and complex numbers keep their dtype, for :func:`check_array` to refuse."""
    from featlearn.backends import resolve_float_dtype

    kw = {} if device is None else {"device": device}
    try:
        probe = xp.asarray(x, **kw)
        if xp.isdtype(probe.dtype, ("real floating", "integral")):
            # converted once more from the host values: a float32 default (torch) would round them first
            probe = xp.asarray(x, dtype=resolve_float_dtype(xp, dtype, device), **kw)
    except Exception as exc:  # ragged lists, strings, ...
        raise TypeError(f"{name}: could not convert {type(x).__name__} to an array ({exc})") from None
    return probe


def as_float_array(a: Any, name: str, xp=None, dtype=None):
    """An xp float array from an array or a (nested) sequence of numbers; returns ``(xp, array)``.

    A sequence is converted with ``xp`` (NumPy when ``xp`` is None); an array keeps its backend
    (``TypeError`` if it differs from ``xp``); integer arrays are cast to the float dtype.
    """
    from featlearn.backends import resolve_float_dtype
    from featlearn.backends._namespace import get_namespace

    if hasattr(a, "shape") and hasattr(a, "dtype"):
        axp = array_namespace(a)
        if xp is not None:
            check_backend(axp, name, get_namespace(xp, name="xp"), like="xp")
        xp = axp
    else:
        if isinstance(a, (str, bytes)) or not isinstance(a, (Sequence, float, int)):
            raise TypeError(f"{name}: expected an array or a sequence of numbers, got {type(a).__name__}")
        xp = get_namespace("numpy" if xp is None else xp, name="xp")
        try:
            a = xp.asarray(a, dtype=resolve_float_dtype(xp, dtype))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name}: cannot be read as a numeric array ({exc})") from None
    if not xp.isdtype(a.dtype, ("real floating", "integral")):
        raise TypeError(f"{name}: expected a real numeric array, got dtype {a.dtype}")
    half = hasattr(xp, "float16") and a.dtype == xp.float16  # the one dtype rule: float16 is up-cast
    if not xp.isdtype(a.dtype, "real floating") or dtype is not None or half:
        a = xp.astype(a, resolve_float_dtype(xp, dtype))
    return xp, a
