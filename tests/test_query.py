"""Tests for kg.query and `kg query`: every shipped question gets the answer the hand-written
graph in tests/fixtures/drawdown.trig states, the questions run on a real build, and bad input
gets a message and exit code 2, never a traceback."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.graphio import LoadedGraph, load_store
from kg.query import (
    ParameterError,
    QueryError,
    named_query,
    parse_params,
    run_query,
    shipped_queries,
)
from kg.query.terms import DEFAULT_PREFIXES

runner = CliRunner()

HERALD = "id:article/herald-drawdown"
COURIER = "id:article/courier-drawdown"
GAZETTE = "id:article/gazette-bases"
WITHDRAWAL = "id:event/4b1e7c0d9a2f6e58"
MEETING = "id:event/9c3a51f2e07d84b6"
HANDOVER = "id:event/d27f0a6c3e5b1948"
PRESENCE = "id:event/6e08b3d5f1c2a794"
SHIPPED = (
    "articles-for-event",
    "bases-by-country",
    "claim-support",
    "co-mentions",
    "disputed-figures",
    "events-with-person",
    "people-roles",
    "troop-levels",
    "who-met-whom",
)


@pytest.fixture(scope="module")
def graph(drawdown: Path) -> LoadedGraph:
    return load_store(drawdown)


def _plain(term: NamedNode | BlankNode | Literal | Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return DEFAULT_PREFIXES.compact(term.value)
    return term.value if isinstance(term, Literal | BlankNode) else str(term)


def ask(graph: LoadedGraph, name: str, **params: str) -> list[dict[str, str]]:
    """A shipped query's rows as {variable: value}, IRIs as `kg query` shows them."""
    results = run_query(
        graph.store,
        named_query(name).text,
        params=parse_params(f"{key}={value}" for key, value in params.items()),
    )
    assert isinstance(results, QuerySolutions)
    names = [variable.value for variable in results.variables]
    return [{name: _plain(solution[name]) for name in names} for solution in results]


def pick(rows: list[dict[str, str]], *columns: str) -> list[tuple[str, ...]]:
    """The rows' `columns`, in the query's order."""
    return [tuple(row[column] for column in columns) for row in rows]


def test_query_library_ships_the_questions_with_summaries():
    queries = shipped_queries()
    assert tuple(query.name for query in queries) == SHIPPED
    for query in queries:
        assert query.summary, f"{query.name}.rq needs a comment saying what it answers"
        assert "SELECT" in query.text
    assert dict(named_query("events-with-person").params).keys() == {"person"}
    assert dict(named_query("articles-for-event").params).keys() == {"event"}


def test_query_every_shipped_query_answers_on_a_real_build(sample_build):
    built = load_store(sample_build)
    for name in SHIPPED:
        assert ask(built, name), f"{name} found nothing in the sample build"
    rows = ask(built, "troop-levels")
    assert list(rows[0]) == ["country", "date", "measure", "troops", "article"]
    assert any(row["troops"].isdigit() and row["article"].startswith("id:article/") for row in rows)


def test_query_troop_levels_each_figure_with_its_article(graph):
    rows = ask(graph, "troop-levels")
    assert pick(rows, "country", "date", "measure", "troops", "article") == [
        # The courier gives no date for the withdrawal: its own publication date stands in.
        ("Mozambique", "2024-03-05", "kg:troopsAfter", "600", COURIER),
        ("Mozambique", "2024-03-05", "kg:troopsBefore", "1200", COURIER),
        ("Mozambique", "2024-06", "kg:troopsAfter", "400", HERALD),
        ("Mozambique", "2024-06", "kg:troopsBefore", "1200", HERALD),
        # At Chiure Airbase, which is in Mozambique only through Cabo Delgado.
        ("Mozambique", "2024-07", "kg:troopCount", "450", GAZETTE),
    ]
    # The 800 troops moved are no level.


def test_query_disputed_figures_keep_every_source(graph):
    rows = ask(graph, "disputed-figures")
    # 400 and 600 are two accounts of one withdrawal; the 1,200 both give is no dispute,
    # nor are the 800 moved or the 450 at Chiure Airbase, which one article alone gives.
    assert pick(rows, "place", "event", "measure", "troops", "article") == [
        ("Mozambique", WITHDRAWAL, "kg:troopsAfter", "400", HERALD),
        ("Mozambique", WITHDRAWAL, "kg:troopsAfter", "600", COURIER),
    ]
    herald, courier = (row["evidence"] for row in rows)
    assert herald.startswith("Portugal will cut its force in Mozambique from 1,200 to 400")
    assert courier.startswith("Portugal plans to reduce its contingent of 1,200 to about 600")


@pytest.mark.parametrize("name", ["Helena Duarte", "Duarte", "Minister Duarte"])
def test_query_events_with_person_by_name_or_alias(graph, name):
    rows = ask(graph, "events-with-person", person=name)
    assert pick(rows, "person", "role", "type", "date", "event", "article") == [
        (name, "kg:participant", "kg:Meeting", "2024-03", MEETING, COURIER),
        (name, "kg:agent", "kg:Meeting", "2024-03-02", MEETING, HERALD),
        (name, "kg:accordingTo", "kg:Withdrawal", "2024-06", WITHDRAWAL, HERALD),
    ]


def test_query_param_is_bound_not_pasted(graph):
    hostile = 'Helena Duarte" } UNION { ?who ?role ?person } #'
    assert ask(graph, "events-with-person", person=hostile) == []


def test_query_who_met_whom(graph):
    rows = ask(graph, "who-met-whom")
    # One meeting, two accounts: to the month without a place, and to the day in Maputo.
    assert pick(rows, "person", "metWith", "date", "place", "article") == [
        ("Amadeu Nhaca", "Helena Duarte", "2024-03", "", COURIER),
        ("Amadeu Nhaca", "Helena Duarte", "2024-03-02", "Maputo", HERALD),
    ]


def test_query_bases_by_country_with_their_events(graph):
    rows = ask(graph, "bases-by-country")
    assert pick(rows, "country", "base", "type", "date", "event", "article") == [
        ("Mozambique", "Camp Lumbo", "kg:Handover", "2024-06-28", HANDOVER, GAZETTE),
        # In Mozambique through its province, Cabo Delgado.
        ("Mozambique", "Chiure Airbase", "kg:TroopPresence", "2024-07", PRESENCE, GAZETTE),
        # No article reports an event there.
        ("Mozambique", "Pemba Naval Station", "", "", "", ""),
    ]


def test_query_people_roles_with_sources(graph):
    assert pick(ask(graph, "people-roles"), "person", "title", "of", "article") == [
        ("Amadeu Nhaca", "President", "Mozambique", COURIER),
        ("Amadeu Nhaca", "President", "Mozambique", HERALD),
        ("Helena Duarte", "Defence Minister", "Portugal", HERALD),
        ("Helena Duarte", "Minister of Defence", "Portugal", COURIER),
        ("Rui Matos", "Colonel", "", GAZETTE),
    ]


def test_query_articles_for_event(graph):
    rows = ask(graph, "articles-for-event", event=WITHDRAWAL)
    columns = ("event", "type", "article", "published", "publisher", "headline")
    assert pick(rows, *columns) == [
        (
            WITHDRAWAL,
            "kg:Withdrawal",
            COURIER,
            "2024-03-05",
            "Maputo Courier",
            "Lisbon's troops to leave, but not all of them",
        ),
        (
            WITHDRAWAL,
            "kg:Withdrawal",
            HERALD,
            "2024-03-04",
            "Lisbon Herald",
            "Portugal to bring most of its Mozambique force home by June",
        ),
    ]
    full_iri = "<" + WITHDRAWAL.replace("id:", "https://w3id.org/newskg/id/", 1) + ">"
    assert ask(graph, "articles-for-event", event=full_iri) == rows
    every = ask(graph, "articles-for-event")
    assert {row["event"] for row in every} == {WITHDRAWAL, MEETING, HANDOVER, PRESENCE}


def test_query_co_mentions_most_shared_first(graph):
    rows = ask(graph, "co-mentions")
    assert len(rows) == 20  # of the 39 pairs the three articles name
    counts = [int(row["articles"]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert pick(rows[:8], "entity", "other", "articles") == [
        ("Mozambique", "Portugal", "3"),
        ("Amadeu Nhaca", "Helena Duarte", "2"),
        ("Amadeu Nhaca", "Mozambique", "2"),
        ("Amadeu Nhaca", "Portugal", "2"),
        ("Camp Lumbo", "Mozambique", "2"),
        ("Camp Lumbo", "Portugal", "2"),
        ("Helena Duarte", "Mozambique", "2"),
        ("Helena Duarte", "Portugal", "2"),
    ]


def test_query_param_must_be_a_result_variable(graph):
    with pytest.raises(QueryError, match="nobody"):
        run_query(graph.store, named_query("who-met-whom").text, params={"nobody": Literal("x")})


@pytest.mark.parametrize("text", ["person", "=Trump", "two words=x", "e=<not an iri>"])
def test_query_bad_param_text(text):
    with pytest.raises(ParameterError):
        parse_params([text])


def test_query_param_terms():
    assert parse_params(["person=Donald Trump", "?e=id:event/1", "x=<http://a.example/>"]) == {
        "person": Literal("Donald Trump"),
        "e": NamedNode("https://w3id.org/newskg/id/event/1"),
        "x": NamedNode("http://a.example/"),
    }


def test_query_malformed_reports_line_and_column(graph):
    with pytest.raises(QueryError, match=r"error at 2:\d+") as caught:
        run_query(graph.store, "SELECT ?x\nWHERE { ?x ?y }")
    assert "line 2: WHERE { ?x ?y }" in str(caught.value)


# The command line


def kg(*args: str):
    return runner.invoke(app, ["query", *args])


def full(compact: str) -> str:
    """An `id:` IRI as CSV and JSON results write it."""
    return compact.replace("id:", "https://w3id.org/newskg/id/", 1)


def test_query_cli_table(drawdown):
    result = kg("troop-levels", "--graph", str(drawdown))
    assert result.exit_code == 0, result.output
    header, rule, *rows, count = result.stdout.splitlines()
    assert header.split() == ["country", "date", "measure", "troops", "article"]
    assert set(rule) <= {"-", " "}
    assert [row.split() for row in rows] == [
        ["Mozambique", "2024-03-05", "kg:troopsAfter", "600", COURIER],
        ["Mozambique", "2024-03-05", "kg:troopsBefore", "1200", COURIER],
        ["Mozambique", "2024-06", "kg:troopsAfter", "400", HERALD],
        ["Mozambique", "2024-06", "kg:troopsBefore", "1200", HERALD],
        ["Mozambique", "2024-07", "kg:troopCount", "450", GAZETTE],
    ]
    assert count == "5 rows"


def test_query_cli_csv_and_json_agree(drawdown):
    as_csv = kg("people-roles", "-g", str(drawdown), "--format", "csv")
    as_json = kg("people-roles", "-g", str(drawdown), "--format", "json")
    assert as_csv.exit_code == as_json.exit_code == 0, as_csv.output
    table = list(csv.reader(io.StringIO(as_csv.stdout)))
    document = json.loads(as_json.stdout)
    assert table[0] == document["head"]["vars"] == ["person", "title", "of", "article"]
    bindings = [
        [binding.get(name, {}).get("value", "") for name in table[0]]
        for binding in document["results"]["bindings"]
    ]
    assert table[1:] == bindings
    assert bindings[-2:] == [
        ["Helena Duarte", "Minister of Defence", "Portugal", full(COURIER)],
        ["Rui Matos", "Colonel", "", full(GAZETTE)],  # a title of nobody named: an empty cell
    ]


def test_query_cli_tsv_writes_terms(drawdown):
    result = kg("people-roles", "-g", str(drawdown), "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "?person\t?title\t?of\t?article"
    assert lines[-2:] == [
        f'"Helena Duarte"\t"Minister of Defence"\t"Portugal"\t<{full(COURIER)}>',
        f'"Rui Matos"\t"Colonel"\t\t<{full(GAZETTE)}>',
    ]


def test_query_cli_param_file_and_inline(drawdown, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text(named_query("events-with-person").text)
    by_file = kg("--file", str(query), "-g", str(drawdown), "-p", "person=Duarte")
    by_name = kg("events-with-person", "-g", str(drawdown), "--param", "person=Duarte")
    assert by_file.exit_code == by_name.exit_code == 0, by_file.output
    assert by_file.stdout == by_name.stdout
    assert by_name.stdout.splitlines()[-1] == "3 rows"
    inline = kg("ASK { ?x a <https://w3id.org/newskg/ontology#MilitaryBase> }", "-g", str(drawdown))
    assert (inline.exit_code, inline.stdout) == (0, "true\n")


def test_query_cli_construct_writes_turtle(drawdown):
    text = "CONSTRUCT WHERE { ?a a <https://w3id.org/newskg/ontology#Article> }"
    result = kg(text, "-g", str(drawdown))
    assert result.exit_code == 0, result.output
    articles = Graph().parse(data=result.stdout, format="turtle")
    assert {str(article) for article in articles.subjects()} == {
        full(HERALD),
        full(COURIER),
        full(GAZETTE),
    }
    assert kg(text, "-g", str(drawdown), "-f", "csv").exit_code == 2


def test_query_cli_list():
    result = kg("--list")
    assert result.exit_code == 0
    for query in shipped_queries():
        assert f"{query.name}  " in result.stdout
        assert query.summary in result.stdout
    assert "--param person=" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["SELECT ?x WHERE { ?x ?y }"], "malformed query: error at 1:"),
        (["no-such-query"], "no shipped query named 'no-such-query'"),
        (["troop-levels", "--format", "xml"], "unknown format 'xml'"),
        (["who-met-whom", "-p", "nobody=x"], "nobody"),
        (["who-met-whom", "-p", "nobody"], "give NAME=VALUE"),
        ([], "give one query"),
    ],
)
def test_query_cli_bad_input_exits_2(drawdown, args, message):
    result = kg(*args, "--graph", str(drawdown))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_query_cli_missing_graph_exits_2(tmp_path):
    result = kg("troop-levels", "--graph", str(tmp_path))
    assert result.exit_code == 2
    assert "run `kg build` first" in result.stderr


def test_query_cli_warns_when_the_file_has_no_named_graphs(tmp_path):
    turtle = tmp_path / "graph.ttl"
    turtle.write_text("<https://a.example/s> <https://a.example/p> <https://a.example/o> .\n")
    result = kg("SELECT * { ?s ?p ?o } LIMIT 1", "-g", str(turtle))
    assert result.exit_code == 0
    assert "no named graphs" in result.stderr
