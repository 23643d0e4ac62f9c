"""Positions people hold, from titles and appositions.

'Iraqi PM Mustafa al-Kadhimi' → Prime Minister of Iraq; 'Frank McKenzie,
commander of US Central Command' → commander of CENTCOM.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.context import ArticleContext
from kg.names import split_title, title_words
from kg.records import EntityMention, RoleMention

HONORIFICS = frozenset({"Mr", "Mrs", "Ms", "Miss", "Sir", "Dame", "Lord", "Lady", "Doctor"})
# Words that qualify a title without being part of it: 'top general', 'new Prime Minister'.
QUALIFIERS = frozenset(
    {
        "new",
        "former",
        "then",
        "top",
        "late",
        "acting",
        "interim",
        "outgoing",
        "incoming",
        "senior",
        "current",
        "ex",
        "long-time",
        "longtime",
        "powerful",
        "veteran",
    }
)
HOLDERS = frozenset({"Country", "Organization"})
LINKS = frozenset({"of", "for"})


def _canonical(word: str) -> str:
    return title_words().get(word.lower().rstrip("."), word)


def _title_text(words: list[str]) -> str:
    canonical = [_canonical(w) if w.lower() not in LINKS else w.lower() for w in words]
    title = " ".join(w for w in canonical if w not in HONORIFICS)
    return title.replace(" - ", "-").strip()


def _left_title(
    person: EntityMention, ctx: ArticleContext
) -> tuple[list[str], list[EntityMention]]:
    """Title words and holders written before the name: 'Iraq's new Prime Minister'."""
    doc = ctx.doc
    span = doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return [], []
    titles = title_words()
    words: list[str] = []
    holders: list[EntityMention] = []
    i = span.start - 1
    sentence_start = span.sent.start
    while i >= sentence_start:
        token: Token = doc[i]
        mention = ctx.mention_at(token)
        lowered = token.lower_.rstrip(".")
        if mention is not None and mention.entity_class in HOLDERS:
            holders.append(mention)
            i = min(i, _first_token(doc, mention)) - 1
            continue
        if lowered in QUALIFIERS or token.lower_ in ("'s", "’s", "'"):
            pass
        elif mention is None and (lowered in titles or token.text in ("-",)):
            words.insert(0, token.text)
        elif lowered in LINKS and words:
            words.insert(0, token.text)
        elif (
            mention is None
            and token.is_title
            and i - 2 >= sentence_start
            and doc[i - 1].lower_ in LINKS
            and doc[i - 2].lower_.rstrip(".") in titles
        ):
            words.insert(0, token.text)  # 'Secretary of STATE Mike Pompeo'
        else:
            break
        i -= 1
    while words and words[0].lower() in LINKS:
        words.pop(0)
    return words, holders


def _first_token(doc, mention: EntityMention) -> int:  # type: ignore[no-untyped-def]
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.start if span is not None else 0


def _appositions(
    person: EntityMention, ctx: ArticleContext
) -> Iterator[tuple[str, list[EntityMention]]]:
    """'Mike Pompeo, Secretary of State', 'Lahur Talabany, a Kurdish counter-terrorism official'."""
    span = ctx.doc.char_span(person.start, person.end, alignment_mode="expand")
    if span is None:
        return
    titles = title_words()
    for appos in (c for c in span.root.children if c.dep_ == "appos"):
        if appos.lower_.rstrip(".") not in titles:
            continue
        words = [
            t.text
            for t in appos.lefts
            if t.dep_ in ("compound", "amod", "nmod")
            and ctx.mention_at(t) is None
            and t.lower_ not in QUALIFIERS
        ]
        words += [
            c.text
            for t in appos.lefts
            for c in t.children
            if c.dep_ in ("compound", "amod")
            and c.lower_ not in QUALIFIERS
            and ctx.mention_at(c) is None
        ]
        holders = [m for m in ctx.phrase_entities(appos) if m.entity_class in HOLDERS]
        yield _title_text([*words, appos.text]), holders


def role_mentions(ctx: ArticleContext) -> Iterator[RoleMention]:
    """Every title a person is given in the article."""
    for person in ctx.mentions:
        if person.entity_class != "Person":
            continue
        words, holders = _left_title(person, ctx)
        inner_title = split_title(" ".join(person.text.split()))[0]
        if inner_title:
            words = [*words, *inner_title.split()]
        found = [(_title_text(words), holders), *_appositions(person, ctx)]
        for title, of in found:
            if title:
                yield RoleMention(
                    person=person.start,
                    title=title,
                    of=tuple(sorted({m.start for m in of})),
                    sentence_start=person.sentence_start,
                    sentence_end=person.sentence_end,
                )
