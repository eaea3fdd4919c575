"""Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024: the spiked random-features equivalent of one step.

Described in ``docs/papers/cui24.md``. Everything the paper owns lives here: its key, citation and
:class:`Setting` (``setting.py``), its theory (``spiked_random_features.py``: the equivalent model and
its ridge errors), its claims (``claims.py``) and its sweeps (``experiments.py``). This file is the
paper's face: it registers the paper with its setting, loads the claims and experiments, and
re-exports what a user reaches for.
"""

from featlearn.claims import register_paper

from .setting import CITATION, KEY, Setting

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .experiments import theory  # noqa: E402
from .spiked_random_features import (FixedPoint, SpikedRandomFeatures, equivalent_model,  # noqa: E402
                                     featlearn_lambda, featlearn_step_size, initial_second_layer,
                                     random_features_ridge_error, ridge_errors, setting_cell,
                                     setting_fixed_point)

__all__ = ["CITATION", "KEY", "FixedPoint", "Setting", "SpikedRandomFeatures", "claims", "equivalent_model",
           "experiments", "featlearn_lambda", "featlearn_step_size", "initial_second_layer",
           "random_features_ridge_error", "ridge_errors", "setting_cell", "setting_fixed_point", "theory"]
