"""Faults: builds killed at random moments, two builds at once, reads during a build. Nothing is lost."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox
import pytest

import govgraph
from govgraph import layout

from .conftest import DATA

KILLS = 6
COPIES = 8  # 15 documents x 8 = 120 documents, written 10 per transaction


@pytest.fixture(scope="module")
def many_docs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("many")
    for copy in range(COPIES):
        for path in sorted(DATA.iterdir()):
            shutil.copy(path, folder / f"c{copy}-{path.name}")
    return folder


@pytest.fixture(scope="module")
def reference_store(many_docs, tmp_path_factory) -> Path:
    """A build that ran to the end."""
    store = tmp_path_factory.mktemp("reference") / "store"
    assert _build(many_docs, store).wait(timeout=300) == 0
    return store


@pytest.fixture(scope="module")
def reference(reference_store) -> dict[str, frozenset[str]]:
    """The reference build's graphs: graph name -> its quads."""
    return _graphs(reference_store)


def _build(docs: Path | list[Path], store: Path) -> subprocess.Popen:
    paths = [str(p) for p in (docs if isinstance(docs, list) else [docs])]
    command = [sys.executable, "-m", "govgraph", "build", *paths, "--store", str(store), "--batch", "10",
               "--workers", "2", "--no-validate"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _graphs(store: Path) -> dict[str, frozenset[str]]:
    with govgraph.EmbeddedStore(store, read_only=True) as opened:  # as govgraph's readers open it
        return _by_graph(opened._store)


def _by_graph(quads) -> dict[str, frozenset[str]]:
    graphs: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        graphs[str(quad.graph_name)].add(f"{quad.subject} {quad.predicate} {quad.object}")
    return {name: frozenset(triples) for name, triples in graphs.items()}


def _remote_graphs(server) -> dict[str, frozenset[str]]:
    """Every named graph on the server, read back through the Graph Store Protocol."""
    request = urllib.request.Request(server.gsp_url, headers={"Accept": "application/n-quads"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return _by_graph(ox.parse(response.read(), format=ox.RdfFormat.N_QUADS))


def _documents(graphs: dict[str, frozenset[str]]) -> set[str]:
    return {name for name in graphs if "/id/document/" in name}


def _seeded(many_docs: Path, store: Path) -> Path:
    """A store holding the first copy's documents, so that later builds write in transactions."""
    assert _build(sorted(many_docs.glob("c0-*")), store).wait(timeout=300) == 0
    return store


@pytest.mark.parametrize("first", [False, True], ids=["into-a-store-with-data", "first-build"])
def test_builds_killed_at_random_moments_lose_nothing_and_finish_on_rerun(many_docs, reference, tmp_path,
                                                                        first):
    rng = random.Random(20261125)
    store = tmp_path / "store"
    template = tmp_path.parent / f"{tmp_path.name}-template"  # the store every kill starts from
    if first:
        template.mkdir()
    else:
        _seeded(many_docs, template)
    started = time.monotonic()
    assert _build(many_docs, tmp_path / "timed").wait(timeout=300) == 0
    seconds = time.monotonic() - started  # kills land at random moments within a build's own time
    shutil.rmtree(tmp_path / "timed")
    shutil.copytree(template, store)
    survived = []
    for _ in range(KILLS // 2 if first else KILLS):
        if survived and survived[-1] == len(_documents(reference)):  # the last build was published: again
            shutil.rmtree(store)
            shutil.copytree(template, store)
        process = _build(many_docs, store)
        time.sleep(rng.uniform(0.1, 1.1) * seconds)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        if not any(store.iterdir()):  # killed before it had claimed the empty folder: still empty
            survived.append(0)
            continue
        graphs = _graphs(store)  # the store opens after every kill
        for name in _documents(graphs):  # every document present is whole, never half
            assert graphs[name] == reference[name], f"{name} is incomplete after a kill"
        survived.append(len(_documents(graphs)))
        with govgraph.EmbeddedStore(store, read_only=True) as opened:
            assert govgraph.validate_store(opened).conforms
    assert _build(many_docs, store).wait(timeout=300) == 0
    final = _graphs(store)
    assert final == reference, "re-running the build must complete the graph, with nothing doubled"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store"], "a killed build's folders remain"
    assert layout.generations_on_disk(store) == {layout.read_manifest(store).generation}
    before = 0 if first else len(list(many_docs.glob("c0-*")))
    shutil.rmtree(template)
    assert set(survived) <= {before, len(_documents(reference))}, survived  # the store before, or all of it
    assert before in survived, f"no kill landed before the build was published: {survived}"


def _writer_holds(store: Path) -> bool:
    """True while some process holds the store's writer lock."""
    import fcntl

    try:
        with open(store / layout.WRITER_LOCK, "ab") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except (BlockingIOError, FileNotFoundError):
        return (store / layout.WRITER_LOCK).exists()
    return False


def test_two_builds_at_once_one_waits_or_fails_clearly(many_docs, tmp_path):
    store = tmp_path / "store"
    first = _build(many_docs, store)
    deadline = time.monotonic() + 60
    while not _writer_holds(store) and time.monotonic() < deadline:
        time.sleep(0.05)
    second = _build(many_docs, store)
    outcomes = {}
    for process in (first, second):
        _, err = process.communicate(timeout=300)
        outcomes[process.returncode] = err.decode()
    assert set(outcomes) == {0, 1}, outcomes  # one build finishes, the other stops at once
    assert outcomes[1].startswith("Error: the store at")
    assert "in use by another govgraph process" in outcomes[1]
    assert "Traceback" not in outcomes[1]
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        assert govgraph.validate_store(opened).conforms


def test_reads_during_a_build_see_the_store_before_it_or_after_it(many_docs, reference, tmp_path):
    store = _seeded(many_docs, tmp_path / "store")
    seeded = _graphs(store)
    process = _build(many_docs, store)
    seen = []
    try:
        while process.poll() is None:
            graphs = _graphs(store)
            assert graphs in (seeded, reference), "a reader saw part of a build"
            seen.append(graphs == reference)
            time.sleep(0.1)
    finally:
        process.wait(timeout=300)
    assert process.returncode == 0
    assert False in seen, "the reads should have caught the store while the build ran"
    assert _graphs(store) == reference


def test_pushes_killed_at_random_moments_are_finished_by_pushing_again(reference_store, reference, tmp_path):
    from .servers import oxigraph_server

    rng = random.Random(7)
    command = [sys.executable, "-m", "govgraph", "push", "--store", str(reference_store), "--retries", "1"]
    with oxigraph_server(tmp_path / "remote") as server:
        for _ in range(KILLS):
            push = subprocess.Popen([*command, "--endpoint", server.gsp_url], start_new_session=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.2, 2.5))
            os.killpg(push.pid, signal.SIGKILL)
            push.wait(timeout=30)
            for name, triples in _remote_graphs(server).items():  # whatever arrived, arrived whole
                assert triples == reference[name], f"{name} arrived half pushed"
        finished = subprocess.run([*command, "--endpoint", server.gsp_url], capture_output=True, timeout=300)
        assert finished.returncode == 0, finished.stderr.decode()
        assert _remote_graphs(server) == _named(reference)


def _named(graphs: dict[str, frozenset[str]]) -> dict[str, frozenset[str]]:
    """The named graphs only: a push sends those; the local default graph is their deduplicated union."""
    return {name: triples for name, triples in graphs.items() if name != str(ox.DefaultGraph())}
