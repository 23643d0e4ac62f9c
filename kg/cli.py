"""The `kg` command: a thin layer over the library (`kg.api`).

Each command imports its machinery when it runs, so `kg --help`, and `kg
build` when nothing changed, answer without loading spaCy or rdflib.

Exit codes: 0 success, 1 validation failed, 2 bad input (no readable
article, unknown model, unwritable output, unreadable graph file), 130
stopped by Ctrl-C (`kg query`).
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

import typer

from kg import __version__
from kg.defaults import (
    DEFAULT_BASE_IRI,
    DEFAULT_CONSENSUS,
    DEFAULT_MODEL,
    DEFAULT_QUERY_TIMEOUT,
    DEFAULT_SERVE_WORKERS,
)
from kg.layout import CHANGES_FILE, GRAPH_FILE, VIEW_FILE, parse_formats
from kg.records import ENTITY_CLASSES

if TYPE_CHECKING:
    from kg.api import Build
    from kg.curation import DecisionKind
    from kg.query import OutputFormat
    from kg.validate import ValidationReport

EXIT_INVALID = 1
EXIT_BAD_INPUT = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
DEFAULT_CURATION = Path("curation.ttl")  # in the folder kg runs in, as articles/ and output/

app = typer.Typer(
    name="kg",
    help="Build a knowledge graph (RDF) of the people, places, organizations and events in news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"newskg {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Show the version and exit.",
    ),
) -> None:
    """newskg: news articles in, an RDF knowledge graph out."""
    library = logging.getLogger("kg")
    if not any(isinstance(h, _LibraryWarnings) for h in library.handlers):
        library.addHandler(_LibraryWarnings(logging.WARNING))


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", fg=typer.colors.YELLOW, err=True)


class _LibraryWarnings(logging.Handler):
    """What the library logs (a cache entry it could not use) said like the CLI's own warnings."""

    def emit(self, record: logging.LogRecord) -> None:
        _warn(record.getMessage())


def _fail(message: str) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(EXIT_BAD_INPUT)


@app.command("build")
def build_command(
    paths: list[Path] = typer.Argument(
        None, help="Article files or folders (.txt, .md, .html). Default: articles/"
    ),
    out: Path = typer.Option(
        Path("output"), "--out", "-o", help="Folder for the graph files and graph.html."
    ),
    model: str = typer.Option(DEFAULT_MODEL, "--model", help="An installed spaCy pipeline."),
    base_iri: str = typer.Option(DEFAULT_BASE_IRI, "--base-iri", help="Base for instance IRIs."),
    formats: list[str] = typer.Option(
        None,
        "--format",
        "-f",
        help="Graph files to write: ttl, trig, nq, jsonld, graphml (repeat or comma-separate). "
        "Default: all. graph.html is always written.",
    ),
    jobs: int = typer.Option(
        1, "--jobs", "-j", min=1, help="Processes (or local Dask workers) for parsing articles."
    ),
    executor: str = typer.Option(
        "local", "--executor", help="Where the per-article step runs: local or dask."
    ),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (tcp://host:8786); none starts one here."
    ),
    cache: Path | None = typer.Option(
        None, "--cache", help="Folder for per-article extraction results. Default: OUT/.cache"
    ),
    no_cache: bool = typer.Option(False, "--no-cache", help="Parse every article afresh."),
    no_validate: bool = typer.Option(
        False, "--no-validate", help="Skip the SHACL check (slow on large graphs; see kg validate)."
    ),
    store: Path | None = typer.Option(
        None, "--store", help="Folder of the build's graph store. Default: OUT/.store"
    ),
    force: bool = typer.Option(
        False, "--force", help="Build even when nothing changed since the last build."
    ),
    consensus: int = typer.Option(
        DEFAULT_CONSENSUS,
        "--consensus",
        min=1,
        help="Independent outlets that must back a claim for the consensus graph.",
    ),
    curation: Path | None = typer.Option(
        None,
        "--curation",
        help="The analyst's decisions about names (see kg split, join, reject, relabel). "
        f"Default: {DEFAULT_CURATION} when there is one here.",
    ),
) -> None:
    """Read articles, extract and resolve entities and events, write the graph files and graph.html.

    The graph lives in an on-disk store (OUT/.store), one named graph per
    article; each article's extraction is cached by its content and the
    pipeline's version. A rebuild parses only new or edited articles,
    rewrites only the graphs that changed, drops those of removed articles,
    and does nothing at all when no input, setting or output changed. The
    graph is then checked against the SHACL shapes; violations are reported
    but do not change the exit code (`kg validate` does). A curation file's
    decisions are applied over the automatic rules; one that no longer
    applies is reported (and stays in the file).
    """
    from kg.api import BuildError, build  # noqa: PLC0415

    if curation is None and DEFAULT_CURATION.is_file():
        curation = DEFAULT_CURATION

    try:
        built = build(
            paths or [Path("articles")],
            out,
            model=model,
            base_iri=base_iri,
            formats=parse_formats(formats or ()),
            jobs=jobs,
            executor=executor,
            scheduler=scheduler,
            cache=cache,
            use_cache=not no_cache,
            store=store,
            validate=not no_validate,
            force=force,
            progress=_progress_bar,
            consensus=consensus,
            curation=curation,
        )
    except (BuildError, ValueError) as err:
        raise _fail(str(err)) from err
    if built.up_to_date:
        typer.echo(f"nothing changed since the last build; the files in {out} are up to date")
        return
    _report_build(built)
    if curation is not None:
        _report_curation(built, curation)
    if built.validation is not None:
        _report_validation(built.validation.report, built.validation.summary)


@contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[int], None]]:
    with typer.progressbar(length=total, label="parsing articles", file=sys.stderr) as bar:
        yield bar.update


def _report_build(built: Build) -> None:
    """Say what was skipped, built and written."""
    result = built.result
    assert result is not None  # noqa: S101  # a build that ran has its result
    for error in result.skipped:
        _warn(f"skipped {error}")
    by_class = ", ".join(f"{n} {cls}" for cls, n in result.entities_by_class().items())
    typer.echo(
        f"{result.article_count} articles read, {len(result.skipped)} skipped; "
        f"entities: {by_class}; {result.event_count} events; "
        f"{result.store.quads()} triples in {len(result.store.graph_names())} graphs "
        f"({len(result.changed)} rewritten, {len(result.dropped)} dropped); {result.seconds:.1f} s"
        + (f" ({result.cache_hits} from the cache)" if result.cache_hits else "")
    )
    for path in built.files:
        typer.echo(f"wrote {path}")
    if built.view is not None and built.view.dropped_nodes:
        _warn(
            f"{VIEW_FILE}: {built.view.dropped_text()}; "
            f"`kg view {built.out / GRAPH_FILE} --max-nodes N` draws more"
        )


def _report_curation(built: Build, file: Path) -> None:
    """Say how many decisions applied, and which no longer do, and why."""
    assert built.result is not None  # noqa: S101  # a build that ran has its result
    report = built.result.curation
    applied = len(report.applied)
    typer.echo(f"curation: {applied} decision{'' if applied == 1 else 's'} of {file} applied")
    for decision, why in report.unapplied:
        _warn(f"{file}: {decision} no longer applies: {why} (it stays in the file)")


def _report_validation(report: ValidationReport, summary: str) -> None:
    """Say whether the built graph meets the shapes; a violation does not fail the build."""
    if report.conforms and not report.violations:
        typer.echo(summary)
    else:
        # The files are written and stay: a violation is a finding about the
        # extraction, not a failed build.
        for violation in report.violations:
            typer.echo(violation.line(), err=True)
        _warn(f"{summary}; the files were written anyway")


@app.command("validate")
def validate_command(
    graph: Path = typer.Argument(
        Path("output") / GRAPH_FILE,
        help="A graph file (.trig, .nq, .ttl, .nt, .jsonld) or a build folder. "
        "Default: output/graph.ttl",
    ),
) -> None:
    """Check a graph file against the newskg SHACL shapes (ontology/shapes.ttl).

    Prints one line per violation (focus node, property, message, shape) and a
    summary. Exit codes: 0 conforms, 1 does not conform, 2 unreadable file.
    """
    from kg.graphio import GraphFileError  # noqa: PLC0415
    from kg.rdflib_graphs import load_graph_file, union_graph  # noqa: PLC0415
    from kg.validate import validate_graph  # noqa: PLC0415

    try:
        data = load_graph_file(graph)
    except GraphFileError as err:
        raise _fail(str(err)) from err
    if len(union_graph(data)) == 0:
        _warn(f"{graph} holds no triples")
    report = validate_graph(data)
    typer.echo(report.text)
    if not report.conforms:
        raise typer.Exit(EXIT_INVALID)


@app.command("view")
def view_command(
    graph: Path = typer.Argument(
        Path("output") / GRAPH_FILE,
        help="A graph file (.trig, .nq, .ttl, .nt, .jsonld) or a build folder. "
        "Default: output/graph.ttl",
    ),
    out: Path = typer.Option(
        None, "--out", "-o", help="The HTML file to write. Default: the graph file's name + .html"
    ),
    max_nodes: int = typer.Option(
        None,
        "--max-nodes",
        min=1,
        help="Draw only the N most connected nodes (and the links between them).",
    ),
) -> None:
    """Draw a graph file as one self-contained HTML page that works offline.

    The page has a legend, search by any name, class and date filters, and a
    side panel with each node's evidence sentences and articles. Exit codes:
    0 written, 2 unreadable graph file or unwritable page.
    """
    from kg.graphio import GraphFileError, load_store  # noqa: PLC0415
    from kg.graphsource import GraphSource  # noqa: PLC0415
    from kg.view import write_html  # noqa: PLC0415

    try:
        loaded = load_store(graph)
    except GraphFileError as err:
        raise _fail(str(err)) from err
    target = out if out is not None else loaded.path.with_suffix(".html")
    try:
        stats = write_html(
            GraphSource(loaded.store),
            target,
            title=f"newskg: {loaded.path.name}",
            max_nodes=max_nodes,
        )
    except OSError as err:
        raise _fail(f"cannot write {target}: {err.strerror or err}") from err
    if stats.nodes == 0:
        _warn(f"{graph} holds no entity, event or article to draw")
    if stats.dropped_nodes:
        _warn(f"--max-nodes {max_nodes}: {stats.dropped_text()}")
    typer.echo(f"wrote {target}: {stats.nodes} nodes, {stats.edges} links")


DEFAULT_GRAPH = Path("output")
DEFAULT_SERVE_PORT = 7879  # beside Oxigraph's 7878, so both can run


def _query_text(query: str | None, file: Path | None) -> str:
    """The SPARQL to run: a shipped query by name, the text given, or a file's."""
    from kg.query import UnknownQueryError, named_query  # noqa: PLC0415
    from kg.query.library import NAME_PATTERN  # noqa: PLC0415

    one = "give one query: SPARQL text, a shipped query's name (--list), or --file FILE"
    if file is not None:
        if query is not None:
            raise _fail(one)
        try:
            return file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise _fail(f"cannot read {file}: {err}") from err
    if query is None:
        raise _fail(one)
    if not NAME_PATTERN.fullmatch(query):
        return query
    try:
        return named_query(query).text
    except UnknownQueryError as err:
        raise _fail(str(err)) from err


def _ask_graph(
    graph: Path,
    text: str,
    *,
    fmt: OutputFormat,
    params: Sequence[str],
    timeout: float,
    allow_service: bool,
) -> bytes:
    """The answer from a worker process that is killed at the timeout or on Ctrl-C.

    `id:` in `params` stands for the graph's own base IRI, known once it is loaded.
    """
    from kg.namespaces import Prefixes  # noqa: PLC0415
    from kg.query import check_query, parse_params  # noqa: PLC0415
    from kg.query.worker import QueryWorker  # noqa: PLC0415

    check_query(text, allow_service=allow_service)  # before the graph is even loaded
    parse_params(params)  # likewise: a malformed parameter fails fast
    with QueryWorker(graph, allow_service=allow_service) as worker:
        info = worker.start()
        if info.union_only:
            _warn(info.union_only)
        bound = parse_params(params, Prefixes.for_base(info.base_iri))
        return worker.ask(text, fmt=fmt, params=bound, timeout=timeout).body


def _print_query_list() -> None:
    from kg.query import shipped_queries  # noqa: PLC0415

    queries = shipped_queries()
    width = max(len(query.name) for query in queries)
    for query in queries:
        typer.echo(f"{query.name.ljust(width)}  {query.summary}")
        for name, what in query.params:
            typer.echo(f"{'':{width}}    --param {name}=…  {what}")


@app.command("query")
def query_command(
    query: str = typer.Argument(
        None, help="SPARQL text, or the name of a shipped query (see --list)."
    ),
    file: Path = typer.Option(None, "--file", help="Read the query from a file (.rq)."),
    graph: Path = typer.Option(
        DEFAULT_GRAPH,
        "--graph",
        "-g",
        help="A build folder (its graph.trig is read) or a graph file.",
    ),
    params: list[str] = typer.Option(
        None,
        "--param",
        "-p",
        help="Bind a result variable: NAME=text, NAME=<IRI> or NAME=id:…; repeatable. "
        "The value is bound by the engine, never pasted into the query.",
    ),
    fmt: str = typer.Option(
        "table", "--format", "-f", help="table, or SPARQL 1.1 results as csv, tsv or json."
    ),
    endpoint: str = typer.Option(
        None,
        "--endpoint",
        help="Ask this SPARQL endpoint instead of a file, e.g. "
        "http://127.0.0.1:7878/query?union-default-graph (Oxigraph); "
        "--param then keeps the rows where the variable has the value.",
    ),
    list_queries: bool = typer.Option(False, "--list", help="List the shipped queries."),
    timeout: float = typer.Option(
        DEFAULT_QUERY_TIMEOUT,
        "--timeout",
        min=0.1,
        help="Seconds the query may run; then it is stopped.",
    ),
    allow_service: bool = typer.Option(
        False,
        "--allow-service",
        help="Let SERVICE clauses fetch from other endpoints, from this machine. Off by default.",
    ),
) -> None:
    """Answer a SPARQL 1.1 query over the built graph: each article's named graph and their union.

    The query runs in a worker process, stopped at --timeout or by Ctrl-C.
    Exit codes: 0 answered, 2 malformed, refused (size, nesting, SERVICE)
    or stopped query, bad parameter, unreadable graph or unreachable
    endpoint, 130 stopped by Ctrl-C.
    """
    from kg.graphio import GraphFileError  # noqa: PLC0415
    from kg.query import (  # noqa: PLC0415
        OUTPUT_FORMATS,
        ParameterError,
        QueryError,
        parse_params,
        render,
    )
    from kg.store import StoreError, query_endpoint  # noqa: PLC0415

    if list_queries:
        _print_query_list()
        return
    if fmt not in OUTPUT_FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose from {', '.join(OUTPUT_FORMATS)}")
    chosen: OutputFormat = fmt  # type: ignore[assignment]  # checked against OUTPUT_FORMATS above
    text = _query_text(query, file)
    try:
        if endpoint is not None:
            bound = parse_params(params or ())
            answer = render(query_endpoint(endpoint, text, params=bound, timeout=timeout), chosen)
        else:
            answer = _ask_graph(
                graph,
                text,
                fmt=chosen,
                params=params or (),
                timeout=timeout,
                allow_service=allow_service,
            )
        typer.echo(answer, nl=False)
    except (GraphFileError, ParameterError, QueryError, StoreError, ValueError) as err:
        raise _fail(str(err)) from err  # QueryRefused is a ValueError too
    except KeyboardInterrupt:
        typer.secho("stopped", err=True)
        raise typer.Exit(EXIT_INTERRUPTED) from None


@app.command("explain")
def explain_command(
    name: str = typer.Argument(..., help="A name as articles write it, or a node's IRI (or id:…)."),
    graph: Path = typer.Option(
        DEFAULT_GRAPH,
        "--graph",
        "-g",
        help="A build folder (its graph.trig is read) or a graph file with named graphs.",
    ),
) -> None:
    """Say why a node is what it is: the names resolution joined into it, by rule and article,
    or the articles an event was merged from and on which ties.

    For a name no node bears, lists the nearest nodes and why such names stay
    apart. Exit codes: 0 explained, 2 unreadable graph or no node of that name.
    """
    from kg.explain import Explainer  # noqa: PLC0415
    from kg.graphio import GraphFileError, load_store  # noqa: PLC0415

    try:
        explainer = Explainer(load_store(graph))
    except GraphFileError as err:
        raise _fail(str(err)) from err
    if explainer.union_only:
        _warn(f"{explainer.union_only}; kg explain reads the graph/resolution named graph")
    explanation = explainer.explain(name)
    typer.echo("\n".join(explanation.lines))
    if not explanation.found:
        raise typer.Exit(EXIT_BAD_INPUT)


def _stop_serving(signum: int, frame: FrameType | None) -> None:
    """SIGTERM stops `kg serve` as Ctrl-C does, so its query workers are stopped with it."""
    raise KeyboardInterrupt


@app.command("serve")
def serve_command(
    graph: Path = typer.Option(
        DEFAULT_GRAPH, "--graph", "-g", help="A build folder or a graph file."
    ),
    port: int = typer.Option(
        DEFAULT_SERVE_PORT,
        "--port",
        min=0,
        max=65535,
        help="Port on 127.0.0.1; 0 picks a free one.",
    ),
    timeout: float = typer.Option(
        DEFAULT_QUERY_TIMEOUT,
        "--timeout",
        min=0.1,
        help="Seconds a query may run; then it is stopped and the client gets 503.",
    ),
    workers: int = typer.Option(
        DEFAULT_SERVE_WORKERS,
        "--workers",
        min=1,
        help="Queries answered at once, each by a process that holds the graph in memory.",
    ),
) -> None:
    """Serve the graph read-only as a SPARQL 1.1 Protocol endpoint on 127.0.0.1.

    GET or POST queries to /query. Updates and SERVICE are refused (403), a
    Host other than this address gets 421, a query past --timeout is
    stopped (503). Ctrl-C stops.
    """
    from kg.graphio import GraphFileError  # noqa: PLC0415
    from kg.store import SparqlServer  # noqa: PLC0415

    try:
        server = SparqlServer(graph, port=port, workers=workers, timeout=timeout)
    except OSError as err:
        problem = f"cannot listen on 127.0.0.1:{port}: {err.strerror}; try another --port"
        raise _fail(problem) from err
    signal.signal(signal.SIGTERM, _stop_serving)
    try:
        info = server.load()
        if info.union_only:
            _warn(info.union_only)
        typer.echo(
            f"serving {info.path} ({info.quads} triples, {info.named_graphs} named graphs) "
            f"read-only at {server.url}; updates and SERVICE are refused; "
            f"queries stop after {timeout:g} s; Ctrl-C stops"
        )
        server.serve_forever()
    except GraphFileError as err:
        raise _fail(str(err)) from err
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command("push")
def push_command(
    endpoint: str | None = typer.Option(
        None,
        "--endpoint",
        help="A SPARQL 1.1 Graph Store endpoint: Oxigraph http://HOST:7878/store, "
        "Fuseki http://HOST:3030/DATASET/data, GraphDB "
        "http://HOST:7200/repositories/REPO/rdf-graphs/service.",
    ),
    graph: Path = typer.Option(
        DEFAULT_GRAPH, "--graph", "-g", help="A build folder or a graph file."
    ),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Seconds to wait per request."),
    changes: bool = typer.Option(
        False,
        "--changes",
        help="Send only what changed since the previous build (the folder's changes.ru).",
    ),
    update_endpoint: str | None = typer.Option(
        None,
        "--update-endpoint",
        help="With --changes: a SPARQL 1.1 Update endpoint, e.g. Oxigraph "
        "http://HOST:7878/update, Fuseki http://HOST:3030/DATASET/update.",
    ),
) -> None:
    """Upload the graph to a triple store: each article's graph replaced (PUT), the entity
    graph merged entity by entity, so other builds' entities stay.

    Pushing again leaves the store the same. With --changes, only the build's
    change set goes, as one SPARQL Update, to a store holding the previous
    build. Credentials come from NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD,
    never a flag, and are sent only when the store asks: Digest when offered
    (Virtuoso's /sparql-graph-crud-auth), else Basic. Exit codes: 0 pushed,
    2 unreadable graph, or a store that is unreachable or refuses.
    """
    from kg.graphio import GraphFileError, load_store  # noqa: PLC0415
    from kg.store import StoreError, push_changes, push_graphs  # noqa: PLC0415

    if changes:
        if update_endpoint is None:
            raise _fail("--changes needs --update-endpoint (the store's SPARQL Update URL)")
        try:
            sent = push_changes(graph / CHANGES_FILE, update_endpoint, timeout=timeout)
        except StoreError as err:
            raise _fail(str(err)) from err
        typer.echo(
            f"applied {sent.operations} updates ({sent.bytes} bytes) to {update_endpoint} "
            f"in {sent.seconds:.1f} s"
        )
        return
    if endpoint is None:
        raise _fail("give --endpoint (a Graph Store URL), or --changes with --update-endpoint")
    try:
        loaded = load_store(graph)
    except GraphFileError as err:
        raise _fail(str(err)) from err
    if loaded.union_only:
        _warn(f"{loaded.union_only}; its triples go to the store's default graph")
    try:
        report = push_graphs(loaded.store, endpoint, timeout=timeout)
    except StoreError as err:
        raise _fail(str(err)) from err
    typer.echo(
        f"pushed {report.graphs} graphs, {report.triples} triples to {endpoint} "
        f"in {report.seconds:.1f} s"
    )


@app.command("timeline")
def timeline_command(
    graph: Path = typer.Option(
        DEFAULT_GRAPH, "--graph", "-g", help="A build folder or a graph file with named graphs."
    ),
    place: str | None = typer.Option(
        None, "--place", help="Only figures about this place or a place in it (any of its names)."
    ),
    actor: str | None = typer.Option(
        None, "--actor", help="Only figures of events this actor takes part in as agent."
    ),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv or json."),
    svg: Path | None = typer.Option(
        None, "--svg", help="Also draw the levels over time, one panel per place, to this file."
    ),
) -> None:
    """Troop figures over time, as each source gives them: place, date, actor, measure,
    qualifier, troops, publisher and article, with the values other sources give beside.

    `kg build` draws the busiest places to output/timeline.svg.
    Exit codes: 0 answered, 2 unreadable graph or unknown format.
    """
    from kg.graphio import GraphFileError, load_store  # noqa: PLC0415
    from kg.timeline import TIMELINE_FORMATS, render_timeline, timeline  # noqa: PLC0415

    if fmt not in TIMELINE_FORMATS:
        raise _fail(f"unknown format {fmt!r}; choose from {', '.join(TIMELINE_FORMATS)}")
    try:
        loaded = load_store(graph)
    except GraphFileError as err:
        raise _fail(str(err)) from err
    if loaded.union_only:
        raise _fail(f"{loaded.union_only}: a timeline names the article of each figure")
    rows = timeline(loaded.store, place=place, actor=actor)
    typer.echo(render_timeline(rows, fmt), nl=False)  # type: ignore[arg-type]  # checked above
    if svg is not None:
        from kg.atomic import atomic_write_text  # noqa: PLC0415
        from kg.timeline import figures_by_place  # noqa: PLC0415
        from kg.timeline_chart import places_svg  # noqa: PLC0415

        places = figures_by_place(loaded.store, rows)
        atomic_write_text(svg, places_svg(places, limit=len(places)))


_CURATION_OPTION = typer.Option(
    DEFAULT_CURATION, "--curation", help="The curation file to add the decision to."
)


def _record(file: Path, kind: DecisionKind, name: str, other: str = "") -> None:
    """Add one decision to the curation file (made if missing) and say what it replaced."""
    from kg.curation import Curation, CurationError, Decision, read_curation, write_curation  # noqa: PLC0415
    from kg.names import match_key  # noqa: PLC0415

    if kind in ("split", "join") and match_key(name) == match_key(other):
        raise _fail(f'"{name}" and "{other}" are one name; give two')
    decision = Decision(kind, name, other)
    try:
        curation = read_curation(file) if file.exists() else Curation()
        curation, replaced = curation.added(decision)
        write_curation(file, curation)
    except CurationError as err:
        raise _fail(str(err)) from err
    typer.echo(f"{file}: {decision}; `kg build` applies it")
    for old in replaced:
        if old != decision:
            typer.echo(f"{file}: it replaces {old}")


@app.command("split")
def split_command(
    form: str = typer.Argument(..., help="The name to split off, as articles write it."),
    entity: str = typer.Argument(..., help="The node it was joined to: a label, alias or IRI."),
    curation: Path = _CURATION_OPTION,
) -> None:
    """Keep FORM apart from ENTITY from the next build on (owl:differentFrom).

    The mentions written as FORM go to a node of their own, of ENTITY's
    class, and FORM leaves ENTITY's aliases. Undoes a `kg join` of the two.
    """
    _record(curation, "split", form, entity)


@app.command("join")
def join_command(
    keep: str = typer.Argument(..., help="The node kept: a label, alias or IRI."),
    other: str = typer.Argument(..., help="The node joined into it: a label, alias or IRI."),
    curation: Path = _CURATION_OPTION,
) -> None:
    """Make OTHER and KEEP one node from the next build on (owl:sameAs).

    KEEP keeps its IRI, label and class; OTHER's names become its aliases,
    and its mentions, events and roles point at KEEP. Undoes a `kg split`.
    """
    _record(curation, "join", keep, other)


@app.command("reject")
def reject_command(
    form: str = typer.Argument(..., help="A name that denotes no entity, as articles write it."),
    curation: Path = _CURATION_OPTION,
) -> None:
    """Drop the mentions written as FORM from the next build on (kg:NotAnEntity)."""
    _record(curation, "reject", form)


@app.command("relabel")
def relabel_command(
    name: str = typer.Argument(..., help="The node: a label, alias or IRI."),
    label: str = typer.Argument(None, help="Its label from now on."),
    entity_class: str = typer.Option(
        None, "--class", help=f"Its class from now on: {', '.join(ENTITY_CLASSES)}."
    ),
    curation: Path = _CURATION_OPTION,
) -> None:
    """Give a node a label (its old one stays an alias), a class, or both, from the next
    build on. A node of newskg's own minting moves to its new class's IRI folder."""
    if label is None and entity_class is None:
        raise _fail("give a LABEL, a --class, or both")
    if entity_class is not None and entity_class not in ENTITY_CLASSES:
        raise _fail(f"--class {entity_class}: choose from {', '.join(ENTITY_CLASSES)}")
    if entity_class is not None:
        _record(curation, "class", name, entity_class)
    if label is not None:
        _record(curation, "label", name, label)
