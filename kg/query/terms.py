"""RDF terms as people type and read them: `--param` values in, table cells out.

Both directions use the same prefixes (`kg.namespaces.Prefixes`: the
vocabulary's, and `id:` for the instances of the graph asked, whatever base
IRI it was built with), so an IRI a table shows as `id:event/322a…` can be
passed back as `--param event=id:event/322a…`. A parameter becomes an RDF term that the
engine binds; it is never pasted into query text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import Prefixes

Term = NamedNode | BlankNode | Literal | Triple

# `id:` for graphs built with the default base IRI, and for endpoints, whose base is not known.
DEFAULT_PREFIXES = Prefixes.for_base(DEFAULT_BASE_IRI)
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ParameterError(ValueError):
    """A `--param` that cannot be bound: malformed, repeated, or not a valid IRI."""


def parse_term(text: str, prefixes: Prefixes = DEFAULT_PREFIXES) -> NamedNode | Literal:
    """`<IRI>` or `prefix:name` (one of `prefixes`) is an IRI; anything else a string.

    Raises:
        ParameterError: for an IRI that is not valid.
    """
    if text.startswith("<") and text.endswith(">"):
        iri: str | None = text[1:-1]
    else:
        iri = prefixes.expand(text)
    if iri is None:
        return Literal(text)
    try:
        return NamedNode(iri)
    except ValueError as err:
        raise ParameterError(f"{text!r} is not a valid IRI: {err}") from err


def parse_params(
    texts: Iterable[str], prefixes: Prefixes = DEFAULT_PREFIXES
) -> dict[str, NamedNode | Literal]:
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
        params[name] = parse_term(value, prefixes)
    return params
