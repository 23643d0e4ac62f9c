"""Each merge rule's recorded reason: sentences in, the reason resolution recorded out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from kg.curation import Curation, Decision, curate
from kg.defaults import DEFAULT_BASE_IRI
from kg.gazetteer import Gazetteer
from kg.records import ArticleExtraction, ClaimTie, FormReason, HolderReason
from kg.resolve import resolve, resolve_events, resolve_roles

Extract = Callable[..., ArticleExtraction]

# Articles (file name → text), then one reason resolution must record of them.
FORM_REASONS = [
    (
        {"a.txt": "Troops left Victoria Base near Baghdad last week."},
        FormReason("base/victory-base-complex", "Victoria Base", "GazetteerAlias", ("a.txt",)),
    ),
    (
        {"a.txt": "Troops left Victoria Base near Baghdad last week."},
        FormReason("place/baghdad", "Baghdad", "GazetteerLabel", ("a.txt",)),
    ),
    (
        {"a.txt": "Iraqi soldiers attacked the convoy near Mosul."},
        FormReason("country/iraq", "Iraqi", "Demonym", ("a.txt",)),
    ),
    (
        {"a.txt": "The Syrian Democratic Force captured Raqqa."},
        FormReason(
            "organization/syrian-democratic-forces",
            "Syrian Democratic Force",
            "NumberVariant",
            ("a.txt",),
        ),
    ),
    (
        {
            "a.txt": "Peter Whittmore said the troops would leave Iraq.",
            "b.txt": "Peter Whitmore said the troops would stay in Iraq.",
            "c.txt": "Peter Whittmore spoke in Baghdad.",
        },
        FormReason("person/peter-whittmore", "Peter Whitmore", "SpellingVariant", ("b.txt",)),
    ),
    (
        {
            "a.txt": "Peter Whittmore said the troops would leave Iraq.",
            "c.txt": "Peter Whittmore spoke in Baghdad.",
        },
        FormReason("person/peter-whittmore", "Peter Whittmore", "SameName", ("a.txt", "c.txt")),
    ),
    (
        {"a.txt": "Defence analyst Maria Castellanos spoke on Monday. Castellanos said the "
         "troops would leave Iraq."},
        FormReason("person/maria-castellanos", "Castellanos", "SurnameInArticle", ("a.txt",)),
    ),
    (
        {
            "a.txt": "Defence analyst Maria Castellanos spoke in Baghdad on Monday.",
            "c.txt": "Speaking to reporters, Mrs Castellanos said the plan was sound.",
        },
        FormReason("person/maria-castellanos", "Castellanos", "SurnameInCorpus", ("c.txt",)),
    ),
    (
        {
            "a.txt": "Defence analyst Maria Castellanos spoke in Baghdad on Monday.",
            "c.txt": "Speaking to reporters, Mrs Castellanos said the plan was sound.",
        },
        FormReason("person/maria-castellanos", "Mrs Castellanos", "WrittenForm", ("c.txt",)),
    ),
]  # fmt: skip


@pytest.mark.parametrize(("articles", "reason"), FORM_REASONS, ids=lambda v: getattr(v, "rule", ""))
def test_resolve_records_the_rule_that_joined_each_form(
    extract: Extract, gazetteer: Gazetteer, articles: dict[str, str], reason: FormReason
):
    extractions = [extract(text, name) for name, text in articles.items()]
    assert reason in resolve(extractions, gazetteer).reasons


def test_resolve_records_a_form_the_recognizer_linked_by_its_sentence(
    extract: Extract, gazetteer: Gazetteer
):
    # A bare surname is none of the entry's names; the recognizer linked it from the text
    # around it, which names the man in full.
    text = "Austin Orders Marines to Norway\n\nThe Pentagon said Lloyd Austin ordered the move."
    reasons = resolve([extract(text, "a.txt")], gazetteer).reasons
    assert FormReason("person/lloyd-austin", "Austin", "RecognizedInContext", ("a.txt",)) in reasons


def test_resolve_reasons_are_one_per_entity_form_and_rule_with_articles_once(
    extract: Extract, gazetteer: Gazetteer
):
    texts = ["Iraq and Iraq again.", "Troops stayed in Iraq.", "Iraq said no."]
    extractions = [extract(text, f"{i}.txt") for i, text in enumerate(texts)]
    reasons = resolve(extractions, gazetteer).reasons
    iraq = [r for r in reasons if r.entity == "country/iraq"]
    assert iraq == [
        FormReason("country/iraq", "Iraq", "GazetteerLabel", ("0.txt", "1.txt", "2.txt"))
    ]


# Two articles (text, published); the second joins the first's event on this tie.
TIES = [
    (
        ("The United States withdrew 2,000 troops from Iraq in September 2020.", None),
        ("In September 2020 the United States pulled 2,000 soldiers out of Iraq.", None),
        ClaimTie("b.txt", "DatesAgree", "a.txt", ("country/iraq", "country/united-states")),
    ),
    (
        ("The United States will cut its troops in Iraq from 5,200 to 3,000.", date(2020, 9, 9)),
        ("Washington is reducing US forces in Iraq from 5,200 to 3,000.", date(2020, 9, 10)),
        ClaimTie("b.txt", "SameBaseline", "a.txt", ("country/iraq", "country/united-states")),
    ),
    (
        ("A US drone strike killed Qasem Soleimani in Baghdad.", date(2020, 1, 3)),
        ("Qasem Soleimani was killed by the United States.", date(2020, 6, 1)),
        ClaimTie(
            "b.txt",
            "SamePersonKilled",
            "a.txt",
            ("country/united-states", "person/qasem-soleimani"),
        ),
    ),
    (
        ("The United States withdrew troops from Iraq in March 2020.", date(2020, 4, 1)),
        ("The United States withdrew troops from Iraq.", date(2020, 5, 1)),
        ClaimTie("b.txt", "DateWithinReach", "a.txt", ("country/iraq", "country/united-states")),
    ),
    (
        ("Canada will deploy troops to Latvia.", date(2021, 3, 1)),
        ("Canada plans to deploy soldiers to Latvia.", date(2021, 3, 20)),
        ClaimTie("b.txt", "PublishedClose", "a.txt", ("country/canada",)),
    ),
    (
        ("Canada deployed troops to Latvia, officials said.", date(2021, 3, 1)),
        ("Canada deployed troops to Latvia, officials said.", date(2021, 9, 20)),
        ClaimTie("b.txt", "SyndicatedCopy", "a.txt"),
    ),
]


@pytest.mark.parametrize(("first", "second", "tie"), TIES, ids=lambda v: getattr(v, "rule", ""))
def test_resolve_events_records_the_tie_that_joined_each_article(
    extract: Extract,
    gazetteer: Gazetteer,
    first: tuple[str, date | None],
    second: tuple[str, date | None],
    tie: ClaimTie,
):
    extractions = []
    for name, (text, published) in zip(("a.txt", "b.txt"), (first, second), strict=True):
        extraction = extract(text, name)
        extractions.append(
            replace(extraction, article=replace(extraction.article, published=published))
        )
    events = resolve_events(extractions, resolve(extractions, gazetteer))
    joined = [e for e in events if len(e.claims) > 1]
    assert [e.joined for e in joined] == [(tie,)]


def test_resolve_events_records_no_tie_for_an_event_one_article_reports(
    extract: Extract, gazetteer: Gazetteer
):
    extractions = [extract("Canada deployed troops to Latvia in March 2021.", "a.txt")]
    (event,) = resolve_events(extractions, resolve(extractions, gazetteer))
    assert event.joined == ()


# Articles, then a role (person, what it is held for) and the reason one article's title got it.
HOLDERS = [
    (
        {
            "a.txt": "Pentagon press secretary John Kirby told reporters on Monday that troops "
            "would stay in Iraq.",
            "b.txt": "Press Secretary John Kirby said the troops would leave Iraq.",
        },
        ("person/john-kirby", ("organization/pentagon",)),
        HolderReason("HeldForElsewhere", ("b.txt",)),
    ),
    (
        {"a.txt": "President Donald Trump said the troops would leave Iraq."},
        ("person/donald-trump", ("country/united-states",)),
        HolderReason("HeldForActsFor", ("a.txt",)),
    ),
]


@pytest.mark.parametrize(
    ("articles", "role", "reason"), HOLDERS, ids=lambda v: getattr(v, "rule", "")
)
def test_resolve_roles_records_how_a_title_without_its_holder_got_one(
    extract: Extract,
    gazetteer: Gazetteer,
    articles: dict[str, str],
    role: tuple[str, tuple[str, ...]],
    reason: HolderReason,
):
    extractions = [extract(text, name) for name, text in articles.items()]
    roles = resolve_roles(extractions, resolve(extractions, gazetteer))
    (found,) = [r for r in roles if (r.person, r.of) == role]
    assert found.inferred == (reason,)


def test_curation_keeps_each_reason_on_the_node_its_mentions_went_to(
    extract: Extract, gazetteer: Gazetteer
):
    text = "Troops left Victoria Base near Baghdad last week. Camp Victory stayed open."
    split = Decision("split", "Victoria Base", "Victory Base Complex")
    _, resolution, _ = curate(
        [extract(text, "a.txt")], gazetteer, Curation((split,)), base_iri=DEFAULT_BASE_IRI
    )
    bases = [r for r in resolution.reasons if r.entity.startswith("base/")]
    assert bases == [
        FormReason("base/victoria-base", "Victoria Base", "Curated", ("a.txt",)),
        FormReason("base/victory-base-complex", "Camp Victory", "GazetteerAlias", ("a.txt",)),
    ]
