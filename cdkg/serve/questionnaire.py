"""The questionnaire of ``cdkg assess`` as a web form (``/assess``).

The form asks what the terminal asks — who started the initiative, who else takes
part, how much say citizens have at each stage of the value chain (with the ladder's
descriptions), SDGs and countries — and turns the fields into the same answers
mapping an answers file holds, so :func:`cdkg.sources.questionnaire.answers_to_record`
checks them and
:func:`cdkg.sources.questionnaire.assess` classifies them: one questionnaire, two ways in.

The same page settles a registry's to-be-assessed case (``/assess/settle``): it asks only
what would decide the case (:func:`cdkg.sources.settle.questions`), then the outcome, who
is assessing and why, as ``cdkg assess --initiative`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cdkg.model.choices import actor_type_choices
from cdkg.sources.records import levels, stages
from cdkg.sources.settle import Question

#: The form fields of the settling page that are not answers.
SETTLE_CONTROLS = ("initiative", "token")

#: How many initiators and collaborators the form offers rows for.
ACTOR_ROWS = 3


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    definition: str


def actor_types() -> list[Option]:
    return [Option(c.label, c.label, c.definition or "") for c in actor_type_choices().choices]


def ladder() -> list[Option]:
    return [Option(c.notation or c.code, c.label, c.definition or "") for c in levels().choices]


def main_stages() -> list[Option]:
    """The stages the questionnaire asks about: the main ones, not design's four parts."""
    return [Option(c.code, c.label, c.definition or "") for c in stages().choices if not c.broader]


def form_context() -> dict[str, Any]:
    """What the template needs to draw the form."""
    return {
        "actor_types": actor_types(),
        "ladder": ladder(),
        "stages": main_stages(),
        "rows": range(1, ACTOR_ROWS + 1),
    }


def _field(form: Mapping[str, Any], key: str) -> str:
    value = form.get(key)
    return value.strip() if isinstance(value, str) else ""


def answers_from_form(form: Mapping[str, Any]) -> dict[str, Any]:
    """The answers mapping (answers-file format) that the submitted fields say."""
    answers: dict[str, Any] = {"title": _field(form, "title")}
    if description := _field(form, "description"):
        answers["description"] = description
    for group in ("initiators", "collaborators"):
        entries = []
        for row in range(1, ACTOR_ROWS + 1):
            name = _field(form, f"{group}-{row}-name")
            kind = _field(form, f"{group}-{row}-type")
            if name or kind:
                entries.append({"name": name, "type": kind})
        if entries:
            answers[group] = entries
    participation = {}
    for stage in main_stages():
        if level := _field(form, f"level-{stage.value}"):
            participation[stage.value] = level
    if participation:
        answers["participation"] = participation
    for key in ("sdgs", "countries"):
        if value := _field(form, key):
            answers[key] = value
    return answers


def question_view(question: Question) -> dict[str, Any]:
    """One missing fact as a form field: its name, question and choices."""
    if question.kind == "level":
        options = [Option(o.value, f"{o.value} — {o.label}", o.definition) for o in ladder()]
    elif question.kind == "yes-no":
        options = [Option("yes", "yes", ""), Option("no", "no", "")]
    else:
        options = actor_types()
    return {
        "name": question.key,
        "text": question.text,
        "options": [Option("?", "don't know", ""), *options],
    }


def settle_answers(form: Mapping[str, Any]) -> dict[str, str]:
    """The answers a settling form's fields give (answers-file keys, flat)."""
    return {
        key: value.strip()
        for key, value in form.items()
        if key not in SETTLE_CONTROLS and isinstance(value, str) and value.strip()
    }
