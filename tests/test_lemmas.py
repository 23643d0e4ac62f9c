"""Rule lemmas remembered by word form: the same lemmas as spaCy's lemmatizer gives."""

from __future__ import annotations

import spacy
from spacy.attrs import LEMMA

from kg.defaults import DEFAULT_MODEL
from kg.lemmas import MAX_FORMS, RememberedLemmas, remember_lemmas
from kg.nlp import build_pipeline

# Inflected and base forms of the same words, nouns singular and plural, a proper noun, a
# verb as finite, participle and infinitive, comparatives: each path of the rules.
TEXTS = [
    "The soldiers left the bases; a soldier had left the base before the brigades withdrew.",
    "Officials were withdrawing troops, and they will withdraw more: the largest drawdown yet.",
    "Lieutenant Colonel Ames said the Marines' better-equipped units are leaving Camp Ridley.",
]


def test_remembered_lemmas_are_spacy_s_for_every_word() -> None:
    stock = spacy.load(DEFAULT_MODEL)
    remembering = spacy.load(DEFAULT_MODEL)
    remember_lemmas(remembering)
    lemmatizer = remembering.get_pipe("lemmatizer")
    assert isinstance(lemmatizer.lemmatize, RememberedLemmas)
    for _ in range(2):  # the second time, every lemma comes from memory
        ours = [doc.to_array([LEMMA]).tolist() for doc in remembering.pipe(TEXTS)]
        theirs = [doc.to_array([LEMMA]).tolist() for doc in stock.pipe(TEXTS)]
        assert ours == theirs
    soldiers = next(t for t in remembering(TEXTS[0]) if t.text == "soldiers")
    assert lemmatizer.lemmatize.forms[(soldiers.orth, soldiers.pos, soldiers.morph.key)] == [
        "soldier"
    ]


def test_the_build_pipeline_remembers_lemmas_once() -> None:
    nlp = build_pipeline()
    remember_lemmas(nlp)  # again: still one memory, not a memory of a memory
    lemmatize = nlp.get_pipe("lemmatizer").lemmatize
    assert isinstance(lemmatize, RememberedLemmas)
    assert not isinstance(lemmatize.lemmatize, RememberedLemmas)
    assert [t.lemma_ for t in nlp("The troops withdrew.")][:3] == ["the", "troop", "withdraw"]


def test_a_full_memory_starts_again() -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    remember_lemmas(nlp)
    memory = nlp.get_pipe("lemmatizer").lemmatize
    memory.forms.update({(i, 0, 0): ["x"] for i in range(MAX_FORMS)})
    assert [t.lemma_ for t in nlp("Troops withdrew.")][:2] == ["troop", "withdraw"]
    assert len(memory.forms) < 5


def test_a_lookup_lemmatizer_is_left_as_it_is() -> None:
    nlp = spacy.blank("en")
    lemmatizer = nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    remember_lemmas(nlp)
    assert not isinstance(lemmatizer.lemmatize, RememberedLemmas)
