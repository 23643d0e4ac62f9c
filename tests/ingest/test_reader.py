"""Finding article files and refusing bad ones with an error that says what to do."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from kg.ingest import (
    SUPPORTED_SUFFIXES,
    ArticleFile,
    IngestError,
    discover_articles,
    load_article,
)

STORY = "Troops leave Iraq\n\nThe United States will reduce its troop presence in Iraq.\n"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


# --- discover_articles -------------------------------------------------------------


def test_reader_discover_expands_directories_recursively_and_sorted(tmp_path: Path) -> None:
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "e.markdown", "F.TXT"):
        write(tmp_path / name, STORY)
    write(tmp_path / ".hidden.txt", STORY)
    write(tmp_path / ".git" / "x.txt", STORY)
    write(tmp_path / "sub" / ".cache" / "y.txt", STORY)

    found, errors = discover_articles([tmp_path])

    assert errors == []
    assert found == sorted(found)
    assert [f.path.relative_to(tmp_path).as_posix() for f in found] == [f.name for f in found]
    assert [f.name for f in found] == [
        "F.TXT",
        "a.md",
        "b.txt",
        "e.markdown",
        "sub/c.html",
        "sub/deeper/d.htm",
    ]


def test_reader_discover_reports_unsupported_and_missing_paths(tmp_path: Path) -> None:
    good = write(tmp_path / "dir" / "story.txt", STORY)
    pdf = write(tmp_path / "dir" / "scan.pdf", b"%PDF-1.4")
    readme = write(tmp_path / "dir" / "README", "notes")
    docx = write(tmp_path / "given.docx", b"PK")
    missing = tmp_path / "missing.txt"

    found, errors = discover_articles([tmp_path / "dir", docx, missing, good])

    assert found == [ArticleFile(good, "story.txt")]  # given twice, listed once
    by_path = {error.path: error for error in errors}
    assert list(by_path) == sorted(by_path)
    assert set(by_path) == {pdf, readme, docx, missing}
    assert "unsupported extension '.pdf'" in by_path[pdf].reason
    assert ".txt" in by_path[pdf].reason and ".html" in by_path[pdf].reason
    assert "no file extension" in by_path[readme].reason
    assert "unsupported extension '.docx'" in str(by_path[docx])
    assert "does not exist" in by_path[missing].reason


def test_reader_discover_explicit_hidden_file_is_read(tmp_path: Path) -> None:
    hidden = write(tmp_path / ".draft.txt", STORY)
    assert discover_articles([hidden]) == ([ArticleFile(hidden, ".draft.txt")], [])


def test_reader_discover_empty_input() -> None:
    assert discover_articles([]) == ([], [])


def test_reader_supported_suffixes() -> None:
    assert SUPPORTED_SUFFIXES == (".txt", ".md", ".markdown", ".html", ".htm")


# --- load_article: bad files ------------------------------------------------------------

BAD_FILES = [
    pytest.param("empty.txt", b"", "file is empty", id="empty"),
    pytest.param("blank.txt", b"  \n\t\r\n  \n", "only whitespace", id="whitespace-only"),
    pytest.param("bom-only.md", b"\xef\xbb\xbf\n", "only whitespace", id="bom-only"),
    pytest.param("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "NUL bytes", id="binary-nul"),
    pytest.param("utf16.txt", "Troops".encode("utf-16"), "UTF-16", id="utf-16"),
    pytest.param(
        "controls.txt",
        bytes(range(1, 32)) * 20 + b"text",
        "control characters",
        id="binary-controls",
    ),
    pytest.param(  # 11% of the bytes are controls no text holds; tabs and line ends are not
        "mostly-text.txt",
        b"\x07" * 11 + b"Troops\tleft\r\n" * 5 + b"x" * 19,
        "control characters",
        id="binary-controls-share",
    ),
    pytest.param("latin1.txt", "Caf\u00e9 in Baghdad".encode("latin-1"), "offset 3", id="latin-1"),
    pytest.param("scan.pdf", b"%PDF-1.4 ...", "unsupported extension '.pdf'", id="pdf"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD_FILES)
def test_reader_load_refuses_bad_files(
    tmp_path: Path, name: str, data: bytes, message: str
) -> None:
    path = write(tmp_path / name, data)
    with pytest.raises(IngestError) as info:
        load_article(path)
    error = info.value
    assert error.path == path
    assert message in error.reason
    assert str(error) == f"{path}: {error.reason}"


def test_reader_empty_file_message_says_what_to_do(tmp_path: Path) -> None:
    path = write(tmp_path / "articles" / "x.txt", b"")
    with pytest.raises(IngestError) as info:
        load_article(path)
    assert str(info.value) == (
        f"{path}: file is empty; nothing to extract. Remove it or add the article's text."
    )


def test_reader_latin1_error_names_the_byte(tmp_path: Path) -> None:
    path = write(tmp_path / "latin1.txt", b"\xef\xbb\xbfCaf\xe9")
    with pytest.raises(IngestError) as info:
        load_article(path)
    # The offset counts from the start of the file, BOM included.
    assert "byte 0xE9 at offset 6" in info.value.reason
    assert "UTF-8" in info.value.reason


@pytest.mark.parametrize("name", ["folder", "folder.txt"])
def test_reader_directory_passed_as_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.mkdir()
    with pytest.raises(IngestError, match="is a directory"):
        load_article(path)


def test_reader_missing_file(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="cannot be read"):
        load_article(tmp_path / "gone.txt")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_reader_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path / "secret.txt", STORY)
    path.chmod(0)
    try:
        with pytest.raises(IngestError, match="cannot be read"):
            load_article(path)
    finally:
        path.chmod(0o644)


def test_reader_ingest_error_survives_pickling() -> None:
    error = IngestError(Path("articles/x.txt"), "file is empty")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, str(copy)) == (error.path, error.reason, str(error))


# --- load_article: good files ------------------------------------------------------------


def test_reader_strips_utf8_bom(tmp_path: Path) -> None:
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + STORY.encode("utf-8"))
    article = load_article(path)
    assert article.title == "Troops leave Iraq"
    assert not article.source_text.startswith("\ufeff")


@pytest.mark.parametrize("suffix", [".txt", ".md", ".markdown", ".TXT"])
def test_reader_text_suffixes_use_text_reader(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path / f"story{suffix}", STORY)
    article = load_article(path)
    assert article.source_file == f"story{suffix}"
    assert article.source_text == STORY
    assert article.body == (
        "Troops leave Iraq\n\nThe United States will reduce its troop presence in Iraq."
    )
