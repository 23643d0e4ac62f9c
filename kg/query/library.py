"""The named queries shipped in `kg/queries/`: questions anyone can ask of a build.

Each `.rq` file is plain SPARQL that runs unchanged in `kg query`, `kg serve`
and any store the graph was pushed to. Its leading comment says what it
answers (the first line is the summary `kg query --list` prints), and a line
`# @param NAME  description` documents a variable `--param NAME=…` binds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

QUERY_PACKAGE = "kg.queries"
QUERY_SUFFIX = ".rq"
# What `kg query NAME` takes for a name rather than for SPARQL text.
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_PARAM_LINE = re.compile(r"#\s*@param\s+(\w+)\s+(.+)")


class UnknownQueryError(LookupError):
    """A name that is no shipped query."""

    def __init__(self, name: str) -> None:
        names = ", ".join(query.name for query in shipped_queries())
        super().__init__(f"no shipped query named {name!r}; choose from {names}")


@dataclass(frozen=True, slots=True)
class NamedQuery:
    """One shipped query: its name (the file stem), what it answers, and its text."""

    name: str
    summary: str
    params: tuple[tuple[str, str], ...]  # (variable name, what to give)
    text: str


def _parse(name: str, text: str) -> NamedQuery:
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line)
    summary = comments[0].lstrip("#").strip() if comments else ""
    params = tuple(
        (match[1], match[2].strip()) for line in comments if (match := _PARAM_LINE.fullmatch(line))
    )
    return NamedQuery(name=name, summary=summary, params=params, text=text)


@cache
def shipped_queries() -> tuple[NamedQuery, ...]:
    """Every shipped query, by name; read from the installed package, checkout or wheel alike."""
    queries = (
        _parse(entry.name.removesuffix(QUERY_SUFFIX), entry.read_text(encoding="utf-8"))
        for entry in files(QUERY_PACKAGE).iterdir()
        if entry.name.endswith(QUERY_SUFFIX)
    )
    return tuple(sorted(queries, key=lambda query: query.name))


def named_query(name: str) -> NamedQuery:
    """The shipped query called `name`.

    Raises:
        UnknownQueryError: naming the queries there are.
    """
    for query in shipped_queries():
        if query.name == name:
            return query
    raise UnknownQueryError(name)
