"""The SPARQL validator must report exactly what pySHACL, the reference engine, reports."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH, XSD

import govgraph
from govgraph.cli import cli
from govgraph.constraints import Shapes, project_shapes
from govgraph.errors import ValidationError
from govgraph.namespaces import DCTERMS, FOAF, GG, ID, ORG, RDF, SDO, SKOS
from govgraph.store import graph_nquads
from govgraph.validate import validate_graph, validate_nquads
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


def test_every_shape_of_the_project_is_compiled_and_none_refused():
    compiled = project_shapes()
    declared = set(shapes_graph().subjects(RDF.type, SH.NodeShape))
    assert declared <= set(compiled.shapes)
    assert {s for s in declared if (s, SH.targetClass, None) in shapes_graph()} == set(compiled.roots)


def test_an_unsupported_construct_is_refused_before_validation_not_a_silent_pass():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:property [ sh:path <urn:p> ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] ] .
    """, format="turtle")
    with pytest.raises(ValidationError, match=r"^unsupported: sh:sparql in the property shape of <urn:p>"):
        Shapes(shapes)


@pytest.mark.parametrize("shape, refusal", [
    ('sh:path <urn:p> ; sh:pattern "([a-"', "not a valid regular expression"),
    ('sh:path <urn:p> ; sh:pattern "^a" ; sh:flags "zz"', "not a valid regular expression"),
    ("sh:node <urn:s>", "a recursive shape"),
    ("sh:path [ sh:inversePath <urn:p> ; sh:alternativePath ( <urn:p> <urn:q> ) ]", "an ill-formed sh:path"),
    ("sh:path <urn:p> ; sh:class [ a <urn:C> ]", "a blank node as a value of sh:class"),
    ('sh:path <urn:p> ; sh:minCount "one"', "not an integer"),
])
def test_shapes_the_engine_cannot_check_are_refused_in_one_line(shape, refusal):
    shapes = Graph().parse(data=f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> sh:targetNode <urn:i> ; {shape} .
    """, format="turtle")
    with pytest.raises(ValidationError, match=f"^unsupported: .*{refusal}.* in <urn:s>"):
        Shapes(shapes)


def test_an_event_on_31_september_breaks_the_shapes_on_both_engines(good):
    broken = Graph()
    broken += good
    broken.remove((EVENT, DCTERMS.date, None))
    broken.add((EVENT, DCTERMS.date, Literal("2014-09-31", datatype=XSD.date)))
    for engine in ("sparql", "pyshacl"):
        assert (EVENT, DCTERMS.date) in _found(validate_graph(broken, engine)), engine


def test_the_store_path_finds_an_ill_formed_date_too(good):
    broken = Graph()
    broken += good
    broken.remove((EVENT, DCTERMS.date, None))
    broken.add((EVENT, DCTERMS.date, Literal("2014-09-31", datatype=XSD.date)))
    nquads = graph_nquads(broken, ID["document/broken"])
    assert (EVENT, DCTERMS.date) in _found(validate_nquads(nquads))


def _shapes_and_data(shapes: str, data: str) -> tuple[Graph, Graph]:
    prefixes = ("@prefix sh: <http://www.w3.org/ns/shacl#> . "
                "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ")
    return (Graph().parse(data=prefixes + shapes, format="turtle"),
            Graph().parse(data=prefixes + data, format="turtle"))


@pytest.mark.parametrize("value, conforms", [('"7"^^xsd:byte', True), ('"c"^^xsd:byte', False),
                                             ('"2011-09-31"^^xsd:date', False)])
def test_sh_datatype_checks_the_lexical_form(value, conforms):
    datatype = "xsd:date" if "date" in value else "xsd:byte"
    shapes, data = _shapes_and_data(
        f"<urn:s> sh:targetNode <urn:i> ; sh:path <urn:p> ; sh:datatype {datatype} .",
        f"<urn:i> <urn:p> {value} .")
    if conforms:  # pyoxigraph stores a valid xsd:byte as an xsd:integer: refused, never guessed
        with pytest.raises(ValidationError, match=r"^unsupported: the literal"):
            validate_graph(data, "sparql", shapes)
    else:
        assert not validate_graph(data, "sparql", shapes).conforms
    assert validate_graph(data, "pyshacl", shapes).conforms is conforms


def test_sh_in_compares_terms_not_values():
    shapes, data = _shapes_and_data(
        "<urn:s> sh:targetNode <urn:i> ; sh:path <urn:p> ; sh:in ( 1 ) .", "<urn:i> <urn:p> 1.0, 1 .")
    report = validate_graph(data, "sparql", shapes)
    assert [(v.value, v.component) for v in report.results] == [(Literal("1.0", datatype=XSD.decimal),
                                                                  SH.InConstraintComponent)]


def test_literals_the_store_would_merge_are_refused():
    shapes, data = _shapes_and_data("<urn:s> sh:targetNode <urn:i> ; sh:path <urn:p> ; sh:maxCount 1 .", "")
    data.add((URIRef("urn:i"), URIRef("urn:p"), Literal("4.0", datatype=XSD.decimal, normalize=False)))
    data.add((URIRef("urn:i"), URIRef("urn:p"), Literal("4.00", datatype=XSD.decimal, normalize=False)))
    with pytest.raises(ValidationError, match="stores as one"):
        validate_graph(data, "sparql", shapes)


def test_a_warning_alone_means_the_graph_does_not_conform_on_both_engines():
    shapes, data = _shapes_and_data(
        "<urn:s> sh:targetNode <urn:i> ; sh:path <urn:p> ; sh:minCount 1 ; sh:severity sh:Warning .", "")
    for engine in ("sparql", "pyshacl"):
        report = validate_graph(data, engine, shapes)
        assert not report.conforms and not report.violations and len(report.warnings) == 1, engine


def test_the_report_is_a_w3c_validation_report_with_its_paths():
    shapes, data = _shapes_and_data(
        "<urn:s> sh:targetNode <urn:i> ; sh:path ( <urn:p> [ sh:inversePath <urn:q> ] ) ; sh:minCount 2 .",
        "<urn:i> <urn:p> <urn:j> . <urn:k> <urn:q> <urn:j> .")
    report = Graph().parse(data=validate_graph(data, "sparql", shapes).to_turtle(), format="turtle")
    (result,) = report.objects(None, SH.result)
    assert report.value(next(report.subjects(RDF.type, SH.ValidationReport)), SH.conforms) == Literal(False)
    assert report.value(result, SH.focusNode) == URIRef("urn:i")
    assert report.value(result, SH.sourceConstraintComponent) == SH.MinCountConstraintComponent
    path = report.value(result, SH.resultPath)
    assert report.value(path, RDF.first) == URIRef("urn:p")
    second = report.value(report.value(path, RDF.rest), RDF.first)
    assert report.value(second, SH.inversePath) == URIRef("urn:q")


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


@pytest.fixture
def files(tmp_path):
    shapes = tmp_path / "shapes.ttl"
    shapes.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                      "<urn:s> sh:targetSubjectsOf <urn:p> ; sh:path <urn:p> ; sh:maxCount 1 .\n")
    good, bad = tmp_path / "good.nt", tmp_path / "bad.ttl"
    good.write_text("<urn:i> <urn:p> <urn:a> .\n")
    bad.write_text("<urn:i> <urn:p> <urn:a>, <urn:b> .\n")
    return shapes, good, bad


@pytest.mark.parametrize("engine", ["sparql", "pyshacl"])
def test_validate_command_checks_any_files_against_any_shapes(files, engine):
    shapes, good, bad = files
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "--data", str(good), "--shapes", str(shapes),
                                 "--engine", engine])
    assert result.exit_code == 0 and "conforms" in result.output
    result = runner.invoke(cli, ["validate", "--data", str(good), "--data", str(bad), "--shapes", str(shapes),
                                 "--engine", engine, "--format", "turtle"])
    assert result.exit_code == 1
    report = Graph().parse(data=result.output, format="turtle")
    assert set(report.objects(None, SH.focusNode)) == {URIRef("urn:i")}
    assert set(report.objects(None, SH.sourceConstraintComponent)) == {SH.MaxCountConstraintComponent}


def test_validate_command_exits_2_with_one_line_when_it_cannot_run(files, tmp_path):
    shapes, good, _ = files
    unsupported = tmp_path / "sparql-shapes.ttl"
    unsupported.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
                           "<urn:s> sh:targetNode <urn:i> ; sh:sparql [ sh:select \"SELECT $this {}\" ] .\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["validate", "--data", str(good), "--shapes", str(unsupported)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: unsupported: sh:sparql in <urn:s>")
    assert len(result.stderr.strip().splitlines()) == 1
    missing = tmp_path / "missing.ttl"
    result = runner.invoke(cli, ["validate", "--data", str(missing), "--shapes", str(shapes)])
    assert result.exit_code == 2 and "cannot read the data file" in result.stderr
    result = runner.invoke(cli, ["validate", "--data", str(good)])
    assert result.exit_code == 2 and "--data and --shapes go together" in result.stderr


def test_validate_help_explains_with_an_example():
    result = CliRunner().invoke(cli, ["validate", "--help"])
    assert result.exit_code == 0 and "--shapes" in result.output
    assert "Example: govgraph validate" in result.output
