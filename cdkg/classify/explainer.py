"""Verdicts and reasons of every initiative, from the registry snapshot.

The classification is the one the registry holds (``cdkg load`` and the fast engine's
``classify_store`` write it to the inferred graphs); initiatives the store holds no
classification for are classified with the fast engine
(:class:`cdkg.publish.findings.RegistryValidation`, which also gives the findings). The
reasons are :func:`cdkg.classify.reasons.explain`'s sentences — the same as ``cdkg classify`` —
from facts gathered here in one pass instead of two SPARQL queries per initiative:

* initiators and collaborators (through any ``rdfs:subPropertyOf`` of the properties);
* whether each is a citizen actor, a national statistical office, of an actor class cdkg
  knows at all (Contract 3, row 9), or a civil society organisation that does not engage
  citizens directly (¶30): its ``rdf:type`` and the types ``rdfs:domain``/``rdfs:range``
  entail, up the class hierarchy (``rdfs:subClassOf``, ``owl:equivalentClass`` both ways);
* the engagements' stage, level, rank and sufficiency, whether the stage is design
  (or a part of it) or collection, and whether the engaged actors are citizens at all
  (an engagement of state and other actors only counts for nothing, Contract 3);
* the verdict the registry holds (``cdkg:verdict``) and the recorded assessment
  (``cdkg:assessment``), which the sentences of rows 7–9 of Contract 3 read;
* labels as :class:`cdkg.model.labels.Labels` finds them.

This is the RDFS entailment the reference engine's closure gives those queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV
from rdflib.term import Node

from cdkg.classify.facts import Facts, Term
from cdkg.classify.reasons import Actor, Assessment, Engagement, explain
from cdkg.classify.result import VERDICTS, InitiativeResult
from cdkg.model.labels import LABEL_PROPERTIES, kind_phrase, local_name
from cdkg.model.namespaces import CDKG, STAGE, VERDICT
from cdkg.rdf.closure import closure
from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.validate.report import ValidationResult


def _n(iri: object) -> ox.NamedNode:
    if isinstance(iri, ox.NamedNode):
        return iri
    return ox.NamedNode(str(iri))


RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS_BROADER = _n("http://www.w3.org/2004/02/skos/core#broader")
SKOS_NOTATION = _n("http://www.w3.org/2004/02/skos/core#notation")
RDF_TYPE = _n("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUBCLASS, SUBPROPERTY = _n(RDFS + "subClassOf"), _n(RDFS + "subPropertyOf")
DOMAIN, RANGE = _n(RDFS + "domain"), _n(RDFS + "range")
EQUIVALENT = _n(OWL + "equivalentClass")
INITIATIVE, INITIATIVE_TYPE = _n(CDKG.Initiative), _n(CDKG.initiativeType)
IS_CITIZEN_DATA, TYPE_NUMBER = _n(CDKG.isCitizenData), _n(CDKG.typeNumber)
VERDICT_PROPERTY = _n(CDKG.verdict)
#: The verdict concepts of Contract 3 revision 2, by IRI: their names.
VERDICT_NAMES = {_n(VERDICT[name]): name for name in VERDICTS.values()}
_COUNTING_STAGES = frozenset({_n(STAGE.design), _n(STAGE.collection)})
_SCHEMA_PROPERTIES: frozenset[Term] = frozenset({SUBCLASS, SUBPROPERTY, EQUIVALENT, DOMAIN, RANGE})


class Schema:
    """The class and property hierarchy of a snapshot (ontology plus what data declare)."""

    def __init__(self, facts: Facts) -> None:
        self.narrower_props: dict[Term, set[Term]] = {}
        self.narrower_classes: dict[Term, set[Term]] = {}
        self.broader_classes: dict[Term, set[Term]] = {}
        #: Broader classes and equivalent ones both ways: what a type reaches, as the rules
        #: match classes.
        self.reached_classes: dict[Term, set[Term]] = {}
        self.domains: dict[Term, set[Term]] = {}
        self.ranges: dict[Term, set[Term]] = {}
        for s, p, o in facts.using(_SCHEMA_PROPERTIES):
            if p == SUBPROPERTY:
                self.narrower_props.setdefault(o, set()).add(s)
            elif p == SUBCLASS:
                self.narrower_classes.setdefault(o, set()).add(s)
                self.broader_classes.setdefault(s, set()).add(o)
                self.reached_classes.setdefault(s, set()).add(o)
            elif p == EQUIVALENT:
                for a, b in ((s, o), (o, s)):
                    self.narrower_classes.setdefault(b, set()).add(a)
                    self.reached_classes.setdefault(a, set()).add(b)
            elif p == DOMAIN:
                self.domains.setdefault(s, set()).add(o)
            elif p == RANGE:
                self.ranges.setdefault(s, set()).add(o)

    def subproperties(self, prop: object) -> frozenset[Term]:
        """``prop`` and every property ``rdfs:subPropertyOf*`` it."""
        return frozenset(closure([_n(prop)], self.narrower_props))

    def subclasses(self, cls: object) -> frozenset[Term]:
        """Classes C with ``C (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)* cls``."""
        return frozenset(closure([_n(cls)], self.narrower_classes))

    def typing(self, classes: frozenset[Term]) -> tuple[frozenset[Term], frozenset[Term]]:
        """Properties whose use as subject (domain) or object (range) entails a type in
        ``classes`` (through their super-properties)."""
        by_domain = {p for p, ds in self.domains.items() if ds & classes}
        by_range = {p for p, rs in self.ranges.items() if rs & classes}
        return (
            frozenset(closure(by_domain, self.narrower_props)),
            frozenset(closure(by_range, self.narrower_props)),
        )

    def depth(self, cls: Term) -> int:
        """How many classes ``cls`` is ``rdfs:subClassOf*`` (itself included)."""
        return len(closure([cls], self.broader_classes))


class ActorTypes:
    """The stated and RDFS-entailed types of actors, found as they are asked for: their
    ``rdf:type``, the domains of the properties they are the subject of, and the ranges
    of the properties naming them whose range is an actor class (the only ranges that
    can change what an actor is taken for)."""

    def __init__(
        self,
        facts: Facts,
        schema: Schema,
        type_props: frozenset[Term],
        actor_classes: frozenset[Term],
    ) -> None:
        self.facts = facts
        self.schema = schema
        self.type_props = type_props
        self.domain_props = frozenset(closure(set(schema.domains), schema.narrower_props))
        range_props = frozenset(closure(set(schema.ranges), schema.narrower_props))
        broader_props = _invert(schema.narrower_props)
        self.super_props: dict[Term, set[Term]] = {
            p: closure([p], broader_props) for p in self.domain_props | range_props
        }
        wanted = frozenset(
            p
            for p in range_props
            if any(schema.ranges.get(q, set()) & actor_classes for q in self.super_props[p])
        )
        self.by_range: dict[Term, set[Term]] = {}
        for _s, p, o in facts.using(wanted):
            found = self.by_range.setdefault(o, set())
            for q in self.super_props[p]:
                found.update(schema.ranges.get(q, ()))
        self._cache: dict[Term, set[Term]] = {}

    def get(self, actor: Term) -> set[Term]:
        found = self._cache.get(actor)
        if found is None:
            found = set(self.by_range.get(actor, ()))
            for p, o in self.facts.pairs(actor):
                if p in self.type_props:
                    found.add(o)
                if p in self.domain_props:
                    for q in self.super_props[p]:
                        found.update(self.schema.domains.get(q, ()))
            self._cache[actor] = found
        return found


class FactLabels:
    """:class:`cdkg.model.labels.Labels` over facts (the same choices, the same phrases)."""

    def __init__(self, facts: Facts, schema: Schema, entailed_types: ActorTypes):
        self.facts = facts
        self.schema = schema
        self.entailed_types = entailed_types
        self.label_props = [schema.subproperties(p) for p in LABEL_PROPERTIES]
        self.stage_props = schema.subproperties(CDKG.stage)
        self.actor_class = _n(CDKG.Actor)
        self._cache: dict[Node, str] = {}

    def __call__(self, term: Node | None) -> str:
        if term is None:
            return ""
        found = self._cache.get(term)
        if found is None:
            found = self._cache[term] = self._find(term)
        return found

    def _find(self, term: Node) -> str:
        if isinstance(term, Literal):
            return str(term)
        node = to_ox(term)
        pairs = self.facts.pairs(node)
        for props in self.label_props:
            values = [o for p, o in pairs if p in props and isinstance(o, ox.Literal)]
            found = _english(values)
            if found is not None:
                return found
        stage = next((o for p, o in pairs if p in self.stage_props), None)
        if stage is not None:
            return f"engagement at {self(to_rdflib(stage)).lower()}"
        if isinstance(node, ox.BlankNode):
            return "(unnamed)"
        return local_name(term)

    def actor_kind(self, actor: Node) -> str:
        node = to_ox(actor)
        best: Term | None = None
        best_depth = -1
        # as cdkg.model.labels.Labels.actor_kind: every class reached through the
        # hierarchy, cdkg:Actor itself saying nothing of the kind
        reached = closure(self.entailed_types.get(node), self.schema.reached_classes)
        for cls in sorted(reached, key=lambda t: t.value):
            if not isinstance(cls, ox.NamedNode) or not cls.value.startswith(str(CDKG)):
                continue
            if cls == self.actor_class:
                continue
            ancestors = closure([cls], self.schema.broader_classes)
            if self.actor_class not in ancestors:
                continue
            if len(ancestors) > best_depth:
                best, best_depth = cls, len(ancestors)
        return kind_phrase(self(to_rdflib(best)) if best is not None else None)

    def actor(self, actor: Node) -> str:
        return f"{self.actor_kind(actor)} ({self(actor)})"


class Explainer:
    """Reasons for the initiatives of one snapshot."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        s = self.schema = Schema(facts)
        self.initiated_by = s.subproperties(CDKG.initiatedBy)
        self.collaborator = s.subproperties(CDKG.collaborator)
        self.has_engagement = s.subproperties(CDKG.hasEngagement)
        self.stage = s.subproperties(CDKG.stage)
        self.level = s.subproperties(CDKG.participationLevel)
        self.rank = s.subproperties(CDKG.rank)
        self.sufficient = s.subproperties(CDKG.sufficient)
        self.broader = s.subproperties(SKOS_BROADER)
        self.type_props = s.subproperties(RDF_TYPE)
        self.engaged_actor = s.subproperties(CDKG.engagedActor)
        self.direct = s.subproperties(CDKG.directlyEngagesCitizens)
        self.assessment = s.subproperties(CDKG.assessment)
        self.outcome = s.subproperties(CDKG.outcome)
        self.attributed = s.subproperties(PROV.wasAttributedTo)
        self.date = s.subproperties(DCTERMS.date)
        self.description = s.subproperties(DCTERMS.description)
        self.citizen = s.subclasses(CDKG.CitizenActor)
        self.nso = s.subclasses(CDKG.NationalStatisticalOffice)
        self.cso = s.subclasses(CDKG.CivilSocietyOrganisation)
        #: Classes of the state and other actors: not citizens (Contract 2).
        self.not_citizen = s.subclasses(CDKG.StateActor) | s.subclasses(CDKG.OtherActor)
        #: Every actor class cdkg knows (a citizen, state or other actor).
        self.known = self.citizen | self.not_citizen
        self.entailed_types = ActorTypes(facts, s, self.type_props, s.subclasses(CDKG.Actor))
        self.labels = FactLabels(facts, s, self.entailed_types)
        self._counts: dict[Term, bool] = {}

    # ------------------------------------------------------------------ facts

    def initiators(self, initiative: Node) -> list[Actor]:
        """Who initiates ``initiative`` (an rdflib term), as the rules see them."""
        return self._actors(to_ox(initiative), self.initiated_by)

    def _actors(self, initiative: Term, props: frozenset[Term]) -> list[Actor]:
        found = {o for p, o in self.facts.pairs(initiative) if p in props}
        out = []
        for a in found:
            types = self.entailed_types.get(a)
            out.append(
                Actor(
                    to_rdflib(a),
                    citizen=bool(types & self.citizen),
                    nso=bool(types & self.nso),
                    known=bool(types & self.known),
                    doubtful=bool(types & self.cso) and self._not_direct(a),
                )
            )
        return sorted(out, key=lambda a: str(a.node))

    def _not_direct(self, actor: Term) -> bool:
        """Whether ``actor`` is recorded as not engaging citizens directly (¶30)."""
        return any(
            p in self.direct and isinstance(o, ox.Literal) and _false(to_rdflib(o))
            for p, o in self.facts.pairs(actor)
        )

    def _others_only(self, engaged: list[Term]) -> bool:
        """Whether the engaged actors are all state or other actors (none a citizen
        actor): then the engagement is not citizens' and counts for nothing (Contract 3)."""
        if not engaged:
            return False
        types = [self.entailed_types.get(a) for a in engaged]
        return all(t & self.not_citizen for t in types) and not any(t & self.citizen for t in types)

    def _counting(self, engagement: Term) -> bool:
        stages = [o for p, o in self.facts.pairs(engagement) if p in self.stage]
        for stage in stages:
            if stage not in self._counts:
                up = closure([stage], self._broader_map(stage))
                self._counts[stage] = bool(up & _COUNTING_STAGES)
            if self._counts[stage]:
                return True
        return False

    def _broader_map(self, start: Term) -> dict[Term, set[Term]]:
        out: dict[Term, set[Term]] = {}
        todo, seen = [start], {start}
        while todo:
            node = todo.pop()
            ups = {o for p, o in self.facts.pairs(node) if p in self.broader}
            out[node] = ups
            for u in ups - seen:
                seen.add(u)
                todo.append(u)
        return out

    def _engagements(self, initiative: Term) -> list[Engagement]:
        rows: set[tuple[Term, Term | None, Term | None, Term | None, Term | None, bool]] = set()
        pairs_of = self.facts.pairs
        others: dict[Term, tuple[Node, ...]] = {}
        for p, e in pairs_of(initiative):
            if p not in self.has_engagement:
                continue
            pairs = pairs_of(e)
            engaged = sorted({o for q, o in pairs if q in self.engaged_actor}, key=_key)
            if self._others_only(engaged):
                others[e] = tuple(sorted((to_rdflib(a) for a in engaged), key=str))
            stages: list[Term | None] = [o for q, o in pairs if q in self.stage] or [None]
            levels = [o for q, o in pairs if q in self.level]
            counts = self._counting(e)
            combos: list[tuple[Term | None, Term | None, Term | None]] = [(None, None, None)]
            if levels:
                combos = []
                for lv in levels:
                    lp = pairs_of(lv)
                    ranks: list[Term | None] = [o for q, o in lp if q in self.rank] or [None]
                    suff: list[Term | None] = [o for q, o in lp if q in self.sufficient] or [None]
                    combos += [(lv, r, f) for r in ranks for f in suff]
            for stage in stages:
                for lv2, r2, f2 in combos:
                    rows.add((e, stage, lv2, r2, f2, counts))
        found = []
        for e, stage, level, r, f, counts in rows:
            rank = to_rdflib(r) if r is not None else None
            found.append(
                Engagement(
                    node=to_rdflib(e),
                    stage=to_rdflib(stage) if stage is not None else None,
                    level=to_rdflib(level) if level is not None else None,
                    rank=int(rank) if isinstance(rank, Literal) else None,
                    sufficient=f is not None and _true(to_rdflib(f)),
                    counts=counts,
                    citizens=e not in others,
                    engaged=others.get(e, ()),
                )
            )
        return sorted(found, key=lambda e: (-(e.rank or 0), str(e.stage)))

    def type_number(self, type_iri: Term) -> int | None:
        for prop in (TYPE_NUMBER, SKOS_NOTATION):
            for p, o in self.facts.pairs(type_iri):
                if p == prop and isinstance(o, ox.Literal) and o.value.isdigit():
                    return int(o.value)
        return None

    def assessment_of(self, initiative: Term) -> Assessment | None:
        """The recorded assessment of ``initiative`` (the latest by ``dct:date`` if
        several), through any sub-property of the properties that record it."""
        return recorded_assessment(
            self.facts,
            initiative,
            AssessmentProperties(
                self.assessment, self.outcome, self.attributed, self.date, self.description
            ),
        )

    def result(
        self,
        node: Term,
        stored: Stored,
        findings: Sequence[ValidationResult] = (),
        title: str | None = None,
    ) -> InitiativeResult | None:
        """The classification of the initiative ``node`` as ``stored`` gives it: verdict,
        type, reasons, the facts that would decide a to-be-assessed verdict, the recorded
        assessment, ``findings`` and ``title``. None when the stored type has no number."""
        number = None
        if stored.initiative_type is not None:
            number = self.type_number(ox.NamedNode(stored.initiative_type))
            if number is None:
                return None
        assessment = self.assessment_of(node)
        reasons, missing = explain(
            self.labels,
            URIRef(stored.initiative_type) if stored.initiative_type is not None else None,
            number,
            self._actors(node, self.initiated_by),
            self._actors(node, self.collaborator),
            lambda: self._engagements(node),
            verdict=VERDICT[stored.verdict],
            assessment=assessment,
        )
        return InitiativeResult(
            iri=node.value if isinstance(node, ox.NamedNode) else str(node),
            title=title,
            initiative_type=stored.initiative_type,
            type_number=number,
            is_citizen_data=stored.is_citizen_data,
            reasons=reasons,
            findings=list(findings),
            node=to_rdflib(node),
            missing=missing,
            assessment=assessment,
            verdict=stored.verdict,
        )


@dataclass(frozen=True)
class AssessmentProperties:
    """The properties that record an assessment (each a set: a property and those
    ``rdfs:subPropertyOf`` it, where the data declare any)."""

    assessment: frozenset[Term]
    outcome: frozenset[Term]
    attributed: frozenset[Term]
    date: frozenset[Term]
    description: frozenset[Term]


#: The properties of the ontology, with no sub-property.
ASSESSMENT_PROPERTIES = AssessmentProperties(
    frozenset({_n(CDKG.assessment)}),
    frozenset({_n(CDKG.outcome)}),
    frozenset({_n(PROV.wasAttributedTo)}),
    frozenset({_n(DCTERMS.date)}),
    frozenset({_n(DCTERMS.description)}),
)


def recorded_assessment(
    facts: Facts, initiative: Term, props: AssessmentProperties = ASSESSMENT_PROPERTIES
) -> Assessment | None:
    """The recorded assessment of ``initiative`` (the latest by ``dct:date`` if several)."""
    found = []
    for p, node in facts.pairs(initiative):
        if p not in props.assessment:
            continue
        pairs = facts.pairs(node)
        outcome = _first(pairs, props.outcome)
        agent = _first(pairs, props.attributed)
        date = _first(pairs, props.date)
        description = _first(pairs, props.description)
        value = to_rdflib(outcome).toPython() if isinstance(outcome, ox.Literal) else None
        found.append(
            Assessment(
                node=to_rdflib(node),
                outcome=value if isinstance(value, bool) else None,
                attributed_to=to_rdflib(agent) if agent is not None else None,
                date=date.value if date is not None else None,
                description=description.value if description is not None else None,
            )
        )
    if not found:
        return None
    return sorted(found, key=lambda a: (a.date or "", str(a.node)))[-1]


@dataclass(frozen=True)
class Stored:
    """The classification a registry holds for one initiative (Contract 3 revision 2)."""

    #: ``citizen-data``, ``not-citizen-data`` or ``to-be-assessed``.
    verdict: str
    #: The initiative type's IRI, or None where Contract 3 gives none (rows 7 and 9).
    initiative_type: str | None
    #: ``cdkg:isCitizenData`` as stored: None while the verdict is to be assessed.
    is_citizen_data: bool | None


def stored_classification(facts: Facts, iris: Iterable[str]) -> dict[str, Stored]:
    """The verdict and type ``facts`` hold for each of ``iris``: those with exactly one
    known ``cdkg:verdict`` and at most one type (a to-be-assessed initiative may have
    none). The others (no verdict: never classified, or classified before the verdict
    existed) are left out, to be classified again."""
    out: dict[str, Stored] = {}
    for iri in iris:
        found = stored_of(facts, ox.NamedNode(iri))
        if found is not None:
            out[iri] = found
    return out


def stored_of(facts: Facts, node: Term) -> Stored | None:
    """The classification ``facts`` hold for the initiative ``node`` (see
    :func:`stored_classification`), or None."""
    pairs = facts.pairs(node)
    verdicts = {o for p, o in pairs if p == VERDICT_PROPERTY}
    kinds = sorted(o.value for p, o in pairs if p == INITIATIVE_TYPE)
    if len(verdicts) != 1 or len(kinds) > 1:
        return None
    (verdict,) = verdicts
    name = VERDICT_NAMES.get(verdict) if isinstance(verdict, ox.NamedNode) else None
    if name is None:
        return None
    decided = [to_rdflib(o) for p, o in pairs if p == IS_CITIZEN_DATA]
    return Stored(
        verdict=name,
        initiative_type=kinds[0] if kinds else None,
        is_citizen_data=any(_true(d) for d in decided) if decided else None,
    )


# --------------------------------------------------------------------------- helpers


def _invert(mapping: dict[Term, set[Term]]) -> dict[Term, set[Term]]:
    out: dict[Term, set[Term]] = {}
    for k, vs in mapping.items():
        for v in vs:
            out.setdefault(v, set()).add(k)
    return out


def _english(values: list[ox.Literal]) -> str | None:
    """cdkg.model.labels._english for Oxigraph literals."""
    for wanted in ("en", None):
        for value in values:
            if (value.language or None) == wanted:
                return value.value
    for value in values:
        if value.language and value.language.startswith("en"):
            return value.value
    return values[0].value if values else None


def _true(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is True


def _false(value: Node | None) -> bool:
    return isinstance(value, Literal) and value.toPython() is False


def _key(term: Term) -> str:
    return term.value


def _first(pairs: Iterable[tuple[Term, Term]], props: frozenset[Term]) -> Term | None:
    """The first value (by its text) of any of ``props`` among ``pairs``."""
    values = sorted((o for p, o in pairs if p in props), key=_key)
    return values[0] if values else None
