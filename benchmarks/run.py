"""The registry-scale benchmark, in one command.

    python -m benchmarks.run [--sizes 1000,10000,100000] [--stock-sizes 1000,10000]
                             [--out build/bench] [--seed 0] [--stock-timeout 3600]

For each size N it generates a synthetic registry (``cdkg bench generate``), then runs
each step in its own process, measuring wall time and peak memory (``ru_maxrss`` of
that process): load (Oxigraph bulk load, one named graph per file), validate +
classify with the fast engine over the store, every query of the library, and
``cdkg publish`` where this version has it. At the stock sizes it also runs the stock
path (rdflib graph + owlrl RDFS + pySHACL with SHACL-AF over the same ontology and
shapes) and compares verdicts: the set of (focus node, source shape, severity) and the
classification of every initiative must be identical.

Writes ``results.json``, ``results.md`` (a Markdown table) and ``time-vs-n.svg``.
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
    """Run ``cmd``; its wall time, peak resident memory, exit code and last output line.

    The child is reaped with ``os.wait4``, whose resource usage is that process's own
    (``ru_maxrss``, KiB on Linux), so every step's peak memory is measured separately.
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
        "peak_mib": round(usage.ru_maxrss / 1024, 1),
        **(info if isinstance(info, dict) else {}),
    }
    if proc.returncode != 0:
        result["error"] = (errors or [""])[-1][:300]
    return result


def python(*args: str) -> list[str]:
    return [sys.executable, "-m", *args]


def compare(fast_file: Path, stock_file: Path) -> dict[str, Any]:
    fast = json.loads(fast_file.read_text())
    stock = json.loads(stock_file.read_text())
    fr = {tuple(r) for r in fast["results"]}
    sr = {tuple(r) for r in stock["results"]}
    fc = {tuple(c) for c in fast["classifications"]}
    sc = {tuple(c) for c in stock["classifications"]}
    return {
        "identical": fr == sr and fc == sc,
        "results_only_fast": len(fr - sr),
        "results_only_stock": len(sr - fr),
        "classifications_differing": len(fc ^ sc),
        "results": len(fr),
        "initiatives": len(fc),
    }


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
    for n in args.sizes:
        work = out / f"n{n}"
        if work.exists():
            shutil.rmtree(work)
        work.mkdir(parents=True)
        data, store = work / "data", work / "store"
        steps: dict[str, Any] = {}
        print(f"N={n}: generating", file=sys.stderr)
        steps["generate"] = measure(
            [sys.executable, "-m", "cdkg", "bench", "generate", "--initiatives", str(n),
             "--seed", str(args.seed), "--out", str(data)]
        )  # fmt: skip
        print(f"N={n}: load", file=sys.stderr)
        steps["load"] = measure(python("benchmarks.steps", "load", str(data), str(store)))
        print(f"N={n}: validate + classify (fast engine)", file=sys.stderr)
        fast_json = work / "fast-verdicts.json"
        steps["validate_classify"] = measure(
            python("benchmarks.steps", "fast", str(store), str(fast_json))
        )
        print(f"N={n}: queries", file=sys.stderr)
        steps["queries"] = measure(
            python("benchmarks.steps", "queries", str(store), str(work / "queries.json"))
        )
        if (work / "queries.json").exists():
            steps["queries"]["each"] = json.loads((work / "queries.json").read_text())
        print(f"N={n}: publish", file=sys.stderr)
        steps["publish"] = measure(
            [sys.executable, "-m", "cdkg", "publish", "--store", str(store),
             "--out", str(work / "site"), "--base-iri", "https://registry.example.org/"]
        )  # fmt: skip
        if n in args.cli_sizes:
            print(
                f"N={n}: cdkg load --engine fast (the command line, rdflib parsing)",
                file=sys.stderr,
            )
            steps["cli_load"] = measure(
                [sys.executable, "-m", "cdkg", "load", str(data), "--store",
                 str(work / "cli-store"), "--engine", "fast"],
                timeout=args.stock_timeout,
            )  # fmt: skip
            shutil.rmtree(work / "cli-store", ignore_errors=True)
        entry: dict[str, Any] = {"steps": steps}
        entry["end_to_end_seconds"] = round(
            steps["load"]["seconds"] + steps["validate_classify"]["seconds"], 2
        )
        if n in args.stock_sizes:
            print(f"N={n}: stock path (rdflib + owlrl + pySHACL)", file=sys.stderr)
            stock_json = work / "stock-verdicts.json"
            stock = measure(
                python("benchmarks.steps", "stock", str(data), str(stock_json)),
                timeout=args.stock_timeout,
            )
            entry["stock"] = stock
            if stock.get("ok") and fast_json.exists():
                entry["verdicts"] = compare(fast_json, stock_json)
                entry["speedup"] = round(stock["seconds"] / entry["end_to_end_seconds"], 1)
            elif stock.get("timeout"):
                entry["speedup_at_least"] = round(
                    args.stock_timeout / entry["end_to_end_seconds"], 1
                )
        report["sizes"][str(n)] = entry
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
            shutil.rmtree(store, ignore_errors=True)
            shutil.rmtree(work / "site", ignore_errors=True)
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(markdown(report), encoding="utf-8")
    (out / "time-vs-n.svg").write_text(svg_plot(report), encoding="utf-8")
    return report


def _cell(step: dict[str, Any] | None) -> str:
    if not step:
        return "–"
    if step.get("timeout"):
        return f"> {step['seconds']:.0f} s (timeout)"
    if not step.get("ok"):
        return f"failed (exit {step.get('exit')})"
    mem = f" / {step['peak_mib']:.0f} MiB" if step.get("peak_mib") else ""
    return f"{step['seconds']:.1f} s{mem}"


def markdown(report: dict[str, Any]) -> str:
    machine = report["machine"]
    load = ", ".join(f"{x:.1f}" for x in machine["load_average_at_start"])
    lines = [
        f"Command: `{report['command']}`  ",
        f"Machine: {machine['cpus']} CPUs, Python {machine['python']}, "
        f"load average at start {load}",
        "",
        "| initiatives | generate | load | validate + classify | load + validate + classify "
        "| slowest query | publish | `cdkg load --engine fast` | stock path | speed-up "
        "| verdicts |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for n, e in report["sizes"].items():
        s = e["steps"]
        q = s.get("queries", {})
        each = q.get("each") or {}
        over = sorted(k for k, t in each.items() if t.get("seconds") is None or t["seconds"] >= 1)
        if q.get("ok") and q.get("queries"):
            slowest = f"{q['slowest']:.2f} s"
            if any("timeout" in t for t in each.values()):
                slowest = f"> {q['slowest']:.0f} s"
            if over:
                slowest += f" ({len(over)} of {len(each)} ≥ 1 s)"
        else:
            slowest = "–"
        if "verdicts" in e:
            v = e["verdicts"]
            verdict = "identical" if v["identical"] else f"DIFFERENT ({v})"
        else:
            verdict = "–"
        speed = (
            f"{e['speedup']}×"
            if "speedup" in e
            else (f"≥ {e['speedup_at_least']}×" if "speedup_at_least" in e else "–")
        )
        lines.append(
            f"| {int(n):,} | {_cell(s['generate'])} | {_cell(s['load'])} "
            f"| {_cell(s['validate_classify'])} | {e['end_to_end_seconds']:.1f} s "
            f"| {slowest} | {_cell(s.get('publish'))} | {_cell(s.get('cli_load'))} "
            f"| {_cell(e.get('stock'))} | {speed} "
            f"| {verdict} |"
        )
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
    p.add_argument("--stock-sizes", type=sizes, default=[1000, 10000])
    p.add_argument(
        "--cli-sizes",
        type=sizes,
        default=[1000, 10000],
        help="sizes at which `cdkg load --engine fast` (the command line) is also timed",
    )
    p.add_argument("--out", default="build/bench")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--stock-timeout", type=float, default=3600.0)
    p.add_argument("--keep", action="store_true", help="keep generated data and stores")
    args = p.parse_args(argv)
    report = run(args)
    print(markdown(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
