"""Does corpus-wide resolution grow linearly? Synthetic extraction records, straight in.

    python benchmarks/bench_resolve.py --articles 1000 10000 100000 [--seed 0]
    python benchmarks/bench_resolve.py --articles 1000 10000 --stages   # and what follows

Parsing is linear and measured by bench_build.py; this measures the stage
that sees the whole corpus at once. It generates ArticleExtraction records
(kg/records.py) the way the extractor writes them and feeds them to
`resolve`, `resolve_events` and `resolve_roles`, as kg/stages.py does, one
size at a time in a fresh process so each size's peak memory is its own.

The records are shaped like news: a few hub countries (the United States
above all) in most articles; other countries, bases, places, organizations
and persons drawn with Zipf-like frequencies; a world of twenty events a
day for ten years, of every type, that articles tell near their date (a few
events by many articles, most by one or none: a bigger archive tells the
same world more often), with dates at every precision or none, plans and
past facts, troop figures, and syndicated copies. Entities come from the
shipped gazetteer (names and links as the recognizer gives them) and from
invented persons and units that resolution has to join by name. The same
seed gives the same records.

With `--stages` each size then goes through the rest of `kg build` as it
runs after extraction: the on-disk store, every output file (Turtle, TriG,
N-Quads, JSON-LD, GraphML, the HTML view) and the SHACL check.

Prints per size: records, CPU seconds per 1,000 articles for each call
(CPU time, so that other work on the machine does not count), the events
weighed and pairs of facts compared per claim (`EventStats`), and peak RSS
(the records alone, and at the end; with `--stages` also the peak so far
after resolution, after the store and after the writers, so that the stage
that raised it shows).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from kg.build_validation import validate_build
from kg.buildstore import BuildStore
from kg.defaults import DEFAULT_BASE_IRI
from kg.gazetteer import Gazetteer, GazetteerEntry, shipped_gazetteer
from kg.heap import (
    fewer_collections,
    give_back_freed_memory,
    held_objects_frozen,
    no_cycle_collection,
)
from kg.parallel import open_workers
from kg.records import (
    ArgumentRole,
    Article,
    ArticleExtraction,
    EntityClass,
    EntityMention,
    Event,
    EventMention,
    EventType,
    Figure,
    Role,
    RoleMention,
    Segment,
    Status,
    story_digest,
)
from kg.resolve import EventStats, resolve, resolve_events, resolve_roles
from kg.resolve.entities import Resolution
from kg.stages import BuildResult, entity_counts, store_resolution, write_outputs

FIRST_DAY = date(2015, 1, 1)
SPAN_DAYS = 3650
HUB_AGENTS = ("country/united-states", "country/russia", "country/china", "country/israel")
HUB_PLACES = ("country/iraq", "country/syria", "country/ukraine", "country/afghanistan")
FIRST_NAMES = (
    "James Maria Ahmed Olga Chen Fatima Pierre Ingrid Kwame Sofia Hassan Elena Tomas Aisha "
    "Daniel Yusuf Hiro Leila Marco Nadia Pavel Amara Luis Mei Omar Greta Ibrahim Clara Rafael"
).split()
SYLLABLES = "ka ro mi ten sa vo lu den ha ri zo ber nak to el fa gu mor li sen".split()
TITLES = ("Defence Minister", "Foreign Minister", "General", "Prime Minister", "spokesman")
# Shares of event types and date precisions, close to what the extractor finds in real news.
EVENT_TYPES: dict[EventType, int] = {
    "Attack": 25,
    "Deployment": 20,
    "Statement": 15,
    "Withdrawal": 15,
    "TroopPresence": 7,
    "Killing": 6,
    "Meeting": 5,
    "Agreement": 3,
    "Handover": 2,
    "Invasion": 2,
}
PERSON: tuple[EntityClass, ...] = ("Person",)
PRECISIONS = {0: 70, 10: 12, 7: 12, 4: 6}  # characters of the ISO date kept; 0: undated
TROOP_TYPES = frozenset({"Withdrawal", "Deployment", "TroopPresence"})
WORLD_EVENTS_PER_DAY = 20  # newsworthy events the world offers, however many articles tell them
EVENTS_PER_ARTICLE = 8
EXTRA_MENTIONS_PER_ARTICLE = 12
COPY_SHARE = 0.05
UNDATED_ARTICLE_SHARE = 0.15


@dataclass(frozen=True, slots=True)
class _Name:
    """An entity as the recognizer reports it."""

    name: str
    entity_class: EntityClass
    gazetteer_id: str | None = None
    acts_for: tuple[str, ...] = ()


class _Pool:
    """Names drawn with Zipf-like frequencies: the first few very often, the tail rarely."""

    def __init__(self, names: list[_Name], exponent: float = 1.0) -> None:
        self.names: list[_Name] = []
        self.weights: list[float] = []
        self.exponent = exponent
        self.extend(names)

    def extend(self, names: list[_Name]) -> None:
        """Add `names` to the tail, rarer than any before them."""
        for name in names:
            rank = len(self.names) + 1
            self.names.append(name)
            self.weights.append((self.weights[-1] if self.weights else 0.0) + rank**-self.exponent)

    def draw(self, rng: random.Random) -> _Name:
        return rng.choices(self.names, cum_weights=self.weights)[0]


def _invented_surname(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randrange(2, 4))).capitalize()


@dataclass
class _Pools:
    """Everything the articles may name, built once per corpus from the gazetteer and the seed."""

    gazetteer: Gazetteer
    rng: random.Random
    articles: int
    hub_agents: list[_Name] = field(init=False)
    hub_places: list[_Name] = field(init=False)

    def __post_init__(self) -> None:
        entries = sorted(self.gazetteer.entries.values(), key=lambda e: e.key)
        rng = self.rng
        by_class: dict[tuple[EntityClass, bool], list[GazetteerEntry]] = {}
        for entry in entries:
            by_class.setdefault((entry.entity_class, entry.curated), []).append(entry)
        for list_ in by_class.values():
            rng.shuffle(list_)

        def pool(entries: list[GazetteerEntry], exponent: float = 1.0) -> _Pool:
            return _Pool(
                [_Name(e.label, e.entity_class, e.key, e.acts_for) for e in entries], exponent
            )

        self.hub_agents = [_Name(self.gazetteer.entries[k].label, "Country", k) for k in HUB_AGENTS]
        self.hub_places = [_Name(self.gazetteer.entries[k].label, "Country", k) for k in HUB_PLACES]
        self.countries = pool(by_class[("Country", True)])
        self.bases = pool(by_class[("MilitaryBase", True)] + by_class[("MilitaryBase", False)])
        self.places = pool(by_class[("Place", True)] + by_class[("Place", False)][:20000], 0.9)
        invented_units = [
            _Name(f"{_invented_surname(rng)} {kind}", "Organization")
            for kind in ("Brigade", "Front", "Battalion", "Movement", "Institute") * 100
        ]
        self.organizations = pool(by_class[("Organization", True)])
        self.organizations.extend(invented_units)
        invented = {
            f"{rng.choice(FIRST_NAMES)} {_invented_surname(rng)}"
            for _ in range(1000 + self.articles // 2)
        }
        people = [_Name(e.label, "Person", e.key, e.acts_for) for e in by_class[("Person", True)]]
        rng.shuffle(people)
        self.persons = _Pool(people + [_Name(n, "Person") for n in sorted(invented)], 0.9)

    def agent(self) -> _Name:
        roll = self.rng.random()
        if roll < 0.5:
            return self.hub_agents[min(int(self.rng.expovariate(1.5)), len(self.hub_agents) - 1)]
        return self.countries.draw(self.rng) if roll < 0.75 else self.organizations.draw(self.rng)

    def place(self) -> _Name:
        roll = self.rng.random()
        if roll < 0.3:
            return self.rng.choice(self.hub_places)
        if roll < 0.55:
            return self.countries.draw(self.rng)
        return self.bases.draw(self.rng) if roll < 0.7 else self.places.draw(self.rng)


@dataclass(frozen=True, slots=True)
class _WorldEvent:
    """Something that happened, or was planned, that articles report."""

    event_type: EventType
    day: date
    arguments: tuple[tuple[ArgumentRole, _Name], ...]
    troops_before: Figure | None = None
    troops_after: Figure | None = None
    troop_count: Figure | None = None


def _figure(rng: random.Random) -> Figure:
    return Figure(int(100 * 1.5 ** rng.randrange(0, 12)) // 100 * 100, rng.choice((None, "about")))


def _world_event(pools: _Pools, day: date) -> _WorldEvent:
    rng = pools.rng
    event_type: EventType = rng.choices(list(EVENT_TYPES), weights=list(EVENT_TYPES.values()))[0]
    arguments: list[tuple[ArgumentRole, _Name]] = [("agent", pools.agent())]
    if event_type in ("Attack", "Killing"):
        target = pools.persons.draw(rng) if event_type == "Killing" else pools.place()
        arguments.append(("target", target))
        if rng.random() < 0.5:
            arguments.append(("location", pools.place()))
    elif event_type in ("Meeting", "Agreement", "Handover"):
        arguments.append(("participant", rng.choice((pools.countries, pools.persons)).draw(rng)))
        if rng.random() < 0.5:
            arguments.append(("location", pools.place()))
    elif event_type == "Statement":
        if rng.random() < 0.2:
            arguments.append(("location", pools.place()))
    else:
        arguments.append(("location", pools.place()))
        if event_type == "Deployment" and rng.random() < 0.3:
            arguments.append(("destination", pools.place()))
    if rng.random() < 0.1:
        arguments.append(("accordingTo", pools.organizations.draw(rng)))
    before = after = count = None
    if event_type in TROOP_TYPES and rng.random() < 0.4:
        if event_type == "TroopPresence":
            count = _figure(rng)
        else:
            before, after = _figure(rng), _figure(rng)
    return _WorldEvent(event_type, day, tuple(arguments), before, after, count)


class _Writer:
    """One article's records, written sentence by sentence with running offsets."""

    SENTENCE = 160

    def __init__(self) -> None:
        self.mentions: list[EntityMention] = []
        self.events: list[EventMention] = []
        self.roles: list[RoleMention] = []
        self.cursor = 0
        self.full_names: set[str] = set()

    def sentence(self) -> tuple[int, int]:
        start = self.cursor
        self.cursor += self.SENTENCE
        return start, start + self.SENTENCE - 1

    def mention(self, name: _Name, at: int, sentence: tuple[int, int], rng: random.Random) -> int:
        """Name `name` at `at`; a person named before in the article may be named by surname."""
        written, linked, acts_for = name.name, name.gazetteer_id, name.acts_for
        if linked and rng.random() < 0.2:
            linked, acts_for = None, ()  # the recognizer left it to resolution to look up
        if name.entity_class == "Person" and name.gazetteer_id is None:
            if written in self.full_names and rng.random() < 0.5:
                written = written.split()[-1]
            self.full_names.add(name.name)
        self.mentions.append(
            EntityMention(
                text=written,
                start=at,
                end=at + len(written),
                entity_class=name.entity_class,
                name=written,
                forms=(written,),
                gazetteer_id=linked,
                sentence_start=sentence[0],
                sentence_end=sentence[1],
                acts_for=acts_for,
            )
        )
        return at

    def report(self, event: _WorldEvent, published: date | None, rng: random.Random) -> None:
        """One sentence stating `event`, at a precision the article chooses."""
        sentence = self.sentence()
        arguments: list[tuple[ArgumentRole, int]] = []
        for offset, (role, name) in enumerate(event.arguments):
            if rng.random() < 0.15:
                continue  # this article leaves it out
            if role == "location" and rng.random() < 0.1:
                role = "participant"  # 'talks with Iraq' where another says 'talks in Iraq'
            start = self.mention(name, sentence[0] + 10 + 30 * offset, sentence, rng)
            arguments.append((role, start))
        keep = rng.choices(list(PRECISIONS), weights=list(PRECISIONS.values()))[0]
        status: Status = "planned" if published and event.day > published else "reported"
        figures = rng.random() < 0.7
        self.events.append(
            EventMention(
                event_type=event.event_type,
                trigger="trigger",
                start=sentence[0] + 5,
                end=sentence[0] + 9,
                sentence_start=sentence[0],
                sentence_end=sentence[1],
                arguments=tuple(arguments),
                date=event.day.isoformat()[:keep] if keep else None,
                troops_before=event.troops_before if figures else None,
                troops_after=event.troops_after if figures else None,
                troop_count=event.troop_count if figures else None,
                status=status,
                evidence=f"{event.event_type} sentence {sentence[0]}",
            )
        )

    def role(self, pools: _Pools) -> None:
        sentence = self.sentence()
        rng = pools.rng
        person = self.mention(pools.persons.draw(rng), sentence[0], sentence, rng)
        held_for: tuple[int, ...] = ()
        if rng.random() < 0.6:
            held_for = (self.mention(pools.agent(), sentence[0] + 40, sentence, rng),)
        self.roles.append(RoleMention(person, rng.choice(TITLES), held_for, *sentence))

    def aside(self, pools: _Pools) -> None:
        """A sentence naming someone or somewhere, with no event."""
        sentence = self.sentence()
        rng = pools.rng
        draw = rng.choice((pools.agent, pools.place, lambda: pools.persons.draw(rng)))
        self.mention(draw(), sentence[0] + 20, sentence, rng)


def _pick(
    world: list[_WorldEvent], weights: list[float], lo: int, hi: int, rng: random.Random
) -> _WorldEvent:
    """A world event among world[lo:hi], the well-known ones more often."""
    low = weights[lo - 1] if lo else 0.0
    return world[min(bisect.bisect(weights, rng.uniform(low, weights[hi - 1])), hi - 1)]


def synthetic_corpus(
    articles: int,
    gazetteer: Gazetteer,
    seed: int = 0,
    events_per_day: float = WORLD_EVENTS_PER_DAY,
) -> list[ArticleExtraction]:
    """`articles` extraction records shaped like a news archive of ten years (see module doc),
    telling a world of `events_per_day`."""
    rng = random.Random(seed)
    pools = _Pools(gazetteer, rng, articles)
    days = sorted(rng.randrange(SPAN_DAYS) for _ in range(int(SPAN_DAYS * events_per_day)))
    world = [_world_event(pools, FIRST_DAY + timedelta(days=d)) for d in days]
    weights = list(itertools.accumulate(rng.paretovariate(1.2) for _ in world))
    starts = [e.day for e in world]
    extractions: list[ArticleExtraction] = []
    for number in range(articles):
        source = f"synthetic/{number:06d}.txt"
        if extractions and rng.random() < COPY_SHARE:
            original = rng.choice(extractions[-200:])
            extractions.append(
                replace(original, article=replace(original.article, source_file=source))
            )
            continue
        day = FIRST_DAY + timedelta(days=rng.randrange(SPAN_DAYS))
        published = None if rng.random() < UNDATED_ARTICLE_SHARE else day
        writer = _Writer()
        recent = min(bisect.bisect_left(starts, day - timedelta(days=45)), len(world) - 1)
        now = max(bisect.bisect_right(starts, day + timedelta(days=5)), recent + 1)
        ahead = max(bisect.bisect_right(starts, day + timedelta(days=180)), now)
        for _ in range(rng.randrange(EVENTS_PER_ARTICLE // 2, EVENTS_PER_ARTICLE * 3 // 2)):
            roll = rng.random()
            if roll < 0.8 or now == ahead:
                event = _pick(world, weights, recent, now, rng)
            elif roll < 0.9:
                event = _pick(world, weights, now, ahead, rng)  # a plan
            else:
                event = _pick(world, weights, 0, now, rng)  # history
            writer.report(event, published, rng)
        for _ in range(rng.randrange(1, 5)):
            writer.role(pools)
        for _ in range(EXTRA_MENTIONS_PER_ARTICLE):
            writer.aside(pools)
        article = Article(
            source_file=source,
            source_text="",
            body="",
            segments=(Segment(0, 0, writer.cursor),),  # the body as extracted, text dropped
            published=published,
            body_digest=story_digest(source),
        )
        extractions.append(
            ArticleExtraction(
                article, tuple(writer.mentions), tuple(writer.events), tuple(writer.roles)
            )
        )
    return extractions


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _progress(articles: int, stage: str, seconds: float) -> None:
    """A stage done, on stderr: a long run shows how far it got before its row is printed."""
    print(
        f"{articles} articles: {stage} done, {seconds:.1f} CPU s, peak RSS {_peak_rss_mb():.0f} MB",
        file=sys.stderr,
        flush=True,
    )


def measure(articles: int, seed: int, stages: bool = False) -> dict[str, float]:
    """Resolve one synthetic corpus; seconds per call, counts and peak memory.

    With `stages`, the build's later stages run on the result as `kg build`
    runs them: the store (an on-disk Oxigraph store in a temporary folder),
    every output file, and the SHACL check of every graph.
    """
    gazetteer = shipped_gazetteer()
    gazetteer.lookup("warm up", PERSON)  # build its name index outside the timing
    extractions = synthetic_corpus(articles, gazetteer, seed)
    found: dict[str, float] = {
        "articles": articles,
        "mentions": sum(len(e.mentions) for e in extractions),
        "claims": sum(len(e.events) for e in extractions),
        "records_rss_mb": _peak_rss_mb(),
    }
    # The collector as `kg build` runs it (kg/stages.py): off while resolution makes its
    # records, and never walking the records held from before, in every stage.
    with held_objects_frozen(), no_cycle_collection():
        started = time.process_time()
        resolution = resolve(extractions, gazetteer)
        found["resolve_s"] = time.process_time() - started
        _progress(articles, "resolve", found["resolve_s"])
        started = time.process_time()
        stats = EventStats()
        events = resolve_events(extractions, resolution, stats)
        found["events_s"] = time.process_time() - started
        _progress(articles, "events", found["events_s"])
        started = time.process_time()
        roles = resolve_roles(extractions, resolution)
        found["roles_s"] = time.process_time() - started
    give_back_freed_memory()  # as `kg build` does after each stage (`kg.stages._timed`)
    _progress(articles, "roles", found["roles_s"])
    found.update(
        entities=len(resolution.entities),
        events=len(events),
        roles=len(roles),
        candidates=stats.candidates / found["claims"],
        comparisons=stats.comparisons / found["claims"],
    )
    if stages:
        found["resolved_rss_mb"] = _peak_rss_mb()
        with tempfile.TemporaryDirectory(prefix="bench-resolve-") as folder:
            store = BuildStore(Path(folder) / "store")
            started = time.process_time()
            result = _stored(store, extractions, resolution, events, roles)
            found["store_s"] = time.process_time() - started
            give_back_freed_memory()
            _progress(articles, "store", found["store_s"])
            found["stored_rss_mb"] = _peak_rss_mb()
            found["quads"] = len(store.store)
            # As in `kg build`: what the build returns outlives it, not the
            # extractions, the resolution's tables or the per-article records.
            del extractions, resolution, events, roles
            found.update(_written_and_validated(result, Path(folder) / "out"))
    found["peak_rss_mb"] = _peak_rss_mb()
    return found


def _stored(
    store: BuildStore,
    extractions: list[ArticleExtraction],
    resolution: Resolution,
    events: Sequence[Event],
    roles: Sequence[Role],
) -> BuildResult:
    """The store stage as kg/stages.py runs it, and what the build returns."""
    with open_workers() as workers, held_objects_frozen():
        resolved = (extractions, resolution, events, roles)
        changed, dropped = store_resolution(store, workers, resolved, base_iri=DEFAULT_BASE_IRI)
    return BuildResult(
        skipped=(),
        store=store,
        seconds=0.0,
        article_count=len(extractions),
        entity_counts=entity_counts(resolution.entities),
        event_count=len(events),
        changed=tuple(changed),
        dropped=tuple(dropped),
    )


def _written_and_validated(result: BuildResult, out: Path) -> dict[str, float]:
    """CPU seconds of the writers and validation, as kg/stages.py runs them."""
    started = time.process_time()
    write_outputs(result, out)
    written = time.process_time() - started
    written_rss = _peak_rss_mb()
    _progress(result.article_count, "write", written)
    for writer, seconds in result.timings.items():  # which writer took the time
        print(f"  {writer}: {seconds:.1f} s (wall)", file=sys.stderr, flush=True)
    started = time.process_time()
    validate_build(result.store, result.changed, result.dropped)
    validated = time.process_time() - started
    _progress(result.article_count, "validate", validated)
    return {"write_s": written, "written_rss_mb": written_rss, "validate_s": validated}


def _report(row: dict[str, float]) -> None:
    per = 1000 / row["articles"]
    total = row["resolve_s"] + row["events_s"] + row["roles_s"]
    later = ("store_s", "write_s", "validate_s")
    after = "".join(f" {row[key] * per:>9.3f}" for key in later if key in row)
    peaks = ("resolved_rss_mb", "stored_rss_mb", "written_rss_mb")
    after += "".join(f" {row[key]:>9.0f}" for key in peaks if key in row)
    print(
        f"{int(row['articles']):>8} {int(row['mentions']):>9} {int(row['claims']):>8}"
        f" {int(row['entities']):>8} {int(row['events']):>8}"
        f" {row['resolve_s'] * per:>9.3f} {row['events_s'] * per:>9.3f}"
        f" {row['roles_s'] * per:>9.3f} {total * per:>9.3f}"
        f" {row['candidates']:>7.2f} {row['comparisons']:>7.2f}"
        f" {row['records_rss_mb']:>9.0f} {row['peak_rss_mb']:>9.0f}" + after,
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--stages", action="store_true", help="also the store, every output file and validation"
    )
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a child measuring one size
        with fewer_collections():  # as `kg.build` runs every stage
            print(json.dumps(measure(args.articles[0], args.seed, args.stages)))
        return
    print("CPU seconds per 1,000 articles; RSS in MB (the records alone, then the peak)")
    print(
        f"{'articles':>8} {'mentions':>9} {'claims':>8} {'entities':>8} {'events':>8}"
        f" {'resolve':>9} {'events':>9} {'roles':>9} {'total':>9}"
        f" {'weighed':>7} {'pairs':>7} {'records':>9} {'peak':>9}"
        + (f" {'store':>9} {'write':>9} {'validate':>9}" if args.stages else "")
        + (f" {'rss:res':>9} {'rss:store':>9} {'rss:write':>9}" if args.stages else "")
    )
    for size in args.articles:
        child = subprocess.run(
            [
                *(sys.executable, __file__, "--one", "--articles", str(size)),
                *("--seed", str(args.seed), *(["--stages"] if args.stages else [])),
            ],
            check=True,
            stdout=subprocess.PIPE,  # its progress goes on to stderr
            text=True,
        )
        _report(json.loads(child.stdout.splitlines()[-1]))


if __name__ == "__main__":
    main()
