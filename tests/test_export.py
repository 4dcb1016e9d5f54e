"""Exports are opened by the tools that read them: networkx, Graphviz, Pillow, rdflib and Chromium."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

import govgraph
from govgraph import export as exporting
from govgraph.cli import cli
from govgraph.errors import GovGraphError, NotFoundError
from govgraph.export import Drawing, export, view_graph
from govgraph.snapshot import read_evidence

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def opened(demo_store):
    with govgraph.EmbeddedStore(demo_store, read_only=True) as store:
        yield store, govgraph.read_snapshot(store)


def _drawn(opened, fmt: str, drawing: Drawing | None = None, **size: int) -> bytes:
    store, snapshot = opened
    return export(store, snapshot, fmt, drawing or Drawing(), **size)


@pytest.mark.parametrize("view", ["entities", "speeches", "speakers"])
@pytest.mark.parametrize(("fmt", "reader"), [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_networkx_reads_back_the_same_nodes_and_edges(opened, view, fmt, reader):
    expected = view_graph(opened[1], Drawing(view))
    graph = reader(io.BytesIO(_drawn(opened, fmt, Drawing(view))))
    assert set(graph.nodes) == set(expected.nodes)
    assert graph.number_of_edges() == expected.number_of_edges()
    for node, data in graph.nodes(data=True):
        assert data["kind"] == expected.nodes[node]["kind"] and data["label"] == expected.nodes[node]["label"]
        assert data["iri"] == node
        if fmt == "graphml":
            assert re.fullmatch(r"#[0-9a-f]{6}", data["color"]) and data["size"] > 0
        else:  # Gephi's own colour, size and position
            assert set(data["viz"]) >= {"color", "size", "position"}


def test_colours_follow_kind_and_sizes_follow_degree(opened):
    graph = view_graph(opened[1], Drawing())
    by_kind = {}
    for _, data in graph.nodes(data=True):
        by_kind.setdefault(data["kind"], set()).add(data["color"])
    assert all(len(colours) == 1 for colours in by_kind.values())
    assert len({c for colours in by_kind.values() for c in colours}) == len(by_kind)
    ordered = sorted(graph.nodes, key=graph.degree)
    assert graph.nodes[ordered[0]]["size"] <= graph.nodes[ordered[-1]]["size"]


def test_cytoscape_json_is_ready_for_cy_add(opened):
    import json

    data = json.loads(_drawn(opened, "cytoscape"))
    nodes = {n["data"]["id"] for n in data["elements"]["nodes"]}
    assert len(nodes) == len(view_graph(opened[1], Drawing()))
    for edge in data["elements"]["edges"]:
        assert {edge["data"]["source"], edge["data"]["target"]} <= nodes and edge["data"]["relation"]
    assert all({"x", "y"} <= set(n["position"]) for n in data["elements"]["nodes"])
    assert any("sentence" in e["data"] for e in data["elements"]["edges"])


def test_a_focused_drawing_reads_only_its_nodes_evidence_and_misses_none(opened):
    import json

    store, snapshot = opened
    focused = view_graph(snapshot, Drawing(focus="Mike Bracken", depth=1))
    everything = read_evidence(store)
    about = set(focused)
    expected = {key: words for key, words in everything.items() if key[0] in about}
    assert expected and read_evidence(store, about) == expected
    assert any(key[1].endswith(("follows", "refersTo")) for key in everything)  # links get sentences too
    data = json.loads(_drawn(opened, "cytoscape", Drawing(focus="Mike Bracken", depth=1)))
    edges = [e["data"] for e in data["elements"]["edges"]]
    assert any("sentence" in e for e in edges)
    for edge in edges:
        if "sentence" in edge:
            assert edge["sentence"] in {words[0] for words in expected.values()}


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (Debian's graphviz) is not installed")
def test_dot_renders_with_graphviz_to_svg_with_every_node(opened):
    dot = _drawn(opened, "dot")
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, check=True).stdout
    root = ET.fromstring(svg)
    nodes = [g for g in root.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "node"]
    assert len(nodes) == len(view_graph(opened[1], Drawing()))


@pytest.mark.parametrize("renderer", ["graphviz", "matplotlib"])
def test_png_is_a_valid_image_of_the_size_asked_for(opened, monkeypatch, renderer):
    if renderer == "graphviz" and shutil.which("dot") is None:
        pytest.skip("Graphviz (Debian's graphviz) is not installed")
    if renderer == "matplotlib":
        monkeypatch.setattr(exporting.shutil, "which", lambda name: None)
    image = Image.open(io.BytesIO(_drawn(opened, "png", width=900, height=700)))
    image.verify()
    image = Image.open(io.BytesIO(_drawn(opened, "png", width=900, height=700))).convert("RGB")
    assert image.size == (900, 700)
    assert _colourful_fraction(image) > 0.005


def _colourful_fraction(image: Image.Image) -> float:
    """The share of pixels that are clearly coloured (not white, grey or black)."""
    pixels = np.asarray(image.resize((300, 200)), dtype=np.int16)
    return float(((pixels.max(axis=2) - pixels.min(axis=2)) > 60).mean())


@pytest.mark.parametrize("fmt", ["ttl", "nt"])
def test_rdf_triples_round_trip(opened, fmt):
    store, _ = opened
    loaded = Graph().parse(data=export(store, None, fmt), format={"ttl": "turtle", "nt": "nt"}[fmt])
    assert isomorphic(loaded, store.to_graph())


@pytest.mark.parametrize(("fmt", "parser"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")])
def test_rdf_datasets_round_trip_with_their_named_graphs(opened, fmt, parser):
    store, _ = opened
    dataset = Dataset()
    dataset.parse(data=export(store, None, fmt), format=parser)
    loaded = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in dataset.quads()}
    original = Dataset()
    original.parse(data=export(store, None, "nq"), format="nquads")
    expected = {(s, p, o, g.identifier if hasattr(g, "identifier") else g) for s, p, o, g in original.quads()}
    assert loaded == expected and len(expected) == len(store)


def test_focus_draws_the_neighbourhood_only(opened):
    snapshot = opened[1]
    full = nx.Graph(view_graph(snapshot, Drawing()))
    focused = view_graph(snapshot, Drawing(focus="Mike Bracken", depth=2))
    centre = "https://w3id.org/govgraph/id/person/mike-bracken"
    distances = nx.single_source_shortest_path_length(full, centre, cutoff=2)
    assert set(focused.nodes) == set(distances)
    assert 1 < len(focused) < len(full)


def test_bad_focus_and_rdf_with_a_view_are_clear_errors(opened):
    with pytest.raises(NotFoundError, match="no entity matches"):
        _drawn(opened, "graphml", Drawing(focus="Nobody At All"))
    with pytest.raises(NotFoundError, match="not in the speakers view"):
        _drawn(opened, "graphml", Drawing("speakers", focus="financial pressure"))
    with pytest.raises(GovGraphError, match="exports the whole graph"):
        _drawn(opened, "ttl", Drawing(focus="Mike Bracken"))


def test_cli_writes_files_where_asked_and_text_to_stdout(demo_store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["export", "--format", "png", "--store", str(demo_store), "--size", "640x480"]
    )
    assert result.exit_code == 0, result.output
    assert Image.open(tmp_path / "govgraph-entities.png").size == (640, 480)
    result = runner.invoke(cli, ["export", "--format", "graphml", "--store", str(demo_store)])
    assert result.exit_code == 0 and result.stdout_bytes.startswith(b"<?xml")
    bad = runner.invoke(cli, ["export", "--format", "png", "--size", "big", "--store", str(demo_store)])
    assert bad.exit_code == 2 and "WIDTHxHEIGHT" in bad.output


# ---------------------------------------------------------------------------
# The interactive page, in a real browser
# ---------------------------------------------------------------------------


def _chromium(page: Path, *flags: str) -> subprocess.CompletedProcess:
    profile = page.parent / "chromium-profile"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--window-size=1400,900",
        "--virtual-time-budget=15000",
        *flags,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def page(opened, tmp_path_factory) -> Path:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (Debian's chromium; `make test` installs it as root)")
    path = tmp_path_factory.mktemp("page") / "graph.html"
    path.write_bytes(_drawn(opened, "html"))
    return path


def test_the_page_is_self_contained(page):
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']https?://""", text)
    assert "cytoscape" in text and len(text) > 300_000  # the library is inlined


def test_the_page_draws_every_node_in_chromium(page, opened):
    result = _chromium(page, "--dump-dom")
    dom = result.stdout.decode("utf-8", "replace")
    status = re.search(r'<div[^>]*id="govgraph-status"[^>]*>', dom)
    assert status, f"no status element; chromium said: {result.stderr.decode()[-500:]}"
    attributes = dict(re.findall(r'(data-[a-z-]+)="([^"]*)"', status.group()))
    assert "data-error" not in attributes, attributes.get("data-error")
    assert attributes.get("data-ready") == "true"
    assert int(attributes["data-nodes"]) == len(view_graph(opened[1], Drawing()))


def test_the_page_screenshot_is_a_real_drawing(page):
    shot = page.parent / "shot.png"
    result = _chromium(page, f"--screenshot={shot}")
    assert shot.exists(), result.stderr.decode()[-500:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 900)
    assert _colourful_fraction(image) > 0.01  # coloured nodes, not a blank or an error page
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 50


def test_hostile_labels_stay_text_in_the_page():
    from govgraph.export import decorate, to_html

    graph = nx.MultiDiGraph()
    hostile = '</script><img src=x onerror=alert(1)> __GRAPH_JSON__ /*__CYTOSCAPE__*/ __TITLE__'
    graph.add_node("urn:a", kind="speech", label=hostile, iri="urn:a")
    graph.add_node("urn:b", kind="theme", label="b", iri="urn:b")
    graph.add_edge("urn:a", "urn:b", relation="discusses")
    decorate(graph)
    page = to_html(graph, title=hostile)
    assert "<img src=x" not in page and page.count("</script><img") == 0
    data = re.search(r'<script type="application/json" id="govgraph-data">(.*?)</script>', page, re.S)
    import json

    assert json.loads(data.group(1))["elements"]["nodes"][0]["data"]["label"] == hostile


@pytest.mark.parametrize("fmt", ["gexf", "cytoscape", "html", "graphml"])
def test_large_graphs_placed_at_random_still_export(opened, monkeypatch, fmt):
    monkeypatch.setattr(exporting, "SPRING_LIMIT", 10)  # as a graph of thousands of nodes is placed
    monkeypatch.setattr(exporting, "KAMADA_KAWAI_LIMIT", 10)
    drawn = _drawn(opened, fmt)
    if fmt in ("gexf", "graphml"):
        reader = nx.read_gexf if fmt == "gexf" else nx.read_graphml
        assert len(reader(io.BytesIO(drawn))) == len(view_graph(opened[1], Drawing()))
    else:
        assert b'"x":' in drawn or b'"x": ' in drawn
