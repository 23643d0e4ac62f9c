"""The `kg` command: a thin layer over the library's build.

Exit codes: 0 success, 1 validation failed, 2 bad input (no readable
article, unknown model, unwritable output, unreadable graph file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from kg import __version__
from kg.build import GRAPH_FILE, NoArticlesError, build, read_articles, write_outputs
from kg.export import parse_formats, union_graph
from kg.namespaces import DEFAULT_BASE_IRI
from kg.nlp import DEFAULT_MODEL, ModelNotFoundError
from kg.validate import GraphFileError, load_graph_file, validate_graph

EXIT_INVALID = 1
EXIT_BAD_INPUT = 2

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


def _warn(message: str) -> None:
    typer.secho(f"warning: {message}", fg=typer.colors.YELLOW, err=True)


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
) -> None:
    """Read articles, extract and resolve entities, write the graph files and graph.html.

    The graph is then checked against the SHACL shapes; violations are
    reported but do not change the exit code (`kg validate` does).
    """
    try:
        chosen = parse_formats(formats or ())
    except ValueError as err:
        raise _fail(str(err)) from err
    sources = paths or [Path("articles")]
    articles, skipped = read_articles(sources)
    for error in skipped:
        _warn(f"skipped {error}")
    if not articles:
        raise _fail(
            "no readable article in "
            + ", ".join(map(str, sources))
            + "; give .txt, .md or .html files"
        )
    with typer.progressbar(length=len(articles), label="parsing articles", file=sys.stderr) as bar:
        try:
            result = build(
                articles,
                skipped=skipped,
                model=model,
                base_iri=base_iri,
                on_article=lambda _: bar.update(1),
            )
        except (NoArticlesError, ModelNotFoundError) as err:
            raise _fail(str(err)) from err
    try:
        written = write_outputs(result, out, formats=chosen)
    except OSError as err:
        raise _fail(f"cannot write to {out}: {err.strerror or err}") from err
    by_class = ", ".join(f"{n} {cls}" for cls, n in result.entities_by_class().items())
    typer.echo(
        f"{len(result.articles)} articles read, {len(result.skipped)} skipped; "
        # A Dataset's len() counts its default graph only; count every named graph.
        f"entities: {by_class}; {len(union_graph(result.graph))} triples; {result.seconds:.1f} s"
    )
    for path in written:
        typer.echo(f"wrote {path}")
    report = validate_graph(result.graph)
    if report.conforms and not report.violations:
        typer.echo(report.summary)
    else:
        # The files are written and stay: a violation is a finding about the
        # extraction, not a failed build.
        for violation in report.violations:
            typer.echo(violation.line(), err=True)
        _warn(f"{report.summary}; the files were written anyway")


@app.command("validate")
def validate_command(
    graph: Path = typer.Argument(
        Path("output") / GRAPH_FILE,
        help="A graph file: .ttl, .trig, .nq, .nt or .jsonld. Default: output/graph.ttl",
    ),
) -> None:
    """Check a graph file against the newskg SHACL shapes (ontology/shapes.ttl).

    Prints one line per violation (focus node, property, message, shape) and a
    summary. Exit codes: 0 conforms, 1 does not conform, 2 unreadable file.
    """
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
