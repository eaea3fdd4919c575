"""Valid values and instances for the runs group of entry points (see values.py)."""

from fuzz.values import INSTANCES, KIND, LEGAL, OVERRIDES  # noqa: F401

# a claim id must start with its paper's key: the decorator's other arguments are reached only then
OVERRIDES["featlearn.claims.claim"] = dict(OVERRIDES["featlearn.claims.claim"], id=lambda: "sl21.fuzz-x")

# arguments whose valid value (None or a default string) does not tell their kind
for _entry in ("featlearn.api.ClaimHandle.run", "featlearn.claims.run_claim", "featlearn.experiments.run_check",
               "featlearn.experiments.Orchestrator"):
    KIND.setdefault(_entry, {})["store"] = "path"
KIND.setdefault("featlearn.api.ExperimentHandle.run", {})["out_dir"] = "path"
KIND.setdefault("featlearn.experiments.reproduce", {})["argv"] = "seq"
KIND.setdefault("featlearn.experiments.run_sweep", {})["name"] = "text"
KIND.setdefault("featlearn.experiments.write_report", {})["description"] = "text"
for _entry in ("featlearn.experiments.plot_loglog_fit", "featlearn.experiments.plot_seed_band"):
    for _p in ("title", "xlabel", "ylabel"):
        KIND.setdefault(_entry, {})[_p] = "text"

LEGAL.setdefault("featlearn.claims.ClaimContext.with_setting", {})["setting"] = (
    "None is documented: 'or None' (a context without a setting)")
LEGAL.setdefault("featlearn.claims.claim", {})["experiment"] = (
    "any experiment name: papers may register a claim before the experiment it reads; the name is resolved "
    "when the claim runs")

from fuzz.values import NONFINITE_OK  # noqa: E402

_FAILED_MEASUREMENT = ("NaN/inf measured or predicted is how a failed measurement is recorded (it never passes and "
                       "is written as null); wrong types and a non-finite tolerance are refused")
NONFINITE_OK["featlearn.claims.Outcome"] = {"predicted": _FAILED_MEASUREMENT, "measured": _FAILED_MEASUREMENT}
NONFINITE_OK["featlearn.claims.Prediction"] = {"predicted": _FAILED_MEASUREMENT}
NONFINITE_OK["featlearn.claims.Prediction.outcome"] = {"measured": _FAILED_MEASUREMENT}

# the wrong theory a null comes from is free text, and a claim's kind of the decorator is checked against KINDS
for _entry in ("featlearn.claims.Outcome", "featlearn.claims.Prediction", "featlearn.claims.Prediction.outcome"):
    KIND.setdefault(_entry, {})["null_theory"] = "text"
