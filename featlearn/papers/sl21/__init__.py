"""Safran, Lee 2022 (COLT): optimization-based separations for neural networks.

Ball indicators ``1{‖x‖ <= λ}``, λ ∈ [1, 2], are learned by gradient descent on the output
weights of an erf + clipped-ReLU network with a frozen hidden layer (Eq. (2), Theorem 8), while
networks with one layer of non-linearities (Eq. (1)) cannot reach the same accuracy (Theorems
2–5). Described in ``docs/papers/sl21.md`` (the full COLT 2022 text was read; the paper has no
experiments, so every experiment here is ours).
"""

from featlearn.claims import register_paper

register_paper("sl21", cite="Safran, Lee 2022", title="Optimization-Based Separations for Neural Networks",
               url="https://arxiv.org/abs/2112.02393", notes="docs/papers/sl21.md",
               setting="featlearn.papers.sl21.setting")

from featlearn.papers.sl21 import claims, experiments  # noqa: E402,F401  (registers content)
