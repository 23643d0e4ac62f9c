"""GeoNames records in, gazetteer entries out: keys, countries, links, capitals, homonyms."""

from __future__ import annotations

import pytest

from kg.gazetteer import load_gazetteer
from kg.knowledge.geonames import GEONAMES_IRI, GeoData, places


def _city(name: str, geonameid: int, country: str, population: int) -> dict[str, object]:
    return {"name": name, "geonameid": geonameid, "countrycode": country, "population": population}


FIXTURE = GeoData(
    countries={
        "AU": {"name": "Australia", "geonameid": 2077456, "capital": "Canberra"},
        "FR": {"name": "France", "geonameid": 3017382, "capital": "Paris"},
        "US": {"name": "United States", "geonameid": 6252001, "capital": "Washington"},
        "GU": {"name": "Guam", "geonameid": 4043988, "capital": "Hagatna"},
    },
    continents=[("Oceania", 6255151)],
    us_states=[("Georgia", 4197000, "Ga.")],
    cities=[
        _city("Darwin", 2073124, "AU", 139902),
        _city("Canberra", 2172517, "AU", 367752),
        _city("Paris", 2988507, "FR", 2138551),
        _city("Paris", 4717560, "US", 24782),
        _city("Of", 741240, "TR", 31951),
    ],
)


@pytest.fixture(scope="module")
def result():
    return places(load_gazetteer(), FIXTURE)


def _added(result, label):
    return [e for e in result.added if e.label == label]


def test_geonames_city_lies_in_its_country_and_links_to_geonames(result):
    (darwin,) = _added(result, "Darwin")
    assert darwin.key == "place/darwin"
    assert darwin.located_in == ("country/australia",)
    assert darwin.same_as == (GEONAMES_IRI.format(2073124),)
    assert darwin.origin == "geonames"


def test_geonames_capital_acts_for_its_state(result):
    (canberra,) = _added(result, "Canberra")
    assert canberra.acts_for == ("country/australia",)


def test_geonames_homonyms_get_distinct_keys_largest_first(result):
    paris = {e.key: e for e in result.added if e.label == "Paris"}
    curated_paris = result.enrichment.get("place/paris")
    if curated_paris is not None:  # the curated Paris takes the French one's link
        assert curated_paris.same_as == (GEONAMES_IRI.format(2988507),)
        assert set(paris) == {"place/paris-us"}
    else:
        assert set(paris) == {"place/paris", "place/paris-us"}
    assert paris["place/paris-us"].located_in == ("country/united-states",)


def test_geonames_us_state_carries_its_ap_abbreviation(result):
    (georgia,) = _added(result, "Georgia")
    assert georgia.key == "place/georgia"  # the country keeps country/georgia
    assert georgia.aliases == ("Ga.",)
    assert georgia.located_in == ("country/united-states",)


def test_geonames_territories_and_continents_are_places(result):
    assert _added(result, "Guam") and _added(result, "Oceania")


def test_geonames_curated_countries_gain_their_geonames_link(result):
    assert result.enrichment["country/france"].same_as == (GEONAMES_IRI.format(3017382),)


def test_geonames_towns_named_like_english_words_are_left_out(result):
    assert not _added(result, "Of")


def test_geonames_names_are_also_found_without_diacritics():
    data = GeoData(
        countries={}, continents=[], us_states=[], cities=[_city("Poznań", 3088171, "PL", 536151)]
    )
    (poznan,) = places(load_gazetteer(), data).added
    assert poznan.label == "Poznań"
    assert "Poznan" in poznan.aliases
