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
'a Pentagon statement said') are Statements, and only with a speaker as agent.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from spacy.tokens import Span, Token

from kg.doctext import span_text
from kg.extract.arguments import Draft, add_force, position, prepositions_of, read_event
from kg.extract.context import RELATIVE_PRONOUNS, ArticleContext, is_troops
from kg.extract.event_time import Clock, date_by_tense, date_of, stated_as_current, status
from kg.extract.lexicon import Grammar, Lexicon, load_grammar, load_lexicon
from kg.extract.quantities import TroopFigures, troop_figures
from kg.extract.triggers import TRIGGER_POS, TROOP_EVENTS, may_trigger, spec_for
from kg.records import EntityMention, EventMention


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
) -> list[Draft]:
    drafts = []
    tags, forms, strings = ctx.parts_of_speech, ctx.word_forms, sentence.doc.vocab.strings
    for i in range(sentence.start, sentence.end):
        if tags[i] not in TRIGGER_POS:
            continue
        lemma, word = forms[i]
        if not may_trigger(strings[lemma], strings[word], lexicon):
            continue
        token = sentence.doc[i]
        spec = spec_for(token, ctx, lexicon)
        if spec is None:
            continue
        draft = read_event(token, spec, ctx)
        draft.status = status(token, lexicon, grammar)
        drafts.append(draft)
    # A noun trigger that is the subject or object of a verb trigger is that event's
    # instrument or restatement ('a US drone strike killed', 'launched strikes').
    by_token = {d.trigger.i: d for d in drafts}
    verbs = {d.trigger.i for d in drafts if d.trigger.pos_ in ("VERB", "AUX")}
    kept = []
    for draft in drafts:
        token = draft.trigger
        place = position(token, grammar)
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


def _describes_argument(draft: Draft, by_token: dict[int, Draft]) -> bool:
    """'withdraw 500 troops THAT HAD BEEN DEPLOYED to Mali', 'troops DEPLOYED in Mali will
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
    """'… to join the troops there', 'in order to attack X': an infinitive adjunct
    saying what for."""
    if not any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children):
        return False
    head = token.head
    in_order = token.dep_ == "acl" and head.lower_ == "order" and head.head.lower_ == "in"
    # 'he was the last soldier TO LEAVE': an infinitive on a copula says who, not what for
    return (token.dep_ == "advcl" and head.lemma_ != "be") or in_order


def _presence_drafts(
    sentence: Span, ctx: ArticleContext, grammar: Grammar, figures: TroopFigures
) -> list[Draft]:
    """'There are about 5,000 US troops in Iraq', '2,500 soldiers stationed in Iraq',
    '200 Polish troops already there'."""
    drafts: list[Draft] = []
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
        # 'Turkey, which keeps about 3,000 soldiers in Qatar'
        possessed = noun.dep_ == "dobj" and verb.lemma_ in grammar.possession_verbs
        there = _there(noun, ctx, grammar)
        if noun.dep_ == "conj":  # 'and around 2,500 additional coalition forces'
            first = noun.head
            verb = first.head
            existential = any(c.dep_ == "expl" for c in verb.children)
        if not (existential or stationed or remaining or possessed or there):
            continue
        draft = Draft(
            "TroopPresence", noun, count=figure, count_offset=sentence.start_char + offset
        )
        add_force(draft, noun, ctx, "agent")
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
            for word, pobj in prepositions_of(holder):
                if word in words:
                    draft.add("location", ctx.phrase_entities(pobj))
        drafts.append(draft)
    for offset, figure in figures.restated:  # 'Iraqi sources put the number at over 3,000'
        number = _token_at(sentence, offset)
        if number is None or not drafts:
            continue
        putting = next((t for t in number.ancestors if t.lemma_ == "put"), None)
        source = ctx.subject_of(putting) if putting is not None else None
        restated = Draft(
            "TroopPresence", number, roles={k: list(v) for k, v in drafts[-1].roles.items()}
        )
        restated.count = figure
        restated.roles["accordingTo"] = (
            ctx.actors(ctx.phrase_entities(source)) if source is not None else []
        )
        drafts.append(restated)
    return drafts


def _there(noun: Token, ctx: ArticleContext, grammar: Grammar) -> list[EntityMention]:
    """'200 soldiers (already) there', 'join the troops already there': where 'there' is."""
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
    drafts: list[Draft], figures: TroopFigures, sentence: Span, taken: set[int]
) -> None:
    """Give the sentence's troop numbers to its troop events.

    A count goes to the event whose troops it counts ('12,000 troops HAVE
    DEPLOYED', '2,000 troops WHO HAVE MOVED', 'the DEPLOYMENT of 7,000 troops'),
    else to the nearest trigger. A count already read as troops present
    ('the 200 troops already there') is theirs, not the number of a move.
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


def _counted_by(number: Token, changes: list[Draft]) -> Draft | None:
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
    draft: Draft, sentence: Span, date_value: str | None, according: list[EntityMention]
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
        evidence=" ".join(span_text(sentence).split()),
    )


def event_mentions(ctx: ArticleContext, published: date | None) -> Iterator[EventMention]:
    """Every event stated in the article, one mention per trigger."""
    lexicon = load_lexicon()
    grammar = load_grammar()
    clock = Clock.of(ctx.doc, published)
    last_force: list[EntityMention] = []  # whose troops the story is about, for bare 'troops'
    for sentence in ctx.doc.sents:
        figures = troop_figures(span_text(sentence))
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
            when = date_of(draft.trigger, clock, draft.status)
            if when is None and published:
                if draft.event_type == "TroopPresence" and stated_as_current(draft, grammar):
                    when = published.isoformat()
                else:
                    when = date_by_tense(draft, published)
            yield _freeze(draft, sentence, when, speakers)
