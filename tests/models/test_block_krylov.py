"""Top eigenpairs by block Krylov iteration against the full eigendecomposition (the reference)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host
from featlearn.models.block_krylov import top_eigenpairs
from helpers import assert_close

FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=8)


def _wishart(xp, n, N, seed, spikes=()):
    """FᵀF for F with i.i.d. Gaussian entries (a Marchenko–Pastur bulk) plus rank-one spikes."""
    rng = np.random.default_rng(seed)
    F = rng.standard_normal((n, N))
    for j, s in enumerate(spikes):
        u, v = rng.standard_normal(n), rng.standard_normal(N)
        F += s * np.outer(u / np.linalg.norm(u), v / np.linalg.norm(v)) * np.sqrt(n)
    return xp.asarray(F.T @ F), np.linalg.eigvalsh(F.T @ F)[::-1]


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**16), k=st.integers(1, 6))
def test_bulk_edge_of_a_clustered_spectrum(xp, seed, k):
    # no gap at the top of a Marchenko–Pastur bulk: the hard case for an iterative method
    A, ref = _wishart(xp, 400, 120, seed)
    r = top_eigenpairs(A, k, tol=1e-9, rng=Generator(seed, xp=xp))
    assert r.converged
    assert_close(r.values, ref[:k], rtol=1e-8)


def test_spiked_matrix_and_vectors(xp):
    A, ref = _wishart(xp, 500, 150, 3, spikes=(3.0, 2.0))
    r = top_eigenpairs(A, 3, tol=1e-10, rng=Generator(3, xp=xp))
    assert_close(r.values, ref[:3], rtol=1e-9)
    U = to_host(r.vectors)
    An = to_host(A)
    assert_close(An @ U, U * np.asarray(r.values)[None, :], rtol=0, atol=1e-7 * ref[0])
    assert_close(U.T @ U, np.eye(3), atol=1e-10)


def test_operator_as_a_function_and_budget():
    import numpy as xp_np
    from featlearn.backends import get_namespace

    xp = get_namespace("numpy")
    A, ref = _wishart(xp, 300, 200, 7)
    r = top_eigenpairs(lambda V: A @ V, 2, n=200, rng=Generator(0))
    assert_close(r.values, ref[:2], rtol=1e-8)
    short = top_eigenpairs(A, 5, max_iter=1, block=5, rng=Generator(0))
    assert not short.converged and len(short.residuals) == 5  # reported, not silently accepted
    assert xp_np is not None


@pytest.mark.parametrize("kw, exc", [(dict(k=0), ValueError), (dict(k=2.0), TypeError), (dict(k=10), ValueError),
                                     (dict(k=1, tol=0.0), ValueError), (dict(k=1, block=0), ValueError)])
def test_bad_input(kw, exc):
    from featlearn.backends import get_namespace

    A, _ = _wishart(get_namespace("numpy"), 20, 5, 0)
    with pytest.raises(exc):
        top_eigenpairs(A, rng=Generator(0), **kw)


def test_the_start_block_comes_from_the_callers_generator():
    """No hidden seed: rng is required, checked, of the operator's backend, and only moves the start block."""
    from featlearn.backends import get_namespace
    from featlearn.models.block_krylov import top_eigh

    A, ref = _wishart(get_namespace("numpy"), 300, 120, 5)
    with pytest.raises(TypeError, match="rng"):
        top_eigenpairs(A, 2)  # a required keyword
    with pytest.raises(TypeError, match="rng"):
        top_eigenpairs(A, 2, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="rng: expected a Generator of A's backend 'numpy'"):
        top_eigenpairs(A, 2, rng=Generator(0, xp="array_api_strict"))
    with pytest.raises(TypeError, match="rng"):
        top_eigh(A, 2)
    a, b = (top_eigenpairs(A, 4, tol=1e-12, rng=Generator(0).child("krylov", s)).values for s in (1, 2))
    assert_close(a, b, rtol=1e-10)  # another start block: the same eigenvalues
    assert_close(a, ref[:4], rtol=1e-10)
