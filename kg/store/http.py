"""HTTP to triple stores with the standard library: credentials from the environment, plain errors.

Credentials never travel on the command line, where `ps` and shell history
would keep them: they come from NEWSKG_STORE_USER and NEWSKG_STORE_PASSWORD,
are sent only to answer the store's own challenge (Digest or Basic, see
`kg.store.auth`), and a URL carrying `user:password@` is refused.
Every failure (unreachable, refused, timed out) becomes a `StoreError`
whose message names the URL, the problem and what to try next.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.error import HTTPError, URLError
from urllib.parse import quote, unquote, urlencode, urlsplit, urlunsplit
from urllib.request import ProxyHandler, Request, build_opener, urlopen

from kg.store.auth import (
    PASSWORD_VARIABLE,
    USER_VARIABLE,
    Authenticator,
    AuthError,
    credentials_from,
)

DEFAULT_TIMEOUT = 60.0  # seconds
_DETAIL_CHARS = 300  # of a store's error page quoted back to the user
# A store on this machine is reached directly, whatever http_proxy says.
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_direct = build_opener(ProxyHandler({})).open
_CHALLENGE = "WWW-Authenticate"

_HINTS = {
    401: f"set {USER_VARIABLE} and {PASSWORD_VARIABLE} to an account the store accepts",
    403: "the store does not allow this; check the account's rights or the store's read-only mode",
    404: "check the URL: Oxigraph serves /store and /query, Fuseki /DATASET/data and "
    "/DATASET/query, GraphDB /repositories/REPO/rdf-graphs/service and /repositories/REPO, "
    "Virtuoso /sparql-graph-crud-auth and /sparql",
    405: "this URL does not take that request; is it the store's Graph Store or query endpoint?",
}


class StoreError(RuntimeError):
    """A store that cannot be reached, or that refused a request."""


@dataclass(frozen=True, slots=True)
class Response:
    """What a store answered: the media type (without parameters) and the body."""

    media_type: str
    body: bytes


def check_endpoint(url: str) -> str:
    """`url` if it is an http(s) URL without credentials in it.

    Raises:
        StoreError: for another scheme, no host, or `user:password@`.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{url!r} is not an http:// or https:// URL of a store")
    if parts.username is not None or parts.password is not None:
        raise StoreError(
            f"put credentials in {USER_VARIABLE} and {PASSWORD_VARIABLE}, not in the URL"
        )
    return url


def with_query(url: str, params: Mapping[str, str | None]) -> str:
    """`url` with `params` added to its query string, keeping what it already has.

    A None value adds the bare name, as in the Graph Store Protocol's `?default`.
    """
    parts = urlsplit(url)
    added = (
        quote(name) if value is None else urlencode({name: value}) for name, value in params.items()
    )
    query = "&".join(part for part in (parts.query, *added) if part)
    return urlunsplit(parts._replace(query=query))


def authenticator(environ: Mapping[str, str] = os.environ) -> Authenticator:
    """What answers the store's challenges with the environment's account (if any).

    Raises:
        StoreError: when only one of the two variables is set.
    """
    try:
        return Authenticator(credentials_from(environ))
    except AuthError as err:
        raise StoreError(str(err)) from err


def send(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: Mapping[str, str],
    auth: Authenticator | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Response:
    """Make one request; a 2xx answer is returned, anything else raised.

    A 401 with a challenge `auth` can answer is answered once; a second 401
    means the store does not take the account.

    Raises:
        StoreError: when the store is unreachable, times out, or answers
            with an error status (its message quoted).
    """
    target = Request(url).selector  # what the request line names, and Digest signs
    authorization = auth.header(method, target) if auth is not None else None
    answered = False  # whether `authorization` answers this very request's challenge
    while True:
        try:
            return _send_once(method, url, body, headers, authorization, timeout)
        except HTTPError as err:
            if err.code != 401 or auth is None or auth.credentials is None or answered:
                raise StoreError(_refusal(method, url, err)) from err
            try:
                authorization = auth.answer(method, target, err.headers.get_all(_CHALLENGE) or [])
            except AuthError as problem:
                raise StoreError(f"{method} {unquote(url)}: {problem}") from err
            answered = True


def _send_once(
    method: str,
    url: str,
    body: bytes | None,
    headers: Mapping[str, str],
    authorization: str | None,
    timeout: float,
) -> Response:
    request = Request(url, data=body, method=method, headers=dict(headers))
    if authorization is not None:
        request.add_unredirected_header("Authorization", authorization)
    open_url = _direct if urlsplit(url).hostname in _LOOPBACK else urlopen
    try:
        with open_url(request, timeout=timeout) as response:
            return Response(response.headers.get_content_type(), response.read())
    except HTTPError:
        raise  # an answer, not a failure to reach the store: the caller reads it
    except OSError as err:  # URLError (refused, unknown host), a timeout, a dropped connection
        reason = err.reason if isinstance(err, URLError) else err
        where = urlunsplit(urlsplit(url)._replace(query=""))
        if isinstance(reason, TimeoutError):
            raise StoreError(f"{where} did not answer within {timeout:g} s; try --timeout") from err
        raise StoreError(
            f"cannot reach {where}: {reason}; is the store running and the URL right?"
        ) from err


def _refusal(method: str, url: str, err: HTTPError) -> str:
    detail = " ".join(err.read().decode("utf-8", "replace").split())[:_DETAIL_CHARS]
    message = f"the store refused {method} {unquote(url)}: HTTP {err.code} {err.reason}"
    if detail:
        message += f": {detail}"
    hint = _HINTS.get(err.code)
    return f"{message}; {hint}" if hint else message
