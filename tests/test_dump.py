"""Turtle and JSON-LD written from kept pieces and a build's changes equal those from the union."""

from __future__ import annotations

import gc
import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.buildstore import BuildStore
from kg.chunks import graph_chunk
from kg.dump import PIECES_DIR, dump_store, union_changes, write_union
from kg.layout import Format
from kg.namespaces import KG, SCHEMA

ID = "https://w3id.org/newskg/id/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _quad(subject: str, predicate: str, value: str | ox.NamedNode, graph: str) -> ox.Quad:
    obj = value if isinstance(value, ox.NamedNode) else ox.Literal(value)
    return ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), obj, ox.NamedNode(graph))


def _graphs(headline: str) -> dict[str, list[ox.Quad]]:
    """Two articles' graphs and the entity graph; subjects in a prefixed namespace too."""
    one, two, entities = f"{ID}article/one", f"{ID}article/two", f"{ID}graph/entities"
    iraq = f"{ID}country/iraq"
    return {
        one: [
            _quad(one, str(SCHEMA.headline), 'Troops "leave"\nIraq', one),
            _quad(iraq, str(KG.mentionedIn), ox.NamedNode(one), one),
        ],
        two: [
            _quad(two, str(SCHEMA.headline), headline, two),
            _quad(iraq, str(KG.mentionedIn), ox.NamedNode(two), two),
            _quad(str(KG.Withdrawal), LABEL, "Withdrawal", two),
        ],
        entities: [
            _quad(iraq, LABEL, "Iraq", entities),
            _quad("http://www.wikidata.org/entity/Q796", LABEL, "Iraq", entities),
        ],
    }


def _put(folder: Path, graphs: dict[str, list[ox.Quad]]) -> BuildStore:
    store = BuildStore(folder)
    store.load(graph_chunk(ox.NamedNode(name), quads) for name, quads in graphs.items())
    store.keep_only(set(graphs))
    store.commit()
    return store


def _write(store: BuildStore, out: Path, fmt: Format, *, kept: bool) -> bytes:
    out.mkdir(exist_ok=True)
    path = out / f"graph.{fmt}"
    changes = union_changes(store, fmt)
    if kept:
        assert changes is not None
        write_union(path, fmt, store=store, source=changes)
    else:
        lines = out / "union.nt"
        dump_store(store, union=lines)
        write_union(path, fmt, store=store, source=lines)
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["turtle", "json-ld"])
def test_dump_an_edit_written_from_kept_pieces_equals_the_union_written(
    tmp_path: Path, fmt: Format
):
    folder = tmp_path / "store"
    store = _put(folder, _graphs("Marines arrive"))
    first = _write(store, tmp_path / "first", fmt, kept=False)
    assert union_changes(store, fmt) is None  # a first build: nothing known of before
    del store
    gc.collect()  # the store's lock goes with it

    store = _put(folder, _graphs("Marines arrive in Darwin"))  # article two edited
    changes = store.changes()
    assert changes is not None
    assert changes.graphs == {f"{ID}article/two"}
    assert changes.subjects == {f"<{ID}article/two>".encode()}
    edited = _write(store, tmp_path / "edited", fmt, kept=True)
    assert edited != first and b"Darwin" in edited

    shutil.rmtree(folder / PIECES_DIR)  # as a first build of the same graphs writes it
    assert edited == _write(store, tmp_path / "whole", fmt, kept=False)


def test_dump_hashes_a_chunk_file_once_a_build_however_often_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The writers, the page and validation each read every graph from its chunk file: one
    the build wrote, or found whole, is not hashed again; a damaged one is not used."""
    hashed: list[str] = []
    file_digest = hashlib.file_digest
    monkeypatch.setattr(
        hashlib, "file_digest", lambda f, d: hashed.append(Path(f.name).name) or file_digest(f, d)
    )
    folder = tmp_path / "store"
    graphs = _graphs("Marines arrive")
    store = _put(folder, graphs)
    expected = _dump_twice(store, tmp_path / "first")
    assert hashed == []  # written by this build
    del store
    gc.collect()  # the store's lock goes with it

    store = BuildStore(folder)  # the next build, nothing changed
    assert _dump_twice(store, tmp_path / "next") == expected
    assert sorted(hashed) == sorted(
        f"{graph_chunk(ox.NamedNode(n), q).digest}.nq" for n, q in graphs.items()
    )
    del store
    gc.collect()

    damaged = folder / "chunks" / hashed[0]
    damaged.write_bytes(damaged.read_bytes().replace(b"Iraq", b"Iran"))
    store = BuildStore(folder)
    assert _dump_twice(store, tmp_path / "damaged") == expected  # read from the store instead


def _dump_twice(store: BuildStore, out: Path) -> bytes:
    out.mkdir()
    dump_store(store, nquads=out / "graph.nq")
    dump_store(store, nquads=out / "again.nq")
    assert (out / "again.nq").read_bytes() == (out / "graph.nq").read_bytes()
    return (out / "graph.nq").read_bytes()
