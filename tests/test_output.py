"""featlearn.output: atomic writes, the one JSON NaN policy, Markdown tables."""

from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from featlearn.output import markdown_cell, markdown_table, to_jsonable, write_atomic, write_json


def _strict_load(path):
    """Parse as standard JSON: the non-standard tokens NaN / Infinity are refused."""
    def refuse(token):
        raise AssertionError(f"non-standard JSON token {token}")

    return json.loads(path.read_text(encoding="utf-8"), parse_constant=refuse)


# -- atomic writes -------------------------------------------------------------------------------
@pytest.mark.parametrize("fail_at", ["fsync", "replace", "write"])
def test_an_exception_mid_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch, fail_at):
    target = tmp_path / "result.json"
    write_json(target, {"old": 1})

    def boom(*args, **kwargs):
        raise OSError(f"disk full during {fail_at}")

    if fail_at == "write":  # half the bytes reach the temporary file, then the disk is full
        class Half:
            def __init__(self, path, mode):
                self.fh = open(path, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def write(self, data):
                self.fh.write(data[: len(data) // 2])
                boom()

        monkeypatch.setattr("featlearn.output.open", Half, raising=False)
    else:
        monkeypatch.setattr(f"featlearn.output.os.{fail_at}", boom)
    with pytest.raises(OSError, match="disk full"):
        write_json(target, {"new": 2})
    monkeypatch.undo()
    assert _strict_load(target) == {"old": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["result.json"]


def test_keyboard_interrupt_mid_write_cleans_up_too(tmp_path, monkeypatch):
    def interrupt(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr("featlearn.output.os.fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "a.txt", "text")
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_text_bytes_and_parents(tmp_path):
    p = write_atomic(tmp_path / "x" / "y" / "note.md", "héllo\n")
    assert p.read_bytes() == "héllo\n".encode("utf-8")
    write_atomic(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01"
    assert sorted(os.listdir(p.parent)) == ["note.md"]


# -- the NaN policy --------------------------------------------------------------------------------
def test_every_non_finite_float_is_written_as_null(tmp_path):
    obj = {"nan": math.nan, "inf": math.inf, "ninf": -math.inf, "ok": 1.5,
           "nested": [{"x": (math.nan, 2.0)}], "np32": np.float32("nan"), "np64": np.float64("inf"),
           "array": np.array([1.0, np.nan, -np.inf]), "zero_d": np.asarray(np.nan)}
    out = _strict_load(write_json(tmp_path / "r.json", obj))
    assert out == {"nan": None, "inf": None, "ninf": None, "ok": 1.5, "nested": [{"x": [None, 2.0]}],
                   "np32": None, "np64": None, "array": [1.0, None, None], "zero_d": None}


def test_to_jsonable_keeps_types_json_has(xp):
    assert to_jsonable({1: True, "n": 3, "s": "a", "none": None}) == {"1": True, "n": 3, "s": "a", "none": None}
    assert type(to_jsonable(np.int64(7))) is int and to_jsonable(np.int64(7)) == 7
    assert to_jsonable(np.bool_(False)) is False
    assert to_jsonable(xp.asarray(0.25)) == 0.25  # 0-d arrays of any backend
    assert to_jsonable(xp.asarray(float("nan"))) is None
    assert to_jsonable(object) == str(object)  # anything else: its text


def test_write_json_indent_is_the_only_format_option(tmp_path):
    assert (write_json(tmp_path / "a.json", {"a": [1]}).read_text() == '{\n "a": [\n  1\n ]\n}')
    assert (write_json(tmp_path / "b.json", {"a": 1}, indent=2).read_text() == '{\n  "a": 1\n}')


# -- Markdown tables -------------------------------------------------------------------------------
def test_markdown_table_format_and_escaping():
    table = markdown_table(["claim", "measured", "what"],
                           [["`a.b`", 0.123456789, "two\n  lines | a pipe"], ["c", None, [1.0, math.nan]]])
    assert table.splitlines() == [
        "| claim | measured | what |",
        "|---|---|---|",
        "| `a.b` | 0.123457 | two lines \\| a pipe |",
        "| c | — | [1, nan] |",
    ]
    assert not table.endswith("\n")


def test_markdown_table_refuses_ragged_rows():
    with pytest.raises(ValueError, match="rows: expected 2 cells"):
        markdown_table(["a", "b"], [["only one"]])


def test_markdown_cell_bool_before_number():
    assert markdown_cell(True) == "True" and markdown_cell(3) == "3" and markdown_cell(1e-9) == "1e-09"
