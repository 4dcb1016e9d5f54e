"""A readable document loads with what was found: its gaps are noted, counted and queried, never refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal

import govgraph
from govgraph.cli import cli
from govgraph.gaps import GAP_NOTES, extraction_gaps
from govgraph.graph import extraction_graph
from govgraph.namespaces import GG, ID
from govgraph.validate import validate_graph
from govgraph.vocab import ontology_graph

from .conftest import DATA

NOTES = "Notes from the morning\n\nThe meeting discussed budgets and the online service at some length.\n"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(DATA / "ifg-2014-bracken-strategy-is-delivery.txt", folder)
    (folder / "meeting-notes.txt").write_text(NOTES)
    return folder


def test_a_document_without_a_speaker_loads_with_its_gaps_said(docs: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(docs), "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "loaded 2 document(s)" in result.output and "0 failed" in result.output
    summary = "1 document(s) loaded with gaps (no speaker: 1, no event: 1, no date: 1, no host: 1)"
    assert summary in result.output
    assert "meeting-notes.txt: no speaker, no event, no date, no host" in result.output
    assert "1 warning(s)" in result.output and "no violations" in result.output
    speech = ID["speech/meeting-notes"]
    with govgraph.EmbeddedStore(tmp_path / "store", read_only=True) as store:
        notes = {row["note"] for row in store.select("SELECT ?s ?note WHERE { ?s skos:editorialNote ?note }",
                                                     {"s": speech})}
        gaps = govgraph.query("data-gaps", store=store).records()
    assert Literal(GAP_NOTES["speaker"], lang="en") in notes
    assert {"speech": str(speech), "gap": "speech has no speaker"}.items() <= next(
        row for row in gaps if row["gap"] == "speech has no speaker").items()
    assert not any(row["gap"] == "speech has no speaker" and row["speech"] != str(speech) for row in gaps)


def test_verbose_lists_every_document_with_gaps(docs: Path, tmp_path: Path):
    result = CliRunner().invoke(cli, ["build", str(docs), "--store", str(tmp_path / "store"), "--verbose"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    listed = [line.strip() for line in lines if line.startswith("  ") and ": no " in line]
    assert listed == [f"{docs / 'meeting-notes.txt'}: no speaker, no event, no date, no host"]


def test_validate_reports_warnings_and_exits_0_but_violations_exit_1(docs: Path, tmp_path: Path):
    store = tmp_path / "store"
    CliRunner().invoke(cli, ["build", str(docs), "--store", str(store), "--no-validate"])
    for engine in ("sparql", "pyshacl"):
        result = CliRunner().invoke(cli, ["validate", "--store", str(store), "--engine", engine])
        assert result.exit_code == 0, result.output
        assert "1 warning(s)" in result.output and "No speaker was found" in result.output


def test_both_engines_call_a_speech_without_speaker_a_warning_and_the_graph_non_conforming():
    graph = extraction_graph(govgraph.extract_file(DATA / "ifg-2014-bracken-strategy-is-delivery.txt"))
    graph.remove((None, GG.deliveredBy, None))
    graph += ontology_graph()
    for engine in ("sparql", "pyshacl"):
        report = validate_graph(graph, engine)
        assert not report.conforms and not report.violations, engine  # SHACL: any result, not conforming
        assert [w.severity for w in report.warnings] == ["Warning"], engine


def test_extract_warns_on_stderr_and_exits_0(docs: Path):
    result = CliRunner().invoke(cli, ["extract", str(docs / "meeting-notes.txt")])
    assert result.exit_code == 0
    assert result.stderr.startswith("warning: ") and "not found: speaker, event, date, host" in result.stderr
    assert result.stdout.startswith("meeting-notes.txt:")


def test_a_full_write_up_has_no_gaps():
    assert extraction_gaps(govgraph.extract_file(DATA / "ifg-2014-bracken-strategy-is-delivery.txt")) == ()


def test_bad_input_is_still_an_error(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1 and result.output.startswith("Error: ") and "empty" in result.output
