"""Role mentions → roles: one node per (person, title, held for), with every source.

A title given without its holder ('Kirby, the press secretary') is held for the
body the same person holds that title for elsewhere in the corpus ('Pentagon
Press Secretary John Kirby'); failing that, for the state the gazetteer says
the person acts for ('President Trump'). Which of the two gave a role its
holder is recorded on the role (`Role.inferred`), for `kg explain`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from kg.records import ArticleExtraction, HolderReason, Role, RoleRule
from kg.resolve.entities import Resolution

Identity = tuple[str, str, tuple[str, ...]]  # person, title in lower case, held for


def resolve_roles(
    extractions: Sequence[ArticleExtraction], resolution: Resolution
) -> tuple[Role, ...]:
    """Every position a person is said to hold, joined across articles."""
    entities = {e.key: e for e in resolution.entities}
    stated: list[tuple[Identity, str, str]] = []  # identity as written, title, source
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
            identity = (person, mention.title.lower(), tuple(sorted(held_for)))
            stated.append((identity, mention.title, source))
    known: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for (person, title, of), _, _ in stated:
        if of:
            known.setdefault((person, title), set()).add(of)
    sources: dict[Identity, set[str]] = {}
    titles: dict[Identity, str] = {}
    inferred: dict[Identity, dict[RoleRule, set[str]]] = {}
    for (person, title, of), written, source in stated:
        rule: RoleRule | None = None
        if not of:
            elsewhere = known.get((person, title), set())
            if len(elsewhere) == 1:
                of, rule = next(iter(elsewhere)), "HeldForElsewhere"
            elif entities[person].acts_for:
                of, rule = entities[person].acts_for, "HeldForActsFor"
        sources.setdefault((person, title, of), set()).add(source)
        titles.setdefault((person, title, of), written)
        if rule is not None:
            inferred.setdefault((person, title, of), {}).setdefault(rule, set()).add(source)
    roles = [
        Role(
            key="role/" + hashlib.sha1("|".join([person, title, *of]).encode()).hexdigest()[:16],
            person=person,
            title=titles[(person, title, of)],
            of=of,
            articles=tuple(sorted(found)),
            inferred=tuple(
                HolderReason(rule, tuple(sorted(articles)))
                for rule, articles in sorted(inferred.get((person, title, of), {}).items())
            ),
        )
        for (person, title, of), found in sources.items()
    ]
    return tuple(sorted(roles, key=lambda r: r.key))
