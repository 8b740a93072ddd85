"""Logical constraint components (SHACL §4.6): ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``.

Nothing is compiled to a query here: each becomes a nested check naming its shapes, and
the engine combines the verdicts of those shapes (compiled on their own) for each value
node.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.collection import Collection
from rdflib.term import URIRef

from cdkg.validate.fast.compile.base import Check, ComponentCompiler, Shape


def not_(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:not`` (§4.6.1): no value node conforms to the shape."""
    for n in g.objects(s.node, SH["not"]):
        yield Check(SH.NotConstraintComponent, "not", nested=[n])


def _listed(parameter: URIRef, kind: str, component: URIRef) -> ComponentCompiler:
    """The compiler of a component whose parameter is a list of shapes."""

    def compile_listed(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
        for lst in g.objects(s.node, parameter):
            yield Check(component, kind, nested=list(Collection(g, lst)))

    return compile_listed


#: ``sh:and`` (§4.6.2): every value node conforms to every shape of the list.
and_ = _listed(SH["and"], "and", SH.AndConstraintComponent)
#: ``sh:or`` (§4.6.3): every value node conforms to at least one of them.
or_ = _listed(SH["or"], "or", SH.OrConstraintComponent)
#: ``sh:xone`` (§4.6.4): every value node conforms to exactly one of them.
xone = _listed(SH.xone, "xone", SH.XoneConstraintComponent)
