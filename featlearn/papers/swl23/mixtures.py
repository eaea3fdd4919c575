"""The XOR-like Gaussian mixture of SWL23's mixture application, with its Bayes error (docs/papers/swl23.md §5.2).

:class:`XORMixture` is :meth:`featlearn.theory.targets.GaussianMixture.xor` (the same means, labels,
covariance and draws) that also knows its Bayes 0-1 error (:meth:`XORMixture.bayes_error`), the
level the claims and figures compare Algorithm 1's test error with. The function
:func:`~featlearn.papers.swl23.structured_parity.xor_bayes_error` (the former home of the formula)
keeps working and gives the same number.
"""

from __future__ import annotations

from featlearn.theory.targets import GaussianMixture
from featlearn.validation import check_int, check_memory, check_real

from .structured_parity import _namespace, xor_bayes_error

__all__ = ["XORMixture", "xor_bayes_error"]


class XORMixture(GaussianMixture):
    """XOR-like Gaussian mixture: means ``±s·e₁`` (label +1), ``±s·e₂`` (label −1), covariance ``σ² I``.

    Four equiprobable components; no linear classifier beats chance (docs/papers/swl23.md §5.2,
    reconstructed). Identical to ``GaussianMixture.xor(d, separation, std=std)`` (same samples for
    the same generator), plus :meth:`bayes_error`.

    Parameters
    ----------
    d : int
        Input dimension, at least 2.
    separation : float > 0
        ``s``, the norm of every mean.
    std : float > 0
        ``σ``, the noise standard deviation.
    xp : namespace or str, optional
        Backend of the means (default NumPy).
    dtype : optional
        Float dtype of the means.

    Examples
    --------
    >>> from featlearn.papers.swl23 import XORMixture
    >>> mix = XORMixture(16, 3.0)
    >>> round(mix.bayes_error(), 4)
    0.0333
    >>> from featlearn.backends import Generator
    >>> X, y = mix.sample(Generator(0), 5)
    >>> X.shape, y.shape
    ((5, 16), (5,))
    """

    def __init__(self, d: int, separation: float, *, std: float = 1.0, xp=None, dtype=None):
        d = check_int(d, "d", min_val=1)
        if d < 2:
            raise ValueError(f"d: the XOR mixture needs d >= 2, got {d}")
        self.separation = check_real(separation, "separation", min_val=0.0, include_boundaries="neither")
        self.std = check_real(std, "std", min_val=0.0, include_boundaries="neither")
        _namespace(xp)
        check_memory(64.0 * d, f"XORMixture: the 4 means of dimension d = {d}")
        rows = []
        for axis, sign in ((0, 1.0), (0, -1.0), (1, 1.0), (1, -1.0)):  # as GaussianMixture.xor
            row = [0.0] * d
            row[axis] = sign * self.separation
            rows.append(row)
        super().__init__(rows, [1, 1, -1, -1], std=self.std, xp=xp, dtype=dtype)

    @classmethod
    def xor(cls, d: int, separation: float, *, std: float = 1.0, xp=None, dtype=None) -> "XORMixture":
        """The same as ``XORMixture(d, separation, std=std, xp=xp, dtype=dtype)``."""
        return cls(d, separation, std=std, xp=xp, dtype=dtype)

    def bayes_error(self) -> float:
        """Bayes 0-1 error ``E_{z~N(0,1)}[2Φ(−|s/σ + z|)]`` of the mixture (Gaussian quadrature; our derivation,
        docs/papers/swl23.md §5.2). It depends on ``s/σ`` only, not on ``d``."""
        return xor_bayes_error(self.separation, self.std)

    def __repr__(self) -> str:
        return f"XORMixture(d={self.d}, separation={self.separation}, std={self.std})"
