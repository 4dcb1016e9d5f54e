from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from govgraph.namespaces import GG
from govgraph.vocab import ontology_path


def test_python_namespace_mirrors_the_ontology():
    graph = Graph().parse(ontology_path("govgraph.ttl"))
    declared = {
        str(s).removeprefix(str(GG._NS))
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for s in graph.subjects(RDF.type, kind)
        if str(s).startswith(str(GG._NS))
    }
    assert declared == set(GG.__annotations__)


def test_a_misspelt_term_fails_at_once():
    with pytest.raises(AttributeError):
        _ = GG.Speach
