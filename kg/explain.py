"""Why a node is what it is, for people: the decisions a build recorded in graph/resolution.

`kg explain NAME|IRI` finds the nodes a name or IRI denotes and prints, for
an entity, its surface forms grouped by the rule that joined them, with the
articles that wrote each; for an event, the article that first reported it
and, for each later one, the tie that joined its claims; for a role, the
articles that did not say for whom it is held and the rule that gave it
its holder. A name no node
bears is answered with the nearest nodes by the resolver's own keys
(`kg.names.match_key`, surname keys) and why such names stay apart.

Everything is read by store lookups with the name as a term, never pasted
into a query; text from articles is printed through `printable`.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple, get_args

import pyoxigraph as ox
from rdflib.namespace import OWL, RDFS

from kg.graph import ALT_LABEL, DERIVED_FROM, LABEL, A, kg
from kg.graphio import LoadedGraph, read_quads
from kg.names import match_key
from kg.namespaces import KG, Prefixes
from kg.query.output import printable
from kg.records import FormRule, RoleRule, TieRule
from kg.resolve.entities import surname_keys
from kg.resources import ontology_dir

SHOWN_ARTICLES = 5  # articles listed for one form before "and N more"
SHOWN_CANDIDATES = 10
WIDTH = 100  # columns the rules' meanings are wrapped to
_COMMENT = ox.NamedNode(str(RDFS.comment))
_NAMED_INDIVIDUAL = ox.NamedNode(str(OWL.NamedIndividual))
_RULE_ORDER = {
    name: i for i, name in enumerate((*get_args(FormRule), *get_args(TieRule), *get_args(RoleRule)))
}
_KG = str(KG)
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


@dataclass(frozen=True, slots=True)
class Rule:
    """A merge rule as the ontology describes it."""

    name: str  # the kg: local name, 'GazetteerAlias'
    label: str
    comment: str


@cache
def merge_rules() -> dict[str, Rule]:
    """The kg:MergeRule individuals of ontology/newskg.ttl, by local name: the one text of
    what each rule means."""
    rules: dict[str, Rule] = {}
    _, quads, _ = read_quads(ontology_dir() / "newskg.ttl")
    texts: dict[tuple[str, str], str] = {}
    individuals: set[str] = set()
    for quad in quads:
        subject = quad.subject.value if isinstance(quad.subject, ox.NamedNode) else ""
        if quad.predicate == A and quad.object == _NAMED_INDIVIDUAL:
            individuals.add(subject)
        elif quad.predicate in (LABEL, _COMMENT) and isinstance(quad.object, ox.Literal):
            texts[(subject, quad.predicate.value)] = quad.object.value
    for iri in individuals:
        name = iri.removeprefix(_KG)
        rules[name] = Rule(name, texts[(iri, LABEL.value)], texts[(iri, _COMMENT.value)])
    return rules


@dataclass(frozen=True, slots=True)
class Decision:
    """One recorded decision about a node (see kg.graph.resolution_graph)."""

    rule: str
    articles: tuple[str, ...]  # source files
    form: str | None = None
    tied_to: str | None = None
    shared: tuple[str, ...] = ()  # labels of the entities both tied claims name


class Explanation(NamedTuple):
    """What `kg explain` prints, and whether the name or IRI denoted any node."""

    lines: list[str]
    found: bool


class Explainer:
    """Reads one loaded build graph; its answers are lists of printable lines."""

    def __init__(self, graph: LoadedGraph) -> None:
        self.store = graph.store
        self.union_only = graph.union_only
        self.prefixes = Prefixes.for_base(graph.base_iri)
        self._entities = ox.NamedNode(graph.base_iri + "graph/entities")

    def explain(self, text: str) -> Explanation:
        """Why each node `text` names (a name, an IRI, or `id:…`) is what it is."""
        nodes = self.nodes(text)
        if not nodes:
            return Explanation(self._unmatched(text), found=False)
        lines: list[str] = []
        for node in nodes:
            if lines:
                lines.append("")
            lines += self._node(node)
        if len(nodes) > 1:
            lines += ["", *self._apart(nodes)]
        return Explanation(lines, found=True)

    def nodes(self, text: str) -> list[ox.NamedNode]:
        """The nodes `text` denotes: by IRI, by a label, alias or surface form, or failing
        that by a name with the same match key (spelling aside)."""
        iri = self._iri(text)
        if iri is not None:
            try:
                node = ox.NamedNode(iri)
            except ValueError:  # no IRI at all: no node
                return []
            return [node] if next(self.store.quads_for_pattern(node, None, None), None) else []
        literal = ox.Literal(text.strip())
        found: set[Term] = {
            q.subject
            for predicate in (LABEL, ALT_LABEL)
            for q in self.store.quads_for_pattern(None, predicate, literal)
        }
        for quad in self.store.quads_for_pattern(None, kg("surfaceForm"), literal):
            found.update(self._objects(quad.subject, kg("mergedInto")))
        if not found:
            key = match_key(text)
            found = {n for n, name in self._entity_names() if match_key(name) == key}
        return sorted((n for n in found if isinstance(n, ox.NamedNode)), key=lambda n: n.value)

    def _iri(self, text: str) -> str | None:
        text = text.strip()
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if text.startswith(("http://", "https://")):
            return text
        expanded = self.prefixes.expand(text)
        return expanded if expanded and " " not in text else None

    def _node(self, node: ox.NamedNode) -> list[str]:
        label = self._label(node)
        classes = sorted(
            o.value.removeprefix(_KG)
            for o in self._objects(node, A)
            if isinstance(o, ox.NamedNode) and o.value.startswith(_KG)
        )
        kinds = ", ".join(classes) or "no class"
        lines = [f"{printable(label)}  [{kinds}]  {self._name(node)}"]
        decisions = self.decisions(node)
        if next(self.store.quads_for_pattern(node, A, None, self._entities), None):
            return lines + self._forms([d for d in decisions if d.form is not None])
        if "Role" in classes:
            return lines + self._holders(node, decisions)
        if self._reports(node):
            return lines + self._ties(node, [d for d in decisions if d.tied_to is not None])
        return [*lines, "  resolution recorded nothing about it: it is no entity, event or role"]

    def decisions(self, node: ox.NamedNode) -> list[Decision]:
        """What graph/resolution records about `node`, in a stable order."""
        found = []
        for quad in self.store.quads_for_pattern(None, kg("mergedInto"), node):
            decision = quad.subject
            rule = next(iter(self._objects(decision, kg("mergeRule"))), None)
            if not isinstance(rule, ox.NamedNode):
                continue
            form = next(iter(self._objects(decision, kg("surfaceForm"))), None)
            tied = next(iter(self._objects(decision, kg("tiedTo"))), None)
            shared = sorted(self._label(k) for k in self._objects(decision, kg("sharedArgument")))
            found.append(
                Decision(
                    rule=rule.value.removeprefix(_KG),
                    articles=tuple(
                        sorted(self._source(a) for a in self._objects(decision, kg("mergedFrom")))
                    ),
                    form=form.value if isinstance(form, ox.Literal) else None,
                    tied_to=self._source(tied) if tied is not None else None,
                    shared=tuple(shared),
                )
            )
        return sorted(
            found,
            key=lambda d: (
                _RULE_ORDER.get(d.rule, len(_RULE_ORDER)),
                (d.form or "").casefold(),
                d.articles,
            ),
        )

    def _forms(self, decisions: list[Decision]) -> list[str]:
        if not decisions:
            return ["  no surface form recorded: no article named it (a state an organ acts for?)"]
        lines = ["  its names, by the rule that joined them:"]
        by_rule: dict[str, list[Decision]] = defaultdict(list)
        for decision in decisions:
            by_rule[decision.rule].append(decision)
        for rule, group in by_rule.items():
            lines += self._rule_text(rule, indent=4)
            for decision in group:
                lines.append(
                    f'      "{printable(decision.form or "")}" in {_articles(decision.articles)}'
                )
        return lines

    def _ties(self, node: ox.NamedNode, decisions: list[Decision]) -> list[str]:
        reports = self._reports(node)
        joined = {d.articles[0] for d in decisions if d.articles}
        first = sorted(set(reports) - joined)
        lines = [f"  reported by {len(reports)} article(s); made from {_articles(first)}"]
        if decisions:
            lines.append("  joined from other articles, each on its tie:")
        for decision in decisions:
            sharing = (
                f", both naming {', '.join(map(printable, decision.shared))}"
                if decision.shared
                else ""
            )
            rule = merge_rules().get(decision.rule)
            lines.append(
                f"    {_articles(decision.articles)}: {rule.label if rule else decision.rule}"
                f", tied to {printable(decision.tied_to or '')}{sharing}"
            )
        if decisions:
            lines.append("  what the ties mean:")
        for rule_name in dict.fromkeys(d.rule for d in decisions):
            lines += self._rule_text(rule_name, indent=4)
        return lines

    def _holders(self, node: ox.NamedNode, decisions: list[Decision]) -> list[str]:
        reports = self._reports(node)
        holders = ", ".join(printable(self._label(o)) for o in self._objects(node, kg("roleOf")))
        people = {q.subject for q in self.store.quads_for_pattern(None, kg("hasRole"), node)}
        who = ", ".join(sorted(printable(self._label(p)) for p in people)) or "someone"
        lines = [f"  {who}, for {holders or 'no one named'}; stated in {_articles(reports)}"]
        if not decisions:
            return [*lines, "  each of them says for whom it is held"]
        lines.append("  articles that did not say for whom, and the rule that gave it:")
        for decision in decisions:
            lines += self._rule_text(decision.rule, indent=4)
            lines.append(f"      {_articles(decision.articles)}")
        return lines

    def _reports(self, node: ox.NamedNode) -> list[str]:
        """The articles whose graphs state claims about an event."""
        return sorted(
            {self._source(q.object) for q in self.store.quads_for_pattern(node, DERIVED_FROM, None)}
        )

    def _rule_text(self, rule: str, *, indent: int) -> list[str]:
        """A rule's label and what it means, wrapped, the meaning indented under the label."""
        known = merge_rules().get(rule)
        text = f"{known.label}: {known.comment}" if known else rule
        return textwrap.wrap(
            text, WIDTH, initial_indent=" " * indent, subsequent_indent=" " * (indent + 4)
        )

    def _unmatched(self, text: str) -> list[str]:
        lines = [f'no node is named "{printable(text)}" in this graph.']
        candidates = list(self._candidates(text))
        if not candidates:
            return [*lines, "no node shares its match key, surname or a word with it."]
        lines.append("nearest nodes, and why such names stay apart:")
        for node, why in candidates[:SHOWN_CANDIDATES]:
            lines.append(f"  {printable(self._label(node))} {self._name(node)}: {why}")
        if len(candidates) > SHOWN_CANDIDATES:
            lines.append(f"  … and {len(candidates) - SHOWN_CANDIDATES} more")
        return lines

    def _candidates(self, text: str) -> Iterator[tuple[ox.NamedNode, str]]:
        """Nodes near a name by the resolver's keys: one surname, or a word in common."""
        words = text.split()
        surnames = {match_key(text)} if len(words) == 1 else set(surname_keys(text))
        word_keys = {match_key(w) for w in words} - {""}
        persons = self._persons()
        bearers: dict[ox.NamedNode, str] = {}
        for node, name in self._entity_names():
            if node in persons and surnames & surname_keys(name):
                bearers.setdefault(node, name)
        seen: set[ox.NamedNode] = set()
        for node in sorted(bearers, key=lambda n: n.value):
            seen.add(node)
            if len(words) > 1:
                why = "the same surname, another full name: full names join only by match key"
            elif len(bearers) > 1:
                why = (
                    f"one of {len(bearers)} persons with this surname: a lone surname joins a "
                    "person only when its article, or else the corpus, names no other"
                )
            else:
                why = (
                    "the only person with this surname, whom a lone surname would join; no "
                    "article of this build wrote it as a name resolution kept"
                )
            yield node, why
        shared: dict[ox.NamedNode, str] = {}
        for node, name in self._entity_names():
            if node not in seen and word_keys & {match_key(w) for w in name.split()}:
                shared.setdefault(node, name)
        for node in sorted(shared, key=lambda n: n.value):
            yield (
                node,
                (
                    f'shares a word with "{printable(shared[node])}": resolution joins whole names '
                    "(by match key, gazetteer alias or surname), never part of one"
                ),
            )

    def _apart(self, nodes: list[ox.NamedNode]) -> list[str]:
        """Why nodes that one name denotes were not joined."""
        classes = {node: frozenset(self._objects(node, A)) for node in nodes}
        lines = [f"{len(nodes)} nodes bear this name and stayed apart:"]
        first = nodes[0]
        for node in nodes[1:]:
            if classes[node] != classes[first]:
                why = (
                    "different classes: a name read as a person joins only a known person, "
                    "and a known entry only names of its own kind"
                )
            else:
                why = (
                    "the same class, but each has its own gazetteer entry or full name, "
                    "and a name joins one node only"
                )
            lines.append(f"  {self._name(first)} and {self._name(node)}: {why}")
        return lines

    def _entity_names(self) -> Iterator[tuple[ox.NamedNode, str]]:
        for predicate in (LABEL, ALT_LABEL):
            for quad in self.store.quads_for_pattern(None, predicate, None, self._entities):
                if isinstance(quad.object, ox.Literal) and isinstance(quad.subject, ox.NamedNode):
                    yield quad.subject, quad.object.value

    def _persons(self) -> set[Term]:
        person = ox.NamedNode(str(KG.Person))
        return {q.subject for q in self.store.quads_for_pattern(None, A, person, self._entities)}

    def _objects(self, node: Term, predicate: ox.NamedNode) -> list[Term]:
        if isinstance(node, ox.Literal):
            return []
        return sorted(
            {q.object for q in self.store.quads_for_pattern(node, predicate, None)}, key=str
        )

    def _label(self, node: Term) -> str:
        labels = self._objects(node, LABEL) or self._objects(node, kg("title"))
        return labels[0].value if labels and isinstance(labels[0], ox.Literal) else self._name(node)

    def _source(self, article: Term) -> str:
        files = (
            self._objects(article, kg("sourceFile")) if isinstance(article, ox.NamedNode) else []
        )
        return files[0].value if files and isinstance(files[0], ox.Literal) else self._name(article)

    def _name(self, node: Term) -> str:
        return self.prefixes.compact(node.value) if isinstance(node, ox.NamedNode) else str(node)


def _articles(sources: Iterable[str]) -> str:
    shown = list(sources)
    text = ", ".join(printable(s) for s in shown[:SHOWN_ARTICLES])
    if len(shown) > SHOWN_ARTICLES:
        text += f" and {len(shown) - SHOWN_ARTICLES} more"
    return text or "no article"
