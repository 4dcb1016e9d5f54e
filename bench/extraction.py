"""Extraction cost per document, against an earlier revision measured in the same run.

    python bench/extraction.py [--count 1000] [--baseline REV] [--limit 2.0] [--runs 3]

Issue 17 lets extraction grow by at most 2x over what it cost before its rules were written
(revision f5d1837 by default). This machine class is shared and noisy, so a figure from another
day means little: the bench exports the baseline revision with `git archive` into a temporary
folder, then times both, alternating, on the same documents (bench/corpus.py's synthetic
write-ups plus data/), best of --runs each, in fresh processes. It prints a table and PASS or
MISS for the ratio; the exit status is 1 on a MISS.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BASELINE = "f5d1837"  # the last revision before issue 17's extraction rules
LIMIT = 2.0

# run in a fresh interpreter with PYTHONPATH set to one revision's src/: the API both revisions share
_TIMER = """
import sys, time
from govgraph.documents import iter_document_paths, read_document
from govgraph.extract import extract
from govgraph.vocab import default_lexicon
lexicon = default_lexicon()
documents = [read_document(p) for p in iter_document_paths(sys.argv[2:])]
extract(documents[0], lexicon)
passes = []
for _ in range(int(sys.argv[1])):
    start = time.perf_counter()
    for document in documents:
        extract(document, lexicon)
    passes.append(time.perf_counter() - start)
print(len(documents), min(passes) / len(documents) * 1000)
"""


def export(revision: str, into: Path) -> Path:
    """The revision's files in a folder of our own (the working tree is not touched)."""
    archive = into / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "-C", str(REPO), "archive", revision], stdout=out, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "baseline", filter="data")
    return into / "baseline" / "src"


def milliseconds(src: Path, runs: int, inputs: Sequence[Path]) -> tuple[int, float]:
    """(documents, best ms per document) for the code under src, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _TIMER, str(runs), *map(str, inputs)],
        env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, check=True,
    )
    count, ms = done.stdout.split()
    return int(count), float(ms)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="synthetic documents (default 1000)")
    parser.add_argument("--baseline", default=BASELINE, help=f"revision to compare with (default {BASELINE})")
    parser.add_argument("--limit", type=float, default=LIMIT, help=f"largest ratio that passes (default {LIMIT})")
    parser.add_argument("--runs", type=int, default=3, help="timed passes per measurement, best kept")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govgraph-bench-") as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        subprocess.run([sys.executable, str(REPO / "bench" / "corpus.py"), str(corpus), "--count",
                        str(args.count)], check=True, capture_output=True)
        baseline_src = export(args.baseline, folder)
        inputs = [corpus, REPO / "data"]
        now: list[float] = []
        then: list[float] = []
        for _ in range(2):  # alternate, so a busy spell falls on both
            count, ms = milliseconds(REPO / "src", args.runs, inputs)
            now.append(ms)
            then.append(milliseconds(baseline_src, args.runs, inputs)[1])
    ratio = min(now) / min(then)
    verdict = "PASS" if ratio <= args.limit else "MISS"
    print(f"extraction cost per document, {count} documents (bench/corpus.py --count {args.count} + data/)")
    print(f"{'revision':<14}{'ms/doc (best)':>14}{'all runs':>24}")
    print(f"{'this':<14}{min(now):>14.2f}{', '.join(f'{m:.2f}' for m in now):>24}")
    print(f"{args.baseline:<14}{min(then):>14.2f}{', '.join(f'{m:.2f}' for m in then):>24}")
    print(f"ratio {ratio:.2f}x, limit {args.limit:.1f}x: {verdict}")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
