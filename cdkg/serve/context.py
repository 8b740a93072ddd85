"""The state one served registry shares between its routes, and how a route reaches it.

:func:`cdkg.serve.app.create_app` builds one :class:`ServeContext` per application and
keeps it on ``app.state.context``; a route asks for it with a parameter annotated
:data:`Context` (a FastAPI dependency that reads it back from the request's application).
Nothing here is a module-level global, so two applications in one process (the tests
start several) never share a store, a cache or a write lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar, cast

from fastapi import Depends, Request

from cdkg.render.data import RegistryView
from cdkg.render.paths import Layout, Linker
from cdkg.serve.limits import Slots
from cdkg.serve.sparql import SparqlService
from cdkg.serve.update import Writer
from cdkg.store import Store

T = TypeVar("T")


class PageCache:
    """Pages built from the whole registry, kept until the next write through the server.

    The registry served does not change but through the server's own writes (a load
    needs the store, which the server holds), so a page such as the home page, which
    reads every initiative, is built once per state of the registry, not per request.
    """

    def __init__(self) -> None:
        self._pages: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._generation = 0

    def get(self, key: str, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._pages:
                return cast(T, self._pages[key])
            generation = self._generation
        value = build()  # outside the lock: pages are built in parallel
        with self._lock:
            if generation == self._generation:
                self._pages[key] = value
        return value

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._generation += 1


@dataclass
class ServeContext:
    """Everything the routes of one application read or write.

    ``layout`` maps IRIs to site paths and ``linker`` writes the links of live pages;
    ``view`` reads the registry for the pages, ``sparql`` answers ``/sparql`` (its worker
    threads are shut down with the application), ``writer`` guards writes behind the
    update token, and ``max_body`` is the largest request body (also the largest form
    part) a route reads. ``pages`` keeps the pages built from the whole registry (home,
    dashboard, facets), dropped by every write.
    """

    layout: Layout
    linker: Linker
    view: RegistryView
    sparql: SparqlService
    writer: Writer
    max_body: int
    pages: PageCache = field(default_factory=PageCache)
    #: At most two descriptions validated at once, off the event loop.
    checks: Slots = field(default_factory=Slots)

    @classmethod
    def build(
        cls,
        store: Store,
        base_iri: str,
        *,
        query_timeout: float,
        max_results: int,
        max_body: int,
        update_token: str | None,
        write_store: Store | None,
        after_write: Callable[[], None] | None,
    ) -> ServeContext:
        """The context over ``store``; ``ValueError`` if ``base_iri`` is not an http(s) IRI."""
        layout = Layout(base_iri)
        linker = Linker(layout, static=False)
        view = RegistryView(store, layout, timeout=query_timeout)
        sparql = SparqlService(store, timeout=query_timeout, max_results=max_results)
        pages = PageCache()

        def written() -> None:
            if after_write is not None:
                after_write()
            # after the served copy is refreshed
            pages.clear()
            sparql.store_changed()

        writer = Writer(write_store or store, update_token, written)
        return cls(
            layout=layout,
            linker=linker,
            view=view,
            sparql=sparql,
            writer=writer,
            max_body=max_body,
            pages=pages,
        )


async def serve_context(request: Request) -> ServeContext:
    """The context of the application serving ``request`` (a FastAPI dependency).

    Asynchronous so that FastAPI calls it in the event loop rather than in a worker thread.
    """
    context: ServeContext = request.app.state.context
    return context


#: A route parameter annotated with this receives the application's :class:`ServeContext`.
Context = Annotated[ServeContext, Depends(serve_context)]
