"""pySHACL against ontology/shapes.ttl, reduced to a report object a person or script can use."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from .vocab import shapes_graph


@dataclass(frozen=True)
class Violation:
    """One failed constraint: which node, along which path, and the shape's message."""

    focus: str
    path: str | None
    message: str
    severity: str


@dataclass(frozen=True)
class ValidationReport:
    """Whether a graph conforms to the shapes, and every violation if it does not."""

    conforms: bool
    violations: tuple[Violation, ...]
    triples: int

    def summary(self, limit: int = 10) -> str:
        """A few readable lines, most useful first."""
        if self.conforms:
            return f"conforms to the govgraph shapes ({self.triples:,} triples checked)"
        lines = [f"{len(self.violations)} violation(s) of the govgraph shapes:"]
        for v in self.violations[:limit]:
            where = f" [{v.path}]" if v.path else ""
            lines.append(f"  {v.focus}{where}: {v.message}")
        if len(self.violations) > limit:
            lines.append(f"  ... and {len(self.violations) - limit} more")
        return "\n".join(lines)


def validate_graph(graph: Graph) -> ValidationReport:
    """Check a graph (which must include the ontology, for class hierarchy) against the shapes."""
    _, results, _ = shacl_validate(
        graph, shacl_graph=shapes_graph(), inference="none", abort_on_first=False,
        allow_warnings=True,
    )
    violations = []
    for result in sorted(results.subjects(SH.focusNode, None), key=str):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        severity = results.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=str(focus),
            path=str(path) if isinstance(path, URIRef) else None,
            message=str(message or "constraint not met"),
            severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
        ))
    violations.sort(key=lambda v: (v.focus, v.path or "", v.message))
    conforms = not any(v.severity == "Violation" for v in violations)
    return ValidationReport(conforms, tuple(violations), len(graph))
