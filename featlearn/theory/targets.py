"""Target functions f*: single-index, quadratic-feature, hierarchical, parity, mixtures, radial.

A :class:`Target` maps inputs ``x`` of shape ``(n, d)`` to labels of shape ``(n,)``, on
any Array-API backend (the namespace is inferred from ``x``), and knows its default
input law (:mod:`featlearn.theory.distributions`). *Hierarchical* targets are
compositions ``f* = g*∘h*`` of a scalar feature ``h*: R^d → R`` and a link
``g*: R → R`` (NDL23 §4's "single-index models and functions of quadratic features",
and the radial targets of SL21); :meth:`Target.feature` returns ``h*(x)`` and
:attr:`Target.link` is ``g*`` as an :class:`~featlearn.theory.activations.Activation`.

Papers: NDL23 = Nichani–Damian–Lee 2023 (arXiv 2305.06986); SWL23 = Shi–Wei–Liang 2023
(arXiv 2310.12408); SL21 = Safran–Lee 2021 (arXiv 2112.02393); MLHD23 = Moniri–Lee–
Hassani–Dobriban 2023 (arXiv 2310.07891). Conventions that we could not read in the
papers and reconstructed are marked *reconstructed* (see ``docs/provenance.md``).

Examples
--------
>>> import numpy as xp
>>> from featlearn.backends import Generator
>>> from featlearn.theory.targets import SingleIndex
>>> rng = Generator(0, xp=xp)
>>> f = SingleIndex.random(rng, 4, "relu")
>>> X, y = f.sample(rng, 8, noise_std=0.1)
>>> X.shape, y.shape, f.hierarchical
((8, 4), (8,), True)
"""

from __future__ import annotations

import abc
import math
from dataclasses import dataclass
from typing import Any, Callable, Iterable

import array_api_compat

from featlearn.backends import (Generator, array_namespace, device_of, get_namespace, resolve_float_dtype,
                                to_host, to_scalar)
from featlearn.data import TargetStream, sample_blocks_root
from featlearn.theory.activations import Activation, as_activation
from featlearn.theory.distributions import (
    GaussianInput,
    GaussianMixtureInput,
    HypercubeInput,
    InputDistribution,
    SphereInput,
)
from featlearn.validation import (all_finite, as_float_array, check_backend, check_finite_output, check_generator,
                                  check_indices, check_int, check_memory, check_real)

__all__ = [
    "GaussianMixture",
    "Hierarchical",
    "QuadraticFeature",
    "Radial",
    "SingleIndex",
    "SparseParity",
    "Target",
]

#: Key of the child stream the label noise is drawn from (see :meth:`Target.sample`).
NOISE_STREAM = "target-noise"


# -- helpers ---------------------------------------------------------------------------------------------
def _like(xp, p, x):
    """Parameter array ``p`` in the dtype and on the device of ``x``."""
    if p.dtype != x.dtype:
        p = xp.astype(p, x.dtype)
    dev = device_of(x)
    if device_of(p) != dev:
        p = array_api_compat.to_device(p, dev)
    return p


def _as_link(link: Any) -> Activation:
    """``as_activation`` with errors naming the ``link`` argument."""
    try:
        return as_activation(link)
    except ValueError as exc:
        raise ValueError(f"link: {exc}") from None
    except TypeError as exc:
        raise TypeError(f"link: {exc}") from None


def _check_input(inp: Any, d: int) -> InputDistribution:
    if not isinstance(inp, InputDistribution):
        raise TypeError(f"input: expected an InputDistribution (featlearn.theory.distributions), "
                        f"got {type(inp).__name__}")
    if inp.d != d:
        raise ValueError(f"input: dimension d={inp.d} does not match the target's d={d}")
    return inp


def _is_array(a: Any) -> bool:
    return hasattr(a, "shape") and hasattr(a, "dtype") and hasattr(a, "ndim")


# -- base class ------------------------------------------------------------------------------------------
class Target(abc.ABC):
    """A target function ``f*: R^d → R`` with a default input law.

    Attributes
    ----------
    d : int
        Input dimension.
    input : InputDistribution
        Default law of ``x`` used by :meth:`sample`.
    link : Activation or None
        ``g*`` when the target is hierarchical (``f* = g*∘h*``), else ``None``.

    Notes
    -----
    ``target(x)`` checks that ``x`` is a 2-D real floating array with ``d`` columns and
    finite entries (``TypeError`` / ``ValueError`` naming ``x``); arrays of two libraries
    in one call (``x`` and a parameter of the target) raise ``TypeError``. Parameters are
    cast to the dtype and device of ``x``, so a float64 target evaluates float32 inputs in
    float32.

    To define a new target, subclass and set ``d``, ``input`` (and ``link``) in ``__init__``;
    then either override ``hierarchical`` to return ``True`` and implement
    ``_feature(xp, x) -> (n,)`` (``f* = link∘_feature`` follows), or implement
    ``_evaluate(xp, x) -> (n,)``. Both receive ``x`` already validated and its namespace.
    Targets whose labels come with the draw (mixtures) override ``_draw(rng, n, dtype)``.
    """

    d: int
    input: InputDistribution
    link: Activation | None = None

    @abc.abstractmethod
    def __init__(self, *args, **kwargs):
        """Subclasses set ``d``, ``input`` and (hierarchical ones) ``link``."""

    # -- evaluation -------------------------------------------------------------------------------------
    def _check_x(self, x: Any):
        if not _is_array(x):
            raise TypeError(f"x: expected a 2-D array of shape (n, {self.d}), got {type(x).__name__}")
        xp = array_namespace(x)
        if x.ndim != 2:
            raise ValueError(f"x: expected a 2-D array of shape (n, {self.d}), got shape {tuple(x.shape)}")
        if x.shape[1] != self.d:
            raise ValueError(f"x: expected {self.d} columns (the target's input dimension d), "
                             f"got shape {tuple(x.shape)}")
        if not xp.isdtype(x.dtype, "real floating"):
            raise TypeError(f"x: expected a real floating dtype, got {x.dtype}")
        if x.shape[0] and not all_finite(x):
            raise ValueError("x: contains non-finite values")
        if hasattr(xp, "float16") and x.dtype == xp.float16:  # the one dtype rule: float16 is up-cast
            x = xp.astype(x, resolve_float_dtype(xp, None, device=device_of(x)))
        self._check_backend(xp, "x")
        return xp, x

    def _parameters(self) -> dict[str, Any]:
        """The target's parameter arrays by name (none by default); their backend is the target's."""
        return {}

    def _check_backend(self, xp, name: str, kind: str = "an array") -> None:
        """``TypeError`` naming ``name`` and both backends when ``xp`` is not the backend of the parameters."""
        for k, a in self._parameters().items():
            check_backend(xp, name, array_namespace(a), like=f"the target's {k}", kind=kind)

    def __call__(self, x, /):
        """``f*(x)`` for each row of ``x``: ``(n, d) -> (n,)``.

        Integer, boolean and complex arrays and lists are refused (``TypeError``), float16 is
        up-cast; a value that overflows the float dtype raises ``ValueError`` (never inf/NaN).
        """
        xp, x = self._check_x(x)
        out = self._evaluate(xp, x)
        return check_finite_output(out, "x") if out.shape[0] else out

    def _evaluate(self, xp, x):
        # hierarchical targets: f* = g*∘h*; the others override this
        return self.link(self._feature(xp, x))

    @property
    def hierarchical(self) -> bool:
        """``True`` when ``f* = g*∘h*`` with a scalar feature ``h*`` (see :meth:`feature`)."""
        return False

    def feature(self, x, /):
        """The feature ``h*(x)``, shape ``(n,)``, of a hierarchical target ``f* = g*∘h*``.

        Raises
        ------
        ValueError
            If the target has no hierarchical structure.
        """
        if not self.hierarchical:
            raise ValueError(f"{type(self).__name__} has no hierarchical structure (f* is not g*∘h* with a "
                             "scalar feature h*)")
        xp, x = self._check_x(x)
        out = self._feature(xp, x)
        return check_finite_output(out, "x") if out.shape[0] else out

    def _feature(self, xp, x):  # pragma: no cover - only reached for hierarchical subclasses
        raise NotImplementedError

    # -- sampling ---------------------------------------------------------------------------------------
    def _draw(self, rng: Generator, n: int, dtype):
        """Inputs and noiseless labels; overridden by targets whose labels are part of the draw."""
        X = self.input.sample(rng, n, dtype=dtype)
        return X, self(X)

    def sample(self, rng: Generator, n: int, *, noise_std: float = 0.0, dtype=None):
        """Draw a data set ``(X, y)``: ``X ~ self.input``, ``y = f*(X) + noise·ξ``, ``ξ ~ N(0, 1)``.

        The one way featlearn draws data: ``target.sample(rng, n)`` returns exactly the arrays of
        ``TargetStream(target, n, rng).materialise()`` (and leaves ``rng`` in the same state), so an
        experiment may hold its data in memory or stream it without moving a single number.

        Parameters
        ----------
        rng : Generator
            featlearn generator; the arrays are of its backend and on its device.
        n : int
            Number of samples, ``n >= 0``.
        noise_std : float
            Standard deviation of the additive Gaussian label noise, ``>= 0``.
        dtype : optional
            Float dtype of ``X`` and ``y`` (backend default if omitted).

        Returns
        -------
        X : array, shape (n, d)
        y : array, shape (n,)

        Notes
        -----
        One integer key is drawn from ``rng``, so successive calls give fresh data; the samples
        then come block by block (:data:`featlearn.data.DEFAULT_BLOCK` rows) from
        ``rng.child("sample", key).child("block", i)`` through :meth:`sample_block`, as
        :class:`~featlearn.data.TargetStream` draws them.

        Examples
        --------
        >>> from featlearn.backends import Generator
        >>> from featlearn.data import TargetStream
        >>> t = SingleIndex.random(Generator(0), 3, "tanh")
        >>> X, y = t.sample(Generator(1), 5)
        >>> b = TargetStream(t, 5, Generator(1)).materialise()
        >>> bool((X == b.X).all() and (y == b.y).all())
        True
        """
        n = check_int(n, "n", min_val=0)
        check_memory(8.0 * n * (3 * self.d + 4), f"{type(self).__name__}.sample: X of shape (n, d) = ({n}, {self.d})")
        if n == 0:
            return self.sample_block(sample_blocks_root(check_generator(rng)), 0, noise_std=noise_std, dtype=dtype)
        draws = list(TargetStream(self, n, rng, noise_std=noise_std, dtype=dtype).draws())
        if len(draws) == 1:
            return draws[0]
        xp = array_namespace(draws[0][0])
        return xp.concat([X for X, _ in draws]), xp.concat([y for _, y in draws])

    def sample_block(self, rng: Generator, n: int, *, noise_std: float = 0.0, dtype=None):
        """One block of ``n`` samples drawn directly from ``rng`` (what :meth:`sample` and
        :class:`~featlearn.data.TargetStream` assemble; call those instead).

        ``X`` (and, for targets whose labels come with the draw, ``y``) is drawn from ``rng``
        itself; then one integer key is drawn from ``rng`` (always, whatever ``noise_std`` is)
        and the noise comes from the child stream ``rng.child("target-noise", key)``. Hence
        ``X`` is the same for every noise level.
        """
        rng = check_generator(rng)
        self._check_backend(rng.xp, "rng", "a Generator")  # the draw would be on rng's backend: refused before drawing
        n = check_int(n, "n", min_val=0)
        noise_std = check_real(noise_std, "noise_std", min_val=0.0)
        X, y = self._draw(rng, n, dtype)
        key = int(to_scalar(rng.integers(0, 2**31 - 1, ())))
        if noise_std > 0:
            y = y + noise_std * rng.child(NOISE_STREAM, key).normal((n,), dtype=y.dtype)
            if n and not all_finite(y):  # a huge noise_std overflows the labels' dtype: refuse, never return inf
                raise ValueError(f"noise_std: label noise of standard deviation {noise_std:g} overflows {y.dtype} "
                                 "(the labels are not finite); expected a smaller noise_std")
        return X, y

    def __repr__(self) -> str:
        link = f", link={self.link.name!r}" if self.link is not None else ""
        return f"{type(self).__name__}(d={self.d}{link}, input={self.input!r})"


# -- hierarchical targets --------------------------------------------------------------------------------
class Hierarchical(Target):
    """Generic hierarchical target ``f*(x) = g*(h*(x))`` (NDL23 §1's "f* = g*∘h*").

    Parameters
    ----------
    link : str, Activation or callable
        The link ``g*`` (resolved by :func:`~featlearn.theory.activations.as_activation`).
    feature_fn : callable
        ``h*``: an ``(n, d)`` array to an ``(n,)`` array of the same namespace.
    d : int
        Input dimension.
    input : InputDistribution, optional
        Default input law; ``GaussianInput(d)`` if omitted.

    Examples
    --------
    >>> import numpy as xp
    >>> f = Hierarchical("tanh", lambda x: xp.sum(x, axis=1), 2)
    >>> f(xp.asarray([[0.0, 0.0]]))
    array([0.])
    """

    def __init__(self, link, feature_fn: Callable, d: int, *, input: InputDistribution | None = None):
        self.link = _as_link(link)
        if not callable(feature_fn):
            raise TypeError(f"feature_fn: expected a callable (n, d) -> (n,), got {type(feature_fn).__name__}")
        self.feature_fn = feature_fn
        self.d = check_int(d, "d", min_val=1)
        self.input = GaussianInput(self.d) if input is None else _check_input(input, self.d)

    @property
    def hierarchical(self) -> bool:
        return True

    def _feature(self, xp, x):
        h = self.feature_fn(x)
        if not _is_array(h) or tuple(h.shape) != (x.shape[0],):
            shape = tuple(h.shape) if _is_array(h) else type(h).__name__
            raise ValueError(f"feature_fn: expected an array of shape ({x.shape[0]},), got {shape}")
        return h


class SingleIndex(Target):
    """Single-index model ``f*(x) = g*(β·x)`` with ``‖β‖ = 1`` (NDL23 §4; MLHD23 §2).

    Hierarchical with ``h*(x) = β·x``. Under ``x ~ N(0, I_d)`` the feature is exactly
    ``N(0, 1)``, so ``E[f*(x) He_k(β·x)]`` is the link's k-th Hermite coefficient μ_k.

    Parameters
    ----------
    link : str, Activation or callable
        ``g*`` (e.g. ``"relu"``, ``"tanh_softplus"``, ``"he2"``).
    beta : array, shape (d,)
        Direction; normalised to unit norm here. Sequences are read with NumPy's
        Array-API namespace. ``ValueError`` if zero or non-finite.
    input : InputDistribution, optional
        Default ``GaussianInput(d)`` (NDL23's single-index input, read from the paper via a
        reproducibility page).

    Examples
    --------
    >>> import numpy as xp
    >>> f = SingleIndex("identity", xp.asarray([3.0, 4.0]))
    >>> f.beta
    array([0.6, 0.8])
    >>> f(xp.asarray([[1.0, 1.0]]))
    array([1.4])
    """

    def __init__(self, link, beta, *, input: InputDistribution | None = None):
        self.link = _as_link(link)
        xp, beta = as_float_array(beta, "beta")
        if beta.ndim != 1 or beta.shape[0] < 1:
            raise ValueError(f"beta: expected a non-empty 1-D array, got shape {tuple(beta.shape)}")
        if not all_finite(beta):
            raise ValueError("beta: contains non-finite values")
        norm = to_scalar(xp.linalg.vector_norm(beta))
        if not (norm > 0 and math.isfinite(norm)):
            raise ValueError(f"beta: expected a non-zero vector with finite norm, got norm {norm}")
        self.beta = beta / norm
        self.d = int(beta.shape[0])
        self.input = GaussianInput(self.d) if input is None else _check_input(input, self.d)

    @classmethod
    def random(cls, rng: Generator, d: int, link, *, input: InputDistribution | None = None,
               dtype=None) -> "SingleIndex":
        """β uniform on the unit sphere of ``R^d``, drawn with ``rng`` (arrays of ``rng.xp``)."""
        d = check_int(d, "d", min_val=1)
        check_memory(24.0 * d, f"SingleIndex.random: β of dimension d = {d}")
        beta = check_generator(rng).sphere(1, d, dtype=dtype)[0, :]
        return cls(link, beta, input=input)

    @property
    def hierarchical(self) -> bool:
        return True

    def _parameters(self) -> dict[str, Any]:
        return {"beta": self.beta}

    def _feature(self, xp, x):
        return x @ _like(xp, self.beta, x)


class QuadraticFeature(Target):
    """Function of a quadratic feature, ``f*(x) = g*(xᵀAx − tr A)`` (NDL23 §4, quadratic-feature setting).

    ``A`` is symmetric and normalised to ``‖A‖_F = 1`` here. The feature is
    ``h*(x) = xᵀAx − tr(A)``.

    *Reconstructed convention.* NDL23 writes ``h*(x) = xᵀAx`` (read via a reproducibility
    page); whether A is centred (``tr A = 0``) was not found. We subtract ``tr A`` so that
    ``E h*(x) = 0`` both for ``x ~ N(0, I_d)`` and for ``x`` uniform on the sphere of radius
    √d (both have ``E xxᵀ = I``); this is the degree-2 projection ``P_2 h*`` that the
    docs/papers/ndl23.md (§5, "Why Kf* ≈ h*") uses. For tr A = 0 the two conventions coincide.
    Under ``N(0, I_d)``, ``Var h*(x) = 2‖A‖_F² = 2``.

    Parameters
    ----------
    link : str, Activation or callable
        ``g*``; NDL23's corollary assumes a 1-Lipschitz link (secondary source).
    A : array, shape (d, d)
        Symmetric matrix (symmetric up to ~1000 float eps relative to max|A|; it is then
        symmetrised exactly). ``ValueError`` if not square, not symmetric, zero or non-finite.
    input : InputDistribution, optional
        Default ``SphereInput(d)`` (uniform on the sphere of radius √d, NDL23's ``X_d``).

    Examples
    --------
    >>> import numpy as xp
    >>> f = QuadraticFeature("identity", xp.asarray([[1.0, 0.0], [0.0, -1.0]]))
    >>> f.feature(xp.asarray([[1.0, 0.0], [0.0, 1.0]]))   # A/‖A‖_F = diag(1, -1)/√2
    array([ 0.70710678, -0.70710678])
    """

    def __init__(self, link, A, *, input: InputDistribution | None = None):
        self.link = _as_link(link)
        xp, A = as_float_array(A, "A")
        if A.ndim != 2 or A.shape[0] != A.shape[1] or A.shape[0] < 1:
            raise ValueError(f"A: expected a square (d, d) matrix, got shape {tuple(A.shape)}")
        if not all_finite(A):
            raise ValueError("A: contains non-finite values")
        amax = to_scalar(xp.max(xp.abs(A)))
        if amax == 0:
            raise ValueError("A: is zero (‖A‖_F = 0 cannot be normalised)")
        asym = to_scalar(xp.max(xp.abs(A - A.mT)))
        # ~1000 eps relative: accepts products such as U D Uᵀ computed in floating point,
        # rejects any matrix that is asymmetric on purpose
        if asym > 1e3 * xp.finfo(A.dtype).eps * amax:
            raise ValueError(f"A: expected a symmetric matrix, max|A − Aᵀ| = {asym:.3g} (max|A| = {amax:.3g})")
        A = 0.5 * (A + A.mT)
        fro = to_scalar(xp.linalg.matrix_norm(A))
        self.A = A / fro
        self.d = int(A.shape[0])
        self.trace = to_scalar(xp.linalg.trace(self.A))
        self.input = SphereInput(self.d) if input is None else _check_input(input, self.d)

    @classmethod
    def random(cls, rng: Generator, d: int, link, *, rank: int | None = None,
               input: InputDistribution | None = None, dtype=None) -> "QuadraticFeature":
        """A random A drawn with ``rng``.

        * ``rank=None`` (docs/papers/ndl23.md §10, our design): ``A = G + Gᵀ`` with ``G`` i.i.d.
          ``N(0,1)`` (d × d), trace removed, normalised to ``‖A‖_F = 1``. Its spectrum is
          close to a semicircle of radius ``2/√d``, so ``‖A‖_op ≈ 2/√d`` (the small operator
          norm of NDL23's corollary, ``O(1/√d)``, secondary source). Needs ``d >= 2``.
        * ``rank=r``: ``A = Σ_{i<r} s_i g_i g_iᵀ`` with ``g_i ~ N(0, I_d)`` and alternating
          signs ``s_i = +1, −1, +1, …``, normalised; ``‖A‖_op ≈ 1/√r`` for ``r ≪ d``
          (a low-rank contrast; not trace-removed, the feature subtracts ``tr A`` anyway).
        """
        d = check_int(d, "d", min_val=1)
        rng = check_generator(rng)
        check_memory(32.0 * d * d, f"QuadraticFeature.random: A of shape (d, d) = ({d}, {d})")
        xp = rng.xp
        if rank is None:
            if d < 2:
                raise ValueError("d: a random trace-free A needs d >= 2 (for d = 1 it is zero)")
            G = rng.normal((d, d), dtype=dtype)
            A = G + G.mT
            tr = xp.linalg.trace(A)
            A = A - (tr / d) * xp.eye(d, dtype=A.dtype, device=rng.device)
        else:
            r = check_int(rank, "rank", min_val=1)
            if r > d:
                raise ValueError(f"rank: expected 1 <= rank <= d = {d}, got {r}")
            G = rng.normal((d, r), dtype=dtype)
            signs = xp.asarray([1.0 if i % 2 == 0 else -1.0 for i in range(r)], dtype=G.dtype, device=rng.device)
            A = (G * signs[None, :]) @ G.mT
            A = 0.5 * (A + A.mT)
        return cls(link, A, input=input)

    @classmethod
    def radial(cls, d: int, link, *, xp=None, dtype=None, device=None, input: InputDistribution | None = None):
        """``A = I/√d`` (‖A‖_F = 1, ‖A‖_op = 1/√d): ``h*(x) = (‖x‖² − d)/√d``, a radial target.

        The default input is ``GaussianInput(d)`` -- not the sphere, where ``‖x‖`` is constant
        and the feature vanishes. docs/papers/ndl23.md §7 (a) list radial functions as a candidate
        depth-separation construction (recalled, unverified).

        Parameters
        ----------
        xp : namespace or str, optional
            Backend of ``A`` (NumPy by default).
        device : optional
            Device of ``A``: pass the data's device so that evaluation never copies ``A``.
        """
        d = check_int(d, "d", min_val=1)
        try:
            xp = get_namespace("numpy" if xp is None else xp)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"xp: {exc}") from None
        check_memory(8.0 * d * d, f"QuadraticFeature.radial: A of shape (d, d) with d = {d}")
        A = xp.eye(d, dtype=resolve_float_dtype(xp, dtype, device), device=device) / math.sqrt(d)
        return cls(link, A, input=GaussianInput(d) if input is None else input)

    @property
    def hierarchical(self) -> bool:
        return True

    def _parameters(self) -> dict[str, Any]:
        return {"A": self.A}

    def _feature(self, xp, x):
        A = _like(xp, self.A, x)
        return xp.sum((x @ A) * x, axis=1) - self.trace


@dataclass(frozen=True)
class _Norm:
    """h*(x) = ‖x‖ (a picklable feature function)."""

    def __call__(self, x):
        return array_namespace(x).linalg.vector_norm(x, axis=1)


class Radial(Target):
    """Radial target ``f*(x) = g*(‖x‖)`` (hierarchical, ``h*(x) = ‖x‖``; SL21 §1's radial functions).

    Parameters
    ----------
    link : str, Activation or callable
        ``g*`` applied to the norm.
    d : int
        Input dimension.
    input : InputDistribution, optional
        Default ``GaussianInput(d)`` (then ``‖x‖ ≈ √d``; pass a
        :class:`~featlearn.theory.distributions.RadialInput` for SL21's radial laws).

    Examples
    --------
    >>> import numpy as xp
    >>> Radial("identity", 2)(xp.asarray([[3.0, 4.0]]))
    array([5.])
    """

    def __init__(self, link, d: int, *, input: InputDistribution | None = None):
        self.link = _as_link(link)
        self.d = check_int(d, "d", min_val=1)
        self.input = GaussianInput(self.d) if input is None else _check_input(input, self.d)

    @property
    def hierarchical(self) -> bool:
        return True

    def _feature(self, xp, x):
        return xp.linalg.vector_norm(x, axis=1)


# -- non-hierarchical targets ----------------------------------------------------------------------------
class SparseParity(Target):
    """k-sparse parity ``f*(x) = Π_{i∈S} x_i`` on ``x`` uniform on ``{±1}^d`` (SWL23 §5.4, reconstructed).

    Not hierarchical in the sense of a scalar feature (``link`` is ``None``).

    Parameters
    ----------
    d : int
        Input dimension.
    support : iterable of int
        The relevant coordinates S: distinct ints in ``[0, d)``, at least one.
    input : InputDistribution, optional
        Default ``HypercubeInput(d)``.

    Examples
    --------
    >>> import numpy as xp
    >>> SparseParity(3, [0, 2])(xp.asarray([[1.0, -1.0, -1.0], [1.0, 1.0, 1.0]]))
    array([-1.,  1.])
    """

    def __init__(self, d: int, support: Iterable[int], *, input: InputDistribution | None = None):
        self.d = check_int(d, "d", min_val=1)
        self.support = tuple(sorted(check_indices(support, "support", size=self.d)))
        self.k = len(self.support)
        self.input = HypercubeInput(self.d) if input is None else _check_input(input, self.d)

    @classmethod
    def random(cls, rng: Generator, d: int, k: int, *, input: InputDistribution | None = None) -> "SparseParity":
        """A support of size ``k`` uniform among the subsets of ``[0, d)``, drawn with ``rng``."""
        d = check_int(d, "d", min_val=1)
        k = check_int(k, "k", min_val=1)
        if k > d:
            raise ValueError(f"k: expected 1 <= k <= d = {d}, got {k}")
        check_generator(rng)
        check_memory(16.0 * d, f"SparseParity.random: {d} uniform draws and their order, d = {d}")
        u = rng.uniform(d)
        order = to_host(rng.xp.argsort(u)).tolist()
        return cls(d, order[:k], input=input)

    def _evaluate(self, xp, x):
        idx = xp.asarray(self.support, dtype=xp.int64, device=device_of(x))
        return xp.prod(xp.take(x, idx, axis=1), axis=1)

    def __repr__(self) -> str:
        return f"SparseParity(d={self.d}, support={self.support})"


class GaussianMixture(Target):
    """Binary classification by a Gaussian mixture (SWL23 §4 "mixtures of Gaussians", reconstructed).

    Component ``j`` has mean ``μ_j``, covariance ``σ_j² I`` (one shared σ by default),
    weight ``w_j`` and label ``y_j ∈ {−1, +1}``. :meth:`sample` draws the component, then
    ``x ~ N(μ_j, σ_j² I)``, and returns the component's label ``y_j`` (the generative label,
    plus optional Gaussian noise). ``f*(x)`` (``__call__``) is the **Bayes label**
    ``argmax_{y} Σ_{j: y_j = y} w_j N(x; μ_j, σ_j² I)`` (ties go to +1), computed with a
    log-sum-exp; with equal weights and covariances and one component per label it is the
    label of the nearest mean. Not hierarchical.

    Parameters
    ----------
    means : array or nested sequence, shape (k, d)
        Component means; sequences are read with ``xp`` (NumPy by default).
    labels : sequence of k ints in {−1, +1}
        Per-component labels.
    std : float or sequence of k floats
        Component standard deviations, > 0.
    weights : sequence of k floats, optional
        Mixing weights (positive, normalised); uniform by default.
    xp : namespace or str, optional
        Backend for sequence ``means``.
    dtype : optional
        Float dtype of the means.

    Examples
    --------
    >>> import numpy as xp
    >>> f = GaussianMixture.xor(2, 3.0, xp=xp)
    >>> f(xp.asarray([[2.5, 0.1], [0.2, -2.9]]))
    array([ 1., -1.])
    """

    def __init__(self, means, labels, std=1.0, *, weights=None, xp=None, dtype=None):
        self.input = GaussianMixtureInput(means, std, weights=weights, xp=xp, dtype=dtype)
        self.d = self.input.d
        k = self.input.k
        if _is_array(labels):
            labels = to_host(labels).reshape(-1).tolist()
        if isinstance(labels, (str, bytes)):
            raise TypeError("labels: expected a sequence of ±1, got str")
        try:
            labs = list(labels)
        except TypeError:
            raise TypeError(f"labels: expected a sequence of ±1, got {type(labels).__name__}") from None
        if len(labs) != k:
            raise ValueError(f"labels: expected {k} labels (one per component of means), got {len(labs)}")
        if any(isinstance(v, bool) or v not in (-1, 1) for v in labs):
            raise ValueError(f"labels: expected values in {{-1, +1}}, got {labs}")
        self.labels = tuple(int(v) for v in labs)

    @property
    def means(self):
        return self.input.means

    @classmethod
    def xor(cls, d: int, separation: float, *, std: float = 1.0, xp=None, dtype=None) -> "GaussianMixture":
        """XOR-like mixture: means ``±separation·e_1`` (label +1) and ``±separation·e_2`` (label −1).

        Four equiprobable components with ``μ_1 = −μ_2 ⊥ μ_3 = −μ_4`` of norm ``separation``
        and covariance ``std² I``: no linear classifier beats chance (docs/papers/swl23.md §5.2, the
        Refinetti et al. 2021 setting; the paper's scalings were not found -- reconstructed).
        """
        d = check_int(d, "d", min_val=1)
        if d < 2:
            raise ValueError(f"d: the XOR mixture needs d >= 2, got {d}")
        s = check_real(separation, "separation", min_val=0.0, include_boundaries="neither")
        check_memory(48.0 * 4 * d, f"GaussianMixture.xor: the 4 means of dimension d = {d}")
        rows = []
        for axis, sign in ((0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)):
            row = [0.0] * d
            row[axis] = sign * s
            rows.append(row)
        return cls(rows, [1, 1, -1, -1], std=std, xp=xp, dtype=dtype)

    def _parameters(self) -> dict[str, Any]:
        return {"means": self.input.means}

    def _evaluate(self, xp, x):
        logp = self.input.log_component_densities(x)
        n = x.shape[0]
        dev = device_of(x)

        def lse(idx):
            if not idx:
                return xp.full((n,), -math.inf, dtype=x.dtype, device=dev)
            sub = xp.take(logp, xp.asarray(idx, dtype=xp.int64, device=dev), axis=1)
            m = xp.max(sub, axis=1)
            return m + xp.log(xp.sum(xp.exp(sub - m[:, None]), axis=1))

        pos = lse([j for j, v in enumerate(self.labels) if v == 1])
        neg = lse([j for j, v in enumerate(self.labels) if v == -1])
        return xp.where(pos >= neg, xp.ones_like(pos), -xp.ones_like(pos))

    def _draw(self, rng: Generator, n: int, dtype):
        X, comp = self.input.sample_components(rng, n, dtype=dtype)
        xp = rng.xp
        lab = xp.asarray([float(v) for v in self.labels], dtype=X.dtype, device=device_of(X))
        return X, xp.take(lab, comp, axis=0)

    def __repr__(self) -> str:
        return f"GaussianMixture(d={self.d}, k={self.input.k}, labels={self.labels}, std={self.input.stds})"
