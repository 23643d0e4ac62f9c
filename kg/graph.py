"""Resolved records → RDF quads in the public vocabulary (VOCABULARY.md).

Each article gets a named graph (named by the article's IRI) holding what
that article supports: its metadata, the mentions it contains, its claims
about events (figures, dates, status, evidence) and the roles it gives
people. What no single article owns (an entity's class, label, aliases,
Wikidata link) sits in one shared graph, `<base>graph/entities`. Turtle and
JSON-LD hold the union; TriG and N-Quads keep the graphs apart, so a
`GRAPH ?g { … }` query tells which article says what. Why resolution made
one node of many mentions or claims sits in `<base>graph/resolution`
(`resolution_graph`), so that the other graphs stay as they were.

The statements are Oxigraph terms, made graph by graph, so a build can write
each article's graph to its store as soon as it is resolved and hold no
more of the graph in memory than one article's (`article_graphs`);
`build_dataset` gathers them into an rdflib Dataset for callers that want one.

Dates of one event: an article's graph states each date the article gives
it, except one that another date of the same article refines ("2020" beside
"January 2020": the article says January 2020). Articles differing in
precision each keep their own date in their own graph, so the union may
hold "2020" and "2020-01" for one event: they agree, the longer is the more
precise. Within one graph, then, no two dates of an event share a first day,
which matters to stores such as Virtuoso that keep one value per instant.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache, partial
from typing import overload
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib import Dataset, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SKOS, XSD

from kg.dates import precision
from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import KG, SCHEMA, bind_prefixes
from kg.rdfterms import rdflib_triple
from kg.records import (
    ARTICLE_PATH,
    Article,
    ArticleExtraction,
    ClaimTie,
    Entity,
    Event,
    EventClaim,
    Figure,
    FormReason,
    Role,
    article_id,
)
from kg.resolve import Resolution


def _term(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


A = _term(str(RDF.type))
LABEL = _term(str(RDFS.label))
ALT_LABEL = _term(str(SKOS.altLabel))
SAME_AS = _term(str(OWL.sameAs))
DERIVED_FROM = _term(str(PROV.wasDerivedFrom))
XSD_INTEGER = _term(str(XSD.integer))
XSD_DATE = _term(str(XSD.date))
DATE_TYPES = {"year": _term(str(XSD.gYear)), "month": _term(str(XSD.gYearMonth)), "day": XSD_DATE}
FIGURES = (
    ("troops_before", _term(str(KG.troopsBefore)), _term(str(KG.troopsBeforeQualifier))),
    ("troops_after", _term(str(KG.troopsAfter)), _term(str(KG.troopsAfterQualifier))),
    ("troop_count", _term(str(KG.troopCount)), _term(str(KG.troopCountQualifier))),
)


@cache  # asked for hundreds of thousands of times in a large build
def kg(name: str) -> ox.NamedNode:
    """A term of newskg's ontology: kg('agent') → <…ontology#agent>."""
    return _term(str(KG[name]))


@cache
def schema(name: str) -> ox.NamedNode:
    return _term(str(SCHEMA[name]))


def check_base_iri(base_iri: str) -> str:
    """`base_iri` when instance IRIs can be minted under it.

    Raises:
        ValueError: it is not an absolute http(s) IRI ending in `/` or `#`, or
            holds characters an IRI may not (checked by Oxigraph's strict parser,
            which every output is written with).
    """
    problem = None
    parts = urlsplit(base_iri)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        problem = "is not an absolute http:// or https:// IRI"
    elif not base_iri.endswith(("/", "#")):
        problem = "does not end in / or #, so names would run into it"
    else:
        try:
            ox.NamedNode(base_iri)
        except ValueError as err:
            problem = f"is not a valid IRI ({err})"
    if problem:
        raise ValueError(
            f"base IRI {base_iri!r} {problem}; give one like {DEFAULT_BASE_IRI} "
            "(percent-encode spaces and other special characters)"
        )
    return base_iri


MINTED_KEPT = 1 << 16  # IRIs an `IriMinter` keeps to hand out again


class IriMinter:
    """Stable, readable instance IRIs under a configurable base (see `check_base_iri`)."""

    def __init__(self, base_iri: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base_iri(base_iri)
        self._made: dict[str, ox.NamedNode] = {}
        self._article_ids: dict[str, str] = {}  # source file → id: every mention asks

    def entity(self, key: str) -> ox.NamedNode:
        """'country/iraq' → <base>country/iraq; events and roles likewise.

        The IRIs made are kept to be handed out again, `MINTED_KEPT` at most:
        a hub entity is asked for in most articles, but each claim and
        decision node of the shared graphs once (millions at 100,000 articles).
        """
        made = self._made.get(key)
        if made is None:
            if len(self._made) >= MINTED_KEPT:
                self._made.clear()
            made = self._made[key] = ox.NamedNode(self.base + key)
        return made

    def article(self, article: Article) -> ox.NamedNode:
        """<base>article/<id>: the article's percent-encoded relative path (`Article.id`)."""
        return self.entity(ARTICLE_PATH + self._id(article))

    def mention(self, article: Article, begin: int, end: int) -> ox.NamedNode:
        """A span of an article file: <base>mention/<id>/<begin>-<end>."""
        return ox.NamedNode(f"{self.base}mention/{self._id(article)}/{begin}-{end}")

    def _id(self, article: Article) -> str:
        found = self._article_ids.get(article.source_file)
        if found is None:
            found = self._article_ids[article.source_file] = article.id
        return found

    def entities_graph(self) -> ox.NamedNode:
        return self.entity("graph/entities")

    def support_graph(self) -> ox.NamedNode:
        """How many outlets back each claim (`kg.consensus`)."""
        return self.entity("graph/support")

    def consensus_graph(self) -> ox.NamedNode:
        """The claims enough independent outlets back (`kg.consensus`)."""
        return self.entity("graph/consensus")

    def resolution_graph(self) -> ox.NamedNode:
        """Why each entity and event is one node (`resolution_graph`)."""
        return self.entity("graph/resolution")


def date_literal(value: str) -> ox.Literal:
    """'2020' → xsd:gYear, '2020-09' → xsd:gYearMonth, '2020-09-09' → xsd:date."""
    return ox.Literal(value, datatype=DATE_TYPES[precision(value)])


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


Statement = tuple[ox.NamedNode, ox.NamedNode, ox.NamedNode | ox.Literal]


class GraphStatements:
    """The statements of one named graph, without duplicates, in the order first added.

    Kept as terms, not as `ox.Quad`s: a quad whose object is a literal costs
    nine times as much to make (pyoxigraph tries the other kinds of term
    first), and a graph's chunk needs only each statement's N-Quads line,
    which is the terms' own text (`nquads_lines`).
    """

    def __init__(self, name: ox.NamedNode) -> None:
        self.name = name
        self._statements: dict[Statement, None] = {}

    def add(self, s: ox.NamedNode, p: ox.NamedNode, o: ox.NamedNode | ox.Literal) -> None:
        self._statements[(s, p, o)] = None

    def quads(self) -> list[ox.Quad]:
        return [ox.Quad(s, p, o, self.name) for s, p, o in self._statements]

    def nquads_lines(self) -> list[str]:
        """Each statement's N-Quads line (with its end of line), as Oxigraph writes it."""
        tail = f" {self.name} .\n"
        return [f"{s} {p} {o}{tail}" for s, p, o in self._statements]


def entity_graph(entities: Iterable[Entity], minter: IriMinter) -> GraphStatements:
    """One node per real entity: class, one label, every alias, what the gazetteer knows."""
    graph = GraphStatements(minter.entities_graph())
    for entity in entities:
        iri = minter.entity(entity.key)
        graph.add(iri, A, kg(entity.entity_class))
        graph.add(iri, LABEL, ox.Literal(entity.label))
        for alias in entity.alt_labels:
            graph.add(iri, ALT_LABEL, ox.Literal(alias))
        for demonym in entity.demonyms:
            graph.add(iri, kg("demonym"), ox.Literal(demonym))
        for same in entity.same_as:
            graph.add(iri, SAME_AS, ox.NamedNode(same))
        for container in entity.located_in:
            graph.add(iri, kg("locatedIn"), minter.entity(container))
        for state in entity.acts_for:
            graph.add(iri, kg("actsFor"), minter.entity(state))
    return graph


Said = tuple[ox.NamedNode, ox.NamedNode | ox.Literal]  # a predicate and an object
# A subject, and what says the rest of its statements when asked: a big graph can then be
# made subject by subject (`kg.chunks.subjects_chunk`), never holding all its quads.
Described = tuple[ox.NamedNode, Callable[[], Iterable[Said]]]


def resolution_graph(
    reasons: Iterable[FormReason],
    events: Iterable[Event],
    roles: Iterable[Role],
    minter: IriMinter,
) -> GraphStatements:
    """Each decision that made one node of many, with its rule and articles (see
    `resolution_subjects`), as quads."""
    graph = GraphStatements(minter.resolution_graph())
    for node, describe in resolution_subjects(reasons, events, roles, minter):
        for predicate, obj in describe():
            graph.add(node, predicate, obj)
    return graph


def resolution_subjects(
    reasons: Iterable[FormReason],
    events: Iterable[Event],
    roles: Iterable[Role],
    minter: IriMinter,
) -> Iterator[Described]:
    """Each decision that made one node of many, with its rule and articles, one subject at
    a time (the resolution graph: `resolution_graph`).

    An entity's decision is one node per form and rule (`FormReason`), its
    articles listed once; an event's, one node per article that joined it
    after the first (`ClaimTie`); a role's, one per rule that gave articles
    that did not say the body it is held for (`HolderReason`). Their IRIs
    are digests of what they join, so a rebuild names the same decision the
    same way.
    """
    articles: dict[str, ox.NamedNode] = {}

    def article(source: str) -> ox.NamedNode:
        found = articles.get(source)
        if found is None:
            found = articles[source] = minter.entity(ARTICLE_PATH + article_id(source))
        return found

    def decision(node: str, rule: str, part: str) -> ox.NamedNode:
        return minter.entity(f"merge/{_digest(node, rule, part)}")

    def merged(node: str, rule: str, sources: Iterable[str]) -> list[Said]:
        return [
            (kg("mergedInto"), minter.entity(node)),
            (kg("mergeRule"), kg(rule)),
            *((kg("mergedFrom"), article(source)) for source in sources),
        ]

    def form(reason: FormReason) -> list[Said]:
        said = merged(reason.entity, reason.rule, reason.articles)
        return [*said, (kg("surfaceForm"), ox.Literal(reason.form))]

    def tied(event: str, tie: ClaimTie) -> list[Said]:
        return [
            *merged(event, tie.rule, (tie.article,)),
            (kg("tiedTo"), article(tie.tied_to)),
            *((kg("sharedArgument"), minter.entity(key)) for key in tie.shared),
        ]

    for reason in reasons:
        yield decision(reason.entity, reason.rule, reason.form), partial(form, reason)
    for event in events:
        for tie in event.joined:
            yield decision(event.key, tie.rule, tie.article), partial(tied, event.key, tie)
    for role in roles:
        for holder in role.inferred:
            yield (
                decision(role.key, holder.rule, ""),
                partial(merged, role.key, holder.rule, holder.articles),
            )


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class ArticleRecords:
    """What one article's graph is made from: its extraction and its share of the resolution.

    Small and picklable, so the graph can be made where the article was
    parsed (`kg.chunks`) as well as here. It holds nothing that the graph
    does not say, so equal records make equal graphs and a rebuild can
    tell, from a digest of them, a graph it need not make again
    (`kg.chunks.records_digest`).
    """

    extraction: ArticleExtraction
    entity_of: dict[int, str]  # a mention's start → its Entity.key
    claims: tuple[tuple[Event, EventClaim], ...] = ()  # each event without its claims
    roles: tuple[Role, ...] = ()  # without the articles that state them


class CorpusRecords(Sequence[ArticleRecords]):
    """Every article's records (`ArticleRecords`), in the order of the extractions, each made
    when asked for and not kept.

    The store stage reads them several times (their digests, the claims it
    counts, the graphs): held all at once, each article's mention → entity
    map would copy the resolution's (a gigabyte at 100,000 articles). What is
    held is the resolution and, per article, its claims and roles.

    Of an event, the records keep its key, type and label: what other
    articles claim of it belongs to their graphs. Of a role, they drop the
    list of articles that state it.
    """

    def __init__(
        self,
        extractions: Sequence[ArticleExtraction],
        resolution: Resolution,
        events: Iterable[Event] = (),
        roles: Iterable[Role] = (),
    ) -> None:
        self.extractions = extractions
        self.resolution = resolution
        self.claims: dict[str, list[tuple[Event, EventClaim]]] = {}
        for event in events:
            head = replace(event, claims=(), joined=())
            for claim in event.claims:
                self.claims.setdefault(claim.article, []).append((head, claim))
        self.roles: dict[str, list[Role]] = {}
        for role in roles:
            stated = replace(role, articles=(), inferred=())
            for source in role.articles:
                self.roles.setdefault(source, []).append(stated)

    def __len__(self) -> int:
        return len(self.extractions)

    @overload
    def __getitem__(self, index: int) -> ArticleRecords: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleRecords]: ...

    def __getitem__(self, index: int | slice) -> ArticleRecords | list[ArticleRecords]:
        if isinstance(index, slice):
            return [self._made(e) for e in self.extractions[index]]
        return self._made(self.extractions[index])

    def __iter__(self) -> Iterator[ArticleRecords]:
        return map(self._made, self.extractions)

    def _made(self, extraction: ArticleExtraction) -> ArticleRecords:
        source = extraction.article.source_file
        return ArticleRecords(
            extraction,
            self.resolution.entities_in(source),
            tuple(self.claims.get(source, ())),
            tuple(self.roles.get(source, ())),
        )


def article_records(
    extractions: Sequence[ArticleExtraction],
    resolution: Resolution,
    events: Sequence[Event] = (),
    roles: Sequence[Role] = (),
) -> Iterator[ArticleRecords]:
    """Each article's records, in the order of `extractions` (see `CorpusRecords`)."""
    return iter(CorpusRecords(extractions, resolution, events, roles))


def article_graphs(
    extractions: Sequence[ArticleExtraction],
    resolution: Resolution,
    events: Sequence[Event] = (),
    roles: Sequence[Role] = (),
    *,
    minter: IriMinter,
) -> Iterator[GraphStatements]:
    """Each article's graph, one at a time, in the order of `extractions`."""
    for records in article_records(extractions, resolution, events, roles):
        yield article_graph(records, minter)


def article_graph(records: ArticleRecords, minter: IriMinter) -> GraphStatements:
    """One article's named graph: the article, its mentions, its claims and roles."""
    article = records.extraction.article
    article_iri = minter.article(article)
    graph = GraphStatements(article_iri)
    _add_article(graph, article, article_iri)
    for mention in records.extraction.mentions:
        key = records.entity_of.get(mention.start)
        if key is None:
            continue
        entity_iri = minter.entity(key)
        graph.add(entity_iri, kg("mentionedIn"), article_iri)
        span = (mention.start, mention.end, mention.text)
        graph.add(entity_iri, kg("denotedBy"), _add_mention(graph, minter, article, span))
    _add_claims(graph, records, minter)
    return graph


def claim_statements(records: ArticleRecords, minter: IriMinter) -> list[Statement]:
    """What an article claims about the world, as its graph states it: where things lie, the
    parties, places, dates and troop figures of the events it reports, who holds which role
    (what `kg.consensus` counts; the article graph adds what describes each claim)."""
    found: list[Statement] = []
    for placement in records.extraction.placements:
        inner = records.entity_of.get(placement.inner)
        outer = records.entity_of.get(placement.outer)
        if inner and outer and inner != outer:
            found.append((minter.entity(inner), kg("locatedIn"), minter.entity(outer)))
    for event, claim in records.claims:
        iri = minter.entity(event.key)
        found += [(iri, kg(role), minter.entity(key)) for role, key in claim.arguments]
        if claim.date:
            found.append((iri, kg("date"), date_literal(claim.date)))
        for attribute, value_property, _ in FIGURES:
            figure: Figure | None = getattr(claim, attribute)
            if figure is not None:
                found.append((iri, value_property, _integer(figure.value)))
    for role in records.roles:
        found.append((minter.entity(role.person), kg("hasRole"), minter.entity(role.key)))
    return _most_precise_dates(found)


def _add_claims(graph: GraphStatements, records: ArticleRecords, minter: IriMinter) -> None:
    for statement in claim_statements(records, minter):
        graph.add(*statement)
    article = records.extraction.article
    for event, claim in records.claims:
        _describe_claim(graph, event, claim, minter, article)
    for role in records.roles:
        _describe_role(graph, role, minter, graph.name)


def _add_article(graph: GraphStatements, article: Article, iri: ox.NamedNode) -> None:
    """The article node with what its text says about itself."""
    graph.add(iri, A, kg("Article"))
    graph.add(iri, kg("sourceFile"), ox.Literal(article.source_file))
    if article.title:
        graph.add(iri, schema("headline"), ox.Literal(article.title))
    if article.published:
        graph.add(
            iri,
            schema("datePublished"),
            ox.Literal(article.published.isoformat(), datatype=XSD_DATE),
        )
    if article.publisher:
        graph.add(iri, schema("publisher"), ox.Literal(article.publisher))
    for author in article.authors:
        graph.add(iri, schema("author"), ox.Literal(author))
    if article.url:
        graph.add(iri, schema("url"), ox.Literal(article.url))


def _add_mention(
    graph: GraphStatements, minter: IriMinter, article: Article, body_span: tuple[int, int, str]
) -> ox.NamedNode:
    """A kg:Mention of `body_span` (start, end, text) of the body, offsets into the file."""
    begin = article.source_offset(body_span[0])
    end = article.source_offset(body_span[1])
    iri = minter.mention(article, begin, end)
    graph.add(iri, A, kg("Mention"))
    graph.add(iri, kg("inArticle"), minter.article(article))
    graph.add(iri, kg("beginIndex"), _integer(begin))
    graph.add(iri, kg("endIndex"), _integer(end))
    graph.add(iri, kg("anchorOf"), ox.Literal(body_span[2]))  # body and file agree in a segment
    return iri


def _describe_claim(
    graph: GraphStatements, event: Event, claim: EventClaim, minter: IriMinter, article: Article
) -> None:
    """What describes one article's claim about an event (`claim_statements` has the claim):
    the event's type and label, how the figures are hedged, status, evidence, source, words."""
    iri = minter.entity(event.key)
    graph.add(iri, A, kg(event.event_type))
    graph.add(iri, LABEL, ox.Literal(event.label))
    for attribute, _, qualifier_property in FIGURES:
        figure: Figure | None = getattr(claim, attribute)
        if figure is not None and figure.qualifier:
            graph.add(iri, qualifier_property, ox.Literal(figure.qualifier))
    graph.add(iri, kg("status"), ox.Literal(claim.status))
    graph.add(iri, kg("evidence"), ox.Literal(claim.evidence))
    graph.add(iri, DERIVED_FROM, minter.article(article))
    for span in claim.triggers:
        graph.add(iri, kg("denotedBy"), _add_mention(graph, minter, article, span))


def _describe_role(
    graph: GraphStatements, role: Role, minter: IriMinter, article_iri: ox.NamedNode
) -> None:
    """A position a person holds, as the article states it (`claim_statements` links them)."""
    iri = minter.entity(role.key)
    graph.add(iri, A, kg("Role"))
    graph.add(iri, kg("title"), ox.Literal(role.title))
    for holder in role.of:
        graph.add(iri, kg("roleOf"), minter.entity(holder))
    graph.add(iri, DERIVED_FROM, article_iri)


def _most_precise_dates(statements: list[Statement]) -> list[Statement]:
    """Without each kg:date that another kg:date of the same node refines ('2020' < '2020-01').

    Dates that disagree ('2020-09', '2020-11') all stay.
    """
    date = kg("date")
    dates: dict[ox.NamedNode, set[str]] = {}
    for subject, predicate, obj in statements:
        if predicate == date:
            dates.setdefault(subject, set()).add(obj.value)

    def refined(statement: Statement) -> bool:
        subject, predicate, obj = statement
        if predicate != date:
            return False
        return any(fine != obj.value and fine.startswith(obj.value) for fine in dates[subject])

    return [statement for statement in statements if not refined(statement)]


def build_dataset(
    extractions: Sequence[ArticleExtraction],
    resolution: Resolution,
    events: Sequence[Event] = (),
    roles: Sequence[Role] = (),
    *,
    base_iri: str = DEFAULT_BASE_IRI,
) -> Dataset:
    """The whole graph as an rdflib Dataset: one named graph per article and the entity graph.

    For callers that read a small graph with rdflib; a build writes the same
    quads (`entity_graph`, `article_graphs`) to its store instead.
    """
    minter = IriMinter(base_iri)
    dataset = Dataset()
    bind_prefixes(dataset, minter.base)
    graphs = [entity_graph(resolution.entities, minter)]
    graphs.extend(article_graphs(extractions, resolution, events, roles, minter=minter))
    for statements in graphs:
        graph = dataset.graph(URIRef(statements.name.value))
        for quad in statements.quads():
            graph.add(rdflib_triple(quad))
    return dataset
