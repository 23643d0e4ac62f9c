"""Frozen records passed between the pipeline's stages.

Each stage takes the previous stage's records and returns its own; offsets
let every fact point back to the text it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import quote

EntityClass = Literal["Person", "Country", "Organization", "MilitaryBase", "Place"]
EventType = Literal[
    "Withdrawal",
    "Deployment",
    "Attack",
    "Killing",
    "Meeting",
    "Agreement",
    "Statement",
    "Handover",
    "Invasion",
    "TroopPresence",
]
ArgumentRole = Literal["agent", "target", "participant", "location", "destination", "accordingTo"]
ARGUMENT_ROLES: tuple[ArgumentRole, ...] = (
    "agent",
    "target",
    "participant",
    "location",
    "destination",
    "accordingTo",
)
Status = Literal["planned", "reported", "denied"]
# Why resolution took a surface form for a name of an entity (ontology/newskg.ttl
# declares each as a kg:MergeRule individual, with what it means).
FormRule = Literal[
    "GazetteerLabel",
    "GazetteerAlias",
    "Demonym",
    "SpellingVariant",
    "NumberVariant",
    "RecognizedInContext",
    "SameName",
    "SurnameInArticle",
    "SurnameInCorpus",
    "WrittenForm",
    "Curated",
]
# Why an article's claims joined an event that earlier articles' claims made.
TieRule = Literal[
    "DatesAgree",
    "SameBaseline",
    "SamePersonKilled",
    "DateWithinReach",
    "PublishedClose",
    "SyndicatedCopy",
]
# Why a role stated without whom it is held for is held for the body or state it is.
RoleRule = Literal["HeldForElsewhere", "HeldForActsFor"]
ENTITY_CLASSES: tuple[EntityClass, ...] = (
    "Person",
    "Country",
    "Organization",
    "MilitaryBase",
    "Place",
)
COUNTRY: tuple[EntityClass, ...] = ("Country",)
ORGANIZATION: tuple[EntityClass, ...] = ("Organization",)
# Where something can happen or lie; the only classes a location or destination may have.
PLACE_CLASSES: frozenset[EntityClass] = frozenset({"Country", "MilitaryBase", "Place"})
PLACE_ROLES: frozenset[ArgumentRole] = frozenset({"location", "destination"})


# An article's IRI is <base>article/<id> (VOCABULARY.md).
ARTICLE_PATH = "article/"


def article_id(source_file: str) -> str:
    """An article's id (VOCABULARY.md): its relative path, extension dropped, percent-encoded.

    Each segment keeps RFC 3986's unreserved characters and encodes the rest,
    so any file name makes a valid IRI and reads back with `unquote`; `/`
    stays between segments. A segment of dots only is encoded too: as `.` or
    `..` it would vanish when the IRI is resolved.
    """
    path = PurePosixPath(source_file)
    segments = [*path.parent.parts, path.stem] if path.parent.parts else [path.stem]
    return "/".join(_encode_segment(segment) for segment in segments)


def _encode_segment(segment: str) -> str:
    if segment.strip(".") == "":
        return "%2E" * len(segment)
    return quote(segment, safe="")


def story_digest(body: str) -> str:
    """A hash of a body with its whitespace collapsed: equal for copies of one story."""
    return hashlib.sha256(" ".join(body.split()).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the body copied verbatim from the source text.

    `body[body_start:body_start + length] == source_text[source_start:source_start + length]`.
    """

    body_start: int
    source_start: int
    length: int


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, read and cleaned, ready for the NLP stage.

    `source_text` is what offsets refer to: the file's decoded content for
    text and Markdown, the extracted main text for HTML. `body` is the part
    worth analysing (boilerplate removed), stitched from `segments` of the
    source text joined by blank lines.

    `source_file` is the file's path relative to the folder it was given in
    (a file given directly: its name); `id` is derived from it.
    `body_digest` tells syndicated copies apart from other stories after
    the text is dropped (`story_digest` of the body, filled in when empty).
    """

    source_file: str
    source_text: str
    body: str
    segments: tuple[Segment, ...]
    title: str | None = None
    published: date | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    url: str | None = None
    body_digest: str = ""

    def __post_init__(self) -> None:
        if not self.body_digest and self.body:
            object.__setattr__(self, "body_digest", story_digest(self.body))

    @property
    def id(self) -> str:
        """The article's IRI slug (see `article_id`)."""
        return article_id(self.source_file)

    def without_text(self) -> Article:
        """The article's metadata and segments only: what later stages need once it is extracted.

        The extraction records carry the words they need (mention text, evidence
        sentences), so a large corpus need not stay in memory as text.
        """
        return replace(self, source_text="", body="")

    def source_offset(self, body_offset: int) -> int:
        """Map an offset into `body` back to an offset into `source_text`."""
        for seg in reversed(self.segments):
            if seg.body_start <= body_offset:
                return seg.source_start + min(body_offset - seg.body_start, seg.length)
        raise ValueError(f"offset {body_offset} lies before the first segment")


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A name in an article's body, typed, possibly linked to a gazetteer entry."""

    text: str  # exactly Article.body[start:end]
    start: int
    end: int
    entity_class: EntityClass
    name: str  # the name with titles, articles and possessives stripped
    forms: tuple[str, ...] = ()  # written forms worth keeping as aliases ('Mr Trump')
    gazetteer_id: str | None = None  # "country/iraq" when the gazetteer knows it
    sentence_start: int = 0
    sentence_end: int = 0
    acts_for: tuple[str, ...] = ()  # gazetteer keys of the states a unit or organ serves


@dataclass(frozen=True, slots=True)
class Figure:
    """A troop number as stated, with the hedge that came with it ('about', 'more than')."""

    value: int
    qualifier: str | None = None


@dataclass(frozen=True, slots=True)
class EventMention:
    """One statement of an event in one sentence.

    Arguments point at entity mentions of the same article by their start
    offset; resolution turns them into entities.
    """

    event_type: EventType
    trigger: str  # exactly Article.body[start:end]
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    arguments: tuple[tuple[ArgumentRole, int], ...] = ()
    date: str | None = None  # ISO 8601 at the precision the text gives: 2020, 2020-09, 2020-09-09
    troops_before: Figure | None = None
    troops_after: Figure | None = None
    troop_count: Figure | None = None
    status: Status = "reported"
    evidence: str = ""  # the sentence, whitespace collapsed


@dataclass(frozen=True, slots=True)
class RoleMention:
    """A position a person is said to hold: 'Iraqi PM Mustafa al-Kadhimi'."""

    person: int  # start offset of the person's EntityMention
    title: str
    of: tuple[int, ...] = ()  # start offsets of the entities the position is held for
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True, slots=True)
class PlacementMention:
    """A base or place said to lie in or near another: 'al-Asad air base in Iraq'."""

    inner: int  # start offset of the base's or place's EntityMention
    outer: int  # start offset of the containing place's EntityMention
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    """Everything extracted from one article; a pure function of the article."""

    article: Article
    mentions: tuple[EntityMention, ...] = ()
    events: tuple[EventMention, ...] = ()
    roles: tuple[RoleMention, ...] = ()
    placements: tuple[PlacementMention, ...] = ()


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world entity after corpus-wide resolution."""

    key: str  # "person/donald-trump": class folder and slug, stable across runs
    entity_class: EntityClass
    label: str
    alt_labels: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()  # source_file of every article naming it
    same_as: tuple[str, ...] = ()  # external IRIs (Wikidata)
    located_in: tuple[str, ...] = ()  # keys of containing entities
    demonyms: tuple[str, ...] = ()
    acts_for: tuple[str, ...] = ()  # keys of the states it acts for (a ministry, a capital)


EventArgument = tuple[ArgumentRole, str]  # (role, Entity.key)


@dataclass(frozen=True, slots=True)
class EventClaim:
    """What one article says about one event: its sentence, arguments, date and figures."""

    article: str  # Article.source_file
    evidence: str  # the sentence that states it
    sentence_start: int  # body offsets of that sentence
    sentence_end: int
    triggers: tuple[tuple[int, int, str], ...]  # body offsets and text of each trigger word
    arguments: tuple[EventArgument, ...] = ()
    date: str | None = None
    troops_before: Figure | None = None
    troops_after: Figure | None = None
    troop_count: Figure | None = None
    status: Status = "reported"


@dataclass(frozen=True, slots=True)
class FormReason:
    """Why a surface form is a name of an entity: the rule that joined it, and the articles
    that wrote it so (one record per entity, form and rule, however many articles)."""

    entity: str  # Entity.key
    form: str
    rule: FormRule
    articles: tuple[str, ...]  # Article.source_file, sorted


@dataclass(frozen=True, slots=True)
class ClaimTie:
    """Why one article's claims joined an event: the tie to a claim another article made."""

    article: str  # Article.source_file of the claims that joined
    rule: TieRule
    tied_to: str  # Article.source_file of the claim they were tied to
    shared: tuple[str, ...] = ()  # Entity.key of the parties and places both claims name


@dataclass(frozen=True, slots=True)
class Event:
    """One real-world event, with one claim per article that reports it."""

    key: str  # "event/<hash>": stable across runs
    event_type: EventType
    label: str
    claims: tuple[EventClaim, ...]
    joined: tuple[ClaimTie, ...] = ()  # how each article after the first was tied to it

    @property
    def arguments(self) -> tuple[EventArgument, ...]:
        """Every (role, entity) any article gives it."""
        return tuple(sorted({a for claim in self.claims for a in claim.arguments}))


@dataclass(frozen=True, slots=True)
class HolderReason:
    """Why a role some articles state without its holder is held for its `of`: the rule that
    gave it, and those articles."""

    rule: RoleRule
    articles: tuple[str, ...]  # Article.source_file, sorted


@dataclass(frozen=True, slots=True)
class Role:
    """A position a person holds, with every article that says so."""

    key: str  # "role/<hash>"
    person: str  # Entity.key
    title: str
    of: tuple[str, ...]  # Entity.key of the states or bodies it is held for
    articles: tuple[str, ...]
    inferred: tuple[HolderReason, ...] = ()  # why articles that did not say are counted in
