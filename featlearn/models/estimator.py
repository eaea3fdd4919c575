"""One estimator interface for every network, in scikit-learn style.

Every network a paper trains is an :class:`Estimator`: constructed with the paper's defaults
(its ``Setting``), ``fit(X, y)`` on arrays or a featlearn stream (:mod:`featlearn.data`) returns
the fitted estimator, ``predict(X)`` returns the network's outputs, and ``score(X, y)`` returns the
paper's test error, named by :attr:`Estimator.metric`:

* ``"mse"``: the mean squared error ``mean((f(x) − y)²)`` (SL21, MLHD23, NDL23, Cui et al. 2024);
* ``"0-1"``: the classification error ``mean(y·f(x) ≤ 0)`` for labels ``y ∈ {−1, +1}`` (SWL23).

Unlike scikit-learn's ``score`` (higher is better), ``score`` here is the error the paper reports
(lower is better), so that it reads as the papers' figures do; :attr:`metric` says which one.

The validation policy is the package's (:mod:`featlearn.validation`): a wrong type raises
``TypeError``, a wrong value ``ValueError``, each naming the argument; ``predict``/``score``
before ``fit`` raise ``ValueError`` ("not fitted yet").
"""

from __future__ import annotations

from typing import Any, ClassVar

from featlearn.backends import Generator, array_namespace, device_of
from featlearn.data import Stream, as_stream, streamed_mean
from featlearn.validation import check_backend, check_generator

METRICS = ("mse", "0-1")


def fit_data(X: Any, y: Any = None, *, name: str = "X") -> Stream:
    """The training data of ``fit(X, y)`` as a :class:`featlearn.data.Stream`.

    ``X`` is an ``(n, d)`` array with ``y`` its ``(n,)`` labels, or a featlearn stream
    (``TargetStream``, ``ArrayStream``) with ``y`` omitted.

    Examples
    --------
    >>> import numpy as np
    >>> fit_data(np.zeros((3, 2)), np.zeros(3)).n
    3
    """
    if isinstance(X, Stream):
        if y is not None:
            raise ValueError(f"y: expected None when {name} is a stream (the stream holds the labels), "
                             f"got {type(y).__name__}")
        return X
    if y is None:
        raise TypeError(f"y: expected the (n,) labels of {name} (or pass a featlearn stream as {name}), got None")
    return as_stream((X, y), name="")  # messages name the arguments of fit(X, y) themselves


def estimator_rng(seed: int, rng: Any, X: Any) -> Generator:
    """The generator an estimator's ``fit`` draws from: ``rng`` when given, else ``Generator(seed)`` on the
    backend and device of the data ``X`` (an array or a featlearn stream).

    Examples
    --------
    >>> import numpy as np
    >>> estimator_rng(3, None, np.zeros((2, 1))).seed
    3
    """
    if isinstance(X, Stream):
        xp = X.namespace()
        if rng is None:
            X = next(iter(X)).X
    else:
        xp = array_namespace(X)
    if rng is not None:
        # the model is drawn on rng's backend: data of another one are refused here, before any work
        check_backend(xp, "X", check_generator(rng).xp, like="rng")
        return rng
    return Generator(seed, xp=xp, device=device_of(X))


def error_metric(metric: str, predict, X: Any, y: Any = None, *, chunk: int = 2**14) -> float:
    """The paper's error of ``predict`` on data ``(X, y)`` or a stream: mean squared error (``"mse"``) or
    0-1 error ``mean(y·f(x) ≤ 0)`` (``"0-1"``), streamed over chunks.

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.eye(2), np.array([1.0, -1.0])
    >>> error_metric("0-1", lambda X: X[:, 0] - 0.5, X, y), error_metric("mse", lambda X: 0 * X[:, 0], X, y)
    (0.0, 1.0)
    """
    if metric not in METRICS:
        raise ValueError(f"metric: expected one of {METRICS}, got {metric!r}")
    data = fit_data(X, y)

    def per_sample(b):
        f = predict(b.X)
        if metric == "mse":
            r = f - b.y
            return r * r
        return (b.y * f <= 0) * 1.0

    return float(streamed_mean(per_sample, data, chunk=chunk).mean)


class Estimator:
    """Mixin: ``score(X, y)`` is the paper's :attr:`metric` of :meth:`predict`.

    Subclasses implement ``fit(X, y)`` (returning ``self``) and ``predict(X)``, and set
    :attr:`metric`.
    """

    #: The paper's test error: ``"mse"`` or ``"0-1"``.
    metric: ClassVar[str] = "mse"

    def score(self, X: Any, y: Any = None) -> float:
        """The paper's test error (:attr:`metric`) of this fitted estimator on ``(X, y)`` or a stream;
        lower is better."""
        return error_metric(self.metric, self.predict, X, y)

    def predict(self, X: Any) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def fit(self, X: Any, y: Any = None) -> "Estimator":  # pragma: no cover - abstract
        raise NotImplementedError
