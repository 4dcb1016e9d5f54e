"""Random breakages of a built graph: the SPARQL engine must report what pySHACL reports.

Each seed breaks a graph built from the bundled data a few times over (a required property
dropped, a date made ill-formed, a datatype changed, a second value where one is allowed, a type
removed, a value outside its list), and both engines must give the same set of results.
"""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

import govgraph
from govgraph.graph import extraction_graph
from govgraph.namespaces import DCTERMS, GG, ID
from govgraph.validate import validate_graph
from govgraph.vocab import ontology_graph, shapes_graph

from .conftest import DATA

SEEDS = range(24)
DOCUMENTS = ("ifg-2014-bracken-strategy-is-delivery.txt", "sprint13-2013-maude-digital-by-default.txt")


@pytest.fixture(scope="module")
def built() -> Graph:
    graph = Graph()
    graph += ontology_graph()
    for name in DOCUMENTS:
        graph += extraction_graph(govgraph.extract_file(DATA / name))
    return graph


def _paths(component: URIRef) -> list[URIRef]:
    shapes = shapes_graph()
    paths = (shapes.value(s, SH.path) for s in shapes.subjects(component, None))
    return sorted({p for p in paths if isinstance(p, URIRef)})


def _triples(graph: Graph, predicates: list[URIRef], rng: random.Random) -> tuple | None:
    found = sorted((t for p in predicates for t in graph.triples((None, p, None))), key=str)
    return rng.choice(found) if found else None


def _drop_required(graph: Graph, rng: random.Random) -> None:
    if triple := _triples(graph, _paths(SH.minCount), rng):
        graph.remove(triple)


def _ill_formed_date(graph: Graph, rng: random.Random) -> None:
    if triple := _triples(graph, [DCTERMS.date], rng):
        graph.remove(triple)
        graph.add((triple[0], triple[1], Literal(rng.choice(["2014-09-31", "2014-02-30", "2014-13-01"]),
                                                 datatype=XSD.date)))


def _change_datatype(graph: Graph, rng: random.Random) -> None:
    if triple := _triples(graph, _paths(SH.datatype), rng):
        graph.remove(triple)
        text = str(triple[2])
        changed = rng.choice([Literal(text, lang="en"), Literal(text, datatype=XSD.anyURI),
                              URIRef("urn:not-a-literal")])
        graph.add((triple[0], triple[1], changed))


def _second_value(graph: Graph, rng: random.Random) -> None:
    if triple := _triples(graph, _paths(SH.maxCount), rng):
        other = triple[2] if isinstance(triple[2], Literal) else URIRef(f"{triple[2]}-other")
        graph.add((triple[0], triple[1], Literal(f"{other} again") if isinstance(other, Literal) else other))


def _untyped(graph: Graph, rng: random.Random) -> None:
    classes = [GG.Speaker, GG.Event, GG.SourceDocument, GG.Theme, GG.Organisation, GG.Speech]
    found = sorted(graph.subjects(RDF.type, rng.choice(classes)), key=str)
    if found:
        graph.remove((rng.choice(found), RDF.type, None))


def _outside_list(graph: Graph, rng: random.Random) -> None:
    if triple := _triples(graph, [GG.eventFormat, GG.discusses, GG.namesPressure], rng):
        graph.remove(triple)
        outside = rng.choice([ID["theme/unknown"], ID["pressure/financial"], GG.Event])
        graph.add((triple[0], triple[1], outside))


BREAKAGES = (_drop_required, _ill_formed_date, _change_datatype, _second_value, _untyped, _outside_list)


def _results(report) -> set[tuple]:
    return {(v.focus, v.path, v.severity, v.component) for v in report.results}


@pytest.mark.parametrize("seed", SEEDS)
def test_random_breakages_give_the_same_results_on_both_engines(built, seed):
    broken = _broken(built, seed)
    reference = validate_graph(broken, "pyshacl")
    assert _results(validate_graph(broken, "sparql")) == _results(reference)


def test_the_breakages_do_break_the_graph(built):
    broken = [seed for seed in SEEDS if validate_graph(_broken(built, seed), "pyshacl").violations]
    assert len(broken) >= len(SEEDS) * 3 // 4  # a breakage may land on a triple no shape reads


def _broken(built: Graph, seed: int) -> Graph:
    rng = random.Random(seed)
    broken = Graph()
    broken += built
    for breakage in rng.sample(BREAKAGES, k=rng.randint(1, 3)):
        breakage(broken, rng)
    return broken
