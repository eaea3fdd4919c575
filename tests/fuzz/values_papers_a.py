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

# featlearn.stats imports scipy.stats on first use (seconds on a loaded machine): a one-time import, not the
# cost of fit_growth_exponent's call, so it is paid here
import scipy.stats  # noqa: E402,F401

# runs whose ‖b‖ varies, so that b_exponent=None (κ fitted as a third column, documented) has a regular design
OVERRIDES["featlearn.papers.mlhd23.fit_growth_exponent"] = {
    "samples": lambda: [(100, 1.0, 1.0), (100, 1.2, 1.1), (200, 1.4, 0.9), (400, 2.0, 1.2)], "k": lambda: 1}
LEGAL.setdefault("featlearn.papers.mlhd23.fit_growth_exponent", {})["b_exponent"] = \
    "documented: None fits the ‖b‖ exponent as a third column (the diagnostic fit)"

from fuzz.values import LONG_LEGAL, NONFINITE_OK  # noqa: E402

NONFINITE_OK["featlearn.papers.ndl23.sample_complexity.kernel_method_exponent"] = {
    "link_degree": "None means a link of no finite degree: no polynomial sample size suffices, documented inf"}
NONFINITE_OK["featlearn.papers.ndl23.sample_complexity.correlation_threshold_n"] = {
    "cross": "zero cross-energy never reaches the target correlation: documented inf ('inf if never')"}
LONG_LEGAL["featlearn.papers.mlhd23.spike_sweep"] = {
    "n": "the samples are streamed (memory grows with the width, not n): 1e12 samples are hours of legal work",
    "n_features": "streamed like n"}
