"""featlearn.progress: the one progress display (tqdm when installed, a plain status line otherwise)."""

from __future__ import annotations

import sys

import pytest

from featlearn.progress import Progress


def test_plain_line_counts_steps_and_failures(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # tqdm not importable
    with Progress(3, desc="sweep", unit="cell") as bar:
        bar.update()
        bar.update(failed=True)
        bar.update()
    err = capsys.readouterr().err
    assert err.endswith("\n") and "\rsweep: 3/3 cells, 1 failed, " in err and " s elapsed" in err
    assert "ETA" in err.split("\r")[2]  # after the first step the line estimates the time left
    assert (bar.done, bar.failed) == (3, 1)
    bar.close()  # a second close writes nothing
    assert capsys.readouterr().err == ""


def test_tqdm_bar(capsys):
    pytest.importorskip("tqdm")
    with Progress(2, desc="claims", unit="claim") as bar:
        bar.update()
        bar.update(failed=True)
    err = capsys.readouterr().err
    assert "claims" in err and "2/2" in err and "failed=1" in err


@pytest.mark.parametrize("total, enabled", [(0, True), (4, False)])
def test_silent_when_disabled_or_empty(capsys, total, enabled):
    with Progress(total, desc="x", enabled=enabled) as bar:
        bar.update()
    assert capsys.readouterr().err == ""
