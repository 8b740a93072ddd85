"""What several route modules share: HTML responses, the "not found" page and page namers."""

from __future__ import annotations

from fastapi.responses import HTMLResponse

from cdkg.render import pages
from cdkg.serve.context import ServeContext


def html(text: str, status: int = 200) -> HTMLResponse:
    """``text`` as an HTML response with ``status``."""
    return HTMLResponse(text, status_code=status)


def not_found(context: ServeContext, what: str) -> HTMLResponse:
    """The 404 page for the path ``what``, with a link back to the list of initiatives."""
    linker = context.linker
    return html(
        pages.message_html(
            linker,
            "Not found",
            [f"This registry holds nothing at {what}."],
            [{"href": linker.page(""), "text": "All initiatives"}],
        ),
        404,
    )


def namer_for(context: ServeContext, iris: list[str]) -> pages.Namer:
    """A namer that knows the registry's names for ``iris``."""
    return pages.Namer(context.view.names(iris))
