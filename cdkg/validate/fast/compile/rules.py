"""SPARQL rules (SHACL Advanced Features, "SHACL Rules": ``sh:SPARQLRule`` with
``sh:construct``).

A rule is kept as the WHERE clause of its CONSTRUCT plus the template's variables; the
engine runs it as a SELECT of those variables over every focus node of its shape at once
(:func:`rule_query`, pre-bound like a SPARQL-based constraint) and instantiates the
template itself. Rules run in ``sh:order`` (of the shape, then of the rule); the
conditions (``sh:condition``) are shapes the engine checks. Triple rules
(``sh:TripleRule``) are not compiled.
"""

from __future__ import annotations

from dataclasses import dataclass

import rdflib
from rdflib import RDF, SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Literal, Node, Variable

from cdkg.validate.fast.compile.base import F, declared_prefixes
from cdkg.validate.fast.sparql_text import (
    Unsupported,
    prebind_select,
    prefixes_text,
    split_construct,
)


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


def compile_rule(g: rdflib.Graph, shape_node: Node, r: Node) -> Rule:
    """The rule ``r`` of the shape ``shape_node``."""
    if (r, RDF.type, SH.SPARQLRule) not in g:
        raise Unsupported("only SPARQL rules (sh:SPARQLRule) are compiled")
    constructs = list(g.objects(r, SH.construct))
    if len(constructs) != 1:
        raise Unsupported("a SPARQL rule needs exactly one sh:construct")
    prologue = prefixes_text(declared_prefixes(g, r))
    text = str(constructs[0]).replace("$this", "?this")
    prepared = prepareQuery(prologue + text)
    template = list(prepared.algebra.get("template") or [])
    variables = sorted({str(t) for tr in template for t in tr if isinstance(t, Variable)})
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


def rule_query(rule: Rule) -> str:
    """The rule as a SELECT of its template's variables (a template, see :data:`F`)."""
    projection = " ".join(f"?{v}" for v in rule.variables) or "?this"
    return prebind_select(f"{rule.prologue}SELECT DISTINCT {projection} {rule.where}", F)


def _order(g: rdflib.Graph, node: Node) -> float:
    value = g.value(node, SH.order)
    try:
        return float(value.toPython()) if isinstance(value, Literal) else 0.0
    except (TypeError, ValueError):
        return 0.0
