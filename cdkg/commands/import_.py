"""``cdkg import``: turn a filled table (xlsx/csv) or PPSR-Core JSON into linked data."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cdkg.errors import InputError
from cdkg.sources.records import (
    DEFAULT_BASE_IRI,
    check_base_iri,
    output_format,
    records_to_graph,
    serialize,
    write_description,
)

SOURCES = {".xlsx": "table", ".csv": "table", ".json": "ppsr"}


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import",
        help="turn a filled spreadsheet or PPSR-Core records into RDF",
        description="Read a filled initiatives table (.xlsx/.csv, see 'cdkg template') or "
        "PPSR-Core project records (.json) and write their description. Every problem is "
        "reported with its cell (or record and key); nothing is written if there is one.",
    )
    p.add_argument("file", metavar="FILE", help="FILE.xlsx, FILE.csv or FILE.json (PPSR-Core)")
    p.add_argument(
        "--out",
        metavar="OUT",
        help="OUT.ttl, .jsonld, .yaml/.yml or .nt (default: Turtle on stdout)",
    )
    p.add_argument(
        "--base-iri",
        default=DEFAULT_BASE_IRI,
        metavar="BASE",
        help=f"prefix of the IRIs minted for initiatives and actors (default {DEFAULT_BASE_IRI})",
    )
    p.add_argument(
        "--from",
        dest="source_format",
        choices=["table", "ppsr"],
        help="what FILE holds (default: by extension; .json is PPSR-Core)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    problem = check_base_iri(args.base_iri)
    if problem:
        raise InputError.single("--base-iri", problem)
    fmt = output_format(args.out) if args.out else "turtle"
    kind = args.source_format or SOURCES.get(path.suffix.lower())
    if kind is None:
        raise InputError.single(
            args.file,
            "cannot tell what the file holds from its extension",
            hint="give .xlsx, .csv or .json (PPSR-Core), or pass --from table|ppsr",
        )
    if not path.is_file():
        raise InputError.single(args.file, "no such file", hint="check the path")
    report: list[str] = []
    if kind == "ppsr":
        from cdkg.sources.ppsr import read_ppsr

        result = read_ppsr(path)
        records, report = result.records, result.report
    else:
        from cdkg.sources.spreadsheet import read_records

        records = read_records(path)
    graph = records_to_graph(records, args.base_iri)
    if args.out:
        write_description(graph, args.out)
    else:
        sys.stdout.write(serialize(graph, fmt))
    stream = sys.stdout if args.out else sys.stderr
    noun = "initiative" if len(records) == 1 else "initiatives"
    target = args.out or "standard output"
    print(f"imported {len(records)} {noun} from {args.file} into {target}", file=stream)
    for line in report:
        print(f"  note: {line}", file=stream)
    return 0
