"""Tests for kg.query.worker and kg.query.sandbox: queries run where they can be stopped.

No test measures time: a slow query is one that would run for hours, and
the waits below only keep a regression from hanging the suite.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.graphio import GraphFileError, load_store
from kg.query import (
    named_query,
    parse_params,
    render,
    run_query,
)
from kg.query.guard import ServiceRefused
from kg.query.worker import QueryCancelled, QueryCrashed, QueryTimeout, QueryWorker

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
WAIT = 120  # seconds before a test gives up: a hang, not a speed limit


@pytest.fixture(scope="module")
def worker(sample_build: Path) -> Iterator[QueryWorker]:
    with QueryWorker(sample_build) as started:
        started.start()
        yield started


def _gone(pid: int) -> bool:
    """Whether `pid` has exited, waiting up to WAIT for it."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_worker_answers_as_run_query(worker, sample_build):
    text = named_query("events-with-person").text
    params = parse_params(["person=Trump"])
    expected = render(run_query(load_store(sample_build).store, text, params=params), "table")
    answer = worker.ask(text, fmt="table", params=params)
    assert answer.body == expected
    assert answer.media_type.startswith("text/plain")
    assert worker.info is not None and worker.info.named_graphs > 0


def test_worker_negotiates_media_type_without_a_format(worker):
    answer = worker.ask("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", accept="text/csv")
    assert answer.media_type.startswith("text/csv")
    assert answer.body.splitlines()[0] == b"s"


def test_worker_stops_a_query_at_its_timeout_and_starts_afresh(worker):
    with pytest.raises(QueryTimeout, match="longer than 0.5 s"):
        worker.ask(SLOW, fmt="table", timeout=0.5)
    assert not worker.running
    assert worker.ask("ASK {}", fmt="table").body == b"true\n"


def test_worker_stops_a_query_nobody_waits_for(worker):
    with pytest.raises(QueryCancelled):
        worker.ask(SLOW, fmt="table", cancelled=lambda: True)
    assert worker.ask("ASK {}", fmt="table").body == b"true\n"


def test_worker_reports_an_engine_that_died(worker):
    def kill_the_engine() -> bool:
        assert worker.pid is not None
        os.kill(worker.pid, signal.SIGKILL)
        return False

    with pytest.raises(QueryCrashed, match="killed by SIGKILL"):
        worker.ask(SLOW, fmt="table", cancelled=kill_the_engine)
    assert worker.ask("ASK {}", fmt="table").body == b"true\n"


def test_worker_refuses_service_before_the_engine_sees_it(worker):
    pid = worker.pid
    with pytest.raises(ServiceRefused):
        worker.ask("SELECT * { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }")
    assert worker.pid == pid  # the same child: nothing reached it


def test_worker_malformed_query_is_a_query_error(worker):
    with pytest.raises(ValueError, match="malformed query: error at 1:"):
        worker.ask("SELECT ?x WHERE { ?x ?y }", fmt="table")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.trig", None, "no such file"),
        ("bad.nt", "<a> <b> .\n", "not valid"),
        ("huge.nt", '<https://e.example/a> <https://e.example/b> "{}" .\n', "longer than kg reads"),
    ],
)
def test_worker_unreadable_graph_is_a_load_error(tmp_path, name, content, problem):
    path = tmp_path / name
    if content is not None:
        path.write_text(content.replace("{}", "x" * (17 << 20)))
    with QueryWorker(path) as worker, pytest.raises(GraphFileError, match=problem):
        worker.start()


def test_worker_dies_with_its_parent(sample_build):
    # A parent that starts a worker on a query for the ages, then is killed outright.
    script = textwrap.dedent(
        f"""
        from kg.query.worker import QueryWorker
        worker = QueryWorker({str(sample_build)!r})
        worker.start()
        print(worker.pid, flush=True)
        worker.ask({SLOW!r}, fmt="table", timeout=3600)
        """
    )
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert parent.stdout is not None
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    assert _gone(child), "the query worker outlived its parent"


SANDBOXED = """
import socket, sys
from kg.query.sandbox import forbid_network
from pyoxigraph import Store
if not forbid_network():
    print("unsupported")
    sys.exit()
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=5)
    print("connected")
except PermissionError:
    print("refused")
try:
    list(Store().query("SELECT * {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"))
except OSError as err:
    print(type(err).__name__)
"""


def test_sandbox_takes_tcp_away_from_the_engine():
    with socket.create_server(("127.0.0.1", 0)) as listener:
        port = listener.getsockname()[1]
        script = SANDBOXED.format(port=port)
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=WAIT
        )
        if result.stdout.strip() == "unsupported":
            pytest.skip("no Landlock network rules on this kernel (Linux 6.7+)")
        assert result.stdout.split() == ["refused", "PermissionError"], result.stderr
        listener.setblocking(False)
        with pytest.raises(BlockingIOError):
            listener.accept()  # nobody knocked
