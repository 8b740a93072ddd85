"""Compile SHACL shapes (Core, SPARQL constraints, SPARQL rules) into whole-store SPARQL.

Every constraint becomes a query *template*: a function of a focus block, i.e. a group
pattern that binds ``?this`` to the focus nodes — the shape's targets for a top-level
run, or the value nodes of an enclosing shape for ``sh:node`` and the logical
constraints. Queries project ``?this`` and, where the constraint has value nodes,
``?value``; so one query answers a constraint for every focus node of the store.

What is compiled (the fast engine's claim, checked by the W3C suite and differential
tests): targets (``sh:targetClass`` with ``rdfs:subClassOf*``, implicit class targets,
``targetNode``, ``targetSubjectsOf``, ``targetObjectsOf``); every SHACL path form;
``class``, ``datatype``, ``nodeKind``, ``minCount``, ``maxCount``, ``minLength``,
``maxLength``, ``pattern``, ``languageIn``, ``uniqueLang``, ``in``, ``hasValue``,
``min/maxInclusive``, ``min/maxExclusive``, ``equals``, ``disjoint``, ``lessThan``,
``lessThanOrEquals``, ``closed``, ``node``, ``not``, ``and``, ``or``, ``xone``,
SPARQL-based constraints (``sh:select``) and SPARQL rules (``sh:construct``).
Anything else raises :class:`~cdkg.validate.fast.sparql_text.Unsupported` for that shape, and the
engine hands the shape to the reference engine. So do the cases Oxigraph cannot answer
term by term: ``sh:datatype`` xsd:integer or an integer-derived type (the store keeps them
all as xsd:integer), literal constants the store keeps only in canonical form ("4.0"
decimal, "1" boolean) in targets, ``sh:in`` and ``sh:hasValue``, ``sh:property`` on a
property shape, and ``$this`` read by a filter of a nested group of a SPARQL query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, RDFS, SH, XSD
from rdflib.collection import Collection
from rdflib.term import BNode, Literal, Node, URIRef

from cdkg.validate.fast.sparql_text import (
    Unsupported,
    constant,
    path,
    prebind_select,
    prefixes_text,
    term,
)

Template = str
#: Where a template takes its focus block.
F = "\n#cdkg:focus#\n"
TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"
#: The targets of a shape whose targets are not compiled (never run: it falls back).
_UNCOMPILED_TARGET = "FILTER (false)"

#: Constraint parameters the compiler understands (others make a shape unsupported).
_KNOWN = {
    SH["class"], SH.datatype, SH.nodeKind, SH.minCount, SH.maxCount, SH.minLength,
    SH.maxLength, SH.pattern, SH.flags, SH.languageIn, SH.uniqueLang, SH["in"], SH.hasValue,
    SH.minInclusive, SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.equals,
    SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.closed, SH.ignoredProperties,
    SH.node, SH["not"], SH["and"], SH["or"], SH.xone, SH.sparql, SH.property, SH.path,
}  # fmt: skip
_UNSUPPORTED = {
    SH.qualifiedValueShape, SH.qualifiedMinCount, SH.qualifiedMaxCount,
    SH.qualifiedValueShapesDisjoint, SH.expression, URIRef("http://www.w3.org/ns/shacl#targetWhere"),
}  # fmt: skip
#: Shape metadata and structure (no constraint of their own).
_METADATA = {
    SH.name, SH.description, SH.message, SH.severity, SH.deactivated, SH.order, SH.group,
    SH.defaultValue, SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf,
    SH.rule, SH.prefixes, SH.declare, SH.flags, SH.ignoredProperties,
}  # fmt: skip
#: Constraints compiled for property shapes only.
_PROPERTY_ONLY = {SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.uniqueLang}
_NODE_KINDS = {
    SH.IRI: "isIRI(?value)",
    SH.BlankNode: "isBlank(?value)",
    SH.Literal: "isLiteral(?value)",
    SH.BlankNodeOrIRI: "!isLiteral(?value)",
    SH.BlankNodeOrLiteral: "!isIRI(?value)",
    SH.IRIOrLiteral: "!isBlank(?value)",
}
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


@dataclass
class Check:
    """One compiled constraint of one shape."""

    component: URIRef
    #: ``query`` (a SELECT template), or ``node``/``not``/``and``/``or``/``xone`` (nested).
    kind: str
    template: Template | None = None
    nested: list[Node] = field(default_factory=list)
    #: Whether ``?value`` is reported (else the value is the focus node, or none).
    has_value: bool = True
    source_constraint: Node | None = None
    messages: list[Literal] = field(default_factory=list)


@dataclass
class Shape:
    node: Node
    is_property: bool
    severity: URIRef
    messages: list[Literal]
    path_node: Node | None = None
    path: str | None = None
    targets: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[Node] = field(default_factory=list)
    deactivated: bool = False
    unsupported: str | None = None

    def value_pattern(self, focus_var: str = "?this", value_var: str = "?value") -> str:
        if self.is_property:
            return f"{focus_var} {self.path} {value_var} ."
        return f"BIND ({focus_var} AS {value_var})"


@dataclass
class Rule:
    shape: Node
    node: Node
    order: float
    shape_order: float
    prologue: str
    template: list[tuple[Node, Node, Node]]
    variables: list[str]
    where: str
    conditions: list[Node]


def _literals(graph: rdflib.Graph, node: Node, prop: URIRef) -> list[Literal]:
    return [m for m in graph.objects(node, prop) if isinstance(m, Literal)]


def _declared_prefixes(graph: rdflib.Graph, node: Node) -> dict[str, str]:
    found: dict[str, str] = {}
    for ontology in graph.objects(node, SH.prefixes):
        for decl in graph.objects(ontology, SH.declare):
            prefix, ns = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found[str(prefix)] = str(ns)
    return found


def _order(graph: rdflib.Graph, node: Node) -> float:
    value = graph.value(node, SH.order)
    try:
        return float(value.toPython()) if isinstance(value, Literal) else 0.0
    except (TypeError, ValueError):
        return 0.0


class Compiler:
    """Read a shapes graph into :class:`Shape` and :class:`Rule` objects."""

    def __init__(self, graph: rdflib.Graph) -> None:
        self.graph = graph
        self.shapes: dict[Node, Shape] = {}
        self.rules: list[Rule] = []
        self.rule_problems: list[str] = []
        for node in self._shape_nodes():
            self.shapes[node] = self._shape(node)
        self._rules()

    # ------------------------------------------------------------------ discovery

    def _shape_nodes(self) -> list[Node]:
        g = self.graph
        found: set[Node] = set(g.subjects(RDF.type, SH.NodeShape))
        found |= set(g.subjects(RDF.type, SH.PropertyShape))
        for prop in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            found |= set(g.subjects(prop, None))
        found |= set(g.subjects(SH.path, None))
        found |= set(g.objects(None, SH.property))
        found |= set(g.objects(None, SH.node))
        found |= set(g.objects(None, SH["not"]))
        found |= set(g.objects(None, SH.qualifiedValueShape))
        for prop in (SH["and"], SH["or"], SH.xone):
            for lst in g.objects(None, prop):
                found |= set(Collection(g, lst))
        return sorted(found, key=str)

    def targeted(self) -> list[Shape]:
        return [s for s in self.shapes.values() if s.targets and not s.deactivated]

    # ------------------------------------------------------------------ shapes

    def _shape(self, node: Node) -> Shape:
        g = self.graph
        path_node = g.value(node, SH.path)
        sev = g.value(node, SH.severity)
        shape = Shape(
            node=node,
            is_property=path_node is not None,
            severity=sev if isinstance(sev, URIRef) else SH.Violation,
            messages=_literals(g, node, SH.message),
            path_node=path_node,
            deactivated=g.value(node, SH.deactivated) == Literal(True),
        )
        shape.properties = list(g.objects(node, SH.property))
        try:
            shape.targets = self._targets(node)
        except Unsupported as exc:
            # still a targeted shape: the engine must hand it over, not skip it
            shape.targets = [_UNCOMPILED_TARGET]
            shape.unsupported = str(exc)
            return shape
        try:
            if path_node is not None:
                shape.path = path(g, path_node)
            self._checks(shape)
        except Unsupported as exc:
            shape.unsupported = str(exc)
        return shape

    def _targets(self, node: Node) -> list[str]:
        g = self.graph
        out = []
        classes = set(g.objects(node, SH.targetClass))
        class_types = {RDFS.Class, *g.subjects(RDFS.subClassOf, RDFS.Class)}
        if isinstance(node, URIRef) and any(t in class_types for t in g.objects(node, RDF.type)):
            classes.add(node)
        for c in sorted(classes, key=str):
            out.append(f"?this {TYPE_PATH} {term(c)} .")
        for n in g.objects(node, SH.targetNode):
            out.append(f"VALUES ?this {{ {constant(n)} }}")
        for p in g.objects(node, SH.targetSubjectsOf):
            out.append(f"?this {term(p)} ?any .")
        for p in g.objects(node, SH.targetObjectsOf):
            out.append(f"?any {term(p)} ?this .")
        if any(True for _ in g.objects(node, SH.target)):
            raise Unsupported("SHACL-AF custom targets (sh:target)")
        return out

    def _custom_parameters(self) -> set[Node]:
        """Parameters of every component that declares some (whatever its class, which
        may be a subclass of ``sh:ConstraintComponent``)."""
        g = self.graph
        return {p for param in g.objects(None, SH.parameter) for p in g.objects(param, SH.path)}

    def _checks(self, s: Shape) -> None:
        g = self.graph
        custom = self._custom_parameters()
        for p in set(g.predicates(s.node, None)):
            if p in _UNSUPPORTED:
                raise Unsupported(f"the constraint {p}")
            if p in custom:
                raise Unsupported(f"the custom constraint component parameter {p}")
            if str(p).startswith(str(SH)) and p not in _KNOWN and p not in _METADATA:
                raise Unsupported(f"the SHACL term {p}")
            if p in _PROPERTY_ONLY and not s.is_property:
                raise Unsupported(f"{p} on a node shape")
        if s.is_property and s.properties:
            # their focus nodes are this shape's value nodes, which the engine's
            # sh:property walk (same focus as the parent) does not provide
            raise Unsupported("sh:property on a property shape")
        vp = s.value_pattern()
        add = s.checks.append

        def value_check(component: URIRef, violation: str) -> None:
            add(
                Check(
                    component,
                    "query",
                    (f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n{vp}\nFILTER ({violation})\n}}"),
                )
            )

        for c in g.objects(s.node, SH["class"]):
            add(
                Check(
                    SH.ClassConstraintComponent,
                    "query",
                    (
                        f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n{vp}\n"
                        f"MINUS {{ ?value {TYPE_PATH} {term(c)} }}\n}}"
                    ),
                )
            )
        for dt in g.objects(s.node, SH.datatype):
            value_check(SH.DatatypeConstraintComponent, f"!({_datatype_ok(dt)})")
        for kind in g.objects(s.node, SH.nodeKind):
            if not isinstance(kind, URIRef) or kind not in _NODE_KINDS:
                raise Unsupported(f"unknown node kind {kind}")
            value_check(SH.NodeKindConstraintComponent, f"!({_NODE_KINDS[kind]})")
        for n in g.objects(s.node, SH.minLength):
            value_check(
                SH.MinLengthConstraintComponent,
                f"isBlank(?value) || STRLEN(STR(?value)) < {_int(n)}",
            )
        for n in g.objects(s.node, SH.maxLength):
            value_check(
                SH.MaxLengthConstraintComponent,
                f"isBlank(?value) || STRLEN(STR(?value)) > {_int(n)}",
            )
        for pat in g.objects(s.node, SH.pattern):
            flags = g.value(s.node, SH.flags)
            args = term(Literal(str(pat))) + (f", {term(Literal(str(flags)))}" if flags else "")
            value_check(
                SH.PatternConstraintComponent, f"isBlank(?value) || !REGEX(STR(?value), {args})"
            )
        for lst in g.objects(s.node, SH.languageIn):
            tags = [str(t) for t in Collection(g, lst)]
            ok = " || ".join(f"LANGMATCHES(LANG(?value), {term(Literal(t))})" for t in tags)
            value_check(
                SH.LanguageInConstraintComponent, f"!isLiteral(?value) || !({ok or 'false'})"
            )
        for lst in g.objects(s.node, SH["in"]):
            members = " || ".join(f"sameTerm(?value, {constant(m)})" for m in Collection(g, lst))
            value_check(SH.InConstraintComponent, f"!({members or 'false'})")
        for prop, op, comp in (
            (SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
            (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
            (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
            (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent),
        ):
            for bound in g.objects(s.node, prop):
                value_check(comp, f"!COALESCE(?value {op} {term(bound)}, false)")
        for v in g.objects(s.node, SH.hasValue):
            if s.is_property:
                add(
                    Check(
                        SH.HasValueConstraintComponent,
                        "query",
                        (
                            f"SELECT DISTINCT ?this WHERE {{\n{F}\n"
                            f"MINUS {{ ?this {s.path} {constant(v)} }}\n}}"
                        ),
                        has_value=False,
                    )
                )
            else:
                add(
                    Check(
                        SH.HasValueConstraintComponent,
                        "query",
                        f"SELECT DISTINCT ?this WHERE {{\n{F}\n"
                        f"FILTER (!sameTerm(?this, {constant(v)}))\n}}",
                        has_value=False,
                    )
                )
        if s.is_property:
            self._count_checks(s)
            self._pair_checks(s)
        elif g.value(s.node, SH.closed) == Literal(True):
            allowed = [g.value(p, SH.path) for p in g.objects(s.node, SH.property)] + [
                i for lst in g.objects(s.node, SH.ignoredProperties) for i in Collection(g, lst)
            ]
            listed = ", ".join(term(a) for a in allowed if isinstance(a, URIRef))
            cond = f"FILTER (?path NOT IN ({listed}))" if listed else ""
            add(
                Check(
                    SH.ClosedConstraintComponent,
                    "query",
                    (
                        "SELECT DISTINCT ?this ?path ?value WHERE {\n"
                        f"{F}\n?this ?path ?value .\n{cond}\n}}"
                    ),
                )
            )
        for n in g.objects(s.node, SH.node):
            add(Check(SH.NodeConstraintComponent, "node", nested=[n]))
        for n in g.objects(s.node, SH["not"]):
            add(Check(SH.NotConstraintComponent, "not", nested=[n]))
        for prop, logic, comp in (
            (SH["and"], "and", SH.AndConstraintComponent),
            (SH["or"], "or", SH.OrConstraintComponent),
            (SH.xone, "xone", SH.XoneConstraintComponent),
        ):
            for lst in g.objects(s.node, prop):
                add(Check(comp, logic, nested=list(Collection(g, lst))))
        for c in g.objects(s.node, SH.sparql):
            self._sparql_check(s, c)

    def _count_checks(self, s: Shape) -> None:
        g, add = self.graph, s.checks.append
        for n in g.objects(s.node, SH.minCount):
            k = _int(n)
            if k == 1:
                tpl: Template = (
                    f"SELECT DISTINCT ?this WHERE {{\n{F}\nMINUS {{ ?this {s.path} ?v0 }}\n}}"
                )
            else:
                tpl = (
                    f"SELECT ?this WHERE {{\n{F}\nOPTIONAL {{ ?this {s.path} ?v0 }}\n}} "
                    f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v0) < {k})"
                )
            if k > 0:
                add(Check(SH.MinCountConstraintComponent, "query", tpl, has_value=False))
        for n in g.objects(s.node, SH.maxCount):
            k = _int(n)
            add(
                Check(
                    SH.MaxCountConstraintComponent,
                    "query",
                    (
                        f"SELECT ?this WHERE {{\n{F}\n?this {s.path} ?v0 .\n}} "
                        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v0) > {k})"
                    ),
                    has_value=False,
                )
            )
        if g.value(s.node, SH.uniqueLang) == Literal(True):
            add(
                Check(
                    SH.UniqueLangConstraintComponent,
                    "query",
                    (
                        f"SELECT DISTINCT ?this WHERE {{\n{F}\n"
                        f"?this {s.path} ?a . ?this {s.path} ?b .\n"
                        "FILTER (!sameTerm(?a, ?b) && LANG(?a) != ''\n"
                        "        && LCASE(LANG(?a)) = LCASE(LANG(?b)))\n}"
                    ),
                    has_value=False,
                )
            )

    def _pair_checks(self, s: Shape) -> None:
        g, add = self.graph, s.checks.append
        for p in g.objects(s.node, SH.equals):
            add(
                Check(
                    SH.EqualsConstraintComponent,
                    "query",
                    (
                        f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                        f"{{ ?this {s.path} ?value MINUS {{ ?this {term(p)} ?value }} }}\n"
                        f"UNION {{ ?this {term(p)} ?value MINUS {{ ?this {s.path} ?value }} }}\n}}"
                    ),
                )
            )
        for p in g.objects(s.node, SH.disjoint):
            add(
                Check(
                    SH.DisjointConstraintComponent,
                    "query",
                    (
                        f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                        f"?this {s.path} ?value . ?this {term(p)} ?value .\n}}"
                    ),
                )
            )
        for prop, op, comp in (
            (SH.lessThan, "<", SH.LessThanConstraintComponent),
            (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent),
        ):
            for p in g.objects(s.node, prop):
                add(
                    Check(
                        comp,
                        "query",
                        (
                            f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                            f"?this {s.path} ?value . ?this {term(p)} ?o .\n"
                            f"FILTER (!COALESCE(?value {op} ?o, false))\n}}"
                        ),
                    )
                )

    def _sparql_check(self, s: Shape, c: Node) -> None:
        g = self.graph
        if g.value(c, SH.deactivated) == Literal(True):
            return
        select = g.value(c, SH.select)
        if select is None:
            raise Unsupported("an sh:sparql constraint without sh:select")
        if any(True for _ in g.objects(c, SH.ask)):
            raise Unsupported("sh:ask validators")
        prologue = prefixes_text(_declared_prefixes(g, c))
        binds = {"PATH": s.path} if s.path else {}
        text = prologue + str(select)
        s.checks.append(
            Check(
                SH.SPARQLConstraintComponent,
                "query",
                prebind_select(text, F, binds),
                source_constraint=c,
                messages=_literals(g, c, SH.message),
            )
        )

    # ------------------------------------------------------------------ rules

    def _rules(self) -> None:
        g = self.graph
        for shape_node in sorted(set(g.subjects(SH.rule, None)), key=str):
            shape = self.shapes.get(shape_node)
            for r in g.objects(shape_node, SH.rule):
                if g.value(r, SH.deactivated) == Literal(True):
                    continue
                try:
                    if shape is None or shape.unsupported:
                        raise Unsupported(f"the shape {shape_node} of a rule is not compiled")
                    self.rules.append(self._rule(shape_node, r))
                except Unsupported as exc:
                    self.rule_problems.append(f"rule {r}: {exc}")

    def _rule(self, shape_node: Node, r: Node) -> Rule:
        g = self.graph
        if (r, RDF.type, SH.SPARQLRule) not in g:
            raise Unsupported("only SPARQL rules (sh:SPARQLRule) are compiled")
        constructs = list(g.objects(r, SH.construct))
        if len(constructs) != 1:
            raise Unsupported("a SPARQL rule needs exactly one sh:construct")
        from rdflib.plugins.sparql import prepareQuery
        from rdflib.term import Variable

        prologue = prefixes_text(_declared_prefixes(g, r))
        text = str(constructs[0]).replace("$this", "?this")
        prepared = prepareQuery(prologue + text)
        template = list(prepared.algebra.get("template") or [])
        variables = sorted({str(t) for tr in template for t in tr if isinstance(t, Variable)})
        from cdkg.validate.fast.sparql_text import split_construct

        head, _tpl, where = split_construct(prologue + text)
        return Rule(
            shape=shape_node,
            node=r,
            order=_order(g, r),
            shape_order=_order(g, shape_node),
            prologue=head,
            template=template,
            variables=variables,
            where=where,
            conditions=list(g.objects(r, SH.condition)),
        )

    def rule_query(self, rule: Rule) -> str:
        """The rule as a SELECT of its template's variables (a template, see :data:`F`)."""
        projection = " ".join(f"?{v}" for v in rule.variables) or "?this"
        return prebind_select(f"{rule.prologue}SELECT DISTINCT {projection} {rule.where}", F)


def _int(n: Node) -> int:
    if isinstance(n, Literal) and isinstance(n.toPython(), int):
        return int(n.toPython())
    raise Unsupported(f"not an integer: {n}")


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


__all__ = ["BNode", "Check", "Compiler", "Rule", "Shape"]
