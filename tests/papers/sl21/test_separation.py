"""SL21's theorems as functions (docs/papers/sl21.md §3)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from featlearn.papers.sl21.separation import (THEOREM3_LEVEL, THEOREM8_WIDTH_FLOOR, check_lambda, theorem2_level,
                                              theorem3_time, theorem4_width, theorem5_level, theorem5_threshold,
                                              theorem8_contraction, theorem8_requirements)


def test_theorem8_values():
    req = theorem8_requirements(0.1, 0.1, 4, c=1.0, C=0.25, q=1.0)
    assert req.width == THEOREM8_WIDTH_FLOOR == 12000**4
    assert req.samples == math.ceil(req.width**3 * math.log2(req.width) ** 2)
    assert req.nu == pytest.approx(0.25 / (840 * 9**4 * 10**6))
    assert req.step_bound == pytest.approx(req.nu / (8 * req.width))
    assert req.iterations == pytest.approx(2 / (req.step * req.nu) * math.log(req.width / 0.8))
    assert req.stop_loss == 0.05


def test_theorem8_width_term_dominates_for_small_eps():
    req = theorem8_requirements(1e-4, 0.5, 4, c=2.0, q=lambda d: d**2)
    assert req.width == pytest.approx(2.0 * 1e20 * (16**4 + math.log(2) ** 2), rel=1e-12)


@given(e1=st.floats(1e-6, 0.99), e2=st.floats(1e-6, 0.99), d1=st.floats(1e-6, 0.99), d2=st.floats(1e-6, 0.99))
def test_theorem8_monotone_in_eps_and_delta(e1, e2, d1, d2):
    lo_e, hi_e = sorted((e1, e2))
    lo_d, hi_d = sorted((d1, d2))
    a = theorem8_requirements(lo_e, lo_d, 5, c=3.0, q=2.0)
    b = theorem8_requirements(hi_e, hi_d, 5, c=3.0, q=2.0)
    assert a.width >= b.width and a.samples >= b.samples
    assert a.step_bound <= b.step_bound
    assert a.iterations >= b.iterations * (1 - 1e-12)


def test_theorem8_bad_input():
    with pytest.raises(ValueError, match="eps"):
        theorem8_requirements(0.0, 0.1, 4)
    with pytest.raises(ValueError, match="delta"):
        theorem8_requirements(0.1, 1.0, 4)
    with pytest.raises(ValueError, match="d"):
        theorem8_requirements(0.1, 0.1, 1)
    with pytest.raises(ValueError, match="width"):
        theorem8_requirements(0.1, 0.1, 4, width=100)
    req = theorem8_requirements(0.1, 0.1, 4)
    with pytest.raises(ValueError, match="step"):
        theorem8_requirements(0.1, 0.1, 4, step=2 * req.step_bound)
    with pytest.raises(ValueError, match="c"):
        theorem8_requirements(0.1, 0.1, 4, c=0.5)


def test_theorem5_and_3():
    assert theorem5_level(1) == 1 / 784
    assert theorem5_level(3) == 1 / (196 * 16)
    assert THEOREM3_LEVEL == 1 / 400
    t = theorem5_threshold(2, 10, c1=1.0, c2=1.0)
    assert t == pytest.approx(math.exp(min(2 * math.log(10 / 2 + 2), 10 * math.log(2 / 10 + 2))))
    assert theorem5_threshold(400, 400, c2=5.0) == math.inf
    with pytest.raises(ValueError, match="d"):
        theorem5_threshold(1, 3)
    with pytest.raises(ValueError, match="d"):
        theorem3_time(0.01, 3)
    assert theorem3_time(0.01, 8) > theorem3_time(0.1, 8)


def test_theorem2_4():
    assert theorem2_level(10, c2=2.0) == 2e-4
    assert theorem4_width(5, c3=2.0, c4=0.5) == pytest.approx(2 * math.exp(2.5))
    with pytest.raises(ValueError, match="c2"):
        theorem2_level(4, c2=0.0)


def test_lambda_range_and_contraction():
    assert check_lambda(1.5) == 1.5
    with pytest.raises(ValueError, match="lam"):
        check_lambda(2.5)
    with pytest.raises(TypeError, match="lam"):
        check_lambda("1")
    assert theorem8_contraction(1e-3, 0.5, 10) == pytest.approx(1 - 5e-4 + 4e-5)
