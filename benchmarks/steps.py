"""One benchmark step per process, so wall time and peak memory are the step's own.

``python -m benchmarks.steps STEP ARGS...`` — steps:

* ``load DATA STORE`` — Oxigraph bulk load of every file (one named graph each) and
  the ontology into a new on-disk store;
* ``fast STORE OUT.json`` — the fast engine validates and classifies the whole store in
  place (the inferred classification is written to the store);
* ``queries STORE OUT.json`` — every query of the library over the store, each timed in
  its own process as ``cdkg query`` runs it (``query STORE NAME [library|oxigraph]
  [NAME=VALUE...]`` times one; ``oxigraph`` is Oxigraph's own evaluation of the text, for
  comparison); a query with parameters is timed twice: over the whole registry, and
  asked about one item (:data:`TYPICAL`: one initiative, one country, one SDG goal);
* ``stored STORE K`` — the store's first K triples, nothing joined, read as ``cdkg
  query`` reads an answer: what reading K rows of three terms costs, whatever the query
  (``queries`` times it for :data:`STORED_ROWS`);
* ``stock DATA OUT.json`` — the stock path: an rdflib graph of the data and the
  ontology, owlrl RDFS closure and pySHACL with SHACL-AF rules over the same shapes;
* ``stock-partitioned DATA OUT.json [BATCH] [WORKERS]`` — the same stock tools over
  partitions of the registry (batches of initiatives with everything they reach) in
  worker processes, results merged as a set (see :mod:`benchmarks.stock`);
* ``stock-sample DATA OUT.json K [BATCH] [WORKERS] [SEED]`` — the same over the partitions
  of a seeded random sample of K initiatives only; OUT.json also lists the sampled
  initiatives and the nodes of the sampled partitions (whose verdicts the sample decides).

Each verdict-producing step writes the set of (focus node, source shape, severity)
results and the classification of every initiative (IRI, type or null, citizen data or not
or null, verdict: DESIGN Contract 3 revision 2), so the runner can compare them.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox


def _files(data: Path) -> list[Path]:
    return sorted(p for p in data.rglob("*") if p.suffix in (".ttl", ".nt", ".nq"))


def _verdicts(results: Any, classifications: Any) -> dict[str, Any]:
    return {
        "results": sorted([r.focus_node, r.source_shape, r.severity] for r in results),
        "classifications": sorted(classifications),
    }


def load(data: str, store_dir: str) -> dict[str, Any]:
    from cdkg.validate.fast.working_copy import bulk_load

    store = ox.Store(store_dir)
    n = bulk_load(store, _files(Path(data)))
    store.flush()
    return {"files": n, "quads": len(store)}


def fast(store_dir: str, out: str) -> dict[str, Any]:
    from cdkg.validate.fast.working_copy import classify_store

    store = ox.Store(store_dir)
    outcome, found = classify_store(store)
    store.flush()
    verdicts = _verdicts(
        outcome.results,
        [[c.iri, c.initiative_type, c.is_citizen_data, c.verdict] for c in found],
    )
    Path(out).write_text(json.dumps(verdicts), encoding="utf-8")
    return {
        "results": len(outcome.results),
        "violations": sum(1 for r in outcome.results if r.severity.endswith("Violation")),
        "initiatives": len(found),
        "fallback": sorted(str(s) for s in outcome.fallback),
    }


#: A library query taking longer than this is stopped and reported as "> limit".
QUERY_LIMIT = 120.0


def _query_text(name: str) -> str:
    from cdkg.model.resources import data_files

    entry = next(e for e in data_files("queries", ".rq") if e.name == f"{name}.rq")
    text = entry.read_text(encoding="utf-8")
    # A required parameter gets a typical value; optional ones stay unbound (all values).
    if re.search(r"^#\s*param:\s*sdg\b.*required", text, re.M):
        text = re.sub(
            r"\bWHERE\s*\{",
            "WHERE { VALUES ?sdg { <http://metadata.un.org/sdg/5> }",
            text,
            count=1,
        )
    return text


#: The values a query's parameters get when it is asked about one item: the registry's
#: first initiative (see :func:`first_initiative`), Kenya, SDG 5. Parameters not listed
#: (``covered``) stay unbound.
TYPICAL = {"country": "KEN", "sdg": "5"}


def first_initiative(store_dir: str) -> str | None:
    """The IRI of the store's first initiative in IRI order, or None."""
    store = ox.Store.read_only(store_dir)
    rows = store.query(
        "SELECT (MIN(STR(?i)) AS ?first) "
        "WHERE { ?i a <https://w3id.org/cdkg/ontology#Initiative> }",
        use_default_graph_as_union=True,
    )
    first = next(iter(rows), None)  # type: ignore[arg-type]
    value = first["first"] if first is not None else None
    return value.value if value is not None else None


def typical_params(name: str, initiative: str | None, *, required_only: bool = False) -> list[str]:
    """``NAME=VALUE`` pairs asking the library query ``name`` about one item: each of its
    parameters (its required ones only, with ``required_only``) that :data:`TYPICAL` or
    ``initiative`` gives a value."""
    from cdkg.query.library import find

    values = {**TYPICAL, **({"initiative": initiative} if initiative else {})}
    return [
        f"{p.name}={values[p.name]}"
        for p in find(name).parameters
        if p.name in values and (p.required or not required_only)
    ]


def query(store_dir: str, name: str, path: str = "library", *params: str) -> dict[str, Any]:
    """One library query over the store's union default graph, timed.

    ``path`` ``library`` (the default) runs it as ``cdkg query`` does: cdkg's query
    runner (:func:`cdkg.query.library.run_across`) on an :class:`~cdkg.store.EmbeddedStore`
    opened read-only, the answer as rows; ``oxigraph`` lists Oxigraph's own solutions
    of the query text (its ORDER BY included), for comparison. ``params`` (``NAME=VALUE``)
    are bound as ``cdkg query --param`` binds them.
    """
    from cdkg.query.library import bind, find, parse_params

    if params:
        named = find(name)
        text = bind(named.text, parse_params(named, params))
    else:
        text = _query_text(name)
    return _timed(store_dir, text, path)


#: The sizes of answer :func:`stored` times: the scale of the library's largest answers.
STORED_ROWS = (100_000, 1_000_000)


def stored(store_dir: str, rows: str) -> dict[str, Any]:
    """The first ``rows`` stored triples, nothing joined, read as ``cdkg query`` reads an
    answer: what reading that many rows of three terms costs, whatever the query."""
    return _timed(store_dir, f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT {int(rows)}")


def _timed(store_dir: str, text: str, path: str = "library") -> dict[str, Any]:
    from cdkg.query.library import run_across
    from cdkg.store import EmbeddedStore

    started = time.perf_counter()
    if path == "oxigraph":
        raw = ox.Store.read_only(store_dir)
        opened, cpu = time.perf_counter(), time.process_time()
        solutions = raw.query(text, use_default_graph_as_union=True)
        n = len(list(solutions))  # type: ignore[arg-type]
    else:
        store = EmbeddedStore(store_dir, create=False, read_only=True)
        opened, cpu = time.perf_counter(), time.process_time()
        answer = run_across([(store_dir, lambda: store)], text)
        n = len(answer.results.rows)
    done = time.perf_counter()
    return {
        "seconds": round(done - opened, 4),
        "cpu": round(time.process_time() - cpu, 4),
        "rows": n,
        "open": round(opened - started, 4),
    }


def queries(store_dir: str, out: str) -> dict[str, Any]:
    """Every library query, each in its own process with a time limit."""
    import subprocess

    from cdkg.model.resources import data_files

    def timed(name: str, params: list[str]) -> dict[str, Any]:
        return step(["query", store_dir, name, *(["library", *params] if params else [])])

    def step(command: list[str]) -> dict[str, Any]:
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "benchmarks.steps", *command],
                capture_output=True,
                text=True,
                timeout=QUERY_LIMIT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"seconds": None, "timeout": QUERY_LIMIT}
        lines = proc.stdout.strip().splitlines()
        return json.loads(lines[-1]) if lines else {"error": proc.stderr[-200:]}

    initiative = first_initiative(store_dir)
    timings: dict[str, dict[str, Any]] = {}
    for entry in data_files("queries", ".rq"):
        name = entry.name.removesuffix(".rq")
        timings[name] = timed(name, [])
        # the same query asked about one item, as a person mostly asks it
        params = typical_params(name, initiative)
        if params != typical_params(name, initiative, required_only=True):
            timings[name]["one"] = {**timed(name, params), "params": params}
        Path(out).write_text(json.dumps(timings, indent=2), encoding="utf-8")
    done = [t["seconds"] for t in timings.values() if t.get("seconds") is not None]
    slowest = QUERY_LIMIT if any("timeout" in t for t in timings.values()) else max(done, default=0)
    # what an answer of the largest answers' sizes costs, whatever the query
    floor = [step(["stored", store_dir, str(k)]) for k in STORED_ROWS]
    return {"queries": len(timings), "slowest": slowest, "stored": floor}


def _write_verdicts(out: str, verdicts: Any) -> dict[str, Any]:
    results, classifications = verdicts
    Path(out).write_text(
        json.dumps({"results": sorted(results), "classifications": sorted(classifications)}),
        encoding="utf-8",
    )
    return {
        "results": len(results),
        "violations": sum(1 for r in results if r[2].endswith("Violation")),
        "initiatives": len(classifications),
    }


def stock(data: str, out: str) -> dict[str, Any]:
    """The stock path over the whole registry as one graph (see :mod:`benchmarks.stock`)."""
    from benchmarks import stock as path

    return _write_verdicts(out, path.whole_graph(path.read_registry(_files(Path(data)))))


def stock_partitioned(
    data: str, out: str, batch: str = str(25), workers: str = str(2)
) -> dict[str, Any]:
    """The stock path over partitions of the registry in worker processes, merged."""
    from benchmarks import stock as path

    graph = path.read_registry(_files(Path(data)))
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        # OUT.progress says how far a long run is: "done/total partitions, seconds".
        elapsed = time.perf_counter() - started
        Path(f"{out}.progress").write_text(
            f"{done}/{total} partitions, {elapsed:.0f} s\n", encoding="utf-8"
        )

    verdicts, info = path.partitioned(
        graph, batch=int(batch), workers=int(workers), progress=progress
    )
    return {**_write_verdicts(out, verdicts), **info}


def stock_sample(
    data: str, out: str, k: str, batch: str = str(25), workers: str = str(2), seed: str = "0"
) -> dict[str, Any]:
    """The partitioned stock path over the partitions of a sample of ``k`` initiatives."""
    from benchmarks import stock as path
    from cdkg.validate.report import term_text

    started = time.perf_counter()
    graph = path.read_registry(_files(Path(data)))
    parse = time.perf_counter() - started
    groups = path.sample_groups(graph, int(k), int(seed), int(batch))
    (results, classifications), nodes, info = path.sampled(
        graph, int(k), seed=int(seed), batch=int(batch), workers=int(workers)
    )
    summary = _write_verdicts(out, (results, classifications))
    document = json.loads(Path(out).read_text(encoding="utf-8"))
    # Nodes written as the verdicts write focus nodes (term_text: ``_:id`` for a blank node).
    document["sample"] = sorted(str(term_text(r)) for g in groups for r in g)
    document["nodes"] = sorted(str(term_text(n)) for n in nodes)
    Path(out).write_text(json.dumps(document), encoding="utf-8")
    total = len(path.initiatives(graph))
    return {
        **summary,
        **info,
        "registry_initiatives": total,
        "parse_seconds": round(parse, 2),
        "nodes": len(nodes),
    }


STEPS: dict[str, Callable[..., dict[str, Any]]] = {
    "load": load,
    "fast": fast,
    "queries": queries,
    "query": query,
    "stored": stored,
    "stock": stock,
    "stock-partitioned": stock_partitioned,
    "stock-sample": stock_sample,
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in STEPS:
        print(f"usage: python -m benchmarks.steps {{{','.join(STEPS)}}} ARGS...", file=sys.stderr)
        return 2
    info = STEPS[argv[0]](*argv[1:])
    print(json.dumps(info))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
