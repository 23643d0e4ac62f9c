"""Find article files and read each into an `Article`, or say why it cannot be read.

A corpus of scraped news always holds a few bad files: empty saves, PDFs,
pages in a legacy encoding. Each becomes an `IngestError` that names the file
and the fix, so the build can skip it with a warning instead of a traceback.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Sequence
from pathlib import Path

from kg.ingest.errors import IngestError
from kg.ingest.html import parse_html
from kg.ingest.text import parse_text
from kg.records import Article

TEXT_SUFFIXES = (".txt", ".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
SUPPORTED_SUFFIXES = (*TEXT_SUFFIXES, *HTML_SUFFIXES)

# Above this share of control characters a file is data, not text.
MAX_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0c")
_SNIFF_BYTES = 8192

_EMPTY = "nothing to extract. Remove it or add the article's text."


def discover_articles(paths: Sequence[Path]) -> tuple[list[Path], list[IngestError]]:
    """Expand files and directories into the article files to read, sorted.

    Directories are searched recursively; hidden files and directories
    (".git", ".DS_Store") are skipped. Files with an unsupported extension
    and paths that do not exist come back as errors, never silently dropped.

    Returns:
        The article files sorted by path, and the errors sorted by path.
    """
    found: set[Path] = set()
    errors: dict[Path, IngestError] = {}

    def consider(path: Path) -> None:
        reason = _suffix_problem(path)
        if reason is None:
            found.add(path)
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
                        consider(Path(root) / name)
        elif path.exists():
            consider(path)
        else:
            errors.setdefault(
                path,
                IngestError(
                    path,
                    f"does not exist; check the path (relative paths start at {Path.cwd()}).",
                ),
            )
    return sorted(found), [errors[path] for path in sorted(errors)]


def load_article(path: Path) -> Article:
    """Read one article file, choosing the text/Markdown or the HTML reader by suffix.

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
    if path.suffix.lower() in HTML_SUFFIXES:
        return parse_html(path, text)
    return parse_text(path, text)


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
    controls = sum(
        1 for byte in data if (byte < 0x20 and byte not in _TEXT_CONTROLS) or byte == 0x7F
    )
    return controls / len(data)


def _suffix_problem(path: Path) -> str | None:
    """Why newskg will not read this file type, or None when it will."""
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return None
    shown = f"unsupported extension '{suffix}'" if suffix else "no file extension"
    return f"{shown}; newskg reads {', '.join(SUPPORTED_SUFFIXES)} files. Convert or remove it."
