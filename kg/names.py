"""Name normalisation: slugs for IRIs and keys that join spelling variants."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

from anyascii import anyascii

from kg.resources import data_file

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING_ARTICLE = re.compile(r"^(the|The|THE)\s+")
_TITLE_LINKS = frozenset({"of", "for", "to"})
# A quoted nickname between the parts of a name: William D. "Hank" Taylor.
_NICKNAME = re.compile(r"(?<=\S)\s+[\"“‘'][^\"“”‘’']+[\"”’']\s+(?=\S)")
_BASE_WORDS = frozenset(
    {"air", "naval", "military", "army", "base", "airbase", "airfield", "garrison", "station"}
)
_BASE_OF = re.compile(
    r"^(?P<kind>(?:air |military |naval )?base|garrison) (?:of|at) (?P<name>.+)$", re.I
)


def ascii_fold(text: str) -> str:
    """Drop accents and other marks: 'Erdoğan' → 'Erdogan'."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def romanize(text: str) -> str:
    """Latin script with its accents dropped, letters of other scripts transliterated:
    'Erdoğan' → 'Erdogan', 'Владимир Путин' → 'Vladimir Putin', '北京' → 'BeiJing'.

    Latin text reads exactly as `ascii_fold` makes it (a Latin letter with no
    plain form, such as 'ø', is dropped), so slugs and keys minted before
    other scripts were transliterated stay the same.
    """
    if text.isascii():
        return text
    kept = []
    for char in unicodedata.normalize("NFC", text):
        folded = ascii_fold(char)
        if folded:
            kept.append(folded)
        elif char.isalnum() and not _is_latin(char):
            # Whole ('й' is no 'и' with a breve to drop), and letters only: a soft
            # sign's apostrophe would split a word in two.
            kept.append("".join(c for c in anyascii(char) if c.isalnum()))
    return "".join(kept)


def _is_latin(char: str) -> bool:
    return unicodedata.name(char, "").startswith("LATIN ")


def name_digest(text: str) -> str:
    """A short, stable digest of a name, for telling apart names that spell alike."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:10]


def slugify(text: str) -> str:
    """A readable, stable IRI segment: 'Mustafa al-Kadhimi' → 'mustafa-al-kadhimi',
    'Владимир Путин' → 'vladimir-putin'.

    A name with nothing to spell it by ('★') is 'unnamed-' and its digest, so
    two such names never share a slug; only blank text is plain 'unnamed'.
    """
    slug = _NON_ALNUM.sub("-", romanize(text).lower()).strip("-")
    if slug:
        return slug
    return f"unnamed-{name_digest(text.strip())}" if text.strip() else "unnamed"


@lru_cache(maxsize=1 << 16)  # names recur: resolution keys each mention's
def match_key(text: str) -> str:
    """A key under which transliteration and spelling variants meet.

    Case, accents, punctuation, spacing, a leading 'the' and doubled letters
    are ignored, and other scripts are transliterated, so 'Qassem Soleimani'
    meets 'Qasem Soleimani', 'al-Assad' meets 'al-Asad', 'U.S.' meets 'US' and
    'Владимир Путин' meets 'Vladimir Putin'.
    """
    folded = romanize(_LEADING_ARTICLE.sub("", text.strip())).lower()
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
    return {key: canonical for (key,), canonical in _table("titles.tsv").items()}


_PieceKind = Literal["rank", "service", "title", "qualifier"]


@dataclass(frozen=True, slots=True)
class TitlePiece:
    """A run of words read as one unit of a title: 'Maj. Gen.' is one rank."""

    kind: _PieceKind
    length: int  # in words
    canonical: str  # 'Major General'; the service's name; '' for a qualifier


def title_key(word: str) -> str:
    """How a word is looked up in the title tables: 'Gen.' → 'gen'."""
    return word.lower().rstrip(".")


def title_piece(keys: Sequence[str], start: int) -> TitlePiece | None:
    """The longest title unit that begins at `keys[start]`, keys made by `title_key`.

    A rank beats a single title word ('Sgt. 1st Class' over 'Sgt.'), and a service
    is told apart from a title ('Air Force' over the 'Air' of 'Air Marshal').
    """
    best: TitlePiece | None = None
    for kind, table, longest in _piece_tables():
        for length in range(min(len(keys) - start, longest), 0, -1):
            canonical = table.get(tuple(keys[start : start + length]))
            if canonical is not None:
                if best is None or length > best.length:
                    best = TitlePiece(kind, length, canonical)
                break
    if best is None and start < len(keys) and keys[start] in title_qualifiers():
        best = TitlePiece("qualifier", 1, "")
    return best


@cache
def ranks() -> dict[tuple[str, ...], str]:
    """Military ranks by their words ('maj', 'gen') → the rank ('Major General')."""
    return _table("ranks.tsv")


@cache
def services() -> dict[tuple[str, ...], str]:
    """Armed services by their words ('air', 'force') → as written in the table."""
    return {tuple(title_key(w) for w in line.split()): line for line in _lines("services.txt")}


@cache
def title_vocabulary() -> frozenset[str]:
    """Every word that can be part of a title, a rank or a service: 'secretary', 'maj', 'force'.

    Numbers are left out ('Chief Warrant Officer 3' is read whole by `title_piece`).
    """
    phrases = (*ranks(), *services())
    return frozenset({w for p in phrases for w in p if not w.isdigit()} | set(title_words()))


@cache
def title_abbreviations() -> frozenset[str]:
    """Title words written short, whose dot is no full stop: 'gen', 'sgt', 'lt', 'pm'."""
    words = {**title_words(), **{k[0]: c for k, c in ranks().items() if len(k) == 1}}
    return frozenset(k for k, c in words.items() if len(k) <= 4 and k != c.lower())


@cache
def title_qualifiers() -> frozenset[str]:
    """Words that qualify a title without being part of it: 'former', 'acting'."""
    return frozenset(line.lower() for line in _lines("title_qualifiers.txt"))


@cache
def _piece_tables() -> tuple[tuple[_PieceKind, dict[tuple[str, ...], str], int], ...]:
    """The tables `title_piece` reads, most specific first, with their longest entry."""
    singles: dict[tuple[str, ...], str] = {(k,): c for k, c in title_words().items()}
    tables: tuple[tuple[_PieceKind, dict[tuple[str, ...], str]], ...] = (
        ("rank", ranks()),
        ("service", services()),
        ("title", singles),
    )
    return tuple((kind, table, max(map(len, table))) for kind, table in tables)


def _lines(name: str) -> list[str]:
    text = data_file(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def _table(name: str) -> dict[tuple[str, ...], str]:
    """A two-column table of word sequences (case and dots ignored) → their canonical form."""
    table: dict[tuple[str, ...], str] = {}
    for line in _lines(name):
        surface, canonical = line.split("\t")
        table[tuple(title_key(w) for w in surface.split())] = canonical.strip()
    return table


def split_title(name: str) -> tuple[str, str]:
    """Separate leading titles, ranks and services from a person's name.

    'Army Maj. Gen. Jane Q. Roe' → ('Army Maj. Gen.', 'Jane Q. Roe'); 'Secretary of
    State Mike Pompeo' → ('Secretary of State', 'Mike Pompeo'). A quoted nickname
    belongs to neither: 'Gen. William "Hank" Taylor' → ('Gen.', 'William Taylor').
    The last word always stays in the name, so a name made only of title words
    keeps one ('President' → ('', 'President')).
    """
    words = _NICKNAME.sub(" ", f" {name} ").split()
    keys = [title_key(w) for w in words]
    cut = 0
    while cut < len(words) - 1:
        piece = title_piece(keys, cut)
        if piece is not None:
            cut = min(cut + piece.length, len(words) - 1)
        elif keys[cut] in _TITLE_LINKS and cut and cut < len(words) - 2:
            # 'Secretary of State Mike Pompeo', 'Secretary of the Navy Jane Roe': skip 'of State'
            skip = 3 if keys[cut + 1] == "the" and cut < len(words) - 3 else 2
            cut += skip
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
