"""Valid values and instances for the papers_b group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401
from fuzz.values import KIND, LEGAL  # noqa: E402,F401
from fuzz.values import D, X, y  # noqa: E402
import numpy as np  # noqa: E402

# SmoothBallIndicator's width is the ramp's width (a real > 0), not a layer width
KIND.setdefault("featlearn.papers.sl21.SmoothBallIndicator", {})["width"] = "real"
# StrongNetwork(eps=None) is documented: "None: run all max_iter iterations" (no stopping rule)
LEGAL.setdefault("featlearn.papers.sl21.StrongNetwork", {})["eps"] = "documented: None runs all max_iter iterations"

# predicted_crossing's `active` is the activation probability q of each neuron (ParityGradient.active, floats)
OVERRIDES["featlearn.papers.swl23.predicted_crossing"]["active"] = lambda: __import__("numpy").full(8, 0.5)

# sl21.gd_spectrum: GD from an iterate that left the kink (a small positive start) on the fixture's features
OVERRIDES["featlearn.papers.sl21.gd_spectrum.gd_spectral_prediction"] = {
    "F": lambda: np.abs(X()) / 4.0, "y": lambda: (np.abs(y()) > 0.5).astype(float),
    "w_start": lambda: np.full(D, 0.05), "step": lambda: 1e-3, "iters": lambda: [1, 2, 3]}
OVERRIDES["featlearn.papers.sl21.gd_spectrum.validity_horizon"] = {
    "curve": lambda: [{"t": 1, "changed": 0.0}, {"t": 2, "changed": 0.1}], "max_changed": lambda: 0.05}
