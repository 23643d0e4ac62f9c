"""When, and whether: an event's status (reported, planned, denied) and its date.

Dates come from the trigger's own phrase or the clause it depends on, read
against the publication date, a full date the story gives, or the last date
named before ('a month later'); an undated event told in the present is
news of the day it is published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.doctext import doc_text
from kg.extract.arguments import Draft
from kg.extract.context import in_clause
from kg.extract.dates import normalise_date, story_date
from kg.extract.lexicon import Grammar, Lexicon, load_grammar
from kg.records import Status

REPORT_REACH = 3  # clauses between an event and the verb that reports it

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


def status(token: Token, lexicon: Lexicon, grammar: Grammar) -> Status:
    """Whether the event is reported, planned (a modal, 'plan to') or denied ('did not')."""
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
class Clock:
    """What dates in one article are read against.

    The publication date; failing that, a full date the story gives (for
    weekdays and days of a month only); and for 'a month later', the last
    date the text named before the expression.
    """

    published: date | None
    story: date | None
    phrases: list[tuple[int, int]]  # character spans of date phrases, in text order
    named: list[tuple[int, str]]  # (offset, ISO date) of each dated phrase, in text order
    dates: list[Span] = field(default_factory=list)  # the DATE entities, in text order

    @classmethod
    def of(cls, doc: Doc, published: date | None) -> Clock:
        story = None if published else story_date(doc_text(doc))
        dates = [e for e in doc.ents if e.label_ == "DATE"]
        clock = cls(published, story, _date_phrases(doc, dates), [], dates)
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
        text = doc_text(span.doc)[start:end]
        return normalise_date(text, self.published, past=past, anchor=anchor, story=self.story)


def _date_phrases(doc: Doc, dates: list[Span]) -> list[tuple[int, int]]:
    """The character spans of date phrases, joining pieces the tagger split: 'October, 2020'."""
    phrases: list[tuple[int, int]] = []
    for span in dates:
        between = doc_text(doc)[phrases[-1][1] : span.start_char] if phrases else None
        if between is not None and between.strip() in ("", ","):
            phrases[-1] = (phrases[-1][0], span.end_char)
        else:
            phrases.append((span.start_char, span.end_char))
    return phrases


def _closing_date(token: Token, dates: list[Span]) -> list[Span]:
    """A date set off at the end of a sentence dates its main verb, as in a photo caption:
    'Italian soldiers move to a checkpoint near Naqoura, Lebanon, May 11, 2024.'"""
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


def date_of(token: Token, clock: Clock, status: Status) -> str | None:
    """The date of the trigger's own phrase, or of the phrase or clause it depends on."""
    sentence = token.sent
    dates = [e for e in clock.dates if sentence.start <= e.start < sentence.end]
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
    reported = _date_of_report(token, dates) if status == "reported" else []
    for span in [
        *_attached_dates(token, dates),
        *inside,
        *shared,
        *candidates,
        *closing,
        *reported,
    ]:
        value = clock.read(span, past=status != "planned")
        if value:
            return value
    return None


def _date_of_report(token: Token, dates: list[Span]) -> list[Span]:
    """'KFOR said on Monday that 25 of its troops were injured': a past event reported with
    no date of its own happened by the day it was reported, as news tells it that day."""
    word = token
    for _ in range(REPORT_REACH):
        if word.dep_ not in ("ccomp", "parataxis") or word.head.i == word.i:
            return []
        word = word.head
        if word.lemma_.lower() in load_grammar().reporting_verbs:
            # 'The force on Monday said': the parser often hangs the date on the subject
            subjects = [c for c in word.children if c.dep_ == "nsubj"]
            return [s for w in (word, *subjects) for s in _attached_dates(w, dates)]
    return []


def stated_as_current(draft: Draft, grammar: Grammar) -> bool:
    """'There are currently 5,000 troops in Iraq', '200 Polish troops already there': a level as of
    the article's date."""
    verb = draft.trigger.head
    near = [*verb.children, *draft.trigger.children]
    words = {c.lower_ for c in near} | {g.lower_ for c in near for g in c.children}
    present = verb.tag_ in ("VBZ", "VBP") or draft.trigger.tag_ in ("VBZ", "VBP")
    return draft.status == "reported" and (present or bool(words & grammar.now_words))


def date_by_tense(draft: Draft, published: date) -> str | None:
    """An undated event told in the present is news of the day it is published.

    'Canadian troops ARE ARRIVING in Latvia', a headline's 'Spanish troops ARRIVE':
    the publication day. 'Polish troops HAVE ARRIVED', 'has deployed': the
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
