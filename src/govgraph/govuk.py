"""Read GOV.UK's own content format: Content API speech items (JSON) and saved GOV.UK speech pages.

A content item is a Document like any other: its text is the body HTML, cleaned as documents.py
cleans any page. What makes it more is its metadata, kept as a ContentItem of Fields, each naming
the JSON path it was read from (`links.speaker[0].title`, `details.delivered_on`), so that the facts
made from it can say where they came from. A speech page saved from www.gov.uk yields the same
ContentItem from its metadata block ("From:", "Published", "Delivered on", "Location"), with the
page's own labels as the paths.

Items are recognised by what they hold (`schema_name`, `document_type`), not by their file's name:
a `.json` file may hold one item, a list of items or JSON Lines, and so may a `.jsonl` file.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any

from bs4 import BeautifulSoup, Tag

from .documents import Document, html_document, shown_name, slugify
from .errors import DocumentError

SPEECH_TYPES = ("speech", "authored_article", "written_statement", "oral_statement")
JSON_TYPES = ("application/json", "application/jsonl")
GOVUK = "https://www.gov.uk"
_HINT = "govgraph reads GOV.UK content items of the speech format (schema_name \"speech\")"


@dataclass(frozen=True)
class Field:
    """One value of a content item and where it was read: a JSON path, or a saved page's label."""

    path: str
    value: str


@dataclass(frozen=True)
class Link:
    """A linked item (person, role, organisation, government, topical event): its title and slug.

    The slug is the last segment of the item's GOV.UK path (`/government/people/theresa-may` ->
    `theresa-may`), the stable key IRIs are minted from; None where the item has no GOV.UK page.
    """

    title: Field
    slug: str | None = None


@dataclass(frozen=True)
class ContentItem:
    """The metadata of one GOV.UK speech item, each value with the field it came from."""

    base_path: str | None
    document_type: Field
    title: Field
    locale: Field | None = None
    speaker: Link | None = None
    roles: tuple[Link, ...] = ()
    organisations: tuple[Link, ...] = ()
    government: Link | None = None
    topical_events: tuple[Link, ...] = ()
    delivered_on: Field | None = None
    location: Field | None = None
    speech_type_explanation: Field | None = None
    first_published_at: Field | None = None
    public_updated_at: Field | None = None
    withdrawn_at: Field | None = None
    withdrawn_explanation: Field | None = None

    @property
    def language(self) -> str:
        """The item's locale ("en", "cy", "fr", ...); English when the item does not say."""
        return self.locale.value if self.locale else "en"

    @property
    def english(self) -> bool:
        return self.language == "en"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None or self.withdrawn_explanation is not None

    @property
    def speech_slug(self) -> str | None:
        """The speech's key, from the last segment of its base path; a translation's carries its locale.

        GOV.UK serves a translation at the same path with `.<locale>` added (`foo.cy`), which
        slugify turns into `foo-cy`: a translation is a speech of its own, in its own language.
        """
        if not self.base_path:
            return None
        slug = slugify(self.base_path.rstrip("/").rsplit("/", 1)[-1])
        if slug and not self.english and not slug.endswith(f"-{self.language}"):
            slug = f"{slug}-{slugify(self.language)}"
        return slug or None

    @property
    def url(self) -> str | None:
        return f"{GOVUK}{self.base_path}" if self.base_path else None


def parse_items(data: bytes, name: str, source: str | None = None) -> tuple[Document | DocumentError, ...]:
    """Every content item in a JSON or JSON Lines file: a Document each, or why that item was refused.

    The file may hold one item, a list of items, or one item per line; what it holds decides, not
    its name. An item of another format (a guide, a news story) is refused, naming its format, and
    the others still read. A file that is not JSON at all raises DocumentError, on one line.
    """
    text = _decode(data, name)
    if not text.strip():
        raise DocumentError(f"{shown_name(name)}: the file is empty")
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as exc:
        records = list(_json_lines(text, name, exc))
    else:
        records = [(None, whole, data)] if not isinstance(whole, list) else [
            (None, value, json.dumps(value, sort_keys=True).encode()) for value in whole
        ]
    if not records:
        raise DocumentError(f"{shown_name(name)}: holds no content items")
    many = len(records) > 1
    results: list[Document | DocumentError] = []
    for index, (line, value, raw) in enumerate(records):
        where = f"{name} line {line}" if line else (f"{name} item {index + 1}" if many else name)
        try:
            results.append(item_document(value, where, hashlib.sha256(raw).hexdigest(), source))
        except DocumentError as exc:
            results.append(exc)
    return tuple(results)


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{shown_name(name)}: is not valid UTF-8 (byte 0x{data[exc.start]:02x} "
                            f"at offset {exc.start})", hint="JSON is UTF-8") from None


def _json_lines(text: str, name: str, whole: json.JSONDecodeError) -> Iterator[tuple[int, Any, bytes]]:
    """One JSON value per non-blank line, or the first error: the whole file's if it is one line."""
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) < 2:
        raise DocumentError(f"{shown_name(name)}: is not valid JSON ({whole.msg} at line {whole.lineno}, "
                            f"column {whole.colno})", hint="the file looks truncated or is not JSON")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line), line.strip().encode()
        except json.JSONDecodeError as exc:
            raise DocumentError(f"{shown_name(name)}: line {number} is not valid JSON ({exc.msg} at column "
                                f"{exc.colno})", hint="a JSON Lines file holds one JSON object per line"
                                ) from None


def item_document(value: Any, name: str, content_hash: str, source: str | None = None) -> Document:
    """One content item (the decoded JSON) as a Document whose text is its body, with its metadata."""
    item = content_item(value, name)
    body = value.get("details", {}).get("body", "") if isinstance(value.get("details"), dict) else ""
    if not isinstance(body, str):
        raise DocumentError(f"{shown_name(name)}: details.body is not a string of HTML", hint=_HINT)
    title = item.title.value
    page = f"<html><body><main>{body}</main></body></html>"
    try:
        cleaned = html_document(page, name, content_hash, source)
        blocks, headings = cleaned.blocks, cleaned.headings
    except DocumentError:  # an item with no body text still has its metadata
        blocks, headings = (title,), ()
    metadata = {"page-title": title, "locale": item.language}
    if isinstance(value.get("description"), str) and value["description"]:
        metadata["description"] = value["description"]
    return Document(name=name, media_type="application/json", blocks=blocks, content_hash=content_hash,
                    title=title, headings=headings, metadata=MappingProxyType(metadata), source=source,
                    item=item)


def content_item(value: Any, name: str) -> ContentItem:
    """The ContentItem of one decoded item; refuses what is not a GOV.UK speech item."""
    if not isinstance(value, dict):
        kind = type(value).__name__
        raise DocumentError(f"{shown_name(name)}: is not a GOV.UK content item (a JSON {kind}, "
                            "not an object)", hint=_HINT)
    schema, kind = (v if isinstance(v, str) and v.strip() else None
                    for v in (value.get("schema_name"), value.get("document_type")))
    if schema is None and kind is None:
        raise DocumentError(f"{shown_name(name)}: is not a GOV.UK content item (it has no schema_name or "
                            "document_type)", hint=_HINT)
    if not (schema == "speech" or (schema is None and kind in SPEECH_TYPES)):
        shown = str(schema or kind)
        raise DocumentError(f"{shown_name(name)}: is a GOV.UK {shown[:40]!r} content item, not a speech",
                            hint=_HINT)
    if kind not in SPEECH_TYPES:  # the speech format's own document types; any other reads as a speech
        kind = "speech"
    title = _string(value, "title", name)
    if title is None or not title.strip():
        raise DocumentError(f"{shown_name(name)}: the content item has no title", hint=_HINT)
    details = value.get("details") if isinstance(value.get("details"), dict) else {}
    links = value.get("links") if isinstance(value.get("links"), dict) else {}
    withdrawn = value.get("withdrawn_notice") if isinstance(value.get("withdrawn_notice"), dict) else {}
    speaker = next(iter(_links(links, "speaker")), None)
    without_profile = _field(details, "speaker_without_profile", "details.speaker_without_profile")
    if speaker is None and without_profile is not None:
        speaker = Link(without_profile)
    return ContentItem(
        base_path=_string(value, "base_path", name),
        document_type=Field("document_type", kind),
        title=Field("title", title.strip()),
        locale=_field(value, "locale", "locale"),
        speaker=speaker,
        roles=_links(links, "roles"),
        organisations=_organisations(links, details),
        government=_government(links, details),
        topical_events=_links(links, "topical_events"),
        delivered_on=_field(details, "delivered_on", "details.delivered_on"),
        location=_field(details, "location", "details.location"),
        speech_type_explanation=_field(details, "speech_type_explanation",
                                       "details.speech_type_explanation"),
        first_published_at=_field(value, "first_published_at", "first_published_at"),
        public_updated_at=_field(value, "public_updated_at", "public_updated_at"),
        withdrawn_at=_field(withdrawn, "withdrawn_at", "withdrawn_notice.withdrawn_at"),
        withdrawn_explanation=_field(withdrawn, "explanation", "withdrawn_notice.explanation"),
    )


def _string(record: Mapping[str, Any], key: str, name: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(f"{shown_name(name)}: {key} is a JSON {type(value).__name__}, not a string",
                            hint=_HINT)
    return value


def _field(record: Mapping[str, Any], key: str, path: str) -> Field | None:
    """An optional text field; one that is empty or not text is left out rather than refusing the item."""
    value = record.get(key)
    return Field(path, value.strip()) if isinstance(value, str) and value.strip() else None


def _slug(link: Mapping[str, Any]) -> str | None:
    path = link.get("base_path") or link.get("api_path") or link.get("web_url")
    if not isinstance(path, str) or not path.strip("/"):
        return None
    return slugify(path.rstrip("/").rsplit("/", 1)[-1]) or None


def _titled(links: Mapping[str, Any], kind: str) -> list[tuple[int, Mapping[str, Any]]]:
    """The links of one kind that have a title, with their index in the item's list."""
    found = links.get(kind)
    if not isinstance(found, list):
        return []
    return [(i, link) for i, link in enumerate(found)
            if isinstance(link, dict) and isinstance(link.get("title"), str) and link["title"].strip()]


def _link(kind: str, index: int, link: Mapping[str, Any]) -> Link:
    return Link(Field(f"links.{kind}[{index}].title", link["title"].strip()), _slug(link))


def _links(links: Mapping[str, Any], kind: str) -> tuple[Link, ...]:
    """The titled links of one kind, each with the path of its title (`links.roles[0].title`)."""
    return tuple(_link(kind, i, link) for i, link in _titled(links, kind))


def _organisations(links: Mapping[str, Any], details: Mapping[str, Any]) -> tuple[Link, ...]:
    """links.organisations, the emphasised ones (details.emphasised_organisations) first.

    The first is the one a minister's role is read as held in, so the publishing organisation is
    the next choice when none is emphasised.
    """
    lead = details.get("emphasised_organisations")
    lead = set(lead) if isinstance(lead, list) and all(isinstance(x, str) for x in lead) else set()
    primary = {_slug(link) for _, link in _titled(links, "primary_publishing_organisation")}

    def rank(pair: tuple[int, Mapping[str, Any]]) -> tuple[int, int]:
        index, link = pair
        emphasised = isinstance(link.get("content_id"), str) and link["content_id"] in lead
        return (0 if emphasised else 1 if _slug(link) in primary else 2, index)

    ranked = sorted(_titled(links, "organisations"), key=rank)
    return tuple(_link("organisations", i, link) for i, link in ranked)


def _government(links: Mapping[str, Any], details: Mapping[str, Any]) -> Link | None:
    """links.government, else the deprecated details.government (title and slug)."""
    linked = _links(links, "government")
    if linked:
        return linked[0]
    government = details.get("government")
    if not isinstance(government, dict):
        return None
    title = _field(government, "title", "details.government.title")
    slug = government.get("slug")
    return Link(title, slugify(slug) if isinstance(slug, str) else None) if title else None


# ---------------------------------------------------------------------------
# Speech pages saved from www.gov.uk
# ---------------------------------------------------------------------------

_SPEECH_PATH = re.compile(r"^(?:https?://www\.gov\.uk)?(/government/speeches/[^?#\s]+)$")
_PAGE_TYPES = {
    "speech": "speech", "authored article": "authored_article", "written statement": "written_statement",
    "oral statement": "oral_statement", "oral statement to parliament": "oral_statement",
    "written statement to parliament": "written_statement",
}
_PAGE_DATE = re.compile(r"(\d{1,2})\s+([A-Z][a-z]+)\s+(\d{4})")
_LABEL = re.compile(r"[\s:]+$")


def is_speech_page(soup: BeautifulSoup) -> bool:
    """A page saved from GOV.UK's speech format: it says so in its meta tags or its canonical address."""
    for key in ("govuk:format", "govuk:schema-name"):
        meta = soup.find("meta", attrs={"name": key})
        if isinstance(meta, Tag) and str(meta.get("content", "")).strip().lower() == "speech":
            return True
    return _page_base_path(soup) is not None


def page_item(soup: BeautifulSoup) -> ContentItem | None:
    """The ContentItem a saved GOV.UK speech page shows: its title, metadata block and address.

    The page's labels ("From:", "Delivered on:", "Location:") stand as the fields' paths, so a fact
    read from the page says which line of the block it came from, as a JSON fact names its field.
    Returns None when the page has no title to call the speech by.
    """
    heading = soup.find("h1")
    title = heading.get_text(" ", strip=True) if isinstance(heading, Tag) else None
    if not title:
        return None
    caption = soup.find(class_=re.compile(r"govuk-caption|gem-c-title__context"))
    caption_text = caption.get_text(" ", strip=True).lower() if isinstance(caption, Tag) else ""
    kind = _PAGE_TYPES.get(caption_text, "speech")
    fields: dict[str, Any] = {}
    people: list[Link] = []
    organisations: list[Link] = []
    roles: list[Link] = []
    events: list[Link] = []
    for term in soup.find_all("dt"):
        definition = term.find_next_sibling("dd")
        if not isinstance(definition, Tag):
            continue
        label = _LABEL.sub("", term.get_text(" ", strip=True))
        text = re.sub(r"\s+", " ", definition.get_text(" ", strip=True))
        path = f"page.{label}"
        for link in definition.find_all("a", href=True):
            href = str(link["href"]).removeprefix(GOVUK)
            found = Link(Field(path, link.get_text(" ", strip=True)), _slug({"base_path": href}))
            if href.startswith("/government/organisations/"):
                organisations.append(found)
            elif href.startswith("/government/people/"):
                people.append(found)
            elif href.startswith("/government/ministers/"):
                roles.append(found)
            elif href.startswith("/government/topical-events/"):
                events.append(found)
        lower = label.lower()
        if lower == "delivered on":
            date = _page_date(text)
            if date:
                fields["delivered_on"] = Field(path, date)
            explained = re.search(r"\(([^)]+)\)\s*$", text)
            if explained:
                fields["speech_type_explanation"] = Field(path, explained.group(1))
        elif lower == "location" and text:
            fields["location"] = Field(path, text)
        elif lower in ("published", "first published") and _page_date(text):
            fields["first_published_at"] = Field(path, _page_date(text))
        elif lower in ("last updated", "updated") and _page_date(text):
            fields["public_updated_at"] = Field(path, _page_date(text))
        elif lower in ("speaker", "delivered by") and not people and text:
            people.append(Link(Field(path, text)))
    language = soup.html.get("lang") if isinstance(soup.html, Tag) else None
    return ContentItem(
        base_path=_page_base_path(soup),
        document_type=Field("page.format", kind),
        title=Field("page.title", title),
        locale=Field("page.lang", str(language)) if isinstance(language, str) and language else None,
        speaker=people[0] if people else None,
        roles=tuple(roles),
        organisations=tuple(organisations),
        topical_events=tuple(events),
        **fields,
    )


def _page_base_path(soup: BeautifulSoup) -> str | None:
    candidates = [link.get("href") for link in soup.find_all("link", rel="canonical")]
    candidates += [meta.get("content") for meta in soup.find_all("meta", attrs={"property": "og:url"})]
    for candidate in candidates:
        match = _SPEECH_PATH.match(str(candidate or "").strip())
        if match:
            return match.group(1).rstrip("/")
    return None


def _page_date(text: str) -> str | None:
    """The first "2 December 2019" in a line, as an ISO date."""
    match = _PAGE_DATE.search(text)
    if not match:
        return None
    try:
        return datetime.strptime(" ".join(match.groups()), "%d %B %Y").date().isoformat()
    except ValueError:
        return None
