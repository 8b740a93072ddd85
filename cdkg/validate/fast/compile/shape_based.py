"""Shape-based constraint components (SHACL §4.7): ``sh:node``.

``sh:node`` (§4.7.1) becomes a nested check naming the shape; the engine evaluates that
shape (compiled on its own) with the value nodes as its focus nodes. ``sh:property``
(§4.7.2) is not a check: the compiler lists a node shape's property shapes
(:attr:`~cdkg.validate.fast.compile.base.Shape.properties`) and the engine runs them with
the same focus nodes; on a property shape the compiler refuses it. ``sh:qualifiedValueShape``
(§4.7.3) is not compiled.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH

from cdkg.validate.fast.compile.base import Check, Shape


def node(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:node`` (§4.7.1): every value node conforms to the shape."""
    for n in g.objects(s.node, SH.node):
        yield Check(SH.NodeConstraintComponent, "node", nested=[n])
