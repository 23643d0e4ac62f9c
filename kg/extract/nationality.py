"""When a nationality word names its country: where the country acts, not where it describes.

'Italian and Hungarian soldiers were injured' brings Italy and Hungary into
the story; 'a Liberian-owned carrier' and 'ethnic Albanian mayors' do not
bring Liberia or Albania. A country the article also names outright is
always in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Token

from kg.extract.equipment import EQUIPMENT
from kg.extract.lexicon import load_lexicon
from kg.gazetteer import Gazetteer
from kg.names import title_words
from kg.recognize.words import recognition_words
from kg.records import EntityMention

MODIFIER_LINKS = frozenset({"amod", "compound", "nmod", "poss"})


def acting_nationalities(
    doc: Doc, mentions: Sequence[EntityMention], gazetteer: Gazetteer
) -> list[EntityMention]:
    """`mentions` without the nationality words that only describe something."""
    named = {m.gazetteer_id for m in mentions if m.gazetteer_id and not _is_demonym(m, gazetteer)}
    return [
        m
        for m in mentions
        if not _is_demonym(m, gazetteer) or m.gazetteer_id in named or _acts(doc, m)
    ]


def _is_demonym(mention: EntityMention, gazetteer: Gazetteer) -> bool:
    entry = gazetteer.entries.get(mention.gazetteer_id or "")
    return entry is not None and entry.entity_class == "Country" and mention.text in entry.demonyms


def _acts(doc: Doc, mention: EntityMention) -> bool:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return True
    token = span.root
    words = recognition_words()
    if token.i > 0 and doc[token.i - 1].lower_ == "ethnic":
        return False  # an ethnic group, not a state
    if token.i + 2 < len(doc) and doc[token.i + 1].text == "-":
        return doc[token.i + 2].lower_ in words.agentive_compounds  # 'Iranian-backed'
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head  # 'Italian and Hungarian soldiers': Hungarian shares the head
    if token.dep_ not in MODIFIER_LINKS:
        return True  # the nationality as a noun: 'the Serbs responded'
    head = token.head
    while head.dep_ in MODIFIER_LINKS and head.head.i != head.i and not _is_actor(head):
        head = head.head  # 'Italian KFOR contingent': KFOR qualifies the contingent too
    return _is_actor(head)


def _is_actor(head: Token) -> bool:
    """Whether the noun a nationality qualifies can act: troops, officials, a government,
    a state's aircraft and weapons ('Dutch F-35s'), or an event it carries out ('Israeli
    airstrikes', 'the Russian withdrawal')."""
    lexicon = load_lexicon()
    words = {head.lower_, head.lemma_.lower()}
    return bool(
        words & recognition_words().actor_nouns
        or words & lexicon.military_nouns
        or words & lexicon.nouns.keys()
        or words & set(title_words())
        or EQUIPMENT.match(head.text)
    )
