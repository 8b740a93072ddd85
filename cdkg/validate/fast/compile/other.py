"""Other constraint components (SHACL §4.8): ``sh:closed`` (with ``sh:ignoredProperties``),
``sh:hasValue``, ``sh:in``.

``sh:closed`` is compiled for node shapes; the allowed properties are the IRI paths of
the shape's property shapes and the ignored properties. Constants go through
:func:`~cdkg.validate.fast.sparql_text.constant`, which refuses the literals the store
keeps only in canonical form (so ``sh:in`` and ``sh:hasValue`` with them fall back).
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.collection import Collection
from rdflib.term import Literal, URIRef

from cdkg.validate.fast.compile.base import Check, F, Shape, value_check
from cdkg.validate.fast.sparql_text import constant, term


def closed(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:closed`` (§4.8.1): the focus node has no other properties."""
    if s.is_property or g.value(s.node, SH.closed) != Literal(True):
        return
    allowed = [g.value(p, SH.path) for p in g.objects(s.node, SH.property)] + [
        i for lst in g.objects(s.node, SH.ignoredProperties) for i in Collection(g, lst)
    ]
    listed = ", ".join(term(a) for a in allowed if isinstance(a, URIRef))
    cond = f"FILTER (?path NOT IN ({listed}))" if listed else ""
    yield Check(
        SH.ClosedConstraintComponent,
        "query",
        f"SELECT DISTINCT ?this ?path ?value WHERE {{\n{F}\n?this ?path ?value .\n{cond}\n}}",
    )


def has_value(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:hasValue`` (§4.8.2): the value is among the value nodes."""
    for v in g.objects(s.node, SH.hasValue):
        if s.is_property:
            missing = f"MINUS {{ ?this {s.path} {constant(v)} }}"
        else:
            missing = f"FILTER (!sameTerm(?this, {constant(v)}))"
        yield Check(
            SH.HasValueConstraintComponent,
            "query",
            f"SELECT DISTINCT ?this WHERE {{\n{F}\n{missing}\n}}",
            has_value=False,
        )


def in_(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:in`` (§4.8.3): every value node is a member of the list."""
    for lst in g.objects(s.node, SH["in"]):
        members = " || ".join(f"sameTerm(?value, {constant(m)})" for m in Collection(g, lst))
        yield value_check(s, SH.InConstraintComponent, f"!({members or 'false'})")
