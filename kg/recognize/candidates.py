"""Candidate entity spans from three sources: the model's NER, the gazetteer, name shapes.

Each source proposes; `kg.recognize.choose` decides. Gazetteer names are
found through an index (one lookup per token, whatever the list's length);
the shapes of base, unit and person names with a few token patterns.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from kg.doctext import doc_text
from kg.gazetteer import Gazetteer
from kg.recognize.words import recognition_words
from kg.records import PLACE_CLASSES
from kg.resources import data_file

Source = Literal["ner", "gazetteer", "knowledge", "shape"]
BASE = "MilitaryBase"
PLACE = "Place"
UNIT = "Organization"
PERSON = "Person"
DASHES = ["-", "–", "—"]
# Words a model's span may begin or end with that belong to no name.
EDGE_WORDS = frozenset({"the", "and", "or", "of", "'s", "’s"})
QUOTES_OPEN = ['"', "“", "'", "‘"]
QUOTES_CLOSE = ['"', "”", "'", "’"]
# Ordinals that number units: 1st, 2d, 101st, and Roman numerals for corps and forces.
ORDINAL = r"^(?:\d{1,3}(?:st|nd|rd|th|d)?|[IVX]{1,5})$"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed entity: token offsets, a label, where it comes from, the gazetteer keys."""

    start: int
    end: int
    label: str  # one of our classes, or the NER's label for source "ner"
    source: Source
    keys: tuple[str, ...] = ()  # gazetteer entries it may name, best first

    @property
    def length(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Candidate) -> bool:
        return self.start < other.end and other.start < self.end

    def covers(self, other: Candidate) -> bool:
        return self.start <= other.start and other.end <= self.end


def ner_candidates(doc: Doc) -> list[Candidate]:
    """What the statistical model found, without a leading 'the', a trailing possessive or
    a dangling 'and' ('Central and' of 'Central and Southeastern Europe')."""
    found = []
    for span in doc.ents:
        start, end = span.start, span.end
        while start < end - 1 and _edge(doc[start]):
            start += 1
        while end > start + 1 and _edge(doc[end - 1]):
            end -= 1
        found.append(Candidate(start, end, span.label_, "ner"))
    return found


def _edge(token: Token) -> bool:
    """A word or mark a name does not begin or end with: 'the', "'s", '(' of 'Olympiakos ('."""
    return token.lower_ in EDGE_WORDS or (token.is_punct and token.text != ".")


class GazetteerMatcher:
    """Every name of every gazetteer entry, found by one dictionary lookup per token.

    Curated one-word names match their exact spelling ('US', not 'us'),
    longer ones any casing and quote style ('Iraq’s Ministry of Foreign
    Affairs'); names from the knowledge sources match as written, since they
    are many and some are words. Names are indexed by their first word's
    letters and compared on the text, so tens of thousands of names cost no
    set-up beyond building the index.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.exact: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.loose: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        names: dict[tuple[bool, str], set[str]] = {}
        for entry in gazetteer.entries.values():
            for name in {*entry.names, *entry.demonyms}:
                words = name.split()
                if len(words) > 1 and words[0].lower() == "the":
                    words = words[1:]  # 'the' is not part of the name
                loose = entry.curated and len(words) > 1
                text = _loose_form(" ".join(words)) if loose else " ".join(words)
                names.setdefault((loose, text), set()).add(entry.key)
        for (loose, text), keys in sorted(names.items()):
            index = self.loose if loose else self.exact
            index.setdefault(_first_letters(text), []).append((text, tuple(sorted(keys))))

    def __call__(self, doc: Doc) -> list[Candidate]:
        # Offsets read in one call: a Token object per word would cost more than the lookups.
        bounds: list[list[int]] = doc.to_array([IDX, LENGTH]).tolist()
        ends = {idx + length: i + 1 for i, (idx, length) in enumerate(bounds)}
        exact = doc_text(doc)
        texts = ((exact, self.exact), (_loose_form(exact), self.loose))
        spans: dict[tuple[int, int], set[str]] = {}
        for i, (idx, length) in enumerate(bounds):
            for text, index in texts:
                for name, keys in index.get(_first_letters(text[idx : idx + length]), ()):
                    end = ends.get(idx + len(name))
                    if end is not None and text.startswith(name, idx):
                        spans.setdefault((i, end), set()).update(keys)
        found = []
        for (start, end), found_keys in sorted(spans.items()):
            entries = sorted(
                (self.gazetteer.entries[k] for k in found_keys),
                key=lambda e: (not e.curated, e.key),
            )
            source: Source = "gazetteer" if entries[0].curated else "knowledge"
            found.append(
                Candidate(
                    start, end, entries[0].entity_class, source, tuple(e.key for e in entries)
                )
            )
        return found


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
_FIRST_LETTERS = re.compile(r"^\w+")


def _loose_form(text: str) -> str:
    """Lower case and straight quotes, keeping every character's offset.

    `str.lower` keeps them when no character lowers to several ('İ') and
    there is no capital sigma (which it lowers by its place in the word);
    otherwise character by character, each that would move left as it is.
    """
    straight = text.translate(_QUOTES)
    lowered = straight.lower()
    if len(lowered) == len(straight) and "Σ" not in straight:
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in straight)


@functools.lru_cache(maxsize=1 << 16)  # asked once or twice for every word of every article
def _first_letters(text: str) -> str:
    """The letters a name starts with: 'U' of 'U.S. Army', 'al' of 'al-Asad'."""
    match = _FIRST_LETTERS.match(text)
    return match.group() if match else text[:1]


class ShapeMatcher:
    """Names recognised by their shape: bases ('X Air Base'), waters and lands ('Gulf of
    Aden'), units ('2nd Cavalry Regiment'), and people whose names the model cuts
    ('Ursula von der Leyen', 'William "Bill" Roe')."""

    def __init__(self, nlp: Language) -> None:
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add(BASE, list(_patterns("base_patterns.jsonl")))
        self.matcher.add(PLACE, list(_patterns("place_patterns.jsonl")))
        self.matcher.add(UNIT, list(_unit_patterns()))
        self.matcher.add(PERSON, list(_person_patterns()))

    def __call__(self, doc: Doc) -> list[Candidate]:
        strings = doc.vocab.strings
        return [
            Candidate(start, end, strings[label], "shape")
            for label, start, end in self.matcher(doc)
        ]


def _patterns(name: str) -> Iterator[list[dict[str, Any]]]:
    """Token patterns from a data file, one JSON object with a 'pattern' per line."""
    for line in data_file(name).read_text(encoding="utf-8").splitlines():
        if line.strip():
            yield json.loads(line)["pattern"]


def _unit_patterns() -> Iterable[list[dict[str, Any]]]:
    """Ordinal + title-case words + a unit noun; lettered companies; task forces."""
    words = recognition_words()
    ordinal: dict[str, Any] = {"TEXT": {"REGEX": ORDINAL}}
    spelled: dict[str, Any] = {"LOWER": {"IN": sorted(words.ordinal_words)}, "IS_TITLE": True}
    modifiers: dict[str, Any] = {"IS_TITLE": True, "OP": "*"}
    head: dict[str, Any] = {"LOWER": {"IN": sorted(words.unit_heads)}, "IS_TITLE": True}
    joined: dict[str, Any] = {"LOWER": {"IN": ["and", "&", ","]}}
    return [
        [ordinal, modifiers, head],  # 2nd Cavalry Regiment, V Corps
        [spelled, modifiers, head],  # First Army
        [ordinal, joined, ordinal, modifiers, head],  # I and III Marine Expeditionary Force
        [  # Charlie Company
            {"LOWER": {"IN": sorted(words.phonetic_letters)}, "IS_TITLE": True},
            {"LOWER": {"IN": sorted(words.lettered_units)}, "IS_TITLE": True},
        ],
        [  # Joint Task Force–Southern Border, Task Force Smith
            {"LOWER": {"IN": ["joint", "combined"]}, "IS_TITLE": True, "OP": "*"},
            {"ORTH": "Task"},
            {"ORTH": "Force"},
            {"ORTH": {"IN": DASHES}, "OP": "?"},
            {"IS_TITLE": True, "OP": "+"},
        ],
        [  # Kosovo Force – North, Marine Rotational Force – Darwin: a named force and its place
            {"IS_TITLE": True, "OP": "+"},
            {"ORTH": "Force"},
            {"ORTH": {"IN": DASHES}},
            {"IS_TITLE": True, "OP": "+"},
        ],
    ]


def _person_patterns() -> Iterable[list[dict[str, Any]]]:
    """Names with a quoted nickname or lower-case particles inside."""
    words = recognition_words()
    name: dict[str, Any] = {"IS_TITLE": True, "POS": "PROPN", "OP": "+"}
    return [
        [  # William D. "Bill" Roe
            name,
            {"ORTH": {"IN": QUOTES_OPEN}},
            {"IS_TITLE": True},
            {"ORTH": {"IN": QUOTES_CLOSE}},
            name,
        ],
        [  # Ursula von der Leyen, Charles de Gaulle, Mustafa al-Kadhimi
            name,
            {"LOWER": {"IN": sorted(words.name_particles)}, "IS_LOWER": True, "OP": "+"},
            {"ORTH": "-", "OP": "?"},
            name,
        ],
    ]


def dateline_candidates(doc: Doc, gazetteer: Gazetteer) -> list[Candidate]:
    """'WIESBADEN, Germany —': the capitals opening a paragraph name where the story is filed.

    The model reads capitals poorly, so the dateline's place is looked up
    whatever its case, and typed by its words when the gazetteer does not know it.
    A dateline is followed by a comma and the state or country; a known place
    also by a dash ('KABUL —'), where an unknown word is a label ('FEATURE -').
    """
    found = []
    for sentence in doc.sents:
        start = end = sentence.start
        while end < sentence.end and doc[end].is_upper and not doc[end].is_punct:
            end += 1
        if end == start or end + 1 >= len(doc):
            continue
        if not any(doc[i].is_alpha and len(doc[i]) > 2 for i in range(start, end)):
            continue
        entry = gazetteer.lookup(doc[start:end].text, PLACE_CLASSES)
        placed = _place_after_comma(doc, end, gazetteer)
        if entry is not None and (placed or doc[end].text in DASHES):
            found.append(Candidate(start, end, entry.entity_class, "gazetteer", (entry.key,)))
        elif entry is None and placed:
            words = {t.lower_ for t in doc[start:end]}
            label = BASE if words & {"base", "camp", "fort", "barracks", "station"} else "Place"
            found.append(Candidate(start, end, label, "shape"))
    return found


def _place_after_comma(doc: Doc, end: int, gazetteer: Gazetteer) -> bool:
    """', Germany', ', Colo.', ', NT': a state or country after the dateline's comma."""
    if doc[end].text != ",":
        return False
    following = doc[end + 1]
    if following.is_upper and len(following) == 2:
        return True  # a state or territory code: 'DARWIN, NT'
    entry = gazetteer.lookup(following.text, PLACE_CLASSES)
    return entry is not None and (following.is_title or following.is_upper)
