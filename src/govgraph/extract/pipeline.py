"""The entry point: one document through every finder, into an Extraction."""

from __future__ import annotations

from collections.abc import Iterable

from ..documents import Document
from .concepts import find_pressures, find_themes, spoken_sentences
from .context import _Context
from .events import find_event
from .lexicon import Lexicon
from .model import Extraction, ReferenceFact, SpeakerFact
from .organisations import departments_from, find_organisations
from .references import _UNKNOWN, find_references
from .speakers import _Speaker, find_speakers
from .text import split_sentences


def extract(document: Document, lexicon: Lexicon) -> Extraction:
    """Read one document's facts; every fact carries the sentence it came from."""
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
