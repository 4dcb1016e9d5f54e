"""The store folder on disk: what marks it as govgraph's, and generations that readers can trust.

A govgraph store is a folder holding a manifest (`govgraph-store.json`, with a format version and
the current generation) and one pyoxigraph (RocksDB) folder per generation, `g000001`, `g000002`,
... A writer never changes a published generation: it makes a checkpoint of the current one
(`Store.backup`, hard links), writes into that, and publishes it by replacing the manifest in one
rename. pyoxigraph documents read-only opens as undefined while another process writes the same
folder, and nothing ever writes a folder a reader can open, so a reader sees the old store or the
new one, never an error.

Readers hold a shared `flock` on their generation's lock file while they have it open; an old
generation is deleted only when an exclusive lock on it can be taken, so it outlives its last
reader. govgraph only ever removes what this layout names (generation folders and their lock
files) inside a folder that carries its manifest.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import StoreError

MANIFEST = "govgraph-store.json"
FORMAT = "govgraph-store"
VERSION = 1
WRITER_LOCK = "writer.lock"
_GENERATION = re.compile(r"^g(\d{6,})$")
_GENERATION_LOCK = re.compile(r"^g(\d{6,})\.lock$")
_ROCKSDB_MARKERS = ("CURRENT", "IDENTITY")


@dataclass(frozen=True)
class Manifest:
    """What the manifest says: the published generation (0 for a store nothing was written to yet)."""

    generation: int


def generation_name(number: int) -> str:
    return f"g{number:06d}"


def generation_path(root: Path, number: int) -> Path:
    return root / generation_name(number)


def read_manifest(root: Path) -> Manifest | None:
    """The manifest of a govgraph store, None where there is none; a damaged one is an error."""
    try:
        text = (root / MANIFEST).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read the store manifest {root / MANIFEST}: {exc}") from None
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError("not a govgraph store manifest")
        version, generation = int(data["version"]), int(data["generation"])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise StoreError(f"the store manifest {root / MANIFEST} is damaged: {exc}") from None
    if version > VERSION:
        raise StoreError(
            f"the store at {root} was made by a newer govgraph (format {version})",
            hint="upgrade govgraph to use it",
        )
    return Manifest(generation)


def write_manifest(root: Path, manifest: Manifest) -> None:
    """Replace the manifest in one rename, flushed to disk first, so readers see the old one or the new."""
    data = json.dumps({"format": FORMAT, "version": VERSION, "generation": manifest.generation}, indent=2)
    temporary = root / f".{MANIFEST}.{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(data + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, root / MANIFEST)
        _sync_folder(root)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise StoreError(f"cannot write the store manifest in {root}: {exc.strerror or exc}") from None


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def is_pyoxigraph_folder(folder: Path) -> bool:
    """True for a folder that looks like a RocksDB database (a pyoxigraph store)."""
    return any((folder / marker).is_file() for marker in _ROCKSDB_MARKERS)


def claim(root: Path) -> Manifest:
    """The store's manifest, after making a missing or empty folder a new store; refuse anything else.

    govgraph writes only to a folder it made: a missing one, an empty one, or one with its manifest.
    """
    _refuse_working_folder(root)
    manifest = read_manifest(root) if root.is_dir() else None
    if manifest is not None:
        return manifest
    if root.exists() and not root.is_dir():
        raise StoreError(f"the store path {root} is a file, not a folder", hint="pass --store DIR")
    if root.is_dir() and any(root.iterdir()):
        if is_pyoxigraph_folder(root):
            raise StoreError(
                f"{root} is a pyoxigraph store that govgraph did not make; govgraph will not change it",
                hint="build into a new folder; read-only commands (query, stats, export) can read it",
            )
        raise StoreError(
            f"{root} is not empty and is not a govgraph store; govgraph will not write into it",
            hint="pass --store with a new or empty folder",
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store folder {root}: {exc.strerror or exc}") from None
    manifest = Manifest(0)
    write_manifest(root, manifest)
    return manifest


def _refuse_working_folder(root: Path) -> None:
    """The working folder, or one above it, is never a store: its files are the user's."""
    try:
        resolved, here = root.resolve(), Path.cwd().resolve()
    except OSError:
        return
    if resolved == here or resolved in here.parents:
        raise StoreError(
            f"refusing to use {root} as the store: it is the working folder or one above it",
            hint="pass --store with a new or empty folder, such as .govgraph/store",
        )


class WriterLock:
    """An exclusive lock on the store for one writing process, released when it is closed or dies."""

    def __init__(self, root: Path) -> None:
        try:
            self._handle: IO[bytes] | None = open(root / WRITER_LOCK, "ab")  # noqa: SIM115 (held open)
        except OSError as exc:
            raise StoreError(f"cannot open the store at {root}: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self._handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.release()
            raise StoreError(
                f"the store at {root} is in use by another govgraph process",
                hint="wait for it to finish and try again",
            ) from None

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


class ReaderLock:
    """A shared lock on one generation, held while it is open, so no writer deletes it underneath."""

    def __init__(self, root: Path, number: int) -> None:
        try:
            self._handle: IO[bytes] | None = open(  # noqa: SIM115 (held open while the generation is)
                root / f"{generation_name(number)}.lock", "ab")
        except OSError:  # a store on read-only media, or someone else's: no writer of ours can be there
            self._handle = None
            return
        fcntl.flock(self._handle.fileno(), fcntl.LOCK_SH)

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None


def generations_on_disk(root: Path) -> set[int]:
    """Numbers of the generation folders (published, old or left by a killed writer) in the store."""
    found = set()
    for entry in root.iterdir():
        match = _GENERATION.match(entry.name) or _GENERATION_LOCK.match(entry.name)
        if match:
            found.add(int(match.group(1)))
    return found


def remove_unused(root: Path, keep: set[int]) -> None:
    """Delete every generation but `keep` that no reader holds (the caller holds the writer lock)."""
    for number in sorted(generations_on_disk(root) - keep):
        lock_path = root / f"{generation_name(number)}.lock"
        try:
            with open(lock_path, "ab") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(generation_path(root, number), ignore_errors=True)
                lock_path.unlink(missing_ok=True)
        except BlockingIOError:
            continue  # a reader still has it open: the next writer tries again
        except OSError:
            continue  # not ours to force: an unreadable leftover stays until it can be removed
