"""Military airfields and international airports as gazetteer entries.

Data from `airportsdata` (MIT; built from OurAirports, public domain, and
other open sources): every airfield with its ICAO code, city and country.
Air bases, air stations and army airfields become `kg:MilitaryBase`s, with
the spelled-out and abbreviated forms news uses for them ('RAF Lakenheath' /
'Royal Air Force Lakenheath', 'X Air Force Base' / 'X AFB'); international
airports become places, located in their country.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache

import airportsdata

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.knowledge.geonames import country_keys
from kg.names import match_key, slugify
from kg.resources import data_file

# Names of military airfields, as the ICAO register writes them.
MILITARY_NAME = re.compile(
    r"\b(?:Air Base|Airbase|Air Force Base|AFB|Air Station|Naval Air Station|Naval Air Facility|"
    r"Naval Station|Army Air ?[Ff]ield|Army Heliport)\b|^(?:RAF|RAAF|RCAF|NAS|MCAS) "
)
CIVIL_NAME = re.compile(r"\bInternational Airport$")


@cache
def abbreviations() -> tuple[tuple[str, str], ...]:
    """(spelled out, abbreviated) pairs of base-name words: ('Royal Air Force', 'RAF')."""
    pairs = []
    for line in data_file("base_abbreviations.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            long, short = line.split("\t")
            pairs.append((long.strip(), short.strip()))
    return tuple(pairs)


def name_variants(name: str) -> set[str]:
    """The name with each known word group spelled out and abbreviated."""
    variants = {name}
    for long, short in abbreviations():
        for variant in list(variants):
            variants.add(re.sub(rf"\b{re.escape(long)}\b", short, variant))
            variants.add(re.sub(rf"\b{re.escape(short)}\b", long, variant))
    return variants


def airfields(
    known: Gazetteer, airports: Iterable[Mapping[str, str]] | None = None
) -> list[GazetteerEntry]:
    """Military airfields and international airports the curated gazetteer does not name.

    Args:
        known: the curated gazetteer (its countries; its names win).
        airports: records with name and ISO country; default every airfield `airportsdata` has.
    """
    countries = country_keys(known)
    entries: dict[str, GazetteerEntry] = {}
    for airport in _airports() if airports is None else airports:
        name = airport["name"].split("(")[0].strip()
        military = bool(MILITARY_NAME.search(name)) and not name.endswith("Airport")
        if not (military or CIVIL_NAME.search(name)):
            continue
        names = name_variants(name) if military else {name}
        if any(known.candidates(n) for n in names):
            continue  # a curated entry already names it
        located_in = tuple(k for k in (countries.get(airport["country"]),) if k)
        key = f"{'base' if military else 'place'}/{slugify(name)}"
        if key in entries or key in known.entries:
            continue
        entries[key] = GazetteerEntry(
            key=key,
            entity_class="MilitaryBase" if military else "Place",
            label=name,
            aliases=tuple(sorted(names - {name}, key=match_key)),
            located_in=located_in,
            origin="airports",
        )
    return [entries[k] for k in sorted(entries)]


def _airports() -> Iterator[Mapping[str, str]]:
    """Every airfield in the register, in ICAO order."""
    data = airportsdata.load("ICAO")
    for code in sorted(data):
        yield data[code]  # type: ignore[misc]
