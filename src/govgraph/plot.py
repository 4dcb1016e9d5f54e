"""Charts of the graph people would rather look at than read, as PNG or SVG (matplotlib).

Each chart is a table of counts read with one SPARQL query (`chart_table`), then drawn
(`plot_chart`): pressures and themes by year and speeches per speaker or organisation by year as
lines, departments by pressure as a heat map. matplotlib is imported only when a chart is drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import QueryError
from .queries import SparqlSource

_PREFIXES = """PREFIX gg: <https://w3id.org/govgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _by_year(pattern: str) -> str:
    """Speeches counted per year and per ?label, for the speeches `pattern` links to a ?label."""
    return f"""{_PREFIXES}SELECT ?row ?column (COUNT(DISTINCT ?speech) AS ?n) WHERE {{
  ?speech a gg:Speech ; dcterms:date ?date .
  {pattern}
  BIND(SUBSTR(STR(?date), 1, 4) AS ?column)
}} GROUP BY ?row ?column"""


CHARTS: dict[str, tuple[str, str, str]] = {  # name -> (title, kind, query: ?row ?column ?n)
    "pressures-by-year": (
        "Speeches naming each pressure, by year",
        "lines",
        _by_year("?speech gg:namesPressure ?p . ?p skos:prefLabel ?row ."),
    ),
    "themes-by-year": (
        "Speeches discussing each theme, by year",
        "lines",
        _by_year("?speech gg:discusses ?t . ?t skos:prefLabel ?row ."),
    ),
    "speakers-over-time": (
        "Speeches per speaker, by year",
        "lines",
        _by_year("?speech gg:deliveredBy ?who . ?who foaf:name ?row ."),
    ),
    "organisations-over-time": (
        "Speeches per speaker's organisation, by year",
        "lines",
        _by_year("?speech gg:speakerRole ?m . ?m org:organization ?o . ?o skos:prefLabel ?row ."),
    ),
    "departments-by-pressure": (
        "Speeches mentioning a department and naming a pressure",
        "heatmap",
        f"""{_PREFIXES}SELECT ?row ?column (COUNT(DISTINCT ?speech) AS ?n) WHERE {{
  ?speech a gg:Speech ; gg:mentionsDepartment ?d ; gg:namesPressure ?p .
  ?d skos:prefLabel ?row . ?p skos:prefLabel ?column .
}} GROUP BY ?row ?column""",
    ),
}
FORMATS = ("png", "svg")


@dataclass(frozen=True)
class ChartTable:
    """Counts by row label (a pressure, a department...) and column label (a year, a pressure)."""

    title: str
    kind: str  # "lines" or "heatmap"
    rows: list[str]
    columns: list[str]
    counts: list[list[int]]  # counts[i][j]: row i, column j


def chart_table(source: SparqlSource, chart: str, top: int = 8) -> ChartTable:
    """The counts a chart draws, the `top` rows with the most speeches first (ties by label).

    Years run without gaps from the first to the last; a chart with nothing to draw is an error.
    """
    if chart not in CHARTS:
        raise QueryError(f"unknown chart {chart!r}", hint=f"choose one of {', '.join(CHARTS)}")
    title, kind, sparql = CHARTS[chart]
    cells: dict[tuple[str, str], int] = {}
    for row in source.execute(sparql).rows:
        cells[str(row["row"]), str(row["column"])] = int(row["n"])
    if not cells:
        raise QueryError(
            f"nothing to draw for {chart}: the store has no such facts", hint="build some documents"
        )
    totals: dict[str, int] = {}
    for (label, _), n in cells.items():
        totals[label] = totals.get(label, 0) + n
    rows = sorted(totals, key=lambda label: (-totals[label], label))[:top]
    columns = sorted({column for _, column in cells})
    if kind == "lines" and all(c.isdigit() for c in columns):
        columns = [str(year) for year in range(int(columns[0]), int(columns[-1]) + 1)]
    counts = [[cells.get((r, c), 0) for c in columns] for r in rows]
    return ChartTable(title, kind, rows, columns, counts)


def plot_chart(table: ChartTable, fmt: str = "png", width: float = 10.0, height: float = 6.0) -> bytes:
    """A chart as PNG or SVG bytes. Cost: a matplotlib import (about a second) and one drawing."""
    if fmt not in FORMATS:
        raise QueryError(f"cannot draw a chart as {fmt}", hint="use png or svg")
    import matplotlib

    matplotlib.use("Agg")  # no display: draw to files only
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(width, height), dpi=100)
    try:
        if table.kind == "heatmap":
            _heatmap(figure, axes, table)
        else:
            _lines(axes, table)
        axes.set_title(table.title)
        figure.tight_layout()
        output = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {}
        # text stays text in SVG (searchable, and a tenth of the size of glyphs drawn as paths)
        with matplotlib.rc_context({"svg.hashsalt": "govgraph", "svg.fonttype": "none"}):
            figure.savefig(output, format=fmt, metadata=metadata)
        return output.getvalue()
    finally:
        plt.close(figure)


def _lines(axes: Any, table: ChartTable) -> None:
    for label, counts in zip(table.rows, table.counts, strict=True):
        axes.plot(table.columns, counts, marker="o", label=label)
    axes.set_xlabel("year")
    axes.set_ylabel("speeches")
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
    axes.grid(alpha=0.3)


def _heatmap(figure: Any, axes: Any, table: ChartTable) -> None:
    image = axes.imshow(table.counts, cmap="Blues", aspect="auto")
    axes.set_xticks(range(len(table.columns)), table.columns, rotation=30, ha="right")
    axes.set_yticks(range(len(table.rows)), table.rows)
    top = max(max(row) for row in table.counts) or 1
    for i, row in enumerate(table.counts):
        for j, n in enumerate(row):
            axes.text(j, i, str(n), ha="center", va="center", color="white" if n > top / 2 else "black")
    figure.colorbar(image, ax=axes, label="speeches")


def plot(source: SparqlSource, chart: str, path: str | Path, top: int = 8) -> Path:
    """Draw `chart` into `path`, PNG or SVG by its suffix; returns the path."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise QueryError(f"cannot tell the format of {path.name}", hint="name the file .png or .svg")
    data = plot_chart(chart_table(source, chart, top), fmt)
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise QueryError(f"cannot write {path}: {exc.strerror}") from None
    return path
