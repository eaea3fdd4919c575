"""Root conftest: doctests of modules whose optional dependency is missing are not collected.

``pip install . pytest`` (CI's plain-install doctest step) has no Hypothesis, which only
``featlearn.testing.strategies`` needs; everything else is collected as usual.
"""

import importlib.util

collect_ignore = [] if importlib.util.find_spec("hypothesis") else ["featlearn/testing/strategies.py"]
