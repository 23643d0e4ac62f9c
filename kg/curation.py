"""The analyst's curation: decisions about names that survive every rebuild.

A curation file (Turtle, `curation.ttl` by default) holds what an analyst
decided over the automatic rules: two names are one entity (`owl:sameAs`),
a form is a different entity from the one it was joined to
(`owl:differentFrom`), a form is no entity at all (`kg:NotAnEntity`), an
entity's label or class is given. Each name stands in a node of its own,
`[ kg:named "Victoria Base" ]`, and may be a label, any alias, or an IRI
(`id:base/…` or in full).

A build applies the file around resolution, the same way every time: a
rejected form's mentions are dropped before `kg.resolve.resolve` sees them;
splits, joins, classes and labels then reshape its `Resolution`, before
events and roles are resolved, so these point at the curated entities. A
decision whose names the build no longer holds is reported, and stays in
the file.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

import pyoxigraph as ox

from kg.atomic import atomic_write_text
from kg.defaults import DEFAULT_BASE_IRI
from kg.gazetteer import CLASS_FOLDERS, Gazetteer
from kg.graphio import GraphFileError, read_quads
from kg.names import match_key, name_digest, slugify
from kg.namespaces import KG, PREFIX_IRIS
from kg.records import ENTITY_CLASSES, ArticleExtraction, Entity, EntityClass, EntityMention
from kg.resolve import Resolution, resolve
from kg.resolve.entities import MentionRef

DecisionKind = Literal["reject", "split", "join", "class", "label"]
KINDS: tuple[DecisionKind, ...] = ("reject", "split", "join", "class", "label")  # applied so
ID_PREFIX = "id:"

_NAMED = ox.NamedNode(KG.named)
_NOT_AN_ENTITY = ox.NamedNode(KG.NotAnEntity)
_TYPE = ox.NamedNode(PREFIX_IRIS["rdf"] + "type")
_LABEL = ox.NamedNode(PREFIX_IRIS["rdfs"] + "label")
_PAIRS: dict[ox.NamedNode, DecisionKind] = {
    ox.NamedNode(PREFIX_IRIS["owl"] + "sameAs"): "join",
    ox.NamedNode(PREFIX_IRIS["owl"] + "differentFrom"): "split",
}
_CLASSES = {ox.NamedNode(KG[name]): name for name in ENTITY_CLASSES}
_HEADER = f"""\
# newskg curation: an analyst's decisions, applied by `kg build` over its own rules.
# A name is a label, any alias, or an IRI (id:… or in full). The first name of
# owl:sameAs is the node kept; the first name of owl:differentFrom is split off
# the second. kg join / split / reject / relabel add decisions and rewrite this
# file sorted, as below (comments other than this header are not kept).
@prefix kg: <{PREFIX_IRIS["kg"]}> .
@prefix owl: <{PREFIX_IRIS["owl"]}> .
@prefix rdfs: <{PREFIX_IRIS["rdfs"]}> .
"""


class CurationError(ValueError):
    """A curation file that cannot be read or written; the message names it and the fix."""


@dataclass(frozen=True, slots=True)
class Decision:
    """One decision: `name` is the form split off or rejected, the node kept, the node
    relabelled; `other` the node split from or joined in, the label, or the class."""

    kind: DecisionKind
    name: str
    other: str = ""

    def __str__(self) -> str:
        return {
            "reject": f'reject "{self.name}"',
            "split": f'split "{self.name}" from "{self.other}"',
            "join": f'join "{self.other}" into "{self.name}"',
            "class": f'class of "{self.name}" is {self.other}',
            "label": f'label of "{self.name}" is "{self.other}"',
        }[self.kind]

    @property
    def slot(self) -> tuple[str, frozenset[str]]:
        """What the decision decides: a later decision of the same slot replaces it
        (a split of two names undoes their join; a new label, the old one)."""
        names = {_name_key(self.name)}
        if self.kind in ("split", "join"):
            return "pair", frozenset({*names, _name_key(self.other)})
        return self.kind, frozenset(names)

    def turtle(self) -> str:
        """The decision as one line of the curation file."""
        node = f"[ kg:named {_quoted(self.name)} ]"
        if self.kind == "reject":
            return f"{node} a kg:NotAnEntity ."
        if self.kind == "class":
            return f"{node} a kg:{self.other} ."
        if self.kind == "label":
            return f"{node} rdfs:label {_quoted(self.other)} ."
        verb = "owl:sameAs" if self.kind == "join" else "owl:differentFrom"
        return f"{node} {verb} [ kg:named {_quoted(self.other)} ] ."

    def sort_key(self) -> tuple[int, str, str, str]:
        return (KINDS.index(self.kind), self.name.casefold(), self.name, self.other)


def _quoted(text: str) -> str:
    return str(ox.Literal(text))  # N-Triples escaping, which Turtle reads


def _name_key(name: str) -> str:
    """Names that find the same node compare equal: IRIs under the default base as `id:`
    ones, other IRIs as written, names by match key."""
    if _is_iri(name):
        return ID_PREFIX + name.removeprefix(ID_PREFIX).removeprefix(DEFAULT_BASE_IRI)
    return match_key(name)


def _is_iri(name: str) -> bool:
    return name.startswith(ID_PREFIX) or "://" in name


@dataclass(frozen=True, slots=True)
class Curation:
    """The decisions of one curation file, sorted; empty when there is none."""

    decisions: tuple[Decision, ...] = ()

    def added(self, decision: Decision) -> tuple[Curation, tuple[Decision, ...]]:
        """This curation with `decision`, and the decisions it replaced (same slot)."""
        replaced = tuple(d for d in self.decisions if d.slot == decision.slot)
        kept = [d for d in self.decisions if d.slot != decision.slot]
        return Curation(_sorted([*kept, decision])), replaced

    def of_kind(self, kind: DecisionKind) -> list[Decision]:
        return [d for d in self.decisions if d.kind == kind]

    def turtle(self) -> str:
        """The file's text: the header, then one line per decision, in order."""
        return _HEADER + "".join(f"\n{d.turtle()}" for d in self.decisions) + "\n"


def _sorted(decisions: Iterable[Decision]) -> tuple[Decision, ...]:
    return tuple(sorted(set(decisions), key=Decision.sort_key))


def read_curation(path: Path) -> Curation:
    """The decisions in the curation file at `path`.

    Raises:
        CurationError: not a .ttl file, missing, not valid Turtle, or a
            statement that is no decision (naming it and what is read).
    """
    _check_suffix(path)
    try:
        _, quads, _ = read_quads(path)
    except GraphFileError as err:
        raise CurationError(str(err)) from err
    names: dict[object, str] = {
        quad.subject: quad.object.value
        for quad in quads
        if quad.predicate == _NAMED and isinstance(quad.object, ox.Literal)
    }
    decisions = []
    for quad in quads:
        if quad.predicate != _NAMED:
            decisions.append(_decision(quad, names, path))
    return Curation(_sorted(decisions))


def _decision(quad: ox.Quad, names: dict[object, str], path: Path) -> Decision:
    """The decision one statement of the file makes."""

    def name_of(node: object) -> str:
        if isinstance(node, ox.NamedNode):
            return node.value
        if node in names:
            return names[node]
        raise CurationError(f'{path}: {node} names nothing; write [ kg:named "a name" ]')

    subject, predicate, obj = quad.subject, quad.predicate, quad.object
    if predicate == _TYPE and obj == _NOT_AN_ENTITY:
        return Decision("reject", name_of(subject))
    if predicate == _TYPE and obj in _CLASSES:
        return Decision("class", name_of(subject), _CLASSES[obj])  # type: ignore[index]
    if predicate == _LABEL and isinstance(obj, ox.Literal):
        return Decision("label", name_of(subject), obj.value)
    if predicate in _PAIRS:
        return Decision(_PAIRS[predicate], name_of(subject), name_of(obj))
    raise CurationError(
        f"{path}: {quad.triple} is no decision kg reads; use owl:sameAs, owl:differentFrom, "
        'rdfs:label "…", a kg:NotAnEntity, or a class such as kg:Place'
    )


def write_curation(path: Path, curation: Curation) -> None:
    """Write `curation` to `path` atomically, sorted: the same decisions, the same bytes."""
    _check_suffix(path)
    try:
        atomic_write_text(path, curation.turtle())
    except OSError as err:
        raise CurationError(f"cannot write {path}: {err.strerror or err}") from err


def _check_suffix(path: Path) -> None:
    if path.suffix.lower() != ".ttl":
        raise CurationError(f"{path}: a curation file is Turtle; give a name ending in .ttl")


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
    report = CurationReport(_sorted(applied), tuple(sorted(unapplied, key=_by_decision)))
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
        self.mentions: dict[MentionRef, EntityMention] = {
            (e.article.source_file, m.start): m for e in extractions for m in e.mentions
        }
        self.members: dict[str, list[MentionRef]] = defaultdict(list)
        for ref, key in self.mention_entity.items():
            self.members[key].append(ref)

    def resolution(self) -> Resolution:
        entities = tuple(self.by_key[key] for key in sorted(self.by_key))
        return Resolution(entities=entities, mention_entity=self.mention_entity)

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
        if _is_iri(name):
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
        if _is_iri(form):
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
