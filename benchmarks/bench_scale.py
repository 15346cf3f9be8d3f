"""Beyond one machine, in one run: the figures of issue 18's table, each measured beside its baseline.

Runs, one after the other on this machine, and then prints the table with each goal and whether it is met:

* loading (``bench_load.py --no-replace``): ``OxigraphStore.load`` into a new graph (what ``evalgraph load`` runs:
  all or nothing, provenance recorded) against pyoxigraph's ``bulk_load`` and ``oxigraph load`` of the same file, at
  600 establishments (310,936 N-Triples) and 3,000 (1.52 M);
* national queries (``bench_cartography.py --baseline --no-rdflib``): ``category-pathway-matrix`` and
  ``evaluation-gap`` on the on-disk store with the 3,000-establishment data, ``?lang`` bound, against their previous
  texts (``benchmarks/baseline/``), rows checked identical;
* the endpoint (``bench_server.py --only evalgraph oxigraph``): a small SELECT and the cartography query through
  ``evalgraph serve``'s ``/sparql`` against ``oxigraph serve`` on the same data, 4 client processes;
* the command line while ``evalgraph serve`` runs on the same data directory: ``stats`` and ``query evaluation-gap``
  (which then read through the server) against the same commands once the server has stopped (on the store itself).

Usage: ``python benchmarks/bench_scale.py [--repeat 3] [--rounds 3] [--duration 10] [--smoke]`` (``--smoke``: tiny
sizes, seconds, for CI). Needs the bench extra (``pip install -e '.[bench]'``) for Oxigraph's server and loader.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def run(script: str, *options: str) -> None:
    """Run a benchmark of this folder, its output shown as it goes; stop when it fails."""
    command = [PYTHON, str(HERE / script), *options]
    print(f"\n$ {' '.join(command[1:])}", flush=True)
    subprocess.run(command, check=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def timed_command(data_dir: Path, *arguments: str) -> tuple[float, int]:
    """Seconds and exit code of one ``evalgraph`` command on ``data_dir``."""
    start = time.perf_counter()
    done = subprocess.run([PYTHON, "-m", "evalgraph", "--data-dir", str(data_dir), *arguments],
                          capture_output=True, check=False)  # fmt: skip
    return time.perf_counter() - start, done.returncode


def cli_while_serving(folder: Path, repeat: int) -> dict[str, dict[str, object]]:
    """Each command's median seconds and exit codes while ``evalgraph serve`` holds the store, then without it."""
    data_dir = folder / "cli-data"
    subprocess.run([PYTHON, "-m", "evalgraph", "--data-dir", str(data_dir), "init"], check=True, capture_output=True)
    commands = {"stats": ("stats",), "query evaluation-gap": ("query", "evaluation-gap")}
    figures: dict[str, dict[str, object]] = {}
    port = free_port()
    server = subprocess.Popen([PYTHON, "-m", "evalgraph", "--data-dir", str(data_dir), "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        for _ in range(600):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        for name, arguments in commands.items():
            runs = [timed_command(data_dir, *arguments) for _ in range(repeat)]
            figures[name] = {"serving_s": statistics.median(t for t, _ in runs), "serving_exit": [c for _, c in runs]}
    finally:
        server.terminate()
        server.wait(timeout=60)
    for name, arguments in commands.items():
        runs = [timed_command(data_dir, *arguments) for _ in range(repeat)]
        figures[name] |= {"alone_s": statistics.median(t for t, _ in runs), "alone_exit": [c for _, c in runs]}
    return figures


def parser() -> argparse.ArgumentParser:
    """The command's options (tests/test_docs_commands.py parses the commands of docs/benchmarks.md with it)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per load and per command (median)")
    parser.add_argument("--query-repeat", type=int, default=7, help="runs per national query (median)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the endpoint measure (median)")
    parser.add_argument("--duration", type=float, default=10.0, help="recorded seconds per endpoint measure")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes and durations: a check that it runs")
    return parser


def row(measure: str, now: str, goal: str, met: bool) -> str:
    return f"| {measure} | {now} | {goal} | {'yes' if met else '**no**'} |"


def main() -> None:
    args = parser().parse_args()
    started = time.perf_counter()
    small, large = (20, 60) if args.smoke else (600, 3000)
    rounds, duration = (1, 1.0) if args.smoke else (args.rounds, args.duration)
    with tempfile.TemporaryDirectory(prefix="evalgraph-bench-scale-") as tmp:
        folder = Path(tmp)
        out = {name: folder / f"{name}.json" for name in ("load", "queries", "server")}
        run("bench_load.py", "--establishments", str(small), str(large), "--repeat", str(args.repeat), "--no-replace",
            "--json", str(out["load"]))
        run("bench_cartography.py", "--establishments", str(large), "--queries", "category-pathway-matrix",
            "evaluation-gap", "--baseline", "--no-rdflib", "--repeat", str(args.query_repeat),
            "--json", str(out["queries"]))
        run("bench_server.py", "--only", "evalgraph", "oxigraph", "small-select", "cartography", "--rounds",
            str(rounds), "--duration", str(duration), "--warmup", "1" if args.smoke else "2",
            "--json", str(out["server"]))
        cli = cli_while_serving(folder, args.repeat)
        loads = json.loads(out["load"].read_text(encoding="utf-8"))
        national = json.loads(out["queries"].read_text(encoding="utf-8"))
        server = {(m["scenario"], m["server"]): m for m in json.loads(out["server"].read_text(encoding="utf-8"))}
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nissue 18's table, measured in this run ({time.perf_counter() - started:.0f} s; load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)\n")
    print("| measure | now | goal | met |\n|---|---|---|---|")
    for load in loads:
        rate, ratio = load["triples"] / load["evalgraph_s"], load["bulk_load_s"] / load["evalgraph_s"]
        print(row(f"`evalgraph load`, {load['triples']:,} N-Triples, new graph",
                  f"{load['evalgraph_s']:.2f} s = {rate / 1000:,.0f}k triples/s; `bulk_load` {load['bulk_load_s']:.2f} s, "
                  f"`oxigraph load` {load['oxigraph_load_s']:.2f} s: {ratio:.2f}×",
                  "≥ 200k triples/s, ≥ 0.5× `bulk_load`" if load is loads[0] else "under 10 s",
                  ratio >= 0.5 and (rate >= 200_000 if load is loads[0] else load["evalgraph_s"] < 10)))  # fmt: skip
    for query in national["baseline"]:
        print(row(f"`{query['query']}` ({query['lang']}), {national['quads']:,} quads, on disk",
                  f"{query['named_s']:.3f} s (previous text {query['old_text_s']:.3f} s); rows identical: "
                  f"{'yes' if query['identical'] else 'NO'}", "≤ 0.3 s, parameters bound, same rows",
                  query["named_s"] <= 0.3 and bool(query["identical"])))  # fmt: skip
    for scenario, goal in (("small-select", 0.5), ("cartography", 0.9)):
        ours, theirs = server[(scenario, "evalgraph")], server[(scenario, "oxigraph")]
        ratio = ours["rps"] / theirs["rps"]
        print(row(f"{scenario} through `/sparql`, 4 clients", f"{ratio:.2f}× `oxigraph serve` ({ours['rps']:,.0f} vs "
                  f"{theirs['rps']:,.0f} req/s)", f"≥ {goal}×, with the timeout kept", ratio >= goal))  # fmt: skip
    for name, figures in cli.items():
        works = set(figures["serving_exit"]) == {0} and set(figures["alone_exit"]) == {0}
        print(row(f"`evalgraph {name}` while `serve` runs", f"exit {figures['serving_exit']}, "
                  f"{figures['serving_s']:.2f} s (alone {figures['alone_s']:.2f} s)", "works", works))  # fmt: skip


if __name__ == "__main__":
    main()
