"""Event mentions → events: one node per real-world event, one claim per article.

Two statements are taken for the same event when nothing they say
contradicts (type, parties, places, dates, figures) and, across articles,
when something ties them in time: compatible dates, the same starting troop
level, the same person killed, or articles published close together (the
rules: kg/resolve/ties.py). Within one article a plan and a past fact are
never joined: the article's own tense separates them. Syndicated copies
(articles whose bodies are the same text, whitespace aside) are one story:
what a copy states joins the events its first copy's same sentences went
to, dated or not.

Each article's statements join the first event, in order of creation, that
they fit. The events they could fit are found through blocks by type, place
and time (kg/resolve/blocks.py), and weighed against what differs among
their claims, so the work grows with the corpus, not with its square.

Each article whose claims join an event another article made is recorded
with the tie that joined them, where the decision is made (`Event.joined`):
the reason `kg explain` prints and graph/resolution keeps.
"""

from __future__ import annotations

import hashlib
import heapq
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter

from kg.records import (
    PLACE_ROLES,
    ArgumentRole,
    ArticleExtraction,
    ClaimTie,
    Event,
    EventArgument,
    EventClaim,
    EventMention,
    EventType,
)
from kg.resolve.blocks import Blocks
from kg.resolve.entities import Resolution
from kg.resolve.ties import (
    ACTING_ROLES,
    Consensus,
    Facts,
    World,
    consistent,
    keys,
    month,
    shares_argument,
    time_tie,
)

SOURCE_ROLES: frozenset[ArgumentRole] = frozenset({"accordingTo"})
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
_Stated = list[tuple[EventClaim, Facts]]  # an article's claims of one event, with their facts
_Story = dict[_StoryKey, tuple["_Group", str]]  # a statement → its event and the copy it came in


@dataclass
class EventStats:
    """The work event resolution did: events weighed for a claim, and pairs of facts compared."""

    candidates: int = 0
    comparisons: int = 0


@dataclass
class _Group:
    """Claims taken for one event while resolving.

    Besides the claims, what they say (`Consensus`) and one `Facts` per
    distinct value of what ties: weighing a claim against these is weighing it
    against every claim, however many articles repeat the same. The ties of
    undated claims that only time ties are kept by month of publication, so a
    claim reads only those it could be tied to (see `Facts.tie_months`); the
    others by year, as every tie reaches a year either way at most (`near`),
    each numbered so that they are read in the order they came, whichever years.
    """

    event_type: EventType
    number: int  # creation order: the first fitting group wins, whatever the blocks return
    claims: list[EventClaim] = field(default_factory=list)
    articles: set[str] = field(default_factory=set)
    consensus: Consensus = field(default_factory=Consensus)
    ties: dict[tuple[object, ...], str] = field(default_factory=dict)  # → the first article
    tied_by_time: dict[int, list[Facts]] = field(default_factory=dict)  # by month published
    tied_otherwise: dict[int | None, list[tuple[int, Facts]]] = field(default_factory=dict)
    joined: list[ClaimTie] = field(default_factory=list)  # why each later article joined

    def add(self, stated: _Stated, tie: ClaimTie | None = None) -> None:
        """Take one article's claims, joined by `tie` (None: the claims that made the group)."""
        if tie is not None and tie.article not in self.articles:
            self.joined.append(tie)
        for claim, facts in stated:
            self.claims.append(claim)
            self.articles.add(claim.article)
            self.consensus.add(facts)
            tie_value = facts.tie()
            if tie_value in self.ties:
                continue
            self.ties[tie_value] = claim.article
            if facts.published and not (facts.claim_date or facts.killing) and facts.before is None:
                self.tied_by_time.setdefault(month(facts.published), []).append(facts)
            else:
                self.tied_otherwise.setdefault(facts.year, []).append((len(self.ties), facts))

    def ties_for(self, facts: Facts) -> Iterator[Facts]:
        """The facts of its claims that `facts` could be tied to."""
        held = self.tied_otherwise
        year = facts.year
        years = held.keys() if year is None else (year - 1, year, year + 1, None)
        near = [held[y] for y in years if y in held]
        ordered = near[0] if len(near) == 1 else heapq.merge(*near, key=itemgetter(0))
        yield from (tied for _, tied in ordered)
        for number in facts.tie_months():
            yield from self.tied_by_time.get(number, ())


def _arguments(
    mention: EventMention, source: str, resolution: Resolution, world: World
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
    mention: EventMention, extraction: ArticleExtraction, resolution: Resolution, world: World
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


def _figures_agree(a: EventClaim, b: EventClaim) -> bool:
    pairs = (
        (a.troops_before, b.troops_before),
        (a.troops_after, b.troops_after),
        (a.troop_count, b.troop_count),
    )
    return all(x is None or y is None or x.value == y.value for x, y in pairs)


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
    sources_a = keys(a, SOURCE_ROLES)
    sources_b = keys(b, SOURCE_ROLES)
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


def _article_events(
    extraction: ArticleExtraction, resolution: Resolution, world: World
) -> list[tuple[EventType, _Stated]]:
    """An article's event mentions joined into the events it states, with their claims.

    An event has one claim per article, or one per figure when the article
    itself reports sources that disagree.
    """
    published = extraction.article.published
    groups: list[tuple[EventType, _Stated]] = []
    for mention in sorted(extraction.events, key=lambda m: m.start):
        claim = _claim(mention, extraction, resolution, world)
        facts = Facts.of(claim, published, mention.event_type, world)
        for event_type, members in groups:
            if event_type == mention.event_type and all(
                m.status == claim.status
                and (_figures_agree(m, claim) or _disputed(m, claim))
                and consistent(f, facts, world)
                for m, f in members
            ):
                members.append((claim, facts))
                break
        else:
            groups.append((mention.event_type, [(claim, facts)]))
    return [
        (t, [(v, Facts.of(v, published, t, world)) for v in _variants([m for m, _ in members])])
        for t, members in groups
    ]


def _fits(group: _Group, stated: _Stated, world: World, stats: EventStats) -> ClaimTie | None:
    """The tie by which one article's claims state the event `group` holds from other
    articles, or None when they do not."""
    article = stated[0][0].article
    if article in group.articles:
        return None
    stats.candidates += 1
    for _, facts in stated:
        stats.comparisons += group.consensus.weighed(facts)
        if not group.consensus.admits(facts, world):
            return None
    for _, facts in stated:
        for held in group.ties_for(facts):
            stats.comparisons += 1
            if shares_argument(held, facts) and (rule := time_tie(held, facts, world)):
                shared = tuple(sorted(held.linking & facts.linking))
                return ClaimTie(article, rule, group.ties[held.tie()], shared)
    return None


def _copied_home(
    story: _Story, event_type: EventType, stated: _Stated, world: World, stats: EventStats
) -> tuple[_Group, ClaimTie] | None:
    """The event a syndicated copy's claims state: where an earlier copy's same statement went.

    Being the same story ties a copy to that event in time, dated or not; it
    must still not contradict any claim already on it.
    """
    for claim, _ in stated:
        found = story.get((event_type, _as_stated(claim)))
        if found is None:
            continue
        home, copy = found
        stats.comparisons += sum(home.consensus.weighed(facts) for _, facts in stated)
        if all(home.consensus.admits(facts, world) for _, facts in stated):
            return home, ClaimTie(claim.article, "SyndicatedCopy", copy)
    return None


def _candidate_home(
    blocks: Blocks[_Group],
    event_type: EventType,
    stated: _Stated,
    world: World,
    stats: EventStats,
) -> tuple[_Group, ClaimTie] | None:
    """The first event, in order of creation, that one article's claims fit, and the tie."""
    for group in blocks.candidates(event_type, [f for _, f in stated]):
        if tie := _fits(group, stated, world, stats):
            return group, tie
    return None


def _copied_bodies(extractions: Sequence[ArticleExtraction]) -> set[str]:
    """The bodies more than one article has: only their statements need remembering."""
    counts = Counter(_body(e) for e in extractions)
    return {body for body, count in counts.items() if count > 1}


def _body(extraction: ArticleExtraction) -> str:
    return extraction.article.body_digest or extraction.article.source_file


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


def _label(group: _Group, world: World) -> str:
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
    extractions: Sequence[ArticleExtraction],
    resolution: Resolution,
    stats: EventStats | None = None,
) -> tuple[Event, ...]:
    """Every event in the corpus, statements of the same event joined across articles.

    `stats`, when given, counts the work it took.
    """
    stats = stats if stats is not None else EventStats()
    world = World(resolution.entities)
    groups: list[_Group] = []
    blocks: Blocks[_Group] = Blocks(world)
    copied = _copied_bodies(extractions)
    stories: dict[str, _Story] = {}  # copied body → where its claims went
    for extraction in sorted(extractions, key=lambda e: e.article.source_file):
        body = _body(extraction)
        story = stories.setdefault(body, {}) if body in copied else None
        source = extraction.article.source_file
        statements: list[tuple[_StoryKey, _Group]] = []
        for event_type, stated in _article_events(extraction, resolution, world):
            found = (
                story and _copied_home(story, event_type, stated, world, stats)
            ) or _candidate_home(blocks, event_type, stated, world, stats)
            if found is None:
                home, tie = _Group(event_type, number=len(groups)), None
                groups.append(home)
            else:
                home, tie = found
            home.add(stated, tie)
            for _, facts in stated:
                blocks.add(home, event_type, facts)
            if story is not None:
                statements.extend(((event_type, _as_stated(claim)), home) for claim, _ in stated)
        if story is not None:  # for the next copies, never for this article itself
            for statement, home in statements:
                story.setdefault(statement, (home, source))
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
                joined=tuple(group.joined),
            )
        )
    return tuple(sorted(events, key=lambda e: e.key))
