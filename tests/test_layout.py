"""The store folder: govgraph writes only where it may, and readers never see a build half-done."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import govgraph
from govgraph import layout
from govgraph.cli import cli
from govgraph.errors import StoreError
from govgraph.server import ServerSettings, running_server

from .conftest import DATA

SPEAKER = "{name}, Head of Digital at the Cabinet Office, spoke about digital transformation.\n"
FIRST_NAMES = ("Ada", "Alan", "Grace", "Tim", "Mary")
SURNAMES = ("Lovelace", "Turing", "Hopper", "Somerville")
BRACKEN = DATA / "ifg-2014-bracken-strategy-is-delivery.txt"


def _tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes: a folder is untouched when this is unchanged."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", *args, "--no-validate"])
    return result.exit_code, result.output


def test_build_into_the_input_folder_is_refused_and_deletes_nothing(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(DATA, docs)
    before = _tree(docs)
    code, output = _build_cli(str(docs), "--store", str(docs))
    assert code == 1
    assert "not empty and is not a govgraph store" in output and "Traceback" not in output
    assert _tree(docs) == before


def test_a_folder_with_other_files_is_never_a_store(tmp_path: Path, monkeypatch):
    other = tmp_path / "papers"
    other.mkdir()
    (other / "notes.md").write_text("mine")
    monkeypatch.setenv("GOVGRAPH_STORE", str(other))
    code, output = _build_cli(str(DATA / "ifg-2014-bracken-strategy-is-delivery.txt"))
    assert code == 1 and "will not write into it" in output
    assert _tree(other) == {"notes.md": b"mine"}


@pytest.mark.parametrize("store", [".", ".."])
def test_the_working_folder_and_its_parents_are_refused(tmp_path: Path, monkeypatch, store: str):
    work = tmp_path / "work" / "here"
    work.mkdir(parents=True)  # empty: even so, it is not a store
    monkeypatch.chdir(work)
    code, output = _build_cli(str(DATA), "--store", store)
    assert code == 1 and "working folder" in output
    assert list(work.iterdir()) == [] and sorted(p.name for p in work.parent.iterdir()) == ["here"]


def test_inputs_inside_a_store_folder_are_refused(tmp_path: Path):
    store_dir = tmp_path / "store"
    with govgraph.EmbeddedStore(store_dir) as store:
        govgraph.build([DATA / "ifg-2014-bracken-strategy-is-delivery.txt"], store)
    inside = store_dir / "docs"
    inside.mkdir()
    shutil.copy(DATA / "ifg-2014-bracken-strategy-is-delivery.txt", inside)
    with govgraph.EmbeddedStore(store_dir) as store, pytest.raises(StoreError, match="inside the store"):
        govgraph.build([inside], store)


def test_missing_and_empty_folders_become_stores(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (empty, tmp_path / "new" / "deeper"):
        code, output = _build_cli(str(BRACKEN), "--store", str(folder))
        assert code == 0, output
        assert layout.read_manifest(folder) == layout.Manifest(1)


def test_a_file_as_the_store_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "store"
    path.write_text("not a folder")
    code, output = _build_cli(str(DATA), "--store", str(path))
    assert code in (1, 2) and "Traceback" not in output and path.read_text() == "not a folder"


def _foreign_store(folder: Path) -> None:
    """A pyoxigraph store made by someone else: quads in a named graph, an empty default graph."""
    store = ox.Store(str(folder))
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                      ox.Literal("o"), ox.NamedNode("http://example.org/g")))
    store.flush()
    del store


def test_a_pyoxigraph_store_govgraph_did_not_make_is_read_but_never_changed(tmp_path: Path):
    folder = tmp_path / "theirs"
    _foreign_store(folder)
    before = _tree(folder)
    with pytest.raises(StoreError, match="did not make"):
        govgraph.EmbeddedStore(folder)
    with govgraph.EmbeddedStore(folder, read_only=True) as store:  # the union, asked for, not written
        rows = store.select("SELECT ?o WHERE { ?s ?p ?o }")
    assert [str(r["o"]) for r in rows] == ["o"]
    store = ox.Store.read_only(str(folder))
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    del store
    assert set(before) <= set(_tree(folder))  # RocksDB's own log files aside, nothing was rewritten
    assert not (folder / layout.MANIFEST).exists()


def test_a_newer_store_format_is_refused(tmp_path: Path):
    folder = tmp_path / "store"
    folder.mkdir()
    (folder / layout.MANIFEST).write_text('{"format": "govgraph-store", "version": 99, "generation": 0}')
    with pytest.raises(StoreError, match="newer govgraph"):
        govgraph.EmbeddedStore(folder)


def test_an_old_generation_outlives_its_readers(tmp_path: Path):
    """A reader keeps the generation it opened through later builds; it goes when the reader does."""
    store_dir = tmp_path / "store"
    paths = sorted(DATA.iterdir())
    with govgraph.EmbeddedStore(store_dir) as store:
        govgraph.build(paths[:1], store)
    reader = govgraph.EmbeddedStore(store_dir, read_only=True)
    first = reader.generation
    with govgraph.EmbeddedStore(store_dir) as store:
        govgraph.build(paths[:2], store)
    assert not reader.is_current()
    assert layout.generation_path(store_dir, first).is_dir()
    assert govgraph.store_stats(reader)["documents"] == 1  # still reads what it opened
    reader.close()
    with govgraph.EmbeddedStore(store_dir) as store:
        govgraph.build(paths[:3], store)
        assert govgraph.store_stats(store)["documents"] == 3
    assert layout.generations_on_disk(store_dir) == {first + 2}


def _query_loop(url: str, stop: threading.Event, outcomes: list[str]) -> None:
    query = "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a <https://w3id.org/govgraph/ontology#Speech> }"
    while not stop.is_set() and len(outcomes) < 20_000:
        request = f"{url}?{urllib.parse.urlencode({'query': query})}"
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                outcomes.append("ok" if response.status == 200 else f"status {response.status}")
        except Exception as exc:  # every failure is counted, whatever its kind
            outcomes.append(f"{type(exc).__name__}: {exc}")


def test_queries_never_fail_while_builds_run(tmp_path: Path):
    """Query loops against the endpoint across first and incremental builds in other processes."""
    store_dir, docs = tmp_path / "store", tmp_path / "docs"
    docs.mkdir()
    for path in sorted(DATA.iterdir())[:3]:
        shutil.copy(path, docs / path.name)
    with govgraph.EmbeddedStore(store_dir) as store:
        govgraph.build([docs], store)
    outcomes: list[str] = []
    stop = threading.Event()
    settings = ServerSettings(store_dir, port=0, timeout=20.0, workers=2)
    with running_server(settings) as url:
        loops = [threading.Thread(target=_query_loop, args=(url, stop, outcomes)) for _ in range(3)]
        for loop in loops:
            loop.start()
        try:
            for round_ in range(4):  # new documents, then changed ones: incremental builds
                for number in range(20):
                    name = f"{FIRST_NAMES[number % len(FIRST_NAMES)]} {SURNAMES[round_]}"
                    (docs / f"talk-{number:02d}.txt").write_text(SPEAKER.format(name=name))
                done = subprocess.run([sys.executable, "-m", "govgraph", "build", str(docs), "--store",
                                       str(store_dir), "--no-validate"], capture_output=True, text=True,
                                      timeout=300, env={**os.environ, "GOVGRAPH_STORE": ""})
                assert done.returncode == 0, done.stderr
        finally:
            stop.set()
            for loop in loops:
                loop.join()
    failures = [o for o in outcomes if o != "ok"]
    assert len(outcomes) > 50 and failures == []


@pytest.fixture
def small_disk(tmp_path: Path):
    """A 32 MB file system of its own (tmpfs, mounted as root), so a build can really fill it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    command = ["mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", str(mount)]
    done = subprocess.run(command, capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(disk: Path, leave_kib: int) -> None:
    free = shutil.disk_usage(disk).free
    (disk / "filler").write_bytes(b"\0" * max(free - leave_kib * 1024, 0))


@pytest.mark.disk
def test_a_full_disk_during_an_incremental_build_is_one_line_and_the_store_as_it_was(small_disk, tmp_path):
    store_dir = small_disk / "store"
    code, output = _build_cli(str(DATA), "--store", str(store_dir))
    assert code == 0, output
    before = _tree(store_dir)
    docs = tmp_path / "more"
    docs.mkdir()
    text = (DATA / "ifg-2014-bracken-strategy-is-delivery.txt").read_text(encoding="utf-8")
    for number in range(20):
        (docs / f"copy-{number:02d}.txt").write_text(text, encoding="utf-8")
    _fill(small_disk, leave_kib=300)
    done = subprocess.run([sys.executable, "-m", "govgraph", "build", str(docs), "--store", str(store_dir)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "No space left" in done.stderr and "internal error" not in done.stderr
    assert _tree(store_dir) == before
    (small_disk / "filler").unlink()
    code, output = _build_cli(str(docs), "--store", str(store_dir))  # with room again, the build goes through
    assert code == 0, output


def _damaged_stores(tmp_path: Path) -> dict[str, Path]:
    """Folders a store command may be pointed at that it cannot read: each must be one clear line."""
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    garbled = tmp_path / "garbled"
    garbled.mkdir()
    (garbled / layout.MANIFEST).write_text("{not json")
    missing = tmp_path / "missing-generation"
    missing.mkdir()
    layout.write_manifest(missing, layout.Manifest(3))
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    broken = tmp_path / "broken-pyoxigraph"
    broken.mkdir()
    (broken / "CURRENT").write_text("not a RocksDB manifest name\n")
    return {"a file": a_file, "a damaged manifest": garbled, "a missing generation": missing,
            "a folder of other files": other, "a broken pyoxigraph store": broken}


@pytest.mark.parametrize("command", [["serve", "--port", "0"], ["stats"], ["query", "speech-timeline"]])
def test_commands_on_unreadable_stores_say_so_in_one_line(tmp_path: Path, command: list[str]):
    for what, folder in _damaged_stores(tmp_path).items():
        result = CliRunner().invoke(cli, [*command, "--store", str(folder)])
        assert result.exit_code in (1, 2), (what, result.output)
        if result.exit_code == 1:  # govgraph's error; 2 is click's usage error for a file given as a folder
            assert result.output.count("\n") == 1, (what, result.output)
        assert result.output.splitlines()[-1].startswith("Error: "), (what, result.output)
        assert "internal error" not in result.output, (what, result.output)
        assert "Traceback" not in result.output, (what, result.output)


def test_commands_on_the_working_folder_say_so_in_one_line(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.txt").write_text("mine")
    for command in (["serve", "--port", "0"], ["stats"], ["build", str(DATA)]):
        result = CliRunner().invoke(cli, [*command, "--store", "."])
        assert result.exit_code in (1, 2) and result.output.startswith("Error: "), result.output
        assert "internal error" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
