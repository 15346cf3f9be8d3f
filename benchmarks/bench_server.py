"""The web service: evalgraph's SPARQL endpoint vs Oxigraph's own server vs rdflib-endpoint, same data, one run.

Three servers, started by this script on free loopback ports and stopped at the end (even on error or Ctrl-C):

* **evalgraph**: ``python -m evalgraph --data-dir D serve --port P`` on a fresh data directory ``D``, filled first
  by ``python -m evalgraph --data-dir D init`` (evalgraph's own loading of the built-in ontology, knowledge base and
  catalogue); queries POSTed to ``/sparql``. Its endpoint answers over the union of all graphs as default graph
  (``OxigraphStore.raw_query``: ``use_default_graph_as_union``);
* **oxigraph**: Oxigraph's own server (``oxigraph serve --location O --union-default-graph``, the Rust CLI from
  the PyPI package ``oxigraph``, same Oxigraph version as pyoxigraph) on a copy of evalgraph's store: every quad
  dumped as N-Quads with pyoxigraph (``Store.read_only(D/store).dump``, evalgraph not running) and loaded with
  ``oxigraph load --location O --file data.nq``; queries POSTed to ``/query``;
* **rdflib-endpoint**: ``rdflib_endpoint.SparqlEndpoint`` on an ``rdflib.Dataset(default_union=True)`` parsed from
  the same N-Quads file, run with uvicorn in a subprocess (this script, ``--serve-rdflib-endpoint``); queries
  POSTed to ``/sparql``. rdflib 7.6.0 as released cannot run the cartography query (``NotBoundError`` on
  ``GROUP_CONCAT(DISTINCT ?x)`` with ``?x`` unbound, see ``bench_cartography.py``), so the server process applies
  ``bench_cartography.patch_rdflib_distinct_aggregates`` first, unless ``--rdflib-unpatched``.

Scenarios (``--only`` picks servers and/or scenarios by name):

* ``small-select``: the three FDA De Novo technologies (``DE_NOVO`` of ``tests/test_server.py``);
* ``cartography``: ``queries/cartography.rq``. evalgraph binds its ``?lang`` parameter (``/queries/cartography?
  lang=en``); a plain SPARQL endpoint cannot, so every server gets the same text with ``VALUES ?lang { "en" }``
  written at the start of its WHERE clause (what the substitution means). evalgraph's own route
  ``/queries/cartography?lang=en`` is measured too, as a fourth row (``evalgraph /queries``).

Before timing, each scenario is sent once to every server and the answers compared (row count, and the rows as
multisets of lexical values; an empty GROUP_CONCAT may be unbound on one side and ``""`` on the other, reported).

Load: ``--clients`` client processes (each an ``httpx.Client`` with keep-alive, one request at a time; processes,
so the clients do not share a GIL) POST ``application/sparql-query`` with ``Accept:
application/sparql-results+json``; after ``--warmup`` seconds of unrecorded requests, each client sends requests
for ``--duration`` seconds and records every latency (a request that starts inside the window is counted to its
end). rps = requests completed / window; p50 and p99 over all clients' requests; errors = non-200 or transport
errors (a request is stopped after ``--timeout`` seconds). rdflib-endpoint is slow on the cartography query: its
measurements on the cartography query are recorded for ``--rdflib-duration`` seconds at most (the report says so
and gives its request counts: at ~2 s per request under 4 clients, few requests, so its p99 is about its maximum).
Each round measures every (scenario, server) pair once, servers in a seeded random order per round; the figures
are medians over ``--rounds`` rounds. The load generator runs on the same (2-core) machine as the servers: its
CPU time per request is printed, since it bounds what the fastest server can show.

Usage: ``python benchmarks/bench_server.py [--rounds 3] [--duration 10] [--warmup 2] [--clients 4] [--seed 1]
[--timeout 60] [--rdflib-duration 10] [--rdflib-unpatched] [--only NAME ...] [--evalgraph-tree DIR] [--serve-args ARGS] [--keep]``

``--evalgraph-tree DIR`` runs evalgraph (``init``, ``serve``, and the cartography query text) from another checkout,
e.g. ``git archive HEAD`` unpacked, while the working tree is being edited: ``DIR/src`` goes first on the server's
``PYTHONPATH`` and its data folders are ``DIR/ontology``, ``DIR/kb``, … (``resources.root``). ``--serve-args``
adds options to ``evalgraph serve`` (e.g. ``"--workers 0"``: queries in the server process, no worker pool).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import importlib.metadata
import importlib.util
import json
import multiprocessing
import os
import random
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIXES = ("PREFIX eg: <https://w3id.org/evalgraph/ontology/> PREFIX egv: <https://w3id.org/evalgraph/vocab/> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
DE_NOVO = PREFIXES + ("SELECT DISTINCT ?technology WHERE { ?technology eg:hasRegulatoryStatus ?s . "
                      "?s eg:fdaPathway egv:fda-de-novo } ORDER BY ?technology")
LANG = "en"
SERVERS = ("evalgraph", "oxigraph", "rdflib-endpoint")
SCENARIOS = ("small-select", "cartography")
EVALGRAPH_NAMED = "evalgraph /queries"
JSON_RESULTS = "application/sparql-results+json"
INSTALL_HINT = "pip install -e '.[bench]'"


# -- the rdflib-endpoint server process ---------------------------------------------------------------------------

def serve_rdflib_endpoint(data: str, port: int, patched: bool) -> None:
    """Run rdflib-endpoint on ``data`` (N-Quads) in this process until killed."""
    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    if patched:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_cartography import patch_rdflib_distinct_aggregates

        patch_rdflib_distinct_aggregates()
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(data, format="nquads")
    print(f"rdflib-endpoint: {len(dataset)} triples in the union, patched={patched}", flush=True)
    app = SparqlEndpoint(graph=dataset, path="/sparql", title="bench")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


# -- the load generator (client processes) ------------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """One server's way of answering one scenario."""

    server: str
    method: str
    url: str
    body: bytes = b""


@dataclass
class ClientResult:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    window_start: float = 0.0
    window_end: float = 0.0
    cpu: float = 0.0


def send(client: object, target: Target) -> tuple[int, bytes]:
    import httpx

    assert isinstance(client, httpx.Client)
    if target.method == "GET":
        response = client.get(target.url, headers={"accept": JSON_RESULTS})
    else:
        response = client.post(target.url, content=target.body,
                               headers={"content-type": "application/sparql-query", "accept": JSON_RESULTS})
    return response.status_code, response.content


def client_loop(job: tuple[Target, float, float, float, float]) -> ClientResult:
    """Send requests one after the other: unrecorded until ``warm_until``, recorded until ``end_at`` (wall clock,
    shared by all clients; a request started before ``end_at`` is recorded to its end)."""
    import httpx

    target, start_at, warm_until, end_at, timeout = job
    result = ClientResult()
    while time.time() < start_at:
        time.sleep(0.001)
    cpu0 = time.process_time()
    with httpx.Client(timeout=timeout) as client:
        while time.time() < warm_until:
            try:
                send(client, target)
            except httpx.HTTPError:
                pass
        cpu0 = time.process_time()
        result.window_start = time.time()
        while True:
            begin = time.perf_counter()
            if time.time() >= end_at:
                break
            try:
                status, body = send(client, target)
                ok = status == 200
                detail = "" if ok else f"HTTP {status}: {body[:200]!r}"
            except httpx.HTTPError as exc:
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            elapsed = time.perf_counter() - begin
            if ok:
                result.latencies.append(elapsed)
            else:
                result.errors += 1
                result.first_error = result.first_error or detail
        result.window_end = time.time()
    result.cpu = time.process_time() - cpu0
    return result


@dataclass
class Measure:
    """One (scenario, server) pair in one round."""

    rps: float
    p50: float
    p99: float
    requests: int
    errors: int
    first_error: str
    client_cpu_ms: float


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def measure(pool: multiprocessing.pool.Pool, target: Target, clients: int, warmup: float, duration: float,
            timeout: float) -> Measure:
    start_at = time.time() + 0.3
    warm_until = start_at + warmup
    end_at = warm_until + duration
    jobs = [(target, start_at, warm_until, end_at, timeout)] * clients
    results = pool.map(client_loop, jobs)
    latencies = [lat for r in results for lat in r.latencies]
    errors = sum(r.errors for r in results)
    window = max(r.window_end for r in results) - min(r.window_start for r in results)
    done = len(latencies) + errors
    return Measure(rps=len(latencies) / window if window > 0 else 0.0, p50=percentile(latencies, 50),
                   p99=percentile(latencies, 99), requests=done, errors=errors,
                   first_error=next((r.first_error for r in results if r.first_error), ""),
                   client_cpu_ms=1000 * sum(r.cpu for r in results) / done if done else float("nan"))


# -- servers ------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


class Servers:
    """Start servers in their own process groups; stop them all (group by group) at the end."""

    def __init__(self) -> None:
        self.running: list[Server] = []

    def start(self, name: str, command: list[str], log: Path, env: dict[str, str] | None = None) -> Server:
        print(f"[{name}] starting: {' '.join(command)}", flush=True)
        with log.open("wb") as out:
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                       start_new_session=True, env=env)
        server = Server(name, process, log)
        self.running.append(server)
        return server

    def wait_ready(self, server: Server, url: str, method: str = "GET", body: bytes = b"",
                   headers: dict[str, str] | None = None, deadline_s: float = 300.0) -> float:
        import httpx

        started = time.perf_counter()
        while True:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited with {server.process.returncode}:\n"
                                   f"{server.log.read_text(errors='replace')[-3000:]}")
            try:
                response = httpx.request(method, url, content=body or None, headers=headers, timeout=30)
                if response.status_code == 200:
                    return time.perf_counter() - started
            except httpx.HTTPError:
                pass
            if time.perf_counter() - started > deadline_s:
                raise RuntimeError(f"{server.name} not ready after {deadline_s:.0f} s:\n"
                                   f"{server.log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)

    def stop_all(self) -> None:
        for server in reversed(self.running):
            if server.process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(server.process.pid, signal.SIGTERM)
                try:
                    server.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(server.process.pid, signal.SIGKILL)
                    server.process.wait(timeout=15)
            print(f"[{server.name}] stopped (exit {server.process.returncode})", flush=True)
        self.running.clear()


# -- queries and answers ------------------------------------------------------------------------------------------

def cartography_substituted(text: str) -> str:
    """``queries/cartography.rq`` with its ``?lang`` parameter written into the text, as evalgraph's binding means it:
    the FILTERs compare with the literal, and a VALUES block at the start of the WHERE clause binds ``?lang`` for the
    SELECT and GROUP BY. A VALUES block alone is not the same query: under SPARQL's bottom-up semantics the FILTER
    in the OPTIONAL nested inside the legal-basis OPTIONAL does not see the outer ``?lang`` (Oxigraph then leaves
    the law labels out of ``?legalBasis``, in 7 of the 25 rows), whereas a substitution replaces it everywhere."""
    uses = text.count("= ?lang)")
    assert uses and text.count("?lang") == uses + 2, "cartography.rq uses ?lang where this rewrite does not expect"
    head, brace, rest = text.replace("= ?lang)", f'= "{LANG}")').partition("WHERE {")
    assert brace, "cartography.rq has no 'WHERE {'"
    return f'{head}WHERE {{\n    VALUES ?lang {{ "{LANG}" }}{rest}'


def rows_of(body: bytes) -> tuple[list[str], list[tuple[object, ...]]]:
    """SPARQL JSON results as (variables, rows of (kind, lexical value) with GROUP_CONCAT lists sorted)."""
    document = json.loads(body)
    variables = document["head"]["vars"]

    def norm(cell: dict[str, str] | None) -> object:
        if cell is None:
            return None
        value = cell["value"]
        if " ; " in value:
            value = " ; ".join(sorted(value.split(" ; ")))
        return ("iri" if cell["type"] == "uri" else "lit", value)

    return variables, [tuple(norm(b.get(v)) for v in variables) for b in document["results"]["bindings"]]


def compare(reference: list[tuple[object, ...]], other: list[tuple[object, ...]]) -> str:
    if len(reference) != len(other):
        return f"ROW COUNTS DIFFER ({len(reference)} vs {len(other)})"
    order = "same order" if reference == other else "different order"
    if collections.Counter(reference) == collections.Counter(other):
        return f"same rows, {order}"
    empty = ("lit", "")

    def blank(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
        return [tuple(None if v == empty else v for v in row) for row in rows]

    if collections.Counter(blank(reference)) == collections.Counter(blank(other)):
        cells = sum(v == empty for row in other for v in row) - sum(v == empty for row in reference for v in row)
        return f"same rows except {abs(cells)} empty GROUP_CONCAT values (unbound on one side, \"\" on the other)"
    only = collections.Counter(reference) - collections.Counter(other)
    return f"same count, {sum(only.values())} rows differ, e.g. {next(iter(only))}"


def versions() -> str:
    def version(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "?"

    names = ("evalgraph", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "fastapi", "uvicorn", "httpx")
    return ", ".join(f"{n} {version(n)}" for n in names) + f", python {sys.version.split()[0]}"


def oxigraph_cli() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.exists() else shutil.which("oxigraph")


def require_baselines() -> str:
    missing = []
    cli = oxigraph_cli()
    if cli is None:
        missing.append("the 'oxigraph' command (PyPI package oxigraph)")
    if importlib.util.find_spec("rdflib_endpoint") is None:
        missing.append("the rdflib_endpoint module (PyPI package rdflib-endpoint)")
    if missing:
        sys.exit(f"bench_server: missing {' and '.join(missing)}; the baselines are the 'bench' extra: "
                 f"{INSTALL_HINT}")
    assert cli is not None
    return cli


# -- main ---------------------------------------------------------------------------------------------------------

def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=10.0, help="recorded seconds per scenario, server, round")
    parser.add_argument("--warmup", type=float, default=2.0, help="unrecorded seconds before each measurement")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client processes")
    parser.add_argument("--seed", type=int, default=1, help="seeds the order of the servers in each round")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a request counts as an error")
    parser.add_argument("--rdflib-duration", type=float, default=10.0,
                        help="rdflib-endpoint on the cartography query: recorded seconds at most (it is slow)")
    parser.add_argument("--rdflib-unpatched", action="store_true",
                        help="do not patch rdflib's DISTINCT aggregates (its cartography answers are then errors)")
    parser.add_argument("--only", nargs="+", default=[], metavar="NAME",
                        help=f"servers and/or scenarios to run, among {', '.join(SERVERS + SCENARIOS)}")
    parser.add_argument("--evalgraph-tree", type=Path, default=ROOT,
                        help="the evalgraph checkout to run (its src/ and data folders; default: this one)")
    parser.add_argument("--serve-args", default="", metavar="ARGS",
                        help="more options for 'evalgraph serve', as one string (e.g. \"--workers 0\")")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory (data, server logs)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the medians as JSON (bench_scale.py)")
    return parser


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "--serve-rdflib-endpoint":
        inner = argparse.ArgumentParser()
        inner.add_argument("--serve-rdflib-endpoint", dest="data", required=True)
        inner.add_argument("--port", type=int, required=True)
        inner.add_argument("--unpatched", action="store_true")
        options = inner.parse_args()
        serve_rdflib_endpoint(options.data, options.port, not options.unpatched)
        return

    command_line = parser()
    args = command_line.parse_args()
    unknown = set(args.only) - set(SERVERS + SCENARIOS)
    if unknown:
        command_line.error(f"--only: unknown {sorted(unknown)}; choose among {', '.join(SERVERS + SCENARIOS)}")
    servers_on = [s for s in SERVERS if s in args.only] or list(SERVERS)
    scenarios_on = [s for s in SCENARIOS if s in args.only] or list(SCENARIOS)
    cli = require_baselines() if set(servers_on) - {"evalgraph"} else ""
    print(f"evalgraph bench_server: {versions()}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{vars(args)}", flush=True)
    started = time.perf_counter()
    tree = args.evalgraph_tree.resolve()
    if not (tree / "src" / "evalgraph" / "__init__.py").is_file():
        command_line.error(f"--evalgraph-tree: no src/evalgraph in {tree}")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(tree / "src"),
                                                                     os.environ.get("PYTHONPATH")]))}
    probe = subprocess.run([sys.executable, "-c", "import evalgraph, evalgraph.resources as r; "
                            "print(evalgraph.__file__, r.root())"], env=env, capture_output=True, text=True,
                           check=True)
    print(f"evalgraph server code and data: {probe.stdout.strip()}", flush=True)
    cartography_text = (tree / "queries" / "cartography.rq").read_text(encoding="utf-8")
    queries = {"small-select": DE_NOVO, "cartography": cartography_substituted(cartography_text)}

    folder = Path(tempfile.mkdtemp(prefix="evalgraph-bench-server-"))
    servers = Servers()
    try:
        # -- data: evalgraph loads its built-in data; the same quads go to the baselines
        data_dir, dump = folder / "evalgraph", folder / "data.nq"
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "evalgraph", "--data-dir", str(data_dir), "init"], cwd=ROOT,
                       check=True, capture_output=True, env=env)
        print(f"evalgraph init (built-in data) in {time.perf_counter() - t0:.1f} s", flush=True)
        import pyoxigraph as ox

        store = ox.Store.read_only(str(data_dir / "store"))
        store.dump(str(dump), ox.RdfFormat.N_QUADS)
        graphs = sorted(g.value for g in store.named_graphs())
        quads, default_quads = len(store), sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        del store
        print(f"dumped {quads:,} quads ({len(graphs)} named graphs, {default_quads} in the default graph) "
              f"to {dump.name}", flush=True)

        # -- servers
        targets: dict[str, dict[str, Target]] = {scenario: {} for scenario in scenarios_on}
        ports = {name: free_port() for name in servers_on}
        if "evalgraph" in servers_on:
            base = f"http://127.0.0.1:{ports['evalgraph']}"
            command = [sys.executable, "-m", "evalgraph", "--data-dir", str(data_dir), "serve", "--port",
                       str(ports["evalgraph"]), *shlex.split(args.serve_args)]
            server = servers.start("evalgraph", command, folder / "evalgraph.log", env)
            ready = servers.wait_ready(server, base + "/health")
            print(f"[evalgraph] ready in {ready:.1f} s: {base}/sparql", flush=True)
            for scenario in scenarios_on:
                targets[scenario]["evalgraph"] = Target("evalgraph", "POST", base + "/sparql",
                                                        queries[scenario].encode())
            if "cartography" in scenarios_on:
                targets["cartography"][EVALGRAPH_NAMED] = Target(EVALGRAPH_NAMED, "GET",
                                                                 f"{base}/queries/cartography?lang={LANG}")
        if "oxigraph" in servers_on:
            location = folder / "oxigraph"
            t0 = time.perf_counter()
            subprocess.run([cli, "load", "--location", str(location), "--file", str(dump)], check=True,
                           capture_output=True)
            print(f"[oxigraph] loaded {dump.name} into its own store in {time.perf_counter() - t0:.1f} s", flush=True)
            base = f"http://127.0.0.1:{ports['oxigraph']}"
            server = servers.start("oxigraph", [cli, "serve", "--location", str(location), "--bind",
                                                f"127.0.0.1:{ports['oxigraph']}", "--union-default-graph"],
                                   folder / "oxigraph.log")
            ready = servers.wait_ready(server, base + "/query", "POST", b"ASK {}",
                                       {"content-type": "application/sparql-query", "accept": JSON_RESULTS})
            print(f"[oxigraph] ready in {ready:.1f} s: {base}/query", flush=True)
            for scenario in scenarios_on:
                targets[scenario]["oxigraph"] = Target("oxigraph", "POST", base + "/query", queries[scenario].encode())
        if "rdflib-endpoint" in servers_on:
            base = f"http://127.0.0.1:{ports['rdflib-endpoint']}"
            command = [sys.executable, str(Path(__file__).resolve()), "--serve-rdflib-endpoint", str(dump),
                       "--port", str(ports["rdflib-endpoint"])] + (["--unpatched"] if args.rdflib_unpatched else [])
            server = servers.start("rdflib-endpoint", command, folder / "rdflib-endpoint.log")
            ready = servers.wait_ready(server, base + "/sparql", "POST", b"ASK {}",
                                       {"content-type": "application/sparql-query", "accept": JSON_RESULTS})
            print(f"[rdflib-endpoint] ready in {ready:.1f} s: {base}/sparql "
                  f"({server.log.read_text(errors='replace').strip().splitlines()[0]})", flush=True)
            for scenario in scenarios_on:
                targets[scenario]["rdflib-endpoint"] = Target("rdflib-endpoint", "POST", base + "/sparql",
                                                              queries[scenario].encode())

        # -- same answers?
        import httpx

        print("\nanswers (each scenario sent once to every server; rows compared to the first server's):", flush=True)
        for scenario, by_server in targets.items():
            reference: list[tuple[object, ...]] | None = None
            with httpx.Client(timeout=args.timeout) as client:
                for name, target in by_server.items():
                    t0 = time.perf_counter()
                    try:
                        status, body = send(client, target)
                    except httpx.HTTPError as exc:
                        status, body = 0, f"{type(exc).__name__}: {exc}".encode()
                    elapsed = time.perf_counter() - t0
                    if status != 200:
                        print(f"  {scenario:<13} {name:<19} FAILED, HTTP {status} in {elapsed:.3f} s: {body[:300]!r}")
                        continue
                    _, rows = rows_of(body)
                    verdict = "reference" if reference is None else compare(reference, rows)
                    reference = rows if reference is None else reference
                    print(f"  {scenario:<13} {name:<19} {len(rows):>3} rows, {len(body):>6} bytes, first request "
                          f"{elapsed:.3f} s: {verdict}", flush=True)

        # -- load
        rng = random.Random(args.seed)  # noqa: S311 - the order of the servers, not a secret
        results: dict[tuple[str, str], list[Measure]] = collections.defaultdict(list)
        context = multiprocessing.get_context("spawn")
        with context.Pool(args.clients) as pool:
            for round_ in range(1, args.rounds + 1):
                for scenario, by_server in targets.items():
                    names = list(by_server)
                    rng.shuffle(names)
                    for name in names:
                        duration = args.duration
                        if name == "rdflib-endpoint" and scenario == "cartography":
                            duration = min(duration, args.rdflib_duration)
                        m = measure(pool, by_server[name], args.clients, args.warmup, duration, args.timeout)
                        results[(scenario, name)].append(m)
                        print(f"round {round_}/{args.rounds} {scenario:<13} {name:<19} {m.rps:8.1f} rps  "
                              f"p50 {m.p50 * 1000:8.1f} ms  p99 {m.p99 * 1000:8.1f} ms  {m.requests:>6} requests  "
                              f"{m.errors} errors  client CPU "
                              f"{m.client_cpu_ms:.2f} ms/request  load {os.getloadavg()[0]:.1f}"
                              + (f"  first error: {m.first_error}" if m.errors else ""), flush=True)

        # -- summary
        print(f"\nmedians of {args.rounds} rounds; {args.clients} clients, {args.duration:g} s recorded after "
              f"{args.warmup:g} s warm-up per measurement; rdflib-endpoint on cartography recorded "
              f"{min(args.duration, args.rdflib_duration):g} s")
        header = (f"{'scenario':<13} {'server':<19} {'rps':>9} {'p50 ms':>9} {'p99 ms':>9} {'requests':>9} "
                  f"{'errors':>7} {'client ms/req':>13}")
        print(header)
        medians: dict[tuple[str, str], tuple[float, float, float]] = {}
        for (scenario, name), ms in results.items():
            rps, p50, p99 = (statistics.median(getattr(m, a) for m in ms) for a in ("rps", "p50", "p99"))
            medians[(scenario, name)] = (rps, p50, p99)
            print(f"{scenario:<13} {name:<19} {rps:>9.1f} {p50 * 1000:>9.2f} {p99 * 1000:>9.2f} "
                  f"{sum(m.requests for m in ms):>9} {sum(m.errors for m in ms):>7} "
                  f"{statistics.median(m.client_cpu_ms for m in ms):>13.2f}")
        if args.json:
            args.json.write_text(json.dumps([{"scenario": scenario, "server": name, "rps": m[0], "p50_s": m[1],
                                              "p99_s": m[2]} for (scenario, name), m in medians.items()], indent=1),
                                 encoding="utf-8")  # fmt: skip
        print("\nratios (evalgraph ÷ other): rps > 1 and latency < 1 mean evalgraph is better")
        for scenario in targets:
            for ours in ("evalgraph", EVALGRAPH_NAMED):
                if (scenario, ours) not in medians:
                    continue
                for other in ("oxigraph", "rdflib-endpoint"):
                    if (scenario, other) not in medians:
                        continue
                    a, b = medians[(scenario, ours)], medians[(scenario, other)]
                    print(f"{scenario:<13} {ours + ' / ' + other:<40} rps {a[0] / b[0]:7.3f}×  "
                          f"p50 {a[1] / b[1]:7.3f}×  p99 {a[2] / b[2]:7.3f}×")
    finally:
        servers.stop_all()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"whole run: {time.perf_counter() - started:.0f} s; load average now {os.getloadavg()[0]:.1f} (1 min), "
          f"{os.getloadavg()[1]:.1f} (5 min) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
