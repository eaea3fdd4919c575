"""Shi, Wei, Liang 2023: provable guarantees for neural networks via gradient feature learning.

Described in ``docs/papers/swl23.md`` (the paper's full text was not available; most of the
content is reconstructed and marked so).
"""

from featlearn.claims import register_paper

register_paper("swl23", cite="Shi, Wei, Liang 2023",
               title="Provable Guarantees for Neural Networks via Gradient Feature Learning",
               url="https://arxiv.org/abs/2310.12408", notes="docs/papers/swl23.md",
               setting="featlearn.papers.swl23.setting")

from featlearn.papers.swl23 import claims, experiments  # noqa: E402,F401  (registers content)
