"""The SPARQL validator must report exactly what pySHACL, the reference engine, reports."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef

import govgraph
from govgraph.cli import cli
from govgraph.constraints import compile_shapes, compiled_checks
from govgraph.errors import ValidationError
from govgraph.namespaces import DCTERMS, FOAF, GG, ID, ORG, RDF, SDO, SKOS
from govgraph.validate import validate_graph
from govgraph.vocab import ontology_graph, shapes_graph

from .conftest import DATA

SPEECH = ID["speech/ifg-2014-bracken-strategy-is-delivery"]
EVENT = ID["event/digital-government-the-strategy-is-delivery-2014"]
PERSON = ID["person/mike-bracken"]
REFERENCE = ID["reference/test/0"]
BREAKAGES = {
    "speech without a title": lambda g: g.remove((SPEECH, DCTERMS.title, None)),
    "title as a number": lambda g: (g.remove((SPEECH, DCTERMS.title, None)),
                                    g.add((SPEECH, DCTERMS.title, Literal(42)))),
    "two source documents": lambda g: g.add((SPEECH, GG.sourceDocument, ID["document/other"])),
    "speaker not a gg:Speaker": lambda g: g.add((SPEECH, GG.deliveredBy, ID["person/nobody"])),
    "theme outside the scheme": lambda g: g.add((SPEECH, GG.discusses, ID["pressure/financial"])),
    "event date as text": lambda g: (g.remove((EVENT, DCTERMS.date, None)),
                                     g.add((EVENT, DCTERMS.date, Literal("July 2014")))),
    "unknown event format": lambda g: (g.remove((EVENT, GG.eventFormat, None)),
                                       g.add((EVENT, GG.eventFormat, SDO.Event))),
    "speaker name too short": lambda g: (g.remove((PERSON, FOAF.name, None)),
                                         g.add((PERSON, FOAF.name, Literal("MB")))),
    "membership without member": lambda g: g.remove((None, ORG.member, PERSON)),
    "theme without a label": lambda g: g.remove((ID["theme/digital-transformation"], SKOS.prefLabel, None)),
    "evidence with two sentences": lambda g: g.add((next(g.subjects(RDF.type, GG.Evidence)), GG.sentence,
                                                    Literal("another"))),
    "language-tagged title": lambda g: (g.remove((SPEECH, DCTERMS.title, None)),
                                        g.add((SPEECH, DCTERMS.title, Literal("t", lang="en")))),
    "reference without a kind": lambda g: g.add((REFERENCE, RDF.type, GG.SpeechReference)),
    "reference resolving to a theme": lambda g: (g.add((REFERENCE, RDF.type, GG.SpeechReference)),
                                                 g.add((REFERENCE, GG.referenceKind, Literal("follows"))),
                                                 g.add((REFERENCE, GG.resolvesTo,
                                                        ID["theme/digital-transformation"]))),
}


@pytest.fixture(scope="module")
def good() -> Graph:
    graph = Graph()
    graph += ontology_graph()
    extraction = govgraph.extract_file(DATA / "ifg-2014-bracken-strategy-is-delivery.txt")
    from govgraph.graph import extraction_graph

    graph += extraction_graph(extraction)
    return graph


def _found(report) -> set[tuple[str, str | None]]:
    return {(v.focus, v.path) for v in report.violations if v.severity == "Violation"}


def test_both_engines_accept_a_good_graph(good):
    assert validate_graph(good, "sparql").conforms
    assert validate_graph(good, "pyshacl").conforms


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_both_engines_find_the_same_violations(good, breakage):
    broken = Graph()
    broken += good
    BREAKAGES[breakage](broken)
    sparql, reference = validate_graph(broken, "sparql"), validate_graph(broken, "pyshacl")
    assert not reference.conforms, f"the breakage '{breakage}' is not a violation at all"
    assert _found(sparql) == _found(reference)


def test_every_constraint_in_the_shapes_is_compiled():
    assert len(compiled_checks()) >= 40
    paths = {c.path for c in compiled_checks()}
    shapes = shapes_graph()
    from rdflib.namespace import SH

    declared = {str(p) for p in shapes.objects(None, SH.path)} - {str(SKOS.inScheme)}
    assert declared <= paths | {str(SKOS.inScheme)}


def test_an_unknown_constraint_is_an_error_not_a_silent_pass():
    shapes = Graph()
    shapes.parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:pattern "^a" ] .
    """, format="turtle")
    with pytest.raises(ValidationError, match="cannot check"):
        list(compile_shapes(shapes, Graph()))


def test_validate_command_engines_agree_on_the_demo_store(demo_store):
    runner = CliRunner()
    for engine in ("sparql", "pyshacl"):
        result = runner.invoke(cli, ["validate", "--store", str(demo_store), "--engine", engine])
        assert result.exit_code == 0 and "conforms" in result.output


def test_a_store_with_a_broken_graph_fails_validation(demo_store, tmp_path):
    import shutil

    path = tmp_path / "store"
    shutil.copytree(demo_store, path)
    with govgraph.EmbeddedStore(path) as store:
        broken = Graph()
        broken.add((URIRef(str(SPEECH)), GG.deliveredBy, ID["person/nobody"]))
        store.put_graphs({ID["document/broken"]: broken})
    result = CliRunner().invoke(cli, ["validate", "--store", str(path)])
    assert result.exit_code == 1 and "gg:deliveredBy must point to a gg:Speaker" in result.output
