"""The facts one document yields, each with the sentence or metadata field it came from; their JSON shape."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from ..documents import Document
from ..govuk import Field as FieldEvidence  # a metadata field and its value: the evidence of a fact


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, and where it starts in the document's text."""

    sentence: str
    start: int


@dataclass(frozen=True)
class SpeakerFact:
    name: str
    role: str | None
    organisation: str | None
    organisation_key: str | None
    evidence: Evidence | FieldEvidence
    key: str | None = None  # a stable key the source gives the person (a GOV.UK people slug)
    role_evidence: FieldEvidence | None = None  # where the role was read, when not with the name
    date: str | None = None  # the day the role is known to have been held (the speech's, from metadata)


@dataclass(frozen=True)
class RecordFact:
    """A fact about the speech read from a metadata field, not from the text.

    `kind` says what it is (organisation, speech-type, government, topical-event, location,
    language, issued, modified, withdrawn, withdrawn-on, withdrawal-explanation, page); `value` is
    its value or label and `key` its stable key where it has one (an organisation's gazetteer key,
    a government's slug); `known` whether the key is the gazetteer's.
    """

    kind: str
    value: str
    evidence: FieldEvidence
    key: str | None = None
    known: bool = False


@dataclass(frozen=True)
class EventFact:
    title: str | None
    date: str | None
    host: str | None
    host_key: str | None
    format: str | None
    evidence: Evidence | None


@dataclass(frozen=True)
class ConceptFact:
    """A theme, pressure or organisation found in the text, by its vocabulary key.

    `evidence` is the sentence that first names it; `more` the other sentences that do, so a
    reader can weigh how much of the speech is about it.
    """

    key: str
    label: str
    evidence: Evidence
    more: tuple[Evidence, ...] = ()
    kind: str | None = None  # for a body outside the gazetteer, its organisation type when the name shows it

    @property
    def all_evidence(self) -> tuple[Evidence, ...]:
        """Every sentence naming the concept, in the order of the text."""
        return (self.evidence, *self.more)


@dataclass(frozen=True)
class ReferenceFact:
    """Another speech the document says this one follows or recalls."""

    speaker: str | None
    title: str | None
    kind: str
    evidence: Evidence


@dataclass(frozen=True)
class Extraction:
    """Everything one document yields, ready for graph.py or for JSON output."""

    document: Document
    speech_title: str
    speakers: tuple[SpeakerFact, ...]
    event: EventFact
    themes: tuple[ConceptFact, ...]
    pressures: tuple[ConceptFact, ...]
    departments: tuple[ConceptFact, ...]
    related_speeches: tuple[ReferenceFact, ...]
    record: tuple[RecordFact, ...] = ()  # facts from the document's metadata fields (GOV.UK items)
    text_read: bool = True  # False when the body was not run through the (English) extractor

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape of `govgraph extract --format json`."""
        event = asdict(self.event)
        event.pop("evidence")
        event.pop("host_key")
        return {
            "document": self.document.name,
            "speech": {"title": self.speech_title},
            "speakers": [
                {"name": s.name, "role": s.role, "organisation": s.organisation}
                for s in self.speakers
            ],
            "event": event,
            "themes": [t.label for t in self.themes],
            "pressures": [p.key for p in self.pressures],
            "pressures_other": [],
            "departments": [d.label for d in self.departments],
            "related_speeches": [
                {"speaker": r.speaker, "title": r.title, "kind": r.kind}
                for r in self.related_speeches
            ],
        } | self._record_json()

    def _record_json(self) -> dict[str, object]:
        """The metadata facts, for documents that have them (other documents' JSON is unchanged)."""
        if not self.record:
            return {}
        return {
            "metadata": [{"kind": r.kind, "value": r.value, "field": r.evidence.path} for r in self.record],
            "text_read": self.text_read,
        }
