"""`govgraph serve` under hostile or heavy use: SERVICE, CORS, memory, huge answers, slow and idle clients.

Every socket here is on 127.0.0.1, every wait is bounded, and each test that changes a limit starts its
own small server.
"""

from __future__ import annotations

import html
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pyoxigraph as ox
import pytest

import govgraph
from govgraph.server import MIB, ServerSettings, memory_size, running_server

from .servers import Listener, free_port
from .test_sparql_syntax import SERVICE_FORMS

COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/govgraph/ontology#Speech> }"
COUNT_PATH = f"sparql?{urllib.parse.urlencode({'query': COUNT})}"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NUMBERS = " ".join(str(i) for i in range(1, 1001))
MILLION_ROWS = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {NUMBERS} }} VALUES ?b {{ {NUMBERS} }} }}"
DOUBLING = "SELECT (STRLEN(?v30) AS ?n) WHERE { BIND(\"x\" AS ?v0) " + " ".join(
    f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(30)
) + " }"


@contextmanager
def serving(store: Path, **limits) -> Iterator[str]:
    """A server on a free port with these limits; yields its root URL."""
    settings = ServerSettings(store, port=0, **{"timeout": 5.0, "workers": 1, **limits})
    with running_server(settings) as url:
        yield url.removesuffix("sparql")


@pytest.fixture(scope="module")
def root(demo_store) -> Iterator[str]:
    with serving(demo_store, workers=2, max_memory=300 * MIB) as url:
        yield url


def _request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _post(url: str, query: str) -> tuple[int, dict[str, str], bytes]:
    return _request(url, query.encode(), {"Content-Type": "application/sparql-query"})


def _form(url: str, query: str) -> tuple[int, dict[str, str], bytes]:
    data = urllib.parse.urlencode({"query": query}).encode()
    return _request(url, data, {"Content-Type": "application/x-www-form-urlencoded"})


@pytest.fixture
def listener() -> Iterator[Listener]:
    with closing(Listener()) as listening:
        yield listening


def test_service_is_refused_on_every_route_and_the_named_host_is_never_contacted(root, listener):
    escaped = listener.url.replace("http", "\\u0068ttp", 1)
    disguises = [*SERVICE_FORMS, "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }".replace("{url}", escaped)]
    for disguise in disguises:
        query = disguise.replace("{url}", listener.url)
        answers = [
            _request(f"{root}sparql?{urllib.parse.urlencode({'query': query})}"),
            _form(f"{root}sparql", query),
            _post(f"{root}sparql", query),
            _form(root, query),
            _request(f"{root}?{urllib.parse.urlencode({'query': query})}"),
        ]
        for status, _headers, body in answers:
            assert status == 400 and b"SERVICE clauses are refused" in body, (query, status, body[:200])
    assert not listener.contacted.is_set()
    # the listener does see an engine that is let through, so the test would notice a leak
    ox.Store().query(f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.contacted.wait(5)


def test_service_only_in_a_string_or_a_comment_is_answered(root):
    query = 'SELECT ("SERVICE <http://127.0.0.1:9/>" AS ?x) WHERE {} # SERVICE <http://127.0.0.1:9/> { }'
    status, _, body = _post(f"{root}sparql", query)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"].startswith("SERVICE")


def test_deep_nesting_is_a_one_line_400_and_the_workers_stay_up(root):
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    status, _, body = _post(f"{root}sparql", query)
    assert status == 400 and b"\n" not in body.strip() and len(body) < 300
    assert govgraph.query(COUNT, endpoint=f"{root}sparql").records() == [{"n": 15}]


def test_no_cross_origin_reads_by_default(root):
    status, headers, _ = _request(root + COUNT_PATH, headers={"Origin": "https://evil.example"})
    assert status == 200 and "Access-Control-Allow-Origin" not in headers
    status, headers, _ = _request(f"{root}sparql", method="OPTIONS", headers={"Origin": "https://evil.example"})
    assert status == 204 and "Access-Control-Allow-Origin" not in headers


def test_cors_for_named_origins_and_for_any(demo_store):
    with serving(demo_store, cors=("https://app.example",)) as url:
        _, allowed, _ = _request(url + COUNT_PATH, headers={"Origin": "https://app.example"})
        _, other, _ = _request(url + COUNT_PATH, headers={"Origin": "https://evil.example"})
        status, preflight, _ = _request(
            f"{url}sparql",
            method="OPTIONS",
            headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
        )
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example" and allowed["Vary"] == "Origin"
    assert "Access-Control-Allow-Origin" not in other
    assert status == 204 and preflight["Access-Control-Allow-Origin"] == "https://app.example"
    assert "POST" in preflight["Access-Control-Allow-Methods"]
    assert "Content-Type" in preflight["Access-Control-Allow-Headers"]
    with serving(demo_store, cors=("*",)) as url:
        _, anyone, _ = _request(url + COUNT_PATH, headers={"Origin": "https://evil.example"})
    assert anyone["Access-Control-Allow-Origin"] == "*"


def test_a_query_past_the_memory_limit_is_a_503_and_the_next_one_runs(root):
    started = time.monotonic()
    status, _, body = _post(f"{root}sparql", DOUBLING)
    assert status == 503 and body == b"query stopped: it needed more than 300 MiB (the server's --max-memory)"
    assert time.monotonic() - started < 20
    assert govgraph.query(COUNT, endpoint=f"{root}sparql").records() == [{"n": 15}]


def test_the_form_shows_the_first_rows_of_a_million_quickly(root):
    started = time.monotonic()
    status, _, page = _form(root, MILLION_ROWS)
    assert time.monotonic() - started < 5
    assert status == 200 and b"showing the first 1,000 rows; use /sparql for all" in page
    assert page.count(b"<tr>") == 1001 and len(page) < 200_000


def test_the_form_shows_construct_and_describe_as_turtle(root):
    status, _, page = _form(root, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert status == 200 and b"showing the first 1,000 triples; use /sparql for all" in page
    turtle = html.unescape(page.decode().split("<pre>")[1].split("</pre>")[0]).encode()
    assert 0 < len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) <= 1000
    describe = "DESCRIBE ?s WHERE { ?s a <https://w3id.org/govgraph/ontology#Speech> } LIMIT 1"
    status, _, page = _form(root, describe)
    assert status == 200 and b"<pre>" in page and b"gg:Speech" in page and b"triples</p>" in page


def test_big_answers_stream_in_chunks_and_whole(root):
    hundred = " ".join(map(str, range(100)))
    query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {hundred} }} VALUES ?b {{ {NUMBERS} }} }}"
    status, headers, body = _post(f"{root}sparql", query)
    assert status == 200 and headers.get("Transfer-Encoding") == "chunked"
    assert len(json.loads(body)["results"]["bindings"]) == 100_000
    with socket.create_connection(("127.0.0.1", int(root.split(":")[2].rstrip("/"))), timeout=30) as client:
        client.sendall(f"GET /{COUNT_PATH} HTTP/1.0\r\nAccept: text/csv\r\n\r\n".encode())
        reply = b"".join(iter(lambda: client.recv(65536), b""))
    assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"n\r\n15\r\n")


def test_an_answer_that_outlasts_the_timeout_is_cut_off(demo_store):
    with serving(demo_store, timeout=3.0) as url:
        assert _post(f"{url}sparql", COUNT)[0] == 200  # the worker has opened the store
        host, port = url.split("/")[2].split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        connection.request("POST", "/sparql", MILLION_ROWS, {"Content-Type": "application/sparql-query"})
        response = connection.getresponse()
        assert response.status == 200 and response.read(100_000)
        time.sleep(3.5)  # past the timeout while the worker waits for the client to read
        with pytest.raises((http.client.IncompleteRead, ConnectionError)):
            response.read()
        connection.close()
        assert govgraph.query(COUNT, endpoint=f"{url}sparql").records() == [{"n": 15}]


def test_a_slow_client_is_cut_off_after_the_read_timeout(demo_store):
    with serving(demo_store, read_timeout=1.0) as url:
        port = int(url.split(":")[2].rstrip("/"))
        with socket.create_connection(("127.0.0.1", port), timeout=5) as client:
            started = time.monotonic()
            closed_after = None
            for byte in b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\n":  # one byte per 0.25 s
                try:
                    client.sendall(bytes([byte]))
                    time.sleep(0.25)
                    client.setblocking(False)
                    try:
                        if client.recv(1) == b"":
                            closed_after = time.monotonic() - started
                            break
                    except BlockingIOError:
                        pass
                    finally:
                        client.setblocking(True)
                except ConnectionError:
                    closed_after = time.monotonic() - started
                    break
        assert closed_after is not None and closed_after < 3
        # an idle keep-alive connection is closed after the same time
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("GET", f"/{COUNT_PATH}")
        assert connection.getresponse().read()
        connection.sock.settimeout(5)
        started = time.monotonic()
        assert connection.sock.recv(1) == b"" and time.monotonic() - started < 3
        connection.close()


def test_connections_over_the_cap_get_a_503_at_once(demo_store):
    with serving(demo_store, max_connections=4, read_timeout=30) as url:
        port = int(url.split(":")[2].rstrip("/"))
        idle = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(4)]
        extra = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(10)]
        try:
            for client in extra:
                reply = b"".join(iter(lambda client=client: client.recv(4096), b""))
                assert reply.startswith(b"HTTP/1.1 503") and b"Retry-After: 1" in reply
        finally:
            for client in idle + extra:
                client.close()
        deadline = time.monotonic() + 10
        while True:  # the idle connections' threads let go of their slots as they see the close
            status, _, body = _request(f"{url}{COUNT_PATH}")
            if status == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "15"


def test_a_query_waits_for_a_worker_only_as_long_as_the_queue_timeout(demo_store):
    with serving(demo_store, workers=1, timeout=3.0, queue_timeout=0.5) as url:
        slow = threading.Thread(target=_post, args=(f"{url}sparql", RUNAWAY), daemon=True)
        slow.start()
        time.sleep(1.0)  # the only worker is now busy with the slow query, for two more seconds
        started = time.monotonic()
        status, headers, body = _post(f"{url}sparql", COUNT)
        waited = time.monotonic() - started
        slow.join(timeout=20)
        assert status == 503 and headers["Retry-After"] == "1" and b"busy" in body
        assert 0.4 < waited < 2
        assert govgraph.query(COUNT, endpoint=f"{url}sparql").records() == [{"n": 15}]


def test_memory_sizes():
    assert memory_size("2048") == 2048 * MIB
    assert memory_size("512M") == memory_size("512MiB") == 512 * MIB
    assert memory_size("1.5g") == 1536 * MIB
    for bad in ("lots", "2048b", "-5", "64M"):
        with pytest.raises(ValueError):
            memory_size(bad)


def test_the_server_process_stays_small_on_a_million_rows(demo_store):
    port = free_port()
    command = [sys.executable, "-m", "govgraph", "serve", "--store", str(demo_store), "--port", str(port),
               "--workers", "1", "--max-memory", "1G"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 30
        while _health(url) != 200:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.2)
        assert _post(f"{url}sparql", COUNT)[0] == 200  # the worker has opened the store
        started = time.monotonic()
        status, _, page = _form(url, MILLION_ROWS)
        assert status == 200 and b"showing the first 1,000 rows" in page and time.monotonic() - started < 5
        request = urllib.request.Request(f"{url}sparql", MILLION_ROWS.encode(),
                                         {"Content-Type": "application/sparql-query", "Accept": "text/csv"})
        with urllib.request.urlopen(request, timeout=60) as response:
            size = sum(len(chunk) for chunk in iter(lambda: response.read(1 << 20), b""))
        assert size > 8_000_000  # a million "a,b" lines
        assert _peak_rss(process.pid) < 250 * MIB
    finally:
        process.terminate()
        process.wait(timeout=10)


def _health(url: str) -> int | None:
    try:
        return _request(f"{url}health")[0]
    except OSError:
        return None


def _peak_rss(pid: int) -> int:
    """A process's peak resident memory in bytes, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmHWM")
