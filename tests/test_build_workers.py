"""The build's workers: a document over its time limit fails alone, and no worker outlives a killed build."""

from __future__ import annotations

import importlib
import inspect
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import govgraph
from govgraph.build import DOCUMENT_SECONDS, PARALLEL_FROM, Failure
from govgraph.documents import parse_document

builder = importlib.import_module("govgraph.build")  # the module: govgraph.build is the function
GOOD = "Jane Doe, Head of Digital at the Cabinet Office, spoke about digital transformation.\n"
STALLED = "slow.txt"


def _documents(folder: Path, count: int) -> Path:
    """`count` good write-ups with names of their own, and STALLED, as good but slow to extract."""
    folder.mkdir()
    for i in range(count):
        (folder / f"talk-{i:03}.txt").write_text(GOOD)
    (folder / STALLED).write_text(GOOD)
    return folder


@pytest.fixture
def stall(monkeypatch: pytest.MonkeyPatch) -> Callable[[float], None]:
    """Make extraction stall for some seconds on STALLED; forked workers inherit the patch."""
    real = builder.extract_document
    real(parse_document(GOOD.encode(), "warm.txt", "text/plain"))  # vocabularies loaded before any clock

    def patch(seconds: float) -> None:
        def stalling(document, lexicon=None):
            if document.name == STALLED:
                time.sleep(seconds)
            return real(document, lexicon)

        monkeypatch.setattr(builder, "extract_document", stalling)

    return patch


def test_the_limit_is_a_minute_unless_the_caller_says_otherwise():
    assert inspect.signature(govgraph.build).parameters["document_seconds"].default == DOCUMENT_SECONDS == 60


@pytest.mark.parametrize("count", [3, PARALLEL_FROM], ids=["serial", "parallel"])
def test_a_document_over_its_time_limit_fails_alone_in_one_line(tmp_path, stall, count):
    stall(30)
    folder = _documents(tmp_path / "docs", count)
    alarm = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with govgraph.EmbeddedStore(tmp_path / "store") as store:
        report = govgraph.build([folder], store, keep_going=True, workers=2, document_seconds=1)
    assert time.monotonic() - started < 20, "the stalled document was not cut short"
    slow = str(folder / STALLED)
    assert report.failures == [Failure(slow, f"{slow}: reading and extraction took longer than 1 s")]
    assert len(report.loaded) == count
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is alarm


def test_without_keep_going_a_slow_document_stops_the_build(tmp_path, stall):
    stall(30)
    folder = _documents(tmp_path / "docs", 3)
    with govgraph.EmbeddedStore(tmp_path / "store") as store:
        with pytest.raises(govgraph.BuildError) as raised:
            govgraph.build([folder], store, document_seconds=1)
        assert store.is_empty()
    assert str(raised.value).startswith(
        f"{folder / STALLED}: reading and extraction took longer than 1 s; nothing was loaded")


def test_a_build_outside_the_main_thread_runs_without_a_limit(tmp_path, stall):
    stall(0.5)  # SIGALRM is for the main thread only: elsewhere the limit is dropped, not an error
    folder = _documents(tmp_path / "docs", 3)
    reports: list[govgraph.BuildReport] = []

    def run() -> None:
        with govgraph.EmbeddedStore(tmp_path / "store") as store:
            reports.append(govgraph.build([folder], store, workers=1, document_seconds=0.1))

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    assert [len(r.loaded) for r in reports] == [4]


def _stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, parent, ...), or None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(parent: int) -> dict[int, str]:
    """Running children of a process, each with its start time (so a reused pid is not mistaken)."""
    stats = {int(e.name): _stat(int(e.name)) for e in Path("/proc").iterdir() if e.name.isdigit()}
    return {pid: fields[19] for pid, fields in stats.items()
            if fields and int(fields[1]) == parent and fields[0] != "Z"}


def _running(pid: int, started: str) -> bool:
    """True while that very process runs (a zombie has exited; it only waits to be reaped)."""
    fields = _stat(pid)
    return fields is not None and fields[19] == started and fields[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_workers_exit_when_the_build_is_killed(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    speech = GOOD + "She said the Government Digital Service would put users first in every service.\n"
    for i in range(80):  # about 30 KB each: the workers are still reading when the build dies
        (folder / f"talk-{i:03}.txt").write_text(speech * 180)
    command = [sys.executable, "-m", "govgraph", "build", str(folder), "--store", str(tmp_path / "store"),
               "--workers", "2", "--no-validate"]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and build.poll() is None and time.monotonic() < deadline:
            workers |= _children(build.pid)
            time.sleep(0.01)
        assert len(workers) == 2, "the build did not start its two workers"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
        deadline = time.monotonic() + 5
        while any(_running(*worker) for worker in workers.items()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid, started in workers.items() if _running(pid, started)], "workers outlived it"
    finally:
        for pid, started in workers.items():
            if _running(pid, started):
                os.kill(pid, signal.SIGKILL)
        if build.poll() is None:
            build.kill()
            build.wait()


def test_the_cli_takes_the_limit_from_document_timeout(tmp_path, stall):
    from click.testing import CliRunner

    from govgraph.cli import cli

    stall(30)
    folder = _documents(tmp_path / "docs", 3)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["build", str(folder), "--store", str(tmp_path / "store"),
                                      "--document-timeout", "1", "--keep-going", "--no-validate"])
    assert time.monotonic() - started < 20
    assert result.exit_code == 1  # loaded the rest, and says one failed
    assert "slow.txt: reading and extraction took longer than 1 s" in result.output
    assert "loaded 3 document(s)" in result.output
