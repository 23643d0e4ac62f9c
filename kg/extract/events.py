"""Events from the dependency parse: who did what to whom, where, when, how many.

A trigger (a verb or noun from the lexicon) opens an event; its arguments
come from the parse around it: the subject acts, the object is acted on,
prepositions name places, destinations and other parties. Dates, troop
numbers, sources and modality are read from the same sentence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Span, Token

from kg.extract.context import ArticleContext, in_clause
from kg.extract.dates import normalise_date
from kg.extract.lexicon import Lexicon, TriggerSpec, load_lexicon
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
# Which role the object of each preposition plays, per event type.
PREPOSITION_ROLES: dict[str, dict[EventType | str, ArgumentRole]] = {
    "from": {"Withdrawal": "location", "*": "location"},
    "out": {"Withdrawal": "location"},
    "in": {"Deployment": "destination", "*": "location"},
    "inside": {"*": "location"},
    "into": {"Invasion": "target", "*": "destination"},
    "to": {
        "Meeting": "location",
        "Handover": "participant",
        "Statement": "participant",
        "*": "destination",
    },
    "at": {"Attack": "target", "*": "location"},
    "on": {"Attack": "target", "*": "location"},
    "against": {"*": "target"},
    "near": {"*": "location"},
    "outside": {"*": "location"},
    "across": {"*": "location"},
    "with": {"Meeting": "participant", "Agreement": "participant", "Statement": "participant"},
    "between": {"Meeting": "agent", "Agreement": "agent"},
    "by": {"*": "agent"},
    "of": {"Withdrawal": "location", "Deployment": "destination", "*": "target"},
}
# What the direct object of a verb trigger is, per event type.
OBJECT_ROLES: dict[EventType, ArgumentRole] = {
    "Withdrawal": "location",
    "Deployment": "destination",
    "Attack": "target",
    "Killing": "target",
    "Invasion": "target",
    "Handover": "target",
    "Meeting": "participant",
}
REPORTING_VERBS = frozenset(
    {
        "say",
        "tell",
        "announce",
        "report",
        "confirm",
        "claim",
        "state",
        "add",
        "note",
        "insist",
        "warn",
        "write",
        "reveal",
    }
)
LIGHT_VERBS = frozenset(
    {
        "make",
        "hold",
        "issue",
        "conduct",
        "carry",
        "launch",
        "reach",
        "sign",
        "seek",
        "begin",
        "start",
        "complete",
        "order",
        "approve",
    }
)
PRESENCE_PREPOSITIONS = frozenset({"in", "inside", "at", "across"})
NOW_WORDS = frozenset({"currently", "now", "today", "still"})
MODALS = frozenset({"will", "would", "shall", "'ll", "could", "may", "might", "wo"})
PRESENCE_VERBS = frozenset({"be", "remain", "stay", "station", "base", "deploy", "keep", "have"})


@dataclass
class _Draft:
    """An event under construction; frozen into an EventMention at the end."""

    event_type: EventType
    trigger: Token
    roles: dict[ArgumentRole, list[EntityMention]] = field(default_factory=dict)
    before: Figure | None = None
    after: Figure | None = None
    count: Figure | None = None
    status: Status = "reported"

    def add(self, role: ArgumentRole, mentions: list[EntityMention]) -> None:
        bucket = self.roles.setdefault(role, [])
        for mention in mentions:
            if role in PLACE_ROLES and mention.entity_class not in PLACE_CLASSES:
                continue
            if all(m.start != mention.start for m in bucket):
                bucket.append(mention)

    def has_arguments(self) -> bool:
        return any(
            self.roles.get(r) for r in ("agent", "target", "participant", "location", "destination")
        )


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
        near.extend(c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass"))
    words = {t.lower_ for t in near} | {t.lemma_.lower() for t in near}
    return bool(words & lexicon.military_nouns)


def _direct_object(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("dobj", "obj"):
            return child
    return None


def _spec_for(token: Token, ctx: ArticleContext, lexicon: Lexicon) -> TriggerSpec | None:
    """The trigger spec a token satisfies, or None."""
    lemma = token.lemma_.lower()
    if token.pos_ in ("VERB", "AUX") and token.dep_ != "amod":
        spec = lexicon.verbs.get(lemma)
    elif token.pos_ in ("NOUN", "PROPN"):
        spec = lexicon.nouns.get(lemma) or lexicon.nouns.get(token.lower_)
    else:
        spec = None
    if spec is None:
        return None
    children = {c.lower_ for c in token.children}
    obj = _direct_object(token)
    checks = (
        not spec.particles or bool(children & set(spec.particles)),
        not spec.military or _is_military(token, lexicon),
        not spec.objects or (obj is not None and obj.lemma_.lower() in spec.objects),
        not spec.with_argument or "with" in children,
        not spec.needs_modifier or bool(children & set(spec.needs_modifier)),
        not spec.person_object
        or (obj is not None and any(m.entity_class == "Person" for m in ctx.phrase_entities(obj))),
        not spec.objects_are_entities or (obj is not None and bool(ctx.phrase_entities(obj))),
    )
    return spec if all(checks) else None


def _event_type(token: Token, spec: TriggerSpec) -> EventType:
    if spec.by_preposition:
        away, towards = spec.by_preposition
        preps = {c.lower_ for c in token.children if c.dep_ == "prep"}
        return towards if preps & {"to", "into"} and not preps & {"from", "out"} else away
    return spec.event_type


def _is_troops(token: Token, lexicon: Lexicon) -> bool:
    return token.lower_ in lexicon.military_nouns or token.lemma_.lower() in lexicon.military_nouns


def _force_noun(head: Token, lexicon: Lexicon) -> Token | None:
    """The troop noun a phrase is about: 'US troops', 'the number OF US TROOPS in Iraq'."""
    if _is_troops(head, lexicon):
        return head
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and _is_troops(pobj, lexicon):
                    return pobj
    return None


def _add_force(draft: _Draft, noun: Token, ctx: ArticleContext) -> None:
    """'US troops in Iraq': the troops' state acts; where they are is where a withdrawal leaves."""
    owners = [t for t in noun.subtree if t.i < noun.i and not in_clause(t, noun)]
    draft.add("agent", ctx.actors(ctx.mentions_in(owners)))
    if draft.event_type in ("Withdrawal", "TroopPresence"):
        for word, pobj in _prepositions_of(noun):
            if word in PRESENCE_PREPOSITIONS:
                draft.add("location", ctx.phrase_entities(pobj))


def _subject_arguments(draft: _Draft, ctx: ArticleContext, lexicon: Lexicon) -> None:
    token = draft.trigger
    passive = next((c for c in token.children if c.dep_ == "nsubjpass"), None)
    subject = ctx.subject_of(token)
    if subject is not None and subject.lower_ in ("that", "which", "who") and token.dep_ == "relcl":
        subject = token.head  # 'an airstrike that killed …': the airstrike did
    for head in ctx.coordinated(subject) if subject is not None else []:
        force = _force_noun(head, lexicon)
        if force is not None:
            _add_force(draft, force, ctx)  # 'US troops in Syria will leave'
        else:
            draft.add("agent", ctx.actors(ctx.phrase_entities(head)))
    if passive is not None:
        force = _force_noun(passive, lexicon)
        if force is not None:
            _add_force(draft, force, ctx)  # 'US troops would be reduced'
        else:
            draft.add(OBJECT_ROLES.get(draft.event_type, "target"), ctx.phrase_entities(passive))


def _object_arguments(draft: _Draft, ctx: ArticleContext, lexicon: Lexicon) -> None:
    obj = _direct_object(draft.trigger)
    if obj is None:
        return
    force = _force_noun(obj, lexicon)
    if force is not None and draft.event_type in TROOP_EVENTS:
        _add_force(draft, force, ctx)  # 'withdraw US troops': the troops' country acts
    elif draft.event_type == "Meeting" and ctx.mention_at(obj) is None:
        return  # 'discussed the troop presence with Trump': the object is the topic
    elif draft.event_type in OBJECT_ROLES:
        for head in ctx.coordinated(obj):
            draft.add(OBJECT_ROLES[draft.event_type], ctx.phrase_entities(head))


def _prepositions(token: Token) -> Iterator[tuple[str, Token]]:
    """(preposition, its object) for the trigger and its object: 'withdraw troops FROM Iraq'."""
    first = next((c.lower_ for c in token.children if c.dep_ == "prep"), None)
    for conj in token.children:
        # 'withdrawn from al-Asad … and the base of Victoria', the noun hung on the verb
        if first and conj.dep_ == "conj" and conj.pos_ in ("NOUN", "PROPN"):
            yield first, conj
    yield from _prepositions_of(token)
    obj = _direct_object(token)
    if obj is not None:
        yield from _prepositions_of(obj)


def _prepositions_of(holder: Token) -> Iterator[tuple[str, Token]]:
    """(preposition, its object) for the prepositions hanging on one word."""
    for prep in holder.children:
        if prep.dep_ not in ("prep", "agent", "prt"):
            continue
        word = prep.lower_
        objects = [c for c in prep.children if c.dep_ == "pobj"]
        if not objects:  # 'out of Iraq': out → of → Iraq
            for inner in prep.children:
                if inner.dep_ == "prep":
                    objects = [c for c in inner.children if c.dep_ == "pobj"]
        for pobj in objects:
            for head in [pobj, *(c for c in pobj.children if c.dep_ == "conj")]:
                yield word, head
            # 'met at the White House with al-Kadhimi': the other side hangs lower
            for inner in pobj.children:
                if inner.dep_ == "prep" and inner.lower_ == "with":
                    yield from (("with", g) for g in inner.children if g.dep_ == "pobj")


def _preposition_arguments(draft: _Draft, ctx: ArticleContext, lexicon: Lexicon) -> None:
    for word, pobj in _prepositions(draft.trigger):
        roles = PREPOSITION_ROLES.get(word, {})
        role = roles.get(draft.event_type, roles.get("*"))
        if role is None:
            continue
        force = _force_noun(pobj, lexicon) if word == "of" else None
        if force is not None:
            _add_force(draft, force, ctx)  # 'the withdrawal of US troops from Iraq'
        elif role == "agent":
            draft.add("agent", ctx.actors(ctx.phrase_entities(pobj)))
        else:
            draft.add(role, ctx.phrase_entities(pobj))


def _noun_modifier_arguments(draft: _Draft, ctx: ArticleContext) -> None:
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
    head = token.head
    if token.dep_ in ("dobj", "pobj") and head.lemma_.lower() in LIGHT_VERBS | {"in"}:
        verb = head if token.dep_ == "dobj" else head.head
        subject = ctx.subject_of(verb)
        for party in ctx.coordinated(subject) if subject is not None else []:
            # 'X made the announcement in a joint statement'
            draft.add("agent", ctx.actors(ctx.phrase_entities(party)))


# A denial reaches an event through a verb that governs it ('did not agree to withdraw',
# 'denied plans for a withdrawal'), not through a neighbouring clause.
DENIAL_LINKS = frozenset({"xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp"})
PLAN_LINKS = frozenset({"xcomp", "ccomp", "advcl", "conj", "pcomp", "acl", "dobj", "pobj", "prep"})


def _governors(token: Token, links: frozenset[str], limit: int = 5) -> list[Token]:
    """`token` and the words above it reached through `links`."""
    chain = [token]
    while chain[-1].dep_ in links and chain[-1].head.i != chain[-1].i and len(chain) < limit:
        chain.append(chain[-1].head)
    return chain


def _status(token: Token, lexicon: Lexicon) -> Status:
    for word in _governors(token, DENIAL_LINKS):
        if word.lemma_.lower() in lexicon.denial_cues or any(
            c.dep_ == "neg" for c in word.children
        ):
            return "denied"
        if word.i != token.i and word.lemma_.lower() in REPORTING_VERBS:
            break  # 'X said it would not …' is handled above; the saying itself is not denied
    for word in _governors(token, PLAN_LINKS)[:3]:
        lemmas = {c.lower_ for c in word.children if c.dep_ in ("aux", "auxpass")}
        if lemmas & MODALS or word.lemma_.lower() in lexicon.planned_cues - MODALS:
            return "planned"
        if "to" in lemmas and (word.dep_ == "ROOT" or word.head.lemma_ == "be"):
            return "planned"  # headline infinitive: 'US to withdraw troops'
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


def _attached_dates(token: Token, dates: list[Span]) -> list[Span]:
    """DATE phrases that modify `token` directly or through a preposition ('in January')."""
    found = []
    for span in dates:
        head = span.root.head
        if head.i == token.i or (head.dep_ == "prep" and head.head.i == token.i):
            found.append(span)
    return found


def _date_of(
    token: Token, published: date | None, status: Status, anchor: str | None
) -> str | None:
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
    for span in [*_attached_dates(token, dates), *inside, *shared, *candidates]:
        value = normalise_date(span.text, published, past=status != "planned", anchor=anchor)
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


def _reported_by(token: Token, ctx: ArticleContext) -> list[EntityMention]:
    """The speaker when the event is reported speech: 'McKenzie said the US would …'."""
    word = token
    for _ in range(4):
        if (
            word.dep_ not in ("ccomp", "xcomp", "conj", "advcl", "parataxis")
            or word.head.i == word.i
        ):
            break
        word = word.head
        if word.lemma_.lower() in REPORTING_VERBS:
            subject = next((c for c in word.children if c.dep_ == "nsubj"), None)
            return ctx.actors(ctx.phrase_entities(subject)) if subject is not None else []
    return []


def _trigger_drafts(sentence: Span, ctx: ArticleContext, lexicon: Lexicon) -> list[_Draft]:
    drafts = []
    for token in sentence:
        spec = _spec_for(token, ctx, lexicon)
        if spec is None:
            continue
        draft = _Draft(_event_type(token, spec), token)
        if token.pos_ in ("VERB", "AUX"):
            _subject_arguments(draft, ctx, lexicon)
            _object_arguments(draft, ctx, lexicon)
        else:
            _noun_modifier_arguments(draft, ctx)
        _preposition_arguments(draft, ctx, lexicon)
        draft.status = _status(token, lexicon)
        drafts.append(draft)
    # A noun trigger that is the subject or object of a verb trigger is that event's
    # instrument or restatement ('a US drone strike killed', 'launched strikes').
    verbs = {d.trigger.i for d in drafts if d.trigger.pos_ in ("VERB", "AUX")}
    return [
        d
        for d in drafts
        if d.trigger.pos_ in ("VERB", "AUX")
        or d.trigger.head.i not in verbs
        or d.trigger.dep_ not in ("nsubj", "dobj", "nsubjpass")
    ]


def _presence_drafts(
    sentence: Span, ctx: ArticleContext, lexicon: Lexicon, figures: TroopFigures
) -> list[_Draft]:
    """'There are about 5,000 US troops in Iraq', '2,500 soldiers stationed in Iraq'."""
    drafts: list[_Draft] = []
    for offset, figure in figures.counts:
        token = _token_at(sentence, offset)
        if token is None:
            continue
        noun = token.head if token.dep_ in ("nummod", "quantmod") else token
        while noun.dep_ in ("nummod", "quantmod", "compound") and noun.head.i != noun.i:
            noun = noun.head
        if not _is_troops(noun, lexicon):
            continue
        verb = noun.head
        existential = any(c.dep_ == "expl" for c in verb.children)
        stationed = any(c.dep_ == "acl" and c.lemma_ in PRESENCE_VERBS for c in noun.children)
        remaining = noun.dep_ == "nsubj" and verb.lemma_ in ("remain", "stay")
        if noun.dep_ == "conj":  # 'and around 2,500 additional coalition forces'
            first = noun.head
            verb = first.head
            existential = any(c.dep_ == "expl" for c in verb.children)
        if not (existential or stationed or remaining):
            continue
        draft = _Draft("TroopPresence", noun, count=figure)
        _add_force(draft, noun, ctx)
        for holder in (verb, *[c for c in noun.children if c.dep_ == "acl"]):
            for word, pobj in _prepositions_of(holder):
                if word in PRESENCE_PREPOSITIONS:
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


def _token_at(sentence: Span, offset: int) -> Token | None:
    absolute = sentence.start_char + offset
    for token in sentence:
        if token.idx <= absolute < token.idx + len(token.text):
            return token
    return None


def _attach_figures(drafts: list[_Draft], figures: TroopFigures, sentence: Span) -> None:
    """Give the sentence's troop numbers to its troop events, nearest trigger first."""
    changes = [d for d in drafts if d.event_type in ("Withdrawal", "Deployment")]
    if not changes:
        return
    if figures.before or figures.after:
        changes[0].before, changes[0].after = figures.before, figures.after
    for offset, figure in figures.counts:
        absolute = sentence.start_char + offset
        nearest = min(changes, key=lambda d: abs(d.trigger.idx - absolute))
        if nearest.count is None:
            nearest.count = figure


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


def _stated_as_current(draft: _Draft) -> bool:
    """'There are currently 5,000 troops in Iraq': a level as of the article's date."""
    verb = draft.trigger.head
    words = {c.lower_ for c in (*verb.children, *draft.trigger.children)}
    return draft.status == "reported" and (verb.tag_ in ("VBZ", "VBP") or bool(words & NOW_WORDS))


def event_mentions(ctx: ArticleContext, published: date | None) -> Iterator[EventMention]:
    """Every event stated in the article, one mention per trigger."""
    lexicon = load_lexicon()
    last_date: str | None = None  # for 'two months later'
    last_force: list[EntityMention] = []  # whose troops the story is about, for bare 'troops'
    for sentence in ctx.doc.sents:
        figures = troop_figures(sentence.text)
        drafts = _trigger_drafts(sentence, ctx, lexicon)
        presence = _presence_drafts(sentence, ctx, lexicon, figures)
        presence_nouns = {d.trigger.i for d in presence}
        drafts = [
            d
            for d in drafts
            if not (d.trigger.dep_ == "acl" and d.trigger.head.i in presence_nouns)
        ]
        _attach_figures(drafts, figures, sentence)
        according = _according_to(sentence, ctx)
        for draft in drafts + presence:
            has_figures = draft.before or draft.after or draft.count
            if not draft.has_arguments() and not has_figures:
                continue
            if draft.event_type in TROOP_EVENTS:
                if draft.roles.get("agent"):
                    last_force = draft.roles["agent"]
                else:
                    draft.add("agent", last_force)
            speakers = according or _reported_by(draft.trigger, ctx)
            when = _date_of(draft.trigger, published, draft.status, last_date)
            if (
                when is None
                and published
                and draft.event_type == "TroopPresence"
                and _stated_as_current(draft)
            ):
                when = published.isoformat()
            last_date = when or last_date
            yield _freeze(draft, sentence, when, speakers)
