"""`govgraph serve` and the SPARQL 1.1 Protocol, one behaviour a test, then real clients in every format.

The servers are real `govgraph serve` processes on 127.0.0.1, over stores holding the W3C suite's three
graphs (see test_protocol_suite): a govgraph store (default graph: the deduplicated union of the named
graphs) and a plain pyoxigraph store (empty default graph, queried as the union).
"""

from __future__ import annotations

import http.client
import io
import json
import subprocess
import urllib.parse
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from rdflib.query import Result
from SPARQLWrapper import CSV, JSON, JSONLD, N3, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from .servers import govgraph_server
from .test_protocol_suite import STORE_KINDS, build_store, read_manifest

DATA = "http://kasei.us/2009/09/sparql/data/"
DOC1, DOC2, DOC3 = (f"{DATA}data{i}.rdf" for i in (1, 2, 3))
BOTH = f"ASK {{ <{DOC1}> a ?type . <{DOC2}> a ?type }}"
IN_A_GRAPH = f"ASK {{ GRAPH ?g {{ <{DOC3}> a ?type }} }}"
ANYTHING = "ASK { ?s ?p ?o }"
ANY_GRAPH = "ASK { GRAPH ?g { ?s ?p ?o } }"
DOCUMENTS = "SELECT ?doc WHERE { GRAPH ?g { ?doc a ?type } } ORDER BY ?doc"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
MARKED = f"CONSTRUCT {{ ?doc a <urn:marked> }} WHERE {{ GRAPH ?g {{ ?doc a <{FOAF_DOCUMENT}> }} }}"
DESCRIBE = f"DESCRIBE <{DOC1}>"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIRECT = {"Content-Type": "application/sparql-query"}
EXPECTED_GRAPH = Graph()
for _doc in (DOC1, DOC2, DOC3):
    EXPECTED_GRAPH.add((URIRef(_doc), RDF.type, URIRef("urn:marked")))


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> dict[str, Path]:
    graphs = read_manifest()[1]
    folder = tmp_path_factory.mktemp("protocol")
    return {kind: build_store(folder, graphs, kind) for kind in STORE_KINDS}


@pytest.fixture(scope="module", params=STORE_KINDS)
def endpoint(request, stores) -> Iterator[str]:
    """`govgraph serve` on each kind of store in turn."""
    with govgraph_server(stores[request.param]) as url:
        yield url


@pytest.fixture(scope="module")
def url(stores) -> Iterator[str]:
    """`govgraph serve` on the govgraph store, for behaviours that do not depend on the store."""
    with govgraph_server(stores["govgraph"]) as served:
        yield served


def exchange(url: str, method: str = "GET", path: str = "", body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """One request sent as written (http.client adds only Host, Accept-Encoding and Content-Length)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, path or parts.path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def get(url: str, accept: str = "", **params: str | list[str]) -> tuple[int, dict[str, str], bytes]:
    query = urllib.parse.urlencode(params, doseq=True)
    headers = {"Accept": accept} if accept else {}
    return exchange(url, path=f"{urllib.parse.urlsplit(url).path}?{query}", headers=headers)


def ask(status_headers_body: tuple[int, dict[str, str], bytes]) -> bool:
    status, headers, body = status_headers_body
    assert status == 200, body
    result = Result.parse(io.BytesIO(body), content_type=headers["content-type"].split(";")[0])
    assert result.type == "ASK"
    return bool(result.askAnswer)


# -- the dataset --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "dataset"),
    [
        (BOTH, {"default-graph-uri": DOC1}),  # data2 is not in the default graph asked for
        (IN_A_GRAPH, {"named-graph-uri": [DOC1, DOC2]}),  # data3 is not a named graph of the dataset
        (ANY_GRAPH, {"default-graph-uri": DOC1}),  # default graphs only: no named graphs at all
        (ANYTHING, {"named-graph-uri": DOC1}),  # named graphs only: the default graph is empty
        (f"ASK FROM <{DOC1}> {{ <{DOC1}> a ?type }}", {"default-graph-uri": DOC2}),  # the protocol over FROM
    ],
)
def test_a_query_true_on_the_whole_store_is_false_on_the_dataset_asked(endpoint, query, dataset):
    whole = query.replace(f"FROM <{DOC1}> ", "")
    assert ask(get(endpoint, query=whole))
    assert not ask(get(endpoint, query=query, **dataset))
    direct = urllib.parse.urlencode(dataset, doseq=True)
    assert not ask(exchange(endpoint, "POST", f"/sparql?{direct}", query.encode(), DIRECT))
    form = urllib.parse.urlencode({"query": query, **dataset}, doseq=True).encode()
    assert not ask(exchange(endpoint, "POST", "/sparql", form, FORM))


def test_dataset_parameters_merge_several_default_graphs(endpoint):
    assert ask(get(endpoint, query=BOTH, **{"default-graph-uri": [DOC1, DOC2]}))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (f"ASK FROM <{DOC1}> {{ <{DOC2}> a ?type }}", False),
        (f"ASK FROM <{DOC1}> FROM <{DOC2}> {{ <{DOC1}> a ?type . <{DOC2}> a ?type }}", True),
        (f"ASK FROM NAMED <{DOC1}> {{ GRAPH ?g {{ <{DOC3}> a ?type }} }}", False),
        (f"ASK FROM NAMED <{DOC1}> {{ GRAPH ?g {{ <{DOC1}> a ?type }} }}", True),
        (f"ASK FROM NAMED <{DOC1}> {{ <{DOC1}> a ?type }}", False),  # FROM NAMED alone: empty default graph
    ],
)
def test_from_and_from_named_define_the_dataset_on_every_store(endpoint, query, expected):
    assert ask(get(endpoint, query=query)) is expected


def test_a_graph_parameter_that_is_not_an_iri_is_a_400(url):
    status, _, body = get(url, query=ANYTHING, **{"default-graph-uri": "not an iri"})
    assert status == 400 and b"default-graph-uri" in body and b"not an IRI" in body


# -- the request ------------------------------------------------------------------------------------


def test_relative_iris_resolve_against_the_endpoint(url):
    base = url  # http://127.0.0.1:PORT/sparql
    status, headers, body = get(url, "application/n-triples", query="CONSTRUCT { <s> <p> 1 } WHERE {}")
    root = base.rsplit("/", 1)[0]
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    assert body.decode().split()[:2] == [f"<{root}/s>", f"<{root}/p>"]
    status, _, body = get(url, query="SELECT (<s> AS ?x) (<#a> AS ?y) {}")
    [row] = json.loads(body)["results"]["bindings"]
    assert status == 200 and row["x"]["value"] == f"{root}/s" and row["y"]["value"] == f"{base}#a"


@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("GET", "/sparql?query=ASK%7B%7D&query=ASK%7B%7D", None, None),
        ("POST", "/sparql", b"query=ASK%7B%7D&query=ASK%7B%7D", "application/x-www-form-urlencoded"),
        ("POST", "/sparql?query=ASK%7B%7D", b"query=ASK%7B%7D", "application/x-www-form-urlencoded"),
        ("POST", "/sparql?query=ASK%7B%7D", b"ASK {}", "application/sparql-query"),
    ],
)
def test_more_than_one_query_is_a_400(url, method, path, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    status, _, answer = exchange(url, method, path, body, headers)
    assert status == 400 and (b"send exactly one" in answer or b"send one" in answer)


@pytest.mark.parametrize("body", [b"query=ASK%20%7B%7D", b"ASK {}"])
def test_a_post_without_content_type_is_a_415(url, body):
    status, _, answer = exchange(url, "POST", "/sparql", body)
    assert status == 415 and b"needs a Content-Type" in answer


def test_head_gives_the_headers_of_get_without_a_body(url):
    path = f"/sparql?{urllib.parse.urlencode({'query': DOCUMENTS})}"
    got = exchange(url, "GET", path, headers={"Accept": "text/csv"})
    head = exchange(url, "HEAD", path, headers={"Accept": "text/csv"})
    assert got[0] == head[0] == 200 and head[2] == b"" and got[2].count(b"\n") == 4
    for header in ("content-type", "content-length"):
        assert head[1][header] == got[1][header]
    assert int(head[1]["content-length"]) == len(got[2])
    bad = exchange(url, "HEAD", "/sparql?query=ASK%20%7B")
    assert bad[0] == 400 and bad[2] == b""
    assert exchange(url, "HEAD", "/")[0] == exchange(url, "HEAD", "/health")[0] == 200


def test_options_lists_the_methods_and_cors_stays_off(url):
    status, headers, body = exchange(url, "OPTIONS", "/sparql", headers={"Origin": "https://other.example",
                                                                     "Access-Control-Request-Method": "POST"})
    assert status == 204 and body == b""
    assert set(headers["allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "POST", "OPTIONS"}
    assert not any(name.startswith("access-control-") for name in headers)
    assert "access-control-allow-origin" not in get(url, query=ANYTHING)[1]


@pytest.mark.parametrize(("option", "origin", "allowed"), [
    ("https://app.example", "https://app.example", "https://app.example"),
    ("https://app.example", "https://other.example", None),
    ("*", "https://other.example", "*"),
])
def test_serve_cors_answers_the_preflight_only_for_the_origins_given(stores, option, origin, allowed):
    with govgraph_server(stores["govgraph"], "--cors", option) as served:
        status, preflight, _ = exchange(served, "OPTIONS", "/sparql", headers={
            "Origin": origin, "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        _, answer, _ = exchange(served, "GET", f"/sparql?query={urllib.parse.quote(ANYTHING)}",
                            headers={"Origin": origin})
    assert status == 204
    assert preflight.get("access-control-allow-origin") == allowed
    assert answer.get("access-control-allow-origin") == allowed
    if allowed:
        assert "POST" in preflight["access-control-allow-methods"]
        assert "content-type" in preflight["access-control-allow-headers"].lower()


def _chunked(*pieces: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in pieces) + b"0\r\n\r\n"


@pytest.mark.parametrize(("content_type", "pieces"), [
    ("application/sparql-query", [BOTH[:10].encode(), BOTH[10:30].encode(), BOTH[30:].encode()]),
    ("application/x-www-form-urlencoded", [b"query=", urllib.parse.quote(BOTH).encode()]),
])
def test_a_chunked_body_is_read_whole(url, content_type, pieces):
    headers = {"Content-Type": content_type, "Transfer-Encoding": "chunked"}
    assert ask(exchange(url, "POST", "/sparql", _chunked(*pieces), headers))


def test_a_chunked_body_too_big_or_malformed_is_refused(url):
    headers = {"Content-Type": "application/sparql-query", "Transfer-Encoding": "chunked"}
    too_big = _chunked(b"#" * 600_000, b"#" * 600_000, b"ASK {}")  # the server's limit is 1,000,000 bytes
    status, _, _ = exchange(url, "POST", "/sparql", too_big, headers)
    assert status == 413
    status, _, _ = exchange(url, "POST", "/sparql", b"zz\r\nASK {}\r\n0\r\n\r\n", headers)
    assert status == 400


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", '"utf8"', "us-ascii"])
def test_a_utf8_charset_is_read(url, charset):
    query = 'SELECT ("café" AS ?x) {}' if "ascii" not in charset else 'SELECT ("cafe" AS ?x) {}'
    status, _, body = exchange(url, "POST", "/sparql", query.encode(),
                           {"Content-Type": f"application/sparql-query; charset={charset}"})
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["x"]["value"] == query[9:13]


@pytest.mark.parametrize(("charset", "encoding", "status", "words"), [
    ("UTF-16", "utf-16", 415, b"refused: SPARQL protocol requests are UTF-8"),
    ("ISO-8859-1", "latin-1", 415, b"refused"),
    ("x-unheard-of", "utf-8", 415, b"unknown charset"),
    (None, "latin-1", 400, b"not UTF-8"),  # no charset: UTF-8, and these bytes are not
])
def test_a_request_not_in_utf8_is_refused_not_misread(url, charset, encoding, status, words):
    content_type = "application/sparql-query" + (f"; charset={charset}" if charset else "")
    query = 'SELECT ("café" AS ?x) {}'.encode(encoding)
    got, _, body = exchange(url, "POST", "/sparql", query, {"Content-Type": content_type})
    assert got == status and words in body
    form = b"query=" + urllib.parse.quote_from_bytes(query).encode()
    form_type = FORM["Content-Type"] + (f"; charset={charset}" if charset else "")
    got, _, _ = exchange(url, "POST", "/sparql", form, {"Content-Type": form_type})
    assert got == (400 if charset is None else status)


@pytest.mark.parametrize("path", ["/sparql", "/sparql/", "/query", "/query/", "/sparql//"])
def test_the_endpoint_answers_with_or_without_a_trailing_slash(url, path):
    assert ask(exchange(url, path=f"{path}?query={urllib.parse.quote(ANYTHING)}"))


def test_other_paths_are_404(url):
    assert exchange(url, path=f"/sparqlx?query={urllib.parse.quote(ANYTHING)}")[0] == 404
    assert exchange(url, "POST", "/elsewhere/", b"ASK {}", DIRECT)[0] == 404


# -- the answer's format --------------------------------------------------------------------------------

RESULTS_XML = "application/sparql-results+xml"
RDF_XML = "application/rdf+xml"


@pytest.mark.parametrize(("query", "accept", "media"), [
    (DOCUMENTS, "application/xml", RESULTS_XML),
    (DOCUMENTS, "text/xml", RESULTS_XML),
    (ANYTHING, "application/xml", RESULTS_XML),
    (ANYTHING, "text/xml;q=0.9, text/html;q=0.1", RESULTS_XML),
    (MARKED, "application/xml", RDF_XML),
    (MARKED, "text/xml", RDF_XML),
    (DESCRIBE, "application/xml", RDF_XML),
    (DOCUMENTS, "application/json", "application/sparql-results+json"),
    (MARKED, "application/json", "application/ld+json"),
    (MARKED, "text/n3", "text/n3"),
])
def test_generic_xml_and_json_mean_the_query_forms_own_format(url, query, accept, media):
    status, headers, body = get(url, accept, query=query)
    assert status == 200 and headers["content-type"].split(";")[0] == media
    _parse(media, body)


def _parse(media: str, body: bytes) -> object:
    """The answer read by rdflib in its declared format: a results table or boolean, or a graph."""
    if media in (RESULTS_XML, "application/sparql-results+json", "text/csv", "text/tab-separated-values"):
        return Result.parse(io.BytesIO(body), content_type=media)
    return Graph().parse(data=body, format=media)


@pytest.mark.parametrize(("query", "formats", "media"), [
    (DOCUMENTS, ["json"], "application/sparql-results+json"),
    (DOCUMENTS, ["xml"], RESULTS_XML),
    (DOCUMENTS, ["csv"], "text/csv"),
    (DOCUMENTS, ["tsv", "text/tab-separated-values"], "text/tab-separated-values"),
    (ANYTHING, ["xml"], RESULTS_XML),
    (MARKED, ["turtle"], "text/turtle"),
    (MARKED, ["n3"], "text/n3"),
    (MARKED, ["xml"], RDF_XML),
    (MARKED, ["rdf+xml", RDF_XML], RDF_XML),
    (MARKED, ["json-ld", "application/ld+json"], "application/ld+json"),
    (MARKED, ["json"], "application/ld+json"),
    (MARKED, ["nt"], "application/n-triples"),
    (MARKED, ["no-such-format"], "text/turtle"),  # an unknown name: the Accept header decides
])
def test_format_names_clients_send_override_accept(url, query, formats, media):
    accept = "text/turtle, application/sparql-results+json"
    status, headers, body = get(url, accept, query=query, format=formats)
    assert status == 200 and headers["content-type"].split(";")[0] == media
    answer = _parse(media, body)
    if isinstance(answer, Graph):
        assert isomorphic(answer, EXPECTED_GRAPH)


# -- real clients ---------------------------------------------------------------------------------------

SPARQLWRAPPER_RESULTS = {JSON: "application/sparql-results+json", XML: RESULTS_XML, CSV: "text/csv",
                         TSV: "text/tab-separated-values"}
SPARQLWRAPPER_GRAPHS = {TURTLE: "text/turtle", RDFXML: RDF_XML, JSONLD: "application/ld+json", N3: "text/n3",
                        XML: RDF_XML}


def _documents_in(fmt: str, converted: object) -> list[str]:
    """The ?doc column of DOCUMENTS as SPARQLWrapper converted it in `fmt`."""
    if fmt == JSON:
        return [row["doc"]["value"] for row in converted["results"]["bindings"]]
    if fmt == XML:
        return [node.firstChild.data for node in converted.getElementsByTagName("uri")]
    separator = "," if fmt == CSV else "\t"
    lines = converted.decode().splitlines()[1:]
    return [cell.strip("<>") for line in lines for cell in line.split(separator)]


def _sparqlwrapper(url: str, query: str, fmt: str, method: str) -> tuple[str, object]:
    """The media type of SPARQLWrapper's answer and the answer as it converts it; a RuntimeWarning,
    which it gives when the answer is not in the format asked for, fails the test."""
    client = SPARQLWrapper(url)  # as it comes: format= parameters and Accept both sent
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        result = client.query()
        return result.info()["content-type"].split(";")[0], result.convert()


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", SPARQLWRAPPER_RESULTS)
def test_sparqlwrapper_select_and_ask_in_each_format(url, fmt, method):
    media, table = _sparqlwrapper(url, DOCUMENTS, fmt, method)
    assert media == SPARQLWRAPPER_RESULTS[fmt] and _documents_in(fmt, table) == [DOC1, DOC2, DOC3]
    media, converted = _sparqlwrapper(url, BOTH, fmt, method)
    assert media == SPARQLWRAPPER_RESULTS[fmt]
    if fmt == JSON:
        assert converted["boolean"] is True
    elif fmt == XML:
        assert converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert converted.strip() == b"true"


@pytest.mark.parametrize("method", ["GET", POST])
@pytest.mark.parametrize("fmt", SPARQLWRAPPER_GRAPHS)
def test_sparqlwrapper_construct_in_each_format(url, fmt, method):
    media, converted = _sparqlwrapper(url, MARKED, fmt, method)
    assert media == SPARQLWRAPPER_GRAPHS[fmt]
    graph = converted if isinstance(converted, Graph) else Graph().parse(data=converted, format=media)
    assert isomorphic(graph, EXPECTED_GRAPH)


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("fmt", ["xml", "json", "csv", "tsv"])
def test_rdflib_sparqlstore_select_in_each_format(url, fmt, method):
    graph = Graph(SPARQLStore(url, returnFormat=fmt, method=method))
    assert [str(row.doc) for row in graph.query(DOCUMENTS)] == [DOC1, DOC2, DOC3]


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("fmt", ["xml", "json"])
def test_rdflib_sparqlstore_ask_in_each_format(url, fmt, method):
    graph = Graph(SPARQLStore(url, returnFormat=fmt, method=method))
    assert graph.query(BOTH).askAnswer is True and graph.query(IN_A_GRAPH).askAnswer is True


@pytest.mark.parametrize("method", ["GET", "POST", "POST_FORM"])
@pytest.mark.parametrize("fmt", ["xml", "turtle", "n3", "nt", "json-ld"])
def test_rdflib_sparqlstore_construct_in_each_format(url, fmt, method):
    graph = Graph(SPARQLStore(url, returnFormat=fmt, method=method))
    assert isomorphic(graph.query(MARKED).graph, EXPECTED_GRAPH)


def test_rdflib_sparqlstore_graph_is_its_named_graph_only(endpoint):
    """rdflib sends a graph's name as default-graph-uri: the graph sees its own triples, not the store's."""
    store = SPARQLStore(endpoint, returnFormat="json")
    one = Graph(store, identifier=URIRef(DOC1))
    assert set(one.triples((None, None, None))) == {
        (URIRef(DOC1), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
         URIRef("http://xmlns.com/foaf/0.1/Document"))}
    assert len(Graph(store)) == 3


CURL_RESULTS = ["application/sparql-results+json", RESULTS_XML, "text/csv", "text/tab-separated-values"]
CURL_GRAPHS = ["text/turtle", RDF_XML, "application/ld+json", "application/n-triples", "text/n3"]


def _curl(*args: str) -> tuple[int, str, bytes]:
    """curl's status, Content-Type and body (written after a marker line)."""
    done = subprocess.run(["curl", "-sS", "--max-time", "30", "-w", "\n%{http_code} %{content_type}", *args],
                          capture_output=True, timeout=60, check=True)
    body, _, tail = done.stdout.rpartition(b"\n")
    status, _, media = tail.decode().partition(" ")
    return int(status), media.split(";")[0], body


CURL_CASES = [(q, a) for q in (DOCUMENTS, BOTH) for a in CURL_RESULTS] + [(MARKED, a) for a in CURL_GRAPHS]


@pytest.mark.parametrize(("query", "accept"), CURL_CASES)
@pytest.mark.parametrize("how", ["get", "post-direct", "post-form"])
def test_curl_in_each_format(url, query, accept, how):
    send = {
        "get": ["-G", "--data-urlencode", f"query={query}"],
        "post-direct": ["-H", "Content-Type: application/sparql-query", "--data-binary", query],
        "post-form": ["--data-urlencode", f"query={query}"],
    }[how]
    status, media, body = _curl("-H", f"Accept: {accept}", *send, url)
    assert status == 200 and media == accept
    if query == BOTH and media in ("text/csv", "text/tab-separated-values"):
        assert body == b"true"  # CSV and TSV define no boolean: the word, as other stores give it
        return
    answer = _parse(media, body)
    if isinstance(answer, Graph):
        assert isomorphic(answer, EXPECTED_GRAPH)
    elif answer.type == "ASK":
        assert answer.askAnswer is True
    else:
        assert [str(row[0]) for row in answer] == [DOC1, DOC2, DOC3]


def test_curl_head_chunked_and_dataset(url):
    status, _, body = _curl("-I", "-G", "--data-urlencode", f"query={ANYTHING}", url)
    assert status == 200 and b"Content-Length:" in body  # -I prints the headers as the body
    chunked = ["-H", "Transfer-Encoding: chunked"]
    direct = ["-H", "Content-Type: application/sparql-query"]
    status, _, body = _curl(*direct, *chunked, "--data-binary", BOTH, url)
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = _curl("-G", "--data-urlencode", f"query={BOTH}",
                            "--data-urlencode", f"default-graph-uri={DOC1}", url)
    assert status == 200 and json.loads(body)["boolean"] is False
