"""What a registry store holds, read back as one rdflib graph."""

from __future__ import annotations

import pyoxigraph as ox
import rdflib

from cdkg.rdf.terms import to_rdflib
from cdkg.store.base import Store
from cdkg.store.layout import INFERRED_PREFIX, is_data_graph


def stored_descriptions(store: Store) -> rdflib.Graph:
    """Every loaded source graph merged into one rdflib graph (what was loaded, not what
    was inferred from it), e.g. to validate or classify a registry's content again."""
    graph = rdflib.Graph()
    for quad in store.quads():
        name = quad.graph_name
        if not isinstance(name, ox.NamedNode) or not is_data_graph(name.value):
            continue
        if name.value.startswith(INFERRED_PREFIX):
            continue
        graph.add((to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object)))
    return graph
