"""Checking graphs against ontology/shapes.ttl, reduced to a report a person or script can use.

Two engines give the same answers: "sparql" (the shapes compiled to SPARQL, run inside
pyoxigraph; the default, fast at any size) and "pyshacl" (the reference implementation).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .constraints import compiled_checks
from .errors import ValidationError
from .terms import to_ox
from .vocab import ontology_graph, shapes_graph

ENGINES = ("sparql", "pyshacl")


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which node, along which path, and the shape's message."""

    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    """Every result of checking a graph against the shapes, of any severity.

    `conforms` is SHACL's: no result at all. govgraph fails a graph only on `violations`; the
    `warnings` are gaps in what could be extracted (a speech whose speaker was not found), reported.
    """

    results: tuple[Violation, ...]
    triples: int

    @property
    def conforms(self) -> bool:
        return not self.results

    @property
    def violations(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    def summary(self, limit: int = 10) -> str:
        """A few readable lines, violations first."""
        if self.conforms:
            return f"conforms to the govgraph shapes ({self.triples:,} triples checked)"
        lines = []
        for label, results in (("violation", self.violations), ("warning", self.warnings)):
            if not results:
                continue
            lines.append(f"{len(results)} {label}(s) of the govgraph shapes:")
            for v in results[:limit]:
                where = f" [{v.path}]" if v.path else ""
                lines.append(f"  {v.focus}{where}: {v.message}")
            if len(results) > limit:
                lines.append(f"  ... and {len(results) - limit} more")
        if not self.violations:
            lines.append(f"no violations ({self.triples:,} triples checked); warnings are gaps, not errors")
        return "\n".join(lines)


def validate_graph(graph: Graph, engine: str = "sparql") -> ValidationReport:
    """Check a graph (which must include the ontology, for class hierarchy) against the shapes."""
    if engine == "sparql":
        store = ox.Store()
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph)
        return run_checks(lambda sparql: store.query(sparql), len(graph))
    if engine != "pyshacl":
        raise ValidationError(f"unknown validation engine {engine!r}", hint=f"one of {', '.join(ENGINES)}")
    return _pyshacl(graph)


def validate_nquads(nquads: bytes) -> ValidationReport:
    """Check documents serialised as N-Quads, together with the vocabularies, in a store in memory."""
    store = ox.Store()
    store.load(vocabulary_nquads(), format=ox.RdfFormat.N_QUADS)
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    return run_checks(lambda sparql: store.query(sparql, use_default_graph_as_union=True), len(store))


@cache
def vocabulary_nquads() -> bytes:
    """The ontology and vocabularies as N-Quads, serialised once."""
    graph = ontology_graph()
    return ox.serialize(
        (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph),
        format=ox.RdfFormat.N_QUADS,
    )


def run_checks(query: Callable[[str], Iterable[Any]], triples: int) -> ValidationReport:
    """Run every compiled check through `query` (SPARQL over the data as one graph) and collect results."""
    results = set()
    for check in compiled_checks():
        for solution in query(check.sparql):
            focus = solution["focus"]
            results.add(Violation(focus.value, check.path, check.message, check.severity))
    return ValidationReport(_ordered(results), triples)


def _ordered(results: Iterable[Violation]) -> tuple[Violation, ...]:
    """Violations before warnings, then by focus node, path and message, so reports are stable."""
    return tuple(sorted(results, key=lambda v: (v.severity != "Violation", v.focus, v.path or "", v.message)))


def _pyshacl(graph: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # slow to import, and only the reference engine needs it

    _, results, _ = shacl_validate(
        graph,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
    )
    violations = []
    for result in sorted(results.objects(None, SH.result), key=str):  # top-level results, not sh:detail
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(
            Violation(
                focus=str(focus),
                path=str(path) if isinstance(path, URIRef) else None,
                message=str(message or "constraint not met"),
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    return ValidationReport(_ordered(violations), len(graph))
