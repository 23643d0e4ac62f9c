"""Role mentions → roles: one node per (person, title, held for), with every source.

A title given without its state ('President Trump') is held for the state
the gazetteer says the person acts for.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from kg.records import ArticleExtraction, Role
from kg.resolve.entities import Resolution


def resolve_roles(
    extractions: Sequence[ArticleExtraction], resolution: Resolution
) -> tuple[Role, ...]:
    """Every position a person is said to hold, joined across articles."""
    entities = {e.key: e for e in resolution.entities}
    sources: dict[tuple[str, str, tuple[str, ...]], set[str]] = {}
    titles: dict[tuple[str, str, tuple[str, ...]], str] = {}
    for extraction in extractions:
        source = extraction.article.source_file
        for mention in extraction.roles:
            person = resolution.mention_entity.get((source, mention.person))
            if person is None or entities[person].entity_class != "Person":
                continue
            held_for = {
                resolution.mention_entity[(source, start)]
                for start in mention.of
                if (source, start) in resolution.mention_entity
            }
            of = tuple(sorted(held_for)) or entities[person].acts_for
            identity = (person, mention.title.lower(), of)
            sources.setdefault(identity, set()).add(source)
            titles.setdefault(identity, mention.title)
    roles = [
        Role(
            key="role/" + hashlib.sha1("|".join([person, title, *of]).encode()).hexdigest()[:16],
            person=person,
            title=titles[(person, title, of)],
            of=of,
            articles=tuple(sorted(found)),
        )
        for (person, title, of), found in sources.items()
    ]
    return tuple(sorted(roles, key=lambda r: r.key))
