"""govgraph end to end at several corpus sizes: build, named queries, related speeches and exports.

    python bench/run.py [--sizes 1000,10000] [--quick] [--cap 30] [--export-cap 120]

For each size, synthetic write-ups from bench/corpus.py (generated once, cached by size, seed and
generator) are built into a fresh embedded store, and that store is then measured:

1. build:    `govgraph.build` in a fresh child process (like `govgraph build DIR --no-validate`):
             wall time, documents/s, triples/s, where the time goes (workers reading and extracting,
             the main process writing), store size, peak memory; pyoxigraph's raw N-Quads parse
             rate on the same data, for the store writes to be compared with;
2. queries:  every named query with its example parameters, on the embedded store and on rdflib
             holding the same quads in memory;
3. related:  one related-speeches lookup and all pairs, on the built store's snapshot;
4. exports:  every export format at the smallest size, the focus view of a speaker at every size.

Every measurement runs in its own child process, so its memory is its own (VmHWM from /proc,
which starts afresh in each exec'd process), and a slow query or drawing is killed at its cap.
Targets are printed PASS or MISS and never make the exit status fail.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import platform
import resource
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

HERE = Path(__file__).resolve().parent
SEED = 7
DEFAULT_SIZES = "1000,10000"
QUICK_SIZE = 300
RUNS = 5  # timed runs per query, after one warm-up
LOOKUPS = 20  # related lookups, for the median
SAMPLE = 200  # documents timed stage by stage in one process
SAMPLE_CHUNK = 32  # documents checked against the shapes together, as the build's workers do
TOP = 10
RDFLIB_LOAD_LIMIT = 600.0  # seconds: above this (measured or estimated) rdflib is skipped for the size
DRAWING_FORMATS = ("graphml", "gexf", "dot", "svg", "png", "cytoscape", "html")
RDF_FORMATS = ("ttl", "nt", "nq")
QUICK_DRAWINGS, QUICK_DUMPS = ("graphml", "svg", "html"), ("nq",)
REAL_SPEAKERS = ("Bracken", "Maude")  # named in the query examples; not in the synthetic corpus
TARGET_BUILD_DOCS, TARGET_BUILD_S, TARGET_WRITE_SHARE, TARGET_MEMORY_GROWTH = 10_000, 60.0, 0.5, 1.25
TARGET_QUERY_DOCS, TARGET_QUERY_RATIO = 50_000, 10.0
# rdflib's cap for a query is raised to this many times the store's median (at most MAX_CAP_FACTOR times
# --cap), so that a run stopped at the cap still shows whether the target ratio is met.
CAP_MARGIN, MAX_CAP_FACTOR = 1.1 * TARGET_QUERY_RATIO, 4.0
TARGET_PAIRS_DOCS, TARGET_PAIRS_S, TARGET_PAIRS_MB, TARGET_LOOKUP_MS = 50_000, 30.0, 1.5 * 1024, 100.0
T = TypeVar("T")
Record = dict[str, Any]


# ---------------------------------------------------------------------------
# Measuring inside a process
# ---------------------------------------------------------------------------


def proc_status(pid: int | str = "self") -> dict[str, float]:
    """Memory lines of /proc/PID/status in MiB (VmRSS, VmHWM), empty if the process is gone."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) / 1024 for k, _, v in (line.partition(":") for line in lines)
            if k in ("VmRSS", "VmHWM")}


def children_of(pid: int) -> list[int]:
    """Direct children of a process, from every thread's children list."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


class TreeSampler(threading.Thread):
    """Samples this process and its workers every 0.2 s: their RSS total and each worker's peak."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stopping = threading.Event()
        self.total_peak = 0.0
        self.worker_peaks: dict[int, float] = {}

    def run(self) -> None:
        """Sample until stopped."""
        while not self.stopping.wait(0.2):
            self.sample()

    def sample(self) -> None:
        """One reading of the whole process tree."""
        total = proc_status().get("VmRSS", 0.0)
        for pid in children_of(os.getpid()):
            status = proc_status(pid)
            total += status.get("VmRSS", 0.0)
            self.worker_peaks[pid] = max(self.worker_peaks.get(pid, 0.0), status.get("VmHWM", 0.0))
        self.total_peak = max(self.total_peak, total)

    def stop(self) -> None:
        """Take a last sample and end the thread."""
        self.sample()
        self.stopping.set()
        self.join()


def timed(func: Callable[[], T]) -> tuple[T, float]:
    """The result of func and the seconds it took."""
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def cpu_seconds(who: int) -> float:
    """User plus system CPU seconds of this process (RUSAGE_SELF) or its reaped children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def disk_bytes(folder: Path) -> dict[str, int]:
    """Allocated bytes in a folder, as du counts them, in all and by RocksDB file kind."""
    sizes = {"all": 0, ".sst": 0, ".log": 0}
    for file in folder.rglob("*"):
        if file.is_file():
            size = file.stat().st_blocks * 512
            sizes["all"] += size
            if file.suffix in sizes:
                sizes[file.suffix] += size
    return sizes


# ---------------------------------------------------------------------------
# The child processes: each prints JSON lines on its own channel
# ---------------------------------------------------------------------------


class Channel:
    """The child's JSON-lines channel: the real stdout; anything else printed goes to stderr."""

    def __init__(self) -> None:
        self.out = os.fdopen(os.dup(1), "w", buffering=1)
        os.dup2(2, 1)

    def send(self, event: str, **fields: Any) -> None:
        """One JSON line, flushed at once so the parent's deadline sees progress."""
        self.out.write(json.dumps({"event": event, **fields}) + "\n")
        self.out.flush()


class Instrumented:
    """Wraps the build's store writes, its wait for workers and its link pass with clocks."""

    def __init__(self) -> None:
        self.clocks: dict[str, float] = {"write": 0.0, "wait": 0.0, "vocabulary": 0.0, "links": 0.0}
        self.quads_written = 0
        self.write_calls = 0
        self.missing: list[str] = []

    def install(self, module: Any, store_class: Any) -> None:
        """Patch the names the build looks up at call time; whatever is missing is reported."""
        self._wrap(store_class, "put_nquads", "write", count=True)
        self._wrap(store_class, "put_vocabulary", "vocabulary")
        self._wrap(module, "refresh_links", "links")
        original = getattr(module, "_prepared", None)
        if original is None:
            self.missing.append("_prepared")
            return

        def waiting(*args: Any, **kwargs: Any) -> Iterator[Any]:
            items = iter(original(*args, **kwargs))
            while True:
                start = time.perf_counter()
                try:
                    item = next(items)
                except StopIteration:
                    self.clocks["wait"] += time.perf_counter() - start
                    return
                self.clocks["wait"] += time.perf_counter() - start
                yield item

        module._prepared = waiting

    def _wrap(self, owner: Any, name: str, clock: str, count: bool = False) -> None:
        """Replace owner.name by a version that adds its time to a clock."""
        original = getattr(owner, name, None)
        if original is None:
            self.missing.append(name)
            return

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.clocks[clock] += time.perf_counter() - start
                if count:
                    self.write_calls += 1
                    self.quads_written += sum(a.count(b"\n") for a in args if isinstance(a, bytes))

        setattr(owner, name, wrapper)


def child_build(args: argparse.Namespace, channel: Channel) -> None:
    """Build the corpus into a new store with the library, timed and instrumented, then sample."""
    import importlib

    import govgraph
    from govgraph import EmbeddedStore
    from govgraph.documents import iter_document_paths

    build_module = importlib.import_module("govgraph.build")
    paths = list(iter_document_paths([args.corpus]))
    clocks = Instrumented()
    clocks.install(build_module, EmbeddedStore)
    baseline = proc_status()["VmRSS"]
    sampler = TreeSampler()
    sampler.start()
    main_cpu, workers_cpu = cpu_seconds(resource.RUSAGE_SELF), cpu_seconds(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    store = EmbeddedStore(args.store)
    report = govgraph.build(paths, store, **build_options(govgraph.build, args))
    before_close = time.perf_counter()
    store.close()
    wall = time.perf_counter() - start
    sampler.stop()
    result: Record = {
        "documents": len(report.loaded), "failures": len(report.failures), "quads": report.triples,
        "links": report.links, "wall_s": wall, "close_s": time.perf_counter() - before_close,
        "main_cpu_s": cpu_seconds(resource.RUSAGE_SELF) - main_cpu,
        "workers_cpu_s": cpu_seconds(resource.RUSAGE_CHILDREN) - workers_cpu,
        "clocks": clocks.clocks, "quads_written": clocks.quads_written,
        "write_calls": clocks.write_calls, "not_instrumented": clocks.missing,
        "baseline_mb": baseline, "main_peak_mb": proc_status()["VmHWM"],
        "worker_peak_mb": max(sampler.worker_peaks.values(), default=0.0),
        "workers_seen": len(sampler.worker_peaks), "tree_peak_mb": sampler.total_peak,
        "disk": disk_bytes(Path(args.store)),
    }
    with EmbeddedStore(args.store, read_only=True) as opened:
        result["stats"] = govgraph.store_stats(opened)
        result["triples"] = result["stats"]["triples"]  # distinct triples (quads count each graph's copy)
        result["speaker"] = top_speaker(opened)
    result["sample"] = stage_sample(paths)
    channel.send("result", **result)


def build_options(build: Callable[..., Any], args: argparse.Namespace) -> dict[str, Any]:
    """The bench's build options, those this version of govgraph.build accepts."""
    import inspect

    accepted = inspect.signature(build).parameters
    wanted = {"workers": args.workers, "batch_size": args.batch}
    return {k: v for k, v in wanted.items() if v is not None and k in accepted}


def top_speaker(store: Any) -> Record:
    """The speaker with the most speeches: the focus of the drawings and a name for the examples."""
    rows = store.select("""
        SELECT ?person ?name (COUNT(DISTINCT ?speech) AS ?speeches) (MIN(?speech) AS ?first) WHERE {
          ?speech gg:deliveredBy ?person . ?person foaf:name ?name
        } GROUP BY ?person ?name ORDER BY DESC(?speeches) ?person LIMIT 1""")
    if not rows:
        return {}
    return {"iri": str(rows[0]["person"]), "name": str(rows[0]["name"]), "speeches": int(rows[0]["speeches"]),
            "speech": str(rows[0]["first"])}


def stage_sample(paths: Sequence[Path]) -> Record:
    """Per-document seconds of each worker stage, timed in this one process on an even sample."""
    try:
        from govgraph.build import extract_document
        from govgraph.documents import read_document
        from govgraph.graph import document_iri, extraction_triples
        from govgraph.store import graph_nquads
        from govgraph.validate import validate_nquads
        from govgraph.vocab import default_lexicon

        _, lexicon_s = timed(default_lexicon)
        step = max(1, len(paths) // SAMPLE)
        sample = list(paths[::step])[:SAMPLE]
        stages = {"read": 0.0, "extract": 0.0, "serialise": 0.0, "shapes": 0.0}
        validate_nquads(b"")  # compiles the shapes once, as each worker does on its first chunk
        for begin in range(0, len(sample), SAMPLE_CHUNK):
            chunk: list[bytes] = []
            for path in sample[begin:begin + SAMPLE_CHUNK]:
                document, seconds = timed(lambda path=path: read_document(path))
                stages["read"] += seconds
                extraction, seconds = timed(lambda document=document: extract_document(document))
                stages["extract"] += seconds
                nquads, seconds = timed(lambda d=document, x=extraction: graph_nquads(
                    extraction_triples(x), document_iri(d.slug)))
                stages["serialise"] += seconds
                chunk.append(nquads)
            _, seconds = timed(lambda chunk=chunk: validate_nquads(b"".join(chunk)))
            stages["shapes"] += seconds
        return {"documents": len(sample), "lexicon_s": lexicon_s,
                "per_document_s": {k: v / len(sample) for k, v in stages.items()}}
    except Exception as exc:  # the sample explains the build; it must not lose the build's figures
        return {"error": f"{type(exc).__name__}: {exc}"}


def child_parse(args: argparse.Namespace, channel: Channel) -> None:
    """Dump the store to N-Quads; time pyoxigraph parsing it alone, then loading it into new stores."""
    import pyoxigraph as ox

    from govgraph import EmbeddedStore

    nquads = ox.RdfFormat.N_QUADS
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-nq-") as tmp:
        dump = Path(tmp) / "store.nq"
        with EmbeddedStore(args.store, read_only=True) as built:
            _, dump_s = timed(lambda: built.engine.dump(output=str(dump), format=nquads))
        size = dump.stat().st_size
        dump.read_bytes()  # into the page cache, so the parse below is not timing the disk
        quads, parse_s = timed(lambda: sum(1 for _ in ox.parse(path=str(dump), format=nquads)))
        store, load_s = ox.Store(str(Path(tmp) / "load")), 0.0
        for batch in batched_lines(dump, args.batch_lines):
            load_s += timed(partial(store.load, batch, format=nquads))[1] + timed(store.flush)[1]
        _, bulk_s = timed(lambda: ox.Store(str(Path(tmp) / "bulk")).bulk_load(path=str(dump), format=nquads))
        _, memory_s = timed(lambda: ox.Store().load(path=str(dump), format=nquads))
    channel.send("result", quads=quads, bytes=size, dump_s=dump_s, parse_s=parse_s, load_s=load_s,
                 bulk_s=bulk_s, memory_s=memory_s)


def batched_lines(path: Path, lines: int) -> Iterator[bytes]:
    """The file in pieces of `lines` lines, as the build hands its batches to the store."""
    with path.open("rb") as file:
        while chunk := b"".join(line for _, line in zip(range(max(1, lines)), file, strict=False)):
            yield chunk


def example_params(query: Any, surname: str, speech: str = "") -> dict[str, str]:
    """The query's example parameters, real speakers' names replaced by a synthetic speaker's.

    A `speech` parameter picks one speech, so it gets the IRI of one of that speaker's speeches: the
    surname would pick all of them (hundreds in a large corpus), which is not what the query asks.
    """
    def swap(key: str, value: str) -> str:
        if value not in REAL_SPEAKERS or not surname:
            return value
        return speech if key == "speech" and speech else surname
    return {k: swap(k, v) for k, v in query.example.items()}


class Timeout(Exception):
    """A query ran past its cap."""


def on_alarm(signum: int, frame: Any) -> None:
    """SIGALRM handler: stops a query (pure Python ones at once, native ones when they return)."""
    raise Timeout


def capped(func: Callable[[], int], cap: float) -> tuple[int | None, float]:
    """Rows and seconds of one run, or (None, seconds) if it ran past the cap."""
    signal.setitimer(signal.ITIMER_REAL, cap)
    start = time.perf_counter()
    try:
        return func(), time.perf_counter() - start
    except Timeout:
        return None, time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def load_rdflib(store_path: str) -> Any:
    """An rdflib Dataset whose default graph is the union of the store's named graphs, one context each.

    The store's own default graph (its deduplicated copy of that union) is left out: the union is it.
    """
    import pyoxigraph as ox
    import rdflib

    from govgraph import EmbeddedStore
    from govgraph.terms import from_ox

    dataset = rdflib.Dataset(default_union=True)
    contexts: dict[str, Any] = {}
    with EmbeddedStore(store_path, read_only=True) as built:
        quads = list(built.engine)
    for quad in quads:
        name = quad.graph_name
        if not isinstance(name, ox.NamedNode):
            continue
        context = contexts.get(name.value)
        if context is None:
            context = contexts[name.value] = dataset.graph(rdflib.URIRef(name.value))
        context.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
    return dataset


def child_queries(args: argparse.Namespace, channel: Channel) -> None:
    """Run the named queries from --start on, each a warm-up then up to RUNS timed runs within the cap."""
    import govgraph
    from govgraph.queries import bind, with_prefixes

    library = govgraph.library()
    names = sorted(library)[args.start:]
    signal.signal(signal.SIGALRM, on_alarm)
    before = proc_status()["VmRSS"]
    if args.engine == "rdflib":
        dataset, load_s = timed(lambda: load_rdflib(args.store))
        channel.send("ready", load_s=load_s, triples=len(dataset), memory_mb=proc_status()["VmRSS"] - before)
    else:
        store = govgraph.EmbeddedStore(args.store, read_only=True)
        channel.send("ready", load_s=0.0)
    skip = set(filter(None, args.skip.split(",")))
    caps = item_caps(args.caps)
    for name in names:
        query = library[name]
        params = example_params(query, args.surname, args.speech)
        channel.send("begin", item=name)
        if name in skip:
            channel.send("item", item=name, skipped=True, params=params)
            continue
        if args.engine == "rdflib":
            text = with_prefixes(bind(query.text, query.bindings(params)))
            run = partial(rdflib_rows, dataset, text)
        else:
            run = partial(embedded_rows, store, query, params)
        cap = caps.get(name, args.cap)
        channel.send("item", item=name, params=params, cap=cap, **query_runs(run, cap, args.runs, channel))


def item_caps(text: str) -> dict[str, float]:
    """The --caps option ("name=seconds,..."): caps for single items, over the default."""
    pairs = (item.rsplit("=", 1) for item in text.split(",") if item)
    return {name: float(seconds) for name, seconds in pairs}


def rdflib_caps(embedded: dict[str, Record], cap: float) -> dict[str, float]:
    """rdflib's cap per query, raised where --cap is too short to tell whether the target ratio is met."""
    caps = {}
    for name, record in embedded.items():
        if "times" in record:
            wanted = min(CAP_MARGIN * statistics.median(record["times"]), MAX_CAP_FACTOR * cap)
            if wanted > cap:
                caps[name] = round(wanted, 1)
    return caps


def rdflib_rows(dataset: Any, text: str) -> int:
    """Run a bound query on rdflib and read every row."""
    return sum(1 for _ in dataset.query(text))


def embedded_rows(store: Any, query: Any, params: dict[str, str]) -> int:
    """Run a named query as a user does (govgraph.query on an open store); its row count."""
    import govgraph

    return len(govgraph.query(query, params, store=store))


def query_runs(run: Callable[[], int], cap: float, runs: int, channel: Channel) -> Record:
    """A warm-up, then timed runs while they fit in the cap (at least one, else the warm-up counts)."""
    try:
        rows, warmup = capped(run, cap)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}
    channel.send("run", seconds=warmup)
    if rows is None:
        return {"timeout": True, "warmup_s": warmup}
    times: list[float] = []
    spent = warmup
    while len(times) < runs and spent + (times[-1] if times else warmup) <= cap:
        rows_again, seconds = capped(run, cap)
        channel.send("run", seconds=seconds)
        if rows_again is None:
            break
        times.append(seconds)
        spent += seconds
    return {"rows": rows, "warmup_s": warmup, "times": times or [warmup], "warmup_used": not times}


def child_related(args: argparse.Namespace, channel: Channel) -> None:
    """Snapshot, index, one lookup (median) and all pairs, then materialise the related graph."""
    import govgraph
    from govgraph.related import RelatedIndex

    store = govgraph.EmbeddedStore(args.store)
    snapshot, snapshot_s = timed(lambda: govgraph.read_snapshot(store))
    baseline = proc_status()["VmRSS"]
    index, index_s = timed(lambda: RelatedIndex(snapshot))
    speech = snapshot.speeches[len(snapshot) // 2]
    lookups = [timed(partial(index.related, speech, TOP))[1] for _ in range(args.lookups)]
    _, pairs_s = timed(partial(index.all_pairs, TOP))
    peak = proc_status()["VmHWM"]
    index = None  # freed before materialising, which builds its own
    links, materialise_s = timed(lambda: govgraph.materialise_related(store))
    store.close()
    channel.send("result", speeches=len(snapshot), snapshot_s=snapshot_s, index_s=index_s,
                 lookup_ms=statistics.median(lookups) * 1000, pairs_s=pairs_s, baseline_mb=baseline,
                 peak_mb=peak, delta_mb=peak - baseline, materialise_s=materialise_s, materialised=links)


def child_export(args: argparse.Namespace, channel: Channel) -> None:
    """Export each item in turn (a format, or "focus FORMAT"); the parent kills one that overruns."""
    import govgraph
    from govgraph.export import Drawing, export

    store = govgraph.EmbeddedStore(args.store, read_only=True)
    snapshot, snapshot_s = timed(lambda: govgraph.read_snapshot(store))
    channel.send("ready", load_s=snapshot_s, focus_graph=focus_size(snapshot, args.focus))
    for item in args.items.split(",")[args.start:]:
        channel.send("begin", item=item)
        focus, _, fmt = item.rpartition(" ")
        drawing = Drawing(focus=args.focus, depth=1) if focus else Drawing()
        try:
            data, seconds = timed(lambda fmt=fmt, drawing=drawing: export(store, snapshot, fmt, drawing))
            channel.send("item", item=item, seconds=seconds, bytes=len(data))
        except Exception as exc:
            channel.send("item", item=item, error=f"{type(exc).__name__}: {exc}"[:200])


def focus_size(snapshot: Any, focus: str) -> Record:
    """Nodes and edges of the focus view: what its layout has to place."""
    try:
        from govgraph.export import neighbourhood
        from govgraph.lookup import find_entity
        from govgraph.network import entity_graph

        graph = neighbourhood(entity_graph(snapshot), find_entity(snapshot, focus), 1)
        return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges()}
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"[:200]}


CHILDREN: dict[str, Callable[[argparse.Namespace, Channel], None]] = {
    "build": child_build, "parse": child_parse, "queries": child_queries, "related": child_related,
    "export": child_export,
}


# ---------------------------------------------------------------------------
# The parent: starting children, reading them with deadlines, killing them at the cap
# ---------------------------------------------------------------------------


LIVE: set[Child] = set()  # children not yet stopped, stopped if the run is interrupted


class Child:
    """A child run of this script, read line by line with deadlines, killed with its process group."""

    def __init__(self, kind: str, options: Sequence[str]) -> None:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, *options]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self.errors,
                                        start_new_session=True)
        self.buffer = b""
        self.tail: str | None = None
        LIVE.add(self)

    def next(self, timeout: float) -> Record | None:
        """The next JSON line, None at the end; TimeoutError if none comes in time."""
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select([self.process.stdout], [], [], left)
            if ready:
                chunk = os.read(self.process.stdout.fileno(), 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return json.loads(line)

    def stop(self) -> str:
        """Kill the child and anything it started (a Graphviz run, workers); its stderr's tail."""
        LIVE.discard(self)
        if self.tail is None:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.errors.seek(0)
            self.tail = "\n".join(self.errors.read().decode(errors="replace").strip().splitlines()[-12:])
            self.errors.close()
        return self.tail


def one_result(kind: str, options: Sequence[str], timeout: float) -> Record:
    """Run a child that sends one result; its error (and stderr) if it fails or overruns."""
    child = Child(kind, options)
    try:
        record = child.next(timeout)
    except TimeoutError:
        record = {"event": "error", "error": f"killed after {timeout:.0f} s"}
    tail = child.stop()
    if not record or record.get("event") != "result":
        record = record or {"error": "the child ended without a result"}
        record["error"] = f"{record.get('error', '')}\n{tail}".strip()
    return record


def grace(cap: float) -> float:
    """How long past its cap a child may go before it is killed (a native query cannot be interrupted)."""
    return 1.0 + 0.25 * cap


def stream_items(kind: str, options: Sequence[str], items: Sequence[str], cap: float, ready_timeout: float,
                 caps: dict[str, float] | None = None) -> tuple[Record, dict[str, Record]]:
    """Results by item from a child that works through items, restarted past any item it overran."""
    results: dict[str, Record] = {}
    ready: Record = {}
    start = 0
    while start < len(items):
        child = Child(kind, [*options, "--start", str(start)])
        try:
            ready = child.next(ready_timeout) or {}
        except TimeoutError:
            child.stop()
            return {"error": f"not ready after {ready_timeout:.0f} s", "timed_out": True}, results
        if ready.get("event") != "ready":
            return {"error": f"the child failed before it was ready\n{child.stop()}"}, results
        start = drain(child, items, start, results, cap, caps or {})
        child.stop()
    return ready, results


def drain(child: Child, items: Sequence[str], start: int, results: dict[str, Record], cap: float,
          caps: dict[str, float]) -> int:
    """Read a child's results until it ends or overruns an item; the index to restart from."""
    position, current = start, items[start]
    limit = caps.get(current, cap)
    try:
        while (record := child.next(limit + grace(limit))) is not None:
            if record["event"] == "begin":
                current = record["item"]
                limit = caps.get(current, cap)
            elif record["event"] == "item":
                results[record["item"]] = record
                position = items.index(record["item"]) + 1
    except TimeoutError:
        results[current] = {"timeout": True, "killed": True, "cap": limit}
        return items.index(current) + 1
    if position < len(items):  # the child died; blame the item it was on
        current = items[position] if current in results else current
        results[current] = {"error": f"the child process ended: {child.stop()[-300:]}"}
        return items.index(current) + 1
    return position


# ---------------------------------------------------------------------------
# One size, start to end
# ---------------------------------------------------------------------------


@dataclass
class SizeResult:
    """Everything measured at one corpus size."""

    size: int
    corpus_s: float = 0.0
    build: Record = field(default_factory=dict)
    parse: Record = field(default_factory=dict)
    related: Record = field(default_factory=dict)
    queries: dict[str, tuple[Record, dict[str, Record]]] = field(default_factory=dict)
    rdflib_skipped: str = ""
    exports: tuple[Record, dict[str, Record]] = ({}, {})


def corpus_folder(cache: Path, size: int, seed: int) -> tuple[Path, float]:
    """The generated corpus for a size, made once and reused while bench/corpus.py is unchanged."""
    generator = HERE / "corpus.py"
    digest = hashlib.sha256(generator.read_bytes()).hexdigest()[:10]
    folder = cache / f"n{size}-seed{seed}-{digest}"
    marker = folder / ".complete"
    if marker.exists():
        return folder, 0.0
    if folder.exists():
        shutil.rmtree(folder)  # an earlier run stopped half-way through writing it
    sys.path.insert(0, str(HERE))
    from corpus import generate

    _, seconds = timed(lambda: generate(folder / "documents", size, seed))
    marker.write_text(json.dumps({"count": size, "seed": seed}))
    return folder, seconds


def progress(message: str) -> None:
    """A progress line on stderr, so stdout holds only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def query_names() -> list[str]:
    """The named queries, read from the .rq files without importing govgraph into the parent."""
    folder = HERE.parent / "queries"
    return sorted(p.stem for p in folder.glob("*.rq"))


def over_cap(results: dict[str, Record]) -> set[str]:
    """Queries that ran past the cap (and so will at any larger size)."""
    return {name for name, r in results.items() if r.get("timeout") or r.get("skipped")}


def measure_size(size: int, settings: argparse.Namespace, work: Path, previous: list[SizeResult],
                 smallest: bool) -> SizeResult:
    """Generate (or reuse) the corpus, build it, and run every measurement on the store."""
    result = SizeResult(size)
    progress(f"{size:,} documents: corpus")
    folder, result.corpus_s = corpus_folder(settings.cache, size, SEED)
    store = work / f"store-{size}"
    progress(f"{size:,} documents: build")
    options = ["--store", str(store), "--corpus", str(folder / "documents")]
    for name in ("workers", "batch"):
        if getattr(settings, name):
            options += [f"--{name}", str(getattr(settings, name))]
    result.build = one_result("build", options, timeout=4 * 3600)
    if "error" in result.build:
        return result
    progress(f"{size:,} documents: N-Quads parse rate")
    batch = result.build["quads_written"] // max(1, result.build["write_calls"])
    result.parse = one_result("parse", ["--store", str(store), "--batch-lines", str(batch)], timeout=3600)
    progress(f"{size:,} documents: related speeches")
    result.related = one_result("related", ["--store", str(store), "--lookups", str(settings.lookups)],
                                timeout=3600)
    surname = result.build.get("speaker", {}).get("name", "").split(" ")[-1]
    speech = result.build.get("speaker", {}).get("speech", "")
    names = query_names()
    for engine in ("embedded", "rdflib"):
        skip = set().union(*(over_cap(p.queries.get(engine, ({}, {}))[1]) for p in previous))
        if engine == "rdflib":
            result.rdflib_skipped = rdflib_skip_reason(result, previous)
            if result.rdflib_skipped:
                continue
        progress(f"{size:,} documents: {engine} queries")
        caps = rdflib_caps(result.queries["embedded"][1], settings.cap) if engine == "rdflib" else {}
        options = ["--store", str(store), "--engine", engine, "--cap", str(settings.cap), "--runs",
                   str(settings.runs), "--surname", surname, "--speech", speech,
                   "--skip", ",".join(sorted(skip)), "--caps", ",".join(f"{k}={v}" for k, v in caps.items())]
        result.queries[engine] = stream_items("queries", options, names, settings.cap, RDFLIB_LOAD_LIMIT,
                                              caps)
        if engine == "rdflib" and result.queries[engine][0].get("timed_out"):
            result.rdflib_skipped = f"loading took over {RDFLIB_LOAD_LIMIT / 60:.0f} min"
    drawings, dumps = (QUICK_DRAWINGS, QUICK_DUMPS) if settings.quick else (DRAWING_FORMATS, RDF_FORMATS)
    items = [*(drawings + dumps if smallest else ()), *(f"focus {f}" for f in drawings)]
    focus = result.build.get("speaker", {}).get("name", "")
    if focus:
        progress(f"{size:,} documents: exports")
        options = ["--store", str(store), "--focus", focus, "--items", ",".join(items)]
        result.exports = stream_items("export", options, items, settings.export_cap, 3600)
    if not settings.keep_stores:
        shutil.rmtree(store, ignore_errors=True)
    return result


def rdflib_skip_reason(result: SizeResult, previous: list[SizeResult]) -> str:
    """Why rdflib is not loaded at this size (too slow or too big, judged from a smaller size), or ""."""
    triples = result.build.get("triples", 0)
    for earlier in reversed(previous):
        ready = earlier.queries.get("rdflib", ({}, {}))[0]
        if "load_s" in ready and earlier.build.get("triples"):
            scale = triples / earlier.build["triples"]
            load_s, memory = ready["load_s"] * scale, ready.get("memory_mb", 0.0) * scale
            available = memory_available_mb()
            if load_s > RDFLIB_LOAD_LIMIT:
                return f"loading would take about {load_s / 60:.0f} min (scaled from {earlier.size:,})"
            if available and memory > 0.8 * available:
                return f"it would need about {memory / 1024:.1f} GB of the {available / 1024:.1f} GB free"
            return ""
    return ""


def memory_available_mb() -> float:
    """MemAvailable from /proc/meminfo, in MiB (0 if unknown)."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return 0.0


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], left: int = 1) -> str:
    """A plain-text table: the first `left` columns aligned left, the rest right."""
    widths = [max(len(str(c)) for c in column) for column in zip(headers, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(f"{c:<{w}}" if i < left else f"{c:>{w}}"
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def number(value: float) -> str:
    """A figure with three or so significant digits, thousands separated."""
    if value >= 100 or value == 0:
        return f"{value:,.0f}"
    return f"{value:.{1 if value >= 10 else 2 if value >= 1 else 3}f}"


def verdict(ok: bool) -> str:
    """PASS or MISS: reported, never an exit status."""
    return "PASS" if ok else "MISS"


def build_section(results: Sequence[SizeResult]) -> str:
    """Build throughput and memory, where the time goes, and store writes against raw parsing."""
    done = [r for r in results if "error" not in r.build]
    out = ["1. BUILD (govgraph.build in a fresh process, like `govgraph build DIR --no-validate`)", "",
           throughput_table(done), "", memory_table(done), "",
           "where the time goes, main process (the one that writes), seconds of wall time:",
           main_time_table(done), "", "where the time goes, workers (reading and extracting), CPU seconds:",
           worker_time_table(done), stage_note(done), "",
           "store writes against pyoxigraph on the same data (quads/s):", write_table(done), write_note()]
    for r in results:
        if "error" in r.build:
            out.append(f"\nbuild at {r.size:,} documents FAILED:\n{r.build['error']}")
        elif r.build["failures"] or r.build["not_instrumented"]:
            out.append(f"\nat {r.size:,}: {r.build['failures']} document(s) failed; not instrumented: "
                       f"{', '.join(r.build['not_instrumented']) or 'none'}")
    return "\n".join(out)


def cores_busy(build: Record) -> float:
    """CPU seconds of the main process and its workers over wall seconds: how many cores worked."""
    return (build["main_cpu_s"] + build["workers_cpu_s"]) / build["wall_s"]


def throughput_table(done: Sequence[SizeResult]) -> str:
    """Wall time, rates, cores used and the store's size on disk."""
    rows = [[f"{r.size:,}", number(b["wall_s"]), f"{b['documents'] / b['wall_s']:,.0f}", f"{b['triples']:,}",
             f"{b['triples'] / b['wall_s']:,.0f}", f"{b['quads']:,}", f"{cores_busy(b):.2f}",
             *(f"{b['disk'][kind] / 2**20:,.0f}" for kind in ("all", ".sst", ".log"))]
            for r in done for b in [r.build]]
    return "\n".join([table(["documents", "wall s", "docs/s", "triples", "triples/s", "quads", "cores busy",
                             "store MB", ".sst MB", ".log MB"], rows), *wrapped(
        "  triples = distinct triples in the store; quads = what it holds (each document graph's triples, "
        "and the default graph's deduplicated copy of their union); cores busy = CPU seconds of the "
        "process and its workers / wall seconds; store MB = allocated size of the store folder after "
        "closing (.log = RocksDB's write-ahead log, removed at the next open).")])


def memory_table(done: Sequence[SizeResult]) -> str:
    """Peak memory of the main process, a worker and all of them, and what each document adds."""
    rows, previous = [], None
    for r in done:
        b = r.build
        marginal = ""
        if previous:
            added = (b["main_peak_mb"] - previous.build["main_peak_mb"]) * 1024
            marginal = f"{added / (r.size - previous.size):,.1f}"
        rows.append([f"{r.size:,}", f"{b['baseline_mb']:,.0f}", f"{b['main_peak_mb']:,.0f}",
                     f"{b['worker_peak_mb']:,.0f}", f"{b['tree_peak_mb']:,.0f}", f"{per_document_kb(b):,.1f}",
                     marginal])
        previous = r
    notes = wrapped("  peak main = VmHWM of the building process; baseline = its RSS before the build; "
                    "KB/doc = (peak - baseline) / documents; KB/doc added = growth of the peak per extra "
                    "document since the size before; peak all = sampled sum of RSS over the process and "
                    "its workers (shared pages counted in each).")
    return "\n".join([table(["documents", "baseline MB", "peak main MB", "peak worker MB", "peak all MB",
                             "KB/doc", "KB/doc added"], rows), *notes])


def main_time_table(done: Sequence[SizeResult]) -> str:
    """The main process's wall time, split by what it was doing."""
    rows = []
    for r in done:
        b, clocks = r.build, r.build["clocks"]
        other = b["wall_s"] - sum(clocks.values()) - b["close_s"]
        rows.append([f"{r.size:,}", number(b["wall_s"]), number(clocks["wait"]), number(clocks["write"]),
                     number(clocks["vocabulary"]), number(clocks["links"]), number(b["close_s"]),
                     number(other), number(b["main_cpu_s"])])
    return table(["documents", "wall", "waiting for workers", "writes", "vocabulary", "links", "flush",
                  "other", "CPU"], rows)


def worker_time_table(done: Sequence[SizeResult]) -> str:
    """The workers' CPU time, measured, and estimated stage by stage from the sample."""
    rows = []
    for r in done:
        b = r.build
        estimate = {k: v * b["documents"] for k, v in b["sample"].get("per_document_s", {}).items()}
        stages = [number(estimate[k]) if k in estimate else "n/a" for k in ("read", "extract", "serialise",
                                                                            "shapes")]
        total = sum(estimate.values())
        workers = max(1, b["workers_seen"])
        rows.append([f"{r.size:,}", str(b["workers_seen"]), number(b["workers_cpu_s"]), *stages,
                     number(total) if estimate else "n/a", number(total / workers) if estimate else "n/a"])
    return table(["documents", "workers", "CPU measured", "est. read", "extract", "triples+nq", "shapes",
                  "est. sum", "est. sum/workers"], rows)


def write_table(done: Sequence[SizeResult]) -> str:
    """The build's write rate, pyoxigraph's raw parse rate and its own loads of the same quads."""
    rows = []
    for r in done:
        b, p = r.build, r.parse
        write_rate = b["quads_written"] / b["clocks"]["write"] if b["clocks"]["write"] else 0.0
        if "error" in p:
            rows.append([f"{r.size:,}", f"{b['quads_written']:,}", f"{write_rate:,.0f}", "failed"])
            continue
        parse_rate = p["quads"] / p["parse_s"]
        share = write_rate / parse_rate
        rows.append([f"{r.size:,}", f"{b['quads_written']:,}", str(b["write_calls"]), f"{write_rate:,.0f}",
                     f"{parse_rate:,.0f}", f"{share:.0%} {verdict(share >= TARGET_WRITE_SHARE)}",
                     f"{p['quads'] / p['load_s']:,.0f}", f"{p['quads'] / p['bulk_s']:,.0f}",
                     f"{p['quads'] / p['memory_s']:,.0f}" if "memory_s" in p else "-"])
    return table(["documents", "quads written", "batches", "build writes", "raw parse",
                  f"writes/parse (>= {TARGET_WRITE_SHARE:.0%})", "Store.load", "bulk_load", "in memory"],
                 rows)


def write_note() -> str:
    """What the write columns are."""
    return "\n".join(wrapped(
        "  build writes = quads through EmbeddedStore.put_nquads / its seconds; raw parse = pyoxigraph.parse "
        "over the store's N-Quads dump, no store; Store.load = that dump loaded into a new on-disk store in "
        "batches of the build's size, one transaction and a flush each (as a build into a store with data "
        "writes), nothing else running; bulk_load = Store.bulk_load of the whole dump into another new store "
        "(a first build bulk-loads its batches into a new store beside the empty one); in memory = "
        "Store().load of the dump into an in-memory store, parsing and indexing with no disk."))


def per_document_kb(build: Record) -> float:
    """Main-process memory the build added, per document, in KiB."""
    return (build["main_peak_mb"] - build["baseline_mb"]) * 1024 / max(1, build["documents"])


def stage_note(done: Sequence[SizeResult]) -> str:
    """How to read the two time tables, with any error of the sample."""
    notes = wrapped(
        "  waiting for workers = the main process blocked on the workers' next results (starting them "
        "included); writes = EmbeddedStore.put_nquads; vocabulary = the ontology graph; links = resolving "
        "references; flush = closing the store; other = the rest. CPU = user+system seconds (the workers' "
        f"summed). est. = {SAMPLE} documents evenly spread over the corpus, timed stage by stage in one "
        "process and scaled to all documents: read_document; extract_document; extraction_triples + "
        f"graph_nquads; validate_nquads per {SAMPLE_CHUNK} documents. est. sum / workers ~ the workers' "
        "wall time.")
    for r in done:
        sample = r.build["sample"]
        if "error" in sample:
            notes.append(f"  sample at {r.size:,} failed: {sample['error']}")
    return "\n".join(notes)


def build_targets(results: Sequence[SizeResult]) -> list[str]:
    """Verdicts on build time, store writes and memory growth."""
    done = {r.size: r for r in results if "error" not in r.build}
    lines = []
    if TARGET_BUILD_DOCS in done:
        b = done[TARGET_BUILD_DOCS].build
        cores = (b["main_cpu_s"] + b["workers_cpu_s"]) / b["wall_s"]
        lines.append(f"build of {TARGET_BUILD_DOCS:,} documents under {TARGET_BUILD_S:.0f} s using both "
                     f"cores: {b['wall_s']:.1f} s on {cores:.2f} cores busy "
                     f"{verdict(b['wall_s'] < TARGET_BUILD_S)}")
    else:
        lines.append(f"build of {TARGET_BUILD_DOCS:,} documents under {TARGET_BUILD_S:.0f} s: not measured")
    shares = []
    for r in done.values():
        if "error" not in r.parse and r.build["clocks"]["write"]:
            write_rate = r.build["quads_written"] / r.build["clocks"]["write"]
            shares.append((r.size, write_rate / (r.parse["quads"] / r.parse["parse_s"])))
    if shares:
        worst = min(share for _, share in shares)
        listed = ", ".join(f"{share:.0%} at {size:,}" for size, share in shares)
        lines.append(f"store writes at least {TARGET_WRITE_SHARE:.0%} of pyoxigraph's raw parse rate: "
                     f"{listed} {verdict(worst >= TARGET_WRITE_SHARE)}")
    lines.append(memory_verdict(done))
    return lines


def memory_verdict(done: dict[int, SizeResult]) -> str:
    """Linear or better: what each extra document adds does not grow (from three sizes, else per document)."""
    sizes = sorted(done)
    target = f"memory growing at most linearly (within {TARGET_MEMORY_GROWTH}x)"
    if len(sizes) < 2:
        return f"{target}: needs two sizes or more"
    peaks = {s: done[s].build["main_peak_mb"] * 1024 for s in sizes}
    if len(sizes) >= 3:
        rates = [(b, (peaks[b] - peaks[a]) / (b - a)) for a, b in itertools.pairwise(sizes)]
        listed = ", ".join(f"{rate:,.1f} KB/doc up to {size:,}" for size, rate in rates)
        ok = rates[-1][1] <= TARGET_MEMORY_GROWTH * max(rates[0][1], 1.0)
        return f"{target}: added per document {listed} {verdict(ok)}"
    per_doc = {s: per_document_kb(done[s].build) for s in sizes}
    listed = ", ".join(f"{kb:,.1f} KB/doc at {s:,}" for s, kb in per_doc.items())
    ok = per_doc[sizes[-1]] <= TARGET_MEMORY_GROWTH * per_doc[sizes[0]]
    return f"{target}: main process {listed} {verdict(ok)} (two sizes: fixed costs flatter the larger)"


def milliseconds(record: Record | None, cap: float, runs: int) -> str:
    """A query's median in ms, "~" when fewer runs fitted in the cap, or why there is none."""
    if record is None:
        return "not run"
    if record.get("skipped"):
        return f"> {cap:.0f} s*"
    if record.get("timeout"):
        return f"> {record.get('cap', cap):.0f} s"
    if "error" in record:
        return "error"
    ms = statistics.median(record["times"]) * 1000
    return ("~" if len(record["times"]) < runs else "") + number(ms)


def ratio(embedded: Record | None, rdflib: Record | None, cap: float) -> tuple[str, float | None]:
    """rdflib time over embedded time; a lower bound ("> Nx") when rdflib ran past its cap."""
    if not embedded or not rdflib or "times" not in embedded:
        return "", None
    mine = statistics.median(embedded["times"])
    if rdflib.get("timeout") or rdflib.get("skipped"):
        bound = rdflib.get("cap", cap) / mine
        return f"> {bound:,.0f}x", bound
    if "times" not in rdflib:
        return "", None
    value = statistics.median(rdflib["times"]) / mine
    return (f"{value:,.1f}x" if value < 100 else f"{value:,.0f}x"), value


def query_section(results: Sequence[SizeResult], cap: float, runs: int) -> tuple[str, dict[int, list[str]]]:
    """One table per size: each named query on the embedded store and on rdflib, and their ratio."""
    out = ["2. NAMED QUERIES (median ms of the timed runs after one warm-up; rdflib/embedded ratio)", ""]
    slow: dict[int, list[str]] = {}
    for r in results:
        if "embedded" not in r.queries:
            continue
        embedded = r.queries["embedded"][1]
        rdflib_ready, rdflib = r.queries.get("rdflib", ({}, {}))
        if r.rdflib_skipped:
            out.append(f"at {r.size:,} documents rdflib was not run: {r.rdflib_skipped}")
        elif "error" in rdflib_ready:
            out.append(f"at {r.size:,} documents rdflib failed to load: {rdflib_ready['error']}")
        elif rdflib_ready:
            out.append(f"at {r.size:,} documents rdflib loaded {rdflib_ready['triples']:,} distinct triples "
                       f"(related speeches materialised) in {rdflib_ready['load_s']:.1f} s, using "
                       f"{rdflib_ready['memory_mb']:,.0f} MB")
        rows, slow[r.size] = [], []
        for name in query_names():
            mine, theirs = embedded.get(name), rdflib.get(name) if rdflib else None
            shown, value = ratio(mine, theirs, cap)
            if value is None or value < TARGET_QUERY_RATIO:
                slow[r.size].append(name)
            rows_mine = str(mine.get("rows", "")) if mine else ""
            rows_theirs = str(theirs.get("rows", "")) if theirs else ""
            same = "" if not (rows_mine and rows_theirs) or rows_mine == rows_theirs else " differ"
            rows.append([name, rows_mine, f"{rows_theirs}{same}", milliseconds(mine, cap, runs),
                         milliseconds(theirs, cap, runs) if rdflib else "not run", shown])
        out.append(table([f"query ({r.size:,} documents)", "rows", "rdflib rows", "embedded ms", "rdflib ms",
                          "ratio"], rows))
        errors = [f"  {name}: {rec['error']}" for engine in r.queries.values()
                  for name, rec in engine[1].items() if "error" in rec]
        out += ["errors:", *errors] if errors else []
        out.append("")
    surnames = ", ".join(f"{r.build['speaker']['name'].split()[-1]} at {r.size:,}"
                         for r in results if r.build.get("speaker"))
    out += wrapped(f"  parameters: each query's # Example, except the real speakers "
                   f"{' and '.join(REAL_SPEAKERS)} (absent from the synthetic corpus), replaced by the "
                   f"surname of the corpus' most frequent speaker ({surnames or 'none'}), or, for a "
                   f"`speech` parameter (one speech), by the IRI of that speaker's first speech.")
    out += wrapped(
        f"  ~ = fewer than {runs} timed run(s) fitted in the {cap:.0f} s cap (or the warm-up was the only "
        f"run); > {cap:.0f} s = stopped at the cap; > {cap:.0f} s* = not run, over the cap at a smaller "
        f"size; > Nx = a lower bound. rdflib's cap for a query is raised to {CAP_MARGIN:.0f}x the store's "
        f"median (up to {MAX_CAP_FACTOR * cap:.0f} s), so that a bound under {TARGET_QUERY_RATIO:.0f}x is "
        "not only the cap's doing. rdflib holds the same quads in an rdflib.Dataset whose default graph is "
        "their union (store.to_graph() would drop the named graphs that `documents` asks for); \"differ\" "
        "marks a query whose row counts differ between the two.")
    out.append("")
    return "\n".join(out), slow


def query_targets(results: Sequence[SizeResult], slow: dict[int, list[str]]) -> list[str]:
    """The 10x target at 50,000 documents, and how the largest measured size compares."""
    measured = [r.size for r in results if r.size in slow and "rdflib" in r.queries]
    total = len(query_names())
    line = (f"every named query at {TARGET_QUERY_DOCS:,} speeches at least {TARGET_QUERY_RATIO:.0f}x faster "
            "than rdflib")
    if TARGET_QUERY_DOCS in measured:
        names = slow[TARGET_QUERY_DOCS]
        lines = [f"{line}: {total - len(names)} of {total} {verdict(not names)}"]
    else:
        lines = [f"{line}: not measured"]
        if not measured:
            return lines
        names = slow[max(measured)]
        lines.append(f"  at {max(measured):,} (the largest measured): {total - len(names)} of {total} at "
                     f"{TARGET_QUERY_RATIO:.0f}x or more")
    if names:
        lines += wrapped(f"  below {TARGET_QUERY_RATIO:.0f}x or unknown: {', '.join(names)}", indent="    ")
    return lines


def wrapped(text: str, indent: str = "  ", width: int = 108) -> list[str]:
    """A long line broken at spaces, continuation lines indented."""
    return textwrap.wrap(text, width=width, subsequent_indent=indent, break_on_hyphens=False)


def related_section(results: Sequence[SizeResult]) -> str:
    """Lookup and all-pairs figures per size."""
    rows = []
    for r in results:
        x = r.related
        if not x or "error" in x:
            rows.append([f"{r.size:,}", "failed", "", "", "", "", "", ""])
            continue
        rows.append([f"{r.size:,}", number(x["snapshot_s"]), number(x["index_s"]), number(x["lookup_ms"]),
                     number(x["pairs_s"]), f"{x['delta_mb']:,.0f}", f"{x['peak_mb']:,.0f}",
                     number(x["materialise_s"])])
    out = ["3. RELATED SPEECHES (on the built store's snapshot; top 10)", "",
           table(["documents", "snapshot s", "index s", "lookup ms", "all-pairs s", "peak MB",
                  "process peak MB", "materialise s"], rows),
           *wrapped("  lookup = RelatedIndex.related, median of the lookups with the index built; peak MB = "
                    "the child's peak RSS minus its RSS after reading the snapshot (index + lookups + all "
                    "pairs); materialise = materialise_related (top 5 into the store, before the queries "
                    "run).")]
    errors = [f"  at {r.size:,}: {r.related.get('error')}" for r in results if "error" in r.related]
    return "\n".join(out + errors)


def related_targets(results: Sequence[SizeResult]) -> list[str]:
    """Lookup under 100 ms at every size; all pairs at 50,000 under 30 s and 1.5 GB."""
    done = {r.size: r.related for r in results if r.related and "error" not in r.related}
    lines = []
    if done:
        worst = max(x["lookup_ms"] for x in done.values())
        lines.append(f"one related lookup under {TARGET_LOOKUP_MS:.0f} ms: at most {worst:.1f} ms "
                     f"{verdict(worst < TARGET_LOOKUP_MS)}")
    if TARGET_PAIRS_DOCS in done:
        x = done[TARGET_PAIRS_DOCS]
        seconds = x["index_s"] + x["pairs_s"]
        lines.append(f"all pairs at {TARGET_PAIRS_DOCS:,} under {TARGET_PAIRS_S:.0f} s and "
                     f"{TARGET_PAIRS_MB / 1024:.1f} GB: index + all pairs {seconds:.1f} s "
                     f"{verdict(seconds < TARGET_PAIRS_S)}, process peak {x['peak_mb']:,.0f} MB "
                     f"{verdict(x['peak_mb'] < TARGET_PAIRS_MB)}")
    else:
        lines.append(f"all pairs at {TARGET_PAIRS_DOCS:,}: not measured (bench/related.py measures it on a "
                     "synthetic snapshot)")
    return lines


def export_section(results: Sequence[SizeResult], cap: float) -> str:
    """Seconds per export format at the smallest size, and per focus drawing at every size."""
    out = ["4. EXPORTS (seconds, from a snapshot already read; drawings include their layout)", ""]
    items = [*DRAWING_FORMATS, *RDF_FORMATS]
    columns = [r for r in results if r.exports[1] or r.exports[0]]
    rows = []
    for item in [*items, *(f"focus {f}" for f in DRAWING_FORMATS)]:
        cells = []
        for r in columns:
            record = r.exports[1].get(item)
            if record is None:
                cells.append("")
            elif record.get("timeout"):
                cells.append(f"> {cap:.0f} s")
            elif "error" in record:
                cells.append("error")
            else:
                cells.append(f"{number(record['seconds'])} ({record['bytes'] / 2**20:,.1f} MB)")
        if any(cells):
            rows.append([item, *cells])
    out.append(table(["format", *(f"{r.size:,} documents" for r in columns)], rows))
    speakers = [f"{r.size:,}: {r.build['speaker']['name']} ({r.build['speaker']['speeches']} speeches, "
                f"{r.exports[0].get('focus_graph', {}).get('nodes', '?')} nodes, "
                f"{r.exports[0].get('focus_graph', {}).get('edges', '?')} edges)"
                for r in columns if r.build.get("speaker")]
    out += wrapped("  focus = Drawing(focus=<the most frequent speaker>, depth=1): " + "; ".join(speakers))
    out.append(f"  drawings above {cap:.0f} s are killed and shown as > {cap:.0f} s.")
    errors = [f"  {r.size:,} {item}: {rec['error']}" for r in columns for item, rec in r.exports[1].items()
              if "error" in rec]
    errors += [f"  {r.size:,}: {r.exports[0]['error']}" for r in columns if "error" in r.exports[0]]
    return "\n".join(out + errors)


def header(settings: argparse.Namespace, sizes: Sequence[int]) -> str:
    """What was measured, on what machine, and how to read it."""
    import pyoxigraph
    import rdflib

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"""{__doc__.split(chr(10) + chr(10))[0].strip()}

machine:  {os.cpu_count()} CPUs, {memory_total_gb():.0f} GB, {platform.python_implementation()} \
{platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}; \
load average at start {load}
corpus:   {", ".join(f"{s:,}" for s in sizes)} documents from bench/corpus.py (seed {SEED}), cached in \
{settings.cache}
code:     {code_version()}
build:    workers {settings.workers or "default (one per core)"}, batch {settings.batch or "default"}
limits:   queries: warm-up + up to {settings.runs} run(s), {settings.cap:.0f} s cap; exports: \
{settings.export_cap:.0f} s cap
timing:   a shared {os.cpu_count()}-core machine: absolute times are noisy (tens of percent between runs), \
read the ratios
"""


def code_version() -> str:
    """The commit measured, and whether src/ had uncommitted changes (they are measured too)."""
    root = HERE.parent
    try:
        commit = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%h %s"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "src"], capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return f"{commit[:90]}" + (" (+ uncommitted changes in src/)" if dirty else "")


def memory_total_gb() -> float:
    """MemTotal in GiB."""
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return 0.0


def report(results: Sequence[SizeResult], settings: argparse.Namespace) -> str:
    """The four sections and the targets."""
    corpus = [f"{r.size:,}: {r.build['stats'].get('speeches', 0):,} speeches, "
              f"{r.build['stats'].get('speakers', 0):,} speakers, {r.build['stats'].get('events', 0):,} "
              f"events, {r.build['links']:,} links"
              + (f" (corpus generated in {r.corpus_s:.1f} s)" if r.corpus_s else " (corpus from the cache)")
              for r in results if "stats" in r.build]
    queries, slow = query_section(results, settings.cap, settings.runs)
    lines = ["built:    " + "\n          ".join(corpus), "", build_section(results), "", queries,
             related_section(results), "", export_section(results, settings.export_cap), "",
             "TARGETS (PASS/MISS is reported, never an exit failure)",
             *(f"  {line}" for line in build_targets(results) + query_targets(results, slow)
               + related_targets(results))]
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Options for a run, and the hidden ones a child gets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"document counts ({DEFAULT_SIZES})")
    parser.add_argument("--quick", action="store_true",
                        help=f"smoke run: {QUICK_SIZE} documents, 1 s query cap, 1 run, fewer exports")
    parser.add_argument("--cap", type=float, help="seconds a query run may take (30; 1 with --quick)")
    parser.add_argument("--export-cap", type=float, help="seconds an export may take (120; 15 with --quick)")
    parser.add_argument("--runs", type=int, help=f"timed runs per query after the warm-up ({RUNS})")
    parser.add_argument("--workers", type=int, help="build workers (default: one per core)")
    parser.add_argument("--batch", type=int, help="documents per write transaction (govgraph's default)")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "govgraph-bench-corpus",
                        help="folder for the generated corpora")
    parser.add_argument("--keep-stores", action="store_true", help="keep the built stores (path printed)")
    for hidden in ("--child", "--store", "--corpus", "--engine", "--surname", "--speech", "--skip", "--focus",
                   "--items", "--caps"):
        parser.add_argument(hidden, default="", help=argparse.SUPPRESS)
    parser.add_argument("--start", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--lookups", type=int, default=LOOKUPS, help=argparse.SUPPRESS)
    parser.add_argument("--batch-lines", type=int, default=150_000, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.cap = args.cap or (1.0 if args.quick else 30.0)
    args.export_cap = args.export_cap or (15.0 if args.quick else 120.0)
    args.runs = args.runs or (1 if args.quick else RUNS)
    if args.quick:
        args.lookups = 5
    return args


def main(argv: Sequence[str] | None = None) -> None:
    """Measure every size in its own child processes, then print the report."""
    args = parse_args(argv)
    if args.child:
        CHILDREN[args.child](args, Channel())
        return
    sizes = [QUICK_SIZE] if args.quick else sorted({int(s.replace("_", "")) for s in args.sizes.split(",")
                                                    if s.strip()})
    print(header(args, sizes), flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so the finally below still cleans up
    work = Path(tempfile.mkdtemp(prefix="govgraph-bench-"))
    started = time.perf_counter()
    results: list[SizeResult] = []
    try:
        for size in sizes:
            results.append(measure_size(size, args, work, results, smallest=size == sizes[0]))
    finally:
        for child in list(LIVE):
            child.stop()
        if args.keep_stores:
            print(f"stores kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(results, args))
    print(f"\nthe whole run took {(time.perf_counter() - started) / 60:.1f} min")


if __name__ == "__main__":
    main()
