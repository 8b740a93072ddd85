"""Property pair constraint components (SHACL §4.5): ``sh:equals``, ``sh:disjoint``,
``sh:lessThan``, ``sh:lessThanOrEquals``.

Each compares the value nodes with the values of another property of the focus node.
Compiled for property shapes only: the compiler refuses them on a node shape.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.term import URIRef

from cdkg.validate.fast.compile.base import Check, ComponentCompiler, F, Shape
from cdkg.validate.fast.sparql_text import term


def equals(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:equals`` (§4.5.1): a value of either side missing from the other is reported."""
    for p in g.objects(s.node, SH.equals):
        yield Check(
            SH.EqualsConstraintComponent,
            "query",
            (
                f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                f"{{ ?this {s.path} ?value MINUS {{ ?this {term(p)} ?value }} }}\n"
                f"UNION {{ ?this {term(p)} ?value MINUS {{ ?this {s.path} ?value }} }}\n}}"
            ),
        )


def disjoint(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:disjoint`` (§4.5.2)."""
    for p in g.objects(s.node, SH.disjoint):
        yield Check(
            SH.DisjointConstraintComponent,
            "query",
            (
                f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                f"?this {s.path} ?value . ?this {term(p)} ?value .\n}}"
            ),
        )


def _ordered(parameter: URIRef, operator: str, component: URIRef) -> ComponentCompiler:
    """The compiler of a component that holds where ``?value operator ?o`` is true for
    every value ``?o`` of the property that ``parameter`` names (an error is a violation)."""

    def compile_ordered(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
        for p in g.objects(s.node, parameter):
            yield Check(
                component,
                "query",
                (
                    f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n"
                    f"?this {s.path} ?value . ?this {term(p)} ?o .\n"
                    f"FILTER (!COALESCE(?value {operator} ?o, false))\n}}"
                ),
            )

    return compile_ordered


#: ``sh:lessThan`` (§4.5.3)
less_than = _ordered(SH.lessThan, "<", SH.LessThanConstraintComponent)
#: ``sh:lessThanOrEquals`` (§4.5.4)
less_than_or_equals = _ordered(SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)
