"""The loader: files -> documents -> extractions -> graphs, validated, then written in one go.

A build reads and checks every document before it touches the store, so bad input leaves the
store exactly as it was; with keep_going the good documents load and the bad are reported.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from .documents import DEFAULT_MAX_BYTES, Document, iter_document_paths, read_document, read_each, shown_name
from .errors import DocumentError, GovGraphError, StoreError
from .extract import Extraction, Lexicon, extract
from .gaps import extraction_gaps
from .graph import ReferenceRow, SpeechRow, document_iri, extraction_triples, link_triples
from .namespaces import DCTERMS, GG, RDF, RELATED_GRAPH
from .store import EmbeddedStore, graph_nquads, staging_name
from .validate import ValidationReport, run_checks, validate_graph, validate_nquads
from .vocab import ONTOLOGY_FILES, default_lexicon, ontology_graph, ontology_path

Progress = Callable[[str], None]
DOCUMENT_SECONDS = 60.0  # the longest one document may take to read and extract before it fails alone


@dataclass(frozen=True)
class Failure:
    """A file that could not be loaded, and why."""

    path: str
    message: str


@dataclass
class BuildReport:
    """What a build did: loaded, unchanged and failed documents, and the store's size after."""

    loaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    gaps: dict[str, tuple[str, ...]] = field(default_factory=dict)  # loaded path -> what it lacks
    duplicates: list[str] = field(default_factory=list)  # the same GOV.UK speech again, kept once
    not_english: list[str] = field(default_factory=list)  # items loaded with their metadata, text not read
    links: int = 0
    triples: int = 0


class BuildError(GovGraphError):
    """Some documents could not be loaded, so nothing was written."""

    def __init__(self, failures: list[Failure]) -> None:
        first = failures[0].message
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        super().__init__(
            f"{first}{more}; nothing was loaded",
            hint="fix or remove the file, or use --keep-going to load the rest",
        )
        self.failures = failures


def extract_file(
    path: str | Path, lexicon: Lexicon | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Extraction:
    """Read one file and extract its facts; raises DocumentError for what cannot be read."""
    document = read_document(path, max_bytes=max_bytes)
    return extract_document(document, lexicon)


def extract_document(document: Document, lexicon: Lexicon | None = None) -> Extraction:
    """Extract one document's facts; a readable document loads with what was found (see `gaps`)."""
    return extract(document, lexicon or default_lexicon())


def vocabulary_hash() -> str:
    """Hash of the bundled ontology files, so the store reloads them only when they change."""
    digest = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        digest.update(ontology_path(name).read_bytes())
    return digest.hexdigest()


def build(
    paths: Iterable[str | Path],
    store: EmbeddedStore,
    keep_going: bool = False,
    progress: Progress | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int | None = None,
    batch_size: int | None = None,
    document_seconds: float = DOCUMENT_SECONDS,
) -> BuildReport:
    """Load documents into the store; all-or-nothing unless keep_going.

    Documents are read, extracted and checked against the shapes in `workers` processes (default:
    one per core) while the main process writes them, `batch_size` documents at a time, into a new
    generation of the store that is published whole when the build is complete (readers see the
    store before the build or after it). If any document fails (and not keep_going), or the build
    is stopped, the new generation is dropped and the store is exactly as it was. Into an empty
    store, the batches are bulk-loaded (about twice as fast). A document that takes longer than
    `document_seconds` to read and extract fails on its own, like an unreadable one.
    """
    paths = list(paths)
    _refuse_inputs_in_store(paths, store)
    store.commit()  # what the caller wrote before is theirs: a failed build must not drop it
    report = BuildReport()
    fresh = store.is_empty()
    try:
        _load(paths, store, report, keep_going, progress, max_bytes, workers, batch_size, bulk=fresh,
              document_seconds=document_seconds)
        report.links = refresh_links(store)
        if report.loaded and RELATED_GRAPH in store.graph_names():
            from .related import materialise_related  # numerical stack, loaded only when needed

            materialise_related(store)  # keep materialised related speeches in step with the documents
        store.commit()
    except BaseException:
        store.rollback()
        raise
    report.loaded.sort()
    report.triples = len(store)
    return report


def _refuse_inputs_in_store(paths: list[str | Path], store: EmbeddedStore) -> None:
    """A store folder that holds the documents to load would put govgraph's files among the user's."""
    root = store.path.resolve()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved == root or root in resolved.parents:
            raise StoreError(
                f"refusing to build: the input {path} is inside the store folder {store.path}",
                hint="keep documents and the store in separate folders",
            )


def _load(paths: Iterable[str | Path], store: EmbeddedStore, report: BuildReport, keep_going: bool,
          progress: Progress | None, max_bytes: int, workers: int | None, batch_size: int | None,
          bulk: bool, document_seconds: float) -> None:
    """Prepare every document in the workers and write them batch by batch, or write nothing."""
    tasks = [_Task(str(path), max_bytes, document_seconds) for path in iter_document_paths(paths)]
    replaced: list[URIRef] = []
    seen: dict[str, str] = {}
    batch: list[Prepared] = []
    for result in _prepared(tasks, store.document_hashes(), progress, workers):
        if isinstance(result, Prepared) and result.iri in seen:
            if result.govuk:  # one GOV.UK speech twice (as JSON and as a saved page, or in two crawls)
                report.duplicates.append(result.path)
                continue
            message = (f"{shown_name(result.path)}: has the same name as {shown_name(seen[result.iri])}; "
                       "rename one of them")
            result = Failure(result.path, message)
        if isinstance(result, Failure):
            report.failures.append(result)
        elif isinstance(result, _Unchanged):
            seen[result.iri] = result.path
            report.unchanged.append(result.path)
        else:
            seen[result.iri] = result.path
            batch.append(result)
        if len(batch) >= (batch_size or BATCH_DOCUMENTS) and (keep_going or not report.failures):
            _write(store, batch, replaced, report, bulk)
            batch = []
    if report.failures and not keep_going:
        raise BuildError(report.failures)
    _write(store, batch, replaced, report, bulk)
    store.move_staged(replaced)


def _write(store: EmbeddedStore, batch: list[Prepared], replaced: list[URIRef],
           report: BuildReport, bulk: bool) -> None:
    """One transaction (or bulk load) for a batch; the vocabulary goes in with the first."""
    if not batch:
        return
    if not report.loaded:
        store.put_vocabulary(ontology_graph(), vocabulary_hash())
    store.put_nquads(b"".join(p.nquads for p in batch), bulk=bulk)
    replaced.extend(URIRef(p.iri) for p in batch if p.replaces)
    report.loaded.extend(p.path for p in batch)
    report.gaps.update((p.path, p.gaps) for p in batch if p.gaps)
    report.not_english.extend(p.path for p in batch if not p.text_read)


@dataclass(frozen=True)
class _Task:
    path: str
    max_bytes: int
    document_seconds: float


@dataclass(frozen=True)
class Prepared:
    """One document ready to write: its graph as N-Quads (named by the document, or staged)."""

    path: str
    iri: str
    content_hash: str
    nquads: bytes
    replaces: bool  # an older version is in the store: written to a staging graph, then moved
    gaps: tuple[str, ...] = ()  # kinds of fact the document did not yield (see gaps.GAP_NOTES)
    govuk: bool = False  # a GOV.UK content item (JSON or saved page), keyed by its base path
    text_read: bool = True  # False for an item not in English: its metadata only


@dataclass(frozen=True)
class _Unchanged:
    path: str
    iri: str = ""


BATCH_DOCUMENTS = 1000  # per validation and per write transaction: bounded memory at any corpus size
PARALLEL_FROM = 40  # below this many files, starting processes costs more than it saves
CHUNK_DOCUMENTS = 32  # documents a worker prepares and validates together
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


_EXISTING: dict[URIRef, str] = {}  # document IRI -> content hash in the store, set for a build's workers


def _use_hashes(existing: dict[URIRef, str]) -> None:
    """Give this process the store's content hashes, to tell new documents from unchanged ones."""
    global _EXISTING
    _EXISTING = existing


class _TooSlow(BaseException):
    """A document's time is up. Not an Exception, so no `except Exception` on the way swallows it."""


def _time_up(signum: int, frame: object) -> None:
    raise _TooSlow


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow in the block after `seconds` (SIGALRM: in the main thread only, else no limit)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    previous = signal.signal(signal.SIGALRM, _time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _prepare(task: _Task) -> list[Prepared | Failure | _Unchanged]:
    """Read, extract and serialise the documents of one file (runs in a worker process).

    A file holds one document, or for a GOV.UK JSON file one per content item, each with its own
    time limit and its own failure; an item whose base path is in the store with the same content
    hash is unchanged, whatever file it is in.
    """
    try:
        with _time_limit(task.document_seconds):
            documents = read_each(task.path, max_bytes=task.max_bytes)
    except DocumentError as exc:
        return [Failure(task.path, str(exc))]
    except _TooSlow:
        return [_too_slow(task.path, task.document_seconds)]
    one = len(documents) == 1
    results: list[Prepared | Failure | _Unchanged] = []
    for document in documents:
        if isinstance(document, DocumentError):
            results.append(Failure(task.path, str(document)))
            continue
        # an item of a many-item file is named by its place in it: "crawl.jsonl line 3"
        path = task.path if one else f"{task.path} {document.name.removeprefix(Path(task.path).name).strip()}"
        iri = document_iri(document.slug)
        if _EXISTING.get(iri) == document.content_hash:
            results.append(_Unchanged(path, str(iri)))
            continue
        try:
            with _time_limit(task.document_seconds):
                results.append(_prepared_extraction(path, extract_document(document)))
        except _TooSlow:
            results.append(_too_slow(path, task.document_seconds))
    return results


def _too_slow(path: str, seconds: float) -> Failure:
    return Failure(path, f"{shown_name(path)}: reading and extraction took longer than {seconds:g} s")


def _prepared_extraction(path: str, extraction: Extraction) -> Prepared:
    document = extraction.document
    iri = document_iri(document.slug)
    previous = _EXISTING.get(iri)
    staged = previous is not None  # a new version: staged, joins the default graph when moved in
    graph_name = staging_name(iri) if staged else iri
    return Prepared(
        path,
        str(iri),
        document.content_hash,
        graph_nquads(extraction_triples(extraction), graph_name, also_default=not staged),
        staged,
        extraction_gaps(extraction),
        document.item is not None and bool(document.item.speech_slug),
        extraction.text_read,
    )


def _prepare_chunk(tasks: list[_Task]) -> list[Prepared | Failure | _Unchanged]:
    """Prepare a few files and check their documents against the shapes together (runs in a worker)."""
    results = [result for task in tasks for result in _prepare(task)]
    # the same GOV.UK speech twice is one document: only the first is loaded (see _load), so checked
    ready = list({r.iri: r for r in reversed(results) if isinstance(r, Prepared)}.values())
    if not ready or not validate_nquads(b"".join(p.nquads for p in ready)).violations:
        return results
    checked: list[Prepared | Failure | _Unchanged] = []
    for result in results:  # the slow path: find which documents break the shapes
        if isinstance(result, Prepared) and result in ready:
            verdict = validate_nquads(result.nquads)
            if verdict.violations:
                result = Failure(result.path, f"{shown_name(result.path)}: {verdict.violations[0].message}")
        checked.append(result)
    if not any(isinstance(r, Failure) for r in checked):
        message = f"{shown_name(tasks[0].path)}: breaks the shapes with its neighbours"
        checked[0] = Failure(tasks[0].path, message)
    return checked


def _reported(
    results: Iterable[list[Prepared | Failure | _Unchanged]],
    chunks: list[list[_Task]],
    progress: Progress | None,
) -> Iterator[Prepared | Failure | _Unchanged]:
    for chunk, chunk_results in zip(chunks, results, strict=True):
        if progress:
            for task in chunk:
                progress(task.path)
        yield from chunk_results


def _exit_with(parent: int, existing: dict[URIRef, str]) -> None:
    """Pool initializer: the kernel kills this worker when the build's process dies, even by SIGKILL.

    A killed build's workers would otherwise wait forever on the task queue, whose pipe they hold
    open themselves. (Linux only; the signal comes when the thread that started the pool ends.)
    The store's content hashes come once per worker, not once per file.
    """
    _use_hashes(existing)
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the build died before prctl took effect
        os._exit(1)


def _prepared(tasks: list[_Task], existing: dict[URIRef, str], progress: Progress | None,
              workers: int | None) -> Iterator[Prepared | Failure | _Unchanged]:
    """Every document prepared and checked, in file order, as soon as its chunk is ready."""
    workers = workers or os.cpu_count() or 1
    chunks = [tasks[i:i + CHUNK_DOCUMENTS] for i in range(0, len(tasks), CHUNK_DOCUMENTS)]
    if workers <= 1 or len(tasks) < PARALLEL_FROM:
        _use_hashes(existing)
        try:
            yield from _reported(map(_prepare_chunk, chunks), chunks, progress)
        finally:
            _use_hashes({})
        return
    # fork: workers inherit the loaded lexicon and never touch the store
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    try:
        context = multiprocessing.get_context(method)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context,
                                 initializer=_exit_with, initargs=(os.getpid(), existing)) as pool:
            yield from _reported(pool.map(_prepare_chunk, chunks), chunks, progress)
    except BrokenProcessPool:
        raise GovGraphError("a worker process stopped while reading documents; nothing was loaded",
                            hint="out of memory? try --workers 1") from None


def refresh_links(store: EmbeddedStore) -> int:
    """Resolve every speech reference against the speeches now in the store; returns links made."""
    speeches = {s for s, _ in store.pairs(RDF.type, GG.Speech)}
    titles: dict[str, set[str]] = {}
    for subject, title in store.pairs(DCTERMS.title):
        titles.setdefault(subject, set()).add(title)
    dates = dict(store.pairs(DCTERMS.date))
    events = dict(store.pairs(GG.deliveredAt))
    rows = []
    for speech, speaker in sorted(store.pairs(GG.deliveredBy)):
        if speech in speeches:
            names = titles.get(speech, set()) | titles.get(events.get(speech, ""), set())
            rows.append(
                SpeechRow(URIRef(speech), speaker.rsplit("/", 1)[-1], tuple(sorted(names)), dates.get(speech))
            )
    kinds = dict(store.pairs(GG.referenceKind))
    named = dict(store.pairs(GG.referencedSpeaker))
    titled = dict(store.pairs(GG.referencedTitle))
    refs = [
        ReferenceRow(
            URIRef(ref), URIRef(speech), named.get(ref), titled.get(ref), kinds[ref], dates.get(speech)
        )
        for speech, ref in sorted(store.pairs(GG.hasReference), key=lambda pair: pair[1])
        if ref in kinds
    ]
    triples = list(link_triples(refs, rows))
    store.put_links(triples)
    return len(triples) // 2


def store_stats(store: EmbeddedStore) -> dict[str, int]:
    """Headline counts of what the store holds (and `not-english`: speeches whose text was not read)."""
    counts = {"triples": store.triple_count()}
    queries = {
        "documents": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gg:SourceDocument ; gg:fileName ?f }",
        "speeches": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gg:Speech }",
        "speakers": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?s gg:deliveredBy ?x }",
        "events": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?s gg:deliveredAt ?x }",
        "themes": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?s gg:discusses ?x }",
        "pressures": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?s gg:namesPressure ?x }",
        "departments": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?s gg:mentionsDepartment ?x }",
        "links": "SELECT (COUNT(*) AS ?n) WHERE { ?s gg:resolvesTo ?x }",
        "related": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a gg:Relatedness }",
    }
    for name, sparql in queries.items():
        counts[name] = int(store.select(sparql)[0]["n"])
    # GOV.UK items in another language load with their metadata only; said when there are any
    untranslated = int(store.select(_NOT_ENGLISH)[0]["n"])
    if untranslated:
        counts["not-english"] = untranslated
    return counts


_NOT_ENGLISH = """SELECT (COUNT(DISTINCT ?x) AS ?n)
WHERE { ?x a gg:Speech ; dcterms:language ?language FILTER(?language != "en") }"""


def validate_store(store: EmbeddedStore, engine: str = "sparql") -> ValidationReport:
    """Validate everything in the store (documents, links and vocabularies) against the shapes."""
    if engine == "pyshacl":
        return validate_graph(store.to_graph(), engine)
    return run_checks(store.query, len(store))


__all__ = [
    "BuildError",
    "BuildReport",
    "Failure",
    "build",
    "extract_document",
    "extract_file",
    "refresh_links",
    "store_stats",
    "validate_store",
]
