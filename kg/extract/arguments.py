"""Who, whom and where: an event's arguments from the parse around its trigger.

The subject acts, the object is acted on, prepositions name places,
destinations and other parties (`kg/data/event_grammar.json`). Troops name
whose they are; passive, relative, participial and nominal forms carry the
same arguments as the plain verb; whoever orders an event takes part in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Token

from kg.extract.context import RELATIVE_PRONOUNS, ArticleContext, conjuncts, is_troops
from kg.extract.lexicon import Grammar, RoleChoice, TriggerSpec, load_grammar, load_lexicon
from kg.extract.triggers import (
    TROOP_EVENTS,
    direct_object,
    event_type_of,
    force_noun,
    passive_subject,
    spec_for,
)
from kg.records import (
    PLACE_CLASSES,
    PLACE_ROLES,
    ArgumentRole,
    EntityMention,
    EventType,
    Figure,
    Status,
)

# Where troops go or are, or whom they join: what a troop event must name.
TROOP_PLACE_ROLES: tuple[ArgumentRole, ...] = ("location", "destination", "participant")
# Events whose troops, named as subject or object, are the ones hit, not the ones acting.
HARM_EVENTS: frozenset[EventType] = frozenset({"Attack", "Killing"})
# Prepositions of direction that may hang on the noun after 'of': 'control of Basra TO Iraq'.
DIRECTIONS = frozenset({"to", "into", "from"})
CORE_ROLES: tuple[ArgumentRole, ...] = ("agent", "target", "participant", "location", "destination")


@dataclass
class Draft:
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


def add_force(
    draft: Draft,
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
            for word, pobj in prepositions_of(holder):
                # 'troops in Iraq', 'troops (that were) deployed to Mali'
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


def _subject_arguments(draft: Draft, ctx: ArticleContext) -> None:
    token = draft.trigger
    subject = ctx.subject_of(token)
    if subject is not None and subject.lower_ in RELATIVE_PRONOUNS and token.dep_ == "relcl":
        subject = token.head  # 'an airstrike that killed …': the airstrike did
    subjects = ctx.coordinated(subject) if subject is not None else []
    if token.dep_ in ("advcl", "xcomp") and token.head.lemma_ == "be":
        # 'he was the last American soldier to leave': the soldier leaves
        subjects += [c for c in token.head.children if c.dep_ == "attr"]
    for head in subjects:
        force = force_noun(head)
        event = noun_event(head, ctx)
        if force is not None:
            add_force(draft, force, ctx, "agent")  # 'US troops in Syria will leave'
        elif event is not None:
            # 'a US airstrike killed …': the strike's agent; 'an attack near X that killed …': X
            draft.add("agent", event.roles.get("agent", []))
            if token.dep_ == "relcl":
                draft.add("location", event.roles.get("location", []))
        else:
            draft.add("agent", ctx.actors(ctx.phrase_entities(head)) or _made_by(head, ctx))
    passive = passive_subject(token)
    if passive is not None:
        _theme_arguments(draft, passive, ctx)


def _made_by(head: Token, ctx: ArticleContext) -> list[EntityMention]:
    """'a report RELEASED BY the agency confirmed', 'a rocket FIRED BY Hamas hit':
    who made or sent the thing that acts."""
    found: list[EntityMention] = []
    for clause in head.children:
        if clause.dep_ == "acl":
            for agent in (c for c in clause.children if c.dep_ == "agent"):
                for pobj in (g for g in agent.children if g.dep_ == "pobj"):
                    found.extend(ctx.actors(ctx.phrase_entities(pobj)))
    return found


def _theme_arguments(draft: Draft, theme: Token, ctx: ArticleContext) -> None:
    """What the event is done to: moved troops act, attacked troops are hit, places are where."""
    grammar = load_grammar()
    joins = draft.spec is not None and draft.spec.joins_object
    force = force_noun(theme)
    if force is not None:
        if draft.event_type in TROOP_EVENTS and not joins:
            add_force(draft, force, ctx, "agent")  # 'withdraw US troops': their country acts
        elif draft.event_type in HARM_EVENTS:
            add_force(draft, force, ctx, "target")  # '25 of its troops were injured'
        else:
            add_force(draft, force, ctx, "participant")  # 'visited Canadian troops'
        return
    event = noun_event(theme, ctx)
    if draft.event_type == "Statement" and event is not None:
        draft.add("target", event.roles.get("agent", []))  # 'condemned the Iranian attacks'
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


def _object_arguments(draft: Draft, ctx: ArticleContext) -> None:
    obj = direct_object(draft.trigger)
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
    yield from prepositions_of(token)
    place = position(token, grammar)
    if place.i != token.i:  # 'a spate of bombings IN Baghdad', hung on 'spate'
        yield from ((w, o) for w, o in prepositions_of(place) if w != "of")
    holders = [token]
    for particle in token.children:
        # 'pulled back FROM Rafah', 'moved away FROM the border': the parser hangs the
        # preposition on the particle
        if particle.dep_ in ("advmod", "prt") and particle.lower_ in grammar.movement_particles:
            yield from prepositions_of(particle)
    obj = direct_object(token)
    if obj is not None:
        yield from prepositions_of(obj)
        holders.append(obj)
    for holder in holders:
        for word, pobj in prepositions_of(holder):
            # 'handed over control of Basra TO IRAQ', 'the repositioning of a squadron FROM
            # ITALY TO POLAND': the direction hung on the noun after 'of'
            if word == "of":
                yield from ((w, o) for w, o in prepositions_of(pobj) if w in DIRECTIONS)
    carrier = place.head
    if place.dep_ == "dobj" and carrier.lemma_.lower() in grammar.light_verbs:
        # 'carried out strikes overnight ON Hezbollah positions', 'ordered the deployment of
        # troops TO Poland': the parser hangs the event's preposition on the verb carrying it
        yield from prepositions_of(carrier)


def prepositions_of(holder: Token) -> Iterator[tuple[str, Token]]:
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


def _preposition_arguments(draft: Draft, ctx: ArticleContext, grammar: Grammar) -> None:
    for word, pobj in _prepositions(draft.trigger, grammar):
        if pobj.lemma_.lower() in grammar.adjunct_nouns:
            continue  # 'in support of X', 'at the invitation of X': no place, no party
        event = noun_event(pobj, ctx)
        if event is not None:
            # 'injured in clashes with Serbs': the clashes have their own parties;
            # 'warned about attacks by Hezbollah': a statement is about whoever attacks
            if draft.event_type == "Statement" and word in ("about", "against", "over"):
                draft.add("target", event.roles.get("agent", []))
            continue
        force = force_noun(pobj) if word == "of" else None
        if force is not None:  # 'the withdrawal of US troops', 'the killing of three soldiers'
            role: ArgumentRole = "target" if draft.event_type in HARM_EVENTS else "agent"
            where: ArgumentRole = "destination" if draft.event_type == "Deployment" else "location"
            add_force(draft, force, ctx, role, where)
            continue
        mentions = ctx.phrase_entities(pobj)
        if word in ("with", "from") and draft.event_type in TROOP_EVENTS:
            # 'the move of a battalion WITH the 82nd Airborne Division': the unit moves
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


def noun_event(token: Token, ctx: ArticleContext) -> Draft | None:
    """The event a noun states ('the clashes', 'a US strike'), with its own arguments, or None."""
    if token.pos_ not in ("NOUN", "PROPN") or ctx.mention_at(token) is not None:
        return None
    spec = spec_for(token, ctx, load_lexicon())
    return read_event(token, spec, ctx) if spec is not None else None


def read_event(token: Token, spec: TriggerSpec, ctx: ArticleContext) -> Draft:
    """The event a trigger opens, with every argument the parse around it gives."""
    grammar = load_grammar()
    draft = Draft(event_type_of(token, spec, grammar), token, spec)
    if token.pos_ in ("VERB", "AUX"):
        _subject_arguments(draft, ctx)
        _object_arguments(draft, ctx)
    else:
        _noun_modifier_arguments(draft, ctx, grammar)
    _preposition_arguments(draft, ctx, grammar)
    _orderer_arguments(draft, ctx, grammar)
    return draft


def position(token: Token, grammar: Grammar) -> Token:
    """Where a noun phrase sits in its clause: 'launched a SERIES of strikes' → series."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.i != head.i:
        if head.head.lemma_.lower() in grammar.collective_nouns:
            return head.head
    return token


def _noun_modifier_arguments(draft: Draft, ctx: ArticleContext, grammar: Grammar) -> None:
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
    place = position(token, grammar)
    head = place.head
    if place.dep_ in ("dobj", "pobj") and head.lemma_.lower() in grammar.light_verbs | {"in"}:
        verb = head if place.dep_ == "dobj" else head.head
        subject = ctx.subject_of(verb)
        for party in ctx.coordinated(subject) if subject is not None else []:
            # 'X made the announcement in a joint statement', 'X launched a series of strikes'
            force = force_noun(party)
            owners = ctx.force_owners(force) if force is not None else []
            draft.add("agent", owners or ctx.actors(ctx.phrase_entities(party)))


def _orderer_arguments(draft: Draft, ctx: ArticleContext, grammar: Grammar) -> None:
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
