"""GOV.UK's own content format: Content API speech items and saved speech pages, read with their metadata.

The nine example items come from GOV.UK's publishing-api (in ../shared); the variants the schema
allows but the examples lack (withdrawn, translated, a speaker without a profile) are made from them
and checked against the schema before they are used.
"""

from __future__ import annotations

import copy
import html
import importlib
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

import govgraph
from govgraph.cli import cli
from govgraph.documents import read_document, read_documents
from govgraph.errors import DocumentError
from govgraph.extract.pipeline import speaker_name
from govgraph.namespaces import DCTERMS, FOAF, GG, ID
from govgraph.vocab import ontology_graph

from .conftest import REPO, SHARED

GOVUK = SHARED / "govuk-content"
EXAMPLES = GOVUK / "examples"
ORAL = "best-practice-oral-statement.json"  # Theresa May, Home Secretary, with a role
TRANSCRIPT = "speech-transcript.json"  # a location and a topical event
WRITTEN = "best-practice-written-statement.json"  # an organisation outside the gazetteer



@pytest.fixture(scope="module")
def schema() -> jsonschema.Draft4Validator:
    if not (GOVUK / "speech-frontend-schema.json").is_file():
        pytest.fail(f"the GOV.UK content schema is missing at {GOVUK} (set GOVGRAPH_SHARED)")
    loaded = json.loads((GOVUK / "speech-frontend-schema.json").read_text())
    return jsonschema.Draft4Validator(loaded, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text())


def _valid(schema: jsonschema.Draft4Validator, item: dict) -> dict:
    errors = [f"{list(e.path)}: {e.message[:120]}" for e in schema.iter_errors(item)]
    assert not errors, errors
    return item


def _write(folder: Path, name: str, item: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(item), encoding="utf-8")
    return path


def _build(store_dir: Path, paths, **kwargs) -> govgraph.BuildReport:
    with govgraph.EmbeddedStore(store_dir) as store:
        return govgraph.build(paths, store, **kwargs)


def _speech(item: dict) -> URIRef:
    return ID[f"speech/{item['base_path'].rsplit('/', 1)[-1]}"]


FIELD_FACT = """
SELECT * WHERE {
  ?speech ?p ?object ; gg:evidence ?ev .
  ?ev a gg:FieldEvidence ; rdf:subject ?speech ; rdf:predicate ?p ; rdf:object ?object ;
      gg:fieldPath ?field ; gg:sentence ?value .
  MINUS { ?ev gg:charStart ?start }
}"""


def _field_facts(store: govgraph.EmbeddedStore, speech: URIRef, predicate: URIRef, field: str) -> dict:
    """The objects of (speech, predicate) backed by field evidence naming `field`, with the field's value."""
    rows = store.select(FIELD_FACT, {"speech": speech, "p": predicate, "field": Literal(field)})
    return {r["object"]: str(r["value"]) for r in rows}


# ---------------------------------------------------------------------------
# The nine examples
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory) -> Path:
    store_dir = tmp_path_factory.mktemp("govuk") / "store"
    report = _build(store_dir, [EXAMPLES])
    assert len(report.loaded) == 9 and not report.failures
    return store_dir


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_every_example_is_valid_and_reads_as_one_speech_document(name: str, schema):
    item = _valid(schema, _example(name))
    document = read_document(EXAMPLES / name)
    assert document.item is not None and document.media_type == "application/json"
    assert document.title == item["title"].strip()
    assert document.speech_slug == item["base_path"].rsplit("/", 1)[-1]
    assert document.text  # the body, cleaned as any HTML is


def test_the_examples_build_validate_and_break_no_check(examples_store: Path):
    with govgraph.EmbeddedStore(examples_store, read_only=True) as store:
        report = govgraph.validate_store(store)
        assert report.conforms, report.summary()
        for check in ("evidence-mismatch-violation", "fact-range-violation",
                      "fact-without-evidence-violation", "reference-violation"):
            assert list(govgraph.query(check, store=store)) == [], check
        assert govgraph.store_stats(store)["speeches"] == 9


def test_the_examples_answer_the_named_queries(examples_store: Path):
    speeches = {_speech(_example(p.name)) for p in EXAMPLES.glob("*.json")}
    with govgraph.EmbeddedStore(examples_store, read_only=True) as store:
        timeline = list(govgraph.query("speech-timeline", store=store))
        by_speaker = list(govgraph.query("speeches-by-speaker", {"name": "Cameron"}, store=store))
        by_org = list(govgraph.query("speeches-by-organisation", {"org": "Home Office"}, store=store))
        evidence = list(govgraph.query("evidence-for-fact", {"speech": "HMP Birmingham"}, store=store))
    assert {r["speech"] for r in timeline} == speeches
    assert all(r.get("date") for r in timeline)  # every GOV.UK speech is dated from its metadata
    assert {r["speech"] for r in by_speaker} == {_speech(_example(TRANSCRIPT)),
                                                 _speech(_example("speech-authored-article.json"))}
    published = {r["speech"] for r in by_org if str(r["link"]) == "published by"}
    assert published == {_speech(_example(ORAL)), _speech(_example("speech-speaking-notes.json"))}
    assert {str(r["field"]) for r in evidence if "field" in r} >= {
        "links.speaker[0].title", "details.delivered_on", "links.organisations[0].title", "document_type"}
    assert any("charStart" in r and "field" not in r for r in evidence)  # and sentences of the body


def test_the_speaker_role_and_organisation_come_from_the_links_with_their_fields(examples_store: Path):
    item = _example(ORAL)
    speech = _speech(item)
    theresa_may = ID["person/theresa-may"]  # the GOV.UK people slug
    with govgraph.EmbeddedStore(examples_store, read_only=True) as store:
        assert _field_facts(store, speech, GG.deliveredBy, "links.speaker[0].title") == {
            theresa_may: "The Rt Hon Theresa May MP"}
        name = store.select("SELECT * WHERE { ?p foaf:name ?n }", {"p": theresa_may})
        assert [str(r["n"]) for r in name] == ["Theresa May"]
        memberships = _field_facts(store, speech, GG.speakerRole, "links.roles[0].title")
        assert list(memberships.values()) == ["Secretary of State for the Home Department"]
        (membership,) = memberships
        row = store.select("""SELECT * WHERE {
            ?m org:member ?member ; org:organization ?org ; gg:heldOn ?day ; org:role/rdfs:label ?role }""",
                           {"m": membership})[0]
        assert row["member"] == theresa_may and row["org"] == ID["organisation/home-office"]
        assert row["day"] == Literal("2014-04-30", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))
        assert str(row["role"]) == "Secretary of State for the Home Department"
        assert _field_facts(store, speech, GG.fromOrganisation, "links.organisations[0].title") == {
            ID["organisation/home-office"]: "Home Office"}


def test_each_metadata_fact_carries_the_field_it_came_from(examples_store: Path):
    item = _example(TRANSCRIPT)
    speech = _speech(item)
    with govgraph.EmbeddedStore(examples_store, read_only=True) as store:
        def one(predicate: URIRef, field: str) -> tuple[object, str]:
            facts = _field_facts(store, speech, predicate, field)
            assert len(facts) == 1, (predicate, field, facts)
            return next(iter(facts.items()))

        date, value = one(DCTERMS.date, "details.delivered_on")
        assert str(date) == "2016-05-12" and value == "2016-05-12T12:30:00+00:00"  # the day, as given
        place = Literal("Anti-Corruption Summit, Lancaster House, London")
        assert one(GG.location, "details.location")[0] == place
        assert one(GG.speechType, "details.speech_type_explanation")[0] == ID["speech-type/transcript"]
        government, _ = one(GG.underGovernment, "links.government[0].title")
        assert government == ID["government/2015-conservative-government"]
        event, _ = one(GG.topicalEvent, "links.topical_events[0].title")
        assert event == ID["event/anti-corruption-summit-london-2016"]
        assert one(DCTERMS.language, "locale")[0] == Literal("en")
        assert str(one(DCTERMS.issued, "first_published_at")[0]).startswith("2016-05-12")
        assert str(one(DCTERMS.modified, "public_updated_at")[0]).startswith("2016-05-12")
        assert one(FOAF.page, "base_path")[0] == URIRef(f"https://www.gov.uk{item['base_path']}")
        # the body still went through the text finders, with evidence sentences of its own
        text = store.select("""SELECT ?s (COUNT(*) AS ?n) WHERE {
            ?s gg:evidence ?ev . ?ev gg:charStart ?c ; rdf:predicate gg:discusses
            MINUS { ?ev gg:fieldPath ?f } } GROUP BY ?s""",
                            {"s": speech})
        assert int(text[0]["n"]) > 0


def test_organisations_match_the_gazetteer_by_slug_and_unknown_ones_are_kept(examples_store: Path):
    homepages = {str(o).rsplit("/", 1)[-1]: str(s).rsplit("/", 1)[-1]
                 for s, o in ontology_graph().subject_objects(FOAF.homepage)
                 if "/government/organisations/" in str(o)}
    assert homepages and all(slug == key for slug, key in homepages.items())  # why the slug finds the entry
    speech = _speech(_example(WRITTEN))
    with govgraph.EmbeddedStore(examples_store, read_only=True) as store:
        orgs = _field_facts(store, speech, GG.fromOrganisation, "links.organisations[0].title")
        orgs |= _field_facts(store, speech, GG.fromOrganisation, "links.organisations[1].title")
        caa = ID["organisation/civil-aviation-authority"]
        assert set(orgs) == {ID["organisation/department-for-transport"], caa}
        rows = store.select("SELECT * WHERE { ?o skos:prefLabel ?label ; foaf:homepage ?home "
                            "OPTIONAL { ?o dcterms:identifier ?id } }", {"o": caa})
        assert str(rows[0]["label"]) == "Civil Aviation Authority"
        assert "id" not in rows[0]  # not in the gazetteer
        dft = store.select("SELECT * WHERE { ?o dcterms:identifier ?id }",
                           {"o": ID["organisation/department-for-transport"]})
        assert [str(r["id"]) for r in dft] == ["department-for-transport"]


@pytest.mark.parametrize("title, name", [
    ("The Rt Hon Theresa May MP", "Theresa May"), ("Robert Goodwill MP", "Robert Goodwill"),
    ("The Rt Hon Lord McNally", "Lord McNally"), ("The Rt Hon Sir Keir Starmer KCB KC MP", "Keir Starmer"),
    ("Baroness Neville-Rolfe DBE CMG", "Baroness Neville-Rolfe"),
    ("Dame Stephanie Shirley", "Stephanie Shirley"),
])
def test_honorifics_and_post_nominals_are_not_part_of_the_name(title: str, name: str):
    assert speaker_name(title) == name


# ---------------------------------------------------------------------------
# What the schema allows and the examples lack
# ---------------------------------------------------------------------------


def _without_profile(schema) -> dict:
    item = _example("speech.json")
    item["links"].pop("speaker")
    item["links"].pop("people", None)
    item["details"]["speaker_without_profile"] = "The Rt Hon Jane Roe MP"
    return _valid(schema, item)


def _withdrawn(schema) -> dict:
    item = _example(TRANSCRIPT)
    item["withdrawn_notice"] = {
        "explanation": "<p>This speech was published under a previous government.</p>",
        "withdrawn_at": "2017-06-09T10:00:00+01:00",
    }
    return _valid(schema, item)


def _welsh(schema) -> dict:
    item = _example(ORAL)
    item["locale"] = "cy"
    item["base_path"] += ".cy"
    item["title"] = "Stopio a chwilio: diwygio pwerau'r heddlu"
    item["details"]["body"] = ("<p>Gyda chaniatâd, Mr Llefarydd, hoffwn wneud datganiad am y defnydd o "
                               "bwerau stopio a chwilio gan yr heddlu a'r Swyddfa Gartref.</p>")
    return _valid(schema, item)


def test_a_speaker_without_a_profile_is_read_from_details(tmp_path: Path, schema):
    item = _without_profile(schema)
    _build(tmp_path / "store", [_write(tmp_path / "in", "item.json", item)])
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        facts = _field_facts(store, _speech(item), GG.deliveredBy, "details.speaker_without_profile")
        assert facts == {ID["person/jane-roe"]: "The Rt Hon Jane Roe MP"}
        name = store.select("SELECT * WHERE { ?p foaf:name ?n }", {"p": ID["person/jane-roe"]})
        assert [str(r["n"]) for r in name] == ["Jane Roe"]


def test_a_withdrawn_item_is_marked_with_its_notice_not_dropped(tmp_path: Path, schema):
    item = _withdrawn(schema)
    report = _build(tmp_path / "store", [_write(tmp_path / "in", "item.json", item)])
    assert len(report.loaded) == 1
    speech = _speech(item)
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        assert _field_facts(store, speech, GG.withdrawn, "withdrawn_notice.withdrawn_at") == {Literal(True): (
            "2017-06-09T10:00:00+01:00")}
        (day,) = _field_facts(store, speech, GG.withdrawnOn, "withdrawn_notice.withdrawn_at")
        assert str(day) == "2017-06-09"
        (why,) = _field_facts(store, speech, GG.withdrawalExplanation, "withdrawn_notice.explanation")
        assert "previous government" in str(why)
        assert _field_facts(store, speech, GG.deliveredBy, "links.speaker[0].title")  # still all there
        assert govgraph.validate_store(store).conforms


def test_an_item_in_another_language_keeps_its_metadata_and_its_text_is_not_read(tmp_path: Path, schema):
    item = _welsh(schema)
    folder = tmp_path / "in"
    _write(folder, "item.json", item)
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "not-english" in result.output  # the build summary says so
    speech = ID[f"speech/{item['base_path'].rsplit('/', 1)[-1].replace('.', '-')}"]
    assert str(speech).endswith("-police-stop-and-search-powers-cy")
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        assert _field_facts(store, speech, GG.deliveredBy, "links.speaker[0].title")
        assert _field_facts(store, speech, DCTERMS.language, "locale") == {
            Literal("cy"): "cy"}
        found = store.select("SELECT * WHERE { ?s ?p ?o FILTER(?p IN (gg:discusses, gg:namesPressure, "
                             "gg:mentionsDepartment, gg:hasReference)) }", {"s": speech})
        assert found == []  # "Swyddfa Gartref" would be no Home Office to the English finders anyway
        rows = store.select("SELECT * WHERE { ?s skos:editorialNote ?n }", {"s": speech})
        notes = [str(r["n"]) for r in rows]
        assert any("not in English (cy)" in note for note in notes)
    report = _build(tmp_path / "store2", [folder])
    assert report.not_english == [str(folder / "item.json")]


# ---------------------------------------------------------------------------
# Files: .json, .jsonl, folders; refusals
# ---------------------------------------------------------------------------


def test_json_lines_lists_and_folders_are_read_by_content_not_name(tmp_path: Path):
    items = [_example(name) for name in (ORAL, TRANSCRIPT, WRITTEN)]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "crawl.jsonl").write_text("\n".join(json.dumps(i) for i in items[:2]) + "\n\n")
    (folder / "export.json").write_text(json.dumps([items[2]]))
    assert [d.speech_slug for d in read_documents(folder / "crawl.jsonl")] == [
        _speech(i).rsplit("/", 1)[-1] for i in items[:2]]
    (folder / "lines-named-json.json").write_text("\n".join(json.dumps(_example(n)) for n in ("speech.json",
                                                                                              ORAL)))
    report = _build(tmp_path / "store", [folder])
    assert not report.failures
    assert len(report.loaded) == 4
    assert report.duplicates == [f"{folder / 'lines-named-json.json'} line 2"]
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        assert govgraph.store_stats(store)["speeches"] == 4


def test_an_item_of_another_format_is_refused_on_one_line_and_keep_going_loads_the_rest(tmp_path: Path):
    folder = tmp_path / "in"
    guide = {**_example(ORAL), "schema_name": "guide", "document_type": "guide"}
    _write(folder, "guide.json", guide)
    _write(folder, "good.json", _example(TRANSCRIPT))
    (folder / "other.json").write_text(json.dumps({"name": "not a content item"}))
    store = tmp_path / "store"
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(store)])
    assert result.exit_code != 0
    assert "nothing was loaded" in result.output
    if store.exists():
        with govgraph.EmbeddedStore(store, read_only=True) as opened:
            assert govgraph.store_stats(opened)["speeches"] == 0
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(store), "--keep-going"])
    assert result.exit_code == 1  # the refusals are still failures
    lines = [line for line in result.output.splitlines() if line.startswith("skipped:")]
    assert len(lines) == 2
    assert any("guide.json: is a GOV.UK 'guide' content item, not a speech" in line for line in lines)
    assert any("other.json: is not a GOV.UK content item" in line for line in lines)
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        assert govgraph.store_stats(opened)["speeches"] == 1


def test_malformed_json_is_one_clear_line_and_the_store_is_unchanged(tmp_path: Path):
    store = tmp_path / "store"
    _build(store, [_write(tmp_path / "first", "good.json", _example(ORAL))])
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        before = sorted(map(str, opened._store))
    bad = tmp_path / "bad"
    bad.mkdir()
    text = json.dumps(_example(TRANSCRIPT))
    (bad / "cut.json").write_text(text[: len(text) // 2])
    (bad / "crawl.jsonl").write_text(json.dumps(_example(WRITTEN)) + "\n" + text[:200] + "\n")
    (bad / "fine.json").write_text(json.dumps(_example("speech.json")))
    with pytest.raises(govgraph.BuildError) as info:
        _build(store, [bad])
    messages = [f.message for f in info.value.failures]
    assert all("\n" not in m for m in messages) and len(messages) == 2
    assert any(m.startswith("cut.json: is not valid JSON (") for m in messages)
    assert any(m.startswith("crawl.jsonl: line 2 is not valid JSON (") for m in messages)
    with govgraph.EmbeddedStore(store, read_only=True) as opened:
        assert sorted(map(str, opened._store)) == before
    with pytest.raises(DocumentError, match="holds 2 content items"):
        read_document(_write(tmp_path, "two.json", [_example(ORAL), _example(WRITTEN)]))


# ---------------------------------------------------------------------------
# One speech, however it comes
# ---------------------------------------------------------------------------


def saved_page(item: dict) -> str:
    """The item as www.gov.uk shows it: the page chrome, the metadata block and the body."""
    links = item["links"]
    people = [f'<a href="{p["base_path"]}" class="govuk-link">{html.escape(p["title"])}</a>'
              for p in links.get("speaker", [])]
    orgs = [f'<a href="{o["base_path"]}" class="govuk-link">{html.escape(o["title"])}</a>'
            for o in links.get("organisations", [])]
    roles = [f'<a href="{r["base_path"]}" class="govuk-link">{html.escape(r["title"])}</a>'
             for r in links.get("roles", [])]
    details = item["details"]
    delivered = _long_date(details["delivered_on"])
    explanation = f" ({details['speech_type_explanation']})" if details.get("speech_type_explanation") else ""
    location = (f"<dt>Location:</dt><dd>{html.escape(details['location'])}</dd>"
                if details.get("location") else "")
    caption = {"oral_statement": "Oral statement to Parliament",
               "written_statement": "Written statement to Parliament",
               "authored_article": "Authored article"}.get(item["document_type"], "Speech")
    return f"""<!DOCTYPE html>
<html lang="{item['locale']}" class="govuk-template">
<head><meta charset="utf-8"><title>{html.escape(item['title'])} - GOV.UK</title>
<link rel="canonical" href="https://www.gov.uk{item['base_path']}">
<meta name="govuk:format" content="speech"><meta name="govuk:schema-name" content="speech">
<meta name="govuk:content-id" content="{item['content_id']}"></head>
<body><header class="govuk-header"><a href="/">GOV.UK</a></header>
<div class="govuk-width-container"><main class="govuk-main-wrapper" id="content" role="main">
<div class="gem-c-title"><span class="govuk-caption-xl">{caption}</span>
<h1 class="gem-c-title__text">{html.escape(item['title'])}</h1></div>
<div class="gem-c-metadata"><dl>
<dt>From:</dt><dd>{' and '.join(orgs + people)}</dd>
{f'<dt>Role:</dt><dd>{" and ".join(roles)}</dd>' if roles else ''}
<dt>Published</dt><dd>{_long_date(item['first_published_at'])}</dd>
</dl></div>
<div class="gem-c-important-metadata"><dl>
<dt>Delivered on:</dt><dd>{delivered}{html.escape(explanation)}</dd>{location}
</dl></div>
<div class="govuk-govspeak">{details['body']}</div>
</main></div><footer class="govuk-footer">Crown copyright</footer></body></html>"""


def _long_date(stamp: str) -> str:
    from datetime import date

    day = date.fromisoformat(stamp[:10])
    return f"{day.day} {day:%B %Y}"


SPEECH_FACTS = """
SELECT * WHERE { ?s ?p ?o FILTER(?p IN (gg:deliveredBy, gg:fromOrganisation, dcterms:date, gg:location,
                                            gg:speechType, gg:sourceDocument, foaf:page, dcterms:title)) }"""


@pytest.mark.parametrize("name", [ORAL, TRANSCRIPT, "speech.json"])
def test_the_json_item_and_its_saved_page_are_one_speech(tmp_path: Path, name: str):
    item = _example(name)
    json_file = _write(tmp_path / "json", "item.json", item)
    page = tmp_path / "page" / "Saved page.html"
    page.parent.mkdir()
    page.write_text(saved_page(item), encoding="utf-8")
    assert read_document(page).speech_slug == read_document(json_file).speech_slug
    facts = {}
    for label, path in (("json", json_file), ("page", page)):
        _build(tmp_path / f"{label}-store", [path])
        with govgraph.EmbeddedStore(tmp_path / f"{label}-store", read_only=True) as store:
            facts[label] = {(r["p"], r["o"]) for r in store.select(SPEECH_FACTS, {"s": _speech(item)})}
            membership = store.select("SELECT * WHERE { ?s gg:speakerRole ?m }", {"s": _speech(item)})
            facts[label] |= {("role", r["m"]) for r in membership}
    assert facts["json"] and facts["json"] == facts["page"]
    # in one build, the second is the same speech again; loaded after the other, it replaces it
    both = tmp_path / "both"
    report = _build(both, [json_file, page])
    assert report.loaded == [str(json_file)] and report.duplicates == [str(page)]
    report = _build(both, [page])
    with govgraph.EmbeddedStore(both, read_only=True) as store:
        assert govgraph.store_stats(store)["speeches"] == 1
        assert govgraph.validate_store(store).conforms


def test_loading_the_same_items_twice_changes_nothing(tmp_path: Path, examples_store: Path):
    copy_dir = tmp_path / "copy"
    shutil.copytree(examples_store, copy_dir)
    with govgraph.EmbeddedStore(copy_dir, read_only=True) as store:
        before = sorted(map(str, store._store))
    crawl = tmp_path / "crawl"
    crawl.mkdir()
    shutil.copy(EXAMPLES / ORAL, crawl / "renamed.json")  # the same bytes under another name
    report = _build(copy_dir, [EXAMPLES, crawl])
    assert report.loaded == [] and len(report.unchanged) == 10
    with govgraph.EmbeddedStore(copy_dir, read_only=True) as store:
        assert sorted(map(str, store._store)) == before


def test_documents_other_than_govuk_items_keep_their_file_name_keys():
    from govgraph.build import extract_document
    from govgraph.graph import extraction_triples

    for path in sorted((REPO / "data").iterdir()):
        document = read_document(path)
        assert document.item is None and document.slug == document.speech_slug == path.stem
        triples = extraction_triples(extract_document(document))
        assert not any(p == GG.fieldPath for _, p, _ in triples)


# ---------------------------------------------------------------------------
# The bench's generator
# ---------------------------------------------------------------------------


def test_the_bench_generator_writes_valid_items_that_build(tmp_path: Path, schema):
    sys.path.insert(0, str(REPO / "bench"))
    bench_govuk = importlib.import_module("govuk")  # bench/govuk.py
    paths = bench_govuk.generate(tmp_path / "items", 60, seed=3, per_file=25)
    assert [p.suffix for p in paths] == [".jsonl"] * 3
    items = [json.loads(line) for p in paths for line in p.read_text().splitlines()]
    assert len(items) == 60
    for item in items:
        _valid(schema, item)
    kinds = {i["document_type"] for i in items}
    assert kinds == {"speech", "oral_statement", "written_statement", "authored_article"}
    assert any("speaker_without_profile" in i["details"] for i in items)
    again = bench_govuk.generate(tmp_path / "again", 60, seed=3, per_file=25)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    report = _build(tmp_path / "store", [tmp_path / "items"], workers=1)
    assert len(report.loaded) == 60 and not report.failures
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        assert govgraph.validate_store(store).conforms
    welsh = copy.deepcopy([i for i in items if i["locale"] != "en"])
    assert len(report.not_english) == len(welsh)
