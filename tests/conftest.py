"""Shared fixtures: paths to the bundled data and the shared corpus, and a fresh store folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
SHARED = Path(os.environ.get("GOVGRAPH_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
SEEDS = SHARED / "seeds"
SCORE_TABLES: dict[str, str] = {}  # extraction scores per corpus, printed at the end of the run


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Precision, recall and F1 per field for every corpus the run scored."""
    for name, table in SCORE_TABLES.items():
        terminalreporter.write_sep("-", f"extraction scores: {name}")
        terminalreporter.write_line(table)


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The shared extraction corpus; its absence is a failure, not a skip."""
    if not (CORPUS / "docs").is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS} (set GOVGRAPH_SHARED)")
    return CORPUS


@pytest.fixture(scope="session")
def seed_file() -> Path:
    files = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []
    if not files:
        pytest.fail(f"the seed document is missing in {SEEDS} (set GOVGRAPH_SHARED)")
    return files[0]


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled data built once, with related speeches materialised, into a store tests only read."""
    from govgraph import EmbeddedStore, build, materialise_related

    path = tmp_path_factory.mktemp("demo") / "store"
    with EmbeddedStore(path) as store:
        build([DATA], store)
        materialise_related(store)
    return path
