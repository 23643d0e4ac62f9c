"""The build's stages: article files in, a graph and its files out (`kg.api.build` drives them).

Only this module knows the whole chain of stages:
read, extract (cached per article), resolve, write each graph into the
build's store (`kg.buildstore`, only the graphs that changed), then write
the files users read out of the store (`kg.dump`), swapped in as a set.
Whether a rebuild has anything to do at all is decided before this module
is imported (`kg.uptodate`).
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import spacy

from kg.atomic import atomic_write_text, replace_as_set
from kg.buildstore import BuildStore
from kg.cache import Cached, CacheEntry, ExtractionCache, code_fingerprint, pipeline_fingerprint
from kg.changes import write_changes
from kg.chunks import (
    GraphChunk,
    graph_chunks,
    patched_chunk,
    records_digest,
    statements_chunk,
    subjects_chunk,
)
from kg.consensus import (
    Tally,
    counting,
    keep_tally,
    kept_tally,
    support_changes,
    support_chunks,
    tally,
)
from kg.curation import Curation, CurationReport, curate
from kg.decisions import decision_changes, decision_items
from kg.decoded import DecodedPack
from kg.defaults import (
    BUILD_VIEW_NODES,
    DEFAULT_BASE_IRI,
    DEFAULT_CONSENSUS,
    DEFAULT_MODEL,
    Executor,
)
from kg.dump import dump_store, union_changes, write_union
from kg.gazetteer import pipeline_gazetteer
from kg.graph import (
    ArticleRecords,
    CorpusRecords,
    IriMinter,
    article_graph,
    entity_graph,
    resolution_subjects,
)
from kg.graphml import write_graphml
from kg.graphsource import GraphSource
from kg.heap import give_back_freed_memory, held_objects_frozen, no_cycle_collection
from kg.ingest import IngestError, discover_articles, load_article
from kg.layout import CHANGES_FILE, FORMATS, TIMELINE_FILE, VIEW_FILE, Format, output_name
from kg.memo import MEMOS_DIR, Memos, keep_pickled, keeping, kept_pickled
from kg.nlp import ModelNotFoundError, require_model
from kg.parallel import Workers, batches, open_workers, run_extraction
from kg.projection import keep_most_connected, project
from kg.records import Article, ArticleExtraction, Entity, Event, FormReason, Role
from kg.resolve import Resolution, resolve_events, resolve_roles
from kg.timeline import figures_by_place, timeline
from kg.timeline_chart import MAX_PLACES, places_svg
from kg.uptodate import file_stamp
from kg.view import ViewStats, write_html


class NoArticlesError(ValueError):
    """Nothing readable was given to build from."""


TALLY = "tally.pickle"  # in the store's folder: what the support graph was made of
DECISIONS = "decisions.pickle"  # in the store's folder: what the resolution graph was made of
UNION_SCRATCH = "union.nt.part"  # the sorted union, read by the Turtle and JSON-LD writers
UNION_FORMATS: tuple[Format, ...] = ("turtle", "json-ld")  # written from the union


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build produced, for the caller to write and summarise.

    It counts the records resolution made and keeps none: the graph is in the store,
    and records that outlive the build stages pin the memory they would free (the
    articles alone kept 100 MB at 10,000 articles through the writers).
    """

    skipped: tuple[IngestError, ...]
    store: BuildStore  # one named graph per article, plus the shared entity graph
    seconds: float
    article_count: int = 0
    entity_counts: dict[str, int] = field(default_factory=dict)  # class → entities
    event_count: int = 0
    cache_hits: int = 0  # articles whose extraction came from the cache
    cache_entries: dict[str, CacheEntry] = field(default_factory=dict)  # article name → entry
    changed: tuple[str, ...] = ()  # the graphs this build wrote (IRIs): all, or what changed
    dropped: tuple[str, ...] = ()  # the graphs of articles that left the build
    base_iri: str = DEFAULT_BASE_IRI
    consensus: int = DEFAULT_CONSENSUS  # outlets that must back a claim in the consensus graph
    timings: dict[str, float] = field(default_factory=dict)  # stage → seconds
    curation: CurationReport = CurationReport()  # the decisions applied, and those that were not

    def entities_by_class(self) -> dict[str, int]:
        return dict(sorted(self.entity_counts.items()))


def entity_counts(entities: Iterable[Entity]) -> dict[str, int]:
    """How many entities of each class."""
    return dict(Counter(e.entity_class for e in entities))


def read_articles(
    paths: Sequence[Path], *, kept: Mapping[str, Cached] | None = None
) -> tuple[list[Article | Cached], list[IngestError]]:
    """Load every article under `paths`; a bad file is reported, never fatal.

    A file named in `kept` (`kg.uptodate.kept_extractions`) is not read: its
    cached extraction, which carries its article, stands in for it.

    Raises:
        DuplicateArticleError: two files would become one article; nothing is read.
    """
    files, errors = discover_articles(paths)
    articles: list[Article | Cached] = []
    for file in files:
        found = kept.get(file.name) if kept else None
        if found is not None:
            articles.append(found)
            continue
        try:
            articles.append(load_article(file.path, file.name))
        except IngestError as err:
            # Kept without its traceback: the frames it holds would keep what the caller
            # holds alive (a notebook's second build would find the store still in use).
            errors.append(err.with_traceback(None))
    return articles, errors


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """How to run the per-article step: where, on how many processes, with which cache."""

    model: str = DEFAULT_MODEL
    base_iri: str = DEFAULT_BASE_IRI
    jobs: int = 1
    executor: Executor = "local"
    scheduler: str | None = None  # a Dask scheduler address; none starts a local cluster
    cache_dir: Path | None = None  # None: no cache
    store_dir: Path | None = None  # None: a store in a temporary folder, gone after the build
    consensus: int = DEFAULT_CONSENSUS  # outlets that must back a claim in the consensus graph
    curation: Curation = Curation()  # the analyst's decisions, applied around resolution


def check_model(model: str) -> None:
    """Fail before any parsing when `model` is no spaCy pipeline.

    Raises:
        ModelNotFoundError: it is neither an installed pipeline package nor a
            pipeline folder (one with a config.cfg; `--model /etc` is not).
    """
    require_model(model)
    if not spacy.util.is_package(model) and not (Path(model) / "config.cfg").is_file():
        raise ModelNotFoundError(
            f"'{model}' is a folder but not a spaCy pipeline (it has no config.cfg); pass an "
            "installed pipeline such as en_core_web_sm, or a folder saved with nlp.to_disk."
        )


def extract_articles(
    articles: Sequence[Article | Cached],
    options: BuildOptions,
    timings: dict[str, float],
    workers: Workers,
    on_articles: Callable[[int], None] | None = None,
) -> tuple[list[ArticleExtraction], int, dict[str, CacheEntry]]:
    """Every article's extraction, in order, from the cache or the pipeline; the cache hits;
    and where the cache keeps each extraction, by article name."""
    require_model(options.model)
    cache = (
        ExtractionCache(options.cache_dir, pipeline_fingerprint(options.model))
        if options.cache_dir
        else None
    )
    found = {
        i: a if isinstance(a, Cached) else cache.get(a) if cache else None
        for i, a in enumerate(articles)
    }
    missing = {i: a for i, a in enumerate(articles) if isinstance(a, Article) and not found[i]}
    hits = len(articles) - len(missing)
    if on_articles and hits:
        on_articles(hits)
    started = time.perf_counter()
    fresh, times = run_extraction(
        list(missing.values()), options.model, workers, on_chunk=on_articles
    )
    # Workers report the time they spent; the build waited less when they ran
    # side by side. Split the time waited in the workers' proportions.
    waited = time.perf_counter() - started
    worked = times.nlp + times.extract
    share = times.nlp / worked if worked else 1.0
    timings["nlp"], timings["extract"] = waited * share, waited * (1 - share)
    made = dict(zip(missing, fresh, strict=True))
    extractions = []
    entries = {}
    for i, cached in found.items():
        extraction = cached.extraction if cached else made[i]
        if cached:
            entries[extraction.article.source_file] = cached.entry
        elif cache:
            entries[extraction.article.source_file] = cache.put(missing[i], extraction)
        extractions.append(extraction)
    return extractions, hits, entries


def build(
    articles: Sequence[Article | Cached],
    *,
    skipped: Sequence[IngestError] = (),
    options: BuildOptions = BuildOptions(),
    on_articles: Callable[[int], None] | None = None,
    store: BuildStore | None = None,
) -> BuildResult:
    """Run every stage after ingest over `articles` (see `read_articles`), into a store.

    `on_articles(n)` is told each time n more articles are extracted. The
    graphs go into `store` (default: the store at `options.store_dir`);
    only those whose quads changed are rewritten, and the graphs of
    articles no longer given are dropped.

    Raises:
        NoArticlesError: when there is no article to build from.
        ModelNotFoundError: when the spaCy pipeline is not installed.
    """
    started = time.perf_counter()
    if not articles:
        raise NoArticlesError("no readable article to build from; give .txt, .md or .html files")
    timings: dict[str, float] = {}
    with open_workers(options.executor, options.jobs, options.scheduler) as workers:
        extractions, hits, entries = extract_articles(
            articles, options, timings, workers, on_articles
        )
        if not workers.remote:  # the store stage makes the article graphs here
            workers.stop_processes()
        extracted = extractions  # as the cache holds them, before curation
        with held_objects_frozen(), _timed(timings, "resolve"), no_cycle_collection():
            extractions, resolution, curated = curate(
                extractions,
                pipeline_gazetteer(options.model),
                options.curation,
                base_iri=options.base_iri,
            )
            events = resolve_events(extractions, resolution)
            roles = resolve_roles(extractions, resolution)
        store = store or open_store(options)
        with held_objects_frozen(), _timed(timings, "store"):
            changed, dropped = store_resolution(
                store,
                workers,
                (extractions, resolution, events, roles),
                base_iri=options.base_iri,
                consensus=options.consensus,
                extractions={name: entry.digest for name, entry in entries.items()},
            )
            if entries:
                DecodedPack(store.folder).keep(extracted, entries)
    return BuildResult(
        skipped=tuple(skipped),
        store=store,
        seconds=time.perf_counter() - started,
        article_count=len(extractions),
        entity_counts=entity_counts(resolution.entities),
        event_count=len(events),
        cache_hits=hits,
        cache_entries=entries,
        changed=tuple(changed),
        dropped=tuple(dropped),
        base_iri=options.base_iri,
        consensus=options.consensus,
        timings=timings,
        curation=curated,
    )


Resolved = tuple[Sequence[ArticleExtraction], Resolution, Sequence[Event], Sequence[Role]]


def store_resolution(
    store: BuildStore,
    workers: Workers,
    resolved: Resolved,
    *,
    base_iri: str,
    consensus: int = DEFAULT_CONSENSUS,
    extractions: Mapping[str, str] | None = None,
) -> tuple[list[str], list[str]]:
    """The store stage: each article's records, then every graph (`store_graphs`), of the
    extractions and what resolution made of them; the graphs changed and those dropped."""
    articles, resolution, events, roles = resolved
    return store_graphs(
        store,
        workers,
        CorpusRecords(articles, resolution, events, roles),
        resolution.entities,
        base_iri,
        consensus=consensus,
        extractions=extractions,
        explained=(resolution.reasons, events, roles),
    )


def store_graphs(
    store: BuildStore,
    workers: Workers,
    records: Sequence[ArticleRecords],
    entities: Sequence[Entity],
    base_iri: str,
    *,
    consensus: int = DEFAULT_CONSENSUS,
    extractions: Mapping[str, str] | None = None,
    explained: tuple[Sequence[FormReason], Sequence[Event], Sequence[Role]] = ((), (), ()),
) -> tuple[list[str], list[str]]:
    """Put the entity graph, the support and consensus graphs (`kg.consensus`, backed by
    `consensus` outlets), the resolution graph of the decisions `explained` (`kg.graph.
    resolution_graph`) and every article's graph in `store`, one graph at a time, and
    drop the graphs of articles not in `records`; the graphs changed and those dropped.

    Each graph goes in as an N-Quads chunk (`kg.chunks`); on Dask the
    workers make the article graphs' chunks. A graph whose records are
    those the store's graph was made from is not made again; `extractions`
    names an article's extraction by a digest (its cache entry's, by
    source file), which is cheaper to tell apart than the extraction. The
    support and consensus graphs are patched with the claims whose backing
    changed when the tally they were made of is kept (`kg.consensus.Tally`).
    """
    minter = IriMinter(base_iri)
    recipe = _recipe(minter)
    named = extractions or {}
    sources = {
        minter.article(r.extraction.article).value: records_digest(
            r, recipe, named.get(r.extraction.article.source_file)
        )
        for r in records
    }
    # by their place in `records`, which may make each when asked (`kg.graph.CorpusRecords`)
    todo = [i for i, (name, source) in enumerate(sources.items()) if not store.holds(name, source)]
    # The shared graphs: the entities', made of the entities; the support, consensus and
    # resolution graphs, made of every article's records (their digests say all the claims
    # and reasons do).
    claims = _digest((recipe, consensus, sorted(sources.items())))
    entities_name = minter.entities_graph().value
    sources[entities_name] = _digest((recipe, entities))
    # Each made only when the store takes it, so that one shared graph's quads are held
    # at a time: at 100,000 articles the support and resolution graphs hold millions.
    made: list[Callable[[], Iterable[GraphChunk]]] = []
    if not store.holds(entities_name, sources[entities_name]):
        made.append(lambda: [statements_chunk(entity_graph(entities, minter))])
    supported = (minter.support_graph().value, minter.consensus_graph().value)
    sources.update((name, claims) for name in supported)
    tallied: Tally | None = None
    if not all(store.holds(name, claims) for name in supported):
        digests = {
            r.extraction.article.source_file: sources[minter.article(r.extraction.article).value]
            for r in records
        }
        make_support, tallied = _support_chunks(store, records, digests, minter, minimum=consensus)
        made.append(make_support)
    resolution_name = minter.resolution_graph().value
    sources[resolution_name] = claims  # reasons, like claims, follow from the records
    if not store.holds(resolution_name, claims):
        made.append(_resolution_chunk(store, explained, minter))
    chunks: Iterable[GraphChunk]
    if workers.remote:
        tasks = [(base_iri, [records[i] for i in batch]) for batch in batches(todo, workers.jobs)]
        chunks = (chunk for batch in workers.map(graph_chunks, tasks) for chunk in batch)
    else:
        chunks = (statements_chunk(article_graph(records[i], minter)) for i in todo)
    shared = (chunk for make in made for chunk in make())
    changed = store.load(chain(shared, chunks))
    if tallied is not None:
        digests_now = (store.manifest.graphs[supported[0]], store.manifest.graphs[supported[1]])
        keep_tally(store.folder / TALLY, _tally_recipe(minter, consensus), tallied, digests_now)
    store.made_from(sources)
    dropped = store.keep_only(set(sources))
    store.commit()
    return sorted(changed), dropped


def _recipe(minter: IriMinter) -> str:
    """What besides its records decides a graph: newskg's code and the base IRI."""
    return f"{code_fingerprint()}|{minter.base}"


def _tally_recipe(minter: IriMinter, consensus: int) -> str:
    """What besides the tally decides the support and consensus graphs."""
    return f"{_recipe(minter)}|{consensus}"


def kept_support(store: BuildStore, base_iri: str, consensus: int) -> Tally | None:
    """The tally the store's support and consensus graphs were made of, if it is kept."""
    minter = IriMinter(base_iri)
    names = (minter.support_graph().value, minter.consensus_graph().value)
    held = (store.manifest.graphs.get(names[0]), store.manifest.graphs.get(names[1]))
    return kept_tally(store.folder / TALLY, _tally_recipe(minter, consensus), held)


def _resolution_chunk(
    store: BuildStore,
    explained: tuple[Sequence[FormReason], Sequence[Event], Sequence[Role]],
    minter: IriMinter,
) -> Callable[[], list[GraphChunk]]:
    """What makes the resolution graph's chunk, and keeps beside the store the decisions it
    is made of (`kg.decisions`), under the chunk's digest: the next build patches the graph
    the store then holds with the decisions that changed. When the store holds the graph of
    the decisions the last build kept, so does this one; else the graph is made decision by
    decision (`subjects_chunk`). The decisions are made only then, and let go once kept (a
    few hundred megabytes at 100,000 articles)."""
    name = minter.resolution_graph()
    held = store.manifest.graphs.get(name.value)
    vouched = store.vouched_digest(name)  # made later, once other graphs are loaded

    def made() -> list[GraphChunk]:
        kept = kept_pickled(store.folder / DECISIONS, (_recipe(minter), held)) if held else None
        if held is None or not isinstance(kept, dict):
            # written to its file as made: a gigabyte at 100,000 articles
            chunk = subjects_chunk(
                name, resolution_subjects(*explained, minter), store.chunks_folder
            )
            decisions = decision_items(*explained)
        else:
            decisions = decision_items(*explained)
            changes = decision_changes(kept, decisions, minter)
            del kept
            chunk = patched_chunk(name, store.graph_nquads(name, vouched), held, *changes)
        keep_pickled(store.folder / DECISIONS, (_recipe(minter), chunk.digest), decisions)
        return [chunk]

    return made


def _support_chunks(
    store: BuildStore,
    records: Sequence[ArticleRecords],
    digests: Mapping[str, str],
    minter: IriMinter,
    *,
    minimum: int,
) -> tuple[Callable[[], Sequence[GraphChunk]], Tally]:
    """What makes the support and consensus graphs' chunks (`kg.consensus`), and the tally
    they are made of. When the store holds the graphs of the tally the last build kept, only
    the claims whose backing changed are made, and the graphs' kept chunks patched with them."""
    names = (minter.support_graph(), minter.consensus_graph())
    kept = kept_support(store, minter.base, minimum)
    held = [store.manifest.graphs.get(name.value, "") for name in names]
    counted, terms = tally(records, minter, digests=digests, kept=kept)
    if kept is None:
        return lambda: support_chunks(counted, terms, minter, minimum, store.chunks_folder), counted
    before = kept
    vouched = [store.vouched_digest(name) for name in names]  # made later (see above)

    def patched() -> list[GraphChunk]:
        changes = support_changes(before, counted, terms, minter, minimum)
        return [
            patched_chunk(name, store.graph_nquads(name, sure), digest, *change)
            for name, digest, sure, change in zip(names, held, vouched, changes, strict=True)
        ]

    return patched, counted


def _digest(value: object) -> str:
    """A digest of records, tuples and strings, whose `repr` says all they hold."""
    return hashlib.sha256(repr(value).encode()).hexdigest()


def open_store(options: BuildOptions) -> BuildStore:
    """The store at `options.store_dir`, or a fresh one in a temporary folder."""
    if options.store_dir is not None:
        return BuildStore(options.store_dir)
    folder = Path(tempfile.mkdtemp(prefix="newskg-store-"))
    store = BuildStore(folder)
    weakref.finalize(store, shutil.rmtree, folder, ignore_errors=True)
    return store


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Time a stage; the memory it freed goes back to the system after it (`kg.heap`), so
    the next stage's peak does not sit on top of it."""
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - started
        give_back_freed_memory()


def _changed_since(result: BuildResult, previous: Path) -> Iterable[str] | None:
    """The graphs that differ from the folder's graph.nq: those the build rewrote or dropped
    when that file is the one the last build wrote; else None (compare them all)."""
    written = result.store.manifest.outputs.get(previous.name)
    if previous.is_file() and written is not None and written == file_stamp(previous):
        return [*result.changed, *result.dropped]
    return None


@dataclass(frozen=True)
class Outputs:
    """The files a build wrote, and what its HTML view draws."""

    paths: list[Path]
    view: ViewStats


def write_outputs(
    result: BuildResult, out_dir: Path, *, formats: Sequence[Format] = FORMATS
) -> Outputs:
    """Write the graph in each of `formats` (graph.ttl, graph.trig…) and the HTML view, as a set.

    The view draws the `BUILD_VIEW_NODES` most connected nodes: a browser
    cannot lay out a whole archive (`kg view --max-nodes` draws more).

    The files are written out of the build's store into a staging folder
    and swapped into `out_dir` together, replacing the previous build's
    files (graph files of formats not chosen now are removed, so no file of
    an older build is left to mislead), or, if any writer fails or the build
    is stopped, not at all.

    What the writers make of the store is kept beside it for the next
    build (`kg.pieces`, `kg.memo`) with what it was made of; after an edit
    they make again only what the edit touched.
    """
    stale = [output_name(fmt) for fmt in FORMATS if fmt not in formats]
    store = result.store
    memos = Memos(store.folder / MEMOS_DIR, state=store.state(), changes=store.changes())
    frozen = held_objects_frozen()
    previous = out_dir / output_name("nquads")
    tallied = counting(lambda: kept_support(store, result.base_iri, result.consensus))
    with frozen, replace_as_set(out_dir, remove=stale) as staging, keeping(memos), tallied:
        with _timed(result.timings, "write changes"):
            write_changes(
                store,
                previous if previous.is_file() else None,
                _changed_since(result, previous),
                staging / CHANGES_FILE,
            )
        union = {fmt: union_changes(store, fmt) for fmt in UNION_FORMATS if fmt in formats}
        lines = staging / UNION_SCRATCH
        with _timed(result.timings, "write nquads+trig+union"):
            dump_store(
                result.store,
                nquads=staging / output_name("nquads") if "nquads" in formats else None,
                trig=staging / output_name("trig") if "trig" in formats else None,
                union=lines if None in union.values() else None,
            )
        for fmt, changes in union.items():
            with _timed(result.timings, f"write {fmt}"):
                source = lines if changes is None else changes
                write_union(staging / output_name(fmt), fmt, store=result.store, source=source)
        lines.unlink(missing_ok=True)
        # read in place: memory stays flat
        shown = GraphSource(result.store.store, read_graph=result.store.graph_triples)
        with _timed(result.timings, "write projection"):
            projection = project(shown)
        if "graphml" in formats:
            with _timed(result.timings, "write graphml"):
                with (staging / output_name("graphml")).open("wb") as out:
                    write_graphml(projection, out)
        with _timed(result.timings, "write timeline"):
            figures = timeline(store.store)  # for the chart and the page's panels
            chart = places_svg(figures_by_place(store.store, figures), MAX_PLACES)
            atomic_write_text(staging / TIMELINE_FILE, chart)
        with _timed(result.timings, "write html"):
            drawn = keep_most_connected(projection, BUILD_VIEW_NODES)
            del projection  # the whole archive's, not held through the page
            view = write_html(shown, staging / VIEW_FILE, drawn=drawn, figures=figures)
    written = [
        *(out_dir / output_name(fmt) for fmt in formats),
        out_dir / VIEW_FILE,
        out_dir / TIMELINE_FILE,
        out_dir / CHANGES_FILE,
    ]
    result.store.manifest.outputs = {path.name: file_stamp(path) for path in written}
    result.store.commit()
    return Outputs(written, view)
