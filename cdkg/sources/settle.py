"""Settling a case the rules leave to be assessed, without writing RDF.

A registry keeper is asked only what would decide the case — the facts the classifier
lists as missing (citizens' say in design and in data collection, whether a civil society
organisation engages citizens directly, an initiator's kind of actor) and, while they do
not decide it, the outcome — then who is assessing and why. The answers become facts in
the description and its ``cdkg:assessment`` (DESIGN Contract 3 revision 2)::

    <initiative> cdkg:assessment [ a cdkg:Assessment ; cdkg:outcome true ;
        prov:wasAttributedTo <agent> ; dct:date "2025-05-01"^^xsd:date ;
        dct:description "why" ] .

Answers come from a person (:class:`cdkg.sources.interview.SettleInterview`), an answers
file or a web form (:class:`MappingAnswers`); all go through the same checks here. Unknown
is not no: a level answered "don't know" is not written, and levels that would make the
rules read it as "no part" are held back (named in the assessment's description instead).
A new assessment replaces the initiative's earlier ones (disagreeing assessments would
leave the case open).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, TypeVar

from rdflib import RDF, XSD, Graph, Literal
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS
from rdflib.term import BNode, Node, URIRef

from cdkg.classify.explainer import Explainer
from cdkg.classify.facts import graph_facts
from cdkg.classify.reasons import Actor
from cdkg.classify.verdicts import InitiativeResult, classify
from cdkg.errors import InputError, Problem
from cdkg.model.labels import Labels
from cdkg.model.namespaces import CDKG, STAGE
from cdkg.model.ontology import ontology_graph
from cdkg.sources.questionnaire import (
    VERDICT_SUMMARY,
    AnswerError,
    check_actor_type,
    check_level_or_unknown,
    decides,
    is_dont_know,
    levels_text,
)
from cdkg.sources.records import DEFAULT_BASE_IRI, actor_iri, engagement_iri, is_absolute_iri

T = TypeVar("T")

#: The facts a keeper may be asked, and the answers-file key of each.
LEVEL_FACTS = {
    "participation-at-design": STAGE.design,
    "participation-at-collection": STAGE.collection,
}
#: Keys of a settling answers file (see docs/questionnaire.md).
SETTLE_KEYS = (
    "participation",
    "engages_citizens_directly",
    "actor_types",
    "outcome",
    "assessed_by",
    "reason",
)
_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")
_CITIZEN_DATA = ("citizen data", "citizen-data", *_YES)
_NOT_CITIZEN_DATA = ("not citizen data", "not-citizen-data", "no citizen data", *_NO)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


# --------------------------------------------------------------------------- answers


def check_yes_no(value: Any) -> bool | None:
    """True, False, or None for "don't know"."""
    if isinstance(value, bool):
        return value
    if is_dont_know(value):
        return None
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise AnswerError(f'{str(value).strip()!r} is not allowed; answer yes, no or "don\'t know"')


def check_kind(value: Any) -> URIRef | None:
    """A kind of actor, or None for "don't know"."""
    return None if is_dont_know(value) else check_actor_type(value)


def check_outcome(value: Any) -> bool:
    """The outcome of an assessment: True for citizen data, False for not citizen data."""
    if isinstance(value, bool):
        return value
    text = " ".join(str(value).split()).casefold()
    if text in _CITIZEN_DATA:
        return True
    if text in _NOT_CITIZEN_DATA:
        return False
    raise AnswerError(
        f"{str(value).strip()!r} is not allowed; the outcome settles the case: answer "
        "'citizen data' (yes) or 'not citizen data' (no)"
    )


def check_assessor(value: Any) -> Node:
    """Who is assessing: an IRI (a web address or other IRI), or a name."""
    text = " ".join(str(value or "").split())
    if not text:
        raise AnswerError("empty; say who is assessing (a name, or an IRI)")
    if text.lower().startswith(("mailto:", "tel:", "fax:")) or _EMAIL.search(text):
        raise AnswerError(
            "contact details are not recorded (they would be published); give a name or a "
            "web address"
        )
    if is_absolute_iri(text):
        return URIRef(text)
    return Literal(text)


def check_reason(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise AnswerError("empty; say in a sentence why (it is kept with the assessment)")
    return text


class Answers(Protocol):
    """Where a settlement's answers come from: a person, a file or a form."""

    def answer(
        self, keys: tuple[str, ...], question: Question | str, check: Callable[[Any], T]
    ) -> T | None:
        """The checked answer to ``question`` (answers-file ``keys``, the first the
        canonical one), or None when it is not given; a fact's question may be answered
        "don't know", which ``check`` turns into None."""
        ...

    def required(self, key: str, question: str, check: Callable[[Any], T]) -> T | None:
        """The checked answer to a question that must be answered (None only when an
        answers file leaves it out: the problem is reported by :meth:`finish`)."""
        ...

    def given(self, key: str) -> bool:
        """Whether the answer to ``key`` is given without asking (an answers file)."""
        ...

    def say(self, text: str = "") -> None:
        """Tell the person something (nothing for a file)."""
        ...

    def finish(self) -> None:
        """Raise :class:`InputError` naming every answer that was wrong or not asked."""
        ...


def flatten(answers: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"participation": {"design": 4}}`` → ``{"participation.design": 4}``."""
    flat: dict[str, Any] = {}
    for key, value in answers.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = value
    return flat


class MappingAnswers:
    """Answers given all at once: an answers file (YAML) or the fields of a web form."""

    def __init__(self, answers: Mapping[str, Any], source: str) -> None:
        self.source = source
        self.values = {k: v for k, v in flatten(answers).items() if v is not None and v != ""}
        self.used: set[str] = set()
        self.problems: list[Problem] = []
        known = ", ".join(SETTLE_KEYS)
        for key in answers:
            if str(key).split(".", 1)[0] not in SETTLE_KEYS:
                self.problems.append(
                    Problem(source, f"{key}: unknown question; the keys are: {known}")
                )
                self.used.update(k for k in self.values if k == key or k.startswith(f"{key}."))

    def _find(self, keys: tuple[str, ...]) -> str | None:
        for key in keys:
            if key in self.values:
                return key
        return None

    def _checked(self, key: str, check: Callable[[Any], T]) -> T | None:
        self.used.add(key)
        try:
            return check(self.values[key])
        except AnswerError as exc:
            self.problems.append(Problem(self.source, f"{key}: {exc}"))
            return None

    def answer(
        self, keys: tuple[str, ...], question: Question | str, check: Callable[[Any], T]
    ) -> T | None:
        found = self._find(keys)
        return None if found is None else self._checked(found, check)

    def required(self, key: str, question: str, check: Callable[[Any], T]) -> T | None:
        if key not in self.values:
            self.problems.append(Problem(self.source, f"{key}: missing", hint=question))
            return None
        return self._checked(key, check)

    def given(self, key: str) -> bool:
        return key in self.values

    def say(self, text: str = "") -> None:
        pass

    def finish(self) -> None:
        for key in sorted(set(self.values) - self.used):
            self.problems.append(
                Problem(
                    self.source,
                    f"{key}: not asked: it is not among what would decide this case",
                    hint="answer only what the case lists as missing",
                )
            )
        if self.problems:
            raise InputError(self.problems)


# --------------------------------------------------------------------------- the case


@dataclass(frozen=True)
class Question:
    """One missing fact, asked in plain words."""

    #: Answers-file keys that answer it (the first is the canonical one, also the name of
    #: the web form's field).
    keys: tuple[str, ...]
    #: The missing fact it decides (Contract 4's ``missing[].fact``).
    fact: str
    text: str
    #: ``level``, ``yes-no`` or ``actor-type``: how it is answered.
    kind: str
    #: The stage (a level question) or the actor it is about.
    subject: Node

    @property
    def key(self) -> str:
        return self.keys[0]

    def check(self, value: Any) -> Any:
        """The checked answer (None for "don't know")."""
        if self.kind == "level":
            return check_level_or_unknown(value)
        if self.kind == "yes-no":
            return check_yes_no(value)
        return check_kind(value)


@dataclass
class Case:
    """One initiative as described, and its classification."""

    iri: URIRef
    #: The description it was classified from (the source graph describing it).
    graph: Graph
    result: InitiativeResult

    @property
    def open(self) -> bool:
        """Whether the rules leave it to be assessed."""
        return self.result.verdict == "to-be-assessed"

    @property
    def title(self) -> str:
        return self.result.title or str(self.iri)


def classify_one(graph: Graph, iri: URIRef) -> InitiativeResult | None:
    """The classification of the initiative ``iri`` described in ``graph``."""
    for item in classify(graph).initiatives:
        if item.iri == str(iri):
            return item
    return None


def open_case(graph: Graph, iri: str) -> Case:
    """The case of ``iri`` as ``graph`` describes it; :class:`InputError` if ``graph``
    does not describe it as an initiative."""
    node = URIRef(iri)
    result = classify_one(graph, node)
    if result is None:
        raise InputError.single(
            iri,
            "not an initiative: its description has no initiator (cdkg:initiatedBy) and "
            "is not typed cdkg:Initiative",
        )
    return Case(node, graph, result)


def _with_ontology(graph: Graph) -> Graph:
    union = Graph()
    union += ontology_graph()
    union += graph
    return union


def _actor_keys(group: str, actor: Actor, labels: Labels, alone: bool) -> tuple[str, ...]:
    keys = [f"{group}.{labels(actor.node)}"]
    if isinstance(actor.node, URIRef):
        keys.append(f"{group}.{actor.node}")
    if alone:
        keys.append(group)
    return tuple(keys)


def questions(graph: Graph, initiative: URIRef, result: InitiativeResult) -> list[Question]:
    """The questions whose answers could decide ``result`` (none when it is decided)."""
    wanted = {m.fact for m in result.missing}
    out: list[Question] = []
    for fact, stage in LEVEL_FACTS.items():
        if fact in wanted:
            name = "designing the data work" if stage == STAGE.design else "collecting the data"
            out.append(
                Question(
                    (f"participation.{stage.rsplit('/', 1)[-1]}",),
                    fact,
                    f"How much say do citizens have in {name}? (1–5, or ? if not known)",
                    "level",
                    stage,
                )
            )
    if not wanted & {"cso-engages-citizens-directly", "initiator-actor-type"}:
        return out
    union = _with_ontology(graph)
    labels = Labels(union)
    initiators = Explainer(graph_facts(union)).initiators(initiative)
    if "cso-engages-citizens-directly" in wanted:
        doubtful = [a for a in initiators if a.doubtful]
        for actor in doubtful:
            name = labels(actor.node)
            out.append(
                Question(
                    _actor_keys("engages_citizens_directly", actor, labels, len(doubtful) == 1),
                    "cso-engages-citizens-directly",
                    f"Does {name} engage citizens directly? (yes, no, or ? if not known)",
                    "yes-no",
                    actor.node,
                )
            )
    if "initiator-actor-type" in wanted:
        unknown = [a for a in initiators if not a.known]
        for actor in unknown:
            name = labels(actor.node)
            out.append(
                Question(
                    _actor_keys("actor_types", actor, labels, len(unknown) == 1),
                    "initiator-actor-type",
                    f"What kind of actor is {name}? (or ? if not known)",
                    "actor-type",
                    actor.node,
                )
            )
    return out


# --------------------------------------------------------------------------- settling


@dataclass
class Facts:
    """The facts a keeper gave."""

    levels: dict[URIRef, URIRef] = field(default_factory=dict)
    unknown_levels: list[URIRef] = field(default_factory=list)
    kinds: dict[Node, URIRef] = field(default_factory=dict)
    direct: dict[Node, bool] = field(default_factory=dict)

    def apply(self, graph: Graph, initiative: URIRef, *, levels: bool = True) -> Graph:
        """A copy of ``graph`` with the facts (and the levels, unless held back)."""
        out = _copy(graph)
        for actor, kind in self.kinds.items():
            out.add((actor, RDF.type, kind))
        for actor, direct in self.direct.items():
            out.remove((actor, CDKG.directlyEngagesCitizens, None))
            out.add((actor, CDKG.directlyEngagesCitizens, Literal(direct)))
        if levels:
            for stage, level in self.levels.items():
                engagement: Node = engagement_iri(initiative, stage)
                if (engagement, None, None) in out:
                    engagement = BNode()
                out.add((initiative, CDKG.hasEngagement, engagement))
                out.add((engagement, RDF.type, CDKG.Engagement))
                out.add((engagement, CDKG.stage, stage))
                out.add((engagement, CDKG.participationLevel, level))
        return out

    def lines(self, labels: Labels, held: bool) -> Iterator[str]:
        for stage, level in self.levels.items():
            note = " (kept as a note of the assessment, not as an engagement)" if held else ""
            yield f"citizens' say in {levels_text({stage: level})}{note}"
        for stage in self.unknown_levels:
            yield f"citizens' say in {labels(stage).lower()}: not known"
        for actor in self.kinds:
            yield f"{labels(actor)} is {labels.actor_kind(actor)}"
        for actor, direct in self.direct.items():
            yield f"{labels(actor)} engages citizens directly: {'yes' if direct else 'no'}"


@dataclass
class Settlement:
    """A settled case: the description with the facts and the assessment, classified."""

    case: Case
    graph: Graph
    facts: list[str]
    outcome: bool
    #: Who is assessing, as answered: a name (a literal) or an IRI.
    assessor: Node
    #: The agent the assessment is attributed to.
    agent: URIRef
    reason: str
    when: date
    #: The earlier assessments this one replaces (their outcome, who and when, in words).
    replaced: list[str]
    result: InitiativeResult
    #: Whether the answered facts decided the case by the rules (no outcome was asked).
    decided_by_facts: bool = False

    @property
    def contradicts_rules(self) -> bool:
        """Whether the rules decide the case differently from the assessment."""
        return self.result.is_citizen_data is not None and self.result.is_citizen_data != (
            self.outcome
        )


def _copy(graph: Graph) -> Graph:
    out = Graph()
    for prefix, ns in graph.namespaces():
        out.bind(prefix, ns, override=False)
    for triple in graph:
        out.add(triple)
    return out


def _closure(graph: Graph, node: Node) -> set[tuple[Node, Node, Node]]:
    """The triples about ``node`` and about the blank nodes it leads to."""
    found: set[tuple[Node, Node, Node]] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        for s, p, o in graph.triples((current, None, None)):
            if (s, p, o) not in found:
                found.add((s, p, o))
                if isinstance(o, BNode):
                    todo.append(o)
    return found


def without_assessments(graph: Graph, initiative: URIRef) -> tuple[Graph, list[str]]:
    """A copy of ``graph`` without the initiative's recorded assessments, and those
    assessments in words."""
    out = _copy(graph)
    labels = Labels(graph)
    gone = []
    for node in list(graph.objects(initiative, CDKG.assessment)):
        outcome = graph.value(node, CDKG.outcome)
        words = "citizen data" if outcome == Literal(True) else "not citizen data"
        who = graph.value(node, PROV.wasAttributedTo)
        when = graph.value(node, DCTERMS.date)
        gone.append(
            f"{words}"
            + (f", by {labels(who)}" if who is not None else "")
            + (f", on {when}" if when is not None else "")
        )
        out.remove((initiative, CDKG.assessment, node))
        if isinstance(node, BNode):
            for triple in _closure(graph, node):
                out.remove(triple)
    return out, gone


def agent_for(graph: Graph, assessor: Node, base: str) -> URIRef:
    """Who is assessing as an agent: the IRI given, or one minted from the name (``BASE
    actor/<slug>``, as the questionnaire mints actors) with its ``foaf:name``."""
    if isinstance(assessor, URIRef):
        return assessor
    agent = actor_iri(str(assessor), base)
    graph.add((agent, RDF.type, PROV.Agent))
    graph.add((agent, FOAF.name, assessor))
    return agent


def add_assessment(
    graph: Graph,
    initiative: URIRef,
    outcome: bool,
    agent: URIRef,
    reason: str,
    when: date,
) -> Node:
    """Record ``<initiative> cdkg:assessment [ … ]`` in ``graph``; the assessment node."""
    node = BNode()
    graph.add((initiative, CDKG.assessment, node))
    graph.add((node, RDF.type, CDKG.Assessment))
    graph.add((node, CDKG.outcome, Literal(outcome)))
    graph.add((node, PROV.wasAttributedTo, agent))
    graph.add((node, DCTERMS.date, Literal(when.isoformat(), datatype=XSD.date)))
    graph.add((node, DCTERMS.description, Literal(reason)))
    return node


def _classified(graph: Graph, iri: URIRef) -> InitiativeResult:
    result = classify_one(graph, iri)
    if result is None:  # pragma: no cover - the facts never remove the initiative
        raise RuntimeError(f"the classifier returned no verdict for {iri}")
    return result


def _ask_facts(
    case: Case, base: Graph, result: InitiativeResult, answers: Answers
) -> tuple[Facts, Graph, InitiativeResult, bool]:
    """Ask the missing facts (and those the answers bring up) until none is new; the
    facts, the description with them, its classification and whether levels were held
    back."""
    facts = Facts()
    asked: set[str] = set()
    graph, held = base, False
    while True:
        new = [q for q in questions(graph, case.iri, result) if q.key not in asked]
        if not new:
            return facts, graph, result, held
        if any(q.kind == "level" for q in new):
            answers.say()
        for q in new:
            asked.add(q.key)
            value = answers.answer(q.keys, q, q.check)
            if q.kind == "level":
                if value is None:
                    facts.unknown_levels.append(q.subject)  # type: ignore[arg-type]
                else:
                    facts.levels[q.subject] = value  # type: ignore[index]
            elif q.kind == "yes-no" and value is not None:
                facts.direct[q.subject] = value
            elif q.kind == "actor-type" and value is not None:
                facts.kinds[q.subject] = value
        graph, held = facts.apply(base, case.iri), False
        result = _classified(graph, case.iri)
        unknown = [s for s in facts.unknown_levels if decides(s)]
        if result.verdict == "not-citizen-data" and unknown and facts.levels:
            # unknown is not no: recorded levels would make the rules read it as no part
            graph, held = facts.apply(base, case.iri, levels=False), True
            result = _classified(graph, case.iri)


def settle(
    case: Case,
    answers: Answers,
    *,
    today: date | None = None,
    base: str = DEFAULT_BASE_IRI,
) -> Settlement:
    """Ask what would decide ``case`` and record the assessment; the settled description.

    ``case`` may be decided already (``--force``): then only the outcome, who and why are
    asked, and where the rules decide they stand. A name for who is assessing becomes an
    agent under ``base`` (see :func:`agent_for`).
    """
    when = today or date.today()
    start, replaced = without_assessments(case.graph, case.iri)
    result = _classified(start, case.iri) if replaced else case.result
    rules_decide = result.verdict != "to-be-assessed"
    facts, graph, result, held = _ask_facts(case, start, result, answers)
    labels = Labels(_with_ontology(graph))
    decided_by_facts = not rules_decide and result.verdict != "to-be-assessed"
    outcome: bool | None
    answers.say()
    if decided_by_facts:
        decided = bool(result.is_citizen_data)
        answers.say(f"What you answered decides it: {VERDICT_SUMMARY[result.verdict]}.")
        outcome = decided
        if answers.given("outcome"):
            given = answers.required("outcome", "", check_outcome)
            if given is not None and given != decided:
                raise InputError.single(
                    "outcome",
                    f"the facts answered decide it ({VERDICT_SUMMARY[result.verdict]}), "
                    "so the rules stand",
                    hint="leave the outcome out, or check the facts",
                )
    else:
        outcome = answers.required(
            "outcome", "Is it citizen data? (citizen data / not citizen data)", check_outcome
        )
    assessor = answers.required(
        "assessed_by", "Who is assessing? (a name, or an IRI)", check_assessor
    )
    reason = answers.required("reason", "Why? (a sentence, kept with the assessment)", check_reason)
    answers.finish()
    if outcome is None or assessor is None or reason is None:  # pragma: no cover - finish raised
        raise InputError.single("answers", "the assessment is incomplete")
    lines = list(facts.lines(labels, held))
    settled = _copy(graph)
    agent = agent_for(settled, assessor, base)
    node = add_assessment(settled, case.iri, outcome, agent, reason, when)
    if held and facts.levels:
        settled.add(
            (
                node,
                SKOS.note,
                Literal(
                    "Citizens' say reported at the assessment but not recorded as engagements "
                    "while it is not known in design or data collection (recorded engagements "
                    f"are read as the complete list): {levels_text(facts.levels)}."
                ),
            )
        )
    return Settlement(
        case=case,
        graph=settled,
        facts=lines,
        outcome=outcome,
        assessor=assessor,
        agent=agent,
        reason=reason,
        when=when,
        replaced=replaced,
        result=_classified(settled, case.iri),
        decided_by_facts=decided_by_facts,
    )


def assessment_line(settlement: Settlement) -> str:
    """``citizen data, by Registry keeper on 2025-05-01: why``."""
    words = "citizen data" if settlement.outcome else "not citizen data"
    who = str(settlement.assessor)
    return f"{words}, by {who} on {settlement.when.isoformat()}: {settlement.reason}"
