"""Speakers: the people whose speech a document reports, with their role and organisation.

Read from the ways write-ups phrase them ("X, Head of Y, spoke", "Y's chief executive, X, gave",
"TITLE - NAME, ROLE" in a heading, "Speaker: X, ROLE"), merged by name, most complete role kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .context import _Context
from .model import Evidence
from .text import _LABEL, _ORG_PHRASE, NAME, Sentence, _norm_name, _trailing_paren, clean_name

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

_SPEAKER_LABELS = {"speaker", "speakers", "presenter", "keynote", "keynote speaker", "speaker(s)"}


@dataclass
class _Speaker:
    name: str
    role: str | None
    organisation: str | None
    evidence: Evidence
    strength: int

    def completeness(self) -> int:
        return (self.role is not None) + (self.organisation is not None)


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
