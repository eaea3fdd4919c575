"""The standard results' Setting: both scales validate, a bad value names its field, paper scale holds the paper's sizes."""

from __future__ import annotations

import pytest

from featlearn.claims import PAPERS
from featlearn.papers.math import CITATION, KEY, Setting


def test_both_scales_validate():
    assert Setting() == Setting.at("quick")
    assert Setting.at("paper") == Setting(**Setting.SCALES["paper"])


def test_sizes_at_both_scales():
    q, p = Setting(), Setting.at("paper")
    assert (q.relu_hermite_n, q.sphere_n, q.single_index_n, q.seeds) == (2**22, 2**17, 2**20, 8)
    assert (p.relu_hermite_n, p.sphere_n, p.single_index_n, p.seeds) == (2**26, 2**21, 2**24, 20)
    assert (q.sphere_d, q.single_index_d, q.chunk, q.row_chunk) == (8, 8, 2**20, 2**16)
    assert (p.sphere_d, p.single_index_d, p.chunk, p.row_chunk) == (8, 8, 2**20, 2**16)
    assert q.hermite_mc_n == tuple(2**j for j in range(10, 22)) and q.hermite_mc_k == (2, 4)
    assert p.hermite_mc_n == tuple(2**j for j in range(10, 23)) and p.hermite_mc_k == (2, 3, 4)


@pytest.mark.parametrize("field,value", [("sphere_d", 0), ("relu_hermite_n", 1), ("seeds", 0),
                                         ("hermite_mc_n", (256, 1)), ("chunk", 0)])
def test_bad_value_names_the_field(field, value):
    with pytest.raises(ValueError, match=field):
        Setting(**{field: value})


def test_registered_with_its_setting():
    assert KEY == "math" and PAPERS[KEY]["cite"] == CITATION["cite"] == "Standard results"
    assert PAPERS[KEY]["setting"] == "featlearn.papers.math.setting:Setting"
