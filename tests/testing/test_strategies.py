"""featlearn.testing.strategies: every drawn object is one featlearn accepts.

The settings strategy is checked with ``_strict=True``: a combination the paper's ``Setting``
refuses raises here instead of being rejected quietly, so a cross-field constraint added to a
Setting without a rule in the strategy fails this test.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from featlearn.backends import Generator, available_backends
from featlearn.settings import Setting
from featlearn.testing import strategies as fst
from featlearn.theory.activations import Activation
from featlearn.theory.distributions import InputDistribution
from featlearn.theory.targets import Target

PAPERS = ("math", "mlhd23", "ba22", "ndl23", "swl23", "sl21", "cui24")
_FAST = hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# a Setting validates every field on construction (a second or so per 100 settings of a large paper)
_SETTINGS = hsettings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("paper", PAPERS)
def test_every_field_drawn_is_valid(paper):
    cls = fst.setting_class(paper)
    base = cls.at("quick")

    @_SETTINGS
    @given(fst.settings(paper, vary="all", _strict=True))
    def check(s):
        assert isinstance(s, cls)
        for f in dataclasses.fields(cls):
            v, d = getattr(s, f.name), getattr(base, f.name)
            if isinstance(d, tuple):
                if f.metadata.get("choices") is None:
                    assert len(v) == len(d), f.name  # sweep axes keep their length
            elif isinstance(d, int) and not isinstance(d, bool) and not f.name.endswith("_log2"):
                assert v <= d, f.name  # sizes never grow with shrink=True

    check()


@pytest.mark.parametrize("paper", ["swl23", "cui24", "mlhd23"])
def test_unshrunk_and_paper_scale_draws_are_valid(paper):
    @_SETTINGS
    @given(st.one_of(fst.settings(paper, vary="all", shrink=False, _strict=True),
                     fst.settings(paper, vary="all", scale="paper", _strict=True)))
    def check(s):
        assert isinstance(s, Setting)

    check()


def test_only_vary_fields_are_drawn_and_the_sizing_rule_holds():
    base = fst.setting_class("sl21").at("quick")

    @_FAST
    @given(fst.settings("sl21", vary=["n", "ridges", "adam_lr"]))
    def check(s):
        changed = {k for k, v in s.to_dict().items() if v != base.to_dict()[k]}
        assert changed <= {"n", "ridges", "adam_lr"}
        assert math.ceil(base.n / 8) <= s.n <= base.n
        assert base.adam_lr / 2 <= s.adam_lr <= 2 * base.adam_lr
        assert all(a < b for a, b in zip(s.ridges, s.ridges[1:]))  # an increasing grid stays increasing

    check()


@_SETTINGS
@given(fst.settings("cui24", d=64))
def test_vary_none_gives_the_base_and_fixed_fields_apply(s):
    assert s == fst.setting_class("cui24").at("quick", d=64)


def test_a_custom_strategy_in_vary_is_used():
    @_FAST
    @given(fst.settings("sl21", vary={"separation_d": st.tuples(st.integers(4, 6)), "n": None}))
    def check(s):
        assert 4 <= s.separation_d[0] <= 6

    check()


def test_swl23_crossing_dimensions_stay_below_crossing_d_max():
    @_FAST
    @given(fst.settings("swl23", vary=["crossing_d_k2", "crossing_d_k3", "crossing_d_max"], _strict=True))
    def check(s):
        assert max(s.crossing_d_k2 + s.crossing_d_k3) <= s.crossing_d_max

    check()


def test_setting_class_accepts_a_claim_id_a_class_and_an_instance():
    cls = fst.setting_class("sl21")
    assert fst.setting_class("sl21.weak-gd-above-400") is cls
    assert fst.setting_class(cls) is cls and fst.setting_class(cls()) is cls
    assert fst.setting_class("ba22") is fst.setting_class("mlhd23")


@pytest.mark.parametrize("bad, exc, match", [
    ({"paper": "nope"}, ValueError, "unknown paper key"),
    ({"paper": "sl21.nope"}, ValueError, "unknown claim id"),
    ({"paper": 3}, TypeError, "paper"),
    ({"paper": "sl21", "vary": ["nope"]}, ValueError, "nope: not a field"),
    ({"paper": "sl21", "vary": ["n"], "n": 10}, ValueError, "both drawn and fixed"),
    ({"paper": "sl21", "vary": {"n": 3}}, TypeError, r"vary\['n'\]"),
    ({"paper": "sl21", "n": 0}, ValueError, "n: expected"),
])
def test_bad_arguments(bad, exc, match):
    with pytest.raises(exc, match=match):
        fst.settings(**bad)


def test_backends_are_usable_names_or_namespaces():
    usable = {b.name for b in available_backends() if b.usable}

    @_FAST
    @given(fst.backends(), fst.backends(["numpy"], namespace=True))
    def check(name, xp):
        assert name in usable
        assert xp.__name__ == "array_api_compat.numpy"

    check()
    with pytest.raises(ValueError, match="unknown backend"):
        fst.backends(["numpyy"])


@_FAST
@given(fst.activations())
def test_activations_evaluate(act):
    import numpy as np

    assert isinstance(act, Activation)
    z = np.linspace(-2.0, 2.0, 5)
    assert np.all(np.isfinite(act(z))) and np.all(np.isfinite(act.grad(z)))


@_FAST
@given(fst.input_laws(d=st.integers(1, 6)), st.integers(0, 2**16))
def test_input_laws_sample(law, seed):
    import numpy as np

    assert isinstance(law, InputDistribution)
    x = law.sample(Generator(seed, xp="numpy"), 7)
    assert x.shape == (7, law.d) and np.all(np.isfinite(x))


@_FAST
@given(fst.targets(d=st.integers(1, 6), kinds=fst.TARGETS), st.integers(0, 2**16))
def test_targets_sample_finite_labels(f, seed):
    import numpy as np

    assert isinstance(f, Target)
    X, y = f.sample(Generator(seed, xp="numpy"), 9)
    assert X.shape == (9, f.d) and y.shape == (9,) and np.all(np.isfinite(y))


def test_strategy_arguments_are_checked():
    with pytest.raises(ValueError, match="unknown activation"):
        fst.activations(["nope"])
    with pytest.raises(ValueError, match="unknown input law"):
        fst.input_laws(kinds=["nope"])
    with pytest.raises(ValueError, match="unknown target"):
        fst.targets(kinds=["nope"])
    with pytest.raises(ValueError, match="d: expected"):
        fst.targets(d=0)


def test_swl23_widths_are_even_for_its_mirrored_initialisation():
    @_SETTINGS
    @given(fst.settings("swl23", vary=["xor_width", "bound_width", "widths"], _strict=True))
    def check(s):
        assert s.xor_width % 2 == 0 and s.bound_width % 2 == 0 and all(w % 2 == 0 for w in s.widths)
        assert all(a < b for a, b in zip(s.widths, s.widths[1:]))

    check()
