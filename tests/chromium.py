"""Headless Chromium driven over the DevTools protocol, for tests of pages the endpoint serves.

Chromium is started with `--remote-debugging-pipe`: commands go to its file descriptor 3 and answers
come back on 4, as JSON messages ended by a NUL byte, so no port is opened and nothing but the
standard library is needed. Host names other than 127.0.0.1 do not resolve (the network is off for
the page), and every request the page makes is recorded, with what the console said.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
)


class Chromium:
    """One browser process; `open(url)` gives a page to evaluate scripts in. Close it when done."""

    def __init__(self, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()

        def child_fds() -> None:  # the protocol's descriptors in the child: 3 to read, 4 to write
            high_read, high_write = os.dup(commands_read) + 100, os.dup(answers_write) + 100
            os.dup2(commands_read, high_read)
            os.dup2(answers_write, high_write)
            os.dup2(high_read, 3)
            os.dup2(high_write, 4)

        self.process = subprocess.Popen(
            [CHROMIUM, *FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=child_fds,
            pass_fds=(3, 4),
        )
        os.close(commands_read)
        os.close(answers_write)
        self._next_id = 0
        self._messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        buffer = b""
        while chunk := os.read(self._answers, 1 << 16):
            buffer += chunk
            *messages, buffer = buffer.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and wait for its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._messages.get(timeout=max(deadline - time.monotonic(), 0.01))
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, url: str) -> Page:
        """A new tab that records its requests and console, navigated to `url`."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        for domain in ("Network", "Runtime", "Log", "Page"):
            page.send(f"{domain}.enable")
        page.send("Page.navigate", {"url": url})
        return page

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, queue.Empty, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._commands)


class Page:
    """A tab: evaluate JavaScript, wait for a condition, see what it requested and logged."""

    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        return self.browser.send(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression (promises awaited); a thrown error is raised."""
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Evaluate `expression` until it is truthy; its value, or AssertionError with the console."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.evaluate(expression)
            except RuntimeError as exc:  # the page is between two documents: ask again once it has one
                if "navigated or closed" not in str(exc) and "context" not in str(exc).lower():
                    raise
                value = None
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression!r}; console: {self.console()[-5:]}")

    def _events(self, method: str) -> list[dict[str, Any]]:
        self.send("Runtime.evaluate", {"expression": "0"})  # collect what has arrived
        return [
            e["params"]
            for e in self.browser.events
            if e.get("sessionId") == self.session and e.get("method") == method
        ]

    def requests(self) -> list[str]:
        """Every URL the page has asked for."""
        return [event["request"]["url"] for event in self._events("Network.requestWillBeSent")]

    def console(self) -> list[str]:
        """What the page logged: console calls, and browser messages such as CSP violations."""
        logged = [
            " ".join(str(arg.get("value", arg.get("description", ""))) for arg in event["args"])
            for event in self._events("Runtime.consoleAPICalled")
        ]
        return logged + [event["entry"]["text"] for event in self._events("Log.entryAdded")]
