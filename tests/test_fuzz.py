"""Hostile input: whatever the bytes, the reader and extractor either work or raise their own errors."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govgraph
from govgraph.build import extract_document
from govgraph.cli import cli
from govgraph.documents import iter_document_paths, parse_document, read_document
from govgraph.errors import DocumentError, GovGraphError
from govgraph.graph import document_iri, extraction_triples
from govgraph.store import graph_nquads
from govgraph.validate import validate_nquads

from .conftest import DATA

MEDIA = st.sampled_from(["text/plain", "text/markdown", "text/html"])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
REAL_PAGE = (DATA / "ifg-2015-heywood-modern-cabinet-secretary.html").read_bytes()


def _read_and_extract(data: bytes, media_type: str) -> None:
    """The contract: what can be read loads, as a graph with no violation (gaps are warnings);
    what cannot is a DocumentError in one line."""
    try:
        document = parse_document(data, f"fuzz.{media_type.split('/')[1]}", media_type)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    extraction = extract_document(document)
    name = document_iri(document.slug or "fuzz")
    assert not validate_nquads(graph_nquads(extraction_triples(extraction), name)).violations


@FUZZ
@given(data=st.binary(max_size=4096), media_type=MEDIA)
def test_random_bytes(data, media_type):
    _read_and_extract(data, media_type)


@FUZZ
@given(text=st.text(max_size=3000), media_type=MEDIA)
def test_random_unicode(text, media_type):
    _read_and_extract(text.encode("utf-8", "surrogatepass"), media_type)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(REAL_PAGE)), junk=st.binary(max_size=64))
def test_truncated_and_spliced_html(cut, junk):
    _read_and_extract(REAL_PAGE[:cut] + junk, "text/html")


@FUZZ
@given(text=st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=400),
       encoding=st.sampled_from(["latin-1", "utf-16-le", "cp1252", "shift_jis"]))
def test_other_encodings_are_read_or_refused(text, encoding):
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _read_and_extract(data, "text/plain")


@pytest.mark.parametrize("html", [
    b"<div>" * 20_000 + b"Jane Doe, Head of Digital, spoke." + b"</div>" * 20_000,
    b"<html><body><p>" + b"<b>" * 50_000,
    b'<html><head><meta charset="no-such-charset"></head><body>Jane Doe spoke.</body></html>',
    b"<!DOCTYPE html><html><script>" + b"x" * 100_000,
])
def test_pathological_html(html):
    started = time.monotonic()
    _read_and_extract(html, "text/html")
    assert time.monotonic() - started < 30


def test_one_huge_line_is_read_in_bounded_time():
    line = ("Jane Doe, Head of Digital at the Cabinet Office, spoke about digital transformation. " * 60_000)
    started = time.monotonic()
    _read_and_extract(line.encode(), "text/plain")
    assert time.monotonic() - started < 60


def test_a_50_megabyte_file_is_stopped_by_the_size_limit(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        out.truncate(50 * 1024 * 1024)
    with pytest.raises(DocumentError, match="over the 10,485,760-byte limit"):
        read_document(big)
    with pytest.raises(DocumentError, match="over the 1,000-byte limit"):
        read_document(DATA / "ifg-2014-bracken-strategy-is-delivery.txt", max_bytes=1000)


@pytest.fixture
def odd_folder(tmp_path: Path) -> Path:
    """Good documents beside links (one a loop), a socket, a FIFO and an unreadable file."""
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "good.txt").write_bytes((DATA / "ifg-2014-bracken-strategy-is-delivery.txt").read_bytes())
    (folder / "link.txt").symlink_to(folder / "good.txt")
    (folder / "loop").symlink_to(folder)
    (folder / "dangling.md").symlink_to(folder / "missing.md")
    os.mkfifo(folder / "pipe.txt")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "socket.html"))
    locked = folder / "locked.txt"
    locked.write_text("Jane Doe, Head of Digital, spoke.")
    locked.chmod(0)
    yield folder
    server.close()
    locked.chmod(0o600)


def test_links_sockets_and_pipes_are_skipped(odd_folder):
    found = [p.name for p in iter_document_paths([odd_folder])]
    assert "good.txt" in found
    assert not {"link.txt", "pipe.txt", "socket.html", "dangling.md"} & set(found)
    for special in ("pipe.txt", "socket.html"):
        with pytest.raises(DocumentError, match="not a regular file"):
            read_document(odd_folder / special)


def test_building_an_odd_folder_never_crashes_and_keeps_the_store(odd_folder, tmp_path):
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["build", str(odd_folder), "--store", str(store), "--keep-going"])
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        assert not govgraph.validate_store(opened).violations
        assert govgraph.store_stats(opened)["documents"] >= 2  # the good one, and the speakerless one
    named_pipe = CliRunner().invoke(cli, ["build", str(odd_folder / "pipe.txt"), "--store", str(store)])
    assert named_pipe.exit_code == 1 and named_pipe.output.startswith("Error: ")


@pytest.mark.parametrize("name", ['x" } DROP ALL #', "../../etc/passwd", "<script>", "%00", "*"])
def test_hostile_names_match_nothing_and_change_nothing(demo_store, name):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        before = len(store)
        snapshot = govgraph.read_snapshot(store)
        with pytest.raises(GovGraphError):
            govgraph.related_speeches(snapshot, name)
        result = govgraph.query("speeches-by-speaker", {"name": name}, store=store)
        assert len(result) == 0 and len(store) == before
