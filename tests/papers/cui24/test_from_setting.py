"""The equivalent model and its fixed point from a cui24 Setting: the same numbers as the claims' theory, bad input named."""

from __future__ import annotations

import pytest

from featlearn.papers.cui24 import Setting, SpikedRandomFeatures, setting_cell, setting_fixed_point
from featlearn.papers.cui24.experiments import curve_grid, theory
from featlearn.papers.cui24.spiked_random_features import equivalent_model, ridge_errors


def test_from_setting_is_the_cells_equivalent_model():
    s = Setting()
    for i, cell in enumerate(s.one_step_settings()):
        for link in ("tanh", "sin"):
            m = SpikedRandomFeatures.from_setting(s, link=link, cell=i)
            assert (m.eta_tilde, m.alpha0, m.noise_std) == (cell["eta_tilde"], cell["alpha0"], 0.0)
            assert m.activation.name == "tanh" and m.link.name == link
    m = SpikedRandomFeatures.from_setting(s, cell="curve")
    assert (m.eta_tilde, m.alpha0) == (s.curve_eta_tilde, s.curve_alpha0)


def test_fixed_point_equals_the_claims_theory():
    s = Setting()
    cell = s.one_step_settings()[1]
    fp = setting_fixed_point(s, link="sin", cell=1)
    assert fp.test_excess == theory("sin", **cell).test_excess
    m = SpikedRandomFeatures.from_setting(s, link="sin", cell=1)
    assert m.fixed_point(alpha=cell["alpha"], lam=cell["lam"]).test_excess == fp.test_excess
    c = curve_grid(s)[0]
    assert setting_fixed_point(s, cell=c).test_excess == pytest.approx(
        ridge_errors(equivalent_model("tanh", "tanh", eta_tilde=0.0, alpha0=c["alpha0"]), alpha=c["alpha"],
                     lam=c["lam"]).test_excess, rel=1e-12)


def test_setting_cell():
    s = Setting()
    assert setting_cell(s, 0) == s.one_step_settings()[0]
    assert setting_cell(s, "curve") == {"eta_tilde": 2.0, "alpha0": 4.0, "alpha": 0.5, "lam": 0.05}
    assert setting_cell(s.replace(step_eta_tildes=(0.5,), step_alpha0s=(1.0,), step_alphas=(2.0,),
                                  step_lams=(0.3,)), 0) == {"eta_tilde": 0.5, "alpha0": 1.0, "alpha": 2.0, "lam": 0.3}


@pytest.mark.parametrize("kwargs,exc,match", [
    ({"cell": 3}, ValueError, "cell"), ({"cell": -1}, ValueError, "cell"), ({"cell": 1.5}, TypeError, "cell"),
    ({"cell": "paper"}, ValueError, "cell"), ({"cell": {"eta_tilde": 1.0}}, ValueError, "cell"),
    ({"cell": {"eta_tilde": -1.0, "alpha0": 1.0, "alpha": 1.0, "lam": 0.1}}, ValueError, "eta_tilde"),
    ({"link": "relu"}, ValueError, "link"),
])
def test_bad_cell_or_link(kwargs, exc, match):
    with pytest.raises(exc, match=match):
        SpikedRandomFeatures.from_setting(Setting(), **kwargs)


@pytest.mark.parametrize("bad", [None, {"d": 400}, "quick"])
def test_bad_setting(bad):
    with pytest.raises(TypeError, match="setting"):
        SpikedRandomFeatures.from_setting(bad)
    with pytest.raises(TypeError, match="setting"):
        setting_fixed_point(bad)
