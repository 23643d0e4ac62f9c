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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from kg.chunks import GraphChunk, graph_chunk, subjects_chunk
from kg.graph import ArticleRecords, IriMinter, Said, claim_statements, kg
from kg.graphsource import GraphSource
from kg.memo import keep_pickled, kept_pickled
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


ClaimText = tuple[str, str, str]  # a claim's terms as N-Triples writes them
Backing = tuple[int, tuple[str, ...]]  # the outlets behind a claim, and the publishers named


@dataclass(frozen=True)
class Tally:
    """What every article claims, and what backs each claim: all the support and consensus
    graphs say. A rebuild keeps it (`keep_tally`) to tell the claims whose backing changed."""

    claims_of: dict[str, tuple[str, tuple[ClaimText, ...]]]  # source → (its records' digest,
    backing: dict[ClaimText, Backing]  # its claims); claim → what backs it


def tally(
    records: Sequence[ArticleRecords],
    minter: IriMinter,
    *,
    digests: Mapping[str, str] | None = None,
    kept: Tally | None = None,
) -> tuple[Tally, dict[ClaimText, Claim]]:
    """The tally of the articles `records` come from, and the terms of the claims read now.

    An article whose records have the digest (`digests`, by source file) that
    `kept` notes claims what it claimed then: its claims are not made again.
    """
    articles = [r.extraction.article for r in records]
    outlet_of = outlets(articles)
    publisher_of = {a.source_file: a.publisher for a in articles if a.publisher}
    claims_of: dict[str, tuple[str, tuple[ClaimText, ...]]] = {}
    terms: dict[ClaimText, Claim] = {}
    stated_by: dict[ClaimText, set[str]] = {}
    texts: dict[str, str] = {}  # each term's text, held once however many claims name it
    for record in records:
        source = record.extraction.article.source_file
        digest = (digests or {}).get(source, "")
        known = kept.claims_of.get(source) if kept is not None and digest else None
        if known is not None and known[0] == digest:
            claims = known[1]
        else:
            made = {}
            for claim in claim_statements(record, minter):
                if claim[1] in CLAIM_PROPERTIES:
                    made[_claim_text(claim, texts)] = claim  # type: ignore[assignment]
            terms.update(made)
            claims = tuple(made)
        claims_of[source] = (digest, claims)
        for text in claims:
            stated_by.setdefault(text, set()).add(source)
    backing = {
        text: (
            len({outlet_of[source] for source in sources}),
            tuple(sorted({publisher_of[s] for s in sources if s in publisher_of})),
        )
        for text, sources in stated_by.items()
    }
    return Tally(claims_of, backing), terms


def _claim_text(claim: Claim, texts: dict[str, str]) -> ClaimText:
    """`claim`'s text, its terms' strings shared with the claims that name the same terms: a
    hub country or a popular event is in a large share of an archive's claims, which would
    otherwise each hold a copy (and the tally is kept, pickled, for the next build)."""
    subject, predicate, obj = (str(term) for term in claim)
    return (
        texts.setdefault(subject, subject),
        texts.setdefault(predicate, predicate),
        texts.setdefault(obj, obj),
    )


def support_chunks(
    counted: Tally,
    terms: Mapping[ClaimText, Claim],
    minter: IriMinter,
    minimum: int,
    folder: Path | None = None,
) -> tuple[GraphChunk, GraphChunk]:
    """The support and consensus graphs of a tally whose claims' terms are all in `terms`,
    as the store loads them; the support graph made claim by claim (`subjects_chunk`), so
    that its quads (millions at 100,000 articles) are never all held at once, and written
    as made to a file in `folder` when given."""
    support, consensus = minter.support_graph(), minter.consensus_graph()
    nodes = (
        (_claim_node(terms[text], minter), partial(_support_said, terms[text], backing))
        for text, backing in counted.backing.items()
    )
    backed = [
        ox.Quad(*terms[text], consensus)
        for text, backing in counted.backing.items()
        if backing[0] >= minimum
    ]
    return subjects_chunk(support, nodes, folder), graph_chunk(consensus, backed)


def support_changes(
    before: Tally, after: Tally, terms: Mapping[ClaimText, Claim], minter: IriMinter, minimum: int
) -> tuple[tuple[list[ox.Quad], list[ox.Quad]], tuple[list[ox.Quad], list[ox.Quad]]]:
    """The quads that leave and arrive in the support graph, then in the consensus graph,
    from the graphs of tally `before` to those of `after`: those of the claims whose
    backing changed. A claim's terms not in `terms` are read from its text."""
    support, consensus = minter.support_graph(), minter.consensus_graph()
    changes: tuple[tuple[list[ox.Quad], list[ox.Quad]], ...] = (([], []), ([], []))
    for text in before.backing.keys() | after.backing.keys():
        old, new = before.backing.get(text), after.backing.get(text)
        if old == new:
            continue
        claim = terms.get(text) or _claim(text)
        for backing, (support_side, consensus_side) in (
            (old, (changes[0][0], changes[1][0])),
            (new, (changes[0][1], changes[1][1])),
        ):
            if backing is not None:
                support_side += _support_quads(claim, backing, minter, support)
                if backing[0] >= minimum:
                    consensus_side.append(ox.Quad(*claim, consensus))
    return changes[0], changes[1]


def _support_quads(
    claim: Claim, backing: Backing, minter: IriMinter, support: ox.NamedNode
) -> list[ox.Quad]:
    node = _claim_node(claim, minter)
    return [ox.Quad(node, p, o, support) for p, o in _support_said(claim, backing)]


def _support_said(claim: Claim, backing: Backing) -> list[Said]:
    """What the support graph says of `claim`'s node: its terms and what backs it."""
    count, publishers = backing
    return [
        (_SUBJECT, claim[0]),
        (_PREDICATE, claim[1]),
        (_OBJECT, claim[2]),
        (kg("supportCount"), ox.Literal(str(count), datatype=_INTEGER)),
        *((kg("supportedBy"), ox.Literal(p)) for p in publishers),
    ]


def _claim_node(claim: Claim, minter: IriMinter) -> ox.NamedNode:
    return minter.entity(f"claim/{_claim_digest(claim)}")


def _claim(text: ClaimText) -> Claim:
    """A claim's terms, read from their N-Triples."""
    (triple,) = ox.parse(" ".join(text) + " .\n", format=ox.RdfFormat.N_TRIPLES)
    return (triple.subject, triple.predicate, triple.object)  # type: ignore[union-attr,return-value]


def _claim_digest(claim: Claim) -> str:
    """A stable id for a claim: the same statement gets the same node in every build."""
    text = " ".join(str(term) for term in claim)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def keep_tally(path: Path, recipe: str, counted: Tally, graphs: tuple[str, str]) -> None:
    """Keep `counted` at `path`, with the recipe and the digests of the support and consensus
    graphs (`graphs`) made of it, for the next build's `kept_tally`."""
    keep_pickled(path, (recipe, graphs), counted)


def kept_tally(path: Path, recipe: str, graphs: tuple[str | None, str | None]) -> Tally | None:
    """The tally kept at `path` by the same `recipe`, if the support and consensus graphs made
    of it are those of digests `graphs` and it is whole; else None."""
    counted = kept_pickled(path, (recipe, graphs))
    return counted if isinstance(counted, Tally) else None


_SUPPORT_QUERY = """
PREFIX kg: <https://w3id.org/newskg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?s ?p ?o ?count WHERE {
  ?claim kg:supportCount ?count ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
  FILTER(isIRI(?o))
}"""


def link_support(
    source: GraphSource, links: Iterable[tuple[str, str, str]]
) -> dict[tuple[str, str, str], int]:
    """How many outlets back each of `links` (subject, predicate, object IRIs) that is a
    claim: what the view's "reported by at least N outlets" filter reads for the links it
    draws. Only those are looked up: every claim of an archive of 100,000 articles, as
    strings, would take a few hundred megabytes.

    Within `counting(read_tally)` (a build writing its view) it is read off the tally the
    store's support graph was made of, a hundred times faster than the query.
    """
    read_tally = _COUNTED.get()
    counted = read_tally() if read_tally is not None else None
    if counted is not None:
        found = {}
        for link in links:
            backing = counted.backing.get((f"<{link[0]}>", f"<{link[1]}>", f"<{link[2]}>"))
            if backing is not None:
                found[link] = backing[0]
        return found
    wanted = set(links)
    found = {}
    for subject, predicate, obj, count in source.select(_SUPPORT_QUERY):
        if subject is not None and predicate is not None and obj is not None and count is not None:
            link = (subject.value, predicate.value, obj.value)
            if link in wanted:
                found[link] = int(count.value)
    return found


_COUNTED: ContextVar[Callable[[], Tally | None] | None] = ContextVar("newskg_tally", default=None)


@contextmanager
def counting(read_tally: Callable[[], Tally | None]) -> Iterator[None]:
    """Within the block, `link_support` reads the tally `read_tally()` gives, the one the
    support graph of the store it is given was made of (None: it queries the graph).

    It is read when asked for and let go after: the tally of 10,000 articles takes 100 MB,
    not to be held through every writer for the one that reads it."""
    token = _COUNTED.set(read_tally)
    try:
        yield
    finally:
        _COUNTED.reset(token)
