"""``cdkg validate``: check descriptions against the shapes (DESIGN Contract 4)."""

from __future__ import annotations

import argparse
from typing import Any

from cdkg.classify.text import render_validation
from cdkg.commands._common import (
    add_engine_and_store_arguments,
    add_input_arguments,
    input_run,
    print_report,
)
from cdkg.errors import EXIT_NOT_CONFORMING, EXIT_OK


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
    add_engine_and_store_arguments(
        p, "validation engine (default: reference, pySHACL with SHACL-AF)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    report = input_run(args, with_graph=args.format == "text").report
    print_report(report, args.format, render_validation)
    return EXIT_OK if report.conforms else EXIT_NOT_CONFORMING
