"""The SKOS vocabularies and the organisations gazetteer, loaded from ontology/.

The ontology folder ships inside the wheel; in a source checkout it sits at the repository root.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from rdflib import Graph, URIRef

from .errors import GovGraphError
from .extract import Lexicon, OrganisationEntry, iter_phrases
from .namespaces import DCTERMS, GG, PRESSURE_SCHEME, RDF, SKOS, THEME_SCHEME

ONTOLOGY_FILES = ("govgraph.ttl", "themes.ttl", "pressures.ttl", "organisations.ttl")
SHAPES_FILE = "shapes.ttl"
_ACRONYM = re.compile(r"^(?=.*[A-Z].*[A-Z])[A-Za-z0-9&]{2,8}$")


def resource_dir(name: str) -> Path:
    """The installed copy of a bundled folder (ontology, queries), else the checkout's."""
    installed = resources.files("govgraph") / name
    if installed.is_dir():
        return Path(str(installed))
    checkout = Path(__file__).resolve().parents[2] / name
    if checkout.is_dir():
        return checkout
    raise GovGraphError(f"the bundled {name}/ folder is missing", hint="reinstall govgraph")


def ontology_path(file_name: str) -> Path:
    """Path of one bundled ontology file."""
    return resource_dir("ontology") / file_name


@cache
def ontology_graph() -> Graph:
    """The ontology, vocabularies and gazetteer as one rdflib graph (parsed once per process)."""
    graph = Graph()
    for name in ONTOLOGY_FILES:
        graph.parse(ontology_path(name), format="turtle")
    return graph


@cache
def shapes_graph() -> Graph:
    """The SHACL shapes every built graph must satisfy."""
    return Graph().parse(ontology_path(SHAPES_FILE), format="turtle")


def _key(iri: URIRef) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1]


def _literals(graph: Graph, subject: URIRef, *predicates: URIRef) -> list[str]:
    return [str(o) for p in predicates for o in graph.objects(subject, p)]


def _concepts(graph: Graph, scheme: URIRef) -> dict[str, tuple[str, tuple[str, ...]]]:
    concepts: dict[str, tuple[str, tuple[str, ...]]] = {}
    for concept in sorted(graph.subjects(SKOS.inScheme, scheme)):
        label = next(iter(_literals(graph, concept, SKOS.prefLabel)), _key(concept))
        phrases = iter_phrases(
            [label], _literals(graph, concept, SKOS.altLabel, SKOS.hiddenLabel)
        )
        concepts[_key(concept)] = (label, tuple(dict.fromkeys(phrases)))
    return concepts


def _organisations(graph: Graph) -> list[OrganisationEntry]:
    entries: list[OrganisationEntry] = []
    government = set(graph.subjects(RDF.type, GG.Department))
    for org in sorted(government | set(graph.subjects(RDF.type, GG.Organisation))):
        label = next(iter(_literals(graph, org, SKOS.prefLabel)), _key(org))
        alt = _literals(graph, org, SKOS.altLabel)
        abbreviations = {a for a in _literals(graph, org, GG.abbreviation)}
        abbreviations |= {a for a in alt if _ACRONYM.match(a) and " " not in a}
        names = tuple(dict.fromkeys(n for n in [label, *alt] if n not in abbreviations))
        country = next(iter(_literals(graph, org, DCTERMS.spatial)), "")
        entries.append(OrganisationEntry(_key(org), label, names, tuple(sorted(abbreviations)),
                                         org in government, country))
    return entries


@cache
def default_lexicon() -> Lexicon:
    """What the extractor looks for, from the bundled vocabularies."""
    graph = ontology_graph()
    return Lexicon(
        themes=_concepts(graph, THEME_SCHEME),
        pressures=_concepts(graph, PRESSURE_SCHEME),
        organisations=tuple(_organisations(graph)),
        broader=_broader(graph, THEME_SCHEME),
        related=_related(graph, THEME_SCHEME),
    )


def _related(graph: Graph, scheme: URIRef) -> dict[str, frozenset[str]]:
    """skos:related neighbours, which mean nearly the same thing when scoring by meaning."""
    return {
        _key(c): frozenset(_key(r) for r in graph.objects(c, SKOS.related))
        for c in graph.subjects(SKOS.inScheme, scheme)
    }


def _broader(graph: Graph, scheme: URIRef) -> dict[str, frozenset[str]]:
    """Every concept's ancestors (transitively), to prefer the most specific theme found."""
    ancestors: dict[str, frozenset[str]] = {}
    for concept in graph.subjects(SKOS.inScheme, scheme):
        seen = {_key(c) for c in graph.transitive_objects(concept, SKOS.broader)} - {_key(concept)}
        ancestors[_key(concept)] = frozenset(seen)
    return ancestors
