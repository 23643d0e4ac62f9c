"""Typed entity mentions from a parsed Doc."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Span

from kg.gazetteer import Gazetteer
from kg.names import base_name, clean_surface, split_title, title_words
from kg.records import ENTITY_CLASSES, EntityClass, EntityMention

# How the statistical NER's labels map onto our classes when no gazetteer
# entry or pattern has typed the name. NORP (nationalities, religions) is
# only kept when the gazetteer knows it as a demonym.
NER_LABELS: dict[str, EntityClass] = {
    "PERSON": "Person",
    "ORG": "Organization",
    "GPE": "Place",
    "LOC": "Place",
    "FAC": "Place",
}
BASE_WORDS = frozenset({"base", "airbase", "airfield", "camp", "garrison"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "miss"})


def _entity_class(span: Span) -> EntityClass | None:
    if span.label_ in ENTITY_CLASSES:
        return span.label_  # type: ignore[return-value]  # set by our rulers
    entity_class = NER_LABELS.get(span.label_)
    if entity_class in ("Place", "Organization") and BASE_WORDS & {t.lower_ for t in span}:
        return "MilitaryBase"
    return entity_class


def _looks_like_a_name(span: Span, name: str) -> bool:
    """Reject what the statistical NER tags but no reader would call a name."""
    if not name or not any(c.isupper() for c in name) or not any(c.isalpha() for c in name):
        return False
    if "\n" in span.text:
        return False
    if len(span) == 1 and span[0].pos_ not in ("PROPN", "X"):
        return False  # a sentence-initial adjective or verb ('Unaddressed')
    titles = title_words()
    if span.start >= 2 and span.doc[span.start - 1].lower_ == "of":
        if span.doc[span.start - 2].lower_ in titles:
            return False  # the end of a title: 'Secretary of State', 'Minister of Defence'
    return not all(w.lower().rstrip(".") in titles for w in name.split())


def _name_of(span: Span, entity_class: EntityClass, gazetteer: Gazetteer) -> str | None:
    if span.ent_id_:
        return gazetteer.entries[span.ent_id_].label
    name = clean_surface(span.text)
    if entity_class == "Person":
        name = split_title(name)[1]
    elif entity_class == "MilitaryBase":
        name = base_name(name)
    return name if _looks_like_a_name(span, name) else None


def _written_forms(span: Span) -> tuple[str, ...]:
    """The written form, and with a preceding honorific too: 'Trump', 'Mr Trump'."""
    previous = span.doc[span.start - 1] if span.start else None
    text = clean_surface(span.text)
    if previous is not None and previous.lower_.rstrip(".") in HONORIFICS:
        return (text, f"{previous.text} {text}")
    return (text,)


def _repeated_surnames(doc: Doc, persons: list[Span]) -> Iterator[Span]:
    """Surnames the NER missed on their second mention ('Ms Whitcombe' after 'Elaine Whitcombe')."""
    surnames = {span[-1].text for span in persons if len(span) > 1 and span[-1].is_title}
    for token in doc:
        if token.text in surnames and token.ent_iob_ == "O" and token.pos_ == "PROPN":
            yield Span(doc, token.i, token.i + 1, label="PERSON")


def entity_mentions(doc: Doc, gazetteer: Gazetteer) -> Iterator[EntityMention]:
    """Every person, country, organization, base and place named in `doc`."""
    persons = [s for s in doc.ents if s.label_ in ("PERSON", "Person")]
    for span in sorted((*doc.ents, *_repeated_surnames(doc, persons))):
        entity_class = _entity_class(span)
        if entity_class is None:
            continue
        if span.ent_id_:
            entity_class = gazetteer.entries[span.ent_id_].entity_class
        name = _name_of(span, entity_class, gazetteer)
        if name is None:
            continue
        sentence = span.sent
        yield EntityMention(
            text=span.text,
            start=span.start_char,
            end=span.end_char,
            entity_class=entity_class,
            name=name,
            forms=_written_forms(span),
            gazetteer_id=span.ent_id_ or None,
            sentence_start=sentence.start_char,
            sentence_end=sentence.end_char,
        )
