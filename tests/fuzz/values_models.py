"""Valid values and instances for the models group of entry points (see values.py)."""

from fuzz.values import INSTANCES, OVERRIDES  # noqa: F401

from fuzz.values import LONG_LEGAL  # noqa: E402

_STREAMED = "the samples are streamed (memory grows with the width, not n): 1e12 samples are hours of legal work"
LONG_LEGAL["featlearn.models.alpha_sweep"] = {"n": _STREAMED, "n_ridge": _STREAMED, "n_val": _STREAMED,
                                              "n_test": _STREAMED}
