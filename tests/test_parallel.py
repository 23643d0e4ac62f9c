"""--jobs, the extraction cache and the Dask executor all give the graph a plain build gives."""

from __future__ import annotations

import multiprocessing
import os
import shutil
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from typer.testing import CliRunner

import kg.stages
from kg.cache import ExtractionCache, article_key, pipeline_fingerprint
from kg.chunks import graph_chunk, graph_chunks, statements_chunk, subjects_chunk
from kg.cli import app
from kg.curation import curate
from kg.defaults import DEFAULT_BASE_IRI, DEFAULT_MODEL
from kg.gazetteer import shipped_gazetteer
from kg.graph import IriMinter, article_graph, article_records
from kg.ingest import load_article
from kg.parallel import open_workers
from kg.resolve import resolve, resolve_events

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
OUTPUTS = ("graph.ttl", "graph.trig", "graph.nq", "graph.jsonld", "graph.graphml", "graph.html")
runner = CliRunner()


def _build(*args: str) -> str:
    result = runner.invoke(app, ["build", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def _same_files(a: Path, b: Path) -> None:
    for name in OUTPUTS:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_two_processes_build_the_same_graph(
    sample_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """…and their processes are gone before resolution: the stages after parsing run here."""
    alive_at_resolution: list[int] = []

    def counted_curate(*args: Any, **kwargs: Any) -> Any:
        alive_at_resolution.append(len(multiprocessing.active_children()))
        return curate(*args, **kwargs)

    monkeypatch.setattr(kg.stages, "curate", counted_curate)
    _build(str(ARTICLES), "--out", str(tmp_path), "--jobs", "2", "--no-cache")
    _same_files(sample_build, tmp_path)
    assert not (tmp_path / ".cache").exists()
    assert alive_at_resolution == [0]


def test_stopped_worker_processes_are_gone_and_start_again_at_the_next_map():
    with open_workers(jobs=2) as workers:
        first = set(workers.map(os.getpid, [()] * 8))
        workers.stop_processes()
        assert first and not any(Path(f"/proc/{pid}").exists() for pid in first)
        again = set(workers.map(os.getpid, [()] * 8))
    assert again and not again & first and os.getpid() not in again


def test_dask_local_cluster_builds_the_same_graph(sample_build: Path, tmp_path: Path):
    pytest.importorskip("distributed")
    _build(str(ARTICLES), "--out", str(tmp_path), "--executor", "dask", "--no-cache")
    _same_files(sample_build, tmp_path)


def test_dask_chunks_and_local_graphs_share_digests(tmp_path: Path):
    """A Dask build's bulk-loaded chunks are the graphs a local build stores: switching
    executor on one store rewrites nothing."""
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    _build(str(ARTICLES), "--out", str(out), "--jobs", "2")
    summary = _build(str(ARTICLES), "--out", str(out), "--executor", "dask", "--force")
    assert "(0 rewritten, 0 dropped)" in summary
    (out / ".store" / "manifest.json").unlink()  # now every graph is loaded from its chunk
    summary = _build(str(ARTICLES), "--out", str(out), "--executor", "dask", "--jobs", "2")
    assert "in 9 graphs (9 rewritten, 0 dropped)" in summary
    assert "(5 from the cache)" in summary
    fresh = tmp_path / "fresh"
    _build(str(ARTICLES), "--out", str(fresh), "--no-cache")
    _same_files(fresh, out)


def test_graph_chunk_holds_the_article_graph(extract):
    extraction = extract(
        "Sweden sent 300 soldiers to Latvia on Monday, the Swedish Armed Forces said."
    )
    resolution = resolve([extraction], shipped_gazetteer())
    events = resolve_events([extraction], resolution)
    (records,) = article_records([extraction], resolution, events)
    graph = article_graph(records, IriMinter(DEFAULT_BASE_IRI))
    name, quads = graph.name, graph.quads()
    (chunk,) = graph_chunks(DEFAULT_BASE_IRI, [records])
    assert chunk.name == name.value
    assert chunk == graph_chunk(name, list(reversed(quads)))  # any order, the same bytes
    assert chunk == statements_chunk(graph)  # made of the lines, the quads' bytes
    loaded = set(pyoxigraph.parse(chunk.nquads, format=pyoxigraph.RdfFormat.N_QUADS))
    assert loaded == set(quads)
    assert any(q.predicate.value.endswith("#troopCount") for q in loaded)


def test_warm_cache_builds_the_same_graph_without_parsing(sample_build: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    _build(str(ARTICLES), "--out", str(tmp_path / "cold"), "--cache", str(cache))
    summary = _build(str(ARTICLES), "--out", str(tmp_path / "warm"), "--cache", str(cache))
    assert "(5 from the cache)" in summary
    _same_files(sample_build, tmp_path / "warm")


def test_editing_one_article_reparses_only_that_one(tmp_path: Path):
    source = tmp_path / "articles"
    shutil.copytree(ARTICLES, source)
    out = tmp_path / "out"
    _build(str(source), "--out", str(out))
    edited = source / "003_ec37e7ace81eb654.txt"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text.replace("neighboring Kuwait", "neighboring Qatar"), encoding="utf-8")
    summary = _build(str(source), "--out", str(out))
    assert "(4 from the cache)" in summary
    fresh = tmp_path / "fresh"
    _build(str(source), "--out", str(fresh), "--no-cache")
    _same_files(fresh, out)  # incremental equals cold
    assert "Kurdistan Region and Qatar" in (out / "graph.ttl").read_text(encoding="utf-8")


def test_another_pipeline_misses_the_cache(tmp_path: Path):
    article = load_article(ARTICLES / "001_c34ed854f745c209.txt")
    ours = pipeline_fingerprint(DEFAULT_MODEL)
    theirs = pipeline_fingerprint("en_core_web_sm")
    assert ours != theirs
    assert ours == pipeline_fingerprint(DEFAULT_MODEL)  # stable
    assert article_key(article, ours) != article_key(article, theirs)
    assert ExtractionCache(tmp_path, theirs).get(article) is None


def test_unreadable_cache_entry_is_recomputed(tmp_path: Path):
    cache = tmp_path / "cache"
    _build(
        str(ARTICLES / "001_c34ed854f745c209.txt"),
        "--out",
        str(tmp_path / "a"),
        "--cache",
        str(cache),
    )
    for entry in cache.rglob("*.json"):
        entry.write_bytes(b"not a pickle")
    summary = _build(
        str(ARTICLES / "001_c34ed854f745c209.txt"),
        "--out",
        str(tmp_path / "b"),
        "--cache",
        str(cache),
    )
    assert "from the cache" not in summary
    _same_files(tmp_path / "a", tmp_path / "b")


def test_unknown_executor_is_refused(tmp_path: Path):
    result = runner.invoke(
        app, ["build", str(ARTICLES), "--out", str(tmp_path), "--executor", "ray"]
    )
    assert result.exit_code == 2
    assert "unknown executor 'ray'" in result.stderr


def test_no_validate_skips_the_shacl_check(tmp_path: Path):
    summary = _build(
        str(ARTICLES / "001_c34ed854f745c209.txt"), "--out", str(tmp_path), "--no-validate"
    )
    assert "validation" not in summary
    assert (tmp_path / "graph.ttl").exists()


def test_a_pipeline_folder_is_fingerprinted_by_its_meta(tmp_path: Path):
    (tmp_path / "meta.json").write_text('{"version": "1.0.0"}', encoding="utf-8")
    first = pipeline_fingerprint(str(tmp_path))
    (tmp_path / "meta.json").write_text('{"version": "1.0.1"}', encoding="utf-8")
    assert pipeline_fingerprint(str(tmp_path)) != first


@pytest.mark.parametrize("run_lines", [200_000, 2])  # sorted in memory, or in runs on disk
def test_subjects_chunk_is_the_graph_chunk_of_the_same_quads(monkeypatch, run_lines):
    # Subjects whose IRIs prefix one another ('-' sorts before '>'), one given twice, and
    # a literal to escape: line order, dedup and serialization must all be graph_chunk's.
    import kg.sortruns

    monkeypatch.setattr(kg.sortruns, "RUN_LINES", run_lines)
    name = pyoxigraph.NamedNode("https://example.org/graph/g")
    p, q = (pyoxigraph.NamedNode(f"https://example.org/p{i}") for i in (1, 2))
    a, a_b, b = (pyoxigraph.NamedNode(f"https://example.org/{s}") for s in ("a", "a-b", "b"))
    said = {
        a: [(p, b), (q, pyoxigraph.Literal('say "hi"\n'))],
        a_b: [(q, a), (p, a)],
        b: [
            (
                p,
                pyoxigraph.Literal(
                    "2", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
                ),
            )
        ],
    }
    subjects = [(b, lambda: said[b]), (a, lambda: said[a]), (a_b, lambda: said[a_b])]
    subjects.append((a, lambda: [(p, b), (p, a)]))
    quads = [pyoxigraph.Quad(s, pr, o, name) for s, describe in subjects for pr, o in describe()]
    assert subjects_chunk(name, subjects) == graph_chunk(name, list(set(quads)))


def test_buildstore_loads_a_graph_bigger_than_a_batch_piece_by_piece(monkeypatch, tmp_path):
    import kg.buildstore

    monkeypatch.setattr(kg.buildstore, "LOAD_BATCH", 300)  # about two lines a piece
    name = pyoxigraph.NamedNode("https://example.org/graph/big")
    quads = [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(f"https://example.org/claim/{n}"),
            pyoxigraph.NamedNode("https://example.org/says"),
            pyoxigraph.Literal(f"statement {n}\nover two lines"),
            name,
        )
        for n in range(40)
    ]
    small = pyoxigraph.NamedNode("https://example.org/graph/small")
    tiny = [pyoxigraph.Quad(small, small, small, small)]
    loaded: list[int] = []
    submit = kg.buildstore._BackgroundLoads.submit

    def noted(loads, nquads):
        loaded.append(len(nquads))
        submit(loads, nquads)

    monkeypatch.setattr(kg.buildstore._BackgroundLoads, "submit", noted)
    store = kg.buildstore.BuildStore(tmp_path / "store")
    big = graph_chunk(name, quads)
    assert len(big.nquads) > 10 * kg.buildstore.LOAD_BATCH
    assert store.load([graph_chunk(small, tiny), big]) == [small.value, name.value]
    assert set(store.store) == {*quads, *tiny}
    assert len(loaded) > 10 and max(loaded) < 2 * kg.buildstore.LOAD_BATCH


def test_subjects_chunk_written_to_a_file_is_loaded_from_it_and_kept(monkeypatch, tmp_path):
    import kg.buildstore
    import kg.sortruns

    monkeypatch.setattr(kg.buildstore, "LOAD_BATCH", 300)  # about two lines a piece
    monkeypatch.setattr(kg.sortruns, "RUN_LINES", 7)  # sorted in runs, their files beside it
    name = pyoxigraph.NamedNode("https://example.org/graph/decisions")
    says = pyoxigraph.NamedNode("https://example.org/says")
    said = {
        pyoxigraph.NamedNode(f"https://example.org/claim/{n}"): [
            (says, pyoxigraph.Literal(f"statement {n}\nover two lines"))
        ]
        for n in range(40)
    }
    subjects = [(node, lambda node=node: said[node]) for node in reversed(list(said))]
    held = subjects_chunk(name, subjects)
    store = kg.buildstore.BuildStore(tmp_path / "store")
    written = subjects_chunk(name, subjects, store.chunks_folder)
    assert (written.digest, written.nquads, written.lines()) == (held.digest, b"", 40)
    assert written.whole() == held.nquads
    assert sorted(p.name for p in store.chunks_folder.iterdir()) == [f"{held.digest}.nq"]
    assert store.load([written]) == [name.value]
    assert set(store.store) == {
        pyoxigraph.Quad(node, p, o, name) for node, pairs in said.items() for p, o in pairs
    }
    digest, source = store.open_graph(name)
    with source:
        assert (digest, source.read()) == (held.digest, held.nquads)
    assert store.manifest.sizes[name.value] == 40
