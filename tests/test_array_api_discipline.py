"""Array-API discipline: theory and the training core never call NumPy on arrays.

NumPy is allowed in ``featlearn/theory/host_constants.py`` and a paper's ``tables.py`` only
(host-side constants such as quadrature nodes and SL21's radius tables); a paper's theory and
model modules are held to the same rule as ``theory/`` and ``models/``. The behavioural proof is the array_api_strict leg
of the ``xp`` fixture; this static check catches imports that the strict run might not
exercise, and checks that theory never imports the training core.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "featlearn"
#: A paper's own theory and model modules are array code too (its claims, experiments and setting are host-side).
PAPER_HOST_SIDE = {"__init__.py", "claims.py", "experiments.py", "setting.py"}
ARRAY_CODE = sorted([*ROOT.joinpath("theory").glob("*.py"), *ROOT.joinpath("models").glob("*.py"),
                     *(p for p in ROOT.joinpath("papers").glob("*/*.py") if p.name not in PAPER_HOST_SIDE)])
#: The clearly named places for host-side constants: theory's host_constants and a paper's tables.py.
NUMPY_ALLOWED = {ROOT / "theory" / "host_constants.py", *ROOT.joinpath("papers").glob("*/tables.py")}


def _imports(path: Path) -> set[str]:
    mods = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            mods.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            mods.add(node.module)
    return mods


def test_array_modules_found():
    # guards the checks below against a wrong path silently checking nothing
    assert len(ARRAY_CODE) >= 5


@pytest.mark.parametrize("path", ARRAY_CODE, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_numpy_outside_host_constants(path):
    if path in NUMPY_ALLOWED:
        pytest.skip("a module allowed to use NumPy for host constants")
    bad = {m for m in _imports(path) if m == "numpy" or m.startswith("numpy.")
           or m == "array_api_compat.numpy"}
    assert not bad, f"{path.name} imports {bad}; use the xp namespace (host constants go in host_constants.py)"


@pytest.mark.parametrize("path", sorted(ROOT.joinpath("theory").glob("*.py")), ids=lambda p: p.name)
def test_theory_never_imports_training_core(path):
    bad = {m for m in _imports(path) if m.startswith(("featlearn.models", "featlearn.claims", "featlearn.experiments"))}
    assert not bad, f"theory module {path.name} imports {bad}"
