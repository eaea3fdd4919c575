"""The one-step training core (featlearn.models.two_layer, featlearn.models.one_step).

Exact-algebra tests run on every backend of the ``xp`` fixture in float64; tolerances are
stated next to each comparison.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from featlearn.backends import Generator, to_host, to_scalar
from featlearn.data import ArrayStream, TargetStream
from featlearn.models.one_step import (OneStepNetwork, alpha_sweep, apply_step,
                                       estimate_centering, evaluate, feature_stats, fit_second_layer,
                                       one_step_gradient)
from featlearn.models.two_layer import PARAMETRIZATIONS, init_network
from featlearn.theory.activations import Activation
from featlearn.theory.hermite import hermite_he
from featlearn.theory.targets import SingleIndex

SEEDS = st.integers(0, 2**31 - 1)
# the xp fixture only hands out a namespace, so reusing it across Hypothesis examples is safe
FIXTURE_OK = dict(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LINK = Activation("he1+he2/2", lambda z: z + 0.5 * hermite_he(2, z), lambda z: 1.0 + z)

# float64 throughout: sums of O(10²) products of O(1) numbers in another order differ by
# ~1e-14 relative, so 1e-10 leaves four orders of magnitude for the algebra to be wrong.
RTOL = 1e-10


def _close(a, b, rtol=RTOL, atol=1e-12):
    ha, hb = to_host(a), to_host(b)
    assert ha.shape == hb.shape
    err = float(abs(ha - hb).max()) if ha.size else 0.0
    assert err <= atol + rtol * float(abs(hb).max()), f"max abs difference {err:.3e}"


def _data(xp, seed, n=12, d=5):
    rng = Generator(seed, xp=xp)
    X = rng.child("X").normal((n, d))
    y = rng.child("y").normal((n,))
    return X, y


def _loss(net, X, y):
    r = y - net(X)
    return to_scalar(net.xp.sum(r * r)) / (2 * X.shape[0])


# -- exact algebra -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("param", list(PARAMETRIZATIONS))
@settings(max_examples=4, **FIXTURE_OK)
@given(seed=SEEDS)
def test_gradient_matches_finite_differences(xp, param, seed):
    # G = (s/n) Xᵀ[(r aᵀ) ⊙ σ'(XW + c)] with r = y − f₀ is −∇_W of L = (1/2n)‖y − f‖²
    X, y = _data(xp, seed)
    net = init_network(Generator(seed, xp=xp).child("net"), 5, 6, activation="tanh", parametrization=param,
                       symmetric=False)
    G = one_step_gradient(net, (X, y), residual="y-f0").G
    V = Generator(seed, xp=xp).child("V").normal((5, 6))
    h = 1e-5
    fd = (_loss(net.with_weights(net.W + h * V), X, y) - _loss(net.with_weights(net.W - h * V), X, y)) / (2 * h)
    exact = -to_scalar(xp.sum(G * V))
    # central difference: truncation h²/6·L''' ~ 1e-11 and rounding eps·L/h ~ 1e-11 for O(1) losses
    assert fd == pytest.approx(exact, rel=1e-6, abs=1e-8)


@settings(max_examples=5, **FIXTURE_OK)
@given(seed=SEEDS, half=st.integers(1, 8), param=st.sampled_from(list(PARAMETRIZATIONS)))
def test_symmetric_init_is_zero_and_residuals_agree(xp, seed, half, param):
    net = init_network(Generator(seed, xp=xp), 5, 2 * half, parametrization=param, symmetric=True)
    X, y = _data(xp, seed)
    f0 = net(X)
    # paired neurons cancel exactly in exact arithmetic; in floats up to a few ulps of |F||a|
    assert float(to_host(xp.max(xp.abs(f0)))) < 1e-12
    g_y = one_step_gradient(net, (X, y), residual="y")
    g_f = one_step_gradient(net, (X, y), residual="y-f0")
    _close(g_y.G, g_f.G, rtol=1e-9)


@settings(max_examples=5, **FIXTURE_OK)
@given(seed=SEEDS, chunk=st.integers(1, 12))
def test_chunked_equals_unchunked(xp, seed, chunk):
    X, y = _data(xp, seed)
    clean = 0.5 * y
    net = init_network(Generator(seed, xp=xp), 5, 7)
    data = (X, y, clean)
    g1, g2 = one_step_gradient(net, data, chunk=12), one_step_gradient(net, data, chunk=chunk)
    _close(g1.G, g2.G)
    _close(g1.direction, g2.direction)
    stepped = apply_step(net, g1, 3.0)
    (s1, c1), (s2, c2) = feature_stats(stepped, data, chunk=12)[0], feature_stats(stepped, data, chunk=chunk)[0]
    _close(s1.FtF, s2.FtF)
    _close(s1.Fty, s2.Fty)
    _close(c1.Fty, c2.Fty)
    A = xp.ones((7, 2), dtype=X.dtype)
    e1, e2 = evaluate(stepped, A, data, chunk=12)[0], evaluate(stepped, A, data, chunk=chunk)[0]
    assert e1["error"] == pytest.approx(e2["error"], rel=RTOL)
    assert e1["excess"] == pytest.approx(e2["excess"], rel=RTOL)


def test_steps_follow_the_parametrizations(xp):
    X, y = _data(xp, 3)
    for param in PARAMETRIZATIONS:
        net = init_network(Generator(1, xp=xp), 5, 4, parametrization=param, symmetric=False,
                           activation="tanh")
        g = one_step_gradient(net, (X, y))
        new = apply_step(net, g, 2.0)
        if param == "moniri":
            _close(new.W, net.W + 2.0 * g.G)
        elif param == "ba":  # mean field: W₀ + η√N·G, output scale 1/√N
            _close(new.W, net.W + 2.0 * 2.0 * g.G)
            assert net.output_scale == pytest.approx(0.5)
        else:  # DLS22: η·G/rms‖G_j‖ -- the neurons' root-mean-square norm is η
            norms = xp.sum(new.W * new.W, axis=0)
            assert math.sqrt(to_scalar(xp.mean(norms))) == pytest.approx(2.0, rel=1e-12)


def test_initialisations(xp):
    rng = Generator(0, xp=xp)
    moniri = init_network(rng, 30, 20)
    norms = to_host(xp.linalg.vector_norm(moniri.W, axis=0))
    assert abs(norms - 1).max() < 1e-12  # neurons on the unit sphere (MLHD23)
    dls = init_network(rng, 30, 20, parametrization="dls22")
    assert dls.bias is not None and set(to_host(dls.a).tolist()) <= {-1.0, 1.0}
    _close(dls.W[:, :10], dls.W[:, 10:], rtol=0, atol=0)  # symmetric copies


# -- invariances -----------------------------------------------------------------------------------------------
@settings(max_examples=3, **FIXTURE_OK)
@given(seed=SEEDS)
def test_errors_invariant_under_rotation(xp, seed):
    # x ↦ Qᵀx with W₀ ↦ QᵀW₀ leaves XW₀ and every error unchanged (G ↦ QᵀG)
    rng = Generator(seed, xp=xp)
    d, N, n = 6, 8, 40
    Q, _ = xp.linalg.qr(rng.child("Q").normal((d, d)))
    X, Xv, Xt = (rng.child(k).normal((n, d)) for k in ("X", "Xv", "Xt"))
    beta = rng.child("beta").normal((d,))
    lab = [LINK(Z @ beta) for Z in (X, Xv, Xt)]
    net0 = init_network(rng.child("init"), d, N)
    net0_rot = net0.with_weights(Q.T @ net0.W)
    kw = dict(alpha=0.3, lambdas=[1e-3, 1e-1, 1.0], reuse_samples=True)
    m1 = OneStepNetwork(N, **kw).fit_batches((X, lab[0]), val_data=(Xv, lab[1]), network=net0)
    m2 = OneStepNetwork(N, **kw).fit_batches((X @ Q, lab[0]), val_data=(Xv @ Q, lab[1]), network=net0_rot)
    assert m1.lambda_ == m2.lambda_
    assert m1.second_layer_.train_errors == pytest.approx(m2.second_layer_.train_errors, rel=1e-8)
    # rounding differences are amplified by the smallest ridge eigenvalue, hence 1e-8
    assert m1.errors((Xt, lab[2]))["error"] == pytest.approx(m2.errors((Xt @ Q, lab[2]))["error"], rel=1e-8)


def test_same_seed_same_result(xp):
    def fit(seed):
        rng = Generator(seed, xp=xp)
        target = SingleIndex.random(rng.child("target"), 6, LINK)

        def src(key, n):
            return TargetStream(target, n, rng.child(key), noise_std=0.1, block=16)

        m = OneStepNetwork(10, alpha=0.25).fit_batches(src("s", 40), src("r", 40), src("v", 20), rng=rng)
        return to_host(m.coef_), m.errors(src("t", 30))

    (a1, e1), (a2, e2), (a3, _) = fit(5), fit(5), fit(6)
    assert (a1 == a2).all() and e1 == e2
    assert not (a1 == a3).all()


# -- the second layer ---------------------------------------------------------------------------------------------
def test_second_layer_matches_direct_ridge(xp):
    X, y = _data(xp, 11, n=30)
    net = init_network(Generator(2, xp=xp), 5, 4)
    ((train, _),) = feature_stats(net, (X, y))
    fit = fit_second_layer((train, None), [0.01, 0.1], (train, None))
    assert fit.val_errors == pytest.approx(fit.train_errors, rel=1e-12)  # validating on the training data
    assert fit.lam == 0.01  # the smaller λ always fits the training data better
    F = net.features(X)
    for lam, err in zip((0.01, 0.1), fit.train_errors):
        a = xp.linalg.solve(F.T @ F / 30 + lam * xp.eye(4, dtype=F.dtype), F.T @ y / 30)
        r = y - F @ a
        assert err == pytest.approx(to_scalar(xp.sum(r * r)) / 30, rel=1e-9)


def test_reuse_samples_and_label_centering(xp):
    X, y = _data(xp, 4, n=40, d=5)
    m = OneStepNetwork(6, parametrization="dls22", lambdas=0.1, reuse_samples=True).fit_batches(
        (X, y), rng=Generator(0, xp=xp))
    assert m.second_layer_.path.train.n == 40  # the ridge used the 40 step samples
    c = estimate_centering((X, y))
    _close(m.predict(X), m.network_(X) + c.offset + X @ c.linear)
    with pytest.raises(ValueError, match="ridge_data"):
        OneStepNetwork(6, reuse_samples=True, lambdas=0.1).fit_batches((X, y), (X, y), rng=Generator(0, xp=xp))
    with pytest.raises(ValueError, match="ridge_data"):
        OneStepNetwork(6, lambdas=0.1).fit_batches((X, y), rng=Generator(0, xp=xp))
    with pytest.raises(ValueError, match="val_data"):
        OneStepNetwork(6, lambdas=[0.1, 1.0]).fit_batches((X, y), (X, y), rng=Generator(0, xp=xp))


def test_alpha_sweep_shares_the_initialisation():
    rng = Generator(0, xp="numpy")
    target = SingleIndex.random(rng.child("target"), 8, LINK)
    rows = alpha_sweep(target, rng, n=64, width=12, alphas=[0.0, 0.3], n_val=32, n_test=64, noise_std=0.1,
                       lambdas=[1e-3, 1e-1])
    assert [r["alpha"] for r in rows] == [0.0, 0.3]
    assert rows[1]["eta"] == pytest.approx(64 ** 0.3)
    for r in rows:
        assert r["test_error"] == pytest.approx(r["test_excess"] + 0.01, abs=0.2)  # noise variance 0.01 ± MC
        assert r["train_error"] == r["train_errors"][r["lambdas"].index(r["lambda"])]


def test_alpha_sweep_no_step_is_the_initial_network():
    # the no-step record is W₀ (η = 0) on the same data: equal to OneStepNetwork(eta=0) with the same init and data
    rng = Generator(0, xp="numpy")
    target = SingleIndex.random(rng.child("target"), 8, LINK)
    rows = alpha_sweep(target, rng, n=64, width=12, alphas=[0.3], n_val=32, n_test=64, noise_std=0.1,
                       lambdas=[1e-1], no_step=True)
    assert [r["alpha"] for r in rows] == [0.3, None] and rows[1]["eta"] == 0.0

    def src(key, m):
        return TargetStream(target, m, rng.child(key), noise_std=0.1)

    model = OneStepNetwork(12, eta=0.0, lambdas=[1e-1]).fit_batches(src("step-data", 64), src("ridge-data", 64),
                                                            rng=rng)
    assert model.errors(src("test-data", 64))["excess"] == pytest.approx(rows[1]["test_excess"], rel=1e-10)


# -- bad input ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("width", [0, -3, 2.5, True, "8"])
def test_bad_width(width):
    with pytest.raises((ValueError, TypeError), match="width"):
        OneStepNetwork(width)
    with pytest.raises((ValueError, TypeError), match="width"):
        init_network(Generator(0), 3, width)


@pytest.mark.parametrize("alpha", [-0.1, 0.5, 1.0, math.nan])
def test_bad_alpha(alpha):
    with pytest.raises(ValueError, match="alpha"):
        OneStepNetwork(8, alpha=alpha)


@pytest.mark.parametrize("lambdas", [0.0, -1.0, [0.1, 0.0], [], [math.inf]])
def test_bad_lambdas(lambdas):
    with pytest.raises(ValueError, match="lambdas"):
        OneStepNetwork(8, lambdas=lambdas)


def test_bad_sizes_and_options():
    rng = Generator(0)
    target = SingleIndex.random(rng, 4, "he1")
    for n in (0, -5, 1.5):
        with pytest.raises((ValueError, TypeError), match="n"):
            TargetStream(target, n, rng)
    with pytest.raises(ValueError, match="noise_std"):
        TargetStream(target, 10, rng, noise_std=-1.0)
    with pytest.raises(ValueError, match="residual"):
        OneStepNetwork(8, residual="f0")
    with pytest.raises(ValueError, match="width"):
        init_network(rng, 3, 5, symmetric=True)
    with pytest.raises(ValueError, match="d"):
        init_network(rng, 0, 5)
    with pytest.raises(ValueError, match="parametrization"):
        init_network(rng, 3, 4, parametrization="ntk")
    with pytest.raises(ValueError, match="alpha"):
        OneStepNetwork(8, alpha=0.1, eta=2.0)
    with pytest.raises(ValueError, match="eta"):
        OneStepNetwork(8, eta=-1.0)


def test_mismatched_dimensions(xp):
    rng = Generator(0, xp=xp)
    target = SingleIndex.random(rng.child("t"), 5, "he1")
    src = TargetStream(target, 20, rng.child("s"))
    net = init_network(rng.child("init"), 6, 4)
    with pytest.raises(ValueError, match="d = 5 does not match"):
        OneStepNetwork(4, lambdas=0.1, reuse_samples=True).fit_batches(src, network=net)
    with pytest.raises(ValueError, match="X"):
        net(xp.zeros((3, 5), dtype=net.dtype))


def test_non_finite_inputs(xp):
    X, y = _data(xp, 0)
    bad = xp.where(xp.reshape(xp.arange(60), (12, 5)) == 7, xp.full_like(X, math.nan), X)
    with pytest.raises(ValueError, match="step_data.X: input contains NaN"):
        OneStepNetwork(4, lambdas=0.1, reuse_samples=True).fit_batches((bad, y), rng=Generator(0, xp=xp))

    class NaNTarget:  # a streamed source whose inputs contain a NaN: raised when the pass ends
        d = 5

        def sample_block(self, rng, n, *, noise_std=0.0, dtype=None):
            Z = rng.normal((n, 5))
            Z = xp.where(xp.reshape(xp.arange(n * 5), (n, 5)) == 2, xp.full_like(Z, math.nan), Z)
            return Z, xp.zeros((n,), dtype=Z.dtype)

    net = init_network(Generator(0, xp=xp), 5, 4)
    with pytest.raises(ValueError, match="data.X: input contains NaN"):
        one_step_gradient(net, TargetStream(NaNTarget(), 8, Generator(1, xp=xp)))


def test_non_finite_labels(xp):
    X, y = _data(xp, 0)
    bad = xp.where(xp.arange(12) == 3, xp.full_like(y, math.nan), y)
    with pytest.raises(ValueError, match="y"):
        ArrayStream(X, bad)

    class InfTarget:  # a target whose labels overflow
        d = 5

        def sample_block(self, rng, n, *, noise_std=0.0, dtype=None):
            Z = rng.normal((n, 5))
            return Z, xp.full((n,), math.inf, dtype=Z.dtype)

    net = init_network(Generator(0, xp=xp), 5, 4)
    with pytest.raises(ValueError, match="y: input contains NaN"):
        one_step_gradient(net, TargetStream(InfTarget(), 8, Generator(1, xp=xp)))


# -- the DLS22 reference algorithm as a regression target ----------------------------------------------------------
def test_dls22_reference_value():
    """DLS22's public script prints "expected value is ~0.096" for its setting (anchors note §1.1):

    f* = He₂/√2, n = 10⁴ (samples reused for the ridge), d = 100, m = 1000 ReLU neurons,
    noise variance 1, λ from a 100-point grid on 10⁴ validation points, test loss − σ² on 10⁴
    test points. Tolerance: 3 standard errors of the difference between our Monte-Carlo test
    loss and theirs (each ≈ 0.015 with 10⁴ test points and σ² = 1, ours computed at run time).
    """
    link = Activation("he2/sqrt2", lambda z: hermite_he(2, z) / math.sqrt(2.0), lambda z: math.sqrt(2.0) * z)
    rng = Generator(0)
    target = SingleIndex.random(rng.child("target"), 100, link)

    def src(key, n):
        return TargetStream(target, n, rng.child(key), noise_std=1.0)

    lams = [10 ** (-10 + 25 * i / 99) for i in range(100)]
    model = OneStepNetwork(1000, parametrization="dls22", reuse_samples=True, lambdas=lams)
    model.fit_batches(src("step", 10_000), val_data=src("val", 10_000), rng=rng)
    (res,) = evaluate(model.network_, model.coef_, src("test", 10_000), centering=model.centering_)
    se = math.sqrt(res["error_se"][0] ** 2 + 0.015 ** 2)
    assert abs(res["error"][0] - 1.0 - 0.096) <= 3 * se, (res["error"][0] - 1.0, se)


def test_float32_end_to_end(xp):
    # the GPU default dtype: the whole pipeline keeps float32 (no silent promotion, no dtype clash)
    from featlearn.papers.mlhd23.spectral import spike_sweep

    rng = Generator(0, xp=xp)
    target = SingleIndex.random(rng.child("target"), 8, LINK, dtype="float32")

    def src(key, n):
        return TargetStream(target, n, rng.child(key), noise_std=0.1, dtype="float32")

    m = OneStepNetwork(12, alpha=0.3, dtype="float32").fit_batches(src("s", 64), src("r", 64), src("v", 32), rng=rng)
    assert m.network_.W.dtype == xp.float32 and m.coef_.dtype == xp.float32
    assert m.lambda_ in m.lambdas  # the grid's own value, not a float32-rounded copy
    assert math.isfinite(m.errors(src("t", 32))["excess"])
    sw = spike_sweep(target, rng, n=64, width=12, alphas=[0.3], noise_std=0.1, top=3, dtype="float32")
    assert len(sw.singular_values[0]) == 3 and all(math.isfinite(v) for v in sw.alignments[0][0])


@pytest.mark.parametrize("parametrization", ["moniri", "ba", "dls22"])
def test_eta_zero_is_the_no_step_baseline_in_every_parametrization(parametrization):
    # η = 0 is "no step": W₀ itself (the random-features network), never the zero network
    rng = Generator(0)
    net = init_network(rng.child("init"), 5, 8, parametrization=parametrization)
    X, y = _data("numpy", 0)
    g = one_step_gradient(net, (X, y))
    same = apply_step(net, g, 0.0)
    assert to_host(same.W).tolist() == to_host(net.W).tolist()
    moved = apply_step(net, g, 1.0)
    assert to_host(moved.W).tolist() != to_host(net.W).tolist()


@pytest.mark.parametrize("law", ["gaussian", "rademacher", "constant"])
def test_second_layer_laws(law):
    net = init_network(Generator(0), 4, 6, second_layer=law, symmetric=True)
    a = to_host(net.a)
    assert abs(a.sum()) < 1e-12  # symmetric: mirrored halves cancel
    if law == "constant":
        assert sorted(set(abs(a).round(12))) == [round(1 / 6, 12)]  # moniri's theory a₀ = 1/N (issue 20)
    with pytest.raises(ValueError, match="second_layer"):
        init_network(Generator(0), 4, 6, second_layer="uniform")


def test_alpha_sweep_accepts_external_data():
    # the same streams passed explicitly reproduce the drawn-data sweep exactly
    rng = Generator(4)
    target = SingleIndex.random(rng.child("target"), 8, LINK)
    kw = dict(n=200, width=16, alphas=[0.0, 0.3], n_val=80, n_test=120, noise_std=0.1)
    drawn = alpha_sweep(target, rng.child("s"), **kw)
    base = rng.child("s")
    data = {key: TargetStream(target, m, base.child(key), noise_std=0.1)
            for key, m in (("step-data", 200), ("ridge-data", 200), ("val-data", 80), ("test-data", 120))}
    given_data = alpha_sweep(target, rng.child("s"), data=data, **kw)
    assert [r["test_error"] for r in drawn] == pytest.approx([r["test_error"] for r in given_data], rel=1e-12)
    with pytest.raises(ValueError, match="data"):
        alpha_sweep(target, rng.child("s"), data={"step-data": data["step-data"]}, **kw)
    with pytest.raises(ValueError, match="n: expected the step data's size"):
        alpha_sweep(target, rng.child("s"), data=data, **{**kw, "n": 100})
