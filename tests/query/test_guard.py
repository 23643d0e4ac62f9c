"""Tests for kg.query.guard: the scanner reads a query as the parser will, before it does."""

from __future__ import annotations

import pytest

from kg.query import named_query, shipped_queries
from kg.query.guard import (
    MAX_NESTING,
    MAX_QUERY_BYTES,
    QueryRefused,
    ServiceRefused,
    check_query,
)

U = "<http://127.0.0.1:1/sparql>"

# SERVICE calls however written: pyoxigraph 0.5 parses each of these (the last
# two only a parser that reads \u escapes first, as SPARQL allows).
CALLS = [
    f"SELECT * {{ SERVICE {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ sErViCe SILENT {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE # a comment\n {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ BIND({U} AS ?u) SERVICE ?u {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p 1SERVICE {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p trueSERVICE {U} {{ ?s ?p ?o }} }}",
    f'SELECT * {{ ?s ?p "x"SERVICE {U} {{ ?s ?p ?o }} }}',
    f"SELECT * {{ ?s ?p <http://t>SERVICE {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p (1)SERVICE {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ ?s ?p ?o MINUS {{}}SERVICE {U} {{ ?s ?p ?o }} }}",
    f"PREFIX : {U} SELECT * {{ SERVICE:x {{ ?s ?p ?o }} }}",
    f"PREFIX e: <http://e/> SELECT * {{ ?s ?p e: SERVICE {U} {{ ?s ?p ?o }} }}",
    f"SELECT * {{ FILTER(?a<?b) SERVICE {U} {{ ?s ?p ?o }} }}",
    # A quote escaped in a prefixed name opens no string.
    f"PREFIX e: <http://e/> SELECT * {{ ?s ?p e:x\\' SERVICE {U} {{}} . ?s ?p 'y' }}",
    f'SELECT * {{ ?s ?p "x\\\\" SERVICE {U} {{ ?s ?p ?o }} }}',
    f"SELECT * {{ \\u0053ERVICE {U} {{ ?s ?p ?o }} }}",
    f'SELECT * {{ ?s ?p "x\\u0022 SERVICE {U} {{ ?s ?p ?o }} }}',
]

# SERVICE as data or inside a name: no call.
NAMES = [
    'SELECT * { ?s ?p "SERVICE <http://a> {}" }',
    "SELECT * { ?s ?p '''it's a SERVICE ''' }",
    'SELECT * { ?s ?p """SERVICE "quoted" SERVICE""" }',
    'SELECT * { ?s ?p "a\\" SERVICE <http://a> {}" }',
    "SELECT * { ?s ?p <http://e.example/SERVICE> }",
    "SELECT * { ?s ?p ?o } # SERVICE <http://a> {}",
    "SELECT ?service ?oSERVICE $Service { ?service ?p ?oSERVICE . ?s ?p $Service }",
    "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
    "SELECT * { ?s a sd:Service ; sd:endpoint ?e }",
    "PREFIX e: <http://e/> SELECT * { ?s e:SERVICE ?o . ?o e:x.SERVICE _:bSERVICE }",
]


@pytest.mark.parametrize("query", CALLS)
def test_guard_service_refused_however_written(query):
    with pytest.raises(ServiceRefused, match="--allow-service"):
        check_query(query)
    check_query(query, allow_service=True)


@pytest.mark.parametrize("query", NAMES)
def test_guard_service_as_data_or_name_passes(query):
    check_query(query)


@pytest.mark.parametrize(
    ("query", "depth"),
    [
        ("ASK {}", 1),
        ("ASK { FILTER(?a != ?b) }", 2),
        ("ASK { FILTER(!!!true) }", 5),
        ("ASK { ?s ?p [ ?q [ ?r ( 1 2 ) ] ] }", 4),
        ('ASK { ?s ?p "{{{{((((" }', 1),
        ("ASK { ?s ?p ?o } # {{{{((((", 1),
        ("PREFIX e: <http://e/> ASK { ?s ?p e:a\\(\\( }", 1),
    ],
)
def test_guard_counts_nesting_outside_strings_and_comments(query, depth):
    check_query(query, max_nesting=depth)
    with pytest.raises(QueryRefused, match=f"nests {depth} levels.*at most {depth - 1}"):
        check_query(query, max_nesting=depth - 1)


@pytest.mark.parametrize(
    "query",
    [
        "ASK " + "{" * (MAX_NESTING + 1) + "}" * (MAX_NESTING + 1),
        "ASK { FILTER(" + "(" * MAX_NESTING + "true" + ")" * MAX_NESTING + ") }",
        "ASK { FILTER(" + "!" * MAX_NESTING + "true) }",
        "ASK { FILTER(" + "\\u0021" * MAX_NESTING + "true) }",
    ],
)
def test_guard_refuses_deep_nesting(query):
    with pytest.raises(QueryRefused, match="nesting limit"):
        check_query(query)


def test_guard_refuses_a_query_over_the_size_limit():
    padding = "# " + "x" * MAX_QUERY_BYTES + "\n"
    with pytest.raises(QueryRefused, match=f"size limit is {MAX_QUERY_BYTES:,} bytes"):
        check_query(padding + "ASK {}")
    check_query("# " + "é" * (MAX_QUERY_BYTES // 2 - 16) + "\nASK {}")


@pytest.mark.parametrize("name", [query.name for query in shipped_queries()])
def test_guard_passes_every_shipped_query(name):
    check_query(named_query(name).text)
