"""Document -> typed facts, each with the sentence it came from. Pure Python: no rdflib here.

Extraction is rule-based and explainable: names, roles and events come from the ways write-ups
phrase them ("X, Head of Y, spoke", "Y's chief executive, X, gave", "TITLE - NAME, ROLE"), and
themes, pressures and organisations from a Lexicon built from the project's SKOS vocabularies
and gazetteer (see vocab.py), matched on stemmed words.

One module per kind of fact, over the pieces they share:

    model          the facts and the Extraction that holds them (its JSON shape)
    text           sentences; names, honorifics, labels and titles as regex pieces
    lexicon        the vocabularies as plain data, phrases matched on stems
    context        one document's working state: sentences, organisation mentions
    speakers       people who spoke, with role and organisation
    organisations  gazetteer mentions and departments
    events         the event's title, date, host and format; the speech's title
    references     other speeches this one follows or recalls
    concepts       themes and pressures
    pipeline       extract(): a document through every finder
"""

from __future__ import annotations

from .events import parse_date
from .lexicon import Lexicon, OrganisationEntry, iter_phrases, stem_tokens
from .model import ConceptFact, EventFact, Evidence, Extraction, ReferenceFact, SpeakerFact
from .pipeline import extract

__all__ = [
    "ConceptFact",
    "EventFact",
    "Evidence",
    "Extraction",
    "Lexicon",
    "OrganisationEntry",
    "ReferenceFact",
    "SpeakerFact",
    "extract",
    "iter_phrases",
    "parse_date",
    "stem_tokens",
]
