"""Load: 20 clients at once against `govgraph serve`, hostile requests and runaway queries mixed in."""

from __future__ import annotations

import sys

from .conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import load  # bench/load.py, found through the path above


def test_twenty_clients_with_hostile_requests_get_right_answers_and_the_server_stays_up(demo_store):
    # a 4 s query timeout: on a machine shared with other jobs, ordinary queries have taken over 2 s
    report = load.run_load(demo_store, clients=20, seconds=5.0, timeout=4.0, workers=2)
    summary = load.format_report(report)
    assert report.failed == 0, summary
    assert report.served >= 300, summary
    for kind in load.HOSTILE:  # every refusal (403, 413, 400) and the 504 seen at least once
        assert report.seen(kind) >= 1, f"no {kind} request got {load.EXPECTED[kind]}\n{summary}"
    assert report.server_alive and report.server_answers, summary
    assert report.server_tracebacks == 0, summary
