"""Speakers: the people whose speech a document reports, with their role and organisation.

Read from the ways write-ups phrase them ("X, Head of Y, spoke", "Y's chief executive, X, gave",
"TITLE - NAME, ROLE" in a heading, "Speaker: X, ROLE"), merged by name, most complete role kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .context import _ORG_WORDS, _Context
from .model import Evidence
from .text import (
    _LABEL,
    _NOT_NAME_WORDS,
    _ORG_PHRASE,
    _TERRITORY,
    HONORIFICS,
    NAME,
    PERSON,
    POST_NOMINALS,
    TITLE_WORDS,
    Sentence,
    _norm_name,
    _trailing_paren,
    clean_name,
    person_name,
    titled_person,
    uncapped,
)

STRONG_VERBS = (
    r"(?:(?:today\s+|yesterday\s+|later\s+|earlier\s+|first\s+)?(?:has\s+|had\s+|will\s+|is\s+to\s+|was\s+to\s+|then\s+|also\s+)?"
    r"(?:spoke|speaks|will speak|speaking|is speaking|was speaking|delivered|delivers|deliver"
    r"|addressed|addresses|address|presented|presents|present|took the stage|takes the stage"
    r"|take the stage|opened|opens|open|closed|closes|close|keynoted|headlined|set out|sets out"
    r"|gave|gives|give|giving|was giving|talked|talks|talk|lectured|launched|launches"
    r"|told (?:the |a )?(?:\w+\s+){0,3}?(?:conference|audience|delegates|summit|forum|attendees|meeting|committee|room"
    r"|crowd|gathering|participants|listeners|hall|MPs|peers|senators|members)"
    r"|answered questions|took questions|appeared before|took part|was interviewed|is interviewed|used (?:his|her|their) (?:keynote|speech|talk"
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
    r"^(?:(?:Parliamentary\s+)?(?:Under[- ])?(?:Secretary of State|Minister(?: of State)?|Commissioner|"
    r"President|Chancellor|Paymaster General|Chief Secretary)\b.*)$"
)
_WHO_LEADS = re.compile(
    r"^who\s+(?:leads|led|heads|headed|runs|ran|chairs|chaired|founded|directs|directed)\s+"
    r"(?P<org>.+?)(?:\s+as\s+(?:its|their|the)\s+(?P<role>.+))?$",
    re.I,
)
# "who leads data engineering at the X": the work is the role, the body after "at" the organisation
_WHO_DOES_AT = re.compile(
    r"^who\s+(?P<role>(?:leads|heads|runs|manages|oversees|directs|looks after)\s+[^,]{2,80}?)"
    r"\s+(?:at|in|for|within)\s+(?:the\s+)?(?P<org>[A-Z][^,]{1,120})$"
)
_LOWER_TITLE = (r"minister|secretary|director|officer|executive|head|commissioner|administrator|chair|president"
                r"|adviser|advisor|lead|leader|chief|founder|manager|professor|researcher|designer|developer|engineer")
_LOWER_TITLE_WORD = re.compile(rf"\b(?:{_LOWER_TITLE})\b")
_DOING = re.compile(r"^(?i:speaking|addressing|presenting|talking|writing|opening|closing|appearing)\b")
_ROLE_AT = re.compile(r"^(?P<role>.+?)\s+(?:at|in|with|from)\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ROLE_OF = re.compile(r"^(?P<role>.+?)\s+(?:of|for)\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ROLE_COMMA = re.compile(r"^(?P<role>[^,]+),\s+(?:the\s+)?(?P<org>[A-Z].+)$")
_ORG_ROLE = re.compile(r"^(?P<org>[A-Z][\w .&-]{1,60}?)['’]s\s+(?P<role>[\w -]{2,80})$")

_APPOSITIVE = re.compile(
    rf"(?P<name>{NAME})(?:\s+{POST_NOMINALS}\b){{0,4}}(?:\s+\([^)]{{1,60}}\))?,\s+"
    rf"(?P<role>[^;:]{{2,160}}?),\s+(?:who\s+)?(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
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
# "the Cabinet Office Minister, Jane Roe, said": a body's name, then the title, before the name
_ORG_TITLE_FIRST = re.compile(
    rf"\b[Tt]he\s+(?P<run>(?:[A-Z][\w&’'-]{{0,40}}\s+(?:(?:of|for|and|&)\s+)?){{1,8}}?(?:Minister|Secretary"
    rf"|Director|Executive|Commissioner|Administrator|Chair|President|Head|Officer))"
    rf",\s+(?P<name>{NAME}),\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b(?P<after>[^.]{{0,80}})"
)
# "The Minister for Digital Services, Jane Roe, said": a capitalised title before the name
_TITLE_FIRST = re.compile(
    rf"\b[Tt]he\s+(?P<role>(?:Minister|Secretary of State|Commissioner|Chief Executive|Director|Head"
    rf"|President|Chair|Administrator|Permanent Secretary)(?:\s+(?:of|for|and|the|at|[A-Z][\w&’'-]{{0,40}}))"
    rf"{{0,10}}),\s+(?P<name>{NAME}),\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b(?P<after>[^.]{{0,80}})"
)
# "the digital minister, Jane Roe, told delegates": a title in lower case, ending in a title noun
_LOWER_TITLE_FIRST = re.compile(
    rf"\b[Tt]he\s+(?P<role>(?:[a-z][\w-]*\s+){{0,4}}(?:minister|secretary|director|officer|executive|head"
    rf"|commissioner|administrator|chair|president|adviser|advisor|lead|leader|chief|registrar|mayor))"
    rf",\s+(?P<name>{NAME}),\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b(?P<after>[^.]{{0,80}})"
)
_PAREN_ROLE = re.compile(
    rf"(?P<name>{NAME})\s+\((?P<role>[^)]{{2,120}})\)\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
# "Jane Roe from the Home Office, who talked about", "Jane Roe of Nesta spoke"
_FROM_ORG = re.compile(
    rf"(?P<name>{NAME})\s+(?:from|of|at)\s+(?:the\s+)?(?P<org>{_ORG_PHRASE}),?\s+(?:who\s+)?"
    rf"(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b(?P<after>[^.]{{0,80}})"
)
# "the Open Data Institute's Jane Roe said": a body's person, with no title
_ORG_NAME = re.compile(
    rf"(?P<org>{_ORG_PHRASE})['’]s\s+(?P<name>{NAME}),?\s+(?P<verb>{STRONG_VERBS}|{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
# "She was joined (on stage) by Jane Roe, ROLE,": a second speaker of the session
_JOINED_BY = re.compile(
    rf"\bjoined\s+(?:on\s+(?:stage|the\s+panel)\s+)?by\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>[^,;.]{{2,120}}?)(?:,|\.|$))?"
)
# capitalised words that may open with an office: "Digital Minister Jane Roe", "Premier Jane Roe MPP"
_TITLED_PERSON = rf"(?:{HONORIFICS}\s+){{0,3}}(?:[A-Z][\w-]*\s+(?:(?:of|for|and|the)\s+)?){{0,5}}?{NAME}(?:\s+{POST_NOMINALS}\b){{0,4}}"
# a quotation's speaker named after it: '"...," said Jane Roe, ROLE.' (weak, as any "said"), or after
# their office: '"...," said Premier Jane Roe in her remarks to X'
_SAID_NAME = re.compile(
    rf"[,\"”’]\s*(?:said|says|explained|added|argued|noted|continued)\s+(?P<name>{_TITLED_PERSON})"
    rf"(?:,\s+(?P<role>[^,;.!?\"“”]{{2,120}}?))?(?=\s*[,.;:]|\s*$|\s+(?:in|at|during|on|while|when|as)\b)"
    rf"(?P<after>[^.]{{0,80}})"
)
# "Digital Minister Jane Roe said", "Jane Roe told the BBC": a name and a verb of saying, nothing between
_BARE_SAID = re.compile(
    rf"(?:^|[,;:]\s+|\b(?:and|but|as|while)\s+)(?P<name>{_TITLED_PERSON})\s+(?P<verb>{WEAK_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
# a verb of saying that tells of a talk after all: "said in her keynote", "told the summit"
_SAID_IN_TALK = re.compile(
    rf"^[,:]?\s+(?:\w+\s+){{0,2}}?(?:in|during|at|to|while|when)\s+(?:his|her|their|a|an|the|its|this|that)\s+"
    rf"(?:\w+\s+){{0,3}}?(?:{_SPEECH_NOUN}|conference|summit|forum|panel|event|audience|delegates|webinar)\b",
    re.I,
)
# a clause of speaking before the name: "Also speaking at the conference, Jane Roe, ROLE, described",
# "Opening the summit, Minister Jane Roe said"
_SPEAKING_CLAUSE = re.compile(
    rf"^(?:[Aa]lso\s+|[Tt]hen\s+)?(?:[Ss]peaking|[Oo]pening|[Cc]losing|[Aa]ddressing|[Pp]resenting|[Dd]elivering"
    rf"|[Ii]n\s+(?:his|her|their|this|the|a|an|today['’]s)\s+(?:\w+\s+)?{_SPEECH_NOUN})\b[^,]{{0,120}},\s+"
    rf"(?P<name>{_TITLED_PERSON})"
    rf"(?:,\s+(?P<role>[^,;]{{2,160}}?),|\s+(?={WEAK_VERBS}|{STRONG_VERBS}))"
)
# "Jane Roe's keynote focused on": the talk a person gave, named by its owner
_OWN_TALK_NAMED = re.compile(
    rf"(?P<name>{PERSON})['’]s\s+(?:\w+\s+)?(?:keynote|speech|talk|address|presentation|lecture|remarks)\b"
)
_RECALLED = re.compile(r"\b(?:recall|remember|last\s+year|ago|previous|earlier|in\s+(?:19|20)\d\d)", re.I)
# "Our main speaker this month is Jane Roe, ROLE", "This week's guest, Jane Roe, ..."
_OUR_SPEAKER = re.compile(
    rf"\b(?:[Oo]ur|[Tt]he|[Tt]his\s+(?:month|week|year)['’]s|[Tt]oday['’]s)\s+(?:(?:main|guest|keynote|first|next"
    rf"|featured|special)\s+)?(?:speaker|guest|lecturer|panellist|panelist)s?(?:\s+(?:this|next)\s+(?:month|week|year|time))?"
    rf"(?:\s+(?:is|was|will\s+be)|,)\s+(?P<name>{PERSON})(?:,\s+(?P<role>[^,;.]{{2,160}}?)(?:,|\.|$))?"
)
# "Mayor Jane Roe welcomed delegates and then gave the opening keynote": the talk after another act
_AND_GAVE = re.compile(
    rf"(?:^|,\s+)(?P<name>{_TITLED_PERSON})\s+[^.;]{{0,80}}?\b(?:and|before)\s+(?:then\s+)?(?:gave|delivered|presented)"
    rf"\s+(?:the|a|an|his|her|their)\s+(?:[\w-]+\s+){{0,2}}?{_SPEECH_NOUN}\b"
)
# an interview's guest: "In this episode, the host talks to Jane Roe, ROLE, about X"
_TALKS_TO = re.compile(
    rf"\b(?:talks?|talked|speaks?|spoke|chats?|chatted|sits?\s+down|sat\s+down)\s+(?:to|with)\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>[^,;.]{{2,160}}?)(?:,|\.|$|\s+about\b))?"
)
_INTERVIEW = re.compile(r"\b(?i:episode|podcast|interview|this week|in conversation|q&a)\b")
# a speaker's biography under a "Speaker" or "About the speaker" heading: "Jane Roe is the ..."
_BIO_LABEL = re.compile(r"^(?i:about\s+(?:the\s+|our\s+)?(?:speakers?|presenters?|lecturer|guest)|speaker\s+bio(?:graphy)?"
                        r"|biography)\s*:?$")
_BIO_OPENING = re.compile(rf"^(?P<name>{PERSON})\s+(?:is|was|has|leads|joined|became|serves)\b")
# a speaker introducing themselves: "My name is Jane Roe", "Good morning, I'm Jane Roe, ROLE"
_SELF_INTRODUCED = re.compile(
    rf"^(?:(?:Hello|Hi|Good\s+(?:morning|afternoon|evening))(?:\s+(?:everyone|everybody|all))?[,!.]?\s+)?"
    rf"(?:[Mm]y\s+name\s+is|I['’]m|I\s+am)\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>[^,;.]{{2,120}}?))?(?=\s*[,.;]|\s+and\b|\s*$)"
)
# a photo caption: "Jane Roe speaking at X", "Jane Roe presenting to the conference"
_CAPTION = re.compile(rf"^(?P<name>{PERSON})\s+(?:speaking|presenting|delivering|giving|addressing)\b")
# a byline, "by Jane Roe, ROLE", that names the speaker only when the author says they gave the talk
_BYLINE = re.compile(
    rf"^(?:(?:[Pp]osted|[Ww]ritten|[Pp]ublished)\s+by:?|[Bb]y:?|[Aa]uthors?:)\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>(?![Pp]osted\b)[^|]{{2,160}}?))?(?:,?\s+(?:on|in|[|·–—-]|[Pp]osted\s+on:?)\s+.{{0,80}})?$"
)
_AUTHOR_LABEL = re.compile(r"^(?i:authors?|written by|posted by|by)\s*:?$")
_OWN_TALK = re.compile(
    r"\b(?:I\s+(?:gave|delivered|presented)\s+(?:a|the|my)\s+(?:\w+\s+){0,2}?"
    rf"{_SPEECH_NOUN}|I\s+(?:spoke|talked|presented)\s+(?:at|to|about|on)|version\s+of\s+(?:my|that|the|this)\s+{_SPEECH_NOUN}"
    rf"|text\s+of\s+(?:my|the)\s+{_SPEECH_NOUN}\s+I|(?:notes|slides|write-?up|video|recording)\s+(?:from|of|for)\s+my\s+"
    rf"(?:\w+\s+){{0,2}}?{_SPEECH_NOUN}|I\s+was\s+(?:invited|asked|lucky\s+enough)\s+to\s+(?:speak|talk|present|give)"
    rf"|I\s+(?:was\s+)?(?:on|joined)\s+(?:a|the)\s+panel|my\s+(?:talk|keynote|presentation|session)\s+at)\b"
)
# the marks of a speech page, before its text: "Check against delivery", "As delivered", "E&OE"
_SPEECH_PAGE = re.compile(
    r"^(?i:speech|remarks|transcript|speaking notes|check against delivery|as delivered|keynote"
    r"|as prepared(?: for delivery)?|e&oe|keynote address|(?:opening |closing |prepared )?(?:statement|remarks)"
    r"|(?:written |oral )?(?:testimony|statement)|lecture|address)\b"
)
_SPEECH_OF = re.compile(
    r"^(?i:(?:(?:opening |closing |prepared )?remarks|speech|address|statement|testimony|lecture|keynote)"
    r"\s+(?:of|by)\s+)"
)
# "Jane Roe, PhD," in a stacked heading: the commas before post-nominals and at the end are not the name's
_NAME_COMMAS = re.compile(rf",\s*(?={POST_NOMINALS}\b)|,\s*$")
_LEADING_HON = re.compile(r"^(?:[Tt]he\s+)?(?:Rt\.?\s+|Right\s+)?(?:Hon\.?|Honourable)\s+")
# "As Minister for X I", "As the Chief Executive of X, I": a first-person speaker's title
_AS_TITLE = re.compile(
    r"\b[Aa]s\s+(?:the\s+|an?\s+)?(?P<role>[A-Z][\w-]*(?:\s+(?:of|for|and|the|[A-Z][\w-]*)){0,6}?),?\s+I\b"
)
# the number a record gives each turn: "[13] Jane Roe:", "13. Jane Roe:" (a question number is part of the label)
_TURN_NUMBER = re.compile(r"^(?:\[\d{1,4}\]|\d{1,4}\.)\s+")
# a turn label: "MR ROE:", "JANE ROE:", "Roe:", "Dr Roe:", after a question number
_SHORT_TURN = re.compile(
    r"^(?:Q\d{1,4}\s+)?(?P<name>[A-Z][A-Z'’. -]{1,60}"
    r"|(?:(?:Mr|Mrs|Ms|Miss|Dr|Professor|Lord|Baroness)\.?\s+)?[A-Z][a-z][\w'’-]{1,30})\s*:\s+\S"
)
# a transcript's first turn that welcomes the guests and the audience: the host's
_HOST_OPENING = re.compile(
    r"\b(?i:welcome\s+(?:to|back|along|everyone|everybody)|thanks?(?:\s+you)?\s+(?:all\s+)?for\s+"
    r"(?:joining|tuning|listening|coming)|(?:I'm|I am|we're|we are)\s+joined\s+by|joining\s+(?:me|us)\b"
    r"|my\s+guests?\b|our\s+guests?\b)"
)
# a chair's turn: calling the next voice, inviting a statement, reminding witnesses of the rules
_CHAIR_TURN = re.compile(r"\bI\s+(?:now\s+)?(?:call|invite)\s+(?:on\s+)?(?:Mr|Mrs|Ms|Dr|Deputy|Senator|the)\b"
                         r"|\bI\s+remind\s+(?:witnesses|members)\b"
                         r"|^Thank\s+you,?\s+(?:Mr|Mrs|Ms|Dr|Deputy|Senator|Professor)\.?\s+[A-Z]")
# a word each of STRONG_VERBS holds, so that a sentence with none of them skips the surname search
_SPEAKING_WORDS = ("spok", "speak", "deliver", "address", "present", "took", "take", "open", "clos", "keynot",
                   "headlin", "set out", "sets out", "gave", "give", "giving", "talk", "lectur", "launch", "told",
                   "answer", "appear", "used", "interview")
_NOT_SURNAMES = _NOT_NAME_WORDS | frozenset(["She", "He", "They", "We", "It", "You", "Who", "Everyone", "Nobody",
                                            "Someone", "Each", "Both", "Ministers", "Officials", "Speakers"])
_ANY_VERB = re.compile(rf"\b(?:{STRONG_VERBS}|{WEAK_VERBS}|added|noted|continued)\b")
# a word each of WEAK_VERBS holds (and the verbs _SAID_NAME knows)
_SAYING_WORDS = ("said", "says", "argu", "tell", "explain", "describ", "warned", "urged", "called for", "added",
                 "noted", "continued")
# a surname alone, opening a clause, with a verb of speaking: "Speaking at X, Roe told the audience"
_SURNAME_VERB = re.compile(
    rf"(?:^|[,;]\s+|\band\s+)(?:(?:Dr|Professor|Prof|Mr|Mrs|Ms|Minister|Commissioner|Secretary|Senator|Councillor"
    rf"|Cllr|Mayor|Premier|Administrator|Director)\.?\s+)?(?P<name>[A-Z][a-zß-ÿ]+(?:[-'’][A-Z][a-zß-ÿ]+)?)\s+"
    rf"(?P<verb>{STRONG_VERBS})\b"
    rf"(?P<after>[^.]{{0,80}})"
)
_BARE = re.compile(rf"(?P<name>{NAME})\s+(?P<verb>{STRONG_VERBS})\b(?P<after>[^.]{{0,80}})")
_BY_NAME = re.compile(
    rf"\b{_SPEECH_NOUN}\s+(?:given\s+|delivered\s+|made\s+)?(?:by|from)\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>[^,;.]{{2,120}}?)(?:,|\.|$))?"
)
_DASH = r"\s+[-–—|]\s+"
_NAVIGATION = re.compile(r"^(?i:previous|next|prev|older|newer|related|see also|read more|read next|up next"
                         r"|more from|also in|back to)\b\s*(?:post|article|speech|story)?\s*[:|»›>]")
_HEADING_SPEAKER = re.compile(rf"^(?P<title>.+?){_DASH}(?P<name>{NAME})(?:,\s+(?P<role>.+))?$")
_HEADING_ON = re.compile(rf"^(?P<title>.+?):\s+(?P<name>{NAME})\s+(?:on|at|in conversation)\b")
# "Q&A with Jane Roe", "In conversation with Jane Roe, ROLE": a session named after its guest
_HEADING_WITH = re.compile(
    rf"^(?i:q&a|interview|in conversation|a conversation|fireside chat|an evening|questions)\s+with\s+(?P<name>{PERSON})"
    rf"(?:,\s+(?P<role>[^,:]{{2,120}}))?(?:$|[:,–—-]|\s+(?:on|about)\b)"
)
# "Jane Roe on why platforms matter": a blog or video heading naming the speaker and the subject
_HEADING_NAME_ON = re.compile(rf"^(?P<name>{PERSON})\s+on\s+(?:why|how|what|when|where|the|a|an|our|[a-z]+ing)\b")
_HEADING_AT = re.compile(rf"^(?P<name>{NAME})\s+at\s+(?P<event>.+)$")

_SPEAKER_LABELS = {"speaker", "speakers", "presenter", "keynote", "keynote speaker", "speaker(s)",
                   "presenters", "panel", "panellists", "panelists", "witness", "witnesses",
                   "keynote speakers", "line-up", "lineup", "speaking", "delivered by", "given by",
                   "speech by", "remarks by", "guest", "guests", "guest speaker", "guest speakers",
                   "featuring", "featured speaker", "featured speakers", "contributors", "interviewee",
                   "lecturer", "guest lecturer", "keynote by", "talk by", "lecture by"}
# people a page labels as running the session: never speakers, however much they say
_CHAIR_LABELS = {"chair", "chairs", "chaired by", "moderator", "moderated by", "host", "hosted by",
                 "facilitator", "interviewer", "introduced by", "compere", "presenter and chair"}
# a label that ends in a kind of talk: "Opening keynote:", "Closing panel:", "Fireside chat:"
_SPEAKER_LABEL_END = re.compile(r"\b(?:keynote|speakers?|panel|panell?ists|fireside(?: chat)?|in conversation"
                                r"|witness(?:es)?)$")
# the time an agenda line opens with: "09:45", "10.30-11.00"
_CLOCK = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*[-–]\s*\d{1,2}[:.]\d{2})?\s+")
_LABEL_ONLY = re.compile(r"^(?P<label>[A-Z][\w ()-]{1,24}?)\s*:?$")
# words that make a list item a job title rather than a person ("Chief Data Officer")
_ROLE_WORDS = re.compile(
    r"\b(?:Officer|Director|Head|Chief|Minister|Secretary|Lead|Leader|Manager|Designer|Developer"
    r"|Engineer|Professor|Fellow|President|Chair|Chairman|Chairwoman|Commissioner|Administrator"
    r"|Adviser|Advisor|Executive|Founder|Partner|Analyst|Architect|Deputy|Principal|Senior"
    r"|Researcher|Editor|Coordinator|Specialist|Consultant|Strategist|Governor|Mayor|Councillor"
    r"|Clerk|Registrar|Controller|Auditor|Inspector|Ambassador|Envoy|Member|Associate|Owner"
    r"|General|Paymaster|Attorney|Solicitor|Treasurer|Chancellor|Speaker|Spokesperson)\b"
)
# a sentence that lists who spoke: "On the panel were X, ROLE; Y, ROLE", "a session given by X and Y"
_LIST_CUE = re.compile(
    r"\b(?:(?:on the panel|the panel|panell?ists|speakers|line-?up|witnesses|speaking|in conversation)\s+"
    r"(?:were|was|are|included|includes|featured|features|will be)|(?:given|delivered|presented)\s+by"
    r"|^(?:with|featuring)|\b(?:discussion|conversation|panel|session|debate|Q&A)\b[^;]{0,160}?,\s+with"
    r"|\b(?:discussion|conversation|panel|debate|Q&A|fireside chat)(?:\s+\w+){0,2}?\s+with"
    r"|\b(?:session|workshop|talk|discussion|webinar|masterclass|seminar|demo)\s+(?:was\s+|is\s+|will\s+be\s+)?"
    r"(?:led|run)\s+by"
    r"|heard(?:\s+oral|\s+written)?(?:\s+evidence)?(?:\s+from)?(?=\s+[A-Z]))"
    r"\s*:?\s+(?P<list>.+)$",
    re.I,
)
# what a listed speaker went on to do, after the list: ", describe the new tools"
_WHAT_THEY_DID = re.compile(r",?\s+(?:describe|explain|set out|talk|discuss|outline|present|argue|warn|call)\b.*$")
# words that place what someone said at the event itself
_AT_THE_EVENT = re.compile(r"\b(?:conference|summit|panel|session|event|forum|delegates|audience|on stage|keynote"
                           r"|webinar|workshop|breakout|fireside|meetup|attendees)\b", re.I)
# a heading over links to other pages: what is listed under it is not this page's
_RELATED = re.compile(r"^(?i:related(?:\s+\w+){0,2}|more\s+(?:like\s+this|from\s+.{1,40}|on\s+this\s+topic|stories"
                      r"|news|speeches|events)|read\s+(?:more|next)|see\s+also|you\s+(?:might|may)\s+also\s+like"
                      r"|explore\s+the\s+topic|latest\s+(?:news|speeches)|other\s+speeches|previous\s+events)\s*:?$")
# what else a person may give or deliver at an event: "the vote of thanks was given by X"
_NOT_A_TALK = re.compile(r"\b(?i:vote of thanks|thanks|welcome|introduction|closing words)\b")
# a question put to the interviewee, which names others only to ask about them
_QUESTION_LINE = re.compile(r"^(?:Q\d{0,3}|Question)\s*[:.]\s")
_CLAUSE_WORDS = frozenset(["The", "A", "An", "This", "That", "These", "Those", "His", "Her", "Their",
                          "Its", "Our", "In", "On", "At", "For", "Of", "And", "But", "Or", "With",
                          "From", "By", "As", "After", "Before", "When", "While", "During", "Today",
                          "Yesterday", "If", "Although", "Since", "Until", "Where"])
_TURN = re.compile(
    rf"^(?P<name>{PERSON})(?:,\s+(?P<role>[^:\"“]{{2,120}}?)|\s+\((?P<paren>[^():\"“]{{2,80}})\))?\s*:\s+\S"
)
# "Sam Roe of Nesta", "Sam Roe from the Home Office" as one item of a list
_PERSON_OF = re.compile(rf"^(?P<name>{PERSON})\s+(?P<link>of|from|at)\s+(?:the\s+)?(?P<org>[A-Z].{{1,120}})$")
# "the Open Data Institute's Sam Roe" as one item of a list
_ORG_PERSON = re.compile(rf"^(?:the\s+)?(?P<org>{_ORG_PHRASE})['’]s\s+(?P<name>{PERSON})$")
# "I: Jane Roe, ROLE; ...": the number of a panel of witnesses
_PANEL_NUMBER = re.compile(r"^(?:[IVX]{1,4}|\d{1,2})[:.)]\s+")
# what a listed person talks about, after their name and title: "on building X", "in conversation about X"
_TOPIC_TAIL = re.compile(r"\s+(?:in conversation|on\s+(?=[a-z])|about\s+|discussing\s+)")
_LINKED_BODY = re.compile(r"^(?:of|from|at)\s+(?P<org>.+)$")
_CHAIRED = re.compile(
    rf"\b(?i:chaired|moderated|hosted|introduced|compered|facilitated|interviewed)\s+by\s+(?P<name>{PERSON})"
    rf"|(?P<named>{PERSON})\s+\((?:[A-Z][\w-]*\s+){{0,2}}(?i:chair|chairman|chairwoman|chairperson|convener"
    rf"|convenor|moderator|host|presenter|interviewer)\)|\[(?P<inchair>{PERSON})\s+in\s+the\s+Chair\]"
)
# a heading that names the speaker before the kind of text: "Jane Roe – 2016 Speech on X",
# "Jane Roe MSP: speech at X", "Sprint 20: Jane Roe speech", "Speech: Jane Roe Speech at X"
_HEADING_NAME_SPEECH = re.compile(
    rf"^(?:[^:]{{1,60}}:\s+)?(?P<name>{PERSON})(?:['’]s)?\s*(?:[-–—:|,]\s*)?(?:\d{{4}}\s+)?"
    rf"(?i:speech|keynote|remarks|address|lecture|talk|statement|presentation)\b"
)
# "Speaking notes for the Honourable Jane Roe, ROLE, to X", "Remarks ... as prepared for
# Administrator Jane Roe", "Speech by Jane Roe at X"
_SPEECH_TEXT = re.compile(r"\b(?i:notes|remarks|speech|address|text|keynote|lecture|statement)\b")
_HEADING_FOR = re.compile(
    rf"\b(?:for|by|of)\s+(?:the\s+)?(?P<name>(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+){{0,2}}{PERSON})(?:,\s+(?P<role>[^,]{{2,120}}?)(?:,|$))?"
)
# first person: the role from "my first speech as a minister", the body from "my department, the X"
_AS_ROLE = re.compile(
    r"\bmy\s+(?:\w+\s+){0,2}(?:speech|keynote|address|talk|lecture|conference|visit|year|months?)"
    r"\s+as\s+(?:an?\s+|the\s+)?(?P<role>[A-Za-z][\w-]*(?:\s+(?:of|for|and|[A-Za-z][\w-]*)){0,8}?)"
    r"(?=\s*(?:[,.;:]|\s+and\b|\s+I\b|$))"
)
_MY_BODY = re.compile(
    r"\b(?i:my|our)\s+(?:own\s+)?(?:department|ministry|agency|organisation|organization)\s*,\s+"
    r"(?:the\s+)?(?P<org>[A-Z].{0,120})"
)
_WORK_AT = re.compile(
    rf"\b(?:we|I)(?:['’][a-z]{{1,2}})?(?:\s+[\w’']+){{0,3}}?\s+(?:doing|working|work|done)\s+(?:here\s+)?at\s+"
    rf"(?:the\s+)?(?P<org>{_ORG_PHRASE})"
)


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
    if (match := _WHO_DOES_AT.match(phrase)) and ctx.is_organisation(match.group("org")):
        return match.group("role").strip(), match.group("org").strip()
    if match := _WHO_LEADS.match(phrase):
        role = match.group("role")
        return (role.strip() if role else None), match.group("org").strip()
    if phrase.lower().startswith("who ") or _DOING.match(phrase):
        return None, None  # "who ...", "speaking at the X": what they did, not their title
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
        # "Minister of State at the Cabinet Office" is a post at a body; "Minister for X" is one title
        role, at, body = phrase.partition(" at ")
        if at and ctx.is_organisation(body):
            return role, re.sub(r"^the\s+", "", body)
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
        return bool(re.match(r"^\s+(?:the|a|an|this|its|proceedings|day|by\s+saying|with\s+a)\b", after, re.I))
    return True


def _is_weak(verb: str) -> bool:
    return bool(re.fullmatch(WEAK_VERBS, verb.strip()))


def find_speakers(ctx: _Context, references: set[int]) -> list[_Speaker]:
    """People whose speech the document reports, merged by name, most complete role kept."""
    found: list[_Speaker] = _metadata_speakers(ctx)
    chairs: set[str] = _metadata_chairs(ctx)
    pending: str | None = None  # a label heading ("Panel:", "Speaker") whose values are the next blocks
    previous_heading: str | None = None  # the heading just above a paragraph ("About the speaker")
    for sentence, before in zip(ctx.sentences, [None, *ctx.sentences], strict=False):
        previous_heading = before.text if before is not None and before.is_heading else None
        chairs |= _chaired(sentence.text)
        if sentence.start in references:
            continue
        if sentence.is_heading:
            if (only := _LABEL_ONLY.match(sentence.text)) and (kind := _label_kind(only.group("label"))):
                pending = kind
                continue
            labelled = _labelled(sentence, ctx, chairs)
            if labelled is not None:
                found += labelled
                pending = None
                continue
            if pending == "from":  # "From:" over its value, as a <dl> lays it out
                found += _from_people(sentence.text, sentence, ctx)
                pending = None
                continue
            if _RELATED.match(sentence.text):
                pending = "related"
                continue
            if pending == "related":  # the items listed under "Related content" are links to other pages
                continue
            if pending and (entries := _entries(sentence.text, ctx)):
                if pending == "chair":
                    chairs |= {_norm_name(e.name) for e in entries}
                else:
                    found += [_Speaker(e.name, e.role, e.organisation, sentence.evidence, 2)
                              for e in entries]
                continue
            pending = None
            found += _heading_speakers(sentence, ctx)
            continue
        if pending == "speaker" and _PANEL_NUMBER.match(sentence.text):  # "Witnesses" / "I: Jane Roe, ..."
            found += [_Speaker(e.name, e.role, e.organisation, sentence.evidence, 2)
                      for e in _entries(sentence.text, ctx)]
            continue
        if previous_heading and _BIO_LABEL.match(previous_heading) and (bio := _BIO_OPENING.match(sentence.text)) and (
            name := _as_person(bio.group("name"), ctx)
        ):  # "About the speaker" / "Jane Roe is the chief executive of X ..."
            found.append(_Speaker(name, None, None, sentence.evidence, 2))
        pending = None
        labelled = _labelled(sentence, ctx, chairs)
        if labelled is not None:
            found += labelled
            continue
        if not _QUESTION_LINE.match(sentence.text):
            found += _sentence_speakers(sentence, ctx)
    found += (_turn_speakers(ctx, chairs) + _page_speakers(ctx) + _surname_speakers(ctx) + _card_speakers(ctx, chairs)
              + _interviewee(ctx, chairs))
    speakers = [s for s in _merge_speakers(found) if _norm_name(s.name) not in chairs]
    if not speakers:
        speakers = [s for s in _title_speakers(ctx) or _salient_speakers(ctx, chairs | references_named(ctx, references))
                    if _norm_name(s.name) not in chairs]
    _fill_roles(speakers, ctx)
    return speakers


def references_named(ctx: _Context, references: set[int]) -> set[str]:
    """People named in sentences that recall other talks: they gave those talks, not this one."""
    return {_norm_name(name) for s in ctx.sentences if s.start in references
            for m in re.finditer(NAME, s.text) if (name := person_name(m.group(0)))}


def _salient_speakers(ctx: _Context, excluded: set[str]) -> list[_Speaker]:
    """The one person a speech's page keeps coming back to, when no sentence says who spoke: named in its
    opening, and again and again (in full or by surname) in the text, in a document that tells of a talk."""
    if not any(_SPEECH_TEXT.search(s.text) for s in ctx.sentences[:8]) and not ctx.document.title:
        return []
    opening = ctx.sentences[: max(6, len(ctx.sentences) // 5)]
    candidates: dict[str, Sentence] = {}
    for sentence in opening:
        for match in re.finditer(PERSON, sentence.text):
            if (name := _as_person(match.group(0), ctx)) and _norm_name(name) not in excluded:
                candidates.setdefault(name, sentence)
    counted = {name: sum(s.text.count(name.split()[-1]) for s in ctx.sentences) for name in candidates}
    ranked = sorted(counted, key=lambda n: -counted[n])
    if not ranked or counted[ranked[0]] < _SALIENT_MENTIONS or (
        len(ranked) > 1 and counted[ranked[1]] * 2 > counted[ranked[0]]
    ):
        return []
    return [_Speaker(ranked[0], None, None, candidates[ranked[0]].evidence, 1)]


def _title_speakers(ctx: _Context) -> list[_Speaker]:
    """The speaker a page names only in its <title>, "Jane Roe keynote: X | Site", read as a heading."""
    title = ctx.document.metadata.get("page-title")
    if not title or title == ctx.document.title:
        return []
    site_dropped = re.sub(r"\s+[|–—-]\s+[^|–—-]+$", "", title)  # "... | GOV.WALES"
    for heading in dict.fromkeys((title.split(" | ")[0], site_dropped, title)):
        if found := _heading_speakers(Sentence(heading.strip(), 0, -1, True), ctx):
            return found
    return []


def _sentence_speakers(sentence: Sentence, ctx: _Context) -> list[_Speaker]:
    """Speakers a running sentence reports: "X, ROLE, said", "a talk by X", "On the panel were X, Y"."""
    found: list[_Speaker] = []
    inside_orgs = ctx.names_in_sentence.get(sentence.start, [])
    text = sentence.text
    # every pattern below but the lists needs a verb of speaking or saying: one search tells if there is one
    says = any(verb in text for verb in _SAYING_WORDS + _SPEAKING_WORDS) and bool(_ANY_VERB.search(text))
    patterns = (_POSSESSIVE, _ROLE_FIRST, _ORG_TITLE_FIRST, _TITLE_FIRST, _LOWER_TITLE_FIRST, _APPOSITIVE,
                _PAREN_ROLE, _FROM_ORG, _BARE) if says else ()
    for pattern in patterns:
        for match in pattern.finditer(sentence.text):
            name = _trimmed_name(match.group("name"))
            if not name or not _verb_ok(match.group("verb"), match.group("after")):
                continue
            # "Employment and Social Development Canada delivers": the words end an organisation's name
            if any(name in org for org in inside_orgs):
                continue
            role, org = _role_from_match(match, ctx)
            strength = 1 if _is_weak(match.group("verb")) and not _SAID_IN_TALK.match(match.group("after")) else 2
            found.append(_Speaker(name, role, org, sentence.evidence, strength))
    for match in _ORG_NAME.finditer(sentence.text) if says else ():
        org = re.sub(r"^(?:[Tt]he)\s+", "", match.group("org"))
        if ctx.is_organisation(org) and (name := clean_name(match.group("name"))) and _verb_ok(
            match.group("verb"), match.group("after")
        ):
            strength = 1 if _is_weak(match.group("verb")) else 2
            found.append(_Speaker(name, None, org, sentence.evidence, strength))
    lowered = text.lower()
    for pattern, words in ((_BY_NAME, (" by ", " from ")), (_JOINED_BY, ("joined",)),
                           (_OUR_SPEAKER, ("speaker", "guest", "lecturer", "panel")),
                           (_SELF_INTRODUCED, ("name is", "i'm", "i’m", "i am"))):
        for match in pattern.finditer(text) if any(w in lowered for w in words) else ():
            if name := person_name(match.group("name")):
                role, org = split_role(match.group("role") or "", ctx)
                found.append(_Speaker(name, role, org, sentence.evidence, 2))
    recalled = _RECALLED.search(text)  # "she recalled Jane Roe's lecture last year": another talk
    for match in _TALKS_TO.finditer(text) if _INTERVIEW.search(text) else ():  # the guest, not the host
        if (name := person_name(match.group("name"))) and not any(name in org for org in inside_orgs):
            found.append(_Speaker(name, *split_role(match.group("role") or "", ctx), sentence.evidence, 3))
    for match in _AND_GAVE.finditer(text) if says and not recalled else ():
        if (name := titled_person(match.group("name"))[1]) and not any(name in org for org in inside_orgs):
            found.append(_Speaker(name, *split_role(titled_person(match.group("name"))[0] or "", ctx),
                                  sentence.evidence, 2))
    for match in _OWN_TALK_NAMED.finditer(text) if ("'s" in text or "’s" in text) and not recalled else ():
        if (name := _as_person(match.group("name"), ctx)) and not any(name in org for org in inside_orgs):
            found.append(_Speaker(name, None, None, sentence.evidence, 2))
    if (clause := _SPEAKING_CLAUSE.match(sentence.text)) and (name := titled_person(clause.group("name"))[1]):
        role, org = split_role(clause.group("role") or titled_person(clause.group("name"))[0] or "", ctx)
        found.append(_Speaker(name, role, org, sentence.evidence, 2))
    for match in (*_SAID_NAME.finditer(text), *_BARE_SAID.finditer(text)) if says else ():
        title, name = titled_person(match.group("name"))
        if name and not any(name in org for org in inside_orgs):
            role, org = split_role(match.groupdict().get("role") or title or "", ctx)
            strength = 2 if _SAID_IN_TALK.match(match.group("after")) else 1
            found.append(_Speaker(name, role, org, sentence.evidence, strength))
    if (cue := _LIST_CUE.search(sentence.text)) and not _NOT_A_TALK.search(sentence.text, 0, cue.start()):
        listed = _WHAT_THEY_DID.sub("", cue.group("list"))  # "heard X, ROLE, describe the tools": the people
        found += [_Speaker(e.name, e.role, e.organisation, sentence.evidence, 2) for e in _entries(listed, ctx)]
    return found


def _trimmed_name(words: str) -> str | None:
    """The name in a run of capitalised words, or its last two when the run is not a name: "Reform
    Jane Roe" after a title is Jane Roe (after a clause word, as in "When Jane Roe spoke", it is not)."""
    parts = words.split()
    if any(p.lower() in TITLE_WORDS for p in parts[:-2]) and (name := titled_person(words)[1]):
        return name  # "Commissioner Jane Roe opened"
    if name := clean_name(words):
        return name
    if len(parts) < 3 or any(p in _CLAUSE_WORDS for p in parts):
        return None
    return clean_name(" ".join(parts[-2:]))


def _turn_speakers(ctx: _Context, chairs: set[str]) -> list[_Speaker]:
    """People with turns in a transcript ("Jane Roe: ..." opening a block), except whoever mostly
    asks the questions and quotes a sentence introduces ("she said:")."""
    turns: dict[str, list[Sentence]] = {}
    roles: dict[str, tuple[str | None, str | None]] = {}
    last_of_block: dict[int, Sentence] = {s.block: s for s in ctx.sentences}
    blocks: dict[int, list[Sentence]] = {}
    for sentence in ctx.sentences:
        blocks.setdefault(sentence.block, []).append(sentence)
    previous: Sentence | None = None
    speaking: tuple[str, str | None] | None = None  # a name line ("Jane Roe (ORG)") over the next paragraphs
    for sentence in ctx.sentences:
        opens = previous is None or previous.block != sentence.block
        previous, after_colon = sentence, previous is not None and previous.text.endswith(":")
        if not opens or after_colon:
            continue
        role, text = None, _TURN_NUMBER.sub("", sentence.text)
        if sentence.is_heading and (line := _name_line(text, ctx)):
            speaking = line
            continue
        if speaking:
            name, role = speaking
            speaking = None
        elif (match := _TURN.match(text)) and (name := person_name(match.group("name"))):
            role = match.group("role") or _bracketed(match.group("paren"), ctx)
        elif short := _SHORT_TURN.match(text):
            name = _label_person(short.group("name"), ctx.names_by_surname)
        else:
            continue
        if name and _norm_name(name) not in chairs:
            turns.setdefault(name, []).append(sentence)
            told = _role_and_org([role] if role else [], ctx)  # the fullest title any of their labels gives
            if sum(x is not None for x in told) > sum(x is not None for x in roles.get(name, (None, None))):
                roles[name] = told
            roles.setdefault(name, told)
    host = _opening_host(turns, ctx)
    # a record of many turns is a transcript: who takes turns in it spoke, whatever else the page says
    strength = 2 if sum(map(len, turns.values())) >= _TRANSCRIPT_TURNS else 1
    speakers = []
    for name, opened in turns.items():
        asked = sum(last_of_block[s.block].text.endswith("?") for s in opened)
        calls = sum(any(_CHAIR_TURN.search(t.text) for t in blocks[s.block]) for s in opened)  # "I call Ms Roe"
        if asked * 2 < len(opened) and name != host and calls * 2 < len(opened):
            speakers.append(_Speaker(name, *roles[name], opened[0].evidence, strength))
    return speakers


_TRANSCRIPT_TURNS = 6
# two to six capitalised words, then only brackets or a "| source" tail: the shape of a name line
_NAME_LINE_SHAPE = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*(?:\s+[A-ZÀ-Þa-z][\w'’.-]*){1,6}(?:\s*\([^()]{1,120}\))*(?:\s+\|.*)?$")


def _name_line(text: str, ctx: _Context) -> tuple[str, str | None] | None:
    """(name, role) of a line that is only a person, as a record heads each turn: "Jane Roe (Department
    of X) | source", "Jane Roe (Constituency) (Party)"; None for any other line."""
    if not _NAME_LINE_SHAPE.match(text):
        return None
    text = re.sub(r"\s+\|.*$", "", text.strip())
    brackets = re.findall(r"\(([^()]{1,120})\)", text)
    base = re.sub(r"\s*\([^()]{1,120}\)", "", text).strip()
    if len(base) > 60 or not (name := _as_person(_LEADING_HON.sub("", uncapped(base)), ctx)):
        return None
    role = next((b for b in brackets if _ROLE_WORDS.search(b) or (ctx.is_organisation(b) and len(b) > 4)), None)
    return name, _bracketed(role, ctx)


def _bracketed(words: str | None, ctx: _Context) -> str | None:
    """What a turn label's brackets say, as a role phrase: a title as it is, a body alone as "of X"."""
    if not words or _ROLE_WORDS.search(words):
        return words
    return f"of {words}" if ctx.is_organisation(words) else words


def _opening_host(turns: dict[str, list[Sentence]], ctx: _Context) -> str | None:
    """Whoever opens a transcript of several voices by welcoming the others: its host, not a speaker."""
    if len(turns) < 2:
        return None
    name, opened = min(turns.items(), key=lambda item: item[1][0].start)
    block = " ".join(s.text for s in ctx.sentences if s.block == opened[0].block)
    return name if _HOST_OPENING.search(block) else None


def _interviewee(ctx: _Context, chairs: set[str]) -> list[_Speaker]:
    """The one person a Q&A answers for: "Q:" / "A:" turns, and the person its introduction names first."""
    answers = [s for s in ctx.sentences if _ANSWER_LINE.match(s.text)]
    if len(answers) < 2:
        return []
    first_answer = answers[0].start
    for sentence in ctx.sentences:
        if sentence.start >= first_answer:
            break
        for match in re.finditer(PERSON, sentence.text):
            if (name := _as_person(match.group(0), ctx)) and _norm_name(name) not in chairs:
                return [_Speaker(name, None, None, sentence.evidence, 2)]
    return []


_COUNTRY = re.compile(r"(?:the\s+)?(?:UK|United Kingdom|England|Scotland|Wales|Northern Ireland|Ireland|Canada"
                      r"|Australia|New Zealand|Aotearoa New Zealand|United States|USA|US|U\.S\.|European Union|EU)")
_ANSWER_LINE = re.compile(r"^A\s*[:.]\s+\S")


def _card_speakers(ctx: _Context, chairs: set[str]) -> list[_Speaker]:
    """Speakers on cards, as a programme or a speakers page lays them out: a heading that is a name and
    under it a heading that is a title ("Dr Jane Roe" / "Chief Data Officer, Home Office")."""
    found: list[_Speaker] = []
    for sentence, below in zip(ctx.sentences, ctx.sentences[1:], strict=False):
        if not (sentence.is_heading and below.is_heading and below.block == sentence.block + 1):
            continue
        title = below.text
        if len(title) > 160 or not _ROLE_WORDS.search(title) or _as_person(title, ctx):
            continue
        name = _as_person(_LEADING_HON.sub("", uncapped(sentence.text)), ctx)
        if name and _norm_name(name) not in chairs:
            found.append(_Speaker(name, *_role_and_org(re.split(r",\s+", title), ctx), sentence.evidence, 2))
    return found


def _surname_speakers(ctx: _Context) -> list[_Speaker]:
    """A speaker named in full once and then by surname where the text says they spoke: "Roe told
    the conference" after "Jane Roe, ROLE, said"."""
    found: list[_Speaker] = []
    for sentence in ctx.sentences:
        if not any(verb in sentence.text for verb in _SPEAKING_WORDS):
            continue
        for match in _SURNAME_VERB.finditer(sentence.text):
            if match.group("name") in _NOT_SURNAMES or not _verb_ok(match.group("verb"), match.group("after")):
                continue
            names = ctx.names_by_surname.get(match.group("name").lower(), set())
            if len(names) == 1 and not ctx.is_organisation(match.group("name")):
                found.append(_Speaker(next(iter(names)), None, None, sentence.evidence, 2))
    return found


def _page_speakers(ctx: _Context) -> list[_Speaker]:
    """The speaker a page names outside its sentences: the headings stacked above a speech's text
    ("Speech", "THE HON JANE ROE MP", "MINISTER FOR X", "Check against delivery"), or the byline of a
    post whose author says they gave the talk."""
    found: list[_Speaker] = []
    top = [s for s in ctx.sentences[:40] if s.is_heading]
    first_text = next((s.start for s in ctx.sentences if not s.is_heading), None)
    if first_text is not None:
        top = [s for s in top if s.start < first_text]
    if any(_SPEECH_PAGE.match(s.text) for s in top):
        for number, sentence in enumerate(top):
            text = _NAME_COMMAS.sub(" ", _SPEECH_OF.sub("", uncapped(sentence.text))).strip()
            if not (name := _as_person(_LEADING_HON.sub("", text), ctx)):
                found += _name_and_title_line(text, sentence, ctx)  # "NAME, ROLE" or "ROLE NAME" over the text
                continue
            after, then = (uncapped(top[n].text).rstrip(",") if n < len(top) else "" for n in (number + 1, number + 2))
            role, org = split_role(after, ctx) if _ROLE_WORDS.search(after) and len(after) < 120 else (None, None)
            if role and org is None and ctx.is_organisation(then):  # "JANE ROE" / "CHIEF X" / "OFFICE OF Y"
                org = then
            found.append(_Speaker(name, role, org, sentence.evidence, 2))
    if any(_OWN_TALK.search(s.text) for s in ctx.sentences):
        opening = ctx.sentences[:12]
        for number, sentence in enumerate(opening):
            text = sentence.text
            if _AUTHOR_LABEL.match(text) and number + 1 < len(opening) and opening[number + 1].is_heading:
                text = f"By {opening[number + 1].text}"  # "Author" over "Jane Roe, ROLE"
            if (byline := _BYLINE.match(text)) and (name := person_name(byline.group("name"))):
                role, org = _role_and_org(re.split(r",\s+", byline.group("role") or ""), ctx)
                found.append(_Speaker(name, role, org, sentence.evidence, 2))
        meta = {k.lower(): v for k, v in ctx.document.metadata.items()}
        author = next((meta[k] for k in ("author", "authors", "byline") if meta.get(k)), None)
        if not found and author and (name := _as_person(author, ctx)):
            found.append(_Speaker(name, None, None, Evidence(f"author: {author}", 0), 2))
    return found


def _name_and_title_line(text: str, sentence: Sentence, ctx: _Context) -> list[_Speaker]:
    """The speaker of a line above a speech's text that is a name and a title, either way round:
    "Jane Roe, European Commissioner for X", "Minister for Public Services Jane Roe TD"."""
    if len(text) > 160 or text.endswith((".", "?", "!")):
        return []
    entries = _entries(text, ctx)
    if len(entries) == 1 and _ROLE_WORDS.search(entries[0].role or ""):
        return [_Speaker(entries[0].name, entries[0].role, entries[0].organisation, sentence.evidence, 2)]
    title, name = titled_person(_POST_NOMINALS_TAIL.sub("", text))
    if name and title and _ROLE_WORDS.search(title) and re.fullmatch(_TITLED_PERSON, text):
        return [_Speaker(name, *split_role(title, ctx), sentence.evidence, 2)]
    return []


_POSSESSIVE_S = re.compile(r"['’]s$")
_POST_NOMINALS_TAIL = re.compile(rf"(?:\s+{POST_NOMINALS})+$")


def _resolved_name(words: str, ctx: _Context) -> str | None:
    """A person's name from a heading's words, or from an office and a surname ("Commissioner Roe") when the
    document names one person with that surname in full."""
    if name := person_name(words):
        return name
    parts = words.split()
    if len(parts) == 2 and parts[0].lower() in TITLE_WORDS | {"dr", "professor", "mr", "mrs", "ms", "minister"}:
        names = ctx.names_by_surname.get(parts[1].lower(), set())
        return next(iter(names)) if len(names) == 1 else None
    return None


def _label_person(label: str, surnames: dict[str, set[str]]) -> str | None:
    """The person a short or all-capitals turn label names: its own full name, or the one full name in
    the document with that surname ("MR ROE", "Roe", "Dr Roe")."""
    text = uncapped(label.strip())
    if (name := person_name(_LEADING_HON.sub("", text))) and len(name.split()) > 1:
        return name
    if len(text.split()) > 2:
        return None
    matches = surnames.get(text.split()[-1].lower(), set())
    return next(iter(matches)) if len(matches) == 1 else None


def _from_people(value: str, sentence: Sentence, ctx: _Context) -> list[_Speaker]:
    """"From: Cabinet Office and The Rt Hon Jane Roe MP": the people, not the bodies."""
    for words in sorted(ctx.names_in_sentence.get(sentence.start, ()), key=len, reverse=True):
        value = value.replace(words, ",")  # "Employment and Social Development Canada" is one body
    people = [name for part in re.split(r",\s*(?:and\s+)?|\s+and\s+", value) if (name := _as_person(part, ctx))]
    return [_Speaker(name, None, None, sentence.evidence, 2) for name in people]


def _label_kind(label: str) -> str | None:
    """'speaker' for a label that introduces speakers, 'chair' for one that introduces a chair."""
    label = label.strip().lower()
    if label in _SPEAKER_LABELS or _SPEAKER_LABEL_END.search(label):
        return "speaker"
    if label in ("from", "published by"):
        return "from"
    return "chair" if label in _CHAIR_LABELS else None


def _labelled(sentence: Sentence, ctx: _Context, chairs: set[str]) -> list[_Speaker] | None:
    """Speakers from "Speaker: X, ROLE" or "Witnesses: X, ROLE, and Y, ROLE"; None if no such label."""
    label = _LABEL.match(_CLOCK.sub("", sentence.text))
    kind = _label_kind(label.group("label")) if label else None
    if label is None or kind is None:
        return None
    if kind == "from":
        return _from_people(label.group("value"), sentence, ctx)
    entries = _entries(label.group("value"), ctx)
    if kind == "chair":
        chairs |= {_norm_name(e.name) for e in entries}
        return []
    return [_Speaker(e.name, e.role, e.organisation, sentence.evidence, 2) for e in entries]


@dataclass
class _Entry:
    name: str
    role: str | None
    organisation: str | None


def _entries(text: str, ctx: _Context) -> list[_Entry]:
    """People in a list: "NAME: ROLE, ORG", or "NAME, ROLE, ORG; NAME, ROLE at ORG and NAME"."""
    text = _PANEL_NUMBER.sub("", text.strip().rstrip(".;"))
    if (topic := _TOPIC_TAIL.search(text)) and (entries := _entries(text[: topic.start()], ctx)):
        return entries  # "Jane Roe (ROLE) on building X": the person, not the talk's subject
    if (colon := re.match(rf"^(?P<name>{PERSON})(?:\s*:|\s+[-–—|])\s+(?P<rest>.+)$", text)) and (
        name := _as_person(colon.group("name"), ctx)
    ):
        return [_Entry(name, *_role_and_org([colon.group("rest")], ctx))]
    people: list[tuple[str, list[str]]] = []
    for segment in _segments(text, ctx):
        paren = _trailing_paren(segment)
        base = segment[: paren.start()] if paren else ""
        if paren and not _as_person(paren.group(1), ctx) and (name := _as_person(base, ctx)):
            people.append((name, re.split(r",\s+", paren.group(1))))  # "Jane Roe (ROLE, ORG)"
        elif name := _as_person(segment, ctx):
            people.append((name, []))
        elif (of := _PERSON_OF.match(segment)) and (name := _as_person(of.group("name"), ctx)):
            people.append((name, [f"{of.group('link')} {of.group('org')}"]))
        elif (owned := _ORG_PERSON.match(segment)) and (name := _as_person(owned.group("name"), ctx)):
            people.append((name, [f"of {owned.group('org')}"]))

        elif people and re.match(r"(?:whose|which|where|when)\b", segment):
            break  # "X of Y, whose point about Z ...": the clause is about what they said
        elif people:
            people[-1][1].append(segment)
        else:
            return []  # a list of speakers opens with a name
    return [_Entry(name, *_role_and_org(parts, ctx)) for name, parts in people]


def _segments(text: str, ctx: _Context) -> list[str]:
    """A list's items and their parts, split at "," and ";", and at "and" only before a person."""
    segments: list[str] = []
    for piece in re.split(r"\s*;\s*(?:and\s+)?|,\s+(?:and\s+)?(?![^()]{0,120}\))", text):
        head, sep, tail = piece.rpartition(" and ")
        joined = f"{head.rsplit(' ', 1)[-1]} and {tail}"  # "Science and Economic Development Canada"
        of = _PERSON_OF.match(tail)
        if sep and head and (_as_person(tail, ctx) or _ORG_PERSON.match(tail) or (
            of and _as_person(of.group("name"), ctx) and ctx.is_organisation(of.group("org"))
        )) and not any(
            joined in name for names in ctx.names_in_sentence.values() for name in names
        ):
            segments += [head.strip(), tail.strip()]
        elif piece.strip():
            segments.append(piece.strip())
    return segments


def _as_person(text: str, ctx: _Context) -> str | None:
    """The person a list item names, or None for a job title, an organisation or other words."""
    text = re.sub(r"\s*\([^)]{0,60}\)$", "", text.strip())  # "Lord X (Jane Roe)": the peer's own name
    text = _TERRITORY.sub(r"\g<peer>", text)
    if not re.fullmatch(PERSON, text) or ctx.is_organisation(text):
        return None
    name = person_name(text)
    return name if name and not _ROLE_WORDS.search(name) else None


def _role_and_org(parts: list[str], ctx: _Context) -> tuple[str | None, str | None]:
    """ROLE and ORG from a list item's parts: the last part is the body when it names one."""
    parts = [p.strip() for p in parts if p.strip()]
    if not parts:
        return None, None
    if len(parts) == 1 and (only := _LINKED_BODY.match(parts[0])):
        return None, only.group("org")  # "Sam Roe of Nesta": a body and no title
    for split in range(1, len(parts)):  # a body whose own name has commas ("Foreign, Commonwealth ...")
        if _norm_name(body := ", ".join(parts[split:])) in ctx.lexicon.organisation_by_name:
            return ", ".join(parts[:split]), body
    if len(parts) > 2 and _COUNTRY.fullmatch(parts[-1]):
        parts = parts[:-1]  # "ROLE, Department of Internal Affairs, New Zealand"
    if len(parts) > 1 and ctx.is_organisation(parts[-1]):
        return ", ".join(parts[:-1]), parts[-1]
    return split_role(", ".join(parts), ctx)


def _chaired(text: str) -> set[str]:
    """People the text names as chairing or introducing: "chaired by X", "X (Chair)"."""
    names: set[str] = set()
    if " by " not in text.lower() and "(" not in text and "[" not in text:
        return names
    for match in _CHAIRED.finditer(text):
        if name := person_name(match.group("name") or match.group("named") or match.group("inchair")):
            names.add(_norm_name(name))
    return names


_SALIENT_MENTIONS = 3  # a person named this often, and far more than anyone else, is the page's subject
_SPEAKER_KEYS = ("speaker", "speakers", "presenter", "presenters", "keynote", "keynote speaker", "delivered by",
                 "speaker name", "panel", "panellists", "panelists", "witness", "witnesses")
_GUEST_KEYS = ("guest", "guests", "interviewee", "interviewees")


def _metadata_chairs(ctx: _Context) -> set[str]:
    """People a page's front matter names as running the session (host, presenter of a podcast, chair)."""
    meta = {re.sub(r"[\s_-]+", " ", k.lower()).strip(): v for k, v in ctx.document.metadata.items()}
    keys = {"host", "hosts", "chair", "moderator", "interviewer", "facilitator"}
    if any(meta.get(k) for k in _GUEST_KEYS):
        keys |= {"presenter", "presenters"}
    return {_norm_name(e.name) for k in keys if meta.get(k) for e in _entries(meta[k], ctx)}


def _metadata_speakers(ctx: _Context) -> list[_Speaker]:
    """Speakers a page's front matter names: speaker, with role and organisation when given."""
    meta = {re.sub(r"[\s_-]+", " ", k.lower()).strip(): v for k, v in ctx.document.metadata.items()}
    # a podcast's guests are its speakers and its presenter the host; elsewhere a presenter presents a talk
    keys = _GUEST_KEYS if any(meta.get(k) for k in _GUEST_KEYS) else _SPEAKER_KEYS
    value = next((meta[k] for k in keys if meta.get(k)), None)
    if not value:
        return []
    evidence = Evidence(f"speaker: {value}", 0)
    entries = _entries(value, ctx)
    role = meta.get("role")
    org = meta.get("organisation") or meta.get("organization")
    if len(entries) == 1 and (role or org):
        entries[0].role = role or entries[0].role
        entries[0].organisation = org or entries[0].organisation
    return [_Speaker(e.name, e.role, e.organisation, evidence, 2) for e in entries]


def _fill_roles(speakers: list[_Speaker], ctx: _Context) -> None:
    """A role and body for speakers found without one, from where the text names them with it."""
    for speaker in [s for s in speakers if s.role is None][:12]:
        for sentence in ctx.sentences:
            if speaker.name not in sentence.text:
                continue
            match = next((m for pattern in _role_patterns(speaker.name) if (m := pattern.search(sentence.text))), None)
            if match and (_ROLE_WORDS.search(role := match.group("role")) or _LOWER_TITLE_WORD.search(role)):
                speaker.role, org = _role_and_org(re.split(r",\s+", role), ctx)
                speaker.organisation = speaker.organisation or org
                break
    _heading_entry_roles(speakers, ctx)
    _first_person_roles(speakers, ctx)


@lru_cache(maxsize=1024)
def _role_patterns(name: str) -> tuple[re.Pattern[str], ...]:
    """"NAME, ROLE,", "ROLE NAME", "the ROLE, NAME,", "NAME is the ROLE of X", "NAME (ROLE, ORG)" and
    "NAME – ROLE, ORG" for one name, compiled once (names recur across documents)."""
    escaped = re.escape(name)
    after = re.compile(
        rf"{escaped}(?:\s+{POST_NOMINALS}){{0,4}}(?:\s*\([^)]{{1,60}}\))?,\s+"
        rf"(?P<role>(?:the\s+)?[A-Z][^,;]{{1,120}}?)(?:,|;|\.?$|\.\s)"
    )
    before = re.compile(
        rf"(?P<role>{_ROLE_WORDS.pattern}(?:\s+(?:of|for|and|the|on|[A-Z][\w-]*)){{0,8}}?)"
        rf"\s+(?:{HONORIFICS}\s+){{0,3}}{escaped}\b"
    )
    comma_before = re.compile(
        rf"\b(?:[Tt]he|by|[Bb]y\s+the)\s+(?P<role>(?:[A-Z][\w'’-]*|of|for|and|the|with|on)(?:\s+(?:[A-Z][\w'’-]*|of|for|and"
        rf"|the|with|responsibility|on|,(?=\s+[A-Z]))){{0,16}}?),\s+(?:{HONORIFICS}\s+){{0,3}}{escaped}\b"
    )
    is_a = re.compile(
        rf"{escaped},?\s+(?:who\s+)?(?:is|was|has\s+been|became|serves\s+as)\s+(?:the\s+|a\s+|an\s+|now\s+)?"
        rf"(?P<role>(?:[\w'’-]+\s+){{0,4}}?(?:{_ROLE_WORDS.pattern}|\b(?:{_LOWER_TITLE}))\b[^,;.]{{0,100}}?)"
        rf"(?=[,;.]|\s+(?:since|until|and\s+(?:has|is|was|leads))|$)"
    )
    bracketed = re.compile(rf"{escaped}(?:\s+{POST_NOMINALS}){{0,4}}\s+[(–—|]\s*(?P<role>[A-Z][^()|]{{2,140}}?)\s*(?:\)|$)")
    return after, before, comma_before, is_a, bracketed


def _heading_entry_roles(speakers: list[_Speaker], ctx: _Context) -> None:
    """A fuller title from a heading line that is only the speaker and it: "Jane Roe, ROLE, ORG"."""
    wanting = {_norm_name(s.name): s for s in speakers if s.completeness() < 2}
    for sentence in ctx.sentences if wanting else []:
        text = sentence.text
        if not sentence.is_heading or "," not in text or ":" in text or len(text) > 200:
            continue
        entries = _entries(sentence.text, ctx)
        if len(entries) == 1 and _ROLE_WORDS.search(entries[0].role or "") and (
            speaker := wanting.get(_norm_name(entries[0].name))
        ):
            entry = entries[0]
            if (entry.role is not None) + (entry.organisation is not None) > speaker.completeness():
                speaker.role, speaker.organisation = entry.role, entry.organisation


def _first_person_roles(speakers: list[_Speaker], ctx: _Context) -> None:
    """The one speaker of a first-person text: role from "my first speech as a minister", body from
    "my department, the X" or "what we have been doing at X"."""
    if len(speakers) != 1 or (speakers[0].role and speakers[0].organisation):
        return
    speaker = speakers[0]
    for sentence in ctx.sentences:
        if speaker.role is None and (match := _AS_ROLE.search(sentence.text)):
            role, org = split_role(match.group("role"), ctx)
            speaker.role = (role or match.group("role"))[:1].upper() + (role or match.group("role"))[1:]
            speaker.organisation = speaker.organisation or org
        if speaker.role is None and (match := _AS_TITLE.search(sentence.text)) and _ROLE_WORDS.match(
            match.group("role")
        ):
            speaker.role, org = split_role(match.group("role"), ctx)
            speaker.organisation = speaker.organisation or org
        if speaker.organisation is None and (org := _first_person_org(sentence.text, ctx)):
            speaker.organisation = org
    if speaker.role and speaker.organisation is None:
        speaker.organisation = _body_of_title(speaker.role, ctx)


def _body_of_title(role: str, ctx: _Context) -> str | None:
    """The one body named in the text that a title is formed from: a Commissioner's Commission."""
    head = role.split()[0].lower()
    bodies = {name for name in ctx.full_names.values()
              if len(last := name.split()[-1].lower()) > 5 and head.startswith(last.removesuffix("ion"))}
    return bodies.pop() if len(bodies) == 1 else None


def _role_from_match(match: re.Match[str], ctx: _Context) -> tuple[str | None, str | None]:
    groups = match.groupdict()
    if groups.get("run"):
        return _split_title_run(groups["run"])
    if groups.get("org"):
        role = groups.get("role")
        return (role.strip() if role else None), groups["org"].strip()
    if groups.get("role"):
        return split_role(groups["role"], ctx)
    return None, None


def _heading_speakers(sentence: Sentence, ctx: _Context) -> list[_Speaker]:
    text = sentence.text
    if _NAVIGATION.match(text):  # "Next: Jane Roe - 2018 Speech on X" links to another page
        return []
    if (caption := _CAPTION.match(text)) and (name := person_name(caption.group("name"))):
        return [_Speaker(name, None, None, sentence.evidence, 2)]
    matches = [p.match(text) for p in (_HEADING_SPEAKER, _HEADING_ON, _HEADING_AT, _HEADING_NAME_SPEECH,
                                       _HEADING_WITH, _HEADING_NAME_ON)]
    if kind := _SPEECH_TEXT.search(text):
        matches += _HEADING_FOR.finditer(text, kind.end())
    for match in matches:
        if match and (name := _resolved_name(_POSSESSIVE_S.sub("", match.group("name")), ctx)):
            role, org = split_role(match.groupdict().get("role") or "", ctx)
            return [_Speaker(name, role, org, sentence.evidence, 2)]
        if match and (titled := _titled_name(match.group("name"))):
            return [_Speaker(titled[1], titled[0], None, sentence.evidence, 2)]
    return []


def _titled_name(words: str) -> tuple[str, str] | None:
    """("Executive Vice-President", "Jane Roe") from a title written before a name, which nameparser
    does not know as a title."""
    parts = words.split()
    if len(parts) < 3 or not _ROLE_WORDS.search(title := " ".join(parts[:-2])):
        return None
    name = person_name(" ".join(parts[-2:]))
    return (title, name) if name else None


def _merge_speakers(found: list[_Speaker]) -> list[_Speaker]:
    """One entry per person (a later surname-only mention is the same person)."""
    strongest = max((s.strength for s in found), default=0)
    # the strongest cue decides who spoke (and a weaker one said at the event, in a round-up of it); any
    # mention of those people may give their title
    chosen = {_norm_name(s.name) for s in found
              if s.strength == strongest or _AT_THE_EVENT.search(s.evidence.sentence)}
    merged: dict[str, _Speaker] = {}
    for speaker in sorted(found, key=lambda s: -s.strength):
        key = _norm_name(speaker.name)
        if key not in chosen:
            continue
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


def _first_person_org(text: str, ctx: _Context) -> str | None:
    """The body a speaker calls their own: "my department, the X", "what we are doing at X"."""
    if match := _MY_BODY.search(text):
        org = ctx.gazetteer_org_in(match.group("org"))
        if org and match.group("org").startswith(org):
            return org
        words = re.match(_ORG_PHRASE, match.group("org"))
        return words.group(0) if words and ctx.is_organisation(words.group(0)) else None
    if (match := _WORK_AT.search(text)) and ctx.is_organisation(org := match.group("org").rstrip(".")):
        return org
    return None


def _split_title_run(run: str) -> tuple[str | None, str | None]:
    """("Minister", "Cabinet Office") from "Cabinet Office Minister": the body is the longest start
    of the words that ends in an organisation noun."""
    words = run.split()
    for end in range(len(words) - 1, 0, -1):
        if _ORG_WORDS.fullmatch(words[end - 1]):
            return " ".join(words[end:]), " ".join(words[:end])
    return run, None
