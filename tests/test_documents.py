from __future__ import annotations

from pathlib import Path

import pytest

from govgraph.documents import iter_document_paths, parse_document, read_document
from govgraph.errors import DocumentError

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
