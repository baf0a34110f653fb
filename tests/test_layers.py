"""The package's layers follow the flow, and no import runs upward or in a circle.

Layers, lowest first: the base modules (paths, problems, labels, outputs), then
``raw`` -> ``clean`` -> ``questions`` -> ``report`` -> ``run``; ``__main__`` sits on
top. A module may import from its own layer or any layer below it, never above. Every
import counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from analysis import paths

PACKAGE = paths.ROOT / "src" / "analysis"
BASE = {"paths", "problems", "labels", "outputs", "parameters", "__init__"}
ORDER = ["base", "raw", "clean", "questions", "report", "run", "__main__"]


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "base"
    head = parts[1]
    return "base" if head in BASE else head


def _imports(path: Path) -> set[str]:
    """Every ``analysis...`` module this file imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "analysis"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "analysis":
                continue
            found.add(target)
            # ``from analysis.clean import attendance`` imports the submodule too
            found |= {f"{target}.{a.name}" for a in node.names
                      if (PACKAGE.parent / Path(*f"{target}.{a.name}".split("."))).with_suffix(".py").exists()
                      or (PACKAGE.parent / Path(*f"{target}.{a.name}".split("."))).is_dir()}
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_tree_shows_the_flow():
    subpackages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
    assert subpackages == ["clean", "questions", "raw", "report", "run"]
    top = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert set(top) <= BASE | {"__main__"}, f"flat modules outside the base: {set(top) - BASE}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_upward(path):
    here = ORDER.index(_layer(_module_name(path)) if path.stem != "__main__" else "__main__")
    upward = sorted(m for m in _imports(path) if ORDER.index(_layer(m)) > here)
    assert not upward, f"{path.relative_to(PACKAGE)} imports from a later layer: {upward}"


def test_no_import_cycle_between_modules():
    graph = {}
    for path in MODULES:
        name = _module_name(path)
        graph[name] = {m for m in _imports(path) if m != name and m in
                       {_module_name(p) for p in MODULES}}
    # package __init__ files re-export their own modules; they are not cycles
    state: dict[str, int] = {}

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if nxt == node.rsplit(".", 1)[0] or node == nxt.rsplit(".", 1)[0]:
                continue
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(stack + [node, nxt]))
            if state.get(nxt) is None:
                visit(nxt, stack + [node])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [])


def test_the_checker_sees_an_upward_import(tmp_path):
    """The rule can fail: a raw module importing from report is caught."""
    fake = PACKAGE / "raw" / "package.py"
    imports = _imports(fake)
    assert "analysis.problems" in imports and "analysis.paths" in imports
    probe = ast.parse("from ..report import figures\n")
    node = probe.body[0]
    target = "analysis." + node.module
    assert ORDER.index(_layer(target)) > ORDER.index(_layer("analysis.raw.package"))
