from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import cli
from govgraph.documents import iter_document_paths, parse_document, read_document, shown_name
from govgraph.errors import DocumentError

from .conftest import DATA

ODD_NAME = "bad\nname\x1b[31m.txt"

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Talk | Site</title></head>
<body>
<div class="cookie-banner">We use cookies. Jane Chrome agrees.</div>
<header class="masthead"><nav><a href="/">Home</a><a href="/hmrc">HMRC news</a></nav></header>
<main><article>
  <h1>Open standards: Ada Example on data</h1>
  <p>Ada Example, head of the Office for National Statistics, spoke
     at the Data Summit on 3 May 2016.</p>
  <ul class="tags"><li>Department for Transport</li></ul>
</article>
<aside><h2>Related content</h2><a href="/x">Bob Elsewhere at the Home Office</a></aside>
</main>
<footer>Copyright Cabinet Office</footer>
</body></html>"""


def test_html_keeps_only_the_article():
    doc = parse_document(PAGE.encode(), "talk.html", "text/html")
    assert doc.title == "Open standards: Ada Example on data"
    assert "Ada Example, head of the Office for National Statistics, spoke at the Data Summit" in doc.text
    for chrome in ("cookies", "HMRC", "Department for Transport", "Home Office", "Cabinet Office",
                   "Related content"):
        assert chrome not in doc.text


def test_markdown_front_matter_and_labelled_lines():
    text = ("---\ntitle: A talk\ndate: 2017-02-01\n---\n# Heading\n\n"
            "Speaker: Ada Example, Head\nEvent: Summit\n\nBody text here.\n")
    doc = parse_document(text.encode(), "t.md", "text/markdown")
    assert doc.metadata["date"] == "2017-02-01"
    assert doc.title == "A talk"
    assert "Speaker: Ada Example, Head" in doc.blocks
    assert "Event: Summit" in doc.blocks


def test_plain_text_lines_are_blocks_and_chrome_lines_go():
    doc = parse_document("Title line\n\nFirst para.\n  • a bullet\nRelated content\n".encode(),
                         "t.txt", "text/plain")
    assert doc.blocks == ("Title line", "First para.", "• a bullet")


def test_same_bytes_same_hash_and_slug():
    a = parse_document(b"Some text.", "My Talk 2014.txt", "text/plain")
    b = parse_document(b"Some text.", "My Talk 2014.txt", "text/plain")
    assert a.content_hash == b.content_hash
    assert a.slug == "my-talk-2014"


@pytest.mark.parametrize(
    ("data", "name", "media", "message"),
    [
        (b"", "e.txt", "text/plain", "empty"),
        (b"   \n\n  ", "e.txt", "text/plain", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "p.txt", "text/plain", "binary"),
        ("caf\u00e9 society".encode("latin-1"), "l.txt", "text/plain", "not valid UTF-8"),
        ("a talk about caf\u00e9".encode()[:-1], "t.txt", "text/plain", "truncated"),
        (b"<html><body><p>Half a page", "h.html", "text/html", "truncated"),
        (b"---\ntitle: x\nno end", "m.md", "text/markdown", "truncated"),
        (b"<html><body><nav>menu</nav></body></html>", "n.html", "text/html", "no article text"),
    ],
)
def test_bad_input_raises_a_document_error_naming_the_file(data, name, media, message):
    with pytest.raises(DocumentError) as info:
        parse_document(data, name, media)
    assert name in str(info.value)
    assert message in str(info.value)


def test_declared_html_charset_is_honoured():
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 talk.</p></body></html>'
    doc = parse_document(page.encode("cp1252"), "w.html", "text/html")
    assert "Café talk." in doc.text


def test_unreadable_paths(tmp_path: Path):
    with pytest.raises(DocumentError, match="unsupported file type"):
        read_document(tmp_path / "x.pdf")
    with pytest.raises(DocumentError, match="not a regular file"):
        read_document(tmp_path / "missing.txt")
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000)
    with pytest.raises(DocumentError, match="limit"):
        read_document(big, max_bytes=100)
    with pytest.raises(DocumentError, match="no such file"):
        list(iter_document_paths([tmp_path / "nowhere"]))


def test_folders_are_walked_in_a_stable_order(tmp_path: Path):
    for name in ("b.md", "a.txt", "c.html", "skip.pdf"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in iter_document_paths([tmp_path])] == ["a.txt", "b.md", "c.html"]


def test_a_file_that_grows_after_the_size_check_is_stopped_by_the_read_bound(tmp_path, monkeypatch):
    grown = tmp_path / "grown.txt"
    grown.write_text("word " * 1000)

    def small(real: os.stat_result) -> os.stat_result:
        fields = list(real)
        fields[6] = 10  # st_size, as it was when the file was checked
        return os.stat_result(fields)

    real_stat, real_fstat = Path.stat, os.fstat
    monkeypatch.setattr(Path, "stat", lambda self, **kw: small(real_stat(self, **kw)))
    monkeypatch.setattr(os, "fstat", lambda fd: small(real_fstat(fd)))
    with pytest.raises(DocumentError, match="over the 100-byte limit"):
        read_document(grown, max_bytes=100)


def test_a_fifo_swapped_in_after_the_check_is_refused_at_once(tmp_path: Path, monkeypatch):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    monkeypatch.setattr(Path, "is_file", lambda self: True)  # it was a file when checked
    raised: list[DocumentError] = []

    def read() -> None:
        try:
            read_document(fifo)
        except DocumentError as exc:  # handed to the test, which fails on anything else
            raised.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=5)
    if reader.is_alive():  # let the blocked reader go: open the FIFO's other end, then close it
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(timeout=5)
        pytest.fail("reading a FIFO waited for a writer")
    assert len(raised) == 1 and "not a regular file" in str(raised[0])


def test_shown_name_keeps_plain_names_and_escapes_control_characters():
    assert shown_name("My Talk (2014) café.txt") == "My Talk (2014) café.txt"
    assert shown_name(Path("/data/talk.md")) == "/data/talk.md"
    shown = shown_name(ODD_NAME)
    assert "\n" not in shown and "\x1b" not in shown
    assert "bad\\nname\\x1b[31m.txt" in shown
    assert "\\u202e" in shown_name("talk\u202etxt.exe.md")  # right-to-left override


def test_a_file_name_with_control_characters_is_printed_escaped(tmp_path: Path):
    bad = tmp_path / ODD_NAME
    bad.write_bytes(b"")
    with pytest.raises(DocumentError) as info:
        read_document(bad)
    message = str(info.value)
    assert "\n" not in message and "\x1b" not in message
    assert "bad\\nname\\x1b[31m.txt" in message and "empty" in message


def test_build_prints_control_characters_in_file_names_escaped(tmp_path: Path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / ODD_NAME).write_bytes(b"")
    speech = (DATA / "ifg-2014-bracken-strategy-is-delivery.txt").read_bytes()
    (folder / "talk.txt").write_bytes(speech)
    (folder / "talk\x1b.txt").write_bytes(speech)  # the same slug: "has the same name as"
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 1, result.output
    assert "\x1b" not in result.output and "\r" not in result.output
    lines = result.output.splitlines()
    assert any("bad\\nname\\x1b[31m.txt" in line and "empty" in line for line in lines)
    assert any("has the same name as" in line and "talk\\x1b.txt" in line for line in lines)


def test_a_line_break_separates_words_and_a_related_list_goes_with_its_heading():
    page = ("<html><body><main><h1>Speech</h1><p>Ottawa, Ontario<br>November 5, 2024</p>"
            "<p>Good morning, this is the speech text for everyone.</p><h2>Related content</h2>"
            "<ul><li><a href='/x'>Another speech by Alan Smithe</a></li></ul><p>Final words.</p></main></body></html>")
    blocks = parse_document(page.encode(), "t.html", "text/html").blocks
    assert "Ottawa, Ontario November 5, 2024" in blocks
    assert not any("Smithe" in block or "Related" in block for block in blocks)
    assert blocks[-1] == "Final words."


def test_a_schema_org_event_in_json_ld_gives_the_events_labels():
    page = ('<html><head><script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": '
            '"WebPage"}, {"@type": "EducationEvent", "name": "Open Services Summit 2025", "startDate": '
            '"2025-06-12T09:00:00+01:00", "eventAttendanceMode": "https://schema.org/MixedEventAttendanceMode", '
            '"location": {"@type": "Place", "name": "Guildhall, London"}, "organizer": {"name": "Civic Futures '
            'Institute"}, "performer": [{"@type": "Person", "name": "Jane Rowe"}, "Tom Fry"]}]}</script>'
            '<script type="application/ld+json">{not json</script></head><body><main><h1>Summit write-up</h1>'
            "<p>Our summit looked at how public services can earn trust, with talks and a panel.</p></main></body></html>")
    metadata = parse_document(page.encode(), "t.html", "text/html").metadata
    assert {k: metadata[k] for k in ("event name", "event date", "organised by", "location", "speaker", "format")} == {
        "event name": "Open Services Summit 2025", "event date": "2025-06-12", "organised by": "Civic Futures Institute",
        "location": "Guildhall, London", "speaker": "Jane Rowe; Tom Fry", "format": "hybrid"}
