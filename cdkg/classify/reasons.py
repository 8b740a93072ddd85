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

from rdflib import Graph
from rdflib.term import Literal, Node

from cdkg.model.labels import Labels
from cdkg.model.namespaces import CDKG, STAGE

_TYPE_PATH = "rdf:type/(rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)*"
_NS = {
    "cdkg": CDKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
}
_ACTORS = f"""
SELECT DISTINCT ?actor ?citizen ?nso WHERE {{
  ?initiative ?role ?actor .
  BIND (EXISTS {{ ?actor {_TYPE_PATH} cdkg:CitizenActor }} AS ?citizen)
  BIND (EXISTS {{ ?actor {_TYPE_PATH} cdkg:NationalStatisticalOffice }} AS ?nso)
}}"""
_ENGAGEMENTS = """
SELECT DISTINCT ?engagement ?stage ?level ?rank ?sufficient ?counts WHERE {
  ?initiative cdkg:hasEngagement ?engagement .
  OPTIONAL { ?engagement cdkg:stage ?stage }
  OPTIONAL { ?engagement cdkg:participationLevel ?level .
             OPTIONAL { ?level cdkg:rank ?rank }
             OPTIONAL { ?level cdkg:sufficient ?sufficient } }
  BIND (EXISTS { ?engagement cdkg:stage/skos:broader* ?top .
                 FILTER (?top IN (?design, ?collection)) } AS ?counts)
}"""


@dataclass(frozen=True)
class Actor:
    node: Node
    citizen: bool
    nso: bool


@dataclass(frozen=True)
class Engagement:
    node: Node
    stage: Node | None
    level: Node | None
    rank: int | None
    sufficient: bool
    #: True when the stage is design (or one of its parts) or collection.
    counts: bool


def _true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _rows(graph: Graph, query: str, bindings: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in graph.query(query, initNs=_NS, initBindings=bindings)]  # type: ignore[arg-type]


def actors(graph: Graph, initiative: Node, role: Node) -> list[Actor]:
    rows = _rows(graph, _ACTORS, {"initiative": initiative, "role": role})
    found = [Actor(r[0], _true(r[1]), _true(r[2])) for r in rows]
    return sorted(found, key=lambda a: str(a.node))


def engagements(graph: Graph, initiative: Node) -> list[Engagement]:
    rows = _rows(
        graph,
        _ENGAGEMENTS,
        {"initiative": initiative, "design": STAGE.design, "collection": STAGE.collection},
    )
    found = []
    for r in rows:
        rank = r[3]
        found.append(
            Engagement(
                node=r[0],
                stage=r[1],
                level=r[2],
                rank=int(rank) if isinstance(rank, Literal) else None,
                sufficient=_true(r[4]),
                counts=_true(r[5]),
            )
        )
    return sorted(found, key=lambda e: (-(e.rank or 0), str(e.stage)))


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


def reasons_for(
    graph: Graph, labels: Labels, initiative: Node, type_iri: Node, type_number: int
) -> list[str]:
    """Why ``initiative`` has the type ``type_iri`` (number ``type_number``), in plain words."""
    return explain(
        labels,
        type_iri,
        type_number,
        actors(graph, initiative, CDKG.initiatedBy),
        actors(graph, initiative, CDKG.collaborator),
        lambda: engagements(graph, initiative),
    )


def explain(
    labels: LabelSource,
    type_iri: Node,
    type_number: int,
    initiators: list[Actor],
    collaborators: list[Actor],
    recorded_engagements: Callable[[], list[Engagement]],
) -> list[str]:
    """The sentences of :func:`reasons_for` from the facts the rules looked at (actors
    sorted by IRI, engagements as :func:`engagements` orders them), however gathered."""
    citizen = [labels.actor(a.node) for a in initiators if a.citizen]
    other = [labels.actor(a.node) for a in initiators if not a.citizen]
    type_phrase = f"{labels(type_iri).lower()} (type {type_number}, ¶25)"
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
    if type_number == 3:
        out.append(
            f"Initiated together by {_join(citizen)} and {_join(other)}, so it is {type_phrase} "
            "and its data are citizen data (¶28)."
        )
        return out
    who = _join(other) if other else "no recorded initiator"
    out.append(
        f"Initiated by {who}, with no citizen-side initiator, so the level of citizen "
        "engagement in design or data collection decides (¶21, ¶28)."
    )
    recorded = recorded_engagements()
    sufficient = [e for e in recorded if e.counts and e.sufficient]
    if type_number in (4, 5):
        for e in sufficient:
            out.append(
                f"{_sentence(_taking_part(labels, e))}: sufficient participation "
                "(levels 4–5, ¶22, ¶24)."
            )
        if type_number == 4:
            nsos = [labels(a.node) for a in initiators if a.nso]
            out.append(
                f"A national statistical office leads it ({_join(nsos)}), so it is {type_phrase}; "
                "its data are citizen data."
            )
        else:
            out.append(
                f"No national statistical office initiated it, so it is {type_phrase}; "
                "its data are citizen data."
            )
        return out
    if not recorded:
        out.append("No engagement of citizens is recorded.")
    for e in recorded:
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
    return out
