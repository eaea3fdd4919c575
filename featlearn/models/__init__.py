"""The training core: networks and training algorithms, written against the Array API.

Depends on :mod:`featlearn.theory`, :mod:`featlearn.data` and :mod:`featlearn.backends`, never the
reverse. Training streams over samples in chunks, so memory grows with the width, not with n, and
results do not depend on the chunk size.

* :mod:`~featlearn.models.two_layer`, :mod:`~featlearn.models.one_step` -- two-layer networks and one large
  gradient step (shared by MLHD23, Cui et al. 2024 and NDL23);
* :mod:`~featlearn.models.gradient_descent` -- the one iterative gradient-descent loop (fixed step, momentum,
  Adam) that SWL23's Algorithm 1 and SL21's networks share;
* :mod:`~featlearn.models.ridge` -- ridge for a whole λ grid from one eigendecomposition;
* :mod:`~featlearn.models.block_krylov` -- the top eigenpairs of a symmetric PSD matrix.

A paper's own networks live in its folder (``featlearn/papers/<key>/``): NDL23's layer-wise
three-layer training, SWL23's Algorithm 1, SL21's erf/clipped-ReLU networks, MLHD23's spectra.

The estimators and main entry points are re-exported here; everything else is reached through its module.
"""

from __future__ import annotations

from featlearn.models import (  # noqa: F401  (submodules)
    block_krylov,
    gradient_descent,
    one_step,
    ridge,
    two_layer,
)
from featlearn.models.gradient_descent import adam
from featlearn.models.gradient_descent import gradient_descent as run_gradient_descent
from featlearn.models.one_step import OneStepNetwork, alpha_sweep
from featlearn.models.ridge import GramStats, RidgePath
from featlearn.models.two_layer import TwoLayerNetwork, init_network

__all__ = [
    "GramStats", "OneStepNetwork", "RidgePath", "TwoLayerNetwork", "adam", "alpha_sweep", "block_krylov",
    "gradient_descent", "init_network", "one_step", "ridge", "run_gradient_descent", "two_layer",
]
