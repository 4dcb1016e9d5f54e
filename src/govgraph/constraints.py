"""A SHACL Core engine: shapes compiled to SPARQL run inside pyoxigraph, so a whole store is checked fast.

Focus nodes and value nodes never leave the store in bulk: every set of nodes a shape is applied to
is a SPARQL group pattern binding ``?focus`` (the targets, or a parent's pattern followed by a path),
and each constraint is a SELECT returning only the nodes that break it. Python combines what
SPARQL cannot say on its own: whether a literal's lexical form is well formed for its datatype,
and the logical, shape-based and qualified components (a value conforms to a shape when checking
it against the shape gives no result).

Shapes are checked when compiled, before any data is read: a shape using something this engine
does not implement (SPARQL-based constraints and targets, custom components, recursive shapes, an
ill-formed path) is refused with one line naming it, never skipped. pySHACL stays the reference
(`govgraph validate --engine pyshacl`, and tests that both engines report the same results).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from .errors import ValidationError
from .terms import from_ox, to_ox
from .vocab import shapes_graph

Query = Callable[[str], Iterable[Any]]  # SPARQL over the data graph -> solutions indexable by name

_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
_REFERENCES = (SH.node, SH.property, SH["not"], SH.qualifiedValueShape)
_LISTS = (SH["and"], SH["or"], SH.xone)
# Parameters that change nothing about which results there are.
_ANNOTATIONS = {SH.name, SH.description, SH.message, SH.order, SH.group, SH.defaultValue, SH.severity,
                SH.deactivated, SH.path, SH.ignoredProperties, SH.qualifiedMinCount, SH.qualifiedMaxCount,
                SH.qualifiedValueShapesDisjoint, *_TARGETS}
_PARAMETERS = {SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minInclusive,
               SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.pattern,
               SH.flags, SH.languageIn, SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan,
               SH.lessThanOrEquals, SH.hasValue, SH["in"], SH.closed, *_REFERENCES, *_LISTS}
_PROPERTY_ONLY = {SH.minCount, SH.maxCount, SH.uniqueLang, SH.lessThan, SH.lessThanOrEquals,
                  SH.qualifiedValueShape}
_NAMED_IN_QUERIES = {SH["class"], SH.datatype, SH.hasValue, SH["in"], SH.equals, SH.disjoint, SH.lessThan,
                     SH.lessThanOrEquals, SH.ignoredProperties, *_TARGETS}
_INTEGERS = {SH.minCount, SH.maxCount, SH.minLength, SH.maxLength, SH.qualifiedMinCount, SH.qualifiedMaxCount}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "(isBlank(?value) || isIRI(?value))",
    SH.BlankNodeOrLiteral: "(isBlank(?value) || isLiteral(?value))",
    SH.IRIOrLiteral: "(isIRI(?value) || isLiteral(?value))",
}
_RANGES = {SH.minInclusive: (">=", "MinInclusive"), SH.maxInclusive: ("<=", "MaxInclusive"),
           SH.minExclusive: (">", "MinExclusive"), SH.maxExclusive: ("<", "MaxExclusive")}
_PATH_OPERATORS = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
# Datatypes whose every lexical form is well formed; no literal of them needs a look.
_ALWAYS_WELL_FORMED = {XSD.string, RDF.langString, RDF.HTML, RDF.XMLLiteral}
_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"


_TRUE = Literal("true", datatype=XSD.boolean)  # only this; "1"^^xsd:boolean is another term


def _is_true(shape: Shape, parameter: URIRef) -> bool:
    return shape.values.get(parameter, (None,))[0] == _TRUE


def _component(name: str) -> URIRef:
    return SH[f"{name}ConstraintComponent"]


@dataclass(frozen=True)
class Result:
    """One validation result, with the terms a W3C sh:ValidationResult carries."""

    focus: Node
    path: Node | None  # an IRI, or a blank node whose structure is in the shapes graph
    value: Node | None
    shape: Node
    component: URIRef
    severity: URIRef
    message: str | None


@dataclass(frozen=True)
class Shape:
    """One shape of the shapes graph, its parameters read and checked once."""

    node: Node
    path: str | None  # the SPARQL property path, for a property shape
    path_node: Node | None
    severity: URIRef
    message: str | None
    deactivated: bool
    values: dict[URIRef, tuple[Node, ...]] = field(default_factory=dict)  # parameter -> its objects


def _short(term: Node) -> str:
    return f"sh:{term[len(str(SH)):]}" if str(term).startswith(str(SH)) else f"<{term}>"


class Shapes:
    """A shapes graph compiled for this engine; compiling it refuses what the engine cannot check."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        if (None, RDF.type, SH.ConstraintComponent) in graph or (None, SH.declare, None) in graph:
            raise ValidationError("unsupported: SPARQL-based constraint components in the shapes",
                                  hint="use --engine pyshacl")
        self.shapes: dict[Node, Shape] = {}
        for node in sorted(self._all_shapes(), key=_sort_key):
            self.shapes[node] = self._compile(node)
        self.roots = sorted((n for n in self.shapes if self._targets(n)), key=_sort_key)
        named = {c for shape in self.shapes.values() for parameter in (SH["class"], SH.targetClass)
                 for c in shape.values.get(parameter, ())}
        self.classes = sorted(named | {n for n in self.roots if self._implicit_class(n)}, key=_sort_key)
        for node in self.shapes:
            self._refuse_recursion(node, ())

    def _refused(self, what: str, shape: Node) -> ValidationError:
        """The one line saying what is not supported, and where."""
        path = self.graph.value(shape, SH.path)
        if isinstance(shape, URIRef):
            where = f"<{shape}>"
        elif isinstance(path, URIRef):
            where = f"the property shape of <{path}>"
        else:
            where = f"a blank-node shape ({shape.n3()})"
        return ValidationError(f"unsupported: {what} in {where}",
                               hint="use --engine pyshacl, or leave the construct out of the shapes")

    def _all_shapes(self) -> set[Node]:
        graph = self.graph
        found = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.subjects(RDF.type, SH.PropertyShape))
        for target in _TARGETS:
            found |= set(graph.subjects(target, None))
        for reference in _REFERENCES:
            found |= set(graph.objects(None, reference))
        for logical in _LISTS:
            for members in graph.objects(None, logical):
                found |= set(Collection(graph, members))
        return found

    def _targets(self, node: Node) -> bool:
        return any((node, target, None) in self.graph for target in _TARGETS) or self._implicit_class(node)

    def _implicit_class(self, node: Node) -> bool:
        return isinstance(node, URIRef) and (
            (node, RDF.type, RDFS.Class) in self.graph or (node, RDF.type, OWL.Class) in self.graph)

    def _compile(self, node: Node) -> Shape:
        graph = self.graph
        if isinstance(node, Literal):
            raise self._refused("a literal used as a shape", node)
        values: dict[URIRef, tuple[Node, ...]] = {}
        for predicate in sorted(set(graph.predicates(node)), key=str):
            if predicate in (SH.sparql, SH.target, SH.rule, SH.condition):
                raise self._refused(_short(predicate), node)
            if str(predicate).startswith(str(SH)) and predicate not in _PARAMETERS | _ANNOTATIONS:
                raise self._refused(_short(predicate), node)
            values[predicate] = tuple(sorted(graph.objects(node, predicate), key=_sort_key))
        path_node = graph.value(node, SH.path)
        path = self._path(path_node, node) if path_node is not None else None
        if path is None:
            for parameter in _PROPERTY_ONLY:
                if parameter in values:
                    raise self._refused(f"{_short(parameter)} on a node shape", node)
        if path is not None and SH.closed in values:
            raise self._refused("sh:closed on a property shape", node)
        for kind in values.get(SH.nodeKind, ()):
            if kind not in _NODE_KINDS:
                raise self._refused(f"the node kind {kind.n3()}", node)
        for parameter in _NAMED_IN_QUERIES:  # a blank node in a query's text would be a new variable
            for member in self._members(values, parameter):
                if isinstance(member, BNode):
                    raise self._refused(f"a blank node as a value of {_short(parameter)}", node)
        for pattern in values.get(SH.pattern, ()):
            flags = values.get(SH.flags, (Literal(""),))[0]
            if not _valid_regex(str(pattern), str(flags)):
                raise self._refused(f"the sh:pattern {pattern.n3()} with flags {flags.n3()}, not a valid "
                                    "regular expression", node)
        for parameter in _INTEGERS:
            for limit in values.get(parameter, ()):
                if not isinstance(limit, Literal) or not isinstance(limit.value, int):
                    raise self._refused(f"{_short(parameter)} {limit.n3()}, not an integer", node)
        for parameter, objects in values.items():
            if len(objects) > 1 and parameter in {SH.minCount, SH.maxCount, SH.pattern, SH.flags, SH.closed,
                                                  SH.minLength, SH.maxLength, SH.qualifiedMinCount,
                                                  SH.qualifiedMaxCount, SH.path, SH.severity, SH.deactivated}:
                raise self._refused(f"several values of {_short(parameter)}", node)
        if SH.qualifiedValueShape in values and len(values[SH.qualifiedValueShape]) > 1:
            raise self._refused("several sh:qualifiedValueShape", node)
        severity = graph.value(node, SH.severity, default=SH.Violation)
        if not isinstance(severity, URIRef):
            raise self._refused("a sh:severity that is not an IRI", node)
        message = graph.value(node, SH.message)
        return Shape(node, path, path_node, severity, str(message) if message is not None else None,
                     graph.value(node, SH.deactivated) == _TRUE, values)

    def _members(self, values: dict[URIRef, tuple[Node, ...]], parameter: URIRef) -> list[Node]:
        if parameter in (SH["in"], SH.ignoredProperties):
            return [m for lst in values.get(parameter, ()) for m in Collection(self.graph, lst)]
        return list(values.get(parameter, ()))

    def _path(self, node: Node, shape: Node) -> str:
        """The SPARQL 1.1 property path for a SHACL path; anything ill-formed is refused."""
        graph = self.graph
        if isinstance(node, URIRef):
            return f"<{node}>"
        if not isinstance(node, BNode):
            raise self._refused("a literal as sh:path", shape)
        keys = set(graph.predicates(node))
        if keys <= {RDF.first, RDF.rest} and RDF.first in keys:
            steps = [self._path(step, shape) for step in Collection(graph, node)]
            if len(steps) < 2:
                raise self._refused("a sequence path of fewer than two steps", shape)
            return "(" + "/".join(steps) + ")"
        if len(keys) != 1:
            raise self._refused("an ill-formed sh:path", shape)
        (key,) = keys
        inner = graph.value(node, key)
        if key == SH.inversePath:
            return f"^{self._path(inner, shape)}"
        if key == SH.alternativePath:
            steps = [self._path(step, shape) for step in Collection(graph, inner)]
            if len(steps) < 2:
                raise self._refused("an alternative path of fewer than two members", shape)
            return "(" + "|".join(steps) + ")"
        if key in _PATH_OPERATORS:
            return f"({self._path(inner, shape)}){_PATH_OPERATORS[key]}"
        raise self._refused(f"the path operator {_short(key)}", shape)

    def referenced(self, shape: Shape) -> Iterator[Node]:
        for reference in _REFERENCES:
            yield from shape.values.get(reference, ())
        for logical in _LISTS:
            for members in shape.values.get(logical, ()):
                yield from Collection(self.graph, members)

    def _refuse_recursion(self, node: Node, trail: tuple[Node, ...]) -> None:
        if node in trail:
            raise self._refused("a recursive shape (SHACL leaves its meaning undefined)", node)
        for child in self.referenced(self.shapes[node]):
            self._refuse_recursion(child, (*trail, node))


@cache
def _valid_regex(pattern: str, flags: str) -> bool:
    """Whether pyoxigraph's REGEX takes the pattern and flags (else every value would seem to break it)."""
    text, options = _sparql(Literal(pattern)), _sparql(Literal(flags))
    rows = list(ox.Store().query(f"SELECT (REGEX('', {text}, {options}) AS ?ok) WHERE {{}}"))
    return rows[0]["ok"] is not None


def _sort_key(term: Node) -> tuple[str, str]:
    return (type(term).__name__, str(term))


def _sparql(term: Node) -> str:
    """A constant of the shapes graph written into a query (never a blank node: those are refused)."""
    return to_ox(term).__str__()


def _nested(pattern: str, step: str) -> str:
    """The nodes reached from a pattern's focus nodes by a path step, as a pattern of their own."""
    parents = f"{{ SELECT DISTINCT (?focus AS ?parent) WHERE {{ {pattern} }} }}"
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {parents} ?parent {step} ?focus }} }}"


class Validation:
    """One run of the shapes over one data graph, which `query` answers."""

    def __init__(self, shapes: Shapes, query: Query) -> None:
        self.shapes = shapes
        self.query = query
        self._subclasses: dict[Node, str | None] = {}

    def results(self) -> list[Result]:
        found: list[Result] = []
        for node in self.shapes.roots:
            found += self.evaluate(self.shapes.shapes[node], self._target_pattern(node))
        return found

    # -- focus nodes --------------------------------------------------------

    def _instances(self, var: str, cls: Node) -> str:
        """`var` is a SHACL instance of cls, the subclasses read from the data graph once per run."""
        if not self._subclasses:  # every class the shapes name, in one query
            found: dict[Any, set[Any]] = defaultdict(set)
            listed = " ".join(_sparql(c) for c in self.shapes.classes)
            rows = self.query(
                f"SELECT ?c ?super WHERE {{ ?c {_SUBCLASS}* ?super VALUES ?super {{ {listed} }} }}")
            for row in rows:
                found[row["super"]].add(row["c"])
            for known in self.shapes.classes:
                classes = found[to_ox(known)] | {to_ox(known)}
                bnodes = any(isinstance(c, ox.BlankNode) for c in classes)
                self._subclasses[known] = None if bnodes else " ".join(sorted(str(c) for c in classes))
        listed = self._subclasses[cls]
        if listed is None:  # a blank-node subclass cannot be named in a query: follow the hierarchy instead
            return f"{var} {_TYPE}/{_SUBCLASS}* {_sparql(cls)} ."
        kind = f"?class_{var.lstrip('?')}"
        return f"{var} {_TYPE} {kind} . VALUES {kind} {{ {listed} }}"

    def _target_pattern(self, node: Node) -> str:
        shape, branches = self.shapes.shapes[node], []
        classes = list(shape.values.get(SH.targetClass, ()))
        if self.shapes._implicit_class(node):
            classes.append(node)
        branches += [self._instances("?focus", cls) for cls in classes]
        nodes = shape.values.get(SH.targetNode, ())
        if nodes:
            branches.append(f"VALUES ?focus {{ {' '.join(_sparql(n) for n in nodes)} }}")
        branches += [f"?focus {_sparql(p)} [] ." for p in shape.values.get(SH.targetSubjectsOf, ())]
        branches += [f"[] {_sparql(p)} ?focus ." for p in shape.values.get(SH.targetObjectsOf, ())]
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    # -- running a shape ----------------------------------------------------

    def evaluate(self, shape: Shape, focus: str) -> list[Result]:
        """Every result of applying `shape` to the nodes `focus` (a pattern binding ?focus) selects."""
        if shape.deactivated:
            return []
        focus = f"{{ {focus} }}"
        values = f"{focus} ?focus {shape.path} ?value ." if shape.path else f"{focus} BIND(?focus AS ?value)"
        found: list[Result] = []

        def report(component: str, rows: Iterable[Any], value: str | None = "value",
                   path: Callable[[Any], Node] | None = None) -> None:
            for row in rows:
                found.append(Result(
                    from_ox(row["focus"]), path(row) if path else shape.path_node,
                    from_ox(row[value]) if value else None, shape.node, _component(component),
                    shape.severity, shape.message))

        def select(condition: str) -> Iterable[Any]:
            return self.query(f"SELECT DISTINCT ?focus ?value WHERE {{ {values} FILTER({condition}) }}")

        for predicate, objects in shape.values.items():
            for obj in objects:
                for component, rows in self._filters(shape, predicate, obj, select):
                    report(component, rows)
        for component, rows in self._counts(shape, focus):
            report(component, rows, value=None)
        for required in shape.values.get(SH.hasValue, ()):
            report("HasValue", self._missing(shape, focus, required), value=None)
        for pair, rows in self._pairs(shape, focus, values):
            report(pair, rows)
        if _is_true(shape, SH.uniqueLang):
            report("UniqueLang", self.query(
                f"SELECT ?focus WHERE {{ {values} FILTER(lang(?value) != '') }} "
                f"GROUP BY ?focus (lang(?value)) HAVING (COUNT(DISTINCT ?value) > 1)"), value=None)
        if _is_true(shape, SH.closed):
            report("Closed", self._closed(shape, focus), path=lambda row: from_ox(row["path"]))
        for nested in shape.values.get(SH.property, ()):
            found += self.evaluate(self.shapes.shapes[nested], _nested(focus, shape.path) if shape.path
                                   else focus)
        value_nodes = _nested(focus, shape.path) if shape.path else focus
        for component, failing in self._shape_based(shape, value_nodes):
            if failing:  # only then are the pairs worth fetching
                pairs = self.query(f"SELECT DISTINCT ?focus ?value WHERE {{ {values} }}")
                report(component, (row for row in pairs if row["value"] in failing))
        found += self._qualified(shape, focus, values, value_nodes)
        return found

    def _filters(self, shape: Shape, predicate: URIRef, obj: Node,
                 select: Callable[[str], Iterable[Any]]) -> Iterator[tuple[str, Iterable[Any]]]:
        """The value-by-value components, each one FILTER true for a value that breaks it."""
        if predicate == SH["class"]:
            yield "Class", select(f"NOT EXISTS {{ {self._instances('?value', obj)} }}")
        elif predicate == SH.datatype:
            if obj in _ALWAYS_WELL_FORMED:
                yield "Datatype", select(f"!isLiteral(?value) || datatype(?value) != {_sparql(obj)}")
            else:  # every value is read, for its lexical form to be checked too
                datatype = to_ox(obj)
                yield "Datatype", [row for row in select("true") if not isinstance(row["value"], ox.Literal)
                                   or row["value"].datatype != datatype or _ill_formed(row["value"])]
        elif predicate == SH.nodeKind:
            yield "NodeKind", select(f"!{_NODE_KINDS[obj]}")
        elif predicate in _RANGES:
            operator, name = _RANGES[predicate]
            yield name, select(f"!COALESCE(?value {operator} {_sparql(obj)}, false)")
        elif predicate in (SH.minLength, SH.maxLength):
            operator, name = (">=", "MinLength") if predicate == SH.minLength else ("<=", "MaxLength")
            length = f"STRLEN(STR(?value)) {operator} {int(obj)}"
            yield name, select(f"isBlank(?value) || !COALESCE({length}, false)")
        elif predicate == SH.pattern:
            flags = shape.values.get(SH.flags, (Literal(""),))[0]
            yield "Pattern", select(f"isBlank(?value) || !COALESCE(REGEX(STR(?value), "
                                    f"{_sparql(Literal(str(obj)))}, {_sparql(Literal(str(flags)))}), false)")
        elif predicate == SH.languageIn:
            tags = [str(t) for t in Collection(self.shapes.graph, obj)]
            matches = " || ".join(f"langMatches(lang(?value), {_sparql(Literal(t))})" for t in tags)
            matches = matches or "false"
            yield "LanguageIn", select(f"!isLiteral(?value) || !({matches})")
        elif predicate == SH["in"]:
            members = Collection(self.shapes.graph, obj)
            same = " || ".join(f"sameTerm(?value, {_sparql(m)})" for m in members) or "false"
            yield "In", select(f"!({same})")

    def _counts(self, shape: Shape, focus: str) -> Iterator[tuple[str, list[Any]]]:
        """sh:minCount and sh:maxCount, in one query: the focus nodes with too few or too many values."""
        low = int(shape.values.get(SH.minCount, (0,))[0])
        high = shape.values.get(SH.maxCount, (None,))[0]
        broken = ([f"COUNT(DISTINCT ?value) < {low}"] if low > 0 else []) + (
            [f"COUNT(DISTINCT ?value) > {int(high)}"] if high is not None else [])
        if not broken:
            return
        rows = list(self.query(
            f"SELECT ?focus (COUNT(DISTINCT ?value) AS ?count) WHERE {{ {focus} "
            f"OPTIONAL {{ ?focus {shape.path} ?value }} }} GROUP BY ?focus HAVING ({' || '.join(broken)})"))
        yield "MinCount", [row for row in rows if int(row["count"].value) < low]
        yield "MaxCount", [row for row in rows if high is not None and int(row["count"].value) > int(high)]

    def _missing(self, shape: Shape, focus: str, required: Node) -> Iterable[Any]:
        if shape.path:
            return self.query(f"SELECT DISTINCT ?focus WHERE {{ {focus} "
                              f"FILTER NOT EXISTS {{ ?focus {shape.path} {_sparql(required)} }} }}")
        return self.query(
            f"SELECT DISTINCT ?focus WHERE {{ {focus} FILTER(!sameTerm(?focus, {_sparql(required)})) }}")

    def _pairs(self, shape: Shape, focus: str, values: str) -> Iterator[tuple[str, Iterable[Any]]]:
        """sh:equals, sh:disjoint, sh:lessThan, sh:lessThanOrEquals: the values of two paths compared."""
        has = (f"EXISTS {{ ?focus {shape.path} ?value }}" if shape.path else "sameTerm(?focus, ?value)")
        for other in shape.values.get(SH.equals, ()):
            yield "Equals", self.query(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {{ {values} FILTER NOT EXISTS "
                f"{{ ?focus {_sparql(other)} ?value }} }} UNION {{ {focus} ?focus {_sparql(other)} ?value "
                f"FILTER(!({has})) }} }}")
        for other in shape.values.get(SH.disjoint, ()):
            yield "Disjoint", self.query(
                f"SELECT DISTINCT ?focus ?value WHERE {{ {values} ?focus {_sparql(other)} ?value }}")
        for parameter, operator, name in ((SH.lessThan, "<", "LessThan"),
                                          (SH.lessThanOrEquals, "<=", "LessThanOrEquals")):
            for other in shape.values.get(parameter, ()):
                yield name, self.query(
                    f"SELECT DISTINCT ?focus ?value WHERE {{ {values} ?focus {_sparql(other)} ?other "
                    f"FILTER(!COALESCE(?value {operator} ?other, false)) }}")

    def _closed(self, shape: Shape, focus: str) -> Iterable[Any]:
        allowed = {p for nested in shape.values.get(SH.property, ())
                   if isinstance(p := self.shapes.shapes[nested].path_node, URIRef)}
        for ignored in shape.values.get(SH.ignoredProperties, ()):
            allowed |= set(Collection(self.shapes.graph, ignored))
        listed = ", ".join(_sparql(p) for p in sorted(allowed, key=str))
        condition = f"FILTER(?path NOT IN ({listed}))" if listed else ""
        return self.query(
            f"SELECT DISTINCT ?focus ?path ?value WHERE {{ {focus} ?focus ?path ?value {condition} }}")

    def failing(self, node: Node, focus: str) -> set[Any]:
        """The nodes of `focus` that do not conform to the shape `node` (any result counts)."""
        return {to_ox(r.focus) for r in self.evaluate(self.shapes.shapes[node], focus)}

    def _all(self, focus: str) -> set[Any]:
        return {row["focus"] for row in self.query(f"SELECT DISTINCT ?focus WHERE {{ {focus} }}")}

    def _shape_based(self, shape: Shape, value_nodes: str) -> Iterator[tuple[str, set[Any]]]:
        """sh:node, sh:not, sh:and, sh:or, sh:xone: the value nodes that break each."""
        for node in shape.values.get(SH.node, ()):
            yield "Node", self.failing(node, value_nodes)
        for node in shape.values.get(SH["not"], ()):
            conforming = self._all(value_nodes) - self.failing(node, value_nodes)
            yield "Not", conforming
        for members in shape.values.get(SH["and"], ()):
            members_ = Collection(self.shapes.graph, members)
            yield "And", set().union(*(self.failing(m, value_nodes) for m in members_))
        for members in shape.values.get(SH["or"], ()):
            failing = [self.failing(m, value_nodes) for m in Collection(self.shapes.graph, members)]
            yield "Or", set.intersection(*failing) if failing else self._all(value_nodes)
        for members in shape.values.get(SH.xone, ()):
            failing = [self.failing(m, value_nodes) for m in Collection(self.shapes.graph, members)]
            everything = self._all(value_nodes)
            yield "Xone", {v for v in everything if sum(v not in f for f in failing) != 1}

    def _qualified(self, shape: Shape, focus: str, values: str, value_nodes: str) -> list[Result]:
        """sh:qualifiedValueShape with its min and max counts (and sibling shapes kept disjoint)."""
        qualified = shape.values.get(SH.qualifiedValueShape, ())
        if not qualified:
            return []
        failing = self.failing(qualified[0], value_nodes)
        if _is_true(shape, SH.qualifiedValueShapesDisjoint):
            everything = self._all(value_nodes)
            for sibling in self._siblings(shape):
                failing |= everything - self.failing(sibling, value_nodes)
        conforming: dict[Any, set[Any]] = defaultdict(set)
        for row in self.query(f"SELECT DISTINCT ?focus ?value WHERE {{ {values} }}"):
            if row["value"] not in failing:
                conforming[row["focus"]].add(row["value"])
        focus_nodes = self._all(focus)
        found = []
        for parameter, broken, name in ((SH.qualifiedMinCount, lambda n, k: n < k, "QualifiedMinCount"),
                                        (SH.qualifiedMaxCount, lambda n, k: n > k, "QualifiedMaxCount")):
            for limit in shape.values.get(parameter, ()):
                for node in sorted(focus_nodes, key=str):
                    if broken(len(conforming[node]), int(limit)):
                        found.append(Result(from_ox(node), shape.path_node, None, shape.node,
                                            _component(name), shape.severity, shape.message))
        return found

    def _siblings(self, shape: Shape) -> set[Node]:
        """The qualified value shapes of the other property shapes of this shape's parents."""
        graph, siblings = self.shapes.graph, set()
        for parent in graph.subjects(SH.property, shape.node):
            for other in graph.objects(parent, SH.property):
                if other != shape.node:
                    siblings |= set(graph.objects(other, SH.qualifiedValueShape))
        return siblings


@cache
def _well_formed(lexical: str, datatype: str) -> bool:
    logger = logging.getLogger("rdflib.term")
    level, logger.level = logger.level, logging.CRITICAL  # rdflib logs every ill-formed literal it meets
    try:
        return not Literal(lexical, datatype=URIRef(datatype)).ill_typed
    finally:
        logger.setLevel(level)


def _ill_formed(term: Any) -> bool:
    return not _well_formed(term.value, term.datatype.value)


def validate_shapes(shapes: Shapes, query: Query) -> list[Result]:
    """Every result of checking the data graph `query` answers against compiled shapes."""
    return Validation(shapes, query).results()


@cache
def project_shapes() -> Shapes:
    """ontology/shapes.ttl, compiled once."""
    return Shapes(shapes_graph())
