"""References to other speeches: the ones a document says this speech follows or recalls."""

from __future__ import annotations

import re
from collections import Counter

from .context import _Context
from .text import _ENTITLED, _NOT_NAME_WORDS, _ORG_PHRASE, NAME, PERSON, Sentence, clean_name, person_name

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
# a past talk of a series given by someone else: "Last year's lecture, "X", was given by Jane Roe"
_SERIES_PAST = re.compile(
    rf"\b(?i:last year['’]s|the previous|the first|the (?:19|20)\d\d)\s+(?i:{_REF_NOUN})\b"
    rf"(?P<rest>[^.?!]{{0,160}}?)\b(?:was\s+)?(?:given|delivered)\s+by\s+(?P<name>{PERSON})"
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
_PAST = (r"(?:last (?:year|month|week|time|spring|summer|autumn|fall|winter|January|February|March|April|May|June"
         r"|July|August|September|October|November|December)|(?:\w+|\d+) (?:years?|months?|weeks?)"
         r" ago|earlier this (?:year|month)|in (?:19|20)\d\d|previously|in (?:January|February|March|April"
         r"|May|June|July|August|September|October|November|December))")
# the speaker's own earlier talk: "when I spoke at this forum last year", "in one of my first speeches here"
_I_SPOKE = (rf"\b(?:I|you)\s+(?:last\s+|first\s+)?(?:spoke|talked|testified|appeared|gave\s+evidence"
            rf"|gave\s+(?:a|an|my|the)\s+(?:[\w-]+\s+){{0,4}}?(?:version\s+of\s+(?:this|that|my)\s+)?{_REF_NOUN})\s+"
            r"(?:at|here|to\s+(?:this|you)|before)\b")
_OWN_EARLIER = re.compile(
    rf"{_I_SPOKE}[^.?!]{{0,100}}?\b{_PAST}\b(?P<rest>[^.?!]*)|\b(?i:{_PAST})\b[^.?!]{{0,40}}?{_I_SPOKE}(?P<after>[^.?!]*)"
)
_MY_EARLIER = re.compile(
    r"(?:\b(?i:in|during|at|since|from)\s+(?:one\s+of\s+)?|(?<!is )(?<!['’]s )\b[Oo]ne\s+of\s+)my\s+"
    rf"(?:very\s+)?(?i:first|last|previous|earlier|maiden)\s+(?i:{_REF_NOUN})(?:e?s)?\b(?P<rest>[^.?!]*)"
)
# someone else's talk recalled to listeners: "when NAME spoke at the X board meeting in May, what struck me"
_OTHERS_TALK = re.compile(
    rf"(?P<name>{NAME})(?:,\s+[^,.?!]{{2,100}},|\s+(?:from|of|at)\s+(?:the\s+)?{_ORG_PHRASE}|,)?"
    rf"(?:\s+stood\s+(?:on\s+)?(?:this|the\s+same)\s+(?:stage|platform|podium)"
    rf"|(?:\s+(?:spoke|speak|speaking|presented|present|talked|talk)|['’]s\s+{_REF_NOUN})\s+(?:at|to)\s+)"
    rf"(?P<rest>[^.?!]{{0,160}})"
)
# Words the patterns above cannot match without (they write them case-sensitively; "my" for
# _MY_EARLIER), so that a sentence lacking them skips the search.
_AFTER_GAVE_VERBS = ("gave", "delivered", "made")
_OWN_EARLIER_VERBS = ("spoke", "talked", "gave", "testified", "appeared")
_OTHERS_TALK_WORDS = ("spoke", "speak", "present", "talk", "speech", "lecture", "keynote", "address",
                      "remarks", "stood")
_WORD = re.compile(r"[\w’'-]+")
_PAST_RE = re.compile(rf"\b{_PAST}\b", re.I)  # "Earlier this year", "In May" open sentences
_AUDIENCE = re.compile(r"\b(?:I|me|my|we|us|our|you)\b")
_SEE = re.compile(r"\(?\b[Ss]ee\s+(?:also\s+)?(?P<title>[A-Z][^.;()]{5,160}?)\s*(?:\)|\.|;|$)")
_UNKNOWN = ""
_SAID_BEFORE = re.compile(r"\b(?:said|says|say|argued|told|warned|put\s+it|called\s+for)\b[^.?!\"“‘]{0,80}$")
_QUOTED_TITLE = re.compile(r"[‘“\"](?P<title>[^’”\"]{4,160})[’”\"]")


def find_references(ctx: _Context) -> list[tuple[str | None, str | None, str, Sentence]]:
    """(speaker name or None for the document's own speaker, title, kind, sentence)."""
    refs: list[tuple[str | None, str | None, str, Sentence]] = []
    counted: Counter[str] = Counter()  # the document's words, counted once when a recalled talk needs them
    for sentence in ctx.sentences:
        text = sentence.text
        match = _REFERENCE.search(text)
        if match:
            follows = re.match(r"follow|came|comes|continu|a sequel", match.group("kind"), re.I)
            kind = "follows" if follows else "refers"
            name = match.group("name") or match.group("owner")
            refs.append((clean_name(name) if name else None, _ref_title(match.group("rest")), kind, sentence))
            continue
        match = _AFTER_GAVE.search(text) if _has_any(text, _AFTER_GAVE_VERBS) else None
        if match:
            who = match.group("who")
            name = None if who.lower() in ("he", "she", "they") else clean_name(who)
            refs.append((name, _ref_title(match.group("rest")), "follows", sentence))
            continue
        match = _SERIES_PAST.search(text) if ("given" in text or "delivered" in text) else None
        if match:
            refs.append((person_name(match.group("name")), _ref_title(match.group("rest")), "refers", sentence))
            continue
        match = _EARLIER.search(text)
        if match:
            name = match.group("name")
            title = _ref_title(match.group("rest"))
            refs.append((clean_name(name) if name else None, title, "refers", sentence))
            continue
        if found := _recalled_talk(ctx, sentence, counted):
            refs.append((*found, "refers", sentence))
            continue
        for see in _SEE.finditer(text):
            refs.append((_UNKNOWN, see.group("title").strip(), "refers", sentence))
    return refs


def _ref_title(rest: str) -> str | None:
    """A title given after the reference: quoted (not as said), "entitled X", or ", X" at the sentence end."""
    if (quoted := _QUOTED_TITLE.search(rest)) and not _SAID_BEFORE.search(rest, 0, quoted.start()):
        return quoted.group("title").strip()
    if entitled := _ENTITLED.search(rest):
        return entitled.group("title").strip()
    tail = re.search(r",\s+(?P<title>[A-Z][^,]*(?:\s+[-–—:]\s+.*)?)$", rest.strip())
    if tail:
        return tail.group("title").strip().rstrip(".")
    return None


def _recalled_talk(ctx: _Context, sentence: Sentence,
                   counted: Counter[str]) -> tuple[str | None, str | None] | None:
    """(speaker or None for the document's own, title) of a talk the speaker recalls to the audience.

    Another person's talk counts only when told to listeners ("I", "you") as past, and when that person is
    named nowhere else (a write-up names its own speaker again and again).
    """
    text = sentence.text
    own = _OWN_EARLIER.search(text) if _has_any(text, _OWN_EARLIER_VERBS) else None
    if match := own or (_MY_EARLIER.search(text) if "my" in text else None):
        return None, _named_title(next((part for part in match.groupdict().values() if part), ""))
    match = _OTHERS_TALK.search(text) if _has_any(text, _OTHERS_TALK_WORDS) else None
    if not match or not _PAST_RE.search(text) or not _told_to_listeners(ctx, sentence):
        return None
    words = match.group("name").split()
    while words and words[0] in _NOT_NAME_WORDS:  # "When Ian Hartigan spoke": the name starts after "When"
        words.pop(0)
    name = clean_name(" ".join(words))
    if name is None:
        return None
    surname = name.split()[-1]
    if not counted:
        counted.update(_WORD.findall(ctx.document.text))
    if counted[surname] > _WORD.findall(text).count(surname):
        return None
    return name, _named_title(match.group("rest"))


def _told_to_listeners(ctx: _Context, sentence: Sentence) -> bool:
    """Whether the sentence's paragraph speaks in the first or second person, as a speech recalling a talk does."""
    return any(_AUDIENCE.search(s.text) for s in ctx.sentences if s.block == sentence.block)


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(word in text for word in words)


def _named_title(rest: str) -> str | None:
    """A recalled talk's title, quoted or "entitled X" after it (the clause that follows is not one, nor
    words quoted as said: 'where you said "be a good customer"')."""
    if (quoted := _QUOTED_TITLE.search(rest)) and not _SAID_BEFORE.search(rest, 0, quoted.start()):
        return quoted.group("title").strip()
    entitled = _ENTITLED.search(rest)
    return entitled.group("title").strip() if entitled else None
