"""The live registry: the site's pages, content negotiation, ``/sparql``, ``/validate``
and the "Check an initiative" form, as one FastAPI application.

``create_app(store, base_iri)`` builds it; ``cdkg serve`` runs it with uvicorn. This
module only wires the application — its shared state (:mod:`cdkg.serve.context`), the
request body limit, the security headers of every response, the lifespan and the
routers; the routes themselves are in :mod:`cdkg.serve.routes`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cdkg import __version__
from cdkg.serve.context import ServeContext
from cdkg.serve.limits import BodyLimit
from cdkg.serve.routes import assess, check, pages, resources, sparql, update, validate
from cdkg.store import Store

DEFAULT_BASE = "https://w3id.org/cdkg/"
#: Largest request body read by /validate, /check and /sparql.
MAX_BODY = 5_000_000

#: What a browser may do with a page of the registry. The pages run no script at all (the
#: JSON-LD in ``<script type="application/ld+json">`` is a data block, which a browser
#: never runs, so CSP does not concern it); their only style is ``/static/style.css``
#: (the SVG charts use classes and presentation attributes, no ``style=``); their forms
#: post to the server itself. So: nothing by default, the stylesheet and images from
#: the server, forms to the server, no ``<base>``, and no framing by other sites. A page
#: that needs a script one day serves it as a file and adds ``script-src 'self'``.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'none'",
        "object-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
#: The headers on every response (pages, RDF, static files, errors).
SECURITY_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode("ascii")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)
_SECURITY_HEADER_NAMES = frozenset(name for name, _ in SECURITY_HEADERS)


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every HTTP response, replacing any
    header of the same name a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", ())
                    if name.lower() not in _SECURITY_HEADER_NAMES
                ]
                message = {**message, "headers": [*headers, *SECURITY_HEADERS]}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _Application(FastAPI):
    """FastAPI whose every response, including the ``500`` of an unexpected error and the
    ``413`` of the body limit, passes through :class:`SecurityHeaders` (user middleware
    would sit inside Starlette's error handler and miss its answers)."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityHeaders(super().build_middleware_stack())


def create_app(
    store: Store,
    base_iri: str = DEFAULT_BASE,
    *,
    query_timeout: float = 10.0,
    max_results: int = 10_000,
    max_body: int = MAX_BODY,
    update_token: str | None = None,
    write_store: Store | None = None,
    after_write: Callable[[], None] | None = None,
) -> FastAPI:
    """The web application over ``store``; resources are ``base_iri`` + path.

    Read-only unless ``update_token`` is given: then SPARQL Update and the Graph Store
    Protocol (``/graph-store``) write to ``write_store`` (default: ``store``) for clients
    that send ``Authorization: Bearer <token>``; ``after_write`` runs after each write
    (``cdkg serve`` refreshes its served copy there). Request bodies over ``max_body``
    bytes get 413. Every response carries :data:`SECURITY_HEADERS`.
    """
    context = ServeContext.build(
        store,
        base_iri,
        query_timeout=query_timeout,
        max_results=max_results,
        max_body=max_body,
        update_token=update_token,
        write_store=write_store,
        after_write=after_write,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        context.sparql.close()

    app = _Application(
        lifespan=lifespan,
        title="cdkg registry",
        version=__version__,
        description="A citizen-data registry: pages with content negotiation, a SPARQL 1.1 "
        "endpoint, validation and classification of descriptions, and (with an update "
        "token) the SPARQL 1.1 Graph Store HTTP Protocol.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.add_middleware(BodyLimit, limit=max_body)
    app.state.store = store
    app.state.view = context.view
    app.state.context = context

    # The order is the order of matching (and of /openapi.json): the resource route
    # matches every path, so it comes after all the others.
    app.include_router(pages.router)
    app.include_router(check.router)
    app.include_router(assess.router)
    app.include_router(validate.router)
    app.include_router(sparql.router)
    app.include_router(update.router)
    app.include_router(resources.router)
    return app


def dumps_json(data: Any) -> str:
    return json.dumps(data, indent=2)
