"""The event a speech was given at (title, date, host, format), and the speech's own title.

Labelled fields ("Date: ...", "Hosted by: ...") win; then headings naming the speaker, the
sentences that tell of the event, and the document's metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .context import _Context
from .model import EventFact, Evidence
from .speakers import _HEADING_AT, _HEADING_ON, _HEADING_SPEAKER, _SPEECH_NOUN, STRONG_VERBS, _Speaker
from .text import (
    _ENTITLED,
    _HONORIFIC,
    _LABEL,
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


def _speech_title(ctx: _Context, references: set[int]) -> str | None:
    for sentence in ctx.sentences:
        if sentence.start in references or sentence.is_heading:
            continue
        if re.search(rf"\b{_SPEECH_NOUN}\b", sentence.text) and (m := _ENTITLED.search(sentence.text)):
            return m.group("title").strip()
    return None
