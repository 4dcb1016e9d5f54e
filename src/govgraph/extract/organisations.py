"""Organisations named in the text: gazetteer mentions, generic departments, and the departments facts.

find_organisations fills the context's mentions, which the speaker, event and theme finders read;
departments_from turns the government ones into facts, each named in full where the text does.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .context import _Context
from .model import ConceptFact
from .text import Sentence, _norm_name

_GENERIC_DEPARTMENT = re.compile(
    r"\b(?:Department|Ministry|Dept\.?)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]+"
    r"(?:(?:,\s+|\s+and\s+|\s+&\s+|\s+of\s+|\s+for\s+|\s+)[A-Z][\w'’-]+)*"
)


def find_organisations(ctx: _Context) -> dict[str, list[tuple[str, bool, Sentence]]]:
    """Gazetteer organisations named in the text: key -> (words used, is abbreviation, where)."""
    mentions: dict[str, list[tuple[str, bool, Sentence]]] = {}
    scanner, names = ctx.lexicon.organisation_scanner
    for sentence in ctx.sentences:
        taken: list[tuple[int, int]] = []  # in order and apart, as finditer gives them
        for match in scanner.finditer(sentence.text):
            entry, is_abbr = names[match.group(0)]
            taken.append(match.span())
            text = re.sub(r"^the\s+", "", match.group(0))
            mentions.setdefault(entry.key, []).append((text, is_abbr, sentence))
        ends = [end for _, end in taken]
        for match in _GENERIC_DEPARTMENT.finditer(sentence.text):
            start, end = match.span()
            after = bisect_right(ends, start)  # the first gazetteer name ending after this one starts
            if after < len(taken) and taken[after][0] < end:
                continue
            text = match.group(0)
            mentions.setdefault(f"~{_norm_name(text)}", []).append((text, False, sentence))
    return mentions


def departments_from(ctx: _Context) -> list[ConceptFact]:
    """One fact per government organisation, named in full where the text gives the full name."""
    facts: list[ConceptFact] = []
    entries = {e.key: e for e in ctx.lexicon.organisations}
    for key, mentions in ctx.org_mentions.items():
        entry = entries.get(key)
        if entry is not None and not entry.is_government:
            continue
        full = [m for m in mentions if not m[1]]
        text, _, sentence = max(full, key=lambda m: len(m[0])) if full else mentions[0]
        facts.append(ConceptFact(key if entry else "", text, sentence.evidence))
    return facts
