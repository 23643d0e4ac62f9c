"""Write query results for people (an aligned table) or for programs (SPARQL 1.1 CSV, TSV, JSON).

The machine formats are pyoxigraph's own serialisers, so they follow the
W3C result formats exactly; only the table is ours. It shortens IRIs with
the graph's prefixes and cuts long literals (evidence sentences) to keep a
row on one line; the machine formats keep every value whole. Text for a
terminal (the table, and Turtle for triples) shows control characters from
the articles as `\\u001B` escapes, so a headline cannot retitle or repaint
the terminal; CSV, TSV and JSON keep the data exact. `encode` answers an
endpoint's client in the format its Accept header prefers.

Reference: https://www.w3.org/TR/sparql11-results-json/,
https://www.w3.org/TR/sparql11-results-csv-tsv/,
https://www.w3.org/TR/sparql11-protocol/#query-success
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, TypeVar, get_args

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    serialize,
)
from pyoxigraph import Literal as RdfLiteral

from kg.namespaces import PREFIX_IRIS, Prefixes
from kg.query.run import Results
from kg.query.terms import DEFAULT_PREFIXES, Term

OutputFormat = Literal["table", "csv", "tsv", "json"]
OUTPUT_FORMATS: tuple[OutputFormat, ...] = get_args(OutputFormat)
MAX_CELL = 60  # characters of a literal a table cell shows

_RESULT_FORMATS: dict[OutputFormat, QueryResultsFormat] = {
    "csv": QueryResultsFormat.CSV,
    "tsv": QueryResultsFormat.TSV,
    "json": QueryResultsFormat.JSON,
}
# A CONSTRUCT or DESCRIBE gives triples: Turtle for people, JSON-LD for programs.
# Instance IRIs stay whole there (no `id:`): Turtle would write `id:article/x` as `id:article\/x`.
_GRAPH_FORMATS: dict[OutputFormat, RdfFormat] = {
    "table": RdfFormat.TURTLE,
    "json": RdfFormat.JSON_LD,
}
_NUMBERS = frozenset(
    f"http://www.w3.org/2001/XMLSchema#{name}" for name in ("integer", "decimal", "double", "float")
)
# C0 controls but the newline, DEL and C1 controls: ESC and CSI start terminal commands.
_CONTROLS = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")

# The first of each list is what an endpoint's client gets when its Accept header names none.
RESULT_FORMATS = (
    QueryResultsFormat.JSON,
    QueryResultsFormat.XML,
    QueryResultsFormat.CSV,
    QueryResultsFormat.TSV,
)
GRAPH_FORMATS = (RdfFormat.N_TRIPLES, RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD)

_Format = TypeVar("_Format", QueryResultsFormat, RdfFormat)


def printable(text: str) -> str:
    """`text` with each control character but the newline written as `\\uXXXX`.

    The escape is Turtle's own, so Turtle stays valid Turtle with the same data.
    """
    return _CONTROLS.sub(lambda found: f"\\u{ord(found[0]):04X}", text)


def render(results: Results, fmt: OutputFormat, prefixes: Prefixes = DEFAULT_PREFIXES) -> bytes:
    """The results of any query form in `fmt`; a table shortens IRIs with `prefixes`.

    Raises:
        ValueError: for triples asked as CSV or TSV, which only hold tables.
    """
    if isinstance(results, QuerySolutions):
        if fmt == "table":
            return table(results, prefixes).encode("utf-8")
        return results.serialize(format=_RESULT_FORMATS[fmt]) or b""
    if isinstance(results, QueryBoolean):
        if fmt == "table":
            return b"true\n" if results else b"false\n"
        return results.serialize(format=_RESULT_FORMATS[fmt]) or b""
    if fmt not in _GRAPH_FORMATS:
        raise ValueError(
            "a CONSTRUCT or DESCRIBE query gives triples, not a table: "
            "use --format table (Turtle) or json (JSON-LD)"
        )
    data = serialize(results, format=_GRAPH_FORMATS[fmt], prefixes=PREFIX_IRIS) or b""
    return printable(data.decode("utf-8")).encode("utf-8") if fmt == "table" else data


def negotiate(
    accept: str, offered: Sequence[_Format], parse: Callable[[str], _Format | None]
) -> _Format:
    """The offered format the Accept header prefers (by q, then order), else the first offered."""
    ranges = []
    for position, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            ranges.append((-quality, position, media))
    for _, _, media in sorted(ranges):
        found = parse(media) if "*" not in media else None
        if found is not None and found in offered:
            return found
    return offered[0]


def encode(results: Results, accept: str) -> tuple[bytes, str]:
    """The body and Content-Type for `results` in the format `accept` asks for."""
    if isinstance(results, QuerySolutions | QueryBoolean):
        fmt = negotiate(accept, RESULT_FORMATS, QueryResultsFormat.from_media_type)
        return results.serialize(format=fmt) or b"", fmt.media_type
    rdf = negotiate(accept, GRAPH_FORMATS, RdfFormat.from_media_type)
    return serialize(results, format=rdf) or b"", rdf.media_type


def cell(term: Term | None, prefixes: Prefixes = DEFAULT_PREFIXES) -> str:
    """How one value reads in a table: prefixed IRIs, bare literals, one printable line, short."""
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return prefixes.compact(term.value)
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Triple):
        parts = (cell(part, prefixes) for part in (term.subject, term.predicate, term.object))
        return f"<< {' '.join(parts)} >>"
    text = printable(" ".join(term.value.split()))
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _is_number(term: Term | None) -> bool:
    return isinstance(term, RdfLiteral) and term.datatype.value in _NUMBERS


def table(solutions: QuerySolutions, prefixes: Prefixes = DEFAULT_PREFIXES) -> str:
    """An aligned text table with a header, numbers right-aligned, and a row count."""
    variables = solutions.variables
    names = [variable.value for variable in variables]
    rows = [[solution[variable] for variable in variables] for solution in solutions]
    cells = [[cell(term, prefixes) for term in row] for row in rows]
    right = [any(_is_number(row[i]) for row in rows) for i in range(len(names))]
    return text_table(names, cells, right)


def text_table(names: Sequence[str], cells: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """Columns aligned under `names`, those marked in `right` flush right, and a row count."""
    widths = [max([len(name), *(len(line[i]) for line in cells)]) for i, name in enumerate(names)]

    def line(values: Iterable[str]) -> str:
        parts = (
            value.rjust(width) if flush else value.ljust(width)
            for value, width, flush in zip(values, widths, right, strict=True)
        )
        return "  ".join(parts).rstrip()

    out = [line(names), line("-" * width for width in widths)]
    out.extend(line(values) for values in cells)
    out.append(f"{len(cells)} row{'' if len(cells) == 1 else 's'}")
    return "\n".join(out) + "\n"
