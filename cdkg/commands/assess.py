"""``cdkg assess``: the questionnaire — plain questions in, verdict and description out;
with ``--initiative``, settling a to-be-assessed case of a registry."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cdkg.commands import _settle
from cdkg.commands._store_options import add_store_options, store_from_args
from cdkg.errors import InputError
from cdkg.sources.questionnaire import answers_to_record, assess, read_answers, render_verdict
from cdkg.sources.records import (
    DEFAULT_BASE_IRI,
    check_base_iri,
    output_format,
    serialize,
    slugify,
    write_description,
)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "assess",
        help="answer plain questions about an initiative; get its verdict and description",
        description="Ask who started an initiative, who else takes part and how much say "
        "citizens have at each stage of the data value chain, then print whether it is "
        "citizen data (and why) and write its description. With --answers, read the answers "
        "from a YAML file instead of asking (see docs/questionnaire.md). With --initiative, "
        "settle a registry's case that is to be assessed: only what would decide it is asked, "
        "then the outcome, who is assessing and why, and the assessment is stored.",
    )
    p.add_argument("--answers", metavar="FILE", help="answers file (YAML); no questions asked")
    p.add_argument(
        "--out",
        metavar="OUT",
        help="OUT.ttl, .yaml/.yml (YAML-LD), .jsonld or .nt; without it, interactive runs ask "
        "for a file name and --answers runs print Turtle on stdout (the verdict on stderr)",
    )
    p.add_argument(
        "--base-iri",
        default=DEFAULT_BASE_IRI,
        metavar="BASE",
        help=f"prefix of the IRIs minted (default {DEFAULT_BASE_IRI})",
    )
    settle = p.add_argument_group("settling a case in a registry")
    settle.add_argument(
        "--initiative",
        metavar="IRI",
        help="settle this stored initiative's to-be-assessed verdict (with --answers: the "
        "answers to its questions; with --out: also write its settled description)",
    )
    settle.add_argument(
        "--force",
        action="store_true",
        help="record an assessment even where the rules decide (where they do, they stand)",
    )
    add_store_options(p, writes=True)
    p.set_defaults(func=run)


def _store_options_given(args: argparse.Namespace) -> list[str]:
    names = ("store", "endpoint", "update_endpoint", "auth_header", "timeout")
    return [f"--{n.replace('_', '-')}" for n in names if getattr(args, n, None) is not None]


def run(args: argparse.Namespace) -> int:
    if args.initiative is not None:
        return _settle.run(args, store_from_args(args))
    given = _store_options_given(args) + (["--force"] if args.force else [])
    if given:
        raise InputError.single(
            given[0], "goes with --initiative IRI", hint="settling a stored case is the one use"
        )
    problem = check_base_iri(args.base_iri)
    if problem:
        raise InputError.single("--base-iri", problem)
    if args.out:
        output_format(args.out)  # refuse a bad extension before asking anything
    if args.answers:
        record = answers_to_record(read_answers(Path(args.answers)), args.answers)
        interactive = False
    else:
        from cdkg.sources.interview import Interview

        try:
            answers = Interview().run()
        except EOFError:
            raise InputError.single(
                "<stdin>",
                "the questions ended before they were all answered",
                hint="answer at a terminal, or pass --answers FILE.yaml",
            ) from None
        record = answers_to_record(answers, "<answers>")
        interactive = True
    assessment = assess(record, args.base_iri)
    out = args.out
    if out is None and interactive:
        default = f"{slugify(record.key or record.title)}.ttl"
        print()
        while True:
            try:
                out = input(f"Save the description to which file? [{default}] ").strip() or default
            except EOFError:
                out = default
            try:
                output_format(out)
                break
            except InputError as exc:
                print(f"  Sorry, {exc.problems[0].message} ({exc.problems[0].hint}).")
    verdict_stream = sys.stderr if out is None else sys.stdout
    print(file=verdict_stream)
    print(render_verdict(assessment), file=verdict_stream)
    if out is None:
        sys.stdout.write(serialize(assessment.graph, "turtle"))
    else:
        write_description(assessment.graph, out)
        print(f"\nDescription written to {out}", file=verdict_stream)
    return 0
