"""The shipped ontology and vocabularies as rdflib graphs (read once, then cached)."""

from __future__ import annotations

from functools import lru_cache

import rdflib

from cdkg.model.resources import data_dir


@lru_cache(maxsize=1)
def ontology_graph() -> rdflib.Graph:
    """``ontology/cdkg.ttl`` plus every ``ontology/vocab/*.ttl``, merged.

    Callers must not modify the returned graph (it is shared); copy it first.
    """
    graph = rdflib.Graph()
    root = data_dir("ontology")
    for entry in sorted(root.iterdir(), key=lambda t: t.name):
        if entry.name.endswith(".ttl"):
            graph.parse(data=entry.read_bytes(), format="turtle")
    vocab = root / "vocab"
    if vocab.is_dir():
        for entry in sorted(vocab.iterdir(), key=lambda t: t.name):
            if entry.name.endswith(".ttl"):
                graph.parse(data=entry.read_bytes(), format="turtle")
    return graph
