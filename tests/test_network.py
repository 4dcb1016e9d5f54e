"""Network views, the structure of the field, and paths with evidence, checked against the store itself."""

from __future__ import annotations

import itertools
import json

import networkx as nx
import pytest
from click.testing import CliRunner

import govgraph
from govgraph.cli import cli
from govgraph.errors import NotFoundError
from govgraph.network import projection

from .conftest import DATA


@pytest.fixture(scope="module")
def snapshot(demo_store):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        return govgraph.read_snapshot(store)


def test_the_entity_graph_holds_what_the_store_holds(demo_store, snapshot):
    graph = govgraph.entity_graph(snapshot)
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        stats = govgraph.store_stats(store)
        facts = govgraph.query(
            "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s a gg:Speech ; ?p ?o "
            "VALUES ?p { gg:deliveredBy gg:deliveredAt gg:discusses gg:namesPressure gg:mentionsDepartment "
            "gg:follows gg:refersTo } } }",
            store=store,
        ).records()[0]["n"]
    kinds = [d["kind"] for _, d in graph.nodes(data=True)]
    for kind, stat in (
        ("speech", "speeches"),
        ("speaker", "speakers"),
        ("event", "events"),
        ("theme", "themes"),
        ("pressure", "pressures"),
        ("department", "departments"),
    ):
        assert kinds.count(kind) == stats[stat], kind
    speech_edges = sum(1 for u, _, _ in graph.edges(keys=True) if graph.nodes[u]["kind"] == "speech")
    assert speech_edges == facts
    assert all({"kind", "label", "iri"} <= set(d) for _, d in graph.nodes(data=True))
    assert all("relation" in d for _, _, d in graph.edges(data=True))


def test_bipartite_view_and_projections(snapshot):
    graph = govgraph.speech_concept_graph(snapshot)
    assert nx.is_bipartite(graph)
    concepts = projection(graph, 1)
    speeches = projection(graph, 0)
    assert len(speeches) == len(snapshot)
    for a, b, data in concepts.edges(data=True):  # weight = speeches naming both
        both = sum(1 for i in range(len(snapshot)) if {a, b} <= _all_features(snapshot, i))
        assert data["weight"] == both


def _all_features(snapshot, i):
    return set().union(*(snapshot.features[k][i] for k in ("themes", "pressures", "departments")))


def test_speaker_network_weights_are_shared_themes(snapshot):
    graph = govgraph.speaker_graph(snapshot)
    themes = {}
    for i in range(len(snapshot)):
        for speaker in snapshot.speakers[i]:
            themes.setdefault(speaker, set()).update(snapshot.features["themes"][i])
    for a, b, data in graph.edges(data=True):
        assert data["weight"] == len(themes[a] & themes[b]) > 0


def test_analysis_is_deterministic_and_communities_cover_every_node(snapshot):
    first, second = govgraph.analyse(snapshot, top=3), govgraph.analyse(snapshot, top=3)
    assert first.to_json() == second.to_json()
    members = [name for c in first.communities for names in c["members"].values() for name in names]
    assert sum(c["size"] for c in first.communities) == len(members) == len(govgraph.entity_graph(snapshot))
    assert first.counts["speech"] == len(snapshot)
    top_department = first.central["department"][0]
    degrees = {row["label"]: row["degree"] for row in first.central["department"]}
    assert top_department["degree"] == max(degrees.values())


def test_path_is_a_chain_of_facts_with_their_sentences(demo_store, snapshot):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        steps = govgraph.find_path(store, snapshot, "Mike Bracken", "HM Revenue")
    ends = {steps[0].subject, steps[0].object}
    assert "https://w3id.org/govgraph/id/person/mike-bracken" in ends
    assert "https://w3id.org/govgraph/id/organisation/hm-revenue-customs" in {
        steps[-1].subject,
        steps[-1].object,
    }
    for before, after in itertools.pairwise(steps):
        assert {before.subject, before.object} & {after.subject, after.object}
    for step in steps:
        if step.sentence:
            text = (DATA / step.document).read_text(encoding="utf-8")
            assert " ".join(step.sentence.split()[:6]) in " ".join(text.split())


def test_a_link_between_speeches_carries_the_sentence_that_made_it(demo_store, snapshot):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        steps = govgraph.find_path(store, snapshot, "strategy is delivery", "Positive Neutrality")
    assert [s.relation for s in steps] == ["follows"]
    assert "Martin Donnelly" in steps[0].sentence


def test_unknown_entities_are_clear_errors(demo_store, snapshot):
    with (
        govgraph.EmbeddedStore(demo_store, read_only=True) as store,
        pytest.raises(NotFoundError, match="no entity"),
    ):
        govgraph.find_path(store, snapshot, "Nobody At All", "Cabinet Office")


def test_cli_analyse_and_path(demo_store):
    runner = CliRunner()
    analysis = runner.invoke(cli, ["analyse", "--store", str(demo_store), "--format", "json"])
    assert analysis.exit_code == 0
    assert {"counts", "central", "communities"} <= set(json.loads(analysis.output))
    text = runner.invoke(cli, ["analyse", "--store", str(demo_store)])
    assert "most central speeches" in text.output and "communities:" in text.output
    chain = runner.invoke(cli, ["path", "Mike Bracken", "HM Revenue", "--store", str(demo_store)])
    assert chain.exit_code == 0 and chain.output.startswith("1. ")
    missing = runner.invoke(cli, ["path", "Nobody At All", "GDS", "--store", str(demo_store)])
    assert missing.exit_code == 1 and missing.output.startswith("Error: no entity matches")
