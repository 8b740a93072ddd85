"""Asking the questionnaire's questions at a terminal, re-asking until each answer is valid.

The questions produce the same answers mapping an answers file holds (see
``docs/questionnaire.md``); :func:`cdkg.sources.questionnaire.answers_to_record` then
checks them once more, so both ways in share one set of rules. The ladder's descriptions,
the stages and the kinds of actor are read from the vocabularies.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any, TypeVar

from cdkg.model.choices import Choice, actor_type_choices
from cdkg.sources.questionnaire import (
    AnswerError,
    check_actor_type,
    check_countries,
    check_level_or_unknown,
    check_sdgs,
    check_title,
    is_dont_know,
)
from cdkg.sources.records import levels, stages
from cdkg.sources.settle import Question

T = TypeVar("T")
Ask = Callable[[str], str]
Say = Callable[[str], None]


class Interview:
    """One run of the questionnaire; ``ask``/``say`` default to ``input``/``print``."""

    def __init__(self, ask: Ask = input, say: Say = print) -> None:
        self._ask, self._say = ask, say

    def say(self, text: str = "") -> None:
        self._say(text)

    def ask(self, question: str, check: Callable[[str], T], *, optional: bool = False) -> T | None:
        """Ask until ``check`` accepts the answer (or it is empty and ``optional``)."""
        while True:
            answer = self._ask(question + " ").strip()
            if not answer and optional:
                return None
            try:
                return check(answer)
            except AnswerError as exc:
                self.say(f"  Sorry, {exc}. Please try again.")

    def numbered(self, choices: tuple[Choice, ...], show_notation: bool = False) -> None:
        for number, choice in enumerate(choices, start=1):
            key = choice.notation if show_notation and choice.notation else str(number)
            text = f"{key}. {choice.label}"
            if choice.definition:
                text += f" — {choice.definition}"
            self.say(textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="     "))

    def actor(self, who: str) -> dict[str, str] | None:
        name = self.ask(who, lambda a: a, optional=True)
        if not name:
            return None
        self.say(f"What kind of actor is {name}?")
        choices = actor_type_choices().choices
        self.numbered(choices)

        def pick(text: str) -> str:
            if text.isdigit() and 1 <= int(text) <= len(choices):
                return choices[int(text) - 1].label
            check_actor_type(text)
            return text

        kind = self.ask(f"Type a number (1–{len(choices)}) or a name:", pick)
        return {"name": name, "type": kind or ""}

    def run(self) -> dict[str, Any]:
        """Ask every question; the answers, in the answers-file format."""
        answers: dict[str, Any] = {}
        self.say(
            "Describe one citizen-data initiative (Copenhagen Framework on Citizen Data, 2024)."
        )
        self.say("Press Enter to skip a question marked (optional).")
        self.say()
        answers["title"] = self.ask("What is the initiative called?", check_title)
        description = self.ask(
            "In a sentence or two, what does it do? (optional)", str, optional=True
        )
        if description:
            answers["description"] = description
        self.say()
        initiators: list[dict[str, str]] = []
        first = None
        while first is None:
            first = self.actor("Who started it? Name one organisation or group:")
            if first is None:
                self.say("  Sorry, an initiative needs at least one initiator. Please try again.")
        initiators.append(first)
        while (
            more := self.actor("Did anyone else start it with them? Name, or Enter if not:")
        ) is not None:
            initiators.append(more)
        answers["initiators"] = initiators
        self.say()
        collaborators: list[dict[str, str]] = []
        while (
            other := self.actor(
                "Who else takes part in producing the data? Name, or Enter if no one (more):"
            )
        ) is not None:
            collaborators.append(other)
        if collaborators:
            answers["collaborators"] = collaborators
        self.say()
        answers["participation"] = self.participation()
        self.say()
        sdgs = self.ask(
            "Which Sustainable Development Goals does it work towards? Codes separated by ';' "
            "(e.g. 5; 5.2) (optional)",
            check_sdgs,
            optional=True,
        )
        if sdgs:
            answers["sdgs"] = sdgs
        countries = self.ask(
            "In which countries? ISO alpha-3 codes separated by ';' (e.g. KEN; UGA) (optional)",
            check_countries,
            optional=True,
        )
        if countries:
            answers["countries"] = countries
        return answers

    def participation(self) -> dict[str, str]:
        ladder = levels().choices
        self.say("How much say do citizens have? The Framework's ladder, from least to most:")
        self.numbered(ladder, show_notation=True)
        self.say("Levels 4 and 5 count as sufficient participation.")
        self.say(
            "Answer ? when you do not know: unknown is not the same as no part, and what is "
            "not known is left open rather than counted as no."
        )
        notations = ", ".join(c.notation or c.label for c in ladder)
        result: dict[str, str] = {}
        for stage in stages().choices:
            if stage.broader:  # the questionnaire asks about the main stages only
                continue
            self.say()
            self.say(textwrap.fill(f"Stage: {stage.label} — {stage.definition or ''}", width=100))

            def level(text: str) -> str:
                if is_dont_know(text):
                    return "?"
                check_level_or_unknown(text)
                return text

            answer = self.ask(
                f"How much say do citizens have here? ({notations}; ? if you do not know; "
                "Enter if they take no part)",
                level,
                optional=True,
            )
            if answer:
                result[stage.code] = answer
        return result


class SettleInterview:
    """The questions of ``cdkg assess --initiative`` at a terminal (see
    :mod:`cdkg.sources.settle`): only what would decide the case, then the outcome, who
    is assessing and why. Enter answers a fact "not known"."""

    def __init__(self, ask: Ask = input, say: Say = print) -> None:
        self.interview = Interview(ask, say)
        self._ladder_shown = False

    def say(self, text: str = "") -> None:
        self.interview.say(text)

    def answer(
        self, keys: tuple[str, ...], question: Question | str, check: Callable[[Any], T]
    ) -> T | None:
        if not isinstance(question, Question):
            return self.interview.ask(question, check, optional=True)
        if question.kind == "level" and not self._ladder_shown:
            self.say("The Framework's participation ladder, from least to most:")
            self.interview.numbered(levels().choices, show_notation=True)
            self.say("Levels 4 and 5 count as sufficient participation.")
            self._ladder_shown = True
        if question.kind == "actor-type":
            choices = actor_type_choices().choices
            self.interview.numbered(choices)

            def pick(text: str) -> Any:
                if text.isdigit() and 1 <= int(text) <= len(choices):
                    return check(choices[int(text) - 1].label)
                return check(text)

            return self.interview.ask(question.text, pick, optional=True)
        return self.interview.ask(question.text, check, optional=True)

    def required(self, key: str, question: str, check: Callable[[Any], T]) -> T | None:
        return self.interview.ask(question, check)

    def given(self, key: str) -> bool:
        return False

    def finish(self) -> None:
        pass
