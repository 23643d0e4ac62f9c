"""spaCy's attribute ruler with its one-token patterns tested column by column.

An `AttributeRuler` (the English pipelines' tag map and morphology rules)
finds its patterns with a token `Matcher`, which tries every pattern at
every token: 179 patterns in `en_core_web_sm`, 5 ms an article, a tenth of
the whole parse. Nearly all of them are one token whose attributes must
equal a value or lie in a set (`{"TAG": "NNS", "LOWER": "data"}`). Those are
tested here as comparisons over the document's attribute columns
(`Doc.to_array`), all tokens at once; the others (several tokens, regular
expressions, operators) stay with a `Matcher`. The ruler gets the same
matches, so it sets the same annotations; it still lists and saves its
patterns as given.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

Match = tuple[int, int, int]  # (match_id, start, end), as `Matcher` returns them
# Token attributes a one-token pattern may test here: each `Doc.to_array` column holds the
# value as the Matcher compares it (a string's hash, or 0/1 for a flag).
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
        self._arrays: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    def add(self, key: str | int, patterns: list[list[dict[str, Any]]]) -> None:
        """Add `patterns` under `key` (a string or its hash), as `Matcher.add` does (no
        callback)."""
        key = self._key(key)
        self.added.setdefault(key, []).extend(patterns)
        others = []
        for pattern in patterns:
            tests = self._tests(pattern)
            if tests is None:
                others.append(pattern)
                continue
            self.equal.append({})
            for column, values, negated in tests:
                if len(values) == 1 and not negated and column not in self.equal[-1]:
                    self.equal[-1][column] = values[0]  # (TEXT and ORTH share a column)
                else:
                    self.sets.append((len(self.keys), column, np.array(values, np.uint64), negated))
            self.keys.append(key)
        if others:
            self.rest.add(key, others)
        self._arrays = None

    def __call__(self, doc: Doc, **options: Any) -> list[Match]:
        matches = dict.fromkeys(self.rest(doc, **options))
        if self.keys and len(doc):
            keys, equal, tests_equal = self._arrays or self._made_arrays()
            table = doc.to_array(self.attributes).reshape(len(doc), -1)
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

    def _tests(self, pattern: list[dict[str, Any]]) -> list[tuple[int, list[int], bool]] | None:
        """A one-token pattern's tests: column, values, whether they are forbidden (NOT_IN);
        None when the pattern is not one of those."""
        if len(pattern) != 1 or not pattern[0]:
            return None
        tests = []
        for attribute, wanted in pattern[0].items():
            values = _values(wanted)
            if attribute in FLAG_ATTRIBUTES and isinstance(wanted, bool):
                tests.append((self._column(attribute), [int(wanted)], False))
            elif attribute in STRING_ATTRIBUTES and values is not None:
                found = [self.vocab.strings.add(value) for value in values[0]]
                tests.append((self._column(attribute), found, values[1]))
            else:
                return None
        return tests

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
