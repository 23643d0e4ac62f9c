"""The newskg shapes and the ontology's class tree, read once per process.

The shapes are `ontology/shapes.ttl`. `sh:targetClass kg:Event` and
`sh:class kg:Article` reach subclasses through `rdfs:subClassOf` triples in the
data graph (SHACL's own definition of a class instance), so the ontology's
class tree is handed to the engine with the data; no inference is run (see the
note at the top of shapes.ttl).
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from kg.resources import ontology_dir

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "newskg.ttl"


@cache
def shapes_graph() -> Graph:
    """The shapes graph (rdflib), for what the engine does not say: labels and messages."""
    return Graph().parse(ontology_dir() / SHAPES_FILE, format="turtle")


@cache
def class_tree() -> str:
    """The ontology's `rdfs:subClassOf` triples as N-Triples, mixed into every data graph."""
    ontology = Graph().parse(ontology_dir() / ONTOLOGY_FILE, format="turtle")
    tree = Graph(bind_namespaces="none")
    for triple in ontology.triples((None, RDFS.subClassOf, None)):
        tree.add(triple)
    return tree.serialize(format="nt")


@cache
def shape_label(shape: Node) -> str | None:
    """The shape's rdfs:label (its smallest, for a deterministic report), or None."""
    labels = sorted(str(label) for label in shapes_graph().objects(shape, RDFS.label))  # type: ignore[arg-type]
    return labels[0] if labels else None


@cache
def shape_message(shape: Node) -> str | None:
    """The shape's sh:message (its smallest), or None when it declares none."""
    messages = sorted(str(m) for m in shapes_graph().objects(shape, SH.message))  # type: ignore[arg-type]
    return messages[0] if messages else None
