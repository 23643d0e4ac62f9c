"""Answer a triple store's HTTP authentication challenge: Digest (RFC 7616) or Basic (RFC 7617).

Credentials come only from NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD.
Nothing is sent until the store asks: its 401 names the scheme it wants, and
the answer is Digest when it offers Digest (the password itself never
crosses the wire, only a hash bound to the store's nonce), else Basic.
Virtuoso's authenticated endpoints want Digest; Fuseki and GraphDB
usually Basic. Later requests to the same store carry the answer up front
(Digest with the same nonce and the next nonce count), so a push of many
graphs costs one extra round trip, not one per graph.

Digest here is MD5 or SHA-256 with `qop=auth` (or no qop, RFC 2069);
`auth-int`, the `-sess` algorithms and `userhash` are not needed by the
stores newskg supports, and a challenge asking only for them is refused
with a message. The password appears in no message, log or repr.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

USER_VARIABLE = "NEWSKG_STORE_USER"
PASSWORD_VARIABLE = "NEWSKG_STORE_PASSWORD"
# Digest algorithms by their RFC 7616 names, as hashlib spells them.
DIGEST_ALGORITHMS = {"MD5": "md5", "SHA-256": "sha256"}

_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
# One auth-param: name=token or name="quoted string", with the comma before it.
_PARAM = re.compile(rf'[\s,]*({_TOKEN})\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))')
# An auth-scheme, with its token68 if it has one (Basic's realm-less form, Negotiate's blob).
_SCHEME = re.compile(rf"[\s,]*({_TOKEN})(?:\s+[A-Za-z0-9._~+/-]+=*(?=\s*(?:,|$)))?")
_ESCAPED = re.compile(r"\\(.)")


class AuthError(ValueError):
    """Credentials that are half set, or a challenge newskg cannot answer."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """An account on a store; the password is kept out of repr()."""

    user: str
    password: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Challenge:
    """One challenge of a WWW-Authenticate header: its scheme (lower case) and parameters."""

    scheme: str
    params: dict[str, str]


def credentials_from(environ: Mapping[str, str] = os.environ) -> Credentials | None:
    """The account in the environment, or None when neither variable is set.

    Raises:
        AuthError: when only one of the two is set.
    """
    user = environ.get(USER_VARIABLE)
    password = environ.get(PASSWORD_VARIABLE)
    if user is None and password is None:
        return None
    if user is None or password is None:
        raise AuthError(f"set both {USER_VARIABLE} and {PASSWORD_VARIABLE}, or neither")
    return Credentials(user, password)


def parse_challenges(headers: Iterable[str]) -> list[Challenge]:
    """Every challenge in the WWW-Authenticate headers, in the order the store gave them.

    One header may hold several (`Basic realm="a", Digest realm="b", nonce="c"`);
    parameter names are case-insensitive and lower-cased here. What cannot be
    read ends the header's parsing; the challenges before it are kept.
    """
    found: list[Challenge] = []
    for header in headers:
        position = 0
        while header[position:].strip(" \t,"):
            param = _PARAM.match(header, position) if found else None
            if param is not None:
                name, quoted, bare = param.groups()
                value = _ESCAPED.sub(r"\1", quoted) if quoted is not None else bare
                found[-1].params[name.lower()] = value
                position = param.end()
                continue
            scheme = _SCHEME.match(header, position)
            if scheme is None:
                break
            found.append(Challenge(scheme[1].lower(), {}))
            position = scheme.end()
    return found


def basic_authorization(credentials: Credentials) -> str:
    """The Basic answer: user and password, base64 (RFC 7617, UTF-8)."""
    token = base64.b64encode(f"{credentials.user}:{credentials.password}".encode()).decode()
    return f"Basic {token}"


def digest_authorization(
    credentials: Credentials,
    challenge: Challenge,
    method: str,
    uri: str,
    *,
    nonce_count: int = 1,
    cnonce: str | None = None,
) -> str:
    """The Digest answer to `challenge` for `method` on `uri` (the request target).

    Raises:
        AuthError: for an algorithm or qop this module does not do (named).
    """
    problem = _digest_problem(challenge)
    if problem is not None:
        raise AuthError(problem)
    params = challenge.params
    algorithm = params.get("algorithm", "MD5")
    name = DIGEST_ALGORITHMS[algorithm.upper()]

    def digest(text: str) -> str:
        return hashlib.new(name, text.encode("utf-8")).hexdigest()

    realm, nonce = params.get("realm", ""), params.get("nonce", "")
    secret = digest(f"{credentials.user}:{realm}:{credentials.password}")
    request = digest(f"{method}:{uri}")
    fields = [_user_field(credentials.user), f"realm={_quoted(realm)}", f"uri={_quoted(uri)}"]
    fields += [f"algorithm={algorithm}", f"nonce={_quoted(nonce)}"]
    if "qop" in params:
        count, cnonce = f"{nonce_count:08x}", cnonce or secrets.token_hex(16)
        response = digest(f"{secret}:{nonce}:{count}:{cnonce}:auth:{request}")
        fields += [f"nc={count}", f"cnonce={_quoted(cnonce)}", "qop=auth"]
    else:  # RFC 2069, which RFC 7616 keeps for old servers
        response = digest(f"{secret}:{nonce}:{request}")
    fields.append(f"response={_quoted(response)}")
    if "opaque" in params:
        fields.append(f"opaque={_quoted(params['opaque'])}")
    return "Digest " + ", ".join(fields)


class Authenticator:
    """Answers one store's challenges for one run (a push, a query) with one account."""

    def __init__(self, credentials: Credentials | None) -> None:
        self.credentials = credentials
        self._basic = False
        self._digest: Challenge | None = None
        self._nonce_count = 0

    def __repr__(self) -> str:
        return f"Authenticator({self.credentials!r})"

    def header(self, method: str, uri: str) -> str | None:
        """The Authorization to send up front: the scheme the store asked for before, if any."""
        if self.credentials is None:
            return None
        if self._digest is not None:
            self._nonce_count += 1
            return digest_authorization(
                self.credentials, self._digest, method, uri, nonce_count=self._nonce_count
            )
        return basic_authorization(self.credentials) if self._basic else None

    def answer(self, method: str, uri: str, headers: Iterable[str]) -> str:
        """The Authorization answering a 401's WWW-Authenticate headers.

        The store's first Digest challenge with an algorithm newskg knows wins
        (RFC 7616 lists them in the store's order of preference); then Basic.

        Raises:
            AuthError: when no credentials are set, or no challenge can be answered.
        """
        if self.credentials is None:
            raise AuthError(f"the store wants a login: set {USER_VARIABLE} and {PASSWORD_VARIABLE}")
        challenges = parse_challenges(headers)
        digests = [c for c in challenges if c.scheme == "digest"]
        problems = [_digest_problem(c) for c in digests]
        if None in problems:
            self._digest, self._nonce_count = digests[problems.index(None)], 1
            return digest_authorization(self.credentials, self._digest, method, uri)
        if any(c.scheme == "basic" for c in challenges):
            self._basic = True
            return basic_authorization(self.credentials)
        if problems:
            raise AuthError(str(problems[0]))
        offered = ", ".join(sorted({c.scheme for c in challenges})) or "no scheme newskg can read"
        raise AuthError(f"the store asks for {offered}; newskg answers Basic and Digest")


def _digest_problem(challenge: Challenge) -> str | None:
    """Why newskg cannot answer this Digest challenge, or None when it can."""
    algorithm = challenge.params.get("algorithm", "MD5")
    if algorithm.upper() not in DIGEST_ALGORITHMS:
        return f"the store wants Digest {algorithm}; newskg answers {', '.join(DIGEST_ALGORITHMS)}"
    qops = challenge.params.get("qop")
    if qops is not None and "auth" not in {qop.strip().lower() for qop in qops.split(",")}:
        return f"the store wants Digest qop={qops}; newskg answers qop=auth"
    return None


def _quoted(value: str) -> str:
    """An RFC 9110 quoted-string."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _user_field(user: str) -> str:
    """`username="…"`, or RFC 8187's `username*=UTF-8''…` for a name beyond ASCII."""
    if user.isascii() and user.isprintable():
        return f"username={_quoted(user)}"
    return f"username*=UTF-8''{quote(user, safe='')}"
