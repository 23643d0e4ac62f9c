"""Typed entity mentions from a parsed Doc.

The recognizer (`kg.recognize`) has labelled `doc.ents` with newskg's
classes; here each span becomes a mention with a clean name, and the
article as a whole decides what its names are: acronyms it defines, units
named by their chain of command, nationalities that act.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.attrs import ORTH
from spacy.tokens import Doc, Span

from kg.doctext import span_text
from kg.extract.acronyms import with_acronyms
from kg.extract.equipment import EQUIPMENT
from kg.extract.nationality import acting_nationalities
from kg.extract.units import acting_states, with_designations
from kg.gazetteer import Gazetteer
from kg.names import (
    base_name,
    clean_surface,
    services,
    split_title,
    title_key,
    title_piece,
    title_words,
)
from kg.recognize.words import recognition_words
from kg.records import ENTITY_CLASSES, EntityClass, EntityMention

HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "miss"})
RANK_REACH = 4  # words a rank may take: 'Sgt. 1st Class'

# What is left of a base's name once its kind is taken away, if it is only this, is no name.
GENERIC_BASE_WORDS = frozenset(
    {"air", "force", "space", "naval", "navy", "army", "military", "marine", "corps", "base",
     "station", "airfield", "airbase", "field", "camp", "fort", "garrison", "barracks",
     "training", "area", "range", "joint", "the", "u.s.", "us"}
)  # fmt: skip


def entity_mentions(doc: Doc, gazetteer: Gazetteer) -> list[EntityMention]:
    """Every person, country, organization, base and place named in `doc`."""
    persons = [s for s in doc.ents if s.label_ == "Person"]
    mentions = [
        mention
        for span in sorted((*doc.ents, *_repeated_surnames(doc, persons)))
        if span.label_ in ENTITY_CLASSES and (mention := _mention(span, gazetteer)) is not None
    ]
    mentions = with_acronyms(doc, mentions)
    mentions = acting_nationalities(doc, mentions, gazetteer)
    mentions = with_designations(doc, mentions)
    return acting_states(doc, mentions, gazetteer)


def _mention(span: Span, gazetteer: Gazetteer) -> EntityMention | None:
    entity_class: EntityClass = span.label_  # type: ignore[assignment]
    name = _name_of(span, entity_class, gazetteer)
    if name is None:
        return None
    sentence = span.sent
    return EntityMention(
        text=span_text(span),
        start=span.start_char,
        end=span.end_char,
        entity_class=entity_class,
        name=name,
        forms=_written_forms(span),
        gazetteer_id=span.ent_id_ or None,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
    )


def _name_of(span: Span, entity_class: EntityClass, gazetteer: Gazetteer) -> str | None:
    if span.ent_id_:
        return gazetteer.entries[span.ent_id_].label
    name = _title_cased(clean_surface(span_text(span)))
    if entity_class == "Person":
        name = _without_nickname(split_title(name)[1]).split("/")[0].strip()
    elif entity_class == "MilitaryBase":
        name = base_name(name)
        if not set(name.lower().split()) - GENERIC_BASE_WORDS:
            return None  # 'Air Force Base' alone names no base
    return name if _looks_like_a_name(span, name) else None


def _looks_like_a_name(span: Span, name: str) -> bool:
    """Reject what the statistical NER tags but no reader would call a name."""
    if not name or not any(c.isupper() for c in name) or not any(c.isalpha() for c in name):
        return False
    if "\n" in span_text(span):
        return False
    if len(span) == 1 and span[0].pos_ not in ("PROPN", "X") and not span[0].is_upper:
        if span[0].is_sent_start or span.start == 0:
            return False  # a sentence-initial adjective or verb ('Unaddressed')
    if name.lower() in recognition_words().generic_nouns:
        return False  # 'the Alliance', 'Soldiers': style capitals on a common noun
    before = span.doc[span.start - 1].text if span.start else ""
    if any(EQUIPMENT.match(t.text) for t in span) or EQUIPMENT.match(before):
        return False  # 'C-130s', 'F-15E Strike Eagles': equipment, not a body
    if _names_a_vessel(span) or _service_before_rank(span, name) or _begins_a_title(span):
        return False
    titles = title_words()
    if span.start >= 2 and span.doc[span.start - 1].lower_ == "of":
        if span.doc[span.start - 2].lower_ in titles:
            return False  # the end of a title: 'Secretary of State', 'Minister of Defence'
    return not all(w.lower().rstrip(".") in titles for w in name.split())


def _service_before_rank(span: Span, name: str) -> bool:
    """'Army' in 'Army Maj. Gen. Jane Roe' qualifies her rank; it names no body here."""
    if tuple(title_key(w) for w in name.split()) not in services():
        return False
    following = [title_key(t.text) for t in span.doc[span.end : span.end + RANK_REACH]]
    piece = title_piece(following, 0)
    return piece is not None and piece.kind == "rank"


def _begins_a_title(span: Span) -> bool:
    """'Defence' in 'Defence Secretary Ann Roe': a ministry's field before a title is the
    title's first word, not a body ('UEFA President' names UEFA)."""
    following = span.doc[span.end] if span.end < len(span.doc) else None
    return (
        len(span) == 1
        and span[0].lower_ in recognition_words().portfolio_words
        and following is not None
        and title_key(following.text) in title_words()
    )


def _names_a_vessel(span: Span) -> bool:
    """'USS Carney', 'M/V True Confidence': a ship's name, not a person's or a body's."""
    prefixes = recognition_words().vessel_prefixes
    before = span.doc[span.start - 1].text if span.start else ""
    return span[0].text in prefixes or before in prefixes


def _title_cased(name: str) -> str:
    """'PETERSON SPACE FORCE BASE' → 'Peterson Space Force Base'; acronyms ('NATO') stay."""
    words = name.split()
    if len(words) < 2 or not all(w.isupper() for w in words):
        return name
    return " ".join(w.capitalize() if len(w) > 3 and w.isalpha() else w for w in words)


def _without_nickname(name: str) -> str:
    """'William D. "Hank" Taylor' → 'William D. Taylor'."""
    return " ".join(re.sub(r"\s[\"“‘'][^\"”’']+[\"”’']\s", " ", f" {name} ").split())


def _written_forms(span: Span) -> tuple[str, ...]:
    """The written form, and with a preceding honorific too: 'Trump', 'Mr Trump'."""
    previous = span.doc[span.start - 1] if span.start else None
    text = clean_surface(span_text(span))
    if previous is not None and previous.lower_.rstrip(".") in HONORIFICS:
        return (text, f"{previous.text} {text}")
    return (text,)


def _repeated_surnames(doc: Doc, persons: list[Span]) -> Iterator[Span]:
    """Surnames the NER missed on their second mention ('Ms Whitcombe' after 'Elaine Whitcombe').

    Not inside another name the model missed ('Salem Bitar' beside 'Amal Bitar').
    """
    surnames = {
        span[-1].text
        for span in persons
        if len(span) > 1 and span[-1].is_title and span[-1].is_alpha and len(span[-1]) > 1
    }
    wanted = {doc.vocab.strings[name] for name in surnames}
    # The words' ids read in one call; a Token object only for a surname.
    for i, orth in enumerate(doc.to_array(ORTH).tolist() if wanted else ()):
        if orth not in wanted:
            continue
        token = doc[i]
        if token.ent_iob_ == "O" and token.pos_ == "PROPN":
            if not (_in_name(doc, token.i - 1) or _in_name(doc, token.i + 1)):
                yield Span(doc, token.i, token.i + 1, label="Person")


def _in_name(doc: Doc, index: int) -> bool:
    """Whether the word at `index` is a capitalised name word (not a title or honorific)."""
    if not 0 <= index < len(doc):
        return False
    token = doc[index]
    return token.is_title and token.pos_ == "PROPN" and title_key(token.text) not in title_words()
