"""Remote SPARQL 1.1 endpoints: the same named queries over HTTP, and pushing the graph to them.

Queries go through SPARQLWrapper. A push sends each named graph whole, with the Graph Store
Protocol (`PUT ?graph=IRI`) or SPARQL Update (`DROP SILENT GRAPH` then `INSERT DATA` in one
request); both replace the graph, so a push that stopped midway can simply be run again.
Network failures are retried a bounded number of times, then reported in one line.
"""

from __future__ import annotations

import ast
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from rdflib import URIRef
from SPARQLWrapper import DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper import SPARQLExceptions as sparql_errors

from .errors import EndpointError, GovGraphError, QueryError
from .graph import SAFE_IRI
from .results import QueryResult, from_results_document

T = TypeVar("T")
USER_ENV = "GOVGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "GOVGRAPH_ENDPOINT_PASSWORD"
PROTOCOLS = ("gsp", "update")
UPDATE_BATCH = 2000  # triples per INSERT DATA: Virtuoso parses a 5,000-triple update out of memory
_RETRYABLE_STATUS = {429, 502, 503}  # a slow or failing query would only fail again


@dataclass
class RemoteEndpoint:
    """A SPARQL 1.1 endpoint reached over HTTP, with optional credentials."""

    url: str
    user: str | None = None
    password: str | None = None
    auth: str = "basic"  # or "digest" (Virtuoso's /sparql-auth and graph CRUD endpoints)
    timeout: float = 60.0
    retries: int = 3
    backoff: float = 0.5

    def __post_init__(self) -> None:
        self._challenge: dict[str, str] | None = None
        parts = urllib.parse.urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(
                f"not an http(s) endpoint URL: {self.url!r}", hint="e.g. http://127.0.0.1:7878/query"
            )
        if self.auth not in ("basic", "digest"):
            raise EndpointError(f"unknown authentication scheme {self.auth!r}", hint="basic or digest")

    # -- queries ------------------------------------------------------------

    def execute(self, sparql: str) -> QueryResult:
        """Send a complete query; SELECT/ASK come back as SPARQL JSON, graphs as Turtle."""
        wrapper = SPARQLWrapper(self.url)
        wrapper.setQuery(sparql)
        wrapper.setMethod(POST)
        wrapper.setTimeout(int(max(self.timeout, 1)))
        is_graph = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
        wrapper.setReturnFormat(TURTLE if is_graph else JSON)
        if self.user is not None:
            wrapper.setCredentials(self.user, self.password or "")
            if self.auth == "digest":
                wrapper.setHTTPAuth(DIGEST)

        def ask() -> QueryResult:
            response = wrapper.query().response
            media_type = response.headers.get("Content-Type", "text/turtle" if is_graph else "")
            return from_results_document(response.read(), media_type)

        return self._retrying(ask, "query")

    # -- pushing --------------------------------------------------------------

    def push(
        self,
        graphs: Iterable[tuple[URIRef, bytes]],
        protocol: str = "gsp",
        progress: Callable[[URIRef], None] | None = None,
    ) -> int:
        """Replace each named graph on the endpoint with the given N-Triples; returns how many were sent."""
        if protocol not in PROTOCOLS:
            raise EndpointError(f"unknown push protocol {protocol!r}", hint="gsp or update")
        send = self._put_graph if protocol == "gsp" else self._update_graph
        sent = 0
        for name, ntriples in graphs:
            if not SAFE_IRI.match(str(name)):
                raise EndpointError(f"refusing to push graph {name}: not a govgraph IRI")
            try:
                self._retrying(lambda n=name, b=ntriples: send(n, b), f"push of {name}")
            except GovGraphError as exc:
                hint = exc.hint or "run the same push again to finish; graphs are replaced, not added to"
                raise EndpointError(f"pushed {sent} graph(s), then: {exc.message}", hint=hint) from None
            sent += 1
            if progress:
                progress(name)
        return sent

    def _put_graph(self, name: URIRef, ntriples: bytes) -> None:
        """Graph Store Protocol: PUT replaces the graph with the body."""
        url = f"{self.url}{'&' if '?' in self.url else '?'}{urllib.parse.urlencode({'graph': str(name)})}"
        request = urllib.request.Request(
            url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
        )
        self._send(request)

    def _update_graph(self, name: URIRef, ntriples: bytes) -> None:
        """SPARQL Update: drop and refill the graph, in one request for a document's graph (atomic on most
        stores) and in batches of UPDATE_BATCH triples for a larger one, which Virtuoso's parser refuses
        whole ("SP030 memory exhausted")."""
        lines = ntriples.decode("utf-8").splitlines()  # N-Triples: one triple per line, newlines escaped
        for start in range(0, max(len(lines), 1), UPDATE_BATCH):
            batch = "\n".join(lines[start:start + UPDATE_BATCH])
            drop = f"DROP SILENT GRAPH <{name}> ;\n" if start == 0 else ""
            update = f"{drop}INSERT DATA {{ GRAPH <{name}> {{\n{batch}\n}} }}"
            body = urllib.parse.urlencode({"update": update}).encode("utf-8")
            request = urllib.request.Request(
                self.url, data=body, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
            )
            self._send(request)

    def _send(self, request: urllib.request.Request) -> None:
        if self.user is not None and self.auth == "digest":
            self._sign(request)
        try:
            with self._opener().open(request, timeout=self.timeout) as response:
                response.read()
        except Exception:
            self._challenge = None  # a stale nonce, or a server that restarted: ask again next time
            raise

    def _sign(self, request: urllib.request.Request) -> None:
        """Digest-sign a request up front, since servers cut large bodies off at the 401 challenge."""
        if self._challenge is None:
            self._challenge = self._fetch_challenge()
        if self._challenge:
            handler = urllib.request.HTTPDigestAuthHandler(self._passwords())
            authorization = handler.get_authorization(request, self._challenge)
            if authorization:
                request.add_unredirected_header("Authorization", f"Digest {authorization}")

    def _fetch_challenge(self) -> dict[str, str]:
        """The server's Digest challenge, from a bodiless request it refuses."""
        probe = urllib.request.Request(self.url, method="HEAD")
        try:
            with urllib.request.urlopen(probe, timeout=self.timeout):
                return {}
        except urllib.error.HTTPError as exc:
            header = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
            scheme, _, challenge = header.partition(" ")
            if scheme.lower() != "digest":
                return {}
            return urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))

    def _passwords(self) -> urllib.request.HTTPPasswordMgrWithDefaultRealm:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, self.url, self.user or "", self.password or "")
        return passwords

    def _opener(self) -> urllib.request.OpenerDirector:
        if self.user is None:
            return urllib.request.build_opener()
        handler = (
            urllib.request.HTTPDigestAuthHandler
            if self.auth == "digest"
            else urllib.request.HTTPBasicAuthHandler
        )
        return urllib.request.build_opener(handler(self._passwords()))

    # -- failures -------------------------------------------------------------

    def _retrying(self, action: Callable[[], T], what: str) -> T:
        """Retry network failures and overloaded servers with backoff; report anything else at once."""
        for attempt in range(1, self.retries + 1):
            try:
                return action()
            except Exception as exc:
                error = self._classify(exc, what)
                if error is None:
                    raise
                if not getattr(error, "retryable", False) or attempt == self.retries:
                    raise error from None
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise EndpointError(f"{what} was not attempted", hint="retries must be at least 1")

    def _classify(self, exc: Exception, what: str) -> EndpointError | QueryError | None:
        """A typed error for an exception from urllib or SPARQLWrapper, marked retryable or not."""
        if isinstance(exc, sparql_errors.QueryBadFormed):
            return QueryError(f"the endpoint rejected the query: {_server_message(exc)}")
        if isinstance(exc, sparql_errors.Unauthorized):
            return EndpointError(
                f"{what} refused by {self.url}: not authorised",
                hint=f"give --user/--password or set {USER_ENV}/{PASSWORD_ENV}",
            )
        if isinstance(exc, sparql_errors.EndPointNotFound):
            return EndpointError(f"no SPARQL endpoint at {self.url} (HTTP 404)")
        if isinstance(exc, sparql_errors.EndPointInternalError):
            return EndpointError(f"{what} failed at {self.url}: server error: {_server_message(exc)}")
        if isinstance(exc, urllib.error.HTTPError):
            message = f"{what} failed at {self.url}: HTTP {exc.code} {exc.reason}"
            body = _body(exc)
            if exc.code == 400:
                return QueryError(f"the endpoint rejected the request: {body or exc.reason}")
            hint = f"give --user/--password or set {USER_ENV}/{PASSWORD_ENV}" if exc.code == 401 else None
            return EndpointError(
                f"{message}: {body}" if body else message, hint=hint, retryable=exc.code in _RETRYABLE_STATUS
            )
        if isinstance(exc, (urllib.error.URLError, ConnectionError, socket.timeout, TimeoutError, OSError)):
            return EndpointError(
                f"cannot reach {self.url} after {self.retries} attempt(s): {_reason(exc)}", retryable=True
            )
        return None


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or exc
    text = str(reason).strip() or type(exc).__name__
    return text.replace("[Errno 111] ", "")


def _body(exc: urllib.error.HTTPError) -> str:
    try:
        return _first_line(exc.read())
    except Exception:
        return ""


def _server_message(exc: Exception) -> str:
    """The server's own words from a SPARQLWrapper exception, which keeps them only as a repr."""
    text = str(exc)
    _, sep, response = text.partition("Response:\n")
    if not sep:
        return _first_line(text)
    try:
        return _first_line(ast.literal_eval(response))
    except (ValueError, SyntaxError):
        return _first_line(response)


def _first_line(data: bytes | str) -> str:
    """The server's message on one line, kept short."""
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    line = " ".join(text.split())
    return line[:300] + ("…" if len(line) > 300 else "")
