"""The entry point: one document through every finder, into an Extraction.

A GOV.UK content item's metadata (speaker, role, organisations, delivery date and place, speech
type, government, topical events, dates, withdrawal) become facts that name their field; they take
precedence over what the text says of speaker, date and place. The body still goes through the
finders for themes, pressures, departments and references, unless it is not in English.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from ..documents import Document, slugify
from .concepts import find_pressures, find_themes, spoken_sentences
from .context import _Context
from .events import find_event
from .lexicon import Lexicon
from .model import EventFact, Extraction, FieldEvidence, RecordFact, ReferenceFact, SpeakerFact
from .organisations import departments_from, find_organisations
from .references import _UNKNOWN, find_references
from .speakers import _Speaker, find_speakers
from .text import person_name, split_sentences

if TYPE_CHECKING:
    from ..govuk import ContentItem, Field, Link

_ISO_DAY = re.compile(r"^\d{4}-[01]\d-[0-3]\d(?!\d)")
_TIMESTAMP = re.compile(  # an xsd:dateTime, or a day where a saved page shows only that
    r"^\d{4}-[01]\d-[0-3]\d(?:T[0-2]\d:[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-][01]\d:[0-5]\d)?)?$")
# GOV.UK's styles before a name, which the name finder leaves on when "The" comes first or "Rt" has no stop
_STYLE = re.compile(r"^\s*(?:the\s+)?(?:(?:rt\.?|right)\s+hon(?:ou?rable)?\.?\s+)?", re.I)
_POST_NOMINALS = re.compile(r"(?:,?\s+(?:[A-Z]{2,5}|Bt|Bart))+\s*$")  # "MP", "KCB CVO", ", DBE CMG"
_SPEECH_TYPES = (  # what details.speech_type_explanation says of a "speech", first match wins
    ("transcript", "transcript"), ("speaking note", "speaking-notes"), ("speaker's note", "speaking-notes"),
    ("speaker’s note", "speaking-notes"), ("original script", "original-script"),
)


def extract(document: Document, lexicon: Lexicon) -> Extraction:
    """Read one document's facts; every fact carries the sentence or the metadata field it came from."""
    item = document.item
    if item is not None and not item.english:
        return _metadata_only(document, item, lexicon)
    extraction = _text_extraction(document, lexicon)
    return extraction if item is None else _with_metadata(extraction, item, lexicon)


def _text_extraction(document: Document, lexicon: Lexicon) -> Extraction:
    ctx = _Context(document, lexicon, split_sentences(document))
    ctx.org_mentions = find_organisations(ctx)
    raw_refs = find_references(ctx)
    reference_starts = {s.start for *_, s in raw_refs}
    speakers = find_speakers(ctx, reference_starts)
    event, speech_title = find_event(ctx, speakers, reference_starts)
    main_speaker = speakers[0].name if speakers else None
    references = tuple(
        ReferenceFact(name or (None if name == _UNKNOWN else main_speaker), title, kind,
                      sentence.evidence)
        for name, title, kind, sentence in raw_refs
    )
    speaker_facts = tuple(_speaker_fact(s, ctx) for s in speakers)
    spoken = spoken_sentences(ctx, event.title)
    return Extraction(
        document=document,
        speech_title=speech_title or document.title or event.title or document.name,
        speakers=speaker_facts,
        event=event,
        themes=tuple(find_themes(ctx, spoken)),
        pressures=tuple(find_pressures(ctx, spoken)),
        departments=tuple(departments_from(ctx)),
        related_speeches=_unique_references(references),
    )


def _speaker_fact(speaker: _Speaker, ctx: _Context) -> SpeakerFact:
    organisation, key = ctx.canonical_org(speaker.organisation)
    return SpeakerFact(speaker.name, speaker.role, organisation, key, speaker.evidence)


def _unique_references(refs: Iterable[ReferenceFact]) -> tuple[ReferenceFact, ...]:
    seen: dict[tuple[str | None, str | None], ReferenceFact] = {}
    for ref in refs:
        seen.setdefault((ref.speaker, ref.title), ref)
    return tuple(seen.values())


def _metadata_only(document: Document, item: ContentItem, lexicon: Lexicon) -> Extraction:
    """An item in another language: its metadata facts; its body is not read by the English finders."""
    date = _day(item.delivered_on)
    return Extraction(
        document=document,
        speech_title=item.title.value,
        speakers=_metadata_speakers(item, lexicon, date),
        event=EventFact(None, date, None, None, None, None),
        themes=(), pressures=(), departments=(), related_speeches=(),
        record=_record_facts(item, lexicon, date),
        text_read=False,
    )


def _with_metadata(extraction: Extraction, item: ContentItem, lexicon: Lexicon) -> Extraction:
    """The text's themes, pressures, departments and references, with the metadata's speaker and date."""
    date = _day(item.delivered_on) or extraction.event.date
    speakers = _metadata_speakers(item, lexicon, date)
    if speakers:
        # the text's account of a metadata speaker is kept where it adds a role the metadata lacks
        keys = {s.key for s in speakers} | {slugify(s.name) for s in speakers}
        lacking_role = not any(s.role for s in speakers)
        speakers += tuple(
            replace(s, key=speakers[0].key) for s in extraction.speakers
            if lacking_role and s.role and slugify(s.name) in keys
        )
    else:
        speakers = extraction.speakers
    return replace(
        extraction,
        speech_title=item.title.value,
        speakers=speakers,
        event=replace(extraction.event, date=date),
        record=_record_facts(item, lexicon, date),
    )


def _day(field: Field | None) -> str | None:
    """A date-time field's day, as the item gives it (in its own time zone): day precision."""
    if field is None or not _ISO_DAY.match(field.value):
        return None
    try:
        return datetime.date.fromisoformat(field.value[:10]).isoformat()
    except ValueError:  # "2016-02-30"
        return None


def _organisation(link: Link, lexicon: Lexicon) -> tuple[str, str | None, bool]:
    """An organisation link's name and key, and whether the key is the gazetteer's.

    The gazetteer keys its UK bodies by their GOV.UK slug (its foaf:homepage is
    https://www.gov.uk/government/organisations/<slug>), so the slug finds the entry.
    """
    known = {entry.key: entry for entry in lexicon.organisations}
    entry = known.get(link.slug or "")
    if entry is not None:
        return entry.label, entry.key, True
    return link.title.value, link.slug, False


def _metadata_speakers(item: ContentItem, lexicon: Lexicon, date: str | None) -> tuple[SpeakerFact, ...]:
    """The speaker (links.speaker or details.speaker_without_profile), once per ministerial role."""
    if item.speaker is None:
        return ()
    title = item.speaker.title
    name = speaker_name(title.value)
    organisation, org_key, known = _organisation(item.organisations[0], lexicon) if item.organisations else (
        None, None, False)
    person = item.speaker.slug or slugify(name)
    base = SpeakerFact(name, None, None, None, title, key=person, date=date)
    if not item.roles:
        return (base,)
    return tuple(
        replace(base, role=role.title.value, organisation=organisation,
                organisation_key=org_key if known else None, role_evidence=role.title)
        for role in item.roles
    )


def speaker_name(title: str) -> str:
    """A GOV.UK person's title as a name: "The Rt Hon Jane Roe MP" is Jane Roe; a peer keeps the peerage."""
    bare = _POST_NOMINALS.sub("", _STYLE.sub("", title)).strip()
    return person_name(bare) or bare or title.strip()


def _record_facts(item: ContentItem, lexicon: Lexicon, date: str | None) -> tuple[RecordFact, ...]:
    """Every metadata fact about the speech other than its speaker, each naming its field."""
    facts: list[RecordFact] = []
    if date and item.delivered_on:
        facts.append(RecordFact("date", date, item.delivered_on))
    for link in item.organisations:
        name, key, known = _organisation(link, lexicon)
        facts.append(RecordFact("organisation", name, link.title, key, known))
    facts.append(_speech_type(item))
    if item.government:
        government = item.government
        facts.append(RecordFact("government", government.title.value, government.title,
                                government.slug or slugify(government.title.value)))
    facts.extend(RecordFact("topical-event", link.title.value, link.title,
                            link.slug or slugify(link.title.value)) for link in item.topical_events)
    stamps = (("issued", item.first_published_at), ("modified", item.public_updated_at))
    plain = (("location", item.location), ("language", item.locale),
             *((kind, field) for kind, field in stamps if field and _TIMESTAMP.match(field.value)),
             ("withdrawal-explanation", item.withdrawn_explanation))
    facts.extend(RecordFact(kind, field.value, field) for kind, field in plain if field)
    notice = item.withdrawn_at or item.withdrawn_explanation
    if notice is not None:  # withdrawn: marked, with the notice's date and explanation, not dropped
        facts.append(RecordFact("withdrawn", "true", notice))
    withdrawn_on = _day(item.withdrawn_at)
    if withdrawn_on and item.withdrawn_at:
        facts.append(RecordFact("withdrawn-on", withdrawn_on, item.withdrawn_at))
    if item.url:
        facts.append(RecordFact("page", item.url, FieldEvidence("base_path", item.base_path or "")))
    return tuple(facts)


def _speech_type(item: ContentItem) -> RecordFact:
    """What kind of speech: the document type, or for a "speech" what its explanation says it is."""
    kind = item.document_type
    if kind.value == "speech" and item.speech_type_explanation:
        explanation = item.speech_type_explanation
        lower = explanation.value.lower()
        for phrase, key in _SPEECH_TYPES:
            if phrase in lower:
                return RecordFact("speech-type", explanation.value, explanation, key)
    return RecordFact("speech-type", kind.value, kind, kind.value.replace("_", "-"))
