"""The endpoint's front page: YASGUI pointed at the endpoint, with the named query library as examples.

Everything the page needs is served by the endpoint itself (`STATIC`): YASGUI (vendored from the
npm registry's `@zazuko/yasgui`, with its licence) and the page's own script. The page's
Content-Security-Policy lets it load scripts, styles and data from its own origin only, so the
editor cannot reach another host, whatever a query or a plugin asks for.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from .errors import QueryError
from .namespaces import PREFIXES
from .queries import NamedQuery, bind, library

# The prefixes a query may use without declaring them (the endpoint adds the declarations).
PROJECT_PREFIXES = ("gg", "id", "dcterms", "schema", "skos", "org", "foaf", "prov")
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
# URL path -> (folder in the package, file, media type)
STATIC = {
    "/static/yasgui.min.js": ("vendor", "yasgui.min.js", "text/javascript"),
    "/static/yasgui.min.css": ("vendor", "yasgui.min.css", "text/css"),
    "/static/yasgui.LICENSE": ("vendor", "yasgui.LICENSE", "text/plain"),
    "/static/front.js": ("templates", "front.js", "text/javascript"),
}
DEFAULT_QUERY_BODY = """SELECT ?speech ?title ?date WHERE {
  ?speech a gg:Speech ; dcterms:title ?title .
  OPTIONAL { ?speech dcterms:date ?date }
} ORDER BY ?date LIMIT 100"""


def prefix_lines() -> str:
    """PREFIX declarations for the project's prefixes, one a line."""
    return "\n".join(f"PREFIX {name}: <{PREFIXES[name]}>" for name in PROJECT_PREFIXES)


@cache
def static_file(path: str) -> tuple[bytes, str] | None:
    """The bytes and media type of a file the page loads, or None for a path that is not one."""
    if path not in STATIC:
        return None
    folder, name, media_type = STATIC[path]
    return (resources.files("govgraph") / folder / name).read_bytes(), media_type


def example(query: NamedQuery) -> dict[str, object]:
    """A library query as the page offers it: its title, purpose and parameters, and its text with
    the example's values bound (a VALUES block the reader edits), ready to run."""
    try:
        text = bind(query.text, query.bindings(query.example))
    except QueryError:  # a required parameter without an example value: shown unbound
        text = query.text
    params = [
        {"name": p.name, "type": p.type, "doc": p.doc, "value": query.example.get(p.name, p.default)}
        for p in query.params
    ]
    return {
        "name": query.name,
        "title": query.title,
        "purpose": query.purpose,
        "params": params,
        "query": text,
    }


def front_page(endpoint_path: str = "/sparql") -> str:
    """The HTML of `/`: YASGUI with the examples, and a plain form for browsers without scripts."""
    config = {
        "endpoint": endpoint_path,
        "defaultQuery": f"{prefix_lines()}\n\n{DEFAULT_QUERY_BODY}\n",
        "examples": [example(q) for q in library().values()],
    }
    # the JSON sits in a non-executed script element: "<" is escaped so no text can close it
    data = json.dumps(config).replace("<", "\\u003c")
    template = (resources.files("govgraph") / "templates" / "front.html").read_text(encoding="utf-8")
    return template.replace("{{config}}", data).replace("{{prefixes}}", ", ".join(PROJECT_PREFIXES))
