"""Read a file (plain text, Markdown, HTML or GOV.UK JSON) into a frozen Document: the article's clean text.

Only the article counts: HTML menus, cookie notices, breadcrumbs, tag lists, "Related content"
asides and footers are dropped here, so nothing downstream can mistake them for facts. GOV.UK
content items (JSON) and saved GOV.UK speech pages also carry their metadata, read by govuk.py.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import yaml
from bs4 import BeautifulSoup, Tag
from markdown_it import MarkdownIt

from .errors import DocumentError
from .layout import MANIFEST

if TYPE_CHECKING:  # govuk.py reads with this module's cleaning, so it is imported where it is used
    from .govuk import ContentItem

SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".txt": "text/plain",
        ".text": "text/plain",
        ".md": "text/markdown",
        ".markdown": "text/markdown",
        ".html": "text/html",
        ".htm": "text/html",
        ".json": "application/json",
        ".jsonl": "application/jsonl",
    }
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# never wait for a FIFO's writer, never adopt a terminal; O_BINARY exists (and matters) on Windows
_READ_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_BINARY", 0))

_BLOCK_TAGS = (
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "section", "header", "article",
    "blockquote", "dt", "dd", "tr", "br", "main", "ul", "ol", "figcaption", "pre", "table",
)
_CHROME_TAGS = ("script", "style", "nav", "aside", "footer", "form", "noscript", "iframe",
                "svg", "button", "template", "head")
_CHROME_MARKERS = re.compile(
    r"cookie|banner|breadcrumb|related|share|social|newsletter|subscribe|tags|rail|sidebar"
    r"|promo|advert|skip|most-read|popular|masthead|site-header|site-footer|menu|pagination",
    re.I,
)
_CHROME_LINES = re.compile(
    r"^(related content|related links|most read|share this( page)?|back to top|"
    r"print this page|tags?:.*|skip to (main )?content)$",
    re.I,
)
_PARA = "\u2029"
# "Speaker: ..." lines in Markdown are facts of their own, even without a blank line between them
_LABEL_LINE = re.compile(r"^(?:[-*+]\s+)?(?:\*\*|__)?[A-Z][A-Za-z ()]{1,20}:(?:\*\*|__)?\s+\S.*$", re.M)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Document:
    """One source document, reduced to the article text that extraction reads."""

    name: str
    media_type: str
    blocks: tuple[str, ...]
    content_hash: str
    title: str | None = None
    headings: tuple[str, ...] = ()
    metadata: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    source: str | None = None
    item: ContentItem | None = None  # a GOV.UK content item's metadata, each value with its field

    @property
    def text(self) -> str:
        """The clean text, one block (paragraph, heading or list item) per paragraph."""
        return "\n\n".join(self.blocks)

    @property
    def slug(self) -> str:
        """A stable key for the document: its file name without the suffix, or a GOV.UK item's path.

        A GOV.UK speech is keyed by its base path, read as JSON or as a saved page, so either is
        the same document (and one speech) however the file is named.
        """
        if self.item is not None and self.item.speech_slug:
            return f"govuk-{self.item.speech_slug}"
        return slugify(Path(self.name).stem) or self.content_hash[:12]

    @property
    def speech_slug(self) -> str:
        """The key of the speech the document gives: the GOV.UK base path's slug, else `slug`."""
        if self.item is not None and self.item.speech_slug:
            return self.item.speech_slug
        return self.slug


def slugify(text: str) -> str:
    """Lower-case, ASCII-hyphenated key used for every minted IRI."""
    text = text.lower().replace("&", " and ").replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def media_type_for(path: Path) -> str:
    """The media type govgraph reads a file as, from its suffix."""
    try:
        return SUFFIXES[path.suffix.lower()]
    except KeyError:
        raise DocumentError(
            f"{shown_name(path.name)}: unsupported file type {path.suffix or '(none)'!r}",
            hint="govgraph reads .txt, .md, .html, and GOV.UK .json and .jsonl files",
        ) from None


def read_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read and clean one file; raises DocumentError naming the file and the problem.

    A JSON file holding several GOV.UK content items is refused here: read_documents reads them all.
    """
    documents = read_documents(path, max_bytes)
    if len(documents) > 1:
        raise DocumentError(f"{shown_name(Path(path).name)}: holds {len(documents)} content items, not one",
                            hint="build it, or read it with read_documents")
    return documents[0]


def read_documents(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document, ...]:
    """Every document one file holds: one, or for a GOV.UK JSON file, each content item in it.

    Raises DocumentError for the file, or for the first item in it that cannot be read.
    """
    documents = []
    for result in read_each(path, max_bytes):
        if isinstance(result, DocumentError):
            raise result
        documents.append(result)
    return tuple(documents)


def read_each(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Document | DocumentError, ...]:
    """Every document one file holds, or for an item of a JSON file that cannot be read, why not.

    The build loads the good items of a file and reports the others; a file that cannot be read
    at all still raises DocumentError.
    """
    path = Path(path)
    media_type = media_type_for(path)
    if not path.is_file():
        raise _not_regular(path)
    try:
        data, size = _read_at_most(path, max_bytes)
    except OSError as exc:
        raise DocumentError(f"{shown_name(path)}: cannot be read ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise DocumentError(
            f"{shown_name(path)}: {size:,} bytes is over the {max_bytes:,}-byte limit",
            hint="raise it with --max-bytes if the file is genuine",
        )
    if media_type in ("application/json", "application/jsonl"):
        from .govuk import parse_items

        return parse_items(data, path.name, source=str(path))
    return (parse_document(data, path.name, media_type, source=str(path)),)


def shown_name(path: str | Path) -> str:
    """A file name fit for a one-line message: as it is if printable, else quoted with escapes.

    A name holding a newline or a terminal escape would otherwise split the message or recolour
    the user's terminal.
    """
    text = str(path)
    return text if text.isprintable() else repr(text)


def _read_at_most(path: Path, max_bytes: int) -> tuple[bytes, int]:
    """Up to max_bytes + 1 bytes of a regular file, and its size; the read bound is the limit.

    Checking the size first is not enough, as a file can grow between the check and the read.
    The file is opened without blocking, so a path swapped for a FIFO since is_file() refuses
    at once instead of waiting for a writer (for a regular file the flag changes nothing).
    """
    with open(os.open(path, _READ_FLAGS), "rb") as stream:
        if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):
            raise _not_regular(path)
        data = stream.read(max_bytes + 1)
        return data, max(os.fstat(stream.fileno()).st_size, len(data))


def _not_regular(path: Path) -> DocumentError:
    """The one refusal for folders, FIFOs, sockets and devices, which have no text to read."""
    return DocumentError(f"{shown_name(path)}: not a regular file")


def parse_document(data: bytes, name: str, media_type: str, source: str | None = None) -> Document:
    """Turn raw bytes into a Document; the single entry point for every format."""
    if not data.strip():
        raise DocumentError(f"{shown_name(name)}: the file is empty")
    if b"\x00" in data[:8192] or _looks_binary(data[:8192]):
        raise DocumentError(f"{shown_name(name)}: looks like a binary file, not text",
                            hint="govgraph reads .txt, .md and .html text files")
    text = _decode(data, name, media_type)
    content_hash = hashlib.sha256(data).hexdigest()
    if media_type == "text/html":
        return html_document(text, name, content_hash, source)
    if media_type == "text/markdown":
        return _markdown_document(text, name, content_hash, source)
    return _text_document(text, name, content_hash, source)


def iter_document_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every readable document under the given files and folders, in a stable order.

    A govgraph store found in a folder is passed over: its manifest is JSON, not a document.
    """
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            stores = {m.parent for m in path.rglob(MANIFEST)}
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES
                           and not stores.intersection(p.parents))
            yield from (p for p in found if p.is_file() and not p.is_symlink())
        elif path.exists():
            yield path
        else:
            raise DocumentError(f"{shown_name(path)}: no such file or folder")


def _looks_binary(head: bytes) -> bool:
    """Control characters other than whitespace are a sure sign of a non-text file."""
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(4, len(head) // 100)


def _decode(data: bytes, name: str, media_type: str) -> str:
    """Decode as UTF-8 (or the charset an HTML page declares); never guess silently."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict_decode(data, "utf-16", name)
    encoding = "utf-8-sig"
    if media_type == "text/html":
        declared = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.I)
        if declared:
            encoding = declared.group(1).decode("ascii").lower()
            encoding = "utf-8-sig" if encoding in ("utf-8", "utf8") else encoding
    return _strict_decode(data, encoding, name)


def _strict_decode(data: bytes, encoding: str, name: str) -> str:
    """Decode or raise a DocumentError saying where and why decoding failed."""
    try:
        return data.decode(encoding)
    except LookupError:
        raise DocumentError(f"{shown_name(name)}: declares an unknown character set {encoding!r}") from None
    except UnicodeDecodeError as exc:
        if exc.end >= len(data) and exc.reason in ("unexpected end of data",):
            raise DocumentError(
                f"{shown_name(name)}: ends in the middle of a character; the file looks truncated"
            ) from None
        raise DocumentError(
            f"{shown_name(name)}: is not valid {encoding.removesuffix('-sig').upper()} "
            f"(byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="re-save the file as UTF-8",
        ) from None


def _clean_line(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _drop_link_lists(root: Tag) -> None:
    """A "Related content" or "Most read" heading and the list of links under it: other pages, not this one."""
    for heading in root.find_all(["h2", "h3", "h4", "h5", "h6", "p", "strong"]):
        if heading.decomposed or not _CHROME_LINES.match(_clean_line(heading.get_text(" "))):
            continue
        listed = heading.find_next_sibling()
        if isinstance(listed, Tag) and listed.name in ("ul", "ol", "div", "section", "nav"):
            listed.decompose()
        heading.decompose()


def _keep_blocks(lines: Iterable[str]) -> tuple[str, ...]:
    """Drop empty lines and the stock chrome phrases that survive in plain text."""
    cleaned = (_clean_line(line) for line in lines)
    return tuple(line for line in cleaned if line and not _CHROME_LINES.match(line))


def _text_document(text: str, name: str, content_hash: str, source: str | None) -> Document:
    blocks = _keep_blocks(text.splitlines())
    if not blocks:
        raise DocumentError(f"{shown_name(name)}: has no text")
    return Document(name=name, media_type="text/plain", blocks=blocks, content_hash=content_hash,
                    title=None, headings=(), source=source)


def _markdown_document(text: str, name: str, content_hash: str, source: str | None) -> Document:
    metadata: dict[str, str] = {}
    front = re.match(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*$\r?\n?", text, re.S | re.M)
    if text.startswith("---") and not front:
        raise DocumentError(f"{shown_name(name)}: front matter is opened with --- but never closed; "
                            "the file looks truncated")
    if front:
        try:
            loaded = yaml.load(front.group(1), Loader=_FrontMatterLoader) or {}
        except yaml.YAMLError as exc:
            problem = getattr(exc, "problem", None) or str(exc)
            raise DocumentError(f"{shown_name(name)}: front matter is not valid YAML ({problem})") from None
        if not isinstance(loaded, dict):
            raise DocumentError(f"{shown_name(name)}: front matter is not a mapping of keys to values")
        metadata = {str(k): _front_value(v) for k, v in loaded.items()}
        text = text[front.end():]
    text = _LABEL_LINE.sub(r"\n\g<0>", text)
    html = MarkdownIt("commonmark").render(text)
    doc = html_document(f"<html><body><main>{html}</main></body></html>", name, content_hash,
                        source, check_truncation=False)
    title = metadata.get("title") or doc.title
    return Document(name=name, media_type="text/markdown", blocks=doc.blocks,
                    content_hash=content_hash, title=title, headings=doc.headings,
                    metadata=MappingProxyType(metadata), source=source)


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without aliases: a few hundred bytes of nested aliases expand to gigabytes."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("aliases (*name) are not allowed in front matter")
        return super().compose_node(parent, index)  # type: ignore[arg-type]


def _front_value(value: object) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)  # items may hold commas themselves ("NAME, ROLE, ORG")
    return str(value)


def html_document(text: str, name: str, content_hash: str, source: str | None,
                  check_truncation: bool = True) -> Document:
    """A page's article text, headings and meta tags; a saved GOV.UK speech page also its metadata."""
    if check_truncation and re.search(r"<(html|body)[\s>]", text, re.I) and not re.search(
        r"</(html|body)\s*>", text, re.I
    ):
        raise DocumentError(f"{shown_name(name)}: the HTML is cut off before </body> or </html>; "
                            "the file looks truncated")
    soup = BeautifulSoup(text, "html.parser")
    metadata = _html_metadata(soup)
    item = _speech_page_item(soup, metadata)
    page_title = _clean_line(soup.title.get_text()) if soup.title else None
    root = _article_root(soup)
    for tag in root.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in root.find_all(_is_chrome):
        tag.decompose()
    _drop_link_lists(root)
    for br in root.find_all("br"):  # "Ottawa, Ontario<br>November 5, 2024" is two phrases, not one word
        br.replace_with(" ")
    headings = tuple(_clean_line(h.get_text(" ")) for h in root.find_all("h1"))
    blocks = _keep_blocks(_block_text(root).split(_PARA))
    if not blocks:
        raise DocumentError(f"{shown_name(name)}: the page has no article text")
    h1 = next((h for h in headings if h), None)
    if page_title:
        metadata["page-title"] = page_title
    title = h1 or page_title
    return Document(name=name, media_type="text/html", blocks=blocks, content_hash=content_hash,
                    title=title, headings=headings, metadata=MappingProxyType(metadata),
                    source=source, item=item)


def _speech_page_item(soup: BeautifulSoup, metadata: Mapping[str, str]) -> ContentItem | None:
    """The metadata block of a speech page saved from GOV.UK, read before the page's chrome goes."""
    if not any(key.startswith("govuk:") for key in metadata) and "www.gov.uk/government/speeches/" not in str(
        soup.find("link", rel="canonical") or ""
    ):
        return None
    from .govuk import is_speech_page, page_item

    return page_item(soup) if is_speech_page(soup) else None


def _block_text(root: Tag) -> str:
    """The page's text with a break wherever the enclosing block changes.

    Reading strings in order, rather than inserting markers into the tree, keeps this linear
    however deeply the page nests its elements.
    """
    pieces: list[str] = []
    current: Tag | None = None
    blocks = set(_BLOCK_TAGS)
    for string in root.strings:
        block = next((p for p in string.parents if p.name in blocks or p is root), root)
        if block is not current:
            pieces.append(_PARA)
            current = block
        pieces.append(str(string))
    return "".join(pieces)


def _html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Machine-readable hints a page carries: meta description, publication date, language."""
    metadata: dict[str, str] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("name") or meta.get("property")
        if key and meta.get("content"):
            metadata[str(key).lower()] = str(meta["content"])
    time = soup.find("time", attrs={"datetime": True})
    if time is not None:
        metadata["date"] = str(time["datetime"])
    metadata.update(_event_metadata(soup))
    return metadata


_ATTENDANCE = {"OfflineEventAttendanceMode": "in-person", "OnlineEventAttendanceMode": "online",
               "MixedEventAttendanceMode": "hybrid"}


def _event_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """A schema.org Event an event page describes in JSON-LD, as the labels a page would show: the event's
    name and date, who organised it, how and where it was attended, who spoke (performer)."""
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        try:
            data = json.loads(script.string or "")
        except (ValueError, RecursionError):
            continue  # a page's broken metadata is no reason to refuse its text
        for item in _json_ld_items(data):
            kinds = item.get("@type", [])
            if any(str(k).endswith("Event") for k in (kinds if isinstance(kinds, list) else [kinds])):
                return _event_labels(item)
    return {}


def _json_ld_items(data: object) -> Iterator[dict]:
    """Every node of a JSON-LD document, top level and in @graph."""
    for item in data if isinstance(data, list) else [data]:
        if isinstance(item, dict):
            yield item
            yield from (node for node in item.get("@graph", []) if isinstance(node, dict))


def _event_labels(event: dict) -> dict[str, str]:
    labels: dict[str, str] = {}
    names = {"event name": event.get("name"), "event date": str(event.get("startDate") or "")[:10],
             "organised by": _names(event.get("organizer")), "location": _names(event.get("location")),
             "speaker": "; ".join(n for p in _as_list(event.get("performer")) if (n := _names(p)))}
    mode = str(event.get("eventAttendanceMode") or "").rsplit("/", 1)[-1]
    names["format"] = _ATTENDANCE.get(mode)
    for key, value in names.items():
        if isinstance(value, str) and value.strip():
            labels[key] = _clean_line(value)
    return labels


def _as_list(value: object) -> list[object]:
    return value if isinstance(value, list) else [value] if value else []


def _names(value: object) -> str | None:
    """The name of a JSON-LD node or of the first of a list of them (or the string itself)."""
    for item in _as_list(value):
        if isinstance(item, str):
            return item
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            return item["name"]
    return None


def _article_root(soup: BeautifulSoup) -> Tag:
    """The element holding the article: the longest <article>, else <main>, else <body>.

    Many <article>s of which none holds most of the text (a page of speaker cards) are one list, read
    from the <main> that holds them.
    """
    articles = [a for a in soup.find_all("article") if a.find_parent("article") is None]
    sizes = [len(a.get_text()) for a in articles]
    main = soup.find("main")
    if len(articles) > 2 and max(sizes) * 5 < sum(sizes) * 3 and isinstance(main, Tag) and all(
        main in a.parents for a in articles
    ):
        return main
    if articles:
        return articles[sizes.index(max(sizes))]
    for candidate in (soup.find("main"), soup.find(attrs={"role": "main"}), soup.body):
        if isinstance(candidate, Tag):
            return candidate
    return soup


def _is_chrome(tag: Tag) -> bool:
    """Site furniture recognised by its class, id or ARIA role."""
    if tag.name in ("article", "main", "body", "html"):
        return False
    attrs = getattr(tag, "attrs", None) or {}
    marker = " ".join(
        [*attrs.get("class", []), attrs.get("id", ""), attrs.get("role", "")]
    ) if attrs else ""
    return bool(marker) and bool(_CHROME_MARKERS.search(marker))
