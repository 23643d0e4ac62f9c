"""What the side panel shows about a node, read from the RDF graph.

Entities: aliases, Wikidata links, roles with their sources, the articles
that name them and how. Events: a one-line reading ("United States withdrew
from Iraq · Sep 2020 · 5,200 → 3,000"), dates, figures with their
qualifiers, status, arguments, and each evidence sentence with the
article(s) it comes from. Articles: headline, date, publisher, author, link.

Everything returned is plain JSON-ready data; it is untrusted text and the
page shows it as text only (see `kg.view.page`).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rdflib import Graph, Literal
from rdflib.namespace import OWL, PROV, RDF, RDFS
from rdflib.term import Node, URIRef

from kg.namespaces import KG, SCHEMA
from kg.view.projection import (
    ARTICLE_KIND,
    event_label,
    first_literal,
    is_event_kind,
    local_name,
)

JSON = dict[str, Any]

# How an event reads: a verb, the argument that follows it, then the other
# arguments with a preposition. Types not listed read "<agents>: <type label>".
_VERBS: dict[str, tuple[str, URIRef | None]] = {
    "Withdrawal": ("withdrew from", KG.location),
    "Handover": ("handed over", KG.target),
    "Deployment": ("deployed to", KG.destination),
    "Attack": ("attacked", KG.target),
    "Killing": ("killed", KG.target),
    "Meeting": ("met", KG.participant),
    "Agreement": ("agreed with", KG.participant),
    "Statement": ("made a statement", None),
    "Invasion": ("invaded", KG.target),
    "TroopPresence": ("had troops in", KG.location),
}
_PREPOSITIONS: tuple[tuple[URIRef, str], ...] = (
    (KG.target, "on"),
    (KG.participant, "with"),
    (KG.location, "in"),
    (KG.destination, "to"),
)
# Panel headings of the event arguments, in panel order.
ARGUMENT_NAMES: tuple[tuple[URIRef, str], ...] = (
    (KG.agent, "by"),
    (KG.target, "target"),
    (KG.participant, "with"),
    (KG.location, "where"),
    (KG.destination, "to"),
    (KG.accordingTo, "according to"),
)
FIGURES: tuple[tuple[URIRef, URIRef, str], ...] = (
    (KG.troopsBefore, KG.troopsBeforeQualifier, "troops before"),
    (KG.troopsAfter, KG.troopsAfterQualifier, "troops after"),
    (KG.troopCount, KG.troopCountQualifier, "troop count"),
)
_NAMES_IN_LABEL = 2  # "A, B +3"
_QUIET_STATUS = "reported"  # the usual status, not worth a word in the label
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
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


def date_interval(value: str) -> tuple[str, str] | None:
    """The first and last day a date stands for, as comparable strings ("2020" → whole year)."""
    match = _DATE.match(value.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if day and month:
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        return f"{year}-{month}-01", f"{year}-{month}-31"
    return f"{year}-01-01", f"{year}-12-31"


def readable_date(value: str) -> str:
    """ "2020-09" → "Sep 2020", "2020-06-12" → "12 Jun 2020"; anything else as it is."""
    match = _DATE.fullmatch(value.strip())
    if not match:
        return value
    year, month, day = match.groups()
    if not month or not 1 <= int(month) <= 12:
        return year
    name = f"{_MONTHS[int(month) - 1]} {year}"
    return f"{int(day)} {name}" if day else name


def _sorted_strings(values: Iterable[Node]) -> list[str]:
    return sorted({str(value) for value in values if str(value).strip()})


def _numbers(values: Iterable[Node]) -> list[int]:
    numbers = set()
    for value in values:
        number = value.toPython() if isinstance(value, Literal) else None
        if isinstance(number, int) and not isinstance(number, bool):
            numbers.add(number)
    return sorted(numbers)


def _names(labels: list[str]) -> str:
    shown = ", ".join(labels[:_NAMES_IN_LABEL])
    more = len(labels) - _NAMES_IN_LABEL
    return f"{shown} +{more}" if more > 0 else shown


def _thousands(values: list[int]) -> str:
    return "/".join(f"{value:,}" for value in values)


@dataclass(frozen=True)
class _Mention:
    begin: int
    end: int
    anchor: str


class DetailReader:
    """Reads panel details from `graph`; refers to drawn nodes by their page ids."""

    def __init__(self, graph: Graph, node_ids: dict[str, int]) -> None:
        self.graph = graph
        self.node_ids = node_ids
        self.article_iris = sorted(
            str(subject) for subject in set(graph.subjects(RDF.type, KG.Article))
        )
        self._article_index = {iri: index for index, iri in enumerate(self.article_iris)}
        self._mention_table: dict[Node, tuple[_Mention | None, list[int]]] | None = None
        self._mentions: dict[int, list[_Mention]] | None = None

    # --- shared pieces ---------------------------------------------------------

    def label(self, node: Node) -> str:
        """A node's name: its rdfs:label, an article's headline, else its IRI's last part."""
        headline = first_literal(self.graph, node, SCHEMA.headline)
        return headline or first_literal(self.graph, node, RDFS.label) or local_name(str(node))

    def ref(self, node: Node) -> JSON:
        """A link to another node: its name, and its page id when it is drawn."""
        return {"label": self.label(node), "node": self.node_ids.get(str(node))}

    def refs(self, subject: Node, predicate: URIRef) -> list[JSON]:
        refs = [self.ref(obj) for obj in set(self.graph.objects(subject, predicate))]
        return sorted(refs, key=lambda ref: (ref["label"], str(ref["node"])))

    def article_ids(self, nodes: Iterable[Node]) -> list[int]:
        return sorted({self._article_index[str(n)] for n in nodes if str(n) in self._article_index})

    def articles(self) -> list[JSON]:
        """Every article of the graph, indexed by position; evidence points here."""
        return [self._article(URIRef(iri)) for iri in self.article_iris]

    def _article(self, article: URIRef) -> JSON:
        url = first_literal(self.graph, article, SCHEMA.url)
        return {
            "headline": self.label(article),
            "date": first_literal(self.graph, article, SCHEMA.datePublished),
            "url": web_link(url) if url else None,
            "file": first_literal(self.graph, article, KG.sourceFile),
            "publisher": first_literal(self.graph, article, SCHEMA.publisher),
            "author": ", ".join(_sorted_strings(self.graph.objects(article, SCHEMA.author))),
        }

    def dates(self, subject: Node, kind: str) -> list[str]:
        """The dates a node stands at: an event's kg:date, an article's publication date."""
        predicate = SCHEMA.datePublished if kind == ARTICLE_KIND else KG.date
        return _sorted_strings(self.graph.objects(subject, predicate))

    # --- per node ----------------------------------------------------------------

    def details(self, subject: Node, kind: str) -> JSON:
        """The panel data of one node of the given kind."""
        if kind == ARTICLE_KIND:
            return {"article": self._article_index.get(str(subject))}
        if is_event_kind(kind):
            return self._event(subject, kind)
        return self._entity(subject)

    def _entity(self, subject: Node) -> JSON:
        links = [web_link(iri) for iri in _sorted_strings(self.graph.objects(subject, OWL.sameAs))]
        return {
            "sameAs": [link for link in links if link],
            "roles": self._roles(subject),
            "locatedIn": self.refs(subject, KG.locatedIn),
            "actsFor": self.refs(subject, KG.actsFor),
            "mentions": self._surface_forms(subject),
        }

    def _roles(self, person: Node) -> list[JSON]:
        roles = [
            {
                "title": first_literal(self.graph, role, KG.title) or "",
                "of": self.refs(role, KG.roleOf),
                "articles": self.article_ids(self.graph.objects(role, PROV.wasDerivedFrom)),
            }
            for role in set(self.graph.objects(person, KG.hasRole))
        ]
        return sorted(roles, key=lambda role: (role["title"], [r["label"] for r in role["of"]]))

    def _surface_forms(self, subject: Node) -> list[JSON]:
        """Per article that names the entity, the words it used."""
        forms: dict[int, set[str]] = {
            index: set() for index in self.article_ids(self.graph.objects(subject, KG.mentionedIn))
        }
        for mention in self.graph.objects(subject, KG.denotedBy):
            found, indexes = self._mentions_read().get(mention, (None, []))
            for index in indexes:
                forms.setdefault(index, set()).update([found.anchor] if found else [])
        return [{"article": index, "forms": sorted(forms[index])} for index in sorted(forms)]

    def _event(self, event: Node, kind: str) -> JSON:
        figures = [
            {
                "name": name,
                "values": _numbers(self.graph.objects(event, value)),
                "qualifiers": _sorted_strings(self.graph.objects(event, qualifier)),
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
            "dates": self.dates(event, kind),
            "status": _sorted_strings(self.graph.objects(event, KG.status)),
            "figures": [figure for figure in figures if figure["values"]],
            "arguments": [argument for argument in arguments if argument["refs"]],
            "evidence": self._evidence(event),
        }

    # --- event labels ------------------------------------------------------------

    def _labels(self, event: Node, predicate: URIRef) -> list[str]:
        return sorted({self.label(obj) for obj in self.graph.objects(event, predicate)})

    def reading(self, event: Node, kind: str) -> str:
        """What the event says, in two lines: who did what to whom; when and how many.

        "United States withdrew from Iraq" / "Sep 2020 · 5,200 → 3,000 · planned".
        Without an agent, the event's own label says it ("Handover of Camp Taji").
        """
        agents = self._labels(event, KG.agent)
        verb, object_role = _VERBS.get(kind, (event_label(kind).lower(), None))
        words = [_names(agents), verb] if agents else [_UNDATED.sub("", self.label(event))]
        if agents and object_role is not None:
            words.append(_names(self._labels(event, object_role)))
        for role, preposition in _PREPOSITIONS if agents else ():
            others = self._labels(event, role) if role != object_role else []
            if others:
                words += [preposition, _names(others)]
        statuses = _sorted_strings(self.graph.objects(event, KG.status))
        facts = [
            ", ".join(readable_date(date) for date in self.dates(event, kind)),
            self._figures_text(event),
            *(status for status in statuses if status != _QUIET_STATUS),
        ]
        first = " ".join(word for word in words if word)
        second = " · ".join(fact for fact in facts if fact)
        return f"{first}\n{second}" if second else first

    def _figures_text(self, event: Node) -> str:
        before = _numbers(self.graph.objects(event, KG.troopsBefore))
        after = _numbers(self.graph.objects(event, KG.troopsAfter))
        count = _numbers(self.graph.objects(event, KG.troopCount))
        parts = []
        if before or after:
            parts.append(f"{_thousands(before) or '?'} → {_thousands(after) or '?'}")
        if count:
            parts.append(f"{_thousands(count)} troops")
        return ", ".join(parts)

    # --- evidence ----------------------------------------------------------------

    def _evidence(self, event: Node) -> list[JSON]:
        """Each evidence sentence with the article(s) it was read from.

        The union graph does not say which article gave which sentence, so
        the event's trigger mentions place the sentence in each candidate
        article (see `_sources`); with one source article there is no doubt.
        """
        sources = self.article_ids(self.graph.objects(event, PROV.wasDerivedFrom))
        triggers = self._triggers(event)
        items = []
        for sentence in _sorted_strings(self.graph.objects(event, KG.evidence)):
            found = self._sources(sentence, triggers) if len(sources) > 1 else sources
            items.append({"text": sentence, "articles": found or sources})
        return sorted(items, key=lambda item: (item["articles"], item["text"]))

    def _triggers(self, event: Node) -> list[tuple[int, _Mention]]:
        triggers = []
        for mention in self.graph.objects(event, KG.denotedBy):
            found, indexes = self._mentions_read().get(mention, (None, []))
            if found is not None:
                triggers += [(index, found) for index in indexes]
        return triggers

    def _mentions_read(self) -> dict[Node, tuple[_Mention | None, list[int]]]:
        """Every mention: its offsets and words (None if incomplete), and its articles.

        Read once, a property at a time: four scans instead of a lookup per
        mention and property, which a graph read in place from a store pays
        for (`kg.storegraph`).
        """
        if self._mention_table is None:
            begins = dict(self.graph.subject_objects(KG.beginIndex))
            ends = dict(self.graph.subject_objects(KG.endIndex))
            anchors = dict(self.graph.subject_objects(KG.anchorOf))
            articles: dict[Node, list[Node]] = {}
            for mention, article in self.graph.subject_objects(KG.inArticle):
                articles.setdefault(mention, []).append(article)
            self._mention_table = {
                mention: (
                    _mention(begins.get(mention), ends.get(mention), anchors.get(mention)),
                    self.article_ids(articles.get(mention, [])),
                )
                for mention in articles.keys() | begins.keys()
            }
        return self._mention_table

    def _all_mentions(self) -> dict[int, list[_Mention]]:
        """Every mention of every article, by article index, in offset order (read once)."""
        if self._mentions is None:
            by_article: dict[int, set[_Mention]] = {}
            for found, indexes in self._mentions_read().values():
                for index in indexes:
                    if found is not None:
                        by_article.setdefault(index, set()).add(found)
            self._mentions = {
                index: sorted(found, key=_offsets) for index, found in by_article.items()
            }
        return self._mentions

    def _sources(self, sentence: str, triggers: list[tuple[int, _Mention]]) -> list[int]:
        """The articles in which `sentence` lines up with everything mentioned around a trigger.

        A trigger of the event at offset b in article A, found at position p
        of the sentence, puts the sentence at [b - p, b - p + len) of A; every
        mention A has in that window must then read the same in the sentence.
        The articles where that holds for the most mentions win.
        """
        scores: dict[int, int] = {}
        for index, trigger in triggers:
            mentions = self._all_mentions().get(index, [])
            for position in _occurrences(sentence, trigger.anchor):
                start = trigger.begin - position
                score = _alignment(sentence, start, mentions)
                if score is not None:
                    scores[index] = max(scores.get(index, 0), score)
        best = max(scores.values(), default=None)
        return sorted(index for index, score in scores.items() if score == best)


def _mention(begin: Node | None, end: Node | None, anchor: Node | None) -> _Mention | None:
    """A mention's offsets and words, or None if its graph lacks any of them."""
    if not (isinstance(begin, Literal) and isinstance(end, Literal) and anchor is not None):
        return None
    first, last = begin.toPython(), end.toPython()
    if not (isinstance(first, int) and isinstance(last, int)):
        return None
    return _Mention(first, last, str(anchor))


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
