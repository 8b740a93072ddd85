"""``cdkg validate``: check descriptions against the shapes (DESIGN Contract 4)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cdkg.commands._common import add_input_arguments
from cdkg.commands._store_options import add_stored_input, input_graph
from cdkg.errors import EXIT_NOT_CONFORMING, EXIT_OK
from cdkg.validate import ENGINES, validate


def register(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="check initiative descriptions against the Framework's shapes",
        description="Validate initiative descriptions (files, directories or - for stdin) "
        "against the cdkg SHACL shapes: structure, vocabularies, the operational definition, "
        "the taxonomy and the principles. Exit 0 if they conform, 1 if there is a violation, "
        "2 on bad input.",
    )
    add_input_arguments(p)
    p.add_argument(
        "--engine",
        choices=ENGINES,
        default="reference",
        help="validation engine (default: reference, pySHACL with SHACL-AF)",
    )
    add_stored_input(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    data = input_graph(args)
    report = validate(data, engine=args.engine)
    if args.format == "json":
        print(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    elif args.format == "turtle":
        print(report.to_turtle(), end="")
    else:
        from cdkg.textreport import render_validation

        print(render_validation(report), end="")
    return EXIT_OK if report.conforms else EXIT_NOT_CONFORMING
