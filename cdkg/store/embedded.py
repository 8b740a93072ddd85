"""The embedded backend: an Oxigraph store in a directory on disk (pyoxigraph)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from cdkg.store.base import Change, Results, Store, StoreError

ENV_STORE = "CDKG_STORE"


def default_store_dir() -> Path:
    """``$CDKG_STORE``, else ``$XDG_DATA_HOME/cdkg/store``, else ``~/.local/share/cdkg/store``."""
    explicit = os.environ.get(ENV_STORE)
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home).expanduser() / "cdkg" / "store"


class EmbeddedStore(Store):
    """An Oxigraph (RocksDB) store on disk, opened read-write by one process at a time.

    Queries see the union of all named graphs as their default graph. Writes are atomic:
    a change that only adds new graphs is written with Oxigraph's bulk loader and undone
    if it fails part-way; a change that replaces or deletes anything runs as one SPARQL
    Update, which Oxigraph applies in a single transaction.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path).expanduser()
        self.name = str(path)
        if not create and not (self.path / "CURRENT").is_file():
            raise StoreError(
                self.name,
                "no store here",
                hint="load descriptions first with 'cdkg load PATH --store DIR'",
            )
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(self.name, "not a directory", hint="give a directory for the store")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            self._store = ox.Store(str(self.path))
        except OSError as exc:
            text = str(exc)
            if "lock" in text.lower():
                raise StoreError(
                    self.name,
                    "the store is in use by another process",
                    hint="wait for it to finish, or query it through its endpoint",
                ) from None
            raise StoreError(self.name, f"cannot open the store: {text}") from None

    # ---------------------------------------------------------------- reading

    def query(self, sparql: str, *, timeout: float | None = None) -> Results:
        try:
            answer = self._store.query(sparql, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise StoreError(self.name, f"the query is not valid SPARQL: {exc}") from None
        except OSError as exc:
            raise StoreError(self.name, f"the query failed: {exc}") from None
        if isinstance(answer, ox.QueryTriples):
            raise StoreError(self.name, "CONSTRUCT/DESCRIBE queries are not supported here")
        data = answer.serialize(format=ox.QueryResultsFormat.JSON)
        assert data is not None
        return Results.from_json(json.loads(data))

    def quads(self, graph: str | None = None) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph) if graph else None
        for quad in self._store.quads_for_pattern(None, None, None, name):
            if not isinstance(quad.graph_name, ox.DefaultGraph):
                yield quad

    def has_graph(self, graph: str) -> bool:
        for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            return True
        return False

    def __len__(self) -> int:
        return len(self._store)

    # ---------------------------------------------------------------- writing

    def _deletes_something(self, change: Change) -> bool:
        if any(self.has_graph(g) for g in change.drop_graphs):
            return True
        for graph, subject in change.delete_about:
            pattern = self._store.quads_for_pattern(
                ox.NamedNode(subject), None, None, ox.NamedNode(graph)
            )
            if next(iter(pattern), None) is not None:
                return True
        return False

    def apply(self, change: Change) -> None:
        try:
            if self._deletes_something(change):
                self._store.update(change.update_text())
            else:
                self._bulk_insert(change.insert)
            self._store.flush()
        except OSError as exc:
            raise StoreError(self.name, f"writing failed, nothing was changed: {exc}") from None

    def _bulk_insert(self, quads: list[ox.Quad]) -> None:
        """Bulk-load quads into graphs that are new; on failure remove what was written."""
        try:
            self._store.bulk_extend(quads)
        except BaseException:
            for quad in quads:
                self._store.remove(quad)
            raise

    def close(self) -> None:
        store = self.__dict__.pop("_store", None)
        if store is not None:
            store.flush()
