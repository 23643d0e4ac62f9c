"""Virtuoso as a push-and-query target: Debian's virtuoso-opensource, started on loopback.

`kg push` logs in to its Graph Store endpoint `/sparql-graph-crud-auth` with
HTTP Digest; the store must then hold exactly the build's quads, and its
`/sparql` endpoint (whose default graph is every graph it holds) must
answer the shipped queries as `kg query` does. Skipped where Virtuoso is not
installed; `.ci/run` installs it.
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import ProxyHandler, build_opener

import pytest
from pyoxigraph import NamedNode, Quad, QuerySolutions, RdfFormat, Store
from typer.testing import CliRunner

from kg.cli import app
from kg.export import serialize
from kg.graph import build_dataset
from kg.graphio import LoadedGraph, load_store
from kg.query import Results, named_query, run_query
from kg.query.library import shipped_queries
from kg.records import Article, ArticleExtraction, Event, EventClaim, Segment
from kg.resolve import Resolution
from kg.store import push_graphs, query_endpoint

SERVER = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
pytestmark = pytest.mark.skipif(
    SERVER is None or ISQL is None,
    reason="Debian's virtuoso-opensource is not installed (.ci/run installs it)",
)
STARTUP_SECONDS = 60
USER = "dba"  # Virtuoso's administrator, whose password a new database sets to "dba"
# A new database in the temporary folder, on loopback ports; the rest are Virtuoso's defaults.
INI = """\
[Database]
DatabaseFile = {folder}/virtuoso.db
ErrorLogFile = {folder}/virtuoso.log
LockFile = {folder}/virtuoso.lck
TransactionFile = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/virtuoso-temp.db
TransactionFile = {folder}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {folder}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
"""
runner = CliRunner()
urlopen = build_opener(ProxyHandler({})).open  # loopback, never through a proxy


@dataclass(frozen=True)
class Virtuoso:
    """A running server: its HTTP base URL and the dba password set for this run."""

    base: str
    password: str

    @property
    def crud(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    @property
    def sparql(self) -> str:
        return f"{self.base}/sparql"

    @property
    def login(self) -> dict[str, str]:
        return {"NEWSKG_STORE_USER": USER, "NEWSKG_STORE_PASSWORD": self.password}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urlopen(url, timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """An empty Virtuoso on free loopback ports, its dba password changed from the default."""
    assert SERVER is not None and ISQL is not None
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(folder=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [SERVER, "+foreground", "+configfile", str(ini)],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base}/sparql?" + urlencode({"query": "ASK {}"})):
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"virtuoso did not start: {log.read_text()}"
            time.sleep(0.1)
        password = secrets.token_hex(12)
        # The new password goes on isql's standard input, not its command line.
        setup = subprocess.run(
            [ISQL, f"127.0.0.1:{sql_port}", USER, "dba"],
            input=f"USER_SET_PASSWORD('{USER}', '{password}');\n",
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert setup.returncode == 0 and "Error" not in setup.stdout, setup.stdout + setup.stderr
        yield Virtuoso(base, password)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def graph(sample_build: Path) -> LoadedGraph:
    return load_store(sample_build)


@pytest.fixture(scope="module")
def pushed(virtuoso: Virtuoso, sample_build: Path, graph: LoadedGraph) -> Virtuoso:
    """Virtuoso with the sample build pushed by `kg push`, logged in with Digest."""
    result = runner.invoke(
        app, ["push", "--endpoint", virtuoso.crud, "-g", str(sample_build)], env=virtuoso.login
    )
    assert result.exit_code == 0, result.output
    assert f"pushed {graph.named_graphs} graphs, {graph.quads} triples" in result.stdout
    return virtuoso


def stored_quads(virtuoso: Virtuoso, names: list[NamedNode]) -> set[Quad]:
    """What Virtuoso holds in the named graphs `names`, read back over SPARQL."""
    values = " ".join(str(name) for name in names)
    text = f"SELECT ?g ?s ?p ?o WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
    results = query_endpoint(virtuoso.sparql, text)
    assert isinstance(results, QuerySolutions)
    return {Quad(row["s"], row["p"], row["o"], row["g"]) for row in results}


def rows(results: Results) -> list[tuple[str, ...]]:
    """Every row as its terms in N-Triples syntax, sorted: engines may break ORDER BY ties apart."""
    assert isinstance(results, QuerySolutions)
    variables = results.variables
    return sorted(tuple(str(s[v]) if s[v] is not None else "" for v in variables) for s in results)


def test_virtuoso_push_holds_exactly_the_builds_quads(pushed, graph):
    names = sorted(graph.store.named_graphs(), key=lambda name: name.value)
    stored = stored_quads(pushed, names)
    for name in names:
        built = set(graph.store.quads_for_pattern(None, None, None, name))
        assert {quad for quad in stored if quad.graph_name == name} == built, name
    assert len(stored) == graph.quads


def test_virtuoso_push_twice_leaves_the_same_quads(pushed, sample_build, graph):
    command = ["push", "--endpoint", pushed.crud, "-g", str(sample_build)]
    assert runner.invoke(app, command, env=pushed.login).exit_code == 0
    assert len(stored_quads(pushed, list(graph.store.named_graphs()))) == graph.quads


# Virtuoso 7.2 orders two IRIs in FILTER(?a < ?b) other than by code point; the shipped
# queries compare STR() of both sides, which every store orders alike.
QUERIES = [query.name for query in shipped_queries()]


@pytest.mark.parametrize("name", QUERIES)
def test_virtuoso_answers_shipped_queries_like_kg_query(pushed, graph, name):
    text = named_query(name).text
    assert rows(query_endpoint(pushed.sparql, text)) == rows(run_query(graph.store, text))


def test_virtuoso_kg_query_troop_levels_over_its_union(pushed, sample_build):
    remote = runner.invoke(app, ["query", "troop-levels", "--endpoint", pushed.sparql, "-f", "csv"])
    local = runner.invoke(app, ["query", "troop-levels", "-g", str(sample_build), "-f", "csv"])
    assert remote.exit_code == 0, remote.output
    assert sorted(remote.stdout.splitlines()) == sorted(local.stdout.splitlines())


def test_virtuoso_keeps_an_articles_dates_of_two_precisions(virtuoso):
    # Virtuoso holds "2020"^^xsd:gYear and "2020-01"^^xsd:gYearMonth of one node in one graph
    # as one value; the graph states only the finer, so the push keeps every quad it sends.
    text = "Troops left in 2020. They left in January 2020."
    article = Article("dated.txt", text, text, (Segment(0, 0, len(text)),))
    claims = tuple(
        EventClaim(
            "dated.txt", "Troops left.", start, start + 20, ((start, start + 5, "x"),), (), date
        )
        for start, date in ((0, "2020"), (21, "2020-01"))
    )
    event = Event("event/dated", "Withdrawal", "Withdrawal", claims)
    dataset = build_dataset([ArticleExtraction(article)], Resolution((), {}), [event])
    store = Store()
    store.load(serialize(dataset, "nquads"), format=RdfFormat.N_QUADS)
    report = push_graphs(store, virtuoso.crud, environ=virtuoso.login)
    names = list(store.named_graphs())
    assert len(stored_quads(virtuoso, names)) == report.triples == len(store)


def test_virtuoso_push_with_a_wrong_password_exits_2_and_never_shows_it(virtuoso, sample_build):
    env = {"NEWSKG_STORE_USER": USER, "NEWSKG_STORE_PASSWORD": "wr0ng-Pa55word"}
    result = runner.invoke(
        app, ["push", "--endpoint", virtuoso.crud, "-g", str(sample_build)], env=env
    )
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr
    assert "set NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD" in result.stderr
    assert "wr0ng-Pa55word" not in result.output
    assert virtuoso.password not in result.output


def test_virtuoso_push_without_a_login_exits_2_with_the_hint(virtuoso, sample_build):
    result = runner.invoke(app, ["push", "--endpoint", virtuoso.crud, "-g", str(sample_build)])
    assert result.exit_code == 2
    assert "HTTP 401" in result.stderr
    assert "set NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD" in result.stderr
