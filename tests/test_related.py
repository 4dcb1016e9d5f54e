"""Related speeches: explicit links first, rare shared concepts over common ones, reasons that hold up."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import govgraph
from govgraph.cli import cli
from govgraph.errors import NotFoundError
from govgraph.related import RelatedIndex, _top_k
from govgraph.snapshot import Snapshot

from .conftest import DATA

FOLLOWED = "ifg-2014-donnelly-positive-neutrality-and-trust.html"
OTHERS = (
    "sprint13-2013-maude-digital-by-default.txt",
    "reform-2017-gummer-transformation-strategy.md",
    "ted2012-pahlka-coding-a-better-government.txt",
    "ip-expo-2014-maxwell-no-more-big-it.txt",
    "sprint16-2016-foreshew-cain-government-as-a-platform.html",
)


@pytest.fixture(scope="module")
def small_store(seed_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed, the speech it says it follows, and a few others: a corpus these tests own."""
    docs = tmp_path_factory.mktemp("small-docs")
    shutil.copy(seed_file, docs / "seed.txt")
    for name in (FOLLOWED, *OTHERS):
        shutil.copy(DATA / name, docs / name)
    path = tmp_path_factory.mktemp("small") / "store"
    with govgraph.EmbeddedStore(path) as store:
        govgraph.build([docs], store)
    return path


@pytest.fixture(scope="module")
def snapshot(small_store: Path) -> Snapshot:
    with govgraph.EmbeddedStore(small_store, read_only=True) as store:
        return govgraph.read_snapshot(store)


def _seed(snapshot: Snapshot) -> str:
    return next(s for s in snapshot.speeches if s.endswith("/speech/seed"))


def test_the_speech_the_seed_follows_ranks_first_because_it_follows(snapshot):
    _speech, results = govgraph.related_speeches(snapshot, _seed(snapshot), top=5)
    first = results[0]
    assert first.speech.endswith("/speech/ifg-2014-donnelly-positive-neutrality-and-trust")
    assert first.link == "follows" and first.parts["follows"] == pytest.approx(1.0)
    assert first.reasons()[0] == "follows: 1.000"
    assert [r.rank for r in results] == list(range(1, len(results) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(results))


def test_the_followed_speech_sees_the_link_from_the_other_side(snapshot):
    donnelly = next(s for s in snapshot.speeches if "donnelly" in s)
    _, results = govgraph.related_speeches(snapshot, donnelly, top=1)
    assert results[0].speech == _seed(snapshot) and results[0].link == "followed by"


def test_shared_concepts_in_the_reasons_are_really_shared(small_store, snapshot):
    _, results = govgraph.related_speeches(snapshot, _seed(snapshot), top=6)
    named = 0
    for result in results:
        for kind in ("themes", "pressures", "departments"):
            shared = set(result.shared_iris.get(kind, []))
            expected = _concepts(small_store, _seed(snapshot), kind) & _concepts(
                small_store, result.speech, kind
            )
            assert shared == expected
            named += len(shared)
            if shared:
                assert any(reason.startswith(kind) for reason in result.reasons())
    assert named > 0


def _concepts(store_path: Path, speech: str, kind: str) -> set[str]:
    predicate = {
        "themes": "gg:discusses",
        "pressures": "gg:namesPressure",
        "departments": "gg:mentionsDepartment",
    }
    result = govgraph.query(
        f"SELECT DISTINCT ?c WHERE {{ ?s {predicate[kind]} ?c }}", {"s": f"<{speech}>"}, store=store_path
    )
    return {row["c"] for row in result.records()}


def test_scores_are_deterministic_and_all_pairs_agrees_with_one_lookup(snapshot):
    first = [r.to_json() for r in RelatedIndex(snapshot).related(_seed(snapshot), top=5)]
    second = [r.to_json() for r in RelatedIndex(snapshot).related(_seed(snapshot), top=5)]
    assert json.dumps(first) == json.dumps(second)
    index = RelatedIndex(snapshot)
    neighbours, scores = index.all_pairs(top=3)
    small_blocks = index.all_pairs(top=3, block_bytes=1)  # one row per block
    assert np.array_equal(neighbours, small_blocks[0]) and np.allclose(scores, small_blocks[1])
    for i, speech in enumerate(snapshot.speeches):
        expected = [snapshot.index[r.speech] for r in index.related(speech, top=3)]
        assert list(neighbours[i][: len(expected)]) == expected
        assert scores[i][0] == pytest.approx(index.related(speech, top=1)[0].score, rel=1e-5)


@pytest.mark.parametrize("width", [300, 4096, 5001])
def test_top_k_of_wide_rows_matches_a_full_sort(width):
    """Narrow rows are searched whole, wide ones by groups: both find what a full sort finds, with ties."""
    rng = np.random.default_rng(width)
    block = rng.integers(0, 50, size=(40, width)).astype(np.float32)  # many ties
    block[0, -3:] = 99.0  # the best scores in the last, narrower group
    block[1, :] = -np.inf
    block[1, [7, width - 1]] = 1.0
    columns, values = _top_k(block, 5)
    for row, (got_columns, got_values) in enumerate(zip(columns, values, strict=True)):
        expected = sorted(range(width), key=lambda c: (-block[row, c], c))[:5]
        assert list(got_columns) == expected, row
        assert list(got_values) == [block[row, c] for c in expected]


def _tiny(features: list[set[str]]) -> Snapshot:
    n = len(features)
    speeches = [f"urn:speech:{i}" for i in range(n)]
    empty = [frozenset()] * n
    return Snapshot(
        speeches,
        [f"speech {i}" for i in range(n)],
        [None] * n,
        {"themes": [frozenset(f) for f in features], "pressures": empty, "departments": empty},
        empty,
        [None] * n,
        [""] * n,
        [],
        {},
        dict.fromkeys(speeches, "speech"),
    )


def test_a_rare_shared_theme_counts_for_more_than_a_common_one():
    common, rare = "urn:theme:common", "urn:theme:rare"
    features = [{common, rare, "urn:theme:a"}, {rare, "urn:theme:b"}, {common, "urn:theme:c"}]
    features += [{common, f"urn:theme:x{i}"} for i in range(6)]
    results = RelatedIndex(_tiny(features)).related("urn:speech:0", top=2)
    assert results[0].speech == "urn:speech:1"
    assert results[0].shared_iris["themes"] == [rare]
    assert results[0].parts["themes"] > results[1].parts["themes"] > 0


def test_unknown_and_ambiguous_names(snapshot):
    with pytest.raises(NotFoundError, match="no speech matches 'no such speech'"):
        govgraph.related_speeches(snapshot, "no such speech")
    with pytest.raises(NotFoundError, match=r"matches \d+ speeches: .*<https://w3id.org/govgraph/id/speech/"):
        govgraph.related_speeches(snapshot, "digital")


def test_cli_related_table_json_and_errors(small_store):
    runner = CliRunner()
    table = runner.invoke(cli, ["related", "seed", "--store", str(small_store), "--top", "2"])
    assert table.exit_code == 0 and "follows: 1.000" in table.output
    as_json = json.loads(
        runner.invoke(cli, ["related", "seed", "--store", str(small_store), "--format", "json"]).output
    )
    assert as_json["related"][0]["link"] == "follows"
    unknown = runner.invoke(cli, ["related", "nothing like this", "--store", str(small_store)])
    assert unknown.exit_code == 1 and unknown.output.startswith("Error: no speech matches")
    assert unknown.output.count("\n") == 1


def test_materialised_links_are_valid_queryable_and_kept_up_to_date(small_store, tmp_path):
    store_path = tmp_path / "store"
    shutil.copytree(small_store, store_path)
    result = CliRunner().invoke(cli, ["related", "--materialise", "--top", "3", "--store", str(store_path)])
    assert result.exit_code == 0, result.output
    with govgraph.EmbeddedStore(store_path) as store:
        assert govgraph.validate_store(store).conforms
        rows = govgraph.query("related-speeches", {"speech": "strategy is delivery"}, store=store).records()
        assert rows[0]["related"].endswith("donnelly-positive-neutrality-and-trust") and rows[0]["rank"] == 1
        assert "follows: 1.000" in rows[0]["reasons"]
        before = govgraph.store_stats(store)["related"]
        docs = tmp_path / "more"
        docs.mkdir()
        shutil.copy(DATA / "sprint16-2016-hancock-citizen-and-state.md", docs)
        govgraph.build([docs], store)
        after = govgraph.store_stats(store)["related"]
        assert after > before  # the new speech has its own related speeches
        ranks = govgraph.query("SELECT (MAX(?r) AS ?top) WHERE { ?x gg:rank ?r }", store=store).records()
        assert ranks == [{"top": 3}]  # the build kept the depth chosen with --materialise
        assert govgraph.validate_store(store).conforms
