"""GraphML of the view's projection, for Gephi, Cytoscape and networkx, written as a stream.

Written node by node straight from the projection's strings: networkx would
hold a second copy of an archive's projection (gigabytes at 100,000
articles) only to write it. The layout is networkx's own (`read_graphml`
reads it back): keys d0–d6, then nodes in IRI order, then edges `e0`, `e1`…
in the projection's order.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, BinaryIO
from xml.sax.saxutils import escape, quoteattr

from kg.namespaces import local_name

if TYPE_CHECKING:
    from kg.projection import Projection

NODE_KEYS = ("label", "kind", "aliases", "same_as", "iri")  # d0–d4
EDGE_KEYS = ("label", "predicate")  # d5–d6
_HEADER = (
    "<?xml version='1.0' encoding='utf-8'?>\n"
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
)
# What XML 1.0 cannot hold even escaped: C0 controls but tab and line ends (BEL or ESC
# in a scraped headline), lone surrogates, U+FFFE/U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BATCH = 1 << 16  # characters gathered before each write


def xml_text(value: str | Iterable[str]) -> str:
    """A value as GraphML holds it: lists become "a; b", and nothing XML cannot hold."""
    text = value if isinstance(value, str) else "; ".join(value)
    return _NOT_XML.sub("", text)


def _keys() -> list[str]:
    declared = [("node", name) for name in NODE_KEYS] + [("edge", name) for name in EDGE_KEYS]
    return [
        f'<key id="d{number}" for="{kind}" attr.name="{name}" attr.type="string"/>\n'
        for number, (kind, name) in reversed(list(enumerate(declared)))
    ]


# What `escape` or `quoteattr` would change, or `xml_text` drop: text without any is
# written as it is (most labels and every IRI), which halves the time of a large file.
_PLAIN_TEXT = re.compile("[^&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")
_PLAIN_ATTRIBUTE = re.compile("[^&<>\"'\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]*")


def _text(value: str | Iterable[str]) -> str:
    text = value if isinstance(value, str) else "; ".join(value)
    return text if _PLAIN_TEXT.fullmatch(text) else escape(xml_text(text))


def _attribute(value: str) -> str:
    return f'"{value}"' if _PLAIN_ATTRIBUTE.fullmatch(value) else quoteattr(xml_text(value))


def _data(first_key: int, values: Iterable[str | Iterable[str]]) -> str:
    return "".join(
        f'  <data key="d{first_key + number}">{_text(value)}</data>\n'
        for number, value in enumerate(values)
    )


def write_graphml(projection: Projection, out: BinaryIO) -> None:
    """Write `projection` to `out` as GraphML (UTF-8), a batch of nodes or edges at a time."""
    parts: list[str] = [_HEADER, *_keys(), '<graph edgedefault="directed">']
    size = 0

    def emit(text: str) -> None:
        nonlocal size
        parts.append(text)
        size += len(text)
        if size >= _BATCH:
            out.write("".join(parts).encode("utf-8"))
            parts.clear()
            size = 0

    for node in projection.nodes.values():
        values = (node.label, node.kind, node.aliases, node.same_as, node.iri)
        emit(f"<node id={_attribute(node.iri)}>\n{_data(0, values)}</node>\n")
    properties: dict[str, str] = {}  # the data of each property, written once
    for number, (source, predicate, target) in enumerate(projection.edges):
        data = properties.get(predicate)
        if data is None:
            data = properties[predicate] = _data(len(NODE_KEYS), (local_name(predicate), predicate))
        ends = f"source={_attribute(source)} target={_attribute(target)}"
        emit(f'<edge {ends} id="e{number}">\n{data}</edge>\n')
    emit("</graph></graphml>")
    out.write("".join(parts).encode("utf-8"))


def graphml(projection: Projection) -> bytes:
    """The GraphML of `projection` as bytes (see `write_graphml`)."""
    buffer = io.BytesIO()
    write_graphml(projection, buffer)
    return buffer.getvalue()
