"""Run queries in a child process that can be stopped: at a timeout, on Ctrl-C, or when asked.

pyoxigraph cannot cancel a running query, and a query that breaks its
parser takes the process down with it. So a `QueryWorker` loads the graph
once in a child process (`python -m kg.query.worker GRAPH`) and hands it one
query at a time; the parent waits with a deadline and kills the child when
time is up, when the user presses Ctrl-C, or when whoever asked stops
waiting. The next query starts a fresh child. The child also writes the
answer, because rows are computed as they are read: that is where a long
query spends its time.

Each message is one JSON line, followed by the answer's bytes: nothing the
child sends is unpickled or run. A child that must not call other
endpoints has its network taken away (`kg.query.sandbox`) before it takes
a query, and every child exits when its parent is gone.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from pyoxigraph import Literal, NamedNode

from kg.defaults import DEFAULT_QUERY_TIMEOUT
from kg.graphio import GraphFileError, GraphInfo, LoadedGraph, load_store
from kg.namespaces import Prefixes
from kg.query.guard import QueryRefused, ServiceRefused, check_query
from kg.query.output import OUTPUT_FORMATS, OutputFormat, encode, render
from kg.query.run import QueryError, run_query
from kg.query.sandbox import forbid_network

POLL_SECONDS = 0.2  # how often a waiting parent asks whether the asker is still there
_ORPHAN_CHECK_SECONDS = 1.0
_MEDIA_TYPES: dict[OutputFormat, str] = {
    "table": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/json",
}
_ERRORS: dict[str, type[ValueError]] = {
    "service": ServiceRefused,
    "refused": QueryRefused,
    "query": QueryError,
}


class QueryTimeout(QueryError):
    """A query that ran past its deadline and was stopped."""


class QueryCancelled(QueryError):
    """A query stopped because whoever asked it no longer waits for the answer."""


class QueryCrashed(QueryError):
    """A query during which the engine's process died."""


@dataclass(frozen=True, slots=True)
class Answer:
    """A query's answer as written by the worker, and its media type."""

    body: bytes
    media_type: str


def _term_json(term: NamedNode | Literal) -> dict[str, str]:
    """A parameter in SPARQL 1.1 JSON results' term form."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    found = {"type": "literal", "value": term.value, "datatype": term.datatype.value}
    if term.language:
        found["xml:lang"] = term.language
    return found


def _json_term(found: Mapping[str, str]) -> NamedNode | Literal:
    if found["type"] == "uri":
        return NamedNode(found["value"])
    if "xml:lang" in found:
        return Literal(found["value"], language=found["xml:lang"])
    return Literal(found["value"], datatype=NamedNode(found["datatype"]))


def _describe_exit(code: int) -> str:
    if code >= 0:
        return f"exit status {code}"
    try:
        return f"killed by {signal.Signals(-code).name}"
    except ValueError:
        return f"killed by signal {-code}"


class QueryWorker:
    """A child process holding one loaded graph, answering one query at a time.

    Not for use by two threads at once; `kg serve` keeps a pool of them.
    """

    def __init__(self, graph: Path, *, allow_service: bool = False) -> None:
        self.graph = Path(graph)
        self.allow_service = allow_service
        self._process: subprocess.Popen[bytes] | None = None
        self.info: GraphInfo | None = None

    def __enter__(self) -> QueryWorker:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs, for logs."""
        return self._process.pid if self.running and self._process is not None else None

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def launch(self) -> None:
        """Start a child unless one runs; `start` then waits for it to load the graph."""
        if self.running:
            return
        self.stop()
        command = [sys.executable, "-m", "kg.query.worker", str(self.graph)]
        if self.allow_service:
            command.append("--allow-service")
        # The child imports this same kg, whatever the environment would find first.
        here = str(Path(__file__).resolve().parents[2])
        path = os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
            # Its own session: a Ctrl-C in the terminal reaches the parent, which decides.
            start_new_session=True,
        )

    def start(self) -> GraphInfo:
        """Start the child unless it runs, and wait until it has loaded the graph.

        Raises:
            GraphFileError: when the graph cannot be read.
        """
        if self.running and self.info is not None:
            return self.info
        self.launch()
        header = self._read_header()
        if header is None:
            problem = f"the loader stopped ({_describe_exit(self._stopped())})"
            raise GraphFileError(self.graph, problem)
        if header["status"] == "error":
            self.stop()
            raise GraphFileError(Path(header["path"]), header["message"])
        self.info = GraphInfo(
            path=Path(header["path"]),
            quads=header["quads"],
            named_graphs=header["named_graphs"],
            base_iri=header["base_iri"],
        )
        return self.info

    def ask(
        self,
        query: str,
        *,
        fmt: OutputFormat | None = None,
        accept: str = "",
        params: Mapping[str, NamedNode | Literal] | None = None,
        default_graphs: Sequence[NamedNode] = (),
        named_graphs: Sequence[NamedNode] = (),
        timeout: float = DEFAULT_QUERY_TIMEOUT,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> Answer:
        """The answer to `query`, written as `fmt`, or (without one) as the `accept` header asks.

        The query is checked here first, so a refused one never reaches the
        child. `cancelled` is called while waiting; when it says True the
        query is stopped.

        Raises:
            QueryRefused: a query over a limit, or with SERVICE when not allowed.
            QueryError: a malformed or failing query; as QueryTimeout,
                QueryCancelled or QueryCrashed when it was stopped or died.
            GraphFileError: when a fresh child cannot load the graph.
        """
        check_query(query, allow_service=self.allow_service)
        self.start()
        request = {
            "query": query,
            "format": fmt,
            "accept": accept,
            "params": {name: _term_json(term) for name, term in (params or {}).items()},
            "default_graphs": [graph.value for graph in default_graphs],
            "named_graphs": [graph.value for graph in named_graphs],
        }
        self._send(request)
        self._wait(timeout, cancelled)
        header = self._read_header()
        if header is None:
            raise QueryCrashed(
                f"the query engine stopped on this query ({_describe_exit(self._stopped())})"
            )
        if header["status"] == "error":
            raise _ERRORS[header["kind"]](header["message"])
        body = self._stdout.read(header["length"])
        if len(body) < header["length"]:
            raise QueryCrashed(
                f"the query engine stopped while answering ({_describe_exit(self._stopped())})"
            )
        return Answer(body=body, media_type=header["media_type"])

    def stop(self) -> None:
        """Kill the child, if any, and wait for it; the next query starts a new one."""
        process, self._process, self.info = self._process, None, None
        if process is None:
            return
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            if stream is not None:
                stream.close()

    @property
    def _stdout(self) -> IO[bytes]:
        assert self._process is not None and self._process.stdout is not None
        return self._process.stdout

    def _send(self, message: Mapping[str, Any]) -> None:
        assert self._process is not None and self._process.stdin is not None
        try:
            self._process.stdin.write(json.dumps(message).encode("utf-8") + b"\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            pass  # the child is gone; reading its answer says how

    def _read_header(self) -> dict[str, Any] | None:
        line = self._stdout.readline()
        return json.loads(line) if line else None

    def _stopped(self) -> int:
        """The exit code of a child that has stopped talking, which is then cleaned up."""
        assert self._process is not None
        code = self._process.wait()
        self.stop()
        return code

    def _wait(self, timeout: float, cancelled: Callable[[], bool]) -> None:
        """Return once the child has begun to answer; stop it after `timeout` or when cancelled."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise QueryTimeout(
                        f"the query ran longer than {timeout:g} s and was stopped; "
                        "give it more time with --timeout, or ask for less"
                    )
                ready, _, _ = select.select([self._stdout], [], [], min(left, POLL_SECONDS))
                if ready:
                    return
                if cancelled():
                    raise QueryCancelled("the query was stopped: nobody waits for its answer")
        except BaseException:  # a timeout, a cancel, Ctrl-C: the query must not run on
            self.stop()
            raise


# The child's side.


def _answer(loaded: LoadedGraph, request: Mapping[str, Any], *, allow_service: bool) -> Answer:
    """Run one request; every failure comes back as a message, never as a traceback."""
    results = run_query(
        loaded.store,
        request["query"],
        params={name: _json_term(term) for name, term in request["params"].items()},
        default_graphs=[NamedNode(iri) for iri in request["default_graphs"]],
        named_graphs=[NamedNode(iri) for iri in request["named_graphs"]],
        allow_service=allow_service,
    )
    fmt = request["format"]
    if fmt in OUTPUT_FORMATS:
        prefixes = Prefixes.for_base(loaded.base_iri)
        return Answer(render(results, fmt, prefixes), _MEDIA_TYPES[fmt])
    body, media_type = encode(results, request["accept"])
    return Answer(body, media_type)


def _error(err: Exception) -> dict[str, str]:
    """What the parent is told of a request that failed: which kind of error, and its message."""
    if isinstance(err, ServiceRefused):
        kind = "service"
    elif isinstance(err, QueryRefused):
        kind = "refused"
    else:
        kind = "query"
    if isinstance(err, ValueError):  # ours, and the engine's for a malformed query
        message = str(err)
    elif isinstance(err, MemoryError):
        message = f"the query needs more memory than it may have: {err}"
    else:  # a SERVICE call that failed, or the engine's own error while reading rows
        message = f"the query failed: {err}"
    return {"status": "error", "kind": kind, "message": message}


def _exit_with_parent(parent: int) -> None:
    """End this process once its parent is gone, even in the middle of a query."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main(argv: Sequence[str]) -> None:
    """Load the graph, say so, then answer requests from stdin until it closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Answers go to a private copy of stdout; anything else printed lands on stderr.
    out = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    graph, allow_service = Path(argv[0]), "--allow-service" in argv[1:]

    def send(header: Mapping[str, Any], body: bytes = b"") -> None:
        out.write(json.dumps(header).encode("utf-8") + b"\n" + body)
        out.flush()

    parent = os.getppid()
    try:
        loaded = load_store(graph)
    except GraphFileError as err:
        send({"status": "error", "path": str(err.path), "message": err.problem})
        return
    if not allow_service:
        forbid_network()  # before any thread starts: it binds this thread and later ones
    _exit_with_parent(parent)
    info = loaded.info
    send(
        {
            "status": "ready",
            "path": str(info.path),
            "quads": info.quads,
            "named_graphs": info.named_graphs,
            "base_iri": info.base_iri,
        }
    )
    for line in sys.stdin.buffer:
        try:
            answer = _answer(loaded, json.loads(line), allow_service=allow_service)
        except Exception as err:  # the process boundary: report, never die on a query
            send(_error(err))
            continue
        send(
            {"status": "ok", "media_type": answer.media_type, "length": len(answer.body)},
            answer.body,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
