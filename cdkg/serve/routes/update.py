"""Writes behind the update token: SPARQL Update (sent to ``/sparql``, run here) and the
SPARQL 1.1 Graph Store HTTP Protocol on ``/graph-store`` (read, replace, add to, delete a
named graph). Without a token configured every one of them is refused with ``403``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from cdkg.render.negotiation import charset, negotiate
from cdkg.serve import openapi as oa
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.results import ProtocolError
from cdkg.serve.update import graph_document

router = APIRouter()


def problem(exc: ProtocolError) -> Response:
    """``exc`` as a plain-text answer; a ``401`` says which authentication scheme to use."""
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return PlainTextResponse(exc.message, status_code=exc.status, headers=headers)


def run_update(context: ServeContext, text: str, request: Request) -> Response:
    """Run the SPARQL Update ``text`` if the request carries the token: ``204`` when done."""
    try:
        context.writer.authorise(request.headers.get("authorization"))
        context.writer.update(text)
    except ProtocolError as exc:
        return problem(exc)
    return Response(status_code=204)


def graph_target(context: ServeContext, request: Request, *, writing: bool) -> str:
    """The named graph the request is about, once its token is checked."""
    writer = context.writer
    writer.authorise(request.headers.get("authorization"))
    params = request.query_params
    return writer.graph_name(params.get("graph"), "default" in params, writing=writing)


async def gsp_write(context: ServeContext, request: Request, merge: bool) -> Response:
    """Store the body as the named graph (``merge``: add to it): ``201`` if new, else ``204``."""
    try:
        graph = graph_target(context, request, writing=True)
        body = await request.body()
        created = context.writer.put(
            graph, body, request.headers.get("content-type", ""), merge=merge
        )
    except ProtocolError as exc:
        return problem(exc)
    return Response(status_code=201 if created else 204)


@router.get(
    "/graph-store",
    summary="Read a named graph (needs the update token)",
    openapi_extra=oa.GRAPH_READ,
)
def gsp_get(request: Request, context: Context) -> Response:
    try:
        graph = graph_target(context, request, writing=False)
    except ProtocolError as exc:
        return problem(exc)
    media = negotiate(
        request.headers.get("accept"),
        ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"],
    )
    if media is None:
        return PlainTextResponse("no acceptable representation", status_code=406)
    content = context.writer.read(graph)
    if not len(content):
        return PlainTextResponse(f"no graph {graph} in this registry", status_code=404)
    return Response(graph_document(content, media), media_type=charset(media))


@router.put(
    "/graph-store",
    summary="Replace a named graph (needs the update token)",
    openapi_extra=oa.GRAPH_WRITE,
)
async def gsp_put(request: Request, context: Context) -> Response:
    return await gsp_write(context, request, merge=False)


@router.post(
    "/graph-store",
    summary="Add to a named graph (needs the update token)",
    openapi_extra=oa.GRAPH_WRITE,
)
async def gsp_post(request: Request, context: Context) -> Response:
    return await gsp_write(context, request, merge=True)


@router.delete(
    "/graph-store",
    summary="Delete a named graph (needs the update token)",
    openapi_extra=oa.GRAPH_READ,
)
def gsp_delete(request: Request, context: Context) -> Response:
    try:
        context.writer.delete(graph_target(context, request, writing=True))
    except ProtocolError as exc:
        return problem(exc)
    return Response(status_code=204)
