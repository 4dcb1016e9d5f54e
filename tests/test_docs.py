"""Ontology documentation: `govgraph docs` (pyLODE 3.3.x for the ontology, a template for the rest)
documents every term, concept, organisation and shape, loads nothing from elsewhere, runs with no
network, and `serve` shows it at /ontology."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, SH, SKOS

from govgraph.cli import cli
from govgraph.docs import PAGES, write_docs
from govgraph.pages import ontology_html, ontology_terms
from govgraph.vocab import resource_dir

from .served import (
    fetch,
    served_root,  # noqa: F401 (the `root` fixture)
)

PAGE_FILES = ("index.html", *PAGES)


class _Ids(HTMLParser):
    """Every id in a page, and every URL it would load (scripts, styles, images, frames)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.loads: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        if tag in ("script", "img", "iframe") and values.get("src"):
            self.loads.append(values["src"])
        if tag == "link" and values.get("href"):
            self.loads.append(values["href"])


def _parsed(text: str) -> _Ids:
    parser = _Ids()
    parser.feed(text)
    return parser


@pytest.fixture(scope="module")
def docs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs")
    written = write_docs(folder)
    assert sorted(p.name for p in written) == sorted(PAGE_FILES)
    return folder


def _tail(iri: object) -> str:
    return str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def test_every_ontology_term_has_its_anchor(docs):
    page = (docs / "ontology.html").read_text(encoding="utf-8")
    assert "pyLODE/release/3.3" in page  # pyLODE made it
    assert "<title>govgraph ontology</title>" in page
    ids = _parsed(page).ids
    terms = ontology_terms()
    assert len(terms) > 40 and terms <= ids, sorted(terms - ids)
    assert terms <= _parsed(ontology_html()).ids  # the page serve falls back on without pyLODE


def test_every_concept_organisation_and_shape_is_documented(docs):
    vocabularies = _parsed((docs / "vocabularies.html").read_text(encoding="utf-8")).ids
    for name in ("themes.ttl", "pressures.ttl", "govgraph.ttl"):  # govgraph.ttl: the speech types
        graph = Graph().parse(resource_dir("ontology") / name)
        concepts = {_tail(c) for c in graph.subjects(RDF.type, SKOS.Concept)}
        assert concepts and concepts <= vocabularies, sorted(concepts - vocabularies)[:5]
    gazetteer_page = (docs / "gazetteer.html").read_text(encoding="utf-8")
    gazetteer = Graph().parse(resource_dir("ontology") / "organisations.ttl")
    organisations = {
        _tail(s)
        for s in gazetteer.subjects(SKOS.prefLabel, None)
        if (s, RDF.type, SKOS.Concept) not in gazetteer and (s, RDF.type, SKOS.ConceptScheme) not in gazetteer
    }
    assert len(organisations) > 100 and organisations <= _parsed(gazetteer_page).ids
    assert f"<p>{len(organisations)} organisations.</p>" in gazetteer_page
    shapes = Graph().parse(resource_dir("ontology") / "shapes.ttl")
    shape_ids = {_tail(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}
    shapes_page = (docs / "shapes.html").read_text(encoding="utf-8")
    assert shape_ids and shape_ids <= _parsed(shapes_page).ids
    for message in shapes.objects(None, SH.message):
        assert str(message).replace("'", "&#x27;") in shapes_page or str(message) in shapes_page


def test_the_pages_load_nothing_from_elsewhere_and_link_each_other(docs):
    for name in PAGE_FILES:
        page = (docs / name).read_text(encoding="utf-8")
        loads = _parsed(page).loads
        assert all(url.startswith("data:") for url in loads), (name, loads)
        for other in PAGES:
            assert f'href="{other}"' in page, (name, other)


def test_the_docs_command_runs_with_no_network(tmp_path):
    unshare = shutil.which("unshare")
    if (
        unshare is None
        or subprocess.run([unshare, "-n", "true"], check=False, capture_output=True).returncode != 0
    ):
        pytest.skip("cannot start a process without a network here (unshare -n needs root)")
    out = tmp_path / "docs"
    command = [unshare, "-n", sys.executable, "-m", "govgraph", "docs", "-o", str(out)]
    result = subprocess.run(
        command,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env=os.environ,
    )
    assert result.returncode == 0, result.stderr[-1000:]
    assert "wrote" in result.stderr and (out / "ontology.html").stat().st_size > 50_000


def test_the_docs_command_reports_an_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(cli, ["docs", "-o", str(blocker / "docs")])
    assert result.exit_code == 1 and result.output.startswith("Error: cannot write")


def test_serve_shows_the_docs_at_ontology(root):
    status, headers, body = fetch(f"{root}/ontology", headers={"Accept": "text/html"})
    page = body.decode()
    assert status == 200 and "pyLODE/release/3.3" in page and headers["Vary"] == "Accept"
    assert ontology_terms() <= _parsed(page).ids
    assert 'href="/ontology/vocabularies.html"' in page
    status, _, body = fetch(f"{root}/ontology/vocabularies.html")
    assert status == 200 and 'href="/id/theme/' in body.decode()  # concepts link to their pages
    for name in PAGE_FILES:
        assert fetch(f"{root}/ontology/{name}")[0] == 200, name
    assert fetch(f"{root}/ontology/secrets.txt")[0] == 404
    status, headers, body = fetch(f"{root}/ontology", headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"] == "application/n-triples"
    assert re.search(
        rb"<https://w3id.org/govgraph/ontology#Speech> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        body,
    )
