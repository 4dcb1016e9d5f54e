"""HTML documentation of `ontology/`: the ontology by pyLODE, the rest from a template.

pyLODE (pinned to 3.3.x, whose `ontpub` profile renders `govgraph.ttl` well; 3.4.1 crashes at
`pylode -h`) documents the classes and properties with their alignments, each at an anchor named by
its local name. What its `vocpub` profile leaves out (the concepts of the SKOS schemes), and what
it does not cover (the organisations gazetteer, the SHACL shapes), is written here: one page each,
every item at an anchor. Everything is read from the bundled files; nothing is fetched.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SH, SKOS

from .errors import GovGraphError
from .pages import local_href, ontology_sections, ontology_terms, page, short_name
from .vocab import resource_dir

PAGES = {  # file name -> title, for the index and the links between the pages
    "ontology.html": "The govgraph ontology (classes and properties)",
    "vocabularies.html": "Themes, pressures and speech types (SKOS concept schemes)",
    "gazetteer.html": "The organisations gazetteer",
    "shapes.html": "SHACL shapes (what a valid graph holds)",
}


def _graph(name: str) -> Graph:
    return Graph().parse(resource_dir("ontology") / name, format="turtle")


def ontology_docs() -> str:
    """pyLODE's page for `ontology/govgraph.ttl` (needs pyLODE 3.3.x)."""
    try:
        from pylode import OntPub
    except ImportError:
        raise GovGraphError(
            "the ontology documentation needs pyLODE",
            hint="pip install 'govgraph[docs]' (pylode 3.3.x)",
        ) from None
    graph = _graph("govgraph.ttl")
    # a concept scheme in the file (the speech types) would be taken for the ontology, its label for
    # the page's title: the schemes and their concepts are documented on the vocabularies page
    for kind in (SKOS.ConceptScheme, SKOS.Concept):
        for subject in list(graph.subjects(RDF.type, kind)):
            graph.remove((subject, None, None))
    return OntPub(ontology=graph).make_html()


@cache
def served_ontology_docs() -> str | None:
    """pyLODE's page, made once per process for `serve`; None without pyLODE."""
    try:
        return ontology_docs()
    except GovGraphError:
        return None


def _text(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    """The value of a property, English first, as escaped text ("" when there is none)."""
    values = sorted(
        graph.objects(subject, predicate),
        key=lambda v: (getattr(v, "language", None) != "en", str(v)),
    )
    return html.escape(str(values[0])) if values else ""


def _all(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str]:
    return sorted(html.escape(str(v)) for v in graph.objects(subject, predicate))


def _anchor(iri: URIRef) -> str:
    return html.escape(str(iri).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1])


def _ref(iri: URIRef, graph: Graph, served: bool) -> str:
    """A link to a resource: its served page when served, else its anchor in these pages."""
    label = _text(graph, iri, SKOS.prefLabel) or _text(graph, iri, RDFS.label) or html.escape(str(iri))
    href = (local_href(str(iri)) if served else None) or f"#{_anchor(iri)}"
    return f'<a href="{html.escape(href)}">{label}</a>'


def vocabularies_page(served: bool = False) -> str:
    """Every concept of the SKOS schemes (themes, pressures, speech types): labels, definition,
    broader, narrower."""
    sections = []
    for name in ("themes.ttl", "pressures.ttl", "govgraph.ttl"):
        graph = _graph(name)
        for scheme in sorted(graph.subjects(RDF.type, SKOS.ConceptScheme)):
            concepts = sorted(
                graph.subjects(SKOS.inScheme, scheme),
                key=lambda c: _text(graph, c, SKOS.prefLabel),
            )
            entries = "".join(_concept(graph, concept, served) for concept in concepts)
            sections.append(
                f'<h2 id="{_anchor(scheme)}">{_text(graph, scheme, DCTERMS.title)} '
                f"<code>{html.escape(str(scheme))}"
                f"</code></h2><p>{_text(graph, scheme, DCTERMS.description)}</p>"
                f"<p>{len(concepts)} concepts.</p>{entries}"
            )
    return page(
        "SKOS concept schemes",
        f"<h1>Themes, pressures and speech types</h1>{_nav(served)}{''.join(sections)}",
        served,
    )


def _concept(graph: Graph, concept: URIRef, served: bool) -> str:
    rows = [("definition", _text(graph, concept, SKOS.definition))]
    rows.append(("also written", ", ".join(_all(graph, concept, SKOS.altLabel))))
    rows.append(("matched as", ", ".join(_all(graph, concept, SKOS.hiddenLabel))))
    for label, predicate in (
        ("broader", SKOS.broader),
        ("narrower", SKOS.narrower),
        ("related", SKOS.related),
    ):
        rows.append(
            (
                label,
                ", ".join(_ref(o, graph, served) for o in sorted(graph.objects(concept, predicate))),
            )
        )
    return _entry(graph, concept, served, rows)


def _entry(graph: Graph, subject: URIRef, served: bool, rows: Iterable[tuple[str, str]]) -> str:
    title = _text(graph, subject, SKOS.prefLabel) or _text(graph, subject, RDFS.label) or _anchor(subject)
    href = local_href(str(subject)) if served else None
    iri = (
        f'<a href="{html.escape(href)}">{html.escape(str(subject))}</a>'
        if href
        else html.escape(str(subject))
    )
    facts = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows if value)
    return (
        f'<section id="{_anchor(subject)}"><h3>{title}</h3><p><code>{iri}</code></p>'
        f"<dl>{facts}</dl></section>"
    )


def gazetteer_page(served: bool = False) -> str:
    """Every organisation of the gazetteer: names, kind, identifier, homepage."""
    graph = _graph("organisations.ttl")
    organisations = sorted(
        {
            s
            for s in graph.subjects(SKOS.prefLabel, None)
            if (s, RDF.type, SKOS.ConceptScheme) not in graph and (s, RDF.type, SKOS.Concept) not in graph
        },
        key=lambda s: _text(graph, s, SKOS.prefLabel),
    )
    entries = "".join(
        _entry(
            graph,
            s,
            served,
            [
                (
                    "kind",
                    ", ".join(
                        html.escape(str(t).rsplit("#", 1)[-1]) for t in sorted(graph.objects(s, RDF.type))
                    ),
                ),
                ("also written", ", ".join(_all(graph, s, SKOS.altLabel))),
                ("identifier", _text(graph, s, DCTERMS.identifier)),
                ("where", _text(graph, s, DCTERMS.spatial)),
                ("homepage", _text(graph, s, FOAF.homepage)),
            ],
        )
        for s in organisations
    )
    count = f"<p>{len(organisations)} organisations.</p>"
    body = f"<h1>The organisations gazetteer</h1>{_nav(served)}{count}{entries}"
    return page("Gazetteer", body, served)


def shapes_page(served: bool = False) -> str:
    """Every SHACL node shape: its target, description and each property constraint with its message."""
    graph = _graph("shapes.ttl")
    entries = []
    for shape in sorted(graph.subjects(RDF.type, SH.NodeShape)):
        properties = []
        for prop in graph.objects(shape, SH.property):
            constraints = ", ".join(
                f"{html.escape(str(p).rsplit('#', 1)[-1])} {_value(o)}"
                for p, o in sorted(graph.predicate_objects(prop))
                if p not in (SH.path, SH.name, SH.message, SH.description)
            )
            properties.append(
                f"<tr><td>{_text(graph, prop, SH.name)}</td>"
                f"<td><code>{_value(graph.value(prop, SH.path))}</code></td>"
                f"<td>{constraints}</td><td>{_text(graph, prop, SH.message)}</td></tr>"
            )
        targets = ", ".join(_value(o) for o in sorted(graph.objects(shape, SH.targetClass)))
        table = (
            "<table><tr><th>name</th><th>path</th><th>constraints</th><th>message</th></tr>"
            f"{''.join(sorted(properties))}</table>"
            if properties
            else ""
        )
        entries.append(
            f'<section id="{_anchor(shape)}"><h3>{_text(graph, shape, SH.name) or _anchor(shape)}</h3>'
            f"<p>{('targets ' + targets + '. ') if targets else ''}{_text(graph, shape, SH.description)}</p>"
            f"{table}"
            "</section>"
        )
    return page("SHACL shapes", f"<h1>SHACL shapes</h1>{_nav(served)}{''.join(entries)}", served)


def _value(term: object) -> str:
    """A term in a shape as a short name (gg:Speech, xsd:string) or its literal text."""
    if isinstance(term, URIRef):
        return html.escape(short_name(str(term)))
    if isinstance(term, Literal):
        return html.escape(str(term))
    return "[…]"  # a blank node: a list or a nested path


def _nav(served: bool) -> str:
    """Links to the documentation pages: under /ontology/ when served, side by side in a folder."""
    base = "/ontology/" if served else ""
    return (
        "<p>"
        + " · ".join(f'<a href="{base}{name}">{html.escape(title)}</a>' for name, title in PAGES.items())
        + "</p>"
    )


def docs_page(name: str, served: bool = False) -> str | None:
    """One documentation page by file name (`index.html`, `ontology.html`, ...); None for another name.

    Served, the ontology page is pyLODE's when it is installed, else the plain one of `pages`."""
    if name == "index.html":
        items = "".join(
            f'<li><a href="{"/ontology/" if served else ""}{n}">{html.escape(t)}</a></li>'
            for n, t in PAGES.items()
        )
        return page(
            "govgraph documentation",
            f"<h1>govgraph: the ontology and its vocabularies</h1><ul>{items}</ul>",
            served,
        )
    if name == "ontology.html":
        text = served_ontology_docs() if served else ontology_docs()
        if text is None:
            return None
        missing = {name for name in ontology_terms() if f'id="{name}"' not in text}
        if missing:  # terms pyLODE leaves out (some classes aligned to PROV, for one), from the template
            extra = f'<section id="more"><h2>Also in the ontology</h2>{ontology_sections(missing)}</section>'
            text = text.replace("</body>", f"{extra}</body>", 1)
        return text.replace("<body>", f"<body>{_nav(served)}", 1)
    builders = {
        "vocabularies.html": vocabularies_page,
        "gazetteer.html": gazetteer_page,
        "shapes.html": shapes_page,
    }
    return builders[name](served) if name in builders else None


def write_docs(folder: str | Path) -> list[Path]:
    """Write the documentation pages (and an index) into `folder`; returns the files written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in ("index.html", *PAGES):
        path = folder / name
        path.write_text(docs_page(name) or "", encoding="utf-8")
        written.append(path)
    return written
