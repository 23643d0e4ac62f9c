"""Event mentions → events: one node per real-world event, one claim per article.

Two statements are taken for the same event when nothing they say
contradicts (type, parties, places, dates, figures) and, across articles,
when something ties them in time: compatible dates, the same starting troop
level, the same person killed, or articles published close together.
Within one article a plan and a past fact are never joined: the article's
own tense separates them. Syndicated copies (articles whose bodies are the
same text, whitespace aside) are one story: what a copy states joins the
events its first copy's same sentences went to, dated or not.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from kg.records import (
    PLACE_CLASSES,
    PLACE_ROLES,
    ArgumentRole,
    ArticleExtraction,
    Entity,
    Event,
    EventArgument,
    EventClaim,
    EventMention,
    EventType,
)
from kg.resolve.entities import Resolution

SYMMETRIC: frozenset[EventType] = frozenset({"Meeting", "Agreement"})
ACTING_ROLES: frozenset[ArgumentRole] = frozenset({"agent", "participant"})
# Whom or where it happened to: what two statements of one event must not disagree on.
AFFECTED_ROLES: frozenset[ArgumentRole] = frozenset({"target", "location"})
LINKING_ROLES: frozenset[ArgumentRole] = frozenset({"agent", "participant", "target", "location"})
AGENT_ROLES: frozenset[ArgumentRole] = frozenset({"agent"})
SOURCE_ROLES: frozenset[ArgumentRole] = frozenset({"accordingTo"})
CLOSE_PUBLICATION_DAYS = 31
# How far from its article's publication an undated plan or report may lie.
UNDATED_REACH_DAYS = 366
LABEL_WORDS: tuple[tuple[ArgumentRole, str], ...] = (
    ("target", "of"),
    ("agent", "by"),
    ("participant", "with"),
    ("location", "in"),
    ("destination", "to"),
)


# A statement within one story, as every copy makes it: the claim without its article
# and offsets (spacing may differ between copies), the words of its triggers kept.
_StoryKey = tuple[EventType, EventClaim]


@dataclass
class _Group:
    """Claims taken for one event while resolving."""

    event_type: EventType
    number: int  # creation order: the first fitting group wins, whatever the index returns
    claims: list[EventClaim] = field(default_factory=list)
    published: list[date | None] = field(default_factory=list)


def _years(claim: EventClaim, published: date | None) -> set[int | None]:
    """The years a claim is about: its date's, else its article's; None when neither is known."""
    if claim.date:
        return {int(claim.date[:4])}
    return {published.year} if published else {None}


class _GroupIndex:
    """Groups by (type, a party or place, year), so a claim meets only groups it could join.

    A claim can only join a group that shares an argument with it and is tied
    to it in time (within a year of its date or publication, or undated), so
    resolution's cost grows with the events of the same story, not the corpus.
    A claim with no year at all (an undated article) may still be tied by a
    figure or a person killed, so it meets every group sharing an argument.
    """

    def __init__(self) -> None:
        self._buckets: dict[tuple[EventType, str, int | None], dict[int, _Group]] = {}
        self._any_year: dict[tuple[EventType, str], dict[int, _Group]] = {}

    def add(self, group: _Group, claims: list[EventClaim], published: date | None) -> None:
        for claim in claims:
            for key in _keys(claim, LINKING_ROLES):
                self._any_year.setdefault((group.event_type, key), {})[group.number] = group
                for year in _years(claim, published):
                    bucket = self._buckets.setdefault((group.event_type, key, year), {})
                    bucket[group.number] = group

    def candidates(
        self, event_type: EventType, claims: list[EventClaim], published: date | None
    ) -> list[_Group]:
        found: dict[int, _Group] = {}
        for claim in claims:
            if _years(claim, published) == {None}:
                for key in _keys(claim, LINKING_ROLES):
                    found.update(self._any_year.get((event_type, key), {}))
                continue
            years: set[int | None] = {None}
            for year in _years(claim, published):
                if year is not None:
                    years.update(range(year - 1, year + 2))
            for key in _keys(claim, LINKING_ROLES):
                for year in years:
                    found.update(self._buckets.get((event_type, key, year), {}))
        return [found[n] for n in sorted(found)]


class _World:
    """What resolution knows about entities: who acts for whom, what lies inside what."""

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {e.key: e for e in entities}

    @functools.cache  # noqa: B019 - one _World per resolution; entities are few
    def acting_for(self, key: str) -> tuple[str, ...]:
        """Every body or state `key` acts for, transitively: a brigade for its army, the
        army for its state."""
        found: list[str] = []
        todo = [key]
        while todo:
            entity = self.entities.get(todo.pop())
            for principal in entity.acts_for if entity else ():
                if principal not in found and principal != key:
                    found.append(principal)
                    todo.append(principal)
        return tuple(found)

    @functools.cache  # noqa: B019 - one _World per resolution; entities are few
    def containers(self, key: str) -> frozenset[str]:
        """Every place `key` lies in, transitively."""
        found: set[str] = set()
        todo = [key]
        while todo:
            entity = self.entities.get(todo.pop())
            for parent in entity.located_in if entity else ():
                if parent not in found:
                    found.add(parent)
                    todo.append(parent)
        return frozenset(found)

    def is_place(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.entity_class in PLACE_CLASSES

    def is_person(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.entity_class == "Person"

    def label(self, key: str) -> str:
        entity = self.entities.get(key)
        return entity.label if entity else key


def _arguments(
    mention: EventMention, source: str, resolution: Resolution, world: _World
) -> tuple[EventArgument, ...]:
    """Entity keys for a mention's arguments.

    Whoever acts for a state brings the state in as a party: a ministry, a
    command, a unit, a capital named for its government ('the Pentagon',
    'the 10th Mountain Division', 'Beijing' → their states).
    """
    found: set[EventArgument] = set()
    for role, start in mention.arguments:
        key = resolution.mention_entity.get((source, start))
        if key is None or (role in PLACE_ROLES and not world.is_place(key)):
            continue
        found.add((role, key))
        if role in ACTING_ROLES:
            found.update((role, state) for state in world.acting_for(key))
    return tuple(sorted(found))


def _claim(
    mention: EventMention, extraction: ArticleExtraction, resolution: Resolution, world: _World
) -> EventClaim:
    article = extraction.article
    return EventClaim(
        article=article.source_file,
        evidence=mention.evidence,
        sentence_start=mention.sentence_start,
        sentence_end=mention.sentence_end,
        triggers=((mention.start, mention.end, mention.trigger),),
        arguments=_arguments(mention, article.source_file, resolution, world),
        date=mention.date,
        troops_before=mention.troops_before,
        troops_after=mention.troops_after,
        troop_count=mention.troop_count,
        status=mention.status,
    )


def _keys(claim: EventClaim, roles: frozenset[ArgumentRole]) -> set[str]:
    return {key for role, key in claim.arguments if role in roles}


def _parties(claim: EventClaim, event_type: EventType) -> set[str]:
    return _keys(claim, ACTING_ROLES if event_type in SYMMETRIC else AGENT_ROLES)


def _dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _places_agree(a: set[str], b: set[str], world: _World) -> bool:
    """Either is unknown, or they share a place, or one lies in the other (al-Asad in Iraq)."""
    if not a or not b or a & b:
        return True
    return any(x in world.containers(y) or y in world.containers(x) for x in a for y in b)


def _figures_agree(a: EventClaim, b: EventClaim) -> bool:
    pairs = (
        (a.troops_before, b.troops_before),
        (a.troops_after, b.troops_after),
        (a.troop_count, b.troop_count),
    )
    return all(x is None or y is None or x.value == y.value for x, y in pairs)


def _same_baseline(a: EventClaim, b: EventClaim) -> bool:
    """Two reports of a change from the same troop level in the same year ('from 5,200')."""
    if a.troops_before is None or b.troops_before is None:
        return False
    same_year = a.date is None or b.date is None or a.date[:4] == b.date[:4]
    return a.troops_before.value == b.troops_before.value and same_year


def _consistent(a: EventClaim, b: EventClaim, event_type: EventType, world: _World) -> bool:
    """Nothing the two claims say contradicts the other."""
    parties_a, parties_b = _parties(a, event_type), _parties(b, event_type)
    if parties_a and parties_b and not parties_a & parties_b:
        return False
    if not _places_agree(_keys(a, AFFECTED_ROLES), _keys(b, AFFECTED_ROLES), world):
        return False
    destinations_a, destinations_b = (
        _keys(a, frozenset({"destination"})),
        _keys(b, frozenset({"destination"})),
    )
    if not _places_agree(destinations_a, destinations_b, world):
        return False
    return _dates_agree(a.date, b.date) or _same_baseline(a, b)


def _within_reach(claim_date: str, published: date, status: str) -> bool:
    """Whether a dated event fits an undated claim from an article published on `published`."""
    when = date.fromisoformat((claim_date + "-01-01")[:10] if len(claim_date) < 10 else claim_date)
    if status == "planned":
        # A plan points ahead: its date is at or after publication, at the date's precision.
        ahead = claim_date >= published.isoformat()[: len(claim_date)]
        return ahead and (when - published).days <= UNDATED_REACH_DAYS
    behind = claim_date <= published.isoformat()[: len(claim_date)]
    return behind and (published - when).days <= UNDATED_REACH_DAYS


def _tied_in_time(
    a: EventClaim,
    pub_a: date | None,
    b: EventClaim,
    pub_b: date | None,
    event_type: EventType,
    world: _World,
) -> bool:
    """Positive evidence, beyond the absence of contradiction, that two articles mean one event."""
    if a.date and b.date:
        return True  # consistent dates, checked before
    if _same_baseline(a, b):
        return True
    if event_type == "Killing" and any(
        world.is_person(k) for k in _keys(a, AFFECTED_ROLES) & _keys(b, AFFECTED_ROLES)
    ):
        return True  # a person is killed once
    if a.date and pub_b:
        return _within_reach(a.date, pub_b, b.status)
    if b.date and pub_a:
        return _within_reach(b.date, pub_a, a.status)
    if pub_a and pub_b:
        return abs((pub_a - pub_b).days) <= CLOSE_PUBLICATION_DAYS
    return False


def _shares_argument(a: EventClaim, b: EventClaim, event_type: EventType) -> bool:
    """Whether the claims name a common party or place; a statement is defined by its speaker."""
    roles = AGENT_ROLES if event_type == "Statement" else LINKING_ROLES
    return bool(_keys(a, roles) & _keys(b, roles))


def _merge_claims(claims: Sequence[EventClaim]) -> EventClaim:
    """One article's several statements of an event as one claim.

    The evidence is the sentence that says most (figures first, then arguments);
    every other value is the first one stated.
    """
    best = max(
        claims,
        key=lambda c: (
            sum(f is not None for f in (c.troops_before, c.troops_after, c.troop_count)),
            len(c.arguments),
            -c.sentence_start,
        ),
    )

    def first(values: Iterable[object]) -> object:
        return next((v for v in values if v is not None), None)

    return replace(
        best,
        triggers=tuple(sorted({t for c in claims for t in c.triggers})),
        arguments=tuple(sorted({a for c in claims for a in c.arguments})),
        date=first(c.date for c in claims),  # type: ignore[arg-type]
        troops_before=first(c.troops_before for c in claims),  # type: ignore[arg-type]
        troops_after=first(c.troops_after for c in claims),  # type: ignore[arg-type]
        troop_count=first(c.troop_count for c in claims),  # type: ignore[arg-type]
    )


def _disputed(a: EventClaim, b: EventClaim) -> bool:
    """One sentence, two sources, two figures for one thing: '2,500, says X; Y puts it at 3,000'.

    Two figures without two sources ('5,000 US troops and 2,500 coalition
    forces') count different things, not a dispute.
    """
    sources_a = _keys(a, SOURCE_ROLES)
    sources_b = _keys(b, SOURCE_ROLES)
    return (
        a.sentence_start == b.sentence_start
        and not _figures_agree(a, b)
        and bool(sources_a)
        and bool(sources_b)
        and sources_a != sources_b
    )


def _variants(members: list[EventClaim]) -> list[EventClaim]:
    """An article's statements of one event, one claim per distinct set of figures."""
    variants: list[list[EventClaim]] = []
    for claim in members:
        home = next((v for v in variants if all(_figures_agree(m, claim) for m in v)), None)
        if home is None:
            variants.append([claim])
        else:
            home.append(claim)
    return [_merge_claims(v) for v in variants]


def _article_groups(
    extraction: ArticleExtraction, resolution: Resolution, world: _World
) -> list[tuple[EventType, list[EventClaim]]]:
    """An article's event mentions joined into the events it states, with their claims.

    An event has one claim per article, or one per figure when the article
    itself reports sources that disagree.
    """
    groups: list[tuple[EventType, list[EventClaim]]] = []
    for mention in sorted(extraction.events, key=lambda m: m.start):
        claim = _claim(mention, extraction, resolution, world)
        for event_type, members in groups:
            if event_type == mention.event_type and all(
                m.status == claim.status
                and (_figures_agree(m, claim) or _disputed(m, claim))
                and _consistent(m, claim, event_type, world)
                for m in members
            ):
                members.append(claim)
                break
        else:
            groups.append((mention.event_type, [claim]))
    return [(t, _variants(members)) for t, members in groups]


def _fits(group: _Group, claims: list[EventClaim], published: date | None, world: _World) -> bool:
    """Whether one article's claims state the event `group` holds from other articles."""
    if any(c.article == claims[0].article for c in group.claims):
        return False
    if not all(_consistent(c, n, group.event_type, world) for c in group.claims for n in claims):
        return False
    return any(
        _shares_argument(c, n, group.event_type)
        and _tied_in_time(c, pub, n, published, group.event_type, world)
        for c, pub in zip(group.claims, group.published, strict=True)
        for n in claims
    )


def _copied_home(
    story: dict[_StoryKey, _Group], event_type: EventType, claims: list[EventClaim], world: _World
) -> _Group | None:
    """The event a syndicated copy's claims state: where an earlier copy's same statement went.

    Being the same story ties a copy to that event in time, dated or not; it
    must still not contradict any claim already on it.
    """
    for claim in claims:
        home = story.get((event_type, _as_stated(claim)))
        if home is not None and all(
            _consistent(c, n, event_type, world) for c in home.claims for n in claims
        ):
            return home
    return None


def _as_stated(claim: EventClaim) -> EventClaim:
    """The claim as any copy of its story states it (see `_StoryKey`)."""
    return replace(
        claim,
        article="",
        sentence_start=0,
        sentence_end=0,
        triggers=tuple((0, 0, word) for _, _, word in claim.triggers),
    )


def _event_key(group: _Group, taken: set[str]) -> str:
    arguments = sorted({a for c in group.claims for a in c.arguments if a[0] != "accordingTo"})
    dates = sorted({c.date for c in group.claims if c.date})
    parts = [group.event_type, *(f"{r}={k}" for r, k in arguments), *dates]
    first = group.claims[0]
    for salt in ("", f"{first.article}#{first.triggers[0][0]}"):
        digest = hashlib.sha1("|".join([*parts, salt]).encode()).hexdigest()[:16]
        key = f"event/{digest}"
        if key not in taken:
            return key
    raise AssertionError("two events from one trigger")  # pragma: no cover


def _label(group: _Group, world: _World) -> str:
    """'Withdrawal by United States in Iraq (2020-09)': readable without opening the node."""
    arguments = {a for c in group.claims for a in c.arguments}
    parts: list[str] = [group.event_type]
    for role, word in LABEL_WORDS:
        names = sorted({world.label(k) for r, k in arguments if r == role})
        if role == "location" and group.event_type == "Withdrawal":
            word = "from"
        if names:
            parts.append(f"{word} {' and '.join(names)}")
    dates = sorted({c.date for c in group.claims if c.date})
    if dates:
        parts.append(f"({', '.join(dates)})")
    return " ".join(parts)


def resolve_events(
    extractions: Sequence[ArticleExtraction], resolution: Resolution
) -> tuple[Event, ...]:
    """Every event in the corpus, statements of the same event joined across articles."""
    world = _World(resolution.entities)
    groups: list[_Group] = []
    index = _GroupIndex()
    stories: dict[str, dict[_StoryKey, _Group]] = {}  # body digest → where its claims went
    for extraction in sorted(extractions, key=lambda e: e.article.source_file):
        published = extraction.article.published
        story = stories.setdefault(
            extraction.article.body_digest or extraction.article.source_file, {}
        )
        stated: list[tuple[_StoryKey, _Group]] = []
        for event_type, claims in _article_groups(extraction, resolution, world):
            home = _copied_home(story, event_type, claims, world) or next(
                (
                    g
                    for g in index.candidates(event_type, claims, published)
                    if _fits(g, claims, published, world)
                ),
                None,
            )
            if home is None:
                home = _Group(event_type, number=len(groups))
                groups.append(home)
            home.claims.extend(claims)
            home.published.extend([published] * len(claims))
            index.add(home, claims, published)
            stated.extend(((event_type, _as_stated(claim)), home) for claim in claims)
        for statement, home in stated:  # for the next copies, never for this article itself
            story.setdefault(statement, home)
    events: list[Event] = []
    taken: set[str] = set()
    for group in groups:
        key = _event_key(group, taken)
        taken.add(key)
        events.append(
            Event(
                key=key,
                event_type=group.event_type,
                label=_label(group, world),
                claims=tuple(group.claims),
            )
        )
    return tuple(sorted(events, key=lambda e: e.key))
