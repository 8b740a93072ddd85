"""The classification as data: reasons, missing facts and findings written once, read
everywhere.

``cdkg load`` classifies what it loads and writes, beside each initiative's verdict and
type, the words of :class:`~cdkg.classify.explainer.Explainer` and the validation results
about the initiative, in its inferred graph (each on a node ``<initiative>#cdkg-…`` named
by what it says)::

    <initiative> cdkg:reason <#cdkg-reason-…> ; cdkg:missingFact <#cdkg-missing-…> ;
        cdkg:finding <#cdkg-finding-…> .
    <#cdkg-reason-…> rdf:value "…"@en ; cdkg:position 1 ;
        dct:source "Copenhagen Framework on Citizen Data (2024), ¶12" .
    <#cdkg-missing-…> cdkg:factKey "participation-at-design" ; rdf:value "…"@en ;
        cdkg:position 1 ; dct:source "…" .
    <#cdkg-finding-…> sh:resultSeverity sh:Warning ; sh:focusNode … ; sh:sourceShape … ;
        sh:sourceConstraintComponent … ; sh:resultPath … ; sh:resultMessage "…" .

:func:`explanation_triples` writes them; :func:`stored_result` reads an initiative's whole
classification back (verdict and type, the recorded assessment, reasons, missing facts,
findings), so that ``cdkg export``, ``cdkg publish`` and the pages of ``cdkg serve`` show
what ``cdkg classify`` said, without running a SHACL engine again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

import pyoxigraph as ox
from rdflib.term import Node

from cdkg.classify.explainer import Explainer, Stored, recorded_assessment, stored_of
from cdkg.classify.facts import Facts, PairFacts, StoreFacts, Term
from cdkg.classify.reasons import MissingFact
from cdkg.classify.result import InitiativeResult
from cdkg.model.namespaces import CDKG
from cdkg.model.vocab import concepts
from cdkg.rdf.terms import to_ox, to_rdflib
from cdkg.validate.report import ValidationResult, term_text

TermTriple = tuple[Term, Term, Term]

_SH = "http://www.w3.org/ns/shacl#"
RDF_VALUE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#value")
DCT_SOURCE = ox.NamedNode("http://purl.org/dc/terms/source")
REASON = ox.NamedNode(str(CDKG.reason))
MISSING = ox.NamedNode(str(CDKG.missingFact))
FINDING = ox.NamedNode(str(CDKG.finding))
FACT_KEY = ox.NamedNode(str(CDKG.factKey))
POSITION = ox.NamedNode(str(CDKG.position))
SEVERITY = ox.NamedNode(_SH + "resultSeverity")
FOCUS = ox.NamedNode(_SH + "focusNode")
SHAPE = ox.NamedNode(_SH + "sourceShape")
COMPONENT = ox.NamedNode(_SH + "sourceConstraintComponent")
PATH = ox.NamedNode(_SH + "resultPath")
MESSAGE = ox.NamedNode(_SH + "resultMessage")
#: The properties linking an initiative to its stored explanation.
EXPLANATION_PROPERTIES = frozenset({REASON, MISSING, FINDING})
_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_PARAGRAPH = re.compile(r"¶\s?(\d+)")
_SOURCE = "Copenhagen Framework on Citizen Data (2024)"


def _cited(sentence: str) -> ox.Literal | None:
    """The Framework paragraphs ``sentence`` cites, as the ontology's ``dct:source``."""
    found = list(dict.fromkeys(_PARAGRAPH.findall(sentence)))
    if not found:
        return None
    return ox.Literal(f"{_SOURCE}, " + ", ".join(f"¶{n}" for n in found))


def _node_for(subject: Term, kind: str, *parts: object) -> ox.NamedNode | ox.BlankNode:
    """The node of one reason, missing fact or finding (``kind``) of ``subject``, named by
    what it says, so that loading the same description again writes the same triples: a
    part of the initiative's IRI (``<initiative>#cdkg-reason-…``, published on its page),
    or a blank node for an initiative without an IRI of its own or with a fragment."""
    text = "\x00".join([subject.value, kind, *(str(p) for p in parts)])
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if isinstance(subject, ox.NamedNode) and "#" not in subject.value:
        return ox.NamedNode(f"{subject.value}#cdkg-{kind}-{digest[:12]}")
    return ox.BlankNode("e" + digest[:31])


def _sentence_node(
    subject: ox.NamedNode | ox.BlankNode, prop: ox.NamedNode, kind: str, position: int, text: str
) -> tuple[ox.NamedNode | ox.BlankNode, list[TermTriple]]:
    node = _node_for(subject, kind, position, text)
    triples: list[TermTriple] = [
        (subject, prop, node),
        (node, RDF_VALUE, ox.Literal(text, language="en")),
        (node, POSITION, ox.Literal(str(position), datatype=_XSD_INTEGER)),
    ]
    cited = _cited(text)
    if cited is not None:
        triples.append((node, DCT_SOURCE, cited))
    return node, triples


def explanation_triples(
    subject: ox.NamedNode | ox.BlankNode,
    result: InitiativeResult,
    term: Callable[[Node], Term] = to_ox,
) -> list[TermTriple]:
    """The reasons, missing facts and findings of ``result`` as triples about ``subject``
    (the initiative as stored), each on a node of its own named by what it says (:func:`_node_for`);
    ``term`` gives the stored term of the focus node of ``result``'s findings."""
    out: list[TermTriple] = []
    for i, text in enumerate(result.reasons, 1):
        out += _sentence_node(subject, REASON, "reason", i, text)[1]
    for i, fact in enumerate(result.missing, 1):
        node, triples = _sentence_node(subject, MISSING, "missing", i, fact.message)
        out += triples
        out.append((node, FACT_KEY, ox.Literal(fact.fact)))
    for i, finding in enumerate(result.findings, 1):
        focus = term(finding.focus_term)
        node = _node_for(
            subject,
            "finding",
            i,
            finding.severity,
            focus.value if isinstance(focus, ox.NamedNode) else "_",
            finding.source_shape,
            finding.source_constraint_component,
            finding.result_path,
            finding.message,
        )
        # the offending value (or a focus that is a value) is not kept: it may be personal
        # data a published page withholds (an e-mail address, a phone number)
        if not isinstance(focus, ox.Literal):
            out.append((node, FOCUS, focus))
        out += [
            (subject, FINDING, node),
            (node, SEVERITY, ox.NamedNode(finding.severity)),
            (node, SHAPE, ox.NamedNode(finding.source_shape)),
            (node, COMPONENT, ox.NamedNode(finding.source_constraint_component)),
            (node, MESSAGE, ox.Literal(finding.message)),
        ]
        if finding.result_path and _is_iri(finding.result_path):
            out.append((node, PATH, ox.NamedNode(finding.result_path)))
    return out


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return ":" in text and not text.startswith("_:")


def has_explanation(facts: Facts, node: Term) -> bool:
    """Whether ``facts`` hold reasons for the initiative ``node`` (stores loaded before
    reasons were stored hold only verdicts)."""
    return any(p == REASON for p, _o in facts.pairs(node))


def _first(facts: Facts, node: Term, prop: ox.NamedNode) -> Term | None:
    values = sorted((o for p, o in facts.pairs(node) if p == prop), key=lambda t: t.value)
    return values[0] if values else None


def _sentences(facts: Facts, node: Term, prop: ox.NamedNode) -> list[tuple[int, Term, str]]:
    out = []
    for p, item in facts.pairs(node):
        if p != prop:
            continue
        text = _first(facts, item, RDF_VALUE)
        position = _first(facts, item, POSITION)
        rank = int(position.value) if isinstance(position, ox.Literal) else 0
        out.append((rank, item, text.value if text is not None else ""))
    return sorted(out, key=lambda r: (r[0], r[2]))


def _findings(facts: Facts, node: Term) -> list[ValidationResult]:
    out = []
    for p, item in facts.pairs(node):
        if p != FINDING:
            continue
        values = {q: o for q, o in facts.pairs(item)}
        focus, path = values.get(FOCUS), values.get(PATH)
        focus_term = to_rdflib(focus) if focus is not None else None
        out.append(
            ValidationResult(
                severity=_text(values.get(SEVERITY)),
                focus_node=term_text(focus_term) or "",
                result_path=path.value if path is not None else None,
                source_shape=_text(values.get(SHAPE)),
                source_constraint_component=_text(values.get(COMPONENT)),
                value=None,
                message=_text(values.get(MESSAGE)),
                focus_term=focus_term,  # type: ignore[arg-type]
            )
        )
    return sorted(out, key=ValidationResult.sort_key)


def _text(term: Term | None) -> str:
    return term.value if term is not None else ""


def stored_result(
    facts: Facts,
    node: Term,
    *,
    title: str | None = None,
    type_numbers: dict[str, int] | None = None,
    stored: Stored | None = None,
) -> InitiativeResult | None:
    """The classification the registry holds for the initiative ``node``: None when it
    holds no single verdict or no reasons for it (classified before reasons were
    stored: load it again). ``type_numbers`` numbers the initiative types by IRI (the
    vocabulary's when not given)."""
    if stored is None:
        stored = stored_of(facts, node)
    if stored is None or not has_explanation(facts, node):
        return None
    numbers = type_numbers if type_numbers is not None else _type_numbers()
    number = numbers.get(stored.initiative_type) if stored.initiative_type else None
    missing = [
        MissingFact(_text(_first(facts, item, FACT_KEY)), text)
        for _rank, item, text in _sentences(facts, node, MISSING)
    ]
    rdf_node = to_rdflib(node)
    return InitiativeResult(
        iri=term_text(rdf_node) or "",
        title=title,
        initiative_type=stored.initiative_type,
        type_number=number,
        is_citizen_data=stored.is_citizen_data,
        reasons=[text for _rank, _item, text in _sentences(facts, node, REASON)],
        findings=_findings(facts, node),
        node=rdf_node,
        missing=missing,
        assessment=recorded_assessment(facts, node),
        verdict=stored.verdict,
    )


@lru_cache(maxsize=1)
def _type_numbers() -> dict[str, int]:
    """The initiative types' numbers, by IRI (the vocabulary's notations)."""
    return {c.iri: int(c.notation) for c in concepts("initiative-type") if c.notation}


def explanation_subjects(facts: Facts, nodes: Iterable[Term]) -> set[Term]:
    """The blank nodes holding the stored explanation of ``nodes`` (reasons, missing
    facts, findings): what a page lists in the verdict box, not among the properties."""
    out: set[Term] = set()
    for node in nodes:
        for p, o in facts.pairs(node):
            if p in EXPLANATION_PROPERTIES:
                out.add(o)
    return out


def owners_in(facts: Facts, initiatives: Iterable[Term]) -> dict[Term, list[Term]]:
    """:func:`cdkg.validate.report.owners` over ``facts``: which initiatives own each node
    (the initiative itself and the nodes up to two links away, not passing through
    another initiative)."""
    starts = list(initiatives)
    owned: dict[Term, list[Term]] = {}
    others: set[Term] = set(starts)
    for initiative in starts:
        seen: set[Term] = {initiative}
        frontier: list[Term] = [initiative]
        for _hop in range(2):
            nxt: list[Term] = []
            for node in frontier:
                for _p, obj in facts.pairs(node):
                    if isinstance(obj, (ox.NamedNode, ox.BlankNode)) and not (
                        obj in seen or obj in others
                    ):
                        seen.add(obj)
                        nxt.append(obj)
            frontier = nxt
        for node in seen:
            owned.setdefault(node, []).append(initiative)
    return owned


def owners_of(
    facts: StoreFacts, focus: Iterable[Term], initiatives: set[Term]
) -> dict[Term, set[Term]]:
    """:func:`owners_in` for the nodes ``focus`` only, walking back from each (what a load
    needs: the owners of the nodes validation results are about, not of every node)."""
    out: dict[Term, set[Term]] = {}
    for node in set(focus):
        if node in initiatives:
            out[node] = {node}
            continue
        if not isinstance(node, (ox.NamedNode, ox.BlankNode)):
            continue
        found: set[Term] = set()
        for parent in set(facts.incoming(node)):
            if parent in initiatives:
                found.add(parent)
                continue
            found.update(g for g in facts.incoming(parent) if g in initiatives)
        out[node] = found
    return out


def explain_classified(
    facts: StoreFacts,
    classification: Iterable[tuple[Term, Term, Term]],
    results: Iterable[ValidationResult],
) -> dict[Term, InitiativeResult]:
    """Word the classification an engine inferred (``classification``: its verdict, type
    and ``cdkg:isCitizenData`` triples) over the data in ``facts``, with the validation
    ``results`` listed under the initiatives owning their focus nodes: what ``cdkg load``
    stores (:func:`explanation_triples`)."""
    inferred: dict[Term, list[tuple[Term, Term]]] = {}
    for s, p, o in classification:
        inferred.setdefault(s, []).append((p, o))
    verdicts = PairFacts(inferred)
    initiatives = [s for s in inferred if any(p == _VERDICT for p, _o in inferred[s])]
    results = list(results)
    owned = owners_of(facts, [to_ox(r.focus_term) for r in results], set(initiatives))
    findings: dict[Term, list[ValidationResult]] = {i: [] for i in initiatives}
    for finding in results:
        for initiative in owned.get(to_ox(finding.focus_term), ()):
            findings[initiative].append(finding)
    explainer = Explainer(facts)
    out: dict[Term, InitiativeResult] = {}
    for node in initiatives:
        stored = stored_of(verdicts, node)
        if stored is None:
            continue
        found = sorted(findings[node], key=ValidationResult.sort_key)
        result = explainer.result(node, stored, found)
        if result is not None:
            out[node] = result
    return out


_VERDICT = ox.NamedNode(str(CDKG.verdict))
