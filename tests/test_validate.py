"""Tests for kg.validate and `kg validate`: the SHACL shapes catch what they promise."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
import rdflib.namespace
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, PROV, RDF, RDFS, SH, SKOS
from typer.testing import CliRunner

from kg.cli import app
from kg.defaults import DEFAULT_BASE_IRI
from kg.export import serialize
from kg.namespaces import KG, SCHEMA, WD, bind_prefixes
from kg.rdflib_graphs import load_graph_file, union_graph
from kg.resources import ontology_dir
from kg.validate import (
    GraphFileError,
    ValidationReport,
    show_term,
    validate_graph,
    validate_store,
    validate_union,
)

ARTICLES = Path(__file__).resolve().parent.parent / "articles"
runner = CliRunner()

ID = Namespace(DEFAULT_BASE_IRI)
KGSH = Namespace("https://w3id.org/newskg/shapes#")
# A plain Namespace: pytest probes module globals, and rdflib's XSD warns on unknown names.
XSD = Namespace(str(rdflib.namespace.XSD))

ARTICLE = ID["article/001_c34ed854f745c209"]
ARTICLE_2 = ID["article/004_4c6c126155a967da"]
TRUMP = ID["person/donald-trump"]
IRAQ = ID["country/iraq"]
USA = ID["country/united-states"]
AL_ASAD = ID["base/al-asad-airbase"]
PENTAGON = ID["organization/pentagon"]
BAGHDAD = ID["place/baghdad"]
KADHIMI = ID["person/mustafa-al-kadhimi"]
WITHDRAWAL = ID["event/3f2a9c0d"]
ROLE = ID["role/8b1e77aa"]
MENTION = ID["mention/001_c34ed854f745c209/120-132"]

ENTITIES = {
    TRUMP: KG.Person,
    KADHIMI: KG.Person,
    IRAQ: KG.Country,
    USA: KG.Country,
    AL_ASAD: KG.MilitaryBase,
    PENTAGON: KG.Organization,
    BAGHDAD: KG.Place,
}


def valid_graph() -> Graph:
    """A small graph with one of everything the builder emits, all conforming."""
    g = bind_prefixes(Graph())
    for article, source in ((ARTICLE, "001_c34ed854f745c209.txt"), (ARTICLE_2, "004.txt")):
        g.add((article, RDF.type, KG.Article))
        g.add((article, KG.sourceFile, Literal(source)))
    g.add((ARTICLE, SCHEMA.headline, Literal("US to pull almost half its troops from Iraq")))
    g.add((ARTICLE, SCHEMA.datePublished, Literal("2020-09-09", datatype=XSD.date)))
    for entity, cls in ENTITIES.items():
        g.add((entity, RDF.type, cls))
        g.add((entity, RDFS.label, Literal(entity.rsplit("/", 1)[-1].replace("-", " ").title())))
        g.add((entity, KG.mentionedIn, ARTICLE))
    g.add((TRUMP, SKOS.altLabel, Literal("Trump")))
    g.add((TRUMP, OWL.sameAs, WD.Q22686))
    g.add((AL_ASAD, KG.locatedIn, IRAQ))
    g.add((IRAQ, KG.demonym, Literal("Iraqi")))
    # an event with every property
    g.add((WITHDRAWAL, RDF.type, KG.Withdrawal))
    g.add((WITHDRAWAL, RDFS.label, Literal("United States withdrawal from Iraq")))
    g.add((WITHDRAWAL, KG.agent, USA))
    g.add((WITHDRAWAL, KG.location, IRAQ))
    g.add((WITHDRAWAL, KG.destination, AL_ASAD))
    g.add((WITHDRAWAL, KG.accordingTo, TRUMP))
    g.add((WITHDRAWAL, KG.date, Literal("2020-09", datatype=XSD.gYearMonth)))
    g.add((WITHDRAWAL, KG.troopsBefore, Literal(5200)))
    g.add((WITHDRAWAL, KG.troopsBeforeQualifier, Literal("about")))
    g.add((WITHDRAWAL, KG.troopsAfter, Literal(3000)))
    g.add((WITHDRAWAL, KG.troopCount, Literal(0)))
    g.add((WITHDRAWAL, KG.status, Literal("planned")))
    g.add((WITHDRAWAL, KG.evidence, Literal("The US will reduce its troops in Iraq to 3,000.")))
    g.add((WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE))
    g.add((WITHDRAWAL, PROV.wasDerivedFrom, ARTICLE_2))
    # a role
    g.add((KADHIMI, KG.hasRole, ROLE))
    g.add((ROLE, RDF.type, KG.Role))
    g.add((ROLE, KG.title, Literal("Prime Minister")))
    g.add((ROLE, KG.roleOf, IRAQ))
    g.add((ROLE, PROV.wasDerivedFrom, ARTICLE))
    # a mention
    g.add((TRUMP, KG.denotedBy, MENTION))
    g.add((MENTION, RDF.type, KG.Mention))
    g.add((MENTION, KG.inArticle, ARTICLE))
    g.add((MENTION, KG.beginIndex, Literal(120, datatype=XSD.nonNegativeInteger)))
    g.add((MENTION, KG.endIndex, Literal(132)))
    g.add((MENTION, KG.anchorOf, Literal("Donald Trump")))
    return g


def _replace(subject: URIRef, predicate: URIRef, value: object) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        g.remove((subject, predicate, None))
        if value is not None:
            g.add((subject, predicate, value))  # type: ignore[arg-type]

    return change


def _add(*triple: object) -> Callable[[Graph], None]:
    return lambda g: g.add(triple)  # type: ignore[arg-type]


def _remove(subject: URIRef, predicate: URIRef) -> Callable[[Graph], None]:
    return lambda g: g.remove((subject, predicate, None))


def _retype(subject: URIRef, cls: URIRef) -> Callable[[Graph], None]:
    return _replace(subject, RDF.type, cls)


def _all(*changes: Callable[[Graph], None]) -> Callable[[Graph], None]:
    def change(g: Graph) -> None:
        for step in changes:
            step(g)

    return change


# name → (change to the valid graph, the one shape it breaks, its focus node)
BROKEN: dict[str, tuple[Callable[[Graph], None], URIRef, URIRef]] = {
    "entity with two labels": (
        _add(TRUMP, RDFS.label, Literal("Donald J. Trump")),
        KGSH.EntityLabelShape,
        TRUMP,
    ),
    "entity without label": (_remove(BAGHDAD, RDFS.label), KGSH.EntityLabelShape, BAGHDAD),
    "entity mentioned nowhere": (
        _remove(AL_ASAD, KG.mentionedIn),
        KGSH.EntityMentionedShape,
        AL_ASAD,
    ),
    "entity acting for a state is still mentioned": (
        _all(_add(PENTAGON, KG.actsFor, USA), _remove(PENTAGON, KG.mentionedIn)),
        KGSH.EntityMentionedShape,
        PENTAGON,
    ),
    "entity mentioned in a non-article": (
        _add(PENTAGON, KG.mentionedIn, ID["article/missing"]),
        KGSH.EntityMentionedInShape,
        PENTAGON,
    ),
    "entity sameAs a string": (
        _add(TRUMP, OWL.sameAs, Literal("Q22686")),
        KGSH.EntitySameAsShape,
        TRUMP,
    ),
    "event without evidence": (
        _remove(WITHDRAWAL, KG.evidence),
        KGSH.EventEvidenceShape,
        WITHDRAWAL,
    ),
    "event of a sub-subclass without evidence": (
        _all(_retype(WITHDRAWAL, KG.Handover), _remove(WITHDRAWAL, KG.evidence)),
        KGSH.EventEvidenceShape,
        WITHDRAWAL,
    ),
    "event without source article": (
        _remove(WITHDRAWAL, PROV.wasDerivedFrom),
        KGSH.EventDerivedFromShape,
        WITHDRAWAL,
    ),
    "event derived from a non-article": (
        _add(WITHDRAWAL, PROV.wasDerivedFrom, IRAQ),
        KGSH.EventDerivedFromShape,
        WITHDRAWAL,
    ),
    "event agent is a string": (
        _add(WITHDRAWAL, KG.agent, Literal("the United States")),
        KGSH.EventAgentShape,
        WITHDRAWAL,
    ),
    "event without a type": (_remove(WITHDRAWAL, RDF.type), KGSH.EventTypeShape, WITHDRAWAL),
    "troop count of -5": (
        _replace(WITHDRAWAL, KG.troopCount, Literal(-5)),
        KGSH.TroopCountShape,
        WITHDRAWAL,
    ),
    "troops before as a string": (
        _replace(WITHDRAWAL, KG.troopsBefore, Literal("5200")),
        KGSH.TroopsBeforeShape,
        WITHDRAWAL,
    ),
    "troops after as a decimal": (
        _replace(WITHDRAWAL, KG.troopsAfter, Literal("3000.5", datatype=XSD.decimal)),
        KGSH.TroopsAfterShape,
        WITHDRAWAL,
    ),
    "qualifier as a number": (
        _replace(WITHDRAWAL, KG.troopsBeforeQualifier, Literal(1)),
        KGSH.TroopsBeforeQualifierShape,
        WITHDRAWAL,
    ),
    "date typed xsd:string": (
        _replace(WITHDRAWAL, KG.date, Literal("2020-09", datatype=XSD.string)),
        KGSH.DateValueShape,
        WITHDRAWAL,
    ),
    "date as a dateTime": (
        _replace(WITHDRAWAL, KG.date, Literal("2020-09-09T00:00:00", datatype=XSD.dateTime)),
        KGSH.DateValueShape,
        WITHDRAWAL,
    ),
    "status outside the list": (
        _replace(WITHDRAWAL, KG.status, Literal("rumoured")),
        KGSH.StatusValueShape,
        WITHDRAWAL,
    ),
    "role without title": (_remove(ROLE, KG.title), KGSH.RoleTitleShape, ROLE),
    "role with two titles": (_add(ROLE, KG.title, Literal("PM")), KGSH.RoleTitleShape, ROLE),
    "role without source": (_remove(ROLE, PROV.wasDerivedFrom), KGSH.RoleDerivedFromShape, ROLE),
    "hasRole to an untyped node": (
        _add(TRUMP, KG.hasRole, ID["role/untyped"]),
        KGSH.HasRoleValueShape,
        TRUMP,
    ),
    "article without source file": (
        _remove(ARTICLE_2, KG.sourceFile),
        KGSH.ArticleSourceFileShape,
        ARTICLE_2,
    ),
    "article with two source files": (
        _add(ARTICLE_2, KG.sourceFile, Literal("other.txt")),
        KGSH.ArticleSourceFileShape,
        ARTICLE_2,
    ),
    "article date as a string": (
        _replace(ARTICLE, SCHEMA.datePublished, Literal("9 September 2020")),
        KGSH.ArticleDatePublishedShape,
        ARTICLE,
    ),
    "mention begin after end": (
        _replace(MENTION, KG.beginIndex, Literal(140)),
        KGSH.MentionBeginShape,
        MENTION,
    ),
    "mention without article": (
        _remove(MENTION, KG.inArticle),
        KGSH.MentionInArticleShape,
        MENTION,
    ),
    "mention in two articles": (
        _add(MENTION, KG.inArticle, ARTICLE_2),
        KGSH.MentionInArticleShape,
        MENTION,
    ),
    "mention without surface text": (
        _remove(MENTION, KG.anchorOf),
        KGSH.MentionAnchorShape,
        MENTION,
    ),
    "denotedBy to a non-mention": (
        _add(IRAQ, KG.denotedBy, ARTICLE),
        KGSH.DenotedByValueShape,
        IRAQ,
    ),
}


def broken_graph(name: str) -> Graph:
    graph = valid_graph()
    BROKEN[name][0](graph)
    return graph


def _event_subclasses() -> list[URIRef]:
    """Every class the ontology makes a (transitive) subclass of kg:Event."""
    ontology = Graph().parse(ontology_dir() / "newskg.ttl")
    found = set(ontology.transitive_subjects(RDFS.subClassOf, KG.Event)) - {KG.Event}
    return sorted(c for c in found if isinstance(c, URIRef))


def _shape_label(shape: URIRef) -> str:
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    return str(shapes.value(shape, RDFS.label))


# --- the library ---------------------------------------------------------------


def test_validate_valid_graph_conforms():
    report = validate_graph(valid_graph())
    assert report.conforms, report.text
    assert report.violations == ()
    assert report.text == "validation: conforms"


def test_validate_a_state_acted_for_needs_no_mention():
    """A president or ministry brings in the state it acts for, which the text may never name."""
    graph = valid_graph()
    graph.add((PENTAGON, KG.actsFor, USA))
    graph.remove((USA, KG.mentionedIn, None))
    report = validate_graph(graph)
    assert report.conforms, report.text


# Sentences whose people and bodies act for states the text never names.
UNNAMED_STATES = [
    "Vladimir Putin met Emmanuel Macron on Monday.",
    "Prime Minister Narendra Modi spoke with Chancellor Olaf Scholz by phone.",
    "The Kremlin said the talks in Geneva would resume next week.",
    "The Pentagon said it would send 3,000 troops to Poland.",
]


@pytest.mark.parametrize("text", UNNAMED_STATES)
def test_validate_build_of_a_sentence_conforms(tmp_path, text):
    source = tmp_path / "articles"
    source.mkdir()
    (source / "story.txt").write_text(text + "\n", encoding="utf-8")
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", str(source), "--out", str(out), "--no-cache"])
    assert built.exit_code == 0, built.output
    assert "validation: conforms" in built.stdout, built.output
    checked = runner.invoke(app, ["validate", str(out / "graph.trig")])
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_validate_broken_graph_names_the_shape(name):
    _, shape, focus = BROKEN[name]
    report = validate_graph(broken_graph(name))
    assert not report.conforms
    assert {v.shape for v in report.violations} == {shape}, report.text
    assert {v.focus_node for v in report.violations} == {focus}
    assert all(v.severity == "Violation" for v in report.violations)


@pytest.mark.parametrize("event_class", _event_subclasses(), ids=lambda c: c.rsplit("#")[-1])
def test_validate_every_event_subclass_needs_evidence(event_class):
    graph = valid_graph()
    _all(_retype(WITHDRAWAL, event_class), _remove(WITHDRAWAL, KG.evidence))(graph)
    report = validate_graph(graph)
    assert [v.shape for v in report.violations] == [KGSH.EventEvidenceShape]


@pytest.mark.parametrize(
    "value",
    [
        Literal("2020-09-09", datatype=XSD.date),
        Literal("2020-09", datatype=XSD.gYearMonth),
        Literal("2020", datatype=XSD.gYear),
    ],
    ids=lambda v: v.datatype.rsplit("#")[-1],
)
def test_validate_date_precisions_conform(value):
    graph = valid_graph()
    _replace(WITHDRAWAL, KG.date, value)(graph)
    assert validate_graph(graph).conforms


@pytest.mark.parametrize("status", ["planned", "reported", "denied"])
def test_validate_statuses_conform(status):
    graph = valid_graph()
    _replace(WITHDRAWAL, KG.status, Literal(status))(graph)
    assert validate_graph(graph).conforms


def test_validate_dataset_is_checked_as_the_union():
    """An entity in the shared graph points to an article described in its own graph."""
    dataset = Dataset()
    entities = dataset.graph(ID["graph/entities"])
    article_graph = dataset.graph(ARTICLE)
    for triple in valid_graph():
        s, p, _ = triple
        target = article_graph if s in (ARTICLE, ARTICLE_2, WITHDRAWAL) else entities
        target.add(triple)
    assert validate_graph(dataset).conforms
    article_graph.remove((ARTICLE, KG.sourceFile, None))
    report = validate_graph(dataset)
    assert [v.shape for v in report.violations] == [KGSH.ArticleSourceFileShape]


def test_validate_report_reads_one_line_per_violation():
    graph = broken_graph("troop count of -5")
    _remove(WITHDRAWAL, KG.evidence)(graph)
    report = validate_graph(graph)
    assert isinstance(report, ValidationReport)
    lines = report.text.splitlines()
    assert len(lines) == len(report.violations) + 1 == 3
    troops = next(line for line in lines if "kg:troopCount" in line)
    assert troops.startswith(f"Violation: <{WITHDRAWAL}> kg:troopCount: ")
    assert "non-negative" in troops
    assert "shape: Troop count" in troops
    assert 'value: "-5"^^xsd:integer' in troops
    assert lines[-1] == report.summary
    assert report.summary.startswith("validation: does not conform: 2 violations on 1 node")


def test_validate_report_shows_the_values_a_node_has_too_many_of():
    report = validate_graph(broken_graph("entity with two labels"))
    (violation,) = report.violations
    assert violation.constraint == "MaxCount"
    assert violation.found == (Literal("Donald J. Trump"), Literal("Donald Trump"))
    assert 'found: "Donald J. Trump", "Donald Trump"' in violation.line()


@pytest.mark.parametrize(
    ("term", "shown"),
    [
        (KG.agent, "kg:agent"),
        (XSD.gYear, "xsd:gYear"),
        (TRUMP, f"<{TRUMP}>"),
        (Literal("-5", datatype=XSD.integer), '"-5"^^xsd:integer'),
        (Literal("two\nlines"), '"two\\nlines"'),
        (Literal("Irak", lang="fr"), '"Irak"@fr'),
    ],
)
def test_validate_show_term_one_line(term, shown):
    assert show_term(term) == shown


# --- reading graph files -------------------------------------------------------


@pytest.mark.parametrize("suffix", [".ttl", ".nt", ".trig", ".nq", ".jsonld"])
def test_validate_load_graph_file_by_suffix(tmp_path, suffix):
    graph = valid_graph()
    fmt = {".ttl": "turtle", ".nt": "nt", ".jsonld": "json-ld"}
    path = tmp_path / f"graph{suffix}"
    if suffix in (".trig", ".nq"):
        dataset = Dataset()
        for triple in graph:
            dataset.graph(ARTICLE).add(triple)
        path.write_bytes(serialize(dataset, "trig" if suffix == ".trig" else "nquads"))
    else:
        graph.serialize(path, format=fmt[suffix], encoding="utf-8")
    loaded = load_graph_file(path)
    assert isinstance(loaded, Dataset) == (suffix in (".trig", ".nq", ".jsonld"))
    assert len(union_graph(loaded)) == len(graph)
    assert validate_graph(loaded).conforms


@pytest.mark.parametrize(
    ("name", "content", "complaint"),
    [
        ("missing.ttl", None, "no such file"),
        ("garbage.ttl", b"\x00\xff this is {{ not turtle", "not valid turtle"),
        ("broken.ttl", b"<a> <b> .", "not valid turtle"),
        ("broken.jsonld", b'{"@id": ', "not valid json-ld"),
        ("broken.nq", b"<http://a> <http://b> .\n", "not valid nquads"),
        ("graph.rdfx", b"", "unknown suffix"),
    ],
)
def test_validate_load_graph_file_errors_name_the_file(tmp_path, name, content, complaint):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GraphFileError) as caught:
        load_graph_file(path)
    assert str(path) in str(caught.value)
    assert complaint in str(caught.value)


# --- the CLI -------------------------------------------------------------------


def test_validate_cli_sample_build_conforms(sample_build):
    result = runner.invoke(app, ["validate", str(sample_build / "graph.ttl")])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("validation: conforms")


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
def test_validate_cli_sample_build_every_rdf_format_conforms(sample_build, suffix):
    result = runner.invoke(app, ["validate", str(sample_build / f"graph{suffix}")])
    assert result.exit_code == 0, result.output


def test_validate_cli_reads_a_build_folder(sample_build):
    result = runner.invoke(app, ["validate", str(sample_build)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output


def test_validate_cli_drawdown_fixture_conforms(drawdown):
    # The hand-written graph that the query, store and view tests read stays one a build
    # could write: if the shapes tighten, the fixture must follow.
    result = runner.invoke(app, ["validate", str(drawdown)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("validation: conforms")


def test_validate_cli_build_reports_conformance(sample_build):
    assert "validation: conforms" in (sample_build / "build-output.txt").read_text()


@pytest.mark.parametrize(
    "name",
    [
        "entity with two labels",
        "event without evidence",
        "troop count of -5",
        "date typed xsd:string",
        "role without title",
    ],
)
def test_validate_cli_broken_graph_exit_1(tmp_path, name):
    _, shape, focus = BROKEN[name]
    path = tmp_path / "broken.ttl"
    broken_graph(name).serialize(path, format="turtle")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert f"shape: {_shape_label(shape)}" in result.stdout
    assert str(focus) in result.stdout
    assert "does not conform" in result.stdout


@pytest.mark.parametrize(
    ("name", "content"),
    [("missing.ttl", None), ("garbage.ttl", b"\x00\xff\xfe garbage {{{"), ("nothing.nq", b"x")],
)
def test_validate_cli_unreadable_exit_2(tmp_path, name, content):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert str(path) in result.stderr
    assert result.stdout == ""


def test_validate_cli_default_path_is_output_graph_ttl(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["validate"])
    assert result.exit_code == 2
    assert str(Path("output") / "graph.ttl") in result.stderr


def test_validate_cli_build_reports_violations_keeps_exit_0(tmp_path, monkeypatch, fake_build):
    """`kg build` reports what its graph breaks; the files are still written."""
    import kg.stages

    dataset = Dataset()
    article_graph = dataset.graph(URIRef(f"{DEFAULT_BASE_IRI}article/x"))
    for triple in broken_graph("troop count of -5"):
        article_graph.add(triple)
    monkeypatch.setattr(kg.stages, "build", fake_build(dataset))
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["build", str(ARTICLES / "001_c34ed854f745c209.txt"), "-o", str(out), "-f", "ttl"]
    )
    assert result.exit_code == 0, result.output
    assert "does not conform" in result.stderr
    assert f"<{WITHDRAWAL}> kg:troopCount" in result.stderr
    assert "validation: conforms" not in result.stdout
    assert (out / "graph.ttl").exists()


# --- untrusted JSON-LD: read offline, never fetching or opening another document ---------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on loopback that serves a JSON-LD context; its URL and the paths asked."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = json.dumps({"@context": CONTEXT}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/context.jsonld", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def watched_context(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A context 'file' that records being opened: a named pipe that a thread feeds the context
    to the first reader that opens it (so that reader never hangs); its path and the opens seen."""
    path = tmp_path / "context.jsonld"
    os.mkfifo(path)
    opened: list[str] = []
    stop = threading.Event()

    def feed() -> None:
        while not stop.is_set():
            try:
                fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError:  # ENXIO: no reader has it open
                time.sleep(0.005)
                continue
            opened.append("opened")
            with os.fdopen(fd, "wb") as pipe:
                pipe.write(json.dumps({"@context": CONTEXT}).encode())
            return

    thread = threading.Thread(target=feed, daemon=True)
    thread.start()
    try:
        yield path, opened
    finally:
        stop.set()
        thread.join(timeout=5)


CONTEXT = {"kg": str(KG), "rdfs": str(RDFS), "label": str(RDFS.label)}


def _documents(reference: str) -> dict[str, dict[str, object]]:
    """Every place a JSON-LD document can name another document as (part of) its context."""
    node = {"@id": str(TRUMP), "@type": "kg:Person", "label": "Donald Trump"}
    return {
        "top": {"@context": reference, **node},
        "in a list": {"@context": [{"kg": str(KG)}, reference], **node},
        "imported": {"@context": {"@version": 1.1, "@import": reference}, **node},
        "scoped to a term": {
            "@context": {"kg": str(KG), "knows": {"@id": "kg:knows", "@context": reference}},
            "@id": str(TRUMP),
            "knows": {"@id": str(KADHIMI), "label": "Mustafa al-Kadhimi"},
        },
        "on a node": {"@context": {"kg": str(KG)}, "@graph": [{"@context": reference, **node}]},
    }


@pytest.mark.parametrize("command", ["validate", "view"])
@pytest.mark.parametrize("where", sorted(_documents("x")))
def test_validate_jsonld_remote_context_is_never_fetched(tmp_path, listener, command, where):
    url, asked = listener
    path = tmp_path / "graph.jsonld"
    path.write_text(json.dumps(_documents(url)[where]), encoding="utf-8")
    result = runner.invoke(app, [command, str(path)])
    assert asked == []
    assert result.exit_code == 2, result.output
    assert str(path) in result.stderr
    assert "@context" in result.stderr and "offline" in result.stderr
    assert not path.with_suffix(".html").exists()


@pytest.mark.parametrize("command", ["validate", "view"])
@pytest.mark.parametrize("absolute", [True, False], ids=["file: IRI", "relative"])
def test_validate_jsonld_file_context_is_never_opened(tmp_path, watched_context, command, absolute):
    context, opened = watched_context
    path = tmp_path / "graph.jsonld"
    reference = context.as_uri() if absolute else context.name
    path.write_text(json.dumps(_documents(reference)["top"]), encoding="utf-8")
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 2, result.output
    assert "@context" in result.stderr
    assert opened == []


def test_validate_jsonld_inline_context_still_reads(tmp_path):
    path = tmp_path / "graph.jsonld"
    document = {"@context": CONTEXT, "@id": str(TRUMP), "@type": "kg:Person", "label": "Trump"}
    path.write_text(json.dumps(document), encoding="utf-8")
    assert set(union_graph(load_graph_file(path))) == {
        (TRUMP, RDF.type, KG.Person),
        (TRUMP, RDFS.label, Literal("Trump")),
    }


@pytest.mark.parametrize("suffix", [".trig", ".nq", ".jsonld"])
def test_validate_load_graph_file_every_format_reads_the_same_triples(sample_build, suffix):
    turtle = load_graph_file(sample_build / "graph.ttl")
    other = union_graph(load_graph_file(sample_build / f"graph{suffix}"))
    assert len(turtle) > 1000
    assert set(other) == set(turtle)


def test_validate_load_graph_file_keeps_graph_names_and_literals(tmp_path):
    text = 'a "quoted"\nline\\ with é, 😀 and\ttabs ' * 1000
    dataset = Dataset()
    dataset.graph(ARTICLE).add((TRUMP, RDFS.label, Literal(text)))
    dataset.graph(ARTICLE).add((TRUMP, KG.demonym, Literal("américain", lang="fr")))
    dataset.add((IRAQ, KG.troopCount, Literal(3000, datatype=XSD.integer)))
    path = tmp_path / "graph.trig"
    path.write_bytes(serialize(dataset, "trig"))
    loaded = load_graph_file(path)
    assert isinstance(loaded, Dataset)
    assert set(loaded.graph(ARTICLE)) == set(dataset.graph(ARTICLE))
    assert (IRAQ, KG.troopCount, Literal(3000, datatype=XSD.integer)) in union_graph(loaded)


@pytest.mark.parametrize("command", ["validate", "view"])
def test_validate_term_longer_than_the_readers_take_exit_2(tmp_path, command):
    path = tmp_path / "graph.nt"
    path.write_text(f'<{TRUMP}> <{RDFS.label}> "{"x" * 17_000_000}" .\n', encoding="utf-8")
    result = runner.invoke(app, [command, str(path)])
    assert result.exit_code == 2, result.output
    assert f"cannot read {path}: a term in it is longer than kg reads" in result.stderr


# --- the engine against pySHACL, the reference it replaced ---------------------------------


def _pyshacl_results(graph: Graph) -> set[tuple[object, object, object]]:
    """(focus node, path, shape) of every result pySHACL gives, the ontology mixed in as before."""
    data = Graph()
    for triple in (*graph, *Graph().parse(ontology_dir() / "newskg.ttl")):
        data.add(triple)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", inplace=True)
    return {
        (
            results.value(r, SH.focusNode),
            results.value(r, SH.resultPath),
            results.value(r, SH.sourceShape),
        )
        for r in results.objects(None, SH.result)
    }


@pytest.mark.parametrize("name", ["conforming", *sorted(BROKEN)])
def test_validate_engine_agrees_with_pyshacl(name):
    graph = valid_graph() if name == "conforming" else broken_graph(name)
    ours = {(v.focus_node, v.path, v.shape) for v in validate_graph(graph).violations}
    assert ours == _pyshacl_results(graph)


def test_validate_incomparable_mention_indexes_are_reported():
    """SHACL reports a pair that sh:lessThanOrEquals cannot compare; pySHACL let it pass."""
    graph = valid_graph()
    _replace(MENTION, KG.endIndex, Literal("the end"))(graph)
    report = validate_graph(graph)
    assert ("MentionBeginShape", "LessThanOrEquals") in {
        (str(v.shape).rsplit("#")[-1], v.constraint) for v in report.violations
    }


# --- validate_store: a store's graphs, alone or chunk by chunk, as the whole graph judges them --


ENTITY_GRAPH = ox.NamedNode(str(ID["graph/entities"]))
_OX_KG = "https://w3id.org/newskg/ontology#"


@pytest.fixture(scope="module")
def sample_quads(sample_build: Path) -> list[ox.Quad]:
    return list(ox.parse(path=sample_build / "graph.trig", format=ox.RdfFormat.TRIG))


def _store(quads: list[ox.Quad]) -> ox.Store:
    store = ox.Store()
    store.extend(quads)
    return store


def _one(store: ox.Store, query: str) -> ox.NamedNode:
    """The first binding of ?x (in IRI order) of a query over the whole store."""
    rows = store.query(f"PREFIX kg: <{_OX_KG}> {query}", use_default_graph_as_union=True)
    return sorted((row["x"] for row in rows), key=str)[0]  # type: ignore[union-attr, index]


def _article_of(store: ox.Store, node: ox.NamedNode) -> ox.NamedNode:
    """The first article graph that describes `node`."""
    graphs = {q.graph_name for q in store.quads_for_pattern(node, None, None, None)}
    return sorted((g for g in graphs if g != ENTITY_GRAPH), key=str)[0]  # type: ignore[return-value]


def _p(name: str) -> ox.NamedNode:
    return ox.NamedNode(_OX_KG + name)


# A defect planted in the store: it changes quads and returns (graph, focus node, shape).
Plant = Callable[[ox.Store], tuple[ox.NamedNode, ox.NamedNode, URIRef]]


def _event_without_evidence(store: ox.Store) -> tuple[ox.NamedNode, ox.NamedNode, URIRef]:
    event = _one(store, "SELECT ?x WHERE { ?x kg:evidence ?e }")
    for quad in list(store.quads_for_pattern(event, _p("evidence"), None, None)):
        store.remove(quad)
    return _article_of(store, event), event, KGSH.EventEvidenceShape


def _mention_begins_after_end(store: ox.Store) -> tuple[ox.NamedNode, ox.NamedNode, URIRef]:
    mention = _one(store, "SELECT ?x WHERE { ?x kg:beginIndex ?b }")
    graph = _article_of(store, mention)
    (begin,) = store.quads_for_pattern(mention, _p("beginIndex"), None, None)
    store.remove(begin)
    store.add(
        ox.Quad(mention, _p("beginIndex"), ox.Literal("999999", datatype=_XSD_INTEGER), graph)
    )
    return graph, mention, KGSH.MentionBeginShape


def _hub_mentioned_in_a_non_article(store: ox.Store) -> tuple[ox.NamedNode, ox.NamedNode, URIRef]:
    """The entity most articles name, pointed at a non-article from one article's graph."""
    entity = _one(
        store,
        "SELECT ?x WHERE { ?x kg:mentionedIn ?a } GROUP BY ?x HAVING (COUNT(DISTINCT ?a) = 5)",
    )
    graph = _article_of(store, entity)
    store.add(ox.Quad(entity, _p("mentionedIn"), ox.NamedNode(str(ID["article/missing"])), graph))
    return graph, entity, KGSH.EntityMentionedInShape


def _entity_with_two_labels(store: ox.Store) -> tuple[ox.NamedNode, ox.NamedNode, URIRef]:
    entity = _one(store, "SELECT ?x WHERE { GRAPH ?g { ?x kg:mentionedIn ?a } }")
    store.add(
        ox.Quad(entity, ox.NamedNode(str(RDFS.label)), ox.Literal("Another Name"), ENTITY_GRAPH)
    )
    return ENTITY_GRAPH, entity, KGSH.EntityLabelShape


def _role_without_title(store: ox.Store) -> tuple[ox.NamedNode, ox.NamedNode, URIRef]:
    role = _one(store, "SELECT ?x WHERE { ?x kg:title ?t }")
    for quad in list(store.quads_for_pattern(role, _p("title"), None, None)):
        store.remove(quad)
    return _article_of(store, role), role, KGSH.RoleTitleShape


_XSD_INTEGER = ox.NamedNode(str(XSD.integer))
PLANTS: dict[str, Plant] = {
    "event without evidence": _event_without_evidence,
    "mention begins after its end": _mention_begins_after_end,
    "hub entity mentioned in a non-article": _hub_mentioned_in_a_non_article,
    "entity with two labels": _entity_with_two_labels,
    "role without title": _role_without_title,
}


def _whole(store: ox.Store, tmp_path: Path) -> set[object]:
    path = tmp_path / "whole.trig"
    store.dump(path, format=ox.RdfFormat.TRIG)
    return set(validate_graph(load_graph_file(path)).violations)


@pytest.mark.parametrize("name", sorted(PLANTS))
def test_validate_store_planted_defect_found_in_its_graph_alone(sample_quads, name):
    store = _store(sample_quads)
    graph, focus, shape = PLANTS[name](store)
    report = validate_store(store, [graph])
    assert (URIRef(focus.value), shape) in {(v.focus_node, v.shape) for v in report.violations}
    assert not report.conforms


@pytest.mark.parametrize("name", ["nothing planted", *sorted(PLANTS)])
def test_validate_store_graph_by_graph_as_the_whole_graph(sample_quads, tmp_path, name):
    store = _store(sample_quads)
    if name in PLANTS:
        PLANTS[name](store)
    whole = _whole(store, tmp_path)
    by_graph: set[object] = set()
    for graph in store.named_graphs():
        by_graph |= set(validate_store(store, [graph]).violations)
    assert by_graph == whole
    assert set(validate_store(store).violations) == whole
    # chunks of a few hundred triples: entities met in one chunk are skipped in the next
    assert set(validate_store(store, chunk_triples=300).violations) == whole
    # chunks smaller than a graph: graphs cut between subjects
    assert set(validate_store(store, chunk_triples=20).violations) == whole
    assert set(validate_union(store).violations) == whole  # one pass, as a first build does
    # the union in parts of a few hundred quads, as a first build of a large store does
    assert set(validate_union(store, part_quads=300).violations) == whole
    assert (name == "nothing planted") == (whole == set())


def test_validate_store_state_acted_for_needs_no_mention_in_any_graph(sample_quads):
    """A state named nowhere but acted for: each article that points at it sees who acts for it."""
    store = _store(sample_quads)
    state = _one(store, "SELECT ?x WHERE { ?y kg:actsFor ?x }")
    for quad in list(store.quads_for_pattern(state, _p("mentionedIn"), None, None)):
        store.remove(quad)
    articles = [graph for graph in store.named_graphs() if graph != ENTITY_GRAPH]
    assert any(
        state in {q.subject for q in store.quads_for_pattern(None, None, None, g)} for g in articles
    )
    for graph in articles:
        assert validate_store(store, [graph]).conforms, graph


def test_validate_store_entity_graph_alone_reports_its_own_violations(sample_quads):
    store = _store(sample_quads)
    entity = _one(store, "SELECT ?x WHERE { GRAPH ?g { ?x kg:mentionedIn ?a } }")
    store.add(ox.Quad(entity, ox.NamedNode(str(OWL.sameAs)), ox.Literal("Q1"), ENTITY_GRAPH))
    report = validate_store(store, [ENTITY_GRAPH])
    assert [(v.focus_node, v.shape) for v in report.violations] == [
        (URIRef(entity.value), KGSH.EntitySameAsShape)
    ]


def test_validate_store_nodes_of_an_article_that_left(sample_quads):
    """An entity whose only article left: checked when given in `nodes`, no graph names it."""
    store = _store(sample_quads)
    entity = _one(
        store,
        "SELECT ?x WHERE { ?x kg:mentionedIn ?a ; a ?c } GROUP BY ?x "
        "HAVING (COUNT(DISTINCT ?a) = 1)",
    )
    for quad in list(store.quads_for_pattern(entity, _p("mentionedIn"), None, None)):
        store.remove(quad)
    assert validate_store(store, []).violations == ()
    report = validate_store(store, [], nodes=[entity])
    assert {(v.focus_node, v.shape) for v in report.violations} == {
        (URIRef(entity.value), KGSH.EntityMentionedShape)
    }


def test_validate_store_refuses_a_blank_focus_node():
    store = ox.Store()
    store.add(
        ox.Quad(ox.BlankNode(), _p("status"), ox.Literal("rumoured"), ox.NamedNode(str(ARTICLE)))
    )
    with pytest.raises(ValueError, match="blank nodes"):
        validate_store(store)


def test_validate_graph_reports_on_blank_nodes():
    graph = Graph()
    graph.add((BNode(), KG.status, Literal("rumoured")))
    assert {v.shape for v in validate_graph(graph).violations} == {
        KGSH.StatusValueShape,
        KGSH.EventTypeShape,
    }
