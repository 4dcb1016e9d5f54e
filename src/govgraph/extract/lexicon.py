"""The vocabularies as plain data (Lexicon), and matching their phrases on stemmed words.

vocab.py builds a Lexicon from the SKOS files and the gazetteer; a PhraseMatcher finds a
vocabulary's phrases in a sentence in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import snowballstemmer

from .text import _norm_name


@dataclass(frozen=True)
class OrganisationEntry:
    key: str
    label: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    is_government: bool
    country: str = ""


@dataclass(frozen=True)
class Lexicon:
    """Phrases to look for, keyed by concept; built by vocab.py from the SKOS files."""

    themes: Mapping[str, tuple[str, tuple[str, ...]]]
    pressures: Mapping[str, tuple[str, tuple[str, ...]]]
    organisations: Sequence[OrganisationEntry] = ()
    broader: Mapping[str, frozenset[str]] = field(default_factory=dict)
    related: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def theme_matcher(self) -> PhraseMatcher:
        return PhraseMatcher({k: phrases for k, (_, phrases) in self.themes.items()})

    @cached_property
    def theme_name_matcher(self) -> PhraseMatcher:
        """Only the theme wordings that are names ("Local Digital Declaration"), to match in names."""
        return PhraseMatcher({k: [p for p in phrases if p != p.lower()]
                              for k, (_, phrases) in self.themes.items()})

    @cached_property
    def organisation_names(self) -> list[tuple[str, OrganisationEntry, bool]]:
        """(name or abbreviation, organisation, is abbreviation), longest name first."""
        items: list[tuple[str, OrganisationEntry, bool]] = []
        for entry in self.organisations:
            items += [(name, entry, False) for name in entry.names]
            items += [(abbr, entry, True) for abbr in entry.abbreviations]
        items.sort(key=lambda item: -len(item[0]))
        return items

    @cached_property
    def organisation_scanner(self) -> tuple[re.Pattern[str], dict[str, tuple[OrganisationEntry, bool]]]:
        """Every gazetteer name in one alternation (longest first), and what each name stands for."""
        names: dict[str, tuple[OrganisationEntry, bool]] = {}
        for name, entry, is_abbr in self.organisation_names:
            names.setdefault(name, (entry, is_abbr))
        return re.compile(rf"(?<![\w-])(?:{trie_pattern(names)})(?![\w-])"), names

    @cached_property
    def organisation_homonyms(self) -> dict[str, tuple[OrganisationEntry, ...]]:
        """Names that several gazetteer organisations share ("Department of Finance"), with all of them."""
        holders: dict[str, dict[str, OrganisationEntry]] = {}
        for name, entry, _ in self.organisation_names:
            holders.setdefault(name, {})[entry.key] = entry
        return {name: tuple(by_key.values()) for name, by_key in holders.items() if len(by_key) > 1}

    @cached_property
    def organisation_by_name(self) -> dict[str, OrganisationEntry]:
        table: dict[str, OrganisationEntry] = {}
        for entry in self.organisations:
            for name in (*entry.names, *entry.abbreviations, entry.label):
                table.setdefault(_norm_name(name), entry)
        return table


_STEMMER = snowballstemmer.stemmer("english")
_TOKEN = re.compile(r"[a-z0-9]+")


def _raw_tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "").replace("'", ""))


_STEMS: dict[str, str] = {}


def _stems(words: list[str]) -> list[str]:
    """Stems, remembered: a corpus repeats a small vocabulary, and stemming dominates matching."""
    missing = list(dict.fromkeys(w for w in words if w not in _STEMS))  # each new word stemmed once
    if missing:
        _STEMS.update(zip(missing, _STEMMER.stemWords(missing), strict=True))
    return [_STEMS[w] for w in words]


def stem_tokens(text: str) -> list[str]:
    """Lower-cased, apostrophe-free, stemmed words: the form phrases are compared in."""
    return _stems(_raw_tokens(text))


def _surface_forms(word: str) -> set[str]:
    """A single word and its plural: single words are not stemmed ("open" is not "openness")."""
    forms = {word, f"{word}s", f"{word}es"}
    if word.endswith("y"):
        forms.add(f"{word[:-1]}ies")
    if word.endswith("s"):
        forms.add(word[:-1])
    return forms


class PhraseMatcher:
    """Finds vocabulary phrases in one pass: multi-word phrases on stems, single words as written."""

    def __init__(self, phrases: Mapping[str, Iterable[str]]) -> None:
        self._index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        self._words: dict[str, set[str]] = {}
        for key, texts in phrases.items():
            for text in texts:
                raw = _raw_tokens(text)
                if len(raw) == 1:
                    for form in _surface_forms(raw[0]):
                        self._words.setdefault(form, set()).add(key)
                elif raw:
                    tokens = tuple(_STEMMER.stemWords(raw))
                    self._index.setdefault(tokens[0], []).append((tokens, key))

    def find(self, text: str) -> set[str]:
        """Keys of every phrase that occurs in the text."""
        raw = _raw_tokens(text)
        tokens = _stems(raw)
        found: set[str] = set()
        for i, token in enumerate(tokens):
            found |= self._words.get(raw[i], set())
            for phrase, key in self._index.get(token, ()):
                if tuple(tokens[i:i + len(phrase)]) == phrase:
                    found.add(key)
        return found


def iter_phrases(*groups: Iterable[str]) -> Iterator[str]:
    """Flatten label groups, skipping blanks (used when building a Lexicon)."""
    for group in groups:
        yield from (g for g in group if g and g.strip())


def trie_pattern(words: Iterable[str]) -> str:
    """One regex for many words, factored by shared beginnings ("Department (?:for|of) ..."), so the engine
    tries each character once at a position instead of every word; the longest word still wins, since
    each continuation is greedy and gives way when the text does not allow it."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}  # the end of a word
    return _node_pattern(trie)


def _node_pattern(node: dict[str, dict]) -> str:
    ends = "" in node
    branches = [re.escape(char) + _node_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    if ends:
        return f"(?:{body})?" if len(branches) == 1 else f"{body}?"
    return body
