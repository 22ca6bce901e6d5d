"""The package's shape, checked from its source: no import cycle, no module reaching into another's
private names, the layers importing only downwards, and stage modules small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newsgraph"
MAX_STAGE_MODULE_LINES = 450


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def is_package(name: str) -> bool:
    return MODULES[name].name == "__init__.py"


def imports_of(name: str) -> list[tuple[str, str | None, int]]:
    """(module imported, name taken from it or None, line) for every import in a module, lazy ones
    inside functions included: a cycle through a function-level import is still a cycle."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    package = name if is_package(name) else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, node.lineno) for a in node.names if a.name.startswith("newsgraph")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if not base.startswith("newsgraph"):
                continue
            for alias in node.names:
                out.append((base, alias.name, node.lineno))
    return out


def edges() -> dict[str, set[str]]:
    """Module -> modules it imports. 'from package import submodule' is an edge to the submodule;
    'from package import name' an edge to the package's __init__."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    for name in MODULES:
        for base, taken, _ in imports_of(name):
            target = f"{base}.{taken}" if taken and f"{base}.{taken}" in MODULES else base
            if target in MODULES and target != name:
                graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_find_cycle_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    cycle = find_cycle(edges())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def private_imports() -> list[str]:
    """Imports of an underscore name from another module, or of a private module from outside its
    package (a sibling module of the same package may use a private helper module)."""
    bad = []
    for name in MODULES:
        own_package = name if is_package(name) else name.rpartition(".")[0]
        for base, taken, line in imports_of(name):
            parts = base.split(".")
            for n, part in enumerate(parts):
                if part.startswith("_") and ".".join(parts[:n]) != own_package:
                    bad.append(f"{name}:{line} imports private module {base}")
            if taken and taken.startswith("_") and not taken.startswith("__"):
                target = f"{base}.{taken}"
                if not (target in MODULES and base == own_package):
                    bad.append(f"{name}:{line} imports {taken} from {base}")
    return bad


def test_no_cross_module_private_imports():
    assert private_imports() == []


LAYERS = {  # a module under the first never imports one under the second
    "newsgraph.readers": ("newsgraph.pipeline", "newsgraph.store", "newsgraph.api", "newsgraph.web"),
    "newsgraph.pipeline": ("newsgraph.store", "newsgraph.readers", "newsgraph.api", "newsgraph.web",
                           "newsgraph.cli"),
    "newsgraph.stories": ("newsgraph.store", "newsgraph.api", "newsgraph.web"),
    "newsgraph.store": ("newsgraph.api", "newsgraph.web", "newsgraph.cli"),
    "newsgraph.api": ("newsgraph.web", "newsgraph.cli"),
    "newsgraph.web": ("newsgraph.cli",),
    "newsgraph.exports": ("newsgraph.pipeline", "newsgraph.api", "newsgraph.web", "newsgraph.cli"),
    "newsgraph.errors": ("newsgraph",),  # the bottom: every layer may import it
}


def layer_violations() -> list[str]:
    bad = []
    graph = edges()
    for name, targets in graph.items():
        for layer, forbidden in LAYERS.items():
            if name == layer or name.startswith(layer + "."):
                bad += [f"{name} imports {t}" for t in targets
                        if any(t == f or t.startswith(f + ".") for f in forbidden)]
    return bad


def test_layers_import_downwards_only():
    assert layer_violations() == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "pipeline").glob("*.py")), ids=lambda p: p.name)
def test_stage_modules_stay_small(path: Path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_STAGE_MODULE_LINES, f"{path.name} has {lines} lines; split it by idea"


@pytest.mark.parametrize("path", sorted((PACKAGE / "pipeline").glob("*.py")), ids=lambda p: p.name)
def test_every_pipeline_module_says_its_job(path: Path):
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert doc and len(doc.split()) >= 5, f"{path.name} has no docstring saying what it is for"


PROCESS_MODULES = ("multiprocessing", "concurrent.futures", "subprocess", "dask", "distributed")


def process_starters(tree: ast.AST) -> list[str]:
    """Imports of process or cluster machinery, and calls of os.fork/os.spawn*/os.system, in a tree."""
    found = []
    for node in ast.walk(tree):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        found += [f"line {node.lineno}: imports {n}" for n in names
                  if any(n == m or n.startswith(m + ".") for m in PROCESS_MODULES)]
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "os"
                and (node.attr in ("fork", "system", "popen") or node.attr.startswith("spawn"))):
            found.append(f"line {node.lineno}: os.{node.attr}")
    return found


def test_process_starters_are_found():
    tree = ast.parse("import multiprocessing\nfrom concurrent.futures import ProcessPoolExecutor\n"
                     "from distributed import Client\nimport os\nos.fork()\n")
    assert len(process_starters(tree)) == 4
    assert process_starters(ast.parse("import threading\nimport os\nos.getpid()\n")) == []


@pytest.mark.parametrize("path", sorted((PACKAGE / "pipeline").rglob("*.py")), ids=lambda p: p.name)
def test_nothing_under_pipeline_starts_processes_or_clusters(path: Path):
    """Language processing only: where the pipeline runs (worker pools, clusters) is runners/'s job."""
    assert process_starters(ast.parse(path.read_text(encoding="utf-8"))) == []
