"""The speeches and the facts about them, read from the store in one pass, for analysis in memory.

Reading whole predicates with pattern scans is much faster than SPARQL joins for this, and gives
every analysis (related speeches, networks, exports) the same picture of the graph. IRIs are kept
as plain strings here; the public functions turn them back into IRIs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from .errors import NotFoundError
from .namespaces import DCTERMS, FOAF, GG, ORG, RDF, RDFS, SDO, SKOS
from .store import EmbeddedStore

FEATURE_KINDS = ("themes", "pressures", "departments")
FEATURE_PREDICATES = {
    "themes": GG.discusses,
    "pressures": GG.namesPressure,
    "departments": GG.mentionsDepartment,
}
LINK_PREDICATES = {"follows": GG.follows, "refers": GG.refersTo}


@dataclass
class Snapshot:
    """Speeches in a stable order (sorted IRIs) with their features, texts and links."""

    speeches: list[str]
    titles: list[str]
    dates: list[str | None]
    features: dict[str, list[frozenset[str]]]  # kind -> per speech: theme/pressure/department IRIs
    speakers: list[frozenset[str]]
    events: list[str | None]
    texts: list[str]
    links: list[tuple[int, int, str]]  # (from, to, "follows" | "refers")
    labels: dict[str, str]
    kinds: dict[str, str]  # entity IRI -> "speech", "speaker", "event", "theme", ...
    hosts: dict[str, str] = field(default_factory=dict)  # event -> host organisation
    memberships: list[tuple[str, str, str | None]] = field(default_factory=list)  # speaker, org, role label

    def __post_init__(self) -> None:
        self.index = {iri: i for i, iri in enumerate(self.speeches)}

    def __len__(self) -> int:
        return len(self.speeches)

    def label(self, iri: str) -> str:
        """A readable name for any entity, falling back to the end of its IRI."""
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]


def read_snapshot(store: EmbeddedStore) -> Snapshot:
    """Everything the analyses need, from one scan per predicate."""
    speech_iris = sorted(s for s, _ in store.pairs(RDF.type, GG.Speech))
    if not speech_iris:
        raise NotFoundError("the store holds no speeches", hint="run `govgraph build` first")
    index = {iri: i for i, iri in enumerate(speech_iris)}
    n = len(speech_iris)

    def per_speech(predicate: object) -> list[set[str]]:
        values: list[set[str]] = [set() for _ in range(n)]
        for s, o in store.pairs(predicate):
            if s in index:
                values[index[s]].add(o)
        return values

    labels = _labels(store)
    kinds: dict[str, str] = dict.fromkeys(speech_iris, "speech")
    features = {kind: [frozenset(v) for v in per_speech(p)] for kind, p in FEATURE_PREDICATES.items()}
    for kind, rows in features.items():
        kinds.update(dict.fromkeys((iri for row in rows for iri in row), kind[:-1]))
    speakers = [frozenset(v) for v in per_speech(GG.deliveredBy)]
    kinds.update(dict.fromkeys((iri for row in speakers for iri in row), "speaker"))
    events = [min(v) if v else None for v in per_speech(GG.deliveredAt)]
    kinds.update({e: "event" for e in events if e})
    titles = [min(v) if v else speech_iris[i] for i, v in enumerate(per_speech(DCTERMS.title))]
    dates = [min(v) if v else None for v in per_speech(DCTERMS.date)]
    documents = [min(v) if v else None for v in per_speech(GG.sourceDocument)]
    text_of = dict(store.pairs(SDO.text))
    texts = [text_of.get(d or "", "") for d in documents]
    links = [
        (index[s], index[o], kind)
        for kind, p in LINK_PREDICATES.items()
        for s, o in store.pairs(p)
        if s in index and o in index and s != o
    ]
    hosts = {e: o for e, o in store.pairs(GG.hostedBy) if e in kinds}
    kinds.update({o: "organisation" for o in hosts.values() if o not in kinds})
    memberships = _memberships(store, kinds)
    for iri, title in zip(speech_iris, titles, strict=True):
        labels.setdefault(iri, title)
    return Snapshot(
        speech_iris,
        titles,
        dates,
        features,
        speakers,
        events,
        texts,
        sorted(set(links)),
        labels,
        kinds,
        hosts,
        memberships,
    )


def _labels(store: EmbeddedStore) -> dict[str, str]:
    """rdfs:label, then skos:prefLabel, then foaf:name: the first that names each entity."""
    labels: dict[str, str] = {}
    for predicate in (RDFS.label, SKOS.prefLabel, FOAF.name):
        for s, o in sorted(store.pairs(predicate)):
            labels.setdefault(s, o)
    return labels


def _memberships(store: EmbeddedStore, kinds: dict[str, str]) -> list[tuple[str, str, str | None]]:
    """(speaker, organisation, role) for every membership with an organisation."""
    member = dict(store.pairs(ORG.member))
    organisation = dict(store.pairs(ORG.organization))
    role = dict(store.pairs(ORG.role))
    role_labels = dict(store.pairs(RDFS.label))
    rows = set()
    for m, person in member.items():
        if m in organisation and person in kinds:
            rows.add((person, organisation[m], role_labels.get(role.get(m, ""))))
            kinds.setdefault(organisation[m], "organisation")
    return sorted(rows, key=lambda r: (r[0], r[1], r[2] or ""))


def read_evidence(
    store: EmbeddedStore, subjects: Iterable[str] | None = None
) -> dict[tuple[str, str, str], tuple[str, str | None]]:
    """(subject, predicate, object) -> (sentence, file name) for every fact the loader found words for.

    With `subjects`, only facts about them are read, one lookup each, so a focused drawing of a large
    store does not read all its evidence. A resolved link between speeches is given the sentence of
    the reference it came from.
    """
    rows = _evidence_rows(store) if subjects is None else _evidence_rows_about(store, subjects)
    found: dict[tuple[str, str, str], tuple[str, str | None]] = {}
    for evidence in sorted(rows):
        s, p, o, sentence, file_name = rows[evidence]
        found.setdefault((s, p, o), (sentence, file_name))
    for (s, p, reference), words in list(found.items()):
        if p != str(GG.hasReference):
            continue
        target = store.values(URIRef(reference)).get(str(GG.resolvesTo))
        if target is not None:
            for link in LINK_PREDICATES.values():
                found.setdefault((s, str(link), target), words)
    return found


EvidenceRow = tuple[str, str, str, str, str | None]  # subject, predicate, object, sentence, file name


def _evidence_rows(store: EmbeddedStore) -> dict[str, EvidenceRow]:
    """Every evidence node's statement, sentence and file, read a predicate at a time."""
    subject, predicate, obj = (dict(store.pairs(p)) for p in (RDF.subject, RDF.predicate, RDF.object))
    sentence, document = dict(store.pairs(GG.sentence)), dict(store.pairs(GG.sourceDocument))
    files = dict(store.pairs(GG.fileName))
    return {
        e: (subject[e], predicate[e], obj[e], text, files.get(document.get(e, "")))
        for e, text in sentence.items()
        if e in subject and e in predicate and e in obj
    }


def _evidence_rows_about(store: EmbeddedStore, subjects: Iterable[str]) -> dict[str, EvidenceRow]:
    """The evidence nodes whose statement is about one of `subjects`, read node by node."""
    keys = [str(k) for k in (RDF.subject, RDF.predicate, RDF.object, GG.sentence)]
    files: dict[str, str | None] = {}
    rows: dict[str, EvidenceRow] = {}
    for about in set(subjects):
        for evidence, _ in store.pairs(RDF.subject, URIRef(about)):
            values = store.values(URIRef(evidence))
            if not all(k in values for k in keys):
                continue
            document = values.get(str(GG.sourceDocument))
            if document and document not in files:
                files[document] = store.values(URIRef(document)).get(str(GG.fileName))
            s, p, o, text = (values[k] for k in keys)
            rows[evidence] = (s, p, o, text, files.get(document) if document else None)
    return rows
