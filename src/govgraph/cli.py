"""The `govgraph` command: parse options, make one library call, print. Nothing else.

Exit codes: 0 success; 1 an error govgraph reports (bad input, store problem) or a graph that
does not conform; 2 wrong usage, or validation that could not run.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

import govgraph
from govgraph import GovGraphError
from govgraph.plot import CHARTS

BUNDLED_DATA = Path(__file__).resolve().parents[2] / "data"


class _Group(click.Group):
    """Turns library errors into one `Error: ...` line and a non-zero exit, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GovGraphError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except Exception as exc:
            if os.environ.get("GOVGRAPH_DEBUG"):
                raise
            raise click.ClickException(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set GOVGRAPH_DEBUG=1 for a traceback and please report it)"
            ) from None


def store_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """--store DIR, shared by every command that reads or writes the embedded store."""
    return click.option(
        "--store", "store_path", type=click.Path(file_okay=False, path_type=Path),
        envvar="GOVGRAPH_STORE", show_envvar=True, default=None,
        help="Folder of the embedded store [default: .govgraph/store].",
    )(func)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(govgraph.__version__, prog_name="govgraph")
def cli() -> None:
    """Turn write-ups of government speeches into a validated RDF knowledge graph.

    Documents (.txt, .md, .html) are read, their speakers, events, themes, pressures,
    departments and references to other speeches extracted with the sentence each came
    from, and stored in an on-disk quad store, one named graph per document.

    Example: govgraph build data/ && govgraph stats
    """


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text",
              show_default=True, help="text for people, json for scripts, turtle for the triples.")
def extract(file: Path, fmt: str) -> None:
    """Show what one document yields, without touching the store.

    What could not be found (a speaker, event, date or host) is a warning on stderr, not an
    error: the document would load with what was found.

    The JSON has the keys speakers, event, themes, pressures, departments and
    related_speeches (plus speech and pressures_other).

    Example: govgraph extract data/ifg-2014-bracken-strategy-is-delivery.txt --format json
    """
    from govgraph.documents import shown_name
    from govgraph.gaps import extraction_gaps

    extraction = govgraph.extract_file(file)
    gaps = extraction_gaps(extraction)
    if gaps:
        click.echo(f"warning: {shown_name(file)}: not found: {', '.join(gaps)}", err=True)
    if fmt == "json":
        click.echo(json.dumps(extraction.to_json(), indent=2, ensure_ascii=False))
    elif fmt == "turtle":
        from govgraph.graph import extraction_graph
        from govgraph.namespaces import PREFIXES

        graph = extraction_graph(extraction)
        for prefix, namespace in PREFIXES.items():
            graph.bind(prefix, namespace)
        click.echo(graph.serialize(format="turtle"))
    else:
        click.echo(_describe(extraction.to_json()))


def _describe(data: dict[str, Any]) -> str:
    event = data["event"]
    lines = [f"{data['document']}: {data['speech']['title']}"]
    for s in data["speakers"]:
        lines.append("  speaker:     " + ", ".join(x for x in (s["name"], s["role"], s["organisation"]) if x))
    lines.append(f"  event:       {event['title']} | {event['date'] or 'date unknown'} | "
                 f"{event['host'] or 'host unknown'} | {event['format'] or 'format unknown'}")
    for key in ("themes", "pressures", "departments"):
        lines.append(f"  {key + ':':<13}{', '.join(data[key]) or '-'}")
    for r in data["related_speeches"]:
        label = f"{r['kind']}:"
        lines.append(f"  {label:<13}{r['speaker']}, {r['title'] or '(untitled)'}")
    return "\n".join(lines)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@store_option
@click.option("--keep-going", is_flag=True, help="Load the good documents even if some fail.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True,
              help="Refuse documents larger than this.")
@click.option("--no-validate", is_flag=True, help="Skip the final SHACL check of the whole store.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes reading and extracting documents [default: one per core].")
@click.option("--batch", "batch_size", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Documents written at a time (bounds memory). Readers see the whole build at once "
                   "when it is complete, never a batch of it.")
@click.option("--document-timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds one document may take to read and extract; a slower one fails alone.")
@click.option("--verbose", "-v", is_flag=True,
              help="List every document loaded with gaps (no speaker, event, date or host found).")
def build(paths: tuple[Path, ...], store_path: Path | None, keep_going: bool, max_bytes: int,
          no_validate: bool, workers: int | None, batch_size: int, document_timeout: float,
          verbose: bool) -> None:
    """Load documents (files or folders; default: the bundled data/) into the store.

    Documents are plain text (.txt), Markdown (.md), HTML pages (.html, with their menus and
    footers) and GOV.UK content items (.json holding one item or a list, .jsonl one per line,
    as the Content API serves them). Every document is read and checked first: if any fails, nothing is written and the
    failures are listed (use --keep-going to load the rest). Unchanged documents are skipped,
    so running it twice gives the same graph. The build is written into a new generation of
    the store, published whole when it is complete: readers see the store before or after it,
    and a failed or killed build leaves it as it was. The store folder must be new, empty or
    a govgraph store; govgraph never writes into a folder of other files. The whole store is
    then validated against the SHACL shapes and a summary printed.

    Example: govgraph build data/ --store /tmp/gg
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from govgraph.documents import iter_document_paths

    files = list(iter_document_paths(paths or [_default_data()]))
    if not files:
        raise click.ClickException("no .txt, .md, .html, .json or .jsonl documents found")
    columns = (TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with govgraph.EmbeddedStore(store_path) as store:
        with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("", total=len(files))

            def advance(path: str) -> None:
                bar.update(task, advance=1, description=Path(path).name)

            try:
                report = govgraph.build(files, store, keep_going=keep_going, progress=advance,
                                        max_bytes=max_bytes, workers=workers,
                                        batch_size=batch_size, document_seconds=document_timeout)
            except govgraph.BuildError as exc:
                for failure in exc.failures[1:]:
                    click.echo(f"  also failed: {failure.message}", err=True)
                raise
        for failure in report.failures:
            click.echo(f"skipped: {failure.message}", err=True)
        click.echo(f"loaded {len(report.loaded)} document(s), {len(report.unchanged)} unchanged, "
                   f"{len(report.failures)} failed; {report.links} link(s) between speeches")
        if report.duplicates:
            click.echo(f"{len(report.duplicates)} item(s) repeated a speech already in this build and were "
                       "kept once: " + ", ".join(Path(p).name for p in report.duplicates[:5])
                       + (" ..." if len(report.duplicates) > 5 else ""))
        if report.not_english:
            click.echo(f"{len(report.not_english)} item(s) not in English: their metadata loaded, their "
                       "text was not read by the English extractor")
        _print_gaps(report.gaps, verbose)
        _print_stats(govgraph.store_stats(store))
        if not no_validate:
            result = govgraph.validate_store(store)
            click.echo(result.summary())
            if result.violations:
                sys.exit(1)
    if report.failures:
        sys.exit(1)


GAPS_LISTED = 10  # documents without a speaker named after a build, unless --verbose


def _print_gaps(gaps: dict[str, tuple[str, ...]], verbose: bool) -> None:
    """How many documents loaded with gaps, by kind, and which (those without a speaker first)."""
    if not gaps:
        return
    from govgraph.documents import shown_name
    from govgraph.gaps import GAP_NOTES

    counts = {kind: sum(kind in found for found in gaps.values()) for kind in GAP_NOTES}
    kinds = ", ".join(f"no {kind}: {count}" for kind, count in counts.items() if count)
    click.echo(f"{len(gaps)} document(s) loaded with gaps ({kinds}); `govgraph query data-gaps` lists them")
    listed = sorted(gaps) if verbose else sorted(p for p, found in gaps.items() if "speaker" in found)
    for path in listed[: None if verbose else GAPS_LISTED]:
        click.echo(f"  {shown_name(path)}: no {', no '.join(gaps[path])}")
    if not verbose and len(listed) > GAPS_LISTED:
        click.echo(f"  ... and {len(listed) - GAPS_LISTED} more without a speaker (--verbose lists all)")


def _default_data() -> Path:
    """./data when run from a checkout, else the data folder beside the installed sources."""
    local = Path("data")
    return local if local.is_dir() else BUNDLED_DATA


@cli.command()
@click.option("--data", "data", type=click.Path(path_type=Path), multiple=True,
              help="An RDF file to check (Turtle, N-Triples, RDF/XML, JSON-LD, ...); repeat for more. "
                   "Without it, the store is checked against govgraph's own shapes.")
@click.option("--shapes", type=click.Path(path_type=Path),
              help="The SHACL shapes file to check --data against.")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL, run in pyoxigraph (fast at any size; refuses "
                   "what it cannot check); pyshacl: the reference SHACL engine (slow on big stores).")
@click.option("--format", "fmt", type=click.Choice(["text", "turtle"]), default="text", show_default=True,
              help="text: a summary; turtle: the W3C sh:ValidationReport.")
@store_option
def validate(data: tuple[Path, ...], shapes: Path | None, engine: str, fmt: str,
             store_path: Path | None) -> None:
    """Check RDF files against SHACL shapes, or the whole store against ontology/shapes.ttl.

    With --data and --shapes, any RDF is checked against any SHACL Core shapes: exit code 0 if
    it conforms, 1 if there is any result (warnings included, as SHACL says), 2 if the check
    could not run (an unreadable file, or shapes the sparql engine does not support, named on
    one line). Without --data, the store is checked: violations are errors (exit 1); warnings
    (a speech whose speaker could not be found) are gaps, reported, and exit 0.

    Example: govgraph validate --data graph.ttl --shapes shapes.ttl --format turtle
    """
    if bool(data) != (shapes is not None):
        click.echo("Error: --data and --shapes go together (or give neither, to check the store)", err=True)
        sys.exit(2)
    try:
        if data:
            result = govgraph.validate_files(list(data), shapes, engine)
        else:
            with govgraph.EmbeddedStore(store_path, read_only=True) as store:
                result = govgraph.validate_store(store, engine)
    except GovGraphError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    if fmt == "turtle":
        click.echo(result.to_turtle())
    else:
        checked = f"the shapes in {shapes}" if data else "the govgraph shapes"
        click.echo(result.summary(limit=50, shapes=checked))
    sys.exit(1 if (not result.conforms if data else result.violations) else 0)


@cli.command()
@store_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def stats(store_path: Path | None, fmt: str) -> None:
    """Count what the store holds: documents, triples, speeches, speakers, themes, ...

    Example: govgraph stats --format json
    """
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        counts = govgraph.store_stats(store)
    if fmt == "json":
        click.echo(json.dumps(counts, indent=2))
    else:
        _print_stats(counts)


def _print_stats(counts: dict[str, int]) -> None:
    for name, value in counts.items():
        click.echo(f"  {name:<12}{value:>10,}")


def endpoint_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Credentials and limits shared by every command that talks to a remote endpoint."""
    options = [
        click.option("--user", envvar="GOVGRAPH_ENDPOINT_USER", show_envvar=True, default=None,
                     help="User name for the endpoint."),
        click.option("--password", envvar="GOVGRAPH_ENDPOINT_PASSWORD", show_envvar=True, default=None,
                     help="Password for the endpoint (prefer the environment variable)."),
        click.option("--auth", type=click.Choice(["basic", "digest"]), default="basic", show_default=True,
                     help="HTTP authentication scheme (Virtuoso's /sparql-auth uses digest)."),
        click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
                     help="Seconds to wait for each HTTP request."),
        click.option("--retries", type=click.IntRange(min=1), default=3, show_default=True,
                     help="Attempts before giving up on an unreachable endpoint."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _remote(url: str, user: str | None, password: str | None, auth: str, timeout: float,
            retries: int) -> govgraph.RemoteEndpoint:
    return govgraph.RemoteEndpoint(url, user=user, password=password, auth=auth, timeout=timeout,
                                   retries=retries)


EXPORT_FORMATS = ("html", "graphml", "gexf", "dot", "svg", "png", "cytoscape",
                  "ttl", "nt", "nq", "trig", "jsonld")
QUERY_FORMATS = ["table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld"]


@cli.command()
@click.argument("target", required=False)
@click.option("--param", "-p", "params", multiple=True, metavar="NAME=VALUE",
              help="A parameter value, bound as an RDF term (repeatable).")
@click.option("--format", "fmt", type=click.Choice(QUERY_FORMATS), default="table", show_default=True,
              help="table for people; csv, tsv, json, xml are the W3C SPARQL results formats; "
                   "CONSTRUCT/DESCRIBE results are written as turtle, nt or jsonld.")
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and their parameters.")
@click.option("--check", is_flag=True, help="Exit 1 if the query returns any row (for *-violation queries).")
@click.option("--endpoint", default=None, metavar="URL",
              help="Ask this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--allow-service", is_flag=True,
              help="Let the embedded store run SERVICE clauses, which fetch from the endpoints they "
                   "name over the network (refused without this flag).")
@endpoint_options
@store_option
def query(target: str | None, params: tuple[str, ...], fmt: str, list_queries: bool, check: bool,
          endpoint: str | None, allow_service: bool, user: str | None, password: str | None, auth: str,
          timeout: float, retries: int, store_path: Path | None) -> None:
    """Run a named query from the library, a .rq file, or the text of a query.

    Parameters are given as --param name=value and bound as typed RDF terms, never pasted
    into the query, so any text is safe. Without --endpoint the embedded store answers;
    remote endpoints should present the union of the named graphs as their default graph
    (Oxigraph: --union-default-graph; Virtuoso does so by default).

    \b
    Examples:
      govgraph query --list
      govgraph query speeches-by-speaker -p name=Bracken
      govgraph query my-question.rq --format csv > answer.csv
      govgraph query 'SELECT (COUNT(*) AS ?n) WHERE { ?s a gg:Speech }'
      govgraph query speech-timeline --endpoint http://127.0.0.1:7878/query
    """
    from govgraph.queries import library, parse_assignments, run_query

    if list_queries:
        _list_queries(library(), fmt)
        return
    if not target:
        raise click.UsageError("give a query name, a .rq file or query text (or --list)")
    values = parse_assignments(params)
    if endpoint:
        source: Any = _remote(endpoint, user, password, auth, timeout, retries)
        result = run_query(source, target, values)
    else:
        with govgraph.EmbeddedStore(store_path, read_only=True, allow_service=allow_service) as store:
            result = run_query(store, target, values)
    text = result.serialize(fmt)
    click.echo(text, nl=not text.endswith("\n"))
    if check and len(result):
        sys.exit(1)


def _list_queries(queries: dict[str, Any], fmt: str) -> None:
    if fmt == "json":
        listing = [{"name": q.name, "title": q.title, "purpose": q.purpose,
                    "params": [{"name": p.name, "type": p.type, "default": p.default, "doc": p.doc}
                               for p in q.params], "example": q.example} for q in queries.values()]
        click.echo(json.dumps(listing, indent=2))
        return
    for q in queries.values():
        click.echo(click.style(q.name, bold=True) + f"  {q.title}")
        if q.purpose:
            click.echo(f"    {q.purpose}")
        for p in q.params:
            default = f" = {p.default}" if p.default is not None else " (required)"
            click.echo(f"    --param {p.name}=<{p.type}>{default}  {p.doc}")


@cli.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="Graph Store Protocol URL (for --protocol gsp) or SPARQL Update URL (for update).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="gsp: PUT each named graph; update: DROP + INSERT DATA per graph.")
@endpoint_options
@store_option
def push(endpoint: str, protocol: str, user: str | None, password: str | None, auth: str, timeout: float,
         retries: int, store_path: Path | None) -> None:
    """Copy the store to a remote SPARQL 1.1 store, keeping every named graph.

    Each graph is replaced whole on the remote side, so a push that stopped midway can be
    run again and ends with the same graph: nothing lost, nothing doubled.

    \b
    Examples:
      govgraph push --endpoint http://127.0.0.1:7878/store
      GOVGRAPH_ENDPOINT_PASSWORD=... govgraph push --endpoint http://host:8890/sparql-graph-crud-auth \\
          --user dba --auth digest
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    remote = _remote(endpoint, user, password, auth, timeout, retries)
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        graphs = list(store.export_graphs())
        triples = sum(body.count(b"\n") for _name, body in graphs)
        columns = (TextColumn("pushing"), BarColumn(), MofNCompleteColumn())
        with Progress(*columns, transient=True, disable=not sys.stderr.isatty()) as bar:
            task = bar.add_task("", total=len(graphs))
            sent = remote.push(graphs, protocol=protocol, progress=lambda _n: bar.advance(task))
    click.echo(f"pushed {sent} graph(s), {triples:,} triples, to {endpoint}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped (HTTP 504).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Queries answered at once (one process each).")
@click.option("--max-request-bytes", type=click.IntRange(min=1024), default=1_000_000, show_default=True,
              help="Larger requests are refused (HTTP 413).")
@click.option("--max-memory", default="2048", show_default=True, metavar="SIZE",
              help="Memory each worker may use, in MiB or with a unit (512M, 4G); a query needing more "
                   "is stopped (HTTP 503) and its worker replaced.")
@click.option("--max-connections", type=click.IntRange(min=1), default=64, show_default=True,
              help="Open connections at most; more are answered 503 and closed.")
@click.option("--read-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a client has to send a whole request, and may stay idle between requests.")
@click.option("--queue-timeout", type=click.FloatRange(min=0), default=5.0, show_default=True,
              help="Seconds a query waits for a free worker before it is answered 503 with Retry-After.")
@click.option("--cors", multiple=True, metavar="ORIGIN",
              help="Let pages from ORIGIN (e.g. https://example.org, or * for any site) read answers; "
                   "repeat or separate with commas. Off by default.")
@click.option("--verbose", is_flag=True, help="Log every request.")
@store_option
def serve(host: str, port: int, timeout: float, workers: int, max_request_bytes: int, max_memory: str,
          max_connections: int, read_timeout: float, queue_timeout: float, cors: tuple[str, ...],
          verbose: bool, store_path: Path | None) -> None:
    """Serve the store as a read-only SPARQL 1.1 endpoint, with a query page at /.

    SPARQL 1.1 Protocol (the W3C suite passes): GET /sparql?query=... or POST (form or
    application/sparql-query, UTF-8), HEAD and OPTIONS; default-graph-uri and named-graph-uri
    choose the dataset. Results in SPARQL JSON, XML, CSV or TSV, graphs in Turtle, N-Triples,
    RDF/XML, JSON-LD or N3, by the Accept header or ?format= (json, xml, csv, tsv, turtle, n3,
    rdf+xml, json-ld), streamed as they are produced; the page shows the first 1,000 rows.
    Updates (403), SERVICE clauses and over-deep queries (400) are refused. Stop with Ctrl-C.

    Example: govgraph serve --port 7878 & govgraph query speech-timeline --endpoint http://127.0.0.1:7878/sparql
    """
    from govgraph.server import ServerSettings, memory_size, open_server

    try:
        memory = memory_size(max_memory)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--max-memory'") from None
    origins = tuple(o.strip().rstrip("/") for value in cors for o in value.split(",") if o.strip())
    settings = ServerSettings(store_path or govgraph.default_store_path(), host, port, timeout, workers,
                              max_request_bytes, cors=origins, max_memory=memory,
                              max_connections=max_connections, read_timeout=read_timeout,
                              queue_timeout=queue_timeout)
    server = open_server(settings, verbose)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving {settings.store} at http://{bound_host}:{bound_port}/sparql "
               f"(query page at http://{bound_host}:{bound_port}/); Ctrl-C to stop", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@cli.command()
@click.argument("speech", required=False)
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="How many to show.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--materialise", is_flag=True,
              help="Write every speech's --top related speeches into the store (graph id/graph/related), "
                   "with score, rank and reasons, so SPARQL can query them; `build` keeps them up to date.")
@click.option("--min-score", type=click.FloatRange(min=0), default=0.05, show_default=True,
              help="With --materialise: leave out links scoring less.")
@store_option
def related(speech: str | None, top: int, fmt: str, materialise: bool, min_score: float,
            store_path: Path | None) -> None:
    """Speeches most like SPEECH (an IRI, its title, or a unique part of the title), and why.

    The score adds named parts: an explicit link (follows / refers to, either way), shared
    themes, pressures and departments weighted by how rare they are, the same speaker or event,
    and the similarity of the texts (TF-IDF keywords). Each result lists its parts and the
    concepts both speeches share.

    \b
    Examples:
      govgraph related "strategy is delivery"
      govgraph related https://w3id.org/govgraph/id/speech/ifg-2014-bracken-strategy-is-delivery --format json
      govgraph related --materialise --top 5
    """
    from govgraph.related import materialise_related, related_speeches

    if materialise:
        if speech:
            raise click.UsageError("--materialise works on every speech; leave SPEECH out")
        with govgraph.EmbeddedStore(store_path) as store:
            written = materialise_related(store, top=top, min_score=min_score)
        click.echo(f"wrote {written} related-speech links (top {top} per speech, score >= {min_score:g})")
        return
    if not speech:
        raise click.UsageError("give a SPEECH (or --materialise)")
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        snapshot = govgraph.read_snapshot(store)
    chosen, results = related_speeches(snapshot, speech, top)
    if fmt == "json":
        click.echo(json.dumps({"speech": chosen, "title": snapshot.titles[snapshot.index[chosen]],
                               "related": [r.to_json() for r in results]}, indent=2, ensure_ascii=False))
        return
    click.echo(f"{snapshot.titles[snapshot.index[chosen]]}\n<{chosen}>\n")
    for result in results:
        click.echo(f"{result.rank:>3}. {result.score:.3f}  {result.title}")
        for reason in result.reasons():
            click.echo(f"          {reason}")
    if not results:
        click.echo("no related speeches")


@cli.command()
@click.option("--top", type=click.IntRange(min=1), default=5, show_default=True,
              help="Most central entities to list per kind.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def analyse(top: int, fmt: str, store_path: Path | None) -> None:
    """The structure of the field: counts, central entities and communities.

    Centrality is computed on the entity graph (speeches, speakers, events, themes,
    pressures, departments, organisations): degree, betweenness and PageRank, listed by
    PageRank per kind. Communities are Louvain's (fixed seed, so runs agree).

    Example: govgraph analyse --top 3 --format json
    """
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        snapshot = govgraph.read_snapshot(store)
    result = govgraph.analyse(snapshot, top=top)
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=2, ensure_ascii=False))
        return
    click.echo("counts: " + ", ".join(f"{k} {v}" for k, v in result.counts.items()))
    for kind, rows in result.central.items():
        plural = "speeches" if kind == "speech" else f"{kind}s"
        click.echo(f"\nmost central {plural} (pagerank, degree, betweenness):")
        for row in rows:
            click.echo(f"  {row['pagerank']:.4f} {row['degree']:>4} {row['betweenness']:.4f}  {row['label']}")
    click.echo(f"\n{len(result.communities)} communities:")
    for community in result.communities:
        parts = [f"{kind}s: {', '.join(names[:6])}{' ...' if len(names) > 6 else ''}"
                 for kind, names in community["members"].items()]
        click.echo(f"  {community['community']:>2} ({community['size']}) " + " | ".join(parts))


@cli.command()
@click.argument("source")
@click.argument("target")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@store_option
def path(source: str, target: str, fmt: str, store_path: Path | None) -> None:
    """How two entities are linked: the shortest chain of facts, each with its evidence.

    SOURCE and TARGET are IRIs, names or unique parts of names of any speech, speaker,
    event, theme, pressure, department or organisation.

    Example: govgraph path "Mike Bracken" "HM Revenue"
    """
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        snapshot = govgraph.read_snapshot(store)
        steps = govgraph.find_path(store, snapshot, source, target)
    if fmt == "json":
        click.echo(json.dumps([s.to_json() for s in steps], indent=2, ensure_ascii=False))
        return
    for number, step in enumerate(steps, 1):
        click.echo(f"{number}. {step.subject_label} --{step.relation}--> {step.object_label}")
        if step.sentence:
            click.echo(f'     "{step.sentence}" ({step.document})')


@cli.command()
@click.option("--format", "fmt", type=click.Choice(list(EXPORT_FORMATS)), default="html", show_default=True,
              help="graphml (Cytoscape, yEd), gexf (Gephi), dot/svg/png (Graphviz), cytoscape (Cytoscape.js "
                   "JSON), html (an interactive page); ttl, nt, nq, trig, jsonld export the RDF itself.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write [default: stdout for text formats; govgraph-VIEW.png / .html for those].")
@click.option("--view", type=click.Choice(["entities", "speeches", "speakers"]), default="entities",
              show_default=True,
              help="entities: everything and its links; speeches: speeches with their themes, pressures "
                   "and departments; speakers: speakers linked by the themes they share.")
@click.option("--focus", default=None, metavar="ENTITY",
              help="Draw only the neighbourhood of this speech, speaker, theme, department... (IRI or name).")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True,
              help="With --focus: how many links away to draw.")
@click.option("--size", default="1600x1200", show_default=True, metavar="WxH",
              help="Pixel size of svg and png drawings.")
@store_option
def export(fmt: str, output: Path | None, view: str, focus: str | None, depth: int, size: str,
           store_path: Path | None) -> None:
    """Export the graph, or a focused part of it, for Gephi, Cytoscape, Graphviz or a browser.

    Nodes carry their kind, label and IRI, a colour by kind and a size by degree; edges carry
    their relation (and, in html and cytoscape, the sentence it came from). The html page is
    one offline file with pan, zoom, search, a legend and a side panel of facts.

    \b
    Examples:
      govgraph export --format html -o graph.html
      govgraph export --format gexf --view speeches > speeches.gexf
      govgraph export --format png --focus "Mike Bracken" --depth 2 -o bracken.png
      govgraph export --format nq > govgraph.nq
    """
    from govgraph.export import FILE_FORMATS, Drawing, default_file_name
    from govgraph.export import export as export_graph

    width, height = _pixels(size)
    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        data = export_graph(store, None, fmt, Drawing(view, focus, depth), width, height)
    if output is None and fmt in FILE_FORMATS:
        output = Path(default_file_name(fmt, view))
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    click.echo(f"wrote {output} ({len(data):,} bytes)", err=True)


def _pixels(size: str) -> tuple[int, int]:
    width, sep, height = size.lower().partition("x")
    valid = sep and width.isdigit() and height.isdigit()
    if not (valid and 16 <= int(width) <= 20000 and 16 <= int(height) <= 20000):
        raise click.BadParameter(f"{size!r} is not WIDTHxHEIGHT in pixels (16-20000)", param_hint="--size")
    return int(width), int(height)


@cli.command()
@click.argument("chart", type=click.Choice(list(CHARTS)))
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="File to write, .png or .svg [default: CHART.png].")
@click.option("--top", type=click.IntRange(min=1), default=8, show_default=True,
              help="How many pressures, themes, speakers, organisations or departments to draw.")
@store_option
def plot(chart: str, output: Path | None, top: int, store_path: Path | None) -> None:
    """Draw a chart of the graph as PNG or SVG: pressures or themes by year, departments by
    pressure (a heat map), speeches per speaker or organisation over time.

    Example: govgraph plot departments-by-pressure -o heat.svg
    """
    from govgraph.plot import plot as draw

    with govgraph.EmbeddedStore(store_path, read_only=True) as store:
        path = draw(store, chart, output or Path(f"{chart}.png"), top)
    click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)", err=True)

@cli.command("docs")
@click.option("--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=Path("docs"),
              show_default=True, help="Folder to write the pages into.")
def docs_command(output: Path) -> None:
    """Write HTML documentation of ontology/: the ontology (pyLODE), the themes and pressures with
    every concept, the organisations gazetteer and the SHACL shapes; `serve` shows the same at
    /ontology.

    Example: govgraph docs -o docs
    """
    from govgraph.docs import write_docs

    try:
        written = write_docs(output)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from None
    for path in written:
        click.echo(f"wrote {path} ({path.stat().st_size:,} bytes)", err=True)

@cli.command()
@click.argument("docs", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("expected", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--per-document", is_flag=True, help="Also print each document's scores.")
def evaluate(docs: Path, expected: Path, per_document: bool) -> None:
    """Score extraction against expected JSON files: precision, recall and F1 per field.

    EXPECTED holds one <document stem>.json per document, in the shape `extract --format json`
    prints.

    Example: govgraph evaluate corpus/docs corpus/expected
    """
    total, documents = govgraph.evaluate_corpus(docs, expected)
    if per_document:
        for document in documents:
            click.echo(f"{document.name}\n{document.scores.table()}\n")
    click.echo(f"all {len(documents)} documents\n{total.table()}")


def main() -> None:
    """Console-script entry point; a closed pipe (`govgraph stats | head`) is not an error."""
    try:
        cli(prog_name="govgraph")
    except BrokenPipeError:
        sys.stderr.close()
        os._exit(0)
