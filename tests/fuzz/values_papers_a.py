"""Valid values and instances for the papers_a group of entry points (see values.py)."""

from fuzz.values import INSTANCES, KIND, LEGAL, OVERRIDES  # noqa: F401

_NDL = "featlearn.papers.ndl23"

# m2 is ``int | "auto"`` (documented): an int such as 3 is a valid inner width, not a bad option string
LEGAL.setdefault(f"{_NDL}.ThreeLayerNetwork", {})["m2"] = "int | 'auto' by the signature: 3 is a valid width"
# the setting of a prediction is a free-text label stored on the result ("single-index", "concrete", ...)
KIND.setdefault(f"{_NDL}.energies_prediction", {})["setting"] = "text"
# n is a real number in these theory formulas (``n: float``; the prediction is continuous in n)
KIND.setdefault(f"{_NDL}.predicted_feature_correlation", {})["n"] = "real"
KIND.setdefault(f"{_NDL}.sample_complexity.SampleComplexity.correlation", {})["n"] = "real"
