"""What the web pages read from a registry store: descriptions, summaries, labels.

Everything goes through the :class:`~cdkg.store.Store` interface (SELECT queries over the
union of the named graphs), so the same pages come from an embedded store or from any
SPARQL 1.1 endpoint. cdkg's own concepts and terms are described from the shipped
ontology and vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import rdflib
from rdflib import RDF, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDFS, SKOS
from rdflib.term import Node

from cdkg.model.namespaces import CDKG, PREFIXES, VERDICT
from cdkg.model.ontology import ontology_graph
from cdkg.rdf.terms import binding_to_rdflib
from cdkg.render.paths import CDKG_ROOT, ONTOLOGY_IRI, Layout
from cdkg.render.words import english, sdg_goal
from cdkg.store import Store
from cdkg.store.layout import REGISTRY_GRAPH, VOCAB_GRAPH

#: The verdicts of Contract 3 revision 2, in the order pages list them.
VERDICT_NAMES = ("citizen-data", "not-citizen-data", "to-be-assessed")
#: Properties whose objects are part of a resource's own description (its engagements).
OWNED = (CDKG.hasEngagement,)
_NAME_PROPS = (DCTERMS.title, FOAF.name, RDFS.label, SKOS.prefLabel)


def new_graph() -> rdflib.Graph:
    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


@dataclass
class Summary:
    """One initiative as the index pages list it."""

    iri: str
    title: str | None = None
    #: The initiative type's IRI; None where none is inferred (to be assessed, Contract 3).
    initiative_type: str | None = None
    #: The IRI of the ``cdkg:verdict`` the registry holds (None: not classified).
    verdict: str | None = None
    sdgs: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)
    titles: list[Literal] = field(default_factory=list)

    @property
    def goals(self) -> set[str]:
        return {g for g in (sdg_goal(s) for s in self.sdgs) if g}

    @property
    def verdict_name(self) -> str | None:
        """``citizen-data``, ``not-citizen-data``, ``to-be-assessed``, or None when the
        registry holds no verdict (or one cdkg does not know)."""
        if self.verdict is None or not self.verdict.startswith(str(VERDICT)):
            return None
        name = self.verdict[len(str(VERDICT)) :]
        return name if name in VERDICT_NAMES else None

    @property
    def is_citizen_data(self) -> bool | None:
        """What the verdict says: True, False, or None while to be assessed or unknown."""
        return {"citizen-data": True, "not-citizen-data": False}.get(self.verdict_name or "")


class RegistryView:
    """Read-only access to a registry for the pages (live or static)."""

    def __init__(self, store: Store, layout: Layout, *, timeout: float | None = None) -> None:
        self.store = store
        self.layout = layout
        self.timeout = timeout

    def _select(self, sparql: str) -> list[dict[str, dict[str, str]]]:
        return self.store.query(sparql, timeout=self.timeout).rows

    # ------------------------------------------------------------- one resource

    def describe(self, iri: str) -> rdflib.Graph:
        """What the registry says about ``iri``: its triples, those of the blank nodes and
        hash/slash sub-resources it owns (engagements), and the inferred classification.
        cdkg's own terms are described from the shipped vocabularies. Empty if unknown."""
        if iri.startswith(CDKG_ROOT + "vocab/") or iri.startswith(ONTOLOGY_IRI):
            return describe_vocab(iri)
        node = f"<{iri}>"
        owned = " ".join(f"<{p}>" for p in OWNED)
        sparql = f"""SELECT ?s ?p ?o WHERE {{
  {{ {node} ?p ?o . BIND({node} AS ?s) }}
  UNION
  {{ {node} ?q ?s . FILTER(isBlank(?s) || ?q IN ({owned.replace(" ", ", ")})
       || STRSTARTS(STR(?s), "{iri}#")) ?s ?p ?o . }}
  UNION
  {{ {node} ?q ?x . FILTER(isBlank(?x) || ?q IN ({owned.replace(" ", ", ")}))
     ?x ?q2 ?s . FILTER(isBlank(?s)) ?s ?p ?o . }}
}}"""
        graph = new_graph()
        bnodes: dict[str, BNode] = {}
        for row in self._select(sparql):
            s, p, o = (binding_to_rdflib(row[k], bnodes) for k in ("s", "p", "o"))
            graph.add((s, p, o))
        return graph

    def exists(self, iri: str) -> bool:
        if iri.startswith(CDKG_ROOT + "vocab/") or iri.startswith(ONTOLOGY_IRI):
            return (URIRef(iri), None, None) in ontology_graph()
        answer = self.store.query(f"ASK {{ <{iri}> ?p ?o }}", timeout=self.timeout)
        return bool(answer.boolean)

    def names(self, iris: Iterable[str]) -> dict[str, str]:
        """Names (title, foaf:name, label) the registry gives to ``iris``."""
        wanted = sorted({i for i in iris if _writable_iri(i)})
        found: dict[str, list[Literal]] = {}
        for chunk in _chunks(wanted, 200):
            values = " ".join(f"<{i}>" for i in chunk)
            props = ", ".join(f"<{p}>" for p in _NAME_PROPS)
            sparql = (
                f"SELECT ?x ?n WHERE {{ VALUES ?x {{ {values} }} ?x ?p ?n . "
                f"FILTER(?p IN ({props}) && isLiteral(?n)) }}"
            )
            for row in self._select(sparql):
                term = binding_to_rdflib(row["n"])
                if isinstance(term, Literal):
                    found.setdefault(row["x"]["value"], []).append(term)
        return {iri: name for iri, lits in found.items() if (name := english(lits))}

    def types(self, iris: Iterable[str]) -> dict[str, set[str]]:
        """``rdf:type`` of each IRI in the registry."""
        out: dict[str, set[str]] = {}
        for chunk in _chunks(sorted({i for i in iris if _writable_iri(i)}), 200):
            values = " ".join(f"<{i}>" for i in chunk)
            for row in self._select(f"SELECT ?x ?t WHERE {{ VALUES ?x {{ {values} }} ?x a ?t }}"):
                out.setdefault(row["x"]["value"], set()).add(row["t"]["value"])
        return out

    def referrers(self, iri: str, limit: int = 200) -> list[tuple[str, str]]:
        """``(subject, property)`` of statements that point at ``iri`` (IRIs only)."""
        sparql = (
            f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{iri}> . FILTER(isIRI(?s)) }} "
            f"ORDER BY ?s ?p LIMIT {limit}"
        )
        return [(r["s"]["value"], r["p"]["value"]) for r in self._select(sparql)]

    def context(self, iri: str, description: rdflib.Graph) -> rdflib.Graph:
        """The description plus those of the resources it links to, two links deep: what
        classifying it reads (actors, engagements, datasets and their agreements), as
        ``cdkg classify`` counts a finding as the initiative's up to two links away."""
        graph = new_graph()
        graph += description
        seen = {iri}
        frontier = description
        for _depth in range(2):
            linked = {
                str(o)
                for o in frontier.objects()
                if isinstance(o, URIRef) and not _shipped_term(str(o))
            } - seen
            seen |= linked
            frontier = new_graph()
            for other in sorted(linked):
                frontier += self.describe(other)
            graph += frontier
        return graph

    # ------------------------------------------------------------- the whole registry

    def summaries(self) -> list[Summary]:
        """Every initiative with what the index facets need, sorted by title."""
        sparql = f"""SELECT ?i ?k ?v WHERE {{
  ?i a <{CDKG.Initiative}> .
  {{ ?i <{DCTERMS.title}> ?v BIND("title" AS ?k) }}
  UNION {{ ?i <{CDKG.initiativeType}> ?v BIND("type" AS ?k) }}
  UNION {{ ?i <{CDKG.verdict}> ?v BIND("verdict" AS ?k) }}
  UNION {{ ?i <{CDKG.addressesSdg}> ?v BIND("sdg" AS ?k) }}
  UNION {{ ?i <{DCTERMS.spatial}> ?v BIND("country" AS ?k) }}
  UNION {{ ?i <{CDKG.integrationStatus}> ?v BIND("status" AS ?k) }}
  UNION {{ BIND("init" AS ?k) }}
}}"""
        found: dict[str, Summary] = {}
        for row in self._select(sparql):
            if row["i"]["type"] != "uri":
                continue
            iri = row["i"]["value"]
            s = found.setdefault(iri, Summary(iri))
            key, value = row["k"]["value"], row.get("v")
            if value is None:
                continue
            if key == "title":
                term = binding_to_rdflib(value)
                if isinstance(term, Literal):
                    s.titles.append(term)
            elif key == "type":
                s.initiative_type = value["value"]
            elif key == "verdict":
                s.verdict = value["value"]
            elif key == "sdg":
                s.sdgs.add(value["value"])
            elif key == "country":
                s.countries.add(value["value"])
            elif key == "status":
                s.statuses.add(value["value"])
        for s in found.values():
            s.title = english(s.titles)
        return sorted(found.values(), key=lambda s: ((s.title or s.iri).casefold(), s.iri))

    def resource_iris(self) -> Iterator[str]:
        """Every subject IRI in the registry's data graphs that the site publishes."""
        sparql = f"""SELECT DISTINCT ?s WHERE {{
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(isIRI(?s) && ?g != <{VOCAB_GRAPH}> && ?g != <{REGISTRY_GRAPH}>)
}}"""
        for row in self._select(sparql):
            iri = row["s"]["value"]
            if self.layout.path_of(iri) is not None:
                yield iri

    def count_triples(self) -> int:
        sparql = (
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(?g != <{VOCAB_GRAPH}> && ?g != <{REGISTRY_GRAPH}>) }}"
        )
        rows = self._select(sparql)
        return int(rows[0]["n"]["value"]) if rows else 0


def describe_vocab(iri: str) -> rdflib.Graph:
    """A concept, scheme or ontology term as the shipped vocabularies describe it."""
    source = ontology_graph()
    graph = new_graph()
    node = URIRef(iri)
    if iri == ONTOLOGY_IRI:
        for s in source.subjects(RDFS.isDefinedBy, node):
            graph += source.triples((s, None, None))
        graph += source.triples((node, None, None))
        return graph
    graph += source.triples((node, None, None))
    for o in list(graph.objects(node, None)):
        if isinstance(o, BNode):
            graph += source.triples((o, None, None))
    if (node, RDF.type, OWL.Ontology) in source or (node, RDF.type, SKOS.ConceptScheme) in source:
        for s in source.subjects(SKOS.inScheme, node):
            graph.add((s, SKOS.inScheme, node))
    return graph


_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^<>\"{}|^`\\\s]*$")


def _writable_iri(text: str) -> bool:
    """Whether ``text`` can be written as ``<text>`` in a query."""
    return bool(_IRI.match(text))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def first_literal(graph: rdflib.Graph, node: Node, *props: URIRef) -> str | None:
    for prop in props:
        found = english([v for v in graph.objects(node, prop) if isinstance(v, Literal)])
        if found:
            return found
    return None


def _shipped_term(iri: str) -> bool:
    """Whether ``iri`` is one of cdkg's own terms (ontology, shapes, vocabulary concepts).

    Data may live under ``https://w3id.org/cdkg/`` too (the examples do), so the test is
    on the shipped namespaces, not on that root.
    """
    return iri.startswith((CDKG_ROOT + "vocab/", ONTOLOGY_IRI, CDKG_ROOT + "shapes"))
