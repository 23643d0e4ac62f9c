"""JSON-LD as newskg writes it: a compact `@context` of prefixes, one node object per subject.

Written here rather than by a JSON-LD library, which is slow on large
graphs: with a context of prefixes only, compaction is a rename of IRIs.
The triples come sorted by subject, so a node's triples arrive together and
a file of any size is written one node at a time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from itertools import chain, groupby
from json.encoder import encode_basestring as _quoted
from typing import TextIO

import pyoxigraph as ox

from kg.namespaces import PREFIX_IRIS, Prefixes

# The `@context`: keys and types read "kg:agent", "rdfs:label", "xsd:date".
JSONLD_PREFIXES = ("kg", "schema", "prov", "skos", "rdfs", "owl", "xsd")
JSONLD_CONTEXT: dict[str, str] = {prefix: PREFIX_IRIS[prefix] for prefix in JSONLD_PREFIXES}
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE_WRITTEN = f"<{RDF_TYPE}>"


def write_jsonld(triples: Iterable[ox.Triple], out: TextIO) -> None:
    """Write `triples`, sorted by subject, as one JSON-LD document with `@graph`."""
    nodes = (node_text(group) for _, group in groupby(triples, key=lambda t: t.subject))
    write_document(nodes, out)


_CONTEXT_TEXT = json.dumps(JSONLD_CONTEXT, indent=2, sort_keys=True, ensure_ascii=False)
# A document: its head, each node after FIRST_NODE or BETWEEN_NODES, then END (EMPTY_END
# when there is no node).
DOCUMENT_HEAD = '{\n  "@context": ' + _CONTEXT_TEXT.replace("\n", "\n  ") + ',\n  "@graph": ['
FIRST_NODE, BETWEEN_NODES = "\n    ", ",\n    "
END, EMPTY_END = "\n  ]\n}\n", "]\n}\n"


def write_document(nodes: Iterable[str], out: TextIO) -> None:
    """Write one JSON-LD document whose `@graph` holds `nodes` (each `node_text`)."""
    out.write(DOCUMENT_HEAD)
    first = True
    for node in nodes:
        out.write((FIRST_NODE if first else BETWEEN_NODES) + node)
        first = False
    out.write(EMPTY_END if first else END)


def node_text(triples: Iterable[ox.Triple]) -> str:
    """The node object of one subject's triples, as it stands in the document.

    Written as `json.dumps(node, indent=2, sort_keys=True, ensure_ascii=False)`
    would write it (with four more spaces before every line but the first),
    straight from the triples: the standard library's encoder is pure Python
    once it indents, and a node's shape is known (strings, value objects of
    strings, lists of those). A key's values are sorted, a lone value written bare.
    """
    group = iter(triples)
    first = next(group)
    subject = first.subject
    if isinstance(subject, ox.Triple):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {subject}")
    properties = _Properties(_node_id(subject))
    for triple in chain([first], group):
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            properties.add_type(triple.object.value)
        else:
            properties.add(triple.predicate.value, _value(triple.object))
    return properties.text()


def node_text_of_lines(lines: bytes) -> str:
    """`node_text` of one subject's N-Triples lines as Oxigraph writes them, read here.

    A line is `subject predicate object .`, where neither subject nor
    predicate holds a space, and a literal's quoted form escapes the
    characters JSON escapes, the same way (`"`, backslash, line ends,
    other control characters as `\\u`): without a backslash it is its JSON
    text as it stands. Reading the lines here rather than parsing them into
    terms halves the time of the JSON-LD file.
    """
    properties = None
    for line in lines.decode("utf-8").split("\n")[:-1]:  # (a literal may hold U+2028)
        subject, predicate, rest = line.split(" ", 2)
        if properties is None:
            properties = _Properties(_written_node_id(subject))
        term = rest[:-2]  # without " ."
        if predicate == _RDF_TYPE_WRITTEN and term.startswith("<"):
            properties.add_type(term[1:-1])
        else:
            properties.add(predicate[1:-1], _written_value(term))
    if properties is None:
        raise ValueError("no triple to write a node of")
    return properties.text()


class _Properties:
    """A node's keys and their values, gathered from its triples, and its text."""

    def __init__(self, node_id: str) -> None:
        self.values: dict[str, list[_Value]] = {"@id": [(("",), _quoted(node_id))]}

    def add_type(self, iri: str) -> None:
        kind = _compact(iri)
        self.values.setdefault("@type", []).append((("", kind), _quoted(kind)))

    def add(self, predicate: str, value: _Value) -> None:
        self.values.setdefault(_compact(predicate), []).append(value)

    def text(self) -> str:
        members = []
        for key in sorted(self.values):
            values = self.values[key]
            if len(values) == 1:
                text = _text(values[0][1], _MEMBER_PAD)
            else:
                items = ",\n".join(
                    _ITEM_PAD + _text(value, _ITEM_PAD) for _, value in sorted(values, key=_order)
                )
                text = f"[\n{items}\n{_MEMBER_PAD}]"
            members.append(f"{_MEMBER_PAD}{_quoted(key)}: {text}")
        return "{\n" + ",\n".join(members) + "\n" + _NODE_PAD + "}"


# A value: its place among its key's values (plain strings first, in order, then value
# objects by their members), and its text: a quoted string, or a value object's members.
_Value = tuple[tuple[str, ...], str | tuple[str, ...]]
_NODE_PAD = "    "  # a node object stands in the `@graph` list
_MEMBER_PAD = _NODE_PAD + "  "
_ITEM_PAD = _MEMBER_PAD + "  "


def _order(value: _Value) -> tuple[str, ...]:
    return value[0]


def _text(value: str | tuple[str, ...], pad: str) -> str:
    """A value's text at `pad`: the string, or the value object's members a level deeper."""
    if isinstance(value, str):
        return value
    inner = pad + "  "
    return "{\n" + ",\n".join(inner + member for member in value) + "\n" + pad + "}"


# 'https://w3id.org/newskg/ontology#agent' → 'kg:agent' for the context's prefixes; keys and
# types repeat on every node, so each is compacted once.
_compact = functools.lru_cache(maxsize=1 << 12)(Prefixes(JSONLD_CONTEXT).compact)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> _Value:
    """A JSON-LD value in compacted form ('text', {"@id": …}, {"@value": …, "@type": …})."""
    if isinstance(term, ox.Literal):
        value = term.value
        if term.language:
            return _tagged(value, _quoted(value), term.language)
        return _typed(value, _quoted(value), term.datatype.value)
    if isinstance(term, ox.Triple):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {term}")
    return _reference(_node_id(term))


def _written_value(term: str) -> _Value:
    """`_value` of a term as N-Triples writes it: <iri>, _:label or a quoted literal with its
    language (@en) or datatype (^^<iri>)."""
    if term.startswith("<<"):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {term}")
    if term.startswith("<"):
        return _reference(term[1:-1])
    if term.startswith("_:"):
        return _reference(term)
    end = term.rindex('"')
    quoted, suffix = term[: end + 1], term[end + 1 :]
    if "\\" in quoted:  # escaped: read, then written as JSON escapes it
        value = json.loads(quoted)
        quoted = _quoted(value)
    else:
        value = quoted[1:-1]
    if suffix.startswith("@"):
        return _tagged(value, quoted, suffix[1:])
    return _typed(value, quoted, suffix[3:-1] if suffix else XSD_STRING)


def _tagged(value: str, quoted: str, language: str) -> _Value:
    return ("{", "@language", language, "@value", value), (
        f'"@language": {_quoted(language)}',
        f'"@value": {quoted}',
    )


def _typed(value: str, quoted: str, datatype: str) -> _Value:
    if datatype == XSD_STRING:
        return ("", value), quoted
    kind = _compact(datatype)
    return ("{", "@type", kind, "@value", value), (
        f'"@type": {_quoted(kind)}',
        f'"@value": {quoted}',
    )


def _reference(node: str) -> _Value:
    return ("{", "@id", node), (f'"@id": {_quoted(node)}',)


def _written_node_id(term: str) -> str:
    return term if term.startswith("_:") else term[1:-1]


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
