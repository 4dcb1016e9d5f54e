"""The embedded on-disk store: a pyoxigraph (RocksDB) quad store with one named graph per document.

Writes are transactional: a build's new documents go in with one atomic load per batch, and a
changed document is staged then swapped in with one SPARQL `MOVE`, so a reader sees a document's
graph before or after, never half of one. A first build, into an empty store, fills a new store
beside it with RocksDB's bulk loader instead and swaps the folders once it is complete.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from .errors import QueryError, StoreError
from .graph import SAFE_IRI
from .namespaces import GG, LINKS_GRAPH, PREFIXES, RDF, VOCABULARY_GRAPH
from .results import QueryResult, from_pyoxigraph
from .terms import TermCache, from_ox_triples, solution_rows, to_ox

DEFAULT_STORE = Path(".govgraph") / "store"
DUMP_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = ("nq", "trig", "jsonld")
STORE_ENV = "GOVGRAPH_STORE"
_VOCAB_NODE = URIRef(str(VOCABULARY_GRAPH) + "#source")


def default_store_path() -> Path:
    """`$GOVGRAPH_STORE`, else a project-local `.govgraph/store` folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def _checked_iri(iri: URIRef) -> str:
    """Only IRIs govgraph minted itself ever reach an update string."""
    if not SAFE_IRI.match(str(iri)):
        raise StoreError(f"refusing to write to graph {iri}: not a govgraph IRI")
    return str(iri)


# ---------------------------------------------------------------------------
# The store
# ---------------------------------------------------------------------------


class EmbeddedStore:
    """A persistent pyoxigraph store on disk."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False) -> None:
        self.path = Path(path) if path else default_store_path()
        self.read_only = read_only
        self._open()

    def _open(self) -> None:
        try:
            if self.read_only:
                if not (self.path / "CURRENT").exists():
                    raise StoreError(
                        f"no store at {self.path}", hint="run `govgraph build` first, or pass --store DIR"
                    )
                self._store = _open_read_only(self.path)
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreError(
                    f"the store at {self.path} is in use by another govgraph process",
                    hint="wait for it to finish and try again",
                ) from None
            raise StoreError(f"cannot open the store at {self.path}: {message}") from None
        self._union = False
        self._ensure_default_graph()

    def triple_count(self) -> int:
        """Distinct triples across all graphs (the quads count each graph's copy)."""
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])

    def _ensure_default_graph(self) -> None:
        """Stores written before the default graph held the deduplicated union get it now."""
        if needs_union(self._store):
            if self.read_only:
                self._union = True  # cannot fill it: ask the union instead (slower, same answers)
            else:
                self._write(self._store.update, "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Flush and release the store (its lock is freed when the object goes)."""
        if not hasattr(self, "_store"):
            return
        if not self.read_only:
            self._store.flush()
        del self._store

    def is_empty(self) -> bool:
        """True when the store holds no quad at all (cheaper than len, which counts them)."""
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    # -- building a new store beside this one, then swapping it in ---------

    def side_store(self) -> EmbeddedStore:
        """An empty store in a new folder beside this one, to fill with bulk loads and swap in whole."""
        side = self.path.with_name(f"{self.path.name}{_SIDE_SUFFIX}{os.getpid()}")
        shutil.rmtree(side, ignore_errors=True)
        return EmbeddedStore(side)

    def adopt(self, side: EmbeddedStore) -> None:
        """Become `side` by swapping folders, so a reader finds the old store or the new one, whole."""
        side.close()
        self.close()  # before the move: RocksDB must not write into a folder that has moved
        retired = self.path.with_name(f"{self.path.name}{_RETIRED_SUFFIX}{os.getpid()}")
        try:
            self.path.rename(retired)
            side.path.rename(self.path)
        except OSError as exc:
            raise StoreError(f"could not move the new store into {self.path}: {exc}") from None
        self._open()
        shutil.rmtree(retired, ignore_errors=True)

    def discard(self) -> None:
        """Close this store and delete its folder (a side store that will not be used)."""
        self.close()
        shutil.rmtree(self.path, ignore_errors=True)

    def discard_leftovers(self) -> None:
        """Remove what a killed build left: staging graphs, and side folders (this process holds the lock)."""
        self.discard_staging()
        for folder in self.path.parent.iterdir():
            name = folder.name
            if name.startswith(self.path.name) and name[len(self.path.name):].startswith(_LEFTOVERS):
                shutil.rmtree(folder, ignore_errors=True)

    # -- reading ----------------------------------------------------------

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run SPARQL over the union of all graphs (kept deduplicated in the default graph); bindings
        are substituted as RDF terms."""
        substitutions = {ox.Variable(k): to_ox(v) for k, v in (bindings or {}).items()}
        try:
            return self._store.query(
                sparql,
                use_default_graph_as_union=self._union,
                prefixes={k: str(v) for k, v in PREFIXES.items()},
                substitutions=substitutions or None,
            )
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from None
        except OSError as exc:
            raise StoreError(f"the store could not answer: {exc}") from None

    def execute(self, sparql: str) -> QueryResult:
        """Answer a complete query (parameters already bound) over the union of all graphs."""
        try:
            return from_pyoxigraph(self._store.query(sparql, use_default_graph_as_union=self._union))
        except SyntaxError as exc:
            raise QueryError(f"malformed query: {exc}") from None
        except OSError as exc:
            raise StoreError(f"the store could not answer: {exc}") from None

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> list[dict[str, Node]]:
        """SELECT rows as dicts of rdflib terms, unbound variables left out."""
        return solution_rows(self.query(sparql, bindings))

    def graph_names(self) -> set[URIRef]:
        return {URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)}

    def pairs(self, predicate: URIRef, obj: URIRef | None = None) -> set[tuple[str, str]]:
        """Distinct (subject, object) values of one predicate across every graph, for fast bulk reads."""
        graph = None if self._union else ox.DefaultGraph()  # the default graph holds each triple once
        pattern = self._store.quads_for_pattern(None, to_ox(predicate), to_ox(obj) if obj else None, graph)
        return {(q.subject.value, q.object.value) for q in pattern}

    def values(self, subject: URIRef) -> dict[str, str]:
        """One value per predicate of a subject (the smallest, so the answer is stable), for point reads."""
        graph = None if self._union else ox.DefaultGraph()
        found: dict[str, str] = {}
        for quad in self._store.quads_for_pattern(to_ox(subject), None, None, graph):
            key, value = quad.predicate.value, quad.object.value
            if key not in found or value < found[key]:
                found[key] = value
        return found

    def export_graphs(self) -> Iterator[tuple[URIRef, bytes]]:
        """Each named graph as N-Triples, in a stable order, to copy the store elsewhere."""
        for name in sorted(self.graph_names()):
            if str(name).endswith(_STAGING_SUFFIX):
                continue
            quads = self._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))
            triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
            yield name, ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)

    def dump(self, fmt: str) -> bytes:
        """The store in an RDF format: the dataset (nq, trig, jsonld) or the union of its graphs (ttl, nt)."""
        rdf_format = DUMP_FORMATS[fmt]
        prefixes = {k: str(v) for k, v in PREFIXES.items()}
        if fmt in DATASET_FORMATS:
            return self._store.dump(format=rdf_format, prefixes=prefixes if fmt == "trig" else None)
        triples = {ox.Triple(q.subject, q.predicate, q.object) for q in self._store}
        ordered = sorted(triples, key=str)
        return ox.serialize(ordered, format=rdf_format, prefixes=prefixes if fmt == "ttl" else None)

    def document_hashes(self) -> dict[URIRef, str]:
        """Content hash of every loaded document, to skip unchanged files."""
        documents = {s for s, _ in self.pairs(RDF.type, GG.SourceDocument)}
        return {URIRef(d): h for d, h in self.pairs(GG.contentHash) if d in documents and "#" not in d}

    def to_graph(self) -> Graph:
        """The union of all graphs as one rdflib Graph, for validation and analysis."""
        graph = Graph()
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        for triple in from_ox_triples(self._store):
            graph.add(triple)
        return graph

    def vocabulary_hash(self) -> str | None:
        rows = self.select(
            "SELECT ?g ?n ?h WHERE { GRAPH ?g { ?n gg:contentHash ?h } }",
            {"g": VOCABULARY_GRAPH, "n": _VOCAB_NODE},
        )
        return str(rows[0]["h"]) if rows else None

    # -- writing ----------------------------------------------------------

    def _write(self, func: Any, *args: Any) -> None:
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only")
        try:
            func(*args)
        except OSError as exc:
            raise StoreError(f"writing to the store at {self.path} failed: {exc}") from None

    def put_graphs(self, graphs: Mapping[URIRef, Graph]) -> None:
        """Store each graph under its name, replacing what was there; new graphs in one transaction."""
        existing = self.graph_names()
        self.discard_staging()
        fresh = {n: g for n, g in graphs.items() if n not in existing}
        changed = {n: g for n, g in graphs.items() if n in existing}
        quads = [q for name, graph in fresh.items() for q in _with_default(_quads_of(graph, name))]
        quads += [q for name, graph in changed.items() for q in _quads_of(graph, staging_name(name))]
        if quads:
            self._write(self._store.extend, quads)
        self.move_staged(changed)

    def put_nquads(self, nquads: bytes, bulk: bool = False) -> None:
        """Write graphs serialised as N-Quads: in one transaction, or with bulk=True by RocksDB's
        bulk loader (two to four times as fast, but not atomic: for side stores nobody reads yet and
        new derived graphs)."""
        if nquads:
            method = self._store.bulk_load if bulk else self._store.load
            self._write(lambda: method(nquads, format=ox.RdfFormat.N_QUADS))
            # RocksDB keeps unflushed batches in memtables and its log: flushing each batch bounds
            # memory and, measured on 10,000 documents, more than doubles the write rate
            self._write(self._store.flush)

    def move_staged(self, names: Iterable[URIRef]) -> None:
        """Swap staged new versions in for their graphs, the default graph with them, in one update."""
        steps = []
        for name in names:
            graph, staged = _checked_iri(name), _checked_iri(staging_name(name))
            steps += [_forget(graph), f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{graph}>", _remember(graph)]
        if steps:
            self._write(self._store.update, " ;\n".join(steps))

    def remove_graphs(self, names: Iterable[URIRef]) -> None:
        """Drop whole named graphs (a document's facts go together) and the triples only they held."""
        steps = []
        for name in names:
            graph = _checked_iri(name)
            steps += [_forget(graph), f"DROP SILENT GRAPH <{graph}>"]
        if steps:
            self._write(self._store.update, " ;\n".join(steps))

    def discard_staging(self) -> None:
        """Remove staging graphs a crashed write may have left behind."""
        leftovers = [n for n in self.graph_names() if str(n).endswith(_STAGING_SUFFIX)]
        drops = " ;\n".join(f"DROP SILENT GRAPH <{_checked_iri(n)}>" for n in leftovers)
        if drops:  # staged triples never reached the default graph
            self._write(self._store.update, drops)

    def put_vocabulary(self, graph: Graph, content_hash: str) -> None:
        """Load the ontology and vocabularies into their own graph, when they changed."""
        if self.vocabulary_hash() == content_hash:
            return
        tagged = Graph()
        tagged += graph
        tagged.add((_VOCAB_NODE, GG.contentHash, Literal(content_hash)))
        tagged.add((_VOCAB_NODE, RDF.type, GG.SourceDocument))
        self.put_graphs({VOCABULARY_GRAPH: tagged})

    def put_links(self, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Replace the derived links graph (resolved references) as a whole."""
        self.replace_graph(LINKS_GRAPH, triples)

    def replace_graph(self, name: URIRef, triples: Iterable[tuple[Node, Node, Node]]) -> None:
        """Make graph `name` hold exactly `triples`, in one update that writes only the difference.

        Derived graphs (links, related speeches) are recomputed whole but change little, so a
        refresh costs what changed, not the size of the graph.
        """
        graph = ox.NamedNode(_checked_iri(name))
        term = TermCache(to_ox)
        new = {ox.Triple(term(s), term(p), term(o)) for s, p, o in triples}
        old = {ox.Triple(q.subject, q.predicate, q.object)
               for q in self._store.quads_for_pattern(None, None, None, graph)}
        if not old:
            self._put_new_graph(name, list(new))
            return
        added, removed = new - old, old - new
        orphans = [t for t in removed if not self._held_elsewhere(t, graph)]
        named = f"GRAPH <{graph.value}>"
        steps = []
        if removed:
            steps.append(f"DELETE DATA {{ {named} {{ {_ntriples(removed)} }} {_ntriples(orphans)} }}")
        if added:
            steps.append(f"INSERT DATA {{ {named} {{ {_ntriples(added)} }} {_ntriples(added)} }}")
        if steps:
            self._write(self._store.update, " ;\n".join(steps))
            self._write(self._store.flush)

    def _put_new_graph(self, name: URIRef, triples: list[Any]) -> None:
        """Bulk-load a new derived graph WRITE_CHUNK triples at a time, dropping it if a chunk fails.

        One transaction of millions of quads (related speeches at 50,000 speeches) held them all in
        memory and slowed as it grew; bulk loads are about 3.5x faster than transactions here (10,000
        speeches: 11 s against 40 s). Readers may see the graph grow; one cut short by a killed
        process is completed by the next refresh, which writes the difference.
        """
        graph = ox.NamedNode(_checked_iri(name))
        try:
            for start in range(0, len(triples), WRITE_CHUNK):
                quads = (ox.Quad(t.subject, t.predicate, t.object, graph)
                         for t in triples[start : start + WRITE_CHUNK])
                self.put_nquads(ox.serialize(_with_default(quads), format=ox.RdfFormat.N_QUADS), bulk=True)
        except StoreError:
            self.remove_graphs([name])
            raise

    def _held_elsewhere(self, triple: Any, graph: Any) -> bool:
        """True when a named graph other than `graph` holds the triple (so the default graph keeps it)."""
        quads = self._store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
        return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name != graph for q in quads)


WRITE_CHUNK = 100_000  # triples per bulk load when a derived graph is first written
_STAGING_SUFFIX = "/staging"
_SIDE_SUFFIX = ".building-"  # + pid: a first build's new store, swapped in when it is complete
_RETIRED_SUFFIX = ".replaced-"  # + pid: the empty store a side store replaced, deleted after the swap
_LEFTOVERS = (_SIDE_SUFFIX, _RETIRED_SUFFIX)


def staging_name(name: URIRef) -> URIRef:
    """Where a new version of a graph is written before it replaces the old one."""
    return URIRef(f"{name}{_STAGING_SUFFIX}")


def graph_nquads(graph: Iterable[tuple[Node, Node, Node]], name: URIRef, also_default: bool = True) -> bytes:
    """Triples as N-Quads in the graph `name` and, unless staged, in the deduplicated default graph."""
    return ox.serialize(_with_default(_quads_of(graph, name), also_default), format=ox.RdfFormat.N_QUADS)


def _quads_of(graph: Iterable[tuple[Node, Node, Node]], name: URIRef) -> Iterator[Any]:
    g = ox.NamedNode(str(name))
    for s, p, o in graph:
        yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), g)


def _with_default(quads: Iterable[Any], also_default: bool = True) -> Iterator[Any]:
    """Each quad, and its triple in the default graph: the store's deduplicated union."""
    for quad in quads:
        yield quad
        if also_default:
            yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())


def _ntriples(triples: Iterable[Any]) -> str:
    """Triples in N-Triples syntax, which SPARQL Update's DATA blocks accept as they are."""
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def _forget(name: str) -> str:
    """SPARQL Update removing from the default graph the triples only graph `name` holds."""
    return (f"DELETE {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} "
            f"FILTER NOT EXISTS {{ GRAPH ?other {{ ?s ?p ?o }} FILTER(?other != <{name}>) }} }}")


def _remember(name: str) -> str:
    """SPARQL Update adding a graph's triples to the default graph."""
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"


READ_ONLY_ATTEMPTS = 20


def _open_read_only(path: Path) -> Any:
    """Open while a writer may be compacting: a table file listed then deleted is retried, not fatal."""
    for attempt in range(READ_ONLY_ATTEMPTS):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError) as exc:
            if "No such file" not in str(exc) or attempt == READ_ONLY_ATTEMPTS - 1:
                raise OSError(str(exc)) from None
            time.sleep(0.05)
    raise AssertionError("unreachable")


def needs_union(store: Any) -> bool:
    """True for a store whose default graph does not (yet) hold the union of its named graphs."""
    empty = next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None
    return empty and next(iter(store.named_graphs()), None) is not None
