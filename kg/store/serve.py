"""A read-only SPARQL 1.1 Protocol endpoint over a built graph, on loopback only.

Queries run in `kg.query.worker` processes over the same pyoxigraph store
and union default graph as `kg query`, so the two always give the same
answers. The endpoint takes GET and POST at /query (and /sparql), honours
the protocol's `default-graph-uri` and `named-graph-uri`, and picks the
result format from the Accept header.

What it never does: change the graph (SPARQL Update, a POST of
`application/sparql-update`, an `update=` form, anything at /update, gets
403; PUT, DELETE and PATCH get 405); call another endpoint (SERVICE gets
403, and its workers cannot open a TCP connection where the kernel allows
taking that away); answer for another host (a `Host` that is not this
address gets 421, which stops DNS rebinding); answer a page from another
site (an `Origin` or `Sec-Fetch-Site` saying so gets 403). A query over the
size or nesting limit gets 400 before it reaches the engine, one that runs
past the timeout is stopped and gets 503, and one whose client hangs up is
stopped too: its worker is killed and a fresh one loads the graph.

Reference: https://www.w3.org/TR/sparql11-protocol/
"""

from __future__ import annotations

import queue
import re
import select
import socket
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from pyoxigraph import NamedNode

from kg.defaults import DEFAULT_QUERY_TIMEOUT, DEFAULT_SERVE_WORKERS
from kg.graphio import GraphFileError, GraphInfo
from kg.query.guard import QueryRefused, ServiceRefused, check_query
from kg.query.run import QueryError
from kg.query.worker import QueryCancelled, QueryCrashed, QueryTimeout, QueryWorker

HOST = "127.0.0.1"
HOST_NAMES = (HOST, "localhost", "[::1]")  # what a client on this machine may call it
QUERY_PATHS = frozenset({"/query", "/sparql"})
UPDATE_PATH = "/update"
MAX_BODY = 1_000_000  # bytes of a POSTed request; the query inside has its own limit
READ_TIMEOUT = 30.0  # seconds a client may take to send its request
# Sec-Fetch-Site values of a request a page on another site made a browser send.
_FOREIGN_SITES = frozenset({"cross-site", "same-site"})
_DIGITS = re.compile(r"[0-9]+")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server on loopback: one thread per request, a pool of query workers."""

    daemon_threads = True

    def __init__(
        self,
        graph: Path,
        *,
        port: int,
        workers: int = DEFAULT_SERVE_WORKERS,
        timeout: float = DEFAULT_QUERY_TIMEOUT,
    ) -> None:
        self.query_timeout = timeout
        self.workers = [QueryWorker(graph) for _ in range(workers)]
        self.idle: queue.Queue[QueryWorker] = queue.Queue()
        super().__init__((HOST, port), _Handler)  # closes the server again if it cannot bind

    @property
    def url(self) -> str:
        """The query endpoint, with the port actually bound (for port 0)."""
        return f"http://{HOST}:{self.server_address[1]}/query"

    @property
    def hosts(self) -> frozenset[str]:
        """The Host header values a request may carry: this address, by any local name."""
        port = self.server_address[1]
        names = {f"{name}:{port}" for name in HOST_NAMES}
        if port == 80:
            names.update(HOST_NAMES)
        return frozenset(names)

    def load(self) -> GraphInfo:
        """Start every worker, loading the graph in each at once; what the first one loaded.

        Raises:
            GraphFileError: when the graph cannot be read.
        """
        for worker in self.workers:
            worker.launch()
        infos = [worker.start() for worker in self.workers]
        for worker in self.workers:
            self.idle.put(worker)
        return infos[0]

    def release(self, worker: QueryWorker) -> None:
        """Give a worker back to the pool, restarting it first if its query was stopped."""
        if not worker.running:
            try:
                worker.start()
            except GraphFileError:
                pass  # it tries again on its next query, which then reports why
        self.idle.put(worker)

    def server_close(self) -> None:
        super().server_close()
        for worker in self.workers:
            worker.stop()


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    timeout = READ_TIMEOUT

    def do_GET(self) -> None:
        if not self._trusted():
            return
        url = urlsplit(self.path)
        if url.path not in QUERY_PATHS:
            return self._not_here()
        self._answer(parse_qs(url.query))

    def do_POST(self) -> None:
        if not self._trusted():
            return
        url = urlsplit(self.path)
        if url.path == UPDATE_PATH:
            return self._refuse_update()
        if url.path not in QUERY_PATHS:
            return self._not_here()
        given = self.headers.get("Content-Length", "0").strip()
        if not _DIGITS.fullmatch(given):
            return self._reply(
                HTTPStatus.BAD_REQUEST, f"Content-Length must be a number of bytes, not {given!r}"
            )
        length = int(given)
        if length > MAX_BODY:
            return self._reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"at most {MAX_BODY} bytes")
        try:
            body = self.rfile.read(length).decode("utf-8", "replace")
        except OSError:  # a client that stopped sending, or left
            self.close_connection = True
            return
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

    def _trusted(self) -> bool:
        """Whether the request is for this address and not made by another site; else refuse it."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts:
            self._reply(
                HTTPStatus.MISDIRECTED_REQUEST,
                f"this endpoint answers only for {', '.join(sorted(self.server.hosts))}, "
                f"not for Host {host!r}",
            )
            return False
        origin = self.headers.get("Origin")
        site = (self.headers.get("Sec-Fetch-Site") or "").strip().lower()
        if (origin is not None and origin.strip().lower() not in self._origins()) or (
            site in _FOREIGN_SITES
        ):
            self._reply(
                HTTPStatus.FORBIDDEN,
                "this endpoint does not answer requests made by pages of other sites",
            )
            return False
        return True

    def _origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.server.hosts)

    def _answer(self, params: dict[str, list[str]]) -> None:
        queries = params.get("query", [])
        if len(queries) != 1:
            return self._reply(HTTPStatus.BAD_REQUEST, "give exactly one query parameter")
        try:
            check_query(queries[0])
            default_graphs = [NamedNode(iri) for iri in params.get("default-graph-uri", [])]
            named_graphs = [NamedNode(iri) for iri in params.get("named-graph-uri", [])]
        except ServiceRefused as err:
            return self._reply(HTTPStatus.FORBIDDEN, str(err))
        except ValueError as err:  # QueryRefused, or a dataset IRI that is none
            return self._reply(HTTPStatus.BAD_REQUEST, str(err))
        try:
            worker = self.server.idle.get(timeout=self.server.query_timeout)
        except queue.Empty:
            return self._reply(
                HTTPStatus.SERVICE_UNAVAILABLE,
                f"all {len(self.server.workers)} query workers stayed busy; try again later",
            )
        try:
            self._ask(worker, queries[0], default_graphs, named_graphs)
        finally:
            self.server.release(worker)

    def _ask(
        self,
        worker: QueryWorker,
        query: str,
        default_graphs: list[NamedNode],
        named_graphs: list[NamedNode],
    ) -> None:
        pid = worker.pid
        try:
            answer = worker.ask(
                query,
                accept=self.headers.get("Accept", ""),
                default_graphs=default_graphs,
                named_graphs=named_graphs,
                timeout=self.server.query_timeout,
                cancelled=self._client_left,
            )
        except QueryCancelled:
            self.close_connection = True
            return self.log_message("client left; its query worker %s was stopped", pid)
        except QueryTimeout as err:
            return self._reply(HTTPStatus.SERVICE_UNAVAILABLE, str(err))
        except (QueryCrashed, GraphFileError) as err:
            return self._reply(HTTPStatus.INTERNAL_SERVER_ERROR, str(err))
        except ServiceRefused as err:
            return self._reply(HTTPStatus.FORBIDDEN, str(err))
        except (QueryError, QueryRefused) as err:
            return self._reply(HTTPStatus.BAD_REQUEST, str(err))
        self._reply(HTTPStatus.OK, answer.body, answer.media_type)

    def _client_left(self) -> bool:
        """Whether the client has closed its connection (a readable socket with nothing to read)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _refuse_update(self) -> None:
        self._reply(HTTPStatus.FORBIDDEN, "this endpoint is read-only: SPARQL Update is refused")

    def _read_only(self) -> None:
        if not self._trusted():
            return
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
