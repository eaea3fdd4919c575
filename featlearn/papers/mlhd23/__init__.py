"""Moniri, Lee, Hassani, Dobriban 2023 (with its companion Ba et al. 2022): one large gradient step.

Described in ``docs/papers/mlhd23.md``. The companion paper's claims use the key ``ba22``.
"""

from featlearn.claims import register_paper

register_paper("mlhd23", cite="Moniri, Lee, Hassani, Dobriban 2023",
               title="A Theory of Non-Linear Feature Learning with One Gradient Step in Two-Layer Neural Networks",
               url="https://arxiv.org/abs/2310.07891", notes="docs/papers/mlhd23.md",
               setting="featlearn.papers.mlhd23.setting")
register_paper("ba22", cite="Ba, Erdogdu, Suzuki, Wang, Wu, Yang 2022",
               title="High-dimensional Asymptotics of Feature Learning: How One Gradient Step Improves the "
                     "Representation",
               url="https://arxiv.org/abs/2205.01445", notes="docs/papers/mlhd23.md",
               setting="featlearn.papers.mlhd23.setting")

from featlearn.papers.mlhd23 import claims, experiments  # noqa: E402,F401  (registers content)
