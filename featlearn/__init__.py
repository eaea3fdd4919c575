"""featlearn: executable, backend-agnostic specifications of feature-learning theory.

The package has two halves and a training core:

* :mod:`featlearn.backends` -- array namespaces, devices, dtypes and seeded randomness;
* :mod:`featlearn.theory` -- the mathematics the papers define (distributions, targets,
  Hermite expansions, predicted rates), written against the Python Array API;
* :mod:`featlearn.models` -- networks and training algorithms (depends on both halves);
* :mod:`featlearn.claims` -- the registry of quantitative predictions checked by
  ``featlearn check``;
* :mod:`featlearn.papers` -- one folder per paper: its setting, theory, networks, claims and experiments;
* :mod:`featlearn.testing` -- Hypothesis strategies, ``assert_claim`` and a pytest plugin for your own suite.

The researcher's entry points (:mod:`featlearn.api`) are here: :func:`claim` and :func:`experiment`
return a claim or an experiment by name, to predict and run on your own setting; the papers load
on first use.

Examples
--------
>>> import featlearn
>>> featlearn.claim("math.sphere-fourth-moment").predict(sphere_d=8).predicted   # 3d/(d+2)
2.4
"""

__version__ = "0.1.0"

__all__ = ["__version__", "claim", "experiment", "list_claims", "list_experiments"]

_API = ("claim", "experiment", "list_claims", "list_experiments", "ClaimHandle", "ExperimentHandle")


def __getattr__(name: str):
    # imported on first use: `import featlearn` stays light (no SciPy, no paper loaded)
    if name in _API:
        from featlearn import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + list(_API))
