"""``cdkg assess --initiative IRI``: settling a registry's to-be-assessed case.

What the store holds about the initiative is shown (its verdict, why, what would decide
it); only the missing facts are asked, then the outcome, who is assessing and why
(:mod:`cdkg.sources.settle`); the answers are stored in the source graph that describes
the initiative, which is loaded again so its classification is recomputed
(:mod:`cdkg.load.stored`). Nothing is written when an answer is wrong or missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cdkg.errors import InputError
from cdkg.load.stored import StoredSource, replace_source, source_describing
from cdkg.model.labels import Labels
from cdkg.sources.interview import SettleInterview
from cdkg.sources.questionnaire import VERDICT_SUMMARY, VERDICT_WORDS, read_answers, result_lines
from cdkg.sources.records import check_base_iri, output_format, write_description
from cdkg.sources.settle import (
    Answers,
    Case,
    MappingAnswers,
    Settlement,
    assessment_line,
    open_case,
    settle,
)
from cdkg.store import Store


def _settled_by(case: Case) -> str:
    found = case.result.assessment
    if found is None:
        return "the rules decide it"
    who = f" by {Labels(case.graph)(found.attributed_to)}" if found.attributed_to else ""
    when = f" on {found.date}" if found.date else ""
    return f"settled by the assessment recorded{who}{when}"


def render_case(case: Case, source: StoredSource) -> str:
    """What the store holds about the case: verdict, why, what would decide it."""
    item = case.result
    return "\n".join(
        [
            case.title,
            f"  <{case.iri}>",
            f"  described in {source.name}",
            f"Verdict now: {VERDICT_SUMMARY[item.verdict]}",
            *result_lines(item),
        ]
    )


def render_settlement(settlement: Settlement, source: StoredSource) -> str:
    """What was recorded, the new verdict, and where it is stored."""
    item = settlement.result
    lines = ["Recorded:"]
    lines.extend(f"  - {fact}" for fact in settlement.facts)
    lines.append(f"  - assessment: {assessment_line(settlement)}")
    lines.extend(f"  - replacing the assessment: {old}" for old in settlement.replaced)
    lines.append("")
    lines.append(f"Verdict: {settlement.case.title} {VERDICT_WORDS[item.verdict]}.")
    lines.extend(result_lines(item))
    lines.append("")
    lines.append(f"Stored in the source graph <{source.graph}>; its classification is recomputed.")
    if source.name != source.graph:
        lines.append(
            f"Loading {source.name} again would replace this copy, assessment and all: load "
            "the settled description (--out FILE) instead, or add the assessment to it."
        )
    return "\n".join(lines)


def _show(case: Case, source: StoredSource) -> None:
    print(render_case(case, source))
    if not case.open:
        print(
            f"cdkg: warning: {case.title} is {VERDICT_SUMMARY[case.result.verdict]} "
            f"({_settled_by(case)}); the assessment is recorded, but where the rules "
            "decide, they stand",
            file=sys.stderr,
        )


def run(args: argparse.Namespace, store: Store) -> int:
    problem = check_base_iri(args.base_iri)
    if problem:
        raise InputError.single("--base-iri", problem)
    with store:
        source = source_describing(store, args.initiative)
        case = open_case(source.content, args.initiative)
        if not case.open and not args.force:
            raise InputError.single(
                args.initiative,
                f"not to be assessed: its verdict is {VERDICT_SUMMARY[case.result.verdict]} "
                f"({_settled_by(case)}); nothing was changed",
                hint="--force records an assessment anyway; where the rules decide, they stand",
            )
        if args.out:
            output_format(args.out)  # refuse a bad extension before asking anything
        answers: Answers = (
            MappingAnswers(read_answers(Path(args.answers)), args.answers)
            if args.answers
            else SettleInterview()
        )
        if not args.answers:  # a person needs the case before the questions
            _show(case, source)
        try:
            settlement = settle(case, answers, base=args.base_iri)
        except EOFError:
            raise InputError.single(
                "<stdin>",
                "the questions ended before they were all answered; nothing was changed",
                hint="answer at a terminal, or pass --answers FILE.yaml",
            ) from None
        if args.answers:  # a wrong answers file gets its problems only
            _show(case, source)
        replace_source(store, source, settlement.graph)
        print()
        print(render_settlement(settlement, source))
        if settlement.contradicts_rules:
            print(
                "cdkg: warning: the rules decide this case differently from the assessment; "
                "the rules stand (see the warning above)",
                file=sys.stderr,
            )
        if args.out:
            write_description(settlement.graph, args.out)
            print(f"Settled description written to {args.out}")
    return 0
