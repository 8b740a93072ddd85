"""Controlled values offered to people who do not write RDF, read from the vocabularies.

Spreadsheets, the questionnaire and crosswalks all let a person pick a value by its
label ("Partnership"), its notation ("4") or its code (the last segment of its IRI).
Every list here is read from the shipped ontology and SKOS files
(:func:`cdkg.model.ontology.ontology_graph`); nothing is re-stated in Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from iso3166 import countries
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from cdkg.model.namespaces import CDKG, VOCAB_BASE
from cdkg.model.ontology import ontology_graph

#: EU Publications Office country authority (DESIGN Contract 2, ``dct:spatial``).
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"

_NOTATION_PART = re.compile(r"(\d+)|(\D+)")


@dataclass(frozen=True)
class Choice:
    """One allowed value: its IRI and the words a person may type for it."""

    iri: URIRef
    code: str
    label: str
    notation: str | None = None
    definition: str | None = None
    broader: URIRef | None = None
    aliases: tuple[str, ...] = ()  # skos:altLabel and other labels a person may type
    order: tuple[float, ...] = ()  # position in the vocabulary's own order, when it has one


@dataclass(frozen=True)
class ChoiceList:
    """The allowed values of one field, in a stable order."""

    name: str
    choices: tuple[Choice, ...]
    by_notation: bool = False  # values are written by notation ("4"), e.g. levels

    def display(self, choice: Choice) -> str:
        """How a value is written: its notation for ``by_notation`` lists, else its label."""
        return choice.notation if self.by_notation and choice.notation else choice.label

    def lookup(self, text: str) -> Choice | None:
        """The choice named by ``text`` (label, notation, code or IRI; case-insensitive)."""
        wanted = _norm(text)
        for choice in self.choices:
            keys = {_norm(choice.label), _norm(choice.code), _norm(str(choice.iri))}
            keys.update(_norm(alias) for alias in choice.aliases)
            if choice.notation:
                keys.add(_norm(choice.notation))
            if wanted in keys:
                return choice
        return None

    def by_iri(self, iri: Node) -> Choice | None:
        for choice in self.choices:
            if choice.iri == iri:
                return choice
        return None

    def labels(self) -> list[str]:
        return [self.display(c) for c in self.choices]

    def allowed(self) -> str:
        """``use one of: A, B, C`` for error messages."""
        if not self.choices:
            return f"the vocabulary defines no {self.name} values in this version of cdkg"
        if self.by_notation:
            return "use one of: " + ", ".join(
                f"{self.display(c)} ({c.label})" for c in self.choices
            )
        return "use one of: " + ", ".join(self.labels())


def _norm(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def _text(graph: Graph, subject: Node, *predicates: URIRef) -> str | None:
    """An English (or untagged) literal of the first predicate that has one."""
    for predicate in predicates:
        fallback: str | None = None
        for value in graph.objects(subject, predicate):
            if isinstance(value, Literal):
                if value.language in (None, "en") or (value.language or "").startswith("en-"):
                    return str(value)
                fallback = fallback or str(value)
        if fallback is not None:
            return fallback
    return None


def _code(iri: URIRef) -> str:
    text = str(iri)
    return re.split(r"[/#]", text.rstrip("/"))[-1]


def _sort_key(choice: Choice) -> tuple[object, ...]:
    """The vocabulary's order (rank, GSBPM phases), then notation, then label."""
    notation = tuple(
        (0, int(num), "") if num else (1, 0, word)
        for num, word in _NOTATION_PART.findall(choice.notation or "")
    )
    return (choice.order, choice.broader is not None, notation, choice.label.casefold())


def _english_literals(graph: Graph, subject: Node, predicate: URIRef) -> list[str]:
    return [
        str(v)
        for v in graph.objects(subject, predicate)
        if isinstance(v, Literal) and (v.language or "en").startswith("en")
    ]


def _order(graph: Graph, concept: URIRef) -> tuple[float, ...]:
    """``cdkg:rank``, or the GSBPM phases of the concept (stages follow the value chain)."""
    rank = graph.value(concept, CDKG.rank)
    if isinstance(rank, Literal):
        try:
            return (float(rank),)
        except ValueError:
            pass
    phases = sorted(
        float(str(p).rstrip("/").rsplit("/", 1)[-1])
        for p in graph.objects(concept, CDKG.gsbpmPhase)
        if str(p).rstrip("/").rsplit("/", 1)[-1].isdigit()
    )
    return (phases[0], phases[-1]) if phases else ()


def scheme_iri_prefix(scheme: str) -> str:
    return f"{VOCAB_BASE}{scheme}/"


@cache
def scheme_choices(scheme: str) -> ChoiceList:
    """The concepts of the cdkg concept scheme ``scheme`` (e.g. ``participation-level``)."""
    graph = ontology_graph()
    prefix = scheme_iri_prefix(scheme)
    scheme_iris = {URIRef(f"{VOCAB_BASE}{scheme}"), URIRef(prefix)}
    concepts: set[URIRef] = set()
    for scheme_iri in scheme_iris:
        concepts.update(
            c for c in graph.subjects(SKOS.inScheme, scheme_iri) if isinstance(c, URIRef)
        )
    if not concepts:  # schemes published without skos:inScheme: fall back on the IRI pattern
        concepts.update(
            c
            for c in graph.subjects(RDF.type, SKOS.Concept)
            if isinstance(c, URIRef) and str(c).startswith(prefix)
        )
    choices = [
        Choice(
            iri=c,
            code=_code(c),
            label=_text(graph, c, SKOS.prefLabel, RDFS.label) or _code(c),
            notation=_text(graph, c, SKOS.notation),
            definition=_text(graph, c, SKOS.definition, RDFS.comment),
            broader=next(
                (b for b in graph.objects(c, SKOS.broader) if isinstance(b, URIRef)), None
            ),
            aliases=tuple(
                _english_literals(graph, c, SKOS.altLabel) + _english_literals(graph, c, RDFS.label)
            ),
            order=_order(graph, c),
        )
        for c in concepts
    ]
    return ChoiceList(scheme.replace("-", " "), tuple(sorted(choices, key=_sort_key)))


def _subclasses(graph: Graph, cls: URIRef) -> set[URIRef]:
    found: set[URIRef] = set()
    todo = [cls]
    while todo:
        current = todo.pop()
        for sub in graph.subjects(RDFS.subClassOf, current):
            if isinstance(sub, URIRef) and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


@lru_cache(maxsize=1)
def actor_type_choices() -> ChoiceList:
    """The most specific actor classes of the ontology (subclasses of ``cdkg:Actor``)."""
    graph = ontology_graph()
    # Only cdkg's own classes are offered; aligned external classes (e.g. COOS) are not.
    classes = {c for c in _subclasses(graph, CDKG.Actor) if str(c).startswith(str(CDKG))}
    leaves = [
        c for c in classes if not any(s in classes for s in graph.subjects(RDFS.subClassOf, c))
    ]
    choices = []
    for cls in leaves:
        groups = [
            g
            for g in graph.objects(cls, RDFS.subClassOf)
            if isinstance(g, URIRef) and g != CDKG.Actor and g in classes
        ]
        group = _text(graph, groups[0], RDFS.label, SKOS.prefLabel) if groups else None
        definition = _text(graph, cls, SKOS.definition, RDFS.comment)
        if group and definition:
            definition = f"{definition} ({group})"
        choices.append(
            Choice(
                iri=cls,
                code=_code(cls),
                label=_text(graph, cls, SKOS.prefLabel, RDFS.label) or _code(cls),
                definition=definition,
                aliases=tuple(
                    _english_literals(graph, cls, SKOS.altLabel)
                    + _english_literals(graph, cls, RDFS.label)
                    + _english_literals(graph, cls, SKOS.notation)
                ),
            )
        )
    # Citizen actors first, then state, then others: the order of DESIGN Contract 2.
    order: dict[Node, int] = {
        g: i for i, g in enumerate([CDKG.CitizenActor, CDKG.StateActor, CDKG.OtherActor])
    }

    def key(choice: Choice) -> tuple[int, str]:
        parents = set(graph.transitive_objects(choice.iri, RDFS.subClassOf))
        rank = min((order[g] for g in parents if g is not None and g in order), default=len(order))
        return rank, choice.label.casefold()

    return ChoiceList("actor type", tuple(sorted(choices, key=key)))


def is_citizen_actor_type(iri: URIRef) -> bool:
    return CDKG.CitizenActor in set(ontology_graph().transitive_objects(iri, RDFS.subClassOf))


# --------------------------------------------------------------------------- countries


def country_iri(text: str) -> URIRef | None:
    """The EU authority IRI of an ISO 3166-1 alpha-3 code (``KEN``), or None if unknown."""
    code = text.strip().upper()
    if len(code) != 3:
        return None
    try:
        countries.get(code)
    except KeyError:
        return None
    return URIRef(COUNTRY_AUTHORITY + code)


def country_code(iri: Node) -> str | None:
    text = str(iri)
    if isinstance(iri, URIRef) and text.startswith(COUNTRY_AUTHORITY):
        return text[len(COUNTRY_AUTHORITY) :]
    return None


def country_by_name(name: str) -> str | None:
    """Best-effort ISO alpha-3 code for an English country name (ISO short names)."""
    candidates = [name.strip()]
    cleaned = re.sub(r"\s*\(the\)\s*$", "", name.strip())
    candidates.append(cleaned)
    candidates.append(cleaned.replace(", the ", ", "))  # "Tanzania, the United Republic of"
    if "(" in cleaned:  # "Congo (the Democratic Republic of the)" -> "Congo, Democratic ..."
        head, _, tail = cleaned.partition("(")
        tail = re.sub(r"^the\s+", "", tail.rstrip(")").strip())
        candidates.append(f"{head.strip()}, {tail}")
    for candidate in candidates:
        try:
            return countries.get(candidate).alpha3
        except KeyError:
            continue
    return None


def country_codes() -> list[str]:
    return sorted(c.alpha3 for c in countries)


# --------------------------------------------------------------------------- SDGs


def sdg_concept(code: str) -> URIRef | None:
    """The SDG KOS IRI of a goal/target/indicator code (``5``, ``5.2``, ``C050201``), or None."""
    from cdkg.model.sdg import sdg_iri

    try:
        return URIRef(sdg_iri(code.strip()))
    except ValueError:
        return None
