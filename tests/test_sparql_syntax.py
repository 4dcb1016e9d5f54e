"""The checks a query passes before the engine sees it: no SERVICE, no nesting that kills the process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from govgraph.cli import cli
from govgraph.errors import QueryError
from govgraph.queries import library, with_prefixes
from govgraph.sparql_syntax import MAX_DEPTH, MAX_STRUCTURE, check_query

from .servers import Listener

SERVICE_FORMS = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service silent <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SeRvIcE <{url}> { ?s ?p ?o } } } }",
    "SELECT * WHERE { # a comment with } and { in it\n SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c.SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { BIND(<{url}> AS ?where) SERVICE ?where { ?s ?p ?o } }",
    "PREFIX remote: <{url}> SELECT * WHERE { SERVICE remote: { ?s ?p ?o } }",
]
HARMLESS = [
    'SELECT * WHERE { BIND("SERVICE <http://127.0.0.1:1/> { }" AS ?text) }',
    "SELECT * WHERE { # SERVICE <http://127.0.0.1:1/> { ?s ?p ?o }\n ?s ?p ?o }",
    "PREFIX SERVICE: <http://example.org/> SELECT * WHERE { ?s SERVICE:p ?o }",
    "SELECT ?service WHERE { ?service <http://example.org/service> ?o }",
]


def _escaped(url: str) -> str:
    """The IRI with its first letter as a \\u escape, which SPARQL allows inside IRIs."""
    return "\\u0068" + url[1:]


@pytest.mark.parametrize("form", SERVICE_FORMS)
def test_every_form_of_service_is_refused(form: str):
    for url in ("http://127.0.0.1:9/sparql", _escaped("http://127.0.0.1:9/sparql")):
        with pytest.raises(QueryError, match="SERVICE"):
            check_query(form.replace("{url}", url))
    check_query(form.replace("{url}", "http://127.0.0.1:9/"), allow_service=True)


@pytest.mark.parametrize("text", HARMLESS)
def test_service_in_strings_comments_and_names_is_not_a_clause(text: str):
    check_query(text)
    list(ox.Store().query(text))  # and the engine agrees it is a query without SERVICE


def test_the_engine_does_not_unescape_keywords():
    """Why tokens suffice: a keyword written with \\u escapes is not a keyword to pyoxigraph."""
    with pytest.raises(SyntaxError):
        ox.Store().query("SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")


def test_every_named_query_passes():
    for query in library().values():
        check_query(with_prefixes(query.text))


def test_limits_are_refused_with_a_line_that_says_which():
    with pytest.raises(QueryError, match="nests brackets"):
        check_query("ASK { FILTER(" + "(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1) + ") }")
    check_query("ASK { FILTER(" + "(" * (MAX_DEPTH - 2) + "1" + ")" * (MAX_DEPTH - 2) + ") }")
    with pytest.raises(QueryError, match="operators"):
        check_query("ASK { BIND(1" + "+1" * MAX_STRUCTURE + " AS ?x) }")
    with pytest.raises(QueryError, match="operators"):
        check_query("ASK { " + " UNION ".join(["{ BIND(1 AS ?x) }"] * (MAX_STRUCTURE + 1)) + " }")
    check_query("ASK { VALUES ?x { " + " ".join(map(str, range(50_000))) + " } }")  # data is not structure


def test_checking_is_linear_in_the_text():
    """A long run of name characters and dots is read in one pass (a pattern per dot would be quadratic)."""
    import time

    def seconds(n: int) -> float:
        text = "ASK { } " + "a." * n
        start = time.perf_counter()
        with pytest.raises(QueryError):
            check_query(text)
        return time.perf_counter() - start

    seconds(2000)
    assert seconds(400_000) < 6 * seconds(200_000) + 0.05


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def test_query_refuses_service_on_the_embedded_store_and_contacts_no_one(demo_store, listener):
    for form in SERVICE_FORMS:
        query = form.replace("{url}", listener.url)
        result = CliRunner().invoke(cli, ["query", query, "--store", str(demo_store)])
        assert result.exit_code == 1, result.output
        assert result.output.startswith("Error: SERVICE clauses are refused"), result.output
        assert result.output.count("\n") == 1
    assert not listener.contacted.is_set()


def test_allow_service_is_the_explicit_way_to_fetch(demo_store, listener):
    query = SERVICE_FORMS[0].replace("{url}", listener.url)
    result = CliRunner().invoke(cli, ["query", query, "--store", str(demo_store), "--allow-service"])
    assert result.exit_code == 1  # the listener is no SPARQL endpoint: a clear error, after contact
    assert listener.contacted.wait(5)


def test_deep_nesting_is_a_one_line_error_not_a_crash(demo_store: Path):
    deep = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    done = subprocess.run([sys.executable, "-m", "govgraph", "query", deep, "--store", str(demo_store)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, (done.returncode, done.stderr[-300:])
    assert done.stderr.startswith("Error: the query nests brackets") and done.stderr.count("\n") == 1


def test_long_inline_queries_are_queries_not_file_names(demo_store: Path):
    long_query = "SELECT (COUNT(*) AS ?n) WHERE { " + "?s ?p ?o . " * 40 + "}"
    assert len(long_query) > 255
    result = CliRunner().invoke(cli, ["query", long_query, "--store", str(demo_store), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "n"
