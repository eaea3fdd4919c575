"""The training core: networks and training algorithms, written against the Array API.

Depends on :mod:`featlearn.theory`, :mod:`featlearn.data` and :mod:`featlearn.backends`, never the
reverse. Training streams over samples in chunks, so memory grows with the width, not with n, and
results do not depend on the chunk size.

* :mod:`~featlearn.models.two_layer`, :mod:`~featlearn.models.one_step`, :mod:`~featlearn.models.spectral` --
  two-layer networks after one large gradient step (Moniri et al. 2023, Ba et al. 2022, DLS22);
* :mod:`~featlearn.models.three_layer`, :mod:`~featlearn.models.baselines` -- layer-wise three-layer training
  (Nichani et al. 2023) and random-features / kernel baselines;
* :mod:`~featlearn.models.gradient_feature_network` -- Algorithm 1 of Shi et al. 2023;
* :mod:`~featlearn.models.ball_networks`, :mod:`~featlearn.models.gradient_descent` -- Safran and Lee 2022's
  networks, and generic iterative gradient descent (fixed step, momentum, Adam);
* :mod:`~featlearn.models.ridge` -- ridge for a whole λ grid from one eigendecomposition.

The estimators and main entry points are re-exported here; everything else is reached through its module.
"""

from __future__ import annotations

from featlearn.models import (  # noqa: F401  (submodules)
    ball_networks,
    baselines,
    gradient_descent,
    gradient_feature_network,
    one_step,
    ridge,
    spectral,
    three_layer,
    two_layer,
)
from featlearn.models.ball_networks import ErfFeatures, StrongNetwork, WeakNetwork
from featlearn.models.baselines import RandomFeaturesRidge, ReluKernelRidge
from featlearn.models.gradient_descent import adam
from featlearn.models.gradient_descent import gradient_descent as run_gradient_descent
from featlearn.models.gradient_feature_network import train_algorithm1
from featlearn.models.one_step import OneStepNetwork, alpha_sweep
from featlearn.models.ridge import GramStats, RidgePath
from featlearn.models.spectral import spike_sweep
from featlearn.models.three_layer import ThreeLayerNetwork, run_layerwise
from featlearn.models.two_layer import TwoLayerNetwork, init_network

__all__ = [
    "ErfFeatures", "GramStats", "OneStepNetwork", "RandomFeaturesRidge", "ReluKernelRidge", "RidgePath",
    "StrongNetwork", "ThreeLayerNetwork", "TwoLayerNetwork", "WeakNetwork", "adam", "alpha_sweep", "ball_networks",
    "baselines", "gradient_descent", "gradient_feature_network", "init_network", "one_step", "ridge",
    "run_gradient_descent", "run_layerwise", "spectral", "spike_sweep", "three_layer", "train_algorithm1",
    "two_layer",
]
