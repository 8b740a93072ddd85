"""The compiler: shapes graph in, :class:`Shape` and :class:`Rule` objects out.

It finds the shapes (SHACL §2.1: declared, targeted, with a path, or named by another
shape), compiles their targets into a focus block (§2.1.3) and their paths into SPARQL
property paths (§2.3.1, :func:`~cdkg.validate.fast.sparql_text.path`), refuses what it
does not compile, and hands every shape to the constraint components of
:data:`COMPONENTS` in turn. SPARQL rules (SHACL Advanced Features) are compiled by
:mod:`~cdkg.validate.fast.compile.rules` once the shapes are.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import RDF, RDFS, SH
from rdflib.collection import Collection
from rdflib.term import Literal, Node, URIRef

from cdkg.validate.fast.compile import (
    cardinality,
    logical,
    other,
    property_pair,
    shape_based,
    sparql,
    string_based,
    value_range,
    value_type,
)
from cdkg.validate.fast.compile.base import TYPE_PATH, ComponentCompiler, Shape, literals
from cdkg.validate.fast.compile.rules import Rule, compile_rule, rule_query
from cdkg.validate.fast.sparql_text import Unsupported, constant, path, term


@dataclass(frozen=True)
class Component:
    """A constraint component the compiler compiles."""

    iri: URIRef
    #: The parameters it reads (a shape with any other SHACL parameter falls back).
    parameters: tuple[URIRef, ...]
    compile: ComponentCompiler
    #: Compiled on property shapes only: on a node shape the shape falls back.
    property_only: bool = False


#: Every constraint component the compiler compiles, in the order a shape's checks are
#: compiled (which fixes the order of its checks, and which refusal it reports first).
COMPONENTS: tuple[Component, ...] = (
    Component(SH.ClassConstraintComponent, (SH["class"],), value_type.class_),
    Component(SH.DatatypeConstraintComponent, (SH.datatype,), value_type.datatype),
    Component(SH.NodeKindConstraintComponent, (SH.nodeKind,), value_type.node_kind),
    Component(SH.MinLengthConstraintComponent, (SH.minLength,), string_based.min_length),
    Component(SH.MaxLengthConstraintComponent, (SH.maxLength,), string_based.max_length),
    Component(SH.PatternConstraintComponent, (SH.pattern, SH.flags), string_based.pattern),
    Component(SH.LanguageInConstraintComponent, (SH.languageIn,), string_based.language_in),
    Component(SH.InConstraintComponent, (SH["in"],), other.in_),
    Component(SH.MinInclusiveConstraintComponent, (SH.minInclusive,), value_range.min_inclusive),
    Component(SH.MaxInclusiveConstraintComponent, (SH.maxInclusive,), value_range.max_inclusive),
    Component(SH.MinExclusiveConstraintComponent, (SH.minExclusive,), value_range.min_exclusive),
    Component(SH.MaxExclusiveConstraintComponent, (SH.maxExclusive,), value_range.max_exclusive),
    Component(SH.HasValueConstraintComponent, (SH.hasValue,), other.has_value),
    Component(SH.MinCountConstraintComponent, (SH.minCount,), cardinality.min_count),
    Component(SH.MaxCountConstraintComponent, (SH.maxCount,), cardinality.max_count),
    Component(
        SH.UniqueLangConstraintComponent,
        (SH.uniqueLang,),
        string_based.unique_lang,
        property_only=True,
    ),
    Component(SH.EqualsConstraintComponent, (SH.equals,), property_pair.equals, property_only=True),
    Component(
        SH.DisjointConstraintComponent, (SH.disjoint,), property_pair.disjoint, property_only=True
    ),
    Component(
        SH.LessThanConstraintComponent, (SH.lessThan,), property_pair.less_than, property_only=True
    ),
    Component(
        SH.LessThanOrEqualsConstraintComponent,
        (SH.lessThanOrEquals,),
        property_pair.less_than_or_equals,
        property_only=True,
    ),
    Component(SH.ClosedConstraintComponent, (SH.closed, SH.ignoredProperties), other.closed),
    Component(SH.NodeConstraintComponent, (SH.node,), shape_based.node),
    Component(SH.NotConstraintComponent, (SH["not"],), logical.not_),
    Component(SH.AndConstraintComponent, (SH["and"],), logical.and_),
    Component(SH.OrConstraintComponent, (SH["or"],), logical.or_),
    Component(SH.XoneConstraintComponent, (SH.xone,), logical.xone),
    Component(SH.SPARQLConstraintComponent, (SH.sparql,), sparql.sparql),
)

#: The targets of a shape whose targets are not compiled (never run: it falls back).
_UNCOMPILED_TARGET = "FILTER (false)"
#: Constraint parameters the compiler understands (others make a shape unsupported):
#: those of :data:`COMPONENTS`, and the structure of shapes.
_KNOWN = {p for c in COMPONENTS for p in c.parameters} | {SH.property, SH.path}
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
_PROPERTY_ONLY = {p for c in COMPONENTS if c.property_only for p in c.parameters}


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
            messages=literals(g, node, SH.message),
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
        """The focus block of each target of the shape (§2.1.3)."""
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
        """Refuse what is not compiled, then compile every component of :data:`COMPONENTS`."""
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
        for component in COMPONENTS:
            for check in component.compile(g, s):
                s.checks.append(check)

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
                    self.rules.append(compile_rule(g, shape_node, r))
                except Unsupported as exc:
                    self.rule_problems.append(f"rule {r}: {exc}")

    def rule_query(self, rule: Rule) -> str:
        """The rule as a SELECT of its template's variables (a template, see
        :data:`~cdkg.validate.fast.compile.base.F`)."""
        return rule_query(rule)
