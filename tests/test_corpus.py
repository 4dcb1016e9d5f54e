"""Extraction scored on documents it was not written against (../shared/corpus), and the seed."""

from __future__ import annotations

import pytest

from govgraph import evaluate_corpus, extract_file

TARGETS = {"speakers": 0.9, "pressures": 0.9, "departments": 0.9, "themes": 0.7}


@pytest.fixture(scope="module")
def scores(corpus):
    total, documents = evaluate_corpus(corpus / "docs", corpus / "expected")
    print(f"\nextraction scored on {len(documents)} corpus documents")
    print(total.table())
    return total


@pytest.mark.corpus
@pytest.mark.parametrize(("field", "target"), TARGETS.items())
def test_f1_meets_target(scores, field, target):
    assert scores.fields[field].f1 >= target, scores.table()


@pytest.mark.corpus
def test_event_fields_are_mostly_right(scores):
    for part in ("title", "date", "host", "format"):
        assert scores.fields[f"event {part}"].f1 >= 0.6, scores.table()


def test_seed_document(seed_file):
    data = extract_file(seed_file).to_json()
    assert [s["name"] for s in data["speakers"]] == ["Mike Bracken"]
    assert data["speakers"][0]["organisation"] == "Government Digital Service"
    assert sorted(data["pressures"]) == sorted(
        ["financial", "user-demand", "internal-tools", "security", "procurement"])
    assert data["event"]["host"] == "Institute for Government"
    assert data["event"]["format"] == "in-person"
    assert {"delivery over policy", "agile and iterative working"} <= set(data["themes"])
    [ref] = data["related_speeches"]
    assert ref["speaker"] == "Martin Donnelly"
    assert ref["title"].startswith("Positive Neutrality and Trust")
    assert ref["kind"] == "follows"
