"""The named query library: every query is documented and runs; parameters are bound, never pasted."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.query import Result

import govgraph
from govgraph.errors import QueryError
from govgraph.namespaces import GG, ID, RDF
from govgraph.queries import bind, library, parse_query_text, resolve_query, where_group_start

QUERIES = library()
INJECTION = 'x" } DROP ALL #'


def test_the_library_has_the_questions_researchers_ask():
    assert len(QUERIES) >= 15
    for query in QUERIES.values():
        assert query.title and query.purpose, f"{query.name} lacks a Title or Purpose line"
        missing = [p.name for p in query.params if p.required and p.name not in query.example]
        assert not missing, f"{query.name}: no # Example: value for {missing}"
        for param in query.params:
            assert f"?{param.name}" in query.text.split("WHERE", 1)[-1], f"{query.name}: ?{param.name} unused"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_named_query_runs_with_its_example(demo_store, name):
    query = QUERIES[name]
    result = govgraph.query(query, query.example, store=demo_store)
    if name.endswith("-violation"):
        assert len(result) == 0, f"{name} found problems:\n{result.table()}"
    else:
        assert len(result) > 0, f"{name} returned nothing with {query.example}"


@pytest.mark.parametrize(
    "name", sorted(n for n, q in QUERIES.items() if any(p.type == "string" for p in q.params))
)
def test_injected_text_is_just_a_string_that_matches_nothing(demo_store, name):
    query = QUERIES[name]
    values = dict(query.example)
    for param in query.params:
        if param.type == "string":
            values[param.name] = INJECTION
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        before = len(store)
        result = govgraph.query(query, values, store=store)
        assert len(store) == before
    assert len(result) == 0 or name.endswith("-violation") or _is_aggregate(result)


def _is_aggregate(result: govgraph.QueryResult) -> bool:
    """An aggregate over nothing still answers one row of zeros."""
    return len(result.rows) == 1 and all(str(v) in ("0", "") for v in result.rows[0].values())


def test_binding_puts_one_escaped_term_at_the_start_of_the_where_group():
    text = "PREFIX x: <urn:x#>\nSELECT (COUNT(?s) AS ?n) WHERE { ?s ?p ?name }"
    bound = bind(text, {"name": Literal(INJECTION)})
    assert bound.count("DROP ALL") == 1
    assert 'VALUES (?name) { ("x\\" } DROP ALL #") }' in bound
    parsed = ox.Store().query(bound)  # still one well-formed query with a single answer row
    assert [s["n"].value for s in parsed] == ["0"]


@pytest.mark.parametrize(
    "where",
    [
        "{ ?s <urn:label> ?l FILTER(CONTAINS(?l, ?text)) }",
        "{ SELECT ?s WHERE { ?s <urn:label> ?l FILTER(CONTAINS(?l, ?text)) } }",
        "?s <urn:label> ?l . { ?s <urn:label> ?m FILTER(STRSTARTS(?m, ?text)) } UNION { ?s <urn:no> ?m }",
        "?s <urn:label> ?l . VALUES ?values { 1 } { ?s <urn:label> ?m FILTER(CONTAINS(?m, ?text)) }",
    ],
)
def test_binding_reaches_filters_in_nested_groups_and_subqueries(where):
    store = ox.Store()
    for s, label in (("urn:a", "platform one"), ("urn:b", "other {platform}"), ("urn:c", "none")):
        store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode("urn:label"), ox.Literal(label)))
    text = f"SELECT DISTINCT ?s WHERE {{ {where} }} ORDER BY ?s"
    bound = bind(text, {"text": Literal("platform")})
    written_in = text.replace("?text", '"platform"')  # what the author means: the value in every scope
    assert [r["s"].value for r in store.query(bound)] == [r["s"].value for r in store.query(written_in)] != []


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "CONSTRUCT { ?s ?p ?o } { ?s ?p ?o }",
        "PREFIX a: <urn:a#> # a { comment\nASK { ?s ?p '}' }",
        'SELECT (CONCAT("{", ?o) AS ?x) WHERE { ?s ?p ?o }',
        "DESCRIBE ?s WHERE { ?s ?p ?o }",
    ],
)
def test_where_group_is_found_in_every_query_form(text):
    at = where_group_start(text)
    assert text[at - 1] == "{"
    bound = bind(text, {"s": URIRef("urn:x")})
    ox.Store().query(bound)  # parses


def test_short_construct_cannot_take_parameters():
    with pytest.raises(QueryError, match="short form"):
        bind("CONSTRUCT WHERE { ?s ?p ?o }", {"s": URIRef("urn:x")})


def test_typed_parameters_are_checked():
    query = parse_query_text(
        "# Title: t\n# Purpose: p\n# Param: ?n integer = 2  a number\n# Param: ?who iri  someone\n"
        "SELECT ?who ?n WHERE { ?who ?p ?n }",
        name="typed",
        path=Path("typed.rq"),
    )
    terms = query.bindings({"who": "id:person/mike-bracken"})
    assert terms["who"] == URIRef("https://w3id.org/govgraph/id/person/mike-bracken")
    assert terms["n"] == Literal(2)
    with pytest.raises(QueryError, match="must be a integer"):
        query.bindings({"who": "urn:x", "n": "two"})
    with pytest.raises(QueryError, match="needs --param who"):
        query.bindings({})
    with pytest.raises(QueryError, match="no parameter nme"):
        query.bindings({"who": "urn:x", "nme": "1"})
    with pytest.raises(QueryError, match="must be a iri"):
        query.bindings({"who": "<urn:x> } DROP ALL"})


def test_unknown_and_malformed_queries_are_query_errors(demo_store):
    with pytest.raises(QueryError, match="unknown query"):
        resolve_query("no-such-query")
    with pytest.raises(QueryError, match=r"malformed query: error at 1:\d+"):
        govgraph.query("SELECT ?x WHERE { ?x ?y }", store=demo_store)


def test_results_are_written_in_the_w3c_formats(demo_store):
    result = govgraph.query("speech-timeline", store=demo_store)
    assert result.variables and len(result) >= 10
    as_json = Result.parse(io.StringIO(result.serialize("json")), format="json")
    as_xml = Result.parse(io.BytesIO(result.serialize("xml").encode()), format="xml")
    as_tsv = Result.parse(io.StringIO(result.serialize("tsv")), format="tsv")
    assert len(as_json.bindings) == len(as_xml.bindings) == len(as_tsv.bindings) == len(result)
    assert [dict((str(k), v) for k, v in row.items()) for row in as_json.bindings] == result.rows
    rows = list(csv.reader(io.StringIO(result.serialize("csv"))))
    assert rows[0] == result.variables and len(rows) == len(result) + 1
    records = result.records()
    assert json.dumps(records, default=str) and set(records[0]) == set(result.variables)


def test_graph_results_round_trip(demo_store):
    result = govgraph.query("CONSTRUCT { ?s a gg:Speech } WHERE { ?s a gg:Speech }", store=demo_store)
    assert result.kind == "CONSTRUCT" and len(result) == 15
    for fmt, parser in (("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")):
        assert len(Graph().parse(data=result.serialize(fmt), format=parser)) == 15


# Each breakage edits one document graph of a good store; the violation query must name it.
_BREAKAGES = {
    "fact dropped, evidence kept": ("evidence-mismatch-violation", "the stated fact is not in the graph"),
    "evidence unlinked from its speech": ("evidence-mismatch-violation", "not linked from its subject"),
    "evidence without a sentence": ("evidence-mismatch-violation", "no sentence"),
    "evidence without a predicate": ("evidence-mismatch-violation", "no subject, predicate or object"),
    "evidence citing another document": ("evidence-mismatch-violation", "cites a document other"),
    "fact without evidence": ("fact-without-evidence-violation", "fact has no evidence sentence"),
    "link without a reference": ("fact-without-evidence-violation", "link has no resolved reference"),
}


@pytest.fixture(scope="module")
def breakable_store(tmp_path_factory: pytest.TempPathFactory):
    from govgraph import EmbeddedStore, build

    from .conftest import DATA

    with EmbeddedStore(tmp_path_factory.mktemp("breakable") / "store") as store:
        build([DATA], store)
        yield store


def _broken(triples: set, breakage: str, other_document: URIRef) -> set:
    """The document graph's triples with one kind of damage done to its first evidence node."""
    evidence = min(s for s, p, o in triples if p == RDF.type and o == GG.Evidence)
    speech = next(o for s, p, o in triples if s == evidence and p == RDF.subject)
    predicate = next(o for s, p, o in triples if s == evidence and p == RDF.predicate)
    obj = next(o for s, p, o in triples if s == evidence and p == RDF.object)
    drop = {
        "fact dropped, evidence kept": {(speech, predicate, obj)},
        "evidence unlinked from its speech": {(speech, GG.evidence, evidence)},
        "evidence without a sentence": {t for t in triples if t[0] == evidence and t[1] == GG.sentence},
        "evidence without a predicate": {(evidence, RDF.predicate, predicate)},
        "evidence citing another document": {t for t in triples
                                             if t[0] == evidence and t[1] == GG.sourceDocument},
    }.get(breakage, set())
    add = {
        "evidence citing another document": {(evidence, GG.sourceDocument, other_document)},
        "fact without evidence": {(speech, GG.discusses, ID["theme/unsupported"])},
        "link without a reference": {(speech, GG.follows, ID["speech/elsewhere"])},
    }.get(breakage, set())
    return (triples - drop) | add


@pytest.mark.parametrize("breakage", sorted(_BREAKAGES))
def test_violation_queries_find_what_is_broken(breakable_store, breakage):
    name, problem = _BREAKAGES[breakage]
    documents = sorted(n for n in breakable_store.graph_names() if "/document/" in n)
    graph = documents[0]
    original = {tuple(t) for t in Graph().parse(data=dict(breakable_store.export_graphs())[graph],
                                                format="nt")}
    assert len(govgraph.query(name, store=breakable_store)) == 0
    breakable_store.replace_graph(graph, _broken(original, breakage, documents[1]))
    try:
        problems = {str(row["problem"]) for row in govgraph.query(name, store=breakable_store).records()}
    finally:
        breakable_store.replace_graph(graph, original)
    assert any(p.startswith(problem) for p in problems), f"{breakage}: {name} answered {problems}"
