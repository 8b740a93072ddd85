"""``cdkg status``: what a registry store holds."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.query.output import _short
from cdkg.query.status import TO_BE_ASSESSED, TypeCount, status


def register(sub: Any) -> None:
    p = sub.add_parser(
        "status",
        help="graphs, triples, initiatives by verdict and type, last change of a store",
        description="Summarise a store: loaded sources, triples, initiatives by verdict "
        "(citizen data, not citizen data, to be assessed) and by type (from the "
        "classification done at load; initiatives to be assessed may have no type) and "
        "when it last changed.",
    )
    p.add_argument("--graphs", action="store_true", help="also list every loaded source")
    p.add_argument("--format", choices=["text", "json"], default="text")
    add_store_options(p)
    p.set_defaults(func=run)


def _type_line(count: TypeCount) -> str:
    """A type's name (``no type`` for the initiatives that have none), and how many of
    its initiatives are still to be assessed (DESIGN Contract 3 rows 7–9: row 8 gives a
    type, rows 7 and 9 none)."""
    name = "no type" if count.type is None else count.label or _short(count.type)
    open_cases = count.verdicts.get(TO_BE_ASSESSED, 0)
    return f"{name} ({open_cases} to be assessed)" if open_cases else name


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
    print(
        f"initiatives:  {report.initiatives} ({report.citizen_data} citizen data, "
        f"{report.not_citizen_data} not citizen data, {report.to_be_assessed} to be assessed)"
    )
    print(f"last change:  {report.last_change or 'never'}")
    print("by verdict:")
    for v in report.by_verdict:
        name = v.label or (_short(v.verdict) if v.verdict else "no verdict (load it again)")
        print(f"  {v.count:>8}  {name}")
    print("by type:")
    for t in report.by_type:
        print(f"  {t.count:>8}  {_type_line(t)}")
    if args.graphs:
        print("sources:")
        for g in report.graphs:
            print(f"  {g.source}  {g.triples} triples  {g.modified}  <{g.graph}>")
    return 0
