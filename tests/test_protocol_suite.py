"""The W3C SPARQL 1.1 Protocol test suite (../shared/conformance/sparql11-protocol) against `govgraph serve`.

A real `govgraph serve` process answers every test of the manifest, on two stores holding the suite's
data (each file as the named graph the manifest names): a govgraph store, whose default graph keeps
the union of its named graphs, and a plain pyoxigraph store, whose default graph is empty. Each
request is sent as the manifest writes it (method, path with its `/sparql/`, headers, body in its
encoding) and its answer checked as the manifest asks: the status class, the boolean of an ASK, the
kind of format (boolean, tabular, RDF).

The endpoint is read-only by design, so the `update_*` tests are checked as refusals: each update
request gets 403, the store is unchanged afterwards, and the follow-up ASK that looks for the
update's effect is answered and finds none. The pass/fail table is printed at the end of the run.
"""

from __future__ import annotations

import http.client
import io
import json
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.query import Result

from govgraph import EmbeddedStore

from .conftest import SCORE_TABLES, SHARED
from .servers import govgraph_server

SUITE = SHARED / "conformance" / "sparql11-protocol"
MANIFEST = SUITE / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TEST_IRI = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"

AS_WRITTEN = "as the manifest says"
READ_ONLY = "refused (403), store unchanged"
# Every test of the manifest and how it is checked; test_every_manifest_test_is_in_the_table keeps
# this table and the manifest the same, so no test can be left out.
TABLE = {
    "query_post_form": AS_WRITTEN,
    "query_dataset_default_graphs_get": AS_WRITTEN,
    "query_dataset_default_graphs_post": AS_WRITTEN,
    "query_dataset_named_graphs_post": AS_WRITTEN,
    "query_dataset_named_graphs_get": AS_WRITTEN,
    "query_dataset_full": AS_WRITTEN,
    "query_multiple_dataset": AS_WRITTEN,
    "query_get": AS_WRITTEN,
    "query_content_type_select": AS_WRITTEN,
    "query_content_type_ask": AS_WRITTEN,
    "query_content_type_describe": AS_WRITTEN,
    "query_content_type_construct": AS_WRITTEN,
    "update_dataset_default_graph": READ_ONLY,
    "update_dataset_default_graphs": READ_ONLY,
    "update_dataset_named_graphs": READ_ONLY,
    "update_dataset_full": READ_ONLY,
    "update_post_form": READ_ONLY,
    "update_post_direct": READ_ONLY,
    "update_base_uri": READ_ONLY,
    "query_post_direct": AS_WRITTEN,
    "bad_query_method": AS_WRITTEN,
    "bad_multiple_queries": AS_WRITTEN,
    "bad_query_wrong_media_type": AS_WRITTEN,
    "bad_query_missing_form_type": AS_WRITTEN,
    "bad_query_missing_direct_type": AS_WRITTEN,
    "bad_query_non_utf8": AS_WRITTEN,
    "bad_query_syntax": AS_WRITTEN,
    "bad_update_get": AS_WRITTEN,
    "bad_multiple_updates": AS_WRITTEN,
    "bad_update_wrong_media_type": AS_WRITTEN,
    "bad_update_missing_form_type": AS_WRITTEN,
    "bad_update_non_utf8": AS_WRITTEN,
    "bad_update_syntax": AS_WRITTEN,
    "bad_update_dataset_conflict": AS_WRITTEN,
}
STORE_KINDS = ("govgraph", "pyoxigraph")
RESULT_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}  # the manifest's, less RDFa
QUADS = "SELECT ?g ?s ?p ?o WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
OUTCOMES: dict[tuple[str, str], str] = {}  # (test id, store kind) -> "pass" or "FAIL: why"


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test and the response the manifest expects."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: frozenset[int]  # 2 for hts:StatusCode2xx, ...
    boolean: bool | None
    result_format: str | None  # "boolean", "tabular" or "RDF"

    @property
    def is_update(self) -> bool:
        """A SPARQL Update request (direct, or an update= parameter in the URL or a form)."""
        media = self.headers.get("content-type", "").split(";")[0].strip()
        parameters = urllib.parse.urlsplit(self.path).query
        if media == "application/x-www-form-urlencoded" and self.body:
            parameters += "&" + self.body.decode("ascii")
        return media == "application/sparql-update" or "update" in urllib.parse.parse_qs(parameters)


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    requests: tuple[Request, ...]


def _list(graph: Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def read_manifest(path: Path = MANIFEST) -> tuple[dict[str, ProtocolTest], dict[str, Path]]:
    """The manifest's tests by id, in order, and the data files of the graphs they name."""
    if not path.is_file():
        pytest.fail(f"the W3C protocol manifest is missing at {path} (set GOVGRAPH_SHARED)")
    graph = Graph().parse(path, format="turtle", publicID=path.as_uri())
    manifest = graph.value(predicate=RDF.type, object=MF.Manifest)
    tests: dict[str, ProtocolTest] = {}
    data: dict[str, Path] = {}
    for entry in _list(graph, graph.value(manifest, MF.entries)):
        action = graph.value(entry, MF.action)
        requests = tuple(_request(graph, node) for node in _list(graph, graph.value(action, HT.requests)))
        tests[str(entry).removeprefix(TEST_IRI)] = ProtocolTest(str(graph.value(entry, MF.name)), requests)
        for item in graph.objects(entry, UT.graphData):
            name, file = str(graph.value(item, RDFS.label)), graph.value(item, UT.graph)
            source = Path(urllib.parse.unquote(urllib.parse.urlsplit(str(file)).path))
            assert data.setdefault(name, source) == source, f"{name} names two files"
    return tests, data


def _request(graph: Graph, node) -> Request:
    headers = {
        str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
        for h in _list(graph, graph.value(node, HT.headers))
    }
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    boolean = graph.value(response, MF.expectedBoolean)
    result_format = graph.value(response, MF.expectedFormat)
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path=str(graph.value(node, HT.absolutePath)),
        headers=headers,
        body=body,
        status_classes=frozenset(int(str(code)[-3]) for code in graph.objects(response, MF.expectedStatus)),
        boolean=None if boolean is None else boolean.toPython(),
        result_format=None if result_format is None else str(result_format),
    )


def build_store(folder: Path, graphs: dict[str, Path], kind: str) -> Path:
    """A store holding each file as the named graph given: `govgraph` (EmbeddedStore, its default
    graph the deduplicated union) or `pyoxigraph` (a plain store, default graph empty)."""
    path = folder / f"{kind}-store"
    if kind == "govgraph":
        with EmbeddedStore(path) as store:
            store.put_graphs({URIRef(name): Graph().parse(f, format="nt") for name, f in graphs.items()})
    else:
        store = ox.Store(str(path))
        for name, file in graphs.items():
            store.load(path=str(file), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(name))
        store.flush()
        del store
    return path


@pytest.fixture(scope="module")
def manifest() -> tuple[dict[str, ProtocolTest], dict[str, Path]]:
    return read_manifest()


@pytest.fixture(scope="module", params=STORE_KINDS)
def served(request, manifest, tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(store kind, endpoint URL) of `govgraph serve` on a store with the suite's data."""
    store = build_store(tmp_path_factory.mktemp("protocol-suite"), manifest[1], request.param)
    with govgraph_server(store) as url:
        yield request.param, url


@pytest.fixture(scope="module", autouse=True)
def score_table() -> Iterator[None]:
    """After the module: one row per test, pass or fail on each store, for the end of the run."""
    yield
    if not OUTCOMES:
        return
    width = max(map(len, TABLE))
    lines = [f"{'test':<{width}}  " + "  ".join(f"{kind:<10}" for kind in STORE_KINDS) + "  checked"]
    for test_id, mode in TABLE.items():
        cells = [OUTCOMES.get((test_id, kind), "not run") for kind in STORE_KINDS]
        row = "  ".join(f"{cell.split(':')[0]:<10}" for cell in cells)
        lines.append(f"{test_id:<{width}}  {row}  {mode}")
    for kind in STORE_KINDS:
        passed = sum(OUTCOMES.get((t, kind)) == "pass" for t in TABLE)
        lines.append(f"{kind} store: {passed} of {len(TABLE)} pass")
    lines += [f"  {t} on {k}: {why}" for (t, k), why in OUTCOMES.items() if why != "pass"]
    SCORE_TABLES["W3C SPARQL 1.1 Protocol suite, govgraph serve"] = "\n".join(lines)


def send(url: str, request: Request) -> tuple[int, str, bytes]:
    """The request exactly as the manifest writes it (no header added but Content-Length)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        connection.close()


def quads(url: str) -> list[tuple]:
    """Every quad the endpoint can see, sorted: what an update would change."""
    path = f"{urllib.parse.urlsplit(url).path}?{urllib.parse.urlencode({'query': QUADS})}"
    status, _, body = send(url, Request("GET", path, {"accept": "application/sparql-results+json"},
                                        None, frozenset({2}), None, None))
    assert status == 200, body
    rows = json.loads(body)["results"]["bindings"]
    return sorted(tuple(sorted((k, v["value"]) for k, v in row.items())) for row in rows)


def check(request: Request, status: int, media_type: str, body: bytes, boolean: bool | None) -> str | None:
    """Why the response is not the one expected, or None."""
    if status // 100 not in request.status_classes:
        expected = "/".join(f"{c}xx" for c in sorted(request.status_classes))
        return f"{request.method} {request.path[:60]}: status {status}, expected {expected}"
    media = media_type.split(";")[0].strip()
    if request.result_format in ("boolean", "tabular"):
        if media not in RESULT_TYPES:
            return f"{request.result_format} answer as {media!r}"
        result = Result.parse(io.BytesIO(body), content_type=media)
        if request.result_format == "tabular" and result.type != "SELECT":
            return f"expected a table, got {result.type}"
        if request.result_format == "boolean" and result.type != "ASK":
            return f"expected a boolean, got {result.type}"
        if boolean is not None and result.askAnswer is not boolean:
            return f"ASK answered {result.askAnswer}, expected {boolean}"
    elif request.result_format == "RDF":
        if media not in RDF_TYPES:
            return f"RDF answer as {media!r}"
        Graph().parse(data=body, format=media)
    return None


def test_every_manifest_test_is_in_the_table(manifest):
    assert list(manifest[0]) == list(TABLE)
    for test_id, mode in TABLE.items():  # only the updates are checked as refusals
        assert test_id.startswith(("query_", "bad_")) == (mode == AS_WRITTEN), test_id


def test_the_suite_data_is_loaded_as_named_graphs(served, manifest):
    _kind, url = served
    graphs = {row[0][1] for row in quads(url) if row[0][0] == "g"}
    assert graphs == set(manifest[1]) and len(graphs) == 3


@pytest.mark.parametrize("test_id", TABLE)
def test_protocol(served, manifest, test_id):
    kind, url = served
    test = manifest[0][test_id]
    before = quads(url)
    failures = []
    for request in test.requests:
        status, media_type, body = send(url, request)
        if TABLE[test_id] == READ_ONLY and request.is_update:
            problem = None if status == 403 else f"update answered {status}, expected 403 (read-only)"
        elif TABLE[test_id] == READ_ONLY:  # the follow-up ASK looking for the update's effect finds none
            problem = check(request, status, media_type, body, not request.boolean)
        else:
            problem = check(request, status, media_type, body, request.boolean)
        if problem:
            failures.append(problem)
    if quads(url) != before:
        failures.append("the store changed")
    OUTCOMES[test_id, kind] = f"FAIL: {'; '.join(failures)}" if failures else "pass"
    assert not failures, f"{test_id} ({test.name}) on the {kind} store: {failures}"
