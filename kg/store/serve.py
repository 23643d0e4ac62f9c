"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, on loopback only.

Queries run through `kg.query.run_query` on the same in-memory pyoxigraph
store and union default graph as `kg query`, so the two always give the same
answers. The endpoint takes GET and POST at /query (and /sparql), honours
the protocol's `default-graph-uri` and `named-graph-uri`, and picks the
result format from the Accept header. It never changes the graph: SPARQL
Update (a POST of `application/sparql-update`, an `update=` form, anything
at /update) gets 403, and PUT, DELETE and PATCH get 405.

It listens on 127.0.0.1 only: queries may contain SERVICE calls, which the
engine makes from this machine, so the endpoint is not for other hosts.

Reference: https://www.w3.org/TR/sparql11-protocol/
"""

from __future__ import annotations

from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode, Store

from kg.query.output import encode
from kg.query.run import QueryError, run_query

HOST = "127.0.0.1"
QUERY_PATHS = frozenset({"/query", "/sparql"})
UPDATE_PATH = "/update"
MAX_BODY = 1_000_000  # bytes of a POSTed query


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: one store, one thread per request, bound to loopback."""

    daemon_threads = True

    def __init__(self, store: Store, *, port: int) -> None:
        super().__init__((HOST, port), _Handler)
        self.store = store

    @property
    def url(self) -> str:
        """The query endpoint, with the port actually bound (for port 0)."""
        return f"http://{HOST}:{self.server_address[1]}/query"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path not in QUERY_PATHS:
            return self._not_here()
        self._answer(parse_qs(url.query))

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        if url.path == UPDATE_PATH:
            return self._refuse_update()
        if url.path not in QUERY_PATHS:
            return self._not_here()
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BODY} bytes")
        body = self.rfile.read(length).decode("utf-8", "replace")
        params = parse_qs(url.query)
        media = self.headers.get_content_type()
        if media == "application/sparql-update":
            return self._refuse_update()
        if media == "application/x-www-form-urlencoded":
            form = parse_qs(body)
            if "update" in form:
                return self._refuse_update()
            params.update(form)
        elif media == "application/sparql-query":
            params["query"] = [body]
        else:
            return self._reply(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query or an application/x-www-form-urlencoded query=",
            )
        self._answer(params)

    def do_PUT(self) -> None:
        self._read_only()

    def do_DELETE(self) -> None:
        self._read_only()

    def do_PATCH(self) -> None:
        self._read_only()

    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._reply(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        try:
            results = run_query(
                self.server.store,
                queries[0],
                default_graphs=[NamedNode(iri) for iri in params.get("default-graph-uri", [])],
                named_graphs=[NamedNode(iri) for iri in params.get("named-graph-uri", [])],
            )
            body, media_type = encode(results, self.headers.get("Accept", ""))
        except (QueryError, ValueError) as err:  # ValueError: a dataset IRI that is none
            return self._reply(HTTPStatus.BAD_REQUEST, str(err))
        self._reply(HTTPStatus.OK, body, media_type)

    def _refuse_update(self) -> None:
        self._reply(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")

    def _read_only(self) -> None:
        self._reply(
            HTTPStatus.METHOD_NOT_ALLOWED,
            "this endpoint is read-only: it answers queries (GET or POST), never changes data",
            allow="GET, POST",
        )

    def _not_here(self) -> None:
        self._reply(HTTPStatus.NOT_FOUND, f"the SPARQL endpoint is {self.server.url}")

    def _reply(
        self,
        status: HTTPStatus,
        body: bytes | str,
        media_type: str = "text/plain; charset=utf-8",
        *,
        allow: str | None = None,
    ) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(data)))
        if allow:
            self.send_header("Allow", allow)
        self.end_headers()
        self.wfile.write(data)
