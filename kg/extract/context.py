"""A parsed article with its entity mentions laid over the tokens.

Event and role extraction ask the same questions of the parse — which
entity does this token belong to, what does this pronoun stand for — so
the answers are computed here once per article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from kg.extract.lexicon import load_lexicon
from kg.records import EntityMention

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
ACTOR_CLASSES = frozenset({"Person", "Country", "Organization"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})


@dataclass
class ArticleContext:
    """Token-level access to an article's mentions; built once per Doc."""

    doc: Doc
    mentions: tuple[EntityMention, ...]
    # Starts of mentions that stand for a state: a capital, a seat of government.
    state_metonyms: frozenset[int] = frozenset()
    _by_token: dict[int, EntityMention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        starts = {token.idx: token.i for token in self.doc}
        for mention in self.mentions:
            first = starts.get(mention.start)
            if first is None:
                continue
            i = first
            while i < len(self.doc) and self.doc[i].idx < mention.end:
                self._by_token[i] = mention
                i += 1

    def actors(self, mentions: Iterable[EntityMention]) -> list[EntityMention]:
        """Those of `mentions` that can act: people, states, bodies, capitals for their states."""
        return [
            m for m in mentions if m.entity_class in ACTOR_CLASSES or m.start in self.state_metonyms
        ]

    def mention_at(self, token: Token) -> EntityMention | None:
        """The entity mention this token is part of."""
        return self._by_token.get(token.i)

    def mentions_in(self, tokens: Iterable[Token]) -> list[EntityMention]:
        """Distinct mentions among `tokens`, in text order."""
        seen: dict[int, EntityMention] = {}
        for token in tokens:
            mention = self._by_token.get(token.i)
            if mention is not None:
                seen.setdefault(mention.start, mention)
        return [seen[k] for k in sorted(seen)]

    def phrase_entities(self, head: Token) -> list[EntityMention]:
        """The entities a noun phrase names, nearest the head first.

        'Iraqi PM Mustafa al-Kadhimi' → al-Kadhimi (the head) before Iraq;
        'US-led forces' → United States; 'he' → the person it refers to.
        """
        own = self.mention_at(head)
        if own is not None:
            return [own]
        if head.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
            antecedent = self.antecedent(head)
            return [antecedent] if antecedent else []
        if head.lower_ in ("country", "nation") and any(
            c.lower_ in ("the", "this") for c in head.children
        ):
            antecedent = self.previous_mention(head, frozenset({"Country"}))
            return [antecedent] if antecedent else []
        named = [self.mention_at(c) for c in head.children if c.dep_ == "appos"]
        people = [m for m in named if m is not None and m.entity_class == "Person"]
        if people:  # 'Iraqi militia leader, Abu Mahdi al-Muhandis'
            return people
        # Stay inside the phrase: modifiers, not relative clauses or other events.
        tokens = [t for t in head.subtree if not in_clause(t, head)]
        found = sorted(self.mentions_in(tokens), key=lambda m: abs(m.start - head.idx))
        people = [m for m in found if m.entity_class == "Person"]
        # 'Iraqi militia leader Abu Mahdi al-Muhandis' names the man; 'Iraqi' describes him.
        return people or found

    def previous_mention(self, token: Token, classes: frozenset[str]) -> EntityMention | None:
        """The nearest mention of one of `classes` before `token` that is not a modifier of troops.

        'U.S. troops … in the country' must find Iraq, not the troops' nationality.
        """
        troop_words = load_lexicon().military_nouns
        for i in range(token.i - 1, -1, -1):
            mention = self._by_token.get(i)
            if mention is None or mention.entity_class not in classes:
                continue
            word = self.doc[i]
            if word.dep_ in ("compound", "amod", "nmod") and word.head.lower_ in troop_words:
                continue
            return mention
        return None

    def antecedent(self, pronoun: Token) -> EntityMention | None:
        """What a pronoun stands for: the nearest fitting mention before it (cheap coreference)."""
        if pronoun.lower_ in PERSON_PRONOUNS:
            return self.previous_mention(pronoun, frozenset({"Person"}))
        subject = _conjoined_subject(pronoun)
        if subject is not None:
            found = self.phrase_entities(subject)
            if found:
                return found[0]
        return self.previous_mention(pronoun, frozenset({"Country", "Organization"}))

    def coordinated(self, head: Token) -> list[Token]:
        """`head` and the heads coordinated with it: 'the State Department and Iraq's Ministry'.

        The parser sometimes hangs the first conjunct under the second as a
        modifier (nmod, compound) with the 'and' beneath it; those count too.
        """
        heads = [head, *(c for c in head.children if c.dep_ == "conj")]
        for child in head.children:
            if child.dep_ in ("nmod", "compound") and any(g.dep_ == "cc" for g in child.children):
                heads.append(child)
                heads.extend(g for g in child.children if g.dep_ == "conj")
        return heads

    def subject_of(self, verb: Token) -> Token | None:
        """The verb's subject, or the subject it inherits as a non-finite or coordinated verb."""
        raised = False  # 'Washington is expected to cut …': the passive subject of 'expected'
        for _ in range(4):
            for child in verb.children:
                if child.dep_ in ("nsubj", "csubj") or (raised and child.dep_ == "nsubjpass"):
                    return child
                if child.dep_ == "agent":  # passive 'by X'
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp", "acl") and verb.head.i != verb.i:
                raised = verb.dep_ == "xcomp"
                verb = verb.head if verb.dep_ != "pcomp" else verb.head.head
                continue
            return None
        return None


def in_clause(token: Token, head: Token) -> bool:
    """Whether `token` sits in a clause inside `head`'s phrase (a relative clause, say)."""
    while token.i != head.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos") or token.pos_ == "VERB":
            return True
        token = token.head
    return False


def _conjoined_subject(pronoun: Token) -> Token | None:
    """'US troops have been in Afghanistan, and they invaded Iraq': they → US troops."""
    verb = pronoun.head
    if verb.dep_ == "conj":
        for child in verb.head.children:
            if child.dep_ in SUBJECTS:
                return child
    return None
