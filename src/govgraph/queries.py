"""The named query library and parameter binding, the same for the embedded store and remote endpoints.

A named query is a `.rq` file in `queries/` whose header comments give its title, purpose,
parameters and an example. Parameters are bound as RDF terms in a SPARQL `VALUES` block placed
at the start of the query's WHERE group, so user text is always one escaped term, never SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Protocol

from rdflib import Literal, URIRef
from rdflib.term import Node

from .endpoint import RemoteEndpoint
from .errors import QueryError
from .namespaces import PREFIXES, XSD
from .results import QueryResult
from .store import EmbeddedStore
from .vocab import resource_dir

PARAM_TYPES = ("string", "iri", "integer", "decimal", "date", "boolean")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HEADER = re.compile(r"^#\s*(Title|Purpose|Param|Example):\s*(.*?)\s*$")
_PARAM = re.compile(
    rf"^\?(?P<name>\w+)\s+(?P<type>{'|'.join(PARAM_TYPES)})(?:\s*=\s*(?P<default>\S+))?\s*(?P<doc>.*)$"
)
_IRI = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|^`\\]*$')


@dataclass(frozen=True)
class Param:
    """One declared parameter: a SPARQL variable, its type, and an optional default."""

    name: str
    type: str
    doc: str = ""
    default: str | None = None

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class NamedQuery:
    """A query from the library, or an ad-hoc one (file or inline text) with no declared parameters."""

    name: str
    text: str
    title: str = ""
    purpose: str = ""
    params: tuple[Param, ...] = ()
    example: dict[str, str] = field(default_factory=dict)
    path: Path | None = None

    @property
    def declared(self) -> bool:
        """True for library queries, whose parameters are checked by name and type."""
        return self.path is not None and bool(self.title)

    def bindings(self, raw: Mapping[str, object]) -> dict[str, Node]:
        """User-supplied text values as RDF terms, checked against the declaration."""
        return bind_parameters(self, raw)


def queries_dir() -> Path:
    """The bundled `queries/` folder (beside the ontology, in a checkout or an install)."""
    return resource_dir("queries")


def parse_query_file(path: Path) -> NamedQuery:
    """Read a `.rq` file and its header comments."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read query file {path}: {exc}") from None
    return parse_query_text(text, name=path.stem, path=path)


def parse_query_text(text: str, name: str = "inline", path: Path | None = None) -> NamedQuery:
    """The header of a query: leading `# Title:`, `# Purpose:`, `# Param:` and `# Example:` lines."""
    title = purpose = ""
    params: list[Param] = []
    example: dict[str, str] = {}
    for line in text.splitlines():
        match = _HEADER.match(line.strip())
        if not match:
            continue
        key, value = match.groups()
        if key == "Title":
            title = value
        elif key == "Purpose":
            purpose = f"{purpose} {value}".strip()
        elif key == "Param":
            param = _PARAM.match(value)
            if not param:
                raise QueryError(
                    f"query {name}: cannot read parameter line `{value}`",
                    hint=f"write `# Param: ?name TYPE[ = DEFAULT]  description`, "
                    f"TYPE one of {', '.join(PARAM_TYPES)}",
                )
            params.append(Param(param["name"], param["type"], param["doc"].strip(), param["default"]))
        else:
            example.update(parse_assignments(value.split()))
    return NamedQuery(name, text, title, purpose, tuple(params), example, path)


@cache
def library(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Every named query in the library, by name."""
    folder = folder or queries_dir()
    return {q.name: q for q in map(parse_query_file, sorted(folder.glob("*.rq")))}


def resolve_query(target: str, folder: Path | None = None) -> NamedQuery:
    """A library name, a path to a `.rq` file, or the text of a query itself."""
    queries = library(folder)
    if target in queries:
        return queries[target]
    if target.endswith(".rq") or ("\n" not in target and _is_file(target)):
        path = Path(target)
        if not path.is_file():
            raise QueryError(f"no query file {target}")
        return parse_query_file(path)
    if _looks_like_sparql(target):
        return parse_query_text(target)
    close = [n for n in queries if target.lower() in n]
    hint = f"did you mean {', '.join(close[:5])}?" if close else "see `govgraph query --list`"
    raise QueryError(f"unknown query {target!r}", hint=hint)


def _is_file(text: str) -> bool:
    """True for an existing file; text too long or odd to be a path is a query, not an error."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def _looks_like_sparql(text: str) -> bool:
    return bool(re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE|PREFIX|BASE)\b", text, re.IGNORECASE))


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`name=value` strings (from `--param` or an `# Example:` line) as a dict."""
    values: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip().lstrip("?")
        if not sep or not _NAME.match(name):
            raise QueryError(f"cannot read parameter {item!r}", hint="write it as name=value")
        values[name] = value
    return values


def bind_parameters(query: NamedQuery, raw: Mapping[str, object]) -> dict[str, Node]:
    """Check names against the declaration, fill defaults, and turn each value into a typed term.

    Values are text (from the command line) or, from Python, rdflib terms and plain values.
    """
    if not query.declared:
        return {name: _untyped_term(name, value) for name, value in raw.items()}
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        takes = ", ".join(declared) or "no parameters"
        raise QueryError(
            f"query {query.name} has no parameter {', '.join(unknown)}", hint=f"it takes {takes}"
        )
    terms: dict[str, Node] = {}
    for param in query.params:
        value = raw.get(param.name, param.default)
        if value is None:
            raise QueryError(
                f"query {query.name} needs --param {param.name}=...", hint=param.doc or f"a {param.type}"
            )
        terms[param.name] = (
            value if isinstance(value, (URIRef, Literal)) else to_term(param, _unquote(str(value)))
        )
    return terms


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


def _untyped_term(name: str, value: object) -> Node:
    """For ad-hoc queries: `<...>` is an IRI, anything else a literal."""
    if isinstance(value, (URIRef, Literal)):
        return value
    if not isinstance(value, str):
        return Literal(value)
    if value.startswith("<") and value.endswith(">"):
        return to_term(Param(name, "iri"), value[1:-1])
    return Literal(value)


def to_term(param: Param, value: str) -> Node:
    """One parameter value as an RDF term of its declared type, or a clear error."""
    try:
        if param.type == "iri":
            return _iri(value)
        if param.type == "integer":
            return Literal(int(value), datatype=XSD.integer)
        if param.type == "decimal":
            return Literal(Decimal(value), datatype=XSD.decimal)
        if param.type == "date":
            return Literal(date.fromisoformat(value), datatype=XSD.date)
        if param.type == "boolean":
            if value.lower() not in ("true", "false"):
                raise ValueError(value)
            return Literal(value.lower() == "true", datatype=XSD.boolean)
    except (ValueError, InvalidOperation):
        raise QueryError(f"parameter {param.name} must be a {param.type}, not {value!r}") from None
    return Literal(value)


def _iri(value: str) -> URIRef:
    """An absolute IRI, or a prefixed name such as `id:person/mike-bracken`, checked before use."""
    value = value.strip()
    if value.startswith("<") and value.endswith(">"):
        value = value[1:-1]
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        value = str(PREFIXES[prefix]) + local
    if not _IRI.match(value):
        raise ValueError(value)
    return URIRef(value)


# ---------------------------------------------------------------------------
# Binding: a VALUES block at the start of the WHERE group
# ---------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<open>\{) | (?P<close>\}) | (?P<word>[A-Za-z]+) | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            yield kind, match.group(), match.end()


def where_group_start(text: str) -> int:
    """Offset just after the `{` that opens the query's WHERE group (a CONSTRUCT template is skipped)."""
    form = None
    depth = 0
    saw_where = template_done = False
    for kind, value, end in _tokens(text):
        if kind == "word" and depth == 0:
            upper = value.upper()
            if form is None and upper in _FORMS:
                form = upper
            elif upper == "WHERE":
                saw_where = True
        elif kind == "open":
            if depth == 0 and form is not None:
                if form == "CONSTRUCT" and saw_where and not template_done:
                    raise QueryError(
                        "the CONSTRUCT WHERE { ... } short form cannot take parameters",
                        hint="write CONSTRUCT { template } WHERE { pattern }",
                    )
                if form != "CONSTRUCT" or template_done:
                    return end
                template_done = True
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def bind(text: str, bindings: Mapping[str, Node]) -> str:
    """The query with its parameters bound by a VALUES block of escaped RDF terms.

    The block opens the WHERE group and every group inside it that uses a parameter: a nested
    group or subquery is evaluated on its own, so a FILTER there would otherwise see the parameter
    unbound. This gives a remote endpoint the answers the embedded store gives by substitution.
    """
    if not bindings:
        return text
    for name in bindings:
        if not _NAME.match(name):
            raise QueryError(f"invalid parameter name {name!r}")
    names = " ".join(f"?{n}" for n in bindings)
    terms = " ".join(_n3(term) for term in bindings.values())
    block = f" VALUES ({names}) {{ ({terms}) }}"
    for at in sorted(_binding_points(text, set(bindings)), reverse=True):
        text = f"{text[:at]}{block}{text[at:]}"
    return text


def _binding_points(text: str, names: set[str]) -> set[int]:
    """Offsets just inside the WHERE group and the groups within it that mention one of `names`."""
    where = where_group_start(text)
    masked = _masked(text)
    mention = re.compile(r"[?$](?:" + "|".join(map(re.escape, sorted(names))) + r")\b")
    points, opened = {where}, []
    data_block_next = False
    for match in re.finditer(r"[{}]|(?<![?$:\w])VALUES\b", masked[where:], re.IGNORECASE):
        at = where + match.end()
        token = match.group()
        if token.upper() == "VALUES":
            data_block_next = True
        elif token == "{":
            subquery = re.match(r"\s*SELECT\b", masked[at:], re.IGNORECASE) is not None
            opened.append((at, not (data_block_next or subquery)))
            data_block_next = False
        elif opened:
            start, is_group = opened.pop()
            if is_group and mention.search(masked, start, at):
                points.add(start)
    return points


def _masked(text: str) -> str:
    """The query with comments, strings and IRIs blanked out (same length), so braces and
    variables found in it are the query's own."""
    return _TOKEN.sub(
        lambda m: " " * len(m.group()) if m.lastgroup in ("comment", "string", "iri") else m.group(), text
    )


def _n3(term: Node) -> str:
    """N-Triples syntax for a term; rdflib escapes quotes, backslashes and line breaks."""
    if isinstance(term, URIRef) and not _IRI.match(str(term)):
        raise QueryError(f"not a valid IRI: {term!r}")
    if not isinstance(term, (URIRef, Literal)):
        raise QueryError(f"cannot bind {term!r}: only IRIs and literals can be parameters")
    return term.n3()


def with_prefixes(text: str) -> str:
    """Declare the govgraph prefixes a query uses but does not declare, so it runs on any endpoint."""
    declared = {m.lower() for m in re.findall(r"PREFIX\s+([\w-]*):", text, re.IGNORECASE)}
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIXES.items()
        if prefix not in declared and re.search(rf"(?<![\w?$]){prefix}:", text)
    ]
    return "\n".join([*lines, text]) if lines else text


class SparqlSource(Protocol):
    """Anything that answers a complete SPARQL query: the embedded store or a remote endpoint."""

    def execute(self, sparql: str) -> QueryResult: ...


def run_query(
    source: SparqlSource, target: str | NamedQuery, params: Mapping[str, object] | None = None
) -> QueryResult:
    """Run a named query, a `.rq` file or query text, with its parameters bound as RDF terms."""
    query = target if isinstance(target, NamedQuery) else resolve_query(target)
    text = bind(query.text, query.bindings(params or {}))
    return source.execute(with_prefixes(text))


def query(
    target: str | NamedQuery,
    params: Mapping[str, object] | None = None,
    *,
    store: EmbeddedStore | str | Path | None = None,
    endpoint: RemoteEndpoint | str | None = None,
) -> QueryResult:
    """Run a query on the embedded store (default: `$GOVGRAPH_STORE` or `.govgraph/store`) or an endpoint.

    >>> govgraph.query("speeches-by-speaker", {"name": "Bracken"}).records()
    """
    if store is not None and endpoint is not None:
        raise QueryError("give a store or an endpoint, not both")
    if endpoint is not None:
        remote = endpoint if isinstance(endpoint, RemoteEndpoint) else RemoteEndpoint(endpoint)
        return run_query(remote, target, params)
    if isinstance(store, EmbeddedStore):
        return run_query(store, target, params)
    with EmbeddedStore(store, read_only=True) as opened:
        return run_query(opened, target, params)
