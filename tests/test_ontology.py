from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from govgraph.namespaces import GG, ID, PRESSURE_SCHEME, THEME_SCHEME
from govgraph.vocab import ontology_graph, ontology_path, shapes_graph

SH = "http://www.w3.org/ns/shacl#"


def _load(name: str) -> Graph:
    return Graph().parse(ontology_path(name))


def test_every_ontology_term_is_documented_and_aligned():
    graph = _load("govgraph.ttl")
    assert graph.value(URIRef("https://w3id.org/govgraph/ontology"), OWL.versionInfo)
    terms = [s for k in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
             for s in graph.subjects(RDF.type, k)]
    assert len(terms) >= 30
    for term in terms:
        assert graph.value(term, RDFS.label), term
        assert graph.value(term, RDFS.comment), term
        assert graph.value(term, RDFS.isDefinedBy), term
    for cls in (GG.Speaker, GG.Speech, GG.Event, GG.Department, GG.SourceDocument, GG.Theme):
        parents = {str(o) for o in graph.objects(cls, RDFS.subClassOf)}
        assert any(p.startswith(("https://schema.org/", "http://xmlns.com/foaf/",
                                 "http://www.w3.org/ns/", "http://www.w3.org/2004/02/skos"))
                   for p in parents), cls


def test_pressure_scheme_has_the_five_identifiers():
    graph = _load("pressures.ttl")
    concepts = set(graph.subjects(SKOS.inScheme, PRESSURE_SCHEME))
    assert {str(c).rsplit("/", 1)[-1] for c in concepts} == {
        "financial", "user-demand", "internal-tools", "security", "procurement"}
    for concept in concepts:
        assert graph.value(concept, SKOS.prefLabel)
        assert graph.value(concept, SKOS.definition)
        assert len(list(graph.objects(concept, SKOS.hiddenLabel))) >= 4
    financial = {str(x) for x in graph.objects(ID["pressure/financial"], SKOS.hiddenLabel)}
    assert {"budget cuts", "spending constraints"} <= financial


def test_theme_scheme_is_a_hierarchy_of_labelled_concepts():
    graph = _load("themes.ttl")
    concepts = set(graph.subjects(SKOS.inScheme, THEME_SCHEME))
    assert len(concepts) >= 25
    assert any(graph.objects(c, SKOS.broader) for c in concepts)
    for concept in concepts:
        assert graph.value(concept, SKOS.prefLabel), concept
        for broader in graph.objects(concept, SKOS.broader):
            assert (broader, SKOS.narrower, concept) in graph


def test_gazetteer_has_departments_with_govuk_slugs_and_hosts():
    graph = _load("organisations.ttl")
    departments = set(graph.subjects(RDF.type, GG.Department))
    assert len(departments) >= 40
    for org in departments:
        slug = graph.value(org, DCTERMS.identifier)
        assert slug and str(org).endswith(f"/{slug}"), org
    hosts = {str(graph.value(o, SKOS.prefLabel)) for o in graph.subjects(RDF.type, GG.Organisation)}
    assert "Institute for Government" in hosts
    hmrc = ID["organisation/hm-revenue-customs"]
    assert "HMRC" in {str(x) for x in graph.objects(hmrc, GG.abbreviation)}


def test_every_node_shape_is_named_and_explains_itself():
    shapes = shapes_graph()
    node_shapes = list(shapes.subjects(RDF.type, URIRef(SH + "NodeShape")))
    assert len(node_shapes) >= 8
    for shape in node_shapes:
        assert shapes.value(shape, URIRef(SH + "name")), shape
        assert shapes.value(shape, URIRef(SH + "description")), shape


def test_ontology_files_load_together():
    assert len(ontology_graph()) > 3000


def test_gazetteer_covers_other_countries_each_with_its_country_and_kinds():
    graph = _load("organisations.ttl")
    countries = {str(graph.value(o, DCTERMS.spatial)) for o in graph.subjects(RDF.type, GG.Department)}
    assert {"Canada", "Australia", "United States", "New Zealand", "European Union"} <= countries
    for slug, country in [("treasury-board-of-canada-secretariat", "Canada"),
                          ("services-australia", "Australia"),
                          ("us-social-security-administration", "United States"),
                          ("new-zealand-ministry-of-social-development", "New Zealand"),
                          ("directorate-general-for-informatics", "European Union")]:
        assert str(graph.value(ID[f"organisation/{slug}"], DCTERMS.spatial)) == country, slug
    kinds = set(graph.objects(ID["scheme/organisation-types"], SKOS.hasTopConcept))
    assert {ID["organisation-type/local-authority"], ID["organisation-type/devolved-government"]} <= kinds
    treasury = {str(x) for p in (SKOS.prefLabel, SKOS.altLabel)
                for x in graph.objects(ID["organisation/treasury-board-of-canada-secretariat"], p)}
    assert "Treasury" not in treasury and "the Treasury" not in treasury
