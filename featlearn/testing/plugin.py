"""featlearn's pytest plugin (entry point ``pytest11``, name ``featlearn``).

Loaded automatically by pytest once featlearn is installed (``-p no:featlearn`` turns it off;
``-p featlearn.testing.plugin`` loads it from a source tree that is not installed). It adds:

* ``--featlearn-backend NAME`` (default ``numpy``; ``array_api_strict``, ``torch``, ``jax``, ``cupy``)
  and ``--featlearn-scale quick|paper`` (default ``quick``); also ``featlearn_backend`` /
  ``featlearn_scale`` ini keys;
* fixtures ``featlearn_backend`` (the name), ``featlearn_scale`` and ``xp`` (the backend's
  Array-API namespace, :func:`featlearn.backends.get_namespace`); a test asking for ``xp`` is
  skipped, with the reason, where the backend is not usable on this machine.

A ``conftest.py`` fixture of the same name overrides the plugin's (featlearn's own test suite
defines an ``xp`` fixture over every backend that way). The plugin imports featlearn only when a
fixture is used, so it costs nothing to test runs that do not use it.
"""

from __future__ import annotations

import pytest

BACKENDS = ("numpy", "array_api_strict", "torch", "jax", "cupy")
SCALES = ("quick", "paper")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("featlearn", "featlearn: backend and scale of featlearn.testing fixtures")
    group.addoption("--featlearn-backend", action="store", default=None, choices=BACKENDS,
                    help="backend of the xp fixture and of featlearn_backend (default: numpy)")
    group.addoption("--featlearn-scale", action="store", default=None, choices=SCALES,
                    help="scale of the featlearn_scale fixture (default: quick)")
    parser.addini("featlearn_backend", "default of --featlearn-backend", default="numpy")
    parser.addini("featlearn_scale", "default of --featlearn-scale", default="quick")


def _option(config: pytest.Config, name: str, allowed: tuple) -> str:
    value = config.getoption(f"--featlearn-{name}") or config.getini(f"featlearn_{name}") or allowed[0]
    if value not in allowed:
        raise pytest.UsageError(f"featlearn_{name}: expected one of {', '.join(allowed)}, got {value!r}")
    return value


def pytest_configure(config: pytest.Config) -> None:
    _option(config, "backend", BACKENDS)  # a bad ini value is a usage error before any test runs
    _option(config, "scale", SCALES)


def pytest_report_header(config: pytest.Config) -> str:
    return (f"featlearn: backend {_option(config, 'backend', BACKENDS)}, "
            f"scale {_option(config, 'scale', SCALES)}")


@pytest.fixture(scope="session")
def featlearn_backend(pytestconfig: pytest.Config) -> str:
    """The backend name chosen with ``--featlearn-backend`` (default ``numpy``)."""
    return _option(pytestconfig, "backend", BACKENDS)


@pytest.fixture(scope="session")
def featlearn_scale(pytestconfig: pytest.Config) -> str:
    """The scale chosen with ``--featlearn-scale`` (``quick`` or ``paper``; default ``quick``)."""
    return _option(pytestconfig, "scale", SCALES)


@pytest.fixture
def xp(featlearn_backend: str):
    """The Array-API namespace of ``--featlearn-backend``; skipped with the reason if it is not usable here."""
    from featlearn.backends import get_namespace

    try:
        return get_namespace(featlearn_backend)
    except ValueError as exc:
        pytest.skip(f"featlearn backend {featlearn_backend!r} not usable: {exc}")
