"""Checking graphs against SHACL shapes, reduced to a report a person or script can use.

Two engines give the same answers: "sparql" (govgraph.constraints: the shapes compiled to SPARQL,
run inside pyoxigraph; the default, fast at any size) and "pyshacl" (the reference implementation).
The shapes are govgraph's own (ontology/shapes.ttl) unless others are given, so the validator is
also a tool of its own for any RDF and any SHACL Core shapes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from .constraints import Query, Shapes, project_shapes, validate_shapes
from .errors import ValidationError
from .terms import from_ox, to_ox
from .vocab import ontology_graph, shapes_graph

ENGINES = ("sparql", "pyshacl")
_LEXICAL_COMPONENTS = (SH.datatype, SH.minLength, SH.maxLength, SH.pattern)


@dataclass(frozen=True)
class Violation:
    """One validation result of any severity: the focus node, the path, the value and what broke.

    `severity` is the local name of sh:resultSeverity ("Violation", "Warning", "Info", ...);
    `shape` and `component` are sh:sourceShape and sh:sourceConstraintComponent.
    """

    focus: Node
    path: Node | None  # an IRI, or a blank node whose structure is in the report's `paths` graph
    message: str
    severity: str
    value: Node | None = None
    shape: Node | None = None
    component: URIRef | None = None


@dataclass(frozen=True)
class ValidationReport:
    """Every result of checking a graph against the shapes, of any severity.

    `conforms` is SHACL's: no result at all, warnings included. govgraph fails a graph only on
    `violations`; the `warnings` are gaps in what could be extracted (a speech whose speaker was
    not found), reported.
    """

    results: tuple[Violation, ...]
    triples: int
    paths: Graph | None = None  # where the structure of blank-node result paths is written

    @property
    def conforms(self) -> bool:
        return not self.results

    @property
    def violations(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(r for r in self.results if r.severity != "Violation")

    def summary(self, limit: int = 10, shapes: str = "the govgraph shapes") -> str:
        """A few readable lines, violations first."""
        if self.conforms:
            return f"conforms to {shapes} ({self.triples:,} triples checked)"
        lines = []
        for label, results in (("violation", self.violations), ("warning", self.warnings)):
            if not results:
                continue
            lines.append(f"{len(results)} {label}(s) of {shapes}:")
            for v in results[:limit]:
                where = f" [{_path_text(v.path, self.paths)}]" if v.path is not None else ""
                lines.append(f"  {v.focus}{where}: {v.message}")
            if len(results) > limit:
                lines.append(f"  ... and {len(results) - limit} more")
        if not self.violations:
            lines.append(f"no violations ({self.triples:,} triples checked); warnings are gaps, not errors")
        return "\n".join(lines)

    def to_graph(self) -> Graph:
        """The report as a W3C sh:ValidationReport."""
        graph = Graph()
        graph.bind("sh", SH)
        report = BNode()
        graph.add((report, RDF.type, SH.ValidationReport))
        graph.add((report, SH.conforms, Literal(self.conforms)))
        for v in self.results:
            result = BNode()
            graph.add((report, SH.result, result))
            graph.add((result, RDF.type, SH.ValidationResult))
            graph.add((result, SH.focusNode, v.focus))
            severity = URIRef(v.severity) if ":" in v.severity else SH[v.severity]  # a custom one is an IRI
            graph.add((result, SH.resultSeverity, severity))
            graph.add((result, SH.resultMessage, Literal(v.message)))
            for predicate, term in ((SH.value, v.value), (SH.sourceShape, v.shape),
                                    (SH.sourceConstraintComponent, v.component)):
                if term is not None:
                    graph.add((result, predicate, term))
            if v.path is not None:
                graph.add((result, SH.resultPath, v.path))
                if isinstance(v.path, BNode) and self.paths is not None:
                    _copy_structure(self.paths, v.path, graph)
        return graph

    def to_turtle(self) -> str:
        return self.to_graph().serialize(format="turtle")


def _copy_structure(source: Graph, node: Node, target: Graph) -> None:
    """The triples describing a blank node (a path, a list), and those of the blank nodes they name."""
    for predicate, obj in source.predicate_objects(node):
        target.add((node, predicate, obj))
        if isinstance(obj, BNode):
            _copy_structure(source, obj, target)


def _path_text(path: Node, paths: Graph | None) -> str:
    """A result path for people: the IRI, or the path in SPARQL's syntax."""
    if not isinstance(path, BNode) or paths is None:
        return str(path)
    if (path, RDF.first, None) in paths:
        return "/".join(_path_text(step, paths) for step in Collection(paths, path))
    for predicate, obj in paths.predicate_objects(path):
        if predicate == SH.inversePath:
            return f"^{_path_text(obj, paths)}"
        if predicate == SH.alternativePath:
                return "(" + "|".join(_path_text(step, paths) for step in Collection(paths, obj)) + ")"
        operator = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}.get(predicate)
        if operator:
            return f"({_path_text(obj, paths)}){operator}"
    return str(path)


def _severity(term: Node | None) -> str:
    if term is None:
        return "Violation"
    return str(term)[len(str(SH)):] if str(term).startswith(str(SH)) else str(term)


def validate_graph(graph: Graph, engine: str = "sparql", shapes: Graph | None = None) -> ValidationReport:
    """Check a graph against the shapes (govgraph's, which need the ontology in the graph, by default).

    Raises ValidationError for an unknown engine or for shapes the SPARQL engine cannot check.
    """
    if engine == "sparql":
        compiled = project_shapes() if shapes is None else Shapes(shapes)
        originals = _literals_kept_otherwise(graph, compiled.graph)
        store = ox.Store()
        store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in graph)
        report = run_checks(store.query, len(graph), compiled)
        if not originals:
            return report
        results = (replace(v, focus=_original(v.focus, originals), value=_original(v.value, originals))
                   for v in report.results)
        return ValidationReport(_ordered(results), report.triples, report.paths)
    if engine != "pyshacl":
        raise ValidationError(f"unknown validation engine {engine!r}", hint=f"one of {', '.join(ENGINES)}")
    return _pyshacl(graph, shapes_graph() if shapes is None else shapes)


def _literal_key(term: Node) -> tuple[str, str, str | None] | None:
    if not isinstance(term, Literal):
        return None
    return str(term), str(term.datatype or ""), term.language


def _original(term: Node | None, originals: dict[tuple[str, str, str | None], Literal]) -> Node | None:
    key = _literal_key(term) if term is not None else None
    return originals.get(key, term) if key else term


def _literals_kept_otherwise(graph: Graph, shapes: Graph) -> dict[tuple[str, str, str | None], Literal]:
    """The literals pyoxigraph writes in another form ("4.0"^^xsd:decimal as "4"), by their stored form.

    SHACL compares terms, not values, so two literals the store would make one (or one the shapes
    name), an ill-formed one it would read as a value, or one whose lexical form or datatype the
    shapes check ("5"^^xsd:byte is stored as an xsd:integer) make the SPARQL engine refuse the graph;
    otherwise the few such literals are mapped back to their written form in the results.
    """
    literals = {o for g in (graph, shapes) for o in g.objects()
                if isinstance(o, Literal) and o.datatype is not None and o.datatype != XSD.string}
    ordered = sorted(literals, key=lambda term: (str(term), str(term.datatype)))
    scratch = ox.Store()
    scratch.extend(ox.Quad(ox.NamedNode(f"urn:literal:{i}"), ox.NamedNode("urn:value"), to_ox(term))
                   for i, term in enumerate(ordered))
    stored: dict[tuple[str, str, str | None], set[tuple[str, str, str | None]]] = {}
    for quad in scratch:
        original = ordered[int(quad.subject.value.rsplit(":", 1)[1])]
        stored.setdefault(_literal_key(from_ox(quad.object)), set()).add(_literal_key(original))
    originals = {}
    for kept, sources in stored.items():
        if len(sources) > 1:
            shown = " and ".join(f'"{lexical}"^^<{datatype}>' for lexical, datatype, _ in sorted(sources))
            raise ValidationError(
                f"unsupported: the literals {shown} are different terms that pyoxigraph stores as one",
                hint="use --engine pyshacl for this graph")
        (source,) = sources
        if source != kept:
            original = next(t for t in ordered if _literal_key(t) == source)
            if original.ill_typed:  # pyoxigraph would read it as a value ("none"^^xsd:boolean as false)
                raise ValidationError(
                    f'unsupported: the ill-formed literal "{source[0]}"^^<{source[1]}>, which pyoxigraph '
                    f'stores as "{kept[0]}"', hint="use --engine pyshacl for this graph")
            originals[kept] = original
    lexical = [p for p in _LEXICAL_COMPONENTS if (None, p, None) in shapes]
    if originals and lexical:  # the store's form would be checked, not the one written
        kept, original = min(originals.items(), key=lambda item: str(item[1]))
        raise ValidationError(
            f'unsupported: the literal "{original}"^^<{original.datatype}>, which pyoxigraph stores as '
            f'"{kept[0]}"^^<{kept[1]}>, with shapes that read lexical forms or datatypes '
            f'(sh:{lexical[0].fragment})',
            hint="use --engine pyshacl for this graph")
    return originals


def read_rdf(paths: Sequence[Path], what: str = "data") -> Graph:
    """RDF files (any format rdflib reads, guessed from the name) as one graph, literals as written.

    rdflib would otherwise rewrite "01"^^xsd:integer as "1", and SHACL tells those two terms apart.
    """
    import rdflib
    from rdflib.util import guess_format

    graph, normalise = Graph(), rdflib.NORMALIZE_LITERALS
    rdflib.NORMALIZE_LITERALS = False
    try:
        for path in paths:
            try:
                graph.parse(path, format=guess_format(str(path)) or "turtle",
                            publicID=Path(path).resolve().as_uri())
            except Exception as exc:  # rdflib raises many kinds (OSError, BadSyntax, SAXParseException, ...)
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise ValidationError(
                    f"cannot read the {what} file {path}: {reason}",
                    hint="give a readable RDF file (Turtle, N-Triples, RDF/XML, JSON-LD, ...)") from None
    finally:
        rdflib.NORMALIZE_LITERALS = normalise
    return graph


def validate_files(data: Sequence[Path], shapes: Path, engine: str = "sparql") -> ValidationReport:
    """Check RDF files against a SHACL shapes file.

    The shapes are compiled before the data is read, so unsupported shapes fail fast. Raises
    ValidationError for unreadable files and for shapes the engine cannot check.
    """
    shapes_graph_ = read_rdf([shapes], "shapes")
    if engine == "sparql":
        Shapes(shapes_graph_)
    return validate_graph(read_rdf(data), engine, shapes_graph_)


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


def run_checks(query: Query | Callable[[str], Iterable[Any]], triples: int,
               shapes: Shapes | None = None) -> ValidationReport:
    """Run the shapes (govgraph's by default) through `query` (SPARQL over the data as one graph)."""
    compiled = project_shapes() if shapes is None else shapes
    results = {
        Violation(r.focus, r.path, r.message or _default_message(r.component), _severity(r.severity),
                  r.value, r.shape, r.component)
        for r in validate_shapes(compiled, query)
    }
    return ValidationReport(_ordered(results), triples, compiled.graph)


def _default_message(component: URIRef | None) -> str:
    name = str(component or "")[len(str(SH)):].removesuffix("ConstraintComponent")
    return f"{name or 'a'} constraint not met"


def _ordered(results: Iterable[Violation]) -> tuple[Violation, ...]:
    """Violations before warnings, then by focus node, path and message, so reports are stable."""
    return tuple(sorted(results, key=lambda v: (v.severity != "Violation", str(v.focus), str(v.path or ""),
                                                v.message, str(v.value or ""), str(v.component or ""))))


def _pyshacl(graph: Graph, shapes: Graph) -> ValidationReport:
    from pyshacl import validate as shacl_validate  # slow to import, and only the reference engine needs it

    try:
        _, results, _ = shacl_validate(
            graph,
            shacl_graph=shapes,
            inference="none",
            abort_on_first=False,
            allow_warnings=False,  # SHACL: any result, warnings included, means the graph does not conform
        )
    except Exception as exc:  # pySHACL raises its own kinds for shapes it cannot check
        raise ValidationError(f"pySHACL could not validate: {str(exc).splitlines()[0]}",
                              hint="check the shapes graph") from None
    violations = []
    for result in sorted(results.objects(None, SH.result), key=str):  # top-level results, not sh:detail
        message = results.value(result, SH.resultMessage)
        violations.append(
            Violation(
                focus=results.value(result, SH.focusNode),
                path=results.value(result, SH.resultPath),
                message=str(message or "constraint not met"),
                severity=_severity(results.value(result, SH.resultSeverity)),
                value=results.value(result, SH.value),
                shape=results.value(result, SH.sourceShape),
                component=results.value(result, SH.sourceConstraintComponent),
            )
        )
    return ValidationReport(_ordered(violations), len(graph), results)

