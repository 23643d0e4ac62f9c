"""A rebuild touches only what changed and ends where a clean build of the same articles ends."""

from __future__ import annotations

import hashlib
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.buildstore import BuildStore
from kg.cli import app

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.html")
runner = CliRunner()
BASE = "https://w3id.org/newskg/id/"
ENTITIES = f"{BASE}graph/entities"
# the graphs no article owns
SHARED = [ENTITIES, *(f"{BASE}graph/{name}" for name in ("support", "consensus", "resolution"))]

ADDED = """Marines arrive in Darwin for a six-month rotation

CANBERRA, Australia, April 2, 2024 — About 2,000 U.S. Marines arrived in Darwin on Tuesday
for their annual rotation, the Australian Department of Defence said.
"""


def _build(articles: Path, out: Path, *options: str) -> str:
    result = runner.invoke(app, ["build", str(articles), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def _files(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """Three of the sample articles, in a folder the test may change."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in sorted(p.name for p in ARTICLES.iterdir())[:3]:
        shutil.copy(ARTICLES / name, folder / name)
    return folder


def _clean_build(articles: Path, tmp_path: Path) -> dict[str, bytes]:
    clean = tmp_path / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    _build(articles, clean, "--no-cache")
    return _files(clean)


def test_incremental_add_edit_delete_equal_a_clean_build(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)

    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    summary = _build(corpus, out)
    assert "4 articles read" in summary and "(3 from the cache)" in summary
    assert _files(out) == _clean_build(corpus, tmp_path)
    assert "Darwin" in (out / "graph.ttl").read_text(encoding="utf-8")

    added = corpus / "100_marines.txt"
    added.write_text(ADDED.replace("2,000", "2,500"), encoding="utf-8")
    summary = _build(corpus, out)
    assert "(3 from the cache)" in summary
    assert _files(out) == _clean_build(corpus, tmp_path)
    assert "kg:troopCount 2500 " in (out / "graph.ttl").read_text(encoding="utf-8")

    first = sorted(corpus.iterdir())[0]
    first.unlink()
    summary = _build(corpus, out)
    assert "3 articles read" in summary and "1 dropped" in summary
    assert _files(out) == _clean_build(corpus, tmp_path)
    assert first.name not in (out / "graph.nq").read_text(encoding="utf-8")


def test_incremental_one_edit_rewrites_only_the_graphs_it_changes(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    summary = _build(corpus, out)
    # The new article's graph, the entity graph (new entities), the support graph (its
    # claims) and the resolution graph (its names); the other three articles' graphs and
    # the consensus graph stay.
    assert "in 8 graphs (4 rewritten, 0 dropped)" in summary


# Run in a fresh interpreter: whether a module is imported is a fact of the process.
UNCHANGED_BUILD = textwrap.dedent(
    """
    import sys
    from kg.cli import app
    try:
        app(sys.argv[1:])
    except SystemExit as stop:
        assert not stop.code, stop.code
    print("loaded:", sorted({"spacy", "rdflib", "pyoxigraph"} & set(sys.modules)))
    """
)


def test_incremental_unchanged_rebuild_loads_nothing(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)
    before = {name: (out / name).stat().st_mtime_ns for name in OUTPUTS}
    command = [sys.executable, "-c", UNCHANGED_BUILD, "build", str(corpus), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "nothing changed since the last build" in done.stdout
    assert "loaded: []" in done.stdout
    assert {name: (out / name).stat().st_mtime_ns for name in OUTPUTS} == before


def test_incremental_a_changed_output_file_is_written_again(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)
    expected = _files(out)
    (out / "graph.ttl").write_text("# edited by hand\n", encoding="utf-8")
    (out / "graph.html").unlink()
    summary = _build(corpus, out)
    assert "nothing changed" not in summary
    assert _files(out) == expected


def test_incremental_another_setting_rebuilds(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)
    summary = _build(corpus, out, "--base-iri", "https://example.org/news/")
    assert "nothing changed" not in summary
    assert "https://example.org/news/" in (out / "graph.ttl").read_text(encoding="utf-8")
    assert "nothing changed" in _build(corpus, out, "--base-iri", "https://example.org/news/")
    assert "nothing changed" not in _build(
        corpus, out, "--base-iri", "https://example.org/news/", "--force"
    )


# A build killed (SIGKILL: no handler, no cleanup) after it has replaced some of the
# store's graphs but before it vouched for them in the manifest or wrote any file.
KILLED_BUILD = textwrap.dedent(
    """
    import os, signal, sys
    import kg.stages, kg.buildstore
    from kg.cli import app

    kg.buildstore.LOAD_BATCH = 1  # each graph is loaded as soon as it is made
    statements_chunk = kg.stages.statements_chunk
    made = []

    def chunk_or_die(graph):
        if len(made) == 2:  # the entity graph and the first edited article's are in the store
            os.kill(os.getpid(), signal.SIGKILL)
        made.append(graph.name)
        return statements_chunk(graph)

    kg.stages.statements_chunk = chunk_or_die
    app(sys.argv[1:])
    """
)


def test_incremental_a_killed_build_leaves_a_store_the_next_build_finishes(
    corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _build(corpus, out)
    first, second = sorted(corpus.iterdir())[:2]
    original = first.read_text(encoding="utf-8")
    first.write_text(original + "\nAbout 750 soldiers left Camp Taji on Friday.\n", "utf-8")
    second.write_text(second.read_text("utf-8") + "\nTwo ships left Bahrain.\n", "utf-8")

    # Killed after the entity graph and the first article's graph were replaced, as the
    # second article's graph is made (the third graph's, unchanged, is not made at all).
    command = [sys.executable, "-c", KILLED_BUILD, "build", str(corpus), "--out", str(out)]
    killed = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    # The edit is undone and another article added: the store holds a graph of the
    # killed build that no input asks for any more, and the next build must notice.
    first.write_text(original, encoding="utf-8")
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    _build(corpus, out)
    assert _files(out) == _clean_build(corpus, tmp_path)
    assert "Camp Taji on Friday" not in (out / "graph.ttl").read_text(encoding="utf-8")


def test_incremental_a_store_in_use_is_refused_clearly(corpus: Path, tmp_path: Path):
    import pyoxigraph

    out = tmp_path / "out"
    (out / ".store").mkdir(parents=True)
    holder = pyoxigraph.Store(str(out / ".store" / "oxigraph"))
    result = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    del holder
    assert result.exit_code == 2, result.output
    assert "another build is using it" in result.stderr
    assert not any((out / name).exists() for name in OUTPUTS)


def test_incremental_a_store_below_a_file_is_refused_up_front(corpus: Path, tmp_path: Path):
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder", encoding="utf-8")
    store = blocker / "store"
    result = runner.invoke(
        app, ["build", str(corpus), "--out", str(tmp_path / "out"), "--store", str(store)]
    )
    assert result.exit_code == 2, result.output
    assert f"--store {store}" in result.stderr
    assert "parsing articles" not in result.output


def test_incremental_chunk_files_follow_the_graphs_and_a_damaged_one_is_not_trusted(
    corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _build(corpus, out)
    chunks = out / ".store" / "chunks"

    def kept(suffix: str) -> list[Path]:
        return sorted(chunks.glob(f"*{suffix}"))

    # three articles, the entity, support and consensus graphs
    assert len(kept(".nq")) == len(kept(".trig")) == 7
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    _build(corpus, out)
    assert len(kept(".nq")) == len(kept(".trig")) == 8  # the shared graphs' old ones are gone
    assert {p.stem for p in kept(".nq")} == {p.stem for p in kept(".trig")}
    damaged = b"<urn:x> <urn:y> <urn:z> <urn:g> .\n"
    for path in chunks.iterdir():  # damaged behind our back
        path.write_bytes(damaged if path.suffix == ".nq" else path.read_bytes()[:-30])
    _build(corpus, out, "--force")
    assert _files(out) == _clean_build(corpus, tmp_path)
    for path in kept(".nq"):  # mended from the store
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.stem


def test_incremental_kept_pieces_of_the_files_are_trusted_only_as_written(
    corpus: Path, tmp_path: Path
):
    out = tmp_path / "out"
    _build(corpus, out)
    expected = _files(out)
    for path in (out / ".store" / "chunks").glob("*.trig"):  # each graph's TriG
        check, section = path.read_bytes().split(b"\n", 1)
        assert b"kg:" in section
        path.write_bytes(check + b"\n" + section.replace(b"kg:", b"schema:"))  # same length
    nodes = out / ".store" / "pieces" / "json-ld.pieces.text"  # the JSON-LD, as written
    assert b'"Iraq"' in nodes.read_bytes()
    nodes.write_bytes(nodes.read_bytes().replace(b'"Iraq"', b'"Iran"'))
    _build(corpus, out, "--force")
    assert _files(out) == expected


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the article files the builds read, in order."""
    import kg.stages

    names: list[str] = []
    load_article = kg.stages.load_article

    def load_and_note(path: Path, name: str | None = None):
        names.append(name or path.name)
        return load_article(path, name)

    monkeypatch.setattr(kg.stages, "load_article", load_and_note)
    return names


def _edit(article: Path, sentence: str = " About 400 Marines left Okinawa.") -> None:
    """A sentence more in the article's body (its longest line; a line added at the end would
    fall among the related links and copyright, which are no part of it)."""
    text = article.read_text(encoding="utf-8")
    body = max(text.splitlines(), key=len)
    article.write_text(text.replace(body, body + sentence, 1), "utf-8")


def _cache_entries(out: Path) -> list[Path]:
    return sorted((out / ".cache").rglob("*.json"))


def _edit_one_and_add_one(corpus: Path) -> list[str]:
    edited = sorted(corpus.iterdir())[1]
    _edit(edited)
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    return [edited.name, "100_marines.txt"]


def _mark_the_byte_order(corpus: Path) -> list[str]:
    """New bytes, the same article: a UTF-8 byte-order mark is no part of the text."""
    first = sorted(corpus.iterdir())[0]
    first.write_bytes(b"\xef\xbb\xbf" + first.read_bytes())
    return [first.name]


@pytest.mark.parametrize(
    ("change", "printed"),
    [
        (_edit_one_and_add_one, ("4 articles read", "(2 from the cache)")),
        # the marked file is read, its article found in the cache, and no graph changes
        (_mark_the_byte_order, ("(0 rewritten, 0 dropped)", "(3 from the cache)")),
    ],
)
def test_incremental_only_the_files_whose_bytes_changed_are_read(
    corpus: Path, tmp_path: Path, reads: list[str], change, printed: tuple[str, ...]
):
    out = tmp_path / "out"
    _build(corpus, out)
    assert len(reads) == 3
    changed = change(corpus)
    reads.clear()
    summary = _build(corpus, out)
    assert sorted(reads) == sorted(changed)
    assert all(words in summary for words in printed), summary
    assert _files(out) == _clean_build(corpus, tmp_path)


def test_incremental_another_setting_reads_every_file(
    corpus: Path, tmp_path: Path, reads: list[str]
):
    out = tmp_path / "out"
    _build(corpus, out)
    reads.clear()
    _build(corpus, out, "--base-iri", "https://example.org/news/")
    assert len(reads) == 3
    reads.clear()
    _build(corpus, out, "--base-iri", "https://example.org/news/", "--force")
    assert reads == []  # the same settings again: nothing to read


@pytest.mark.parametrize("how", ["changed", "missing"])
def test_incremental_a_damaged_cache_entry_means_the_file_is_read_again(
    corpus: Path, tmp_path: Path, reads: list[str], how: str
):
    out = tmp_path / "out"
    _build(corpus, out)
    for entry in _cache_entries(out):
        if how == "missing":
            entry.unlink()
        else:  # still a well-formed entry, of what the file does not say
            entry.write_bytes(entry.read_bytes().replace(b'"Iraq"', b'"Iran"'))
    reads.clear()
    _build(corpus, out, "--force")
    assert len(reads) == 3
    assert _files(out) == _clean_build(corpus, tmp_path)


def test_incremental_a_bad_file_is_reported_at_every_build(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    (corpus / "empty.txt").write_bytes(b"")

    def warnings() -> str:
        result = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
        # The second build in this process must find the store free: a skipped file's
        # error is kept without the traceback that held the first build's frames.
        assert result.exit_code == 0, result.output
        return result.stderr

    assert "skipped" in warnings()
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    assert f"skipped {corpus / 'empty.txt'}: file is empty" in warnings()


@pytest.fixture
def graphs_made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the graphs the builds made (handed to the store), in order; a graph
    patched with what changed in it is marked so."""
    names: list[str] = []
    load = BuildStore.load

    def load_and_note(store, chunks):
        def noted():
            for chunk in chunks:
                names.append(f"{chunk.name} (patched)" if chunk.patched else chunk.name)
                yield chunk

        return load(store, noted())

    monkeypatch.setattr(BuildStore, "load", load_and_note)
    return names


def test_incremental_the_graph_of_an_unchanged_article_is_not_made_again(
    corpus: Path, tmp_path: Path, graphs_made: list[str]
):
    out = tmp_path / "out"
    _build(corpus, out)
    assert len(graphs_made) == 7  # the entity, support, consensus, resolution graphs, 3 articles'
    edited = sorted(corpus.iterdir())[2]
    _edit(edited)
    graphs_made.clear()
    _build(corpus, out)
    # it names no new entity; its claims and decisions changed, so the support, consensus
    # and resolution graphs too: patched with the claims and decisions that changed
    patched = [f"{name} (patched)" for name in SHARED[1:]]
    assert graphs_made == [*patched, f"{BASE}article/{edited.stem}"]
    assert _files(out) == _clean_build(corpus, tmp_path)

    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")  # it names Darwin
    graphs_made.clear()
    _build(corpus, out)
    assert graphs_made == [SHARED[0], *patched, f"{BASE}article/100_marines"]
    assert _files(out) == _clean_build(corpus, tmp_path)

    graphs_made.clear()
    _build(corpus, out, "--base-iri", "https://example.org/news/")  # every graph is new
    assert len(graphs_made) == 8  # the shared graphs and four articles'
    clean = tmp_path / "clean"
    shutil.rmtree(clean)
    _build(corpus, clean, "--no-cache", "--base-iri", "https://example.org/news/")
    assert _files(out) == _files(clean)


@pytest.fixture
def work_done(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[object]]:
    """What the writers computed rather than took from what the last build kept: whether the
    union was sorted (per build), the nodes whose details were read, the layouts made."""
    import kg.stages
    import kg.view.details
    import kg.view.layout

    done: dict[str, list[object]] = {"union": [], "details": [], "layouts": []}
    dump_store = kg.stages.dump_store
    details = kg.view.details.DetailReader._details
    positions = kg.view.layout._positions

    def dump_and_note(store, **files):
        done["union"].append(files["union"] is not None)
        return dump_store(store, **files)

    def details_and_note(self, subject, kind):
        done["details"].append(subject.value)
        return details(self, subject, kind)

    def positions_and_note(count, *args):
        done["layouts"].append(count)
        return positions(count, *args)

    monkeypatch.setattr(kg.stages, "dump_store", dump_and_note)
    monkeypatch.setattr(kg.view.details.DetailReader, "_details", details_and_note)
    monkeypatch.setattr(kg.view.layout, "_positions", positions_and_note)
    return done


def test_incremental_an_edit_is_written_from_what_the_last_build_kept(
    corpus: Path, tmp_path: Path, work_done: dict[str, list[object]], monkeypatch
):
    # A page of the most connected nodes, as of a large archive: an edit seldom changes
    # which are drawn (when it does, the layout is made again).
    monkeypatch.setattr("kg.stages.BUILD_VIEW_NODES", 20)
    out = tmp_path / "out"
    _build(corpus, out)
    assert work_done["union"] == [True] and work_done["layouts"]
    drawn = len(work_done["details"])
    for done in work_done.values():
        done.clear()

    _build(corpus, out, "--force")  # nothing changed: everything is taken back
    assert work_done == {"union": [False], "details": [], "layouts": []}

    _edit(sorted(corpus.iterdir())[2])
    _build(corpus, out)
    assert work_done["union"] == [False, False]  # Turtle and JSON-LD from their pieces
    assert work_done["layouts"] == []  # the same nodes are drawn
    # those whose statements, neighbours' names or articles the edit touched: in three
    # articles, most of them (the edit shifts every later mention of its article)
    assert 0 < len(work_done["details"]) < drawn
    assert _files(out) == _clean_build(corpus, tmp_path)


def test_incremental_nodes_drawn_or_dropped_elsewhere_keep_the_other_nodes_details(
    corpus: Path, tmp_path: Path, work_done: dict[str, list[object]]
):
    # Every node drawn: the edit's new place and event enter the page and renumber the nodes
    # after them, whose details still say the same (they name other nodes by IRI until the
    # page gives them their numbers).
    out = tmp_path / "out"
    _build(corpus, out)
    drawn = len(work_done["details"])
    work_done["details"].clear()

    _edit(sorted(corpus.iterdir())[2], " Norway said 300 of its soldiers would leave Lithuania.")
    _build(corpus, out)
    assert work_done["layouts"][-1] > work_done["layouts"][0]  # more nodes drawn
    assert 0 < len(work_done["details"]) < drawn  # not every one of them, let alone the new
    assert _files(out) == _clean_build(corpus, tmp_path)


@pytest.mark.parametrize("kept", ["memos", "pieces", "extractions.pack"])
def test_incremental_a_damaged_memo_costs_work_never_a_wrong_file(
    corpus: Path, tmp_path: Path, kept: str
):
    out = tmp_path / "out"
    _build(corpus, out)
    _edit(sorted(corpus.iterdir())[2])
    damaged = 0
    found = out / ".store" / kept
    for path in found.iterdir() if found.is_dir() else [found]:  # same length, another country
        data = path.read_bytes()
        damaged += data.count(b"Iraq")
        path.write_bytes(data.replace(b"Iraq", b"Iran"))
    assert damaged
    _build(corpus, out)
    assert _files(out) == _clean_build(corpus, tmp_path)


def test_incremental_the_manifest_counts_the_quads_of_the_store(corpus: Path, tmp_path: Path):
    out = tmp_path / "out"
    _build(corpus, out)
    _edit(sorted(corpus.iterdir())[0])
    (corpus / "100_marines.txt").write_text(ADDED, encoding="utf-8")
    said = _build(corpus, out)
    store = BuildStore(out / ".store")
    assert store.quads() == len(store.store) > 0
    assert f"{len(store.store)} triples in" in said
