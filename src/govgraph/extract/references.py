"""References to other speeches: the ones a document says this speech follows or recalls."""

from __future__ import annotations

import re

from .context import _Context
from .text import _ENTITLED, NAME, Sentence, clean_name

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
