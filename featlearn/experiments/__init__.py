"""Experiment engine: resumable sweeps (serial or Dask), plots, reports, and the orchestrator.

* :func:`run_sweep` runs a cell ``fn(params, ctx) -> dict`` (``ctx`` a
  :class:`~featlearn.context.RunContext`) over a grid of parameter cells times seeds; every
  finished (cell, seed) is one flat record written atomically to a store directory, so a killed
  sweep resumes where it stopped; :func:`load_sweep` reads a store back as a table.
* :func:`plot_seed_band`, :func:`plot_loglog_fit` turn records into figures (matplotlib
  imported only when plotting); rates and other summaries come from :mod:`featlearn.stats`.
* :func:`write_report` / :func:`write_check_report` write ``report.md`` with a claims table,
  the JSON behind it and the figures.
* :func:`register_experiment`, :func:`list_experiments`, :func:`get_experiment`: the registry
  of experiments.
* :class:`Orchestrator`: the one way a set of claims is run -- the sweeps they read run once
  each through the store (resumable with ``store=``, distributable with
  ``workers=``/``scheduler=``), then the claims are evaluated. :func:`run_check` (``featlearn
  check``), :func:`reproduce` (``featlearn reproduce NAME``: one experiment's sweep, figures and
  claims in a report) and :func:`run_claim` (one claim) are its entry points.

This package never imports paper content (:mod:`featlearn.papers` registers into it).

Optional dependencies: ``dask[distributed]`` (``workers=``/``scheduler=``), matplotlib
(figures), tqdm (progress bar), pandas (tables as DataFrames).
"""

from featlearn.experiments._records import select_records
from featlearn.experiments._plots import (group_by, new_figure, plot_claim_outcome, plot_loglog_fit, plot_seed_band,
                                         save_figure)
from featlearn.experiments._registry import EXPERIMENTS, Experiment, get_experiment, list_experiments, register_experiment
from featlearn.experiments._report import claims_table, write_check_report, write_report
from featlearn.experiments._spec import RESERVED_KEYS
from featlearn.experiments._store import STORE_FORMAT_VERSION, SweepStore
from featlearn.experiments._sweep import SweepResult, as_table, load_sweep, run_sweep
from featlearn.experiments._orchestrator import Orchestrator, reproduce, run_check, run_claim

__all__ = [
    "EXPERIMENTS",
    "Experiment",
    "Orchestrator",
    "RESERVED_KEYS",
    "STORE_FORMAT_VERSION",
    "SweepResult",
    "SweepStore",
    "as_table",
    "claims_table",
    "get_experiment",
    "group_by",
    "list_experiments",
    "new_figure",
    "load_sweep",
    "plot_claim_outcome",
    "plot_loglog_fit",
    "plot_seed_band",
    "register_experiment",
    "reproduce",
    "run_check",
    "run_claim",
    "run_sweep",
    "save_figure",
    "select_records",
    "write_check_report",
    "write_report",
]
