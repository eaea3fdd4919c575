"""The mathematics the papers define, written against the Python Array API.

One concept per module (each with its ``__all__``):

* :mod:`~featlearn.theory.host_constants` -- the one place NumPy/SciPy are used: host-side scalar constants
  (quadrature nodes, special-function tables);
* :mod:`~featlearn.theory.hermite` -- probabilists' Hermite polynomials and Hermite coefficients;
* :mod:`~featlearn.theory.special` -- erf, its derivative and the normal CDF (the Array API has none);
* :mod:`~featlearn.theory.activations` -- named activations and link functions with derivatives;
* :mod:`~featlearn.theory.distributions` -- input laws (Gaussian, sphere, hypercube, radial, mixtures);
* :mod:`~featlearn.theory.targets` -- target classes f* (single-index, quadratic feature, hierarchical g∘h, parity,
  Gaussian mixture, ball indicator, radial);
* :mod:`~featlearn.theory.one_step` -- Moniri et al. 2023 one-step spike theory;
* :mod:`~featlearn.theory.spiked_random_features` -- the spiked random-features equivalent model (Cui et al. 2024);
* :mod:`~featlearn.theory.kernels`, :mod:`~featlearn.theory.three_layer_sample_complexity` -- Nichani et al. 2023
  kernel spectrum and Theorem 1 sample sizes;
* :mod:`~featlearn.theory.gradient_features`, :mod:`~featlearn.theory.gradient_feature_bounds`,
  :mod:`~featlearn.theory.parity_gradients`, :mod:`~featlearn.theory.structured_parity` -- Shi et al. 2023;
* :mod:`~featlearn.theory.radial_laws`, :mod:`~featlearn.theory.ball_separation` -- Safran and Lee 2022.

The most used names are re-exported here; everything else is reached through its module.
Theory never imports the training core (:mod:`featlearn.models`).
"""

from __future__ import annotations

from featlearn.theory import (  # noqa: F401  (submodules)
    activations,
    ball_separation,
    distributions,
    gradient_feature_bounds,
    gradient_features,
    hermite,
    kernels,
    one_step,
    parity_gradients,
    radial_laws,
    special,
    spiked_random_features,
    structured_parity,
    targets,
    three_layer_sample_complexity,
)
from featlearn.theory.activations import ACTIVATIONS, Activation, as_activation
from featlearn.theory.distributions import (GaussianInput, GaussianMixtureInput, HypercubeInput, InputDistribution,
                                            RadialInput, SphereInput)
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients, hermite_he
from featlearn.theory.radial_laws import MuInput, SphereSumInput
from featlearn.theory.structured_parity import StructuredParity
from featlearn.theory.targets import (BallIndicator, GaussianMixture, Hierarchical, QuadraticFeature, Radial,
                                      SingleIndex, SmoothBallIndicator, SparseParity, Target)

__all__ = [
    "ACTIVATIONS", "Activation", "BallIndicator", "GaussianInput", "GaussianMixture", "GaussianMixtureInput",
    "Hierarchical", "HypercubeInput", "InputDistribution", "MuInput", "QuadraticFeature", "Radial", "RadialInput",
    "SingleIndex", "SmoothBallIndicator", "SparseParity", "SphereInput", "SphereSumInput", "StructuredParity",
    "Target", "activations", "as_activation", "ball_separation", "distributions", "gaussian_moment",
    "gradient_feature_bounds", "gradient_features", "hermite", "hermite_coefficients", "hermite_he", "kernels",
    "one_step", "parity_gradients", "radial_laws", "special", "spiked_random_features", "structured_parity", "targets",
    "three_layer_sample_complexity",
]
