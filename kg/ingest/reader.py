"""Find article files and read each into an `Article`, or say why it cannot be read.

A corpus of scraped news always holds a few bad files: empty saves, PDFs,
pages in a legacy encoding. Each becomes an `IngestError` that names the file
and the fix, so the build can skip it with a warning instead of a traceback.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.ingest.errors import DuplicateArticleError, IngestError
from kg.ingest.text import parse_text
from kg.records import Article, article_id

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES)

# Above this share of control characters a file is data, not text.
MAX_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
# The bytes no text file holds, counted by deleting them (bytes.translate, in C).
_CONTROLS = bytes(b for b in [*range(0x20), 0x7F] if b not in _TEXT_CONTROLS)
_SNIFF_BYTES = 8192

_EMPTY = "nothing to extract. Remove it or add the article's text."


@dataclass(frozen=True, slots=True, order=True)
class ArticleFile:
    """An article file to read, and its name: its path under the folder given, or its own name.

    The name becomes `Article.source_file`, and the article's id comes from it.
    """

    path: Path
    name: str


def discover_articles(paths: Sequence[Path]) -> tuple[list[ArticleFile], list[IngestError]]:
    """Expand files and directories into the article files to read, sorted, each with its name.

    Directories are searched recursively; hidden files and directories
    (".git", ".DS_Store") are skipped. Files with an unsupported extension
    and paths that do not exist come back as errors, never silently dropped.
    A file found twice under the same name is read once.

    Returns:
        The article files sorted by path, and the errors sorted by path.

    Raises:
        DuplicateArticleError: two files would get one article id
            (`x.txt` beside `x.html`, or one relative path under two folders).
    """
    found: set[ArticleFile] = set()
    errors: dict[Path, IngestError] = {}

    def consider(path: Path, name: str) -> None:
        reason = _suffix_problem(path) or _name_problem(name)
        if reason is None:
            found.add(ArticleFile(path, name))
        else:
            errors.setdefault(path, IngestError(path, reason))

    def unlistable(exc: OSError) -> None:
        path = Path(exc.filename or "")
        errors.setdefault(
            path,
            IngestError(path, f"cannot list directory ({exc.strerror}); check its permissions."),
        )

    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path, onerror=unlistable):
                dirs[:] = [name for name in dirs if not name.startswith(".")]
                for name in files:
                    if not name.startswith("."):
                        file = Path(root) / name
                        consider(file, file.relative_to(path).as_posix())
        elif path.exists():
            consider(path, path.name)
        else:
            errors.setdefault(
                path,
                IngestError(
                    path,
                    f"does not exist; check the path (relative paths start at {Path.cwd()}).",
                ),
            )
    listed = sorted(found)
    _refuse_shared_ids(listed)
    return listed, [errors[path] for path in sorted(errors)]


def _refuse_shared_ids(files: Sequence[ArticleFile]) -> None:
    """Two files never become one article node: refuse any two that share an id."""
    owners: dict[str, ArticleFile] = {}
    for file in files:
        key = article_id(file.name)
        first = owners.setdefault(key, file)
        if first is not file:
            raise DuplicateArticleError(first.path, file.path, key)


def _name_problem(name: str) -> str | None:
    """Why a file's name cannot name an article, or None when it can."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "its name is not valid UTF-8 (a file from another system?); rename it."
    return None


def load_article(path: Path, name: str | None = None) -> Article:
    """Read one article file, choosing the text/Markdown or the HTML reader by suffix.

    `name` is its `source_file` (see `ArticleFile`); by default the file's name.

    Raises:
        IngestError: the file cannot be read, is empty, binary, not UTF-8,
            has an unsupported extension, or (HTML) holds no article text.
    """
    path = Path(path)
    if path.is_dir():
        raise IngestError(
            path,
            "is a directory, not a file; pass it to discover_articles to find the articles in it.",
        )
    reason = _suffix_problem(path)
    if reason is not None:
        raise IngestError(path, reason)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(
            path,
            f"cannot be read ({exc.strerror or exc}); check that it is a file you may read.",
        ) from exc
    text = decode_text(path, data)
    source_file = path.name if name is None else name
    if path.suffix.lower() in HTML_SUFFIXES:
        # trafilatura takes a fifth of a second to import: only for pages, and only
        # when one is read (deciding whether a build has work to do reads none).
        from kg.ingest.html import parse_html  # noqa: PLC0415

        return parse_html(path, text, source_file)
    return parse_text(path, text, source_file)


def decode_text(path: Path, data: bytes) -> str:
    """Decode an article's bytes as UTF-8, refusing what is not article text.

    A UTF-8 byte-order mark is removed. Other encodings are refused rather
    than guessed, because a wrong guess garbles names silently.
    """
    if not data:
        raise IngestError(path, f"file is empty; {_EMPTY}")
    if b"\x00" in data:
        raise IngestError(
            path,
            "looks binary (it contains NUL bytes), not an article. Export the article as "
            ".txt, .md or .html; if it is UTF-16 text, re-save it as UTF-8.",
        )
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[bom:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if _control_share(data[:_SNIFF_BYTES]) > MAX_CONTROL_SHARE:
            raise IngestError(path, _binary_reason()) from exc
        offset = bom + exc.start
        raise IngestError(
            path,
            f"is not valid UTF-8: byte 0x{data[offset]:02X} at offset {offset} cannot be decoded. "
            "Re-save the file as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8`).",
        ) from exc
    if not text.strip():
        raise IngestError(path, f"file contains only whitespace; {_EMPTY}")
    if _control_share(text[:_SNIFF_BYTES].encode("utf-8")) > MAX_CONTROL_SHARE:
        raise IngestError(path, _binary_reason())
    return text


def _binary_reason() -> str:
    return "looks binary (mostly control characters), not an article. Remove it."


def _control_share(data: bytes) -> float:
    """Share of bytes that are control characters no text file contains."""
    if not data:
        return 0.0
    return (len(data) - len(data.translate(None, _CONTROLS))) / len(data)


def _suffix_problem(path: Path) -> str | None:
    """Why newskg will not read this file type, or None when it will."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    shown = f"unsupported extension '{suffix}'" if suffix else "no file extension"
    return f"{shown}; newskg reads {', '.join(SUPPORTED_SUFFIXES)} files. Convert or remove it."
