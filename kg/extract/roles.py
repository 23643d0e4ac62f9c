"""Positions people hold, read from the titles news writes around their names.

Three places, one reading. A title phrase is cut into units (a rank such as
'Maj. Gen.', a service, title words, their modifiers, the holder named with
them, 'of'/'for'/'to' and what follows) from the title tables in kg/data/, and
the units give the roles:

- before the name: 'Iraqi PM Mustafa al-Kadhimi', 'Pentagon Press Secretary John
  Kirby', 'U.S. Ambassador to Chile John Doe', 'Army Maj. Gen. Jane Roe' (a rank,
  held in the Army when the Army is a mention);
- after the name, in apposition: 'Frank McKenzie, commander of US Central Command',
  'Jane Roe, commanding general of X and commander of Y' (two roles);
- in apposition before the name: 'the commander of U.S. Africa Command, Army Gen.
  Paul Hicks', 'U.S. European Command Commander, Gen. Tod Walters'.

A title read without its holder is held for whom the gazetteer says (resolve/roles.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple

from spacy.tokens import Doc, Span, Token

from kg.extract.context import ArticleContext
from kg.names import (
    split_title,
    title_abbreviations,
    title_key,
    title_piece,
    title_qualifiers,
    title_vocabulary,
)
from kg.records import EntityMention, RoleMention

HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss", "Sir", "Dame", "Lord", "Lady", "Doctor"})
HOLDERS = frozenset({"Country", "Organization"})
# 'commander OF Central Command', 'spokeswoman FOR the State Department', 'ambassador TO Chile',
# 'an official AT the embassy', 'an adviser WITH NATO'.
LINKS = frozenset({"of", "for", "to", "at", "with"})
HOLDER_LINKS = frozenset({"of", "for", "at", "with"})  # their object is whom it is held for
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
# Where an apposition ends: 'Jane Roe, the commander of X, WHO …'.
RELATIVE_TAGS = frozenset({"WDT", "WP", "WP$"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod"})
MODIFIER_POS = frozenset({"NOUN", "PROPN", "ADJ"})
# Named-entity types of words that never modify a title: 'Sunday President Trump'.
NOT_TITLE_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "MONEY", "PERCENT", "QUANTITY"})
LONGEST_LINK_OBJECT = 6  # tokens: 'of the 10th Mountain Division', 'of U.S. Central Command'

UnitKind = Literal[
    "rank",
    "service",
    "title",
    "honorific",
    "qualifier",
    "holder",
    "link",
    "det",
    "possessive",
    "prep",
    "cc",
    "modifier",
]


@dataclass(frozen=True, slots=True)
class _Unit:
    """One word or name of a title phrase, as the title tables read it."""

    kind: UnitKind
    text: str  # as written
    canonical: str = ""  # a rank's or title word's canonical form
    mention: EntityMention | None = None  # the holder a 'holder' unit names
    specific: bool = False  # a rank that cannot be a position's head: 'Gen.', 'Major General'


Role = tuple[str, tuple[EntityMention, ...]]


def role_mentions(ctx: ArticleContext) -> Iterator[RoleMention]:
    """Every title a person is given in the article."""
    for person in ctx.mentions:
        if person.entity_class != "Person":
            continue
        span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
        if span is None:
            continue
        seen: set[tuple[str, tuple[int, ...]]] = set()
        for title, holders in _roles_of(person, span, ctx):
            key = (title, tuple(sorted({m.start for m in holders})))
            if title and key not in seen:
                seen.add(key)
                yield RoleMention(
                    person=person.start,
                    title=title,
                    of=key[1],
                    sentence_start=person.sentence_start,
                    sentence_end=person.sentence_end,
                )


def _roles_of(person: EntityMention, span: Span, ctx: ArticleContext) -> Iterator[Role]:
    floor = _title_floor(span)
    before = _run_before(ctx, span.start, floor)
    yield from _roles(_units([*before, *_inner_title(person, span)], ctx))
    start = before[0].i if before else span.start
    if start > floor and ctx.doc[start - 1].text == ",":
        yield from _apposition_before(span, start - 1, ctx)
    yield from _apposition_after(span, ctx)


# --- Where title phrases are -------------------------------------------------------------


def _title_floor(span: Span) -> int:
    """Where a title before `span` may begin: its sentence, or an earlier one when the
    sentence splitter took an abbreviated rank's dot for a full stop ('Staff Sgt. | Jo Lee')."""
    doc = span.doc
    floor = span.sent.start
    while floor > 0:
        previous = doc[floor - 1].sent
        fragment = len(previous) <= 3 and all(  # 'Sgt. | 1st | Class Maria Diaz'
            title_key(t.text) in title_vocabulary() for t in previous
        )
        if not (_after_abbreviation(doc[floor - 1]) or fragment):
            break
        floor = previous.start
    return floor


def _inner_title(person: EntityMention, span: Span) -> list[Token]:
    """Title tokens the name's own span begins with: the 'Gen.' of a mention 'Gen. Jane Roe'."""
    inner = split_title(" ".join(person.text.split()))[0]
    if not inner:
        return []
    words = list(re.finditer(r"\S+", person.text))
    end = person.start + words[len(inner.split()) - 1].end()
    return [t for t in span if t.idx < end]


def _run_before(ctx: ArticleContext, end: int, floor: int) -> list[Token]:
    """The title material written right before token `end`, back to `floor`.

    'Pentagon Press Secretary', 'U.S. Ambassador to Chile', 'Army Maj. Gen.': title
    words and ranks, the qualifiers and holders among them, modifiers of a title word
    ('Press'), and an 'of/for/to' phrase after a title word ('Secretary of State').
    """
    doc = ctx.doc
    run: list[Token] = []
    last = ""  # what the nearest word accepted to the right was
    i = end - 1
    while i >= floor:
        token = doc[i]
        mention = ctx.mention_at(token)
        key = title_key(token.text)
        if (token.text == "-" and run) or _after_abbreviation(token):
            run.insert(0, token)
        elif mention is not None and not _names_a_title(mention):
            first = _first_token(doc, mention)
            if not _is_holder(mention) or first < floor:
                break
            run[:0] = doc[first : i + 1]
            last, i = "holder", first - 1
            continue
        elif (start := _link_object_start(ctx, i, floor)) is not None:
            run[:0] = doc[start : i + 1]
            last, i = "object", start - 1
            continue
        elif key in title_vocabulary() or key in title_qualifiers():
            run.insert(0, token)
            last = "title"
        elif token.lower_ in POSSESSIVES:
            run.insert(0, token)
            last = "possessive"
        elif key in LINKS and last in ("object", "holder") and _is_title_head(doc[i - 1]):
            run.insert(0, token)
            last = "link"
        elif last in ("title", "modifier") and _is_modifier(token):
            run.insert(0, token)
            last = "modifier"
        else:
            break
        i -= 1
    while run and (run[0].lower_ in LINKS | POSSESSIVES or run[0].text in (".", "-")):
        run.pop(0)
    return run


def _link_object_start(ctx: ArticleContext, i: int, floor: int) -> int | None:
    """Where the object of a title's 'of/for/to' begins, if token `i` ends one.

    'Secretary of STATE', 'commander of THE 10TH MOUNTAIN DIVISION', 'ambassador to CHILE'.
    """
    doc = ctx.doc
    j = i
    while j >= floor and i - j <= LONGEST_LINK_OBJECT:
        token = doc[j]
        if token.lower_ in LINKS and j < i and j > floor and _is_title_head(doc[j - 1]):
            return j + 1
        mention = ctx.mention_at(token)
        if _is_title_head(token) or (mention is not None and mention.entity_class == "Person"):
            return None  # 'Chief of the Defence Staff ADM.': the rank is not in the object
        if not (
            mention is not None
            or token.pos_ == "DET"
            or token.lower_ in LINKS  # 'of the Joint Chiefs OF Staff'
            or token.text in (".", "-")
            or (token.pos_ in (*MODIFIER_POS, "NUM") and token.ent_type_ not in NOT_TITLE_ENTS)
        ):
            return None
        j -= 1
    return None


def _apposition_before(span: Span, comma: int, ctx: ArticleContext) -> Iterator[Role]:
    """'The commander of U.S. Africa Command, Army Gen. Paul Hicks, said …'.

    The parse must take the name for an apposition, hung on the title phrase or
    closed by a comma: 'his chief of staff, Andriy Yermak, met …'.
    """
    root = span.root
    if root.dep_ != "appos":
        return
    phrase = _run_before(ctx, comma, span.sent.start)
    closed = span.end < len(span.doc) and span.doc[span.end].text == ","
    if phrase and (phrase[0].i <= root.head.i < comma or closed):
        yield from _roles(_units(phrase, ctx))


def _apposition_after(span: Span, ctx: ArticleContext) -> Iterator[Role]:
    """'Jane Roe, the commander of U.S. Central Command, said …': titles after the name.

    The words between the comma and the end of the apposition must all be title
    phrases; coordinated phrases give one role each. An age between comes first:
    'Jane Roe, 45, a former Army captain'.
    """
    tokens = _apposition(ctx.doc, span.end, span.sent.end)
    if tokens and all(t.like_num for t in tokens):
        tokens = _apposition(ctx.doc, tokens[-1].i + 1, span.sent.end)
    tokens = _after_possessor(tokens, ctx)
    link = next((n for n, t in enumerate(tokens) if t.lower_ in LINKS), len(tokens))
    if not tokens or not all(_in_apposition(t, ctx) for t in tokens[:link]):
        return
    phrases = _coordinated(_units(tokens, ctx))
    if not phrases or not all(_is_title_phrase(p) for p in phrases):
        return
    found = [_roles(p) for p in phrases]
    for n, roles in enumerate(found):
        # 'president and chief executive of Acme': a bare title shares the next one's holder
        bare = not any(u.kind == "link" for u in phrases[n])
        if bare and n + 1 < len(found) and found[n + 1] and all(not h for _, h in roles):
            roles = [(title, found[n + 1][-1][1]) for title, _ in roles]
        yield from roles


def _apposition(doc: Doc, comma: int, end: int) -> list[Token]:
    """The words after a comma at `comma` up to where an apposition ends."""
    if comma >= end or doc[comma].text != ",":
        return []
    stop = comma + 1
    while stop < end and not _ends_apposition(doc[stop]):
        stop += 1
    return list(doc[comma + 1 : stop])


def _ends_apposition(token: Token) -> bool:
    """A comma, bracket, dash or full stop, or a relative pronoun: '…, who …'.

    Not the hyphen inside a word ('counter-terrorism') nor a rank's dot ('Maj.').
    """
    if token.tag_ in RELATIVE_TAGS:
        return True
    doc = token.doc
    inside_word = (
        not token.whitespace_
        and not doc[token.i - 1].whitespace_
        and token.i + 1 < len(doc)
        and doc[token.i + 1].is_alpha
    )
    return token.is_punct and not inside_word and not _after_abbreviation(token)


def _after_possessor(tokens: list[Token], ctx: ArticleContext) -> list[Token]:
    """What follows a person named as whose the title is: "President Trump's | envoy"."""
    for n, token in enumerate(tokens):
        if token.lower_ in LINKS:
            break
        before = tokens[n - 1] if n else None
        mention = ctx.mention_at(before) if before is not None else None
        if token.lower_ in POSSESSIVES and mention is not None and mention.entity_class == "Person":
            return tokens[n + 1 :]
    return tokens


def _in_apposition(token: Token, ctx: ArticleContext) -> bool:
    """Whether `token` can be part of a title apposition: no verb, no other person."""
    mention = ctx.mention_at(token)
    if mention is not None and mention.entity_class == "Person":
        return False
    if token.pos_ in ("VERB", "AUX"):
        return token.tag_ in ("VBG", "VBN")  # 'COMMANDING general', 'RETIRED colonel'
    if token.tag_ == "PRP$" or token.lower_ in POSSESSIVES:
        return True  # 'his chief of staff', 'the Pentagon's spokesman'
    return token.pos_ not in ("PRON", "SCONJ", "PART")


def _coordinated(units: list[_Unit]) -> list[list[_Unit]]:
    """Split 'commanding general of X and commander of Y' into its title phrases."""
    phrases: list[list[_Unit]] = [[]]
    for n, unit in enumerate(units):
        if unit.kind == "cc" and _is_title_phrase(_until_link(units[n + 1 :])):
            phrases.append([])
        else:
            phrases[-1].append(unit)
    return [p for p in phrases if p]


def _until_link(units: Sequence[_Unit]) -> list[_Unit]:
    cut = next((n for n, u in enumerate(units) if u.kind in ("link", "prep", "cc")), len(units))
    return list(units[:cut])


def _is_title_phrase(units: Sequence[_Unit]) -> bool:
    """A title word (or rank) comes before any 'of' and is the phrase's head."""
    head = _until_link(units)
    return bool(head) and head[-1].kind in ("rank", "title")


# --- Reading a title phrase --------------------------------------------------------------


def _units(tokens: Sequence[Token], ctx: ArticleContext) -> list[_Unit]:
    """Cut tokens into title units; a rank or service of several words is one unit."""
    words = _words(tokens, ctx)
    keys = [title_key(w.text) for w in words]
    units: list[_Unit] = []
    n = 0
    while n < len(words):
        word = words[n]
        piece = title_piece(keys, n) if word.holder is None else None
        if word.holder is not None:
            units.append(_Unit("holder", word.text, mention=word.holder))
        elif piece is not None and piece.kind != "qualifier":
            kind: UnitKind = piece.kind
            if kind == "title" and piece.canonical in HONORIFICS:
                kind = "honorific"
            specific = kind == "rank" and (piece.length > 1 or keys[n] != piece.canonical.lower())
            written = " ".join(w.text for w in words[n : n + piece.length])
            units.append(_Unit(kind, written, piece.canonical, specific=specific))
            n += piece.length
            continue
        else:
            units.append(_Unit("qualifier" if piece else _word_kind(word.token), word.text))
        n += 1
    return units


def _word_kind(token: Token) -> UnitKind:
    """What a word that is no title, rank, service or holder does in a title phrase."""
    if token.lower_ in LINKS:
        return "link"
    if token.lower_ in POSSESSIVES:
        return "possessive"
    if token.tag_ == "PRP$":
        return "det"  # 'HIS chief of staff'
    return _POS_KINDS.get(token.pos_, "modifier")


# 'the commander of NATO forces IN Poland AND …'
_POS_KINDS: dict[str, UnitKind] = {"DET": "det", "ADP": "prep", "CCONJ": "cc"}


class _Word(NamedTuple):
    text: str  # as written, abbreviation dots and hyphenated parts joined: 'Maj.', 'Vice-Marshal'
    holder: EntityMention | None  # the body or country the word names
    token: Token  # its first token


def _words(tokens: Sequence[Token], ctx: ArticleContext) -> list[_Word]:
    """Tokens joined into words as written; a holder's name of several tokens is one word."""
    words: list[_Word] = []
    for token in tokens:
        mention = ctx.mention_at(token)
        holder = mention if mention is not None and _is_holder(mention) else None
        previous = token.doc[token.i - 1] if words else None
        if previous is not None and holder is not None and words[-1].holder is holder:
            words[-1] = words[-1]._replace(text=words[-1].text + previous.whitespace_ + token.text)
        elif (
            previous is not None
            and holder is None
            and words[-1].holder is None
            and not previous.whitespace_
            and (token.text in (".", "-") or previous.text == "-")
        ):
            words[-1] = words[-1]._replace(text=words[-1].text + token.text)
        else:
            words.append(_Word(token.text, holder, token))
    return words


def _roles(units: list[_Unit]) -> list[Role]:
    """The roles a title phrase gives: a trailing rank, and the position before it."""
    while units and units[0].kind in ("det", "possessive", "link", "cc"):
        units = units[1:]
    roles: list[Role] = []
    rank_at = _trailing_rank(units)
    if rank_at is not None:
        before = rank_at
        holders: list[EntityMention] = []
        while before > 0 and units[before - 1].kind in (
            "qualifier",
            "possessive",
            "service",
            "holder",
            "det",
        ):
            before -= 1
            mention = units[before].mention
            if mention is not None:
                holders.append(mention)
        roles.append((units[rank_at].canonical, tuple(holders)))
        units = units[:before]
    position = _position(units)
    if position is not None:
        roles.append(position)
    return roles


def _trailing_rank(units: list[_Unit]) -> int | None:
    """Where the rank that ends the phrase is, if it is a rank and not a position's head.

    'Deputy Commander Gen.' ends in a rank; 'commanding general' and 'Secretary General'
    end in a position whose head word is also a rank.
    """
    if not units or units[-1].kind != "rank":
        return None
    at = len(units) - 1
    before = [u for u in units[:at] if u.kind not in ("qualifier", "possessive", "det")]
    if before and before[-1].kind in ("title", "modifier", "rank") and not units[at].specific:
        return None
    return at


def _position(units: list[_Unit]) -> Role | None:
    """A position: its words in canonical form, and whom it is held for."""
    head = _until_link(units)
    if not any(u.kind in ("rank", "title") for u in head):
        return None
    words: list[str] = []
    holders: list[EntityMention] = []
    for unit in head:
        if unit.kind == "possessive":
            words.clear()  # 'the company's chief executive': the owner is no part of the title
        elif unit.kind == "holder" and unit.mention is not None:
            holders.append(unit.mention)
            if _unknown_body(unit.mention):
                words.append(unit.text)  # 'Defense Secretary' with 'Defense' tagged a body
        elif unit.kind in ("rank", "title"):
            words.append(unit.canonical)
        elif unit.kind in ("modifier", "service"):
            words.append(unit.text[:1].upper() + unit.text[1:])
    rest = units[len(head) :]
    starts = [n for n, u in enumerate(rest) if u.kind == "link" or n == 0]
    for start, end in zip(starts, [*starts[1:], len(rest)][: len(starts)], strict=True):
        text, held_for = _link_phrase(rest[start], rest[start + 1 : end], bool(holders))
        words.extend(text)
        holders.extend(held_for)
    title = " ".join(words).strip()
    return (title, tuple(holders)) if title else None


def _link_phrase(
    link: _Unit, obj: list[_Unit], has_holder: bool
) -> tuple[list[str], list[EntityMention]]:
    """The words and holders 'of X', 'for X' or 'to X' adds to a title.

    Of/for a known body names whom the title is held for ('commander of U.S. Central
    Command'); of anything else it is part of the title ('Secretary of State', 'deputy
    director for regional operations'). 'To X' stays in the title ('Ambassador to
    Chile'), X being added as a holder beside the one before the title.
    """
    content = [u for u in obj if u.kind != "det"]
    written = [link.text.lower(), *(u.text for u in obj)]
    if not content:
        return [], []
    if link.kind != "link":
        return written, []  # 'commander IN Iraq': where, not for whom
    head = _until_link(content)
    # a holder followed by more of a name is part of a name the entities missed
    held_for = [
        u.mention
        for n, u in enumerate(head)
        if u.mention is not None
        and not any(
            v.kind in ("modifier", "holder") and v.text[:1].isupper() for v in head[n + 1 :]
        )
    ]
    if link.text.lower() not in HOLDER_LINKS:
        return written, held_for if has_holder else []
    if len(content) == 1 and held_for and held_for[0].gazetteer_id:
        return [], held_for
    return written, held_for


# --- Word classes ------------------------------------------------------------------------


def _is_holder(mention: EntityMention) -> bool:
    """A country or body a title can be held for."""
    return mention.entity_class in HOLDERS and not _names_a_title(mention)


def _names_a_title(mention: EntityMention) -> bool:
    """A mention the NER cut from a title, not a holder: 'Air Force Lt' of 'Air Force Lt. Gen.'."""
    keys = [title_key(w) for w in mention.text.split()]
    n, has_title = 0, False
    while n < len(keys):
        piece = title_piece(keys, n)
        if piece is None:
            return False
        has_title = has_title or piece.kind in ("rank", "title")
        n += piece.length
    return has_title


def _unknown_body(mention: EntityMention) -> bool:
    """A one-word organisation the gazetteer does not know: as likely a portfolio as a body."""
    return (
        mention.entity_class == "Organization"
        and mention.gazetteer_id is None
        and len(mention.text.split()) == 1
    )


def _after_abbreviation(dot: Token) -> bool:
    """A dot the tokenizer split from an abbreviated title: 'Maj' + '.'."""
    return (
        dot.text == "."
        and dot.i > 0
        and title_key(dot.doc[dot.i - 1].text) in title_abbreviations()
    )


def _is_title_head(token: Token) -> bool:
    """A title word an 'of/for/to' phrase can hang on: 'Secretary', 'Ambassador', 'chief'."""
    piece = title_piece([title_key(token.text)], 0)
    return piece is not None and piece.kind in ("rank", "title")


def _is_modifier(token: Token) -> bool:
    """A word modifying the title word after it: 'PRESS Secretary', 'DEPUTY director'."""
    return (
        (token.pos_ in MODIFIER_POS or token.tag_ in ("VBG", "VBN"))
        and token.dep_ in MODIFIER_DEPS
        and token.ent_type_ not in NOT_TITLE_ENTS
        and any(c.isalpha() for c in token.text)
    )


def _first_token(doc: Doc, mention: EntityMention) -> int:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.start if span is not None else 0
