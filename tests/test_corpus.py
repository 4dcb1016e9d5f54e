"""Extraction scored on documents it was not written against (../shared/corpus), on the project's
own dev set (rules are tuned on it) and on its held-out test set (only measured), and the seed.

Every table is printed at the end of the run (conftest's terminal summary), so each run shows
precision, recall and F1 per field for all three.
"""

from __future__ import annotations

import pytest

from govgraph import evaluate_corpus, extract_file

from .conftest import REPO, SCORE_TABLES

TARGETS = {"speakers": 0.9, "pressures": 0.9, "departments": 0.9, "themes": 0.7}
TEST_SET_TARGETS = {"speakers": 0.9, "pressures": 0.8, "departments": 0.9}  # issue 17, on held-out text
OWN_CORPUS = REPO / "tests" / "corpus"


def _scored(name: str, folder):
    """Score one corpus and keep its table for the end of the run."""
    total, documents = evaluate_corpus(folder / "docs", folder / "expected")
    SCORE_TABLES[f"{name} ({len(documents)} documents)"] = total.table()
    return total, documents


@pytest.fixture(scope="module")
def scores(corpus):
    return _scored("../shared/corpus", corpus)[0]


@pytest.fixture(scope="module", params=["dev", "test"])
def own(request):
    return request.param, _scored(f"tests/corpus/{request.param}", OWN_CORPUS / request.param)


@pytest.mark.corpus
@pytest.mark.parametrize(("field", "target"), TARGETS.items())
def test_f1_meets_target(scores, field, target):
    assert scores.fields[field].f1 >= target, scores.table()


@pytest.mark.corpus
def test_event_fields_are_mostly_right(scores):
    for part in ("title", "date", "host", "format"):
        assert scores.fields[f"event {part}"].f1 >= 0.6, scores.table()


def test_every_document_of_the_own_corpora_is_read_and_scored(own):
    name, (_total, documents) = own
    expected = sorted(p.stem for p in (OWN_CORPUS / name / "expected").glob("*.json"))
    assert sorted(d.name.rsplit(".", 1)[0] for d in documents) == expected and len(expected) >= 15


@pytest.mark.corpus
@pytest.mark.xfail(strict=True, reason="issue 17: the held-out test set's targets are not met yet")
def test_test_set_meets_the_targets():
    total, _ = evaluate_corpus(OWN_CORPUS / "test" / "docs", OWN_CORPUS / "test" / "expected")
    assert all(total.fields[field].f1 >= target for field, target in TEST_SET_TARGETS.items()), total.table()


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
