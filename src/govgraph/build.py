"""The loader: files -> documents -> extractions -> graphs, validated, then written in one go.

A build reads and checks every document before it touches the store, so bad input leaves the
store exactly as it was; with keep_going the good documents load and the bad are reported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef

from .documents import DEFAULT_MAX_BYTES, Document, iter_document_paths, read_document
from .errors import DocumentError, ExtractionError, GovGraphError
from .extract import Extraction, Lexicon, extract
from .graph import ReferenceRow, SpeechRow, document_iri, extraction_graph, link_triples
from .namespaces import RELATED_GRAPH
from .store import EmbeddedStore
from .validate import ValidationReport, validate_graph
from .vocab import ONTOLOGY_FILES, default_lexicon, ontology_graph, ontology_path

Progress = Callable[[str], None]


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
    links: int = 0
    triples: int = 0


class BuildError(GovGraphError):
    """Some documents could not be loaded, so nothing was written."""

    def __init__(self, failures: list[Failure]) -> None:
        first = failures[0].message
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        super().__init__(f"{first}{more}; nothing was loaded",
                         hint="fix or remove the file, or use --keep-going to load the rest")
        self.failures = failures


def extract_file(path: str | Path, lexicon: Lexicon | None = None,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> Extraction:
    """Read one file and extract its facts; raises DocumentError or ExtractionError."""
    document = read_document(path, max_bytes=max_bytes)
    return extract_document(document, lexicon)


def extract_document(document: Document, lexicon: Lexicon | None = None) -> Extraction:
    """Extract one document's facts, insisting on at least one speaker (a speech needs one)."""
    extraction = extract(document, lexicon or default_lexicon())
    if not extraction.speakers:
        raise ExtractionError(f"{document.name}: no speaker found",
                              hint='write-ups name speakers like "Jane Doe, Head of X, spoke"')
    return extraction


def vocabulary_hash() -> str:
    """Hash of the bundled ontology files, so the store reloads them only when they change."""
    digest = hashlib.sha256()
    for name in ONTOLOGY_FILES:
        digest.update(ontology_path(name).read_bytes())
    return digest.hexdigest()


def build(paths: Iterable[str | Path], store: EmbeddedStore, keep_going: bool = False,
          progress: Progress | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> BuildReport:
    """Load documents into the store; all-or-nothing unless keep_going."""
    report = BuildReport()
    graphs = _read_all(paths, report, progress, max_bytes)
    existing = store.document_hashes()
    pending = {}
    for iri, (name, content_hash, graph) in graphs.items():
        if existing.get(iri) == content_hash:
            report.unchanged.append(name)
        else:
            pending[iri] = (name, graph)
    _validate_pending(pending, report)
    if report.failures and not keep_going:
        raise BuildError(report.failures)
    pending = {iri: v for iri, v in pending.items() if v[0] not in {f.path for f in report.failures}}
    store.put_vocabulary(ontology_graph(), vocabulary_hash())
    store.put_graphs({iri: graph for iri, (_, graph) in pending.items()})
    report.loaded = sorted(name for name, _ in pending.values())
    report.links = refresh_links(store)
    if pending and RELATED_GRAPH in store.graph_names():
        from .related import materialise_related  # numerical stack, loaded only when needed

        materialise_related(store)  # keep materialised related speeches in step with the documents
    report.triples = len(store)
    return report


def _read_all(paths: Iterable[str | Path], report: BuildReport, progress: Progress | None,
              max_bytes: int) -> dict[URIRef, tuple[str, str, Graph]]:
    graphs: dict[URIRef, tuple[str, str, Graph]] = {}
    for path in iter_document_paths(paths):
        if progress:
            progress(str(path))
        try:
            extraction = extract_file(path, max_bytes=max_bytes)
        except (DocumentError, ExtractionError) as exc:
            report.failures.append(Failure(str(path), str(exc)))
            continue
        iri = document_iri(extraction.document.slug)
        if iri in graphs:
            report.failures.append(Failure(str(path), (
                f"{path}: has the same name as {graphs[iri][0]}; rename one of them")))
            continue
        graphs[iri] = (str(path), extraction.document.content_hash, extraction_graph(extraction))
    return graphs


def _validate_pending(pending: dict[URIRef, tuple[str, Graph]], report: BuildReport) -> None:
    """Check new documents against the shapes before they are written."""
    if not pending:
        return
    data = Graph()
    data += ontology_graph()
    for _, graph in pending.values():
        data += graph
    result = validate_graph(data)
    if result.conforms:
        return
    for name, graph in pending.values():
        subjects = {str(s) for s in graph.subjects()}
        problems = [v for v in result.violations if v.focus in subjects]
        if problems:
            report.failures.append(Failure(name, f"{name}: {problems[0].message}"))
    if not report.failures:
        report.failures.append(Failure("(vocabulary)", result.summary()))


def refresh_links(store: EmbeddedStore) -> int:
    """Resolve every speech reference against the speeches now in the store; returns links made."""
    titles: dict[URIRef, set[str]] = {}
    speakers: dict[URIRef, set[str]] = {}
    dates: dict[URIRef, str | None] = {}
    for row in store.select(_SPEECHES_QUERY):
        speech = row["speech"]
        speakers.setdefault(speech, set()).add(str(row["speaker"]).rsplit("/", 1)[-1])
        titles.setdefault(speech, set()).update(str(row[k]) for k in ("title", "event") if k in row)
        dates[speech] = _opt(row, "date")
    rows = [SpeechRow(speech, slug, tuple(sorted(titles[speech])), dates[speech])
            for speech in sorted(speakers) for slug in sorted(speakers[speech])]
    refs = [ReferenceRow(r["ref"], r["speech"], _opt(r, "speaker"), _opt(r, "title"),
                         str(r["kind"]), _opt(r, "date"))
            for r in store.select(_REFERENCES_QUERY)]
    triples = list(link_triples(refs, rows))
    store.put_links(triples)
    return len(triples) // 2


_SPEECHES_QUERY = """
SELECT ?speech ?speaker ?title ?event ?date WHERE {
  ?speech a gg:Speech ; gg:deliveredBy ?speaker ; dcterms:title ?title .
  OPTIONAL { ?speech gg:deliveredAt/dcterms:title ?event }
  OPTIONAL { ?speech dcterms:date ?date }
}"""
_REFERENCES_QUERY = """
SELECT ?ref ?speech ?speaker ?title ?kind ?date WHERE {
  ?speech gg:hasReference ?ref . ?ref gg:referenceKind ?kind .
  OPTIONAL { ?ref gg:referencedSpeaker ?speaker }
  OPTIONAL { ?ref gg:referencedTitle ?title }
  OPTIONAL { ?speech dcterms:date ?date }
} ORDER BY ?ref"""


def _opt(row: dict[str, object], key: str) -> str | None:
    return str(row[key]) if key in row else None


def store_stats(store: EmbeddedStore) -> dict[str, int]:
    """Headline counts of what the store holds."""
    counts = {"triples": len(store)}
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
    return counts


def validate_store(store: EmbeddedStore) -> ValidationReport:
    """Validate everything in the store (documents, links and vocabularies) against the shapes."""
    return validate_graph(store.to_graph())


__all__ = ["BuildError", "BuildReport", "Failure", "build", "extract_document",
           "extract_file", "refresh_links", "store_stats", "validate_store"]
