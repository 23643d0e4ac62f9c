"""RDF terms as people type and read them: `--param` values in, table cells out.

Both directions use the same prefixes (the vocabulary's and `id:` for
instances), so an IRI a table shows as `id:event/322a…` can be passed back
as `--param event=id:event/322a…`. A parameter becomes an RDF term that the
engine binds; it is never pasted into query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import PREFIXES as VOCABULARY_PREFIXES

Term = NamedNode | BlankNode | Literal | Triple

PREFIXES: dict[str, str] = {
    **{prefix: str(namespace) for prefix, namespace in VOCABULARY_PREFIXES.items()},
    "id": DEFAULT_BASE_IRI,
}
# Longest namespace first, so `id:` never shadows a longer one beneath it.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: -len(item[1]))
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ParameterError(ValueError):
    """A `--param` that cannot be bound: malformed, repeated, or not a valid IRI."""


def compact_iri(iri: str) -> str:
    """`https://w3id.org/newskg/id/person/x` → `id:person/x`; other IRIs unchanged."""
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def parse_term(text: str) -> NamedNode | Literal:
    """`<IRI>` or `prefix:name` (a prefix `compact_iri` uses) is an IRI; anything else a string.

    Raises:
        ParameterError: for an IRI that is not valid.
    """
    prefix, colon, local = text.partition(":")
    if text.startswith("<") and text.endswith(">"):
        iri = text[1:-1]
    elif colon and prefix in PREFIXES:
        iri = PREFIXES[prefix] + local
    else:
        return Literal(text)
    try:
        return NamedNode(iri)
    except ValueError as err:
        raise ParameterError(f"{text!r} is not a valid IRI: {err}") from err


def parse_params(texts: Iterable[str]) -> dict[str, NamedNode | Literal]:
    """`["person=Donald Trump"]` → `{"person": Literal("Donald Trump")}`.

    Raises:
        ParameterError: for a text without `=`, a name that is no SPARQL
            variable name, or a name given twice.
    """
    params: dict[str, NamedNode | Literal] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        name = name.strip().lstrip("?$")
        if not equals or not _VARIABLE.fullmatch(name):
            raise ParameterError(f"--param {text!r}: give NAME=VALUE, e.g. person='Donald Trump'")
        if name in params:
            raise ParameterError(f"--param {name} is given twice")
        params[name] = parse_term(value)
    return params
