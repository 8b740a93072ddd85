"""The registry-scale benchmark, in one command.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--stock-sizes 1000,10000]
                             [--whole-stock-sizes 1000] [--stock-sample 500]
                             [--out build/bench] [--seed 0]
                             [--stock-timeout 3600] [--cli-limit 900]

For each size N it generates a synthetic registry (``cdkg bench generate``), then runs
each step in its own process, measuring wall time and peak memory (``ru_maxrss`` from
``os.wait4``: the largest of that process and the workers it waited for):

* the end-to-end headline, the user's command ``cdkg load DIR --store NEW --engine fast``
  (skipped, saying so, where the run at the previous size projects beyond ``--cli-limit``);
* the separate steps: load (Oxigraph bulk load, one named graph per file), validate +
  classify with the fast engine over the store, every query of the library, and
  ``cdkg publish``;
* at the stock sizes, the stock path (rdflib + owlrl RDFS + pySHACL with SHACL-AF over
  the same ontology and shapes) over partitions of the registry in two processes
  (:mod:`benchmarks.stock`), and the comparison of its verdicts with the fast engine's:
  the set of (focus node, source shape, severity) and the classification of every
  initiative must be identical, or the first differences are listed. Above
  ``--stock-sample K`` initiatives (default 500; 0: never), it runs over the partitions of
  a seeded random sample of K initiatives only: its time is projected to N (what it paid
  once plus its validation time × N / K, labelled as projected), and the verdicts are
  compared on the nodes of the sampled partitions (:func:`compare_sample`);
* at the whole-stock sizes, after everything else, the stock path over the whole registry
  as one graph, compared with the partitioned one (and with the fast engine).

Writes ``results.json``, ``results.md`` (Markdown tables) and ``time-vs-n.svg``, after
every step. ``python -c "from benchmarks.run import render; render('build/bench')"``
rewrites the table and plot from ``results.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.plot import svg_plot

ROOT = Path(__file__).resolve().parent.parent


def measure(cmd: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``cmd``; its wall time, CPU time, peak resident memory, exit code and last
    output line.

    The child is reaped with ``os.wait4``, whose resource usage is that process's own
    (``ru_maxrss``, KiB on Linux; user and system seconds of all its threads), so every
    step's CPU time and peak memory are measured separately.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, cwd=ROOT)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if timeout is not None and time.perf_counter() - started > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"ok": False, "timeout": True, "seconds": round(timeout, 2)}
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        lines = [line for line in out.read().splitlines() if line.strip()]
        errors = err.read().strip().splitlines()
    info: dict[str, Any] = {}
    if lines:
        try:
            info = json.loads(lines[-1])
        except json.JSONDecodeError:
            info = {"output": lines[-1][:200]}
    result: dict[str, Any] = {
        "ok": proc.returncode == 0,
        "exit": proc.returncode,
        "seconds": round(seconds, 2),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2),
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        **(info if isinstance(info, dict) else {}),
    }
    if proc.returncode != 0:
        result["error"] = (errors or [""])[-1][:300]
    return result


def python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


#: Differences listed in full when two verdict sets differ.
SHOW_DIFFERENCES = 20


def compare(
    first: Path, second: Path, names: tuple[str, str] = ("fast", "stock")
) -> dict[str, Any]:
    """Compare two verdict files: identical, or how they differ (the first differences)."""
    a = json.loads(first.read_text())
    b = json.loads(second.read_text())
    ar = {tuple(r) for r in a["results"]}
    br = {tuple(r) for r in b["results"]}
    ac = {tuple(c) for c in a["classifications"]}
    bc = {tuple(c) for c in b["classifications"]}
    differences: list[dict[str, Any]] = []
    for kind, x, y in (("result", ar, br), ("classification", ac, bc)):
        for name, only in ((names[0], x - y), (names[1], y - x)):
            differences += [{"only_in": name, kind: list(item)} for item in sorted(only)]
    return {
        "compared": list(names),
        "identical": ar == br and ac == bc,
        f"results_only_{names[0]}": len(ar - br),
        f"results_only_{names[1]}": len(br - ar),
        "classifications_differing": len(ac ^ bc),
        "results": len(ar),
        "initiatives": len(ac),
        "differences": differences[:SHOW_DIFFERENCES],
    }


def compare_sample(fast: Path, sample: Path) -> dict[str, Any]:
    """Compare the fast engine's verdicts with a sampled stock run's, on the sample.

    Both sides are restricted to the nodes of the sampled partitions' data triples: a
    node's verdicts are the same in any partition holding it as in the whole graph (the
    argument in :mod:`benchmarks.stock`), so the fast engine's results about those nodes
    and its classifications of those that are initiatives must be exactly the sample's.
    Focus nodes are compared as text, as :func:`compare` does.
    """
    a = json.loads(fast.read_text())
    b = json.loads(sample.read_text())
    nodes = set(b["nodes"])
    ar = {tuple(r) for r in a["results"] if r[0] in nodes}
    br = {tuple(r) for r in b["results"] if r[0] in nodes}
    ac = {tuple(c) for c in a["classifications"] if c[0] in nodes}
    bc = {tuple(c) for c in b["classifications"] if c[0] in nodes}
    differences: list[dict[str, Any]] = []
    for kind, x, y in (("result", ar, br), ("classification", ac, bc)):
        for name, only in (("fast", x - y), ("stock", y - x)):
            differences += [{"only_in": name, kind: list(item)} for item in sorted(only)]
    sampled = set(b["sample"])
    return {
        "compared": ["fast", "stock"],
        "sample": len(sampled),
        "nodes": len(nodes),
        "identical": ar == br and ac == bc,
        "results_only_fast": len(ar - br),
        "results_only_stock": len(br - ar),
        # Stock results outside the nodes would be a bug of the sample, not a difference.
        "stock_results_outside_sample": len(b["results"]) - len(br),
        "classifications_differing": len(ac ^ bc),
        "sampled_initiatives_classified": len({c[0] for c in ac & bc} & sampled),
        "results": len(ar),
        "initiatives": len(ac),
        "differences": differences[:SHOW_DIFFERENCES],
    }


def project_sample(stock: dict[str, Any], n: int) -> float:
    """Seconds the full partitioned stock run would take at ``n``, from a sampled run:
    what it paid once (start-up, parsing, cutting partitions) plus its validation time
    scaled to every initiative (``validate_seconds`` × n / sample)."""
    once = float(stock["seconds"]) - float(stock["validate_seconds"])
    return once + float(stock["validate_seconds"]) * n / int(stock["sample"])


def projected(done: dict[int, dict[str, Any]], n: int) -> float | None:
    """Seconds projected for a step at ``n`` from its largest smaller run (linear in N)."""
    smaller = [m for m in done if m < n]
    if not smaller:
        return None
    m = max(smaller)
    return float(done[m]["seconds"]) * n / m


def limited(
    cmd: list[str], n: int, done: dict[int, dict[str, Any]], limit: float
) -> dict[str, Any]:
    """Measure ``cmd`` with a time limit, or skip it, saying so, where its run at a smaller
    size projects beyond the limit; ``done`` records the runs of this step by size."""
    guess = projected(done, n)
    if guess is not None and guess > limit:
        if guess == float("inf"):
            why = f"timed out at {max(m for m in done if m < n):,}"
        else:
            why = f"projected {guess:.0f} s > limit {limit:.0f} s"
        return {"ok": False, "skipped": why}
    result = measure(cmd, timeout=limit)
    if result.get("ok") or result.get("timeout"):
        done[n] = result if result.get("ok") else {"seconds": float("inf")}
    return result


def save(report: dict[str, Any], out: Path) -> None:
    """Write results.json, results.md and the plot (after every step, so a run that is
    stopped part-way still leaves what it measured)."""
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(markdown(report), encoding="utf-8")
    (out / "time-vs-n.svg").write_text(svg_plot(report), encoding="utf-8")


def _speedups(entry: dict[str, Any]) -> None:
    """Speed-ups of the headline end-to-end against each stock path measured."""
    e2e = entry.get("end_to_end_seconds")
    if not e2e:
        return
    for key in ("stock", "stock_whole"):
        st = entry.get(key)
        if not st:
            continue
        if st.get("ok") and st.get("projected_seconds"):
            entry[f"speedup_{key}_projected"] = round(st["projected_seconds"] / e2e, 1)
        elif st.get("ok"):
            entry[f"speedup_{key}"] = round(st["seconds"] / e2e, 1)
        elif st.get("timeout"):
            entry[f"speedup_{key}_at_least"] = round(st["seconds"] / e2e, 1)


def _stock(
    args: argparse.Namespace, report: dict[str, Any], n: int, variant: str, out: Path
) -> None:
    """Run one stock variant at ``n`` and compare its verdicts."""
    entry = report["sizes"][str(n)]
    work = out / f"n{n}"
    data = work / "data"
    sample = args.stock_sample
    if variant == "partitioned" and sample and n > sample:
        print(f"N={n}: stock path, partitioned, over a sample of {sample}", file=sys.stderr)
        target = work / "stock-sample-verdicts.json"
        cmd = python("benchmarks.steps", "stock-sample", str(data), str(target), str(sample),
                     str(args.stock_batch), str(args.stock_workers), str(args.seed))  # fmt: skip
        key = "stock"
    elif variant == "partitioned":
        print(f"N={n}: stock path, partitioned (rdflib + owlrl + pySHACL)", file=sys.stderr)
        target = work / "stock-verdicts.json"
        cmd = python("benchmarks.steps", "stock-partitioned", str(data), str(target),
                     str(args.stock_batch), str(args.stock_workers))  # fmt: skip
        key = "stock"
    else:
        print(f"N={n}: stock path, whole graph (rdflib + owlrl + pySHACL)", file=sys.stderr)
        target = work / "stock-whole-verdicts.json"
        cmd = python("benchmarks.steps", "stock", str(data), str(target))
        key = "stock_whole"
    entry[key] = measure(cmd, timeout=args.stock_timeout)
    fast_json = work / "fast-verdicts.json"
    if entry[key].get("ok") and entry[key].get("sample"):
        entry[key]["projected_seconds"] = round(project_sample(entry[key], n), 1)
        if fast_json.exists():
            entry["verdicts"] = compare_sample(fast_json, target)
    elif entry[key].get("ok"):
        if key == "stock" and fast_json.exists():
            entry["verdicts"] = compare(fast_json, target, ("fast", "stock"))
        if key == "stock_whole":
            partitioned = work / "stock-verdicts.json"
            if partitioned.exists():
                entry["verdicts_stock_paths"] = compare(
                    partitioned, target, ("stock-partitioned", "stock-whole")
                )
            if fast_json.exists():
                entry["verdicts_whole"] = compare(fast_json, target, ("fast", "stock-whole"))
    _speedups(entry)
    save(report, out)


def run(args: argparse.Namespace) -> dict[str, Any]:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {
        "command": " ".join(["python -m benchmarks.run", *sys.argv[1:]]),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_at_start": os.getloadavg(),
        },
        "sizes": {},
    }
    cli_done: dict[int, dict[str, Any]] = {}
    publish_done: dict[int, dict[str, Any]] = {}
    for n in args.sizes:
        work = out / f"n{n}"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        data, store = work / "data", work / "store"
        steps: dict[str, Any] = {}
        entry: dict[str, Any] = {"steps": steps}
        report["sizes"][str(n)] = entry
        print(f"N={n}: generating", file=sys.stderr)
        steps["generate"] = measure(
            [sys.executable, "-m", "cdkg", "bench", "generate", "--initiatives", str(n),
             "--seed", str(args.seed), "--out", str(data)]
        )  # fmt: skip
        print(f"N={n}: cdkg load --engine fast (the user's command)", file=sys.stderr)
        steps["cli_load"] = limited(
            [sys.executable, "-m", "cdkg", "load", str(data), "--store",
             str(work / "cli-store"), "--engine", "fast"],
            n, cli_done, args.cli_limit,
        )  # fmt: skip
        shutil.rmtree(work / "cli-store", ignore_errors=True)
        save(report, out)
        print(f"N={n}: load", file=sys.stderr)
        steps["load"] = measure(python("benchmarks.steps", "load", str(data), str(store)))
        print(f"N={n}: validate + classify (fast engine)", file=sys.stderr)
        fast_json = work / "fast-verdicts.json"
        steps["validate_classify"] = measure(
            python("benchmarks.steps", "fast", str(store), str(fast_json))
        )
        entry["steps_seconds"] = round(
            steps["load"]["seconds"] + steps["validate_classify"]["seconds"], 2
        )
        cli = steps["cli_load"]
        entry["end_to_end_seconds"] = cli["seconds"] if cli.get("ok") else None
        save(report, out)
        print(f"N={n}: queries", file=sys.stderr)
        steps["queries"] = measure(
            python("benchmarks.steps", "queries", str(store), str(work / "queries.json"))
        )
        if (work / "queries.json").exists():
            steps["queries"]["each"] = json.loads((work / "queries.json").read_text())
        print(f"N={n}: publish", file=sys.stderr)
        steps["publish"] = limited(
            [sys.executable, "-m", "cdkg", "publish", "--store", str(store),
             "--out", str(work / "site"), "--base-iri", "https://registry.example.org/"],
            n, publish_done, args.publish_limit,
        )  # fmt: skip
        shutil.rmtree(work / "site", ignore_errors=True)
        save(report, out)
        if n in args.stock_sizes:
            _stock(args, report, n, "partitioned", out)
        if not args.keep:
            shutil.rmtree(store, ignore_errors=True)
            if n not in args.whole_stock_sizes:
                shutil.rmtree(data, ignore_errors=True)
    # The whole-graph stock path is the slowest step by far and only proves the partitioned
    # one right: it runs last, so every other figure is in the results first.
    for n in args.whole_stock_sizes:
        if n in args.sizes:
            _stock(args, report, n, "whole", out)
            if not args.keep:
                shutil.rmtree(out / f"n{n}" / "data", ignore_errors=True)
    save(report, out)
    return report


def _cell(step: dict[str, Any] | None) -> str:
    if not step:
        return "–"
    if step.get("skipped"):
        return f"skipped ({step['skipped']})"
    if step.get("timeout"):
        return f"> {step['seconds']:.0f} s (timeout)"
    if not step.get("ok"):
        return f"failed (exit {step.get('exit')})"
    cpu = f" ({step['cpu_seconds']:.0f} CPU-s)" if step.get("cpu_seconds") else ""
    mem = f" / {step['peak_mib']:.0f} MiB" if step.get("peak_mib") else ""
    return f"{step['seconds']:.1f} s{cpu}{mem}"


def _stock_cell(step: dict[str, Any] | None, n: int) -> str:
    if not (step and step.get("ok") and step.get("sample")):
        return _cell(step)
    return (
        f"sample of {step['sample']:,}: {step['seconds']:.0f} s → projected "
        f"{step['projected_seconds']:,.0f} s for {n:,} (fixed costs + validation rate × N)"
    )


def _speed(e: dict[str, Any], key: str) -> str:
    if f"speedup_{key}_projected" in e:
        k = e[key]["sample"]
        return f"{e[f'speedup_{key}_projected']}× (projected from a {k:,}-initiative sample)"
    if f"speedup_{key}" in e:
        return f"{e[f'speedup_{key}']}×"
    if f"speedup_{key}_at_least" in e:
        return f"≥ {e[f'speedup_{key}_at_least']}×"
    return "–"


def _verdict(v: dict[str, Any] | None) -> str:
    if not v:
        return "–"
    if v["identical"] and "sample" in v:
        return (
            f"identical on a {v['sample']:,}-initiative sample ({v['results']:,} results, "
            f"{v['initiatives']:,} classifications)"
        )
    if v["identical"]:
        return "identical"
    a, b = v["compared"]
    return (
        f"**DIFFERENT**: {v[f'results_only_{a}']} results only {a}, "
        f"{v[f'results_only_{b}']} only {b}, {v['classifications_differing']} "
        "classifications differ (listed below)"
    )


def _slowest(q: dict[str, Any]) -> str:
    each = q.get("each") or {}
    over = sorted(k for k, t in each.items() if t.get("seconds") is None or t["seconds"] >= 1)
    if not (q.get("ok") and q.get("queries")):
        return "–"
    slowest = f"{q['slowest']:.2f} s"
    if any("timeout" in t for t in each.values()):
        slowest = f"> {q['slowest']:.0f} s"
    if over:
        slowest += f" ({len(over)} of {len(each)} ≥ 1 s)"
    return slowest


def _seconds(t: dict[str, Any] | None) -> str:
    if not t:
        return "–"
    if t.get("seconds") is None:
        return f"> {t['timeout']:.0f} s" if "timeout" in t else "failed"
    return f"{t['seconds']:.2f} s ({t.get('rows', 0):,} rows)"


def _query_table(report: dict[str, Any]) -> list[str]:
    """Each library query at the largest size that ran them: over the whole registry,
    and asked about one item where it takes a parameter."""
    timed = [
        (n, e["steps"]["queries"])
        for n, e in report["sizes"].items()
        if (e["steps"].get("queries") or {}).get("each")
    ]
    if not timed:
        return []
    n, step = timed[-1]
    each = step["each"]
    lines = [
        "",
        f"Each library query at {int(n):,} initiatives, as `cdkg query` runs it (its own "
        "process; time from the store opened to the rows in hand, sorted). *One item*: "
        "the same query with its parameter bound to the registry's first initiative, "
        "Kenya (`country=KEN`) or SDG 5 (`citizen-data-by-sdg` needs one, so it always "
        "has it):",
        "",
        "| query | whole registry | one item | parameters |",
        "|---|---:|---:|---|",
    ]
    for name, t in sorted(each.items(), key=lambda kv: -(kv[1].get("seconds") or 1e9)):
        one = t.get("one")
        params = ", ".join(f"`{p.split('=')[0]}`" for p in one["params"]) if one else ""
        lines.append(f"| `{name}` | {_seconds(t)} | {_seconds(one)} | {params} |")
    stored = [t for t in step.get("stored") or [] if t.get("seconds") is not None]
    if stored:
        lines += [
            "",
            "For scale, the store's first triples, nothing joined, read as `cdkg query` "
            "reads an answer (what reading rows of three terms costs, whatever the query): "
            + ", ".join(f"{t['rows']:,} rows in {t['seconds']:.2f} s" for t in stored)
            + ".",
        ]
    return lines


def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    load = ", ".join(f"{x:.1f}" for x in machine["load_average_at_start"])
    lines = [
        f"Command: `{report['command']}`  ",
        f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, "
        f"load average at start {load}",
        "",
        "End to end is the user's command, `cdkg load DIR --store NEW --engine fast` "
        "(parse, load, validate, classify, write the classification). The stock path is "
        "rdflib + owlrl RDFS + pySHACL (SHACL-AF) over the same ontology and shapes, over "
        "partitions of the registry in 2 processes (*partitioned*) or as one graph (*whole*). "
        "Where it says *sample*, the partitioned stock path ran over the partitions of a "
        "seeded random sample of initiatives only: its time is projected to the whole "
        "registry (what it paid once, plus its validation time × N / sample), and the "
        "verdicts are compared on the nodes of the sampled partitions.",
        "",
        "CPU-s is the step's user and system time over all its threads: on a machine of "
        f"{machine['cpus']} CPUs a step cannot take less wall time than its CPU-s / "
        f"{machine['cpus']}.",
        "",
        "| initiatives | end to end: `cdkg load --engine fast` | stock, partitioned "
        "| speed-up | verdicts (fast vs stock) | stock, whole graph | speed-up (whole) "
        "| verdicts (partitioned vs whole) |",
        "|---:|---:|---:|---:|---|---:|---:|---|",
    ]
    for n, e in report["sizes"].items():
        s = e["steps"]
        lines.append(
            f"| {int(n):,} | {_cell(s.get('cli_load'))} | {_stock_cell(e.get('stock'), int(n))} "
            f"| {_speed(e, 'stock')} | {_verdict(e.get('verdicts'))} "
            f"| {_cell(e.get('stock_whole'))} | {_speed(e, 'stock_whole')} "
            f"| {_verdict(e.get('verdicts_stock_paths'))} |"
        )
    lines += [
        "",
        "The separate steps (each in its own process; time / peak memory):",
        "",
        "| initiatives | generate | load (bulk) | validate + classify | load + validate + "
        "classify | slowest query | publish |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n, e in report["sizes"].items():
        s = e["steps"]
        total = e.get("steps_seconds")
        lines.append(
            f"| {int(n):,} | {_cell(s.get('generate'))} | {_cell(s.get('load'))} "
            f"| {_cell(s.get('validate_classify'))} "
            f"| {f'{total:.1f} s' if total is not None else '–'} "
            f"| {_slowest(s.get('queries', {}))} | {_cell(s.get('publish'))} |"
        )
    lines += _query_table(report)
    for n, e in report["sizes"].items():
        for key in ("verdicts", "verdicts_stock_paths", "verdicts_whole"):
            v = e.get(key)
            if v and not v["identical"]:
                lines += ["", f"Differences at {int(n):,} ({' vs '.join(v['compared'])}, "
                          f"first {SHOW_DIFFERENCES}):", ""]  # fmt: skip
                lines += [f"- only {d['only_in']}: {json.dumps(d)}" for d in v["differences"]]
    return "\n".join(lines) + "\n"


def render(folder: str) -> None:
    """Rewrite ``results.md`` and the plot from ``results.json`` (e.g. after editing it)."""
    report = json.loads((Path(folder) / "results.json").read_text(encoding="utf-8"))
    (Path(folder) / "results.md").write_text(markdown(report), encoding="utf-8")
    (Path(folder) / "time-vs-n.svg").write_text(svg_plot(report), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__)

    def sizes(text: str) -> list[int]:
        return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]

    p.add_argument("--sizes", type=sizes, default=[1000, 10000, 100000])
    p.add_argument(
        "--stock-sizes",
        type=sizes,
        default=[1000, 10000],
        help="sizes at which the partitioned stock path runs (verdicts compared with fast)",
    )
    p.add_argument(
        "--whole-stock-sizes",
        type=sizes,
        default=[],
        help="sizes at which the whole-graph stock path also runs, after everything else "
        "(verdicts compared with the partitioned stock path); slow: 816 s at 1000",
    )
    p.add_argument(
        "--stock-sample",
        type=int,
        default=500,
        help="at a stock size above this, run the partitioned stock path over a seeded "
        "random sample of this many initiatives, project its time and compare verdicts on "
        "the sample; 0 runs it over the whole registry at every size",
    )
    p.add_argument("--stock-batch", type=int, default=25, help="initiatives per partition")
    p.add_argument("--stock-workers", type=int, default=2)
    p.add_argument(
        "--cli-limit",
        type=float,
        default=900.0,
        help="time limit of `cdkg load --engine fast`; skipped at a size where the run at "
        "the previous size projects (linearly) beyond it",
    )
    p.add_argument(
        "--publish-limit",
        type=float,
        default=1800.0,
        help="time limit of `cdkg publish`, skipped likewise where projected beyond it",
    )
    p.add_argument("--out", default="build/bench")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--stock-timeout", type=float, default=3600.0)
    p.add_argument("--keep", action="store_true", help="keep generated data and stores")
    args = p.parse_args(argv)
    args.sizes = sorted(args.sizes)
    report = run(args)
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
