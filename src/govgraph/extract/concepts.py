"""Themes and pressures: vocabulary concepts whose phrases the text uses, organisation names masked."""

from __future__ import annotations

from collections.abc import Mapping

from .context import _Context
from .lexicon import PhraseMatcher
from .model import ConceptFact
from .text import Sentence

MAX_THEMES = 8


def find_concepts(ctx: _Context, matcher: PhraseMatcher,
                  labels: Mapping[str, tuple[str, tuple[str, ...]]]) -> list[ConceptFact]:
    """Concepts whose phrases occur in the text, each with its first sentence as evidence.

    Organisation names are masked first, so "Government Digital Service" is not a theme.
    """
    facts: dict[str, ConceptFact] = {}
    for sentence in ctx.sentences:
        for key in sorted(matcher.find(_masked(ctx, sentence))):
            if key not in facts:
                facts[key] = ConceptFact(key, labels[key][0], sentence.evidence)
    return list(facts.values())


def find_themes(ctx: _Context, event_title: str | None) -> list[ConceptFact]:
    """The document's main themes: specific over general, frequent over passing, at most 8.

    The event's own name is masked too: "Think Cloud for Digital Government" is not a theme.
    """
    counts: dict[str, int] = {}
    facts: dict[str, ConceptFact] = {}
    lexicon = ctx.lexicon
    for sentence in ctx.sentences:
        text = _masked(ctx, sentence)
        if event_title and len(event_title) > 3:
            text = text.replace(event_title, " ")
        for key in lexicon.theme_matcher.find(text):
            counts[key] = counts.get(key, 0) + 1
            facts.setdefault(key, ConceptFact(key, lexicon.themes[key][0], sentence.evidence))
    found = set(facts)
    specific = [k for k in found if not any(k in lexicon.broader.get(o, ()) for o in found)]
    ranked = sorted(specific, key=lambda k: (-counts[k], facts[k].evidence.start, k))  # a total order
    return [facts[k] for k in ranked[:MAX_THEMES]]


def _masked(ctx: _Context, sentence: Sentence) -> str:
    """The sentence with organisation names blanked out."""
    text = sentence.text
    for words in ctx.names_in_sentence.get(sentence.start, ()):
        text = text.replace(words, " ")
    return text
