"""Two-layer ReLU networks with frozen biases trained by SWL23's Algorithm 1, and the baselines.

Shi, Wei & Liang 2023 (SWL23), docs/papers/swl23.md §2 (*reconstructed*: the structure of
Algorithm 1 was recalled with fair confidence, its hyper-parameters were not found):

* network ``f(x) = Σ_i a_i σ(⟨w_i, x⟩ − b_i)`` with ReLU σ, **biases b frozen** at
  initialisation; built on :class:`featlearn.models.two_layer.TwoLayerNetwork` (its ``bias`` is
  ``−b``, output scale 1), whose ``weight_gradient_sum`` gives the first-layer gradient;
* symmetric initialisation (:func:`init_symmetric`): ``w_i ~ N(0, σ_w² I)``, ``b_i ~ N(0, σ_b²)``,
  ``a_i ~ N(0, σ_a²)`` for ``i < m/2``, mirrored with ``−a`` so ``f ≡ 0`` at initialisation;
* hinge loss ``ℓ(z) = max(0, 1 − z)`` (subgradient ``−1{z < 1}``; at ``z = 1`` we take 0),
  logistic as an option; the 0-1 error ``Pr[sign f(x) ≠ y]`` (``sign 0 := +1``) beside it;
* Algorithm 1 of Shi, Wei, Liang 2023 (:func:`train_algorithm1` on a given initial network; the
  estimator :class:`Algorithm1Network`, ``fit``/``predict``/``score`` with the setting's defaults;
  defaults from SWL23's quick ``Setting``): step 1 with a large rate ``η⁽¹⁾`` and weight decay
  ``λ⁽¹⁾ = 1/η⁽¹⁾``, so ``W⁽¹⁾ = η⁽¹⁾ a⁽⁰⁾ G_Z`` (the initialisation is erased); steps
  ``2..T`` with a small rate ``η`` and small decay ``λ`` on both layers; ``b`` never updated.
  The steps are one run of the shared loop :func:`featlearn.models.gradient_descent.gradient_descent`
  (a step schedule and weight decay on θ = (W, a)). The reported network is the best iterate
  on validation data (the theorem's "∃ t ∈ [T]"), the last iterate is reported too.

Baselines for "beyond kernels" (docs/papers/swl23.md §5.7): :func:`fit_output_layer` trains the
output layer alone on fixed features (random features when the first layer is frozen at
initialisation), and the lazy regime is Algorithm 1 with a small first step
(``eta1`` small, ``lam1 = 0``). Lottery tickets (§5.8): :func:`prune` keeps a subset of neurons.

Every pass over the data is streamed in chunks (:func:`featlearn.data.iter_batches`): memory
``O(chunk·m + m·d)``, every heavy operation a matrix product, results independent of the chunk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Sequence

from featlearn.backends import Generator, device_of, resolve_float_dtype, to_host, to_scalar
from featlearn.data import DEFAULT_CHUNK, as_stream, iter_batches
from featlearn.models.estimator import Estimator, estimator_rng, fit_data
from featlearn.models.gradient_descent import gradient_descent
from featlearn.models.ridge import GramStats, RidgePath
from featlearn.models.two_layer import Parametrization, TwoLayerNetwork
from featlearn.validation import (array_namespace, check_array, check_choice, check_finite_output, check_fitted,
                                  check_bool, check_generator, check_grid, check_int, check_memory, check_real,
                                  check_seed)

from .setting import Setting

__all__ = [
    "Algorithm1Network",
    "Algorithm1Result",
    "Metrics",
    "SWL23_PARAMETRIZATION",
    "evaluate",
    "fit_output_layer",
    "frozen_biases",
    "init_symmetric",
    "loss_gradients",
    "prune",
    "train_algorithm1",
]

#: The rule set recorded on SWL23 networks: Gaussian weights, Gaussian output weights, biases,
#: no mean-field scaling, symmetric initialisation, ReLU. (Algorithm 1's steps run through
#: featlearn.models.gradient_descent, not through the one-step papers' step rules.)
SWL23_PARAMETRIZATION = Parametrization("swl23", "gaussian", "gaussian", True, False, False, True, False, "relu")

LOSSES = ("hinge", "logistic")

#: SWL23's quick Setting: the default hyper-parameters of Algorithm 1 (:func:`train_algorithm1`,
#: :class:`Algorithm1Network`): width ``xor_width``, steps ``xor_steps``, ``eta1``, ``eta``, ``lam``,
#: ``sigma_b``, ``sigma_a`` (design values, docs/papers/swl23.md §6).
_Q = Setting()


def _check_net(net, name: str = "net") -> TwoLayerNetwork:
    """``net`` if it is a :class:`~featlearn.models.two_layer.TwoLayerNetwork`, else a ``TypeError`` naming ``name``."""
    if not isinstance(net, TwoLayerNetwork):
        raise TypeError(f"{name}: expected a featlearn TwoLayerNetwork (e.g. from init_symmetric), "
                        f"got {type(net).__name__}")
    return net


def frozen_biases(net: TwoLayerNetwork):
    """The biases ``b`` of ``f(x) = Σ a_i σ(⟨w_i, x⟩ − b_i)`` (the stored ``bias`` is ``−b``)."""
    return -_check_net(net).bias


def init_symmetric(rng: Generator, d: int, width: int, *, sigma_w: float | None = None, sigma_b: float = 1.0,
                   sigma_a: float = 1.0, dtype=None) -> TwoLayerNetwork:
    """Symmetric initialisation of SWL23 (docs/papers/swl23.md §2.1; Gaussian forms reconstructed).

    For ``i < m/2``: ``w_i ~ N(0, σ_w² I_d)``, ``b_i ~ N(0, σ_b²)``, ``a_i ~ N(0, σ_a²)``; then
    ``w_{i+m/2} = w_i``, ``b_{i+m/2} = b_i``, ``a_{i+m/2} = −a_i``, so ``f ≡ 0``.

    Parameters
    ----------
    rng : Generator
        Children ``"W"``, ``"b"``, ``"a"``.
    d : int
    width : int
        ``m``, even (mirrored pairs).
    sigma_w : float, optional
        Default ``1/√d`` (so ``‖w‖ ≈ 1``). Only the ratio ``σ_b/σ_w`` matters for the gradient
        features: ``1{⟨w,x⟩ > b}`` is invariant under ``(w, b) → (cw, cb)``, ``c > 0``.
    sigma_b, sigma_a : float
        Standard deviations of the biases and output weights (the paper's values were not found).
    dtype : optional

    Returns
    -------
    TwoLayerNetwork
        ReLU, ``bias = −b``, output scale 1.
    """
    rng = check_generator(rng)
    d = check_int(d, "d", min_val=1)
    width = check_int(width, "width", min_val=2)
    if width % 2:
        raise ValueError(f"width: symmetric initialisation mirrors neurons in pairs, so it needs an even width, "
                         f"got {width}")
    sigma_w = 1.0 / math.sqrt(d) if sigma_w is None else check_real(sigma_w, "sigma_w", min_val=0.0,
                                                                      include_boundaries="neither")
    sigma_b = check_real(sigma_b, "sigma_b", min_val=0.0)
    sigma_a = check_real(sigma_a, "sigma_a", min_val=0.0, include_boundaries="neither")
    # W (d × width), bias and a, with the draws' temporaries: refused before anything is allocated
    check_memory(8.0 * (3.0 * d * width + 4.0 * width), f"init_symmetric: a network of d = {d}, width = {width}")
    xp = rng.xp
    dtype = resolve_float_dtype(xp, dtype, rng.device)
    h = width // 2
    W = rng.child("W").normal((d, h), dtype=dtype, std=sigma_w)
    b = rng.child("b").normal((h,), dtype=dtype, std=sigma_b)
    a = rng.child("a").normal((h,), dtype=dtype, std=sigma_a)
    W = xp.concat([W, W], axis=1)
    b = xp.concat([b, b])
    a = xp.concat([a, -a])
    return TwoLayerNetwork(W, a, "relu", -b, 1.0, SWL23_PARAMETRIZATION)


# -- losses ------------------------------------------------------------------------------------------------
def _loss_and_slope(xp, margins, loss: str):
    """Per-sample loss ℓ(z) and ``−ℓ'(z)`` at margins ``z = y f(x)``."""
    if loss == "hinge":
        val = xp.clip(1.0 - margins, min=0.0)
        slope = xp.astype(margins < 1.0, margins.dtype)  # subgradient −ℓ'(z) = 1{z < 1}; 0 at z = 1
    else:
        zero = xp.zeros_like(margins)
        val = xp.logaddexp(zero, -margins)
        slope = xp.exp(-xp.logaddexp(zero, margins))  # 1/(1 + e^z)
    return val, slope


def _check_labels(xp, y, name):
    if not bool(xp.all(xp.abs(y) == 1.0)):
        raise ValueError(f"{name}.y: expected labels in {{-1, +1}} (binary classification)")


@dataclass(frozen=True)
class Metrics:
    """Loss (mean surrogate loss) and 0-1 error of a network on a data set."""

    loss: float
    error: float
    n: int


def evaluate(net: TwoLayerNetwork, data, /, *, loss: str = "hinge", chunk: int = DEFAULT_CHUNK,
             name: str = "data") -> Metrics:
    """Mean loss and 0-1 error ``Pr[sign f(x) ≠ y]`` (``sign 0 := +1``) of ``net`` on ``data``, streamed."""
    net = _check_net(net)
    loss = check_choice(loss, "loss", LOSSES)
    xp = net.xp
    tot_l = tot_e = None
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=net.d, name=name, xp=xp, like="the network"):
        X = xp.astype(batch.X, net.dtype)
        y = xp.astype(batch.y, net.dtype)
        _check_labels(xp, y, name)
        f = net(X)
        val, _ = _loss_and_slope(xp, y * f, loss)
        pred = xp.where(f >= 0, xp.ones_like(f), -xp.ones_like(f))
        err = xp.sum(xp.astype(pred != y, net.dtype))
        tot_l = xp.sum(val) if tot_l is None else tot_l + xp.sum(val)
        tot_e = err if tot_e is None else tot_e + err
        n += int(X.shape[0])
    lv, ev = to_scalar(tot_l) / n, to_scalar(tot_e) / n
    if not (math.isfinite(lv) and math.isfinite(ev)):
        raise ValueError(f"{name}: the network output is not finite (diverged training?)")
    return Metrics(lv, ev, n)


def loss_gradients(net: TwoLayerNetwork, data, /, *, loss: str = "hinge", chunk: int = DEFAULT_CHUNK,
                   name: str = "train"):
    """``(∇_a L_Z, ∇_W L_Z, metrics)`` of the unregularised empirical loss, in one streamed pass.

    ``−∇_a L = Fᵀ r / n`` and ``−∇_W L = Xᵀ[(r aᵀ) ⊙ 1{XW > b}] / n`` with ``F = σ(XW − b)`` and
    ``r_l = −ℓ'(y_l f(x_l))·y_l``: two matrix products per chunk beyond the forward pass. The
    returned metrics are the loss and 0-1 error of ``net`` itself on ``data`` (free by-products).
    """
    net = _check_net(net)
    loss = check_choice(loss, "loss", LOSSES)
    xp = net.xp
    ga = gW = tot_l = tot_e = None
    n = 0
    for batch in iter_batches(data, chunk=chunk, d=net.d, name=name, xp=xp, like="the network"):
        X = xp.astype(batch.X, net.dtype)
        y = xp.astype(batch.y, net.dtype)
        _check_labels(xp, y, name)
        F = net.features(X)
        f = F @ net.a
        val, slope = _loss_and_slope(xp, y * f, loss)
        r = slope * y
        pa = F.T @ r
        pW = net.weight_gradient_sum(X, r)  # Xᵀ[(r aᵀ) ⊙ σ'(XW − b)], σ'(0) = 0
        pred = xp.where(f >= 0, xp.ones_like(f), -xp.ones_like(f))
        err = xp.sum(xp.astype(pred != y, net.dtype))
        if ga is None:
            ga, gW, tot_l, tot_e = pa, pW, xp.sum(val), err
        else:
            ga, gW, tot_l, tot_e = ga + pa, gW + pW, tot_l + xp.sum(val), tot_e + err
        n += int(X.shape[0])
    m = Metrics(to_scalar(tot_l) / n, to_scalar(tot_e) / n, n)
    if not math.isfinite(m.loss):
        raise ValueError(f"{name}: the network output is not finite (diverged training?)")
    return -ga / n, -gW / n, m


# -- Algorithm 1 -------------------------------------------------------------------------------------------
@dataclass
class Algorithm1Result:
    """Iterates and metrics of :func:`train_algorithm1`.

    Attributes
    ----------
    initial, first_step, best, last : TwoLayerNetwork
        ``Ξ⁽⁰⁾``, ``Ξ⁽¹⁾``, the best iterate on validation (the theorem's "∃ t ∈ [T]"; on training
        loss if no validation data) and ``Ξ⁽ᵀ⁾``.
    best_step : int
        ``t`` of the best iterate (1 … T).
    history : dict of lists
        Per iterate ``t = 0 … T``: ``"train_loss"``, ``"train_error"`` and, when given,
        ``"val_loss"``, ``"val_error"``, ``"test_loss"``, ``"test_error"``.
    """

    initial: TwoLayerNetwork
    first_step: TwoLayerNetwork
    best: TwoLayerNetwork
    last: TwoLayerNetwork
    best_step: int
    history: dict[str, list[float]] = field(default_factory=dict)

    def metric(self, key: str, which: str = "best") -> float:
        """``history[key]`` at the best (``"best"``) or last (``"last"``) iterate."""
        check_choice(key, "key", sorted(self.history))
        check_choice(which, "which", ("best", "last"))
        t = self.best_step if which == "best" else len(self.history[key]) - 1
        return self.history[key][t]


def train_algorithm1(net: TwoLayerNetwork, train, /, *, steps: int = _Q.xor_steps, eta1: float = _Q.eta1,
                     eta: float = _Q.eta, lam: float = _Q.lam,
                     lam1: float | None = None, decay_a_first_step: bool = True, loss: str = "hinge",
                     val=None, test=None, chunk: int = DEFAULT_CHUNK) -> Algorithm1Result:
    """Algorithm 1 of Shi, Wei, Liang 2023 ("network training via gradient descent"), docs/papers/swl23.md §2.

    Trains a given initial network (:func:`init_symmetric`); :class:`Algorithm1Network` is the same
    algorithm as an estimator (``fit``/``predict``/``score``). The defaults of ``steps``, ``eta1``,
    ``eta`` and ``lam`` are SWL23's quick :class:`~featlearn.papers.swl23.setting.Setting`
    (``xor_steps`` = 20, ``eta1`` = 5, ``eta`` = 0.1, ``lam`` = 1e-4; design values).

    Step ``t = 1``: ``a ← a − η⁽¹⁾(∇_a L + λ⁽¹⁾ a)``, ``W ← W − η⁽¹⁾(∇_W L + λ⁽¹⁾ W)`` with
    ``λ⁽¹⁾ = 1/η⁽¹⁾`` by default, hence ``W⁽¹⁾ = −η⁽¹⁾∇_W L = η⁽¹⁾ a⁽⁰⁾ ⊙ G_Z`` at a symmetric
    initialisation. Steps ``t = 2..T``: the same with ``(η, λ)``. Biases never move.

    Parameters
    ----------
    net : TwoLayerNetwork
        Initial network with biases (from :func:`init_symmetric` for the paper's setting).
    train : stream, (X, y) tuple, or a sequence of ``steps`` of them
        Training data, labels ±1. One data set: full-batch gradient descent on the same sample
        ``Z`` at every step (default reading). A sequence: step ``t`` uses ``train[t − 1]``
        (fresh samples per step, the online reading). The available text leaves the choice
        open (docs/papers/swl23.md §2.2).
    steps : int
        ``T >= 1`` (default ``Setting().xor_steps``).
    eta1 : float > 0
        First-step rate ``η⁽¹⁾`` (large; default ``Setting().eta1``).
    eta : float >= 0
        Rate of steps ``2..T`` (small; default ``Setting().eta``).
    lam : float >= 0
        Weight decay of steps ``2..T`` (default ``Setting().lam``).
    lam1 : float >= 0, optional
        First-step weight decay; default ``1/η⁽¹⁾`` (the paper's choice as recalled). ``0`` with
        a small ``eta1`` gives the lazy regime baseline.
    decay_a_first_step : bool
        Whether ``λ⁽¹⁾`` also decays ``a`` (then ``a⁽¹⁾ = −η⁽¹⁾∇_a L``). Whether the regulariser
        includes ``‖a‖²`` was not found; default ``True`` (a regulariser on both layers).
    loss : {"hinge", "logistic"}
    val, test : stream or (X, y), optional
        Validation data (select the best iterate) and test data (recorded per iterate).
    chunk : int
        Samples per matrix product.

    Returns
    -------
    Algorithm1Result
    """
    if not isinstance(net, TwoLayerNetwork) or net.bias is None or net.activation.name != "relu":
        raise TypeError("net: expected a TwoLayerNetwork with ReLU and biases (see init_symmetric)")
    steps = check_int(steps, "steps", min_val=1)
    # the per-step data list and the per-step history: refuse before building them
    check_memory(64.0 * steps, f"train_algorithm1: steps = {steps} (one data set and history entries per step)")
    eta1 = check_real(eta1, "eta1", min_val=0.0, include_boundaries="neither")
    eta = check_real(eta, "eta", min_val=0.0)
    lam = check_real(lam, "lam", min_val=0.0)
    lam1 = 1.0 / eta1 if lam1 is None else check_real(lam1, "lam1", min_val=0.0)
    decay_a_first_step = check_bool(decay_a_first_step, "decay_a_first_step")
    loss = check_choice(loss, "loss", LOSSES)
    chunk = check_int(chunk, "chunk", min_val=1)
    if isinstance(train, (list,)) or (isinstance(train, Sequence) and not isinstance(train, tuple)):
        sets = [as_stream(t, name=f"train[{i}]", xp=net.xp, like="net") for i, t in enumerate(train)]
        if len(sets) != steps:
            raise ValueError(f"train: expected one data set per step ({steps}), got {len(sets)}")
    else:
        sets = [as_stream(train, name="train", xp=net.xp, like="net")] * steps
    val = None if val is None else as_stream(val, name="val", xp=net.xp, like="net")
    test = None if test is None else as_stream(test, name="test", xp=net.xp, like="net")
    for name, s in (("train", sets[0]), ("val", val), ("test", test)):
        if s is not None and int(s.d) != net.d:
            raise ValueError(f"{name}: input dimension d = {s.d} does not match the network's d = {net.d}")
    hist: dict[str, list[float]] = {"train_loss": [], "train_error": []}
    if val is not None:
        hist["val_loss"], hist["val_error"] = [], []
    if test is not None:
        hist["test_loss"], hist["test_error"] = [], []

    def record_train(m):  # metrics of iterate t on the data of step t + 1 (of step T for the last)
        hist["train_loss"].append(m.loss)
        hist["train_error"].append(m.error)

    iterates = {}  # Ξ⁽¹⁾ and the best iterate on validation so far
    best_score = None

    def on_iterate(t, cur):
        nonlocal best_score
        if val is not None:
            mv = evaluate(cur, val, loss=loss, chunk=chunk, name="val")
            hist["val_loss"].append(mv.loss)
            hist["val_error"].append(mv.error)
        if test is not None:
            mt = evaluate(cur, test, loss=loss, chunk=chunk, name="test")
            hist["test_loss"].append(mt.loss)
            hist["test_error"].append(mt.error)
        if t == 1:
            iterates["first"] = cur
        if val is not None and t >= 1:
            # the theorem's "∃ t ∈ [T]": validation 0-1 error first, validation loss breaks ties
            key = (hist["val_error"][t], hist["val_loss"][t])
            if best_score is None or key < best_score:
                iterates["best"], iterates["best_step"], best_score = cur, t, key

    kw = dict(eta1=eta1, eta=eta, lam=lam, lam1=lam1, decay_a_first_step=decay_a_first_step, loss=loss, chunk=chunk)
    cur = _gradient_descent_steps(net, sets, steps=steps, on_train=record_train, on_iterate=on_iterate, **kw)
    if val is None:
        # no validation data: select on the training loss (known for every iterate only now)
        best_step = min(range(1, steps + 1), key=lambda s: hist["train_loss"][s])
        best = cur if best_step == steps else _gradient_descent_steps(net, sets, steps=best_step, **kw)
    else:
        best, best_step = iterates["best"], iterates["best_step"]
    return Algorithm1Result(net, iterates["first"], best, cur, best_step, hist)


def _gradient_descent_steps(net, sets, *, steps, eta1, eta, lam, lam1, decay_a_first_step, loss, chunk, on_train=None,
                    on_iterate=None) -> TwoLayerNetwork:
    """Ξ⁽ᵗ⁾ for t = ``steps``: the first ``steps`` gradient-descent steps of :func:`train_algorithm1` on θ = (W, a).

    A helper of :func:`train_algorithm1` (the algorithm itself: Algorithm 1 of Shi, Wei, Liang 2023), not a
    second implementation of it.

    One run of :func:`featlearn.models.gradient_descent.gradient_descent` with the schedule
    ``η_1 = η⁽¹⁾, η_t = η`` and the decays ``λ_1 = λ⁽¹⁾`` (on ``a`` only if ``decay_a_first_step``),
    ``λ_t = λ``; the biases are not parameters of the run, so they never move. Step t uses the
    data ``sets[t − 1]``. It serves the training and the replay of a best iterate chosen after the
    fact (``steps`` < T, no callbacks): the same loop, hence the same iterates.
    ``on_train(metrics)`` receives the training metrics of Ξ⁽⁰⁾ … Ξ⁽ˢᵗᵉᵖˢ⁾ (the last on the data of
    the last step); ``on_iterate(t, Ξ⁽ᵗ⁾)`` is called at every iterate.
    """
    def network(theta):
        return replace(net, W=theta[0], a=theta[1])

    def objective(theta, t):
        cur = network(theta)
        if t == steps:  # the last iterate: no step follows, its loss alone
            m, grads = evaluate(cur, sets[t - 1], loss=loss, chunk=chunk, name="train"), None
        else:
            ga, gW, m = loss_gradients(cur, sets[t], loss=loss, chunk=chunk, name="train")
            grads = (gW, ga)
        if on_train is not None:
            on_train(m)
        return m.loss, grads

    callback = None if on_iterate is None else (lambda t, theta: on_iterate(t, network(theta)))
    first_decay = (lam1, lam1 if decay_a_first_step else 0.0)  # (on W, on a)
    res = gradient_descent(objective, (net.W, net.a), step=lambda t: eta1 if t == 1 else eta,
                           weight_decay=lambda t: first_decay if t == 1 else lam, max_iter=steps, indexed=True,
                           callback=callback)
    return network(res.params)


# -- the estimator ------------------------------------------------------------------------------------------

class Algorithm1Network(Estimator):
    """SWL23's two-layer ReLU network trained by Algorithm 1 of Shi, Wei, Liang 2023 (gradient feature learning).

    ``f(x) = Σ_i a_i σ(⟨w_i, x⟩ − b_i)``, symmetric initialisation (:func:`init_symmetric`), biases
    frozen; Algorithm 1 (:func:`train_algorithm1`): one large step ``η⁽¹⁾`` with weight decay
    ``λ⁽¹⁾ = 1/η⁽¹⁾`` (the first layer becomes ``η⁽¹⁾ a⁽⁰⁾ G_Z``, the gradient features), then
    ``T − 1`` small steps ``(η, λ)`` on both layers, hinge loss, full batch; the fitted network is the
    best iterate on the validation data given to :meth:`fit` (on the training loss without them).
    Reconstructed (docs/papers/swl23.md §2): the paper's hyper-parameters were not found, so the
    defaults are the quick values of SWL23's :class:`~featlearn.papers.swl23.setting.Setting`
    (``xor_width``, ``xor_steps``, ``eta1``, ``eta``, ``lam``, ``sigma_b``, ``sigma_a``).

    Labels are ±1; :meth:`predict` returns the real-valued output ``f(x)``, :meth:`predict_label`
    its sign (``sign 0 := +1``), and :meth:`score` the paper's 0-1 test error ``mean(y·f(x) ≤ 0)``
    (:attr:`metric` ``"0-1"``, lower is better).

    Parameters
    ----------
    width : int
        ``m``, even (mirrored pairs); default ``Setting().xor_width`` (256).
    steps : int
        ``T >= 1``; default ``Setting().xor_steps`` (20).
    eta1 : float > 0
        First step size ``η⁽¹⁾``; default ``Setting().eta1`` (5.0).
    eta : float >= 0
        Step size of steps ``2..T``; default ``Setting().eta`` (0.1).
    lam : float >= 0
        Weight decay ``λ`` of steps ``2..T``; default ``Setting().lam`` (1e-4).
    lam1 : float >= 0, optional
        First-step weight decay; default ``1/η⁽¹⁾`` (``0`` with a small ``eta1``: the lazy baseline).
    sigma_w : float > 0, optional
        Standard deviation of the initial first-layer weights; default ``1/√d``.
    sigma_b, sigma_a : float
        Standard deviations of the frozen biases and the initial output weights; defaults
        ``Setting().sigma_b``, ``Setting().sigma_a`` (1.0, 1.0).
    decay_a_first_step : bool
        Whether ``λ⁽¹⁾`` also decays the output layer (default True).
    loss : {"hinge", "logistic"}
    seed : int
        Seed of the initialisation (``Generator(seed).child("init")``), used when ``rng`` is None.
    rng : featlearn.backends.Generator, optional
        The generator of the initialisation (its child ``"init"``); its backend must be the data's.
    chunk : int
        Samples per matrix product.

    Attributes
    ----------
    network_ : TwoLayerNetwork
        The fitted network (Algorithm 1's best iterate).
    result_ : Algorithm1Result
        Every iterate's metrics, the first-step and last iterates.
    best_step_ : int
    n_features_in_ : int

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> from featlearn.papers.swl23 import Algorithm1Network, XORMixture
    >>> mix = XORMixture(4, 3.0)
    >>> X, y = mix.sample(Generator(1), 400)
    >>> X_test, y_test = mix.sample(Generator(2), 1000)
    >>> net = Algorithm1Network().fit(X, y)
    >>> net.predict(X_test).shape
    (1000,)
    >>> err = net.score(X_test, y_test)   # 0-1 test error; the mixture's Bayes error is 0.033
    >>> bool(err < 0.1), round(mix.bayes_error(), 3)
    (True, 0.033)
    >>> net.predict_label(X_test[:3]).tolist(), y_test[:3].tolist()  # sign f(x) against the labels
    ([-1.0, 1.0, -1.0], [1.0, 1.0, -1.0])
    """

    metric = "0-1"

    def __init__(self, width: int = _Q.xor_width, steps: int = _Q.xor_steps, *, eta1: float = _Q.eta1,
                 eta: float = _Q.eta, lam: float = _Q.lam, lam1: float | None = None, sigma_w: float | None = None,
                 sigma_b: float = _Q.sigma_b, sigma_a: float = _Q.sigma_a, decay_a_first_step: bool = True,
                 loss: str = "hinge", seed: int = 0, rng: Generator | None = None, chunk: int = DEFAULT_CHUNK):
        self.width = check_int(width, "width", min_val=2)
        if self.width % 2:
            raise ValueError(f"width: symmetric initialisation mirrors neurons in pairs, so it needs an even "
                             f"width, got {width}")
        self.steps = check_int(steps, "steps", min_val=1)
        self.eta1 = check_real(eta1, "eta1", min_val=0.0, include_boundaries="neither")
        self.eta = check_real(eta, "eta", min_val=0.0)
        self.lam = check_real(lam, "lam", min_val=0.0)
        self.lam1 = None if lam1 is None else check_real(lam1, "lam1", min_val=0.0)
        self.sigma_w = None if sigma_w is None else check_real(sigma_w, "sigma_w", min_val=0.0,
                                                               include_boundaries="neither")
        self.sigma_b = check_real(sigma_b, "sigma_b", min_val=0.0)
        self.sigma_a = check_real(sigma_a, "sigma_a", min_val=0.0, include_boundaries="neither")
        if not isinstance(decay_a_first_step, bool):
            raise TypeError(f"decay_a_first_step: expected a bool, got {type(decay_a_first_step).__name__}")
        self.decay_a_first_step = decay_a_first_step
        self.loss = check_choice(loss, "loss", LOSSES)
        self.seed = check_seed(seed)
        self.rng = None if rng is None else check_generator(rng)
        self.chunk = check_int(chunk, "chunk", min_val=1)
        self.network_ = None


    def fit(self, X, y=None, *, val=None) -> "Algorithm1Network":
        """Train by Algorithm 1 on ``(X, y)`` (labels ±1) or a featlearn stream; returns ``self``.

        ``val`` (``(X_val, y_val)`` or a stream) selects the best iterate on its 0-1 error (the
        theorem's "∃ t ∈ [T]"); without it the iterate of smallest training loss is kept.
        """
        data = fit_data(X, y)  # host sequences converted (to y's backend, else NumPy)
        first = next(iter(data))
        dtype = first.X.dtype
        root = estimator_rng(self.seed, self.rng, first.X)  # an rng of another backend than the data is refused
        net0 = init_symmetric(root.child("init"), int(data.d), self.width, sigma_w=self.sigma_w,
                              sigma_b=self.sigma_b, sigma_a=self.sigma_a, dtype=dtype)
        res = train_algorithm1(net0, data, steps=self.steps, eta1=self.eta1, eta=self.eta, lam=self.lam,
                               lam1=self.lam1, decay_a_first_step=self.decay_a_first_step, loss=self.loss,
                               val=val, chunk=self.chunk)
        self.result_, self.network_, self.best_step_ = res, res.best, res.best_step
        self.n_features_in_ = int(data.d)
        return self

    def predict(self, X):
        """The real-valued network output ``f(x)`` of the fitted network, shape ``(m,)``."""
        check_fitted(self, "network_")
        net = self.network_
        X = check_array(X, "X", ndim=2, xp=net.xp, columns=self.n_features_in_, like="the fitted network")
        out = net(net.xp.astype(X, net.dtype))
        return check_finite_output(out, "X")

    def predict_label(self, X):
        """The predicted label ``sign f(x)`` in ``{−1, +1}`` (``sign 0 := +1``, as :func:`evaluate`)."""
        f = self.predict(X)
        xp = array_namespace(f)
        return xp.where(f >= 0, xp.ones_like(f), -xp.ones_like(f))


# -- output layer on fixed features, pruning ----------------------------------------------------------------
DEFAULT_RIDGE_GRID = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1.0)


def fit_output_layer(net: TwoLayerNetwork, train, val, /, *, lambdas: Sequence[float] = DEFAULT_RIDGE_GRID,
                     chunk: int = DEFAULT_CHUNK) -> tuple[TwoLayerNetwork, float]:
    """Train the output layer alone on the fixed features ``σ(XW − b)``; first layer and biases kept.

    Design (docs/papers/swl23.md §6): the output layer is fitted "to optimality" by ridge
    regression on the ±1 labels for a λ grid from one eigendecomposition
    (:class:`featlearn.models.ridge.RidgePath`), and λ is chosen by the validation **0-1 error**
    (one streamed pass over the validation features per λ grid, as a matrix product). With the
    first layer frozen at initialisation this is the random-features baseline; after
    Algorithm 1's first step it retrains the output layer of the learned features (lottery tickets).

    Returns
    -------
    (TwoLayerNetwork, float)
        The network with the fitted output layer, and the chosen λ.
    """
    net = _check_net(net)
    grid = check_grid(lambdas, "lambdas", min_val=0.0, include_boundaries="neither")
    xp = net.xp
    stats = GramStats.zeros(net.width, xp=xp, dtype=net.dtype, device=device_of(net.W))
    for batch in iter_batches(train, chunk=chunk, d=net.d, name="train", xp=xp, like="net"):
        y = xp.astype(batch.y, net.dtype)
        _check_labels(xp, y, "train")
        stats.add(net.features(xp.astype(batch.X, net.dtype)), y)
    path = RidgePath(stats)
    A = path.coefs(list(grid))  # (m, L)
    wrong = None
    for batch in iter_batches(val, chunk=chunk, d=net.d, name="val", xp=xp, like="net"):
        y = xp.astype(batch.y, net.dtype)
        _check_labels(xp, y, "val")
        out = net.features(xp.astype(batch.X, net.dtype)) @ A  # (chunk, L)
        pred = xp.where(out >= 0, xp.ones_like(out), -xp.ones_like(out))
        e = xp.sum(xp.astype(pred != y[:, None], net.dtype), axis=0)
        wrong = e if wrong is None else wrong + e
    best = int(to_scalar(xp.argmin(wrong)))
    return replace(net, a=A[:, best]), grid[best]


def prune(net: TwoLayerNetwork, keep, /) -> TwoLayerNetwork:
    """The sub-network of the neurons where the boolean mask ``keep`` (shape (m,)) is true."""
    xp = _check_net(net).xp
    if not hasattr(keep, "dtype") or keep.dtype != xp.bool or tuple(keep.shape) != (net.width,):
        raise TypeError(f"keep: expected a boolean mask of shape ({net.width},)")
    idx = xp.asarray([i for i, v in enumerate(to_host(keep).tolist()) if v], dtype=xp.int64,
                     device=device_of(net.W))
    if int(idx.shape[0]) == 0:
        raise ValueError("keep: the mask keeps no neuron")
    return replace(net, W=xp.take(net.W, idx, axis=1), a=xp.take(net.a, idx, axis=0),
                   bias=xp.take(net.bias, idx, axis=0))
