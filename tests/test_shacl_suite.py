"""The W3C SHACL Core test suite, run through the SPARQL engine: every test passes or is refused.

Read from the shared folder (never copied into the repository). A test passes when the engine gives
the expected sh:conforms and the same set of (focus node, result path) pairs as the expected
report; it is refused when compiling its shapes raises ValidationError, before any data is read.
Anything else is a wrong answer, and there must be none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD, Namespace
from rdflib.term import Node

from govgraph.constraints import Shapes
from govgraph.errors import ValidationError
from govgraph.validate import read_rdf, validate_graph

from .conftest import SCORE_TABLES, SHARED

SUITE = SHARED / "conformance" / "shacl-test-suite" / "core"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
PASS_FLOOR = 90  # of 98: raise it as the engine learns more, so a regression fails


@dataclass(frozen=True)
class SuiteTest:
    """One entry of a manifest: its data and shapes graphs and the expected report."""

    folder: str
    name: str
    data: Graph
    shapes: Graph
    expected: Graph
    report: Node


def _graph(path: Path, cache: dict[Path, Graph]) -> Graph:
    if path not in cache:
        cache[path] = read_rdf([path])
    return cache[path]


def _local(iri: Node) -> Path:
    return Path(str(iri).removeprefix("file://"))


def suite_tests() -> list[SuiteTest]:
    """Every test of the core suite, folder by folder, each file parsed once."""
    if not SUITE.is_dir():
        pytest.fail(f"the W3C SHACL suite is missing at {SUITE} (set GOVGRAPH_SHARED)")
    tests, cache = [], {}
    for folder in sorted(p for p in SUITE.iterdir() if (p / "manifest.ttl").is_file()):
        for included in sorted(_graph(folder / "manifest.ttl", cache).objects(None, MF.include), key=str):
            manifest = _graph(_local(included), cache)
            for entries in manifest.objects(None, MF.entries):
                for entry in Collection(manifest, entries):
                    action = manifest.value(entry, MF.action)
                    tests.append(SuiteTest(
                        folder.name, str(entry).rsplit("/", 1)[-1],
                        _graph(_local(manifest.value(action, SHT.dataGraph)), cache),
                        _graph(_local(manifest.value(action, SHT.shapesGraph)), cache),
                        manifest, manifest.value(entry, MF.result)))
    return tests


def _key(term: Node | None, graph: Graph, depth: int = 3) -> object:
    """A term compared across graphs: IRIs and literals by value, blank nodes by what they hold."""
    if isinstance(term, Literal):
        datatype = term.datatype or (None if term.language else XSD.string)
        return ("literal", str(term), str(datatype), term.language)
    if not isinstance(term, BNode):
        return term
    if depth == 0:
        return "_"
    return frozenset((p, _key(o, graph, depth - 1)) for p, o in graph.predicate_objects(term))


def _path_key(path: Node | None, graph: Graph) -> object:
    """A result path compared by its structure (a sequence as a tuple, an inverse as a pair, ...)."""
    if not isinstance(path, BNode):
        return path
    if (path, RDF.first, None) in graph:
        return ("sequence", tuple(_path_key(step, graph) for step in Collection(graph, path)))
    (predicate, obj), *more = graph.predicate_objects(path)
    assert not more, "a path node with two operators"
    if predicate == SH.alternativePath:
        return ("alternative", tuple(_path_key(step, graph) for step in Collection(graph, obj)))
    return (predicate, _path_key(obj, graph))


def expected(test: SuiteTest) -> tuple[bool, set[tuple[object, object]]]:
    graph, report = test.expected, test.report
    conforms = graph.value(report, SH.conforms).toPython()
    pairs = {(_key(graph.value(r, SH.focusNode), graph), _path_key(graph.value(r, SH.resultPath), graph))
             for r in graph.objects(report, SH.result)}
    return conforms, pairs


def outcome(test: SuiteTest) -> str:
    """'pass', 'refused' or 'wrong' (with what differed)."""
    try:
        Shapes(test.shapes)  # refused before any data is read
        report = validate_graph(test.data, "sparql", test.shapes)
    except ValidationError as exc:
        return "refused" if str(exc).startswith("unsupported: ") else f"wrong: {exc}"
    found = {(_key(v.focus, test.data), _path_key(v.path, test.shapes)) for v in report.results}
    conforms, pairs = expected(test)
    if report.conforms == conforms and found == pairs:
        return "pass"
    return f"wrong: conforms {report.conforms} (expected {conforms}); " \
           f"missing {pairs - found}; unexpected {found - pairs}"


@pytest.fixture(scope="module")
def outcomes() -> dict[tuple[str, str], str]:
    results = {(t.folder, t.name): outcome(t) for t in suite_tests()}
    table = Counter((folder, o.split(":")[0]) for (folder, _), o in results.items())
    lines = [f"{'folder':<20} {'pass':>5} {'refused':>8} {'wrong':>6}"]
    for folder in sorted({f for f, _ in results}):
        lines.append(f"{folder:<20} {table[(folder, 'pass')]:>5} {table[(folder, 'refused')]:>8} "
                     f"{table[(folder, 'wrong')]:>6}")
    total = Counter(o.split(":")[0] for o in results.values())
    lines.append(f"{'all':<20} {total['pass']:>5} {total['refused']:>8} {total['wrong']:>6}")
    SCORE_TABLES[f"W3C SHACL core suite ({len(results)} tests)"] = "\n".join(lines)
    return results


def test_the_whole_core_suite_is_read(outcomes):
    assert len(outcomes) == 98
    assert {folder for folder, _ in outcomes} == {"complex", "misc", "node", "path", "property", "targets",
                                                  "validation-reports"}


def test_no_wrong_answers(outcomes):
    wrong = {name: o for name, o in outcomes.items() if o.startswith("wrong")}
    assert not wrong


def test_most_of_the_suite_passes(outcomes):
    passed = sum(o == "pass" for o in outcomes.values())
    assert passed >= PASS_FLOOR, sorted(name for name, o in outcomes.items() if o != "pass")


def test_a_refusal_names_what_and_where():
    shapes = Graph().parse(data="""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <urn:s> a sh:NodeShape ; sh:targetClass <urn:C> ;
            sh:sparql [ sh:select "SELECT $this WHERE { }" ] .
    """, format="turtle")
    with pytest.raises(ValidationError, match=r"^unsupported: sh:sparql in <urn:s>"):
        Shapes(shapes)

