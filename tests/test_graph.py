from __future__ import annotations

from rdflib import URIRef
from rdflib.compare import isomorphic

from govgraph.build import extract_file
from govgraph.graph import (
    ReferenceRow,
    SpeechRow,
    document_iri,
    extraction_graph,
    resolve_reference,
    speech_iri,
)
from govgraph.namespaces import GG, ID, RDF, SKOS

from .conftest import DATA

BRACKEN = DATA / "ifg-2014-bracken-strategy-is-delivery.txt"


def test_same_document_gives_the_same_graph():
    assert isomorphic(extraction_graph(extract_file(BRACKEN)), extraction_graph(extract_file(BRACKEN)))


def test_every_fact_about_the_speech_has_evidence():
    graph = extraction_graph(extract_file(BRACKEN))
    speech = speech_iri("ifg-2014-bracken-strategy-is-delivery")
    doc = document_iri("ifg-2014-bracken-strategy-is-delivery")
    for predicate in (GG.deliveredBy, GG.discusses, GG.namesPressure, GG.mentionsDepartment):
        for obj in graph.objects(speech, predicate):
            evidence = [e for e in graph.subjects(RDF.subject, speech)
                        if (e, RDF.predicate, predicate) in graph and (e, RDF.object, obj) in graph]
            assert evidence, (predicate, obj)
            for node in evidence:
                assert (node, GG.sourceDocument, doc) in graph
                assert str(graph.value(node, GG.sentence)) in extract_file(BRACKEN).document.text


def test_every_sentence_naming_a_concept_is_its_evidence():
    extraction = extract_file(BRACKEN)
    graph = extraction_graph(extraction)
    speech = speech_iri("ifg-2014-bracken-strategy-is-delivery")
    for predicate, facts in ((GG.namesPressure, extraction.pressures), (GG.discusses, extraction.themes)):
        for fact in facts:
            obj = next(o for o in graph.objects(speech, predicate) if str(o).endswith("/" + fact.key))
            sentences = {(str(graph.value(e, GG.sentence)), graph.value(e, GG.charStart).toPython())
                         for e in graph.subjects(RDF.object, obj)
                         if (e, RDF.predicate, predicate) in graph}
            assert sentences == {(e.sentence, e.start) for e in fact.all_evidence}
    assert any(fact.more for fact in extraction.themes), "the speech names some theme more than once"


def test_iris_live_in_the_instance_namespace():
    graph = extraction_graph(extract_file(BRACKEN))
    for s in graph.subjects():
        assert str(s).startswith(str(ID))
    assert (None, GG.deliveredBy, ID["person/mike-bracken"]) in graph


def _speech(slug, speaker, title, date=None):
    return SpeechRow(ID[f"speech/{slug}"], speaker, (title,), date)


def test_reference_resolution_needs_an_unambiguous_match():
    speeches = [_speech("a", "martin-donnelly", "Positive Neutrality and Trust", "2014-06-30"),
                _speech("b", "martin-donnelly", "Another Talk Entirely", "2015-01-01"),
                _speech("c", "mike-bracken", "Digital Government", "2014-07")]
    ref = ReferenceRow(ID["reference/x"], ID["speech/c"], "Martin Donnelly",
                       "Positive Neutrality and Trust - the policy role", "follows", "2014-07")
    assert resolve_reference(ref, speeches) == ID["speech/a"]
    untitled = ReferenceRow(ID["reference/y"], ID["speech/c"], "Martin Donnelly", None, "follows",
                            "2014-07")
    assert resolve_reference(untitled, speeches) == ID["speech/a"]
    unknown = ReferenceRow(ID["reference/z"], ID["speech/c"], "Nobody Known", "X", "refers", None)
    assert resolve_reference(unknown, speeches) is None


def test_bodies_outside_the_gazetteer_are_typed_by_the_shape_of_their_name():
    from govgraph.documents import parse_document
    from govgraph.extract import extract
    from govgraph.namespaces import ORGANISATION_TYPE
    from govgraph.vocab import default_lexicon, ontology_graph

    text = ("Speech by Jo Bloggs at the Places Summit.\n\n"
            "Jo Bloggs, Head of Digital at Kelmscott District Council, said that Kelmscott District "
            "Council and NHS Tayside had shared their booking platform with the Department for Education.")
    extraction = extract(parse_document(text.encode(), "t.txt", "text/plain"), default_lexicon())
    graph = extraction_graph(extraction)
    types = {str(graph.value(o, GG.organisationType)): str(o) for o in graph.subjects(GG.organisationType, None)}
    assert types == {
        str(ORGANISATION_TYPE["local-authority"]): str(ID["organisation/kelmscott-district-council"]),
        str(ORGANISATION_TYPE["public-body"]): str(ID["organisation/nhs-tayside"]),
    }
    vocabulary = ontology_graph()  # the types are concepts of the organisation-types scheme
    assert all((URIRef(t), RDF.type, SKOS.Concept) in vocabulary for t in types)
