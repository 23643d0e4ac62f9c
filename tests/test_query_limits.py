"""Hostile and runaway queries against `kg query` and `kg serve`: refused, stopped, never fatal.

Each test reproduces a defect of issue 12 (a query that crashed the engine,
SERVICE as an SSRF relay, no timeout, Ctrl-C ignored, any Host answered, a
bad Content-Length, control characters printed raw) and checks the
outcome, never the speed: the generous waits below only keep a regression
from hanging the suite. Queries that could crash the process run in a
subprocess, so a crash fails the test instead of the run.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from typer.testing import CliRunner

from kg.cli import app

runner = CliRunner()
KG = (sys.executable, "-m", "kg")
WAIT = 120  # seconds before a test gives up on kg: a hang, not a speed limit
QUERY_UNDER_WAY = 1.0  # seconds to let a query get into the engine before interrupting it
# Every triple with every triple with every triple: hours on the sample build.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*KG, *args], capture_output=True, text=True, timeout=WAIT)


def deep(depth: int, kind: str) -> str:
    opening, closing = {"{": ("{", "}"), "(": ("(", ")"), "[": ("[ <a:p> ", " ]")}[kind]
    if kind == "{":
        return "ASK " + opening * depth + closing * depth
    if kind == "(":
        return "ASK { FILTER(" + opening * depth + "true" + closing * depth + ") }"
    return "ASK { ?s <a:p> " + opening * depth + "1" + closing * depth + " }"


class Listener:
    """A throwaway TCP listener on loopback that counts who connects (and hangs up on them)."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.socket.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


def service_query(port: int) -> str:
    return f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"


# kg query


@pytest.mark.parametrize(("depth", "kind"), [(2500, "{"), (20000, "("), (5000, "[")])
def test_query_limits_deep_nesting_exits_2_not_crash(sample_build, depth, kind):
    result = kg("query", deep(depth, kind), "-g", str(sample_build))
    assert result.returncode == 2, result.stderr
    assert "nesting limit" in result.stderr
    assert "Traceback" not in result.stderr


def test_query_limits_long_negation_chain_exits_2(sample_build):
    result = kg("query", "ASK { FILTER(" + "!" * 20000 + "true) }", "-g", str(sample_build))
    assert result.returncode == 2, result.stderr
    assert "nesting limit" in result.stderr


def test_query_limits_nesting_within_the_limit_answers(sample_build):
    result = runner.invoke(app, ["query", deep(50, "{"), "-g", str(sample_build)])
    assert (result.exit_code, result.stdout) == (0, "true\n"), result.output


def test_query_limits_oversized_query_exits_2(sample_build, tmp_path):
    query = tmp_path / "big.rq"
    query.write_text("# " + "padding " * 10_000 + "\nASK {}\n")
    result = runner.invoke(app, ["query", "--file", str(query), "-g", str(sample_build)])
    assert result.exit_code == 2
    assert "query size limit is 65,536 bytes" in result.stderr


def test_query_limits_service_refused_without_any_connection(sample_build, listener):
    result = kg("query", service_query(listener.port), "-g", str(sample_build))
    assert result.returncode == 2, result.stderr
    assert "SERVICE" in result.stderr and "--allow-service" in result.stderr
    assert listener.connections == 0


def test_query_limits_allowed_service_that_fails_is_a_message(sample_build, listener):
    result = kg("query", "--allow-service", service_query(listener.port), "-g", str(sample_build))
    assert listener.connections == 1
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("error: the query failed")
    assert "Traceback" not in result.stderr


def test_query_limits_timeout_stops_a_long_query(sample_build):
    result = runner.invoke(app, ["query", SLOW, "-g", str(sample_build), "--timeout", "1"])
    assert result.exit_code == 2
    assert "the query ran longer than 1 s and was stopped" in result.stderr


def _children(pid: int) -> list[int]:
    """The processes `pid` started, where Linux tells (else none)."""
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_query_limits_ctrl_c_stops_a_long_query(sample_build):
    # graph.ttl has no named graphs, so kg query warns once the graph is loaded:
    # the query is then on its way. A moment later it is deep in the engine,
    # where a Ctrl-C went unheard before, and SIGINT must stop it.
    command = [*KG, "query", SLOW, "-g", str(sample_build / "graph.ttl")]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stderr is not None
        assert "no named graphs" in process.stderr.readline()
        workers = _children(process.pid)
        time.sleep(QUERY_UNDER_WAY)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=WAIT) == 130
        assert not [pid for pid in workers if _alive(pid)], "a query worker outlived kg query"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


BELL_TITLE = "Breaking\x1b]0;owned\x07 news\x9b2J from \x00Kabul"


@pytest.fixture
def hostile_graph(tmp_path: Path) -> Path:
    """A graph whose headline carries terminal commands: retitle, clear screen (C1 CSI), NUL."""
    escaped = BELL_TITLE.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    path = tmp_path / "graph.nq"
    path.write_text(
        f'<https://e.example/a> <https://schema.org/headline> "{escaped}" '
        "<https://e.example/a> .\n",
        encoding="utf-8",
    )
    return path


def test_query_limits_table_escapes_control_characters(hostile_graph):
    query = "SELECT ?h WHERE { ?a <https://schema.org/headline> ?h }"
    table = runner.invoke(app, ["query", query, "-g", str(hostile_graph)])
    assert table.exit_code == 0, table.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", table.stdout)
    assert "Breaking\\u001B]0;owned\\u0007 news\\u009B2J from \\u0000Kabul" in table.stdout
    construct = "CONSTRUCT WHERE { ?a <https://schema.org/headline> ?h }"
    turtle = runner.invoke(app, ["query", construct, "-g", str(hostile_graph)])
    assert turtle.exit_code == 0, turtle.output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", turtle.stdout)


def test_query_limits_machine_formats_keep_control_characters(hostile_graph):
    query = "SELECT ?h WHERE { ?a <https://schema.org/headline> ?h }"
    csv = runner.invoke(app, ["query", query, "-g", str(hostile_graph), "-f", "csv"])
    assert csv.exit_code == 0, csv.output
    assert BELL_TITLE in csv.stdout


def test_query_limits_term_over_16_mb_is_a_message(tmp_path):
    path = tmp_path / "graph.nt"
    path.write_text(f'<https://e.example/a> <https://e.example/b> "{"x" * (17 << 20)}" .\n')
    result = runner.invoke(app, ["query", "ASK {}", "-g", str(path)])
    assert result.exit_code == 2
    assert "16 MB" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


# kg serve


def _serve(graph: Path, *options: str) -> tuple[subprocess.Popen[str], int]:
    command = [*KG, "serve", "--graph", str(graph), "--port", "0", *options]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    assert process.stdout is not None
    banner = process.stdout.readline()  # printed once the graph is loaded and the port bound
    found = re.search(r"http://127\.0\.0\.1:(\d+)/query", banner)
    if not found:
        process.kill()
        pytest.fail(f"kg serve did not start: {banner!r}")
    return process, int(found[1])


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(timeout=WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def served(sample_build: Path) -> Iterator[int]:
    """`kg serve` on the sample build with its default settings; its port."""
    process, port = _serve(sample_build)
    yield port
    _stop(process)


def request(
    port: int,
    method: str,
    target: str,
    body: bytes | None = None,
    *,
    host: str | None = None,
    **headers: str,
) -> tuple[int, str]:
    """One raw request with exactly the headers given (Host defaults to the bound address)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=WAIT)
    try:
        connection.putrequest(method, target, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host if host is not None else f"127.0.0.1:{port}")
        for name, value in headers.items():
            connection.putheader(name.replace("_", "-"), value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        connection.close()


def get(port: int, query: str, **headers: str) -> tuple[int, str]:
    return request(port, "GET", "/query?" + urlencode({"query": query}), **headers)


def form(port: int, query: str, **headers: str) -> tuple[int, str]:
    body = urlencode({"query": query}).encode()
    headers.setdefault("Content_Length", str(len(body)))
    return request(
        port, "POST", "/query", body, Content_Type="application/x-www-form-urlencoded", **headers
    )


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}"])
def test_query_limits_serve_answers_its_own_host_names(served, host):
    assert get(served, "ASK {}", host=host.format(port=served))[0] == 200


@pytest.mark.parametrize("host", ["attacker.example:{port}", "127.0.0.1", "127.0.0.1:1", ""])
def test_query_limits_serve_refuses_a_foreign_host(served, host):
    status, text = get(served, "ASK {}", host=host.format(port=served))
    assert status == 421
    assert "answers only for" in text


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Sec_Fetch_Site": "cross-site"},
        {"Sec_Fetch_Site": "same-site"},
    ],
)
def test_query_limits_serve_refuses_cross_site_form_posts(served, headers):
    status, text = form(served, "ASK {}", **headers)
    assert status == 403
    assert "other sites" in text


def test_query_limits_serve_answers_same_origin_posts(served):
    headers = {"Origin": f"http://127.0.0.1:{served}", "Sec_Fetch_Site": "same-origin"}
    assert form(served, "ASK {}", **headers)[0] == 200


@pytest.mark.parametrize("length", ["abc", "-5", "1e3", " "])
def test_query_limits_serve_bad_content_length_is_400(served, length):
    status, text = form(served, "ASK {}", Content_Length=length)
    assert status == 400
    assert "Content-Length" in text
    assert get(served, "ASK {}")[0] == 200


@pytest.mark.parametrize("send", [get, form])
def test_query_limits_serve_refuses_service_without_any_connection(served, listener, send):
    status, text = send(served, service_query(listener.port))
    assert status == 403
    assert "SERVICE" in text
    assert listener.connections == 0


def test_query_limits_serve_survives_deep_nesting(served):
    status, text = get(served, deep(2500, "{"))
    assert status == 400
    assert "nesting limit" in text
    assert get(served, "ASK {}")[0] == 200


def test_query_limits_serve_stops_a_query_at_its_timeout(sample_build):
    process, port = _serve(sample_build, "--timeout", "1", "--workers", "1")
    try:
        status, text = get(port, SLOW)
        assert status == 503
        assert "longer than 1 s" in text
        assert get(port, "ASK {}")[0] == 200  # a fresh worker answers the next query
    finally:
        _stop(process)


def test_query_limits_serve_stops_the_query_of_a_client_that_left(sample_build):
    # One worker and no timeout worth the name: the next query is answered
    # only if the server stopped the slow one when its client hung up.
    process, port = _serve(sample_build, "--timeout", "3600", "--workers", "1")
    try:
        client = socket.create_connection(("127.0.0.1", port))
        target = "/query?" + urlencode({"query": SLOW})
        client.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        client.close()
        assert get(port, "ASK {}")[0] == 200
    finally:
        _stop(process)


def test_query_limits_serve_stops_its_workers_on_sigterm(sample_build):
    process, _ = _serve(sample_build, "--workers", "2")
    workers = _children(process.pid)
    if not workers:
        pytest.skip("this system does not list a process's children in /proc")
    _stop(process)
    assert process.returncode == 0
    assert not [pid for pid in workers if _alive(pid)], "a query worker outlived kg serve"
