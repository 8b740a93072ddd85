"""The site's own pages: the list of initiatives, browsing by facet, the dashboard, the
stylesheet and the downloads page.

Route functions here (and in the other route modules) carry no docstrings: FastAPI would
publish them as descriptions in ``/openapi.json``.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from cdkg.render import pages
from cdkg.render.data import Summary
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.routes.common import html, namer_for, not_found

router = APIRouter()


def _summaries(context: ServeContext) -> list[Summary]:
    return context.pages.get("summaries", context.view.summaries)


@router.get("/", response_class=HTMLResponse)
def home(context: Context) -> HTMLResponse:
    def build() -> str:
        return pages.index_html(_summaries(context), context.linker, namer_for(context, []))

    return html(context.pages.get("home", build))


@router.get("/browse/{facet}/{slug}", response_class=HTMLResponse)
def browse(facet: str, slug: str, context: Context) -> HTMLResponse:
    rows = _summaries(context)
    if facet not in dict(pages.FACETS):
        return not_found(context, f"/browse/{facet}/{slug}")
    value = pages.resolve_facet(rows, facet, slug)
    if value is None:
        return not_found(context, f"/browse/{facet}/{slug}")

    def build() -> str:
        namer = namer_for(context, [])
        return pages.index_html(rows, context.linker, namer, facet=facet, value=value)

    return html(context.pages.get(f"browse/{facet}/{value}", build))


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(context: Context) -> HTMLResponse:
    def build() -> str:
        return pages.dashboard_html(_summaries(context), context.linker, namer_for(context, []))

    return html(context.pages.get("dashboard", build))


@router.get("/static/style.css")
def css() -> Response:
    text = (pages.environment().loader.get_source(pages.environment(), "style.css"))[0]  # type: ignore[union-attr]
    return Response(text, media_type="text/css; charset=utf-8")


@router.get("/dumps/index", response_class=HTMLResponse)
def downloads(context: Context) -> HTMLResponse:
    return html(
        pages.message_html(
            context.linker,
            "Downloads",
            [
                "The ontology and the shapes are below. The whole registry can be "
                "queried at the SPARQL endpoint; full dumps (N-Quads, Turtle, JSON-LD) "
                "come with the published site ('cdkg publish').",
            ],
            [
                {"href": "/ontology.ttl", "text": "Ontology and vocabularies (Turtle)"},
                {"href": "/shapes.ttl", "text": "SHACL shapes (Turtle)"},
                {"href": "/sparql", "text": "SPARQL endpoint", "note": "service description"},
            ],
            section="downloads",
        )
    )
