"""featlearn: executable, backend-agnostic specifications of feature-learning theory.

The package has two halves and a training core:

* :mod:`featlearn.backends` -- array namespaces, devices, dtypes and seeded randomness;
* :mod:`featlearn.theory` -- the mathematics the papers define (distributions, targets,
  Hermite expansions, predicted rates), written against the Python Array API;
* :mod:`featlearn.models` -- networks and training algorithms (depends on both halves);
* :mod:`featlearn.claims` -- the registry of quantitative predictions checked by
  ``featlearn check``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
