"""A parsed article with its entity mentions laid over the tokens.

Event and role extraction ask the same questions of the parse — which
entity does this token belong to, what does this pronoun stand for — so
the answers are computed here once per article.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from spacy.attrs import IDX, LEMMA, LOWER, POS
from spacy.tokens import Doc, Token

from kg.extract.lexicon import load_grammar, load_lexicon
from kg.records import PLACE_CLASSES, EntityMention

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his"})
GROUP_PRONOUNS = frozenset({"they", "them", "their", "it", "its"})
ACTOR_CLASSES = frozenset({"Person", "Country", "Organization"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom"})
HERE_WORDS = frozenset({"there", "here"})
# A participle on a noun is a past form; taggers often call it a past tense.
PAST_FORMS = frozenset({"VBN", "VBD"})
# Prepositions that name the unit troops belong to: 'soldiers FROM the 82nd Airborne'.
UNIT_PREPOSITIONS = frozenset({"from", "of", "with"})


@dataclass
class ArticleContext:
    """Token-level access to an article's mentions; built once per Doc."""

    doc: Doc
    mentions: tuple[EntityMention, ...]
    # Starts of mentions that stand for a state: a capital, a seat of government.
    state_metonyms: frozenset[int] = frozenset()
    _by_token: dict[int, EntityMention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Offsets read in one call, not through a Token object per word.
        offsets: list[int] = self.doc.to_array(IDX).tolist()
        starts = {idx: i for i, idx in enumerate(offsets)}
        for mention in self.mentions:
            first = starts.get(mention.start)
            if first is None:
                continue
            i = first
            while i < len(offsets) and offsets[i] < mention.end:
                self._by_token[i] = mention
                i += 1

    @functools.cached_property
    def parts_of_speech(self) -> list[int]:
        """Every token's part of speech as spaCy's id (`Token.pos`), read in one call."""
        tags: list[int] = self.doc.to_array(POS).tolist()
        return tags

    @functools.cached_property
    def word_forms(self) -> list[tuple[int, int]]:
        """Every token's lemma and lower-case form as string ids, read in one call."""
        table = self.doc.to_array([LEMMA, LOWER]).tolist()
        return [(lemma, lower) for lemma, lower in table]

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
        named = [self.mention_at(c) for c in head.children if c.dep_ == "appos"]
        people = [m for m in named if m is not None and m.entity_class == "Person"]
        own = self.mention_at(head)
        if people:  # 'Iraqi militia leader, Abu Mahdi al-Muhandis'; 'the commander, Gen. X'
            return people + ([own] if own is not None and own not in people else [])
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
        # Stay inside the phrase: modifiers, not relative clauses or other events.
        tokens = [t for t in head.subtree if not in_clause(t, head)]
        found = sorted(self.mentions_in(tokens), key=lambda m: abs(m.start - head.idx))
        # 'Iraqi militia leader Abu Mahdi al-Muhandis' names the man; 'Iraqi' describes him.
        # A person further down ('the estate of Vaclav HAVEL in Slovakia') is not what the
        # phrase names.
        nested = {t.i for c in head.children if c.dep_ == "prep" for t in c.subtree}
        own_words = self.mentions_in(t for t in tokens if t.i not in nested)
        people = [m for m in found if m.entity_class == "Person" and m in own_words]
        return people or found

    def previous_mention(self, token: Token, classes: frozenset[str]) -> EntityMention | None:
        """The nearest mention of one of `classes` before `token` that is not a modifier of troops.

        'U.S. troops … in the country' must find Iraq, not the troops' nationality.
        """
        for i in range(token.i - 1, -1, -1):
            mention = self._by_token.get(i)
            if mention is None or mention.entity_class not in classes:
                continue
            word = self.doc[i]
            if word.dep_ in ("compound", "amod", "nmod") and is_troops(word.head):
                continue
            return mention
        return None

    def antecedent(self, pronoun: Token) -> EntityMention | None:
        """What a pronoun stands for: the nearest fitting mention before it (cheap coreference)."""
        if pronoun.lower_ in PERSON_PRONOUNS:
            return self.previous_mention(pronoun, frozenset({"Person"}))
        subject = _governing_subject(pronoun)
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
        heads = [head, *conjuncts(head)]
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
                if child.dep_ == "nsubj" and _is_time_phrase(child):
                    continue  # 'this time firing missiles': an adverb misread as the subject
                if child.dep_ in ("nsubj", "csubj") or (raised and child.dep_ == "nsubjpass"):
                    return child
                if child.dep_ == "agent":  # passive 'by X'
                    objects = [g for g in child.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            if verb.dep_ == "acl" and verb.head.i != verb.i:
                return _noun_subject(verb)
            if verb.dep_ in ("xcomp", "advcl", "conj", "pcomp") and verb.head.i != verb.i:
                # 'was reactivated and established …': conjoined verbs share the subject
                raised = verb.dep_ in ("xcomp", "conj")
                verb = verb.head if verb.dep_ != "pcomp" else verb.head.head
                continue
            return None
        return None

    def force_owners(self, noun: Token) -> list[EntityMention]:
        """Whose troops these are: 'US troops', "Ottawa's forces", 'its soldiers', a unit.

        The state or body named before the noun or by a possessive pronoun,
        and the unit they belong to: 'soldiers from the 82nd Airborne',
        'a battalion of the 3rd Infantry Division', 'soldiers assigned to I Corps'.
        """
        before = [t for t in noun.subtree if t.i <= noun.i and not in_clause(t, noun)]
        found = self.actors(self.mentions_in(before))
        for word in before:
            if word.dep_ == "poss" and word.lower_ in PERSON_PRONOUNS | GROUP_PRONOUNS:
                found.extend(self.actors(self.phrase_entities(word)))
        for preposition, pobj in _unit_phrases(noun):
            for head in [pobj, *conjuncts(pobj)]:
                units = self.actors(self.phrase_entities(head))
                found.extend(
                    m for m in units if preposition == "of" or m.entity_class == "Organization"
                )
        return list({m.start: m for m in found}.values())

    def place_referred(self, word: Token) -> list[EntityMention]:
        """The place 'there' or 'here' stands for: the last place named before it."""
        if word.lower_ not in HERE_WORDS or word.dep_ != "advmod":
            return []
        place = self.previous_mention(word, PLACE_CLASSES)
        return [place] if place else []


def _is_time_phrase(token: Token) -> bool:
    """'this time', 'that day': a noun phrase that says when, not who."""
    return token.lemma_.lower() in load_grammar().time_nouns and any(
        c.dep_ == "det" and c.lower_ in ("this", "that", "each", "every") for c in token.children
    )


def is_troops(token: Token) -> bool:
    """Whether a noun names a force: 'troops', 'service members', 'a squadron', 'F-35s'."""
    lexicon = load_lexicon()
    words = {token.lower_, token.lemma_.lower()}
    for child in token.children:
        if child.dep_ == "compound":
            words.add(f"{child.lower_} {token.lower_}")
    return bool(words & lexicon.troop_nouns) or bool(lexicon.troop_designation.match(token.text))


def conjuncts(head: Token) -> list[Token]:
    """Every head coordinated with `head`, however the parser chains them: 'A, B, C and D'."""
    found: list[Token] = []
    todo = [head]
    while todo:
        for child in todo.pop().children:
            if child.dep_ == "conj":
                found.append(child)
                todo.append(child)
    return sorted(found, key=lambda t: t.i)


def _unit_phrases(noun: Token) -> list[tuple[str, Token]]:
    """(preposition, object) naming the unit of a troop noun: FROM/OF/WITH X, ASSIGNED TO X."""
    found: list[tuple[str, Token]] = []
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in UNIT_PREPOSITIONS:
            found.extend((child.lower_, g) for g in child.children if g.dep_ == "pobj")
        if child.dep_ == "acl" and child.lemma_.lower() in load_grammar().assignment_verbs:
            for prep in child.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    found.extend(("to", g) for g in prep.children if g.dep_ == "pobj")
    return found


def _noun_subject(verb: Token) -> Token | None:
    """Who does what a clause on a noun says: 'forces FIRING rockets' → the forces;
    'a decision BY Trump to pull troops', "Trump's decision to pull troops" → Trump."""
    noun = verb.head
    if verb.tag_ == "VBG":
        return noun
    if verb.tag_ in PAST_FORMS:
        return None  # 'troops deployed to Poland': the noun is what is deployed
    for child in noun.children:
        if child.dep_ == "poss":
            return child
        if child.dep_ == "prep" and child.lower_ == "by":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def in_clause(token: Token, head: Token) -> bool:
    """Whether `token` sits in a clause inside `head`'s phrase (a relative clause, say)."""
    while token.i != head.i:
        if token.dep_ in ("relcl", "acl", "advcl", "ccomp", "appos") or token.pos_ == "VERB":
            return True
        token = token.head
    return False


def _governing_subject(pronoun: Token) -> Token | None:
    """The subject of the clause a pronoun hangs in, or of the clause that governs it.

    'NATO said 12 of ITS soldiers were hurt' → NATO; 'US troops have been in
    Afghanistan, and THEY invaded Iraq' → US troops. A possessive may be its
    own clause's subject ('Iraq will pull ITS troops'); a subject or object
    pronoun is not, so the search starts one clause up ('the Pentagon said
    IT conducted strikes').
    """
    verb = next((t for t in pronoun.ancestors if t.pos_ in ("VERB", "AUX")), None)
    own_clause = pronoun.dep_ == "poss"
    for _ in range(4):
        if verb is None:
            return None
        if own_clause:
            subject = next((c for c in verb.children if c.dep_ in SUBJECTS), None)
            pronominal = subject is not None and subject.lower_ in GROUP_PRONOUNS
            if subject is not None and not pronominal and not subject.is_ancestor(pronoun):
                return subject
        if verb.dep_ not in ("ccomp", "conj", "advcl", "xcomp") or verb.head.i == verb.i:
            return None
        verb, own_clause = verb.head, True
    return None
