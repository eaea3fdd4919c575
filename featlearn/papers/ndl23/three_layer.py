"""Three-layer network and NDL23's layer-wise training (Algorithm 1), streamed over samples.

Network (NDL23 §2, as described in ``docs/papers/ndl23.md``
§3.1 — the paper's Sections 2–5 were not available, so the architecture is [reconstructed]):

    f(x) = (1/m1) aᵀ σ1(W σ2(V x) + b),   a ∈ R^{m1}, W ∈ R^{m1×m2}, b ∈ R^{m1}, V ∈ R^{m2×d}.

* V: rows uniform on the unit sphere, frozen ([reconstructed]).
* W⁽⁰⁾ = 0 ([reconstructed], "fairly confident"); a⁽⁰⁾ = ±1 in symmetric pairs (a_{2i+1} = −a_{2i},
  b_{2i+1} = b_{2i}) so f⁽⁰⁾ ≡ 0 (docs/papers/ndl23.md §4.3, our choice).
* Stage 1 (Algorithm 1 line 2, [reconstructed: secondary source]/[reconstructed]): **one** gradient step on W on D1 for the loss
  L̂ = (1/n)Σ (f − y)² (the factor convention is [not found]; it only rescales η1). Closed form ([reconstructed],
  docs/papers/ndl23.md §4.3): W⁽¹⁾ = (2η1/m1)(a ⊙ σ1′(b⁽⁰⁾)) gᵀ with the m2-vector
  g = (1/n)Σ_j (y_j − ȳ) σ2(V x_j), streamed in chunks. Every neuron sees the same learned
  feature φ̂(x) = gᵀσ2(Vx)/m2 = (1/n)Σ_j (y_j − ȳ) K̂(x_j, x): W⁽¹⁾σ2(Vx) = η̄ (a ⊙ σ1′(b⁽⁰⁾)) φ̂(x),
  η̄ = 2η1 m2/m1. Labels are centred by ȳ (``center_labels``, our choice: with f⁽⁰⁾ = 0 the
  paper's y − f⁽⁰⁾ would add ȳ·K̂1, which for Gaussian inputs is a *radial* function).
* Stage 2 (line 8): ridge on a, on an independent D2, in closed form for a whole λ grid
  (:mod:`featlearn.models.ridge`); η1 and λ chosen on a validation set ([stated]: "We optimize the
  hyperparameters η1, λ using grid search over a holdout validation set").

Open options (docs/papers/ndl23.md §10, [not found] in the paper) are parameters: σ1, σ2, the bias law
(``bias_scale``: b ~ Unif[−B, B]), and ``resample_bias`` (re-draw b before stage 2). With
re-sampling, stage-2 biases are drawn *in units of the standardised learned feature* and
shifted by the feature's D2 mean so they cover its range (our design, docs/papers/ndl23.md §10 "b_i ~
Unif[−3, 3], re-sampled"). The η1 grid is a grid of slopes s = η̄·sd(φ̂) (docs/papers/ndl23.md §10).

Memory: O(chunk·m2 + m1² + m1·m2) plus O(n) *scalars* (the learned feature of D2 and of the
held-out sets, reused across the η1 grid); never an n×m2 or n×m1 matrix.

Cost, for piecewise-linear activations (``Activation.abs_form``: σ = αz + β|z| + γ, e.g. ReLU and the
centred |z|): the m2-wide passes of stage 1 and of φ̂ form |XVᵀ| only (the linear part goes through
products with X), and because every hidden unit of stage 2 sees the same scalar z = φ̂ of a sample,
the stage-2 Gram matrix comes from sorted segment sums between the m1 breakpoints in
O(n log n + m1³) instead of O(n·m1²) (:meth:`ThreeLayerNetwork._stats_piecewise`); other activations
take the dense path. Both give the same numbers up to rounding (tested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Sequence

from featlearn.backends import Generator, array_namespace, device_of, resolve_float_dtype, to_host, to_scalar
from featlearn.data import DEFAULT_CHUNK, TargetStream, chunk_bounds, iter_xy, pearson, streamed_mse
from featlearn.models.estimator import Estimator, fit_data
from featlearn.models.ridge import (DEFAULT_RELATIVE_LAMBDAS, GramStats, RidgePath, check_lambdas, promote, ridge_dtype,
                                    select_lambda)
from featlearn.validation import (all_finite, check_array, check_bool, check_choice, check_finite_output, check_generator,
                                  check_grid, check_int, check_memory, check_real)
from featlearn.theory.activations import Activation

from ._checks import check_activation, check_dtype, check_sizes
from ._estimator import check_fraction, check_seed, estimator_rng, validation_split
from .setting import Setting

#: The quick-scale setting the estimator's defaults come from.
_QUICK = Setting()

__all__ = [
    "DEFAULT_SLOPES",
    "LayerwiseResult",
    "ThreeLayerNetwork",
    "feature_learning_curve",
    "learned_feature_correlation",
    "run_layerwise",
]

#: Stage-1 slopes s = η̄·sd(φ̂) searched on validation (a 2-decade grid around the unit scale
#: of the standardised feature, where σ1's kinks at the biases resolve it).
DEFAULT_SLOPES = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0)


def learned_feature_correlation(phi, h, /) -> float:
    """|corr(φ̂, h*)| on a test set, the quantity of NDL23's experiments (docs/papers/ndl23.md §2.3).

    A learned feature that is constant on the test set (g = 0: e.g. all stage-1 labels equal
    at a tiny n) carries no information about h*: its correlation is 0 by this convention,
    stated here rather than returned silently by the correlation helper (which refuses it).
    """
    phi = check_array(phi, "phi", ndim=1)
    xp = array_namespace(phi)
    h = check_array(h, "h", ndim=1, xp=xp, rows=int(phi.shape[0]))
    if not bool(xp.any(phi != phi[0])):
        return 0.0
    return abs(pearson(phi, h))


# -- the network -----------------------------------------------------------------------------------------
class ThreeLayerNetwork(Estimator):
    """f(x) = (1/m1) aᵀσ1(Wσ2(Vx) + b) trained by NDL23's layer-wise training, Algorithm 1 of
    Nichani, Damian, Lee 2023 (reconstructed; docs/papers/ndl23.md §4).

    :meth:`fit` runs the whole of Algorithm 1 on one data set: the rows are split (by ``seed``) into a
    validation set (``val_fraction``) and two equal halves D1 and D2; stage 1 takes one gradient step on W
    from W = 0 on D1 (:meth:`stage1`), stage 2 fits the outer weights by ridge on D2 for every stage-1 slope
    of ``slopes`` and every λ of ``lambdas`` and keeps the pair with the smallest validation MSE
    (:meth:`stage2`; NDL23 §5 chose η1 and λ on a holdout set, [stated]). The stages can also be called one by
    one (:meth:`init`, :meth:`stage1`, :meth:`stage2`), as :func:`run_layerwise` does. ``score`` is the test
    mean squared error (:attr:`metric` ``"mse"``; lower is better).

    Defaults come from the quick NDL23 :class:`~featlearn.papers.ndl23.setting.Setting`: m1 = ``curves_m1``
    (128), m2 = ``quad_m2_per_d2`` · d² (8 d², fixed when the data's d is known), ``slopes`` =
    ``stage1_slopes``.

    Parameters
    ----------
    m1 : int
        Outer width (even: symmetric ± pairs). Default ``Setting().curves_m1``.
    m2 : int or "auto"
        Inner (random-feature) width; ``"auto"`` (default): ``m2_per_d2 · d²``, fixed when d is known.
    sigma1, sigma2 : str or Activation
        Outer and inner activations (default ReLU for both; σ1 needs a derivative).
    bias_scale : float
        Biases b ~ Unif[−B, B] (stage-1 biases; stage-2 biases in feature units, see module doc).
    resample_bias : bool
        Re-draw b before stage 2 (default True, docs/papers/ndl23.md §10).
    center_labels : bool
        Use y − ȳ in stage 1 (default True).
    chunk : int, optional
        Samples per chunk (default: min(4096, 2^23 // m2), at least 64).
    dtype : optional
        Float dtype (backend default).
    slopes : sequence of float
        Stage-1 slopes s = η̄·sd(φ̂) searched on validation by :meth:`fit` (default ``Setting().stage1_slopes``).
    lambdas : sequence of float
        Relative ridge penalties searched on validation by :meth:`fit`.
    m2_per_d2 : int
        m2 = m2_per_d2 · d² when ``m2 = "auto"`` (default ``Setting().quad_m2_per_d2``).
    val_fraction : float
        Share of the rows :meth:`fit` holds out for validation (default 0.2; the rest is split into D1, D2).
    seed : int
        Seed of :meth:`fit`'s generator (the split, then V, a, b), on the backend of the data.
    rng : Generator, optional
        A featlearn generator to use instead of ``seed`` (its children ``"split"`` and ``"init"``).

    Attributes
    ----------
    V_ : array, shape (m2, d)
        Inner first-layer weights (set by :meth:`init`).
    a_, b0_, b_ : arrays
        Initial outer weights, stage-1 biases and biases (set by :meth:`init`).
    g_ : array, shape (m2,)
        Stage-1 statistic g = (1/n)Σ(y_j − ȳ)σ2(Vx_j) (set by :meth:`stage1`).
    eta1_, slope_, lam_ : float
        The selected stage-1 step, slope and ridge λ (set by :meth:`stage1` / :meth:`stage2`).
    coef_ : array
        Trained outer weights (set by :meth:`stage2`).

    Examples
    --------
    Algorithm 1 with the defaults, on a quadratic-feature target g*(xᵀAx) (x on the sphere of radius √d):

    >>> from featlearn.backends import Generator
    >>> from featlearn.theory.targets import QuadraticFeature
    >>> rng = Generator(0)
    >>> f = QuadraticFeature.random(rng.child("A"), 6, "relu")
    >>> X, y = f.sample(rng.child("train"), 2000)
    >>> X_test, y_test = f.sample(rng.child("test"), 1000)
    >>> net = ThreeLayerNetwork().fit(X, y)
    >>> net.m2, net.predict(X_test).shape
    (288, (1000,))
    >>> bool(net.score(X_test, y_test) < 0.5 * float(y_test.var()))   # well below the zero predictor
    True

    The stages one by one:

    >>> net = ThreeLayerNetwork(16, 64).init(rng.child("init"), 6)
    >>> _ = net.stage1(f.sample(rng.child("D1"), 200))
    >>> net.learned_feature(f.sample(rng.child("x"), 5)[0]).shape
    (5,)
    """

    def __init__(self, m1: int = _QUICK.curves_m1, m2: int | str = "auto", *, sigma1="relu", sigma2="relu",
                 bias_scale: float = 3.0, resample_bias: bool = True, center_labels: bool = True,
                 chunk: int | None = None, dtype=None, slopes: Sequence[float] = _QUICK.stage1_slopes,
                 lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS, m2_per_d2: int = _QUICK.quad_m2_per_d2,
                 val_fraction: float = 0.2, seed: int = 0, rng: Generator | None = None):
        self.m1 = check_int(m1, "m1", min_val=1)
        if self.m1 % 2:
            raise ValueError(f"m1: expected an even int (symmetric ± pairs), got {m1}")
        self.m2_auto = isinstance(m2, str) and m2 == "auto"
        self.m2 = None if self.m2_auto else check_int(m2, "m2", min_val=1)
        self.slopes = tuple(check_grid(slopes, "slopes", min_val=0.0, include_boundaries="neither"))
        self.lambdas = tuple(check_lambdas(lambdas))
        self.m2_per_d2 = check_int(m2_per_d2, "m2_per_d2", min_val=1)
        self.val_fraction = check_fraction(val_fraction, "val_fraction")
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)
        self.sigma1: Activation = check_activation(sigma1, "sigma1")
        self.sigma2: Activation = check_activation(sigma2, "sigma2")
        self.bias_scale = check_real(bias_scale, "bias_scale", min_val=0.0, include_boundaries="neither")
        self.resample_bias = check_bool(resample_bias, "resample_bias")
        self.center_labels = check_bool(center_labels, "center_labels")
        # default: at most 2^20 elements (8 MiB in float64) per chunk × m2 block. The passes over σ2(XVᵀ)
        # are memory-bound (XVᵀ has only d columns of work per element), so a block that stays in the
        # last-level cache between the product, the activation and the sums beats larger ones: measured
        # 1.6–1.9 s vs 3.3 s for stage 1 at n = 65536, m2 = 8192 with 2^20 vs 2^23 elements
        # (benchmarks/results/three_layer_cpu_numpy.txt). Results do not depend on the chunk.
        self.chunk_arg = None if chunk is None else check_int(chunk, "chunk", min_val=1)
        self.dtype = check_dtype(dtype)
        self.d = None
        if self.m2 is not None:
            self._set_chunks()
        self._check_sizes()  # widths that cannot fit are refused here, not at the first fit

    def _check_sizes(self, d: int | None = None) -> None:
        """``MemoryRefusal`` with the estimate when the network cannot fit in memory, before any allocation.

        Stage 1 holds V (m2 × d) and a chunk × m2 feature block; stage 2 the m1 × m1 Gram matrix, its
        eigenvectors and a chunk × m1 hidden block; a, b, b⁽⁰⁾ and g are vectors. Unknown sizes (d, or m2
        before d fixes it) count as 0 until they are known.
        """
        m1, m2 = self.m1, self.m2 or 0
        stage1 = m2 * ((d or 0) + 4 + (self.chunk if m2 else 0)) + 4 * m1
        stage2 = 2 * m1 * m1 + (self.chunk2 if m2 else 0) * m1
        check_memory(8.0 * (stage1 + stage2),
                     f"ThreeLayerNetwork: V (m2 × d) = ({m2 or 'auto'}, {d or '?'}), the stage-2 Gram matrix "
                     f"(m1 × m1) = ({m1}, {m1}) and their chunk blocks")

    def _set_chunks(self) -> None:
        chunk = self.chunk_arg
        self.chunk = max(64, min(DEFAULT_CHUNK, 2**20 // self.m2)) if chunk is None else chunk
        # stage 2 works on chunk × m1 blocks whose Gram product is compute-bound: larger blocks
        self.chunk2 = max(self.chunk, min(4 * DEFAULT_CHUNK, 2**22 // self.m1)) if chunk is None else self.chunk

    # -- the estimator -----------------------------------------------------------------------------------
    def fit(self, X, y=None) -> "ThreeLayerNetwork":
        """Algorithm 1 of Nichani, Damian, Lee 2023 on ``(X, y)`` (an ``(n, d)`` array and its labels) or a
        featlearn stream: validation split (``val_fraction``), stage 1 on D1, stage 2 on D2 with η1 and λ
        chosen on validation. Returns ``self``."""
        data = fit_data(X, y)
        gen = estimator_rng(self.seed, self.rng, data)
        (d1, d2), val = validation_split(data, None, self.val_fraction, gen, parts=2)
        self.init(gen.child("init"), int(d1.d))
        self.stage1(d1)
        return self.stage2(d2, val, slopes=self.slopes, lambdas=self.lambdas)

    # -- initialisation ---------------------------------------------------------------------------------
    def init(self, rng: Generator, d: int) -> "ThreeLayerNetwork":
        """Draw V (rows on the unit sphere), symmetric a = ±1 and b; W = 0 implicitly."""
        check_generator(rng)
        d = check_int(d, "d", min_val=1)
        if self.m2_auto:  # the default inner width of the quadratic-feature setting: m2 = m2_per_d2 · d²
            self.m2 = self.m2_per_d2 * d * d
            self._set_chunks()
        self._check_sizes(d)
        self.d = d
        self.xp = rng.xp
        self.dtype_ = resolve_float_dtype(rng.xp, self.dtype, rng.device)
        xp, half = rng.xp, self.m1 // 2
        self.V_ = rng.child("V").sphere(self.m2, self.d, dtype=self.dtype_)
        a = rng.child("a").rademacher(half, dtype=self.dtype_)
        b = rng.child("b0").uniform(half, low=-self.bias_scale, high=self.bias_scale, dtype=self.dtype_)
        self.a_ = xp.reshape(xp.stack([a, -a], axis=1), (self.m1,))
        self.b0_ = xp.reshape(xp.stack([b, b], axis=1), (self.m1,))
        if self.resample_bias:
            b1 = rng.child("b1").uniform(half, low=-self.bias_scale, high=self.bias_scale, dtype=self.dtype_)
            self.b_ = xp.reshape(xp.stack([b1, b1], axis=1), (self.m1,))
        else:
            self.b_ = self.b0_
        self.g_ = None
        return self

    def _need(self, attr: str, step: str):
        if getattr(self, attr, None) is None:
            first = {"V_": "init", "g_": "stage1"}.get(attr, "stage2")
            raise ValueError(f"{step}: this ThreeLayerNetwork is not fitted yet; call {first} first")

    def _check_X(self, X, name: str = "X"):
        """``X`` as a finite (n, d) array of the network's backend and dtype (lists and ints converted)."""
        return check_array(X, name, ndim=2, xp=self.xp, dtype=self.dtype_, columns=self.d, like="the network")

    def inner(self, X):
        """σ2(V x) for each row: an (n, m2) array (for small n; training streams it)."""
        self._need("V_", "inner")
        X = self._check_X(X)
        check_memory(8.0 * int(X.shape[0]) * self.m2, f"inner: the (n, m2) = ({int(X.shape[0])}, {self.m2}) array")
        return check_finite_output(self.sigma2.fn(X @ self.V_.T))

    @property
    def f0(self) -> float:
        """Output at W = 0: (1/m1)Σ a_i σ1(b_i) — exactly 0 with symmetric pairs."""
        self._need("V_", "f0")
        return to_scalar(self.xp.sum(self.a_ * self.sigma1.fn(self.b0_))) / self.m1

    # -- stage 1 ----------------------------------------------------------------------------------------
    def stage1(self, data) -> "ThreeLayerNetwork":
        """One gradient step on W from W = 0 on D1, in closed form (streamed).

        ``data`` is ``(X, y)`` or a :class:`~featlearn.data.TargetStream`. Two streamed sums:
        Σ_j σ2(Vx_j), Σ_j y_j σ2(Vx_j) (and Σ y_j), so g = (Σ yσ2 − ȳ Σσ2)/n in one pass.
        """
        self._need("V_", "stage1")
        xp = self.xp
        form = self.sigma2.abs_form
        s_f = xp.zeros((self.m2,), dtype=self.dtype_, device=device_of(self.V_))
        s_yf = xp.zeros_like(s_f)
        s_y = xp.zeros((), dtype=self.dtype_, device=device_of(self.V_))  # on device: one host sync at the end
        s_x = s_yx = None  # Σx, Σ y x: the linear part of σ2 = αz + β|z| + γ, mapped through Vᵀ at the end
        n = 0
        for X, y in iter_xy(data, chunk=self.chunk, d=self.d, name="data", xp=self.xp, like="the network"):
            X = xp.astype(X, self.dtype_, copy=False)
            y = xp.astype(y, self.dtype_, copy=False)
            # with an abs_form only |XVᵀ| is formed (one cheap pass); otherwise σ2(XVᵀ)
            F = self.sigma2.fn(X @ self.V_.T) if form is None else xp.abs(X @ self.V_.T)
            s_f = s_f + xp.sum(F, axis=0)
            s_yf = s_yf + y @ F
            s_y = s_y + xp.sum(y)
            if form is not None:
                sx, syx = xp.sum(X, axis=0), y @ X
                s_x, s_yx = (sx, syx) if s_x is None else (s_x + sx, s_yx + syx)
            n += int(X.shape[0])
        if form is not None and n > 0:
            alpha, beta, gamma = form
            s_f = beta * s_f + alpha * (self.V_ @ s_x) + gamma * n
            s_yf = beta * s_yf + alpha * (self.V_ @ s_yx) + gamma * s_y
        s_y = to_scalar(s_y)  # inputs and labels were checked finite by the data layer
        ybar = s_y / n if self.center_labels else self.f0
        self.n1_ = n
        self.ybar1_ = ybar
        self.g_ = (s_yf - ybar * s_f) / n
        return self

    def stage1_prefixes(self, data, ns: Sequence[int]) -> list:
        """Stage-1 statistics g for every prefix D1[:n], n in ``ns``, from one streamed pass.

        Returns one m2-vector per n (sorted ascending); the largest n must not exceed the
        data. Nested prefixes make a learning curve in one pass (the curves of one seed are
        then correlated across n, as in any nested-subsample learning curve).
        """
        self._need("V_", "stage1_prefixes")
        xp = self.xp
        ns = check_sizes(ns, "ns")
        s_f = xp.zeros((self.m2,), dtype=self.dtype_, device=device_of(self.V_))
        s_yf = xp.zeros_like(s_f)
        s_y = xp.zeros((), dtype=self.dtype_, device=device_of(self.V_))  # on device: synced once per prefix
        done, out, k = 0, [], 0
        for X, y in iter_xy(data, chunk=self.chunk, d=self.d, name="data", xp=self.xp, like="the network"):
            start = 0
            m = int(X.shape[0])
            while start < m and k < len(ns):
                stop = min(m, start + ns[k] - done)
                F = self.sigma2.fn(xp.astype(X[start:stop, ...], self.dtype_, copy=False) @ self.V_.T)
                yy = xp.astype(y[start:stop], self.dtype_, copy=False)
                s_f = s_f + xp.sum(F, axis=0)
                s_yf = s_yf + yy @ F
                s_y = s_y + xp.sum(yy)
                done += stop - start
                start = stop
                while k < len(ns) and done == ns[k]:
                    ybar = to_scalar(s_y) / done if self.center_labels else self.f0
                    out.append((s_yf - ybar * s_f) / done)
                    k += 1
            if k == len(ns):
                break
        if k < len(ns):
            raise ValueError(f"ns: largest n = {ns[-1]} exceeds the {done} samples of data")
        return out

    def learned_feature(self, X):
        """φ̂(x) = gᵀσ2(Vx)/m2 for each row of X, computed chunk by chunk: shape (n,)."""
        self._need("g_", "learned_feature")
        self.xp
        X = self._check_X(X)
        return check_finite_output(self._learned_feature(X))

    def _learned_feature(self, X):
        xp = self.xp
        form = self.sigma2.abs_form
        if form is None:
            parts = [self.sigma2.fn(X[s0:s1, ...] @ self.V_.T) @ self.g_
                     for s0, s1 in chunk_bounds(int(X.shape[0]), self.chunk)]
            return xp.concat(parts) / self.m2
        # σ2 = αz + β|z| + γ: gᵀσ2(Vx) = β gᵀ|Vx| + α (Vᵀg)ᵀx + γ Σg -- the m2-wide pass is one |·|
        alpha, beta, gamma = form
        parts = [xp.abs(X[s0:s1, ...] @ self.V_.T) @ self.g_ for s0, s1 in chunk_bounds(int(X.shape[0]), self.chunk)]
        out = beta * xp.concat(parts) + gamma * xp.sum(self.g_)
        if alpha != 0.0:
            out = out + alpha * (X @ (self.g_ @ self.V_))
        return out / self.m2

    def feature_on(self, data):
        """(φ̂, y) over a data set (O(n) scalars), streamed."""
        return self._feature_on(data, "data")

    def _feature_on(self, data, name: str):
        xp = self.xp
        phis, ys = [], []
        for X, y in iter_xy(data, chunk=self.chunk, d=self.d, name=name, xp=self.xp, like="the network"):
            phis.append(self._learned_feature(xp.astype(X, self.dtype_, copy=False)))
            ys.append(xp.astype(y, self.dtype_, copy=False))
        return xp.concat(phis), xp.concat(ys)

    def first_layer(self, eta1: float):
        """W⁽¹⁾ = (2η1/m1)(a ⊙ σ1′(b⁽⁰⁾)) gᵀ, the m1×m2 first-layer weights after the step (rank one)."""
        self._need("g_", "first_layer")
        eta1 = check_real(eta1, "eta1", min_val=0.0, include_boundaries="neither")
        c = self.a_ * self.sigma1.grad(self.b0_)
        return (2.0 * eta1 / self.m1) * (c[:, None] * self.g_[None, :])

    # -- stage 2 ----------------------------------------------------------------------------------------
    def _hidden_blocks(self, phi, slope, center, scale):
        """Chunks ``(s0, s1, H)`` of the *unscaled* hidden layer H = σ1(slope·z cᵀ + b), z = (φ̂ − center)/scale.

        The pre-activation of a chunk is one (chunk × 2)(2 × m1) product [slope·z, 1][c; b], and the
        1/m1 of the hidden layer is left to the callers' m1 × m1 or m1 × L results: two passes over
        each chunk × m1 block (product, σ1) instead of four.
        """
        xp = self.xp
        c = self.a_ * self.sigma1.grad(self.b0_)
        bias = self.b_ if self.resample_bias else self.b0_
        coef = xp.stack([c, bias], axis=0)  # (2, m1)
        z = slope * (phi - center) / scale
        for s0, s1 in chunk_bounds(int(phi.shape[0]), self.chunk2):
            zc = z[s0:s1]
            yield s0, s1, self.sigma1.fn(xp.stack([zc, xp.ones_like(zc)], axis=1) @ coef)

    def _stats(self, phi, y, slope, center, scale, offset):
        """GramStats of the hidden layer σ1(slope·z cᵀ + b)/m1 against y − offset (streamed)."""
        if self.sigma1.abs_form is not None:
            return self._stats_piecewise(phi, y, slope, center, scale, offset)
        st = GramStats.zeros(self.m1, xp=self.xp, dtype=self.dtype_, device=device_of(self.V_))
        for s0, s1, H in self._hidden_blocks(phi, slope, center, scale):
            st.add(H, y[s0:s1] - offset)
        m1 = float(self.m1)
        st.FtF, st.Fty = st.FtF / (m1 * m1), st.Fty / m1
        return st

    def _stats_piecewise(self, phi, y, slope, center, scale, offset):
        """The same statistics in O(n log n + m1³) instead of O(n·m1²), for σ1 = αu + β|u| + γ.

        Every hidden unit sees the same scalar z of a sample: h_j(z) = σ1(z c_j + b_j) is linear in z
        between the breakpoints t_j = −b_j/c_j. On the k-th of the K <= m1 + 1 segments h(z) = z A_k + B_k,
        so HᵀH = Aᵀdiag(S2)A + Aᵀdiag(S1)B + Bᵀdiag(S1)A + Bᵀdiag(S0)B and Hᵀr = AᵀT1 + BᵀT0, with the
        segment sums S_p = Σ z^p, T_p = Σ z^p r (r = y − offset) from sorted prefix sums, streamed by chunk.
        Equal to the dense Gram product up to rounding (tested); memory O(K·m1).
        """
        xp = self.xp
        alpha, beta, gamma = self.sigma1.abs_form
        c = self.a_ * self.sigma1.grad(self.b0_)
        bias = self.b_ if self.resample_bias else self.b0_
        nz = c != 0
        # breakpoints of the units whose argument depends on z (c_j = 0: a constant unit, one sign throughout)
        t = xp.sort(-bias[nz] / c[nz]) if bool(xp.any(nz)) else xp.zeros((0,), dtype=c.dtype, device=device_of(c))
        K = int(t.shape[0]) + 1
        # a point inside each segment (zero-width segments get no samples, their sign does not matter)
        if K == 1:
            mid = xp.zeros((1,), dtype=c.dtype, device=device_of(c))
        else:
            one = xp.ones((1,), dtype=c.dtype, device=device_of(c))
            mid = xp.concat([t[:1] - one, 0.5 * (t[1:] + t[:-1]), t[-1:] + one])
        slope_k = alpha + beta * xp.sign(mid[:, None] * c[None, :] + bias[None, :])  # (K, m1): dσ1/du on segment k
        A, B = slope_k * c[None, :], slope_k * bias[None, :] + gamma
        # the sums and the m1 × m1 products in the ridge dtype (float64), as GramStats.add does
        acc = ridge_dtype(xp, device_of(c))
        A, B = promote(A, acc), promote(B, acc)
        z = slope * (phi - center) / scale
        r = y - offset
        sums = None  # (5, K): S0, S1, S2, T0, T1
        for s0, s1 in chunk_bounds(int(z.shape[0]), self.chunk2):
            order = xp.argsort(z[s0:s1])
            zs, rs = xp.take(z[s0:s1], order), xp.take(r[s0:s1], order)
            za, ra = promote(zs, acc), promote(rs, acc)
            cols = xp.stack([xp.ones_like(za), za, za * za, ra, za * ra], axis=0)  # (5, m)
            zero = xp.zeros((5, 1), dtype=cols.dtype, device=device_of(cols))
            pre = xp.concat([zero, xp.cumulative_sum(cols, axis=1)], axis=1)  # prefix sums, (5, m + 1)
            edges = xp.concat([xp.zeros((1,), dtype=xp.int64, device=device_of(cols)),
                               xp.astype(xp.searchsorted(zs, t), xp.int64),
                               xp.full((1,), int(zs.shape[0]), dtype=xp.int64, device=device_of(cols))])
            at = xp.take(pre, edges, axis=1)  # (5, K + 1)
            part = at[:, 1:] - at[:, :-1]
            sums = part if sums is None else sums + part
        S0, S1, S2, T0, T1 = (sums[i, :] for i in range(5))
        FtF = (A.T @ (S2[:, None] * A) + A.T @ (S1[:, None] * B) + B.T @ (S1[:, None] * A)
               + B.T @ (S0[:, None] * B))
        Fty = A.T @ T1 + B.T @ T0
        m1 = float(self.m1)
        ra = promote(r, acc)
        return GramStats(FtF / (m1 * m1), Fty / m1, xp.sum(ra * ra), int(z.shape[0]), self.dtype_)

    def _val_errors(self, phi, y, slope, center, scale, offset, A):
        """Mean squared error of each column of the outer weights ``A`` (m1 × L) on (φ̂, y), by streaming
        H·A: O(n·m1·L) instead of a validation Gram matrix's O(n·m1²)."""
        xp = self.xp
        A = A / float(self.m1)  # the hidden layer's 1/m1
        sse = None
        for s0, s1, H in self._hidden_blocks(phi, slope, center, scale):
            e = (y[s0:s1] - offset)[:, None] - H @ A
            t = xp.sum(e * e, axis=0)
            sse = t if sse is None else sse + t
        err = sse / int(phi.shape[0])
        if not all_finite(err):  # explicit: a NaN error must never win a λ selection
            raise ValueError("val: the validation errors are not finite (the data contain NaN or inf)")
        return err

    def stage2(self, train, val, *, slopes: Sequence[float] = DEFAULT_SLOPES,
               lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS, solver: str = "ridge",
               gd_steps: int = 1000) -> "ThreeLayerNetwork":
        """Fit a over D2 for every (slope, λ); keep the pair with the smallest validation MSE.

        ``solver="ridge"`` (default) solves the weight-decayed least squares in closed form;
        ``solver="gd"`` runs ``gd_steps`` steps of gradient descent with weight decay from
        a = 0, as NDL23's Algorithm 1 states its stage 2 (docs/papers/ndl23.md §4.1, [reconstructed]); both use the
        streamed statistics of D2 (:meth:`featlearn.models.ridge.RidgePath.gradient_descent`).
        ``train`` and ``val`` are ``(X, y)`` pairs or :class:`~featlearn.data.TargetStream` objects. The
        output offset ȳ₂ (mean of the D2 labels) is our addition: the network itself has no
        output bias; it makes the ridge penalty act on the centred problem.
        """
        check_choice(solver, "solver", ("ridge", "gd"))
        gd_steps = check_int(gd_steps, "gd_steps", min_val=1)
        self._need("g_", "stage2")
        xp = self.xp
        phi2, y2 = self._feature_on(train, "train")
        phiv, yv = self._feature_on(val, "val")
        self.center_ = to_scalar(xp.mean(phi2))
        sd = to_scalar(xp.std(phi2))
        self.scale_ = sd if sd > 0 else 1.0
        self.offset_ = to_scalar(xp.mean(y2))
        if not math.isfinite(self.offset_):
            raise ValueError("train: expected finite labels in the stage-2 data, got NaN or inf")
        if not (math.isfinite(self.center_) and math.isfinite(sd)):
            raise ValueError("train: expected finite inputs in the stage-2 data, got NaN or inf")
        slopes = check_grid(slopes, "slopes", min_val=0.0, include_boundaries="neither")
        lambdas = check_lambdas(lambdas)
        best = None
        self.grid_ = []
        for s in slopes:
            s = check_real(s, "slopes", min_val=0.0, include_boundaries="neither")
            tr = self._stats(phi2, y2, s, self.center_, self.scale_, self.offset_)
            path = RidgePath(tr)
            rel = to_scalar(xp.sum(path.evals)) / self.m1
            lam_abs = [float(l) * (rel if rel > 0 else 1.0) for l in lambdas]
            if solver == "ridge":
                errs = self._val_errors(phiv, yv, s, self.center_, self.scale_, self.offset_,
                                        path.coefs(lam_abs))
                lam = lam_abs[select_lambda(lam_abs, _host_floats(errs), path.lambda_floor())]
                coef = None
            else:
                A = path.gradient_descent(lam_abs, steps=gd_steps)
                errs = self._val_errors(phiv, yv, s, self.center_, self.scale_, self.offset_, A)
                j = int(to_host(xp.argmin(errs)))
                lam, coef = lam_abs[j], A[:, j]
            err = float(to_host(errs)[lam_abs.index(lam)])  # the error of the λ selected for this slope
            self.grid_.append((s, lam, err))
            if best is None or err < best[2]:
                best = (s, lam, err, path, coef)
        s, lam, err, path, coef = best
        self.slope_, self.lam_, self.val_mse_ = s, lam, err
        # η̄ = s / sd(φ̂) and η̄ = 2 η1 m2 / m1
        self.eta1_ = s / self.scale_ * self.m1 / (2.0 * self.m2)
        self.coef_ = path.coef(lam) if coef is None else coef
        return self

    def predict(self, X):
        """f(x) for each row of X (after stage 2)."""
        self._need("g_", "predict")
        if getattr(self, "coef_", None) is None:
            raise ValueError("predict: this ThreeLayerNetwork is not fitted yet; call stage2 first")
        phi = self.learned_feature(X)
        xp = self.xp
        coef = self.coef_ / float(self.m1)  # the hidden layer's 1/m1 (the blocks are unscaled)
        out = [H @ coef for _, _, H in self._hidden_blocks(phi, self.slope_, self.center_, self.scale_)]
        return check_finite_output(xp.concat(out) + self.offset_)

    def mse(self, data) -> float:
        """Mean squared error on a data set (streamed)."""
        self._need("g_", "mse")
        if getattr(self, "coef_", None) is None:
            raise ValueError("mse: this ThreeLayerNetwork is not fitted yet; call stage2 first")
        return streamed_mse(self.predict, data, chunk=self.chunk, d=self.d).mean


def _host_floats(a) -> list[float]:
    return [float(v) for v in to_host(a).reshape(-1).tolist()]


# -- the protocol ----------------------------------------------------------------------------------------
@dataclass
class LayerwiseResult:
    """One run of Algorithm 1 with validation grid search (NDL23 §5 protocol, [stated])."""

    n: int
    d: int
    m1: int
    m2: int
    test_mse: float
    test_nmse: float          # test MSE / Var(f*) on the test set
    corr: float | None        # |corr(φ̂, h*)| on the test set (hierarchical targets)
    eta1: float
    slope: float
    lam: float
    val_mse: float
    seconds: float = 0.0
    details: dict = field(default_factory=dict)


def feature_learning_curve(target, rng: Generator, ns: Sequence[int], *, m2: int, sigma2="relu",
                           n_test: int = 2**12, noise_std: float = 0.0, chunk: int | None = None,
                           dtype=None) -> list[float]:
    """``|corr(φ̂_n, h*)|`` on one test set for every n in ``ns`` (sorted), from nested prefixes of one D1.

    Stage 1 only (the correlation does not depend on m1, σ1 or the biases). Streams:
    ``rng.child("D1")``, ``"test"``, ``"init"`` as in :func:`run_layerwise`.
    """
    if not getattr(target, "hierarchical", False):
        raise ValueError("target: expected a hierarchical target (f* = g*∘h*) to correlate the feature with h*")
    check_generator(rng)
    ns = check_sizes(ns, "ns")
    check_activation(sigma2, "sigma2")
    n_test = check_int(n_test, "n_test", min_val=1)
    check_memory(8.0 * n_test * (int(target.d) + 2), f"feature_learning_curve: the test set of n_test = {n_test} "
                 f"samples in d = {int(target.d)}")
    net = ThreeLayerNetwork(2, m2, sigma2=sigma2, chunk=chunk, dtype=dtype).init(rng.child("init"), int(target.d))
    gs = net.stage1_prefixes(TargetStream(target, ns[-1], rng.child("D1"), noise_std=noise_std, dtype=dtype), ns)
    Xt, _ = target.sample(rng.child("test"), check_int(n_test, "n_test", min_val=1), dtype=dtype)
    xp = net.xp
    h = xp.astype(target.feature(Xt), net.dtype_, copy=False)
    Gm = xp.stack(gs, axis=1)  # (m2, K)
    Phi = xp.concat([net.sigma2(xp.astype(Xt[s0:s1, ...], net.dtype_, copy=False) @ net.V_.T) @ Gm
                     for s0, s1 in chunk_bounds(int(Xt.shape[0]), net.chunk)], axis=0)
    return [learned_feature_correlation(Phi[:, k], h) for k in range(len(ns))]


def run_layerwise(target, rng: Generator, *, n: int, m1: int, m2: int, n_val: int = 2**12,
                  n_test: int = 2**12, noise_std: float = 0.0, sigma1="relu", sigma2="relu",
                  slopes: Sequence[float] = DEFAULT_SLOPES, lambdas: Sequence[float] = DEFAULT_RELATIVE_LAMBDAS,
                  stage2: bool = True, stage2_solver: str = "ridge", gd_steps: int = 1000,
                  chunk: int | None = None, dtype=None, **net_kw) -> LayerwiseResult:
    """Draw D1, D2 (n samples each), validation and test sets, and run Algorithm 1.

    Streams: ``rng.child("D1")``, ``"D2"``, ``"val"``, ``"test"`` (data) and ``"init"``
    (network); the same ``rng`` gives the same result. With ``stage2=False`` only stage 1
    runs (the correlation is reported; losses are NaN). ``stage2_solver="gd"`` fits the second
    layer by ``gd_steps`` of gradient descent with weight decay instead of closed-form ridge.
    """
    import time

    t0 = time.perf_counter()
    check_generator(rng)
    if not (hasattr(target, "d") and callable(getattr(target, "sample_block", None))):
        raise TypeError(f"target: expected a featlearn target (with .d and .sample_block), got {type(target).__name__}")
    n = check_int(n, "n", min_val=1)
    check_activation(sigma1, "sigma1")
    check_activation(sigma2, "sigma2")
    check_bool(stage2, "stage2")
    check_choice(stage2_solver, "stage2_solver", ("ridge", "gd"))
    gd_steps = check_int(gd_steps, "gd_steps", min_val=1)
    d = int(target.d)
    n_test = check_int(n_test, "n_test", min_val=1)
    n_val = check_int(n_val, "n_val", min_val=1)
    check_memory(8.0 * n_test * (d + 3), f"run_layerwise: the test set of n_test = {n_test} samples in d = {d}")
    if stage2:
        slopes = check_grid(slopes, "slopes", min_val=0.0, include_boundaries="neither")
        lambdas = check_lambdas(lambdas)
        check_memory(8.0 * n_val * (d + 3), f"run_layerwise: the validation set of n_val = {n_val} samples in d = {d}")
        # stage 2 holds the learned feature φ̂ and the label of each of the n samples of D2
        check_memory(8.0 * 2 * n, f"run_layerwise: stage 2's φ̂ and y over the n = {n} samples of D2")
    net = ThreeLayerNetwork(m1, m2, sigma1=sigma1, sigma2=sigma2, chunk=chunk, dtype=dtype, **net_kw)
    net.init(rng.child("init"), d)
    net.stage1(TargetStream(target, n, rng.child("D1"), noise_std=noise_std, dtype=dtype))
    Xt, yt = target.sample(rng.child("test"), check_int(n_test, "n_test", min_val=1), dtype=dtype)
    xp = net.xp
    corr = None
    if getattr(target, "hierarchical", False):
        corr = learned_feature_correlation(net.learned_feature(Xt), xp.astype(target.feature(Xt), net.dtype_, copy=False))
    if not stage2:
        return LayerwiseResult(n, d, m1, m2, math.nan, math.nan, corr, math.nan, math.nan, math.nan, math.nan,
                               time.perf_counter() - t0)
    net.stage2(TargetStream(target, n, rng.child("D2"), noise_std=noise_std, dtype=dtype),
               target.sample(rng.child("val"), check_int(n_val, "n_val", min_val=1), noise_std=noise_std, dtype=dtype),
               slopes=slopes, lambdas=lambdas, solver=stage2_solver, gd_steps=gd_steps)
    ft = xp.astype(target(Xt), net.dtype_, copy=False)
    mse = net.mse((Xt, ft))
    var = to_scalar(xp.var(ft))
    if not var > 0:
        raise ValueError(f"target: Var f* = {var} on the test set, so the normalised test MSE is undefined "
                         "(a constant target)")
    return LayerwiseResult(n, d, m1, m2, mse, mse / var, corr, net.eta1_, net.slope_, net.lam_, net.val_mse_,
                           time.perf_counter() - t0, {"grid": net.grid_})
