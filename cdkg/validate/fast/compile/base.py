"""What a compiled shape is, and what every component module builds its checks from.

A constraint compiles to a query *template*: a SELECT with the placeholder :data:`F`
where the focus block goes (a group pattern binding ``?this`` to the focus nodes). The
value nodes of a shape (SHACL §2.3 for property shapes, the focus node itself for node
shapes, §2.2) are read by :meth:`Shape.value_pattern`; a component that tests each value
node on its own builds its check with :func:`value_check`.

The component modules (one per family of SHACL §4, plus SPARQL-based constraints, §5)
import from here and from nothing else in the package, so that the compiler can import
them all without a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, RDFS, SH
from rdflib.term import Literal, Node, URIRef

from cdkg.validate.fast.sparql_text import Unsupported

Template = str
#: Where a template takes its focus block.
F = "\n#cdkg:focus#\n"
#: ``?x TYPE_PATH C``: ``?x`` is a SHACL instance of ``C`` (one of its types is ``C`` or a
#: subclass of ``C``).
TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


@dataclass
class Check:
    """One compiled constraint of one shape."""

    component: URIRef
    #: ``query`` (a SELECT template), or ``node``/``not``/``and``/``or``/``xone`` (nested).
    kind: str
    template: Template | None = None
    nested: list[Node] = field(default_factory=list)
    #: Whether ``?value`` is reported (else the value is the focus node, or none).
    has_value: bool = True
    source_constraint: Node | None = None
    messages: list[Literal] = field(default_factory=list)


@dataclass
class Shape:
    node: Node
    is_property: bool
    severity: URIRef
    messages: list[Literal]
    path_node: Node | None = None
    path: str | None = None
    targets: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[Node] = field(default_factory=list)
    deactivated: bool = False
    unsupported: str | None = None

    def value_pattern(self, focus_var: str = "?this", value_var: str = "?value") -> str:
        if self.is_property:
            return f"{focus_var} {self.path} {value_var} ."
        return f"BIND ({focus_var} AS {value_var})"


#: Compiles one constraint component of one shape: the shapes graph and the shape in,
#: its checks out (none where the shape does not use the component). Raises
#: :class:`~cdkg.validate.fast.sparql_text.Unsupported` where it cannot compile it.
ComponentCompiler = Callable[[rdflib.Graph, Shape], Iterator[Check]]


def value_check(shape: Shape, component: URIRef, violation: str) -> Check:
    """A check of every value node on its own: ``violation`` is the SPARQL condition on
    ``?value`` under which the value node violates the constraint."""
    return Check(
        component,
        "query",
        (
            f"SELECT DISTINCT ?this ?value WHERE {{\n{F}\n{shape.value_pattern()}\n"
            f"FILTER ({violation})\n}}"
        ),
    )


def literals(graph: rdflib.Graph, node: Node, prop: URIRef) -> list[Literal]:
    return [m for m in graph.objects(node, prop) if isinstance(m, Literal)]


def integer(n: Node) -> int:
    if isinstance(n, Literal) and isinstance(n.toPython(), int):
        return int(n.toPython())
    raise Unsupported(f"not an integer: {n}")


def declared_prefixes(graph: rdflib.Graph, node: Node) -> dict[str, str]:
    """The prefixes a SPARQL-based constraint or rule declares (SHACL §5.2.1)."""
    found: dict[str, str] = {}
    for ontology in graph.objects(node, SH.prefixes):
        for decl in graph.objects(ontology, SH.declare):
            prefix, ns = graph.value(decl, SH.prefix), graph.value(decl, SH.namespace)
            if prefix is not None and ns is not None:
                found[str(prefix)] = str(ns)
    return found
