"""Baselines without feature learning, on raw x (not in NDL23: our addition, docs/papers/ndl23.md §10).

* :class:`RandomFeaturesRidge` — a two-layer network whose first layer is frozen at random
  (rows uniform on the unit sphere) and whose second layer is fitted by ridge, streamed
  through :class:`~featlearn.models.ridge.GramStats`; λ chosen on a validation set.
* :class:`ReluKernelRidge` — its infinite-width limit for ReLU, kernel ridge with
  K(x, x′) = E_v[relu(v·x)relu(v·x′)] = ‖x‖‖x′‖(sin θ + (π − θ)cos θ)/(2π d) (the arc-cosine
  kernel of degree 1, divided by d because v is unit rather than N(0, I_d)); O(n²) memory,
  so only for small n.

Both are estimators (:class:`featlearn.models.estimator.Estimator`, metric ``"mse"``): ``fit(X, y)`` holds
out a validation share of the rows (``val_fraction``, drawn from ``seed``) to choose λ. The former route
with explicit training and validation sets is :meth:`RandomFeaturesRidge.fit_validated` ``(rng, train,
val)`` and :meth:`ReluKernelRidge.fit_validated` ``(train, val)``; ``fit`` still accepts those arguments.
"""

from __future__ import annotations

import math
from typing import Sequence

from featlearn.backends import Generator, array_namespace, device_of, resolve_float_dtype, to_host, to_scalar
from featlearn.data import DEFAULT_CHUNK, ArrayStream, Stream, as_stream, iter_xy, streamed_mse
from featlearn.models.estimator import Estimator, fit_data
from featlearn.models.ridge import DEFAULT_RELATIVE_LAMBDAS, GramStats, RidgePath, check_lambdas, promote
from featlearn.validation import (check_array, check_finite, check_finite_output, check_fitted, check_generator,
                                  check_int, check_memory, reference_namespace)

from ._checks import check_activation, check_dtype
from ._estimator import check_fraction, check_seed, estimator_rng, validation_split
from .setting import Setting

#: The quick-scale setting the estimators' defaults come from.
_QUICK = Setting()

__all__ = ["RandomFeaturesRidge", "ReluKernelRidge"]


def _legacy_call(X, y, legacy, legacy_kw, first) -> bool:
    """Whether ``fit`` was called the former way (explicit training and validation sets)."""
    return bool(legacy or legacy_kw or isinstance(X, first) or isinstance(y, (tuple, Stream)))


class RandomFeaturesRidge(Estimator):
    """Random-features ridge on raw x: f(x) = aᵀσ(Vx)/p + ȳ, V frozen with unit rows (a baseline without
    feature learning, our addition to NDL23; docs/papers/ndl23.md §10).

    ``fit(X, y)`` holds out ``val_fraction`` of the rows (drawn from ``seed``) to choose the ridge λ among
    ``lambdas``; ``score`` is the mean squared error (:attr:`metric` ``"mse"``; lower is better).

    Parameters
    ----------
    p : int
        Number of random features (default ``Setting().radial_rf_width``, the width of the random-features
        ridge reported by ``ndl23.radial-depth-separation``).
    sigma : str or Activation
        Activation of the features (default ReLU).
    chunk : int
        Samples per streamed chunk.
    dtype : optional
        Float dtype (backend default).
    lambdas : sequence of float
        Relative ridge penalties searched on validation by :meth:`fit`.
    val_fraction : float
        Share of the rows held out for validation by :meth:`fit` (default 0.2).
    seed : int
        Seed of :meth:`fit`'s generator (the split, then V), on the backend of the data.
    rng : Generator, optional
        A featlearn generator to use instead of ``seed`` (children ``"split"`` and ``"init"``).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.theory.targets import SingleIndex
    >>> rng = Generator(0)
    >>> f = SingleIndex.random(rng.child("b"), 4, "identity")
    >>> X, y = f.sample(rng.child("tr"), 600)
    >>> rf = RandomFeaturesRidge().fit(X, y)
    >>> bool(rf.score(*f.sample(rng.child("te"), 200)) < 0.05)
    True

    With explicit training and validation sets (the former route):

    >>> rf = RandomFeaturesRidge(64).fit_validated(rng.child("init"), f.sample(rng.child("tr"), 400),
    ...                                            f.sample(rng.child("va"), 200))
    >>> rf.mse(f.sample(rng.child("te"), 200)) < 0.05
    True
    """

    metric = "mse"

    def __init__(self, p: int = _QUICK.radial_rf_width, *, sigma="relu", chunk: int = DEFAULT_CHUNK, dtype=None,
                 lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS, val_fraction: float = 0.2, seed: int = 0,
                 rng: Generator | None = None):
        self.p = check_int(p, "p", min_val=1)
        self.sigma = check_activation(sigma, "sigma")
        self.chunk = check_int(chunk, "chunk", min_val=1)
        self.dtype = check_dtype(dtype)
        self.lambdas = tuple(check_lambdas(lambdas))
        self.val_fraction = check_fraction(val_fraction, "val_fraction")
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)

    def _features(self, X):
        return self.sigma(self.xp.astype(X, self.dtype_) @ self.V_.T) / self.p

    def fit(self, X, y=None, *legacy, **legacy_kw) -> "RandomFeaturesRidge":
        """Fit on ``(X, y)`` (an ``(n, d)`` array and its labels) or a featlearn stream: ``val_fraction`` of the
        rows (drawn from ``seed``) choose λ, the rest train the ridge (:meth:`fit_validated`). Returns ``self``.

        The former call ``fit(rng, train, val, lambdas=...)`` is still accepted and goes to
        :meth:`fit_validated`.
        """
        if _legacy_call(X, y, legacy, legacy_kw, Generator):
            return self.fit_validated(X, y, *legacy, **legacy_kw)
        data = fit_data(X, y)
        gen = estimator_rng(self.seed, self.rng, data)
        (train,), val = validation_split(data, None, self.val_fraction, gen, parts=1)
        return self.fit_validated(gen.child("init"), train, val, lambdas=self.lambdas)

    def fit_validated(self, rng: Generator, train, val, *,
                      lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS) -> "RandomFeaturesRidge":
        """Draw V, fit ridge on ``train`` for every λ (relative to tr(FᵀF/n)/p), select on ``val``.

        The ridge objective is ``(1/n)‖y − ȳ − Fa‖² + λ‖a‖²`` with ``F = σ(XVᵀ)/p``. The training
        data are streamed once: the statistics are accumulated with raw labels and centred
        afterwards (Fᵀ(y − ȳ) = Fᵀy − ȳ ΣF, ‖y − ȳ‖² = ‖y‖² − nȳ²). Non-finite training or
        validation data raise ``ValueError`` (a NaN validation error is never read as 0).
        """
        check_generator(rng)
        lambdas = check_lambdas(lambdas)
        # the data must be on the backend V is drawn on: refused (naming both) before anything is drawn
        train = as_stream(train, name="train", xp=rng.xp, like="rng")
        val = as_stream(val, name="val", xp=rng.xp, like="rng")
        self.d = int(train.d)
        val_d = int(val.d)
        if val_d != self.d:
            raise ValueError(f"val: input dimension d = {val_d} does not match the training data's d = {self.d}")
        check_memory(8.0 * (self.p * (self.p + self.d + 2) + self.chunk * self.p),
                     f"RandomFeaturesRidge: V (p × d) and the Gram matrix (p × p) with p = {self.p}, d = {self.d}")
        self.xp = xp = rng.xp
        self.dtype_ = resolve_float_dtype(rng.xp, self.dtype, rng.device)
        self.V_ = rng.child("V").sphere(self.p, self.d, dtype=self.dtype_)
        dev = device_of(self.V_)
        st = GramStats.zeros(self.p, xp=xp, dtype=self.dtype_, device=dev)
        # the column and label sums in the statistics' dtype (float64, featlearn.models.ridge): the centring
        # below subtracts them from the Gram sums
        s_f = xp.zeros((self.p,), dtype=st.FtF.dtype, device=dev)
        s_y = xp.zeros((), dtype=st.FtF.dtype, device=dev)
        for X, y in iter_xy(train, chunk=self.chunk, d=self.d, name="train", xp=xp, like="rng"):
            F, y = self._features(X), xp.astype(y, self.dtype_)
            st.add(F, y)
            s_f = s_f + xp.sum(promote(F, st.FtF.dtype), axis=0)
            s_y = s_y + xp.sum(promote(y, st.FtF.dtype))
        self.offset_ = to_scalar(s_y) / st.n
        if not math.isfinite(self.offset_):
            raise ValueError("train: expected finite labels, got NaN or inf")
        check_finite(st.FtF, "train (features σ(XVᵀ)/p)")
        st = GramStats(st.FtF, st.Fty - self.offset_ * s_f, st.yty - st.n * self.offset_ ** 2, st.n, st.dtype)
        path = RidgePath(st)
        rel = to_scalar(xp.sum(path.evals)) / self.p
        lam_abs = [float(l) * (rel if rel > 0 else 1.0) for l in lambdas]
        vst = self._stats(val, name="val")
        if not math.isfinite(to_scalar(vst.yty)):
            raise ValueError("val: expected finite labels, got NaN or inf")
        self.lam_, errs = path.select(vst, lam_abs)
        self.val_mse_ = float(to_host(errs).min())
        self.coef_ = path.coef(self.lam_)
        return self

    def _stats(self, data, name="data"):
        xp = self.xp
        st = GramStats.zeros(self.p, xp=xp, dtype=self.dtype_, device=device_of(self.V_))
        for X, y in iter_xy(data, chunk=self.chunk, d=self.d, name=name, xp=xp, like="the model"):
            st.add(self._features(X), xp.astype(y, self.dtype_) - self.offset_)
        return st

    def predict(self, X):
        """``aᵀσ(Vx)/p + ȳ`` for each row of ``X`` (validated: lists and ints converted, NaN refused)."""
        check_fitted(self, "coef_")
        X = check_array(X, "X", ndim=2, xp=self.xp, dtype=self.dtype_, columns=self.d, like="the fitted model")
        return check_finite_output(self._features(X) @ self.coef_ + self.offset_)

    def mse(self, data) -> float:
        """Mean squared error on a data set (streamed)."""
        check_fitted(self, "coef_")
        return streamed_mse(self.predict, data, chunk=self.chunk, d=self.d).mean


def _input_dim(data) -> int:
    """Input dimension of a stream or an ``(X, y)`` pair, without drawing."""
    return int(as_stream(data, name="train").d)


def relu_kernel(X, Y, /):
    """E_v[relu(v·x)relu(v·y)], v uniform on the unit sphere (closed form, see module doc).

    ``X`` (n, d) and ``Y`` (m, d) must be finite real arrays of one backend with the same d
    (``ValueError``/``TypeError`` naming the argument otherwise: a NaN would give a NaN kernel).
    """
    xp, like = reference_namespace(X=X, Y=Y)
    X = check_array(X, "X", ndim=2, xp=xp, like=like)
    Y = check_array(Y, "Y", ndim=2, xp=array_namespace(X), dtype=X.dtype, columns=int(X.shape[1]), like="X")
    xp = array_namespace(X, Y)
    d = X.shape[1]
    nx = xp.linalg.vector_norm(X, axis=1)
    ny = xp.linalg.vector_norm(Y, axis=1)
    den = nx[:, None] * ny[None, :]
    cos = xp.clip((X @ Y.T) / xp.where(den > 0, den, xp.ones_like(den)), -1.0, 1.0)
    th = xp.acos(cos)
    return den * (xp.sin(th) + (math.pi - th) * cos) / (2.0 * math.pi * d)


class ReluKernelRidge(Estimator):
    """Kernel ridge with the infinite-width ReLU random-feature kernel (small n: O(n²) memory); a baseline
    without feature learning, our addition to NDL23 (docs/papers/ndl23.md §10).

    The objective is ``(1/n)‖y − ȳ − Kα‖²`` regularised by ``λ αᵀKα`` with λ relative to the
    mean eigenvalue of ``K/n``; λ is chosen on a validation set: ``fit(X, y)`` holds out ``val_fraction`` of
    the rows (drawn from ``seed``). ``score`` is the mean squared error (:attr:`metric` ``"mse"``).

    Parameters
    ----------
    lambdas : sequence of float
        Relative ridge penalties searched on validation by :meth:`fit`.
    val_fraction : float
        Share of the rows held out for validation by :meth:`fit` (default 0.2).
    seed : int
        Seed of the split (the only randomness), on the backend of the data.
    rng : Generator, optional
        A featlearn generator to use instead of ``seed`` (child ``"split"``).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.theory.targets import SingleIndex
    >>> rng = Generator(0)
    >>> f = SingleIndex.random(rng.child("b"), 4, "identity")
    >>> X, y = f.sample(rng.child("tr"), 500)
    >>> kr = ReluKernelRidge().fit(X, y)
    >>> kr.predict(X[:3]).shape, bool(kr.score(*f.sample(rng.child("te"), 200)) < 0.05)
    ((3,), True)
    """

    metric = "mse"

    def __init__(self, *, lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS, val_fraction: float = 0.2,
                 seed: int = 0, rng: Generator | None = None):
        self.lambdas = tuple(check_lambdas(lambdas))
        self.val_fraction = check_fraction(val_fraction, "val_fraction")
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)

    def fit(self, X, y=None, *legacy, **legacy_kw) -> "ReluKernelRidge":
        """Fit on ``(X, y)`` (an ``(n, d)`` array and its labels) or a featlearn stream: ``val_fraction`` of the
        rows (drawn from ``seed``) choose λ, the rest are the kernel's training set (:meth:`fit_validated`).

        The former call ``fit(train, val, lambdas=...)`` with ``(X, y)`` pairs is still accepted and goes to
        :meth:`fit_validated`.
        """
        if _legacy_call(X, y, legacy, legacy_kw, tuple):
            return self.fit_validated(X, y, *legacy, **legacy_kw)
        data = fit_data(X, y)
        gen = estimator_rng(self.seed, self.rng, data)
        (train,), val = validation_split(data, None, self.val_fraction, gen, parts=1)
        tr, va = train.materialise(), val.materialise()
        return self.fit_validated((tr.X, tr.y), (va.X, va.y), lambdas=self.lambdas)

    def fit_validated(self, train, val, *, lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS) -> "ReluKernelRidge":
        """Fit on ``train`` (an ``(X, y)`` pair) for every λ of the grid; select λ on ``val``."""
        lambdas = check_lambdas(lambdas)
        tr = _pair(train, "train")
        va = _pair(val, "val")
        X, y = tr.X, tr.y
        xp = array_namespace(X)
        Xv = check_array(va.X, "val.X", ndim=2, xp=xp, dtype=X.dtype, columns=int(X.shape[1]), like="train.X")
        yv = check_array(va.y, "val.y", ndim=1, xp=xp, dtype=X.dtype, rows=int(Xv.shape[0]), like="train.X")
        n = int(X.shape[0])
        check_memory(8.0 * (4 * n * n + 2 * int(Xv.shape[0]) * n),
                     f"ReluKernelRidge: the kernel matrices (n × n) with n = {n}")
        self.xp, self.X_ = xp, X
        self.offset_ = to_scalar(xp.mean(y))
        K = relu_kernel(X, X)
        check_finite(K, "train.X (the kernel matrix overflows: rescale X)")
        evals, evecs = xp.linalg.eigh(0.5 * (K + K.T) / n)
        evals = xp.where(evals > 0, evals, xp.zeros_like(evals))  # rounding negatives of a PSD matrix
        proj = evecs.T @ ((y - self.offset_) / n)
        Kv = relu_kernel(Xv, X)
        rel = to_scalar(xp.mean(evals))
        best = None
        for l in lambdas:
            lam = float(l) * (rel if rel > 0 else 1.0)
            alpha = evecs @ (proj / (evals + lam))  # (K/n + λ)⁻¹ y/n
            err = to_scalar(xp.mean((Kv @ alpha + self.offset_ - yv) ** 2))
            if not math.isfinite(err):
                raise ValueError("val: the validation error is not finite (the data overflow the kernel)")
            if best is None or err < best[0]:
                best = (err, lam, alpha)
        self.val_mse_, self.lam_, self.alpha_ = best
        return self

    def predict(self, X):
        """``K(X, X_train) α + ȳ`` (validated: lists and ints converted, NaN, wrong d or backend refused)."""
        check_fitted(self, "alpha_")
        X = check_array(X, "X", ndim=2, xp=self.xp, dtype=self.X_.dtype, columns=int(self.X_.shape[1]),
                        like="the training data")
        check_memory(8.0 * int(X.shape[0]) * int(self.X_.shape[0]), "ReluKernelRidge.predict: K(X, X_train)")
        return check_finite_output(relu_kernel(X, self.X_) @ self.alpha_ + self.offset_)

    def mse(self, data) -> float:
        """Mean squared error on an ``(X, y)`` pair."""
        check_fitted(self, "alpha_")
        b = _pair(data, "data")
        r = self.predict(b.X) - self.xp.astype(b.y, self.X_.dtype)
        return to_scalar(self.xp.mean(r * r))


def _pair(data, name: str):
    """An ``(X, y)`` pair (or an in-memory stream) validated as one :class:`~featlearn.data.ArrayStream`."""
    if isinstance(data, ArrayStream):
        return data
    if not (isinstance(data, tuple) and len(data) == 2):
        raise TypeError(f"{name}: expected an (X, y) tuple of arrays, got {type(data).__name__}")
    return ArrayStream(*data, name=name)
