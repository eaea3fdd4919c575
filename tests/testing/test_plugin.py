"""featlearn's pytest plugin: discoverable through its entry point; options and fixtures (pytester).

The pytester runs are in-process, so they see this checkout's featlearn. Where the plugin is
already loaded through the ``pytest11`` entry point (featlearn installed with its metadata),
the inner runs load it that way; otherwise they load it with ``-p featlearn.testing.plugin``.
"""

from __future__ import annotations

import importlib.metadata
import json
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


def _entry_point():
    eps = [ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.name == "featlearn"]
    return eps[0] if eps else None


def _plugin_args() -> list[str]:
    return [] if _entry_point() is not None else ["-p", "featlearn.testing.plugin"]


def _installed_from_this_tree() -> str | None:
    """``None`` if the installed featlearn was built from this checkout, else why not."""
    try:
        dist = importlib.metadata.distribution("featlearn")
    except importlib.metadata.PackageNotFoundError:
        return "featlearn is not installed (pip install -e .)"
    text = dist.read_text("direct_url.json")
    if text:
        url = json.loads(text).get("url", "")
        if url.startswith("file://") and Path(url[len("file://"):]).resolve() == ROOT:
            return None
        return f"the installed featlearn comes from {url or 'an index'}, not from {ROOT}"
    try:  # no direct_url.json: metadata found on sys.path, e.g. the checkout's own featlearn.egg-info
        path = Path(str(dist.locate_file(""))).resolve()
    except Exception:  # pragma: no cover - exotic distributions
        return "cannot tell where the installed featlearn comes from"
    return None if path == ROOT else f"the installed featlearn's metadata is at {path}, not in {ROOT}"


def test_the_plugin_is_discoverable_through_its_entry_point():
    why = _installed_from_this_tree()
    if why is not None:
        pytest.skip(f"entry point not checked: {why}")
    ep = _entry_point()
    assert ep is not None, "featlearn installed from this tree but has no pytest11 entry point 'featlearn'"
    assert ep.value == "featlearn.testing.plugin"
    assert hasattr(ep.load(), "pytest_addoption")


def test_pyproject_declares_the_entry_point():
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    data = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert data["project"]["entry-points"]["pytest11"] == {"featlearn": "featlearn.testing.plugin"}


_TESTS = """
def test_fixtures(xp, featlearn_backend, featlearn_scale):
    a = xp.asarray([1.0, 2.0])
    assert float(xp.sum(a)) == 3.0
    print("CHOSEN", featlearn_backend, featlearn_scale, xp.__name__)
"""


def test_defaults_are_numpy_and_quick(pytester):
    pytester.makepyfile(_TESTS)
    result = pytester.runpytest(*_plugin_args(), "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*featlearn: backend numpy, scale quick*",
                                 "*CHOSEN numpy quick array_api_compat.numpy*"])


def test_options_choose_backend_and_scale(pytester):
    pytester.makepyfile(_TESTS)
    result = pytester.runpytest(*_plugin_args(), "-s", "--featlearn-backend", "array_api_strict",
                                "--featlearn-scale", "paper")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*CHOSEN array_api_strict paper array_api_strict*"])


def test_ini_keys_set_the_defaults(pytester):
    pytester.makeini("[pytest]\nfeatlearn_scale = paper\n")
    pytester.makepyfile(_TESTS)
    result = pytester.runpytest(*_plugin_args(), "-s")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["*CHOSEN numpy paper*"])


def test_bad_values_are_usage_errors(pytester):
    pytester.makepyfile(_TESTS)
    result = pytester.runpytest(*_plugin_args(), "--featlearn-backend", "numpyy")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--featlearn-backend*invalid choice*numpyy*"])
    pytester.makeini("[pytest]\nfeatlearn_scale = huge\n")
    result = pytester.runpytest(*_plugin_args())
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*featlearn_scale: expected one of quick, paper, got 'huge'*"])


def test_an_unusable_backend_skips_with_the_reason(pytester):
    from featlearn.backends import available_backends

    unusable = [b for b in available_backends() if not b.usable]
    if not unusable:
        pytest.skip("every backend is usable on this machine")
    pytester.makepyfile(_TESTS)
    result = pytester.runpytest(*_plugin_args(), "-rs", "--featlearn-backend", unusable[0].name)
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines([f"*featlearn backend '{unusable[0].name}' not usable*"])


def test_a_conftest_xp_fixture_overrides_the_plugin(pytester):
    pytester.makeconftest("import pytest\n\n@pytest.fixture\ndef xp():\n    return 'mine'\n")
    pytester.makepyfile("def test_mine(xp, featlearn_backend):\n    assert xp == 'mine'\n")
    result = pytester.runpytest(*_plugin_args())
    result.assert_outcomes(passed=1)
