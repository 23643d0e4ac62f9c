"""Military units by their designation, and the state each one serves.

A unit is named by its chain of command when it is small: 'Charlie Company,
1st Battalion, 41st Infantry Regiment' is one company (there are hundreds of
first battalions), and its parents are units of their own. Coordinated
ordinals share a head: 'I and III Marine Expeditionary Force' are two forces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace

from spacy.tokens import Doc, Span

from kg.doctext import doc_text
from kg.extract.lexicon import load_lexicon
from kg.gazetteer import Gazetteer
from kg.recognize.candidates import ORDINAL
from kg.recognize.words import recognition_words
from kg.records import COUNTRY, EntityMention

_ORDINAL = re.compile(ORDINAL)


def echelon(name: str) -> int:
    """How high a unit stands (company 2 … army 7), by the highest unit noun in its name; 0 if
    the name is not a unit's designation ('2nd Cavalry Regiment' is; 'Joint Staff' is not)."""
    words = recognition_words()
    tokens = name.replace(",", " ").split()
    if len(tokens) < 2:
        return 0
    first = tokens[0].lower()
    numbered = bool(_ORDINAL.match(tokens[0])) or first in words.ordinal_words
    lettered = first in words.phonetic_letters and tokens[-1].lower() in words.lettered_units
    if not (numbered or lettered) or tokens[-1].lower() not in words.unit_heads:
        return 0
    return max(words.unit_echelons.get(t.lower(), 0) for t in tokens)


def with_designations(doc: Doc, mentions: Sequence[EntityMention]) -> list[EntityMention]:
    """Units named in full: chains of command joined, shared heads spread."""
    spread = [m for mention in mentions for m in _shared_head(doc, mention)]
    return _chains(doc, spread)


def _shared_head(doc: Doc, mention: EntityMention) -> list[EntityMention]:
    """'I and III Marine Expeditionary Force' → 'I Marine …' (at 'I'), 'III Marine …'."""
    words = mention.name.split()
    if mention.entity_class != "Organization" or len(words) < 4 or words[1] not in ("and", "&"):
        return [mention]
    if not (_ORDINAL.match(words[0]) and _ORDINAL.match(words[2])):
        return [mention]
    head = " ".join(words[3:])
    first_end = mention.start + len(words[0])
    second_start = mention.start + mention.text.index(words[2], len(words[0]))
    return [
        replace(mention, text=words[0], end=first_end, name=f"{words[0]} {head}", forms=()),
        replace(
            mention,
            text=mention.text[second_start - mention.start :],
            start=second_start,
            name=f"{words[2]} {head}",
            forms=(),
        ),
    ]


def _chains(doc: Doc, mentions: list[EntityMention]) -> list[EntityMention]:
    """Each unit followed by ', ' and a higher unit is named with its parents' designations."""
    by_start = sorted(mentions, key=lambda m: m.start)
    result = []
    for i, mention in enumerate(by_start):
        chain = [mention]
        while echelon(chain[-1].name):
            following = _next_unit(doc, by_start, i + len(chain) - 1)
            if following is None or echelon(following.name) <= echelon(chain[-1].name):
                break
            chain.append(following)
        if len(chain) == 1:
            result.append(mention)
            continue
        end = chain[-1].end
        result.append(
            replace(
                mention,
                text=doc_text(doc)[mention.start : end],
                end=end,
                name=", ".join(m.name for m in chain),
                forms=(mention.name,),
            )
        )
    return result


def _next_unit(doc: Doc, mentions: list[EntityMention], index: int) -> EntityMention | None:
    """The unit right after mentions[index], past one comma."""
    if index + 1 >= len(mentions):
        return None
    current, following = mentions[index], mentions[index + 1]
    between = doc_text(doc)[current.end : following.start]
    return following if between.strip() == "," else None


def acting_states(
    doc: Doc, mentions: Sequence[EntityMention], gazetteer: Gazetteer
) -> list[EntityMention]:
    """Give units and state organs the state they serve, as the text says.

    'Kosovo Police', 'the Somali National Army': an organ named after its
    state. 'Australian Army 3rd Brigade', 'Russia's 58th Army': the state or
    the state's body written before the unit. A unit the text ties to no
    state serves the one state whose forces the article reports, if only one.
    """
    organs = [_with_state(m, _organ_state(m, gazetteer)) for m in mentions]
    states = {m.start: _states_of(m, gazetteer) for m in organs}
    national = {s for m in organs if _is_force_owner(doc, m) for s in states[m.start]}
    result = []
    for mention in organs:
        if echelon(mention.name) and not mention.acts_for and not mention.gazetteer_id:
            acts_for = _preceding_state(doc, mention, organs, states)
            if not acts_for and len(national) == 1:
                acts_for = tuple(national)
            mention = _with_state(mention, acts_for)
        result.append(mention)
    return result


def _with_state(mention: EntityMention, acts_for: tuple[str, ...]) -> EntityMention:
    return replace(mention, acts_for=acts_for) if acts_for else mention


def _states_of(mention: EntityMention, gazetteer: Gazetteer) -> tuple[str, ...]:
    if mention.entity_class == "Country" and mention.gazetteer_id:
        return (mention.gazetteer_id,)
    entry = gazetteer.entries.get(mention.gazetteer_id or "")
    return entry.acts_for if entry is not None else mention.acts_for


def _organ_state(mention: EntityMention, gazetteer: Gazetteer) -> tuple[str, ...]:
    """'Kosovo Police' → Kosovo: a state's name or nationality, then a state organ."""
    if mention.entity_class != "Organization" or mention.gazetteer_id:
        return ()
    name = mention.name.lower()
    for head in sorted(recognition_words().state_organ_heads, key=len, reverse=True):
        if not name.endswith(" " + head):
            continue
        owner = mention.name[: -len(head) - 1].split()
        for cut in range(len(owner), 0, -1):
            entry = gazetteer.lookup(" ".join(owner[:cut]), COUNTRY)
            if entry is not None:
                return (entry.key,)
    return ()


def _preceding_state(
    doc: Doc,
    mention: EntityMention,
    mentions: Iterable[EntityMention],
    states: dict[int, tuple[str, ...]],
) -> tuple[str, ...]:
    """The state named right before the unit: 'U.S. Army's 1st Cavalry Division'."""
    before = doc_text(doc)[: mention.start].rstrip()
    for suffix in ("'s", "’s"):
        before = before.removesuffix(suffix).rstrip()
    before = re.sub(r"(?i)\bthe$", "", before).rstrip()
    for other in mentions:
        if other.end == len(before) and states.get(other.start):
            return states[other.start]
    return ()


def _is_force_owner(doc: Doc, mention: EntityMention) -> bool:
    """'U.S. Soldiers', 'U.S. Army', '2nd Cavalry Regiment': a state's forces, or a force."""
    if mention.entity_class == "Organization":
        words = set(mention.name.lower().split())
        return bool(words & recognition_words().force_words) or bool(echelon(mention.name))
    if mention.entity_class != "Country":
        return False
    span: Span | None = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    military = load_lexicon().military_nouns
    return (
        span.root.dep_ in ("compound", "amod", "nmod", "poss") and span.root.head.lower_ in military
    )
