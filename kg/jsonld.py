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
from typing import Any, TextIO

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


def write_document(nodes: Iterable[str], out: TextIO) -> None:
    """Write one JSON-LD document whose `@graph` holds `nodes` (each `node_text`)."""
    context = json.dumps(JSONLD_CONTEXT, indent=2, sort_keys=True, ensure_ascii=False)
    out.write('{\n  "@context": ' + context.replace("\n", "\n  ") + ',\n  "@graph": [')
    first = True
    for node in nodes:
        out.write(("\n    " if first else ",\n    ") + node)
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def node_text(triples: Iterable[ox.Triple]) -> str:
    """The node object of one subject's triples, as it stands in the document."""
    group = iter(triples)
    first = next(group)
    if isinstance(first.subject, ox.Triple):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {first.subject}")
    return _indented(_node(first.subject, chain([first], group)), "    ")


def _node(subject: ox.NamedNode | ox.BlankNode, triples: Iterable[ox.Triple]) -> dict[str, Any]:
    """One node object; a key's values sorted, a lone value written bare."""
    properties: dict[str, list[Any]] = {}
    for triple in triples:
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            properties.setdefault("@type", []).append(_compact(triple.object.value))
        else:
            key = _compact(triple.predicate.value)
            properties.setdefault(key, []).append(_value(triple.object))
    node: dict[str, Any] = {"@id": _node_id(subject)}
    for key, values in properties.items():
        node[key] = values[0] if len(values) == 1 else sorted(values, key=_value_order)
    return node


def _value_order(value: str | dict[str, str]) -> tuple[str, ...]:
    """Plain strings first, in order, then node references and typed values by their keys."""
    if isinstance(value, str):
        return ("", value)
    return ("{", *(part for item in sorted(value.items()) for part in item))


def _indented(value: Any, pad: str) -> str:
    """`json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)` for the strings,
    lists and objects of a node, with `pad` before every line but the first: the
    standard library's encoder is pure Python once it indents, and three times slower."""
    if isinstance(value, str):
        return _quoted(value)
    inner = pad + "  "
    if isinstance(value, dict):
        items = [f"{inner}{_quoted(key)}: {_indented(value[key], inner)}" for key in sorted(value)]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + _indented(item, inner) for item in value) + "\n" + pad + "]"


# 'https://w3id.org/newskg/ontology#agent' → 'kg:agent' for the context's prefixes; keys and
# types repeat on every node, so each is compacted once.
_compact = functools.lru_cache(maxsize=1 << 12)(Prefixes(JSONLD_CONTEXT).compact)


def _value(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Any:
    """A JSON-LD value in compacted form ('text', {"@id": …}, {"@value": …, "@type": …})."""
    if isinstance(term, ox.Literal):
        if term.language:
            return {"@language": term.language, "@value": term.value}
        if term.datatype.value != XSD_STRING:
            return {"@type": _compact(term.datatype.value), "@value": term.value}
        return term.value
    if isinstance(term, ox.Triple):
        raise TypeError(f"quoted triples are not part of newskg's graphs: {term}")
    return {"@id": _node_id(term)}


def _node_id(term: ox.NamedNode | ox.BlankNode) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value
