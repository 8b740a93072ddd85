"""rdflib terms → pyoxigraph terms, for writing parsed descriptions into a store."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

OxSubject = ox.NamedNode | ox.BlankNode
OxObject = ox.NamedNode | ox.BlankNode | ox.Literal
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class TermConverter:
    """Converts terms of one source; its blank nodes get fresh, store-unique identifiers."""

    def __init__(self) -> None:
        self._bnodes: dict[BNode, ox.BlankNode] = {}

    def term(self, node: Node) -> OxObject:
        if isinstance(node, URIRef):
            return ox.NamedNode(str(node))
        if isinstance(node, BNode):
            found = self._bnodes.get(node)
            if found is None:
                found = self._bnodes[node] = ox.BlankNode()
            return found
        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is not None:
                return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
            return ox.Literal(str(node))
        raise ValueError(f"cannot store the term {node!r}")

    def quads(
        self, triples: Iterable[tuple[Node, Node, Node]], graph: str | None
    ) -> Iterator[ox.Quad]:
        """The triples as quads in the named graph ``graph`` (None: the default graph)."""
        name = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
        for s, p, o in triples:
            subject = self.term(s)
            predicate = self.term(p)
            if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
                raise ValueError(f"not an RDF triple: {s!r} {p!r} {o!r}")
            yield ox.Quad(subject, predicate, self.term(o), name)


def graph_quads(graph: rdflib.Graph, graph_name: str) -> list[ox.Quad]:
    """Every triple of ``graph`` as a quad in ``graph_name``."""
    return list(TermConverter().quads(graph, graph_name))


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:  # a simple literal, as rdflib reads files
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"cannot convert {term!r}")
