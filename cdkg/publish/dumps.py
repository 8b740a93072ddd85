"""The registry dumps of the site: N-Quads (one graph per source), Turtle and JSON-LD.

Source and inferred graphs only (not the vocabularies or the load records), without
the withheld personal contact data; written gzip-compressed (level 6, no timestamp, so
the same registry gives the same bytes) by Oxigraph's serialisers while streaming.

A source graph loaded from a file is named in the store by the file's ``file:`` URI,
the keeper's own path (``file:///home/…``). The dumps name it
``urn:cdkg:source:<digest>`` instead (:func:`public_graph_name`), with the digest its
inferred graph ``urn:cdkg:inferred:<digest>`` carries, so the two still pair up; graphs
named with ``cdkg load --graph IRI`` keep that name. The store is not changed.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from cdkg.model.namespaces import PREFIXES
from cdkg.publish.jsonld import Triple
from cdkg.store import Store
from cdkg.store.layout import INFERRED_PREFIX, inferred_graph, is_data_graph

LEVEL = 6
#: How the dumps name a source graph loaded from a local file.
SOURCE_PREFIX = "urn:cdkg:source:"


def public_graph_name(graph: str) -> str:
    """The name of the store's graph ``graph`` in the dumps: a ``file:`` IRI becomes
    ``urn:cdkg:source:`` + the digest of its inferred graph; any other name is kept."""
    if graph.startswith("file:"):
        return SOURCE_PREFIX + inferred_graph(graph).removeprefix(INFERRED_PREFIX)
    return graph


def write_dumps(store: Store, withheld: set[Triple], folder: Path) -> int:
    """Write ``registry.{nq,ttl,jsonld}.gz`` into ``folder``; the number of quads dumped."""
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    triples: set[ox.Triple] = set()
    names: dict[ox.NamedNode, ox.NamedNode] = {}

    def quads() -> Iterator[ox.Quad]:
        nonlocal count
        for q in store.quads():
            g = q.graph_name
            if not (isinstance(g, ox.NamedNode) and is_data_graph(g.value)):
                continue
            if withheld and (q.subject, q.predicate, q.object) in withheld:
                continue
            count += 1
            triples.add(q.triple)
            name = names.get(g)
            if name is None:
                name = names[g] = ox.NamedNode(public_graph_name(g.value))
            yield q if name == g else ox.Quad(q.subject, q.predicate, q.object, name)

    prefixes = {name: str(ns) for name, ns in PREFIXES.items()}
    with _gz(folder / "registry.nq.gz") as out:
        ox.serialize(quads(), out, ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]
    for name, fmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD)):
        with _gz(folder / f"registry.{name}.gz") as out:
            ox.serialize(iter(triples), out, fmt, prefixes=prefixes)  # type: ignore[arg-type]
    return count


@contextmanager
def _gz(path: Path) -> Iterator[gzip.GzipFile]:
    with (
        open(path, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=LEVEL, mtime=0) as gz,
    ):
        yield gz
