"""Ask a SPARQL 1.1 Protocol endpoint the questions `kg query` asks a file.

The query goes unchanged as the protocol's URL-encoded POST (`query=…`),
the one form every store takes (Virtuoso never answers a query sent as an
`application/sparql-query` body). `--param`
values are not pasted into it either (no string building, no VALUES block):
the endpoint answers the query as written, and only the rows whose
parameter variable equals the value are kept here. That is the same answer
`kg query` gets by binding the variable in the engine, because a parameter
must be a result variable in both. Filtering comes after any LIMIT, so the
shipped queries that take a parameter have none.

For the union default graph the queries expect, give Oxigraph's endpoint as
`http://HOST:7878/query?union-default-graph` (or start it with
`--union-default-graph`); Fuseki needs `tdb2:unionDefaultGraph true`;
Virtuoso's `/sparql` already answers over every graph it holds when the
query names none.

Reference: https://www.w3.org/TR/sparql11-protocol/#query-via-post-urlencoded
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from urllib.parse import urlencode

from pyoxigraph import (
    Literal,
    NamedNode,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    parse,
    parse_query_results,
)

from kg.query.run import Results
from kg.query.terms import ParameterError
from kg.store.http import DEFAULT_TIMEOUT, StoreError, authenticator, check_endpoint, send

_ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"


def _matching(body: bytes, params: Mapping[str, NamedNode | Literal]) -> bytes:
    """SPARQL JSON results keeping only the rows where each parameter's variable has its value."""
    solutions = parse_query_results(body, QueryResultsFormat.JSON)
    if not isinstance(solutions, QuerySolutions):
        raise ParameterError("--param binds result variables, which an ASK query has none of")
    document = json.loads(body)
    missing = sorted(set(params) - set(document["head"]["vars"]))
    if missing:
        raise ParameterError(f"the query does not return ?{', ?'.join(missing)} to bind")
    document["results"]["bindings"] = [
        binding
        for binding, solution in zip(document["results"]["bindings"], solutions, strict=True)
        if all(solution[name] == term for name, term in params.items())
    ]
    return json.dumps(document).encode("utf-8")


def query_endpoint(
    endpoint: str,
    query: str,
    *,
    params: Mapping[str, NamedNode | Literal] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    environ: Mapping[str, str] = os.environ,
) -> Results:
    """The endpoint's answer to `query`, as `kg.query.run_query` would give it.

    Raises:
        StoreError: when the endpoint is unreachable or refuses the query
            (a malformed one gets the store's own message).
        ParameterError: for a parameter the query does not return.
    """
    response = send(
        "POST",
        check_endpoint(endpoint),
        body=urlencode({"query": query}).encode("ascii"),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": _ACCEPT},
        auth=authenticator(environ),
        timeout=timeout,
    )
    results_format = QueryResultsFormat.from_media_type(response.media_type)
    if results_format is not None:
        # One format to filter: whatever the store chose becomes JSON first.
        body = parse_query_results(response.body, results_format).serialize(
            format=QueryResultsFormat.JSON
        )
        if params:
            body = _matching(body or b"", params)
        return parse_query_results(body, QueryResultsFormat.JSON)
    graph_format = RdfFormat.from_media_type(response.media_type)
    if graph_format is None:
        raise StoreError(f"{endpoint} answered {response.media_type}, not SPARQL results or RDF")
    if params:
        raise ParameterError("--param binds result variables, which a CONSTRUCT has none of")
    return [quad.triple for quad in parse(response.body, graph_format)]
