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


# What names a file inside the pyvis package: its package name handed to a
# resource reader, its `__file__`, or a path into its template folder.
PYVIS_PATHS = ("templates/lib", "lib/vis-", "vis-9.", "vis-network.min.js", "vis-network.css")


def _names_pyvis_files(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if node.value == "pyvis" or any(part in node.value for part in PYVIS_PATHS):
                found.append(node.value)
        elif isinstance(node, ast.Attribute) and node.attr == "__file__":
            if isinstance(node.value, ast.Name) and node.value.id == "pyvis":
                found.append("pyvis.__file__")
    return found


def test_structure_no_module_names_files_inside_pyvis() -> None:
    """pyvis is used through `Network` alone; its template includes vis-network for us."""
    named = {
        _module(path): found
        for path in PACKAGE.rglob("*.py")
        if (found := _names_pyvis_files(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert named == {}


@pytest.mark.parametrize(
    "source",
    [
        'VIS = ("templates", "lib", "vis-9.1.2", "vis-network.min.js")',
        'resources.files("pyvis").joinpath("x")',
        "import pyvis\nroot = pyvis.__file__",
    ],
)
def test_structure_pyvis_file_names_are_caught(source: str) -> None:
    assert _names_pyvis_files(ast.parse(source))
