"""``cdkg classify``: initiative type, citizen-data verdict and reasons (DESIGN Contract 4)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cdkg.classify import classify
from cdkg.commands._common import add_input_arguments
from cdkg.commands._store_options import add_stored_input, input_graph
from cdkg.errors import EXIT_NOT_CONFORMING, EXIT_OK
from cdkg.validate import ENGINES


def register(sub: Any) -> None:
    p = sub.add_parser(
        "classify",
        help="say whether each initiative produces citizen data, of which type, and why",
        description="Classify initiative descriptions (files, directories or - for stdin) "
        "with the taxonomy of the Copenhagen Framework: the initiative type (1-6), whether "
        "its data are citizen data, the reasons and the findings. Exit 0 if every "
        "description conforms, 1 if one has a violation or no initiative was found, 2 on "
        "bad input.",
    )
    add_input_arguments(p)
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="reference",
        help="classification engine (default: reference, pySHACL with SHACL-AF rules)",
    )
    add_stored_input(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data = input_graph(args)
    report = classify(data, engine=args.engine)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "turtle":
        print(report.to_turtle(), end="")
    else:
        from cdkg.textreport import render_classification

        print(render_classification(report), end="")
    if not report.conforms or not report.initiatives:
        return EXIT_NOT_CONFORMING
    return EXIT_OK
