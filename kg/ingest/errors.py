"""The one error ingest raises: which file, what is wrong, what to do."""

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
