"""The mathematics the papers define, written against the Python Array API.

One concept per module (each with its ``__all__``):

* :mod:`~featlearn.theory.host_constants` -- the one place NumPy/SciPy are used: host-side scalar constants
  (quadrature nodes, special-function tables);
* :mod:`~featlearn.theory.hermite` -- probabilists' Hermite polynomials and Hermite coefficients;
* :mod:`~featlearn.theory.special` -- erf, its derivative and the normal CDF (the Array API has none);
* :mod:`~featlearn.theory.activations` -- named activations and link functions with derivatives;
* :mod:`~featlearn.theory.distributions` -- input laws (Gaussian, sphere, hypercube, radial, mixtures);
* :mod:`~featlearn.theory.targets` -- target classes f* (single-index, quadratic feature, hierarchical g∘h, parity,
  Gaussian mixture, radial);
* :mod:`~featlearn.theory.one_step` -- the one-step spike theory that MLHD23, Cui et al. 2024 and NDL23 share.

Only what two or more papers use lives here: a theorem of one paper lives in that paper's folder
(``featlearn/papers/<key>/``), and ``tests/test_layout.py`` keeps it so.

The most used names are re-exported here; everything else is reached through its module.
Theory never imports the training core (:mod:`featlearn.models`).
"""

from __future__ import annotations

from featlearn.theory import (  # noqa: F401  (submodules)
    activations,
    distributions,
    hermite,
    host_constants,
    one_step,
    special,
    targets,
)
from featlearn.theory.activations import ACTIVATIONS, Activation, as_activation
from featlearn.theory.distributions import (GaussianInput, GaussianMixtureInput, HypercubeInput, InputDistribution,
                                            RadialInput, SphereInput)
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients, hermite_he
from featlearn.theory.targets import (GaussianMixture, Hierarchical, QuadraticFeature, Radial, SingleIndex,
                                      SparseParity, Target)

__all__ = [
    "ACTIVATIONS", "Activation", "GaussianInput", "GaussianMixture", "GaussianMixtureInput", "Hierarchical",
    "HypercubeInput", "InputDistribution", "QuadraticFeature", "Radial", "RadialInput", "SingleIndex",
    "SparseParity", "SphereInput", "Target", "activations", "as_activation", "distributions", "gaussian_moment",
    "hermite", "hermite_coefficients", "hermite_he", "host_constants", "one_step", "special", "targets",
]
