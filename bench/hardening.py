"""Try to break govgraph and report what held: hostile documents, builds killed mid-write, many clients.

    python bench/hardening.py [--quick] [--inputs N] [--kills K] [--seconds S]

Bad input: seeded random and hostile documents go through `parse_document` and `extract_document`;
each must load or be refused with govgraph's own error (DocumentError / ExtractionError), never
crash; then `govgraph build --keep-going` runs over a folder of them. Kills: builds of 120
documents are SIGKILLed at random moments; after each, every document in the store must equal the
reference build's (whole or absent) and the store must validate; a last build must finish the job.
Load: bench/load.py's clients against `govgraph serve`. The last line says whether anything failed,
and the exit status is 1 if it did.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

import govgraph
import load
from govgraph.build import extract_document
from govgraph.documents import parse_document, read_document
from govgraph.errors import DocumentError, ExtractionError

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
    except (DocumentError, ExtractionError) as exc:
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
    except (DocumentError, ExtractionError):
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
    command = [sys.executable, "-m", "govgraph", "build", str(folder), "--store", str(store), "--keep-going",
               "--workers", "2"]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, timeout=1800)
    seconds = time.monotonic() - started
    output = done.stdout + done.stderr
    loaded = re.search(r"loaded (\d+) document", output)
    skipped = output.count("skipped: ")
    traceback = "Traceback" in output
    validates, documents, names = False, 0, set()
    if (store / "CURRENT").exists():
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


def start_build(docs: Path, store: Path) -> subprocess.Popen[bytes]:
    """A CLI build in its own process group, 10 documents a commit.

    One worker: extraction and commits then interleave over most of the build, so a random kill often
    lands between commits (with two workers the 12 commits come within a quarter of a second).
    """
    command = [sys.executable, "-m", "govgraph", "build", str(docs), "--store", str(store), "--batch", "10",
               "--workers", "1", "--no-validate"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def document_count(store: Path) -> int | None:
    """Documents a reader sees in the store now (None while it cannot be opened)."""
    try:
        opened = ox.Store.read_only(str(store))
        return sum(1 for name in opened.named_graphs() if "/id/document/" in str(name))
    except (OSError, RuntimeError):  # RocksDB is still creating its column families
        return None


def reference_build(docs: Path, store: Path) -> tuple[float, float] | None:
    """A build run to the end, watched: (seconds it took, seconds until the first commit was seen)."""
    started = time.monotonic()
    process = start_build(docs, store)
    first_commit = None
    while process.poll() is None:
        if first_commit is None and (store / "CURRENT").exists() and document_count(store):
            first_commit = time.monotonic() - started
        time.sleep(0.02)
    duration = time.monotonic() - started
    return (duration, first_commit or duration / 2) if process.returncode == 0 else None


def graphs_of(store: Path) -> dict[str, frozenset[str]]:
    """Every named graph in the store as a set of its triples, to compare documents whole."""
    opened = ox.Store.read_only(str(store))
    graphs: dict[str, set[str]] = defaultdict(set)
    for quad in opened:
        graphs[str(quad.graph_name)].add(f"{quad.subject} {quad.predicate} {quad.object}")
    return {name: frozenset(quads) for name, quads in graphs.items()}


def documents_in(graphs: dict[str, frozenset[str]]) -> set[str]:
    """The document graphs among all graphs (the vocabulary and links graphs are not documents)."""
    return {name for name in graphs if "/id/document/" in name}


def store_validates(store: Path) -> bool:
    """The store passes the shapes, read-only, as a user would check it."""
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        return govgraph.validate_store(opened).conforms


def copy_corpus(docs: Path) -> Path:
    """The bundled documents copied under distinct names, enough for a build of a dozen commits."""
    docs.mkdir()
    for copy in range(COPIES):
        for path in sorted(DATA.iterdir()):
            shutil.copy(path, docs / f"c{copy}-{path.name}")
    return docs


def kill_build(docs: Path, store: Path, delay: float) -> bool:
    """Start a build, SIGKILL its whole process group after `delay` s; whether it was still running."""
    process = start_build(docs, store)
    time.sleep(delay)
    running = process.poll() is None
    with suppress(ProcessLookupError):  # a build that finished has no group left to kill
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    return running


def kills_section(kills: int, scratch: Path, problems: list[str], seed: int = 20261125) -> None:
    """Builds SIGKILLed at random moments: after each, documents whole or absent and a valid store."""
    docs = copy_corpus(scratch / "many")
    timing = reference_build(docs, scratch / "reference")
    if timing is None:
        problems.append("kills: the reference build failed")
        return
    duration, first_commit = timing
    reference = graphs_of(scratch / "reference")
    total = len(documents_in(reference))
    rng = random.Random(seed)
    store = scratch / "killed"
    rows = []
    landed = 0
    for number in range(1, kills + 1):
        fresh = (store / "CURRENT").exists() and len(documents_in(graphs_of(store))) == total
        if fresh:  # the last build finished: start over so this kill has writes to interrupt
            shutil.rmtree(store)
        delay = rng.uniform(max(0.2, first_commit - 0.3), duration)
        running = kill_build(docs, store, delay)
        landed += running
        rows.append((number, delay, "running" if running else "finished", *check_after_kill(store, reference),
                     "yes" if fresh else ""))
    final = start_build(docs, store).wait(timeout=600)
    equal = final == 0 and graphs_of(store) == reference
    print(f"\nkills: {kills} builds of {total} documents (10 a commit) SIGKILLed at random moments; "
          f"a full build takes {duration:.1f} s, its first commit after {first_commit:.1f} s")
    print(table(("kill", "at s", "build was", "store opens", "documents present", "all whole", "validates",
                 "fresh store"), rows))
    whole = sum(1 for row in rows if row[3] is True and row[5] is True and row[6] is True)
    print(f"  kills survived: {whole}/{kills} ({landed} landed while the build was running)")
    print(f"  final re-run: exit {final}, equals the reference build: {'yes' if equal else 'NO'} "
          f"({total} documents, {sum(len(q) for q in reference.values()):,} quads)")
    if whole < kills:
        problems.append(f"kills: {kills - whole} kill(s) left a store that does not open, holds a half "
                        "document or does not validate")
    if not equal:
        problems.append("kills: the re-run after the kills did not reproduce the reference build")
    if landed == 0:
        problems.append("kills: no kill landed while a build was running")


def check_after_kill(store: Path, reference: dict[str, frozenset[str]]) -> tuple[bool, int, bool, bool]:
    """(store opens, documents present, every one equal to the reference, store validates)."""
    if not (store / "CURRENT").exists():
        return True, 0, True, True  # killed before the store was created: nothing to lose
    try:
        graphs = graphs_of(store)
    except Exception as exc:  # whatever stops a reader opening the store is what this looks for
        print(f"  the store does not open after a kill: {type(exc).__name__}: {one_line(str(exc))}")
        return False, 0, False, False
    present = documents_in(graphs)
    whole = all(graphs[name] == reference.get(name) for name in present)
    return True, len(present), whole, store_validates(store)


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the three sections and print the verdict; exit 1 if any check failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer inputs and kills, a shorter load")
    parser.add_argument("--inputs", type=int, help="random hostile documents (400; --quick 100)")
    parser.add_argument("--kills", type=int, help="builds to kill (10; --quick 4)")
    parser.add_argument("--seconds", type=float, help="load duration in seconds (10; --quick 5)")
    parser.add_argument("--bomb", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bomb:
        bomb_child(args.bomb)
        return 0
    inputs = args.inputs or (100 if args.quick else 400)
    kills = args.kills or (4 if args.quick else 10)
    seconds = args.seconds or (5.0 if args.quick else 10.0)
    problems: list[str] = []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="govgraph-hardening-") as scratch:
        bad_input_section(inputs, args.quick, Path(scratch), problems)
        kills_section(kills, Path(scratch), problems)
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
