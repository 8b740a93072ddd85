"""``cdkg classify``: initiative type, citizen-data verdict and reasons (DESIGN Contract 4)."""

from __future__ import annotations

import argparse
from typing import Any

from cdkg.classify.text import render_classification
from cdkg.classify.verdicts import classification_of
from cdkg.commands._common import (
    add_engine_and_store_arguments,
    add_input_arguments,
    input_run,
    print_report,
)
from cdkg.errors import EXIT_NOT_CONFORMING, EXIT_OK


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
    add_engine_and_store_arguments(
        p, "classification engine (default: reference, pySHACL with SHACL-AF rules)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    run = input_run(args)
    report = classification_of(run.data, run.expanded, run.report)
    print_report(report, args.format, render_classification)
    if not report.conforms or not report.initiatives:
        return EXIT_NOT_CONFORMING
    return EXIT_OK
