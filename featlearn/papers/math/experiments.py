"""Standard-results experiment: the Monte-Carlo rate of a Hermite coefficient (``hermite-mc``).

Its claim, ``math.hermite-mc-rate``, reads the sweep's records (``featlearn check`` and
``featlearn reproduce hermite-mc`` both run it through the sweep store).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from featlearn.backends import Generator, get_namespace, to_scalar
from featlearn.claims import ClaimContext, Outcome, claim
from featlearn.experiments import group_by, plot_loglog_fit, plot_seed_band, register_experiment
from featlearn.stats import fit_loglog_slope
from featlearn.theory.activations import as_activation
from featlearn.theory.hermite import hermite_coefficients, hermite_he

# -- hermite-mc: Monte-Carlo rate of a Hermite coefficient -------------------------------

#: Chunk of Gaussian draws held in memory at once.
_CHUNK = 2**20


def hermite_mc(params: dict, seed: int, backend: str, device: Any) -> dict[str, float]:
    """Monte-Carlo estimate of μ_k = E[σ(z) He_k(z)], z ~ N(0, 1), from ``n`` draws.

    Parameters (cell): ``n`` (sample size), ``k`` (Hermite degree, default 2),
    ``activation`` (name, default ``"relu"``). Draws come from
    ``Generator(seed).child("hermite-mc", k, n)`` on ``backend``/``device``, so every
    (n, k) has its own independent stream. The prediction is the quadrature value of
    :func:`featlearn.theory.hermite.hermite_coefficients`.

    Returns
    -------
    dict
        ``estimate``, ``predicted``, ``abs_error`` (|estimate − predicted|) and
        ``std_error`` (sample standard deviation of σ(z)He_k(z) over √n).
    """
    n, k = int(params["n"]), int(params.get("k", 2))
    if n < 2:
        raise ValueError(f"n: expected at least 2 samples, got {n}")
    act = as_activation(params.get("activation", "relu"))
    predicted = float(hermite_coefficients(act, k)[k])
    xp = get_namespace(backend)
    rng = Generator(seed, xp=xp, device=device).child("hermite-mc", k, n)
    total = total_sq = 0.0
    done = 0
    while done < n:
        m = min(_CHUNK, n - done)
        z = rng.normal(m)
        v = act(z) * hermite_he(k, z)
        total += to_scalar(xp.sum(v))
        total_sq += to_scalar(xp.sum(v * v))
        done += m
    est = total / n
    var = max(total_sq / n - est * est, 0.0) * n / (n - 1)
    return {"estimate": est, "predicted": predicted, "abs_error": abs(est - predicted),
            "std_error": math.sqrt(var / n)}


#: Confidence level of the slope interval that must contain the predicted −1/2.
_RATE_CONFIDENCE = 0.99


def _hermite_mc_figures(records: list[dict], out_dir: Path) -> list[Path]:
    return [
        plot_loglog_fit(records, x="n", y="abs_error", hue="k", path=Path(out_dir) / "abs_error_loglog.png",
                        reference_slope=-0.5, confidence=_RATE_CONFIDENCE,
                        title="Monte-Carlo error of μ_k (ReLU) vs n; dashed: the CLT rate n^(-1/2)",
                        xlabel="number of Monte-Carlo samples n", ylabel="absolute error |estimate − μ_k|"),
        plot_seed_band(records, x="n", y="estimate", hue="k", logx=True, path=Path(out_dir) / "estimate_band.png",
                       title="Monte-Carlo estimate of μ_k (ReLU) vs n, with the exact values",
                       xlabel="number of Monte-Carlo samples n", ylabel="estimate of μ_k = E[relu(z) He_k(z)]",
                       hlines=[(float(hermite_coefficients(as_activation("relu"), 4)[k]), f"exact μ_{k}")
                               for k in sorted({int(r["k"]) for r in records})]),
    ]


register_experiment(
    "hermite-mc", hermite_mc,
    params=("n", "k", "activation"),
    grid={"quick": {"n": [2**j for j in range(7, 19)], "k": [2, 4]},
          "paper": {"n": [2**j for j in range(8, 23)], "k": [2, 3, 4]}},
    seeds={"quick": range(8), "paper": range(20)},
    description="Monte-Carlo estimate of the ReLU Hermite coefficients μ_k = E[relu(z) He_k(z)] "
                "(μ_2 = 1/√(2π), μ_3 = 0, μ_4 = −1/√(2π)) against the sample size n, over seeds. "
                "The central limit theorem predicts |error| ∝ n^(-1/2): a log-log slope of −1/2.",
    paper="math",
    figures=_hermite_mc_figures,
)



@claim(
    id="math.hermite-mc-rate",
    paper="math",
    where="central limit theorem; μ_k as in math.relu-hermite",
    provenance="stated",
    statement="The Monte-Carlo error of E[relu(z) He_k(z)] decays as n^(-1/2): the log-log slope of |error| vs n "
              "is -1/2 for every degree k of the sweep (the worst k is reported).",
    tolerance_note=f"half-width of the {_RATE_CONFIDENCE:.0%} t-interval of the OLS slope over all (n, seed) "
                   "points of that k",
    experiment="hermite-mc",
)
def _hermite_mc_rate(ctx: ClaimContext, records: list[dict]) -> Outcome:
    fits = {}
    for k, by_n in group_by(records, x="n", y="abs_error", hue="k").items():
        ns = [n for n, errs in by_n.items() for _ in errs]
        errs = [e for v in by_n.values() for e in v]
        slope, _, (lo, hi), _ = fit_loglog_slope(ns, errs, confidence=_RATE_CONFIDENCE)
        fits[k] = {"slope": slope, "ci": [lo, hi], "half_width": (hi - lo) / 2, "points": len(ns)}
    if not fits:
        raise ValueError("records: the hermite-mc sweep has no ok records")
    worst = max(fits, key=lambda k: abs(fits[k]["slope"] + 0.5) / fits[k]["half_width"])
    return Outcome(predicted=-0.5, measured=fits[worst]["slope"], tolerance=fits[worst]["half_width"],
                   comparison="abs", details={"worst_k": worst, "fits": fits, "confidence": _RATE_CONFIDENCE})
