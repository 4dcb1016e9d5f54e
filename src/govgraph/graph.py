"""Facts -> triples: mint IRIs from stable keys, attach evidence, one named graph per document.

Every IRI is built here from slugs, so reloading the same documents mints the same nodes and the
graph does not change. Instances live under ID, apart from the ontology namespace.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from .documents import slugify
from .extract import ConceptFact, Evidence, Extraction
from .extract.model import FieldEvidence, RecordFact
from .gaps import GAP_NOTES, extraction_gaps
from .namespaces import DCTERMS, FOAF, GG, ID, ORG, ORGANISATION_TYPE, RDF, RDFS, SDO, SKOS, XSD

Triple = tuple[URIRef, URIRef, URIRef | Literal]

_FORMATS = {
    "in-person": SDO.OfflineEventAttendanceMode,
    "online": SDO.OnlineEventAttendanceMode,
    "hybrid": SDO.MixedEventAttendanceMode,
}
_DATE_TYPES = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}
SAFE_IRI = re.compile(r"^https://w3id\.org/govgraph/id/[a-z0-9/._~-]+$")
_SAFE_PAGE = re.compile(r"^https://www\.gov\.uk/[A-Za-z0-9._~!$&'()*+,;=:@%/-]+$")
_NOT_READ = ("The text is not in English ({}); it was not read for themes, pressures, departments or "
             "references.")


def document_iri(slug: str) -> URIRef:
    """The source document's IRI, also the name of the graph holding its facts."""
    return ID[f"document/{slug}"]


def speech_iri(slug: str) -> URIRef:
    return ID[f"speech/{slug}"]


def person_iri(name: str) -> URIRef:
    return ID[f"person/{slugify(name)}"]


def organisation_iri(key: str | None, name: str) -> URIRef:
    """Gazetteer organisations keep their key; others are minted from their name."""
    return ID[f"organisation/{key or slugify(name)}"]


def event_iri(title: str | None, date: str | None, fallback: str) -> URIRef:
    """Same title and year -> same event, so two write-ups of one conference share a node."""
    slug = slugify(title) if title else fallback
    if date and date[:4] not in slug:
        slug = f"{slug}-{date[:4]}"
    return ID[f"event/{slug or fallback}"]


def date_literal(iso: str) -> Literal:
    """An xsd:date, xsd:gYearMonth or xsd:gYear at the precision the text gave."""
    return Literal(iso, datatype=_DATE_TYPES[len(iso)])


@dataclass
class _Builder:
    triples: set[Triple]
    doc: URIRef
    speech: URIRef
    slug: str

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.triples.add((s, p, o))

    def fact(self, p: URIRef, o: URIRef | Literal, evidence: Evidence | FieldEvidence | None,
             s: URIRef | None = None) -> None:
        """Add a fact about the speech (or `s`) with a reified statement naming its sentence or field."""
        s = s or self.speech
        self.add(s, p, o)
        if isinstance(evidence, FieldEvidence):
            self.field_evidence(s, p, o, evidence)
        elif evidence is not None:
            self.evidence(s, p, o, evidence, f"{s}|{p}|{o}")

    def concept(self, p: URIRef, o: URIRef, concept: ConceptFact) -> None:
        """A concept fact with one evidence node per sentence that names it, the first as for any fact."""
        self.fact(p, o, concept.evidence)
        for more in concept.more:
            self.evidence(self.speech, p, o, more, f"{self.speech}|{p}|{o}|{more.start}")

    def evidence(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: Evidence, key: str) -> None:
        """A reified statement of (s, p, o) naming the sentence, its IRI minted from `key`."""
        ev = self.statement(s, p, o, key)
        self.add(ev, GG.sentence, Literal(evidence.sentence))
        self.add(ev, GG.charStart, Literal(evidence.start))

    def field_evidence(self, s: URIRef, p: URIRef, o: URIRef | Literal, evidence: FieldEvidence) -> None:
        """A reified statement of (s, p, o) naming the metadata field it was read from.

        Its gg:sentence is the field's value, so every evidence reads the same way; gg:fieldPath
        (and the class gg:FieldEvidence) tell it apart from a sentence of the text.
        """
        ev = self.statement(s, p, o, f"{s}|{p}|{o}|{evidence.path}")
        self.add(ev, RDF.type, GG.FieldEvidence)
        self.add(ev, GG.sentence, Literal(evidence.value))
        self.add(ev, GG.fieldPath, Literal(evidence.path))

    def statement(self, s: URIRef, p: URIRef, o: URIRef | Literal, key: str) -> URIRef:
        """The evidence node of (s, p, o) in this document, its IRI minted from `key`."""
        digest = hashlib.sha1(key.encode()).hexdigest()[:16]
        ev = ID[f"evidence/{self.slug}/{digest}"]
        self.add(ev, RDF.type, GG.Evidence)
        self.add(ev, RDF.subject, s)
        self.add(ev, RDF.predicate, p)
        self.add(ev, RDF.object, o)
        self.add(ev, GG.sourceDocument, self.doc)
        self.add(self.speech, GG.evidence, ev)
        return ev


def extraction_graph(extraction: Extraction) -> Graph:
    """All triples one document yields, to be stored in the named graph document_iri(slug)."""
    graph = Graph()
    for triple in extraction_triples(extraction):
        graph.add(triple)
    return graph


def extraction_triples(extraction: Extraction) -> set[Triple]:
    """The triples of extraction_graph without building an rdflib Graph (the loader's fast path)."""
    document = extraction.document
    slug = document.slug
    b = _Builder(set(), document_iri(slug), speech_iri(document.speech_slug), slug)
    _document_triples(b, extraction)
    _speech_triples(b, extraction)
    _speaker_triples(b, extraction)
    _event_triples(b, extraction)
    for theme in extraction.themes:
        b.concept(GG.discusses, ID[f"theme/{theme.key}"], theme)
    for pressure in extraction.pressures:
        b.concept(GG.namesPressure, ID[f"pressure/{pressure.key}"], pressure)
    for dept in extraction.departments:
        org = organisation_iri(dept.key or None, dept.label)
        if not dept.key:
            _new_organisation(b, org, dept.label, GG.Department)
            if dept.kind:  # a council or NHS body, known by the shape of its name
                b.add(org, GG.organisationType, ORGANISATION_TYPE[dept.kind])
        b.concept(GG.mentionsDepartment, org, dept)
    _reference_triples(b, extraction)
    for fact in extraction.record:
        _record_triples(b, fact)
    return b.triples


def _document_triples(b: _Builder, extraction: Extraction) -> None:
    document = extraction.document
    b.add(b.doc, RDF.type, GG.SourceDocument)
    b.add(b.doc, DCTERMS.title, Literal(document.title or document.name))
    b.add(b.doc, GG.fileName, Literal(document.name))
    b.add(b.doc, DCTERMS.format, Literal(document.media_type))
    b.add(b.doc, GG.contentHash, Literal(document.content_hash))
    b.add(b.doc, SDO.text, Literal(document.text))  # the clean text, for text similarity


def _speech_triples(b: _Builder, extraction: Extraction) -> None:
    b.add(b.speech, RDF.type, GG.Speech)
    b.add(b.speech, DCTERMS.title, Literal(extraction.speech_title))
    b.add(b.speech, RDFS.label, Literal(extraction.speech_title))
    b.add(b.speech, GG.sourceDocument, b.doc)
    if extraction.event.date:
        b.add(b.speech, DCTERMS.date, date_literal(extraction.event.date))
    for gap in extraction_gaps(extraction):  # what the document did not yield, said on the speech
        b.add(b.speech, SKOS.editorialNote, Literal(GAP_NOTES[gap], lang="en"))
    if not extraction.text_read:
        language = extraction.document.metadata.get("locale", "another language")
        b.add(b.speech, SKOS.editorialNote, Literal(_NOT_READ.format(language), lang="en"))


def _speaker_triples(b: _Builder, extraction: Extraction) -> None:
    for speaker in extraction.speakers:
        person = ID[f"person/{slugify(speaker.key)}"] if speaker.key else person_iri(speaker.name)
        b.add(person, RDF.type, GG.Speaker)
        b.add(person, FOAF.name, Literal(speaker.name))
        b.add(person, RDFS.label, Literal(speaker.name))
        b.fact(GG.deliveredBy, person, speaker.evidence)
        if not (speaker.role or speaker.organisation):
            continue
        org = None
        if speaker.organisation:
            org = organisation_iri(speaker.organisation_key, speaker.organisation)
            if not speaker.organisation_key:
                _new_organisation(b, org, speaker.organisation, GG.Organisation)
        role_slug = slugify(speaker.role or "member")
        membership = ID[f"membership/{person.rsplit('/', 1)[-1]}/{role_slug}/"
                        f"{org.rsplit('/', 1)[-1] if org else 'unknown'}"]
        b.add(membership, RDF.type, GG.Membership)
        b.add(membership, ORG.member, person)
        label = ", ".join(x for x in (speaker.name, speaker.role, speaker.organisation) if x)
        b.add(membership, RDFS.label, Literal(label))
        if speaker.role:
            role = ID[f"role/{role_slug}"]
            b.add(role, RDF.type, GG.Role)
            b.add(role, RDFS.label, Literal(speaker.role))
            b.add(membership, ORG.role, role)
        if org is not None:
            b.add(membership, ORG.organization, org)
        if speaker.date:  # the membership held on the day of the speech (from the metadata)
            b.add(membership, GG.heldOn, date_literal(speaker.date))
        b.fact(GG.speakerRole, membership, speaker.role_evidence or speaker.evidence)


def _new_organisation(b: _Builder, org: URIRef, name: str, kind: URIRef) -> None:
    """An organisation the gazetteer does not know, typed by how the text used it."""
    b.add(org, RDF.type, kind)
    b.add(org, RDFS.label, Literal(name))
    b.add(org, SKOS.prefLabel, Literal(name))


def _event_triples(b: _Builder, extraction: Extraction) -> None:
    event = extraction.event
    if event.evidence is None:  # no sentence tells of the event: a node would be a fact without evidence
        return
    node = event_iri(event.title, event.date, b.slug)
    b.add(node, RDF.type, GG.Event)
    title = event.title or extraction.speech_title
    b.add(node, DCTERMS.title, Literal(title))
    b.add(node, RDFS.label, Literal(title))
    b.fact(GG.deliveredAt, node, event.evidence)
    if event.date:
        b.add(node, DCTERMS.date, date_literal(event.date))
    if event.host:
        host = organisation_iri(event.host_key, event.host)
        if not event.host_key:
            _new_organisation(b, host, event.host, GG.Organisation)
        b.add(node, GG.hostedBy, host)
        b.add(host, GG.hosted, node)
    if event.format:
        b.add(node, GG.eventFormat, _FORMATS[event.format])


def _record_triples(b: _Builder, fact: RecordFact) -> None:
    """One metadata fact about the speech, with the field it came from as its evidence."""
    evidence = fact.evidence
    if fact.kind == "organisation":
        org = ID[f"organisation/{slugify(fact.key or fact.value)}"]
        if not fact.known:  # a GOV.UK organisation the gazetteer lacks is kept, as the item names it
            _new_organisation(b, org, fact.value, GG.Department)
            if fact.key:
                b.add(org, FOAF.homepage, URIRef(f"https://www.gov.uk/government/organisations/{fact.key}"))
        b.fact(GG.fromOrganisation, org, evidence)
    elif fact.kind == "speech-type":
        b.fact(GG.speechType, ID[f"speech-type/{fact.key}"], evidence)
    elif fact.kind in _RECORD_NODES:
        predicate, folder, kind, name = _RECORD_NODES[fact.kind]
        node = ID[f"{folder}/{slugify(fact.key or fact.value)}"]
        b.add(node, RDF.type, kind)
        b.add(node, RDFS.label, Literal(fact.value))
        b.add(node, name, Literal(fact.value))
        b.fact(predicate, node, evidence)
    elif fact.kind == "page":
        if _SAFE_PAGE.match(fact.value):
            b.fact(FOAF.page, URIRef(fact.value), evidence)
    elif fact.kind in _RECORD_LITERALS:
        predicate, literal = _RECORD_LITERALS[fact.kind]
        b.fact(predicate, literal(fact.value), evidence)


def _time_literal(value: str) -> Literal:
    """A timestamp as given (xsd:dateTime), or a day (xsd:date) where that is all a page shows."""
    return date_literal(value) if len(value) == 10 else Literal(value, datatype=XSD.dateTime)


_RECORD_NODES = {  # kind -> (property, IRI folder, class, naming property) of a node the fact points to
    "government": (GG.underGovernment, "government", GG.PoliticalPeriod, SKOS.prefLabel),
    "topical-event": (GG.topicalEvent, "event", GG.Event, DCTERMS.title),
}
_RECORD_LITERALS = {
    "date": (DCTERMS.date, date_literal),
    "location": (GG.location, Literal),
    "language": (DCTERMS.language, Literal),
    "issued": (DCTERMS.issued, _time_literal),
    "modified": (DCTERMS.modified, _time_literal),
    "withdrawn": (GG.withdrawn, lambda value: Literal(value == "true")),
    "withdrawn-on": (GG.withdrawnOn, date_literal),
    "withdrawal-explanation": (GG.withdrawalExplanation, Literal),
}


def _reference_triples(b: _Builder, extraction: Extraction) -> None:
    for ref in extraction.related_speeches:
        digest = hashlib.sha1(f"{ref.speaker}|{ref.title}".encode()).hexdigest()[:12]
        node = ID[f"reference/{b.slug}/{digest}"]
        b.add(node, RDF.type, GG.SpeechReference)
        b.add(node, GG.referenceKind, Literal(ref.kind))
        if ref.speaker:
            b.add(node, GG.referencedSpeaker, Literal(ref.speaker))
        if ref.title:
            b.add(node, GG.referencedTitle, Literal(ref.title))
        b.fact(GG.hasReference, node, ref.evidence)


# ---------------------------------------------------------------------------
# Resolving references between speeches
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SpeechRow:
    """What resolution needs to know about a speech already in the graph."""

    speech: URIRef
    speaker_slug: str
    titles: tuple[str, ...]
    date: str | None


@dataclass(frozen=True)
class ReferenceRow:
    reference: URIRef
    source: URIRef
    speaker: str | None
    title: str | None
    kind: str
    date: str | None


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def title_similarity(a: str, b: str) -> float:
    """Jaccard overlap of the titles' words: 1.0 for the same title, whatever the punctuation."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / len(wa | wb)


def resolve_reference(ref: ReferenceRow, speeches: Sequence[SpeechRow]) -> URIRef | None:
    """The one speech a reference names, or None when it is absent or ambiguous.

    With the speaker known a loose title match is enough; a title alone must match closely.
    """
    candidates = [s for s in speeches if s.speech != ref.source
                  and (ref.speaker is None or s.speaker_slug == slugify(ref.speaker))]
    if ref.title:
        threshold = 0.3 if ref.speaker else 0.6
        scored = [(max(title_similarity(ref.title, t) for t in s.titles), s) for s in candidates]
        scored = [(score, s) for score, s in scored if score >= threshold]
        if not scored:
            return None
        best = max(score for score, _ in scored)
        top = {s.speech for score, s in scored if score == best}
        return top.pop() if len(top) == 1 else None
    if ref.speaker is None:
        return None
    earlier = [s for s in candidates if s.date and ref.date and s.date < ref.date]
    pool = earlier or candidates
    if len({s.speech for s in pool}) == 1:
        return pool[0].speech
    dated = sorted((s for s in pool if s.date), key=lambda s: s.date or "")
    return dated[-1].speech if dated else None


def link_triples(refs: Iterable[ReferenceRow], speeches: Sequence[SpeechRow]) -> Iterator[Triple]:
    """gg:resolvesTo and gg:follows / gg:refersTo for every reference that resolves."""
    by_speaker: dict[str, list[SpeechRow]] = {}
    for row in speeches:
        by_speaker.setdefault(row.speaker_slug, []).append(row)
    for ref in refs:
        # a named speaker narrows the candidates at once: resolution stays linear in the corpus
        pool = by_speaker.get(slugify(ref.speaker), []) if ref.speaker else speeches
        target = resolve_reference(ref, pool)
        if target is None:
            continue
        yield ref.reference, GG.resolvesTo, target
        yield ref.source, GG.follows if ref.kind == "follows" else GG.refersTo, target
