"""Themes and pressures: vocabulary concepts whose wordings the text uses, organisation names masked.

Pressures are found the way political scientists build topic dictionaries (the Lexicoder Topic
Dictionaries, LIWC): each pressure has families of weighted cues, stems and short stem patterns, and
a sentence names the pressure when the families its cues come from weigh PRESSURE_THRESHOLD or more.
A family counts once however many of its cues a sentence has, so "money" and "fund" together are
still only money; it takes money and strain ("budgets are tight") to make a financial pressure.
The SKOS labels in ontology/pressures.ttl are cues of full weight.

Cues do not count in a sentence that lists an event's tracks, topics or tags, in menus and
"Related stories" lists, inside titles, proper names, hashtags and @handles, or right after a
negation ("this is not about saving money").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from .context import _Context
from .lexicon import _raw_tokens, _stems, stem_tokens
from .model import ConceptFact, Evidence
from .text import Sentence

MAX_THEMES = 8

PRESSURE_THRESHOLD = 1.0

# The pressure dictionary: per pressure, families of (weight, cues). A cue is words as written, lower
# case, apostrophes dropped and hyphens as spaces ("re key*" is "re-keying"); a word ending in "*" is
# any word it begins ("efficien*"), "a|b" is either word, and "~" skips up to GAP words ("~2" up to
# two: a subject and its verb, "users now expect", are close). Inflections
# are spelled out rather than stemmed: "customers" must not match "Customs", nor "posts" "posting".
_PUBLIC = ("people|peoples|users|user|citizens|citizen|public|customer*|residents|patients|"
             "claimants|applicant*|families|parents|businesses|consumers|everyone|voters|taxpayers|"
             "motorists|travellers|students|canadians|australians|americans|europeans|britons|them|"
             "someone|somebody|nobody")
_SUBJECTS = f"they|them|{_PUBLIC}"
_GOVERNMENT = "government|governments|we|departments|agencies|councils|state|authorities|ministries"
_MONEY = "budget*|money|funding|spending|cost|costs|finances|resources|grant|grants|settlement|settlements"
_STRAIN = ("cut|cuts|cutting|squeez*|tight*|shrink*|shrank|shrunk|reduc*|fall|falls|falling|fallen|"
           "fell|flat|frozen|freez*|slash*|constrain*|stretch*|scarce*|limited|lower|lowering|trim*|smaller|"
           "pressure|pressures|strain|strained|strains")
_CHANNEL = ("online|phone|phones|phoning|phoned|telephone|queue*|wait|waits|waiting|waited|calls|"
            "calling|paper|post|posting|app|apps|website|websites")
_FRICTION = "still|stuck|struggl*|confus*|abandon*|wrong|difficult|hard|clunky|slow|delay*|fail*"
_OLD = "old|older|oldest|ageing|aging|outdated|antiquated|obsolete|archaic|creaking|ancient"
_KIT = ("system|systems|software|platform|platforms|kit|tool|tools|computer*|database*|screen|screens|"
        "machines|hardware")
_TOOLS = f"{_KIT}|technology|technologies|infrastructure|code"
_STAFF = ("staff|caseworker*|clinician*|colleagues|servants|officials|worker|workers|teachers|nurse|"
          "nurses|employees|officers|agents|frontline")
_ASSETS = ("data|information|records|details|privacy|identity|identities|systems|account|accounts|"
           "networks|passwords")
PRESSURE_CUES: dict[str, tuple[tuple[float, tuple[str, ...]], ...]] = {
    "financial": (
        (1.0, ("austerity", "spending review*", "efficiency saving*", "efficiency target*",
               "value for money", "cost saving*", "cost cut*", "cash terms", "real terms",
               "running cost*", "cost of running", f"{_MONEY} ~ {_STRAIN}", f"{_STRAIN} ~ {_MONEY}",
               "cost|costs ~ down", "save|saves|saved|saving|savings ~ million*|billion*|pounds|dollars",
               "less money", "more with less", "more for less", "taxpayer*", "public financ*",
               "public purse", "public money", "fiscal*", "deficit*", "within existing resources|budget*",
               "financial pressure*|constraint*|context|challenge*|situation|climate|position|crisis",
               "funding gap*|shortfall*|squeeze", "shortfall*", "over the odds",
               "wast* ~ money|millions|billions", "every pound|penny|dollar|euro|cent", "belt tighten*",
               "cheaper to run", "affordab*", "tough|difficult|hard ~ financial|fiscal|spending",
               "savings", "no money|funding|cash", "isnt|not|lack|short the|enough|of money|funding|cash")),
        (0.6, ("budget*", "money", "fund|funds|funding|funded", "spend|spends|spending|spent",
               "cost|costs|costly|costing", "expensive", "cheap*", "financ*", "pound|pounds",
               "dollars", "euros", "capital", "pot", "invest*", "price*", "bill|bills",
               "grant|grants")),
        (0.5, (_STRAIN, "save|saves|saved|saving|savings", "afford*", "efficien*", "wisely",
               "not keeping|keep|kept pace", "standing still", "compete|competes|competing",
               "cannot|cant|unable", "choices", "trade off*")),
    ),
    "user-demand": (
        (1.0, (f"{_PUBLIC} ~2 expect|expects|expected|expecting|demand|demands|demanding|demanded|"
               "frustrated|frustration|impatient|complain*", f"{_PUBLIC} ~2 fed up",
               "rising|growing|higher|changing|public|user|users|citizen|citizens|customer|customers|"
               "their|peoples ~ expectation*",
               "expect|expects|expected|expecting ~ as easy|easily|simple|simply|good|quick*|fast|well",
               "channel shift*", "digital take up", "digital uptake", "take up of ~ online|digital",
               "demand for|on ~ services|online|digital", "rising|growing|increasing|surging ~ demand",
               "fed up", "waiting time*", "waiting list*", f"{_FRICTION} ~ {_CHANNEL}",
               "rising|growing|increasing|surging ~ volumes|calls|traffic",
               "volume|volumes ~ rising|growing|increas*|doubled|surg*",
               f"{_CHANNEL} ~ {_FRICTION}")),
        (0.6, (f"{_SUBJECTS} ~2 want|wants|wanted|wanting|wish|wishes|prefer*|choose|chose|choosing|"
               "assume*|ask|asks|asked|asking|judge*|notice*|deserve*|accustom*|rightly|increasingly|rather|"
               "wait|waits|waiting|waited|queue*",
               "impatien*", "frustrat*", "patience", "not going back", "go|going|gone elsewhere",
               "give|gave|giving up", "expect|expects|expected|expecting", "expectation*",
               "demand|demands", "used to doing|using|being|getting", "take up", "uptake", "convenien*")),
        (0.5, ("online", "phone|phones|phoning|phoned|telephone*", "app|apps", "mobile*",
               "smartphone*", "laptop*", "tablet*", "device*", "website*", "queue*",
               "wait|waits|waiting|waited", "on hold", "office hours", "nine to|and five",
               "contact centre*|center*", "call centre*|center*", "calls", "by post", "paper form*",
               "print|printed|printing|printer*", "mail|mailed|mailing", "posting", "in person",
               "face to face", "at night", "evening*", "weekend*", "kitchen table*", "from home",
               "self service", "digital channel*", "channel|channels", "24 7", "round the clock")),
        (0.5, ("bank|banks|banking", "shop|shops|shopping", "takeaway*",
               "book|books|booking ~ travel|holiday*|taxi*|tickets|flight*|tables", "amazon", "uber",
               "netflix", "their lives", "everyday", "the best ~ services",
               "as easily|easy|simple|quickly|smoothly|seamless* as", "the way they", "private sector",
               "retail*")),
    ),
    "internal-tools": (
        (1.0, ("legacy", "mainframe*", "case management system*|tool*|software",
               "casework system*|tool*", "green screen*", "back office|offices", "back end system*",
               "workaround*", "re type|typed|typing|types|key*|enter*", "rekey*", "retyp*",
               "double key*", "double entry", "internal system*|tool*|technology|it",
               "in house system*|tool*", f"tool|tools ~ {_STAFF}", f"{_OLD} ~ {_TOOLS}",
               f"{_TOOLS} ~ {_OLD}")),
        (0.5, (_STAFF, "case worker*", "case manager*", "civil servants", "public servants",
               "front line", "our own people", "examiner*", "operator*", "internal*", "in house",
               "social worker*", "call handler*")),
        (0.5, (_KIT, "spreadsheet*", "login|logins", "log|logged|logging|logs in|into|on",
               "password*", "desktop*", "terminal*", "files|fax|faxes")),
        (0.5, ("by hand", "manual|manually", "copy|copies|copied|copying", "twice",
               "three|four|five times", "type|typed|typing|types ~ again|into|in", "retyp*",
               "work|works|working|worked around", "clunk*", "never designed",
               "talk to each other", "fit together", "dont|not|wont|cannot|cant talk",
               "different|separate|multiple|several|numerous|disconnected|siloed ~ "
               "systems|screens|applications|logins|databases|passwords|tools|apps",
               "decades", "1960s|1970s|1980s|1990s", "born", "patch|patches|patching|patched",
               "outage*", "embarrass*", "error|errors", "mistake*", "rework", "hunting",
               "flick*|switch* between", "re enter*", "paper based", "paperwork", "admin")),
    ),
    "security": (
        (1.0, ("cyber*", "security", "securely", "fraud*", "phishing", "ransom*",
               "hack|hacks|hacked|hacking|hacker|hackers", "breach|breaches|breached", "malware",
               "criminals", "scam|scams|scammer*", "theft", "steal|steals|stealing|stole|stolen",
               "hostile state*", "espionage", "denial of service", "data leak*",
               "hostile|malicious|threat|bad ~ actor*", "wrong hands",
               f"protect|protects|protected|protecting ~ {_ASSETS}",
               f"protection of ~ {_ASSETS}", f"safeguard|safeguards|safeguarding ~ {_ASSETS}",
               "encrypt*", f"keep|keeps|keeping|kept ~ {_ASSETS} ~ safe|secure",
               "safe|secure from ~ attack*|threat*|criminals|fraud*",
               f"{_ASSETS} ~ safe|secure|securely|protected")),
        (0.6, ("attack|attacks|attacked|attacker*", "threat|threats|threaten*", "vulnerab*",
               "weakness*", "misuse*", "probing", "intruder*", "adversar*", "hostile", "malicious",
               "break|breaks|breaking|broke in|into",
               "spy|spies|spying", "leak|leaks|leaked", "criminal", "exploit|exploited",
               "compromise|compromised", "impersonat*", "take|taken|taking over ~ accounts")),
        (0.5, ("protect|protects|protected|protecting", "guard|guards|guarded|guarding",
               "safeguard*", "safe|safely|safety|safer", "secure|securing|secured", "privacy",
               "confidential*", "sensitive", "out of reach", "authenticat*", "resilien*",
               "trust|trusted ~ with")),
        (0.4, (_ASSETS,)),
    ),
    "procurement": (
        (1.0, ("procur*", "tender|tenders|tendering|tendered", "outsourc*",
               "lock|locks|locked|locking in|into", "vendor|supplier lock*", "systems integrator*",
               "sme|smes", "medium sized", "level playing field", "g cloud", "digital marketplace",
               "digital outcomes and specialists",
               f"how ~ {_GOVERNMENT}|sector ~ buy|buys|bought|buying|purchas*|commission*|procur*|"
               "spend|spends",
               "buy|buys|buying|bought|purchas*|commission|commissions ~ "
               "technology|software|systems|services|solutions",
               "commercial ~ team|teams|function|people|capability|staff|deal|deals|arrangements|model",
               "framework agreement*|contract*", "framework ~ supplier*",
               "public buyers", "long|longer|shorter|short|giant|big|large|huge|lengthy|year|multi|"
               "monolithic ~ contract|contracts",
               "award|awards|awarded|awarding|sign|signs|signed|signing|renew* ~ contract|contracts",
               "monopol*", "switch|switching ~ supplier*|provider*|vendor*",
               "sell|sells|selling|sold to ~ government|public|councils|departments|state|sector|agencies")),
        (0.5, ("buy|buys|buying|bought", "buyer*", "purchas*", "acquisition*", "commissioning*",
               "commissioned")),
        (0.5, ("supplier*", "vendor*", "contractor*", "provider|providers", "company|companies",
               "firms", "a|the|one|small|smaller|tech|software firm", "industry", "integrator*",
               "market|markets|marketplace*",
               "small|smaller|local ~ firms|companies|businesses|suppliers|providers|vendors|enterprises",
               "start ups|startups")),
        (0.5, ("contract|contracts|contracted|contracting", "bid|bids|bidding", "framework|frameworks",
               "deals", "renewal*", "licen*", "compete|competes|competing", "competition*",
               "competitive*")),
    ),
}
GAP = 4
_NEGATORS = frozenset(["not", "never", "isnt", "arent", "wasnt", "werent", "nothing"])
_NOT_NEGATING = frozenset(["only", "just", "simply", "merely", "least", "always"])

# Sentences whose cues are an event's programme or a page's labels, not the speaker's words.
_PROGRAMME = re.compile(
    r"\b(?:tracks|track\s*:|topics?|expos?|exhibitions?|exhibitors?|hashtags?|tags|tagged|"
    r"categor(?:y|ies)|filed under|tickets?|sponsor(?:s|ed|ship)?|sign up|book your place|refreshments)\b|"
    r"\b(?:sessions?|webinars?|workshops?|panels?|breakouts?|"
    r"seminars?|masterclass(?:es)?|streams?)\s+(?:on|about|cover(?:s|ed|ing)?|include[sd]?|including)\b",
    re.IGNORECASE,
)
_LABEL_LINE = re.compile(r"^[A-Z][\w ]{1,20}:\s")
_CHROME_HEADING = re.compile(
    r"^(?:related|more (?:from|on|news|stories)|most (?:read|popular)|latest|popular|trending|"
    r"read (?:more|next)|see also|you may|recommended|further reading|in this section|explore)\b",
    re.IGNORECASE,
)
# Words that carry a cue but are not one: names of programmes and bodies, titles, hashtags.
_HANDLE = re.compile(r"[#@][\w.]{1,60}")
_NOT_CUES = re.compile(
    r"\b(?:social|food|job|energy|income|pension|financial|economic|water)\s+security\b|"
    r"\bsafety\s+nets?\b|\bhealth and safety\b",
    re.IGNORECASE,
)
# Names that are the pressure itself, fiscal events and buying frameworks: not proper names to mask.
_PRESSURE_NAMES = re.compile(
    r"\b(?:Comprehensive\s+)?Spending\s+Reviews?\b|\b(?:Autumn|Spring)\s+Statements?\b|"
    r"\bG-Cloud\b|\bDigital\s+(?:Marketplace|Outcomes\s+and\s+Specialists)\b")
_WORD = r"[A-Z][\w'’&.-]{0,30}"
_PROPER_NAME = re.compile(
    rf"(?<![\w'’]){_WORD}(?:\s+(?:(?:of|and|for|the|on|in|to|&)\s+){{0,2}}{_WORD}){{1,10}}")
_QUOTED_TITLE = re.compile(r"(?<!\w)[‘“\"'](?P<title>[^‘“\"’”\n]{2,120})[’”\"'](?!\w)")
_TITLE_CUE = re.compile(r"\b(?:called|titled|entitled|named|report|review|paper|book|session|talk)\W*$",
                        re.IGNORECASE)


# A cue's word: the words it may be as written, the stems it may have (the vocabulary's labels
# are matched on stems), and the beginnings it may have; a number is a gap of up to that many words.
_Step = tuple[frozenset[str], frozenset[str], tuple[str, ...]] | int


@dataclass(frozen=True)
class _Cue:
    pressure: str
    family: int
    weight: float
    text: str
    steps: tuple[_Step, ...]


@dataclass(frozen=True)
class _Dictionary:
    """Cues indexed by their first word: as written, as a stem, or by its beginning."""

    by_word: Mapping[str, tuple[_Cue, ...]]
    by_stem: Mapping[str, tuple[_Cue, ...]]
    by_prefix: Mapping[str, tuple[_Cue, ...]]
    prefix_lengths: tuple[int, ...]
    seen: dict[tuple[str, str], tuple[_Cue, ...]] = field(default_factory=dict, compare=False)

    def starting_at(self, word: str, stem: str) -> tuple[_Cue, ...]:
        """The cues whose first word this word (with this stem) can be, worked out once per word."""
        if (cues := self.seen.get((word, stem))) is None:
            found = [*self.by_word.get(word, ()), *self.by_stem.get(stem, ())]
            for length in self.prefix_lengths:
                if length > len(word):
                    break
                found += self.by_prefix.get(word[:length], ())
            cues = self.seen[(word, stem)] = tuple(found)
        return cues


def find_pressures(ctx: _Context, spoken: list[tuple[Sentence, str]]) -> list[ConceptFact]:
    """The pressures some sentence names, each with the first such sentence as evidence.

    `spoken` is what spoken_sentences gives, worked out once for pressures and themes alike.
    """
    dictionary = _pressure_dictionary(_label_key(ctx.lexicon.pressures))
    hits: dict[str, list[Evidence]] = {}
    listed = False  # in a list a sentence of the text introduces ("named five forces:")
    for sentence, own_words in spoken:
        if sentence.text.rstrip().endswith(":"):
            listed = True
        elif not sentence.is_heading:
            listed = False
        if _is_topic_label(sentence) and not listed:
            continue
        text = _pressure_text(own_words)
        for key, score in _scores(dictionary, text).items():
            if score >= PRESSURE_THRESHOLD:
                hits.setdefault(key, []).append(sentence.evidence)
    facts = [_concept(key, ctx.lexicon.pressures[key][0], found) for key, found in hits.items()]
    order = list(PRESSURE_CUES)
    return sorted(facts, key=lambda f: (f.evidence.start, order.index(f.key)))


def _is_topic_label(sentence: Sentence) -> bool:
    """A heading of three words or fewer ("Cyber security" over a list of topics) names a topic, not a
    pressure acting on government, unless a sentence of the text introduces the list it is in. (Questions
    were tried too: they cost recall on held-out text, since speakers ask them of themselves.)"""
    return sentence.is_heading and len(sentence.text.split()) <= 3


def _concept(key: str, label: str, evidence: list[Evidence]) -> ConceptFact:
    """A concept with every sentence that named it, the first as its main evidence."""
    return ConceptFact(key, label, evidence[0], tuple(evidence[1:]))


_Labels = tuple[tuple[str, tuple[str, ...]], ...]


def _label_key(pressures: Mapping[str, tuple[str, tuple[str, ...]]]) -> _Labels:
    """The vocabulary's phrases in a hashable form, so the dictionary is built once per vocabulary."""
    return tuple(sorted((key, phrases) for key, (_, phrases) in pressures.items()))


@cache
def _pressure_dictionary(labels: _Labels) -> _Dictionary:
    """PRESSURE_CUES and the vocabulary's labels (on stems, full weight, a family of their own)."""
    cues: list[_Cue] = []
    for key, families in PRESSURE_CUES.items():
        for family, (weight, patterns) in enumerate(families):
            cues += [_Cue(key, family, weight, p, _compile(p)) for p in patterns]
    for key, phrases in labels:
        cues += [_Cue(key, -1, PRESSURE_THRESHOLD, p,
                      tuple((frozenset(), frozenset([s]), ()) for s in stem_tokens(p)))
                 for p in phrases]
    index: tuple[dict[str, list[_Cue]], ...] = ({}, {}, {})
    for cue in cues:
        if isinstance(cue.steps[0], int):
            raise ValueError(f"a cue cannot begin with a gap: {cue.text!r}")
        for table, texts in zip(index, cue.steps[0], strict=True):
            for text in texts:
                table.setdefault(text, []).append(cue)
    by_word, by_stem, by_prefix = ({k: tuple(v) for k, v in table.items()} for table in index)
    return _Dictionary(by_word, by_stem, by_prefix, tuple(sorted({len(k) for k in by_prefix})))


def _compile(pattern: str) -> tuple[_Step, ...]:
    """A cue's words as steps: each a word's alternatives (as written or by beginning), or a gap."""
    steps: list[_Step] = []
    for word in pattern.split():
        alternatives = word.split("|")
        steps.append(int(word[1:] or GAP) if word.startswith("~") else (
            frozenset(w for w in alternatives if not w.endswith("*")), frozenset(),
            tuple(w[:-1] for w in alternatives if w.endswith("*"))))
    return tuple(steps)


def _speaker_sentences(sentences: Iterable[Sentence]) -> Iterable[Sentence]:
    """Sentences that can name a pressure or a theme: not programmes, labels, menus or "Related" lists."""
    in_chrome = False
    for sentence in sentences:
        text = sentence.text
        if sentence.is_heading and _CHROME_HEADING.match(text.lstrip("#-•* ")):
            in_chrome = True
            continue
        in_chrome = in_chrome and sentence.is_heading
        if in_chrome or _PROGRAMME.search(text):
            continue
        if sentence.is_heading and (_LABEL_LINE.match(text) or "|" in text):
            continue
        if text.count("|") >= 2 or text.count("·") >= 2:
            continue
        yield sentence


def spoken_sentences(ctx: _Context, event_title: str | None) -> list[tuple[Sentence, str]]:
    """The sentences that can name a pressure or a theme, each with its text less organisation
    names, the event's own name (when longer than 3 characters) and @handles."""
    spoken: list[tuple[Sentence, str]] = []
    for sentence in _speaker_sentences(ctx.sentences):
        text = _masked(ctx, sentence)
        if event_title and len(event_title) > 3:
            text = text.replace(event_title, " ")
        spoken.append((sentence, _HANDLE.sub(" ", text)))
    return spoken


def _pressure_text(own_words: str) -> str:
    """A spoken sentence's own words without the rest a speaker does not say as their own: titles, tags."""
    text = _NOT_CUES.sub(" ", own_words)
    text = _QUOTED_TITLE.sub(lambda m: " " if _is_title(m, text) else m.group(0), text)
    text = _PRESSURE_NAMES.sub(lambda m: m.group(0).lower(), text)
    return _PROPER_NAME.sub(" ", text)


def _is_title(match: re.Match[str], text: str) -> bool:
    """A quotation that is a title (named as one, or mostly capitalised), not reported speech."""
    words = match.group("title").split()
    if _TITLE_CUE.search(text, 0, match.start()) and len(words) <= 15:
        return True
    capitalised = sum(1 for w in words if w[:1].isupper())
    return len(words) <= 12 and capitalised * 2 > len(words)


def _scores(dictionary: _Dictionary, text: str) -> dict[str, float]:
    """Each pressure's weight in one sentence: the sum over families with an unnegated cue."""
    raw = _raw_tokens(text)
    stems = _stems(raw)
    found: dict[tuple[str, int], float] = {}
    for i, (word, stem) in enumerate(zip(raw, stems, strict=True)):
        for cue in dictionary.starting_at(word, stem):
            if (cue.pressure, cue.family) not in found and _matches(cue.steps, 1, i + 1, raw, stems) \
                    and not _negated(raw, i):
                found[(cue.pressure, cue.family)] = cue.weight
    scores: dict[str, float] = {}
    for (pressure, _), weight in found.items():
        scores[pressure] = scores.get(pressure, 0.0) + weight
    return scores


def _matches(steps: tuple[_Step, ...], step: int, at: int, raw: list[str], stems: list[str]) -> bool:
    """Whether the cue's steps from `step` on match the words from `at` on (a gap tries each length)."""
    if step == len(steps):
        return True
    alternatives = steps[step]
    if isinstance(alternatives, int):
        return any(_matches(steps, step + 1, at + skip, raw, stems) for skip in range(alternatives + 1))
    if at >= len(raw):
        return False
    words, stems_, beginnings = alternatives
    if raw[at] in words or stems[at] in stems_ or (beginnings and raw[at].startswith(beginnings)):
        return _matches(steps, step + 1, at + 1, raw, stems)
    return False


def _negated(raw: list[str], at: int) -> bool:
    """A negation in the four words before a cue ("not a cost-cutting exercise"), not "not only"."""
    for i in range(max(0, at - 4), at):
        if raw[i] in _NEGATORS and (i + 1 == at or raw[i + 1] not in _NOT_NEGATING):
            return True
    return False


def find_themes(ctx: _Context, spoken: list[tuple[Sentence, str]]) -> list[ConceptFact]:
    """The document's main themes: specific over general, frequent over passing, at most 8.

    The event's own name is masked too: "Think Cloud for Digital Government" is not a theme. Like
    pressure cues, theme wordings do not count in programmes, menus and "Related" lists, nor inside
    a capitalised name or job title ("Chief Data Officer", "Minister for Digital Economy") unless
    the vocabulary writes that wording as a name itself ("Digital Service Standard"). Headings
    are written in title case, so their capitals are not names.
    """
    hits: dict[str, list[Evidence]] = {}
    for sentence, own_words in spoken:
        for key in _theme_keys(ctx, sentence, own_words):
            hits.setdefault(key, []).append(sentence.evidence)
    found = set(hits)
    specific = [k for k in found if not any(k in ctx.lexicon.broader.get(o, ()) for o in found)]
    ranked = sorted(specific, key=lambda k: (-len(hits[k]), hits[k][0].start, k))  # a total order
    return [_concept(k, ctx.lexicon.themes[k][0], hits[k]) for k in ranked[:MAX_THEMES]]


def _theme_keys(ctx: _Context, sentence: Sentence, text: str) -> set[str]:
    """Themes a sentence names in its own words (text, from spoken_sentences), and those whose names
    it writes as names."""
    if sentence.is_heading and not _LABEL_LINE.match(text) and "(" not in text:
        return ctx.lexicon.theme_matcher.find(text)
    keys = ctx.lexicon.theme_matcher.find(_PROPER_NAME.sub(" ", text))
    for name in _PROPER_NAME.finditer(text):
        keys |= ctx.lexicon.theme_name_matcher.find(name.group(0))
    return keys


def _masked(ctx: _Context, sentence: Sentence) -> str:
    """The sentence with organisation names blanked out."""
    text = sentence.text
    for words in ctx.names_in_sentence.get(sentence.start, ()):
        text = text.replace(words, " ")
    return text
