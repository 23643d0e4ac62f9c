"""Fixtures for the extraction tests: sentences through the real pipeline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from kg.nlp import article_doc
from kg.records import EventMention

PUBLISHED = date(2021, 5, 12)
Found = list[tuple[EventMention, dict[str, set[str]]]]


@pytest.fixture(scope="session")
def events_of(nlp, make_article) -> Callable[..., Found]:
    """Text in, (event mention, {role: names}) pairs out, dates read against `published`.

    The whole extraction runs, so capitals stand for their states as in a build.
    """

    def run(text: str, published: date | None = PUBLISHED) -> Found:
        article = replace(make_article(text), published=published)
        extraction = nlp(article_doc(nlp, article))._.newskg
        names = {m.start: m.name for m in extraction.mentions}
        found = []
        for event in extraction.events:
            roles: dict[str, set[str]] = {}
            for role, start in event.arguments:
                roles.setdefault(role, set()).add(names[start])
            found.append((event, roles))
        return found

    return run
