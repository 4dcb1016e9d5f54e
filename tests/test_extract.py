from __future__ import annotations

import gc
import itertools
import re
import time

import pytest

from govgraph.documents import parse_document
from govgraph.extract import extract, parse_date
from govgraph.graph import extraction_triples
from govgraph.namespaces import GG
from govgraph.vocab import default_lexicon


def _extract(text: str, name: str = "t.txt", media: str = "text/plain"):
    return extract(parse_document(text.encode(), name, media), default_lexicon())


@pytest.mark.parametrize(
    ("sentence", "name", "role", "organisation"),
    [
        ("Ada Lovelace, Head of the Government Digital Service, spoke about platforms.",
         "Ada Lovelace", "Head", "Government Digital Service"),
        ("Ada Lovelace, who leads the Government Digital Service as its chief executive, took the stage.",
         "Ada Lovelace", "chief executive", "Government Digital Service"),
        ("HM Revenue and Customs's chief digital officer, Ada Lovelace, gave a talk on tax.",
         "Ada Lovelace", "chief digital officer", "HM Revenue and Customs"),
        ("Ada Lovelace, a deputy director at the Department for Work and Pensions (DWP), "
         "will speak at the summit.",
         "Ada Lovelace", "deputy director", "Department for Work and Pensions"),
        ("Ada Lovelace, the Minister for the Cabinet Office, opened the conference.",
         "Ada Lovelace", "Minister for the Cabinet Office", "Cabinet Office"),
        ("Ada Lovelace (Director, Home Office) delivered the keynote.",
         "Ada Lovelace", "Director", "Home Office"),
    ],
)
def test_role_phrasings(sentence, name, role, organisation):
    result = _extract(f"Notes\n\n{sentence}\n")
    speaker = result.speakers[0]
    assert (speaker.name, speaker.role, speaker.organisation) == (name, role, organisation)
    assert speaker.evidence.sentence == sentence


def test_people_named_in_passing_are_not_speakers():
    result = _extract(
        "Ada Lovelace, Head of Data at the Home Office, spoke at the Data Summit. "
        "Bob Babbage, the Institute's director, introduced her. "
        "Carol Hopper, chair of the committee, replied from the floor.\n"
    )
    assert [s.name for s in result.speakers] == ["Ada Lovelace"]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("On Monday 30 June 2014 she spoke.", "2014-06-30"),
        ("It was held on June 30, 2014.", "2014-06-30"),
        ("Date 2014-06-30.", "2014-06-30"),
        ("On 30/06/2014.", "2014-06-30"),
        ("In March 2016.", "2016-03"),
        ("On 31 February 2016.", "2016-02"),  # an impossible day falls back to the month
    ],
)
def test_date_formats(text, iso):
    parsed = parse_date(text)
    assert (parsed[0] if parsed else None) == iso


def test_event_fields_from_labels_and_body():
    result = _extract(
        "Event: Camp Example 2019\nOrganised by: Example Events\nFormat: online conference\n\n"
        "Ada Lovelace, Head of the Government Digital Service, will speak at Camp Example 2019.\n"
    )
    event = result.event
    assert (event.title, event.date, event.host, event.format) == (
        "Camp Example 2019", "2019", "Example Events", "online")


def test_an_untitled_event_is_evidenced_by_the_sentence_naming_its_host():
    result = _extract(
        "Joined-up government\n\nThe speaker set out an agenda.\n\n"
        "Ada Lovelace, Head of the Government Digital Service, addressed the Institute for Government "
        "on 13 May 2022 about joined-up government.\n"
    )
    event = result.event
    assert (event.date, event.host) == ("2022-05-13", "Institute for Government")
    assert event.evidence is not None and "addressed the Institute for Government" in event.evidence.sentence


def test_an_event_no_sentence_tells_of_is_not_a_fact():
    result = _extract("Ada Lovelace, Head of the Government Digital Service, spoke about platforms.\n")
    assert result.event.evidence is None
    assert not [t for t in extraction_triples(result) if t[1] == GG.deliveredAt]


def test_pressures_themes_and_departments_with_evidence():
    result = _extract(
        "Ada Lovelace, Head of the Government Digital Service, spoke at the summit.\n"
        "She said budget cuts and the threat of cyber attack were forcing change at HMRC and "
        "the Department for Work and Pensions (DWP), and that teams must fail fast and iterate.\n"
    )
    assert {p.key for p in result.pressures} == {"financial", "security"}
    assert {d.label for d in result.departments} >= {
        "Government Digital Service", "HMRC", "Department for Work and Pensions"}
    assert "agile-and-iterative-working" in {t.key for t in result.themes}
    for fact in (*result.pressures, *result.departments, *result.themes):
        assert fact.evidence.sentence in result.document.text


def test_social_security_is_not_a_security_pressure():
    result = _extract("Ada Lovelace, Head of the Government Digital Service, spoke about "
                      "social security and welfare payments.\n")
    assert "security" not in {p.key for p in result.pressures}


def test_reference_to_another_speech():
    result = _extract(
        "Ada Lovelace, Head of the Government Digital Service, spoke at the summit. "
        "The event follows the speech given by Bob Babbage at the Institute in June, "
        "Engines of Government - a history.\n"
        "She is known for an earlier talk, Counting Machines.\n"
    )
    refs = {(r.speaker, r.title) for r in result.related_speeches}
    assert refs == {("Bob Babbage", "Engines of Government - a history"),
                    ("Ada Lovelace", "Counting Machines")}


def test_json_has_the_documented_keys():
    data = _extract("Ada Lovelace, Head of the Government Digital Service, spoke.\n").to_json()
    assert {"speakers", "event", "themes", "pressures", "departments", "related_speeches"} <= set(data)
    assert set(data["event"]) >= {"title", "date", "host", "format"}


_WORDS = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Theta", "Kappa")


def _capitalised(separator: str, size: int, end: str = ".") -> str:
    """About `size` characters of capitalised words joined by `separator`, with no sentence break."""
    return separator.join(itertools.islice(itertools.cycle(_WORDS), size // (5 + len(separator)))) + end


def _person(i: int) -> str:
    """A different two-word name for each i below 17,576."""
    a, b, c = chr(65 + i % 26), chr(97 + i // 26 % 26), chr(97 + i // 676 % 26)
    return f"{a}{b}{c}ina {c.upper()}{b}{a.lower()}ley"


def _seconds(text: str) -> float:
    """The faster of two extractions of a text (the first also stems its words), as timeit: no GC."""
    document = parse_document(text.encode(), "t.txt", "text/plain")
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(2):
            start = time.perf_counter()
            extract(document, default_lexicon())
            best = min(best, time.perf_counter() - start)
    finally:
        gc.enable()
    return best


# (characters, text of about that size): each took time growing with the square of its size
ADVERSARIAL = {
    "capitalised words": (48_000, lambda n: _capitalised(" ", n)),
    "hyphen-joined words": (48_000, lambda n: _capitalised("-", n)),
    "possessives": (48_000, lambda n: _capitalised("'s ", n)),
    "acronyms": (24_000, lambda n: "GDS " * (n // 4) + "."),
    "joined capitals": (48_000, lambda n: "hosted by " + "AlphaBeta" * (n // 9) + "."),
    "parentheses in a heading": (48_000, lambda n: "Talk - Ada Lovelace, " + _capitalised(" (", n, "")),
    "adjectives in a heading": (48_000, lambda n: "Talk " + "opening " * (n // 8) + "- Ada Lovelace"),
    "post-nominals in a label": (48_000, lambda n: "Speaker: Ada Lovelace" + " MP" * (n // 3) + " x"),
    "one host named throughout": (48_000, lambda n: "Institute for Government " * (n // 25) + "."),
    "abbreviations": (48_000, lambda n: "Dr. Alpha " * (n // 10)),
    "speakers of one organisation": (96_000, lambda n: "".join(
        f"{_person(i)}, Head of Digital at the Cabinet Office, spoke. " for i in range(n // 66))),
}


@pytest.mark.parametrize(("size", "make"), ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_doubling_an_adversarial_input_at_most_doubles_the_time(size, make):
    for _ in range(3):  # a busy machine may slow one measurement; a quadratic input is slow every time
        small, large = _seconds(make(size)), _seconds(make(2 * size))
        if large / small <= 2.5:
            return
    pytest.fail(f"{size:,} characters took {small:.3f} s, {2 * size:,} took {large:.3f} s")


def test_a_hyphenated_role_after_a_possessive_is_read_at_once():
    # the role's words could be split at any letter: this sentence took 27 s
    assert _seconds("The Cabinet Office's digital-transformation-programme-assessment-lead said.") < 0.5


# --- events: labels, dates, hosts and formats; references to other talks (issue 17, sections 4 and 6)

def test_a_label_over_its_value_gives_the_date_not_the_page_date():
    event = _extract(
        "Records roundtable\n\nPublished 2 May 2024\n\nDate\n\nTuesday 23 April 2024, 10:00\n\n"
        "Location\n\nThe Grange Hall, Leeds, and online\n\n"
        "The roundtable on shared records was streamed live for those who could not travel.\n"
    ).event
    assert (event.date, event.format) == ("2024-04-23", "hybrid")


def test_a_date_without_a_year_takes_the_year_of_the_post():
    event = _extract(
        "Notes from the festival\n\nPosted on 9 January 2025\n\n"
        "At the Northern Data Festival in York on 30 December, Ada Lovelace, Head of the "
        "Government Digital Service, spoke about platforms.\n"
    ).event
    assert (event.title, event.date, event.format) == ("Northern Data Festival", "2024-12-30", "in-person")


@pytest.mark.parametrize(
    ("sentence", "title", "host"),
    [
        ("Ada Lovelace, Head of the Government Digital Service, spoke at the Open Data Institute's "
         "annual Summit.", "Open Data Institute Summit", "Open Data Institute"),
        ("Ada Lovelace, Head of the Government Digital Service, spoke at the Civic Futures Society's "
         "'Rebooting the State' conference.", "Rebooting the State", "Civic Futures Society"),
        ("Ada Lovelace, Head of the Government Digital Service, spoke at the Tamar Valley Councils "
         "Network Annual Conference.", "Tamar Valley Councils Network Annual Conference",
         "Tamar Valley Councils Network"),
    ],
)
def test_a_host_named_in_the_event_name(sentence, title, host):
    event = _extract(f"Notes\n\n{sentence}\n").event
    assert (event.title, event.host) == (title, host)


def test_a_host_thanked_for_the_invitation_and_a_host_by_its_short_form():
    thanked = _extract("Good morning.\n\nThank you to the Wessex Digital Network for inviting me to "
                       "this forum, and to all of you for coming.\n").event
    assert thanked.host == "Wessex Digital Network"
    short = _extract("Rural data\n\nThe Institute for Rural Policy asked a panel about data. The panel "
                     "was held in the Institute's library and chaired by one of its fellows.\n").event
    assert short.host == "Institute for Rural Policy"


def test_a_heading_naming_the_speaker_is_not_the_event_title():
    event = _extract("Keynote address to the Midlands Public Services Summit\n\n"
                     "Ada Lovelace, Head of the Government Digital Service, spoke about platforms.\n").event
    assert event.title == "Midlands Public Services Summit"


def test_an_evidence_session_is_held_by_its_committee():
    event = _extract("Benefits Scrutiny Committee\n\nOral evidence: Paying benefits online, HC 220\n\n"
                     "Members present: Ann Hollis (Chair); Rob Dene.\n").event
    assert (event.title, event.host, event.format) == (
        "Oral evidence: Paying benefits online", "Benefits Scrutiny Committee", "in-person")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("This month's session was held on Zoom, and the speakers answered questions in the chat.",
         "online"),
        ("Around 200 people came to Leicester for the day, and the talks were also streamed online.",
         "hybrid"),
        ("This was a podcast episode rather than an in-person talk, recorded online.", None),
    ],
)
def test_event_format_cues(text, fmt):
    assert _extract(f"Notes\n\n{text}\n").event.format == fmt


def test_earlier_talks_recalled_by_the_speaker():
    result = _extract(
        "Ada Lovelace, Head of the Government Digital Service, spoke at the summit.\n\n"
        "When I spoke at this summit two years ago, I promised you a working platform.\n\n"
        "Many of you will have heard Tobias Wren speak at the regional board meeting last year "
        "about shared records.\n\n"
        "This is my first speech as a director, so be kind.\n"
    )
    assert {(r.speaker, r.title) for r in result.related_speeches} == {
        ("Ada Lovelace", None), ("Tobias Wren", None)}


def test_a_write_up_of_the_talk_itself_is_not_a_reference():
    result = _extract(
        "When Tobias Wren spoke at the Shire Data Forum in May, he told us that records must follow "
        "people.\n\nWren said councils should share more.\n"
    )
    assert result.related_speeches == ()


def _departments(text: str) -> dict[str, str]:
    """Departments found in a one-paragraph note: name as written -> gazetteer key ('' if none)."""
    return {d.label: d.key for d in _extract(f"Notes\n\n{text}\n").departments}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Treasury Board approved the new service policy.",
         {"Treasury Board": "treasury-board-of-canada-secretariat"}),
        ("Officials from Home Affairs briefed the committee.", {}),
        ("The Department of Finance set the budget rules.", {"Department of Finance": ""}),
        ("Across Canada, the Department of Finance set the budget rules.",
         {"Department of Finance": "canada-department-of-finance"}),
        ("In Australia, the Department of Finance set the budget rules.",
         {"Department of Finance": "australia-department-of-finance"}),
        ("Inland Revenue collected the tax before 2005.", {"Inland Revenue": "inland-revenue"}),
        ("Inland Revenue in New Zealand rebuilt its tax platform.",
         {"Inland Revenue": "new-zealand-inland-revenue"}),
    ],
)
def test_a_name_links_only_to_the_country_the_text_is_about(text, expected):
    assert _departments(text) == expected


def test_a_foreign_abbreviation_needs_its_country_in_view():
    assert _departments("The ATO and the CRA were both mentioned.") == {}
    assert _departments("Australians lodge returns with the ATO.") == {"ATO": "australian-taxation-office"}


def test_hashtags_and_handles_are_not_mentions():
    assert _departments("Follow #GCDigital, @DTA_gov and @StatCan_eng, or read #NHSDigital.") == {}


def test_councils_and_health_bodies_are_found_by_their_place():
    found = _departments(
        "Kent County Council, City of York Council and Camden Council joined NHS Lothian and the "
        "Royal Free London NHS Foundation Trust; the Arts Council and the Canadian Digital "
        "Leadership Council watched."
    )
    assert found == {"Kent County Council": "", "City of York Council": "", "Camden Council": "",
                     "NHS Lothian": "", "Royal Free London NHS Foundation Trust": ""}


def test_a_state_or_nation_before_a_department_is_part_of_its_name():
    found = _departments("She moved from the Ohio Department of Health to the "
                         "U.S. Department of Agriculture’s Food and Nutrition Service.")
    assert found == {"Ohio Department of Health": "",
                     "U.S. Department of Agriculture": "us-department-of-agriculture",
                     "Food and Nutrition Service": "us-food-and-nutrition-service"}


def test_doubling_place_names_before_council_at_most_doubles_the_time():
    def make(n: int) -> str:
        return _capitalised(" ", n // 2) + " Council " + "NHS " * (n // 8) + "Trust."
    small, large = _seconds(make(48_000)), _seconds(make(96_000))
    assert large / small <= 2.5


def _speakers(text: str, name: str = "t.txt", media: str = "text/plain") -> list[tuple]:
    return [(s.name, s.role, s.organisation) for s in _extract(text, name, media).speakers]


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("Tobias Wren – 2018 Speech on Shared Platforms", "Tobias Wren"),
        ("Tobias Wren MSP: speech at the Northern Data Conference, 4 June 2018", "Tobias Wren"),
        ("Build Week 7: Tobias Wren speech", "Tobias Wren"),
        ("Speech: Tobias Wren Speech at the Guild's 'Open Services' Conference", "Tobias Wren"),
    ],
)
def test_a_heading_naming_the_speaker_before_the_speech(heading, name):
    text = f"{heading}\n\nGood morning. It is a pleasure to be here today.\n"
    assert [s[0] for s in _speakers(text)] == [name]


def test_a_preamble_names_the_speaker_with_role_and_body():
    text = ("Below is the text of the speech made by Corin Ashdown, the Director of Services at the "
            "Home Office, at the Open Services Forum in Leeds on 2nd May 2017.\n\nThank you.\n")
    assert _speakers(text) == [("Corin Ashdown", "Director of Services", "Home Office")]


def test_notes_prepared_for_a_titled_speaker():
    text = ("Remarks for the Civic Data Week on May 4, 2021 as prepared for Administrator Lena Ostrowski\n\n"
            "Thank you all for coming. I am glad to be here.\n")
    assert _speakers(text) == [("Lena Ostrowski", "Administrator", None)]
    text = ("Speaking notes for the Honourable Lena Ostrowski, Minister of Digital Government, "
            "to the Open Cities Forum\n\nThank you all for coming. I am glad to be here.\n")
    assert _speakers(text)[0][:2] == ("Lena Ostrowski", "Minister of Digital Government")


def test_a_label_whose_value_is_the_next_block():
    html = ("<html><body><main><h1>Keynote address to the Open Cities Forum</h1><dl>"
            "<dt>Speaker:</dt><dd>Dr Ines Halloran, Chief Technology Officer, Ministry of Justice</dd>"
            "<dt>Location:</dt><dd>Cardiff</dd></dl><p>Good morning, and thank you for having me here.</p>"
            "</main></body></html>")
    assert _speakers(html, "t.html", "text/html") == [
        ("Ines Halloran", "Chief Technology Officer", "Ministry of Justice")]


def test_a_speakers_heading_with_name_role_lines_and_a_moderator():
    text = ("Speakers\n\nUma Pickering: Head of Product, Home Office\n\n"
            "Felix Dunmore: Lead Engineer, HM Land Registry\n\n"
            "Moderator: Rosa Keeling, Head of Events, Brightline Digital\n\n"
            "Rosa Keeling: Welcome. Uma, where do you start?\n\n"
            "Uma Pickering: With the people who use the service, always.\n\n"
            "Rosa Keeling: And Felix, what about you?\n\n"
            "Felix Dunmore: With the code we already have.\n")
    assert _speakers(text) == [("Uma Pickering", "Head of Product", "Home Office"),
                               ("Felix Dunmore", "Lead Engineer", "HM Land Registry")]


def test_witnesses_with_honorifics_and_post_nominals_and_a_chair():
    text = ("Members present: The Rt Hon Sir Aldous Penrose MP (Chair); Nell Oduya.\n\n"
            "Witnesses: Professor Dame Ottilie Brannock DBE, Chief Scientific Adviser, Department for "
            "Transport, and Kasimir Lowe OBE, Director of Data, HM Revenue and Customs.\n\n"
            "Q1 Chair: Welcome to you both. Could you introduce yourselves?\n\n"
            "Professor Brannock: Thank you, Chair.\n")
    assert _speakers(text) == [
        ("Ottilie Brannock", "Chief Scientific Adviser", "Department for Transport"),
        ("Kasimir Lowe", "Director of Data", "HM Revenue and Customs")]


def test_a_panel_listed_in_one_sentence():
    text = ("Panel notes\n\nThe panellists were Dr Wen Hartley, Head of Data at the Department for "
            "Education; Marcus Oyelaran, Chief Executive, Leeds City Council and Professor Agnes Fell, "
            "Professor of Law at the University of Kent. The discussion was chaired by Ruth Amberley.\n")
    assert _speakers(text) == [
        ("Wen Hartley", "Head of Data", "Department for Education"),
        ("Marcus Oyelaran", "Chief Executive", "Leeds City Council"),
        ("Agnes Fell", "Professor of Law", "University of Kent")]


def test_a_first_person_speech_gives_role_and_body():
    text = ("---\ntitle: Councils first\nspeaker: Idris Pennant MP\n---\n\nGood morning.\n\n"
            "This is my first speech as a minister, and I am glad to give it here.\n\n"
            "My department, the Department for Education, will publish its plans in the spring.\n")
    assert _speakers(text, "t.md", "text/markdown") == [
        ("Idris Pennant", "Minister", "Department for Education")]


def test_turn_labels_without_the_interviewer_or_an_introduced_quote():
    text = ("In conversation\n\nNoel Sutter: Thanks for joining. What does the job involve?\n\n"
            "Ayesha Carrow: Mostly listening to users, and then fixing what they tell us.\n\n"
            "Noel Sutter: What comes next?\n\n"
            "Ayesha Carrow: More of the same, but faster.\n\n"
            "In a press release last week, the minister said:\n\n"
            "Dorian Falk: Services must work for everyone.\n")
    assert [s[0] for s in _speakers(text)] == ["Ayesha Carrow"]


@pytest.mark.parametrize(
    ("sentence", "speaker"),
    [
        ("The Cabinet Office Minister, Petra Vance, said that platforms would be shared.",
         ("Petra Vance", "Minister", "Cabinet Office")),
        ("Lord Ashcombe (Henry Lyle), Minister of State at the Cabinet Office, set out the plan.",
         ("Lord Ashcombe", "Minister of State", "Cabinet Office")),
        ("Minister for Digital Skills Petra Vance told the conference that training comes first.",
         ("Petra Vance", "Minister for Digital Skills", None)),
    ],
)
def test_a_title_before_or_around_the_name(sentence, speaker):
    assert _speakers(f"Notes\n\n{sentence}\n") == [speaker]


def test_a_speech_page_from_a_body_and_a_minister():
    text = ("Minister's speech at the Open Data Forum\n\nFrom: Home Office and The Rt Hon Mabel Orrin MP\n\n"
            "Thank you for inviting me here today. It is good to be among friends.\n")
    assert [s[0] for s in _speakers(text)] == ["Mabel Orrin"]


def test_round_up_lines_with_role_and_a_list_item_with_only_a_body():
    text = ("What we heard\n\nNia Castell, Head of Digital at Camden Council: \"Start small.\"\n\n"
            "Theo Brisk, Data Lead, Home Office: \"Publish the data.\"\n")
    assert _speakers(text) == [("Nia Castell", "Head of Digital", "Camden Council"),
                               ("Theo Brisk", "Data Lead", "Home Office")]
    text = ("Event report\n\nSpeakers included Lior Demant, chief data officer at the Home Office, "
            "and Piers Wold of the Open Data Institute.\n")
    assert _speakers(text) == [("Lior Demant", "chief data officer", "Home Office"),
                               ("Piers Wold", None, "Open Data Institute")]


def test_a_capitalised_title_before_the_name_in_commas():
    text = "Notes\n\nThe Minister for Digital Services, Elsa Marwick, said that forms would be shorter.\n"
    assert _speakers(text) == [("Elsa Marwick", "Minister for Digital Services", None)]


def _pressures(text: str) -> set[str]:
    """The pressures a one-paragraph note names."""
    return {p.key for p in _extract(f"Notes\n\n{text}\n").pressures}


@pytest.mark.parametrize(
    ("text", "pressure"),
    [
        ("Every council is being asked to make its grant go further while the grant itself shrinks.",
         "financial"),
        ("Residents would rather sort out a parking permit on a phone than queue at the town hall.",
         "user-demand"),
        ("Housing officers still copy each tenancy by hand from one database to another.",
         "internal-tools"),
        ("Organised gangs try to break into benefit accounts every week.", "security"),
        ("We are splitting the old outsourcing deals so that smaller firms can bid for the work.",
         "procurement"),
        ("Patient records must be handled securely.", "security"),
    ],
)
def test_a_pressure_named_in_the_texts_own_words(text, pressure):
    assert pressure in _pressures(text)


@pytest.mark.parametrize(
    "text",
    [
        "Let me be clear: this programme is not about saving money.",
        "The exhibition hall has three tracks: cyber security, procurement and data.",
        "Tags: procurement, cyber security, legacy IT.",
        "Share your thoughts using #CyberSecurity or tag @BuyingForGov.",
        "She gave the closing talk at the Public Procurement and Cyber Security Expo.",
        "The event was sponsored by a cloud supplier, and lunch cost ten pounds.",
        "A budget was agreed for the new library.",
        "He spent ten years in social security policy before joining the team.",
    ],
)
def test_a_cue_that_is_not_the_speaker_naming_a_pressure(text):
    assert _pressures(text) == set()


def test_headlines_under_related_stories_name_no_pressure():
    text = ("Ada Lovelace opened the new office.\n\nRelated stories\n\n"
            "Why procurement rules fail small firms\n\nCyber attack hits county council\n")
    assert _extract(text).pressures == ()


def test_a_pressure_is_evidenced_by_the_sentence_that_names_it():
    result = _extract("Notes\n\nThe team met in March.\n\n"
                      "Fraudsters keep trying to take over people's tax accounts.\n")
    (fact,) = result.pressures
    assert (fact.key, fact.evidence.sentence) == (
        "security", "Fraudsters keep trying to take over people's tax accounts.")


def test_doubling_a_text_of_pressure_cues_at_most_doubles_the_time():
    def make(n: int) -> str:
        return "they people not users expect online still wait budget cut " * (n // 57) + "."
    for _ in range(3):
        small, large = _seconds(make(24_000)), _seconds(make(48_000))
        if large / small <= 2.5:
            return
    pytest.fail(f"24,000 characters took {small:.3f} s, 48,000 took {large:.3f} s")


def test_a_body_whose_name_has_commas_and_and_is_one_item():
    text = ("Notes\n\nSpeaker: Rowan Teal, Deputy Director, Foreign, Commonwealth & Development Office\n\n"
            "Speaker: Ilse Marr, Head of Data, Department for Science, Innovation and Technology\n")
    assert _speakers(text) == [
        ("Rowan Teal", "Deputy Director", "Foreign, Commonwealth & Development Office"),
        ("Ilse Marr", "Head of Data", "Department for Science, Innovation and Technology")]


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("The Northgate Policy Institute hosted the annual lecture, and Ada Lovelace, Head of the "
         "Government Digital Service, gave it.", "Northgate Policy Institute"),
        ("Good evening. It is a pleasure to be here at the Northgate Policy Institute tonight.",
         "Northgate Policy Institute"),
        ("Ada Lovelace, Head of the Government Digital Service, thanked the Fenland Digital Network, which "
         "organised the summit.", "Fenland Digital Network"),
    ],
)
def test_a_host_in_the_active_voice_or_here_at(text, host):
    assert _extract(f"Notes\n\n{text}\n").event.host == host


def test_a_year_alone_and_a_street_address():
    event = _extract("Expo keynote, Bristol, 2015\n\nAda Lovelace, Head of the Government Digital Service, "
                     "gave the keynote at 14 Harbour Side Road to a full house.\n").event
    assert (event.date, event.format) == ("2015", "in-person")


@pytest.mark.parametrize(
    ("sentence", "reference"),
    [
        ("Last year I spoke at this summit about forms.", ("Ada Lovelace", None)),
        ("One of my first speeches here was about forms.", ("Ada Lovelace", None)),
        ("Some of you will remember Tobias Wren's talk at the county forum last spring.",
         ("Tobias Wren", None)),
    ],
)
def test_more_ways_of_recalling_a_talk(sentence, reference):
    result = _extract("Ada Lovelace, Head of the Government Digital Service, spoke at the summit.\n\n"
                      f"{sentence}\n")
    assert [(r.speaker, r.title) for r in result.related_speeches] == [reference]


def test_virtually_all_is_no_online_event():
    text = "Notes\n\nVirtually every council has signed up, the delegates in the hall heard.\n"
    event = _extract(text).event
    assert event.format == "in-person"


@pytest.mark.parametrize(
    ("text", "pressure"),
    [
        ("Hundreds of small suppliers now sell to councils through G-Cloud.", "procurement"),
        ("The last Spending Review asked every department for deeper savings.", "financial"),
    ],
)
def test_a_name_that_is_the_pressure_itself_is_not_masked_as_a_proper_name(text, pressure):
    assert pressure in _pressures(text)


def test_the_event_of_a_recalled_talk_is_not_this_one():
    text = ("Notes\n\nWhen I spoke at the Old Town Digital Forum last year, I promised a platform.\n\n"
            "Ada Lovelace, Head of the Government Digital Service, spoke at the Riverside Data Summit.\n")
    event = _extract(text).event
    assert event.title == "Riverside Data Summit"


def _themes(text: str) -> set[str]:
    return {t.key for t in _extract(text).themes}


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Our caseworkers still copy every claim between four screens.", "tools-for-frontline-staff"),
        ("Most residents now reach us from a smartphone, so we build mobile-first.", "mobile-services"),
        ("Every team can reuse the same building blocks instead of starting again.",
         "government-as-a-platform"),
        ("Each new form is tested with users before it goes anywhere near a minister.",
         "user-centred-services"),
        ("Nobody should be asked the same question twice by two offices.", "once-only-principle"),
        ("Fraudsters go after the weakest account they can find.", "cyber-security"),
    ],
)
def test_themes_found_in_a_texts_own_words(text, theme):
    assert theme in _themes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Grace Hopper, Minister for Digital Economy and Skills, opened the morning.",
        "Alan Turing is Chief Data Officer at the Ministry of Examples.",
    ],
)
def test_a_theme_wording_inside_a_job_title_is_not_a_theme(text):
    assert not _themes(text) & {"digital-economy", "digital-leadership-roles"}


def test_a_theme_written_as_a_name_counts_inside_a_name():
    assert "service-standard" in _themes("Each team is assessed against the Digital Service Standard.")


def test_theme_wordings_in_a_page_menu_do_not_count():
    assert "privacy-and-data-protection" not in _themes("Talk notes.\n\nHome | Privacy | Cookies | Terms\n")


def test_surname_and_capitals_turn_labels_find_the_full_name():
    text = ("Oral evidence session\n\nMira Soltan is Head of Data at the Home Office.\n\n"
            "CHAIR: What went wrong with the old system?\n\n"
            "MS SOLTAN: The records were split across four databases, and none of them agreed.\n\n"
            "CHAIR: And now?\n\nSoltan: We have one register, checked every night against the source.")
    assert [s[0] for s in _speakers(text)] == ["Mira Soltan"]


def test_a_peer_is_named_without_the_territorial_designation():
    text = ("Witnesses\n\nI: Lord Dunmore of Kelso, Minister of State, Cabinet Office; Ada Fenn, Director of "
            "Platforms, Government Digital Service.\n\nLORD DUNMORE OF KELSO: Thank you for having us.")
    names = {s[0] for s in _speakers(text)}
    assert names == {"Lord Dunmore", "Ada Fenn"}


def test_a_speech_page_names_its_speaker_in_the_headings_above_the_text():
    text = ("SPEECH\n\nTHE HON OLIVE GRANT MP\n\nMINISTER FOR CUSTOMER SERVICE\n\nCheck against delivery\n\n"
            "Good morning. I want to talk about the services people use every day and how to simplify them.")
    assert _speakers(text) == [("Olive Grant", "Minister for Customer Service", None)]


def test_a_byline_is_the_speaker_only_when_the_author_gave_the_talk():
    talk = ("by Ruth Amis, Head of Content, Ministry of Justice\n\n"
            "Last month I gave a short talk at a design meetup. This post is what I said, more or less.")
    roundup = ("by Ruth Amis, Head of Content, Ministry of Justice\n\n"
               "The meetup had three talks this month, and this post is what we learned from them.")
    assert [s[0] for s in _speakers(talk)] == ["Ruth Amis"]
    assert "Ruth Amis" not in {s[0] for s in _speakers(roundup)}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("In conversation were Kofi Mensah (Chief Digital Officer, Home Office) and the Open Data "
         "Institute's Lia Berg.", {("Kofi Mensah", "Chief Digital Officer", "Home Office"),
                      ("Lia Berg", None, "Open Data Institute")}),
        ("10:15 Closing keynote: Tam Reid (Director of Digital, Cabinet Office) on what comes next",
         {("Tam Reid", "Director of Digital", "Cabinet Office")}),
        ("With Noor Qadir, who leads service design at Leeds City Council, and Sam Hart, Head of Data at the "
         "Home Office.", {("Noor Qadir", "leads service design", "Leeds City Council"),
                          ("Sam Hart", "Head of Data", "Home Office")}),
    ],
)
def test_panel_items_in_brackets_possessives_and_who_clauses(text, expected):
    assert set(_speakers(text)) == expected


def test_a_person_from_a_body_and_a_joined_speaker_are_speakers_but_an_introducer_is_not():
    text = ("The evening was introduced by Pia Lund, director of the forum. First came Omar Haddad from "
            "the Home Office, who spoke about passports. He was joined by Ines Roth, who leads identity "
            "work at the Cabinet Office, for questions.")
    names = {s[0] for s in _speakers(text)}
    assert names == {"Omar Haddad", "Ines Roth"}


def test_a_caption_names_a_speaker():
    text = "Yara Bell speaking at the Services Summit\n\nThe summit drew a full hall this year, as ever."
    assert [s[0] for s in _speakers(text)] == ["Yara Bell"]


def test_remarks_of_a_named_person_above_the_text_with_the_title_below():
    text = ("Remarks of Ivo Sand\n\nDirector of Digital Economy\n\nAs Prepared for Delivery\n\n"
            "Good afternoon. Thank you for asking me to speak about the work of my office this year.\n\n"
            "HOST: We have time for one question.\n\nQUESTION: What comes next?\n\n"
            "SAND: More of the same, done faster and in the open.")
    assert _speakers(text) == [("Ivo Sand", "Director of Digital Economy", None)]


def test_a_title_nameparser_does_not_know_stays_out_of_the_heading_name():
    text = ("Speech by Executive Vice-President Rosa Tamm at the Data Forum\n\nCheck against delivery\n\n"
            "Good morning. It is a pleasure to open the forum again this year.")
    assert _speakers(text) == [("Rosa Tamm", "Executive Vice-President", None)]


def test_every_country_word_holds_one_of_the_clues_that_let_its_search_be_skipped():
    """A document without any of a country's clues skips its pattern: each word must hold a clue."""
    from govgraph.extract.organisations import _COUNTRY_CLUES, _COUNTRY_NAMED, _COUNTRY_WORDS

    assert set(_COUNTRY_CLUES) == set(_COUNTRY_WORDS)
    for country, words in _COUNTRY_WORDS.items():
        for word in words.split("|"):
            literal = re.sub(r"\(\?<?[=!][^)]*\)", "", word).replace("\\", "")  # lookarounds and escapes
            assert _COUNTRY_NAMED[country].search(f"the {literal} government"), (country, word)
            assert any(clue in literal for clue in _COUNTRY_CLUES[country]), (country, word)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        # a lower-case title before the name
        ("The digital minister, Colm Feeney, told delegates that forms would be simpler.\n\nHe said more.",
         ["Colm Feeney"]),
        # a "Speakers" heading with "NAME — ROLE, ORG" lines
        ("Speakers\n\nFarah Quadir — Director of Digital, Ministry of Justice\n\n"
         "Owen Pryce — Head of Data, Welsh Government\n\nThe panel discussed data.", ["Farah Quadir", "Owen Pryce"]),
        # a transcript whose first voice welcomes the others is hosted, not spoken, by it
        ("Anya Petrova: Thanks for joining. Today we talk about platforms.\n\n"
         "Joel Kimani (GDS): Happy to be here. Platforms save money.\n\nAnya Petrova: Great.", ["Joel Kimani"]),
        ("Joel Kimani, director of platforms at GDS, was interviewed by Anya Petrova for the podcast.\n\n"
         "He explained why platforms matter.", ["Joel Kimani"]),
        ("Good morning. My name is Wen Li and it's a pleasure to be at the Digital Leaders conference.", ["Wen Li"]),
        ('"We need to buy differently," said Ruth Ekwueme, commercial director at the Crown Commercial Service.',
         ["Ruth Ekwueme"]),
        ("Delivered by: Rt Hon Gemma Lowry MSP, Cabinet Secretary for Finance\n\nToday I want to set out.",
         ["Gemma Lowry"]),
        # a numbered record of turns; the member asking questions is not a speaker
        ("[12] Rhys Owen MS: Why is progress slow?\n\n[13] Dr Sioned Bevan: Because old systems still work. "
         "Staff find ways round them.\n\n[14] Rhys Owen MS: And money?\n\n[15] Dr Sioned Bevan: There is never "
         "enough of it.", ["Sioned Bevan"]),
        # stacked capitals above a statement, with a comma before the post-nominal
        ("STATEMENT BY\n\nDR. THEODORA OKAFOR, PhD\n\nCHIEF INFORMATION OFFICER\n\n"
         "Chairman Rowe and Members of the Subcommittee, thank you for the opportunity to appear today.",
         ["Theodora Okafor"]),
        # named in full once, then by surname where the text says they spoke
        ("The head of the agency, Renata Solano, said on Thursday that contracts were too long.\n\n"
         "Speaking at the summit, Solano told a crowd of officials that data belonged to the public.",
         ["Renata Solano"]),
        # a link to the next page is not this page's speaker
        ("Lord Hale - 2018 Speech on County Services\n\nThe following remarks were delivered by Lord Hale.\n\n"
         "Next: Rishi Kanwar - 2018 Speech to the Finance Summit", ["Lord Hale"]),
    ],
)
def test_speaker_shapes(text, speakers):
    assert sorted(s[0] for s in _speakers(text)) == sorted(speakers)


def test_someone_elses_talk_recalled_in_a_speech_is_a_reference_not_a_speaker():
    text = ("Address by Minister Niall Brennan at the Services Forum\n\n"
            "Earlier this year Aoife Kerr, the Government Chief Information Officer, spoke at the Management "
            "Board about life events. I strongly support that work.")
    extraction = _extract(text)
    assert [s.name for s in extraction.speakers] == ["Niall Brennan"]
    assert [r.speaker for r in extraction.related_speeches] == ["Aoife Kerr"]


def test_a_podcasts_guests_are_its_speakers_and_its_presenter_the_host():
    text = ("---\npresenter: Hannah Quale\nguests:\n  - Marcus Toh, First Assistant Secretary, Department of Finance\n"
            "  - Dr Lena Kowal, founder, Tessera Labs\n---\n\n# Episode 4\n\n"
            "**Hannah Quale:** Welcome to the show. Today we're talking about buying technology.\n\n"
            "**Marcus Toh:** Thanks, Hannah. Buying well matters.\n\n**Lena Kowal:** Thanks for having me.\n")
    assert sorted(s[0] for s in _speakers(text, "t.md", "text/markdown")) == ["Lena Kowal", "Marcus Toh"]


def test_a_speaker_named_only_in_the_page_title():
    html = ("<html><head><title>Owain Price keynote: Digital Services Wales 2025 | GOV.WALES</title></head>"
            "<body><main><h1>Chief Digital Officer's keynote at Digital Services Wales 2025</h1>"
            "<p>This is my first speech as Chief Digital Officer for the Welsh Government, and I want to talk "
            "about the basics.</p></main></body></html>")
    assert _speakers(html, "t.html", "text/html") == [("Owain Price", "Chief Digital Officer", "Welsh Government")]


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("Minister hails new service\n\nDigital Minister Jane Rowe said the service would save time.", ["Jane Rowe"]),
        ('Portal launched\n\n"We listened to users," said Premier Dana Lowry in her remarks to the chamber.',
         ["Dana Lowry"]),
        ("Speech by Commissioner Virtala at the Interoperability Days\n\nCommissioner Anna Virtala opened the "
         "event. I am glad to be here.", ["Anna Virtala"]),
        ("---\ntitle: Buying boring things\nauthor: Priya Ghoshal\n---\n\nThese are my notes from my talk at "
         "Services Week last month. I talked about buying boring things well.", ["Priya Ghoshal"]),
        ("Notes from my talk\n\nPosted by Sam Ortega on 3 May 2024\n\nLast week I was invited to speak at the "
         "Local Digital meetup about our housing repairs service.", ["Sam Ortega"]),
        ("Summit report\n\nOpening the summit, Secretary of State Helen Marr said technology must serve people.",
         ["Helen Marr"]),
        ("Conference news\n\nThe chief executive of the Centre, Owen Bell, said on Wednesday that forms were long. "
         "Bell told the conference that translation came last.\n\nAlso speaking at the conference, Hugh Jenks, "
         "head of digital at Carmarthenshire County Council, described the waste service.", ["Owen Bell", "Hugh Jenks"]),
    ],
)
def test_speakers_named_with_their_office_or_by_their_own_words(text, speakers):
    name, media = ("t.md", "text/markdown") if text.startswith("---") else ("t.txt", "text/plain")
    assert sorted(s[0] for s in _speakers(text, name, media)) == sorted(speakers)


def test_regional_bodies_are_government_organisations_by_the_shape_of_their_names():
    text = ("Speech by Jo Bloggs at the North Summit\n\nJo Bloggs, Chief Digital Officer at Greater Manchester "
            "Combined Authority, spoke about a nurse at Hywel Dda University Health Board who uses three systems.")
    assert {d.label for d in _extract(text).departments} >= {
        "Greater Manchester Combined Authority", "Hywel Dda University Health Board"}


def test_a_talk_in_a_series_given_by_someone_else_last_year_is_a_reference():
    text = ("The Ellis Lecture 2026\n\nThe Ellis Lecture was given this year by Dr Maya Tamm, who spoke about "
            "registries. Last year's lecture, \"The long road\", was given by Sir Mark Fenn.\n\n"
            "The vote of thanks was given by Dr Peter Lowe of Sheffield City Council.")
    extraction = _extract(text)
    assert "Mark Fenn" not in {s.name for s in extraction.speakers}
    assert "Peter Lowe" not in {s.name for s in extraction.speakers}
    assert [(r.speaker, r.title) for r in extraction.related_speeches] == [("Mark Fenn", "The long road")]


def test_a_question_put_to_an_interviewee_does_not_make_its_subject_a_speaker():
    text = ("Q&A with the state CIO\n\nQ: Brian Tell, Utah's CIO, said in his keynote that states should share "
            "code. Do you agree?\n\nA: Yes, and we already do.")
    assert "Brian Tell" not in {s[0] for s in _speakers(text)}


def test_speaker_cards_on_a_programme_page():
    html = ("<html><body><main><h1>Speakers</h1><section><h2>Keynotes</h2>"
            "<article><h3>The Hon. Lachie Breen MP</h3><p>Minister for Government Services</p></article>"
            "<article><h3>Joanne Park PSM</h3><p>Chief Executive Officer, Digital Transformation Agency</p>"
            "<p>Joanne has led the agency since 2024 and will talk about old systems.</p></article>"
            "<article><h3>Dr Hemi Walker</h3><p>Government Chief Digital Officer, Department of Internal "
            "Affairs</p></article></section></main></body></html>")
    assert sorted(_speakers(html, "t.html", "text/html")) == [
        ("Hemi Walker", "Government Chief Digital Officer", "Department of Internal Affairs"),
        ("Joanne Park", "Chief Executive Officer", "Digital Transformation Agency"),
        ("Lachie Breen", "Minister for Government Services", None),
    ]


def test_a_record_that_heads_each_turn_with_a_name_line():
    text = ("Committee debate\n\nNiall Rafter\n\nI remind witnesses of the rules. I invite Mr. Dunne to make his "
            "opening statement.\n\nCathal Dunne (Department of Social Protection) | source\n\nI thank the committee. "
            "People want to deal with the State online and our systems are old.\n\nNiall Rafter\n\nThank you, "
            "Mr. Dunne. I call Deputy Hart.\n\nBrid Hart (Dublin North, Labour) | source\n\nWhat happens to "
            "people without a phone?\n\nCathal Dunne\n\nThey keep a paper route.\n\nBrid Hart\n\n"
            "And the text codes?\n\nCathal Dunne\n\nThey stay for people who need them.")
    assert _speakers(text) == [("Cathal Dunne", None, "Department of Social Protection")]


@pytest.mark.parametrize("words", ["Customer Experience", "Border Management", "Information Officer",
                                   "One Hundred Nineteenth Congress"])
def test_words_shaped_as_abstract_nouns_or_numbers_are_not_names(words):
    from govgraph.extract.text import clean_name

    assert clean_name(words) is None
    assert clean_name("Florence Nightingale") == "Florence Nightingale"
    assert clean_name("Baroness Kelling") == "Baroness Kelling"
    assert clean_name("Theresa May") == "Theresa May"  # "May" may end a name, never start one
    assert clean_name("May Jane Roe") is None and clean_name("Updated October") is None


@pytest.mark.parametrize(
    ("heading", "event"),
    [
        ("GovTech Northern Summit 2025: day one agenda", "GovTech Northern Summit 2025"),
        ("Round-up: the spring data meetup", "the spring data meetup"),
        ("Chief Digital Officer's keynote at Digital Public Services Wales 2025", "Digital Public Services Wales 2025"),
        ("Sharing data without losing trust: a fireside chat", "Sharing data without losing trust"),
        ("Ellison Lecture 2026: 'A state you never have to visit'", "Ellison Lecture 2026"),
        ("Cyber resilience for NHS trusts – lessons from the year", "Cyber resilience for NHS trusts – lessons from the year"),
    ],
)
def test_the_events_name_in_a_heading(heading, event):
    from govgraph.extract.events import _event_name

    assert _event_name(heading) == event


def test_a_date_in_capitals_and_a_recorded_date():
    assert parse_date("MARCH 11, 2025") == ("2025-03-11", "day")
    text = "---\ntitle: Episode 4\nrecorded: 2024-07-30\npublished: 2024-08-06\n---\n\nWelcome to the podcast.\n"
    assert extract(parse_document(text.encode(), "t.md", "text/markdown"), default_lexicon()).event.date == "2024-07-30"


def test_a_qa_answers_for_the_person_its_introduction_names():
    text = ("Q&A with the state CIO\n\nRenata Castell, Colorado's chief information officer, gave a keynote "
            "on mainframes. We caught up with her afterward.\n\nQ: Why replace it now?\n\nA: Because the people "
            "who know it are retiring.\n\nQ: And the contracts?\n\nA: Shorter, modular ones.")
    assert [s[0] for s in _speakers(text)] == ["Renata Castell"]


def test_a_title_before_the_name_found_elsewhere_in_the_text():
    text = ("Minister opens CyberGov North\n\nFrom: Department for Science, Innovation and Technology and "
            "Kavita Rhodd MP\n\nNew rules were announced today by the Parliamentary Under-Secretary of State for "
            "Digital Government, Kavita Rhodd, at CyberGov North.")
    assert _speakers(text) == [("Kavita Rhodd", "Parliamentary Under-Secretary of State for Digital Government", None)]


def test_a_mixed_case_title_keeps_its_capitals_and_a_country_after_the_body_is_not_the_body():
    html = ("<html><body><main><h1>Speakers</h1><article><h3>Bea Marr</h3><p>Chief Customer Officer, Service NSW"
            "</p></article><article><h3>Dr Hemi Walk</h3><p>Chief Digital Officer, Department of Internal Affairs, "
            "New Zealand</p></article><article><h3>Jo Pike</h3><p>Chief Executive, Digital Transformation Agency"
            "</p></article></main></body></html>")
    assert ("Bea Marr", "Chief Customer Officer", "Service NSW") in _speakers(html, "t.html", "text/html")
    assert ("Hemi Walk", "Chief Digital Officer", "Department of Internal Affairs") in _speakers(html, "t.html",
                                                                                              "text/html")


def test_a_govuk_speech_page_names_its_speaker_in_its_from_list():
    html = ("<html><head><title>Making services work - GOV.UK</title></head><body><main>"
            "<h1>Making services work</h1><dl><dt>From:</dt><dd><a href='/co'>Cabinet Office</a> and "
            "<a href='/p'>The Rt Hon Jo Blogg MP</a></dd><dt>Published</dt><dd>5 March 2019</dd></dl>"
            "<div><p>Good morning. Public services should be simple for everyone who uses them.</p></div>"
            "</main></body></html>")
    assert [s[0] for s in _speakers(html, "t.html", "text/html")] == ["Jo Blogg"]


def test_a_govuk_pages_related_links_name_no_speaker():
    html = ("<html><body><main><h1>Making services work</h1><dl><dt>From:</dt><dd><a href='/p'>The Rt Hon Jo "
            "Blogg MP</a></dd></dl><div><p>Good morning. Public services should be simple for everyone.</p></div>"
            "<h2>Related content</h2><ul><li><a href='/x'>Another speech by Alan Smithe</a></li></ul>"
            "</main></body></html>")
    assert [s[0] for s in _speakers(html, "t.html", "text/html")] == ["Jo Blogg"]


def test_what_a_related_heading_lists_names_no_speaker():
    text = ("Making services work\n\nGood morning. Public services should be simple for everyone.\n\n"
            "More from this minister\n\nAnother speech by Alan Smithe\n\nA talk by Bo Lind")
    assert _speakers(text) == []


def _corpus_texts() -> list[str]:
    from govgraph.documents import iter_document_paths, read_document

    from .conftest import CORPUS, DATA, REPO

    paths = iter_document_paths([DATA, CORPUS / "docs", REPO / "tests" / "corpus" / "dev" / "docs"])
    return [read_document(p).text for p in paths]


def test_the_words_that_let_a_sentence_skip_the_speaker_patterns_cover_every_verb():
    """A sentence the verb patterns match holds one of the words that let others skip them."""
    from govgraph.extract import speakers as sp

    verbs = re.compile(rf"\b(?:{sp.STRONG_VERBS}|{sp.WEAK_VERBS}|added|noted|continued)\b")
    forms = {m.group(0) for d in _corpus_texts() for m in verbs.finditer(d)}
    assert len(forms) > 20
    for form in forms:
        assert any(w in form for w in sp._SPEAKING_WORDS + sp._SAYING_WORDS), form


def _turns(*turns: str) -> str:
    return "\n\n".join(turns)


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        (_turns("Public Audit Committee", "The Convener (Jane Rowe): Good morning. I welcome our witnesses.",
                "Tom Hale (Audit Scotland): Thank you, convener. Programmes are late. Costs have risen.",
                "Liam Kerr (North East Scotland) (Con): Why are they late?",
                "Tom Hale: Because the old systems are hard to replace. Staff work around them.",
                "The Convener: Thank you.", "Ana Lowe (Scottish Government): We are fixing that. We have a plan.",
                "Liam Kerr (North East Scotland) (Con): When?", "Ana Lowe: Next year. We will report."),
         [("Ana Lowe", None, "Scottish Government"), ("Tom Hale", None, "Audit Scotland")]),
        (_turns("Interview", "Interviewer: What changed this year?", "Priya Dass: We rebuilt the service. Users like it.",
                "Interviewer: And next?", "Priya Dass: Payments. Then identity."), [("Priya Dass", None, None)]),
        (_turns("Doorstop interview", "E&OE", "JANE ROWE: Thanks for coming. Today we launch the app.",
                "QUESTION: How much did it cost?", "JANE ROWE: Less than the old one. Much less.", "QUESTION: When?",
                "JANE ROWE: Today."), [("Jane Rowe", None, None)]),
    ],
)
def test_transcripts_whose_labels_name_bodies_questioners_and_roles(text, speakers):
    assert sorted(_speakers(text)) == speakers


@pytest.mark.parametrize(
    ("text", "speakers"),
    [
        ("News\n\nJane Rowe, speaking at the Local Services Conference, said councils needed better tools.",
         [("Jane Rowe", None, None)]),
        ("News\n\nJane Rowe's keynote at the Local Services Conference focused on better tools for councils.",
         [("Jane Rowe", None, None)]),
        ("News\n\nDelegates heard Jane Rowe, chief executive of the Local Government Association, describe the tools.",
         [("Jane Rowe", "chief executive", "Local Government Association")]),
        ("News\n\nAmong the speakers were Jane Rowe of the LGA and Tom Fry from Nesta.",
         [("Jane Rowe", None, "LGA"), ("Tom Fry", None, "Nesta")]),
        ("News\n\nThe session was led by Jane Rowe, head of data at Ofsted.", [("Jane Rowe", "head of data", "Ofsted")]),
        ("News\n\nThe minister's speech was followed by a panel with Tom Fry and Ana Lowe.",
         [("Ana Lowe", None, None), ("Tom Fry", None, None)]),
        ("News\n\nIt was great to share the panel with Dr Ruth Kenny of Ofsted, whose point about payroll I liked.",
         [("Ruth Kenny", None, "Ofsted")]),
        ("News\n\nShe recalled Maya Okonjo's Kestrel lecture last year and its argument.", []),
    ],
)
def test_speakers_in_news_reports_of_a_talk(text, speakers):
    assert sorted(_speakers(text)) == speakers


@pytest.mark.parametrize("byline", ["Posted by: Jane Rowe, Posted on: 3 May 2019 - Categories: Events",
                                    "By: Jane Rowe", "Author: Jane Rowe"])
def test_a_blog_bylines_author_who_says_they_gave_the_talk(byline):
    text = f"Notes from Sprint\n\n{byline}\n\nLast week I spoke at Sprint about our platform."
    assert [s[0] for s in _speakers(text)] == ["Jane Rowe"]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Statement by Dr Theo Okafor\n\nWhen I testified before this Subcommittee last June, I told you the "
         "costs were rising.", ("Theo Okafor", None)),
        ("Podcast\n\nHost Hana Quale: Marcus, you gave a talk at the Procurement Forum last year where you said "
         "the state should be \"a good customer, not a big one\".\n\nMarcus Toh: I did, and I meant it.",
         (None, None)),
        ("Speech by Lord Calder at the Commercial Summit\n\nA year ago, my predecessor, Baroness Ingle, stood on "
         "this stage and said the new rules would only be as good as the people using them.",
         ("Baroness Ingle", None)),
        ("Notes from my talk\n\nBy Orla Carthy\n\nBack in 2023 I gave a much more nervous version of this talk at a "
         "lunch-and-learn, so it is nice to see how far we have come.", ("Orla Carthy", None)),
    ],
)
def test_talks_recalled_in_their_own_words(text, reference):
    refs = [(r.speaker, r.title) for r in _extract(text).related_speeches]
    assert reference in refs or (reference[0] is None and len(refs) == 1 and refs[0][1] is None)


@pytest.mark.parametrize(
    ("text", "host"),
    [
        ("News\n\nSpeakers at the Federal Modernisation Council's annual Emerge conference called for shorter "
         "contracts.", "Federal Modernisation Council"),
        ("News\n\nThe Institute of Public Buyers' annual conference has long been where buyers meet.",
         "Institute of Public Buyers"),
        ("Speakers\n\nGovDigital is presented by the Capital Region Digital Leaders Network over two days.",
         "Capital Region Digital Leaders Network"),
        ("Episode 4\n\nPublic Service Signal is a podcast from the Southern Cross Policy Institute.",
         "Southern Cross Policy Institute"),
        ("Speech\n\nThank you to the Midwest Municipal Technology Coalition for bringing us together.",
         "Midwest Municipal Technology Coalition"),
    ],
)
def test_hosts_in_the_words_event_pages_use(text, host):
    assert _extract(text).event.host == host


def test_a_host_named_in_a_recalled_talk_is_that_talks():
    text = ("Cloud conference keynote\n\nStephen Fox took the stage at the Cloud conference. The talk came weeks "
            "after he gave the closing presentation at GDS's own Sprint 16 event in February.")
    assert _extract(text).event.host is None


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("Hearing\n\nHearing held in Room 2154, Rayburn House Office Building, at 10 am.", "in-person"),
        ("Write-up\n\nThe director welcomed the 80 guests to the fireside chat in our London offices.", "in-person"),
        ("Episode 4\n\nThe talk, recorded remotely, is released as a video.", "online"),
        ("Lecture\n\nThe list of previous lecturers on the wall outside this theatre is long.", "in-person"),
    ],
)
def test_formats_in_the_words_pages_use(text, fmt):
    assert _extract(text).event.format == fmt


def test_the_gazetteer_trie_finds_what_the_plain_alternation_finds():
    """The factored pattern is a speed-up only: on the gazetteer's names and random texts made of them, the
    first match from every position is the one the longest-first alternation gives."""
    import random

    from govgraph.extract.lexicon import trie_pattern

    names = sorted({n for n, _, _ in default_lexicon().organisation_names}, key=len, reverse=True)
    plain = re.compile(rf"(?<![\w-])(?:{'|'.join(re.escape(n) for n in names)})(?![\w-])")
    trie = re.compile(rf"(?<![\w-])(?:{trie_pattern(names)})(?![\w-])")
    rng = random.Random(17)
    for _ in range(300):
        words = [rng.choice(names) if rng.random() < 0.5 else rng.choice(["the", "and", "of", "X", "Ltd"])
                 for _ in range(6)]
        text = " ".join(words) + rng.choice(["", "s", "-led", " Board"])
        for position in range(0, len(text), 3):
            a, b = plain.search(text, position), trie.search(text, position)
            assert (a and a.span()) == (b and b.span()), text


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Speech by Commissioner Virtala at the Interoperability Days\n\nBrussels, 3 May 2024\n\nAnna Virtala, "
         "European Commissioner for Digital Affairs\n\nLadies and gentlemen, I am glad to be here.",
         ("Anna Virtala", "European Commissioner for Digital Affairs", None)),
        ("Remarks\n\nMinister for Public Services Dara Quinn TD\n\nDublin Castle, 12 June 2024\n\nGood morning "
         "everyone. It is a pleasure to be here.", ("Dara Quinn", "Minister for Public Services", None)),
        ("Keynote: the next decade of public services\n\nDame Helen Ives DBE, Permanent Secretary, Cabinet Office"
         "\n\nThank you for having me.", ("Helen Ives", "Permanent Secretary", "Cabinet Office")),
    ],
)
def test_a_name_and_title_line_above_a_speech(text, speaker):
    assert _speakers(text) == [speaker]


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Meetup 34\n\nOur main speaker this month is Dan Whitt, a senior developer at Kirklees Council. He will "
         "talk about repairs.", ("Dan Whitt", "senior developer", "Kirklees Council")),
        ("Video\n\nIn this talk, Jo Lane, head of design at GDS, explains how the design system grew.",
         ("Jo Lane", "head of design", "GDS")),
        ("Write-up\n\nAfter the keynote, Sam Orr took questions from the audience.", ("Sam Orr", None, None)),
    ],
)
def test_speakers_as_event_listings_and_video_pages_introduce_them(text, speaker):
    assert _speakers(text) == [speaker]


@pytest.mark.parametrize(
    ("later", "role"),
    [
        ("Jane Rowe is the chief digital officer of the Home Office, and has led its platforms team since 2020.",
         ("chief digital officer", "Home Office")),
        ("Pictured: Jane Rowe (Chief Digital Officer, Home Office)", ("Chief Digital Officer", "Home Office")),
    ],
)
def test_a_speakers_title_from_where_the_text_describes_them(later, role):
    text = f"Talk\n\nJane Rowe spoke at the summit about platforms and data in some detail.\n\n{later}"
    assert _speakers(text) == [("Jane Rowe", *role)]


@pytest.mark.parametrize(
    ("heading", "speaker"),
    [
        ("Q&A with Jane Rowe, chief executive of the Home Office", ("Jane Rowe", "chief executive", "Home Office")),
        ("Jane Rowe on why platforms matter", ("Jane Rowe", None, None)),
    ],
)
def test_headings_that_name_a_guest_or_a_blogs_speaker(heading, speaker):
    assert _speakers(f"{heading}\n\nWe spoke about platforms and data, and the answers went into some detail.") == [
        speaker]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("# Transcript: Episode 42 – Buying technology well\n\nWelcome to the show, where we talk about buying.",
         "Buying technology well"),
        ("Ministerial speech\n\nThe minister spoke to delegates at the Titanic Conference Centre in Belfast about "
         "services.", None),
        ("Speakers\n\nLachie Breen\n\nMinister for Government Services", None),
        ("Lord Hale - 2018 Speech on County Services\n\nThe remarks were delivered by Lord Hale to councils.\n\n"
         "Next: Rishi Kanwar - 2018 Speech to the Finance Summit", None),
    ],
)
def test_event_names_not_taken_from_venues_page_labels_or_links(text, title):
    name, media = ("t.md", "text/markdown") if text.startswith("#") else ("t.txt", "text/plain")
    assert _extract(text, name, media).event.title == title


def test_a_short_heading_over_topics_names_no_pressure():
    text = ("Conference tracks\n\nCyber security\n\nPublic procurement\n\nThe minister spoke about services that "
            "people choose to use, and about the long queues at passport offices last summer.")
    assert "security" not in {p.key for p in _extract(text).pressures}
    assert "procurement" not in {p.key for p in _extract(text).pressures}


def test_an_event_page_json_ld_names_the_event_its_host_and_speaker():
    html = ('<html><head><script type="application/ld+json">{"@type": "Event", "name": "Open Services Summit 2025", '
            '"startDate": "2025-06-12", "organizer": {"name": "Civic Futures Institute"}, "performer": {"name": '
            '"Jane Rowe"}, "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"}</script></head>'
            "<body><main><h1>Summit write-up</h1><p>Published 20 June 2025</p><p>Our summit looked at how public "
            "services can earn trust, with talks and a panel on data.</p></main></body></html>")
    extraction = _extract(html, "t.html", "text/html")
    assert [s.name for s in extraction.speakers] == ["Jane Rowe"]
    event = extraction.event
    assert (event.title, event.date, event.host, event.format) == (
        "Open Services Summit 2025", "2025-06-12", "Civic Futures Institute", "online")


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        ("Notes from my talk at Services Week\n\nAuthor\n\nSam Ortiz, Head of Product\n\nLast week I gave a talk at "
         "Services Week about how we rebuilt the repairs service with tenants.", ("Sam Ortiz", "Head of Product", None)),
        ("Keynote\n\nMayor Dana Lowe welcomed delegates and then gave the opening keynote on open data in the city.",
         ("Dana Lowe", "Mayor", None)),
    ],
)
def test_an_author_label_over_its_byline_and_a_talk_after_another_act(text, speaker):
    assert _speakers(text) == [speaker]


def test_an_episodes_guest_is_its_speaker_not_the_host_who_talks_to_them():
    text = ("Episode 12\n\nIn this episode, Ben Archer talks to Julia Mwangi, chief product officer at HM Land "
            "Registry, about digital mortgages and the slow road to them.")
    assert _speakers(text) == [("Julia Mwangi", "chief product officer", "HM Land Registry")]


def test_the_biography_under_about_the_speaker_names_the_speaker():
    text = ("Event: digital mortgages\n\nAbout the speaker\n\nJulia Mwangi is the chief product officer at HM Land "
            "Registry, where she has led the digital mortgage service since 2019.")
    assert _speakers(text) == [("Julia Mwangi", "chief product officer", "HM Land Registry")]
    page = ("Speakers\n\nGovDigital Canberra is presented by the Capital Region Digital Leaders Network over two "
            "days in April, with more than 1,200 people from across the public service.")
    assert _speakers(page) == []
