"""The event a speech was given at (title, date, host, format), and the speech's own title.

Labelled fields ("Date: ...", "Hosted by: ...") win; then headings naming the speaker, the
sentences that tell of the event, and the document's metadata.
"""

from __future__ import annotations

import re
from collections import Counter

from .context import _Context
from .model import EventFact, Evidence
from .speakers import (
    _HEADING_AT,
    _HEADING_ON,
    _HEADING_SPEAKER,
    _NAVIGATION,
    _SPEECH_NOUN,
    STRONG_VERBS,
    _Speaker,
)
from .text import (
    _ENTITLED,
    _HONORIFIC,
    _LABEL,
    _NOT_NAME_WORDS,
    _ORG_PHRASE,
    Sentence,
    _norm_name,
    _without_trailing_paren,
)

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"],
    start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November"
          r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
          r"|JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\.?")
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


_EVENT_LABELS = {"event", "conference", "event name", "event title", "occasion"}
_HOST_LABELS = {"organised by", "organized by", "hosted by", "host", "organiser", "organizer",
                "presented by", "run by", "produced by", "convened by", "organising body", "host organisation"}
_FORMAT_LABELS = {"format", "attendance", "event type", "type"}
_LOCATION_LABELS = {"location", "venue", "where", "place"}
_DATE_LABELS = {"date", "when", "held on", "delivered", "delivered on", "date delivered", "event date",
                "speech date", "held", "took place", "recorded", "recorded on", "given on", "date of event",
                "date of speech", "date of hearing", "hearing date", "meeting date"}
_LABEL_NAMES = _EVENT_LABELS | _HOST_LABELS | _FORMAT_LABELS | _LOCATION_LABELS | _DATE_LABELS
# a page's own dates, not the event's: "Published 28 June", "Posted on:", "Date modified:", "Last updated"
_PUBLISHED = re.compile(r"\b(?:published|posted|updated|modified|reviewed|issued|last edited)\b", re.I)
_YEAR_ONLY = re.compile(r"(?:\bin\s+|,\s+)((?:19|20)\d\d)\b(?!\s*[-–/]\s*\d)")
_PAGE_DATE_KEYS = ("published", "date", "dcterms.issued", "article:published_time")
_YEARLESS = (
    re.compile(rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mn>{_MONTH})(?![\w.]|,?\s+\d)"),
    re.compile(rf"\b(?P<mn>{_MONTH})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\s+\d)"),
)
_SPEECH_SUFFIX = re.compile(
    r"\s+(?:[-–—:]\s+)?(?:(?:opening|closing|keynote|plenary|main|annual)\s+){0,6}"
    r"(?:speech|address|keynote|talk|lecture|remarks|presentation)$", re.I)
_EVENT_NOUN = (r"(?:Conference|Summit|Festival|Forum|Expo|Week|Live|Lecture|Showcase|Convention|"
               r"Sprint \d+|Camp \w+|Day|Symposium|Congress)")
# the event noun that begins a building's or a body's name: "the Titanic Conference Centre", "the X Forum of Y"
_NOT_A_VENUE = r"(?!\s+(?:Centre|Center|Hall|Room|Suite|Venue|Building|Complex|Park|of|for)\b)"
_EVENT_IN_TEXT = re.compile(
    r"\b(?:(?i:at|closed|opened|addressed|attended)\s+(?:the\s+)?|to\s+the\s+|(?:session|day|edition)\s+of\s+"
    rf"(?:the\s+)?)(?:annual\s+)?(?P<event>(?:[A-Z0-9][\w&’'-]{{0,40}}\s+){{0,6}}?{_EVENT_NOUN}(?:\s+(?:19|20)\d\d)?)\b"
    rf"{_NOT_A_VENUE}"
)
_EVENT_CONFERENCE = re.compile(
    r"\bat\s+the\s+(?P<event>(?:[A-Z0-9][\w&’'-]*\s+)(?:(?:for|of|and|on|in|the)\s+|[A-Z0-9][\w&’'-]*\s+){0,8}?)"
    r"(?:conference|summit|event|festival|forum|expo)\b"
)
# "at the LGA's Digital Councils Conference", "at X's annual Summit", "at X's 'Y' conference": host and event
_EVENT_OF_HOST = re.compile(
    rf"\b(?:[Aa]t|[Tt]o|[Oo]f)\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})['’]s\s+"
    r"(?:(?:annual|yearly|flagship|first|(?:19|20)\d\d)\s+){0,2}"
    r"(?:[‘'“\"](?P<quoted>[^’'”\"]{3,80})[’'”\"]\s+(?i:conference|summit|forum|festival|event|lecture|showcase)"
    rf"|(?P<event>(?:[A-Z0-9][\w&-]{{0,40}}\s+){{0,6}}?{_EVENT_NOUN}(?:\s+(?:19|20)\d\d)?))\b{_NOT_A_VENUE}"
)
# a heading naming the kind of session before its subject: "Oral evidence: ...", "Panel discussion: ..."
_SESSION_HEADING = re.compile(
    r"^(?P<title>(?:Oral evidence|Evidence session|Panel(?: discussion)?|Roundtable|Webinar|Seminar|Workshop|"
    r"Fireside chat|Debate):\s+[^,]{3,160})(?:,\s+[A-Z]{1,4}\s+\d{1,5})?$"
)
_BARE_EVENT = re.compile(rf"^(?:{_EVENT_NOUN})(?:\s+(?:19|20)\d\d)?$", re.I)
_HOST_TEXT = re.compile(
    rf"\b(?:(?:hosted|organised|organized|convened|run|held|presented|produced|put\s+on)\s+by"
    rf"|(?:podcast|series|programme|show|webinar\s+series)\s+(?:from|by))\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})"
)
_HOST_SERIES = re.compile(
    rf"\bin\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})['’]s\s+(?:[A-Z][\w-]*\s+){{0,6}}(?:series|lectures?|seminars?)\b"
)
# "thank you to X for inviting me", "thank everyone at X for organising today", "thank X for hosting"
_HOST_THANKED = re.compile(
    r"\b[Tt]hank(?:s|\s+you)?\s+(?:to\s+)?(?:(?:everyone|all|colleagues|the team|my hosts)\s+(?:at|from)\s+)?"
    rf"(?:the\s+)?(?P<org>{_ORG_PHRASE})\s+for\s+(?:inviting|hosting|having|organising|organizing|bringing|"
    r"convening|putting on|arranging|welcoming)\b"
)
# "The Institute for Government hosted the event", "X organised this year's summit"
_HOST_ACTIVE = re.compile(
    rf"\b(?:The\s+)?(?P<org>{_ORG_PHRASE})(?:,?\s+(?:which|who))?\s+(?:hosted|organised|organized|convened|held|ran"
    r"|put on)\s+"
    r"(?:its|their|the|a|an|this)\s+(?:[\w’'-]{1,30}\s+){0,3}?(?i:conference|summit|event|forum|festival|seminar"
    r"|lecture|webinar|panel|roundtable|workshop|session|showcase|meeting)s?\b"
)
_ACTIVE_VERB = re.compile(r"\b(?:hosted|organi[sz]ed|convened|held|ran|put on)\b")
# "it is good to be here at the Institute for Government": where the speaker stands
_HOST_HERE = re.compile(rf"\bhere\s+at\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})")
# an event held on a body's premises or named as its own: "held in the Institute's conference room",
# "the Government Digital Service's week of talks"
_HOST_PREMISES = re.compile(rf"\b(?:held|here|hosted)\s+(?:in|at)\s+(?:the\s+)?(?P<org>{_ORG_PHRASE})['’]s\s")
_HOST_OWN_EVENT = re.compile(
    rf"\b(?P<org>{_ORG_PHRASE})(?:['’]s|(?<=s)['’])\s+(?:(?:annual|yearly|flagship|own|first|biggest|(?:19|20)\d\d)\s+){{0,2}}"
    r"(?:[\w-]+\s+){0,2}?(?i:conference|summit|week|festival|forum|showcase|lecture series|event|meetup|get-together"
    r"|gathering|symposium|convention)\b"
    r"(?!\s+(?:room|hall|centre|call)\b)"
)
_BODY_NOUN = (r"(?:consultancy|company|charity|agency|organi[sz]ation|nonprofit|non-profit|firm|network"
              r"|studio|think tank|association|society|body|institute|foundation)\b")
_POSSESSIVE_PATTERNS = (_HOST_SERIES, _HOST_PREMISES, _HOST_OWN_EVENT)
# the last word of a body that names its event after itself ("the X Network Annual Conference")
_HOST_HEAD = re.compile(
    r"\s(?:Network|Association|Institute|Foundation|Society|Council|Alliance|Federation|Union|Trust|Agency|"
    r"Department|Ministry|Office|Commission|Authority|Committee|Board|Academy|Institution)$"
)
_EVENT_TAIL = re.compile(
    rf"(?:\s+(?:annual|yearly|national|international)){{0,3}}\s+{_EVENT_NOUN}(?:\s+(?:19|20)\d\d)?$", re.I)
_NOT_HOST = re.compile(r"\b(?:media partner|sponsor|sponsored|in association with|partner)\b", re.I)
_HYBRID = re.compile(r"\bhybrid\b|\bin[- ]person and online\b|\bonline and in[- ]person\b", re.I)
_ONLINE = re.compile(
    r"\bonline (?:event|conference|seminar|session|only|conversation|meetup)\b|\bwebinars?\b|"
    r"\bvirtual (?:event|conference|session|meeting|summit|forum)\b|"
    r"\b(?:held|took place|delivered|hosted|met) (?:online|virtually)\b|^online$|"
    r"\b(?:via|on|over) (?:zoom|teams|video ?link)\b|\brecorded remotely\b",
    re.I,
)
_RATHER_THAN = re.compile(r"\b(?:rather than|instead of|not) (?:an? )?[\w-]{1,20}(?: \w{1,20})?", re.I)
_ONLY_ONLINE = re.compile(r"^(?:online|virtual|zoom|(?:microsoft )?teams|livestream|webinar)\b[^,]{0,40}$",
                          re.I)
# a room that also had a remote audience: "streamed live", "watching online", "joined us online"
_STREAMED = re.compile(
    r"\b(?:live)?stream(?:ed|ing)?\b|\bwatching (?:online|from)\b|\bonline (?:viewers|audience|attendees)\b|"
    r"\btuning in\b|\bjoin(?:ed|ing)? (?:us )?(?:online|remotely)\b",
    re.I,
)
# an audience in a place: "in this hall", "around 300 people came to Wellington", "at the Perth Concert Hall"
_IN_PERSON = re.compile(
    r"(?i:\bin[- ]person\b|\blive audience\b|\bmembers present\b|\bin attendance\b|\bfrom the floor\b|"
    r"\b(?:the|this|a|our) (?:full |packed )?(?:room|hall|auditorium|venue|theatre|chamber|lecture theatre)\b"
    r"|\bdelegates\b|\bpacked into\b|\b\d{2,5} (?:guests|people|attendees|participants)\b"
    r"|\bin (?:our|their|its) (?:[A-Z][a-z]+ )?offices\b)|"
    r"\b(?:Committee )?Room \d{1,4}\b|\b(?:in|at),? (?:the )?(?:[A-Z][\w’'-]{0,30}\s+){1,4}(?:Building|Buildings)\b|"
    r"\b(?:came|come|coming|back|travelled|gathered) (?:to|in) (?!the\b)[A-Z][a-z]+|"
    r"\b\d{1,4} (?:[A-Z][a-z]+ ){1,3}(?:Street|Road|Row|Square|Lane|Place|Avenue|Terrace|Gardens|Way)\b|"
    r"\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b|"
    r"\bat (?:the )?(?:[A-Z][\w’'-]*\s+){1,4}(?:Hall|Centre|Center|Theatre|Hotel|Arena|Wharf|Pavilion)\b|"
    r"\b(?:[Cc]onference|Summit|Forum|Festival|Expo|Showcase|[Ss]ummit|[Ff]orum)(?:\s+(?:19|20)\d\d)?\s+in\s+"
    r"(?!the\b)[A-Z][a-z]+"
)



def find_event(ctx: _Context, speakers: list[_Speaker], references: set[int]) -> tuple[EventFact, str | None]:
    """The event the speech was given at, and the speech's own title when the text gives one."""
    labels = _labelled_fields(ctx)
    heading, evidence, named_host = _event_title(ctx, labels, speakers, references)
    title = _event_name(heading) if heading else None
    date, date_sentence = _event_date(ctx, labels, references, title)
    host, host_key, host_sentence = _event_host(ctx, labels, speakers, title, named_host, references)
    fmt = _event_format(ctx, labels)
    if evidence is None and (told := host_sentence or date_sentence):
        evidence = told.evidence  # an untitled event is still told of by the sentence naming its host or date
    # a heading the event's name was cut from ("Sprint 13: Jane Roe on X") is the speech's own title
    own_title = _speech_title(ctx, references) or (heading if heading != title else None)
    return EventFact(title, date, host, host_key, fmt, evidence), own_title


def _labelled_fields(ctx: _Context) -> dict[str, tuple[str, Sentence]]:
    """"Label: value" lines, a label line over its value (an HTML <dl>), then front matter keys."""
    fields: dict[str, tuple[str, Sentence]] = {}
    sentences = ctx.sentences
    for i, sentence in enumerate(sentences):
        if not sentence.is_heading:
            continue
        if match := _LABEL.match(sentence.text):
            fields.setdefault(match.group("label").lower(), (match.group("value").strip(), sentence))
        elif (i + 1 < len(sentences) and sentences[i + 1].is_heading
              and (name := sentence.text.rstrip(": ").lower()) in _LABEL_NAMES):
            fields.setdefault(name, (sentences[i + 1].text, sentences[i + 1]))
    first = sentences[0] if sentences else None
    for key, value in ctx.document.metadata.items():
        name = key.replace("_", " ").replace("-", " ").lower()
        # an HTML page's <time> is when it was published; front matter's date is the speech's
        if first and name in _LABEL_NAMES and (name != "date" or ctx.document.media_type == "text/markdown"):
            fields.setdefault(name, (value, first))
    return fields


def _first_label(labels: dict[str, tuple[str, Sentence]], names: set[str]) -> tuple[str, Sentence] | None:
    return next((labels[n] for n in labels if n in names), None)


def _event_title(ctx: _Context, labels: dict[str, tuple[str, Sentence]], speakers: list[_Speaker],
                 references: set[int]) -> tuple[str | None, Evidence | None, str | None]:
    """The event's name, the sentence giving it, and the host its wording names ("X's annual Summit")."""
    if labelled := _first_label(labels, _EVENT_LABELS):
        return labelled[0].split(", ")[0].strip(), labelled[1].evidence, None
    names = {_norm_name(s.name) for s in speakers}
    headings = [s for s in ctx.sentences if s.is_heading and not _NAVIGATION.match(s.text)]
    for sentence in headings:
        if found := _event_named_in(ctx, sentence.text):
            return _with_year(ctx, found[0]), sentence.evidence, found[1]
        for pattern in (_HEADING_SPEAKER, _HEADING_ON):
            match = pattern.match(sentence.text)
            if match and _norm_name(_HONORIFIC.sub("", match.group("name"))) in names:
                return _strip_speech_suffix(match.group("title")), sentence.evidence, None
        match = _HEADING_AT.match(sentence.text)
        if match and _norm_name(_HONORIFIC.sub("", match.group("name"))) in names:
            return match.group("event").strip(), sentence.evidence, None
        if match := _SESSION_HEADING.match(sentence.text):
            return match.group("title").strip(), sentence.evidence, None
    for sentence in ctx.sentences:  # not a sentence recalling another talk: its event is another one
        if sentence.is_heading or sentence.start in references:
            continue
        if found := _event_named_in(ctx, sentence.text):
            return _with_year(ctx, found[0]), sentence.evidence, found[1]
    title = ctx.document.title
    if title and not _GENERIC_HEADING.match(title):  # a page called "Speakers" names no event
        heading = next((s for s in ctx.sentences if s.text == title), None)
        return _strip_speech_suffix(title), heading.evidence if heading else None, None
    return None, None, None


def _event_named_in(ctx: _Context, text: str) -> tuple[str, str | None] | None:
    """An event named in a sentence, with the body the name makes its own ("X's annual Summit" is X's)."""
    match = _EVENT_OF_HOST.search(text) if _has_possessive(text) else None
    if match and ctx.is_organisation(org := match.group("org")):
        if match.group("quoted"):
            return match.group("quoted").strip(), org
        event = match.group("event").strip()
        return (f"{org} {event}" if _BARE_EVENT.match(event) else event), org
    for pattern in (_EVENT_CONFERENCE, _EVENT_IN_TEXT):
        match = pattern.search(text)
        if match and not _BARE_EVENT.match(event := match.group("event").strip()):  # "at the Day" names none
            return event, None
    return None


def _has_possessive(text: str) -> bool:
    return "'s" in text or "’s" in text or "s' " in text or "s’ " in text  # "the Institute of Public Buyers' X"


def _with_year(ctx: _Context, title: str) -> str:
    """The event's name as its fullest mention gives it: "Services Week" is "Services Week 2017" elsewhere."""
    if re.search(r"\b(?:19|20)\d\d$", title):
        return title
    fuller = re.search(rf"{re.escape(title)}\s+((?:19|20)\d\d)\b", ctx.document.text)
    return f"{title} {fuller.group(1)}" if fuller else title


def _strip_speech_suffix(title: str) -> str:
    return _SPEECH_SUFFIX.sub("", title.strip()).strip(" -–—:")


def _event_name(title: str) -> str:
    """The event's name in a heading: without the kind of page before it ("Round-up: X"), the kind of talk
    after it ("X: a fireside chat"), the talk's own title or speaker after an event's name ("Summit 2025:
    day one agenda", "Sprint 26: Jane Roe"), or the talk before "at" ("ROLE's keynote at X")."""
    while (shorter := _PAGE_KIND.sub("", title)) != title:  # "Transcript: Episode 42 – X"
        title = shorter
    if at := _TALK_AT.match(title):
        return at.group("event").strip()
    if (parts := _SUBTITLE.match(title)) and (
        _TALK_KIND.fullmatch(parts.group("rest").strip()) or _EVENTISH.search(parts.group("event"))
    ):
        return parts.group("event").strip()
    return title


# the kind of page a heading opens with, before the event's name: "Round-up: ...", "Webinar transcript: ..."
_PAGE_KIND = re.compile(
    r"^(?i:round-?up|recap|write-?up|event report|report|webinar(?:\s+transcript)?|transcript|video|podcast|episode\s+\d+"
    r"|preview|agenda|programme|live blog|watch|listen)\s*[:–—|-]\s+"
)
_GENERIC_HEADING = re.compile(r"^(?i:speakers|agenda|programme|program|schedule|events?|speeches|news|transcripts?"
                              r"|home|about|overview)$")
_TALK_AT = re.compile(
    r"^(?:[\w'’ -]{0,60}\s)?(?i:keynote|speech|remarks|address|talk|lecture|presentation)\s+(?:at|to)\s+(?:the\s+)?"
    r"(?P<event>[A-Z0-9].{2,100})$"
)
_SUBTITLE = re.compile(r"^(?P<event>.{3,80}?)(?::\s+|\s+[–—|]\s+|\s+-\s+)(?P<rest>.+)$")
_TALK_KIND = re.compile(r"(?i:(?:an?\s+)?(?:fireside chat|panel(?: discussion)?|webinar|roundtable|keynote|lecture"
                        r"|talk|speech|discussion|conversation|q&a))")
_EVENTISH = re.compile(rf"\b{_EVENT_NOUN}\b|\b(?:19|20)\d\d\b|#\d+|\b(?i:meetup|lecture|hackathon|unconference)\b")


def _event_date(ctx: _Context, labels: dict[str, tuple[str, Sentence]], references: set[int],
                title: str | None) -> tuple[str | None, Sentence | None]:
    """The event's date, and the sentence that gives it (None when it came from metadata or the title).

    A page's publication and update dates are set aside (they only lend a year to "on 4 October").
    """
    if labelled := _first_label(labels, _DATE_LABELS):
        parsed = parse_date(labelled[0])
        if parsed:
            return parsed[0], labelled[1]
    candidates: list[tuple[int, int, int, str, Sentence]] = []
    published: str | None = None
    previous: Sentence | None = None
    for sentence in ctx.sentences:
        before, previous = previous, sentence
        if sentence.start in references:
            continue
        parsed = parse_date(sentence.text)
        if not parsed:
            continue
        iso, precision = parsed
        if _is_page_date(sentence, before):
            published = published or iso
            continue
        place = 0 if sentence.is_heading else 1 if _about_the_event(sentence.text) else 2
        if place == 2 and precision != "day":
            continue
        candidates.append((place if place < 2 else 2, -_PRECISION[precision], sentence.start, iso, sentence))
    near = [c for c in candidates if c[0] < 2]
    if near:
        return min(near, key=lambda c: (c[1], c[0], c[2]))[3:]
    meta = ctx.document.metadata
    published = published or next((m for k in _PAGE_DATE_KEYS if (m := meta.get(k))), None)
    if published and (yearless := _yearless_date(ctx, references, published)):
        return yearless
    if meta.get("date") and (parsed := parse_date(meta["date"])):
        return parsed[0], None
    if candidates:
        return min(candidates, key=lambda c: (c[1], c[2]))[3:]
    if title and (year := re.search(r"\b((?:19|20)\d\d)\b", title)):
        return _yearless_date(ctx, references, year.group(1)) or (year.group(1), None)
    for sentence in ctx.sentences:  # "IP Expo keynote, London, 2014", "spoke at the show in 2014"
        if sentence.start not in references and (sentence.is_heading or _about_the_event(sentence.text)) and (
                year := _YEAR_ONLY.search(sentence.text)) and not _is_page_date(sentence, None):
            return year.group(1), sentence
    return None, None


def _is_page_date(sentence: Sentence, before: Sentence | None) -> bool:
    """When the page went up or changed: "Published 2 May", a date under "Date modified:" or a byline."""
    if _PUBLISHED.search(sentence.text if sentence.is_heading else sentence.text[:30]):
        return True
    if not (sentence.is_heading and before is not None and before.is_heading and len(sentence.text) < 30):
        return False
    return before.text.startswith("By ") or (len(before.text) < 30 and bool(_PUBLISHED.search(before.text)))


def _yearless_date(ctx: _Context, references: set[int], published: str) -> tuple[str, Sentence] | None:
    """"On 15 March", told of the event, in the year of the page's date (the year before if later)."""
    year_only = re.fullmatch(r"(?:19|20)\d\d", published)
    parsed = parse_date(published) or ((published, "year") if year_only else None)
    if not parsed:
        return None
    year = int(parsed[0][:4])
    for sentence in ctx.sentences:
        if sentence.start in references or not _about_the_event(sentence.text):
            continue
        for pattern in _YEARLESS:
            if match := pattern.search(sentence.text):
                month = MONTHS[match.group("mn").lower().rstrip(".")]
                iso = f"{year:04d}-{month:02d}-{int(match.group('d')):02d}"
                if iso[:len(parsed[0])] > parsed[0]:
                    iso = f"{year - 1:04d}{iso[4:]}"
                if (checked := parse_date(iso)) and checked[1] == "day":
                    return checked[0], sentence
    return None


_EVENT_CUE = re.compile(
    rf"\b{STRONG_VERBS}\b|\b{_SPEECH_NOUN}\b|\b(?:event|conference|summit|forum|breakout|panel|workshop|webinar"
    r"|showcase|speaking|hearing|meeting|roundtable|fireside|chat|debate|symposium|lecture|meetup|episode"
    r"|hosted|held|convened|testified|appeared)\b", re.I)


def _about_the_event(text: str) -> bool:
    return bool(_EVENT_CUE.search(text))


def _event_host(ctx: _Context, labels: dict[str, tuple[str, Sentence]], speakers: list[_Speaker],
                title: str | None, named_host: str | None,
                references: set[int]) -> tuple[str | None, str | None, Sentence | None]:
    """The host's name and gazetteer key, and the sentence that names it (not one recalling another talk)."""
    if labelled := _first_label(labels, _HOST_LABELS):
        return *_host_name(ctx, labelled[0]), labelled[1]
    if found := _host_in_text(ctx, references, (_HOST_TEXT, _HOST_SERIES, _HOST_ACTIVE), (_HOST_THANKED,)):
        return found
    if named_host:
        return *_host_name(ctx, named_host), None
    if found := _host_in_text(ctx, references, (_HOST_PREMISES, _HOST_OWN_EVENT), (_HOST_HERE,)):
        return found
    if title and (prefix := _EVENT_TAIL.sub("", title)) != title and _HOST_HEAD.search(prefix):
        return *_host_name(ctx, prefix), None
    if title and _SESSION_HEADING.match(title) and (committee := _committee(ctx)):
        return *_host_name(ctx, committee.text), committee
    if title and (brand := _brand_owner(ctx, title)):
        return *_host_name(ctx, brand), None
    return _gazetteer_host(ctx, speakers)


def _host_in_text(ctx: _Context, references: set[int], *groups: tuple[re.Pattern[str], ...]
                  ) -> tuple[str | None, str | None, Sentence] | None:
    """The body a group of patterns names as host: the stronger group anywhere beats the weaker."""
    for group in groups:
        for sentence in ctx.sentences:
            if sentence.start in references or _NOT_HOST.search(sentence.text):
                continue
            for pattern in group:
                if (pattern in _POSSESSIVE_PATTERNS and not _has_possessive(sentence.text)) or (
                        pattern is _HOST_ACTIVE and not _ACTIVE_VERB.search(sentence.text)):
                    continue  # each tries an organisation phrase from every capital: only where one can end
                match = pattern.search(sentence.text)
                if match and ctx.is_organisation(match.group("org")) and (  # "a system run by X" is no host
                    not match.group(0).startswith(("run", "held")) or _about_the_event(sentence.text)
                ):
                    org = re.sub(r"^[Tt]he\s+", "", match.group("org"))  # a sentence's first word is no name's
                    return *_host_name(ctx, _full_form(ctx, org)), sentence
    return None


def _brand_owner(ctx: _Context, title: str) -> str | None:
    """The body an event is named after: "Acme Live" is run by the "Acme Digital" the text calls a company."""
    brand = title.split()[0]
    if brand in _NOT_NAME_WORDS or not re.fullmatch(r"[A-Z][a-z]{3,30}", brand):
        return None
    owners = Counter(o for o in re.findall(rf"\b{brand}(?: [A-Z][\w&’'-]{{0,40}}){{1,3}}", ctx.document.text)
                     if not title.startswith(o))
    best = max(owners, key=lambda o: owners[o], default=None)
    if best is None or not (ctx.is_organisation(best) or re.search(
            rf"{re.escape(best)} is an? [\w ]{{0,60}}?{_BODY_NOUN}", ctx.document.text)):
        return None
    entry = ctx.lexicon.organisation_by_name.get(_norm_name(best))
    return None if entry and entry.is_government else best


def _full_form(ctx: _Context, name: str) -> str:
    """A short form's full name from the text: "the Institute" is the "Institute for Public Futures" named."""
    if " " in name.strip():
        return name
    connector = r"(?:of|for|and|the|on|&)"
    word = r"[A-Z][\w&’'-]{0,40}"
    fuller = re.search(rf"\b{re.escape(name)}(?:\s+{connector}\s+{word}|\s+{word}){{1,6}}", ctx.document.text)
    return fuller.group(0) if fuller and ctx.is_organisation(fuller.group(0)) else name


def _committee(ctx: _Context) -> Sentence | None:
    """The committee a heading names, which takes the evidence a session records."""
    return next((s for s in ctx.sentences if s.is_heading and s.text.endswith(" Committee")
                 and re.fullmatch(_ORG_PHRASE, s.text)), None)


def _gazetteer_host(ctx: _Context,
                    speakers: list[_Speaker]) -> tuple[str | None, str | None, Sentence | None]:
    """A non-government body from the gazetteer named in the text and not a speaker's own."""
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
    if entry is None:
        return re.sub(r"^the\s+", "", name), None
    if name in entry.abbreviations:  # "the LGA" is written out as the text or the gazetteer gives it in full
        return ctx.full_names.get(entry.key, entry.label), entry.key
    return re.sub(r"^the\s+", "", name), entry.key


def _event_format(ctx: _Context, labels: dict[str, tuple[str, Sentence]]) -> str | None:
    """In-person, online or hybrid: a format label, else the location and the text's cues weighed."""
    if (labelled := _first_label(labels, _FORMAT_LABELS)) and (told := _format_of(labelled[0])):
        return told
    for sentence in ctx.sentences:  # a heading that is only the format: "Online event", "In-person event"
        if sentence.is_heading and len(sentence.text) < 30 and (told := _format_of(sentence.text)):
            return told
    texts = [_RATHER_THAN.sub("", s.text) for s in ctx.sentences]
    if location := _first_label(labels, _LOCATION_LABELS):
        if _ONLY_ONLINE.match(location[0].strip()):
            return "online"  # "Location: Online", "Location: Zoom"
        if re.search(r"\b(?:online|virtual|zoom)\b", location[0], re.I) or _STREAMED.search(location[0]):
            return "hybrid"  # a place "and online", "and streamed live"
        texts.append(f"the venue {location[0]}")
    if any(_HYBRID.search(t) for t in texts):
        return "hybrid"
    in_person = sum(1 for t in texts if _IN_PERSON.search(t))
    streamed = sum(1 for t in texts if _STREAMED.search(t))
    online = sum(1 for t in texts if _ONLINE.search(t))
    if streamed and in_person:
        return "hybrid"
    if online + streamed > in_person:
        return "online"
    return "in-person" if in_person else None


def _format_of(value: str) -> str | None:
    """The format a label's value or a short heading names outright."""
    for name, pattern in (("hybrid", _HYBRID), ("online", _ONLINE), ("online", _STREAMED),
                          ("in-person", _IN_PERSON)):
        if pattern.search(value):
            return name
    return None


def _speech_title(ctx: _Context, references: set[int]) -> str | None:
    for sentence in ctx.sentences:
        if sentence.start in references or sentence.is_heading:
            continue
        if re.search(rf"\b{_SPEECH_NOUN}\b", sentence.text) and (m := _ENTITLED.search(sentence.text)):
            return m.group("title").strip()
    return None
