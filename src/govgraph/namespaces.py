"""Vocabulary terms as Python names, so a typo fails at import rather than as an empty query.

``GG`` mirrors ``ontology/govgraph.ttl`` term for term (a test keeps the two in step); ``ID`` is
the separate namespace for instances minted by the loader.
"""

from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    XSD,
    DefinedNamespace,
)

ONTOLOGY_IRI = URIRef("https://w3id.org/govgraph/ontology")
ID = Namespace("https://w3id.org/govgraph/id/")
ORGANISATION_TYPE = Namespace(f"{ID}organisation-type/")  # the organisation-types scheme's concepts


class GG(DefinedNamespace):
    """The govgraph ontology: https://w3id.org/govgraph/ontology#."""

    _fail = True
    _NS = Namespace("https://w3id.org/govgraph/ontology#")

    # classes
    Speaker: URIRef
    Role: URIRef
    Membership: URIRef
    Speech: URIRef
    Event: URIRef
    Theme: URIRef
    Pressure: URIRef
    Organisation: URIRef
    Department: URIRef
    SourceDocument: URIRef
    Evidence: URIRef
    SpeechReference: URIRef
    Relatedness: URIRef
    FieldEvidence: URIRef
    PoliticalPeriod: URIRef
    SpeechType: URIRef
    # object properties
    deliveredBy: URIRef
    deliveredAt: URIRef
    discusses: URIRef
    namesPressure: URIRef
    mentionsDepartment: URIRef
    refersTo: URIRef
    follows: URIRef
    hasReference: URIRef
    resolvesTo: URIRef
    speakerRole: URIRef
    hostedBy: URIRef
    hosted: URIRef
    eventFormat: URIRef
    sourceDocument: URIRef
    organisationType: URIRef
    evidence: URIRef
    relatedSpeech: URIRef
    relatedness: URIRef
    relatedTo: URIRef
    sharesConcept: URIRef
    fromOrganisation: URIRef
    speechType: URIRef
    underGovernment: URIRef
    topicalEvent: URIRef
    # datatype properties
    abbreviation: URIRef
    historic: URIRef
    sentence: URIRef
    charStart: URIRef
    contentHash: URIRef
    fileName: URIRef
    referencedSpeaker: URIRef
    referencedTitle: URIRef
    referenceKind: URIRef
    score: URIRef
    rank: URIRef
    reason: URIRef
    fieldPath: URIRef
    location: URIRef
    heldOn: URIRef
    withdrawn: URIRef
    withdrawnOn: URIRef
    withdrawalExplanation: URIRef


THEME_SCHEME = ID["scheme/themes"]
PRESSURE_SCHEME = ID["scheme/pressures"]
SPEECH_TYPE_SCHEME = ID["scheme/speech-types"]
VOCABULARY_GRAPH = ID["graph/vocabulary"]
LINKS_GRAPH = ID["graph/links"]
RELATED_GRAPH = ID["graph/related"]

PREFIXES: dict[str, Namespace | str] = {
    "gg": GG._NS,
    "id": ID,
    "rdf": RDF._NS,
    "rdfs": RDFS._NS,
    "owl": OWL._NS,
    "xsd": XSD._NS,
    "skos": SKOS._NS,
    "dcterms": DCTERMS._NS,
    "foaf": FOAF._NS,
    "org": ORG._NS,
    "prov": PROV._NS,
    "schema": SDO._NS,
}

__all__ = [
    "DCTERMS",
    "FOAF",
    "GG",
    "ID",
    "LINKS_GRAPH",
    "ONTOLOGY_IRI",
    "ORG",
    "ORGANISATION_TYPE",
    "OWL",
    "PREFIXES",
    "PRESSURE_SCHEME",
    "PROV",
    "RDF",
    "RDFS",
    "RELATED_GRAPH",
    "SDO",
    "SKOS",
    "SPEECH_TYPE_SCHEME",
    "THEME_SCHEME",
    "VOCABULARY_GRAPH",
    "XSD",
]
