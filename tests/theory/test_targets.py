"""featlearn.theory.targets: shapes, g*∘h* = f*, reference formulas, normalisations, invariances, errors.

Exact identities are checked to float64 rounding (relative 1e-12). Monte-Carlo checks use
Z = 5 standard errors with the standard error from the known law (P(|N(0,1)| > 5) ≈ 6e-7).
"""

from __future__ import annotations

import math

import array_api_compat.numpy as hxp
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, get_namespace, to_host
from featlearn.theory.activations import as_activation
from featlearn.theory.distributions import GaussianInput, HypercubeInput, SphereInput
from featlearn.papers.sl21.targets import BallIndicator, SmoothBallIndicator
from featlearn.theory.targets import (
    GaussianMixture,
    Hierarchical,
    QuadraticFeature,
    Radial,
    SingleIndex,
    SparseParity,
    Target,
)
from helpers import assert_close, assert_equal

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
FIXTURE_OK = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=8)
Z = 5.0
D = 5


def _pair(x):
    return x[:, 0] * x[:, 1]


def _targets(rng, d=D):
    xp = rng.xp
    return {
        "single_index": SingleIndex.random(rng.child("beta"), d, "tanh_softplus"),
        "quadratic": QuadraticFeature.random(rng.child("A"), d, "relu"),
        "quadratic_rank2": QuadraticFeature.random(rng.child("A2"), d, "tanh", rank=2),
        "quadratic_radial": QuadraticFeature.radial(d, "identity", xp=xp),
        "hierarchical": Hierarchical("sigmoid", _pair, d),
        "radial": Radial("tanh", d),
        "ball": BallIndicator(math.sqrt(d), d),
        "smooth_ball": SmoothBallIndicator(math.sqrt(d), 0.5, d),
        "parity": SparseParity(d, [0, 2, 3]),
        "mixture": GaussianMixture.xor(d, 2.0, xp=xp),
    }


def _host_link(f, t):
    return to_host(f.link(hxp.asarray(t)))


def _reference(name, f, x):
    """(f*(x), h*(x) or None) computed on the host with NumPy, independently of the target's code."""
    if name == "single_index":
        h = x @ to_host(f.beta)
    elif name.startswith("quadratic"):
        A = to_host(f.A)
        h = np.einsum("ni,ij,nj->n", x, A, x) - np.trace(A)
    elif name == "hierarchical":
        h = x[:, 0] * x[:, 1]
    elif name in ("radial", "ball", "smooth_ball"):
        h = np.linalg.norm(x, axis=1)
    elif name == "parity":
        return np.prod(x[:, list(f.support)], axis=1), None
    elif name == "mixture":
        mu = to_host(f.means)
        logp = -((x[:, None, :] - mu[None, :, :]) ** 2).sum(axis=2) / 2.0  # equal weights and σ = 1
        lab = np.asarray(f.labels)
        pos = np.logaddexp.reduce(logp[:, lab == 1], axis=1)
        neg = np.logaddexp.reduce(logp[:, lab == -1], axis=1)
        return np.where(pos >= neg, 1.0, -1.0), None
    else:  # pragma: no cover
        raise KeyError(name)
    if name == "ball":
        return (h <= f.radius).astype(float), h
    if name == "smooth_ball":
        return np.clip((f.radius + f.width / 2 - h) / f.width, 0.0, 1.0), h
    return _host_link(f, h), h


# -- shapes and dtypes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [None, "float32"])
def test_shapes_and_dtypes(xp, backend, dtype):
    rng = Generator(0, xp=backend)
    want = xp.float64 if dtype is None else xp.float32
    for name, f in _targets(rng).items():
        assert isinstance(f, Target) and f.d == D and f.input.d == D
        for n in (0, 1, 9):
            X, y = f.sample(rng, n, dtype=dtype)
            assert tuple(X.shape) == (n, D) and tuple(y.shape) == (n,), name
            assert X.dtype == want and y.dtype == want, name
            fy = f(X)
            assert tuple(fy.shape) == (n,) and fy.dtype == want, name


# -- f* = g*∘h*, against independent host formulas -------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS)
def test_targets_match_reference_and_hierarchy(xp, backend, seed):
    rng = Generator(seed, xp=backend)
    for name, f in _targets(rng).items():
        X, y = f.sample(rng, 64)
        x = to_host(X)
        fy = to_host(f(X))
        want_f, want_h = _reference(name, f, x)
        if name != "mixture":  # the mixture's sampled label is the component's, not the Bayes label
            assert_equal(to_host(y), fy)
        assert_close(fy, want_f, rtol=1e-12, atol=1e-12, err_msg=name)
        if f.hierarchical:
            h = f.feature(X)
            assert_close(to_host(h), want_h, rtol=1e-12, atol=1e-12, err_msg=name)
            assert_equal(to_host(f.link(h)), fy)  # f* = g*∘h* exactly
            assert f.link is not None
        else:
            assert f.link is None
            with pytest.raises(ValueError, match="has no hierarchical structure"):
                f.feature(X)


def test_target_is_abstract_and_subclassable(xp):
    with pytest.raises(TypeError):
        Target()

    class Sum(Target):  # a user-defined non-hierarchical target
        def __init__(self, d):
            self.d, self.input = d, GaussianInput(d)

        def _evaluate(self, xp, x):
            return xp.sum(x, axis=1)

    f = Sum(3)
    assert_equal(to_host(f(xp.asarray([[1.0, 2.0, 3.0]]))), [6.0])
    with pytest.raises(ValueError, match="Sum has no hierarchical structure"):
        f.feature(xp.asarray([[1.0, 2.0, 3.0]]))
    with pytest.raises(ValueError, match="x: expected 3 columns"):
        f(xp.zeros((1, 2)))


def test_which_targets_are_hierarchical():
    got = {name: f.hierarchical for name, f in _targets(Generator(0)).items()}
    assert got == {"single_index": True, "quadratic": True, "quadratic_rank2": True, "quadratic_radial": True,
                   "hierarchical": True, "radial": True, "ball": True, "smooth_ball": True, "parity": False,
                   "mixture": False}


def test_float64_target_evaluates_float32_input_in_float32(xp, backend):
    rng = Generator(1, xp=backend)
    for name, f in _targets(rng).items():
        X = f.input.sample(rng, 16, dtype="float32")
        y32 = f(X)
        y64 = f(xp.astype(X, xp.float64))
        assert y32.dtype == xp.float32, name
        # float32 rounding of O(1)-O(10) quantities; the ball indicator can flip only on the boundary
        assert_close(to_host(y32), to_host(y64), rtol=1e-4, atol=1e-4, err_msg=name)


# -- normalisations --------------------------------------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS, scale=st.floats(1e-3, 1e3))
def test_single_index_normalises_beta(xp, backend, seed, scale):
    rng = Generator(seed, xp=backend)
    b = rng.normal(D)
    f = SingleIndex("relu", scale * b)
    g = SingleIndex("relu", b)
    assert to_host(xp.linalg.vector_norm(f.beta)) == pytest.approx(1.0, abs=1e-14)
    X = rng.normal((10, D))
    assert_close(to_host(f(X)), to_host(g(X)), rtol=1e-12, atol=1e-14)


def test_single_index_accepts_sequences():
    f = SingleIndex("identity", [0.0, 3.0, 4.0])
    assert_close(to_host(f.beta), [0.0, 0.6, 0.8])
    assert isinstance(f.input, GaussianInput)


@FIXTURE_OK
@given(seed=SEEDS)
def test_quadratic_normalisation_and_symmetry(xp, backend, seed):
    rng = Generator(seed, xp=backend)
    G = rng.normal((D, D))
    f = QuadraticFeature("relu", 7.0 * (G + G.mT))
    A = to_host(f.A)
    assert np.linalg.norm(A) == pytest.approx(1.0, abs=1e-14)
    assert_equal(A, A.T)
    assert f.trace == pytest.approx(np.trace(A), abs=1e-14)
    assert isinstance(f.input, SphereInput) and f.input.radius == pytest.approx(math.sqrt(D))


def test_quadratic_accepts_nearly_symmetric_products():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    A = Q @ np.diag(np.linspace(-1, 1, 30)) @ Q.T  # symmetric only up to rounding
    assert not np.array_equal(A, A.T)
    f = QuadraticFeature("identity", A)
    assert_equal(to_host(f.A), to_host(f.A).T)


def test_random_quadratic_operator_norm():
    # A = G + Gᵀ, trace removed, ‖A‖_F = 1 has a semicircle spectrum of radius 2/√d; at d = 64 the
    # largest |eigenvalue| fluctuates by O(d^{-2/3}) ≈ 6% (Tracy–Widom), so allow [1.75, 2.25]·/√d
    d = 64
    for seed in range(3):
        f = QuadraticFeature.random(Generator(seed), d, "relu")
        A = to_host(f.A)
        assert abs(np.trace(A)) < 1e-12 and f.trace == pytest.approx(0.0, abs=1e-12)
        assert np.linalg.norm(A) == pytest.approx(1.0, abs=1e-14)
        assert 1.75 < np.max(np.abs(np.linalg.eigvalsh(A))) * math.sqrt(d) < 2.25


@pytest.mark.parametrize("rank", [1, 2, 5])
def test_random_quadratic_rank(rank):
    f = QuadraticFeature.random(Generator(3), 12, "relu", rank=rank)
    ev = np.linalg.eigvalsh(to_host(f.A))
    # exactly `rank` eigenvalues are non-zero (the others are rounding, < 1e-12)
    assert int(np.sum(np.abs(ev) > 1e-10)) == rank
    if rank >= 2:  # alternating signs
        assert ev.min() < -1e-3 and ev.max() > 1e-3


def test_radial_quadratic_feature():
    f = QuadraticFeature.radial(4, "identity")
    assert_close(to_host(f.A), np.eye(4) / 2.0)
    assert isinstance(f.input, GaussianInput)  # on the sphere the feature is constant
    x = hxp.asarray([[1.0, 1.0, 1.0, 1.0], [2.0, 0.0, 0.0, 0.0]])
    assert_close(to_host(f.feature(x)), [0.0, 0.0], atol=1e-15)  # (‖x‖² − d)/√d


@FIXTURE_OK
@given(seed=SEEDS)
def test_quadratic_feature_is_centred(xp, backend, seed):
    n = 2**14
    rng = Generator(seed, xp=backend)
    f = QuadraticFeature.random(rng.child("A"), 6, "identity", rank=2)  # tr A ≠ 0: centring matters
    lam = np.linalg.eigvalsh(to_host(f.A))
    for inp in (SphereInput(6), GaussianInput(6)):
        h = to_host(f.feature(inp.sample(rng, n)))
        # Var h* <= 2‖A‖_F² = 2 under both laws (Gaussian: exactly 2), so the mean has s.e. <= sqrt(2/n)
        assert abs(h.mean()) < Z * math.sqrt(2.0 / n), inp
    # under N(0, I): Var h* = 2 exactly; the sample variance has variance (κ4 + 2κ2²)/n with
    # κ2 = 2, κ4 = 48 Σλ⁴ (cumulants of Σ λ_i (z_i² − 1))
    h = to_host(f.feature(GaussianInput(6).sample(rng, n)))
    assert abs(h.var() - 2.0) < Z * math.sqrt((48 * np.sum(lam**4) + 8.0) / n)


# -- invariances -----------------------------------------------------------------------------------------
def _rotation(rng, d):
    q, r = np.linalg.qr(to_host(rng.normal((d, d))))
    return q * np.sign(np.diag(r))[None, :]


@FIXTURE_OK
@given(seed=SEEDS)
def test_radial_targets_are_rotation_invariant(xp, backend, seed):
    rng = Generator(seed, xp=backend)
    Q = xp.asarray(_rotation(rng.child("Q"), D))
    X = rng.normal((200, D))
    XQ = X @ Q
    norms = to_host(xp.linalg.vector_norm(X, axis=1))
    for f in (Radial("tanh", D), SmoothBallIndicator(2.0, 0.3, D), QuadraticFeature.radial(D, "relu", xp=xp)):
        # a rotation changes ‖x‖ only by rounding: ~1e-15 relative
        assert_close(to_host(f(XQ)), to_host(f(X)), rtol=1e-12, atol=1e-12)
    ball = BallIndicator(2.0, D)
    safe = np.abs(norms - 2.0) > 1e-9  # exclude points within rounding of the sphere
    assert_equal(to_host(ball(XQ))[safe], to_host(ball(X))[safe])


@FIXTURE_OK
@given(seed=SEEDS)
def test_anisotropic_targets_are_not_rotation_invariant(xp, backend, seed):
    # negative control: the invariance test above can fail
    rng = Generator(seed, xp=backend)
    Q = xp.asarray(_rotation(rng.child("Q"), D))
    X = rng.normal((200, D))
    for f in (QuadraticFeature.random(rng.child("A"), D, "identity"), SingleIndex.random(rng.child("b"), D, "tanh")):
        assert np.max(np.abs(to_host(f(X @ Q)) - to_host(f(X)))) > 1e-3


def test_single_index_invariant_under_rotations_fixing_beta():
    rng = Generator(5)
    f = SingleIndex.random(rng, D, "relu")
    b = to_host(f.beta)
    v = to_host(rng.normal(D))
    v -= (v @ b) * b  # v ⊥ β
    v /= np.linalg.norm(v)
    Q = np.eye(D) - 2 * np.outer(v, v)  # Householder reflection: orthogonal, symmetric, Q β = β
    X = rng.normal((100, D))
    assert_close(to_host(f(X @ hxp.asarray(Q))), to_host(f(X)), rtol=1e-12, atol=1e-12)


# -- sampling and noise ----------------------------------------------------------------------------------
@FIXTURE_OK
@given(seed=SEEDS, noise_std=st.sampled_from([0.1, 0.5, 2.0]))
def test_noise_level_and_independence_of_inputs(xp, backend, seed, noise_std):
    n = 2**13
    f = SingleIndex.random(Generator(1, xp=backend), D, "relu")
    X0, y0 = f.sample(Generator(seed, xp=backend), n)
    X1, y1 = f.sample(Generator(seed, xp=backend), n, noise_std=noise_std)
    assert_equal(to_host(X0), to_host(X1))  # X does not depend on the noise level
    assert_equal(to_host(y0), to_host(f(X0)))
    r = to_host(y1) - to_host(y0)
    # residual = noise·ξ: the sample std has s.e. ≈ noise/sqrt(2n), the mean noise/sqrt(n)
    assert abs(r.std() - noise_std) < Z * noise_std / math.sqrt(2 * n)
    assert abs(r.mean()) < Z * noise_std / math.sqrt(n)


def test_later_draws_do_not_depend_on_noise_and_calls_get_fresh_noise(backend):
    f = Radial("tanh", D)
    a, b = Generator(4, xp=backend), Generator(4, xp=backend)
    f.sample(a, 10, noise_std=0.0)
    f.sample(b, 10, noise_std=1.0)
    assert_equal(to_host(a.normal(5)), to_host(b.normal(5)))
    g = Generator(4, xp=backend)
    X1, y1 = f.sample(g, 50, noise_std=1.0)
    X2, y2 = f.sample(g, 50, noise_std=1.0)
    e1, e2 = to_host(y1 - f(X1)), to_host(y2 - f(X2))
    assert not np.array_equal(to_host(X1), to_host(X2))
    assert not np.allclose(e1, e2)  # a fixed child stream would repeat the same noise vector
    # reproducible from the seed
    X3, y3 = f.sample(Generator(4, xp=backend), 50, noise_std=1.0)
    assert_equal(to_host(y1), to_host(y3))


# -- parity and mixtures ---------------------------------------------------------------------------------
def test_sparse_parity(xp, backend):
    rng = Generator(2, xp=backend)
    f = SparseParity(6, [4, 1])
    assert f.support == (1, 4) and f.k == 2 and isinstance(f.input, HypercubeInput)
    X, y = f.sample(rng, 2**12)
    x = to_host(X)
    assert_equal(to_host(y), x[:, 1] * x[:, 4])
    assert abs(to_host(y).mean()) < Z / math.sqrt(2**12)  # E f* = 0; y = ±1 so s.e. 1/sqrt(n)
    one = SparseParity(6, [3])
    assert_equal(to_host(one(X)), x[:, 3])


def test_sparse_parity_random_support(backend):
    f = SparseParity.random(Generator(0, xp=backend), 20, 4)
    g = SparseParity.random(Generator(0, xp=backend), 20, 4)
    assert f.support == g.support and len(set(f.support)) == 4 and all(0 <= i < 20 for i in f.support)
    supports = {SparseParity.random(Generator(s, xp=backend), 20, 4).support for s in range(10)}
    # ten seeds drawing one of C(20, 4) = 4845 subsets all agree with probability 4845^-9: never
    assert len(supports) > 1


def test_xor_mixture(xp, backend):
    n = 2**13
    f = GaussianMixture.xor(4, 6.0, xp=xp)
    assert f.labels == (1, 1, -1, -1)
    X, y = f.sample(Generator(0, xp=backend), n)
    x, yh = to_host(X), to_host(y)
    assert set(np.unique(yh).tolist()) == {-1.0, 1.0}
    # no linear signal: E[y x] = 0; each coordinate of y·x has variance <= 1 + 36, s.e. sqrt(37/n)
    assert np.all(np.abs((yh[:, None] * x).mean(axis=0)) < Z * math.sqrt(37.0 / n))
    # at separation 6, the Bayes label differs from the component's label only if |x_2| > |x_1|
    # roughly, P ≈ P(|N(0,2)| > 6) ≈ 2e-5; require agreement > 99% (binomial s.e. tiny)
    assert np.mean(to_host(f(X)) == yh) > 0.99
    assert_equal(to_host(f(f.means)), [1.0, 1.0, -1.0, -1.0])


def test_mixture_bayes_label_uses_weights_and_stds():
    # two components at ±1 in R^1: at x = 0 the heavier component wins
    f = GaussianMixture([[1.0], [-1.0]], [1, -1], weights=[1.0, 3.0])
    assert to_host(f(hxp.asarray([[0.0]]))).tolist() == [-1.0]
    g = GaussianMixture([[1.0], [-1.0]], [1, -1], weights=[3.0, 1.0])
    assert to_host(g(hxp.asarray([[0.0]]))).tolist() == [1.0]
    # a broad component wins far away from both means even on the side of the narrow one
    h = GaussianMixture([[1.0], [-1.0]], [1, -1], std=[0.3, 3.0])
    assert to_host(h(hxp.asarray([[1.0], [6.0]]))).tolist() == [1.0, -1.0]


def test_mixture_sample_labels_are_component_labels(backend):
    xp = get_namespace(backend)
    f = GaussianMixture([[10.0, 0.0], [-10.0, 0.0]], [1, -1], std=0.1, xp=xp)
    X, y = f.sample(Generator(0, xp=backend), 100)
    assert_equal(np.sign(to_host(X)[:, 0]), to_host(y))


# -- errors ----------------------------------------------------------------------------------------------
def test_bad_x(xp):
    f = SingleIndex("relu", xp.asarray([1.0, 0.0, 0.0]))
    with pytest.raises(ValueError, match="x: expected a 2-D"):
        f(xp.zeros(3))
    with pytest.raises(ValueError, match="x: expected a 2-D"):
        f(xp.zeros((2, 3, 1)))
    with pytest.raises(ValueError, match="x: expected 3 columns"):
        f(xp.zeros((2, 4)))
    with pytest.raises(ValueError, match="x: contains non-finite"):
        f(xp.asarray([[0.0, float("nan"), 1.0]]))
    with pytest.raises(ValueError, match="x: contains non-finite"):
        f.feature(xp.asarray([[0.0, float("inf"), 1.0]]))
    with pytest.raises(TypeError, match="x: expected a real floating"):
        f(xp.zeros((2, 3), dtype=xp.int64))
    with pytest.raises(TypeError, match="x: expected a 2-D array"):
        f([[0.0, 0.0, 0.0]])


def test_mixed_backends_are_type_errors():
    torch = pytest.importorskip("torch")
    xt = torch.zeros((2, 3), dtype=torch.float64)
    for f in (SingleIndex("relu", np.ones(3)), QuadraticFeature("relu", np.eye(3)),
              GaussianMixture.xor(3, 1.0, xp="numpy")):
        with pytest.raises(TypeError, match=r"x: expected an array of the same backend as .*\(numpy\), got torch"):
            f(xt)
    # a target built on NumPy sampled with a torch generator: refused before drawing, naming rng
    with pytest.raises(TypeError, match=r"rng: expected a Generator of the same backend as the target's beta "
                                        r"\(numpy\), got torch"):
        SingleIndex("relu", np.ones(3)).sample(Generator(0, xp="torch"), 4)


@pytest.mark.parametrize("beta, exc, msg", [
    (np.zeros(3), ValueError, "beta: expected a non-zero"),
    (np.array([1.0, np.nan]), ValueError, "beta: contains non-finite"),
    (np.ones((2, 2)), ValueError, "beta: expected a non-empty 1-D"),
    (np.ones(0), ValueError, "beta: expected a non-empty 1-D"),
    ("abc", TypeError, "beta"),
])
def test_bad_beta(beta, exc, msg):
    with pytest.raises(exc, match=msg):
        SingleIndex("relu", beta)


@pytest.mark.parametrize("A, msg", [
    (np.zeros((3, 3)), "A: is zero"),
    (np.array([[1.0, 2.0], [0.0, 1.0]]), "A: expected a symmetric"),
    (np.ones((2, 3)), "A: expected a square"),
    (np.ones(3), "A: expected a square"),
    (np.array([[1.0, np.inf], [np.inf, 1.0]]), "A: contains non-finite"),
])
def test_bad_A(A, msg):
    with pytest.raises(ValueError, match=msg):
        QuadraticFeature("relu", A)


def test_bad_links_and_constructor_arguments():
    with pytest.raises(ValueError, match="link: .*unknown name 'nope'"):
        SingleIndex("nope", np.ones(2))
    with pytest.raises(TypeError, match="link"):
        Radial(3, 2)
    with pytest.raises(ValueError, match="radius"):
        BallIndicator(0.0, 3)
    with pytest.raises(ValueError, match="radius"):
        BallIndicator(-1.0, 3)
    with pytest.raises(ValueError, match="width"):
        SmoothBallIndicator(1.0, 0.0, 3)
    with pytest.raises(ValueError, match="d"):
        Radial("relu", 0)
    with pytest.raises(TypeError, match="feature_fn"):
        Hierarchical("relu", 3, 2)
    with pytest.raises(ValueError, match="input: dimension d=4"):
        SingleIndex("relu", np.ones(3), input=GaussianInput(4))
    with pytest.raises(TypeError, match="input"):
        Radial("relu", 3, input="gaussian")
    with pytest.raises(ValueError, match="d: a random trace-free A needs d >= 2"):
        QuadraticFeature.random(Generator(0), 1, "relu")
    with pytest.raises(ValueError, match="rank"):
        QuadraticFeature.random(Generator(0), 3, "relu", rank=4)
    with pytest.raises(TypeError, match="rng"):
        SingleIndex.random(np.random.default_rng(0), 3, "relu")


def test_bad_feature_fn_output():
    f = Hierarchical("relu", lambda x: x, 2)
    with pytest.raises(ValueError, match="feature_fn: expected an array of shape"):
        f(hxp.zeros((3, 2)))


def test_bad_sample_arguments():
    f = Radial("relu", 2)
    with pytest.raises(ValueError, match="noise_std"):
        f.sample(Generator(0), 3, noise_std=-0.1)
    with pytest.raises(ValueError, match="noise_std"):
        f.sample(Generator(0), 3, noise_std=float("nan"))
    with pytest.raises(ValueError, match="n"):
        f.sample(Generator(0), -1)
    with pytest.raises(TypeError, match="rng"):
        f.sample(0, 3)


@pytest.mark.parametrize("support, exc, msg", [
    ([], ValueError, "support: expected at least one"),
    ([0, 0], ValueError, "support: expected distinct indices"),
    ([5], ValueError, r"support: expected an int in \[0, 4\], got 5"),
    ([-1], ValueError, r"support: expected an int in \[0, 4\], got -1"),
    ([1.0], TypeError, "support"),
    (3, TypeError, "support"),
])
def test_bad_parity_support(support, exc, msg):
    with pytest.raises(exc, match=msg):
        SparseParity(5, support)


def test_bad_mixture_labels():
    with pytest.raises(ValueError, match="labels: expected 2 labels"):
        GaussianMixture([[0.0], [1.0]], [1])
    with pytest.raises(ValueError, match="labels: expected values in"):
        GaussianMixture([[0.0], [1.0]], [1, 0])
    with pytest.raises(ValueError, match="separation"):
        GaussianMixture.xor(3, 0.0)
    with pytest.raises(ValueError, match="d: the XOR mixture needs d >= 2"):
        GaussianMixture.xor(1, 1.0)


def test_links_of_ball_targets():
    z = hxp.asarray([0.5, 0.9, 1.0, 1.1, 2.0])
    ball = BallIndicator(1.0, 2)
    assert_equal(to_host(ball.link(z)), [1.0, 1.0, 1.0, 0.0, 0.0])
    assert_equal(to_host(ball.link.grad(z)), np.zeros(5))
    smooth = SmoothBallIndicator(1.0, 0.4, 2)
    assert_close(to_host(smooth.link(z)), [1.0, 0.75, 0.5, 0.25, 0.0], atol=1e-15)
    assert_close(to_host(smooth.link.grad(z)), [0.0, -2.5, -2.5, -2.5, 0.0])
    assert as_activation(smooth.link) is smooth.link
