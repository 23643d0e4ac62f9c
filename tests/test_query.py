"""Tests for kg.query and `kg query`: every shipped question gets the answer a reader of the
sample articles expects, and bad input gets a message and exit code 2, never a traceback."""

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
from kg.query.terms import compact_iri

runner = CliRunner()

A000 = "id:article/000_46fc6e2055e20a53"
A001 = "id:article/001_c34ed854f745c209"
A002 = "id:article/002_ec8027eaf503b8ac"
A003 = "id:article/003_ec37e7ace81eb654"
A004 = "id:article/004_4c6c126155a967da"
SHIPPED = (
    "articles-for-event",
    "bases-by-country",
    "co-mentions",
    "disputed-figures",
    "events-with-person",
    "people-roles",
    "troop-levels",
    "who-met-whom",
)


@pytest.fixture(scope="module")
def graph(sample_build: Path) -> LoadedGraph:
    return load_store(sample_build)


def _plain(term: NamedNode | BlankNode | Literal | Triple | None) -> str:
    if term is None:
        return ""
    if isinstance(term, NamedNode):
        return compact_iri(term.value)
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


def pick(rows: list[dict[str, str]], *columns: str) -> set[tuple[str, ...]]:
    return {tuple(row[column] for column in columns) for row in rows}


def test_query_library_ships_the_questions_with_summaries():
    queries = shipped_queries()
    assert tuple(query.name for query in queries) == SHIPPED
    for query in queries:
        assert query.summary, f"{query.name}.rq needs a comment saying what it answers"
        assert "SELECT" in query.text
    assert dict(named_query("events-with-person").params).keys() == {"person"}
    assert dict(named_query("articles-for-event").params).keys() == {"event"}


@pytest.mark.parametrize("name", SHIPPED)
def test_query_every_shipped_query_answers_on_the_sample(graph, name):
    assert ask(graph, name), f"{name} found nothing in the sample build"


def test_query_troop_levels_each_figure_with_its_article(graph):
    rows = ask(graph, "troop-levels")
    figures = pick(rows, "country", "measure", "troops", "article")
    assert {
        ("Iraq", "kg:troopsBefore", "5200", A000),
        ("Iraq", "kg:troopsAfter", "3000", A000),
        ("Iraq", "kg:troopsBefore", "5200", A001),
        ("Iraq", "kg:troopsAfter", "3000", A001),
        ("Iraq", "kg:troopsBefore", "5200", A002),
        ("Iraq", "kg:troopsAfter", "3500", A002),
        ("Iraq", "kg:troopCount", "2500", A003),
        ("Iraq", "kg:troopCount", "3000", A003),
        ("Iraq", "kg:troopCount", "5000", A004),
        ("Syria", "kg:troopCount", "700", A003),
    } <= figures
    # Over time: each country's figures in date order, the dates as the articles give them.
    assert ("Iraq", "2020-11", "3500", A002) in pick(rows, "country", "date", "troops", "article")
    assert ("Iraq", "2020-06-12", "5000", A004) in pick(
        rows, "country", "date", "troops", "article"
    )
    order = [(row["country"], row["date"]) for row in rows]
    assert order == sorted(order)
    # Troops moved (2,200 withdrawn) are not a level.
    assert "2200" not in {row["troops"] for row in rows}


def test_query_disputed_figures_keep_every_source(graph):
    rows = ask(graph, "disputed-figures")
    figures = pick(rows, "place", "measure", "troops", "article")
    assert {
        ("Iraq", "kg:troopsAfter", "3000", A000),
        ("Iraq", "kg:troopsAfter", "3000", A001),
        ("Iraq", "kg:troopsAfter", "3500", A002),
        ("Iraq", "kg:troopCount", "2500", A003),
        ("Iraq", "kg:troopCount", "3000", A003),
    } <= figures
    # 3,000 and 3,500 are two accounts of one withdrawal.
    after = {row["event"] for row in rows if row["measure"] == "kg:troopsAfter"}
    assert len(after) == 1
    assert all(row["evidence"] for row in rows)
    # A figure nobody contradicts is no dispute.
    assert "700" not in {row["troops"] for row in rows}
    assert ("kg:troopsBefore", "5200") not in pick(rows, "measure", "troops")


@pytest.mark.parametrize("name", ["Donald Trump", "Trump"])
def test_query_events_with_person_by_name_or_alias(graph, name):
    rows = ask(graph, "events-with-person", person=name)
    assert {row["person"] for row in rows} == {name}
    assert {
        ("kg:Killing", A000),
        ("kg:Meeting", A000),
        ("kg:Withdrawal", A000),
        ("kg:Meeting", A002),
    } <= pick(rows, "type", "article")
    assert ("kg:agent", "kg:Killing") in pick(rows, "role", "type")


def test_query_param_is_bound_not_pasted(graph):
    hostile = 'Donald Trump" } UNION { ?who ?role ?person } #'
    assert ask(graph, "events-with-person", person=hostile) == []


def test_query_who_met_whom(graph):
    rows = ask(graph, "who-met-whom")
    assert {
        ("Donald Trump", "Mustafa al-Kadhimi", A000),
        ("Donald Trump", "Mustafa al-Kadhimi", A002),
    } <= pick(rows, "person", "metWith", "article")
    assert ("Donald Trump", "Mustafa al-Kadhimi", "2020-08") in pick(
        rows, "person", "metWith", "date"
    )


def test_query_bases_in_iraq_with_their_events(graph):
    rows = ask(graph, "bases-by-country")
    iraq = {row["base"] for row in rows if row["country"] == "Iraq"}
    assert {"Al Asad Airbase", "Camp Taji", "Victory Base Complex"} <= iraq
    assert {
        ("Al Asad Airbase", "kg:Attack", A001),
        ("Al Asad Airbase", "kg:Attack", A002),
        ("Al Asad Airbase", "kg:Withdrawal", A003),
        ("Camp Taji", "kg:Handover", A000),
        ("Victory Base Complex", "kg:Withdrawal", A003),
    } <= pick(rows, "base", "type", "article")


def test_query_people_roles_with_sources(graph):
    rows = pick(ask(graph, "people-roles"), "person", "title", "of", "article")
    assert {
        ("Donald Trump", "President", "United States", A000),
        ("Donald Trump", "President", "United States", A001),
        ("Donald Trump", "President", "United States", A002),
        ("Mustafa al-Kadhimi", "Prime Minister", "Iraq", A004),
        ("Kenneth McKenzie", "Commander", "United States Central Command", A002),
        ("Mike Pompeo", "Secretary of State", "United States", A002),
    } <= rows


def test_query_articles_for_event(graph):
    withdrawal = next(
        row["event"] for row in ask(graph, "disputed-figures") if row["troops"] == "3500"
    )
    rows = ask(graph, "articles-for-event", event=withdrawal)
    assert {row["event"] for row in rows} == {withdrawal}
    assert {A000, A001, A002} <= {row["article"] for row in rows}
    assert (A002, "US plans further troop reductions in Iraq by November") in pick(
        rows, "article", "headline"
    )
    full_iri = "<" + withdrawal.replace("id:", "https://w3id.org/newskg/id/", 1) + ">"
    assert ask(graph, "articles-for-event", event=full_iri) == rows


def test_query_co_mentions_most_shared_first(graph):
    rows = ask(graph, "co-mentions")
    assert len(rows) == 20
    counts = [int(row["articles"]) for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert ("Iraq", "United States", "5") in pick(rows, "entity", "other", "articles")


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


def test_query_cli_table(sample_build):
    result = kg("troop-levels", "--graph", str(sample_build))
    assert result.exit_code == 0, result.output
    header, rule, *rows, count = result.stdout.splitlines()
    assert header.split() == ["country", "date", "measure", "troops", "article"]
    assert set(rule) <= {"-", " "}
    assert count == f"{len(rows)} rows"
    assert any(row.split()[-2:] == ["3500", A002] for row in rows)


POMPEO = ("Mike Pompeo", "Secretary of State", "United States", A002)


def test_query_cli_csv_and_json_agree(sample_build):
    as_csv = kg("people-roles", "-g", str(sample_build), "--format", "csv")
    as_json = kg("people-roles", "-g", str(sample_build), "--format", "json")
    assert as_csv.exit_code == as_json.exit_code == 0, as_csv.output
    table = list(csv.reader(io.StringIO(as_csv.stdout)))
    document = json.loads(as_json.stdout)
    assert table[0] == document["head"]["vars"] == ["person", "title", "of", "article"]
    bindings = [
        [binding[name]["value"] for name in table[0]] for binding in document["results"]["bindings"]
    ]
    assert table[1:] == bindings
    full = [*POMPEO[:3], "https://w3id.org/newskg/id/article/002_ec8027eaf503b8ac"]
    assert full in bindings


def test_query_cli_tsv_writes_terms(sample_build):
    result = kg("people-roles", "-g", str(sample_build), "--format", "tsv")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "?person\t?title\t?of\t?article"
    row = '"Mike Pompeo"\t"Secretary of State"\t"United States"\t'
    assert f"{row}<https://w3id.org/newskg/id/article/002_ec8027eaf503b8ac>" in lines


def test_query_cli_param_file_and_inline(sample_build, tmp_path):
    query = tmp_path / "q.rq"
    query.write_text(named_query("events-with-person").text)
    by_file = kg("--file", str(query), "-g", str(sample_build), "-p", "person=Trump")
    by_name = kg("events-with-person", "-g", str(sample_build), "--param", "person=Trump")
    assert by_file.exit_code == by_name.exit_code == 0, by_file.output
    assert by_file.stdout == by_name.stdout
    assert "kg:Killing" in by_name.stdout
    inline = kg(
        "ASK { ?x a <https://w3id.org/newskg/ontology#MilitaryBase> }", "-g", str(sample_build)
    )
    assert (inline.exit_code, inline.stdout) == (0, "true\n")


def test_query_cli_construct_writes_turtle(sample_build):
    text = "CONSTRUCT WHERE { ?a a <https://w3id.org/newskg/ontology#Article> }"
    result = kg(text, "-g", str(sample_build))
    assert result.exit_code == 0, result.output
    assert len(Graph().parse(data=result.stdout, format="turtle")) == 5
    assert kg(text, "-g", str(sample_build), "-f", "csv").exit_code == 2


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
def test_query_cli_bad_input_exits_2(sample_build, args, message):
    result = kg(*args, "--graph", str(sample_build))
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_query_cli_missing_graph_exits_2(tmp_path):
    result = kg("troop-levels", "--graph", str(tmp_path))
    assert result.exit_code == 2
    assert "run `kg build` first" in result.stderr


def test_query_cli_warns_when_the_file_has_no_named_graphs(sample_build):
    result = kg("SELECT * { ?s ?p ?o } LIMIT 1", "-g", str(sample_build / "graph.ttl"))
    assert result.exit_code == 0
    assert "no named graphs" in result.stderr
