"""Score extraction against hand-written expectations: precision, recall and F1 per field.

Expected files use the JSON shape of `govgraph extract --format json`. Names are compared after
normalising case and articles; departments also match through the gazetteer (an abbreviation
and the full name are one organisation); themes are compared by meaning, through the themes
vocabulary: an expected label matches the concepts whose labels it contains.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import GovGraphError
from .extract import Lexicon, stem_tokens

LIST_FIELDS = ("speakers", "pressures", "departments", "themes", "related_speeches")
EVENT_FIELDS = ("title", "date", "host", "format")


@dataclass
class FieldScore:
    """Counts of true positives, false positives and false negatives for one field."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: FieldScore) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass
class Scores:
    """Per-field scores, summed over documents."""

    fields: dict[str, FieldScore] = field(default_factory=dict)

    def field(self, name: str) -> FieldScore:
        return self.fields.setdefault(name, FieldScore())

    def add(self, other: Scores) -> None:
        for name, score in other.fields.items():
            self.field(name).add(score)

    def table(self) -> str:
        """A plain-text table: field, P, R, F1, counts."""
        lines = [f"{'field':<24}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'fp':>5}{'fn':>5}"]
        for name, s in self.fields.items():
            lines.append(f"{name:<24}{s.precision:7.2f}{s.recall:7.2f}{s.f1:7.2f}"
                         f"{s.tp:5d}{s.fp:5d}{s.fn:5d}")
        return "\n".join(lines)


def norm(text: str | None) -> str:
    """Case-, article- and punctuation-insensitive form of a name."""
    if text is None:
        return ""
    text = re.sub(r"[^\w&]+", " ", text.lower().replace("’", "'")).strip()
    return re.sub(r"^(?:the|a|an) ", "", text)


def _set_score(predicted: Iterable[str], expected: Iterable[str]) -> FieldScore:
    p, e = set(predicted), set(expected)
    return FieldScore(len(p & e), len(p - e), len(e - p))


def _org_key(name: str, lexicon: Lexicon) -> str:
    entry = lexicon.organisation_by_name.get(name.lower().replace("’", "'").removeprefix("the "))
    return entry.key if entry else norm(name)


def _theme_keys(label: str, lexicon: Lexicon) -> set[str]:
    """Concepts an expected theme label means: exact labels first, else contained phrases."""
    wanted = " ".join(stem_tokens(label))
    exact = {k for k, (pref, phrases) in lexicon.themes.items()
             if any(" ".join(stem_tokens(x)) == wanted for x in (pref, *phrases))}
    return exact or lexicon.theme_matcher.find(label)


def _themes_score(predicted: list[str], expected: list[str], lexicon: Lexicon) -> FieldScore:
    """A predicted concept matches an expected label meaning it, or a broader, narrower or
    skos:related one."""
    label_to_key = {pref: key for key, (pref, _) in lexicon.themes.items()}
    predicted_keys = {label_to_key.get(p, p) for p in predicted}
    expected_keys = [_theme_keys(e, lexicon) for e in expected]

    def related(a: str, b: str) -> bool:
        return (a == b or a in lexicon.broader.get(b, ()) or b in lexicon.broader.get(a, ())
                or a in lexicon.related.get(b, ()) or b in lexicon.related.get(a, ()))

    tp = sum(1 for keys in expected_keys
             if any(related(k, p) for k in keys for p in predicted_keys))
    fp = sum(1 for p in predicted_keys
             if not any(related(k, p) for keys in expected_keys for k in keys))
    return FieldScore(tp=tp, fp=fp, fn=len(expected) - tp)


def _similar(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return not a and not b
    wa, wb = set(norm(a).split()), set(norm(b).split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) >= 0.6


def score_document(predicted: Mapping[str, object], expected: Mapping[str, object],
                   lexicon: Lexicon) -> Scores:
    """Scores for one document's extraction against its expectation."""
    scores = Scores()
    p_speakers = {norm(s["name"]): s for s in predicted["speakers"]}  # type: ignore[index,union-attr]
    e_speakers = {norm(s["name"]): s for s in expected["speakers"]}  # type: ignore[index,union-attr]
    scores.fields["speakers"] = _set_score(p_speakers, e_speakers)
    for part in ("role", "organisation"):
        s = scores.field(f"speaker {part}")
        for name, exp in e_speakers.items():
            got = p_speakers.get(name)
            if got is None:
                continue
            ok = norm(got[part]) == norm(exp[part])
            s.tp += ok
            s.fp += not ok and got[part] is not None
            s.fn += not ok
    scores.fields["pressures"] = _set_score(predicted["pressures"], expected["pressures"])  # type: ignore[arg-type]
    scores.fields["departments"] = _set_score(
        (_org_key(d, lexicon) for d in predicted["departments"]),  # type: ignore[attr-defined]
        (_org_key(d, lexicon) for d in expected["departments"]),  # type: ignore[attr-defined]
    )
    scores.fields["themes"] = _themes_score(list(predicted["themes"]),  # type: ignore[call-overload]
                                            list(expected["themes"]), lexicon)  # type: ignore[call-overload]
    p_refs = list(predicted["related_speeches"])  # type: ignore[call-overload]
    e_refs = list(expected["related_speeches"])  # type: ignore[call-overload]
    hits = sum(1 for e in e_refs if any(
        norm(p["speaker"]) == norm(e["speaker"]) and _similar(p["title"], e["title"]) for p in p_refs))
    scores.fields["related_speeches"] = FieldScore(hits, len(p_refs) - hits, len(e_refs) - hits)
    for part in EVENT_FIELDS:
        got = predicted["event"][part]  # type: ignore[index]
        exp = expected["event"][part]  # type: ignore[index]
        ok = norm(got) == norm(exp)
        scores.fields[f"event {part}"] = FieldScore(int(ok), int(not ok and got is not None),
                                                    int(not ok and exp is not None))
    return scores


def load_expected(path: Path) -> dict[str, object]:
    """One expectation file, checked for the keys scoring needs."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise GovGraphError(f"{path}: cannot read the expectation ({exc})") from None
    missing = [k for k in (*LIST_FIELDS, "event") if k not in data]
    if missing:
        raise GovGraphError(f"{path}: missing keys {', '.join(missing)}")
    return data


@dataclass(frozen=True)
class DocumentScore:
    name: str
    scores: Scores


def evaluate_corpus(docs_dir: str | Path, expected_dir: str | Path,
                    lexicon: Lexicon | None = None) -> tuple[Scores, list[DocumentScore]]:
    """Extract every document that has an expectation beside it and score the lot."""
    from .documents import iter_document_paths, read_document
    from .extract import extract
    from .vocab import default_lexicon

    lexicon = lexicon or default_lexicon()
    total, per_document = Scores(), []
    for path in iter_document_paths([docs_dir]):
        expected_path = Path(expected_dir) / f"{path.stem}.json"
        if not expected_path.exists():
            continue
        predicted = extract(read_document(path), lexicon).to_json()
        scores = score_document(predicted, load_expected(expected_path), lexicon)
        per_document.append(DocumentScore(path.name, scores))
        total.add(scores)
    if not per_document:
        raise GovGraphError(f"no document in {docs_dir} has an expectation in {expected_dir}",
                            hint="expectations are named like the document, with .json")
    return total, per_document
