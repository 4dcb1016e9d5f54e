"""Query results in one shape, whichever store answered, and in the W3C formats tools read.

SELECT rows are dicts of rdflib terms; `records()` gives plain Python values for pandas or JSON;
`serialize()` writes the SPARQL 1.1 results formats (JSON, XML, CSV, TSV) or, for CONSTRUCT and
DESCRIBE, Turtle, N-Triples or JSON-LD.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef, Variable
from rdflib.query import Result
from rdflib.term import Node

from .errors import QueryError
from .namespaces import PREFIXES
from .terms import from_ox_triples, solution_rows

TABLE_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "jsonld": "json-ld",
    "json-ld": "json-ld",
    "xml": "xml",
    "table": "turtle",
    "json": "json-ld",
}
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "json-ld": "application/ld+json",
}


@dataclass
class QueryResult:
    """The answer to a SELECT, ASK, CONSTRUCT or DESCRIBE query."""

    kind: str  # "SELECT", "ASK" or "CONSTRUCT" (DESCRIBE answers are graphs too)
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        if self.kind == "SELECT":
            return len(self.rows)
        if self.kind == "ASK":
            return int(bool(self.boolean))
        return len(self.graph or ())

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (str, int, date, ...), e.g. for `pandas.DataFrame`."""
        return [{v: python_value(row.get(v)) for v in self.variables} for row in self.rows]

    def to_dataframe(self) -> Any:
        """The rows as a pandas DataFrame, one column per variable, typed by the literals in it.

        A column whose values are all integers is `Int64`, decimals and doubles `float64`, booleans
        `boolean`, dates and date-times `datetime64` (UTC when any has a time zone), years (`xsd:gYear`)
        `Int64`; unbound values are missing (`<NA>`, `NaN`, `NaT`). IRIs, strings and columns of mixed
        kinds hold Python objects (str, or each value's own type). Needs pandas (`govgraph[pandas]`).

        Raises
        ------
        QueryError
            For an ASK or CONSTRUCT answer, or when pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise QueryError("to_dataframe needs pandas", hint="pip install 'govgraph[pandas]'") from None
        if self.kind != "SELECT":
            raise QueryError(f"a {self.kind} answer is not a table", hint="use records() or graph")
        data = {v: _typed_column(pd, [row.get(v) for row in self.rows]) for v in self.variables}
        return pd.DataFrame(data, columns=self.variables, index=pd.RangeIndex(len(self.rows)))

    def columns(self) -> dict[str, list[Any]]:
        """Column-oriented values: `{variable: [value per row]}`."""
        return {v: [python_value(row.get(v)) for row in self.rows] for v in self.variables}

    def serialize(self, fmt: str = "json") -> str:
        """The result in a W3C format: json, xml, csv, tsv (SELECT/ASK) or turtle, nt, json-ld (graphs)."""
        if self.kind == "CONSTRUCT":
            graph_format = GRAPH_FORMATS.get(fmt)
            if graph_format is None:
                raise QueryError(
                    f"a graph result cannot be written as {fmt}", hint="use turtle, nt or jsonld"
                )
            return (self.graph or Graph()).serialize(format=graph_format)
        if fmt == "table":
            return self.table()
        if fmt == "tsv":
            return self._tsv()
        if fmt not in ("json", "xml", "csv"):
            raise QueryError(
                f"a table result cannot be written as {fmt}", hint="use table, csv, tsv, json or xml"
            )
        if fmt == "csv" and self.kind == "ASK":
            return f"{'true' if self.boolean else 'false'}\r\n"
        out = io.BytesIO()
        self._rdflib_result().serialize(out, format=fmt, encoding="utf-8")
        return out.getvalue().decode("utf-8")

    def _rdflib_result(self) -> Result:
        result = Result(self.kind)
        if self.kind == "ASK":
            result.askAnswer = bool(self.boolean)
        else:
            result.vars = [Variable(v) for v in self.variables]
            result.bindings = [{Variable(k): v for k, v in row.items()} for row in self.rows]
        return result

    def _tsv(self) -> str:
        """SPARQL 1.1 TSV: a `?var` header, then terms in Turtle/N-Triples syntax."""
        if self.kind == "ASK":
            return f"{'true' if self.boolean else 'false'}\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for row in self.rows:
            lines.append("\t".join(_tsv_term(row.get(v)) for v in self.variables))
        return "\n".join(lines) + "\n"

    def table(self, width: int = 60) -> str:
        """An aligned text table for people; IRIs shortened with the govgraph prefixes."""
        if self.kind == "ASK":
            return "yes" if self.boolean else "no"
        if self.kind == "CONSTRUCT":
            return self.serialize("turtle")
        cells = [[_short(row.get(v), width) for v in self.variables] for row in self.rows]
        widths = [max([len(v)] + [len(r[i]) for r in cells]) for i, v in enumerate(self.variables)]
        lines = [
            "  ".join(v.ljust(w) for v, w in zip(self.variables, widths, strict=True)).rstrip(),
            "  ".join("-" * w for w in widths),
        ]
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines)


def python_value(term: Node | None) -> Any:
    """A plain Python value for a term: IRIs and blank nodes as strings, literals converted."""
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        return str(term) if isinstance(value, Literal) else value
    return str(term)


_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {_XSD + "integer", _XSD + "int", _XSD + "long", _XSD + "short", _XSD + "byte"} | {
    f"{_XSD}{sign}{kind}"
    for sign, kind in (
        ("nonNegative", "Integer"),
        ("positive", "Integer"),
        ("nonPositive", "Integer"),
        ("negative", "Integer"),
        ("unsigned", "Long"),
        ("unsigned", "Int"),
        ("unsigned", "Short"),
        ("unsigned", "Byte"),
    )
}
_FLOATS = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_TIMES = {_XSD + "date", _XSD + "dateTime", _XSD + "dateTimeStamp"}


def _typed_column(pd: Any, terms: list[Node | None]) -> Any:
    """A pandas Series for one variable: a dtype when every bound value is a literal of one kind."""
    bound = [t for t in terms if t is not None]
    kinds = {_column_kind(t) for t in bound}
    if kinds and kinds <= {"time", "year", "month"} and kinds != {"year"}:
        kinds = {"time"}  # dates, months and years together: each at the start of its period
    kind = kinds.pop() if len(kinds) == 1 else "object"
    if kind == "integer":
        return pd.array([None if t is None else int(t) for t in terms], dtype="Int64")
    if kind == "float":
        return pd.Series([float("nan") if t is None else float(t) for t in terms], dtype="float64")
    if kind == "boolean":
        return pd.array([None if t is None else bool(t.toPython()) for t in terms], dtype="boolean")
    if kind == "year":
        return pd.array(
            [None if t is None else int(re.match(r"-?\d+", str(t))[0]) for t in terms], dtype="Int64"
        )
    if kind == "time":
        text = [None if t is None else _start_of_period(t) for t in terms]
        aware = any(s and (s.endswith("Z") or "+" in s[10:] or "-" in s[10:]) for s in text)
        return pd.to_datetime(pd.Series(text, dtype="object"), utc=aware, format="ISO8601")
    if kind == "text":
        return pd.Series([None if t is None else str(t) for t in terms], dtype="object")
    return pd.Series([python_value(t) for t in terms], dtype="object")


def _start_of_period(term: Node) -> str:
    """A date, date-time, year or year-month as an ISO date-time string pandas reads."""
    text = str(term)
    datatype = str(getattr(term, "datatype", ""))
    if datatype == _XSD + "gYear":
        return f"{text[:4]}-01-01"
    if datatype == _XSD + "gYearMonth":
        return f"{text[:7]}-01"
    return text


def _column_kind(term: Node) -> str:
    if not isinstance(term, Literal):
        return "text"  # IRIs and blank nodes, as strings
    datatype = str(term.datatype) if term.datatype else ""
    if datatype in _INTEGERS:
        return "integer"
    if datatype in _FLOATS:
        return "float"
    if datatype == _XSD + "boolean":
        return "boolean"
    if datatype == _XSD + "gYear":
        return "year"
    if datatype == _XSD + "gYearMonth":
        return "month"
    if datatype in _TIMES:
        return "time"
    if not datatype or datatype == _XSD + "string":
        return "text"
    return "object"


def _tsv_term(term: Node | None) -> str:
    if term is None:
        return ""
    return term.n3().replace("\t", "\\t")


def _short(term: Node | None, width: int) -> str:
    """A term as a person reads it: a prefixed name for known IRIs, a literal's text."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = str(term)
        for prefix, namespace in PREFIXES.items():
            if prefix != "id" and text.startswith(str(namespace)):
                text = f"{prefix}:{text[len(str(namespace)) :]}"
                break
        else:
            if text.startswith(str(PREFIXES["id"])):
                text = f"id:{text[len(str(PREFIXES['id'])) :]}"
    else:
        text = " ".join(str(term).split())
    return text if len(text) <= width else text[: width - 1] + "…"


# ---------------------------------------------------------------------------
# Conversion from what each store returns
# ---------------------------------------------------------------------------


def from_pyoxigraph(results: Any) -> QueryResult:
    """pyoxigraph solutions, boolean or triples as a QueryResult."""
    if isinstance(results, ox.QueryBoolean):
        return QueryResult("ASK", boolean=bool(results))
    if isinstance(results, ox.QuerySolutions):
        variables = [v.value for v in results.variables]
        return QueryResult("SELECT", variables, solution_rows(results))
    graph = _new_graph()
    for triple in from_ox_triples(results):
        graph.add(triple)
    return QueryResult("CONSTRUCT", graph=graph)


def from_results_document(data: bytes, media_type: str) -> QueryResult:
    """A SPARQL results document (JSON or XML) or an RDF document from a remote endpoint."""
    base = media_type.split(";")[0].strip().lower()
    if base in (
        "application/sparql-results+json",
        "application/json",
        "application/sparql-results+xml",
        "application/xml",
        "text/xml",
    ):
        fmt = "json" if "json" in base else "xml"
        try:
            parsed = Result.parse(io.BytesIO(data), format=fmt)
        except Exception as exc:  # the parsers raise many types on bad input
            raise QueryError(f"the endpoint sent an unreadable {fmt} result: {exc}") from None
        if parsed.type == "ASK":
            return QueryResult("ASK", boolean=bool(parsed.askAnswer))
        variables = [str(v) for v in parsed.vars or []]
        rows = [{str(k): v for k, v in row.items() if v is not None} for row in parsed.bindings]
        return QueryResult("SELECT", variables, rows)
    graph = _new_graph()
    try:
        graph.parse(data=data, format=_rdf_format(base))
    except Exception as exc:
        raise QueryError(f"the endpoint sent an unreadable {base} graph: {exc}") from None
    return QueryResult("CONSTRUCT", graph=graph)


def _rdf_format(media_type: str) -> str:
    return {
        "application/n-triples": "nt",
        "text/plain": "nt",
        "application/ld+json": "json-ld",
        "application/rdf+xml": "xml",
    }.get(media_type, "turtle")


def _new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
