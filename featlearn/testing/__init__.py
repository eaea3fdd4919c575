"""featlearn inside your own test suite: assertions, Hypothesis strategies and a pytest plugin.

* :func:`assert_claim` -- run a registered claim on a setting and fail with the compared inequality;
* :func:`assert_prediction` -- a claim's theory prediction on a setting, checked finite, without training;
* :mod:`featlearn.testing.strategies` -- Hypothesis strategies for backends, activations, input
  laws, targets and every paper's ``Setting`` (needs ``hypothesis``; imported on first use);
* :mod:`featlearn.testing.plugin` -- the pytest plugin (entry point ``pytest11: featlearn``, loaded
  automatically once featlearn is installed): options ``--featlearn-backend`` and
  ``--featlearn-scale``, fixtures ``xp``, ``featlearn_backend`` and ``featlearn_scale``.

Examples
--------
>>> from featlearn.testing import assert_claim
>>> r = assert_claim("math.relu-hermite", relu_hermite_n=2**16)   # doctest: +SKIP
>>> r.verdict                                                      # doctest: +SKIP
'pass'
"""

from __future__ import annotations

import math
import unittest
from typing import Any

__all__ = ["assert_claim", "assert_prediction", "namespace", "strategies", "usable_backends"]


def __getattr__(name: str) -> Any:  # strategies needs hypothesis: import it only when asked for
    if name == "strategies":
        import importlib

        return importlib.import_module("featlearn.testing.strategies")
    raise AttributeError(f"module 'featlearn.testing' has no attribute {name!r}")


def _num(v: Any) -> str:
    if v is None:
        return "none"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(_num(x) for x in v) + ")"
    try:
        return f"{float(v):.6g}"
    except (TypeError, ValueError):
        return repr(v)


def _changes_text(handle: Any, setting: Any, scale: str) -> str:
    """The fields of ``setting`` that differ from the paper's setting at ``scale``."""
    try:
        ref = handle.Setting.at(scale).to_dict()
        now = setting.to_dict()
    except Exception:  # a claim without a Setting class
        return "(no setting)"
    diff = {k: v for k, v in now.items() if ref.get(k) != v}
    if not diff:
        return f"{scale} defaults"
    return f"{scale} defaults with " + ", ".join(f"{k}={v!r}" for k, v in diff.items())


def _claim(claim_id: Any) -> Any:
    """The handle of the registered claim ``claim_id`` (errors name ``claim_id``)."""
    import featlearn
    from featlearn.claims import load_claims

    if not isinstance(claim_id, str):
        raise TypeError(f"claim_id: expected a claim id (str), got {type(claim_id).__name__}")
    claims = load_claims()
    if claim_id not in claims:
        raise ValueError(f"claim_id: unknown claim {claim_id!r}; known: {', '.join(sorted(claims))}")
    return featlearn.claim(claim_id)


def _resolve(handle: Any, setting: Any, scale: str, changes: dict) -> Any:
    if setting is None:
        return handle.setting(scale, **changes)
    return setting.replace(**changes) if changes else setting


def assert_claim(claim_id: str, setting: Any = None, *, backend: str = "numpy", seed: int = 0, scale: str = "quick",
                 allow_known_discrepancy: bool = False, **changes: Any) -> Any:
    """Run claim ``claim_id`` on ``setting`` and raise ``AssertionError`` unless it holds.

    Parameters
    ----------
    claim_id : str
        A registered claim id (``featlearn claims`` lists them; ``ValueError`` for an unknown one).
    setting : Setting, optional
        The paper's setting to run on (default: the paper's setting at ``scale``); ``**changes``
        are applied on top (validated: ``ValueError`` naming the key).
    backend, seed, scale
        As for ``featlearn check``.
    allow_known_discrepancy : bool
        Accept an ``xfail`` verdict (a failure the claim documents as a measured finding);
        by default it fails like any other.

    Returns
    -------
    ClaimResult
        The run (``.verdict`` ``"pass"``, or ``"xfail"`` when allowed).

    Raises
    ------
    AssertionError
        On ``fail``, ``error`` or (unless allowed) ``xfail``. The message names the claim, the
        setting's changes from the defaults, backend, seed and scale, and the compared
        inequality with the numbers, e.g. ``math.relu-hermite failed: |measured − 0.3989| ≤
        0.0012 is false (measured 0.4021)``, or the error text of a run that raised.
    unittest.SkipTest
        When the claim is resolvable only at another scale (pytest reports a skip).
    """
    from featlearn.validation import check_bool

    allow_known_discrepancy = check_bool(allow_known_discrepancy, "allow_known_discrepancy")
    handle = _claim(claim_id)
    setting = _resolve(handle, setting, scale, changes)
    result = handle.run(setting, backend=backend, seed=seed, scale=scale)
    verdict = result.verdict
    if verdict == "pass" or (verdict == "xfail" and allow_known_discrepancy):
        return result
    where = (f"  setting: {_changes_text(handle, setting, scale)}\n"
             f"  backend {backend}, seed {seed}, scale {scale}")
    if verdict == "skipped":
        raise unittest.SkipTest(f"{claim_id} skipped: {result.error}")
    if verdict == "error":
        raise AssertionError(f"{claim_id} raised an error:\n{where}\n  {result.error}")
    out = result.outcome
    head = f"{claim_id} failed: {out.compared()} is false (measured {_num(out.measured)})"
    if verdict == "xfail":
        head = (f"{claim_id} failed as documented (known discrepancy; pass allow_known_discrepancy=True to "
                f"accept it): {out.compared()} is false (measured {_num(out.measured)})\n"
                f"  known discrepancy: {handle.known_discrepancy}")
    raise AssertionError(f"{head}\n{where}\n  statement: {handle.statement}")


def assert_prediction(claim_id: str, setting: Any = None, *, scale: str = "quick", **changes: Any) -> Any:
    """The theory prediction of ``claim_id`` on ``setting`` (no training), checked usable.

    Raises ``AssertionError`` if the claim has no prediction, if its predicted value, bound
    or tolerance (where the setting fixes them) is not finite (a negative tolerance cannot
    exist: :class:`~featlearn.claims.Prediction` refuses it), or if the claim is a prediction or a
    bound whose null passes its comparison on this setting (a tolerance that swallows what a
    plausible wrong theory gives: the claim has no power there). Returns the
    :class:`~featlearn.claims.Prediction`.
    """
    handle = _claim(claim_id)
    setting = _resolve(handle, setting, scale, changes)
    if handle.claim.predict is None:
        raise AssertionError(f"{claim_id} has no predict(setting): its prediction is computed in the run")
    p = handle.predict(setting)
    values = [] if p.predicted is None else (list(p.predicted) if isinstance(p.predicted, (tuple, list))
                                              else [p.predicted])
    if p.tolerance is not None:
        values.append(p.tolerance)
    bad = [v for v in values if not math.isfinite(float(v))]
    if bad:
        raise AssertionError(f"{claim_id}: prediction not finite on {_changes_text(handle, setting, scale)}: "
                             f"predicted {_num(p.predicted)}, tolerance {_num(p.tolerance)}")
    if handle.claim.is_evidence and p.null_fails() is False:
        raise AssertionError(f"{claim_id}: on {_changes_text(handle, setting, scale)} its null {_num(p.null)} "
                             f"({p.null_theory}) passes `{p.compared()}`: the claim cannot tell the theory from it")
    return p


def usable_backends() -> list[str]:
    """Names of the backends usable on this machine (:func:`featlearn.backends.available_backends`)."""
    from featlearn.backends import available_backends

    return [b.name for b in available_backends() if b.usable]


def namespace(backend: str = "numpy") -> Any:
    """The Array-API namespace of ``backend``; ``unittest.SkipTest`` (a pytest skip) with the reason
    when it is not usable on this machine, ``ValueError`` for an unknown name."""
    from featlearn.backends import BACKEND_NAMES, get_namespace

    name = str(backend).strip().lower().replace("-", "_")
    if name not in BACKEND_NAMES:
        raise ValueError(f"backend: unknown backend {backend!r}; expected one of {', '.join(BACKEND_NAMES)}")
    try:
        return get_namespace(name)
    except ValueError as exc:  # known but not usable here: the probe's reason
        raise unittest.SkipTest(str(exc)) from None
