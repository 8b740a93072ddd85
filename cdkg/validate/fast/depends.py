"""Which SHACL rules may run at the same time.

pySHACL runs rules one after the other, each over the graph its predecessors left, and
the fast engine keeps that meaning. Two rules can still run at once when the later one
cannot see anything the earlier one constructs: no pattern of its query (focus block
included) can match a triple the earlier rule's template can produce.

The analysis is conservative. A query *reads* the predicates named in its triple patterns
and property paths, and, for ``rdf:type`` patterns, the class in object position; a
variable predicate, a negated property set or a variable class mean "reads everything";
the patterns of ``EXISTS`` and ``NOT EXISTS`` are read like the others, and a variable
predicate ``?p`` under ``FILTER (?p IN (<a>, <b>))`` reads ``<a>`` and ``<b>``. A rule
*writes* the predicates of its template and, for ``rdf:type``, the classes (a variable
there means "writes any class"). A written
``rdf:type C`` reaches a read class ``K`` when ``C`` is ``K`` or below it
(``rdfs:subClassOf``, ``owl:equivalentClass`` both ways), as computed over the store; a
rule writing those schema properties depends on, and is depended on by, everything that
reads them.

One refinement keeps rules of one shape together: a rule whose template only speaks
about ``$this`` adds statements about nodes already in its shape's focus set, so it
cannot change that set; focus patterns with ``?this`` as subject are not reads for
rules of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import RDF
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateGroupGraphPattern, translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node, URIRef, Variable

_TYPE = str(RDF.type)
_THIS = Variable("this")


@dataclass
class Reads:
    """What a query's patterns can match."""

    everything: bool = False
    predicates: set[str] = field(default_factory=set)
    #: Classes of ``rdf:type`` patterns; ``None`` once a pattern has a variable class.
    classes: set[str] | None = field(default_factory=set)

    def add_class(self, node: Node) -> None:
        if isinstance(node, URIRef) and self.classes is not None:
            self.classes.add(str(node))
        else:
            self.classes = None


@dataclass
class Writes:
    """What a rule's template can construct."""

    everything: bool = False
    predicates: set[str] = field(default_factory=set)
    #: Classes of ``rdf:type`` triples; ``None`` when a template gives a variable class.
    classes: set[str] | None = field(default_factory=set)
    only_this: bool = True


def reads(query: str, *, skip_this_subject: bool = False) -> Reads:
    """What ``query`` (a SELECT) reads; with ``skip_this_subject``, patterns whose subject
    is ``?this`` are left out."""
    found = Reads()
    try:
        algebra = translateQuery(parseQuery(query)).algebra
    except Exception:
        return Reads(everything=True)
    _walk(algebra, found, skip_this_subject)
    return found


Limits = dict[Variable, frozenset[str]]
#: Operators through which a filter's ``?v IN (...)`` still bounds the triples that match
#: (and expressions, down to their ``EXISTS``).
#: (MINUS too: its right side removes a solution only through a shared variable, so a row
#: whose ``?v`` is not in the list can only remove solutions the filter removes anyway.)
_FILTERED = {"Join", "Extend", "Filter", "BGP", "ToMultiSet", "Minus", "Distinct"}


def _walk(node: object, found: Reads, skip_this: bool, limits: Limits | None = None) -> None:
    if found.everything:
        return
    if isinstance(node, CompValue):
        if node.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
            # rdflib leaves the pattern of an EXISTS untranslated: translate it here
            try:
                pattern = translateGroupGraphPattern(node.graph)
            except Exception:
                found.everything = True
                return
            # its variables are the enclosing solution's: the same bounds hold
            _walk(pattern, found, skip_this, limits)
            return
        if node.name == "Filter":
            # FILTER (?p IN (<a>, <b>)) over a group: a variable predicate ?p of the
            # group's patterns (and of the EXISTS of its filters, where ?p is the same
            # variable) can only match <a> or <b> in a solution that is kept
            inner = {**(limits or {}), **_in_lists(node.expr)}
            _walk(node.expr, found, skip_this, inner)
            _walk(node.p, found, skip_this, inner)
            return
        passes = node.name in _FILTERED or node.name.endswith("Expression")
        kept = limits if passes or node.name.startswith("Builtin_") else None
        if node.name == "Project" and limits:
            # a sub-select: its variables are its own, but for those it projects
            kept = {v: limits[v] for v in node.PV if v in limits}
        if node.name == "LeftJoin":
            _walk(node.p1, found, skip_this, limits)
            _walk(node.p2, found, skip_this)
            _walk(node.get("expr"), found, skip_this)
            return
        if node.name == "BGP":
            for s, p, o in node.triples:
                if not (skip_this and s == _THIS):
                    _pattern(p, o, found, kept or {})
        for value in node.values():
            _walk(value, found, skip_this, kept)
    elif isinstance(node, list | tuple):
        for value in node:
            _walk(value, found, skip_this, limits)


def _in_lists(expr: object) -> Limits:
    """``?v IN (IRIs)`` conditions that every kept solution meets (the expression or a
    conjunct of it)."""
    out: Limits = {}
    if not isinstance(expr, CompValue):
        return out
    if expr.name == "ConditionalAndExpression":
        for part in [expr.expr, *(expr.other or [])]:
            out.update(_in_lists(part))
    elif (
        expr.name == "RelationalExpression"
        and expr.op == "IN"
        and isinstance(expr.expr, Variable)
        and all(isinstance(x, URIRef) for x in expr.other)
    ):
        out[expr.expr] = frozenset(str(x) for x in expr.other)
    return out


def _pattern(p: Node | Path, o: Node, found: Reads, limits: Limits) -> None:
    if isinstance(p, Variable) and p in limits:
        found.predicates |= limits[p]
        if _TYPE in limits[p]:
            found.add_class(o)
    elif isinstance(p, Variable):
        found.everything = True
    elif isinstance(p, URIRef):
        found.predicates.add(str(p))
        if str(p) == _TYPE:
            found.add_class(o)
    elif isinstance(p, Path):
        iris = _path_iris(p)
        if iris is None:
            found.everything = True
            return
        found.predicates |= iris
        if _TYPE in iris:
            found.add_class(o)
    else:
        found.everything = True


def _path_iris(p: Path | Node) -> set[str] | None:
    """The IRIs a property path steps through; None for a negated property set."""
    if isinstance(p, URIRef):
        return {str(p)}
    parts: Iterable[Path | Node]
    if isinstance(p, SequencePath | AlternativePath):
        parts = p.args
    elif isinstance(p, MulPath):
        parts = [p.path]
    elif isinstance(p, InvPath):
        parts = [p.arg]
    else:  # a NegatedPath, or anything unknown
        return None
    out: set[str] = set()
    for part in parts:
        iris = _path_iris(part)
        if iris is None:
            return None
        out |= iris
    return out


def writes(template: Iterable[tuple[Node, Node, Node]]) -> Writes:
    out = Writes()
    for s, p, o in template:
        if s != _THIS:
            out.only_this = False
        if not isinstance(p, URIRef):
            out.everything = True
            continue
        out.predicates.add(str(p))
        if str(p) == _TYPE:
            if isinstance(o, URIRef) and out.classes is not None:
                out.classes.add(str(o))
            else:
                out.classes = None
    return out


def depends(later: Reads, earlier: Writes, superclasses: Callable[[str], set[str]]) -> bool:
    """Whether a query reading ``later`` can see a triple the ``earlier`` rule writes."""
    if later.everything or earlier.everything:
        return True
    if (earlier.predicates - {_TYPE}) & later.predicates:
        return True
    if _TYPE in earlier.predicates and _TYPE in later.predicates:
        if later.classes is None or earlier.classes is None:
            return True
        return any(superclasses(c) & later.classes for c in earlier.classes)
    return False
