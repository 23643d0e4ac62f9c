"""Ask the graph questions in SPARQL: load a build, run a query, write the answer.

`kg.graphio.load_store` loads a build into pyoxigraph, `run_query` answers SPARQL 1.1
over the union of its named graphs with parameters bound by the engine,
`render` writes a table or the W3C result formats, and `shipped_queries`
holds the questions that come with newskg (`kg/queries/*.rq`). Every query
is first checked against the size and nesting limits and for SERVICE
(`check_query`). `kg.query.worker` runs queries in a process that can be
stopped, as `kg query` and `kg serve` do (it is not imported here, because
it is also the child's `python -m` entry point).
"""

from kg.query.guard import QueryRefused, ServiceRefused, check_query
from kg.query.library import NamedQuery, UnknownQueryError, named_query, shipped_queries
from kg.query.output import OUTPUT_FORMATS, OutputFormat, render
from kg.query.run import QueryError, Results, run_query
from kg.query.terms import ParameterError, parse_params

__all__ = [
    "OUTPUT_FORMATS",
    "NamedQuery",
    "OutputFormat",
    "ParameterError",
    "QueryError",
    "QueryRefused",
    "Results",
    "ServiceRefused",
    "UnknownQueryError",
    "check_query",
    "named_query",
    "parse_params",
    "render",
    "run_query",
    "shipped_queries",
]
