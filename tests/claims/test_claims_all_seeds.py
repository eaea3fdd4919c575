"""The whole registry holds at a second seed (claims are not tuned to seed 0)."""

from __future__ import annotations

import pytest

from featlearn.claims import select
from featlearn.experiments import run_check


@pytest.mark.slow
def test_every_claim_holds_at_a_second_seed():
    results = run_check(select(), backend="numpy", scale="quick", seed=1, progress=False)
    bad = {r.claim.id: (r.verdict, r.outcome, r.error) for r in results if r.verdict in ("fail", "error")}
    assert not bad, bad
