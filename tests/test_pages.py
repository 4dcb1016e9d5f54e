"""Linked Data pages: `/id/...` and `/ontology` from `govgraph serve`, as HTML (checked in Chromium)
and as RDF (parsed by rdflib), chosen by content negotiation."""

from __future__ import annotations

import html
import re

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

import govgraph
from govgraph.pages import local_href
from govgraph.vocab import resource_dir

from .chromium import CHROMIUM, Chromium
from .served import (
    fetch,
    served_root,  # noqa: F401 (the `root` fixture)
)

SPEECH = "https://w3id.org/govgraph/id/speech/icegov-2011-ilves-e-government-estonia"
SPEAKER = "https://w3id.org/govgraph/id/person/toomas-hendrik-ilves"


def _get(url: str, accept: str | None = None):
    return fetch(url, headers={"Accept": accept} if accept else {})


def _page_url(root: str, iri: str) -> str:
    return root + local_href(iri)


def _store_rows(demo_store, sparql: str, **params):
    return govgraph.query(sparql, params, store=demo_store).records()


def test_a_browser_gets_html_and_a_client_rdf_from_the_same_iri(root):
    url = _page_url(root, SPEECH)
    assert url == f"{root}/id/speech/icegov-2011-ilves-e-government-estonia"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for accept, media in [
        (browser, "text/html"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
    ]:
        status, headers, _ = _get(url, accept)
        assert status == 200 and headers["Content-Type"].split(";")[0] == media, accept
        assert headers["Vary"] == "Accept"
    status, headers, _ = _get(f"{url}?format=nt", browser)
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    status, _, body = _get(f"{root}/id/speech/no-such-speech", browser)
    assert status == 404 and b"nothing is known" in body


def test_the_turtle_of_an_entity_parses_and_holds_its_triples(root, demo_store):
    graphs = {}
    for accept, rdf_format in [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ]:
        status, _, body = _get(_page_url(root, SPEECH), accept)
        assert status == 200
        graphs[rdf_format] = Graph().parse(data=body, format=rdf_format)
    turtle = graphs["turtle"]
    assert isomorphic(turtle, graphs["nt"]) and isomorphic(turtle, graphs["json-ld"])
    speech = URIRef(SPEECH)
    out = _store_rows(demo_store, "SELECT DISTINCT ?p ?o WHERE { ?s ?p ?o }", s=speech)
    into = _store_rows(demo_store, "SELECT DISTINCT ?x ?p WHERE { ?x ?p ?s }", s=speech)
    assert len(out) > 10 and into
    for row in out:
        assert (speech, URIRef(row["p"]), _term(turtle, speech, row["p"], row["o"])) in turtle, row
    for row in into:
        assert (URIRef(row["x"]), URIRef(row["p"]), speech) in turtle, row
    # and the evidence behind its facts: every evidence node with its sentence and document
    evidence = _store_rows(
        demo_store, "SELECT ?e ?sentence WHERE { ?e rdf:subject ?s ; gg:sentence ?sentence }", s=speech
    )
    assert evidence
    gg = "https://w3id.org/govgraph/ontology#"
    for row in evidence:
        assert str(turtle.value(URIRef(row["e"]), URIRef(gg + "sentence"))) == row["sentence"]
        assert turtle.value(URIRef(row["e"]), URIRef(gg + "sourceDocument")) is not None


def _term(graph: Graph, subject: URIRef, predicate: str, value):
    """The object in `graph` equal to the store's plain value (records() gives Python values)."""
    for candidate in graph.objects(subject, URIRef(predicate)):
        python = candidate.toPython() if hasattr(candidate, "toPython") else candidate
        if str(candidate) == str(value) or python == value:
            return candidate
    return URIRef(str(value))


def test_a_speech_page_shows_every_fact_with_its_evidence_and_related_speeches(root, demo_store):
    status, headers, body = _get(_page_url(root, SPEECH), "text/html")
    page = body.decode()
    assert status == 200 and "script" not in page.lower().replace("no script", "")
    assert "Content-Security-Policy" in headers
    sentences = _store_rows(
        demo_store,
        "SELECT DISTINCT ?sentence WHERE { ?e rdf:subject ?s ; gg:sentence ?sentence }",
        s=URIRef(SPEECH),
    )
    for row in sentences:
        assert html.escape(row["sentence"]) in page
    assert 'href="/id/person/toomas-hendrik-ilves"' in page  # links to the other entities' pages
    assert 'href="/id/document/icegov-2011-ilves-e-government-estonia"' in page  # the document behind
    related = _store_rows(
        demo_store,
        "SELECT ?r ?reason WHERE { ?s gg:relatedness ?l . ?l gg:relatedTo ?r ; gg:reason ?reason }",
        s=URIRef(SPEECH),
    )
    assert related
    section = page.split("<h2>Related speeches</h2>", 1)[1]
    for row in related:
        assert local_href(row["r"]) in section and html.escape(row["reason"]) in section


def test_a_speaker_page_lists_their_speeches_over_time(root, demo_store):
    status, _, body = _get(_page_url(root, SPEAKER), "text/html")
    page = body.decode()
    speeches = _store_rows(
        demo_store,
        "SELECT ?speech ?date WHERE { ?speech gg:deliveredBy ?p ; dcterms:date ?date }",
        p=URIRef(SPEAKER),
    )
    assert status == 200 and speeches
    section = page.split("<h2>Speeches over time</h2>", 1)[1]
    assert section.count("<li><time>") == len(speeches)
    assert '<svg class="years"' in section
    for row in speeches:
        assert local_href(row["speech"]) in section and str(row["date"]) in section


def test_the_ontology_is_a_page_and_rdf(root):
    status, headers, body = _get(f"{root}/ontology", "text/html")
    page = body.decode()
    assert status == 200 and headers["Vary"] == "Accept"
    assert 'id="Speech"' in page and 'id="deliveredBy"' in page  # pyLODE's page, or the plain one
    assert local_href("https://w3id.org/govgraph/ontology#Speech") == "/ontology#Speech"
    status, headers, body = _get(f"{root}/ontology", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    source = Graph().parse(resource_dir("ontology") / "govgraph.ttl", format="turtle")
    assert isomorphic(Graph().parse(data=body, format="turtle"), source)


def test_a_speech_page_in_chromium_shows_facts_and_evidence(root, demo_store, tmp_path):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian's chromium; `make test` installs it as root)")
    browser = Chromium(tmp_path / "profile")
    try:
        page = browser.open(_page_url(root, SPEECH))
        page.wait_for("document.readyState === 'complete' && document.querySelector('h1') !== null")
        title = _store_rows(demo_store, "SELECT ?t WHERE { ?s dcterms:title ?t }", s=URIRef(SPEECH))[0]["t"]
        assert page.evaluate("document.querySelector('h1').innerText") == title
        facts = page.evaluate("[...document.querySelectorAll('h2')].map(h => h.innerText)")
        assert facts[:2] == ["Facts", "Related speeches"]
        rows = page.evaluate("document.querySelectorAll('table')[0].querySelectorAll('tr').length - 1")
        quotes = page.evaluate("[...document.querySelectorAll('blockquote')].map(q => q.innerText)")
        assert rows > 10 and len(quotes) >= 5
        assert all(re.search(r"id:document/\S+$", quote) for quote in quotes)  # each names its document
        href = page.evaluate("document.querySelector('a[href^=\"/id/person/\"]').getAttribute('href')")
        page.evaluate(f"location.href = {href!r}; true")
        page.wait_for("document.querySelector('h1')?.innerText === 'Toomas Hendrik Ilves'")
        assert "Speeches over time" in page.evaluate("document.body.innerText")
        assert all(url.startswith(root) or url.startswith("data:") for url in page.requests())
    finally:
        browser.close()
