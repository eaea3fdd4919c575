"""One large gradient step on the first layer, then ridge on the second (MLHD23, BA22, DLS22).

The training core of Moniri–Lee–Hassani–Dobriban 2023 (MLHD23) and Ba et al. 2022 (BA22),
as described in ``docs/papers/mlhd23.md`` §2.2, with the
Damian–Lee–Soltanolkotabi 2022 reference algorithm (DLS22) as a third parametrisation:

1. ``G = (1/n) Xᵀ[(r aᵀ) ⊙ σ'(XW₀)]`` -- the negative gradient of ``(1/2n)‖y − f(X)‖²`` in W
   (closed form, the second layer frozen), accumulated chunk by chunk;
2. ``W = W₀ + ηG`` (see :mod:`featlearn.models.two_layer` for the BA22 and DLS22 rules);
3. ridge regression of fresh labels on the features ``σ(X̃W)`` for a whole λ grid from one
   eigendecomposition (:class:`featlearn.models.ridge.RidgePath`), λ chosen on a validation set.

Data come from the one data layer, :mod:`featlearn.data`: a :class:`~featlearn.data.TargetStream`
(drawn block by block from a target, replayable, independent of the chunk size) or arrays
(an ``(X, y)`` tuple or :class:`~featlearn.data.ArrayStream`). Every pass is chunked by
``chunk`` rows; results do not depend on it. Memory is ``O(chunk·(d + N) + d·N + N²)``
whatever n is.

The residual convention (``residual=``) is explicit; see :func:`one_step_gradient`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping, Sequence

from featlearn.backends import (Generator, array_namespace, device_of, get_namespace, resolve_float_dtype, to_host,
                                to_scalar)
from featlearn.data import DEFAULT_CHUNK, Batch, Stream, TargetStream, accumulate, as_stream, iter_batches
from featlearn.models.estimator import Estimator, estimator_rng, fit_data
from featlearn.models.ridge import (DEFAULT_LAMBDAS, GramStats, RidgePath, check_lambdas, promote, ridge_dtype,
                                    select_lambda)
from featlearn.models.two_layer import TwoLayerNetwork, check_networks_backend, get_parametrization, init_network
from featlearn.theory.activations import as_activation
from featlearn.theory.one_step import check_alpha, step_size
from featlearn.validation import (check_array, check_bool, check_choice, check_finite_output, check_fitted, check_generator,
                                  check_grid, check_int, check_memory, check_real, check_seed)

__all__ = [
    "DEFAULT_LAMBDAS",
    "RESIDUALS",
    "LabelCentering",
    "OneStepNetwork",
    "SecondLayerFit",
    "StepGradient",
    "alpha_sweep",
    "apply_step",
    "check_gram_memory",
    "estimate_centering",
    "evaluate",
    "feature_stats",
    "fit_second_layer",
    "one_step_gradient",
    "validation_errors",
]

#: Residual conventions of the gradient step (docs/papers/mlhd23.md §2.3).
RESIDUALS = ("y", "y-f0")



# -- label centring (DLS22) --------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelCentering:
    """``y ↦ y − c₀ − xᵀc₁``: remove the labels' empirical constant and linear part (DLS22).

    ``c₀ = mean(y)`` and ``c₁ = (1/n)Σ yᵢxᵢ`` (the first Hermite projection for Gaussian x),
    estimated on the step data and applied to every data set, as in the DLS22 reference code.
    """

    offset: Any
    linear: Any

    def apply(self, X, y):
        xp = array_namespace(self.linear)
        X = check_array(X, "X", ndim=2, xp=xp, columns=int(self.linear.shape[0]))
        y = check_array(y, "y", ndim=1, xp=xp, rows=int(X.shape[0]))
        return y - self.offset - X @ self.linear


def _check_centering(centering) -> None:
    if centering is not None and not isinstance(centering, LabelCentering):
        raise TypeError(f"centering: expected a LabelCentering or None, got {type(centering).__name__}")


def _check_network(net, name: str = "net") -> None:
    if not isinstance(net, TwoLayerNetwork):
        raise TypeError(f"{name}: expected a TwoLayerNetwork, got {type(net).__name__}")


def _check_nets(nets, name: str = "nets") -> list:
    """``nets`` as a non-empty list of networks (``TypeError`` naming ``name`` otherwise)."""
    if isinstance(nets, TwoLayerNetwork):
        return [nets]
    if isinstance(nets, (str, bytes)) or not isinstance(nets, Iterable):
        raise TypeError(f"{name}: expected a TwoLayerNetwork or a non-empty sequence of them, "
                        f"got {type(nets).__name__}")
    nets = list(nets)
    if not nets or not all(isinstance(net, TwoLayerNetwork) for net in nets):
        raise TypeError(f"{name}: expected a TwoLayerNetwork or a non-empty sequence of them")
    return nets


def estimate_centering(data, *, d: int | None = None, chunk: int = DEFAULT_CHUNK) -> LabelCentering:
    """Estimate :class:`LabelCentering` from a stream, in one streamed pass."""
    source = as_stream(data, name="data")
    d = int(source.d) if d is None else check_int(d, "d", min_val=1)
    chunk = check_int(chunk, "chunk", min_val=1)
    s0 = s1 = None
    n = 0
    for b in iter_batches(source, chunk=chunk, d=d, name="data"):
        xp = array_namespace(b.X)
        t0, t1 = xp.sum(b.y), b.X.T @ b.y
        s0, s1 = (t0, t1) if s0 is None else (s0 + t0, s1 + t1)
        n += int(b.X.shape[0])
    return LabelCentering(s0 / n, s1 / n)


def _labels(batch, centering: LabelCentering | None):
    y, clean = batch.y, batch.clean
    if centering is not None:
        y = centering.apply(batch.X, y)
        clean = None if clean is None else centering.apply(batch.X, clean)
    return y, clean


# -- the gradient step --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StepGradient:
    """The frozen-second-layer gradient of one step.

    Attributes
    ----------
    G : array, shape (d, N)
        Descent direction ``−∇_W L(W₀) = (s/n) Xᵀ[(r aᵀ) ⊙ σ'(XW₀ + c)]``.
    direction : array, shape (d,)
        ``b = (1/n) Xᵀ r``: the input-space direction of the rank-one spike of G
        (``G ≈ μ₁ b aᵀ``, docs/papers/mlhd23.md §4.2 step 1; MLHD23's β is proportional to it -- our reading).
    n : int
        Number of samples of the step.
    residual : str
        The residual convention used.
    """

    G: Any
    direction: Any
    n: int
    residual: str


def one_step_gradient(net: TwoLayerNetwork, data, *, residual: str = "y",
                      centering: LabelCentering | None = None, chunk: int = DEFAULT_CHUNK) -> StepGradient:
    """Closed-form gradient of ``L(W) = (1/2n)‖y − f(X)‖²`` at the network's W, streamed over chunks.

    Parameters
    ----------
    net : TwoLayerNetwork
        The network at initialisation (second layer frozen).
    data : stream or (X, y)
        Step data (:mod:`featlearn.data`).
    residual : {"y", "y-f0"}
        ``"y-f0"`` uses ``r = y − f₀(X)``: the exact gradient. ``"y"`` uses ``r = y``: the
        gradient with the network's initial output dropped. **Default "y"**, because that is
        the regime the papers analyse: in BA22's mean-field parametrisation f₀ = O(N^{−1/2}) is
        negligible, and in MLHD23's parametrisation an O(1) f₀ would add the random direction
        ``μ₁W₀a`` to the spike direction b (docs/papers/mlhd23.md §2.3: cos∠(b, β*) drops from 0.88 to 0.51 and
        the errors then *increase* with α, the opposite of the paper's figures). With a
        symmetric initialisation (f₀ ≡ 0) both conventions coincide.
    centering : LabelCentering, optional
        Label transform applied first (DLS22).
    chunk : int
        Samples per pass chunk (memory only; the result does not depend on it).

    Returns
    -------
    StepGradient
    """
    _check_network(net, "net")
    check_choice(residual, "residual", RESIDUALS)
    _check_centering(centering)
    chunk = check_int(chunk, "chunk", min_val=1)
    G = b = None
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=net.d, name="data", xp=net.xp, like="net"):
        y, _ = _labels(batch, centering)
        r = y - net(batch.X) if residual == "y-f0" else y
        g, u = net.weight_gradient_sum(batch.X, r), batch.X.T @ r
        G, b = accumulate(G, g), accumulate(b, u)
        n += int(batch.X.shape[0])
    return StepGradient(G / n, b / n, n, residual)


def apply_step(net: TwoLayerNetwork, grad: StepGradient, eta: float) -> TwoLayerNetwork:
    """The network after one step of size ``eta`` in its parametrisation's rule.

    ``"moniri"``: ``W₀ + ηG``; ``"ba"``: ``W₀ + η√N·G``; ``"dls22"``: ``η·G/rms_j‖G_j‖``
    (the normalised step of the DLS22 reference code, which discards W₀).

    ``eta = 0`` means *no step* in every parametrisation: the network is returned unchanged (W₀,
    the random-features baseline). For ``"dls22"`` this is deliberate: its normalised rule would
    otherwise turn η = 0 into W = 0, a degenerate network, not a baseline.
    """
    _check_network(net, "net")
    if not isinstance(grad, StepGradient):
        raise TypeError(f"grad: expected a StepGradient (one_step_gradient's result), got {type(grad).__name__}")
    eta = check_real(eta, "eta", min_val=0.0)
    if tuple(grad.G.shape) != tuple(net.W.shape):
        raise ValueError(f"grad: gradient of shape {tuple(grad.G.shape)} does not match W {tuple(net.W.shape)}")
    if eta == 0.0:
        return net
    p = net.parametrization
    if p.normalized_step:
        xp = net.xp
        rms = to_scalar(xp.sqrt(xp.mean(xp.sum(grad.G * grad.G, axis=0))))
        if not rms > 0:
            raise ValueError("grad: the gradient is zero; the normalised step is undefined")
        return net.with_weights(eta / rms * grad.G)
    return net.with_weights(net.W + (eta * p.step_multiplier(net.width)) * grad.G)


# -- the second layer ---------------------------------------------------------------------------------------
def feature_stats(nets: TwoLayerNetwork | Sequence[TwoLayerNetwork], data, *,
                  centering: LabelCentering | None = None,
                  chunk: int = DEFAULT_CHUNK) -> list[tuple[GramStats, GramStats | None]]:
    """Streamed ridge statistics of the features of each network on one pass over ``data``.

    For each network: ``GramStats`` of the scaled features ``s·σ(XW + c)`` against the labels,
    and (when the source has noiseless labels) ``GramStats`` against the noiseless labels,
    sharing the same ``FᵀF``. Memory ``O(chunk·N + N²)`` per network.
    """
    nets = _check_nets(nets)
    check_networks_backend(nets)
    _check_centering(centering)
    chunk = check_int(chunk, "chunk", min_val=1)
    check_gram_memory(max(net.width for net in nets), len(nets), chunk)
    acc: list[list] = [[None, None, None, None, None] for _ in nets]  # FtF, Fty, yty, Ftc, ctc
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=nets[0].d, name="data", xp=nets[0].xp, like="nets"):
        xp = array_namespace(batch.X)
        y, clean = _labels(batch, centering)
        for slot, net in zip(acc, nets):
            F = net._raw_features(batch.X)  # the output scale s is applied to the N × N sums below, not here
            # the sums in the ridge dtype (float64) from working-dtype features (featlearn.models.ridge)
            acc_dtype = ridge_dtype(xp, device_of(F))
            F, y = promote(F, acc_dtype), promote(y, acc_dtype)
            clean = None if clean is None else promote(clean, acc_dtype)
            terms = [F.T @ F, F.T @ y, xp.sum(y * y)]
            if clean is not None:
                terms += [F.T @ clean, xp.sum(clean * clean)]
            for j, t in enumerate(terms):
                slot[j] = accumulate(slot[j], t)
        n += int(batch.X.shape[0])
    out = []
    for (FtF, Fty, yty, Ftc, ctc), net in zip(acc, nets):
        sc = float(net.output_scale)
        if sc != 1.0:  # statistics of the scaled features s·F: one pass over N × N instead of over every chunk
            FtF, Fty = (sc * sc) * FtF, sc * Fty
            Ftc = None if Ftc is None else sc * Ftc
        main = GramStats(FtF, Fty, yty, n, net.dtype)
        out.append((main, None if Ftc is None else GramStats(FtF, Ftc, ctc, n, net.dtype)))
    return out


def check_gram_memory(width: int, count: int, chunk: int) -> None:
    """``MemoryRefusal`` unless ``count`` Gram matrices (N × N) and a chunk × N block fit in memory."""
    width = check_int(width, "width", min_val=1)
    count = check_int(count, "count", min_val=1)
    chunk = check_int(chunk, "chunk", min_val=1)
    check_memory(8.0 * count * width * (width + 2 + chunk),
                 f"{count} Gram matrices (N × N) and chunk × N blocks with N = {width}, chunk = {chunk} "
                 f"(width = {width}, count = {count})")




@dataclass
class SecondLayerFit:
    """Ridge second layer for a λ grid.

    Attributes
    ----------
    path : RidgePath
    lambdas : tuple of float
    lam : float
        The λ chosen on the validation set (the only λ if the grid has one value).
    coef : array, shape (N,)
    train_errors : list of float
        ``(1/ñ)‖ỹ − Fâ(λ)‖²`` for each λ (noisy labels).
    train_excess : list of float or None
        The same against the noiseless labels.
    val_errors : list of float or None
    """

    path: RidgePath
    lambdas: tuple
    lam: float
    coef: Any
    train_errors: list
    train_excess: list | None
    val_errors: list | None


def _host_list(a) -> list[float]:
    return [float(v) for v in to_host(a).reshape(-1)]


def fit_second_layer(stats: tuple[GramStats, GramStats | None], lambdas,
                     val: tuple[GramStats, GramStats | None] | None = None, *,
                     val_errors: Sequence[float] | None = None, path: RidgePath | None = None) -> SecondLayerFit:
    """Ridge on accumulated statistics for every λ, λ chosen on validation.

    Objective ``(1/n)‖y − F a‖² + λ‖a‖²`` (features scaled by the network's output scale). The
    validation errors of the grid come either from validation statistics ``val`` (a Gram matrix:
    ``O(n_val·N²)``) or, cheaper, from ``val_errors`` measured by streaming ``F_val·C`` for the
    coefficient matrix ``C`` of the whole grid (:func:`validation_errors`: ``O(n_val·N·L)``). λ is
    chosen among the grid values at or above the ridge system's conditioning floor
    (:meth:`~featlearn.models.ridge.RidgePath.lambda_floor`); errors are reported for every λ.
    ``path`` reuses the eigendecomposition of ``stats`` when the caller already has it.
    """
    lam = check_lambdas(lambdas)
    train, train_clean = _check_stats_pair(stats, "stats")
    if val is not None:
        _check_stats_pair(val, "val")
    if path is not None and not isinstance(path, RidgePath):
        raise TypeError(f"path: expected a RidgePath or None, got {type(path).__name__}")
    if val_errors is not None:
        val_errors = check_grid(val_errors, "val_errors", min_val=0.0)
    path = RidgePath(train) if path is None else path
    tr = _host_list(path.errors(train, lam))
    tr_clean = None if train_clean is None else _host_list(path.errors(train_clean, lam))
    if val is not None and val_errors is not None:
        raise ValueError("val_errors: give validation statistics (val) or measured validation errors, not both")
    if val is None and val_errors is None:
        if len(lam) > 1:
            raise ValueError("val_data: a validation set is needed to choose λ from a grid of more than one value")
        best, val_err = lam[0], None
    else:
        if val_errors is not None:
            val_err = [float(v) for v in val_errors]
            if len(val_err) != len(lam):
                raise ValueError(f"val_errors: expected one error per λ ({len(lam)}), got {len(val_err)}")
        else:
            val_err = _host_list(path.errors(val[0], lam))
        # the validation argmin among the well-conditioned λ (RidgePath.lambda_floor), as RidgePath.select
        best = lam[select_lambda(lam, val_err, path.lambda_floor())]
    return SecondLayerFit(path, lam, best, path.coef(best), tr, tr_clean, val_err)


def _check_stats_pair(stats, name: str):
    """``(GramStats, GramStats or None)``, else a ``TypeError`` naming ``name``."""
    if not (isinstance(stats, tuple) and len(stats) == 2 and isinstance(stats[0], GramStats)
            and (stats[1] is None or isinstance(stats[1], GramStats))):
        raise TypeError(f"{name}: expected a pair (GramStats, GramStats or None) as feature_stats returns, "
                        f"got {type(stats).__name__}")
    return stats


def validation_errors(nets: TwoLayerNetwork | Sequence[TwoLayerNetwork], paths, lambdas, data, *,
                      centering: LabelCentering | None = None, chunk: int = DEFAULT_CHUNK) -> list[list[float]]:
    """Validation errors of every λ of the grid, per network, by streaming ``F_val·C`` (no validation Gram).

    ``C`` (N × L) holds the ridge coefficients of the whole grid from each network's training
    :class:`~featlearn.models.ridge.RidgePath` (``paths``: one per network). Cost ``O(n_val·N·L)``
    instead of the ``O(n_val·N²)`` of validation Gram statistics: the cheaper one whenever L < N.
    """
    single = isinstance(nets, TwoLayerNetwork)
    nets = _check_nets(nets)
    _check_centering(centering)
    if not single and (isinstance(paths, (str, bytes)) or not isinstance(paths, Iterable)):
        raise TypeError(f"paths: expected one RidgePath per network, got {type(paths).__name__}")
    paths = [paths] if single else list(paths)
    if len(paths) != len(nets) or not all(isinstance(p, RidgePath) for p in paths):
        raise TypeError("paths: expected one RidgePath per network")
    lam = check_lambdas(lambdas)
    coefs = [p.coefs(lam) for p in paths]
    res = evaluate(nets, coefs, data, centering=centering, chunk=chunk)
    out = [r["error"] for r in res]
    return out[0] if single else out


def evaluate(nets: TwoLayerNetwork | Sequence[TwoLayerNetwork], coefs, data, *,
             centering: LabelCentering | None = None, chunk: int = DEFAULT_CHUNK) -> list[dict[str, list[float]]]:
    """Test errors of ``s·aᵀσ(Wᵀx + c)`` for each network and each column of its coefficients.

    ``coefs`` holds, per network, an ``(N,)`` or ``(N, L)`` array. Streams ``F @ A`` (never a
    Gram matrix). Returns per network ``{"error": [...], "excess": [...] or None}``: mean
    squared error against the (noisy) labels and against the noiseless labels (the excess
    risk ``E(f* − f̂)²``, "without the noise level"), and their Monte-Carlo standard errors
    ``"error_se"``, ``"excess_se"`` (``sd/√n`` of the per-sample squared errors).
    """
    single = isinstance(nets, TwoLayerNetwork)
    nets = _check_nets(nets)
    _check_centering(centering)
    chunk = check_int(chunk, "chunk", min_val=1)
    if not single and (isinstance(coefs, (str, bytes)) or not isinstance(coefs, Iterable)):
        raise TypeError(f"coefs: expected one coefficient array per network, got {type(coefs).__name__}")
    coefs = [coefs] if single else list(coefs)
    if len(coefs) != len(nets):
        raise ValueError(f"coefs: expected one coefficient array per network ({len(nets)}), got {len(coefs)}")
    check_networks_backend(nets)
    coefs = [check_array(c, f"coefs[{i}]", ndim=(1, 2), xp=net.xp, like=f"nets[{i}]", rows=net.width, min_rows=0,
                         finite=False)
             for i, (net, c) in enumerate(zip(nets, coefs))]
    # s·σ(XW + c)·A = σ(XW + c)·(s·A): the output scale goes on the N × L coefficients
    mats = [float(net.output_scale) * (c[:, None] if c.ndim == 1 else c) for net, c in zip(nets, coefs)]
    sums: list[list] = [[None] * 4 for _ in nets]  # Σe², Σe⁴ (noisy labels), then the same for clean labels
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=nets[0].d, name="data", xp=nets[0].xp, like="nets"):
        xp = array_namespace(batch.X)
        y, clean = _labels(batch, centering)
        for slot, net, A in zip(sums, nets, mats):
            P = net._raw_features(batch.X) @ A
            sq = [(y[:, None] - P) ** 2] + ([] if clean is None else [(clean[:, None] - P) ** 2])
            terms = [t for e in sq for t in (xp.sum(e, axis=0), xp.sum(e * e, axis=0))]
            for j, t in enumerate(terms):
                slot[j] = accumulate(slot[j], t)
        n += int(batch.X.shape[0])

    def mean_se(s1, s2):
        m = _host_list(s1 / n)
        var = [max(q - v * v, 0.0) for q, v in zip(_host_list(s2 / n), m)]
        return m, [math.sqrt(v / n) for v in var]

    out = []
    for s1, s2, c1, c2 in sums:
        err, err_se = mean_se(s1, s2)
        exc, exc_se = (None, None) if c1 is None else mean_se(c1, c2)
        out.append({"error": err, "error_se": err_se, "excess": exc, "excess_se": exc_se})
    return out


# -- the estimator --------------------------------------------------------------------------------------------
class _RowSlice(Stream):
    """Rows ``[start, stop)`` of a stream, block by block (nothing is materialised): a sample split."""

    def __init__(self, source: Stream, start: int, stop: int):
        self.source, self.start, self.stop = source, int(start), int(stop)
        self.n, self.d = self.stop - self.start, int(source.d)

    def __iter__(self):
        pos = 0
        for b in self.source:
            m = int(b.X.shape[0])
            lo, hi = max(self.start - pos, 0), min(self.stop - pos, m)
            if lo < hi:
                yield Batch(b.X[lo:hi, ...], b.y[lo:hi], None if b.clean is None else b.clean[lo:hi])
            pos += m
            if pos >= self.stop:
                break

    def namespace(self):
        return self.source.namespace()


#: Defaults of :class:`OneStepNetwork` from MLHD23's error protocol (``featlearn.papers.mlhd23.Setting``, quick
#: scale: width N = ``errors_width`` = 800; α = ``alpha_quadratic`` = 0.3, the ℓ = 2 step; n : ñ : n_val =
#: ``errors_n`` : ``errors_n`` : ``errors_n_val`` = 4000 : 4000 : 2000, i.e. a validation fraction of 0.2).
#: Shared code does not import a paper, so the values are repeated here (tests/test_estimators_shared.py checks them).
DEFAULT_WIDTH = 800
DEFAULT_ALPHA = 0.3
DEFAULT_VAL_FRACTION = 0.2


class OneStepNetwork(Estimator):
    """A two-layer network trained by one large gradient step on W, then ridge on a (MLHD23 §2, BA22).

    The one-step protocol of Moniri–Lee–Hassani–Dobriban 2023 and Ba et al. 2022
    (``docs/papers/mlhd23.md`` §2.2): one full-batch gradient step ``W = W₀ + ηG``, ``η = n^α``, on a step
    batch with the second layer frozen, then ridge regression of the second layer on an independent
    ridge batch, λ chosen on a validation batch. scikit-learn style: hyper-parameters in ``__init__``,
    :meth:`fit` learns the state (attributes with a trailing underscore), :meth:`predict`,
    :meth:`score` (the mean squared error, :attr:`metric` ``"mse"``) and :meth:`errors` use it.

    :meth:`fit` ``(X, y)`` (arrays, or a featlearn stream with ``y`` omitted) splits the data as the
    protocol does: the last ``val_fraction`` of the rows for validation, the rest in two halves, the
    step batch (n) then the ridge batch (ñ = n). :meth:`fit_batches` takes the three batches
    explicitly (and an explicit initial network).

    The defaults are MLHD23's error protocol at quick scale (``featlearn.papers.mlhd23.Setting``):
    width 800 (``errors_width``), α = 0.3 (``alpha_quadratic``, the ℓ = 2 step), validation fraction
    0.2 (n : ñ : n_val = 4000 : 4000 : 2000), the centred ``tanh + 2·softplus`` activation of the
    ``"moniri"`` parametrisation and residual ``"y"``.

    Parameters
    ----------
    width : int
        Number of neurons N (default 800).
    activation : str or Activation, optional
        σ; default per parametrisation (``tanh_softplus`` for MLHD23/BA22, ``relu`` for DLS22).
    parametrization : {"moniri", "ba", "dls22"}
        See :mod:`featlearn.models.two_layer`.
    alpha : float, optional
        Step-size exponent: ``η = eta_scale · n^alpha`` with n the number of step samples,
        ``0 <= alpha < 1/2`` (MLHD23). Give ``alpha`` or ``eta``, not both. Default when neither is
        given: α = 0.3 (MLHD23's ℓ = 2 step), and for ``"dls22"`` η = 1 (the normalised step of the
        reference code).
    eta : float, optional
        Explicit step size.
    eta_scale : float
        The constant c in ``η = c·n^α``.
    residual : {"y", "y-f0"}
        Residual convention of the step (default ``"y"``; see :func:`one_step_gradient`).
    symmetric : bool, optional
        Symmetric initialisation (default per parametrisation).
    center_labels : bool, optional
        Remove the labels' empirical constant and linear part (DLS22; default per parametrisation).
    lambdas : float or sequence of float
        Ridge grid (λ > 0), ``(1/ñ)‖ỹ − Fa‖² + λ‖a‖²``.
    reuse_samples : bool
        Use the step data for the ridge fit too (the DLS22 reference does); default False:
        sample splitting, as in MLHD23/BA22 (docs/papers/mlhd23.md §2.2).
    val_fraction : float
        Fraction of the rows that :meth:`fit` keeps for choosing λ, in ``[0, 1)`` (default 0.2); 0 only
        with a single λ.
    seed : int
        Seed of the initial network drawn by :meth:`fit` (``Generator(seed).child("init")`` on the
        data's backend and device).
    dtype : optional
        Float dtype of the network.
    chunk : int
        Samples per pass chunk (memory only; results do not depend on it).

    Attributes
    ----------
    network0_ : TwoLayerNetwork
        The network at initialisation.
    gradient_ : StepGradient
    eta_ : float
    network_ : TwoLayerNetwork
        The trained network (updated W, ridge a).
    centering_ : LabelCentering or None
    second_layer_ : SecondLayerFit
    lambda_ : float
    coef_ : array, shape (N,)
    train_error_ : float
        Training error at ``lambda_``.

    Examples
    --------
    >>> import numpy as xp
    >>> from featlearn.backends import Generator
    >>> from featlearn.theory.targets import SingleIndex
    >>> rng = Generator(0, xp=xp)
    >>> target = SingleIndex.random(rng.child("target"), 16, "he1")
    >>> X, y = target.sample(rng.child("train"), 1000)
    >>> X_test, y_test = target.sample(rng.child("test"), 500)
    >>> net = OneStepNetwork().fit(X, y)   # MLHD23's defaults: N = 800, η = n^0.3, 40/40/20 % split
    >>> net.predict(X_test).shape, round(net.score(X_test, y_test), 2)
    ((500,), 0.0)

    With the three batches given explicitly:

    >>> from featlearn.data import TargetStream
    >>> data = lambda key, n: TargetStream(target, n, rng.child(key), noise_std=0.1)
    >>> model = OneStepNetwork(32, alpha=0.3).fit_batches(data("step", 256), data("ridge", 256), data("val", 128),
    ...                                                    rng=rng)
    >>> model.coef_.shape, model.errors(data("test", 256))["excess"] < 0.5
    ((32,), True)
    """

    metric = "mse"

    def __init__(self, width: int = DEFAULT_WIDTH, *, activation=None, parametrization: str = "moniri",
                 alpha: float | None = None, eta: float | None = None, eta_scale: float = 1.0, residual: str = "y",
                 symmetric: bool | None = None, center_labels: bool | None = None,
                 lambdas=DEFAULT_LAMBDAS, reuse_samples: bool = False, val_fraction: float = DEFAULT_VAL_FRACTION,
                 seed: int = 0, dtype=None, chunk: int = DEFAULT_CHUNK):
        self.width = check_int(width, "width", min_val=1)
        self.parametrization = get_parametrization(parametrization).name
        if alpha is not None and eta is not None:
            raise ValueError("alpha: give the step-size exponent alpha or an explicit eta, not both")
        self.alpha = None if alpha is None else check_alpha(alpha)
        self.eta = None if eta is None else check_real(eta, "eta", min_val=0.0)
        self.eta_scale = check_real(eta_scale, "eta_scale", min_val=0.0, include_boundaries="neither")
        self.residual = check_choice(residual, "residual", RESIDUALS)
        if activation is not None:
            as_activation(activation)  # an unknown name or a non-callable is refused here, not at fit
        self.activation, self.symmetric, self.center_labels = (activation, _check_flag(symmetric, "symmetric", True),
                                                               _check_flag(center_labels, "center_labels", True))
        self.lambdas = check_lambdas(lambdas)
        self.reuse_samples = _check_flag(reuse_samples, "reuse_samples")
        self.val_fraction = check_real(val_fraction, "val_fraction", min_val=0.0, max_val=1.0,
                                       include_boundaries="left")
        if self.val_fraction == 0.0 and len(self.lambdas) > 1:
            raise ValueError("val_fraction: 0 leaves no validation data to choose λ from a grid of "
                             f"{len(self.lambdas)} values; give a single λ or a fraction in (0, 1)")
        self.seed = check_seed(seed)
        if dtype is not None:
            resolve_float_dtype(get_namespace("numpy"), dtype) if isinstance(dtype, str) else _check_dtype(dtype)
        self.dtype = dtype
        self.chunk = check_int(chunk, "chunk", min_val=1)

    def _eta(self, n: int) -> float:
        if self.eta is not None:
            return float(self.eta)
        p = get_parametrization(self.parametrization)
        if self.alpha is None:
            return 1.0 if p.normalized_step else step_size(n, DEFAULT_ALPHA, scale=self.eta_scale)
        return step_size(n, self.alpha, scale=self.eta_scale)

    def split(self, X, y=None) -> tuple[Stream, Stream | None, Stream | None]:
        """The ``(step, ridge, val)`` batches :meth:`fit` uses: the last ``val_fraction`` of the rows for
        validation (``None`` when 0), the rest in two halves (step, then ridge; with ``reuse_samples`` the
        rest is the step batch and ``ridge`` is ``None``)."""
        data = fit_data(X, y)
        n = int(data.n)
        n_val = int(round(self.val_fraction * n))
        rest = n - n_val
        n_step = rest if self.reuse_samples else rest // 2
        if n_step < 1 or (self.val_fraction > 0 and n_val < 1) or (not self.reuse_samples and rest - n_step < 1):
            raise ValueError(f"X: {n} samples are too few to split into the step, ridge and validation batches "
                             f"(val_fraction = {self.val_fraction})")
        step = _RowSlice(data, 0, n_step)
        ridge = None if self.reuse_samples else _RowSlice(data, n_step, rest)
        val = _RowSlice(data, rest, n) if n_val else None
        return step, ridge, val

    def fit(self, X, y=None) -> "OneStepNetwork":
        """One step and the ridge on data ``(X, y)`` (arrays: X ``(n, d)``, y ``(n,)``) or a stream (``y`` omitted).

        The rows are split as :meth:`split` says (MLHD23's sample splitting); the initial network is drawn
        from ``Generator(seed)`` on the data's backend. Returns ``self``.
        """
        step, ridge, val = self.split(X, y)
        return self.fit_batches(step, ridge, val, rng=estimator_rng(self.seed, None, step.source))

    def fit_batches(self, step_data, ridge_data=None, val_data=None, *, rng: Generator | None = None,
                    network: TwoLayerNetwork | None = None) -> "OneStepNetwork":
        """Take the step on ``step_data``, fit the ridge on ``ridge_data``, choose λ on ``val_data``.

        Parameters
        ----------
        step_data, ridge_data, val_data : stream or (X, y) tuple
            ``ridge_data`` must be omitted when ``reuse_samples=True`` (the step data are
            reused) and given otherwise. ``val_data`` is needed for a grid of several λ.
        rng : Generator, optional
            Draws the initial network (child ``"init"``); not needed when ``network`` is given.
        network : TwoLayerNetwork, optional
            An explicit initial network (its parametrisation must match).
        """
        # the data must be on the backend of the initial network (given, or drawn from rng): checked before any work
        if network is None:
            model_xp, like = check_generator(rng).xp, "rng"
        else:
            _check_network(network, "network")
            model_xp, like = network.xp, "network"
        step = as_stream(step_data, name="step_data", xp=model_xp, like=like)
        check_gram_memory(self.width, 1, self.chunk)
        if self.reuse_samples:
            if ridge_data is not None:
                raise ValueError("ridge_data: reuse_samples=True fits the ridge on the step data; omit ridge_data")
            ridge = step
        else:
            if ridge_data is None:
                raise ValueError("ridge_data: needed with sample splitting (reuse_samples=False)")
            ridge = as_stream(ridge_data, name="ridge_data", xp=model_xp, like=like)
        val = None if val_data is None else as_stream(val_data, name="val_data", xp=model_xp, like=like)
        if network is None:
            check_generator(rng)
            network = init_network(rng.child("init"), int(step.d), self.width, activation=self.activation,
                                   parametrization=self.parametrization, symmetric=self.symmetric, dtype=self.dtype)
        elif network.width != self.width or network.parametrization.name != self.parametrization:
            raise ValueError(f"network: expected width {self.width} and parametrization {self.parametrization!r}, "
                             f"got {network.width} and {network.parametrization.name!r}")
        p = get_parametrization(self.parametrization)
        center = p.center_labels if self.center_labels is None else bool(self.center_labels)
        ch = self.chunk
        self.centering_ = estimate_centering(step, d=network.d, chunk=ch) if center else None
        self.network0_ = network
        self.gradient_ = one_step_gradient(network, step, residual=self.residual, centering=self.centering_, chunk=ch)
        self.eta_ = self._eta(self.gradient_.n)
        stepped = apply_step(network, self.gradient_, self.eta_)
        (train,) = feature_stats(stepped, ridge, centering=self.centering_, chunk=ch)
        path = RidgePath(train[0])
        verr = None if val is None else validation_errors(stepped, path, self.lambdas, val,
                                                           centering=self.centering_, chunk=ch)
        self.second_layer_ = fit_second_layer(train, self.lambdas, val_errors=verr, path=path)
        self.lambda_ = self.second_layer_.lam
        self.coef_ = self.second_layer_.coef
        self.train_error_ = self.second_layer_.train_errors[self.lambdas.index(self.lambda_)]
        self.network_ = stepped.with_second_layer(self.coef_)
        return self

    def _check_fitted(self):
        check_fitted(self, "network_")

    def predict(self, X):
        """Predictions ``c₀ + xᵀc₁ + f(x)`` (the centring terms only with ``center_labels``), shape ``(m,)``.

        ``X`` is validated by :meth:`TwoLayerNetwork.check_input` (lists and integer arrays are
        converted, NaN/inf, a wrong d or another backend refused).
        """
        self._check_fitted()
        X = self.network_.check_input(X)
        out = self.network_(X)
        if self.centering_ is not None:
            out = out + self.centering_.offset + X @ self.centering_.linear
        return check_finite_output(out)

    def errors(self, data) -> dict[str, float | None]:
        """Test errors on a stream: ``error`` (noisy labels) and ``excess`` (noiseless labels)."""
        self._check_fitted()
        (res,) = evaluate(self.network_, self.coef_, data, centering=self.centering_, chunk=self.chunk)
        return {"error": res["error"][0], "excess": None if res["excess"] is None else res["excess"][0]}


#: The data sets of :func:`alpha_sweep` (keys of its ``data=``).
_SWEEP_DATA = ("step-data", "ridge-data", "val-data", "test-data")


def _check_flag(value, name: str, none_ok: bool = False):
    """:func:`~featlearn.validation.check_bool`, with None (the default) allowed where ``none_ok``."""
    return value if value is None and none_ok else check_bool(value, name)


def _alpha_at(a, i: int) -> float:
    try:
        return check_alpha(a)
    except ValueError as exc:
        raise ValueError(f"alphas[{i}]: {exc}") from None


def _check_dtype(dtype) -> None:
    """``TypeError`` naming ``dtype`` unless it is float32 or float64 of some backend."""
    text = str(dtype).rsplit(".", 1)[-1].strip("'<>")
    if text not in ("float32", "float64"):
        raise TypeError(f"dtype: expected None, 'float32', 'float64' or a float32/float64 dtype, got {dtype!r}")


# -- an α sweep sharing one gradient ----------------------------------------------------------------------------
def check_target(target, name: str = "target") -> None:
    """``TypeError`` unless ``target`` can be sampled (``.d`` and ``.sample_block``) and evaluated."""
    if not (hasattr(target, "d") and callable(getattr(target, "sample_block", None)) and callable(target)):
        raise TypeError(f"{name}: expected a featlearn target (with .d, .sample_block and a call), "
                        f"got {type(target).__name__}")


def alpha_sweep(target, rng: Generator, *, n: int, width: int, alphas: Iterable[float], n_ridge: int | None = None,
                n_val: int, n_test: int, noise_std: float = 0.0, lambdas=DEFAULT_LAMBDAS,
                activation=None, parametrization: str = "moniri", residual: str = "y", eta_scale: float = 1.0,
                dtype=None, chunk: int = DEFAULT_CHUNK, no_step: bool = False,
                progress: Callable[[str], None] = lambda m: None,
                data: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """Train and test errors of the one-step network for several α from one initialisation and one gradient.

    The data sets are ``rng.child("step-data" | "ridge-data" | "val-data" | "test-data")`` and
    the initial network ``rng.child("init")``, so every α sees the same data and W₀ (paired
    comparison, as in MLHD23's Figure 3). Returns one dict per α with ``alpha``, ``eta``,
    ``lambda`` (validation choice), ``lambdas``, ``train_errors`` / ``train_excess`` (per λ),
    ``val_errors``, ``train_error`` (at the chosen λ), ``test_error`` and ``test_excess`` with
    their standard errors ``test_error_se`` and ``test_excess_se``.

    With ``no_step=True`` a last dict with ``alpha=None`` and ``eta=0.0`` is appended: the
    un-updated network W₀ (random features) on the same data, the baseline that BA22 compares
    the one-step kernel with.

    ``data`` replaces the drawn data sets with your own: a mapping with the streams (or ``(X, y)``
    tuples) ``"step-data"``, ``"ridge-data"``, ``"val-data"`` and ``"test-data"``; ``target`` is then
    only used for its dimension ``d``, and ``n`` must be the step data's size (η = n^α).
    """
    rng = check_generator(rng)
    check_target(target)
    if isinstance(alphas, (int, float)) and not isinstance(alphas, bool):
        alphas = [alphas]
    alphas = list(check_grid(alphas, "alphas"))
    alphas = [_alpha_at(a, i) for i, a in enumerate(alphas)]
    if not alphas:
        raise ValueError("alphas: expected at least one value")
    n = check_int(n, "n", min_val=1)
    n_ridge = n if n_ridge is None else check_int(n_ridge, "n_ridge", min_val=1)
    n_val = check_int(n_val, "n_val", min_val=1)
    n_test = check_int(n_test, "n_test", min_val=1)
    lam = check_lambdas(lambdas)
    chunk = check_int(chunk, "chunk", min_val=1)
    eta_scale = check_real(eta_scale, "eta_scale", min_val=0.0, include_boundaries="neither")
    no_step = _check_flag(no_step, "no_step")
    if not callable(progress):
        raise TypeError(f"progress: expected a callable taking a message, got {type(progress).__name__}")
    if data is not None and not isinstance(data, Mapping):
        raise TypeError(f"data: expected a mapping of streams or None, got {type(data).__name__}")
    check_gram_memory(check_int(width, "width", min_val=1), len(alphas) + 1, chunk)

    if data is not None:
        missing = [k for k in _SWEEP_DATA if k not in data]
        if missing or set(data) - set(_SWEEP_DATA):
            raise ValueError(f"data: expected streams for exactly {_SWEEP_DATA}, got {sorted(data)}")
        data = {k: as_stream(v, name=f"data[{k!r}]", xp=rng.xp, like="rng") for k, v in data.items()}

    def src(key, m):  # the data do not depend on ``chunk``: TargetStream blocks are fixed
        if data is not None:
            return data[key]
        return TargetStream(target, m, rng.child(key), noise_std=noise_std, dtype=dtype)

    if data is not None and int(data["step-data"].n) != n:
        raise ValueError(f"n: expected the step data's size {data['step-data'].n} (η = n^α), got {n}")
    net0 = init_network(rng.child("init"), int(target.d), width, activation=activation,
                        parametrization=parametrization, dtype=dtype)
    centering = estimate_centering(src("step-data", n), chunk=chunk) if net0.parametrization.center_labels else None
    progress(f"gradient step: n={n}, d={target.d}, N={width}")
    grad = one_step_gradient(net0, src("step-data", n), residual=residual, centering=centering, chunk=chunk)
    etas = [step_size(n, a, scale=eta_scale) for a in alphas]
    nets = [apply_step(net0, grad, e) for e in etas]
    if no_step:
        alphas, etas, nets = alphas + [None], etas + [0.0], nets + [net0]
    progress(f"ridge statistics for {len(nets)} step sizes on {n_ridge} samples")
    train = feature_stats(nets, src("ridge-data", n_ridge), centering=centering, chunk=chunk)
    paths = [RidgePath(t[0]) for t in train]
    val = validation_errors(nets, paths, lam, src("val-data", check_int(n_val, "n_val", min_val=1)),
                            centering=centering, chunk=chunk)
    fits = [fit_second_layer(t, lam, val_errors=v, path=p) for t, v, p in zip(train, val, paths)]
    progress(f"test errors on {n_test} samples")
    tests = evaluate(nets, [f.coef for f in fits], src("test-data", check_int(n_test, "n_test", min_val=1)),
                     centering=centering, chunk=chunk)
    out = []
    for a, e, f, t in zip(alphas, etas, fits, tests):
        j = lam.index(f.lam)
        out.append({"alpha": a, "eta": e, "lambda": f.lam, "lambdas": list(lam), "train_errors": f.train_errors,
                    "train_excess": f.train_excess, "val_errors": f.val_errors, "train_error": f.train_errors[j],
                    "test_error": t["error"][0], "test_error_se": t["error_se"][0],
                    "test_excess": None if t["excess"] is None else t["excess"][0],
                    "test_excess_se": None if t["excess_se"] is None else t["excess_se"][0]})
    return out
