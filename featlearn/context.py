"""The run context: what a claim or a sweep cell runs with.

One :class:`RunContext` carries the array namespace, device, dtype, scale, the seed that all
randomness flows from, and the paper's setting module where there is one. The orchestrator
(:class:`featlearn.experiments.Orchestrator`, behind ``featlearn check``, ``featlearn reproduce``
and :func:`featlearn.claims.run_claim`) hands it to every claim (``fn(ctx)`` or
``fn(ctx, records)``) and to every sweep cell (``fn(params, ctx)``); neither rebuilds a namespace
or a generator itself.

Random streams
--------------
Every stream is a :meth:`featlearn.backends.Generator.child` of a seed, never a seed made by
arithmetic:

* a claim draws ``ctx.rng(*keys)`` = ``Generator(seed).child(*keys)``, ``seed`` being the run's
  seed (``featlearn check --seed``);
* a sweep cell of sweep seed ``s`` (the record's ``seed``) gets ``ctx.for_replicate(s)``, whose
  ``rng(*keys)`` is ``Generator(s).child(*keys)`` at run seed 0 -- the registered seeds
  themselves, so the numbers quoted in the documentation are what ``featlearn check`` draws --
  and ``Generator(s).child("run-seed", seed, *keys)`` at run seed ``seed > 0``: an independent
  stream for every (run seed, sweep seed) pair.

This module depends on :mod:`featlearn.backends` only, so that the claim framework and the
experiment engine can both build on it.
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from featlearn.backends import Generator, backend_name, get_namespace
from featlearn.validation import check_choice, check_int, check_seed

__all__ = ["RUN_SEED_KEY", "SCALES", "RunContext", "make_context", "resolve_setting"]

#: The scales a run can have: "quick" (the whole registry in about a minute) and "paper".
SCALES = ("quick", "paper")

#: Key under which a sweep seed's stream is split by a run seed > 0 (see the module docstring).
RUN_SEED_KEY = "run-seed"


def _silent(message: str) -> None:
    """The default progress callback: say nothing."""


#: Modules whose objects are devices of a backend (``torch.device``, a JAX or CuPy device, ...).
_DEVICE_MODULES = ("numpy", "array_api_strict", "torch", "jax", "jaxlib", "cupy", "cupy_backends")


def check_device(device: Any, name: str = "device") -> Any:
    """``device`` if it can name a device: ``None`` (the backend's default), a name such as ``"cpu"`` or
    ``"cuda:0"``, a GPU index, or a device object of a backend (``TypeError`` otherwise). Whether the
    device exists is checked where the arrays are made (on a Dask worker, not here)."""
    if device is None or isinstance(device, str) or (isinstance(device, int) and not isinstance(device, bool)):
        return device
    if type(device).__module__.split(".")[0] in _DEVICE_MODULES:
        return device
    raise TypeError(f"{name}: expected None, a device name such as 'cpu' or 'cuda:0', a GPU index or a "
                    f"backend's device object, got {type(device).__name__}")


def _check_progress(progress: Any) -> Any:
    if not callable(progress):
        raise TypeError(f"progress: expected a callable progress(message), got {type(progress).__name__}")
    return progress


def _check_dtype(xp: ModuleType, dtype: Any) -> Any:
    if dtype is not None:
        from featlearn.backends._dtypes import resolve_float_dtype

        resolve_float_dtype(xp, dtype)  # ValueError naming dtype unless float32/float64 of xp
    return dtype


@dataclass(frozen=True)
class RunContext:
    """What a claim or a sweep cell receives: namespace, device, dtype, scale, seed and setting.

    Attributes
    ----------
    xp : module
        The Array-API namespace to compute with.
    scale : {"quick", "paper"}
    seed : int
        The run's seed (``featlearn check --seed``): every stream of the run derives from it.
    device : optional
        Device to allocate on (``None``: the backend's default device where the code runs).
    dtype : optional
        Floating dtype (``None``: the backend's default float dtype).
    setting : featlearn.settings.Setting or module, optional
        The paper's setting (a :class:`featlearn.settings.Setting` at this scale, or the setting
        module of a paper that has no Setting class) where the paper has one.
    replicate : int, optional
        The sweep seed of a sweep cell (its record's ``seed``); ``None`` for a claim.
    progress : callable
        ``progress(message)`` for long runs; silent by default.

    Examples
    --------
    >>> from featlearn.context import make_context
    >>> ctx = make_context(backend="numpy", seed=0)
    >>> ctx.backend, ctx.pick(10, 1000)
    ('numpy', 10)
    >>> a = ctx.rng("data").normal(3)
    >>> bool((a == ctx.rng("data").normal(3)).all())  # a stream depends only on the seed and keys
    True
    >>> cell = ctx.for_replicate(4)  # the context of sweep seed 4's cells
    >>> cell.replicate, cell.seed
    (4, 0)
    """

    xp: ModuleType
    scale: str = "quick"
    seed: int = 0
    device: Any = None
    dtype: Any = None
    setting: Any = None
    replicate: int | None = None
    progress: Callable[[str], None] = _silent

    def __post_init__(self):
        if not isinstance(self.xp, ModuleType):
            raise TypeError(f"xp: expected an array namespace (a module, e.g. from featlearn.backends.get_namespace), "
                            f"got {type(self.xp).__name__}")
        check_choice(self.scale, "scale", SCALES)
        object.__setattr__(self, "seed", check_seed(self.seed))
        if self.replicate is not None:
            object.__setattr__(self, "replicate", check_seed(self.replicate, "replicate"))
        check_device(self.device)
        _check_dtype(self.xp, self.dtype)
        from featlearn.settings import Setting  # settings imports validation only: no cycle

        if self.setting is not None and not isinstance(self.setting, (Setting, ModuleType)):
            raise TypeError(f"setting: expected a featlearn.settings.Setting instance, a setting module or None, "
                            f"got {type(self.setting).__name__} (make_context and with_setting also take names)")
        _check_progress(self.progress)

    @property
    def backend(self) -> str:
        """The backend's name (``"numpy"``, ``"torch"``, ...)."""
        return backend_name(self.xp)

    def rng(self, *keys: int | str) -> Generator:
        """The generator for one purpose of this claim or cell: a child of its seed by ``keys``.

        Children depend only on the seed and the keys, never on what was drawn before, so adding
        a draw elsewhere does not change this stream. See the module docstring for the seeds.
        """
        if self.replicate is None:
            root, path = self.seed, keys
        else:  # run seed 0 is the registered sweep seeds themselves; another run seed splits them
            root, path = self.replicate, ((RUN_SEED_KEY, self.seed) if self.seed else ()) + keys
        g = Generator(root, xp=self.xp, device=self.device)
        return g.child(*path) if path else g

    def for_replicate(self, seed: int) -> "RunContext":
        """The context of a sweep cell of sweep seed ``seed`` in this run (``replicate=seed``).

        A claim that must redraw what a cell drew (e.g. the target the cells measured) calls it
        with the record's ``seed``; a cell whose draw must be common to every sweep seed calls
        ``ctx.for_replicate(0)``.
        """
        return dataclasses.replace(self, replicate=check_seed(seed))

    def for_claim(self) -> "RunContext":
        """The run's own context (no sweep seed): what a claim receives."""
        return dataclasses.replace(self, replicate=None)

    def with_setting(self, setting: Any) -> "RunContext":
        """This context with another setting: a :class:`featlearn.settings.Setting` instance, a
        Setting class or its reference ``"module:Class"`` (taken at this context's scale), a
        setting module or its dotted name, or ``None``."""
        return dataclasses.replace(self, setting=resolve_setting(setting, self.scale))

    def pick(self, quick: int, paper: int) -> int:
        """Choose a size (an int) by scale: ``quick`` at quick scale, ``paper`` at paper scale."""
        quick, paper = check_int(quick, "quick"), check_int(paper, "paper")
        return quick if self.scale == "quick" else paper


def resolve_setting(setting: Any, scale: str = "quick") -> Any:
    """A paper's setting for one scale, from any of the forms a paper registers.

    ``None`` → ``None``; a :class:`featlearn.settings.Setting` instance → itself; a Setting
    class, or its reference ``"module:Class"`` → ``Setting.at(scale)``; a module or a dotted
    module name → the module (a paper whose setting is still a module of constants).
    """
    from featlearn.settings import Setting  # settings imports validation only: no cycle

    check_choice(scale, "scale", SCALES)
    if setting is None or isinstance(setting, (Setting, ModuleType)):
        return setting
    if isinstance(setting, type) and issubclass(setting, Setting):
        return setting.at(scale)
    if isinstance(setting, str):
        if not setting:
            return None
        module, _, qualname = setting.partition(":")
        obj = importlib.import_module(module)
        return resolve_setting(getattr(obj, qualname), scale) if qualname else obj
    raise TypeError(f"setting: expected a Setting, a Setting class, a module, a name or None, "
                    f"got {type(setting).__name__}")


def make_context(*, backend: str | ModuleType = "numpy", scale: str = "quick", seed: int = 0, device: Any = None,
                 dtype: Any = None, setting: Any = None, replicate: int | None = None,
                 progress: Callable[[str], None] = _silent) -> RunContext:
    """A validated :class:`RunContext` (scale, seed and backend checked; ``setting`` may be a dotted name).

    Raises
    ------
    ValueError
        Unknown scale, negative or non-int seed, unknown or unusable backend.

    Examples
    --------
    >>> from featlearn.context import make_context
    >>> make_context(backend="numpy", scale="paper", seed=3).pick(1, 2)
    2
    """
    check_choice(scale, "scale", SCALES)
    seed = check_seed(seed)
    if replicate is not None:
        replicate = check_seed(replicate, "replicate")
    check_device(device)
    _check_progress(progress)
    ctx = RunContext(xp=get_namespace(backend), scale=scale, seed=int(seed), device=device, dtype=dtype,
                     setting=resolve_setting(setting, scale), progress=progress)
    return ctx if replicate is None else ctx.for_replicate(replicate)
