"""Tables and charts: `QueryResult.to_dataframe()` with typed columns, and `govgraph plot`, whose
PNG files are opened with Pillow and SVG files parsed as XML."""

from __future__ import annotations

import html
import io
import xml.etree.ElementTree as ET
from collections import Counter
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

import govgraph
from govgraph.cli import cli
from govgraph.errors import QueryError
from govgraph.plot import CHARTS, ChartTable, chart_table, plot, plot_chart
from govgraph.results import QueryResult

from .chromium import CHROMIUM, Chromium
from .served import (
    fetch,
    served_root,  # noqa: F401 (the `root` fixture)
)

SVG = "{http://www.w3.org/2000/svg}"


def test_to_dataframe_types_each_column_by_its_literals():
    rows = [
        {
            "iri": URIRef("https://w3id.org/govgraph/id/speech/a"),
            "n": Literal(3, datatype=XSD.integer),
            "score": Literal(Decimal("0.25"), datatype=XSD.decimal),
            "flag": Literal(True),
            "date": Literal("2014-03-02", datatype=XSD.date),
            "when": Literal("2014-03-02T10:00:00Z", datatype=XSD.dateTime),
            "year": Literal("2014", datatype=XSD.gYear),
            "text": Literal("hello"),
            "mixed": Literal(1, datatype=XSD.integer),
        },
        {
            "iri": URIRef("https://w3id.org/govgraph/id/speech/b"),
            "date": Literal("2015-06", datatype=XSD.gYearMonth),
            "year": Literal("2016", datatype=XSD.gYear),
            "mixed": Literal("one"),
        },
    ]
    names = ["iri", "n", "score", "flag", "date", "when", "year", "text", "mixed"]
    frame = QueryResult("SELECT", names, rows).to_dataframe()
    assert list(frame.columns) == names and len(frame) == 2
    assert str(frame["n"].dtype) == "Int64" and frame["n"][0] == 3 and pd.isna(frame["n"][1])
    assert frame["score"].dtype == "float64" and frame["score"][0] == 0.25 and pd.isna(frame["score"][1])
    assert str(frame["flag"].dtype) == "boolean" and bool(frame["flag"][0]) is True
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert list(frame["date"]) == [pd.Timestamp("2014-03-02"), pd.Timestamp("2015-06-01")]
    assert str(frame["when"].dt.tz) == "UTC" and frame["when"][0].hour == 10 and pd.isna(frame["when"][1])
    assert str(frame["year"].dtype) == "Int64" and list(frame["year"]) == [2014, 2016]
    assert list(frame["iri"]) == [
        "https://w3id.org/govgraph/id/speech/a",
        "https://w3id.org/govgraph/id/speech/b",
    ]
    assert frame["text"][0] == "hello" and frame["text"][1] is None
    assert list(frame["mixed"]) == [1, "one"]  # two kinds: each value its own type


def test_to_dataframe_of_a_named_query_on_the_store(demo_store):
    frame = govgraph.query("speech-timeline", store=demo_store).to_dataframe()
    assert len(frame) == 15 and pd.api.types.is_datetime64_any_dtype(frame["date"])
    assert frame["date"].notna().all() and frame["date"].min().year == 2011
    counts = govgraph.query("pressure-counts", store=demo_store).to_dataframe()
    assert str(counts["speeches"].dtype) == "Int64" and counts["speeches"].sum() > 0
    with pytest.raises(QueryError, match="not a table"):
        govgraph.query("ASK { ?s ?p ?o }", store=demo_store).to_dataframe()


def test_chart_tables_count_what_the_store_holds(demo_store):
    rows = govgraph.query(
        "SELECT DISTINCT ?speech ?label ?date WHERE { ?speech a gg:Speech ; dcterms:date ?date ; "
        "gg:namesPressure/skos:prefLabel ?label }",
        store=demo_store,
    ).records()
    expected = Counter((row["label"], str(row["date"])[:4]) for row in rows)
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        table = chart_table(store, "pressures-by-year", top=20)
        heat = chart_table(store, "departments-by-pressure", top=3)
    assert table.kind == "lines" and table.columns == [str(y) for y in range(2011, 2022)]
    assert {
        (r, c): table.counts[i][j]
        for i, r in enumerate(table.rows)
        for j, c in enumerate(table.columns)
        if table.counts[i][j]
    } == dict(expected)
    assert heat.kind == "heatmap" and len(heat.rows) == 3
    totals = [sum(row) for row in heat.counts]
    assert totals == sorted(totals, reverse=True)


@pytest.mark.parametrize("chart", list(CHARTS))
def test_every_chart_draws_as_png_and_svg(demo_store, tmp_path, chart):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        table = chart_table(store, chart)
        png = plot(store, chart, tmp_path / f"{chart}.png")
        svg = plot(store, chart, tmp_path / f"{chart}.svg")
    image = Image.open(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and image.format == "PNG"
    assert image.size == (1000, 600)
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
    assert len(colours) > 20  # a drawing, not a blank page
    root = ET.parse(svg).getroot()
    assert root.tag == f"{SVG}svg"
    text = " ".join("".join(node.itertext()) for node in root.iter(f"{SVG}text"))
    assert table.title in text
    for label in table.rows:  # every line or row of the heat map is labelled
        assert label in text, label


def test_plot_chart_refuses_other_formats_and_an_empty_store(tmp_path):
    with pytest.raises(QueryError, match="png or svg"):
        plot_chart(ChartTable("t", "lines", ["a"], ["2014"], [[1]]), "gif")
    with pytest.raises(QueryError, match="nothing to draw"):
        chart_table(_EmptySource(), "themes-by-year")
    with pytest.raises(QueryError, match="unknown chart"):
        chart_table(_EmptySource(), "pie")


class _EmptySource:
    def execute(self, sparql: str) -> QueryResult:
        return QueryResult("SELECT", ["row", "column", "n"], [])


def test_the_plot_command(demo_store, tmp_path):
    out = tmp_path / "heat.svg"
    result = CliRunner().invoke(
        cli, ["plot", "departments-by-pressure", "-o", str(out), "--store", str(demo_store)]
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and ET.parse(out).getroot().tag == f"{SVG}svg"
    bad = CliRunner().invoke(
        cli, ["plot", "themes-by-year", "-o", str(tmp_path / "x.gif"), "--store", str(demo_store)]
    )
    assert bad.exit_code == 1 and "Error: cannot tell the format of x.gif" in bad.output
    assert "Example:" in CliRunner().invoke(cli, ["plot", "--help"]).output
    png = CliRunner().invoke(
        cli, ["plot", "speakers-over-time", "-o", str(tmp_path / "s.png"), "--store", str(demo_store)]
    )
    assert png.exit_code == 0 and Image.open(io.BytesIO((tmp_path / "s.png").read_bytes())).size == (
        1000,
        600,
    )


def test_serve_shows_the_charts(root, tmp_path):
    status, headers, body = fetch(f"{root}/charts")
    page = body.decode()
    assert status == 200 and "Content-Security-Policy" in headers
    assert page.count("<img ") == len(CHARTS)
    for chart, (title, *_rest) in CHARTS.items():
        assert f'src="/charts/{chart}.svg"' in page and html.escape(title) in page
    status, headers, body = fetch(f"{root}/charts/departments-by-pressure.svg")
    assert status == 200 and headers["Content-Type"] == "image/svg+xml"
    root_element = ET.fromstring(body)
    assert root_element.tag == f"{SVG}svg" and "Cabinet Office" in "".join(root_element.itertext())
    status, headers, body = fetch(f"{root}/charts/themes-by-year.png")
    assert status == 200 and headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(body)).size == (1000, 600)
    assert fetch(f"{root}/charts/pie.svg")[0] == 404 and fetch(f"{root}/charts/themes-by-year.gif")[0] == 404


def test_the_charts_page_draws_in_chromium(root, tmp_path):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian's chromium; `make test` installs it as root)")
    browser = Chromium(tmp_path / "profile")
    try:
        page = browser.open(f"{root}/charts")
        page.wait_for(
            "document.images.length > 0 && [...document.images].every(i => i.complete && i.naturalWidth > 0)",
            timeout=60,
        )
        assert page.evaluate("document.images.length") == len(CHARTS)
        assert not [line for line in page.console() if "Content Security Policy" in line]
    finally:
        browser.close()
