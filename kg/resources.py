"""Find the data files that ship with newskg, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def ontology_dir() -> Path:
    """The `ontology/` folder: inside the wheel as `kg/ontology`, or beside `kg/` in a checkout."""
    for candidate in (_PACKAGE_DIR / "ontology", _PACKAGE_DIR.parent / "ontology"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "newskg cannot find its ontology/ folder; reinstall the package (pip install -e .)"
    )


def data_file(name: str) -> Path:
    """A small table shipped in `kg/data/`."""
    return _PACKAGE_DIR / "data" / name
