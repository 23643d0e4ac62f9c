"""Find the data files that ship with newskg, installed or in a checkout."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
# Files a pipeline's settings put in place of shipped tables, by table name, while its
# components run (`chosen_data_files`); empty outside them.
_CHOSEN: ContextVar[Mapping[str, Path] | None] = ContextVar("newskg_data_files", default=None)


def ontology_dir() -> Path:
    """The `ontology/` folder: inside the wheel as `kg/ontology`, or beside `kg/` in a checkout."""
    for candidate in (_PACKAGE_DIR / "ontology", _PACKAGE_DIR.parent / "ontology"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        "newskg cannot find its ontology/ folder; reinstall the package (pip install -e .)"
    )


def gazetteer_files(folder: Path | None = None) -> list[Path]:
    """Every `*.ttl` of a gazetteer folder (default: the shipped one), in a stable order."""
    return sorted((folder or ontology_dir() / "gazetteer").glob("*.ttl"))


@cache
def shipped_data_file(name: str) -> Path:
    """A small table shipped in `kg/data/`."""
    return _PACKAGE_DIR / "data" / name


def data_file(name: str) -> Path:
    """The table `name`: the file the running pipeline's settings chose, else the shipped one."""
    chosen = _CHOSEN.get()
    return (chosen and chosen.get(name)) or shipped_data_file(name)


@contextmanager
def chosen_data_files(chosen: Mapping[str, Path]) -> Iterator[None]:
    """Within the block, `data_file` gives `chosen[name]` for the tables it names.

    The lexicon loaders are called deep inside recognition and extraction; a
    component sets its configured files around its own work instead of
    handing them down through every function, and two pipelines with
    different settings in one process each see their own.
    """
    token = _CHOSEN.set({**(_CHOSEN.get() or {}), **chosen})
    try:
        yield
    finally:
        _CHOSEN.reset(token)
