"""The house's layering, read from the code with ast.

Doors (products/, console/, flex_ui/, control/, and the modules that read a request) call the
domain; the domain (domain/) calls rules/, the store, the clock and the scheduler. These tests
fail naming the module when a cycle, a function-local import of the package, a door imported by
another area, Flask in the domain, or an "issue N" marker appears.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "simulator"
DOORS = ("products", "console", "flex_ui", "control", "web", "bridge")


def modules(root: Path) -> dict[str, Path]:
    found = {}
    for path in root.rglob("*.py"):
        rel = path.relative_to(root.parent).with_suffix("")
        parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
        found[".".join(parts)] = path
    return found


def _targets(name: str, is_pkg: bool, node, known) -> list[str]:
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    if node.level == 0:
        base = node.module or ""
    else:
        parts = name.split(".")
        if not is_pkg:
            parts = parts[:-1]
        parts = parts[:len(parts) - (node.level - 1)]
        base = ".".join(parts + ([node.module] if node.module else []))
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]


def _owner(target: str, known) -> str | None:
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def import_graph(root: Path):
    """(edges between the package's modules, function-local imports of the package)."""
    known = modules(root)
    top = root.name
    edges: dict[str, set[str]] = {}
    local: list[str] = []
    for name, path in known.items():
        tree = ast.parse(path.read_text())
        is_pkg = path.name == "__init__.py"
        edges[name] = set()
        in_functions = {id(n) for fn in ast.walk(tree)
                        if isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef))
                        for n in ast.walk(fn)}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            owners = {_owner(t, known) for t in _targets(name, is_pkg, node, known)}
            owners = {o for o in owners if o and o != name and o.startswith(top + ".")}
            lines = path.read_text().splitlines()
            lazy = node.lineno > 1 and lines[node.lineno - 2].strip().startswith("# lazy:")
            if id(node) in in_functions and owners and not lazy:
                local.append(f"{name}:{node.lineno}")
            edges[name] |= owners
    return edges, local


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, on, stack, found, counter = {}, {}, set(), [], [], 0
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on.add(root)
        while work:
            v, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on:
                    low[v] = min(low[v], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    found.append(sorted(comp))
    return found


def _area(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in DOORS else None


# -- the checker works ------------------------------------------------------------------------
def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "pkg"
    for rel, src in {"__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(src)
    return root


def test_a_cycle_is_found_and_named(tmp_path):
    root = _package(tmp_path, {"a.py": "from .b import x\n", "b.py": "from . import c\nx = 1\n",
                               "c.py": "from .a import y\n", "d.py": "from .a import y\n"})
    edges, _ = import_graph(root)
    assert cycles(edges) == [["pkg.a", "pkg.b", "pkg.c"]]


def test_an_import_inside_a_function_is_found(tmp_path):
    root = _package(tmp_path, {"a.py": "import json\n\ndef f():\n    from .b import x\n    return x\n",
                               "b.py": "x = 1\n"})
    _, local = import_graph(root)
    assert local == ["pkg.a:4"]


def test_a_lazy_import_says_why(tmp_path):
    root = _package(tmp_path, {"a.py": "def f():\n    # lazy: start-up cost\n    from .b import x\n",
                               "b.py": "x = 1\n"})
    assert import_graph(root)[1] == []


# -- the simulator's layering -----------------------------------------------------------------
@pytest.fixture(scope="module")
def graph():
    return import_graph(PACKAGE)


def test_no_import_cycle(graph):
    edges, _ = graph
    assert cycles(edges) == [], "import cycle(s) between these modules"


def test_no_function_local_import_of_the_package(graph):
    _, local = graph
    assert local == []


def test_the_domain_imports_no_door_and_no_flask():
    for name, path in modules(PACKAGE).items():
        if not name.startswith("simulator.domain"):
            continue
        tree = ast.parse(path.read_text())
        imported = {t for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
                    for t in _targets(name, path.name == "__init__.py", n, modules(PACKAGE))}
        for target in imported:
            assert target.split(".")[0] not in ("flask", "werkzeug"), f"{name} imports {target}"
            assert _area(target) is None, f"{name} imports the door {target}"
            assert target not in ("simulator.current", "simulator.wire", "simulator.auth"), \
                f"{name} imports {target}, which reads the request"


def test_no_door_imports_another_area(graph):
    edges, _ = graph
    for module, targets in edges.items():
        for target in targets:
            if _area(module) and _area(target):
                assert _area(module) == _area(target), f"{module} imports {target}"


def test_doors_leave_the_store_to_the_domain():
    for name, path in modules(PACKAGE).items():
        if _area(name) or name in ("simulator.auth",):
            assert ".store." not in path.read_text(), f"{name} reaches into the store"


def test_no_issue_markers():
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            assert not re.search(r"\bissue \d+\b", line, re.I), f"{path}:{number}: {line.strip()}"


def test_every_time_driven_step_is_registered_without_the_app():
    """A Simulator alone (no Flask app, no doors imported) knows every step kind the package
    declares with ``@handler("...")``."""
    declared, constants, named = set(), {}, set()
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        declared |= set(re.findall(r'@handler\("([^"]+)"\)', text))
        named |= set(re.findall(r'@handler\((?:\w+\.)?([A-Z_]+)\)', text))
        constants.update(re.findall(r'^([A-Z_]+) = "([^"]+)"', text, re.M))
    declared |= {constants[name] for name in named}
    code = ("import simulator.runtime, simulator.scheduler as s; "
            "print(' '.join(sorted(s.HANDLERS)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=PACKAGE.parent, check=True).stdout.split()
    assert declared <= set(out), declared - set(out)
