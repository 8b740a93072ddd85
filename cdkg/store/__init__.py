"""Registry stores: one interface, two backends.

* :class:`EmbeddedStore` — Oxigraph on disk (the default; ``--store DIR``, else
  :func:`default_store_dir`).
* :class:`EndpointStore` — any SPARQL 1.1 Protocol query endpoint, with an Update
  endpoint for writes (``--endpoint URL --update-endpoint URL``).

:mod:`cdkg.store.layout` says which named graphs a registry holds and how their IRIs
are made; :mod:`cdkg.load.loader` writes them.
"""

from __future__ import annotations

from pathlib import Path

from cdkg.store.base import (
    Binding,
    Change,
    Payload,
    Prewrite,
    Results,
    Row,
    SourceText,
    Store,
    StoreError,
)
from cdkg.store.embedded import ENV_STORE, EmbeddedStore, default_store_dir
from cdkg.store.endpoint import EndpointStore

__all__ = [
    "ENV_STORE",
    "Binding",
    "Change",
    "EmbeddedStore",
    "EndpointStore",
    "Payload",
    "Prewrite",
    "Results",
    "Row",
    "SourceText",
    "Store",
    "StoreError",
    "default_store_dir",
    "open_store",
]


def open_store(
    store_dir: str | Path | None = None,
    endpoint: str | None = None,
    update_endpoint: str | None = None,
    *,
    header: str | None = None,
    timeout: float | None = None,
    create: bool = True,
) -> Store:
    """The endpoint if one is given, else the embedded store in ``store_dir`` (or the default).

    ``create=False`` refuses to create an embedded store that does not exist yet (for
    commands that only read).
    """
    if endpoint and store_dir:
        raise StoreError(str(store_dir), "give either --store or --endpoint, not both")
    if endpoint:
        return EndpointStore(endpoint, update_endpoint, header=header, timeout=timeout)
    if update_endpoint:
        raise StoreError(update_endpoint, "--update-endpoint needs --endpoint (the query URL)")
    return EmbeddedStore(store_dir if store_dir else default_store_dir(), create=create)
