"""The embedded on-disk store: a pyoxigraph (RocksDB) quad store with one named graph per document.

Writes go to a private generation of the store (see `layout`) that is published whole: readers see
the store before a build or after it, never part of one, and a failed or killed write leaves the
store as it was. Within a generation, a changed document is staged then swapped in with one SPARQL
`MOVE`; a first build, into an empty store, uses RocksDB's bulk loader.
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

from . import layout
from .errors import QueryError, StoreError
from .graph import SAFE_IRI
from .namespaces import GG, LINKS_GRAPH, PREFIXES, RDF, VOCABULARY_GRAPH
from .results import QueryResult, from_pyoxigraph
from .sparql_syntax import check_query
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
    """A persistent pyoxigraph store on disk, in generations (see `layout`).

    Opened for reading, it reads the published generation. Opened for writing, it holds the
    store's writer lock and reads the same generation until the first write, which makes a
    checkpoint of it to write into; `commit()` (or leaving the `with` block normally) publishes the
    new generation whole, and `rollback()` (or an exception in the `with` block) drops it, leaving
    the store as it was.
    """

    def __init__(self, path: str | Path | None = None, read_only: bool = False,
                 allow_service: bool = False) -> None:
        self.path = Path(path) if path else default_store_path()
        self.read_only = read_only
        self.allow_service = allow_service
        self._writer: layout.WriterLock | None = None
        self._reader: layout.ReaderLock | None = None
        self._pending: int | None = None  # the generation being written, not yet published
        self._open()

    def _open(self) -> None:
        if self.read_only:
            self._open_published(self._published_for_reading())
            return
        manifest = layout.claim(self.path)
        self._writer = layout.WriterLock(self.path)
        try:
            manifest = layout.read_manifest(self.path) or manifest  # another writer may have published
            layout.remove_unused(self.path, keep={manifest.generation})  # what killed writers left
            self._open_published(manifest.generation)
        except BaseException:
            self._writer.release()
            raise

    def _published_for_reading(self) -> int:
        """The generation a reader should open; a folder that is not a govgraph store is an error."""
        if not self.path.is_dir():
            raise StoreError(f"no store at {self.path}", hint=_BUILD_FIRST)
        manifest = layout.read_manifest(self.path)
        if manifest is not None:
            return manifest.generation
        if layout.is_pyoxigraph_folder(self.path):
            return _FOREIGN
        raise StoreError(
            f"no store at {self.path}: the folder is not a govgraph store",
            hint=_BUILD_FIRST,
        )

    def _open_published(self, number: int) -> None:
        """Open generation `number` read-only (0: no data yet), holding its reader lock."""
        for _attempt in range(READ_ONLY_ATTEMPTS):
            if number == _FOREIGN:
                try:
                    self._store = _open_read_only(self.path)
                except OSError as exc:
                    raise StoreError(f"cannot open the pyoxigraph store at {self.path}: {exc}") from None
                break
            if number == 0:
                self._store = ox.Store()  # nothing published yet: an empty store in memory
                break
            lock = layout.ReaderLock(self.path, number)
            folder = layout.generation_path(self.path, number)
            if folder.is_dir():
                try:
                    self._store = _open_read_only(folder)
                except OSError as exc:
                    lock.release()
                    raise StoreError(f"cannot open the store at {self.path}: {exc}") from None
                self._reader = lock
                break
            lock.release()  # deleted after a newer one was published: read the manifest again
            previous, number = number, self._published_for_reading()
            if number == previous:
                raise StoreError(f"the store at {self.path} is damaged: generation {folder.name} is missing")
        else:
            raise StoreError(f"the store at {self.path} kept changing while it was opened; try again")
        self.generation = number
        self._union = needs_union(self._store)

    @property
    def engine(self) -> Any:
        """The pyoxigraph store this reads (for the endpoint, which serialises its results directly)."""
        return self._store

    @property
    def union(self) -> bool:
        """True when queries must ask for the union of the named graphs (a store govgraph did not make)."""
        return self._union

    def is_current(self) -> bool:
        """True while the generation this store reads is still the published one (readers poll this)."""
        manifest = layout.read_manifest(self.path)
        return manifest is None or manifest.generation == self.generation

    def triple_count(self) -> int:
        """Distinct triples across all graphs (the quads count each graph's copy)."""
        return int(self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])

    def __enter__(self) -> EmbeddedStore:
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        if exc_type is not None:
            self.rollback()
        self.close()

    def close(self) -> None:
        """Publish what was written, and release the store and its locks."""
        if not hasattr(self, "_store"):
            return
        try:
            self.commit()
        finally:
            self._release()

    def _release(self) -> None:
        if hasattr(self, "_store"):
            del self._store
        for lock in (self._reader, self._writer):
            if lock is not None:
                lock.release()
        self._reader = self._writer = None

    def is_empty(self) -> bool:
        """True when the store holds no quad at all (cheaper than len, which counts them)."""
        return next(iter(self._store.quads_for_pattern(None, None, None, None)), None) is None

    # -- generations: a private copy to write, published whole or dropped --

    def _begin(self) -> None:
        """Before the first write: a checkpoint of the published generation, opened for writing."""
        if self.read_only:
            raise StoreError(f"the store at {self.path} was opened read-only")
        if self._pending is not None:
            return
        number = max(layout.generations_on_disk(self.path) | {self.generation}) + 1
        folder = layout.generation_path(self.path, number)
        try:
            if self.generation:
                self._store.backup(str(folder))  # hard links: cheap, and the original is untouched
            self._pending = number
            self._store = ox.Store(str(folder))
        except (OSError, RuntimeError) as exc:
            shutil.rmtree(folder, ignore_errors=True)
            self._pending = None
            raise StoreError(f"cannot start writing to the store at {self.path}: {exc}") from None
        self._union = False

    def commit(self) -> None:
        """Publish the generation being written, so every new reader sees all of it at once."""
        if self._pending is None:
            return
        number = self._pending
        try:
            self._store.flush()
            del self._store
            layout.write_manifest(self.path, layout.Manifest(number))
        except (OSError, RuntimeError, StoreError) as exc:
            self.rollback()
            raise StoreError(f"could not publish the new store at {self.path}: {exc}") from None
        self._pending = None
        previous = self._reader
        self._reader = None
        self._open_published(number)
        if previous is not None:
            previous.release()
        layout.remove_unused(self.path, keep={number})

    def rollback(self) -> None:
        """Drop everything written since the last commit: the store stays as it was."""
        if self._pending is None:
            return
        folder = layout.generation_path(self.path, self._pending)
        self._pending = None
        if hasattr(self, "_store"):
            del self._store  # RocksDB must be closed before its folder goes
        shutil.rmtree(folder, ignore_errors=True)
        previous = self._reader
        self._reader = None
        self._open_published(self.generation)
        if previous is not None:
            previous.release()

    # -- reading ----------------------------------------------------------

    def __len__(self) -> int:
        return len(self._store)

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Any:
        """Run SPARQL over the union of all graphs (kept deduplicated in the default graph); bindings
        are substituted as RDF terms. govgraph's own queries come here; users' go through `execute`."""
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
        """Answer a user's complete query (parameters bound) over the union of all graphs, after the
        checks that keep it from fetching other endpoints or overflowing the engine."""
        check_query(sparql, allow_service=self.allow_service)
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

    def _write(self, method: str, *args: Any, **options: Any) -> None:
        """Call a pyoxigraph write method on the generation being written (made at the first write)."""
        self._begin()
        try:
            getattr(self._store, method)(*args, **options)
        except (OSError, RuntimeError, ValueError) as exc:
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
            self._write("extend", quads)
        self.move_staged(changed)

    def put_nquads(self, nquads: bytes, bulk: bool = False) -> None:
        """Write graphs serialised as N-Quads: in one transaction, or with bulk=True by RocksDB's
        bulk loader (two to four times as fast, but not atomic: for side stores nobody reads yet and
        new derived graphs)."""
        if nquads:
            self._write("bulk_load" if bulk else "load", nquads, format=ox.RdfFormat.N_QUADS)
            # RocksDB keeps unflushed batches in memtables and its log: flushing each batch bounds
            # memory and, measured on 10,000 documents, more than doubles the write rate
            self._write("flush")

    def move_staged(self, names: Iterable[URIRef]) -> None:
        """Swap staged new versions in for their graphs, the default graph with them, in one update."""
        steps = []
        for name in names:
            graph, staged = _checked_iri(name), _checked_iri(staging_name(name))
            steps += [_forget(graph), f"MOVE SILENT GRAPH <{staged}> TO GRAPH <{graph}>", _remember(graph)]
        if steps:
            self._write("update", " ;\n".join(steps))

    def remove_graphs(self, names: Iterable[URIRef]) -> None:
        """Drop whole named graphs (a document's facts go together) and the triples only they held."""
        steps = []
        for name in names:
            graph = _checked_iri(name)
            steps += [_forget(graph), f"DROP SILENT GRAPH <{graph}>"]
        if steps:
            self._write("update", " ;\n".join(steps))

    def discard_staging(self) -> None:
        """Remove staging graphs a crashed write may have left behind."""
        leftovers = [n for n in self.graph_names() if str(n).endswith(_STAGING_SUFFIX)]
        drops = " ;\n".join(f"DROP SILENT GRAPH <{_checked_iri(n)}>" for n in leftovers)
        if drops:  # staged triples never reached the default graph
            self._write("update", drops)

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
            self._write("update", " ;\n".join(steps))
            self._write("flush")

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
_BUILD_FIRST = "run `govgraph build` first, or pass --store DIR"
_FOREIGN = -1  # not a generation: a pyoxigraph store govgraph did not make, read where it is


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
