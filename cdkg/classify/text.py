"""Reports as text for people: grouped by initiative, labels instead of IRIs.

Everything taken from the data (titles, labels, messages that quote values, IRIs) is
written on one line with its control characters escaped (:func:`cdkg.errors.printable`):
a title holding ESC or a line break can neither drive the terminal nor forge a line.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import SH
from rdflib.term import Node, URIRef

from cdkg.classify.verdicts import ClassificationReport
from cdkg.errors import printable
from cdkg.model.labels import Labels
from cdkg.validate.reference import shapes_graph
from cdkg.validate.report import ValidationReport, ValidationResult, initiatives_in, owners

NO_INITIATIVE = (
    "No initiative description found: cdkg looks for resources typed cdkg:Initiative or "
    "with cdkg:initiatedBy. Describe the initiative with a title (dct:title), who initiated "
    "it (cdkg:initiatedBy) and how citizens take part (cdkg:hasEngagement)."
)
_MARK = {"Violation": "✗ Violation", "Warning": "! Warning", "Info": "i Info"}


def _line(text: object) -> str:
    """``text`` (from the data) as part of one printable line."""
    return printable(str(text), keep_lines=False)


def _counts(results: Iterable[ValidationResult]) -> str:
    results = list(results)
    parts = []
    for severity, word in (("Violation", "violation"), ("Warning", "warning"), ("Info", "note")):
        n = sum(1 for r in results if r.severity_name == severity)
        if n:
            parts.append(f"{n} {word}{'s' if n != 1 else ''}")
    return ", ".join(parts) if parts else "no findings"


def _result_line(labels: Labels, result: ValidationResult, owner: Node | None) -> str:
    shape = shapes_graph().value(URIRef(result.source_shape), SH.name)
    about = []
    if owner is None or result.focus_term != owner:
        about.append(_line(labels(result.focus_term)))
    if result.value_term is not None and result.value_term != result.focus_term:
        about.append(_line(labels(result.value_term)))
    where = f" [{' → '.join(about)}]" if about else ""
    name = str(shape) if shape is not None else result.source_shape.rsplit("#", 1)[-1]
    mark = _MARK.get(result.severity_name, result.severity_name)
    return f"  {mark} — {_line(name)}{where}: {_line(result.message)}"


def _heading(labels: Labels, node: Node) -> str:
    title = _line(labels(node))
    return f"{title}\n  <{_line(node)}>" if isinstance(node, URIRef) else title


def render_validation(report: ValidationReport) -> str:
    """The validation report, grouped by initiative."""
    labels = Labels(report.graph)
    found = initiatives_in(report.graph)
    owned = owners(report.graph, found)
    verdict = "conforms" if report.conforms else "does not conform"
    lines = [f"Validation: {verdict} ({_counts(report.results)})"]
    if not found:
        lines.append(NO_INITIATIVE)
    placed: set[ValidationResult] = set()
    for initiative in found:
        mine = [r for r in report.results if initiative in owned.get(r.focus_term, [])]
        lines.append("")
        lines.append(_heading(labels, initiative))
        if not mine:
            lines.append("  ✓ no findings")
        lines.extend(_result_line(labels, r, initiative) for r in mine)
        placed.update(mine)
    rest = [r for r in report.results if r not in placed]
    if rest:
        lines.append("")
        lines.append("Other resources")
        lines.extend(_result_line(labels, r, None) for r in rest)
    return "\n".join(lines) + "\n"


def render_classification(report: ClassificationReport) -> str:
    """The classification of every initiative: verdict, reasons, findings with what to do."""
    labels = Labels(report.validation.graph)
    lines: list[str] = []
    if not report.initiatives:
        lines.append(NO_INITIATIVE)
    for item in report.initiatives:
        node = item.node
        if lines:
            lines.append("")
        lines.append(_line(item.title or labels(node)))
        if isinstance(node, URIRef):
            lines.append(f"  <{_line(item.iri)}>")
        verdict = _line(labels(item.verdict_iri).lower())
        if item.initiative_type is not None:
            type_label = _line(labels(URIRef(item.initiative_type)))
            lines.append(f"  Verdict: {verdict} — type {item.type_number}, {type_label}")
        else:
            lines.append(f"  Verdict: {verdict} — no type yet")
        lines.append("  Why:")
        lines.extend(f"    - {_line(reason)}" for reason in item.reasons)
        if item.missing:
            lines.append("  What would decide it:")
            lines.extend(f"    [ ] {_line(m.message)}" for m in item.missing)
        if item.findings:
            lines.append(f"  Findings ({_counts(item.findings)}):")
            lines.extend("  " + _result_line(labels, f, node) for f in item.findings)
        else:
            lines.append("  Findings: none")
    rest = len(report.validation.results) - len(
        {f for item in report.initiatives for f in item.findings}
    )
    if rest > 0:
        lines.append("")
        lines.append(
            f"{rest} more finding(s) concern other resources: run `cdkg validate` to see them."
        )
    lines.append("")
    summary = "conforms" if report.conforms else "does not conform (fix the violations above)"
    lines.append(f"{len(report.initiatives)} initiative(s) classified; the data {summary}.")
    return "\n".join(lines) + "\n"
