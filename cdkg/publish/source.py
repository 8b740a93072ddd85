"""The registry a site is published from, opened for reading only.

``cdkg publish`` never writes to the registry: an embedded store is opened with
Oxigraph's read-only mode, which writes nothing into the folder (a registry on a
read-only disk, or shared with others, publishes as well) and can be opened while the
registry is open elsewhere. An endpoint is read through its SPARQL interface.

It is read only when consistent: while a load is under way, or after one was cut off
(killed, out of disk), the store holds the load's journal (``cdkg-load-journal.nq``) and
part of a batch; the store is refused then, so that a site never publishes half a load.
A command that opens the store for writing (``cdkg status``, ``cdkg load``) undoes a
cut-off load.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox

from cdkg.store.base import Change, StoreError
from cdkg.store.embedded import JOURNAL, EmbeddedStore


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
        self._refuse_half_load()
        try:
            self._store = ox.Store.read_only(str(self.path))
        except OSError as exc:
            raise StoreError(self.name, f"cannot open the store: {exc}") from None
        # a load that began while the store was being opened: what was opened may hold
        # part of it
        self._refuse_half_load()

    def _refuse_half_load(self) -> None:
        if (self.path / JOURNAL).exists():
            self.__dict__.pop("_store", None)
            raise StoreError(
                self.name,
                "a load is under way, or one was cut off: the store may hold part of a batch",
                hint="wait for the load to finish; if none is running, open the store once "
                "for writing (e.g. 'cdkg status --store DIR') to undo the cut-off load",
            )

    def apply(self, change: Change) -> None:
        raise StoreError(self.name, "the store is open read-only")

    def update(self, sparql: str) -> None:
        raise StoreError(self.name, "the store is open read-only")

    def close(self) -> None:
        self.__dict__.pop("_store", None)
