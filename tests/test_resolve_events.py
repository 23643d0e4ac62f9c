"""Several articles in, one event node per real event out — with each article's own figures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from kg.defaults import DEFAULT_BASE_IRI
from kg.extract import extract_article
from kg.graph import build_dataset
from kg.ingest import load_article
from kg.namespaces import KG
from kg.rdflib_graphs import union_graph
from kg.records import Entity, Event, Role
from kg.resolve import resolve, resolve_events, resolve_roles

ARTICLES = Path(__file__).resolve().parent.parent / "articles"


@dataclass
class Corpus:
    events: tuple[Event, ...]
    roles: tuple[Role, ...]
    dataset: Dataset
    labels: dict[str, str]  # entity key → label

    def of_type(self, event_type: str) -> list[Event]:
        return [e for e in self.events if e.event_type == event_type]

    def names(self, event: Event, role: str) -> set[str]:
        return {self.labels[k] for r, k in event.arguments if r == role}


@pytest.fixture(scope="module")
def corpus(nlp, gazetteer, make_article) -> Callable[..., Corpus]:
    """Articles as (text, publication date) in, resolved events, roles and the dataset out."""

    def run(*articles: tuple[str, date | None]) -> Corpus:
        extractions = []
        for number, (text, published) in enumerate(articles):
            article = replace(make_article(text, f"a{number}.txt"), published=published)
            extractions.append(extract_article(article, nlp(article.body), gazetteer))
        resolution = resolve(extractions, gazetteer)
        events = resolve_events(extractions, resolution)
        roles = resolve_roles(extractions, resolution)
        dataset = build_dataset(extractions, resolution, events, roles)
        return Corpus(events, roles, dataset, {e.key: e.label for e in resolution.entities})

    return run


DRAWDOWN_A = (
    "The United States will reduce its troops in Iraq from 5,200 to 3,000 this month, "
    "a US general said.",
    date(2020, 9, 9),
)
DRAWDOWN_B = (
    "Washington is expected to cut the number of US troops in Iraq from 5,200 to about "
    "3,500 by November.",
    date(2020, 8, 29),
)


def test_one_drawdown_reported_twice_is_one_event_keeping_both_figures(corpus):
    found = corpus(DRAWDOWN_A, DRAWDOWN_B)
    withdrawals = found.of_type("Withdrawal")
    assert len(withdrawals) == 1
    event = withdrawals[0]
    assert {c.article for c in event.claims} == {"a0.txt", "a1.txt"}
    after = {c.article: c.troops_after for c in event.claims}
    assert after["a0.txt"].value == 3000
    assert (after["a1.txt"].value, after["a1.txt"].qualifier) == (3500, "about")
    assert "United States" in found.names(event, "agent")  # and Washington, for it
    assert found.names(event, "location") == {"Iraq"}


def test_named_graphs_say_which_article_gives_which_figure(corpus):
    dataset = corpus(DRAWDOWN_A, DRAWDOWN_B).dataset
    rows = dataset.query(
        """SELECT ?g WHERE { GRAPH ?g { ?e a kg:Withdrawal ; kg:troopsAfter ?n } }""",
        initNs={"kg": KG},
        initBindings={"n": Literal(3500)},
    )
    assert [str(row.g) for row in rows] == [f"{DEFAULT_BASE_IRI}article/a1"]


def test_event_claims_carry_evidence_and_sources_in_the_union(corpus):
    union = union_graph(corpus(DRAWDOWN_A, DRAWDOWN_B).dataset)
    (event,) = union.subjects(KG.troopsBefore, Literal(5200), unique=True)
    sources = set(union.objects(event, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")))
    assert {str(s).rsplit("/", 1)[1] for s in sources} == {"a0", "a1"}
    assert len(set(union.objects(event, KG.evidence))) == 2
    assert {str(d) for d in union.objects(event, KG.date)} == {"2020-09", "2020-11"}


def test_withdrawals_from_different_countries_stay_apart(corpus):
    found = corpus(
        (
            "Spain will withdraw its troops from Lebanon. Italy will withdraw its troops from "
            "Kosovo.",
            date(2021, 3, 1),
        ),
    )
    places = sorted(tuple(sorted(found.names(e, "location"))) for e in found.of_type("Withdrawal"))
    assert places == [("Kosovo",), ("Lebanon",)]


def test_a_plan_and_a_past_fact_in_one_article_stay_apart(corpus):
    found = corpus(
        (
            "Italy withdrew its troops from Iraq in 2006. Italy will withdraw its troops from Iraq "
            "again, the minister said.",
            date(2021, 3, 1),
        ),
    )
    assert len(found.of_type("Withdrawal")) == 2


def test_one_killing_reported_without_dates_is_one_event(corpus):
    found = corpus(
        ("A US drone strike killed Qassem Soleimani near Baghdad airport.", date(2020, 1, 3)),
        ("The killing of Qasem Soleimani by the US angered Iran.", None),
    )
    killings = found.of_type("Killing")
    assert len(killings) == 1
    assert found.names(killings[0], "target") == {"Qasem Soleimani"}


def test_undated_events_from_undated_articles_are_not_joined(corpus):
    found = corpus(
        ("Italy will withdraw its troops from Iraq, the minister said.", None),
        ("Italy will withdraw its troops from Iraq, officials said.", None),
    )
    assert len(found.of_type("Withdrawal")) == 2


def test_a_ministry_acts_for_its_state(corpus):
    found = corpus(("The Pentagon will withdraw 2,000 troops from Syria.", date(2019, 1, 3)))
    (event,) = found.of_type("Withdrawal")
    assert {"Pentagon", "United States"} <= found.names(event, "agent")


def test_event_labels_read_without_opening_the_node(corpus):
    (event,) = corpus(DRAWDOWN_A).of_type("Withdrawal")
    assert event.label == "Withdrawal by United States from Iraq (2020-09)"


def test_event_keys_are_stable_across_runs(corpus):
    first = [e.key for e in corpus(DRAWDOWN_A, DRAWDOWN_B).events]
    second = [e.key for e in corpus(DRAWDOWN_A, DRAWDOWN_B).events]
    assert first == second and all(k.startswith("event/") for k in first)


@pytest.mark.parametrize(
    ("text", "person", "title", "of"),
    [
        ("President Joe Biden spoke on Monday.", "Joe Biden", "President", {"United States"}),
        (
            "Iraqi Prime Minister Mohammed Shia al-Sudani visited Ankara.",
            "Mohammed al-Sudani",
            "Prime Minister",
            {"Iraq"},
        ),
        (
            "Lloyd Austin, the US defense secretary, arrived in Kabul.",
            "Lloyd Austin",
            "Defense Secretary",
            {"United States"},
        ),
        (
            "Secretary of State Antony Blinken flew to Doha.",
            "Antony Blinken",
            "Secretary of State",
            {"United States"},
        ),
        (
            "The former top general Mark Milley retired.",
            "Mark Milley",
            "General",
            {"United States"},
        ),
    ],
)
def test_roles_from_titles_and_appositions(corpus, text, person, title, of):
    found = corpus((text, date(2021, 5, 12)))
    roles = [r for r in found.roles if found.labels[r.person] == person]
    assert [(r.title.lower(), {found.labels[k] for k in r.of}) for r in roles] == [
        (title.lower(), of)
    ]


def test_one_role_stated_by_two_articles_is_one_node(corpus):
    found = corpus(
        ("President Joe Biden spoke on Monday.", date(2021, 5, 12)),
        ("Joe Biden, the US President, spoke again.", date(2021, 5, 13)),
    )
    roles = [r for r in found.roles if r.title == "President"]
    assert len(roles) == 1 and roles[0].articles == ("a0.txt", "a1.txt")


def test_two_sources_disagreeing_in_one_sentence_are_one_event(corpus):
    found = corpus(
        (
            "According to the Pentagon, there are about 900 US troops in Syria, while Syrian "
            "sources put the number at over 2,000.",
            date(2021, 5, 12),
        ),
    )
    (presence,) = found.of_type("TroopPresence")
    counts = sorted(c.troop_count.value for c in presence.claims)
    assert counts == [900, 2000]
    assert {"Pentagon", "Syria"} <= found.names(presence, "accordingTo")


def test_two_figures_for_two_forces_are_two_events(corpus):
    found = corpus(
        (
            "There are around 5,000 US troops in Iraq and around 2,500 additional coalition "
            "forces.",
            date(2021, 5, 12),
        ),
    )
    assert len(found.of_type("TroopPresence")) == 2


@pytest.mark.parametrize(
    ("text", "event_type", "agents"),
    [
        (
            "United States Central Command said in a statement that two drones were downed.",
            "Statement",
            {"United States Central Command", "United States"},
        ),
        (
            "The Israel Defense Forces withdrew from Gaza on Sunday.",
            "Withdrawal",
            {"Israel Defense Forces", "Israel"},
        ),
        ("Beijing sent two warships to Djibouti.", "Deployment", {"China"}),
        ("Moscow's forces withdrew from Kyiv in April.", "Withdrawal", {"Russia"}),
        (
            "Soldiers from United States Africa Command arrived in Niger.",
            "Deployment",
            {"United States Africa Command", "United States"},
        ),
    ],
)
def test_resolve_events_who_acts_for_a_state_brings_it_in(corpus, text, event_type, agents):
    found = corpus((text, date(2023, 11, 20)))
    (event,) = found.of_type(event_type)
    assert agents <= found.names(event, "agent")


def test_resolve_events_acting_for_is_transitive(nlp, gazetteer, make_article):
    """A unit that acts for a command that acts for a state brings in both."""
    article = replace(
        make_article("The Pentagon will withdraw 2,000 troops from Syria."),
        published=date(2019, 1, 3),
    )
    extraction = extract_article(article, nlp(article.body), gazetteer)
    resolution = resolve([extraction], gazetteer)
    chain = {
        "organization/pentagon": ("organization/united-states-central-command",),
        "organization/united-states-central-command": ("country/united-states",),
    }
    entities = tuple(replace(e, acts_for=chain.get(e.key, e.acts_for)) for e in resolution.entities)
    extra = Entity(
        key="organization/united-states-central-command",
        entity_class="Organization",
        label="United States Central Command",
        acts_for=("country/united-states",),
    )
    if all(e.key != extra.key for e in entities):
        entities += (extra,)
    (event,) = resolve_events([extraction], replace(resolution, entities=entities))
    agents = {key for role, key in event.arguments if role == "agent"}
    assert {
        "organization/pentagon",
        "organization/united-states-central-command",
        "country/united-states",
    } <= agents


# --- syndicated copies: one story under several file names ------------------------------

UNDATED_STORY = (
    "Italy will withdraw its troops from Iraq, the defence minister said. "
    "Militants attacked the base in Erbil, and Turkey sent troops to Syria."
)


@pytest.mark.parametrize(
    "copies",
    [
        (UNDATED_STORY, UNDATED_STORY, UNDATED_STORY),
        (UNDATED_STORY, UNDATED_STORY.replace(" ", "\n", 3), UNDATED_STORY.replace(". ", ".  ")),
    ],
)
def test_resolve_events_copies_of_one_undated_story_are_one_story(corpus, copies):
    one = corpus((UNDATED_STORY, None))
    found = corpus(*((text, None) for text in copies))
    assert one.events
    assert len(found.events) == len(one.events)
    for event in found.events:
        assert len({claim.article for claim in event.claims}) == len(copies)


@pytest.fixture(scope="module")
def sample_extractions(nlp, gazetteer):
    """The sample articles, each extracted once."""
    articles = [load_article(path) for path in sorted(ARTICLES.glob("*.txt"))]
    return [extract_article(article, nlp(article.body), gazetteer) for article in articles]


def test_resolve_events_thirty_copies_of_the_samples_give_the_samples_events(
    gazetteer, sample_extractions
):
    def events_of(copies: int) -> tuple[Event, ...]:
        extractions = [
            replace(
                e, article=replace(e.article, source_file=f"copy{n:02}/{e.article.source_file}")
            )
            for n in range(copies)
            for e in sample_extractions
        ]
        return resolve_events(extractions, resolve(extractions, gazetteer))

    once, thirty = events_of(1), events_of(30)
    assert len(thirty) == len(once)
    assert {e.label for e in thirty} == {e.label for e in once}


# --- across articles: joined whatever the precision of their dates, kept apart across years ---


def test_resolve_events_dates_of_different_precision_are_one_event(corpus):
    found = corpus(
        (
            "The United States withdrew 2,000 troops from Syria on September 9, 2020.",
            date(2020, 9, 10),
        ),
        (
            "The United States withdrew troops from Syria in September 2020, officials said.",
            date(2020, 10, 2),
        ),
    )
    (event,) = found.of_type("Withdrawal")
    assert sorted(c.date for c in event.claims) == ["2020-09", "2020-09-09"]


def test_resolve_events_withdrawals_years_apart_stay_apart(corpus):
    found = corpus(
        (
            "The United States withdrew its last troops from Iraq in December 2011.",
            date(2011, 12, 19),
        ),
        ("The United States withdrew troops from Iraq in September 2020.", date(2020, 9, 12)),
        ("The US withdrawal of troops from Iraq angered the militias.", date(2020, 9, 30)),
    )
    dates = {
        claim.article: sorted({c.date for c in event.claims if c.date})
        for event in found.of_type("Withdrawal")
        for claim in event.claims
    }
    assert dates == {"a0.txt": ["2011-12"], "a1.txt": ["2020-09"], "a2.txt": ["2020-09"]}


@pytest.mark.parametrize("undated_first", [False, True])
def test_resolve_events_an_undated_claim_joins_the_event_published_within_a_month(
    corpus, undated_first
):
    dated = ("Turkey sent 500 troops to Qatar on March 3, 2021.", date(2021, 3, 4))
    undated = (
        "Turkey's deployment of troops to Qatar drew criticism from its neighbours.",
        date(2021, 3, 25),
    )
    found = corpus(*((undated, dated) if undated_first else (dated, undated)))
    (event,) = found.of_type("Deployment")
    assert len(event.claims) == 2
