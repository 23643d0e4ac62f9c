"""`kg explain` and the resolution graph it reads: why a node is one node."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, SH
from typer.testing import CliRunner

from kg.cli import app
from kg.explain import merge_rules
from kg.graph import IriMinter, resolution_graph
from kg.namespaces import KG
from kg.records import ClaimTie, Event, FormReason, FormRule, RoleRule, TieRule
from kg.resources import ontology_dir

runner = CliRunner()
BASE = "https://w3id.org/newskg/id/"

# One story told by two outlets a week apart, both dating it: the second joins on the date.
STORIES = {
    "a.txt": "Canada sends troops to Latvia\n\nRIGA, March 3, 2021 — Canada deployed 450 "
    "troops to Latvia in March 2021, Canadian officials said.\n",
    "b.txt": "Canadian soldiers land in Latvia\n\nRIGA, March 10, 2021 — In March 2021 Canada "
    "sent 450 soldiers to Latvia, the ministry said.\n",
    "c.txt": "Two Bergs in Oslo\n\nOSLO, March 12, 2021 — Anna Berg met Tomas Berg in Oslo. "
    "Berg said the talks went well.\n",
    "d.txt": "Kirby on Iraq\n\nWASHINGTON, April 5, 2021 — Pentagon press secretary John Kirby "
    "told reporters on Monday that troops would stay in Iraq.\n",
    "e.txt": "Kirby again\n\nWASHINGTON, August 9, 2021 — Press Secretary John Kirby said the "
    "troops would leave Iraq.\n",
}


def _explain(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["explain", *args])
    return result.exit_code, result.stdout


def test_explain_says_which_rule_joined_victoria_base_and_from_which_article(sample_build: Path):
    code, out = _explain("Victoria Base", "-g", str(sample_build))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("Victory Base Complex  [MilitaryBase]  id:base/victory-base-complex")
    alias = next(i for i, line in enumerate(lines) if line.startswith("    gazetteer alias:"))
    assert '      "Victoria Base" in 003_ec37e7ace81eb654.txt' in lines[alias:]
    assert any(line.startswith("    written form:") for line in lines)


@pytest.fixture(scope="module")
def story_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    corpus = tmp_path_factory.mktemp("stories")
    for name, text in STORIES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    out = tmp_path_factory.mktemp("story-build")
    result = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--no-cache"])
    assert result.exit_code == 0, result.output
    return out


def _decided_by(build: Path, rule: str) -> str:
    """The one node of `build` that a decision of `rule` joined something into."""
    store = ox.Store()
    store.load(path=build / "graph.nq", format=ox.RdfFormat.N_QUADS)
    decisions = store.quads_for_pattern(
        None, ox.NamedNode(str(KG.mergeRule)), ox.NamedNode(KG[rule])
    )
    into = ox.NamedNode(str(KG.mergedInto))
    (node,) = {
        q.object.value for d in decisions for q in store.quads_for_pattern(d.subject, into, None)
    }
    return node


def test_explain_an_event_names_its_first_article_and_the_tie_of_the_next(story_build: Path):
    event = _decided_by(story_build, "DatesAgree")
    code, out = _explain(f"<{event}>", "-g", str(story_build))
    assert code == 0, out
    assert "  reported by 2 article(s); made from a.txt" in out
    assert "    b.txt: dates agree, tied to a.txt, both naming Canada" in out
    assert "    dates agree: Both claims give a date" in out


def test_explain_a_role_says_which_articles_did_not_name_its_holder(story_build: Path):
    role = _decided_by(story_build, "HeldForElsewhere")
    code, out = _explain(f"<{role}>", "-g", str(story_build))
    assert code == 0, out
    assert out.startswith("Press Secretary  [Role]")
    assert "  John Kirby, for Pentagon; stated in d.txt, e.txt" in out
    assert "    held for as stated elsewhere: The title is held for" in out
    assert out.rstrip().endswith("      e.txt")


def test_explain_a_name_no_node_bears_lists_the_nearest_and_why(story_build: Path):
    code, out = _explain("Canadian Forces Base Latvia", "-g", str(story_build))
    assert code == 2
    assert out.startswith('no node is named "Canadian Forces Base Latvia" in this graph.')
    assert "  Latvia id:country/latvia: shares a word with" in out


def test_explain_prints_article_text_and_names_as_text_only(story_build: Path):
    # A name with a terminal escape and SPARQL syntax is looked up as a term, never run.
    code, out = _explain('Latvia" } DROP ALL ; \x1b[2J', "-g", str(story_build))
    assert code == 2
    assert "\x1b" not in out and "\\u001B" in out


def test_explain_an_iri_that_is_no_iri_denotes_nothing(story_build: Path):
    code, out = _explain("<not an iri>", "-g", str(story_build))
    assert code == 2
    assert out.startswith('no node is named "<not an iri>"')


def test_explain_refuses_a_missing_build(tmp_path: Path):
    result = runner.invoke(app, ["explain", "Latvia", "-g", str(tmp_path)])  # no graph file
    assert result.exit_code == 2
    assert "run `kg build` first" in result.stderr


def test_resolution_graph_states_each_decision_once_under_a_stable_name():
    reasons = [FormReason("base/b", "Camp B", "GazetteerAlias", ("x/1.txt", "2.txt"))]
    tie = ClaimTie("2.txt", "SameBaseline", "x/1.txt", ("country/c",))
    events = [Event("event/e", "Withdrawal", "Withdrawal", claims=(), joined=(tie,))]
    graph = resolution_graph(reasons, events, (), IriMinter(BASE))
    quads = graph.quads()
    again = resolution_graph(reasons, events, (), IriMinter(BASE)).quads()
    assert graph.name.value == f"{BASE}graph/resolution" and quads == again
    triples = {(q.subject.value, q.predicate.value, q.object.value) for q in quads}
    form, joined = sorted({s for s, _, _ in triples})
    kg = str(KG)
    assert {(p, o) for s, p, o in triples if s == form} == {
        (kg + "mergedInto", f"{BASE}base/b"),
        (kg + "mergeRule", kg + "GazetteerAlias"),
        (kg + "surfaceForm", "Camp B"),
        (kg + "mergedFrom", f"{BASE}article/x/1"),
        (kg + "mergedFrom", f"{BASE}article/2"),
    }
    assert {(p, o) for s, p, o in triples if s == joined} == {
        (kg + "mergedInto", f"{BASE}event/e"),
        (kg + "mergeRule", kg + "SameBaseline"),
        (kg + "mergedFrom", f"{BASE}article/2"),
        (kg + "tiedTo", f"{BASE}article/x/1"),
        (kg + "sharedArgument", f"{BASE}country/c"),
    }


def test_ontology_merge_rules_are_the_rules_resolution_records_and_the_shapes_allow():
    rules = {*get_args(FormRule), *get_args(TieRule), *get_args(RoleRule)}
    assert set(merge_rules()) == rules
    ontology = Graph().parse(ontology_dir() / "newskg.ttl")
    typed = {str(s).removeprefix(str(KG)) for s in ontology.subjects(RDF.type, KG.MergeRule)}
    assert typed == rules
    assert all((KG[name], RDF.type, OWL.NamedIndividual) in ontology for name in rules)
    shapes = Graph().parse(ontology_dir() / "shapes.ttl")
    shape = next(shapes.subjects(SH.path, KG.mergeRule))
    allowed = Collection(shapes, next(shapes.objects(shape, SH["in"])))
    assert {str(t).removeprefix(str(KG)) for t in allowed} == rules


def test_explain_a_lone_surname_two_persons_carry_names_both_and_why(story_build: Path):
    code, out = _explain("Berg", "-g", str(story_build))
    assert code == 2
    lines = out.splitlines()
    assert lines[2].startswith(
        "  Anna Berg id:person/anna-berg: one of 2 persons with this surname"
    )
    assert lines[3].startswith("  Tomas Berg id:person/tomas-berg: one of 2 persons")


# Two nodes one name denotes, and what resolution recorded of each.
NAMESAKES = """
@prefix kg: <https://w3id.org/newskg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix id: <https://w3id.org/newskg/id/> .
id:graph\\/entities {
    id:country\\/jordan a kg:Country ; rdfs:label "Jordan" .
    id:person\\/jordan-peel a kg:Person ; rdfs:label "Jordan Peel" ; skos:altLabel "Jordan" .
}
id:graph\\/resolution {
    id:merge\\/1 kg:mergedInto id:person\\/jordan-peel ; kg:mergeRule kg:SurnameInArticle ;
        kg:surfaceForm "Jordan" ; kg:mergedFrom id:article\\/a .
}
id:article\\/a { id:article\\/a a kg:Article ; kg:sourceFile "a.txt" . }
"""


def test_explain_nodes_one_name_denotes_say_why_they_stayed_apart(tmp_path: Path):
    graph = tmp_path / "namesakes.trig"
    graph.write_text(NAMESAKES, encoding="utf-8")
    code, out = _explain("Jordan", "-g", str(graph))
    assert code == 0, out
    assert out.splitlines()[0] == "Jordan  [Country]  id:country/jordan"
    assert "  no surface form recorded" in out
    assert '      "Jordan" in a.txt' in out
    assert "  id:country/jordan and id:person/jordan-peel: different classes" in out
