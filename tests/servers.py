"""Throwaway SPARQL 1.1 servers (Oxigraph, Virtuoso) that tests start, query and stop.

Each server is a child process listening on 127.0.0.1 only, on free ports, with all of its data in
the folder it is given; it is terminated (then killed) and reaped when the ``with`` block ends, even
when the test fails. Startup polls ``ASK {}`` for up to ``STARTUP_TIMEOUT`` seconds and raises
``RuntimeError`` with the server's log tail if it never answers.

Oxigraph (``oxigraph serve --union-default-graph``): query ``/query``, update ``/update``, Graph
Store Protocol ``/store?graph=IRI``; no authentication.

Virtuoso 7.2 (Debian's ``virtuoso-opensource``: ``virtuoso-t`` and ``isql-vt``):

* query ``/sparql`` is anonymous and read-only;
* update ``/sparql-auth`` and Graph Store Protocol ``/sparql-graph-crud-auth?graph=IRI`` need
  HTTP **Digest** authentication as ``dba``/``dba`` (Basic gets 401); the unauthenticated
  ``/sparql-graph-crud`` answers 403. Use ``SPARQLWrapper.setHTTPAuth(DIGEST)``,
  ``requests.auth.HTTPDigestAuth`` or ``urllib.request.HTTPDigestAuthHandler`` (see ``put_graph``);
* ``PUT`` replaces the named graph (201 when new, 200 when replaced), as the protocol says;
* the default graph of a query without ``FROM`` is the union of all graphs. A fresh database holds
  ~2,500 triples of its own (graphs ``virtrdf#``, ``ldp#`` and ``http://localuriqaserver/sparql``);
  ``virtuoso_server`` makes them private with graph-level security so that anonymous queries see
  only the graphs the test loaded. Queries sent to ``/sparql-auth`` as ``dba`` still see them.

Differences to expect when comparing rows (Virtuoso 7.2.5 vs Oxigraph 0.5): Virtuoso's JSON calls
typed literals ``"type": "typed-literal"``; it returns booleans from expressions as ``1``/``0``
``xsd:integer`` and stored ``xsd:boolean`` values as ``"1"``/``"0"``; ``1/2`` is integer division;
``"x"^^xsd:string`` and ``"x"`` are different terms; ``CONTAINS``/``STRSTARTS`` on a non-string
raise an error for the whole query (wrap the argument in ``STR()``); ``GROUP_CONCAT`` needs an
explicit ``separator``, orders its parts differently and gives ``""`` where Oxigraph leaves a
group of unbound values unbound; ``MIN`` over strings without ``GROUP BY`` is unbound; blank
nodes sort after IRIs. Oxigraph's ``--union-default-graph`` ignores ``FROM``; use ``GRAPH`` in shared queries.
"""

from __future__ import annotations

import ctypes
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"
# Virtuoso's own graphs, hidden from anonymous queries so that the union default graph matches Oxigraph's.
VIRTUOSO_SYSTEM_GRAPHS = (
    "http://www.openlinksw.com/schemas/virtrdf#",
    "http://www.w3.org/ns/ldp#",
    "http://localuriqaserver/sparql",
)
_PRIVATE_GROUP = "http://www.openlinksw.com/schemas/virtrdf#PrivateGraphs"
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


@dataclass(frozen=True)
class SparqlServer:
    """A running server's endpoints and credentials, so tests can treat both servers alike."""

    name: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str | None
    password: str | None
    process: subprocess.Popen


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now, so parallel runs don't collide."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _oxigraph_binary() -> str | None:
    """The ``oxigraph`` console script, also found when the venv is used without being activated."""
    beside_python = Path(sys.executable).with_name("oxigraph")
    return str(beside_python) if beside_python.exists() else shutil.which("oxigraph")


def _isql_binary() -> str | None:
    """Virtuoso's SQL client; Debian renames it ``isql-vt`` because unixODBC owns ``isql``."""
    return shutil.which("isql-vt") or shutil.which("isql-v")


def virtuoso_available() -> str | None:
    """None when Virtuoso can be started here, else why not (a reason for ``pytest.skip``)."""
    if shutil.which("virtuoso-t") is None:
        return "virtuoso-t is not installed (apt-get install virtuoso-opensource)"
    if _isql_binary() is None:
        return "isql-vt (Virtuoso's SQL client) is not installed (apt-get install virtuoso-opensource)"
    return None


def opener(server: SparqlServer) -> urllib.request.OpenerDirector:
    """A urllib opener that answers the server's Digest challenge, for update and GSP requests."""
    handlers: list[urllib.request.BaseHandler] = []
    if server.user is not None:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, server.gsp_url, server.user, server.password or "")
        passwords.add_password(None, server.update_url, server.user, server.password or "")
        handlers.append(urllib.request.HTTPDigestAuthHandler(passwords))
    return urllib.request.build_opener(*handlers)


def put_graph(
    server: SparqlServer, graph: str, body: bytes, content_type: str = "application/n-triples"
) -> int:
    """Replace one named graph through the Graph Store Protocol; returns the HTTP status."""
    url = f"{server.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    with opener(server).open(request, timeout=60) as response:
        return response.status


def _ask_empty(query_url: str) -> bool:
    """Whether the endpoint answers ``ASK {}`` with true, i.e. is ready for queries."""
    url = f"{query_url}?{urllib.parse.urlencode({'query': 'ASK {}'})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response).get("boolean") is True
    except (OSError, ValueError):
        return False


def _log_tail(logs: list[Path], lines: int = 40) -> str:
    """The last lines of each log, so a failed startup explains itself."""
    parts = []
    for log in logs:
        text = log.read_text(errors="replace") if log.exists() else "(missing)"
        parts.append(f"--- {log}\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(parts)


def _wait_until_ready(name: str, process: subprocess.Popen, query_url: str, logs: list[Path]) -> None:
    """Poll ``ASK {}`` until it succeeds; fail fast if the process dies, and give up after the timeout."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"{name} exited with code {process.returncode} during startup\n{_log_tail(logs)}"
            )
        if _ask_empty(query_url):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{name} did not answer ASK {{}} within {STARTUP_TIMEOUT:.0f} s\n{_log_tail(logs)}")


def _stop(process: subprocess.Popen) -> None:
    """Terminate, then kill after ``STOP_TIMEOUT``, and reap, so no server outlives its test."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
    process.wait()


def _die_with_parent() -> None:
    """In the child: have Linux SIGTERM the server if the runner dies without cleaning up.

    (The signal also fires when the thread that started the server ends: start servers from fixtures.)
    """
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def _running(command: list[str], folder: Path, log: Path) -> Iterator[subprocess.Popen]:
    """Start ``command`` in ``folder`` with output to ``log``, and always stop it afterwards."""
    with log.open("ab") as out:
        process = subprocess.Popen(
            command,
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
    try:
        yield process
    finally:
        _stop(process)


@contextmanager
def oxigraph_server(folder: Path) -> Iterator[SparqlServer]:
    """An Oxigraph server whose default graph is the union of all graphs, like Virtuoso's."""
    binary = _oxigraph_binary()
    if binary is None:
        raise RuntimeError("the oxigraph server CLI is not installed (pip install oxigraph)")
    folder.mkdir(parents=True, exist_ok=True)
    base = f"http://127.0.0.1:{free_port()}"
    host_port = base.removeprefix("http://")
    log = folder / "oxigraph.log"
    command = [binary, "serve", "--location", str(folder), "--bind", host_port, "--union-default-graph"]
    with _running(command, folder, log) as process:
        server = SparqlServer(
            name="oxigraph",
            query_url=f"{base}/query",
            update_url=f"{base}/update",
            gsp_url=f"{base}/store",
            user=None,
            password=None,
            process=process,
        )
        _wait_until_ready("oxigraph", process, server.query_url, [log])
        yield server


def _virtuoso_ini(folder: Path, sql_port: int, http_port: int) -> str:
    """A minimal configuration keeping every file in ``folder`` and listening on 127.0.0.1 only."""
    return f"""\
[Database]
DatabaseFile       = {folder}/virtuoso.db
ErrorLogFile       = {folder}/virtuoso.log
LockFile           = {folder}/virtuoso.lck
TransactionFile    = {folder}/virtuoso.trx
xa_persistent_file = {folder}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {folder}/virtuoso-temp.db
TransactionFile    = {folder}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DisableTcpSocket   = 0
DirsAllowed        = ., {folder}
NumberOfBuffers    = 10000
MaxDirtyBuffers    = 6000
CheckpointInterval = 0
CaseMode           = 2
AllowOSCalls       = 0

[HTTPServer]
ServerPort         = 127.0.0.1:{http_port}
ServerRoot         = {folder}/www
ServerThreads      = 10
MaxClientConnections = 10
EnabledDavVSP      = 0
Charset            = UTF-8

[SPARQL]
ResultSetMaxRows   = 1000000
"""


def _hide_virtuoso_system_graphs(isql: str, sql_port: int, logs: list[Path]) -> None:
    """Make Virtuoso's own graphs private so anonymous queries see only the test's data."""
    statements = [f"DB.DBA.RDF_GRAPH_GROUP_CREATE ('{_PRIVATE_GROUP}', 1);"]
    statements += [f"DB.DBA.RDF_GRAPH_GROUP_INS ('{_PRIVATE_GROUP}', '{g}');" for g in VIRTUOSO_SYSTEM_GRAPHS]
    # 'nobody' (anonymous /sparql): no access to private graphs, read access to all others.
    statements += [
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 0, 1);",
        "DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1, 0);",
    ]
    command = [
        isql,
        f"127.0.0.1:{sql_port}",
        VIRTUOSO_USER,
        VIRTUOSO_PASSWORD,
        "VERBOSE=OFF",
        "ERRORS=STDOUT",
        f"EXEC={' '.join(statements)}",
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "*** Error" in output:
        raise RuntimeError(f"isql could not configure Virtuoso graph security:\n{output}\n{_log_tail(logs)}")


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[SparqlServer]:
    """A fresh Virtuoso database in ``folder``, served over HTTP with SPARQL update and GSP enabled."""
    isql = _isql_binary()
    if isql is None or shutil.which("virtuoso-t") is None:
        raise RuntimeError(virtuoso_available())
    folder = folder.resolve()
    (folder / "www").mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    while http_port == sql_port:
        http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_virtuoso_ini(folder, sql_port, http_port))
    console = folder / "virtuoso.out"  # in the foreground it echoes virtuoso.log, plus earlier errors
    command = ["virtuoso-t", "+foreground", "+configfile", str(ini)]
    base = f"http://127.0.0.1:{http_port}"
    with _running(command, folder, console) as process:
        server = SparqlServer(
            name="virtuoso",
            query_url=f"{base}/sparql",
            update_url=f"{base}/sparql-auth",
            gsp_url=f"{base}/sparql-graph-crud-auth",
            user=VIRTUOSO_USER,
            password=VIRTUOSO_PASSWORD,
            process=process,
        )
        _wait_until_ready("virtuoso", process, server.query_url, [console])
        _hide_virtuoso_system_graphs(isql, sql_port, [console])
        yield server


class Listener:
    """A TCP listener on 127.0.0.1 that records whether anyone connected."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}/sparql"
        self.contacted = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.contacted.set()
            connection.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()


@contextmanager
def govgraph_server(store: Path, *options: str) -> Iterator[str]:
    """``govgraph serve`` on ``store`` as a real process on a free port (with the given options, e.g.
    ``--cors``); yields its endpoint URL, ``http://127.0.0.1:PORT/sparql``."""
    folder = Path(store).parent
    port = free_port()
    command = [sys.executable, "-m", "govgraph", "serve", "--store", str(store), "--port", str(port)]
    command += options
    log = folder / f"govgraph-serve-{port}.log"
    with _running(command, folder, log) as process:
        url = f"http://127.0.0.1:{port}/sparql"
        _wait_until_ready("govgraph serve", process, url, [log])
        yield url
