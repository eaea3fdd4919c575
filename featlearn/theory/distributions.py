"""Input distributions of the papers: Gaussian, sphere, hypercube, radial laws, Gaussian mixtures.

Every distribution has an input dimension ``d`` and a method
``sample(rng, n, *, dtype=None) -> (n, d)`` that draws with a featlearn
:class:`~featlearn.backends.Generator` and returns an array of the generator's backend
(``rng.xp``) on its device. All array code goes through ``rng.xp``; there is no NumPy
here.

Which paper uses which law:

* :class:`GaussianInput` -- ``N(0, I_d)``: single-index models (NDL23 §4, Moniri et al. 2023 §2);
* :class:`SphereInput` -- uniform on the sphere of radius √d: NDL23's quadratic-feature
  setting (input space ``X_d = S^{d-1}(√d)``, a secondary-source reading, docs/papers/ndl23.md §5);
* :class:`HypercubeInput` -- uniform on ``{±1}^d``: sparse parities (SWL23 §5.4, reconstructed);
* :class:`RadialInput` -- uniform direction, radius from a given law: the radially
  symmetric inputs of Safran–Lee 2021 (its exact laws: :mod:`featlearn.papers.sl21.radial_laws`);
* :class:`GaussianMixtureInput` -- the marginal law of x in SWL23's mixture-of-Gaussians
  application (docs/papers/swl23.md §5.1, reconstructed).

Examples
--------
>>> from featlearn.backends import Generator
>>> from featlearn.theory.distributions import SphereInput
>>> rng = Generator(0, xp="numpy")
>>> x = SphereInput(5).sample(rng, 3)
>>> x.shape
(3, 5)
"""

from __future__ import annotations

import abc
import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

from featlearn.validation import (all_finite, as_float_array, check_array, check_generator, check_int, check_memory,
                                  check_real)
from featlearn.backends import (Generator, array_namespace, device_of, to_host)

__all__ = [
    "GaussianInput",
    "GaussianMixtureInput",
    "HypercubeInput",
    "InputDistribution",
    "RadialInput",
    "SphereInput",
    "lomax_radius",
    "uniform_radius",
]


def _n_draws(n: Any) -> int:
    """A number of scalar draws ``n >= 0``, refused (``MemoryRefusal``) when it cannot fit in memory."""
    n = check_int(n, "n", min_val=0)
    check_memory(24.0 * n, f"a draw of n = {n} radii")
    return n


# -- the interface ---------------------------------------------------------------------------------------
class InputDistribution(abc.ABC):
    """A law of inputs ``x ∈ R^d``.

    Subclasses define ``d`` and :meth:`sample`.
    """

    d: int

    @abc.abstractmethod
    def sample(self, rng: Generator, n: int, *, dtype=None):
        """``n`` i.i.d. draws as an ``(n, d)`` array of ``rng.xp`` (default float dtype of the backend)."""


@dataclass(frozen=True)
class GaussianInput(InputDistribution):
    """The standard Gaussian ``N(0, I_d)``.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> GaussianInput(3).sample(Generator(0, xp="numpy"), 4).shape
    (4, 3)
    """

    d: int

    def __post_init__(self):
        object.__setattr__(self, "d", check_int(self.d, "d", min_val=1))

    def sample(self, rng: Generator, n: int, *, dtype=None):
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        return check_generator(rng).normal((n, self.d), dtype=dtype)


@dataclass(frozen=True)
class SphereInput(InputDistribution):
    """Uniform on the sphere ``{x : ‖x‖ = radius}`` in ``R^d``; radius √d by default.

    With radius √d, ``E[x xᵀ] = I_d`` exactly, as for ``N(0, I_d)`` (NDL23's
    ``X_d = S^{d-1}(√d)``).

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.
    radius : float, optional
        Positive radius; ``None`` means √d.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> import numpy as xp
    >>> x = SphereInput(4).sample(Generator(0, xp=xp), 2)
    >>> [round(float(v), 12) for v in xp.linalg.vector_norm(x, axis=1)]
    [2.0, 2.0]
    """

    d: int
    radius: float | None = None

    def __post_init__(self):
        d = check_int(self.d, "d", min_val=1)
        object.__setattr__(self, "d", d)
        r = math.sqrt(d) if self.radius is None else check_real(self.radius, "radius", min_val=0.0, include_boundaries="neither")
        object.__setattr__(self, "radius", r)

    def sample(self, rng: Generator, n: int, *, dtype=None):
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        return check_generator(rng).sphere(n, self.d, radius=self.radius, dtype=dtype)


@dataclass(frozen=True)
class HypercubeInput(InputDistribution):
    """Uniform on the hypercube ``{±1}^d`` (as floats).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> import numpy as xp
    >>> x = HypercubeInput(3).sample(Generator(0, xp=xp), 5)
    >>> bool(xp.all(xp.abs(x) == 1.0))
    True
    """

    d: int

    def __post_init__(self):
        object.__setattr__(self, "d", check_int(self.d, "d", min_val=1))

    def sample(self, rng: Generator, n: int, *, dtype=None):
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        return check_generator(rng).rademacher((n, self.d), dtype=dtype)


@dataclass(frozen=True)
class RadialInput(InputDistribution):
    """A radially symmetric law: ``x = r·u`` with ``u`` uniform on the unit sphere and ``r`` independent.

    Parameters
    ----------
    d : int
        Input dimension, ``d >= 1``.
    radius_law : callable
        ``radius_law(rng, n) -> (n,)`` array of ``rng.xp``: ``n`` i.i.d. non-negative finite
        radii drawn with the given :class:`~featlearn.backends.Generator`. Any real floating
        dtype; the result is cast to the sample's dtype. Must draw only with ``rng`` so that
        samples are reproducible. Ready-made laws: :func:`uniform_radius`,
        :func:`lomax_radius` (heavy-tailed).

    Notes
    -----
    The direction is drawn first, then the radius, from the same generator. The radii are
    checked (shape, finite, non-negative); a bad law raises ``ValueError`` naming
    ``radius_law``.

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> import numpy as xp
    >>> law = uniform_radius(0.0, 2.0)
    >>> x = RadialInput(3, law).sample(Generator(0, xp=xp), 4)
    >>> x.shape, bool(xp.all(xp.linalg.vector_norm(x, axis=1) <= 2.0))
    ((4, 3), True)
    """

    d: int
    radius_law: Callable[[Generator, int], Any]

    def __post_init__(self):
        object.__setattr__(self, "d", check_int(self.d, "d", min_val=1))
        if not callable(self.radius_law):
            raise TypeError(f"radius_law: expected a callable (rng, n) -> (n,) array, "
                            f"got {type(self.radius_law).__name__}")

    def sample(self, rng: Generator, n: int, *, dtype=None):
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        u = check_generator(rng).sphere(n, self.d, dtype=dtype)
        xp = rng.xp
        r = self.radius_law(rng, n)
        try:
            rxp = array_namespace(r)
        except TypeError:
            raise TypeError(f"radius_law: expected an array of {rng.backend}, got {type(r).__name__}") from None
        if rxp is not xp:
            raise TypeError(f"radius_law: returned an array of another backend ({type(r).__module__}), "
                            f"expected one of {rng.backend}")
        if tuple(r.shape) != (n,):
            raise ValueError(f"radius_law: expected shape ({n},), got {tuple(r.shape)}")
        if not xp.isdtype(r.dtype, "real floating"):
            r = xp.astype(r, u.dtype)
        if n and not (all_finite(r) and bool(xp.all(r >= 0))):
            raise ValueError("radius_law: returned negative or non-finite radii")
        return xp.astype(r, u.dtype)[:, None] * u


# -- radial laws -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class uniform_radius:  # noqa: N801  (a law object used like a function)
    """Radius law ``r ~ Uniform[low, high)`` (a benign radial law, [design]; SL21's own laws are in
    :mod:`featlearn.papers.sl21.radial_laws`).

    Call as ``uniform_radius(low, high)(rng, n)``.
    """

    low: float = 0.0
    high: float = 1.0

    def __post_init__(self):
        lo, hi = check_real(self.low, "low", allow_inf=True), check_real(self.high, "high", allow_inf=True)
        if not (math.isfinite(lo) and lo >= 0):
            raise ValueError(f"low: expected a finite number >= 0, got {self.low!r}")
        if not (math.isfinite(hi) and hi > lo):
            raise ValueError(f"high: expected a finite number > low, got {self.high!r}")
        object.__setattr__(self, "low", lo)
        object.__setattr__(self, "high", hi)

    def __call__(self, rng: Generator, n: int):
        return check_generator(rng).uniform(_n_draws(n), low=self.low, high=self.high)


@dataclass(frozen=True)
class lomax_radius:  # noqa: N801
    """Heavy-tailed radius law (Lomax / Pareto II): ``P(r > t) = (1 + t/scale)^(−alpha)``, ``t >= 0``.

    Drawn by inversion, ``r = scale·(U^(−1/alpha) − 1)`` with ``U`` uniform on (0, 1]. With
    ``alpha = 1`` the tail ``P(r > t) ~ scale/t`` has the same ``1/t`` decay as the
    Eldan–Shamir radial law that Safran–Lee's heavy-tailed case builds on, so ``E r = ∞``. This
    is a cheap stand-in with the same tail exponent, **not** the Eldan–Shamir law itself: that
    law, SL21's μ_d and its Cauchy-tail Assumption-6 law are sampled exactly in
    :mod:`featlearn.papers.sl21.radial_laws` (docs/papers/sl21.md §4.1).

    Parameters
    ----------
    alpha : float
        Tail index, > 0; moments of order ``< alpha`` are finite.
    scale : float
        Scale, > 0 (the median is ``scale·(2^(1/alpha) − 1)``).
    """

    alpha: float = 1.0
    scale: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "alpha", check_real(self.alpha, "alpha", min_val=0.0, include_boundaries="neither"))
        object.__setattr__(self, "scale", check_real(self.scale, "scale", min_val=0.0, include_boundaries="neither"))

    def __call__(self, rng: Generator, n: int):
        u = check_generator(rng).uniform(_n_draws(n))
        xp = rng.xp
        v = 1.0 - u  # in (0, 1] in exact arithmetic; a float32 cast can round u up to 1, so floor v at eps
        v = xp.where(v > 0, v, xp.full_like(v, xp.finfo(v.dtype).eps))
        return self.scale * (v ** (-1.0 / self.alpha) - 1.0)

    def quantile(self, q: float) -> float:
        """The q-quantile ``scale·((1−q)^(−1/alpha) − 1)`` (host scalar), ``0 <= q < 1``."""
        q = check_real(q, "q")
        if not 0.0 <= q < 1.0:
            raise ValueError(f"q: expected 0 <= q < 1, got {q!r}")
        return self.scale * ((1.0 - float(q)) ** (-1.0 / self.alpha) - 1.0)


# -- Gaussian mixtures -----------------------------------------------------------------------------------
def _host_floats(v: Any, name: str) -> list[float]:
    """A scalar, sequence or array of numbers as a list of Python floats (small parameters only)."""
    if hasattr(v, "shape"):
        return [float(t) for t in to_host(v).reshape(-1).tolist()]
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return [float(v)]
    if isinstance(v, Sequence) and not isinstance(v, (str, bytes)):
        out = []
        for t in v:
            if isinstance(t, bool) or not isinstance(t, (int, float)) and not hasattr(t, "__float__"):
                raise TypeError(f"{name}: expected numbers, got {type(t).__name__}")
            out.append(float(t))
        return out
    raise TypeError(f"{name}: expected a number or a sequence of numbers, got {type(v).__name__}")


class GaussianMixtureInput(InputDistribution):
    """Mixture of isotropic Gaussians ``Σ_j w_j N(μ_j, σ_j² I_d)``.

    Parameters
    ----------
    means : array or nested sequence, shape (k, d)
        Component means (rows). Sequences are converted with ``xp`` (NumPy by default).
    std : float or sequence of k floats
        Component standard deviations σ_j > 0 (one shared value or one per component).
    weights : sequence of k floats, optional
        Mixing weights (positive; normalised to sum 1). Uniform by default.
    xp : namespace or str, optional
        Namespace for sequence input; ignored (but checked) when ``means`` is an array.

    Notes
    -----
    ``sample`` draws the component indices with ``rng.uniform`` (inverse CDF of the
    weights), then ``x = μ_j + σ_j z`` with ``z ~ N(0, I_d)`` from the same ``rng``;
    :meth:`sample_components` returns the component indices too. The means must be arrays
    of the backend that ``rng`` draws (``TypeError`` otherwise).

    Examples
    --------
    >>> from featlearn.backends import Generator
    >>> mix = GaussianMixtureInput([[2.0, 0.0], [-2.0, 0.0]], std=0.5, xp="numpy")
    >>> mix.sample(Generator(0, xp="numpy"), 6).shape
    (6, 2)
    """

    def __init__(self, means, std=1.0, *, weights=None, xp=None, dtype=None):
        if xp is not None:
            from featlearn.backends import get_namespace

            try:
                xp = get_namespace(xp)
            except (TypeError, ValueError) as exc:
                raise type(exc)(f"xp: {exc}") from None
        xp, means = as_float_array(means, "means", xp, dtype)
        if means.ndim != 2 or means.shape[0] < 1 or means.shape[1] < 1:
            raise ValueError(f"means: expected a non-empty (k, d) array, got shape {tuple(means.shape)}")
        if not all_finite(means):
            raise ValueError("means: contains non-finite values")
        k, d = int(means.shape[0]), int(means.shape[1])
        stds = _host_floats(std, "std")
        if len(stds) == 1:
            stds = stds * k
        if len(stds) != k:
            raise ValueError(f"std: expected one value or {k} (one per component), got {len(stds)}")
        if not all(math.isfinite(s) and s > 0 for s in stds):
            raise ValueError(f"std: expected finite positive values, got {stds}")
        if weights is None:
            w = [1.0 / k] * k
        else:
            w = _host_floats(weights, "weights")
            if len(w) != k:
                raise ValueError(f"weights: expected {k} values (one per component), got {len(w)}")
            if not all(math.isfinite(t) and t > 0 for t in w):
                raise ValueError(f"weights: expected finite positive values, got {w}")
            tot = sum(w)
            w = [t / tot for t in w]
        self.xp = xp
        self.means = means
        self.d = d
        self.k = k
        self.stds = tuple(stds)
        self.weights = tuple(w)

    def __repr__(self) -> str:
        return f"GaussianMixtureInput(k={self.k}, d={self.d}, std={self.stds}, weights={self.weights})"

    def sample_components(self, rng: Generator, n: int, *, dtype=None):
        """``(x, j)``: ``n`` draws and their component indices (``int64`` array of ``rng.xp``)."""
        n = check_int(n, "n", min_val=0)
        check_memory(24.0 * n * self.d, f"{type(self).__name__}.sample: an (n, d) = ({n}, {self.d}) draw")
        rng = check_generator(rng)
        xp = rng.xp
        if xp is not self.xp:
            raise TypeError(f"rng: draws {rng.backend} arrays but the means are {self.xp.__name__} arrays")
        u = rng.uniform(n, dtype=dtype)
        cum, acc = [], 0.0
        for t in self.weights[:-1]:
            acc += t
            cum.append(acc)
        comp = xp.zeros((n,), dtype=xp.int64, device=rng.device)
        for c in cum:  # component j = #{cumulative weights <= u}: k is small, so a loop is cheapest
            comp = comp + xp.astype(u >= c, xp.int64)
        z = rng.normal((n, self.d), dtype=dtype)
        means = self.means
        if means.dtype != z.dtype:
            means = xp.astype(means, z.dtype)
        mu = xp.take(means, comp, axis=0)
        if len(set(self.stds)) == 1:
            x = mu + self.stds[0] * z
        else:
            s = xp.take(xp.asarray(self.stds, dtype=z.dtype, device=rng.device), comp, axis=0)
            x = mu + s[:, None] * z
        return x, comp

    def sample(self, rng: Generator, n: int, *, dtype=None):
        return self.sample_components(rng, n, dtype=dtype)[0]

    def log_component_densities(self, x, /):
        """``log w_j + log N(x; μ_j, σ_j² I)`` for each row of x and component j: shape (n, k).

        ``x`` is an (n, d) real array of the means' backend; NaN or inf in ``x`` raise ``ValueError``
        (a density is never returned for a NaN row). A row so far from μ_j that ‖x − μ_j‖² overflows
        gets ``−inf`` (the density underflows); one where the overflow leaves it undefined (inf − inf)
        raises ``ValueError``.
        """
        x = check_array(x, "x", ndim=2, columns=self.d, xp=self.xp, min_rows=0, like="the means")
        xp = array_namespace(x, self.means)
        means = self.means if self.means.dtype == x.dtype else xp.astype(self.means, x.dtype)
        sq = (xp.sum(x * x, axis=1)[:, None] - 2.0 * (x @ means.mT) + xp.sum(means * means, axis=1)[None, :])
        if bool(xp.any(xp.isnan(sq))):
            raise ValueError(f"x: the squared distances to the means overflow {x.dtype} (inf − inf); "
                             "rescale the input")
        sq = xp.where(sq < 0, xp.zeros_like(sq), sq)  # rounding can make ‖x−μ‖² slightly negative
        s = xp.asarray(self.stds, dtype=x.dtype, device=device_of(x))
        logw = xp.asarray([math.log(t) for t in self.weights], dtype=x.dtype, device=device_of(x))
        const = -0.5 * self.d * math.log(2.0 * math.pi)
        return logw[None, :] - self.d * xp.log(s)[None, :] - sq / (2.0 * (s * s)[None, :]) + const
