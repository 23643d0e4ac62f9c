"""spaCy's attribute ruler with its patterns tested column by column.

An `AttributeRuler` (the English pipelines' tag map and morphology rules)
finds its patterns with a token `Matcher`, which tries every pattern at
every token: 179 patterns in `en_core_web_sm`, 5 ms an article, a tenth of
the whole parse. Nearly all of them are one token whose attributes must
equal a value or lie in a set (`{"TAG": "NNS", "LOWER": "data"}`). Those are
tested here as comparisons over the document's attribute columns
(`Doc.to_array`), all tokens at once. The rest are a few tokens in a row,
some words tested by a regular expression ("gon na", "y' all"): each token
of those is tested over the columns too, and a row holds where every token
holds at its place. Patterns with operators ("OP") or other tests stay
with a `Matcher`. The ruler gets the same matches, so it sets the same
annotations; it still lists and saves its patterns as given.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

Match = tuple[int, int, int]  # (match_id, start, end), as `Matcher` returns them
# A token's test: the column, the values it allows (or forbids, True) or the expression a
# value's string must contain.
Test = tuple[int, list[int], bool] | tuple[int, re.Pattern[str]]
# Strings whose expression tests are remembered, at most (per matcher).
MAX_SEARCHED = 1 << 16
# Token attributes a pattern may test here: each `Doc.to_array` column holds the value as
# the Matcher compares it (a string's hash, or 0/1 for a flag).
STRING_ATTRIBUTES = ("ORTH", "TEXT", "LOWER", "NORM", "TAG", "LEMMA", "DEP")
FLAG_ATTRIBUTES = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_TITLE", "IS_UPPER")
_COLUMN = {"TEXT": "ORTH"}  # a pattern's TEXT is the token's ORTH


class ColumnMatcher:
    """What `AttributeRuler.match` calls as its Matcher: the one-token patterns tested by
    column, the rest by a `Matcher`; `get` gives each key's patterns as added.

    A tested pattern is a column of `held` (tokens × patterns): each value it
    must equal is compared for all tokens and patterns at once; its few set
    tests (IN, NOT_IN) one by one.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.added: dict[int, list[list[dict[str, Any]]]] = {}  # by the key's hash
        self.rest = Matcher(vocab)
        self.attributes: list[int | str] = []
        self.keys: list[int] = []  # per tested pattern: its key's hash
        self.equal: list[dict[int, int]] = []  # per tested pattern: column → value
        self.sets: list[tuple[int, int, np.ndarray, bool]] = []  # pattern, column, values, NOT_IN
        self.rows: list[tuple[int, list[list[Test]]]] = []  # several tokens: key, each's tests
        self.searched: dict[tuple[str, int], bool] = {}  # (expression, string's hash): found
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def add(self, key: str | int, patterns: list[list[dict[str, Any]]]) -> None:
        """Add `patterns` under `key` (a string or its hash), as `Matcher.add` does (no
        callback)."""
        key = self._key(key)
        self.added.setdefault(key, []).extend(patterns)
        others = []
        for pattern in patterns:
            steps = [self._tests(token) for token in pattern]
            if not pattern or any(tests is None for tests in steps):
                others.append(pattern)
            elif len(steps) == 1 and all(len(test) == 3 for test in steps[0] or ()):
                self._add_token(key, steps[0] or [])  # (no step is None here)
            else:
                self.rows.append((key, [tests or [] for tests in steps]))
        if others:
            self.rest.add(key, others)
        self._arrays = None

    def _add_token(self, key: int, tests: list[Test]) -> None:
        """A one-token pattern: a column of the table `__call__` tests all at once."""
        self.equal.append({})
        for column, values, negated in tests:  # type: ignore[misc]  # no expression here
            if len(values) == 1 and not negated and column not in self.equal[-1]:
                self.equal[-1][column] = values[0]  # (TEXT and ORTH share a column)
            else:
                self.sets.append((len(self.keys), column, np.array(values, np.uint64), negated))
        self.keys.append(key)

    def __call__(self, doc: Doc, **options: Any) -> list[Match]:
        matches = dict.fromkeys(self.rest(doc, **options)) if len(self.rest) else {}
        if not len(doc) or not (self.keys or self.rows):
            return list(matches)
        table = doc.to_array(self.attributes).reshape(len(doc), -1)
        for key, steps in self.rows:
            starts = self._row_starts(table, steps).tolist()
            matches.update(dict.fromkeys((key, start, start + len(steps)) for start in starts))
        if self.keys:
            keys, equal, tests_equal = self._arrays or self._made_arrays()
            held = np.ones((len(doc), len(keys)), dtype=bool)
            for column, found in enumerate(table.T):
                held &= (found[:, None] == equal[column]) | ~tests_equal[column]
            for pattern, column, values, negated in self.sets:
                found = (table[:, column, None] == values).any(axis=1)  # np.isin: 10x slower here
                held[:, pattern] &= ~found if negated else found
            tokens, patterns = np.nonzero(held)
            starts, ends = tokens.tolist(), (tokens + 1).tolist()
            matches.update(dict.fromkeys(zip(keys[patterns].tolist(), starts, ends, strict=True)))
        return list(matches)  # each match once, as the Matcher gives it

    def _row_starts(self, table: np.ndarray, steps: list[list[Test]]) -> np.ndarray:
        """Where a row of tokens starts: each token's tests hold, each at its place. The
        expressions are tried last, only where every other test holds."""
        count = len(table) - len(steps) + 1
        held = np.ones(max(count, 0), dtype=bool)
        for place, tests in enumerate(steps):
            for test in tests:
                if len(test) == 3:
                    found = table[place : place + count, test[0]]
                    inside = (found[:, None] == np.array(test[1], np.uint64)).any(axis=1)
                    held &= ~inside if test[2] else inside
        for place, tests in enumerate(steps):
            for test in tests:
                if len(test) == 2:
                    starts = np.nonzero(held)[0]
                    values = table[starts + place, test[0]].tolist()
                    held[starts] = [self._searched(test[1], value) for value in values]
        return np.nonzero(held)[0]

    def _searched(self, expression: re.Pattern[str], value: int) -> bool:
        """Whether the string of hash `value` contains `expression`, as the Matcher tests it
        (remembered: a word recurs; past `MAX_SEARCHED` the memory starts again)."""
        found = self.searched.get((expression.pattern, value))
        if found is None:
            if len(self.searched) >= MAX_SEARCHED:
                self.searched.clear()
            text = self.vocab.strings[value] if value else ""
            found = self.searched[expression.pattern, value] = bool(expression.search(text))
        return found

    def _made_arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The tested patterns' keys; per column and pattern, the value it must equal and
        whether it tests that column so."""
        shape = (len(self.attributes), len(self.keys))
        equal, tests_equal = np.zeros(shape, np.uint64), np.zeros(shape, bool)
        for pattern, tests in enumerate(self.equal):
            for column, value in tests.items():
                equal[column, pattern], tests_equal[column, pattern] = value, True
        self._arrays = (np.array(self.keys, dtype=np.uint64), equal, tests_equal)
        return self._arrays

    def get(self, key: str | int, default: Any = None) -> tuple[None, list[list[dict[str, Any]]]]:
        patterns = self.added.get(self._key(key))
        return default if patterns is None else (None, patterns)

    def __len__(self) -> int:
        return len(self.added)

    def __contains__(self, key: str | int) -> bool:
        return self._key(key) in self.added

    def _key(self, key: str | int) -> int:
        return key if isinstance(key, int) else self.vocab.strings.add(key)

    def _tests(self, token: dict[str, Any]) -> list[Test] | None:
        """One token's tests: column and the values it allows or forbids (NOT_IN), or the
        expression its string must contain; None when it tests anything else."""
        tests: list[Test] = []
        for attribute, wanted in token.items():
            values = _values(wanted)
            if attribute in FLAG_ATTRIBUTES and isinstance(wanted, bool):
                tests.append((self._column(attribute), [int(wanted)], False))
            elif attribute in STRING_ATTRIBUTES and values is not None:
                found = [self.vocab.strings.add(value) for value in values[0]]
                tests.append((self._column(attribute), found, values[1]))
            elif attribute in STRING_ATTRIBUTES and _expression(wanted) is not None:
                tests.append((self._column(attribute), re.compile(_expression(wanted) or "")))
            else:
                return None
        return tests if tests else None

    def _column(self, attribute: str) -> int:
        name = _COLUMN.get(attribute, attribute)
        if name not in self.attributes:
            self.attributes.append(name)
        return self.attributes.index(name)


def _values(wanted: Any) -> tuple[list[str], bool] | None:
    """The strings a pattern's value allows (or, True, forbids: NOT_IN); None when it is
    anything else (a regular expression, a comparison, a flag)."""
    if isinstance(wanted, str):
        return [wanted], False
    if isinstance(wanted, dict) and len(wanted) == 1:
        ((operator, values),) = wanted.items()
        strings = isinstance(values, list) and all(isinstance(v, str) for v in values)
        if operator in ("IN", "NOT_IN") and strings and values:
            return values, operator == "NOT_IN"
    return None


def _expression(wanted: Any) -> str | None:
    """The regular expression of a `{"REGEX": …}` test, else None."""
    if isinstance(wanted, dict) and len(wanted) == 1 and isinstance(wanted.get("REGEX"), str):
        return str(wanted["REGEX"])
    return None


def index_attribute_rulers(nlp: Language) -> None:
    """Give each attribute ruler of `nlp` a `ColumnMatcher` holding its patterns."""
    for _, component in nlp.pipeline:
        if isinstance(component, AttributeRuler) and not isinstance(
            component.matcher, ColumnMatcher
        ):
            matcher = ColumnMatcher(nlp.vocab)
            for i in range(len(component.attrs)):  # the ruler keys rule i by str(i)
                matcher.add(str(i), list(component.matcher.get(str(i))[1]))
            component.matcher = matcher  # type: ignore[assignment]  # what match() calls
