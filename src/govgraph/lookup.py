"""Finding a speech or an entity from what a person types: an IRI, a title or label, or a unique part of one.

Names are matched in Python against the labels already read, never pasted into SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterable

from .errors import NotFoundError
from .snapshot import Snapshot

MAX_LISTED = 8


def find_speech(snapshot: Snapshot, name: str) -> str:
    """The IRI of the one speech that `name` designates, or an error listing the candidates."""
    candidates = [(iri, title) for iri, title in zip(snapshot.speeches, snapshot.titles, strict=True)]
    return _find(name, candidates, ("speech", "speeches"), "list them with `govgraph query speech-timeline`")


def find_entity(snapshot: Snapshot, name: str) -> str:
    """The IRI of the one speech, speaker, theme, pressure, department, event or organisation named."""
    candidates = [(iri, snapshot.label(iri)) for iri in sorted(snapshot.kinds)]
    try:
        return _find(name, candidates, ("entity", "entities"), "give an IRI, or more of the name")
    except AmbiguousName as exc:
        speeches = [iri for iri in exc.matches if snapshot.kinds.get(iri) == "speech"]
        if len(speeches) == 1 and len({snapshot.label(iri) for iri in exc.matches}) == 1:
            return speeches[0]  # a speech and its event often share a title: the speech is meant
        raise


class AmbiguousName(NotFoundError):
    """A name that fits several things; `matches` lists them."""

    def __init__(self, message: str, matches: list[str], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.matches = matches


def _find(name: str, candidates: Iterable[tuple[str, str]], what: tuple[str, str], hint: str) -> str:
    """Exact IRI, then exact label, then a unique substring of a label or of an IRI's last segment."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        raise NotFoundError(f"no {what[0]} name given")
    pool = list(candidates)
    for iri, _ in pool:
        if iri == name.strip():
            return iri
    exact = sorted({iri for iri, label in pool if label.casefold() == wanted})
    if len(exact) == 1:
        return exact[0]
    partial = exact or sorted(
        {
            iri
            for iri, label in pool
            if wanted in label.casefold() or wanted in iri.rsplit("/", 1)[-1].casefold()
        }
    )
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFoundError(f"no {what[0]} matches {name!r}", hint=hint)
    labels = dict(pool)
    listed = "; ".join(f"{labels[iri]} <{iri}>" for iri in partial[:MAX_LISTED])
    more = f" and {len(partial) - MAX_LISTED} more" if len(partial) > MAX_LISTED else ""
    raise AmbiguousName(
        f"{name!r} matches {len(partial)} {what[1]}: {listed}{more}",
        partial,
        hint="give more of the name, or the IRI",
    )
