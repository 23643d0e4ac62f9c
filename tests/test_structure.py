"""The package's shape, kept by its imports: what may depend on what.

Exports (files, GraphML) do not depend on the HTML view, and graph files are
read in one module (`kg.graphio`), so every command agrees on suffixes,
build folders and errors.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
VIEW_FREE = ("export", "graphml", "dump", "jsonld", "projection", "graphsource", "graphio")


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("name", VIEW_FREE)
def test_structure_exports_do_not_import_the_view(name: str) -> None:
    imported = _imports(PACKAGE / f"{name}.py")
    assert not {module for module in imported if module.split(".")[:2] == ["kg", "view"]}


def test_structure_only_graphio_reads_graph_files() -> None:
    readers = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                reads_path = any(keyword.arg == "path" for keyword in node.keywords)
                if node.func.attr in {"parse", "load"} and reads_path:
                    readers.add(_module(path))
    assert readers == {"kg.graphio"}
