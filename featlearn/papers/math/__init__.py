"""Standard results the papers build on: Hermite analysis, Gaussian and spherical moments.

No paper document: each claim cites its textbook fact.
"""

from featlearn.claims import register_paper

register_paper("math", cite="Standard results",
               title="Hermite analysis and Gaussian/spherical measure facts the papers build on")

from featlearn.papers.math import claims, experiments  # noqa: E402,F401  (registers content)
