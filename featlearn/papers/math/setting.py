"""The key, citation and setting of the standard results (Hermite analysis, Gaussian and spherical moments).

Every Monte-Carlo sample size, dimension, chunk and sweep axis the claims (:mod:`.claims`) and the
``hermite-mc`` experiment (:mod:`.experiments`) read is a field of :class:`Setting` (quick-scale
default, paper-scale value in ``Setting.SCALES``). Importing this module registers nothing.

Examples
--------
>>> Setting().relu_hermite_n == 2**22, Setting.at("paper").relu_hermite_n == 2**26
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param

KEY = "math"
CITATION = {"cite": "Standard results",
            "title": "Hermite analysis and Gaussian/spherical measure facts the papers build on"}


@dataclass(frozen=True)
class Setting(_Base):
    """Monte-Carlo sizes of the standard-results claims and of the ``hermite-mc`` sweep.

    The draws are streamed in chunks: a chunk size fixes which numbers are drawn, so it is part
    of the setting (changing it changes the estimates, not their law).
    """

    relu_hermite_n: int = param(2**22, doc="Monte-Carlo draws z ~ N(0, 1) estimating E[relu(z) He_2(z)]", min_val=2)
    sphere_d: int = param(8, doc="dimension d of the sphere of radius √d (small: 3d/(d+2) = 2.4 is far from the "
                          "Gaussian 3)", min_val=1)
    sphere_n: int = param(2**17, doc="points drawn uniformly on the sphere for E[x_1^4]", min_val=2)
    single_index_d: int = param(8, doc="input dimension d of the single-index target f*(x) = g*(β·x)", min_val=1)
    single_index_n: int = param(2**20, doc="Gaussian inputs x ~ N(0, I_d) estimating E[f*(x) He_k(β·x)]", min_val=2)
    chunk: int = param(2**20, doc="scalar Gaussian draws held in memory at once (relu-hermite, hermite-mc)",
                       min_val=1)
    row_chunk: int = param(2**16, doc="d-dimensional draws held in memory at once (sphere, single-index)",
                           min_val=1)
    hermite_mc_n: tuple = param(tuple(2**j for j in range(10, 22)),
                                doc="Monte-Carlo sample sizes n of the hermite-mc sweep (from 2^10: below it the "
                                    "heavy tail of relu(z)He_4(z) biases log|error| downward: featlearn.papers.math.experiments."
                                    "FINITE_N_NOTE)",
                                min_val=2)
    hermite_mc_k: tuple = param((2, 4), doc="Hermite degrees k of the hermite-mc sweep", min_val=0)
    seeds: int = param(8, doc="hermite-mc sweep seeds", min_val=1)

    SCALES = {"quick": {},
              "paper": {"relu_hermite_n": 2**26, "sphere_n": 2**21, "single_index_n": 2**24,
                        "hermite_mc_n": tuple(2**j for j in range(10, 23)), "hermite_mc_k": (2, 3, 4), "seeds": 20}}
