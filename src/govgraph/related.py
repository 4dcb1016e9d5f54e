"""Related speeches that explain themselves: one score made of named, weighted parts.

Each speech becomes one sparse row: its themes, pressures and departments (weighted by how rare
they are, IDF, and normalised per kind), its speaker and event (one-hot), and the keywords of
its text (TF-IDF, the strongest terms only). Every block is scaled by the square root of its
weight, so the dot product of two rows is the weighted sum of per-kind cosine similarities.
Explicit links (one speech follows or refers to another) are added on top. All pairs are then
row blocks of one sparse product with a top-k per row, never a Python double loop.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import numpy as np
from rdflib import Literal, URIRef
from scipy import sparse

from .errors import NotFoundError
from .graph import Triple
from .lookup import find_speech
from .namespaces import GG, ID, RDF, RELATED_GRAPH, XSD
from .snapshot import FEATURE_KINDS, Snapshot, read_snapshot
from .store import EmbeddedStore

WEIGHTS: dict[str, float] = {
    "follows": 1.0,  # an explicit link outranks any resemblance
    "refers": 0.8,
    "themes": 0.30,
    "pressures": 0.10,
    "departments": 0.15,
    "text": 0.25,
    "speaker": 0.10,
    "event": 0.10,
}
SIMILARITY_KINDS = (*FEATURE_KINDS, "text", "speaker", "event")
KEYWORDS_PER_SPEECH = 25
DEFAULT_MATERIALISED = 5
BLOCK_BYTES = 64 * 1024 * 1024
# A column used by d of n speeches costs about d*d in the sparse product and n*n in the dense one,
# at about 1/40 the cost per pair: at 50,000 speeches, moving the columns above 2% (up to 512) to the
# dense side took all pairs from 26 to 17 s.
DENSE_SHARE = 0.02
DENSE_COLUMNS = 512
TOP_K_GROUPS = 256


@dataclass(frozen=True)
class RelatedSpeech:
    """One related speech: its score, the score's parts by kind, and what the two share."""

    speech: str
    title: str
    score: float
    rank: int
    parts: dict[str, float]
    shared: dict[str, list[str]] = field(default_factory=dict)  # kind -> labels, rarest first
    shared_iris: dict[str, list[str]] = field(default_factory=dict)
    link: str | None = None  # "follows", "followed by", "refers to", "referred to by"

    def reasons(self) -> list[str]:
        """The parts of the score in words, largest first."""
        lines = []
        for kind, value in sorted(self.parts.items(), key=lambda kv: (-kv[1], kv[0])):
            label = self.link if kind in ("follows", "refers") and self.link else kind.replace("_", " ")
            names = self.shared.get(kind)
            lines.append(f"{label}: {value:.3f}" + (f" ({', '.join(names)})" if names else ""))
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "speech": self.speech,
            "title": self.title,
            "rank": self.rank,
            "score": round(self.score, 6),
            "parts": {k: round(v, 6) for k, v in self.parts.items()},
            "link": self.link,
            "shared": self.shared,
            "reasons": self.reasons(),
        }


class RelatedIndex:
    """The sparse model of a snapshot, answering "what is like this speech, and why?"."""

    def __init__(
        self,
        snapshot: Snapshot,
        weights: Mapping[str, float] | None = None,
        keywords: int = KEYWORDS_PER_SPEECH,
    ) -> None:
        self.snapshot = snapshot
        self.weights = {**WEIGHTS, **(weights or {})}
        n = len(snapshot)
        self.blocks: dict[str, sparse.csr_matrix] = {}
        self.idf: dict[str, dict[str, float]] = {}
        for kind in FEATURE_KINDS:
            self.blocks[kind], self.idf[kind] = _weighted_features(snapshot.features[kind], n)
        self.blocks["speaker"], _ = _one_hot(snapshot.speakers, n)
        self.blocks["event"], _ = _one_hot([frozenset([e]) if e else frozenset() for e in snapshot.events], n)
        self.blocks["text"] = _keywords(snapshot.texts, keywords)
        self.matrix = sparse.hstack(
            [self.blocks[k] * math.sqrt(self.weights[k]) for k in SIMILARITY_KINDS],
            format="csr",
            dtype=np.float32,
        )
        self.links = self._link_matrix()
        self.link_kinds = {(a, b): kind for a, b, kind in snapshot.links}

    def _link_matrix(self) -> sparse.csr_matrix:
        """Explicit links, both ways: a speech that follows another is related to it and vice versa."""
        n = len(self.snapshot)
        rows, cols, values = [], [], []
        for a, b, kind in self.snapshot.links:
            for x, y in ((a, b), (b, a)):
                rows.append(x)
                cols.append(y)
                values.append(self.weights[kind])
        links = sparse.csr_matrix((values, (rows, cols)), shape=(n, n), dtype=np.float32)
        links.sum_duplicates()
        return links

    # -- one speech ---------------------------------------------------------

    def scores(self, i: int) -> np.ndarray:
        """The total score of every speech against speech i (i itself excluded)."""
        row = (self.matrix[i] @ self.matrix.T).toarray().ravel() + self.links[i].toarray().ravel()
        row[i] = -np.inf
        return row

    def related(self, speech: str, top: int = 10) -> list[RelatedSpeech]:
        """The speeches most related to one, best first, each with its reasons."""
        i = self.snapshot.index.get(speech)
        if i is None:
            raise NotFoundError(f"no speech {speech}")
        order = _top(self.scores(i), top)
        return [self.explain(i, int(j), rank) for rank, j in enumerate(order, 1)]

    def explain(self, i: int, j: int, rank: int = 0) -> RelatedSpeech:
        """The parts of the score of speech j for speech i, and the concepts they share."""
        parts: dict[str, float] = {}
        for kind in SIMILARITY_KINDS:
            value = _row_dot(self.blocks[kind], i, j) * self.weights[kind]
            if value > 1e-9:
                parts[kind] = value
        link = None
        for (a, b), word in (((i, j), ("follows", "refers to")), ((j, i), ("followed by", "referred to by"))):
            kind = self.link_kinds.get((a, b))
            if kind:
                parts[kind] = parts.get(kind, 0.0) + self.weights[kind]
                link = link or (word[0] if kind == "follows" else word[1])
        shared_iris = {}
        for kind in FEATURE_KINDS:
            common = self.snapshot.features[kind][i] & self.snapshot.features[kind][j]
            if common:
                shared_iris[kind] = sorted(common, key=lambda c: (-self.idf[kind].get(c, 0.0), c))
        if self.snapshot.speakers[i] & self.snapshot.speakers[j]:
            shared_iris["speaker"] = sorted(self.snapshot.speakers[i] & self.snapshot.speakers[j])
        if self.snapshot.events[i] and self.snapshot.events[i] == self.snapshot.events[j]:
            shared_iris["event"] = [self.snapshot.events[i]]
        shared = {k: [self.snapshot.label(c) for c in v] for k, v in shared_iris.items()}
        return RelatedSpeech(
            self.snapshot.speeches[j],
            self.snapshot.titles[j],
            sum(parts.values()),
            rank,
            parts,
            shared,
            shared_iris,
            link,
        )

    # -- every speech -------------------------------------------------------

    def all_pairs(
        self, top: int = 10, block_bytes: int = BLOCK_BYTES, progress: Callable[[int], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-k neighbours and scores for every speech: (n x k int32, n x k float32), best first.

        Scores are computed in row blocks of at most `block_bytes`. Columns most speeches share
        (common themes, pressures) would make a sparse product dense, so they are multiplied as
        a dense matrix, and only the rare columns as a sparse one.
        """
        n = len(self.snapshot)
        k = max(0, min(top, n - 1))
        neighbours = np.zeros((n, k), dtype=np.int32)
        best = np.zeros((n, k), dtype=np.float32)
        if k == 0:
            return neighbours, best
        dense, rare = _split_columns(self.matrix)
        dense_t, rare_t = np.ascontiguousarray(dense.T), rare.T.tocsr()
        rows_per_block = max(1, block_bytes // (4 * n))
        for start in range(0, n, rows_per_block):
            stop = min(n, start + rows_per_block)
            block = dense[start:stop] @ dense_t
            _add_sparse(block, rare[start:stop] @ rare_t)
            _add_sparse(block, self.links[start:stop])
            block[np.arange(stop - start), np.arange(start, stop)] = -np.inf
            neighbours[start:stop], best[start:stop] = _top_k(block, k)
            if progress:
                progress(stop - start)
        return neighbours, best

    def materialise(
        self, top: int = 5, min_score: float = 0.05, progress: Callable[[int], None] | None = None
    ) -> set[Triple]:
        """The top related speeches of every speech as triples, with score, rank and reasons."""
        triples: set[Triple] = set()
        neighbours, scores = self.all_pairs(top, progress=progress)
        for i, speech in enumerate(self.snapshot.speeches):
            kept = [int(j) for j, score in zip(neighbours[i], scores[i], strict=True) if score >= min_score]
            for rank, j in enumerate(kept, 1):
                triples.update(_relatedness_triples(speech, self.explain(i, j, rank)))
        return triples


def _row_dot(matrix: sparse.csr_matrix, i: int, j: int) -> float:
    """Dot product of two rows of a CSR matrix, read from its arrays (scipy row objects cost 100x more)."""
    a, b = slice(matrix.indptr[i], matrix.indptr[i + 1]), slice(matrix.indptr[j], matrix.indptr[j + 1])
    common, in_a, in_b = np.intersect1d(matrix.indices[a], matrix.indices[b], assume_unique=True,
                                        return_indices=True)
    if not len(common):
        return 0.0
    return float(np.dot(matrix.data[a][in_a], matrix.data[b][in_b]))


def _split_columns(matrix: sparse.csr_matrix) -> tuple[np.ndarray, sparse.csr_matrix]:
    """The columns at least DENSE_SHARE of speeches use (at most DENSE_COLUMNS) as a dense array; the rest
    stay sparse."""
    n = matrix.shape[0]
    used = np.diff(matrix.tocsc().indptr)
    common = np.flatnonzero(used >= max(2, n * DENSE_SHARE))
    common = common[np.argsort(-used[common], kind="stable")][:DENSE_COLUMNS]
    rest = np.setdiff1d(np.arange(matrix.shape[1]), common)
    return matrix[:, common].toarray().astype(np.float32), matrix[:, rest].tocsr()


def _add_sparse(block: np.ndarray, values: sparse.spmatrix) -> None:
    """block += values, without making values dense (column indices in a CSR row are unique)."""
    values = sparse.csr_matrix(values)
    if not values.nnz:
        return
    rows = np.repeat(np.arange(values.shape[0]) * block.shape[1], np.diff(values.indptr))
    block.reshape(-1)[rows + values.indices] += values.data


def _top_k(block: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k best columns of each row, by score then index, and their scores.

    For wide rows, the k groups of columns with the highest maxima (ties to the lower group) hold
    the k best scores and, among tied scores, the lowest columns; only those groups are searched.
    """
    m, n = block.shape
    outside = None
    if n >= 16 * TOP_K_GROUPS and k < TOP_K_GROUPS // 4:
        width = -(-n // TOP_K_GROUPS)
        maxima = np.maximum.reduceat(block, np.arange(0, n, width), axis=1)  # no copy of the block
        groups = np.broadcast_to(np.arange(maxima.shape[1]), maxima.shape)
        chosen = np.sort(np.lexsort((groups, -maxima), axis=1)[:, :k], axis=1)
        columns = (chosen[:, :, None] * width + np.arange(width)).reshape(m, -1)
        outside = columns >= n  # the last group is narrower
        columns[outside] = n - 1
        values = np.take_along_axis(block, columns, axis=1)
        values[outside] = -np.inf
    else:
        columns = np.broadcast_to(np.arange(n), (m, n))
        values = block
    # the k-th best score, everything above it, and as many of its ties as fit, lowest columns first
    kth = np.partition(values, values.shape[1] - k, axis=1)[:, values.shape[1] - k, None]
    above, tied = values > kth, values == kth
    if outside is not None:
        tied &= ~outside
    keep = above | (tied & (np.cumsum(tied, axis=1) <= k - above.sum(axis=1, keepdims=True)))
    top_columns, top_values = columns[keep].reshape(m, k), values[keep].reshape(m, k)
    order = np.lexsort((top_columns, -top_values), axis=1)
    return (np.take_along_axis(top_columns, order, axis=1).astype(np.int32),
            np.take_along_axis(top_values, order, axis=1))


def _relatedness_triples(speech: str, related: RelatedSpeech) -> Iterator[Triple]:
    source, target = URIRef(speech), URIRef(related.speech)
    node = ID[f"related/{_tail(speech)}/{_tail(related.speech)}"]
    yield source, GG.relatedSpeech, target
    yield source, GG.relatedness, node
    yield node, RDF.type, GG.Relatedness
    yield node, GG.relatedTo, target
    yield node, GG.score, Literal(Decimal(f"{related.score:.6f}"), datatype=XSD.decimal)
    yield node, GG.rank, Literal(related.rank, datatype=XSD.integer)
    for reason in related.reasons():
        yield node, GG.reason, Literal(reason)
    for kind in FEATURE_KINDS:
        for concept in related.shared_iris.get(kind, []):
            yield node, GG.sharesConcept, URIRef(concept)


def _tail(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k best finite scores, best first, ties by index."""
    finite = np.flatnonzero(np.isfinite(scores) & (scores > 0))
    order = np.lexsort((finite, -scores[finite]))
    return [int(finite[o]) for o in order[:k]]


def _weighted_features(rows: list[frozenset[str]], n: int) -> tuple[sparse.csr_matrix, dict[str, float]]:
    """IDF-weighted, L2-normalised indicator rows: a rare shared theme counts for more."""
    matrix, columns = _one_hot(rows, n, normalise=False)
    df = np.asarray((matrix > 0).sum(axis=0)).ravel()
    idf = np.log((1 + n) / (1 + df)) + 1.0
    weighted = _unit_rows(matrix @ sparse.diags(idf.astype(np.float32)))
    return weighted.tocsr(), {c: float(idf[i]) for c, i in columns.items()}


def _one_hot(
    rows: list[frozenset[str]], n: int, normalise: bool = True
) -> tuple[sparse.csr_matrix, dict[str, int]]:
    columns = {value: i for i, value in enumerate(sorted({v for row in rows for v in row}))}
    indptr = np.zeros(n + 1, dtype=np.int64)
    indices: list[int] = []
    for r, row in enumerate(rows):
        indices.extend(sorted(columns[v] for v in row))
        indptr[r + 1] = len(indices)
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sparse.csr_matrix((data, np.asarray(indices, dtype=np.int32), indptr), shape=(n, len(columns)))
    return (_unit_rows(matrix) if normalise else matrix), columns


def _keywords(texts: list[str], keep: int) -> sparse.csr_matrix:
    """TF-IDF of each text, cut to its `keep` strongest terms and re-normalised."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # heavy: loaded only when texts are compared

    n = len(texts)
    if not any(t.strip() for t in texts):
        return sparse.csr_matrix((n, 0), dtype=np.float32)
    vectoriser = TfidfVectorizer(
        stop_words="english",
        sublinear_tf=True,
        max_df=0.5 if n > 20 else 1.0,
        min_df=2 if n > 1000 else 1,
        dtype=np.float32,
        token_pattern=r"(?u)\b[a-zA-Z]{3,}\b",
    )
    try:
        matrix = vectoriser.fit_transform(texts).tocsr()
    except ValueError:  # every word is a stop word
        return sparse.csr_matrix((n, 0), dtype=np.float32)
    return _unit_rows(_strongest(matrix, keep))


def _unit_rows(matrix: sparse.spmatrix) -> sparse.csr_matrix:
    """Rows scaled to unit length (empty rows stay empty)."""
    matrix = sparse.csr_matrix(matrix, dtype=np.float32)
    lengths = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    lengths[lengths == 0] = 1.0
    return (sparse.diags((1.0 / lengths).astype(np.float32)) @ matrix).tocsr()


def _strongest(matrix: sparse.csr_matrix, keep: int) -> sparse.csr_matrix:
    """Only the `keep` largest values of each row."""
    matrix = matrix.copy()
    for r in range(matrix.shape[0]):
        start, stop = matrix.indptr[r], matrix.indptr[r + 1]
        if stop - start > keep:
            row = matrix.data[start:stop]
            cutoff = np.partition(row, -keep)[-keep]
            row[row < cutoff] = 0
    matrix.eliminate_zeros()
    return matrix


def related_speeches(
    snapshot: Snapshot, name: str, top: int = 10, weights: Mapping[str, float] | None = None
) -> tuple[str, list[RelatedSpeech]]:
    """The speech a name designates, and the speeches most related to it."""
    speech = find_speech(snapshot, name)
    return speech, RelatedIndex(snapshot, weights).related(speech, top)


def materialise_related(store: EmbeddedStore, top: int | None = None, min_score: float = 0.05,
                        progress: Callable[[int], None] | None = None) -> int:
    """Write every speech's top related speeches into the store's related graph; returns the links written.

    Without `top`, the depth already materialised is kept (5 the first time), so a build that
    refreshes the links keeps the researcher's choice.
    """
    if top is None:
        ranks = [int(r) for _, r in store.pairs(GG.rank)]
        top = max(ranks) if ranks else DEFAULT_MATERIALISED
    triples = RelatedIndex(read_snapshot(store)).materialise(top, min_score, progress)
    store.replace_graph(RELATED_GRAPH, triples)  # writes only what changed since the last time
    return sum(1 for _, p, o in triples if p == RDF.type and o == GG.Relatedness)
