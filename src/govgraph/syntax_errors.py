"""The engine's syntax errors in words: where the query went wrong and what could have come there.

pyoxigraph reports a malformed query as `error at LINE:COLUMN: expected one of ...`, listing every
token and character class its grammar would have taken, which can run to a dozen lines of Unicode
ranges. `explain_syntax_error` keeps the position, names what was expected in a few words (a
variable, an IRI, `}`), says what was found there, and points at an undeclared prefix when that is
the cause.
"""

from __future__ import annotations

import re

from .sparql_syntax import tokens

_POSITION = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.DOTALL)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_KEYWORD = re.compile(r"\b([A-Za-z][A-Za-z_]*)\b")
MAX_WORDS = 6  # a longer list of things expected is cut, ending in "..."

# a token the grammar expected -> what to call it; several tokens may share a name
_TOKEN_WORDS = {
    "?": "a variable",
    "$": "a variable",
    "<": "an IRI",
    "<<": "a quoted triple",
    "<<(": "a quoted triple",
    '\\"': "a string",
    "'": "a string",
    '\\"\\"\\"': "a string",
    "'''": "a string",
    "_:": "a blank node",
    "[": "a blank node",
    "(": "`(`",
    "true": "true or false",
    "false": "true or false",
    ":": "a prefixed name",
}


def explain_syntax_error(message: str, query: str, line_offset: int = 0) -> str:
    """One line saying where `query` is malformed and what was expected there, in words.

    `message` is the engine's error; `line_offset` lines were added before the user's text (the
    project's PREFIX declarations), so positions are given in the text the user wrote. A message
    that does not look like the engine's is returned as its first line.
    """
    match = _POSITION.match(message.strip())
    if not match:
        return message.strip().split("\n", 1)[0]
    line, column, expected = int(match[1]), int(match[2]), match[3]
    source_lines = query.split("\n")
    at = source_lines[line - 1][column - 1 :] if 0 < line <= len(source_lines) else ""
    found = _found(at, source_lines[line:])
    place = f"line {max(line - line_offset, 1)}, column {column}"
    if "Prefix not found" in expected:
        prefix = _prefix_before(source_lines[line - 1][: column - 1] if line <= len(source_lines) else "")
        return f"malformed query at {place}: the prefix {prefix}: is not declared; add PREFIX {prefix}: <...>"
    if "IRI parsing failed" in expected:
        return f"malformed query at {place}: not a valid IRI"
    short = short_triple(query)
    if short is not None:
        short_line, short_column, count = short
        return (
            f"malformed query at line {max(short_line - line_offset, 1)}, column {short_column}: "
            f"a triple pattern needs a subject, a predicate and an object; found {count} of them"
        )
    return f"malformed query at {place}: expected {describe_expected(expected)}; found {found}"


_TERMS = ("var", "iri", "pname", "string", "number", "bnode")


def short_triple(query: str) -> tuple[int, int, int] | None:
    """(line, column, terms) of the first `.` or `}` that ends a triple pattern of one or two terms:
    the engine reports it as a keyword it missed further on, so it is looked for here."""
    count, plain = 0, True
    for kind, token, end in tokens(query):
        if kind in _TERMS or (kind == "word" and token == "a"):
            count += 1
        elif kind in ("separator", "close") and token in ".}":
            if plain and count in (1, 2):
                line = query.count("\n", 0, end - 1) + 1
                return line, end - 1 - (query.rfind("\n", 0, end - 1) + 1) + 1, count
            count, plain = 0, True
        elif kind == "open" and token == "{":
            count, plain = 0, True
        elif kind == "separator" and token == ";":  # the subject carries over
            count = 1
        elif kind == "other" and token == ",":  # the subject and predicate carry over
            count = 2
        else:
            plain = False
    return None


def describe_expected(expected: str) -> str:
    """The engine's list of expected tokens as a few words: `}`, a variable, an IRI, a keyword."""
    words: list[str] = []
    rest = _QUOTED.sub(lambda m: _add(words, _TOKEN_WORDS.get(m[1], f"`{_unescape(m[1])}`")) or " ", expected)
    if re.search(r"\['0'\s*\.\.=\s*'9'\]", rest):
        _add(words, "a number")
    rest = re.sub(r"\[[^\]]*\]", " ", rest)  # character classes: the start of a name, a digit, anything
    keywords = [k for k in _KEYWORD.findall(rest) if k not in ("one", "of", "expected")]
    if len(keywords) > 3:
        _add(words, f"a keyword or function such as {', '.join(keywords[:3])}")
    else:
        for keyword in keywords:
            _add(words, keyword)
    if not words:
        return "something else"
    shown = words[:MAX_WORDS]
    text = ", ".join(shown[:-1]) + (" or " if len(shown) > 1 else "") + shown[-1]
    return "one of " + text + ", ..." if len(words) > MAX_WORDS else text


def _add(words: list[str], word: str) -> None:
    if word not in words:
        words.append(word)


def _unescape(token: str) -> str:
    return token.replace('\\"', '"').replace("\\\\", "\\")


def _found(at: str, later_lines: list[str]) -> str:
    """What stands where the error is: its first token, quoted, or the end of the query."""
    text = at.strip() or next((line.strip() for line in later_lines if line.strip()), "")
    if not text:
        return "the end of the query"
    first = next(tokens(text), None)
    shown = first[1] if first is not None else text
    return repr(shown if len(shown) <= 30 else shown[:29] + "…")


def _prefix_before(text: str) -> str:
    """The prefix of the prefixed name the error position falls in or just after."""
    names = re.findall(r"([A-Za-z][\w.-]*)?:[\w.-]*$", text)
    return names[-1] if names else ""
