"""A read-only SPARQL 1.1 Protocol endpoint over the embedded store, with YASGUI at `/` (see `front`).

Queries run in worker processes that open the store read-only, so a runaway query is stopped
for real when it passes the timeout or the memory limit (its worker is killed and replaced) and the
server stays up. Answers stream from the worker to the client in chunks, so no process holds a whole
large result; the form shows the first rows only. Updates and SERVICE clauses are refused (the
endpoint never fetches from other hosts), oversized requests are cut off before they are read, and
connections, the time to send a request and the wait for a worker are all bounded. No page on
another site can read an answer unless `cors` names its origin.
"""

from __future__ import annotations

import codecs
import html
import io
import itertools
import multiprocessing
import queue
import re
import resource
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Generator, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .docs import docs_page
from .errors import NotFoundError, QueryError, StoreError
from .front import CONTENT_SECURITY_POLICY, front_page, static_file
from .namespaces import PREFIXES
from .pages import (
    PAGE_TYPES,
    charts_page,
    entity_html,
    entity_iri,
    entity_rdf,
    ontology_html,
    ontology_rdf,
)
from .plot import CHARTS, chart_table, plot_chart
from .queries import with_prefixes
from .sparql_syntax import check_query, tokens
from .store import EmbeddedStore
from .syntax_errors import explain_syntax_error

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
    "text/n3": ox.RdfFormat.N3,
}
# Other names for those types, in Accept or ?format=: the short names clients send (SPARQLWrapper's
# format=json|xml|csv|tsv|turtle|n3|rdf+xml|json-ld) and generic XML and JSON, which mean the results
# format for SELECT and ASK and the graph format for CONSTRUCT and DESCRIBE.
RESULT_ALIASES = {
    "json": "application/sparql-results+json",
    "application/json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_ALIASES = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "application/turtle": "text/turtle",
    "application/x-turtle": "text/turtle",
    "n3": "text/n3",
    "text/rdf+n3": "text/n3",
    "application/n3": "text/n3",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "xml": "application/rdf+xml",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
    "json": "application/ld+json",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "application/json": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
}
CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}
SPARQL_PATHS = ("/sparql", "/query")  # with or without a trailing slash
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
DATASET_PARAMETERS = {"default-graph-uri": "default_graphs", "named-graph-uri": "named_graphs"}  # -> QueryJob
POST_TYPES = ("application/sparql-query", "application/x-www-form-urlencoded")
UTF8_NAMES = ("utf-8", "ascii")  # codec names of the charsets a request may declare (ASCII is UTF-8)
DRAIN_LIMIT = 64 * 1024 * 1024  # oversized bodies up to this are read and dropped before the 413
CHUNK_BYTES = 64 * 1024  # a worker sends its answer in pieces this big; the first decides the status
FORM_ROWS = 1000  # rows (or triples) the form shows; /sparql gives them all
FORM_CELL_CHARS = 1000  # longer values are cut on the page
ERROR_CHARS = 300  # an error body is one line of at most this many characters
RETRY_AFTER = "1"  # seconds a client told "all workers busy" should wait: any query ending frees one
MIB = 1024 * 1024
MIN_MEMORY = 128 * MIB  # a worker holds ~80 MiB of data once the store is open


@dataclass(frozen=True)
class ServerSettings:
    """How the endpoint behaves: where the store is, limits, and how many queries run at once."""

    store: Path
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 30.0
    workers: int = 2
    max_request_bytes: int = 1_000_000
    cors: tuple[str, ...] = ()  # origins whose pages may read answers; "*" for any
    max_memory: int = 2048 * MIB  # bytes of data one worker may hold
    max_connections: int = 64
    read_timeout: float = 10.0  # seconds to send a request's line, headers and body, or to stay idle
    queue_timeout: float = 5.0  # seconds a query waits for a free worker before a 503


def memory_size(text: str) -> int:
    """Bytes in a size such as `2048` (MiB), `512M`, `2G` or `1.5GiB`, for --max-memory."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(?:([kmgt])(?:i?b)?)?\s*", text, re.IGNORECASE)
    if not match:
        raise ValueError(f"{text!r} is not a size: give MiB (2048) or a unit (512M, 2G)")
    power = "kmgt".index(match[2].lower()) + 1 if match[2] else 2
    size = int(float(match[1]) * 1024**power)
    if size < MIN_MEMORY:
        raise ValueError(f"{text!r} is below the {MIN_MEMORY // MIB} MiB a worker needs to open the store")
    return size


# ---------------------------------------------------------------------------
# Worker processes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryJob:
    """One query as the endpoint hands it to a worker: the text, how to answer, and its dataset.

    `default_graphs` and `named_graphs` are the protocol's `default-graph-uri` and `named-graph-uri`:
    when either is given they are the whole dataset (a list left out is empty), overriding FROM and
    FROM NAMED; when neither is, the query's own FROM clauses define it, else the store's default
    (every document's graph). `formats` are `?format=` values, which win over `accept` when known.
    """

    sparql: str
    accept: str = ""
    formats: tuple[str, ...] = ()
    page: bool = False
    base_iri: str | None = None
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    line_offset: int = 0  # PREFIX lines the endpoint put before the client's text

    @property
    def names_dataset(self) -> bool:
        """True when the request gave default-graph-uri or named-graph-uri."""
        return self.default_graphs is not None or self.named_graphs is not None


@dataclass(frozen=True)
class PageJob:
    """A resource's page as a worker makes it: its IRI and the negotiated media type."""

    iri: str
    media_type: str


@dataclass(frozen=True)
class ChartJob:
    """A chart of the store (`govgraph.plot`) as a worker draws it, SVG or PNG."""

    chart: str
    fmt: str


def _worker_main(path: str, conn: Connection, max_memory: int) -> None:
    """Answer queries from the pipe until it closes; move to the new generation when a build
    published one (the old one stays readable until this worker lets go of it)."""
    _limit_memory(max_memory)
    store: EmbeddedStore | None = None
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if store is None or not store.is_current():
                if store is not None:
                    store.close()
                store = EmbeddedStore(path, read_only=True)
            if isinstance(job, PageJob):
                answer_page(store.engine, job, conn, store.union)
            elif isinstance(job, ChartJob):
                answer_chart(store, job, conn)
            else:
                answer(store.engine, job, conn, store.union)
        except NotFoundError as exc:
            conn.send(("error", 404, _one_line(str(exc))))
        except SyntaxError as exc:
            conn.send(("error", 400, _one_line(explain_syntax_error(str(exc), job.sparql, job.line_offset))))
        except MemoryError:
            conn.send(("error", 503, memory_message(max_memory)))
        except Exception as exc:  # a worker reports every failure rather than dying
            conn.send(("error", 500, _one_line(f"query failed: {type(exc).__name__}: {exc}")))


def _limit_memory(max_memory: int) -> None:
    """Cap this process's data (heap and anonymous maps), so a query that grows without bound aborts
    the worker instead of exhausting the machine. RLIMIT_AS would also count the ~400 MB of address
    space RocksDB reserves without using it."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
    limit = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def memory_message(max_memory: int) -> str:
    """What a client is told when its query passed the workers' memory limit."""
    return f"query stopped: it needed more than {max_memory // MIB:,} MiB (the server's --max-memory)"


def _one_line(text: str) -> str:
    """The first line of an error, cut to ERROR_CHARS: a reply never carries long or foreign text."""
    return _clip(text.strip().split("\n", 1)[0], ERROR_CHARS)


def _clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut marked with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def answer(store: Any, job: QueryJob, conn: Connection, union: bool) -> None:
    """Run one query over its dataset and send it down the pipe as it is serialised: in the
    negotiated format, or (`page`) as the form's HTML for the first rows. `union`: the store keeps
    no deduplicated default graph, so the default dataset is the union of its named graphs."""
    results = store.query(job.sparql, base_iri=job.base_iri, **dataset_options(job, union))
    if job.page:
        output = _PipeWriter(conn, "text/html")
        output.write(_results_html(results).encode("utf-8"))
    elif isinstance(results, ox.QueryTriples):
        output = _PipeWriter(conn, _choose(job, GRAPH_TYPES, GRAPH_ALIASES))
        results.serialize(output, format=GRAPH_TYPES[output.media_type])
    else:
        output = _PipeWriter(conn, _choose(job, RESULT_TYPES, RESULT_ALIASES))
        results.serialize(output, format=RESULT_TYPES[output.media_type])
    output.close()


def answer_page(store: Any, job: PageJob, conn: Connection, union: bool) -> None:
    """A resource's HTML page or RDF description, down the pipe."""
    if job.media_type == "text/html":
        body = entity_html(store, union, job.iri).encode("utf-8")
    else:
        body = entity_rdf(store, union, job.iri, job.media_type)
    output = _PipeWriter(conn, job.media_type)
    output.write(body)
    output.close()


def answer_chart(store: EmbeddedStore, job: ChartJob, conn: Connection) -> None:
    """A chart of the store, drawn with matplotlib (imported on the first chart a worker draws)."""
    try:
        table = chart_table(store, job.chart)
    except QueryError as exc:
        raise NotFoundError(str(exc)) from None
    output = _PipeWriter(conn, CHART_TYPES[job.fmt])
    output.write(plot_chart(table, job.fmt))
    output.close()


def dataset_options(job: QueryJob, union: bool) -> dict[str, Any]:
    """pyoxigraph's dataset arguments for a job: the protocol's graphs exactly when it names any;
    else the query's FROM / FROM NAMED (which pyoxigraph's union option would override), else the
    store's default graph."""
    if job.names_dataset:
        return {
            "default_graph": [ox.NamedNode(iri) for iri in job.default_graphs or ()],
            "named_graphs": [ox.NamedNode(iri) for iri in job.named_graphs or ()],
        }
    if union and not declares_dataset(job.sparql):
        return {"use_default_graph_as_union": True}
    return {}


def declares_dataset(sparql: str) -> bool:
    """True when the query has a FROM or FROM NAMED clause (the keyword exists nowhere else)."""
    return any(kind == "word" and token.upper() == "FROM" for kind, token, _end in tokens(sparql))


def _choose(job: QueryJob, offered: dict[str, Any], aliases: dict[str, str]) -> str:
    """The media type of the answer: the first known `?format=` value, else by the Accept header."""
    return preferred(", ".join(job.formats), offered, aliases) or negotiate(job.accept, offered, aliases)


class _PipeWriter:
    """A binary file pyoxigraph serialises into: the bytes go to the server in CHUNK_BYTES pieces.

    Nothing is sent until the first piece is full or the answer ends, so a query that fails early
    still gets its own status rather than a cut-off 200.
    """

    def __init__(self, conn: Connection, media_type: str) -> None:
        self.media_type = media_type
        self._conn = conn
        self._buffer = bytearray()
        self._started = False

    def write(self, data: bytes) -> int:
        self._buffer += data
        if len(self._buffer) >= CHUNK_BYTES:
            self._send()
        return len(data)

    def flush(self) -> None:
        """Pieces go when full (pyoxigraph flushes only at the end, which `close` covers)."""

    def close(self) -> None:
        """Send the rest and mark the end of the answer."""
        self._send()
        self._conn.send(("end",))

    def _send(self) -> None:
        if not self._started:
            self._conn.send(("head", self.media_type))
            self._started = True
        if self._buffer:
            self._conn.send(("chunk", bytes(self._buffer)))
            self._buffer.clear()


def _results_html(results: Any) -> str:
    """The form's view of an answer: a table of the first FORM_ROWS rows, yes/no, or the first
    FORM_ROWS triples as Turtle; the rest is never read, so a huge answer costs no more."""
    if isinstance(results, ox.QueryBoolean):
        return f"<p>{'yes' if results else 'no'}</p>"
    shown = list(itertools.islice(results, FORM_ROWS + 1))
    unit = "triples" if isinstance(results, ox.QueryTriples) else "rows"
    if len(shown) > FORM_ROWS:
        note = f"showing the first {FORM_ROWS:,} {unit}; use /sparql for all"
        shown = shown[:FORM_ROWS]
    else:
        note = f"{len(shown):,} {unit if len(shown) != 1 else unit[:-1]}"
    if isinstance(results, ox.QueryTriples):
        prefixes = {name: str(namespace) for name, namespace in PREFIXES.items()}
        turtle = ox.serialize(shown, format=ox.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
        return f"<pre>{html.escape(_clip(turtle, FORM_ROWS * FORM_CELL_CHARS))}</pre><p>{note}</p>"
    variables = [variable.value for variable in results.variables]
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(row[v])}</td>" for v in variables) + "</tr>" for row in shown
    )
    return f"<table><tr>{head}</tr>{body}</table><p>{note}</p>"


def _cell(term: Any) -> str:
    """A value as the table shows it: its lexical form, escaped, long ones cut to FORM_CELL_CHARS."""
    return html.escape(_clip("" if term is None else getattr(term, "value", str(term)), FORM_CELL_CHARS))


def negotiate(accept: str, offered: dict[str, Any], aliases: dict[str, str] | None = None) -> str:
    """The offered media type the Accept header prefers (q-values honoured), else the default."""
    return preferred(accept, offered, aliases or {}) or next(iter(offered))


def preferred(accept: str, offered: dict[str, Any], aliases: dict[str, str]) -> str | None:
    """The offered media type `accept` (media types, short names, q-values) prefers; None if none."""
    choices: list[tuple[float, int, str]] = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [p.strip() for p in item.split(";")]
        media = aliases.get(media.lower(), media.lower())
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
        elif media in ("*/*", "application/*", "text/*"):
            choices.append((-quality + 0.001, position, next(iter(offered))))
    return min(choices)[2] if choices else None


class QueryStopped(QueryError):
    """A query a worker could not finish: too slow, out of memory, or the process died."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Reply:
    """A worker's answer: the status and media type at once, the body as the worker sends it.
    Iterate `chunks` (or close it after iterating) to give its worker back to the pool."""

    status: int
    media_type: str
    chunks: Generator[bytes, None, None]
    headers: dict[str, str] = field(default_factory=dict)


def _once(body: bytes) -> Generator[bytes, None, None]:
    """A body that is already whole, as chunks."""
    yield body


class QueryWorkers:
    """A fixed pool of query processes; one that overruns the timeout or the memory limit is killed
    and replaced, and a query waits only `queue_timeout` for a free one."""

    def __init__(self, settings: ServerSettings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("forkserver")
        self._idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        for _ in range(max(settings.workers, 1)):
            self._idle.put(self._start())

    def _start(self) -> tuple[Any, Connection]:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(str(self.settings.store), child, self.settings.max_memory), daemon=True
        )
        process.start()
        child.close()
        return process, parent

    def run(self, job: QueryJob | PageJob | ChartJob) -> Reply:
        """The answer to one query (`job.page`: the form's HTML); its body streams from the worker,
        which goes back to the pool when the body has been read, or is replaced if it is abandoned."""
        try:
            process, conn = self._idle.get(timeout=self.settings.queue_timeout)
        except queue.Empty:
            busy = f"all {self.settings.workers} query workers are busy; retry shortly".encode()
            return Reply(503, "text/plain", _once(busy), {"Retry-After": RETRY_AFTER})
        deadline = time.monotonic() + self.settings.timeout
        try:
            conn.send(job)
            kind, *payload = self._receive(process, conn, deadline)
        except (QueryStopped, OSError) as exc:
            stopped = exc if isinstance(exc, QueryStopped) else self._lost(process)
            self._replace(process, conn)
            return Reply(stopped.status, "text/plain", _once(str(stopped).encode()))
        if kind == "error":
            self._idle.put((process, conn))
            return Reply(payload[0], "text/plain", _once(payload[1].encode()))
        return Reply(200, payload[0], self._stream(process, conn, deadline))

    def _stream(self, process: Any, conn: Connection, deadline: float) -> Generator[bytes, None, None]:
        """The pieces of an answer; QueryStopped if the worker fails, overruns or dies part way."""
        healthy = False
        try:
            while (message := self._receive(process, conn, deadline))[0] == "chunk":
                yield message[1]
            healthy = True
            if message[0] == "error":
                raise QueryStopped(message[2], message[1])
        finally:
            if healthy:
                self._idle.put((process, conn))
            else:
                self._replace(process, conn)

    def _receive(self, process: Any, conn: Connection, deadline: float) -> tuple[Any, ...]:
        """The worker's next message, or QueryStopped when it passes the deadline or dies."""
        remaining = deadline - time.monotonic()
        try:
            if remaining > 0 and conn.poll(remaining):
                return conn.recv()
        except (EOFError, OSError):
            raise self._lost(process) from None
        raise QueryStopped(f"query stopped after {self.settings.timeout:g} s (the server's --timeout)", 504)

    def _lost(self, process: Any) -> QueryStopped:
        """Why a worker died: an abort is a failed allocation (Rust and RocksDB abort when the memory
        limit refuses them), anything else a crash."""
        process.join(timeout=2)
        if process.exitcode == -signal.SIGABRT:
            return QueryStopped(memory_message(self.settings.max_memory), 503)
        return QueryStopped("the query process failed", 500)

    def _replace(self, process: Any, conn: Connection) -> None:
        process.kill()
        process.join()
        conn.close()
        self._idle.put(self._start())

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

    def setup(self) -> None:
        """Reads go through a deadline, so a client sending its request slowly, or idling between
        requests, is cut off after `read_timeout` in all; writes time out after as long."""
        super().setup()
        self.connection.settimeout(self.server.settings.read_timeout)
        self._reader = _DeadlineReader(self.connection, self.server.settings.read_timeout)
        self.rfile.close()
        self.rfile = io.BufferedReader(self._reader)

    def handle_one_request(self) -> None:
        self._reader.restart()
        super().handle_one_request()

    def do_GET(self) -> None:
        self._answer(self._get)

    do_HEAD = do_GET  # the same status and headers; `_send` and `_respond` leave the body out

    def do_POST(self) -> None:
        self._answer(self._post)

    def _answer(self, handle: Any) -> None:
        """Run a method's handler on the request's URL; a refusal it raises is a one-line reply."""
        try:
            handle(urllib.parse.urlsplit(self.path))
        except _Refused as refusal:
            self._send(refusal.status, "text/plain", refusal.message.encode("utf-8"), refusal.headers)

    def _get(self, url: urllib.parse.SplitResult) -> None:
        path = _route(url.path)
        static = static_file(url.path)
        if static is not None:
            self._send(200, f"{static[1]}; charset=utf-8", static[0], {"Cache-Control": "max-age=3600"})
        elif url.path.startswith(("/id/", "/ontology/")) or url.path == "/ontology":
            self._linked_data(url)
        elif url.path.rstrip("/") == "/charts":
            page = charts_page({name: title for name, (title, *_rest) in CHARTS.items()})
            headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
            self._send(200, "text/html; charset=utf-8", page.encode("utf-8"), headers)
        elif url.path.startswith("/charts/"):
            name, _, fmt = url.path.removeprefix("/charts/").rpartition(".")
            if name not in CHARTS or fmt not in CHART_TYPES:
                raise _Refused(404, f"no such chart; see /charts ({', '.join(CHARTS)}, .svg or .png)")
            self._respond(self.server.workers.run(ChartJob(name, fmt)))
        elif path == "/health":
            self._send(200, "text/plain", b"ok")
        elif path is None:
            raise _Refused(404, "not found; the SPARQL endpoint is /sparql")
        else:
            params = _parameters(url.query)
            if path == "/" and not params.keys() & {"query", "update"}:
                headers = {"Content-Security-Policy": CONTENT_SECURITY_POLICY}
                self._send(200, "text/html; charset=utf-8", front_page().encode("utf-8"), headers)
            else:
                self._dispatch(params, html_page=path == "/")

    def _linked_data(self, url: urllib.parse.SplitResult) -> None:
        """A resource (`/id/...`) or the ontology (`/ontology`) as HTML or RDF, by `?format=` or
        Accept; the answer varies with Accept, and caches are told so."""
        params = _parameters(url.query)
        offered = dict.fromkeys(PAGE_TYPES)
        aliases = {**GRAPH_ALIASES, "html": "text/html", "application/xhtml+xml": "text/html"}
        media_type = _choose(QueryJob("", self.headers.get("Accept", ""), tuple(params.get("format", ()))),
                             offered, aliases)
        headers = {"Vary": "Accept", "Content-Security-Policy": CONTENT_SECURITY_POLICY}
        if url.path.startswith("/id/"):
            reply = self.server.workers.run(PageJob(entity_iri(url.path), media_type))
            reply.headers.update(headers)
            self._respond(reply)
        elif url.path.rstrip("/") != "/ontology":  # the documentation's other pages
            text = docs_page(url.path.removeprefix("/ontology/"), served=True)
            if text is None:
                raise _Refused(404, "no such page; the documentation starts at /ontology")
            self._send(200, "text/html; charset=utf-8", text.encode("utf-8"), headers)
        elif media_type == "text/html":
            text = docs_page("ontology.html", served=True) or ontology_html()  # pyLODE's when installed
            self._send(200, "text/html; charset=utf-8", text.encode("utf-8"), headers)
        else:
            self._send(200, _charset(media_type), ontology_rdf(media_type), headers)

    def _post(self, url: urllib.parse.SplitResult) -> None:
        """A query in a form, or directly as application/sparql-query (UTF-8, its dataset in the URL)."""
        path = _route(url.path)
        if path in (None, "/health"):
            self.close_connection = True  # its body is left unread
            raise _Refused(404, "not found; the SPARQL endpoint is /sparql")
        body = self._body()
        media, charset = _content_type(self.headers.get("Content-Type", ""))
        params = _parameters(url.query)
        if media == "application/sparql-update" or "update" in params:
            self._refuse_update()
        elif media == "application/sparql-query":
            if "query" in params:
                raise _Refused(400, "a query both in the body and in the URL; send one")
            self._query(_text(body, charset), params, html_page=False)
        elif media == "application/x-www-form-urlencoded":
            for name, values in _parameters(_text(body, charset)).items():
                params.setdefault(name, []).extend(values)
            self._dispatch(params, html_page=path == "/")
        elif not media:
            raise _Refused(415, f"a POST needs a Content-Type: {' or '.join(POST_TYPES)}")
        else:
            raise _Refused(415, f"unsupported content type {media}; send {' or '.join(POST_TYPES)}")

    def _dispatch(self, params: dict[str, list[str]], html_page: bool) -> None:
        """Protocol parameters from a URL or a form: an update is refused, one query answered."""
        queries = params.get("query", [])
        if "update" in params:
            self._refuse_update()
        elif not queries:
            raise _Refused(400, "missing query parameter")
        elif len(queries) > 1:
            raise _Refused(400, f"{len(queries)} query parameters; send exactly one")
        else:
            self._query(queries[0], params, html_page=html_page)

    def do_PUT(self) -> None:
        self.close_connection = True  # the body is not read, so the connection cannot carry another request
        self._answer(lambda _url: self._refuse_update())

    do_DELETE = do_PATCH = do_PUT

    def do_OPTIONS(self) -> None:
        """The methods the endpoint answers, and a CORS preflight for an origin --cors allows."""
        headers = {"Allow": ALLOWED_METHODS, "Content-Length": "0"}
        if self._cors().get("Access-Control-Allow-Origin"):
            headers |= {
                "Access-Control-Allow-Methods": "GET, HEAD, POST",
                "Access-Control-Allow-Headers": "Content-Type, Accept",
                "Access-Control-Max-Age": "600",
            }
        self._start(204, headers)

    def _body(self) -> bytes:
        """The request body, sent with a Content-Length or chunked; 413 past --max-request-bytes."""
        limit = self.server.settings.max_request_bytes
        coding = self.headers.get("Transfer-Encoding", "").strip().lower()
        if coding == "chunked":
            return self._chunked_body(limit)
        if coding:
            self.close_connection = True
            raise _Refused(501, f"unsupported Transfer-Encoding {coding}; send chunked or a Content-Length")
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > limit:
            self.close_connection = True
            self._discard(length)  # a client still sending its body would see a reset, not the 413
            raise _Refused(413, f"request body over {limit} bytes")
        return self.rfile.read(length)

    def _chunked_body(self, limit: int) -> bytes:
        """A body in chunks (each `size-in-hex CRLF data CRLF`, ended by a zero size and trailers).
        The connection closes after a bad or oversized one: what follows it cannot be found."""
        body = bytearray()
        while True:
            line = self.rfile.readline(1024)
            try:
                size = int(line.split(b";", 1)[0], 16)
            except ValueError:
                size = -1
            if size < 0 or len(body) + size > limit:
                self.close_connection = True
                if size < 0:
                    raise _Refused(400, "malformed chunked request body")
                raise _Refused(413, f"request body over {limit} bytes")
            if size == 0:
                break
            body += self.rfile.read(size)
            if len(body) < size or self.rfile.readline(3).strip():
                self.close_connection = True
                raise _Refused(400, "malformed chunked request body")
        while self.rfile.readline(8192).strip():  # trailer fields, which nothing here reads
            pass
        return bytes(body)

    def _discard(self, length: int) -> None:
        """Read and drop an oversized body, up to a bound, within what is left of the read timeout."""
        remaining = min(max(length, 0), DRAIN_LIMIT)
        try:
            while remaining > 0:
                chunk = self.rfile.read(min(remaining, 65536))
                if not chunk:
                    break
                remaining -= len(chunk)
        except OSError:
            pass

    def _refuse_update(self) -> None:
        raise _Refused(403, "this endpoint is read-only: updates are refused", {"Allow": ALLOWED_METHODS})

    def _query(self, sparql: str, params: dict[str, list[str]], html_page: bool) -> None:
        if len(sparql.encode("utf-8")) > self.server.settings.max_request_bytes:
            raise _Refused(413, "query too long")
        declared = with_prefixes(sparql)  # the project's prefixes need no PREFIX lines, as on the CLI
        job = QueryJob(
            declared,
            line_offset=declared.count("\n") - sparql.count("\n"),
            accept=self.headers.get("Accept", ""),
            formats=tuple(params.get("format", ())),
            page=html_page,
            base_iri=self.server.base_iri,
            **_dataset(params),
        )
        try:
            check_query(sparql)  # SERVICE, and nesting the engine's parser would overflow on
        except QueryError as exc:
            reply = Reply(400, "text/plain", _once(str(exc).encode()))
        else:
            reply = self.server.workers.run(job)
        if html_page:
            self._send_page(sparql, reply)
        else:
            self._respond(reply)

    def _send_page(self, sparql: str, reply: Reply) -> None:
        """The form with the answer (the worker's HTML, already cut to FORM_ROWS) or the error."""
        with closing(reply.chunks):
            try:
                status, body = reply.status, b"".join(reply.chunks).decode("utf-8")
            except QueryStopped as exc:
                status, body = exc.status, str(exc)
        page = _page(sparql, body, None) if status == 200 else _page(sparql, None, body)
        self._send(status, "text/html; charset=utf-8", page.encode("utf-8"), reply.headers)

    def _respond(self, reply: Reply) -> None:
        """Send a reply: with a length when it came in one piece, else chunked as the worker sends
        it. A failure part way cuts the connection, so the client never takes a partial answer for
        a whole one."""
        media = _charset(reply.media_type)
        streaming = False
        with closing(reply.chunks):
            try:
                if self.command == "HEAD":  # GET's headers, the length counted as the answer is read
                    length = str(sum(len(chunk) for chunk in reply.chunks))
                    headers = {"Content-Type": media, "Content-Length": length, **reply.headers}
                    self._start(reply.status, headers)
                    return
                first = list(itertools.islice(reply.chunks, 2))
                if len(first) < 2:
                    self._send(reply.status, media, b"".join(first), reply.headers)
                    return
                streaming = True
                self._stream(reply.status, media, itertools.chain(first, reply.chunks))
            except QueryStopped as exc:
                if streaming:
                    self.close_connection = True
                else:
                    self._send(exc.status, "text/plain", str(exc).encode())
            except (ConnectionError, TimeoutError):  # the client went away or stopped reading
                self.close_connection = True

    def _stream(self, status: int, media_type: str, chunks: Iterator[bytes]) -> None:
        """A body of unknown length: chunked for HTTP/1.1, else ended by closing the connection."""
        chunked = self.request_version == "HTTP/1.1"
        ending = {"Transfer-Encoding": "chunked"} if chunked else {"Connection": "close"}
        self._start(status, {"Content-Type": media_type, **ending})
        self.close_connection = self.close_connection or not chunked
        for chunk in chunks:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _send(self, status: int, media_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self._start(status, {"Content-Type": media_type, "Content-Length": str(len(body)), **(headers or {})})
        if self.command != "HEAD":
            self.wfile.write(body)

    def _start(self, status: int, headers: dict[str, str]) -> None:
        """The status line and headers, with CORS ones when --cors allows the request's origin."""
        self.send_response(status, HTTPStatus(status).phrase)
        for name, value in {**headers, **self._cors()}.items():
            self.send_header(name, value)
        self.end_headers()

    def _cors(self) -> dict[str, str]:
        """Access-Control-Allow-Origin only for origins --cors names: by default no other site's page
        can read an answer (the endpoint may serve data from the user's own machine)."""
        allowed = self.server.settings.cors
        if "*" in allowed:
            return {"Access-Control-Allow-Origin": "*"}
        if not allowed:
            return {}
        origin = self.headers.get("Origin", "")
        return {"Vary": "Origin"} | ({"Access-Control-Allow-Origin": origin} if origin in allowed else {})


class _Refused(Exception):
    """A request answered with an error status and one line before any query runs."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _charset(media_type: str) -> str:
    """A media type as sent: text types (and HTML) say they are UTF-8."""
    return media_type + ("; charset=utf-8" if media_type.startswith("text/") else "")


def _route(path: str) -> str | None:
    """The page a request path names (a trailing slash makes no difference), or None."""
    page = path.rstrip("/") or "/"
    return page if page in (*SPARQL_PATHS, "/", "/health") else None


def _parameters(text: str) -> dict[str, list[str]]:
    """Protocol parameters of a URL query string or form body, each with all its values in order."""
    try:
        return urllib.parse.parse_qs(text, errors="strict")
    except UnicodeDecodeError:
        raise _Refused(400, "the request's parameters are not UTF-8") from None


def _content_type(header: str) -> tuple[str, str | None]:
    """A Content-Type header's media type (lower case, "" if none) and its charset parameter."""
    media, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"')
    return media.strip().lower(), charset


def _text(body: bytes, charset: str | None) -> str:
    """A request body as text: the protocol's requests are UTF-8, so another charset is a 415 (it is
    not decoded as if it were UTF-8) and bytes that are not UTF-8 a 400."""
    if charset is not None:
        try:
            codec = codecs.lookup(charset).name
        except LookupError:
            raise _Refused(415, f"unknown charset {_clip(charset, 40)!r}; send UTF-8") from None
        if codec not in UTF8_NAMES:
            raise _Refused(415, f"charset {_clip(charset, 40)} refused: SPARQL protocol requests are UTF-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "the request body is not UTF-8") from None


def _dataset(params: dict[str, list[str]]) -> dict[str, tuple[str, ...] | None]:
    """default-graph-uri and named-graph-uri, as QueryJob's fields (None when not given); each must
    be an absolute IRI."""
    dataset: dict[str, tuple[str, ...] | None] = {}
    for parameter, field_name in DATASET_PARAMETERS.items():
        values = params.get(parameter)
        for iri in values or ():
            try:
                ox.NamedNode(iri)
            except ValueError:
                raise _Refused(400, f"{parameter} {_clip(iri, 100)!r} is not an IRI") from None
        dataset[field_name] = tuple(values) if values is not None else None
    return dataset


class _DeadlineReader(io.RawIOBase):
    """A connection's reads, each allowed only what is left of the request's time budget: a
    per-read timeout alone lets a client sending a byte a second hold a connection forever."""

    def __init__(self, connection: socket.socket, budget: float) -> None:
        self._connection = connection
        self._budget = budget
        self._deadline = time.monotonic() + budget

    def restart(self) -> None:
        """A new request (or the wait for one) gets the whole budget."""
        self._deadline = time.monotonic() + self._budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("the request was not sent within the server's --read-timeout")
        self._connection.settimeout(remaining)
        try:
            return self._connection.recv_into(buffer)
        finally:
            self._connection.settimeout(self._budget)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # the default of 5 resets clients when many connect at once

    def __init__(self, settings: ServerSettings, verbose: bool) -> None:
        self.settings = settings
        self.verbose = verbose
        self._slots = threading.BoundedSemaphore(settings.max_connections)
        self.workers = QueryWorkers(settings)
        try:
            super().__init__((settings.host, settings.port), _Handler)
        except OSError as exc:
            self.workers.close()
            raise StoreError(f"cannot listen on {settings.host}:{settings.port}: {exc.strerror}") from None
        host, port = self.server_address[:2]
        self.base_iri = f"http://{host}:{port}/sparql"  # what relative IRIs in a query resolve against

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread for the connection if it is within --max-connections, else a 503 at once."""
        if not self._slots.acquire(blocking=False):
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def _turn_away(self, request: socket.socket) -> None:
        """Answer a connection over the cap from the accepting thread, without waiting for it. What
        the client has sent already is dropped first: closing on unread bytes would reset the
        connection and lose the 503."""
        body = f"over {self.settings.max_connections} open connections; retry shortly".encode()
        head = (
            f"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: {len(body)}\r\n"
            f"Retry-After: {RETRY_AFTER}\r\nConnection: close\r\n\r\n"
        )
        with suppress(OSError):
            request.setblocking(False)
            request.recv(65536)
        request.settimeout(1)
        with suppress(OSError):
            request.sendall(head.encode() + body)
        self.shutdown_request(request)

    def server_close(self) -> None:
        super().server_close()
        self.workers.close()


def _page(sparql: str, results: str | None, error: str | None = None) -> str:
    """The HTML form, with the results (HTML from `_results_html`) or the error under it; no
    scripts, works offline."""
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
        table = results
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>govgraph SPARQL</title>
<style>body{{font:15px system-ui,sans-serif;margin:2em;max-width:80em}}
textarea{{width:100%;font:14px monospace}}table{{border-collapse:collapse;margin-top:1em}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}
th{{background:#eef}}.error{{color:#a00;white-space:pre-wrap}}pre{{white-space:pre-wrap}}</style></head>
<body><h1>govgraph SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over every document's graph. Programs use <code>/sparql</code>.</p>
<form method="post" action="/"><textarea name="query" rows="12">{html.escape(example)}</textarea>
<p><button type="submit">Run query</button></p></form>{table}</body></html>"""


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
    EmbeddedStore(settings.store, read_only=True).close()  # a missing or unreadable store: one clear line
    return _Server(settings, verbose)
