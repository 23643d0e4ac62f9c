"""Decide which candidate spans are entities, and of which class.

1. Gazetteer names and name shapes are settled among themselves, longest first.
2. The model's spans meet them. A gazetteer or shape name that covers a model
   span wins ('Ain al-Asad' over 'Ain'). A model span that covers a gazetteer
   name and extends it with more name words is a longer name and wins
   ('British Airways', 'Gulf of Aden', 'Tel Aviv Stock Exchange'): knowledge
   never splits a name it sits inside. Otherwise the gazetteer name wins and
   what is left of the model's span stays if it still looks like a name.
3. A one-word place from the knowledge sources ('Darwin') needs the model's
   or the sentence's agreement ('in Darwin', 'Darwin, Australia'); a title or
   a full name in the article makes the word a person ('Secretary Austin').
4. A surname the model typed a body or a place is the person the article
   names in full ('Clarke should resign' after 'Kenneth Clarke'); a person's
   name the model cut is taken whole ('Lloyd J. Austin III').
5. In a title-case headline a name stands only as far as the prose names it.
6. A name with several readings takes the one the place after it says
   ('Paris, Texas'), else the one another mention in the article settles
   ('Ga.' settles Georgia the state), else the curated one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from kg.doctext import doc_text
from kg.gazetteer import Gazetteer
from kg.names import match_key, split_title, title_key, title_words
from kg.recognize.candidates import Candidate
from kg.recognize.context import comma_then_place, person_context, place_context
from kg.recognize.words import recognition_words
from kg.records import ENTITY_CLASSES

# The model's labels for names, and the classes they give when nothing better is known.
NER_CLASSES = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
}
# Names the model finds that are not ours (a product, a law, an operation) still keep
# the gazetteer from cutting them up.
SHIELDS = frozenset({"PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "NORP"})
BASE_WORDS = frozenset({"base", "airbase", "airfield", "camp", "garrison", "barracks"})
CONNECTORS = frozenset({"of", "the", "and", "for", "on", "-", "–", "&", "de", "du", "al", "el"})
TITLE_REACH = 6  # words before a name that may belong to its title
SOURCE_RANK = {"gazetteer": 0, "knowledge": 1, "shape": 2, "ner": 3}


def choose(doc: Doc, candidates: Iterable[Candidate], gazetteer: Gazetteer) -> list[Span]:
    """The entity spans of `doc`: our classes as labels, gazetteer keys as ids.

    The model's other spans (dates, numbers) are kept where no entity overlaps them.
    """
    pool = list(candidates)
    ner = [c for c in pool if c.source == "ner"]
    people = [c for c in ner if c.label == "PERSON"]
    strong = _settle(
        [
            _within_person(c, people)
            for c in pool
            if c.source != "ner" and not _is_weak(c) and _plausible(c, people)
        ]
    )
    titled = title_case_tokens(doc)
    kept_ner: list[Candidate] = []
    for span in ner:
        kept_ner.extend(_meet(doc, span, strong, gazetteer, span.start in titled))
    chosen = _surnames_of_people(doc, [*strong, *(_typed(doc, c) for c in kept_ner)], people)
    chosen = _weak_places(doc, [c for c in pool if _is_weak(c)], chosen, people)
    chosen = _places_before_commas(doc, chosen, people)
    chosen = [_person_extended(doc, c, chosen) for c in chosen]
    chosen = _confirmed_in_title_case(doc, chosen, titled)
    return _to_spans(doc, _settle_readings(doc, chosen, gazetteer))


def _is_weak(candidate: Candidate) -> bool:
    """One-word names from the knowledge sources: evidence, not entities by themselves."""
    return candidate.source == "knowledge" and candidate.length == 1


def _plausible(candidate: Candidate, people: list[Candidate]) -> bool:
    """A person-name shape only repairs a name the model saw as a person."""
    return not _person_shape(candidate) or any(candidate.overlaps(p) for p in people)


def _person_shape(candidate: Candidate) -> bool:
    return candidate.source == "shape" and candidate.label == "Person"


def _within_person(candidate: Candidate, people: list[Candidate]) -> Candidate:
    """A person-name shape starts where the model's person does: 'Army Maj. Gen.' is a title."""
    if not _person_shape(candidate):
        return candidate
    start = max(candidate.start, min(p.start for p in people if candidate.overlaps(p)))
    return Candidate(start, candidate.end, candidate.label, candidate.source, candidate.keys)


def _settle(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping candidates, the longest (then the best-sourced) first."""
    accepted: list[Candidate] = []
    for candidate in sorted(
        candidates, key=lambda c: (-c.length, SOURCE_RANK[c.source], c.start, c.label)
    ):
        if not any(candidate.overlaps(a) for a in accepted):
            accepted.append(candidate)
    return sorted(accepted, key=lambda c: c.start)


def _meet(
    doc: Doc, span: Candidate, strong: list[Candidate], gazetteer: Gazetteer, titled: bool
) -> list[Candidate]:
    """What remains of one model span beside the settled names (it may displace them).

    In a title-case line every word is capitalised, so no span there is a longer name.
    """
    inner = [s for s in strong if s.overlaps(span)]
    if not inner:
        return [span]
    if any(s.covers(span) for s in inner):
        return []
    if (
        not titled
        and all(span.covers(s) for s in inner)
        and _longer_name(doc, span, inner, gazetteer)
    ):
        for s in inner:
            strong.remove(s)
        return [span]
    if span.label not in NER_CLASSES:
        return []
    return [piece for piece in _remainders(span, inner) if _name_like(doc, piece)]


def _longer_name(doc: Doc, span: Candidate, inner: list[Candidate], gazetteer: Gazetteer) -> bool:
    """Whether the model's span is one name that merely contains the gazetteer's names."""
    if span.label not in NER_CLASSES and span.label not in SHIELDS:
        return False
    if span.label == "PERSON" and any(_is_demonym(doc, s, gazetteer) for s in inner):
        return False  # 'Iraqi Kadhimi': a nationality never starts a person's name
    if span.label == "PERSON" and span.start and doc[span.start - 1].pos_ == "ADP":
        return False  # 'Ambassador to Chile John Doe': the place ends the title
    if span.end < len(doc) and title_key(doc[span.end].text) in title_words():
        return False  # 'Pentagon Press Secretary': the extra words begin a title
    extra = [
        t for t in doc[span.start : span.end] if not any(s.start <= t.i < s.end for s in inner)
    ]
    words = recognition_words()
    named = False
    for token in extra:
        lowered = token.lower_
        if lowered in CONNECTORS and span.start < token.i < span.end - 1:
            continue
        if not (token.is_title or token.is_upper) or not token.is_alpha:
            return False
        if title_key(token.text) in title_words() or lowered in words.people_nouns:
            return False
        named = True
    return named


def _is_demonym(doc: Doc, candidate: Candidate, gazetteer: Gazetteer) -> bool:
    """Whether the gazetteer matched a nationality word ('Iraqi'), not a name."""
    text = doc[candidate.start : candidate.end].text
    return any(text in gazetteer.entries[k].demonyms for k in candidate.keys)


def _remainders(span: Candidate, inner: list[Candidate]) -> list[Candidate]:
    """The pieces of a model span outside the settled names inside it."""
    pieces, position = [], span.start
    for s in sorted(inner, key=lambda c: c.start):
        if s.start > position:
            pieces.append(Candidate(position, s.start, span.label, "ner"))
        position = max(position, s.end)
    if position < span.end:
        pieces.append(Candidate(position, span.end, span.label, "ner"))
    return pieces


def _name_like(doc: Doc, piece: Candidate) -> bool:
    """A leftover of a model span is a name if it has a proper noun that is not a title,
    and does not run into a title ('Pentagon Press Secretary': 'Press' begins one)."""
    if piece.end < len(doc) and title_key(doc[piece.end].text) in title_words():
        return False
    tokens = doc[piece.start : piece.end]
    return any(
        t.pos_ == "PROPN" and t.is_title and title_key(t.text) not in title_words() for t in tokens
    )


def _typed(doc: Doc, candidate: Candidate) -> Candidate:
    """A model span with our class: a base by its words, a person by its label."""
    entity_class = NER_CLASSES.get(candidate.label)
    if entity_class is None:
        return candidate
    words = {t.lower_ for t in doc[candidate.start : candidate.end]}
    if entity_class in ("Place", "Organization") and words & BASE_WORDS:
        entity_class = "MilitaryBase"
    return Candidate(candidate.start, candidate.end, entity_class, "ner")


def _surnames_of_people(
    doc: Doc, chosen: list[Candidate], people: list[Candidate]
) -> list[Candidate]:
    """'Clarke should resign' after 'Kenneth Clarke': a surname the model typed a body, or a
    place where the sentence does not say place, is the person the article names in full."""
    surnames = {doc[p.end - 1].text for p in people if p.length > 1}
    places = {c.start: c.end for c in chosen if c.label in ("Place", "Country")}
    result = []
    for c in chosen:
        if (
            c.source == "ner"
            and c.length == 1
            and c.label in ("Organization", "Place")
            and doc[c.start].text in surnames
            and not place_context(doc, c.start, c.end, places)
        ):
            c = Candidate(c.start, c.end, "Person", "ner")
        result.append(c)
    return result


def _weak_places(
    doc: Doc, weak: list[Candidate], chosen: list[Candidate], people: list[Candidate]
) -> list[Candidate]:
    """Let one-word knowledge places in where the model or the sentence says 'place'."""
    places = {c.start: c.end for c in chosen if c.label in ("Place", "Country")}
    result = list(chosen)
    for candidate in weak:
        overlapping = [c for c in result if c.overlaps(candidate)]
        if person_context(
            doc, candidate.start, candidate.end, _person_words(doc, people, candidate)
        ):
            continue
        if overlapping:
            same = [c for c in overlapping if (c.start, c.end) == (candidate.start, candidate.end)]
            named = bool(same) and same[0].source == "ner" and same[0].label in ENTITY_CLASSES
            if len(overlapping) == 1 and named:  # a name the model typed, never a date
                if same[0].label == "Place" or place_context(
                    doc, candidate.start, candidate.end, places
                ):
                    result.remove(same[0])
                    result.append(candidate)
            continue
        token = doc[candidate.start]
        if token.pos_ == "PROPN" and place_context(doc, candidate.start, candidate.end, places):
            result.append(candidate)
    return result


def _person_words(doc: Doc, people: list[Candidate], candidate: Candidate) -> set[str]:
    """The words of the full names the model found elsewhere: 'Lloyd J. Austin III'."""
    text = doc[candidate.start : candidate.end].text
    return {
        t.text
        for p in people
        if p.length > 1 and not p.overlaps(candidate) and doc[p.start : p.end].text != text
        for t in doc[p.start : p.end]
    }


def _places_before_commas(
    doc: Doc, chosen: list[Candidate], people: list[Candidate]
) -> list[Candidate]:
    """'visited Mihail Kogalniceanu, Romania': a name the model took for a person or a body,
    followed by a known place after a comma, is a place in that place."""
    places = {c.start: c.end for c in chosen if c.label in ("Place", "Country") and c.keys}
    result = []
    for c in chosen:
        if (
            c.source == "ner"
            and c.label in ("Person", "Organization")
            and comma_then_place(doc, c.end, places)
            and not person_context(doc, c.start, c.end, _person_words(doc, people, c))
        ):
            c = Candidate(c.start, c.end, "Place", "ner")
        result.append(c)
    return result


def _person_extended(doc: Doc, candidate: Candidate, chosen: list[Candidate]) -> Candidate:
    """'Lloyd J. Austin III' where the model saw 'J. Austin III': take in the first name.

    A word joins the name if it is a capitalised proper noun that reading the
    words before it as a title ('Secretary of Defense', 'Sgt. 1st Class') leaves in the name.
    """
    if candidate.label != "Person" or candidate.source != "ner":
        return candidate
    start = candidate.start
    while start > 0:
        token = doc[start - 1]
        if not (token.is_title and token.pos_ == "PROPN" and token.ent_iob_ == "O"):
            break
        if any(c.start <= token.i < c.end for c in chosen):
            break  # 'Uruguayan Marcelo Otero': the nationality is a name of its own
        if _in_title(doc, token.i, candidate.end):
            break
        start -= 1
    return Candidate(start, candidate.end, candidate.label, candidate.source, candidate.keys)


def _in_title(doc: Doc, index: int, end: int) -> bool:
    """Whether the word at `index` ends a title that begins a few words before it."""
    for first in range(max(0, index - TITLE_REACH), index + 1):
        title, name = split_title(doc[first:end].text)
        if title and len(name.split()) < len(doc[index:end].text.split()):
            return True
    return False


def _confirmed_in_title_case(
    doc: Doc, chosen: list[Candidate], titled: set[int]
) -> list[Candidate]:
    """In a headline written in title case the model sees names everywhere ('Austin Orders').

    There a name stands only as far as the article's prose names it too: the
    longest start of it that the prose names ('Fort Stewart' of 'Fort Stewart
    Armored Brigade Combat Team'), as what the prose says it is ('Biden' the
    person). The gazetteer's names stand on their own.
    """
    if not titled:
        return chosen
    prose: dict[str, Candidate] = {}
    for c in chosen:
        if c.start not in titled:
            prose.setdefault(_key(doc, c.start, c.end), c)
            if c.label == "Person":  # 'Austin' after 'Lloyd J. Austin III'
                for t in doc[c.start : c.end]:
                    prose.setdefault(match_key(t.text), c)
    result = []
    for c in chosen:
        if c.start not in titled or c.source in ("gazetteer", "knowledge"):
            result.append(c)
            continue
        end = next((e for e in range(c.end, c.start, -1) if _key(doc, c.start, e) in prose), None)
        if end is not None:
            named = prose[_key(doc, c.start, end)]
            result.append(Candidate(c.start, end, named.label, c.source, named.keys))
    return result


def _key(doc: Doc, start: int, end: int) -> str:
    return match_key(doc[start:end].text)


def title_case_tokens(doc: Doc) -> set[int]:
    """Tokens of lines whose every content word is capitalised: headlines, captions' titles.

    Lines, not sentences: the parser may end a sentence after 'Sgt.', and the
    few words after it would look like a headline. Lists and tables are no headlines.
    """
    tokens: set[int] = set()
    for line in re.finditer(r"[^\n]+", doc_text(doc)):
        span = doc.char_span(line.start(), line.end(), alignment_mode="expand")
        if span is None:
            continue
        words = [t for t in span if t.is_alpha and not t.is_stop and len(t) > 1]
        if len(words) >= 3 and all(t.is_title or t.is_upper for t in words) and _clause(span):
            tokens.update(range(span.start, span.end))
    return tokens


def _clause(line: Span) -> bool:
    """Whether a line reads as one headline, not a list or a table of names and figures.

    'Squad: Ann Roe, Bo Lee, Cy Poe' and '14. Ann Roe (Canada) 1:49.84' are all
    capitals too, but their names are names.
    """
    texts = [t.text for t in line]
    numbers = sum(t.like_num for t in line)
    return texts.count(",") <= 1 and not {";", "(", "|"} & set(texts) and numbers <= 1


def _settle_readings(doc: Doc, chosen: list[Candidate], gazetteer: Gazetteer) -> list[Candidate]:
    """One reading per name: the one the place written after it says ('Paris, Texas'), else
    the one some mention in the article leaves no doubt about ('Ga.'), else the first."""
    settled = {c.keys[0] for c in chosen if len(c.keys) == 1}
    after_comma = {c.start: c.keys for c in chosen if c.keys}
    result = []
    for c in chosen:
        if len(c.keys) > 1:
            container = _container(doc, c.end, after_comma, gazetteer)
            key = next(
                (k for k in c.keys if container & set(gazetteer.entries[k].located_in)),
                next((k for k in c.keys if k in settled), c.keys[0]),
            )
            c = Candidate(c.start, c.end, gazetteer.entries[key].entity_class, c.source, (key,))
        result.append(c)
    return result


def _container(
    doc: Doc, end: int, keys: dict[int, tuple[str, ...]], gazetteer: Gazetteer
) -> set[str]:
    """The place written after a comma ('Paris, Texas') and where that place lies."""
    if end >= len(doc) or doc[end].text != ",":
        return set()
    found = set(keys.get(end + 1, ()))
    return found | {k for key in found for k in gazetteer.entries[key].located_in}


def _to_spans(doc: Doc, chosen: list[Candidate]) -> list[Span]:
    """Spans for doc.ents: ours, and the model's non-name spans where none of ours overlaps."""
    ours = [c for c in chosen if c.label in ENTITY_CLASSES]
    spans = [
        Span(doc, c.start, c.end, label=c.label, span_id=c.keys[0] if c.keys else 0) for c in ours
    ]
    for ent in doc.ents:
        if ent.label_ in NER_CLASSES or ent.label_ in SHIELDS:
            continue
        if not any(c.start < ent.end and ent.start < c.end for c in ours):
            spans.append(ent)
    return sorted(filter_spans(spans), key=lambda s: s.start)  # never two on one word
