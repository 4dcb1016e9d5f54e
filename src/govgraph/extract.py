"""Document -> typed facts, each with the sentence it came from. Pure Python: no rdflib here.

Extraction is rule-based and explainable: names, roles and events come from the ways write-ups
phrase them ("X, Head of Y, spoke", "Y's chief executive, X, gave", "TITLE - NAME, ROLE"), and
themes, pressures and organisations from a Lexicon built from the project's SKOS vocabularies
and gazetteer (see vocab.py), matched on stemmed words.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property

import snowballstemmer

from .documents import Document

# ---------------------------------------------------------------------------
# Facts
# ---------------------------------------------------------------------------


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
    evidence: Evidence


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
    """A theme, pressure or organisation found in the text, by its vocabulary key."""

    key: str
    label: str
    evidence: Evidence


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
        }


# ---------------------------------------------------------------------------
# Lexicon: the vocabularies, as plain data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationEntry:
    key: str
    label: str
    names: tuple[str, ...]
    abbreviations: tuple[str, ...]
    is_government: bool


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
    def pressure_matcher(self) -> PhraseMatcher:
        return PhraseMatcher({k: phrases for k, (_, phrases) in self.pressures.items()})

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
    def organisation_patterns(self) -> list[tuple[re.Pattern[str], OrganisationEntry, bool]]:
        """Case-sensitive whole-word patterns, longest name first so spans don't overlap."""
        return [(re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])"), entry, is_abbr)
                for name, entry, is_abbr in self.organisation_names]

    @cached_property
    def organisation_scanner(self) -> tuple[re.Pattern[str], dict[str, tuple[OrganisationEntry, bool]]]:
        """Every gazetteer name in one alternation (longest first), and what each name stands for."""
        names: dict[str, tuple[OrganisationEntry, bool]] = {}
        for name, entry, is_abbr in self.organisation_names:
            names.setdefault(name, (entry, is_abbr))
        alternation = "|".join(re.escape(name) for name in names)
        return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"), names

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


# ---------------------------------------------------------------------------
# Sentences
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int
    block: int
    is_heading: bool

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.text, self.start)


_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][’\"”)]))\s+(?=[A-Z‘“\"(0-9])")
_ABBREVIATIONS = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Prof|Rt|Hon|Sr|Jr|No|vs|e\.g|i\.e|U\.S|U\.K)\.$")


def split_sentences(document: Document) -> list[Sentence]:
    """Sentences with offsets into document.text; a short line without a full stop is a heading."""
    sentences: list[Sentence] = []
    offset = 0
    for number, block in enumerate(document.blocks):
        heading = not block.rstrip().endswith((".", "?", "!", ".’", ".”", '."')) or len(block) < 40
        parts: list[list[str]] = []  # a sentence's parts, split after "Dr." and the like, joined once
        for part in _SENTENCE_END.split(block):
            if parts and _ABBREVIATIONS.search(parts[-1][-1]):
                parts[-1].append(part)
            else:
                parts.append([part])
        pieces = [" ".join(sentence) for sentence in parts]
        cursor = 0
        for piece in pieces:
            at = block.find(piece, cursor)
            cursor = at + len(piece)
            sentences.append(Sentence(piece, offset + at, number, heading and len(pieces) == 1))
        offset += len(block) + 2
    return sentences


# ---------------------------------------------------------------------------
# Names, roles and organisations
# ---------------------------------------------------------------------------

# Repetitions are bounded (a word of a name has at most three joins, as in "O'Neil-Smith-Jones"): an
# unbounded one is tried again from every capital inside a long run, and extraction became quadratic.
_NAME_TOKEN = r"(?:[A-ZÀ-Þ][a-zß-ÿ]+(?:[A-Z][a-zß-ÿ]+)?(?:[-'’][A-ZÀ-Þ][a-zß-ÿ]+){0,3}|[A-Z]\.)"
_PARTICLE = r"(?:de|van|von|der|da|di|la|le|du|bin|al)"
NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,3}}"
_HONORIFIC = re.compile(r"^(?:Sir|Dame|Dr|Dr\.|Professor|Prof\.?|Mr|Mrs|Ms|Rt Hon|The Rt Hon)\s+")
_NOT_NAME_WORDS = frozenset(
    [
        "The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Their", "Its", "Our", "In",
        "On", "At", "For", "Of", "And", "But", "Or", "With", "From", "By", "As", "After", "Before",
        "When", "While", "During", "Today", "Yesterday", "Digital", "Government", "Service", "Services",
        "Civil", "Minister", "Department", "Office", "Ministry", "Agency", "Head", "Director", "Chief",
        "Executive", "Secretary", "Permanent", "Conference", "Summit", "Event", "Events", "Institute",
        "Foundation", "Council", "Committee", "Cabinet", "Home", "Public", "National", "Royal",
        "British", "United", "States", "Kingdom", "Federal", "Team", "Group", "Speech", "Talk",
        "Keynote", "Panel", "Session", "Sprint", "Live", "Day", "Week", "Strategy", "Programme",
        "Policy", "Data", "Open", "Transformation", "Platform", "Monday", "Tuesday", "Wednesday",
        "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March", "April", "May",
        "June", "July", "August", "September", "October", "November", "December", "Related", "Content",
        "Speaker", "Preview", "Notes", "Seminar", "Lecture", "Report", "More", "New", "Camp", "Think",
        "Cloud", "Code", "America", "Internet", "Explorer", "Adobe", "Reader", "Whitehall",
        "Parliament", "Westminster", "London", "Edinburgh", "Scotland", "Wales", "England", "Europe"
    ]
)
_ORG_WORDS = re.compile(
    r"\b(?:Department|Ministry|Office|Service|Services|Agency|Authority|Commission|Council|"
    r"Institute|Foundation|Government|Executive|Treasury|Cabinet|Trust|Board|Unit|Directorate|"
    r"Administration|Bureau|University|School|College|Society|Centre|Center|Group|Company|Ltd|"
    r"Limited|Inc|Partnership|Association|Network|Team|Lab|Labs|NHS|Parliament|House|Court)\b"
)
_ABBREV = re.compile(r"^[A-Z][a-z]*[A-Z][A-Za-z]*$")  # lower case up to the second capital: linear

STRONG_VERBS = (
    r"(?:(?:has\s+|had\s+|will\s+|is\s+to\s+|was\s+to\s+|then\s+|also\s+)?"
    r"(?:spoke|speaks|will speak|speaking|is speaking|was speaking|delivered|delivers|deliver"
    r"|addressed|addresses|address|presented|presents|present|took the stage|takes the stage"
    r"|take the stage|opened|opens|open|closed|closes|close|keynoted|headlined|set out|sets out"
    r"|gave|gives|give|giving|was giving|talked|talks|talk|lectured|launched|launches"
    r"|answered questions|appeared before|took part|used (?:his|her|their) (?:keynote|speech|talk"
    r"|address|lecture)))"
)
WEAK_VERBS = (r"(?:said|says|argued|argues|told|tells|explained|explains|described|describes|warned"
              r"|urged|called for)")
_SPEECH_NOUN = (r"(?:speech|talk|keynote|lecture|address|presentation|evidence|remarks|session"
                r"|seminar|briefing|closing|opening)")
_GAVE = re.compile(r"^(?:has |had |will |then |also )?(?:gave|gives|give|giving|was giving)\b", re.I)
_OPENED = re.compile(r"^(?:opened|opens|open|closed|closes|close)\b", re.I)

_ROLE_HEAD = re.compile(
    r"^(?:(?:is|was)\s+)?(?:the\s+|a\s+|an\s+|its\s+|now\s+|then\s+|currently\s+|former\s+)*", re.I
)
_MINISTERIAL = re.compile(
    r"^(?:(?:Parliamentary\s+)?(?:Under[- ])?(?:Secretary of State|Minister(?: of State)?|"
    r"Chancellor|Paymaster General|Chief Secretary)\b.*)$"
)
_WHO_LEADS = re.compile(
    r"^who\s+(?:leads|led|heads|headed|runs|ran|chairs|chaired|founded|directs|directed)\s+"
    r"(?P<org>.+?)(?:\s+as\s+(?:its|their|the)\s+(?P<role>.+))?$",
    re.I,
)
_ROLE_AT = re.compile(r"^(?P<role>.+?)\s+(?:at|in|with|from)\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ROLE_OF = re.compile(r"^(?P<role>.+?)\s+(?:of|for)\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ROLE_COMMA = re.compile(r"^(?P<role>[^,]+),\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ORG_ROLE = re.compile(r"^(?P<org>[A-Z][\w .&-]{1,60}?)['’]s\s+(?P<role>[\w -]{2,80})$")
_TRAILING_PAREN = re.compile(r"\s*\(([^)]*)\)\s*$")


def _trailing_paren(text: str) -> re.Match[str] | None:
    """The "(...)" ending a phrase, searched for only after the ")" before it (else quadratic in "(")."""
    end = text.rstrip()
    if not end.endswith(")"):
        return None
    return _TRAILING_PAREN.search(text, end.rfind(")", 0, len(end) - 1) + 1)


def _without_trailing_paren(text: str) -> str:
    paren = _trailing_paren(text)
    return text[: paren.start()] if paren else text


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower().removeprefix("the ")


_POST_NOMINALS = re.compile(r"(?:\s+(?:MP|MSP|MS|AM|MLA|OBE|CBE|MBE|KCB|KBE|DBE|QC|KC|FRS|PhD)){1,8}$")
_SPEAKER_LABELS = {"speaker", "speakers", "presenter", "keynote", "keynote speaker", "speaker(s)"}


def clean_name(name: str) -> str | None:
    """A person's name without honorifics, or None when the words are not a person's name."""
    name = _POST_NOMINALS.sub("", _HONORIFIC.sub("", name.strip()))
    words = name.split()
    if len(words) < 2 or any(w in _NOT_NAME_WORDS for w in words):
        return None
    return name


@dataclass
class _Speaker:
    name: str
    role: str | None
    organisation: str | None
    evidence: Evidence
    strength: int

    def completeness(self) -> int:
        return (self.role is not None) + (self.organisation is not None)


@dataclass
class _Context:
    """What extraction knows about one document while it works through it."""

    document: Document
    lexicon: Lexicon
    sentences: list[Sentence]
    org_mentions: dict[str, list[tuple[str, bool, Sentence]]] = field(default_factory=dict)

    @cached_property
    def names_in_sentence(self) -> dict[int, list[str]]:
        """The organisation names in each sentence (by its start), each once however often it recurs."""
        found: dict[int, dict[str, None]] = {}
        for mentions in self.org_mentions.values():
            for words, _, where in mentions:
                found.setdefault(where.start, {})[words] = None
        return {start: list(names) for start, names in found.items()}

    @cached_property
    def full_names(self) -> dict[str, str]:
        """Each organisation's longest unabbreviated mention, by key, found once rather than per speaker."""
        return {
            key: max(full, key=len)
            for key, mentions in self.org_mentions.items()
            if (full := [m for m, is_abbr, _ in mentions if not is_abbr])
        }

    def is_organisation(self, text: str) -> bool:
        """Words that name a body: in the gazetteer, an acronym, or with an organisation noun."""
        text = _without_trailing_paren(text).strip()
        if _norm_name(text) in self.lexicon.organisation_by_name:
            return True
        return bool(_ABBREV.match(text) or _ORG_WORDS.search(text)) and text[:1].isupper()

    def gazetteer_org_in(self, text: str) -> str | None:
        """The longest gazetteer organisation named inside a phrase, as written there."""
        for pattern, _, _ in self.lexicon.organisation_patterns:
            if match := pattern.search(text):
                return re.sub(r"^the\s+", "", match.group(0))
        return None

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


def split_role(phrase: str, ctx: _Context) -> tuple[str | None, str | None]:
    """Split "Head of the Government Digital Service" into ("Head", "Government Digital Service")."""
    phrase = _ROLE_HEAD.sub("", phrase.strip().rstrip(".,;:")).strip()
    if not phrase:
        return None, None
    if match := _WHO_LEADS.match(phrase):
        role = match.group("role")
        return (role.strip() if role else None), match.group("org").strip()
    if phrase.lower().startswith("who "):
        return None, None
    phrase = re.split(r",\s+who\s+", phrase)[0]
    if match := _ORG_ROLE.match(phrase):
        return match.group("role").strip(), match.group("org").strip()
    paren = _trailing_paren(phrase)
    if paren and ctx.is_organisation(paren.group(1).split(",")[-1].strip()):
        inner = paren.group(1)
        base = phrase[: paren.start()].strip()
        if "," in inner:
            return base or inner.split(",")[0].strip(), inner.split(",")[-1].strip()
        role, org = split_role(base, ctx)
        if org or ctx.is_organisation(base):
            return role, org
        return base, inner
    if _MINISTERIAL.match(phrase):
        return phrase, ctx.gazetteer_org_in(phrase)
    for pattern in (_ROLE_AT, _ROLE_COMMA, _ROLE_OF):
        match = pattern.match(phrase)
        if match and ctx.is_organisation(match.group("org")):
            return match.group("role").strip(), match.group("org").strip()
    return phrase, None


# at most 16 words of at most 41 characters (the gazetteer's longest name has 10, its longest word 26)
_ORG_PHRASE = r"(?:[A-Z][\w&.’'-]{0,40})(?:\s+(?:of|for|and|the|&|on|[A-Z][\w&.’'-]{0,40})){0,15}"

_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME}),\s+(?P<role>[^;:]{{2,160}}?),\s+(?:who\s+)?(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
_POSSESSIVE = re.compile(
    rf"(?P<org>{_ORG_PHRASE})['’]s\s+(?P<role>[a-z][\w-]*(?:\s+[a-z][\w-]*){{0,7}}\s*),\s+(?P<name>{NAME}),"
    rf"\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b(?P<after>[^.]{{0,80}})"
)
_ROLE_FIRST = re.compile(
    rf"(?:^|\b[Tt]he\s+)(?P<role>(?:[a-z][\w-]*\s+){{0,5}}?[a-z][\w-]*)\s+(?:of|at)\s+(?:the\s+)?"
    rf"(?P<org>{_ORG_PHRASE}),\s+(?P<name>{NAME}),\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
_PAREN_ROLE = re.compile(
    rf"(?P<name>{NAME})\s+\((?P<role>[^)]{{2,120}})\)\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
_BARE = re.compile(rf"(?P<name>{NAME})\s+(?P<verb>{STRONG_VERBS})\b(?P<after>[^.]{{0,80}})")
_BY_NAME = re.compile(
    rf"\b{_SPEECH_NOUN}\s+(?:given\s+|delivered\s+)?(?:by|from)\s+(?P<name>{NAME})"
    rf"(?:,\s+(?P<role>[^,;.]{{2,120}}?)(?:,|\.|$))?"
)
_DASH = r"\s+[-–—|]\s+"
_HEADING_SPEAKER = re.compile(rf"^(?P<title>.+?){_DASH}(?P<name>{NAME})(?:,\s+(?P<role>.+))?$")
_HEADING_ON = re.compile(rf"^(?P<title>.+?):\s+(?P<name>{NAME})\s+(?:on|at|in conversation)\b")
_HEADING_AT = re.compile(rf"^(?P<name>{NAME})\s+at\s+(?P<event>.+)$")


def _verb_ok(verb: str, after: str) -> bool:
    """Reject verbs that are speech acts only with a speech noun, like "gave" or "opened"."""
    verb = verb.strip()
    if _GAVE.match(verb):
        return bool(re.match(rf"^\s+(?:\w+\s+){{0,3}}{_SPEECH_NOUN}", after, re.I))
    if _OPENED.match(verb):
        return bool(re.match(r"^\s+(?:the|a|an|this|its|proceedings|day)\b", after, re.I))
    return True


def _is_weak(verb: str) -> bool:
    return bool(re.fullmatch(WEAK_VERBS, verb.strip()))


def find_speakers(ctx: _Context, references: set[int]) -> list[_Speaker]:
    """People whose speech the document reports, merged by name, most complete role kept."""
    found: list[_Speaker] = []
    for sentence in ctx.sentences:
        if sentence.start in references:
            continue
        if sentence.is_heading:
            found += _heading_speakers(sentence, ctx)
            continue
        for pattern in (_POSSESSIVE, _ROLE_FIRST, _APPOSITIVE, _PAREN_ROLE, _BARE):
            for match in pattern.finditer(sentence.text):
                name = clean_name(match.group("name"))
                if not name or not _verb_ok(match.group("verb"), match.group("after")):
                    continue
                role, org = _role_from_match(match, ctx)
                strength = 1 if _is_weak(match.group("verb")) else 2
                found.append(_Speaker(name, role, org, sentence.evidence, strength))
        for match in _BY_NAME.finditer(sentence.text):
            name = clean_name(match.group("name"))
            if name:
                role, org = split_role(match.group("role") or "", ctx)
                found.append(_Speaker(name, role, org, sentence.evidence, 2))
    return _merge_speakers(found)


def _role_from_match(match: re.Match[str], ctx: _Context) -> tuple[str | None, str | None]:
    groups = match.groupdict()
    if groups.get("org"):
        return groups["role"].strip(), groups["org"].strip()
    if groups.get("role"):
        return split_role(groups["role"], ctx)
    return None, None


def _heading_speakers(sentence: Sentence, ctx: _Context) -> list[_Speaker]:
    text = sentence.text
    label = _LABEL.match(text)
    if label and label.group("label").lower() in _SPEAKER_LABELS:
        speakers = []
        for part in re.split(r";\s*", label.group("value")):
            name, _, role = part.partition(",")
            if cleaned := clean_name(name):
                speakers.append(_Speaker(cleaned, *split_role(role, ctx), sentence.evidence, 2))
        return speakers
    for pattern in (_HEADING_SPEAKER, _HEADING_ON, _HEADING_AT):
        match = pattern.match(text)
        if match and (name := clean_name(match.group("name"))):
            role, org = split_role(match.groupdict().get("role") or "", ctx)
            return [_Speaker(name, role, org, sentence.evidence, 2)]
    return []


def _merge_speakers(found: list[_Speaker]) -> list[_Speaker]:
    """One entry per person (a later surname-only mention is the same person)."""
    strongest = max((s.strength for s in found), default=0)
    merged: dict[str, _Speaker] = {}
    for speaker in found:
        if speaker.strength < strongest:
            continue
        key = _norm_name(speaker.name)
        current = merged.get(key)
        if current is None:
            merged[key] = speaker
            continue
        if speaker.completeness() > current.completeness():
            current.role = speaker.role if speaker.role else current.role
            current.organisation = speaker.organisation or current.organisation
            current.evidence = speaker.evidence
        elif current.role is None and speaker.role:
            current.role = speaker.role
    return list(merged.values())


# ---------------------------------------------------------------------------
# Organisations (departments and hosts)
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Events: title, date, host, format
# ---------------------------------------------------------------------------

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"],
    start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), "day"),
    (re.compile(rf"\b{_WEEKDAY}(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH}),?\s+{_YEAR}\b"),
     "day"),
    (re.compile(rf"\b{_WEEKDAY}(?P<mn>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}\b"), "day"),
    (re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)\b"), "day"),
    (re.compile(rf"\b(?P<mn>{_MONTH})\s+(?P<y>(?:19|20)\d\d)\b"), "month"),
)
_PRECISION = {"day": 3, "month": 2, "year": 1}


def parse_date(text: str) -> tuple[str, str] | None:
    """The first date in the text as (ISO 8601 string, precision), validated."""
    best: tuple[int, str, str] | None = None
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _iso(match, precision)
            if iso and (best is None or match.start() < best[0]):
                best = (match.start(), iso, precision)
            if iso:
                break
        if best:
            return best[1], best[2]
    return None


def _iso(match: re.Match[str], precision: str) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    month = int(groups["m"]) if groups.get("m") else MONTHS[groups["mn"].lower().rstrip(".")]
    if not 1 <= month <= 12:
        return None
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    day = int(groups["d"])
    import calendar

    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


_LABEL = re.compile(r"^(?P<label>[A-Z][\w ]{1,20}):\s+(?P<value>.+)$")
_EVENT_LABELS = {"event", "conference", "event name", "occasion"}
_HOST_LABELS = {"organised by", "organized by", "hosted by", "host", "organiser", "organizer",
                "presented by", "run by"}
_FORMAT_LABELS = {"format", "attendance", "event type", "type"}
_DATE_LABELS = {"date", "when", "held on"}
_SPEECH_SUFFIX = re.compile(
    r"\s+(?:[-–—:]\s+)?(?:(?:opening|closing|keynote|plenary|main|annual)\s+){0,6}"
    r"(?:speech|address|keynote|talk|lecture|remarks|presentation)$", re.I)
_EVENT_IN_TEXT = re.compile(
    r"\b(?:at|closed|opened|addressed|attended)\s+(?:the\s+)?(?:annual\s+)?(?P<event>"
    r"(?:[A-Z0-9][\w&’'-]*\s+){0,6}?(?:Conference|Summit|Festival|Forum|Expo|Week|Live|Lecture|"
    r"Sprint \d+|Camp \w+|Day|Symposium|Congress)(?:\s+(?:19|20)\d\d)?)\b"
)
_EVENT_CONFERENCE = re.compile(
    r"\bat\s+the\s+(?P<event>(?:[A-Z0-9][\w&’'-]*\s+)(?:(?:for|of|and|on|in|the)\s+|[A-Z0-9][\w&’'-]*\s+){0,8}?)"
    r"(?:conference|summit|event|festival|forum|expo)\b"
)
_HOST_TEXT = re.compile(
    rf"\b(?:hosted|organised|organized|convened|run|held)\s+by\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})"
)
_HOST_SERIES = re.compile(
    rf"\bin\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})['’]s\s+(?:[A-Z][\w-]*\s+){{0,6}}(?:series|lectures?|seminars?)\b"
)
_NOT_HOST = re.compile(r"\b(?:media partner|sponsor|sponsored|in association with|partner)\b", re.I)
_FORMATS = (
    ("hybrid", re.compile(r"\bhybrid\b|\bin[- ]person and online\b|\bonline and in[- ]person\b", re.I)),
    ("online", re.compile(r"\bonline (?:event|conference|seminar|session|only)\b|\bwebinar\b|"
                          r"\bvirtual (?:event|conference|session)\b|"
                          r"\b(?:held|took place|delivered|hosted) online\b|"
                          r"^online$|\bvia (?:zoom|teams|video ?link)\b", re.I)),
    ("in-person", re.compile(r"\bin[- ]person\b|\blive audience\b|\bin the room\b", re.I)),
)


def find_event(ctx: _Context, speakers: list[_Speaker], references: set[int]) -> tuple[EventFact, str | None]:
    """The event the speech was given at, and the speech's own title when the text gives one."""
    labels = _labelled_fields(ctx)
    title, evidence = _event_title(ctx, labels, speakers)
    date, date_sentence = _event_date(ctx, labels, references, title)
    host, host_key, host_sentence = _event_host(ctx, labels, speakers)
    fmt = _event_format(ctx, labels)
    if evidence is None and (told := host_sentence or date_sentence):
        evidence = told.evidence  # an untitled event is still told of by the sentence naming its host or date
    return EventFact(title, date, host, host_key, fmt, evidence), _speech_title(ctx, references)


def _labelled_fields(ctx: _Context) -> dict[str, tuple[str, Sentence]]:
    fields: dict[str, tuple[str, Sentence]] = {}
    for sentence in ctx.sentences:
        if sentence.is_heading and (match := _LABEL.match(sentence.text)):
            fields.setdefault(match.group("label").lower(), (match.group("value").strip(), sentence))
    return fields


def _first_label(labels: dict[str, tuple[str, Sentence]], names: set[str]) -> tuple[str, Sentence] | None:
    return next((labels[n] for n in labels if n in names), None)


def _event_title(ctx: _Context, labels: dict[str, tuple[str, Sentence]],
                 speakers: list[_Speaker]) -> tuple[str | None, Evidence | None]:
    if labelled := _first_label(labels, _EVENT_LABELS):
        return labelled[0].split(", ")[0].strip(), labelled[1].evidence
    names = {_norm_name(s.name) for s in speakers}
    for sentence in ctx.sentences:
        if not sentence.is_heading:
            continue
        for pattern in (_HEADING_SPEAKER, _HEADING_ON):
            match = pattern.match(sentence.text)
            if match and _norm_name(_HONORIFIC.sub("", match.group("name"))) in names:
                return _strip_speech_suffix(match.group("title")), sentence.evidence
        match = _HEADING_AT.match(sentence.text)
        if match and _norm_name(_HONORIFIC.sub("", match.group("name"))) in names:
            return match.group("event").strip(), sentence.evidence
    for sentence in ctx.sentences:
        if sentence.is_heading:
            continue
        for pattern in (_EVENT_CONFERENCE, _EVENT_IN_TEXT):
            match = pattern.search(sentence.text)
            if match:
                return match.group("event").strip(), sentence.evidence
    title = ctx.document.title
    if title:
        heading = next((s for s in ctx.sentences if s.text == title), None)
        return _strip_speech_suffix(title), heading.evidence if heading else None
    return None, None


def _strip_speech_suffix(title: str) -> str:
    return _SPEECH_SUFFIX.sub("", title.strip()).strip(" -–—:")


def _event_date(ctx: _Context, labels: dict[str, tuple[str, Sentence]], references: set[int],
                title: str | None) -> tuple[str | None, Sentence | None]:
    """The event's date, and the sentence that gives it (None when it came from metadata or the title)."""
    if labelled := _first_label(labels, _DATE_LABELS):
        parsed = parse_date(labelled[0])
        if parsed:
            return parsed[0], labelled[1]
    candidates: list[tuple[int, int, int, str, Sentence]] = []
    for sentence in ctx.sentences:
        if sentence.start in references:
            continue
        parsed = parse_date(sentence.text)
        if not parsed:
            continue
        iso, precision = parsed
        place = 0 if sentence.is_heading else 1 if _about_the_event(sentence.text) else 2
        if place == 2 and precision != "day":
            continue
        candidates.append((place if place < 2 else 2, -_PRECISION[precision], sentence.start, iso, sentence))
    near = [c for c in candidates if c[0] < 2]
    if near:
        return min(near, key=lambda c: (c[1], c[0], c[2]))[3:]
    meta = ctx.document.metadata.get("date")
    if meta and (parsed := parse_date(meta)):
        return parsed[0], None
    if candidates:
        return min(candidates, key=lambda c: (c[1], c[2]))[3:]
    if title and (year := re.search(r"\b((?:19|20)\d\d)\b", title)):
        return year.group(1), None
    return None, None


def _about_the_event(text: str) -> bool:
    return bool(re.search(rf"\b{STRONG_VERBS}\b|\b{_SPEECH_NOUN}\b|\bevent\b|\bconference\b", text, re.I))


def _event_host(ctx: _Context, labels: dict[str, tuple[str, Sentence]],
                speakers: list[_Speaker]) -> tuple[str | None, str | None, Sentence | None]:
    """The host's name and gazetteer key, and the sentence that names it."""
    if labelled := _first_label(labels, _HOST_LABELS):
        return *_host_name(ctx, labelled[0]), labelled[1]
    for sentence in ctx.sentences:
        if _NOT_HOST.search(sentence.text):
            continue
        for pattern in (_HOST_TEXT, _HOST_SERIES):
            match = pattern.search(sentence.text)
            if match and ctx.is_organisation(match.group("org")):
                return *_host_name(ctx, match.group("org")), sentence
    speaker_orgs = {_norm_name(ctx.canonical_org(s.organisation)[0] or "") for s in speakers}
    hosts = {e.key: e for e in ctx.lexicon.organisations if not e.is_government}
    for key, mentions in ctx.org_mentions.items():
        entry = hosts.get(key)
        if entry is None:
            continue
        sentences = {m[2].start: m[2].text for m in mentions}  # each once, however often it names the host
        if any(_NOT_HOST.search(text) for text in sentences.values()):
            continue
        if _norm_name(entry.label) in speaker_orgs or any(
            _norm_name(m[0]) in speaker_orgs for m in mentions
        ):
            continue
        return entry.label, entry.key, mentions[0][2]
    return None, None, None


def _host_name(ctx: _Context, text: str) -> tuple[str | None, str | None]:
    name = _without_trailing_paren(text.split(", ")[0]).strip().rstrip(".,;")
    entry = ctx.lexicon.organisation_by_name.get(_norm_name(name))
    return (entry.label, entry.key) if entry else (name, None)


def _event_format(ctx: _Context, labels: dict[str, tuple[str, Sentence]]) -> str | None:
    texts: Iterable[str]
    if labelled := _first_label(labels, _FORMAT_LABELS):
        texts = [labelled[0]]
    else:
        texts = [s.text for s in ctx.sentences]
    joined = "\n".join(texts)
    for name, pattern in _FORMATS:
        if pattern.search(joined):
            return name
    return None


_ENTITLED = re.compile(r"\b(?:entitled|titled|called)\s+[‘“\"']?(?P<title>[A-Z][^.?!‘“\"’”]{3,160})")


def _speech_title(ctx: _Context, references: set[int]) -> str | None:
    for sentence in ctx.sentences:
        if sentence.start in references or sentence.is_heading:
            continue
        if re.search(rf"\b{_SPEECH_NOUN}\b", sentence.text) and (m := _ENTITLED.search(sentence.text)):
            return m.group("title").strip()
    return None


# ---------------------------------------------------------------------------
# References to other speeches
# ---------------------------------------------------------------------------

_REF_NOUN = r"(?:speech|talk|lecture|presentation|keynote|address|remarks|TED talk)"
_REFERENCE = re.compile(
    rf"\b(?P<kind>(?i:follows|followed|follow(?:s|ed)? on from|builds? on|built on|recall(?:s|ed)?|"
    rf"revisit(?:s|ed)?|return(?:s|ed)? to|picks? up (?:from|on)|echo(?:es|ed)?|continues?|"
    rf"came .{{0,40}}?after|comes .{{0,40}}?after|a sequel to))\s+"
    rf"(?:(?P<owner>{NAME})['’]s\s+|(?i:the|a|an|his|her|their|its)\s+)?"
    rf"(?i:(?:earlier|previous|last|first|famous|well-known|opening|closing|keynote|own|"
    rf"\w+ \d{{4}})\s+)*(?i:{_REF_NOUN}|one)"
    rf"(?:\s+(?:given|delivered|made)\s+by\s+(?P<name>{NAME}))?(?P<rest>[^.?!]*)"
)
_EARLIER = re.compile(
    rf"\b(?i:an?|the|his|her|their)\s+(?i:earlier|previous|first|famous|well-known)\s+"
    rf"(?:\w+\s+)?(?i:{_REF_NOUN})(?:\s+(?:given|delivered)\s+by\s+(?P<name>{NAME}))?"
    rf"(?P<rest>[^.?!]*)"
)
_AFTER_GAVE = re.compile(
    rf"\b(?i:after)\s+(?P<who>(?i:he|she|they)|{NAME})\s+(?:gave|delivered|made)\s+"
    rf"(?i:the|a|an|his|her|their)\s+(?:\w+\s+){{0,2}}(?i:{_REF_NOUN})(?P<rest>[^.?!]*)"
)
_SEE = re.compile(r"\(?\b[Ss]ee\s+(?:also\s+)?(?P<title>[A-Z][^.;()]{5,160}?)\s*(?:\)|\.|;|$)")
_UNKNOWN = ""
_QUOTED_TITLE = re.compile(r"[‘“\"](?P<title>[^’”\"]{4,160})[’”\"]")


def find_references(ctx: _Context) -> list[tuple[str | None, str | None, str, Sentence]]:
    """(speaker name or None for the document's own speaker, title, kind, sentence)."""
    refs: list[tuple[str | None, str | None, str, Sentence]] = []
    for sentence in ctx.sentences:
        text = sentence.text
        match = _REFERENCE.search(text)
        if match:
            follows = re.match(r"follow|came|comes|continu|a sequel", match.group("kind"), re.I)
            kind = "follows" if follows else "refers"
            name = match.group("name") or match.group("owner")
            refs.append((clean_name(name) if name else None, _ref_title(match.group("rest")), kind, sentence))
            continue
        match = _AFTER_GAVE.search(text)
        if match:
            who = match.group("who")
            name = None if who.lower() in ("he", "she", "they") else clean_name(who)
            refs.append((name, _ref_title(match.group("rest")), "follows", sentence))
            continue
        match = _EARLIER.search(text)
        if match:
            name = match.group("name")
            title = _ref_title(match.group("rest"))
            refs.append((clean_name(name) if name else None, title, "refers", sentence))
            continue
        for see in _SEE.finditer(text):
            refs.append((_UNKNOWN, see.group("title").strip(), "refers", sentence))
    return refs


def _ref_title(rest: str) -> str | None:
    """A title given after the reference: quoted, "entitled X", or ", X" at the sentence end."""
    if quoted := _QUOTED_TITLE.search(rest):
        return quoted.group("title").strip()
    if entitled := _ENTITLED.search(rest):
        return entitled.group("title").strip()
    tail = re.search(r",\s+(?P<title>[A-Z][^,]*(?:\s+[-–—:]\s+.*)?)$", rest.strip())
    if tail:
        return tail.group("title").strip().rstrip(".")
    return None


# ---------------------------------------------------------------------------
# Themes and pressures
# ---------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------


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
    return Extraction(
        document=document,
        speech_title=speech_title or document.title or event.title or document.name,
        speakers=speaker_facts,
        event=event,
        themes=tuple(find_themes(ctx, event.title)),
        pressures=tuple(find_concepts(ctx, lexicon.pressure_matcher, lexicon.pressures)),
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


def iter_phrases(*groups: Iterable[str]) -> Iterator[str]:
    """Flatten label groups, skipping blanks (used when building a Lexicon)."""
    for group in groups:
        yield from (g for g in group if g and g.strip())
