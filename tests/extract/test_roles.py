"""Sentence in, the roles people are given out — on the real pipeline."""

from __future__ import annotations

import pytest

Role = tuple[str, frozenset[str]]  # title, names of whom it is held for


@pytest.fixture(scope="module")
def roles_of(extract):
    """Text in, {person name: {(title, held for)}} out."""

    def run(text: str) -> dict[str, set[Role]]:
        extraction = extract(text)
        names = {m.start: m.name for m in extraction.mentions}
        found: dict[str, set[Role]] = {}
        for role in extraction.roles:
            held_for = frozenset(names[start] for start in role.of)
            found.setdefault(names[role.person], set()).add((role.title, held_for))
        return found

    return run


def _assert_roles(roles_of, text: str, person: str, expected: list[tuple[str, set[str]]]) -> None:
    found = roles_of(text).get(person, set())
    for title, held_for in expected:
        assert (title, frozenset(held_for)) in found, found


CENTCOM = "United States Central Command"
AFRICOM = "United States Africa Command"
EUCOM = "United States European Command"
SOCOM = "United States Special Operations Command"
STATE = "United States Department of State"
CIA = "Central Intelligence Agency"


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        (
            "Army Maj. Gen. Laura Finch told reporters the convoy had arrived.",
            "Laura Finch",
            [("Major General", set())],
        ),
        (
            "Air Force Lt. Col. Omar Haddad flew the last sortie over the gulf.",
            "Omar Haddad",
            [("Lieutenant Colonel", set())],
        ),
        (
            "Navy Vice Adm. Carl Benson inspected the fleet on Tuesday.",
            "Carl Benson",
            [("Vice Admiral", set())],
        ),
        (
            "The medal went to Sgt. 1st Class Maria Diaz on Friday.",
            "Maria Diaz",
            [("Sergeant First Class", set())],
        ),
        ("Staff Sgt. Ann Clark returned home on Monday.", "Ann Clark", [("Staff Sergeant", set())]),
        ("Marine Cpl. Dan Reyes was wounded in the attack.", "Dan Reyes", [("Corporal", set())]),
        (
            "Chief Petty Officer Lena Ortiz led the boarding team.",
            "Lena Ortiz",
            [("Chief Petty Officer", set())],
        ),
        (
            "The convoy was led by Lt. Gen. Erik Sand, who commands the corps.",
            "Erik Sand",
            [("Lieutenant General", set())],
        ),
        # the service, when it is a mention, is whom the rank is held in
        (
            "U.S. Army Gen. Mark Dunn said the brigade was ready.",
            "Mark Dunn",
            [("General", {"United States Army"})],
        ),
        (
            "Paul Hicks, 61, a retired Army colonel, criticised the plan.",
            "Paul Hicks",
            [("Colonel", set())],
        ),
    ],
)
def test_roles_ranks_in_abbreviated_and_full_forms(roles_of, text, person, expected):
    _assert_roles(roles_of, text, person, expected)


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        (
            "Jane Roe, the commander of U.S. Central Command, said the strikes would continue.",
            "Jane Roe",
            [("Commander", {CENTCOM})],
        ),
        (
            "Maria Lopez, a spokeswoman for the State Department, declined to comment.",
            "Maria Lopez",
            [("Spokeswoman", {STATE})],
        ),
        (
            "Lt. Col. Sam Peters, deputy director for regional operations, said the flights "
            "continued.",
            "Sam Peters",
            [("Deputy Director for regional operations", set()), ("Lieutenant Colonel", set())],
        ),
        (
            "U.S. Ambassador to Chile John Doe met the president.",
            "John Doe",
            [("Ambassador to Chile", {"United States", "Chile"})],
        ),
        (
            "John Doe, the U.S. ambassador to Chile, met the minister.",
            "John Doe",
            [("Ambassador to Chile", {"United States", "Chile"})],
        ),
        (
            "Kenya's ambassador to the United Nations, Martin Kimani, addressed the council.",
            "Martin Kimani",
            [("Ambassador to the United Nations", {"Kenya", "United Nations"})],
        ),
        (
            "Britain's Chief of the Defence Staff Adm. Tony Radakin spoke in London.",
            "Tony Radakin",
            [("Chief of the Defence Staff", {"United Kingdom"}), ("Admiral", set())],
        ),
        # coordinated titles give one role each
        (
            "Gen. Alan Brooks, commander of U.S. Africa Command and head of U.S. Special "
            "Operations Command, spoke to lawmakers.",
            "Alan Brooks",
            [("Commander", {AFRICOM}), ("Head", {SOCOM}), ("General", set())],
        ),
        (
            "Sam Peters, the commanding general of U.S. Africa Command and commander of NATO "
            "forces in Poland, spoke to reporters.",
            "Sam Peters",
            [("Commanding General", {AFRICOM}), ("Commander of NATO forces in Poland", {"NATO"})],
        ),
    ],
)
def test_roles_title_with_of_for_to(roles_of, text, person, expected):
    _assert_roles(roles_of, text, person, expected)


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        (
            "Pentagon Press Secretary Alan Brooks said the troops would stay.",
            "Alan Brooks",
            [("Press Secretary", {"Pentagon"})],
        ),
        (
            "State Department spokesperson Ned Price said talks would resume.",
            "Ned Price",
            [("Spokesperson", {STATE})],
        ),
        ("CIA Director Jane Roe testified on Tuesday.", "Jane Roe", [("Director", {CIA})]),
        (
            "The meeting was chaired by NATO Secretary General Jens Stoltenberg.",
            "Jens Stoltenberg",
            [("Secretary General", {"NATO"})],
        ),
        (
            "Russian Foreign Minister Sergei Lavrov met his counterpart in Moscow.",
            "Sergey Lavrov",
            [("Foreign Minister", {"Russia"})],
        ),
        # the title, a comma, then rank and name
        (
            "U.S. European Command Commander, Gen. Tod Walters, visited Poland.",
            "Tod Walters",
            [("Commander", {EUCOM}), ("General", set())],
        ),
    ],
)
def test_roles_body_before_title_and_name(roles_of, text, person, expected):
    _assert_roles(roles_of, text, person, expected)


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        (
            "The commander of U.S. Africa Command, Army Gen. Paul Hicks, said troops would move.",
            "Paul Hicks",
            [("Commander", {AFRICOM}), ("General", set())],
        ),
        (
            "The director of the CIA, Alan Brooks, testified on Tuesday.",
            "Alan Brooks",
            [("Director", {CIA})],
        ),
        (
            "The Pentagon's top spokesman, Alan Brooks, said the troops would stay.",
            "Alan Brooks",
            [("Spokesman", {"Pentagon"})],
        ),
        (
            "Gen. Tod Walters, head of U.S. European Command, told lawmakers the forces were "
            "ready.",
            "Tod Walters",
            [("Head", {EUCOM}), ("General", set())],
        ),
        (
            "Tom Baker, a former chief of staff to the president, wrote the memo.",
            "Tom Baker",
            [("Chief of staff to the president", set())],
        ),
        (
            "Jane Roe, President Trump's envoy, arrived on Sunday.",
            "Jane Roe",
            [("Envoy", set())],
        ),
        (
            "The president and his chief of staff, Tom Baker, met the delegation.",
            "Tom Baker",
            [("Chief of staff", set())],
        ),
        (
            "Omar Aziz, a senior counter-terrorism official, said the cell was dismantled.",
            "Omar Aziz",
            [("Counter-terrorism Official", set())],
        ),
        (
            "Jane Roe, an official with the State Department, said the visas were issued.",
            "Jane Roe",
            [("Official", {STATE})],
        ),
        # where the title is held is no holder of it
        (
            "Maj. Gen. Jane Roe, the top U.S. commander in Iraq, said the drawdown would go on.",
            "Jane Roe",
            [("Commander in Iraq", {"United States"}), ("Major General", set())],
        ),
    ],
)
def test_roles_title_phrase_in_apposition(roles_of, text, person, expected):
    _assert_roles(roles_of, text, person, expected)


@pytest.mark.parametrize(
    ("text", "person", "titles"),
    [
        # another person's title is not hers
        ("Jane Roe, President Trump's envoy, arrived on Sunday.", "Jane Roe", {"Envoy"}),
        ("Jane Roe, a member of the team, said the plan would work.", "Jane Roe", set()),
        # a date before a title does not modify it
        ("On Sunday President Trump said the troops would stay.", "Trump", {"President"}),
        # a preposition before a rank is not a title word
        ("Troops under Gen. Jane Roe crossed the river.", "Jane Roe", {"General"}),
        # the owner named before a title is no part of it
        (
            "Jane Roe, the company's chief executive, said profits rose.",
            "Jane Roe",
            {"Chief Executive"},
        ),
        # a comma after a title phrase does not make the next name its holder's
        ("After meeting the prime minister, Jane Roe said the talks went well.", "Jane Roe", set()),
        # a title ending the sentence before is not the next name's
        ("Officials praised the general. Jane Roe said the troops would stay.", "Jane Roe", set()),
        # a service is neither name nor title
        ("Marine Gen. Kenneth Doyle visited the base.", "Kenneth Doyle", {"General"}),
    ],
)
def test_roles_only_the_titles_written(roles_of, text, person, titles):
    assert {title for title, _ in roles_of(text).get(person, set())} == titles
