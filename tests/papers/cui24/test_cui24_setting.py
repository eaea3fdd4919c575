"""Cui et al. 2024's Setting: both scales validate, a bad value names its field, paper scale holds the paper's sizes."""

from __future__ import annotations

import pytest

from featlearn.claims import PAPERS
from featlearn.papers.cui24 import CITATION, KEY, Setting


def test_both_scales_validate():
    assert Setting() == Setting.at("quick")
    paper = Setting.at("paper")
    assert paper == Setting(**Setting.SCALES["paper"])


def test_paper_scale_sizes():
    s = Setting.at("paper")
    assert (s.d, s.n_test, s.seeds) == (1000, 10000, 5)
    assert s.curve_alphas == (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0)
    assert (s.curve_eta_tilde, s.curve_alpha0, s.curve_lam) == (2.0, 4.0, 0.05)
    assert s.one_step_settings() == [{"eta_tilde": 1.0, "alpha0": 2.0, "alpha": 1.0, "lam": 0.1},
                                     {"eta_tilde": 2.0, "alpha0": 4.0, "alpha": 2.0, "lam": 0.05},
                                     {"eta_tilde": 3.0, "alpha0": 4.0, "alpha": 1.5, "lam": 0.02}]
    q = Setting()
    assert (q.d, q.n_test, q.seeds, q.curve_alphas) == (400, 4000, 4, (0.5, 1.0, 2.0, 3.0))
    assert q.one_step_settings() == s.one_step_settings()


@pytest.mark.parametrize("field,value", [("d", 0), ("n_test", 1), ("seeds", 0), ("curve_lam", 0.0),
                                         ("curve_alphas", (1.0, -2.0)), ("step_lams", (0.1, 0.05))])
def test_bad_value_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Setting(**{field: value})


def test_registered_with_its_setting():
    assert KEY == "cui24" and CITATION["notes"] == "docs/papers/cui24.md"
    assert PAPERS[KEY]["cite"] == CITATION["cite"]
    assert PAPERS[KEY]["setting"] == "featlearn.papers.cui24.setting:Setting"
