"""The orchestrator: run the sweeps a set of claims reads, then evaluate the claims.

One :class:`Orchestrator` is behind ``featlearn check`` (:func:`run_check`), ``featlearn
reproduce`` (:func:`reproduce`) and the Python API (:func:`run_claim`):

* a claim that measures on its own (``fn(ctx) -> Outcome``) runs as a one-cell sweep whose
  record holds the serialised :class:`~featlearn.claims.Outcome`;
* a claim that reads a registered experiment (``experiment="name"``) gets that experiment's
  sweep at the run's scale; each sweep runs once however many claims read it.

Every sweep of a run lives under one store directory (a temporary one by default, or
``store=DIR`` to keep it): a killed run re-run with the same ``store`` recomputes nothing it
finished. With ``workers``/``scheduler`` the cells run on Dask. Claims and cells receive the
run's :class:`~featlearn.context.RunContext` (cells: :meth:`~featlearn.context.RunContext.for_replicate`
of their sweep seed); the verdict is :func:`featlearn.claims.evaluate_claim`'s.
"""

from __future__ import annotations

import importlib
import json
import math
import os
import tempfile
import time
import traceback
import warnings
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from featlearn.claims._registry import (PAPERS, REGISTRY, SCALES, CellFailed, Claim, ClaimResult, Outcome,
                                        check_claim_object, evaluate_claim, load_claims, paper_setting)
from featlearn.context import RunContext, make_context, resolve_setting
from featlearn.output import to_jsonable
from featlearn.experiments._checks import (check_callable, check_flag, check_items, check_mapping, check_path,
                                           check_records, check_run_options, check_text)
from featlearn.experiments._registry import attached_claims, get_experiment
from featlearn.experiments._report import write_report
from featlearn.experiments._sweep import SweepResult, check_backend, check_executor, run_sweep

__all__ = ["Orchestrator", "claim_cell", "outcome_from_json", "outcome_to_json", "paper_of_setting", "reproduce",
           "run_check", "run_claim", "setting_digest", "user_settings"]

#: Parameters of the one-cell sweep that runs a self-measuring claim.
CLAIM_CELL_PARAMS = ("claim", "module", "function", "scale")

#: The claims this process's orchestrators ran, by id: a claim that is not in the registry (made
#: with :class:`~featlearn.claims.Claim` directly) still runs in this process's cells.
_RUNNING: dict[str, Claim] = {}


def outcome_to_json(o: Outcome) -> str:
    """An Outcome as a JSON string (a record's measured value); NaN survives as ``NaN``."""
    pred = list(o.predicted) if isinstance(o.predicted, tuple) else o.predicted
    return json.dumps({"predicted": to_jsonable(pred) if not isinstance(pred, float) else pred,
                       "measured": float(o.measured), "tolerance": float(o.tolerance),
                       "comparison": o.comparison, "details": to_jsonable(o.details),
                       "null": None if o.null is None else float(o.null), "null_theory": o.null_theory})


def outcome_from_json(text: str) -> Outcome:
    """The inverse of :func:`outcome_to_json`."""
    d = json.loads(text)
    pred = d["predicted"]
    pred = tuple(float(v) for v in pred) if isinstance(pred, list) else float(pred if pred is not None else math.nan)
    return Outcome(predicted=pred, measured=float(d["measured"]), tolerance=float(d["tolerance"]),
                   comparison=d["comparison"], details=d.get("details") or {},
                   null=d.get("null"), null_theory=d.get("null_theory") or "")


def claim_cell(params: dict, ctx: RunContext) -> dict[str, Any]:
    """The cell of a self-measuring claim: import its function by name, run it, return the Outcome.

    The function is found by module and qualified name, so the cell runs in any process that can
    import featlearn (a Dask worker included) without pickling the claim. The claim receives the
    run's context (no sweep seed) with its paper's setting.
    """
    def same(c):
        return c is not None and c.fn.__module__ == params["module"] and c.fn.__qualname__ == params["function"]

    registered = next((c for c in (REGISTRY.get(params["claim"]), _RUNNING.get(params["claim"])) if same(c)), None)
    if registered is not None:
        fn = registered.fn  # this process has it (serial runs; also claims defined in a closure)
    else:  # a fresh worker process: importing the claim's module registers it
        fn = importlib.import_module(params["module"])
        for part in params["function"].split("."):
            fn = getattr(fn, part)
        registered = REGISTRY.get(params["claim"])
    # the run's own setting (a researcher's, carried in the task) or the paper's default at the run's scale
    setting = ctx.setting if ctx.setting is not None else (
        paper_setting(registered.paper) if registered is not None else None)
    out = fn(ctx.for_claim().with_setting(setting))
    if not isinstance(out, Outcome):
        raise TypeError(f"claim {params['claim']} returned {type(out).__name__}, expected Outcome")
    return {"outcome": outcome_to_json(out)}


def _first_error(records: list[dict]) -> str | None:
    bad = [r for r in records if r.get("status") != "ok"]
    if not bad:
        return None
    return f"{len(bad)} of {len(records)} sweep cell(s) failed; first: {bad[0].get('error')}"


def _wall_time(records: list[dict]) -> float:
    """Compute time of a sweep: the sum of its cells' wall times (cells read back from a store included)."""
    return sum(float(r["wall_time"]) for r in records
               if isinstance(r.get("wall_time"), (int, float)) and math.isfinite(r["wall_time"]))


class Orchestrator:
    """One run of claims and of the sweeps they read, on one backend, scale and seed.

    Use it as a context manager (it owns a temporary store and a Dask cluster where asked):
    :meth:`run` evaluates a claim, :meth:`sweep` runs (once) a registered experiment's sweep.

    Parameters
    ----------
    backend, scale, seed, device
        As ``featlearn check``: every claim and cell gets a :class:`~featlearn.context.RunContext`
        of them.
    store : path, optional
        Directory keeping every sweep of the run (created if missing); re-running with the same
        directory resumes. Default: a temporary directory removed on exit.
    workers, scheduler : optional
        Run the cells on Dask: a new local cluster of ``workers`` processes (started on entry,
        shared by every sweep of the run), or an existing scheduler address or client.
    progress : bool
        Progress bars of experiment sweeps on stderr.
    stores : mapping, optional
        Experiment name → the store directory of its sweep, instead of one under ``store``
        (``featlearn reproduce`` keeps its sweep in ``<report>/store``).
    allow_failed_cells : bool
        Whether a claim is evaluated on the ok records of a sweep some of whose cells failed
        (``featlearn reproduce``, whose report lists the failed cells). Default: such a claim's
        verdict is ``"error"``, naming the first failure.

    Examples
    --------
    >>> from featlearn.claims import Claim, Outcome
    >>> from featlearn.experiments import Orchestrator
    >>> c = Claim("math.demo", "math", "-", "stated", "1 = 1",
    ...           lambda ctx: Outcome(predicted=1.0, measured=1.0, tolerance=0.0))
    >>> with Orchestrator(backend="numpy", progress=False) as run:
    ...     run.run(c).verdict
    'pass'
    """

    def __init__(self, *, backend: str = "numpy", scale: str = "quick", seed: int = 0, device: Any = None,
                 store: str | os.PathLike | None = None, workers: int | None = None, scheduler: Any = None,
                 progress: bool = True, stores: Mapping[str, str | os.PathLike] | None = None,
                 allow_failed_cells: bool = False, setting: Any = None):
        check_run_options(scale=scale, seed=seed, device=device, store=store, scheduler=scheduler, progress=progress)
        if check_mapping(stores, "stores") is not None:
            for k, v in stores.items():
                check_path(v, f"stores[{k!r}]")
        check_flag(allow_failed_cells, "allow_failed_cells")
        self.backend = check_backend(backend)
        self.settings = user_settings(setting, scale)
        check_executor(workers, scheduler)
        self.context = make_context(backend=self.backend, scale=scale, seed=seed, device=device)
        self.scale, self.seed, self.device = scale, seed, device
        self.progress = progress
        self.allow_failed_cells = allow_failed_cells
        self._store, self._stores = store, {k: Path(v) for k, v in (stores or {}).items()}
        self._workers, self._scheduler = workers, scheduler
        self._sweeps: dict[str, SweepResult] = {}
        self._root: Path | None = None
        self._tmp = self._client = self._cluster = None

    # -- lifetime -------------------------------------------------------------------------------
    def __enter__(self) -> "Orchestrator":
        if self._store is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="featlearn-check-")
            self._root = Path(self._tmp.name)
        else:
            self._root = Path(self._store)
            self._root.mkdir(parents=True, exist_ok=True)
        if self._workers is not None:  # one cluster for every sweep of the run
            from featlearn.experiments._execute import distributed_module

            distributed = distributed_module()
            try:
                self._cluster = distributed.LocalCluster(n_workers=self._workers, threads_per_worker=1,
                                                         processes=True, dashboard_address=":0")
                self._client = self._scheduler = distributed.Client(self._cluster, set_as_default=False)
            except BaseException:
                self.__exit__(None, None, None)
                raise
        return self

    def __exit__(self, *exc) -> None:
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        if self._tmp is not None:
            self._tmp.cleanup()
        self._client = self._cluster = self._tmp = None

    def _dir(self, name: str) -> Path:
        if self._root is None:
            raise RuntimeError("Orchestrator: use it in a with-statement (it owns the store and the cluster)")
        return self._root / name

    # -- work -----------------------------------------------------------------------------------
    def context_for(self, c: Claim) -> RunContext:
        """The context claim ``c`` receives: the run's, with the user's setting for its paper, else the paper's."""
        check_claim_object(c)
        return self.context.with_setting(self.settings.get(c.paper) or paper_setting(c.paper))

    def _suffix(self, paper: str) -> str:
        s = self.settings.get(paper)
        return "" if s is None else f"-set{setting_digest(s)}"

    def sweep(self, name: str) -> SweepResult:
        """The sweep of registered experiment ``name`` at the run's scale (run once, then reused)."""
        if name not in self._sweeps:
            exp = get_experiment(name)
            setting = self.settings.get(exp.paper)
            store = self._stores.get(name) or self._dir(f"experiment-{exp.name}-{self.scale}-{self.backend}"
                                                        f"-seed{self.seed}{self._suffix(exp.paper)}")
            self._sweeps[name] = run_sweep(exp, grid=exp.grid_at(self.scale, setting),
                                           seeds=exp.seeds_at(self.scale, setting),
                                           store=store, name=f"{exp.name}-{self.scale}", backend=self.backend,
                                           device=self.device, scale=self.scale, run_seed=self.seed,
                                           scheduler=self._scheduler, progress=self.progress, setting=setting)
        return self._sweeps[name]

    def run(self, c: Claim, *, records: list[dict] | None = None) -> ClaimResult:
        """Evaluate claim ``c``: run what it measures (or read its experiment's sweep) and give the verdict.

        ``records``: the ok records to evaluate a claim that reads an experiment on, instead of
        running its sweep.
        """
        check_claim_object(c)
        records = check_records(records, none_ok=True)
        ctx = self.context_for(c)
        if self.scale not in c.scales:
            return evaluate_claim(c, ctx, lambda: None)
        if c.experiment is None:
            return self._run_alone(c, ctx)
        if records is not None:
            return evaluate_claim(c, ctx, lambda: c.fn(ctx, records))
        sw = self.sweep(c.experiment)
        ok = [r for r in sw.records if r.get("status") == "ok"]
        err = None if self.allow_failed_cells else _first_error(sw.records)

        def measure():
            if err is not None:
                raise RuntimeError(err)
            return c.fn(ctx, ok)

        res = evaluate_claim(c, ctx, measure, seconds=_wall_time(sw.records))
        res.records = ok
        return res

    def _run_alone(self, c: Claim, ctx: RunContext) -> ClaimResult:
        t0 = time.perf_counter()
        _RUNNING[c.id] = c
        cell = {"claim": c.id, "module": c.fn.__module__, "function": c.fn.__qualname__, "scale": self.scale}
        sw = run_sweep(claim_cell, grid=[cell], seeds=[self.seed], params=CLAIM_CELL_PARAMS,
                       store=self._dir(f"claim-{c.id}-{self.scale}-{self.backend}-seed{self.seed}"
                                       f"{self._suffix(c.paper)}"),
                       name=f"claim:{c.id}", backend=self.backend, device=self.device, scale=self.scale,
                       run_seed=self.seed, scheduler=self._scheduler, progress=False,
                       setting=self.settings.get(c.paper))
        rec = sw.records[0]
        took = float(rec.get("wall_time") or (time.perf_counter() - t0))

        def measure():
            if rec.get("status") != "ok":
                raise CellFailed(rec.get("error") or "the claim's cell failed")
            return outcome_from_json(rec["outcome"])

        return evaluate_claim(c, ctx, measure, seconds=took)


def _default_setting_json(paper: str, scale: str) -> dict | None:
    from featlearn.settings import Setting

    s = resolve_setting(paper_setting(paper), scale)
    return to_jsonable(s.to_dict()) if isinstance(s, Setting) else None


def user_settings(setting: Any, scale: str = "quick") -> dict[str, Any]:
    """A researcher's settings by paper key, from a Setting instance, a mapping of paper key to Setting, or None.

    A setting equal to its paper's default at ``scale`` is dropped (the run is the default run, and its
    stores and report directories are the default ones).
    """
    from featlearn.settings import Setting

    if setting is None:
        return {}
    items = setting.items() if isinstance(setting, Mapping) else [(None, setting)]
    out: dict[str, Any] = {}
    for key, s in items:
        if not isinstance(s, Setting):
            raise TypeError(f"setting: expected a paper's Setting instance (e.g. featlearn.papers.mlhd23.Setting()) "
                            f"or a mapping of paper key to Setting, got {type(s).__name__}")
        paper = paper_of_setting(s)
        if key is not None and paper_setting(key) != paper_setting(paper):
            raise ValueError(f"setting: the setting given for paper {key!r} is paper {paper!r}'s")
        if resolve_setting(paper_setting(paper), scale) != s:
            # every paper registered with this Setting class (e.g. ba22 and mlhd23) runs on it
            out.update({k: s for k in PAPERS if paper_setting(k) == paper_setting(paper)})
    return out


def paper_of_setting(setting: Any) -> str:
    """The key of the registered paper whose Setting class ``setting`` is an instance of (``ValueError`` if none)."""
    load_claims()
    for key, entry in PAPERS.items():
        ref = entry.get("setting") or ""
        module, _, qualname = ref.partition(":")
        if qualname and type(setting).__module__ == module and type(setting).__qualname__ == qualname:
            return key
    raise ValueError(f"setting: {type(setting).__module__}.{type(setting).__qualname__} is not the Setting of a "
                     f"registered paper")


def setting_digest(setting: Any) -> str:
    """A short, stable digest of a setting's values (names of its stores and report directories)."""
    import hashlib

    text = json.dumps(to_jsonable(setting.to_dict()), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


# -- the three entry points -------------------------------------------------------------------------
def run_check(claims: Sequence[Claim], *, backend: str = "numpy", scale: str = "quick", seed: int = 0,
              device: Any = None, store: str | os.PathLike | None = None, workers: int | None = None,
              scheduler: Any = None, progress: bool = True,
              on_result: Callable[[ClaimResult], None] | None = None,
              run: dict | None = None, setting: Any = None) -> list[ClaimResult]:
    """Run claims through the sweep store and return their results (in the order given): ``featlearn check``.

    Parameters
    ----------
    claims : sequence of Claim
    backend, scale, seed, device
        As ``featlearn check``.
    store : path, optional
        Directory keeping every sweep of this check (created if missing). Re-running with the
        same directory resumes: finished cells are read back, not recomputed. Default: a
        temporary directory removed at the end.
    workers, scheduler : optional
        Run the cells on Dask (a new local cluster of ``workers`` processes, or an existing
        scheduler address/client).
    progress : bool
        Progress bars on stderr.
    on_result : callable, optional
        Called with each :class:`ClaimResult` as soon as it is known (e.g. to write partial
        output, so a crash keeps what was done).
    run : dict, optional
        What the run is (:func:`featlearn.run_info.run_info`), attached to every result.
    setting : Setting or mapping of paper key to Setting, optional
        The researcher's setting for a paper's claims (``featlearn check --set``); the other
        papers' claims run on their defaults at ``scale``.

    Examples
    --------
    >>> from featlearn.claims import select
    >>> from featlearn.experiments import run_check
    >>> from featlearn.papers import load_papers
    >>> load_papers()
    >>> [r.verdict for r in run_check(select("math.sphere*"), progress=False)]
    ['pass']
    """
    claims = check_items(claims, "claims", Claim, "featlearn.claims.Claim")
    check_callable(on_result, "on_result", none_ok=True)
    check_mapping(run, "run")
    results: list[ClaimResult] = []
    with Orchestrator(backend=backend, scale=scale, seed=seed, device=device, store=store, workers=workers,
                      scheduler=scheduler, progress=progress, setting=setting) as orchestrator:
        for c in claims:
            res = orchestrator.run(c)
            res.run = run
            results.append(res)
            if on_result is not None:
                on_result(res)
    return results


def run_claim(c: Claim, *, backend: str = "numpy", scale: str = "quick", seed: int = 0, device: Any = None,
              records: list[dict] | None = None, store: str | os.PathLike | None = None,
              workers: int | None = None, scheduler: Any = None, progress: bool = False,
              setting: Any = None) -> ClaimResult:
    """Run one claim, as ``featlearn check --only ID`` does, and return its result.

    A claim that reads an experiment gets the experiment's sweep run (through ``store``, a
    temporary one by default), unless ``records`` (the sweep's ok records) are given. An
    exception becomes verdict ``"error"``, a claim not resolvable at ``scale`` gives ``"skipped"``.
    ``setting`` is the researcher's setting of the claim's paper (default: the paper's at ``scale``).

    Examples
    --------
    >>> from featlearn.claims import Claim, Outcome, run_claim
    >>> c = Claim("math.demo", "math", "-", "stated", "2 ≈ 2.01",
    ...           lambda ctx: Outcome(predicted=2.0, measured=2.01, tolerance=0.1))
    >>> run_claim(c).verdict
    'pass'
    """
    check_claim_object(c)
    records = check_records(records, none_ok=True)
    with Orchestrator(backend=backend, scale=scale, seed=seed, device=device, store=store, workers=workers,
                      scheduler=scheduler, progress=progress, setting=setting) as orchestrator:
        return orchestrator.run(c, records=records)


def _safe_call(what: str, f: Callable, *args) -> tuple[Any, str | None]:
    try:
        return f(*args), None
    except Exception as exc:  # reported in the report (and warned), the sweep's records are kept
        text = f"{exc.__class__.__name__}: {exc}"
        warnings.warn(f"{what} failed: {text}", RuntimeWarning, stacklevel=3)
        return None, f"{text}\n{traceback.format_exc(limit=6)}"


def reproduce(name: str, *, out_dir: str | Path, scale: str = "quick", backend: str = "numpy", device: Any = None,
              workers: int | None = None, scheduler: Any = None, progress: bool = True, seed: int = 0,
              argv: list[str] | None = None, setting: Any = None) -> Path:
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
        The run's seed: 0 runs the registered seeds' own streams, another seed an independent
        child stream of each (:class:`~featlearn.context.RunContext`).
    argv : list of str, optional
        The command-line arguments recorded in the report's run section.
    setting : Setting, optional
        The researcher's setting of the experiment's paper (``featlearn reproduce --set``); default the
        paper's at ``scale``. A setting other than the default gets its own report directory
        (suffix ``-set<digest>``) and is written in the report.

    Returns
    -------
    Path
        The report directory.

    Raises
    ------
    ValueError
        Unknown experiment or scale, bad backend/workers, or an incompatible store.
    """
    exp = get_experiment(name)
    check_run_options(scale=scale, seed=seed, device=device, scheduler=scheduler, progress=progress)
    out_dir = check_path(out_dir, "out_dir")
    if argv is not None:
        argv = check_items(argv, "argv", str, "str")
    backend = check_backend(backend)
    check_executor(workers, scheduler)
    from featlearn.run_info import now, run_info

    run = run_info(backend=backend, scale=scale, seed=seed, device=device,
                   argv=argv if argv is not None else ["reproduce", name, "--scale", scale, "--backend", backend,
                                                       "--seed", str(seed)])
    settings = user_settings(setting, scale)
    unknown = [k for k in settings if paper_setting(k) != paper_setting(exp.paper)]
    if unknown:
        raise ValueError(f"setting: a setting of paper {unknown[0]!r} given for experiment {name!r} of paper "
                         f"{exp.paper!r}")
    own = settings.get(exp.paper)
    run["setting"] = to_jsonable(own.to_dict()) if own is not None else _default_setting_json(exp.paper, scale)
    report_dir = Path(out_dir) / (f"{name}-{scale}-{backend}" + ("" if seed == 0 else f"-seed{seed}")
                                  + ("" if own is None else f"-set{setting_digest(own)}"))
    with Orchestrator(backend=backend, scale=scale, seed=seed, device=device, store=report_dir, workers=workers,
                      scheduler=scheduler, progress=progress, stores={name: report_dir / "store"},
                      allow_failed_cells=True, setting=own) as orchestrator:
        res = orchestrator.sweep(name)
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
        run["finished"] = now()
        results = [orchestrator.run(c) for c in attached_claims(name)]
    for r in results:
        r.run = run
    claims = [r.to_json() for r in results] or None
    if claims and exp.figures is not None and not any(n.startswith("Figures skipped") for n in notes):
        from featlearn.experiments._plots import plot_claim_outcome

        for c in claims:  # each claim's measured value against its prediction and accepted region
            if c.get("measured") is not None:
                fig, _ = _safe_call(f"figure of {c['id']}", lambda c=c: plot_claim_outcome(
                    c, path=report_dir / f"claim-{c['id']}.png"))
                figures += [fig] if fig is not None else []
    n_failed = len(res.records) - len(ok)
    desc = (f"{exp.description}\n\nPaper: {exp.paper_cite}. Scale `{scale}`, backend `{backend}`; "
            f"{len(res.records)} cells × seeds ({len(ok)} ok, {n_failed} failed); this run computed "
            f"{res.computed}, reused {res.skipped} from `store/`.")
    if notes:
        desc += "\n\n" + "\n".join(f"**{n}**" for n in notes)
    write_report(report_dir, title=f"{name} ({scale}, {backend})", claims_json=claims, figures=figures, run=run,
                 records=res.records, description=desc)
    return report_dir
