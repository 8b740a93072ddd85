"""The questionnaire: plain-language questions whose answers become a description.

Answers come either from a person at a terminal (:func:`ask`) or from an answers file
(:func:`read_answers`, format in ``docs/questionnaire.md``). Both go through the same
checks (:func:`answers_to_record`) and the same record → RDF translation as spreadsheets
(:mod:`cdkg.sources.records`), and the verdict comes from
:func:`cdkg.classify.verdicts.classify`, so the questionnaire and a spreadsheet row with the
same facts give the same verdict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from cdkg.errors import InputError, Problem
from cdkg.model.choices import ChoiceList, actor_type_choices, country_iri, sdg_concept
from cdkg.model.namespaces import STAGE
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.read import safe_yaml
from cdkg.sources.records import (
    CONCEPT_FIELDS,
    DEFAULT_BASE_IRI,
    ActorEntry,
    InitiativeRecord,
    initiative_iri,
    is_absolute_iri,
    is_web_address,
    levels,
    records_to_graph,
    slugify,
    stages,
)

if TYPE_CHECKING:
    from cdkg.classify.verdicts import InitiativeResult

T = TypeVar("T")

#: Keys of an answers file (see docs/questionnaire.md).
ANSWER_KEYS = (
    "id",
    "title",
    "description",
    "website",
    "initiators",
    "collaborators",
    "participation",
    "sdgs",
    "countries",
    *(f.key for f in CONCEPT_FIELDS),
    "notes",
)


#: What a person may answer when they do not know (a participation level, a yes/no fact).
DONT_KNOW = ("?", "don't know", "do not know", "dont know", "not known", "unknown")


class AnswerError(ValueError):
    """One answer is not acceptable; the message says what is allowed."""


def is_dont_know(value: Any) -> bool:
    """Whether ``value`` says "I do not know" (unknown is not no)."""
    if not isinstance(value, str):
        return False
    return " ".join(value.replace("\u2019", "'").split()).casefold() in DONT_KNOW


# --------------------------------------------------------------------------- checks


def _choice(choices: ChoiceList, value: Any) -> URIRef:
    text = str(value).strip()
    choice = choices.lookup(text)
    if choice is None:
        raise AnswerError(f"{text!r} is not allowed; {choices.allowed()}")
    return choice.iri


def _chooser(choices: ChoiceList) -> Callable[[Any], URIRef]:
    return lambda value: _choice(choices, value)


def check_actor_type(value: Any) -> URIRef:
    return _choice(actor_type_choices(), value)


def check_level(value: Any) -> URIRef:
    return _choice(levels(), value)


def check_stage(value: Any) -> URIRef:
    return _choice(stages(), value)


def check_level_or_unknown(value: Any) -> URIRef | None:
    """A participation level, or None for "don't know"."""
    if is_dont_know(value):
        return None
    try:
        return check_level(value)
    except AnswerError as exc:
        raise AnswerError(f'{exc}, or "don\'t know"') from None


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [v.strip() for v in str(value).split(";") if v.strip()]


def check_sdgs(value: Any) -> list[str]:
    codes = _as_list(value)
    for code in codes:
        if sdg_concept(code) is None:
            raise AnswerError(
                f"{code!r} is not a known SDG goal, target or indicator; "
                "write e.g. 5, 5.2 or C050201"
            )
    return codes


def check_countries(value: Any) -> list[str]:
    codes = _as_list(value)
    for code in codes:
        if country_iri(code) is None:
            raise AnswerError(
                f"{code!r} is not an ISO 3166-1 alpha-3 country code; write e.g. KEN, GHA, BRA"
            )
    return [c.upper() for c in codes]


def check_title(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise AnswerError("empty; every initiative needs a name")
    return text


# --------------------------------------------------------------------------- answers file


def read_answers(path: Path) -> dict[str, Any]:
    """The answers of a YAML (or JSON) answers file."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError.single(name, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise InputError.single(name, f"not UTF-8 text ({exc.reason})") from None
    doc = safe_yaml(text, name)  # alias bombs, nesting and lone surrogates refused
    if not isinstance(doc, dict):
        raise InputError.single(
            name,
            "expected a mapping of answers (title: …, initiators: …)",
            hint="see docs/questionnaire.md",
        )
    return doc


def answers_to_record(answers: dict[str, Any], source: str = "<answers>") -> InitiativeRecord:
    """Check every answer; :class:`InputError` naming each bad key, or the record."""
    problems: list[Problem] = []

    def check(key: str, func: Callable[[Any], T], value: Any) -> T | None:
        try:
            return func(value)
        except AnswerError as exc:
            problems.append(Problem(source, f"{key}: {exc}"))
            return None

    for key in answers:
        if key not in ANSWER_KEYS:
            problems.append(
                Problem(source, f"{key}: unknown question; the keys are: {', '.join(ANSWER_KEYS)}")
            )
    title = check("title", check_title, answers.get("title"))
    record = InitiativeRecord(title=title or "")
    if answers.get("id") is not None:
        key = str(answers["id"]).strip()
        if not is_absolute_iri(key) and slugify(key) != key:
            problems.append(
                Problem(
                    source, f"id: {key!r} is not usable; write e.g. {slugify(key)!r} or a full IRI"
                )
            )
        record.key = key
    if answers.get("description"):
        record.description = str(answers["description"]).strip()
    if answers.get("website"):
        site = str(answers["website"]).strip()
        if not is_web_address(site):
            problems.append(
                Problem(source, f"website: {site!r} is not a web address; write https://…")
            )
        else:
            record.website = site
    for group in ("initiators", "collaborators"):
        value = answers.get(group) or []
        if not isinstance(value, list):
            problems.append(Problem(source, f"{group}: expected a list of {{name, type}} entries"))
            continue
        for i, entry in enumerate(value, start=1):
            key = f"{group}[{i}]"
            if not isinstance(entry, dict) or not str(entry.get("name") or "").strip():
                problems.append(Problem(source, f"{key}: expected name: … and type: …"))
                continue
            actor_type = check(f"{key}.type", check_actor_type, entry.get("type", ""))
            extra = set(entry) - {"name", "type"}
            if extra:
                problems.append(
                    Problem(source, f"{key}: unknown keys {sorted(extra)}; use name and type")
                )
            if actor_type is not None:
                getattr(record, group).append(ActorEntry(str(entry["name"]).strip(), (actor_type,)))
    if not answers.get("initiators"):
        problems.append(Problem(source, "initiators: missing; say who started the initiative"))
    participation = answers.get("participation") or {}
    if not isinstance(participation, dict):
        problems.append(Problem(source, "participation: expected stage: level pairs (design: 4)"))
        participation = {}
    for stage_key, level_value in participation.items():
        stage = check(f"participation.{stage_key}", check_stage, stage_key)
        if level_value is None or level_value == "":
            continue
        if is_dont_know(level_value):
            if stage is not None:
                record.unknown_levels.append(stage)
            continue
        level = check(f"participation.{stage_key}", check_level_or_unknown, level_value)
        if stage is not None and level is not None:
            record.levels[stage] = level
    record.sdgs = check("sdgs", check_sdgs, answers.get("sdgs")) or []
    record.countries = check("countries", check_countries, answers.get("countries")) or []
    for cfield in CONCEPT_FIELDS:
        values = _as_list(answers.get(cfield.key))
        if not cfield.multiple and len(values) > 1:
            problems.append(Problem(source, f"{cfield.key}: give one value, not {len(values)}"))
        chosen = [check(cfield.key, _chooser(cfield.choices), v) for v in values]
        if any(c is not None for c in chosen):
            record.concepts[cfield.key] = [c for c in chosen if c is not None]
    record.notes = (
        _as_list(answers.get("notes"))
        if isinstance(answers.get("notes"), list)
        else ([str(answers["notes"]).strip()] if answers.get("notes") else [])
    )
    if problems:
        raise InputError(problems)
    return record


# --------------------------------------------------------------------------- assessment


@dataclass
class Assessment:
    """The description built from the answers and its classification."""

    record: InitiativeRecord
    graph: Graph
    iri: URIRef
    verdict: InitiativeResult
    #: Participation levels answered but not written as engagements, because a design or
    #: collection level is not known and the rules read recorded engagements as the
    #: complete list (stage → level); empty when everything answered is recorded.
    held_back: dict[URIRef, URIRef] = field(default_factory=dict)


def decides(stage: URIRef) -> bool:
    """Whether citizens' say at ``stage`` can decide the verdict: design (or one of its
    parts) or data collection (Contract 3)."""
    if stage in (STAGE.design, STAGE.collection):
        return True
    choice = stages().by_iri(stage)
    return choice is not None and choice.broader == STAGE.design


def levels_text(found: dict[URIRef, URIRef]) -> str:
    """``design: level 2 (Consultation); uptake: level 3 (Conciliatory)``."""
    parts = []
    for stage, level in found.items():
        stage_choice, level_choice = stages().by_iri(stage), levels().by_iri(level)
        stage_label = stage_choice.label if stage_choice else _short(stage)
        level_label = (
            f"level {level_choice.notation} ({level_choice.label})"
            if level_choice and level_choice.notation
            else _short(level)
        )
        parts.append(f"{stage_label.lower()}: {level_label}")
    return "; ".join(parts)


def _classified(graph: Graph, iri: URIRef) -> InitiativeResult:
    from cdkg.classify.verdicts import classify

    items = [item for item in classify(graph).initiatives if str(item.iri) == str(iri)]
    if not items:
        raise RuntimeError(f"the classifier returned no verdict for {iri}")
    return items[0]


def assess(record: InitiativeRecord, base: str = DEFAULT_BASE_IRI) -> Assessment:
    """Build the description of ``record`` and classify it with :mod:`cdkg.classify.verdicts`.

    Unknown is not no: the rules read the engagements a description records as the
    complete list, so when a design or collection level is not known and the recorded
    ones would make the verdict "not citizen data", they are held back (kept as a note)
    and the verdict is to be assessed, with what would decide it.
    """
    graph = records_to_graph([record], base)
    iri = initiative_iri(record, base)
    result = _classified(graph, iri)
    unknown = [s for s in record.unknown_levels if decides(s)]
    if result.verdict != "not-citizen-data" or not unknown or not record.levels:
        return Assessment(record, graph, iri, result)
    held = dict(record.levels)
    note = (
        "Citizens' say answered but not recorded as engagements while it is not known "
        f"in {' and '.join(_stage_label(s) for s in unknown)} (recorded engagements are "
        f"read as the complete list): {levels_text(held)}."
    )
    kept = replace(record, levels={}, notes=[*record.notes, note])
    graph = records_to_graph([kept], base)
    return Assessment(record, graph, iri, _classified(graph, iri), held)


def _stage_label(stage: URIRef) -> str:
    choice = stages().by_iri(stage)
    return choice.label.lower() if choice else _short(stage)


#: How each verdict ends the sentence "Verdict: <title> …".
VERDICT_WORDS = {
    "citizen-data": "is citizen data",
    "not-citizen-data": "is not citizen data",
    "to-be-assessed": "is to be assessed: what is known does not decide it",
}
#: The verdict in a few words (a page's result line).
VERDICT_SUMMARY = {
    "citizen-data": "citizen data",
    "not-citizen-data": "not citizen data",
    "to-be-assessed": "to be assessed",
}


def type_line(item: InitiativeResult) -> str:
    """``Type 1 of 6: Civic action (…)``, or that there is no type yet."""
    if item.initiative_type is None:
        return "Type: none yet (it depends on what would decide the verdict)"
    type_label = concept_label(URIRef(item.initiative_type))
    return (
        f"Type {item.type_number} of 6: {type_label} "
        "(Copenhagen Framework on Citizen Data, Table 2)"
    )


def result_lines(item: InitiativeResult) -> list[str]:
    """The type, the reasons, what would decide it and the findings, as lines."""
    lines = [type_line(item), "Why:", *(f"  - {reason}" for reason in item.reasons)]
    if item.missing:
        lines.append("What would decide it:")
        lines.extend(f"  [ ] {m.message}" for m in item.missing)
    findings = list(item.findings)
    if findings:
        lines.append("Worth a look:")
        lines.extend(f"  - [{_short(f.severity)}] {f.message}" for f in findings)
    return lines


def render_verdict(assessment: Assessment) -> str:
    """The verdict and its reasons in plain words; for a case to be assessed, what would
    decide it."""
    item = assessment.verdict
    lines = [
        f"Verdict: {assessment.record.title} {VERDICT_WORDS[item.verdict]}.",
        *result_lines(item),
    ]
    if assessment.held_back:
        lines.append(
            "Not recorded as engagements until citizens' say in design and data collection "
            f"is known (kept as a note): {levels_text(assessment.held_back)}."
        )
    if item.verdict == "to-be-assessed":
        lines.append(
            "Once the description is in a registry, its keeper can settle the case: "
            f"cdkg assess --initiative {assessment.iri}"
        )
    return "\n".join(lines)


def _short(iri: Any) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def concept_label(iri: URIRef) -> str:
    """A concept's English label in the shipped vocabularies."""
    label = ontology_graph().value(iri, SKOS.prefLabel)
    return str(label) if label else _short(iri)
