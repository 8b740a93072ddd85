"""``cdkg export``: write a store's content as N-Quads, TriG, Turtle or JSON-LD."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.errors import InputError
from cdkg.store.export import EXPORT_FORMATS, export


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="write a store's content (nq, trig, ttl, jsonld)",
        description="Write what a store holds. nq and trig keep one named graph per source "
        "(with --all also the vocabulary and load records); ttl and jsonld merge the loaded "
        "and inferred triples into one graph.",
    )
    p.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="nq")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.add_argument("--all", action="store_true", help="include vocabulary and record graphs")
    add_store_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
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
