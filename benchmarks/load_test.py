"""Bounded load test of ``cdkg serve`` on loopback (not part of the test suite).

Loads the examples into a fresh store, starts ``cdkg serve`` on 127.0.0.1, then runs N
concurrent clients for S seconds, each picking at random: an HTML page, an RDF
representation, a SPARQL query, or a POST /validate. Reports throughput, p50/p99 latency
and errors per kind, as JSON and Markdown::

    python -m benchmarks.load_test --clients 32 --seconds 30 --out build/load-test

An error is a transport failure or any 5xx answer (4xx answers to bad input are expected
and counted apart).
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/cdkg/examples/"
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "SELECT ?i ?t WHERE { ?i a <https://w3id.org/cdkg/ontology#Initiative> ; "
    "<http://purl.org/dc/terms/title> ?t } ORDER BY ?t",
    "SELECT ?type (COUNT(?i) AS ?n) WHERE { ?i <https://w3id.org/cdkg/ontology#initiativeType> "
    "?type } GROUP BY ?type",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 500",
]
DESCRIPTION = """@prefix cdkg: <https://w3id.org/cdkg/ontology#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://example.org/i> a cdkg:Initiative ; dct:title "Load test" ;
    cdkg:initiatedBy <https://example.org/a> .
<https://example.org/a> a cdkg:Community .
"""


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    client_errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, seconds: float, status: int | None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if status is None or status >= 500:
                self.errors[kind] = self.errors.get(kind, 0) + 1
            elif status >= 400:
                self.client_errors[kind] = self.client_errors.get(kind, 0) + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _request(client: httpx.Client, rng: random.Random, pages: list[str]) -> tuple[str, int]:
    kind = rng.choices(["page", "rdf", "sparql", "validate"], weights=[4, 2, 3, 1])[0]
    if kind == "page":
        r = client.get(rng.choice(pages))
    elif kind == "rdf":
        r = client.get(rng.choice(pages), headers={"Accept": "text/turtle"})
    elif kind == "sparql":
        r = client.post(
            "/sparql",
            data={"query": rng.choice(QUERIES)},
            headers={"Accept": "application/sparql-results+json, text/turtle"},
        )
    else:
        r = client.post("/validate", content=DESCRIPTION, headers={"Content-Type": "text/turtle"})
    return kind, r.status_code


def run(clients: int, seconds: float, out: Path) -> dict[str, object]:
    work = Path(tempfile.mkdtemp(prefix="cdkg-load-test-"))
    store = work / "store"
    cdkg = [sys.executable, "-m", "cdkg"]
    subprocess.run([*cdkg, "load", str(REPO / "examples"), "--store", str(store),
                    "--no-progress"], check=True, capture_output=True)  # fmt: skip
    port = _free_port()
    server = subprocess.Popen(
        [*cdkg, "serve", "--store", str(store), "--base-iri", BASE, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/", timeout=2)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start") from None
                time.sleep(0.2)
        found = httpx.post(
            url + "/sparql",
            data={"query": "SELECT ?i WHERE { ?i a <https://w3id.org/cdkg/ontology#Initiative> }"},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        ).json()["results"]["bindings"]
        pages = ["/", "/dashboard"] + [
            "/" + row["i"]["value"].removeprefix(BASE)
            for row in found
            if row["i"]["value"].startswith(BASE)
        ]
        tally = Tally()
        stop = time.monotonic() + seconds

        def client_loop(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=url, timeout=30, follow_redirects=True) as client:
                while time.monotonic() < stop:
                    started = time.monotonic()
                    try:
                        kind, status = _request(client, rng, pages)
                        tally.record(kind, time.monotonic() - started, status)
                    except httpx.HTTPError:
                        tally.record("transport", time.monotonic() - started, None)

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        server.terminate()
        server.wait(timeout=30)

    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    everything = [v for vs in tally.latencies.values() for v in vs]
    by_kind = {
        kind: {
            "requests": len(vs),
            "p50_ms": round(pct(vs, 0.50), 1),
            "p99_ms": round(pct(vs, 0.99), 1),
            "errors": tally.errors.get(kind, 0),
        }
        for kind, vs in sorted(tally.latencies.items())
    }
    report: dict[str, object] = {
        "clients": clients,
        "seconds": round(elapsed, 1),
        "requests": len(everything),
        "throughput_per_s": round(len(everything) / elapsed, 1),
        "p50_ms": round(pct(everything, 0.50), 1),
        "p99_ms": round(pct(everything, 0.99), 1),
        "mean_ms": round(statistics.fmean(everything) * 1000, 1) if everything else 0,
        "errors": sum(tally.errors.values()),
        "client_errors_4xx": sum(tally.client_errors.values()),
        "by_kind": by_kind,
    }
    out.mkdir(parents=True, exist_ok=True)
    (out / "load-test.json").write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    rows = [
        f"| {k} | {v['requests']} | {v['p50_ms']} | {v['p99_ms']} | {v['errors']} |"
        for k, v in by_kind.items()
    ]
    (out / "load-test.md").write_text(
        f"# Load test: {clients} clients for {report['seconds']} s on loopback\n\n"
        f"{report['requests']} requests, {report['throughput_per_s']} per second, "
        f"p50 {report['p50_ms']} ms, p99 {report['p99_ms']} ms, "
        f"{report['errors']} errors (5xx or transport).\n\n"
        "| kind | requests | p50 ms | p99 ms | errors |\n|---|---|---|---|---|\n"
        + "\n".join(rows)
        + "\n",
        "utf-8",
    )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=REPO / "build" / "load-test")
    args = parser.parse_args(argv)
    report = run(args.clients, args.seconds, args.out)
    print(json.dumps(report, indent=2))
    return 0 if report["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
