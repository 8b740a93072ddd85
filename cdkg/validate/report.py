"""Validation reports: the data model and its JSON and Turtle forms (DESIGN Contract 4).

Text for people is rendered by :mod:`cdkg.classify.text`; labels come from :mod:`cdkg.model.labels`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib import SH
from rdflib.term import BNode, Literal, Node, URIRef

from cdkg.model.namespaces import CDKG

SEVERITY_ORDER: dict[str, int] = {str(SH.Violation): 0, str(SH.Warning): 1, str(SH.Info): 2}


def term_text(term: Node | None) -> str | None:
    """A term as text for JSON: full IRI, ``_:id`` for a blank node, a literal's lexical form."""
    if term is None:
        return None
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


@dataclass(frozen=True)
class ValidationResult:
    """One ``sh:ValidationResult``."""

    severity: str
    focus_node: str
    result_path: str | None
    source_shape: str
    source_constraint_component: str
    value: str | None
    message: str
    #: The terms themselves: results whose values share a lexical form ("Berg" and
    #: "Berg"@de) are distinct results.
    focus_term: Node = field(repr=False, default=URIRef(""))
    value_term: Node | None = field(repr=False, default=None)

    @property
    def severity_name(self) -> str:
        """``Violation``, ``Warning`` or ``Info``."""
        return self.severity.rsplit("#", 1)[-1]

    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (
            self.focus_node,
            SEVERITY_ORDER.get(self.severity, 9),
            self.source_shape,
            self.result_path or "",
            self.value or "",
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "focusNode": self.focus_node,
            "resultPath": self.result_path,
            "sourceShape": self.source_shape,
            "sourceConstraintComponent": self.source_constraint_component,
            "value": self.value,
            "message": self.message,
        }


def _message(results: rdflib.Graph, node: Node) -> str:
    """The English (or untagged) ``sh:resultMessage`` of a result."""
    messages = [m for m in results.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    for wanted in ("en", None):
        for m in messages:
            if m.language == wanted:
                return str(m)
    return str(messages[0]) if messages else ""


@dataclass
class ValidationReport:
    """All results of validating a set of descriptions."""

    results: list[ValidationResult]
    #: The graph the shapes ran over (data, ontology and inferences); used for labels.
    graph: rdflib.Graph = field(repr=False, default_factory=rdflib.Graph)
    #: The ``sh:ValidationReport`` graph as pySHACL produced it.
    results_graph: rdflib.Graph = field(repr=False, default_factory=rdflib.Graph)

    @property
    def conforms(self) -> bool:
        """True when no result has severity ``sh:Violation``."""
        return not any(r.severity == str(SH.Violation) for r in self.results)

    def count(self, severity: URIRef) -> int:
        return sum(1 for r in self.results if r.severity == str(severity))

    @classmethod
    def from_results_graph(cls, results: rdflib.Graph, graph: rdflib.Graph) -> ValidationReport:
        found: set[ValidationResult] = set()
        # Only top-level results: nested ones (sh:detail of an sh:node failure) are not listed.
        for node in results.objects(None, SH.result):
            focus = results.value(node, SH.focusNode)
            value = results.value(node, SH.value)
            path = results.value(node, SH.resultPath)
            found.add(
                ValidationResult(
                    severity=str(results.value(node, SH.resultSeverity)),
                    focus_node=term_text(focus) or "",
                    result_path=str(path) if isinstance(path, URIRef) else None,
                    source_shape=term_text(results.value(node, SH.sourceShape)) or "",
                    source_constraint_component=str(
                        results.value(node, SH.sourceConstraintComponent)
                    ),
                    value=term_text(value),
                    message=_message(results, node),
                    focus_term=focus if focus is not None else URIRef(""),
                    value_term=value,
                )
            )
        ordered = sorted(found, key=ValidationResult.sort_key)
        return cls(ordered, graph, results)

    def to_json(self) -> dict[str, Any]:
        """Contract 4: ``{"conforms": bool, "results": [...]}``."""
        return {"conforms": self.conforms, "results": [r.to_json() for r in self.results]}

    def to_turtle(self) -> str:
        """The SHACL validation report graph as Turtle."""
        out = rdflib.Graph()
        out.bind("sh", SH)
        out.bind("cdkg", CDKG)
        for triple in self.results_graph:
            out.add(triple)
        return out.serialize(format="turtle")


# --------------------------------------------------------------------------- grouping


def initiatives_in(graph: rdflib.Graph) -> list[Node]:
    """The initiatives the taxonomy classified (every one gets exactly one ``cdkg:verdict``)."""
    found = {s for s in graph.subjects(CDKG.verdict, None)}
    return sorted(found, key=lambda t: term_text(t) or "")


def owners(graph: rdflib.Graph, initiatives: Iterable[Node]) -> dict[Node, list[Node]]:
    """Which initiatives each node belongs to: itself, and nodes up to two links away.

    Used to list a result about an engagement, an actor or a dataset under its initiative.
    """
    owned: dict[Node, list[Node]] = defaultdict(list)
    starts = list(initiatives)
    others = set(starts)
    for initiative in starts:
        seen = {initiative}
        frontier = [initiative]
        for _hop in range(2):
            nxt: list[Node] = []
            for node in frontier:
                for obj in graph.objects(node, None):
                    if isinstance(obj, (URIRef, BNode)) and obj not in seen and obj not in others:
                        seen.add(obj)
                        nxt.append(obj)
            frontier = nxt
        for node in seen:
            owned[node].append(initiative)
    return owned
