"""The template paper's key, citation and setting (every size its claims and experiments read)."""

from __future__ import annotations

from dataclasses import dataclass

from featlearn.settings import Setting as _Base
from featlearn.settings import param

KEY = "template"
CITATION = {"cite": "Template 2026", "title": "A minimal paper folder", "url": "",
            "notes": "docs/papers/README.md"}


@dataclass(frozen=True)
class Setting(_Base):
    """The template paper's setting: x ~ N(0, I_d), n samples per estimate."""

    d: int = param(8, doc="input dimension d", min_val=1)
    n: int = param(4000, doc="samples in the claim's estimate", min_val=2)
    sweep_n: tuple = param((500, 2000, 8000), doc="sample sizes of the experiment's sweep", min_val=2)
    seeds: int = param(3, doc="sweep seeds", min_val=1)
    z_tol: float = param(5.0, doc="standard errors the claim allows", min_val=0.0,
                         include_boundaries="neither")

    SCALES = {"quick": {}, "paper": {"n": 64000, "sweep_n": (1000, 4000, 16000, 64000), "seeds": 5}}
