"""Value range constraint components (SHACL §4.3): ``sh:minExclusive``, ``sh:minInclusive``,
``sh:maxExclusive``, ``sh:maxInclusive``.

Each compares every value node with the bound by SPARQL's ``>``/``>=``/``<``/``<=``; a
comparison that is not true, an error included (incomparable values), is a violation.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.term import URIRef

from cdkg.validate.fast.compile.base import Check, ComponentCompiler, Shape, value_check
from cdkg.validate.fast.sparql_text import term


def _bound(parameter: URIRef, operator: str, component: URIRef) -> ComponentCompiler:
    """The compiler of a component that holds where ``?value operator bound`` is true, for
    every value ``bound`` of ``parameter``."""

    def compile_bound(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
        for bound in g.objects(s.node, parameter):
            yield value_check(s, component, f"!COALESCE(?value {operator} {term(bound)}, false)")

    return compile_bound


#: ``sh:minExclusive`` (§4.3.1)
min_exclusive = _bound(SH.minExclusive, ">", SH.MinExclusiveConstraintComponent)
#: ``sh:minInclusive`` (§4.3.2)
min_inclusive = _bound(SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent)
#: ``sh:maxExclusive`` (§4.3.3)
max_exclusive = _bound(SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent)
#: ``sh:maxInclusive`` (§4.3.4)
max_inclusive = _bound(SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent)
