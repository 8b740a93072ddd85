"""``cdkg remove``: delete loaded sources (their graphs and what was inferred from them)."""

from __future__ import annotations

import argparse
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.load.loader import remove


def register(sub: Any) -> None:
    p = sub.add_parser(
        "remove",
        help="remove loaded sources from a store",
        description="Remove sources from a store: each SOURCE is a file path (as loaded), "
        "a graph IRI, or the name shown by 'cdkg status --graphs'. All or none: an unknown "
        "source changes nothing (exit 2).",
    )
    p.add_argument("sources", nargs="+", metavar="SOURCE")
    add_store_options(p, writes=True)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_from_args(args) as store:
        graphs = remove(store, args.sources)
    for g in graphs:
        print(f"removed {g}")
    return 0
