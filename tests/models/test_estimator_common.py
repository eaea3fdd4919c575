"""Common checks of every estimator, generated from the public API (scikit-learn's ``check_estimator`` in kind).

Every class that a paper face (``featlearn.papers.<key>.__all__``) or ``featlearn.models`` exports and that
subclasses :class:`featlearn.models.estimator.Estimator` must construct with the paper's defaults, name its
metric, carry a runnable example, refuse ``predict``/``score`` before ``fit`` and refuse bad input with the
package's validation policy. Each paper's own tests fit it on that paper's data.
"""

from __future__ import annotations

import importlib
import inspect

import numpy as np
import pytest

import featlearn.models
from featlearn.models.estimator import METRICS, Estimator, error_metric, fit_data
from featlearn.papers import paper_packages


def _public_estimators() -> dict[str, type]:
    found: dict[str, type] = {}
    for module in [featlearn.models] + [importlib.import_module(m) for m in paper_packages()]:
        for name in getattr(module, "__all__", []):
            obj = getattr(module, name, None)
            if inspect.isclass(obj) and issubclass(obj, Estimator) and obj is not Estimator:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


ESTIMATORS = _public_estimators()


def test_every_paper_with_networks_exports_estimators():
    papers = {name.split(".")[2] for name in ESTIMATORS if name.startswith("featlearn.papers.")}
    assert {"ndl23", "swl23", "sl21"} <= papers, sorted(ESTIMATORS)
    assert any(name.startswith("featlearn.models.") for name in ESTIMATORS), sorted(ESTIMATORS)


@pytest.mark.parametrize("name", sorted(ESTIMATORS))
def test_common_checks(name):
    cls = ESTIMATORS[name]
    assert cls.metric in METRICS, f"{name}.metric = {cls.metric!r}"
    for method in ("fit", "predict", "score"):
        assert callable(getattr(cls, method, None)), f"{name} lacks {method}"
        assert getattr(cls, method) is not getattr(Estimator, method) or method == "score", \
            f"{name}.{method} is the abstract one"
    doc = inspect.getdoc(cls) or ""
    assert "Examples" in doc and ">>> " in doc, f"{name} has no runnable example in its docstring"
    assert inspect.getdoc(cls.predict), f"{name}.predict has no docstring"
    est = cls()  # the paper's defaults: data alone is enough
    X = np.zeros((4, 3))
    with pytest.raises(ValueError, match="not fitted|fit"):
        est.predict(X)
    with pytest.raises((TypeError, ValueError)):
        cls().fit("not an array", [1.0, 2.0])


def test_fit_data_and_metrics():
    X, y = np.eye(3), np.array([1.0, -1.0, 1.0])
    assert fit_data(X, y).n == 3
    assert fit_data(fit_data(X, y)).n == 3
    with pytest.raises(TypeError, match="y: expected"):
        fit_data(X)
    with pytest.raises(ValueError, match="y: expected None"):
        fit_data(fit_data(X, y), y)
    assert error_metric("0-1", lambda X: X[:, 0] - X[:, 1], X, y) == pytest.approx(1 / 3)
    assert error_metric("mse", lambda X: 0.0 * X[:, 0], X, y) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="metric: expected"):
        error_metric("l1", lambda X: X[:, 0], X, y)
