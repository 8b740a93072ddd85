"""One initiative's classification, as every command, page and table shows it (DESIGN
Contract 4): verdict, initiative type, reasons, missing facts, recorded assessment and
findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node, URIRef

from cdkg.classify.reasons import Assessment, MissingFact
from cdkg.model.namespaces import VERDICT
from cdkg.validate.report import ValidationResult

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
