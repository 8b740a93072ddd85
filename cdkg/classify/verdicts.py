"""Classify initiatives: initiative type, citizen-data verdict, reasons and findings.

Classification is validation plus inference: the SHACL-AF rules of ``shapes/taxonomy.ttl``
infer ``cdkg:verdict`` (citizen data, not citizen data, or to be assessed),
``cdkg:initiativeType`` and ``cdkg:isCitizenData`` where decided, and ``rdf:type
cdkg:CitizenDataInitiative`` (DESIGN Contract 3 revision 2); the finding shapes and
principle shapes report what to look at. This module collects the result per initiative,
with the reasons and, for a to-be-assessed verdict, the facts that would decide it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib import Graph
from rdflib.namespace import DCTERMS
from rdflib.term import Literal, Node

from cdkg.classify.explainer import Explainer, stored_of
from cdkg.classify.facts import graph_facts
from cdkg.classify.result import VERDICTS, InitiativeResult
from cdkg.model.namespaces import PREFIXES
from cdkg.validate.reference import CLASSIFICATION_PATTERNS
from cdkg.validate.report import (
    ValidationReport,
    ValidationResult,
    initiatives_in,
    owners,
    term_text,
)
from cdkg.validate.run import run


@dataclass
class ClassificationReport:
    """Classification of every initiative in the input, plus the validation report."""

    initiatives: list[InitiativeResult]
    validation: ValidationReport
    #: The input as classified (claimed classification triples removed).
    data: Graph = field(repr=False, default_factory=Graph)
    _inferred: Graph = field(repr=False, default_factory=Graph)

    @property
    def conforms(self) -> bool:
        """True when the descriptions have no violation."""
        return self.validation.conforms

    def inferred_graph(self) -> Graph:
        """Only the inferred triples: type, verdict and ``cdkg:CitizenDataInitiative``."""
        out = Graph()
        for prefix, ns in PREFIXES.items():
            out.bind(prefix, ns)
        for triple in self._inferred:
            out.add(triple)
        return out

    def to_json(self) -> dict[str, Any]:
        """Contract 4: ``{"conforms", "initiatives": [...]}``, initiatives sorted by IRI."""
        return {
            "conforms": self.conforms,
            "initiatives": [i.to_json() for i in sorted(self.initiatives, key=lambda i: i.iri)],
        }

    def to_turtle(self) -> str:
        """The input plus the inferred classification, as Turtle."""
        out = self.inferred_graph()
        for prefix, ns in self.data.namespaces():
            out.bind(prefix, ns, override=False)
        for triple in self.data:
            out.add(triple)
        return out.serialize(format="turtle")


def _title(graph: Graph, node: Node) -> str | None:
    titles = [t for t in graph.objects(node, DCTERMS.title) if isinstance(t, Literal)]
    for wanted in ("en", None):
        for t in titles:
            if t.language == wanted:
                return str(t)
    return str(titles[0]) if titles else None


def classification_of(
    run_data: Graph, expanded: Graph, report: ValidationReport
) -> ClassificationReport:
    """Build the per-initiative report from one engine run: the verdict and type the
    rules inferred, worded by :class:`~cdkg.classify.explainer.Explainer` (the one
    wording of reasons and missing facts, which ``cdkg load`` stores)."""
    found = initiatives_in(expanded)
    owned = owners(expanded, found)
    by_initiative: dict[Node, list[ValidationResult]] = {i: [] for i in found}
    for finding in report.results:
        for initiative in owned.get(finding.focus_term, []):
            by_initiative[initiative].append(finding)
    inferred = Graph()
    for pattern in CLASSIFICATION_PATTERNS:
        for s, p, o in expanded.triples(pattern):
            if s in by_initiative:
                inferred.add((s, p, o))
    facts = graph_facts(expanded)
    explainer = Explainer(facts)
    results = []
    for initiative in found:
        node = facts.term(initiative)
        stored = stored_of(facts, node)
        if stored is None:  # pragma: no cover - the rules always give one verdict
            raise ValueError(f"{initiative} has no single verdict")
        result = explainer.result(
            node,
            stored,
            by_initiative[initiative],
            title=_title(expanded, initiative),
        )
        if result is None:  # pragma: no cover - the vocabulary numbers every type
            raise ValueError(f"the initiative type {stored.initiative_type} has no number")
        result.iri = term_text(initiative) or ""
        result.node = initiative
        results.append(result)
    results.sort(key=lambda r: r.iri)
    return ClassificationReport(results, report, run_data, inferred)


def classify(data: rdflib.Graph, *, engine: str = "reference") -> ClassificationReport:
    """Classify every initiative described in ``data`` (DESIGN Contract 3).

    Classifications the data claim for themselves are ignored and recomputed.
    """
    done = run(data, engine)
    return classification_of(done.data, done.expanded, done.report)


__all__ = ["VERDICTS", "ClassificationReport", "InitiativeResult", "classify"]
