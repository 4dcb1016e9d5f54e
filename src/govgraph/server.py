"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, with a plain HTML form at `/`.

Queries run in worker processes that open the store read-only, so a runaway query is stopped
for real when it passes the timeout (its worker is killed and replaced) and the server stays up.
Updates are refused; oversized requests are cut off before they are read.
"""

from __future__ import annotations

import html
import json
import multiprocessing
import os
import queue
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import StoreError
from .store import needs_union

RESULT_TYPES = {  # media type -> pyoxigraph results format, first is the default
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
SHORT_NAMES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
SPARQL_PATHS = ("/sparql", "/query")
DRAIN_LIMIT = 64 * 1024 * 1024  # oversized bodies up to this are read and dropped before the 413


@dataclass(frozen=True)
class ServerSettings:
    """How the endpoint behaves: where the store is, limits, and how many queries run at once."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    workers: int = 2
    max_request_bytes: int = 1_000_000


# ---------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------


def _store_signature(path: str) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and times of the store's files: a change means a build wrote to it."""
    with os.scandir(path) as entries:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries if e.is_file()))


def _worker_main(path: str, conn: Connection) -> None:
    """Answer queries from the pipe until it closes; reopen the store when a build changed it."""
    store: Any = None
    signature: Any = None
    union = False
    while True:
        try:
            sparql, accept = conn.recv()
        except (EOFError, OSError):
            return
        try:
            current = _store_signature(path)
            if store is None or current != signature:
                store, signature = ox.Store.read_only(path), current
                union = needs_union(store)
            conn.send(("ok", *answer(store, sparql, accept, union)))
        except SyntaxError as exc:
            conn.send(("error", 400, f"malformed query: {exc}"))
        except Exception as exc:  # a worker reports every failure rather than dying
            conn.send(("error", 500, f"{type(exc).__name__}: {exc}"))


def answer(store: Any, sparql: str, accept: str, union: bool = False) -> tuple[str, bytes]:
    """Run one query over the deduplicated default graph and serialise it in the negotiated format."""
    results = store.query(sparql, use_default_graph_as_union=union)
    if isinstance(results, ox.QueryTriples):
        media_type = negotiate(accept, GRAPH_TYPES)
        return media_type, results.serialize(format=GRAPH_TYPES[media_type])
    media_type = negotiate(accept, RESULT_TYPES)
    return media_type, results.serialize(format=RESULT_TYPES[media_type])


def negotiate(accept: str, offered: dict[str, Any]) -> str:
    """The offered media type the Accept header prefers (q-values honoured), else the default."""
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        media = SHORT_NAMES.get(media, media).lower()
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        if quality <= 0:
            continue
        if media in offered:
            choices.append((-quality, position, media))
        elif media in ("*/*", "application/*", "text/*", "application/json"):
            fallback = (
                "application/sparql-results+json" if media == "application/json" else next(iter(offered))
            )
            if fallback in offered:
                choices.append((-quality + 0.001, position, fallback))
    return min(choices)[2] if choices else next(iter(offered))


class QueryWorkers:
    """A fixed pool of query processes; one that overruns the timeout is killed and replaced."""

    def __init__(self, store: Path, size: int, timeout: float) -> None:
        self.store = str(store)
        self.timeout = timeout
        self._context = multiprocessing.get_context("forkserver")
        self._idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        for _ in range(max(size, 1)):
            self._idle.put(self._start())

    def _start(self) -> tuple[Any, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self.store, child), daemon=True)
        process.start()
        child.close()
        return process, parent

    def run(self, sparql: str, accept: str) -> tuple[int, str, bytes]:
        """(HTTP status, media type, body) for one query."""
        process, conn = self._idle.get()
        try:
            conn.send((sparql, accept))
            if not conn.poll(self.timeout):
                raise TimeoutError
            reply = conn.recv()
        except (TimeoutError, EOFError, OSError) as exc:
            process.kill()
            process.join()
            conn.close()
            self._idle.put(self._start())
            if isinstance(exc, TimeoutError):
                return (
                    504,
                    "text/plain",
                    f"query stopped after {self.timeout:g} s (the server's --timeout)".encode(),
                )
            return 500, "text/plain", b"the query process failed"
        self._idle.put((process, conn))
        if reply[0] == "ok":
            return 200, reply[1], reply[2]
        return reply[1], "text/plain", reply[2].encode("utf-8")

    def close(self) -> None:
        """Stop every worker."""
        while not self._idle.empty():
            process, conn = self._idle.get_nowait()
            conn.close()
            process.join(timeout=2)
            if process.is_alive():
                process.kill()
                process.join()


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 Protocol: GET ?query=, POST form or application/sparql-query; no updates."""

    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "govgraph"

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(url.query)
        if url.path == "/" and "query" not in params:
            self._send(200, "text/html; charset=utf-8", _page("", None).encode("utf-8"))
        elif url.path in (*SPARQL_PATHS, "/"):
            self._dispatch(params, html_page=url.path == "/")
        elif url.path == "/health":
            self._send(200, "text/plain", b"ok")
        else:
            self._send(404, "text/plain", b"not found; the SPARQL endpoint is /sparql")

    def do_POST(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path not in (*SPARQL_PATHS, "/"):
            self._send(404, "text/plain", b"not found; the SPARQL endpoint is /sparql")
            return
        body = self._body()
        if body is None:
            return
        media = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(url.query)
        if media == "application/sparql-update":
            self._refuse_update()
        elif media == "application/sparql-query":
            self._query(body.decode("utf-8", "replace"), params, html_page=False)
        elif media in ("application/x-www-form-urlencoded", ""):
            params.update(urllib.parse.parse_qs(body.decode("utf-8", "replace")))
            self._dispatch(params, html_page=url.path == "/")
        else:
            self._send(415, "text/plain", f"unsupported content type {media}".encode())

    def _dispatch(self, params: dict[str, list[str]], html_page: bool) -> None:
        """Protocol parameters from a URL or a form: an update is refused, a query answered."""
        if "update" in params:
            self._refuse_update()
        elif "query" not in params:
            self._send(400, "text/plain", b"missing query parameter")
        else:
            self._query(params["query"][0], params, html_page=html_page)

    def do_PUT(self) -> None:
        self._refuse_update()

    do_DELETE = do_PATCH = do_PUT

    def _body(self) -> bytes | None:
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > self.server.settings.max_request_bytes:
            self.close_connection = True
            self._discard(length)  # a client still sending its body would see a reset, not the 413
            self._send(
                413,
                "text/plain",
                f"request body over {self.server.settings.max_request_bytes} bytes".encode(),
            )
            return None
        return self.rfile.read(length)

    def _discard(self, length: int) -> None:
        """Read and drop an oversized body, up to a bound, with a short timeout."""
        remaining = min(max(length, 0), DRAIN_LIMIT)
        self.connection.settimeout(5)
        try:
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def _refuse_update(self) -> None:
        self._send(403, "text/plain", b"this endpoint is read-only: updates are refused")

    def _query(self, sparql: str, params: dict[str, list[str]], html_page: bool) -> None:
        if len(sparql.encode("utf-8")) > self.server.settings.max_request_bytes:
            self._send(413, "text/plain", b"query too long")
            return
        accept = params.get("format", [self.headers.get("Accept", "")])[0]
        if html_page:
            status, _media, body = self.server.workers.run(sparql, "application/sparql-results+json")
            page = _page(sparql, body if status == 200 else None, None if status == 200 else body.decode())
            self._send(status, "text/html; charset=utf-8", page.encode("utf-8"))
            return
        status, media, body = self.server.workers.run(sparql, accept)
        self._send(status, f"{media}; charset=utf-8" if media.startswith("text/") else media, body)

    def _send(self, status: int, media_type: str, body: bytes) -> None:
        self.send_response(status, HTTPStatus(status).phrase)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        if status == 403:
            self.send_header("Allow", "GET, POST")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default of 5 resets clients when many connect at once

    def __init__(self, settings: ServerSettings, verbose: bool) -> None:
        self.settings = settings
        self.verbose = verbose
        self.workers = QueryWorkers(settings.store, settings.workers, settings.timeout)
        try:
            super().__init__((settings.host, settings.port), _Handler)
        except OSError as exc:
            self.workers.close()
            raise StoreError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None

    def server_close(self) -> None:
        super().server_close()
        self.workers.close()


def _page(sparql: str, results: bytes | None, error: str | None = None) -> str:
    """The HTML form, with the results table (or the error) under it; no scripts, works offline."""
    example = sparql or (
        "PREFIX gg: <https://w3id.org/govgraph/ontology#>\n"
        "PREFIX dcterms: <http://purl.org/dc/terms/>\n"
        "SELECT DISTINCT ?speech ?title WHERE {\n  ?speech a gg:Speech ; dcterms:title ?title .\n"
        "} ORDER BY ?title LIMIT 50"
    )
    table = ""
    if error:
        table = f'<p class="error">{html.escape(error)}</p>'
    elif results is not None:
        table = _html_table(json.loads(results))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govgraph SPARQL</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:80em}}
textarea{{width:100%;font:14px monospace}}table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}
th{{background:#eef}}.error{{color:#a00;white-space:pre-wrap}}</style></head>
<body><h1>govgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over every document's graph. Programs use <code>/sparql</code>.</p>
<form method="post" action="/"><textarea name="query" rows="12">{html.escape(example)}</textarea>
<p><button type="submit">Run query</button></p></form>{table}</body></html>"""


def _html_table(data: dict[str, Any]) -> str:
    if "boolean" in data:
        return f"<p>{'yes' if data['boolean'] else 'no'}</p>"
    variables = data["head"]["vars"]
    rows = data["results"]["bindings"]
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(row.get(v, {}).get('value', ''))}</td>" for v in variables)
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table><p>{len(rows)} row(s)</p>"


@contextmanager
def running_server(settings: ServerSettings, verbose: bool = False) -> Iterator[str]:
    """Serve in a background thread (for tests and scripts); yields the endpoint URL."""
    server = open_server(settings, verbose)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def open_server(settings: ServerSettings, verbose: bool = False) -> _Server:
    """A bound, ready server; call `serve_forever()` on it. The store must exist."""
    if not (settings.store / "CURRENT").exists():
        raise StoreError(
            f"no store at {settings.store}", hint="run `govgraph build` first, or pass --store DIR"
        )
    return _Server(settings, verbose)
