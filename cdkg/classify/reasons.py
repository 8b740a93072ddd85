"""Plain-language reasons for a classification.

The verdict itself comes from the taxonomy rules (``shapes/taxonomy.ttl``); this module
only explains it, from the facts the rules looked at: who initiated the initiative, who
collaborates, and at which stage and level citizens take part. Each sentence cites the
Framework paragraph it rests on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from rdflib.term import Node, URIRef

from cdkg.model.namespaces import VERDICT


@dataclass(frozen=True)
class Actor:
    node: Node
    citizen: bool
    nso: bool
    #: False when the actor has no actor class cdkg knows (Contract 3, row 9).
    known: bool = True
    #: A civil society organisation that does not engage citizens directly (¶30).
    doubtful: bool = False


@dataclass(frozen=True)
class Engagement:
    node: Node
    stage: Node | None
    level: Node | None
    rank: int | None
    sufficient: bool
    #: True when the stage is design (or one of its parts) or collection.
    counts: bool
    #: False when every engaged actor is a non-citizen actor: then it counts for nothing.
    citizens: bool = True
    #: The engaged actors named (for the sentence on an engagement that does not count).
    engaged: tuple[Node, ...] = ()


@dataclass(frozen=True)
class Assessment:
    """A recorded case-by-case assessment (``cdkg:assessment``), as read from the data."""

    node: Node
    outcome: bool | None
    attributed_to: Node | None = None
    date: str | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Contract 4's ``assessment`` object."""
        return {
            "iri": str(self.node) if isinstance(self.node, URIRef) else None,
            "outcome": self.outcome,
            "attributedTo": str(self.attributed_to) if self.attributed_to is not None else None,
            "date": self.date,
            "description": self.description,
        }


@dataclass(frozen=True)
class MissingFact:
    """A fact that would decide a to-be-assessed verdict (Contract 4's ``missing``)."""

    fact: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"fact": self.fact, "message": self.message}


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _taking_part(labels: LabelSource, e: Engagement) -> str:
    stage = labels(e.stage).lower() if e.stage is not None else "an unrecorded stage"
    level = labels(e.level) if e.level is not None else "unrecorded"
    rank = f"level {e.rank} ({level})" if e.rank is not None else f"level {level}"
    return f"citizens take part in {stage} at {rank}"


class LabelSource(Protocol):
    """What the sentences need to name things (:class:`cdkg.model.labels.Labels` is one)."""

    def __call__(self, term: Node | None) -> str: ...

    def actor(self, actor: Node) -> str: ...


def _assessed(labels: LabelSource, assessment: Assessment | None) -> str:
    if assessment is None or assessment.outcome is None:
        return ""
    who = f" by {labels(assessment.attributed_to)}" if assessment.attributed_to else ""
    when = f" on {assessment.date}" if assessment.date else ""
    found = "citizen data" if assessment.outcome else "not citizen data"
    why = f": {assessment.description}" if assessment.description else ""
    return f"A recorded assessment{who}{when} found its data {found}{why} (¶30)."


_ASSESSMENT_FACT = MissingFact(
    "assessment",
    "Or a registry keeper's recorded case-by-case assessment (cdkg:assessment with its "
    "outcome, who made it, when and why) (¶30).",
)


def _level_facts() -> list[MissingFact]:
    return [
        MissingFact(
            "participation-at-design",
            "How much say citizens have in designing the data work: their participation "
            "level (1–5) at the design stage (¶22, ¶23).",
        ),
        MissingFact(
            "participation-at-collection",
            "How much say citizens have in collecting the data: their participation level "
            "(1–5) at the collection stage (¶22, ¶23).",
        ),
    ]


def explain(
    labels: LabelSource,
    type_iri: Node | None,
    type_number: int | None,
    initiators: list[Actor],
    collaborators: list[Actor],
    recorded_engagements: Callable[[], list[Engagement]],
    *,
    verdict: Node | None = None,
    assessment: Assessment | None = None,
) -> tuple[list[str], list[MissingFact]]:
    """Why an initiative has its verdict and type, in plain words, and what would decide
    it where it is to be assessed, from the facts the rules looked at (actors sorted by
    IRI, engagements by falling rank then stage), as
    :class:`cdkg.classify.explainer.Explainer` gathers them. ``verdict`` defaults to
    what the type implies."""
    if verdict is None:
        verdict = (
            VERDICT["citizen-data"]
            if type_number in (1, 2, 3, 4, 5)
            else VERDICT["not-citizen-data"]
        )
    open_case = verdict == VERDICT["to-be-assessed"]
    citizen = [labels.actor(a.node) for a in initiators if a.citizen]
    other = [labels.actor(a.node) for a in initiators if not a.citizen and a.known]
    type_phrase = (
        f"{labels(type_iri).lower()} (type {type_number}, ¶25)" if type_iri is not None else ""
    )
    unknown = [a for a in initiators if not a.known]
    if unknown:  # row 9
        names = _join([labels.actor(a.node) for a in unknown])
        out = [
            f"The kind of actor of {names} is not known (no actor type cdkg recognises), so "
            "whether citizens initiate it cannot be told (Box 1, ¶12)."
        ]
        missing: list[MissingFact] = []
        if open_case:
            out.append("So the verdict is to be assessed (¶30).")
            missing = [
                MissingFact(
                    "initiator-actor-type",
                    f"What kind of actor {labels.actor(a.node)} is: give it an actor type "
                    "(a citizen group, community, civil society organisation, national "
                    "statistical office, government agency, academic institution, …) (¶2).",
                )
                for a in unknown
            ] + [_ASSESSMENT_FACT]
        else:
            out.append(_assessed(labels, assessment))
        return out, missing
    doubtful_only = bool(citizen) and all(a.doubtful for a in initiators if a.citizen)
    if citizen and not doubtful_only:  # rows 1–3
        return _citizen_initiated(
            labels, type_number, type_phrase, citizen, other, collaborators
        ), []
    if doubtful_only:  # rows 8 and 8′
        csos = _join(citizen)
        out = [
            f"Initiated on the citizen side only by {csos}, a civil society organisation that "
            "does not engage citizens directly, so the case is assessed on its own (¶30)."
        ]
        if type_phrase:
            out.append(f"By who initiates and collaborates, it is {type_phrase}.")
        sufficient = [e for e in recorded_engagements() if e.counts and e.sufficient and e.citizens]
        if sufficient:
            out.extend(
                f"{_sentence(_taking_part(labels, e))}: sufficient participation "
                "(levels 4–5, ¶22, ¶24), so its data are citizen data."
                for e in sufficient
            )
            return out, []
        if not open_case:
            out.append(_assessed(labels, assessment))
            return out, []
        out.append(
            "No engagement of citizens at level 4 or 5 in design or data collection is "
            "recorded, so the verdict is to be assessed (¶30)."
        )
        missing = [
            *_level_facts(),
            MissingFact(
                "cso-engages-citizens-directly",
                f"Whether {csos} engages citizens directly; if it does, record it "
                "(cdkg:directlyEngagesCitizens true) (¶30).",
            ),
            _ASSESSMENT_FACT,
        ]
        return out, missing
    # rows 4–7: no citizen-side initiator
    who = _join(other) if other else "no recorded initiator"
    out = [
        f"Initiated by {who}, with no citizen-side initiator, so the level of citizen "
        "engagement in design or data collection decides (¶21, ¶28)."
    ]
    recorded = recorded_engagements()
    for e in recorded:
        if not e.citizens:
            names = _join([labels.actor(a) for a in e.engaged])
            stage = labels(e.stage).lower() if e.stage is not None else "an unrecorded stage"
            out.append(
                f"{_sentence(names)} take part in {stage}, but none of them is a citizen-side "
                "actor, so that engagement does not count (Contract 3)."
            )
    recorded = [e for e in recorded if e.citizens]
    sufficient = [e for e in recorded if e.counts and e.sufficient]
    if type_number in (4, 5) and sufficient:
        for e in sufficient:
            out.append(
                f"{_sentence(_taking_part(labels, e))}: sufficient participation "
                "(levels 4–5, ¶22, ¶24)."
            )
        out.append(_led_by(labels, initiators, type_number, type_phrase))
        return out, []
    if not recorded:  # row 7
        out.append("No engagement of citizens is recorded.")
        if open_case:
            out.append(
                "Unknown is not no: the verdict is to be assessed until the level of citizen "
                "engagement is known (Table 2, ¶30)."
            )
            return out, [*_level_facts(), _ASSESSMENT_FACT]
        out.append(_assessed(labels, assessment))
        if type_number in (4, 5):
            out.append(_led_by(labels, initiators, type_number, type_phrase))
        else:
            out.append(f"So it is {type_phrase}: its data are not citizen data (¶29).")
        return out, []
    for e in recorded:  # row 6
        if e.counts:
            extra = ""
            if e.rank is not None and e.rank <= 2:
                extra = "; being informed, consulted or answering a survey is not enough (¶17)"
            out.append(
                f"{_sentence(_taking_part(labels, e))}, below Partnership (level 4) — "
                f"not sufficient (¶22, ¶24){extra}."
            )
        else:
            out.append(
                f"{_sentence(_taking_part(labels, e))}, but only design and data collection "
                "count (¶17, ¶24)."
            )
    out.append(f"So it is {type_phrase}: its data are not citizen data (¶29).")
    return out, []


def _led_by(
    labels: LabelSource, initiators: list[Actor], type_number: int | None, type_phrase: str
) -> str:
    if type_number == 4:
        nsos = [labels(a.node) for a in initiators if a.nso]
        return (
            f"A national statistical office leads it ({_join(nsos)}), so it is {type_phrase}; "
            "its data are citizen data."
        )
    return (
        f"No national statistical office initiated it, so it is {type_phrase}; "
        "its data are citizen data."
    )


def _citizen_initiated(
    labels: LabelSource,
    type_number: int | None,
    type_phrase: str,
    citizen: list[str],
    other: list[str],
    collaborators: list[Actor],
) -> list[str]:
    out: list[str] = []
    if type_number in (1, 2):
        out.append(
            f"Initiated by {_join(citizen)} — citizen-side only, so citizens initiate it "
            "and its data are citizen data (Box 1, ¶12, ¶28)."
        )
        outside = [labels.actor(a.node) for a in collaborators if not a.citizen]
        if type_number == 2:
            out.append(f"It is carried out with {_join(outside)}, so it is {type_phrase}.")
        elif collaborators:
            names = _join([labels(a.node) for a in collaborators])
            out.append(f"Its collaborators are citizen-side too ({names}), so it is {type_phrase}.")
        else:
            out.append(f"No state or other actor collaborates, so it is {type_phrase}.")
        return out
    out.append(
        f"Initiated together by {_join(citizen)} and {_join(other)}, so it is {type_phrase} "
        "and its data are citizen data (¶28)."
    )
    return out
