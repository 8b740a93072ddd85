"""``cdkg bench``: synthetic registries for the scale benchmark (see ``benchmarks/``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from cdkg.errors import InputError
from cdkg.sources.synthetic import generate


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def register(sub: Any) -> None:
    p = sub.add_parser(
        "bench",
        help="generate synthetic registries for benchmarks",
        description="Tools for the registry-scale benchmark (run it with `make bench`).",
    )
    bsub = p.add_subparsers(dest="bench_command", metavar="SUBCOMMAND")
    g = bsub.add_parser(
        "generate",
        help="write a realistic synthetic registry of N initiatives",
        description="Write N synthetic initiative descriptions as Turtle files into a folder, "
        "deterministically for a seed: shared actors with a long-tailed distribution, 0–10 "
        "engagements over every stage and level, SDG links, datasets with and without "
        "licences, all six initiative types, and a few percent of descriptions with one "
        "structural error each.",
    )
    g.add_argument("--initiatives", "-n", type=_positive, required=True, metavar="N")
    g.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    g.add_argument("--out", required=True, type=Path, metavar="PATH", help="a new or empty folder")
    g.add_argument(
        "--chunk-size",
        type=_positive,
        default=1000,
        metavar="K",
        help="initiatives per file (default 1000)",
    )
    g.add_argument(
        "--manifest",
        type=Path,
        metavar="FILE",
        help="also write a JSON manifest (counts, files, descriptions given errors)",
    )
    g.add_argument("--workers", type=_positive, default=min(2, os.cpu_count() or 1), metavar="W")
    g.set_defaults(func=run_generate)
    p.set_defaults(func=_usage(p))


def _usage(parser: argparse.ArgumentParser) -> Any:
    def run(args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return run


def run_generate(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    if args.manifest is not None and args.manifest.resolve().is_relative_to(args.out.resolve()):
        raise InputError.single(
            str(args.manifest),
            "the manifest must not be written inside --out (it would be read as data)",
            hint="write it beside the folder",
        )
    manifest = generate(
        args.initiatives,
        out=args.out,
        seed=args.seed,
        chunk_size=args.chunk_size,
        workers=args.workers,
    )
    if args.manifest is not None:
        args.manifest.parent.mkdir(parents=True, exist_ok=True)
        args.manifest.write_text(manifest.to_json() + "\n", encoding="utf-8")
    errors = sum(len(v) for v in manifest.errors.values())
    print(
        f"wrote {manifest.initiatives} initiatives ({manifest.triples} triples, "
        f"{manifest.actors} actors in the pool, {errors} with a structural error) "
        f"in {len(manifest.files)} files to {args.out}/ in {time.perf_counter() - started:.1f} s"
    )
    return 0
