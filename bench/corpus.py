"""Synthetic write-ups of public speeches about digital government, for benchmarks at any scale.

    python bench/corpus.py OUT_DIR --count 1000 [--seed 7]

The documents look like the ones in data/: about half plain text, a quarter Markdown (front
matter, headings, label lists) and a quarter HTML pages with a cookie banner, navigation,
breadcrumbs, related links and a footer around the <article> or <main>. Each names its speaker
with a role and an organisation in the phrasings the extractor reads ("Jane Smith, Head of
Digital at the Home Office, spoke at ..."), an event with its host, format and date (14 July 2014
or 14/07/2014), and 4 to 12 paragraphs in which themes, pressures and departments appear under
the labels and alternative wordings of ontology/themes.ttl, pressures.ttl and organisations.ttl.

Skew is realistic: speakers come from a pool of about count/6 names drawn with a Zipf-like
weight (a few speak very often), themes, pressures, departments and hosts are Zipf-skewed too,
and dates spread over 2010-2024. About 10% of the documents say they follow or refer to an
earlier document's speech, naming its speaker and exact title, so the references resolve.

Only the standard library is used and the vocabularies are read with a few regular expressions,
so 50,000 documents take seconds. The same count and seed always give the same files.
"""

from __future__ import annotations

import argparse
import html
import random
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology"
FIRST_YEAR, LAST_YEAR = 2010, 2024
REFERENCE_SHARE = 0.10
COSPEAKER_SHARE = 0.05
T = TypeVar("T")

# ---------------------------------------------------------------------------
# Vocabularies, read from the Turtle files with regular expressions (no rdflib: it is slow to load)
# ---------------------------------------------------------------------------

_BLOCK = re.compile(r"^([a-z]+:[\w-]+) a ([^;\n]+);(.*?)(?=^\S|\Z)", re.M | re.S)


def _values(body: str, predicate: str) -> list[str]:
    """The string objects of one predicate in a Turtle block, in file order."""
    match = re.search(rf'{predicate}\s+((?:"[^"\n]*"(?:@en)?\s*,\s*)*"[^"\n]*"(?:@en)?)', body)
    return re.findall(r'"([^"\n]*)"', match.group(1)) if match else []


def _blocks(file_name: str) -> Iterator[tuple[str, str, str]]:
    """(subject key, types, body) for every resource described in a vocabulary file."""
    text = (ONTOLOGY / file_name).read_text(encoding="utf-8")
    for match in _BLOCK.finditer(text):
        yield match.group(1).split(":", 1)[1], match.group(2), match.group(3)


@dataclass(frozen=True)
class Org:
    """An organisation as prose names it: "the Home Office", and "HMRC" for short."""

    key: str
    name: str
    abbreviation: str | None
    article: str
    government: bool

    @property
    def full(self) -> str:
        """The name with its article, as it reads mid-sentence."""
        return f"{self.article}{self.name}"

    @property
    def short(self) -> str:
        """The abbreviation where there is one (matched case-sensitively by the gazetteer)."""
        return self.abbreviation or self.full

    @property
    def plain(self) -> bool:
        """True when the name has no commas, so it can sit inside a comma-separated appositive."""
        return "," not in self.name

    @property
    def employs(self) -> bool:
        """Fit to follow a role ("Director at X"): a capital first letter and no possessive to split on."""
        return self.name[:1].isupper() and "'" not in self.name and "’" not in self.name


@dataclass(frozen=True)
class Vocabulary:
    """Themes, pressures and organisations, ordered so that a Zipf weight favours the usual ones."""

    themes: tuple[tuple[str, tuple[str, ...]], ...]
    title_phrases: tuple[tuple[str, ...], ...]
    pressures: tuple[tuple[str, tuple[str, ...]], ...]
    departments: tuple[Org, ...]
    hosts: tuple[Org, ...]


# Usual subjects first; the rest follow in a seeded order.
COMMON_THEMES = (
    "digital-transformation", "user-centred-services", "agile-and-iterative-working",
    "government-as-a-platform", "digital-by-default", "open-data", "legacy-technology",
    "cross-government-collaboration", "digital-skills-and-careers", "service-design",
    "data-sharing", "cloud-computing", "gov-uk", "identity-and-verification", "automation-and-ai",
)
COMMON_DEPARTMENTS = (
    "government-digital-service", "cabinet-office", "hm-revenue-customs", "department-for-work-pensions",
    "home-office", "ministry-of-justice", "hm-treasury", "nhs", "department-for-education",
    "central-digital-and-data-office", "ministry-of-defence", "department-for-transport",
    "driver-and-vehicle-licensing-agency", "land-registry", "companies-house",
    "department-of-health-and-social-care", "department-for-science-innovation-and-technology",
)
COMMON_HOSTS = (
    "institute-for-government", "civil-service-live", "reform-think-tank", "socitm", "techuk",
    "open-data-institute", "nesta", "policy-exchange", "local-government-association", "kable",
)
OTHER_HOSTS = ("Digital Leaders Network", "UKAuthority", "Northern Digital Society",
               "Public Service Design Lab", "GovCamp Network")


ORG_NOUNS = ("Office", "Department", "Ministry", "Agency", "Authority", "Service", "Services", "Institute",
             "Centre", "Center", "Commission", "Executive", "Administration", "Unit", "Group", "Function",
             "Partnership", "Association", "Foundation", "Society", "Network", "Lab", "Headquarters",
             "Government")


def _article(name: str, alt_labels: Sequence[str]) -> str:
    """ "the " where prose puts one before the name: the gazetteer says so, or the name is a body's."""
    if any(alt.startswith("the ") and name.startswith(alt[4:]) for alt in alt_labels):
        return "the "
    words = name.split()
    if len(words) < 2 or words[0] in ("HM", "The", "UK"):
        return ""
    body_first = words[0] in ("Department", "Ministry", "Office", "Agency")
    return "the " if body_first or words[-1] in ORG_NOUNS else ""


def _organisations() -> tuple[list[Org], list[Org]]:
    """(government departments, host organisations) from organisations.ttl."""
    departments: list[Org] = []
    hosts: list[Org] = []
    seen: set[str] = set()
    for key, types, body in _blocks("organisations.ttl"):
        if "gg:Department" not in types and "gg:Organisation" not in types:
            continue
        name = _values(body, "skos:prefLabel")[0]
        if name in seen:  # a historic body sharing a current one's name: the text cannot tell them apart
            continue
        seen.add(name)
        alt = _values(body, "skos:altLabel")
        abbreviations = [a for a in _values(body, "gg:abbreviation") if a.isalpha()]
        org = Org(key, name, abbreviations[0] if abbreviations else None, _article(name, alt),
                  "gg:Department" in types)
        (departments if org.government else hosts).append(org)
    return departments, hosts


def _concepts(file_name: str, kind: str, hidden: bool) -> list[tuple[str, tuple[str, ...]]]:
    """(key, phrases) per concept: the preferred label first, then alternative wordings."""
    concepts = []
    for key, types, body in _blocks(file_name):
        if kind not in types:
            continue
        phrases = _values(body, "skos:prefLabel") + _values(body, "skos:altLabel")
        if hidden:
            phrases += _values(body, "skos:hiddenLabel")
        concepts.append((key, tuple(dict.fromkeys(phrases))))
    return concepts


def _names_organisation(phrase: str, orgs: Sequence[Org]) -> bool:
    """True when a phrase contains an organisation's name, which the extractor masks out."""
    return any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", phrase)
               for org in orgs for n in (org.name, org.abbreviation) if n)


def _ranked(items: Sequence[T], key: Callable[[T], str], first: Sequence[str], seed: int) -> tuple[T, ...]:
    """The listed keys first, in order, then the rest in an order fixed by the seed."""
    head = [next(i for i in items if key(i) == k) for k in first if any(key(i) == k for i in items)]
    rest = sorted((i for i in items if key(i) not in first), key=key)
    random.Random(seed).shuffle(rest)
    return tuple(head + rest)


@cache
def vocabulary(seed: int = 7) -> Vocabulary:
    """The vocabularies as plain Python data, ranked for a Zipf-like skew."""
    departments, hosts = _organisations()
    orgs = departments + hosts
    themes = []
    for key, phrases in _concepts("themes.ttl", "gg:Theme", hidden=False):
        usable = tuple(p for p in phrases if not _names_organisation(p, orgs))
        if usable:
            themes.append((key, usable))
    ranked = _ranked(themes, lambda t: t[0], COMMON_THEMES, seed)
    titles = tuple(tuple(p for p in phrases if not re.search(r"[.,'’]", p)) or ("digital government",)
                   for _, phrases in ranked)
    pressures = _concepts("pressures.ttl", "gg:Pressure", hidden=True)
    others = [Org("", name, None, "the " if name.endswith(("Network", "Society", "Lab")) else "", False)
              for name in OTHER_HOSTS]
    return Vocabulary(
        themes=ranked,
        title_phrases=titles,
        pressures=_ranked(pressures, lambda p: p[0], ("financial", "user-demand", "procurement",
                                                       "security", "internal-tools"), seed),
        departments=_ranked(departments, lambda o: o.key, COMMON_DEPARTMENTS, seed),
        hosts=_ranked(hosts, lambda o: o.key, COMMON_HOSTS, seed) + tuple(others),
    )


# ---------------------------------------------------------------------------
# Skewed choice
# ---------------------------------------------------------------------------


def zipf_cumulative(count: int, exponent: float = 1.0, offset: float = 1.0) -> list[float]:
    """Cumulative Zipf-Mandelbrot weights: rank 1 is common, the tail long and thin."""
    return list(accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


@dataclass(frozen=True)
class Skewed(Generic[T]):
    """Items with cumulative Zipf weights, so each draw is one bisect."""

    items: tuple[T, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, items: Sequence[T], exponent: float = 1.0, offset: float = 1.0) -> Skewed[T]:
        return cls(tuple(items), tuple(zipf_cumulative(len(items), exponent, offset)))

    def one(self, rng: random.Random) -> T:
        """One item, drawn with the skew."""
        return rng.choices(self.items, cum_weights=self.cumulative)[0]

    def some(self, rng: random.Random, k: int) -> list[T]:
        """k distinct items (fewer if there are not enough), drawn with the skew."""
        k = min(k, len(self.items))
        chosen: dict[T, None] = {}
        while len(chosen) < k:
            chosen.setdefault(self.one(rng))
        return list(chosen)


# ---------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------

WOMEN = (
    "Alice", "Amara", "Anna", "Aoife", "Bethan", "Catherine", "Chloe", "Clare", "Deborah", "Eleanor",
    "Elena", "Emma", "Farah", "Fiona", "Grace", "Hannah", "Helen", "Imogen", "Isabel", "Jennifer",
    "Joanna", "Julia", "Karen", "Katherine", "Laura", "Leila", "Lucy", "Maria", "Megan", "Meera",
    "Miriam", "Nadia", "Naomi", "Niamh", "Nicola", "Olivia", "Priya", "Rachel", "Rebecca", "Rosa",
    "Ruth", "Sadia", "Sarah", "Shona", "Sinead", "Sofia", "Sophie", "Tamsin", "Theresa", "Yasmin",
    "Zara", "Zoe", "Harriet", "Ingrid", "Marta", "Beatrice", "Agnieszka", "Ayesha", "Funmi", "Kirsty",
)
MEN = (
    "Adam", "Aidan", "Ahmed", "Alistair", "Andrew", "Ben", "Bilal", "Callum", "Colin", "Daniel",
    "David", "Dominic", "Edward", "Emeka", "Felix", "Gareth", "George", "Gordon", "Graham", "Hamish",
    "Hugh", "Imran", "Ian", "James", "Jonathan", "Kwame", "Liam", "Luke", "Malcolm", "Marcus",
    "Martin", "Matthew", "Michael", "Mohammed", "Neil", "Nikhil", "Oliver", "Owen", "Patrick", "Paul",
    "Peter", "Rhys", "Richard", "Robert", "Rory", "Rupert", "Samuel", "Simon", "Stephen", "Stuart",
    "Thomas", "Tomasz", "Tunde", "Victor", "William", "Yusuf", "Euan", "Declan", "Kieran", "Ravi",
)
SURNAMES = (
    "Adeyemi", "Ahmed", "Akhtar", "Anderson", "Armstrong", "Atkinson", "Baker", "Banerjee", "Barker",
    "Barnes", "Bell", "Bennett", "Bradley", "Brennan", "Brooks", "Burke", "Byrne", "Campbell", "Carter",
    "Chadwick", "Chapman", "Chaudhry", "Clarke", "Coleman", "Collins", "Connolly", "Cooper", "Cunningham",
    "Dawson", "Doherty", "Donnelly", "Douglas", "Doyle", "Duncan", "Edwards", "Ellis", "Evans",
    "Fairbairn", "Farrell", "Ferguson", "Fitzgerald", "Fletcher", "Forbes", "Foster", "Fraser",
    "Gallagher", "Gibson", "Gill", "Gordon", "Graham", "Grant", "Griffiths", "Hamilton", "Hargreaves",
    "Harrison", "Hayes", "Henderson", "Hewitt", "Holloway", "Hossain", "Howard", "Hughes", "Hussain",
    "Iqbal", "Jackson", "Jenkins", "Johnston", "Kaur", "Kelly", "Kennedy", "Khan", "Kowalski", "Lambert",
    "Lawrence", "Lindqvist", "Lloyd", "Lynch", "Macdonald", "Mackenzie", "Malik", "Marshall", "Mason",
    "McCarthy", "McGregor", "McKenna", "Mensah", "Mitchell", "Moran", "Morgan", "Morrison", "Murphy",
    "Murray", "Nakamura", "Nash", "Nicholson", "Novak", "Nwosu", "Okafor", "Osei", "Owens", "Parry",
    "Patel", "Pearson", "Perkins", "Phillips", "Pritchard", "Quinn", "Rahman", "Reid", "Reynolds",
    "Richards", "Robertson", "Rossi", "Russell", "Sandhu", "Saunders", "Shah", "Sharma", "Shaw",
    "Sheridan", "Simpson", "Sinclair", "Singh", "Stewart", "Sullivan", "Sutherland", "Taylor",
    "Thornton", "Townsend", "Turner", "Varga", "Vaughan", "Wallace", "Walsh", "Watson", "Webster",
    "Whitfield", "Wilkinson", "Williamson", "Wong", "Yates", "Zielinski", "Okonkwo", "Haddad",
)
ROLES_OF = ("Chief Executive", "Director General", "Chief Digital Officer", "Chief Technology Officer",
            "Chief Data Officer", "Permanent Secretary", "Deputy Director", "Director of Digital",
            "Head of Service Design", "Head of User Research", "Chief Digital and Information Officer",
            "Director of Transformation", "Head of Digital", "Chief Architect", "Head of Technology")
HOST_ROLES = ("Director", "Chief Executive", "Senior Fellow", "Programme Director", "Head of Research")
MINISTERS = (
    ("Minister for the Cabinet Office", "cabinet-office"),
    ("Parliamentary Secretary for the Cabinet Office", "cabinet-office"),
    ("Minister for Digital and Culture at the Department for Culture, Media & Sport",
     "department-for-culture-media-and-sport"),
    ("Minister for Tech and the Digital Economy at the Department for Science, Innovation & Technology",
     "department-for-science-innovation-and-technology"),
    ("Chief Secretary to the Treasury", "hm-treasury"),
    ("Minister of State for Welfare Reform at the Department for Work & Pensions",
     "department-for-work-pensions"),
)


@dataclass(frozen=True)
class Person:
    """A speaker keeps one role in one organisation, as most real speakers do over a few years."""

    name: str
    surname: str
    female: bool
    role: str
    org: Org | None
    minister: bool = False

    @property
    def role_org(self) -> str:
        """ "Head of Digital at the Home Office": the phrase between the commas of an appositive."""
        if self.minister or self.org is None:
            return self.role
        joiner = "at" if (" of " in self.role or self.org.article == "" or not self.org.plain) else "of"
        return f"{self.role} {joiner} {self.org.full}"

    @property
    def label_role(self) -> str:
        """ "Head of Digital, Home Office": the form a "Speaker:" line uses."""
        if self.minister or self.org is None:
            return self.role
        return f"{self.role}, {self.org.name}"

    def pronouns(self) -> dict[str, str]:
        """Template fields for the speaker's pronouns and surname."""
        he, his = ("she", "her") if self.female else ("he", "his")
        return {"he": he, "He": he.capitalize(), "his": his, "His": his.capitalize(),
                "him": "her" if self.female else "him", "S": self.surname}


def _name_ok(word: str, banned: frozenset[str]) -> bool:
    """Names must not double as a vocabulary word, which the extractor would read as a theme."""
    return word.lower() not in banned


def speaker_pool(rng: random.Random, size: int, vocab: Vocabulary) -> list[Person]:
    """`size` distinct people: mostly departmental officials, some ministers and outside experts."""
    banned = _single_words(vocab)
    women = [n for n in WOMEN if _name_ok(n, banned)]
    men = [n for n in MEN if _name_ok(n, banned)]
    surnames = [n for n in SURNAMES if _name_ok(n, banned)]
    firsts = [(n, True) for n in women] + [(n, False) for n in men]
    lasts = surnames + [f"{a}-{b}" for a in surnames for b in surnames if a != b]
    simple = len(firsts) * len(surnames)  # double-barrelled surnames only once plain names run short
    space = simple if size <= simple // 2 else len(firsts) * len(lasts)
    departments = Skewed.of([o for o in vocab.departments if o.employs], 1.0, 2.0)
    hosts = Skewed.of([o for o in vocab.hosts[:-len(OTHER_HOSTS)] if o.employs], 1.0, 2.0)
    people = []
    for index in rng.sample(range(space), size):
        (first, female), last = firsts[index % len(firsts)], lasts[index // len(firsts)]
        draw = rng.random()
        if draw < 0.08:
            role, key = rng.choice(MINISTERS)
            org = next(o for o in vocab.departments if o.key == key)
            people.append(Person(f"{first} {last}", last, female, role, org, minister=True))
        elif draw < 0.18:
            people.append(Person(f"{first} {last}", last, female, rng.choice(HOST_ROLES), hosts.one(rng)))
        else:
            people.append(Person(f"{first} {last}", last, female, rng.choice(ROLES_OF), departments.one(rng)))
    return people


def _single_words(vocab: Vocabulary) -> frozenset[str]:
    """Lower-cased one-word labels (and their plurals) that a surname must not be."""
    words = {p.lower() for _, phrases in (*vocab.themes, *vocab.pressures) for p in phrases if " " not in p}
    return frozenset(words | {f"{w}s" for w in words})


# ---------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------

CITIES = ("London", "London", "London", "Manchester", "Edinburgh", "Cardiff", "Belfast", "Leeds",
          "Birmingham", "Bristol", "Newcastle", "Glasgow")
EVENT_KINDS = ("Annual Conference", "Summit", "Forum", "Annual Lecture", "Festival", "Week", "Symposium")
SERIES_NAMES = {
    "civil-service-live": "Civil Service Live {year}",
    "royal-society-of-arts": "RSA Annual Lecture {year}",
    "ted": "TED{year}",
    "reform-think-tank": "Reform Annual Conference {year}",
    "socitm": "Socitm Spring Conference {year}",
    "open-data-institute": "ODI Summit {year}",
    "techuk": "Public Services Conference {year}",
    "kable": "Government Computing Expo {year}",
    "local-government-association": "LGA Annual Conference {year}",
}
FORMATS = ("in-person", "in-person", "in-person", "in-person", "online", "hybrid")


@dataclass(frozen=True)
class Event:
    """One occasion: several speeches may share it (a conference) or it may be the talk itself."""

    title: str | None
    host: Org | None
    city: str
    day: date
    format: str


def _event_title(host: Org, year: int, rng: random.Random) -> str:
    """A series name in capitalised words ending in an event noun, as write-ups give them."""
    if host.key == "government-digital-service":
        return f"Sprint {year % 100}"
    if host.key in SERIES_NAMES:
        return SERIES_NAMES[host.key].format(year=year)
    return f"{host.abbreviation or host.name} {rng.choice(EVENT_KINDS)} {year}"


def _working_day(rng: random.Random, year: int) -> date:
    """A weekday in the year, when most talks are given."""
    day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    return day + timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


class EventBook:
    """Conference editions made once per (host, year), so every speech there shares title and date."""

    def __init__(self, seed: int, vocab: Vocabulary) -> None:
        self.seed = seed
        self.hosts = Skewed.of(vocab.hosts, 1.0, 1.0)
        self.gds = next(o for o in vocab.departments if o.key == "government-digital-service")
        self.editions: dict[tuple[str, int], Event] = {}

    def draw(self, rng: random.Random) -> Event:
        """A conference edition (70%) or a one-off talk with its own host and date (30%)."""
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        host = self.gds if rng.random() < 0.08 else self.hosts.one(rng)
        if rng.random() < 0.3:
            return Event(None, host if rng.random() < 0.85 else None, rng.choice(CITIES),
                         _working_day(rng, year), rng.choice(FORMATS))
        key = (host.name, year)
        if key not in self.editions:
            own = random.Random(f"{self.seed}-{host.name}-{year}")
            fmt = "online" if year in (2020, 2021) and own.random() < 0.7 else own.choice(FORMATS)
            self.editions[key] = Event(_event_title(host, year, own), host, own.choice(CITIES),
                                       _working_day(own, year), fmt)
        return self.editions[key]


# ---------------------------------------------------------------------------
# Speeches: everything a document says, decided before any text is written
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """An earlier speech this one follows or refers to; `own` when the speaker gave it too."""

    speaker: Person
    title: str
    event: Event
    day: date
    own: bool


@dataclass(frozen=True)
class Speech:
    """The plan of one document; render() turns it into text, benchmarks use it as ground truth."""

    index: int
    ext: str
    speaker: Person
    cospeaker: Person | None
    title: str
    event: Event
    day: date
    themes: tuple[str, ...]
    theme_keys: tuple[str, ...]
    pressures: tuple[str, ...]
    departments: tuple[Org, ...]
    reference: Reference | None
    layout: int
    paragraphs: int

    @property
    def file_name(self) -> str:
        """Unique and stable: the index, then a readable slug."""
        slug = slugify(f"{self.speaker.surname} {self.title}")[:48].strip("-")
        return f"s{self.index:06d}-{slug}.{self.ext}"


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", " and ").replace("'", "")).strip("-")


TITLE_FORMS = (
    "{T}: what comes next", "{T}: the next five years", "{T}: lessons from the front line",
    "{T}: getting the basics right", "{T}: from promise to practice", "{T}: a progress report",
    "Why {t} cannot wait", "Putting {t} at the heart of government", "{T} in practice",
    "From {t} to {t2}", "Making {t} work for everyone", "Ten years of {t}", "The case for {t}",
    "What good looks like for {t}", "{T} and the people who use public services",
    "Beyond the website: {t} and {t2}", "Getting serious about {t}", "{T} without the hype",
    "Building for the long term: {t}", "Where next for {t}",
)


def _title(rng: random.Random, vocab: Vocabulary, keys: Sequence[int]) -> str:
    """A speech title from its main themes' wordings, without commas, stops or quotes."""
    t, t2 = (rng.choice(vocab.title_phrases[k]) for k in (keys[0], keys[-1]))
    form = rng.choice(TITLE_FORMS if t2 != t else [f for f in TITLE_FORMS if "{t2}" not in f])
    return form.format(T=t[:1].upper() + t[1:], t=t, t2=t2)


def _headline(event: Event, speaker: Person, theme: str) -> str | None:
    """ "Sprint 16: Jane Smith on open data", the headline style of news sites, for series events."""
    if not event.title:
        return None
    return f"{event.title}: {speaker.name} on {theme}"


def _title_words(title: str) -> frozenset[str]:
    """The words reference resolution compares titles by."""
    return frozenset(w for w in re.findall(r"[a-z0-9]+", title.lower()) if len(w) > 2)


def _extension(rng: random.Random) -> str:
    draw = rng.random()
    return "txt" if draw < 0.5 else "md" if draw < 0.75 else "html"


class Planner:
    """Decides every speech in turn; references look back at speeches already planned."""

    def __init__(self, count: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = vocabulary(seed)
        pool = speaker_pool(self.rng, max(3, count // 6), self.vocab)
        self.speakers = Skewed.of(pool, 1.0, 6.0)
        self.events = EventBook(seed, self.vocab)
        self.themes = Skewed.of(range(len(self.vocab.themes)), 1.0, 3.0)
        self.pressures = Skewed.of(range(len(self.vocab.pressures)), 0.8, 1.0)
        self.departments = Skewed.of(self.vocab.departments, 1.0, 2.0)
        self.speeches: list[Speech] = []
        self.titles: dict[str, set[frozenset[str]]] = {}
        self.by_speaker: dict[str, list[int]] = {}

    def plan(self, index: int) -> Speech:
        rng, vocab = self.rng, self.vocab
        speaker: Person = self.speakers.one(rng)
        cospeaker = self.speakers.one(rng) if rng.random() < COSPEAKER_SHARE else None
        if cospeaker is not None and cospeaker.name == speaker.name:
            cospeaker = None
        event = self.events.draw(rng)
        day = event.day + timedelta(days=rng.choice((0, 0, 0, 1))) if event.title else event.day
        keys = self.themes.some(rng, rng.randint(3, 6))
        themes = tuple(self._phrase(rng, k) for k in keys)
        ext = _extension(rng)
        title = self._unique_title(rng, speaker, keys, event, ext)
        n_pressures = rng.choices((0, 1, 2, 3, 5), (22, 38, 22, 12, 6))[0]
        pressures = tuple(vocab.pressures[i][0] for i in self.pressures.some(rng, n_pressures))
        departments = tuple(self.departments.some(rng, rng.choices((0, 1, 2, 3, 4), (6, 30, 32, 20, 12))[0]))
        reference = self._reference(rng, speaker, day) if rng.random() < REFERENCE_SHARE else None
        layout = rng.randrange(3 if ext == "txt" else 4)
        speech = Speech(index, ext, speaker, cospeaker, title, event, day, themes,
                        tuple(vocab.themes[k][0] for k in keys), pressures, departments, reference,
                        layout, rng.randint(4, 12))
        self.speeches.append(speech)
        self.by_speaker.setdefault(speaker.name, []).append(index)
        return speech

    def _phrase(self, rng: random.Random, key: int) -> str:
        """The preferred label half the time, else one of the alternative wordings."""
        phrases = self.vocab.themes[key][1]
        return phrases[0] if len(phrases) == 1 or rng.random() < 0.5 else rng.choice(phrases[1:])

    def _unique_title(self, rng: random.Random, speaker: Person, keys: Sequence[int], event: Event,
                      ext: str) -> str:
        """A title whose words differ from the speaker's other titles, so a citation is unambiguous."""
        taken = self.titles.setdefault(speaker.name, set())
        for attempt in range(12):
            title = _title(rng, self.vocab, keys if attempt < 6 else self.themes.some(rng, 2))
            if ext != "txt" and rng.random() < 0.3:
                title = _headline(event, speaker, rng.choice(self.vocab.title_phrases[keys[0]])) or title
            words = _title_words(title)
            if words not in taken:
                break
        else:
            title = f"{title} {len(taken) + 1}"
            words = _title_words(title)
        taken.add(words)
        return title

    def _reference(self, rng: random.Random, speaker: Person, day: date) -> Reference | None:
        """An earlier speech: the speaker's own a quarter of the time, else anyone's."""
        own = self.by_speaker.get(speaker.name, [])
        pools = [own, range(len(self.speeches))] if rng.random() < 0.25 else [range(len(self.speeches))]
        for pool in pools:
            for _ in range(24 if pool else 0):
                target = self.speeches[rng.choice(pool)]
                if target.day < day and target.speaker.name != (None if pool is own else speaker.name):
                    return Reference(target.speaker, target.title, target.event, target.day, pool is own)
        return None


def plan_corpus(count: int, seed: int = 7) -> list[Speech]:
    """The plans of `count` speeches, deterministic for a seed."""
    planner = Planner(count, seed)
    return [planner.plan(index) for index in range(count)]


# ---------------------------------------------------------------------------
# Prose
# ---------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def long_date(day: date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.year}"


def spoken_date(rng: random.Random, day: date) -> str:
    """The date the way write-ups vary it: 14 July 2014, 14/07/2014, Monday 14 July 2014, July 14, 2014."""
    form = rng.random()
    if form < 0.6:
        return long_date(day)
    if form < 0.8:
        return f"{day.day:02d}/{day.month:02d}/{day.year}"
    if form < 0.92:
        return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


THEME_SENTENCES = (
    "{S} spent much of the talk on {T}.",
    "On {T}, {he} was blunt: progress had been slower than anyone wanted.",
    "{He} argued that {T} had to be treated as core business rather than a side project.",
    "The strongest applause of the day came when {he} turned to {T}.",
    "Questions from the floor focused on {T}.",
    "{His} second theme was {T}.",
    "{S} was clear that {T} is a matter for leaders, not only for specialists.",
    "Several of the examples in the talk came back to {T}.",
    "{He} made the case for {T} in plain terms, with examples from services people use every day.",
    "For {S}, {T} is where good intentions most often meet reality.",
    "Asked about {T}, {he} said the answer depends less on technology than on people.",
    "{He} described {T} as unfinished business.",
    "{He} linked {T} to {T2}, arguing that neither works without the other.",
    "The section on {T} drew most of the questions afterwards.",
    "{S} put {T} near the top of the list of things that still need fixing.",
    "There was a long passage on {T}, illustrated with a case the audience knew well.",
    "{He} admitted that {T} is harder in practice than it sounds in a strategy document.",
    "{S} listed {T} and {T2} among the areas where the next few years will be decided.",
)
DEPARTMENT_SENTENCES = (
    "{He} pointed to {D}, where a small team had replaced a paper form with an online service in months.",
    "Work at {D} ({A}) was held up as an example of what an organisation can do when it owns its technology.",
    "{S} praised teams at {D} and {D2} for sharing what they had built.",
    "In {his} account, {D} had moved further than most.",
    "{A} came in for gentle criticism for the pace of its own changes.",
    "Staff from {D} were in the audience, and {he} thanked them for their work.",
    "{He} noted that {D} now publishes its performance figures every month.",
    "A case study from {D} showed how much can change in a year.",
    "{He} had spent several years at {D}, and drew on that experience throughout.",
    "Teams at {A} and {D2}, {he} said, had shown that the same approach works at very different scales.",
    "{S} quoted figures from {D} ({A}) on how many people now complete its main service without help.",
)
PRESSURE_SENTENCES = {
    "financial": (
        "{He} was candid about financial pressure: budgets would keep tightening whoever was in power.",
        "With budget cuts still biting, {he} argued, departments had to do more with less.",
        "Austerity, in {his} view, had forced changes that should have happened anyway.",
        "The aim was to save money by fixing services once instead of paying for the same failure again.",
        "Spending constraints meant that every new project now had to show how it would reduce costs.",
        "{He} reminded the audience that there was no money left for the old way of doing things.",
        "{He} described {X} as the pressure nobody in the room could ignore.",
    ),
    "user-demand": (
        "Users expect to deal with government online, {he} said, just as they deal with their bank.",
        "Rising expectations from the public meant that poor-quality services were no longer tolerated.",
        "People expect services that are as good as the best they find anywhere else.",
        "{He} spoke of demand from users for services that work first time.",
        "Citizens expect to be able to track an application the way they track a parcel.",
        "{He} described {X} as the pressure nobody in the room could ignore.",
    ),
    "internal-tools": (
        "{He} argued that civil servants need better tools to do their jobs, not just better websites.",
        "Outdated tools inside departments, {he} said, waste hours of staff time every week.",
        "Caseworker tools and internal systems had been neglected for years.",
        "Workplace technology, in {his} view, is part of the service too.",
        "{He} wanted tools for civil servants that were as good as anything on the market.",
        "{He} made a point of {X}, which rarely gets the attention that public websites do.",
    ),
    "security": (
        "Security threats were never far from the discussion.",
        "{He} warned that cyber attacks on public services were becoming more frequent.",
        "Keeping systems safe from cyber attack, {he} said, had to be designed in from the start.",
        "Ransomware and data breaches had made boards far more interested in the subject.",
        "{He} argued that the best way to protect data is to collect less of it.",
        "{He} was frank about {X}, and about how much of the work cannot be talked about in public.",
    ),
    "procurement": (
        "Procurement came in for particular criticism.",
        "Long contracts with suppliers had left departments locked into technology they could not change.",
        "The challenge of procurement, {he} said, is as much about culture as about rules.",
        "{He} wanted to change how government buys technology, with shorter contracts and more competition.",
        "Vendor lock-in, in {his} view, was the most expensive habit in government IT.",
        "{He} called {X} the least glamorous and most important part of the job.",
    ),
}
PRESSURE_ITEMS = {
    "financial": "financial pressure, with budgets continuing to tighten",
    "user-demand": "demand from users, who expect services as good as the best they use online",
    "internal-tools": "the need for better digital tools for the people who work inside government",
    "security": "the challenge of security, including protecting data from attack",
    "procurement": "the challenge of procurement, meaning the way government buys technology",
}
FILLERS = (
    "The room was full well before the start.",
    "There was time at the end for questions from the audience.",
    "{He} began with a story about a form that took most of an afternoon to complete.",
    "Much of this, {he} admitted, is not new.",
    "The examples were deliberately ordinary: renewing a document, paying a bill, booking an appointment.",
    "{He} was careful not to promise too much.",
    "None of this happens quickly, {he} said, and it does not happen by accident.",
    "The tone was optimistic but far from complacent.",
    "{He} drew laughter with an account of an early meeting where nobody could agree what a form was for.",
    "The point, {he} said, is to fix the things that matter to people.",
    "Progress should be judged by what changes for the public, not by documents produced.",
    "Audience members pressed {him} on timescales.",
    "The mood in the room was, by most accounts, constructive.",
    "Several people in the audience had worked on the things {he} described.",
    "{He} paid tribute to the teams who had done the work.",
    "It was, {he} admitted, a slower journey than anyone had hoped.",
    "The talk was short on slogans and long on examples.",
    "{S} was frank about mistakes made along the way.",
    "{He} said the next year would be decisive.",
    "Change of this kind, {he} suggested, depends on leaders who stay long enough to finish it.",
    "{His} message to managers was simple: give teams room to get on with the job.",
    "Those who were there described it as one of the more candid talks of the year.",
    "{He} avoided jargon and kept the slides to a minimum.",
    "Nobody in the room disagreed, though several people wanted to know how it would be paid for.",
    "{S} acknowledged that there is still a long way to go.",
    "{He} was generous in crediting the people who had started the work before {him}.",
)
SUBHEADINGS = ("Where things stand", "The case for change", "What comes next", "Questions from the floor",
               "The bigger picture", "Money and people", "Lessons so far", "Why it matters",
               "What has changed", "The hard part")
STANDFIRSTS = (
    "A candid account of what has worked, what has not and what comes next.",
    "Notes from a talk that was more about people than technology.",
    "The speaker set out a practical agenda for the next few years.",
    "A progress report, with examples from services people use every day.",
)
SITES = (
    ("Public Sector Tech Notes", "Write-ups of talks on digital government"),
    ("Civic Tech Digest", "Independent summaries of public talks"),
    ("GovDigital Review", "Reporting on digital public services"),
    ("Whitehall Technology Weekly", "News and analysis for digital leaders in the public sector"),
    ("Digital State Notes", "What people said about digital government, and where"),
)


@cache
def pressure_labels() -> dict[str, tuple[str, ...]]:
    """Each pressure's preferred and alternative labels (noun phrases that fit a template slot)."""
    return {key: phrases[:3] for key, phrases in _concepts("pressures.ttl", "gg:Pressure", hidden=False)}


# Words the extractor never takes as part of a person's name (a subset of its own list).
NOT_NAME_WORDS = frozenset(("Office", "Service", "Services", "Department", "Government", "Ministry", "Agency",
                            "Institute", "Foundation", "Council", "Committee", "Cabinet", "Team", "Group",
                            "Digital", "Public", "National", "Royal", "Executive", "Data"))


def _capitalised(org_name: str) -> bool:
    """True when the extractor reads the whole name as one organisation phrase before "'s" or ","."""
    return bool(re.fullmatch(r"(?:the )?[A-Z][\w&-]*(?: (?:of|for|and|the|&|on|[A-Z][\w&-]*))*", org_name))


def _reads_as_name(org_name: str) -> bool:
    """True when an organisation's last two words look like a person's name ("European Commission").

    Such a name right before ", Jane Smith, addressed" is read as the speaker, so that phrasing is
    only used for organisations that cannot be mistaken for a person.
    """
    words = org_name.split()[-2:]
    return len(words) == 2 and all(re.fullmatch(r"[A-Z][a-z]+", w) and w not in NOT_NAME_WORDS for w in words)


def fill(template: str, fields: dict[str, str]) -> str:
    """A template with its fields, sentence-initial letter capitalised."""
    text = template.format_map(fields)
    return text[:1].upper() + text[1:]


@dataclass
class Writer:
    """Builds one speech's prose: opening, reference, body paragraphs, optional list and close."""

    speech: Speech
    rng: random.Random

    def __post_init__(self) -> None:
        self.fields = self.speech.speaker.pronouns()
        self.date_text = spoken_date(self.rng, self.speech.day)
        self.used: set[str] = set()

    def pick(self, templates: Sequence[str]) -> str:
        """A template this document has not used yet, while any are left, so sentences don't repeat."""
        fresh = [t for t in templates if t not in self.used] or templates
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return choice

    # -- the opening: who spoke, where, when -------------------------------------------------

    def occasion(self) -> str:
        """Where and when, as the opening sentence puts it: "the ODI Summit 2016 in Leeds on 3 May 2016".

        A host named after "hosted by" comes last, after the date: the extractor reads "hosted by
        the Institute for Government on 3 May" as a host called "Institute for Government on".
        """
        event, when = self.speech.event, self.date_text
        if event.title:
            article = "" if event.title.startswith(("Sprint", "Civil Service Live", "TED")) else "the "
            city = "" if event.format == "online" else f" in {event.city}"
            return f"{article}{event.title}{city} on {when}"
        if event.host is None:
            return f"an online event on {when}" if event.format == "online" else \
                f"a public event in {event.city} on {when}"
        if event.format == "online":
            return f"a webinar on {when} hosted by {event.host.full}"
        if not event.host.government and event.host.key and event.host != self.speech.speaker.org \
                and self.rng.random() < 0.5:
            return f"{event.host.full} on {when}"  # the venue stands for the event
        return f"a seminar in {event.city} on {when} hosted by {event.host.full}"

    def opening(self) -> str:
        """The sentence naming the speaker with role and organisation, in one of six phrasings."""
        s, rng = self.speech, self.rng
        person, where = s.speaker, self.occasion()
        topic, his = s.themes[0], self.fields["his"]
        forms = [
            f"{person.name}, {person.role_org}, spoke at {where} about {topic}.",
            f"{person.name}, {person.role_org}, gave the keynote at {where}, and {topic} was {his} main "
            "subject.",
            f"{person.name}, {person.role_org}, used {his} keynote at {where} to make the case for {topic}.",
            f"{person.name} ({person.role_org}) spoke at {where} about {topic}.",
        ]
        org = person.org
        if org is not None and not person.minister and _capitalised(org.short) and " " in person.role:
            role = person.role.lower()
            owner = org.short[:1].upper() + org.short[1:]
            forms.append(f"{owner}'s {role}, {person.name}, delivered the opening address at {where}, on the "
                         f"subject of {topic}.")
            if not _reads_as_name(org.short):
                joiner = "at" if " of " in role else "of"
                forms.append(f"The {role} {joiner} {org.short}, {person.name}, addressed {where} about "
                             f"{topic}.")
        return rng.choice(forms)

    def host_sentence(self) -> str | None:
        """Names the host in prose; never ends on the name, where a full stop would join it."""
        event = self.speech.event
        if event.host is None or not event.title:
            return None
        return self.rng.choice((f"The event was hosted by {event.host.full} as part of its annual programme.",
                                f"It was organised by {event.host.full}, with support from several "
                                "departments."))

    def format_sentence(self) -> str:
        return {
            "online": "The event was held online, with questions taken in the chat.",
            "hybrid": "It was a hybrid event, with an audience in the room and more watching online.",
            "in-person": "The talk was given in person, to a live audience.",
        }[self.speech.event.format]

    def entitled(self) -> str:
        """Names the speech's title in the prose, which the extractor takes as the speech title."""
        return self.rng.choice((
            f"The talk, entitled ‘{self.speech.title}’, drew on {self.fields['his']} own experience.",
            f"{self.fields['His']} speech was entitled ‘{self.speech.title}’.",
        ))

    def cospeaker_sentence(self) -> str | None:
        other = self.speech.cospeaker
        if other is None:
            return None
        return f"{other.name}, {other.role_org}, also spoke, taking questions on {self.speech.themes[-1]}."

    def reference_sentence(self) -> str | None:
        """Follows or refers to an earlier speech by speaker and exact title, so the link resolves."""
        ref = self.speech.reference
        if ref is None:
            return None
        when = month_year(ref.day)
        if ref.own:
            return self.rng.choice((
                f"{self.fields['He']} returned to {self.fields['his']} earlier speech, ‘{ref.title}’.",
                f"The talk built on {self.fields['his']} previous keynote, ‘{ref.title}’, given in {when}.",
            ))
        name, where = ref.speaker.name, ref.event.title or "a public event"
        return self.rng.choice((
            f"The talk follows the speech given by {name} at {where} in {when}, {ref.title}.",
            f"{self.fields['He']} built on {name}'s earlier talk, ‘{ref.title}’, given in {when}.",
            f"It was a sequel to the keynote delivered by {name}, ‘{ref.title}’.",
            f"The speech follows the one given by {name} in {when}, entitled ‘{ref.title}’.",
        ))

    # -- the body ------------------------------------------------------------------------------

    def _department_fields(self, index: int) -> dict[str, str]:
        departments = self.speech.departments
        first = departments[index % len(departments)]
        second = departments[(index + 1) % len(departments)] if len(departments) > 1 else None
        return {"D": first.full, "A": first.short, "D2": (second or first).full}

    def body_sentences(self) -> list[str]:
        """Every theme, pressure and department sentence the body must carry, in a shuffled order."""
        s, rng = self.speech, self.rng
        fields = self.fields
        themes = [*s.themes[1:], rng.choice(s.themes)]
        sentences = []
        for theme in themes:
            other = rng.choice([t for t in s.themes if t != theme] or [theme])
            sentences.append(fill(self.pick(THEME_SENTENCES), {**fields, "T": theme, "T2": other}))
        for i in range(len(s.departments)):
            template = self.pick(DEPARTMENT_SENTENCES)
            if "{D}" in template and "({A})" in template and s.departments[i].abbreviation is None:
                template = template.replace(" ({A})", "")
            sentences.append(fill(template, {**fields, **self._department_fields(i)}))
        if len(s.pressures) < 5:
            for key in s.pressures:
                labels = pressure_labels()[key]
                template = self.pick(PRESSURE_SENTENCES[key])
                sentences.append(fill(template, {**fields, "X": rng.choice(labels)}))
        rng.shuffle(sentences)
        return sentences

    def paragraphs(self) -> list[str]:
        """The body as paragraphs of two to four sentences, topped up with neutral prose."""
        rng = self.rng
        sentences = self.body_sentences()
        wanted = max(2, self.speech.paragraphs - 2)
        while len(sentences) < wanted * 2:
            sentences.insert(rng.randrange(len(sentences) + 1), fill(self.pick(FILLERS), self.fields))
        paragraphs, start = [], 0
        for left in range(wanted, 0, -1):
            size = max(1, min(4, round((len(sentences) - start) / left)))
            paragraphs.append(" ".join(sentences[start:start + size]))
            start += size
        if start < len(sentences):
            paragraphs[-1] += " " + " ".join(sentences[start:])
        return paragraphs

    def pressure_list(self) -> tuple[str, list[str]] | None:
        """The "five forces" list some write-ups give, Bracken-style."""
        if len(self.speech.pressures) < 5:
            return None
        items = [PRESSURE_ITEMS[k] for k in self.speech.pressures]
        items = [f"{item};" for item in items[:-1]] + [f"{items[-1]}."]
        return f"{self.fields['He']} described five forces acting on government at the same time:", items

    def theme_list(self) -> tuple[str, list[str]] | None:
        """A short list of the speech's themes, which Markdown and HTML write-ups often include."""
        if len(self.speech.themes) < 3 or self.rng.random() < 0.5:
            return None
        items = [f"{t[:1].upper()}{t[1:]}" for t in self.speech.themes[:3]]
        return "The main points, in brief:", items

    def closing(self) -> str:
        theme = self.speech.themes[-1]
        return self.rng.choice((f"{self.fields['He']} closed by turning to {theme}.",
                                f"{self.fields['S']} finished on {theme}, and on the work still to do."))

    def opening_paragraph(self, with_host: bool, with_format: bool, with_entitled: bool) -> str:
        """The first paragraph: speaker, occasion, and optionally host, format, title and reference."""
        parts = [self.opening()]
        if with_host and (host := self.host_sentence()):
            parts.append(host)
        if with_format:
            parts.append(self.format_sentence())
        if with_entitled:
            parts.append(self.entitled())
        for extra in (self.cospeaker_sentence(), self.reference_sentence()):
            if extra:
                parts.append(extra)
        return " ".join(parts)


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def _tags(speech: Speech) -> list[str]:
    """The tag line of a write-up: a couple of departments and the main themes."""
    return [*(d.abbreviation or d.name for d in speech.departments[:2]), *speech.themes[:3]]


def render_text(speech: Speech, rng: random.Random) -> str:
    """Plain text: a site line, a "TITLE - NAME, ROLE" heading or a bare title, one line a paragraph."""
    writer = Writer(speech, rng)
    site, strap = rng.choice(SITES)
    person, event = speech.speaker, speech.event
    lines: list[str] = []
    place = "online" if event.format == "online" else event.city
    if speech.layout == 2:  # a bare title line, a standfirst, and the title again in the prose
        lines += [speech.title, "", rng.choice(STANDFIRSTS), ""]
        lines.append(writer.opening_paragraph(with_host=True, with_format=True, with_entitled=True))
    else:  # "TITLE - NAME, ROLE", then event details as labels (layout 0) or as plain lines (layout 1)
        lines += [f"{site} | {strap}", ""]
        role = person.label_role if rng.random() < 0.5 else person.role_org
        lines.append(f"{speech.title} - {person.name}, {role}")
        labelled = speech.layout == 0
        if labelled and event.title:
            lines.append(f"Event: {event.title}")
        lines.append({"online": "Online event", "hybrid": "Hybrid event (in person and online)",
                      "in-person": "In-person event"}[event.format])
        if event.host is not None:
            lines.append(f"Organised by: {event.host.name}, {place}" if labelled
                         else f"Hosted by {event.host.full}, {place}, {month_year(speech.day)}")
        lines.append("")
        lines.append(writer.opening_paragraph(with_host=not labelled, with_format=False,
                                              with_entitled=labelled and bool(event.title)))
    lines.append("")
    body = writer.paragraphs()
    forces = writer.pressure_list()
    for i, paragraph in enumerate(body):
        lines += [paragraph, ""]
        if forces and i == 0:
            lines.append(forces[0])
            lines += [f"- {item}" for item in forces[1]] + [""]
    lines += [writer.closing(), ""]
    lines.append(rng.choice((f"Tags: {', '.join(_tags(speech))}", "Related content", "Conference notes")))
    return "\n".join(lines) + "\n"


def _label_lines(speech: Speech, writer: Writer, rng: random.Random) -> list[tuple[str, str]]:
    """(label, value) pairs for the event details list of Markdown and HTML write-ups."""
    person, event = speech.speaker, speech.event
    speakers = f"{person.name}, {person.label_role}"
    if speech.cospeaker:
        speakers += f"; {speech.cospeaker.name}, {speech.cospeaker.label_role}"
    labels = [("Speakers" if speech.cospeaker else "Speaker", speakers)]
    if event.title:
        labels.append((rng.choice(("Event", "Occasion")), event.title))
    if event.host is not None:
        place = "online" if event.format == "online" else event.city
        labels.append((rng.choice(("Hosted by", "Organised by")), f"{event.host.name}, {place}"))
    labels.append(("Format", {"online": "online", "hybrid": "hybrid",
                              "in-person": "in-person conference talk"}[event.format]))
    labels.append(("Date", writer.date_text))
    return labels


def render_markdown(speech: Speech, rng: random.Random) -> str:
    """Markdown: front matter, a heading, a label list, sections with subheadings and lists."""
    writer = Writer(speech, rng)
    site, _ = rng.choice(SITES)
    published = speech.day + timedelta(days=rng.randint(0, 6))
    out: list[str] = []
    if speech.layout != 0:
        tags = ", ".join(f'"{t}"' for t in _tags(speech)[:3])
        out += ["---", f'title: "{speech.title}"', f"date: {published.isoformat()}", f"tags: [{tags}]",
                "---", ""]
    out += [f"# {speech.title}", "", f"*{site} · write-up*", ""]
    labelled = speech.layout != 3
    if labelled:
        out += [f"- **{label}:** {value}" for label, value in _label_lines(speech, writer, rng)] + [""]
    out += [writer.opening_paragraph(with_host=not labelled, with_format=not labelled,
                                     with_entitled=rng.random() < 0.3 and ":" not in speech.title), ""]
    body = writer.paragraphs()
    lists = [x for x in (writer.pressure_list(), writer.theme_list()) if x]
    headings = rng.sample(SUBHEADINGS, 3)
    for i, paragraph in enumerate(body):
        if i in (1, 4) and len(body) > i + 1:
            out += [f"## {headings[i // 3]}", ""]
        out += [paragraph, ""]
        if lists and i == 1:
            lead, items = lists.pop(0)
            out += [lead, ""] + [f"- {item}" for item in items] + [""]
    out += [writer.closing(), ""]
    return "\n".join(out)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _chrome_top(site: str, strap: str, title: str, rng: random.Random, published: date) -> list[str]:
    """Head, cookie banner, skip link, header with navigation, and breadcrumbs."""
    nav = rng.sample(("News", "Talks", "Events", "Analysis", "Local government", "Health", "Data",
                      "Newsletter", "About", "Jobs"), 5)
    return [
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_esc(title)} | {site}</title>",
        f'<meta name="description" content="{html.escape(strap)}">',
        '<link rel="stylesheet" href="/assets/site.css">',
        "</head>",
        "<body>",
        '<div class="cookie-banner" id="cookie-banner">',
        f"  <p>{site} uses essential cookies and, with your consent, analytics cookies. "
        '<a href="/privacy#cookies">Manage preferences</a></p>',
        "  <button>Accept all</button> <button>Reject</button>",
        "</div>",
        '<a class="skip-link" href="#content">Skip to main content</a>',
        '<header class="site-header">',
        f'  <a class="logo" href="/">{site}</a>',
        '  <nav aria-label="Main">',
        "    <ul>",
        *(f'      <li><a href="/{slugify(item)}">{item}</a></li>' for item in nav),
        "    </ul>",
        "  </nav>",
        '  <form role="search" action="/search"><input name="q" aria-label="Search"></form>',
        "</header>",
        '<ol class="breadcrumbs">',
        '  <li><a href="/">Home</a></li>',
        '  <li><a href="/talks">Talks</a></li>',
        f"  <li>{_esc(title)}</li>",
        "</ol>",
        f'<p class="byline">Posted <time datetime="{published.isoformat()}">{long_date(published)}</time>'
        "</p>",
    ]


def _chrome_bottom(site: str, related: Sequence[str]) -> list[str]:
    """Related links, footer and a script, all outside the article."""
    return [
        '<aside class="related-links">',
        "  <h3>Related content</h3>",
        "  <ul>",
        *(f'    <li><a href="/talks/{slugify(t)[:40]}">{_esc(t)}</a></li>' for t in related),
        "  </ul>",
        "</aside>",
        '<footer class="site-footer">',
        f"  <p>{site} &ndash; independent summaries of public talks. We paraphrase; we do not reproduce "
        "transcripts.</p>",
        '  <p><a href="/about">About</a> | <a href="/privacy">Privacy</a> | '
        '<a href="/contact">Contact</a></p>',
        "</footer>",
        '<script src="/assets/site.js" defer></script>',
        "</body>",
        "</html>",
    ]


def render_html(speech: Speech, rng: random.Random, related: Sequence[str]) -> str:
    """An HTML page: the article inside realistic site chrome."""
    writer = Writer(speech, rng)
    site, strap = rng.choice(SITES)
    published = speech.day + timedelta(days=rng.randint(0, 6))
    article: list[str] = [f"  <h1>{_esc(speech.title)}</h1>",
                          f'  <p class="standfirst">{_esc(rng.choice(STANDFIRSTS))}</p>']
    labelled = speech.layout != 3
    if labelled:
        article.append('  <ul class="event-details">')
        labels = _label_lines(speech, writer, rng)
        article += [f"    <li>{_esc(label)}: {_esc(value)}</li>" for label, value in labels]
        article.append("  </ul>")
    opening = writer.opening_paragraph(with_host=not labelled, with_format=not labelled,
                                       with_entitled=rng.random() < 0.3 and ":" not in speech.title)
    article.append(f"  <p>{_esc(opening)}</p>")
    lists = [x for x in (writer.pressure_list(), writer.theme_list()) if x]
    body = writer.paragraphs()
    for i, paragraph in enumerate(body):
        if i == 2 and len(body) > 3:
            article.append(f"  <h2>{rng.choice(SUBHEADINGS)}</h2>")
        article.append(f"  <p>{_esc(paragraph)}</p>")
        if lists and i == 1:
            lead, items = lists.pop(0)
            article.append(f"  <p>{_esc(lead)}</p>")
            article += ["  <ul>", *(f"    <li>{_esc(item)}</li>" for item in items), "  </ul>"]
    article.append(f"  <p>{_esc(writer.closing())}</p>")
    article += ['  <div class="share-links">Share this page: <a href="#">Email</a> '
                '<a href="#">LinkedIn</a></div>',
                '  <ul class="tags">', *(f"    <li>{_esc(t)}</li>" for t in _tags(speech)), "  </ul>"]
    wrapper = ["<main id=\"content\">", "<article>", *article, "</article>", "</main>"]
    if speech.layout == 2:  # some sites have no <article>: the chrome inside <main> must still go
        wrapper = ['<main id="content">', *article, "</main>"]
    return "\n".join([*_chrome_top(site, strap, speech.title, rng, published), *wrapper,
                      *_chrome_bottom(site, related)]) + "\n"


def render(speech: Speech, seed: int, related: Sequence[str] = ()) -> str:
    """The document text for one planned speech; its own random stream keeps it stable."""
    rng = random.Random(seed * 1_000_003 + speech.index)
    if speech.ext == "md":
        return render_markdown(speech, rng)
    if speech.ext == "html":
        return render_html(speech, rng, related)
    return render_text(speech, rng)


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` documents (about 50% .txt, 25% .md, 25% .html) into folder; deterministic for a seed."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    speeches = plan_corpus(count, seed)
    paths = []
    for speech in speeches:
        related = [speeches[(speech.index * 7 + k * 13) % count].title for k in range(1, 4)]
        path = folder / speech.file_name
        path.write_text(render(speech, seed, related), encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Write synthetic speech write-ups for benchmarks.")
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--count", type=int, default=1000, help="number of documents (default 1000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.out_dir, args.count, args.seed)
    seconds = time.perf_counter() - start
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths):,} files, {size:,} bytes, to {args.out_dir} in {seconds:.2f} s")


if __name__ == "__main__":
    main()
