"""Nichani, Damian, Lee 2023: three-layer networks trained layer-wise learn hierarchical features.

Described in ``docs/papers/ndl23.md``.
"""

from featlearn.claims import register_paper

register_paper("ndl23", cite="Nichani, Damian, Lee 2023",
               title="Provable Guarantees for Nonlinear Feature Learning in Three-Layer Neural Networks",
               url="https://arxiv.org/abs/2305.06986", notes="docs/papers/ndl23.md",
               setting="featlearn.papers.ndl23.setting")

from featlearn.papers.ndl23 import claims, experiments  # noqa: E402,F401  (registers content)
