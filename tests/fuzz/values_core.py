"""Valid values and instances for the core group of entry points (see values.py)."""

import scipy.stats  # noqa: F401 - featlearn.stats imports SciPy on first use: load it here, not inside a timed call

from fuzz.values import INSTANCES, KIND, LEGAL, OVERRIDES  # noqa: F401

# The checkers' bounds are fuzzed on a call whose bounds hold the value: a legal bound that merely excludes the
# value is then a non-empty range (accepted) or an empty one (refused, naming min_val and max_val).
OVERRIDES.update({
    "featlearn.validation.check_int": {"value": lambda: 1, "min_val": lambda: 1, "max_val": lambda: 5},
    "featlearn.validation.check_real": {"value": lambda: 1.0, "min_val": lambda: 0.5, "max_val": lambda: 2.0},
    "featlearn.validation.check_grid": {"values": lambda: [1.0, 2.0, 3.0], "min_val": lambda: 0.5,
                                        "max_val": lambda: 5.0},
    # one chunk: n = 10**12 must not list 10**11 bounds in a timed call
    "featlearn.data.chunk_bounds": {"chunk": lambda: 2**40},
})

LEGAL.setdefault("featlearn.context.resolve_setting", {})["setting"] = "documented: None -> None (no setting)"
LEGAL.setdefault("featlearn.data.accumulate", {})["total"] = "documented: None is the first chunk (returns part)"
LEGAL.setdefault("featlearn.output.write_atomic", {})["data"] = "any text is valid file content"
LEGAL.setdefault("featlearn.output.write_json", {})["obj"] = (
    "any object: to_jsonable writes None as null and an unknown object as its str (documented)")
LEGAL.setdefault("featlearn.output.to_jsonable", {})["obj"] = (
    "any object: None stays None, an unknown object becomes its str (documented)")
LEGAL.setdefault("featlearn.output.markdown_cell", {})["value"] = (
    "any value is a cell: None as an em dash, anything else as its text (documented)")
LEGAL.setdefault("featlearn.settings.param", {})["default"] = (
    "int, float, str, bool or tuple: the field's type is its annotation, which param() cannot see")
LEGAL.setdefault("featlearn.validation.check_fitted", {})["method"] = (
    "free text: the name of the method the message tells the user to call")

OVERRIDES["featlearn.validation.check_bool"] = {"value": lambda: True}

from fuzz.values import ALIASES, KIND  # noqa: E402

_CHECKED = ("x",)  # the recipe's name= for the checked value
ALIASES["featlearn.validation.check_array"] = {"ndim": _CHECKED, "min_rows": _CHECKED}
ALIASES["featlearn.validation.check_fitted"] = {"attr": ("model",)}
for _entry in ("featlearn.data.ArrayStream", "featlearn.data.as_stream", "featlearn.data.iter_batches",
               "featlearn.data.iter_xy", "featlearn.validation.check_array", "featlearn.validation.reference_namespace"):
    KIND.setdefault(_entry, {})["like"] = "text"  # what xp belongs to, for the message ("the network")
KIND.setdefault("featlearn.validation.reference_namespace", {})["prefix"] = "text"
LEGAL.setdefault("featlearn.validation.reference_namespace", {})["no_such_key"] = (
    "its keywords are the caller's named arrays: any name is legal")
OVERRIDES["featlearn.backends.to_scalar"] = {"x": lambda: __import__("numpy").asarray(1.5)}
OVERRIDES["featlearn.validation.check_backend"] = {
    "got": lambda: __import__("featlearn.backends", fromlist=["x"]).get_namespace("numpy"),
    "xp": lambda: __import__("featlearn.backends", fromlist=["x"]).get_namespace("numpy"), "name": lambda: "x"}
KIND.setdefault("featlearn.validation.check_backend", {}).update({"like": "text", "kind": "text"})
