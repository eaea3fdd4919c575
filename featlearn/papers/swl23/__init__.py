"""Shi, Wei, Liang 2023: provable guarantees for neural networks via gradient feature learning.

Described in ``docs/papers/swl23.md`` (the paper's full text was not available; most of the
content is reconstructed and marked so). This file is the paper's face: it registers the paper
with its setting (``setting.py``), loads the claims and experiments, and re-exports what a user
reaches for: the simplified gradient and its gradient-feature tests (``gradient_features``), the
network trained by Algorithm 1 as an estimator (:class:`Algorithm1Network`, ``network``) and the
algorithm on a given network (:func:`train_algorithm1`), the XOR mixture with its Bayes error
(:class:`XORMixture`; ``xor_bayes_error`` is the same number as a function), the parity targets and
gradients, and the bound's OPT.
"""

from featlearn.claims import register_paper

from .setting import CITATION, KEY, Setting

register_paper(KEY, setting=Setting, **CITATION)

from . import claims, experiments  # noqa: E402  (registers the claims and experiments)
from .bounds import opt_upper_bound  # noqa: E402
from .gradient_features import (hit_probability, mixture_gradient, simplified_gradient,  # noqa: E402
                                theorem_3_12_rhs)
from .mixtures import XORMixture  # noqa: E402
from .network import Algorithm1Network, evaluate, fit_output_layer, init_symmetric, train_algorithm1  # noqa: E402
from .parity_gradients import (crossing_sample_size, fourier_exponent, parity_population_gradient,  # noqa: E402
                               predicted_crossing)
from .structured_parity import StructuredParity, xor_bayes_error  # noqa: E402

__all__ = ["Algorithm1Network", "CITATION", "KEY", "Setting", "XORMixture", "StructuredParity", "claims", "crossing_sample_size", "evaluate",
           "experiments", "fit_output_layer", "fourier_exponent", "hit_probability", "init_symmetric",
           "mixture_gradient", "opt_upper_bound", "parity_population_gradient", "predicted_crossing",
           "simplified_gradient", "theorem_3_12_rhs", "train_algorithm1", "xor_bayes_error"]
