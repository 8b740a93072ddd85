"""Write a registry's content as N-Quads, TriG, Turtle or JSON-LD."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import pyoxigraph as ox

from cdkg.errors import InputError
from cdkg.model.namespaces import PREFIXES
from cdkg.store.base import Store
from cdkg.store.layout import is_data_graph

EXPORT_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def _data_triples(store: Store) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for quad in store.quads():
        if isinstance(quad.graph_name, ox.NamedNode) and is_data_graph(quad.graph_name.value):
            triple = quad.triple
            if triple not in seen:
                seen.add(triple)
                yield triple


def export(store: Store, fmt: str, output: IO[bytes], *, everything: bool = False) -> None:
    """Serialise ``store`` into ``output``.

    ``nq`` and ``trig`` keep the named graphs and, with ``everything``, include the
    vocabulary and registry-record graphs too (a full copy). ``ttl`` and ``jsonld`` merge
    the source and inferred graphs into one graph (what the registry says).
    """
    rdf_format = EXPORT_FORMATS.get(fmt)
    if rdf_format is None:
        raise InputError.single(
            f"--format {fmt}", "unknown export format", hint="use nq, trig, ttl or jsonld"
        )
    if fmt in ("nq", "trig"):
        quads = (
            q
            for q in store.quads()
            if everything
            or (isinstance(q.graph_name, ox.NamedNode) and is_data_graph(q.graph_name.value))
        )
        ox.serialize(quads, output, rdf_format, prefixes=PREFIXES if fmt == "trig" else None)
    else:
        ox.serialize(_data_triples(store), output, rdf_format, prefixes=PREFIXES)
