"""`govgraph serve`: a real HTTP endpoint that SPARQLWrapper and `govgraph query --endpoint` can use."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from click.testing import CliRunner
from SPARQLWrapper import CSV, JSON, SPARQLWrapper

import govgraph
from govgraph.cli import cli
from govgraph.server import ServerSettings, negotiate, running_server

from .servers import free_port

COUNT = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/govgraph/ontology#Speech> }"
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def endpoint(demo_store):
    settings = ServerSettings(demo_store, port=0, timeout=2.0, workers=2, max_request_bytes=20_000)
    with running_server(settings) as url:
        yield url


def _request(
    url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None
) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


def test_sparqlwrapper_gets_json_and_csv(endpoint):
    client = SPARQLWrapper(endpoint)
    client.setQuery(COUNT)
    client.setReturnFormat(JSON)
    assert client.query().convert()["results"]["bindings"][0]["n"]["value"] == "15"
    client.setReturnFormat(CSV)
    assert client.query().convert().decode().splitlines() == ["n", "15"]


def test_named_queries_over_http_match_the_embedded_store(endpoint, demo_store):
    for name in ("speech-timeline", "speeches-by-speaker"):
        query = govgraph.library()[name]
        local = govgraph.query(query, query.example, store=demo_store)
        remote = govgraph.query(query, query.example, endpoint=endpoint)
        assert remote.rows == local.rows and remote.variables == local.variables


def test_cli_query_against_the_endpoint(endpoint):
    result = CliRunner().invoke(cli, ["query", COUNT, "--endpoint", endpoint, "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["results"]["bindings"][0]["n"]["value"] == "15"


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.5, application/sparql-results+json", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_content_negotiation(endpoint, accept, media):
    status, content_type, _ = _request(
        f"{endpoint}?{urllib.parse.urlencode({'query': COUNT})}", headers={"Accept": accept}
    )
    assert status == 200 and content_type.startswith(media)


def test_the_dataset_asked_for_is_the_dataset_queried(endpoint):
    """On the project's store (its default graph the union of every document's graph): one document's
    graph as default-graph-uri or FROM holds one speech; named only, it leaves the default graph empty."""
    [graph] = govgraph.query(
        "SELECT ?g WHERE { GRAPH ?g { ?s a <https://w3id.org/govgraph/ontology#Speech> } } LIMIT 1",
        endpoint=endpoint,
    ).records()
    document = str(graph["g"])
    asked = {
        "the whole store": ({}, COUNT, 15),
        "default-graph-uri": ({"default-graph-uri": document}, COUNT, 1),
        "named-graph-uri": ({"named-graph-uri": document}, COUNT, 0),
        "FROM": ({}, COUNT.replace(" WHERE", f" FROM <{document}> WHERE"), 1),
    }
    for name, (dataset, query, expected) in asked.items():
        status, _, body = _request(f"{endpoint}?{urllib.parse.urlencode({'query': query, **dataset})}")
        assert status == 200, body
        assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(expected), name


def test_graph_results_in_turtle_by_default(endpoint):
    construct = "CONSTRUCT { ?s a <urn:x> } WHERE { ?s a <https://w3id.org/govgraph/ontology#Speech> }"
    status, content_type, body = _request(
        endpoint, data=construct.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 200 and content_type.startswith("text/turtle") and body.count(b"urn:x") == 15


def test_malformed_query_is_a_400_with_line_and_column(endpoint):
    status, _, body = _request(f"{endpoint}?{urllib.parse.urlencode({'query': 'SELECT ?x WHERE { ?x ?y }'})}")
    assert status == 400 and b"malformed query at line 1, column 25:" in body and b"Traceback" not in body


@pytest.mark.parametrize(
    "request_args",
    [
        {"data": b"update=DROP+ALL", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
        {"data": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {
            "data": b"<a:b> <a:b> <a:b> .",
            "headers": {"Content-Type": "application/n-triples"},
            "method": "PUT",
        },
    ],
)
def test_updates_are_refused_and_change_nothing(endpoint, request_args):
    status, _, body = _request(endpoint, **request_args)
    assert status == 403 and b"read-only" in body
    assert govgraph.query(COUNT, endpoint=endpoint).records() == [{"n": 15}]


def test_oversized_requests_are_refused(endpoint):
    status, _, _ = _request(
        endpoint,
        data=b"query=" + b"x" * 30_000,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 413


def test_runaway_query_is_stopped_and_the_server_stays_up(endpoint):
    started = time.monotonic()
    status, _, body = _request(
        endpoint, data=RUNAWAY.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert status == 504 and b"stopped after 2 s" in body
    assert time.monotonic() - started < 20
    assert govgraph.query(COUNT, endpoint=endpoint).records() == [{"n": 15}]


def test_the_query_page_shows_a_table(endpoint):
    root = endpoint.rsplit("/", 1)[0] + "/"
    status, content_type, page = _request(root)
    assert status == 200 and content_type.startswith("text/html") and b"<textarea" in page
    status, _, page = _request(
        root,
        data=urllib.parse.urlencode({"query": COUNT}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 200 and b"<td>15</td>" in page


def test_negotiate_prefers_quality_then_order():
    offered = {"a/json": 1, "text/csv": 2}
    assert negotiate("text/csv;q=0.9, a/json", offered) == "a/json"
    assert negotiate("", offered) == "a/json"
    assert negotiate("text/csv", offered) == "text/csv"


def test_serve_command_runs_as_a_process(demo_store):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "govgraph", "serve", "--store", str(demo_store), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}/sparql"
        deadline = time.monotonic() + 30
        while True:
            try:
                assert govgraph.query(COUNT, endpoint=govgraph.RemoteEndpoint(url, retries=1)).records() == [
                    {"n": 15}
                ]
                break
            except govgraph.GovGraphError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_without_a_store_is_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--store", str(tmp_path / "none")])
    assert result.exit_code == 1 and result.output.startswith("Error: no store at")


def test_serve_explains_its_limits_and_refuses_a_bad_memory_size(demo_store):
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    for option in ("--cors", "--max-memory", "--max-connections", "--read-timeout", "--queue-timeout"):
        assert option in help_text
    result = CliRunner().invoke(cli, ["serve", "--store", str(demo_store), "--max-memory", "lots"])
    assert result.exit_code == 2 and "'lots' is not a size" in result.output
