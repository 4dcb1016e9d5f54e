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
from .queries import NamedQuery, library, query
from .results import QueryResult
from .store import EmbeddedStore, default_store_path

__version__ = "0.1.0"

__all__ = [
    "BuildError",
    "BuildReport",
    "EmbeddedStore",
    "GovGraphError",
    "NamedQuery",
    "QueryResult",
    "RemoteEndpoint",
    "__version__",
    "build",
    "default_store_path",
    "evaluate_corpus",
    "extract_file",
    "library",
    "query",
    "store_stats",
    "validate_store",
]
