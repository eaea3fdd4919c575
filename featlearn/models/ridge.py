"""Ridge regression on streamed features, for a whole λ grid from one eigendecomposition.

Ridge is fitted from sufficient statistics accumulated chunk by chunk
(``FᵀF``, ``Fᵀy``, ``yᵀy``, n), so memory is O(p²) for p features whatever n is. One
symmetric eigendecomposition of ``FᵀF/n`` then gives the coefficients, training errors
and validation errors of every λ of a grid (the approach of Damian–Lee–Soltanolkotabi
2022's reference code; docs/papers/mlhd23.md §2.2). Convention::

    â(λ) = argmin_a (1/n)‖y − F a‖² + λ‖a‖²  =  (FᵀF/n + λI)⁻¹ Fᵀy/n

Precision policy (one rule for every λ selection of featlearn). The features and the forward pass
stay in the working dtype (float32 on GPUs); only the small p × p ridge algebra is promoted to
float64 (:func:`ridge_dtype`): :class:`GramStats` accumulates ``FᵀF``, ``Fᵀy``, ``yᵀy`` in float64
from the working-dtype features, and :class:`RidgePath` does its eigendecomposition and solve in
float64, rounding the coefficients back to the working dtype at the end. The product of two
float32 numbers is exact in float64, so the statistics are those of the float32 features up to
float64 summation rounding, and the conditioning floor (:meth:`RidgePath.lambda_floor`) is the
one of the precision the Gram matrix was actually accumulated in: float64's whatever the working
dtype is. The remaining float32 effects (the features' own rounding, the coefficients rounded to
float32, the float32 forward pass) are all inside the validation errors λ is chosen on: those are
the errors of the working-dtype coefficients, streamed through the working-dtype forward pass or
as a float64 quadratic form of float64 validation statistics. In float64 nothing changes.
"""

from __future__ import annotations

import math
from numbers import Real
from dataclasses import dataclass
from typing import Any, Sequence

from featlearn.backends import array_namespace, device_of, to_host
from featlearn.validation import all_finite, check_array, check_grid, check_int, check_memory, check_real

# promote and ridge_dtype are the float64 plumbing of the statistics, shared by featlearn's fitters, not entry points
__all__ = ["DEFAULT_LAMBDAS", "DEFAULT_RELATIVE_LAMBDAS", "GramStats", "RidgePath", "check_lambdas", "coef_errors",
           "select_lambda"]

#: Default grid of *absolute* λ: 25 values log-spaced over [1e-6, 1e2], in the normalisation
#: ``(1/n)‖y − Fa‖² + λ‖a‖²`` with features of order one (docs/papers/mlhd23.md §2.2).
DEFAULT_LAMBDAS = tuple(10.0 ** (-6 + 8 * i / 24) for i in range(25))
#: Default grid of *relative* λ: multiples of the mean eigenvalue ``tr(FᵀF/n)/p`` of the features
#: (scale-free; used where feature scales vary with a searched slope, as in the three-layer stage 2).
DEFAULT_RELATIVE_LAMBDAS = tuple(10.0 ** k for k in range(-8, 3))


def check_lambdas(lambdas, name: str = "lambdas") -> tuple[float, ...]:
    """The one λ validator: a number or a non-empty grid of finite λ > 0, as a tuple of floats.

    Examples
    --------
    >>> check_lambdas(0.1)
    (0.1,)
    >>> check_lambdas([1e-3, 1.0])
    (0.001, 1.0)
    """
    if isinstance(lambdas, (int, float)) and not isinstance(lambdas, bool):
        lambdas = (lambdas,)
    return check_grid(lambdas, name, min_val=0.0, include_boundaries="neither")


def ridge_dtype(xp, device=None):
    """The dtype of the p × p ridge algebra on ``device``: float64 (every featlearn backend has it: NumPy,
    PyTorch on CPU and CUDA, CuPy, JAX with x64 enabled, array_api_strict); float32 only on a device
    without float64 (PyTorch's MPS)."""
    if device is not None and "mps" in str(device).lower():
        return xp.float32
    return xp.float64


def promote(x, dtype):
    """``x`` in ``dtype`` (``x`` itself when it already is: no copy, so float64 runs are unchanged)."""
    if x.dtype == dtype:
        return x
    return array_namespace(x).astype(x, dtype)


@dataclass
class GramStats:
    """Sufficient statistics of a least-squares problem on features F (n × p) and labels y.

    Build with :meth:`zeros` and :meth:`add` chunk by chunk, or with :meth:`from_arrays`. The sums
    are kept in :func:`ridge_dtype` (float64) whatever the features' dtype; ``dtype`` is the working
    dtype of the features, the one :class:`RidgePath` returns coefficients in (None: the sums' own).
    """

    FtF: Any
    Fty: Any
    yty: Any
    n: int
    dtype: Any = None

    @property
    def working_dtype(self):
        """The dtype of the features (and of the coefficients fitted on them)."""
        return self.FtF.dtype if self.dtype is None else self.dtype

    def __post_init__(self):
        # validated once, before any use: finite real arrays of one backend, a count n >= 0
        FtF = check_array(self.FtF, "FtF", ndim=2, min_rows=0)
        if FtF.shape[0] != FtF.shape[1]:
            raise ValueError(f"FtF: expected a square (p, p) matrix, got shape {tuple(FtF.shape)}")
        xp = array_namespace(FtF)
        Fty = check_array(self.Fty, "Fty", ndim=1, xp=xp, rows=int(FtF.shape[0]), min_rows=0)
        yty = self.yty
        if isinstance(yty, Real) or not (hasattr(yty, "shape") and hasattr(yty, "dtype")):
            check_real(yty, "yty", min_val=0.0)  # a host or NumPy scalar: kept as it is (a sum of squares)
        else:
            yty = check_array(yty, "yty", ndim=0, xp=xp)
            if not float(yty) >= 0.0:
                raise ValueError(f"yty: expected a sum of squares >= 0, got {float(yty)!r}")
        self.FtF, self.Fty, self.yty = FtF, Fty, yty
        self.n = check_int(self.n, "n", min_val=0)
        if self.dtype is not None:
            try:
                ok = xp.isdtype(self.dtype, "real floating")
            except Exception:  # noqa: BLE001 - each backend refuses a non-dtype its own way
                ok = False
            if not ok:
                raise TypeError(f"dtype: expected None or a real floating dtype of {xp.__name__}, got {self.dtype!r}")

    @classmethod
    def zeros(cls, p: int, *, xp, dtype=None, device=None) -> "GramStats":
        """Empty statistics of p features of working dtype ``dtype`` (default float64), summed in float64."""
        p = check_int(p, "p", min_val=1)
        from featlearn.backends import get_namespace, resolve_float_dtype

        try:
            xp = get_namespace(xp)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"xp: {exc}") from None
        check_memory(8.0 * p * (p + 1), f"GramStats: the p × p Gram matrix with p = {p}")
        dtype = xp.float64 if dtype is None else resolve_float_dtype(xp, dtype)
        if device is not None:
            try:
                xp.zeros((), dtype=dtype, device=device)
            except Exception as exc:  # noqa: BLE001 - each backend words an unknown device its own way
                raise ValueError(f"device: not a device of {xp.__name__}: {device!r} ({exc})") from None
        acc = ridge_dtype(xp, device)
        return cls(xp.zeros((p, p), dtype=acc, device=device), xp.zeros((p,), dtype=acc, device=device),
                   xp.zeros((), dtype=acc, device=device), 0, dtype)

    @classmethod
    def from_arrays(cls, F, y) -> "GramStats":
        """Statistics of features ``F`` (n × p) and labels ``y`` (n,), validated (finite, real, one backend)."""
        F = check_array(F, "F", ndim=2)
        xp = array_namespace(F)
        y = check_array(y, "y", ndim=1, xp=xp, rows=int(F.shape[0]), dtype=F.dtype)
        s = cls.zeros(F.shape[1], xp=xp, dtype=F.dtype, device=device_of(F))
        s.add(F, y)
        return s

    def add(self, F, y) -> None:
        """Accumulate a chunk of features ``F`` (m × p) with labels ``y`` (m,) of the statistics' backend."""
        xp = array_namespace(self.FtF)  # F or y of another backend: named, before any product
        F = check_array(F, "F", ndim=2, xp=xp, like="the statistics", min_rows=0)
        y = check_array(y, "y", ndim=1, xp=xp, like="the statistics", min_rows=0)
        if F.shape[0] != y.shape[0]:
            raise ValueError(f"F, y: expected F of shape (m, p) and y of shape (m,), got {F.shape} and {y.shape}")
        if F.shape[1] != self.FtF.shape[0]:
            raise ValueError(f"F: expected {self.FtF.shape[0]} feature columns, got {F.shape[1]}")
        F, y = promote(F, self.FtF.dtype), promote(y, self.FtF.dtype)  # float32 products are exact in float64
        self.FtF = self.FtF + F.T @ F
        self.Fty = self.Fty + F.T @ y
        self.yty = self.yty + xp.sum(y * y)
        self.n += int(F.shape[0])


def _lambda_array(lambdas, xp, like):
    """λ grid (validated by :func:`check_lambdas`) as an array on ``like``'s device and dtype."""
    if hasattr(lambdas, "shape") and hasattr(lambdas, "dtype"):
        lambdas = [float(v) for v in to_host(lambdas).reshape(-1)]
    return xp.asarray(check_lambdas(lambdas), dtype=like.dtype, device=device_of(like))


class RidgePath:
    """Ridge coefficients and errors for a grid of λ from one eigendecomposition.

    Parameters
    ----------
    train : GramStats
        Statistics of the training features and labels.

    Examples
    --------
    >>> import numpy as xp
    >>> from featlearn.models.ridge import GramStats, RidgePath
    >>> F = xp.asarray([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]); y = xp.asarray([1.0, 2.0, 3.0])
    >>> path = RidgePath(GramStats.from_arrays(F, y))
    >>> a = path.coef(1e-12)   # λ → 0: least squares, exact fit here
    >>> [round(float(v), 6) for v in a]
    [1.0, 2.0]
    """

    def __init__(self, train: GramStats):
        _check_stats(train, "train")
        if train.n < 1:
            raise ValueError("train: no samples accumulated")
        xp = array_namespace(train.FtF)
        if not (all_finite(train.FtF) and all_finite(train.Fty)):
            raise ValueError("train: the features or labels contain NaN or inf (or overflow the float dtype)")
        self.xp = xp
        self.train = train
        #: the working dtype: coefficients come back in it
        self.dtype = train.working_dtype
        #: eps of the precision the Gram matrix was accumulated in (float64 for GramStats.zeros/add,
        #: whatever the working dtype); it sets the conditioning floor
        self.gram_eps = float(xp.finfo(train.FtF.dtype).eps)
        # the eigendecomposition and the solve in the ridge dtype (float64); a Gram matrix that was
        # accumulated in float32 is promoted too (its floor stays float32's: gram_eps)
        work = ridge_dtype(xp, device_of(train.FtF))
        FtF, Fty = promote(train.FtF, work), promote(train.Fty, work)
        # eigh reads one triangle, so a Gram matrix that rounding left slightly asymmetric needs no
        # symmetrising pass; the 1/n goes on the N eigenvalues, not on the N × N matrix
        evals, evecs = xp.linalg.eigh(FtF)
        evals = evals / train.n
        self.evals = xp.where(evals > 0, evals, xp.zeros_like(evals))  # clip rounding negatives of a PSD matrix
        self.evecs = evecs
        self._proj = evecs.T @ (Fty / train.n)

    def condition_number(self, lam: float) -> float:
        """κ(λ) = (e_max + λ)/(e_min + λ) of the ridge system ``(FᵀF/n + λI) a = Fᵀy/n``."""
        lam = check_real(lam, "lam", min_val=0.0)
        e_max = float(to_host(self.xp.max(self.evals)))
        e_min = float(to_host(self.xp.min(self.evals)))
        return (e_max + lam) / (e_min + lam) if e_min + lam > 0 else float("inf")

    def lambda_floor(self) -> float:
        """The smallest λ whose ridge system is well conditioned in the precision of the Gram matrix.

        Rule: κ(λ) ≤ 1/√eps, with eps that of the dtype ``FᵀF`` was accumulated in (:attr:`gram_eps`):
        float64 for statistics built by :meth:`GramStats.zeros` / :meth:`GramStats.add`, also for float32
        features (κ ≤ 6.7e7), so the rounding error of the coefficients, about κ·eps, stays below √eps
        (1.5e-8). Sound for float32 features because the statistics are those of the float32 features
        to float64 accuracy (a product of two float32 numbers is exact in float64) and the eigensystem
        is solved in float64: the coefficients are the ridge solution of the features actually used,
        and what float32 adds afterwards (coefficients rounded to float32, the float32 forward pass) is
        measured by the validation errors λ is chosen on. A fixed κ from float32's eps (2.9e3) would
        instead forbid small λ whose float32 validation errors equal float64's. Below the floor the
        solution is dominated by rounding and two backends disagree on the coefficients while they
        agree on predictions. Validation selection (:meth:`select`) never picks a λ below the floor;
        the errors of such λ are still reported.
        """
        e_max = float(to_host(self.xp.max(self.evals)))
        e_min = float(to_host(self.xp.min(self.evals)))
        kappa_max = 1.0 / math.sqrt(self.gram_eps)
        # (e_max + λ) ≤ κ·(e_min + λ)  ⇔  λ ≥ (e_max − κ·e_min)/(κ − 1)
        return max((e_max - kappa_max * e_min) / (kappa_max - 1.0), 0.0)

    def coefs(self, lambdas: Sequence[float] | Any):
        """Coefficients for every λ: a (p × L) array, column j for ``lambdas[j]``, in the working dtype
        (solved in float64, then rounded)."""
        lam = _lambda_array(lambdas, self.xp, self.evals)
        scaled = self._proj[:, None] / (self.evals[:, None] + lam[None, :])
        return promote(self.evecs @ scaled, self.dtype)

    def coef(self, lam: float):
        """Coefficients for one λ > 0."""
        lam = check_real(lam, "lam", min_val=0.0, include_boundaries="neither")
        return self.coefs([lam])[:, 0]

    def errors(self, stats: GramStats, lambdas) :
        """Mean squared error ``(1/m)‖y − F â(λ)‖²`` on data summarised by ``stats``, for every λ.

        With ``stats = self.train`` this is the training error; with statistics of a
        held-out set it is the validation (or test) error. Computed from the quadratic form
        ``(yᵀy − 2âᵀFᵀy + âᵀFᵀFâ)/m`` so held-out data are also streamed once.
        """
        _check_stats(stats, "stats")
        return coef_errors(stats, self.coefs(lambdas))

    def gradient_descent(self, lambdas, *, steps: int, lr: float | None = None):
        """Coefficients after ``steps`` of gradient descent with weight decay, from a = 0.

        Minimises ``(1/2n)‖y − Fa‖² + (λ/2)‖a‖²`` (the ridge objective, halved) for every λ
        at once: ``a ← a − lr·((FᵀF/n + λI)a − Fᵀy/n)``. NDL23's Algorithm 1 trains the
        second layer this way (docs/papers/ndl23.md §4.1, [reconstructed]); as ``steps → ∞`` it converges to
        :meth:`coefs`. ``lr`` defaults to ``1/(λ_max(FᵀF/n) + λ)`` per λ, the largest step
        that is monotone. Returns a (p × L) array.
        """
        xp = self.xp
        lam = _lambda_array(lambdas, xp, self.evals)
        steps = check_int(steps, "steps", min_val=1)
        # in the eigenbasis each coordinate is a scalar recursion: a_j ← a_j − lr((e_j + λ)a_j − c_j),
        # so T steps have the closed form a_j = c_j/(e_j + λ)·(1 − (1 − lr(e_j + λ))^T)
        rate = self.evals[:, None] + lam[None, :]
        if lr is None:
            step = 1.0 / (xp.max(self.evals) + lam)[None, :]
        else:
            lr = check_real(lr, "lr", min_val=0.0, include_boundaries="neither")
            step = xp.full_like(lam, float(lr))[None, :]
        decay = (1.0 - step * rate) ** steps
        out = self.evecs @ (self._proj[:, None] / rate * (1.0 - decay))
        out = promote(out, self.dtype)
        if not all_finite(out):  # |1 − lr(e_j + λ)| > 1 diverges; never return the overflowed iterates
            raise ValueError(f"lr: gradient descent with step {lr} diverges and overflows {out.dtype} after "
                             f"{steps} steps; expected lr <= 2/(λ_max(FᵀF/n) + λ) (the default is 1/(λ_max + λ))")
        return out

    def select(self, val: GramStats, lambdas) -> tuple[float, Any]:
        """The λ of the grid with the smallest validation error (among λ ≥ :meth:`lambda_floor`), and the
        validation errors of the whole grid."""
        _check_stats(val, "val")
        _lambda_array(lambdas, self.xp, self.evals)
        # return the caller's own grid value: a λ cast to float32 would not compare equal to it
        grid = [float(v) for v in (to_host(lambdas).reshape(-1) if hasattr(lambdas, "shape") else lambdas)]
        errs = self.errors(val, lambdas)
        host = [float(v) for v in to_host(errs).reshape(-1).tolist()]
        return grid[select_lambda(grid, host, self.lambda_floor())], errs


def select_lambda(grid: Sequence[float], errors: Sequence[float], floor: float) -> int:
    """Index of the smallest validation error among the λ of ``grid`` at or above ``floor``.

    If no λ of the grid reaches the floor, the largest λ is used (the best-conditioned one). A non-finite
    error (a diverged λ) counts as the worst.
    """
    grid = check_grid(grid, "grid")
    if isinstance(errors, (str, bytes)) or not hasattr(errors, "__len__"):
        raise TypeError(f"errors: expected a sequence of real numbers, got {type(errors).__name__}")
    if len(errors) != len(grid):
        raise ValueError(f"errors: expected one error per λ of the grid ({len(grid)}), got {len(errors)}")
    for j, e in enumerate(errors):
        if isinstance(e, bool) or not isinstance(e, Real):
            raise TypeError(f"errors[{j}]: expected a real number, got {type(e).__name__} {e!r}")
    floor = check_real(floor, "floor", min_val=0.0)
    allowed = [j for j, lam in enumerate(grid) if lam >= floor]
    if not allowed:
        return max(range(len(grid)), key=lambda j: grid[j])
    return min(allowed, key=lambda j: errors[j] if math.isfinite(errors[j]) else math.inf)


def coef_errors(stats: GramStats, A):
    """Mean squared error of each coefficient column of ``A`` (p × L) on data summarised by ``stats``."""
    _check_stats(stats, "stats")
    if stats.n < 1:
        raise ValueError("stats: no samples accumulated")
    xp = array_namespace(stats.FtF)
    A = check_array(A, "A", ndim=2, xp=xp, rows=int(stats.FtF.shape[0]), min_rows=0)
    # the errors of the coefficients as given (rounded to the working dtype), in the statistics' precision
    A = promote(A, stats.FtF.dtype)
    quad = xp.sum(A * (stats.FtF @ A), axis=0)
    lin = stats.Fty @ A
    err = (stats.yty - 2.0 * lin + quad) / stats.n
    if not all_finite(err):  # explicit: a NaN error must never be clipped to 0 and win a λ selection
        raise ValueError("stats: the errors are not finite (the data or features contain NaN or inf)")
    return xp.where(err > 0, err, xp.zeros_like(err))  # cancellation can leave tiny negatives


def _check_stats(stats, name: str) -> None:
    """``TypeError`` naming ``name`` unless ``stats`` is a :class:`GramStats`."""
    if not isinstance(stats, GramStats):
        raise TypeError(f"{name}: expected a GramStats (sufficient statistics of features and labels), "
                        f"got {type(stats).__name__}")
