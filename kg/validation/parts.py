"""The union cut into parts by subject, each statement checked in one part with what it reads.

The engine holds what it checks (with the text it reads, about 1.4 KB a
statement), so a union of millions of statements is checked in parts, and
no part may hold a hub's neighbourhood (a country named in most articles has
millions of mentions). The shapes are split in two (`kg.validation.split`):

- the checks of a class-checked value (an entity's mention is a
  `kg:Mention`) are made in the value's part, where its types are: a part's
  value file holds the class-checked statements whose value hashes to it
  (the focus node's, for a literal), the types of its own nodes, and, copied
  once from their parts, the types of those statements' focus nodes (their
  targets);
- every other check of a node is made in its own part: the statements of
  the subjects that hash to it (crc32 of the N-Triples term, modulo the
  number of parts), of a class-checked path only as many distinct values as
  a count reads (`Needs.witnesses`), and as many of the statements pointing
  at them by the predicate of an inverse path (`kg:actsFor`) from other parts.

Each part also holds every `rdfs:subClassOf` statement. A result of the
first kind belongs to its value's part, one of the second kind to its focus
node's: the parts together report exactly what one pass over the union
reports, each result once. A part holds its own nodes' statements (of a
class-checked path only those its counts read), the class-checked statements
naming its nodes as values, and the types of their focus nodes: a bounded
multiple of its share of the union, hubs or not, as long as no node is the
class-checked value of ever more statements (an article is named by its own
mentions, entities and events). At 10,000 synthetic articles in 28 parts the
largest part held 135,349 lines for its own checks (a share is 147,667
quads) and 82,015 for its values', where the part of the country named in
most articles had held 496,384 with copies of its mentions and their
articles; at 30,000 in 82 parts, 153,304 and 86,277 (1,141,935 before).

The statements come as N-Quads in pieces ending at a line end (the build's
chunk files); the engine reads N-Quads as the union of their graphs. Each
statement is read once into the part files; the focus nodes' types are
copied in one step, reading each part's value file once.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from zlib import crc32

import shacl

from kg.validation import engine
from kg.validation.needs import Needs
from kg.validation.report import Violation
from kg.validation.shapes import class_tree

# Quads of the union routed to each part. The engine and the part's text take about 1.4 KB
# a line; a part holds a bounded multiple of its share (see the module docstring).
PART_QUADS = 150_000
# Up to this many quads the union is checked in one pass, with no copies (about 1.2 GB).
ONE_PASS_QUADS = 1_000_000
# Bytes of lines held for the part files before they are written out.
_BUFFERED = 64 * 2**20

_SUBCLASS = b"<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
_TYPE = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
# What a statement's predicate asks for beyond its subject's part (flags).
_INVERSE, _TYPED, _TYPED_BACK, _TREE, _TYPES = 1, 2, 4, 8, 16


def part_count(quads: int, part_quads: int | None = None) -> int:
    """How many parts a union of `quads` quads is checked in: `part_quads` or fewer each;
    by default one up to `ONE_PASS_QUADS`, else `PART_QUADS` or fewer each."""
    if part_quads is None:
        part_quads = quads if quads <= ONE_PASS_QUADS else PART_QUADS
    return max(1, -(-quads // max(part_quads, 1)))


def check_in_parts(
    pieces: Iterable[bytes],
    needs: Needs,
    values_of: engine.ValuesOf,
    parts: int,
    folder: Path | None = None,
) -> tuple[list[Violation], int]:
    """Every result of checking the union of the N-Quads `pieces`, in `parts` parts; and how
    many quads they hold.

    The part files are written to a temporary folder in `folder` (the system's if None),
    removed when done: somewhat more than the N-Quads.

    Raises:
        ValueError: the statements hold a blank node (the engine renames them, so a result
            on one cannot be traced to its part; kg build writes none).
        kg.validation.needs.UnsupportedShape: a class check cannot be made in its value's part.
    """
    own_shapes, value_shapes = engine.split_compiled(needs.typed_values)
    with tempfile.TemporaryDirectory(prefix="newskg-validation-", dir=folder) as tmp:
        router = _Router(Path(tmp), parts, needs)
        for piece in pieces:
            router.route(piece)
        router.flush()
        router.copy_focus_types()
        tree = "".join(
            [*(line.decode("utf-8") + "\n" for line in sorted(router.subclass)), class_tree()]
        )
        violations: list[Violation] = []
        for part in range(parts):
            text = router.own_text(part) + tree
            results = engine.check_with_tree(text, "nquads", own_shapes)
            del text  # before the next text is made: each is tens of megabytes
            own = [r for r in results if _part_of(r.focus_node.encode("utf-8"), parts) == part]
            text = _read_bytes(router.path("v", part)).decode("utf-8") + tree
            results = engine.check_with_tree(text, "nquads", value_shapes)
            del text
            own += [r for r in results if _owner(r, parts) == part]
            violations += engine.violations(own, values_of)
        return violations, router.quads


def _part_of(term: bytes, parts: int) -> int:
    return crc32(term) % parts


def _owner(result: shacl.Result, parts: int) -> int:
    """The part a check of one class-checked value belongs to: its value's, if an IRI."""
    value = result.value
    node = value if value is not None and value.startswith("<") else result.focus_node
    return _part_of(node.encode("utf-8"), parts)


class _Router:
    """Writes each statement to the files of the parts that check what it says.

    Part k's files: `p<k>` its subjects' statements but those of class-checked paths,
    which are in `f<k>`; `i<k>` the statements pointing at its nodes by an inverse path's
    predicate; `v<k>` its value file (see the module docstring); `w<k>` the focus nodes of
    part k whose types other parts want, as lines `<node> <part>`.
    """

    def __init__(self, folder: Path, parts: int, needs: Needs) -> None:
        self.folder = folder
        self.parts = parts
        self.quads = 0
        self.subclass: set[bytes] = set()
        self._buffered = 0
        self._lines: dict[str, list[bytes]] = defaultdict(list)  # by file name
        kinds: dict[bytes, int] = defaultdict(int)
        kinds[_SUBCLASS] |= _TREE
        kinds[_TYPE] |= _TYPES
        for predicate, back in needs.typed_values:
            kinds[_iri(predicate)] |= _TYPED_BACK if back else _TYPED
        for predicate in needs.inverse:
            kinds[_iri(predicate)] |= _INVERSE
        self._kinds = dict(kinds)
        # How many distinct values of a class-checked or inverse path the own checks read
        # (None: every value).
        self._witnesses: dict[tuple[bytes, bool], int | None] = {
            (_iri(predicate), back): count for (predicate, back), count in needs.witnesses.items()
        }
        self._witnesses.update({(_iri(predicate), back): None for predicate, back in needs.full})
        self._own = [self._lines[f"p{k}"] for k in range(parts)]

    def path(self, kind: str, part: int) -> Path:
        return self.folder / f"{kind}{part}"

    def route(self, piece: bytes) -> None:
        """Route the N-Quads lines of `piece` (whole lines, each ending with a line end)."""
        if b"_:" in piece:
            _refuse_blank_nodes(piece)
        parts, kinds, last, part = self.parts, self._kinds, b"", 0
        for line in piece.split(b"\n"):
            if not line:
                continue
            end = line.find(b" ")
            subject = line[:end]
            if subject != last:
                last, part = subject, _part_of(subject, parts)
            kind = kinds.get(line[end + 1 : line.find(b" ", end + 1)], 0)
            if kind:
                self._route_read(line, subject, part, kind)
            else:
                self._own[part].append(line)
        self.quads += piece.count(b"\n")
        self._buffered += len(piece)
        if self._buffered >= _BUFFERED:
            self.flush()

    def _route_read(self, line: bytes, subject: bytes, part: int, kind: int) -> None:
        """Route a statement whose predicate the shapes read beyond its subject's part."""
        self._lines[f"f{part}" if kind & _TYPED else f"p{part}"].append(line)
        if kind & _TREE:
            self.subclass.add(line)
        if kind & _TYPES:
            self._lines[f"v{part}"].append(line)
        value = _object_iri(line)
        value_part = part if value is None else _part_of(value, self.parts)
        if kind & _INVERSE and value is not None and (value_part != part or kind & _TYPED):
            self._lines[f"i{value_part}"].append(line)  # (`f` holds only a subject's counts)
        if kind & _TYPED:  # checked in its value's part, with its subject's types
            self._lines[f"v{value_part}"].append(line)
            if value_part != part:
                self._lines[f"w{part}"].append(b"%s %d" % (subject, value_part))
        if kind & _TYPED_BACK and value is not None:  # its value is the subject, here
            self._lines[f"v{part}"].append(line)
            if value_part != part:
                self._lines[f"w{value_part}"].append(b"%s %d" % (value, part))

    def flush(self) -> None:
        for name, lines in self._lines.items():
            if lines:
                with (self.folder / name).open("ab") as out:
                    out.write(b"\n".join(lines) + b"\n")
                lines.clear()
        self._buffered = 0

    def copy_focus_types(self) -> None:
        """Copy into each part's value file the types of the focus nodes of its statements,
        each type once (an event told by hundreds of articles is typed in each one's graph,
        and the engine reads the union of the graphs)."""
        for part in range(self.parts):
            to: dict[bytes, set[int]] = defaultdict(set)
            for want in _read_lines(self.path("w", part)):
                node, wanting = want.rsplit(b" ", 1)
                to[node].add(int(wanting))
            if not to:
                continue
            types: dict[tuple[bytes, bytes], bytes] = {}
            for line in _lines_with(_read_bytes(self.path("v", part)), b" " + _TYPE + b" "):
                subject, predicate, rest = line.split(b" ", 2)
                if predicate == _TYPE and subject in to:
                    types.setdefault((subject, _object_text(rest)), line)
            for (subject, _), line in sorted(types.items()):
                for at in sorted(to[subject]):
                    self._lines[f"v{at}"].append(line)
            self.flush()

    def own_text(self, part: int) -> str:
        """Part `part`'s statements for the checks of its own nodes."""
        own = _read_bytes(self.path("p", part))
        kept = [
            *self._witnessed(self.path("f", part), back=False),
            *self._witnessed(self.path("i", part), back=True),
        ]
        return (own + b"".join(line + b"\n" for line in kept)).decode("utf-8")

    def _witnessed(self, path: Path, back: bool) -> Iterator[bytes]:
        """The statements of `path` the own checks read: per node and path, as many distinct
        values as the shapes count (all, for a path read whole; the node is the subject, or
        the object when `back`)."""
        values: dict[tuple[bytes, bytes], set[bytes]] = defaultdict(set)
        for line in _read_lines(path):
            subject, predicate, rest = line.split(b" ", 2)
            wanted = self._witnesses.get((predicate, back), 0)
            value = _object_text(rest)
            node, other = (value, subject) if back else (subject, value)
            seen = values[node, predicate]
            if other in seen or (wanted is not None and len(seen) >= wanted):
                continue
            seen.add(other)
            yield line


def _object_iri(line: bytes) -> bytes | None:
    """The object of an N-Quads line if it is an IRI (`<…>`; IRIs hold no spaces)."""
    after = line.find(b" ", line.find(b" ") + 1) + 1
    if line[after : after + 1] != b"<":
        return None
    return line[after : line.find(b">", after) + 1]


def _object_text(rest: bytes) -> bytes:
    """The object of an N-Quads line, from what follows its predicate: the graph, an IRI
    (no quote, no space), is the last word if there is one."""
    rest = rest.removesuffix(b" .")
    head, _, last = rest.rpartition(b" ")
    if head and last.startswith(b"<") and last.endswith(b">") and b'"' not in last:
        return head
    return rest


def _lines_with(data: bytes, needle: bytes) -> Iterator[bytes]:
    """The lines of `data` holding `needle` (found by the C search, not line by line)."""
    found = data.find(needle)
    while found >= 0:
        start = data.rfind(b"\n", 0, found) + 1
        end = data.find(b"\n", found)
        end = len(data) if end < 0 else end
        yield data[start:end]
        found = data.find(needle, end)


def _read_lines(path: Path) -> Iterator[bytes]:
    """The lines of a part's file, read a block at a time."""
    try:
        with path.open("rb") as lines:
            for line in lines:
                yield line.rstrip(b"\n")
    except FileNotFoundError:
        return


def _read_bytes(path: Path) -> bytes:
    """A part's file, empty when nothing was written to it."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return b""


def _iri(iri: str) -> bytes:
    return f"<{iri}>".encode()


_BLANK = re.compile(rb"^(?:_:|\S+ \S+ _:)", re.MULTILINE)


def _refuse_blank_nodes(piece: bytes) -> None:
    """Blank nodes cannot be traced through the engine (it renames them)."""
    found = _BLANK.search(piece)
    if found is not None:
        line = piece[found.start() : piece.find(b"\n", found.start())].decode("utf-8", "replace")
        raise ValueError(
            f"the union cannot be checked in parts with blank nodes ({line}): the engine renames "
            "them (kg build writes none; validate_graph checks a graph with blank nodes whole)"
        )
