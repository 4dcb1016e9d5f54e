"""Sentences, and the phrase shapes every kind of fact reads: names, honorifics, labels, titles.

A write-up's blocks are split into sentences that keep their offsets (the evidence of every fact);
NAME and the organisation phrase are the regex pieces the speaker, event and reference patterns share.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nameparser import HumanName

from ..documents import Document
from .model import Evidence


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
_ABBREVIATIONS = re.compile(r"\b(?:(?i:Mr|Mrs|Ms|Dr|St|Prof|Rt|Hon)|Sr|Jr|No|vs|e\.g|i\.e|U\.S|U\.K)\.$")


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
        "Parliament", "Westminster", "London", "Edinburgh", "Scotland", "Wales", "England", "Europe",
        "Forum", "Expo", "Festival", "Symposium", "Workshop", "Webinar", "Assembly", "Showcase",
        "Annual", "Awards", "Lectures", "Series", "Podcast", "Episode", "Roundtable", "Hearing",
        "Statement", "Address", "Remarks", "Transcript", "Programme", "Agenda", "Networks", "Network",
        "County", "City", "Borough", "District", "Province", "Region", "Authority", "Answers", "Written",
    ]
)

# at most 16 words of at most 41 characters (the gazetteer's longest name has 10, its longest word 26)
_ORG_PHRASE = r"(?:[A-Z][\w&.’'-]{0,40})(?:\s+(?:of|for|and|the|&|on|[A-Z][\w&.’'-]{0,40})){0,15}"

_LABEL = re.compile(r"^(?P<label>[A-Z][\w ]{1,20}):\s+(?P<value>.+)$")

_ENTITLED = re.compile(r"\b(?:entitled|titled|called)\s+[‘“\"']?(?P<title>[A-Z][^.?!‘“\"’”]{3,160})")

POST_NOMINALS = (r"(?:MP|MSP|MS|AM|MLA|TD|MEP|MPP|MLC|MHA|MNA|MHK|OBE|CBE|MBE|GBE|KCB|KBE|DBE|GCB|CB|CMG"
                 r"|KCMG|CVO|LVO|KCVO|QC|KC|SC|FRS|FRSE|FREng|FRSA|FBA|FAcSS|DL|JP|AO|AC|PSM|MNZM|ONZM"
                 r"|CNZM|KNZM|DNZM|QSO|PC|PhD)")
_POST_NOMINALS = re.compile(rf"(?:\s+{POST_NOMINALS}){{1,8}}$")


# words shaped as abstract nouns or numbers are not names ("Customer Experience", "Border Management",
# "One Hundred Nineteenth Congress"); the few given names of that shape are kept
_NOUN_SHAPED = re.compile(
    r"[A-Z][a-z]+(?:tion|sion|ship|ness|ment|ology|ism|ics|ance|ence|ities|ings)"
    r"|(?:One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten|Hundred|Thousand|First|Second|Third|[A-Z][a-z]+teenth"
    r"|[A-Z][a-z]+tieth)"
)
_NAMES_OF_THAT_SHAPE = frozenset(["Baroness", "Clement", "Constance", "Florence", "Lawrence", "Laurence", "Terence",
                                  "Clarence", "Prudence", "Hortense", "Vance", "Spence", "Torrance"])


def clean_name(name: str) -> str | None:
    """A person's name without honorifics, or None when the words are not a person's name."""
    name = _POST_NOMINALS.sub("", _HONORIFIC.sub("", name.strip()))
    words = name.split()
    # "May" opens a date ("May Jane Roe spoke" is "in May") but ends a name (Theresa May); "Updated
    # October" is no one
    if len(words) < 2 or any(w in _NOT_NAME_WORDS and not (w == "May" and n == len(words) - 1 > 0)
                             for n, w in enumerate(words)):
        return None
    if any(_NOUN_SHAPED.fullmatch(w) and w not in _NAMES_OF_THAT_SHAPE for w in words):
        return None
    return name


# a peer is named by the title the text uses ("Lord Harrowgate"), so these titles stay with the name
_PEERAGE = frozenset(["lord", "baroness", "lady", "viscount", "viscountess", "earl", "countess"])
# honorifics and post-nominals as a byline stacks them: "The Rt Hon Dame X MP", "Professor Sir X FRS"
HONORIFICS = (r"(?:(?:[Tt]he\s+)?(?:Rt\.?\s+|Right\s+)?(?:Hon\.?|Honourable)|Sir|Dame|Dr\.?|Professor|Prof\.?"
              r"|Mr\.?|Mrs\.?|Ms\.?|Lord|Baroness|Lady)")
PERSON = rf"(?:{HONORIFICS}\s+){{0,3}}{NAME}(?:\s+{POST_NOMINALS}\b){{0,4}}"


# a peerage's territorial designation: "Baroness Roe of Ardmore" is named "Baroness Roe"
_TERRITORY = re.compile(
    r"\b(?P<peer>(?:Lord|Baroness|Lady|Viscount|Viscountess|Earl|Countess)\s+[A-Z][\w'’-]{1,30})"
    r"\s+of\s+[A-Z][\w'’-]{1,30}(?:\s+[A-Z][\w'’-]{1,30}){0,2}$"
)
_SMALL_WORDS = frozenset(["of", "for", "and", "the", "at", "on", "in"])
_POST_NOMINAL_WORD = re.compile(rf"^{POST_NOMINALS}$")


def uncapped(text: str) -> str:
    """An all-capitals label or heading in the case a name is written: "THE HON JANE ROE MP"; a line in
    mixed case is left as it is ("Chief Executive, NHS England")."""
    if any(c.islower() for c in text.replace("PhD", "")):
        return text
    words = []
    for number, word in enumerate(text.split()):
        if _POST_NOMINAL_WORD.match(word) or not word.isupper():
            words.append(word)
        elif number and word.lower() in _SMALL_WORDS:
            words.append(word.lower())
        else:
            words.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(words)


# the office a name is written after ("Digital Minister Jane Roe", "Cllr Jane Roe"), which nameparser
# does not always know as a title
TITLE_WORDS = frozenset(
    [
        "minister", "secretary", "commissioner", "administrator", "president", "premier", "mayor", "councillor",
        "cllr", "senator", "governor", "chancellor", "ambassador", "director", "chief", "deputy", "judge",
        "justice", "leader", "chair", "chairman", "chairwoman", "representative", "congressman",
        "congresswoman", "treasurer", "registrar", "speaker", "officer",
    ]
)
_LEADING_TITLE = re.compile(r"^(?:[A-Z][\w-]*\s+(?:(?:of|for|and|the)\s+)*)*?(?i:" + "|".join(sorted(TITLE_WORDS))
                            + r")\s+(?=[A-Z])")


def titled_person(run: str) -> tuple[str | None, str | None]:
    """(title, name) from capitalised words that may open with an office: "Digital Minister Jane Roe"."""
    words = run.split()
    if not any(w.lower() in TITLE_WORDS for w in words[:-2]):
        return None, person_name(run)
    # the office runs up to the name's two words: "Secretary of State Jane Roe"
    name = person_name(" ".join(words[-2:]))
    return (" ".join(words[:-2]), name) if name else (None, None)


@lru_cache(maxsize=4096)  # nameparser is the slow step, and a speaker's name recurs through a page
def person_name(text: str) -> str | None:
    """A speaker's name as annotated: titles and post-nominals dropped (nameparser), a peer's kept."""
    text = _TERRITORY.sub(r"\g<peer>", _POST_NOMINALS.sub("", text.strip().rstrip(".,;:")))
    text = _LEADING_TITLE.sub("", text)  # "Commissioner Anna Roe"
    parsed = HumanName(text)
    titles = parsed.title.split()
    if titles and titles[-1].lower() in _PEERAGE and parsed.last and not parsed.first:
        name = f"{titles[-1]} {parsed.last}"
        return name if clean_name(name) else None
    words = " ".join(w for w in (parsed.first, parsed.middle, parsed.last) if w)
    # nameparser reads some ordinary words as titles ("Social"); a title only counts if the rest is a name
    if titles and not any(w in _NOT_NAME_WORDS for w in text.split()):
        return clean_name(words)  # "Commissioner Vahtra" is a title and a surname, not a full name
    return clean_name(_HONORIFIC.sub("", text))


def _norm_name(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower().removeprefix("the ")


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
