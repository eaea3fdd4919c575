"""Standard results the papers build on: Hermite analysis, Gaussian and spherical moments.

No paper document: each claim cites its textbook fact. Its key, citation and :class:`Setting`
(the Monte-Carlo sizes) are in ``setting.py``, its claims in ``claims.py``, its sweep
(``hermite-mc``) in ``experiments.py``. This file is the paper's face: it registers the paper
with its setting, loads the claims and experiments, and re-exports what a user reaches for.
"""

from featlearn.claims import register_paper

from .setting import CITATION, KEY, Setting

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .claims import relu_hermite_closed_form  # noqa: E402

__all__ = ["CITATION", "KEY", "Setting", "claims", "experiments", "relu_hermite_closed_form"]
