"""The stored description of one initiative: which source graph holds it, read back and
replaced (re-loaded, so what the classifier infers from it is recomputed).

Used to settle a to-be-assessed case in a registry (``cdkg assess --initiative`` and the
served form): the answers are added to the source graph that describes the initiative,
and that graph is loaded again exactly as ``cdkg load`` would, in one atomic write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import rdflib

from cdkg.errors import InputError
from cdkg.load.loader import LoadReport, known_sources, load
from cdkg.model.namespaces import CDKG
from cdkg.rdf.read import Source
from cdkg.rdf.terms import to_rdflib
from cdkg.store import Store
from cdkg.store.layout import INFERRED_PREFIX, RESERVED_GRAPHS, is_iri

_UNSAFE = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')


@dataclass(frozen=True)
class StoredSource:
    """The source graph describing an initiative, as the store holds it."""

    #: The source graph's IRI.
    graph: str
    #: What it was loaded from (a file name, or the graph IRI).
    name: str
    content: rdflib.Graph


def usable_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI that can be written in a query as ``<text>``."""
    return is_iri(text) and not _UNSAFE.search(text)


def read_graph(store: Store, graph: str) -> rdflib.Graph:
    """The triples of the named graph ``graph``."""
    out = rdflib.Graph()
    for q in store.quads(graph):
        try:
            out.add((to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object)))
        except ValueError as exc:  # an RDF 1.2 triple term
            raise InputError.single(graph, str(exc)) from None
    return out


def source_describing(store: Store, iri: str) -> StoredSource:
    """The source graph that describes the initiative ``iri`` (the one naming its
    initiators or its type); :class:`InputError` when the store holds no such initiative
    or several sources describe it."""
    if not usable_iri(iri):
        raise InputError.single(iri, "not an absolute IRI", hint="e.g. https://example.org/i/x")
    rows = store.query(
        f"""SELECT DISTINCT ?g ?main WHERE {{
  GRAPH ?g {{ <{iri}> ?p ?o }}
  BIND (EXISTS {{ GRAPH ?g {{ <{iri}> <{CDKG.initiatedBy}> ?who }} }}
        || EXISTS {{ GRAPH ?g {{ <{iri}> a <{CDKG.Initiative}> }} }} AS ?main)
}}"""
    ).rows
    found = {
        r["g"]["value"]: r.get("main", {}).get("value") == "true"
        for r in rows
        if r["g"]["value"] not in RESERVED_GRAPHS
        and not r["g"]["value"].startswith(INFERRED_PREFIX)
    }
    main = sorted(g for g, is_main in found.items() if is_main)
    if not main:
        raise InputError.single(
            iri,
            f"no initiative with this IRI in the store {store.name}",
            hint="'cdkg query initiatives' lists them",
        )
    if len(main) > 1:
        raise InputError.single(
            iri,
            f"described as an initiative in {len(main)} sources ({', '.join(main)})",
            hint="settle it in one of the files and load it again",
        )
    graph = main[0]
    return StoredSource(graph, known_sources(store).get(graph, graph), read_graph(store, graph))


def replace_source(
    store: Store, source: StoredSource, content: rdflib.Graph, *, engine: str = "reference"
) -> LoadReport:
    """Store ``content`` as the source graph of ``source`` (keeping the name it was loaded
    from) and recompute what is inferred from it: one atomic write."""
    data = content.serialize(format="nt", encoding="utf-8")
    return load(
        store,
        [],
        graph=source.graph,
        sources=[Source(source.name, "nt", data)],
        progress=False,
        engine=engine,
    )
