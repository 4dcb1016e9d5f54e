"""Reading SPARQL text without running it: its tokens, and the checks a query passes before an engine.

The checks work on tokens, not on the raw text: a `SERVICE` inside a string, an IRI or a comment is
not a clause, and one written in lower case, after a comment or inside a subquery is. SPARQL
keywords are single tokens that only exist outside strings, IRIs and comments, and the engine
(pyoxigraph) does not unescape `\\u` sequences outside strings and IRIs (a test keeps that true), so
a query with no `SERVICE` keyword token cannot hold a SERVICE clause.

The size checks exist because the engine's parser and planner recurse: on the tested pyoxigraph a
query nested about 1,400 levels deep, or a chain of some 5,000 operators, 2,000 `UNION`s or `BIND`s,
overflows the stack and kills the process (exit 139, no message). Queries far beyond any real one
are refused with a line saying which limit they passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .errors import QueryError

MAX_DEPTH = 64  # brackets open at once; the named queries use at most 8
MAX_STRUCTURE = 1000  # operators, pattern separators and group keywords in one query

_LOCAL = r"""(?:[\w\-.:%\u00B7-\uFFFF]|\\[_~.\-!$&'()*+,;=/?\#@%])*"""  # a prefixed name's local part
TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                  |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
      | (?P<var>[?$][\w\u00B7-\uFFFF]+)
      | (?P<bnode>_:[\w\u00B7-\uFFFF.\-]*)
      | (?P<name>[A-Za-z\u00C0-\uFFFF][\w.\-\u00B7-\uFFFF]*)(?P<local>:LOCAL)?
      | (?P<pname>:LOCAL)
      | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
      | (?P<open>[({\[]) | (?P<close>[)}\]])
      | (?P<operator>&&|\|\||!=|<=|>=|\^\^|[=<>+\-*/!^|])
      | (?P<separator>[.;])
      | (?P<space>\s+)
      | (?P<other>.)""".replace("LOCAL", _LOCAL),
    re.VERBOSE | re.DOTALL,
)
_GROUP_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "BIND", "FILTER", "GRAPH", "SERVICE", "LATERAL"})


def tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, text, end offset) of every token but comments and white space, in order."""
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind == "local":  # a prefixed name: the prefix and its local part are one token
            yield "pname", match.group(), match.end()
        elif kind == "name":
            yield from _words(match.group(), match.start())
        elif kind not in ("comment", "space"):
            yield kind, match.group(), match.end()


def _words(run: str, start: int) -> Iterator[tuple[str, str, int]]:
    """A run of name characters with no colon after it: keywords split by `.` (read in one pass, so a
    long run costs its length, where a prefixed-name pattern tried at every dot would cost its square)."""
    offset = start
    for part in re.split(r"(\.)", run):
        offset += len(part)
        if part == ".":
            yield "separator", part, offset
        elif part:
            yield "word", part, offset


def check_query(text: str, allow_service: bool = False) -> None:
    """Refuse a query that would fetch from other endpoints, or is too deep or big for the engine."""
    depth = deepest = structure = 0
    for kind, token, _end in tokens(text):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind in ("operator", "separator"):
            structure += 1
        elif kind == "word":
            keyword = token.upper()
            if keyword == "SERVICE" and not allow_service:
                raise QueryError(
                    "SERVICE clauses are refused: govgraph does not send queries to other endpoints",
                    hint="run the query on the remote endpoint itself",
                )
            structure += keyword in _GROUP_KEYWORDS
        if deepest > MAX_DEPTH:
            raise QueryError(f"the query nests brackets more than {MAX_DEPTH} deep; refused")
    if structure > MAX_STRUCTURE:
        raise QueryError(
            f"the query has {structure:,} operators, pattern separators and group keywords; "
            f"at most {MAX_STRUCTURE:,} are accepted"
        )
