"""The union cut into parts by subject, each node checked once with everything its shapes read.

The engine holds what it checks (with the text it reads, about 1.4 KB a
statement), so a union of millions of statements is checked in parts. A part holds the statements of
the subjects that hash to it (crc32 of the N-Triples term, modulo the number
of parts), the statements pointing at them by the predicate of an inverse
path (`kg:actsFor`), every `rdfs:subClassOf` statement, and, copied from
their own parts, the nodes that its nodes' class-checked values lead to (an
entity's mentions and articles; `kg.validation.needs`), each described as
its own part holds it, and so on along their class-checked values.

A result belongs to the part of its focus node, where the engine saw all
that its shapes read: the parts together report exactly what one pass over
the union reports, each result once, however many graphs a node is
described in (an entity named in a thousand articles is read in its own
part, not once per article). A copied node is described whole, so that the
engine finds nothing wrong with it that it would not find in its own part:
checking a node the engine is handed only the type of costs a result per
constraint it then fails, and the engine's results cost far more than its
statements.

The statements come as N-Quads in pieces ending at a line end (the build's
chunk files); the engine reads N-Quads as the union of their graphs. Each
statement is read once into a part file; the copies are made by reading the
parts that hold what is wanted, once per step along the class-checked
values (an entity's mention, then the mention's article).

What the copies cost: at 10,000 synthetic articles in 28 parts, 60% more
lines than the union (mostly the mentions of entities, five lines each).
Two kinds grow faster than the union: a node is checked with every value it
class-checks, so the part of a country named in most articles holds all its
mentions; and an article is copied into every part that names it, so the
articles' copies grow with articles × parts.
"""

from __future__ import annotations

import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from zlib import crc32

from kg.validation import engine
from kg.validation.needs import Needs
from kg.validation.report import Violation
from kg.validation.shapes import class_tree

# Quads of the union routed to each part. The engine and the part's text take about 1.4 KB
# a line; a part also holds its copies, most in the part of a country named everywhere. At
# 10,000 synthetic articles validation peaked at 0.52 GB with parts of 150,000 quads (0.50
# million lines in the country's part), 0.70 with 300,000 (0.69), 1.8 with a million, for the
# same CPU time; but the articles' copies grow with articles × parts.
PART_QUADS = 150_000
# Up to this many quads the union is checked in one pass, with no copies (about 1.2 GB).
ONE_PASS_QUADS = 1_000_000
# Bytes of lines held for the part files before they are written out.
_BUFFERED = 64 * 2**20

_SUBCLASS = b"<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
# What a statement's predicate asks for beyond its subject's part (flags).
_INVERSE, _TYPED, _TYPED_BACK, _TREE = 1, 2, 4, 8


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
    """
    with tempfile.TemporaryDirectory(prefix="newskg-validation-", dir=folder) as tmp:
        router = _Router(Path(tmp), parts, needs)
        for piece in pieces:
            router.route(piece)
        router.flush()
        router.copy_wanted()
        router.add_class_tree()
        violations: list[Violation] = []
        for part in range(parts):
            text = _read_bytes(router.part_path(part)).decode("utf-8")
            results = engine.check_with_tree(text, "nquads")
            del text  # before the next part's is read: each is a few hundred megabytes
            own = [r for r in results if _part_of(r.focus_node.encode("utf-8"), parts) == part]
            violations += engine.violations(own, values_of)
        return violations, router.quads


def _part_of(term: bytes, parts: int) -> int:
    return crc32(term) % parts


class _Router:
    """Writes each statement to its subject's part, then copies into each part what it wants.

    Part k's statements are in `p<k>.nq`; `w<k>.<step>` lists the nodes of part k that
    other parts want at that step, as lines `<node> <part>`.
    """

    def __init__(self, folder: Path, parts: int, needs: Needs) -> None:
        self.folder = folder
        self.parts = parts
        self.quads = 0
        self._step = 0
        self._buffered = 0
        self._lines: dict[str, list[bytes]] = defaultdict(list)  # by file name
        self._part_lines = [self._lines[self.part_path(k).name] for k in range(parts)]
        self._subclass: set[bytes] = set()
        kinds: dict[bytes, int] = defaultdict(int)
        kinds[_SUBCLASS] |= _TREE
        for predicate, back in needs.typed_values:
            kinds[_iri(predicate)] |= _TYPED_BACK if back else _TYPED
        for predicate in needs.inverse:
            kinds[_iri(predicate)] |= _INVERSE
        self._kinds = dict(kinds)
        self._inverse = sorted(_iri(p) for p in needs.inverse)

    def part_path(self, part: int) -> Path:
        return self.folder / f"p{part}.nq"

    def _wants_name(self, part: int, step: int) -> str:
        return f"w{part}.{step}"

    def route(self, piece: bytes) -> None:
        """Route the N-Quads lines of `piece` (whole lines, each ending with a line end)."""
        if b"_:" in piece:
            _refuse_blank_nodes(piece)
        parts, kinds, last, part, lines = self.parts, self._kinds, b"", 0, self._part_lines[0]
        for line in piece.split(b"\n"):
            if not line:
                continue
            end = line.find(b" ")
            subject = line[:end]
            if subject != last:
                last, part = subject, _part_of(subject, parts)
                lines = self._part_lines[part]
            lines.append(line)
            if kind := kinds.get(line[end + 1 : line.find(b" ", end + 1)]):
                self._note(line, part, kind, 0)
        self.quads += piece.count(b"\n")
        self._buffered += len(piece)
        if self._buffered >= _BUFFERED:
            self.flush()

    def _note(self, line: bytes, at: int, kind: int, step: int) -> None:
        """What a statement (now in part `at`) whose predicate the shapes read further asks of
        other parts: at step 0 a statement is in its subject's part, later a copy is in the
        part its copied node is checked in."""
        end = line.find(b" ")
        if kind & _TREE:
            self._subclass.add(line)
        value = _object_iri(line)
        if value is None:
            return  # a literal: no types, points at nothing
        value_part = _part_of(value, self.parts)
        if kind & _INVERSE and step == 0 and value_part != at:  # to the node pointed at
            self._part_lines[value_part].append(line)
        if kind & _TYPED and value_part != at:  # the value, to where its subject is checked
            self._lines[self._wants_name(value_part, step)].append(b"%s %d" % (value, at))
        if kind & _TYPED_BACK:  # the subject, to where the value is checked
            subject, checked = line[:end], value_part if step == 0 else at
            subject_part = _part_of(subject, self.parts)
            if subject_part != checked:
                self._lines[self._wants_name(subject_part, step)].append(
                    b"%s %d" % (subject, checked)
                )

    def flush(self) -> None:
        for name, lines in self._lines.items():
            if lines:
                with (self.folder / name).open("ab") as out:
                    out.write(b"\n".join(lines) + b"\n")
                lines.clear()
        self._buffered = 0

    def copy_wanted(self) -> None:
        """Copy into each part the nodes of other parts its class-checked values lead to,
        each described whole, step by step along their own class-checked values."""
        while any(self.folder.glob(f"w*.{self._step}")):
            self._step += 1
            for part in range(self.parts):
                self._copy_from(part)

    def _copy_from(self, part: int) -> None:
        """Copy the nodes of `part` wanted at the last step into the parts that want them
        and have not had them at an earlier step; note what the copies want in turn."""
        step = self._step - 1
        wanted = set(_read_lines(self.folder / self._wants_name(part, step)))
        for earlier in range(step):
            wanted -= set(_read_lines(self.folder / self._wants_name(part, earlier)))
        if not wanted:
            return
        to: dict[bytes, list[int]] = defaultdict(list)
        for want in wanted:  # in any order: the engine reads a graph, not a sequence
            node, wanting = want.rsplit(b" ", 1)
            to[node].append(int(wanting))
        data = _read_bytes(self.part_path(part))
        described: dict[bytes, list[bytes]] = defaultdict(list)
        for line in data.split(b"\n"):
            subject = line[: line.find(b" ")]
            if subject in to:
                described[subject].append(line)
        for predicate in self._inverse:  # what points at a wanted node
            for line in _lines_with(data, b" " + predicate + b" "):
                if self._kind(line) & _INVERSE and (value := _object_iri(line)) in to:
                    described[value].append(line)  # (not a literal that holds the predicate)
        for node, wanting_parts in to.items():
            for at in wanting_parts:
                self._part_lines[at].extend(described[node])
                for line in described[node]:
                    if kind := self._kind(line):
                        self._note(line, at, kind, self._step)
        self.flush()

    def _kind(self, line: bytes) -> int:
        end = line.find(b" ")
        return self._kinds.get(line[end + 1 : line.find(b" ", end + 1)], 0)

    def add_class_tree(self) -> None:
        """Every `rdfs:subClassOf` statement, the store's and the ontology's, to every part."""
        tree = [*sorted(self._subclass), *class_tree().encode("utf-8").splitlines()]
        for lines in self._part_lines:
            lines += tree
        self.flush()


def _object_iri(line: bytes) -> bytes | None:
    """The object of an N-Quads line if it is an IRI (`<…>`; IRIs hold no spaces)."""
    after = line.find(b" ", line.find(b" ") + 1) + 1
    if line[after : after + 1] != b"<":
        return None
    return line[after : line.find(b">", after) + 1]


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
    return (line for line in _read_bytes(path).split(b"\n") if line)


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
