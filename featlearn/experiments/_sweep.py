"""Sweeps: run an experiment over a grid of cells times seeds, resumably, serially or on Dask."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from featlearn.backends import BACKEND_NAMES
from featlearn.claims._registry import paper_setting
from featlearn.output import to_jsonable
from featlearn.context import SCALES
from featlearn.experiments._checks import check_flag, check_path, check_records, check_run_options, check_text
from featlearn.experiments._execute import Record, run_dask, run_serial
from featlearn.experiments._registry import Experiment, get_experiment
from featlearn.experiments._spec import canonical_grid, check_seeds
from featlearn.experiments._store import SweepStore
from featlearn.progress import Progress
from featlearn.validation import check_int


@dataclass
class SweepResult:
    """What :func:`run_sweep` did: the store, every record in it, and this run's counts.

    Attributes
    ----------
    store : Path
        The sweep's directory.
    records : list of dict
        All records now in the store, in sweep order (cells in grid order, seeds fastest).
    computed : int
        Tasks run by this call (missing ones, plus failed ones when retried).
    skipped : int
        Tasks already finished in the store, not run again.
    failed : int
        Tasks of this call whose record has ``status="failed"``.
    """

    store: Path
    records: list[Record] = field(repr=False)
    computed: int
    skipped: int
    failed: int

    def table(self, *, as_frame: bool | None = None):
        """The records as a pandas DataFrame (if pandas imports) or a list of dicts."""
        return as_table(self.records, as_frame=as_frame)


def as_table(records: list[Record], *, as_frame: bool | None = None):
    """Records as a table: a pandas DataFrame if pandas is installed, else the list itself.

    Parameters
    ----------
    as_frame : bool, optional
        ``True`` requires pandas, ``False`` always returns the list of dicts, ``None``
        (default) uses pandas when it imports.
    """
    records = check_records(records)
    check_flag(as_frame, "as_frame", none_ok=True)
    if as_frame is False:
        return list(records)
    try:
        import pandas
    except ImportError:
        if as_frame:
            raise ImportError("as_frame=True needs pandas: pip install pandas") from None
        return list(records)
    return pandas.DataFrame.from_records(list(records))


def load_sweep(store: str | os.PathLike, *, as_frame: bool | None = None):
    """Load a sweep's records from its store directory as a table (see :func:`as_table`).

    Raises
    ------
    ValueError
        If ``store`` holds no sweep store, one of an incompatible format version, or an
        unreadable record.
    """
    check_path(store, "store")
    check_flag(as_frame, "as_frame", none_ok=True)
    return as_table(SweepStore.existing(store).records(), as_frame=as_frame)


def _resolve(experiment: Any, params: Sequence[str] | None
             ) -> tuple[Callable, str, list[str] | None, str | None]:
    """The cell function, the experiment's name, its declared parameters and its paper's setting."""
    if isinstance(experiment, str):
        experiment = get_experiment(experiment)
    if isinstance(experiment, Experiment):
        if params is not None:
            raise ValueError("params: a registered experiment declares its own params; do not pass params=")
        return experiment.fn, experiment.name, list(experiment.params), paper_setting(experiment.paper)
    if not callable(experiment):
        raise TypeError(f"experiment: expected a registered name, an Experiment or a callable, "
                        f"got {type(experiment).__name__}")
    name = f"{getattr(experiment, '__module__', '?')}.{getattr(experiment, '__qualname__', repr(experiment))}"
    if params is not None:
        if isinstance(params, str) or not all(isinstance(p, str) for p in params):
            raise ValueError(f"params: expected a list of parameter names, got {params!r}")
        params = list(params)
    return experiment, name, params, None


def setting_record(setting: Any, default: Any = None, scale: str = "quick") -> dict | None:
    """``setting`` as a JSON dict for a manifest or a record, or ``None`` when it is absent or equals the
    paper's default at ``scale`` (``default``, a reference :func:`~featlearn.context.resolve_setting` takes)."""
    from featlearn.settings import Setting

    if setting is None:
        return None
    if not isinstance(setting, Setting):
        raise TypeError(f"setting: expected a featlearn.settings.Setting instance, got {type(setting).__name__}")
    if default is not None:
        from featlearn.context import resolve_setting

        if resolve_setting(default, scale) == setting:
            return None
    return to_jsonable(setting.to_dict())


def check_backend(backend: Any) -> str:
    if not isinstance(backend, str):
        raise ValueError(f"backend: expected a backend name, got {type(backend).__name__}")
    name = backend.strip().lower().replace("-", "_")
    if name not in BACKEND_NAMES:
        raise ValueError(f"backend: unknown backend {backend!r}; expected one of {', '.join(BACKEND_NAMES)}")
    return name


def check_executor(workers: Any, scheduler: Any) -> None:
    if workers is not None:
        check_int(workers, "workers", min_val=1)  # the Dask LocalCluster size
    if workers is not None and scheduler is not None:
        raise ValueError("workers: give workers= (a new LocalCluster) or scheduler= (an existing one), not both")


def run_sweep(experiment: str | Experiment | Callable, *, grid: Any, seeds: Sequence[int],
              store: str | os.PathLike, params: Sequence[str] | None = None, name: str | None = None,
              backend: str = "numpy", device: Any = None, scale: str = "quick", run_seed: int = 0,
              workers: int | None = None, scheduler: Any = None, progress: bool = True,
              retry_failed: bool = True, setting: Any = None) -> SweepResult:
    """Run ``experiment`` on every (cell, seed) of a grid, resuming from ``store``.

    Each task calls the cell ``fn(params: dict, ctx: RunContext) -> dict``, ``ctx`` being the
    run's :class:`~featlearn.context.RunContext` for the task's sweep seed
    (``ctx.replicate``; ``ctx.rng(*keys)`` draws its random numbers), and becomes one flat
    record: the parameters, ``seed``, ``backend``, ``device``, the measured values,
    ``wall_time`` (seconds), ``featlearn_version``, ``status`` (``"ok"``/``"failed"``),
    ``error`` (text, or ``None``), ``worker`` and ``finished_at``. Records are written
    atomically as they finish, so the sweep can be killed at any moment and run again:
    finished (``"ok"``) tasks are skipped, missing ones computed, failed ones retried (unless
    ``retry_failed=False``).

    Parameters
    ----------
    experiment : str, Experiment or callable
        A registered experiment (name or object) or any function with the signature above.
    grid : dict of str to list, or list of dict
        Parameter cells: a Cartesian product ``{"n": [...], "k": [...]}`` or explicit cells.
    seeds : sequence of int
        Distinct non-negative seeds (e.g. ``range(5)``); every cell runs once per seed.
    store : path
        The sweep's directory (created if missing). Reusing it for another sweep
        (different name, experiment, backend, grid or seeds) is an error.
    params : sequence of str, optional
        Parameters a plain callable accepts; grid keys outside it are rejected. Registered
        experiments declare their own.
    name : str, optional
        Sweep name stored in the manifest and records; default the experiment's name.
    backend : str
        Backend name passed to the experiment (checked against the known names but not
        probed here: on Dask the workers, not this process, need it).
    device : optional
        ``ctx.device`` of every cell. ``None`` means the backend's default device *where the
        task runs*: with ``backend="cupy"`` on Dask each cell uses its worker's current GPU
        (start one worker per GPU, e.g. ``dask_cuda.LocalCUDACluster``, and pass its address
        or client as ``scheduler``).
    scale : {"quick", "paper"}
        ``ctx.scale`` of every cell.
    run_seed : int
        The run's seed (``ctx.seed``; ``featlearn check --seed``): 0 gives each sweep seed its
        own stream, another value an independent child stream of each. Stored in the manifest:
        a store is resumed only by the same run seed.
    workers : int, optional
        Run on a new Dask ``LocalCluster`` of this many single-threaded worker processes.
    scheduler : str or distributed.Client, optional
        Run on an existing Dask cluster (scheduler address, or a client, left open).
        With either, ``experiment`` is sent to the workers by (cloud)pickle: module-level
        functions of modules the workers can import are the safe choice. Records are
        written by this process as tasks complete; workers need no access to ``store``.
    progress : bool
        Show a progress bar on stderr (tqdm if installed, else a status line).
    retry_failed : bool
        Run again the tasks whose stored record failed.
    setting : Setting, optional
        The setting every cell receives as ``ctx.setting`` instead of its paper's default at
        ``scale`` (a researcher's own setting). A setting other than the default is stored in the
        manifest (as a dict): a store is resumed only with the same setting.

    Returns
    -------
    SweepResult

    Raises
    ------
    ValueError
        Bad grid (empty, unknown parameter, non-scalar value), bad seeds, bad backend
        name, bad workers, or a store holding an incompatible sweep or format version.

    Examples
    --------
    >>> import tempfile
    >>> from featlearn.experiments import run_sweep
    >>> def square(params, ctx):
    ...     return {"y": params["x"] ** 2 + ctx.replicate}
    >>> with tempfile.TemporaryDirectory() as d:
    ...     res = run_sweep(square, grid={"x": [1, 2]}, seeds=[0, 1], store=d, params=["x"], progress=False)
    ...     again = run_sweep(square, grid={"x": [1, 2]}, seeds=[0, 1], store=d, params=["x"], progress=False)
    >>> [r["y"] for r in res.records], again.computed, again.skipped
    ([1, 2, 4, 5], 0, 4)
    """
    check_run_options(scale=scale, seed=run_seed, device=device, store=store, scheduler=scheduler,
                      progress=progress, seed_name="run_seed")
    check_path(store, "store")
    check_text(name, "name")
    check_flag(retry_failed, "retry_failed")
    fn, exp_name, declared, default_setting = _resolve(experiment, params)
    setting_json = setting_record(setting, default_setting, scale)
    if setting is None:
        setting = default_setting
    backend = check_backend(backend)
    check_executor(workers, scheduler)
    if scale not in SCALES:
        raise ValueError(f"scale: expected one of {SCALES}, got {scale!r}")
    if isinstance(run_seed, bool) or not isinstance(run_seed, int) or run_seed < 0:
        raise ValueError(f"run_seed: expected a non-negative int, got {run_seed!r}")
    sweep_name = exp_name if name is None else name
    if not isinstance(sweep_name, str) or not sweep_name:
        raise ValueError(f"name: expected a non-empty str, got {sweep_name!r}")
    manifest = {"sweep": sweep_name, "experiment": exp_name, "backend": backend,
                "grid": canonical_grid(grid, params=declared, experiment=exp_name), "seeds": check_seeds(seeds),
                "params": declared, "run_seed": int(run_seed), "setting": setting_json}
    st = SweepStore.open(store, manifest)
    pending = []
    for task in st.tasks:
        rec = st.read(task.id, strict=False)
        if rec is None or (retry_failed and rec.get("status") != "ok"):
            pending.append(task)
    # what a task needs to build its context where it runs (picklable: the setting travels by name)
    meta = {"sweep": sweep_name, "experiment": exp_name, "backend": backend, "device": device, "scale": scale,
            "run_seed": int(run_seed), "setting": setting}
    bar = Progress(len(pending), desc=sweep_name, unit="cell", enabled=progress)
    failed = 0

    def on_record(rec: Record) -> None:
        nonlocal failed
        st.write(rec)
        failed += rec["status"] != "ok"
        bar.update(failed=rec["status"] != "ok")

    try:
        if workers is None and scheduler is None:
            run_serial(fn, pending, meta, on_record)
        else:
            run_dask(fn, pending, meta, on_record, workers=workers, scheduler=scheduler)
    finally:
        bar.close()
    return SweepResult(store=st.path, records=st.records(), computed=len(pending),
                       skipped=len(st.tasks) - len(pending), failed=failed)
