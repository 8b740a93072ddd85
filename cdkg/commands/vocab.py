"""``cdkg vocab``: list the shipped vocabularies, check them, fetch the UN's SDG wording."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cdkg.errors import EXIT_NOT_CONFORMING, EXIT_OK
from cdkg.model.qc import check_all
from cdkg.model.vocab import DEFAULT_SDG_URL, concepts, fetch_sdg, schemes


def register(sub: Any) -> None:
    p = sub.add_parser(
        "vocab",
        help="list, check and enrich the shipped vocabularies",
        description="Work with the SKOS schemes cdkg ships (participation levels, stages, "
        "initiative types, principles, ..., SDG codes and GSBPM phases).",
    )
    vsub = p.add_subparsers(dest="vocab_command", metavar="ACTION", required=True)

    ls = vsub.add_parser(
        "list",
        help="list the schemes, or the concepts of one scheme",
        description="Without SCHEME, list the schemes; with SCHEME (e.g. stage, sdg), "
        "its concepts.",
    )
    ls.add_argument("scheme", nargs="?", help="scheme name, e.g. participation-level or sdg")
    ls.add_argument("--lang", default="en", choices=["en", "fr", "es"], help="label language")
    ls.add_argument("--format", default="text", choices=["text", "json"], help="output format")
    ls.set_defaults(func=run_list)

    check = vsub.add_parser(
        "check",
        help="run the quality checks over ontology/, shapes/ and queries/",
        description="Term metadata complete; every IRI used by shapes and queries declared. "
        "Exit 0 when clean, 1 when something is missing.",
    )
    check.set_defaults(func=run_check)

    fetch = vsub.add_parser(
        "fetch",
        help="download the official SDG KOS to enrich SDG labels locally",
        description="Download the UN SDG knowledge organisation system and keep the UN's "
        "wording of every goal, target and indicator in a local cache folder.",
    )
    fetch.add_argument("what", choices=["sdg"], help="what to fetch (only sdg for now)")
    fetch.add_argument(
        "--from",
        dest="url",
        default=DEFAULT_SDG_URL,
        help=f"URL or file of the SDG KOS in Turtle or RDF/XML (default {DEFAULT_SDG_URL})",
    )
    fetch.add_argument(
        "--cache-dir",
        type=Path,
        default=None,
        help="cache folder (default $CDKG_CACHE_DIR or ~/.cache/cdkg)",
    )
    fetch.set_defaults(func=run_fetch)


def run_list(args: argparse.Namespace) -> int:
    if args.scheme is None:
        rows = schemes(args.lang)
        if args.format == "json":
            print(json.dumps([r.__dict__ for r in rows], indent=2, ensure_ascii=False))
            return EXIT_OK
        width = max(len(r.name) for r in rows)
        for r in rows:
            print(f"{r.name:<{width}}  {r.size:>4}  {r.label}")
        return EXIT_OK
    items = concepts(args.scheme, args.lang)
    if args.format == "json":
        data = [{**c.__dict__, "broader": list(c.broader)} for c in items]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max((len(c.notation) for c in items), default=0)
    for c in items:
        print(f"{c.notation:<{width}}  {c.label}  <{c.iri}>")
    return EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    problems = check_all()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s)")
        return EXIT_NOT_CONFORMING
    print("ontology, vocabularies, shapes and queries: all terms complete and declared")
    return EXIT_OK


def run_fetch(args: argparse.Namespace) -> int:
    result = fetch_sdg(args.url, args.cache_dir)
    print(
        f"cached the UN wording of {result.concepts} SDG goals, targets and indicators "
        f"({result.labels} labels) in {result.path}"
    )
    if result.missing:
        print(
            f"{len(result.missing)} known codes had no wording in the download, "
            f"e.g. {result.missing[0]}"
        )
    return EXIT_OK
