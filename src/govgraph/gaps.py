"""What a readable document did not yield: the gaps a researcher should know about, not errors.

A write-up whose speaker, event, date or host cannot be found still loads with what was found; its
gaps are noted on the speech (`skos:editorialNote`), counted by `build`, listed by the `data-gaps`
query and, for a speech without a speaker, reported by the shapes as a warning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor is only needed for the type
    from .extract import Extraction

GAP_NOTES = {
    "speaker": "No speaker was found in the document.",
    "event": "No event (title, date or host) was found in the document.",
    "date": "No date was found for the speech.",
    "host": "No host was found for the event.",
}


def extraction_gaps(extraction: Extraction) -> tuple[str, ...]:
    """The kinds of fact (keys of GAP_NOTES) this extraction lacks, in a fixed order."""
    event = extraction.event
    missing = {
        "speaker": not extraction.speakers,
        "event": not (event.title or event.date or event.host),
        "date": not event.date,
        "host": not event.host,
    }
    return tuple(kind for kind in GAP_NOTES if missing[kind])
