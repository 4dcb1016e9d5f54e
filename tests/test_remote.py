"""Remote stores for real: push the demo graph to Oxigraph and Virtuoso servers and ask them the library.

The servers are started on 127.0.0.1 on free ports with temporary folders and stopped afterwards.
Oxigraph must answer every named query exactly as the embedded store does; Virtuoso, a separate
implementation, must give the same answers up to its documented differences (see `servers.py`).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import XSD, Literal, URIRef

import govgraph
from govgraph.cli import cli
from govgraph.errors import EndpointError

from .servers import SparqlServer, oxigraph_server, virtuoso_available, virtuoso_server

QUERIES = govgraph.library()
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _push(server: SparqlServer, store: Path, protocol: str = "gsp", **env: str):
    url = server.gsp_url if protocol == "gsp" else server.update_url
    args = ["push", "--store", str(store), "--endpoint", url, "--protocol", protocol, "--retries", "2"]
    if server.user:
        args += ["--auth", "digest"]
        env = {
            "GOVGRAPH_ENDPOINT_USER": server.user,
            "GOVGRAPH_ENDPOINT_PASSWORD": server.password or "",
            **env,
        }
    return CliRunner().invoke(cli, args, env=env)


def _count(url: str, query: str) -> int:
    return int(govgraph.query(query, endpoint=url).records()[0]["n"])


@pytest.fixture(scope="module")
def local_counts(demo_store):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        named = int(store.select(TRIPLES)[0]["n"])  # the named graphs' quads: what a push sends
        return {"triples": named, "graphs": len(store.graph_names())}


@pytest.fixture(scope="module")
def oxigraph(demo_store, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as server:
        result = _push(server, demo_store)
        assert result.exit_code == 0, result.output
        yield server


@pytest.fixture(scope="module")
def virtuoso(demo_store, tmp_path_factory):
    reason = virtuoso_available()
    if reason:
        pytest.skip(f"Virtuoso cannot run here: {reason}")
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        result = _push(server, demo_store)
        assert result.exit_code == 0, result.output
        yield server


@pytest.fixture(params=["oxigraph", "virtuoso"])
def remote(request) -> SparqlServer:
    """Each server in turn, loaded with the demo graph."""
    return request.getfixturevalue(request.param)


def test_push_keeps_every_named_graph(remote, local_counts):
    assert _count(remote.query_url, TRIPLES) == local_counts["triples"]
    assert _count(remote.query_url, GRAPHS) == local_counts["graphs"]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_answers_as_on_the_embedded_store(remote, demo_store, name):
    query = QUERIES[name]
    local = govgraph.query(query, query.example, store=demo_store)
    answer = govgraph.query(query, query.example, endpoint=remote.query_url)
    assert answer.variables == local.variables
    if remote.name == "oxigraph":
        assert answer.rows == local.rows
    else:
        assert _normalised(answer.rows) == _normalised(local.rows)


def _normalised(rows: list[dict]) -> Counter:
    """Rows up to Virtuoso's known differences: booleans as 1/0, "" for an empty GROUP_CONCAT,
    and the order of GROUP_CONCAT parts."""
    return Counter(tuple(sorted((k, _term(v)) for k, v in row.items() if str(v) != "")) for row in rows)


def _term(value) -> str:
    if isinstance(value, Literal) and value.datatype == XSD.boolean:
        return "true" if value.toPython() in (True, 1, "1") else "false"
    if isinstance(value, Literal) and value.datatype is None and not value.language:
        for separator in (" | ", "; ", ", "):
            if separator in value:
                return separator.join(sorted(str(value).split(separator)))
    return value.n3() if isinstance(value, (URIRef, Literal)) else str(value)


def test_pushing_twice_doubles_nothing(oxigraph, demo_store, local_counts):
    assert _push(oxigraph, demo_store).exit_code == 0
    assert _push(oxigraph, demo_store, protocol="update").exit_code == 0
    assert _count(oxigraph.query_url, TRIPLES) == local_counts["triples"]


def test_push_by_sparql_update_to_virtuoso(virtuoso, demo_store, local_counts):
    result = _push(virtuoso, demo_store, protocol="update")
    assert result.exit_code == 0, result.output
    assert _count(virtuoso.query_url, TRIPLES) == local_counts["triples"]


def test_a_push_stopped_midway_is_finished_by_running_it_again(demo_store, tmp_path, local_counts):
    folder = tmp_path / "remote"
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        graphs = list(store.export_graphs())
    with oxigraph_server(folder) as server:
        remote = govgraph.RemoteEndpoint(server.gsp_url, retries=2, backoff=0.05)

        def stop_after_five(name: URIRef, sent: list[URIRef] = []) -> None:  # noqa: B006 - a counter
            sent.append(name)
            if len(sent) == 5:
                server.process.terminate()
                server.process.wait(timeout=10)

        with pytest.raises(EndpointError, match=r"pushed 5 graph\(s\), then: cannot reach"):
            remote.push(graphs, progress=stop_after_five)
    with oxigraph_server(folder) as server:  # the same data folder, restarted
        assert 0 < _count(server.query_url, TRIPLES) < local_counts["triples"]
        assert _push(server, demo_store).exit_code == 0
        assert _count(server.query_url, TRIPLES) == local_counts["triples"]
        assert _push(server, demo_store).exit_code == 0
        assert _count(server.query_url, TRIPLES) == local_counts["triples"]


def test_unreachable_endpoint_is_one_line_after_bounded_retries(demo_store):
    started = time.monotonic()
    result = CliRunner().invoke(
        cli, ["query", "speech-timeline", "--endpoint", "http://127.0.0.1:9/sparql", "--retries", "3"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("Error: cannot reach http://127.0.0.1:9/sparql after 3 attempt(s)")
    assert result.output.count("\n") == 1 and "Traceback" not in result.output
    assert time.monotonic() - started < 30


def test_missing_credentials_are_explained(virtuoso, demo_store):
    result = CliRunner().invoke(
        cli,
        ["push", "--store", str(demo_store), "--endpoint", virtuoso.gsp_url],
        env={"GOVGRAPH_ENDPOINT_USER": None, "GOVGRAPH_ENDPOINT_PASSWORD": None},
    )
    assert result.exit_code == 1
    assert "not authorised" in result.output or "HTTP 401" in result.output
    assert "GOVGRAPH_ENDPOINT_USER" in result.output


def test_malformed_query_on_a_remote_endpoint_is_a_query_error(oxigraph):
    with pytest.raises(govgraph.GovGraphError, match="rejected the query"):
        govgraph.query("SELECT ?x WHERE { ?x ?y }", endpoint=oxigraph.query_url)
