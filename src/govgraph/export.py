"""Graph exports that open legibly in Gephi, Cytoscape, Graphviz and the browser, and RDF dumps.

A drawing starts from a networkx view (the entity graph, speeches with their concepts, or the
speaker network), optionally cut to the neighbourhood of one entity. Every node gets its kind,
label, IRI, a colour by kind, a size by degree and a position, so the file looks right when
opened, without styling by hand.
"""

from __future__ import annotations

import html
import io
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from typing import Any

import networkx as nx

from .errors import GovGraphError, NotFoundError
from .lookup import find_entity
from .network import RELATION_IRIS, entity_graph, speaker_graph, speech_concept_graph
from .snapshot import Snapshot
from .store import DUMP_FORMATS, EmbeddedStore

VIEWS = ("entities", "speeches", "speakers")
DRAWING_FORMATS = ("graphml", "gexf", "dot", "svg", "png", "cytoscape", "html")
RDF_FORMATS = tuple(DUMP_FORMATS)
FORMATS = DRAWING_FORMATS + RDF_FORMATS
FILE_FORMATS = ("png", "html")  # written to a file by default, not to the terminal
EXTENSIONS = {"cytoscape": "cyjs", "jsonld": "jsonld"}
PALETTE = {
    "speech": "#1f77b4",
    "speaker": "#d62728",
    "event": "#9467bd",
    "theme": "#2ca02c",
    "pressure": "#ff7f0e",
    "department": "#8c564b",
    "organisation": "#7f7f7f",
}
KIND_LABELS = {
    "speech": "Speeches",
    "speaker": "Speakers",
    "event": "Events",
    "theme": "Themes",
    "pressure": "Pressures",
    "department": "Departments",
    "organisation": "Organisations",
}
MIN_SIZE, MAX_SIZE = 12.0, 60.0
KAMADA_KAWAI_LIMIT = 150  # spreads small graphs evenly; quadratic, so only for small ones
SPRING_LIMIT = 3000  # force-directed layout above this many nodes is too slow; positions are then random
CANVAS = 1000.0


class ExportError(GovGraphError):
    """An export could not be produced (unknown view or format, a renderer that failed)."""


@dataclass(frozen=True)
class Drawing:
    """What to draw: a view, optionally the neighbourhood of one entity."""

    view: str = "entities"
    focus: str | None = None
    depth: int = 1


def default_file_name(fmt: str, view: str = "entities") -> str:
    """A file name for formats that should not go to a terminal."""
    return f"govgraph-{view}.{EXTENSIONS.get(fmt, fmt)}"


# ---------------------------------------------------------------------------
# Building the graph to draw
# ---------------------------------------------------------------------------


def view_graph(snapshot: Snapshot, drawing: Drawing) -> nx.Graph:
    """The networkx graph to draw, decorated with colours, sizes and positions."""
    if drawing.view not in VIEWS:
        raise ExportError(f"unknown view {drawing.view!r}", hint=f"one of {', '.join(VIEWS)}")
    builders = {"entities": entity_graph, "speeches": speech_concept_graph, "speakers": speaker_graph}
    graph = builders[drawing.view](snapshot)
    if drawing.focus:
        graph = neighbourhood(graph, find_entity(snapshot, drawing.focus), drawing.depth, drawing.view)
    decorate(graph)
    return graph


def neighbourhood(graph: nx.Graph, centre: str, depth: int, view: str = "") -> nx.Graph:
    """The entities within `depth` links of `centre`, with every edge among them."""
    if centre not in graph:
        raise NotFoundError(
            f"{graph.nodes.get(centre, {}).get('label', centre)} is not in the {view} view",
            hint="choose another --view, or another --focus",
        )
    undirected = graph.to_undirected(as_view=True) if graph.is_directed() else graph
    keep = nx.single_source_shortest_path_length(undirected, centre, cutoff=max(depth, 0))
    sub = graph.subgraph(keep).copy()
    sub.graph["focus"] = centre
    return sub


def _add_evidence(graph: nx.Graph, evidence: dict[tuple[str, str, str], tuple[str, str | None]]) -> None:
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for *ends, data in edges:
        predicate = RELATION_IRIS.get(data.get("relation", ""))
        found = evidence.get((ends[0], predicate, ends[1])) if predicate else None
        if found:
            data["sentence"] = found[0]
            if found[1]:
                data["document"] = found[1]


def decorate(graph: nx.Graph) -> None:
    """Colour by kind, size by degree, and a position for every node (force-directed when affordable)."""
    degrees = dict(graph.degree())
    top = max(degrees.values(), default=1) or 1
    positions = layout(graph)
    for node, data in graph.nodes(data=True):
        data["color"] = PALETTE.get(data.get("kind", ""), "#333333")
        data["degree"] = degrees[node]
        data["size"] = round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * (degrees[node] / top) ** 0.5, 2)
        data["x"], data["y"] = positions[node]


def layout(graph: nx.Graph) -> dict[Any, tuple[float, float]]:
    """Positions on a CANVAS-wide square, the same on every run."""
    if not len(graph):
        return {}
    simple = nx.Graph(graph)
    if len(simple) <= KAMADA_KAWAI_LIMIT and nx.is_connected(simple):
        raw = nx.kamada_kawai_layout(simple, pos=nx.spring_layout(simple, seed=1))
    elif len(simple) <= SPRING_LIMIT:
        raw = nx.spring_layout(simple, seed=1, k=2.0 / max(len(simple), 1) ** 0.5, iterations=80)
    else:
        raw = nx.random_layout(simple, seed=1)
    raw = {n: (float(p[0]), float(p[1])) for n, p in raw.items()}  # numpy float32 breaks JSON and GEXF
    xs = [p[0] for p in raw.values()]
    ys = [p[1] for p in raw.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {
        n: (round((p[0] - min(xs)) / span * CANVAS, 2), round((p[1] - min(ys)) / span * CANVAS, 2))
        for n, p in raw.items()
    }


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


def to_graphml(graph: nx.Graph) -> bytes:
    """GraphML with kind, label, IRI, colour, size and position on every node (Cytoscape, yEd, Gephi)."""
    out = io.BytesIO()
    nx.write_graphml(_plain(graph), out, named_key_ids=True)
    return out.getvalue()


def to_gexf(graph: nx.Graph) -> bytes:
    """GEXF with Gephi's viz colours, sizes and positions, so Gephi shows the picture at once."""
    plain = _plain(graph)
    for _, data in plain.nodes(data=True):
        red, green, blue = _rgb(data["color"])
        data["viz"] = {
            "color": {"r": red, "g": green, "b": blue, "a": 1.0},
            "size": data["size"],
            "position": {"x": data["x"], "y": -data["y"], "z": 0.0},
        }
    out = io.BytesIO()
    nx.write_gexf(plain, out)
    return out.getvalue()


def _plain(graph: nx.Graph) -> nx.Graph:
    """A copy whose attributes are all strings or numbers, as GraphML and GEXF require."""
    plain = graph.copy()
    plain.graph.clear()
    for _, data in plain.nodes(data=True):
        data.pop("bipartite", None)
        for key, value in list(data.items()):
            if not isinstance(value, (str, int, float)):
                data[key] = str(value)
    edges = plain.edges(keys=True, data=True) if plain.is_multigraph() else plain.edges(data=True)
    for *_, data in edges:
        for key, value in list(data.items()):
            if not isinstance(value, (str, int, float)):
                data[key] = str(value)
    return plain


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def to_cytoscape(graph: nx.Graph) -> str:
    """Cytoscape.js elements (`cy.add(data.elements)`), with positions and a style sheet."""
    return json.dumps(_cytoscape(graph), indent=1, ensure_ascii=False)


def _cytoscape(graph: nx.Graph) -> dict[str, Any]:
    nodes = []
    for node, data in graph.nodes(data=True):
        nodes.append(
            {
                "data": {
                    "id": node,
                    "label": data.get("label", node),
                    "kind": data.get("kind", ""),
                    "iri": data.get("iri", node),
                    "color": data["color"],
                    "size": data["size"],
                    "degree": data["degree"],
                },
                "position": {"x": data["x"], "y": data["y"]},
            }
        )
    edges = []
    items = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for number, (source, target, *rest) in enumerate(items):
        data = rest[-1]
        element = {
            "id": f"e{number}",
            "source": source,
            "target": target,
            "relation": data.get("relation", ""),
        }
        for key in ("sentence", "document", "weight", "themes"):
            if key in data:
                element[key] = data[key]
        edges.append({"data": element})
    kinds = {
        k: {"color": c, "label": KIND_LABELS[k]}
        for k, c in PALETTE.items()
        if any(d.get("kind") == k for _, d in graph.nodes(data=True))
    }
    style = [
        {
            "selector": "node",
            "style": {
                "background-color": "data(color)",
                "label": "data(label)",
                "width": "data(size)",
                "height": "data(size)",
            },
        },
        {
            "selector": "edge",
            "style": {
                "curve-style": "bezier",
                "target-arrow-shape": "triangle",
                "line-color": "#bbbbbb",
                "width": 1,
            },
        },
    ]
    return {
        "directed": graph.is_directed(),
        "kinds": kinds,
        "style": style,
        "elements": {"nodes": nodes, "edges": edges},
    }


def to_dot(graph: nx.Graph) -> str:
    """Graphviz DOT with colours, sizes, labels, links to each IRI, and the layout's positions pinned."""
    import pydot

    dot = pydot.Dot(graph_type="digraph" if graph.is_directed() else "graph", strict=False)
    dot.set("layout", "neato")  # with every node pinned at the shared layout's position: fast and consistent
    dot.set("notranslate", "true")
    dot.set("outputorder", "edgesfirst")
    dot.set("forcelabels", "true")
    dot.set_node_defaults(
        style="filled", fontname="Helvetica", fontsize="10", shape="circle", fixedsize="true"
    )
    dot.set_edge_defaults(color="#00000040", arrowsize="0.5")
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    for node, data in graph.nodes(data=True):
        inches = data["size"] / 72
        position = f'"{data["x"] / 72:.3f},{(CANVAS - data["y"]) / 72:.3f}!"'
        dot.add_node(
            pydot.Node(
                ids[node],
                label='""',
                pos=position,
                xlabel=_dot_text(_short_label(data.get("label", node))),
                fillcolor=data["color"],
                color=data["color"],
                width=f"{inches:.2f}",
                tooltip=_dot_text(data.get("label", node)),
                URL=_dot_text(data.get("iri", node)),
                kind=data.get("kind", ""),
            )
        )
    items = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for source, target, *rest in items:
        dot.add_edge(pydot.Edge(ids[source], ids[target], tooltip=_dot_text(rest[-1].get("relation", ""))))
    return dot.to_string()


def _dot_text(text: str) -> str:
    """A DOT string value; pydot quotes it, we escape what would end the quotes."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _short_label(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def render(graph: nx.Graph, fmt: str, width: int = 1600, height: int = 1200) -> bytes:
    """SVG or PNG of exactly width x height pixels: Graphviz when installed, else matplotlib."""
    if shutil.which("dot"):
        return _render_graphviz(graph, fmt, width, height)
    return _render_matplotlib(graph, fmt, width, height)


def _render_graphviz(graph: nx.Graph, fmt: str, width: int, height: int) -> bytes:
    dpi = 96
    command = [
        "dot",
        f"-T{fmt}",
        f"-Gdpi={dpi}",
        f"-Gsize={width / dpi:.4f},{height / dpi:.4f}!",
        "-Gratio=fill",
        "-Gpad=0",
    ]
    try:
        done = subprocess.run(
            command, input=to_dot(graph).encode("utf-8"), capture_output=True, timeout=600, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportError(f"Graphviz could not render the graph: {exc}") from None
    if done.returncode != 0:
        raise ExportError(
            f"Graphviz could not render the graph: {done.stderr.decode(errors='replace').strip()}"
        )
    return _exact_png(done.stdout, width, height) if fmt == "png" else done.stdout


def _exact_png(data: bytes, width: int, height: int) -> bytes:
    """Graphviz keeps the drawing's proportions; pad it onto a white canvas of the size asked for."""
    from PIL import Image, ImageOps

    with Image.open(io.BytesIO(data)) as image:
        canvas = ImageOps.pad(image.convert("RGB"), (width, height), color="white")
    out = io.BytesIO()
    canvas.save(out, format="PNG")
    return out.getvalue()


def _render_matplotlib(graph: nx.Graph, fmt: str, width: int, height: int) -> bytes:
    """The pure-Python fallback: the same positions, colours and sizes, drawn by matplotlib."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    dpi = 100
    figure = plt.figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    axes = figure.add_axes((0, 0, 1, 1))
    axes.set_axis_off()
    positions = {n: (d["x"], -d["y"]) for n, d in graph.nodes(data=True)}
    nodes = list(graph.nodes)
    nx.draw_networkx_edges(nx.Graph(graph), positions, ax=axes, edge_color="#bbbbbb", width=0.5)
    nx.draw_networkx_nodes(
        graph,
        positions,
        nodelist=nodes,
        ax=axes,
        node_color=[graph.nodes[n]["color"] for n in nodes],
        node_size=[graph.nodes[n]["size"] ** 2 / 4 for n in nodes],
    )
    if len(graph) <= 300:
        labels = {n: _short_label(graph.nodes[n].get("label", n), 20) for n in nodes}
        nx.draw_networkx_labels(graph, positions, labels, ax=axes, font_size=6)
    out = io.BytesIO()
    figure.savefig(out, format=fmt, dpi=dpi)
    plt.close(figure)
    return out.getvalue()


def to_html(graph: nx.Graph, title: str = "govgraph") -> str:
    """One self-contained page (Cytoscape.js inlined, no network fetches) to explore the graph."""
    package = resources.files("govgraph")
    template = (package / "templates" / "graph.html").read_text(encoding="utf-8")
    library = (package / "vendor" / "cytoscape.min.js").read_text(encoding="utf-8")
    payload = _cytoscape(graph)
    payload["title"] = title
    data = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    substitutions = {"__TITLE__": html.escape(title), "__GRAPH_JSON__": data,
                     "/*__CYTOSCAPE__*/": library.replace("</script", "<\\/script")}
    pattern = "|".join(map(re.escape, substitutions))  # one pass: text from the data is never re-read
    return re.sub(pattern, lambda match: substitutions[match.group(0)], template)


# ---------------------------------------------------------------------------
# The one entry point
# ---------------------------------------------------------------------------


def export(
    store: EmbeddedStore,
    snapshot: Snapshot | None,
    fmt: str,
    drawing: Drawing = Drawing(),
    width: int = 1600,
    height: int = 1200,
) -> bytes:
    """The store, or a view of it, in one format, as bytes ready to write."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}", hint=f"one of {', '.join(FORMATS)}")
    if fmt in RDF_FORMATS:
        if drawing.focus or drawing.view != "entities":
            raise ExportError(f"--view and --focus shape drawings; {fmt} exports the whole graph")
        return store.dump(fmt)
    from .snapshot import read_evidence, read_snapshot

    snapshot = snapshot or read_snapshot(store)
    graph = view_graph(snapshot, drawing)
    if fmt in ("html", "cytoscape"):  # the formats that show each link's sentence
        _add_evidence(graph, read_evidence(store, list(graph) if drawing.focus else None))
    title = _title(snapshot, drawing)
    writers = {
        "graphml": lambda: to_graphml(graph),
        "gexf": lambda: to_gexf(graph),
        "dot": lambda: to_dot(graph).encode("utf-8"),
        "cytoscape": lambda: to_cytoscape(graph).encode(),
        "html": lambda: to_html(graph, title).encode("utf-8"),
        "svg": lambda: render(graph, "svg", width, height),
        "png": lambda: render(graph, "png", width, height),
    }
    return writers[fmt]()


def _title(snapshot: Snapshot, drawing: Drawing) -> str:
    if drawing.focus:
        centre = find_entity(snapshot, drawing.focus)
        return f"govgraph: {snapshot.label(centre)} and its neighbours (depth {drawing.depth})"
    return f"govgraph: {drawing.view} view of {len(snapshot)} speeches"
