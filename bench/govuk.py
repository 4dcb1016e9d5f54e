"""Synthetic GOV.UK Content API speech items, and the rate govgraph builds them at.

    python bench/govuk.py OUT_DIR --count 10000 [--per-file 100] [--seed 7]
    python bench/govuk.py OUT_DIR --count 10000 --build [--workers N]

Each item is a content item of the speech format (schema_name "speech"), valid against GOV.UK's
schema (`speech-frontend-schema.json`): a title, a base path, a body of HTML paragraphs written by
corpus.py's Writer (themes, pressures and departments in the vocabularies' wordings), the speaker
(a GOV.UK profile, or about one in ten `details.speaker_without_profile`), a ministerial role for
ministers, the organisations (gazetteer slugs, and one in eight outside the gazetteer), delivery
date and location, one of the four document types with a speech-type explanation, the government
of the day, now and then a topical event, a translation (locale "cy") or a withdrawal notice.

Items are written as JSON Lines, `--per-file` to a file (1 writes one `.json` per item). With
`--build` the folder is then built into a new store and the build rate printed, with a PASS/MISS
line against the target (reported, never an exit failure). The same count and seed always give
the same files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from corpus import Speech, Writer, plan_corpus, slugify

TARGET_ITEMS_PER_SECOND = 50.0  # a 10,000-item crawl in under four minutes on one machine
DOCUMENT_TYPES = ("speech", "speech", "speech", "oral_statement", "written_statement", "authored_article")
EXPLANATIONS = ("Transcript of the speech, exactly as it was delivered",
                "Original script, may differ from delivered version",
                "Speaker's notes, may differ from delivered version")
GOVERNMENTS = (  # (first year, title, slug)
    (2010, "2010 to 2015 Conservative and Liberal Democrat coalition government",
     "2010-to-2015-conservative-and-liberal-democrat-coalition-government"),
    (2015, "2015 Conservative government", "2015-conservative-government"),
    (2024, "2024 Labour government", "2024-labour-government"),
)
TOPICAL_EVENTS = ("Spending Review", "Digital Government Week", "Anti-Corruption Summit: London 2016",
                  "One Login rollout", "AI Safety Summit")
OTHER_ORGANISATIONS = ("Government Commercial Agency", "Digital Skills Council", "Crown Data Office")
WITHDRAWN_SHARE = 0.03
WELSH_SHARE = 0.04
WITHOUT_PROFILE_SHARE = 0.10


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _time(day: date, hour: int = 0) -> str:
    return f"{day.isoformat()}T{hour:02d}:00:00+00:00"


def _link(rng: random.Random, title: str, path: str, kind: str | None = None) -> dict[str, Any]:
    link: dict[str, Any] = {"content_id": _guid(rng), "title": title, "locale": "en",
                            "base_path": path, "api_path": f"/api/content{path}"}
    if kind:
        link["document_type"] = kind
    return link


def _government(day: date) -> tuple[str, str]:
    title, slug = next((t, s) for first, t, s in reversed(GOVERNMENTS) if day.year >= first)
    return title, slug


def content_item(speech: Speech, rng: random.Random) -> dict[str, Any]:
    """One speech item of the Content API, from corpus.py's plan of a speech."""
    writer = Writer(speech, rng)
    kind = rng.choice(DOCUMENT_TYPES)
    welsh = rng.random() < WELSH_SHARE
    slug = f"{slugify(speech.title)[:60].strip('-')}-{speech.index}"
    base_path = f"/government/speeches/{slug}" + (".cy" if welsh else "")
    person = speech.speaker
    published = speech.day + timedelta(days=rng.randint(0, 3))
    organisations = list(dict.fromkeys([*([person.org] if person.org and person.org.government else []),
                                        *speech.departments[:2]]))
    org_links = [_link(rng, org.name, f"/government/organisations/{org.key}", "organisation")
                 for org in organisations if org.government]
    if rng.random() < 0.125:
        other = rng.choice(OTHER_ORGANISATIONS)
        org_links.append(_link(rng, other, f"/government/organisations/{slugify(other)}", "organisation"))
    government_title, government_slug = _government(speech.day)
    details: dict[str, Any] = {
        "body": "".join(f"<p>{_escape(p)}</p>\n" for p in writer.paragraphs()),
        "political": True,
        "delivered_on": _time(speech.day, rng.choice((0, 9, 10, 14))),
        "government": {"title": government_title, "slug": government_slug,
                       "current": government_slug == GOVERNMENTS[-1][2]},
        "first_public_at": _time(published, 10),
        "change_history": [{"public_timestamp": _time(published, 10), "note": "First published."}],
    }
    if kind == "speech":
        details["speech_type_explanation"] = rng.choice(EXPLANATIONS)
    if speech.event.title and kind in ("speech", "authored_article"):
        details["location"] = f"{speech.event.title}, {rng.choice(('London', 'Manchester', 'Cardiff'))}"
    elif kind != "authored_article":
        details["location"] = "House of Commons"
    links: dict[str, Any] = {
        "organisations": org_links,
        "government": [_link(rng, government_title, f"/government/{government_slug}", "government")],
    }
    if rng.random() < WITHOUT_PROFILE_SHARE:
        details["speaker_without_profile"] = person.name
    else:
        title = f"The Rt Hon {person.name} MP" if person.minister else person.name
        links["speaker"] = [_link(rng, title, f"/government/people/{slugify(person.name)}", "person")]
        if person.minister:
            links["roles"] = [{"content_id": _guid(rng), "title": person.role, "locale": "en",
                               "document_type": "ministerial_role",
                               "base_path": f"/government/ministers/{slugify(person.role)[:60]}"}]
    if rng.random() < 0.2:
        event = rng.choice(TOPICAL_EVENTS)
        links["topical_events"] = [_link(rng, event, f"/government/topical-events/{slugify(event)}")]
    if org_links:
        details["emphasised_organisations"] = [org_links[0]["content_id"]]
    item: dict[str, Any] = {
        "base_path": base_path,
        "content_id": _guid(rng),
        "description": f"{person.name} on {speech.themes[0]}.",
        "details": details,
        "document_type": kind,
        "first_published_at": _time(published, 10),
        "links": links,
        "locale": "cy" if welsh else "en",
        "public_updated_at": _time(published, 10),
        "schema_name": "speech",
        "title": speech.title,
        "updated_at": _time(published, 11),
    }
    if rng.random() < WITHDRAWN_SHARE:
        item["withdrawn_notice"] = {"explanation": "<p>Given under a previous government.</p>",
                                    "withdrawn_at": _time(published + timedelta(days=400), 9)}
    return item


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def items(count: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """`count` content items, deterministic for a seed."""
    for speech in plan_corpus(count, seed):
        yield content_item(speech, random.Random(seed * 1_000_003 + speech.index))


def generate(folder: Path, count: int, seed: int = 7, per_file: int = 100) -> list[Path]:
    """Write `count` items into folder, `per_file` to a JSON Lines file (1: a .json file each)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    lines: list[str] = []

    def flush() -> None:
        if not lines:
            return
        if per_file == 1:
            path = folder / f"item-{len(paths):06d}.json"
        else:
            path = folder / f"items-{len(paths):04d}.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
        lines.clear()

    for item in items(count, seed):
        lines.append(json.dumps(item, ensure_ascii=False, indent=2 if per_file == 1 else None))
        if len(lines) >= per_file:
            flush()
    flush()
    return paths


def build_rate(folder: Path, workers: int | None = None) -> dict[str, Any]:
    """Build the folder into a new store; the items, seconds, rate and what the store holds."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import govgraph

    with tempfile.TemporaryDirectory(prefix="govgraph-govuk-bench-") as work, \
            govgraph.EmbeddedStore(Path(work) / "store") as store:
        start = time.perf_counter()
        report = govgraph.build([folder], store, keep_going=True, workers=workers)
        seconds = time.perf_counter() - start
        stats = govgraph.store_stats(store)
    loaded = len(report.loaded)
    return {"items": loaded, "failed": len(report.failures), "seconds": seconds,
            "rate": loaded / seconds if seconds else 0.0, "not_english": len(report.not_english),
            "stats": stats}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write into (created if missing)")
    parser.add_argument("--count", type=int, default=10_000, help="number of items (default 10,000)")
    parser.add_argument("--per-file", type=int, default=100, help="items per .jsonl file (1: .json files)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--build", action="store_true", help="build the items and report the rate")
    parser.add_argument("--workers", type=int, help="build workers (default: one per core)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    paths = generate(args.out_dir, args.count, args.seed, args.per_file)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {args.count:,} items in {len(paths):,} files, {size:,} bytes, to {args.out_dir} "
          f"in {time.perf_counter() - start:.2f} s")
    if not args.build:
        return
    result = build_rate(args.out_dir, args.workers)
    print(f"GOV.UK build: {result['items']:,} items in {result['seconds']:.1f} s = "
          f"{result['rate']:.0f} items/s "
          f"({result['failed']} failed, {result['not_english']} not in English; "
          f"{result['stats']['triples']:,} triples)")
    verdict = "PASS" if result["rate"] >= TARGET_ITEMS_PER_SECOND and not result["failed"] else "MISS"
    print(f"{verdict}  GOV.UK build rate >= {TARGET_ITEMS_PER_SECOND:.0f} items/s, every item loaded")


if __name__ == "__main__":
    main()
