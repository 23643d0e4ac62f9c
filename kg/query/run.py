"""Run SPARQL over a loaded graph, with parameters bound by the engine.

The default graph is the union of every named graph (pyoxigraph's
`use_default_graph_as_union`), so a plain pattern sees what all articles say
and `GRAPH ?article { … }` asks which article says it. Triple stores answer
the same way once told to: Oxigraph with `--union-default-graph` or
`?union-default-graph`, Fuseki with `tdb2:unionDefaultGraph true`; GraphDB
does by default. The union repeats a triple once per graph that holds it,
which is why the shipped queries use DISTINCT and COUNT(DISTINCT …).

Every query passes `kg.query.guard` first. This runs in the calling
process, with no way to stop it; `kg.query.worker` runs queries where they
can be stopped.

Reference: https://github.com/w3c/sparql-dev/blob/main/SEP/SEP-0007/sep-0007.md
(the substitution pyoxigraph applies for `--param`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import TypeAlias

from pyoxigraph import Literal, NamedNode, QueryBoolean, QuerySolutions, Store, Triple, Variable

from kg.query.guard import check_query
from kg.query.terms import Term

# A CONSTRUCT or DESCRIBE answer is any iterable of triples: pyoxigraph's
# QueryTriples here, a parsed list when it comes from an endpoint.
Results: TypeAlias = QuerySolutions | QueryBoolean | Iterable[Triple]

_POSITION = re.compile(r"error at (\d+):\d+")


class QueryError(ValueError):
    """A query that cannot run: malformed, or with a parameter it cannot bind."""


def syntax_error(query: str, message: str) -> QueryError:
    """The parser's message ("error at LINE:COLUMN: expected …") and the line it points at."""
    found = _POSITION.search(message)
    lines = query.splitlines()
    if found and 1 <= int(found[1]) <= len(lines):
        number = int(found[1])
        message += f"\n  line {number}: {lines[number - 1].strip()}"
    return QueryError(f"malformed query: {message}")


def run_query(
    store: Store,
    query: str,
    *,
    params: Mapping[str, NamedNode | Literal] | None = None,
    default_graphs: Sequence[NamedNode] = (),
    named_graphs: Sequence[NamedNode] = (),
    allow_service: bool = False,
) -> Results:
    """Answer `query` from `store`, binding each `params` entry to the variable of that name.

    A parameter must be one of the query's result variables (pyoxigraph
    checks), which is also what lets an endpoint give the same rows (see
    `kg.store.remote`). `default_graphs` and `named_graphs` are the SPARQL
    Protocol's dataset (`default-graph-uri`, `named-graph-uri`): either one
    given, the default graph is no longer the union but just the first, and
    GRAPH sees only the second. SERVICE is refused unless `allow_service`.

    Raises:
        QueryRefused: for a query over the size or nesting limit, or (as
            ServiceRefused) one with SERVICE when not allowed.
        QueryError: for a malformed query (with line and column), a parameter
            the query does not return, or a failed SERVICE call.
    """
    check_query(query, allow_service=allow_service)
    substitutions: dict[Variable, Term] = {
        Variable(name): term for name, term in (params or {}).items()
    }
    try:
        return store.query(
            query,
            use_default_graph_as_union=not default_graphs and not named_graphs,
            default_graph=list(default_graphs) or None,
            named_graphs=list(named_graphs) or None,
            substitutions=substitutions,
        )
    except SyntaxError as err:
        raise syntax_error(query, str(err)) from err
    except (RuntimeError, OSError) as err:
        raise QueryError(str(err)) from err
