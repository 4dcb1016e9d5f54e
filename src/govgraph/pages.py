"""Linked Data pages: every resource under `https://w3id.org/govgraph/id/` as HTML or RDF.

`govgraph serve` answers `/id/...` with the resource of the same path, as the W3C note "Cool URIs
for the Semantic Web" describes: HTML for browsers (its label and kind, every fact about it in both
directions with the sentence and document behind it, links to the pages of the resources it is
linked to; for a speech its related speeches with their reasons, for a speaker the speeches over
time) and Turtle, N-Triples or JSON-LD by content negotiation. The ontology's terms are one document,
`/ontology`, each term an anchor in it (`/ontology#Speech`).

The functions take a pyoxigraph store and read it with a few SPARQL queries whose one parameter, the
resource, is bound by `queries.bind` (a VALUES block), never pasted into the text.
"""

from __future__ import annotations

import html
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from .errors import NotFoundError
from .namespaces import FOAF, GG, ID, PREFIXES
from .queries import bind
from .vocab import resource_dir

ONTOLOGY = str(GG._NS)
INSTANCES = str(ID)
PAGE_TYPES = (
    "text/html",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
)
RDF_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
ROW_LIMIT = 2000  # facts a page lists in each direction; the RDF holds them all
_PREFIXES = "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())
_LABEL = "skos:prefLabel|rdfs:label|foaf:name|dcterms:title"

OUTGOING = f"""{_PREFIXES}SELECT DISTINCT ?p ?o ?label ?sentence ?document WHERE {{
  ?entity ?p ?o .
  FILTER(?p NOT IN (gg:evidence, gg:relatedness))
  OPTIONAL {{ ?o {_LABEL} ?label }}
  OPTIONAL {{
    ?ev rdf:subject ?entity ; rdf:predicate ?p ; rdf:object ?o ; gg:sentence ?sentence .
    OPTIONAL {{ ?ev gg:sourceDocument ?document }}
  }}
}} LIMIT {ROW_LIMIT}"""
INCOMING = f"""{_PREFIXES}SELECT DISTINCT ?s ?p ?label ?sentence ?document WHERE {{
  ?s ?p ?entity .
  FILTER NOT EXISTS {{ ?s a gg:Evidence }}
  FILTER NOT EXISTS {{ ?s a gg:Relatedness }}
  OPTIONAL {{ ?s {_LABEL} ?label }}
  OPTIONAL {{
    ?ev rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?entity ; gg:sentence ?sentence .
    OPTIONAL {{ ?ev gg:sourceDocument ?document }}
  }}
}} LIMIT {ROW_LIMIT}"""
RELATED = f"""{_PREFIXES}SELECT ?related ?title ?rank ?score ?reason WHERE {{
  ?entity gg:relatedness ?link .
  ?link gg:relatedTo ?related ; gg:rank ?rank ; gg:score ?score .
  OPTIONAL {{ ?link gg:reason ?reason }}
  OPTIONAL {{ ?related dcterms:title ?title }}
}} ORDER BY ?rank"""
SPEECHES = f"""{_PREFIXES}SELECT DISTINCT ?speech ?title ?date WHERE {{
  ?speech a gg:Speech ; gg:deliveredBy ?entity .
  OPTIONAL {{ ?speech dcterms:title ?title }}
  OPTIONAL {{ ?speech dcterms:date ?date }}
}} ORDER BY ?date ?title"""
DESCRIPTION = f"""{_PREFIXES}CONSTRUCT {{ ?entity ?p ?o . ?s ?q ?entity . ?ev ?ep ?eo }} WHERE {{
  {{ ?entity ?p ?o }} UNION {{ ?s ?q ?entity }} UNION {{ ?ev rdf:subject ?entity ; ?ep ?eo }}
}}"""


@dataclass
class Fact:
    """One triple about the resource: the other end, and the sentences (with documents) behind it."""

    predicate: str
    other: Any  # a pyoxigraph term
    label: str | None = None
    evidence: set[tuple[str, str | None]] = field(default_factory=set)


def entity_iri(path: str) -> str:
    """The IRI a request path names: `/id/speech/x` -> `https://w3id.org/govgraph/id/speech/x`."""
    return INSTANCES + urllib.parse.unquote(path.removeprefix("/id/"))


def local_href(iri: str) -> str | None:
    """The path of a govgraph IRI's page on this server, or None for an IRI from elsewhere."""
    if iri.startswith(INSTANCES):
        return "/id/" + urllib.parse.quote(iri[len(INSTANCES) :], safe="/-_.~")
    if iri.startswith(ONTOLOGY):
        return "/ontology#" + urllib.parse.quote(iri[len(ONTOLOGY) :], safe="-_.~")
    return None


def _select(store: Any, union: bool, sparql: str, iri: str) -> list[Any]:
    text = bind(sparql, {"entity": URIRef(iri)})
    return list(store.query(text, use_default_graph_as_union=union))


def entity_rdf(store: Any, union: bool, iri: str, media_type: str) -> bytes:
    """The resource's description in an RDF format: its triples both ways and its evidence nodes'.

    Raises NotFoundError when the store holds no triple about it."""
    text = bind(DESCRIPTION, {"entity": URIRef(iri)})
    triples = list(store.query(text, use_default_graph_as_union=union))
    if not triples:
        raise NotFoundError(f"nothing is known about {iri}")
    # id: would need its slashes escaped in every name (id:speech\/x); full IRIs read better
    prefixes = {name: str(namespace) for name, namespace in PREFIXES.items() if name != "id"}
    rdf_format = RDF_FORMATS[media_type]
    if rdf_format == ox.RdfFormat.N_TRIPLES:
        return ox.serialize(triples, format=rdf_format)
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes)


def entity_html(store: Any, union: bool, iri: str) -> str:
    """The resource's page. Raises NotFoundError when the store holds no triple about it."""
    outgoing = _facts(_select(store, union, OUTGOING, iri), "o")
    incoming = _facts(_select(store, union, INCOMING, iri), "s")
    if not outgoing and not incoming:
        raise NotFoundError(f"nothing is known about {iri}")
    label = next(
        (_text(f.other) for f in outgoing if short_name(f.predicate) in _LABELS),
        short_name(iri),
    )
    kinds = [f.other.value for f in outgoing if f.predicate == PREFIXES["rdf"] + "type"]
    sections = [
        _facts_table("Facts", outgoing, "value"),
        _facts_table("Linked from", incoming, "subject"),
    ]
    if str(GG.Speech) in kinds:
        sections.insert(1, _related_section(_select(store, union, RELATED, iri)))
    if str(FOAF.Person) in kinds or any(f.predicate == str(GG.deliveredBy) for f in incoming):
        sections.insert(1, _speeches_section(_select(store, union, SPEECHES, iri)))
    kind = ", ".join(_link(k, short_name(k)) for k in kinds) or "resource"
    formats = " · ".join(f'<a href="?format={name}">{name}</a>' for name in ("ttl", "nt", "jsonld"))
    body = (
        f"<h1>{html.escape(label)}</h1>"
        f'<p class="kind">{kind} · <code>{html.escape(iri)}</code> · {formats}</p>' + "".join(sections)
    )
    return page(label, body)


_LABELS = ("skos:prefLabel", "rdfs:label", "foaf:name", "dcterms:title")


def _facts(rows: list[Any], other: str) -> list[Fact]:
    """Rows (one per fact and sentence) as facts, each with all its sentences, in a stable order."""
    facts: dict[tuple[str, str], Fact] = {}
    for row in rows:
        term = row[other]
        key = (row["p"].value, str(term))
        fact = facts.setdefault(key, Fact(row["p"].value, term))
        if row["label"] is not None and fact.label is None:
            fact.label = row["label"].value
        if row["sentence"] is not None:
            document = row["document"].value if row["document"] is not None else None
            fact.evidence.add((row["sentence"].value, document))
    return sorted(
        facts.values(),
        key=lambda f: (short_name(f.predicate), f.label or _text(f.other)),
    )


def _facts_table(title: str, facts: list[Fact], column: str) -> str:
    if not facts:
        return ""
    rows = []
    for fact in facts:
        evidence = "".join(
            f"<blockquote>{html.escape(sentence)}"
            + (f" <cite>{_link(document, short_name(document))}</cite>" if document else "")
            + "</blockquote>"
            for sentence, document in sorted(fact.evidence)
        )
        rows.append(
            f'<tr><td class="p">{_link(fact.predicate, short_name(fact.predicate))}</td>'
            f"<td>{_term(fact.other, fact.label)}{evidence}</td></tr>"
        )
    note = f"<p>the first {ROW_LIMIT:,} shown; the RDF has all</p>" if len(facts) >= ROW_LIMIT else ""
    return (
        f"<h2>{title}</h2><table><tr><th>property</th><th>{column} and evidence</th></tr>"
        f"{''.join(rows)}</table>{note}"
    )


def _related_section(rows: list[Any]) -> str:
    if not rows:
        return "<h2>Related speeches</h2><p>none stored; run <code>govgraph related --materialise</code></p>"
    related: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = related.setdefault(
            row["related"].value,
            {
                "title": _text(row["title"]) if row["title"] else None,
                "rank": row["rank"].value,
                "score": row["score"].value,
                "reasons": [],
            },
        )
        if row["reason"] is not None and row["reason"].value not in entry["reasons"]:
            entry["reasons"].append(row["reason"].value)
    items = "".join(
        f'<li>{_link(speech, entry["title"] or short_name(speech))} <span class="score">score '
        f"{float(entry['score']):.3f}</span><ul>"
        + "".join(f"<li>{html.escape(reason)}</li>" for reason in entry["reasons"])
        + "</ul></li>"
        for speech, entry in related.items()
    )
    return f'<h2>Related speeches</h2><ol class="related">{items}</ol>'


def _speeches_section(rows: list[Any]) -> str:
    if not rows:
        return ""
    years = Counter(row["date"].value[:4] for row in rows if row["date"] is not None)
    items = "".join(
        f"<li><time>{html.escape(row['date'].value) if row['date'] else 'undated'}</time> "
        f"{_link(row['speech'].value, _text(row['title'] or row['speech']))}</li>"
        for row in rows
    )
    return f'<h2>Speeches over time</h2>{year_bars(years)}<ul class="speeches">{items}</ul>'


def year_bars(counts: Counter[str]) -> str:
    """An inline SVG bar chart of counts by year (no script: the page's policy allows none)."""
    if not counts:
        return ""
    years = list(range(int(min(counts)), int(max(counts)) + 1))
    top = max(counts.values())
    width, height, bar = 40 * len(years), 120, 30
    bars = []
    for i, year in enumerate(years):
        n = counts.get(str(year), 0)
        h = 0 if top == 0 else round(80 * n / top)
        x = 40 * i + 5
        bars.append(
            f'<rect x="{x}" y="{95 - h}" width="{bar}" height="{h}"><title>{year}: {n}</title></rect>'
            f'<text x="{x + bar / 2}" y="112" text-anchor="middle">{year}</text>'
            + (f'<text x="{x + bar / 2}" y="{90 - h}" text-anchor="middle">{n}</text>' if n else "")
        )
    return (
        f'<svg class="years" role="img" aria-label="speeches by year" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{"".join(bars)}</svg>'
    )


def _text(term: Any) -> str:
    return getattr(term, "value", str(term))


def short_name(iri: str) -> str:
    """An IRI as a prefixed name when a project prefix covers it."""
    for name, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{name}:{iri[len(str(namespace)) :]}"
    return iri


def _link(iri: str, text: str) -> str:
    """A link to the IRI's page here when it has one, else to the IRI itself."""
    href = local_href(iri) or iri
    return f'<a href="{html.escape(href)}">{html.escape(text)}</a>'


def _term(term: Any, label: str | None) -> str:
    if isinstance(term, ox.NamedNode):
        return _link(term.value, label or short_name(term.value))
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        kind = (
            ""
            if datatype.endswith(("#string", "#langString"))
            else f' <span class="dt">{short_name(datatype)}</span>'
        )
        return f"{html.escape(term.value)}{kind}"
    return html.escape(str(term))


PAGE_STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:1.5em 2em;max-width:75em}
table{border-collapse:collapse;width:100%}td,th{border-top:1px solid #ddd;padding:.35em .6em;text-align:left;
vertical-align:top}td.p{white-space:nowrap;width:14em}blockquote{margin:.3em 0 .3em 1em;color:#333;
border-left:3px solid #9bd;padding-left:.6em;font-size:92%}cite{color:#666;font-style:normal}
.kind{color:#555}.dt,.score{color:#777;font-size:85%}svg.years rect{fill:#47a}svg.years text{font-size:11px}
nav a{margin-right:1em}"""


def page(title: str, body: str, served: bool = True) -> str:
    """A page: no script, styles inline; served, it links to the editor and the ontology."""
    nav = (
        '<nav><a href="/">SPARQL</a><a href="/charts">charts</a><a href="/ontology">ontology</a></nav>'
        if served
        else ""
    )
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} · govgraph'
        f'</title><link rel="icon" href="data:,"><style>{PAGE_STYLE}</style></head>'
        f"<body>{nav}{body}</body></html>"
    )


def charts_page(titles: dict[str, str]) -> str:
    """The served charts (`govgraph plot`'s) by name and title: each an SVG the endpoint draws."""
    figures = []
    for name, title in titles.items():
        name, title = html.escape(name), html.escape(title)
        figures.append(
            f'<figure id="{name}"><img src="/charts/{name}.svg" alt="{title}" width="1000" height="600">'
            f'<figcaption>{title} · <a href="/charts/{name}.png">PNG</a> · <code>govgraph plot {name}</code>'
            "</figcaption></figure>"
        )
    return page("charts", f"<h1>Charts</h1>{''.join(figures)}")


# ---------------------------------------------------------------------------
# The ontology document
# ---------------------------------------------------------------------------


@cache
def ontology_graph() -> Graph:
    """ontology/govgraph.ttl, parsed once."""
    return Graph().parse(resource_dir("ontology") / "govgraph.ttl", format="turtle")


def ontology_rdf(media_type: str) -> bytes:
    """The ontology in an RDF format."""
    names = {
        "text/turtle": "turtle",
        "application/n-triples": "nt",
        "application/ld+json": "json-ld",
    }
    return ontology_graph().serialize(format=names[media_type], encoding="utf-8")


def ontology_html() -> str:
    """The ontology as a page: each class and property with its label, comment, domain, range and
    alignments, at an anchor named by its local name (so `/ontology#Speech` finds the term)."""
    graph = ontology_graph()
    header = graph.value(URIRef(ONTOLOGY.rstrip("#")), URIRef("http://purl.org/dc/terms/title")) or "govgraph"
    return page(
        f"{header} ontology",
        f"<h1>{html.escape(str(header))}</h1>{ontology_sections()}",
    )


def ontology_sections(only: set[str] | None = None) -> str:
    """HTML sections for the ontology's classes and properties (those in `only`, by local name,
    when given), grouped by kind, each term at an anchor named by its local name."""
    from rdflib.namespace import OWL, RDF, RDFS

    graph = ontology_graph()
    sections = []
    for title, kinds in (
        ("Classes", (OWL.Class, RDFS.Class)),
        ("Object properties", (OWL.ObjectProperty,)),
        ("Datatype properties", (OWL.DatatypeProperty,)),
        ("Annotation properties", (OWL.AnnotationProperty,)),
    ):
        terms = sorted(
            {t for kind in kinds for t in graph.subjects(RDF.type, kind) if str(t).startswith(ONTOLOGY)}
        )
        entries = []
        for term in terms:
            name = html.escape(str(term)[len(ONTOLOGY) :])
            if only is not None and name not in only:
                continue
            facts = "".join(
                f"<dt>{short_name(str(p))}</dt><dd>{_rdflib_term(o)}</dd>"
                for p, o in sorted(graph.predicate_objects(term))
                if p not in (RDFS.label, RDFS.comment, RDF.type)
            )
            label = html.escape(str(graph.value(term, RDFS.label) or name))
            comment = html.escape(str(graph.value(term, RDFS.comment) or ""))
            entries.append(
                f'<section id="{name}"><h3>{label} <code>gg:{name}</code></h3><p>{comment}</p>'
                f"<dl>{facts}</dl></section>"
            )
        if entries:
            sections.append(f"<h2>{title}</h2>{''.join(entries)}")
    return "".join(sections)


def ontology_terms() -> set[str]:
    """The local names of the ontology's classes and properties."""
    from rdflib.namespace import OWL, RDF, RDFS

    graph = ontology_graph()
    kinds = (
        OWL.Class,
        RDFS.Class,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
    )
    return {
        str(t)[len(ONTOLOGY) :]
        for kind in kinds
        for t in graph.subjects(RDF.type, kind)
        if str(t).startswith(ONTOLOGY)
    }


def _rdflib_term(term: Any) -> str:
    if isinstance(term, URIRef):
        return _link(str(term), short_name(str(term)))
    return html.escape(str(term))
