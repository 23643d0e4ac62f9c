"""Name normalisation: slugs for IRIs and keys that join spelling variants."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from kg.resources import data_file

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING_ARTICLE = re.compile(r"^(the|The|THE)\s+")
_TITLE_LINKS = frozenset({"of", "for"})
_BASE_WORDS = frozenset(
    {"air", "naval", "military", "army", "base", "airbase", "airfield", "garrison", "station"}
)
_BASE_OF = re.compile(
    r"^(?P<kind>(?:air |military |naval )?base|garrison) (?:of|at) (?P<name>.+)$", re.I
)


def ascii_fold(text: str) -> str:
    """Drop accents and other marks: 'Erdoğan' → 'Erdogan'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def slugify(text: str) -> str:
    """A readable, stable IRI segment: 'Mustafa al-Kadhimi' → 'mustafa-al-kadhimi'."""
    return _NON_ALNUM.sub("-", ascii_fold(text).lower()).strip("-") or "unnamed"


def match_key(text: str) -> str:
    """A key under which transliteration and spelling variants meet.

    Case, accents, punctuation, spacing, a leading 'the' and doubled letters
    are ignored, so 'Qassem Soleimani' meets 'Qasem Soleimani', 'al-Assad'
    meets 'al-Asad' and 'U.S.' meets 'US'.
    """
    folded = ascii_fold(_LEADING_ARTICLE.sub("", text.strip())).lower()
    return _DOUBLED.sub(r"\1", _NON_ALNUM.sub("", folded))


def clean_surface(text: str) -> str:
    """Trim what is not part of a name: a leading "the", a possessive, stray punctuation."""
    text = " ".join(text.split())
    text = _LEADING_ARTICLE.sub("", text)
    text = _POSSESSIVE.sub("", text)
    return text.strip(" \t\"“”‘’'.,;:-–—()[]")


@cache
def title_words() -> dict[str, str]:
    """Title and honorific words (lower case, no dot) → the title they stand for."""
    table: dict[str, str] = {}
    for line in data_file("titles.tsv").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            surface, canonical = line.split("\t")
            table[surface.strip()] = canonical.strip()
    return table


def split_title(name: str) -> tuple[str, str]:
    """Separate leading title words from a person's name.

    'Marine Gen. Frank McKenzie' → ('Marine Gen.', 'Frank McKenzie'). A name
    made only of title words is returned unchanged, as the name.
    """
    words = name.split()
    titles = title_words()
    cut = 0
    while cut < len(words) - 1:
        word = words[cut].lower().rstrip(".")
        if word in titles:
            cut += 1
        elif word in _TITLE_LINKS and cut and cut < len(words) - 2:
            cut += 2  # 'Secretary of State Mike Pompeo': skip 'of State'
        else:
            break
    return " ".join(words[:cut]), " ".join(words[cut:])


def base_name(name: str) -> str:
    """One spelling for a base found by its shape: 'base of Victoria' → 'Victoria Base',
    'al-Asad air base' → 'al-Asad Air Base'."""
    match = _BASE_OF.match(name)
    if match:
        name = f"{match['name']} {match['kind']}"
    return " ".join(w.capitalize() if w.lower() in _BASE_WORDS else w for w in name.split())
