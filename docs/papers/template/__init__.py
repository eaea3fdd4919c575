"""A template paper folder: copy it to ``featlearn/papers/<key>/`` (or into your own project), rename.

Everything one paper owns lives here: its key and citation and its ``Setting`` (``setting.py``),
its theorem as a function (``theory.py``), its claim (``claims.py``) and its experiment
(``experiments.py``). This file is the paper's face: it registers the paper with its setting,
loads the claims and experiments, and re-exports what a user reaches for.
"""

from featlearn.claims import register_paper

from .setting import CITATION, KEY, Setting

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .theory import mean_square_norm  # noqa: E402

__all__ = ["CITATION", "KEY", "Setting", "claims", "experiments", "mean_square_norm"]
