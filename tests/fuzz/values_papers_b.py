"""Valid values and instances for the papers_b group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401
from fuzz.values import KIND, LEGAL  # noqa: E402,F401

# SmoothBallIndicator's width is the ramp's width (a real > 0), not a layer width
KIND.setdefault("featlearn.papers.sl21.SmoothBallIndicator", {})["width"] = "real"
# StrongNetwork(eps=None) is documented: "None: run all max_iter iterations" (no stopping rule)
LEGAL.setdefault("featlearn.papers.sl21.StrongNetwork", {})["eps"] = "documented: None runs all max_iter iterations"

# predicted_crossing's `active` is the activation probability q of each neuron (ParityGradient.active, floats)
OVERRIDES["featlearn.papers.swl23.predicted_crossing"]["active"] = lambda: __import__("numpy").full(8, 0.5)
