"""How many independent outlets back each claim, and the claims that enough of them back.

A claim is one statement an article's graph makes about the world: an
event's party, place, date or troop figure, a person's role, where a base
or town lies. Its support is the number of independent outlets whose
articles state it, counted so that one voice counts once:

- articles of one publisher are one outlet ("Reuters" twice is one voice);
- copies of one story (the same text, `Article.body_digest`) are one
  outlet, whichever sites ran them: a wire story syndicated by ten
  papers is still one report;
- an article whose publisher is unknown is an outlet of its own, unless it
  is a copy of a story another outlet ran.

Two named graphs hold the result, beside the per-article graphs:
`<base>graph/support` has one node per claim (`rdf:subject`,
`rdf:predicate`, `rdf:object`, `kg:supportCount`, and `kg:supportedBy` each
publisher named), and `<base>graph/consensus` holds the claims themselves,
as plain triples, when at least `minimum` outlets back them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from functools import partial

import pyoxigraph as ox
from rdflib.namespace import RDF

from kg.chunks import GraphChunk, graph_chunk, subjects_chunk
from kg.defaults import DEFAULT_CONSENSUS
from kg.graph import ArticleRecords, IriMinter, Said, claim_statements, kg
from kg.graphsource import GraphSource
from kg.records import Article

# What an article claims; the rest of its graph (types, labels, evidence, mentions)
# describes the claim or the text, and is no claim about the world.
CLAIM_PROPERTIES = frozenset(
    kg(name)
    for name in (
        "agent", "target", "participant", "location", "destination", "date",
        "troopsBefore", "troopsAfter", "troopCount", "hasRole", "locatedIn",
    )
)  # fmt: skip
_SUBJECT = ox.NamedNode(str(RDF.subject))
_PREDICATE = ox.NamedNode(str(RDF.predicate))
_OBJECT = ox.NamedNode(str(RDF.object))
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")

Claim = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


def outlets(articles: Iterable[Article]) -> dict[str, str]:
    """Each article's outlet (by source file), named by one of its articles' source files.

    Articles are joined when they share a publisher or a story; what is
    joined through a chain (a copy run by two publishers) is one outlet.
    """
    parent: dict[str, str] = {}

    def root(item: str) -> str:
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def join(a: str, b: str) -> None:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    first_of: dict[tuple[str, str], str] = {}
    for article in articles:
        parent.setdefault(article.source_file, article.source_file)
        voices = [("story", article.body_digest)] if article.body_digest else []
        if article.publisher:
            voices.append(("publisher", " ".join(article.publisher.casefold().split())))
        for voice in voices:
            join(article.source_file, first_of.setdefault(voice, article.source_file))
    return {source: root(source) for source in parent}


def support_chunks(
    records: Sequence[ArticleRecords], minter: IriMinter, minimum: int = DEFAULT_CONSENSUS
) -> tuple[GraphChunk, GraphChunk]:
    """The support graph and the consensus graph of the articles `records` come from, as
    the store loads them; the support graph made claim by claim (`subjects_chunk`)."""
    articles = [r.extraction.article for r in records]
    outlet_of = outlets(articles)
    publisher_of = {a.source_file: a.publisher for a in articles if a.publisher}
    stated_by: dict[Claim, set[str]] = {}
    for record in records:
        source = record.extraction.article.source_file
        for claim in claim_statements(record, minter):
            if claim[1] in CLAIM_PROPERTIES:
                stated_by.setdefault(claim, set()).add(source)

    def count(sources: set[str]) -> int:
        return len({outlet_of[source] for source in sources})

    def supported(claim: Claim, sources: set[str]) -> list[Said]:
        publishers = sorted({publisher_of[s] for s in sources if s in publisher_of})
        return [
            (_SUBJECT, claim[0]),
            (_PREDICATE, claim[1]),
            (_OBJECT, claim[2]),
            (kg("supportCount"), ox.Literal(str(count(sources)), datatype=_INTEGER)),
            *((kg("supportedBy"), ox.Literal(publisher)) for publisher in publishers),
        ]

    support, consensus = minter.support_graph(), minter.consensus_graph()
    nodes = (
        (minter.entity(f"claim/{_claim_digest(claim)}"), partial(supported, claim, sources))
        for claim, sources in stated_by.items()
    )
    backed = [ox.Quad(*claim, consensus) for claim, s in stated_by.items() if count(s) >= minimum]
    return subjects_chunk(support, nodes), graph_chunk(consensus, backed)


def _claim_digest(claim: Claim) -> str:
    """A stable id for a claim: the same statement gets the same node in every build."""
    text = " ".join(str(term) for term in claim)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_SUPPORT_QUERY = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o ?count WHERE {
  ?claim kg:supportCount ?count ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER(isIRI(?o))
}"""


def link_support(source: GraphSource) -> dict[tuple[str, str, str], int]:
    """How many outlets back each claim that links two nodes (subject, predicate, object
    IRIs): what the view's "reported by at least N outlets" filter reads."""
    found: dict[tuple[str, str, str], int] = {}
    for subject, predicate, obj, count in source.select(_SUPPORT_QUERY):
        if subject is not None and predicate is not None and obj is not None and count is not None:
            found[(subject.value, predicate.value, obj.value)] = int(count.value)
    return found
