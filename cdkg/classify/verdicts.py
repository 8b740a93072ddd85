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
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import Literal, Node, URIRef

from cdkg.classify.reasons import Assessment, MissingFact, assessment_of, reasons_for
from cdkg.model.labels import Labels
from cdkg.model.namespaces import CDKG, PREFIXES, VERDICT
from cdkg.validate.reference import CLASSIFICATION_PATTERNS, use_query_cache
from cdkg.validate.report import (
    ValidationReport,
    ValidationResult,
    initiatives_in,
    owners,
    term_text,
)
from cdkg.validate.run import run

VERDICTS = {
    True: "citizen-data",
    False: "not-citizen-data",
    None: "to-be-assessed",
}


@dataclass
class InitiativeResult:
    """The classification of one initiative (DESIGN Contract 3 revision 2, Contract 4)."""

    iri: str
    title: str | None
    #: The initiative type's IRI, or None where Contract 3 gives none (to be assessed).
    initiative_type: str | None
    type_number: int | None
    #: True, False, or None while the verdict is to be assessed.
    is_citizen_data: bool | None
    reasons: list[str]
    findings: list[ValidationResult] = field(default_factory=list)
    #: The initiative as an RDF term (an IRI or a blank node).
    node: Node = field(default=URIRef(""), compare=False, repr=False)
    #: What would decide a to-be-assessed verdict (empty otherwise).
    missing: list[MissingFact] = field(default_factory=list)
    #: The recorded assessment read, if any.
    assessment: Assessment | None = None
    #: ``citizen-data``, ``not-citizen-data`` or ``to-be-assessed`` (by default what
    #: ``is_citizen_data`` says).
    verdict: str = ""

    def __post_init__(self) -> None:
        if not self.verdict:
            self.verdict = VERDICTS[self.is_citizen_data]

    @property
    def verdict_iri(self) -> URIRef:
        """The verdict as a concept of the scheme ``verdict/``."""
        return VERDICT[self.verdict]

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri,
            "title": self.title,
            "verdict": self.verdict,
            "initiativeType": self.initiative_type,
            "typeNumber": self.type_number,
            "isCitizenData": self.is_citizen_data,
            "reasons": list(self.reasons),
            "missing": [m.to_json() for m in self.missing],
            "assessment": self.assessment.to_json() if self.assessment else None,
            "findings": [
                {
                    "severity": f.severity,
                    "sourceShape": f.source_shape,
                    "focusNode": f.focus_node,
                    "message": f.message,
                }
                for f in self.findings
            ],
        }


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


def _type_number(graph: Graph, type_iri: Node) -> int:
    for prop in (CDKG.typeNumber, SKOS.notation):
        for value in graph.objects(type_iri, prop):
            if isinstance(value, Literal) and str(value).isdigit():
                return int(str(value))
    raise ValueError(f"the initiative type {type_iri} has no number in the vocabulary")


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
    """Build the per-initiative report from one engine run."""
    use_query_cache()  # the reasons ask rdflib the same few queries for every initiative
    labels = Labels(expanded)
    found = initiatives_in(expanded)
    owned = owners(expanded, found)
    by_initiative: dict[Node, list[ValidationResult]] = {i: [] for i in found}
    for result in report.results:
        for initiative in owned.get(result.focus_term, []):
            by_initiative[initiative].append(result)
    inferred = Graph()
    for pattern in CLASSIFICATION_PATTERNS:
        for s, p, o in expanded.triples(pattern):
            if s in by_initiative:
                inferred.add((s, p, o))
    results = []
    for initiative in found:
        verdict = expanded.value(initiative, CDKG.verdict)
        type_iri = expanded.value(initiative, CDKG.initiativeType)
        number = _type_number(expanded, type_iri) if isinstance(type_iri, URIRef) else None
        decided = expanded.value(initiative, CDKG.isCitizenData)
        if not isinstance(verdict, URIRef):  # pragma: no cover - the rules always give one
            raise ValueError(f"{initiative} has no verdict")
        reasons, missing = reasons_for(
            expanded,
            labels,
            initiative,
            type_iri if isinstance(type_iri, URIRef) else None,
            number,
            verdict,
        )
        results.append(
            InitiativeResult(
                iri=term_text(initiative) or "",
                title=_title(expanded, initiative),
                initiative_type=str(type_iri) if isinstance(type_iri, URIRef) else None,
                type_number=number,
                is_citizen_data=decided.toPython() is True
                if isinstance(decided, Literal)
                else None,
                reasons=reasons,
                findings=by_initiative[initiative],
                node=initiative,
                missing=missing,
                assessment=assessment_of(expanded, initiative),
                verdict=str(verdict).rsplit("/", 1)[-1],
            )
        )
    results.sort(key=lambda r: r.iri)
    return ClassificationReport(results, report, run_data, inferred)


def classify(data: rdflib.Graph, *, engine: str = "reference") -> ClassificationReport:
    """Classify every initiative described in ``data`` (DESIGN Contract 3).

    Classifications the data claim for themselves are ignored and recomputed.
    """
    done = run(data, engine)
    return classification_of(done.data, done.expanded, done.report)


__all__ = ["ClassificationReport", "InitiativeResult", "classify"]
