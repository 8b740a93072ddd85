"""SPARQL-based constraints (SHACL §5): ``sh:sparql`` with ``sh:select``.

The SELECT is rewritten into one over every focus node at once
(:func:`~cdkg.validate.fast.sparql_text.prebind_select`): the focus block is joined
first, which is what pre-binding ``$this`` means (§5.3.1), and ``$PATH`` is replaced by
the shape's path. The prefixes the constraint declares (§5.2.1) are written in front.
Refused (the shape falls back): a constraint without ``sh:select``, ``sh:ask``
validators (§6, SPARQL-based constraint components, are not compiled at all), and the
queries that :mod:`~cdkg.validate.fast.sparql_text` cannot pre-bind.
"""

from __future__ import annotations

from collections.abc import Iterator

import rdflib
from rdflib import SH
from rdflib.term import Literal

from cdkg.validate.fast.compile.base import Check, F, Shape, declared_prefixes, literals
from cdkg.validate.fast.sparql_text import Unsupported, prebind_select, prefixes_text


def sparql(g: rdflib.Graph, s: Shape) -> Iterator[Check]:
    """Every ``sh:sparql`` constraint of the shape that is not deactivated."""
    for c in g.objects(s.node, SH.sparql):
        if g.value(c, SH.deactivated) == Literal(True):
            continue
        select = g.value(c, SH.select)
        if select is None:
            raise Unsupported("an sh:sparql constraint without sh:select")
        if any(True for _ in g.objects(c, SH.ask)):
            raise Unsupported("sh:ask validators")
        prologue = prefixes_text(declared_prefixes(g, c))
        binds = {"PATH": s.path} if s.path else {}
        text = prologue + str(select)
        yield Check(
            SH.SPARQLConstraintComponent,
            "query",
            prebind_select(text, F, binds),
            source_constraint=c,
            messages=literals(g, c, SH.message),
        )
