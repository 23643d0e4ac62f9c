"""Corpus-wide resolution: every mention of one real entity lands on one node.

The only stage that sees all articles. It works on small mention records,
indexed by key, so its cost grows with the number of mentions, not with
their product. Each anchor is taken by a named rule (`FormRule`), kept
with the mention where the decision is made; the resolution then holds,
per entity, each form with its rule and the articles that wrote it
(`Resolution.reasons`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from kg.gazetteer import CLASS_FOLDERS, Gazetteer, GazetteerEntry
from kg.names import match_key, slugify
from kg.records import (
    ENTITY_CLASSES,
    ORGANIZATION,
    ArticleExtraction,
    Entity,
    EntityClass,
    EntityMention,
    FormReason,
    FormRule,
)

MentionRef = tuple[str, int]  # (article source_file, start offset in its body)
# How a mention found its anchor: the rule of its name (see `_form_rules`).
Anchoring = tuple[EntityMention, str, FormRule]
Member = tuple[str, EntityMention, FormRule]  # an entity's mention: its article, the rule
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NAME_PARTICLES = ("al-", "el-", "al ", "el ")
_PERSON: tuple[EntityClass, ...] = ("Person",)
_NOT_PERSON: tuple[EntityClass, ...] = tuple(c for c in ENTITY_CLASSES if c != "Person")


class MentionEntities(Mapping[MentionRef, str]):
    """Which entity each mention denotes (mention → Entity.key), held article by article.

    Per article, the starts of its resolved mentions in order and their keys,
    two tuples side by side: a table entry and a (source, start) tuple per
    mention would take six times the room (three million mentions at 100,000
    articles). Iterates article by article, each in the order of its starts.
    """

    __slots__ = ("_articles", "_size")

    def __init__(self, articles: Mapping[str, Mapping[int, str]]) -> None:
        """From each article's mentions' entities, by the mention's start."""
        self._articles: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}
        for source, keys in articles.items():
            starts = tuple(sorted(keys))
            self._articles[source] = (starts, tuple(keys[start] for start in starts))
        self._size = sum(len(starts) for starts, _ in self._articles.values())

    @classmethod
    def of(cls, mentions: Mapping[MentionRef, str]) -> MentionEntities:
        """The same mapping, held article by article."""
        articles: dict[str, dict[int, str]] = {}
        for (source, start), key in mentions.items():
            articles.setdefault(source, {})[start] = key
        return cls(articles)

    def __getitem__(self, ref: MentionRef) -> str:
        starts, keys = self._articles.get(ref[0], ((), ()))
        at = bisect_left(starts, ref[1])
        if at == len(starts) or starts[at] != ref[1]:
            raise KeyError(ref)
        return keys[at]

    def __iter__(self) -> Iterator[MentionRef]:
        for source, (starts, _) in self._articles.items():
            for start in starts:
                yield source, start

    def __len__(self) -> int:
        return self._size

    def of_article(self, source: str) -> dict[int, str]:
        """The entity of each resolved mention of one article, by the mention's start."""
        starts, keys = self._articles.get(source, ((), ()))
        return dict(zip(starts, keys, strict=True))


@dataclass(frozen=True, slots=True)
class Resolution:
    """Resolved entities, which entity each mention denotes, and why each form is its name.

    `mention_entity` may be given as any mapping; it is held as `MentionEntities`.
    """

    entities: tuple[Entity, ...]
    mention_entity: Mapping[MentionRef, str]  # mention → Entity.key
    reasons: tuple[FormReason, ...] = ()  # sorted by entity, form and rule

    def __post_init__(self) -> None:
        if not isinstance(self.mention_entity, MentionEntities):
            object.__setattr__(self, "mention_entity", MentionEntities.of(self.mention_entity))

    def entities_in(self, source: str) -> dict[int, str]:
        """The entity of each resolved mention of article `source`, by the mention's start."""
        assert isinstance(self.mention_entity, MentionEntities)  # made so by __post_init__
        return self.mention_entity.of_article(source)


def surname_keys(name: str) -> frozenset[str]:
    """Keys under which a surname alone may stand for `name` ('al-Muhandis', 'Muhandis')."""
    words = [w for w in name.split() if w.lower().rstrip(".,") not in _SUFFIXES]
    if len(words) < 2:
        return frozenset()
    last = words[-1]
    keys = {match_key(last)}
    for particle in _NAME_PARTICLES:
        if last.lower().startswith(particle):
            keys.add(match_key(last[len(particle) :]))
    return frozenset(keys)


class _Anchors:
    """Assigns each mention an anchor: a gazetteer key, or a provisional name key."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        # by what the answer depends on: a corpus names the same few thousand things in
        # tens of thousands of mentions
        self._keys: dict[tuple[str | None, str, str], tuple[str, FormRule] | None] = {}

    def gazetteer_key(self, mention: EntityMention) -> tuple[str, FormRule] | None:
        """The gazetteer entry the mention names, if any, and the rule its name was found by.

        A name the NER took for a person only links to a known person: 'al-Assad'
        the man must not become al-Asad the airbase through a spelling variant.
        """
        asked = (mention.gazetteer_id, mention.entity_class, mention.name)
        if asked not in self._keys:
            self._keys[asked] = self._looked_up(mention)
        return self._keys[asked]

    def _looked_up(self, mention: EntityMention) -> tuple[str, FormRule] | None:
        if mention.gazetteer_id:
            return mention.gazetteer_id, "RecognizedInContext"
        if mention.entity_class == "Person":
            entry = self.gazetteer.lookup(mention.name, _PERSON)
        else:
            entry = self.gazetteer.lookup(mention.name, _NOT_PERSON)
            if entry is not None and not entry.curated and not self._sole_reading(entry, mention):
                entry = None
        if entry is not None:
            return entry.key, _known_form_rule(mention.name, entry) or "SpellingVariant"
        if mention.entity_class == "Organization":
            entry = self.gazetteer.lookup(_number_flipped(mention.name), ORGANIZATION)
        return (entry.key, "NumberVariant") if entry else None

    def _sole_reading(self, entry: GazetteerEntry, mention: EntityMention) -> bool:
        """Whether a knowledge entry found by name alone is surely the one meant.

        Only for its own kind ('Porto' the club is not the town) and only when
        no other place has the name ('Victoria' is nine cities): the
        recognizer, which sees the sentence, links the others.
        """
        if entry.entity_class != mention.entity_class:
            return False
        namesakes = [e for e in self.gazetteer.candidates(mention.name) if not e.curated]
        return len({e.key for e in namesakes if e.entity_class == entry.entity_class}) == 1

    def person_surnames(self, mentions: Iterable[tuple[EntityMention, str]]) -> dict[str, set[str]]:
        """Surname key → anchors of the multi-word persons that carry it.

        Each name is read once per anchor, however often the corpus repeats it.
        """
        index: dict[str, set[str]] = defaultdict(set)
        seen: set[tuple[str, str]] = set()
        # Keyed here, not in a module cache: one would keep 65k names for the process's life.
        keyed: dict[str, frozenset[str]] = {}
        for mention, anchor in mentions:
            if mention.entity_class != "Person" or (mention.name, anchor) in seen:
                continue
            seen.add((mention.name, anchor))
            names = [mention.name]
            entry = self.gazetteer.entries.get(anchor)
            if entry is not None:
                names.extend(entry.names)
            for name in names:
                if name not in keyed:
                    keyed[name] = surname_keys(name)
                for key in keyed[name]:
                    index[key].add(anchor)
        return index


def _known_form_rule(form: str, entry: GazetteerEntry) -> FormRule | None:
    """How `form` is one of the entry's own names, if it is: as written, or spelled otherwise."""
    if form == entry.label:
        return "GazetteerLabel"
    if form in entry.aliases:
        return "GazetteerAlias"
    if form in entry.demonyms:
        return "Demonym"
    key = match_key(form)
    if any(match_key(name) == key for name in (*entry.names, *entry.demonyms)):
        return "SpellingVariant"
    return None


def _unresolved_lone_name(mention: EntityMention, anchor: str) -> bool:
    """A one-word person name that no full name claims, written with no title or
    honorific: 'Mr Sunak' and 'President Macron' name someone, 'Herculean' no one."""
    titled = any(len(form.split()) > 1 for form in mention.forms)
    return mention.entity_class == "Person" and anchor == _provisional(mention) and not titled


def _provisional(mention: EntityMention) -> str:
    """The anchor of a name no gazetteer entry or full name has claimed."""
    return f"?{match_key(mention.name)}"


def _number_flipped(name: str) -> str:
    """A group's name in the other number: 'Houthi' ↔ 'Houthis'."""
    return name[:-1] if name.endswith("s") else name + "s"


def _is_single_word(mention: EntityMention) -> bool:
    return len(mention.name.split()) == 1


def _anchor_article(extraction: ArticleExtraction, anchors: _Anchors) -> list[Anchoring]:
    """Anchor one article's mentions; a lone surname goes to the full name it abbreviates."""
    first_pass: list[Anchoring] = []
    for mention in extraction.mentions:
        found = anchors.gazetteer_key(mention)
        first_pass.append((mention, *(found or (_provisional(mention), "SameName"))))
    surnames = anchors.person_surnames((m, a) for m, a, _ in first_pass)
    anchored = []
    for mention, anchor, rule in first_pass:
        if anchor.startswith("?") and _is_single_word(mention):
            candidates = surnames.get(match_key(mention.name), set())
            if len(candidates) > 1:
                continue  # 'Berg' beside Anna and Tomas Berg: one of them, not a new person
            if candidates:
                anchor, rule = next(iter(candidates)), "SurnameInArticle"
        anchored.append((mention, anchor, rule))
    return anchored


def _choose_label(names: Counter[str], entity_class: EntityClass) -> str:
    """The most common full name; for people, prefer names with a first name."""

    def rank(name: str) -> tuple[int, int, int, str]:
        multiword = entity_class == "Person" and len(name.split()) > 1
        return (-int(multiword), -names[name], -len(name), name)

    return min(names, key=rank)


def _group_class(members: list[Member]) -> EntityClass:
    """The class its full names give an entity; a bare surname's tag elsewhere has no vote.

    'Kenneth Clarke' stays a person where 'Clarke' alone was tagged an organization.
    """
    full = [m for _, m, _ in members if not _is_single_word(m)] or [m for _, m, _ in members]
    classes = Counter(m.entity_class for m in full)
    return min(classes, key=lambda c: (-classes[c], ENTITY_CLASSES.index(c)))


def resolve(extractions: Sequence[ArticleExtraction], gazetteer: Gazetteer) -> Resolution:
    """Join all mentions into entities with stable keys, labels and aliases."""
    anchors = _Anchors(gazetteer)
    anchored: list[tuple[str, Anchoring]] = []
    for extraction in extractions:
        source = extraction.article.source_file
        anchored.extend((source, found) for found in _anchor_article(extraction, anchors))

    # A lone surname with no full name in its own article: the corpus may know it.
    corpus_surnames = anchors.person_surnames((m, a) for _, (m, a, _) in anchored)
    # Each mention with the rule its name joined by, grouped by anchor; the anchoring
    # list is let go as it is read (at 100,000 articles it holds millions of mentions).
    groups: dict[str, list[Member]] = defaultdict(list)
    anchored.reverse()
    while anchored:
        source, (mention, anchor, rule) = anchored.pop()
        if anchor.startswith("?") and _is_single_word(mention):
            candidates = corpus_surnames.get(anchor[1:], set())
            if len(candidates) == 1:
                anchor, rule = next(iter(candidates)), "SurnameInCorpus"
            elif _unresolved_lone_name(mention, anchor):
                continue  # 'Herculean' tagged a person: no one we can tell
        groups[anchor].append((source, mention, rule))

    entities: list[Entity] = []
    mention_entity: dict[str, dict[int, str]] = defaultdict(dict)  # by article, then start
    reasons: list[FormReason] = []
    taken: set[str] = set(gazetteer.entries)
    for anchor in sorted(groups):
        members = groups.pop(anchor)  # let go once its entity is made
        entity = _make_entity(anchor, members, gazetteer, taken)
        taken.add(entity.key)
        entities.append(entity)
        for source, mention, _ in members:
            mention_entity[source][mention.start] = entity.key
        reasons.extend(_form_reasons(entity, members, gazetteer.entries.get(anchor)))
    # A ministry or a president acts for a state that the text may never name; the
    # state still needs its node, since events and roles point at it.
    named = {e.key for e in entities}
    for state in sorted({s for e in entities for s in e.acts_for} - named):
        entities.append(_make_entity(state, [], gazetteer, taken))
    entities.sort(key=lambda e: e.key)
    reasons.sort(key=lambda r: (r.entity, r.form, r.rule))
    return Resolution(tuple(entities), MentionEntities(mention_entity), tuple(reasons))


def _form_reasons(
    entity: Entity, members: list[Member], entry: GazetteerEntry | None
) -> Iterator[FormReason]:
    """Each form of an entity's mentions with the rule that joined it, and the articles."""
    found: dict[tuple[str, FormRule], set[str]] = defaultdict(set)
    for source, mention, joined_by in members:
        for form, rule in _form_rules(mention, joined_by, entry, entity):
            found[(form, rule)].add(source)
    for (form, rule), sources in found.items():
        yield FormReason(entity.key, form, rule, tuple(sorted(sources)))


def _form_rules(
    mention: EntityMention, rule: FormRule, entry: GazetteerEntry | None, entity: Entity
) -> Iterator[tuple[str, FormRule]]:
    """The forms a mention gives its entity, each with the rule it joined by.

    Its name joined by the rule its anchor was found by: of a name no entry
    or full name claimed, the same name as the label or a spelling of it. A
    mention the recognizer linked carries the entry's label as its name, so
    only its written forms tell what the text said: each is one of the
    entry's names, or linked by the sentence around it. Another written form
    ('Mr Trump', 'base of Victoria') is the name as the article wrote it.
    """
    linked = rule == "RecognizedInContext"
    if rule == "SameName" and mention.name != entity.label:
        rule = "SpellingVariant"
    if not linked:
        yield mention.name, rule
    for form in mention.forms:
        if form == mention.name and not linked:
            continue
        known = _known_form_rule(form, entry) if entry else None
        yield form, known or ("RecognizedInContext" if linked else "WrittenForm")


def _make_entity(
    anchor: str,
    members: list[Member],
    gazetteer: Gazetteer,
    taken: set[str],
) -> Entity:
    forms = {form for _, m, _ in members for form in (m.name, *m.forms)}
    articles = tuple(sorted({source for source, _, _ in members}))
    entry = gazetteer.entries.get(anchor)
    if entry is not None:
        return Entity(
            key=entry.key,
            entity_class=entry.entity_class,
            label=entry.label,
            alt_labels=tuple(sorted((forms | set(entry.aliases)) - {entry.label})),
            articles=articles,
            same_as=entry.same_as,
            located_in=entry.located_in,
            demonyms=entry.demonyms,
            acts_for=entry.acts_for,
        )
    entity_class = _group_class(members)
    label = _choose_label(Counter(m.name for _, m, _ in members), entity_class)
    key = f"{CLASS_FOLDERS[entity_class]}/{slugify(label)}"
    if key in taken:  # a different entity already has this slug: keep both, stably
        key = f"{key}-{slugify(anchor[1:])[:24]}"
    return Entity(
        key=key,
        entity_class=entity_class,
        label=label,
        alt_labels=tuple(sorted(forms - {label})),
        articles=articles,
        acts_for=tuple(sorted({s for _, m, _ in members for s in m.acts_for})),
    )
