"""The random-feature kernel of a frozen inner layer, its spectrum by degree, and K f*.

NDL23 (Nichani–Damian–Lee 2023, arXiv 2305.06986) §2.2 defines the kernel of the fixed
inner layer and its integral operator; that section was not available (``docs/papers/ndl23.md`` §5), so every formula here is our
**reconstruction**, derived below and checked against Monte Carlo in the tests:

    K(x, x′) = E_v[σ2(v·x) σ2(v·x′)],   v uniform on the unit sphere S^{d−1},
    (K f)(x) = E_{x′∼ν}[K(x, x′) f(x′)]   on L²(ν),

for ν uniform on the sphere of radius √d (``input="sphere"``, NDL23's quadratic-feature
input X_d) or ν = N(0, I_d) (``input="gaussian"``, the single-index input).

Derivation (ours, [reconstructed])
----------------------
Write x = r·u with u on the unit sphere and r = ‖x‖ (r ≡ √d on the sphere, r ~ χ_d for
the Gaussian, independent of u). Let ``t`` be the first coordinate of a uniform unit vector
(density ∝ (1 − t²)^{(d−3)/2} on [−1, 1]), ``P_ℓ`` the Gegenbauer ("Legendre in d
dimensions") polynomial normalised by P_ℓ(1) = 1, and ``N_ℓ`` the dimension of the
degree-ℓ spherical harmonics. Define the *radial profiles*

    c_ℓ(r) = E_t[σ2(r t) P_ℓ(t)].

Funk–Hecke gives E_v[σ2(r v·u) Y(v)] = c_ℓ(r) Y(u) for every degree-ℓ harmonic Y, so with
A: L²(v) → L²(ν), (A g)(x) = E_v[g(v) σ2(v·x)], the operator is K = A A*. Its non-zero
eigenvalues are those of A*A, a rotation-invariant operator on L²(S^{d−1}) whose eigenspaces
are the harmonics of degree ℓ, with eigenvalue

    λ_ℓ = E_r[c_ℓ(r)²]   (multiplicity N_ℓ),

and eigenfunctions c_ℓ(‖x‖) Y_ℓ(x/‖x‖) in x-space. Hence the Mercer expansion

    K(x, x′) = Σ_ℓ N_ℓ c_ℓ(‖x‖) c_ℓ(‖x′‖) P_ℓ(u·u′),   tr K = E σ2(r t)² = Σ_ℓ N_ℓ λ_ℓ.

* Sphere: c_ℓ is a number and λ_ℓ = c_ℓ². For large d, c_ℓ ≈ μ_ℓ(σ2)/d^{ℓ/2} (μ_ℓ the
  Hermite coefficient of :mod:`featlearn.theory.hermite`) and N_ℓ ≈ d^ℓ/ℓ!, so
  λ_ℓ ≈ μ_ℓ²/d^ℓ — the description's "λ_ℓ ≍ μ_ℓ²/N_ℓ" (docs/papers/ndl23.md §5) up to the factor ℓ!.
* Gaussian: the eigenfunctions are *not* Hermite polynomials: each harmonic degree ℓ has
  one eigenvalue, with the radial profile c_ℓ(r). Degree 0 is not the constants: its
  eigenfunction is c_0(‖x‖) (∝ ‖x‖ for ReLU). On centred functions (the labels are
  centred, see :mod:`featlearn.papers.ndl23.three_layer`), the degree-0 block is the rank-one
  operator with eigenvalue ``Var_r c_0(r)`` (zero on the sphere) — :attr:`KernelSpectrum.centred_eigenvalues`.
  This is why radial targets g(‖x‖²) are cheap to learn from Gaussian inputs.

Everything is computed with one-dimensional quadrature (Gauss–Legendre from
:func:`featlearn.theory.host_constants.gauss_legendre` in θ = arccos t and in r), in an
Array-API namespace (NumPy's by default); spectra are returned as host floats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable

from featlearn.backends import array_namespace, get_namespace, to_host, to_scalar
from featlearn.theory.activations import Activation
from featlearn.theory.host_constants import gauss_legendre
from featlearn.validation import check_array, check_bool, check_finite, check_int, check_memory, reference_namespace

from ._checks import check_activation, check_activation_input

__all__ = [
    "CENTRED_ABS",
    "INPUTS",
    "KernelSpectrum",
    "gegenbauer",
    "harmonic_dimension",
    "kernel_energies",
    "kernel_matrix",
    "kernel_spectrum",
    "radius_rule",
    "sphere_coordinate_rule",
]

#: The input laws the kernel is defined for (docs/papers/ndl23.md §5).
INPUTS = ("sphere", "gaussian")

_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _abs_centred(z):
    z = check_activation_input(z)
    return array_namespace(z).abs(z) - _SQRT_2_OVER_PI if not isinstance(z, float) else abs(z) - _SQRT_2_OVER_PI


def _sign(z):
    z = check_activation_input(z)
    return array_namespace(z).sign(z) if not isinstance(z, float) else float((z > 0) - (z < 0))


#: σ(z) = |z| − E|z| (E|z| = √(2/π) for z ~ N(0,1)): an even, non-polynomial activation with
#: μ_0 = μ_1 = 0 and μ_2 = 2φ(0) ≈ 0.798. docs/papers/ndl23.md (§6.2, §10) suggests it as the inner
#: activation σ2 that makes the centred ‖K‖_op scale like d^{-2} (our design choice, [reconstructed]).
CENTRED_ABS = Activation("abs_centred", _abs_centred, _sign, abs_form=(0.0, 1.0, -_SQRT_2_OVER_PI))


#: Highest harmonic degree ℓ the quadrature supports: the composite Gauss–Legendre rules
#: (8 panels × 24 nodes on the coordinate) integrate P_ℓ·σ2 accurately up to it, and every λ_ℓ
#: beyond it is below 1e-13 of the top eigenvalue for the activations of the package.
MAX_DEGREE = 64
#: Largest panel count and Gauss–Legendre order of the quadrature rules (far beyond float64 accuracy).
MAX_PANELS, MAX_ORDER = 4096, 256


# -- validation ------------------------------------------------------------------------------------------
def _check_input(input: Any) -> str:
    if not isinstance(input, str) or input not in INPUTS:
        raise ValueError(f"input: expected one of {INPUTS}, got {input!r}")
    return input


def _host_xp(xp):
    return get_namespace("numpy") if xp is None else get_namespace(xp, name="xp")


# -- spherical harmonics ---------------------------------------------------------------------------------
def harmonic_dimension(ell: int, d: int) -> int:
    """N_ℓ(d): dimension of the degree-ℓ spherical harmonics on S^{d−1}.

    ``N_0 = 1`` and ``N_ℓ = (2ℓ + d − 2)/ℓ · C(ℓ + d − 3, ℓ − 1)`` for ℓ >= 1 (d >= 2).

    Examples
    --------
    >>> [harmonic_dimension(l, 3) for l in range(4)]
    [1, 3, 5, 7]
    >>> harmonic_dimension(2, 16)   # d(d+1)/2 − 1 traceless symmetric matrices
    135
    """
    ell = check_int(ell, "ell", min_val=0, max_val=MAX_DEGREE)
    d = check_int(d, "d", min_val=2)
    if ell == 0:
        return 1
    return (2 * ell + d - 2) * math.comb(ell + d - 3, ell - 1) // ell


def gegenbauer(ell: int, t, d: int, /, *, xp: ModuleType | None = None):
    """Normalised Gegenbauer polynomial P_ℓ^{(d)}(t) with P_ℓ(1) = 1.

    Three-term recurrence ``P_0 = 1``, ``P_1 = t``,
    ``(ℓ + d − 2) P_{ℓ+1} = (2ℓ + d − 2) t P_ℓ − ℓ P_{ℓ−1}``. These are orthogonal under the
    law of one coordinate of a uniform unit vector, with ``E[P_ℓ(t)²] = 1/N_ℓ``.

    Examples
    --------
    >>> import numpy as xp
    >>> gegenbauer(2, xp.asarray([0.0, 1.0]), 3)   # Legendre P_2 = (3t² − 1)/2
    array([-0.5,  1. ])
    """
    ell = check_int(ell, "ell", min_val=0, max_val=MAX_DEGREE)
    d = check_int(d, "d", min_val=2)
    t = check_array(t, "t", xp=None if xp is None else get_namespace(xp, name="xp"), min_rows=0)
    xp = array_namespace(t)
    prev = xp.ones_like(t)
    if ell == 0:
        return prev
    cur = t
    for j in range(1, ell):
        prev, cur = cur, ((2 * j + d - 2) * t * cur - j * prev) / (j + d - 2)
    return cur


# -- quadrature rules ------------------------------------------------------------------------------------
def _composite(a: float, b: float, panels: int, order: int, xp):
    """Composite Gauss–Legendre nodes/weights on [a, b] (as xp float64 arrays)."""
    panels = check_int(panels, "panels", min_val=1, max_val=MAX_PANELS)
    order = check_int(order, "order", min_val=1, max_val=MAX_ORDER)
    t, w = gauss_legendre(order)
    t = xp.asarray(t, dtype=xp.float64)
    w = xp.asarray(w, dtype=xp.float64)
    h = (b - a) / panels
    nodes, weights = [], []
    for p in range(panels):
        lo = a + p * h
        nodes.append(lo + 0.5 * h * (t + 1.0))
        weights.append(0.5 * h * w)
    return xp.concat(nodes), xp.concat(weights)


def sphere_coordinate_rule(d: int, *, panels: int = 8, order: int = 24, xp: ModuleType | None = None):
    """Nodes and weights for E_t[f(t)], t the first coordinate of a uniform unit vector in R^d.

    t = cos θ with θ-density ∝ sin^{d−2} θ; composite Gauss–Legendre in θ on each side of
    θ = π/2 (t = 0, where ReLU-type activations have their kink), restricted to
    |θ − π/2| <= 12/√(d−2) where the mass outside is < e^{−70}. Weights sum to 1.

    Examples
    --------
    >>> t, w = sphere_coordinate_rule(5)
    >>> round(float((w * t * t).sum()), 12)   # E t² = 1/d
    0.2
    """
    d = check_int(d, "d", min_val=2)
    xp = _host_xp(xp)
    half = math.pi / 2 if d <= 4 else min(math.pi / 2, 12.0 / math.sqrt(d - 2))
    th1, w1 = _composite(math.pi / 2 - half, math.pi / 2, panels, order, xp)
    th2, w2 = _composite(math.pi / 2, math.pi / 2 + half, panels, order, xp)
    th = xp.concat([th1, th2])
    w = xp.concat([w1, w2])
    s = xp.sin(th)
    if d > 2:
        w = w * xp.exp((d - 2) * xp.log(xp.where(s > 0, s, xp.full_like(s, 1e-300))))
    w = w / xp.sum(w)
    return xp.cos(th), w


def radius_rule(d: int, input: str, *, panels: int = 24, order: int = 16, xp: ModuleType | None = None):
    """Nodes and weights for E_r[F(r)], r = ‖x‖: the single point √d on the sphere, χ_d for N(0, I_d)."""
    d = check_int(d, "d", min_val=2)
    input = _check_input(input)
    xp = _host_xp(xp)
    if input == "sphere":
        return xp.asarray([math.sqrt(d)], dtype=xp.float64), xp.asarray([1.0], dtype=xp.float64)
    mode = math.sqrt(d - 1.0)
    lo, hi = max(0.0, mode - 10.0), mode + 10.0  # χ_d has s.d. < 0.72; mass outside < e^{−40}
    r, w = _composite(lo, hi, panels, order, xp)
    logp = (d - 1) * xp.log(xp.where(r > 0, r, xp.full_like(r, 1e-300))) - 0.5 * r * r
    logp = logp - xp.max(logp)
    w = w * xp.exp(logp)
    return r, w / xp.sum(w)


# -- the spectrum ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KernelSpectrum:
    """Eigenvalues of K by harmonic degree, with the radial profiles needed to evaluate K.

    Attributes
    ----------
    d, input, sigma2 : the setting.
    degrees : tuple of int
        0..max_degree.
    eigenvalues : tuple of float
        λ_ℓ = E_r[c_ℓ(r)²] (each with multiplicity N_ℓ).
    centred_eigenvalues : tuple of float
        The same on mean-zero functions: ℓ = 0 is replaced by Var_r c_0(r) (0 on the sphere).
    multiplicities : tuple of int
        N_ℓ(d).
    trace : float
        tr K = E_x K(x, x) = E σ2(r t)², computed directly (not from the series).
    """

    d: int
    input: str
    sigma2: Activation
    degrees: tuple[int, ...]
    eigenvalues: tuple[float, ...]
    centred_eigenvalues: tuple[float, ...]
    multiplicities: tuple[int, ...]
    trace: float
    radial_mean: float
    _t: Any = field(repr=False, default=None)
    _w: Any = field(repr=False, default=None)

    @property
    def max_degree(self) -> int:
        return self.degrees[-1]

    @property
    def truncation(self) -> float:
        """tr K − Σ_{ℓ<=L} N_ℓ λ_ℓ >= 0: the trace carried by degrees above ``max_degree``."""
        return max(self.trace - sum(n * lam for n, lam in zip(self.multiplicities, self.eigenvalues)), 0.0)

    @property
    def centred_trace(self) -> float:
        """tr(QKQ), Q the projection onto mean-zero functions: tr K − (λ_0 − Var c_0)."""
        return self.trace - self.eigenvalues[0] + self.centred_eigenvalues[0]

    def op_norm(self, *, centred: bool = False) -> float:
        """‖K‖_op = max_ℓ λ_ℓ (on mean-zero functions if ``centred``).

        Only degrees 0..``max_degree`` are computed. A degree above them has eigenvalue at most
        :attr:`truncation`/N_{L+1}, so the maximum is exact when that bound is smaller; this is
        *not* checked here — call :meth:`op_norm_is_exact` (the theory tests do, for the
        settings the claims use).
        """
        lam = self.centred_eigenvalues if check_bool(centred, "centred") else self.eigenvalues
        return max(lam)

    def op_norm_is_exact(self, *, centred: bool = False) -> bool:
        """Whether :meth:`op_norm` is provably the maximum over *all* degrees (truncation bound below it)."""
        check_bool(centred, "centred")
        L = self.max_degree + 1
        return self.truncation / harmonic_dimension(L, self.d) <= self.op_norm(centred=centred)

    def noise_sum(self, *, centred: bool = True) -> float:
        """S = Σ_ℓ N_ℓ λ_ℓ² (over mean-zero functions if ``centred``): E_x‖Q K(x, ·)‖² on the sphere."""
        lam = self.centred_eigenvalues if check_bool(centred, "centred") else self.eigenvalues
        return sum(n * v * v for n, v in zip(self.multiplicities, lam))

    def profile(self, ell: int, r, /):
        """c_ℓ(r) at radii ``r`` (any Array-API array), by the stored t-quadrature."""
        ell = check_int(ell, "ell", min_val=0, max_val=MAX_DEGREE)
        r = check_array(r, "r", ndim=1, min_rows=0)
        xp = array_namespace(r)
        dev = getattr(r, "device", None)
        t = xp.asarray(to_host(self._t), dtype=r.dtype, device=dev)
        w = xp.asarray(to_host(self._w), dtype=r.dtype, device=dev)
        P = gegenbauer(ell, t, self.d)
        return xp.sum(self.sigma2(r[:, None] * t[None, :]) * (w * P)[None, :], axis=1)


def check_spectrum(spec: Any, name: str = "spec") -> KernelSpectrum:
    """``spec`` if it is a :class:`KernelSpectrum`, else a ``TypeError`` naming ``name``."""
    if not isinstance(spec, KernelSpectrum):
        raise TypeError(f"{name}: expected a KernelSpectrum (from kernel_spectrum), got {type(spec).__name__}")
    return spec


def kernel_spectrum(sigma2: str | Activation | Callable, d: int, *, input: str = "sphere", max_degree: int = 6,
                    xp: ModuleType | None = None) -> KernelSpectrum:
    """Eigenvalues λ_ℓ, ℓ = 0..max_degree, of K(x, x′) = E_v[σ2(v·x)σ2(v·x′)] on L²(ν).

    Parameters
    ----------
    sigma2 : str, Activation or callable
        Inner activation σ2 (evaluated on host arrays of ``xp``).
    d : int
        Input dimension, >= 2.
    input : {"sphere", "gaussian"}
        ν: uniform on the sphere of radius √d, or N(0, I_d).
    max_degree : int
        Highest harmonic degree computed.
    xp : namespace, optional
        Namespace of the quadrature arithmetic (NumPy's by default; float64).

    Examples
    --------
    >>> spec = kernel_spectrum("he2", 8)      # σ2 = z² − 1: only degrees 0 and 2 on the sphere
    >>> [round(v, 10) for v in spec.eigenvalues[:4]]
    [0.0, 0.0, 0.04, 0.0]
    >>> abs(sum(n * v for n, v in zip(spec.multiplicities, spec.eigenvalues)) - spec.trace) < 1e-12
    True
    """
    sig = check_activation(sigma2, "sigma2")
    d = check_int(d, "d", min_val=2)
    input = _check_input(input)
    L = check_int(max_degree, "max_degree", min_val=0, max_val=MAX_DEGREE)
    hxp = _host_xp(xp)
    t, wt = sphere_coordinate_rule(d, xp=hxp)
    r, wr = radius_rule(d, input, xp=hxp)
    S = sig(r[:, None] * t[None, :])  # (R, T)
    if not bool(hxp.all(hxp.isfinite(S))):  # a σ2 that is NaN or overflows on the quadrature nodes
        raise ValueError("sigma2: returned NaN or inf on the quadrature nodes of the kernel's spectrum")
    lam, cen, mult = [], [], []
    cbar = 0.0
    for ell in range(L + 1):
        c = S @ (wt * gegenbauer(ell, t, d))  # c_ℓ(r) at the radial nodes
        m2 = to_scalar(hxp.sum(wr * c * c))
        lam.append(m2)
        if ell == 0:
            cbar = to_scalar(hxp.sum(wr * c))
            cen.append(max(m2 - cbar * cbar, 0.0) if input == "gaussian" else 0.0)
        else:
            cen.append(m2)
        mult.append(harmonic_dimension(ell, d))
    trace = to_scalar(hxp.sum(wr * (S * S @ wt)))
    return KernelSpectrum(d, input, sig, tuple(range(L + 1)), tuple(lam), tuple(cen), tuple(mult), trace, cbar,
                          t, wt)


# -- evaluating K and its quadratic forms ----------------------------------------------------------------
def _split(X):
    xp = array_namespace(X)
    r = xp.linalg.vector_norm(X, axis=1)
    safe = xp.where(r > 0, r, xp.ones_like(r))
    return xp, r, X / safe[:, None]


def kernel_matrix(spec: KernelSpectrum, X, Y=None, /):
    """K(x, y) by the Mercer series truncated at ``spec.max_degree`` (an ``(n, m)`` array).

    ``Σ_{ℓ<=L} N_ℓ c_ℓ(‖x‖) c_ℓ(‖y‖) P_ℓ(u·u′)``; the omitted part has trace
    ``spec.truncation`` (so |error| <= truncation on the diagonal, by Cauchy–Schwarz off it).
    """
    spec = check_spectrum(spec)
    same = Y is None
    # host sequences follow the other argument's backend; an array of another backend is refused naming both
    xp, like = reference_namespace(X=X, Y=Y)
    X = check_array(X, "X", xp=xp, like=like, finite=False, min_rows=0)
    Y = X if same else check_array(Y, "Y", xp=array_namespace(X), like="X", finite=False, min_rows=0)
    if X.ndim != 2 or Y.ndim != 2 or X.shape[1] != spec.d or Y.shape[1] != spec.d:
        raise ValueError(f"X: expected 2-D arrays with d = {spec.d} columns, got {tuple(X.shape)} and {tuple(Y.shape)}")
    n, m = int(X.shape[0]), int(Y.shape[0])
    # the (n, m) result, the cosines G and one Gegenbauer term with its temporaries: refused before allocating
    check_memory(8.0 * 4 * n * m, f"kernel_matrix: the (n, m) = ({n}, {m}) kernel matrix")
    check_finite(X, "X")  # NaN or inf: ValueError naming the argument, never a NaN kernel
    if Y is not X:
        check_finite(Y, "Y")
    _, rx, ux = _split(X)
    _, ry, uy = _split(Y)
    G = xp.clip(ux @ uy.T, -1.0, 1.0)
    out = xp.zeros(G.shape, dtype=G.dtype, device=getattr(G, "device", None))
    for ell in spec.degrees:
        cx, cy = spec.profile(ell, rx), spec.profile(ell, ry)
        out = out + spec.multiplicities[ell] * (cx[:, None] * cy[None, :]) * gegenbauer(ell, G, spec.d)
    return out


def kernel_energies(spec: KernelSpectrum, X, f, h=None, /, *, block: int = 2048) -> dict[str, Any]:
    """Energies of f (and cross-energies with h) in the eigenspaces of K, by a U-statistic.

    For samples ``x_i ~ ν`` with values ``f_i = f(x_i)`` (and ``h_i``), returns per degree ℓ

        e_ℓ(f, h) = Σ_m ⟨f, e_{ℓm}⟩⟨e_{ℓm}, h⟩

    for the normalised eigenfunctions e_{ℓm} ∝ c_ℓ(‖x‖)Y_{ℓm}(u) of K on mean-zero functions
    (f and h are centred by their sample means). Unbiased (up to that centring) U-statistic
    over the pairs i ≠ j of ``N_ℓ c_ℓ(r_i) c_ℓ(r_j) P_ℓ(u_i·u_j) f_i h_j / λ_ℓ``; on the sphere
    ``e_ℓ(f, f) = ‖P_ℓ f‖²``. Its standard error is about ``√(2 N_ℓ / n²)·Var f``.

    Returns
    -------
    dict with ``energies`` (list of e_ℓ(f, f)), ``cross_energies`` (e_ℓ(f, h)), ``KQf_sq`` = Σ λ_ℓ² e_ℓ(f, f) = ‖QKQf‖² (degrees <= L),
    ``fKf`` = Σ λ_ℓ e_ℓ(f, f), ``KQf_h`` = Σ λ_ℓ e_ℓ(f, h) = ⟨QKQf, h⟩, ``var_f``, ``var_h``.
    """
    spec = check_spectrum(spec)
    # host sequences follow the other arguments' backend; an array of another backend is refused naming both
    xp, like = reference_namespace(X=X, f=f, h=h)
    X = check_array(X, "X", xp=xp, like=like, ndim=2, columns=spec.d, min_rows=2)
    xp = array_namespace(X)
    f = check_array(f, "f", xp=xp, like="X", ndim=1, rows=int(X.shape[0]))
    h = None if h is None else check_array(h, "h", xp=xp, like="X", ndim=1, rows=int(X.shape[0]))
    n = int(X.shape[0])
    if X.ndim != 2 or X.shape[1] != spec.d:
        raise ValueError(f"X: expected shape (n, {spec.d}), got {tuple(X.shape)}")
    if f.shape != (n,) or (h is not None and h.shape != (n,)):
        raise ValueError(f"f: expected values of shape ({n},)")
    if n < 2:
        raise ValueError("X: need at least 2 samples for a U-statistic")
    for arr, name in ((X, "X"), (f, "f")) + (() if h is None else ((h, "h"),)):
        check_finite(arr, name)
    block = check_int(block, "block", min_val=1)
    h = f if h is None else h
    fc = f - xp.mean(f)
    hc = h - xp.mean(h)
    _, r, u = _split(X)
    lam = spec.centred_eigenvalues
    top = max(lam)
    # degrees whose eigenvalue vanishes (to rounding) carry no energy K can see
    active = [ell for ell in spec.degrees if lam[ell] > 1e-13 * top]
    L = max(active) if active else 0
    A, B = {}, {}
    for ell in active:
        c = spec.profile(ell, r)
        if ell == 0:
            c = c - xp.mean(c)
        A[ell], B[ell] = fc * c, hc * c
    tot_ff = {ell: 0.0 for ell in active}
    tot_fh = {ell: 0.0 for ell in active}
    d = spec.d
    for s0 in range(0, n, block):
        s1 = min(s0 + block, n)
        G = xp.clip(u[s0:s1, :] @ u.T, -1.0, 1.0)
        prev, cur = xp.ones_like(G), G
        for ell in range(L + 1):  # Gegenbauer recurrence, one pass for all degrees
            P = prev if ell == 0 else cur
            if ell in A:
                tot_ff[ell] += to_scalar(xp.sum(A[ell][s0:s1] * (P @ A[ell])))
                tot_fh[ell] += to_scalar(xp.sum(A[ell][s0:s1] * (P @ B[ell])))
            if ell >= 1:
                prev, cur = cur, ((2 * ell + d - 2) * G * cur - ell * prev) / (ell + d - 2)
    e_ff, e_fh = [], []
    for ell in spec.degrees:
        if ell not in A:
            e_ff.append(0.0)
            e_fh.append(0.0)
            continue
        scale = spec.multiplicities[ell] / (n * (n - 1) * lam[ell])
        # P_ℓ(1) = 1 on the diagonal i = j, which a U-statistic leaves out
        e_ff.append(scale * (tot_ff[ell] - to_scalar(xp.sum(A[ell] * A[ell]))))
        e_fh.append(scale * (tot_fh[ell] - to_scalar(xp.sum(A[ell] * B[ell]))))
    return {"energies": e_ff, "cross_energies": e_fh,
            "KQf_sq": sum(l * l * e for l, e in zip(lam, e_ff)),
            "fKf": sum(l * e for l, e in zip(lam, e_ff)),
            "KQf_h": sum(l * e for l, e in zip(lam, e_fh)),
            "var_f": to_scalar(xp.mean(fc * fc)), "var_h": to_scalar(xp.mean(hc * hc))}
