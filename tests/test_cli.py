"""The CLI is a thin layer: help everywhere, one-line errors, exit codes scripts can rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from govgraph.cli import cli

from .conftest import DATA

BRACKEN = DATA / "ifg-2014-bracken-strategy-is-delivery.txt"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(run, command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert re.search(r"Examples?:", result.output)


def test_extract_json(run):
    result = run("extract", BRACKEN, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["speakers"][0]["name"] == "Mike Bracken"
    assert "financial" in data["pressures"]


def test_build_stats_validate(run, tmp_path: Path):
    store = tmp_path / "store"
    result = run("build", DATA, "--store", store)
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    stats = json.loads(run("stats", "--store", store, "--format", "json").output)
    assert stats["documents"] >= 12
    assert run("validate", "--store", store).exit_code == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x00\xff binary", "binary"), ("caf\u00e9 society".encode("latin-1"), "UTF-8")],
)
def test_bad_input_is_one_line_and_exit_1(run, tmp_path: Path, content: bytes, message: str):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    for args in (("extract", bad), ("build", bad, "--store", tmp_path / "s")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.output.startswith("Error: ") and message in result.output
        assert "Traceback" not in result.output
        assert result.output.count("\n") == 1


def test_missing_store_and_validate_exit_codes(run, tmp_path: Path):
    result = run("stats", "--store", tmp_path / "none")
    assert result.exit_code == 1 and "Error: no store" in result.output
    assert run("validate", "--store", tmp_path / "none").exit_code == 2


def test_store_from_environment(tmp_path: Path):
    runner = CliRunner(env={"GOVGRAPH_STORE": str(tmp_path / "env-store")})
    result = runner.invoke(cli, ["build", str(BRACKEN)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env-store" / "govgraph-store.json").exists()


def test_build_says_which_govuk_items_repeated_a_speech(run, tmp_path: Path):
    from .conftest import SHARED

    item = (SHARED / "govuk-content" / "examples" / "speech.json").read_bytes()
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.json").write_bytes(item)
    (docs / "b.json").write_bytes(item)
    result = run("build", str(docs), "--store", str(tmp_path / "store"))
    assert result.exit_code == 0, result.output
    assert "1 item(s) repeated a speech already in this build and were kept once: b.json" in result.output
