"""The house rules, read from the import graph of ``featlearn`` (static: nothing is imported).

* A paper is its folder: a module under ``featlearn/theory/`` or ``featlearn/models/`` that only
  one paper package uses (directly or through other shared modules) belongs in that paper's
  folder, ``featlearn/papers/<key>/``.
* Layering: shared code (theory, models, claims, experiments, data, backends, validation) never
  imports a paper package.
* No import cycle anywhere inside ``featlearn``.
"""

from __future__ import annotations

import ast
import pathlib
from collections import defaultdict

ROOT = pathlib.Path(__file__).resolve().parents[1] / "featlearn"
SHARED_ROOMS = ("theory", "models")


def _modules() -> dict[str, pathlib.Path]:
    mods = {}
    for p in ROOT.rglob("*.py"):
        parts = p.relative_to(ROOT.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        mods[name] = p
    return mods


def _import_graph() -> dict[str, set[str]]:
    """Module → the featlearn modules it imports (``from pkg import sub`` counts as importing ``pkg.sub``)."""
    mods = _modules()
    graph: dict[str, set[str]] = defaultdict(set)
    for name, path in mods.items():
        is_pkg = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:  # relative import
                    base = name.split(".")
                    base = base if is_pkg else base[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                if not module.startswith("featlearn"):
                    continue
                for alias in node.names:
                    full = f"{module}.{alias.name}"
                    graph[name].add(full if full in mods else module)
            elif isinstance(node, ast.Import):
                graph[name].update(a.name for a in node.names if a.name.startswith("featlearn"))
        graph[name].discard(name)
    return {k: {d for d in v if d in mods} for k, v in graph.items()} | {m: graph.get(m, set()) & set(mods)
                                                                       for m in mods if m not in graph}


def _paper_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) >= 3 and parts[1] == "papers" else None


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) >= 3 else None


def test_no_single_paper_module_outside_papers():
    graph = _import_graph()
    users: dict[str, set[str]] = defaultdict(set)
    for m, deps in graph.items():
        for d in deps:
            users[d].add(m)
    lonely = {}
    for m in graph:
        if _room(m) not in SHARED_ROOMS:
            continue
        papers, seen, stack = set(), set(), [m]
        while stack:  # the papers that reach m, directly or through other shared modules
            for u in users[stack.pop()]:
                if u in seen:
                    continue
                seen.add(u)
                if _paper_of(u):
                    papers.add(_paper_of(u))
                elif _room(u) in SHARED_ROOMS:
                    stack.append(u)
        if len(papers) < 2:
            lonely[m] = sorted(papers)
    assert not lonely, (f"modules under featlearn/theory or featlearn/models used by fewer than two papers "
                        f"(move each into featlearn/papers/<key>/): {lonely}")


def test_shared_code_never_imports_a_paper():
    graph = _import_graph()
    bad = {m: sorted(d for d in deps if _paper_of(d)) for m, deps in graph.items()
           if not _paper_of(m) and m not in ("featlearn.papers",) and any(_paper_of(d) for d in deps)}
    assert not bad, f"shared modules importing paper content: {bad}"


def test_papers_do_not_import_each_other():
    graph = _import_graph()
    bad = {m: sorted(d for d in deps if _paper_of(d) and _paper_of(d) != _paper_of(m))
           for m, deps in graph.items() if _paper_of(m)}
    bad = {m: d for m, d in bad.items() if d}
    assert not bad, f"a paper importing another paper's folder (share it through theory/ or models/): {bad}"


def test_no_import_cycle():
    graph = _import_graph()
    # a package __init__ that re-exports its submodules is not a cycle of the code: skip edges parent → child
    edges = {m: {d for d in deps if not d.startswith(m + ".")} for m, deps in graph.items()}
    index, low, on_stack, stack, sccs, counter = {}, {}, set(), [], [], [0]

    def strongconnect(v):  # Tarjan
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                sccs.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            strongconnect(v)
    assert not sccs, f"import cycles inside featlearn: {sccs}"
