"""Validate initiative descriptions against the shipped SHACL shapes.

The *reference engine* is pySHACL with SHACL-AF (``advanced=True``) over the data merged
with the whole shipped ontology and vocabularies, after RDFS pre-inference by owlrl:

1. the data are copied, without any classification they claim for themselves
   (``cdkg:initiativeType``, ``cdkg:isCitizenData``, ``rdf:type cdkg:CitizenDataInitiative``):
   cdkg computes those, it does not trust them;
2. the ontology and vocabularies are added in full. pySHACL's own ``ont_graph`` mix-in copies
   only RDFS/OWL axioms, not the SKOS concept data (``cdkg:rank``, ``skos:broader``,
   ``skos:inScheme``, SDG codes) that the shapes read, so cdkg mixes the graphs itself;
3. RDFS inference (subclasses, domains, ranges), then the taxonomy rules of
   ``shapes/taxonomy.ttl``, then every constraint.

Shapes match actor classes through ``rdf:type/rdfs:subClassOf*`` (and
``owl:equivalentClass``) paths themselves, so the verdicts do not depend on the inference
regime; RDFS is enough and several times cheaper than OWL RL (see ``docs/``).

This module knows nothing of the fast engine (:mod:`cdkg.validate.fast`, which falls back
to this one); :mod:`cdkg.validate.run` chooses between them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, Final

import owlrl
import pyshacl
import rdflib
import rdflib.plugin
from pyshacl.inference import CustomRDFSSemantics
from rdflib import RDF, RDFS
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query
from rdflib.query import Processor
from rdflib.term import Node

from cdkg.model.namespaces import CDKG
from cdkg.model.ontology import ontology_graph
from cdkg.model.resources import data_files
from cdkg.validate.report import ValidationReport

#: owlrl pre-inference used by the reference engine.
INFERENCE: Final = "rdfs"
#: The RDFS schema predicates: every RDFS entailment rule has one of them in a premise.
SCHEMA_PREDICATES: Final = (RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range)

#: Triples cdkg infers; asserted copies in the input are ignored (they are recomputed).
CLASSIFICATION_PATTERNS: Final[tuple[tuple[None, rdflib.URIRef, rdflib.URIRef | None], ...]] = (
    (None, CDKG.verdict, None),
    (None, CDKG.initiativeType, None),
    (None, CDKG.isCitizenData, None),
    (None, RDF.type, CDKG.CitizenDataInitiative),
)


@lru_cache(maxsize=2048)
def _prepared(text: str, base: str | None, namespaces: tuple[tuple[str, str], ...]) -> Query:
    return translateQuery(parseQuery(text), base, dict(namespaces))


class CachingSPARQLProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each distinct query text only once.

    pySHACL hands rdflib the text of every SPARQL constraint and rule once per focus node;
    parsing dominated the reference engine's run time. Prepared queries are reusable
    (that is what ``prepareQuery`` is for), so evaluation is unchanged.
    """

    def query(  # type: ignore[override]
        self,
        strOrQuery: str | Query,
        initBindings: Mapping[str, Any] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Mapping[str, Any]:
        if isinstance(strOrQuery, str):
            namespaces = tuple(sorted((k, str(v)) for k, v in (initNs or {}).items()))
            strOrQuery = _prepared(strOrQuery, base, namespaces)
        return evalQuery(self.graph, strOrQuery, initBindings or {}, base)


@cache
def use_query_cache() -> None:
    """Make :class:`CachingSPARQLProcessor` rdflib's SPARQL processor (once per process).

    rdflib looks its processor up in a process-wide plugin registry, so this is a global
    switch: from then on every rdflib ``Graph.query`` of the process parses each distinct
    text once (pySHACL's constraints and rules, and the reasons of a classification).
    It is switched on where such queries are about to run (:func:`run_reference`, the
    fast engine's fallback to pySHACL, :func:`cdkg.classify.verdicts.classification_of`,
    the command line at start-up), not as a side effect of importing this module.
    """
    rdflib.plugin.register("sparql", Processor, __name__, "CachingSPARQLProcessor")


@lru_cache(maxsize=1)
def shapes_graph() -> rdflib.Graph:
    """Every ``shapes/*.ttl`` (not ``shapes/qc/``, which checks the ontology), merged.

    Callers must not modify the returned graph (it is shared).
    """
    graph = rdflib.Graph()
    for entry in data_files("shapes", ".ttl"):
        graph.parse(data=entry.read_bytes(), format="turtle")
    return graph


@dataclass
class EngineRun:
    """What one engine run produced."""

    #: The input as classified: the data without claimed classification triples.
    data: rdflib.Graph
    #: Data + ontology + vocabularies + inferred triples (RDFS and taxonomy rules).
    expanded: rdflib.Graph
    report: ValidationReport


def without_claims(data: rdflib.Graph) -> rdflib.Graph:
    """A copy of ``data`` without the classification triples cdkg computes itself."""
    copy = rdflib.Graph()
    for prefix, namespace in data.namespaces():
        copy.bind(prefix, namespace, override=False)
    claimed: set[tuple[Node, Node, Node]] = set()
    for pattern in CLASSIFICATION_PATTERNS:
        claimed.update(data.triples(pattern))
    for triple in data:
        if triple not in claimed:
            copy.add(triple)
    return copy


def _rdfs_closure(graph: rdflib.Graph) -> None:
    """RDFS closure in place, with the semantics pySHACL uses for ``inference="rdfs"``."""
    owlrl.DeductiveClosure(CustomRDFSSemantics).expand(graph)


@lru_cache(maxsize=1)
def _ontology_parts() -> tuple[rdflib.Graph, rdflib.Graph]:
    """(the ontology's RDFS schema triples, the ontology closed under RDFS), computed once."""
    ontology = ontology_graph()
    schema = rdflib.Graph()
    for predicate in SCHEMA_PREDICATES:
        for triple in ontology.triples((None, predicate, None)):
            schema.add(triple)
    closed = rdflib.Graph()
    for triple in ontology:
        closed.add(triple)
    _rdfs_closure(closed)
    return schema, closed


def expand(data: rdflib.Graph) -> rdflib.Graph:
    """``data`` merged with the ontology and vocabularies, closed under RDFS.

    Every RDFS rule joins one schema triple (subclass, subproperty, domain, range) with one
    other triple. So the closure of data + ontology is the closure of data + the ontology's
    schema, plus the (cached) closure of the ontology alone — except where the data declare
    schema about the ontology's own terms (say, a superclass of ``skos:Concept``); those
    inferences concern vocabulary concepts, which no shape targets. Inferring over the small
    graph instead of the whole SDG code list makes a run several times faster.
    """
    schema, closed = _ontology_parts()
    expanded = rdflib.Graph()
    for triple in data:
        expanded.add(triple)
    for triple in schema:
        expanded.add(triple)
    _rdfs_closure(expanded)
    for triple in closed:
        expanded.add(triple)
    return expanded


def run_reference(data: rdflib.Graph) -> EngineRun:
    """Run the reference engine (owlrl RDFS, then pySHACL with SHACL-AF) over ``data``."""
    use_query_cache()
    clean = without_claims(data)
    expanded = expand(clean)
    _conforms, results, _text = pyshacl.validate(
        expanded,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=True,
        inplace=True,
        allow_infos=True,
        allow_warnings=True,
        abort_on_first=False,
    )
    if not isinstance(results, rdflib.Graph):  # pragma: no cover - pySHACL contract
        raise TypeError("pySHACL did not return a results graph")
    return EngineRun(clean, expanded, ValidationReport.from_results_graph(results, expanded))


def validate(data: rdflib.Graph) -> ValidationReport:
    """Validate ``data`` (one or more initiative descriptions) against the shipped shapes,
    with the reference engine (:func:`cdkg.validate.run.run` chooses the engine).

    The report lists every result (violations, warnings, infos), including the findings
    that depend on the inferred classification. ``report.conforms`` is false when there is
    at least one violation.
    """
    return run_reference(data).report
