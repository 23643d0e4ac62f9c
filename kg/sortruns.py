"""Lines sorted in bounded memory: sorted runs on scratch files, merged once (an external sort).

The union of a large build's graphs (`kg.dump`) and a shared graph made
subject by subject (`kg.chunks.subjects_chunk`) have more lines than
memory should hold at once; each is sorted here, each line kept once.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import groupby
from pathlib import Path
from typing import IO

RUN_LINES = 200_000  # lines sorted in memory at a time before they go to disk


class SortedRuns:
    """Lines sorted in runs of `RUN_LINES` on scratch files in `scratch`, merged once, each
    line once. The scratch files close, and go, with `stack`."""

    def __init__(self, stack: ExitStack, scratch: Path | None) -> None:
        self.stack = stack
        self.scratch = scratch
        self.runs: list[IO[str]] = []
        self.pending: list[str] = []

    def add(self, lines: Iterable[str]) -> None:
        self.pending.extend(lines)
        if len(self.pending) >= RUN_LINES:
            self._spill()

    def merged(self) -> Iterator[str]:
        """Every line added, in order, each once."""
        if not self.runs:  # all held: sorted here, no scratch file
            lines, self.pending = sorted(set(self.pending)), []
            return iter(lines)
        self._spill()
        return (line for line, _ in groupby(heapq.merge(*self.runs)))

    def _spill(self) -> None:
        run = self.stack.enter_context(
            # newline="\n": lines end there only, whatever else a literal holds
            tempfile.TemporaryFile("w+", encoding="utf-8", newline="\n", dir=self.scratch)
        )
        run.writelines(sorted(set(self.pending)))
        run.seek(0)
        self.runs.append(run)
        self.pending = []
