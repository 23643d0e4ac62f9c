"""What a query may be before the engine sees it: its size, its nesting, and no SERVICE calls.

pyoxigraph's parser recurses once per nested `{`, `(`, `[` or `!`, and a few
thousand levels overflow its stack: the process dies (a 5 KB query of 2,500
braces kills it). A SERVICE clause makes the engine fetch any URL from this
machine. Both are found here by a scanner that reads the query the way the
parser does (strings, IRIs and comments are data, `\\u` escapes are
characters), before any of it reaches pyoxigraph.

The scanner errs on the side of refusing: any `SERVICE` outside a string,
IRI, comment, variable or prefixed name counts as a call, including ones
the parser would read glued to a neighbour (`1SERVICE`, `"x"SERVICE`,
`SERVICE:x`), and a query is scanned both as written and with its `\\u`
escapes replaced, as SPARQL 1.1 says a parser may read it.

Reference: https://www.w3.org/TR/sparql11-query/#grammar (terminals, §19.8;
codepoint escapes, §19.2).
"""

from __future__ import annotations

import re

MAX_QUERY_BYTES = 64 * 1024  # UTF-8 bytes of query text; the shipped queries are under 2 KB
MAX_NESTING = 200  # levels of { ( [ and ! together; the parser crashes at a few thousand

# Regions whose text is data to the parser, longest forms first. A backslash
# outside them escapes one character of a prefixed name (`ex:a\'b`).
_DATA = re.compile(
    r"""
      \\.                                         # PN_LOCAL_ESC outside strings
    | \#[^\n\r]*                                  # comment
    | '''(?:[^'\\]|\\.|'(?!''))*'''               # STRING_LITERAL_LONG1
    | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"         # STRING_LITERAL_LONG2
    | '(?:[^'\\\n\r]|\\.)*'                       # STRING_LITERAL1
    | "(?:[^"\\\n\r]|\\.)*"                       # STRING_LITERAL2
    | <[^<>"{}|^`\\\x00-\x20]*>                   # IRIREF
    """,
    re.VERBOSE | re.DOTALL,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_SERVICE = re.compile("service", re.IGNORECASE)
# A variable (with its `?` or `$`), or a run of the characters of names and keywords.
_NAME = re.compile(r"([?$]?)([\w.\-:%·]+)")
_OPEN = frozenset("{([")
_CLOSE = frozenset("})]")


class QueryRefused(ValueError):
    """A query newskg will not hand to the engine: too large, nested too deep, or calling out."""


class ServiceRefused(QueryRefused):
    """A query with a SERVICE clause where calls to other endpoints are not allowed."""


def _unescaped(text: str) -> str:
    """`text` with `\\uXXXX` and `\\UXXXXXXXX` replaced by the characters they name (§19.2)."""

    def char(match: re.Match[str]) -> str:
        code = int(match[1] or match[2], 16)
        return chr(code) if code < 0x110000 else match[0]

    return _CODEPOINT.sub(char, text)


def code_of(text: str) -> str:
    """`text` with strings, IRIs and comments blanked and escaped name characters kept as `_`."""
    return _DATA.sub(lambda match: "_" if match[0].startswith("\\") else " ", text)


def nesting(code: str) -> int:
    """The deepest the parser must recurse: open brackets, plus a run of unary `!` inside them."""
    depth = deepest = run = 0
    for position, char in enumerate(code):
        if char in _OPEN:
            depth += 1
            run = 0
        elif char in _CLOSE:
            depth = max(depth - 1, 0)
            run = 0
        elif char == "!" and code[position + 1 : position + 2] != "=":
            run += 1
        elif not char.isspace():
            run = 0
        deepest = max(deepest, depth + run)
    return deepest


def calls_service(code: str) -> bool:
    """Whether `code` has a SERVICE the parser may read as the keyword.

    Only a SERVICE inside a variable (`?service`) or after the colon of a
    prefixed name (`schema:serviceType`) is a name; anywhere else it counts.
    """
    for opener, name in _NAME.findall(code):
        if opener:
            continue
        if any(":" not in name[: found.start()] for found in _SERVICE.finditer(name)):
            return True
    return False


def check_query(
    text: str,
    *,
    allow_service: bool = False,
    max_bytes: int = MAX_QUERY_BYTES,
    max_nesting: int = MAX_NESTING,
) -> None:
    """Refuse `text` unless it is within the limits and, unless allowed, calls no other endpoint.

    Raises:
        QueryRefused: naming the limit the query is over.
        ServiceRefused: for a SERVICE clause when `allow_service` is False.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueryRefused(
            f"the query is {size:,} bytes; the query size limit is {max_bytes:,} bytes"
        )
    codes = {code_of(text), code_of(_unescaped(text))}
    depth = max(nesting(code) for code in codes)
    if depth > max_nesting:
        raise QueryRefused(
            f"the query nests {depth} levels deep in {{ }}, ( ), [ ] or !; "
            f"at most {max_nesting} are accepted (the nesting limit)"
        )
    if not allow_service and any(calls_service(code) for code in codes):
        raise ServiceRefused(
            "SERVICE (a call from this machine to another endpoint) is refused; "
            "`kg query --allow-service` allows it, `kg serve` never does "
            "(a name containing 'service' outside a variable or prefixed name counts too)"
        )
