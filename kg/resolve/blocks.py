"""Which events a claim could join: groups blocked by type, where and when.

Resolution joins a claim to the first event (in order of creation) that it
fits (see kg/resolve/ties.py); these blocks name every event it could fit
and few others, so its cost grows with what happened at the same place and
time, not with the corpus.

Where: two statements of one event agree on whom or where it happened to,
and on who acts when both say. So a claim is filed under each place or
target it names and each place containing one (Iraq agrees with al-Asad
inside it), with each party it names, and meets the groups at the same
place, at one containing it or inside it, with a party in common or none
stated. A claim that names no place is filed under the places its event
names elsewhere, once it has any: those of its first claim to name one,
which any claim that may join agrees with, as with every claim of it (a
famous event gathers places with every retelling; these do not grow).
Likewise a claim naming no party, under its event's first parties. Until
then, and for claims that name no place at all, parties are the only link:
such claims are filed under their parties, and a claim naming no place
also reads a secondary index of the parties of events that do name one.
Only such claims read it, so a hub party (the United States, in thousands
of claims) never makes a block for a claim that says where.

When: blocks follow the ties of `tied_in_time`. A dated claim meets claims
of a compatible date ('2020' and '2020-09-09'), and undated ones published
within reach of it in events of the same year or still undated; an undated
claim meets dated claims within reach of its publication and undated ones
published within a month; the same starting troop level and the same
person killed meet within a year.
"""

from __future__ import annotations

import bisect
import heapq
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from kg.records import EventType
from kg.resolve.ties import (
    CLOSE,
    REACH,
    Facts,
    World,
    dates_agree,
    first_day,
    month,
    months,
)

Spot = tuple[str, str]  # ("at", place or target), ("in", a place containing one)
# (*spot, party), ("by", party, ""), ("placed-by", party, ""), ("killed", person, "")
Where = tuple[str, str, str]
NOBODY = ""  # the party of a claim that names none
ANYBODY = "*"  # what a claim that names no party reads
# ("on", date), ("within", a shorter date), ("month", month of the date),
# ("published", the event's date, month), ("published-within", a shorter date, month),
# ("close", month), ("from", level, year),
# ("killed", year); a year of "any" is read from any year
When = tuple[str | int | None, ...]
Span = tuple[When, range]  # the times `head + (month,)` for each month in the range


class Numbered(Protocol):
    """A group of claims, numbered in order of creation."""

    @property
    def number(self) -> int: ...


G = TypeVar("G", bound=Numbered)


@dataclass(frozen=True, slots=True)
class _Said:
    """What a group's claims say together, which each of them is filed by: the places and
    parties the first to name any names (a claim that may join agrees with each claim, so
    with that one: the union would grow with every article that retells a famous event),
    and their date, the most precise of a chain ('2020', '2020-09-09'),
    or None (undated, or `mixed`: two dates that disagree, or a date with a starting level,
    which may agree with a claim whose date does not: 'from 500' in May and in November)."""

    spots: frozenset[Spot] = frozenset()
    parties: frozenset[str] = frozenset()
    date: str | None = None
    mixed: bool = False

    def adding(self, facts: Facts, spots: frozenset[Spot]) -> _Said:
        """What the group says once `facts` is one of its claims."""
        spots, parties = self.spots or spots, self.parties or facts.parties
        given = facts.claim_date
        if not given or self.mixed:
            return _Said(spots, parties, self.date, self.mixed)
        if facts.before is not None or not dates_agree(given, self.date):
            return _Said(spots, parties, None, True)
        return _Said(spots, parties, max(given, self.date or "", key=len))


class Blocks(Generic[G]):
    """Groups filed by (type, where, when); a claim's candidates come out in creation order."""

    def __init__(self, world: World) -> None:
        self._world = world
        self._blocks: dict[tuple[EventType, Where], dict[When, list[G]]] = {}
        # Each group's claims by what they are filed by (`_filing`), each distinct value
        # once: the many articles that repeat a famous event's claim are filed (and refiled
        # as the group's `_Said` grows) once, not once per day of publication.
        self._filed_claims: dict[int, dict[Facts, None]] = {}
        self._said: dict[int, _Said] = {}

    def add(self, group: G, event_type: EventType, facts: Facts) -> None:
        """File `group` under everything a new claim of it could be tied by."""
        claims = self._filed_claims.setdefault(group.number, {})
        said = self._said.get(group.number, _Said())
        now = said.adding(facts, self._spots(facts))
        if now != said:
            # A claim is filed by what its group says where it says nothing itself: anew
            # when that changes (a few times for each event: its first places and parties
            # once each, its dates as they form a chain).
            # Only the blocks it leaves and those it arrives at change: a claim of a
            # famous event is filed in many.
            moved = [held for held in claims if _moves(held, said, now)]
            left = {key for held in moved for key in self._keys(event_type, held, said)}
            arrived = {key for held in moved for key in self._keys(event_type, held, now)}
            for key, when in left - arrived:
                _remove(self._blocks[key][when], group)
            for key, when in arrived - left:
                _insert(self._blocks.setdefault(key, {}).setdefault(when, []), group)
            self._said[group.number] = now
        filed = _filing(facts)
        if filed not in claims:  # else filed under `now` already, as the same filing
            for where, whens in self._filed(filed, now):
                block = self._blocks.setdefault((event_type, where), {})
                for when in whens:
                    _insert(block.setdefault(when, []), group)
            claims[filed] = None

    def candidates(self, event_type: EventType, claims: list[Facts]) -> Iterator[G]:
        """Every group that one of `claims` could be tied to, once each, oldest first.

        Lazily: the caller stops at the first that fits, so a big block costs
        only what is read of it.
        """
        found: list[list[G]] = []
        for facts in claims:
            for where, whens, spans in self._sought(facts):
                block = self._blocks.get((event_type, where))
                if block:
                    found.extend(_read(block, whens, spans))
        last = -1
        for group in heapq.merge(*found, key=_number):
            if group.number != last:
                last = group.number
                yield group

    def _keys(
        self, event_type: EventType, facts: Facts, said: _Said
    ) -> Iterator[tuple[tuple[EventType, Where], When]]:
        """The blocks and times a claim of a group that says `said` is filed under."""
        for where, whens in self._filed(facts, said):
            for when in whens:
                yield (event_type, where), when

    def _spots(self, facts: Facts) -> frozenset[Spot]:
        spots: set[Spot] = {("at", place) for place in facts.places}
        spots |= {("in", c) for p in facts.places for c in self._world.containers(p)}
        return frozenset(spots)

    def _filed(self, facts: Facts, said: _Said) -> Iterator[tuple[Where, list[When]]]:
        """Where a claim of a group is filed, and under which times."""
        spots = self._spots(facts) if facts.places else said.spots
        who = [*(facts.parties or said.parties or [NOBODY]), ANYBODY]
        wheres = [(*spot, party) for spot in spots for party in who]
        wheres += [("placed-by" if spots else "by", party, "") for party in facts.acting]
        # Dates as the group gives them: a claim fits it only if its date agrees with all.
        date = None if said.mixed else said.date
        whens: list[When] = []
        if facts.claim_date:
            own = date or facts.claim_date
            whens.append(("on", own))
            whens += [("within", own[:n]) for n in (4, 7) if n < len(own)]
            whens.append(("month", month(first_day(facts.claim_date))))
        elif facts.published:
            out = month(facts.published)
            whens += [("published", date, out), ("close", out)]
            if date:
                whens += [("published-within", date[:n], out) for n in (4, 7) if n < len(date)]
        if facts.before is not None:
            whens += [("from", facts.before, facts.year), ("from", facts.before, "any")]
        for where in wheres:
            yield where, whens
        for person in self._killed(facts):
            yield ("killed", person, ""), [("killed", facts.year), ("killed", "any")]

    def _sought(self, facts: Facts) -> Iterator[tuple[Where, list[When], list[Span]]]:
        """Where and when to look for the claims `facts` could be tied to (see `_filed`)."""
        around = facts.places | {c for p in facts.places for c in self._world.containers(p)}
        spots: list[Spot] = [("at", place) for place in around]
        spots += [("in", place) for place in facts.places]
        parties = list(facts.acting)
        if facts.places_link:  # one's party may be another's place: 'talks with Iraq', 'in Iraq'
            parties += facts.places
            if not facts.places:
                spots += [("at", party) for party in facts.acting]
        who = [*facts.parties, NOBODY] if facts.parties else [ANYBODY]
        wheres = [(*spot, party) for spot in spots for party in who]
        wheres += [("by", party, "") for party in parties]
        if not facts.places:
            wheres += [("placed-by", party, "") for party in facts.acting]
        whens: list[When] = []
        spans: list[Span] = []
        if facts.claim_date:
            given = facts.claim_date
            prefixes = [given[:n] for n in (4, 7, 10) if n <= len(given)]
            whens += [("on", prefix) for prefix in prefixes]
            whens.append(("within", given))
            reach = months(first_day(given) - REACH, first_day(given) + REACH)
            spans += [(("published", date), reach) for date in (None, *prefixes)]
            spans.append((("published-within", given), reach))
        elif facts.published:
            pub = facts.published
            ahead = pub + REACH if facts.status == "planned" else pub
            spans.append((("month",), months(pub - REACH, ahead)))
            spans.append((("close",), months(pub - CLOSE, pub + CLOSE)))
        years = _near_years(facts.year)
        if facts.before is not None:
            whens += [("from", facts.before, year) for year in years]
        for where in wheres:
            yield where, whens, spans
        for person in self._killed(facts):
            yield ("killed", person, ""), [("killed", year) for year in years], []

    def _killed(self, facts: Facts) -> list[str]:
        if not facts.killing:
            return []
        return [k for k in facts.places if self._world.is_person(k)]


def _read(block: dict[When, list[G]], whens: list[When], spans: list[Span]) -> Iterator[list[G]]:
    """The lists of a block under `whens` and within `spans`, walking whichever is shorter."""
    for when in whens:
        if found := block.get(when):
            yield found
    for head, span in spans:
        if len(span) <= len(block):
            for number in span:
                if found := block.get((*head, number)):
                    yield found
        else:
            size = len(head)
            for when, found in block.items():
                if when[:size] == head and len(when) == size + 1 and when[size] in span:
                    yield found


def _filing(facts: Facts) -> Facts:
    """`facts` as far as `Blocks._filed` and `_moves` read them: its article's publication
    only by month, and only when undated; what only the rules read, left out."""
    published = None if facts.claim_date or not facts.published else facts.published.replace(day=1)
    return Facts(
        parties=facts.parties,
        acting=facts.acting,
        places=facts.places,
        destinations=frozenset(),
        linking=frozenset(),
        places_link=False,
        claim_date=facts.claim_date,
        before=facts.before,
        status="reported",
        published=published,
        killing=facts.killing,
    )


def _moves(facts: Facts, before: _Said, after: _Said) -> bool:
    """Whether a claim is filed otherwise once its group says `after` instead of `before`."""
    if not facts.places and before.spots != after.spots:
        return True
    if not facts.parties and before.parties != after.parties:
        return True
    dated = (before.date, before.mixed) != (after.date, after.mixed)
    return dated and bool(facts.claim_date or facts.published)


def _near_years(year: int | None) -> list[int | str | None]:
    """The year slots a claim of `year` reads for ties that reach a year either way."""
    if year is None:
        return ["any"]
    return [year - 1, year, year + 1, None]


def _number(group: Numbered) -> int:
    return group.number


def _insert(bucket: list[G], group: G) -> None:
    """Add `group` to a list kept in creation order, once."""
    if not bucket or bucket[-1].number < group.number:
        bucket.append(group)
        return
    at = bisect.bisect_left(bucket, group.number, key=_number)
    if bucket[at] is not group:
        bucket.insert(at, group)


def _remove(bucket: list[G], group: G) -> None:
    at = bisect.bisect_left(bucket, group.number, key=_number)
    if at < len(bucket) and bucket[at] is group:
        del bucket[at]
