"""Tests for kg.store, `kg push` and `kg serve`, against real servers on loopback.

An Oxigraph server (the `oxigraph` wheel from PyPI, in the test extra) gets
the sample build pushed to it; `kg serve` runs as its own process. Both must
answer every shipped query exactly as `kg query` does on the files. Logins
are tested on a loopback stand-in that challenges and records what it is
sent; Virtuoso checks real Digest logins in test_virtuoso.py.
"""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import ProxyHandler, Request, build_opener

import pytest
from pyoxigraph import QuerySolutions
from typer.testing import CliRunner

from kg.cli import app
from kg.graphio import LoadedGraph, load_store
from kg.query import Results, named_query, parse_params, run_query
from kg.query.library import shipped_queries
from kg.store import push_graphs, query_endpoint
from kg.store.auth import (
    Challenge,
    Credentials,
    basic_authorization,
    credentials_from,
    digest_authorization,
    parse_challenges,
)

runner = CliRunner()
ENTITIES = "https://w3id.org/newskg/id/graph/entities"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SAMPLES = sorted((Path(__file__).resolve().parent.parent / "articles").glob("*.txt"))
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
COUNT_PLAIN = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
STARTUP_SECONDS = 30
urlopen = build_opener(ProxyHandler({})).open  # the servers are on loopback, never behind a proxy


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _answers(url: str) -> bool:
    try:
        with urlopen(url, timeout=1):
            return True
    except OSError:
        return False


def http(method: str, url: str, body: bytes | None = None, **headers: str) -> tuple[int, str, str]:
    """A raw protocol request: status, media type and text, errors included."""
    request = Request(url, data=body, method=method, headers=headers)
    try:
        with urlopen(request, timeout=10) as response:
            return response.status, response.headers.get_content_type(), response.read().decode()
    except HTTPError as err:
        return err.code, err.headers.get_content_type(), err.read().decode()


def rows(results: Results) -> list[tuple[str, ...]]:
    """Every row as its terms in N-Triples syntax, sorted: engines may break ORDER BY ties apart."""
    assert isinstance(results, QuerySolutions)
    variables = results.variables
    return sorted(tuple(str(s[v]) if s[v] is not None else "" for v in variables) for s in results)


def count(endpoint: str, query: str = COUNT_QUADS) -> int:
    results = query_endpoint(endpoint, query)
    assert isinstance(results, QuerySolutions)
    return int(next(iter(results))["n"].value)


@pytest.fixture(scope="module")
def graph(sample_build: Path) -> LoadedGraph:
    return load_store(sample_build)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[str]:
    """A real Oxigraph server, empty, on a free loopback port; its base URL."""
    binary = shutil.which(
        "oxigraph", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    )
    if binary is None:
        pytest.fail("the oxigraph server is missing: pip install -e '.[test]'")
    address = f"127.0.0.1:{_free_port()}"
    command = [binary, "serve", "--location", str(folder / "db"), "--bind", address]
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://{address}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _answers(f"{base}/query?" + urlencode({"query": "ASK {}"})):
            assert process.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "oxigraph did not start"
            time.sleep(0.05)
        yield base
    finally:
        _stop(process)


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An Oxigraph server shared by the module's tests; its base URL."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as base:
        yield base


@pytest.fixture(scope="module")
def pushed(oxigraph: str, graph: LoadedGraph) -> str:
    """The Oxigraph server with the sample build pushed to it."""
    push_graphs(graph.store, f"{oxigraph}/store")
    return oxigraph


@pytest.fixture(scope="module")
def served(sample_build: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` on the sample build, as its own process; its query URL."""
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    with log.open("wb") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--graph", str(sample_build), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # printed once the graph is loaded and the port bound
        found = re.search(r"http://127\.0\.0\.1:\d+/query", banner)
        assert found, f"kg serve did not start: {banner}{log.read_text()}"
        yield found[0]
    finally:
        _stop(process)


# kg push to Oxigraph


def test_store_push_twice_gives_the_same_triples(oxigraph, sample_build, graph):
    for _ in range(2):
        result = runner.invoke(
            app, ["push", "--endpoint", f"{oxigraph}/store", "-g", str(sample_build)]
        )
        assert result.exit_code == 0, result.output
        assert f"pushed {graph.named_graphs} graphs, {graph.quads} triples" in result.stdout
        assert count(f"{oxigraph}/query") == graph.quads
    names = query_endpoint(f"{oxigraph}/query", "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    assert {row[0] for row in rows(names)} == {str(name) for name in graph.store.named_graphs()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[LoadedGraph, LoadedGraph]:
    """Build A of three sample articles and build B of the two others, as two users would."""
    folder = tmp_path_factory.mktemp("two-builds")
    loaded = []
    for name, articles in (("a", SAMPLES[:3]), ("b", SAMPLES[3:])):
        source = folder / f"articles-{name}"
        source.mkdir()
        for article in articles:
            shutil.copy(article, source)
        result = runner.invoke(app, ["build", str(source), "--out", str(folder / name)])
        assert result.exit_code == 0, result.output
        loaded.append(load_store(folder / name))
    return loaded[0], loaded[1]


def _select(target: str | LoadedGraph, query: str) -> set[tuple[str, ...]]:
    """The rows of `query` over a pushed store (by URL) or over a build."""
    if isinstance(target, str):
        return set(rows(query_endpoint(f"{target}/query", query)))
    return set(rows(run_query(target.store, query)))


def _entity_graph(target: str | LoadedGraph) -> set[tuple[str, ...]]:
    return _select(target, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{ENTITIES}> {{ ?s ?p ?o }} }}")


def _quads(target: str | LoadedGraph) -> set[tuple[str, ...]]:
    return _select(target, "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")


def _labels(triples: set[tuple[str, ...]]) -> dict[str, set[str]]:
    labels: dict[str, set[str]] = {}
    for s, p, o in triples:
        if p == f"<{RDFS_LABEL}>":
            labels.setdefault(s, set()).add(o)
    return labels


def test_store_push_of_another_build_keeps_the_first_builds_entities(tmp_path, two_builds):
    a, b = two_builds
    with oxigraph_server(tmp_path) as store:
        push_graphs(a.store, f"{store}/store")
        assert _quads(store) == _quads(a)  # into an empty store: exactly A
        push_graphs(b.store, f"{store}/store")
        kept = _entity_graph(store)
        a_labels, b_labels, labels = (
            _labels(t) for t in (_entity_graph(a), _entity_graph(b), kept)
        )
        only_a = a_labels.keys() - b_labels.keys()
        assert only_a and b_labels.keys() - a_labels.keys()  # each build knows entities of its own
        # every entity A alone knows keeps A's description; one B knows too gets B's
        assert {e: labels[e] for e in only_a} == {e: a_labels[e] for e in only_a}
        assert {e: labels[e] for e in b_labels} == b_labels
        assert all(len(values) == 1 for values in labels.values())  # one label each, as shaped
        assert {t for t in kept if t[0] in only_a} == {
            t for t in _entity_graph(a) if t[0] in only_a
        }
        # pushing A again is idempotent: twice leaves what once did
        push_graphs(a.store, f"{store}/store")
        again = _quads(store)
        push_graphs(a.store, f"{store}/store")
        assert _quads(store) == again
        assert _labels(_entity_graph(store)).keys() == labels.keys()  # B's entities stay too


def _build(articles: Path, out: Path) -> None:
    result = runner.invoke(app, ["build", str(articles), "--out", str(out)])
    assert result.exit_code == 0, result.output


def test_store_change_sets_bring_a_store_from_one_build_to_the_next(tmp_path):
    """Full push of build 1, then each build's changes.ru: the store equals a full push of
    the last build into an empty store, quad for quad, with an article edited, one
    deleted and one added on the way."""
    source, out = tmp_path / "articles", tmp_path / "out"
    source.mkdir()
    for article in SAMPLES[:3]:
        shutil.copy(article, source)
    _build(source, out)
    (tmp_path / "by-changes").mkdir()
    (tmp_path / "in-full").mkdir()
    with oxigraph_server(tmp_path / "by-changes") as store:
        pushed = runner.invoke(app, ["push", "--endpoint", f"{store}/store", "-g", str(out)])
        assert pushed.exit_code == 0, pushed.output
        edited = source / SAMPLES[0].name
        edited.write_text(edited.read_text().replace("Iraq", "Syria", 2), encoding="utf-8")
        (source / SAMPLES[1].name).unlink()
        shutil.copy(SAMPLES[3], source)
        _build(source, out)
        changes = (out / "changes.ru").read_text(encoding="utf-8")
        assert "DELETE DATA" in changes and "INSERT DATA" in changes
        arguments = ["push", "--changes", "--update-endpoint", f"{store}/update", "-g", str(out)]
        applied = runner.invoke(app, arguments)
        assert applied.exit_code == 0, applied.output
        by_changes = _quads(store)
    with oxigraph_server(tmp_path / "in-full") as store:
        push_graphs(load_store(out).store, f"{store}/store")
        assert by_changes == _quads(store) == _quads(load_store(out))


def test_store_push_changes_needs_the_update_endpoint(sample_build):
    result = runner.invoke(app, ["push", "--changes", "-g", str(sample_build)])
    assert result.exit_code == 2 and "--update-endpoint" in result.stderr


def test_store_push_sends_no_credentials_to_a_store_that_asks_none(oxigraph, sample_build):
    env = {"NEWSKG_STORE_USER": "reader", "NEWSKG_STORE_PASSWORD": "s3cret"}
    result = runner.invoke(
        app, ["push", "--endpoint", f"{oxigraph}/store", "-g", str(sample_build)], env=env
    )
    assert result.exit_code == 0, result.output


def test_store_basic_authorization_from_the_environment():
    env = {"NEWSKG_STORE_USER": "reader", "NEWSKG_STORE_PASSWORD": "s3cret"}
    credentials = credentials_from(env)
    assert credentials is not None and "s3cret" not in repr(credentials)
    assert (
        basic_authorization(credentials) == "Basic " + base64.b64encode(b"reader:s3cret").decode()
    )
    assert credentials_from({}) is None


# Logins: answering the store's challenge

LOGIN = {"NEWSKG_STORE_USER": "reader", "NEWSKG_STORE_PASSWORD": "s3cret-Pa55"}
DIGEST = 'Digest realm="newskg", nonce="n0nce", qop="auth", algorithm=SHA-256, opaque="0paque"'
# RFC 7616 section 3.9.1: one request, its challenge, and the answers it gives.
RFC_CREDENTIALS = Credentials("Mufasa", "Circle of Life")
RFC_CHALLENGE = {
    "realm": "http-auth@example.org",
    "qop": "auth, auth-int",
    "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    "opaque": "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS",
}
RFC_CNONCE = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"


@dataclass
class LoginStandIn:
    """A loopback Graph Store that demands a login with `challenge`, takes any of the scheme
    `accepts`, and records what each PUT carried."""

    url: str
    challenge: str
    accepts: str
    authorizations: list[str | None] = field(default_factory=list)


class _LoginHandler(BaseHTTPRequestHandler):
    server: _LoginServer

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        self._answer(204)

    def do_GET(self) -> None:
        self._answer(404)  # the entity graph is merged: push reads it first; none is stored

    def _answer(self, status: int) -> None:
        stand_in = self.server.stand_in
        authorization = self.headers.get("Authorization")
        stand_in.authorizations.append(authorization)
        answered = authorization is not None and authorization.startswith(f"{stand_in.accepts} ")
        self.send_response(status if answered else 401)
        if not answered:
            self.send_header("WWW-Authenticate", stand_in.challenge)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the test reads `authorizations`, not a log


class _LoginServer(ThreadingHTTPServer):
    stand_in: LoginStandIn


@pytest.fixture
def login_store() -> Iterator[Callable[..., LoginStandIn]]:
    """Start stand-ins that answer any login of the scheme they ask for (the password is
    not checked here: Virtuoso checks it in test_virtuoso.py)."""
    servers: list[_LoginServer] = []

    def start(challenge: str, accepts: str | None = None) -> LoginStandIn:
        server = _LoginServer(("127.0.0.1", 0), _LoginHandler)
        url = f"http://127.0.0.1:{server.server_port}/store"
        server.stand_in = LoginStandIn(url, challenge, accepts or challenge.split()[0])
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.stand_in

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def _push(endpoint: str, sample_build: Path, env: dict[str, str]):
    return runner.invoke(app, ["push", "--endpoint", endpoint, "-g", str(sample_build)], env=env)


def test_store_push_answers_digest_without_sending_the_password(login_store, sample_build, graph):
    store = login_store(DIGEST)
    result = _push(store.url, sample_build, LOGIN)
    assert result.exit_code == 0, result.output
    first, *answers = store.authorizations
    assert first is None  # nothing is sent before the store asks
    # one challenge, each graph once, one GET of each shared graph (entities, support,
    # consensus, resolution)
    assert len(answers) == graph.named_graphs + 4
    assert all(a and a.startswith("Digest ") and "s3cret" not in a for a in answers)
    counts = [re.search(r"\bnc=(\w+)", a)[1] for a in answers if a]
    assert counts == [f"{n:08x}" for n in range(1, len(answers) + 1)]
    assert all('opaque="0paque"' in a and "algorithm=SHA-256" in a for a in answers if a)


def test_store_push_sends_basic_only_when_the_store_asks_for_it(login_store, sample_build, graph):
    store = login_store('Basic realm="newskg"')
    result = _push(store.url, sample_build, LOGIN)
    assert result.exit_code == 0, result.output
    basic = "Basic " + base64.b64encode(b"reader:s3cret-Pa55").decode()
    assert store.authorizations == [None] + [basic] * (graph.named_graphs + 4)


def test_store_push_prefers_digest_to_basic(login_store, sample_build):
    store = login_store(f'Basic realm="newskg", {DIGEST}', accepts="Digest")
    assert _push(store.url, sample_build, LOGIN).exit_code == 0
    assert all(a and a.startswith("Digest ") for a in store.authorizations[1:])


@pytest.mark.parametrize(
    ("challenge", "env", "message"),
    [
        (DIGEST, {}, "HTTP 401 Unauthorized; set NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD"),
        ('Negotiate, Bearer realm="x"', LOGIN, "asks for bearer, negotiate; newskg answers"),
        ('Digest realm="r", nonce="n", algorithm=SHA-512-256', LOGIN, "wants Digest SHA-512-256"),
        ('Digest realm="r", nonce="n", qop="auth-int"', LOGIN, "wants Digest qop=auth-int"),
    ],
)
def test_store_push_login_it_cannot_give_exits_2(
    login_store, sample_build, challenge, env, message
):
    store = login_store(challenge)
    result = _push(store.url, sample_build, env)
    assert result.exit_code == 2
    assert message in " ".join(result.stderr.split())
    assert "s3cret" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("algorithm", "response"),
    [
        ("MD5", "8ca523f5e9506fed4657c9700eebdbec"),
        ("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"),
    ],
)
def test_store_digest_gives_rfc_7616_answers(algorithm, response):
    challenge = Challenge("digest", {**RFC_CHALLENGE, "algorithm": algorithm})
    header = digest_authorization(
        RFC_CREDENTIALS, challenge, "GET", "/dir/index.html", cnonce=RFC_CNONCE
    )
    assert header == (
        'Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", '
        f'algorithm={algorithm}, nonce="{RFC_CHALLENGE["nonce"]}", nc=00000001, '
        f'cnonce="{RFC_CNONCE}", qop=auth, response="{response}", '
        f'opaque="{RFC_CHALLENGE["opaque"]}"'
    )


def test_store_digest_names_beyond_ascii_and_quotes():
    challenge = Challenge("digest", {"realm": 'a "quoted" realm', "nonce": "n"})
    header = digest_authorization(Credentials("Jäsøn Doe", "pw"), challenge, "PUT", "/store")
    assert header.startswith("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ")
    assert 'realm="a \\"quoted\\" realm"' in header
    assert "nc=" not in header  # no qop offered: RFC 2069's answer


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (['Basic realm="x"'], [("basic", {"realm": "x"})]),
        (
            ['Basic realm="a, b", Digest realm="r", nonce="n\\"q", qop="auth,auth-int"'],
            [
                ("basic", {"realm": "a, b"}),
                ("digest", {"realm": "r", "nonce": 'n"q', "qop": "auth,auth-int"}),
            ],
        ),
        (
            ["Negotiate abc==", "DIGEST Realm=r, STALE=true"],
            [("negotiate", {}), ("digest", {"realm": "r", "stale": "true"})],
        ),
        (["", ","], []),
    ],
)
def test_store_parse_challenges(headers, expected):
    assert [(c.scheme, c.params) for c in parse_challenges(headers)] == expected


@pytest.mark.parametrize(
    ("endpoint", "env", "message"),
    [
        ("http://reader:s3cret@127.0.0.1:1/store", {}, "not in the URL"),
        ("ftp://127.0.0.1/store", {}, "not an http:// or https:// URL"),
        ("http://127.0.0.1:1/store", {"NEWSKG_STORE_USER": "reader"}, "set both"),
    ],
)
def test_store_push_bad_endpoint_or_credentials_exit_2(sample_build, endpoint, env, message):
    result = runner.invoke(app, ["push", "--endpoint", endpoint, "-g", str(sample_build)], env=env)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "s3cret" not in result.output


def test_store_push_unreachable_exits_2(sample_build):
    endpoint = f"http://127.0.0.1:{_free_port()}/store"
    result = runner.invoke(app, ["push", "--endpoint", endpoint, "-g", str(sample_build)])
    assert result.exit_code == 2
    assert f"cannot reach {endpoint}" in result.stderr
    assert "Traceback" not in result.output


def test_store_push_refused_exits_2(served, sample_build):
    result = runner.invoke(app, ["push", "--endpoint", served, "-g", str(sample_build)])
    assert result.exit_code == 2
    assert "the store refused PUT" in result.stderr
    assert "HTTP 405" in result.stderr


# The same answers everywhere


@pytest.fixture(params=["pushed to oxigraph", "kg serve"])
def endpoint(request: pytest.FixtureRequest) -> str:
    if request.param == "kg serve":
        return request.getfixturevalue("served")
    # Oxigraph only looks in named graphs for a plain pattern when asked to.
    return request.getfixturevalue("pushed") + "/query?union-default-graph"


@pytest.mark.parametrize("name", [query.name for query in shipped_queries()])
def test_store_endpoints_answer_like_kg_query(endpoint, graph, name):
    text = named_query(name).text
    assert rows(query_endpoint(endpoint, text)) == rows(run_query(graph.store, text))


def test_store_endpoints_bind_params_like_kg_query(endpoint, graph):
    text = named_query("events-with-person").text
    results = run_query(graph.store, text)
    assert isinstance(results, QuerySolutions)
    person = next(iter(results))["person"]  # a name some person in the build goes by
    params = parse_params([f"person={person.value}"])
    remote = rows(query_endpoint(endpoint, text, params=params))
    assert remote == rows(run_query(graph.store, text, params=params))
    assert remote and {row[0] for row in remote} == {str(person)}


def test_store_oxigraph_plain_query_needs_union_default_graph(pushed, graph):
    assert count(f"{pushed}/query", COUNT_PLAIN) == 0
    assert count(f"{pushed}/query?union-default-graph", COUNT_PLAIN) == graph.quads


# kg serve


def test_store_serve_answers_a_select_over_http(served, sample_build):
    query = named_query("troop-levels").text
    status, media, text = http("GET", f"{served}?" + urlencode({"query": query}), Accept="text/csv")
    assert (status, media) == (200, "text/csv")
    header, *lines = text.splitlines()
    assert header == "country,date,measure,troops,article"
    assert lines
    local = runner.invoke(app, ["query", "troop-levels", "-g", str(sample_build), "-f", "csv"])
    assert local.exit_code == 0, local.output
    assert text.splitlines() == local.stdout.splitlines()  # the same table kg query writes
    posted = http("POST", served, query.encode(), **{"Content-Type": "application/sparql-query"})
    assert posted[:2] == (200, "application/sparql-results+json")


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("query", b"update=DROP+ALL", "application/x-www-form-urlencoded"),
        ("query", b"DROP ALL", "application/sparql-update"),
        ("update", b"DROP ALL", "application/sparql-update"),
    ],
)
def test_store_serve_refuses_updates(served, graph, path, body, content_type):
    url = served.removesuffix("query") + path
    status, _, text = http("POST", url, body, **{"Content-Type": content_type})
    assert status == 403
    assert "read-only" in text
    assert count(served) == graph.quads


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_store_serve_refuses_graph_store_writes(served, graph, method):
    status, _, _ = http(method, f"{served}?default", b"<a:b> <a:c> <a:d> .")
    assert status == 405
    assert count(served) == graph.quads


def test_store_serve_malformed_query_is_400(served):
    status, _, text = http("GET", f"{served}?" + urlencode({"query": "SELECT ?x { ?x ?y }"}))
    assert status == 400
    assert "malformed query: error at 1:" in text


def test_store_serve_honours_the_protocol_dataset(served, graph):
    entities = sum(1 for quad in graph.store if quad.graph_name.value == ENTITIES)
    url = f"{served}?" + urlencode({"query": COUNT_PLAIN, "default-graph-uri": ENTITIES})
    status, _, text = http("GET", url, Accept="text/csv")
    assert (status, text.split()) == (200, ["n", str(entities)])


def test_store_serve_elsewhere_is_404(served):
    status, _, text = http("GET", served.removesuffix("/query") + "/")
    assert status == 404
    assert served in text


def test_store_serve_port_in_use_exits_2(sample_build):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(app, ["serve", "-g", str(sample_build), "--port", str(port)])
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
