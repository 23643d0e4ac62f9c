"""Troop numbers stated in a sentence: before and after a change, or a count."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.records import Figure

QUALIFIERS = (
    "approximately|about|around|roughly|nearly|almost|close to|more than|over|fewer than|"
    "less than|under|up to|some|at least|at most|just under|just over|an estimated|as many as"
)
_NUMBER = r"\d{1,3}(?:,\d{3})+|\d+"


def _figure_pattern(qualifier: str, number: str) -> str:
    """A number with an optional hedge before it, in named groups."""
    return rf"(?:(?P<{qualifier}>(?i:{QUALIFIERS}))\s+)?(?P<{number}>{_NUMBER})"


TROOP_WORDS = (
    r"(?i:troops|soldiers|personnel|forces|force|service ?members|servicemen|marines|boots|"
    r"military personnel|trainers|advisers|advisors|commandos|paratroopers|peacekeepers|"
    r"sailors|airmen|guardsmen|reservists|augmentees)"
)
_FROM_TO = re.compile(
    r"\bfrom\s+(?:the\s+(?:current|present|existing)\s+|a\s+peak\s+of\s+)?"
    + _figure_pattern("q1", "n1")
    + rf"(?:\s+(?:{TROOP_WORDS}))?\s+(?:down\s+)?to\s+"
    + _figure_pattern("q2", "n2"),
    re.I,
)
_COUNT = re.compile(
    _figure_pattern("q", "n")
    + r"\s+(?:(?:additional|more|extra|new|other|foreign|remaining|combat|ground|special|"
    + r"coalition|allied|military|security|army|navy|naval|air|[A-Z][\w.-]*)\s+){0,3}"
    + rf"(?:{TROOP_WORDS})\b",
)
_BY = re.compile(r"\bby\s+" + _figure_pattern("q", "n") + r"\b(?!\s*(?:%|per))", re.I)
_DIGIT = re.compile(r"\d")
_PUT_AT = re.compile(
    r"\bput(?:s|ting)?\s+the\s+(?:number|figure|total)\s+at\s+" + _figure_pattern("q", "n"), re.I
)


@dataclass(frozen=True, slots=True)
class TroopFigures:
    """What one sentence says about troop numbers; offsets are into the sentence."""

    before: Figure | None = None
    after: Figure | None = None
    counts: tuple[tuple[int, Figure], ...] = ()  # (offset, figure) for each count
    # 'Iraqi sources put the number at over 3,000': another source's figure for a count
    restated: tuple[tuple[int, Figure], ...] = ()


def _figure(match: re.Match[str], number: str, qualifier: str) -> Figure:
    hedge = match[qualifier]
    return Figure(int(match[number].replace(",", "")), hedge.lower() if hedge else None)


def _is_year(match: re.Match[str], number: str) -> bool:
    text = match[number]
    return "," not in text and len(text) == 4 and 1800 <= int(text) <= 2100


def troop_figures(sentence: str) -> TroopFigures:
    """Numbers of troops in `sentence`: 'from about 5,200 to 3,000', '2,500 American soldiers'."""
    if not _DIGIT.search(sentence):
        return TroopFigures()  # every pattern needs a number: most sentences have none
    before = after = None
    spans: list[tuple[int, int]] = []
    match = _FROM_TO.search(sentence)
    if match and not _is_year(match, "n1") and not _is_year(match, "n2"):
        before, after = _figure(match, "n1", "q1"), _figure(match, "n2", "q2")
        spans.append(match.span())
    found: dict[re.Pattern[str], list[tuple[int, Figure]]] = {}
    for pattern in (_PUT_AT, _COUNT, _BY):
        found[pattern] = []
        for match in pattern.finditer(sentence):
            inside = any(start <= match.start("n") < end for start, end in spans)
            if not inside and not _is_year(match, "n"):
                found[pattern].append((match.start("n"), _figure(match, "n", "q")))
                spans.append(match.span())
    counts = sorted(found[_COUNT] + found[_BY], key=lambda c: c[0])
    return TroopFigures(
        before=before, after=after, counts=tuple(counts), restated=tuple(found[_PUT_AT])
    )
