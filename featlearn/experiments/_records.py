"""Selecting sweep records: the one helper claims and figures use to pick the rows they read."""

from __future__ import annotations

from typing import Any, Iterable

__all__ = ["select_records"]


def select_records(records: Iterable[dict[str, Any]], *, ok_only: bool = True, required: bool = True,
                   **match: Any) -> list[dict[str, Any]]:
    """The records whose fields equal ``match`` (numbers compared by value: ``4 == 4.0``).

    Parameters
    ----------
    records : iterable of dict
        Sweep records (``SweepResult.records`` or a claim's ``records``).
    ok_only : bool
        Keep only records with ``status == "ok"`` (records without a status count as ok).
    required : bool
        Raise ``ValueError`` naming ``match`` when nothing matches (a claim must not judge an
        empty selection); ``False`` returns an empty list instead.
    **match
        Field values to match.

    Examples
    --------
    >>> rows = [{"d": 4, "err": 0.1}, {"d": 8, "err": 0.2}, {"d": 4, "err": 0.3, "status": "failed"}]
    >>> [r["err"] for r in select_records(rows, d=4)]
    [0.1]
    >>> select_records(rows, d=16)
    Traceback (most recent call last):
    ...
    ValueError: records: no ok record with {'d': 16}
    """
    from featlearn.experiments._checks import check_flag, check_records

    records = check_records(records)
    check_flag(ok_only, "ok_only")
    check_flag(required, "required")
    rows = [r for r in records
            if (not ok_only or r.get("status", "ok") == "ok") and all(k in r and r[k] == v for k, v in match.items())]
    if required and not rows:
        raise ValueError(f"records: no {'ok ' if ok_only else ''}record with {match}")
    return rows
