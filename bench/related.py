"""All-pairs related speeches: govgraph's sparse model vs the naive networkx Jaccard approach.

    python bench/related.py [--sizes 1000,10000,50000] [--top 10] [--naive-max 10000]

A seeded synthetic Snapshot (skewed themes, pressures, departments, speakers, events, a few
explicit links and a short text per speech) is built in memory, with no store, at each size. Every
measurement runs in its own subprocess, so its peak memory is its own: the peak RSS of that child
(getrusage ru_maxrss) minus a baseline taken after it has generated the snapshot and imported
everything, and the child's absolute peak as well. The parent only imports and generates nothing:
Linux carries the parent's high-water mark into a spawned child's ru_maxrss, so it must stay small.

- govgraph: `RelatedIndex(snapshot)` then `.all_pairs(top)`, timed apart;
- naive:    a networkx bipartite graph speeches x (themes + pressures + departments), then
            `nx.jaccard_coefficient` over all N(N-1)/2 speech pairs, top-k per speech by heapq;
            above --naive-max it is not run and its time is extrapolated quadratically;
- lookup:   `RelatedIndex.related(speech, top)` for one speech, median of 20 calls, index built.
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx
import numpy as np
import scipy
import sklearn
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from govgraph.related import RelatedIndex
from govgraph.snapshot import FEATURE_KINDS, Snapshot

SEED = 42
ID = "https://w3id.org/govgraph/id/"
LOOKUPS = 20
CHUNK = 2000  # speeches generated at a time, so generating does not set the memory baseline
TARGET_SPEECHES, TARGET_SECONDS, TARGET_MB, TARGET_LOOKUP_MS = 50_000, 30.0, 1.5 * 1024, 100.0
FEATURES_ONLY = {"text": 0.0, "speaker": 0.0, "event": 0.0, "follows": 0.0, "refers": 0.0}

TOPICS = (
    "housing", "energy", "health", "schools", "transport", "policing", "prisons", "welfare", "skills",
    "climate", "digital", "borders", "defence", "trade", "farming", "water", "courts", "pensions",
    "childcare", "science",
)
ASPECTS = ("reform", "funding", "delivery", "workforce")
PRESSURES = ("fiscal", "workforce", "demand", "political", "technology")
FIRST_NAMES = (
    "Alice", "Amara", "Bilal", "Chloe", "Daniel", "Elena", "Farah", "George", "Hannah", "Imran",
    "Joanna", "Kwame", "Laura", "Mohammed", "Niamh", "Oliver", "Priya", "Rhys", "Sofia", "Tomasz",
)
LAST_NAMES = (
    "Adeyemi", "Brennan", "Campbell", "Dawson", "Evans", "Fletcher", "Gallagher", "Hughes",
    "Iqbal", "Jenkins", "Kowalski", "Lindqvist", "Murray", "Nakamura", "Okafor", "Patel",
    "Quinn", "Reid", "Singh", "Whitfield",
)
T = TypeVar("T")


# ---------------------------------------------------------------------------
# The synthetic snapshot
# ---------------------------------------------------------------------------


def zipf(rng: np.random.Generator, count: int, exponent: float = 1.1) -> np.ndarray:
    """Zipf probabilities in a seeded random order, so a few items dominate but which ones is fixed."""
    weights = 1.0 / np.arange(1, count + 1) ** exponent
    return rng.permutation(weights / weights.sum())


def draw_sets(rng: np.random.Generator, p: np.ndarray, counts: np.ndarray) -> list[list[int]]:
    """Per row, counts[i] distinct items drawn with probabilities p (Gumbel top-k, rows in chunks)."""
    rows: list[list[int]] = []
    for start in range(0, len(counts), CHUNK):
        chunk = counts[start : start + CHUNK]
        order = np.argsort(-(np.log(p) + rng.gumbel(size=(len(chunk), len(p)))), axis=1)
        rows.extend(order[i, :c].tolist() for i, c in enumerate(chunk))
    return rows


def vocabulary(rng: np.random.Generator, size: int = 5000) -> list[str]:
    """Pseudo-words of two to three syllables: letters only, no English stop words, all distinct."""
    syllables = [c + v for c in "bcdfghklmnprstvz" for v in "aeiou"]
    words: dict[str, None] = {}
    while len(words) < size:
        parts = rng.integers(0, len(syllables), size=rng.integers(2, 4))
        word = "".join(syllables[p] for p in parts)
        if word not in ENGLISH_STOP_WORDS:
            words.setdefault(word)
    return list(words)


def synthetic_snapshot(n: int, seed: int = SEED) -> Snapshot:
    """N speeches with skewed features, speakers, events, links and texts: the same for the same seed."""
    rng = np.random.default_rng(seed)
    themes = [f"{ID}theme/t{k:02d}" for k in range(1, len(TOPICS) * len(ASPECTS) + 1)]
    theme_words = [f"{t} {a}" for t in TOPICS for a in ASPECTS]
    pressures = [f"{ID}pressure/{p}" for p in PRESSURES]
    departments = [f"{ID}organisation/d{k:03d}" for k in range(1, 121)]
    department_names = [f"Department for {a.title()} and {b.title()}"
                        for a, b in itertools.permutations(TOPICS, 2)][: len(departments)]
    speakers = [f"{ID}person/p{k:05d}" for k in range(1, max(2, n // 8) + 1)]
    events = [f"{ID}event/e{k:05d}" for k in range(1, max(2, n // 3) + 1)]
    speeches = [f"{ID}speech/s{k:06d}" for k in range(1, n + 1)]

    theme_rows = draw_sets(rng, zipf(rng, len(themes)), rng.integers(3, 9, n))
    pressure_rows = draw_sets(rng, zipf(rng, len(pressures), 1.5),
                              rng.choice(4, n, p=[0.25, 0.35, 0.25, 0.15]))
    department_rows = draw_sets(rng, zipf(rng, len(departments)),
                                rng.choice([1, 2, 3, 4], n, p=[0.45, 0.3, 0.15, 0.1]))
    speaker_p = zipf(rng, len(speakers), 0.8)
    first, second = rng.choice(len(speakers), n, p=speaker_p), rng.choice(len(speakers), n, p=speaker_p)
    co_speaker = rng.random(n) < 0.05
    event_of = rng.choice(len(events), n, p=zipf(rng, len(events), 0.5))
    no_event = rng.random(n) < 0.02
    days = (np.datetime64("2010-01-01") + rng.integers(0, 15 * 365, n)).astype(str)

    features = {
        "themes": [frozenset(themes[t] for t in row) for row in theme_rows],
        "pressures": [frozenset(pressures[p] for p in row) for row in pressure_rows],
        "departments": [frozenset(departments[d] for d in row) for row in department_rows],
    }
    labels = dict(zip(themes, theme_words, strict=True))
    labels.update(zip(pressures, (f"{p} pressure" for p in PRESSURES), strict=True))
    labels.update(zip(departments, department_names, strict=True))
    labels.update((s, f"{FIRST_NAMES[k % 20]} {LAST_NAMES[k // 20 % 20]}") for k, s in enumerate(speakers))
    labels.update((e, f"Event {k + 1}") for k, e in enumerate(events))
    titles = [f"Speech {i + 1}: {theme_words[row[0]]}" for i, row in enumerate(theme_rows)]
    labels.update(zip(speeches, titles, strict=True))
    kinds = dict.fromkeys(speeches, "speech")
    for kind, iris in (("theme", themes), ("pressure", pressures), ("department", departments),
                       ("speaker", speakers), ("event", events)):
        kinds.update(dict.fromkeys(iris, kind))
    return Snapshot(
        speeches=speeches,
        titles=titles,
        dates=days.tolist(),
        features=features,
        speakers=[frozenset({speakers[a], speakers[b]} if co else {speakers[a]})
                  for a, b, co in zip(first.tolist(), second.tolist(), co_speaker.tolist(), strict=True)],
        events=[None if none else events[e] for e, none in zip(event_of.tolist(), no_event.tolist(),
                                                               strict=True)],
        texts=list(synthetic_texts(rng, theme_rows, theme_words)),
        links=synthetic_links(rng, n),
        labels=labels,
        kinds=kinds,
    )


def synthetic_texts(rng: np.random.Generator, theme_rows: list[list[int]],
                    theme_words: Sequence[str]) -> Iterator[str]:
    """60-150 Zipf-skewed pseudo-words per speech plus its themes' labels, so TF-IDF has work to do."""
    words = vocabulary(rng)
    p = zipf(rng, len(words), 1.0)
    lengths = rng.integers(60, 151, len(theme_rows))
    for start in range(0, len(theme_rows), CHUNK):  # in chunks: the draw stays small next to the snapshot
        sizes = lengths[start : start + CHUNK]
        drawn = rng.choice(len(words), int(sizes.sum()), p=p).tolist()
        ends = np.cumsum(sizes).tolist()
        for row, begin, end in zip(theme_rows[start : start + CHUNK], [0, *ends[:-1]], ends, strict=True):
            text = " ".join(words[w] for w in drawn[begin:end])
            yield f"{text}. {', '.join(theme_words[t] for t in row)}."


def synthetic_links(rng: np.random.Generator, n: int) -> list[tuple[int, int, str]]:
    """About 2% of speeches follow or refer to an earlier one, usually a recent one."""
    sources = rng.choice(np.arange(1, n), size=round(0.02 * n), replace=False) if n > 1 else []
    links = {(int(i), int(i - rng.integers(1, min(i, 500) + 1)), str(rng.choice(["follows", "refers"])))
             for i in sources}
    return sorted(links)


# ---------------------------------------------------------------------------
# The measurements (each in its own child process)
# ---------------------------------------------------------------------------


def peak_mb() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(func: Callable[[], T]) -> tuple[T, float]:
    """The result of func and the seconds it took."""
    start = time.perf_counter()
    result = func()
    return result, time.perf_counter() - start


def naive_top(snapshot: Snapshot, top: int) -> np.ndarray:
    """Top-k speeches by Jaccard of their feature sets, the way one would write it with networkx."""
    n = len(snapshot)
    graph = nx.Graph()
    graph.add_nodes_from(range(n), bipartite=0)
    graph.add_edges_from((i, feature) for kind in FEATURE_KINDS
                         for i, row in enumerate(snapshot.features[kind]) for feature in row)
    heaps: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    # networkx walks the ebunch twice (it checks every node first), so it must be re-iterable;
    # this view is, without holding N(N-1)/2 tuples in memory.
    pairs = AllPairs(n)
    for u, v, p in nx.jaccard_coefficient(graph, pairs):
        for a, b in ((u, v), (v, u)):
            heap = heaps[a]
            if len(heap) < top:
                heapq.heappush(heap, (p, -b))
            elif (p, -b) > heap[0]:
                heapq.heapreplace(heap, (p, -b))
    return np.array([[-b for _, b in sorted(heap, reverse=True)] for heap in heaps], dtype=np.int32)


class AllPairs:
    """Every unordered pair of 0..n-1, lazily, as often as it is iterated."""

    def __init__(self, n: int) -> None:
        self.n = n

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return itertools.combinations(range(self.n), 2)


def run_govgraph(snapshot: Snapshot, top: int) -> dict[str, Any]:
    """Index build and all-pairs, timed apart: the index is built once and serves lookups too."""
    index, index_s = timed(lambda: RelatedIndex(snapshot))
    _, pairs_s = timed(lambda: index.all_pairs(top))
    return {"index_s": index_s, "pairs_s": pairs_s}


def run_naive(snapshot: Snapshot, top: int, out: str | None) -> dict[str, Any]:
    """The networkx method, its neighbours saved for the quality check when asked."""
    neighbours, seconds = timed(lambda: naive_top(snapshot, top))
    if out:
        np.save(out, neighbours)
    return {"naive_s": seconds}


def run_lookup(snapshot: Snapshot, top: int) -> dict[str, Any]:
    """Median time of one explained lookup: what a user waits for once the index is built."""
    index = RelatedIndex(snapshot)
    speech = snapshot.speeches[len(snapshot) // 2]
    times = [timed(lambda: index.related(speech, top))[1] for _ in range(LOOKUPS)]
    return {"lookup_ms": statistics.median(times) * 1000}


def run_quality(snapshot: Snapshot, top: int, naive_file: str) -> dict[str, Any]:
    """Whether both methods, on the same features, find similar neighbours: a sanity check, not a test."""
    naive = np.load(naive_file)
    n = len(snapshot)
    others = np.random.default_rng(SEED).integers(0, n, size=(10 * n, 2))
    others = others[others[:, 0] != others[:, 1]]
    ours, _ = RelatedIndex(snapshot, weights=FEATURES_ONLY).all_pairs(top)
    columns = zip(*(snapshot.features[k] for k in FEATURE_KINDS), strict=True)
    sets = [frozenset().union(*row) for row in columns]

    def jaccard(a: int, b: int) -> float:
        return len(sets[a] & sets[b]) / (len(sets[a] | sets[b]) or 1)

    pairs = zip(naive.tolist(), ours.tolist(), strict=True)
    return {
        "overlap": statistics.fmean(len(set(a) & set(b)) / len(set(a) | set(b)) for a, b in pairs),
        "naive_jaccard": statistics.fmean(jaccard(i, j) for i, row in enumerate(naive.tolist()) for j in row),
        "ours_jaccard": statistics.fmean(jaccard(i, j) for i, row in enumerate(ours.tolist()) for j in row),
        "random_jaccard": statistics.fmean(jaccard(int(i), int(j)) for i, j in others),
    }


def child(args: argparse.Namespace) -> None:
    """One measurement: generate, take the baseline, run, print the result as one JSON line."""
    snapshot, generate_s = timed(lambda: synthetic_snapshot(args.size))
    RelatedIndex(synthetic_snapshot(3, seed=1))  # loads sklearn's TF-IDF now, not inside the measurement
    baseline = peak_mb()
    runs: dict[str, Callable[[], dict[str, Any]]] = {
        "govgraph": lambda: run_govgraph(snapshot, args.top),
        "naive": lambda: run_naive(snapshot, args.top, args.out),
        "lookup": lambda: run_lookup(snapshot, args.top),
        "quality": lambda: run_quality(snapshot, args.top, args.out),
    }
    result = runs[args.child]()
    peak = peak_mb()
    print(json.dumps({**result, "generate_s": generate_s, "baseline_mb": baseline, "peak_mb": peak,
                      "delta_mb": peak - baseline}))


def measure(kind: str, size: int, top: int, out: str | None = None) -> dict[str, Any]:
    """Run one measurement in a fresh Python process and read back its JSON line."""
    print(f"  {kind} at {size:,} speeches ...", file=sys.stderr, flush=True)
    command = [sys.executable, __file__, "--child", kind, "--size", str(size), "--top", str(top)]
    done = subprocess.run(command + (["--out", out] if out else []), capture_output=True, text=True,
                          check=False)
    if done.returncode:
        raise SystemExit(f"the {kind} run at {size:,} speeches failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


COLUMNS = (("speeches", 10), ("govgraph index s", 18), ("govgraph all-pairs s", 22),
           ("govgraph peak MB", 18), ("naive s", 14), ("naive peak MB", 15),
           ("speed-up", 14), ("lookup ms", 11))


def table_row(cells: Sequence[str]) -> str:
    """Cells right-aligned under the column headings."""
    return "".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


def size_row(size: int, ours: dict[str, Any], naive: dict[str, Any] | None,
             estimate: float | None, lookup: dict[str, Any]) -> str:
    """One table line; naive values that were extrapolated rather than measured say "est."."""
    total = ours["index_s"] + ours["pairs_s"]
    if naive:
        naive_s, naive_mb = f"{naive['naive_s']:,.4g}", f"{naive['delta_mb']:.0f}"
        speed_up = f"{naive['naive_s'] / total:,.0f}x"
    elif estimate:
        naive_s, naive_mb, speed_up = f"{estimate:,.4g} est.", "not run", f"{estimate / total:,.0f}x est."
    else:
        naive_s = naive_mb = speed_up = "not run"
    return table_row([f"{size:,}", f"{ours['index_s']:.3g}", f"{ours['pairs_s']:.3g}",
                      f"{ours['delta_mb']:.0f}", naive_s, naive_mb, speed_up, f"{lookup['lookup_ms']:.3g}"])


def verdict(value: float, limit: float) -> str:
    """PASS or MISS against a target: reported, never an exit status."""
    return "PASS" if value < limit else "MISS"


def targets(results: dict[int, dict[str, dict[str, Any]]]) -> str:
    """The project's targets, and whether this run met them at 50,000 speeches."""
    line = (f"targets (project issue): all-pairs at {TARGET_SPEECHES:,} speeches under {TARGET_SECONDS:.0f} s"
            f" and {TARGET_MB / 1024:.1f} GB; one lookup under {TARGET_LOOKUP_MS:.0f} ms.")
    if TARGET_SPEECHES not in results:
        return f"{line}\nthis run: not measured (add {TARGET_SPEECHES} to --sizes)"
    ours, lookup = results[TARGET_SPEECHES]["govgraph"], results[TARGET_SPEECHES]["lookup"]
    seconds = ours["index_s"] + ours["pairs_s"]
    return (f"{line}\nthis run: index + all-pairs {seconds:.1f} s {verdict(seconds, TARGET_SECONDS)}, "
            f"peak RSS {ours['peak_mb']:,.0f} MB {verdict(ours['peak_mb'], TARGET_MB)} (whole process), "
            f"lookup {lookup['lookup_ms']:.1f} ms {verdict(lookup['lookup_ms'], TARGET_LOOKUP_MS)}")


def print_header(sizes: Sequence[int], top: int, naive_max: int) -> None:
    """Say what is measured and how to read it, before the numbers."""
    print(__doc__.split("\n\n")[0].strip())
    print(f"""
machine:  {os.cpu_count()} CPUs, {platform.python_implementation()} {platform.python_version()}, \
numpy {np.__version__}, scipy {scipy.__version__}, scikit-learn {sklearn.__version__}, \
networkx {nx.__version__}
corpus:   synthetic snapshots of {", ".join(f"{s:,}" for s in sizes)} speeches (seed {SEED}), top {top}
naive:    run up to {naive_max:,} speeches; above, its time is extrapolated quadratically ("est.")
memory:   peak MB = the child's peak RSS minus its baseline after generating the snapshot (MiB)
speed-up: naive s / (govgraph index s + all-pairs s)
timing:   one run per cell on a shared machine: absolute times are noisy, compare the ratios
""")


def main(argv: Sequence[str] | None = None) -> None:
    """Measure every size in its own processes, then print the table, the memory and the targets."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="speech counts (1000,10000,50000)")
    parser.add_argument("--top", type=int, default=10, help="neighbours per speech (10)")
    parser.add_argument("--naive-max", type=int, default=10_000, help="largest size the naive method runs at")
    parser.add_argument("--child", choices=("govgraph", "naive", "lookup", "quality"), help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args)
        return
    sizes = sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    print_header(sizes, args.top, args.naive_max)

    results: dict[int, dict[str, dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        naive_file = str(Path(tmp) / "naive.npy")
        for size in sizes:
            results[size] = {"govgraph": measure("govgraph", size, args.top),
                             "lookup": measure("lookup", size, args.top)}
            if size <= args.naive_max:
                out = naive_file if size == sizes[0] else None
                results[size]["naive"] = measure("naive", size, args.top, out)
        quality = measure("quality", sizes[0], args.top, naive_file) if "naive" in results[sizes[0]] else None

    measured = [s for s in sizes if "naive" in results[s]]
    print(table_row([name for name, _ in COLUMNS]))
    print("-" * sum(width for _, width in COLUMNS))
    for size in sizes:
        largest = measured[-1] if measured else None
        estimate = results[largest]["naive"]["naive_s"] * (size / largest) ** 2 if largest else None
        print(size_row(size, results[size]["govgraph"], results[size].get("naive"), estimate,
                       results[size]["lookup"]))
    print("\nabsolute peak RSS per child, MB (baseline after generating the snapshot, generation s):")
    for size in sizes:
        runs = ", ".join(f"{kind} {r['peak_mb']:,.0f} ({r['baseline_mb']:,.0f}, {r['generate_s']:.2g} s)"
                         for kind, r in results[size].items())
        print(f"  {size:>7,}: {runs}")
    if quality:
        print(f"\nquality at {sizes[0]:,} speeches: naive Jaccard vs govgraph on themes, pressures and "
              f"departments only\n  top-{args.top} sets in common (mean Jaccard of the two sets): "
              f"{quality['overlap']:.2f}\n  mean feature Jaccard of the neighbours found: naive "
              f"{quality['naive_jaccard']:.3f} (the most possible), govgraph {quality['ours_jaccard']:.3f}, "
              f"random pairs {quality['random_jaccard']:.3f}")
    print()
    print(targets(results))
    print(f"times come from one run each on a shared {os.cpu_count()}-CPU machine and can vary between runs"
          " by tens of percent: read the ratios.")


if __name__ == "__main__":
    main()
