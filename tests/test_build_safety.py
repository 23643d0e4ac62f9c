"""A build that fails, or is stopped, leaves the previous outputs whole; bad options fail first."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

import kg.stages
from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.namespaces import KG, SCHEMA

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
ARTICLE = str(ARTICLES / "001_c34ed854f745c209.txt")
ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.html")
runner = CliRunner()


def headline_dataset(headline: str) -> Dataset:
    """A one-article graph whose only text is `headline`."""
    article = URIRef(f"{DEFAULT_BASE_IRI}article/x")
    dataset = Dataset()
    graph = dataset.graph(article)
    graph.add((article, RDF.type, KG.Article))
    graph.add((article, SCHEMA.headline, Literal(headline)))
    return dataset


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def build_with(monkeypatch, fake_build, headline: str, out: Path) -> int:
    import kg.stages

    monkeypatch.setattr(kg.stages, "build", fake_build(headline_dataset(headline)))
    command = ["build", ARTICLE, "--out", str(out), "--no-validate", "--force"]
    return runner.invoke(app, command).exit_code


# --- outputs are replaced as a set ------------------------------------------------------


def test_build_safety_control_characters_in_a_headline_write_every_file(
    monkeypatch, tmp_path, fake_build
):
    out = tmp_path / "out"
    assert build_with(monkeypatch, fake_build, "Alarm\x07 in \x1b[31mBaghdad", out) == 0
    graphml = nx.read_graphml(out / "graph.graphml")
    assert graphml.nodes[f"{DEFAULT_BASE_IRI}article/x"]["label"] == "Alarm in [31mBaghdad"
    assert not leftovers(tmp_path)


def test_build_safety_a_failing_writer_leaves_the_previous_set_whole(
    monkeypatch, tmp_path, fake_build
):
    out = tmp_path / "out"
    assert build_with(monkeypatch, fake_build, "first", out) == 0
    before = outputs(out)

    def broken(_projection: object, _out: object) -> None:
        raise ValueError("the GraphML writer failed")

    monkeypatch.setattr(kg.stages, "write_graphml", broken)
    assert build_with(monkeypatch, fake_build, "second", out) != 0
    assert outputs(out) == before
    assert not leftovers(tmp_path)


def test_build_safety_the_cache_is_left_alone(monkeypatch, tmp_path, fake_build):
    out = tmp_path / "out"
    (out / ".cache" / "ab").mkdir(parents=True)
    (out / ".cache" / "ab" / "entry").write_bytes(b"cached")
    (out / "notes.txt").write_text("mine")
    assert build_with(monkeypatch, fake_build, "first", out) == 0
    assert (out / ".cache" / "ab" / "entry").read_bytes() == b"cached"
    assert (out / "notes.txt").read_text() == "mine"


def test_build_safety_fewer_formats_leave_no_older_graph_file(monkeypatch, tmp_path, fake_build):
    out = tmp_path / "out"
    assert build_with(monkeypatch, fake_build, "first", out) == 0
    # build_with left the spaCy-free build in place.
    result = runner.invoke(app, ["build", ARTICLE, "--out", str(out), "--format", "ttl"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir() if not p.name.startswith(".")} == {
        "graph.ttl",
        "graph.html",
        "changes.ru",  # what changed since the last build, written whatever the formats
        "timeline.svg",
    }


# Runs `kg build` with the graph made up (no spaCy) and, when asked, a GraphML writer
# that announces itself and then hangs, so a signal arrives between two writers.
STOPPABLE_BUILD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import pyoxigraph as ox
    import kg.stages, kg.cli
    from kg.chunks import graph_chunk
    from kg.stages import BuildResult

    article, out, headline, marker = sys.argv[1:5]

    def build(articles, *, options, **_):
        iri = ox.NamedNode("https://w3id.org/newskg/id/article/x")
        headline_quad = ox.Quad(iri, ox.NamedNode("https://schema.org/headline"),
                                ox.Literal(headline), iri)
        store = kg.stages.open_store(options)
        store.load([graph_chunk(iri, [headline_quad])])
        store.commit()
        return BuildResult(skipped=(), store=store, seconds=0.0,
                           article_count=len(articles))

    def hanging_graphml(projection, out):
        Path(marker).write_text("writing")
        time.sleep(120)

    kg.stages.build = build
    if marker != "-":
        kg.stages.write_graphml = hanging_graphml
    kg.cli.app(["build", article, "--out", out, "--no-validate", "--force"])
    """
)


def run_stoppable(tmp_path: Path, out: Path, headline: str, marker: str) -> subprocess.Popen:
    script = tmp_path / "stoppable_build.py"
    script.write_text(STOPPABLE_BUILD, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(script), ARTICLE, str(out), headline, marker],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(condition, seconds: float = 120.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_build_safety_a_signal_between_writers_leaves_the_previous_set_whole(tmp_path, signum):
    out = tmp_path / "out"
    first = run_stoppable(tmp_path, out, "first", "-")
    assert first.wait(timeout=300) == 0, first.stderr.read() if first.stderr else ""
    before = outputs(out)

    marker = tmp_path / "writing"
    second = run_stoppable(tmp_path, out, "second", str(marker))
    try:
        assert wait_for(marker.exists), "the build never reached the GraphML writer"
        second.send_signal(signum)
        assert second.wait(timeout=60) != 0
    finally:
        second.kill()
        second.wait()
    assert outputs(out) == before
    assert not leftovers(tmp_path)


# --- bad options are refused before any article is parsed --------------------------------


def refused_up_front(args: list[str]) -> str:
    result = runner.invoke(app, ["build", str(ARTICLES), *args])
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # a message, not a traceback
    assert "parsing articles" not in result.stderr
    return result.stderr


def test_build_safety_out_naming_a_file_is_refused(tmp_path):
    taken = tmp_path / "graph.ttl"
    taken.write_text("not a folder")
    assert "is a file" in refused_up_front(["--out", str(taken)])
    assert taken.read_text() == "not a folder"


def test_build_safety_out_below_a_file_is_refused(tmp_path):
    taken = tmp_path / "file"
    taken.write_text("x")
    assert "is a file" in refused_up_front(["--out", str(taken / "out")])


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_build_safety_out_where_nothing_can_be_written_is_refused():
    assert "cannot be written" in refused_up_front(["--out", "/proc/newskg-out"])


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_build_safety_unwritable_out_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        assert "cannot be written" in refused_up_front(["--out", str(locked / "out")])
    finally:
        locked.chmod(0o755)


@pytest.mark.parametrize("folder", ["/etc", "an empty folder"])
def test_build_safety_model_folder_without_a_pipeline_is_refused(tmp_path, folder):
    if folder == "an empty folder":
        folder = str(tmp_path / "model")
        Path(folder).mkdir()
    stderr = refused_up_front(["--out", str(tmp_path / "out"), "--model", folder])
    assert "not a spaCy pipeline" in stderr
    assert not (tmp_path / "out").exists()


# --- workers end with their parent ------------------------------------------------------


def children_of(pid: int) -> set[int]:
    """Process ids whose parent is `pid`, read from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # "pid (name) state ppid …": the name may hold spaces and parentheses.
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


def running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_build_safety_sigterm_stops_the_workers(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for copy in range(8):
        for article in sorted(ARTICLES.glob("*.txt")):
            shutil.copy(article, folder / f"{copy}_{article.name}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(folder), "--out", str(tmp_path / "out"),
         "--jobs", "2", "--no-cache"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    workers: set[int] = set()

    def both_started() -> bool:
        workers.update(children_of(build.pid))
        return len(workers) >= 2

    try:
        assert wait_for(both_started), "no worker processes started"
        time.sleep(1.0)  # the workers are loading the pipeline or parsing
        build.send_signal(signal.SIGTERM)
        build.wait(timeout=60)
    finally:
        build.kill()
        build.wait()
    try:
        assert wait_for(lambda: not any(map(running, workers)), seconds=10.0), workers
    finally:
        for pid in filter(running, workers):  # on failure, end the strays this test started
            os.kill(pid, signal.SIGKILL)
