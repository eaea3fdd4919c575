"""Foundation claims: the Gaussian/spherical facts every paper's analysis rests on.

Each claim compares a closed form (theory code) with a Monte-Carlo estimate drawn on the
chosen backend through featlearn's RNG; tolerances are a fixed number of standard errors
of the estimate, with the standard error computed by quadrature, not from the sample. Sample
sizes and dimensions come from ``ctx.setting`` (:class:`.setting.Setting`); ``math.hermite-mc-rate``
reads the records of the ``hermite-mc`` sweep (:mod:`.experiments`).
"""

from __future__ import annotations

import math

from featlearn.backends import to_scalar
from featlearn.claims import Outcome, RunContext, claim
from featlearn.experiments import group_by
from featlearn.stats import fit_loglog_slope
from featlearn.theory.activations import as_activation
from featlearn.theory.hermite import gaussian_moment, hermite_coefficients, hermite_he
from featlearn.theory.host_constants import double_factorial
from featlearn.theory.targets import SingleIndex

from .experiments import RATE_CONFIDENCE
from .setting import KEY

#: Standard errors allowed for a Monte-Carlo estimate: P(|N(0,1)| > 5) ≈ 6e-7, so a
#: correct implementation essentially never fails, while a wrong constant (off by more
#: than 5 s.e., i.e. ~0.5% at n = 2^20) does.
Z_TOL = 5.0


def relu_hermite_closed_form(k: int) -> float:
    """μ_k = E[relu(z) He_k(z)]: 1/√(2π), 1/2, then φ(0)·He_{k−2}(0) for k ≥ 2.

    He_{2m}(0) = (−1)^m (2m−1)!! and He_{odd}(0) = 0, so the odd coefficients beyond 1 vanish.
    """
    phi0 = 1.0 / math.sqrt(2.0 * math.pi)
    if k == 0:
        return phi0
    if k == 1:
        return 0.5
    j = k - 2
    return 0.0 if j % 2 else phi0 * (-1) ** (j // 2) * double_factorial(j - 1)


def _mc_mean(ctx: RunContext, fn, n: int, chunk: int, key: str) -> float:
    """Streamed Monte-Carlo mean of fn(z), z ~ N(0,1), drawn on the context backend."""
    rng = ctx.rng(key)
    xp = ctx.xp
    total, done = 0.0, 0
    while done < n:
        m = min(chunk, n - done)
        z = rng.normal(m)
        total += to_scalar(xp.sum(fn(z)))
        done += m
    return total / n


@claim(
    id=f"{KEY}.relu-hermite",
    paper=KEY,
    where="Hermite expansion of ReLU (used by mlhd23 §2 and ndl23 kernel spectra)",
    provenance="stated",
    statement="The 2nd Hermite coefficient of ReLU is E[relu(z)He_2(z)] = 1/sqrt(2*pi); the quadrature "
              "coefficients match the closed form for k <= 8.",
    tolerance_note="5 Monte-Carlo standard errors (s.e. from quadrature of Var[relu·He_2]); quadrature vs closed "
                   "form is checked to 1e-9 inside the run.",
)
def relu_hermite(ctx: RunContext) -> Outcome:
    k = 2  # the lowest nonlinear coefficient: the one that drives quadratic feature learning
    relu = as_activation("relu")
    quad = hermite_coefficients(relu, 8)
    closed = [relu_hermite_closed_form(j) for j in range(9)]
    quad_err = max(abs(a - b) for a, b in zip(quad, closed))
    if quad_err > 1e-9:  # the two theory routes must agree before measuring anything
        raise AssertionError(f"quadrature vs closed form differ by {quad_err:.2e}")
    n = ctx.setting.relu_hermite_n
    measured = _mc_mean(ctx, lambda z: relu(z) * hermite_he(k, z), n, ctx.setting.chunk, "relu-hermite")
    var = gaussian_moment(lambda z: (relu(z) * hermite_he(k, z)) ** 2) - closed[k] ** 2
    se = math.sqrt(var / n)
    return Outcome(predicted=closed[k], measured=measured, tolerance=Z_TOL * se, comparison="abs",
                   details={"n": n, "standard_error": se, "quadrature_vs_closed_max_err": quad_err,
                            "closed_form": closed})


@claim(
    id=f"{KEY}.sphere-fourth-moment",
    paper=KEY,
    where="uniform measure on the sphere of radius sqrt(d) (input law of ndl23, swl23)",
    provenance="stated",
    statement="For x uniform on the sphere of radius sqrt(d) in R^d, E[x_1^4] = 3d/(d+2) (Gaussian value 3 "
              "only as d -> inf), while E[x_1^2] = 1 exactly.",
    tolerance_note="5 Monte-Carlo standard errors of the coordinate-averaged 4th moment, s.e. from the exact "
                   "8th moment 105 d^3/((d+2)(d+4)(d+6)) of the sphere (coordinates treated as independent, "
                   "which overstates the s.e. slightly: they are negatively correlated given ||x||).",
)
def sphere_fourth_moment(ctx: RunContext) -> Outcome:
    d = ctx.setting.sphere_d  # small d: the finite-d correction 3d/(d+2) = 2.4 is far from the Gaussian 3
    n = ctx.setting.sphere_n
    rng = ctx.rng("sphere")
    xp = ctx.xp
    chunk = ctx.setting.row_chunk
    s2 = s4 = 0.0
    done = 0
    while done < n:
        m = min(chunk, n - done)
        x = rng.sphere(m, d, radius=math.sqrt(d))
        s2 += to_scalar(xp.sum(x**2))
        s4 += to_scalar(xp.sum(x**4))
        done += m
    m2, m4 = s2 / (n * d), s4 / (n * d)
    predicted = 3.0 * d / (d + 2)
    m8 = 105.0 * d**3 / ((d + 2) * (d + 4) * (d + 6))
    se = math.sqrt((m8 - predicted**2) / (n * d))
    if abs(m2 - 1.0) > 1e-9:  # ||x||² = d exactly, so the 2nd moment is exact up to rounding
        raise AssertionError(f"E[x_1^2] = {m2}, expected 1")
    return Outcome(predicted=predicted, measured=m4, tolerance=Z_TOL * se, comparison="abs",
                   details={"d": d, "n": n, "second_moment": m2, "standard_error": se, "gaussian_value": 3.0})


# -- targets: the Hermite structure of single-index targets ------------------------------------------
@claim(
    id=f"{KEY}.single-index-hermite",
    paper=KEY,
    where="single-index targets f* = g*(β·x), x ~ N(0, I_d) (ndl23 §4 single-index setting; mlhd23 §2)",
    provenance="stated",
    statement="For a SingleIndex target with unit-norm β and Gaussian input, E[f*(x) He_k(β·x)] equals the "
              "link's Hermite coefficient μ_k = E[g*(z) He_k(z)]; checked for g* = tanh_softplus at k = 2 "
              "(k = 1..3 reported in details).",
    tolerance_note="5 Monte-Carlo standard errors of the k = 2 estimate; the s.e. is sqrt(Var[g*(z)He_2(z)]/n) "
                   "with the variance computed by quadrature, not from the sample.",
)
def single_index_hermite(ctx: RunContext) -> Outcome:
    k_main = 2  # the lowest nonlinear coefficient: the one that drives feature learning beyond linear
    ks = (1, 2, 3)
    link = as_activation("tanh_softplus")  # all of μ_1, μ_2, μ_3 non-zero
    d = ctx.setting.single_index_d  # the claim does not depend on d, but a non-trivial β·x exercises the target code
    target = SingleIndex.random(ctx.rng("beta"), d, link)
    mu = hermite_coefficients(link, max(ks))
    n = ctx.setting.single_index_n
    chunk = ctx.setting.row_chunk
    rng = ctx.rng("data")
    xp = ctx.xp
    sums = {k: 0.0 for k in ks}
    done = 0
    while done < n:
        m = min(chunk, n - done)
        X, y = target.sample(rng, m, dtype=ctx.dtype)
        z = target.feature(X)
        he_prev, he = xp.ones_like(z), z  # He_0, He_1; then He_{k+1} = z He_k − k He_{k−1} (as hermite_he)
        for k in range(1, max(ks) + 1):
            if k in sums:
                sums[k] += to_scalar(xp.sum(y * he))
            he_prev, he = he, z * he - k * he_prev
        done += m
    measured = {k: sums[k] / n for k in ks}
    # s.e. of a mean of n i.i.d. copies of g*(z)He_k(z), z ~ N(0,1) (β·x is exactly N(0,1) for unit β)
    se = {k: math.sqrt((gaussian_moment(lambda t, k=k: (link(t) * hermite_he(k, t)) ** 2) - mu[k] ** 2) / n)
          for k in ks}
    return Outcome(
        predicted=float(mu[k_main]), measured=measured[k_main], tolerance=Z_TOL * se[k_main], comparison="abs",
        details={"d": d, "n": n, "link": link.name, "k": k_main,
                 "predicted_mu": {k: float(mu[k]) for k in ks},
                 "measured": measured,
                 "standard_error": se,
                 "z_scores": {k: (measured[k] - float(mu[k])) / se[k] for k in ks}},
    )


@claim(
    id=f"{KEY}.hermite-mc-rate",
    paper=KEY,
    where="central limit theorem; μ_k as in math.relu-hermite",
    provenance="stated",
    statement="The Monte-Carlo error of E[relu(z) He_k(z)] decays as n^(-1/2): the log-log slope of |error| vs n "
              "is -1/2 for every degree k of the sweep (the worst k is reported).",
    tolerance_note=f"half-width of the {RATE_CONFIDENCE:.0%} t-interval of the OLS slope over all (n, seed) "
                   "points of that k",
    experiment="hermite-mc",
)
def hermite_mc_rate(ctx: RunContext, records: list[dict]) -> Outcome:
    fits = {}
    for k, by_n in group_by(records, x="n", y="abs_error", hue="k").items():
        ns = [n for n, errs in by_n.items() for _ in errs]
        errs = [e for v in by_n.values() for e in v]
        slope, _, (lo, hi), _ = fit_loglog_slope(ns, errs, confidence=RATE_CONFIDENCE)
        fits[k] = {"slope": slope, "ci": [lo, hi], "half_width": (hi - lo) / 2, "points": len(ns)}
    if not fits:
        raise ValueError("records: the hermite-mc sweep has no ok records")
    worst = max(fits, key=lambda k: abs(fits[k]["slope"] + 0.5) / fits[k]["half_width"])
    return Outcome(predicted=-0.5, measured=fits[worst]["slope"], tolerance=fits[worst]["half_width"],
                   comparison="abs", details={"worst_k": worst, "fits": fits, "confidence": RATE_CONFIDENCE})
