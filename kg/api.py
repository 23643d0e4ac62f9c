"""newskg as a library: build a graph from articles, load it, ask it questions, draw it.

    import kg
    built = kg.build(["articles"], "output")          # what `kg build` does
    graph = kg.load("output")                          # a build folder or any graph file
    rows = kg.ask(graph, "troop-levels")               # a shipped query, or SPARQL text
    kg.draw(graph, "iraq.html", max_nodes=300)         # the offline HTML page

The `kg` command is a thin layer over these. Nothing heavy (spaCy, rdflib)
is imported until a build has work to do, so an up-to-date build returns at
once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import folder_problem
from kg.cache import Cached, ExtractionCache, pipeline_fingerprint
from kg.defaults import DEFAULT_BASE_IRI, DEFAULT_CONSENSUS, DEFAULT_MODEL, EXECUTORS
from kg.heap import fewer_collections
from kg.ingest import DuplicateArticleError, IngestError
from kg.layout import CACHE_DIR, FORMATS, STORE_DIR, Format
from kg.uptodate import (
    build_settings,
    curation_digest,
    input_digests,
    kept_extractions,
    record_inputs,
    unchanged,
)

if TYPE_CHECKING:
    from pyoxigraph import Literal, NamedNode

    from kg.build_validation import BuildValidation
    from kg.graphio import LoadedGraph
    from kg.query.run import Results
    from kg.stages import BuildOptions, BuildResult
    from kg.view import ViewStats


# Given the number of articles to parse, a context whose value is told each time n more are
# (`kg build` draws a progress bar).
Progress = Callable[[int], AbstractContextManager[Callable[[int], None]]]


class BuildError(ValueError):
    """A build that cannot run or finish; the message says why, naming the file or option."""


@dataclass
class Build:
    """What a build did: the files it wrote and what they hold, or that nothing changed."""

    out: Path
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    files: list[Path] = field(default_factory=list)
    result: BuildResult | None = None  # what was made, counted; the store
    view: ViewStats | None = None  # what graph.html draws
    validation: BuildValidation | None = None  # None when not validated

    @property
    def skipped(self) -> tuple[IngestError, ...]:
        """The input files that could not be read, each with why."""
        return self.result.skipped if self.result else ()

    @cached_property
    def graph(self) -> LoadedGraph:
        """The built graph, loaded (once) for `ask` and `draw`; `len()` counts its quads."""
        return load(self.out)


def build(  # noqa: PLR0913  # the options of `kg build`, each with its default
    paths: Iterable[Path | str] = ("articles",),
    out: Path | str = "output",
    *,
    model: str = DEFAULT_MODEL,
    base_iri: str = DEFAULT_BASE_IRI,
    formats: Sequence[Format] = FORMATS,
    jobs: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    cache: Path | str | None = None,
    use_cache: bool = True,
    store: Path | str | None = None,
    validate: bool = True,
    force: bool = False,
    progress: Progress | None = None,
    consensus: int = DEFAULT_CONSENSUS,
    curation: Path | str | None = None,
) -> Build:
    """Read articles (files or folders), build the graph and write its files into `out`.

    The graph lives in an on-disk store (`store`, default OUT/.store); each
    article's extraction is cached (`cache`, default OUT/.cache) unless
    `use_cache` is False. A rebuild reads, parses and rewrites only what
    changed, and does nothing at all when no input, setting or output did
    (unless `force`). `progress(total)`, when given, is entered with the
    number of articles to parse and told each time n more are (see `Progress`).
    The consensus graph holds the claims at least `consensus` independent
    outlets back (`kg.consensus`). `curation`, a curation file (Turtle), holds
    an analyst's decisions about names, applied over the automatic rules
    (`kg.curation`); an edit to it rebuilds.

    Raises:
        BuildError: a bad option or input, no readable article, a pipeline
            that is not installed, a store in use, an unwritable folder.
    """
    if executor not in EXECUTORS:
        raise BuildError(f"unknown executor {executor!r}; choose from {', '.join(EXECUTORS)}")
    sources, out = [Path(path) for path in paths], Path(out)
    store_dir = Path(store) if store is not None else out / STORE_DIR
    try:
        inputs = input_digests(sources)
    except DuplicateArticleError as err:
        raise BuildError(str(err)) from err
    if consensus < 1:
        raise BuildError(f"--consensus: {consensus} outlets; give 1 or more")
    curation_file = Path(curation) if curation is not None else None
    settings = build_settings(
        model,
        base_iri,
        formats,
        validate=validate,
        consensus=consensus,
        curation=_curation_digest(curation_file),
    )
    if use_cache and not force and unchanged(inputs, settings, out, store_dir):
        return Build(out=out, up_to_date=True)
    # Only now that there is work to do are spaCy and rdflib loaded.
    from kg.curation import Curation, CurationError, read_curation  # noqa: PLC0415
    from kg.stages import BuildOptions  # noqa: PLC0415

    try:
        decisions = read_curation(curation_file) if curation_file else Curation()
    except CurationError as err:
        raise BuildError(str(err)) from err
    cache_dir = (Path(cache) if cache is not None else out / CACHE_DIR) if use_cache else None
    options = BuildOptions(
        model=model,
        base_iri=base_iri,
        jobs=jobs,
        executor=executor,  # type: ignore[arg-type]  # checked against EXECUTORS above
        scheduler=scheduler,
        cache_dir=cache_dir,
        store_dir=store_dir,
        consensus=consensus,
        curation=decisions,
    )
    _check_up_front(options, out)
    with fewer_collections():
        kept: dict[str, Cached] = {}
        if cache_dir is not None:  # the files the last build read, unchanged, are not read
            extractions = ExtractionCache(cache_dir, pipeline_fingerprint(model))
            kept = kept_extractions(inputs, settings, store_dir, extractions)
        built = _build_and_write(sources, options, out, formats, kept, progress)
        result = built.result
        assert result is not None  # noqa: S101  # set by _build_and_write
        record_inputs(result.store.manifest, inputs, settings, result.cache_entries)
        result.store.commit()
        if validate:
            from kg.build_validation import validate_build  # noqa: PLC0415

            built.validation = validate_build(result.store, result.changed, result.dropped)
    return built


def _curation_digest(file: Path | None) -> str:
    """The curation file's digest (`kg.uptodate.curation_digest`), or why it cannot be read."""
    try:
        return curation_digest(file)
    except OSError as err:
        raise BuildError(
            f"--curation {file}: {err.strerror or err}; kg join, split, reject or relabel make one"
        ) from err


def _build_and_write(
    sources: list[Path],
    options: BuildOptions,
    out: Path,
    formats: Sequence[Format],
    kept: Mapping[str, Cached],
    progress: Progress | None,
) -> Build:
    """Read (but for the files in `kept`), build and write."""
    from kg.buildstore import BuildStoreError  # noqa: PLC0415
    from kg.nlp import ModelNotFoundError  # noqa: PLC0415
    from kg.parallel import DaskNotInstalledError, stop_on_sigterm  # noqa: PLC0415
    from kg.stages import NoArticlesError, read_articles, write_outputs  # noqa: PLC0415
    from kg.stages import build as build_graph  # noqa: PLC0415

    with stop_on_sigterm():
        try:
            articles, skipped = read_articles(sources, kept=kept)
        except DuplicateArticleError as err:
            raise BuildError(str(err)) from err
        if not articles:
            raise BuildError(
                "no readable article in "
                + ", ".join(map(str, sources))
                + "; give .txt, .md or .html files"
                + "".join(f"\nskipped {error}" for error in skipped)
            )
        with progress(len(articles)) if progress else nullcontext(None) as told:
            try:
                result = build_graph(articles, skipped=skipped, options=options, on_articles=told)
            except (
                NoArticlesError,
                ModelNotFoundError,
                DaskNotInstalledError,
                BuildStoreError,
            ) as err:
                raise BuildError(str(err)) from err
        del articles  # their texts, not needed to write the files: 70 MB at 10,000 articles
        try:
            outputs = write_outputs(result, out, formats=formats)
        except OSError as err:
            raise BuildError(f"cannot write to {out}: {err.strerror or err}") from err
    return Build(out=out, files=outputs.paths, result=result, view=outputs.view)


def _check_up_front(options: BuildOptions, out: Path) -> None:
    """Refuse, before any article is read, what the build would only trip over after the parse."""
    from kg.graph import check_base_iri  # noqa: PLC0415
    from kg.nlp import ModelNotFoundError  # noqa: PLC0415
    from kg.stages import check_model  # noqa: PLC0415

    try:
        check_base_iri(options.base_iri)
    except ValueError as err:
        raise BuildError(f"--base-iri: {err}") from err
    try:
        check_model(options.model)
    except ModelNotFoundError as err:
        raise BuildError(str(err)) from err
    folders = (("--out", out), ("--cache", options.cache_dir), ("--store", options.store_dir))
    for flag, folder in folders:
        problem = folder_problem(folder) if folder is not None else None
        if problem:
            raise BuildError(f"{flag} {folder} {problem}")


def load(path: Path | str) -> LoadedGraph:
    """A build folder or graph file (.trig, .nq, .ttl, .nt, .jsonld), loaded in memory.

    Raises:
        GraphFileError: naming the file and the problem.
    """
    from kg.graphio import load_store  # noqa: PLC0415

    return load_store(Path(path))


def ask(graph: LoadedGraph, question: str, **params: str | NamedNode | Literal) -> Results:
    """Answer a shipped query by name ("troop-levels") or SPARQL text, over every graph.

    Each of `params` binds the result variable of that name: text as a
    literal, `<iri>` or `prefix:name` as an IRI (`kg query --param` syntax; `id:` is the
    graph's base IRI),
    or an Oxigraph term as it is. Values are bound by the engine, never
    pasted into the query. (Not named `query`: that is the `kg.query` package.)

    Raises:
        QueryError, QueryRefused, ParameterError: see `kg.query`.
    """
    from kg.namespaces import Prefixes  # noqa: PLC0415
    from kg.query import UnknownQueryError, named_query, parse_params, run_query  # noqa: PLC0415

    try:
        text = named_query(question).text
    except UnknownQueryError:
        text = question
    texts = {name: value for name, value in params.items() if isinstance(value, str)}
    pairs = [f"{name}={value}" for name, value in texts.items()]
    terms = dict(parse_params(pairs, Prefixes.for_base(graph.base_iri)))
    terms.update({name: v for name, v in params.items() if not isinstance(v, str)})
    return run_query(graph.store, text, params=terms)


def draw(graph: LoadedGraph, path: Path | str, *, max_nodes: int | None = None) -> ViewStats:
    """Draw `graph` as one offline HTML page at `path`; what it draws and what it left out."""
    from kg.graphsource import GraphSource  # noqa: PLC0415
    from kg.view import write_html  # noqa: PLC0415

    return write_html(
        GraphSource(graph.store),
        Path(path),
        title=f"newskg: {graph.path.name}",
        max_nodes=max_nodes,
    )
