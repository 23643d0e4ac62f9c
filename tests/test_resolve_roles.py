"""Role mentions of several articles in, one role per position out."""

from __future__ import annotations

import pytest

from kg.resolve import resolve, resolve_roles


@pytest.fixture(scope="module")
def roles(extract, gazetteer):
    """Texts in, {person label: {(title, {held for})}} out."""

    def run(*texts: str) -> dict[str, set[tuple[str, frozenset[str], int]]]:
        extractions = [extract(text, f"a{n}.txt") for n, text in enumerate(texts)]
        resolution = resolve(extractions, gazetteer)
        labels = {e.key: e.label for e in resolution.entities}
        found: dict[str, set[tuple[str, frozenset[str], int]]] = {}
        for role in resolve_roles(extractions, resolution):
            held_for = frozenset(labels[k] for k in role.of)
            found.setdefault(labels[role.person], set()).add(
                (role.title.lower(), held_for, len(role.articles))
            )
        return found

    return run


@pytest.mark.parametrize(
    ("texts", "person", "expected"),
    [
        (
            (
                "Pentagon Press Secretary Alan Brooks spoke on Monday.",
                "Alan Brooks, the press secretary, said the troops would stay.",
            ),
            "Alan Brooks",
            {("press secretary", frozenset({"Pentagon"}), 2)},
        ),
        (
            (
                "Jane Roe, the commander of U.S. Central Command, visited Baghdad.",
                "The commander, Jane Roe, left on Friday.",
            ),
            "Jane Roe",
            {("commander", frozenset({"United States Central Command"}), 2)},
        ),
    ],
)
def test_resolve_roles_title_without_holder_joins_the_same_title_held_for_a_body(
    roles, texts, person, expected
):
    assert roles(*texts)[person] == expected


def test_resolve_roles_title_without_holder_falls_back_on_the_gazetteer(roles):
    found = roles("President Joe Biden spoke on Monday.")
    assert found["Joe Biden"] == {("president", frozenset({"United States"}), 1)}
