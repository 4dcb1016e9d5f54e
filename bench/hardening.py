"""Try to break govgraph and report what held: hostile documents, killed builds, hostile clients, load.

    python bench/hardening.py [--quick] [--inputs N] [--kills K] [--seconds S]

Bad input: seeded random and hostile documents go through `parse_document` and `extract_document`;
each must load or be refused with govgraph's own error (DocumentError), never
crash; then `govgraph build --keep-going` runs over a folder of them. Kills: builds of 120
documents are SIGKILLed at random moments; after each, a reader must see the store as it was
before the build or all of it, the store must validate, and the next writer must remove what the
killed build left; a last build must finish the job. Cases: the CLI in subprocesses on temporary
folders, each check a row with a figure and PASS or FAIL: builds refused where they would touch
someone's files, no fetches and no open CORS from `govgraph serve`, readers during builds, linear
extraction, deep and long queries, a full disk, a killed build's workers, the server's limits.
Load: bench/load.py's clients against `govgraph serve`. The last line says whether anything failed,
and the exit status is 1 if it did.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import itertools
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

import govgraph
import load
from govgraph import layout
from govgraph.build import extract_document
from govgraph.documents import parse_document, read_document
from govgraph.errors import DocumentError
from govgraph.namespaces import GG

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
EXTENSIONS = {"text/plain": "txt", "text/markdown": "md", "text/html": "html"}
MEDIA = tuple(EXTENSIONS)
SPEAKER = "Jane Doe, Head of Digital at the Cabinet Office, spoke about digital transformation."
SLOW_SECONDS = 60.0  # one document taking longer than this counts as a hang
COPIES = 8  # 15 bundled documents x 8 = 120 documents per killed build
BOMB_MEMORY = 1024**3  # address space for the front-matter alias bomb's own process


@dataclass(frozen=True)
class Input:
    """One hostile document: which family it belongs to, a unique name, its bytes and media type."""

    category: str
    name: str
    data: bytes
    media_type: str


@dataclass
class Outcome:
    """Per family: how many loaded, were refused with govgraph's errors, or crashed, and the slowest."""

    inputs: int = 0
    loaded: int = 0
    refused: int = 0
    unclear: int = 0  # refused, but with an empty or multi-line message
    crashed: int = 0
    slowest: float = 0.0
    slowest_name: str = ""
    crashes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain aligned table: text left, numbers right, so every section reads the same way."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max(len(h), *(len(r[i]) for r in cells)) if cells else len(h) for i, h in enumerate(headers)]
    numeric = [bool(rows) and all(isinstance(row[i], int | float) for row in rows)
               for i in range(len(headers))]

    def line(values: Sequence[str]) -> str:
        """One aligned row."""
        return "  " + "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(values, widths, numeric,
                                                                                  strict=True)).rstrip()

    return "\n".join([line(headers), *(line(r) for r in cells)])


def _cell(value: object) -> str:
    """A value as the tables print it: yes/NO for checks, thousands separated."""
    if isinstance(value, bool):
        return "yes" if value else "NO"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def one_line(text: str, limit: int = 140) -> str:
    """An error message shortened to one line for the report."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def govgraph_cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
                 timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`python -m govgraph ARGS` as a user runs it, output captured; GOVGRAPH_STORE only when given."""
    environment = {k: v for k, v in os.environ.items() if k != "GOVGRAPH_STORE"} | (env or {})
    return subprocess.run([sys.executable, "-m", "govgraph", *args], capture_output=True, text=True, cwd=cwd,
                          env=environment, timeout=timeout)


# ---------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------


def real_files(suffix: str) -> list[bytes]:
    """The bundled documents with this suffix, as the raw material of realistic damage."""
    return [p.read_bytes() for p in sorted(DATA.glob(f"*{suffix}"))]


def random_unicode(rng: random.Random, size: int) -> str:
    """Text from many scripts, with emoji, combining and bidi marks; some with controls or lone surrogates."""
    pools = [(0x20, 0x7E), (0xA0, 0x24F), (0x300, 0x36F), (0x590, 0x6FF), (0x4E00, 0x9FFF),
             (0x1F300, 0x1FAFF), (0x200B, 0x202E), (0xE000, 0xF8FF), (0xFFF0, 0xFFFD)]
    flavour = rng.random()
    if flavour < 0.2:
        pools.append((0x0, 0x1F))  # control characters
    elif flavour < 0.4:
        pools.append((0xD800, 0xDFFF))  # lone surrogates: not valid UTF-8 once encoded
    text = "".join(chr(rng.randint(*rng.choice(pools))) for _ in range(size))
    if rng.random() < 0.5:  # a speaker in the noise, so extraction gets past its first check
        at = rng.randint(0, len(text))
        text = f"{text[:at]}\n{SPEAKER}\n{text[at:]}"
    return text


def junk(rng: random.Random, size: int) -> bytes:
    """Bytes to splice in: mostly markup and punctuation (so the text still decodes), sometimes any byte."""
    if rng.random() < 0.3:
        return rng.randbytes(size)
    return bytes(rng.choice(b"<>/&;#\"'=!-[]()*_`:\n abcdefghij0123456789") for _ in range(size))


def mutated(rng: random.Random, data: bytes) -> bytes:
    """A real document with a few bytes overwritten, inserted or deleted."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        at = rng.randrange(len(buffer))
        action = rng.random()
        if action < 0.4:
            buffer[at : at + 1] = junk(rng, 1)
        elif action < 0.7:
            buffer[at:at] = junk(rng, rng.randint(1, 8))
        else:
            del buffer[at : at + rng.randint(1, 64)]
    return bytes(buffer)


def wrongly_encoded(rng: random.Random, texts: Sequence[bytes]) -> tuple[bytes, str]:
    """A real document re-encoded as something other than UTF-8, or an HTML page that lies about it."""
    text = rng.choice(texts).decode("utf-8") + "\nNaïve café – “quoted” — 東京 — Ελλάδα\n"
    encoding = rng.choice(["utf-16-le", "utf-16-be", "utf-16", "utf-32", "latin-1", "cp1252",
                           "shift_jis", "koi8-r", "gb18030", "utf-7", "cp037"])
    data = text.encode(encoding, errors="replace")
    if rng.random() < 0.3:
        charset = rng.choice(["utf-16", "latin-1", "no-such-charset", "ascii", "utf-32", "x-user-defined"])
        page = f'<html><head><meta charset="{charset}"></head><body><p>{text}</p></body></html>'
        return page.encode("utf-8"), "text/html"
    return data, rng.choice(("text/plain", "text/markdown"))


def alias_bomb(levels: int) -> bytes:
    """Markdown whose YAML front matter nests aliases: a few hundred bytes naming 9**levels strings."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return ("---\n" + "\n".join(lines) + f"\n---\n{SPEAKER}\n").encode()


def pathological(quick: bool) -> list[tuple[str, bytes, str]]:
    """Fixed shapes that have hurt HTML, Markdown and YAML readers: depth, unclosed things, floods."""
    depths = (1_000, 5_000, 10_000) if quick else (1_000, 5_000, 10_000, 20_000)
    cases = [(f"div nested {d:,} deep", b"<div>" * d + SPEAKER.encode() + b"</div>" * d, "text/html")
             for d in depths]
    cases += [
        ("50,000 unclosed <b>", b"<html><body><p>" + b"<b>" * 50_000, "text/html"),
        ("unclosed <script>", b"<!DOCTYPE html><html><script>" + b"x" * 100_000, "text/html"),
        ("unclosed comment", b"<html><body><p>" + SPEAKER.encode() + b"<!--" + b"-" * 100_000, "text/html"),
        ("entity flood", b"<html><body><p>" + b"&amp;&#x10FFFF;&#0;&bogus;" * 20_000 + b"</p></body></html>",
         "text/html"),
        ("100,000 attributes", b"<html><body><p " + b" ".join(b"a%d=x" % i for i in range(100_000))
         + b">" + SPEAKER.encode() + b"</p></body></html>", "text/html"),
        ("article nested 2,000 deep", b"<html><body>" + b"<article>" * 2_000 + SPEAKER.encode()
         + b"</article>" * 2_000 + b"</body></html>", "text/html"),
        ("blockquote 5,000 deep", b"> " * 5_000 + SPEAKER.encode(), "text/markdown"),
        ("list 2,000 deep", b"".join(b"  " * i + b"- item\n" for i in range(2_000)) + SPEAKER.encode(),
         "text/markdown"),
        ("brackets 20,000 deep", b"[" * 20_000 + SPEAKER.encode() + b"](x)" * 20_000, "text/markdown"),
        ("front matter never closed", b"---\ntitle: x\n" + SPEAKER.encode(), "text/markdown"),
        ("front matter not YAML", b"---\n: : [\n---\n" + SPEAKER.encode(), "text/markdown"),
        ("front matter a list", b"---\n- a\n- b\n---\n" + SPEAKER.encode(), "text/markdown"),
        ("front matter with tags", b"---\nx: !!python/object/apply:os.system ['true']\n---\n"
         + SPEAKER.encode(), "text/markdown"),
        *((f"alias bomb, {n} levels", alias_bomb(n), "text/markdown") for n in (4, 5, 6)),
        ("empty", b"", "text/plain"),
        ("whitespace only", b" \n\t\r\n  ", "text/plain"),
        ("UTF-8 BOM only", b"\xef\xbb\xbf", "text/plain"),
        ("UTF-16 BOM only", b"\xff\xfe", "text/markdown"),
        ("NUL bytes", b"\x00" * 1_000, "text/plain"),
    ]
    return cases


def huge_lines(quick: bool) -> list[tuple[str, bytes, str]]:
    """One line of megabytes: sentences, one endless word, and a flood of comma-separated names."""
    sentence = (SPEAKER + " ").encode()
    megabytes = (1,) if quick else (1, 5)
    cases = [(f"{mb} MB of sentences", sentence * (mb * 1024 * 1024 // len(sentence)), "text/plain")
             for mb in megabytes]
    cases += [
        ("1 MB single word", b"a" * 1024 * 1024, "text/plain"),
        ("names and commas", b"Jane Doe, " * 100_000 + b"spoke.", "text/plain"),
        ("1 MB line in HTML", b"<html><body><p>" + sentence * 12_000 + b"</p></body></html>", "text/html"),
    ]
    return cases


def hostile_inputs(count: int, quick: bool, seed: int = 20261125) -> list[Input]:
    """The seeded mix: random bytes and Unicode, damaged real documents, wrong encodings, fixed shapes."""
    rng = random.Random(seed)
    html, texts = real_files(".html"), real_files(".txt") + real_files(".md")
    makers: dict[str, Callable[[], tuple[bytes, str]]] = {
        "random bytes": lambda: (rng.randbytes(rng.randint(1, 4096)), rng.choice(MEDIA)),
        "random Unicode": lambda: (random_unicode(rng, rng.randint(1, 3000)).encode("utf-8", "surrogatepass"),
                                   rng.choice(MEDIA)),
        "truncated HTML": lambda: (_truncated(rng, rng.choice(html)), "text/html"),
        "damaged documents": lambda: _damaged(rng, html, texts),
        "wrong encodings": lambda: wrongly_encoded(rng, texts),
    }
    inputs = []
    for i in range(count):
        category = list(makers)[i % len(makers)]
        data, media_type = makers[category]()
        inputs.append(Input(category, f"{len(inputs):04d}-{_slug(category)}", data, media_type))
    for category, cases in (("pathological", pathological(quick)), ("huge single line", huge_lines(quick))):
        for label, data, media_type in cases:
            inputs.append(Input(category, f"{len(inputs):04d}-{_slug(label)}", data, media_type))
    return inputs


def _truncated(rng: random.Random, page: bytes) -> bytes:
    """A page cut anywhere, as a download that stopped, with a little junk after the cut."""
    return page[: rng.randint(0, len(page))] + junk(rng, rng.randint(0, 64))


def _damaged(rng: random.Random, html: Sequence[bytes], texts: Sequence[bytes]) -> tuple[bytes, str]:
    """A damaged real page or write-up, with the media type it would be read as."""
    if rng.random() < 0.5:
        return mutated(rng, rng.choice(html)), "text/html"
    return mutated(rng, rng.choice(texts)), rng.choice(("text/plain", "text/markdown"))


def _slug(text: str) -> str:
    """A file-name-safe form of a label, so each input's file says what it is."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def attempt(outcome: Outcome, name: str, work: Callable[[], object]) -> float:
    """Run one read (and extraction), sorting the result into loaded, refused or crashed; its seconds."""
    outcome.inputs += 1
    started = time.monotonic()
    try:
        work()
        outcome.loaded += 1
    except DocumentError as exc:
        outcome.refused += 1
        if not str(exc) or "\n" in str(exc):
            outcome.unclear += 1
            outcome.crashes.append(f"{name}: unclear message {str(exc)[:80]!r}")
    except Exception as exc:  # the point of the exercise: anything else is a crash
        outcome.crashed += 1
        outcome.crashes.append(f"{name}: {type(exc).__name__}: {one_line(str(exc))}")
    elapsed = time.monotonic() - started
    if elapsed > outcome.slowest:
        outcome.slowest, outcome.slowest_name = elapsed, name
    return elapsed


def parse_and_extract(item: Input) -> object:
    """The contract under test: a Document and an Extraction, or govgraph's own error."""
    return extract_document(parse_document(item.data, f"{item.name}.{EXTENSIONS[item.media_type]}",
                                           item.media_type))


def special_files(folder: Path) -> list[Path]:
    """Files that are bad for their size or kind rather than their bytes: 50 MB sparse files, a FIFO."""
    paths = []
    for suffix in ("txt", "html"):
        sparse = folder / f"sparse-50mb.{suffix}"
        with sparse.open("wb") as out:
            out.truncate(50 * 1024 * 1024)
        paths.append(sparse)
    fifo = folder / "fifo.txt"
    os.mkfifo(fifo)
    (folder / "folder.md").mkdir()
    return [*paths, fifo, folder / "folder.md"]


def run_bomb(levels: int) -> dict[str, object]:
    """The alias bomb in its own process with 1 GiB of address space, so it cannot take the machine."""
    command = [sys.executable, str(Path(__file__).resolve()), "--bomb", str(levels)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = one_line(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "")
        return {"levels": levels, "outcome": f"crashed (exit {done.returncode}) {tail}", "seconds": 0.0,
                "peak_mb": 0, "chars": 0}
    return json.loads(lines[-1])


def bomb_child(levels: int) -> None:
    """Parse one alias bomb under a memory limit and print what it cost as one JSON line."""
    resource.setrlimit(resource.RLIMIT_AS, (BOMB_MEMORY, BOMB_MEMORY))
    data = alias_bomb(levels)
    started = time.monotonic()
    chars = 0
    try:
        document = parse_document(data, "bomb.md", "text/markdown")
        chars = max((len(v) for v in document.metadata.values()), default=0)
        outcome = "loaded"
    except DocumentError:
        outcome = "refused"
    except Exception as exc:
        outcome = f"crashed ({type(exc).__name__})"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"levels": levels, "bytes": len(data), "outcome": outcome,
                      "seconds": round(time.monotonic() - started, 2), "peak_mb": peak, "chars": chars}))


BOMBS = "YAML alias bomb (1 GiB)"
FILES = "50 MB sparse, FIFO, folder"


def read_inputs(inputs: Sequence[Input]) -> tuple[dict[str, Outcome], list[str]]:
    """Every input through the reader and extractor in this process; outcomes by family, and the slow ones."""
    outcomes: dict[str, Outcome] = defaultdict(Outcome)
    slow = []
    for item in inputs:
        seconds = attempt(outcomes[item.category], item.name, lambda item=item: parse_and_extract(item))
        if seconds > 1.0:
            slow.append(f"{seconds:5.1f} s  {item.name.split('-', 1)[1]} ({len(item.data):,} bytes)")
    return outcomes, slow


def write_folder(inputs: Sequence[Input], folder: Path, outcome: Outcome) -> int:
    """The inputs as files, plus the special files (read here) and two good documents; how many good."""
    folder.mkdir()
    for item in inputs:
        (folder / f"{item.name}.{EXTENSIONS[item.media_type]}").write_bytes(item.data)
    for path in special_files(folder):
        attempt(outcome, path.name, lambda path=path: extract_document(read_document(path)))
    good = sorted(DATA.glob("*.txt"))[:2]
    for path in good:
        shutil.copy(path, folder / f"good-{path.name}")
    return len(good)


def record_bombs(outcome: Outcome, bombs: Sequence[dict[str, object]]) -> None:
    """Count the alias bombs' child-process results like any other input."""
    for bomb in bombs:
        name = f"alias bomb, {bomb['levels']} levels"
        outcome.inputs += 1
        if float(str(bomb["seconds"])) > outcome.slowest:
            outcome.slowest, outcome.slowest_name = float(str(bomb["seconds"])), name
        if bomb["outcome"] == "loaded":
            outcome.loaded += 1
        elif bomb["outcome"] == "refused":
            outcome.refused += 1
        else:
            outcome.crashed += 1
            outcome.crashes.append(f"{name} ({bomb.get('bytes', '?')} bytes): {bomb['outcome']}")


def totals(outcomes: dict[str, Outcome]) -> Outcome:
    """All families added up, with the slowest input of all."""
    total = Outcome()
    for o in outcomes.values():
        total.inputs += o.inputs
        total.loaded += o.loaded
        total.refused += o.refused
        total.crashed += o.crashed
        total.unclear += o.unclear
        if o.slowest > total.slowest:
            total.slowest, total.slowest_name = o.slowest, o.slowest_name
    return total


def bad_input_section(count: int, quick: bool, scratch: Path, problems: list[str]) -> None:
    """Hostile documents in process, the alias bomb in a child, then a --keep-going build over them all."""
    inputs = hostile_inputs(count, quick)
    outcomes, slow = read_inputs(inputs)
    good = write_folder(inputs, scratch / "bad", outcomes[FILES])
    bombs = [run_bomb(levels) for levels in (7, 8, 9)]
    record_bombs(outcomes[BOMBS], bombs)
    total = totals(outcomes)
    rows = [(c, o.inputs, o.loaded, o.refused, o.crashed, o.slowest) for c, o in outcomes.items()]
    rows.append(("total", total.inputs, total.loaded, total.refused, total.crashed, total.slowest))
    print("\nbad input: parse_document / read_document, then extract_document")
    print(table(("input", "inputs", "loaded", "refused", "crashed", "slowest s"), rows))
    print(f"  slowest input: {total.slowest_name} ({total.slowest:.2f} s)")
    print("  over 1 s:" + "".join(f"\n    {line}" for line in slow) if slow else "  over 1 s: none")
    print(table(("front-matter alias bomb", "bytes", "outcome", "seconds", "peak MB", "longest value"),
                [(f"{b['levels']} levels", b.get("bytes", 0), b["outcome"], float(str(b["seconds"])),
                  b["peak_mb"], b["chars"]) for b in bombs]))
    for outcome in outcomes.values():
        for crash in outcome.crashes[:5]:
            print(f"  CRASH {crash}")
    if total.crashed:
        problems.append(f"bad input: {total.crashed} input(s) crashed the reader or extractor")
    if total.unclear:
        problems.append(f"bad input: {total.unclear} refusal(s) without a one-line message")
    if total.slowest > SLOW_SECONDS:
        problems.append(f"bad input: {total.slowest_name} took {total.slowest:.0f} s")
    expected = sum(o.loaded for c, o in outcomes.items() if c != BOMBS) + good
    build_bad_folder(scratch / "bad", scratch / "bad-store", good, expected, problems)


def build_bad_folder(folder: Path, store: Path, good: int, expected: int, problems: list[str]) -> None:
    """`govgraph build --keep-going` over the bad files: no traceback, the good ones in, a valid store."""
    started = time.monotonic()
    done = govgraph_cli("build", str(folder), "--store", str(store), "--keep-going", "--workers", "2",
                        timeout=1800)
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    loaded = re.search(r"loaded (\d+) document", output)
    skipped = output.count("skipped: ")
    traceback = "Traceback" in output
    validates, documents, names = False, 0, set()
    if layout.read_manifest(store) is not None:
        with govgraph.EmbeddedStore(store, read_only=True) as opened:
            validates = govgraph.validate_store(opened).conforms
            documents = govgraph.store_stats(opened)["documents"]
            names = {str(n) for n in opened.graph_names()}
    good_in = sum(1 for n in names if "/id/document/good-" in n)
    files = sum(1 for _ in folder.iterdir())
    print(f"\n  govgraph build --keep-going over the folder ({files:,} entries, {good} good)")
    row = (done.returncode, int(loaded.group(1)) if loaded else 0, expected, skipped,
           "yes" if traceback else "no", documents, good_in, validates, seconds)
    headers = ("exit", "loaded", "(in process)", "skipped", "traceback", "documents in store", "good ones in",
               "validates", "seconds")
    print(table(headers, [row]))
    if done.returncode not in (0, 1) or traceback:
        problems.append(f"bad-input build: exit {done.returncode}, "
                        f"{one_line(output.strip().splitlines()[-1] if output.strip() else '')}")
    if not validates or good_in < good:
        problems.append(f"bad-input build: store validates={validates}, good documents in {good_in}/{good}")


# ---------------------------------------------------------------------------
# Kills
# ---------------------------------------------------------------------------


def start_build(paths: Sequence[Path], store: Path, workers: int = 1) -> subprocess.Popen[bytes]:
    """A CLI build in its own process group, 10 documents a batch, one worker unless told.

    One worker: extraction and writes then interleave over most of the build, so a random kill lands
    at any stage of it: starting the store, writing batches, publishing.
    """
    command = [sys.executable, "-m", "govgraph", "build", *map(str, paths), "--store", str(store),
               "--batch", "10", "--workers", str(workers), "--no-validate"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def timed_build(paths: Sequence[Path], store: Path) -> float | None:
    """A build run to the end: the seconds it took, None if it failed."""
    started = time.monotonic()
    code = start_build(paths, store).wait(timeout=600)
    return time.monotonic() - started if code == 0 else None


def graphs_of(store: Path) -> dict[str, frozenset[str]]:
    """Every named graph a reader sees in the store as a set of its triples, to compare stores whole
    (none where no store was made yet)."""
    if not store.is_dir() or layout.read_manifest(store) is None:
        return {}
    graphs: dict[str, set[str]] = defaultdict(set)
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        for quad in opened.engine:
            graphs[str(quad.graph_name)].add(f"{quad.subject} {quad.predicate} {quad.object}")
    return {name: frozenset(quads) for name, quads in graphs.items()}


def documents_in(graphs: dict[str, frozenset[str]]) -> set[str]:
    """The document graphs among all graphs (the vocabulary and links graphs are not documents)."""
    return {name for name in graphs if "/id/document/" in name}


def store_validates(store: Path) -> bool:
    """The store passes the shapes, read-only, as a user would check it."""
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        return govgraph.validate_store(opened).conforms


def unpublished(store: Path) -> int:
    """Generation folders in the store other than the published one (what a killed writer left)."""
    manifest = layout.read_manifest(store) if store.is_dir() else None
    if manifest is None:
        return 0
    return len(layout.generations_on_disk(store) - {manifest.generation})


def copy_corpus(docs: Path) -> Path:
    """The bundled documents copied under distinct names, enough for a build of a dozen batches."""
    for copy in range(COPIES):
        copies(docs, f"c{copy}")
    return docs


def copies(folder: Path, prefix: str, count: int | None = None) -> Path:
    """The bundled documents (the first `count` of them) under new names, so a build adds documents."""
    folder.mkdir(exist_ok=True)
    for path in sorted(DATA.iterdir())[:count]:
        shutil.copy(path, folder / f"{prefix}-{path.name}")
    return folder


def kill_build(docs: Path, store: Path, delay: float) -> bool:
    """Start a build, SIGKILL its whole process group after `delay` s; whether it was still running."""
    process = start_build([docs], store)
    time.sleep(delay)
    running = process.poll() is None
    with suppress(ProcessLookupError):  # a build that finished has no group left to kill
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return running


def kills_section(kills: int, scratch: Path, problems: list[str], seed: int = 20261125) -> None:
    """Builds SIGKILLed at random moments, into an empty store and into one holding 15 documents:
    after each, a reader sees the store as it was before the build or all of the build, never part
    of it; it validates; and the next writer removes the generation the killed build left."""
    docs = copy_corpus(scratch / "many")
    duration = timed_build([docs], scratch / "reference")
    seeded = scratch / "seeded"
    if duration is None or timed_build(sorted(docs.glob("c0-*")), seeded) is None:
        problems.append("kills: the reference build failed")
        return
    reference, seed_graphs = graphs_of(scratch / "reference"), graphs_of(seeded)
    total = len(documents_in(reference))
    rng = random.Random(seed)
    store = scratch / "killed"
    rows = []
    for number in range(1, kills + 1):
        shutil.rmtree(store, ignore_errors=True)
        start = "15 documents" if number % 2 == 0 else "empty"
        if number % 2 == 0:
            shutil.copytree(seeded, store)
        delay = rng.uniform(0.2, duration)
        running = kill_build(docs, store, delay)
        before = seed_graphs if number % 2 == 0 else {}
        rows.append((number, start, delay, "running" if running else "finished",
                     *check_after_kill(store, before, reference)))
    final = start_build([docs], store).wait(timeout=600)
    equal = final == 0 and graphs_of(store) == reference
    left = unpublished(store)
    print(f"\nkills: {kills} builds of {total} documents (--batch 10, one worker) SIGKILLed at random "
          f"moments, into an empty store or one holding 15 of them; a full build takes {duration:.1f} s")
    print(table(("kill", "store held", "at s", "build was", "store opens", "documents seen", "reader sees",
                 "validates", "generations left", "next writer clears them"), rows))
    whole = sum(1 for row in rows if row[4] is True and row[6] != "PART" and row[7] is True
                and row[9] is True)
    states = [row[6] for row in rows]
    print(f"  kills survived: {whole}/{kills} (store as before the build: {states.count('before')}, "
          f"all of the build: {states.count('after')}, part of it: {states.count('PART')})")
    print(f"  final re-run: exit {final}, equals the reference build: {'yes' if equal else 'NO'} "
          f"({total} documents, {sum(len(q) for q in reference.values()):,} quads), "
          f"generations left: {left}")
    if whole < kills:
        problems.append(f"kills: {kills - whole} kill(s) left a store that does not open, shows part of a "
                        "build, does not validate, or keeps the killed build's generation")
    if not equal or left:
        problems.append("kills: the re-run after the kills did not reproduce the reference build cleanly")
    if not any(row[3] == "running" and row[6] == "before" for row in rows):
        problems.append("kills: no kill landed while a build was running")


def check_after_kill(store: Path, before: dict[str, frozenset[str]],
                     reference: dict[str, frozenset[str]]) -> tuple[bool, int, str, bool, int, bool]:
    """(store opens, documents seen, "before" / "after" / "PART", store validates, generations the
    killed build left, whether the next writer removed them)."""
    try:
        graphs = graphs_of(store)
    except Exception as exc:  # whatever stops a reader opening the store is what this looks for
        print(f"  the store does not open after a kill: {type(exc).__name__}: {one_line(str(exc))}")
        return False, 0, "PART", False, 0, False
    state = "before" if graphs == before else "after" if graphs == reference else "PART"
    validates = not graphs or store_validates(store)
    left = unpublished(store)
    if store.is_dir():
        try:
            govgraph.EmbeddedStore(store).close()  # a writer that writes nothing: it only clears up
        except govgraph.GovGraphError as exc:
            print(f"  the next writer refuses the store after a kill: {one_line(str(exc))}")
            return True, len(documents_in(graphs)), state, validates, left, False
    return True, len(documents_in(graphs)), state, validates, left, unpublished(store) == 0


# ---------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------


def load_section(seconds: float, problems: list[str]) -> None:
    """bench/load.py's run, shorter: right answers, expected refusals, a server still up."""
    print()
    report = load.run_load(None, clients=20, seconds=seconds, timeout=2.0)
    print(load.format_report(report))
    if report.failed:
        problems.append(f"load: {report.failed} request(s) failed ({one_line(report.tally.examples[0])})")
    missing = [k for k in load.HOSTILE if not report.seen(k)]
    if missing:
        problems.append(f"load: never saw the expected status for {', '.join(missing)}")
    if not report.server_ok:
        problems.append("load: the server died or stopped answering")
    if report.server_tracebacks:
        problems.append(f"load: {report.server_tracebacks} traceback(s) in the server's log")


# ---------------------------------------------------------------------------
# Cases: nothing lost, no one let in
# ---------------------------------------------------------------------------


EXTRACTION_SIZES = (48 * 1024, 96 * 1024)
EXTRACTION_LIMIT = 20.0  # seconds for one adversarial extraction's process; then it counts as hung
EXTRACTION_RATIO = 2.5  # twice the text may take at most this many times as long: linear, with noise
JOINERS = {"words": " ", "hyphens": "-"}  # how the adversarial text joins its capitalised words
DISK_MB = 32
MIB = 1024 * 1024
DISK_LEFT = 300 * 1024  # bytes left on the small disk before the incremental build
SERVE_LIMITS = ("--max-memory", "--max-connections", "--read-timeout", "--queue-timeout")
READ_TIMEOUT = 2.0  # the limits server's --read-timeout, short so the slow client is cut off soon
QUERY_TIMEOUT = 20.0  # the limits server's --timeout
SPEECHES = f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{GG.Speech}> }}"


@dataclass
class Cases:
    """The cases table as it fills: one row per check, with a figure and PASS, FAIL or why not run."""

    problems: list[str]
    scratch: Path  # left out of the figures: temporary paths say nothing
    rows: list[tuple[str, str, str, str]] = field(default_factory=list)

    def check(self, case: str, tried: str, figure: str, held: bool) -> None:
        self.rows.append((case, tried, figure, "PASS" if held else "FAIL"))
        if not held:
            self.problems.append(f"{case}: {tried}: {figure}")

    def missing(self, case: str, tried: str, why: str) -> None:
        """A check whose feature does not exist yet: a failure, said as such."""
        self.rows.append((case, tried, why, "FAIL (not yet available)"))
        self.problems.append(f"{case}: {tried}: {why}")

    def skip(self, case: str, tried: str, why: str) -> None:
        self.rows.append((case, tried, "", why))

    def print(self) -> None:
        """The table, each case named once above its rows."""
        rows, last = [], None
        for case, tried, figure, verdict in self.rows:
            if case != last:
                rows.append((case, "", ""))
                last = case
            rows.append((f"  {tried}", one_line(figure.replace(f"{self.scratch}/", ""), 100), verdict))
        print(table(("case / tried", "figure", "verdict"), rows))


def error_line(done: subprocess.CompletedProcess[str]) -> str | None:
    """The output when it is exactly one line starting "Error:", else None."""
    lines = (done.stdout + done.stderr).strip().splitlines()
    return lines[0] if len(lines) == 1 and lines[0].startswith("Error:") else None


def refusal(done: subprocess.CompletedProcess[str]) -> tuple[bool, str]:
    """(a non-zero exit with one "Error:" line, the figure saying what came out)."""
    line = error_line(done)
    output = (done.stdout + done.stderr).strip()
    said = line or f"{len(output.splitlines())} lines: {output[-80:]!r}"
    return done.returncode > 0 and line is not None, f"exit {done.returncode}; {said}"


def files_of(folder: Path) -> dict[str, str]:
    """Every file and folder below `folder` by relative name, with a hash of its bytes (folders: "/")."""
    return {str(p.relative_to(folder)): "/" if p.is_dir() else hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*"))}


def pyoxigraph_store(folder: Path) -> None:
    """A store made by pyoxigraph itself, holding one quad, closed: not govgraph's to change."""
    store = ox.Store(str(folder))
    store.add(ox.Quad(ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p"),
                      ox.Literal("made by pyoxigraph"), ox.NamedNode("https://example.org/g")))
    store.flush()
    del store


def build_refusals(cases: Cases, scratch: Path) -> None:
    """`govgraph build` into folders that hold someone's files: refused in one line, not a byte changed."""
    case = "build never deletes what it did not make"
    docs = scratch / "docs"
    shutil.copytree(DATA, docs)
    user = scratch / "user-folder"
    user.mkdir()
    (user / "notes.txt").write_text("my notes\n")
    working = scratch / "working-folder"
    working.mkdir()
    (working / "draft.md").write_text("# my draft\n")
    foreign = scratch / "pyoxigraph-store"
    pyoxigraph_store(foreign)
    attempts = [
        ("build DOCS --store DOCS (a copy of data/)", docs, ("build", str(docs), "--store", str(docs)), {},
         None),
        ("GOVGRAPH_STORE=a folder holding a file", user, ("build", str(DATA)), {"GOVGRAPH_STORE": str(user)},
         None),
        ("--store . in a folder holding a file", working, ("build", str(DATA), "--store", "."), {}, working),
        ("--store a store pyoxigraph made", foreign, ("build", str(DATA), "--store", str(foreign)), {}, None),
    ]
    for tried, folder, args, env, cwd in attempts:
        before = files_of(folder)
        refused, figure = refusal(govgraph_cli(*args, cwd=cwd, env=env))
        same = files_of(folder) == before
        cases.check(case, tried, f"{figure}; {len(before)} files {'unchanged' if same else 'CHANGED'}",
                    refused and same)


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it (each closed at once)."""

    def __init__(self, seconds: float = 600.0) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}/sparql"
        self.connections = 0
        self._deadline = time.monotonic() + seconds
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set() and time.monotonic() < self._deadline:
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._socket.close()


def service_disguises(url: str) -> dict[str, str]:
    """SERVICE clauses to `url` in the shapes a simple filter would miss."""
    root = url.rsplit("/", 1)[0]
    return {
        "SERVICE": f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "service (lower case)": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "SeRvIcE (mixed case)": f"SELECT * WHERE {{ SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
        "SERVICE SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
        "after a comment": f"# a comment\nSELECT * WHERE {{ ?x ?y ?z #}}\n SERVICE <{url}> {{ ?s ?p ?o }} }}",
        "through a prefix": f"PREFIX r: <{root}/> SELECT * WHERE {{ SERVICE r:sparql {{ ?s ?p ?o }} }}",
        "on a variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        "in an ASK's OPTIONAL": f"ASK {{ ?x ?y ?z OPTIONAL {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    }


def exchange(base: str, method: str, target: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float = 60.0,
             ) -> tuple[int, dict[str, str], bytes]:
    """One request on its own connection to the server at `base` (127.0.0.1): status, headers
    (lower-case names), body."""
    url = urllib.parse.urlsplit(base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=timeout)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
WAYS = ("GET", "POST form", "POST query", "form at /")  # how `ask` can send a query
QUERY = {"Content-Type": "application/sparql-query"}


def ask(base: str, how: str, sparql: str, timeout: float = 60.0) -> tuple[int, bytes]:
    """A query sent one of four ways: GET, POST form or query to /sparql, or the form at `/`."""
    form = urllib.parse.urlencode({"query": sparql}).encode()
    status, _, body = {
        "GET": lambda: exchange(base, "GET", "/sparql?" + form.decode(), timeout=timeout),
        "POST form": lambda: exchange(base, "POST", "/sparql", form, FORM, timeout),
        "POST query": lambda: exchange(base, "POST", "/sparql", sparql.encode(), QUERY, timeout),
        "form at /": lambda: exchange(base, "POST", "/", form, FORM, timeout),
    }[how]()
    return status, body


def refused_every_way(base: str, sparql: str, ways: Sequence[str] = WAYS) -> tuple[str, bool]:
    """The statuses a query gets, sent each of `ways`, as a figure; and whether every one was 400."""
    statuses = {how: ask(base, how, sparql)[0] for how in ways}
    return ", ".join(f"{how} {status}" for how, status in statuses.items()), set(statuses.values()) == {400}


def no_outgoing(cases: Cases, base: str, store: Path) -> None:
    """SERVICE in every disguise, every way of sending it: 400, and the listener never contacted."""
    case = "serve makes no outgoing connections"
    listener = Listener()
    try:
        for label, sparql in service_disguises(listener.url).items():
            cases.check(case, f"{label}, {len(WAYS)} ways", *refused_every_way(base, sparql))
        time.sleep(0.5)  # a fetch the server started would have connected by now
        cases.check(case, "the listener on 127.0.0.1 after them", f"{listener.connections} connections",
                    listener.connections == 0)
        sparql = service_disguises(listener.url)["SERVICE"]
        done = govgraph_cli("query", sparql, "--store", str(store), "--allow-service", timeout=60)
        cases.check(case, "control: govgraph query --allow-service",
                    f"{listener.connections} connection(s) to the listener (exit {done.returncode})",
                    listener.connections > 0)
    finally:
        listener.close()
    origin = {"Origin": "https://elsewhere.example"}
    got, headers, _ = exchange(base, "GET", "/sparql?query=ASK%7B%7D", headers=origin)
    preflight, preflight_headers, _ = exchange(
        base, "OPTIONS", "/sparql", headers=origin | {"Access-Control-Request-Method": "POST"})
    allowed = [h.get("access-control-allow-origin") for h in (headers, preflight_headers)]
    cases.check(case, "no CORS by default (GET, preflight)",
                f"GET {got}, OPTIONS {preflight}; Access-Control-Allow-Origin: {allowed}",
                allowed == [None, None])


def deep_queries() -> dict[str, str]:
    """Queries that overflowed the engine's parser stack (the CLI died with exit 139)."""
    return {
        "5,000 nested parentheses": "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "5,000 nested braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "5,000 operators": "SELECT * WHERE { FILTER(1" + " + 1" * 5000 + " > 0) }",
    }


def query_cases(cases: Cases, store: Path, base: str) -> None:
    """Deep queries refused in one line by the CLI and 400 by the server; long inline queries run."""
    case = "deep queries"
    for label, sparql in deep_queries().items():
        done = govgraph_cli("query", sparql, "--store", str(store), timeout=120)
        refused, figure = refusal(done)
        cases.check(case, f"govgraph query, {label}", figure, refused and done.returncode == 1)
    for label, sparql in deep_queries().items():
        cases.check(case, f"serve, {label}", *refused_every_way(base, sparql, ("GET", "POST query")))
    status, body = ask(base, "GET", "ASK {}")
    cases.check(case, "serve answers after them", f"{status} {body[:40]!r}", status == 200)
    case = "long inline queries"
    expected = len(list(DATA.iterdir()))
    for length in (300, 5_000):
        head = f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{GG.Speech}> FILTER(STR(?s) != "'
        sparql = head + "x" * (length - len(head) - 4) + '") }'
        done = govgraph_cli("query", sparql, "--store", str(store), "--format", "csv", timeout=120)
        answer = done.stdout.strip().splitlines()[-1:] or [one_line(done.stderr, 80)]
        cases.check(case, f"govgraph query, {len(sparql):,} characters inline",
                    f"exit {done.returncode}; answer {answer[0]} (expected {expected})",
                    done.returncode == 0 and answer == [str(expected)])


def speech_count(base: str) -> int:
    """Speeches the server sees now."""
    status, body = ask(base, "GET", SPEECHES)
    if status != 200:
        raise RuntimeError(f"the speech count failed: {status} {body[:200]!r}")
    return counted(body)


def counted(body: bytes) -> int:
    """The ?n of a one-row SPARQL JSON answer."""
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def readers_during_builds(cases: Cases, base: str, store: Path, scratch: Path, seconds: float,
                          builds: int = 3, readers: int = 3) -> None:
    """Readers in threads against the server while incremental builds add documents to its store:
    no query fails, and each sees the store before or after a build (the speech count moves in
    steps of one build)."""
    case = "readers during builds"
    folders = [copies(scratch / f"more-{n}", f"r{n}") for n in range(1, builds + 1)]
    before, step = speech_count(base), len(list(folders[0].iterdir()))
    expected = {before + step * n for n in range(builds + 1)}
    counts: set[int] = set()
    failures: list[str] = []
    sent = 0
    lock = threading.Lock()
    finished = threading.Event()
    deadline = time.monotonic() + seconds

    def read(turn: int) -> None:
        """Count speeches, GET and POST in turn, until the builds are done or the time is up."""
        nonlocal sent
        for number in itertools.count():
            if finished.is_set() or time.monotonic() > deadline:
                return
            how = ("GET", "POST query")[(number + turn) % 2]
            try:
                status, body = ask(base, how, SPEECHES, timeout=30)
                count = counted(body) if status == 200 else None
                failure = None if status == 200 else f"{status} {body[:80]!r}"
            except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                count, failure = None, f"{type(exc).__name__}: {exc}"
            with lock:
                sent += 1
                if count is not None:
                    counts.add(count)
                if failure:
                    failures.append(failure)

    threads = [threading.Thread(target=read, args=(turn,), daemon=True) for turn in range(readers)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    exits = []
    for folder in folders:
        left = deadline - time.monotonic()
        try:
            exits.append(str(govgraph_cli("build", str(folder), "--store", str(store), "--workers", "1",
                                          "--no-validate", timeout=max(left, 1)).returncode))
        except subprocess.TimeoutExpired:
            exits.append("timed out")
            break
    time.sleep(0.5)  # a last round of reads after the last build
    finished.set()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - started
    after = speech_count(base)
    cases.check(case, f"{readers} readers, {builds} incremental builds of {step} documents",
                f"{sent:,} queries in {elapsed:.1f} s, {len(failures)} failed; builds exit {', '.join(exits)}"
                + (f"; first failure {failures[0]}" if failures else ""),
                sent > 0 and not failures and exits == ["0"] * builds)
    cases.check(case, "speech counts the readers saw", f"{sorted(counts)} (before or after each build: "
                f"{sorted(expected)}); after: {after}", counts <= expected and after == max(expected))


def extraction_child(joiner: str, size: int) -> None:
    """Time one adversarial extraction (best of three when fast) and print it as one JSON line."""
    extract_document(parse_document(f"{SPEAKER}\n".encode(), "warm-up.txt", "text/plain"))
    data = adversarial_text(JOINERS[joiner], size)
    best = float("inf")
    for _ in range(3):
        started = time.monotonic()
        try:
            extract_document(parse_document(data, "adversarial.txt", "text/plain"))
            outcome = "loaded"
        except DocumentError:
            outcome = "refused"
        best = min(best, time.monotonic() - started)
        if best > 1.0:
            break
    print(json.dumps({"seconds": best, "outcome": outcome}))


def adversarial_text(joiner: str, size: int) -> bytes:
    """`size` bytes: a speaker, then one sentence of capitalised words joined by `joiner`, with no
    full stop until the end (the shapes that made the name and organisation patterns quadratic)."""
    words = itertools.cycle(("Alpha", "Beta", "Digital", "Service", "Cabinet", "Office", "Delta", "Gamma"))
    body = joiner.join(itertools.islice(words, size // 4))
    return (f"{SPEAKER}\n\n{body}"[: size - 1] + ".").encode()


def extraction_cases(cases: Cases) -> None:
    """Each adversarial shape at 48 and 96 KB, each in its own process with a time limit: linear?"""
    case = "extraction is linear"
    for joiner, label in (("words", "capitalised words, no full stop"),
                          ("hyphens", "hyphen-joined capitalised words")):
        times: list[float | None] = []
        for size in EXTRACTION_SIZES:
            command = [sys.executable, str(Path(__file__).resolve()), "--extraction", joiner, str(size)]
            try:
                done = subprocess.run(command, capture_output=True, text=True, timeout=EXTRACTION_LIMIT)
                times.append(float(json.loads(done.stdout.strip().splitlines()[-1])["seconds"]))
            except (subprocess.TimeoutExpired, IndexError, ValueError):
                times.append(None)
        shown = [f"{s // 1024} KB " + (f"over {EXTRACTION_LIMIT:g} s" if t is None else f"{t:.2f} s")
                 for s, t in zip(EXTRACTION_SIZES, times, strict=True)]
        small, large = times
        ratio = large / max(small, 1e-3) if small is not None and large is not None else None
        cases.check(case, label, ", ".join(shown) + (f", ratio {ratio:.1f}" if ratio is not None else ""),
                    ratio is not None and ratio <= EXTRACTION_RATIO and large is not None and large < 5.0)


def slow_client(base: str, bound: float = 15.0) -> float | None:
    """A request line, then one header byte every 0.2 s: seconds until the server hung up (None if
    it had not within `bound`)."""
    url = urllib.parse.urlsplit(base)
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=5) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        started = time.monotonic()
        sock.settimeout(0.2)
        while time.monotonic() - started < bound:
            try:
                sock.sendall(b"x")
                sock.recv(4096)  # anything (a 408, or the end of the connection) means it hung up
                return time.monotonic() - started
            except TimeoutError:
                continue
            except OSError:  # reset
                return time.monotonic() - started
    return None


def doubling_query(times: int = 30) -> str:
    """A string doubled `times` times: a few hundred bytes of query asking for 2**times characters."""
    binds = ['BIND("x" AS ?a0)'] + [f"BIND(CONCAT(?a{i}, ?a{i}) AS ?a{i + 1})" for i in range(times)]
    return f"SELECT (STRLEN(?a{times}) AS ?n) WHERE {{ {' '.join(binds)} }}"


def million_rows() -> str:
    """Six VALUES of ten numbers each: 1,000,000 rows from nothing in the store."""
    ten = " ".join(map(str, range(10)))
    return "SELECT * WHERE { " + " ".join(f"VALUES ?{v} {{ {ten} }}" for v in "abcdef") + " }"


@contextmanager
def serving(store: Path, log: Path, *options: str) -> Iterator[str]:
    """`govgraph serve --port 0 OPTIONS` over the store, started and stopped as bench/load.py does;
    yields its base URL."""
    command = [sys.executable, "-m", "govgraph", "serve", "--store", str(store), "--host", "127.0.0.1",
               "--port", "0", *options]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=out, start_new_session=True)
    try:
        yield load._wait_until_serving(process, log)
    finally:
        load.stop_server(process)


def server_limits(cases: Cases, store: Path, scratch: Path) -> None:
    """A slow client cut off, a runaway string stopped (and the next query answered), a million-row
    answer on the form page in time."""
    case = "server limits"
    help_text = govgraph_cli("serve", "--help").stdout
    absent = [option for option in SERVE_LIMITS if option not in help_text]
    checks = ("slow-header client", "string doubled 30 times", "1,000,000-row SELECT on the form at /")
    if absent:
        for tried in checks:
            cases.missing(case, tried, f"govgraph serve has no {', '.join(absent)}")
        return
    log = scratch / "serve-limits.log"
    options = ("--read-timeout", str(READ_TIMEOUT), "--timeout", str(QUERY_TIMEOUT), "--max-memory", "512M",
               "--max-connections", "16", "--queue-timeout", "5")
    with serving(store, log, *options) as base:
        hung_up = slow_client(base)
        cases.check(case, f"{checks[0]} (--read-timeout {READ_TIMEOUT:g})",
                    "still connected after 15 s" if hung_up is None else f"cut off after {hung_up:.1f} s",
                    hung_up is not None and hung_up <= READ_TIMEOUT + 2)
        started = time.monotonic()
        status, body = ask(base, "POST query", doubling_query())
        seconds = time.monotonic() - started
        then, _ = ask(base, "GET", "ASK {}")
        cases.check(case, f"{checks[1]} (--max-memory 512M)",
                    f"{status} in {seconds:.1f} s: {body[:100].decode(errors='replace')}; next query {then}",
                    status in (500, 503) and b"\n" not in body.strip() and then == 200)
        started = time.monotonic()
        status, page = ask(base, "form at /", million_rows(), timeout=QUERY_TIMEOUT + 10)
        seconds = time.monotonic() - started
        cases.check(case, f"{checks[2]} (--timeout {QUERY_TIMEOUT:g})",
                    f"{status} in {seconds:.1f} s, {page.count(b'<tr>') - 1:,} rows shown, "
                    f"{len(page):,} bytes",
                    status == 200 and seconds < QUERY_TIMEOUT)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    cases.check(case, "the server's log", f"{tracebacks} tracebacks", tracebacks == 0)


def fill_disk(folder: Path, leave: int) -> None:
    """Write a filler file until only about `leave` bytes are free on `folder`'s file system."""
    stats = os.statvfs(folder)
    left = stats.f_bavail * stats.f_frsize - leave
    with (folder / "filler").open("wb") as out:
        for _ in range(left // MIB + 1):
            out.write(b"\0" * min(MIB, max(left, 0)))
            left -= MIB


def disk_full(cases: Cases, scratch: Path) -> None:
    """An incremental build onto a disk with ~300 KB free: one clear line, and the store as it was."""
    case = "disk full during an incremental build"
    tried = f"20 new documents into a {DISK_MB} MB tmpfs with {DISK_LEFT // 1024} KB free"
    if os.geteuid() != 0:
        cases.skip(case, tried, "skipped (needs root)")
        return
    disk = scratch / "small-disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(disk)],
                             capture_output=True, text=True, timeout=30)
    if mounted.returncode:
        cases.skip(case, tried, f"skipped (mount failed: {one_line(mounted.stderr, 60)})")
        return
    try:
        store = disk / "store"
        first = govgraph_cli("build", str(DATA), "--store", str(store), "--no-validate")
        if first.returncode:
            cases.check(case, tried, f"the first build failed: {one_line(first.stderr, 80)}", False)
            return
        new = copies(copies(scratch / "disk-docs", "d1"), "d2", 5)
        fill_disk(disk, DISK_LEFT)
        before = files_of(store)
        done = govgraph_cli("build", str(new), "--store", str(store), "--no-validate")
        refused, figure = refusal(done)
        same = files_of(store) == before
        cases.check(case, tried, f"{figure}; store files {'unchanged' if same else 'CHANGED'}",
                    refused and done.returncode == 1 and "No space left" in figure
                    and "internal error" not in done.stdout + done.stderr and same)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True, timeout=30)


def process_family(root: int) -> dict[int, int]:
    """The processes descended from `root` now, each with its process group, from /proc."""
    parents, groups = {}, {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)], groups[int(stat.parent.name)] = int(fields[1]), int(fields[2])
    family, frontier = {}, [root]
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in family:
                family[pid] = groups[pid]
                frontier.append(pid)
    return family


def still_running(pid: int, group: int) -> bool:
    """The process is alive (not a zombie) and still in its group (so not a new process with its id)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z" and int(fields[2]) == group


def orphaned_workers(cases: Cases, scratch: Path) -> None:
    """SIGKILL a build's main process once its workers run; count the workers alive 5 s later."""
    case = "killed build leaves no worker processes"
    docs = copy_corpus(scratch / "orphans-docs")
    total = len(list(docs.iterdir()))
    process = start_build([docs], scratch / "orphans-store", workers=2)
    family: dict[int, int] = {}
    deadline = time.monotonic() + 30
    while process.poll() is None and time.monotonic() < deadline and len(family) < 2:
        family = process_family(process.pid)
        time.sleep(0.05)
    time.sleep(0.3)  # the second worker starts
    family |= process_family(process.pid)
    with suppress(ProcessLookupError):
        os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    time.sleep(5)
    alive = [pid for pid, group in family.items() if still_running(pid, group)]
    with suppress(ProcessLookupError):  # what it left, so the rest of the run has both cores
        os.killpg(process.pid, signal.SIGKILL)
    cases.check(case, f"build of {total} documents, --workers 2, main process SIGKILLed",
                f"{len(family)} child processes before the kill, {len(alive)} alive 5 s after",
                bool(family) and not alive)


def cases_section(quick: bool, scratch: Path, problems: list[str]) -> None:
    """Refusals that keep the user's files, no fetches or open CORS, readers during builds, linear
    extraction, deep and long queries, a full disk, orphaned workers and the server's limits."""
    scratch = scratch / "cases"
    cases = Cases(problems, scratch)
    scratch.mkdir()
    store = scratch / "store"
    built = govgraph_cli("build", str(DATA), "--store", str(store), "--no-validate")
    if built.returncode:
        problems.append(f"cases: building data/ failed: {one_line(built.stdout + built.stderr)}")
        return
    build_refusals(cases, scratch)
    log = scratch / "serve.log"
    with serving(store, log) as base:
        no_outgoing(cases, base, store)
        query_cases(cases, store, base)
        readers_during_builds(cases, base, store, scratch, 20.0 if quick else 30.0)
    tracebacks = log.read_text(errors="replace").count("Traceback")
    cases.check("readers during builds", "the server's log", f"{tracebacks} tracebacks", tracebacks == 0)
    extraction_cases(cases)
    server_limits(cases, store, scratch)
    disk_full(cases, scratch)
    orphaned_workers(cases, scratch)
    print("\ncases: nothing lost, no one let in (each against the CLI in its own process)")
    cases.print()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the four sections and print the verdict; exit 1 if any check failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs and kills, a shorter load")
    parser.add_argument("--inputs", type=int, help="random hostile documents (400; --quick 100)")
    parser.add_argument("--kills", type=int, help="builds to kill (10; --quick 4)")
    parser.add_argument("--seconds", type=float, help="load duration in seconds (10; --quick 5)")
    parser.add_argument("--bomb", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--extraction", nargs=2, metavar=("JOINER", "BYTES"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bomb:
        bomb_child(args.bomb)
        return 0
    if args.extraction:
        extraction_child(args.extraction[0], int(args.extraction[1]))
        return 0
    inputs = args.inputs or (100 if args.quick else 400)
    kills = args.kills or (4 if args.quick else 10)
    seconds = args.seconds or (5.0 if args.quick else 10.0)
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="govgraph-hardening-") as scratch:
        bad_input_section(inputs, args.quick, Path(scratch), problems)
        kills_section(kills, Path(scratch), problems)
        cases_section(args.quick, Path(scratch), problems)
        load_section(seconds, problems)
    print(f"\n({time.monotonic() - started:.0f} s)")
    if problems:
        print("FAILED:")
        print("\n".join(f"  - {p}" for p in problems))
        return 1
    print("nothing lost in every case")
    return 0


if __name__ == "__main__":
    sys.exit(main())
