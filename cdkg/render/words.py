"""Words for IRIs on the pages: labels from the shipped ontology and vocabularies,
SDG names, country names, and the order of stages and participation levels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from iso3166 import countries
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDFS, SKOS
from rdflib.term import Node

from cdkg.model.choices import COUNTRY_AUTHORITY, scheme_choices
from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.model.sdg import code_list

#: Properties that name a thing, in the order they are tried.
LABEL_PROPERTIES = (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name)


def english(values: list[Literal]) -> str | None:
    """The English value among language-tagged literals, else an untagged one, else any."""
    for wanted in ("en", None):
        for v in values:
            if (v.language or None) == wanted or (wanted and (v.language or "").startswith("en")):
                return str(v)
    return str(values[0]) if values else None


def label_in(graph: Graph, node: Node) -> str | None:
    for prop in LABEL_PROPERTIES:
        found = english([v for v in graph.objects(node, prop) if isinstance(v, Literal)])
        if found:
            return found
    return None


def local_name(iri: str) -> str:
    """The last segment of an IRI, made readable (``design-access-use`` → ``design access use``)."""
    tail = re.split(r"[/#]", iri.rstrip("/#"))[-1] or iri
    return tail


@lru_cache(maxsize=4096)
def vocab_label(iri: str) -> str | None:
    """The label the shipped ontology, vocabularies or SDG code list give ``iri``."""
    sdg = code_list().concepts.get(iri)
    if sdg is not None:
        return sdg_name(iri)
    if iri.startswith(COUNTRY_AUTHORITY):
        return country_name(iri)
    return label_in(ontology_graph(), URIRef(iri))


def sdg_name(iri: str) -> str:
    """``Goal 5: Gender equality``, ``Target 5.2``, ``Indicator 5.2.1``."""
    concept = code_list().concepts.get(iri)
    if concept is None:
        return local_name(iri)
    if concept.kind == "goal":
        short = english(
            [
                v
                for v in ontology_graph().objects(URIRef(iri), SKOS.altLabel)
                if isinstance(v, Literal)
            ]
        )
        if short and short.casefold() not in concept.label.casefold():
            return f"{concept.label}: {short}"
        return concept.label
    return concept.label


def sdg_goal(iri: str) -> str | None:
    """The goal an SDG goal, target or indicator belongs to (its IRI)."""
    concepts = code_list().concepts
    seen: set[str] = set()
    todo = [iri]
    while todo:
        current = todo.pop()
        concept = concepts.get(current)
        if concept is None or current in seen:
            continue
        seen.add(current)
        if concept.kind == "goal":
            return current
        todo.extend(concept.broader)
    return None


def sdg_goals() -> list[str]:
    """All goal IRIs in number order."""
    goals = code_list().goals()
    return [g.iri for g in sorted(goals, key=lambda g: int(g.code) if g.code.isdigit() else 99)]


def country_name(iri: str) -> str:
    code = iri[len(COUNTRY_AUTHORITY) :] if iri.startswith(COUNTRY_AUTHORITY) else iri
    try:
        return str(countries.get(code).name)
    except KeyError:
        return code


@dataclass(frozen=True)
class Level:
    iri: str
    rank: int
    label: str
    definition: str | None


@lru_cache(maxsize=1)
def levels() -> tuple[Level, ...]:
    """The participation levels in rank order (Table 1, ¶22)."""
    graph = ontology_graph()
    out = []
    for choice in scheme_choices("participation-level").choices:
        rank = graph.value(choice.iri, CDKG.rank)
        number = int(str(rank)) if isinstance(rank, Literal) else int(choice.notation or 0)
        out.append(Level(str(choice.iri), number, choice.label, choice.definition))
    return tuple(sorted(out, key=lambda lv: lv.rank))


@dataclass(frozen=True)
class Stage:
    iri: str
    label: str
    broader: str | None
    gsbpm: tuple[str, ...]


@lru_cache(maxsize=1)
def stages() -> tuple[Stage, ...]:
    """The stages of the data value chain (¶23), each narrower stage after its broader one."""
    graph = ontology_graph()
    choices = scheme_choices("stage").choices
    top = [c for c in choices if c.broader is None]
    ordered = []
    for parent in top:
        ordered.append(parent)
        ordered.extend(c for c in choices if c.broader == parent.iri)
    ordered.extend(c for c in choices if c not in ordered)
    return tuple(
        Stage(
            str(c.iri),
            c.label,
            str(c.broader) if c.broader else None,
            tuple(sorted(str(p) for p in graph.objects(c.iri, CDKG.gsbpmPhase))),
        )
        for c in ordered
    )


def gsbpm_label(iri: str) -> str:
    """``GSBPM 3 Build`` style name of a GSBPM phase IRI (the ontology may label it)."""
    found = label_in(ontology_graph(), URIRef(iri))
    number = local_name(iri)
    if found and number not in found:
        return f"GSBPM phase {number}: {found}"
    return found or f"GSBPM phase {number}"
