"""The endpoint's front page: YASGUI served by `govgraph serve` itself, the project's prefixes, errors
in words; and the page in a real headless Chromium with every other host unreachable."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest

import govgraph
from govgraph.front import CONTENT_SECURITY_POLICY, PROJECT_PREFIXES
from govgraph.queries import library
from govgraph.syntax_errors import explain_syntax_error

from .chromium import CHROMIUM, Chromium
from .served import fetch as _get
from .served import served_root  # noqa: F401 (the `root` fixture)

SPEECHES = "SELECT ?speech WHERE { ?speech a gg:Speech }"
READY = "!!window.govgraphYasgui && document.querySelector('.yasgui .CodeMirror') !== null"
ROWS = "document.querySelectorAll('.yasr table.dataTable tbody tr').length"
RESPONSE = "document.querySelector('.yasr_response_chip')?.innerText || ''"


def _ask(root: str, sparql: str):
    return _get(f"{root}/sparql?{urllib.parse.urlencode({'query': sparql})}", headers={"Accept": "text/csv"})


def _config(page: bytes) -> dict:
    match = re.search(rb'<script type="application/json" id="govgraph-config">(.*?)</script>', page, re.S)
    assert match, "the page carries no configuration"
    return json.loads(match[1])


def test_the_front_page_loads_yasgui_from_the_endpoint_itself(root):
    status, headers, page = _get(f"{root}/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY and "connect-src 'self'" in CONTENT_SECURITY_POLICY
    sources = re.findall(rb"""(?:src|href)\s*=\s*["']([^"']+)""", page)
    assert b"/static/yasgui.min.js" in sources and b"/static/yasgui.min.css" in sources
    assert all(not re.match(rb"(?i)[a-z]+://", source) for source in sources), sources
    for name in ("yasgui.min.js", "yasgui.min.css", "front.js", "yasgui.LICENSE"):
        status, headers, body = _get(f"{root}/static/{name}")
        assert status == 200 and len(body) > 1000, name
    assert _get(f"{root}/static/nothing.js")[0] == 404


def test_the_page_offers_the_library_with_its_parameters_bound(root):
    config = _config(_get(f"{root}/")[2])
    assert config["endpoint"] == "/sparql"
    for prefix in PROJECT_PREFIXES:
        assert f"PREFIX {prefix}: <" in config["defaultQuery"]
    examples = {example["name"]: example for example in config["examples"]}
    assert set(examples) == set(library())
    by_speaker = examples["speeches-by-speaker"]
    assert by_speaker["params"] == [
        {
            "name": "name",
            "type": "string",
            "doc": 'Part of the speaker\'s name, e.g. "Bracken".',
            "value": "Bracken",
        }
    ]
    assert 'VALUES (?name) { ("Bracken") }' in by_speaker["query"]


def test_every_example_runs_over_http(root, demo_store):
    config = _config(_get(f"{root}/")[2])
    for example in config["examples"]:
        status, _, body = _ask(root, example["query"])
        assert status == 200, (example["name"], body[:300])
    rows = _ask(root, _config(_get(f"{root}/")[2])["defaultQuery"])[2].decode().strip().split("\n")[1:]
    assert len(rows) == 15


def test_queries_need_no_prefix_lines_for_the_project_prefixes(root):
    sparql = (
        "SELECT (COUNT(DISTINCT ?speech) AS ?n) WHERE { ?speech a gg:Speech ; dcterms:title ?t ; "
        "gg:deliveredBy ?p . ?p foaf:name ?name . FILTER(STRSTARTS(STR(?speech), STR(id:))) }"
    )
    status, _, body = _ask(root, sparql)
    assert status == 200 and body.decode().split() == ["n", "15"]
    # a prefix the query declares itself wins over the project's
    status, _, body = _ask(root, "PREFIX gg: <urn:other#> SELECT (COUNT(*) AS ?n) { ?s a gg:Speech }")
    assert status == 200 and body.decode().split() == ["n", "0"]


@pytest.mark.parametrize(
    ("sparql", "words"),
    [
        ("SELECT * WHERE {\n  ?s a gg:Speech .\n  ?s ?p\n}", "line 4, column 1: a triple pattern needs"),
        ("SELECT * WHERE { ?s a foo:Bar }", "line 1, column 30: the prefix foo: is not declared"),
        ("SELECT * WHERE { ?s ?p ?o ", "line 1, column 27: expected one of `,`, `.`, `;`"),
        ("SELECT * { ?s ?p ?o } ORDER ?s", "line 1, column 31: expected BY; found the end of the query"),
        ("SELECT * WHERE { ?s <a b> ?o }", "not a valid IRI"),
    ],
)
def test_a_malformed_query_gets_a_short_message_in_words(root, sparql, words):
    status, _, body = _ask(root, sparql)
    message = body.decode()
    assert status == 400 and message.startswith("malformed query at "), message
    assert words in message, message
    assert "\n" not in message.strip() and len(message) < 200 and "\\u{" not in message


def test_the_engine_message_is_read_not_repeated():
    engine = (
        'error at 1:6: expected one of "$", "\'", "(", "<", "?", '
        "['0'..='9'], ['A' ..= 'Z' | '\\u{00C0}']"
    )
    message = explain_syntax_error(engine, "ASK {")
    assert message.startswith("malformed query at line 1, column 6: expected ")
    assert "a variable" in message and "an IRI" in message and "a number" in message
    assert message.endswith("found the end of the query") and "u{" not in message
    assert explain_syntax_error(engine, "\nASK {", line_offset=1).startswith("malformed query at line 1,")


# ---------------------------------------------------------------------------
# In a real browser, with every other host unreachable
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian's chromium; `make test` installs it as root)")
    chromium = Chromium(tmp_path_factory.mktemp("chromium-profile"))
    yield chromium
    chromium.close()


def _run(page, sparql: str) -> None:
    before = page.evaluate(RESPONSE)
    page.evaluate(
        f"govgraphYasgui.getTab().setQuery({json.dumps(sparql)});"
        "document.querySelector('.yasqe_queryButton').click(); true"
    )
    page.wait_for(f"({RESPONSE}) !== '' && ({RESPONSE}) !== {json.dumps(before)}")


def test_the_page_works_in_chromium_with_the_network_off(browser, root, demo_store):
    page = browser.open(f"{root}/")
    page.wait_for(READY)
    assert "PREFIX gg:" in page.evaluate("govgraphYasgui.getTab().getQuery()")
    assert page.evaluate("govgraphYasgui.getTab().getEndpoint()") == f"{root}/sparql"

    _run(page, SPEECHES)  # no PREFIX line: the endpoint declares gg:
    assert page.evaluate(ROWS) == 15
    links = page.evaluate("[...document.querySelectorAll('.yasr tbody a')].map(a => a.href)")
    assert len(links) == 15 and all(link.startswith(f"{root}/id/speech/") for link in links), links[:3]
    assert "15 results" in page.evaluate(RESPONSE)

    _run(page, "SELECT * WHERE { ?s ?p }")
    error = page.wait_for("document.querySelector('.yasr .errorResult')?.innerText")
    assert "malformed query at line 1, column 24: a triple pattern needs" in error
    assert page.evaluate(ROWS) == 0

    page.evaluate(
        "const s = document.getElementById('examples');"
        "s.value = String([...s.options].findIndex(o => o.textContent === 'Speeches by a speaker') - 1);"
        "s.dispatchEvent(new Event('change')); true"
    )
    assert 'VALUES (?name) { ("Bracken") }' in page.evaluate("govgraphYasgui.getTab().getQuery()")
    assert "?name (string)" in page.evaluate("document.getElementById('example-help').innerText")
    page.evaluate("document.querySelector('.tabPanel.active .yasqe_queryButton').click(); true")
    expected = govgraph.query("speeches-by-speaker", {"name": "Bracken"}, store=demo_store).records()
    assert expected
    page.wait_for(f"{ROWS} === {len(expected)}")

    origin = f"{root}/"
    requests = page.requests()
    assert any(url.endswith("/sparql") for url in requests)
    assert all(url.startswith(origin) or url.startswith("data:") for url in requests), requests
    refused = [line for line in page.console() if "Content Security Policy" in line]
    assert not refused, refused
