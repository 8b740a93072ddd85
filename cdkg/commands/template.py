"""``cdkg template``: write an empty, documented initiatives table (xlsx or csv)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cdkg.errors import InputError
from cdkg.sources.spreadsheet import write_template


def register(sub: Any) -> None:
    p = sub.add_parser(
        "template",
        help="write an empty spreadsheet template (one row per initiative)",
        description="Write a documented table to fill in: one row per initiative, drop-down "
        "lists for every controlled value and an 'explanations' sheet (.xlsx), or the header "
        "row only (.csv). Fill it and read it back with 'cdkg import'.",
    )
    p.add_argument("--out", required=True, metavar="FILE", help="FILE.xlsx or FILE.csv")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".csv"):
        raise InputError.single(
            args.out, "a template is an .xlsx or .csv file", hint="e.g. --out initiatives.xlsx"
        )
    write_template(out)
    print(f"wrote {out}")
    return 0
