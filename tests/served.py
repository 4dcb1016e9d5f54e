"""A `govgraph serve` endpoint on the demo store for a test module, and plain GET/POST requests to it."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from govgraph.server import ServerSettings, running_server


@pytest.fixture(scope="module", name="root")
def served_root(demo_store):
    """The server's root URL (`http://127.0.0.1:PORT`), for the whole module."""
    settings = ServerSettings(demo_store, port=0, timeout=10.0, workers=2)
    with running_server(settings) as url:
        yield url.rsplit("/", 1)[0]


def fetch(url: str, data: bytes | None = None, headers: dict[str, str] | None = None):
    """(status, headers, body) of a request; error statuses are answers too."""
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()
