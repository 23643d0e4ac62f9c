"""Applying the analyst's curation to a build: rejected forms out before resolution, then
splits, joins, classes and labels over the `Resolution` (see `kg.curation`)."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from kg.curation.file import ID_PREFIX, Curation, Decision, is_iri, sorted_decisions
from kg.gazetteer import CLASS_FOLDERS, Gazetteer
from kg.names import match_key, name_digest, slugify
from kg.records import ArticleExtraction, Entity, EntityClass, EntityMention, FormReason, FormRule
from kg.resolve import Resolution, resolve
from kg.resolve.entities import MentionRef


@dataclass(frozen=True, slots=True)
class CurationReport:
    """What a build made of its curation: the decisions applied, and those that no longer
    apply, each with why (for the build's summary, and for whatever records reasons)."""

    applied: tuple[Decision, ...] = ()
    unapplied: tuple[tuple[Decision, str], ...] = ()


class _Unapplied(Exception):  # noqa: N818  # a decision's outcome, not a failure
    """Why a decision finds nothing to apply to in this build."""


def curate(
    extractions: Sequence[ArticleExtraction],
    gazetteer: Gazetteer,
    curation: Curation,
    *,
    base_iri: str,
) -> tuple[list[ArticleExtraction], Resolution, CurationReport]:
    """Resolve `extractions` under `curation`: the extractions without the rejected forms'
    mentions (what later stages read), the curated resolution, and the report."""
    rejects = curation.of_kind("reject")
    kept, dropped = _without_forms(extractions, {match_key(d.name) for d in rejects})
    applied = [d for d in rejects if dropped[match_key(d.name)]]
    unapplied = [
        (d, f'no article names "{d.name}"') for d in rejects if not dropped[match_key(d.name)]
    ]
    resolution = resolve(kept, gazetteer)
    reshaping = [d for d in curation.decisions if d.kind != "reject"]
    if not reshaping:
        return kept, resolution, CurationReport(tuple(applied), tuple(unapplied))
    entities = _Entities(resolution, kept, taken=set(gazetteer.entries), base_iri=base_iri)
    for decision in reshaping:
        try:
            entities.apply(decision)
        except _Unapplied as why:
            unapplied.append((decision, str(why)))
        else:
            applied.append(decision)
    report = CurationReport(sorted_decisions(applied), tuple(sorted(unapplied, key=_by_decision)))
    return kept, entities.resolution(), report


def _by_decision(item: tuple[Decision, str]) -> tuple[int, str, str, str]:
    return item[0].sort_key()


def _without_forms(
    extractions: Sequence[ArticleExtraction], forms: set[str]
) -> tuple[list[ArticleExtraction], Counter[str]]:
    """The extractions without the mentions written as any of `forms` (match keys), and
    how many mentions each form lost."""
    dropped: Counter[str] = Counter()
    if not forms:
        return list(extractions), dropped
    kept = []
    for extraction in extractions:
        mentions = []
        for mention in extraction.mentions:
            rejected = _keys(mention) & forms
            dropped.update(rejected)
            if not rejected:
                mentions.append(mention)
        changed = len(mentions) != len(extraction.mentions)
        kept.append(replace(extraction, mentions=tuple(mentions)) if changed else extraction)
    return kept, dropped


def _keys(mention: EntityMention) -> set[str]:
    """The match keys of what a mention was written as."""
    return {match_key(form) for form in (mention.name, *mention.forms)}


class _Entities:
    """A resolution being curated: its entities by key, findable by name, and their mentions."""

    def __init__(
        self,
        resolution: Resolution,
        extractions: Iterable[ArticleExtraction],
        *,
        taken: set[str],
        base_iri: str,
    ) -> None:
        self.base_iri = base_iri
        self.gazetteer_keys = frozenset(taken)
        self.by_key: dict[str, Entity] = {}
        self.by_label: dict[str, set[str]] = defaultdict(set)  # match key → entity keys
        self.by_alias: dict[str, set[str]] = defaultdict(set)
        for entity in resolution.entities:
            self._put(entity)
        self.mention_entity = dict(resolution.mention_entity)  # its order kept: stable output
        self.resolved = resolution  # as resolution left it: its reasons name its nodes
        self.mentions: dict[MentionRef, EntityMention] = {
            (e.article.source_file, m.start): m for e in extractions for m in e.mentions
        }
        self.members: dict[str, list[MentionRef]] = defaultdict(list)
        for ref, key in self.mention_entity.items():
            self.members[key].append(ref)

    def resolution(self) -> Resolution:
        entities = tuple(self.by_key[key] for key in sorted(self.by_key))
        return Resolution(entities, self.mention_entity, self._reasons())

    def _reasons(self) -> tuple[FormReason, ...]:
        """Resolution's reasons, each where its form's mentions are now: a form the analyst's
        decisions moved is on its new node by the rule `Curated` (see `Resolution.reasons`)."""
        written: dict[tuple[str, str], list[MentionRef]] = defaultdict(list)
        for ref, key in self.resolved.mention_entity.items():
            for form in _forms(self.mentions[ref]):
                written[(key, form)].append(ref)
        found: dict[tuple[str, str, FormRule], set[str]] = defaultdict(set)
        for reason in self.resolved.reasons:
            for ref in written[(reason.entity, reason.form)]:
                node = self.mention_entity.get(ref)
                if ref[0] in reason.articles and node is not None:
                    rule: FormRule = reason.rule if node == reason.entity else "Curated"
                    found[(node, reason.form, rule)].add(ref[0])
        return tuple(
            FormReason(node, form, rule, tuple(sorted(sources)))
            for (node, form, rule), sources in sorted(found.items())
        )

    def apply(self, decision: Decision) -> None:
        """Reshape the resolution as `decision` says (raising `_Unapplied` when it cannot)."""
        steps = {
            "split": self.split,
            "join": self.join,
            "class": self.set_class,
            "label": self.set_label,
        }
        steps[decision.kind](decision)

    def find(self, name: str) -> Entity:
        """The entity `name` names: an IRI or `id:` key, else a label, else an alias."""
        if is_iri(name):
            key = name.removeprefix(ID_PREFIX).removeprefix(self.base_iri)
            if key in self.by_key:
                return self.by_key[key]
            raise _Unapplied(f"no node {name} in this build")
        wanted = match_key(name)
        for index in (self.by_label, self.by_alias):
            keys = index.get(wanted, set())
            if len(keys) == 1:
                return self.by_key[next(iter(keys))]
            if keys:
                found = ", ".join(f"id:{key}" for key in sorted(keys))
                raise _Unapplied(f'"{name}" names {len(keys)} nodes ({found}); give an IRI')
        raise _Unapplied(f'no node is named "{name}" in this build')

    def split(self, decision: Decision) -> None:
        """Move the mentions written as the form to a node of their own; the alias goes too."""
        form, old = decision.name, self.find(decision.other)
        if is_iri(form):
            raise _Unapplied(f"{form} is an IRI; give the written form to split off")
        key = match_key(form)
        if key == match_key(old.label):
            raise _Unapplied(f'"{form}" is the label of id:{old.key}; split another form off')
        moved: list[MentionRef] = []
        stays: list[MentionRef] = []
        for ref in self.members[old.key]:
            (moved if key in _keys(self.mentions[ref]) else stays).append(ref)
        if not moved and all(match_key(a) != key for a in old.alt_labels):
            self.find(form)  # named by another node: they are apart already
            return
        moved_forms = self._forms(moved) - self._forms(stays)
        aliases = [a for a in old.alt_labels if match_key(a) != key and a not in moved_forms]
        self._replace(old.key, replace(old, alt_labels=tuple(aliases), articles=_sources(stays)))
        if moved:
            self._put(self._split_off(form, moved, old.entity_class))
            if not stays and not self._referenced(old.key):
                self._drop(old.key)  # every mention left it: a node no article names is not kept

    def _split_off(self, form: str, moved: list[MentionRef], entity_class: EntityClass) -> Entity:
        """A node for the mentions `moved` off another: labelled as the form is most often
        written, keyed by its slug, of the class the other has; the mentions move to it."""
        names = Counter(self.mentions[ref].name for ref in moved)
        written = sorted(
            (-n, name) for name, n in names.items() if match_key(name) == match_key(form)
        )
        label = written[0][1] if written else form
        key = self._free_key(f"{CLASS_FOLDERS[entity_class]}/{slugify(form)}", form)
        acts_for = {state for ref in moved for state in self.mentions[ref].acts_for}
        self._assign(moved, key)
        return Entity(
            key=key,
            entity_class=entity_class,
            label=label,
            alt_labels=tuple(sorted(self._forms(moved) - {label})),
            articles=_sources(moved),
            acts_for=tuple(sorted(acts_for & self.by_key.keys())),
        )

    def _forms(self, refs: Iterable[MentionRef]) -> set[str]:
        """Every form the mentions `refs` were written as."""
        return {form for ref in refs for form in _forms(self.mentions[ref])}

    def join(self, decision: Decision) -> None:
        """Merge the second node into the first, which keeps its IRI, label and class."""
        kept, other = self.find(decision.name), self.find(decision.other)
        if kept.key == other.key:
            return
        self._replace(
            kept.key,
            replace(
                kept,
                alt_labels=tuple(
                    sorted(_union(kept.alt_labels, other.alt_labels, [other.label]) - {kept.label})
                ),
                articles=tuple(sorted(_union(kept.articles, other.articles))),
                same_as=tuple(sorted(_union(kept.same_as, other.same_as))),
                located_in=_others(_union(kept.located_in, other.located_in), kept, other),
                demonyms=tuple(sorted(_union(kept.demonyms, other.demonyms))),
                acts_for=_others(_union(kept.acts_for, other.acts_for), kept, other),
            ),
        )
        self._drop(other.key)
        self._move(other.key, kept.key)

    def set_label(self, decision: Decision) -> None:
        """Give the node the label; its old label stays one of its aliases."""
        entity, label = self.find(decision.name), decision.other
        aliases = _union(entity.alt_labels, [entity.label]) - {label}
        self._replace(entity.key, replace(entity, label=label, alt_labels=tuple(sorted(aliases))))

    def set_class(self, decision: Decision) -> None:
        """Give the node the class; a node of our own minting moves to that class's folder."""
        entity = self.find(decision.name)
        entity_class: EntityClass = decision.other  # type: ignore[assignment]  # a class, as read
        if entity.entity_class == entity_class:
            return
        key = entity.key
        if key not in self.gazetteer_keys:
            key = self._free_key(f"{CLASS_FOLDERS[entity_class]}/{key.partition('/')[2]}", key)
        self._drop(entity.key)
        self._put(replace(entity, key=key, entity_class=entity_class))
        if key != entity.key:
            self._move(entity.key, key)

    def _free_key(self, key: str, name: str) -> str:
        """`key`, or when a node or gazetteer entry has it, `key` and a digest of `name`."""
        taken = key in self.by_key or key in self.gazetteer_keys
        return f"{key}-{name_digest(name)}" if taken else key

    def _referenced(self, key: str) -> bool:
        return any(key in e.located_in or key in e.acts_for for e in self.by_key.values())

    def _assign(self, refs: list[MentionRef], key: str) -> None:
        """Make the mentions `refs`, all of one node, mentions of node `key`."""
        leaving = set(refs)
        old = self.mention_entity[refs[0]]
        self.members[old] = [ref for ref in self.members[old] if ref not in leaving]
        self.members[key].extend(refs)
        for ref in refs:
            self.mention_entity[ref] = key

    def _move(self, old: str, new: str) -> None:
        """Point every mention and every reference of node `old` at node `new`."""
        if self.members[old]:
            self._assign(list(self.members[old]), new)
        del self.members[old]
        for entity in list(self.by_key.values()):
            if old in entity.located_in or old in entity.acts_for:
                self._replace(
                    entity.key,
                    replace(
                        entity,
                        located_in=_renamed(entity.located_in, old, new, entity.key),
                        acts_for=_renamed(entity.acts_for, old, new, entity.key),
                    ),
                )

    def _replace(self, key: str, entity: Entity) -> None:
        self._drop(key)
        self._put(entity)

    def _put(self, entity: Entity) -> None:
        self.by_key[entity.key] = entity
        self.by_label[match_key(entity.label)].add(entity.key)
        for alias in entity.alt_labels:
            self.by_alias[match_key(alias)].add(entity.key)

    def _drop(self, key: str) -> None:
        entity = self.by_key.pop(key)
        self.by_label[match_key(entity.label)].discard(key)
        for alias in entity.alt_labels:
            self.by_alias[match_key(alias)].discard(key)


def _forms(mention: EntityMention) -> tuple[str, ...]:
    return (mention.name, *mention.forms)


def _sources(refs: Iterable[MentionRef]) -> tuple[str, ...]:
    return tuple(sorted({source for source, _ in refs}))


def _union(*groups: Iterable[str]) -> set[str]:
    return {item for group in groups for item in group}


def _others(keys: set[str], *entities: Entity) -> tuple[str, ...]:
    """`keys` without the joined nodes' own: a node does not lie in itself."""
    return tuple(sorted(keys - {e.key for e in entities}))


def _renamed(keys: tuple[str, ...], old: str, new: str, own: str) -> tuple[str, ...]:
    return tuple(sorted({new if k == old else k for k in keys} - {own}))
