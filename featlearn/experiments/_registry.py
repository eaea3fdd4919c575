"""The experiment registry behind ``featlearn reproduce NAME``.

An experiment is a function ``fn(params: dict, seed: int, backend: str, device) -> dict``
of measured values, registered with a grid and seeds for each scale ("quick" for a
minutes-long check, "paper" for the paper's figure), an optional figure builder, and the
paper it reproduces. Paper packages (:mod:`featlearn.papers`) register experiments; claims
that read an experiment declare it (``@claim(..., experiment=name)``).
"""

from __future__ import annotations

import re
import traceback
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from featlearn.claims._registry import PAPERS, REGISTRY, SCALES, evaluate_claim, make_context
from featlearn.experiments._spec import canonical_grid, check_seeds

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


@dataclass(frozen=True)
class Experiment:
    """A registered experiment: its function, declared parameters, and per-scale grid and seeds."""

    name: str
    fn: Callable[[dict, int, str, Any], dict]
    params: tuple[str, ...]
    grids: Mapping[str, Any]
    seeds: Mapping[str, tuple[int, ...]]
    description: str
    paper: str
    figures: Callable[[list, Path], list] | None = None

    @property
    def paper_cite(self) -> str:
        return PAPERS[self.paper]["cite"]


EXPERIMENTS: dict[str, Experiment] = {}


def _per_scale(value: Any, arg: str) -> dict[str, Any]:
    if isinstance(value, Mapping) and set(value) <= set(SCALES) and value:
        missing = [s for s in SCALES if s not in value]
        if missing:
            raise ValueError(f"{arg}: missing scale(s) {', '.join(missing)}; give one for each of {SCALES}")
        return {s: value[s] for s in SCALES}
    if arg == "grid":
        raise ValueError(f"grid: expected a dict with one grid per scale, {{'quick': ..., 'paper': ...}}, "
                         f"got keys {list(value) if isinstance(value, Mapping) else type(value).__name__}")
    return {s: value for s in SCALES}


def register_experiment(name: str, fn: Callable, *, grid: Mapping[str, Any], seeds: Any, description: str,
                        paper: str, params: Sequence[str] | None = None,
                        figures: Callable[[list, Path], list] | None = None) -> Experiment:
    """Register an experiment for :func:`reproduce` and :func:`run_sweep`.

    Parameters
    ----------
    name : str
        Lower-case id (letters, digits, ``.``, ``_``, ``-``), used in directory names.
    fn : callable
        ``fn(params: dict, seed: int, backend: str, device) -> dict`` of measured values
        (numbers; 0-d arrays of any backend are converted). It should draw all randomness
        from ``featlearn.backends.Generator(seed, xp=backend, device=device)`` and compute
        on ``device`` (``None``: the backend's default device where the task runs).
    grid : dict
        ``{"quick": grid, "paper": grid}``, each a grid as accepted by :func:`run_sweep`.
    seeds : sequence of int, or dict
        Seeds for both scales, or ``{"quick": seeds, "paper": seeds}``.
    description : str
        One paragraph: what is measured and what the theory predicts.
    paper : str
        Key of :data:`featlearn.claims.PAPERS` (``"math"`` for standard results).
    params : sequence of str, optional
        Parameters ``fn`` accepts (default: the keys used in the grids). Sweeps with any
        other grid key are rejected.
    figures : callable, optional
        ``figures(records, out_dir) -> list of paths`` making PNG files from the ok records.

    Returns
    -------
    Experiment

    Raises
    ------
    ValueError
        Bad or duplicate name, unknown paper, missing scale, bad grid or seeds.
    """
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"name: expected a lower-case id such as 'hermite-mc', got {name!r}")
    if name in EXPERIMENTS:
        raise ValueError(f"name: experiment {name!r} is registered twice")
    if not callable(fn):
        raise TypeError(f"fn: expected a callable, got {type(fn).__name__}")
    if paper not in PAPERS:
        raise ValueError(f"paper: unknown key {paper!r}; expected one of {', '.join(PAPERS)}")
    if not isinstance(description, str) or not description.strip():
        raise ValueError("description: expected a non-empty str")
    if figures is not None and not callable(figures):
        raise TypeError(f"figures: expected a callable or None, got {type(figures).__name__}")
    grids = _per_scale(grid, "grid")
    if params is None:
        keys: dict[str, None] = {}
        for g in grids.values():
            for cell in (g if isinstance(g, Sequence) else [g]):
                keys.update(dict.fromkeys(cell) if isinstance(cell, Mapping) else {})
        params = tuple(keys)
    elif isinstance(params, str) or not all(isinstance(p, str) for p in params):
        raise ValueError(f"params: expected a list of parameter names, got {params!r}")
    for scale, g in grids.items():
        canonical_grid(g, params=params, experiment=name)
    seed_lists = {s: tuple(check_seeds(v)) for s, v in _per_scale(seeds, "seeds").items()}
    exp = Experiment(name, fn, tuple(params), grids, seed_lists, description.strip(), paper, figures)
    EXPERIMENTS[name] = exp
    return exp


def list_experiments() -> list[Experiment]:
    """Every registered experiment, sorted by name."""
    return [EXPERIMENTS[k] for k in sorted(EXPERIMENTS)]


def get_experiment(name: str) -> Experiment:
    """A registered experiment by name (``ValueError`` listing the known names if unknown)."""
    if name not in EXPERIMENTS:
        raise ValueError(f"name: unknown experiment {name!r}; known: {', '.join(sorted(EXPERIMENTS)) or 'none'}")
    return EXPERIMENTS[name]


def attached_claims(name: str) -> list:
    """The registered claims that read experiment ``name``'s sweep, sorted by id."""
    return [REGISTRY[k] for k in sorted(REGISTRY) if REGISTRY[k].experiment == name]


def _safe_call(what: str, f: Callable, *args) -> tuple[Any, str | None]:
    try:
        return f(*args), None
    except Exception as exc:  # reported in the report (and warned), the sweep's records are kept
        text = f"{exc.__class__.__name__}: {exc}"
        warnings.warn(f"{what} failed: {text}", RuntimeWarning, stacklevel=3)
        return None, f"{text}\n{traceback.format_exc(limit=6)}"


def reproduce(name: str, *, out_dir: str | Path, scale: str = "quick", backend: str = "numpy", device: Any = None,
              workers: int | None = None, scheduler: Any = None, progress: bool = True, seed: int = 0,
              argv: list[str] | None = None) -> Path:
    """Run a registered experiment's sweep, make its figures and claims, and write its report.

    The report directory is ``out_dir/<name>-<scale>-<backend>/`` with ``report.md``,
    ``claims.json``, ``records.json``, the PNG figures, and ``store/`` (the resumable
    sweep store: run the same command again to finish an interrupted run; failed cells
    are retried, finished ones kept).

    Parameters
    ----------
    name : str
        A registered experiment (see :func:`list_experiments`).
    out_dir : path
        Parent directory of the report directory.
    scale : {"quick", "paper"}
    backend : str
        Backend name passed to every cell.
    device : optional
        Passed to every cell (``None``: the backend's default device on each worker).
    workers, scheduler : optional
        Dask execution, as in :func:`run_sweep`; default serial in this process.
    progress : bool
        Progress bar on stderr.
    seed : int
        Seed 0 runs the registered seeds; seed ``s`` shifts them (:func:`sweep_seeds`).
    argv : list of str, optional
        The command-line arguments recorded in the report's run section.

    Returns
    -------
    Path
        The report directory.

    Raises
    ------
    ValueError
        Unknown experiment or scale, bad backend/workers, or an incompatible store.
    """
    from featlearn.experiments._report import write_report
    from featlearn.experiments._check import sweep_seeds
    from featlearn.experiments._sweep import check_backend, run_sweep

    exp = get_experiment(name)
    if scale not in SCALES:
        raise ValueError(f"scale: expected one of {SCALES}, got {scale!r}")
    backend = check_backend(backend)
    from featlearn.run_info import now, run_info

    ctx = make_context(backend=backend, scale=scale, seed=seed, device=device)
    run = run_info(backend=backend, scale=scale, seed=seed, device=device,
                   argv=argv if argv is not None else ["reproduce", name, "--scale", scale, "--backend", backend,
                                                       "--seed", str(seed)])
    report_dir = Path(out_dir) / (f"{name}-{scale}-{backend}" + ("" if seed == 0 else f"-seed{seed}"))
    res = run_sweep(exp, grid=exp.grids[scale], seeds=sweep_seeds(exp.seeds[scale], seed), store=report_dir / "store",
                    name=f"{name}-{scale}", backend=backend, device=device, workers=workers,
                    scheduler=scheduler, progress=progress)
    ok = [r for r in res.records if r.get("status") == "ok"]
    notes = []
    figures: list = []
    if exp.figures is not None:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            notes.append("Figures skipped: matplotlib is not installed (pip install 'featlearn[plot]').")
        else:
            out, err = _safe_call(f"figures of {name}", exp.figures, ok, report_dir)
            figures = list(out or [])
            if err:
                notes.append(f"Figures failed: {err.splitlines()[0]}")
    attached = attached_claims(name)
    run["finished"] = now()
    results = [evaluate_claim(c, ctx, lambda c=c: c.fn(ctx, ok)) for c in attached]
    for r in results:
        r.run = run
    claims = [r.to_json() for r in results] or None
    n_failed = len(res.records) - len(ok)
    desc = (f"{exp.description}\n\nPaper: {exp.paper_cite}. Scale `{scale}`, backend `{backend}`; "
            f"{len(res.records)} cells × seeds ({len(ok)} ok, {n_failed} failed); this run computed "
            f"{res.computed}, reused {res.skipped} from `store/`.")
    if notes:
        desc += "\n\n" + "\n".join(f"**{n}**" for n in notes)
    write_report(report_dir, title=f"{name} ({scale}, {backend})", claims_json=claims, figures=figures, run=run,
                 records=res.records, description=desc)
    return report_dir
