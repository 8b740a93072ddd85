"""Value type constraint components (SHACL §4.1): ``sh:class``, ``sh:datatype``, ``sh:nodeKind``.

Each tests every value node on its own. A class test is ``rdf:type/rdfs:subClassOf*``,
so the store need not be closed under subclass entailment. ``sh:datatype`` falls back
where the store cannot answer it term by term: Oxigraph keeps every integer-derived
literal ("5"^^xsd:int, "5"^^xsd:byte...) as xsd:integer, so ``DATATYPE`` cannot tell
them from xsd:integer (or from each other).
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import RDF, SH, XSD
from rdflib.term import Node, URIRef

from cdkg.validate.fast.compile.base import TYPE_PATH, Check, F, Shape, value_check
from cdkg.validate.fast.sparql_text import Unsupported, term

_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)",
    SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}
#: Datatypes whose lexical space a cast checks: a literal of them is well-formed only if
#: casting its lexical form succeeds.
_CASTABLE = {
    XSD.integer, XSD.decimal, XSD.float, XSD.double, XSD.boolean, XSD.dateTime, XSD.date,
    XSD.time, XSD.gYear, XSD.gYearMonth, XSD.gMonthDay, XSD.gDay, XSD.gMonth, XSD.duration,
    XSD.dayTimeDuration, XSD.yearMonthDuration,
}  # fmt: skip
#: Datatypes Oxigraph does not keep apart: it stores every integer-derived literal
#: ("5"^^xsd:int, "5"^^xsd:byte...) as xsd:integer, so ``DATATYPE`` cannot tell them from
#: xsd:integer (or from each other) and ``sh:datatype`` on them falls back.
_INTEGER_TYPES = {
    XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
    XSD.positiveInteger, XSD.nonPositiveInteger, XSD.negativeInteger, XSD.unsignedInt,
    XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte,
}  # fmt: skip


def class_(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:class`` (§4.1.1): every value node is a SHACL instance of the class."""
    for c in g.objects(s.node, SH["class"]):
        yield Check(
            SH.ClassConstraintComponent,
            "query",
            (
                f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n{s.value_pattern()}\n"
                f"MINUS {{ ?value {TYPE_PATH} {term(c)} }}\n}}"
            ),
        )


def datatype(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:datatype`` (§4.1.2): every value node is a well-formed literal of the type."""
    for dt in g.objects(s.node, SH.datatype):
        yield value_check(s, SH.DatatypeConstraintComponent, f"!({_datatype_ok(dt)})")


def node_kind(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:nodeKind`` (§4.1.3): every value node is of the node kind."""
    for kind in g.objects(s.node, SH.nodeKind):
        if not isinstance(kind, URIRef) or kind not in _NODE_KINDS:
            raise Unsupported(f"unknown node kind {kind}")
        yield value_check(s, SH.NodeKindConstraintComponent, f"!({_NODE_KINDS[kind]})")


def _datatype_ok(dt: Node) -> str:
    if not isinstance(dt, URIRef):
        raise Unsupported("sh:datatype must be an IRI")
    if dt in _INTEGER_TYPES:
        raise Unsupported(f"sh:datatype {dt} (the store keeps integer types as xsd:integer)")
    same = f"isLiteral(?value) && DATATYPE(?value) = {term(dt)}"
    if dt == RDF.langString:
        return f"{same} && LANG(?value) != ''"
    if dt in _CASTABLE:
        return f"{same} && COALESCE(isLiteral({term(dt)}(STR(?value))), false)"
    return same
