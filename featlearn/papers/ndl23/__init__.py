"""Nichani, Damian, Lee 2023: three-layer networks trained layer-wise learn hierarchical features.

Described in ``docs/papers/ndl23.md``. This file is the paper's face: it registers the paper with
its :class:`Setting`, loads the claims and experiments, and re-exports what a user reaches for:
the kernel spectrum and energies (:mod:`.kernels`), the sample-complexity predictions
(:mod:`.sample_complexity`), the three-layer network and Algorithm 1 (:mod:`.three_layer`) and
the baselines without feature learning (:mod:`.baselines`); all three networks are estimators
(``fit(X, y)``, ``predict``, ``score`` with metric ``"mse"``).
"""

from featlearn.claims import register_paper

from .setting import CEILING_FRACTION, CITATION, KEY, SHIFTED_RELU, Setting

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .baselines import RandomFeaturesRidge, ReluKernelRidge  # noqa: E402
from .kernels import CENTRED_ABS, KernelSpectrum, kernel_energies, kernel_spectrum  # noqa: E402
from .sample_complexity import (  # noqa: E402
    asymptotic_exponents,
    energies_prediction,
    predicted_feature_correlation,
    quadratic_feature_prediction,
    radial_relu_rf_floor,
    single_index_prediction,
)
from .three_layer import ThreeLayerNetwork, feature_learning_curve, run_layerwise  # noqa: E402

__all__ = [
    "CEILING_FRACTION", "CENTRED_ABS", "CITATION", "KEY", "KernelSpectrum", "RandomFeaturesRidge", "ReluKernelRidge",
    "SHIFTED_RELU",
    "Setting", "ThreeLayerNetwork", "asymptotic_exponents", "claims", "energies_prediction", "experiments",
    "feature_learning_curve", "kernel_energies", "kernel_spectrum", "predicted_feature_correlation",
    "quadratic_feature_prediction", "radial_relu_rf_floor", "run_layerwise", "single_index_prediction",
]
