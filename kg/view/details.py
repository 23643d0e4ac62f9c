"""What the side panel shows about a node, read from the RDF graph.

Entities: aliases, Wikidata links, roles with their sources, the articles
that name them and how. Events: a one-line reading ("United States withdrew
from Iraq · Sep 2020 · 5,200 → 3,000"), dates, figures with their
qualifiers, status, arguments, and each evidence sentence with the
article(s) it comes from. Articles: headline, date, publisher, author, link.

Everything returned is plain JSON-ready data; it is untrusted text and the
page shows it as text only (see `kg.view.page`).

In a build, each node's details are kept as a memo (`kg.memo.MemoTable`)
with the subjects and graphs read to make them: after an edit, a rebuild
reads again only the nodes whose statements, neighbours' names, mentions
or articles' graphs the edit changed.
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pyoxigraph as ox
from rdflib.namespace import OWL, PROV, RDFS

from kg.dates import readable_date
from kg.graphsource import GraphSource, Subject, Term, integer, named
from kg.memo import current_memos
from kg.namespaces import KG, SCHEMA
from kg.projection import ARTICLE_KIND, RDF_TYPE, event_label, is_event_kind, local_name

JSON = dict[str, Any]
DETAILS_MEMO = "details.json"


_AGENT, _TARGET, _PARTICIPANT = named(KG.agent), named(KG.target), named(KG.participant)
_LOCATION, _DESTINATION = named(KG.location), named(KG.destination)
_HEADLINE, _LABEL = named(SCHEMA.headline), named(RDFS.label)
_PUBLISHED, _DERIVED_FROM = named(SCHEMA.datePublished), named(PROV.wasDerivedFrom)
_ARTICLE = named(KG.Article)

# How an event reads: a verb, the argument that follows it, then the other
# arguments with a preposition. Types not listed read "<agents>: <type label>".
_VERBS: dict[str, tuple[str, ox.NamedNode | None]] = {
    "Withdrawal": ("withdrew from", _LOCATION),
    "Handover": ("handed over", _TARGET),
    "Deployment": ("deployed to", _DESTINATION),
    "Attack": ("attacked", _TARGET),
    "Killing": ("killed", _TARGET),
    "Meeting": ("met", _PARTICIPANT),
    "Agreement": ("agreed with", _PARTICIPANT),
    "Statement": ("made a statement", None),
    "Invasion": ("invaded", _TARGET),
    "TroopPresence": ("had troops in", _LOCATION),
}
_PREPOSITIONS: tuple[tuple[ox.NamedNode, str], ...] = (
    (_TARGET, "on"),
    (_PARTICIPANT, "with"),
    (_LOCATION, "in"),
    (_DESTINATION, "to"),
)
# Panel headings of the event arguments, in panel order.
ARGUMENT_NAMES: tuple[tuple[ox.NamedNode, str], ...] = (
    (_AGENT, "by"),
    (_TARGET, "target"),
    (_PARTICIPANT, "with"),
    (_LOCATION, "where"),
    (_DESTINATION, "to"),
    (named(KG.accordingTo), "according to"),
)
FIGURES: tuple[tuple[ox.NamedNode, ox.NamedNode, str], ...] = (
    (named(KG.troopsBefore), named(KG.troopsBeforeQualifier), "troops before"),
    (named(KG.troopsAfter), named(KG.troopsAfterQualifier), "troops after"),
    (named(KG.troopCount), named(KG.troopCountQualifier), "troop count"),
)
_NAMES_IN_LABEL = 2  # "A, B +3"
LISTED = 40  # items of one list in the panel: MAX_LISTED in assets/view.js
_REF_IRI = "ref"  # a kept result's link to a node: its IRI, made a page id when it leaves
_QUIET_STATUS = "reported"  # the usual status, not worth a word in the label
_UNDATED = re.compile(r"\s*\([^()]*\)$")  # the "(2020-09, 2020-11)" that ends an event's label


def web_link(value: str) -> str | None:
    """`value` if it is an http(s) URL with a host (safe as a link target), else None."""
    try:
        parts = urlsplit(value.strip())
    except ValueError:
        return None
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return value.strip()
    return None


def _sorted_strings(values: Iterable[Term]) -> list[str]:
    return sorted({value.value for value in values if value.value.strip()})


def _numbers(values: Iterable[Term]) -> list[int]:
    return sorted({number for number in map(integer, values) if number is not None})


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:_NAMES_IN_LABEL])
    more = len(labels) - _NAMES_IN_LABEL
    return f"{shown} +{more}" if more > 0 else shown


def _thousands(values: list[int]) -> str:
    return "/".join(f"{value:,}" for value in values)


@dataclass(frozen=True, slots=True)
class _Mention:
    """A mention's offsets and words; the page keeps those of every article an evidence
    sentence is placed in (tens of thousands in a large archive), so without a __dict__."""

    begin: int
    end: int
    anchor: str


class _Reads:
    """What the lookups of one memoized result read: subjects (as N-Triples terms), graphs."""

    def __init__(self) -> None:
        self.subjects: set[str] = set()
        self.graphs: set[str] = set()

    def term(self, term: Term | None) -> None:
        if isinstance(term, ox.NamedNode | ox.BlankNode):
            self.subjects.add(str(term))


class _LoggedSource:
    """The lookups `DetailReader` makes, each noting what it read in `reads`.

    A lookup by subject reads that subject's statements. A query walks from
    a bound node through mentions, whose statements are all in the graph of
    their article (as a build writes them): it reads the bound node's
    statements and the graphs its rows name (`_FORMS` and `_TRIGGERS` end with ?article;
    `_ARTICLE_MENTIONS` reads the graph of the article it is given).
    """

    def __init__(self, source: GraphSource) -> None:
        self.source = source
        self.reads: _Reads | None = None

    def objects(self, subject: Subject, predicate: ox.NamedNode) -> set[Term]:
        if self.reads is not None:
            self.reads.term(subject)
        return self.source.objects(subject, predicate)

    def first_text(self, subject: Subject, predicate: ox.NamedNode) -> str | None:
        if self.reads is not None:
            self.reads.term(subject)
        return self.source.first_text(subject, predicate)

    def select(
        self, query: str, *, note_graphs: bool = True, **bindings: Term
    ) -> Iterator[tuple[Term | None, ...]]:
        """Rows of `query`; without `note_graphs`, the caller notes the graphs its result
        depends on (`graph`): those of a few of the rows."""
        reads = self.reads
        if reads is None:
            yield from self.source.select(query, **bindings)
            return
        for term in bindings.values():
            reads.term(term)
        for row in self.source.select(query, **bindings):
            if note_graphs and isinstance(row[-1], ox.NamedNode):
                reads.graphs.add(row[-1].value)
            yield row

    def graph(self, article: ox.NamedNode) -> None:
        """Note that the whole graph of `article` is read."""
        if self.reads is not None:
            self.reads.graphs.add(article.value)


class DetailReader:
    """Reads panel details from `source`; refers to drawn nodes by their page ids.

    Everything is looked up for the drawn nodes only, so the cost follows the
    page, not the archive behind it.
    """

    def __init__(self, source: GraphSource, node_ids: dict[str, int]) -> None:
        self.source = _LoggedSource(source)
        self.read_graph = source.read_graph
        self.node_ids = node_ids
        self.article_iris = sorted(node.value for node in source.subjects(RDF_TYPE, _ARTICLE))
        self._article_index = {iri: index for index, iri in enumerate(self.article_iris)}
        self._drawn_articles = {
            self._article_index[iri] for iri in node_ids if iri in self._article_index
        }
        self._mentions_in: dict[int, list[_Mention]] = {}
        self._label_of: dict[Term, str] = {}
        memos = current_memos()
        # Every result also reads the articles' order and which of them are drawn; a result
        # names other nodes by IRI (`ref`), given their page ids only as it leaves (`details`),
        # so that a node drawn or dropped elsewhere, which renumbers the page, keeps it.
        basis = (self.article_iris, sorted(self._drawn_articles))
        self._memo = memos.table(DETAILS_MEMO, basis) if memos is not None else None

    def _memoized(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()`, or its kept result when nothing it read has changed."""
        if self._memo is None:
            return compute()
        found = self._memo.get(key)
        if found is not None:
            return found
        self.source.reads = reads = _Reads()
        try:
            result = compute()
        finally:
            self.source.reads = None
        self._memo.put(key, result, subjects=reads.subjects, graphs=reads.graphs)
        return result

    # --- shared pieces ---------------------------------------------------------

    def text(self, subject: Subject, predicate: ox.NamedNode) -> str | None:
        return self.source.first_text(subject, predicate)

    def label(self, node: Term) -> str:
        """A node's name: its rdfs:label, an article's headline, else its IRI's last part.

        Kept once read: a country is named by thousands of the events drawn.
        """
        if isinstance(node, ox.Literal):
            return node.value
        if self.source.reads is not None:
            self.source.reads.term(node)  # read once for all nodes: noted for each
        found = self._label_of.get(node)
        if found is None:
            found = self._label_of[node] = (
                self.text(node, _HEADLINE) or self.text(node, _LABEL) or local_name(node.value)
            )
        return found

    def ref(self, node: Term) -> JSON:
        """A link to another node: its name and IRI (`details` turns the IRI into a page id)."""
        return {"label": self.label(node), _REF_IRI: node.value}

    def refs(self, subject: Subject, predicate: ox.NamedNode) -> list[JSON]:
        refs = [self.ref(obj) for obj in self.source.objects(subject, predicate)]
        return sorted(refs, key=lambda ref: (ref["label"], ref[_REF_IRI]))

    def _placed(self, value: Any) -> Any:
        """`value` with each `ref` pointing at its node's page id (None: not drawn)."""
        if isinstance(value, list):
            return [self._placed(item) for item in value]
        if not isinstance(value, dict):
            return value
        if _REF_IRI in value:
            return {"label": value["label"], "node": self.node_ids.get(value[_REF_IRI])}
        return {key: self._placed(item) for key, item in value.items()}

    def article_ids(self, nodes: Iterable[Term]) -> list[int]:
        index = self._article_index
        return sorted({index[node.value] for node in nodes if node.value in index})

    def articles(self) -> list[JSON]:
        """Every article of the graph, indexed by position; evidence points here."""
        return [
            self._memoized(f"article {iri}", functools.partial(self._article, ox.NamedNode(iri)))
            for iri in self.article_iris
        ]

    def _article(self, article: ox.NamedNode) -> JSON:
        url = self.text(article, named(SCHEMA.url))
        return {
            "headline": self.label(article),
            "date": self.text(article, _PUBLISHED),
            "url": web_link(url) if url else None,
            "file": self.text(article, named(KG.sourceFile)),
            "publisher": self.text(article, named(SCHEMA.publisher)),
            "author": ", ".join(
                _sorted_strings(self.source.objects(article, named(SCHEMA.author)))
            ),
        }

    def dates(self, subject: Subject, kind: str) -> list[str]:
        """The dates a node stands at: an event's kg:date, an article's publication date."""
        return self._memoized(f"dates {kind} {subject.value}", lambda: self._dates(subject, kind))

    def _dates(self, subject: Subject, kind: str) -> list[str]:
        predicate = _PUBLISHED if kind == ARTICLE_KIND else named(KG.date)
        return _sorted_strings(self.source.objects(subject, predicate))

    # --- per node ----------------------------------------------------------------

    def details(self, subject: Subject, kind: str) -> JSON:
        """The panel data of one node of the given kind."""
        return self._placed(
            self._memoized(f"details {kind} {subject.value}", lambda: self._details(subject, kind))
        )

    def _details(self, subject: Subject, kind: str) -> JSON:
        if kind == ARTICLE_KIND:
            return {"article": self._article_index.get(subject.value)}
        if is_event_kind(kind):
            return self._event(subject, kind)
        return self._entity(subject)

    def _entity(self, subject: Subject) -> JSON:
        same_as = _sorted_strings(self.source.objects(subject, named(OWL.sameAs)))
        links = [web_link(iri) for iri in same_as]
        return {
            "sameAs": [link for link in links if link],
            "roles": self._roles(subject),
            "locatedIn": self.refs(subject, named(KG.locatedIn)),
            "actsFor": self.refs(subject, named(KG.actsFor)),
            **self._named_in(subject),
        }

    def _named_in(self, subject: Subject) -> JSON:
        """The articles that name the entity and how, as many as the panel lists and every
        drawn one (a link to it shows its words): a country named in a whole archive would
        otherwise carry every article of it into the page. `mentionsMore` counts the rest."""
        listed, more = self._surface_forms(subject)
        # The result reads the words of the listed articles only (which articles name the
        # entity, and how many, are the entity's own statements): noting every article
        # that names a hub kept its whole archive in the memo, 19 MB per 1,000 articles.
        for item in listed:
            self.source.graph(ox.NamedNode(self.article_iris[item["article"]]))
        return {"mentions": listed, "mentionsMore": more}

    def _roles(self, person: Subject) -> list[JSON]:
        roles = [
            {
                "title": self.text(role, named(KG.title)) or "",
                "of": self.refs(role, named(KG.roleOf)),
                "articles": self.article_ids(self.source.objects(role, _DERIVED_FROM)),
            }
            for role in self.source.objects(person, named(KG.hasRole))
            if not isinstance(role, ox.Literal)
        ]
        return sorted(roles, key=lambda role: (role["title"], [r["label"] for r in role["of"]]))

    def _surface_forms(self, subject: Subject) -> tuple[list[JSON], int]:
        """The words each listed article (see `_named_in`) used for the entity, and how many
        other articles name it. Words are gathered for those articles only: a set of them
        for every article that names a hub country held the whole archive's words at once."""
        mentioned_in = self.article_ids(self.source.objects(subject, named(KG.mentionedIn)))
        named_in = set(mentioned_in)
        # An article named only by a mention sorts among these: the LISTED-th first of them
        # bounds the articles that can be listed.
        bound = mentioned_in[LISTED - 1] if len(mentioned_in) >= LISTED else math.inf
        forms: dict[int, set[str]] = {}
        for _, anchor, article in self.source.select(_FORMS, note_graphs=False, subject=subject):
            for index in self.article_ids([article] if article is not None else []):
                named_in.add(index)
                if index <= bound or index in self._drawn_articles:
                    forms.setdefault(index, set()).add(anchor.value if anchor is not None else "")
        ordered = sorted(named_in)
        listed = [
            {"article": index, "forms": sorted(form for form in forms.get(index, ()) if form)}
            for number, index in enumerate(ordered)
            if number < LISTED or index in self._drawn_articles
        ]
        return listed, len(ordered) - len(listed)

    def _event(self, event: Subject, kind: str) -> JSON:
        figures = [
            {
                "name": name,
                "values": _numbers(self.source.objects(event, value)),
                "qualifiers": _sorted_strings(self.source.objects(event, qualifier)),
            }
            for value, qualifier, name in FIGURES
        ]
        arguments = [
            {"name": name, "refs": self.refs(event, predicate)}
            for predicate, name in ARGUMENT_NAMES
        ]
        return {
            "reading": self.reading(event, kind),
            "type": event_label(kind),
            "dates": self._dates(event, kind),
            "status": _sorted_strings(self.source.objects(event, named(KG.status))),
            "figures": [figure for figure in figures if figure["values"]],
            "arguments": [argument for argument in arguments if argument["refs"]],
            "evidence": self._evidence(event),
        }

    # --- event labels ------------------------------------------------------------

    def _labels(self, event: Subject, predicate: ox.NamedNode) -> list[str]:
        return sorted({self.label(obj) for obj in self.source.objects(event, predicate)})

    def reading(self, event: Subject, kind: str) -> str:
        """What the event says, in two lines: who did what to whom; when and how many.

        "United States withdrew from Iraq" / "Sep 2020 · 5,200 → 3,000 · planned".
        Without an agent, the event's own label says it ("Handover of Camp Taji").
        """
        agents = self._labels(event, _AGENT)
        verb, object_role = _VERBS.get(kind, (event_label(kind).lower(), None))
        words = [_names(agents), verb] if agents else [_UNDATED.sub("", self.label(event))]

        def others(role: ox.NamedNode) -> list[str]:
            # Articles may cast a meeting's sides the other way round: "A met B" and
            # "B received A" make both agents and participants; name each side once.
            return [label for label in self._labels(event, role) if label not in agents]

        if agents and object_role is not None:
            words.append(_names(others(object_role)))
        for role, preposition in _PREPOSITIONS if agents else ():
            rest = others(role) if role != object_role else []
            if rest:
                words += [preposition, _names(rest)]
        statuses = _sorted_strings(self.source.objects(event, named(KG.status)))
        facts = [
            ", ".join(readable_date(date) for date in self._dates(event, kind)),
            self._figures_text(event),
            *(status for status in statuses if status != _QUIET_STATUS),
        ]
        first = " ".join(word for word in words if word)
        second = " · ".join(fact for fact in facts if fact)
        return f"{first}\n{second}" if second else first

    def _figures_text(self, event: Subject) -> str:
        before, after, count = (
            _numbers(self.source.objects(event, value)) for value, _, _ in FIGURES
        )
        parts = []
        if before or after:
            parts.append(f"{_thousands(before) or '?'} → {_thousands(after) or '?'}")
        if count:
            parts.append(f"{_thousands(count)} troops")
        return ", ".join(parts)

    # --- evidence ----------------------------------------------------------------

    def _evidence(self, event: Subject) -> list[JSON]:
        """Each evidence sentence with the article(s) it was read from.

        The union graph does not say which article gave which sentence, so
        the event's trigger mentions place the sentence in each candidate
        article (see `_sources`); with one source article there is no doubt.
        """
        sources = self.article_ids(self.source.objects(event, _DERIVED_FROM))
        triggers = self._triggers(event)
        items = []
        for sentence in _sorted_strings(self.source.objects(event, named(KG.evidence))):
            found = self._sources(sentence, triggers) if len(sources) > 1 else sources
            items.append({"text": sentence, "articles": found or sources})
        return sorted(items, key=lambda item: (item["articles"], item["text"]))

    def _triggers(self, event: Subject) -> list[tuple[int, _Mention]]:
        """The words that denote `event` in each of its articles, with their offsets."""
        triggers = []
        for _, begin, end, anchor, article in self.source.select(_TRIGGERS, event=event):
            found = _read_mention(begin, end, anchor)
            if found is not None and article is not None:
                triggers += [(index, found) for index in self.article_ids([article])]
        return triggers

    def _article_mentions(self, index: int) -> list[_Mention]:
        """Every mention in the article at `index`, in offset order (read once)."""
        article = ox.NamedNode(self.article_iris[index])
        self.source.graph(article)  # an article's mentions are all in its graph
        found = self._mentions_in.get(index)
        if found is None:
            read_graph = self.read_graph
            rows = (
                _mention_rows(read_graph(article), article)
                if read_graph is not None
                else self.source.select(_ARTICLE_MENTIONS, article=article)
            )
            mentions = {_read_mention(begin, end, anchor) for _, begin, end, anchor in rows}
            found = self._mentions_in[index] = sorted(
                (mention for mention in mentions if mention is not None), key=_offsets
            )
        return found

    def _sources(self, sentence: str, triggers: list[tuple[int, _Mention]]) -> list[int]:
        """The articles in which `sentence` lines up with everything mentioned around a trigger.

        A trigger of the event at offset b in article A, found at position p
        of the sentence, puts the sentence at [b - p, b - p + len) of A; every
        mention A has in that window must then read the same in the sentence.
        The articles where that holds for the most mentions win.
        """
        scores: dict[int, int] = {}
        for index, trigger in triggers:
            mentions = self._article_mentions(index)
            for position in _occurrences(sentence, trigger.anchor):
                start = trigger.begin - position
                score = _alignment(sentence, start, mentions)
                if score is not None:
                    scores[index] = max(scores.get(index, 0), score)
        best = max(scores.values(), default=None)
        return sorted(index for index, score in scores.items() if score == best)


_IN_ARTICLE = str(KG.inArticle)
_MENTION_PARTS = tuple(str(KG[name]) for name in ("beginIndex", "endIndex", "anchorOf"))
# A mention's offsets and words. Mentions missing any are left out: the
# shapes require all three, so only a graph from elsewhere lacks them.
_MENTION = "?mention kg:beginIndex ?begin ; kg:endIndex ?end ; kg:anchorOf ?anchor"
# Queries from a node end with ?article: the graph of what they walk (see `_LoggedSource`).
_FORMS = f"""PREFIX kg: <{KG}>
SELECT DISTINCT ?subject ?anchor ?article WHERE {{
    ?subject kg:denotedBy ?mention . ?mention kg:inArticle ?article .
    OPTIONAL {{ ?mention kg:anchorOf ?anchor }}
}}"""
_TRIGGERS = f"""PREFIX kg: <{KG}>
SELECT DISTINCT ?event ?begin ?end ?anchor ?article WHERE {{
    ?event kg:denotedBy ?mention . {_MENTION} ; kg:inArticle ?article .
}}"""
_ARTICLE_MENTIONS = f"""PREFIX kg: <{KG}>
SELECT DISTINCT ?article ?begin ?end ?anchor WHERE {{
    ?mention kg:inArticle ?article . {_MENTION} .
}}"""


def _mention_rows(
    triples: Iterable[ox.Triple], article: ox.NamedNode
) -> Iterator[tuple[Term, Term | None, Term | None, Term | None]]:
    """`_ARTICLE_MENTIONS`'s rows out of the article's own graph, where a build puts every
    mention it has (each mention's statements are in the graph of its article)."""
    parts: dict[Term, dict[str, Term]] = {}
    for triple in triples:
        parts.setdefault(triple.subject, {})[triple.predicate.value] = triple.object  # type: ignore[arg-type,assignment]
    for values in parts.values():
        if values.get(_IN_ARTICLE) == article:
            begin, end, anchor = (values.get(part) for part in _MENTION_PARTS)
            yield article, begin, end, anchor


def _read_mention(begin: Term | None, end: Term | None, anchor: Term | None) -> _Mention | None:
    """A mention's offsets and words, or None if its graph lacks any of them."""
    first = integer(begin) if begin is not None else None
    last = integer(end) if end is not None else None
    if first is None or last is None or anchor is None:
        return None
    return _Mention(first, last, anchor.value)


def _offsets(mention: _Mention) -> tuple[int, int, str]:
    return mention.begin, mention.end, mention.anchor


def _occurrences(text: str, part: str) -> list[int]:
    positions, start = [], text.find(part) if part else -1
    while start >= 0:
        positions.append(start)
        start = text.find(part, start + 1)
    return positions


def _alignment(sentence: str, start: int, mentions: list[_Mention]) -> int | None:
    """How many mentions inside the window read as in `sentence`, or None on any mismatch."""
    end = start + len(sentence)
    first = bisect.bisect_left(mentions, (start,), key=lambda m: (m.begin,))
    matched = 0
    for mention in mentions[first:]:
        if mention.begin >= end:
            break
        if mention.end > end:
            continue
        if sentence[mention.begin - start : mention.end - start] != mention.anchor:
            return None
        matched += 1
    return matched
