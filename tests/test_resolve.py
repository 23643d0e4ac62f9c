"""Mentions across articles in, one node per real entity out."""

from __future__ import annotations

import pytest

from kg.names import match_key, slugify
from kg.resolve import resolve


@pytest.fixture
def resolve_texts(extract, gazetteer):
    """Several articles' texts in, the resolved entities out (by label)."""

    def run(*texts: str):
        extractions = [extract(t, f"a{i}.txt") for i, t in enumerate(texts)]
        result = resolve(extractions, gazetteer)
        return {e.label: e for e in result.entities}, result

    return run


@pytest.mark.parametrize(
    ("texts", "label", "aliases"),
    [
        # a surname alone goes to the full name in the same article
        (
            ("Senator Elaine Whitcombe spoke first. Later Ms Whitcombe left.",),
            "Elaine Whitcombe",
            {"Whitcombe", "Ms Whitcombe"},
        ),
        # titles are stripped, the bare name is the label
        (
            ("Gen Kenneth Robertson inspected the unit. Gen Robertson was pleased.",),
            "Kenneth Robertson",
            {"Robertson"},
        ),
        # transliteration variants across articles meet
        (
            ("Qasem Soleimani was killed in January.", "Qassem Soleimani was buried in Kerman."),
            "Qasem Soleimani",
            {"Qassem Soleimani"},
        ),
        # a known alias ("Frank McKenzie") joins the gazetteer's canonical name
        (
            ("Frank McKenzie visited Baghdad.", "Kenneth McKenzie spoke to reporters."),
            "Kenneth McKenzie",
            {"Frank McKenzie"},
        ),
        # a surname-only article joins the one full name the corpus knows
        (
            ("Mike Pompeo met the foreign minister.", "Pompeo said the deal was close."),
            "Mike Pompeo",
            {"Pompeo"},
        ),
        # demonyms and abbreviations land on the country
        (
            ("The U.S. will cut troops.", "American officials agreed.", "The US said so."),
            "United States",
            {"U.S.", "US"},
        ),
    ],
)
def test_resolve_one_node_per_entity(resolve_texts, texts, label, aliases):
    entities, _ = resolve_texts(*texts)
    assert label in entities, sorted(entities)
    entity = entities[label]
    assert aliases <= set(entity.alt_labels)
    assert entity.articles == tuple(f"a{i}.txt" for i in range(len(texts))) or set(
        entity.articles
    ) <= {f"a{i}.txt" for i in range(len(texts))}
    assert sum(1 for e in entities.values() if match_key(e.label) == match_key(label)) == 1


def test_resolve_gazetteer_gives_wikidata_link(resolve_texts):
    entities, _ = resolve_texts("Troops left Iraq for Kuwait.")
    assert "http://www.wikidata.org/entity/Q796" in entities["Iraq"].same_as
    assert entities["Kuwait"].key == "country/kuwait"


def test_resolve_distinct_people_with_one_surname_stay_apart(resolve_texts):
    entities, _ = resolve_texts("Anna Berg and Tomas Berg arrived. Berg spoke first.")
    assert {"Anna Berg", "Tomas Berg"} <= set(entities)
    assert "Berg" not in entities  # ambiguous: left unmerged, not guessed... nor a node of its own
    # (a lone 'Berg' that could be either is kept as its own mention, not forced)


def test_resolve_person_spelling_never_becomes_a_base(resolve_texts):
    entities, _ = resolve_texts("Syrian President Bashar al-Assad met envoys. Al-Assad refused.")
    assert all(e.entity_class != "MilitaryBase" for e in entities.values())


def test_resolve_keys_stable_across_runs(resolve_texts):
    texts = ("Gen Kenneth Robertson visited Camp Hadley in Iraq.", "Robertson left Jordan.")
    first = [(e.key, e.label, e.alt_labels) for e in resolve_texts(*texts)[1].entities]
    second = [(e.key, e.label, e.alt_labels) for e in resolve_texts(*texts)[1].entities]
    assert first == second
    assert ("person/kenneth-robertson", "Kenneth Robertson") in [(k, lab) for k, lab, _ in first]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Mustafa al-Kadhimi", "mustafa-al-kadhimi"),
        ("Recep Tayyip Erdoğan", "recep-tayyip-erdogan"),
        ("U.S.", "u-s"),
        ("  ", "unnamed"),
    ],
)
def test_names_slugify(text, slug):
    assert slugify(text) == slug
