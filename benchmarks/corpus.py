"""A benchmark corpus of real news texts whose names and numbers are varied.

Each generated article is one real source text, the sample articles and
(when the folder exists) the wide evaluation set, with its people, countries,
places, bases, unit numbers and figures swapped for others, its years shifted
with its date, and a headline no other article has. The wide set is read at
run time from the folder given, never copied. The replacements are drawn from
the gazetteer (curated countries, 33k places filed under their country,
bases, the curated persons' given names and surnames), so no two articles
repeat a story: neither the extraction cache nor the resolver can take a
shortcut, and the texts still read as news. Which words are names is learned
by running newskg's extraction once over each source; every occurrence of a
name found there is replaced as a whole word, so a surname seen alone
('McKenzie') gets the same new surname as the full name.

The same seed, sources and pipeline write the same bytes.

    python benchmarks/corpus.py --articles 1000 --out /tmp/corpus [--seed 0] [--wide DIR]
"""

from __future__ import annotations

import argparse
import math
import random
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import Literal

from kg.defaults import DEFAULT_MODEL
from kg.extract.dates import MONTHS
from kg.gazetteer import Gazetteer, shipped_gazetteer
from kg.parallel import open_workers, run_extraction
from kg.records import Article, ArticleExtraction, story_digest
from kg.stages import read_articles

SAMPLES = Path(__file__).resolve().parent.parent / "articles"
WIDE = Path("/work/shared/eval/wide/articles")  # US public domain texts; read, never copied

KEEP_COUNTRY = 0.3  # a country stays as the source has it: common ones stay common, as in news
FIGURE_SCALE = (0.4, 2.5)  # every figure of an article is scaled by one factor in this range
SMALLEST_FIGURE = 20  # smaller numbers are counts of a few ships or days; they stay
YEAR_SHIFT = range(-12, 1)  # years moved back (or not) together with the publication date
LATEST_YEAR = 2025
NAME_SUFFIXES = frozenset({"Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"})
DRAWS = 100  # tries for a body no earlier article has, before the source is called invariable
UPPER_REACH = 4  # 'WIESBADEN' stays in capitals; 'U.S.' does not make 'KENYA'

Kind = Literal["person", "country", "demonym", "place", "base"]

NUMBER = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\d{3})+|\d+)(?![\w/:-]|[.,]\d)")
ORDINAL = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
WORD_BEFORE = re.compile(r"([A-Za-z]+)\.?\s+$")
WORD_AFTER = re.compile(r"^\s+([A-Za-z]+)")
PERCENT = re.compile(r"^\s*(%|per ?cent)")


@dataclass(frozen=True)
class Source:
    """A real article and the names in it worth swapping."""

    title: str
    published: date | None
    body: str
    names: tuple[tuple[str, Kind, str], ...]  # (text as written, kind, gazetteer key or name)
    ordinals: tuple[str, ...]  # unit numbers: the '101st' of '101st Airborne Division'

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        """Every name as a whole word, longest first, with the 'the' a country may take."""
        surfaces = sorted((s for s, _, _ in self.names), key=len, reverse=True)
        alternatives = "|".join(map(re.escape, surfaces)) or r"(?!x)x"
        return re.compile(rf"(?<!\w)(?:(?P<the>[Tt]he) )?(?P<name>{alternatives})(?!\w)")

    @cached_property
    def unit_pattern(self) -> re.Pattern[str]:
        """A unit number followed by a capitalised word: '2nd Cavalry', not 'the 2nd day'."""
        alternatives = "|".join(map(re.escape, self.ordinals)) or r"(?!x)x"
        return re.compile(rf"(?<!\w)({alternatives})(?=\s+[A-Z])")


@dataclass(frozen=True)
class Pools:
    """What names are drawn from: the gazetteer's countries, places, bases and persons."""

    gazetteer: Gazetteer
    countries: tuple[str, ...]
    places_in: dict[str, tuple[str, ...]]  # country key → its place keys
    bases_in: dict[str, tuple[str, ...]]
    bases: tuple[str, ...]
    given_names: tuple[str, ...]
    surnames: tuple[str, ...]

    @classmethod
    def from_gazetteer(cls, gazetteer: Gazetteer) -> Pools:
        entries = sorted(gazetteer.entries.values(), key=lambda e: e.key)
        countries = tuple(e.key for e in entries if e.entity_class == "Country" and e.curated)
        places_in: dict[str, list[str]] = {}
        bases_in: dict[str, list[str]] = {}
        for entry in entries:
            folder = {"Place": places_in, "MilitaryBase": bases_in}.get(entry.entity_class)
            country = _country_of(gazetteer, entry.key)
            # Airports are filed as places too; a city should not become one.
            if folder is places_in and entry.origin == "airports":
                continue
            if folder is not None and country:
                folder.setdefault(country, []).append(entry.key)
        persons = [_name_parts(e.label) for e in entries if e.entity_class == "Person"]
        return cls(
            gazetteer=gazetteer,
            countries=countries,
            places_in={c: tuple(keys) for c, keys in places_in.items()},
            bases_in={c: tuple(keys) for c, keys in bases_in.items()},
            bases=tuple(e.key for e in entries if e.entity_class == "MilitaryBase"),
            given_names=tuple(sorted({p[0] for p in persons if len(p) > 1})),
            surnames=tuple(sorted({p[-1] for p in persons if len(p) > 1})),
        )

    def any_place(self, rng: random.Random) -> str:
        """A place anywhere: a country first, so small countries are as likely as India."""
        return rng.choice(self.places_in[rng.choice(sorted(self.places_in))])


def _country_of(gazetteer: Gazetteer, key: str) -> str | None:
    entry = gazetteer.entries.get(key)
    return next((k for k in entry.located_in if k.startswith("country/")), None) if entry else None


def _name_parts(name: str) -> list[str]:
    """A person's given name and surname and what lies between, without initials or 'Jr.'."""
    words = name.replace('"', " ").split()
    return [w for w in words if w not in NAME_SUFFIXES and not re.fullmatch(r"\w\.?", w)]


def learn_source(article: Article, extraction: ArticleExtraction, gazetteer: Gazetteer) -> Source:
    """The names of one article, as its extraction found them, sorted to be deterministic."""
    names: dict[str, tuple[Kind, str]] = {}
    ordinals: set[str] = set()
    for mention in extraction.mentions:
        # The name as written without its title ('McKenzie' of 'Gen McKenzie'), else the text.
        surface = mention.name if mention.name in mention.text else mention.text
        key = mention.gazetteer_id
        entry = gazetteer.entries.get(key) if key else None
        kind: Kind | None = None
        if mention.entity_class == "Person":
            kind, key = "person", surface
        elif mention.entity_class == "Country" and entry:
            kind = "demonym" if mention.text in entry.demonyms else "country"
            surface = mention.text
        elif mention.entity_class == "Place" and key and _country_of(gazetteer, key):
            kind = "place"
        elif mention.entity_class == "MilitaryBase":
            kind, key = "base", key or mention.name
        elif mention.entity_class == "Organization":
            ordinals.update(ORDINAL.findall(mention.text))
        if kind and key and surface.strip():
            names.setdefault(surface, (kind, key))
    return Source(
        title=article.title or article.body.split("\n", 1)[0],
        published=article.published,
        body=article.body,
        names=tuple(sorted((s, kind, key) for s, (kind, key) in names.items())),
        ordinals=tuple(sorted(ordinals)),
    )


def read_sources(folders: Sequence[Path], model: str = DEFAULT_MODEL) -> list[Source]:
    """Every article under `folders`, with the names newskg's extraction finds in it."""
    articles, _ = read_articles(folders)
    with open_workers() as workers:
        extractions, _ = run_extraction(articles, model, workers)
    gazetteer = shipped_gazetteer()
    return [learn_source(a, e, gazetteer) for a, e in zip(articles, extractions, strict=True)]


def default_folders(wide: Path = WIDE) -> list[Path]:
    """The sample articles, and the wide set when it is there."""
    return [SAMPLES, wide] if wide.is_dir() else [SAMPLES]


class _Variation:
    """One draw of new names, figures and dates for one source."""

    def __init__(self, source: Source, rng: random.Random, pools: Pools) -> None:
        self.source, self.rng, self.pools = source, rng, pools
        self.gazetteer = pools.gazetteer
        self.shift = rng.choice(YEAR_SHIFT)
        self.scale = math.exp(rng.uniform(*map(math.log, FIGURE_SCALE)))
        self.countries = self._countries()
        self.given: dict[str, str] = {}
        self.surnames: dict[str, str] = {}
        self.chosen: dict[str, str] = {}  # place or base key → its new label
        self.articleless: set[str] = set()  # country names whose new country takes no 'the'
        self.replacements = {s: self._replacement(kind, s, key) for s, kind, key in source.names}
        self.units = {o: self._ordinal() for o in source.ordinals}

    def _countries(self) -> dict[str, str]:
        """Each country of the source → another (or itself), two never becoming one."""
        keys = sorted({key for _, kind, key in self.source.names if kind in ("country", "demonym")})
        free = [c for c in self.pools.countries if c not in keys]
        self.rng.shuffle(free)
        return {k: k if self.rng.random() < KEEP_COUNTRY else free.pop() for k in keys}

    def _replacement(self, kind: Kind, surface: str, key: str) -> str:
        if kind == "person":
            return self._person(surface)
        if kind in ("country", "demonym"):
            entry = self.gazetteer.entries[self.countries[key]]
            if kind == "country":
                if f"the {entry.label}" not in entry.aliases:
                    self.articleless.add(surface)
                return entry.label
            return _demonym(entry.demonyms, plural=surface.endswith("s")) or entry.label
        if key not in self.chosen:
            self.chosen[key] = self._place_or_base(kind, key)
        new = self.chosen[key]
        return new.upper() if surface.isupper() and len(surface) > UPPER_REACH else new

    def _person(self, surface: str) -> str:
        parts = _name_parts(surface) or [surface]
        surname = self.surnames.setdefault(parts[-1], self.rng.choice(self.pools.surnames))
        if len(parts) == 1:
            return surname
        return (
            f"{self.given.setdefault(parts[0], self.rng.choice(self.pools.given_names))} {surname}"
        )

    def _place_or_base(self, kind: Kind, key: str) -> str:
        """A place in the country its source place's country became; a base likewise, if any."""
        country = _country_of(self.gazetteer, key)
        target = self.countries.get(country, country) if country else None
        within = self.pools.places_in if kind == "place" else self.pools.bases_in
        if target in within:
            new = self.rng.choice(within[target])
        else:
            new = (
                self.pools.any_place(self.rng)
                if kind == "place"
                else self.rng.choice(self.pools.bases)
            )
        return self.gazetteer.entries[new].label

    def _ordinal(self) -> str:
        number = self.rng.randrange(1, 200)
        suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10)
        return f"{number}{suffix or 'th'}"

    def published(self) -> date:
        if self.source.published:
            year = self.source.published.year + self.shift
            try:
                return self.source.published.replace(year=year)
            except ValueError:  # 29 February
                return self.source.published.replace(year=year, day=28)
        years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", self.source.body)]
        year = max((y for y in years if y <= LATEST_YEAR), default=2020) + self.shift
        return date(year, 1, 1) + timedelta(days=self.rng.randrange(365))

    def apply(self, text: str) -> str:
        """The text with every name, unit number, year and figure replaced."""
        text = self.source.pattern.sub(self._name, text)
        text = self.source.unit_pattern.sub(lambda m: self.units[m[1]], text)
        return NUMBER.sub(self._number, text)

    def _name(self, match: re.Match[str]) -> str:
        surface, the = match["name"], match["the"]
        new = self.replacements[surface]
        if the and surface in self.articleless:
            return new  # 'the US' → 'Kenya', while 'the Netherlands' keeps its article
        return f"{the} {new}" if the else new

    def _number(self, match: re.Match[str]) -> str:
        written = match[1]
        value = int(written.replace(",", ""))
        before = WORD_BEFORE.search(match.string[max(0, match.start() - 12) : match.start()])
        after = WORD_AFTER.search(match.string[match.end() : match.end() + 12])
        if "," not in written and len(written) == 4 and 1900 <= value <= 2049:
            return str(value + self.shift)
        if value < SMALLEST_FIGURE or PERCENT.match(match.string[match.end() :]):
            return written
        if any(w and w[1].lower() in MONTHS for w in (before, after)):
            return written  # a day of the month: 'May 30', '30 May'
        scaled = _two_figures(value * self.scale)
        # '900' grown to 1,400 takes the comma news writes; '2200' keeps the source's style.
        grouped = "," in written or (len(written) < 4 and scaled >= 1000)
        return f"{scaled:,}" if grouped else str(scaled)


def _demonym(demonyms: tuple[str, ...], *, plural: bool) -> str | None:
    """The shortest demonym, in the plural when the source's was and the country has one."""
    if not demonyms:
        return None
    word = min(demonyms, key=lambda d: (len(d), d))
    return f"{word}s" if plural and f"{word}s" in demonyms else word


def _two_figures(value: float) -> int:
    """A figure as news rounds it: 2,187 → 2,200; 47 → 47."""
    places = max(0, len(str(int(value))) - 2)
    return max(SMALLEST_FIGURE, int(round(value, -places)))


def generate(sources: Sequence[Source], articles: int, seed: int = 0) -> Iterator[str]:
    """`articles` article files' texts, sources taken in turn, no body or headline twice."""
    pools = Pools.from_gazetteer(shipped_gazetteer())
    rng = random.Random(seed)
    bodies: set[str] = set()
    titles: set[str] = set()
    for index in range(articles):
        source = sources[index % len(sources)]
        for _ in range(DRAWS):
            variation = _Variation(source, rng, pools)
            body = variation.apply(source.body)
            if story_digest(body) not in bodies:
                break
        else:
            raise ValueError(f"nothing to vary in the article titled {source.title!r}")
        bodies.add(story_digest(body))
        headline = title = variation.apply(source.title)
        while title in titles:  # a headline with nothing to vary: say where, as desks do
            title = f"{pools.gazetteer.entries[pools.any_place(rng)].label}: {headline}"
        titles.add(title)
        yield f"Title: {title}\nPublished: {variation.published().isoformat()}\n\n{body}\n"


def write_corpus(
    folder: Path, articles: int, *, seed: int = 0, sources: Sequence[Source] | None = None
) -> list[Path]:
    """Write `articles` files into `folder` (default sources: `default_folders()`)."""
    sources = sources if sources is not None else read_sources(default_folders())
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index, text in enumerate(generate(sources, articles, seed)):
        path = folder / f"news_{index:06d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--wide", type=Path, default=WIDE, help="the wide set's articles folder")
    parser.add_argument("--model", default=DEFAULT_MODEL, help="pipeline that finds the names")
    args = parser.parse_args()
    sources = read_sources(default_folders(args.wide), args.model)
    paths = write_corpus(args.out, args.articles, seed=args.seed, sources=sources)
    print(f"wrote {len(paths)} articles from {len(sources)} sources into {args.out}")


if __name__ == "__main__":
    main()
