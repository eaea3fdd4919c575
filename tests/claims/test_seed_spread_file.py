"""The generated seed-spread file that tolerance notes cite stays true to the registry.

``benchmarks/seed_spread.py`` re-measures every claim over several seeds and writes
``benchmarks/results/seed_spread_quick_numpy.{json,md}``. Tolerances quote it instead of numbers
typed into prose; this test fails when a claim is added without re-measuring, and shows that no
claim failed or crashed on any seed (xfail = documented discrepancy, skipped = other scale only).
"""

from __future__ import annotations

import json
from pathlib import Path

from featlearn.claims import select

FILE = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "seed_spread_quick_numpy.json"


def test_every_registered_claim_was_re_measured_over_seeds():
    payload = json.loads(FILE.read_text())
    assert len(payload["seeds"]) >= 10
    missing = sorted({c.id for c in select()} - set(payload["claims"]))
    assert not missing, f"re-run `python benchmarks/seed_spread.py --seeds 12`: not measured: {missing}"


#: Statistical claims whose tolerance is a confidence level or a rank margin: over 12 seeds one seed outside is
#: within their false-alarm rate, so one (never more) is accepted, each with the measured reason.
ONE_SEED_OUTSIDE = {
    # 99% t-interval of the slope for each of 2 degrees, the worst reported: nominal ≈ 2% per seed, more with
    # the skewed log|error| residuals; seed 7: -0.368 against -0.5 ± 0.129 (12-seed mean -0.462, sd 0.05)
    "math.hermite-mc-rate": 1,
    # Spearman over 4 median losses with one adjacent swap allowed (-0.6); seed 8 has two swaps (-0.4)
    "ndl23.quadratic-sweep-loss-vs-correlation": 1,
}


def test_no_claim_failed_on_any_seed():
    # no error anywhere; a failure only where ONE_SEED_OUTSIDE accepts it, and at most that many seeds
    payload = json.loads(FILE.read_text())
    bad = {cid: rec["verdicts"] for cid, rec in payload["claims"].items()
           if "error" in rec["verdicts"]
           or sum(v == "fail" for v in rec["verdicts"]) > ONE_SEED_OUTSIDE.get(cid, 0)}
    assert not bad, bad


PAPER_FILE = FILE.with_name("seed_spread_paper_numpy.json")


def test_paper_scale_spread_covers_every_claim_with_a_verdict():
    # the paper-scale tolerances cite this file (benchmarks/seed_spread.py --scale paper): every claim has a
    # verdict on every seed there (none skipped), and a failure is a documented finding (xfail), never unexplained
    payload = json.loads(PAPER_FILE.read_text())
    assert len(payload["seeds"]) >= 3
    missing = sorted({c.id for c in select()} - set(payload["claims"]))
    assert not missing, f"re-run `python benchmarks/seed_spread.py --scale paper --seeds 3`: not measured: {missing}"
    bad = {cid: rec["verdicts"] for cid, rec in payload["claims"].items()
           if any(v in ("fail", "error", "skipped") for v in rec["verdicts"])}
    assert not bad, bad
