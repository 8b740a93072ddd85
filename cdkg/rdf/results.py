"""SPARQL Results JSON terms and pyoxigraph terms → rdflib terms."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

Binding = dict[str, str]


def from_binding(binding: Binding, bnodes: dict[str, BNode] | None = None) -> Node:
    """One SPARQL 1.1 Query Results JSON term as an rdflib term.

    Blank nodes with the same label within one answer map to the same ``BNode`` when
    the same ``bnodes`` dictionary is passed.
    """
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        if bnodes is None:
            return BNode(value)
        found = bnodes.get(value)
        if found is None:
            found = bnodes[value] = BNode()
        return found
    lang = binding.get("xml:lang")
    if lang:
        return Literal(value, lang=lang)
    datatype = binding.get("datatype")
    return Literal(value, datatype=URIRef(datatype) if datatype else None)


def from_oxigraph(term: object, bnodes: dict[str, BNode]) -> Node:
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        found = bnodes.get(term.value)
        if found is None:
            found = bnodes[term.value] = BNode()
        return found
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == "http://www.w3.org/2001/XMLSchema#string":
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise ValueError(f"not an RDF term: {term!r}")


def sparql_term(node: Node) -> str:
    """An rdflib IRI or literal written for a SPARQL query (blank nodes are refused)."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return str(node.n3())
    raise ValueError(f"cannot write {node!r} into a query")
