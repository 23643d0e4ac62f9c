"""Events from the dependency parse: who did what to whom, where, when, how many.

A trigger (a verb or noun from the lexicon, `kg/data/event_triggers.json`)
opens an event; its arguments come from the parse around it, by the tables
in `kg/data/event_grammar.json`: the subject acts, the object is acted on,
prepositions name places, destinations and other parties. Parties are also
read as news implies them: troops name their state or unit ('Canadian
soldiers', "Moscow's forces", 'soldiers from the 82nd Airborne'), whoever
orders an event takes part in it, and passive, relative, participial and
nominal forms carry the same arguments as the plain verb. Dates, troop
numbers, sources and modality are read from the same sentence.

Where the line for statements lies: a plain 'X said' is attribution (the
source of the events it reports, kg:accordingTo), not an event. A speech act
that is news in itself ('announced', 'warned', 'condemned', 'confirmed') and a
statement noun with an author ('said in a statement', 'issued a statement',
'a KFOR statement said') are Statements, and only with a speaker as agent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.extract.context import (
    PAST_FORMS,
    RELATIVE_PRONOUNS,
    ArticleContext,
    conjuncts,
    in_clause,
    is_troops,
)
from kg.extract.dates import normalise_date, story_date
from kg.extract.lexicon import (
    Grammar,
    Lexicon,
    RoleChoice,
    TriggerSpec,
    load_grammar,
    load_lexicon,
)
from kg.extract.quantities import TroopFigures, troop_figures
from kg.records import (
    PLACE_CLASSES,
    PLACE_ROLES,
    ArgumentRole,
    EntityMention,
    EventMention,
    EventType,
    Figure,
    Status,
)

TROOP_EVENTS: frozenset[EventType] = frozenset({"Withdrawal", "Deployment", "TroopPresence"})
# Where troops go or are, or whom they join: what a troop event must name.
TROOP_PLACE_ROLES: tuple[ArgumentRole, ...] = ("location", "destination", "participant")
# Events whose troops, named as subject or object, are the ones hit, not the ones acting.
HARM_EVENTS: frozenset[EventType] = frozenset({"Attack", "Killing"})
DIRECTIONS = frozenset({"to", "into", "from"})
# Dependents that belong to a noun's own name or description: 'US bases', 'Iranian sites'.
# A possessor is not among them: 'hit RUSSIA's revenues' names no target.
NAMING_DEPS = frozenset({"compound", "amod", "nmod", "appos"})
CORE_ROLES: tuple[ArgumentRole, ...] = ("agent", "target", "participant", "location", "destination")


@dataclass
class _Draft:
    """An event under construction; frozen into an EventMention at the end."""

    event_type: EventType
    trigger: Token
    spec: TriggerSpec | None = None
    roles: dict[ArgumentRole, list[EntityMention]] = field(default_factory=dict)
    before: Figure | None = None
    after: Figure | None = None
    count: Figure | None = None
    count_offset: int | None = None  # where a presence's count stands in the text
    status: Status = "reported"

    def add(self, role: ArgumentRole, mentions: list[EntityMention]) -> None:
        bucket = self.roles.setdefault(role, [])
        for mention in mentions:
            if role in PLACE_ROLES and mention.entity_class not in PLACE_CLASSES:
                continue
            if all(m.start != mention.start for m in bucket):
                bucket.append(mention)

    def add_by_class(
        self, choice: RoleChoice, mentions: list[EntityMention], ctx: ArticleContext
    ) -> None:
        """Add each mention in the role its class takes: a body one way, a place the other.

        Only those who can act (people, states, bodies, capitals for their
        states) become agents.
        """
        actor_role, place_role = choice
        for mention in mentions:
            role = place_role if mention.entity_class in PLACE_CLASSES else actor_role
            if role != "agent" or ctx.actors([mention]):
                self.add(role, [mention])

    def has_arguments(self) -> bool:
        return any(self.roles.get(r) for r in CORE_ROLES)

    def is_news(self) -> bool:
        """Whether the draft says enough to be an event of its type.

        A statement needs a speaker; a meeting someone met or somewhere
        visited; troops a place, a party they join or a number; every other
        event some party, place or figure.
        """
        figures = any((self.before, self.after, self.count))
        if self.event_type == "Statement":
            return bool(self.roles.get("agent"))
        if self.event_type == "Meeting":
            parties = len(self.roles.get("agent", [])) + len(self.roles.get("participant", []))
            return parties > 1 or bool(self.roles.get("location"))
        if self.event_type in TROOP_EVENTS:
            # troops move from or to somewhere, or join someone; 'enabling units will also
            # deploy' says too little on its own
            return figures or any(self.roles.get(r) for r in TROOP_PLACE_ROLES)
        return self.has_arguments() or figures


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


def _direct_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    return None


def _passive_subject(token: Token) -> Token | None:
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
    return _direct_object(token) or _passive_subject(token)


def _senses(token: Token, lexicon: Lexicon) -> tuple[TriggerSpec, ...]:
    if token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
        return lexicon.verbs.get(token.lemma_.lower(), ())
    if token.pos_ in ("NOUN", "PROPN"):
        return lexicon.nouns.get(token.lemma_.lower()) or lexicon.nouns.get(token.lower_, ())
    return ()


def _satisfies(spec: TriggerSpec, token: Token, ctx: ArticleContext, lexicon: Lexicon) -> bool:
    """Whether the words around `token` meet the conditions of one sense."""
    # 'fired its coach ON MONDAY': a preposition that only dates is no particle
    children = {c.lower_ for c in token.children if not _dates_only(c)}
    theme = _theme(token)
    theme_word = theme.lemma_.lower() if theme is not None else None
    # the entities the object itself names, not those in phrases hung on it ('a museum IN BERLIN')
    named = [theme, *(c for c in theme.children if c.dep_ in NAMING_DEPS)] if theme else []
    theme_entities = ctx.mentions_in(named)
    checks = (
        lambda: not spec.particles or bool(children & set(spec.particles)),
        lambda: not spec.military or _is_military(token, lexicon),
        lambda: not spec.objects or theme_word in spec.objects,
        lambda: theme_word not in spec.excluded_objects,
        lambda: not spec.troop_object or (theme is not None and _force_noun(theme) is not None),
        lambda: not spec.with_argument or "with" in children,
        lambda: not spec.person_object or any(m.entity_class == "Person" for m in theme_entities),
        lambda: not spec.objects_are_entities or bool(theme_entities),
    )
    return all(check() for check in checks)


def _dates_only(word: Token) -> bool:
    """Whether a preposition's object is a time: 'on Monday', 'in 2003'."""
    objects = [c for c in word.children if c.dep_ == "pobj"]
    return bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


def _spec_for(token: Token, ctx: ArticleContext, lexicon: Lexicon) -> TriggerSpec | None:
    """The first sense of a trigger word whose conditions the sentence meets, or None."""
    return next((s for s in _senses(token, lexicon) if _satisfies(s, token, ctx, lexicon)), None)


def _describes_state(token: Token, spec: TriggerSpec, grammar: Grammar) -> bool:
    """'Troops stationed in Kuwait', 'F-15s currently deployed to Poland': where troops are.

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


def _event_type(token: Token, spec: TriggerSpec, grammar: Grammar) -> EventType:
    if spec.event_type in TROOP_EVENTS and _describes_state(token, spec, grammar):
        return "TroopPresence"
    if spec.by_preposition:
        away, towards = spec.by_preposition
        # 'moved to Poland', 'moved closer to the border'
        holders = [token, *(c for c in token.children if c.dep_ == "advmod")]
        preps = {c.lower_ for h in holders for c in h.children if c.dep_ in ("prep", "dative")}
        return towards if preps & {"to", "into"} else away
    return spec.event_type


def _force_noun(head: Token) -> Token | None:
    """The troop noun a phrase is about: 'US troops', 'the number OF US TROOPS in Iraq'."""
    if is_troops(head):
        return head
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and is_troops(pobj):
                    return pobj
    return None


def _add_force(
    draft: _Draft,
    noun: Token,
    ctx: ArticleContext,
    role: ArgumentRole,
    where: ArgumentRole = "location",
) -> None:
    """'US troops in Iraq': whose troops they are plays `role`; where they are, `where`.

    Troops that move or stay are their state's or unit's act (agent); troops
    that are attacked or visited stand for their state or unit (target,
    participant). Where the troops are is where a withdrawal leaves from, or,
    for 'the arrival of troops IN Lithuania', where a deployment goes.
    """
    draft.add(role, ctx.force_owners(noun))
    if draft.event_type in TROOP_EVENTS:
        grammar = load_grammar()
        clauses = [c for c in noun.children if c.dep_ in ("acl", "relcl")]
        for holder in (noun, *(c for c in clauses if c.i != draft.trigger.i)):
            if holder.i != noun.i and not _places_troops(holder, grammar):
                continue
            for word, pobj in _prepositions_of(holder):
                # 'troops in Iraq', 'troops (that were) deployed to Somalia'
                if holder.i != noun.i:
                    draft.add("location", ctx.phrase_entities(pobj))
                elif word in grammar.presence_prepositions:
                    draft.add(where, ctx.phrase_entities(pobj))


def _places_troops(verb: Token, grammar: Grammar) -> bool:
    """Whether a clause on troops says where they are or were sent: stationed, sent, deployed."""
    lemma = verb.lemma_.lower()
    senses = load_lexicon().verbs.get(lemma, ())
    moved = any(s.event_type in ("Deployment", "TroopPresence") for s in senses)
    return lemma in grammar.presence_verbs or moved


def _subject_arguments(draft: _Draft, ctx: ArticleContext) -> None:
    token = draft.trigger
    subject = ctx.subject_of(token)
    if subject is not None and subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
        subject = token.head  # 'an airstrike that killed …': the airstrike did
    subjects = ctx.coordinated(subject) if subject is not None else []
    if token.dep_ in ("advcl", "xcomp") and token.head.lemma_ == "be":
        # 'he was the last American soldier to leave': the soldier leaves
        subjects += [c for c in token.head.children if c.dep_ == "attr"]
    for head in subjects:
        force = _force_noun(head)
        event = _noun_event(head, ctx)
        if force is not None:
            _add_force(draft, force, ctx, "agent")  # 'US troops in Syria will leave'
        elif event is not None:
            # 'a US airstrike killed …': the strike's agent; 'an attack near X that killed …': X
            draft.add("agent", event.roles.get("agent", []))
            if token.dep_ == "relcl":
                draft.add("location", event.roles.get("location", []))
        else:
            draft.add("agent", ctx.actors(ctx.phrase_entities(head)) or _made_by(head, ctx))
    passive = _passive_subject(token)
    if passive is not None:
        _theme_arguments(draft, passive, ctx)


def _made_by(head: Token, ctx: ArticleContext) -> list[EntityMention]:
    """'a report RELEASED BY the agency confirmed', 'a missile FIRED BY the Houthis hit':
    who made or sent the thing that acts."""
    found: list[EntityMention] = []
    for clause in head.children:
        if clause.dep_ == "acl":
            for agent in (c for c in clause.children if c.dep_ == "agent"):
                for pobj in (g for g in agent.children if g.dep_ == "pobj"):
                    found.extend(ctx.actors(ctx.phrase_entities(pobj)))
    return found


def _theme_arguments(draft: _Draft, theme: Token, ctx: ArticleContext) -> None:
    """What the event is done to: moved troops act, attacked troops are hit, places are where."""
    grammar = load_grammar()
    joins = draft.spec is not None and draft.spec.joins_object
    force = _force_noun(theme)
    if force is not None:
        if draft.event_type in TROOP_EVENTS and not joins:
            _add_force(draft, force, ctx, "agent")  # 'withdraw US troops': their country acts
        elif draft.event_type in HARM_EVENTS:
            _add_force(draft, force, ctx, "target")  # '25 of its troops were injured'
        else:
            _add_force(draft, force, ctx, "participant")  # 'visited Canadian troops'
        return
    event = _noun_event(theme, ctx)
    if draft.event_type == "Statement" and event is not None:
        draft.add("target", event.roles.get("agent", []))  # 'condemned the Houthi attacks'
        return
    if draft.event_type in ("Meeting", "Statement") and ctx.mention_at(theme) is None:
        return  # 'discussed the troop presence with Trump': the object is the topic
    choice = grammar.object_roles.get(draft.event_type)
    if choice is not None:
        for head in ctx.coordinated(theme):
            draft.add_by_class(choice, _named_by_object(head, ctx), ctx)


def _named_by_object(head: Token, ctx: ArticleContext) -> list[EntityMention]:
    """The entities an object names, without its prepositions other than 'of', which
    play their own roles: 'handed over control OF BASRA (target) TO IRAQ (participant)'."""
    elsewhere = {
        t.i
        for prep in head.subtree
        if prep.dep_ == "prep" and prep.lower_ != "of"
        for t in prep.subtree
    }
    return [m for m in ctx.phrase_entities(head) if not elsewhere & set(_tokens_of(m, head))]


def _tokens_of(mention: EntityMention, head: Token) -> list[int]:
    return [t.i for t in head.subtree if mention.start <= t.idx < mention.end]


def _object_arguments(draft: _Draft, ctx: ArticleContext) -> None:
    obj = _direct_object(draft.trigger)
    if obj is not None:
        _theme_arguments(draft, obj, ctx)


def _prepositions(token: Token, grammar: Grammar) -> Iterator[tuple[str, Token]]:
    """(preposition, its object) for the trigger and its object: 'withdraw troops FROM Iraq'.

    A noun trigger takes the prepositions of the collective noun it sits
    under ('a spate of bombings IN Baghdad') and of the light or ordering
    verb that carries it.
    """
    first = next((c.lower_ for c in token.children if c.dep_ == "prep"), None)
    for conj in token.children:
        # 'withdrawn from al-Asad … and the base of Victoria', the noun hung on the verb
        if first and conj.dep_ == "conj" and conj.pos_ in ("NOUN", "PROPN"):
            yield first, conj
    yield from _prepositions_of(token)
    place = _position(token, grammar)
    if place.i != token.i:  # 'a series of strikes ON Houthi targets', hung on 'series'
        yield from ((w, o) for w, o in _prepositions_of(place) if w != "of")
    holders = [token]
    obj = _direct_object(token)
    if obj is not None:
        yield from _prepositions_of(obj)
        holders.append(obj)
    for holder in holders:
        for word, pobj in _prepositions_of(holder):
            # 'handed over control of Basra TO IRAQ', 'the repositioning of a squadron FROM
            # ITALY TO ROMANIA': the direction hung on the noun after 'of'
            if word == "of":
                yield from ((w, o) for w, o in _prepositions_of(pobj) if w in DIRECTIONS)
    carrier = place.head
    if place.dep_ == "dobj" and carrier.lemma_.lower() in grammar.light_verbs:
        # 'carried out strikes overnight ON Hezbollah positions', 'ordered the deployment of
        # troops TO Poland': the parser hangs the event's preposition on the verb carrying it
        yield from _prepositions_of(carrier)


def _prepositions_of(holder: Token) -> Iterator[tuple[str, Token]]:
    """(preposition, its object) for the prepositions hanging on one word."""
    roles = load_grammar().preposition_roles
    for prep in holder.children:
        if prep.dep_ not in ("prep", "agent", "prt", "dative"):
            continue
        word = prep.lower_
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects:
            # 'out of Iraq': out → of → Iraq; 'including against US forces': the inner word
            for inner in prep.children:
                if inner.dep_ == "prep":
                    objects = [c for c in inner.children if c.dep_ == "pobj"]
                    word = word if word in roles else inner.lower_
        for pobj in objects:
            for head in [pobj, *conjuncts(pobj)]:
                yield word, head
            # 'met at the White House with al-Kadhimi': the other side hangs lower
            for inner in pobj.children:
                if inner.dep_ == "prep" and inner.lower_ == "with":
                    yield from (("with", g) for g in inner.children if g.dep_ == "pobj")


def _preposition_arguments(draft: _Draft, ctx: ArticleContext, grammar: Grammar) -> None:
    for word, pobj in _prepositions(draft.trigger, grammar):
        if pobj.lemma_.lower() in grammar.adjunct_nouns:
            continue  # 'in support of X', 'at the invitation of X': no place, no party
        event = _noun_event(pobj, ctx)
        if event is not None:
            # 'injured in clashes with Serbs': the clashes have their own parties;
            # 'warned about attacks by the Houthis': a statement is about whoever attacks
            if draft.event_type == "Statement" and word in ("about", "against", "over"):
                draft.add("target", event.roles.get("agent", []))
            continue
        force = _force_noun(pobj) if word == "of" else None
        if force is not None:  # 'the withdrawal of US troops', 'the killing of three soldiers'
            role: ArgumentRole = "target" if draft.event_type in HARM_EVENTS else "agent"
            where: ArgumentRole = "destination" if draft.event_type == "Deployment" else "location"
            _add_force(draft, force, ctx, role, where)
            continue
        mentions = ctx.phrase_entities(pobj)
        if word in ("with", "from") and draft.event_type in TROOP_EVENTS:
            # 'the repositioning of a squadron WITH the 2nd Cavalry Regiment': the unit moves
            units = [m for m in ctx.actors(mentions) if m.entity_class == "Organization"]
            draft.add("agent", units)
            mentions = [m for m in mentions if m not in units]
        roles = grammar.preposition_roles.get(word, {})
        choice = roles.get(draft.event_type, roles.get("*"))
        if choice is None:
            continue
        if is_troops(pobj):  # 'met with Canadian soldiers', 'attacks against US personnel'
            mentions = ctx.force_owners(pobj)
        draft.add_by_class(choice, mentions, ctx)


def _noun_event(token: Token, ctx: ArticleContext) -> _Draft | None:
    """The event a noun states ('the clashes', 'a US strike'), with its own arguments, or None."""
    if token.pos_ not in ("NOUN", "PROPN") or ctx.mention_at(token) is not None:
        return None
    lexicon, grammar = load_lexicon(), load_grammar()
    spec = _spec_for(token, ctx, lexicon)
    if spec is None:
        return None
    draft = _Draft(_event_type(token, spec, grammar), token, spec)
    _noun_modifier_arguments(draft, ctx, grammar)
    _preposition_arguments(draft, ctx, grammar)
    return draft


def _position(token: Token, grammar: Grammar) -> Token:
    """Where a noun phrase sits in its clause: 'launched a SERIES of strikes' → series."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
        if head.head.lemma_.lower() in grammar.collective_nouns:
            return head.head
    return token


def _noun_modifier_arguments(draft: _Draft, ctx: ArticleContext, grammar: Grammar) -> None:
    """'US drone strike' → agent US; 'the al-Asad attack' → target al-Asad; "Iran's attack"."""
    token = draft.trigger
    modifiers = [c for c in token.children if c.dep_ in ("compound", "amod", "poss", "nmod")]
    modifiers += [g for c in modifiers for g in c.children if g.dep_ in ("compound", "amod")]
    for modifier in modifiers:
        for mention in ctx.phrase_entities(modifier):
            if ctx.actors([mention]):
                draft.add("agent", [mention])
            elif draft.event_type in ("Attack", "Killing", "Handover", "Invasion"):
                draft.add("target", [mention])
            else:
                draft.add("location", [mention])
    draft.add("agent", _made_by(token, ctx))  # 'a statement released BY the Pentagon'
    place = _position(token, grammar)
    head = place.head
    if place.dep_ in ("dobj", "pobj") and head.lemma_.lower() in grammar.light_verbs | {"in"}:
        verb = head if place.dep_ == "dobj" else head.head
        subject = ctx.subject_of(verb)
        for party in ctx.coordinated(subject) if subject is not None else []:
            # 'X made the announcement in a joint statement', 'X launched a series of strikes'
            force = _force_noun(party)
            owners = ctx.force_owners(force) if force is not None else []
            draft.add("agent", owners or ctx.actors(ctx.phrase_entities(party)))


def _orderer_arguments(draft: _Draft, ctx: ArticleContext, grammar: Grammar) -> None:
    """Who ordered the event acts in it: 'Biden ordered the deployment', 'directed that troops
    be deployed', 'authorized troops to deploy'."""
    word = draft.trigger
    for _ in range(2):
        if word.dep_ not in ("dobj", "ccomp", "xcomp") or word.head.i == word.i:
            return
        word = word.head
        if word.lemma_.lower() in grammar.order_verbs:
            subject = next((c for c in word.children if c.dep_ in ("nsubj", "agent")), None)
            if subject is not None and subject.dep_ == "agent":
                subject = next((g for g in subject.children if g.dep_ == "pobj"), None)
            if subject is None and word.dep_ == "acl":
                subject = ctx.subject_of(word)  # 'an announcement directing the repositioning'
            for party in ctx.coordinated(subject) if subject is not None else []:
                draft.add("agent", ctx.actors(ctx.phrase_entities(party)))
            return


# A denial reaches an event through a verb that governs it ('did not agree to withdraw',
# 'denied plans for a withdrawal'), not through a neighbouring clause.
DENIAL_LINKS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp"})
PLAN_LINKS = frozenset({"xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "dobj", "pobj", "prep"})
# Links into an adjunct: 'despite an attack, the mission WILL continue' does not plan the attack.
ADJUNCT_LINKS = frozenset({"pobj", "prep"})


def _governors(token: Token, links: frozenset[str], limit: int = 5) -> list[Token]:
    """`token` and the words above it reached through `links`."""
    chain = [token]
    while chain[-1].dep_ in links and chain[-1].head.i != chain[-1].i and len(chain) < limit:
        chain.append(chain[-1].head)
    return chain


def _status(token: Token, lexicon: Lexicon, grammar: Grammar) -> Status:
    for word in _governors(token, DENIAL_LINKS):
        if word.lemma_.lower() in lexicon.denial_cues or any(
            c.dep_ == "neg" for c in word.children
        ):
            return "denied"
        if word.i != token.i and word.lemma_.lower() in grammar.reporting_verbs:
            break  # 'X said it would not …' is handled above; the saying itself is not denied
    adjunct = False
    for word in _governors(token, PLAN_LINKS)[:3]:
        lemmas = {c.lower_ for c in word.children if c.dep_ in ("aux", "auxpass")}
        if word.lemma_.lower() in lexicon.planned_cues - grammar.modals:
            return "planned"
        if not adjunct and lemmas & grammar.modals:
            return "planned"
        # 'the US is TO withdraw', not 'he was the last soldier TO leave'
        copular = (
            word.dep_ == "xcomp"
            and word.head.lemma_ == "be"
            and not any(c.dep_ == "attr" for c in word.head.children)
        )
        if not adjunct and "to" in lemmas and (word.dep_ == "ROOT" or copular):
            return "planned"  # headline infinitive: 'US to withdraw troops', 'is to withdraw'
        adjunct = adjunct or word.dep_ in ADJUNCT_LINKS
    return "reported"


# Links along which a trigger inherits the date of the phrase or clause it sits in;
# a reported clause (ccomp) keeps its own time, not the time of the saying.
DATE_INHERITING_LINKS = frozenset(
    {
        "advcl",
        "relcl",
        "acl",
        "conj",
        "pobj",
        "prep",
        "pcomp",
        "dobj",
        "nsubj",
        "nsubjpass",
        "xcomp",
        "appos",
        "compound",
    }
)


@dataclass
class _Clock:
    """What dates in one article are read against.

    The publication date; failing that, a full date the story gives (for
    weekdays and days of a month only); and for 'a month later', the last
    date the text named before the expression.
    """

    published: date | None
    story: date | None
    phrases: list[tuple[int, int]]  # character spans of date phrases, in text order
    named: list[tuple[int, str]]  # (offset, ISO date) of each dated phrase, in text order

    @classmethod
    def of(cls, doc: Doc, published: date | None) -> _Clock:
        story = None if published else story_date(doc.text)
        clock = cls(published, story, _date_phrases(doc), [])
        for start, end in clock.phrases:
            value = clock.read(doc.char_span(start, end), past=True)
            if value:
                clock.named.append((start, value))
        return clock

    def read(self, span: Span | None, *, past: bool) -> str | None:
        if span is None:
            return None
        start, end = next(
            ((a, b) for a, b in self.phrases if a <= span.start_char < b),
            (span.start_char, span.end_char),
        )
        anchor = next((v for at, v in reversed(self.named) if at < start), None)
        text = span.doc.text[start:end]
        return normalise_date(text, self.published, past=past, anchor=anchor, story=self.story)


def _date_phrases(doc: Doc) -> list[tuple[int, int]]:
    """The character spans of date phrases, joining pieces the tagger split: 'October, 2020'."""
    phrases: list[tuple[int, int]] = []
    for span in (e for e in doc.ents if e.label_ == "DATE"):
        between = doc.text[phrases[-1][1] : span.start_char] if phrases else None
        if between is not None and between.strip() in ("", ","):
            phrases[-1] = (phrases[-1][0], span.end_char)
        else:
            phrases.append((span.start_char, span.end_char))
    return phrases


def _closing_date(token: Token, dates: list[Span]) -> list[Span]:
    """A date set off at the end of a sentence dates its main verb, as in a photo caption:
    'Soldiers move to a patrol base near Tucson, Ariz., May 11, 2025.'"""
    sentence = token.sent
    if token.i != sentence.root.i or not dates:
        return []
    last = dates[-1]
    after = [t for t in sentence if t.i >= last.end]
    before = sentence.doc[last.start - 1] if last.start > sentence.start else None
    closing = all(t.is_punct or t.is_space for t in after)
    return [last] if closing and before is not None and before.text == "," else []


def _attached_dates(token: Token, dates: list[Span]) -> list[Span]:
    """DATE phrases that modify `token` directly or through a preposition ('in January')."""
    found = []
    for span in dates:
        head = span.root.head
        if head.i == token.i or (head.dep_ == "prep" and head.head.i == token.i):
            found.append(span)
    return found


def _date_of(token: Token, clock: _Clock, status: Status) -> str | None:
    """The date of the trigger's own phrase, or of the phrase or clause it depends on."""
    dates = [e for e in token.sent.ents if e.label_ == "DATE"]
    inside = [s for s in dates if token.is_ancestor(s.root) and not in_clause(s.root, token)]
    word = token
    candidates = _attached_dates(word, dates)
    for _ in range(6):
        if candidates or word.dep_ not in DATE_INHERITING_LINKS or word.head.i == word.i:
            break
        word = word.head
        candidates = _attached_dates(word, dates)
    # 'after invading Iraq and toppling Saddam in 2003': conjoined verbs share the date
    shared = [
        s
        for c in token.children
        if c.dep_ == "conj" and c.pos_ == "VERB"
        for s in _attached_dates(c, dates)
    ]
    closing = _closing_date(token, dates)
    for span in [*_attached_dates(token, dates), *inside, *shared, *candidates, *closing]:
        value = clock.read(span, past=status != "planned")
        if value:
            return value
    return None


def _according_to(sentence: Span, ctx: ArticleContext) -> list[EntityMention]:
    """'according to the Pentagon' anywhere in the sentence."""
    found: list[EntityMention] = []
    for token in sentence:
        if token.lower_ == "according":
            for prep in token.children:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        found.extend(ctx.actors(ctx.phrase_entities(pobj)))
    return found


def _reported_by(token: Token, ctx: ArticleContext, grammar: Grammar) -> list[EntityMention]:
    """The speaker when the event is reported speech: 'McKenzie said the US would …'."""
    word = token
    for _ in range(4):
        if (
            word.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "parataxis")
            or word.head.i == word.i
        ):
            break
        word = word.head
        if word.lemma_.lower() in grammar.reporting_verbs:
            subject = next((c for c in word.children if c.dep_ == "nsubj"), None)
            return ctx.actors(ctx.phrase_entities(subject)) if subject is not None else []
    return []


def _trigger_drafts(
    sentence: Span, ctx: ArticleContext, lexicon: Lexicon, grammar: Grammar
) -> list[_Draft]:
    drafts = []
    for token in sentence:
        spec = _spec_for(token, ctx, lexicon)
        if spec is None:
            continue
        draft = _Draft(_event_type(token, spec, grammar), token, spec)
        if token.pos_ in ("VERB", "AUX"):
            _subject_arguments(draft, ctx)
            _object_arguments(draft, ctx)
        else:
            _noun_modifier_arguments(draft, ctx, grammar)
        _preposition_arguments(draft, ctx, grammar)
        _orderer_arguments(draft, ctx, grammar)
        draft.status = _status(token, lexicon, grammar)
        drafts.append(draft)
    # A noun trigger that is the subject or object of a verb trigger is that event's
    # instrument or restatement ('a US drone strike killed', 'launched strikes').
    by_token = {d.trigger.i: d for d in drafts}
    verbs = {d.trigger.i for d in drafts if d.trigger.pos_ in ("VERB", "AUX")}
    kept = []
    for draft in drafts:
        token = draft.trigger
        place = _position(token, grammar)
        head = by_token.get(token.head.i)
        if token.pos_ not in ("VERB", "AUX"):
            if place.head.i not in verbs or place.dep_ not in ("nsubj", "dobj", "nsubjpass"):
                kept.append(draft)
        elif _is_purpose(token):
            # 'visited the base to meet the troops' is one meeting; 'deployed troops to
            # strike militants' intends the strike, it does not report it
            if token.dep_ == "acl":  # 'in order to': the verb the phrase hangs on
                head = by_token.get(token.head.head.head.i)
            if head is not None and head.event_type == draft.event_type:
                for role, mentions in draft.roles.items():
                    head.add(role, mentions)
        elif not _describes_argument(draft, by_token):
            kept.append(draft)
    return kept


def _describes_argument(draft: _Draft, by_token: dict[int, _Draft]) -> bool:
    """'pull 700 troops THAT HAD BEEN DEPLOYED to Somalia', 'troops DEPLOYED in Mali will
    leave': a past-perfect or participle clause on the troops of another event says where
    they were, as background, not as news of its own."""
    token = draft.trigger
    if token.dep_ not in ("relcl", "acl") or draft.event_type not in TROOP_EVENTS:
        return False
    auxiliaries = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    pluperfect = any(c.lower_ == "had" for c in auxiliaries)
    if not (pluperfect or (token.dep_ == "acl" and not auxiliaries)):
        return False  # 'the troops who were sent to Lithuania in May' is news of its own
    noun = token.head
    governor = noun.head.head if noun.dep_ == "pobj" else noun.head
    return is_troops(noun) and governor.i in by_token and governor.i != token.i


def _is_purpose(token: Token) -> bool:
    """'… to augment the troops there', 'in order to target X': an infinitive adjunct
    saying what for."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False
    head = token.head
    in_order = token.dep_ == "acl" and head.lower_ == "order" and head.head.lower_ == "in"
    # 'he was the last soldier TO LEAVE': an infinitive on a copula says who, not what for
    return (token.dep_ == "advcl" and head.lemma_ != "be") or in_order


def _presence_drafts(
    sentence: Span, ctx: ArticleContext, grammar: Grammar, figures: TroopFigures
) -> list[_Draft]:
    """'There are about 5,000 US troops in Iraq', '2,500 soldiers stationed in Iraq',
    '900 soldiers already there'."""
    drafts: list[_Draft] = []
    for offset, figure in figures.counts:
        token = _token_at(sentence, offset)
        if token is None:
            continue
        noun = token.head if token.dep_ in ("nummod", "quantmod") else token
        while noun.dep_ in ("nummod", "quantmod", "compound") and noun.head.i != noun.i:
            noun = noun.head
        if not is_troops(noun):
            continue
        verb = noun.head
        existential = any(c.dep_ == "expl" for c in verb.children)
        stationed = any(
            c.dep_ == "acl" and c.lemma_ in grammar.presence_verbs for c in noun.children
        )
        remaining = noun.dep_ == "nsubj" and verb.lemma_ in grammar.staying_verbs
        # 'the US, which has about 900 troops in Syria'
        possessed = noun.dep_ == "dobj" and verb.lemma_ in grammar.possession_verbs
        there = _there(noun, ctx, grammar)
        if noun.dep_ == "conj":  # 'and around 2,500 additional coalition forces'
            first = noun.head
            verb = first.head
            existential = any(c.dep_ == "expl" for c in verb.children)
        if not (existential or stationed or remaining or possessed or there):
            continue
        draft = _Draft(
            "TroopPresence", noun, count=figure, count_offset=sentence.start_char + offset
        )
        _add_force(draft, noun, ctx, "agent")
        if possessed:
            holder = ctx.subject_of(verb)
            if holder is not None and holder.lower_ in RELATIVE_PRONOUNS:
                holder = verb.head
            if holder is not None:
                draft.add("agent", ctx.actors(ctx.phrase_entities(holder)))
        draft.add("location", there)
        for holder in (verb, *[c for c in noun.children if c.dep_ == "acl"]):
            # 'troops in Iraq'; 'troops deployed TO Poland' are there now
            words = grammar.presence_prepositions | ({"to"} if holder.i != verb.i else set())
            for word, pobj in _prepositions_of(holder):
                if word in words:
                    draft.add("location", ctx.phrase_entities(pobj))
        drafts.append(draft)
    for offset, figure in figures.restated:  # 'Iraqi sources put the number at over 3,000'
        number = _token_at(sentence, offset)
        if number is None or not drafts:
            continue
        putting = next((t for t in number.ancestors if t.lemma_ == "put"), None)
        source = ctx.subject_of(putting) if putting is not None else None
        restated = _Draft(
            "TroopPresence", number, roles={k: list(v) for k, v in drafts[-1].roles.items()}
        )
        restated.count = figure
        restated.roles["accordingTo"] = (
            ctx.actors(ctx.phrase_entities(source)) if source is not None else []
        )
        drafts.append(restated)
    return drafts


def _there(noun: Token, ctx: ArticleContext, grammar: Grammar) -> list[EntityMention]:
    """'900 soldiers (already) there', 'join the troops already there': where 'there' is."""
    words = list(noun.children)
    if noun.dep_ == "dobj":  # 'already there' hung on the verb still tells where they are
        words += [
            c
            for c in noun.head.children
            if any(g.lower_ in grammar.ongoing_words for g in c.children)
        ]
    return [place for word in words for place in ctx.place_referred(word)]


def _token_at(sentence: Span, offset: int) -> Token | None:
    absolute = sentence.start_char + offset
    for token in sentence:
        if token.idx <= absolute < token.idx + len(token.text):
            return token
    return None


def _attach_figures(
    drafts: list[_Draft], figures: TroopFigures, sentence: Span, taken: set[int]
) -> None:
    """Give the sentence's troop numbers to its troop events.

    A count goes to the event whose troops it counts ('12,000 troops HAVE
    DEPLOYED', '2,000 troops WHO HAVE MOVED', 'the DEPLOYMENT of 7,000 troops'),
    else to the nearest trigger. A count already read as troops present
    ('900 soldiers already there') is theirs, not the number of a move.
    """
    changes = [d for d in drafts if d.event_type in TROOP_EVENTS]
    if not changes:
        return
    moves = [d for d in changes if d.event_type != "TroopPresence"]
    if (figures.before or figures.after) and moves:
        moves[0].before, moves[0].after = figures.before, figures.after
    for offset, figure in figures.counts:
        absolute = sentence.start_char + offset
        if absolute in taken:
            continue
        number = _token_at(sentence, offset)
        owner = _counted_by(number, changes) if number is not None else None
        owner = owner or min(changes, key=lambda d: abs(d.trigger.idx - absolute))
        if owner.count is None:
            owner.count = figure


def _counted_by(number: Token, changes: list[_Draft]) -> _Draft | None:
    """The event whose troops a number counts: the clause on the troops, or above them."""
    by_token = {d.trigger.i: d for d in changes}
    noun = number
    while noun.dep_ in ("nummod", "quantmod", "compound", "advmod") and noun.head.i != noun.i:
        noun = noun.head
    for clause in noun.children:
        if clause.dep_ in ("relcl", "acl") and clause.i in by_token:
            return by_token[clause.i]
    word = noun
    for _ in range(4):
        if word.i in by_token:
            return by_token[word.i]
        if word.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "prep", "conj", "appos"):
            return None
        word = word.head
    return None


def _freeze(
    draft: _Draft, sentence: Span, date_value: str | None, according: list[EntityMention]
) -> EventMention:
    roles = dict(draft.roles)
    if according and not roles.get("accordingTo"):
        roles["accordingTo"] = according
    arguments = tuple(
        (role, mention.start) for role, mentions in roles.items() for mention in mentions
    )
    token = draft.trigger
    return EventMention(
        event_type=draft.event_type,
        trigger=token.text,
        start=token.idx,
        end=token.idx + len(token.text),
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
        arguments=tuple(sorted(set(arguments))),
        date=date_value,
        troops_before=draft.before,
        troops_after=draft.after,
        troop_count=draft.count,
        status=draft.status,
        evidence=" ".join(sentence.text.split()),
    )


def _stated_as_current(draft: _Draft, grammar: Grammar) -> bool:
    """'There are currently 5,000 troops in Iraq', '900 soldiers already there': a level as of
    the article's date."""
    verb = draft.trigger.head
    near = [*verb.children, *draft.trigger.children]
    words = {c.lower_ for c in near} | {g.lower_ for c in near for g in c.children}
    present = verb.tag_ in ("VBZ", "VBP") or draft.trigger.tag_ in ("VBZ", "VBP")
    return draft.status == "reported" and (present or bool(words & grammar.now_words))


def _date_by_tense(draft: _Draft, published: date) -> str | None:
    """An undated event told in the present is news of the day it is published.

    'Troops ARE ARRIVING in Romania', a headline's 'Marines ARRIVE in Darwin':
    the publication day. 'Marines HAVE BEGUN arriving', 'has deployed': the
    present perfect's recent past, to the publication month.
    """
    verb = draft.trigger
    if draft.status != "reported" or verb.pos_ not in ("VERB", "AUX"):
        return None
    if verb.dep_ == "xcomp" and verb.head.pos_ == "VERB":  # 'have begun ARRIVING'
        verb = verb.head
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    finite = [a for a in auxiliaries if a.tag_ in ("VBZ", "VBP")]
    if verb.tag_ in ("VBZ", "VBP") and not auxiliaries:
        return published.isoformat()
    if finite and finite[0].lemma_ == "be" and verb.tag_ == "VBG":
        return published.isoformat()
    if finite and finite[0].lemma_ == "have" and verb.tag_ == "VBN":
        return published.isoformat()[:7]
    return None


def event_mentions(ctx: ArticleContext, published: date | None) -> Iterator[EventMention]:
    """Every event stated in the article, one mention per trigger."""
    lexicon = load_lexicon()
    grammar = load_grammar()
    clock = _Clock.of(ctx.doc, published)
    last_force: list[EntityMention] = []  # whose troops the story is about, for bare 'troops'
    for sentence in ctx.doc.sents:
        figures = troop_figures(sentence.text)
        drafts = _trigger_drafts(sentence, ctx, lexicon, grammar)
        presence = _presence_drafts(sentence, ctx, grammar, figures)
        presence_nouns = {d.trigger.i for d in presence}
        # 'About 200 US troops will remain in Syria': the count already states the presence
        drafts = [
            d
            for d in drafts
            if not (d.trigger.dep_ == "acl" and d.trigger.head.i in presence_nouns)
            and not (
                d.event_type == "TroopPresence"
                and any(c.i in presence_nouns for c in d.trigger.children if c.dep_ == "nsubj")
            )
        ]
        taken = {d.count_offset for d in presence if d.count_offset is not None}
        _attach_figures(drafts, figures, sentence, taken)
        according = _according_to(sentence, ctx)
        for draft in drafts + presence:
            if not draft.is_news():
                continue
            if draft.event_type in TROOP_EVENTS:
                if draft.roles.get("agent"):
                    last_force = draft.roles["agent"]
                else:
                    draft.add("agent", last_force)
            speakers = according or _reported_by(draft.trigger, ctx, grammar)
            when = _date_of(draft.trigger, clock, draft.status)
            if when is None and published:
                if draft.event_type == "TroopPresence" and _stated_as_current(draft, grammar):
                    when = published.isoformat()
                else:
                    when = _date_by_tense(draft, published)
            yield _freeze(draft, sentence, when, speakers)
