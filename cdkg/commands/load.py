"""``cdkg load``: put descriptions into a registry store, one named graph per source."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.load.loader import load
from cdkg.validate.run import ENGINES


def register(sub: Any) -> None:
    p = sub.add_parser(
        "load",
        help="load descriptions into a store (re-loading a source replaces it)",
        description="Load descriptions into an embedded store or a SPARQL endpoint. Each "
        "source document becomes one named graph (its file: URI, or --graph); loading it "
        "again replaces exactly that graph. The batch is all-or-nothing: if any file cannot "
        "be read, nothing is written (exit 2). Classification is recomputed for the loaded "
        "sources, and the shipped vocabularies are kept in their own graph.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, directory, or - for stdin")
    p.add_argument("--input-format", metavar="FMT", help="format of all inputs (e.g. turtle)")
    p.add_argument("--graph", metavar="IRI", help="graph name for a single source (e.g. stdin)")
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="reference",
        help="classification engine used after loading (default: reference)",
    )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None)
    bar.add_argument("--no-progress", dest="progress", action="store_false")
    add_store_options(p, writes=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_from_args(args, create=True) as store:
        report = load(
            store,
            args.paths,
            input_format=args.input_format,
            graph=args.graph,
            progress=args.progress,
            engine=args.engine,
        )
    replaced = sum(1 for s in report.sources if s.replaced)
    print(
        f"loaded {len(report.sources)} source(s), {report.triples} triples "
        f"({replaced} replaced, {report.inferred} inferred triples) into {report.store} "
        f"in {report.seconds:.2f} s",
        file=sys.stdout,
    )
    if report.validation is not None:
        # what the classification's validation found, so the load's work is not lost
        print(f"validated the batch on its own: {report.validation.summary()}", file=sys.stdout)
        if report.validation.violations or report.validation.incomplete:
            print("  (cdkg validate with the same store options lists them)", file=sys.stdout)
    return 0
