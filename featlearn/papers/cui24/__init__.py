"""Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024: the spiked random-features equivalent of one step.

Described in ``docs/papers/cui24.md``; theory in :mod:`featlearn.papers.cui24.spiked_random_features`.
"""

from featlearn.claims import register_paper

register_paper("cui24", cite="Cui, Pesce, Dandi, Krzakala, Lu, Zdeborová, Loureiro 2024",
               title="Asymptotics of feature learning in two-layer networks after one gradient-step",
               url="https://arxiv.org/abs/2402.04980", notes="docs/papers/cui24.md",
               setting="featlearn.papers.cui24.setting")

from featlearn.papers.cui24 import claims, experiments  # noqa: E402,F401  (registers content)
