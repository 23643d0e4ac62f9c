"""Put the graph where other tools can ask it: a triple store, or an endpoint of our own.

`push_graphs` uploads a build to any SPARQL 1.1 Graph Store endpoint
(Oxigraph, Fuseki, GraphDB, Virtuoso), one named graph per article; `SparqlServer`
serves a build read-only over the SPARQL 1.1 Protocol on loopback;
`query_endpoint` asks any SPARQL endpoint the questions `kg query` asks.
Credentials come from NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD, sent only
when a store asks (Digest or Basic).
"""

from kg.store.http import PASSWORD_VARIABLE, USER_VARIABLE, StoreError
from kg.store.push import ChangesReport, PushReport, push_changes, push_graphs
from kg.store.remote import query_endpoint
from kg.store.serve import SparqlServer

__all__ = [
    "ChangesReport",
    "PASSWORD_VARIABLE",
    "USER_VARIABLE",
    "PushReport",
    "SparqlServer",
    "StoreError",
    "push_changes",
    "push_graphs",
    "query_endpoint",
]
