"""networkx views of the graph, the structure of the field (centrality, communities), and paths.

Views are built from a snapshot: the entity graph (speeches, speakers, events, themes, pressures,
departments and organisations, with the relation on each edge), the bipartite speeches x concepts
graph and its projections, and the speaker network (speakers linked by the themes they share).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx
from networkx.algorithms import bipartite
from rdflib import URIRef

from .errors import NotFoundError
from .lookup import find_entity
from .namespaces import GG, ORG
from .snapshot import FEATURE_KINDS, FEATURE_PREDICATES, Snapshot
from .store import EmbeddedStore

KIND_ORDER = ("speech", "speaker", "event", "theme", "pressure", "department", "organisation")
RELATION_NAMES = {
    GG.deliveredBy: "deliveredBy",
    GG.deliveredAt: "deliveredAt",
    GG.discusses: "discusses",
    GG.namesPressure: "namesPressure",
    GG.mentionsDepartment: "mentionsDepartment",
    GG.follows: "follows",
    GG.refersTo: "refersTo",
    GG.hostedBy: "hostedBy",
    ORG.memberOf: "memberOf",
}
RELATION_IRIS = {name: str(iri) for iri, name in RELATION_NAMES.items()}
BETWEENNESS_SAMPLE = 500  # exact betweenness is cubic; sample this many sources on larger graphs


def entity_graph(snapshot: Snapshot) -> nx.MultiDiGraph:
    """Every entity as a node (kind, label, iri) and every fact between them as an edge (relation)."""
    graph = nx.MultiDiGraph()
    for iri, kind in snapshot.kinds.items():
        graph.add_node(iri, kind=kind, label=snapshot.label(iri), iri=iri)
    for i, speech in enumerate(snapshot.speeches):
        for speaker in sorted(snapshot.speakers[i]):
            graph.add_edge(speech, speaker, relation="deliveredBy")
        if snapshot.events[i]:
            graph.add_edge(speech, snapshot.events[i], relation="deliveredAt")
        for kind in FEATURE_KINDS:
            relation = RELATION_NAMES[FEATURE_PREDICATES[kind]]
            for concept in sorted(snapshot.features[kind][i]):
                graph.add_edge(speech, concept, relation=relation)
    for a, b, kind in snapshot.links:
        graph.add_edge(
            snapshot.speeches[a],
            snapshot.speeches[b],
            relation="follows" if kind == "follows" else "refersTo",
        )
    for event, host in sorted(snapshot.hosts.items()):
        graph.add_edge(event, host, relation="hostedBy")
    for speaker, organisation, role in snapshot.memberships:
        graph.add_edge(speaker, organisation, relation="memberOf", role=role or "")
    return graph


def speech_concept_graph(snapshot: Snapshot, kinds: Iterable[str] = FEATURE_KINDS) -> nx.Graph:
    """Bipartite: speeches (bipartite=0) x themes/pressures/departments (bipartite=1)."""
    graph = nx.Graph()
    for i, speech in enumerate(snapshot.speeches):
        graph.add_node(speech, bipartite=0, kind="speech", label=snapshot.titles[i], iri=speech)
        for kind in kinds:
            for concept in snapshot.features[kind][i]:
                graph.add_node(
                    concept, bipartite=1, kind=kind[:-1], label=snapshot.label(concept), iri=concept
                )
                graph.add_edge(speech, concept, relation=RELATION_NAMES[FEATURE_PREDICATES[kind]])
    return graph


def projection(graph: nx.Graph, side: int) -> nx.Graph:
    """One side of a bipartite graph, linked with a weight = number of shared neighbours."""
    nodes = [n for n, d in graph.nodes(data=True) if d.get("bipartite") == side]
    return bipartite.weighted_projected_graph(graph, nodes)


def speaker_graph(snapshot: Snapshot) -> nx.Graph:
    """Speakers linked by the themes they have both spoken about; weight = number of such themes."""
    themes_of: dict[str, set[str]] = {}
    for i in range(len(snapshot)):
        for speaker in snapshot.speakers[i]:
            themes_of.setdefault(speaker, set()).update(snapshot.features["themes"][i])
    graph = nx.Graph()
    for speaker in sorted(themes_of):
        graph.add_node(speaker, kind="speaker", label=snapshot.label(speaker), iri=speaker)
    speakers = sorted(themes_of)
    by_theme: dict[str, list[str]] = {}
    for speaker in speakers:
        for theme in themes_of[speaker]:
            by_theme.setdefault(theme, []).append(speaker)
    shared: Counter[tuple[str, str]] = Counter()
    for members in by_theme.values():
        for x, a in enumerate(members):
            for b in members[x + 1 :]:
                shared[(a, b)] += 1
    for (a, b), weight in sorted(shared.items()):
        themes = sorted(snapshot.label(t) for t in themes_of[a] & themes_of[b])
        graph.add_edge(a, b, weight=weight, relation="sharesThemes", themes="; ".join(themes))
    return graph


# ---------------------------------------------------------------------------
# The structure of the field
# ---------------------------------------------------------------------------


@dataclass
class Analysis:
    """Counts, the most central entities of each kind, and communities with their members."""

    counts: dict[str, int]
    central: dict[str, list[dict[str, Any]]]  # kind -> [{iri, label, degree, betweenness, pagerank}]
    communities: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"counts": self.counts, "central": self.central, "communities": self.communities}


def analyse(snapshot: Snapshot, top: int = 5, seed: int = 0) -> Analysis:
    """Degree, betweenness and PageRank per kind, and Louvain communities of the entity graph."""
    directed = entity_graph(snapshot)
    graph = nx.Graph(directed)
    counts: dict[str, int] = dict(Counter(d["kind"] for _, d in graph.nodes(data=True)))
    counts = {k: counts[k] for k in KIND_ORDER if k in counts}
    counts["facts"] = directed.number_of_edges()
    counts["components"] = nx.number_connected_components(graph) if len(graph) else 0
    degree = nx.degree_centrality(graph) if len(graph) > 1 else dict.fromkeys(graph, 0.0)
    sample = min(BETWEENNESS_SAMPLE, len(graph)) if len(graph) > BETWEENNESS_SAMPLE else None
    betweenness = nx.betweenness_centrality(graph, k=sample, seed=seed)
    pagerank = nx.pagerank(graph) if len(graph) else {}
    central: dict[str, list[dict[str, Any]]] = {}
    for kind in KIND_ORDER:
        nodes = [n for n, d in graph.nodes(data=True) if d["kind"] == kind]
        ranked = sorted(nodes, key=lambda n: (-pagerank.get(n, 0.0), -degree.get(n, 0.0), n))[:top]
        if ranked:
            central[kind] = [
                {
                    "iri": n,
                    "label": graph.nodes[n]["label"],
                    "degree": graph.degree(n),
                    "betweenness": round(betweenness.get(n, 0.0), 6),
                    "pagerank": round(pagerank.get(n, 0.0), 6),
                }
                for n in ranked
            ]
    communities = []
    found = nx.community.louvain_communities(graph, seed=seed) if len(graph) else []
    for number, members in enumerate(sorted(found, key=lambda c: (-len(c), min(c))), 1):
        by_kind: dict[str, list[str]] = {}
        for node in sorted(members, key=lambda n: (-graph.degree(n), n)):
            by_kind.setdefault(graph.nodes[node]["kind"], []).append(graph.nodes[node]["label"])
        communities.append(
            {
                "community": number,
                "size": len(members),
                "members": {k: by_kind[k] for k in KIND_ORDER if k in by_kind},
            }
        )
    return Analysis(counts, central, communities)


# ---------------------------------------------------------------------------
# Paths between two entities
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One fact on a path: subject, relation, object, and where the text says so."""

    subject: str
    relation: str
    object: str
    subject_label: str
    object_label: str
    sentence: str | None = None
    document: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "relation": self.relation,
            "object": self.object,
            "subject_label": self.subject_label,
            "object_label": self.object_label,
            "sentence": self.sentence,
            "document": self.document,
        }


def find_path(store: EmbeddedStore, snapshot: Snapshot, source: str, target: str) -> list[Step]:
    """The shortest chain of facts linking two named entities, each with its evidence."""
    a, b = find_entity(snapshot, source), find_entity(snapshot, target)
    directed = entity_graph(snapshot)
    graph = nx.Graph(directed)
    try:
        nodes = nx.shortest_path(graph, a, b)
    except nx.NetworkXNoPath:
        raise NotFoundError(
            f"{snapshot.label(a)} and {snapshot.label(b)} are not linked in the graph"
        ) from None
    steps = []
    for u, v in pairwise(nodes):
        subject, obj = (u, v) if directed.has_edge(u, v) else (v, u)
        relation = min(d["relation"] for d in directed.get_edge_data(subject, obj).values())
        sentence, document = _evidence(store, subject, relation, obj)
        steps.append(
            Step(subject, relation, obj, snapshot.label(subject), snapshot.label(obj), sentence, document)
        )
    return steps


_EVIDENCE = """
SELECT ?s ?p ?o ?sentence ?file WHERE {
  ?evidence rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; gg:sentence ?sentence ;
            gg:sourceDocument ?document .
  OPTIONAL { ?document gg:fileName ?file }
} ORDER BY ?sentence LIMIT 1
"""
_LINK_EVIDENCE = """
SELECT ?s ?o ?sentence ?file WHERE {
  ?evidence rdf:subject ?s ; rdf:predicate gg:hasReference ; rdf:object ?reference ;
            gg:sentence ?sentence ; gg:sourceDocument ?document .
  ?reference gg:resolvesTo ?o .
  OPTIONAL { ?document gg:fileName ?file }
} ORDER BY ?sentence LIMIT 1
"""


def _evidence(store: EmbeddedStore, subject: str, relation: str, obj: str) -> tuple[str | None, str | None]:
    """The sentence a fact was read from; a link between speeches has its reference's sentence."""
    predicate = RELATION_IRIS.get(relation)
    if predicate is None:
        return None, None
    if relation in ("follows", "refersTo"):
        rows = store.select(_LINK_EVIDENCE, {"s": URIRef(subject), "o": URIRef(obj)})
    else:
        rows = store.select(_EVIDENCE, {"s": URIRef(subject), "p": URIRef(predicate), "o": URIRef(obj)})
    if not rows:
        return None, None
    return str(rows[0]["sentence"]), (str(rows[0]["file"]) if "file" in rows[0] else None)
