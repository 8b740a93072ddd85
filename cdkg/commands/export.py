"""``cdkg export``: write a store's content as N-Quads, TriG, Turtle or JSON-LD."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.errors import InputError
from cdkg.sources.records import DEFAULT_BASE_IRI
from cdkg.sources.spreadsheet import write_workbook
from cdkg.sources.stored_verdicts import stored_verdicts
from cdkg.store.contents import stored_descriptions
from cdkg.store.export import EXPORT_FORMATS, export

#: Spreadsheet layouts (the `cdkg template` columns); they need --out.
TABLE_FORMATS = ("xlsx", "csv")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write a store's content (nq, trig, ttl, jsonld, xlsx, csv)",
        description="Write what a store holds. nq and trig keep one named graph per source "
        "(with --all also the vocabulary and load records); ttl and jsonld merge the loaded "
        "and inferred triples into one graph; xlsx and csv write the initiatives in the "
        "layout of 'cdkg template', ready to edit and re-import with 'cdkg import', followed "
        "by read-only columns with the registry's classification (verdict, initiative type, "
        "missing facts) that 'cdkg import' ignores.",
    )
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS) + list(TABLE_FORMATS), default="nq")
    p.add_argument(
        "--base-iri",
        default=DEFAULT_BASE_IRI,
        help=f"for xlsx/csv: IRIs under this base get short ids (default {DEFAULT_BASE_IRI})",
    )
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--all", action="store_true", help="include vocabulary and record graphs")
    add_store_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.format in TABLE_FORMATS:
        return _export_table(args)
    with store_from_args(args) as store:
        if args.out is None:
            binary = getattr(sys.stdout, "buffer", None)
            if binary is None:  # a text-only stdout (e.g. captured)
                buf = io.BytesIO()
                export(store, args.format, buf, everything=args.all)
                sys.stdout.write(buf.getvalue().decode("utf-8"))
            else:
                sys.stdout.flush()
                export(store, args.format, binary, everything=args.all)
                binary.flush()
            return 0
        target = Path(args.out)
        partial = target.with_name(target.name + ".part")
        try:
            with partial.open("wb") as out:
                export(store, args.format, out, everything=args.all)
            partial.replace(target)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise InputError.single(args.out, f"cannot write: {exc.strerror or exc}") from None
    return 0


def _export_table(args: argparse.Namespace) -> int:
    if not args.out or not args.out.lower().endswith(f".{args.format}"):
        raise InputError.single(
            args.out or "<stdout>",
            f"--format {args.format} writes a file",
            hint=f"give --out FILE.{args.format}",
        )
    with store_from_args(args) as store:
        graph = stored_descriptions(store)
        classified = stored_verdicts(store)
    target = Path(args.out)
    partial = target.with_name(f".{target.name}.part{target.suffix}")
    try:
        count = write_workbook(graph, partial, args.base_iri, classified)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError.single(args.out, f"cannot write: {exc.strerror or exc}") from None
    print(f"wrote {count} initiative(s) to {target}", file=sys.stderr)
    return 0
