"""Cardinality constraint components (SHACL §4.2): ``sh:minCount``, ``sh:maxCount``.

Counted per focus node with ``GROUP BY ?this``; ``sh:minCount 1``, the common case, is a
``MINUS`` instead (no grouping). Compiled for property shapes; on a node shape they
compile to nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH

from cdkg.validate.fast.compile.base import Check, F, Shape, Template, integer


def min_count(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:minCount`` (§4.2.1): at least that many value nodes."""
    if not s.is_property:
        return
    for n in g.objects(s.node, SH.minCount):
        k = integer(n)
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
            yield Check(SH.MinCountConstraintComponent, "query", tpl, has_value=False)


def max_count(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """``sh:maxCount`` (§4.2.2): at most that many value nodes."""
    if not s.is_property:
        return
    for n in g.objects(s.node, SH.maxCount):
        k = integer(n)
        yield Check(
            SH.MaxCountConstraintComponent,
            "query",
            (
                f"SELECT ?this WHERE {{\n{F}\n?this {s.path} ?v0 .\n}} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v0) > {k})"
            ),
            has_value=False,
        )
