"""What the words around a name say about it: a place ('in Darwin'), a person ('Secretary Austin').

The knowledge sources name tens of thousands of towns, and many share a
name with a person or a word. A town's name alone is not evidence; the
sentence is.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from spacy.tokens import Doc

from kg.names import title_key, title_words
from kg.recognize.words import recognition_words

POSSESSIVES = frozenset({"'s", "’s", "'", "’"})


def place_context(doc: Doc, start: int, end: int, places: Mapping[int, int]) -> bool:
    """Whether tokens `start:end` stand where a place is named.

    'in Darwin', 'from Vilseck, Germany' (a preposition of place before it),
    'the town of Goma' (a place noun and 'of' before it), 'the Darwin area' (a
    place noun after it), 'Darwin, Australia' (a known place right after a
    comma; `places` maps known places' first tokens to their ends).
    """
    words = recognition_words()
    if start and doc[start - 1].lower_ in words.locative_prepositions:
        return True
    if start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in words.place_nouns:
        return True  # 'the town of Goma', 'the province of Anbar'
    if end < len(doc) and doc[end].lower_ in words.place_nouns:
        return True
    return comma_then_place(doc, end, places)


def comma_then_place(doc: Doc, end: int, places: Mapping[int, int]) -> bool:
    """'X, Romania,' / 'X, Ga.': a known place after the comma that ends the phrase there,
    not a possessive ('X, Iran's envoy') nor a modifier ('X, Mexico City newsroom')."""
    if end + 1 >= len(doc) or doc[end].text != "," or (end + 1) not in places:
        return False
    after = places[end + 1]
    return after >= len(doc) or (doc[after].is_punct and doc[after].text not in POSSESSIVES)


def person_context(doc: Doc, start: int, end: int, person_words: Collection[str]) -> bool:
    """Whether tokens `start:end` name a person: a title before them ('Secretary Austin'),
    or a word of a full name the article gives ('Austin' beside 'Lloyd J. Austin III')."""
    if start and title_key(doc[start - 1].text) in title_words():
        return True
    return any(doc[i].text in person_words for i in range(start, end))
