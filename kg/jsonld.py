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
    properties: dict[str, list[_Value]] = {"@id": [(("",), _quoted(_node_id(subject)))]}
    for triple in chain([first], group):
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            kind = _compact(triple.object.value)
            properties.setdefault("@type", []).append((("", kind), _quoted(kind)))
        else:
            key = _compact(triple.predicate.value)
            properties.setdefault(key, []).append(_value(triple.object))
    members = []
    for key in sorted(properties):
        values = properties[key]
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
            return ("{", "@language", term.language, "@value", value), (
                f'"@language": {_quoted(term.language)}',
                f'"@value": {_quoted(value)}',
            )
        if term.datatype.value != XSD_STRING:
            kind = _compact(term.datatype.value)
            return ("{", "@type", kind, "@value", value), (
                f'"@type": {_quoted(kind)}',
                f'"@value": {_quoted(value)}',
            )
        return ("", value), _quoted(value)
    if isinstance(term, ox.Triple):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {term}")
    node = _node_id(term)
    return ("{", "@id", node), (f'"@id": {_quoted(node)}',)


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
