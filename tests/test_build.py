"""The loader end to end on the real on-disk store: idempotent, all-or-nothing, validated."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

import govgraph
from govgraph import layout
from govgraph.errors import StoreError
from govgraph.namespaces import GG, ID

from .conftest import DATA


def _dump(store_dir: Path) -> list[str]:
    """Every quad in the store, sorted: two stores are equal when these lists are."""
    with govgraph.EmbeddedStore(store_dir, read_only=True) as store:
        return sorted(str(q) for q in store._store)


def _build(store_dir: Path, paths, **kwargs) -> govgraph.BuildReport:
    with govgraph.EmbeddedStore(store_dir) as store:
        return govgraph.build(paths, store, **kwargs)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    store_dir = tmp_path_factory.mktemp("built") / "store"
    _build(store_dir, [DATA])
    return store_dir


def test_bundled_data_builds_and_conforms(built: Path):
    with govgraph.EmbeddedStore(built, read_only=True) as store:
        stats = govgraph.store_stats(store)
        report = govgraph.validate_store(store)
    assert report.conforms, report.summary()
    assert stats["documents"] == len(list(DATA.iterdir())) >= 12
    assert stats["speeches"] == stats["documents"]
    assert stats["pressures"] == 5
    assert stats["links"] >= 3


def test_the_seed_link_resolves_to_donnellys_speech(built: Path):
    with govgraph.EmbeddedStore(built, read_only=True) as store:
        rows = store.select("SELECT ?s ?target WHERE { ?s gg:follows ?target }",
                            {"s": ID["speech/ifg-2014-bracken-strategy-is-delivery"]})
    assert [r["target"] for r in rows] == [ID["speech/ifg-2014-donnelly-positive-neutrality-and-trust"]]


def test_loading_twice_changes_nothing(built: Path, tmp_path: Path):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    before = _dump(copy)
    report = _build(copy, [DATA])
    assert report.loaded == [] and len(report.unchanged) == len(list(DATA.iterdir()))
    assert _dump(copy) == before


def test_fresh_builds_are_identical(built: Path, store_dir: Path):
    _build(store_dir, [DATA])
    assert _dump(store_dir) == _dump(built)


@pytest.mark.parametrize("bad", [b"", b"\x00\x01\x02binary", "caf\u00e9".encode("latin-1")])
def test_bad_document_leaves_the_store_exactly_as_it_was(built: Path, tmp_path: Path, bad: bytes):
    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    before = _dump(copy)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "bad.txt").write_bytes(bad)
    shutil.copy(DATA / "ted2012-pahlka-coding-a-better-government.txt", docs / "new-talk.txt")
    with pytest.raises(govgraph.BuildError) as info:
        _build(copy, [docs])
    assert "bad.txt" in str(info.value)
    assert _dump(copy) == before


def test_keep_going_loads_the_good_and_reports_the_bad(store_dir: Path, tmp_path: Path):
    (tmp_path / "bad.html").write_bytes(b"<html><body><p>cut off")
    shutil.copy(DATA / "ted2012-pahlka-coding-a-better-government.txt", tmp_path / "good.txt")
    report = _build(store_dir, [tmp_path], keep_going=True)
    assert [Path(p).name for p in report.loaded] == ["good.txt"]
    assert [Path(f.path).name for f in report.failures] == ["bad.html"]


def test_a_changed_document_replaces_its_old_facts(store_dir: Path, tmp_path: Path):
    doc = tmp_path / "talk.txt"
    doc.write_text("Ada Lovelace, Head of the Government Digital Service, spoke about budget cuts.\n")
    _build(store_dir, [doc])
    doc.write_text("Ada Lovelace, Head of the Government Digital Service, spoke about cyber attacks.\n")
    _build(store_dir, [doc])
    with govgraph.EmbeddedStore(store_dir, read_only=True) as store:
        rows = store.select("SELECT ?p WHERE { ?s gg:namesPressure ?p }")
        graphs = store.graph_names()
    assert [r["p"] for r in rows] == [ID["pressure/security"]]
    assert not [g for g in graphs if str(g).endswith("/staging")]


def test_store_is_real_and_on_disk(built: Path):
    manifest = layout.read_manifest(built)
    assert manifest is not None and manifest.generation >= 1
    assert layout.is_pyoxigraph_folder(layout.generation_path(built, manifest.generation))
    with govgraph.EmbeddedStore(built, read_only=True) as store:
        assert GG.Speech in {r["t"] for r in store.select("SELECT DISTINCT ?t WHERE { ?s a ?t }")}


def test_a_second_writer_gets_a_clear_error(store_dir: Path):
    with govgraph.EmbeddedStore(store_dir), pytest.raises(StoreError, match="in use"):
        govgraph.EmbeddedStore(store_dir)


def test_reading_a_missing_store_says_what_to_do(tmp_path: Path):
    with pytest.raises(StoreError, match="govgraph build"):
        govgraph.EmbeddedStore(tmp_path / "none", read_only=True)


@pytest.fixture
def small_batches(monkeypatch):
    """Batches of two documents and parallel workers from four files, to exercise those paths."""
    building = importlib.import_module("govgraph.build")  # the module: govgraph.build is the function
    monkeypatch.setattr(building, "BATCH_DOCUMENTS", 2)
    monkeypatch.setattr(building, "CHUNK_DOCUMENTS", 3)
    monkeypatch.setattr(building, "PARALLEL_FROM", 4)


def test_first_incremental_parallel_and_serial_builds_give_the_same_graph(built, tmp_path, small_batches):
    _build(tmp_path / "parallel", [DATA], workers=2)
    _build(tmp_path / "serial", [DATA], workers=1)
    paths = sorted(DATA.iterdir())
    _build(tmp_path / "incremental", paths[:1])  # a first build (bulk, side store) of one document,
    report = _build(tmp_path / "incremental", [DATA], workers=2)  # then transactions for the rest
    assert len(report.loaded) == len(paths) - 1
    assert _dump(tmp_path / "parallel") == _dump(built) == _dump(tmp_path / "serial")
    assert _dump(tmp_path / "incremental") == _dump(built)


def _contents(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.iterdir())


def test_a_build_publishes_one_generation_and_leaves_nothing_else(tmp_path, small_batches):
    store_dir = tmp_path / "store"
    talk = tmp_path / "talk.txt"
    talk.write_text("Ada Lovelace, Head of the Government Digital Service, spoke about cyber attacks.\n")
    _build(store_dir, [DATA], workers=2)
    assert _contents(store_dir) == ["g000001", "g000001.lock", "govgraph-store.json", "writer.lock"]
    _build(store_dir, [DATA])  # nothing changed: nothing written, no new generation
    assert _contents(store_dir) == ["g000001", "g000001.lock", "govgraph-store.json", "writer.lock"]
    _build(store_dir, [DATA, talk])  # one more document: a new generation replaces the old
    assert _contents(store_dir) == ["g000002", "g000002.lock", "govgraph-store.json", "writer.lock"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "talk.txt"]


def test_a_failed_first_build_leaves_the_store_empty_and_no_generation_behind(tmp_path, small_batches):
    docs = tmp_path / "docs"
    docs.mkdir()
    for path in sorted(DATA.iterdir()):
        shutil.copy(path, docs / path.name)
    (docs / "zz-last.txt").write_bytes(b"\xff\xfe\x00binary\x00")  # fails after batches were written
    store_dir = tmp_path / "out" / "store"
    with pytest.raises(govgraph.BuildError, match=r"zz-last\.txt"):
        _build(store_dir, [docs], workers=2)
    assert _dump(store_dir) == []
    assert _contents(store_dir) == ["govgraph-store.json", "writer.lock"]


def test_generations_left_by_a_killed_build_are_removed(tmp_path):
    store_dir = tmp_path / "store"
    _build(store_dir, sorted(DATA.iterdir())[:1])
    (store_dir / "g000007").mkdir()  # what a build killed before it published leaves
    (tmp_path / "store-notes").mkdir()  # not govgraph's: left alone
    _build(store_dir, sorted(DATA.iterdir())[:2])
    assert _contents(store_dir) == ["g000002", "g000002.lock", "govgraph-store.json", "writer.lock"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["store", "store-notes"]


def test_a_late_failure_rolls_back_the_batches_already_written(built, tmp_path, small_batches, monkeypatch):
    writes = []
    original = govgraph.EmbeddedStore.put_nquads
    monkeypatch.setattr(govgraph.EmbeddedStore, "put_nquads",
                        lambda self, *a, **k: (writes.append(1), original(self, *a, **k)))
    store_dir = tmp_path / "store"
    shutil.copytree(built, store_dir)
    before = _dump(store_dir)
    docs = tmp_path / "docs"
    docs.mkdir()
    for number, path in enumerate(sorted(DATA.iterdir())):
        shutil.copy(path, docs / f"a{number:02d}-{path.name}")  # new documents, written in batches
    (docs / "zz-last.txt").write_bytes(b"\xff\xfe\x00binary\x00")  # fails after the rest were written
    with pytest.raises(govgraph.BuildError, match=r"zz-last\.txt"):
        _build(store_dir, [docs], workers=2)
    assert len(writes) >= 3  # batches were written before the failure came in
    assert _dump(store_dir) == before


def test_the_graph_does_not_depend_on_the_process(tmp_path):
    """Processes with different string hashing extract the same facts (no set-order accidents)."""
    import os
    import subprocess
    import sys

    script = ("import json, sys, govgraph\n"
              "from govgraph.graph import extraction_triples\n"
              "for path in sorted(sys.argv[1:]):\n"
              "    extraction = govgraph.extract_file(path)\n"
              "    print(json.dumps(extraction.to_json(), sort_keys=True))\n"
              "    print(sorted(map(str, extraction_triples(extraction))))\n")
    outputs = set()
    for seed in ("0", "1", "2", "3", "4", "5"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, *map(str, DATA.iterdir())], check=True,
                              capture_output=True, env=env)
        outputs.add(done.stdout)
    assert len(outputs) == 1


def _default_is_the_union(store_dir: Path) -> bool:
    """The store's invariant: its default graph holds each triple of its named graphs, once."""
    import pyoxigraph as ox

    with govgraph.EmbeddedStore(store_dir, read_only=True) as opened:
        quads = list(opened.engine)
    default, named = set(), set()
    for quad in quads:
        triple = (str(quad.subject), str(quad.predicate), str(quad.object))
        (default if isinstance(quad.graph_name, ox.DefaultGraph) else named).add(triple)
    return default == named


def test_the_default_graph_stays_the_union_through_changes(built, tmp_path):
    store_dir = tmp_path / "store"
    shutil.copytree(built, store_dir)
    assert _default_is_the_union(store_dir)
    docs = tmp_path / "docs"
    docs.mkdir()
    changed = docs / "ifg-2014-bracken-strategy-is-delivery.txt"
    text = (DATA / changed.name).read_text(encoding="utf-8")
    changed.write_text(text.replace("procurement", "buying").replace("security", "safety"), encoding="utf-8")
    report = _build(store_dir, [docs])
    assert report.loaded and _default_is_the_union(store_dir)
    with govgraph.EmbeddedStore(store_dir) as store:
        store.remove_graphs([ID["document/ifg-2014-bracken-strategy-is-delivery"]])
    assert _default_is_the_union(store_dir)


def test_replacing_a_derived_graph_writes_the_difference_and_keeps_the_union(built, tmp_path):
    from rdflib import Literal

    store_dir = tmp_path / "store"
    shutil.copytree(built, store_dir)
    speech = ID["speech/ifg-2014-bracken-strategy-is-delivery"]
    own = (speech, GG.reason, Literal('only "here"\n'))
    name = ID["graph/derived-test"]
    with govgraph.EmbeddedStore(store_dir) as store:
        speaker = store.select("SELECT ?s ?o WHERE { ?s gg:deliveredBy ?o }", {"s": speech})[0]["o"]
        shared = (speech, GG.deliveredBy, speaker)  # a document graph holds it too
        store.replace_graph(name, [shared, own])
        assert _named(store, name) == {shared, own}
        updates: list[str] = []
        store._store = _Spy(store._store, updates)
        store.replace_graph(name, [own, shared])  # the same triples: nothing to write
        assert updates == []
        store.replace_graph(name, [own])  # the shared triple leaves this graph, not the default graph
        store.replace_graph(name, [])  # the own triple leaves both
        assert len(updates) == 2
        assert _named(store, name) == set()
    assert _default_is_the_union(store_dir)


def test_a_new_derived_graph_goes_in_chunks_and_a_failed_chunk_leaves_the_store_as_it_was(
        built, tmp_path, monkeypatch):
    from rdflib import Literal

    from govgraph import store as store_module

    store_dir = tmp_path / "store"
    shutil.copytree(built, store_dir)
    monkeypatch.setattr(store_module, "WRITE_CHUNK", 2)
    speech = ID["speech/ifg-2014-bracken-strategy-is-delivery"]
    triples = {(speech, GG.reason, Literal(f"reason {i}")) for i in range(5)}
    real_put = govgraph.EmbeddedStore.put_nquads
    calls = []

    def full_disk_at_the_second(self, nquads, bulk=False):
        calls.append(bulk)
        if len(calls) == 2:
            raise StoreError("writing to the store failed: No space left on device")
        real_put(self, nquads, bulk)

    with govgraph.EmbeddedStore(store_dir) as store:
        before = len(store)
        with monkeypatch.context() as patch:
            patch.setattr(govgraph.EmbeddedStore, "put_nquads", full_disk_at_the_second)
            with pytest.raises(StoreError, match="No space"):
                store.replace_graph(ID["graph/derived-test"], triples)
        assert calls == [True, True]  # bulk loads, the first written before the failure
        assert len(store) == before and ID["graph/derived-test"] not in store.graph_names()
        store.replace_graph(ID["graph/derived-test"], triples)  # three transactions
        assert _named(store, ID["graph/derived-test"]) == triples
    assert _default_is_the_union(store_dir)


class _Spy:
    """A store whose update calls are recorded."""

    def __init__(self, store, calls: list[str]) -> None:
        self._store, self._calls = store, calls

    def update(self, text: str) -> None:
        self._calls.append(text)
        self._store.update(text)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def _named(store: govgraph.EmbeddedStore, name) -> set:
    import pyoxigraph as ox

    from govgraph.terms import from_ox

    quads = store._store.quads_for_pattern(None, None, None, ox.NamedNode(str(name)))
    return {(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)) for q in quads}
