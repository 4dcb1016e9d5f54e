"""The gazetteer's Irish, devolved and other countries' bodies, found by name, and homonyms
linked only to the body of the country the document names."""

from __future__ import annotations

import pytest

from govgraph.documents import parse_document
from govgraph.extract import extract
from govgraph.vocab import default_lexicon


def _departments(text: str) -> dict[str, str]:
    """Departments found in a short note: name as written -> gazetteer key ('' if not linked)."""
    document = parse_document(f"Notes\n\n{text}\n".encode(), "t.txt", "text/plain")
    return {d.label: d.key for d in extract(document, default_lexicon()).departments}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In Dublin the Department of the Taoiseach and the Revenue Commissioners met the "
         "Local Government Management Agency.",
         {"Department of the Taoiseach": "ireland-department-of-the-taoiseach",
          "Revenue Commissioners": "ireland-revenue-commissioners",
          "Local Government Management Agency": "ireland-local-government-management-agency"}),
        ("The Department of Public Expenditure, NDP Delivery and Reform ran the Office of "
         "Government Procurement.",
         {"Department of Public Expenditure, NDP Delivery and Reform":
              "ireland-department-of-public-expenditure-infrastructure-public-service-reform-and-digitalisation",
          "Office of Government Procurement": "ireland-office-of-government-procurement"}),
        ("Audit Wales and Digital Health and Care Wales gave evidence.",
         {"Audit Wales": "audit-wales", "Digital Health and Care Wales": "digital-health-and-care-wales"}),
        ("Social Security Scotland, Transport Scotland and NHS National Services Scotland spoke.",
         {"Social Security Scotland": "social-security-scotland",
          "Transport Scotland": "transport-scotland",
          "NHS National Services Scotland": "nhs-national-services-scotland"}),
        ("The Northern Ireland Civil Service and Land & Property Services moved online.",
         {"Northern Ireland Civil Service": "northern-ireland-civil-service",
          "Land & Property Services": "land-and-property-services"}),
        ("Branches of the Post Office verify identity for the Government Security Group.",
         {"Post Office": "post-office-limited", "Government Security Group": "government-security-group"}),
        ("The Government Accountability Office reviewed the Department of Labor.",
         {"Government Accountability Office": "us-government-accountability-office",
          "Department of Labor": "us-department-of-labor"}),
        ("The Communications Security Establishment runs the Canadian Centre for Cyber Security.",
         {"Communications Security Establishment": "communications-security-establishment",
          "Canadian Centre for Cyber Security": "canadian-centre-for-cyber-security"}),
        ("The Australian National Audit Office and the Government Communications Security Bureau.",
         {"Australian National Audit Office": "australian-national-audit-office",
          "Government Communications Security Bureau": "government-communications-security-bureau"}),
    ],
)
def test_new_bodies_are_found_by_name(text, expected):
    assert _departments(text) == expected


def test_a_bare_revenue_is_not_the_revenue_commissioners():
    assert _departments("In Ireland, Revenue tells me most returns are filed online.") == {}


@pytest.mark.parametrize(
    ("abbreviation", "key"),
    [("HSE", "ireland-health-service-executive"),
     ("OGCIO", "ireland-office-of-the-government-chief-information-officer"),
     ("DSP", "ireland-department-of-social-protection"),
     ("CSO", "ireland-central-statistics-office")],
)
def test_an_irish_abbreviation_is_linked_only_where_the_document_names_ireland(abbreviation, key):
    assert _departments(f"Officials from the {abbreviation} joined the call.") == {}
    assert _departments(f"The {abbreviation} joined the call from Dublin.") == {abbreviation: key}
    assert _departments(f"The {abbreviation} briefed the Oireachtas committee.") == {abbreviation: key}


@pytest.mark.parametrize("where", ["Northern Ireland", "Northern Irish", "across the Irish Sea"])
def test_northern_ireland_and_the_irish_sea_do_not_name_ireland(where):
    assert _departments(f"Officials {where} said the HSE joined the call.") == {}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("The Department of Health published the figures.", "department-of-health"),
        ("In Ireland, the Department of Health published the figures.", "ireland-department-of-health"),
        ("The Irish Department of Health published the figures.", "ireland-department-of-health"),
        ("The National Cyber Security Centre issued an alert.", "national-cyber-security-centre"),
        ("The Irish government said the National Cyber Security Centre issued an alert.",
         "ireland-national-cyber-security-centre"),
        ("The Department of Finance set the budget rules.", ""),
        ("In Ireland, the Department of Finance set the budget rules.", "ireland-department-of-finance"),
        ("At Stormont, the Department of Finance set the budget rules.",
         "northern-ireland-department-of-finance"),
        ("In Australia, the Department of Finance set the budget rules.", "australia-department-of-finance"),
        ("The Department of Justice issued guidance.", ""),
        ("The Department of Justice in Dublin issued guidance.", "ireland-department-of-justice"),
        ("The Department of Justice in the United States issued guidance.", "us-department-of-justice"),
        ("Across the Irish Sea, Northern Ireland's Department of Education reviewed its contracts.",
         "northern-ireland-department-of-education"),
        ("The Office of the Auditor General reported to Parliament in Canada.",
         "office-of-the-auditor-general-of-canada"),
        ("The Office of the Auditor General reported to Parliament in New Zealand.",
         "new-zealand-office-of-the-auditor-general"),
        ("The Office of the Privacy Commissioner in Aotearoa issued guidance.",
         "new-zealand-office-of-the-privacy-commissioner"),
        ("The Passport Service cleared its backlog.", "hm-passport-office"),
        ("The Passport Service in Ireland cleared its backlog.", "ireland-passport-service"),
    ],
)
def test_a_shared_name_goes_to_the_body_of_the_country_the_text_names(text, key):
    [found] = _departments(text).values()
    assert found == key
