"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: queries by ``GET`` or ``POST`` (answered
by :class:`cdkg.serve.sparql.SparqlService`), the service description when no query is
given, and SPARQL Update by ``POST`` only (run by :mod:`~cdkg.serve.routes.update`).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from cdkg.render.negotiation import TURTLE, charset
from cdkg.serve import openapi as oa
from cdkg.serve.context import Context, ServeContext
from cdkg.serve.results import ProtocolError
from cdkg.serve.routes.update import run_update
from cdkg.serve.sparql import service_description
from cdkg.store import StoreError

router = APIRouter()


def sparql_answer(context: ServeContext, query: str | None, request: Request) -> Response:
    """The answer to ``query`` in the negotiated format, or the service description."""
    params = request.query_params
    fmt = params.get("format") or params.get("output")
    if query is None:
        return Response(
            service_description(str(request.url_for("sparql_get"))),
            media_type=charset(TURTLE),
        )
    try:
        answer = context.sparql.run(query, request.headers.get("accept"), fmt)
    except ProtocolError as exc:
        return PlainTextResponse(exc.message, status_code=exc.status, headers=exc.headers)
    except StoreError as exc:
        return PlainTextResponse(exc.message, status_code=502)
    return Response(answer.body, media_type=charset(answer.media_type), headers=answer.headers)


def refuse_update() -> Response:
    """The ``403`` for an update sent by ``GET``."""
    return PlainTextResponse(
        "SPARQL Update is accepted only by POST (application/sparql-update or a form "
        "field 'update='), with the update token; otherwise this endpoint is read-only",
        status_code=403,
    )


@router.get("/sparql", name="sparql_get", summary="SPARQL 1.1 query", openapi_extra=oa.SPARQL_GET)
def sparql_get(request: Request, context: Context) -> Response:
    if "update" in request.query_params:
        return refuse_update()
    return sparql_answer(context, request.query_params.get("query"), request)


@router.post("/sparql", summary="SPARQL 1.1 query or update", openapi_extra=oa.SPARQL_POST)
async def sparql_post(request: Request, context: Context) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/sparql-update":
        body = await request.body()
        text = body.decode("utf-8", "replace")
        return await run_in_threadpool(run_update, context, text, request)
    if content_type == "application/sparql-query":
        body = await request.body()
        if len(body) > context.max_body:
            return PlainTextResponse("the query is too long", status_code=413)
        text = body.decode("utf-8", "replace")
        return await run_in_threadpool(sparql_answer, context, text, request)
    if content_type == "application/x-www-form-urlencoded":
        form = await request.form()
        update = form.get("update")
        if update is not None:
            text = update if isinstance(update, str) else ""
            return await run_in_threadpool(run_update, context, text, request)
        query = form.get("query")
        if not isinstance(query, str):
            return PlainTextResponse("no 'query' parameter in the request", status_code=400)
        # the query runs off the event loop: other requests are answered meanwhile
        return await run_in_threadpool(sparql_answer, context, query, request)
    return PlainTextResponse(
        "POST a query as application/sparql-query or application/x-www-form-urlencoded",
        status_code=415,
    )
