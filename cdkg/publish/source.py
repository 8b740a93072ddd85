"""The registry a site is published from, opened for reading only.

``cdkg publish`` never writes to the registry: an embedded store is opened with
Oxigraph's read-only mode, which writes nothing into the folder (a registry on a
read-only disk, or shared with others, publishes as well) and can be opened while the
registry is open elsewhere. An endpoint is read through its SPARQL interface.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from cdkg.store.base import Change, StoreError
from cdkg.store.embedded import EmbeddedStore


class ReadOnlyStore(EmbeddedStore):
    """An embedded (Oxigraph) store opened read-only: it reads as :class:`EmbeddedStore`
    does; writes are refused and closing flushes nothing."""

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

    def apply(self, change: Change) -> None:
        raise StoreError(self.name, "the store is open read-only")

    def update(self, sparql: str) -> None:
        raise StoreError(self.name, "the store is open read-only")

    def close(self) -> None:
        self.__dict__.pop("_store", None)
