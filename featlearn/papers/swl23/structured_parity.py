"""The structured parity distribution of SWL23's parity application (docs/papers/swl23.md §5.3).

*Reconstructed* (the paper's text was not available; the model generalises Daniely & Malach
2020 and was recalled, not read): ``x = Mφ`` with an orthonormal dictionary ``M`` (identity by
default); a relevant set ``A`` of ``r·k`` coordinates of ``φ`` split into ``r`` blocks ``A_j`` of
size ``k``; the label ``y = sign(Σ_j Π_{l∈A_j} φ_l)``; and ``φ`` drawn from the mixture

* with probability ``1 − 2 r p_A``: ``φ_A`` uniform on ``{±1}^{rk}`` (the weak signal ``X_U``);
* with probability ``p_A`` each, for each block ``j`` and sign ``±``: ``φ_{A_j} = ±(1, …, 1)``
  and the other relevant blocks 0 (the strong signal ``X_{j,±}``);
* irrelevant coordinates independently ``+1`` / ``−1`` with probability ``p_o`` each, else 0.

Parity of ``k``: in ``X_{j,±}`` the label is ``(±1)^k``. For **odd** ``k`` the two signs carry
opposite labels and the strong-signal part makes ``G(w, b)`` point along ``M 1_{A_j}/√k``; for
**even** ``k`` both signs have label +1, so the strong-signal part carries no label
information and the block direction is not a gradient feature. The assumption as recalled
reads "k odd"; even ``k`` is allowed here so that this consequence can be shown
(docs/papers/swl23.md §5.3).
"""

from __future__ import annotations

import math
from typing import Any, Iterable

from featlearn.backends import Generator, array_namespace, device_of, resolve_float_dtype
from featlearn.theory.targets import Target
from featlearn.validation import check_array, check_generator, check_indices, check_int, check_real

__all__ = ["StructuredParity", "xor_bayes_error"]


def _namespace(xp, name: str = "xp"):
    """``get_namespace(xp)`` (NumPy for None) with its refusal naming the argument ``name``."""
    from featlearn.backends import get_namespace

    try:
        return get_namespace("numpy" if xp is None else xp)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{name}: {exc}") from None


class StructuredParity(Target):
    """SWL23's structured parity: ``x = Mφ``, ``y = sign(Σ_j XOR(φ_{A_j}))`` (reconstructed).

    Parameters
    ----------
    d : int
        Input dimension (``d = D``: the dictionary is square).
    k : int
        Block size (the parity degree); odd for the strong signal to carry the label.
    r : int
        Number of blocks, odd (``r = 1``: a single k-sparse parity).
    p_A : float in (0, 1/(2r)]
        Probability of each strong-signal component ``X_{j,±}``.
    p_o : float in [0, 1/2]
        Noise level of the irrelevant coordinates (each is ±1 with probability ``p_o``).
    support : iterable of int, optional
        The ``r·k`` relevant coordinates of ``φ``, block ``j`` being ``support[jk:(j+1)k]``;
        default ``0 … rk − 1``.
    dictionary : array, shape (d, d), optional
        Orthonormal ``M`` (``MᵀM = I`` checked); identity if omitted.
    xp : namespace, optional
        Backend of the dictionary when it is built here (default NumPy); samples follow the
        generator's backend.

    Examples
    --------
    >>> import numpy as xp
    >>> t = StructuredParity(6, 3, p_A=0.25, p_o=0.1)
    >>> X, y = t.sample(Generator(0, xp=xp), 5)
    >>> X.shape, bool(xp.all(xp.abs(y) == 1.0))
    ((5, 6), True)
    """

    def __init__(self, d: int, k: int, *, r: int = 1, p_A: float = 0.25, p_o: float = 0.1,
                 support: Iterable[int] | None = None, dictionary: Any = None):
        self.d = check_int(d, "d", min_val=1)
        self.k = check_int(k, "k", min_val=1)
        self.r = check_int(r, "r", min_val=1)
        if self.r % 2 == 0:
            raise ValueError(f"r: expected an odd number of blocks (so that the vote is never tied), got {r}")
        if self.r * self.k > self.d:
            raise ValueError(f"k: the r·k = {self.r * self.k} relevant coordinates do not fit in d = {self.d}")
        self.p_A = check_real(p_A, "p_A", min_val=0.0, max_val=1.0 / (2 * self.r), include_boundaries="right")
        self.p_o = check_real(p_o, "p_o", min_val=0.0, max_val=0.5)
        if support is None:
            sup = list(range(self.r * self.k))
        else:
            sup = check_indices(support, "support", size=self.d)
            if len(sup) != self.r * self.k:
                raise ValueError(f"support: expected {self.r * self.k} distinct indices, got {sup}")
        self.support = tuple(sup)
        self.blocks = tuple(self.support[j * self.k:(j + 1) * self.k] for j in range(self.r))
        if dictionary is not None:
            M = check_array(dictionary, "dictionary", ndim=2, rows=self.d, columns=self.d)
            mx = array_namespace(M)
            eye = mx.eye(self.d, dtype=M.dtype, device=device_of(M))
            if float(mx.max(mx.abs(M.T @ M - eye))) > 1e-8:
                raise ValueError("dictionary: expected an orthonormal matrix (MᵀM = I)")
            self.dictionary = M
        else:
            self.dictionary = None
        self.input = None  # the law of x is defined by _draw (labels come with the draw)

    # -- structure -----------------------------------------------------------------------------------------
    def block_directions(self, *, xp=None, dtype=None, device=None):
        """The block directions ``D_j = M 1_{A_j}/√k`` as the columns of a ``(d, r)`` array."""
        space = _namespace(xp)
        if self.dictionary is not None:
            xp = array_namespace(self.dictionary)
            dtype = self.dictionary.dtype if dtype is None else dtype
            device = device_of(self.dictionary)
        else:
            xp = space
            dtype = resolve_float_dtype(xp, dtype, device)
        cols = []
        for blk in self.blocks:
            v = [0.0] * self.d
            for i in blk:
                v[i] = 1.0 / math.sqrt(self.k)
            cols.append(v)
        E = xp.asarray(cols, dtype=dtype, device=device).T  # (d, r) in φ coordinates
        return E if self.dictionary is None else self.dictionary @ E

    def strong_signal_correlation(self) -> float:
        """``E[y ⟨D_j, x⟩]`` along a block direction: ``p_A √k (1 − (−1)^k)`` for ``k >= 2``.

        Our derivation (docs/papers/swl23.md §5.3): only the strong components ``X_{j,±}`` of the
        block contribute (``⟨D_j, x⟩ = ±√k`` with label ``(±1)^k``); the uniform part gives 0 for
        ``k >= 2`` (flipping two coordinates of the block keeps the label and flips one factor),
        and the other blocks and irrelevant coordinates are orthogonal to ``D_j``. So it is
        ``2 p_A √k`` for odd ``k`` and **0 for even k**: with even ``k`` the strong-signal part
        carries no first-order label information. For ``k = 1`` (and ``r = 1``) it is 1.
        """
        if self.k == 1:
            if self.r != 1:
                raise ValueError("k: the correlation formula needs k >= 2 when r > 1")
            return 1.0
        return self.p_A * math.sqrt(self.k) * (1.0 - (-1.0) ** self.k)

    def _phi(self, xp, x):
        return x if self.dictionary is None else x @ xp.astype(self.dictionary, x.dtype)  # φ = Mᵀx, rows

    def _evaluate(self, xp, x):
        phi = self._phi(xp, x)
        vote = None
        for blk in self.blocks:
            idx = xp.asarray(list(blk), dtype=xp.int64, device=device_of(x))
            par = xp.prod(xp.take(phi, idx, axis=1), axis=1)
            vote = par if vote is None else vote + par
        return xp.where(vote >= 0, xp.ones_like(vote), -xp.ones_like(vote))  # ties (never for ±1 blocks) → +1

    def _draw(self, rng: Generator, n: int, dtype):
        rng = check_generator(rng)
        xp = rng.xp
        dtype = resolve_float_dtype(xp, dtype, rng.device)
        rk, d = self.r * self.k, self.d
        # component: 0 … 2r−1 strong (block j = c // 2, sign + for even c), 2r = uniform
        u = rng.uniform(n, dtype=dtype)
        comp = xp.full((n,), 2 * self.r, dtype=xp.int64, device=rng.device)
        for c in range(2 * self.r):
            lo, hi = c * self.p_A, (c + 1) * self.p_A
            comp = xp.where(xp.logical_and(u >= lo, u < hi), xp.full_like(comp, c), comp)
        uniform_part = rng.rademacher((n, rk), dtype=dtype)
        cols = []
        for j in range(self.r):
            strong_j = xp.zeros((n,), dtype=dtype, device=rng.device)
            for sign, c in ((1.0, 2 * j), (-1.0, 2 * j + 1)):
                strong_j = strong_j + sign * xp.astype(comp == c, dtype)
            is_uniform = xp.astype(comp == 2 * self.r, dtype)
            block = uniform_part[:, j * self.k:(j + 1) * self.k] * is_uniform[:, None] + strong_j[:, None]
            cols.append(block)
        relevant = xp.concat(cols, axis=1) if cols else xp.zeros((n, 0), dtype=dtype, device=rng.device)
        v = rng.uniform((n, d - rk), dtype=dtype)
        noise = xp.astype(v < self.p_o, dtype) - xp.astype(v >= 1.0 - self.p_o, dtype)
        # place relevant and irrelevant coordinates of φ
        order = list(self.support) + [i for i in range(d) if i not in set(self.support)]
        phi_perm = xp.concat([relevant, noise], axis=1)  # columns in `order`
        inverse = [0] * d
        for pos, i in enumerate(order):
            inverse[i] = pos
        phi = xp.take(phi_perm, xp.asarray(inverse, dtype=xp.int64, device=rng.device), axis=1)
        X = phi if self.dictionary is None else phi @ xp.astype(self.dictionary, dtype).T
        return X, self._evaluate(xp, X)

    def __repr__(self) -> str:
        return (f"StructuredParity(d={self.d}, k={self.k}, r={self.r}, p_A={self.p_A}, p_o={self.p_o}, "
                f"support={self.support})")


def xor_bayes_error(separation: float, std: float = 1.0, *, xp=None) -> float:
    """Bayes 0-1 error of the XOR-like mixture :meth:`featlearn.theory.targets.GaussianMixture.xor`.

    Four equiprobable components ``±s e₁`` (label +1), ``±s e₂`` (label −1), covariance ``σ² I``.
    The Bayes rule is ``sign(|x₁| − |x₂|)`` (compare ``cosh(s x₁/σ²)`` with ``cosh(s x₂/σ²)``), so
    by symmetry the error is ``Pr[|z₂| > |s/σ + z₁|] = E_{z₁}[2Φ(−|s/σ + z₁|)]``, computed by
    Gaussian quadrature (our derivation; docs/papers/swl23.md §5.2).
    """
    from .gradient_features import _normal_cdf
    from featlearn.theory.host_constants import gaussian_quadrature

    s = check_real(separation, "separation", min_val=0.0)
    sd = check_real(std, "std", min_val=0.0, include_boundaries="neither")
    xp = _namespace(xp)
    nodes, weights = gaussian_quadrature()
    z = xp.asarray(nodes.tolist(), dtype=xp.float64)
    w = xp.asarray(weights.tolist(), dtype=xp.float64)
    return float(xp.sum(w * 2.0 * _normal_cdf(-xp.abs(s / sd + z))))
