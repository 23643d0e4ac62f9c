"""The errors ingest raises: which file, what is wrong, what to do."""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """An article file that cannot be read; the build skips it with a warning.

    `str(err)` names the file, the problem and the fix, e.g.
    "articles/x.txt: file is empty; nothing to extract. Remove it or add the article's text."
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

    def __reduce__(self) -> tuple[type[IngestError], tuple[Path, str]]:
        # Errors cross process boundaries when articles are read in parallel.
        return (type(self), (self.path, self.reason))


class DuplicateArticleError(ValueError):
    """Two input files that would become one article; the build is refused before parsing.

    `str(err)` names both files and the id they share.
    """

    def __init__(self, first: Path, second: Path, article_id: str) -> None:
        super().__init__(
            f"{first} and {second} would both be article '{article_id}' (an article's id is its "
            "path under the folder given, without the extension); rename one, or give the "
            "folders so that their paths differ"
        )
        self.paths = (first, second)
