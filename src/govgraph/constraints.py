"""The SHACL shapes compiled to SPARQL, so a whole store is checked inside pyoxigraph in seconds.

pySHACL stays the reference (`govgraph validate --engine pyshacl`, and a test that both engines
report the same violations), but it walks the graph in Python, which does not scale to tens of
thousands of documents. Each property constraint here becomes one SELECT that returns the
focus nodes violating it. A constraint this compiler does not know is an error, never skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from .errors import ValidationError
from .vocab import ontology_graph, shapes_graph

_TYPE = f"<{RDF.type}>"


def _instance(var: str, cls: Node, ontology: Graph) -> str:
    """`var` is a SHACL instance of cls: typed with it or with one of its subclasses in the ontology.

    The subclasses are looked up once here, rather than by a property path for every value.
    """
    classes = sorted({cls, *ontology.transitive_subjects(RDFS.subClassOf, cls)}, key=str)
    if len(classes) == 1:
        return f"{var} {_TYPE} {_n3(cls)}"
    kind = f"?class_{var.lstrip('?')}"
    return f"{var} {_TYPE} {kind} VALUES {kind} {{ {' '.join(_n3(c) for c in classes)} }}"
_PROPERTY_KEYS = {SH.path, SH.message, SH.name, SH.description, SH.order, SH.group, SH.severity}
_SUPPORTED = {
    SH.minCount,
    SH.maxCount,
    SH.datatype,
    SH["class"],
    SH.hasValue,
    SH["in"],
    SH.minLength,
    SH["or"],
    SH.node,
}


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the shape and path it belongs to, its message, and its query."""

    shape: str
    path: str
    message: str
    sparql: str
    severity: str = "Violation"  # or "Warning", "Info": sh:severity of the property shape


def _n3(term: Node) -> str:
    return term.n3()


def _message(shapes: Graph, prop: Node) -> str:
    message = shapes.value(prop, SH.message)
    return str(message) if message is not None else "constraint not met"


def _value_conditions(shapes: Graph, prop: Node, var: str, ontology: Graph) -> Iterator[str]:
    """Filters that hold when the value `var` breaks one of the property's value constraints."""
    for predicate, obj in sorted(shapes.predicate_objects(prop), key=lambda po: (str(po[0]), str(po[1]))):
        if predicate == SH.datatype:
            yield f"FILTER(!isLiteral({var}) || datatype({var}) != {_n3(obj)})"
        elif predicate == SH["class"]:
            yield f"FILTER NOT EXISTS {{ {_instance(var, obj, ontology)} }}"
        elif predicate == SH["in"]:
            members = ", ".join(_n3(m) for m in Collection(shapes, obj))
            yield f"FILTER({var} NOT IN ({members}))"
        elif predicate == SH.minLength:
            yield f"FILTER(isBlank({var}) || STRLEN(STR({var})) < {int(obj)})"
        elif predicate == SH["or"]:
            yield _or_condition(shapes, obj, var)
        elif predicate == SH.node:
            yield _node_condition(shapes, obj, var)
        elif predicate not in _PROPERTY_KEYS | _SUPPORTED:
            raise ValidationError(
                f"the shapes use {predicate}, which the SPARQL validator cannot check",
                hint="use --engine pyshacl, or extend govgraph.constraints",
            )


def _or_condition(shapes: Graph, members: Node, var: str) -> str:
    """sh:or of datatypes: the value must have one of them."""
    datatypes = []
    for member in Collection(shapes, members):
        keys = set(shapes.predicates(member)) - {RDF.type}
        if keys != {SH.datatype}:
            raise ValidationError(
                "sh:or is supported only over sh:datatype alternatives", hint="use --engine pyshacl"
            )
        datatypes.append(_n3(shapes.value(member, SH.datatype)))
    return f"FILTER(!isLiteral({var}) || !(datatype({var}) IN ({', '.join(datatypes)})))"


def _node_condition(shapes: Graph, shape: Node, var: str) -> str:
    """sh:node: the value breaks the nested shape if it lacks any value or property the shape requires."""
    missing = []
    for nested in shapes.objects(shape, SH.property):
        path = _n3(shapes.value(nested, SH.path))
        for predicate, obj in shapes.predicate_objects(nested):
            if predicate == SH.hasValue:
                missing.append(f"NOT EXISTS {{ {var} {path} {_n3(obj)} }}")
            elif predicate == SH.minCount and int(obj) >= 1:
                missing.append(f"NOT EXISTS {{ {var} {path} [] }}")
            elif predicate not in _PROPERTY_KEYS:
                raise ValidationError(
                    f"sh:node shapes may only use sh:hasValue and sh:minCount, not {predicate}",
                    hint="use --engine pyshacl",
                )
    return f"FILTER({' || '.join(missing) or 'false'})"


def _property_checks(shapes: Graph, shape: Node, cls: Node, prop: Node, ontology: Graph) -> Iterator[Check]:
    """The SELECTs for one property shape of a class-targeted node shape."""
    path_node = shapes.value(prop, SH.path)
    if not isinstance(path_node, URIRef):
        raise ValidationError(
            "only simple property paths are supported by the SPARQL validator", hint="use --engine pyshacl"
        )
    path, target = _n3(path_node), _instance("?focus", cls, ontology) + " ."
    message = _message(shapes, prop)
    severity = shapes.value(prop, SH.severity, default=SH.Violation)
    if severity not in (SH.Violation, SH.Warning, SH.Info):
        raise ValidationError(f"unknown sh:severity {severity}", hint="sh:Violation, sh:Warning or sh:Info")
    level = str(severity).rsplit("#", 1)[-1]

    def check(body: str) -> Check:
        return Check(str(shape), str(path_node), message, body, level)

    minimum, maximum = shapes.value(prop, SH.minCount), shapes.value(prop, SH.maxCount)
    if minimum is not None and int(minimum) > 0:
        yield check(
            f"SELECT DISTINCT ?focus WHERE {{ {target} OPTIONAL {{ ?focus {path} ?value }} }} "
            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) < {int(minimum)})"
        )
    if maximum is not None:
        yield check(
            f"SELECT DISTINCT ?focus WHERE {{ {target} ?focus {path} ?value }} "
            f"GROUP BY ?focus HAVING (COUNT(DISTINCT ?value) > {int(maximum)})"
        )
    value = shapes.value(prop, SH.hasValue)
    if value is not None:
        yield check(
            f"SELECT DISTINCT ?focus WHERE {{ {target} FILTER NOT EXISTS {{ ?focus {path} {_n3(value)} }} }}"
        )
    for condition in _value_conditions(shapes, prop, "?value", ontology):
        yield check(f"SELECT DISTINCT ?focus ?value WHERE {{ {target} ?focus {path} ?value . {condition} }}")


@cache
def compiled_checks() -> tuple[Check, ...]:
    """Every constraint of ontology/shapes.ttl as a SPARQL SELECT of violating focus nodes."""
    return tuple(compile_shapes(shapes_graph(), ontology_graph()))


def compile_shapes(shapes: Graph, ontology: Graph) -> Iterator[Check]:
    """Compile class-targeted node shapes; shapes without targets are only reached through sh:node."""
    for shape in sorted(shapes.subjects(RDF.type, SH.NodeShape), key=str):
        for cls in shapes.objects(shape, SH.targetClass):
            for prop in shapes.objects(shape, SH.property):
                yield from _property_checks(shapes, shape, cls, prop, ontology)
        unsupported = {p for p in shapes.predicates(shape)} - {
            RDF.type,
            SH.targetClass,
            SH.property,
            SH.name,
            SH.description,
            SH.message,
            SH.closed,
            SH.ignoredProperties,
        }
        if unsupported:
            raise ValidationError(
                f"node shape {shape} uses {sorted(map(str, unsupported))}", hint="use --engine pyshacl"
            )
        if (shape, SH.closed, Literal(True)) in shapes:
            raise ValidationError(
                "closed shapes are not supported by the SPARQL validator", hint="use --engine pyshacl"
            )
