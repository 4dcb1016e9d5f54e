"""govgraph: turn what governments say about digital policy into a validated RDF knowledge graph.

    >>> import govgraph
    >>> extraction = govgraph.extract_file("data/ifg-2014-bracken-strategy-is-delivery.txt")
    >>> with govgraph.EmbeddedStore(".govgraph/store") as store:
    ...     report = govgraph.build(["data"], store)
    >>> govgraph.query("speeches-by-speaker", {"name": "Bracken"}).records()
"""

from __future__ import annotations

from .build import BuildError, BuildReport, build, extract_file, store_stats, validate_store
from .endpoint import RemoteEndpoint
from .errors import GovGraphError
from .evaluate import evaluate_corpus
from .network import Analysis, analyse, entity_graph, find_path, speaker_graph, speech_concept_graph
from .queries import NamedQuery, library, query
from .related import RelatedIndex, RelatedSpeech, materialise_related, related_speeches
from .results import QueryResult
from .snapshot import Snapshot, read_snapshot
from .store import EmbeddedStore, default_store_path
from .validate import validate_files

__version__ = "0.1.0"

__all__ = [
    "Analysis",
    "BuildError",
    "BuildReport",
    "EmbeddedStore",
    "GovGraphError",
    "NamedQuery",
    "QueryResult",
    "RelatedIndex",
    "RelatedSpeech",
    "RemoteEndpoint",
    "Snapshot",
    "__version__",
    "analyse",
    "build",
    "default_store_path",
    "entity_graph",
    "evaluate_corpus",
    "extract_file",
    "find_path",
    "library",
    "materialise_related",
    "query",
    "read_snapshot",
    "related_speeches",
    "speaker_graph",
    "speech_concept_graph",
    "store_stats",
    "validate_files",
    "validate_store",
]
