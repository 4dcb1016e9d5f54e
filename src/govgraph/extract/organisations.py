"""Organisations named in the text: gazetteer mentions, generic departments, and the departments facts.

find_organisations fills the context's mentions, which the speaker, event and theme finders read;
departments_from turns the government ones into facts, each named in full where the text does.
A name never links across countries by a shared word: a name several countries' bodies share, and
a foreign body's abbreviation, link only where the document names that body's country.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .context import Mention, _Context
from .lexicon import OrganisationEntry
from .model import ConceptFact
from .text import Sentence, _norm_name

_HOME = "United Kingdom"
# How a document names a country (or the EU): the name, its demonym and common short forms.
_COUNTRY_WORDS = {
    "United States": r"United States|U\.S\.|(?<=the )US|US(?= [A-Z]?[a-z])|USA|America|American",
    "Canada": r"Canada|Canadian|Canadians",
    "Australia": r"Australia|Australian|Australians",
    "New Zealand": r"New Zealand|New Zealanders|Aotearoa|NZ",
    "European Union": r"European Union|EU|European Commission|Europe",
    "Estonia": r"Estonia|Estonian",
    "Ireland": r"(?<!Northern\s)Ireland|(?<!Northern\s)Irish(?!\s+Sea)|Dublin|Dáil|Oireachtas|Taoiseach|"
               r"Tánaiste|gov\.ie",
    "Northern Ireland": r"Northern Ireland|Northern Irish|Stormont",
}
_COUNTRY_NAMED = {country: re.compile(rf"(?<![\w#@-])(?:{words})(?![\w-])")
                  for country, words in _COUNTRY_WORDS.items()}
# Each of a country's words above holds one of these, so a document holding none skips its pattern.
_COUNTRY_CLUES = {
    "United States": ("United States", "U.S.", "US", "America"),
    "Canada": ("Canad",),
    "Australia": ("Australia",),
    "New Zealand": ("New Zealand", "Aotearoa", "NZ"),
    "European Union": ("EU", "Europe"),
    "Estonia": ("Estonia",),
    "Ireland": ("Ireland", "Irish", "Dublin", "Dáil", "Oireachtas", "Taoiseach", "Tánaiste", "gov.ie"),
    "Northern Ireland": ("Northern Ireland", "Northern Irish", "Stormont"),
}
# A state, province or nation named before a department makes it that place's department.
_PLACE = (
    r"Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|"
    r"Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|"
    r"Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|"
    r"New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|"
    r"Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont|Virginia|Washington|"
    r"West Virginia|Wisconsin|Wyoming|Ontario|Quebec|British Columbia|Alberta|Manitoba|"
    r"Saskatchewan|Nova Scotia|New Brunswick|New South Wales|Victoria|Queensland|Tasmania|"
    r"South Australia|Western Australia|Northern Territory|Scottish|Welsh|Irish|"
    r"U\.S\.|US|Federal|State|Provincial|"
    + "|".join(_COUNTRY_WORDS.values())
)
_PLACE_BEFORE = re.compile(rf"(?<![\w-])(?:{_PLACE})\s+$")
_GENERIC_DEPARTMENT = re.compile(
    rf"(?:\b(?:{_PLACE})\s+)?"
    r"\b(?:Department|Ministry|Dept\.?)\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]+"
    r"(?:(?:,\s+|\s+and\s+|\s+&\s+|\s+of\s+|\s+for\s+|\s+)[A-Z][\w'’-]+)*"
)
_POSSESSIVE = re.compile(r"['’]s(?![\w-])")
# A council named by its place ("Fife Council", "Bristol City Council", "City of York Council").
_COUNCIL = re.compile(
    r"\b(?:(?:The\s+)?(?P<place>(?:[A-Z][\w'’-]{1,40}\s+){1,3}?)"
    r"(?:(?:County|City|District|Borough|Metropolitan\s+Borough|Town|Parish|Regional)\s+)?"
    r"|(?:City|County|Borough|Royal\s+Borough)\s+of\s+"
    r"(?P<of>[A-Z][\w'’-]{1,40}(?:\s+(?:and|upon|on)\s+[A-Z][\w'’-]{1,40}){0,2})\s+)Council\b"
)
# Words that make "X Council" an advisory, research or industry body rather than a local authority.
_NOT_A_PLACE = re.compile(
    r"(?:European|British|Canadian|Australian|American|Welsh|National|Privy|Security|Research|"
    r"Arts|Advisory|Design|Executive|Legislative|Governing|Student|Medical|Trade|Business|Health|"
    r"Care|Digital|Data|Science|Sports|Local|Borough|County|City|District|Town|Parish|Regional|"
    r"Each|Every|Your|My|That|Its|Federal|State|"
    r"[\w'’-]*(?:al|ive|ing|ship|ment|ory|ic|ity|ion|ish|ese|ure))"
)
# Sentence words that can stand before a place's name without being part of it.
_LEADING_WORD = re.compile(
    r"(?:A|An|And|As|At|But|By|For|From|In|Of|On|Our|So|The|Their|This|To|When|While|With|"
    r"Also|However|Meanwhile|Now|Then|Today|Yesterday|Recently|Last|Next)"
)
# An NHS body named by its place or as a trust ("NHS Fife", "Leeds Teaching Hospitals NHS Trust").
_NHS_BODY = re.compile(
    r"\b(?:[A-Z][\w'’-]{1,40}\s+){1,5}?NHS\s+(?:Foundation\s+)?Trust\b"
    r"|\bNHS\s+(?:Greater\s+)?[A-Z][a-z]{2,40}(?:\s+and\s+[A-Z][a-z]{2,40})?\b"
)
# Regional bodies named by their place: "Greater Manchester Combined Authority", "Hywel Dda University
# Health Board", "NHS Kent and Medway Integrated Care Board"
_REGIONAL_BODY = re.compile(
    r"\b(?P<place>(?:[A-Z][\w'’-]{1,40}\s+(?:and\s+)?){1,4}?)(?P<kind>Combined\s+Authority"
    r"|(?:University\s+|Teaching\s+)?Health\s+Board|Integrated\s+Care\s+Board)\b"
)
_NOT_NHS_PLACE = re.compile(
    r"(?:Trust|Foundation|Board|Chief|Director|Executive|Digital|England|Scotland|Wales|App|"
    r"Login|Number|Service|Services|Website|Choices|Direct|Confederation|Providers|Employers|"
    r"Long|Constitution|Pension|Pensions|Property|Shared|Business|Blood|Supply|Test|National|"
    r"[\w'’-]*(?:ment|tion|sion|ing|ity|ure|ance|ence|ics|ogy|ship|ware|ed))"
)
# Words after a gazetteer name that carry it on into another body's name ("the Treasury Board").
_NAME_GOES_ON = re.compile(
    r"\s+(?:Board|Secretariat|Agency|Commission|Council|Directorate|Bureau|Authority|Ministry|"
    r"Department|Canada|Australia|New\s+Zealand)\b"
)


def _in_tag(text: str, start: int) -> bool:
    """Words inside a #hashtag or an @handle name an account or a topic, not an organisation."""
    return start > 0 and text[start - 1] in "#@"


def _other_place_before(text: str, start: int, entry: OrganisationEntry) -> bool:
    """A state or nation just before a name makes it another place's body ("Ohio Department of Health")."""
    place = _PLACE_BEFORE.search(text, max(0, start - 30), start)
    own = _COUNTRY_NAMED.get(entry.country)
    return place is not None and not (own and own.fullmatch(place.group(0).rstrip()))


def _countries_named(ctx: _Context) -> set[str]:
    """The countries (and the EU) the document names in words."""
    text = ctx.document.text
    return {country for country, pattern in _COUNTRY_NAMED.items()
            if any(clue in text for clue in _COUNTRY_CLUES[country]) and pattern.search(text)}


def _gazetteer_matches(ctx: _Context, sentence: Sentence
                       ) -> list[tuple[int, int, str, OrganisationEntry, bool]]:
    """Gazetteer names in a sentence, longest at each place: (start, end, words, entry, is abbreviation)."""
    scanner, names = ctx.lexicon.organisation_scanner
    text, found, pos = sentence.text, [], 0
    while match := scanner.search(text, pos):
        start, end = match.span()
        words = match.group(0)
        if words.startswith("the ") and (inner := scanner.match(text, start + 4)) and inner.end() > end:
            start, end, words = inner.start(), inner.end(), inner.group(0)
        entry, is_abbr = names[words]
        if _in_tag(text, start) or (not is_abbr and (_NAME_GOES_ON.match(text, end)
                                                     or _other_place_before(text, start, entry))):
            pos = start + 1
            continue
        found.append((start, end, words, entry, is_abbr))
        pos = end
    return found


LOCAL_AUTHORITY, PUBLIC_BODY = "local-authority", "public-body"  # keys of the organisation-type scheme


def _place_body_matches(text: str) -> list[tuple[int, int, str, str]]:
    """Councils and NHS bodies named by their place, which no gazetteer can list in full, with their kind."""
    found: list[tuple[int, int, str, str]] = []
    # each pattern needs its word ("Council", "NHS"): a sentence without it skips the scan
    for match in _COUNCIL.finditer(text) if "Council" in text else ():
        start, words = match.start(), (match.group("place") or "").split()
        while len(words) > 1 and _LEADING_WORD.fullmatch(words[0]):
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if match.group("of") or not any(_NOT_A_PLACE.fullmatch(w) or _LEADING_WORD.fullmatch(w)
                                        for w in words):
            found.append((start, match.end(), text[start:match.end()], LOCAL_AUTHORITY))
    for match in _REGIONAL_BODY.finditer(text) if ("Authority" in text or "Board" in text) else ():
        start, words = match.start(), match.group("place").split()
        while len(words) > 1 and _LEADING_WORD.fullmatch(words[0]):
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if not _LEADING_WORD.fullmatch(words[0]) and not any(_NOT_A_PLACE.fullmatch(w) for w in words):
            kind = LOCAL_AUTHORITY if match.group("kind").startswith("Combined") else PUBLIC_BODY
            found.append((start, match.end(), text[start:match.end()], kind))
    for match in _NHS_BODY.finditer(text) if "NHS" in text else ():
        words = match.group(0).split()
        place = words[1] if words[0] == "NHS" else words[0]
        if not _NOT_NHS_PLACE.fullmatch(place):
            found.append((*match.span(), match.group(0), PUBLIC_BODY))
    return found


def _linked_entry(words: str, entry: OrganisationEntry, is_abbr: bool, ctx: _Context,
                  countries: set[str]) -> OrganisationEntry | None:
    """The body a name stands for in this document, or None where its country is not in view."""
    homonyms = ctx.lexicon.organisation_homonyms.get(words)
    if homonyms:
        named = [e for e in homonyms if e.country in countries]
        if len(named) == 1:
            return named[0]
        home = [e for e in homonyms if e.country == _HOME]
        return home[0] if len(home) == 1 and not named else None
    if is_abbr and entry.country not in ("", _HOME) and entry.country not in countries:
        return None
    return entry


def _inside_place_body(start: int, end: int, places: list[tuple[int, int, str, str]],
                       starts: list[int]) -> bool:
    """Whether a gazetteer name is only a part of a longer council or NHS body's name ("NHS Fife")."""
    before = bisect_right(starts, start) - 1
    return before >= 0 and places[before][1] >= end and places[before][1] - places[before][0] > end - start


def _generic_departments(text: str) -> list[tuple[int, int, str, str | None]]:
    """Departments and ministries not in the gazetteer, named up to a possessive ("X's Y")."""
    found: list[tuple[int, int, str, str | None]] = []
    for match in _GENERIC_DEPARTMENT.finditer(text):
        name = _POSSESSIVE.split(match.group(0), maxsplit=1)[0]
        found.append((match.start(), match.start() + len(name), name, None))
    return found


def find_organisations(ctx: _Context) -> dict[str, list[Mention]]:
    """Organisations named in the text, by gazetteer key (or "~name" when not listed) -> their mentions."""
    mentions: dict[str, list[Mention]] = {}
    homonyms = ctx.lexicon.organisation_homonyms
    matches = [(sentence, _gazetteer_matches(ctx, sentence)) for sentence in ctx.sentences]
    countries = _countries_named(ctx) | {
        entry.country for _, found in matches for _, _, words, entry, is_abbr in found
        if not is_abbr and words not in homonyms
    }
    for sentence, found in matches:
        places = sorted(_place_body_matches(sentence.text))
        starts = [place[0] for place in places]
        taken: list[tuple[int, int]] = []  # in order and apart, as the scan gives them
        for start, end, words, entry, is_abbr in found:
            linked = _linked_entry(words, entry, is_abbr, ctx, countries)
            if (linked is None and is_abbr) or _inside_place_body(start, end, places, starts):
                continue
            taken.append((start, end))
            text = re.sub(r"^the\s+", "", words)
            key = linked.key if linked else f"~{_norm_name(text)}"
            mentions.setdefault(key, []).append((text, is_abbr, sentence, None))
        ends = [end for _, end in taken]
        for start, end, text, kind in _generic_departments(sentence.text) + places:
            after = bisect_right(ends, start)  # the first gazetteer name ending after this one starts
            if (after < len(taken) and taken[after][0] < end) or _in_tag(sentence.text, start):
                continue
            mentions.setdefault(f"~{_norm_name(text)}", []).append((text, False, sentence, kind))
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
        text, _, sentence, kind = max(full, key=lambda m: len(m[0])) if full else mentions[0]
        others = dict.fromkeys(m[2].evidence for m in mentions if m[2] is not sentence)
        facts.append(ConceptFact(key if entry else "", text, sentence.evidence, tuple(others), kind))
    return facts
