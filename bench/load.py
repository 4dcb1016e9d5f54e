"""Many clients at once against `govgraph serve`, with a few hostile requests mixed in.

    python bench/load.py [--clients 20] [--seconds 30] [--store DIR] [--timeout 2] [--workers 2]

The server runs as its own process (`python -m govgraph serve`), exactly as a user starts it, so
the clients (threads here) and the server never share a GIL. Every named query is sent with its
example parameters, GET and POST in turn, asking for JSON, CSV and XML in turn, and every answer
must equal the one the idle server gave before the run. One request in 50 is hostile: an update
(403), a body over --max-request-bytes (413), a malformed query (400) or a runaway query (504).
The script reports; it exits 1 only when the server died.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import govgraph
from govgraph.queries import bind

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
ACCEPTS = ("application/sparql-results+json", "text/csv", "application/sparql-results+xml")
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MALFORMED = "SELECT ?x WHERE { ?x ?y }"
HOSTILE_EVERY = 50  # one request in 50 (2%) is hostile
HOSTILE = ("update", "oversized", "malformed", "runaway")
EXPECTED = {"query": 200, "update": 403, "oversized": 413, "malformed": 400, "runaway": 504}
LABELS = {
    "query": "named queries",
    "update": "update",
    "oversized": "oversized body",
    "malformed": "malformed query",
    "runaway": "runaway query",
}
MAX_REQUEST_BYTES = 64_000
CLIENT_TIMEOUT = 120.0
STARTUP_TIMEOUT = 60.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy


@dataclass(frozen=True)
class Request:
    """One request to send and what the server must answer: the status, and for 200 the media type."""

    kind: str
    label: str
    method: str
    target: str
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    accept: str = ""

    @property
    def expect(self) -> int:
        """The one status this kind of request should get."""
        return EXPECTED[self.kind]


@dataclass
class Tally:
    """One client's counts, merged after the run so the clients never wait on a shared lock."""

    sent: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    runaway_seconds: list[float] = field(default_factory=list)
    retried: int = 0  # queries the server shed with 503 and the client sent again

    def fail(self, reason: str, detail: str) -> None:
        """Count a failure by reason, keeping a few examples to print."""
        self.failures[reason] += 1
        if len(self.examples) < 5:
            self.examples.append(detail)

    def merge(self, other: Tally) -> None:
        """Add another client's counts to these."""
        self.sent.update(other.sent)
        self.statuses.update(other.statuses)
        self.failures.update(other.failures)
        self.examples.extend(other.examples[: max(0, 5 - len(self.examples))])
        self.latencies.extend(other.latencies)
        self.retried += other.retried
        self.runaway_seconds.extend(other.runaway_seconds)


@dataclass
class LoadReport:
    """What a run measured; `failed` and `server_ok` are what a caller checks."""

    clients: int
    seconds: float
    timeout: float
    workers: int
    max_request_bytes: int
    tally: Tally
    server_alive: bool = False
    server_answers: bool = False
    server_tracebacks: int = 0
    server_log_tail: str = ""

    @property
    def served(self) -> int:
        """Requests that got an HTTP answer, whatever its status."""
        return sum(self.tally.statuses.values())

    @property
    def failed(self) -> int:
        """Requests that failed for any reason."""
        return sum(self.tally.failures.values())

    @property
    def server_ok(self) -> bool:
        """The server outlived the run and still answered."""
        return self.server_alive and self.server_answers

    def seen(self, kind: str) -> int:
        """How many requests of this kind got the status they should."""
        return self.tally.statuses[(kind, EXPECTED[kind])]


# ---------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------


def build_demo_store(path: Path) -> Path:
    """The bundled data/ built with related speeches, as the tests' demo store, so every query has rows."""
    with govgraph.EmbeddedStore(path) as store:
        govgraph.build([DATA], store)
        govgraph.materialise_related(store)
    return path


@contextmanager
def serving(store: Path, timeout: float, workers: int, max_request_bytes: int,
            log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`govgraph serve` on a free port in its own process group; yields it and its base URL."""
    command = [sys.executable, "-m", "govgraph", "serve", "--store", str(store), "--host", "127.0.0.1",
               "--port", "0", "--timeout", str(timeout), "--workers", str(workers),
               "--max-request-bytes", str(max_request_bytes)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True)
    try:
        yield process, _wait_until_serving(process, log)
    finally:
        stop_server(process)


def _wait_until_serving(process: subprocess.Popen[bytes], log: Path) -> str:
    """The base URL once the server has said where it listens and answers a query (port 0 never clashes)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    base = None
    while time.monotonic() < deadline and process.poll() is None:
        if base is None:
            found = re.search(r"at (http://[\d.]+:\d+)/sparql", log.read_text(errors="replace"))
            base = found.group(1) if found else None
        if base is not None:
            try:
                if send(base, Request("query", "probe", "GET", _get_target("ASK {}")))[0] == 200:
                    return base
            except (OSError, http.client.HTTPException):
                pass
        time.sleep(0.1)
    raise RuntimeError(f"govgraph serve did not start:\n{_tail(log)}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """Ctrl-C first (the server stops its workers), then kill whatever of its group is left."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _tail(log: Path, lines: int = 15) -> str:
    """The end of the server's log, to show why it failed."""
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


# ---------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------


def named_queries() -> list[tuple[str, str]]:
    """(name, bound SPARQL) for every library query, with its example parameters."""
    return [(name, bind(q.text, q.bindings(q.example))) for name, q in sorted(govgraph.library().items())]


def _get_target(sparql: str) -> str:
    """The GET path for a query."""
    return "/sparql?" + urllib.parse.urlencode({"query": sparql})


def query_request(name: str, sparql: str, method: str, accept: str) -> Request:
    """A SPARQL 1.1 Protocol query: GET ?query=, POST form, or POST application/sparql-query."""
    headers = {"Accept": accept}
    if method == "GET":
        return Request("query", name, "GET", _get_target(sparql), headers=headers, accept=accept)
    if method == "POST-form":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urllib.parse.urlencode({"query": sparql}).encode()
    else:
        headers["Content-Type"] = "application/sparql-query"
        body = sparql.encode()
    return Request("query", name, "POST", "/sparql", body, headers, accept)


def hostile_request(kind: str, turn: int, max_request_bytes: int) -> Request:
    """A request the server must refuse (or stop), in a few shapes that take different code paths."""
    if kind == "update":
        shapes = [
            Request(kind, "POST form update", "POST", "/sparql", b"update=DROP+ALL",
                    {"Content-Type": "application/x-www-form-urlencoded"}),
            Request(kind, "POST sparql-update", "POST", "/sparql", b"DROP ALL",
                    {"Content-Type": "application/sparql-update"}),
            Request(kind, "GET ?update=", "GET", "/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"})),
        ]
        return shapes[turn % len(shapes)]
    if kind == "oversized":
        body = b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * max_request_bytes
        return Request(kind, "oversized body", "POST", "/sparql", body,
                       {"Content-Type": "application/sparql-query"})
    if kind == "malformed":
        if turn % 2:
            return Request(kind, "malformed POST", "POST", "/sparql", MALFORMED.encode(),
                           {"Content-Type": "application/sparql-query"})
        return Request(kind, "malformed GET", "GET", _get_target(MALFORMED))
    return Request(kind, "runaway", "POST", "/sparql", RUNAWAY.encode(),
                   {"Content-Type": "application/sparql-query"})


class Schedule:
    """The shared sequence of requests: every query, method and format in turn; every 50th hostile.

    At most one runaway query is in flight at a time (it holds a worker for the whole timeout), so
    the run measures queries next to a runaway rather than a server made only of runaways.
    """

    METHODS = ("GET", "POST-form", "GET", "POST-query")

    def __init__(self, queries: Sequence[tuple[str, str]], max_request_bytes: int) -> None:
        self.queries = queries
        self.max_request_bytes = max_request_bytes
        self._counter = itertools.count()
        self._hostile_turn = itertools.count()
        self._lock = threading.Lock()
        self._runaway_busy = False

    def next(self) -> Request:
        """The next request to send (thread-safe)."""
        with self._lock:
            n = next(self._counter)
            if n % HOSTILE_EVERY == HOSTILE_EVERY // 2:
                turn = next(self._hostile_turn)
                kind = HOSTILE[turn % len(HOSTILE)]
                if kind == "runaway" and self._runaway_busy:
                    kind = HOSTILE[(turn + 1) % len(HOSTILE)]
                self._runaway_busy |= kind == "runaway"
                return hostile_request(kind, turn, self.max_request_bytes)
        name, sparql = self.queries[n % len(self.queries)]
        return query_request(name, sparql, self.METHODS[n % len(self.METHODS)], ACCEPTS[n % len(ACCEPTS)])

    def done(self, request: Request) -> None:
        """A request has its answer; a runaway frees its slot."""
        if request.kind == "runaway":
            with self._lock:
                self._runaway_busy = False


def send(base: str, request: Request) -> tuple[int, str, bytes]:
    """(status, Content-Type, body); a new connection each time (urllib sends Connection: close)."""
    prepared = urllib.request.Request(base + request.target, data=request.body,
                                      headers=dict(request.headers), method=request.method)
    try:
        with _OPENER.open(prepared, timeout=CLIENT_TIMEOUT) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def reference_answers(base: str, queries: Sequence[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """Each query's answer in each format from the idle server, which answers under load must equal."""
    answers = {}
    for name, sparql in queries:
        for accept in ACCEPTS:
            status, _media, body = send(base, query_request(name, sparql, "GET", accept))
            if status != 200:
                raise RuntimeError(f"{name} fails on the idle server: {status} {body[:200]!r}")
            answers[(name, accept)] = body
    return answers


def check(request: Request, status: int, media: str, body: bytes,
          answers: Mapping[tuple[str, str], bytes], tally: Tally) -> None:
    """Count the answer, and a failure if the status, media type or rows are not what they should be."""
    tally.statuses[(request.kind, status)] += 1
    if status != request.expect:
        tally.fail("wrong status", f"{request.label}: expected {request.expect}, got {status} {body[:120]!r}")
    elif request.kind == "query" and not media.startswith(request.accept):
        tally.fail("wrong format", f"{request.label}: asked for {request.accept}, got {media}")
    elif request.kind == "query" and body != answers[(request.label, request.accept)]:
        tally.fail("wrong answer", f"{request.label} ({request.accept}): differs from the idle answer")


SHED_RETRIES = (0.25, 0.5, 1.0, 2.0)  # pauses before sending a shed query again, as a polite client does


def client(base: str, schedule: Schedule, deadline: float, answers: Mapping[tuple[str, str], bytes],
           tally: Tally) -> None:
    """Send requests one after another until the deadline, checking every answer."""
    while time.monotonic() < deadline:
        request = schedule.next()
        tally.sent[request.kind] += 1
        started = time.monotonic()
        try:
            status, media, body = send(base, request)
            for wait in SHED_RETRIES if request.expect == 200 else ():
                if status != 503:  # "all query workers are busy; retry shortly": a client waits and retries
                    break
                tally.statuses[(request.kind, 503)] += 1
                tally.retried += 1
                time.sleep(wait)
                status, media, body = send(base, request)
        except (OSError, http.client.HTTPException) as exc:
            tally.fail("connection error", f"{request.label}: {type(exc).__name__}: {exc}")
            continue
        finally:
            schedule.done(request)
        elapsed = time.monotonic() - started
        if request.kind == "query":
            tally.latencies.append(elapsed)
        elif request.kind == "runaway":
            tally.runaway_seconds.append(elapsed)
        check(request, status, media, body, answers, tally)


def run_clients(base: str, clients: int, seconds: float, max_request_bytes: int) -> tuple[Tally, float]:
    """Run the clients against a serving endpoint; the merged tally and the seconds it took."""
    queries = named_queries()
    answers = reference_answers(base, queries)
    schedule = Schedule(queries, max_request_bytes)
    tallies = [Tally() for _ in range(clients)]
    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(base, schedule, started + seconds, answers, t))
               for t in tallies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    merged = Tally()
    for tally in tallies:
        merged.merge(tally)
    return merged, elapsed


def server_answers(base: str) -> bool:
    """The server still gives a right answer to a plain query."""
    try:
        status, _media, body = send(base, Request("query", "probe", "GET", _get_target("ASK { ?s ?p ?o }")))
    except (OSError, http.client.HTTPException):
        return False
    return status == 200 and b"true" in body


def run_load(store: Path | None = None, clients: int = 20, seconds: float = 30.0, timeout: float = 2.0,
             workers: int = 2, max_request_bytes: int = MAX_REQUEST_BYTES) -> LoadReport:
    """Start a server over the store (the bundled data when None), load it, check it survived, stop it."""
    with tempfile.TemporaryDirectory(prefix="govgraph-load-") as scratch:
        if store is None:
            store = build_demo_store(Path(scratch) / "store")
        log = Path(scratch) / "serve.log"
        with serving(store, timeout, workers, max_request_bytes, log) as (process, base):
            tally, elapsed = run_clients(base, clients, seconds, max_request_bytes)
            report = LoadReport(clients, elapsed, timeout, workers, max_request_bytes, tally)
            report.server_alive = process.poll() is None
            report.server_answers = report.server_alive and server_answers(base)
        text = log.read_text(errors="replace")
        report.server_tracebacks = text.count("Traceback")
        report.server_log_tail = _tail(log) if not report.server_ok or report.server_tracebacks else ""
    return report


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    """Seconds as whole milliseconds, the unit latencies read best in."""
    return f"{seconds * 1000:,.0f} ms"


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def format_report(report: LoadReport) -> str:
    """The run as a small table: requests by kind with the statuses they got, latency, throughput."""
    tally = report.tally
    lines = [
        f"load: {report.clients} clients for {report.seconds:.1f} s against govgraph serve "
        f"({report.workers} workers, --timeout {report.timeout:g} s, "
        f"--max-request-bytes {report.max_request_bytes:,})",
        f"  {'request':<16} {'sent':>7} {'expect':>7}  {'statuses got':<28}",
    ]
    for kind in EXPECTED:
        got = sorted((status, n) for (k, status), n in tally.statuses.items() if k == kind)
        statuses = ", ".join(f"{status} x{n:,}" for status, n in got) or "-"
        lines.append(f"  {LABELS[kind]:<16} {tally.sent[kind]:>7,} {EXPECTED[kind]:>7}  {statuses:<28}")
    lines.append(f"  {'total':<16} {sum(tally.sent.values()):>7,}")
    failures = ", ".join(f"{reason} {n:,}" for reason, n in sorted(tally.failures.items())) or "none"
    lat = tally.latencies
    runaway = f"median {statistics.median(tally.runaway_seconds):.2f} s" if tally.runaway_seconds else "-"
    lines += [
        f"  requests served      {report.served:,} ({report.served / report.seconds:,.1f} req/s)",
        f"  shed and retried     {report.tally.retried:,} (503 'retry shortly', sent again after a pause)",
        f"  failed               {report.failed:,} ({failures})",
        f"  query latency        p50 {_ms(percentile(lat, 0.50))}, p95 {_ms(percentile(lat, 0.95))}, "
        f"p99 {_ms(percentile(lat, 0.99))}, max {_ms(max(lat, default=0.0))} ({len(lat):,} queries)",
        f"  runaway answered in  {runaway}",
        f"  server afterwards    {'alive' if report.server_alive else 'DEAD'}, "
        f"{'answers' if report.server_answers else 'does NOT answer'}; "
        f"{report.server_tracebacks} traceback(s) in its log",
    ]
    lines += [f"    e.g. {example}" for example in tally.examples]
    if report.server_log_tail:
        lines += ["  server log tail:", *(f"    {line}" for line in report.server_log_tail.splitlines())]
    return "\n".join(line.rstrip() for line in lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the load and print the table; exit 1 only when the server died or stopped answering."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clients send (30)")
    parser.add_argument("--store", type=Path, help="store to serve (default: data/ built into a temp store)")
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's --timeout in seconds (2)")
    parser.add_argument("--workers", type=int, default=2, help="the server's --workers (2)")
    args = parser.parse_args(argv)
    report = run_load(args.store, args.clients, args.seconds, args.timeout, args.workers)
    print(format_report(report))
    return 0 if report.server_ok else 1


if __name__ == "__main__":
    sys.exit(main())
