"""Compare the embedded on-disk store with pyoxigraph and rdflib in memory, on one synthetic graph.

    python bench/run.py [--speeches N] [--runs R]

The graph is made the way `govgraph build` makes it: synthetic write-ups are parsed, extracted
and turned into one named graph per document (plus the vocabulary graph), so the stores are
compared on the project's real graph shape. Everything is measured in one run, on the same
graph, and reported as ratios, because absolute times on a shared machine drift between runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import pyoxigraph as ox
import rdflib
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from govgraph import EmbeddedStore
from govgraph.documents import parse_document
from govgraph.extract import Extraction, Lexicon, extract
from govgraph.graph import document_iri, extraction_graph, speech_iri
from govgraph.namespaces import VOCABULARY_GRAPH
from govgraph.terms import solution_rows, to_ox
from govgraph.vocab import default_lexicon, ontology_graph

SEED = 42
SPEAKERS = 200
FIRST_NAMES = (
    "Alice", "Amara", "Bilal", "Chloe", "Daniel", "Elena", "Farah", "George", "Hannah", "Imran",
    "Joanna", "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sofia", "Tomasz",
)
LAST_NAMES = (
    "Adeyemi", "Brennan", "Campbell", "Dawson", "Evans", "Fletcher", "Gallagher", "Hughes",
    "Iqbal", "Jenkins", "Kowalski", "Lindqvist", "Murray", "Nakamura", "Okafor", "Patel",
    "Quinn", "Reid", "Singh", "Whitfield",
)
ROLES = ("Head", "Director", "Director General", "Chief Executive", "Permanent Secretary")
EVENT_NAMES = (
    "Northern Lights", "Harbourside", "Riverside", "Lakeshore", "Highland", "Meridian", "Beacon",
    "Horizon", "Keystone", "Crossroads",
)
EVENT_KINDS = ("Summit", "Forum", "Festival")
FIRST_DAY, DAYS = date(2010, 1, 1), 15 * 365

PREFIXES = """\
PREFIX gg: <https://w3id.org/govgraph/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""


@dataclass(frozen=True)
class Query:
    """A SELECT run on every store; bindings go in as RDF terms, never pasted into the text."""

    name: str
    sparql: str
    bindings: Mapping[str, Node] = field(default_factory=dict)


@dataclass(frozen=True)
class Speaker:
    """A synthetic speaker keeps one role and department, as a real one mostly does."""

    name: str
    role: str
    department: str


Rows = list[dict[str, Node]]
T = TypeVar("T")


# ---------------------------------------------------------------------------
# The synthetic corpus
# ---------------------------------------------------------------------------


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Rank-based weights, so a few themes dominate as they do in real speeches."""
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def pick(rng: random.Random, items: Sequence[str], weights: Sequence[float], k: int) -> list[str]:
    """k distinct items drawn with the given skew."""
    chosen: dict[str, None] = {}
    while len(chosen) < k:
        chosen.setdefault(rng.choices(items, weights)[0])
    return list(chosen)


def skewed(rng: random.Random, items: Sequence[str]) -> tuple[list[str], list[float]]:
    """The items in a seeded random order with Zipf weights, so which ones are common is fixed."""
    order = sorted(items)
    rng.shuffle(order)
    return order, zipf_weights(len(order))


def speaker_pool(rng: random.Random, departments: Sequence[str]) -> list[Speaker]:
    """About 200 distinct speakers, spread over departments with a skew."""
    names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    order, weights = skewed(rng, departments)
    return [Speaker(name, rng.choice(ROLES), pick(rng, order, weights, 1)[0])
            for name in rng.sample(names, SPEAKERS)]


def speech_text(speaker: Speaker, event: str, day: date, themes: Sequence[str],
                pressure: str) -> str:
    """A write-up in the shape the extractor reads: heading, speaker line, themes sentence."""
    theme_list = f"{', '.join(themes[:-1])} and {themes[-1]}"
    return (
        "In-person event\n\n"
        f"{event} - {speaker.name}, {speaker.role} of the {speaker.department}\n\n"
        f"{speaker.name}, {speaker.role} at the {speaker.department}, spoke at the {event} "
        f"conference on {day.day} {day:%B %Y}.\n"
        f"They said that {theme_list} mattered, and named {pressure} as a pressure.\n"
    )


def synthetic_texts(count: int, lexicon: Lexicon) -> Iterator[tuple[str, str]]:
    """(file name, text) for `count` speeches, the same ones for the same count on every run."""
    rng = random.Random(SEED)
    departments = [o.label for o in lexicon.organisations if o.is_government]
    speakers = speaker_pool(rng, departments)
    themes, theme_weights = skewed(rng, list(lexicon.themes))
    pressures, pressure_weights = skewed(rng, list(lexicon.pressures))
    events = [f"{name} {kind}" for name in EVENT_NAMES for kind in EVENT_KINDS]
    for number in range(count):
        keys = pick(rng, themes, theme_weights, rng.randint(2, 3))
        phrases = [rng.choice(lexicon.themes[key][1]) for key in keys]
        pressure = rng.choice(lexicon.pressures[pick(rng, pressures, pressure_weights, 1)[0]][1])
        day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        text = speech_text(rng.choice(speakers), rng.choice(events), day, phrases, pressure)
        yield f"speech-{number:05d}.txt", text


# ---------------------------------------------------------------------------
# Building and loading the graph
# ---------------------------------------------------------------------------


def timed(func: Callable[[], T]) -> tuple[T, float]:
    """The result of func and the seconds it took."""
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def extract_all(texts: Sequence[tuple[str, str]], lexicon: Lexicon) -> list[Extraction]:
    """Parse and extract every document, as `govgraph build` does for files."""
    return [extract(parse_document(text.encode(), name, "text/plain"), lexicon)
            for name, text in texts]


def named_graphs(extractions: Sequence[Extraction]) -> dict[URIRef, Graph]:
    """One graph per document, named by its document IRI, plus the vocabulary graph."""
    graphs = {document_iri(x.document.slug): extraction_graph(x) for x in extractions}
    graphs[VOCABULARY_GRAPH] = ontology_graph()
    return graphs


def ox_quads(graphs: Mapping[URIRef, Graph]) -> list[ox.Quad]:
    """The graphs as pyoxigraph quads, converted the way the embedded store converts them."""
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(str(name)))
            for name, graph in graphs.items() for s, p, o in graph]


def load_ox_memory(quads: list[ox.Quad]) -> ox.Store:
    """An in-memory pyoxigraph store holding the quads."""
    store = ox.Store()
    store.extend(quads)
    return store


def load_rdflib(graphs: Mapping[URIRef, Graph]) -> Dataset:
    """An rdflib Dataset with one named graph per document, queried as their union."""
    dataset = Dataset(default_union=True)
    for name, graph in graphs.items():
        context = dataset.graph(name)
        context += graph
    return dataset


def folder_sizes(path: Path) -> dict[str, int]:
    """Bytes by file suffix, to tell RocksDB's data (.sst) from its write-ahead log (.log)."""
    sizes: dict[str, int] = {}
    for file in path.rglob("*"):
        if file.is_file():
            sizes[file.suffix] = sizes.get(file.suffix, 0) + file.stat().st_size
    return sizes


# ---------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------


def representative_queries(speech: URIRef) -> list[Query]:
    """What the project asks of its graph: aggregates, a bound-speech join, joins, a listing."""
    return [
        Query("speeches per theme", PREFIXES + """
SELECT ?theme ?label (COUNT(DISTINCT ?speech) AS ?speeches) WHERE {
  ?speech a gg:Speech ; gg:discusses ?theme .
  ?theme skos:prefLabel ?label .
} GROUP BY ?theme ?label ORDER BY DESC(?speeches) ?theme"""),
        Query("speeches sharing themes with one", PREFIXES + """
SELECT ?s ?other (COUNT(DISTINCT ?theme) AS ?shared) WHERE {
  ?s gg:discusses ?theme .
  ?other a gg:Speech ; gg:discusses ?theme .
  FILTER(?other != ?s)
} GROUP BY ?s ?other ORDER BY DESC(?shared) ?other LIMIT 20""", {"s": speech}),
        Query("speakers x departments mentioned", PREFIXES + """
SELECT ?name ?department (COUNT(DISTINCT ?speech) AS ?speeches) WHERE {
  ?speech a gg:Speech ; gg:deliveredBy ?person ; gg:mentionsDepartment ?org .
  ?person foaf:name ?name .
  ?org skos:prefLabel ?department .
} GROUP BY ?name ?department ORDER BY ?name DESC(?speeches) ?department"""),
        Query("timeline of speeches by date", PREFIXES + """
SELECT DISTINCT ?date ?speech ?title ?event WHERE {
  ?speech a gg:Speech ; dcterms:date ?date ; dcterms:title ?title ; gg:deliveredAt ?at .
  ?at dcterms:title ?event .
} ORDER BY ?date ?speech ?title ?event"""),
    ]


def ox_runner(store: ox.Store) -> Callable[[Query], Rows]:
    """Run a query exactly as EmbeddedStore.select does, so the two differ only in storage."""
    def run(query: Query) -> Rows:
        results = store.query(
            query.sparql,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): to_ox(v) for k, v in query.bindings.items()} or None,
        )
        return solution_rows(results)
    return run


def rdflib_runner(dataset: Dataset) -> Callable[[Query], Rows]:
    """Run a query on rdflib, rows as dicts of rdflib terms like the other stores give."""
    def run(query: Query) -> Rows:
        return [row.asdict() for row in dataset.query(query.sparql, initBindings=query.bindings)]
    return run


def latencies(runners: Mapping[str, Callable[[Query], Rows]], query: Query,
              runs: int) -> tuple[dict[str, float], dict[str, Rows]]:
    """Median seconds per store; the stores take turns each run so machine drift hits all alike."""
    times: dict[str, list[float]] = {name: [] for name in runners}
    rows: dict[str, Rows] = {}
    for _ in range(runs):
        for name, run in runners.items():
            rows[name], seconds = timed(lambda run=run: run(query))
            times[name].append(seconds)
    return {name: statistics.median(t) for name, t in times.items()}, rows


def agree(rows: Mapping[str, Rows]) -> bool:
    """Whether every store returned the same rows in the same order."""
    plain = [[{k: str(v) for k, v in row.items()} for row in result] for result in rows.values()]
    return all(result == plain[0] for result in plain)


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


STORES = ("embedded", "ox-memory", "rdflib")
HEADER = (f"{'measure':<44}{'embedded':>12}{'ox-memory':>12}{'rdflib':>12}"
          f"{'rdflib/emb':>12}{'rdflib/oxm':>12}")


def row(label: str, values: Mapping[str, float], unit: str) -> str:
    """One table line: the three stores' values and rdflib's value over each pyoxigraph one."""
    shown = "".join(f"{values[s]:>12,.0f}" if unit == "triples/s" else f"{values[s]:>12.4g}"
                    for s in STORES)
    ratios = "".join(f"{values['rdflib'] / values[s]:>11.1f}x" for s in STORES[:2])
    return f"{f'{label} ({unit})':<44}{shown}{ratios}"


def print_header(speeches: int, runs: int) -> None:
    """Say what is measured and how to read it, before the numbers."""
    print(__doc__.split("\n\n")[0].strip())
    print(f"""
machine: {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, \
pyoxigraph {ox.__version__}, rdflib {rdflib.__version__}
graph:   {speeches} synthetic speeches (seed {SEED}) -> parse, extract, one named graph each
stores:  embedded  = govgraph.EmbeddedStore (pyoxigraph/RocksDB on disk, in a temp folder)
         ox-memory = pyoxigraph.Store() in memory
         rdflib    = rdflib.Dataset in memory, default graph = union of named graphs
load:    from the same rdflib graphs; both pyoxigraph loads include the term conversion
queries: median of {runs} runs, each running the query and reading every row as rdflib terms
ratios:  rdflib value / pyoxigraph value: for times, above 1x means rdflib is slower; for
         triples/s, below 1x does. Absolute times on shared machines are only indicative:
         compare the ratios.
""")


def main(argv: Sequence[str] | None = None) -> None:
    """Build the graph once, load it into all three stores, query them, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--speeches", type=int, default=2000, help="synthetic speeches (2000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per query, for the median (5)")
    args = parser.parse_args(argv)
    print_header(args.speeches, args.runs)

    lexicon = default_lexicon()
    texts = list(synthetic_texts(args.speeches, lexicon))
    extractions, extract_s = timed(lambda: extract_all(texts, lexicon))
    graphs, graph_s = timed(lambda: named_graphs(extractions))
    triples = sum(len(g) for g in graphs.values())
    understood = sum(1 for x in extractions if x.speakers and x.themes and x.event.date)
    print(f"extraction: {args.speeches / extract_s:,.0f} documents/s "
          f"({understood}/{args.speeches} with speaker, themes and date); "
          f"to triples: {args.speeches / graph_s:,.0f} documents/s")
    print(f"graph:      {triples:,} triples in {len(graphs):,} named graphs\n")

    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        folder = Path(tmp) / "store"
        embedded = EmbeddedStore(folder)
        _, embedded_s = timed(lambda: embedded.put_graphs(graphs))
        quads, convert_s = timed(lambda: ox_quads(graphs))
        memory, extend_s = timed(lambda: load_ox_memory(quads))
        dataset, rdflib_s = timed(lambda: load_rdflib(graphs))
        loads = {"embedded": embedded_s, "ox-memory": convert_s + extend_s, "rdflib": rdflib_s}

        runners = {"embedded": lambda q: embedded.select(q.sparql, q.bindings),
                   "ox-memory": ox_runner(memory), "rdflib": rdflib_runner(dataset)}
        results = [(q, *latencies(runners, q, args.runs))
                   for q in representative_queries(speech_iri("speech-00000"))]
        embedded.close()
        sizes = folder_sizes(folder)

    print(HEADER)
    print("-" * len(HEADER))
    print(row("load", loads, "s"))
    print(row("load rate", {s: triples / t for s, t in loads.items()}, "triples/s"))
    for query, medians, _ in results:
        print(row(query.name, {s: t * 1000 for s, t in medians.items()}, "ms"))
    print()
    print(f"ox-memory load: {convert_s:.3g} s converting rdflib terms + {extend_s:.3g} s extend")
    total, tables, wal = sum(sizes.values()), sizes.get(".sst", 0), sizes.get(".log", 0)
    print(f"embedded store on disk: {total:,} bytes in the folder after close")
    print(f"  {tables:,} in .sst tables ({tables / triples:.0f} bytes/triple)")
    print(f"  {wal:,} in the write-ahead log (removed when the store is next opened)")
    print("query results:")
    for query, _, rows in results:
        verdict = "same rows on all stores" if agree(rows) else "STORES DISAGREE"
        print(f"  {query.name}: {len(rows['embedded'])} rows, {verdict}")


if __name__ == "__main__":
    main()
