"""When two statements may be one event: what contradicts, and what ties them in time.

The rules compare `Facts`, what resolution weighs of a claim, read once per
claim: so a group of claims can keep one `Facts` per distinct value and weigh
a new claim against those, not against every article that repeats them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from kg.records import (
    PLACE_CLASSES,
    ArgumentRole,
    Entity,
    EventClaim,
    EventType,
    Status,
    TieRule,
)

SYMMETRIC: frozenset[EventType] = frozenset({"Meeting", "Agreement"})
ACTING_ROLES: frozenset[ArgumentRole] = frozenset({"agent", "participant"})
# Whom or where it happened to: what two statements of one event must not disagree on.
AFFECTED_ROLES: frozenset[ArgumentRole] = frozenset({"target", "location"})
LINKING_ROLES: frozenset[ArgumentRole] = frozenset({"agent", "participant", "target", "location"})
AGENT_ROLES: frozenset[ArgumentRole] = frozenset({"agent"})
DESTINATION_ROLES: frozenset[ArgumentRole] = frozenset({"destination"})
CLOSE_PUBLICATION_DAYS = 31
# How far from its article's publication an undated plan or report may lie.
UNDATED_REACH_DAYS = 366
REACH = timedelta(days=UNDATED_REACH_DAYS)
CLOSE = timedelta(days=CLOSE_PUBLICATION_DAYS)


class World:
    """What resolution knows about entities: who acts for whom, what lies inside what.

    Its caches live on the instance, not on the methods (`functools.cache` on a method
    keeps every World and all its entities alive for the life of the process): they go
    with the World when resolution is done.
    """

    def __init__(self, entities: Iterable[Entity]) -> None:
        self.entities = {e.key: e for e in entities}
        self._acting_for: dict[str, tuple[str, ...]] = {}
        self._containers: dict[str, frozenset[str]] = {}
        self._key_sets: dict[frozenset[str], frozenset[str]] = {}

    def acting_for(self, key: str) -> tuple[str, ...]:
        """Every body or state `key` acts for, transitively: a brigade for its army, the
        army for its state."""
        if key not in self._acting_for:
            found = self._reached(key, lambda entity: entity.acts_for)
            self._acting_for[key] = tuple(k for k in found if k != key)
        return self._acting_for[key]

    def containers(self, key: str) -> frozenset[str]:
        """Every place `key` lies in, transitively."""
        if key not in self._containers:
            self._containers[key] = frozenset(self._reached(key, lambda entity: entity.located_in))
        return self._containers[key]

    def _reached(self, key: str, links: Callable[[Entity], Iterable[str]]) -> list[str]:
        """Every key reached from `key` along `links`, in the order first met."""
        found: list[str] = []
        seen: set[str] = set()
        todo = [key]
        while todo:
            entity = self.entities.get(todo.pop())
            for linked in links(entity) if entity else ():
                if linked not in seen:
                    seen.add(linked)
                    found.append(linked)
                    todo.append(linked)
        return found

    def shared(self, keys: set[str]) -> frozenset[str]:
        """One frozenset object for each set of keys: resolution holds five per claim until
        the events are made, mostly the same few ({}, {United States}); a frozenset is 216
        bytes."""
        frozen = frozenset(keys)
        return self._key_sets.setdefault(frozen, frozen)

    def is_place(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.entity_class in PLACE_CLASSES

    def is_person(self, key: str) -> bool:
        entity = self.entities.get(key)
        return entity is not None and entity.entity_class == "Person"

    def label(self, key: str) -> str:
        entity = self.entities.get(key)
        return entity.label if entity else key


def keys(claim: EventClaim, roles: frozenset[ArgumentRole]) -> set[str]:
    return {key for role, key in claim.arguments if role in roles}


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read of a claim of an event of a given type, and of its article."""

    parties: frozenset[str]  # who acts, as far as two statements must agree on it
    acting: frozenset[str]  # who acts, as far as it ties two statements
    places: frozenset[str]  # whom or where it happened to
    destinations: frozenset[str]
    linking: frozenset[str]  # every key that ties it to a statement naming it too
    places_link: bool  # whether its places are among them (a statement is tied by its speaker)
    claim_date: str | None  # ISO, at the precision stated
    before: int | None  # the troop level a change starts from
    status: Status
    published: date | None  # its article's
    killing: bool

    @classmethod
    def of(
        cls, claim: EventClaim, published: date | None, event_type: EventType, world: World
    ) -> Facts:
        """A statement is defined by its speaker, a meeting by all who meet, else by who acts."""
        statement = event_type == "Statement"
        shared = world.shared
        return cls(
            parties=shared(keys(claim, ACTING_ROLES if event_type in SYMMETRIC else AGENT_ROLES)),
            acting=shared(keys(claim, AGENT_ROLES if statement else ACTING_ROLES)),
            places=shared(keys(claim, AFFECTED_ROLES)),
            destinations=shared(keys(claim, DESTINATION_ROLES)),
            linking=shared(keys(claim, AGENT_ROLES if statement else LINKING_ROLES)),
            places_link=not statement,
            claim_date=claim.date,
            before=claim.troops_before.value if claim.troops_before else None,
            status=claim.status,
            published=published,
            killing=event_type == "Killing",
        )

    @property
    def year(self) -> int | None:
        """The year it is about: its date's, else its article's; None when neither is known."""
        if self.claim_date:
            return int(self.claim_date[:4])
        return self.published.year if self.published else None

    def tie(self) -> tuple[object, ...]:
        """All that `shares_argument` and `tied_in_time` read: of a dated claim, not its
        article's publication nor its status, which only an undated claim's tie reads."""
        killed = self.places if self.killing else None
        if self.claim_date:
            return (self.linking, killed, self.claim_date, self.before)
        return (self.linking, killed, self.before, self.published, self.status)

    def tie_months(self) -> range:
        """The months of publication of the undated claims this one may be tied to by time
        alone (within reach of its date, or published within a month of its article)."""
        if self.claim_date:
            first = first_day(self.claim_date)
            return months(first - REACH, first + REACH)
        if self.published:
            return months(self.published - CLOSE, self.published + CLOSE)
        return range(0)


def first_day(claim_date: str) -> date:
    """The first day an ISO date of any precision covers ('2020-09' → 2020-09-01)."""
    return date.fromisoformat((claim_date + "-01-01")[:10])


def month(day: date) -> int:
    """A month as one number, so that spans of months are ranges."""
    return day.year * 12 + day.month - 1


def months(first: date, last: date) -> range:
    return range(month(first), month(last) + 1)


def dates_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def places_agree(a: frozenset[str], b: frozenset[str], world: World) -> bool:
    """Either is unknown, or they share a place, or one lies in the other (al-Asad in Iraq)."""
    if not a or not b or a & b:
        return True
    return any(x in world.containers(y) or y in world.containers(x) for x in a for y in b)


def same_baseline(a: Facts, b: Facts) -> bool:
    """Two reports of a change from the same troop level in the same year ('from 5,200')."""
    if a.before is None or b.before is None:
        return False
    same_year = a.claim_date is None or b.claim_date is None or a.claim_date[:4] == b.claim_date[:4]
    return a.before == b.before and same_year


def parties_agree(a: frozenset[str], b: frozenset[str]) -> bool:
    return not a or not b or not a.isdisjoint(b)


def times_agree(a: Facts, b: Facts) -> bool:
    return dates_agree(a.claim_date, b.claim_date) or same_baseline(a, b)


def consistent(a: Facts, b: Facts, world: World) -> bool:
    """Nothing the two claims say contradicts the other."""
    return (
        parties_agree(a.parties, b.parties)
        and places_agree(a.places, b.places, world)
        and places_agree(a.destinations, b.destinations, world)
        and times_agree(a, b)
    )


@dataclass
class Consensus:
    """What the claims of one event say, in each respect that `consistent` reads: a claim
    is consistent with them all when it agrees with each value, so the work grows with
    what differs among them, not with how many they are, and only in the respects the
    claim states (an undated claim agrees with every date).

    Of parties and places only the least sets are kept: a claim that agrees with {United
    States} agrees with {United States, Pentagon}, as with any set holding more.
    """

    parties: list[frozenset[str]] = field(default_factory=list)
    places: list[frozenset[str]] = field(default_factory=list)
    destinations: list[frozenset[str]] = field(default_factory=list)
    times: dict[tuple[str, int | None], Facts] = field(default_factory=dict)  # dated claims

    def add(self, facts: Facts) -> None:
        for values, value in (
            (self.parties, facts.parties),
            (self.places, facts.places),
            (self.destinations, facts.destinations),
        ):
            if value and not any(held <= value for held in values):
                values[:] = [held for held in values if not value <= held]
                values.append(value)
        if facts.claim_date:
            self.times.setdefault((facts.claim_date, facts.before), facts)

    def weighed(self, facts: Facts) -> int:
        """How many values `admits` may compare `facts` with: none in a respect it leaves
        unsaid (no party, place, destination or date), which agrees with any."""
        return (
            (len(self.parties) if facts.parties else 0)
            + (len(self.places) if facts.places else 0)
            + (len(self.destinations) if facts.destinations else 0)
            + (len(self.times) if facts.claim_date else 0)
        )

    def admits(self, facts: Facts, world: World) -> bool:
        """Whether `facts` is consistent with every claim this holds."""
        return (
            (not facts.parties or all(parties_agree(v, facts.parties) for v in self.parties))
            and (not facts.places or all(places_agree(v, facts.places, world) for v in self.places))
            and (
                not facts.destinations
                or all(places_agree(v, facts.destinations, world) for v in self.destinations)
            )
            and (
                not facts.claim_date
                or all(times_agree(held, facts) for held in self.times.values())
            )
        )


def within_reach(claim_date: str, published: date, status: str) -> bool:
    """Whether a dated event fits an undated claim from an article published on `published`."""
    when = date.fromisoformat((claim_date + "-01-01")[:10] if len(claim_date) < 10 else claim_date)
    if status == "planned":
        # A plan points ahead: its date is at or after publication, at the date's precision.
        ahead = claim_date >= published.isoformat()[: len(claim_date)]
        return ahead and (when - published).days <= UNDATED_REACH_DAYS
    behind = claim_date <= published.isoformat()[: len(claim_date)]
    return behind and (published - when).days <= UNDATED_REACH_DAYS


def near(a: int | None, b: int | None) -> bool:
    """Whether two claims' years lie within a year of each other; an unknown one is near any."""
    return a is None or b is None or abs(a - b) <= 1


def tied_in_time(a: Facts, b: Facts, world: World) -> bool:
    """Positive evidence, beyond the absence of contradiction, that two articles mean one event."""
    return time_tie(a, b, world) is not None


def time_tie(a: Facts, b: Facts, world: World) -> TieRule | None:
    """The rule by which two claims are tied in time (`tied_in_time`), or None.

    Every tie reaches at most into the year before or after: a person is killed
    once, but a drawdown 'from 5,200' told in 2011 and another told in 2020 are two.
    """
    if not near(a.year, b.year):
        return None
    if a.claim_date and b.claim_date:
        return "DatesAgree"  # consistent dates, checked before
    if same_baseline(a, b):
        return "SameBaseline"
    if a.killing and any(world.is_person(k) for k in a.places & b.places):
        return "SamePersonKilled"  # a person is killed once
    reach: bool | None = None
    if a.claim_date and b.published:
        reach = within_reach(a.claim_date, b.published, b.status)
    elif b.claim_date and a.published:
        reach = within_reach(b.claim_date, a.published, a.status)
    if reach is not None:
        return "DateWithinReach" if reach else None
    if a.published and b.published:
        close = abs((a.published - b.published).days) <= CLOSE_PUBLICATION_DAYS
        return "PublishedClose" if close else None
    return None


def shares_argument(a: Facts, b: Facts) -> bool:
    """Whether the claims name a common party or place; a statement is defined by its speaker."""
    return not a.linking.isdisjoint(b.linking)
