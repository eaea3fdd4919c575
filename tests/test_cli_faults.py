"""CLI faults (issue 20): every path error names the path and the problem, ``--scheduler`` is checked
within seconds, and Ctrl-C keeps the verdicts already computed."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from featlearn import cli
from featlearn.claims import REGISTRY, Outcome, claim, load_claims

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # root writes anywhere: permission cases cannot be made


def _one_line_error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    return err


@pytest.fixture
def afile(tmp_path):
    f = tmp_path / "afile"
    f.write_text("x")
    return f


@pytest.mark.parametrize("argv, needles", [
    # a file where a parent directory is needed
    (["reproduce", "hermite-mc", "--out", "{f}/sub"], ["--out", "cannot create directory {f}/sub", "{f} is a file"]),
    (["--debug", "reproduce", "hermite-mc", "--out", "{f}/sub"], ["--out", "{f}/sub", "{f} is a file"]),
    (["check", "--json", "{f}/x.json"], ["--json", "cannot write {f}/x.json", "{f} is a file"]),
    (["check", "--json", "{f}/deeper/x.json"], ["--json", "{f}/deeper/x.json", "{f} is a file"]),
    (["check", "--report", "{f}/rep"], ["--report", "{f}/rep", "{f} is a file"]),
    (["check", "--store", "{f}/a/b"], ["--store", "{f}/a/b", "{f} is a file"]),
    (["predict", "math.sphere-fourth-moment", "--json", "{f}/x.json"], ["--json", "{f}/x.json", "{f} is a file"]),
    (["show", "hermite-mc", "--json", "{f}/x.json"], ["--json", "{f}/x.json", "{f} is a file"]),
    # a path of the wrong kind
    (["reproduce", "hermite-mc", "--out", "{f}"], ["--out", "{f} exists and is not a directory"]),
    (["check", "--report", "{f}"], ["--report", "{f} exists and is not a directory"]),
    (["check", "--json", "{d}"], ["--json", "{d} is a directory"]),
    (["predict", "math.sphere-fourth-moment", "--json", "{d}"], ["--json", "{d} is a directory"]),
])
def test_path_errors_name_the_path_and_the_problem(tmp_path, afile, capsys, argv, needles):
    sub = lambda a: a.replace("{f}", str(afile)).replace("{d}", str(tmp_path))  # noqa: E731
    argv = [sub(a) for a in argv]
    if argv[0] in ("check", "reproduce") or argv[:2] == ["--debug", "reproduce"]:
        argv.append("--quiet")
    assert cli.main(argv) == 2
    err = _one_line_error(capsys)
    for needle in needles:
        assert sub(needle) in err, err
    assert "Errno" not in err and ": 20" not in err


@pytest.mark.skipif(ROOT, reason="root may write in a read-only directory")
@pytest.mark.parametrize("option, kind", [("--json", "file"), ("--report", "dir"), ("--out", "dir")])
def test_unwritable_paths_are_refused_by_name(tmp_path, capsys, option, kind):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        target = ro / ("x.json" if kind == "file" else "sub")
        argv = (["reproduce", "hermite-mc", "--out", str(target)] if option == "--out"
                else ["check", option, str(target)]) + ["--quiet"]
        assert cli.main(argv) == 2
        err = _one_line_error(capsys)
        assert option in err and str(target) in err and ("permission" in err.lower())
    finally:
        ro.chmod(0o700)


@pytest.mark.parametrize("option", ["--report", "--store"])
def test_a_directory_that_cannot_be_created_is_refused_by_name(tmp_path, monkeypatch, capsys, option):
    """As root no directory is unwritable: the refusal of ``mkdir`` is simulated."""
    from pathlib import Path as P

    target = tmp_path / "no" / "sub"

    def mkdir(self, *a, **k):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(P, "mkdir", mkdir)
    assert cli.main(["check", option, str(target), "--quiet"]) == 2
    err = _one_line_error(capsys)
    assert err == f"featlearn check: {option}: cannot create directory {target}: permission denied"


def test_a_folder_without_write_permission_is_refused_by_name(tmp_path, monkeypatch, capsys):
    """As root every folder is writable: ``os.access`` is simulated."""
    real = os.access
    monkeypatch.setattr(cli.os, "access", lambda p, mode, **k: False if str(p).startswith(str(tmp_path))
                        else real(p, mode, **k))
    assert cli.main(["check", "--json", str(tmp_path / "x.json"), "--quiet"]) == 2
    assert _one_line_error(capsys) == (f"featlearn check: --json: cannot write {tmp_path / 'x.json'}: "
                                       f"no write permission in {tmp_path}")
    assert cli.main(["reproduce", "hermite-mc", "--out", str(tmp_path), "--quiet"]) == 2
    assert _one_line_error(capsys) == (f"featlearn reproduce: --out: cannot write in directory {tmp_path}: "
                                       f"no write permission")


@pytest.mark.skipif(ROOT, reason="root may write a read-only file")
def test_read_only_json_file_is_refused_by_name(tmp_path, capsys):
    f = tmp_path / "x.json"
    f.write_text("[]")
    f.chmod(0o400)
    assert cli.main(["predict", "math.sphere-fourth-moment", "--json", str(f)]) == 2
    err = _one_line_error(capsys)
    assert "--json" in err and str(f) in err and "read-only" in err


def test_os_errors_are_printed_as_path_and_problem_never_as_an_errno():
    assert cli._exc_text(FileExistsError(17, "File exists", "/a/b")) == "/a/b: file exists"
    assert cli._exc_text(OSError(20, "Not a directory")) == "not a directory"
    assert cli._exc_text(KeyError("unknown experiment 'x'")) == "unknown experiment 'x'"
    assert cli._exc_text(OSError(20)) == "20"  # no strerror: str(exc), still one line
    assert cli._exc_text(ValueError(20, "x")) == "(20, 'x')"  # args[0] is used only when it is a str


@pytest.mark.parametrize("address, needle", [
    ("bogus:1234", "'bogus:1234'"),
    ("", "empty address"),
    ("   ", "empty address"),
    ("bogus", "'bogus' is not HOST:PORT"),
    ("tcp://127.0.0.1:99999", "is not HOST:PORT"),
    ("127.0.0.1:1", "'127.0.0.1:1'"),
])
@pytest.mark.parametrize("command", ["check", "reproduce"])
def test_scheduler_is_checked_within_seconds(tmp_path, capsys, address, needle, command):
    pytest.importorskip("distributed")
    argv = (["check"] if command == "check" else ["reproduce", "hermite-mc", "--out", str(tmp_path / "o")])
    t0 = time.perf_counter()
    assert cli.main(argv + ["--scheduler", address, "--quiet"]) == 2
    assert time.perf_counter() - t0 < 15
    err = _one_line_error(capsys)
    assert "--scheduler" in err and needle in err
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())  # no work was done


def test_a_running_scheduler_passes_the_probe_and_a_silent_server_does_not():
    distributed = pytest.importorskip("distributed")
    import socket

    with distributed.LocalCluster(n_workers=0, processes=False, dashboard_address=":0") as cluster:
        cli._check_scheduler(cluster.scheduler_address)  # no error
    with socket.create_server(("127.0.0.1", 0)) as server:  # accepts, never speaks
        port = server.getsockname()[1]
        t0 = time.perf_counter()
        with pytest.raises(ValueError, match="--scheduler.*no Dask handshake within 1 s"):
            cli._check_scheduler(f"127.0.0.1:{port}", timeout=1.0)
        assert time.perf_counter() - t0 < 5


def test_connect_to_a_bad_scheduler_is_one_line_within_the_timeout():
    pytest.importorskip("distributed")
    from featlearn.experiments._execute import connect

    with pytest.raises(ValueError, match="scheduler: expected an address"):
        connect("")
    t0 = time.perf_counter()
    with pytest.raises(ConnectionError, match="scheduler: cannot connect .*'tcp://127.0.0.1:1' within 2 s"):
        connect("tcp://127.0.0.1:1", timeout=2.0)
    assert time.perf_counter() - t0 < 10


@pytest.fixture
def interrupted_claims():
    """Two registered claims: the first passes, the second is interrupted by Ctrl-C (removed afterwards)."""
    load_claims()

    @claim(kind="identity", id="math.zz-int-a-first", paper="math", where="test", provenance="reconstructed",
           statement="finishes", tolerance_note="exact")
    def _first(ctx):
        return Outcome(predicted=1.0, measured=1.0, tolerance=0.0)

    @claim(kind="identity", id="math.zz-int-b-second", paper="math", where="test", provenance="reconstructed",
           statement="interrupted", tolerance_note="exact")
    def _second(ctx):
        raise KeyboardInterrupt

    yield "math.zz-int-*"
    REGISTRY.pop("math.zz-int-a-first")
    REGISTRY.pop("math.zz-int-b-second")


def test_ctrl_c_without_store_or_json_writes_the_finished_verdicts(interrupted_claims, tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["check", "--only", interrupted_claims, "--quiet"]) == 130
    err = capsys.readouterr().err.strip()
    (saved,) = tmp_path.glob("featlearn-check-interrupted-*.json")
    assert err.splitlines()[-1].startswith("featlearn check: interrupted after 1/2 claims")
    assert str(saved) in err
    (rec,) = json.loads(saved.read_text())
    assert rec["id"] == "math.zz-int-a-first" and rec["verdict"] == "pass" and rec["run"]["complete"] is False


def test_ctrl_c_with_json_keeps_the_finished_verdicts_there(interrupted_claims, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "o.json"
    assert cli.main(["check", "--only", interrupted_claims, "--quiet", "--json", str(out)]) == 130
    err = capsys.readouterr().err
    assert str(out) in err
    assert not list(tmp_path.glob("featlearn-check-interrupted-*.json"))
    (rec,) = json.loads(out.read_text())
    assert rec["id"] == "math.zz-int-a-first" and rec["verdict"] == "pass"


def test_ctrl_c_in_an_unwritable_directory_falls_back_to_the_temp_dir(interrupted_claims, tmp_path, monkeypatch,
                                                                     capsys):
    import tempfile

    monkeypatch.chdir(tmp_path)
    real = cli.write_json
    monkeypatch.setattr(cli, "write_json", lambda p, *a, **k: (_ for _ in ()).throw(PermissionError(
        13, "Permission denied", str(p))) if str(p).startswith(str(tmp_path)) else real(p, *a, **k))
    assert cli.main(["check", "--only", interrupted_claims, "--quiet"]) == 130
    err = capsys.readouterr().err
    saved = [w for w in err.split() if w.startswith(tempfile.gettempdir()) and "interrupted" in w]
    assert saved, err
    try:
        (rec,) = json.loads(Path(saved[0]).read_text())
        assert rec["id"] == "math.zz-int-a-first"
    finally:
        os.remove(saved[0])
