"""What extraction knows about one document while it works through it (_Context).

The sentences, the gazetteer organisations named in them, and the questions every finder asks
of those: is this phrase an organisation, and what is its name in full and its gazetteer key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from ..documents import Document
from .lexicon import Lexicon
from .text import _PEERAGE, NAME, Sentence, _norm_name, _without_trailing_paren, person_name

Mention = tuple[str, bool, Sentence, "str | None"]  # words used, is abbreviation, where, kind when not listed

_ORG_WORDS = re.compile(
    r"\b(?:Department|Ministry|Office|Service|Services|Agency|Authority|Commission|Council|"
    r"Institute|Foundation|Government|Executive|Treasury|Cabinet|Trust|Board|Unit|Directorate|"
    r"Administration|Bureau|University|School|College|Society|Centre|Center|Group|Company|Ltd|"
    r"Limited|Inc|Partnership|Association|Network|Team|Lab|Labs|NHS|Parliament|House|Court|Coalition|"
    r"Alliance|Collective|Forum|Federation|Consortium|Academy|Exchange|Collaborative|Guild|Union|Review)\b"
)

_ABBREV = re.compile(r"^[A-Z][a-z]*[A-Z][A-Za-z]*$")  # lower case up to the second capital: linear


@dataclass
class _Context:
    """What extraction knows about one document while it works through it."""

    document: Document
    lexicon: Lexicon
    sentences: list[Sentence]
    org_mentions: dict[str, list[Mention]] = field(default_factory=dict)

    @cached_property
    def names_in_sentence(self) -> dict[int, list[str]]:
        """The organisation names in each sentence (by its start), each once however often it recurs."""
        found: dict[int, dict[str, None]] = {}
        for mentions in self.org_mentions.values():
            for words, _, where, _ in mentions:
                found.setdefault(where.start, {})[words] = None
        return {start: list(names) for start, names in found.items()}

    @cached_property
    def names_by_surname(self) -> dict[str, set[str]]:
        """The full names the document writes, by surname (a peer's title is no surname), so that a turn
        label "ROE:" or "Commissioner Roe" finds Jane Roe; worked out once per document."""
        names: dict[str, set[str]] = {}
        for sentence in self.sentences:
            for match in re.finditer(NAME, sentence.text):
                if (name := person_name(match.group(0))) and name.split()[0].lower() not in _PEERAGE:
                    names.setdefault(name.split()[-1].lower(), set()).add(name)
        return names

    @cached_property
    def full_names(self) -> dict[str, str]:
        """Each organisation's longest unabbreviated mention, by key, found once rather than per speaker."""
        return {
            key: max(full, key=len)
            for key, mentions in self.org_mentions.items()
            if (full := [m for m, is_abbr, _, _ in mentions if not is_abbr])
        }

    def is_organisation(self, text: str) -> bool:
        """Words that name a body: in the gazetteer, an acronym, or with an organisation noun."""
        text = _without_trailing_paren(text).strip()
        if _norm_name(text) in self.lexicon.organisation_by_name:
            return True
        return bool(_ABBREV.match(text) or _ORG_WORDS.search(text)) and text[:1].isupper()

    def gazetteer_org_in(self, text: str) -> str | None:
        """The longest gazetteer organisation named inside a phrase, as written there (one scan of the
        gazetteer's alternation, from every start, rather than one search per name)."""
        scanner, _ = self.lexicon.organisation_scanner
        found: list[str] = []
        position = 0
        while (match := scanner.search(text, position)) is not None:
            found.append(match.group(0))
            position = match.start() + 1  # a longer name may start inside this one
        if not found:
            return None
        return re.sub(r"^the\s+", "", max(found, key=len))

    def canonical_org(self, text: str | None) -> tuple[str | None, str | None]:
        """(name as the text gives it in full, gazetteer key) for an organisation phrase."""
        if not text:
            return None, None
        text = _without_trailing_paren(text).strip().rstrip(".,;:")
        text = re.sub(r"^the\s+", "", text)
        entry = self.lexicon.organisation_by_name.get(_norm_name(text))
        if entry is None:
            return text, None
        return self.full_names.get(entry.key, text), entry.key
