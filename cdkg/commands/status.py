"""``cdkg status``: what a registry store holds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.query.output import _short
from cdkg.query.status import status


def register(sub: Any) -> None:
    p = sub.add_parser(
        "status",
        help="graphs, triples, initiatives by type and last change of a store",
        description="Summarise a store: loaded sources, triples, initiatives by type "
        "(from the classification done at load) and when it last changed.",
    )
    p.add_argument("--graphs", action="store_true", help="also list every loaded source")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_store_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with store_from_args(args) as store:
        report = status(store, list_graphs=args.graphs)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"store:        {report.store}")
    print(f"sources:      {report.sources}")
    print(
        f"triples:      {report.triples} ({report.source_triples} loaded, "
        f"{report.inferred_triples} inferred, {report.vocabulary_triples} vocabulary)"
    )
    print(f"initiatives:  {report.initiatives} ({report.citizen_data} citizen data)")
    print(f"last change:  {report.last_change or 'never'}")
    if report.by_type:
        print("by type:")
        for t in report.by_type:
            print(f"  {t.count:>8}  {t.label or _short(t.type)}")
    if args.graphs:
        print("sources:")
        for g in report.graphs:
            print(f"  {g.source}  {g.triples} triples  {g.modified}  <{g.graph}>")
    return 0
