"""The validation report: one `Violation` per SHACL result, and a summary."""

from __future__ import annotations

import json
import typing
from collections import Counter
from dataclasses import dataclass
from typing import TypeAlias

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.namespaces import PREFIXES

Severity: TypeAlias = typing.Literal["Violation", "Warning", "Info"]

_LONG_LITERAL = 80  # characters of a literal value shown in a report line


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL validation result: which node breaks which shape, and how.

    Attributes:
        focus_node: the node that does not conform.
        path: the property concerned, or None for a constraint on the node itself
            (a path other than a predicate is given as a Literal in SPARQL syntax).
        shape: the violated shape (`kgsh:EventEvidenceShape`).
        shape_label: the shape's rdfs:label ("Event evidence"), or its IRI.
        message: what is wrong (the shape's sh:message, or the engine's own).
        severity: "Violation", "Warning" or "Info".
        value: the offending value, when there is one.
        constraint: the SHACL constraint component ("MinCount", "Datatype"…).
        found: for a too-many-values result, the values the node has.
    """

    focus_node: Node
    path: Node | None
    shape: Node
    shape_label: str
    message: str
    severity: Severity
    value: Node | None = None
    constraint: str = ""
    found: tuple[Node, ...] = ()

    def line(self) -> str:
        """One readable line: focus node, path, message, then the shape and value."""
        detail = f"shape: {self.shape_label}"
        if self.value is not None and self.value != self.focus_node:
            detail += f"; value: {show_term(self.value)}"
        if self.found:
            detail += "; found: " + ", ".join(show_term(v) for v in self.found)
        parts = [show_term(self.focus_node)]
        if self.path is not None:
            parts.append(show_term(self.path))
        return f"{self.severity}: {' '.join(parts)}: {self.message} [{detail}]"

    def sort_key(self) -> tuple[str, ...]:
        """Reports list results by focus node, path, shape, message and value."""
        return (
            self.focus_node.n3(),
            self.path.n3() if self.path is not None else "",
            self.shape_label,
            self.message,
            self.value.n3() if self.value is not None else "",
        )


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of `validate_graph` or `validate_store`.

    Attributes:
        conforms: True when no result has severity "Violation".
        violations: every result (warnings included), sorted by focus node, path and shape.
        triples: how many data triples were handed to the engine (a triple that
            two named graphs state, or that two chunks of a store need, counts twice).
    """

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    @classmethod
    def of(cls, violations: typing.Iterable[Violation], triples: int) -> ValidationReport:
        """The report of these results, sorted, each once."""
        ordered = tuple(sorted(set(violations), key=Violation.sort_key))
        conforms = all(v.severity != "Violation" for v in ordered)
        return cls(conforms=conforms, violations=ordered, triples=triples)

    @property
    def summary(self) -> str:
        """One line: "validation: conforms" or what failed, counted."""
        if not self.violations:
            return "validation: conforms"
        counts = Counter(v.severity for v in self.violations)
        by_severity = ", ".join(
            f"{n} {severity.lower()}{'s' if n > 1 else ''}"
            for severity, n in sorted(counts.items())
        )
        nodes = len({v.focus_node for v in self.violations})
        shapes = Counter(v.shape_label for v in self.violations)
        worst = "; ".join(f"{label} ×{n}" for label, n in sorted(shapes.items()))
        verdict = "conforms with" if self.conforms else "does not conform:"
        return (
            f"validation: {verdict} {by_severity} on {nodes} node{'s' if nodes > 1 else ''} "
            f"({worst})"
        )

    @property
    def text(self) -> str:
        """The readable report: one line per result, then the summary."""
        return "\n".join([*(v.line() for v in self.violations), self.summary])


def show_term(term: Node) -> str:
    """A term on one line: `kg:agent` for vocabulary IRIs, `<…>` for others, quoted literals."""
    if isinstance(term, Literal):
        text = str(term)
        if len(text) > _LONG_LITERAL:
            text = text[: _LONG_LITERAL - 1] + "…"
        quoted = json.dumps(text, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype is not None:
            return f"{quoted}^^{show_term(term.datatype)}"
        return quoted
    if isinstance(term, URIRef):
        iri = str(term)
        for prefix, namespace in PREFIXES.items():
            local = iri.removeprefix(str(namespace))
            if local != iri and local and not any(c in local for c in "/#?"):
                return f"{prefix}:{local}"
        return f"<{iri}>"
    return term.n3()
