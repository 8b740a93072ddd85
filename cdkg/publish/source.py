"""The registry a site is published from, opened for reading only.

``cdkg publish`` never writes to the registry: an embedded store is opened with
Oxigraph's read-only mode, which writes nothing into the folder (a registry on a
read-only disk, or shared with others, publishes as well) and can be opened while the
registry is open elsewhere. An endpoint is read through its SPARQL interface.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from cdkg.store.base import Change, Results, Store, StoreError


class ReadOnlyStore(Store):
    """An embedded (Oxigraph) store opened read-only."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).expanduser()
        self.name = str(path)
        if not (self.path / "CURRENT").is_file():
            raise StoreError(
                self.name,
                "no store here",
                hint="load descriptions first with 'cdkg load PATH --store DIR'",
            )
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(self.name, f"cannot open the store: {exc}") from None

    def query(self, sparql: str, *, timeout: float | None = None) -> Results:
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(self.name, f"the query is not valid SPARQL: {exc}") from None
        if isinstance(answer, ox.QueryTriples):
            raise StoreError(self.name, "CONSTRUCT/DESCRIBE queries are not supported here")
        data = answer.serialize(format=ox.QueryResultsFormat.JSON)
        assert data is not None
        return Results.from_json(json.loads(data))

    def apply(self, change: Change) -> None:
        raise StoreError(self.name, "the store is open read-only")

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if graph else None
        for quad in self._store.quads_for_pattern(None, None, None, name):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def has_graph(self, graph: str) -> bool:
        for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            return True
        return False
