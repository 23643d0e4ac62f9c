"""Acronyms an article defines: 'Kosovo Force (KFOR)' names KFOR; 'cruise missile (CM)' no one.

News spells a name out once and abbreviates it after. The definition
decides what the abbreviation is through the whole article: another name
of the entity spelled out before it, or, after a common noun phrase, a
thing's abbreviation and no entity at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc, Token

from kg.doctext import doc_text
from kg.records import EntityMention

OPENING = frozenset({"(", "["})
CLOSING = frozenset({")", "]"})


def with_acronyms(doc: Doc, mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """Mentions with defined acronyms resolved: named like their long form, or dropped."""
    by_end = {m.end: m for m in mentions}
    meaning: dict[str, EntityMention | None] = {}
    for token in doc[1:-1]:
        acronym = _defined_acronym(doc, token)
        if acronym is None or acronym in meaning:
            continue
        before = doc_text(doc)[: token.idx].rstrip()
        long_form = by_end.get(len(before))
        if long_form is not None and _spells(long_form.text, acronym):
            meaning[acronym] = long_form
        elif _initials_of_lowercase_phrase(doc, token.i - 1, acronym):
            meaning[acronym] = None
    result = []
    for mention in mentions:
        key = mention.text.rstrip("s")
        if key not in meaning or mention.text not in (key, key + "s"):
            result.append(mention)
            continue
        long_form = meaning[key]
        if long_form is None:
            continue  # 'ASBMs': a kind of thing, not a name
        result.append(
            replace(
                mention,
                entity_class=long_form.entity_class,
                name=long_form.name,
                gazetteer_id=long_form.gazetteer_id,
                forms=(mention.text,),
            )
        )
    return result


def _defined_acronym(doc: Doc, token: Token) -> str | None:
    """The acronym in '(ABC)' when `token` is its opening bracket."""
    if token.text not in OPENING or token.i + 2 >= len(doc):
        return None
    inner, closing = doc[token.i + 1], doc[token.i + 2]
    if closing.text not in CLOSING or not _is_acronym(inner.text):
        return None
    return inner.text


def _is_acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    capitals = sum(c.isupper() for c in letters)
    return len(letters) >= 2 and capitals >= 2 and capitals >= len(letters) - 1


def _spells(long_form: str, acronym: str) -> bool:
    """Whether the acronym's letters are, in order, letters of the long form, the first first.

    'Kosovo Force' spells KFOR; 'Lebanon' (left of 'South … Army (SLA)') does not spell SLA.
    """
    letters = [c for c in acronym.lower() if c.isalpha()]
    text = iter(long_form.lower())
    return bool(letters) and long_form[:1].lower() == letters[0] and all(c in text for c in letters)


def _initials_of_lowercase_phrase(doc: Doc, end: int, acronym: str) -> bool:
    """'anti-ship ballistic missile (ASBM)': a common noun phrase whose initials spell it.

    The phrase's last word is lower-case (a thing, not a name) and the
    acronym's letters are, in order, initials of the words before it.
    """
    if not (doc[end].is_alpha and doc[end].is_lower):
        return False
    initials = [t.lower_[0] for t in doc[max(0, end - MAX_WORDS) : end + 1] if t.is_alpha]
    letters = iter(initials)
    return all(any(c == i for i in letters) for c in acronym.lower() if c.isalpha())


MAX_WORDS = 7  # how far back an acronym's spelled-out form may start
