"""RDF terms in the three forms cdkg handles them, and the conversions between them.

* pyoxigraph terms: what the store holds and the fast engine computes with;
* rdflib terms: what parsing, pySHACL, the reference engine and the pages work with;
* SPARQL 1.1 Query Results JSON terms (*bindings*, ``{"type": "uri", "value": …}``):
  what every store's SELECT answers (:class:`cdkg.store.base.Results`).

:func:`to_rdflib` and :func:`to_ox` convert between the first two,
:func:`binding_to_rdflib` and :func:`binding_to_ox` read a binding, :func:`to_binding`
writes one. Every conversion follows the same rules:

Blank nodes
    A blank node keeps its label, so a node converted twice (a store's term read into
    rdflib and written back, a focus node found again) is the same node. Where terms from
    sources that label their blank nodes independently meet — each parsed document
    written to one store, the rows of one answer built into one graph — a dictionary
    ``bnodes`` is passed instead: each distinct blank node then gets a fresh node, the
    same one for every occurrence converted with that dictionary (:class:`TermConverter`
    keeps one per source). :func:`binding_to_ox` always takes a dictionary and keeps the
    server's label where Oxigraph accepts it (stable across reads), else makes one up.
Literals
    A literal keeps its lexical form, language tag and datatype. ``xsd:string`` is the
    one exception: RDF 1.1 makes ``"x"`` and ``"x"^^xsd:string`` the same term, which
    Oxigraph and results JSON write without a datatype, but rdflib tells the two apart,
    so an ``xsd:string`` literal becomes rdflib's plain literal (the form rdflib's
    parsers give), and a plain rdflib literal becomes Oxigraph's ``xsd:string``.
    A base direction (RDF 1.2) is dropped on the way to rdflib, which has none.
Triple terms
    RDF 1.2 triple terms have no rdflib form: converting one raises :class:`ValueError`,
    as does anything that is not an RDF term. (:func:`to_binding` writes one as a literal
    of its text, for a protocol answer.)
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import overload

import pyoxigraph as ox
import rdflib
from rdflib.term import BNode, Literal, Node, URIRef

#: A pyoxigraph RDF term (triple terms aside).
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
#: One SPARQL 1.1 Query Results JSON term.
Binding = dict[str, str]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


# --------------------------------------------------------------------------- Oxigraph → rdflib


@overload
def to_rdflib(term: ox.NamedNode) -> URIRef: ...
@overload
def to_rdflib(term: ox.BlankNode) -> BNode: ...
@overload
def to_rdflib(term: ox.Literal) -> Literal: ...
@overload
def to_rdflib(term: OxTerm | ox.Triple) -> Node: ...
def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    """A pyoxigraph term as an rdflib term (blank-node labels kept)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"rdflib cannot hold the term {term!r}")


# --------------------------------------------------------------------------- rdflib → Oxigraph


def to_ox(node: Node, bnodes: dict[BNode, ox.BlankNode] | None = None) -> OxTerm:
    """An rdflib term as a pyoxigraph term.

    A blank node keeps its label, or, given ``bnodes``, gets a fresh node (the same one
    for the same rdflib node throughout ``bnodes``). :class:`ValueError` for what is not
    an RDF term, or an IRI or label Oxigraph refuses.
    """
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        if bnodes is None:
            return ox.BlankNode(str(node))
        found = bnodes.get(node)
        if found is None:
            found = bnodes[node] = ox.BlankNode()
        return found
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise ValueError(f"not an RDF term: {node!r}")


class TermConverter:
    """Converts the terms of one source: its blank nodes get fresh, store-unique nodes."""

    def __init__(self) -> None:
        self._bnodes: dict[BNode, ox.BlankNode] = {}

    def term(self, node: Node) -> OxTerm:
        return to_ox(node, self._bnodes)

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
    """Every triple of ``graph`` as a quad in ``graph_name`` (fresh blank nodes)."""
    return list(TermConverter().quads(graph, graph_name))


# --------------------------------------------------------------------------- results JSON


def binding_to_rdflib(binding: Binding, bnodes: dict[str, BNode] | None = None) -> Node:
    """One SPARQL 1.1 Query Results JSON term as an rdflib term.

    A blank node keeps its label, or, given ``bnodes``, gets a fresh node (the same one
    for the same label throughout ``bnodes``: within one answer, say).
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
    if datatype and datatype != XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def binding_to_ox(binding: Binding, bnodes: dict[str, ox.BlankNode]) -> OxTerm:
    """One SPARQL 1.1 Query Results JSON term as a pyoxigraph term; a blank node is the
    same node for the same label throughout ``bnodes``, and keeps that label where
    Oxigraph accepts it (stable across reads), else gets a fresh one."""
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        found = bnodes.get(value)
        if found is None:
            try:
                found = bnodes[value] = ox.BlankNode(value)
            except ValueError:
                found = bnodes[value] = ox.BlankNode()
        return found
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    datatype = binding.get("datatype")
    return ox.Literal(value, datatype=ox.NamedNode(datatype) if datatype else None)


def to_binding(term: OxTerm | ox.Triple) -> Binding:
    """A pyoxigraph term as a SPARQL 1.1 Query Results JSON term (``xsd:string`` without
    its datatype, as the format writes it; a triple term as a literal of its text)."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}
