"""Which words open an event: a trigger word, the sense the sentence meets, its type.

The lexicon (`kg/data/event_triggers.json`) lists trigger verbs and nouns,
each with senses tried in order; a sense holds when the words around the
trigger meet its conditions (about troops, a particle, a kind of object).
"""

from __future__ import annotations

from spacy.parts_of_speech import AUX, NOUN, PROPN, VERB
from spacy.tokens import Token

from kg.extract.context import (
    PAST_FORMS,
    RELATIVE_PRONOUNS,
    ArticleContext,
    in_clause,
    is_troops,
)
from kg.extract.lexicon import Grammar, Lexicon, TriggerSpec
from kg.recognize.words import recognition_words
from kg.records import EventType

TROOP_EVENTS: frozenset[EventType] = frozenset({"Withdrawal", "Deployment", "TroopPresence"})
# Dependents that belong to a noun's own name or description: 'US bases', 'Iranian sites'.
# A possessor is not among them: 'hit RUSSIA's revenues' names no target.
NAMING_DEPS = frozenset({"compound", "amod", "nmod", "appos"})
# The parts of speech the lexicon gives senses to (`_senses`), as spaCy's ids: a word of any
# other is no trigger, and is passed over without a Token object (`kg.extract.events`).
TRIGGER_POS = frozenset({VERB, AUX, NOUN, PROPN})


def _is_military(token: Token, lexicon: Lexicon) -> bool:
    """Whether the words around a trigger are about troops ('reduce troops', 'troop reduction')."""
    near = [token, *token.children]
    for child in token.children:
        if child.dep_ in (
            "prep",
            "agent",
            "dobj",
            "nsubj",
            "nsubjpass",
            "compound",
            "poss",
            "pobj",
        ):
            # the whole phrase, not clauses inside it: 'cut the number OF US TROOPS'
            near.extend(t for t in child.subtree if not in_clause(t, child))
    if token.dep_ in ("acl", "relcl"):
        near.append(token.head)
    if token.dep_ in ("xcomp", "conj", "advcl"):
        near.extend(c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass", "attr"))
    words = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    return bool(words & lexicon.military_nouns) or any(is_troops(t) for t in near)


def direct_object(token: Token) -> Token | None:
    """The verb's direct object, if it has one."""
    for child in token.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    return None


def passive_subject(token: Token) -> Token | None:
    """What a passive verb is done to: 'troops WERE SENT', 'troops WHO WERE SENT',
    'troops DEPLOYED to Poland' (a participle on its noun)."""
    passive = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    if passive is not None and passive.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
        return token.head
    if passive is None and token.dep_ == "acl" and token.tag_ in PAST_FORMS:
        return token.head
    return passive


def _theme(token: Token) -> Token | None:
    """The verb's object, or its passive subject: launch MISSILES, a MISSILE was launched."""
    return direct_object(token) or passive_subject(token)


def _senses(token: Token, lexicon: Lexicon) -> tuple[TriggerSpec, ...]:
    """The senses the lexicon gives the word, by lemma or, for a capitalised headline word
    the tagger calls a name ('Militants Step Up ATTACKS'), by its singular."""
    if token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
        return lexicon.verbs.get(token.lemma_.lower(), ())
    if token.pos_ not in ("NOUN", "PROPN"):
        return ()
    forms = _noun_forms(token.lemma_.lower(), token.lower_, name=token.pos_ == "PROPN")
    return next((lexicon.nouns[f] for f in forms if f in lexicon.nouns), ())


def _noun_forms(lemma: str, word: str, *, name: bool) -> list[str]:
    """The words a noun is looked up by: its lemma, itself and, for a name ending in s (a
    capitalised headline word the tagger calls a name), its singular."""
    forms = [lemma, word]
    if name and word.endswith("s"):
        forms += [word[:-1], word[:-2] if word.endswith("es") else word[:-1]]
    return forms


def _satisfies(spec: TriggerSpec, token: Token, ctx: ArticleContext, lexicon: Lexicon) -> bool:
    """Whether the words around `token` meet the conditions of one sense."""
    # 'fired its coach ON MONDAY': a preposition that only dates is no particle
    children = {c.lower_ for c in token.children if not _dates_only(c)}
    theme = _theme(token)
    theme_word = theme.lemma_.lower() if theme is not None else None
    # the entities the object itself names, not those in phrases hung on it ('a museum IN BERLIN')
    named = [theme, *(c for c in theme.children if c.dep_ in NAMING_DEPS)] if theme else []
    if theme is not None and theme.lemma_.lower() in recognition_words().place_nouns:
        named.extend(_of_object(theme))  # 'stormed the town OF GOMA': the town is Goma
    theme_entities = ctx.mentions_in(named)
    checks = (
        lambda: not spec.particles or bool(children & set(spec.particles)),
        lambda: not spec.military or _is_military(token, lexicon),
        lambda: not spec.objects or theme_word in spec.objects,
        lambda: theme_word not in spec.excluded_objects,
        lambda: not spec.troop_object or (theme is not None and force_noun(theme) is not None),
        lambda: not spec.with_argument or "with" in children,
        lambda: not spec.person_object or any(m.entity_class == "Person" for m in theme_entities),
        lambda: not spec.objects_are_entities or bool(theme_entities),
    )
    return all(check() for check in checks)


def _dates_only(word: Token) -> bool:
    """Whether a preposition's object is a time: 'on Monday', 'in 2003'."""
    objects = [c for c in word.children if c.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


def _of_object(noun: Token) -> list[Token]:
    """The object of 'of' hanging on a noun: 'Goma' of 'the town of Goma'."""
    return [g for c in noun.children if c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]


def may_trigger(lemma: str, word: str, lexicon: Lexicon) -> bool:
    """Whether a token of this lemma and lower-case `word` can have a sense (`_senses`),
    whatever its part of speech: one test on strings, before the token is read."""
    words = lexicon.trigger_words
    return any(form in words for form in _noun_forms(lemma.lower(), word, name=True))


def spec_for(token: Token, ctx: ArticleContext, lexicon: Lexicon) -> TriggerSpec | None:
    """The first sense of a trigger word whose conditions the sentence meets, or None."""
    return next((s for s in _senses(token, lexicon) if _satisfies(s, token, ctx, lexicon)), None)


def _describes_state(token: Token, spec: TriggerSpec, grammar: Grammar) -> bool:
    """'Troops stationed in Kuwait', 'F-35s currently deployed to Bulgaria': where troops are.

    A passive participle of a stationing verb, or of any troop verb with
    'currently', 'still' or 'already', describes a state, unless a modal
    makes it a plan ('will be stationed').
    """
    if token.dep_ == "acl":
        passive = token.tag_ in PAST_FORMS
    else:
        passive = token.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in token.children)
    if not passive:
        return False
    if any(c.dep_ == "aux" and c.lower_ in grammar.modals for c in token.children):
        return False
    ongoing = any(c.dep_ == "advmod" and c.lower_ in grammar.ongoing_words for c in token.children)
    return spec.stative or ongoing


def event_type_of(token: Token, spec: TriggerSpec, grammar: Grammar) -> EventType:
    """The type of the event a trigger opens: its sense's, or a state's, or by direction."""
    if spec.event_type in TROOP_EVENTS and _describes_state(token, spec, grammar):
        return "TroopPresence"
    if spec.by_preposition:
        away, towards = spec.by_preposition
        # 'moved to Poland', 'moved closer to the border'
        holders = [token, *(c for c in token.children if c.dep_ == "advmod")]
        preps = {c.lower_ for h in holders for c in h.children if c.dep_ in ("prep", "dative")}
        return towards if preps & {"to", "into"} else away
    return spec.event_type


def force_noun(head: Token) -> Token | None:
    """The troop noun a phrase is about: 'US troops', 'the number OF US TROOPS in Iraq'."""
    if is_troops(head):
        return head
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and is_troops(pobj):
                    return pobj
    return None
